/* Schedules: a leg's money month by month (PRODUCT.md section 7). Every
 * expected figure is derived by hand in the comment beside it; the toy
 * ledger and its table are REFERENCE-VALUES.md, "Schedules, dependence,
 * backlog and coverage". */
#include <criterion/criterion.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "dealgraph/schedule.h"
#include "internal.h"
#include "support.h"

#define B 1e9

/* Money to the cent. */
#define expect_usd(actual, expected, ...)                                    \
    do {                                                                     \
        double a_ = (actual), e_ = (expected);                               \
        cr_expect(fabs(a_ - e_) <= 0.005, "%.4f, expected %.4f: " __VA_ARGS__, \
                  a_, e_);                                                   \
    } while (0)

/* tests/cases/reference-toy.dot, read once (support.c) */
#define toy reference_toy()

static dg_ledger *ledger;
static dg_schedule s;

static void setup_toy(void)
{
    ledger = must_load_dot(toy);
    dg_schedule_init(&s);
}

static void teardown_toy(void)
{
    dg_schedule_finish(&s);
    dg_ledger_destroy(ledger);
}

static const dg_leg *deal(const char *name)
{
    for (size_t i = 0; i < ledger->nlegs; i++)
        if (ledger->legs[i].deal && strcmp(ledger->legs[i].deal, name) == 0)
            return &ledger->legs[i];
    cr_assert_fail("no leg of deal %s", name);
    return NULL;
}

/* Schedules the toy's leg of `name` into s, under disclosed amounts. */
static void schedule_deal(const char *name)
{
    cr_assert_eq(dg_schedule_leg(deal(name), DG_AMOUNTS_DISCLOSED, &s), DG_OK,
                 "%s: %s", name, s.problem);
}

/* The schedule's years from..to must be `want` (billions), and nothing
 * before or after. */
static void expect_years(const char *what, int from, int to,
                         const double *want)
{
    for (int y = from; y <= to; y++)
        expect_usd(dg_schedule_year(&s, y), want[y - from] * B, "%s in %d",
                   what, y);
    cr_expect_eq(dg_schedule_months(&s, INT_MIN, from * 12), 0,
                 "%s: nothing before %d", what, from);
    cr_expect_eq(dg_schedule_months(&s, (to + 1) * 12, INT_MAX), 0,
                 "%s: nothing after %d", what, to);
}

static int month(int year, int m) { return year * 12 + m - 1; }

TestSuite(schedule_toy, .init = setup_toy, .fini = teardown_toy);

Test(schedule_toy, a_total_with_start_and_end_years_runs_january_to_december)
{
    /* A: 300B from Jan 2027 through Dec 2031 = 60 months, 5B a month:
     * 12 x 5 = 60B in each of 2027..2031. */
    schedule_deal("A");
    cr_expect_eq(s.state, DG_SCHED_SCHEDULED);
    cr_expect_eq(s.first_month, month(2027, 1));
    cr_expect_eq(s.nmonths, 60);
    expect_usd(s.monthly[0], 5 * B, "A's first month");
    expect_usd(s.amount, 300 * B, "A in all");
    expect_years("A", 2027, 2031, (const double[]){60, 60, 60, 60, 60});
}

Test(schedule_toy, a_total_with_a_term_counts_whole_months_from_its_start)
{
    /* B: 120B over Jul 2026 - Jun 2028 = 24 months, 5B a month: 2026 has
     * Jul-Dec = 6 months = 30B, 2027 12 months = 60B, 2028 Jan-Jun = 30B. */
    schedule_deal("B");
    cr_expect_eq(s.first_month, month(2026, 7));
    cr_expect_eq(s.nmonths, 24);
    expect_years("B", 2026, 2028, (const double[]){30, 60, 30});
    /* June 2028 is the last month, July 2028 is out */
    expect_usd(dg_schedule_months(&s, month(2028, 6), month(2028, 7)), 5 * B,
               "B in June 2028");
    cr_expect_eq(dg_schedule_months(&s, month(2028, 7), month(2028, 8)), 0);
}

Test(schedule_toy, an_amount_per_year_is_a_twelfth_every_month)
{
    /* C: 3B a year = 0.25B a month, Apr 2025 - Mar 2027 = 24 months, 6B in
     * all: 2025 Apr-Dec 9 x 0.25 = 2.25B, 2026 3B, 2027 Jan-Mar 0.75B. */
    schedule_deal("C");
    cr_expect_eq(s.first_month, month(2025, 4));
    cr_expect_eq(s.nmonths, 24);
    cr_expect_not(s.term_unknown);
    expect_usd(s.amount, 6 * B, "C: rate x months");
    expect_usd(s.monthly[5], 0.25 * B, "C: a month");
    expect_years("C", 2025, 2027, (const double[]){2.25, 3, 0.75});
}

Test(schedule_toy, an_amount_per_month_runs_every_month_through_its_end)
{
    /* D: 1.25B a month, May 2026 - May 2029 inclusive = 8 + 12 + 12 + 5 =
     * 37 months, 46.25B: 2026 8 x 1.25 = 10B, 2027 15B, 2028 15B, 2029
     * Jan-May 5 x 1.25 = 6.25B. */
    schedule_deal("D");
    cr_expect_eq(s.first_month, month(2026, 5));
    cr_expect_eq(s.nmonths, 37);
    expect_usd(s.amount, 46.25 * B, "D: rate x months");
    expect_years("D", 2026, 2029, (const double[]){10, 15, 15, 6.25});
}

Test(schedule_toy, weights_without_end_or_term_give_the_period)
{
    /* E: 192B, weights 10,39,65,78 (sum 192) per twelve-month period from
     * Jan 2027: four periods = 48 months, Jan 2027 - Dec 2030, so 10, 39,
     * 65 and 78B by year; 10/12 B a month in 2027. */
    schedule_deal("E");
    cr_expect_eq(s.first_month, month(2027, 1));
    cr_expect_eq(s.nmonths, 48);
    expect_usd(s.monthly[0], 10 * B / 12, "E: a month of 2027");
    expect_years("E", 2027, 2030, (const double[]){10, 39, 65, 78});
}

Test(schedule_toy, a_ramp_weighs_its_twelve_month_periods_one_to_n)
{
    /* F: 100B Jan 2027 - Dec 2030 = 4 periods, weights 1,2,3,4 (sum 10):
     * 10, 20, 30, 40B. */
    schedule_deal("F");
    cr_expect_eq(s.nmonths, 48);
    expect_years("F", 2027, 2030, (const double[]){10, 20, 30, 40});
}

Test(schedule_toy, a_commercial_total_without_a_period_is_unscheduled)
{
    /* G: 250B of cloud with no start, end or term: never put into a year,
     * the 250B reported apart. */
    schedule_deal("G");
    cr_expect_eq(s.state, DG_SCHED_UNSCHEDULED);
    cr_expect_eq(s.nmonths, 0);
    expect_usd(s.amount, 250 * B, "G is reported apart");
    for (int y = 2024; y <= 2032; y++)
        cr_expect_eq(dg_schedule_year(&s, y), 0, "G in %d", y);
    cr_expect_str_eq(dg_sched_state_name(s.state), "unscheduled");
}

Test(schedule_toy, equity_without_a_period_is_one_transfer_when_announced)
{
    /* H: 30B equity announced 2026-02-27, no start: all 30B in February
     * 2026. */
    schedule_deal("H");
    cr_expect_eq(s.state, DG_SCHED_SCHEDULED);
    cr_expect(s.one_off);
    cr_expect_eq(s.first_month, month(2026, 2));
    cr_expect_eq(s.nmonths, 1);
    expect_years("H", 2026, 2026, (const double[]){30});
}

Test(schedule_toy, equity_with_a_period_is_spread_like_a_total)
{
    /* I: 10B equity, Jan 2024 - Dec 2025 = 24 months: 5B a year. */
    schedule_deal("I");
    cr_expect_not(s.one_off);
    cr_expect_eq(s.nmonths, 24);
    expect_years("I", 2024, 2025, (const double[]){5, 5});
}

Test(schedule_toy, an_undisclosed_amount_schedules_nothing)
{
    /* J: no amount and no estimate: undisclosed, reported apart. */
    schedule_deal("J");
    cr_expect_eq(s.state, DG_SCHED_UNDISCLOSED);
    cr_expect(isnan(s.amount));
    cr_expect_eq(s.nmonths, 0);
    cr_expect_eq(dg_schedule_year(&s, 2026), 0);
}

Test(schedule_toy, the_schedules_give_the_reference_figures_for_2027)
{
    /* L pays O 75 (A 60 + D 15), M 60 (B), N 20 (E 10 + F 10); its
     * commitments scheduled in 2027: 155. */
    size_t L = must_find(ledger, "L"), O = must_find(ledger, "O"),
           M = must_find(ledger, "M"), N = must_find(ledger, "N");
    double to[3] = {0, 0, 0}, all = 0;
    size_t who[3] = {O, M, N};
    for (size_t i = 0; i < ledger->nlegs; i++) {
        const dg_leg *g = &ledger->legs[i];
        cr_assert_eq(dg_schedule_leg(g, DG_AMOUNTS_DISCLOSED, &s), DG_OK);
        if (g->from != L)
            continue;
        double y = dg_schedule_year(&s, 2027);
        all += y;
        for (int k = 0; k < 3; k++)
            if (g->to == who[k])
                to[k] += y;
    }
    expect_usd(to[0], 75 * B, "L to O in 2027");
    expect_usd(to[1], 60 * B, "L to M in 2027");
    expect_usd(to[2], 20 * B, "L to N in 2027");
    expect_usd(all, 155 * B, "L's commitments in 2027");
}

Test(schedule_toy, months_after_a_date_give_the_remaining_payments)
{
    /* Backlog at O's rpo_as_of 2026-05-31: D's months from June 2026 on,
     * June 2026 - May 2029 = 36 months x 1.25 = 45B. */
    schedule_deal("D");
    expect_usd(dg_schedule_months(&s, month(2026, 6), INT_MAX), 45 * B,
               "D after May 2026");
}

/* ---- edge cases on legs built in the test -------------------------------- */

static dg_date date(const char *text)
{
    dg_date d;
    cr_assert(dg_date_parse(text, &d), "bad date %s", text);
    return d;
}

static dg_leg leg_of(dg_kind kind, double amount, dg_per per,
                     const char *start, const char *end, int term)
{
    dg_leg g;
    dg_leg_init(&g);
    g.kind = kind;
    g.amount = amount;
    g.per = per;
    g.announced = date("2025-01-15");
    if (start)
        g.start = date(start);
    if (end)
        g.end = date(end);
    g.term_months = term;
    return g;
}

static void schedule(const dg_leg *g, dg_amounts scenario)
{
    cr_assert_eq(dg_schedule_leg(g, scenario, &s), DG_OK, "%s", s.problem);
}

static void setup_empty(void) { dg_schedule_init(&s); }
static void teardown_empty(void) { dg_schedule_finish(&s); }

TestSuite(schedule, .init = setup_empty, .fini = teardown_empty);

Test(schedule, a_start_without_month_counts_from_january)
{
    /* 180B from "2026" for 18 months: Jan 2026 - Jun 2027, 10B a month:
     * 2026 120B, 2027 60B. */
    dg_leg g = leg_of(DG_KIND_CLOUD, 180 * B, DG_PER_TOTAL, "2026", NULL, 18);
    schedule(&g, DG_AMOUNTS_DISCLOSED);
    cr_expect_eq(s.first_month, month(2026, 1));
    cr_expect_eq(s.nmonths, 18);
    expect_years("180B", 2026, 2027, (const double[]){120, 60});
    /* a one-off with a year alone: January of that year */
    dg_leg e = leg_of(DG_KIND_DEBT, 5 * B, DG_PER_TOTAL, "2026", NULL, 0);
    schedule(&e, DG_AMOUNTS_DISCLOSED);
    cr_expect(s.one_off);
    cr_expect_eq(s.first_month, month(2026, 1));
    cr_expect_eq(s.nmonths, 1);
}

Test(schedule, a_year_alone_as_end_runs_through_december)
{
    /* start 2026-07, end "2026": Jul - Dec 2026 = 6 months. */
    dg_leg g = leg_of(DG_KIND_CHIPS, 6 * B, DG_PER_TOTAL, "2026-07", "2026", 0);
    schedule(&g, DG_AMOUNTS_DISCLOSED);
    cr_expect_eq(s.first_month, month(2026, 7));
    cr_expect_eq(s.nmonths, 6);
    expect_usd(s.monthly[5], 1 * B, "December 2026");
}

Test(schedule, an_end_in_the_start_month_is_one_month)
{
    /* 7B, start 2026-03-20, end 2026-03-05: days are ignored, so March
     * 2026 holds all 7B. */
    dg_leg g = leg_of(DG_KIND_SERVICES, 7 * B, DG_PER_TOTAL, "2026-03-20",
                      "2026-03-05", 0);
    schedule(&g, DG_AMOUNTS_DISCLOSED);
    cr_expect_eq(s.first_month, month(2026, 3));
    cr_expect_eq(s.nmonths, 1);
    expect_usd(s.monthly[0], 7 * B, "March 2026");
    expect_years("7B", 2026, 2026, (const double[]){7});
}

Test(schedule, a_per_month_amount_with_term_unknown_runs_twelve_months_only)
{
    /* 2B a month from Oct 2026, term unknown: Oct 2026 - Sep 2027 only, 24B
     * in all: 2026 Oct-Dec 6B, 2027 Jan-Sep 18B, nothing from Oct 2027. */
    dg_leg g = leg_of(DG_KIND_CLOUD, 2 * B, DG_PER_MONTH, "2026-10", NULL,
                      DG_TERM_UNKNOWN);
    schedule(&g, DG_AMOUNTS_DISCLOSED);
    cr_expect(s.term_unknown);
    cr_expect_eq(s.nmonths, 12);
    expect_usd(s.amount, 24 * B, "12 months x 2B");
    expect_years("2B a month", 2026, 2027, (const double[]){6, 18});
    cr_expect_eq(dg_schedule_months(&s, month(2027, 10), INT_MAX), 0,
                 "never extended");
    /* no term at all reads the same way; per year: 12 months of 1/12 */
    dg_leg y = leg_of(DG_KIND_SERVICES, 3 * B, DG_PER_YEAR, "2025", NULL, 0);
    schedule(&y, DG_AMOUNTS_DISCLOSED);
    cr_expect(s.term_unknown);
    expect_usd(s.amount, 3 * B, "a year's amount once");
    expect_years("3B a year", 2025, 2025, (const double[]){3});
}

Test(schedule, a_per_period_amount_without_start_runs_from_announced)
{
    /* 1B a month, announced 2025-01-15, end 2025-06: Jan - Jun 2025. */
    dg_leg g = leg_of(DG_KIND_LEASE, 1 * B, DG_PER_MONTH, NULL, "2025-06", 0);
    schedule(&g, DG_AMOUNTS_DISCLOSED);
    cr_expect_eq(s.first_month, month(2025, 1));
    cr_expect_eq(s.nmonths, 6);
    expect_usd(s.amount, 6 * B, "6 months");
}

Test(schedule, a_ramp_with_a_partial_last_period_weighs_it_by_its_months)
{
    /* 90B from Jul 2026 for 30 months (Jul 2026 - Dec 2028), ramp. The
     * twelve-month periods from the start: Jul 26-Jun 27 (weight 1),
     * Jul 27-Jun 28 (2), Jul 28-Dec 28 (3, 6 months). Month weights 1/12,
     * 2/12, 3/12; their sum 12/12 + 24/12 + 18/12 = 4.5. Per month: 90 x
     * (1/12) / 4.5 = 1.6667B, then 3.3333B, then 5B. By year: 2026 6 x
     * 1.6667 = 10B; 2027 6 x 1.6667 + 6 x 3.3333 = 30B; 2028 6 x 3.3333 +
     * 6 x 5 = 50B (sum 90). */
    dg_leg g = leg_of(DG_KIND_CHIPS, 90 * B, DG_PER_TOTAL, "2026-07", NULL, 30);
    g.profile = DG_PROFILE_RAMP;
    schedule(&g, DG_AMOUNTS_DISCLOSED);
    cr_expect_eq(s.nmonths, 30);
    expect_usd(s.monthly[29], 5 * B, "December 2028");
    expect_years("ramp", 2026, 2028, (const double[]){10, 30, 50});
}

Test(schedule, weights_may_be_zero_in_a_period)
{
    /* 40B, weights 0,1 from 2027: nothing in 2027, all 40B in 2028. */
    double w[] = {0, 1};
    dg_leg g = leg_of(DG_KIND_CHIPS, 40 * B, DG_PER_TOTAL, "2027", NULL, 0);
    g.profile = DG_PROFILE_WEIGHTS;
    g.weights = w;
    g.nweights = 2;
    schedule(&g, DG_AMOUNTS_DISCLOSED);
    cr_expect_eq(s.nmonths, 24);
    cr_expect_eq(s.monthly[11], 0, "a zero weight stays exactly zero");
    expect_years("0,1", 2027, 2028, (const double[]){0, 40});
}

Test(schedule, a_count_of_weights_unlike_the_period_is_an_error)
{
    /* 2027 - 2030 is four twelve-month periods; three weights. */
    double w[] = {1, 2, 3};
    dg_leg g = leg_of(DG_KIND_CHIPS, 60 * B, DG_PER_TOTAL, "2027", "2030", 0);
    g.profile = DG_PROFILE_WEIGHTS;
    g.weights = w;
    g.nweights = 3;
    cr_expect_eq(dg_schedule_leg(&g, DG_AMOUNTS_DISCLOSED, &s), DG_EINPUT);
    cr_expect_eq(s.state, DG_SCHED_INVALID);
    cr_expect_eq(s.nmonths, 0);
    cr_expect_eq(dg_schedule_year(&s, 2027), 0);
    expect_usd(s.amount, 60 * B, "the value, to report apart");
    cr_expect_str_eq(s.problem, "the profile gives 3 weights, but the period "
                                "2027-01 to 2030-12 has 4 twelve-month "
                                "periods");
    /* the same with a term of 18 months: two periods, one weight */
    dg_leg t = leg_of(DG_KIND_CHIPS, 60 * B, DG_PER_TOTAL, "2027", NULL, 18);
    t.profile = DG_PROFILE_WEIGHTS;
    t.weights = w;
    t.nweights = 1;
    cr_expect_eq(dg_schedule_leg(&t, DG_AMOUNTS_DISCLOSED, &s), DG_EINPUT);
    cr_expect(strstr(s.problem, "1 weights") && strstr(s.problem, "has 2"),
              "%s", s.problem);
}

Test(schedule, an_estimate_range_is_scheduled_under_its_scenario)
{
    /* amount_low 40B, amount_high 80B over 2026 - 2027: mid 60B = 30B a
     * year; low 40B = 20B a year; disclosed only: undisclosed. */
    dg_leg g = leg_of(DG_KIND_WARRANT, NAN, DG_PER_TOTAL, "2026", "2027", 0);
    g.amount_low = 40 * B;
    g.amount_high = 80 * B;
    schedule(&g, DG_AMOUNTS_MID);
    expect_years("mid", 2026, 2027, (const double[]){30, 30});
    schedule(&g, DG_AMOUNTS_LOW);
    expect_years("low", 2026, 2027, (const double[]){20, 20});
    schedule(&g, DG_AMOUNTS_DISCLOSED);
    cr_expect_eq(s.state, DG_SCHED_UNDISCLOSED);
    cr_expect_eq(dg_schedule_year(&s, 2026), 0);
}

Test(schedule, an_end_before_the_start_is_an_error_not_a_loop)
{
    dg_leg g = leg_of(DG_KIND_CLOUD, 10 * B, DG_PER_TOTAL, "2027-05",
                      "2026-02", 0);
    cr_expect_eq(dg_schedule_leg(&g, DG_AMOUNTS_DISCLOSED, &s), DG_EINPUT);
    cr_expect_eq(s.state, DG_SCHED_INVALID);
    cr_expect_eq(s.nmonths, 0);
    cr_expect_str_eq(s.problem, "end (2026-02) is before the period's start "
                                "(2027-05)");
    /* the same for a per-month amount, and for an end before announced
     * when no start is given */
    g.per = DG_PER_MONTH;
    cr_expect_eq(dg_schedule_leg(&g, DG_AMOUNTS_DISCLOSED, &s), DG_EINPUT);
    dg_leg a = leg_of(DG_KIND_CLOUD, 10 * B, DG_PER_TOTAL, NULL, "2024", 0);
    cr_expect_eq(dg_schedule_leg(&a, DG_AMOUNTS_DISCLOSED, &s), DG_EINPUT);
    cr_expect_str_eq(s.problem, "end (2024-12) is before the period's start "
                                "(2025-01)");
}

Test(schedule, a_leg_without_any_date_cannot_be_placed)
{
    /* a one-off without start or announced: no month to put it in; a
     * commercial total without a period needs none */
    dg_leg g = leg_of(DG_KIND_EQUITY, 1 * B, DG_PER_TOTAL, NULL, NULL, 0);
    g.announced = (dg_date){0, 0, 0};
    cr_expect_eq(dg_schedule_leg(&g, DG_AMOUNTS_DISCLOSED, &s), DG_EINPUT);
    cr_expect_eq(s.state, DG_SCHED_INVALID);
    g.kind = DG_KIND_CLOUD;
    schedule(&g, DG_AMOUNTS_DISCLOSED);
    cr_expect_eq(s.state, DG_SCHED_UNSCHEDULED);
}

Test(schedule, years_near_1900_and_2999_are_scheduled)
{
    /* 1.2B from Jan 1900 through Dec 2999: 1,100 years = 13,200 months,
     * the longest period; 1900 gets 12/13200 of it = 1.2B x 12 / 13200 =
     * 1.0909091M. */
    dg_leg g = leg_of(DG_KIND_CLOUD, 1.2 * B, DG_PER_TOTAL, "1900", "2999", 0);
    schedule(&g, DG_AMOUNTS_DISCLOSED);
    cr_expect_eq(s.nmonths, DG_SCHEDULE_MAX_MONTHS);
    cr_expect_eq(s.first_month, month(1900, 1));
    expect_usd(dg_schedule_year(&s, 1900), 1.2 * B * 12 / 13200, "1900");
    expect_usd(dg_schedule_year(&s, 2999), 1.2 * B * 12 / 13200, "2999");
    expect_usd(dg_schedule_months(&s, INT_MIN, INT_MAX), 1.2 * B, "in all");
    cr_expect_eq(dg_schedule_year(&s, 1899), 0);
    cr_expect_eq(dg_schedule_year(&s, 3000), 0);
    /* a term from July 2999 runs into 3000: months are indexes, not dates */
    dg_leg t = leg_of(DG_KIND_CLOUD, 1 * B, DG_PER_MONTH, "2999-07", NULL, 12);
    schedule(&t, DG_AMOUNTS_DISCLOSED);
    expect_years("2999", 2999, 3000, (const double[]){6, 6});
    /* a date outside the loaders' years, or a longer period, is refused */
    dg_leg far = leg_of(DG_KIND_CLOUD, 1 * B, DG_PER_TOTAL, "1900", NULL, 0);
    far.end = (dg_date){3100, 1, 0};
    cr_expect_eq(dg_schedule_leg(&far, DG_AMOUNTS_DISCLOSED, &s), DG_EINPUT);
    dg_leg huge = leg_of(DG_KIND_CLOUD, 1 * B, DG_PER_MONTH, "1900", NULL,
                         INT_MAX);
    cr_expect_eq(dg_schedule_leg(&huge, DG_AMOUNTS_DISCLOSED, &s), DG_EINPUT);
    cr_expect_eq(s.nmonths, 0);
}

Test(schedule, a_per_period_amount_ignores_the_profile)
{
    /* lint rejects the pair; the schedule stays the rate every month */
    dg_leg g = leg_of(DG_KIND_CLOUD, 12 * B, DG_PER_YEAR, "2026", "2027", 0);
    g.profile = DG_PROFILE_RAMP;
    schedule(&g, DG_AMOUNTS_DISCLOSED);
    expect_years("12B a year", 2026, 2027, (const double[]){12, 12});
}

Test(schedule, month_indexes_count_whole_months)
{
    cr_expect_eq(dg_month_of(date("2026-07-31"), false), 2026 * 12 + 6);
    cr_expect_eq(dg_month_of(date("2026"), false), 2026 * 12);
    cr_expect_eq(dg_month_of(date("2026"), true), 2026 * 12 + 11);
    cr_expect_eq(dg_month_of(date("2026-06"), true), 2026 * 12 + 5);
    cr_expect_eq(dg_month_of((dg_date){0, 0, 0}, false), -1);
    cr_expect_eq(dg_month_year(2026 * 12 + 11), 2026);
    cr_expect_eq(dg_month_month(2026 * 12 + 11), 12);
}

Test(schedule, finish_on_a_zeroed_schedule_is_a_no_op)
{
    dg_schedule z;
    memset(&z, 0, sizeof z);
    dg_schedule_finish(&z);
    dg_schedule_finish(&z);
    dg_schedule_finish(NULL);
    cr_expect_eq(dg_schedule_year(&z, 2026), 0);
}

/* ---- lint: what the schedule cannot build, the loader rejects ------------ */

#define LINT_LEG "kind=\"chips\", status=\"definitive\", amount=\"60B\""

static void expect_lint_error(const char *attrs, const char *want)
{
    char text[512];
    snprintf(text, sizeof text, "digraph {\n  a -> b [" LINT_LEG ", %s]\n}\n",
             attrs);
    dg_diags d;
    dg_ledger *l = load_dot_text(text, &d);
    cr_expect_null(l, "%s must not load", attrs);
    dg_diags_sort(&d);
    cr_expect_str_eq(first_error(&d), want);
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

static void expect_lint_clean(const char *attrs)
{
    char text[512];
    snprintf(text, sizeof text, "digraph {\n  a -> b [" LINT_LEG ", %s]\n}\n",
             attrs);
    dg_diags d;
    dg_ledger *l = load_dot_text(text, &d);
    cr_expect_not_null(l, "%s: %s", attrs, first_error(&d));
    if (l) {
        cr_expect_eq(dg_schedule_leg(&l->legs[0], DG_AMOUNTS_DISCLOSED, &s),
                     DG_OK, "%s: %s", attrs, s.problem);
    }
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

Test(schedule, lint_rejects_weights_that_do_not_match_the_period)
{
    expect_lint_error("announced=\"2025\", start=\"2027\", end=\"2030\", "
                      "profile=\"1,2,3\"",
                      "2: leg a -> b: profile gives 3 weights, but the "
                      "delivery period 2027-01 to 2030-12 has 4 twelve-month "
                      "periods; give one weight per twelve-month period from "
                      "start, or leave out end to let the weights give the "
                      "period");
    /* 18 months: two periods, the second of six months */
    expect_lint_error("announced=\"2025\", start=\"2027-04\", term=\"18m\", "
                      "profile=\"5\"",
                      "2: leg a -> b: profile gives 1 weights, but the "
                      "delivery period 2027-04 to 2028-09 has 2 twelve-month "
                      "periods; give one weight per twelve-month period from "
                      "start, or leave out term to let the weights give the "
                      "period");
    expect_lint_clean("announced=\"2025\", start=\"2027-04\", term=\"18m\", "
                      "profile=\"5,1\"");
}

Test(schedule, lint_reads_an_end_year_through_december)
{
    /* start July 2026, end "2026": six months, not an end before start */
    expect_lint_clean("announced=\"2025\", start=\"2026-07\", "
                      "end=\"2026\"");
    expect_lint_clean("announced=\"2025\", start=\"2026-07-20\", "
                      "end=\"2026-07\"");
    expect_lint_error("announced=\"2025\", start=\"2026-07-20\", "
                      "end=\"2026-07-10\"",
                      "2: leg a -> b: start is after end; the delivery "
                      "period must run forward");
}

Test(schedule, lint_rejects_an_end_before_announced_without_start)
{
    expect_lint_error("announced=\"2026-03\", end=\"2025\"",
                      "2: leg a -> b: end is before announced, and without "
                      "start the delivery period runs from announced; add "
                      "start");
    expect_lint_clean("announced=\"2026-03\", end=\"2026-03\"");
    expect_lint_clean("announced=\"2026-03\", start=\"2024\", "
                      "end=\"2025\"");
}

/* ---- properties on random legs ------------------------------------------- */

/* splitmix64 (Steele, Lea, Flood 2014): the same numbers on every libc. */
static uint64_t rng = 0x5eed5eedULL;
static uint64_t next(void)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static int uniform(int lo, int hi) /* lo..hi inclusive */
{
    return lo + (int)(next() % (uint64_t)(hi - lo + 1));
}
static double unit(void) { return (double)(next() >> 11) / 9007199254740992.0; }

static dg_date random_date(int lo_year, int hi_year)
{
    int y = uniform(lo_year, hi_year), m = uniform(0, 12);
    return (dg_date){(int16_t)y, (int8_t)m, (int8_t)(m ? uniform(0, 28) : 0)};
}

/* A date whose month index is `index` (with the month given), or its year
 * alone when that year's December is `index`. */
static dg_date end_at(int index)
{
    if (index % 12 == 11 && uniform(0, 1))
        return (dg_date){(int16_t)(index / 12), 0, 0};
    return (dg_date){(int16_t)(index / 12), (int8_t)(index % 12 + 1), 0};
}

Test(schedule, random_legs_conserve_their_amount_to_the_cent)
{
    enum { LEGS = 4000 };
    static double w[100];
    size_t to_the_cent = 0;
    for (int t = 0; t < LEGS; t++) {
        dg_leg g;
        dg_leg_init(&g);
        g.kind = (dg_kind)uniform(0, DG_KIND_COUNT - 1);
        int p = uniform(0, 3);
        g.per = p < 2 ? DG_PER_TOTAL : p == 2 ? DG_PER_YEAR : DG_PER_MONTH;
        g.amount = pow(10, 13 * unit()); /* 1 .. 1e13, log-uniform */
        g.announced = random_date(1990, 2060);
        if (uniform(0, 4))
            g.start = random_date(uniform(0, 20) ? 2000 : 1900,
                                  uniform(0, 20) ? 2050 : 2999);
        dg_date from = dg_date_valid(g.start) ? g.start : g.announced;
        int first = from.year * 12 + (from.month ? from.month - 1 : 0);
        /* the period: an end, a term, or neither */
        int how = uniform(0, 2), last = -1;
        if (how == 0) {
            last = first + uniform(0, uniform(0, 5) ? 240 : 1199);
            if (last > 2999 * 12 + 11)
                last = 2999 * 12 + 11;
            g.end = end_at(last);
        } else if (how == 1) {
            g.term_months = uniform(1, uniform(0, 5) ? 240 : 1200);
            last = first + g.term_months - 1;
        } else if (uniform(0, 1)) {
            g.term_months = DG_TERM_UNKNOWN;
        }
        size_t months = last >= 0 ? (size_t)(last - first + 1) : 0;
        /* a total's profile; weights one per twelve-month period, or, with
         * no period, giving it */
        if (g.per == DG_PER_TOTAL) {
            int prof = uniform(0, 2);
            if (prof == 1 && last >= 0)
                g.profile = DG_PROFILE_RAMP;
            if (prof == 2) {
                size_t n = last >= 0 ? (months + 11) / 12
                                     : (size_t)uniform(1, 20);
                if (n <= 100) {
                    for (size_t k = 0; k < n; k++)
                        w[k] = uniform(0, 3) ? 100 * unit() : 0;
                    w[uniform(0, (int)n - 1)] = 1 + unit();
                    g.profile = DG_PROFILE_WEIGHTS;
                    g.weights = w;
                    g.nweights = n;
                    if (last < 0) {
                        months = n * 12;
                        last = first + (int)months - 1;
                    }
                }
            }
        }
        /* what the rules say, derived here independently */
        bool known = last >= 0;
        bool one_off = g.kind == DG_KIND_EQUITY || g.kind == DG_KIND_DEBT ||
                       g.kind == DG_KIND_WARRANT;
        long double expected;
        if (g.per != DG_PER_TOTAL) {
            if (!known)
                months = 12;
            expected = (long double)g.amount * months /
                       (g.per == DG_PER_YEAR ? 12 : 1);
        } else {
            expected = g.amount;
            if (!known)
                months = one_off ? 1 : 0;
        }

        cr_assert_eq(dg_schedule_leg(&g, DG_AMOUNTS_DISCLOSED, &s), DG_OK,
                     "leg %d: %s", t, s.problem);
        if (months == 0) {
            cr_assert_eq(s.state, DG_SCHED_UNSCHEDULED, "leg %d", t);
            cr_assert_eq(s.amount, g.amount);
            continue;
        }
        cr_assert_eq(s.state, DG_SCHED_SCHEDULED, "leg %d", t);
        cr_assert_eq(s.first_month, first, "leg %d", t);
        cr_assert_eq(s.nmonths, months, "leg %d", t);
        cr_assert_eq(s.term_unknown, g.per != DG_PER_TOTAL && !known);
        cr_assert_eq(s.one_off, g.per == DG_PER_TOTAL && !known);

        /* the months: the profile's shape, nothing negative */
        long double total_w = 0;
        for (size_t i = 0; i < months; i++)
            total_w += g.profile == DG_PROFILE_EVEN   ? 1
                       : g.profile == DG_PROFILE_RAMP ? (long double)(i / 12 + 1)
                                                      : g.weights[i / 12];
        long double sum = 0;
        for (size_t i = 0; i < months; i++) {
            long double wi = g.profile == DG_PROFILE_EVEN ? 1
                             : g.profile == DG_PROFILE_RAMP
                                 ? (long double)(i / 12 + 1)
                                 : g.weights[i / 12];
            long double want = g.per == DG_PER_TOTAL
                                   ? expected * wi / total_w
                                   : expected / months;
            cr_assert(fabsl(s.monthly[i] - want) <= 1e-9L * want + 1e-6L,
                      "leg %d month %zu: %.6f, expected %.6Lf", t, i,
                      s.monthly[i], want);
            if (want == 0)
                cr_assert_eq(s.monthly[i], 0, "leg %d month %zu", t, i);
            sum += s.monthly[i];
        }

        /* conservation: the months, and the years, sum to the amount: to
         * the cent up to 1e13; above, where a double's step passes a
         * cent (2^-9 at 1e13), within two steps of the amount */
        long double tol = expected <= 1e13L ? 0.005L : expected * 1e-15L;
        to_the_cent += expected <= 1e13L;
        double ex = (double)expected;
        long double ulp = nextafter(ex, INFINITY) - ex;
        cr_assert(fabsl(sum - expected) <= tol &&
                      fabsl(sum - expected) <= 2 * ulp,
                  "leg %d: months sum to %.4Lf, expected %.4Lf", t, sum,
                  expected);
        cr_assert(fabsl((long double)s.amount - expected) <= tol);
        int y0 = first / 12, y1 = (first + (int)months - 1) / 12;
        long double years = 0;
        for (int y = y0; y <= y1; y++)
            years += dg_schedule_year(&s, y);
        cr_assert(fabsl(years - expected) <= tol,
                  "leg %d: years sum to %.4Lf, expected %.4Lf", t, years,
                  expected);
        /* nothing outside the period */
        cr_assert_eq(dg_schedule_year(&s, y0 - 1), 0);
        cr_assert_eq(dg_schedule_year(&s, y1 + 1), 0);
        cr_assert_eq(dg_schedule_months(&s, INT_MIN, first), 0);
        cr_assert_eq(dg_schedule_months(&s, first + (int)months, INT_MAX), 0);
    }
    /* most legs stay under 1e13 in all, where a double holds cents */
    cr_expect_gt(to_the_cent, LEGS / 2, "%zu checked to the cent",
                 to_the_cent);
}

Test(schedule, arbitrary_legs_never_crash_or_schedule_too_long)
{
    /* garbage a loader would refuse: any year, any term, any weights */
    static double w[300];
    for (int t = 0; t < 20000; t++) {
        dg_leg g;
        dg_leg_init(&g);
        g.kind = (dg_kind)uniform(0, DG_KIND_COUNT - 1);
        g.per = (dg_per)uniform(0, 2);
        g.amount = uniform(0, 9) ? pow(10, 15 * unit()) : NAN;
        g.amount_low = 1;
        g.amount_high = 2;
        if (uniform(0, 3))
            g.announced = (dg_date){(int16_t)uniform(-32768, 32767),
                                    (int8_t)uniform(0, 12), 0};
        if (uniform(0, 1))
            g.start = (dg_date){(int16_t)uniform(1850, 3050),
                                (int8_t)uniform(0, 12), 0};
        if (uniform(0, 1))
            g.end = (dg_date){(int16_t)uniform(1850, 3050),
                              (int8_t)uniform(0, 12), 0};
        g.term_months = uniform(0, 2) ? uniform(-1, 3000)
                                      : (int)(next() & 0x7fffffff);
        g.profile = (dg_profile)uniform(0, 2);
        if (g.profile == DG_PROFILE_WEIGHTS) {
            g.nweights = (size_t)uniform(0, 300);
            for (size_t k = 0; k < g.nweights; k++)
                w[k] = uniform(0, 9) ? 10 * unit() - 1 : 0;
            g.weights = w;
        }
        int rc = dg_schedule_leg(&g, (dg_amounts)uniform(0, 3), &s);
        cr_assert(rc == DG_OK || rc == DG_EINPUT, "leg %d: %d", t, rc);
        cr_assert_leq(s.nmonths, DG_SCHEDULE_MAX_MONTHS);
        if (rc == DG_EINPUT) {
            cr_assert_eq(s.state, DG_SCHED_INVALID);
            cr_assert_eq(s.nmonths, 0);
            cr_assert_neq(s.problem[0], '\0');
        }
        for (size_t i = 0; i < s.nmonths; i++)
            cr_assert(s.monthly[i] >= 0 && isfinite(s.monthly[i]),
                      "leg %d month %zu: %g", t, i, s.monthly[i]);
    }
}
