/*
 * stressmc.c - Monte Carlo bands for the stress test on contracts
 * (stressrun.h, dg_stress_bands_run): every draw realises the legs'
 * firmness, ceilings and estimate ranges, rebuilds the matrix and runs the
 * model; the bands are nearest-rank percentiles over the draws. The
 * generator is the library's own (xoshiro256**, Blackman & Vigna 2018,
 * seeded by splitmix64), so a seed gives the same bands on every machine
 * and igraph's generator is left alone.
 */
#include "dealgraph/contracts.h"
#include "dealgraph/exposure.h"
#include "dealgraph/netmath.h"
#include "dealgraph/stressrun.h"
#include "internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- the generator ---------------------------------------------------------- */

typedef struct rng {
    uint64_t s[4];
} rng;

/* splitmix64 (Steele, Lea & Flood 2014): fills xoshiro's state from one
 * seed, never all zero. */
static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed)
{
    for (int k = 0; k < 4; k++)
        r->s[k] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* xoshiro256** 1.0 */
static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform on [0, 1): the top 53 bits. */
static double rng_uniform(rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* ---- one leg's draw ------------------------------------------------------- */

/* What a draw needs of a leg, read once. */
typedef struct mc_leg {
    const dg_contract_leg *cl;
    size_t holder, obligor, from, to; /* positions in name order */
    bool self;
    double p;          /* the probability that it happens */
    bool upto;
    bool range;        /* an estimate range to draw from */
    double low, high, scenario; /* the range and the scenario's value */
} mc_leg;

/* A share of a ceiling with mean c: uniform on [0, 2c] for c <= 1/2,
 * else on [2c - 1, 1]; c = 1 is 1 exactly. */
static double ceiling_share(double c, double u)
{
    return c <= 0.5 ? 2.0 * c * u : (2.0 * c - 1.0) + (2.0 - 2.0 * c) * u;
}

/* Percentile q (in per cent) of x[0..n-1], by nearest rank, sorting x;
 * NaN when any value is NaN. */
static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static dg_band band_of(double *x, size_t n)
{
    dg_band b = {NAN, NAN, NAN};
    for (size_t k = 0; k < n; k++)
        if (!dg_has(x[k]))
            return b;
    qsort(x, n, sizeof *x, by_double);
    /* rank ceil(q n / 100), 1-based, in integers */
    b.p5 = x[(5 * n + 99) / 100 - 1];
    b.p50 = x[(50 * n + 99) / 100 - 1];
    b.p95 = x[(95 * n + 99) / 100 - 1];
    return b;
}

void dg_stress_bands_finish(dg_stress_bands *b)
{
    if (!b)
        return;
    free(b->rows);
    memset(b, 0, sizeof *b);
}

/* The figures of one draw. */
typedef struct draw_out {
    double R, defaults, further, others;
} draw_out;

/* Runs the model on the matrix `M` (A or L) of one draw; fills the per
 * company figures at column `d` of rel and loss (n x draws, row-major by
 * company), their defaults, and the system figures. */
static int run_draw(const dg_stress_options *opt, size_t n, size_t f,
                    const double *M, const double *equity, const bool *inc,
                    const double *cash, double *shock, double *weight,
                    double *e, size_t d, size_t draws, double *rel,
                    double *loss, size_t *defaulted, draw_out *o)
{
    memset(o, 0, sizeof *o);
    int rc;
    if (opt->model != DG_MODEL_CLEARING) {
        dg_debtrank dr;
        if (opt->model == DG_MODEL_DEBTRANK_SINGLE)
            rc = dg_stress_debtrank(DG_DEBTRANK_BATTISTON, n, M, equity, inc,
                                    shock, weight, &dr);
        else
            rc = dg_stress_debtrank_nonlinear(n, M, equity, inc, shock,
                                              weight, opt->alpha, &dr);
        if (rc != DG_OK && rc != DG_ELIMIT) {
            dg_stress_debtrank_finish(&dr);
            return rc;
        }
        double h1f = shock[f] >= 1.0 - DG_DEBTRANK_SNAP ? 1.0 : shock[f];
        o->R = dr.R;
        for (size_t k = 0; k < n; k++) {
            bool known = inc[k] || (k == f && dr.h[k] >= 1.0);
            bool def = dr.h[k] >= 1.0;
            rel[k * draws + d] = inc[k] || k == f ? dr.h[k] : NAN;
            loss[k * draws + d] = inc[k] ? dr.loss[k] : NAN;
            if (known && def) {
                defaulted[k]++;
                o->defaults++;
                if (!(k == f && h1f >= 1.0))
                    o->further++;
            }
            if (inc[k] && k != f)
                o->others += dr.loss[k];
        }
        dg_stress_debtrank_finish(&dr);
        return DG_OK;
    }
    for (size_t k = 0; k < n; k++) {
        double pbar = 0.0;
        for (size_t j = 0; j < n; j++)
            pbar += M[k * n + j];
        e[k] = k == f               ? (1.0 - opt->shortfall) * cash[k]
               : dg_has(cash[k]) ? cash[k]
                                    : pbar; /* unknown: pays in full */
    }
    dg_clearing cl;
    rc = dg_stress_clearing_rv(n, M, e, NULL, opt->recovery_assets,
                               opt->recovery_claims, &cl);
    if (rc != DG_OK)
        return rc;
    o->R = NAN;
    for (size_t k = 0; k < n; k++) {
        double lost = 0.0;
        for (size_t j = 0; j < n; j++) {
            if (j == k || !(M[j * n + k] > 0.0) || !(cl.obligation[j] > 0.0))
                continue;
            double paid = cl.payment[j] / cl.obligation[j];
            if (paid < 1.0)
                lost += M[j * n + k] * (1.0 - paid);
        }
        loss[k * draws + d] = lost;
        rel[k * draws + d] = inc[k] ? fmin(1.0, lost / equity[k]) : NAN;
        if (dg_has(cash[k]) && cl.defaulted[k]) {
            defaulted[k]++;
            o->defaults++;
            if (k != f)
                o->further++;
        }
        if (k != f)
            o->others += lost;
    }
    dg_stress_clearing_finish(&cl);
    return DG_OK;
}

int dg_stress_bands_run(const dg_ledger *l, const dg_stress_options *opt,
                        size_t draws, uint64_t seed, dg_stress_bands *out,
                        dg_diags *diags)
{
    if (!out)
        return DG_EUSAGE;
    memset(out, 0, sizeof *out);
    if (!l || !opt || !diags || opt->exposures != DG_EXPOSURES_CONTRACTS ||
        draws < 1 || draws > DG_STRESS_MAX_DRAWS)
        return DG_EUSAGE;
    /* Everything the deterministic run refuses, the draws refuse with the
     * same words; its warnings are not repeated. */
    {
        dg_diags scratch;
        dg_diags_init(&scratch);
        dg_stress_result r;
        int rc = dg_stress_run(l, opt, &r, &scratch);
        dg_stress_result_finish(&r);
        for (size_t k = 0; rc != DG_OK && k < scratch.count; k++)
            if (scratch.items[k].severity == DG_SEV_ERROR &&
                dg_diags_add(diags, DG_SEV_ERROR, scratch.items[k].file,
                             scratch.items[k].line, "%s",
                             scratch.items[k].message) != DG_OK)
                rc = DG_ENOMEM;
        dg_diags_finish(&scratch);
        if (rc != DG_OK)
            return rc;
    }
    size_t n = l->ncompanies;
    if (n && draws > SIZE_MAX / sizeof(double) / n / 2)
        return DG_ELIMIT;
    bool debtrank = opt->model != DG_MODEL_CLEARING;

    dg_contract_options co = opt->contracts;
    co.filter = opt->filter;
    dg_contracts c;
    int rc = dg_contracts_build(l, &co, &c, diags);
    size_t n1 = n ? n : 1, nl = c.nlegs ? c.nlegs : 1;
    mc_leg *legs = calloc(nl, sizeof *legs);
    dg_entry *ent = malloc(nl * sizeof *ent);
    double *M = malloc(n1 * n1 * sizeof *M);
    double *equity = malloc(n1 * sizeof *equity);
    bool *inc = calloc(n1, sizeof *inc);
    double *cash = malloc(n1 * sizeof *cash);
    double *shock = calloc(n1, sizeof *shock);
    double *weight = calloc(n1, sizeof *weight);
    double *e = calloc(n1, sizeof *e);
    size_t *defaulted = calloc(n1, sizeof *defaulted);
    double *R = malloc(draws * sizeof *R);
    double *defs = malloc(draws * sizeof *defs);
    double *further = malloc(draws * sizeof *further);
    double *others = malloc(draws * sizeof *others);
    double *rel = malloc(n1 * draws * sizeof *rel);
    double *loss = malloc(n1 * draws * sizeof *loss);
    out->rows = calloc(n1, sizeof *out->rows);
    if (rc == DG_OK &&
        (!legs || !ent || !M || !equity || !inc || !cash || !shock ||
         !weight || !e || !defaulted || !R || !defs || !further || !others ||
         !rel || !loss || !out->rows))
        rc = DG_ENOMEM;
    if (rc != DG_OK)
        goto done;

    size_t f = c.rank[opt->focus];
    for (size_t k = 0; k < n; k++) {
        const dg_company *cp = &l->companies[c.company[k]];
        equity[k] = cp->equity;
        inc[k] = dg_has(cp->equity) && cp->equity > 0.0;
        weight[k] = inc[k] ? cp->equity : 0.0;
        cash[k] = dg_contracts_outside_assets(&c, cp, NULL);
    }
    shock[f] = opt->shortfall;
    size_t m = 0;
    for (size_t k = 0; k < c.nlegs; k++) {
        const dg_contract_leg *cl = &c.legs[k];
        const dg_leg *leg = &l->legs[cl->leg];
        if (!dg_has(cl->value))
            continue; /* undisclosed under the scenario: nothing to draw */
        mc_leg *x = &legs[m++];
        x->cl = cl;
        x->holder = c.rank[cl->holder];
        x->obligor = c.rank[cl->obligor];
        x->from = c.rank[leg->from];
        x->to = c.rank[leg->to];
        x->self = leg->from == leg->to;
        x->p = opt->contracts.prob.status[leg->status];
        x->upto = leg->upto;
        x->scenario = dg_leg_value(leg, opt->filter.amounts);
        x->range = opt->filter.amounts != DG_AMOUNTS_DISCLOSED &&
                   !dg_has(leg->amount) && dg_has(leg->amount_low) &&
                   dg_has(leg->amount_high) && x->scenario > 0.0;
        x->low = leg->amount_low;
        x->high = leg->amount_high;
    }

    rng g;
    rng_seed(&g, seed);
    for (size_t d = 0; d < draws; d++) {
        size_t me = 0;
        for (size_t k = 0; k < m; k++) {
            const mc_leg *x = &legs[k];
            /* one uniform per leg, then one per ceiling and per range:
             * the stream is the same for the same ledger */
            bool happens = rng_uniform(&g) < x->p;
            double share = x->upto ? ceiling_share(opt->contracts.prob.ceiling,
                                                   rng_uniform(&g))
                                   : 1.0;
            double factor = 1.0;
            if (x->range)
                factor = (x->low + rng_uniform(&g) * (x->high - x->low)) /
                         x->scenario;
            if (x->self)
                continue;
            double var, due_var;
            dg_contract_leg_scaled(x->cl, factor, &var, &due_var);
            double w = happens ? share : 0.0;
            double v = debtrank ? x->cl->lgd * (x->cl->sure + w * var)
                                : w * due_var;
            if (v > 0.0)
                ent[me++] = debtrank ? (dg_entry){x->holder, x->obligor, v}
                                     : (dg_entry){x->from, x->to, v};
        }
        memset(M, 0, n1 * n1 * sizeof *M);
        /* summed as the deterministic matrix is: the same bits when every
         * leg happens in full */
        rc = dg_netmath_sum_entries(ent, me, n, M);
        if (rc != DG_OK)
            goto done;
        draw_out o;
        rc = run_draw(opt, n, f, M, equity, inc, cash, shock, weight, e, d,
                      draws, rel, loss, defaulted, &o);
        if (rc != DG_OK)
            goto done;
        R[d] = o.R;
        defs[d] = o.defaults;
        further[d] = o.further;
        others[d] = o.others;
    }

    out->draws = draws;
    out->seed = seed;
    out->n = n;
    out->debtrank = band_of(R, draws);
    out->defaults = band_of(defs, draws);
    out->further_defaults = band_of(further, draws);
    out->others_loss = band_of(others, draws);
    for (size_t k = 0; k < n; k++) {
        dg_stress_band_row *r = &out->rows[k];
        r->company = c.company[k];
        r->relative_loss = band_of(rel + k * draws, draws);
        r->loss = band_of(loss + k * draws, draws);
        bool known = debtrank ? inc[k] || k == f : dg_has(cash[k]);
        r->default_share =
            known ? (double)defaulted[k] / (double)draws : NAN;
    }
done:
    dg_contracts_finish(&c);
    free(legs);
    free(ent);
    free(M);
    free(equity);
    free(inc);
    free(cash);
    free(shock);
    free(weight);
    free(e);
    free(defaulted);
    free(R);
    free(defs);
    free(further);
    free(others);
    free(rel);
    free(loss);
    if (rc != DG_OK)
        dg_stress_bands_finish(out);
    return rc;
}
