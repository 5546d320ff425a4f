/* The timeline (timeline.h): snapshots at each period's end, loops that
 * close and break, and the leg that did it. Every expected figure below is
 * derived by hand from the ledger in the test. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dealgraph/timeline.h"
#include "support.h"

/* A and B trade both ways from 2025-Q1; C joins in Q2 and closes a loop
 * A -> B -> C -> A; in Q3 a new leg E2 supersedes E1 (B -> C), so B -> C
 * is carried by E2 from then on; in Q4 the only leg C -> A ends, which
 * breaks the three-company loop.
 *
 *   leg  from to  amount  announced    ends
 *   L1   A -> B   10B     2025-01-15   -
 *   L2   B -> A    4B     2025-02-01   -           closes A > B > A in Q1
 *   E1   B -> C    6B     2025-04-10   2025-07-01  (superseded by E2)
 *   L3   C -> A    2B     2025-05-20   2025-11-30  closes A > B > C > A in Q2
 *   E2   B -> C    7B     2025-07-01   -           supersedes E1
 */
static const char ledger[] =
    "digraph t {\n"
    "  graph [focus=\"A\"];\n"
    "  A -> B [kind=\"cloud\", amount=\"10B\", per=\"year\", "
    "status=\"definitive\", announced=\"2025-01-15\", deal=\"L1\"];\n"
    "  B -> A [kind=\"equity\", amount=\"4B\", status=\"completed\", "
    "announced=\"2025-02-01\", deal=\"L2\"];\n"
    "  B -> C [kind=\"equity\", amount=\"6B\", status=\"definitive\", "
    "announced=\"2025-04-10\", deal=\"E1\"];\n"
    "  C -> A [kind=\"equity\", amount=\"2B\", status=\"definitive\", "
    "announced=\"2025-05-20\", ended=\"2025-11-30\", ended_why=\"lapsed\", "
    "deal=\"L3\"];\n"
    "  B -> C [kind=\"equity\", amount=\"7B\", status=\"definitive\", "
    "announced=\"2025-07-01\", supersedes=\"E1\", deal=\"E2\"];\n"
    "}\n";

static dg_timeline compute(const dg_ledger *l, dg_step step)
{
    dg_timeline_options o;
    dg_timeline_options_init(&o);
    o.step = step;
    o.focus = must_find(l, "A");
    dg_diags d;
    dg_diags_init(&d);
    dg_timeline t;
    cr_assert_eq(dg_timeline_compute(l, &o, &t, &d), DG_OK, "%s",
                 first_error(&d));
    dg_diags_finish(&d);
    return t;
}

Test(timeline, quarters_count_the_legs_alive_at_each_end)
{
    dg_ledger *l = must_load_dot(ledger);
    dg_timeline t = compute(l, DG_STEP_QUARTER);
    cr_assert_eq(t.npoints, 4, "2025-Q1 to Q4 (the last date: L3 ends "
                               "2025-11-30)");
    /* Q1: L1, L2 = 14B; Q2: + E1, L3 = 22B; Q3: E1 ended (superseded on
     * 07-01), E2 added = 10 + 4 + 2 + 7 = 23B; Q4: L3 ended = 21B */
    const double value[4] = {14e9, 22e9, 23e9, 21e9};
    const size_t legs[4] = {2, 4, 4, 3}, announced[4] = {2, 2, 1, 0},
                 ended[4] = {0, 0, 1, 1};
    for (size_t k = 0; k < 4; k++) {
        cr_expect_eq(t.points[k].year, 2025);
        cr_expect_eq(t.points[k].period, (int)k + 1);
        cr_expect_eq(t.points[k].legs, legs[k], "Q%zu", k + 1);
        cr_expect_eq(t.points[k].announced, announced[k], "Q%zu", k + 1);
        cr_expect_eq(t.points[k].ended, ended[k], "Q%zu", k + 1);
        cr_expect_float_eq(t.points[k].value, value[k], 1, "Q%zu", k + 1);
    }
    char d[16];
    cr_expect_str_eq(dg_date_format(t.points[1].end, d, sizeof d),
                     "2025-06-30");
    dg_timeline_finish(&t);
    dg_ledger_destroy(l);
}

Test(timeline, loops_reciprocity_and_the_focus_shares)
{
    dg_ledger *l = must_load_dot(ledger);
    dg_timeline t = compute(l, DG_STEP_QUARTER);
    /* loops: Q1 A>B>A; Q2 and Q3 also A>B>C>A; Q4 only A>B>A */
    const uint64_t loops[4] = {1, 2, 2, 1};
    /* hops: Q1 A-B both ways = 2 hops, 1 two-company loop: 2*1/2 = 1;
     * Q2, Q3: A->B, B->A, B->C, C->A = 4 hops: 2/4 = 0.5; Q4: 3 hops */
    const double recip[4] = {1.0, 0.5, 0.5, 2.0 / 3.0};
    /* looped value: every hop lies on a loop until Q4, where B -> C does
     * not: Q1 14B, Q2 22B, Q3 23B, Q4 14B */
    const double looped[4] = {14e9, 22e9, 23e9, 14e9};
    /* the focus A is on L1, L2 and L3: Q2 (10 + 4 + 2) / 22 */
    for (size_t k = 0; k < 4; k++) {
        cr_expect_eq(t.points[k].loops, loops[k], "Q%zu", k + 1);
        cr_expect_eq(t.points[k].two_company_loops, 1, "Q%zu", k + 1);
        cr_expect_float_eq(t.points[k].reciprocity, recip[k], 1e-12,
                           "Q%zu", k + 1);
        cr_expect_float_eq(t.points[k].looped_value, looped[k], 1, "Q%zu",
                           k + 1);
    }
    cr_expect_float_eq(t.points[1].focus_share, 16.0 / 22.0, 1e-12);
    /* Q4: A's legs L1, L2 = 14 of 21; all of the looped 14 */
    cr_expect_float_eq(t.points[3].focus_share, 14.0 / 21.0, 1e-12);
    cr_expect_float_eq(t.points[3].focus_looped_share, 1.0, 1e-12);
    dg_timeline_finish(&t);
    dg_ledger_destroy(l);
}

Test(timeline, each_loop_closes_and_breaks_with_its_leg)
{
    dg_ledger *l = must_load_dot(ledger);
    dg_timeline t = compute(l, DG_STEP_QUARTER);
    cr_assert_eq(t.nevents, 3);
    char d[16];
    /* Q1: A > B > A closed by L2 (the later of its two hops' first legs) */
    cr_expect(t.events[0].closed);
    cr_expect_eq(t.events[0].point, 0);
    cr_expect_str_eq(t.events[0].companies, "A > B > A");
    cr_expect_str_eq(l->legs[t.events[0].leg].deal, "L2");
    /* Q2: A > B > C > A closed by L3 on 2025-05-20 */
    cr_expect(t.events[1].closed);
    cr_expect_eq(t.events[1].point, 1);
    cr_expect_str_eq(t.events[1].companies, "A > B > C > A");
    cr_expect_str_eq(l->legs[t.events[1].leg].deal, "L3");
    cr_expect_str_eq(dg_date_format(t.events[1].date, d, sizeof d),
                     "2025-05-20");
    /* the superseded E1 does not break it in Q3 (E2 carries B -> C); Q4:
     * L3's end breaks it */
    cr_expect_not(t.events[2].closed);
    cr_expect_eq(t.events[2].point, 3);
    cr_expect_str_eq(l->legs[t.events[2].leg].deal, "L3");
    cr_expect_str_eq(dg_date_format(t.events[2].date, d, sizeof d),
                     "2025-11-30");
    dg_timeline_finish(&t);
    dg_ledger_destroy(l);
}

Test(timeline, years_and_months_cover_the_same_span)
{
    dg_ledger *l = must_load_dot(ledger);
    dg_timeline y = compute(l, DG_STEP_YEAR), m = compute(l, DG_STEP_MONTH);
    cr_expect_eq(y.npoints, 1);
    cr_expect_eq(y.points[0].period, 0);
    cr_expect_eq(m.npoints, 11, "January to November 2025");
    /* the last snapshot is the same ledger whatever the step */
    cr_expect_eq(y.points[0].legs, m.points[10].legs);
    cr_expect_float_eq(y.points[0].value, m.points[10].value, 1);
    cr_expect_eq(y.points[0].loops, m.points[10].loops);
    dg_timeline_finish(&y);
    dg_timeline_finish(&m);
    dg_ledger_destroy(l);
}

Test(timeline, no_leg_passing_the_filters_is_an_error)
{
    dg_ledger *l = must_load_dot(ledger);
    dg_timeline_options o;
    dg_timeline_options_init(&o);
    o.filter.kinds = 1u << DG_KIND_CHIPS;
    dg_diags d;
    dg_diags_init(&d);
    dg_timeline t;
    cr_expect_eq(dg_timeline_compute(l, &o, &t, &d), DG_EUSAGE);
    cr_expect_str_eq(d.items[0].message, "no leg passes the filters: there "
                                         "is no timeline to draw");
    cr_expect_null(t.points);
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

Test(timeline, the_command_reports_bad_input_with_exit_2)
{
    char *path = temp_file("t.dot", ledger);
    const char *a[] = {"timeline", path, "--by", "week", NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: timeline: --by 'week' is not a period; use "
                     "month, quarter or year");
    run_free(&r);
    const char *b[] = {"timeline", path, "--kinds", "chips", NULL};
    r = run_cli(b, NULL);
    cr_expect_eq(r.status, 2);
    char want[4096];
    snprintf(want, sizeof want,
             "dealgraph: timeline: %s: no leg passes the filters: there is no "
             "timeline to draw",
             path);
    cr_expect_str_eq(first_line(r.err), want);
    run_free(&r);
    /* the chart alone is an SVG document */
    const char *c[] = {"timeline", path, "--format", "svg", NULL};
    r = run_cli(c, NULL);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strncmp(r.out, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) ==
              0);
    cr_expect(strstr(r.out, "</svg>\n") != NULL);
    run_free(&r);
    free(path);
}

/* Each period is a loop search: dates over centuries are refused, with
 * the way out, instead of thousands of searches. 1950 to 2025 by month:
 * 76 years x 12 = 912 months, more than 600; by year 76 periods. */
Test(timeline, a_span_of_too_many_periods_is_refused)
{
    static const char text[] =
        "digraph t {\n"
        "  A -> B [kind=\"equity\", amount=\"1B\", status=\"completed\", "
        "announced=\"1950\"];\n"
        "  B -> A [kind=\"equity\", amount=\"1B\", status=\"completed\", "
        "announced=\"2025-12\"];\n"
        "}\n";
    dg_ledger *l = must_load_dot(text);
    dg_timeline_options o;
    dg_timeline_options_init(&o);
    o.step = DG_STEP_MONTH;
    dg_diags d;
    dg_diags_init(&d);
    dg_timeline t;
    cr_expect_eq(dg_timeline_compute(l, &o, &t, &d), DG_ELIMIT);
    cr_expect_str_eq(d.items[0].message,
                     "the legs run from 1950 to 2025-12: 912 months, more "
                     "than the 600 a timeline takes; count by a longer "
                     "period or end it earlier");
    o.step = DG_STEP_YEAR;
    cr_assert_eq(dg_timeline_compute(l, &o, &t, &d), DG_OK);
    cr_expect_eq(t.npoints, 76);
    dg_timeline_finish(&t);
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}
