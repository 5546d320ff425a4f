/* diff: leg identities, field changes, loops opened and closed, exposure
 * changes. Every expectation is derived by hand from the small ledgers. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dealgraph/diff.h"
#include "support.h"

#define BASE                                                              \
    "digraph {\n"                                                         \
    "  graph [focus=\"F\"]\n"                                             \
    "  F -> A [kind=\"cloud\", amount=\"10B\", status=\"definitive\", "   \
    "announced=\"2025-01\", deal=\"D1\"]\n"                               \
    "  A -> B [kind=\"chips\", amount=\"4B\", status=\"reported\", "      \
    "announced=\"2025-02\", deal=\"D2\"]\n"                               \
    "  B -> F [kind=\"equity\", amount=\"1B\", status=\"completed\", "    \
    "announced=\"2025-03\", deal=\"D3\"]\n"

Test(diff, identical_ledgers_have_no_change)
{
    dg_ledger *a = must_load_dot(BASE "}\n"), *b = must_load_dot(BASE "}\n");
    dg_diff d;
    cr_assert_eq(dg_diff_compute(a, b, NULL, &d), DG_OK);
    cr_expect(dg_diff_empty(&d));
    cr_expect_str_eq(d.focus, "F");
    dg_diff_finish(&d);
    dg_ledger_destroy(a);
    dg_ledger_destroy(b);
}

Test(diff, reordering_legs_is_not_a_change)
{
    dg_ledger *a = must_load_dot(BASE "}\n");
    dg_ledger *b = must_load_dot(
        "digraph {\n  graph [focus=\"F\"]\n"
        "  B -> F [kind=\"equity\", amount=\"1B\", status=\"completed\", "
        "announced=\"2025-03\", deal=\"D3\"]\n"
        "  F -> A [kind=\"cloud\", amount=\"10B\", status=\"definitive\", "
        "announced=\"2025-01\", deal=\"D1\"]\n"
        "  A -> B [kind=\"chips\", amount=\"4B\", status=\"reported\", "
        "announced=\"2025-02\", deal=\"D2\"]\n}\n");
    dg_diff d;
    cr_assert_eq(dg_diff_compute(a, b, NULL, &d), DG_OK);
    cr_expect(dg_diff_empty(&d));
    dg_diff_finish(&d);
    dg_ledger_destroy(a);
    dg_ledger_destroy(b);
}

Test(diff, lists_every_changed_attribute_of_a_leg)
{
    dg_ledger *a = must_load_dot(BASE "}\n");
    dg_ledger *b = must_load_dot(
        "digraph {\n  graph [focus=\"F\"]\n"
        "  F -> A [kind=\"cloud\", amount=\"12B\", upto=\"true\", "
        "status=\"completed\", announced=\"2025-01\", deal=\"D1\", "
        "source=\"Reuters\"]\n"
        "  A -> B [kind=\"chips\", amount=\"4B\", status=\"reported\", "
        "announced=\"2025-02\", deal=\"D2\"]\n"
        "  B -> F [kind=\"equity\", amount=\"1B\", status=\"completed\", "
        "announced=\"2025-03\", deal=\"D3\"]\n}\n");
    dg_diff d;
    cr_assert_eq(dg_diff_compute(a, b, NULL, &d), DG_OK);
    cr_expect_eq(d.nadded, 0);
    cr_expect_eq(d.nremoved, 0);
    cr_assert_eq(d.nchanged, 1);
    const dg_leg_change *c = &d.changed[0];
    cr_assert_eq(c->nfields, 4);
    cr_expect_str_eq(c->fields[0].field, "amount");
    cr_expect_str_eq(c->fields[0].before, "$10B");
    cr_expect_str_eq(c->fields[0].after, "$12B");
    cr_expect_str_eq(c->fields[1].field, "upto");
    cr_expect_str_eq(c->fields[2].field, "status");
    cr_expect_str_eq(c->fields[2].before, "definitive");
    cr_expect_str_eq(c->fields[2].after, "completed");
    cr_expect_str_eq(c->fields[3].field, "source");
    cr_expect_str_eq(c->fields[3].before, "");
    cr_expect_str_eq(c->fields[3].after, "Reuters");
    /* F's share of A's inflow is 1 both times (A's only source is F), so
     * no exposure change; the loop F > A > B keeps its id */
    cr_expect_eq(d.nexposure, 0);
    cr_expect_eq(d.nopened + d.nclosed, 0);
    dg_diff_finish(&d);
    dg_ledger_destroy(a);
    dg_ledger_destroy(b);
}

Test(diff, a_new_kind_or_deal_id_is_a_new_leg)
{
    dg_ledger *a = must_load_dot(BASE "}\n");
    dg_ledger *b = must_load_dot(
        "digraph {\n  graph [focus=\"F\"]\n"
        "  F -> A [kind=\"services\", amount=\"10B\", status=\"definitive\", "
        "announced=\"2025-01\", deal=\"D1\"]\n"
        "  A -> B [kind=\"chips\", amount=\"4B\", status=\"reported\", "
        "announced=\"2025-02\", deal=\"D9\"]\n"
        "  B -> F [kind=\"equity\", amount=\"1B\", status=\"completed\", "
        "announced=\"2025-03\", deal=\"D3\"]\n}\n");
    dg_diff d;
    cr_assert_eq(dg_diff_compute(a, b, NULL, &d), DG_OK);
    cr_expect_eq(d.nadded, 2);
    cr_expect_eq(d.nremoved, 2);
    cr_expect_eq(d.nchanged, 0);
    cr_expect_eq(d.added[0], 0, "added legs in new-ledger order");
    cr_expect_eq(d.added[1], 1);
    dg_diff_finish(&d);
    dg_ledger_destroy(a);
    dg_ledger_destroy(b);
}

Test(diff, a_deal_that_closes_a_loop_opens_it)
{
    /* BASE has the loop F > A > B > F. Adding A -> F opens F > A > F;
     * dropping B -> F closes F > A > B > F. */
    dg_ledger *a = must_load_dot(BASE "}\n");
    dg_ledger *b = must_load_dot(
        "digraph {\n  graph [focus=\"F\"]\n"
        "  F -> A [kind=\"cloud\", amount=\"10B\", status=\"definitive\", "
        "announced=\"2025-01\", deal=\"D1\"]\n"
        "  A -> B [kind=\"chips\", amount=\"4B\", status=\"reported\", "
        "announced=\"2025-02\", deal=\"D2\"]\n"
        "  A -> F [kind=\"warrant\", amount=\"2B\", status=\"reported\", "
        "announced=\"2025-04\", deal=\"D4\"]\n}\n");
    dg_diff d;
    cr_assert_eq(dg_diff_compute(a, b, NULL, &d), DG_OK);
    cr_assert_eq(d.nopened, 1);
    cr_expect_str_eq(d.opened[0].companies, "A > F > A");
    cr_expect_str_eq(d.opened[0].signature, "warrant>cloud");
    cr_assert_eq(d.nclosed, 1);
    cr_expect_str_eq(d.closed[0].companies, "A > B > F > A");
    /* B's inflow: 4B from A; B sends 1B to F before, nothing after; F
     * never pays B, so B's direct inflow share from F is 0 both times.
     * A's inflow is 10B from F: share 1 both times. No exposure change. */
    cr_expect_eq(d.nexposure, 0);
    dg_diff_finish(&d);
    dg_ledger_destroy(a);
    dg_ledger_destroy(b);
}

Test(diff, exposure_shares_that_moved_are_listed)
{
    /* Before: A receives 10B from F only: share 1. After: A also receives
     * 30B from G: T_A = 40B, share 10/40 = 0.25. */
    dg_ledger *a = must_load_dot(BASE "}\n");
    dg_ledger *b = must_load_dot(BASE "  G -> A [kind=\"cloud\", amount=\"30B\", "
                             "status=\"definitive\", announced=\"2025-05\", "
                             "deal=\"D5\"]\n}\n");
    dg_diff d;
    cr_assert_eq(dg_diff_compute(a, b, NULL, &d), DG_OK);
    cr_expect_eq(d.nadded, 1);
    size_t k = SIZE_MAX;
    for (size_t i = 0; i < d.nexposure; i++)
        if (strcmp(d.exposure[i].company, "A") == 0)
            k = i;
    cr_assert_neq(k, SIZE_MAX);
    cr_expect_float_eq(d.exposure[k].before, 1.0, 1e-12);
    cr_expect_float_eq(d.exposure[k].after, 0.25, 1e-12);
    dg_diff_finish(&d);
    dg_ledger_destroy(a);
    dg_ledger_destroy(b);
}

Test(diff, companies_added_removed_and_changed_are_listed)
{
    dg_ledger *a = must_load_dot("digraph {\n  F [sector=\"lab\", equity=\"10B\"]\n"
                        "  Gone [sector=\"other\"]\n"
                        "  F -> A [kind=\"cloud\", amount=\"1B\", "
                        "status=\"definitive\", announced=\"2025\"]\n}\n");
    dg_ledger *b = must_load_dot("digraph {\n  F [sector=\"lab\", equity=\"12B\", "
                        "cash=\"1B\"]\n  New [sector=\"spv\"]\n"
                        "  F -> A [kind=\"cloud\", amount=\"1B\", "
                        "status=\"definitive\", announced=\"2025\"]\n}\n");
    dg_diff d;
    cr_assert_eq(dg_diff_compute(a, b, NULL, &d), DG_OK);
    cr_expect_eq(d.nadded + d.nremoved + d.nchanged, 0, "the leg is the same");
    cr_assert_eq(d.ncompanies_added, 1);
    cr_expect_str_eq(d.companies_added[0], "New");
    cr_assert_eq(d.ncompanies_removed, 1);
    cr_expect_str_eq(d.companies_removed[0], "Gone");
    cr_assert_eq(d.ncompanies_changed, 1);
    const dg_company_change *c = &d.companies_changed[0];
    cr_expect_str_eq(c->company, "F");
    cr_assert_eq(c->nfields, 2);
    cr_expect_str_eq(c->fields[0].field, "equity");
    cr_expect_str_eq(c->fields[0].before, "$10B");
    cr_expect_str_eq(c->fields[0].after, "$12B");
    cr_expect_str_eq(c->fields[1].field, "cash");
    cr_expect_str_eq(c->fields[1].before, "");
    cr_expect_str_eq(c->fields[1].after, "$1B");
    cr_expect_not(dg_diff_empty(&d));
    dg_diff_finish(&d);
    dg_ledger_destroy(a);
    dg_ledger_destroy(b);
}

Test(diff, a_leg_inserted_among_alike_legs_is_the_one_added)
{
    /* No deal ids: both legs share the identity (A, B, cloud). The 2B leg
     * is new; the 1B leg is unchanged even though it moved down a line. */
    dg_ledger *a = must_load_dot("digraph {\n  A -> B [kind=\"cloud\", amount=\"1B\", "
                        "status=\"definitive\", announced=\"2025\"]\n}\n");
    dg_ledger *b = must_load_dot("digraph {\n  A -> B [kind=\"cloud\", amount=\"2B\", "
                        "status=\"talks\", announced=\"2026\"]\n"
                        "  A -> B [kind=\"cloud\", amount=\"1B\", "
                        "status=\"definitive\", announced=\"2025\"]\n}\n");
    dg_diff d;
    cr_assert_eq(dg_diff_compute(a, b, NULL, &d), DG_OK);
    cr_expect_eq(d.nchanged, 0);
    cr_expect_eq(d.nremoved, 0);
    cr_assert_eq(d.nadded, 1);
    cr_expect_eq(d.added[0], 0, "the first leg of the new file is the new one");
    dg_diff_finish(&d);
    dg_ledger_destroy(a);
    dg_ledger_destroy(b);
}
