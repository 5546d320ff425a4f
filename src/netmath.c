/*
 * netmath.c - ecological network analysis and concentration on plain
 * matrices. See netmath.h for the conventions and docs/methods.md for the
 * formulas and their sources.
 */
#include "dealgraph/netmath.h"

#include "igraph_boundary.h"
#include "scc.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers -------------------------------------------------------------- */

/* n*n doubles fit in memory arithmetic and LAPACK's int dimensions. */
static bool square_fits(size_t n)
{
    if (n > (size_t)INT_MAX)
        return false;
    return n == 0 || n <= SIZE_MAX / sizeof(double) / n;
}

static bool all_nonneg_finite(const double *x, size_t count)
{
    for (size_t k = 0; k < count; k++)
        if (!(x[k] >= 0.0) || !isfinite(x[k])) /* also rejects NaN */
            return false;
    return true;
}

/* ---- linear solves -------------------------------------------------------- */

static int solve(size_t n, const double *a, size_t nrhs, double *b);

/* igraph's default error handler aborts the process; every igraph code is
 * checked here, so the library runs igraph with the handler that only
 * returns, whoever calls it, and puts the caller's back. */
int dg_netmath_solve(size_t n, const double *a, size_t nrhs, double *b)
{
    dg_igraph_scope scope;
    dg_igraph_enter(&scope);
    int rc = solve(n, a, nrhs, b);
    dg_igraph_leave(&scope);
    return rc;
}

static int solve(size_t n, const double *a, size_t nrhs, double *b)
{
    if (n == 0 || nrhs == 0)
        return DG_OK;
    if (!a || !b)
        return DG_EUSAGE;
    if (!square_fits(n) || nrhs > (size_t)INT_MAX ||
        nrhs > SIZE_MAX / sizeof(double) / n)
        return DG_ELIMIT;

    igraph_matrix_t m, rhs;
    int rc = DG_OK, info = 0;
    igraph_error_t e;

    if ((e = igraph_matrix_init(&m, (igraph_integer_t)n,
                                (igraph_integer_t)n)) != IGRAPH_SUCCESS)
        return dg_igraph_status(e);
    if ((e = igraph_matrix_init(&rhs, (igraph_integer_t)n,
                                (igraph_integer_t)nrhs)) != IGRAPH_SUCCESS) {
        igraph_matrix_destroy(&m);
        return dg_igraph_status(e);
    }
    /* igraph matrices are column-major: MATRIX(m, i, j) is row i, col j. */
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++)
            MATRIX(m, i, j) = a[i * n + j];
        for (size_t j = 0; j < nrhs; j++)
            MATRIX(rhs, i, j) = b[i * nrhs + j];
    }

    /* igraph turns dgesv's info > 0 (an exactly zero pivot) into a warning
     * and returns success (the scope silences warnings): check info. */
    e = igraph_lapack_dgesv(&m, NULL, &rhs, &info);

    if (e != IGRAPH_SUCCESS) {
        rc = dg_igraph_status(e);
        goto done;
    }
    if (info != 0) {
        rc = info > 0 ? DG_EINPUT : DG_EINTERNAL;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < nrhs; j++) {
            double x = MATRIX(rhs, i, j);
            if (!isfinite(x)) { /* numerically singular */
                rc = DG_EINPUT;
                goto done;
            }
            b[i * nrhs + j] = x;
        }
    }
done:
    igraph_matrix_destroy(&rhs);
    igraph_matrix_destroy(&m);
    return rc;
}

/* ---- singular groups ------------------------------------------------------ */

/*
 * I - Q is singular exactly when Q has spectral radius 1. Q is
 * non-negative with row sums 1 - z_i/T_i <= 1; ordering the strongly
 * connected components of the flow graph topologically makes Q block
 * triangular, so rho(Q) is the largest rho of a diagonal block Q_CC. An
 * irreducible substochastic block has rho = 1 iff every one of its rows sums
 * to 1 within the block (Perron–Frobenius; e.g. Seneta, "Non-negative
 * Matrices and Markov Chains", 2006, ch. 1), i.e. iff no member of C has
 * boundary inflow and none receives flow from outside C. A component
 * without an internal flow (one company, no self flow) has Q_CC = 0.
 *
 * Fills `why` and returns the number of singular groups (>= 0) or a
 * negated DG_E* code.
 */
/* The strong components of the flow graph (i -> j where flow i -> j > 0,
 * i != j): memb[i] = component of i; the count, or a negated DG_E* code. */
static long flow_components(size_t n, const double *flow, uint32_t *memb)
{
    if (n > UINT32_MAX - 1)
        return -DG_ELIMIT;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (i != j && flow[i * n + j] > 0.0)
                m++;
    if (m > UINT32_MAX)
        return -DG_ELIMIT;
    uint32_t *off = malloc((n + 1) * sizeof *off);
    uint32_t *adj = malloc((m ? m : 1) * sizeof *adj);
    if (!off || !adj) {
        free(off);
        free(adj);
        return -DG_ENOMEM;
    }
    uint32_t k = 0;
    for (size_t i = 0; i < n; i++) {
        off[i] = k;
        for (size_t j = 0; j < n; j++)
            if (i != j && flow[i * n + j] > 0.0)
                adj[k++] = (uint32_t)j;
    }
    off[n] = k;
    uint32_t ncomp = 0;
    int rc = dg_scc((uint32_t)n, off, adj, memb, &ncomp);
    free(off);
    free(adj);
    return rc == DG_OK ? (long)ncomp : -rc;
}

static long singular_groups(size_t n, const double *flow,
                            const double *inflow, dg_singular *why)
{
    long rc = 0;
    bool *outside = NULL, *internal = NULL, *emitted = NULL;
    uint32_t *memb = malloc((n ? n : 1) * sizeof *memb);
    if (!memb)
        return -DG_ENOMEM;
    long ncomp = flow_components(n, flow, memb);
    if (ncomp < 0) {
        rc = ncomp;
        goto done;
    }

    size_t nc = (size_t)ncomp;
    outside = calloc(nc ? nc : 1, sizeof *outside);
    internal = calloc(nc ? nc : 1, sizeof *internal);
    emitted = calloc(nc ? nc : 1, sizeof *emitted);
    if (!outside || !internal || !emitted) {
        rc = -DG_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        size_t ci = (size_t)memb[i];
        if (inflow[i] > 0.0)
            outside[ci] = true;
        for (size_t j = 0; j < n; j++) {
            if (!(flow[j * n + i] > 0.0))
                continue;
            if ((size_t)memb[j] == ci)
                internal[ci] = true; /* includes a self flow (j == i) */
            else
                outside[ci] = true;
        }
    }

    size_t groups = 0, count = 0;
    for (size_t i = 0; i < n; i++) {
        size_t ci = (size_t)memb[i];
        if (!internal[ci] || outside[ci] || emitted[ci])
            continue;
        emitted[ci] = true; /* first seen at its smallest member */
        for (size_t v = i; v < n; v++) {
            if ((size_t)memb[v] != ci)
                continue;
            if (why && why->vertex)
                why->vertex[count] = v;
            if (why && why->group)
                why->group[count] = groups;
            count++;
        }
        groups++;
    }
    if (why) {
        why->count = count;
        why->groups = groups;
    }
    rc = (long)groups;
done:
    free(outside);
    free(internal);
    free(emitted);
    free(memb);
    return rc;
}

/* ---- ENA ------------------------------------------------------------------ */

void dg_netmath_ena_finish(dg_ena *e)
{
    if (!e)
        return;
    free(e->throughflow);
    free(e->nprime);
    free(e->origin);
    free(e->cycling);
    memset(e, 0, sizeof *e);
}

int dg_netmath_ena(size_t n, const double *flow, const double *inflow,
                   dg_ena *out, dg_singular *why)
{
    if (why) {
        why->count = 0;
        why->groups = 0;
    }
    if (!out)
        return DG_EUSAGE;
    memset(out, 0, sizeof *out);
    out->path_length = NAN;
    if (n == 0)
        return DG_OK;
    if (!flow || !inflow)
        return DG_EUSAGE;
    if (!square_fits(n))
        return DG_ELIMIT;
    if (!all_nonneg_finite(flow, n * n) || !all_nonneg_finite(inflow, n))
        return DG_EUSAGE;

    int rc = DG_OK;
    double *m = NULL;
    out->n = n;
    out->throughflow = malloc(n * sizeof(double));
    out->cycling = malloc(n * sizeof(double));
    out->nprime = malloc(n * n * sizeof(double));
    out->origin = malloc(n * n * sizeof(double));
    m = malloc(n * n * sizeof(double));
    if (!out->throughflow || !out->cycling || !out->nprime || !out->origin ||
        !m) {
        rc = DG_ENOMEM;
        goto fail;
    }

    /* T_i = sum_j F_ji + z_i: throughflow measured on the inflow side. */
    double *T = out->throughflow;
    for (size_t i = 0; i < n; i++) {
        double t = inflow[i];
        for (size_t j = 0; j < n; j++)
            t += flow[j * n + i];
        if (!isfinite(t)) { /* finite inputs whose sum overflows */
            rc = DG_EUSAGE;
            goto fail;
        }
        T[i] = t;
        out->tst += t;
        out->boundary += inflow[i];
    }
    if (!isfinite(out->tst)) {
        rc = DG_EUSAGE;
        goto fail;
    }

    /* Refuse a singular system before LAPACK sees it, naming the groups. */
    long groups = singular_groups(n, flow, inflow, why);
    if (groups < 0) {
        rc = (int)-groups;
        goto fail;
    }
    if (groups > 0) {
        rc = DG_EINPUT;
        goto fail;
    }

    /* M = I - Q with Q_ij = F_ji / T_i (0 for a company without inflow);
     * solve M N' = I. */
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            double q = T[i] > 0.0 ? flow[j * n + i] / T[i] : 0.0;
            m[i * n + j] = (i == j ? 1.0 : 0.0) - q;
            out->nprime[i * n + j] = i == j ? 1.0 : 0.0;
        }
    }
    rc = dg_netmath_solve(n, m, n, out->nprime);
    if (rc != DG_OK)
        goto fail;

    double cycled = 0.0;
    for (size_t k = 0; k < n; k++) {
        double nkk = out->nprime[k * n + k];
        /* N'_kk = 1 + (returns to k) >= 1 in exact arithmetic; clamp the
         * rounding below 1 so that the share is never negative. */
        double c = nkk > 1.0 ? (nkk - 1.0) / nkk : 0.0;
        out->cycling[k] = T[k] > 0.0 ? c : 0.0;
        /* Finn (1976): cycled throughflow of k is (1 - 1/N'_kk) T_k. */
        cycled += out->cycling[k] * T[k];
    }
    out->fci = out->tst > 0.0 ? cycled / out->tst : 0.0;
    out->path_length = out->boundary > 0.0 ? out->tst / out->boundary : NAN;

    /* O = N' diag(z/T): O_ij = share of i's throughflow that entered the
     * network at j. */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            out->origin[i * n + j] =
                T[j] > 0.0 ? out->nprime[i * n + j] * (inflow[j] / T[j])
                           : 0.0;

    free(m);
    return DG_OK;

fail:
    free(m);
    dg_netmath_ena_finish(out);
    out->path_length = NAN;
    return rc;
}

double dg_netmath_passthrough(const dg_ena *e, size_t x, size_t f)
{
    if (!e || x >= e->n || f >= e->n)
        return NAN;
    if (!(e->throughflow[x] > 0.0))
        return 0.0;
    if (x == f)
        return 1.0;
    /* N'_ff >= 1, so the division is safe. */
    return e->nprime[x * e->n + f] / e->nprime[f * e->n + f];
}

int dg_netmath_boundary_inflow(size_t n, const double *flow,
                               const double *given, double *z)
{
    if (n == 0)
        return DG_OK;
    if (!flow || !z)
        return DG_EUSAGE;
    if (!square_fits(n))
        return DG_ELIMIT;
    if (!all_nonneg_finite(flow, n * n))
        return DG_EUSAGE;
    for (size_t i = 0; i < n; i++) {
        if (given && !isnan(given[i])) {
            if (!(given[i] >= 0.0) || !isfinite(given[i]))
                return DG_EUSAGE;
            z[i] = given[i];
            continue;
        }
        double out_i = 0.0, in_i = 0.0;
        for (size_t j = 0; j < n; j++) {
            if (j == i)
                continue; /* a self flow is both in and out */
            out_i += flow[i * n + j];
            in_i += flow[j * n + i];
        }
        z[i] = out_i > in_i ? out_i - in_i : 0.0;
    }
    return DG_OK;
}

/* ---- concentration -------------------------------------------------------- */

int dg_netmath_hhi(size_t n, const double *shares, double *hhi)
{
    if (!hhi || (n > 0 && !shares))
        return DG_EUSAGE;
    double sum = 0.0, sq = 0.0;
    for (size_t i = 0; i < n; i++) {
        double s = shares[i];
        if (!(s >= 0.0) || !(s <= 1.0 + 1e-9))
            return DG_EUSAGE;
        sum += s;
        sq += s * s;
    }
    if (sum > 1.0 + 1e-9)
        return DG_EUSAGE;
    *hhi = 10000.0 * sq;
    return DG_OK;
}

dg_hhi_band dg_netmath_hhi_band(double hhi)
{
    if (hhi > 1800.0 + DG_HHI_EPS)
        return DG_HHI_HIGH;
    if (hhi >= 1000.0 - DG_HHI_EPS)
        return DG_HHI_MODERATE;
    return DG_HHI_UNCONCENTRATED;
}

const char *dg_netmath_hhi_band_name(dg_hhi_band band)
{
    switch (band) {
    case DG_HHI_HIGH:
        return "highly concentrated";
    case DG_HHI_MODERATE:
        return "moderately concentrated";
    case DG_HHI_UNCONCENTRATED:
        return "unconcentrated";
    }
    return "unconcentrated";
}

/* ---- building matrices ------------------------------------------------------ */

static int by_entry(const void *a, const void *b)
{
    const dg_entry *x = a, *y = b;
    if (x->i != y->i)
        return x->i < y->i ? -1 : 1;
    if (x->j != y->j)
        return x->j < y->j ? -1 : 1;
    return (x->v > y->v) - (x->v < y->v);
}

int dg_netmath_sum_entries(dg_entry *e, size_t m, size_t n, double *matrix)
{
    if (m > 1)
        qsort(e, m, sizeof *e, by_entry);
    for (size_t k = 0; k < m; k++) {
        double *a = &matrix[e[k].i * n + e[k].j];
        *a += e[k].v;
        if (!isfinite(*a))
            return DG_ELIMIT;
    }
    return DG_OK;
}
