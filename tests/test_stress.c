/*
 * test_stress.c - DebtRank (both forms) and Eisenberg–Noe clearing.
 *
 * Every expected number comes from /work/shared/REFERENCE-VALUES.md (its
 * source named at the test) or from a derivation written beside the test.
 * Reference figures printed with d decimals are checked to half a unit of
 * their last digit (0.5e-d), i.e. as the correctly rounded value.
 */
#include "dealgraph/stress.h"

#include <criterion/criterion.h>
#include <igraph.h>

#include <math.h>
#include <string.h>

static void quiet_igraph(void)
{
    igraph_set_error_handler(igraph_error_handler_ignore);
}

TestSuite(stress, .init = quiet_igraph);

#define assert_printed(actual, expected, decimals)                           \
    do {                                                                     \
        double a_ = (actual), e_ = (expected);                               \
        double t_ = 0.5 * pow(10.0, -(decimals)) + 1e-12;                    \
        cr_assert(fabs(a_ - e_) <= t_, "%s = %.12g, expected %.*f (+-%g)",   \
                  #actual, a_, (int)(decimals), e_, t_);                     \
    } while (0)

#define assert_near(actual, expected, rel)                                   \
    do {                                                                     \
        double a_ = (actual), e_ = (expected);                               \
        double t_ = (rel) * (fabs(e_) > 1.0 ? fabs(e_) : 1.0);               \
        cr_assert(fabs(a_ - e_) <= t_, "%s = %.17g, expected %.17g",         \
                  #actual, a_, e_);                                          \
    } while (0)

/* ---- the NetworkRiskMeasures example ---------------------------------------- */

/* REFERENCE-VALUES.md, DebtRank: three companies a, b, c; A_ij = what i
 * loses if j fails: a (0, 1, 0), b (10, 0, 3), c (3, 2, 0); E = (2, 5, 2);
 * v proportional to (10, 100, 30). Source: the README of the R package
 * NetworkRiskMeasures (Battiston form) and runs of it (Bardoscia form).
 *
 * Lambda = A / E by row = a (0, 0.5, 0), b (2, 0, 0.6), c (1.5, 1, 0);
 * Battiston's W caps it at 1: a (0, 0.5, 0), b (1, 0, 0.6), c (1, 1, 0).
 * v = (10, 100, 30) / 140. */
static const double NRM_A[9] = {0, 1, 0, 10, 0, 3, 3, 2, 0};
static const double NRM_E[3] = {2, 5, 2};
static const double NRM_V[3] = {10, 100, 30};

static void run_nrm(dg_debtrank_form form, const double shock[3],
                    dg_debtrank *r)
{
    cr_assert_eq(dg_stress_debtrank(form, 3, NRM_A, NRM_E, NULL, shock,
                                    NRM_V, r),
                 DG_OK);
}

static void assert_h(const dg_debtrank *r, double a, double b, double c)
{
    assert_near(r->h[0], a, 1e-12);
    assert_near(r->h[1], b, 1e-12);
    assert_near(r->h[2], c, 1e-12);
}

/* Battiston, a fails: round 1 (a distressed): b += W_ba 1 = 1, c += W_ca 1
 * = 1. h = (1, 1, 1); R = (100 + 30) / 140 = 0.9285714; b and c default. */
Test(stress, battiston_a_fails_r_is_0_9285714_with_2_further_defaults)
{
    const double shock[3] = {1, 0, 0};
    dg_debtrank r;
    run_nrm(DG_DEBTRANK_BATTISTON, shock, &r);
    assert_printed(r.R, 0.9285714, 7);
    cr_assert_eq(r.further_defaults, 2);
    assert_h(&r, 1, 1, 1);
    dg_stress_debtrank_finish(&r);
}

/* Battiston, b fails: round 1 (b): a += 0.5, c += 1 -> (0.5, 1, 1);
 * round 2 (a, c): a += W_ac 1 = 0; b, c stay capped. R = (0.5 * 10 + 30)
 * / 140 = 0.25; c defaults. */
Test(stress, battiston_b_fails_r_is_0_25_with_1_further_default)
{
    const double shock[3] = {0, 1, 0};
    dg_debtrank r;
    run_nrm(DG_DEBTRANK_BATTISTON, shock, &r);
    assert_printed(r.R, 0.25, 2);
    cr_assert_eq(r.further_defaults, 1);
    assert_h(&r, 0.5, 1, 1);
    dg_stress_debtrank_finish(&r);
}

/* Battiston, c fails: reference h = (0.3, 0.9, 1), R = 0.6642857, 0 further
 * defaults. (Round 1, c: b += 0.6. Round 2, b: a += 0.5 * 0.6 = 0.3.
 * Round 3, a: b += 1 * 0.3 = 0.9; b is inactive and does not pass it on.) */
Test(stress, battiston_c_fails_leaves_h_0_3_0_9_1)
{
    const double shock[3] = {0, 0, 1};
    dg_debtrank r;
    run_nrm(DG_DEBTRANK_BATTISTON, shock, &r);
    assert_printed(r.R, 0.6642857, 7);
    cr_assert_eq(r.further_defaults, 0);
    assert_printed(r.h[0], 0.3, 1);
    assert_printed(r.h[1], 0.9, 1);
    assert_printed(r.h[2], 1.0, 1);
    cr_assert_eq(r.rounds, 3);
    dg_stress_debtrank_finish(&r);
}

/* Battiston, 10% on every company: reference h = (0.15, 0.26, 0.30),
 * R = 0.1607143. (All distressed in round 1 and then inactive: a += 0.5 *
 * 0.1; b += 1 * 0.1 + 0.6 * 0.1; c += 1 * 0.1 + 1 * 0.1.) */
Test(stress, battiston_ten_percent_everywhere_r_is_0_1607143)
{
    const double shock[3] = {0.1, 0.1, 0.1};
    dg_debtrank r;
    run_nrm(DG_DEBTRANK_BATTISTON, shock, &r);
    assert_printed(r.R, 0.1607143, 7);
    assert_printed(r.h[0], 0.15, 2);
    assert_printed(r.h[1], 0.26, 2);
    assert_printed(r.h[2], 0.30, 2);
    cr_assert_eq(r.defaults, 0);
    cr_assert_eq(r.further_defaults, 0);
    cr_assert_eq(r.rounds, 1);
    dg_stress_debtrank_finish(&r);
}

/* Bardoscia, a fails: h(2) = min(1, h(1) + Lambda h(1)) = (1, min(1, 2),
 * min(1, 1.5)) = (1, 1, 1); nothing left to move. R = 130/140. */
Test(stress, bardoscia_a_fails_r_is_0_9285714_with_2_further_defaults)
{
    const double shock[3] = {1, 0, 0};
    dg_debtrank r;
    run_nrm(DG_DEBTRANK_BARDOSCIA, shock, &r);
    assert_printed(r.R, 0.9285714, 7);
    cr_assert_eq(r.further_defaults, 2);
    assert_h(&r, 1, 1, 1);
    dg_stress_debtrank_finish(&r);
}

/* Bardoscia, b fails: h(2) = (0.5, 1, 1); the increments (0.5, 0, 1) add
 * Lambda_ac 1 = 0 to a and nothing to the capped b, c. R = 35/140. */
Test(stress, bardoscia_b_fails_r_is_0_25_with_1_further_default)
{
    const double shock[3] = {0, 1, 0};
    dg_debtrank r;
    run_nrm(DG_DEBTRANK_BARDOSCIA, shock, &r);
    assert_printed(r.R, 0.25, 2);
    cr_assert_eq(r.further_defaults, 1);
    assert_h(&r, 0.5, 1, 1);
    dg_stress_debtrank_finish(&r);
}

/* Bardoscia, c fails: reference h = (0.5, 1, 1), R = 0.75, 1 further
 * default (b). Derivation: h(1) = (0, 0, 1);
 *   h(2) = (0, 0.6, 1)                 increments (0, 0.6, 0)
 *   h(3) = (0.3, 0.6, 1)               (0.3, 0, 0)
 *   h(4) = (0.3, min(1, 1.2), 1)       (0, 0.4, 0)
 *   h(5) = (0.5, 1, 1)                 (0.2, 0, 0)
 *   h(6) = h(5): b and c are capped.
 * Unlike Battiston's form, b's second hit (from a) is passed on again. */
Test(stress, bardoscia_c_fails_leaves_h_0_5_1_1_and_r_0_75)
{
    const double shock[3] = {0, 0, 1};
    dg_debtrank r;
    run_nrm(DG_DEBTRANK_BARDOSCIA, shock, &r);
    assert_printed(r.R, 0.75, 2);
    cr_assert_eq(r.further_defaults, 1);
    cr_assert_eq(r.defaults, 2);
    assert_printed(r.h[0], 0.5, 1);
    assert_printed(r.h[1], 1.0, 1);
    assert_printed(r.h[2], 1.0, 1);
    cr_assert(!r.defaulted[0] && r.defaulted[1] && r.defaulted[2]);
    dg_stress_debtrank_finish(&r);
}

/* Bardoscia, 10% everywhere: reference R = 0.8714286 and 2 defaults.
 * Derivation: h(1) = (0.1, 0.1, 0.1), increments the same;
 *   h(2) = (0.15, 0.36, 0.35)          (0.05, 0.26, 0.25)
 *   h(3) = (0.28, 0.61, 0.685)         (0.13, 0.25, 0.335)
 *   h(4) = (0.405, 1, 1)  (1.071, 1.13 capped)  (0.125, 0.39, 0.315)
 *   h(5) = (0.6, 1, 1)                 (0.195, 0, 0)
 *   h(6) = h(5).
 * R = (0.5 * 10 + 0.9 * 100 + 0.9 * 30) / 140 = 122/140. */
Test(stress, bardoscia_ten_percent_everywhere_r_is_0_8714286_with_2_defaults)
{
    const double shock[3] = {0.1, 0.1, 0.1};
    dg_debtrank r;
    run_nrm(DG_DEBTRANK_BARDOSCIA, shock, &r);
    assert_printed(r.R, 0.8714286, 7);
    cr_assert_eq(r.defaults, 2);
    cr_assert_eq(r.further_defaults, 2);
    assert_h(&r, 0.6, 1, 1);
    dg_stress_debtrank_finish(&r);
}

/* Per-company losses are h_i E_i. Bardoscia, c fails: h = (0.5, 1, 1),
 * E = (2, 5, 2): losses (1, 5, 2), total 8; induced (beyond the shock)
 * 1 + 5 + 0 = 6. */
Test(stress, debtrank_losses_are_relative_loss_times_equity)
{
    const double shock[3] = {0, 0, 1};
    dg_debtrank r;
    run_nrm(DG_DEBTRANK_BARDOSCIA, shock, &r);
    assert_near(r.loss[0], 1, 1e-12);
    assert_near(r.loss[1], 5, 1e-12);
    assert_near(r.loss[2], 2, 1e-12);
    assert_near(r.total_loss, 8, 1e-12);
    assert_near(r.induced_loss, 6, 1e-12);
    dg_stress_debtrank_finish(&r);
}

Test(stress, debtrank_does_not_depend_on_company_order)
{
    /* New position k holds old company perm[k]. */
    const int perm[3] = {2, 0, 1};
    double A[9], E[3], V[3], s[3];
    const double shock[3] = {0.1, 0.1, 0.1};
    for (int k = 0; k < 3; k++) {
        E[k] = NRM_E[perm[k]];
        V[k] = NRM_V[perm[k]];
        s[k] = shock[perm[k]];
        for (int l = 0; l < 3; l++)
            A[k * 3 + l] = NRM_A[perm[k] * 3 + perm[l]];
    }
    for (int f = 0; f < 2; f++) {
        dg_debtrank a, b;
        run_nrm((dg_debtrank_form)f, shock, &a);
        cr_assert_eq(dg_stress_debtrank((dg_debtrank_form)f, 3, A, E, NULL,
                                        s, V, &b),
                     DG_OK);
        assert_near(b.R, a.R, 1e-12);
        cr_assert_eq(b.defaults, a.defaults);
        cr_assert_eq(b.further_defaults, a.further_defaults);
        for (int k = 0; k < 3; k++)
            assert_near(b.h[k], a.h[perm[k]], 1e-12);
        dg_stress_debtrank_finish(&a);
        dg_stress_debtrank_finish(&b);
    }
}

/* ---- the two-company loop ----------------------------------------------------- */

/* REFERENCE-VALUES.md: Lambda = [[0, 0.5], [0.5, 0]] (A = Lambda with
 * E = (1, 1)), h(1) = (0.2, 0). Bardoscia gives (0.2666667, 0.1333333),
 * the closed form (I - Lambda)^-1 h(1), computed here by hand:
 *   (I - L)^-1 = [[1, l01], [l10, 1]] / (1 - l01 l10) for a 2x2 with zero
 *   diagonal. No h reaches 1, so the cap never binds and the iteration
 *   sums the whole Neumann series h(1) + L h(1) + L^2 h(1) + ... */
Test(stress, bardoscia_loop_equals_the_closed_form)
{
    const double L[4] = {0, 0.5, 0.5, 0};
    const double E[2] = {1, 1};
    const double shock[2] = {0.2, 0};
    double det = 1.0 - L[1] * L[2];
    double closed0 = (1.0 * shock[0] + L[1] * shock[1]) / det;
    double closed1 = (L[2] * shock[0] + 1.0 * shock[1]) / det;
    dg_debtrank r;
    cr_assert_eq(dg_stress_debtrank(DG_DEBTRANK_BARDOSCIA, 2, L, E, NULL,
                                    shock, NULL, &r),
                 DG_OK);
    assert_printed(r.h[0], 0.2666667, 7);
    assert_printed(r.h[1], 0.1333333, 7);
    /* Stopping rule: the tail after the last round is at most
     * TOL * rho / (1 - rho) = 1e-12 here (rho = 0.5). */
    assert_near(r.h[0], closed0, 1e-11);
    assert_near(r.h[1], closed1, 1e-11);
    dg_stress_debtrank_finish(&r);
}

/* Battiston on the same loop: round 1 (0 distressed): h_1 += 0.5 * 0.2 =
 * 0.1; round 2 (1 distressed, 0 inactive): h_0 += 0.5 * 0.1 = 0.05. The
 * reference gives (0.25, 0.10): it stops where Bardoscia goes on round the
 * loop. */
Test(stress, battiston_loop_undercounts_at_0_25_0_10)
{
    const double L[4] = {0, 0.5, 0.5, 0};
    const double E[2] = {1, 1};
    const double shock[2] = {0.2, 0};
    dg_debtrank r;
    cr_assert_eq(dg_stress_debtrank(DG_DEBTRANK_BATTISTON, 2, L, E, NULL,
                                    shock, NULL, &r),
                 DG_OK);
    assert_printed(r.h[0], 0.25, 2);
    assert_printed(r.h[1], 0.10, 2);
    cr_assert_eq(r.rounds, 2);
    dg_stress_debtrank_finish(&r);
}

/* A loop whose closed form exceeds 1: Lambda = [[0, 2], [2, 0]], h(1) =
 * (0.5, 0).
 * Bardoscia: h(2) = (0.5, min(1, 1)) = (0.5, 1), increments (0, 0.5);
 *   h(3) = (min(1, 0.5 + 2 * 0.5), 1) = (1, 1); increments (0.5, 0);
 *   h(4) = h(3). Both default; 0 was shocked to 0.5 only: 2 further.
 * Battiston: W = [[0, 1], [1, 0]]; round 1: h_1 = 0.5; round 2: h_0 =
 *   0.5 + 0.5 = 1. h = (1, 0.5): 1 further default. */
Test(stress, loop_that_saturates_defaults_both_only_under_bardoscia)
{
    const double L[4] = {0, 2, 2, 0};
    const double E[2] = {1, 1};
    const double shock[2] = {0.5, 0};
    dg_debtrank r;
    cr_assert_eq(dg_stress_debtrank(DG_DEBTRANK_BARDOSCIA, 2, L, E, NULL,
                                    shock, NULL, &r),
                 DG_OK);
    assert_near(r.h[0], 1, 1e-15);
    assert_near(r.h[1], 1, 1e-15);
    cr_assert_eq(r.further_defaults, 2);
    /* equal weights: R = (0.5 + 1) / 2 */
    assert_near(r.R, 0.75, 1e-15);
    dg_stress_debtrank_finish(&r);

    cr_assert_eq(dg_stress_debtrank(DG_DEBTRANK_BATTISTON, 2, L, E, NULL,
                                    shock, NULL, &r),
                 DG_OK);
    assert_near(r.h[0], 1, 1e-15);
    assert_near(r.h[1], 0.5, 1e-15);
    cr_assert_eq(r.further_defaults, 1);
    dg_stress_debtrank_finish(&r);
}

/* Lambda = [[0, r], [r, 0]] with r = 1 - 1e-7 and h(1) = (1e-9, 0): the
 * closed form h_0 = 1e-9 / (1 - r^2) ~ 0.005 stays below 1, but the
 * increments shrink by r per round and need ~2.6e8 rounds to fall below
 * 1e-12: the round limit is hit, DG_ELIMIT, and h is a lower bound. */
Test(stress, bardoscia_that_cannot_converge_in_time_says_so)
{
    const double r = 1.0 - 1e-7;
    const double L[4] = {0, r, r, 0};
    const double E[2] = {1, 1};
    const double shock[2] = {1e-9, 0};
    double closed0 = shock[0] / (1.0 - r * r);
    dg_debtrank out;
    cr_assert_eq(dg_stress_debtrank(DG_DEBTRANK_BARDOSCIA, 2, L, E, NULL,
                                    shock, NULL, &out),
                 DG_ELIMIT);
    cr_assert_eq(out.rounds, DG_DEBTRANK_MAX_ROUNDS);
    cr_assert(out.h[0] > shock[0] && out.h[0] < closed0);
    dg_stress_debtrank_finish(&out);
}

/* ---- excluded companies --------------------------------------------------------- */

/* Company 0 has no equity (excluded) and is shocked to failure; company 1
 * (E = 10) loses A_10 = 5 if 0 fails. Both forms: h_1 = 5/10 * 1 = 0.5,
 * loss_1 = 5; 0 keeps h = 1, has no loss figure (NaN) and no weight, so
 * v_1 = 1 and R = 0.5. 0's own exposure row (NaN here) is not read. */
Test(stress, excluded_company_passes_on_its_shock_but_takes_no_loss)
{
    const double A[4] = {NAN, NAN, 5, 0};
    const double E[2] = {NAN, 10};
    const bool inc[2] = {false, true};
    const double shock[2] = {1, 0};
    const double w[2] = {NAN, 3};
    for (int f = 0; f < 2; f++) {
        dg_debtrank r;
        cr_assert_eq(dg_stress_debtrank((dg_debtrank_form)f, 2, A, E, inc,
                                        shock, w, &r),
                     DG_OK);
        assert_near(r.h[0], 1, 1e-15);
        assert_near(r.h[1], 0.5, 1e-15);
        cr_assert(isnan(r.loss[0]));
        assert_near(r.loss[1], 5, 1e-15);
        assert_near(r.R, 0.5, 1e-15);
        cr_assert_eq(r.defaults, 1);
        cr_assert_eq(r.further_defaults, 0);
        dg_stress_debtrank_finish(&r);
    }
}

/* No shock, no propagation: h stays 0, R = 0, zero rounds. */
Test(stress, no_shock_means_no_loss)
{
    const double shock[3] = {0, 0, 0};
    for (int f = 0; f < 2; f++) {
        dg_debtrank r;
        run_nrm((dg_debtrank_form)f, shock, &r);
        assert_h(&r, 0, 0, 0);
        cr_assert_eq(r.R, 0.0);
        cr_assert_eq(r.rounds, 0);
        dg_stress_debtrank_finish(&r);
    }
}

Test(stress, debtrank_rejects_invalid_arguments)
{
    dg_debtrank r;
    const double ok[3] = {0, 0, 1};
    double E[3] = {2, 5, 2}, s[3] = {0, 0, 1}, A[9];
    memcpy(A, NRM_A, sizeof A);
    E[1] = 0;
    cr_assert_eq(dg_stress_debtrank(DG_DEBTRANK_BARDOSCIA, 3, A, E, NULL, ok,
                                    NULL, &r),
                 DG_EUSAGE);
    E[1] = -5;
    cr_assert_eq(dg_stress_debtrank(DG_DEBTRANK_BARDOSCIA, 3, A, E, NULL, ok,
                                    NULL, &r),
                 DG_EUSAGE);
    E[1] = NAN;
    cr_assert_eq(dg_stress_debtrank(DG_DEBTRANK_BATTISTON, 3, A, E, NULL, ok,
                                    NULL, &r),
                 DG_EUSAGE);
    E[1] = 5;
    s[2] = 1.5;
    cr_assert_eq(dg_stress_debtrank(DG_DEBTRANK_BARDOSCIA, 3, A, E, NULL, s,
                                    NULL, &r),
                 DG_EUSAGE);
    s[2] = -0.1;
    cr_assert_eq(dg_stress_debtrank(DG_DEBTRANK_BARDOSCIA, 3, A, E, NULL, s,
                                    NULL, &r),
                 DG_EUSAGE);
    A[1] = -1;
    cr_assert_eq(dg_stress_debtrank(DG_DEBTRANK_BARDOSCIA, 3, A, E, NULL, ok,
                                    NULL, &r),
                 DG_EUSAGE);
    A[1] = 1;
    const double zero_w[3] = {0, 0, 0};
    cr_assert_eq(dg_stress_debtrank(DG_DEBTRANK_BARDOSCIA, 3, A, E, NULL, ok,
                                    zero_w, &r),
                 DG_EUSAGE);
    const bool none[3] = {false, false, false};
    cr_assert_eq(dg_stress_debtrank(DG_DEBTRANK_BARDOSCIA, 3, A, E, none, ok,
                                    NULL, &r),
                 DG_EUSAGE);
    cr_assert_eq(dg_stress_debtrank((dg_debtrank_form)7, 3, A, E, NULL, ok,
                                    NULL, &r),
                 DG_EUSAGE);
    cr_assert_eq(dg_stress_debtrank(DG_DEBTRANK_BARDOSCIA, 3, NULL, E, NULL,
                                    ok, NULL, &r),
                 DG_EUSAGE);
    cr_assert_eq(dg_stress_debtrank(DG_DEBTRANK_BARDOSCIA, 3, A, E, NULL, ok,
                                    NULL, NULL),
                 DG_EUSAGE);
    /* Failure leaves the result empty: finish is a no-op. */
    cr_assert_null(r.h);
    dg_stress_debtrank_finish(&r);
    cr_assert_eq(dg_stress_debtrank(DG_DEBTRANK_BARDOSCIA, 0, NULL, NULL,
                                    NULL, NULL, NULL, &r),
                 DG_OK);
    cr_assert_eq(r.n, 0);
    dg_stress_debtrank_finish(&r);
    cr_assert_str_eq(dg_stress_debtrank_form_name(DG_DEBTRANK_BATTISTON),
                     "battiston");
}

/* ---- Eisenberg–Noe clearing --------------------------------------------------- */

/* REFERENCE-VALUES.md, the example of the R package systemicrisk: each of
 * three companies owes 0.5 to each other one; e = (1/2, 5/8, 3/4); outside
 * liabilities l = (3/2, 1/2, 1/2), pari passu. p* = (165/112, 159/112,
 * 3/2), the first two default; equity (-1.0267857, -0.0803571, 0.0178571).
 * Derivation (fictitious default):
 *   pbar = (2.5, 1.5, 1.5); Pi_1j = 0.2, Pi_2j = Pi_3j = 1/3 (j != i).
 *   Round 1, all pay in full: assets 1 = 0.5 + 0.5 + 0.5 = 1.5 < 2.5 (D);
 *     2: 0.625 + 0.5 + 0.5 = 1.625 >= 1.5; 3: 1.75 >= 1.5. Solve p_1 =
 *     0.5 + (1.5 + 1.5)/3 = 1.5.
 *   Round 2: 2: 0.625 + 0.2 * 1.5 + 0.5 = 1.425 < 1.5 (D); 3: 1.55 >= 1.5.
 *     Solve p_1 = 1 + p_2/3, p_2 = 1.125 + 0.2 p_1: p_1 = 1.375 * 15/14 =
 *     165/112, p_2 = 1.125 + 33/112 = 159/112.
 *   Check 3: 0.75 + 33/112 + 53/112 = 1.5179 >= 1.5: stop after 2 rounds.
 *   Equity = assets - pbar: 1: 1 + 53/112 - 2.5 = -115/112;
 *     2: 1.125 + 33/112 - 1.5 = -9/112; 3: 0.75 + 86/112 - 1.5 = 2/112.
 * (Equity is measured against pbar, not p*: against p* a defaulter's
 * would be 0, and the reference's negative figures would not come out.) */
static const double EN_L[9] = {0, 0.5, 0.5, 0.5, 0, 0.5, 0.5, 0.5, 0};
static const double EN_E[3] = {0.5, 0.625, 0.75};
static const double EN_ELL[3] = {1.5, 0.5, 0.5};

Test(stress, eisenberg_noe_example_clears_at_165_159_168_over_112)
{
    dg_clearing c;
    cr_assert_eq(dg_stress_clearing(3, EN_L, EN_E, EN_ELL, &c), DG_OK);
    assert_near(c.payment[0], 165.0 / 112.0, 1e-12);
    assert_near(c.payment[1], 159.0 / 112.0, 1e-12);
    assert_near(c.payment[2], 1.5, 1e-12);
    assert_printed(c.payment[0], 1.4732143, 7);
    assert_printed(c.payment[1], 1.4196429, 7);
    assert_printed(c.equity[0], -1.0267857, 7);
    assert_printed(c.equity[1], -0.0803571, 7);
    assert_printed(c.equity[2], 0.0178571, 7);
    assert_near(c.equity[0], -115.0 / 112.0, 1e-12);
    assert_near(c.equity[1], -9.0 / 112.0, 1e-12);
    assert_near(c.equity[2], 2.0 / 112.0, 1e-12);
    cr_assert(c.defaulted[0] && c.defaulted[1] && !c.defaulted[2]);
    cr_assert_eq(c.defaults, 2);
    cr_assert_eq(c.rounds, 2);
    assert_near(c.obligation[0], 2.5, 1e-15);
    assert_near(c.obligation[1], 1.5, 1e-15);
    assert_near(c.obligation[2], 1.5, 1e-15);
    dg_stress_clearing_finish(&c);
}

Test(stress, eisenberg_noe_does_not_depend_on_company_order)
{
    const int perm[3] = {1, 2, 0};
    double L[9], e[3], l[3];
    for (int k = 0; k < 3; k++) {
        e[k] = EN_E[perm[k]];
        l[k] = EN_ELL[perm[k]];
        for (int m = 0; m < 3; m++)
            L[k * 3 + m] = EN_L[perm[k] * 3 + perm[m]];
    }
    dg_clearing a, b;
    cr_assert_eq(dg_stress_clearing(3, EN_L, EN_E, EN_ELL, &a), DG_OK);
    cr_assert_eq(dg_stress_clearing(3, L, e, l, &b), DG_OK);
    for (int k = 0; k < 3; k++) {
        assert_near(b.payment[k], a.payment[perm[k]], 1e-12);
        assert_near(b.equity[k], a.equity[perm[k]], 1e-12);
        cr_assert_eq(b.defaulted[k], a.defaulted[perm[k]]);
    }
    cr_assert_eq(b.rounds, a.rounds);
    dg_stress_clearing_finish(&a);
    dg_stress_clearing_finish(&b);
}

/* Ample outside assets: nobody defaults, p* = pbar, zero rounds. Two
 * companies, 0 owes 1 owes 3, 1 owes 0 owes 2; e = (10, 10):
 * equity_0 = 10 + 2 - 3 = 9, equity_1 = 10 + 3 - 2 = 11. */
Test(stress, solvent_companies_pay_in_full)
{
    const double L[4] = {0, 3, 2, 0};
    const double e[2] = {10, 10};
    dg_clearing c;
    cr_assert_eq(dg_stress_clearing(2, L, e, NULL, &c), DG_OK);
    assert_near(c.payment[0], 3, 1e-15);
    assert_near(c.payment[1], 2, 1e-15);
    assert_near(c.equity[0], 9, 1e-15);
    assert_near(c.equity[1], 11, 1e-15);
    cr_assert_eq(c.defaults, 0);
    cr_assert_eq(c.rounds, 0);
    dg_stress_clearing_finish(&c);
}

/* A ring 0 -> 1 -> 2 -> 0, each owing 1, no outside assets: paying in full
 * is a clearing vector (each receives exactly what it pays) and the
 * greatest one, so nobody defaults; equity 0 each. The tie (assets equal
 * to obligations) is not a default. */
Test(stress, balanced_ring_without_cash_clears_in_full)
{
    double L[9] = {0};
    L[0 * 3 + 1] = 1;
    L[1 * 3 + 2] = 1;
    L[2 * 3 + 0] = 1;
    const double e[3] = {0, 0, 0};
    dg_clearing c;
    cr_assert_eq(dg_stress_clearing(3, L, e, NULL, &c), DG_OK);
    for (int i = 0; i < 3; i++) {
        assert_near(c.payment[i], 1, 1e-15);
        assert_near(c.equity[i], 0, 1e-15);
        cr_assert(!c.defaulted[i]);
    }
    dg_stress_clearing_finish(&c);
}

/* A company that owes nothing (pbar = 0) pays nothing and cannot default;
 * here 1 owes nothing, 0 owes 1 one unit and has nothing: p_0 = e_0 +
 * Pi_10 p_1 = 0 + 0 = 0, so 0 defaults (equity 0 - 1 = -1) and 1 is owed
 * 1 but receives 0: equity_1 = 0 + 0 - 0 = 0, not a default. One round. */
Test(stress, company_that_owes_nothing_cannot_default)
{
    const double L[4] = {0, 1, 0, 0};
    const double e[2] = {0, 0};
    dg_clearing c;
    cr_assert_eq(dg_stress_clearing(2, L, e, NULL, &c), DG_OK);
    assert_near(c.payment[0], 0, 1e-15);
    assert_near(c.payment[1], 0, 1e-15);
    assert_near(c.obligation[1], 0, 1e-15);
    assert_near(c.equity[0], -1, 1e-15);
    assert_near(c.equity[1], 0, 1e-15);
    cr_assert(c.defaulted[0] && !c.defaulted[1]);
    cr_assert_eq(c.rounds, 1);
    dg_stress_clearing_finish(&c);
}

Test(stress, clearing_rejects_invalid_arguments)
{
    double L[4] = {0, 1, 1, 0};
    double e[2] = {1, 1};
    double l[2] = {0, 0};
    dg_clearing c;
    L[1] = -1;
    cr_assert_eq(dg_stress_clearing(2, L, e, l, &c), DG_EUSAGE);
    L[1] = NAN;
    cr_assert_eq(dg_stress_clearing(2, L, e, l, &c), DG_EUSAGE);
    L[1] = 1;
    e[0] = -1;
    cr_assert_eq(dg_stress_clearing(2, L, e, l, &c), DG_EUSAGE);
    e[0] = INFINITY;
    cr_assert_eq(dg_stress_clearing(2, L, e, l, &c), DG_EUSAGE);
    e[0] = 1;
    l[1] = NAN;
    cr_assert_eq(dg_stress_clearing(2, L, e, l, &c), DG_EUSAGE);
    cr_assert_eq(dg_stress_clearing(2, NULL, e, NULL, &c), DG_EUSAGE);
    cr_assert_eq(dg_stress_clearing(2, L, NULL, NULL, &c), DG_EUSAGE);
    cr_assert_eq(dg_stress_clearing(2, L, e, NULL, NULL), DG_EUSAGE);
    cr_assert_null(c.payment);
    dg_stress_clearing_finish(&c);
    dg_stress_clearing_finish(NULL);
    cr_assert_eq(dg_stress_clearing(0, NULL, NULL, NULL, &c), DG_OK);
    dg_stress_clearing_finish(&c);
}

/* ---- non-linear DebtRank (Bardoscia et al. 2016) ------------------------------ */

/* PLoS ONE 11(10): e0163825: a company at relative loss h passes on
 * p(h) = h exp(alpha (h - 1)), and h(t+1) = min(1, h(t) + Lambda (p(h(t)) -
 * p(h(t-1)))). */
static double p_of(double h, double alpha)
{
    return h * exp(alpha * (h - 1.0));
}

/* A chain F -> a -> b: a is owed 1 by F on equity 2 (Lambda_aF = 0.5), b
 * is owed 1 by a on equity 2 (Lambda_ba = 0.5); F fails, h_F(1) = 1.
 * Round 1: a += 0.5 (p(1) - p(0)) = 0.5; a's increment of p is
 * p(0.5) - 0 = 0.5 e^(-alpha/2). Round 2: b += 0.5 * 0.5 e^(-alpha/2).
 * Nobody is exposed to b: h = (1, 0.5, 0.25 e^(-alpha/2)). alpha = 0 is
 * linear DebtRank's 0.25; alpha = 2 gives 0.25/e = 0.0919699; as alpha
 * grows b's loss vanishes, because a, which does not default, passes
 * nothing on: the default cascade. */
static const double CHAIN_A[9] = {0, 0, 0, 1, 0, 0, 0, 1, 0}; /* F, a, b */
static const double CHAIN_E[3] = {10, 2, 2};

static void run_chain(double alpha, dg_debtrank *r)
{
    const double shock[3] = {1, 0, 0};
    cr_assert_eq(dg_stress_debtrank_nonlinear(3, CHAIN_A, CHAIN_E, NULL,
                                              shock, NULL, alpha, r),
                 DG_OK);
}

Test(stress, nonlinear_chain_passes_on_p_of_h_not_h)
{
    static const double alphas[] = {0, 0.5, 1, 2, 7};
    for (size_t k = 0; k < sizeof alphas / sizeof *alphas; k++) {
        dg_debtrank r;
        run_chain(alphas[k], &r);
        assert_near(r.h[0], 1, 1e-15);
        assert_near(r.h[1], 0.5, 1e-15);
        assert_near(r.h[2], 0.25 * exp(-alphas[k] / 2), 1e-15);
        dg_stress_debtrank_finish(&r);
    }
    dg_debtrank r;
    run_chain(2, &r);
    assert_printed(r.h[2], 0.0919699, 7);
    dg_stress_debtrank_finish(&r);
}

/* alpha = 0 is Bardoscia 2015 bit for bit, on every reference shock. */
Test(stress, nonlinear_alpha_zero_is_linear_debtrank_bit_for_bit)
{
    static const double shocks[4][3] = {
        {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0.1, 0.1, 0.1}};
    for (int s = 0; s < 4; s++) {
        dg_debtrank lin, nl;
        run_nrm(DG_DEBTRANK_BARDOSCIA, shocks[s], &lin);
        cr_assert_eq(dg_stress_debtrank_nonlinear(3, NRM_A, NRM_E, NULL,
                                                  shocks[s], NRM_V, 0.0,
                                                  &nl),
                     DG_OK);
        for (int i = 0; i < 3; i++)
            cr_expect(memcmp(&lin.h[i], &nl.h[i], sizeof(double)) == 0,
                      "shock %d company %d: %.17g vs %.17g", s, i, lin.h[i],
                      nl.h[i]);
        cr_expect(memcmp(&lin.R, &nl.R, sizeof(double)) == 0);
        cr_expect_eq(lin.rounds, nl.rounds);
        dg_stress_debtrank_finish(&lin);
        dg_stress_debtrank_finish(&nl);
    }
}

/* Small alpha approaches linear DebtRank continuously: on the chain the
 * difference is 0.25 (1 - e^(-alpha/2)) <= alpha / 8. */
Test(stress, nonlinear_small_alpha_approaches_linear_debtrank)
{
    dg_debtrank r;
    run_chain(1e-6, &r);
    cr_expect(fabs(r.h[2] - 0.25) <= 1e-6 / 8 + 1e-15, "%.17g", r.h[2]);
    dg_stress_debtrank_finish(&r);
}

/* Large alpha is a default cascade. NetworkRiskMeasures' example with c
 * failing: only defaults pass losses on, so b loses Lambda_bc = 3/5 = 0.6
 * of its equity and does not default; a's only exposure is to b, which
 * did not default, so a loses nothing: h -> (0, 0.6, 1), one default (c,
 * the shock). Linear DebtRank gives (0.5, 1, 1) with b defaulting. At
 * alpha = 50, b passes on p(0.6) = 0.6 e^-20 = 1.2e-9, so a's loss is
 * 0.5 * 1.2e-9 = 6.2e-10. */
Test(stress, nonlinear_large_alpha_is_a_default_cascade)
{
    const double shock[3] = {0, 0, 1};
    dg_debtrank r;
    cr_assert_eq(dg_stress_debtrank_nonlinear(3, NRM_A, NRM_E, NULL, shock,
                                              NRM_V, 50.0, &r),
                 DG_OK);
    assert_near(r.h[0], 0, 1e-9);
    assert_near(r.h[0], 0.5 * p_of(0.6, 50), 1e-15);
    assert_near(r.h[1], 0.6, 1e-9);
    assert_near(r.h[2], 1, 1e-15);
    cr_expect_eq(r.defaults, 1);
    cr_expect_eq(r.further_defaults, 0);
    dg_stress_debtrank_finish(&r);

    /* a fails: b and c lose 2 and 1.5 times their equity and default in
     * the cascade as in the linear form: h = (1, 1, 1). */
    const double shock_a[3] = {1, 0, 0};
    cr_assert_eq(dg_stress_debtrank_nonlinear(3, NRM_A, NRM_E, NULL,
                                              shock_a, NRM_V, 50.0, &r),
                 DG_OK);
    assert_h(&r, 1, 1, 1);
    cr_expect_eq(r.further_defaults, 2);
    dg_stress_debtrank_finish(&r);
}

/* Round a loop the increments of p telescope: each company's final h is
 * its shock plus Lambda times the p of its debtors' final h. The two-
 * company loop Lambda = [[0, 1/2], [1/2, 0]], shock (0.2, 0), so
 *   h0 = 0.2 + p(h1) / 2,   h1 = p(h0) / 2
 * (no one reaches 1). At alpha = 0 this is the closed form (4/15, 2/15);
 * at alpha = 1 the run must satisfy the two equations. */
Test(stress, nonlinear_loop_settles_where_p_telescopes)
{
    const double A[4] = {0, 1, 1, 0};
    const double E[2] = {2, 2};
    const double shock[2] = {0.2, 0};
    dg_debtrank r;
    cr_assert_eq(dg_stress_debtrank_nonlinear(2, A, E, NULL, shock, NULL,
                                              1.0, &r),
                 DG_OK);
    assert_near(r.h[0], 0.2 + p_of(r.h[1], 1) / 2, 1e-11);
    assert_near(r.h[1], p_of(r.h[0], 1) / 2, 1e-11);
    cr_expect(r.h[0] > 0.2 && r.h[0] < 4.0 / 15.0, "%.17g", r.h[0]);
    dg_stress_debtrank_finish(&r);
    cr_assert_eq(dg_stress_debtrank_nonlinear(2, A, E, NULL, shock, NULL,
                                              0.0, &r),
                 DG_OK);
    assert_near(r.h[0], 4.0 / 15.0, 1e-11);
    assert_near(r.h[1], 2.0 / 15.0, 1e-11);
    dg_stress_debtrank_finish(&r);
}

Test(stress, nonlinear_rejects_a_negative_or_infinite_alpha)
{
    const double shock[3] = {1, 0, 0};
    static const double bad[] = {-0.5, INFINITY, NAN};
    for (size_t k = 0; k < 3; k++) {
        dg_debtrank r;
        cr_expect_eq(dg_stress_debtrank_nonlinear(3, CHAIN_A, CHAIN_E, NULL,
                                                  shock, NULL, bad[k], &r),
                     DG_EUSAGE);
        cr_expect_null(r.h);
    }
}

/* ---- Rogers & Veraart (2013): clearing with bankruptcy costs ------------------ */

/* A chain A -> B -> C: A owes B 10, B owes C 10; outside assets e = (6,
 * 5, 0). Eisenberg-Noe: A pays its 6; B has 5 + 6 = 11 >= 10 and pays in
 * full. With alpha = beta = 1/2: A is short (6 < 10) and pays 6/2 = 3; B
 * now has 5 + 3 = 8 < 10, defaults and pays 5/2 + 3/2 = 4: C receives 4
 * instead of 10. The costs turn one default into two. */
Test(stress, bankruptcy_costs_turn_one_default_into_two)
{
    const double L[9] = {0, 10, 0, 0, 0, 10, 0, 0, 0};
    const double e[3] = {6, 5, 0};
    dg_clearing c;
    cr_assert_eq(dg_stress_clearing_rv(3, L, e, NULL, 1, 1, &c), DG_OK);
    assert_near(c.payment[0], 6, 1e-15);
    assert_near(c.payment[1], 10, 1e-15);
    cr_expect_eq(c.defaults, 1);
    assert_near(c.equity[1], 1, 1e-15);
    dg_stress_clearing_finish(&c);

    cr_assert_eq(dg_stress_clearing_rv(3, L, e, NULL, 0.5, 0.5, &c), DG_OK);
    assert_near(c.payment[0], 3, 1e-15);
    assert_near(c.payment[1], 4, 1e-15);
    assert_near(c.payment[2], 0, 1e-15);
    cr_expect(c.defaulted[0] && c.defaulted[1] && !c.defaulted[2]);
    cr_expect_eq(c.defaults, 2);
    cr_expect_eq(c.rounds, 2);
    /* equity before the costs: B 5 + 3 - 10 = -2 */
    assert_near(c.equity[1], -2, 1e-15);
    dg_stress_clearing_finish(&c);

    /* only outside assets lost (alpha = 1/2, beta = 1): A pays 3, B has
     * 8 and pays 5/2 + 3 = 5.5 */
    cr_assert_eq(dg_stress_clearing_rv(3, L, e, NULL, 0.5, 1, &c), DG_OK);
    assert_near(c.payment[1], 5.5, 1e-15);
    dg_stress_clearing_finish(&c);
}

/* A loop: A owes B 10, B owes A 5; e = (2, 0). Eisenberg-Noe: if B pays
 * its 5, A has 7 < 10 and pays 7 >= 5, so B is paid enough: p = (7, 5).
 * With alpha = beta = 1/2, round 1: A (7 < 10) defaults, p_A = 1 + 5/2 =
 * 3.5; round 2: B has 3.5 < 5 and defaults too; then
 *   p_A = 2/2 + p_B/2,  p_B = 0/2 + p_A/2  =>  p_A = 4/3, p_B = 2/3. */
Test(stress, bankruptcy_costs_round_a_loop_solve_the_default_set)
{
    const double L[4] = {0, 10, 5, 0};
    const double e[2] = {2, 0};
    dg_clearing c;
    cr_assert_eq(dg_stress_clearing_rv(2, L, e, NULL, 1, 1, &c), DG_OK);
    assert_near(c.payment[0], 7, 1e-15);
    assert_near(c.payment[1], 5, 1e-15);
    dg_stress_clearing_finish(&c);
    cr_assert_eq(dg_stress_clearing_rv(2, L, e, NULL, 0.5, 0.5, &c), DG_OK);
    assert_near(c.payment[0], 4.0 / 3.0, 1e-14);
    assert_near(c.payment[1], 2.0 / 3.0, 1e-14);
    cr_expect_eq(c.defaults, 2);
    cr_expect_eq(c.rounds, 2);
    dg_stress_clearing_finish(&c);
}

/* alpha = beta = 1 is Eisenberg-Noe, bit for bit, on the reference. */
Test(stress, no_bankruptcy_costs_is_eisenberg_noe_bit_for_bit)
{
    dg_clearing a, b;
    cr_assert_eq(dg_stress_clearing(3, EN_L, EN_E, EN_ELL, &a), DG_OK);
    cr_assert_eq(dg_stress_clearing_rv(3, EN_L, EN_E, EN_ELL, 1, 1, &b),
                 DG_OK);
    cr_expect(memcmp(a.payment, b.payment, 3 * sizeof(double)) == 0);
    cr_expect(memcmp(a.equity, b.equity, 3 * sizeof(double)) == 0);
    dg_stress_clearing_finish(&a);
    dg_stress_clearing_finish(&b);
}

Test(stress, bankruptcy_costs_outside_0_to_1_are_rejected)
{
    static const double bad[][2] = {{0, 1}, {1, 0}, {1.5, 1}, {1, -1},
                                    {NAN, 1}, {1, NAN}};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        dg_clearing c;
        cr_expect_eq(dg_stress_clearing_rv(3, EN_L, EN_E, EN_ELL, bad[k][0],
                                           bad[k][1], &c),
                     DG_EUSAGE);
        cr_expect_null(c.payment);
    }
}
