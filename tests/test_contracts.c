/*
 * test_contracts.c - the exposure matrix on contracts (contracts.h,
 * PRODUCT.md section 8). Every expected figure is derived by hand in the
 * comment above it.
 */
#include "dealgraph/contracts.h"
#include "support.h"

#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#define B 1e9

#define assert_near(actual, expected)                                        \
    do {                                                                     \
        double a_ = (actual), e_ = (expected);                               \
        double t_ = 1e-9 * (fabs(e_) > 1.0 ? fabs(e_) : 1.0);                \
        cr_assert(fabs(a_ - e_) <= t_, "%s = %.17g, expected %.17g",         \
                  #actual, a_, e_);                                          \
    } while (0)

/* Valuation date 2025-12-31, so the two-year window runs January 2026 to
 * December 2027 (24 months).
 *  L1 S -> F equity 30B, funded 12B, definitive: S's stake in F is what it
 *     paid in, 12B; the unfunded 18B is no claim yet.
 *  L2 N -> F equity "up to" 100B, loi: a pledge, 0.
 *  L3 F -> O cloud 300B, 2027-2031 (60 months of 5B): 12 months in the
 *     window, 60B due; O's claim on F is 0.35 x 60B = 21B.
 *  L4 F -> M cloud 12B a year, July 2025 - June 2026 (1B a month): six
 *     months in the window, 6B due; M's claim 0.35 x 6B = 2.1B.
 *  L5 V -> F equity 30B, completed: V's stake in F is 30B; F has no claim
 *     on V (the old face-value mapping counted the leg both ways).
 *  L6 A -> F warrant 10B, completed: F, the holder, has a claim of 10B on
 *     A, the issuer; A none on F; a warrant owes shares, not cash.
 *  L7 N -> C backstop 6B, 2026-2027: C's claim on N 1 x 6B; 6B due.
 *  L8 F -> M cloud 250B without a period: unscheduled, nothing in the
 *     window, reported apart.
 *  L9 F -> N chips 20B in 2026, talks: a pledge, 0. */
static const char ledger[] =
    "digraph t {\n"
    " graph [focus=\"F\", as_of=\"2025-12-31\"];\n"
    " \"S\" -> \"F\" [kind=\"equity\", amount=\"30B\", funded=\"12B\", "
    "status=\"definitive\", announced=\"2025-03-01\", start=\"2025\"];\n"
    " \"N\" -> \"F\" [kind=\"equity\", amount=\"100B\", upto=\"true\", "
    "status=\"loi\", announced=\"2025-09-22\", start=\"2026\"];\n"
    " \"F\" -> \"O\" [kind=\"cloud\", amount=\"300B\", status=\"reported\", "
    "announced=\"2025-09-10\", start=\"2027\", end=\"2031\"];\n"
    " \"F\" -> \"M\" [kind=\"cloud\", amount=\"12B\", per=\"year\", "
    "status=\"definitive\", announced=\"2025-06\", start=\"2025-07\", "
    "end=\"2026-06\"];\n"
    " \"V\" -> \"F\" [kind=\"equity\", amount=\"30B\", status=\"completed\", "
    "announced=\"2025-03-31\", start=\"2025\"];\n"
    " \"A\" -> \"F\" [kind=\"warrant\", amount=\"10B\", status=\"completed\", "
    "announced=\"2025-10\", start=\"2026\"];\n"
    " \"N\" -> \"C\" [kind=\"backstop\", amount=\"6B\", "
    "status=\"definitive\", announced=\"2025-09\", start=\"2026\", "
    "end=\"2027\"];\n"
    " \"F\" -> \"M\" [kind=\"cloud\", amount=\"250B\", term=\"unknown\", "
    "status=\"definitive\", announced=\"2025-10-28\"];\n"
    " \"F\" -> \"N\" [kind=\"chips\", amount=\"20B\", status=\"talks\", "
    "announced=\"2025-11\", start=\"2026\", end=\"2026\"];\n"
    "}\n";

static dg_ledger *L;
static dg_contracts C;

static void build(const dg_contract_options *o)
{
    dg_diags d;
    dg_diags_init(&d);
    int rc = dg_contracts_build(L, o, &C, &d);
    cr_assert_eq(rc, DG_OK, "rc %d: %s", rc, first_error(&d));
    dg_diags_finish(&d);
}

static void setup(void)
{
    L = must_load_dot(ledger);
}

static void teardown(void)
{
    dg_contracts_finish(&C);
    dg_ledger_destroy(L);
}

TestSuite(contracts, .init = setup, .fini = teardown);

/* A_ij: what i loses if j fails. */
static double A(const char *i, const char *j)
{
    return C.exposure[C.rank[must_find(L, i)] * C.n + C.rank[must_find(L, j)]];
}

/* L_ij: what i owes j within the horizon. */
static double due(const char *i, const char *j)
{
    return C.due[C.rank[must_find(L, i)] * C.n + C.rank[must_find(L, j)]];
}

Test(contracts, the_window_is_the_two_years_after_the_valuation_date)
{
    dg_contract_options o;
    dg_contract_options_init(&o);
    build(&o);
    char a[16], b[16];
    cr_expect_str_eq(dg_month_text(C.first_month, a, sizeof a), "2026-01");
    cr_expect_str_eq(dg_month_text(C.end_month - 1, b, sizeof b), "2027-12");
    cr_expect_eq(C.first_year, 2026);
    cr_expect_eq(C.nyears, 2);
}

Test(contracts, a_funded_stake_counts_what_was_paid_in)
{
    dg_contract_options o;
    dg_contract_options_init(&o);
    build(&o);
    assert_near(A("S", "F"), 12 * B);
    /* nothing of it is due in the window: its money moved in 2025 */
    assert_near(due("S", "F"), 0);
}

Test(contracts, an_unfunded_pledge_is_no_claim)
{
    dg_contract_options o;
    dg_contract_options_init(&o);
    build(&o);
    assert_near(A("N", "F"), 0);
    assert_near(A("F", "N"), 0);
    assert_near(due("N", "F"), 0);
    assert_near(due("F", "N"), 0);
    /* L2 and L9: 100B + 20B left out as options */
    cr_expect_eq(C.pledges_out, 2);
    assert_near(C.pledged_value, 120 * B);
}

Test(contracts, a_contract_counts_its_payments_inside_the_horizon_only)
{
    dg_contract_options o;
    dg_contract_options_init(&o);
    build(&o);
    assert_near(A("O", "F"), 0.35 * 60 * B);
    assert_near(due("F", "O"), 60 * B);
    assert_near(A("M", "F"), 0.35 * 6 * B);
    assert_near(due("F", "M"), 6 * B);
    /* the buyer has no claim on the seller */
    assert_near(A("F", "O"), 0);
    /* L8 has no period: reported apart, never in the window */
    cr_expect_eq(C.unscheduled, 1);
    assert_near(C.unscheduled_value, 250 * B);
    /* a one-year horizon (January - December 2026) holds none of L3 */
    dg_contracts_finish(&C);
    o.horizon_months = 12;
    build(&o);
    assert_near(A("O", "F"), 0);
    assert_near(A("M", "F"), 0.35 * 6 * B);
}

Test(contracts, a_leg_never_counts_in_both_directions)
{
    dg_contract_options o;
    dg_contract_options_init(&o);
    build(&o);
    assert_near(A("V", "F"), 30 * B);
    assert_near(A("F", "V"), 0);
    assert_near(A("F", "A"), 10 * B);
    assert_near(A("A", "F"), 0);
    assert_near(due("A", "F"), 0); /* shares, not cash */
    assert_near(A("C", "N"), 6 * B);
    assert_near(A("N", "C"), 0);
    assert_near(due("N", "C"), 6 * B);
    /* every leg put at most one entry in A */
    size_t nonzero = 0;
    for (size_t k = 0; k < C.n * C.n; k++)
        nonzero += C.exposure[k] > 0;
    cr_expect_eq(nonzero, 6); /* S-F, O-F, M-F, V-F, F-A, C-N */
}

/* Loss rates given per kind scale the contracts only they name. */
Test(contracts, loss_rates_apply_per_kind)
{
    dg_contract_options o;
    dg_contract_options_init(&o);
    o.lgd[DG_KIND_CLOUD] = 0.14;
    o.lgd[DG_KIND_EQUITY] = 0.5;
    build(&o);
    assert_near(A("O", "F"), 0.14 * 60 * B);
    assert_near(A("S", "F"), 0.5 * 12 * B);
    assert_near(A("C", "N"), 6 * B);
    assert_near(due("F", "O"), 60 * B); /* obligations are LGD-free */
}

/* With firmness every leg counts at its status's probability (completed
 * 1, definitive 0.9, announced 0.75, reported 0.6, loi 0.3, talks 0.15),
 * an "up to" ceiling at half:
 *  L1: 12B paid + 0.9 x (30B scheduled by 2027 - 12B) = 28.2B
 *  L2: 0.3 x 0.5 x 100B (scheduled January 2026) = 15B
 *  L3: 0.6 x 21B = 12.6B      L4: 0.9 x 2.1B = 1.89B
 *  L5: 30B, L6: 10B (completed)   L7: 0.9 x 6B = 5.4B
 *  L9: 0.15 x 0.5 x 20B = 1.5B, N's claim as F's chip seller, beside L2's
 *      stake of N in F: A(N, F) = 15B + 1.5B = 16.5B
 * and the obligations due: F -> O 0.6 x 60B = 36B; F -> M 0.9 x 6B =
 * 5.4B; N -> C 5.4B; N -> F 0.15 x 100B = 15B; F -> N 0.15 x 20B = 3B. */
Test(contracts, firmness_weights_every_leg_by_its_probability)
{
    dg_contract_options o;
    dg_contract_options_init(&o);
    o.firmness = true;
    build(&o);
    assert_near(A("S", "F"), 28.2 * B);
    assert_near(A("O", "F"), 12.6 * B);
    assert_near(A("M", "F"), 1.89 * B);
    assert_near(A("V", "F"), 30 * B);
    assert_near(A("F", "A"), 10 * B);
    assert_near(A("C", "N"), 5.4 * B);
    assert_near(A("N", "F"), 16.5 * B);
    assert_near(A("F", "N"), 0);
    cr_expect_eq(C.pledges_out, 0);
    assert_near(due("F", "O"), 36 * B);
    assert_near(due("F", "M"), 5.4 * B);
    assert_near(due("N", "C"), 5.4 * B);
    assert_near(due("N", "F"), 15 * B);
    assert_near(due("F", "N"), 3 * B);
}

/* L9 is N's claim on F (a chip order from F): 1.5B under firmness. */
Test(contracts, a_pledged_order_counts_at_its_probability_with_firmness)
{
    dg_contract_options o;
    dg_contract_options_init(&o);
    o.firmness = true;
    build(&o);
    const dg_contract_leg *l9 = &C.legs[8];
    cr_assert_eq(l9->leg, 8);
    cr_expect_eq(l9->holder, must_find(L, "N"));
    assert_near(l9->claim, 1.5 * B);
    /* all probabilities 1 and ceilings in full: every leg at face within
     * the window, as scheduled: N's claim on F is L2's 100B stake plus
     * 0.5 x L9's 20B */
    dg_contracts_finish(&C);
    for (int k = 0; k < DG_STATUS_COUNT; k++)
        o.prob.status[k] = 1;
    o.prob.ceiling = 1;
    build(&o);
    assert_near(C.legs[8].claim, 0.5 * 20 * B);
    assert_near(A("S", "F"), 30 * B);
    assert_near(A("N", "F"), 110 * B);
}

/* The window starts with the first month that has a day after t0. */
Test(contracts, the_window_starts_after_the_valuation_date)
{
    static const struct {
        const char *t0, *first;
    } cases[] = {
        {"2025-12-31", "2026-01"}, {"2025-12-30", "2025-12"},
        {"2024-02-29", "2024-03"}, {"2024-02-28", "2024-02"},
        {"2025-02-28", "2025-03"}, {"2026-01", "2026-01"},
        {"2026", "2026-01"},       {"2026-04-30", "2026-05"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        dg_contract_options o;
        dg_contract_options_init(&o);
        cr_assert(dg_date_parse(cases[k].t0, &o.t0));
        build(&o);
        char m[16];
        cr_expect_str_eq(dg_month_text(C.first_month, m, sizeof m),
                         cases[k].first, "t0 %s", cases[k].t0);
        dg_contracts_finish(&C);
    }
}

/* Legs announced after the valuation date do not exist yet. */
Test(contracts, legs_announced_after_the_valuation_date_are_left_out)
{
    dg_contract_options o;
    dg_contract_options_init(&o);
    cr_assert(dg_date_parse("2025-09-15", &o.t0));
    build(&o);
    /* L3 (2025-09-10) is in, L8 (2025-10-28) and L9 (2025-11) out; the
     * window is September 2025 - August 2027, 8 months of L3 in 2027 */
    assert_near(A("O", "F"), 0.35 * 40 * B);
    cr_expect_eq(C.unscheduled, 0);
    cr_expect(C.filtered >= 3, "%zu", C.filtered);
}

Test(contracts, no_valuation_date_is_an_error)
{
    dg_ledger *l = must_load_dot("digraph t {\n \"A\" -> \"B\" "
                                 "[kind=\"cloud\", amount=\"1B\", "
                                 "status=\"definitive\", "
                                 "announced=\"2025\"];\n}\n");
    dg_contract_options o;
    dg_contract_options_init(&o);
    dg_diags d;
    dg_diags_init(&d);
    dg_contracts c;
    cr_expect_eq(dg_contracts_build(l, &o, &c, &d), DG_EINPUT);
    char want[512];
    snprintf(want, sizeof want,
             "0: the stress on contracts needs a valuation date, and %s "
             "sets no `as_of`",
             l->path);
    cr_expect_str_eq(first_error(&d), want);
    dg_contracts_finish(&c);
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

Test(contracts, bad_options_are_usage_errors)
{
    dg_diags d;
    dg_diags_init(&d);
    dg_contract_options o;
    dg_contracts c;
    dg_contract_options_init(&o);
    o.horizon_months = 0;
    cr_expect_eq(dg_contracts_build(L, &o, &c, &d), DG_EUSAGE);
    dg_contract_options_init(&o);
    o.lgd[DG_KIND_CHIPS] = 1.5;
    cr_expect_eq(dg_contracts_build(L, &o, &c, &d), DG_EUSAGE);
    dg_contract_options_init(&o);
    o.prob.status[DG_STATUS_LOI] = NAN;
    cr_expect_eq(dg_contracts_build(L, &o, &c, &d), DG_EUSAGE);
    dg_contract_options_init(&o);
    o.prob.ceiling = -0.1;
    cr_expect_eq(dg_contracts_build(L, &o, &c, &d), DG_EUSAGE);
    cr_expect_eq(d.count, 0);
    dg_diags_finish(&d);
}
