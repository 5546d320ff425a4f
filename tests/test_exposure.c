/*
 * test_exposure.c - a ledger's flows and every company's exposure to the
 * focal company (library), and the `dealgraph exposure` command.
 *
 * Every expected number comes from /work/shared/REFERENCE-VALUES.md (its
 * source named at the test) or from a derivation written beside the test,
 * never from the program's own output. Reference figures printed with d
 * decimals are checked to half a unit of their last digit (0.5e-d).
 */
#include "dealgraph/exposure.h"
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

TestSuite(exposure, .init = quiet_igraph);

#define assert_printed(actual, expected, decimals)                           \
    do {                                                                     \
        double a_ = (actual), e_ = (expected);                               \
        double t_ = 0.5 * pow(10.0, -(decimals)) + 1e-12;                    \
        cr_assert(fabs(a_ - e_) <= t_, "%s = %.12g, expected %.*f (+-%g)",   \
                  #actual, a_, (int)(decimals), e_, t_);                     \
    } while (0)

#define assert_near(actual, expected)                                        \
    do {                                                                     \
        double a_ = (actual), e_ = (expected);                               \
        double t_ = 1e-12 * (fabs(e_) > 1.0 ? fabs(e_) : 1.0);               \
        cr_assert(fabs(a_ - e_) <= t_, "%s = %.17g, expected %.17g",         \
                  #actual, a_, e_);                                          \
    } while (0)

#define assert_nan(actual) cr_assert(isnan(actual), "%s = %.17g, expected NaN", \
                                     #actual, (double)(actual))

#define LEG(from, to, amount)                                                \
    "\"" from "\" -> \"" to "\" [kind=\"services\", amount=\"" amount        \
    "\", status=\"completed\", announced=\"2025\"];\n"

/* ---- helpers ------------------------------------------------------------------ */

/* Exposure of every company of `l` to `focus`, all legs. */
static void expose(const dg_ledger *l, const char *focus, dg_exposure *e)
{
    dg_diags d;
    dg_diags_init(&d);
    int rc = dg_exposure_compute(l, NULL, must_find(l, focus), e, &d);
    cr_assert_eq(rc, DG_OK, "rc %d: %s", rc, first_error(&d));
    dg_diags_finish(&d);
}

static const dg_exposure_row *row(const dg_ledger *l, const dg_exposure *e,
                                  const char *name)
{
    const dg_exposure_row *r = dg_exposure_row_of(e, must_find(l, name));
    cr_assert(r);
    return r;
}

static dg_ledger *cone_springs(void)
{
    char *path = src_path("tests/cases/cone-springs.dot");
    dg_diags d;
    dg_diags_init(&d);
    dg_ledger *l = dg_ledger_load(path, NULL, &d, NULL);
    cr_assert(l, "%s: %s", path, first_error(&d));
    cr_assert_eq(d.count, 0, "cone-springs.dot has diagnostics: %s",
                 d.count ? d.items[0].message : "");
    dg_diags_finish(&d);
    free(path);
    return l;
}

/* ---- Cone Springs, as a ledger ------------------------------------------------- */

/* REFERENCE-VALUES.md: Cone Springs (enaR, troModels[["Cone Springs"]]);
 * inflow-based throughflow T = Plants 11184, Bacteria 5205,
 * DetritusFeeders 2384, Carnivores 370, Detritus 11483; TST 30626. */
Test(exposure, cone_springs_ledger_throughflow_matches_enar)
{
    dg_ledger *l = cone_springs();
    dg_exposure e;
    expose(l, "Plants", &e);
    assert_near(row(l, &e, "Plants")->throughflow, 11184);
    assert_near(row(l, &e, "Bacteria")->throughflow, 5205);
    assert_near(row(l, &e, "DetritusFeeders")->throughflow, 2384);
    assert_near(row(l, &e, "Carnivores")->throughflow, 370);
    assert_near(row(l, &e, "Detritus")->throughflow, 11483);
    assert_near(e.tst, 30626);
    /* Boundary inflow is the outside_inflow of each node, not a balance. */
    assert_near(row(l, &e, "Detritus")->boundary, 635);
    assert_near(e.boundary, 11184 + 635);
    cr_expect_eq(e.given_boundary, 5);
    dg_exposure_finish(&e);
    dg_ledger_destroy(l);
}

/* REFERENCE-VALUES.md: FCI = 0.0919390 (published as 0.0919 in "A New
 * Ecology", ch. 5); average path length TST / sum z = 2.591251. */
Test(exposure, cone_springs_ledger_fci_is_0_0919390)
{
    dg_ledger *l = cone_springs();
    dg_exposure e;
    expose(l, "Plants", &e);
    assert_printed(e.fci, 0.0919390, 7);
    assert_printed(e.path_length, 2.591251, 6);
    assert_near(e.path_length, 30626.0 / 11819.0);
    dg_exposure_finish(&e);
    dg_ledger_destroy(l);
}

/* REFERENCE-VALUES.md: Carnivores' inflow passed through Plants 0.933270,
 * through Bacteria 0.171728, through Detritus 1.0 (D_jk = N'_jk / N'_kk). */
Test(exposure, carnivores_pass_through_on_plants_bacteria_detritus)
{
    static const struct {
        const char *focus;
        double share;
        int decimals;
    } cases[] = {{"Plants", 0.933270, 6},
                 {"Bacteria", 0.171728, 6},
                 {"Detritus", 1.0, 12}};
    dg_ledger *l = cone_springs();
    for (size_t k = 0; k < 3; k++) {
        dg_exposure e;
        expose(l, cases[k].focus, &e);
        assert_printed(row(l, &e, "Carnivores")->pass_through_share,
                       cases[k].share, cases[k].decimals);
        dg_exposure_finish(&e);
    }
    dg_ledger_destroy(l);
}

/* REFERENCE-VALUES.md: Detritus' own cycling share (N'_kk - 1) / N'_kk =
 * 0.171297; from diag N = 1.2067045: 0.2067045 / 1.2067045 = 0.1712960.
 * Plants is on no loop: 0. */
Test(exposure, detritus_own_cycling_share_is_0_171297)
{
    dg_ledger *l = cone_springs();
    dg_exposure e;
    expose(l, "Detritus", &e);
    assert_printed(e.focus_cycling_share, 0.171297, 6);
    dg_exposure_finish(&e);
    expose(l, "Plants", &e);
    assert_near(e.focus_cycling_share, 0.0);
    dg_exposure_finish(&e);
    dg_ledger_destroy(l);
}

/* REFERENCE-VALUES.md: diag N = (1, 1.1693512, 1.0385666, 1.0175494,
 * 1.2067045) for Plants, Bacteria, DetritusFeeders, Carnivores, Detritus.
 * The ledger path reports each focus's cycling share c = (N_kk - 1) /
 * N_kk, so N_kk = 1 / (1 - c). */
Test(exposure, cone_springs_diagonal_of_n_through_the_cycling_shares)
{
    static const struct {
        const char *name;
        double nkk;
    } diag[] = {{"Plants", 1.0},
                {"Bacteria", 1.1693512},
                {"DetritusFeeders", 1.0385666},
                {"Carnivores", 1.0175494},
                {"Detritus", 1.2067045}};
    dg_ledger *l = cone_springs();
    for (size_t k = 0; k < 5; k++) {
        dg_exposure e;
        expose(l, diag[k].name, &e);
        assert_printed(1.0 / (1.0 - e.focus_cycling_share), diag[k].nkk, 7);
        dg_exposure_finish(&e);
    }
    dg_ledger_destroy(l);
}

/* REFERENCE-VALUES.md: origin shares O = N' diag(z/T), each row sums to 1.
 * Only Plants and Detritus have outside inflow, so every company's origin
 * shares on those two sum to 1. Plants receives nothing from the ledger:
 * all of its throughflow originates at itself. */
Test(exposure, cone_springs_origin_shares_sum_to_one)
{
    dg_ledger *l = cone_springs();
    dg_exposure p, d;
    expose(l, "Plants", &p);
    expose(l, "Detritus", &d);
    for (size_t k = 0; k < p.n; k++) {
        const dg_exposure_row *rp = &p.rows[k];
        const dg_exposure_row *rd = dg_exposure_row_of(&d, rp->company);
        cr_assert(rd);
        assert_near(rp->origin_share + rd->origin_share, 1.0);
    }
    assert_near(row(l, &p, "Plants")->origin_share, 1.0);
    dg_exposure_finish(&p);
    dg_exposure_finish(&d);
    dg_ledger_destroy(l);
}

/* Detritus' sources: Plants 8881, Bacteria 1600, DetritusFeeders 200,
 * Carnivores 167 of T = 11483 (the 635 outside inflow counts as fully
 * fragmented): HHI = 10000 (8881^2 + 1600^2 + 200^2 + 167^2) / 11483^2. */
Test(exposure, cone_springs_detritus_inflow_hhi_and_largest_source)
{
    dg_ledger *l = cone_springs();
    dg_exposure e;
    expose(l, "Plants", &e);
    const dg_exposure_row *r = row(l, &e, "Detritus");
    double T = 11483.0;
    assert_near(r->inflow_hhi,
                1e4 * (8881.0 * 8881 + 1600.0 * 1600 + 200.0 * 200 +
                       167.0 * 167) /
                    (T * T));
    cr_expect_eq(r->hhi_band, DG_HHI_HIGH);
    cr_expect_eq(r->largest, must_find(l, "Plants"));
    assert_near(r->largest_share, 8881.0 / T);
    assert_near(r->direct_inflow_share, 8881.0 / T);
    dg_exposure_finish(&e);
    dg_ledger_destroy(l);
}

/* ---- two companies: FCI 1/3 ------------------------------------------------------ */

/* REFERENCE-VALUES.md, "Two companies": A receives 10 from outside; A->B
 * 15; B->A 5; B sends 10 outside. FCI = 1/3 exactly.
 * By hand: T_A = 5 + 10 = 15, T_B = 15. Q_AB = F_BA / T_A = 1/3,
 * Q_BA = F_AB / T_B = 1; N' = (I - Q)^-1 has N'_AA = N'_BB = 1 / (1 - 1/3)
 * = 3/2, so each cycling share is (3/2 - 1) / (3/2) = 1/3. B's inflow all
 * comes from A: direct inflow, pass-through and largest share 1, HHI
 * 10000; B's outflow all goes to A: direct outflow share 1. Origin: all
 * outside money enters at A, so O_BA = 1. Every leg touches A and lies on
 * the loop: both value shares are 1. */
static const char two_companies[] =
    "digraph t {\n graph [focus=\"A\"];\n"
    " \"A\" [outside_inflow=\"10\"];\n"
    " \"B\";\n" LEG("A", "B", "15") LEG("B", "A", "5") "}\n";

Test(exposure, two_company_loop_fci_is_one_third)
{
    dg_ledger *l = must_load_dot(two_companies);
    dg_exposure e;
    expose(l, "A", &e);
    assert_near(e.fci, 1.0 / 3.0);
    assert_near(e.focus_cycling_share, 1.0 / 3.0);
    const dg_exposure_row *b = row(l, &e, "B");
    assert_near(b->throughflow, 15);
    assert_near(b->boundary, 0); /* balancing: B pays out less than it gets */
    assert_near(b->direct_inflow_share, 1);
    assert_near(b->direct_outflow_share, 1);
    assert_near(b->pass_through_share, 1);
    assert_near(b->origin_share, 1);
    assert_near(b->inflow_hhi, 10000);
    assert_near(b->largest_share, 1);
    cr_expect_eq(b->largest, must_find(l, "A"));
    assert_near(e.focus_share_of_value, 1);
    assert_near(e.looped_value, 20);
    assert_near(e.focus_share_of_looped_value, 1);
    dg_exposure_finish(&e);
    dg_ledger_destroy(l);
}

/* ---- hand-derived shares -------------------------------------------------------- */

/* A chain with a side entry and no loop:
 *   F -> X 30, Y -> X 10, X -> Z 20, X -> F 5
 * No outside_inflow anywhere, so z = max(0, outflow - inflow):
 *   z_F = 30 - 5 = 25, T_F = 5 + 25 = 30; z_Y = 10, T_Y = 10;
 *   X: in 40, out 25, z_X = 0, T_X = 40; Z: in 20, z_Z = 0, T_Z = 20.
 * X: direct inflow 30/40 = 0.75, direct outflow 5/25 = 0.2;
 *   pass-through on F: a unit reaching X came from F with 0.75, and F is
 *   reached from X only via X -> F, which makes a loop F -> X -> F:
 *   Q_XF = 0.75, Q_FX = 5/30 = 1/6; N'_XF = Q_XF / (1 - Q_XF Q_FX)
 *   = 0.75 / (1 - 0.125) = 6/7, N'_FF = 1 / (1 - 0.125) = 8/7,
 *   D_XF = (6/7) / (8/7) = 0.75: the loop counts once.
 *   Origin at F: O_XF = N'_XF z_F / T_F = (6/7)(25/30) = 5/7.
 *   HHI: shares 0.75 and 0.25: 10000 (0.5625 + 0.0625) = 6250, high.
 * Z: all from X: direct 0, pass-through on F = N'_ZF / N'_FF = Q_ZX N'_XF
 *   / N'_FF = 0.75; origin 5/7 (like X); HHI 10000; no outflow: the
 *   direct outflow share is n/a, not 0.
 * Y: no ledger inflow, T_Y = z_Y = 10: every inflow-side share is 0 (it
 *   receives only from outside), no largest source, HHI 0; it sends all
 *   its outflow to X: direct outflow share on F 0.
 * Value: total 30 + 10 + 20 + 5 = 65; on legs touching F 35. Loops: the
 *   hops F -> X and X -> F (35), all touching F. */
static const char chain[] =
    "digraph t {\n graph [focus=\"F\"];\n" LEG("F", "X", "30")
        LEG("Y", "X", "10") LEG("X", "Z", "20") LEG("X", "F", "5") "}\n";

Test(exposure, chain_with_side_entry_has_hand_derived_shares)
{
    dg_ledger *l = must_load_dot(chain);
    dg_exposure e;
    expose(l, "F", &e);
    const dg_exposure_row *x = row(l, &e, "X"), *z = row(l, &e, "Z"),
                          *y = row(l, &e, "Y"), *f = row(l, &e, "F");
    assert_near(f->boundary, 25);
    assert_near(f->throughflow, 30);
    assert_near(f->pass_through_share, 1);
    assert_near(x->throughflow, 40);
    assert_near(x->direct_inflow_share, 0.75);
    assert_near(x->direct_outflow_share, 0.2);
    assert_near(x->pass_through_share, 0.75);
    assert_near(x->origin_share, 5.0 / 7.0);
    assert_near(x->inflow_hhi, 6250);
    cr_expect_eq(x->hhi_band, DG_HHI_HIGH);
    cr_expect_eq(x->largest, must_find(l, "F"));
    assert_near(x->largest_share, 0.75);
    assert_near(z->direct_inflow_share, 0);
    assert_near(z->pass_through_share, 0.75);
    assert_near(z->origin_share, 5.0 / 7.0);
    assert_near(z->inflow_hhi, 10000);
    assert_nan(z->direct_outflow_share);
    assert_near(y->throughflow, 10);
    assert_near(y->direct_inflow_share, 0);
    assert_near(y->pass_through_share, 0);
    assert_near(y->origin_share, 0);
    assert_near(y->inflow_hhi, 0);
    cr_expect_eq(y->hhi_band, DG_HHI_UNCONCENTRATED);
    cr_expect_eq(y->largest, SIZE_MAX);
    assert_nan(y->largest_share);
    assert_near(y->direct_outflow_share, 0);
    assert_near(e.total_value, 65);
    assert_near(e.focus_value, 35);
    assert_near(e.focus_share_of_value, 35.0 / 65.0);
    assert_near(e.looped_value, 35);
    assert_near(e.focus_share_of_looped_value, 1);
    /* F's cycling share: (N'_FF - 1) / N'_FF = (1/7) / (8/7) = 1/8. */
    assert_near(e.focus_cycling_share, 0.125);
    dg_exposure_finish(&e);
    dg_ledger_destroy(l);
}

/* Two separate loops: A <-> B (10 + 4) and C <-> D (6 + 3), and B -> C 2
 * joining them (on no loop). Looped value 14 + 9 = 23. Focus A touches
 * the hops of the first loop: 14/23; focus C touches the second: 9/23.
 * Share of all value (25): A 14/25; C 6 + 3 + 2 = 11/25. */
Test(exposure, focus_share_of_looped_value_counts_hops_on_loops)
{
    static const char text[] =
        "digraph t {\n" LEG("A", "B", "10") LEG("B", "A", "4")
            LEG("C", "D", "6") LEG("D", "C", "3") LEG("B", "C", "2") "}\n";
    dg_ledger *l = must_load_dot(text);
    dg_exposure e;
    expose(l, "A", &e);
    assert_near(e.looped_value, 23);
    assert_near(e.focus_looped_value, 14);
    assert_near(e.focus_share_of_looped_value, 14.0 / 23.0);
    assert_near(e.focus_share_of_value, 14.0 / 25.0);
    dg_exposure_finish(&e);
    expose(l, "C", &e);
    assert_near(e.focus_share_of_looped_value, 9.0 / 23.0);
    assert_near(e.focus_share_of_value, 11.0 / 25.0);
    dg_exposure_finish(&e);
    dg_ledger_destroy(l);
}

/* No loop at all: the looped share has no denominator, NaN (JSON null),
 * and so has nothing else changed: FCI 0. */
Test(exposure, ledger_without_loops_has_no_looped_share_and_fci_zero)
{
    dg_ledger *l = must_load_dot("digraph t {\n" LEG("A", "B", "10") "}\n");
    dg_exposure e;
    expose(l, "A", &e);
    assert_near(e.looped_value, 0);
    assert_nan(e.focus_share_of_looped_value);
    assert_near(e.fci, 0);
    assert_near(e.focus_share_of_value, 1);
    dg_exposure_finish(&e);
    dg_ledger_destroy(l);
}

/* US DOJ example (REFERENCE-VALUES.md, Concentration): four sources with
 * shares 30, 30, 20, 20 give HHI 2600, highly concentrated. X receives
 * 30, 30, 20, 20 and pays out nothing: z_X = 0, T_X = 100. The largest
 * source is a tie between A and B at 30%: the first by name, A. */
Test(exposure, doj_shares_as_a_ledger_give_hhi_2600)
{
    static const char text[] =
        "digraph t {\n" LEG("B", "X", "30") LEG("A", "X", "30")
            LEG("C", "X", "20") LEG("D", "X", "20") "}\n";
    dg_ledger *l = must_load_dot(text);
    dg_exposure e;
    expose(l, "A", &e);
    const dg_exposure_row *x = row(l, &e, "X");
    assert_near(x->inflow_hhi, 2600);
    cr_expect_eq(x->hhi_band, DG_HHI_HIGH);
    cr_expect_str_eq(dg_exposure_band_name(x), "highly concentrated");
    cr_expect_eq(x->largest, must_find(l, "A"));
    assert_near(x->largest_share, 0.3);
    assert_near(x->direct_inflow_share, 0.3);
    dg_exposure_finish(&e);
    dg_ledger_destroy(l);
}

/* Parallel legs on one pair add up: 3 legs A -> B of 1, 2 and 4 are one
 * flow of 7; an undisclosed leg adds nothing and is counted apart; a
 * filtered-out leg is counted as such. */
Test(exposure, parallel_legs_add_and_undisclosed_legs_carry_nothing)
{
    static const char text[] =
        "digraph t {\n" LEG("A", "B", "1") LEG("A", "B", "2")
            LEG("A", "B", "4")
        " \"A\" -> \"B\" [kind=\"chips\", status=\"completed\", "
        "announced=\"2025\"];\n"
        " \"A\" -> \"B\" [kind=\"services\", amount=\"100\", "
        "status=\"talks\", announced=\"2025\"];\n"
        "}\n";
    dg_ledger *l = must_load_dot(text);
    dg_filter f;
    dg_filter_init(&f);
    f.min_status = DG_STATUS_LOI; /* drops the leg in talks */
    dg_flows fl;
    cr_assert_eq(dg_flows_build(l, &f, &fl), DG_OK);
    size_t a = fl.rank[must_find(l, "A")], b = fl.rank[must_find(l, "B")];
    assert_near(fl.flow[a * fl.n + b], 7);
    assert_near(fl.flow[b * fl.n + a], 0);
    assert_near(fl.total, 7);
    cr_expect_eq(fl.legs, 4);
    cr_expect_eq(fl.valued, 3);
    cr_expect_eq(fl.undisclosed, 1);
    cr_expect_eq(fl.filtered, 1);
    /* Positions are in name order. */
    cr_expect_str_eq(l->companies[fl.company[0]].name, "A");
    dg_flows_finish(&fl);
    dg_ledger_destroy(l);
}

/* ---- edge cases ------------------------------------------------------------------- */

/* A company with no inflow at all (outside_inflow given as 0, and it pays
 * out 10): T = 0, so every inflow-side share is n/a (NaN), never 0; its
 * outflow share is still defined (all of it goes to F). An isolated
 * company (declared, no legs) has n/a everywhere. Both count as idle. */
Test(exposure, company_without_inflow_and_isolated_company_are_na)
{
    static const char text[] =
        "digraph t {\n graph [focus=\"F\"];\n"
        " \"S\" [outside_inflow=\"0\"];\n \"Lonely\";\n" LEG("S", "F", "10")
        "}\n";
    dg_ledger *l = must_load_dot(text);
    dg_exposure e;
    expose(l, "F", &e);
    const dg_exposure_row *s = row(l, &e, "S"), *i = row(l, &e, "Lonely");
    assert_near(s->throughflow, 0);
    assert_nan(s->direct_inflow_share);
    assert_nan(s->pass_through_share);
    assert_nan(s->origin_share);
    assert_nan(s->inflow_hhi);
    cr_expect_null(dg_exposure_band_name(s));
    cr_expect_eq(s->largest, SIZE_MAX);
    assert_near(s->direct_outflow_share, 1);
    assert_near(i->throughflow, 0);
    assert_nan(i->direct_inflow_share);
    assert_nan(i->direct_outflow_share);
    assert_nan(i->pass_through_share);
    cr_expect_eq(e.idle, 2);
    /* F receives 10 that originated nowhere (S has no inflow): F's origin
     * share on itself is z_F / T_F = 0 / 10. */
    assert_near(row(l, &e, "F")->origin_share, 0);
    dg_exposure_finish(&e);
    dg_ledger_destroy(l);
}

/* A closed loop with nothing coming in from outside: A -> B 10, B -> A 10;
 * each pays out what it gets, so the balancing outside inflow is 0 and
 * I - Q is singular. The error names both companies (in name order) at the
 * line of the first one declared, and nothing is computed. */
Test(exposure, singular_ledger_is_an_error_naming_the_companies)
{
    static const char text[] = "digraph t {\n"    /* line 1 */
                               " \"B\";\n"         /* line 2 */
                               " \"A\";\n"         /* line 3 */
                               LEG("A", "B", "10") /* line 4 */
                               LEG("B", "A", "10") "}\n";
    dg_ledger *l = must_load_dot(text);
    dg_diags d;
    dg_diags_init(&d);
    dg_exposure e;
    int rc = dg_exposure_compute(l, NULL, must_find(l, "A"), &e, &d);
    cr_assert_eq(rc, DG_EINPUT);
    cr_assert_eq(d.errors, 1);
    cr_expect_eq(d.items[0].line, 2);
    static const char start[] =
        "singular system: A, B pass money round among themselves";
    cr_expect(strncmp(d.items[0].message, start, strlen(start)) == 0, "%s",
              d.items[0].message);
    cr_expect_eq(e.rows, NULL);
    dg_exposure_finish(&e);
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

/* ---- Capex/EBITDA and funding stage ---------------------------------------------- */

/* Stage 1: ratio below 1 and no financing leg in (G: 22.446 / 36.269 =
 * 0.6189, Alphabet's quarter in the source article). Stage 2: a financing
 * leg in, even an undisclosed one (H: 5 / 10 = 0.5, but an equity leg
 * from I); a ratio of 1 or more (K: 12 / 10 = 1.2); EBITDA below zero (L:
 * the ratio is not meaningful, NaN). The currency cancels (C, in CNY:
 * 38.676 / 45.735 = 0.8457). Only one figure (M): no ratio, no stage. */
Test(exposure, capex_to_ebitda_and_funding_stage)
{
    static const char text[] =
        "digraph t {\n"
        " \"G\" [capex=\"22.446B\", ebitda=\"36.269B\"];\n"
        " \"H\" [capex=\"5B\", ebitda=\"10B\"];\n"
        " \"K\" [capex=\"12B\", ebitda=\"10B\"];\n"
        " \"L\" [capex=\"3B\", ebitda=\"-1B\"];\n"
        " \"C\" [capex=\"38.676B\", ebitda=\"45.735B\", currency=\"CNY\"];\n"
        " \"M\" [capex=\"3B\"];\n"
        " \"I\" -> \"H\" [kind=\"equity\", status=\"completed\", "
        "announced=\"2025\"];\n" LEG("G", "K", "1") "}\n";
    dg_ledger *l = must_load_dot(text);
    dg_exposure e;
    expose(l, "G", &e);
    const dg_exposure_row *g = row(l, &e, "G"), *h = row(l, &e, "H"),
                          *k = row(l, &e, "K"), *lo = row(l, &e, "L"),
                          *c = row(l, &e, "C"), *m = row(l, &e, "M");
    assert_near(g->capex_to_ebitda, 22.446 / 36.269);
    cr_expect_eq(g->stage, DG_STAGE_1);
    assert_near(h->capex_to_ebitda, 0.5);
    cr_expect(h->external_financing);
    cr_expect_eq(h->stage, DG_STAGE_2);
    assert_near(k->capex_to_ebitda, 1.2);
    cr_expect_eq(k->stage, DG_STAGE_2);
    assert_nan(lo->capex_to_ebitda);
    cr_expect(lo->ratio_not_meaningful);
    cr_expect_eq(lo->stage, DG_STAGE_2);
    assert_near(c->capex_to_ebitda, 38.676 / 45.735);
    cr_expect_eq(c->stage, DG_STAGE_1);
    assert_nan(m->capex_to_ebitda);
    cr_expect_eq(m->stage, DG_STAGE_NONE);
    dg_exposure_finish(&e);
    dg_ledger_destroy(l);
}

/* A filter that drops the financing leg also drops its effect on the
 * stage: with --kinds services the equity leg into H does not count. */
Test(exposure, funding_stage_follows_the_filter)
{
    static const char text[] =
        "digraph t {\n \"H\" [capex=\"5B\", ebitda=\"10B\"];\n"
        " \"I\" -> \"H\" [kind=\"equity\", amount=\"1B\", "
        "status=\"completed\", announced=\"2025\"];\n}\n";
    dg_ledger *l = must_load_dot(text);
    dg_filter f;
    dg_filter_init(&f);
    f.kinds = 1u << DG_KIND_SERVICES;
    dg_diags d;
    dg_diags_init(&d);
    dg_exposure e;
    cr_assert_eq(dg_exposure_compute(l, &f, must_find(l, "H"), &e, &d), DG_OK);
    cr_expect_eq(row(l, &e, "H")->stage, DG_STAGE_1);
    dg_exposure_finish(&e);
    cr_assert_eq(dg_exposure_compute(l, NULL, must_find(l, "H"), &e, &d),
                 DG_OK);
    cr_expect_eq(row(l, &e, "H")->stage, DG_STAGE_2);
    dg_exposure_finish(&e);
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

/* ---- the focal company ------------------------------------------------------------ */

Test(exposure, focus_resolves_from_option_then_ledger)
{
    dg_ledger *l = must_load_dot(two_companies);
    dg_diags d;
    dg_diags_init(&d);
    size_t i;
    cr_assert_eq(dg_focus_resolve(l, NULL, "exposure", &i, &d), DG_OK);
    cr_expect_eq(i, must_find(l, "A"));
    cr_assert_eq(dg_focus_resolve(l, "B", "exposure", &i, &d), DG_OK);
    cr_expect_eq(i, must_find(l, "B"));
    cr_expect_eq(d.count, 0);
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

/* Close matches: case-insensitive edit distance (at most a third of the
 * letters), then names the word begins; up to three, in name order. */
Test(exposure, unknown_focus_lists_close_matches)
{
    static const char text[] =
        "digraph t {\n \"OpenAI\";\n \"OpenAI round co-investors\";\n"
        " \"Oracle\";\n \"NVIDIA\";\n}\n";
    dg_ledger *l = must_load_dot(text);
    dg_diags d;
    dg_diags_init(&d);
    size_t i;
    cr_assert_eq(dg_focus_resolve(l, "openai", "exposure", &i, &d),
                 DG_EUSAGE);
    cr_expect_str_eq(d.items[0].message,
                     "exposure: unknown company 'openai' for --focus; did "
                     "you mean 'OpenAI' or 'OpenAI round co-investors'?");
    cr_assert_eq(dg_focus_resolve(l, "Boeing", "stress", &i, &d), DG_EUSAGE);
    cr_expect_str_eq(d.items[1].message,
                     "stress: unknown company 'Boeing' for --focus; give a "
                     "company name exactly as the ledger writes it (names "
                     "are case-sensitive)");
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

/* The library's own words speak of the ledger, never of a command-line
 * flag: the caller names where a name came from (given_as) and adds its
 * own fix. */
Test(exposure, focus_find_speaks_of_the_ledger)
{
    static const char text[] =
        "digraph t {\n \"OpenAI\";\n \"Oracle\";\n" LEG("OpenAI", "Oracle",
                                                      "1") "}\n";
    dg_ledger *l = must_load_dot(text);
    dg_diags d;
    dg_diags_init(&d);
    size_t i = 99;
    cr_assert_eq(dg_focus_find(l, "Oracle", NULL, &i, &d), DG_OK);
    cr_expect_eq(i, must_find(l, "Oracle"));
    cr_assert_eq(dg_focus_find(l, NULL, NULL, &i, &d), DG_EUSAGE);
    char want[512];
    snprintf(want, sizeof want,
             "no focal company: %s sets no `focus` graph attribute",
             l->path ? l->path : "the ledger");
    cr_expect_str_eq(d.items[0].message, want);
    cr_assert_eq(dg_focus_find(l, "openai", NULL, &i, &d), DG_EUSAGE);
    cr_expect_str_eq(d.items[1].message,
                     "unknown company 'openai'; did you mean 'OpenAI'?");
    cr_assert_eq(dg_focus_find(l, "Boeing", "the option", &i, &d),
                 DG_EUSAGE);
    cr_expect_str_eq(d.items[2].message,
                     "unknown company 'Boeing' for the option; give a "
                     "company name exactly as the ledger writes it (names "
                     "are case-sensitive)");
    cr_expect_eq(d.errors, 3);
    for (size_t k = 0; k < d.count; k++)
        cr_expect_null(strstr(d.items[k].message, "--"), "%s",
                       d.items[k].message);
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

/* dg_focus_resolve keeps the executable's wording on top of it. */
Test(exposure, focus_resolve_adds_the_command_and_the_flag)
{
    static const char text[] = "digraph t {\n" LEG("A", "B", "1") "}\n";
    dg_ledger *l = must_load_dot(text);
    dg_diags d;
    dg_diags_init(&d);
    size_t i;
    cr_assert_eq(dg_focus_resolve(l, NULL, "stress", &i, &d), DG_EUSAGE);
    char want[512];
    snprintf(want, sizeof want,
             "stress: no focal company: %s sets no `focus` graph attribute; "
             "give --focus NAME",
             l->path ? l->path : "the ledger");
    cr_expect_str_eq(d.items[0].message, want);
    cr_expect_eq(d.count, 1);
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

/* ---- order independence --------------------------------------------------------- */

/* The same ledger twice: companies and legs in opposite orders. Parallel
 * legs of 0.1, 0.2 and 0.3 would sum to different doubles in different
 * orders ((0.1 + 0.2) + 0.3 != (0.3 + 0.2) + 0.1); results must still be
 * identical to the bit. */
static const char *const nodes[] = {
    " \"Zeta\" [outside_inflow=\"5\"];\n", " \"Alpha\";\n", " \"Mu\";\n",
    " \"Beta\";\n", " \"Omega\" [outside_inflow=\"0.7\"];\n"};
static const char *const legs[] = {
    LEG("Zeta", "Alpha", "0.1"), LEG("Zeta", "Alpha", "0.2"),
    LEG("Zeta", "Alpha", "0.3"), LEG("Alpha", "Mu", "3"),
    LEG("Mu", "Zeta", "1.7"),    LEG("Mu", "Beta", "0.9"),
    LEG("Beta", "Alpha", "0.4"), LEG("Omega", "Beta", "0.6"),
    LEG("Beta", "Omega", "0.25")};

static char *ordered_ledger(bool reverse)
{
    static char buf[8192];
    size_t nn = sizeof nodes / sizeof *nodes, nl = sizeof legs / sizeof *legs;
    strcpy(buf, "digraph t {\n graph [focus=\"Alpha\"];\n");
    for (size_t k = 0; k < nn; k++)
        strcat(buf, nodes[reverse ? nn - 1 - k : k]);
    for (size_t k = 0; k < nl; k++)
        strcat(buf, legs[reverse ? nl - 1 - k : k]);
    strcat(buf, "}\n");
    return buf;
}

static bool same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

Test(exposure, results_do_not_depend_on_company_or_leg_order)
{
    dg_ledger *l1 = must_load_dot(ordered_ledger(false));
    dg_ledger *l2 = must_load_dot(ordered_ledger(true));
    dg_exposure e1, e2;
    expose(l1, "Alpha", &e1);
    expose(l2, "Alpha", &e2);
    cr_assert_eq(e1.n, e2.n);
    for (size_t k = 0; k < e1.n; k++) {
        const dg_exposure_row *a = &e1.rows[k], *b = &e2.rows[k];
        const char *name = l1->companies[a->company].name;
        cr_assert_str_eq(name, l2->companies[b->company].name);
        cr_expect(same_bits(a->throughflow, b->throughflow), "%s", name);
        cr_expect(same_bits(a->direct_inflow_share, b->direct_inflow_share));
        cr_expect(same_bits(a->direct_outflow_share, b->direct_outflow_share));
        cr_expect(same_bits(a->pass_through_share, b->pass_through_share),
                  "%s: %.17g vs %.17g", name, a->pass_through_share,
                  b->pass_through_share);
        cr_expect(same_bits(a->origin_share, b->origin_share));
        cr_expect(same_bits(a->inflow_hhi, b->inflow_hhi));
    }
    cr_expect(same_bits(e1.fci, e2.fci));
    cr_expect(same_bits(e1.focus_share_of_value, e2.focus_share_of_value));
    cr_expect(same_bits(e1.focus_cycling_share, e2.focus_cycling_share));
    cr_expect(same_bits(e1.focus_share_of_looped_value,
                        e2.focus_share_of_looped_value));
    /* The flow matrices themselves, in name order, are identical. */
    dg_flows f1, f2;
    cr_assert_eq(dg_flows_build(l1, NULL, &f1), DG_OK);
    cr_assert_eq(dg_flows_build(l2, NULL, &f2), DG_OK);
    for (size_t k = 0; k < f1.n * f1.n; k++)
        cr_expect(same_bits(f1.flow[k], f2.flow[k]), "flow %zu: %.17g vs %.17g",
                  k, f1.flow[k], f2.flow[k]);
    dg_flows_finish(&f1);
    dg_flows_finish(&f2);
    /* The parallel legs really are one flow of 0.6. */
    assert_near(row(l1, &e1, "Alpha")->inflow, 0.6 + 0.4);
    dg_exposure_finish(&e1);
    dg_exposure_finish(&e2);
    dg_ledger_destroy(l1);
    dg_ledger_destroy(l2);
}

/* ---- the command ----------------------------------------------------------------- */

static char msg[8192];

static run_result exposure_cli(const char *const *args)
{
    const char *argv[16] = {"exposure"};
    size_t n = 1;
    for (; args[n - 1] && n < 15; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    return run_cli(argv, NULL);
}

Test(exposure_cli, same_ledger_reordered_gives_identical_output)
{
    char *p1 = temp_file("ledger.dot", ordered_ledger(false));
    char *p2 = temp_file("ledger.dot", ordered_ledger(true));
    static const char *const formats[] = {"json", "csv", "text", "md"};
    /* both bases: the amounts as given, and by year */
    for (size_t k = 0; k < 8; k++) {
        const char *basis = k < 4 ? "total" : "year";
        const char *a1[] = {p1, "--format", formats[k % 4], "--basis", basis,
                            NULL};
        const char *a2[] = {p2, "--format", formats[k % 4], "--basis", basis,
                            NULL};
        run_result r1 = exposure_cli(a1), r2 = exposure_cli(a2);
        cr_assert_eq(r1.status, 0, "%s", r1.err);
        cr_assert_eq(r2.status, 0, "%s", r2.err);
        /* Text and Markdown name the file on their second line: compare
         * with the paths made equal. */
        char *o2 = r2.out, *at;
        while ((at = strstr(o2, p2)) != NULL)
            memcpy(at, p1, strlen(p1)); /* same length: same template */
        cr_expect_str_eq(r1.out, o2, "--format %s --basis %s differs",
                         formats[k % 4], basis);
        run_free(&r1);
        run_free(&r2);
    }
    free(p1);
    free(p2);
}

/* The JSON document of --basis total (the arithmetic of issue 4, the
 * default before the time model) has exactly the fields of issue 4, in
 * order. */
Test(exposure_cli, json_has_exactly_the_documented_fields)
{
    char *path = src_path("graphs/ai-2025.dot");
    const char *a[] = {path, "--format", "json", "--basis", "total", NULL};
    run_result r = exposure_cli(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    json_error_t err;
    json_t *doc = json_loads(r.out, 0, &err);
    cr_assert(doc, "not JSON: %s", err.text);
    static const char *const top[] = {"dealgraph", "focus", "companies",
                                      "system"};
    static const char *const comp[] = {
        "name", "direct_inflow_share", "direct_outflow_share",
        "pass_through_share", "origin_share", "inflow_hhi", "hhi_band",
        "largest_counterparty", "largest_share", "capex_to_ebitda",
        "funding_stage"};
    static const char *const sys[] = {"fci", "focus_share_of_value",
                                      "focus_share_of_looped_value",
                                      "focus_cycling_share"};
    cr_expect_eq(json_object_size(doc), 4);
    for (size_t k = 0; k < 4; k++)
        cr_expect(json_object_get(doc, top[k]), "no %s", top[k]);
    cr_expect_str_eq(json_string_value(json_object_get(doc, "focus")),
                     "OpenAI");
    json_t *hdr = json_object_get(doc, "dealgraph");
    cr_expect_str_eq(json_string_value(json_object_get(hdr, "version")),
                     DG_VERSION);
    json_t *cs = json_object_get(doc, "companies");
    cr_assert(json_is_array(cs));
    /* graphs/ai-2025.dot declares 23 companies (graphs/README.md). */
    cr_expect_eq(json_array_size(cs), 23);
    size_t i;
    json_t *c;
    json_array_foreach(cs, i, c)
    {
        cr_expect_eq(json_object_size(c), 11);
        for (size_t k = 0; k < 11; k++)
            cr_expect(json_object_get(c, comp[k]), "no %s", comp[k]);
        /* Shares are fractions in [0, 1] or null. */
        for (size_t k = 1; k < 5; k++) {
            json_t *v = json_object_get(c, comp[k]);
            cr_expect(json_is_null(v) ||
                          (json_number_value(v) >= 0 &&
                           json_number_value(v) <= 1),
                      "%s out of [0, 1]", comp[k]);
        }
    }
    json_t *s = json_object_get(doc, "system");
    cr_expect_eq(json_object_size(s), 4);
    for (size_t k = 0; k < 4; k++)
        cr_expect(json_object_get(s, sys[k]), "no %s", sys[k]);
    json_decref(doc);
    run_free(&r);
    free(path);
}

/* Cone Springs through the command: FCI and Carnivores' pass-through in
 * JSON (reference values), the focus first in the list. */
Test(exposure_cli, cone_springs_json_carries_the_reference_values)
{
    char *path = src_path("tests/cases/cone-springs.dot");
    const char *a[] = {path, "--format", "json", "--focus", "Bacteria",
                       "--basis", "total", NULL};
    run_result r = exposure_cli(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    json_t *doc = json_loads(r.out, 0, NULL);
    cr_assert(doc);
    json_t *sys = json_object_get(doc, "system");
    assert_printed(json_number_value(json_object_get(sys, "fci")), 0.0919390,
                   7);
    json_t *cs = json_object_get(doc, "companies");
    cr_expect_str_eq(
        json_string_value(json_object_get(json_array_get(cs, 0), "name")),
        "Bacteria");
    size_t i;
    json_t *c;
    bool seen = false;
    json_array_foreach(cs, i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "name")),
                   "Carnivores") == 0) {
            assert_printed(
                json_number_value(json_object_get(c, "pass_through_share")),
                0.171728, 6);
            seen = true;
        }
    }
    cr_expect(seen);
    json_decref(doc);
    run_free(&r);
    free(path);
}

/* --sort name and --top 2: the focus, then the first company by name. */
Test(exposure_cli, sort_and_top_choose_the_rows)
{
    char *path = temp_file("chain.dot", chain);
    const char *a[] = {path, "--sort", "name", "--top", "2", "--format", "csv",
                       "--basis", "total", NULL};
    run_result r = exposure_cli(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    /* The CSV header, F (the focus), then X (the first of X, Y, Z). */
    const char *second = strchr(r.out, '\n') + 1;
    cr_expect(strncmp(second, "F,", 2) == 0, "%s", r.out);
    const char *third = strchr(second, '\n') + 1;
    cr_expect(strncmp(third, "X,", 2) == 0, "%s", r.out);
    cr_expect_eq(*(strchr(third, '\n') + 1), '\0', "more than 2 rows");
    run_free(&r);
    free(path);
}

Test(exposure_cli, text_output_is_an_aligned_table_with_system_figures)
{
    char *path = temp_file("two.dot", two_companies);
    const char *a[] = {path, "--basis", "total", NULL};
    run_result r = exposure_cli(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(first_line(r.out), "Exposure to A");
    /* B's row of the dependence table: throughflow 15, and all of its
     * inflow from A, all of its outflow to A, all of it via A and
     * originating at A (two_company_loop_fci_is_one_third). */
    const char *b = strstr(r.out, "\nB ");
    cr_assert(b, "%s", r.out);
    char name[8], tf[16], s1[16], s2[16], s3[16], s4[16];
    cr_assert_eq(sscanf(b + 1, "%7s %15s %15s %15s %15s %15s", name, tf, s1,
                        s2, s3, s4),
                 6);
    cr_expect_str_eq(tf, "$15");
    cr_expect_str_eq(s1, "100.0%");
    cr_expect_str_eq(s2, "100.0%");
    cr_expect_str_eq(s3, "100.0%");
    cr_expect_str_eq(s4, "100.0%");
    /* Columns are aligned: the heading and its rule have the same width,
     * and B's row ends where the heading does (numbers align right). */
    const char *head = strstr(r.out, "\ncompany");
    cr_assert(head);
    size_t hl = strcspn(head + 1, "\n");
    const char *rule = head + 1 + hl + 1;
    cr_expect_eq(strcspn(rule, "\n"), hl);
    cr_expect_eq(strcspn(b + 1, "\n"), hl);
    cr_expect(strstr(r.out, "Finn's cycling index: 33.3% of all throughflow"),
              "%s", r.out);
    run_free(&r);
    free(path);
}

/* Exact first stderr line and exit 2 for each bad input. */
static void expect_usage(const char *const *args, const char *line)
{
    run_result r = exposure_cli(args);
    cr_expect_eq(r.status, 2, "exit %d, stderr: %s", r.status, r.err);
    cr_expect_str_eq(first_line(r.err), line);
    cr_expect_str_eq(r.out, "");
    run_free(&r);
}

Test(exposure_cli, bad_input_exits_2_with_one_clear_line)
{
    char *path = src_path("graphs/ai-2025.dot");
    expect_usage((const char *[]){path, "--focus", "OpenAl", NULL},
                 "dealgraph: exposure: unknown company 'OpenAl' for --focus; "
                 "did you mean 'OpenAI'?");
    expect_usage((const char *[]){path, "--sort", "size", NULL},
                 "dealgraph: exposure: unknown sort key 'size' for --sort; use "
                 "pass-through, origin, inflow, outflow, hhi, throughflow, "
                 "largest or name");
    expect_usage((const char *[]){path, "--top", "0", NULL},
                 "dealgraph: exposure: --top '0' is not a whole number of at "
                 "least 1; give how many companies to show");
    expect_usage((const char *[]){path, "--top", "ten", NULL},
                 "dealgraph: exposure: --top 'ten' is not a whole number of "
                 "at least 1; give how many companies to show");
    expect_usage((const char *[]){path, "--format", "html", NULL},
                 "dealgraph: exposure: unknown format 'html'; use --format "
                 "text|md|csv|json");
    expect_usage((const char *[]){NULL},
                 "dealgraph: exposure: give exactly one ledger; usage: "
                 "dealgraph exposure FILE");
    free(path);

    char *nofocus = temp_file("nofocus.dot", "digraph t {\n" LEG("A", "B", "1")
                                                 "}\n");
    snprintf(msg, sizeof msg,
             "dealgraph: exposure: no focal company: %s sets no `focus` graph "
             "attribute; give --focus NAME",
             nofocus);
    expect_usage((const char *[]){nofocus, NULL}, msg);
    free(nofocus);

    char *singular = temp_file("loop.dot", "digraph t {\n \"A\";\n \"B\";\n"
                                           LEG("A", "B", "10")
                                           LEG("B", "A", "10") "}\n");
    snprintf(msg, sizeof msg,
             "dealgraph: %s:2: singular system: A, B pass money round among "
             "themselves and nothing enters from outside (no leg from "
             "another company, no outside_inflow, and no company pays out "
             "more than it takes in), so every dollar would cycle forever; "
             "give one of them a positive outside_inflow (revenue from "
             "outside the ledger)",
             singular);
    /* the flow system of amounts added as given (the legs have no
     * period, so no year holds their money) */
    expect_usage((const char *[]){singular, "--focus", "A", "--basis",
                                  "total", NULL},
                 msg);
    free(singular);
}

Test(exposure_cli, help_describes_the_command)
{
    run_result r = exposure_cli((const char *[]){"--help", NULL});
    cr_expect_eq(r.status, 0);
    cr_expect_str_eq(first_line(r.out),
                     "usage: dealgraph exposure [OPTIONS] FILE");
    run_free(&r);
}
