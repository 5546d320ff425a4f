/*
 * yearly.c - exposure per year (yearly.h): the flow calendar read against
 * each company's revenue and backlog, the focus's coverage and funding
 * gap, vendor financing, and the ecological measures on one year's flows.
 *
 * One pass over the calendar's legs sorts their money into what the
 * figures need (the focus's purchases from each company, its payments and
 * funding, financing and purchases per supplier-customer pair, the
 * backlog); each year then reads those sums and the calendar's per-pair
 * and per-company totals. Money a sum cannot place (undisclosed legs,
 * totals without a period, per-period legs with no term) is counted beside
 * it and named in the figure's `rests`, with the way it can move the
 * figure in `bound`.
 */
#include "dealgraph/yearly.h"
#include "dealgraph/calendar.h"
#include "dealgraph/exposure.h"
#include "dealgraph/netmath.h"
#include "dealgraph/schedule.h"
#include "internal.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- names ------------------------------------------------------------------ */

static const char *const rests_names[DG_RESTS_COUNT] = {
    "actual",          "guidance",          "estimate",
    "balancing",       "no_revenue",        "unscheduled_whole",
    "unscheduled_apart", "undisclosed",     "term_unknown",
    "no_rpo",          "no_base",           "before_start",
};

const char *dg_rests_name(unsigned bit)
{
    for (unsigned k = 0; k < DG_RESTS_COUNT; k++)
        if (bit == 1u << k)
            return rests_names[k];
    return NULL;
}

const char *dg_bound_name(dg_bound b)
{
    static const char *const names[] = {"exact", "floor", "ceiling",
                                        "either"};
    return (unsigned)b <= DG_BOUND_EITHER ? names[b] : "?";
}

void dg_yearly_options_init(dg_yearly_options *o)
{
    memset(o, 0, sizeof *o);
    dg_filter_init(&o->filter);
    o->network = true;
}

void dg_yearly_finish(dg_yearly *y)
{
    if (!y)
        return;
    for (size_t k = 0; y->years && k < y->nyears; k++) {
        free(y->years[k].rows);
        free(y->years[k].suppliers);
        free(y->years[k].network_error);
    }
    free(y->years);
    free(y->backlog);
    free(y->pairs);
    memset(y, 0, sizeof *y);
}

const dg_yearly_year *dg_yearly_year_of(const dg_yearly *y, int year)
{
    if (!y || !y->years || year < y->first_year || year > y->last_year)
        return NULL;
    return &y->years[year - y->first_year];
}

const dg_yearly_row *dg_yearly_row_of(const dg_yearly *y,
                                      const dg_yearly_year *yy,
                                      size_t company)
{
    if (!y || !yy || !yy->rows)
        return NULL;
    for (size_t k = 0; k < y->n; k++)
        if (yy->rows[k].company == company)
            return &yy->rows[k];
    return NULL;
}

int dg_yearly_default_year(const dg_ledger *l, const dg_filter *filter,
                           dg_year_from *from)
{
    dg_year_from f = DG_YEAR_FROM_NOTHING;
    int year = 0;
    if (filter && dg_date_valid(filter->as_of)) {
        f = DG_YEAR_FROM_FILTER;
        year = filter->as_of.year;
    } else if (l && dg_date_valid(l->as_of)) {
        f = DG_YEAR_FROM_LEDGER;
        year = l->as_of.year;
    } else {
        for (size_t i = 0; l && i < l->nlegs; i++)
            if (l->legs[i].announced.year > year) {
                year = l->legs[i].announced.year;
                f = DG_YEAR_FROM_LATEST;
            }
    }
    if (from)
        *from = f;
    return year;
}

/* ---- helpers ---------------------------------------------------------------- */

/* Chips, cloud, services and leases: money a customer pays for what it
 * buys, its supplier's revenue. */
static bool commercial(dg_kind k)
{
    return k == DG_KIND_CHIPS || k == DG_KIND_CLOUD ||
           k == DG_KIND_SERVICES || k == DG_KIND_LEASE;
}

/* What a supplier gives a customer to pay with (vendor financing). */
static bool financing(dg_kind k)
{
    return k == DG_KIND_EQUITY || k == DG_KIND_DEBT ||
           k == DG_KIND_WARRANT || k == DG_KIND_BACKSTOP;
}

/* Money the focus raises (the funding of its gap). */
static bool funding(dg_kind k)
{
    return k == DG_KIND_EQUITY || k == DG_KIND_DEBT;
}

static unsigned basis_bit(dg_basis b)
{
    return b == DG_BASIS_GUIDANCE   ? DG_RESTS_GUIDANCE
           : b == DG_BASIS_ESTIMATE ? DG_RESTS_ESTIMATE
                                    : DG_RESTS_ACTUAL;
}

/* Counts a calendar leg that no year holds (or only in part). */
static void leave_out(dg_left_out *o, const dg_calendar_leg *fl)
{
    switch (fl->state) {
    case DG_SCHED_UNDISCLOSED:
        o->undisclosed++;
        break;
    case DG_SCHED_UNSCHEDULED:
        o->unscheduled++;
        o->unscheduled_amount += fl->amount;
        break;
    case DG_SCHED_SCHEDULED:
        o->term_unknown += fl->term_unknown;
        break;
    default:
        break;
    }
}

/* The money a sum by year could not place, as DG_RESTS_* bits. */
static unsigned left_bits(const dg_left_out *o)
{
    return (o->undisclosed ? DG_RESTS_UNDISCLOSED : 0u) |
           (o->unscheduled ? DG_RESTS_UNSCHEDULED_APART : 0u) |
           (o->term_unknown ? DG_RESTS_TERM_UNKNOWN : 0u);
}

static bool any_left(const dg_left_out *o)
{
    return o->undisclosed || o->unscheduled || o->term_unknown;
}

/* Money left out of a numerator makes a floor, out of a denominator a
 * ceiling. */
static dg_bound bound_of(bool numerator, bool denominator)
{
    return numerator && denominator ? DG_BOUND_EITHER
           : numerator              ? DG_BOUND_FLOOR
           : denominator            ? DG_BOUND_CEILING
                                    : DG_BOUND_EXACT;
}

static dg_figure na(unsigned rests)
{
    return (dg_figure){NAN, rests, DG_BOUND_EXACT};
}

/* `part` of a year's revenue (NaN when there is none): the figure, or n/a
 * with the reason. `left` is the money the numerator could not place. */
static dg_figure share_of_revenue(double part, double revenue, dg_basis b,
                                  const dg_left_out *left)
{
    if (!dg_has(revenue))
        return na(DG_RESTS_NO_REVENUE);
    if (!(revenue > 0.0))
        return na(DG_RESTS_NO_BASE | basis_bit(b));
    return (dg_figure){part / revenue, basis_bit(b) | left_bits(left),
                       bound_of(any_left(left), false)};
}

static int years_error(dg_diags *diags, int first, int last)
{
    int rc = dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                          "the years %d-%d %s; give years from 1900 to 2999, "
                          "the first not after the last",
                          first, last,
                          last < first ? "run backwards"
                                       : "lie outside 1900-2999");
    return rc == DG_OK ? DG_EUSAGE : rc;
}

/* ---- vendor pairs --------------------------------------------------------- */

/* One leg of a supplier-customer pair: a financing leg S -> C or a
 * commercial leg C -> S. */
typedef struct pair_leg {
    size_t rs, rc;   /* the supplier's and the customer's rank */
    size_t leg;      /* index in the calendar's legs */
    bool financing;
} pair_leg;

static int by_pair(const void *a, const void *b)
{
    const pair_leg *x = a, *y = b;
    if (x->rs != y->rs)
        return x->rs < y->rs ? -1 : 1;
    if (x->rc != y->rc)
        return x->rc < y->rc ? -1 : 1;
    return (x->leg > y->leg) - (x->leg < y->leg);
}

/* The pairs of `cal` with financing one way and purchases the other, into
 * out->pairs, and each pair's financing per calendar year into *by_year
 * (npairs * cal->nyears, malloc'd). */
static int vendor_pairs(const dg_ledger *l, const dg_calendar *cal,
                        const size_t *rank, const size_t *order,
                        dg_yearly *out, double **by_year)
{
    size_t m = 0, cy = cal->nyears;
    pair_leg *v = malloc((cal->nlegs ? cal->nlegs : 1) * sizeof *v);
    *by_year = NULL;
    if (!v)
        return DG_ENOMEM;
    for (size_t k = 0; k < cal->nlegs; k++) {
        const dg_leg *g = &l->legs[cal->legs[k].leg];
        if (g->from == g->to)
            continue;
        if (financing(g->kind))
            v[m++] = (pair_leg){rank[g->from], rank[g->to], k, true};
        else if (commercial(g->kind))
            v[m++] = (pair_leg){rank[g->to], rank[g->from], k, false};
    }
    qsort(v, m, sizeof *v, by_pair);
    /* the groups with both sides */
    size_t np = 0;
    for (size_t a = 0, b; a < m; a = b) {
        bool fin = false, buy = false;
        for (b = a; b < m && v[b].rs == v[a].rs && v[b].rc == v[a].rc; b++) {
            fin = fin || v[b].financing;
            buy = buy || !v[b].financing;
        }
        np += fin && buy;
    }
    out->pairs = calloc(np ? np : 1, sizeof *out->pairs);
    *by_year = calloc(np * cy > 0 ? np * cy : 1, sizeof **by_year);
    if (!out->pairs || !*by_year) {
        free(v);
        return DG_ENOMEM;
    }
    for (size_t a = 0, b; a < m; a = b) {
        bool fin = false, buy = false;
        for (b = a; b < m && v[b].rs == v[a].rs && v[b].rc == v[a].rc; b++) {
            fin = fin || v[b].financing;
            buy = buy || !v[b].financing;
        }
        if (!fin || !buy)
            continue;
        dg_vendor_pair *p = &out->pairs[out->npairs];
        double *py = *by_year + out->npairs * cy;
        out->npairs++;
        p->supplier = order[v[a].rs];
        p->customer = order[v[a].rc];
        /* over all years: a scheduled leg's whole schedule, a total
         * without a period whole (it is paid in some year) */
        for (size_t i = a; i < b; i++) {
            const dg_calendar_leg *fl = &cal->legs[v[i].leg];
            dg_left_out *o = v[i].financing ? &p->financing_left_out
                                            : &p->purchases_left_out;
            double *sum = v[i].financing ? &p->financing : &p->purchases;
            leave_out(o, fl);
            if (fl->state == DG_SCHED_SCHEDULED ||
                fl->state == DG_SCHED_UNSCHEDULED)
                *sum += fl->amount;
            if (v[i].financing && fl->state == DG_SCHED_SCHEDULED)
                for (size_t y = 0; y < cy; y++)
                    py[y] += fl->by_year[y];
        }
        const dg_left_out *fo = &p->financing_left_out,
                          *po = &p->purchases_left_out;
        /* the unscheduled totals are counted whole here, not left out */
        unsigned rests = (fo->undisclosed || po->undisclosed
                              ? DG_RESTS_UNDISCLOSED
                              : 0u) |
                         (fo->term_unknown || po->term_unknown
                              ? DG_RESTS_TERM_UNKNOWN
                              : 0u) |
                         (fo->unscheduled || po->unscheduled
                              ? DG_RESTS_UNSCHEDULED_WHOLE
                              : 0u);
        if (!(p->purchases > 0.0))
            p->ratio = na(DG_RESTS_NO_BASE | rests);
        else
            p->ratio = (dg_figure){
                p->financing / p->purchases, rests,
                bound_of(fo->undisclosed || fo->term_unknown,
                         po->undisclosed || po->term_unknown)};
    }
    free(v);
    return DG_OK;
}

/* ---- the ecological measures of one year ------------------------------------ */

typedef struct network_work {
    double *flow, *z, *shares;
    size_t *vertex, *group;
} network_work;

static int year_network(const dg_ledger *l, const dg_calendar *cal,
                        long ci, size_t *order, const size_t *rank,
                        size_t focus, network_work *w, dg_yearly_year *yy)
{
    size_t n = l->ncompanies, f = rank[focus];
    memset(w->flow, 0, n * n * sizeof *w->flow);
    for (size_t k = 0; k < cal->npairs; k++) {
        const dg_calendar_pair *p = &cal->pairs[k];
        w->flow[rank[p->from] * n + rank[p->to]] = p->by_year[ci];
    }
    for (size_t k = 0; k < n; k++) {
        dg_yearly_row *r = &yy->rows[k];
        const dg_calendar_company *cc = &cal->companies[order[k]];
        r->inflow = cc->in[ci];
        r->outflow = cc->out[ci];
        if (dg_has(r->revenue)) {
            /* revenue from outside the ledger: what the company earns
             * beyond what the ledger pays it */
            r->outside_rests = basis_bit(r->revenue_basis);
            r->outside_inflow = r->revenue - r->inflow;
            if (r->outside_inflow < 0.0) {
                r->outside_inflow = 0.0;
                r->outside_clamped = true;
            }
        } else {
            r->outside_rests = DG_RESTS_BALANCING;
            r->outside_inflow = r->outflow > r->inflow
                                    ? r->outflow - r->inflow
                                    : 0.0;
        }
        w->z[k] = r->outside_inflow;
    }
    dg_ena ena;
    memset(&ena, 0, sizeof ena);
    dg_singular why = {w->vertex, w->group, 0, 0};
    int rc = dg_netmath_ena(n, w->flow, w->z, &ena, &why);
    if (rc == DG_EINPUT) {
        /* a group passing money round with nothing from outside: the year
         * has no network figures, and says why */
        dg_flows fl;
        memset(&fl, 0, sizeof fl);
        fl.n = n;
        fl.company = order; /* read only */
        dg_diags d;
        dg_diags_init(&d);
        rc = dg_flows_singular_error(l, &fl, &why, &d);
        if (rc == DG_OK && d.count) {
            yy->network_error = dg_strdup(d.items[0].message);
            if (!yy->network_error)
                rc = DG_ENOMEM;
        }
        dg_diags_finish(&d);
        return rc;
    }
    if (rc != DG_OK)
        return rc;
    yy->network = true;
    yy->tst = ena.tst;
    yy->fci = ena.fci;
    yy->focus_cycling_share = ena.cycling[f];
    for (size_t x = 0; x < n && rc == DG_OK; x++) {
        dg_yearly_row *r = &yy->rows[x];
        double T = ena.throughflow[x];
        r->throughflow = T;
        if (!(T > 0.0))
            continue;
        r->direct_inflow_share = w->flow[f * n + x] / T;
        r->pass_through_share = dg_netmath_passthrough(&ena, x, f);
        r->origin_share = ena.origin[x * n + f];
        size_t ns = 0;
        for (size_t c = 0; c < n; c++)
            if (c != x && w->flow[c * n + x] > 0.0)
                w->shares[ns++] = w->flow[c * n + x] / T;
        if (dg_netmath_hhi(ns, w->shares, &r->inflow_hhi) != DG_OK)
            rc = DG_EINTERNAL; /* shares of T cannot exceed 1 */
    }
    dg_netmath_ena_finish(&ena);
    return rc;
}

/* ---- the whole ---------------------------------------------------------------- */

/* What one pass over the calendar's legs gathers. */
typedef struct gathered {
    double *paid;        /* n * cy: the focus's commercial legs to X */
    dg_left_out *paid_left; /* n */
    double *funding;     /* cy: equity and debt into the focus */
    double *supplier;    /* n * cy: financing to customers, by supplier */
    dg_left_out *supplier_left; /* n */
} gathered;

static void gather(const dg_ledger *l, const dg_calendar *cal, size_t focus,
                   gathered *g, dg_yearly *out)
{
    size_t cy = cal->nyears;
    for (size_t k = 0; k < cal->nlegs; k++) {
        const dg_calendar_leg *fl = &cal->legs[k];
        const dg_leg *leg = &l->legs[fl->leg];
        bool sched = fl->state == DG_SCHED_SCHEDULED;
        if (leg->from == focus) {
            leave_out(&out->commitments_left_out, fl);
            if (commercial(leg->kind) && leg->to != focus) {
                leave_out(&g->paid_left[leg->to], fl);
                for (size_t y = 0; sched && y < cy; y++)
                    g->paid[leg->to * cy + y] += fl->by_year[y];
            }
        }
        if (leg->to == focus && funding(leg->kind) && leg->from != focus) {
            leave_out(&out->funding_left_out, fl);
            for (size_t y = 0; sched && y < cy; y++)
                g->funding[y] += fl->by_year[y];
        }
    }
}

/* Each company's backlog share of the focus: its commercial legs to X
 * announced by X's rpo_as_of, their months after it. */
static int backlog(const dg_ledger *l, const dg_calendar *cal, size_t focus,
                   const size_t *order, dg_amounts amounts, dg_yearly *out)
{
    size_t n = l->ncompanies;
    out->backlog = calloc(n ? n : 1, sizeof *out->backlog);
    if (!out->backlog)
        return DG_ENOMEM;
    /* position in the backlog of each company (name order, focus left
     * out) */
    size_t *at = malloc((n ? n : 1) * sizeof *at);
    if (!at)
        return DG_ENOMEM;
    for (size_t k = 0; k < n; k++) {
        size_t c = order[k];
        if (c == focus) {
            at[c] = SIZE_MAX;
            continue;
        }
        at[c] = out->nbacklog;
        dg_yearly_backlog *b = &out->backlog[out->nbacklog++];
        b->company = c;
        b->rpo = l->companies[c].rpo;
        b->rpo_as_of = l->companies[c].rpo_as_of;
    }
    dg_schedule s;
    dg_schedule_init(&s);
    int rc = DG_OK;
    for (size_t k = 0; k < cal->nlegs && rc == DG_OK; k++) {
        const dg_calendar_leg *fl = &cal->legs[k];
        const dg_leg *leg = &l->legs[fl->leg];
        if (leg->from != focus || leg->to == focus || !commercial(leg->kind))
            continue;
        dg_yearly_backlog *b = &out->backlog[at[leg->to]];
        if (!dg_date_valid(b->rpo_as_of) ||
            dg_date_cmp(leg->announced, b->rpo_as_of) > 0)
            continue;
        b->legs++;
        leave_out(&b->left_out, fl);
        if (fl->state == DG_SCHED_UNSCHEDULED) {
            b->unscheduled += fl->amount;
        } else if (fl->state == DG_SCHED_SCHEDULED) {
            /* the months that start after rpo_as_of: from the month after
             * the one it falls in (a date with a year alone is its
             * December) */
            rc = dg_schedule_leg(leg, amounts, &s);
            if (rc == DG_OK)
                b->scheduled += dg_schedule_months(
                    &s, dg_month_of(b->rpo_as_of, true) + 1, INT_MAX / 2);
            else if (rc == DG_EINPUT)
                rc = DG_OK; /* cannot happen: the calendar scheduled it */
        }
    }
    dg_schedule_finish(&s);
    free(at);
    if (rc != DG_OK)
        return rc;
    for (size_t k = 0; k < out->nbacklog; k++) {
        dg_yearly_backlog *b = &out->backlog[k];
        const dg_left_out *o = &b->left_out;
        unsigned rests = (o->unscheduled ? DG_RESTS_UNSCHEDULED_WHOLE : 0u) |
                         (o->undisclosed ? DG_RESTS_UNDISCLOSED : 0u) |
                         (o->term_unknown ? DG_RESTS_TERM_UNKNOWN : 0u);
        if (!dg_has(b->rpo) || !dg_date_valid(b->rpo_as_of))
            b->share = na(DG_RESTS_NO_RPO);
        else if (!(b->rpo > 0.0))
            b->share = na(DG_RESTS_NO_BASE | rests);
        else
            b->share = (dg_figure){(b->scheduled + b->unscheduled) / b->rpo,
                                   rests,
                                   bound_of(o->undisclosed || o->term_unknown,
                                            false)};
    }
    return DG_OK;
}

/* The focus's figures in calendar year index ci, and the running gap. */
static void focus_year(const dg_ledger *l, const dg_calendar *cal,
                       const gathered *g, size_t focus, int year, long ci,
                       dg_yearly *out, dg_yearly_focus *fy)
{
    const dg_company *co = &l->companies[focus];
    fy->revenue = dg_series_get(&co->revenue, year, &fy->revenue_basis);
    fy->commitments = cal->companies[focus].out[ci];
    fy->funding = g->funding[ci];
    const dg_left_out *cl = &out->commitments_left_out,
                      *fl = &out->funding_left_out;
    unsigned lost = left_bits(cl) | left_bits(fl);
    dg_bound gap_bound = bound_of(any_left(cl), any_left(fl));
    if (!dg_has(fy->revenue)) {
        fy->coverage = fy->gap = na(DG_RESTS_NO_REVENUE);
    } else {
        unsigned b = basis_bit(fy->revenue_basis);
        if (fy->commitments > 0.0)
            fy->coverage = (dg_figure){fy->revenue / fy->commitments,
                                       b | left_bits(cl),
                                       bound_of(false, any_left(cl))};
        else
            fy->coverage = na(DG_RESTS_NO_BASE | b);
        fy->gap = (dg_figure){fy->commitments - fy->revenue - fy->funding,
                              b | lost, gap_bound};
    }
    /* the running sum from gap_from */
    if (year < out->gap_from) {
        fy->cumulative_gap = na(DG_RESTS_BEFORE_START);
        return;
    }
    double sum = 0.0;
    unsigned rests = lost;
    for (int y = out->gap_from; y <= year; y++) {
        dg_basis b;
        double rev = dg_series_get(&co->revenue, y, &b);
        long i = dg_calendar_year(cal, y);
        if (!dg_has(rev) || i < 0) {
            fy->cumulative_gap = na(DG_RESTS_NO_REVENUE);
            return;
        }
        rests |= basis_bit(b);
        sum += cal->companies[focus].out[i] - rev - g->funding[i];
    }
    fy->cumulative_gap = (dg_figure){sum, rests, gap_bound};
}

int dg_yearly_compute(const dg_ledger *l, size_t focus,
                      const dg_yearly_options *opt, dg_yearly *out,
                      dg_diags *diags)
{
    if (!out)
        return DG_EUSAGE;
    memset(out, 0, sizeof *out);
    if (!l || !opt || !diags || focus >= l->ncompanies)
        return DG_EUSAGE;
    int first = opt->first_year, last = opt->last_year;
    if (first < 1900 || last > 2999 || last < first)
        return years_error(diags, first, last);
    if (opt->network) {
        int lim = dg_matrix_limit(l, diags);
        if (lim != DG_OK)
            return lim;
    }
    int gap_from = opt->gap_from;
    if (!gap_from) {
        gap_from = dg_date_valid(opt->filter.as_of) ? opt->filter.as_of.year
                   : dg_date_valid(l->as_of)        ? l->as_of.year
                                                    : first;
    }
    if (gap_from < 1900 || gap_from > 2999)
        return years_error(diags, gap_from, last);

    size_t n = l->ncompanies;
    out->n = n;
    out->focus = focus;
    out->first_year = first;
    out->last_year = last;
    out->gap_from = gap_from;
    out->nyears = (size_t)(last - first + 1);

    dg_calendar cal;
    memset(&cal, 0, sizeof cal);
    dg_calendar_options co;
    dg_calendar_options_init(&co);
    co.filter = opt->filter;
    co.first_year = gap_from < first ? gap_from : first;
    co.last_year = last;
    gathered g;
    memset(&g, 0, sizeof g);
    network_work w;
    memset(&w, 0, sizeof w);
    double *pair_years = NULL;
    bool *is_supplier = NULL;
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    size_t *rank = malloc((n ? n : 1) * sizeof *rank);
    int rc = DG_ENOMEM;
    if (!order || !rank)
        goto done;
    rc = dg_calendar_compute(l, &co, &cal, diags);
    if (rc != DG_OK)
        goto done;
    rc = DG_ENOMEM;
    dg_name_order(l, order, rank);
    out->legs = cal.nlegs;
    out->filtered = cal.filtered;

    size_t cy = cal.nyears, nn = n ? n : 1;
    g.paid = calloc(nn * cy, sizeof *g.paid);
    g.paid_left = calloc(nn, sizeof *g.paid_left);
    g.funding = calloc(cy, sizeof *g.funding);
    g.supplier = calloc(nn * cy, sizeof *g.supplier);
    g.supplier_left = calloc(nn, sizeof *g.supplier_left);
    out->years = calloc(out->nyears, sizeof *out->years);
    if (!g.paid || !g.paid_left || !g.funding || !g.supplier ||
        !g.supplier_left || !out->years)
        goto done;
    gather(l, &cal, focus, &g, out);
    rc = backlog(l, &cal, focus, order, opt->filter.amounts, out);
    if (rc == DG_OK)
        rc = vendor_pairs(l, &cal, rank, order, out, &pair_years);
    if (rc != DG_OK)
        goto done;
    rc = DG_ENOMEM;

    /* each supplier's financing to its customers, and how many suppliers */
    is_supplier = calloc(nn, sizeof *is_supplier);
    if (!is_supplier)
        goto done;
    size_t nsup = 0;
    for (size_t p = 0; p < out->npairs; p++) {
        const dg_vendor_pair *vp = &out->pairs[p];
        size_t s = vp->supplier;
        nsup += !is_supplier[s];
        is_supplier[s] = true;
        const dg_left_out *o = &vp->financing_left_out;
        dg_left_out *so = &g.supplier_left[s];
        so->undisclosed += o->undisclosed;
        so->unscheduled += o->unscheduled;
        so->unscheduled_amount += o->unscheduled_amount;
        so->term_unknown += o->term_unknown;
        for (size_t y = 0; y < cy; y++)
            g.supplier[s * cy + y] += pair_years[p * cy + y];
    }

    if (opt->network) {
        w.flow = malloc(nn * nn * sizeof *w.flow);
        w.z = malloc(nn * sizeof *w.z);
        w.shares = malloc(nn * sizeof *w.shares);
        w.vertex = malloc(nn * sizeof *w.vertex);
        w.group = malloc(nn * sizeof *w.group);
        if (!w.flow || !w.z || !w.shares || !w.vertex || !w.group)
            goto done;
    }

    rc = DG_OK;
    for (size_t yi = 0; yi < out->nyears && rc == DG_OK; yi++) {
        dg_yearly_year *yy = &out->years[yi];
        int year = first + (int)yi;
        long ci = dg_calendar_year(&cal, year);
        yy->year = year;
        yy->tst = yy->fci = yy->focus_cycling_share = NAN;
        yy->rows = calloc(nn, sizeof *yy->rows);
        yy->suppliers = calloc(nsup ? nsup : 1, sizeof *yy->suppliers);
        if (!yy->rows || !yy->suppliers) {
            rc = DG_ENOMEM;
            break;
        }
        for (size_t k = 0; k < n; k++) {
            size_t x = order[k];
            dg_yearly_row *r = &yy->rows[k];
            r->company = x;
            r->paid = g.paid[x * cy + (size_t)ci];
            r->paid_left_out = g.paid_left[x];
            r->revenue = dg_series_get(&l->companies[x].revenue, year,
                                       &r->revenue_basis);
            r->inflow = r->outflow = r->outside_inflow = r->throughflow =
                r->direct_inflow_share = r->pass_through_share =
                    r->origin_share = r->inflow_hhi = NAN;
            if (x == focus) {
                r->dependence = r->ledger_share = na(0);
                continue;
            }
            r->dependence = share_of_revenue(r->paid, r->revenue,
                                             r->revenue_basis,
                                             &r->paid_left_out);
            r->customer_10pct = dg_has(r->dependence.value) &&
                                r->dependence.value >= 0.10;
            /* the balancing arithmetic of sections 1-6 on the year's
             * flows: T = inflow + max(0, outflow - inflow) */
            const dg_calendar_company *cc = &cal.companies[x];
            const dg_calendar_pair *p = dg_calendar_find(&cal, focus, x);
            double in = cc->in[ci], outf = cc->out[ci];
            double T = outf > in ? outf : in;
            dg_left_out pl = {0, 0, 0.0, 0};
            if (p) {
                pl.undisclosed = p->undisclosed_legs;
                pl.unscheduled = p->unscheduled_legs;
                pl.term_unknown = p->term_unknown_legs;
            }
            if (T > 0.0)
                r->ledger_share = (dg_figure){
                    (p ? p->by_year[ci] : 0.0) / T,
                    DG_RESTS_BALANCING | left_bits(&pl),
                    /* money left out would change both sides */
                    any_left(&pl) ? DG_BOUND_EITHER : DG_BOUND_EXACT};
            else
                r->ledger_share = na(DG_RESTS_BALANCING | DG_RESTS_NO_BASE);
        }
        for (size_t k = 0; k < n; k++) {
            size_t s = order[k];
            if (!is_supplier[s])
                continue;
            dg_yearly_supplier *sp = &yy->suppliers[yy->nsuppliers++];
            sp->company = s;
            sp->financing = g.supplier[s * cy + (size_t)ci];
            sp->revenue = dg_series_get(&l->companies[s].revenue, year,
                                        &sp->revenue_basis);
            sp->ratio = share_of_revenue(sp->financing, sp->revenue,
                                         sp->revenue_basis,
                                         &g.supplier_left[s]);
        }
        focus_year(l, &cal, &g, focus, year, ci, out, &yy->focus);
        if (opt->network)
            rc = year_network(l, &cal, ci, order, rank, focus, &w, yy);
    }

done:
    free(order);
    free(rank);
    free(g.paid);
    free(g.paid_left);
    free(g.funding);
    free(g.supplier);
    free(g.supplier_left);
    free(w.flow);
    free(w.z);
    free(w.shares);
    free(w.vertex);
    free(w.group);
    free(pair_years);
    free(is_supplier);
    dg_calendar_finish(&cal);
    return rc;
}
