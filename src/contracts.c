/*
 * contracts.c - the exposure matrix on contracts (contracts.h; PRODUCT.md
 * section 8): each leg read once, as a stake or as scheduled payments at a
 * loss rate, at a valuation date and over a horizon.
 */
#include "dealgraph/contracts.h"
#include "dealgraph/exposure.h"
#include "dealgraph/netmath.h"
#include "internal.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* docs/methods.md, "Loss rates", gives the source of each. */
static const double lgd_defaults[DG_KIND_COUNT] = {
    [DG_KIND_CHIPS] = 0.5,    [DG_KIND_CLOUD] = 0.35,
    [DG_KIND_SERVICES] = 0.5, [DG_KIND_EQUITY] = 1.0,
    [DG_KIND_WARRANT] = 1.0,  [DG_KIND_DEBT] = 1.0,
    [DG_KIND_LEASE] = 0.5,    [DG_KIND_BACKSTOP] = 1.0,
};

double dg_lgd_default(dg_kind kind)
{
    return (unsigned)kind < DG_KIND_COUNT ? lgd_defaults[kind] : NAN;
}

void dg_firmness_init(dg_firmness *f)
{
    static const double p[DG_STATUS_COUNT] = {
        [DG_STATUS_COMPLETED] = 1.0, [DG_STATUS_DEFINITIVE] = 0.9,
        [DG_STATUS_ANNOUNCED] = 0.75, [DG_STATUS_REPORTED] = 0.6,
        [DG_STATUS_LOI] = 0.3,        [DG_STATUS_TALKS] = 0.15,
    };
    memcpy(f->status, p, sizeof p);
    f->ceiling = 0.5;
}

double dg_firmness_weight(const dg_firmness *f, const dg_leg *leg)
{
    double w = (unsigned)leg->status < DG_STATUS_COUNT
                   ? f->status[leg->status]
                   : 0.0;
    return leg->upto ? w * f->ceiling : w;
}

void dg_contract_options_init(dg_contract_options *o)
{
    memset(o, 0, sizeof *o);
    dg_filter_init(&o->filter);
    o->horizon_months = DG_HORIZON_DEFAULT_MONTHS;
    for (int k = 0; k < DG_KIND_COUNT; k++)
        o->lgd[k] = lgd_defaults[k];
    o->firmness = false;
    dg_firmness_init(&o->prob);
}

void dg_contracts_finish(dg_contracts *c)
{
    if (!c)
        return;
    free(c->company);
    free(c->rank);
    free(c->exposure);
    free(c->due);
    free(c->legs);
    free(c->leg_years);
    memset(c, 0, sizeof *c);
}

double dg_contracts_outside_assets(const dg_contracts *c,
                                   const dg_company *co, bool *with_ocf)
{
    if (with_ocf)
        *with_ocf = false;
    if (!dg_has(co->cash))
        return NAN;
    double flow = 0.0;
    for (int y = c->first_year; y < c->first_year + c->nyears; y++) {
        double v = dg_series_get(&co->ocf, y, NULL);
        if (!dg_has(v))
            return co->cash; /* a year without a figure: cash alone */
        int lo = y * 12 > c->first_month ? y * 12 : c->first_month;
        int hi = y * 12 + 12 < c->end_month ? y * 12 + 12 : c->end_month;
        flow += v * (double)(hi - lo) / 12.0;
    }
    if (with_ocf)
        *with_ocf = true;
    double a = co->cash + flow;
    return a > 0.0 ? a : 0.0;
}

char *dg_month_text(int month, char *buf, size_t n)
{
    snprintf(buf, n, "%04d-%02d", dg_month_year(month), dg_month_month(month));
    return buf;
}

static bool unit(double x)
{
    return x >= 0.0 && x <= 1.0; /* false for NaN */
}

static bool is_stake(dg_kind k)
{
    return k == DG_KIND_EQUITY || k == DG_KIND_DEBT || k == DG_KIND_WARRANT;
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The first month with a day after t0: t0's own month, unless t0 is its
 * last day. A date without a day is its first day (as --as-of reads it),
 * so "2026-01" starts the window in January 2026. */
static int window_start(dg_date t0)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    int m = dg_month_of(t0, false);
    if (t0.day > 0 && t0.month > 0) {
        int last = days[t0.month - 1] + (t0.month == 2 && leap(t0.year));
        if (t0.day >= last)
            m++;
    }
    return m;
}

void dg_contract_leg_scaled(const dg_contract_leg *cl, double factor,
                            double *var, double *due_var)
{
    *var = 0.0;
    *due_var = 0.0;
    if (!dg_has(cl->value))
        return;
    double value = cl->value * factor;
    double unpaid = value > cl->paid ? value - cl->paid : 0.0;
    double window = cl->in_window * factor;
    if (cl->stake) {
        /* what is to be paid in by the end of the horizon beyond what has
         * been paid in already */
        double by_end = cl->by_end * factor;
        *var = by_end > cl->paid ? by_end - cl->paid : 0.0;
        /* a warrant delivers shares, not cash: it owes nothing due */
        *due_var = !cl->cash ? 0.0 : window < unpaid ? window : unpaid;
        return;
    }
    /* payments in the window, up to what a prepayment leaves unpaid */
    *var = window < unpaid ? window : unpaid;
    *due_var = *var;
}

/* One leg as a contract: its holder, obligor and figures, before the
 * weights. */
static int read_leg(const dg_ledger *l, size_t e, const dg_contract_options *o,
                    int first, int end, int first_year, int nyears,
                    dg_schedule *s, dg_contract_leg *cl, double *years)
{
    const dg_leg *leg = &l->legs[e];
    memset(cl, 0, sizeof *cl);
    cl->leg = e;
    cl->stake = is_stake(leg->kind);
    cl->cash = leg->kind != DG_KIND_WARRANT;
    cl->pledge = leg->upto || leg->status == DG_STATUS_LOI ||
                 leg->status == DG_STATUS_TALKS;
    /* The holder loses if the obligor fails: an investor or lender holds
     * a stake or loan in the investee or borrower (from -> to); a warrant's
     * holder (to) has a claim on its issuer (from); a seller or a
     * guarantee's beneficiary (to) is owed by the buyer or guarantor
     * (from). */
    bool investor_holds = leg->kind == DG_KIND_EQUITY ||
                          leg->kind == DG_KIND_DEBT;
    cl->holder = investor_holds ? leg->from : leg->to;
    cl->obligor = investor_holds ? leg->to : leg->from;
    cl->lgd = o->lgd[leg->kind];
    int rc = dg_schedule_leg(leg, o->filter.amounts, s);
    if (rc == DG_ENOMEM)
        return rc;
    cl->state = s->state;
    cl->term_unknown = s->term_unknown;
    cl->value = s->state == DG_SCHED_UNDISCLOSED ? NAN : s->amount;
    if (s->state == DG_SCHED_INVALID)
        cl->value = NAN; /* lint refuses these; nothing to read */
    if (s->state == DG_SCHED_SCHEDULED) {
        cl->in_window = dg_schedule_months(s, first, end);
        cl->by_end = dg_schedule_months(s, 0, end);
        for (int y = 0; y < nyears; y++)
            years[y] = dg_schedule_year(s, first_year + y);
    }
    if (dg_has(cl->value)) {
        double funded = dg_has(leg->funded) ? leg->funded : NAN;
        if (cl->stake)
            cl->paid = dg_has(funded) ? fmin(funded, cl->value)
                       : leg->status == DG_STATUS_COMPLETED ? cl->value
                                                            : 0.0;
        else
            cl->paid = dg_has(funded) ? fmin(funded, cl->value) : 0.0;
    }
    return DG_OK;
}

int dg_contracts_build(const dg_ledger *l, const dg_contract_options *opt,
                       dg_contracts *out, dg_diags *diags)
{
    if (!out)
        return DG_EUSAGE;
    memset(out, 0, sizeof *out);
    if (!l || !opt || !diags)
        return DG_EUSAGE;
    if (opt->horizon_months < 1 ||
        opt->horizon_months > DG_HORIZON_MAX_MONTHS ||
        !unit(opt->prob.ceiling))
        return DG_EUSAGE;
    for (int k = 0; k < DG_KIND_COUNT; k++)
        if (!unit(opt->lgd[k]))
            return DG_EUSAGE;
    for (int k = 0; k < DG_STATUS_COUNT; k++)
        if (!unit(opt->prob.status[k]))
            return DG_EUSAGE;
    size_t n = l->ncompanies;
    if (n > DG_MATRIX_MAX_COMPANIES || n > (size_t)INT_MAX ||
        (n && n > SIZE_MAX / sizeof(double) / n) ||
        l->nlegs > SIZE_MAX / sizeof(dg_entry) / 2)
        return DG_ELIMIT;

    dg_date t0 = dg_date_valid(opt->t0)             ? opt->t0
                 : dg_date_valid(opt->filter.as_of) ? opt->filter.as_of
                                                    : l->as_of;
    if (!dg_date_valid(t0)) {
        int rc = dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                              "the stress on contracts needs a valuation "
                              "date, and %s sets no `as_of`",
                              l->path ? l->path : "the ledger");
        return rc == DG_OK ? DG_EINPUT : rc;
    }
    dg_filter keep = opt->filter;
    if (!dg_date_valid(keep.as_of))
        keep.as_of = t0;
    out->t0 = t0;
    out->first_month = window_start(t0);
    out->end_month = out->first_month + opt->horizon_months;
    out->first_year = dg_month_year(out->first_month);
    out->nyears = dg_month_year(out->end_month - 1) - out->first_year + 1;

    size_t n1 = n ? n : 1, nl = l->nlegs ? l->nlegs : 1;
    size_t ny = (size_t)out->nyears;
    int rc = DG_ENOMEM;
    dg_entry *ea = malloc(nl * sizeof *ea);
    dg_entry *ed = malloc(nl * sizeof *ed);
    dg_schedule s;
    dg_schedule_init(&s);
    out->n = n;
    out->company = malloc(n1 * sizeof *out->company);
    out->rank = malloc(n1 * sizeof *out->rank);
    out->exposure = calloc(n ? n * n : 1, sizeof *out->exposure);
    out->due = calloc(n ? n * n : 1, sizeof *out->due);
    out->legs = calloc(nl, sizeof *out->legs);
    out->leg_years = calloc(nl * ny, sizeof *out->leg_years);
    if (!ea || !ed || !out->company || !out->rank || !out->exposure ||
        !out->due || !out->legs || !out->leg_years)
        goto done;
    dg_name_order(l, out->company, out->rank);

    size_t ma = 0, md = 0;
    for (size_t e = 0; e < l->nlegs; e++) {
        const dg_leg *leg = &l->legs[e];
        if (!dg_filter_keep(&keep, leg)) {
            out->filtered++;
            continue;
        }
        dg_contract_leg *cl = &out->legs[out->nlegs];
        double *years = out->leg_years + out->nlegs * ny;
        rc = read_leg(l, e, opt, out->first_month, out->end_month,
                      out->first_year, out->nyears, &s, cl, years);
        if (rc != DG_OK)
            goto done;
        out->nlegs++;
        if (!dg_has(cl->value)) {
            out->undisclosed++;
            continue;
        }
        if (cl->state == DG_SCHED_UNSCHEDULED) {
            out->unscheduled++;
            out->unscheduled_value += cl->value;
        }
        out->term_unknown += cl->term_unknown;

        /* the weights: firmness, or the rules of a claim at t0 */
        if (opt->firmness) {
            cl->weight = dg_firmness_weight(&opt->prob, leg);
            cl->due_weight = cl->weight;
        } else {
            cl->weight = cl->stake || cl->pledge ? 0.0 : 1.0;
            cl->due_weight = cl->pledge ? 0.0 : 1.0;
            if (cl->pledge) {
                out->pledges_out++;
                out->pledged_value += cl->value;
            } else if (cl->stake && cl->paid == 0.0) {
                out->unfunded_stakes++;
                out->unfunded_value += cl->value;
            }
        }
        cl->sure = cl->stake ? cl->paid : 0.0;
        double var, due_var;
        dg_contract_leg_scaled(cl, 1.0, &var, &due_var);
        cl->var = var;
        cl->due_var = due_var;
        cl->claim = cl->lgd * (cl->sure + cl->weight * cl->var);
        cl->due = cl->due_weight * cl->due_var;
        if (leg->from == leg->to)
            continue; /* a company's claim on itself is no exposure */
        size_t h = out->rank[cl->holder], o = out->rank[cl->obligor];
        if (cl->claim > 0.0)
            ea[ma++] = (dg_entry){h, o, cl->claim};
        if (cl->due > 0.0)
            ed[md++] = (dg_entry){out->rank[leg->from], out->rank[leg->to],
                                  cl->due};
    }
    /* pairs in name order, each pair's amounts smallest first */
    rc = dg_netmath_sum_entries(ea, ma, n, out->exposure);
    if (rc == DG_OK)
        rc = dg_netmath_sum_entries(ed, md, n, out->due);
done:
    dg_schedule_finish(&s);
    free(ea);
    free(ed);
    return rc;
}
