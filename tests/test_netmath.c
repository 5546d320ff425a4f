/*
 * test_netmath.c - ecological network analysis and concentration.
 *
 * Every expected number comes from /work/shared/REFERENCE-VALUES.md (its
 * source named at the test) or from a derivation written beside the test.
 * Reference figures printed with d decimals are checked to half a unit of
 * their last digit (0.5e-d), i.e. as the correctly rounded value; that is
 * at least as tight as 1e-6 absolute.
 */
#include "dealgraph/netmath.h"

#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <igraph.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

static void quiet_igraph(void)
{
    igraph_set_error_handler(igraph_error_handler_ignore);
}

TestSuite(netmath, .init = quiet_igraph);

/* |actual - expected| within half a unit of the expected value's last
 * printed decimal. */
#define assert_printed(actual, expected, decimals)                           \
    do {                                                                     \
        double a_ = (actual), e_ = (expected);                               \
        double t_ = 0.5 * pow(10.0, -(decimals)) + 1e-12;                    \
        cr_assert(fabs(a_ - e_) <= t_, "%s = %.12g, expected %.*f (+-%g)",   \
                  #actual, a_, (int)(decimals), e_, t_);                     \
    } while (0)

/* Relative closeness for exact (derived) values. */
#define assert_near(actual, expected, rel)                                   \
    do {                                                                     \
        double a_ = (actual), e_ = (expected);                               \
        double t_ = (rel) * (fabs(e_) > 1.0 ? fabs(e_) : 1.0);               \
        cr_assert(fabs(a_ - e_) <= t_, "%s = %.17g, expected %.17g",         \
                  #actual, a_, e_);                                          \
    } while (0)

/* ---- Cone Springs ---------------------------------------------------------- */

/* REFERENCE-VALUES.md: Cone Springs, as shipped with enaR
 * (troModels[["Cone Springs"]]); FCI 0.0919 published in Jørgensen et al.,
 * "A New Ecology" (2007), ch. 5. Order: Plants, Bacteria, DetritusFeeders,
 * Carnivores, Detritus. */
enum { PL, BA, DF, CA, DE, CONE_N };

static void cone_springs(double F[CONE_N * CONE_N], double z[CONE_N])
{
    memset(F, 0, CONE_N * CONE_N * sizeof(double));
    F[PL * CONE_N + DE] = 8881;
    F[BA * CONE_N + DF] = 75;
    F[BA * CONE_N + DE] = 1600;
    F[DF * CONE_N + CA] = 370;
    F[DF * CONE_N + DE] = 200;
    F[CA * CONE_N + DE] = 167;
    F[DE * CONE_N + BA] = 5205;
    F[DE * CONE_N + DF] = 2309;
    memset(z, 0, CONE_N * sizeof(double));
    z[PL] = 11184;
    z[DE] = 635;
}

static void cone_ena(dg_ena *e)
{
    double F[CONE_N * CONE_N], z[CONE_N];
    cone_springs(F, z);
    cr_assert_eq(dg_netmath_ena(CONE_N, F, z, e, NULL), DG_OK);
}

Test(netmath, cone_springs_throughflow_is_inflow_plus_boundary_inflow)
{
    dg_ena e;
    cone_ena(&e);
    const double T[CONE_N] = {11184, 5205, 2384, 370, 11483};
    for (int i = 0; i < CONE_N; i++)
        assert_near(e.throughflow[i], T[i], 1e-12);
    assert_near(e.tst, 30626, 1e-12);
    assert_near(e.boundary, 11184 + 635, 1e-12);
    dg_netmath_ena_finish(&e);
}

Test(netmath, cone_springs_diagonal_of_n_matches_enar)
{
    dg_ena e;
    cone_ena(&e);
    const double diag[CONE_N] = {1, 1.1693512, 1.0385666, 1.0175494,
                                 1.2067045};
    for (int k = 0; k < CONE_N; k++)
        assert_printed(e.nprime[k * CONE_N + k], diag[k], 7);
    dg_netmath_ena_finish(&e);
}

Test(netmath, cone_springs_fci_is_0_0919390)
{
    dg_ena e;
    cone_ena(&e);
    assert_printed(e.fci, 0.0919390, 7);
    dg_netmath_ena_finish(&e);
}

Test(netmath, cone_springs_average_path_length_is_2_591251)
{
    dg_ena e;
    cone_ena(&e);
    assert_printed(e.path_length, 2.591251, 6);
    /* TST / sum z = 30626 / 11819 exactly. */
    assert_near(e.path_length, 30626.0 / 11819.0, 1e-12);
    dg_netmath_ena_finish(&e);
}

Test(netmath, carnivores_inflow_passed_through_plants_bacteria_detritus)
{
    dg_ena e;
    cone_ena(&e);
    assert_printed(dg_netmath_passthrough(&e, CA, PL), 0.933270, 6);
    assert_printed(dg_netmath_passthrough(&e, CA, BA), 0.171728, 6);
    assert_printed(dg_netmath_passthrough(&e, CA, DE), 1.0, 6);
    dg_netmath_ena_finish(&e);
}

Test(netmath, detritus_own_cycling_share_is_0_171297)
{
    dg_ena e;
    cone_ena(&e);
    assert_printed(e.cycling[DE], 0.171297, 6);
    /* Plants receive nothing from the network: nothing comes back. */
    assert_near(e.cycling[PL], 0.0, 1e-15);
    dg_netmath_ena_finish(&e);
}

Test(netmath, cone_springs_origin_rows_sum_to_one)
{
    dg_ena e;
    cone_ena(&e);
    for (int i = 0; i < CONE_N; i++) {
        double s = 0;
        for (int j = 0; j < CONE_N; j++) {
            cr_assert(e.origin[i * CONE_N + j] >= -1e-15);
            s += e.origin[i * CONE_N + j];
        }
        assert_near(s, 1.0, 1e-12);
    }
    /* Only Plants and Detritus have boundary inflow: the other columns of
     * O are zero because z_j = 0. */
    for (int i = 0; i < CONE_N; i++) {
        cr_assert_eq(e.origin[i * CONE_N + BA], 0.0);
        cr_assert_eq(e.origin[i * CONE_N + DF], 0.0);
        cr_assert_eq(e.origin[i * CONE_N + CA], 0.0);
    }
    dg_netmath_ena_finish(&e);
}

Test(netmath, results_do_not_depend_on_company_order)
{
    double F[CONE_N * CONE_N], z[CONE_N], Fp[CONE_N * CONE_N], zp[CONE_N];
    cone_springs(F, z);
    /* New position k holds old company perm[k]. */
    const int perm[CONE_N] = {CA, PL, DE, DF, BA};
    for (int k = 0; k < CONE_N; k++) {
        zp[k] = z[perm[k]];
        for (int l = 0; l < CONE_N; l++)
            Fp[k * CONE_N + l] = F[perm[k] * CONE_N + perm[l]];
    }
    dg_ena a, b;
    cr_assert_eq(dg_netmath_ena(CONE_N, F, z, &a, NULL), DG_OK);
    cr_assert_eq(dg_netmath_ena(CONE_N, Fp, zp, &b, NULL), DG_OK);
    assert_near(b.fci, a.fci, 1e-12);
    assert_near(b.tst, a.tst, 1e-12);
    assert_near(b.path_length, a.path_length, 1e-12);
    for (int k = 0; k < CONE_N; k++) {
        assert_near(b.throughflow[k], a.throughflow[perm[k]], 1e-12);
        assert_near(b.cycling[k], a.cycling[perm[k]], 1e-12);
        for (int l = 0; l < CONE_N; l++) {
            size_t ok = (size_t)perm[k], ol = (size_t)perm[l];
            assert_near(b.nprime[k * CONE_N + l],
                        a.nprime[ok * CONE_N + ol], 1e-12);
            assert_near(b.origin[k * CONE_N + l],
                        a.origin[ok * CONE_N + ol], 1e-12);
            assert_near(dg_netmath_passthrough(&b, (size_t)k, (size_t)l),
                        dg_netmath_passthrough(&a, ok, ol), 1e-12);
        }
    }
    dg_netmath_ena_finish(&a);
    dg_netmath_ena_finish(&b);
}

/* ---- two companies ----------------------------------------------------------- */

/* REFERENCE-VALUES.md: A receives 10 from outside; A->B 15; B->A 5; B sends
 * 10 outside. FCI = 1/3 exactly. Derivation of the rest:
 *   T_A = 5 + 10 = 15, T_B = 15 + 0 = 15, TST = 30, sum z = 10.
 *   Q_AB = F_BA / T_A = 1/3, Q_BA = F_AB / T_B = 1.
 *   I - Q = [[1, -1/3], [-1, 1]], det = 2/3,
 *   N' = (3/2) [[1, 1/3], [1, 1]] = [[1.5, 0.5], [1.5, 1.5]].
 *   FCI = ((1 - 2/3) 15 + (1 - 2/3) 15) / 30 = 1/3.
 *   D_BA = N'_BA / N'_AA = 1 (all of B's inflow came through A);
 *   D_AB = N'_AB / N'_BB = 1/3 (a third of A's inflow went round via B).
 *   O = N' diag(10/15, 0): O_AA = O_BA = 1.5 * 2/3 = 1.
 *   Average path length = 30 / 10 = 3. */
Test(netmath, two_company_loop_fci_is_one_third_exactly)
{
    const double F[4] = {0, 15, 5, 0};
    const double z[2] = {10, 0};
    dg_ena e;
    cr_assert_eq(dg_netmath_ena(2, F, z, &e, NULL), DG_OK);
    assert_near(e.fci, 1.0 / 3.0, 1e-15);
    assert_near(e.nprime[0], 1.5, 1e-15);
    assert_near(e.nprime[1], 0.5, 1e-15);
    assert_near(e.nprime[2], 1.5, 1e-15);
    assert_near(e.nprime[3], 1.5, 1e-15);
    assert_near(dg_netmath_passthrough(&e, 1, 0), 1.0, 1e-15);
    assert_near(dg_netmath_passthrough(&e, 0, 1), 1.0 / 3.0, 1e-15);
    assert_near(e.origin[0], 1.0, 1e-15);
    assert_near(e.origin[2], 1.0, 1e-15);
    assert_near(e.path_length, 3.0, 1e-15);
    assert_near(e.cycling[0], 1.0 / 3.0, 1e-15);
    dg_netmath_ena_finish(&e);
}

/* ---- hand-derived small cases ---------------------------------------------- */

/* A chain with a side entry: a -> b 10, b -> c 4 (b sends 6 outside),
 * x -> c 6; boundary inflow z_a = 10, z_x = 6. Order a, b, c, x.
 *   T = (10, 10, 4 + 6 = 10, 6); TST = 36; sum z = 16.
 *   Q_ba = 10/10 = 1, Q_cb = 4/10 = 0.4, Q_cx = 6/10 = 0.6; no cycle, so
 *   Q^3 = 0 and N' = I + Q + Q^2: N'_ba = 1, N'_cb = 0.4, N'_cx = 0.6,
 *   N'_ca = Q_cb Q_ba = 0.4; diagonal 1, FCI 0, path length 36/16 = 2.25.
 *   D_ca = 0.4 / 1: 40% of c's inflow passed through a on its way.
 *   O_c = (0.4 * 10/10, 0.4 * 0, 1 * 0, 0.6 * 6/6) = (0.4, 0, 0, 0.6). */
Test(netmath, chain_with_side_entry_has_hand_derived_dependencies)
{
    enum { A, B, C, X, N };
    double F[N * N] = {0};
    F[A * N + B] = 10;
    F[B * N + C] = 4;
    F[X * N + C] = 6;
    const double z[N] = {10, 0, 0, 6};
    dg_ena e;
    cr_assert_eq(dg_netmath_ena(N, F, z, &e, NULL), DG_OK);
    const double T[N] = {10, 10, 10, 6};
    for (int i = 0; i < N; i++) {
        assert_near(e.throughflow[i], T[i], 1e-15);
        assert_near(e.nprime[i * N + i], 1.0, 1e-15);
        assert_near(e.cycling[i], 0.0, 1e-15);
    }
    assert_near(e.fci, 0.0, 1e-15);
    assert_near(e.path_length, 2.25, 1e-15);
    assert_near(e.nprime[B * N + A], 1.0, 1e-15);
    assert_near(e.nprime[C * N + A], 0.4, 1e-15);
    assert_near(e.nprime[C * N + X], 0.6, 1e-15);
    assert_near(dg_netmath_passthrough(&e, C, A), 0.4, 1e-15);
    assert_near(dg_netmath_passthrough(&e, C, B), 0.4, 1e-15);
    assert_near(dg_netmath_passthrough(&e, B, C), 0.0, 1e-15);
    assert_near(dg_netmath_passthrough(&e, C, C), 1.0, 1e-15);
    const double Oc[N] = {0.4, 0, 0, 0.6};
    for (int j = 0; j < N; j++)
        assert_near(e.origin[C * N + j], Oc[j], 1e-15);
    dg_netmath_ena_finish(&e);
}

/* A company with no inflow at all (T = 0) but an outflow: d -> b 2 with
 * z_d = 0 (an unbalanced input), beside a -> b 5 with z_a = 5. Order a, b, d.
 *   T = (5, 7, 0). Q row d is zero by definition (nothing to share), so
 *   N' row d = (0, 0, 1), cycling_d = 0, O row d = 0, D_d* = 0.
 *   Its column stays: Q_bd = 2/7, Q_ba = 5/7, so D_bd = 2/7 and
 *   O_b = (5/7 * 5/5, 0, 2/7 * 0) = (5/7, 0, 0): b's origin row sums to
 *   5/7, the missing 2/7 came from a company with no recorded source. */
Test(netmath, company_without_inflow_has_zero_shares_and_no_division)
{
    enum { A, B, D, N };
    double F[N * N] = {0};
    F[A * N + B] = 5;
    F[D * N + B] = 2;
    const double z[N] = {5, 0, 0};
    dg_ena e;
    cr_assert_eq(dg_netmath_ena(N, F, z, &e, NULL), DG_OK);
    cr_assert_eq(e.throughflow[D], 0.0);
    for (int j = 0; j < N; j++) {
        cr_assert(isfinite(e.nprime[D * N + j]));
        assert_near(e.nprime[D * N + j], j == D ? 1.0 : 0.0, 1e-15);
        cr_assert_eq(e.origin[D * N + j], 0.0);
        cr_assert_eq(dg_netmath_passthrough(&e, D, (size_t)j), 0.0);
    }
    cr_assert_eq(e.cycling[D], 0.0);
    assert_near(dg_netmath_passthrough(&e, B, D), 2.0 / 7.0, 1e-15);
    assert_near(dg_netmath_passthrough(&e, B, A), 5.0 / 7.0, 1e-15);
    assert_near(e.origin[B * N + A], 5.0 / 7.0, 1e-15);
    cr_assert_eq(e.origin[B * N + D], 0.0);
    dg_netmath_ena_finish(&e);
}

/* Isolated companies: no flows. With no boundary inflow either, T = 0
 * everywhere: N' = I, FCI = 0 (nothing flows, nothing cycles), the average
 * path length TST / sum z = 0/0 is undefined (NaN). With boundary inflow
 * only, T = z, N' = I, O = I (each is its own origin), path length 1. */
Test(netmath, isolated_companies_have_identity_n_and_no_cycling)
{
    const double F[9] = {0};
    const double z0[3] = {0, 0, 0};
    const double z1[3] = {1, 2, 3};
    dg_ena e;
    cr_assert_eq(dg_netmath_ena(3, F, z0, &e, NULL), DG_OK);
    cr_assert_eq(e.tst, 0.0);
    cr_assert_eq(e.fci, 0.0);
    cr_assert(isnan(e.path_length));
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            cr_assert_eq(e.nprime[i * 3 + j], i == j ? 1.0 : 0.0);
            cr_assert_eq(e.origin[i * 3 + j], 0.0);
        }
    dg_netmath_ena_finish(&e);

    cr_assert_eq(dg_netmath_ena(3, F, z1, &e, NULL), DG_OK);
    assert_near(e.tst, 6.0, 1e-15);
    assert_near(e.path_length, 1.0, 1e-15);
    cr_assert_eq(e.fci, 0.0);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            assert_near(e.origin[i * 3 + j], i == j ? 1.0 : 0.0, 1e-15);
    dg_netmath_ena_finish(&e);
}

/* ---- singular systems -------------------------------------------------------- */

/* Seven companies:
 *   0 (z = 5) -> 2: 5; 2 -> 5: 4; 5 -> 2: 4: the loop {2, 5} is fed from
 *     outside it (by 0), so it is fine.
 *   1 -> 3 -> 4 -> 1, 3 each, and 4 -> 0: 1: the loop {1, 3, 4} receives
 *     nothing from outside (sending out does not help): singular.
 *   6 -> 6: 3 with nothing else coming in: a one-company loop, singular.
 * Groups in order of their smallest member: {1, 3, 4} then {6}. */
static void singular_system(double F[49], double z[7])
{
    memset(F, 0, 49 * sizeof(double));
    memset(z, 0, 7 * sizeof(double));
    z[0] = 5;
    F[0 * 7 + 2] = 5;
    F[2 * 7 + 5] = 4;
    F[5 * 7 + 2] = 4;
    F[1 * 7 + 3] = 3;
    F[3 * 7 + 4] = 3;
    F[4 * 7 + 1] = 3;
    F[4 * 7 + 0] = 1;
    F[6 * 7 + 6] = 3;
}

Test(netmath, singular_system_names_the_groups_without_outside_inflow)
{
    double F[49], z[7];
    singular_system(F, z);
    size_t vertex[7], group[7];
    dg_singular why = {vertex, group, 99, 99};
    dg_ena e;
    cr_assert_eq(dg_netmath_ena(7, F, z, &e, &why), DG_EINPUT);
    cr_assert_eq(why.count, 4);
    cr_assert_eq(why.groups, 2);
    const size_t v[4] = {1, 3, 4, 6}, g[4] = {0, 0, 0, 1};
    for (int k = 0; k < 4; k++) {
        cr_assert_eq(vertex[k], v[k]);
        cr_assert_eq(group[k], g[k]);
    }
    /* The result is left empty and finish is a no-op. */
    cr_assert_eq(e.n, 0);
    cr_assert_null(e.nprime);
    dg_netmath_ena_finish(&e);
}

Test(netmath, singular_groups_follow_the_companies_when_reordered)
{
    double F[49], z[7], Fp[49], zp[7];
    singular_system(F, z);
    /* New position k holds old company perm[k]; old 1, 3, 4 are now at
     * 5, 0, 3 and old 6 at 2, so the groups read {0, 3, 5} and {2}. */
    const int perm[7] = {3, 2, 6, 4, 0, 1, 5};
    for (int k = 0; k < 7; k++) {
        zp[k] = z[perm[k]];
        for (int l = 0; l < 7; l++)
            Fp[k * 7 + l] = F[perm[k] * 7 + perm[l]];
    }
    size_t vertex[7], group[7];
    dg_singular why = {vertex, group, 0, 0};
    dg_ena e;
    cr_assert_eq(dg_netmath_ena(7, Fp, zp, &e, &why), DG_EINPUT);
    cr_assert_eq(why.count, 4);
    cr_assert_eq(why.groups, 2);
    const size_t v[4] = {0, 3, 5, 2}, g[4] = {0, 0, 0, 1};
    for (int k = 0; k < 4; k++) {
        cr_assert_eq(vertex[k], v[k]);
        cr_assert_eq(group[k], g[k]);
    }
}

/* REFERENCE-VALUES.md's two companies without the outside inflow: A -> B
 * 15, B -> A 5 and nothing from outside. T_A = 5, T_B = 15, Q_AB = 1,
 * Q_BA = 1: I - Q = [[1, -1], [-1, 1]] is singular. */
Test(netmath, closed_loop_without_outside_inflow_is_singular_and_silent,
     .init = cr_redirect_stderr)
{
    quiet_igraph();
    const double F[4] = {0, 15, 5, 0};
    const double z[2] = {0, 0};
    size_t vertex[2];
    dg_singular why = {vertex, NULL, 0, 0};
    dg_ena e;
    cr_assert_eq(dg_netmath_ena(2, F, z, &e, &why), DG_EINPUT);
    cr_assert_eq(why.count, 2);
    cr_assert_eq(why.groups, 1);
    cr_assert_eq(vertex[0], 0);
    cr_assert_eq(vertex[1], 1);
    /* Without a list to fill it is still an error. */
    cr_assert_eq(dg_netmath_ena(2, F, z, &e, NULL), DG_EINPUT);
    /* Reaching LAPACK with the same matrix is refused too, without igraph
     * printing its "exactly singular" warning. */
    const double M[4] = {1, -1, -1, 1};
    double b[2] = {1, 1};
    cr_assert_eq(dg_netmath_solve(2, M, 1, b), DG_EINPUT);
    fflush(stderr);
    cr_assert_stderr_eq_str("");
}

/* 2x + y = 5, x + 3y = 10: x = (15 - 10) / 5 = 1, y = (20 - 5) / 5 = 3. */
Test(netmath, lu_solve_returns_the_solution_in_row_major_order)
{
    const double A[4] = {2, 1, 1, 3};
    double b[4] = {5, 1, 10, 0}; /* two right-hand sides: (5,10), (1,0) */
    cr_assert_eq(dg_netmath_solve(2, A, 2, b), DG_OK);
    assert_near(b[0], 1.0, 1e-15);
    assert_near(b[2], 3.0, 1e-15);
    /* (1, 0): x = 3/5, y = -1/5. */
    assert_near(b[1], 0.6, 1e-15);
    assert_near(b[3], -0.2, 1e-15);
}

/* ---- invalid input ------------------------------------------------------------ */

Test(netmath, invalid_flows_and_inflows_are_usage_errors)
{
    double F[4] = {0, 1, 1, 0};
    double z[2] = {1, 0};
    dg_ena e;
    F[1] = -1;
    cr_assert_eq(dg_netmath_ena(2, F, z, &e, NULL), DG_EUSAGE);
    F[1] = NAN;
    cr_assert_eq(dg_netmath_ena(2, F, z, &e, NULL), DG_EUSAGE);
    F[1] = INFINITY;
    cr_assert_eq(dg_netmath_ena(2, F, z, &e, NULL), DG_EUSAGE);
    F[1] = 1;
    z[1] = -0.5;
    cr_assert_eq(dg_netmath_ena(2, F, z, &e, NULL), DG_EUSAGE);
    z[1] = NAN;
    cr_assert_eq(dg_netmath_ena(2, F, z, &e, NULL), DG_EUSAGE);
    z[1] = 0;
    cr_assert_eq(dg_netmath_ena(2, NULL, z, &e, NULL), DG_EUSAGE);
    cr_assert_eq(dg_netmath_ena(2, F, NULL, &e, NULL), DG_EUSAGE);
    cr_assert_eq(dg_netmath_ena(2, F, z, NULL, NULL), DG_EUSAGE);
    /* Finite entries whose sum overflows. */
    const double big[4] = {0, 1.5e308, 0, 0};
    const double zbig[2] = {0, 1.5e308};
    cr_assert_eq(dg_netmath_ena(2, big, zbig, &e, NULL), DG_EUSAGE);
    cr_assert_eq(dg_netmath_solve(2, NULL, 1, z), DG_EUSAGE);
}

Test(netmath, empty_system_is_valid_and_empty)
{
    dg_ena e;
    cr_assert_eq(dg_netmath_ena(0, NULL, NULL, &e, NULL), DG_OK);
    cr_assert_eq(e.n, 0);
    cr_assert_eq(e.fci, 0.0);
    cr_assert(isnan(e.path_length));
    dg_netmath_ena_finish(&e);
    dg_netmath_ena_finish(NULL);
}

Test(netmath, passthrough_out_of_range_is_nan)
{
    dg_ena e;
    cone_ena(&e);
    cr_assert(isnan(dg_netmath_passthrough(&e, CONE_N, 0)));
    cr_assert(isnan(dg_netmath_passthrough(&e, 0, CONE_N)));
    cr_assert(isnan(dg_netmath_passthrough(NULL, 0, 0)));
    dg_netmath_ena_finish(&e);
}

/* ---- boundary inflow ---------------------------------------------------------- */

/* a -> b 10, b -> a 4, b -> c 9, c -> c 7 (a self flow). Balancing:
 *   a: out 10, in 4: z = 6;  b: out 13, in 10: z = 3;
 *   c: out 0 (the self flow cancels), in 9: z = max(0, -9) = 0.
 * With a given outside inflow of 20 for b, b takes 20; a NaN means "not
 * given". */
Test(netmath, boundary_inflow_balances_each_company_unless_given)
{
    double F[9] = {0};
    F[0 * 3 + 1] = 10;
    F[1 * 3 + 0] = 4;
    F[1 * 3 + 2] = 9;
    F[2 * 3 + 2] = 7;
    double z[3];
    cr_assert_eq(dg_netmath_boundary_inflow(3, F, NULL, z), DG_OK);
    assert_near(z[0], 6, 1e-15);
    assert_near(z[1], 3, 1e-15);
    assert_near(z[2], 0, 1e-15);
    const double given[3] = {NAN, 20, NAN};
    cr_assert_eq(dg_netmath_boundary_inflow(3, F, given, z), DG_OK);
    assert_near(z[0], 6, 1e-15);
    assert_near(z[1], 20, 1e-15);
    assert_near(z[2], 0, 1e-15);
    const double bad[3] = {NAN, -1, NAN};
    cr_assert_eq(dg_netmath_boundary_inflow(3, F, bad, z), DG_EUSAGE);
}

/* ---- HHI ------------------------------------------------------------------------ */

/* REFERENCE-VALUES.md: the U.S. DOJ example, shares 30, 30, 20, 20 ->
 * HHI 900 + 900 + 400 + 400 = 2600, above 1800: highly concentrated. */
Test(netmath, doj_example_hhi_is_2600_and_highly_concentrated)
{
    const double s[4] = {0.30, 0.30, 0.20, 0.20};
    double hhi = -1;
    cr_assert_eq(dg_netmath_hhi(4, s, &hhi), DG_OK);
    assert_near(hhi, 2600.0, 1e-12);
    cr_assert_eq(dg_netmath_hhi_band(hhi), DG_HHI_HIGH);
    cr_assert_str_eq(dg_netmath_hhi_band_name(DG_HHI_HIGH),
                     "highly concentrated");
}

/* 2023 Merger Guidelines §2.1: "greater than 1,800" is highly concentrated,
 * so exactly 1800 is not; DOJ: "between 1,000 and 1,800" is moderate, both
 * ends included. Shares 0.3, 0.3 give 900 + 900 = 1800; ten shares of 0.1
 * give 10 * 100 = 1000 (neither is exact in binary). */
Test(netmath, hhi_bands_follow_the_2023_guidelines_at_the_boundaries)
{
    const double s2[2] = {0.3, 0.3};
    double s10[10], hhi;
    for (int i = 0; i < 10; i++)
        s10[i] = 0.1;
    cr_assert_eq(dg_netmath_hhi(2, s2, &hhi), DG_OK);
    assert_near(hhi, 1800.0, 1e-12);
    cr_assert_eq(dg_netmath_hhi_band(hhi), DG_HHI_MODERATE);
    cr_assert_eq(dg_netmath_hhi(10, s10, &hhi), DG_OK);
    assert_near(hhi, 1000.0, 1e-12);
    cr_assert_eq(dg_netmath_hhi_band(hhi), DG_HHI_MODERATE);
    cr_assert_eq(dg_netmath_hhi_band(1800.01), DG_HHI_HIGH);
    cr_assert_eq(dg_netmath_hhi_band(999.99), DG_HHI_UNCONCENTRATED);
    cr_assert_eq(dg_netmath_hhi_band(0.0), DG_HHI_UNCONCENTRATED);
    cr_assert_str_eq(dg_netmath_hhi_band_name(DG_HHI_MODERATE),
                     "moderately concentrated");
    cr_assert_str_eq(dg_netmath_hhi_band_name(DG_HHI_UNCONCENTRATED),
                     "unconcentrated");
}

/* One counterparty with all the inflow: 10000. Shares that leave outside
 * inflow out need not sum to 1: 0.5 alone gives 2500 (a lower bound). */
Test(netmath, hhi_of_a_single_counterparty_is_10000)
{
    const double one = 1.0, half = 0.5;
    double hhi;
    cr_assert_eq(dg_netmath_hhi(1, &one, &hhi), DG_OK);
    assert_near(hhi, 10000.0, 1e-12);
    cr_assert_eq(dg_netmath_hhi(1, &half, &hhi), DG_OK);
    assert_near(hhi, 2500.0, 1e-12);
    cr_assert_eq(dg_netmath_hhi(0, NULL, &hhi), DG_OK);
    cr_assert_eq(hhi, 0.0);
}

Test(netmath, hhi_rejects_shares_that_are_not_fractions)
{
    double hhi;
    const double neg[2] = {0.5, -0.1};
    const double pct[1] = {30.0};
    const double over[2] = {0.6, 0.6};
    const double notnum[1] = {NAN};
    cr_assert_eq(dg_netmath_hhi(2, neg, &hhi), DG_EUSAGE);
    cr_assert_eq(dg_netmath_hhi(1, pct, &hhi), DG_EUSAGE);
    cr_assert_eq(dg_netmath_hhi(2, over, &hhi), DG_EUSAGE);
    cr_assert_eq(dg_netmath_hhi(1, notnum, &hhi), DG_EUSAGE);
    cr_assert_eq(dg_netmath_hhi(1, NULL, &hhi), DG_EUSAGE);
    cr_assert_eq(dg_netmath_hhi(1, neg, NULL), DG_EUSAGE);
}
