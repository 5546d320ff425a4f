/* The flow calendar (calendar.h) and `dealgraph flows`. The toy ledger and
 * its schedule table are REFERENCE-VALUES.md, "Schedules, dependence,
 * backlog and coverage"; every other expected figure is derived by hand in
 * the comment beside it. Amounts in billions of USD (B) unless said. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dealgraph/calendar.h"
#include "support.h"

#define B 1e9

/* Money to the cent. */
#define expect_usd(actual, expected, ...)                                    \
    do {                                                                     \
        double a_ = (actual), e_ = (expected);                               \
        cr_expect(fabs(a_ - e_) <= 0.005, "%.4f, expected %.4f: " __VA_ARGS__, \
                  a_, e_);                                                   \
    } while (0)

/* REFERENCE-VALUES.md's toy ledger, as written there. */
/* tests/cases/reference-toy.dot, read once (support.c) */
#define toy reference_toy()

/* The schedule table of REFERENCE-VALUES.md, 2024-2031 (B):
 *
 *   leg  2024 2025 2026  2027 2028 2029  2030 2031
 *   A                      60   60   60    60   60   L -> O
 *   B              30      60   30                   L -> M
 *   C         2.25  3    0.75                        S -> L
 *   D              10      15   15  6.25             L -> O
 *   E                      10   39   65    78        L -> N
 *   F                      10   20   30    40        L -> N
 *   G  unscheduled 250                               L -> M
 *   H              30                                N -> L (one-off, the
 *                                                    month announced)
 *   I    5    5                                      M -> L
 *   J  undisclosed                                   L -> N
 *
 * Summed per ordered pair, the pairs in name order (L < M < N < O < S):
 *   L -> M: B                2026 30, 2027 60, 2028 30; G apart
 *   L -> N: E + F            2027 20, 2028 59, 2029 95, 2030 118; J apart
 *   L -> O: A + D            2026 10, 2027 75, 2028 75, 2029 66.25,
 *                            2030 60, 2031 60
 *   M -> L: I                2024 5, 2025 5
 *   N -> L: H                2026 30
 *   S -> L: C                2025 2.25, 2026 3, 2027 0.75 */
typedef struct expected_pair {
    const char *from, *to;
    double by_year[8]; /* 2024..2031 */
} expected_pair;

static const expected_pair toy_pairs[] = {
    {"L", "M", {0, 0, 30, 60, 30, 0, 0, 0}},
    {"L", "N", {0, 0, 0, 20, 59, 95, 118, 0}},
    {"L", "O", {0, 0, 10, 75, 75, 66.25, 60, 60}},
    {"M", "L", {5, 5, 0, 0, 0, 0, 0, 0}},
    {"N", "L", {0, 0, 30, 0, 0, 0, 0, 0}},
    {"S", "L", {0, 2.25, 3, 0.75, 0, 0, 0, 0}},
};
#define NPAIRS (sizeof toy_pairs / sizeof toy_pairs[0])

static dg_ledger *ledger;

static void setup_toy(void) { ledger = must_load_dot(toy); }

static void teardown_toy(void)
{
    dg_ledger_destroy(ledger);
    ledger = NULL;
}

/* The calendar of l over first..last (0, 0: the default). */
static dg_calendar compute(const dg_ledger *l, int first, int last)
{
    dg_calendar_options o;
    dg_calendar_options_init(&o);
    o.first_year = first;
    o.last_year = last;
    dg_diags d;
    dg_diags_init(&d);
    dg_calendar f;
    cr_assert_eq(dg_calendar_compute(l, &o, &f, &d), DG_OK, "%s",
                 first_error(&d));
    dg_diags_finish(&d);
    return f;
}

static const dg_calendar_pair *pair(const dg_calendar *f, const char *from,
                                    const char *to)
{
    const dg_calendar_pair *p = dg_calendar_find(f, must_find(ledger, from),
                                                 must_find(ledger, to));
    cr_assert_not_null(p, "no pair %s -> %s", from, to);
    return p;
}

/* The calendar's leg of deal `deal`. */
static const dg_calendar_leg *leg_of(const dg_calendar *f, const char *deal)
{
    for (size_t k = 0; k < f->nlegs; k++)
        if (strcmp(ledger->legs[f->legs[k].leg].deal, deal) == 0)
            return &f->legs[k];
    cr_assert_fail("no leg of deal %s", deal);
    return NULL;
}

TestSuite(calendar_toy, .init = setup_toy, .fini = teardown_toy);

Test(calendar_toy, default_years_run_from_2024_to_2031)
{
    /* the earliest scheduled month is I's January 2024; as_of 2026-06-30:
     * five years after is 2031 */
    dg_calendar f = compute(ledger, 0, 0);
    cr_expect_eq(f.first_year, 2024);
    cr_expect_eq(f.last_year, 2031);
    cr_expect_eq(f.nyears, 8);
    cr_expect_eq(dg_calendar_year(&f, 2027), 3);
    cr_expect_eq(dg_calendar_year(&f, 2032), -1);
    dg_calendar_finish(&f);
}

Test(calendar_toy, every_pair_and_year_to_the_cent)
{
    dg_calendar f = compute(ledger, 0, 0);
    cr_assert_eq(f.npairs, NPAIRS);
    for (size_t k = 0; k < NPAIRS; k++) {
        const expected_pair *e = &toy_pairs[k];
        /* the pairs come in name order */
        cr_expect_str_eq(ledger->companies[f.pairs[k].from].name, e->from);
        cr_expect_str_eq(ledger->companies[f.pairs[k].to].name, e->to);
        const dg_calendar_pair *p = pair(&f, e->from, e->to);
        for (int y = 0; y < 8; y++)
            expect_usd(p->by_year[y], e->by_year[y] * B, "%s -> %s %d",
                       e->from, e->to, 2024 + y);
        /* nothing before 2024 or after 2031 */
        expect_usd(p->before, 0, "%s -> %s before", e->from, e->to);
        expect_usd(p->after, 0, "%s -> %s after", e->from, e->to);
    }
    /* no leg runs from O to L or from M to N */
    cr_expect_null(dg_calendar_find(&f, must_find(ledger, "O"),
                                    must_find(ledger, "L")));
    cr_expect_null(dg_calendar_find(&f, must_find(ledger, "M"),
                                    must_find(ledger, "N")));
    dg_calendar_finish(&f);
}

Test(calendar_toy, each_leg_keeps_its_own_years)
{
    dg_calendar f = compute(ledger, 0, 0);
    cr_expect_eq(f.nlegs, 10);
    /* D: 1.25 a month, May 2026 - May 2029: 8, 12, 12, 5 months */
    const dg_calendar_leg *d = leg_of(&f, "D");
    const double dy[8] = {0, 0, 10, 15, 15, 6.25, 0, 0};
    for (int y = 0; y < 8; y++)
        expect_usd(d->by_year[y], dy[y] * B, "D %d", 2024 + y);
    expect_usd(d->amount, 46.25 * B, "D in all: 37 months x 1.25");
    /* H: equity without a period, whole in February 2026 */
    const dg_calendar_leg *h = leg_of(&f, "H");
    cr_expect(h->one_off);
    expect_usd(h->by_year[2], 30 * B, "H in 2026");
    /* G and J have no years at all */
    const dg_calendar_leg *g = leg_of(&f, "G"), *j = leg_of(&f, "J");
    cr_expect_eq(g->state, DG_SCHED_UNSCHEDULED);
    cr_expect_null(g->by_year);
    expect_usd(g->amount, 250 * B, "G");
    cr_expect_eq(j->state, DG_SCHED_UNDISCLOSED);
    cr_expect_null(j->by_year);
    cr_expect(isnan(j->amount));
    dg_calendar_finish(&f);
}

Test(calendar_toy, companies_pay_and_receive_the_sums_of_their_pairs)
{
    dg_calendar f = compute(ledger, 0, 0);
    /* L pays L -> M + L -> N + L -> O:
     *   2026 30 + 10 = 40; 2027 60 + 20 + 75 = 155; 2028 30 + 59 + 75 =
     *   164; 2029 95 + 66.25 = 161.25; 2030 118 + 60 = 178; 2031 60
     * L receives M -> L + N -> L + S -> L:
     *   2024 5; 2025 5 + 2.25 = 7.25; 2026 30 + 3 = 33; 2027 0.75 */
    const double l_out[8] = {0, 0, 40, 155, 164, 161.25, 178, 60};
    const double l_in[8] = {5, 7.25, 33, 0.75, 0, 0, 0, 0};
    /* the others: each one pair in, or out */
    const double m_in[8] = {0, 0, 30, 60, 30, 0, 0, 0};
    const double m_out[8] = {5, 5, 0, 0, 0, 0, 0, 0};
    const double n_in[8] = {0, 0, 0, 20, 59, 95, 118, 0};
    const double n_out[8] = {0, 0, 30, 0, 0, 0, 0, 0};
    const double o_in[8] = {0, 0, 10, 75, 75, 66.25, 60, 60};
    const double s_out[8] = {0, 2.25, 3, 0.75, 0, 0, 0, 0};
    const dg_calendar_company *L = &f.companies[must_find(ledger, "L")],
                              *M = &f.companies[must_find(ledger, "M")],
                              *N = &f.companies[must_find(ledger, "N")],
                              *O = &f.companies[must_find(ledger, "O")],
                              *S = &f.companies[must_find(ledger, "S")];
    for (int y = 0; y < 8; y++) {
        expect_usd(L->out[y], l_out[y] * B, "L out %d", 2024 + y);
        expect_usd(L->in[y], l_in[y] * B, "L in %d", 2024 + y);
        expect_usd(M->in[y], m_in[y] * B, "M in %d", 2024 + y);
        expect_usd(M->out[y], m_out[y] * B, "M out %d", 2024 + y);
        expect_usd(N->in[y], n_in[y] * B, "N in %d", 2024 + y);
        expect_usd(N->out[y], n_out[y] * B, "N out %d", 2024 + y);
        expect_usd(O->in[y], o_in[y] * B, "O in %d", 2024 + y);
        expect_usd(O->out[y], 0, "O out %d", 2024 + y);
        expect_usd(S->out[y], s_out[y] * B, "S out %d", 2024 + y);
        expect_usd(S->in[y], 0, "S in %d", 2024 + y);
    }
    /* L's legs: out A B D E F G J = 7, in C H I = 3 */
    cr_expect_eq(L->legs_out, 7);
    cr_expect_eq(L->legs_in, 3);
    /* the whole ledger: 2024 5; 2025 7.25; 2026 30 + 3 + 10 + 30 = 73;
     * 2027 60 + 60 + 0.75 + 15 + 10 + 10 = 155.75; 2028 60 + 30 + 15 + 39
     * + 20 = 164; 2029 60 + 6.25 + 65 + 30 = 161.25; 2030 60 + 78 + 40 =
     * 178; 2031 60. Sum 804.25 = A 300 + B 120 + C 6 + D 46.25 + E 192 +
     * F 100 + H 30 + I 10 (conservation). */
    const double total[8] = {5, 7.25, 73, 155.75, 164, 161.25, 178, 60};
    double sum = 0;
    for (int y = 0; y < 8; y++) {
        expect_usd(f.total[y], total[y] * B, "all %d", 2024 + y);
        sum += f.total[y];
    }
    expect_usd(sum, 804.25 * B, "every scheduled leg, whole");
    cr_expect_eq(f.scheduled_legs, 8);
    cr_expect_eq(f.one_off_legs, 1, "H");
    cr_expect_eq(f.term_unknown_legs, 0);
    dg_calendar_finish(&f);
}

Test(calendar_toy, unscheduled_g_and_undisclosed_j_are_kept_apart)
{
    dg_calendar f = compute(ledger, 0, 0);
    /* G: 250 from L to M, in no year */
    const dg_calendar_pair *lm = pair(&f, "L", "M");
    expect_usd(lm->unscheduled, 250 * B, "L -> M unscheduled");
    cr_expect_eq(lm->unscheduled_legs, 1);
    cr_expect_eq(lm->undisclosed_legs, 0);
    /* J: an undisclosed leg from L to N, counted, no money */
    const dg_calendar_pair *ln = pair(&f, "L", "N");
    cr_expect_eq(ln->undisclosed_legs, 1);
    expect_usd(ln->unscheduled, 0, "L -> N has no unscheduled total");
    const dg_calendar_company *L = &f.companies[must_find(ledger, "L")],
                              *M = &f.companies[must_find(ledger, "M")],
                              *N = &f.companies[must_find(ledger, "N")];
    expect_usd(L->unscheduled_out, 250 * B, "L");
    expect_usd(M->unscheduled_in, 250 * B, "M");
    expect_usd(L->unscheduled_in, 0, "L in");
    cr_expect_eq(L->unscheduled_legs_out, 1);
    cr_expect_eq(L->undisclosed_out, 1);
    cr_expect_eq(N->undisclosed_in, 1);
    cr_expect_eq(M->undisclosed_in, 0);
    expect_usd(f.unscheduled, 250 * B, "the ledger");
    cr_expect_eq(f.unscheduled_legs, 1);
    cr_expect_eq(f.undisclosed_legs, 1);
    /* and neither is in any year: L -> M's years are B's alone (120) */
    double lm_sum = 0;
    for (size_t y = 0; y < f.nyears; y++)
        lm_sum += lm->by_year[y];
    expect_usd(lm_sum, 120 * B, "L -> M scheduled: B only");
    dg_calendar_finish(&f);
}

Test(calendar_toy, narrowed_years_put_the_rest_before_and_after)
{
    dg_calendar f = compute(ledger, 2026, 2029);
    cr_expect_eq(f.nyears, 4);
    /* before 2026: I 5 + 5 (M -> L) and C's 2025 2.25 (S -> L) = 12.25;
     * after 2029: A 2030, 2031 = 120 (L -> O); E 78 + F 40 = 118 (L -> N);
     * 238 in all. In the years: 73 + 155.75 + 164 + 161.25 = 554;
     * 12.25 + 554 + 238 = 804.25 */
    expect_usd(f.before, 12.25 * B, "before");
    expect_usd(f.after, 238 * B, "after");
    expect_usd(pair(&f, "M", "L")->before, 10 * B, "M -> L before");
    expect_usd(pair(&f, "S", "L")->before, 2.25 * B, "S -> L before");
    expect_usd(pair(&f, "S", "L")->after, 0, "S -> L after");
    expect_usd(pair(&f, "L", "O")->after, 120 * B, "L -> O after");
    expect_usd(pair(&f, "L", "N")->after, 118 * B, "L -> N after");
    expect_usd(pair(&f, "L", "M")->before + pair(&f, "L", "M")->after, 0,
               "L -> M lies within 2026-2029");
    /* the years themselves do not move: L -> O 2026..2029 */
    const double lo[4] = {10, 75, 75, 66.25};
    for (int y = 0; y < 4; y++)
        expect_usd(pair(&f, "L", "O")->by_year[y], lo[y] * B, "L -> O %d",
                   2026 + y);
    const dg_calendar_company *L = &f.companies[must_find(ledger, "L")];
    expect_usd(L->before_out, 0, "L pays nothing before 2026");
    expect_usd(L->after_out, 238 * B, "L's 120 + 118 after 2029");
    expect_usd(L->before_in, 12.25 * B, "L receives I and C's 2025");
    expect_usd(L->after_in, 0, "L in after");
    const dg_calendar_leg *a = leg_of(&f, "A");
    expect_usd(a->after, 120 * B, "A after 2029");
    double sum = f.before + f.after;
    for (size_t y = 0; y < f.nyears; y++)
        sum += f.total[y];
    expect_usd(sum, 804.25 * B, "conservation");
    dg_calendar_finish(&f);
}

Test(calendar_toy, default_years_follow_the_as_of_filter)
{
    /* --as-of 2025-12-31: B, D, H, J were announced in 2026 and drop out;
     * six legs remain; five years after 2025 is 2030; I still starts the
     * years in 2024 */
    dg_calendar_options o;
    dg_calendar_options_init(&o);
    dg_date_parse("2025-12-31", &o.filter.as_of);
    dg_diags d;
    dg_diags_init(&d);
    dg_calendar f;
    cr_assert_eq(dg_calendar_compute(ledger, &o, &f, &d), DG_OK);
    cr_expect_eq(f.first_year, 2024);
    cr_expect_eq(f.last_year, 2030);
    cr_expect_eq(f.nlegs, 6);
    cr_expect_eq(f.filtered, 4);
    /* L -> O is A alone now: 60 a year 2027-2030, 60 after (2031) */
    expect_usd(pair(&f, "L", "O")->by_year[dg_calendar_year(&f, 2026)], 0,
               "D dropped");
    expect_usd(pair(&f, "L", "O")->after, 60 * B, "A's 2031");
    cr_expect_null(dg_calendar_find(&f, must_find(ledger, "N"),
                                    must_find(ledger, "L")),
                   "H dropped");
    dg_diags_finish(&d);
    dg_calendar_finish(&f);
}

Test(calendar_toy, a_year_range_that_cannot_be_is_refused)
{
    const int ranges[][2] = {{2031, 2027}, {1800, 1805}, {1900, 2200}};
    const char *msgs[] = {
        "the years 2031-2027 run backwards; give a range of at most 200 "
        "years from 1900 to 2999 that runs forward",
        "the years 1800-1805 lie outside 1900-2999; give a range of at most "
        "200 years from 1900 to 2999 that runs forward",
        "the years 1900-2200 are too many; give a range of at most 200 "
        "years from 1900 to 2999 that runs forward"};
    for (int k = 0; k < 3; k++) {
        dg_calendar_options o;
        dg_calendar_options_init(&o);
        o.first_year = ranges[k][0];
        o.last_year = ranges[k][1];
        dg_diags d;
        dg_diags_init(&d);
        dg_calendar f;
        cr_expect_eq(dg_calendar_compute(ledger, &o, &f, &d), DG_EUSAGE);
        cr_assert_eq(d.count, 1);
        cr_expect_str_eq(d.items[0].message, msgs[k]);
        cr_expect_null(f.legs);
        dg_calendar_finish(&f);
        dg_diags_finish(&d);
    }
}

/* A per-year leg with neither end nor term, and a one-off from 1950. */
Test(calendar, a_per_period_leg_without_end_or_term_counts_12_months)
{
    /* X pays Y 12 a year from July 2026, no end, no term: July 2026 - June
     * 2027 only, 1 a month: 2026 6, 2027 6, nothing later */
    dg_ledger *l = must_load_dot(
        "digraph {\n  graph [as_of=\"2026-01-01\"];\n"
        "  X -> Y [kind=\"services\", amount=\"12B\", per=\"year\", "
        "start=\"2026-07\", status=\"definitive\", announced=\"2026\"];\n}\n");
    dg_calendar f = {0};
    dg_calendar_options o;
    dg_calendar_options_init(&o);
    dg_diags d;
    dg_diags_init(&d);
    cr_assert_eq(dg_calendar_compute(l, &o, &f, &d), DG_OK);
    cr_expect_eq(f.first_year, 2026);
    cr_expect_eq(f.last_year, 2031);
    expect_usd(f.legs[0].by_year[0], 6 * B, "2026");
    expect_usd(f.legs[0].by_year[1], 6 * B, "2027");
    expect_usd(f.legs[0].by_year[2], 0, "2028");
    cr_expect(f.legs[0].term_unknown);
    expect_usd(f.legs[0].amount, 12 * B, "twelve months of 1");
    cr_expect_eq(f.term_unknown_legs, 1);
    cr_expect_eq(f.pairs[0].term_unknown_legs, 1);
    cr_expect_eq(f.companies[must_find(l, "X")].term_unknown_out, 1);
    cr_expect_eq(f.companies[must_find(l, "Y")].term_unknown_in, 1);
    dg_calendar_finish(&f);
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

Test(calendar, the_default_spans_at_most_fifty_years)
{
    /* an equity leg of 1950 (one-off) and as_of 2026: the default would
     * run 1950-2031 (82 years); it keeps the last 50, 1982-2031, and the
     * 1950 money is "before" */
    dg_ledger *l = must_load_dot(
        "digraph {\n  graph [as_of=\"2026-01-01\"];\n"
        "  X -> Y [kind=\"equity\", amount=\"1B\", status=\"completed\", "
        "announced=\"1950-05\"];\n}\n");
    dg_calendar f;
    dg_diags d;
    dg_diags_init(&d);
    cr_assert_eq(dg_calendar_compute(l, NULL, &f, &d), DG_OK);
    cr_expect_eq(f.first_year, 1982);
    cr_expect_eq(f.last_year, 2031);
    cr_expect_eq(f.nyears, DG_CALENDAR_DEFAULT_YEARS);
    expect_usd(f.before, 1 * B, "1950, before 1982");
    expect_usd(f.companies[must_find(l, "X")].before_out, 1 * B, "X");
    dg_calendar_finish(&f);
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

/* ---- the command --------------------------------------------------------- */

/* A small ledger for the command's exact text. By hand:
 *   P  A -> B 24 over Jul 2026 + 24 months, even: 1 a month: 2026 6,
 *      2027 12, 2028 6 (after 2027)
 *   Q  B -> A equity 5, no period: whole in March 2026 (one-off)
 *   R  A -> C chips 10, no period: unscheduled
 *   S  C -> A 2 a year from Jan 2027, no end or term: 12 months, 2027 2
 *   T  A -> C undisclosed
 * --years 2026-2027:
 *   A pays 2026 6, 2027 12, after 6, no period 10, 1 undisclosed
 *   A receives 2026 5 (Q), 2027 2 (S); B pays 2026 5; B receives 2026 6,
 *   2027 12, after 6; C pays 2027 2; C receives no period 10, 1
 *   undisclosed; all: 2026 11, 2027 14 (25 in the years), after 6 */
static const char mini[] =
    "digraph mini {\n"
    "  graph [focus=\"A\", as_of=\"2026-01-01\", title=\"Mini\"];\n"
    "  A -> B [kind=\"cloud\", amount=\"24B\", start=\"2026-07\", term=\"2y\", "
    "status=\"definitive\", announced=\"2026-01-10\", deal=\"P\"];\n"
    "  B -> A [kind=\"equity\", amount=\"5B\", status=\"completed\", "
    "announced=\"2026-03-01\", deal=\"Q\"];\n"
    "  A -> C [kind=\"chips\", amount=\"10B\", status=\"announced\", "
    "announced=\"2026-02-01\", deal=\"R\"];\n"
    "  C -> A [kind=\"services\", amount=\"2B\", per=\"year\", "
    "start=\"2027-01\", status=\"definitive\", announced=\"2026-06-01\", "
    "deal=\"S\"];\n"
    "  A -> C [kind=\"cloud\", status=\"talks\", announced=\"2026-04-01\", "
    "deal=\"T\"];\n"
    "}\n";

/* The text writer's layout of those cells: columns padded to their widest
 * cell, money right-aligned, two spaces apart, an empty last cell not
 * written; notes wrapped at 100 columns. @PATH@ is the ledger's path. */
static const char mini_text[] =
    "Flow calendar of Mini\n"
    "  @PATH@; amounts: disclosed; years 2026-2027\n"
    "  5 legs: 3 scheduled ($25B in 2026-2027), 1 with no delivery period ($10B), 1 undisclosed\n"
    "  A's rows first\n"
    "\n"
    "Money per year, by company: what each pays and receives\n"
    "company        flow      before 2026  2026  2027  after 2027  no period  undisclosed\n"
    "-------------  --------  -----------  ----  ----  ----------  ---------  -----------\n"
    "A (focus)      pays                    $6B  $12B         $6B       $10B            1\n"
    "A (focus)      receives                $5B   $2B                         \n"
    "B              pays                    $5B                               \n"
    "B              receives                $6B  $12B         $6B             \n"
    "C              pays                          $2B                         \n"
    "C              receives                                            $10B            1\n"
    "all companies  pay                    $11B  $14B         $6B       $10B            1\n"
    "\n"
    "Not in the years 2026-2027\n"
    "  $10B from A to C has no delivery period (chips, deal R, line 5): it is in no year.\n"
    "  1 leg has no disclosed amount and is in no year: A -> C cloud (deal T, line 7).\n"
    "  $2B a year from C to A (services, deal S, line 6) has neither end nor term: 12 months only ($2B),\n"
    "    never extended to later years.\n"
    "  $6B is scheduled after 2027: in the column \"after 2027\", not in a year shown.\n"
    "\n"
    "Notes\n"
    "  A year is a calendar year of payment, January to December: each leg's money is spread over the\n"
    "    months of its period (start, end or term, profile), and a year holds the months that fall in it.\n"
    "    Companies' fiscal years are not used here.\n"
    "  \"pays\" sums the legs out of a company, \"receives\" those into it; money moves from a leg's tail to\n"
    "    its head (buyer to seller, customer to provider, investor to investee, lender to borrower).\n"
    "  1 equity, debt or warrant leg without a period counts whole in the month it starts (else was\n"
    "    announced): an assumption, as one-off transfers.\n"
    "  The rules: docs/methods.md, \"The time model: schedules\" and \"The flow calendar\".\n";

static char *mini_path(void)
{
    static char path[4096];
    char *p = temp_file("mini.dot", mini);
    snprintf(path, sizeof path, "%s", p);
    free(p);
    return path;
}

Test(flows_cli, the_text_of_a_small_ledger)
{
    char *path = mini_path();
    const char *a[] = {"flows", path, "--years", "2026-2027", NULL};
    run_result r = run_cli(a, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *at = strstr(mini_text, "@PATH@");
    cr_assert_not_null(at);
    size_t n = strlen(mini_text) + strlen(path);
    char *want = malloc(n);
    snprintf(want, n, "%.*s%s%s", (int)(at - mini_text), mini_text, path,
             at + 6);
    cr_expect_str_eq(r.out, want);
    cr_expect_str_eq(r.err, "");
    free(want);
    run_free(&r);
}

Test(flows_cli, every_format_has_its_shape)
{
    char *path = mini_path();
    /* Markdown: the heading, a pipe table with the years */
    const char *md[] = {"flows", path, "--format", "md", "--by", "pair",
                        NULL};
    run_result r = run_cli(md, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strncmp(r.out, "## Flow calendar of Mini\n", 25) == 0);
    /* default years: 2026 (P's first month) to 2031 (as_of + 5) */
    cr_expect(strstr(r.out, "| from | to | before 2026 | 2026 | 2027 | 2028 "
                            "| 2029 | 2030 | 2031 | after 2031 | no period "
                            "| undisclosed |\n") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "| A | B |  | $6B | $12B | $6B |") != NULL);
    run_free(&r);

    /* CSV: one row per pair, a column per year, every digit */
    const char *csv[] = {"flows", path, "--format", "csv", "--by", "pair",
                         "--years", "2026-2027", NULL};
    r = run_cli(csv, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(
        r.out,
        "from,to,before,2026,2027,after,unscheduled,unscheduled_legs,"
        "undisclosed_legs,term_unknown_legs\n"
        "A,B,0,6000000000,12000000000,6000000000,0,0,0,0\n"
        "A,C,0,0,0,0,10000000000,1,1,0\n"
        "B,A,0,5000000000,0,0,0,0,0,0\n"
        "C,A,0,0,2000000000,0,0,0,0,1\n");
    run_free(&r);

    /* CSV by company: a row per company and direction, focus first */
    const char *csvc[] = {"flows", path, "--format", "csv", "--years",
                          "2027", NULL};
    r = run_cli(csvc, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(
        r.out,
        "company,flow,before,2027,after,unscheduled,unscheduled_legs,"
        "undisclosed_legs,term_unknown_legs,legs\n"
        "A,out,6000000000,12000000000,6000000000,10000000000,1,1,0,3\n"
        "A,in,5000000000,2000000000,0,0,0,0,1,2\n"
        "B,out,5000000000,0,0,0,0,0,0,1\n"
        "B,in,6000000000,12000000000,6000000000,0,0,0,0,1\n"
        "C,out,0,2000000000,0,0,0,0,1,1\n"
        "C,in,0,0,0,10000000000,1,1,0,2\n");
    run_free(&r);

    /* CSV by leg: empty years for the legs no year holds */
    const char *csvl[] = {"flows", path, "--format", "csv", "--by", "leg",
                          "--years", "2026-2027", NULL};
    r = run_cli(csvl, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(
        r.out,
        "from,to,kind,deal,id,line,schedule,amount,term_unknown,one_off,"
        "before,2026,2027,after\n"
        "A,B,cloud,P,,3,scheduled,24000000000,false,false,0,6000000000,"
        "12000000000,6000000000\n"
        "A,C,chips,R,,5,unscheduled,10000000000,false,false,,,,\n"
        "A,C,cloud,T,,7,undisclosed,,false,false,,,,\n"
        "B,A,equity,Q,,4,scheduled,5000000000,false,true,0,5000000000,0,0\n"
        "C,A,services,S,,6,scheduled,2000000000,true,false,0,0,2000000000,"
        "0\n");
    run_free(&r);

    /* JSON: the years and the figures */
    const char *js[] = {"flows", path, "--format", "json", "--years",
                        "2026-2027", NULL};
    r = run_cli(js, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    json_error_t e;
    json_t *doc = json_loads(r.out, 0, &e);
    cr_assert_not_null(doc, "%s", e.text);
    cr_expect_eq(json_integer_value(json_object_get(doc, "first_year")), 2026);
    cr_expect_eq(json_array_size(json_object_get(doc, "years")), 2);
    cr_expect(json_is_false(json_object_get(doc, "default_years")));
    json_t *total = json_object_get(doc, "total");
    expect_usd(json_real_value(json_array_get(json_object_get(total,
                                                              "by_year"), 1)),
               14 * B, "all of 2027");
    expect_usd(json_real_value(json_object_get(total, "unscheduled")),
               10 * B, "R");
    json_t *legs = json_object_get(doc, "legs");
    cr_expect_eq(json_array_size(legs), 5);
    cr_expect(json_is_null(json_object_get(json_array_get(legs, 4),
                                           "by_year")),
              "T (undisclosed) has no years");
    json_decref(doc);
    run_free(&r);

    /* HTML: a page with the chart inline; SVG: the chart alone */
    const char *html[] = {"flows", path, "--format", "html", NULL};
    r = run_cli(html, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "<svg xmlns=\"http://www.w3.org/2000/svg\"") !=
              NULL);
    cr_expect(strstr(r.out, "A pays per year, by counterparty") != NULL);
    run_free(&r);
    const char *svg[] = {"flows", path, "--format", "svg", NULL};
    r = run_cli(svg, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strncmp(r.out, "<svg xmlns=\"http://www.w3.org/2000/svg\"",
                      39) == 0);
    /* one series, B (A's only payee with money in the years); the note
     * says what is not drawn */
    cr_expect(strstr(r.out, "data-name=\"B\"") != NULL);
    cr_expect(strstr(r.out, "data-name=\"C\"") == NULL);
    cr_expect(strstr(r.out, "Not drawn: $10B with no delivery period, 1 "
                            "undisclosed leg.") != NULL,
              "%s", r.out);
    cr_expect(strstr(r.out, "</svg>\n") != NULL);
    run_free(&r);
}

Test(flows_cli, focus_puts_a_companys_rows_first)
{
    char *path = mini_path();
    /* --focus C: C's pairs first (out, then in), then the rest by name */
    const char *a[] = {"flows", path, "--format", "csv", "--by", "pair",
                       "--focus", "C", "--years", "2026", NULL};
    run_result r = run_cli(a, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *rows = strchr(r.out, '\n') + 1;
    cr_expect(strncmp(rows, "C,A,", 4) == 0, "%s", r.out);
    cr_expect(strstr(rows, "\nA,C,") != NULL);
    cr_expect(strstr(rows, "A,C,") < strstr(rows, "A,B,"));
    run_free(&r);
}

Test(flows_cli, the_leg_view_says_how_each_leg_is_scheduled)
{
    char *path = mini_path();
    const char *a[] = {"flows", path, "--by", "leg", "--years", "2026-2027",
                       NULL};
    run_result r = run_cli(a, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    /* R: no period; T: undisclosed; Q: equity without a period, one-off;
     * S: 2 a year, neither end nor term: its 12 months, 2027 */
    cr_expect(strstr(r.out, "\nA     C   chips     R        5         $10B  "
                            "                                     no delivery "
                            "period\n") != NULL,
              "%s", r.out);
    cr_expect(strstr(r.out, "  undisclosed\n") != NULL);
    cr_expect(strstr(r.out, "  one-off\n") != NULL);
    cr_expect(strstr(r.out, "$2B              12 months only\n") != NULL);
    run_free(&r);
    /* HTML without a focus says why there is no chart */
    char *nf = temp_file("nf.dot", "digraph {\n  A -> B [kind=\"cloud\", "
                                   "amount=\"1B\", start=\"2026\", "
                                   "end=\"2026\", status=\"definitive\", "
                                   "announced=\"2025\"];\n}\n");
    const char *b[] = {"flows", nf, "--format", "html", NULL};
    r = run_cli(b, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "No chart: the ledger names no focal company") !=
              NULL);
    cr_expect(strstr(r.out, "<svg xmlns") == NULL);
    run_free(&r);
    free(nf);
}

Test(flows_cli, the_toy_ledger_in_text)
{
    char *path = temp_file("toy.dot", toy);
    const char *a[] = {"flows", path, NULL};
    run_result r = run_cli(a, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "years 2024-2031 (from the earliest scheduled "
                            "year to five years after 2026-06-30)") != NULL);
    /* what no year holds, one note each */
    cr_expect(strstr(r.out, "  $250B from L to M has no delivery period "
                            "(cloud, deal G, line 14): it is in no year.\n") !=
              NULL, "%s", r.out);
    cr_expect(strstr(r.out, "  1 leg has no disclosed amount and is in no "
                            "year: L -> N chips (deal J, line 17).\n") !=
              NULL);
    run_free(&r);
    /* the chart starts in 2026, the first year L pays (B 30 + D 10): the
     * calendar's 2024 and 2025 hold nothing of L's; three payees, by
     * their sums over 2024-2031: O 346.25, N 292, M 120 */
    const char *b[] = {"flows", path, "--format", "svg", NULL};
    r = run_cli(b, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, ">2025</text>") == NULL);
    cr_expect(strstr(r.out, ">2026</text>") != NULL);
    cr_expect(strstr(r.out, ">2031</text>") != NULL);
    const char *o = strstr(r.out, "data-name=\"O\""),
               *n = strstr(r.out, "data-name=\"N\""),
               *m = strstr(r.out, "data-name=\"M\"");
    cr_expect(o && n && m && o < n && n < m, "O, N, M");
    cr_expect(strstr(r.out, "<title>O, 2029: $66.25B</title>") != NULL);
    run_free(&r);
    free(path);
}

static void expect_refused(const char *const *args, const char *message)
{
    run_result r = run_cli(args, NULL);
    cr_expect_eq(r.status, 2, "%s", args[3]);
    cr_expect_str_eq(r.err, message);
    cr_expect_str_eq(r.out, "");
    run_free(&r);
}

Test(flows_cli, bad_options_exit_2_with_one_line)
{
    char *path = mini_path();
    const char *a[] = {"flows", path, "--years", "2031-2027", NULL};
    expect_refused(a, "dealgraph: flows: --years '2031-2027' is not a range "
                      "of years; write FIRST-LAST, e.g. 2026-2031\n");
    const char *b[] = {"flows", path, "--years", "2026-31", NULL};
    expect_refused(b, "dealgraph: flows: --years '2026-31' is not a range "
                      "of years; write FIRST-LAST, e.g. 2026-2031\n");
    const char *c[] = {"flows", path, "--years", "1850-1860", NULL};
    expect_refused(c, "dealgraph: flows: --years '1850-1860' lies outside "
                      "the years 1900-2999; write FIRST-LAST, e.g. "
                      "2026-2031\n");
    const char *d[] = {"flows", path, "--years", "1950-2030", NULL};
    expect_refused(d, "dealgraph: flows: --years '1950-2030' spans 81 years; "
                      "give at most 50, e.g. 2026-2031\n");
    const char *e[] = {"flows", path, "--by", "year", NULL};
    expect_refused(e, "dealgraph: flows: --by 'year' is not a view; use "
                      "company, pair or leg\n");
    const char *f[] = {"flows", path, "--focus", "Z", NULL};
    expect_refused(f, "dealgraph: flows: unknown company 'Z' for --focus; "
                      "did you mean 'A', 'B' or 'C'?\n");
}

Test(flows_cli, the_chart_alone_needs_a_focus)
{
    char *path = temp_file("nofocus.dot",
                           "digraph {\n  A -> B [kind=\"cloud\", "
                           "amount=\"1B\", start=\"2026\", end=\"2026\", "
                           "status=\"definitive\", announced=\"2025\"];\n}\n");
    const char *a[] = {"flows", path, "--format", "svg", NULL};
    char want[4200];
    snprintf(want, sizeof want,
             "dealgraph: flows: no focal company: %s sets no `focus` graph "
             "attribute; give --focus NAME\n",
             path);
    expect_refused(a, want);
    /* the text needs none */
    const char *b[] = {"flows", path, NULL};
    run_result r = run_cli(b, NULL);
    cr_expect_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    free(path);
}

Test(flows_cli, two_runs_write_the_same_bytes)
{
    char *path = src_path("graphs/ai-2025.dot");
    const char *formats[] = {"text", "json", "csv", "html", NULL};
    for (int k = 0; formats[k]; k++) {
        const char *a[] = {"flows", path, "--format", formats[k], "--by",
                           k == 2 ? "leg" : "pair", NULL};
        run_result r1 = run_cli(a, NULL), r2 = run_cli(a, NULL);
        cr_expect_eq(r1.status, 0, "%s: %s", formats[k], r1.err);
        cr_expect_str_eq(r1.out, r2.out, "%s", formats[k]);
        run_free(&r1);
        run_free(&r2);
    }
    free(path);
}
