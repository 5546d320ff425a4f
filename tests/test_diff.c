/* diff: leg identities, field changes, loops opened and closed, exposure
 * changes. Every expectation is derived by hand from the small ledgers. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
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

/* The two ledgers of a_deal_that_closes_a_loop_opens_it: BASE's loop
 * F > A > B > F closes, A > F > A opens. */
#define OPENS_ONE_CLOSES_ONE                                              \
    "digraph {\n  graph [focus=\"F\"]\n"                                  \
    "  F -> A [kind=\"cloud\", amount=\"10B\", status=\"definitive\", "   \
    "announced=\"2025-01\", deal=\"D1\"]\n"                               \
    "  A -> B [kind=\"chips\", amount=\"4B\", status=\"reported\", "      \
    "announced=\"2025-02\", deal=\"D2\"]\n"                               \
    "  A -> F [kind=\"warrant\", amount=\"2B\", status=\"reported\", "    \
    "announced=\"2025-04\", deal=\"D4\"]\n}\n"

Test(diff, loops_compare_by_id_in_either_direction_or_refuse_when_cut_short)
{
    dg_ledger *a = must_load_dot(BASE "}\n");
    dg_ledger *b = must_load_dot(OPENS_ONE_CLOSES_ONE);
    dg_loop_options o;
    dg_loop_options_init(&o);
    dg_loop_ref *only_b = NULL, *only_a = NULL;
    size_t nb = 0, na = 0;
    /* only the side asked for */
    cr_assert_eq(dg_loops_compare(a, b, &o, NULL, NULL, &only_a, &na), DG_OK);
    cr_assert_eq(na, 1);
    cr_expect_str_eq(only_a[0].companies, "A > B > F > A");
    cr_expect_str_eq(only_a[0].signature, "chips>equity>cloud");
    /* A -> B 4B, B -> F 1B, F -> A 10B: the loop carries 1B */
    cr_expect_eq(only_a[0].value, 1e9);
    dg_loop_refs_free(only_a, na);
    cr_assert_eq(dg_loops_compare(a, b, &o, &only_b, &nb, NULL, NULL), DG_OK);
    cr_assert_eq(nb, 1);
    cr_expect_str_eq(only_b[0].companies, "A > F > A");
    dg_loop_refs_free(only_b, nb);
    /* a ledger against itself: nothing either way */
    cr_assert_eq(dg_loops_compare(b, b, &o, &only_b, &nb, &only_a, &na),
                 DG_OK);
    cr_expect_eq(nb + na, 0);
    dg_loop_refs_free(only_b, nb);
    dg_loop_refs_free(only_a, na);
    /* BASE with A -> F added has two loops, A > B > F > A and A > F > A:
     * with a limit of one loop per search the comparison would be
     * partial, so there is none */
    dg_ledger *c = must_load_dot(BASE "  A -> F [kind=\"warrant\", "
                                      "amount=\"2B\", status=\"reported\", "
                                      "announced=\"2025-04\"]\n}\n");
    o.limit = 1;
    only_b = NULL;
    cr_expect_eq(dg_loops_compare(a, c, &o, &only_b, &nb, NULL, NULL),
                 DG_ELIMIT);
    cr_expect_null(only_b);
    dg_ledger_destroy(a);
    dg_ledger_destroy(b);
    dg_ledger_destroy(c);
}

Test(diff, markdown_has_one_bullet_per_item_and_one_blank_line_between_blocks)
{
    char *old = temp_file("old.dot", BASE "}\n");
    char *next = temp_file("new.dot", OPENS_ONE_CLOSES_ONE);
    const char *args[] = {"diff", old, next, "--format", "md", NULL};
    run_result r = run_cli(args, NULL);
    cr_expect_eq(r.status, 1, "a change: %s", r.err);
    cr_expect_null(strstr(r.out, "\n\n\n"), "%s", r.out);
    cr_expect_null(strstr(r.out, "- - "), "%s", r.out);
    cr_expect_null(strstr(r.out, "- + "), "%s", r.out);
    /* the title, then the first section after one blank line; an item's
     * sign is its section's heading. The legs' lines: "digraph {" is 1,
     * the graph attribute 2, so the third leg is on line 5 in both */
    char want[8192];
    snprintf(want, sizeof want,
             "## Changes from %s to %s\n\n### 1 leg added\n\n- A -> F "
             "warrant $2B, reported, 2025-04 [D4] (line 5)\n\n### 1 leg "
             "removed\n\n- B -> F equity $1B, completed, 2025-03 [D3] (was "
             "line 5)\n",
             old, next);
    cr_expect(strncmp(r.out, want, strlen(want)) == 0, "%s", r.out);
    cr_expect_not_null(strstr(r.out, "\n### 1 loop opened\n\n- A > F > A "
                                     "(warrant>cloud) ["),
                       "%s", r.out);
    run_free(&r);
    /* text keeps the signs */
    const char *text[] = {"diff", old, next, NULL};
    r = run_cli(text, NULL);
    cr_expect_eq(r.status, 1);
    cr_expect(strncmp(r.out, "1 leg added\n  + A -> F warrant $2B", 33) == 0,
              "%s", r.out);
    cr_expect_not_null(strstr(r.out, "\n1 loop closed\n  - A > B > F > A "
                                     "(chips>equity>cloud) ["),
                       "%s", r.out);
    run_free(&r);
    free(old);
    free(next);
}

/* ---- the per-year shares ----------------------------------------------------- */

/* F pays X 10B a year over 2027-2028 (cloud). Before: X's 2027 revenue
 * 100B (dependence 10/100 = 0.1), rpo 50B as of 2026-12-31, so the backlog
 * share is (10 + 10) / 50 = 0.4. After: X's revenue 50B (10/50 = 0.2), rpo
 * 100B (20/100 = 0.2), and Y, with no revenue figure, gets 5B in 2027:
 * its dependence is n/a both times (no change); Z's revenue appears (n/a
 * -> 5/20 = 0.25). */
#define YEARLY(xrev, xrpo, zrev)                                          \
    "digraph {\n  graph [focus=\"F\", as_of=\"2027-06-30\"]\n"            \
    "  X [revenue=\"2027:" xrev "\", rpo=\"" xrpo "\", "                  \
    "rpo_as_of=\"2026-12-31\"]\n  Z [" zrev "]\n"                         \
    "  F -> X [kind=\"cloud\", amount=\"10B\", per=\"year\", "            \
    "start=\"2027\", end=\"2028\", status=\"definitive\", "               \
    "announced=\"2026\", deal=\"A\"]\n"                                   \
    "  F -> Y [kind=\"chips\", amount=\"5B\", per=\"year\", "             \
    "start=\"2027\", end=\"2027\", status=\"definitive\", "               \
    "announced=\"2026\", deal=\"B\"]\n"                                   \
    "  F -> Z [kind=\"services\", amount=\"5B\", per=\"year\", "          \
    "start=\"2027\", end=\"2027\", status=\"definitive\", "               \
    "announced=\"2026\", deal=\"C\"]\n}\n"

Test(diff, dependence_and_backlog_shares_that_moved_are_listed)
{
    dg_ledger *a = must_load_dot(YEARLY("100B", "50B", "sector=\"other\""));
    dg_ledger *b = must_load_dot(YEARLY("50B", "100B",
                                        "revenue=\"2027:20B\""));
    dg_diff d;
    cr_assert_eq(dg_diff_compute(a, b, NULL, &d), DG_OK);
    cr_expect_eq(d.year, 2027, "the year of the new ledger's as_of");
    cr_assert_eq(d.ndependence, 2);
    cr_expect_str_eq(d.dependence[0].company, "X");
    cr_expect_float_eq(d.dependence[0].before, 0.1, 1e-12);
    cr_expect_float_eq(d.dependence[0].after, 0.2, 1e-12);
    cr_expect_str_eq(d.dependence[1].company, "Z");
    cr_expect(isnan(d.dependence[1].before), "no revenue figure before");
    cr_expect_float_eq(d.dependence[1].after, 0.25, 1e-12);
    cr_assert_eq(d.nbacklog, 1);
    cr_expect_str_eq(d.backlog[0].company, "X");
    cr_expect_float_eq(d.backlog[0].before, 0.4, 1e-12);
    cr_expect_float_eq(d.backlog[0].after, 0.2, 1e-12);
    /* the figures behind them are company changes too */
    cr_assert_eq(d.ncompanies_changed, 2);
    cr_expect_str_eq(d.companies_changed[0].company, "X");
    cr_assert_eq(d.companies_changed[0].nfields, 2);
    cr_expect_str_eq(d.companies_changed[0].fields[0].field, "revenue");
    cr_expect_str_eq(d.companies_changed[0].fields[0].before, "2027:100B");
    cr_expect_str_eq(d.companies_changed[0].fields[0].after, "2027:50B");
    cr_expect_str_eq(d.companies_changed[0].fields[1].field, "rpo");
    cr_expect_not(dg_diff_empty(&d));
    dg_diff_finish(&d);
    /* in 2028 no revenue figure anywhere: only the backlog moved */
    dg_diff_options o;
    dg_diff_options_init(&o);
    o.year = 2028;
    cr_assert_eq(dg_diff_compute(a, b, &o, &d), DG_OK);
    cr_expect_eq(d.year, 2028);
    cr_expect_eq(d.ndependence, 0);
    cr_expect_eq(d.nbacklog, 1);
    dg_diff_finish(&d);
    dg_ledger_destroy(a);
    dg_ledger_destroy(b);
}

/* A leg's term moves the money of a year: 10B a year from 2027 for one
 * year, then for two. The change is listed (term), and in 2027 nothing
 * moves; the backlog counts 10B, then 20B: 0.2 -> 0.4. */
Test(diff, a_changed_term_is_listed_and_moves_the_backlog)
{
    const char *head = "digraph {\n  graph [focus=\"F\", as_of=\"2027\"]\n"
                       "  X [revenue=\"2027:100B\", rpo=\"50B\", "
                       "rpo_as_of=\"2026-12-31\"]\n";
    char t1[1024], t2[1024];
    snprintf(t1, sizeof t1,
             "%s  F -> X [kind=\"cloud\", amount=\"10B\", per=\"year\", "
             "start=\"2027\", term=\"1y\", status=\"definitive\", "
             "announced=\"2026\", deal=\"A\"]\n}\n",
             head);
    snprintf(t2, sizeof t2,
             "%s  F -> X [kind=\"cloud\", amount=\"10B\", per=\"year\", "
             "start=\"2027\", term=\"2y\", status=\"definitive\", "
             "announced=\"2026\", deal=\"A\"]\n}\n",
             head);
    dg_ledger *a = must_load_dot(t1), *b = must_load_dot(t2);
    dg_diff d;
    cr_assert_eq(dg_diff_compute(a, b, NULL, &d), DG_OK);
    cr_assert_eq(d.nchanged, 1);
    cr_assert_eq(d.changed[0].nfields, 1);
    cr_expect_str_eq(d.changed[0].fields[0].field, "term");
    cr_expect_str_eq(d.changed[0].fields[0].before, "1y");
    cr_expect_str_eq(d.changed[0].fields[0].after, "2y");
    cr_expect_eq(d.ndependence, 0, "10/100 in 2027 both times");
    cr_assert_eq(d.nbacklog, 1);
    cr_expect_float_eq(d.backlog[0].before, 0.2, 1e-12);
    cr_expect_float_eq(d.backlog[0].after, 0.4, 1e-12);
    dg_diff_finish(&d);
    dg_ledger_destroy(a);
    dg_ledger_destroy(b);
}

Test(diff, the_command_shows_the_shares_that_moved_and_refuses_a_bad_year)
{
    char *old = temp_file("old.dot", YEARLY("100B", "50B", "sector=\"other\""));
    char *next = temp_file("new.dot", YEARLY("50B", "100B",
                                             "revenue=\"2027:20B\""));
    const char *a[] = {"diff", old, next, NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 1, "%s", r.err);
    cr_expect(strstr(r.out, "\nrevenue dependence on F in 2027 moved for 2 "
                            "companies (n/a: no revenue figure)\n"
                            "  X: 10.0% -> 20.0%\n  Z: n/a -> 25.0%\n"),
              "%s", r.out);
    cr_expect(strstr(r.out, "\nbacklog share of F moved for 1 company (n/a: "
                            "no rpo)\n  X: 40.0% -> 20.0%\n"),
              "%s", r.out);
    run_free(&r);
    const char *b[] = {"diff", old, next, "--year", "27", NULL};
    r = run_cli(b, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: diff: --year '27' is not a year; give a year "
                     "from 1900 to 2999, such as 2027");
    run_free(&r);
    /* no date in either version: said, not guessed */
    char *u1 = temp_file("u1.dot", "digraph {\n  graph [focus=\"F\"]\n  F\n}\n");
    char *u2 = temp_file("u2.dot", "digraph {\n  graph [focus=\"F\"]\n  F\n"
                                   "  G\n}\n");
    const char *c[] = {"diff", u1, u2, NULL};
    r = run_cli(c, NULL);
    cr_expect_eq(r.status, 1, "%s", r.err);
    cr_expect(strstr(r.out, "dependence and backlog shares not compared: "
                            "neither ledger has a date to take a year from; "
                            "give --year"),
              "%s", r.out);
    run_free(&r);
    free(u1);
    free(u2);
    free(old);
    free(next);
}
