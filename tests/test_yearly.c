/*
 * test_yearly.c - exposure per year (yearly.h) and `dealgraph exposure
 * --basis year`.
 *
 * The figures of the toy ledger are those of /work/shared/REFERENCE-VALUES.md,
 * "Schedules, dependence, backlog and coverage", derived there by hand from
 * the schedule rules; the others are derived in the comment beside each
 * test. Money is checked to the cent, ratios to 1e-7.
 */
#include "dealgraph/yearly.h"
#include "support.h"

#include <criterion/criterion.h>
#include <igraph.h>
#include <jansson.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void quiet_igraph(void)
{
    igraph_set_error_handler(igraph_error_handler_ignore);
}

TestSuite(yearly, .init = quiet_igraph);

#define B *1e9

#define assert_money(actual, expected)                                       \
    do {                                                                     \
        double a_ = (actual), e_ = (expected);                               \
        cr_assert(fabs(a_ - e_) <= 0.005, "%s = %.2f, expected %.2f",        \
                  #actual, a_, e_);                                          \
    } while (0)

#define assert_ratio(actual, expected)                                       \
    do {                                                                     \
        double a_ = (actual), e_ = (expected);                               \
        cr_assert(fabs(a_ - e_) <= 1e-7, "%s = %.10f, expected %.10f",       \
                  #actual, a_, e_);                                          \
    } while (0)

#define assert_nan(actual)                                                   \
    cr_assert(isnan(actual), "%s = %.17g, expected n/a", #actual,            \
              (double)(actual))

/* The toy ledger of REFERENCE-VALUES.md, as given there. */
/* tests/cases/reference-toy.dot, read once (support.c) */
#define toy reference_toy()

/* The figures of `l` for the focus `focus`, years first..last. */
static dg_yearly compute(const dg_ledger *l, const char *focus, int first,
                         int last)
{
    dg_yearly_options o;
    dg_yearly_options_init(&o);
    o.first_year = first;
    o.last_year = last;
    dg_diags d;
    dg_diags_init(&d);
    dg_yearly y;
    int rc = dg_yearly_compute(l, must_find(l, focus), &o, &y, &d);
    cr_assert_eq(rc, DG_OK, "rc %d: %s", rc, first_error(&d));
    dg_diags_finish(&d);
    return y;
}

static const dg_yearly_row *row(const dg_ledger *l, const dg_yearly *y,
                                int year, const char *name)
{
    const dg_yearly_row *r =
        dg_yearly_row_of(y, dg_yearly_year_of(y, year), must_find(l, name));
    cr_assert(r, "no row for %s in %d", name, year);
    return r;
}

static const dg_yearly_backlog *backlog_of(const dg_ledger *l,
                                           const dg_yearly *y,
                                           const char *name)
{
    size_t c = must_find(l, name);
    for (size_t k = 0; k < y->nbacklog; k++)
        if (y->backlog[k].company == c)
            return &y->backlog[k];
    cr_assert_fail("no backlog row for %s", name);
    return NULL;
}

/* ---- the REFERENCE-VALUES toy ------------------------------------------------ */

/* 2027: L pays O 75 (A 60 + D 15), M 60 (B), N 20 (E 10 + F 10; J is
 * undisclosed, G unscheduled). Revenue dependence on L: O 75/100 = 0.75,
 * M 60/300 = 0.2, N 20/250 = 0.08 (not a 10% customer of N). */
Test(yearly, toy_revenue_dependence_in_2027)
{
    dg_ledger *l = must_load_dot(toy);
    dg_yearly y = compute(l, "L", 2027, 2027);
    const dg_yearly_row *o = row(l, &y, 2027, "O"), *m = row(l, &y, 2027, "M"),
                        *n = row(l, &y, 2027, "N"), *s = row(l, &y, 2027, "S");
    assert_money(o->paid, 75 B);
    assert_money(m->paid, 60 B);
    assert_money(n->paid, 20 B);
    assert_ratio(o->dependence.value, 0.75);
    assert_ratio(m->dependence.value, 0.2);
    assert_ratio(n->dependence.value, 0.08);
    cr_expect(o->customer_10pct);
    cr_expect(m->customer_10pct);
    cr_expect_not(n->customer_10pct, "8% is under the 10% of US filings");
    /* O: A and D are scheduled, nothing left out */
    cr_expect_eq(o->dependence.rests, DG_RESTS_ACTUAL);
    cr_expect_eq(o->dependence.bound, DG_BOUND_EXACT);
    /* M: G ($250B, no period) is in no year: the figure is a floor */
    cr_expect_eq(m->dependence.rests,
                 DG_RESTS_ACTUAL | DG_RESTS_UNSCHEDULED_APART);
    cr_expect_eq(m->dependence.bound, DG_BOUND_FLOOR);
    cr_expect_eq(m->paid_left_out.unscheduled, 1);
    assert_money(m->paid_left_out.unscheduled_amount, 250 B);
    /* N: J is undisclosed: a floor too */
    cr_expect_eq(n->dependence.rests, DG_RESTS_ACTUAL | DG_RESTS_UNDISCLOSED);
    cr_expect_eq(n->dependence.bound, DG_BOUND_FLOOR);
    /* S has no revenue figure: n/a with the reason, never a number */
    assert_nan(s->dependence.value);
    cr_expect_eq(s->dependence.rests, DG_RESTS_NO_REVENUE);
    cr_expect_not(s->customer_10pct);
    assert_nan(s->revenue);
    dg_yearly_finish(&y);
    dg_ledger_destroy(l);
}

/* The old balancing arithmetic on 2027's flows, named as such. O receives
 * 75 and pays nothing: T = max(75, 0) = 75, ledger share 75/75 = 1 (where
 * its dependence is 0.75). S pays L 0.75 (C, Jan-Mar 2027) and receives
 * nothing from L: 0/0.75 = 0. */
Test(yearly, toy_ledger_share_rests_on_the_balancing_assumption)
{
    dg_ledger *l = must_load_dot(toy);
    dg_yearly y = compute(l, "L", 2027, 2027);
    const dg_yearly_row *o = row(l, &y, 2027, "O"), *s = row(l, &y, 2027, "S");
    assert_ratio(o->ledger_share.value, 1.0);
    cr_expect(o->ledger_share.rests & DG_RESTS_BALANCING);
    assert_ratio(s->ledger_share.value, 0.0);
    cr_expect(s->ledger_share.rests & DG_RESTS_BALANCING);
    dg_yearly_finish(&y);
    dg_ledger_destroy(l);
}

/* L's commitments scheduled in 2027: 155; coverage 30/155 = 0.1935484. J
 * (undisclosed) and G (no period) leave money out of the commitments, so
 * the coverage is an upper bound and the gap a floor. Gap from 2026 (the
 * year of as_of): 2026: 40 - 20 - 30 = -10; 2027: 155 - 30 - 0 = 125;
 * cumulative to 2027 = 115. */
Test(yearly, toy_coverage_and_funding_gap)
{
    dg_ledger *l = must_load_dot(toy);
    dg_yearly y = compute(l, "L", 2025, 2027);
    cr_expect_eq(y.gap_from, 2026, "the year of the ledger's as_of");
    const dg_yearly_focus *f26 = &dg_yearly_year_of(&y, 2026)->focus;
    const dg_yearly_focus *f27 = &dg_yearly_year_of(&y, 2027)->focus;
    const dg_yearly_focus *f25 = &dg_yearly_year_of(&y, 2025)->focus;
    assert_money(f27->commitments, 155 B);
    assert_money(f27->revenue, 30 B);
    assert_money(f27->funding, 0);
    assert_ratio(f27->coverage.value, 0.1935484);
    cr_expect_eq(f27->coverage.bound, DG_BOUND_CEILING);
    cr_expect_eq(f27->coverage.rests, DG_RESTS_ACTUAL | DG_RESTS_UNDISCLOSED |
                                          DG_RESTS_UNSCHEDULED_APART);
    assert_money(f26->commitments, 40 B);
    assert_money(f26->funding, 30 B);
    assert_money(f26->gap.value, -10 B);
    assert_money(f27->gap.value, 125 B);
    cr_expect_eq(f27->gap.bound, DG_BOUND_FLOOR);
    assert_money(f26->cumulative_gap.value, -10 B);
    assert_money(f27->cumulative_gap.value, 115 B);
    cr_expect(f27->cumulative_gap.rests & DG_RESTS_UNDISCLOSED);
    cr_expect_eq(y.commitments_left_out.undisclosed, 1, "J");
    cr_expect_eq(y.commitments_left_out.unscheduled, 1, "G");
    /* 2025: L has no revenue figure; and the running sum starts in 2026 */
    assert_nan(f25->coverage.value);
    cr_expect_eq(f25->coverage.rests, DG_RESTS_NO_REVENUE);
    assert_nan(f25->gap.value);
    assert_nan(f25->cumulative_gap.value);
    cr_expect_eq(f25->cumulative_gap.rests, DG_RESTS_BEFORE_START);
    dg_yearly_finish(&y);
    dg_ledger_destroy(l);
}

/* Backlog shares: O, after 2026-05-31: A 300 + D 45 (June 2026 - May
 * 2029, 36 months of 1.25) = 345; 345/500 = 0.69. M, after 2026-06-30:
 * B 120 + G 250 (unscheduled, whole) = 370; 370/600 = 0.6166667, with G
 * counted whole and said so. N and S have no rpo: n/a. */
Test(yearly, toy_backlog_shares)
{
    dg_ledger *l = must_load_dot(toy);
    dg_yearly y = compute(l, "L", 2027, 2027);
    cr_expect_eq(y.nbacklog, 4, "every company but the focus");
    const dg_yearly_backlog *o = backlog_of(l, &y, "O"),
                            *m = backlog_of(l, &y, "M"),
                            *n = backlog_of(l, &y, "N");
    assert_money(o->scheduled, 345 B);
    assert_money(o->unscheduled, 0);
    assert_ratio(o->share.value, 0.69);
    cr_expect_eq(o->share.rests, 0u);
    cr_expect_eq(o->legs, 2);
    assert_money(m->scheduled, 120 B);
    assert_money(m->unscheduled, 250 B);
    assert_ratio(m->share.value, 0.6166667);
    cr_expect_eq(m->share.rests, DG_RESTS_UNSCHEDULED_WHOLE);
    assert_nan(n->share.value);
    cr_expect_eq(n->share.rests, DG_RESTS_NO_RPO);
    dg_yearly_finish(&y);
    dg_ledger_destroy(l);
}

/* Vendor financing, pair N -> L over all years: H 30 / (E 192 + F 100) =
 * 0.1027397, an upper bound because J is undisclosed. Pair M -> L: I 10 /
 * (B 120 + G 250 counted whole) = 10/370 = 0.0270270. Per supplier and
 * year: N finances 30 in 2026 (H, February), nothing in 2027 (0 / 250 =
 * 0); M 5 in 2025 (I, even over 2024-2025). */
Test(yearly, toy_vendor_financing)
{
    dg_ledger *l = must_load_dot(toy);
    dg_yearly y = compute(l, "L", 2025, 2027);
    cr_assert_eq(y.npairs, 2);
    const dg_vendor_pair *m = &y.pairs[0], *n = &y.pairs[1];
    cr_expect_eq(m->supplier, must_find(l, "M"), "by supplier's name");
    cr_expect_eq(n->supplier, must_find(l, "N"));
    cr_expect_eq(n->customer, must_find(l, "L"));
    assert_money(n->financing, 30 B);
    assert_money(n->purchases, 292 B);
    assert_ratio(n->ratio.value, 0.1027397);
    cr_expect_eq(n->ratio.bound, DG_BOUND_CEILING, "J is undisclosed");
    cr_expect_eq(n->ratio.rests, DG_RESTS_UNDISCLOSED);
    cr_expect_eq(n->purchases_left_out.undisclosed, 1);
    assert_money(m->financing, 10 B);
    assert_money(m->purchases, 370 B);
    assert_ratio(m->ratio.value, 10.0 / 370.0);
    cr_expect_eq(m->ratio.rests, DG_RESTS_UNSCHEDULED_WHOLE);
    cr_expect_eq(m->ratio.bound, DG_BOUND_EXACT);

    const dg_yearly_year *y25 = dg_yearly_year_of(&y, 2025),
                         *y26 = dg_yearly_year_of(&y, 2026),
                         *y27 = dg_yearly_year_of(&y, 2027);
    cr_assert_eq(y26->nsuppliers, 2);
    assert_money(y25->suppliers[0].financing, 5 B);
    assert_money(y26->suppliers[1].financing, 30 B);
    assert_nan(y26->suppliers[1].ratio.value);
    cr_expect_eq(y26->suppliers[1].ratio.rests, DG_RESTS_NO_REVENUE);
    assert_money(y27->suppliers[1].financing, 0);
    assert_ratio(y27->suppliers[1].ratio.value, 0.0);
    cr_expect_eq(y27->suppliers[1].ratio.rests, DG_RESTS_ACTUAL);
    dg_yearly_finish(&y);
    dg_ledger_destroy(l);
}

/* ---- revenue bases ------------------------------------------------------------ */

/* F pays X 20B in 2027 (per year over 2027); X's 2027 revenue is guidance,
 * 2028's an estimate: the dependence carries the basis of the figure it
 * divides by. 20/80 = 0.25 in 2027; 2028 has no payment: 0/100 = 0. */
Test(yearly, the_basis_of_the_revenue_figure_is_carried)
{
    dg_ledger *l = must_load_dot(
        "digraph {\n  graph [focus=\"F\"];\n"
        "  X [revenue=\"2027:80B guidance, 2028:100B estimate\"];\n"
        "  F -> X [kind=\"cloud\", amount=\"20B\", per=\"year\", "
        "start=\"2027\", end=\"2027\", status=\"definitive\", "
        "announced=\"2026\"];\n}\n");
    dg_yearly y = compute(l, "F", 2027, 2028);
    const dg_yearly_row *x27 = row(l, &y, 2027, "X"),
                        *x28 = row(l, &y, 2028, "X");
    assert_ratio(x27->dependence.value, 0.25);
    cr_expect_eq(x27->dependence.rests, DG_RESTS_GUIDANCE);
    cr_expect_eq(x27->revenue_basis, DG_BASIS_GUIDANCE);
    assert_ratio(x28->dependence.value, 0.0);
    cr_expect_eq(x28->dependence.rests, DG_RESTS_ESTIMATE);
    dg_yearly_finish(&y);
    dg_ledger_destroy(l);
}

/* ---- the ecological measures on one year's flows -------------------------------- */

/* REFERENCE-VALUES "Two companies" arranged as 2027's flows: A -> B 15, B
 * -> A 5 (per year, 2027 only); A receives 10 from outside: its 2027
 * revenue is 15, so z_A = 15 - 5 = 10. B has no revenue figure: z_B is the
 * balancing term max(0, 5 - 15) = 0, and is named so.
 * T_A = 5 + 10 = 15, T_B = 15 + 0 = 15, TST 30. Q_AB = F_BA / T_A = 1/3,
 * Q_BA = F_AB / T_B = 1; N' = (I - Q)^-1 = [[3/2, 1/2], [3/2, 3/2]].
 * FCI = (1 - 2/3) 15/30 + (1 - 2/3) 15/30 = 1/3. With A the focus: B's
 * pass-through D_BA = N'_BA / N'_AA = 1, origin O_BA = N'_BA z_A / T_A =
 * 3/2 * 10/15 = 1, direct inflow share 15/15 = 1, inflow HHI 10000; A's
 * cycling share (3/2 - 1) / (3/2) = 1/3; A's HHI (5/15)^2 * 10000 =
 * 1111.1111. */
static const char two_companies[] =
    "digraph {\n  graph [focus=\"A\"];\n"
    "  A [revenue=\"2027:15B\"];\n  B%s;\n"
    "  A -> B [kind=\"cloud\", amount=\"15B\", per=\"year\", start=\"2027\", "
    "end=\"2027\", status=\"definitive\", announced=\"2026\"];\n"
    "  B -> A [kind=\"services\", amount=\"5B\", per=\"year\", "
    "start=\"2027\", end=\"2027\", status=\"definitive\", "
    "announced=\"2026\"];\n}\n";

static dg_ledger *two(const char *b_attrs)
{
    char text[2048];
    snprintf(text, sizeof text, two_companies, b_attrs);
    return must_load_dot(text);
}

Test(yearly, two_companies_fci_is_one_third_on_a_year_of_flows)
{
    dg_ledger *l = two("");
    dg_yearly y = compute(l, "A", 2027, 2027);
    const dg_yearly_year *yy = dg_yearly_year_of(&y, 2027);
    cr_assert(yy->network);
    assert_ratio(yy->fci, 1.0 / 3.0);
    assert_money(yy->tst, 30 B);
    assert_ratio(yy->focus_cycling_share, 1.0 / 3.0);
    const dg_yearly_row *a = row(l, &y, 2027, "A"), *b = row(l, &y, 2027, "B");
    assert_money(a->outside_inflow, 10 B);
    cr_expect_eq(a->outside_rests, DG_RESTS_ACTUAL);
    assert_money(b->outside_inflow, 0);
    cr_expect_eq(b->outside_rests, DG_RESTS_BALANCING);
    assert_money(a->throughflow, 15 B);
    assert_money(b->throughflow, 15 B);
    assert_ratio(b->pass_through_share, 1.0);
    assert_ratio(b->origin_share, 1.0);
    assert_ratio(b->direct_inflow_share, 1.0);
    assert_ratio(b->inflow_hhi, 10000.0);
    assert_ratio(a->inflow_hhi, 10000.0 / 9.0);
    /* B's ledger share: 15 / max(15, 5) = 1; its dependence is n/a */
    assert_ratio(b->ledger_share.value, 1.0);
    assert_nan(b->dependence.value);
    dg_yearly_finish(&y);
    dg_ledger_destroy(l);
}

/* The same with B's 2027 revenue 12B, under its ledger inflow of 15B: the
 * outside inflow cannot be negative, so z_B = 0 (said so), and every
 * figure is as above. B's dependence: 15/12 = 1.25 (L pays more than the
 * revenue B reports: a figure to question, and shown as it is). */
Test(yearly, revenue_below_ledger_inflow_gives_no_outside_inflow)
{
    dg_ledger *l = two(" [revenue=\"2027:12B\"]");
    dg_yearly y = compute(l, "A", 2027, 2027);
    const dg_yearly_row *b = row(l, &y, 2027, "B");
    assert_money(b->outside_inflow, 0);
    cr_expect_eq(b->outside_rests, DG_RESTS_ACTUAL);
    cr_expect(b->outside_clamped);
    assert_ratio(dg_yearly_year_of(&y, 2027)->fci, 1.0 / 3.0);
    assert_ratio(b->dependence.value, 1.25);
    dg_yearly_finish(&y);
    dg_ledger_destroy(l);
}

/* A and B pay each other 10B in 2027 and neither has revenue: each one's
 * balancing term is max(0, 10 - 10) = 0, so the money cycles with nothing
 * from outside. The year's network figures are n/a and say why; the other
 * figures stand. */
Test(yearly, a_singular_year_has_no_network_figures_and_says_why)
{
    dg_ledger *l = must_load_dot(
        "digraph {\n  graph [focus=\"A\"];\n  A;\n  B;\n"
        "  A -> B [kind=\"cloud\", amount=\"10B\", per=\"year\", "
        "start=\"2027\", end=\"2027\", status=\"definitive\", "
        "announced=\"2026\"];\n"
        "  B -> A [kind=\"cloud\", amount=\"10B\", per=\"year\", "
        "start=\"2027\", end=\"2027\", status=\"definitive\", "
        "announced=\"2026\"];\n}\n");
    dg_yearly y = compute(l, "A", 2027, 2027);
    const dg_yearly_year *yy = dg_yearly_year_of(&y, 2027);
    cr_expect_not(yy->network);
    cr_assert_not_null(yy->network_error);
    cr_expect(strstr(yy->network_error, "singular system: A, B pass money "
                                        "round among themselves") ==
                  yy->network_error,
              "%s", yy->network_error);
    assert_nan(yy->fci);
    assert_money(row(l, &y, 2027, "B")->paid, 10 B);
    dg_yearly_finish(&y);
    dg_ledger_destroy(l);
}

/* ---- arguments ------------------------------------------------------------------- */

Test(yearly, years_that_run_backwards_are_refused)
{
    dg_ledger *l = must_load_dot(toy);
    dg_yearly_options o;
    dg_yearly_options_init(&o);
    o.first_year = 2028;
    o.last_year = 2027;
    dg_diags d;
    dg_diags_init(&d);
    dg_yearly y;
    cr_expect_eq(dg_yearly_compute(l, 0, &o, &y, &d), DG_EUSAGE);
    cr_assert_eq(d.count, 1);
    cr_expect_str_eq(d.items[0].message,
                     "the years 2028-2027 run backwards; give years from "
                     "1900 to 2999, the first not after the last");
    dg_yearly_finish(&y);
    dg_diags_finish(&d);
    o.first_year = 2027;
    o.last_year = 2027;
    dg_diags_init(&d);
    cr_expect_eq(dg_yearly_compute(l, l->ncompanies, &o, &y, &d), DG_EUSAGE,
                 "a focus that is no company");
    dg_yearly_finish(&y);
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

Test(yearly, the_default_year_is_the_as_of_year)
{
    dg_ledger *l = must_load_dot(toy);
    dg_year_from from;
    cr_expect_eq(dg_yearly_default_year(l, NULL, &from), 2026);
    cr_expect_eq(from, DG_YEAR_FROM_LEDGER);
    dg_filter f;
    dg_filter_init(&f);
    dg_date_parse("2025-12-31", &f.as_of);
    cr_expect_eq(dg_yearly_default_year(l, &f, &from), 2025);
    cr_expect_eq(from, DG_YEAR_FROM_FILTER);
    dg_ledger_destroy(l);
    /* no as_of: the latest announcement */
    l = two("");
    cr_expect_eq(dg_yearly_default_year(l, NULL, &from), 2026);
    cr_expect_eq(from, DG_YEAR_FROM_LATEST);
    dg_ledger_destroy(l);
}

Test(yearly, names_of_what_a_figure_rests_on)
{
    cr_expect_str_eq(dg_rests_name(DG_RESTS_GUIDANCE), "guidance");
    cr_expect_str_eq(dg_rests_name(DG_RESTS_UNSCHEDULED_WHOLE),
                     "unscheduled_whole");
    cr_expect_str_eq(dg_rests_name(DG_RESTS_BEFORE_START), "before_start");
    cr_expect_null(dg_rests_name(3u));
    cr_expect_str_eq(dg_bound_name(DG_BOUND_CEILING), "ceiling");
}

/* ---- the command ------------------------------------------------------------------- */

TestSuite(yearly_cli);

static run_result exposure(const char *const *args)
{
    const char *argv[20] = {"exposure"};
    size_t n = 1;
    for (; args[n - 1] && n < 19; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    return run_cli(argv, NULL);
}

/* The cells of a text table's line: runs of two or more blanks separate
 * them (a cell such as "no revenue figure" holds single blanks). */
static size_t cells(const char *line, char out[][64], size_t max)
{
    size_t n = 0;
    const char *p = line;
    while (*p == ' ')
        p++;
    while (*p && *p != '\n' && n < max) {
        size_t k = 0;
        while (*p && *p != '\n' && !(p[0] == ' ' && p[1] == ' ') &&
               !(p[0] == ' ' && (p[1] == '\n' || !p[1])) && k < 63)
            out[n][k++] = *p++;
        out[n++][k] = '\0';
        while (*p == ' ')
            p++;
    }
    return n;
}

/* `text` with the wrapped lines of its notes joined (in place): a note's
 * continuation lines start with four blanks. */
static char *unwrap(char *text)
{
    char *w = text;
    for (const char *p = text; *p; p++) {
        if (p[0] == '\n' && strncmp(p + 1, "    ", 4) == 0 && p[5] != ' ') {
            *w++ = ' ';
            p += 4;
            continue;
        }
        *w++ = *p;
    }
    *w = '\0';
    return text;
}

/* The line of `text` that starts with `start` followed by two blanks (a
 * table row of that company), after `after`. */
static const char *table_row(const char *text, const char *after,
                             const char *start)
{
    const char *p = strstr(text, after);
    cr_assert(p, "no \"%s\" in:\n%s", after, text);
    char want[128];
    snprintf(want, sizeof want, "\n%s  ", start);
    p = strstr(p, want);
    cr_assert(p, "no row %s after \"%s\" in:\n%s", start, after, text);
    return p + 1;
}

static void expect_cells(const char *line, const char *const *want, size_t n)
{
    char got[16][64];
    size_t k = cells(line, got, 16);
    cr_assert_eq(k, n, "%zu cells in \"%.*s\"", k, (int)strcspn(line, "\n"),
                 line);
    for (size_t i = 0; i < n; i++)
        cr_expect_str_eq(got[i], want[i], "cell %zu of \"%.*s\"", i,
                         (int)strcspn(line, "\n"), line);
}

/* The REFERENCE-VALUES figures for 2027 as the table prints them: O 75%
 * of its revenue and a 10% customer; M at least 20% (G has no period);
 * N at least 8% (J undisclosed), not a 10% customer; S n/a, no revenue
 * figure. Backlog O 69.0%, M 61.7%; ledger shares on the balancing
 * assumption, in the column named so. */
Test(yearly_cli, the_toy_in_2027)
{
    char *path = temp_file("toy.dot", toy);
    const char *a[] = {path, "--year", "2027", NULL};
    run_result r = exposure(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(first_line(r.out), "Exposure to L in 2027");
    const char *dep = "Revenue dependence on L in 2027";
    expect_cells(table_row(r.out, dep, "company"),
                 (const char *[]){"company", "paid by L", "revenue", "basis",
                                  "dependence", "10% customer",
                                  "backlog share",
                                  "ledger share (balancing)"},
                 8);
    expect_cells(table_row(r.out, dep, "O"),
                 (const char *[]){"O", "$75B", "$100B", "actual", "75.0%",
                                  "yes", "69.0%", "100.0%"},
                 8);
    expect_cells(table_row(r.out, dep, "M"),
                 (const char *[]){"M", "$60B", "$300B", "actual", ">=20.0%",
                                  "yes", "61.7%", "~100.0%"},
                 8);
    expect_cells(table_row(r.out, dep, "N"),
                 (const char *[]){"N", "$20B", "$250B", "actual", ">=8.0%",
                                  "no", "n/a", "~100.0%"},
                 8);
    /* S: L pays it nothing, and it has no revenue figure: n/a, never 0 */
    expect_cells(table_row(r.out, dep, "S"),
                 (const char *[]){"S", "$0", "no revenue figure", "n/a",
                                  "n/a", "0.0%"},
                 6);
    /* the rows by dependence: O, M, N, then S (n/a) */
    cr_expect(strstr(r.out, "\nO  ") < strstr(r.out, "\nM  ") &&
              strstr(r.out, "\nM  ") < strstr(r.out, "\nN  ") &&
              strstr(r.out, "\nN  ") < strstr(r.out, "\nS  "));
    cr_expect(strstr(r.out, "coverage (revenue / payments): <=19.4% (an "
                            "upper bound: the payments are a floor)"),
              "%s", r.out);
    cr_expect(strstr(r.out, "funding gap (payments - revenue - funding): "
                            ">=$125B\n"),
              "%s", r.out);
    cr_expect(strstr(r.out, "cumulative gap 2026-2027: >=$115B\n"), "%s",
              r.out);
    cr_expect(strstr(r.out, "$155B, a floor: 1 undisclosed leg and $250B "
                            "without a delivery period out of it are in no "
                            "year"),
              "%s", r.out);
    expect_cells(table_row(r.out, "Per pair, all years", "N"),
                 (const char *[]){"N", "L", "$30B", "$292B", "<=10.3%"}, 5);
    /* the notes name what each figure lacks or rests on */
    unwrap(r.out);
    cr_expect(strstr(r.out, "No revenue figure for 2027, so its revenue "
                            "dependence is n/a and the network measures take "
                            "its outside inflow from the balancing term"),
              "%s", r.out);
    cr_expect(strstr(r.out, "N -> L vendor financing ratio: an upper bound: "
                            "purchases leave out 1 undisclosed leg."),
              "%s", r.out);
    cr_expect(strstr(r.out, "M: the backlog share counts $250B without a "
                            "delivery period whole"),
              "%s", r.out);
    run_free(&r);
    free(path);
}

/* The same figures in JSON, to 1e-7, with what they rest on. */
Test(yearly_cli, the_toy_in_json)
{
    char *path = temp_file("toy.dot", toy);
    const char *a[] = {path, "--year", "2027", "--format", "json", NULL};
    run_result r = exposure(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    json_error_t err;
    json_t *doc = json_loads(r.out, 0, &err);
    cr_assert(doc, "not JSON: %s", err.text);
    cr_expect_str_eq(json_string_value(json_object_get(doc, "basis")),
                     "year");
    json_t *y = json_array_get(json_object_get(doc, "years"), 0);
    cr_expect_eq(json_integer_value(json_object_get(y, "year")), 2027);
    json_t *cs = json_object_get(y, "companies");
    /* the focus, then O, M, N, S */
    json_t *n = json_array_get(cs, 3);
    cr_expect_str_eq(json_string_value(json_object_get(n, "name")), "N");
    json_t *dep = json_object_get(n, "dependence");
    assert_ratio(json_real_value(json_object_get(dep, "value")), 0.08);
    cr_expect_str_eq(json_string_value(json_object_get(dep, "bound")),
                     "floor");
    cr_expect_str_eq(
        json_string_value(json_array_get(json_object_get(dep, "rests"), 1)),
        "undisclosed");
    cr_expect(json_is_false(json_object_get(n, "customer_10pct")));
    json_t *s = json_array_get(cs, 4);
    cr_expect(json_is_null(json_object_get(json_object_get(s, "dependence"),
                                           "value")));
    cr_expect_str_eq(json_string_value(json_array_get(
                         json_object_get(json_object_get(s, "dependence"),
                                         "rests"),
                         0)),
                     "no_revenue");
    cr_expect(json_is_null(json_object_get(s, "customer_10pct")));
    json_t *f = json_object_get(y, "focus");
    assert_ratio(json_real_value(json_object_get(
                     json_object_get(f, "coverage"), "value")),
                 0.1935484);
    assert_money(json_real_value(json_object_get(
                     json_object_get(f, "cumulative_gap"), "value")),
                 115 B);
    json_t *pair = json_array_get(json_object_get(doc, "vendor_pairs"), 1);
    cr_expect_str_eq(json_string_value(json_object_get(pair, "supplier")),
                     "N");
    assert_ratio(json_real_value(json_object_get(
                     json_object_get(pair, "ratio"), "value")),
                 0.1027397);
    cr_expect_str_eq(json_string_value(json_object_get(
                         json_object_get(pair, "ratio"), "bound")),
                     "ceiling");
    json_t *m = json_array_get(json_object_get(doc, "backlog"), 0);
    cr_expect_str_eq(json_string_value(json_object_get(m, "name")), "M");
    assert_ratio(json_real_value(json_object_get(
                     json_object_get(m, "share"), "value")),
                 0.6166667);
    json_decref(doc);
    run_free(&r);
    free(path);
}

/* One column per year: 2026 and 2027 of the focus's figures (the gap
 * -10, 125, cumulative -10, 115; coverage 20/40 = 50% and 30/155). */
Test(yearly_cli, one_column_per_year)
{
    char *path = temp_file("toy.dot", toy);
    const char *a[] = {path, "--years", "2026-2027", NULL};
    run_result r = exposure(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(first_line(r.out), "Exposure to L, 2026-2027");
    const char *gap = "L's coverage and funding gap";
    expect_cells(table_row(r.out, gap, "coverage"),
                 (const char *[]){"coverage", "<=50.0%", "<=19.4%"}, 3);
    expect_cells(table_row(r.out, gap, "funding gap"),
                 (const char *[]){"funding gap", ">=-$10B", ">=$125B"}, 3);
    expect_cells(table_row(r.out, gap, "cumulative gap"),
                 (const char *[]){"cumulative gap", ">=-$10B", ">=$115B"},
                 3);
    expect_cells(table_row(r.out, "Revenue dependence on L", "O"),
                 (const char *[]){"O", "n/a", "75.0%"}, 3);
    run_free(&r);
    free(path);
}

/* The default year is the ledger's as_of's (2026 for the toy), and says
 * so; --as-of moves it. */
Test(yearly_cli, the_default_year_and_where_it_comes_from)
{
    char *path = temp_file("toy.dot", toy);
    const char *a[] = {path, NULL};
    run_result r = exposure(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(first_line(r.out), "Exposure to L in 2026");
    cr_expect(strstr(r.out, "2026 is the year of the ledger's as_of "
                            "(2026-06-30)"),
              "%s", r.out);
    run_free(&r);
    const char *b[] = {path, "--as-of", "2027-03-31", NULL};
    r = exposure(b);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(first_line(r.out), "Exposure to L in 2027");
    cr_expect(strstr(r.out, "2027 is the year of --as-of (2027-03-31)"), "%s",
              r.out);
    run_free(&r);
    free(path);
}

/* The test: on the shipped ledger in 2027, every company without a
 * revenue figure shows n/a with the reason beside it, never a number; the
 * balancing assumption appears only where named. */
Test(yearly_cli, the_shipped_ledger_in_2027_shows_no_dependence_from_balancing)
{
    char *path = src_path("graphs/ai-2025.dot");
    const char *a[] = {path, "--year", "2027", NULL};
    run_result r = exposure(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *t = strstr(r.out, "Revenue dependence on OpenAI in 2027");
    cr_assert(t, "%s", r.out);
    const char *line = strstr(t, "\n---");
    cr_assert(line);
    line = strchr(line + 1, '\n') + 1;
    size_t rows = 0;
    for (; *line && *line != '\n'; line = strchr(line, '\n') + 1) {
        char c[16][64];
        size_t n = cells(line, c, 16);
        /* a row without revenue: paid, "no revenue figure", "n/a", no
         * 10% flag, backlog, ledger share */
        bool no_revenue = false;
        for (size_t k = 0; k < n; k++)
            no_revenue = no_revenue || strcmp(c[k], "no revenue figure") == 0;
        if (no_revenue) {
            cr_expect_str_eq(c[3], "n/a", "%.*s", (int)strcspn(line, "\n"),
                             line);
            cr_expect_eq(n, 6, "%.*s", (int)strcspn(line, "\n"), line);
        }
        rows++;
    }
    cr_expect_eq(rows, 22, "every company but the focus");
    cr_expect(strstr(r.out, "ledger share (balancing)"));
    unwrap(r.out);
    cr_expect(strstr(r.out, "No revenue figure for 2027, so their revenue "
                            "dependence is n/a"));
    run_free(&r);
    free(path);
}

/* A year whose flows pass money round with nothing from outside: the
 * command still succeeds, and the network section says why it is n/a. */
Test(yearly_cli, a_singular_year_is_said_not_failed)
{
    char *path = temp_file(
        "loop.dot",
        "digraph {\n  graph [focus=\"A\"];\n  A;\n  B;\n"
        "  A -> B [kind=\"cloud\", amount=\"10B\", per=\"year\", "
        "start=\"2027\", end=\"2027\", status=\"definitive\", "
        "announced=\"2026\"];\n"
        "  B -> A [kind=\"cloud\", amount=\"10B\", per=\"year\", "
        "start=\"2027\", end=\"2027\", status=\"definitive\", "
        "announced=\"2026\"];\n}\n");
    const char *a[] = {path, "--year", "2027", NULL};
    run_result r = exposure(a);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "Network measures on 2027's flows\nn/a: "
                            "singular system: A, B pass money round"),
              "%s", r.out);
    run_free(&r);
    free(path);
}

static void expect_usage(const char *const *args, const char *line)
{
    run_result r = exposure(args);
    cr_expect_eq(r.status, 2, "exit %d, stderr: %s", r.status, r.err);
    cr_expect_str_eq(first_line(r.err), line);
    cr_expect_str_eq(r.out, "");
    run_free(&r);
}

Test(yearly_cli, bad_options_exit_2_with_one_clear_line)
{
    char *path = temp_file("toy.dot", toy);
    expect_usage((const char *[]){path, "--year", "20x7", NULL},
                 "dealgraph: exposure: --year '20x7' is not a year; give a "
                 "year from 1900 to 2999, such as 2027");
    expect_usage((const char *[]){path, "--year", "1850", NULL},
                 "dealgraph: exposure: --year '1850' is not a year; give a "
                 "year from 1900 to 2999, such as 2027");
    static const char *const bad_ranges[] = {"2030-2026", "2026-", "26-30",
                                             "2026-2030x", "1900-2999",
                                             "2026..2030", ""};
    for (size_t k = 0; k < sizeof bad_ranges / sizeof *bad_ranges; k++) {
        char want[512];
        snprintf(want, sizeof want,
                 "dealgraph: exposure: --years '%s' is not a range of years; "
                 "give FIRST-LAST from 1900 to 2999, the first not after the "
                 "last, at most 50 years, such as 2026-2030",
                 bad_ranges[k]);
        expect_usage((const char *[]){path, "--years", bad_ranges[k], NULL},
                     want);
    }
    expect_usage((const char *[]){path, "--basis", "yearly", NULL},
                 "dealgraph: exposure: --basis 'yearly' is not a basis; use "
                 "year or total");
    expect_usage((const char *[]){path, "--year", "2027", "--years",
                                  "2026-2028", NULL},
                 "dealgraph: exposure: --year and --years both choose the "
                 "years; give one of them");
    expect_usage((const char *[]){path, "--basis", "total", "--year", "2027",
                                  NULL},
                 "dealgraph: exposure: --basis total adds amounts as given, "
                 "without years; drop --year and --years, or use --basis "
                 "year");
    expect_usage((const char *[]){path, "--sort", "origin", NULL},
                 "dealgraph: exposure: --sort origin orders the tables of "
                 "--basis total; with --basis year the companies come by "
                 "revenue dependence, or by name with --sort name");
    char *empty = temp_file("empty.dot",
                            "digraph {\n  graph [focus=\"A\"];\n  A;\n}\n");
    char want[4096];
    snprintf(want, sizeof want,
             "dealgraph: exposure: %s sets no as_of and has no dated leg to "
             "take a year from; give --year YEAR",
             empty);
    expect_usage((const char *[]){empty, NULL}, want);
    free(path);
    free(empty);
}

/* One year alone is a range of one; --sort name and --top 2: the focus,
 * then M. */
Test(yearly_cli, one_year_as_a_range_and_rows_by_name)
{
    char *path = temp_file("toy.dot", toy);
    const char *a[] = {path, "--years", "2027", "--sort", "name", "--top",
                       "2", "--format", "csv", NULL};
    run_result r = exposure(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *second = strchr(r.out, '\n') + 1;
    cr_expect(strncmp(second, "2027,L,", 7) == 0, "%s", r.out);
    const char *third = strchr(second, '\n') + 1;
    cr_expect(strncmp(third, "2027,M,60000000000,300000000000,actual,0.2",
                      41) == 0,
              "%s", r.out);
    cr_expect_eq(*(strchr(third, '\n') + 1), '\0', "more than 2 rows");
    run_free(&r);
    free(path);
}
