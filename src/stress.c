/*
 * stress.c - DebtRank (Battiston et al. 2012; Bardoscia et al. 2015) and
 * Eisenberg–Noe clearing by the fictitious default algorithm. See stress.h
 * for the conventions and docs/methods.md for the formulas and sources.
 */
#include "dealgraph/stress.h"

#include "dealgraph/netmath.h" /* dg_netmath_solve: LU through igraph's LAPACK */

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool square_fits(size_t n)
{
    if (n > (size_t)INT_MAX)
        return false;
    return n == 0 || n <= SIZE_MAX / sizeof(double) / n;
}

static bool nonneg_finite(double x)
{
    return x >= 0.0 && isfinite(x); /* false for NaN */
}

/* ---- DebtRank ------------------------------------------------------------- */

/* The propagation matrix by column: the companies hit when j is distressed.
 * Column j holds (row[k], val[k]) for k in off[j] .. off[j+1]-1. */
typedef struct sparse_cols {
    size_t *off;
    size_t *row;
    double *val;
} sparse_cols;

static void sparse_free(sparse_cols *s)
{
    free(s->off);
    free(s->row);
    free(s->val);
    memset(s, 0, sizeof *s); /* safe to free twice */
}

/* Lambda_ij = A_ij / E_i (Bardoscia) or W_ij = min(1, A_ij / E_i)
 * (Battiston), for included i and j != i with A_ij > 0. */
static int sparse_build(size_t n, const double *A, const double *E,
                        const bool *inc, bool cap, sparse_cols *s)
{
    size_t nnz = 0;
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < n; i++)
        if (inc[i])
            for (size_t j = 0; j < n; j++)
                if (j != i && A[i * n + j] > 0.0)
                    nnz++;
    s->off = calloc(n + 1, sizeof *s->off);
    s->row = malloc((nnz ? nnz : 1) * sizeof *s->row);
    s->val = malloc((nnz ? nnz : 1) * sizeof *s->val);
    if (!s->off || !s->row || !s->val) {
        sparse_free(s);
        return DG_ENOMEM;
    }
    size_t k = 0;
    for (size_t j = 0; j < n; j++) {
        s->off[j] = k;
        for (size_t i = 0; i < n; i++) {
            if (!inc[i] || i == j || !(A[i * n + j] > 0.0))
                continue;
            /* May be +inf for a tiny E; it is only ever multiplied by a
             * positive increment and capped at 1, never by 0. */
            double v = A[i * n + j] / E[i];
            s->row[k] = i;
            s->val[k] = cap && v > 1.0 ? 1.0 : v;
            k++;
        }
    }
    s->off[n] = k;
    return DG_OK;
}

/* min(1, x), with values within DG_DEBTRANK_SNAP of 1 set to 1. */
static double cap1(double x)
{
    return x >= 1.0 - DG_DEBTRANK_SNAP ? 1.0 : x;
}

void dg_stress_debtrank_finish(dg_debtrank *r)
{
    if (!r)
        return;
    free(r->h);
    free(r->loss);
    free(r->defaulted);
    memset(r, 0, sizeof *r);
}

const char *dg_stress_debtrank_form_name(dg_debtrank_form form)
{
    return form == DG_DEBTRANK_BATTISTON ? "battiston" : "bardoscia";
}

/* The propagated distress of a company at relative equity loss h:
 * Bardoscia et al. 2016, p(h) = h exp(alpha (h - 1)). alpha = 0 is h
 * itself (linear DebtRank, bit for bit); p(1) = 1 for every alpha, and
 * as alpha grows p(h) -> 0 for every h < 1: only a default passes on. */
static double distress(double h, double alpha)
{
    return alpha == 0.0 ? h : h * exp(alpha * (h - 1.0));
}

/* Bardoscia et al. 2015 (alpha = 0) and its non-linear form (2016):
 *   h(t+1) = min(1, h(t) + Lambda (p(h(t)) - p(h(t-1)))),
 * propagating every increment of p until the increments of h vanish.
 * h holds h(1) on entry and h(T) on return. */
static int run_bardoscia(size_t n, const sparse_cols *L, const bool *inc,
                         double alpha, double *h, double *delta, double *acc,
                         size_t *rounds)
{
    /* h(0) = 0 and p(0) = 0, so the first increment is p(h(1)). */
    for (size_t j = 0; j < n; j++)
        delta[j] = distress(h[j], alpha);
    for (;;) {
        bool moving = false;
        for (size_t j = 0; j < n && !moving; j++)
            moving = delta[j] > 0.0;
        if (!moving)
            return DG_OK; /* an exact fixed point */
        if (*rounds >= DG_DEBTRANK_MAX_ROUNDS)
            return DG_ELIMIT;

        memset(acc, 0, n * sizeof *acc);
        for (size_t j = 0; j < n; j++) {
            if (!(delta[j] > 0.0))
                continue;
            for (size_t k = L->off[j]; k < L->off[j + 1]; k++)
                acc[L->row[k]] += L->val[k] * delta[j];
        }
        double maxd = 0.0;
        for (size_t i = 0; i < n; i++) {
            if (!inc[i] || !(acc[i] > 0.0)) {
                delta[i] = 0.0; /* excluded companies keep h(1) */
                continue;
            }
            double nh = cap1(h[i] + acc[i]);
            /* the capped increment propagates next, through p */
            delta[i] = alpha == 0.0
                           ? nh - h[i]
                           : distress(nh, alpha) - distress(h[i], alpha);
            if (nh - h[i] > maxd)
                maxd = nh - h[i];
            h[i] = nh;
        }
        (*rounds)++;
        if (maxd <= DG_DEBTRANK_TOL)
            return DG_OK;
    }
}

enum { UNDISTRESSED = 0, DISTRESSED = 1, INACTIVE = 2 };

/* Battiston et al. 2012: each company passes on its distress once, in the
 * round after it becomes distressed. */
static int run_battiston(size_t n, const sparse_cols *W, const bool *inc,
                         double *h, unsigned char *state, double *acc,
                         size_t *rounds)
{
    for (size_t i = 0; i < n; i++)
        state[i] = h[i] > 0.0 ? DISTRESSED : UNDISTRESSED;
    for (;;) {
        bool any = false;
        for (size_t j = 0; j < n && !any; j++)
            any = state[j] == DISTRESSED;
        if (!any)
            return DG_OK;

        /* Synchronous update from h(t-1) of the distressed companies. */
        memset(acc, 0, n * sizeof *acc);
        for (size_t j = 0; j < n; j++) {
            if (state[j] != DISTRESSED)
                continue;
            for (size_t k = W->off[j]; k < W->off[j + 1]; k++)
                acc[W->row[k]] += W->val[k] * h[j];
        }
        /* Every included company takes the hit, inactive ones too (their
         * loss grows, they just do not pass it on again). */
        for (size_t i = 0; i < n; i++)
            if (inc[i] && acc[i] > 0.0)
                h[i] = cap1(h[i] + acc[i]);
        for (size_t i = 0; i < n; i++) {
            if (state[i] == DISTRESSED)
                state[i] = INACTIVE;
            else if (state[i] == UNDISTRESSED && h[i] > 0.0)
                state[i] = DISTRESSED;
        }
        (*rounds)++;
    }
}

static int debtrank(dg_debtrank_form form, double alpha, size_t n,
                    const double *exposure, const double *equity,
                    const bool *included, const double *shock,
                    const double *weight, dg_debtrank *out)
{
    if (!out)
        return DG_EUSAGE;
    memset(out, 0, sizeof *out);
    if (form != DG_DEBTRANK_BARDOSCIA && form != DG_DEBTRANK_BATTISTON)
        return DG_EUSAGE;
    if (!(alpha >= 0.0) || !isfinite(alpha))
        return DG_EUSAGE;
    if (n == 0)
        return DG_OK;
    if (!exposure || !equity || !shock)
        return DG_EUSAGE;
    if (!square_fits(n))
        return DG_ELIMIT;

    /* Validate at the top; only what the model reads (see stress.h). */
    size_t ninc = 0;
    double wsum = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!(shock[i] >= 0.0 && shock[i] <= 1.0))
            return DG_EUSAGE;
        if (included && !included[i])
            continue; /* an excluded row, equity and weight are not read */
        ninc++;
        if (!(equity[i] > 0.0) || !isfinite(equity[i]))
            return DG_EUSAGE;
        for (size_t j = 0; j < n; j++)
            if (!nonneg_finite(exposure[i * n + j]))
                return DG_EUSAGE;
        double w = weight ? weight[i] : 1.0;
        if (!nonneg_finite(w))
            return DG_EUSAGE;
        wsum += w;
    }
    if (ninc == 0 || !(wsum > 0.0) || !isfinite(wsum))
        return DG_EUSAGE;

    int rc = DG_OK;
    bool *inc = malloc(n * sizeof *inc);
    double *h1 = malloc(n * sizeof *h1);
    double *acc = malloc(n * sizeof *acc);
    double *delta = malloc(n * sizeof *delta);
    unsigned char *state = malloc(n);
    sparse_cols M = {0};
    out->n = n;
    out->h = malloc(n * sizeof *out->h);
    out->loss = malloc(n * sizeof *out->loss);
    out->defaulted = malloc(n * sizeof *out->defaulted);
    if (!inc || !h1 || !acc || !delta || !state || !out->h || !out->loss ||
        !out->defaulted) {
        rc = DG_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        inc[i] = !included || included[i];
        h1[i] = cap1(shock[i]);
        out->h[i] = h1[i];
    }
    rc = sparse_build(n, exposure, equity, inc,
                      form == DG_DEBTRANK_BATTISTON, &M);
    if (rc != DG_OK)
        goto done;

    if (form == DG_DEBTRANK_BARDOSCIA)
        rc = run_bardoscia(n, &M, inc, alpha, out->h, delta, acc,
                           &out->rounds);
    else
        rc = run_battiston(n, &M, inc, out->h, state, acc, &out->rounds);
    if (rc != DG_OK && rc != DG_ELIMIT)
        goto done;

    /* R = sum_i v_i (h_i(T) - h_i(1)), v normalised over included. */
    for (size_t i = 0; i < n; i++) {
        out->defaulted[i] = out->h[i] >= 1.0;
        if (out->defaulted[i]) {
            out->defaults++;
            if (h1[i] < 1.0)
                out->further_defaults++;
        }
        if (!inc[i]) {
            out->loss[i] = NAN;
            continue;
        }
        double v = (weight ? weight[i] : 1.0) / wsum;
        out->R += v * (out->h[i] - h1[i]);
        out->loss[i] = out->h[i] * equity[i];
        out->total_loss += out->loss[i];
        out->induced_loss += (out->h[i] - h1[i]) * equity[i];
    }

done:
    sparse_free(&M);
    free(inc);
    free(h1);
    free(acc);
    free(delta);
    free(state);
    if (rc != DG_OK && rc != DG_ELIMIT)
        dg_stress_debtrank_finish(out);
    return rc;
}

int dg_stress_debtrank(dg_debtrank_form form, size_t n, const double *exposure,
                       const double *equity, const bool *included,
                       const double *shock, const double *weight,
                       dg_debtrank *out)
{
    return debtrank(form, 0.0, n, exposure, equity, included, shock, weight,
                    out);
}

int dg_stress_debtrank_nonlinear(size_t n, const double *exposure,
                                 const double *equity, const bool *included,
                                 const double *shock, const double *weight,
                                 double alpha, dg_debtrank *out)
{
    return debtrank(DG_DEBTRANK_BARDOSCIA, alpha, n, exposure, equity,
                    included, shock, weight, out);
}

/* ---- Eisenberg–Noe clearing ---------------------------------------------- */

void dg_stress_clearing_finish(dg_clearing *c)
{
    if (!c)
        return;
    free(c->payment);
    free(c->obligation);
    free(c->equity);
    free(c->defaulted);
    memset(c, 0, sizeof *c);
}

/* e_i + sum_j Pi_ji p_j: what i has to pay with. */
static double assets_of(size_t n, size_t i, const double *Pi, const double *p,
                        const double *e)
{
    double a = e[i];
    for (size_t j = 0; j < n; j++)
        a += Pi[j * n + i] * p[j];
    return a;
}

int dg_stress_clearing(size_t n, const double *liability,
                       const double *outside_assets,
                       const double *outside_liability, dg_clearing *out)
{
    return dg_stress_clearing_rv(n, liability, outside_assets,
                                 outside_liability, 1.0, 1.0, out);
}

int dg_stress_clearing_rv(size_t n, const double *liability,
                          const double *outside_assets,
                          const double *outside_liability, double alpha,
                          double beta, dg_clearing *out)
{
    if (!out)
        return DG_EUSAGE;
    memset(out, 0, sizeof *out);
    if (!(alpha > 0.0 && alpha <= 1.0) || !(beta > 0.0 && beta <= 1.0))
        return DG_EUSAGE;
    if (n == 0)
        return DG_OK;
    if (!liability || !outside_assets)
        return DG_EUSAGE;
    if (!square_fits(n))
        return DG_ELIMIT;
    for (size_t i = 0; i < n; i++) {
        if (!nonneg_finite(outside_assets[i]))
            return DG_EUSAGE;
        if (outside_liability && !nonneg_finite(outside_liability[i]))
            return DG_EUSAGE;
        for (size_t j = 0; j < n; j++)
            if (!nonneg_finite(liability[i * n + j]))
                return DG_EUSAGE;
    }

    int rc = DG_OK;
    const double *e = outside_assets;
    double *Pi = malloc(n * n * sizeof *Pi);
    double *M = malloc(n * n * sizeof *M);
    double *x = malloc(n * sizeof *x);
    size_t *idx = malloc(n * sizeof *idx);
    out->n = n;
    out->payment = malloc(n * sizeof *out->payment);
    out->obligation = malloc(n * sizeof *out->obligation);
    out->equity = malloc(n * sizeof *out->equity);
    out->defaulted = calloc(n, sizeof *out->defaulted);
    if (!Pi || !M || !x || !idx || !out->payment || !out->obligation ||
        !out->equity || !out->defaulted) {
        rc = DG_ENOMEM;
        goto done;
    }
    double *pbar = out->obligation, *p = out->payment;
    bool *inD = out->defaulted;

    /* pbar_i = sum_j L_ij + l_i; Pi_ij = L_ij / pbar_i (pari passu). */
    for (size_t i = 0; i < n; i++) {
        double s = outside_liability ? outside_liability[i] : 0.0;
        for (size_t j = 0; j < n; j++)
            if (j != i)
                s += liability[i * n + j];
        if (!isfinite(s)) {
            rc = DG_EUSAGE;
            goto done;
        }
        pbar[i] = s;
        p[i] = s; /* everyone starts paying in full */
        for (size_t j = 0; j < n; j++)
            Pi[i * n + j] = (j != i && s > 0.0) ? liability[i * n + j] / s
                                                : 0.0;
    }

    /* The fictitious default algorithm (Eisenberg & Noe 2001, §3), with
     * Rogers & Veraart's (2013) bankruptcy costs the greatest clearing
     * vector algorithm: a company in D pays alpha of its outside assets
     * plus beta of what it receives. D only grows, so at most n rounds. */
    for (;;) {
        bool grew = false;
        for (size_t i = 0; i < n; i++) {
            if (inD[i] || !(pbar[i] > 0.0))
                continue;
            double a = assets_of(n, i, Pi, p, e);
            if (a < pbar[i] - 1e-12 * (a + pbar[i])) {
                inD[i] = true;
                grew = true;
            }
        }
        if (!grew)
            break;
        out->rounds++;

        /* (I - beta Pi_DD^T) p_D = alpha e_D + beta sum_{j not in D}
         * Pi_jD pbar_j; alpha = beta = 1 is Eisenberg-Noe's system,
         * summed in the same order as ever (the same bits). */
        size_t d = 0;
        for (size_t i = 0; i < n; i++)
            if (inD[i])
                idx[d++] = i;
        for (size_t a = 0; a < d; a++) {
            size_t i = idx[a];
            bool en = alpha == 1.0 && beta == 1.0;
            double rhs = en ? e[i] : 0.0;
            for (size_t j = 0; j < n; j++)
                if (!inD[j])
                    rhs += Pi[j * n + i] * pbar[j];
            x[a] = en ? rhs : alpha * e[i] + beta * rhs;
            for (size_t b = 0; b < d; b++)
                M[a * d + b] = (a == b ? 1.0 : 0.0) -
                               (en ? Pi[idx[b] * n + i]
                                   : beta * Pi[idx[b] * n + i]);
        }
        rc = dg_netmath_solve(d, M, 1, x);
        if (rc == DG_EINPUT)
            rc = DG_EINTERNAL; /* see stress.h: cannot happen exactly */
        if (rc != DG_OK)
            goto done;
        for (size_t a = 0; a < d; a++) {
            size_t i = idx[a];
            /* p lies in [0, pbar] in exact arithmetic; clamp rounding. */
            p[i] = x[a] < 0.0 ? 0.0 : x[a] > pbar[i] ? pbar[i] : x[a];
        }
    }

    for (size_t i = 0; i < n; i++) {
        out->equity[i] = assets_of(n, i, Pi, p, e) - pbar[i];
        if (inD[i])
            out->defaults++;
    }

done:
    free(Pi);
    free(M);
    free(x);
    free(idx);
    if (rc != DG_OK)
        dg_stress_clearing_finish(out);
    return rc;
}
