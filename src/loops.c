/*
 * loops.c - closed value loops of a ledger.
 *
 * The company graph has one vertex per company, numbered in name order so
 * that the cycle engine's canonical rotation (start at the smallest
 * vertex) is the rotation that starts at the lexicographically smallest
 * company name, and one arc per ordered pair of companies joined by at
 * least one leg that passes the filter (a hop). Each cycle the engine
 * streams is described here from its hops' legs, into buffers sized once:
 * nothing is allocated per loop.
 */
#include "dealgraph/loops.h"
#include "cycles.h"
#include "internal.h"

#include "igraph_boundary.h"
#include "scc.h"
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const pattern_keys[DG_PATTERN_COUNT] = {
    "vendor_financing", "equity_for_purchase", "capacity_round_trip",
    "multi_party",
};

static const char *const pattern_names[DG_PATTERN_COUNT] = {
    "vendor financing", "equity for purchase", "capacity round trip",
    "multi-party",
};

const char *dg_pattern_key(dg_pattern p)
{
    return (unsigned)p < DG_PATTERN_COUNT ? pattern_keys[p] : "?";
}

const char *dg_pattern_name(dg_pattern p)
{
    return (unsigned)p < DG_PATTERN_COUNT ? pattern_names[p] : "?";
}

void dg_loop_options_init(dg_loop_options *o)
{
    memset(o, 0, sizeof *o);
    dg_filter_init(&o->filter);
    o->min_value = NAN;
    o->window_days = -1;
}

/* Appends s to buf (n bytes) at *len, cutting at the end of the buffer. */
static void sig_put(char *buf, size_t n, size_t *len, const char *s)
{
    for (; *s && *len + 1 < n; s++)
        buf[(*len)++] = *s;
}

char *dg_loop_signature(const dg_loop *loop, char *buf, size_t n)
{
    /* written in place: no allocation that could fail and leave it short */
    if (!n)
        return buf;
    size_t len = 0;
    for (size_t i = 0; i < loop->length; i++) {
        if (i)
            sig_put(buf, n, &len, ">");
        bool first = true;
        for (int k = 0; k < DG_KIND_COUNT; k++) {
            if (!(loop->hops[i].kinds & (1u << k)))
                continue;
            if (!first)
                sig_put(buf, n, &len, "+");
            sig_put(buf, n, &len, dg_kind_name((dg_kind)k));
            first = false;
        }
    }
    buf[len] = '\0';
    return buf;
}

void dg_kinds_text(unsigned kinds, dg_buf *b)
{
    bool first = true;
    for (int k = 0; k < DG_KIND_COUNT; k++) {
        if (!(kinds & (1u << k)))
            continue;
        if (!first)
            dg_buf_putc(b, '+');
        dg_buf_puts(b, dg_kind_name((dg_kind)k));
        first = false;
    }
}

void dg_loop_signature_text(const dg_loop *loop, dg_buf *b)
{
    for (size_t i = 0; i < loop->length; i++) {
        if (i)
            dg_buf_putc(b, '>');
        dg_kinds_text(loop->hops[i].kinds, b);
    }
}

void dg_loop_path_text(const dg_ledger *l, const dg_loop *loop, dg_buf *b)
{
    dg_buf_puts(b, l->companies[loop->companies[0]].name);
    for (size_t i = 0; i < loop->length; i++) {
        dg_buf_puts(b, " -");
        dg_kinds_text(loop->hops[i].kinds, b);
        dg_buf_puts(b, "-> ");
        dg_buf_puts(b, l->companies[loop->hops[i].to].name);
    }
}

void dg_loop_companies_text(const dg_ledger *l, const dg_loop *loop,
                            const char *sep, bool closed, dg_buf *b)
{
    size_t n = loop->length + (closed && loop->length);
    for (size_t i = 0; i < n; i++) {
        if (i)
            dg_buf_puts(b, sep);
        dg_buf_puts(b, l->companies[loop->companies[i % loop->length]].name);
    }
}

/* ---- the company graph ------------------------------------------------------ */

typedef struct company_graph {
    uint32_t n;
    size_t *company;   /* vertex -> company index (name order) */
    uint32_t *vertex;  /* company index -> vertex */
    uint32_t *off;     /* CSR over hops: n + 1 */
    uint32_t *adj;     /* hop -> head vertex */
    size_t *leg_off;   /* hop -> first entry in legs; nhops + 1 */
    size_t *legs;      /* leg indexes, grouped by hop, file order */
    double *value;     /* per hop: sum of known leg values; NaN if none */
    bool *partial;     /* per hop: some leg without a value */
    unsigned *kinds;   /* per hop: kind mask */
    uint8_t *firmness; /* per hop: least firm status */
    size_t nhops;
} company_graph;

static void graph_finish(company_graph *g)
{
    free(g->company);
    free(g->vertex);
    free(g->off);
    free(g->adj);
    free(g->leg_off);
    free(g->legs);
    free(g->value);
    free(g->partial);
    free(g->kinds);
    free(g->firmness);
    memset(g, 0, sizeof *g);
}

typedef struct arc {
    uint32_t u, v;
    size_t leg;
} arc;

static int by_arc(const void *a, const void *b)
{
    const arc *x = a, *y = b;
    if (x->u != y->u)
        return x->u < y->u ? -1 : 1;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return (x->leg > y->leg) - (x->leg < y->leg);
}

static int graph_build(company_graph *g, const dg_ledger *l,
                       const dg_filter *f)
{
    memset(g, 0, sizeof *g);
    if (l->ncompanies >= UINT32_MAX || l->nlegs >= UINT32_MAX)
        return DG_ELIMIT;
    size_t n = l->ncompanies;
    g->n = (uint32_t)n;
    g->company = malloc((n ? n : 1) * sizeof *g->company);
    g->vertex = malloc((n ? n : 1) * sizeof *g->vertex);
    g->off = calloc(n + 1, sizeof *g->off);
    arc *arcs = malloc((l->nlegs ? l->nlegs : 1) * sizeof *arcs);
    if (!g->company || !g->vertex || !g->off || !arcs) {
        free(arcs);
        graph_finish(g);
        return DG_ENOMEM;
    }
    dg_name_order(l, g->company, NULL);
    for (size_t v = 0; v < n; v++)
        g->vertex[g->company[v]] = (uint32_t)v;

    size_t m = 0;
    for (size_t i = 0; i < l->nlegs; i++) {
        const dg_leg *leg = &l->legs[i];
        if (!dg_filter_keep(f, leg) || leg->from == leg->to)
            continue;
        arcs[m++] = (arc){g->vertex[leg->from], g->vertex[leg->to], i};
    }
    qsort(arcs, m, sizeof *arcs, by_arc);
    size_t hops = 0;
    for (size_t i = 0; i < m; i++)
        hops += i == 0 || arcs[i].u != arcs[i - 1].u ||
                arcs[i].v != arcs[i - 1].v;
    g->nhops = hops;
    size_t hn = hops ? hops : 1;
    g->adj = malloc(hn * sizeof *g->adj);
    g->leg_off = malloc((hops + 1) * sizeof *g->leg_off);
    g->legs = malloc((m ? m : 1) * sizeof *g->legs);
    g->value = malloc(hn * sizeof *g->value);
    g->partial = malloc(hn * sizeof *g->partial);
    g->kinds = malloc(hn * sizeof *g->kinds);
    g->firmness = malloc(hn * sizeof *g->firmness);
    if (!g->adj || !g->leg_off || !g->legs || !g->value || !g->partial ||
        !g->kinds || !g->firmness) {
        free(arcs);
        graph_finish(g);
        return DG_ENOMEM;
    }
    size_t h = (size_t)-1;
    for (size_t i = 0; i < m; i++) {
        if (i == 0 || arcs[i].u != arcs[i - 1].u ||
            arcs[i].v != arcs[i - 1].v) {
            h++;
            g->adj[h] = arcs[i].v;
            g->off[arcs[i].u + 1]++;
            g->leg_off[h] = i;
            g->value[h] = NAN;
            g->partial[h] = false;
            g->kinds[h] = 0;
            g->firmness[h] = 0;
        }
        const dg_leg *leg = &l->legs[arcs[i].leg];
        g->legs[i] = arcs[i].leg;
        double v = dg_leg_value(leg, f ? f->amounts : DG_AMOUNTS_DISCLOSED);
        if (dg_has(v))
            g->value[h] = dg_has(g->value[h]) ? g->value[h] + v : v;
        else
            g->partial[h] = true;
        g->kinds[h] |= 1u << leg->kind;
        if ((uint8_t)leg->status > g->firmness[h])
            g->firmness[h] = (uint8_t)leg->status;
    }
    g->leg_off[hops] = m;
    for (size_t v = 0; v < n; v++)
        g->off[v + 1] += g->off[v];
    /* a hop whose legs all lack a value is undisclosed, not partial */
    for (size_t k = 0; k < hops; k++)
        if (!dg_has(g->value[k]))
            g->partial[k] = false;
    free(arcs);
    return DG_OK;
}

/* The hop u -> v (binary search in u's sorted successors). */
static size_t hop_of(const company_graph *g, uint32_t u, uint32_t v)
{
    size_t lo = g->off[u], hi = g->off[u + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (g->adj[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---- describing a loop ----------------------------------------------------- */

#define PURCHASE                                                        \
    ((1u << DG_KIND_CHIPS) | (1u << DG_KIND_CLOUD) |                    \
     (1u << DG_KIND_SERVICES) | (1u << DG_KIND_LEASE))
#define FUNDING \
    ((1u << DG_KIND_EQUITY) | (1u << DG_KIND_DEBT) | (1u << DG_KIND_BACKSTOP))
#define SHARES (1u << DG_KIND_WARRANT)

/* The pattern of a loop. Two-party loops are named by what the two hops
 * carry, first match wins: shares one way and a purchase back is equity
 * for purchase (AMD's warrant, OpenAI's GPU order); funding one way and a
 * purchase back is vendor financing (NVIDIA invests, OpenAI buys NVIDIA
 * systems); purchases both ways is a capacity round trip. Loops of three
 * or more companies are multi-party. */
static dg_pattern pattern_of(const dg_hop *hops, size_t len)
{
    if (len != 2)
        return DG_PATTERN_MULTI_PARTY;
    unsigned a = hops[0].kinds, b = hops[1].kinds;
    if (((a & SHARES) && (b & PURCHASE)) || ((b & SHARES) && (a & PURCHASE)))
        return DG_PATTERN_EQUITY_FOR_PURCHASE;
    if (((a & FUNDING) && (b & PURCHASE)) || ((b & FUNDING) && (a & PURCHASE)))
        return DG_PATTERN_VENDOR_FINANCING;
    if ((a & PURCHASE) && (b & PURCHASE))
        return DG_PATTERN_CAPACITY_ROUND_TRIP;
    return DG_PATTERN_MULTI_PARTY;
}

typedef struct run {
    const dg_ledger *l;
    const dg_loop_options *opt;
    const company_graph *g;
    dg_loop_fn fn;
    void *ctx;
    dg_loop_stats *stats;
    /* per-loop buffers, sized for the longest possible loop */
    size_t *companies;
    dg_hop *hops;
    size_t *hop_index; /* hop of each position */
    size_t *choice;    /* temporal: leg chosen on each hop (position in the
                          hop's legs) */
    size_t *one_leg;   /* temporal: the chosen leg index per hop */
    long *days;        /* temporal: the chosen legs' dates */
    size_t *desc;      /* temporal: date descents up to each hop */
    long *lo, *hi;     /* temporal: earliest and latest date so far */
    int status;        /* a callback's stop value */
    clock_t started;   /* for max_seconds inside the temporal search */
    uint64_t steps;
} run;

static long leg_day(const run *r, size_t leg)
{
    return dg_date_days(r->l->legs[leg].announced);
}

/* Plain mode: does some choice of one leg per hop respect time? From each
 * starting hop and each leg on it, walk round taking the earliest leg not
 * before the previous one: greedy earliest is optimal for feasibility and
 * for the span. */
static bool loop_respects_time(const run *r, size_t len)
{
    const company_graph *g = r->g;
    long window = r->opt->window_days;
    for (size_t s = 0; s < len; s++) {
        size_t hs = r->hop_index[s];
        for (size_t a = g->leg_off[hs]; a < g->leg_off[hs + 1]; a++) {
            long first = leg_day(r, g->legs[a]), prev = first;
            bool ok = true;
            for (size_t k = 1; k < len && ok; k++) {
                size_t h = r->hop_index[(s + k) % len];
                long best = LONG_MAX;
                for (size_t b = g->leg_off[h]; b < g->leg_off[h + 1]; b++) {
                    long d = leg_day(r, g->legs[b]);
                    if (d >= prev && d < best)
                        best = d;
                }
                if (best == LONG_MAX || (window >= 0 && best - first > window))
                    ok = false;
                else
                    prev = best;
            }
            if (ok)
                return true;
        }
    }
    return false;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 1099511628211ull;
    return h;
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
    h = fnv(h, s ? s : "", s ? strlen(s) : 0);
    return fnv(h, "\x1f", 1);
}

/* A leg's identity for temporal loop ids: what survives reordering the
 * file (not its index). */
static uint64_t leg_hash(uint64_t h, const dg_leg *leg)
{
    char buf[64];
    h = fnv_str(h, dg_kind_name(leg->kind));
    h = fnv_str(h, dg_date_format(leg->announced, buf, sizeof buf));
    h = fnv_str(h, leg->deal);
    snprintf(buf, sizeof buf, "%.17g", leg->amount);
    return fnv_str(h, buf);
}

/* Fills the loop and passes it on, after the value filter. Returns
 * nonzero to stop. */
static int emit(run *r, size_t len, bool temporal)
{
    const dg_ledger *l = r->l;
    dg_loop loop;
    memset(&loop, 0, sizeof loop);
    loop.length = len;
    loop.companies = r->companies;
    loop.hops = r->hops;
    loop.value = INFINITY;
    uint64_t h = 1469598103934665603ull;
    dg_status firm = DG_STATUS_COMPLETED;
    for (size_t i = 0; i < len; i++) {
        const dg_hop *hp = &r->hops[i];
        h = fnv_str(h, l->companies[r->companies[i]].name);
        if (temporal) {
            /* the leg, and its place among the hop's parallel legs: two
             * legs alike in kind, date, deal and amount stay apart */
            uint64_t pos = r->choice[i] - 1 - r->g->leg_off[r->hop_index[i]];
            h = leg_hash(h, &l->legs[hp->legs[0]]);
            h = fnv(h, &pos, sizeof pos);
        }
        if (!dg_has(hp->value))
            loop.value = NAN;
        else if (dg_has(loop.value) && hp->value < loop.value)
            loop.value = hp->value;
        loop.partial = loop.partial || hp->partial;
        for (size_t k = 0; k < hp->nlegs; k++)
            if (l->legs[hp->legs[k]].status > firm)
                firm = l->legs[hp->legs[k]].status;
    }
    /* the id: the low 40 bits as ten hex digits (by hand: this runs for
     * every loop, and printf was a tenth of writing K_9's loops) */
    static const char hex[] = "0123456789abcdef";
    for (int d = 9; d >= 0; d--, h >>= 4)
        loop.id[d] = hex[h & 0xf];
    loop.id[10] = '\0';
    loop.firmness = firm;
    loop.pattern = pattern_of(r->hops, len);
    loop.time_respecting = temporal || loop_respects_time(r, len);
    double min = r->opt->min_value;
    if (dg_has(min) && (!dg_has(loop.value) || loop.value < min))
        return 0;
    dg_loop_stats *st = r->stats;
    if (r->opt->limit && st->count >= r->opt->limit) {
        st->truncated = true;
        return 1;
    }
    st->count++;
    st->by_length[len <= 64 ? len : 0]++;
    if (r->fn) {
        int stop = r->fn(&loop, r->ctx);
        if (stop) {
            r->status = stop;
            return stop;
        }
    }
    return 0;
}

static void fill_hop(run *r, size_t i, size_t hop)
{
    const company_graph *g = r->g;
    dg_hop *hp = &r->hops[i];
    hp->from = r->companies[i];
    hp->to = r->companies[(i + 1)];
    hp->legs = &g->legs[g->leg_off[hop]];
    hp->nlegs = g->leg_off[hop + 1] - g->leg_off[hop];
    hp->value = g->value[hop];
    hp->partial = g->partial[hop];
    hp->kinds = g->kinds[hop];
    r->hop_index[i] = hop;
}

/* Temporal mode: every choice of one leg per hop whose dates respect time
 * is a loop of its own. The choices are searched depth first, hop by hop,
 * and a partial choice is dropped as soon as it has two date descents (a
 * cycle readable in order has at most one, counting the wrap-around) or
 * spans more than the window: a ring whose hops each carry many legs
 * would otherwise mean trying every combination. The clock is read every
 * 4096 steps so that max_seconds holds inside one cycle too. */
#define TIMED_OUT (-7)

static bool out_of_time(run *r)
{
    if ((++r->steps & 4095) != 0)
        return false;
    /* the progress display, which the engine calls between cycles, is
     * called from here too: one cycle's leg sets can take long */
    if (r->opt->progress && (r->steps & 65535) == 0)
        r->opt->progress(r->stats->count, r->opt->progress_ctx);
    if (r->opt->max_seconds <= 0)
        return false;
    double used = (double)(clock() - r->started) / CLOCKS_PER_SEC;
    return used > r->opt->max_seconds;
}

/* Emits the loop whose hops carry the legs r->one_leg[0..len-1]. */
static int emit_legs(run *r, size_t len)
{
    dg_amounts sc = r->opt->filter.amounts;
    for (size_t k = 0; k < len; k++) {
        dg_hop *hp = &r->hops[k];
        const dg_leg *leg = &r->l->legs[r->one_leg[k]];
        hp->legs = &r->one_leg[k];
        hp->nlegs = 1;
        hp->value = dg_leg_value(leg, sc);
        hp->partial = false;
        hp->kinds = 1u << leg->kind;
    }
    return emit(r, len, true);
}

/* Iterative (a loop may be as long as the ledger is wide): choice[i] is
 * the next leg to try on hop i; desc[i], lo[i], hi[i] describe the dates
 * chosen on hops 0..i. */
static int emit_temporal(run *r, size_t len)
{
    const company_graph *g = r->g;
    long window = r->opt->window_days;
    size_t i = 0;
    r->choice[0] = g->leg_off[r->hop_index[0]];
    for (;;) {
        size_t hop = r->hop_index[i];
        if (r->choice[i] >= g->leg_off[hop + 1]) {
            if (i == 0)
                return 0;
            i--; /* this hop is exhausted: back to the previous one */
            continue;
        }
        if (out_of_time(r)) {
            r->stats->timed_out = true;
            return TIMED_OUT;
        }
        size_t leg = g->legs[r->choice[i]++];
        long d = leg_day(r, leg);
        size_t desc = i ? r->desc[i - 1] + (d < r->days[i - 1]) : 0;
        long lo = i && r->lo[i - 1] < d ? r->lo[i - 1] : d;
        long hi = i && r->hi[i - 1] > d ? r->hi[i - 1] : d;
        if (desc > 1 || (window >= 0 && hi - lo > window))
            continue;
        r->one_leg[i] = leg;
        r->days[i] = d;
        r->desc[i] = desc;
        r->lo[i] = lo;
        r->hi[i] = hi;
        if (i + 1 < len) {
            i++;
            r->choice[i] = g->leg_off[r->hop_index[i]];
            continue;
        }
        /* all hops chosen: the wrap-around is the last possible descent */
        if (desc + (r->days[0] < d) > 1)
            continue;
        int stop = emit_legs(r, len);
        if (stop)
            return stop;
    }
}

static int on_cycle(const uint32_t *v, size_t len, void *ctx)
{
    run *r = ctx;
    const company_graph *g = r->g;
    for (size_t i = 0; i < len; i++)
        r->companies[i] = g->company[v[i]];
    r->companies[len] = r->companies[0];
    for (size_t i = 0; i < len; i++)
        fill_hop(r, i, hop_of(g, v[i], v[(i + 1) % len]));
    return r->opt->temporal ? emit_temporal(r, len) : emit(r, len, false);
}

static int loops_each(const dg_ledger *l, const dg_loop_options *opt,
                      dg_loop_fn fn, void *ctx, dg_loop_stats *stats,
                      dg_diags *diags);

int dg_loops_each(const dg_ledger *l, const dg_loop_options *opt,
                  dg_loop_fn fn, void *ctx, dg_loop_stats *stats,
                  dg_diags *diags)
{
    dg_igraph_scope scope;
    dg_igraph_enter(&scope);
    int rc = loops_each(l, opt, fn, ctx, stats, diags);
    dg_igraph_leave(&scope);
    return rc;
}

static int loops_each(const dg_ledger *l, const dg_loop_options *opt,
                      dg_loop_fn fn, void *ctx, dg_loop_stats *stats,
                      dg_diags *diags)
{
    dg_loop_options defaults;
    if (!opt) {
        dg_loop_options_init(&defaults);
        opt = &defaults;
    }
    dg_loop_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    dg_cycle_options co;
    dg_cycle_options_init(&co);
    co.max_len = opt->max_len;
    co.max_seconds = opt->max_seconds;
    co.progress = opt->progress;
    co.progress_ctx = opt->progress_ctx;
    company_graph g;
    int rc = graph_build(&g, l, &opt->filter);
    if (rc != DG_OK)
        return rc;
    if (opt->through) {
        size_t c = dg_ledger_find(l, opt->through);
        if (c == (size_t)-1) {
            const char **names = malloc((l->ncompanies ? l->ncompanies : 1) *
                                        sizeof *names);
            if (!names) {
                graph_finish(&g);
                return DG_ENOMEM;
            }
            for (size_t i = 0; i < l->ncompanies; i++)
                names[i] = l->companies[i].name;
            const char *near = dg_closest(opt->through, names, l->ncompanies);
            dg_buf q;
            dg_buf_init(&q);
            if (near)
                dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                             "\"%s\" is not a company in the ledger; did "
                             "you mean \"%s\"?",
                             dg_quote(opt->through, 60, &q), near);
            else
                dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                             "\"%s\" is not a company in the ledger",
                             dg_quote(opt->through, 60, &q));
            dg_buf_finish(&q);
            free(names);
            graph_finish(&g);
            return DG_EUSAGE;
        }
        co.through = g.vertex[c];
    }
    dg_digraph dg = {g.n, g.off, g.adj};
    dg_cycle_stats cs;
    bool count_only = !fn && !dg_has(opt->min_value) && !opt->temporal &&
                      !opt->limit;
    if (count_only) {
        /* the engine's own counting path: no description at all */
        rc = dg_cycles_each(&dg, &co, NULL, NULL, &cs);
        stats->count = cs.cycles;
        memcpy(stats->by_length, cs.by_length, sizeof stats->by_length);
        stats->timed_out = cs.timed_out;
        graph_finish(&g);
        return rc;
    }
    size_t maxlen = g.n + 1;
    run r;
    memset(&r, 0, sizeof r);
    r.l = l;
    r.opt = opt;
    r.g = &g;
    r.fn = fn;
    r.ctx = ctx;
    r.stats = stats;
    r.started = clock();
    r.companies = malloc(maxlen * sizeof *r.companies);
    r.hops = malloc(maxlen * sizeof *r.hops);
    r.hop_index = malloc(maxlen * sizeof *r.hop_index);
    r.choice = malloc(maxlen * sizeof *r.choice);
    r.one_leg = malloc(maxlen * sizeof *r.one_leg);
    r.days = malloc(maxlen * sizeof *r.days);
    r.desc = malloc(maxlen * sizeof *r.desc);
    r.lo = malloc(maxlen * sizeof *r.lo);
    r.hi = malloc(maxlen * sizeof *r.hi);
    if (!r.companies || !r.hops || !r.hop_index || !r.choice || !r.one_leg ||
        !r.days || !r.desc || !r.lo || !r.hi) {
        rc = DG_ENOMEM;
    } else {
        rc = dg_cycles_each(&dg, &co, on_cycle, &r, &cs);
        stats->timed_out = stats->timed_out || cs.timed_out;
    }
    free(r.companies);
    free(r.hops);
    free(r.hop_index);
    free(r.choice);
    free(r.one_leg);
    free(r.days);
    free(r.desc);
    free(r.lo);
    free(r.hi);
    graph_finish(&g);
    return rc;
}

int dg_loops_value(const dg_ledger *l, const dg_filter *filter, size_t focus,
                   double *looped, double *looped_focus,
                   size_t *undisclosed_hops)
{
    *looped = 0;
    *looped_focus = 0;
    *undisclosed_hops = 0;
    company_graph g;
    int rc = graph_build(&g, l, filter);
    if (rc != DG_OK)
        return rc;
    /* A hop lies on a loop exactly when its two ends share a strong
     * component. */
    uint32_t *memb = malloc(((size_t)g.n ? g.n : 1) * sizeof *memb);
    uint32_t ncomp;
    rc = memb ? dg_scc(g.n, g.off, g.adj, memb, &ncomp) : DG_ENOMEM;
    if (rc != DG_OK)
        goto done;
    for (uint32_t u = 0; u < g.n; u++) {
        for (size_t k = g.off[u]; k < g.off[u + 1]; k++) {
            uint32_t v = g.adj[k];
            if (memb[u] != memb[v])
                continue;
            if (!dg_has(g.value[k])) {
                (*undisclosed_hops)++;
                continue;
            }
            *looped += g.value[k];
            if (focus != SIZE_MAX &&
                (g.company[u] == focus || g.company[v] == focus))
                *looped_focus += g.value[k];
        }
    }
    rc = DG_OK;
done:
    free(memb);
    graph_finish(&g);
    return rc;
}

/* ---- the null model --------------------------------------------------------- */

typedef struct null_sample {
    uint64_t count;
    double value;
    bool timed_out;
} null_sample;

static int by_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Where dg_loops_null is: the counts done and the total, for its
 * progress display. */
typedef struct null_where {
    const dg_loop_options *opt;
    size_t done, total;
} null_where;

/* The engine's progress call during one count of the null model. */
static void null_tick(uint64_t cycles, void *ctx)
{
    (void)cycles;
    const null_where *w = ctx;
    w->opt->null_progress(w->done, w->total, w->opt->progress_ctx);
}

/* Counts loops and the value on loops of a simple digraph given as arcs
 * (tail, head, value), n vertices. `where` reports progress (may be
 * NULL). */
static int sample_of(uint32_t n, size_t m, const uint32_t *tail,
                     const uint32_t *head, const double *value,
                     const dg_loop_options *opt, double seconds,
                     null_where *where, null_sample *out)
{
    int rc = DG_ENOMEM;
    uint32_t *off = calloc((size_t)n + 1, sizeof *off);
    uint32_t *adj = malloc((m ? m : 1) * sizeof *adj);
    uint32_t *fill = calloc((size_t)n + 1, sizeof *fill);
    uint32_t *memb = malloc(((size_t)n ? n : 1) * sizeof *memb);
    if (!off || !adj || !fill || !memb)
        goto done;
    for (size_t k = 0; k < m; k++)
        off[tail[k] + 1]++;
    for (uint32_t v = 0; v < n; v++)
        off[v + 1] += off[v];
    for (size_t k = 0; k < m; k++)
        adj[off[tail[k]] + fill[tail[k]]++] = head[k];
    for (uint32_t v = 0; v < n; v++)
        qsort(adj + off[v], off[v + 1] - off[v], sizeof *adj, by_u32);
    dg_digraph dg = {n, off, adj};
    dg_cycle_options co;
    dg_cycle_options_init(&co);
    co.max_len = opt->max_len;
    co.max_seconds = seconds;
    if (where && opt->null_progress) {
        co.progress = null_tick;
        co.progress_ctx = where;
    }
    dg_cycle_stats cs;
    rc = dg_cycles_each(&dg, &co, NULL, NULL, &cs);
    if (rc != DG_OK)
        goto done;
    out->count = cs.cycles;
    out->timed_out = cs.timed_out;
    uint32_t ncomp;
    rc = dg_scc(n, off, adj, memb, &ncomp);
    if (rc != DG_OK)
        goto done;
    out->value = 0;
    for (size_t k = 0; k < m; k++)
        if (memb[tail[k]] == memb[head[k]] && dg_has(value[k]))
            out->value += value[k];
    rc = DG_OK;
done:
    free(memb);
    free(off);
    free(adj);
    free(fill);
    return rc;
}

int dg_loops_null_check(const dg_loop_options *opt, size_t rewirings,
                        dg_diags *diags)
{
    if (rewirings < 2) {
        dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                     "%zu rewiring%s give%s no spread to compare with; 2 or "
                     "more are needed (200 is a good start)",
                     rewirings, rewirings == 1 ? "" : "s",
                     rewirings == 1 ? "s" : "");
        return DG_EUSAGE;
    }
    if (opt && (opt->through || opt->temporal || dg_has(opt->min_value))) {
        dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                     "the null model compares the whole loop count and "
                     "looped value; it has no counterpart of loops through "
                     "one company, of time-respecting leg sets or of loops "
                     "above a value");
        return DG_EUSAGE;
    }
    return DG_OK;
}

static int loops_null(const dg_ledger *l, const dg_loop_options *opt,
                      size_t rewirings, uint64_t seed,
                      dg_igraph_scope *scope, dg_loop_null *out);

int dg_loops_null(const dg_ledger *l, const dg_loop_options *opt,
                  size_t rewirings, uint64_t seed, dg_loop_null *out)
{
    memset(out, 0, sizeof *out);
    int rc = dg_loops_null_check(opt, rewirings, NULL);
    if (rc != DG_OK)
        return rc;
    dg_igraph_scope scope;
    dg_igraph_enter(&scope);
    rc = loops_null(l, opt, rewirings, seed, &scope, out);
    dg_igraph_leave(&scope);
    return rc;
}

static int loops_null(const dg_ledger *l, const dg_loop_options *opt,
                      size_t rewirings, uint64_t seed,
                      dg_igraph_scope *scope, dg_loop_null *out)
{
    memset(out, 0, sizeof *out);
    out->rewirings = rewirings;
    out->seed = seed;
    company_graph g;
    int rc = graph_build(&g, l, &opt->filter);
    if (rc != DG_OK)
        return rc;
    size_t m = g.nhops;
    uint32_t *tail = malloc((m ? m : 1) * sizeof *tail);
    uint32_t *head = malloc((m ? m : 1) * sizeof *head);
    double *value = malloc((m ? m : 1) * sizeof *value);
    double *counts = malloc((rewirings ? rewirings : 1) * sizeof *counts);
    double *values = malloc((rewirings ? rewirings : 1) * sizeof *values);
    /* each vertex's out-hop values, in hop order: they follow the sender */
    size_t *cursor = calloc((size_t)g.n + 1, sizeof *cursor);
    igraph_vector_int_t edges;
    igraph_t ig;
    bool have_edges = false;
    rc = DG_ENOMEM;
    if (!tail || !head || !value || !counts || !values || !cursor)
        goto done;
    for (uint32_t u = 0; u < g.n; u++)
        for (size_t k = g.off[u]; k < g.off[u + 1]; k++) {
            tail[k] = u;
            head[k] = g.adj[k];
            value[k] = g.value[k];
        }
    null_sample obs;
    /* max_seconds bounds the whole run: each of the N + 1 counts gets
     * an equal share */
    double share = opt->max_seconds > 0
                       ? opt->max_seconds / ((double)rewirings + 1)
                       : 0;
    null_where where = {opt, 0, rewirings + 1};
    rc = sample_of(g.n, m, tail, head, value, opt, share, &where, &obs);
    if (rc != DG_OK)
        goto done;
    where.done = 1;
    if (opt->null_progress)
        opt->null_progress(where.done, where.total, opt->progress_ctx);
    out->observed_count = obs.count;
    out->observed_value = obs.value;
    out->timed_out = obs.timed_out;
    if (igraph_vector_int_init(&edges, 0)) {
        rc = DG_ENOMEM;
        goto done;
    }
    have_edges = true;
    /* A generator of this run's own: the same seed gives the same
     * rewirings, and the caller's igraph generator is left alone. */
    rc = dg_igraph_seed(scope, seed);
    if (rc != DG_OK)
        goto done;
    size_t k_count = 0, k_value = 0;
    for (size_t r = 0; r < rewirings; r++) {
        rc = dg_igraph_from_arcs(&ig, g.n, m, tail, head);
        if (rc != DG_OK)
            goto done;
        /* Ten swap attempts per hop is the usual burn-in for a
         * degree-preserving null (Milo et al. 2003). igraph refuses graphs
         * of fewer than 4 companies (no swap can keep them simple): those
         * are their own only sample. */
        igraph_error_t ie = IGRAPH_SUCCESS;
        if (g.n >= 4 && m >= 2)
            ie = igraph_rewire(&ig, (igraph_integer_t)(10 * m),
                               IGRAPH_REWIRING_SIMPLE);
        if (ie == IGRAPH_SUCCESS)
            ie = igraph_get_edgelist(&ig, &edges, 0);
        igraph_destroy(&ig);
        if (ie != IGRAPH_SUCCESS) {
            rc = dg_igraph_status(ie);
            goto done;
        }
        uint32_t *rt = malloc((m ? m : 1) * sizeof *rt);
        uint32_t *rh = malloc((m ? m : 1) * sizeof *rh);
        double *rv = malloc((m ? m : 1) * sizeof *rv);
        if (!rt || !rh || !rv) {
            free(rt);
            free(rh);
            free(rv);
            rc = DG_ENOMEM;
            goto done;
        }
        memset(cursor, 0, ((size_t)g.n + 1) * sizeof *cursor);
        for (size_t k = 0; k < m; k++) {
            uint32_t u = (uint32_t)VECTOR(edges)[2 * k];
            rt[k] = u;
            rh[k] = (uint32_t)VECTOR(edges)[2 * k + 1];
            /* the sender's next out-hop value (out-degree is kept) */
            rv[k] = g.value[g.off[u] + cursor[u]++];
        }
        null_sample s;
        rc = sample_of(g.n, m, rt, rh, rv, opt, share, &where, &s);
        free(rt);
        free(rh);
        free(rv);
        if (rc != DG_OK)
            goto done;
        where.done++;
        if (opt->null_progress)
            opt->null_progress(where.done, where.total, opt->progress_ctx);
        counts[r] = (double)s.count;
        values[r] = s.value;
        out->timed_out = out->timed_out || s.timed_out;
        k_count += s.count >= obs.count;
        k_value += s.value >= obs.value;
    }
    double sc = 0, sv = 0;
    for (size_t r = 0; r < rewirings; r++) {
        sc += counts[r];
        sv += values[r];
    }
    double n = (double)rewirings;
    out->mean_count = rewirings ? sc / n : NAN;
    out->mean_value = rewirings ? sv / n : NAN;
    double vc = 0, vv = 0;
    for (size_t r = 0; r < rewirings; r++) {
        vc += (counts[r] - out->mean_count) * (counts[r] - out->mean_count);
        vv += (values[r] - out->mean_value) * (values[r] - out->mean_value);
    }
    out->sd_count = rewirings > 1 ? sqrt(vc / (n - 1)) : NAN;
    out->sd_value = rewirings > 1 ? sqrt(vv / (n - 1)) : NAN;
    out->z_count = out->sd_count > 0
                       ? ((double)obs.count - out->mean_count) / out->sd_count
                       : NAN;
    out->z_value = out->sd_value > 0
                       ? (obs.value - out->mean_value) / out->sd_value
                       : NAN;
    out->p_count = ((double)k_count + 1) / (n + 1);
    out->p_value = ((double)k_value + 1) / (n + 1);
    rc = DG_OK;
done:
    if (have_edges)
        igraph_vector_int_destroy(&edges);
    free(tail);
    free(head);
    free(value);
    free(counts);
    free(values);
    free(cursor);
    graph_finish(&g);
    return rc;
}
