/*
 * timeline.c - the ledger at the end of each period, and the loops that
 * closed and broke between them (timeline.h).
 *
 * Each period's end is a snapshot: the filter with as_of = that day keeps
 * the legs announced by then and not ended by then (dg_filter_keep), and
 * the loops of the snapshot are compared by id with the previous one's.
 * A loop's id comes from its companies' canonical rotation, so the same
 * loop has the same id in every snapshot.
 */
#include "dealgraph/timeline.h"
#include "dealgraph/loops.h"
#include "dealgraph/loopset.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const step_names[] = {"month", "quarter", "year"};

const char *dg_step_name(dg_step s)
{
    return (unsigned)s <= DG_STEP_YEAR ? step_names[s] : "?";
}

bool dg_step_parse(const char *text, dg_step *out)
{
    for (int k = 0; k <= DG_STEP_YEAR; k++)
        if (strcmp(text, step_names[k]) == 0) {
            *out = (dg_step)k;
            return true;
        }
    return false;
}

void dg_timeline_options_init(dg_timeline_options *o)
{
    memset(o, 0, sizeof *o);
    dg_filter_init(&o->filter);
    o->step = DG_STEP_QUARTER;
    o->focus = SIZE_MAX;
}

void dg_timeline_finish(dg_timeline *t)
{
    for (size_t k = 0; k < t->nevents; k++)
        free(t->events[k].companies);
    free(t->events);
    free(t->points);
    memset(t, 0, sizeof *t);
}

/* ---- periods ------------------------------------------------------------- */

static int month_days(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

static int months_per(dg_step s)
{
    return s == DG_STEP_MONTH ? 1 : s == DG_STEP_QUARTER ? 3 : 12;
}

/* The period (as a month index, year * 12 + month - 1, of its first
 * month) holding date d. A date without a month is January's. */
static int period_of(dg_date d, dg_step s)
{
    int m = d.year * 12 + (d.month ? d.month - 1 : 0);
    return m - m % months_per(s);
}

/* The last day of the period starting at month index `first`. */
static dg_date period_end(int first, dg_step s)
{
    int last = first + months_per(s) - 1;
    int y = last / 12, m = last % 12 + 1;
    return (dg_date){(int16_t)y, (int8_t)m, (int8_t)month_days(y, m)};
}

/* The legs that can appear at all: kinds and firmness (the dates are the
 * snapshots'). */
static bool counts(const dg_filter *f, const dg_leg *g)
{
    dg_filter any = *f;
    any.as_of = (dg_date){0, 0, 0};
    /* dg_filter_keep without a date drops ended legs: a timeline shows
     * them while they lasted */
    if (g->status > any.min_status)
        return false;
    return !any.kinds || (any.kinds & (1u << g->kind));
}

/* ---- one snapshot -------------------------------------------------------- */

typedef struct pair {
    size_t from, to;
} pair;

static int by_pair(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return (x->to > y->to) - (x->to < y->to);
}

/* Legs, value, the focus's value and the hops of the snapshot `f`. */
static int snapshot(const dg_ledger *l, const dg_filter *f, size_t focus,
                    dg_timeline_point *p, pair *scratch, size_t *nhops)
{
    double focus_value = 0;
    size_t n = 0;
    for (size_t i = 0; i < l->nlegs; i++) {
        const dg_leg *g = &l->legs[i];
        if (!dg_filter_keep(f, g))
            continue;
        p->legs++;
        double v = dg_leg_value(g, f->amounts);
        if (dg_has(v)) {
            p->value += v;
            if (g->from == focus || g->to == focus)
                focus_value += v;
        } else {
            p->undisclosed++;
        }
        if (g->from != g->to)
            scratch[n++] = (pair){g->from, g->to};
    }
    qsort(scratch, n, sizeof *scratch, by_pair);
    size_t hops = 0;
    for (size_t k = 0; k < n; k++)
        if (k == 0 || by_pair(&scratch[k], &scratch[k - 1]) != 0)
            scratch[hops++] = scratch[k];
    *nhops = hops;
    p->focus_share = focus == SIZE_MAX || !(p->value > 0)
                         ? NAN
                         : focus_value / p->value;
    return DG_OK;
}

/* ---- events -------------------------------------------------------------- */

/* The leg that closed `loop` by date d: each hop is there from its first
 * leg; the loop from the last hop to arrive. */
static size_t closing_leg(const dg_ledger *l, const dg_loop *loop)
{
    size_t best = SIZE_MAX;
    for (size_t h = 0; h < loop->length; h++) {
        const dg_hop *hop = &loop->hops[h];
        size_t first = SIZE_MAX;
        for (size_t k = 0; k < hop->nlegs; k++) {
            size_t g = hop->legs[k];
            if (first == SIZE_MAX ||
                dg_date_cmp(l->legs[g].announced, l->legs[first].announced) <
                    0)
                first = g;
        }
        if (first != SIZE_MAX &&
            (best == SIZE_MAX ||
             dg_date_cmp(l->legs[first].announced, l->legs[best].announced) >
                 0))
            best = first;
    }
    return best;
}

/* The leg that broke `loop` (a loop of the previous snapshot): on some hop
 * every leg has ended by now; the one that ended last is the breaker. */
static size_t breaking_leg(const dg_ledger *l, const dg_loop *loop,
                           const dg_filter *now)
{
    size_t best = SIZE_MAX;
    for (size_t h = 0; h < loop->length; h++) {
        const dg_hop *hop = &loop->hops[h];
        size_t last = SIZE_MAX;
        bool gone = true;
        for (size_t k = 0; k < hop->nlegs && gone; k++) {
            size_t g = hop->legs[k];
            if (dg_filter_keep(now, &l->legs[g]))
                gone = false;
            else if (last == SIZE_MAX ||
                     dg_date_cmp(l->legs[g].ends, l->legs[last].ends) > 0)
                last = g;
        }
        if (gone && last != SIZE_MAX &&
            (best == SIZE_MAX ||
             dg_date_cmp(l->legs[last].ends, l->legs[best].ends) > 0))
            best = last;
    }
    return best;
}

static int add_event(dg_timeline *t, size_t *cap, const dg_ledger *l,
                     const dg_loop *loop, bool closed, size_t point,
                     size_t leg)
{
    if (t->nevents == *cap) {
        size_t c = *cap ? 2 * *cap : 16;
        dg_timeline_event *e = realloc(t->events, c * sizeof *e);
        if (!e)
            return DG_ENOMEM;
        t->events = e;
        *cap = c;
    }
    dg_buf b;
    dg_buf_init(&b);
    dg_loop_companies_text(l, loop, " > ", true, &b);
    char *text = dg_buf_take(&b);
    if (!text)
        return DG_ENOMEM;
    dg_timeline_event *e = &t->events[t->nevents++];
    memset(e, 0, sizeof *e);
    memcpy(e->id, loop->id, sizeof e->id);
    e->closed = closed;
    e->point = point;
    e->leg = leg;
    if (leg != SIZE_MAX)
        e->date = closed ? l->legs[leg].announced : l->legs[leg].ends;
    e->companies = text;
    e->length = loop->length;
    return DG_OK;
}

/* Loops in `cur` not in `prev` closed; those in `prev` not in `cur` broke.
 * Both sets are in id order. */
static int compare_sets(dg_timeline *t, size_t *cap, const dg_ledger *l,
                        const dg_loopset *prev, const dg_loopset *cur,
                        const dg_filter *now, size_t point)
{
    size_t np = prev ? dg_loopset_count(prev) : 0, nc = dg_loopset_count(cur);
    size_t i = 0, j = 0;
    int rc = DG_OK;
    /* closed first, then broke, each in id order */
    for (int pass = 0; pass < 2 && rc == DG_OK; pass++) {
        i = j = 0;
        while ((i < np || j < nc) && rc == DG_OK) {
            const dg_loop *a = i < np ? dg_loopset_loop(prev, i) : NULL;
            const dg_loop *b = j < nc ? dg_loopset_loop(cur, j) : NULL;
            int c = !a ? 1 : !b ? -1 : strcmp(a->id, b->id);
            if (c == 0) {
                i++;
                j++;
            } else if (c > 0) { /* only in cur: closed */
                if (pass == 0)
                    rc = add_event(t, cap, l, b, true, point,
                                   closing_leg(l, b));
                j++;
            } else { /* only in prev: broke */
                if (pass == 1)
                    rc = add_event(t, cap, l, a, false, point,
                                   breaking_leg(l, a, now));
                i++;
            }
        }
    }
    return rc;
}

/* Events by period, then date, closings before breaks, then id. */
static int by_event(const void *a, const void *b)
{
    const dg_timeline_event *x = a, *y = b;
    if (x->point != y->point)
        return x->point < y->point ? -1 : 1;
    int c = dg_date_cmp(x->date, y->date);
    if (c)
        return c;
    if (x->closed != y->closed)
        return x->closed ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* ---- the timeline -------------------------------------------------------- */

int dg_timeline_compute(const dg_ledger *l, const dg_timeline_options *opt,
                        dg_timeline *out, dg_diags *diags)
{
    memset(out, 0, sizeof *out);
    dg_date first = {0, 0, 0}, last = {0, 0, 0};
    for (size_t i = 0; i < l->nlegs; i++) {
        const dg_leg *g = &l->legs[i];
        if (!counts(&opt->filter, g) || !dg_date_valid(g->announced))
            continue;
        if (!dg_date_valid(first) || dg_date_cmp(g->announced, first) < 0)
            first = g->announced;
        if (!dg_date_valid(last) || dg_date_cmp(g->announced, last) > 0)
            last = g->announced;
        if (dg_date_valid(g->ends) && dg_date_cmp(g->ends, last) > 0)
            last = g->ends;
    }
    if (!dg_date_valid(first)) {
        int rc = dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                              "no leg passes the filters: there is no "
                              "timeline to draw");
        return rc == DG_OK ? DG_EUSAGE : rc;
    }
    if (dg_date_valid(l->as_of) && dg_date_cmp(l->as_of, last) > 0)
        last = l->as_of;
    if (dg_date_valid(opt->filter.as_of))
        last = opt->filter.as_of;
    if (dg_date_cmp(last, first) < 0) {
        char d[16];
        int rc = dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                              "the timeline would end (%s) before the first "
                              "leg was announced",
                              dg_date_format(last, d, sizeof d));
        return rc == DG_OK ? DG_EUSAGE : rc;
    }
    int p0 = period_of(first, opt->step), p1 = period_of(last, opt->step);
    size_t n = (size_t)((p1 - p0) / months_per(opt->step) + 1);
    if (n > DG_TIMELINE_MAX_PERIODS) {
        char d1[16], d2[16];
        int rc = dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                              "the legs run from %s to %s: %zu %ss, more "
                              "than the %d a timeline takes; count by a "
                              "longer period or end it earlier",
                              dg_date_format(first, d1, sizeof d1),
                              dg_date_format(last, d2, sizeof d2), n,
                              dg_step_name(opt->step),
                              DG_TIMELINE_MAX_PERIODS);
        return rc == DG_OK ? DG_ELIMIT : rc;
    }
    out->points = calloc(n, sizeof *out->points);
    pair *scratch = malloc((l->nlegs ? l->nlegs : 1) * sizeof *scratch);
    if (!out->points || !scratch) {
        free(scratch);
        dg_timeline_finish(out);
        return DG_ENOMEM;
    }
    out->npoints = n;
    dg_loopset *prev = NULL;
    size_t cap = 0;
    int rc = DG_OK;
    dg_date prev_end = {0, 0, 0};
    for (size_t k = 0; k < n && rc == DG_OK; k++) {
        int start = p0 + (int)k * months_per(opt->step);
        dg_timeline_point *p = &out->points[k];
        p->end = period_end(start, opt->step);
        if (dg_date_valid(opt->filter.as_of) &&
            dg_date_cmp(opt->filter.as_of, p->end) < 0)
            p->end = opt->filter.as_of; /* the last period stops there */
        p->year = start / 12;
        p->period = opt->step == DG_STEP_MONTH     ? start % 12 + 1
                    : opt->step == DG_STEP_QUARTER ? start % 12 / 3 + 1
                                                   : 0;
        dg_filter f = opt->filter;
        f.as_of = p->end;
        size_t hops = 0;
        rc = snapshot(l, &f, opt->focus, p, scratch, &hops);
        for (size_t i = 0; i < l->nlegs; i++) {
            const dg_leg *g = &l->legs[i];
            if (!counts(&opt->filter, g))
                continue;
            if (dg_date_cmp(g->announced, p->end) <= 0 &&
                (!dg_date_valid(prev_end) ||
                 dg_date_cmp(g->announced, prev_end) > 0))
                p->announced++;
            if (dg_date_valid(g->ends) && dg_date_cmp(g->ends, p->end) <= 0 &&
                (!dg_date_valid(prev_end) ||
                 dg_date_cmp(g->ends, prev_end) > 0))
                p->ended++;
        }
        double looped = 0, looped_focus = 0;
        size_t undisclosed_hops = 0;
        if (rc == DG_OK)
            rc = dg_loops_value(l, &f, opt->focus, &looped, &looped_focus,
                                &undisclosed_hops);
        p->looped_value = looped;
        p->focus_looped_share = opt->focus == SIZE_MAX || !(looped > 0)
                                    ? NAN
                                    : looped_focus / looped;
        dg_loop_options lo;
        dg_loop_options_init(&lo);
        lo.filter = f;
        lo.max_len = opt->max_len;
        lo.max_seconds = DG_LOOPS_AUTO_SECONDS;
        dg_loopset *cur = NULL;
        if (rc == DG_OK)
            rc = dg_loopset_collect(l, &lo, 0, &cur, diags);
        if (rc == DG_OK)
            rc = dg_loopset_sort(cur, DG_LOOP_ORDER_ID);
        if (rc == DG_OK) {
            if (!dg_loopset_complete(cur))
                out->cut_short = true;
            const dg_loop_stats *st = dg_loopset_stats(cur);
            p->loops = st->count;
            p->two_company_loops = st->by_length[2];
            p->reciprocity = hops ? 2.0 * (double)st->by_length[2] /
                                        (double)hops
                                  : NAN;
            rc = compare_sets(out, &cap, l, prev, cur, &f, k);
        }
        dg_loopset_destroy(prev);
        prev = cur;
        prev_end = p->end;
    }
    dg_loopset_destroy(prev);
    free(scratch);
    if (rc != DG_OK)
        dg_timeline_finish(out);
    else if (out->nevents > 1)
        qsort(out->events, out->nevents, sizeof *out->events, by_event);
    return rc;
}
