/*
 * stress.h - shock propagation on plain matrices: DebtRank in its two
 * published forms, and Eisenberg–Noe clearing.
 *
 * Everything here works on plain matrices; the stress module of the CLI
 * maps a ledger to them (docs/methods.md, "Ledger mapping").
 *
 * Conventions
 *  - n companies, numbered 0..n-1; matrices are n*n arrays of double in
 *    ROW-MAJOR order (m[i*n + j] is row i, column j).
 *  - Diagonal entries (a company's exposure to or debt to itself) are
 *    ignored.
 *  - Results are equivariant under a renumbering of the companies.
 *  - Functions return DG_OK or a DG_E* code (dealgraph.h) and never print.
 *  - Result structs own their arrays until the matching _finish call. The
 *    compute functions overwrite (never free) the struct on entry and leave
 *    it empty on failure, so _finish is always safe to call.
 */
#ifndef DG_STRESS_H
#define DG_STRESS_H

#include "dealgraph/dealgraph.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- DebtRank --------------------------------------------------------------- */

typedef enum {
    /*
     * Bardoscia, Battiston, Caccioli & Caldarelli (2015), "DebtRank: A
     * microscopic foundation for shock propagation", PLoS ONE 10(6):
     * e0130406:
     *   h(t+1) = min(1, h(t) + Lambda (h(t) - h(t-1))),  h(0) = 0,
     *   Lambda_ij = A_ij / E_i  (not capped),
     * iterated until max_i (h_i(t+1) - h_i(t)) <= DG_DEBTRANK_TOL. Every
     * increment of distress propagates, including increments that come back
     * round a loop; while no company saturates at 1 the fixed point is the
     * closed form (I - Lambda)^-1 h(1).
     */
    DG_DEBTRANK_BARDOSCIA = 0,
    /*
     * Battiston, Puliga, Kaushik, Tasca & Caldarelli (2012), "DebtRank:
     * Too central to fail? Financial networks, the FED and systemic risk",
     * Sci. Rep. 2:541: W_ij = min(1, A_ij / E_i); states undistressed /
     * distressed / inactive; each round every company is updated
     *   h_i(t) = min(1, h_i(t-1) + sum_{j distressed at t-1} W_ij h_j(t-1))
     * then distressed -> inactive and undistressed with h > 0 ->
     * distressed. A company propagates once (at most n + 1 rounds), so
     * distress that comes back round a loop is not passed on again: it
     * undercounts circular exposure by design. This is the form of R's
     * NetworkRiskMeasures::debt_rank_shock().
     */
    DG_DEBTRANK_BATTISTON = 1,
} dg_debtrank_form;

/* Bardoscia stopping rule: the largest one-round increase of any h_i is at
 * most this (h is a fraction of equity, so this is also relative). The
 * remaining error is at most TOL * rho / (1 - rho), rho the spectral radius
 * of Lambda on the companies not yet at h = 1. */
#define DG_DEBTRANK_TOL 1e-12
/* Bardoscia: give up after this many rounds (DG_ELIMIT; h is then a lower
 * bound: the dynamics is monotone). Reached only when rho is within about
 * 3e-4 of 1 on the unsaturated companies. */
#define DG_DEBTRANK_MAX_ROUNDS 100000
/* h_i within this of 1 is set to 1 (a default), so that rounding never
 * leaves a company at 0.9999999999999999 "alive". */
#define DG_DEBTRANK_SNAP 1e-12

typedef struct dg_debtrank {
    size_t n;
    double *h;        /* final relative equity loss h_i(T), in [0, 1] */
    double *loss;     /* h_i(T) * E_i; NaN for an excluded company */
    bool *defaulted;  /* h_i(T) >= 1 */
    size_t defaults;  /* companies with h_i(T) >= 1 (shocked ones included) */
    size_t further_defaults; /* h_i(T) >= 1 but h_i(1) < 1: defaults the
                                propagation caused, as NetworkRiskMeasures
                                counts "additional defaults" */
    double R;         /* DebtRank R = sum_i v_i (h_i(T) - h_i(1)) */
    double total_loss;   /* sum over included i of h_i(T) E_i */
    double induced_loss; /* sum over included i of (h_i(T) - h_i(1)) E_i */
    size_t rounds;       /* propagation rounds run */
} dg_debtrank;

/*
 * Runs DebtRank.
 *  exposure  n*n row-major, A_ij >= 0: what i loses if j fails (i's claims
 *            on j). Finite.
 *  equity    n entries, E_i: loss-absorbing capital. Must be finite and > 0
 *            for every included company.
 *  included  n entries or NULL (= all). An excluded company (no equity
 *            known, or E <= 0) takes no losses: its h stays at its shock
 *            h_i(1) throughout, its loss is NaN and its weight 0; its shock
 *            still propagates to the others (so an unquantified focus can
 *            be shocked). Its exposure row and equity are not read.
 *  shock     n entries, h_i(1) in [0, 1].
 *  weight    n entries >= 0, or NULL (= equal). Normalised by the function
 *            to sum 1 over the included companies; the included sum must
 *            be > 0.
 * Returns DG_OK; DG_EUSAGE for a bad argument (NULL, NaN, negative, shock
 * outside [0, 1], E <= 0 on an included company, all weights 0, no
 * company included, an unknown form); DG_ELIMIT when Bardoscia reached
 * DG_DEBTRANK_MAX_ROUNDS (results are filled and are lower bounds);
 * DG_ENOMEM.
 */
int dg_stress_debtrank(dg_debtrank_form form, size_t n, const double *exposure,
                       const double *equity, const bool *included,
                       const double *shock, const double *weight,
                       dg_debtrank *out);

/*
 * Non-linear DebtRank: Bardoscia, Caccioli, Perotti, Vivaldo & Caldarelli
 * (2016), "Distress propagation in complex networks: the case of
 * non-linear DebtRank", PLoS ONE 11(10): e0163825. A company at relative
 * equity loss h passes on the distress
 *   p(h) = h exp(alpha (h - 1))
 * and
 *   h(t+1) = min(1, h(t) + Lambda (p(h(t)) - p(h(t-1)))),  h(0) = 0,
 * with Lambda_ij = A_ij / E_i as in Bardoscia 2015 and the same stopping
 * rule. alpha = 0 is dg_stress_debtrank(DG_DEBTRANK_BARDOSCIA, ...) bit
 * for bit; as alpha grows p(h) -> 0 for h < 1 and p(1) = 1, so only
 * defaults pass on losses: a default cascade (Furfine 2003). alpha must be
 * finite and >= 0 (DG_EUSAGE otherwise); the rest as dg_stress_debtrank.
 */
int dg_stress_debtrank_nonlinear(size_t n, const double *exposure,
                                 const double *equity, const bool *included,
                                 const double *shock, const double *weight,
                                 double alpha, dg_debtrank *out);

/* Frees the arrays and zeroes the struct; NULL or zeroed: no-op. */
void dg_stress_debtrank_finish(dg_debtrank *r);

/* "bardoscia" / "battiston"; static storage. */
const char *dg_stress_debtrank_form_name(dg_debtrank_form form);

/* ---- Eisenberg–Noe clearing ------------------------------------------------- */

/*
 * Eisenberg & Noe (2001), "Systemic risk in financial systems", Management
 * Science 47(2):236–249. Each company i owes L_ij to company j and l_i to
 * creditors outside the network, all of equal priority (paid pari passu):
 *   total obligation   pbar_i = sum_j L_ij + l_i
 *   relative liability Pi_ij  = L_ij / pbar_i   (0 when pbar_i = 0)
 * A clearing vector satisfies p_i = min(pbar_i, e_i + sum_j Pi_ji p_j).
 * The greatest one is found by the fictitious default algorithm (EN §3):
 * start with everyone paying in full; each round, the companies whose
 * assets e_i + sum_j Pi_ji p_j fall short of pbar_i join the default set
 * D, and p_D is solved exactly from
 *   (I - Pi_DD^T) p_D = e_D + Pi_{N,D}^T pbar_N   (N: not in D)
 * by LU; stop when D does not grow (at most n rounds). A company with
 * pbar_i = 0 pays nothing and cannot default.
 *
 * A company counts as short when e_i + sum_j Pi_ji p_j < pbar_i by more
 * than 1e-12 of (its assets + pbar_i): an exact tie (assets equal to
 * obligations) is not a default, whatever the binary rounding.
 */
typedef struct dg_clearing {
    size_t n;
    double *payment;    /* p*_i: what i pays in total, in [0, pbar_i] */
    double *obligation; /* pbar_i */
    double *equity;     /* e_i + sum_j Pi_ji p*_j - pbar_i: net worth after
                           clearing, negative for a defaulter (assets left
                           minus everything owed) */
    bool *defaulted;    /* p*_i < pbar_i */
    size_t defaults;
    size_t rounds;      /* default sets solved: 0 when nobody defaults */
} dg_clearing;

/*
 * liability          n*n row-major, L_ij >= 0 (what i owes j)
 * outside_assets     n entries, e_i >= 0
 * outside_liability  n entries, l_i >= 0, or NULL (= 0)
 * Returns DG_OK; DG_EUSAGE for a NULL array with n > 0 or a negative or
 * non-finite entry; DG_ELIMIT for n too large for LAPACK; DG_ENOMEM;
 * DG_EINTERNAL when a default set's system is singular (impossible in exact
 * arithmetic: a group that owes only within itself cannot be wholly in
 * default at the greatest clearing vector, see docs/methods.md; reported
 * rather than guessed).
 */
int dg_stress_clearing(size_t n, const double *liability,
                       const double *outside_assets,
                       const double *outside_liability, dg_clearing *out);

/*
 * Clearing with bankruptcy costs: Rogers & Veraart (2013), "Failure and
 * rescue in an interbank network", Management Science 59(4):882-898. A
 * solvent company (e_i + sum_j Pi_ji p_j >= pbar_i) pays pbar_i; a company
 * in default pays
 *   p_i = alpha e_i + beta sum_j Pi_ji p_j
 * (alpha of its outside assets and beta of what it receives are realised
 * in bankruptcy; the rest is lost). The greatest clearing vector is found
 * by their greatest clearing vector algorithm: the fictitious default
 * algorithm above with the default set's payments solved from
 *   (I - beta Pi_DD^T) p_D = alpha e_D + beta Pi_{N,D}^T pbar_N.
 * alpha = beta = 1 is dg_stress_clearing, bit for bit. alpha and beta in
 * (0, 1], else DG_EUSAGE; the rest as dg_stress_clearing. `equity` is
 * still e_i + sum_j Pi_ji p*_j - pbar_i (before the costs).
 */
int dg_stress_clearing_rv(size_t n, const double *liability,
                          const double *outside_assets,
                          const double *outside_liability, double alpha,
                          double beta, dg_clearing *out);

/* Frees the arrays and zeroes the struct; NULL or zeroed: no-op. */
void dg_stress_clearing_finish(dg_clearing *c);

#endif /* DG_STRESS_H */
