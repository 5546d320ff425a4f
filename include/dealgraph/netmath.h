/*
 * netmath.h - the numerical core of exposure: ecological network analysis
 * (ENA) of a money-flow matrix, and concentration (HHI).
 *
 * Everything here works on plain matrices; it knows nothing of ledgers.
 * The exposure module maps a ledger to (flow, inflow) and reads the results
 * (see docs/methods.md for the ledger-level definitions).
 *
 * Conventions
 *  - n companies, numbered 0..n-1. Matrices are n*n arrays of double in
 *    ROW-MAJOR order: m[i*n + j] is row i, column j.
 *  - flow[i*n + j] = F_ij = value moving from i to j (>= 0).
 *  - Results are equivariant under a renumbering of the companies: permute
 *    the input and the output is permuted the same way (up to rounding of
 *    the LU factorisation, ~1e-15 relative).
 *  - Functions return DG_OK or a DG_E* code from dealgraph.h and never
 *    print. igraph's warning handler is switched off during LAPACK calls
 *    and restored (LAPACK's "exactly singular" is a warning in igraph).
 *    The caller must have installed a non-aborting igraph *error* handler
 *    for an igraph failure (only out-of-memory is expected) to come back as
 *    DG_ENOMEM / DG_EINTERNAL rather than abort().
 */
#ifndef DG_NETMATH_H
#define DG_NETMATH_H

#include "dealgraph/dealgraph.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- ecological network analysis ---------------------------------------- */

/*
 * The inflow-oriented (input) analysis of Fath & Patten (1999), Patten's
 * "environs", as implemented by enaR's enaFlow() (its `GP`/`NP`, here
 * transposed so that rows are the receiving company):
 *
 *   T_i   = sum_j F_ji + z_i                 throughflow, inflow-based
 *   Q_ij  = F_ji / T_i                       share of i's inflow that came
 *                                            directly from j
 *   N'    = (I - Q)^-1 = I + Q + Q^2 + ...   N'_ij = share of i's throughflow
 *                                            that came from j over paths of
 *                                            any length (counting repeat
 *                                            visits)
 *
 * With this orientation each row i is "where i's money came from": the
 * pass-through share of X on F is D_XF = N'_XF / N'_FF (the probability
 * that a unit reaching X passed through F at least once), and the origin
 * shares O = N' diag(z/T) sum to 1 along each row (because (I - Q) 1 = z/T).
 *
 * A company with T_i = 0 (no inflow at all, no boundary inflow) has a zero
 * row in Q (it receives nothing, so it has no inflow to share): N' row i is
 * the unit row e_i, its cycling share is 0, its origin row is all zero,
 * and dg_netmath_passthrough(e, i, f) is 0 for every f. Its *column* is
 * kept: if it sends money (outflow without inflow: an unbalanced input),
 * receivers' inflow from it is real but originated nowhere, and their
 * origin rows sum to less than 1 by that share. The ledger path never
 * produces this (boundary inflow balances every company).
 *
 * Self flows F_ii are allowed (a cycle of length one).
 */
typedef struct dg_ena {
    size_t n;
    double *throughflow; /* T, n entries */
    double *nprime;      /* N' = (I - Q)^-1, n*n row-major */
    double *origin;      /* O = N' diag(z/T), n*n row-major (z/T := 0 where
                            T = 0) */
    double *cycling;     /* (N'_kk - 1) / N'_kk: share of k's throughflow
                            that comes back to k (n entries; 0 when T_k = 0) */
    double tst;          /* total system throughflow, sum_i T_i */
    double boundary;     /* total boundary inflow, sum_i z_i */
    double fci;          /* Finn's cycling index (Finn 1976):
                            sum_i (1 - 1/N'_ii) T_i / TST; 0 when TST = 0 */
    double path_length;  /* average path length TST / sum z (Finn 1976);
                            NaN when sum z = 0 */
} dg_ena;

/*
 * Why a system is singular: the caller's arrays, filled by dg_netmath_ena
 * when it returns DG_EINPUT. A group is a strongly connected set of
 * companies that pass money round among themselves while none of them
 * receives anything from outside the group (no boundary inflow and no flow
 * from a company outside it): every unit of their throughflow is recycled
 * forever, N' has no finite value. Groups come in the order of their
 * smallest member; members of a group in ascending order.
 */
typedef struct dg_singular {
    size_t *vertex; /* caller's array of n entries, or NULL */
    size_t *group;  /* caller's array of n entries, or NULL: the group
                       number (0, 1, ...) of vertex[k] */
    size_t count;   /* out: entries filled (companies in singular groups) */
    size_t groups;  /* out: number of groups */
} dg_singular;

/*
 * Computes the ENA of n companies with flow matrix `flow` (n*n row-major,
 * F_ij >= 0, finite) and boundary inflow `inflow` (n entries, z_i >= 0,
 * finite). On DG_OK, `out` holds the results; its arrays are owned by it
 * until dg_netmath_ena_finish(out). `out` is overwritten (not freed) on
 * entry; after a failure it is left empty (finish is then a no-op).
 * `why` may be NULL; its count and groups are always set.
 *
 * Returns DG_OK; DG_EINPUT when I - Q is singular: the groups with no
 * outside inflow are listed in `why` (why->count > 0), or, for a system
 * that is only numerically singular (LAPACK's pivot is exactly zero or the
 * result is not finite), why->count == 0; DG_EUSAGE for a negative, NaN
 * or infinite entry or a NULL pointer with n > 0; DG_ELIMIT when n is too
 * large for LAPACK (n*n overflows or n > INT_MAX); DG_ENOMEM;
 * DG_EINTERNAL when igraph fails otherwise. n == 0 is valid: an empty
 * result with fci 0 and path_length NaN.
 */
int dg_netmath_ena(size_t n, const double *flow, const double *inflow,
                   dg_ena *out, dg_singular *why);

/* Frees the arrays of `e` and zeroes it. NULL and a zeroed struct are
 * no-ops. */
void dg_netmath_ena_finish(dg_ena *e);

/*
 * Pass-through share (total dependency coefficient, Szyrmer & Ulanowicz
 * 1987; enaR's dependency analysis) of x on f: the share of x's inflow that
 * passed through f on its way to x, D_xf = N'_xf / N'_ff. 1 when x == f and
 * T_x > 0; 0 when T_x = 0 (x receives nothing). Indexes must be < e->n
 * (NaN otherwise).
 */
double dg_netmath_passthrough(const dg_ena *e, size_t x, size_t f);

/*
 * Boundary inflow that balances each company (PRODUCT.md §4): for each i,
 * z_i = given[i] when `given` is not NULL and given[i] is not NaN, else
 * max(0, outflow_i - inflow_i) over the flow matrix (self flows cancel).
 * `z` is the caller's array of n entries. Returns DG_OK, or DG_EUSAGE for
 * NULL arrays with n > 0 or a negative/non-finite flow or given value.
 */
int dg_netmath_boundary_inflow(size_t n, const double *flow,
                               const double *given, double *z);

/* ---- linear solves ------------------------------------------------------- */

/*
 * Solves A X = B by LU with partial pivoting (igraph_lapack_dgesv, i.e.
 * LAPACK dgesv). `a` is n*n row-major and is not modified; `b` is n*nrhs
 * row-major and is overwritten with X. Returns DG_OK; DG_EINPUT when A is
 * singular (dgesv's info > 0, which igraph reports as success) or X is not
 * finite; DG_EUSAGE for NULL arrays; DG_ELIMIT when a size exceeds
 * LAPACK's int; DG_ENOMEM; DG_EINTERNAL. Shared with stress.c.
 */
int dg_netmath_solve(size_t n, const double *a, size_t nrhs, double *b);

/* ---- concentration -------------------------------------------------------- */

/*
 * Herfindahl–Hirschman index on the 0–10000 scale: 10000 * sum_i s_i^2,
 * with shares s_i as fractions (0.3 for 30%). The shares need not sum to
 * 1 (inflow HHI takes counterparty shares of total throughflow, leaving the
 * outside inflow out, so it is a lower bound), but each must lie in [0, 1]
 * and their sum may not exceed 1 (a tolerance of 1e-9 allows rounding).
 * Returns DG_OK and sets *hhi, or DG_EUSAGE (a bad share, or NULL with
 * n > 0). n == 0 gives 0.
 */
int dg_netmath_hhi(size_t n, const double *shares, double *hhi);

/*
 * Concentration bands of the 2023 U.S. Merger Guidelines (U.S. DOJ & FTC,
 * 18 Dec 2023, §2.1 Guideline 1: "Markets with an HHI greater than 1,800
 * are highly concentrated"), as the DOJ Antitrust Division's HHI page
 * (justice.gov/atr/herfindahl-hirschman-index, citing Merger Guidelines
 * §2.1 (2023)) states them: "between 1,000 and 1,800 points ... moderately
 * concentrated", "in excess of 1,800 points ... highly concentrated".
 *   HIGH      HHI > 1800            (1800 itself is moderate)
 *   MODERATE  1000 <= HHI <= 1800   (both ends included)
 *   UNCONCENTRATED  HHI < 1000
 */
typedef enum {
    DG_HHI_UNCONCENTRATED = 0,
    DG_HHI_MODERATE = 1,
    DG_HHI_HIGH = 2,
} dg_hhi_band;

/* Boundaries are compared with a tolerance of DG_HHI_EPS points, so that
 * an HHI that is exactly 1000 or 1800 in decimal (shares 0.3 and 0.3 give
 * 1800) falls in the band the Guidelines give it despite binary rounding.
 * NaN gives DG_HHI_UNCONCENTRATED. */
#define DG_HHI_EPS 1e-6
dg_hhi_band dg_netmath_hhi_band(double hhi);
/* "unconcentrated", "moderately concentrated", "highly concentrated".
 * Static storage. */
const char *dg_netmath_hhi_band_name(dg_hhi_band band);

/* ---- building matrices ------------------------------------------------------ */

/* One contribution to entry (i, j) of an n*n matrix. */
typedef struct dg_entry {
    size_t i, j;
    double v;
} dg_entry;

/* Adds the m entries into the row-major n*n `matrix` (which the caller
 * zeroed), each entry's values smallest first and entries in (i, j) order,
 * so that the sums do not depend on the order the entries came in (the
 * order of the legs in a file). Sorts `e` in place. Returns DG_OK, or
 * DG_ELIMIT when a sum overflows (absurd amounts). */
int dg_netmath_sum_entries(dg_entry *e, size_t m, size_t n, double *matrix);

#endif /* DG_NETMATH_H */
