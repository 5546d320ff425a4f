/*
 * calendar.c - the flow calendar (calendar.h): every leg scheduled once, summed
 * per pair and per company by calendar year.
 */
#include "dealgraph/calendar.h"
#include "internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_YEARS DG_CALENDAR_MAX_YEARS

void dg_calendar_options_init(dg_calendar_options *o)
{
    memset(o, 0, sizeof *o);
    dg_filter_init(&o->filter);
}

void dg_calendar_finish(dg_calendar *f)
{
    for (size_t k = 0; f->legs && k < f->nlegs; k++)
        free(f->legs[k].by_year);
    for (size_t k = 0; f->pairs && k < f->npairs; k++)
        free(f->pairs[k].by_year);
    for (size_t k = 0; f->companies && k < f->ncompanies; k++) {
        free(f->companies[k].in);
        free(f->companies[k].out);
    }
    free(f->legs);
    free(f->total);
    free(f->pairs);
    free(f->companies);
    free(f->rank);
    memset(f, 0, sizeof *f);
}

static int by_rank(const void *a, const void *b, const size_t *rank)
{
    const dg_calendar_pair *x = a, *y = b;
    if (rank[x->from] != rank[y->from])
        return rank[x->from] < rank[y->from] ? -1 : 1;
    return (rank[x->to] > rank[y->to]) - (rank[x->to] < rank[y->to]);
}

/* qsort has no context argument: the pairs are sorted by keys that carry
 * their ends' ranks in name order. */
typedef struct keyed {
    size_t rf, rt;
    size_t from, to;
} keyed;

static int by_key(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->rf != y->rf)
        return x->rf < y->rf ? -1 : 1;
    return (x->rt > y->rt) - (x->rt < y->rt);
}

/* The index of the pair from -> to, or npairs when there is none. */
static size_t pair_index(const dg_calendar *f, size_t from, size_t to)
{
    if (!f->rank || from >= f->ncompanies || to >= f->ncompanies)
        return f->npairs;
    dg_calendar_pair key = {.from = from, .to = to};
    size_t lo = 0, hi = f->npairs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = by_rank(&f->pairs[mid], &key, f->rank);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return f->npairs;
}

const dg_calendar_pair *dg_calendar_find(const dg_calendar *f, size_t from,
                                         size_t to)
{
    size_t k = pair_index(f, from, to);
    return k < f->npairs ? &f->pairs[k] : NULL;
}

/* The default years: from the earliest scheduled year to five years after
 * the ledger's as_of (else its latest announcement). */
static void default_years(const dg_ledger *l, const dg_calendar_options *opt,
                          int earliest, int *first, int *last)
{
    int ref = 0;
    if (dg_date_valid(opt->filter.as_of))
        ref = opt->filter.as_of.year;
    else if (dg_date_valid(l->as_of))
        ref = l->as_of.year;
    else
        for (size_t i = 0; i < l->nlegs; i++)
            if (l->legs[i].announced.year > ref)
                ref = l->legs[i].announced.year;
    if (!ref)
        ref = earliest ? earliest : 2000;
    *first = earliest && earliest < ref ? earliest : ref;
    *last = ref + 5;
    if (*last - *first + 1 > DG_CALENDAR_DEFAULT_YEARS)
        *first = *last - DG_CALENDAR_DEFAULT_YEARS + 1;
}

int dg_calendar_compute(const dg_ledger *l, const dg_calendar_options *opt,
                     dg_calendar *out, dg_diags *diags)
{
    memset(out, 0, sizeof *out);
    dg_calendar_options defaults;
    if (!opt) {
        dg_calendar_options_init(&defaults);
        opt = &defaults;
    }
    bool given = opt->first_year || opt->last_year;
    if (given) {
        const char *why = NULL;
        if (opt->first_year < 1900 || opt->last_year > 2999 ||
            opt->last_year < 1900 || opt->first_year > 2999)
            why = "lie outside 1900-2999";
        else if (opt->last_year < opt->first_year)
            why = "run backwards";
        else if (opt->last_year - opt->first_year + 1 > MAX_YEARS)
            why = "are too many";
        if (why) {
            int rc = dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                                  "the years %d-%d %s; give a range of at "
                                  "most %d years from 1900 to 2999 that "
                                  "runs forward",
                                  opt->first_year, opt->last_year, why,
                                  MAX_YEARS);
            return rc == DG_OK ? DG_EUSAGE : rc;
        }
    }
    size_t n = l->nlegs, nc = l->ncompanies;
    out->ncompanies = nc;
    out->legs = calloc(n ? n : 1, sizeof *out->legs);
    out->companies = calloc(nc ? nc : 1, sizeof *out->companies);
    out->rank = malloc((nc ? nc : 1) * sizeof *out->rank);
    size_t *order = malloc((nc ? nc : 1) * sizeof *order);
    keyed *keys = malloc((n ? n : 1) * sizeof *keys);
    dg_schedule s;
    dg_schedule_init(&s);
    int rc = DG_ENOMEM;
    if (!out->legs || !out->companies || !out->rank || !order || !keys)
        goto done;
    dg_name_order(l, order, out->rank);

    /* Without years given, a first pass finds the earliest scheduled
     * month. */
    int earliest = 0;
    for (size_t i = 0; !given && i < n; i++) {
        const dg_leg *g = &l->legs[i];
        if (!dg_filter_keep(&opt->filter, g))
            continue;
        int r = dg_schedule_leg(g, opt->filter.amounts, &s);
        if (r == DG_ENOMEM)
            goto done;
        if (s.state == DG_SCHED_SCHEDULED && s.nmonths) {
            int y = dg_month_year(s.first_month);
            if (!earliest || y < earliest)
                earliest = y;
        }
    }
    if (given) {
        out->first_year = opt->first_year;
        out->last_year = opt->last_year;
    } else {
        default_years(l, opt, earliest, &out->first_year, &out->last_year);
    }
    size_t ny = (size_t)(out->last_year - out->first_year + 1);
    out->nyears = ny;
    out->total = calloc(ny, sizeof(double));
    if (!out->total)
        goto done;
    for (size_t c = 0; c < nc; c++) {
        out->companies[c].in = calloc(ny, sizeof(double));
        out->companies[c].out = calloc(ny, sizeof(double));
        if (!out->companies[c].in || !out->companies[c].out)
            goto done;
    }

    /* The second pass schedules each leg into the years. */
    size_t nk = 0;
    int from_month = out->first_year * 12, to_month = (out->last_year + 1) * 12;
    for (size_t i = 0; i < n; i++) {
        const dg_leg *g = &l->legs[i];
        if (!dg_filter_keep(&opt->filter, g)) {
            out->filtered++;
            continue;
        }
        int r = dg_schedule_leg(g, opt->filter.amounts, &s);
        if (r == DG_ENOMEM)
            goto done;
        dg_calendar_leg *fl = &out->legs[out->nlegs++];
        fl->leg = i;
        fl->state = s.state;
        fl->amount = s.amount;
        fl->term_unknown = s.term_unknown;
        fl->one_off = s.one_off;
        keys[nk++] = (keyed){out->rank[g->from], out->rank[g->to], g->from,
                             g->to};
        dg_calendar_company *fc = &out->companies[g->from];
        dg_calendar_company *tc = &out->companies[g->to];
        fc->legs_out++;
        tc->legs_in++;
        if (s.state == DG_SCHED_UNDISCLOSED) {
            fc->undisclosed_out++;
            tc->undisclosed_in++;
            out->undisclosed_legs++;
            continue;
        }
        if (s.state == DG_SCHED_UNSCHEDULED) {
            fc->unscheduled_out += s.amount;
            tc->unscheduled_in += s.amount;
            fc->unscheduled_legs_out++;
            tc->unscheduled_legs_in++;
            out->unscheduled += s.amount;
            out->unscheduled_legs++;
            continue;
        }
        if (s.state != DG_SCHED_SCHEDULED) {
            out->invalid_legs++;
            continue;
        }
        out->scheduled_legs++;
        out->one_off_legs += s.one_off;
        if (s.term_unknown) {
            fc->term_unknown_out++;
            tc->term_unknown_in++;
            out->term_unknown_legs++;
        }
        fl->by_year = calloc(ny, sizeof(double));
        if (!fl->by_year)
            goto done;
        fl->before = dg_schedule_months(&s, INT32_MIN / 2, from_month);
        fl->after = dg_schedule_months(&s, to_month, INT32_MAX / 2);
        fc->before_out += fl->before;
        tc->before_in += fl->before;
        out->before += fl->before;
        fc->after_out += fl->after;
        tc->after_in += fl->after;
        out->after += fl->after;
        for (size_t y = 0; y < ny; y++) {
            double v = dg_schedule_year(&s, out->first_year + (int)y);
            fl->by_year[y] = v;
            fc->out[y] += v;
            tc->in[y] += v;
            out->total[y] += v;
        }
    }

    /* The pairs, by the names of their ends. */
    qsort(keys, nk, sizeof *keys, by_key);
    size_t np = 0;
    for (size_t k = 0; k < nk; k++)
        if (k == 0 || by_key(&keys[k], &keys[k - 1]) != 0)
            keys[np++] = keys[k];
    out->pairs = calloc(np ? np : 1, sizeof *out->pairs);
    if (!out->pairs)
        goto done;
    out->npairs = np;
    for (size_t k = 0; k < np; k++) {
        out->pairs[k].from = keys[k].from;
        out->pairs[k].to = keys[k].to;
        out->pairs[k].by_year = calloc(ny, sizeof(double));
        if (!out->pairs[k].by_year)
            goto done;
    }
    for (size_t k = 0; k < out->nlegs; k++) {
        const dg_calendar_leg *fl = &out->legs[k];
        const dg_leg *g = &l->legs[fl->leg];
        size_t pk = pair_index(out, g->from, g->to);
        if (pk == out->npairs)
            continue; /* cannot happen: every leg made its pair */
        dg_calendar_pair *p = &out->pairs[pk];
        switch (fl->state) {
        case DG_SCHED_UNDISCLOSED:
            p->undisclosed_legs++;
            break;
        case DG_SCHED_UNSCHEDULED:
            p->unscheduled += fl->amount;
            p->unscheduled_legs++;
            break;
        case DG_SCHED_SCHEDULED:
            p->term_unknown_legs += fl->term_unknown;
            p->before += fl->before;
            p->after += fl->after;
            for (size_t y = 0; y < ny; y++)
                p->by_year[y] += fl->by_year[y];
            break;
        default:
            break;
        }
    }
    rc = DG_OK;
done:
    dg_schedule_finish(&s);
    free(order);
    free(keys);
    return rc;
}
