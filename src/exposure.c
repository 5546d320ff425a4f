/*
 * exposure.c - a ledger's flow matrix and every company's exposure to the
 * focal company. The matrix algebra is netmath.c's; this file maps legs
 * to flows and reads the results (docs/methods.md, sections 1-3).
 */
#include "dealgraph/exposure.h"
#include "internal.h"
#include "dealgraph/loops.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- name order ------------------------------------------------------------- */

/* ---- flows ------------------------------------------------------------------- */

void dg_flows_finish(dg_flows *f)
{
    if (!f)
        return;
    free(f->company);
    free(f->rank);
    free(f->flow);
    free(f->boundary);
    free(f->given);
    memset(f, 0, sizeof *f);
}

int dg_flows_build(const dg_ledger *l, const dg_filter *filter,
                   dg_flows *out)
{
    if (!out)
        return DG_EUSAGE;
    memset(out, 0, sizeof *out);
    if (!l)
        return DG_EUSAGE;
    dg_filter all;
    if (!filter) {
        dg_filter_init(&all);
        filter = &all;
    }
    size_t n = l->ncompanies;
    if (n > DG_MATRIX_MAX_COMPANIES || n > (size_t)INT_MAX ||
        (n && n > SIZE_MAX / sizeof(double) / n))
        return DG_ELIMIT;

    int rc = DG_OK;
    size_t nn = n ? n * n : 1, m = 0;
    dg_entry *c = malloc((l->nlegs ? l->nlegs : 1) * sizeof *c);
    double *given = malloc((n ? n : 1) * sizeof *given);
    out->n = n;
    out->company = malloc((n ? n : 1) * sizeof *out->company);
    out->rank = malloc((n ? n : 1) * sizeof *out->rank);
    out->flow = calloc(nn, sizeof *out->flow);
    out->boundary = calloc(n ? n : 1, sizeof *out->boundary);
    out->given = calloc(n ? n : 1, sizeof *out->given);
    if (!c || !given || !out->company || !out->rank || !out->flow ||
        !out->boundary || !out->given) {
        rc = DG_ENOMEM;
        goto fail;
    }
    dg_name_order(l, out->company, out->rank);

    for (size_t e = 0; e < l->nlegs; e++) {
        const dg_leg *leg = &l->legs[e];
        if (!dg_filter_keep(filter, leg)) {
            out->filtered++;
            continue;
        }
        out->legs++;
        double v = dg_leg_value(leg, filter->amounts);
        if (!dg_has(v)) {
            out->undisclosed++; /* no value: carries nothing, never 0 */
            continue;
        }
        out->valued++;
        c[m++] = (dg_entry){out->rank[leg->from], out->rank[leg->to], v};
    }
    /* pairs in name order, each pair's amounts smallest first */
    rc = dg_netmath_sum_entries(c, m, n, out->flow);
    if (rc != DG_OK)
        goto fail;
    for (size_t k = 0; k < n * n; k++)
        out->total += out->flow[k];

    for (size_t k = 0; k < n; k++) {
        const dg_company *co = &l->companies[out->company[k]];
        given[k] = co->outside_inflow;
        out->given[k] = dg_has(co->outside_inflow);
    }
    rc = dg_netmath_boundary_inflow(n, out->flow, given, out->boundary);
    if (rc != DG_OK)
        goto fail;
    free(c);
    free(given);
    return DG_OK;

fail:
    free(c);
    free(given);
    dg_flows_finish(out);
    return rc;
}

int dg_flows_singular_error(const dg_ledger *l, const dg_flows *flows,
                            const dg_singular *why, dg_diags *diags)
{
    dg_buf b, q;
    dg_buf_init(&b);
    dg_buf_init(&q);
    long line = 0;
    const char *file = l->companies_file ? l->companies_file : l->legs_file;
    if (why->count == 0) {
        dg_buf_puts(&b, "the flow system is numerically singular (LAPACK "
                        "found a zero pivot) although every group of "
                        "companies has outside inflow; check for amounts "
                        "that differ by many orders of magnitude");
    } else {
        dg_buf_puts(&b, "singular system: ");
        size_t g = SIZE_MAX;
        for (size_t k = 0; k < why->count; k++) {
            const dg_company *co = &l->companies[flows->company[why->vertex[k]]];
            if (why->group[k] != g) {
                if (g != SIZE_MAX)
                    dg_buf_puts(&b, "; ");
                g = why->group[k];
            } else {
                dg_buf_puts(&b, ", ");
            }
            dg_buf_puts(&b, dg_quote(co->name, 60, &q));
            if (co->line > 0 && (line == 0 || co->line < line))
                line = co->line;
        }
        dg_buf_printf(&b,
                      " %s money round among %s and nothing enters from "
                      "outside (no leg from another company, no "
                      "outside_inflow, and no company pays out more than it "
                      "takes in), so every dollar would cycle forever; give "
                      "one of them a positive outside_inflow (revenue from "
                      "outside the ledger)",
                      why->count > 1 ? "pass" : "passes",
                      why->count > 1 ? "themselves" : "itself");
    }
    int rc = b.oom ? DG_ENOMEM
                   : dg_diags_add(diags, DG_SEV_ERROR, file, line, "%s",
                                  b.data);
    dg_buf_finish(&b);
    dg_buf_finish(&q);
    return rc;
}

/* ---- exposure ----------------------------------------------------------------- */

void dg_exposure_finish(dg_exposure *e)
{
    if (!e)
        return;
    free(e->rows);
    memset(e, 0, sizeof *e);
}

const dg_exposure_row *dg_exposure_row_of(const dg_exposure *e,
                                          size_t company)
{
    if (!e)
        return NULL;
    for (size_t k = 0; k < e->n; k++)
        if (e->rows[k].company == company)
            return &e->rows[k];
    return NULL;
}

const char *dg_exposure_band_name(const dg_exposure_row *r)
{
    return r && dg_has(r->inflow_hhi) ? dg_netmath_hhi_band_name(r->hhi_band)
                                      : NULL;
}

/* Equity, debt, warrant and backstop legs bring outside financing. */
static bool financing_kind(dg_kind k)
{
    return k == DG_KIND_EQUITY || k == DG_KIND_DEBT || k == DG_KIND_WARRANT ||
           k == DG_KIND_BACKSTOP;
}

/* Capex/EBITDA and the funding stage of the source article. The currency
 * cancels in the ratio, so `currency` is not read. */
static void capex_stage(const dg_company *co, dg_exposure_row *r)
{
    r->capex_to_ebitda = NAN;
    r->stage = DG_STAGE_NONE;
    if (!dg_has(co->capex) || !dg_has(co->ebitda))
        return;
    if (!(co->ebitda > 0.0)) {
        /* No earnings to pay capex from: the ratio says nothing (a
         * negative ratio is not "below 1"), and the capex must be
         * financed from outside. */
        r->ratio_not_meaningful = true;
        r->stage = DG_STAGE_2;
        return;
    }
    r->capex_to_ebitda = co->capex / co->ebitda;
    r->stage = r->capex_to_ebitda < 1.0 && !r->external_financing
                   ? DG_STAGE_1
                   : DG_STAGE_2;
}

static int fill_rows(const dg_ledger *l, const dg_filter *filter,
                     const dg_flows *fl, const dg_ena *ena, size_t f,
                     dg_exposure *out)
{
    size_t n = fl->n;
    const double *F = fl->flow;
    double *shares = malloc((n ? n : 1) * sizeof *shares);
    if (!shares)
        return DG_ENOMEM;
    for (size_t x = 0; x < n; x++) {
        dg_exposure_row *r = &out->rows[x];
        r->company = fl->company[x];
        for (size_t j = 0; j < n; j++) {
            r->inflow += F[j * n + x];
            r->outflow += F[x * n + j];
        }
        r->boundary = fl->boundary[x];
        double T = ena->throughflow[x];
        r->throughflow = T;
        bool in = T > 0.0;
        r->direct_inflow_share = in ? F[f * n + x] / T : NAN;
        r->direct_outflow_share =
            r->outflow > 0.0 ? F[x * n + f] / r->outflow : NAN;
        r->pass_through_share = in ? dg_netmath_passthrough(ena, x, f) : NAN;
        r->origin_share = in ? ena->origin[x * n + f] : NAN;

        /* Inflow HHI over ledger counterparties (not X itself), each share
         * of T_X: outside inflow counts as fully fragmented. */
        size_t ns = 0, best = SIZE_MAX;
        for (size_t c = 0; c < n; c++) {
            if (c == x || !(F[c * n + x] > 0.0))
                continue;
            shares[ns++] = F[c * n + x] / T;
            if (best == SIZE_MAX || F[c * n + x] > F[best * n + x])
                best = c; /* ties: the first in name order */
        }
        r->inflow_hhi = NAN;
        r->largest = SIZE_MAX;
        r->largest_share = NAN;
        if (in) {
            int rc = dg_netmath_hhi(ns, shares, &r->inflow_hhi);
            if (rc != DG_OK) {
                free(shares);
                return DG_EINTERNAL; /* shares of T cannot exceed 1 */
            }
            r->hhi_band = dg_netmath_hhi_band(r->inflow_hhi);
            if (best != SIZE_MAX) {
                r->largest = fl->company[best];
                r->largest_share = F[best * n + x] / T;
            }
        }
        if (!in)
            out->idle++;
    }
    free(shares);

    /* External financing legs into each company: any that passes the
     * filter, disclosed or not (an undisclosed investment is still one). */
    for (size_t e = 0; e < l->nlegs; e++) {
        const dg_leg *leg = &l->legs[e];
        if (financing_kind(leg->kind) && dg_filter_keep(filter, leg))
            out->rows[fl->rank[leg->to]].external_financing = true;
    }
    for (size_t x = 0; x < n; x++)
        capex_stage(&l->companies[fl->company[x]], &out->rows[x]);
    return DG_OK;
}

int dg_matrix_limit(const dg_ledger *l, dg_diags *diags)
{
    if (l->ncompanies <= DG_MATRIX_MAX_COMPANIES)
        return DG_OK;
    int rc = dg_diags_add(diags, DG_SEV_ERROR, l->path, 0,
                          "%zu companies is over the %zu that exposure and "
                          "stress handle (they solve an n-by-n system, whose "
                          "cost grows with the cube of n); split the ledger",
                          l->ncompanies, DG_MATRIX_MAX_COMPANIES);
    return rc == DG_OK ? DG_ELIMIT : rc;
}

int dg_exposure_compute(const dg_ledger *l, const dg_filter *filter,
                        size_t focus, dg_exposure *out, dg_diags *diags)
{
    if (!out)
        return DG_EUSAGE;
    memset(out, 0, sizeof *out);
    if (!l || !diags || focus >= l->ncompanies)
        return DG_EUSAGE;
    int lim = dg_matrix_limit(l, diags);
    if (lim != DG_OK)
        return lim;
    dg_filter all;
    if (!filter) {
        dg_filter_init(&all);
        filter = &all;
    }

    dg_flows fl;
    dg_ena ena;
    memset(&ena, 0, sizeof ena);
    size_t n = l->ncompanies;
    size_t *vertex = malloc(n * sizeof *vertex);
    size_t *group = malloc(n * sizeof *group);
    int rc = dg_flows_build(l, filter, &fl);
    if (rc != DG_OK) {
        free(vertex);
        free(group);
        return rc;
    }
    if (!vertex || !group) {
        rc = DG_ENOMEM;
        goto done;
    }
    dg_singular why = {vertex, group, 0, 0};
    rc = dg_netmath_ena(n, fl.flow, fl.boundary, &ena, &why);
    if (rc == DG_EINPUT) {
        int r2 = dg_flows_singular_error(l, &fl, &why, diags);
        if (r2 != DG_OK)
            rc = r2;
        goto done;
    }
    if (rc != DG_OK)
        goto done;

    out->n = n;
    out->focus = focus;
    out->rows = calloc(n, sizeof *out->rows);
    if (!out->rows) {
        rc = DG_ENOMEM;
        goto done;
    }
    size_t f = fl.rank[focus];
    rc = fill_rows(l, filter, &fl, &ena, f, out);
    if (rc != DG_OK)
        goto done;

    out->tst = ena.tst;
    out->boundary = ena.boundary;
    out->fci = ena.fci;
    out->path_length = ena.path_length;
    out->focus_cycling_share = ena.cycling[f];
    out->total_value = fl.total;
    /* Value on legs from or to the focus, each pair once (a self flow of
     * the focus is one leg, not two). */
    for (size_t j = 0; j < n; j++) {
        out->focus_value += fl.flow[f * n + j];
        if (j != f)
            out->focus_value += fl.flow[j * n + f];
    }
    out->focus_share_of_value =
        fl.total > 0.0 ? out->focus_value / fl.total : NAN;

    rc = dg_loops_value(l, filter, focus, &out->looped_value,
                        &out->focus_looped_value, &out->undisclosed_loop_hops);
    if (rc != DG_OK)
        goto done;
    out->focus_share_of_looped_value =
        out->looped_value > 0.0 ? out->focus_looped_value / out->looped_value
                                : NAN;
    out->legs = fl.legs;
    out->valued = fl.valued;
    out->undisclosed = fl.undisclosed;
    out->filtered = fl.filtered;
    for (size_t k = 0; k < n; k++)
        out->given_boundary += fl.given[k];

done:
    free(vertex);
    free(group);
    dg_netmath_ena_finish(&ena);
    dg_flows_finish(&fl);
    if (rc != DG_OK)
        dg_exposure_finish(out);
    return rc;
}

/* ---- the focal company --------------------------------------------------------- */

static bool prefix_nocase(const char *prefix, const char *s)
{
    for (; *prefix; prefix++, s++) {
        char a = *prefix, b = *s;
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z')
            b = (char)(b - 'A' + 'a');
        if (!b || a != b)
            return false;
    }
    return true;
}

int dg_focus_find(const dg_ledger *l, const char *name, const char *given_as,
                  size_t *index, dg_diags *diags)
{
    if (!l || !index || !diags)
        return DG_EUSAGE;
    bool from_ledger = false;
    if (!name) {
        if (!l->focus) {
            int rc = dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                                  "no focal company: %s sets no `focus` "
                                  "graph attribute",
                                  l->path ? l->path : "the ledger");
            return rc == DG_OK ? DG_EUSAGE : rc;
        }
        name = l->focus;
        from_ledger = true;
    }
    size_t i = dg_ledger_find(l, name);
    if (i != (size_t)-1) {
        *index = i;
        return DG_OK;
    }

    /* Close matches: up to three by edit distance (dg_closest skips the
     * NULLs of those already taken), then names the word begins, in name
     * order. */
    size_t n = l->ncompanies;
    const char **cand = malloc((n ? n : 1) * sizeof *cand);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!cand || !order) {
        free(cand);
        free(order);
        return DG_ENOMEM;
    }
    dg_name_order(l, order, NULL);
    for (size_t k = 0; k < n; k++)
        cand[k] = l->companies[order[k]].name;
    const char *near[3];
    size_t nnear = 0;
    while (nnear < 3) {
        const char *c = dg_closest(name, cand, n);
        if (!c)
            break;
        near[nnear++] = c;
        for (size_t k = 0; k < n; k++)
            if (cand[k] == c)
                cand[k] = NULL;
    }
    for (size_t k = 0; k < n && nnear < 3; k++)
        if (cand[k] && name[0] && prefix_nocase(name, cand[k]))
            near[nnear++] = cand[k];

    dg_buf b, q;
    dg_buf_init(&b);
    dg_buf_init(&q);
    dg_buf_printf(&b, "unknown company '%s'", dg_quote(name, 60, &q));
    if (from_ledger)
        dg_buf_puts(&b, " for the ledger's focus");
    else if (given_as)
        dg_buf_printf(&b, " for %s", given_as);
    if (nnear == 0) {
        dg_buf_puts(&b, "; give a company name exactly as the ledger writes "
                        "it (names are case-sensitive)");
    } else {
        dg_buf_puts(&b, "; did you mean ");
        for (size_t k = 0; k < nnear; k++) {
            if (k)
                dg_buf_puts(&b, k + 1 == nnear ? " or " : ", ");
            dg_buf_printf(&b, "'%s'", dg_quote(near[k], 60, &q));
        }
        dg_buf_putc(&b, '?');
    }
    int rc = b.oom ? DG_ENOMEM
                   : dg_diags_add(diags, DG_SEV_ERROR, NULL, 0, "%s", b.data);
    dg_buf_finish(&b);
    dg_buf_finish(&q);
    free(cand);
    free(order);
    return rc == DG_OK ? DG_EUSAGE : rc;
}

int dg_focus_resolve(const dg_ledger *l, const char *name, const char *cmd,
                     size_t *index, dg_diags *diags)
{
    if (!l || !index || !diags || !cmd)
        return DG_EUSAGE;
    dg_diags own;
    dg_diags_init(&own);
    int rc = dg_focus_find(l, name, "--focus", index, &own);
    /* the command-line wording: the command first, the fix by flag */
    bool none = !name && !l->focus;
    for (size_t k = 0; k < own.count && rc != DG_ENOMEM; k++) {
        const dg_diag *g = &own.items[k];
        int r = dg_diags_add(diags, g->severity, g->file, g->line, "%s: %s%s",
                             cmd, g->message,
                             none ? "; give --focus NAME" : "");
        if (r != DG_OK)
            rc = r;
    }
    dg_diags_finish(&own);
    return rc;
}
