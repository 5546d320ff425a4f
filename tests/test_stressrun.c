/*
 * test_stressrun.c - stress tests on ledgers (library), and the
 * `dealgraph stress` command.
 *
 * The models themselves are tested on plain matrices in test_stress.c.
 * Here every reference case of /work/shared/REFERENCE-VALUES.md that a
 * ledger can express is written as a ledger and run through the ledger
 * path (exposure matrix, equity, shock, weights). Where the ledger weights
 * DebtRank by equity rather than by the reference's weights, R is derived
 * again beside the test from the reference's h. Nothing is copied from the
 * program's own output.
 */
#include "dealgraph/stressrun.h"
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

TestSuite(stressrun, .init = quiet_igraph);

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
        double t_ = 1e-9 * (fabs(e_) > 1.0 ? fabs(e_) : 1.0);                \
        cr_assert(fabs(a_ - e_) <= t_, "%s = %.17g, expected %.17g",         \
                  #actual, a_, e_);                                          \
    } while (0)

#define assert_nan(actual)                                                   \
    cr_assert(isnan(actual), "%s = %.17g, expected NaN", #actual,           \
              (double)(actual))

#define LEGK(from, to, kind, amount)                                         \
    "\"" from "\" -> \"" to "\" [kind=\"" kind "\", amount=\"" amount        \
    "\", status=\"completed\", announced=\"2025\"];\n"
#define LEG(from, to, amount) LEGK(from, to, "services", amount)

/* ---- helpers ------------------------------------------------------------------ */

/* The reference values are for matrices that the face-value mapping
 * (PRODUCT.md §4) builds from these ledgers: they run with it. */
static void run(const dg_ledger *l, dg_stress_model model, const char *focus,
                double shortfall, dg_stress_result *r, dg_diags *d)
{
    dg_stress_options o;
    dg_stress_options_init(&o);
    o.exposures = DG_EXPOSURES_FACE;
    o.model = model;
    o.shortfall = shortfall;
    o.focus = must_find(l, focus);
    dg_diags_init(d);
    int rc = dg_stress_run(l, &o, r, d);
    cr_assert_eq(rc, DG_OK, "rc %d: %s", rc, first_error(d));
}

static const dg_stress_row *row(const dg_ledger *l, const dg_stress_result *r,
                                const char *name)
{
    const dg_stress_row *x = dg_stress_row_of(r, must_find(l, name));
    cr_assert(x);
    return x;
}

/* ---- the NetworkRiskMeasures example as a ledger --------------------------------- */

/* REFERENCE-VALUES.md, DebtRank: A_ij (what i loses if j fails) a: (0, 1,
 * 0); b: (10, 0, 3); c: (3, 2, 0); E = (2, 5, 2). As legs (A_ij = the legs
 * j -> i; "services" legs, so no stake term): b -> a 1, a -> b 10, c -> b
 * 3, a -> c 3, b -> c 2. The ledger weights R by equity, v = (2, 5, 2) / 9
 * (the reference's (10, 100, 30) are not a ledger's), so R is derived
 * below from the reference's final h; h and the defaults do not depend on
 * the weights. The "10% on every company" row shocks several companies at
 * once, which a one-focus ledger cannot; test_stress.c covers it. */
static const char nrm[] =
    "digraph t {\n"
    " \"a\" [equity=\"2\"];\n \"b\" [equity=\"5\"];\n \"c\" [equity=\"2\"];\n"
    LEG("b", "a", "1") LEG("a", "b", "10") LEG("c", "b", "3")
    LEG("a", "c", "3") LEG("b", "c", "2") "}\n";

static void assert_h(const dg_ledger *l, const dg_stress_result *r, double a,
                     double b, double c)
{
    assert_near(row(l, r, "a")->relative_loss, a);
    assert_near(row(l, r, "b")->relative_loss, b);
    assert_near(row(l, r, "c")->relative_loss, c);
}

Test(stressrun, ledger_maps_to_the_reference_exposure_matrix)
{
    dg_ledger *l = must_load_dot(nrm);
    dg_stress_inputs in;
    cr_assert_eq(dg_stress_inputs_build(l, NULL, true, &in), DG_OK);
    static const double A[9] = {0, 1, 0, 10, 0, 3, 3, 2, 0};
    static const char *const names[3] = {"a", "b", "c"};
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 3; j++) {
            size_t pi = in.rank[must_find(l, names[i])];
            size_t pj = in.rank[must_find(l, names[j])];
            assert_near(in.exposure[pi * 3 + pj], A[i * 3 + j]);
        }
    dg_stress_inputs_finish(&in);
    dg_ledger_destroy(l);
}

/* a fails: h = (1, 1, 1) in both forms, 2 further defaults (reference:
 * R = 0.9285714 = (100 + 30) / 140 with its weights); with equity weights
 * R = (5 (1 - 0) + 2 (1 - 0)) / 9 = 7/9. */
Test(stressrun, a_fails_both_forms_default_b_and_c)
{
    dg_ledger *l = must_load_dot(nrm);
    for (int m = DG_MODEL_DEBTRANK; m <= DG_MODEL_DEBTRANK_SINGLE; m++) {
        dg_stress_result r;
        dg_diags d;
        run(l, (dg_stress_model)m, "a", 1.0, &r, &d);
        assert_h(l, &r, 1, 1, 1);
        cr_expect_eq(r.further_defaults, 2);
        cr_expect_eq(r.defaults, 3);
        assert_near(r.debtrank, 7.0 / 9.0);
        cr_expect_eq(d.count, 0);
        dg_stress_result_finish(&r);
        dg_diags_finish(&d);
    }
    dg_ledger_destroy(l);
}

/* b fails: a takes Lambda_ab = 1/2, c takes Lambda_cb = 2/2 = 1 and
 * defaults; the rest saturates. h = (0.5, 1, 1) in both forms, 1 further
 * default (reference: R = 0.25 = (10 x 0.5 + 30 x 1) / 140); with equity
 * weights R = (2 x 0.5 + 2 x 1) / 9 = 1/3. Losses h E: a 1, b 5, c 2. */
Test(stressrun, b_fails_one_further_default)
{
    dg_ledger *l = must_load_dot(nrm);
    for (int m = DG_MODEL_DEBTRANK; m <= DG_MODEL_DEBTRANK_SINGLE; m++) {
        dg_stress_result r;
        dg_diags d;
        run(l, (dg_stress_model)m, "b", 1.0, &r, &d);
        assert_h(l, &r, 0.5, 1, 1);
        cr_expect_eq(r.further_defaults, 1);
        assert_near(r.debtrank, 1.0 / 3.0);
        assert_near(row(l, &r, "a")->loss, 1);
        assert_near(r.total_loss, 1 + 5 + 2);
        cr_expect(row(l, &r, "c")->defaulted);
        cr_expect(!row(l, &r, "a")->defaulted);
        dg_stress_result_finish(&r);
        dg_diags_finish(&d);
    }
    dg_ledger_destroy(l);
}

/* c fails. Reference: Bardoscia h = (0.5, 1, 1), 1 further default (R =
 * 0.75 with its weights); Battiston h = (0.3, 0.9, 1), 0 further defaults
 * (R = 0.6642857). With equity weights: Bardoscia R = (2 x 0.5 + 5 x 1) / 9
 * = 2/3; Battiston R = (2 x 0.3 + 5 x 0.9) / 9 = 5.1 / 9. */
Test(stressrun, c_fails_bardoscia_and_battiston_differ)
{
    dg_ledger *l = must_load_dot(nrm);
    dg_stress_result r;
    dg_diags d;
    run(l, DG_MODEL_DEBTRANK, "c", 1.0, &r, &d);
    assert_h(l, &r, 0.5, 1, 1);
    cr_expect_eq(r.further_defaults, 1);
    assert_near(r.debtrank, 2.0 / 3.0);
    dg_stress_result_finish(&r);
    dg_diags_finish(&d);
    run(l, DG_MODEL_DEBTRANK_SINGLE, "c", 1.0, &r, &d);
    assert_h(l, &r, 0.3, 0.9, 1);
    cr_expect_eq(r.further_defaults, 0);
    assert_near(r.debtrank, 5.1 / 9.0);
    dg_stress_result_finish(&r);
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

/* REFERENCE-VALUES.md: two companies in a loop, Lambda = [[0, 0.5], [0.5,
 * 0]], h(1) = (0.2, 0). As a ledger: P and Q with equity 2 each, legs
 * P -> Q 1 and Q -> P 1 (each loses 1 = half its equity if the other
 * fails), focus P with --shortfall 0.2. Bardoscia: the closed form
 * (I - Lambda)^-1 h(1) = (0.2, 0.1) / 0.75 = (0.2666667, 0.1333333);
 * Battiston: (0.25, 0.10). R with equal equity: Bardoscia
 * ((4/15 - 0.2) + 2/15) / 2 = 0.1; Battiston (0.05 + 0.1) / 2 = 0.075. */
static const char loop2[] =
    "digraph t {\n \"P\" [equity=\"2\"];\n \"Q\" [equity=\"2\"];\n"
    LEG("P", "Q", "1") LEG("Q", "P", "1") "}\n";

Test(stressrun, two_company_loop_bardoscia_is_the_closed_form)
{
    dg_ledger *l = must_load_dot(loop2);
    dg_stress_result r;
    dg_diags d;
    run(l, DG_MODEL_DEBTRANK, "P", 0.2, &r, &d);
    assert_printed(row(l, &r, "P")->relative_loss, 0.2666667, 7);
    assert_printed(row(l, &r, "Q")->relative_loss, 0.1333333, 7);
    assert_near(row(l, &r, "P")->relative_loss, 4.0 / 15.0);
    assert_near(r.debtrank, 0.1);
    cr_expect_eq(r.defaults, 0);
    dg_stress_result_finish(&r);
    dg_diags_finish(&d);
    run(l, DG_MODEL_DEBTRANK_SINGLE, "P", 0.2, &r, &d);
    assert_near(row(l, &r, "P")->relative_loss, 0.25);
    assert_near(row(l, &r, "Q")->relative_loss, 0.10);
    assert_near(r.debtrank, 0.075);
    dg_stress_result_finish(&r);
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

/* PRODUCT.md §4: A_ij = every leg j -> i plus every equity or debt leg
 * i -> j. I invests 10 in C (equity), L lends C 4 (debt), C buys 3 of chips
 * from V. A_CI = 10 (C is owed the investment) and A_IC = 10 (I's stake);
 * A_CL = 4 and A_LC = 4 (the loan); A_VC = 3 (V is owed the purchase),
 * A_CV = 0 (a purchase is no stake). Clearing reads the legs as
 * obligations: L_IC = 10, L_LC = 4, L_CV = 3. */
Test(stressrun, equity_and_debt_legs_count_both_ways_under_debtrank)
{
    static const char text[] =
        "digraph t {\n" LEGK("I", "C", "equity", "10")
            LEGK("L", "C", "debt", "4") LEGK("C", "V", "chips", "3") "}\n";
    dg_ledger *l = must_load_dot(text);
    dg_stress_inputs in;
    cr_assert_eq(dg_stress_inputs_build(l, NULL, true, &in), DG_OK);
    size_t n = in.n, I = in.rank[must_find(l, "I")], C = in.rank[must_find(l, "C")],
           L = in.rank[must_find(l, "L")], V = in.rank[must_find(l, "V")];
    assert_near(in.exposure[C * n + I], 10);
    assert_near(in.exposure[I * n + C], 10);
    assert_near(in.exposure[C * n + L], 4);
    assert_near(in.exposure[L * n + C], 4);
    assert_near(in.exposure[V * n + C], 3);
    assert_near(in.exposure[C * n + V], 0);
    dg_stress_inputs_finish(&in);
    cr_assert_eq(dg_stress_inputs_build(l, NULL, false, &in), DG_OK);
    assert_near(in.exposure[I * n + C], 10);
    assert_near(in.exposure[C * n + I], 0);
    assert_near(in.exposure[L * n + C], 4);
    assert_near(in.exposure[C * n + V], 3);
    assert_near(in.exposure[V * n + C], 0);
    dg_stress_inputs_finish(&in);
    dg_ledger_destroy(l);
}

/* ---- missing figures ------------------------------------------------------------- */

/* X has no equity: it is named in a warning, takes no loss (n/a, not 0),
 * has no weight, and its default is unknown. F (equity 10) owes X 5 and Y
 * 4; Y (equity 8) loses 4/8 = 0.5. R over F and Y, weights 10/18 and
 * 8/18: (8/18) x 0.5 = 2/9. */
Test(stressrun, company_without_equity_is_named_and_left_out)
{
    static const char text[] =
        "digraph t {\n \"F\" [equity=\"10\"];\n \"Y\" [equity=\"8\"];\n"
        " \"X\";\n" LEG("F", "X", "5") LEG("F", "Y", "4") "}\n";
    dg_ledger *l = must_load_dot(text);
    dg_stress_result r;
    dg_diags d;
    run(l, DG_MODEL_DEBTRANK, "F", 1.0, &r, &d);
    cr_assert_eq(d.warnings, 1);
    cr_expect_str_eq(d.items[0].message,
                     "no equity for X: left out of the losses and of "
                     "DebtRank's weights (unknown, not zero); give them "
                     "`equity` to include them");
    const dg_stress_row *x = row(l, &r, "X");
    assert_nan(x->loss);
    assert_nan(x->relative_loss);
    cr_expect(!x->defaulted_known);
    cr_expect(!x->included);
    assert_near(x->claims_on_focus, 5);
    assert_near(row(l, &r, "Y")->relative_loss, 0.5);
    assert_near(r.debtrank, 2.0 / 9.0);
    assert_near(r.total_loss, 10 + 4);
    cr_expect_eq(r.excluded, 1);
    dg_stress_result_finish(&r);
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

/* Equity given as 0 is no capital to lose a share of: left out like a
 * missing figure, with its own warning. */
Test(stressrun, zero_equity_is_left_out_with_its_own_warning)
{
    static const char text[] =
        "digraph t {\n \"F\" [equity=\"10\"];\n \"Z\" [equity=\"0\"];\n"
        LEG("F", "Z", "5") "}\n";
    dg_ledger *l = must_load_dot(text);
    dg_stress_result r;
    dg_diags d;
    run(l, DG_MODEL_DEBTRANK, "F", 1.0, &r, &d);
    cr_assert_eq(d.warnings, 1);
    cr_expect_str_eq(d.items[0].message,
                     "no positive equity for Z (equity is 0): with no "
                     "loss-absorbing capital a relative loss is undefined, so "
                     "they are left out of the losses and of DebtRank's "
                     "weights");
    assert_nan(row(l, &r, "Z")->relative_loss);
    cr_expect_eq(r.excluded, 1);
    dg_stress_result_finish(&r);
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

/* A focus without equity still passes on its shock (stress.h): Y loses
 * 4 / 8 of its equity; F's own relative loss is its shock, its loss
 * unknown. */
Test(stressrun, focus_without_equity_still_passes_on_its_shock)
{
    static const char text[] =
        "digraph t {\n \"Y\" [equity=\"8\"];\n" LEG("F", "Y", "4") "}\n";
    dg_ledger *l = must_load_dot(text);
    dg_stress_result r;
    dg_diags d;
    run(l, DG_MODEL_DEBTRANK, "F", 0.5, &r, &d);
    assert_near(row(l, &r, "Y")->relative_loss, 0.25);
    assert_near(row(l, &r, "F")->relative_loss, 0.5);
    assert_nan(row(l, &r, "F")->loss);
    cr_expect(has_diag(&d, DG_SEV_WARNING, "no equity for F"));
    dg_stress_result_finish(&r);
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

Test(stressrun, no_equity_anywhere_is_an_error)
{
    dg_ledger *l = must_load_dot("digraph t {\n" LEG("F", "Y", "4") "}\n");
    dg_stress_options o;
    dg_stress_options_init(&o);
    o.focus = must_find(l, "F");
    dg_stress_result r;
    dg_diags d;
    dg_diags_init(&d);
    cr_assert_eq(dg_stress_run(l, &o, &r, &d), DG_EINPUT);
    cr_expect(has_diag(&d, DG_SEV_ERROR, "no company has an equity figure"));
    cr_expect_eq(r.rows, NULL);
    dg_stress_result_finish(&r);
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

Test(stressrun, bad_options_are_usage_errors)
{
    dg_ledger *l = must_load_dot(loop2);
    dg_stress_options o;
    dg_stress_options_init(&o);
    dg_stress_result r;
    dg_diags d;
    dg_diags_init(&d);
    o.shortfall = 1.5;
    cr_expect_eq(dg_stress_run(l, &o, &r, &d), DG_EUSAGE);
    o.shortfall = NAN;
    cr_expect_eq(dg_stress_run(l, &o, &r, &d), DG_EUSAGE);
    o.shortfall = 0.5;
    o.focus = 99;
    cr_expect_eq(dg_stress_run(l, &o, &r, &d), DG_EUSAGE);
    o.focus = 0;
    o.model = DG_MODEL_COUNT;
    cr_expect_eq(dg_stress_run(l, &o, &r, &d), DG_EUSAGE);
    cr_expect_eq(d.count, 0);
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

/* ---- Eisenberg–Noe clearing ------------------------------------------------------ */

/* REFERENCE-VALUES.md, Eisenberg–Noe (the example of R's systemicrisk):
 * each of a, b, c owes 0.5 to each other one; outside assets e = (1/2,
 * 5/8, 3/4); outside liabilities l = (3/2, 1/2, 1/2), pari passu. As a
 * ledger the outside creditors are one more company, O, owed l_i by each
 * and owing nothing (so it pays nothing and cannot default, and each
 * company's creditors share pro rata exactly as with l). Focus a with
 * --shortfall 0 (the network as it stands). Clearing vector p* = (165/112,
 * 159/112, 3/2); a and b default; equity (-1.0267857, -0.0803571,
 * 0.0178571).
 * By hand for O: it receives (1.5/2.5) 165/112 + (0.5/1.5) 159/112 +
 * (0.5/1.5) 3/2 = (99 + 53 + 56) / 112 = 13/7 of the 5/2 it is owed: loss
 * 5/2 - 13/7 = 9/14. Total unpaid: (5/2 - 165/112) + (3/2 - 159/112) =
 * 124/112 = 31/28. */
static const char en[] =
    "digraph t {\n graph [focus=\"a\"];\n"
    " \"a\" [cash=\"0.5\"];\n \"b\" [cash=\"0.625\"];\n"
    " \"c\" [cash=\"0.75\"];\n \"O\" [cash=\"0\"];\n"
    LEG("a", "b", "0.5") LEG("a", "c", "0.5") LEG("b", "a", "0.5")
    LEG("b", "c", "0.5") LEG("c", "a", "0.5") LEG("c", "b", "0.5")
    LEG("a", "O", "1.5") LEG("b", "O", "0.5") LEG("c", "O", "0.5") "}\n";

Test(stressrun, eisenberg_noe_example_as_a_ledger)
{
    dg_ledger *l = must_load_dot(en);
    dg_stress_result r;
    dg_diags d;
    run(l, DG_MODEL_CLEARING, "a", 0.0, &r, &d);
    cr_expect_eq(d.count, 0, "%s", d.count ? d.items[0].message : "");
    const dg_stress_row *a = row(l, &r, "a"), *b = row(l, &r, "b"),
                        *c = row(l, &r, "c"), *o = row(l, &r, "O");
    assert_near(a->payment, 165.0 / 112.0);
    assert_near(b->payment, 159.0 / 112.0);
    assert_near(c->payment, 1.5);
    assert_printed(a->payment, 1.4732143, 7);
    assert_printed(b->payment, 1.4196429, 7);
    assert_printed(a->equity_after, -1.0267857, 7);
    assert_printed(b->equity_after, -0.0803571, 7);
    assert_printed(c->equity_after, 0.0178571, 7);
    cr_expect(a->defaulted && a->defaulted_known);
    cr_expect(b->defaulted);
    cr_expect(!c->defaulted && c->defaulted_known);
    assert_near(o->loss, 9.0 / 14.0);
    assert_near(o->equity_after, 13.0 / 7.0);
    assert_near(r.total_loss, 31.0 / 28.0);
    cr_expect_eq(r.defaults, 2);
    cr_expect_eq(r.further_defaults, 1); /* b, beyond the focus */
    assert_nan(r.debtrank);
    dg_stress_result_finish(&r);
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

/* The shortfall cuts the focus's cash. F owes X 10 and has cash 10: at
 * shortfall 0 it pays in full; at 0.5 its cash is 5, it pays 5 and
 * defaults, and X (equity 10) loses 5: relative loss 0.5. M has no cash
 * and owes X 4: assumed to pay in full, named in a warning, its equity
 * after clearing and its default unknown. */
Test(stressrun, clearing_cuts_the_focus_cash_and_assumes_unknown_cash_pays)
{
    static const char text[] =
        "digraph t {\n \"F\" [cash=\"10\"];\n"
        " \"X\" [cash=\"0\", equity=\"10\"];\n \"M\";\n"
        LEG("F", "X", "10") LEG("M", "X", "4") "}\n";
    dg_ledger *l = must_load_dot(text);
    dg_stress_result r;
    dg_diags d;
    run(l, DG_MODEL_CLEARING, "F", 0.0, &r, &d);
    assert_near(row(l, &r, "F")->payment, 10);
    cr_expect(!row(l, &r, "F")->defaulted);
    assert_near(row(l, &r, "X")->loss, 0);
    cr_expect_str_eq(d.items[0].message,
                     "no cash for M: assumed to pay what they owe in full "
                     "(unknown, not zero); their equity after clearing and "
                     "whether they default are not computed; give them "
                     "`cash` to include them");
    dg_stress_result_finish(&r);
    dg_diags_finish(&d);
    run(l, DG_MODEL_CLEARING, "F", 0.5, &r, &d);
    const dg_stress_row *f = row(l, &r, "F"), *x = row(l, &r, "X"),
                        *m = row(l, &r, "M");
    assert_near(f->payment, 5);
    cr_expect(f->defaulted);
    assert_near(x->loss, 5);
    assert_near(x->relative_loss, 0.5);
    assert_near(x->equity_after, 0 + 5 + 4);
    assert_near(m->payment, 4);
    cr_expect(m->assumed_paying);
    assert_nan(m->equity_after);
    cr_expect(!m->defaulted_known);
    dg_stress_result_finish(&r);
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

Test(stressrun, clearing_needs_the_focus_cash)
{
    static const char text[] = "digraph t {\n"
                               " \"F\";\n" /* line 2 */
                               LEG("F", "X", "10") "}\n";
    dg_ledger *l = must_load_dot(text);
    dg_stress_options o;
    dg_stress_options_init(&o);
    o.model = DG_MODEL_CLEARING;
    o.focus = must_find(l, "F");
    dg_stress_result r;
    dg_diags d;
    dg_diags_init(&d);
    cr_assert_eq(dg_stress_run(l, &o, &r, &d), DG_EINPUT);
    cr_assert_eq(d.errors, 1);
    cr_expect_eq(d.items[0].line, 2);
    cr_expect_str_eq(d.items[0].message,
                     "the clearing model cuts the focus's cash by the "
                     "shortfall, but F has no `cash`; give it one (cash and "
                     "securities, USD)");
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

/* ---- order independence --------------------------------------------------------- */

static bool same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* The NRM ledger with companies and legs in the opposite order, and
 * parallel legs (0.1 + 0.2 + 0.3 is a different double in the other
 * order) on the b -> a claim: every figure identical to the bit. */
static const char *const nrm_nodes[] = {
    " \"a\" [equity=\"2\", cash=\"0.3\"];\n",
    " \"b\" [equity=\"5\", cash=\"1\"];\n",
    " \"c\" [equity=\"2\", cash=\"0.2\"];\n"};
static const char *const nrm_legs[] = {
    LEG("b", "a", "0.1"), LEG("b", "a", "0.2"), LEG("b", "a", "0.3"),
    LEG("a", "b", "10"),  LEG("c", "b", "3"),   LEGK("a", "c", "equity", "3"),
    LEG("b", "c", "2")};

static char *nrm_ordered(bool reverse)
{
    static char buf[8192];
    size_t nn = 3, nl = sizeof nrm_legs / sizeof *nrm_legs;
    strcpy(buf, "digraph t {\n graph [focus=\"c\"];\n");
    for (size_t k = 0; k < nn; k++)
        strcat(buf, nrm_nodes[reverse ? nn - 1 - k : k]);
    for (size_t k = 0; k < nl; k++)
        strcat(buf, nrm_legs[reverse ? nl - 1 - k : k]);
    strcat(buf, "}\n");
    return buf;
}

Test(stressrun, results_do_not_depend_on_company_or_leg_order)
{
    dg_ledger *l1 = must_load_dot(nrm_ordered(false));
    dg_ledger *l2 = must_load_dot(nrm_ordered(true));
    for (int m = 0; m < DG_MODEL_COUNT; m++) {
        dg_stress_result r1, r2;
        dg_diags d1, d2;
        run(l1, (dg_stress_model)m, "c", 0.7, &r1, &d1);
        run(l2, (dg_stress_model)m, "c", 0.7, &r2, &d2);
        for (size_t k = 0; k < r1.n; k++) {
            const dg_stress_row *x = &r1.rows[k], *y = &r2.rows[k];
            cr_assert_str_eq(l1->companies[x->company].name,
                             l2->companies[y->company].name);
            cr_expect(same_bits(x->loss, y->loss));
            cr_expect(same_bits(x->relative_loss, y->relative_loss));
            cr_expect(same_bits(x->payment, y->payment));
            cr_expect(same_bits(x->equity_after, y->equity_after));
            cr_expect_eq(x->defaulted, y->defaulted);
        }
        cr_expect(same_bits(r1.total_loss, r2.total_loss));
        cr_expect(same_bits(r1.debtrank, r2.debtrank));
        dg_stress_result_finish(&r1);
        dg_stress_result_finish(&r2);
        dg_diags_finish(&d1);
        dg_diags_finish(&d2);
    }
    dg_ledger_destroy(l1);
    dg_ledger_destroy(l2);
}

/* ---- the command ----------------------------------------------------------------- */

static char msg[8192];

static run_result stress_cli(const char *const *args)
{
    const char *argv[16] = {"stress"};
    size_t n = 1;
    for (; args[n - 1] && n < 15; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    return run_cli(argv, NULL);
}

/* The claims behind a loss name the line of their leg, which moves with
 * the order of the file: "line 7" and "\"line\": 7" become "line #"; and
 * since a longer number can wrap a note differently, every run of blanks
 * becomes one space. */
static void mask_lines(char *s)
{
    char *w = s;
    for (const char *r = s; *r; r++) {
        bool blank = *r == ' ' || *r == '\n';
        if (blank && w > s && w[-1] == ' ')
            continue;
        *w++ = blank ? ' ' : *r;
    }
    *w = '\0';
    static const char *const keys[] = {"line ", "\"line\": "};
    for (int k = 0; k < 2; k++) {
        char *p = s;
        while ((p = strstr(p, keys[k])) != NULL) {
            p += strlen(keys[k]);
            char *q = p;
            while (*q >= '0' && *q <= '9')
                q++;
            if (q > p) {
                *p = '#';
                memmove(p + 1, q, strlen(q) + 1);
            }
        }
    }
}

Test(stressrun_cli, same_ledger_reordered_gives_identical_output)
{
    char *p1 = temp_file("nrm.dot", nrm_ordered(false));
    char *p2 = temp_file("nrm.dot", nrm_ordered(true));
    static const char *const models[] = {"debtrank", "debtrank-single",
                                         "clearing"};
    static const char *const formats[] = {"json", "csv", "text"};
    for (size_t m = 0; m < 3; m++)
        for (size_t k = 0; k < 3; k++) {
            const char *a1[] = {p1, "--model", models[m], "--format",
                                formats[k], "--exposures", "face", NULL};
            const char *a2[] = {p2, "--model", models[m], "--format",
                                formats[k], "--exposures", "face", NULL};
            run_result r1 = stress_cli(a1), r2 = stress_cli(a2);
            cr_assert_eq(r1.status, 0, "%s", r1.err);
            cr_assert_eq(r2.status, 0, "%s", r2.err);
            char *o2 = r2.out, *at;
            while ((at = strstr(o2, p2)) != NULL)
                memcpy(at, p1, strlen(p1)); /* same length */
            mask_lines(r1.out);
            mask_lines(o2);
            cr_expect_str_eq(r1.out, o2, "%s %s", models[m], formats[k]);
            run_free(&r1);
            run_free(&r2);
        }
    free(p1);
    free(p2);
}

static void expect_keys(json_t *o, const char *const *keys, size_t n)
{
    cr_expect_eq(json_object_size(o), n);
    for (size_t k = 0; k < n; k++)
        cr_expect(json_object_get(o, keys[k]), "no %s", keys[k]);
}

/* JSON fields exactly as docs/json.md lists them, for both kinds of
 * model. */
Test(stressrun_cli, json_has_exactly_the_documented_fields)
{
    char *path = src_path("graphs/ai-2025.dot");
    static const char *const top[] = {
        "dealgraph", "model",     "shortfall", "exposures",     "alpha",
        "assumptions", "companies", "system",  "revenue_stress"};
    static const char *const dr[] = {"name",         "loss",
                                     "relative_loss", "defaulted",
                                     "claims_on_focus", "capital_basis",
                                     "claims"};
    static const char *const cl[] = {
        "name",          "loss",     "relative_loss", "defaulted", "payment",
        "equity",        "claims_on_focus", "capital_basis", "claims"};
    static const char *const sys[] = {"total_loss", "debtrank", "loss_others",
                                      "focus_loss", "defaults"};
    for (int clearing = 0; clearing < 2; clearing++) {
        const char *a[] = {path,      "--format",
                           "json",    "--model",
                           clearing ? "clearing" : "debtrank-single",
                           "--shortfall", "0.5", NULL};
        run_result r = stress_cli(a);
        cr_assert_eq(r.status, 0, "%s", r.err);
        json_t *doc = json_loads(r.out, 0, NULL);
        cr_assert(doc);
        expect_keys(doc, top, 9);
        cr_expect_str_eq(json_string_value(json_object_get(doc, "model")),
                         clearing ? "clearing" : "debtrank-single");
        assert_near(json_number_value(json_object_get(doc, "shortfall")), 0.5);
        size_t i;
        json_t *c;
        json_array_foreach(json_object_get(doc, "companies"), i, c)
        {
            expect_keys(c, clearing ? cl : dr, clearing ? 9 : 7);
            json_t *rel = json_object_get(c, "relative_loss");
            cr_expect(json_is_null(rel) || (json_number_value(rel) >= 0 &&
                                            json_number_value(rel) <= 1));
        }
        cr_expect_eq(json_array_size(json_object_get(doc, "companies")), 23);
        json_t *s = json_object_get(doc, "system");
        expect_keys(s, sys, 5);
        /* R is DebtRank's: null under clearing. */
        cr_expect_eq(json_is_null(json_object_get(s, "debtrank")),
                     clearing == 1);
        json_decref(doc);
        run_free(&r);
    }
    free(path);
}

/* The NRM ledger, c fails: the JSON carries Bardoscia's h = (0.5, 1, 1)
 * with the focus first, and R = 2/3 (c_fails_bardoscia_and_battiston_
 * differ); missing equity would be warned about, here there is none. */
Test(stressrun_cli, debtrank_json_carries_the_reference_values)
{
    char *path = temp_file("nrm.dot", nrm);
    const char *a[] = {path,   "--focus",     "c",    "--format",
                       "json", "--exposures", "face", NULL};
    run_result r = stress_cli(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(r.err, "");
    json_t *doc = json_loads(r.out, 0, NULL);
    cr_assert(doc);
    json_t *cs = json_object_get(doc, "companies");
    static const char *const names[] = {"c", "b", "a"};
    static const double h[] = {1, 1, 0.5};
    for (size_t k = 0; k < 3; k++) {
        json_t *c = json_array_get(cs, k);
        cr_expect_str_eq(json_string_value(json_object_get(c, "name")),
                         names[k]);
        assert_near(json_number_value(json_object_get(c, "relative_loss")),
                    h[k]);
    }
    json_t *sys = json_object_get(doc, "system");
    assert_near(json_number_value(json_object_get(sys, "debtrank")),
                2.0 / 3.0);
    json_decref(doc);
    run_free(&r);
    free(path);
}

Test(stressrun_cli, missing_equity_is_a_warning_on_stderr)
{
    char *path = temp_file("x.dot", "digraph t {\n \"F\" [equity=\"10\"];\n"
                                    " \"Y\" [equity=\"8\"];\n"
                                    LEG("F", "X", "5") LEG("F", "Y", "4")
                                    "}\n");
    const char *a[] = {path, "--focus", "F", "--exposures", "face", NULL};
    run_result r = stress_cli(a);
    cr_expect_eq(r.status, 0);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: warning: no equity for X: left out of the "
                     "losses and of DebtRank's weights (unknown, not zero); "
                     "give them `equity` to include them");
    cr_expect(strstr(r.out, "DebtRank R: 0.2222,"), "%s", r.out); /* 2/9 */
    run_free(&r);
    free(path);
}

static void expect_usage(const char *const *args, const char *line)
{
    run_result r = stress_cli(args);
    cr_expect_eq(r.status, 2, "exit %d, stderr: %s", r.status, r.err);
    cr_expect_str_eq(first_line(r.err), line);
    cr_expect_str_eq(r.out, "");
    run_free(&r);
}

Test(stressrun_cli, bad_input_exits_2_with_one_clear_line)
{
    char *path = src_path("graphs/ai-2025.dot");
    static const char *const not_numbers[] = {"abc", "25%", "", "0x1p-1",
                                              "nan", "1e999"};
    for (size_t k = 0; k < sizeof not_numbers / sizeof *not_numbers; k++) {
        snprintf(msg, sizeof msg,
                 "dealgraph: stress: --shortfall '%s' is not a number; give "
                 "the share of what the focus owes that goes unpaid, from 0 "
                 "to 1 (0.25 for 25%%)",
                 not_numbers[k]);
        expect_usage((const char *[]){path, "--shortfall", not_numbers[k],
                                      NULL},
                     msg);
    }
    expect_usage((const char *[]){path, "--shortfall", "1.5", NULL},
                 "dealgraph: stress: --shortfall 1.5 is outside 0 to 1; give "
                 "the share of what the focus owes that goes unpaid (0.25 "
                 "for 25%)");
    expect_usage((const char *[]){path, "--shortfall", "-0.1", NULL},
                 "dealgraph: stress: --shortfall -0.1 is outside 0 to 1; give "
                 "the share of what the focus owes that goes unpaid (0.25 "
                 "for 25%)");
    expect_usage((const char *[]){path, "--model", "furfine", NULL},
                 "dealgraph: stress: unknown model 'furfine' for --model; use "
                 "debtrank, debtrank-single or clearing");
    expect_usage((const char *[]){path, "--top", "0", NULL},
                 "dealgraph: stress: --top '0' is not a whole number of at "
                 "least 1; give how many companies to show");
    expect_usage((const char *[]){path, "--focus", "Nvidia", NULL},
                 "dealgraph: stress: unknown company 'Nvidia' for --focus; "
                 "did you mean 'NVIDIA'?");
    free(path);

    char *nofocus = temp_file("nofocus.dot", "digraph t {\n \"A\" "
                                             "[equity=\"1\"];\n"
                                             LEG("A", "B", "1") "}\n");
    snprintf(msg, sizeof msg,
             "dealgraph: stress: no focal company: %s sets no `focus` graph "
             "attribute; give --focus NAME",
             nofocus);
    expect_usage((const char *[]){nofocus, NULL}, msg);
    snprintf(msg, sizeof msg,
             "dealgraph: %s:2: the clearing model cuts the focus's cash by "
             "the shortfall, but A has no `cash`; give it one (cash and "
             "securities, USD) or use --model debtrank",
             nofocus);
    expect_usage((const char *[]){nofocus, "--focus", "A", "--model",
                                  "clearing", NULL},
                 msg);
    free(nofocus);
}

/* The shipped ledger says something real: the text output names the
 * model, the shock and the system figures, and the command exits 0. */
Test(stressrun_cli, shipped_ledger_runs_under_every_model)
{
    char *path = src_path("graphs/ai-2025.dot");
    static const char *const models[] = {"debtrank", "debtrank-single",
                                         "clearing"};
    for (size_t m = 0; m < 3; m++) {
        const char *a[] = {path, "--model", models[m], NULL};
        run_result r = stress_cli(a);
        cr_expect_eq(r.status, 0, "%s: %s", models[m], r.err);
        cr_expect_str_eq(first_line(r.out),
                         m < 2 ? "Stress test: OpenAI leaves 100% of what it "
                                 "owes unpaid"
                               : "Stress test: OpenAI's cash cut by 100%, "
                                 "network cleared");
        cr_expect(strstr(r.out, "\nSystem\n"));
        cr_expect(strstr(r.err, m < 2 ? "dealgraph: warning: no equity for "
                                      : "dealgraph: warning: no cash for "),
                  "%s", r.err);
        cr_expect(strstr(r.err, "dealgraph: warning: capital is not book "
                                "equity for AMD (market), "),
                  "%s", r.err);
        run_free(&r);
    }
    free(path);
}

Test(stressrun_cli, help_describes_the_command)
{
    run_result r = stress_cli((const char *[]){"--help", NULL});
    cr_expect_eq(r.status, 0);
    cr_expect_str_eq(first_line(r.out), "usage: dealgraph stress [OPTIONS] "
                                        "FILE");
    run_free(&r);
}

/* ---- stress on contracts (PRODUCT.md §8) ------------------------------------------- */

/* F, the focus, valued at 2025-12-31 with a two-year horizon (January 2026
 * to December 2027). Capital in billions: F 100, O 30, S 24, N 50, M 10.
 *  S -> F equity 30, 12 funded, definitive: S's claim on F is 12.
 *  N -> F equity "up to" 100, loi: a pledge, no claim.
 *  F -> O cloud 300 over 2027-2031: 60 due in 2027, O's claim 0.35 x 60
 *    = 21.
 *  F -> M cloud 12 a year, July 2025 - June 2026: 6 due, M's claim
 *    0.35 x 6 = 2.1.
 * F fails (h_F = 1): nobody is exposed to S, O, M or N, so h = 12/24 =
 * 0.5 for S, 21/30 = 0.7 for O, 2.1/10 = 0.21 for M, 0 for N. The others
 * lose 12 + 21 + 2.1 = 35.1 of their 114; R = 35.1 / 214 (weights by
 * capital, F's 100 included); F's own loss, apart, is 100. */
static const char k_ledger[] =
    "digraph k {\n"
    " graph [focus=\"F\", as_of=\"2025-12-31\"];\n"
    " \"F\" [equity=\"100B\", equity_basis=\"book\", cash=\"10B\"];\n"
    " \"O\" [equity=\"30B\", equity_basis=\"book\", revenue=\"2026:50B, "
    "2027:80B\", debt=\"2026:100B, 2027:120B\", ebitda=\"2026:30B, "
    "2027:40B\"];\n"
    " \"S\" [equity=\"24B\", equity_basis=\"book\"];\n"
    " \"N\" [equity=\"50B\", equity_basis=\"book\"];\n"
    " \"M\" [equity=\"10B\", equity_basis=\"book\"];\n"
    " \"S\" -> \"F\" [kind=\"equity\", amount=\"30B\", funded=\"12B\", "
    "status=\"definitive\", announced=\"2025-03-01\", start=\"2025\"];\n"
    " \"N\" -> \"F\" [kind=\"equity\", amount=\"100B\", upto=\"true\", "
    "status=\"loi\", announced=\"2025-09-22\", start=\"2026\"];\n"
    " \"F\" -> \"O\" [kind=\"cloud\", amount=\"300B\", status=\"reported\", "
    "announced=\"2025-09-10\", start=\"2027\", end=\"2031\"];\n"
    " \"F\" -> \"M\" [kind=\"cloud\", amount=\"12B\", per=\"year\", "
    "status=\"definitive\", announced=\"2025-06\", start=\"2025-07\", "
    "end=\"2026-06\"];\n"
    "}\n";

static const double GB = 1e9;

static void run_k(const dg_ledger *l, dg_stress_options *o,
                  dg_stress_result *r)
{
    dg_diags d;
    dg_diags_init(&d);
    o->focus = must_find(l, "F");
    int rc = dg_stress_run(l, o, r, &d);
    cr_assert_eq(rc, DG_OK, "rc %d: %s", rc, first_error(&d));
    dg_diags_finish(&d);
}

Test(stressrun, contracts_count_funded_stakes_and_payments_due_at_a_loss_rate)
{
    dg_ledger *l = must_load_dot(k_ledger);
    dg_stress_options o;
    dg_stress_options_init(&o);
    dg_stress_result r;
    run_k(l, &o, &r);
    assert_near(row(l, &r, "F")->relative_loss, 1);
    assert_near(row(l, &r, "S")->relative_loss, 0.5);
    assert_near(row(l, &r, "O")->relative_loss, 0.7);
    assert_near(row(l, &r, "M")->relative_loss, 0.21);
    assert_near(row(l, &r, "N")->relative_loss, 0);
    assert_near(row(l, &r, "O")->claims_on_focus, 21 * GB);
    assert_near(r.others_loss, 35.1 * GB);
    assert_near(r.others_equity, 114 * GB);
    assert_near(r.focus_loss, 100 * GB);
    assert_near(r.debtrank, 35.1 / 214);
    cr_expect_eq(r.defaults, 1);
    cr_expect_eq(r.further_defaults, 0);
    cr_expect_eq(r.pledges_out, 1);
    assert_near(r.pledged_value, 100 * GB);
    char m[16];
    cr_expect_str_eq(dg_month_text(r.first_month, m, sizeof m), "2026-01");
    /* O's loss is its one claim, on F: 35% of the 60 due, all lost */
    const dg_stress_row *O = row(l, &r, "O");
    cr_assert_eq(O->nclaims, 1);
    const dg_stress_claim *c = &r.claims[O->first_claim];
    cr_expect_eq(c->obligor, must_find(l, "F"));
    assert_near(c->amount, 21 * GB);
    assert_near(c->lost, 21 * GB);
    assert_near(c->rate, 0.35);
    assert_near(c->base, 60 * GB);
    /* F holds no claim: an equity leg counts for the investor only */
    cr_expect_eq(row(l, &r, "F")->nclaims, 0);
    dg_stress_result_finish(&r);
    dg_ledger_destroy(l);
}

/* At face value the same ledger defaults everyone: A_OF = 300 (30 of
 * capital), A_MF = 12 (10), A_NF = 100 (50) from the pledge, A_SF = 30
 * (24), and F holds 30 and 100 back on S and N. */
Test(stressrun, face_value_defaults_the_same_ledger_on_pledges_and_purchases)
{
    dg_ledger *l = must_load_dot(k_ledger);
    dg_stress_options o;
    dg_stress_options_init(&o);
    o.exposures = DG_EXPOSURES_FACE;
    dg_stress_result r;
    run_k(l, &o, &r);
    cr_expect_eq(r.defaults, 5);
    cr_expect_eq(r.further_defaults, 4);
    cr_expect_eq(row(l, &r, "F")->nclaims, 2);
    dg_stress_result_finish(&r);
    dg_ledger_destroy(l);
}

/* Firmness: S's claim is 12 + 0.9 x 18 = 28.2 (h = 1.175 -> 1, a
 * default); N's 0.3 x 0.5 x 100 = 15 (h = 0.3); O's 0.6 x 21 = 12.6 (h =
 * 0.42); M's 0.9 x 2.1 = 1.89 (h = 0.189). */
Test(stressrun, firmness_weights_the_contracts_by_status)
{
    dg_ledger *l = must_load_dot(k_ledger);
    dg_stress_options o;
    dg_stress_options_init(&o);
    o.contracts.firmness = true;
    dg_stress_result r;
    run_k(l, &o, &r);
    assert_near(row(l, &r, "S")->relative_loss, 1);
    assert_near(row(l, &r, "N")->relative_loss, 0.3);
    assert_near(row(l, &r, "O")->relative_loss, 0.42);
    assert_near(row(l, &r, "M")->relative_loss, 0.189);
    cr_expect_eq(r.further_defaults, 1);
    dg_stress_result_finish(&r);
    dg_ledger_destroy(l);
}

/* Clearing on the obligations due in the horizon: F owes O 60 and M 6
 * (S's unfunded 18 falls before the window; N's pledge owes nothing). With
 * shortfall 0, F pays its 10 of cash pro rata: O is unpaid 60 (1 -
 * 10/66) = 50.909..., M 6 (1 - 10/66). With Rogers-Veraart alpha = 1/2 F
 * pays 5: O is unpaid 60 (1 - 5/66). With operating cash flow of 20 in
 * 2026 and 30 in 2027 F has 10 + 20 + 30 = 60: O is unpaid 60 (1 -
 * 60/66). */
Test(stressrun, clearing_on_contracts_clears_the_obligations_due)
{
    dg_ledger *l = must_load_dot(k_ledger);
    dg_stress_options o;
    dg_stress_options_init(&o);
    o.model = DG_MODEL_CLEARING;
    o.shortfall = 0;
    dg_stress_result r;
    run_k(l, &o, &r);
    const dg_stress_row *F = row(l, &r, "F");
    assert_near(F->obligation, 66 * GB);
    assert_near(F->payment, 10 * GB);
    cr_expect(F->defaulted && F->defaulted_known);
    assert_near(row(l, &r, "O")->loss, 60 * GB * (1 - 10.0 / 66));
    assert_near(row(l, &r, "M")->loss, 6 * GB * (1 - 10.0 / 66));
    assert_near(row(l, &r, "O")->relative_loss, 1);
    assert_near(row(l, &r, "S")->loss, 0);
    dg_stress_result_finish(&r);

    o.recovery_assets = 0.5;
    run_k(l, &o, &r);
    assert_near(row(l, &r, "F")->payment, 5 * GB);
    assert_near(row(l, &r, "O")->loss, 60 * GB * (1 - 5.0 / 66));
    dg_stress_result_finish(&r);
    dg_ledger_destroy(l);

    char *text = strdup(k_ledger);
    char *cash = strstr(text, "cash=\"10B\"");
    cr_assert(cash);
    size_t n = strlen(text) + 64;
    char *with = malloc(n);
    snprintf(with, n, "%.*socf=\"2026:20B, 2027:30B\", %s",
             (int)(cash - text), text, cash);
    l = must_load_dot(with);
    o.recovery_assets = 1;
    run_k(l, &o, &r);
    assert_near(row(l, &r, "F")->payment, 60 * GB);
    assert_near(row(l, &r, "O")->loss, 60 * GB * (1 - 60.0 / 66));
    cr_expect_eq(r.with_ocf, 1);
    dg_stress_result_finish(&r);
    /* valued at 2026-06-30 the window runs to June 2028, which the series
     * does not cover: cash alone */
    cr_assert(dg_date_parse("2026-06-30", &o.contracts.t0));
    run_k(l, &o, &r);
    cr_expect_eq(r.with_ocf, 0);
    assert_near(row(l, &r, "F")->payment, 10 * GB);
    dg_stress_result_finish(&r);
    dg_ledger_destroy(l);
    free(with);
    free(text);
}

/* Revenue stress at shortfall 1/2. F pays O nothing in 2026 and 60 in
 * 2027; M 6 in 2026 (January - June) and nothing in 2027. O, 2027: lost
 * 30 of revenue 80 = 0.375; EBITDA 40 loses 0.35 x 30 = 10.5; leverage
 * 120/40 = 3 before, 120/29.5 = 4.0678 after: over 4. O, 2026: nothing
 * lost, 100/30 = 3.33 both. M: no revenue, debt or EBITDA: n/a. */
Test(stressrun, revenue_stress_sets_lost_payments_against_revenue_and_leverage)
{
    dg_ledger *l = must_load_dot(k_ledger);
    dg_stress_options o;
    dg_stress_options_init(&o);
    o.shortfall = 0.5;
    dg_stress_result r;
    run_k(l, &o, &r);
    cr_assert_eq(r.nrevenue, 4);
    const dg_stress_revenue *m26 = &r.revenue[0], *m27 = &r.revenue[1],
                            *o26 = &r.revenue[2], *o27 = &r.revenue[3];
    cr_expect_eq(m26->seller, must_find(l, "M"));
    cr_expect_eq(m26->year, 2026);
    assert_near(m26->payments, 6 * GB);
    assert_near(m26->lost, 3 * GB);
    assert_nan(m26->revenue);
    assert_nan(m26->share);
    assert_nan(m26->leverage_after);
    cr_expect(!m26->breach);
    assert_near(m27->payments, 0);
    cr_expect_eq(o26->seller, must_find(l, "O"));
    assert_near(o26->lost, 0);
    assert_near(o26->share, 0);
    assert_near(o26->leverage_before, 100.0 / 30);
    assert_near(o26->leverage_after, 100.0 / 30);
    cr_expect(!o26->breach);
    cr_expect_eq(o27->year, 2027);
    assert_near(o27->payments, 60 * GB);
    assert_near(o27->lost, 30 * GB);
    assert_near(o27->share, 0.375);
    assert_near(o27->margin_lost, 10.5 * GB);
    assert_near(o27->leverage_before, 3);
    assert_near(o27->leverage_after, 120 / 29.5);
    cr_expect(o27->breach);
    dg_stress_result_finish(&r);
    o.leverage_limit = 4.1;
    run_k(l, &o, &r);
    cr_expect(!r.revenue[3].breach);
    dg_stress_result_finish(&r);
    /* at shortfall 1 O loses 21 of its 40 of EBITDA: 120/19 */
    o.shortfall = 1;
    run_k(l, &o, &r);
    assert_near(r.revenue[3].leverage_after, 120.0 / 19);
    dg_stress_result_finish(&r);
    dg_ledger_destroy(l);
}

/* Every company of the ledger has book capital; asked for market values,
 * the stress names them all. */
Test(stressrun, capital_on_another_basis_is_named_in_a_warning)
{
    dg_ledger *l = must_load_dot(k_ledger);
    dg_stress_options o;
    dg_stress_options_init(&o);
    o.capital = DG_CAPITAL_MARKET;
    o.focus = must_find(l, "F");
    dg_stress_result r;
    dg_diags d;
    dg_diags_init(&d);
    cr_assert_eq(dg_stress_run(l, &o, &r, &d), DG_OK);
    cr_expect_str_eq(first_line(d.items[0].message),
                     "capital is not a market value for F (book), M (book), "
                     "N (book), O (book), S (book): book capital is usually "
                     "below market value, so their relative losses are "
                     "overstated against the others'");
    cr_expect_eq(r.basis_differs, 5);
    cr_expect(row(l, &r, "O")->basis_differs);
    dg_stress_result_finish(&r);
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

/* ---- Monte Carlo ------------------------------------------------------------------- */

static void bands(const dg_ledger *l, const dg_stress_options *o, size_t n,
                  uint64_t seed, dg_stress_bands *b)
{
    dg_diags d;
    dg_diags_init(&d);
    int rc = dg_stress_bands_run(l, o, n, seed, b, &d);
    cr_assert_eq(rc, DG_OK, "rc %d: %s", rc, first_error(&d));
    dg_diags_finish(&d);
}

static bool same_band(dg_band a, dg_band b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

Test(stressrun, the_same_seed_gives_the_same_bands)
{
    dg_ledger *l = must_load_dot(k_ledger);
    dg_stress_options o;
    dg_stress_options_init(&o);
    o.focus = must_find(l, "F");
    dg_stress_bands a, b, c;
    bands(l, &o, 500, 42, &a);
    bands(l, &o, 500, 42, &b);
    bands(l, &o, 500, 43, &c);
    cr_expect(same_band(a.debtrank, b.debtrank));
    cr_expect(same_band(a.others_loss, b.others_loss));
    bool differs = false;
    for (size_t k = 0; k < a.n; k++) {
        cr_expect(same_band(a.rows[k].relative_loss, b.rows[k].relative_loss));
        cr_expect(same_band(a.rows[k].loss, b.rows[k].loss));
        cr_expect(a.rows[k].default_share == b.rows[k].default_share);
        differs = differs || a.rows[k].default_share != c.rows[k].default_share;
        cr_expect(a.rows[k].relative_loss.p5 <= a.rows[k].relative_loss.p50 &&
                  a.rows[k].relative_loss.p50 <= a.rows[k].relative_loss.p95);
    }
    cr_expect(differs, "another seed draws the same");
    dg_stress_bands_finish(&a);
    dg_stress_bands_finish(&b);
    dg_stress_bands_finish(&c);
    dg_ledger_destroy(l);
}

/* With every probability 1 and ceilings in full each draw is the run with
 * firmness at those weights, so the bands collapse onto it, bit for bit. */
Test(stressrun, bands_collapse_when_every_leg_happens_in_full)
{
    dg_ledger *l = must_load_dot(k_ledger);
    for (int model = 0; model < DG_MODEL_COUNT; model++) {
        dg_stress_options o;
        dg_stress_options_init(&o);
        o.model = (dg_stress_model)model;
        o.shortfall = model == DG_MODEL_CLEARING ? 0.5 : 1;
        for (int k = 0; k < DG_STATUS_COUNT; k++)
            o.contracts.prob.status[k] = 1;
        o.contracts.prob.ceiling = 1;
        o.contracts.firmness = true;
        dg_stress_result r;
        run_k(l, &o, &r);
        dg_stress_bands b;
        bands(l, &o, 64, 7, &b);
        cr_expect(same_bits(b.others_loss.p5, r.others_loss));
        cr_expect(same_bits(b.others_loss.p95, r.others_loss));
        cr_expect(same_bits(b.defaults.p5, (double)r.defaults));
        cr_expect(same_bits(b.defaults.p95, (double)r.defaults));
        if (model != DG_MODEL_CLEARING) {
            cr_expect(same_bits(b.debtrank.p5, r.debtrank));
            cr_expect(same_bits(b.debtrank.p95, r.debtrank));
        }
        for (size_t k = 0; k < b.n; k++) {
            const dg_stress_row *x = dg_stress_row_of(&r, b.rows[k].company);
            cr_assert(x);
            cr_expect(same_bits(b.rows[k].relative_loss.p5, x->relative_loss),
                      "model %d %s: %.17g vs %.17g", model,
                      l->companies[x->company].name,
                      b.rows[k].relative_loss.p5, x->relative_loss);
            cr_expect(same_bits(b.rows[k].relative_loss.p95,
                                x->relative_loss));
            cr_expect(same_bits(b.rows[k].loss.p50, x->loss));
            if (x->defaulted_known)
                cr_expect(b.rows[k].default_share == (x->defaulted ? 1 : 0));
        }
        dg_stress_bands_finish(&b);
        dg_stress_result_finish(&r);
    }
    dg_ledger_destroy(l);
}

/* N's pledge of up to 100 happens with probability 0.3 and is realised at
 * a share drawn uniformly on [0, 1] (mean 0.5); N (capital 50) defaults
 * when its stake reaches 50: probability 0.3 x 0.5 = 0.15. Over 20,000
 * draws the share is within 0.01 of it (4 standard errors: sqrt(0.15 x
 * 0.85 / 20000) = 0.0025). */
Test(stressrun, a_pledge_defaults_its_investor_as_often_as_its_odds_say)
{
    dg_ledger *l = must_load_dot(k_ledger);
    dg_stress_options o;
    dg_stress_options_init(&o);
    o.focus = must_find(l, "F");
    dg_stress_bands b;
    bands(l, &o, 20000, 1, &b);
    for (size_t k = 0; k < b.n; k++)
        if (b.rows[k].company == must_find(l, "N"))
            cr_expect(fabs(b.rows[k].default_share - 0.15) < 0.01, "%g",
                      b.rows[k].default_share);
    dg_stress_bands_finish(&b);
    dg_ledger_destroy(l);
}

Test(stressrun, bands_need_contracts_and_a_number_of_draws)
{
    dg_ledger *l = must_load_dot(k_ledger);
    dg_stress_options o;
    dg_stress_options_init(&o);
    dg_stress_bands b;
    dg_diags d;
    dg_diags_init(&d);
    o.exposures = DG_EXPOSURES_FACE;
    cr_expect_eq(dg_stress_bands_run(l, &o, 10, 1, &b, &d), DG_EUSAGE);
    o.exposures = DG_EXPOSURES_CONTRACTS;
    cr_expect_eq(dg_stress_bands_run(l, &o, 0, 1, &b, &d), DG_EUSAGE);
    cr_expect_eq(dg_stress_bands_run(l, &o, DG_STRESS_MAX_DRAWS + 1, 1, &b,
                                     &d),
                 DG_EUSAGE);
    cr_expect_eq(d.count, 0);
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

/* ---- the command on contracts --------------------------------------------------------- */

/* O's capital cut to 20: its claim of 21 on F wipes it out, and the note
 * names the claim, with the arithmetic of the loss rate. */
Test(stressrun_cli, every_default_names_the_claims_that_caused_it)
{
    char *text = strdup(k_ledger);
    memcpy(strstr(text, "\"O\" [equity=\"30B\"") + 13, "20", 2);
    char *path = temp_file("k.dot", text);
    const char *a[] = {path, "--format", "md", NULL};
    run_result r = stress_cli(a);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "\n- O (capital $20B): claims lost $21B: $21B of "
                            "$21B on F (cloud F -> O, line 10: 35% of $60B "
                            "due in the horizon).\n"),
              "%s", r.out);
    cr_expect(strstr(r.out, "\n- F: the shock itself (--shortfall 1).\n"),
              "%s", r.out);
    run_free(&r);
    const char *b[] = {path, "--model", "clearing", "--shortfall", "0.5",
                       "--format", "md", NULL};
    r = stress_cli(b);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "\n- F: owes $66B and pays $5B from $5B of "
                            "outside assets (cut by the shock): no claim of "
                            "it went unpaid; what it owes is more than it "
                            "has.\n"),
              "%s", r.out);
    run_free(&r);
    free(path);
    free(text);
}

Test(stressrun_cli, draws_print_bands_identical_from_the_same_seed)
{
    char *path = src_path("graphs/ai-2025.dot");
    const char *a[] = {path, "--draws", "300", "--seed", "5", NULL};
    const char *b[] = {path, "--draws", "300", "--seed", "6", NULL};
    run_result r1 = stress_cli(a), r2 = stress_cli(a), r3 = stress_cli(b);
    cr_assert_eq(r1.status, 0, "%s", r1.err);
    cr_expect(strstr(r1.out, "\nUncertainty: 300 draws, seed 5\n"));
    cr_expect_str_eq(r1.out, r2.out);
    cr_expect(strcmp(r1.out + 200, r3.out + 200) != 0);
    run_free(&r1);
    run_free(&r2);
    run_free(&r3);
    free(path);
}

Test(stressrun_cli, the_new_options_refuse_bad_values_with_one_line)
{
    char *path = src_path("graphs/ai-2025.dot");
    static const struct {
        const char *args[6];
        const char *line;
    } cases[] = {
        {{"--alpha", "2", "--model", "clearing"},
         "dealgraph: stress: --alpha applies to --model debtrank (non-linear "
         "DebtRank), not to clearing"},
        {{"--alpha", "-1"},
         "dealgraph: stress: --alpha -1 is below 0; give the non-linearity "
         "of DebtRank, 0 or more (0 is linear DebtRank)"},
        {{"--alpha", "x"},
         "dealgraph: stress: --alpha 'x' is not a number; give the "
         "non-linearity of DebtRank, 0 or more (0 is linear DebtRank)"},
        {{"--recovery-assets", "0", "--model", "clearing"},
         "dealgraph: stress: --recovery-assets 0 is outside (0, 1]; give the "
         "share of its outside assets a defaulting company realises, above 0 "
         "and at most 1 (1: no bankruptcy costs)"},
        {{"--recovery-assets", "0.5"},
         "dealgraph: stress: --recovery-assets applies to --model clearing "
         "(bankruptcy costs), not to debtrank"},
        {{"--recovery-claims", "1.5", "--model", "clearing"},
         "dealgraph: stress: --recovery-claims 1.5 is outside (0, 1]; give "
         "the share of what it receives that a defaulting company passes on, "
         "above 0 and at most 1 (1: no bankruptcy costs)"},
        {{"--horizon", "0y"},
         "dealgraph: stress: --horizon '0y' is not a horizon; give years or "
         "months, as 2y or 18m, at most 100y"},
        {{"--lgd", "chips=2"},
         "dealgraph: stress: --lgd chips=2 is not a loss rate from 0 to 1; "
         "give a plain number (0.35 for 35%)"},
        {{"--lgd", "foo=0.1"},
         "dealgraph: stress: --lgd: unknown kind 'foo'; use chips, cloud, "
         "services, equity, warrant, debt, lease or backstop"},
        {{"--lgd", "chips"},
         "dealgraph: stress: --lgd 'chips' is not KEY=VALUE; give pairs such "
         "as cloud=0.35, separated by commas"},
        {{"--lgd", ""},
         "dealgraph: stress: --lgd '' names nothing; give KEY=VALUE pairs "
         "separated by commas"},
        {{"--capital", "bank"},
         "dealgraph: stress: unknown capital basis 'bank' for --capital; use "
         "book or market"},
        {{"--exposures", "x"},
         "dealgraph: stress: unknown mapping 'x' for --exposures; use "
         "contracts (the default) or face"},
        {{"--exposures", "face", "--horizon", "1y"},
         "dealgraph: stress: --horizon applies to --exposures contracts; the "
         "face-value mapping counts every leg in full"},
        {{"--exposures", "face", "--lgd", "cloud=0.1"},
         "dealgraph: stress: --lgd applies to --exposures contracts; the "
         "face-value mapping counts every leg in full"},
        {{"--exposures", "face", "--capital", "book"},
         "dealgraph: stress: --capital applies to --exposures contracts; the "
         "face-value mapping counts every leg in full"},
        {{"--exposures", "face", "--firmness"},
         "dealgraph: stress: --firmness applies to --exposures contracts; the "
         "face-value mapping counts every leg in full"},
        {{"--exposures", "face", "--leverage-limit", "3"},
         "dealgraph: stress: --leverage-limit applies to --exposures "
         "contracts; the face-value mapping counts every leg in full"},
        {{"--exposures", "face", "--draws", "10"},
         "dealgraph: stress: --draws applies to --exposures contracts; the "
         "face-value mapping counts every leg in full"},
        {{"--seed", "3"},
         "dealgraph: stress: --seed applies to --draws; give --draws N"},
        {{"--probabilities", "loi=0.5"},
         "dealgraph: stress: --probabilities applies to --firmness and "
         "--draws; give one of them"},
        {{"--firmness", "--probabilities", "maybe=0.5"},
         "dealgraph: stress: --probabilities: unknown status 'maybe'; use "
         "completed, definitive, announced, reported, loi, talks or "
         "ceiling"},
        {{"--firmness", "--probabilities", "ceiling=2"},
         "dealgraph: stress: --probabilities ceiling=2 is not a share from 0 "
         "to 1; give a plain number (0.35 for 35%)"},
        {{"--firmness", "--probabilities", "loi=-0.1"},
         "dealgraph: stress: --probabilities loi=-0.1 is not a probability "
         "from 0 to 1; give a plain number (0.35 for 35%)"},
        {{"--draws", "0"},
         "dealgraph: stress: --draws '0' is not a number of draws from 1 to "
         "10000000; give how many Monte Carlo draws to run, as 10000"},
        {{"--leverage-limit", "0"},
         "dealgraph: stress: --leverage-limit 0 is not above 0; give the "
         "debt / EBITDA multiple above which a seller is strained, as 4 for "
         "4x"},
        {{"--draws", "5", "--seed", "-1"},
         "dealgraph: stress: --seed '-1' is not a whole number; give the seed "
         "of the draws, as 1"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        const char *a[8] = {path};
        for (size_t i = 0; i < 6 && cases[k].args[i]; i++)
            a[i + 1] = cases[k].args[i];
        expect_usage(a, cases[k].line);
    }
    free(path);

    char *undated = temp_file("undated.dot",
                              "digraph t {\n \"A\" [equity=\"1\"];\n"
                              LEG("A", "B", "1") "}\n");
    snprintf(msg, sizeof msg,
             "dealgraph: stress: the stress on contracts needs a valuation "
             "date, and %s sets no `as_of`; give --as-of DATE (or "
             "--exposures face)",
             undated);
    expect_usage((const char *[]){undated, "--focus", "A", NULL}, msg);
    free(undated);
}
