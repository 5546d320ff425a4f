/*
 * cmd_loops.c - dealgraph loops: the closed value loops of a ledger,
 * ranked, with their hops, values, patterns and significance.
 */
#include "cli.h"
#include "dealgraph/text.h"
#include "dealgraph/loops.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char help[] =
    "usage: dealgraph loops [OPTIONS] FILE\n"
    "\n"
    "Finds every closed value loop: an elementary cycle of companies, each\n"
    "hop carried by at least one leg that passes the filters (parallel legs\n"
    "between two companies are one hop).\n"
    "\n"
    "  --max-len N          loops of at most N companies\n"
    "  --min-value X        loops worth at least X (money: 10B, $1.5T, ...);\n"
    "                       undisclosed loops are left out\n"
    "  --through NAME       loops through this company\n"
    "  --temporal           time-respecting loops only, one leg per hop:\n"
    "                       announced dates non-decreasing around the loop\n"
    "  --window DAYS        in time (and with --temporal, listed) only when\n"
    "                       the last leg is at most DAYS after the first\n"
    "  --limit N            stop after N loops (default 100000; says\n"
    "                       'truncated'); 0 = no limit\n"
    "  --sort value|length|none\n"
    "                       order (default value: largest first; none streams\n"
    "                       in search order without storing)\n"
    "  --count              only the total and the count per length\n"
    "  --null N             significance against N degree-preserving\n"
    "                       rewirings of the company graph\n"
    "  --seed S             seed of the rewirings (default 1)\n"
    "  --max-seconds S      stop the search after S seconds of CPU time and\n"
    "                       say the result is partial\n"
    "  --format text|md|json|csv\n"
    "  -o, --output FILE    write there instead of standard output\n"
    "  --min-status S, --kinds K1,K2, --as-of DATE, --amounts SCENARIO\n"
    "                       which legs count (see dealgraph summary --help)\n"
    "\n"
    "Exit codes: 0 success, 2 bad usage or unreadable or invalid input.\n";

/* ---- progress on a terminal -------------------------------------------- */

/* A search that runs longer than a second shows one line on standard error,
 * rewritten in place ("searching: 1234567 loops so far, 12 s"), when
 * standard error is a terminal, and clears it when done. Elsewhere (a CI
 * log, a file) nothing is rewritten: a search still running after a minute
 * says so once, on a line of its own, so that a job that seems to hang
 * tells why. The engine calls in every 65536 units of work; the clock is
 * read only then. */
#define NOTE_SECONDS 60.0

typedef struct progress {
    struct timespec start, last;
    bool tty;
    bool noted;       /* the one line for a log was written */
    double note_after; /* seconds */
    size_t width; /* of the line on screen; 0 = nothing shown */
} progress;

static double seconds_between(const struct timespec *a,
                              const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) +
           (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* What a progress call should show now: nothing, the line on a terminal
 * (at most four times a second, after the first second), or the one note
 * for a log. Sets *elapsed. */
typedef enum { SHOW_NOTHING, SHOW_LINE, SHOW_NOTE } progress_show;

static progress_show progress_due(progress *p, double *elapsed)
{
    struct timespec now;
    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0)
        return SHOW_NOTHING;
    *elapsed = seconds_between(&p->start, &now);
    if (!p->tty) {
        if (p->noted || *elapsed < p->note_after)
            return SHOW_NOTHING;
        p->noted = true;
        return SHOW_NOTE;
    }
    if (*elapsed < 1.0 ||
        (p->width && seconds_between(&p->last, &now) < 0.25))
        return SHOW_NOTHING;
    p->last = now;
    return SHOW_LINE;
}

/* After a line of n bytes was written on the terminal: its width, kept
 * for clearing it, and the flush. */
static void progress_line(progress *p, int n)
{
    if (n > 0 && (size_t)n > p->width)
        p->width = (size_t)n;
    fflush(stderr);
}

static void progress_tick(uint64_t found, void *ctx)
{
    progress *p = ctx;
    double elapsed;
    switch (progress_due(p, &elapsed)) {
    case SHOW_NOTE:
        fprintf(stderr,
                "dealgraph: loops: still searching after %.0f s (%llu "
                "loops so far); --max-seconds S or --max-len N bound the "
                "search\n",
                elapsed, (unsigned long long)found);
        fflush(stderr);
        break;
    case SHOW_LINE:
        progress_line(p, fprintf(stderr,
                                 "\rdealgraph: loops: searching: %llu loops "
                                 "so far, %.0f s",
                                 (unsigned long long)found, elapsed));
        break;
    case SHOW_NOTHING:
        break;
    }
}

/* The null model's: the graph being counted, of the observed one and the
 * rewirings. */
static void null_tick(size_t done, size_t total, void *ctx)
{
    progress *p = ctx;
    double elapsed;
    switch (progress_due(p, &elapsed)) {
    case SHOW_NOTE:
        fprintf(stderr,
                "dealgraph: loops: null model still counting after %.0f s "
                "(%zu of %zu graphs counted); fewer rewirings (--null N), "
                "--max-len N or --max-seconds S bound it\n",
                elapsed, done, total);
        fflush(stderr);
        break;
    case SHOW_LINE:
        progress_line(p, fprintf(stderr,
                                 "\rdealgraph: loops: null model: %zu of %zu "
                                 "graphs counted, %.0f s",
                                 done, total, elapsed));
        break;
    case SHOW_NOTHING:
        break;
    }
}

/* Switches the display on for `lo`: the line on a terminal, else the one
 * note. DEALGRAPH_NOTE_SECONDS moves the note (for the tests). */
static void progress_start(progress *p, dg_loop_options *lo)
{
    memset(p, 0, sizeof *p);
    if (clock_gettime(CLOCK_MONOTONIC, &p->start) != 0)
        return;
    p->tty = isatty(STDERR_FILENO);
    p->note_after = NOTE_SECONDS;
    const char *env = getenv("DEALGRAPH_NOTE_SECONDS");
    if (env && *env) {
        char *end;
        double v = strtod(env, &end);
        if (*end == '\0' && v >= 0 && v <= 1e6)
            p->note_after = v;
    }
    lo->progress = progress_tick;
    lo->null_progress = null_tick;
    lo->progress_ctx = p;
}

/* Clears the line, if one was shown. */
static void progress_end(progress *p)
{
    if (!p->width)
        return;
    fprintf(stderr, "\r%*s\r", (int)p->width, "");
    fflush(stderr);
    p->width = 0;
}

/* ---- collected loops: arenas, not an allocation per loop ------------------- */

typedef struct rec_hop {
    size_t from, to;
    size_t legs, nlegs; /* range in the leg arena */
    double value;
    bool partial;
    unsigned kinds;
} rec_hop;

typedef struct rec {
    char id[16];
    size_t length;
    size_t companies; /* start in the company arena (length + 1 entries) */
    size_t hops;      /* start in the hop arena */
    double value;
    bool partial;
    dg_pattern pattern;
    dg_status firmness;
    bool time_respecting;
} rec;

typedef struct arena {
    void *data;
    size_t len, cap, size;
} arena;

static bool arena_push(arena *a, const void *item, size_t count)
{
    if (a->len + count > a->cap) {
        size_t cap = a->cap ? a->cap : 256;
        while (cap < a->len + count)
            cap *= 2;
        void *p = realloc(a->data, cap * a->size);
        if (!p)
            return false;
        a->data = p;
        a->cap = cap;
    }
    memcpy((char *)a->data + a->len * a->size, item, count * a->size);
    a->len += count;
    return true;
}

typedef struct collected {
    arena recs, companies, hops, legs;
    bool oom;
    bool full;         /* stopped at DG_LOOPS_MAX_BYTES */
    size_t full_len;   /* the length of the loop it could not keep */
} collected;

static size_t arena_bytes(const arena *a) { return a->len * a->size; }

static int collect(const dg_loop *loop, void *ctx)
{
    collected *c = ctx;
    /* Long loops in a dense ledger: keep at most DG_LOOPS_MAX_BYTES of
     * them, then stop and say so, rather than use up the memory. */
    size_t legs = 0;
    for (size_t i = 0; i < loop->length; i++)
        legs += loop->hops[i].nlegs;
    size_t need = sizeof(rec) + (loop->length + 1) * sizeof(size_t) +
                  loop->length * sizeof(rec_hop) + legs * sizeof(size_t);
    size_t held = arena_bytes(&c->recs) + arena_bytes(&c->companies) +
                  arena_bytes(&c->hops) + arena_bytes(&c->legs);
    if (held + need > DG_LOOPS_MAX_BYTES) {
        c->full = true;
        c->full_len = loop->length;
        return 1;
    }
    rec r;
    memcpy(r.id, loop->id, sizeof r.id);
    r.length = loop->length;
    r.companies = c->companies.len;
    r.hops = c->hops.len;
    r.value = loop->value;
    r.partial = loop->partial;
    r.pattern = loop->pattern;
    r.firmness = loop->firmness;
    r.time_respecting = loop->time_respecting;
    bool ok = arena_push(&c->companies, loop->companies, loop->length) &&
              arena_push(&c->companies, loop->companies, 1);
    for (size_t i = 0; ok && i < loop->length; i++) {
        const dg_hop *h = &loop->hops[i];
        rec_hop rh = {h->from, h->to, c->legs.len, h->nlegs, h->value,
                      h->partial, h->kinds};
        ok = arena_push(&c->legs, h->legs, h->nlegs) &&
             arena_push(&c->hops, &rh, 1);
    }
    ok = ok && arena_push(&c->recs, &r, 1);
    if (!ok) {
        c->oom = true;
        return 1;
    }
    return 0;
}

/* ---- ordering ---------------------------------------------------------------- */

static const collected *sort_c;
static const dg_ledger *sort_l;

/* Names in order, then the id: a total, deterministic tie-break. */
static int by_names(const rec *a, const rec *b)
{
    const size_t *ca = (const size_t *)sort_c->companies.data + a->companies;
    const size_t *cb = (const size_t *)sort_c->companies.data + b->companies;
    size_t n = a->length < b->length ? a->length : b->length;
    for (size_t i = 0; i < n; i++) {
        int c = strcmp(sort_l->companies[ca[i]].name,
                       sort_l->companies[cb[i]].name);
        if (c)
            return c;
    }
    if (a->length != b->length)
        return a->length < b->length ? -1 : 1;
    return strcmp(a->id, b->id);
}

static int by_value_desc(const rec *a, const rec *b)
{
    bool ha = dg_has(a->value), hb = dg_has(b->value);
    if (ha != hb)
        return ha ? -1 : 1; /* undisclosed last */
    if (ha && a->value != b->value)
        return a->value > b->value ? -1 : 1;
    return 0;
}

static int cmp_value(const void *x, const void *y)
{
    const rec *a = x, *b = y;
    int c = by_value_desc(a, b);
    if (c)
        return c;
    if (a->length != b->length)
        return a->length < b->length ? -1 : 1;
    return by_names(a, b);
}

static int cmp_length(const void *x, const void *y)
{
    const rec *a = x, *b = y;
    if (a->length != b->length)
        return a->length < b->length ? -1 : 1;
    int c = by_value_desc(a, b);
    return c ? c : by_names(a, b);
}

/* ---- output ------------------------------------------------------------------ */

typedef struct view {
    const dg_ledger *l;
    const collected *c;
} view;

static const size_t *rec_companies(const view *v, const rec *r)
{
    return (const size_t *)v->c->companies.data + r->companies;
}

static const rec_hop *rec_hops(const view *v, const rec *r)
{
    return (const rec_hop *)v->c->hops.data + r->hops;
}

static const size_t *hop_legs(const view *v, const rec_hop *h)
{
    return (const size_t *)v->c->legs.data + h->legs;
}

static void kinds_text(dg_buf *b, unsigned kinds)
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

static void signature(dg_buf *b, const view *v, const rec *r)
{
    dg_buf_clear(b);
    const rec_hop *h = rec_hops(v, r);
    for (size_t i = 0; i < r->length; i++) {
        if (i)
            dg_buf_putc(b, '>');
        kinds_text(b, h[i].kinds);
    }
}

/* "AMD -warrant-> OpenAI -chips-> AMD" */
static void path_text(dg_buf *b, const view *v, const rec *r)
{
    dg_buf_clear(b);
    const size_t *c = rec_companies(v, r);
    const rec_hop *h = rec_hops(v, r);
    dg_buf_puts(b, v->l->companies[c[0]].name);
    for (size_t i = 0; i < r->length; i++) {
        dg_buf_puts(b, " -");
        kinds_text(b, h[i].kinds);
        dg_buf_puts(b, "-> ");
        dg_buf_puts(b, v->l->companies[c[i + 1]].name);
    }
}

static void value_text(dg_buf *b, double value, bool partial)
{
    char m[32];
    dg_buf_clear(b);
    if (!dg_has(value)) {
        dg_buf_puts(b, "undisclosed");
        return;
    }
    if (partial)
        dg_buf_puts(b, "at least ");
    dg_buf_puts(b, dg_money_format(value, m, sizeof m));
}

static const cli_column table_cols[] = {
    {"rank", "#"},
    {"id", "id"},
    {"length", "len"},
    {"value", "value"},
    {"pattern", "pattern"},
    {"firmness", "firmness"},
    {"time_respecting", "in time"},
    {"loop", "loop"},
};

static const cli_column csv_cols[] = {
    {"id", "id"},
    {"length", "length"},
    {"value", "value"},
    {"value_is_floor", "value is a floor"},
    {"pattern", "pattern"},
    {"firmness", "firmness"},
    {"time_respecting", "time respecting"},
    {"signature", "signature"},
    {"companies", "companies"},
};

typedef struct loops_result {
    dg_loop_stats stats;
    const dg_loop_options *opt;
    bool counted; /* --count */
    bool have_null;
    dg_loop_null null;
    const char *sort;
    size_t show; /* text and md: at most this many rows; 0 = all */
    bool full;   /* the collected loops reached DG_LOOPS_MAX_BYTES */
} loops_result;

/* The search stopped because `col` was full: the loop it could not keep
 * was counted, so take it off, and report the result as truncated. */
static void note_full(loops_result *res, const collected *col)
{
    if (!col->full)
        return;
    dg_loop_stats *st = &res->stats;
    size_t k = col->full_len <= 64 ? col->full_len : 0;
    if (st->count)
        st->count--;
    if (st->by_length[k])
        st->by_length[k]--;
    st->truncated = true;
    res->full = true;
}


static void by_length_text(FILE *out, const dg_loop_stats *s)
{
    bool first = true;
    for (size_t k = 1; k <= 64; k++) {
        if (!s->by_length[k])
            continue;
        fprintf(out, "%s%zu: %llu", first ? "" : ", ", k,
                (unsigned long long)s->by_length[k]);
        first = false;
    }
    if (s->by_length[0])
        fprintf(out, "%slonger than 64: %llu", first ? "" : ", ",
                (unsigned long long)s->by_length[0]);
}

static void heading(FILE *out, const dg_ledger *l, const loops_result *res,
                    bool md)
{
    const dg_loop_stats *s = &res->stats;
    if (md)
        fprintf(out, "## Loops in %s\n\n", l->title ? l->title : l->path);
    fprintf(out, "%llu loop%s%s", (unsigned long long)s->count,
            s->count == 1 ? "" : "s",
            res->full ? " (truncated: the loops kept fill 256 MiB; give "
                        "--max-len, --limit or --sort none)"
            : s->truncated ? " (truncated: the --limit was reached)"
            : s->timed_out ? " (partial: --max-seconds was reached)"
                           : "");
    if (s->count) {
        fprintf(out, " by length: ");
        by_length_text(out, s);
    }
    fprintf(out, "%s\n", md ? "  " : "");
    fprintf(out, "amounts: %s", dg_amounts_name(res->opt->filter.amounts));
    if (res->opt->max_len)
        fprintf(out, "; at most %zu companies", res->opt->max_len);
    if (res->opt->through)
        fprintf(out, "; through %s", res->opt->through);
    if (res->opt->temporal) {
        fprintf(out, "; time-respecting leg sets");
        if (res->opt->window_days >= 0)
            fprintf(out, " within %ld days", res->opt->window_days);
    } else if (res->opt->window_days >= 0 && !res->counted) {
        fprintf(out, "; in time: within %ld days", res->opt->window_days);
    }
    fprintf(out, "%s\n", md ? "  " : "");
}

static void null_text(FILE *out, const loops_result *res, bool md)
{
    if (!res->have_null)
        return;
    const dg_loop_null *n = &res->null;
    char a[32], b[32];
    fprintf(out, "\n%sSignificance against %zu degree-preserving rewirings "
                 "(seed %llu)%s\n",
            md ? "### " : "", n->rewirings, (unsigned long long)n->seed,
            md ? "\n" : "");
    fprintf(out, "%sloop count: observed %llu, null mean %.2f (sd %.2f), ",
            md ? "- " : "  ", (unsigned long long)n->observed_count,
            n->mean_count, n->sd_count);
    if (dg_has(n->z_count))
        fprintf(out, "z = %.2f", n->z_count);
    else
        fprintf(out, "z undefined (no spread)");
    fprintf(out, ", p = %.4g\n", n->p_count);
    fprintf(out, "%slooped value: observed %s, null mean %s, ", md ? "- " : "  ",
            dg_money_format(n->observed_value, a, sizeof a),
            dg_money_format(n->mean_value, b, sizeof b));
    if (dg_has(n->z_value))
        fprintf(out, "z = %.2f", n->z_value);
    else
        fprintf(out, "z undefined (no spread)");
    fprintf(out, ", p = %.4g\n", n->p_value);
    if (n->timed_out)
        fprintf(out, "%s(partial: --max-seconds cut some counts short)\n",
                md ? "- " : "  ");
}

static bool write_table(FILE *out, const view *v, const rec *recs, size_t n,
                        const loops_result *res, cli_out_format fmt)
{
    dg_buf b;
    dg_buf_init(&b);
    cli_table t;
    bool ok = true;
    if (fmt == CLI_OUT_CSV) {
        cli_table_init(&t, csv_cols, 9);
        for (size_t i = 0; i < n; i++) {
            const rec *r = &recs[i];
            cli_table_row(&t);
            cli_table_text(&t, 0, r->id);
            cli_table_int(&t, 1, (long long)r->length);
            cli_table_money(&t, 2, r->value);
            cli_table_bool(&t, 3, r->partial);
            cli_table_text(&t, 4, dg_pattern_key(r->pattern));
            cli_table_text(&t, 5, dg_status_name(r->firmness));
            cli_table_bool(&t, 6, r->time_respecting);
            signature(&b, v, r);
            cli_table_text(&t, 7, b.data);
            dg_buf_clear(&b);
            const size_t *c = rec_companies(v, r);
            for (size_t k = 0; k < r->length; k++) {
                if (k)
                    dg_buf_putc(&b, '>');
                dg_buf_puts(&b, v->l->companies[c[k]].name);
            }
            cli_table_text(&t, 8, b.data);
        }
        if (b.oom) /* a cell's text was cut short */
            t.oom = true;
        ok = cli_table_write(&t, fmt, out);
        cli_table_finish(&t);
        dg_buf_finish(&b);
        return ok;
    }
    bool md = fmt == CLI_OUT_MD;
    heading(out, v->l, res, md);
    size_t shown = res->show && res->show < n ? res->show : n;
    if (n) {
        fputc('\n', out);
        cli_table_init(&t, table_cols, 8);
        for (size_t i = 0; i < shown; i++) {
            const rec *r = &recs[i];
            cli_table_row(&t);
            cli_table_int(&t, 0, (long long)i + 1);
            cli_table_text(&t, 1, r->id);
            cli_table_int(&t, 2, (long long)r->length);
            value_text(&b, r->value, r->partial);
            cli_table_text(&t, 3, b.data);
            cli_table_text(&t, 4, dg_pattern_name(r->pattern));
            cli_table_text(&t, 5, dg_status_name(r->firmness));
            cli_table_text(&t, 6, r->time_respecting ? "yes" : "no");
            path_text(&b, v, r);
            cli_table_text(&t, 7, b.data);
        }
        if (b.oom) /* a cell's text was cut short */
            t.oom = true;
        ok = cli_table_write(&t, fmt, out);
        cli_table_finish(&t);
        if (shown < n)
            fprintf(out, "\n%zu more loop%s: 'dealgraph loops %s' lists them "
                         "all.\n",
                    n - shown, n - shown == 1 ? "" : "s", v->l->path);
        fprintf(out,
                "\n%sA loop's value is its smallest hop: the most that can go "
                "round. \"at least\" marks\n%sa hop with undisclosed legs; "
                "\"in time\": the legs can be read in announcement order.\n",
                md ? "" : "", md ? "" : "");
    }
    null_text(out, res, md);
    dg_buf_finish(&b);
    return ok;
}

static json_t *loop_json(const view *v, const rec *r, dg_buf *b)
{
    const dg_ledger *l = v->l;
    json_t *companies = json_array(), *hops = json_array();
    const size_t *c = rec_companies(v, r);
    const rec_hop *h = rec_hops(v, r);
    for (size_t i = 0; i < r->length; i++)
        json_array_append_new(companies, json_string(l->companies[c[i]].name));
    for (size_t i = 0; i < r->length; i++) {
        json_t *legs = json_array();
        const size_t *lg = hop_legs(v, &h[i]);
        for (size_t k = 0; k < h[i].nlegs; k++) {
            const dg_leg *g = &l->legs[lg[k]];
            json_array_append_new(
                legs,
                json_pack("{s:s?, s:s, s:o, s:b, s:s, s:o, s:I}", "deal",
                          g->deal, "kind", dg_kind_name(g->kind), "amount",
                          cli_json_money(g->amount), "upto", g->upto,
                          "status", dg_status_name(g->status), "announced",
                          cli_json_date(g->announced), "line",
                          (json_int_t)g->line));
        }
        dg_buf_clear(b);
        kinds_text(b, h[i].kinds);
        json_array_append_new(
            hops, json_pack("{s:s, s:s, s:s, s:o, s:b, s:o}", "from",
                            l->companies[h[i].from].name, "to",
                            l->companies[h[i].to].name, "kinds", b->data,
                            "value", cli_json_money(h[i].value),
                            "value_is_floor", h[i].partial, "legs", legs));
    }
    signature(b, v, r);
    return json_pack("{s:s, s:o, s:I, s:o, s:b, s:s, s:s, s:s, s:b, s:o}",
                     "id", r->id, "companies", companies, "length",
                     (json_int_t)r->length, "value", cli_json_money(r->value),
                     "value_is_floor", r->partial, "signature", b->data,
                     "pattern", dg_pattern_key(r->pattern), "firmness",
                     dg_status_name(r->firmness), "time_respecting",
                     r->time_respecting, "hops", hops);
}

/* A number, or null for NaN (json_real refuses NaN). */
static json_t *num(double v) { return dg_has(v) ? json_real(v) : json_null(); }

static json_t *null_json(const dg_loop_null *n)
{
    return json_pack(
        "{s:I, s:I, s:{s:I, s:o, s:o, s:o, s:o}, s:{s:o, s:o, s:o, s:o, "
        "s:o}, s:b}",
        "rewirings", (json_int_t)n->rewirings, "seed", (json_int_t)n->seed,
        "count", "observed", (json_int_t)n->observed_count, "null_mean",
        num(n->mean_count), "null_sd", num(n->sd_count), "z",
        num(n->z_count), "p", num(n->p_count), "looped_value", "observed",
        num(n->observed_value), "null_mean", num(n->mean_value), "null_sd",
        num(n->sd_value), "z", num(n->z_value), "p", num(n->p_value),
        "partial", n->timed_out);
}

static json_t *result_json(const view *v, const rec *recs, size_t n,
                           const loops_result *res)
{
    json_t *doc = cli_json_document();
    if (!doc)
        return NULL;
    json_t *by = json_object();
    char key[16];
    for (size_t k = 1; k <= 64; k++) {
        if (!res->stats.by_length[k])
            continue;
        snprintf(key, sizeof key, "%zu", k);
        json_object_set_new(by, key,
                            json_integer((json_int_t)res->stats.by_length[k]));
    }
    if (res->stats.by_length[0])
        json_object_set_new(by, "65+",
                            json_integer((json_int_t)res->stats.by_length[0]));
    json_object_set_new(doc, "file", cli_json_text(v->l->path));
    json_object_set_new(doc, "amounts",
                        json_string(dg_amounts_name(res->opt->filter.amounts)));
    json_object_set_new(doc, "count", json_integer((json_int_t)res->stats.count));
    json_object_set_new(doc, "truncated", json_boolean(res->stats.truncated));
    json_object_set_new(doc, "timed_out", json_boolean(res->stats.timed_out));
    json_object_set_new(doc, "by_length", by);
    if (!res->counted) {
        json_t *arr = json_array();
        dg_buf b;
        dg_buf_init(&b);
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, loop_json(v, &recs[i], &b));
        bool cut = b.oom; /* a text in some loop was cut short */
        dg_buf_finish(&b);
        json_object_set_new(doc, "loops", arr);
        if (cut) {
            json_decref(doc);
            return NULL; /* reported as out of memory */
        }
    }
    if (res->have_null)
        json_object_set_new(doc, "significance", null_json(&res->null));
    return doc;
}

/* --sort none: each loop written as it is found, nothing stored. */
typedef struct stream {
    const dg_ledger *l;
    FILE *out;
    cli_out_format fmt;
    uint64_t rank;
    collected one; /* reused for one loop at a time */
    dg_buf text;   /* reused too: no allocation per loop */
} stream;

/* `v` in decimal, in `buf` (at least 21 bytes); returns the text. */
static const char *u64_text(uint64_t v, char *buf)
{
    char *p = buf + 20;
    *p = '\0';
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return p;
}

static int stream_one(const dg_loop *loop, void *ctx)
{
    stream *s = ctx;
    s->one.recs.len = s->one.companies.len = s->one.hops.len =
        s->one.legs.len = 0;
    if (collect(loop, &s->one))
        return 1;
    view v = {s->l, &s->one};
    const rec *r = s->one.recs.data;
    dg_buf b = s->text; /* moved back below, grown or not */
    dg_buf_clear(&b);
    s->rank++;
    if (s->fmt == CLI_OUT_CSV) {
        char val[64] = "";
        if (dg_has(r->value))
            snprintf(val, sizeof val, "%.17g", r->value);
        signature(&b, &v, r);
        char num[24];
        const char *field[] = {r->id, u64_text(r->length, num), val,
                               r->partial ? "true" : "false",
                               dg_pattern_key(r->pattern),
                               dg_status_name(r->firmness),
                               r->time_respecting ? "true" : "false",
                               b.data ? b.data : ""};
        for (size_t f = 0; f < sizeof field / sizeof field[0]; f++) {
            fputs(field[f], s->out);
            fputc(',', s->out);
        }
        const size_t *c = rec_companies(&v, r);
        dg_buf_clear(&b);
        for (size_t k = 0; k < r->length; k++) {
            if (k)
                dg_buf_putc(&b, '>');
            dg_buf_puts(&b, s->l->companies[c[k]].name);
        }
        /* quote the company list: names may hold commas */
        fputc('"', s->out);
        for (const char *p = b.data ? b.data : ""; *p; p++) {
            if (*p == '"')
                fputc('"', s->out);
            fputc(*p, s->out);
        }
        fputs("\"\n", s->out);
    } else {
        /* one line, "RANK  ID  LEN  VALUE  PATTERN  FIRMNESS  PATH", put
         * together by hand: fprintf's parsing was a third of the time */
        char num[24];
        value_text(&b, r->value, r->partial);
        fputs(u64_text(s->rank, num), s->out);
        fputs("  ", s->out);
        fputs(r->id, s->out);
        fputs("  ", s->out);
        fputs(u64_text(r->length, num), s->out);
        fputs("  ", s->out);
        fputs(b.data ? b.data : "", s->out); /* NULL: b.oom, said below */
        fputs("  ", s->out);
        fputs(dg_pattern_name(r->pattern), s->out);
        fputs("  ", s->out);
        fputs(dg_status_name(r->firmness), s->out);
        fputs("  ", s->out);
        path_text(&b, &v, r);
        fputs(b.data ? b.data : "", s->out);
        fputc('\n', s->out);
    }
    s->text = b;
    if (b.oom) {
        s->one.oom = true; /* reported as out of memory */
        return 1;
    }
    return ferror(s->out) ? 1 : 0;
}

static void collected_finish(collected *c)
{
    free(c->recs.data);
    free(c->companies.data);
    free(c->hops.data);
    free(c->legs.data);
}

static void collected_init(collected *c)
{
    memset(c, 0, sizeof *c);
    c->recs.size = sizeof(rec);
    c->companies.size = sizeof(size_t);
    c->hops.size = sizeof(rec_hop);
    c->legs.size = sizeof(size_t);
}

static bool parse_count(const char *arg, unsigned long long max,
                        unsigned long long *out)
{
    if (!arg[0] || arg[0] == '-' || arg[0] == '+')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (errno || *end || v > max)
        return false;
    *out = v;
    return true;
}

static bool parse_seconds(const char *arg, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (errno || *end || !arg[0] || !(v > 0) || v > 1e7)
        return false;
    *out = v;
    return true;
}

bool report_loops(const dg_ledger *l, const cli_common *c, FILE *out,
                  json_t **json)
{
    dg_loop_options lo;
    dg_loop_options_init(&lo);
    lo.filter = c->filter;
    lo.limit = 100000;
    loops_result res;
    memset(&res, 0, sizeof res);
    res.opt = &lo;
    res.sort = "value";
    res.show = 20;
    collected col;
    collected_init(&col);
    dg_diags diags;
    dg_diags_init(&diags);
    bool ok = false;
    /* the report runs unattended: a dense ledger's loops are cut short
     * after DG_LOOPS_AUTO_SECONDS, and the heading says so */
    lo.max_seconds = DG_LOOPS_AUTO_SECONDS;
    int rc = dg_loops_each(l, &lo, collect, &col, &res.stats, &diags);
    if (rc == DG_OK && col.oom)
        rc = DG_ENOMEM;
    note_full(&res, &col);
    /* 200 rewirings, seed 1: the report's significance is reproducible.
     * Not when the observed loops were cut short (there is no observed
     * count to compare); the counts share DG_LOOPS_AUTO_SECONDS. */
    if (rc == DG_OK && !res.stats.truncated && !res.stats.timed_out) {
        rc = dg_loops_null(l, &lo, 200, 1, &res.null);
        res.have_null = rc == DG_OK;
    }
    if (rc != DG_OK) {
        for (size_t i = 0; i < diags.count; i++)
            cli_error("loops: %s", diags.items[i].message);
        if (!diags.count)
            cli_error("loops: %s", dg_strerror(rc));
        goto done;
    }
    rec *recs = col.recs.data;
    size_t n = col.recs.len;
    sort_c = &col;
    sort_l = l;
    if (n > 1)
        qsort(recs, n, sizeof *recs, cmp_value);
    view vw = {l, &col};
    if (json) {
        *json = result_json(&vw, recs, n, &res);
        ok = *json != NULL;
        if (!ok)
            cli_out_of_memory();
    } else {
        ok = write_table(out, &vw, recs, n, &res, c->format);
    }
done:
    collected_finish(&col);
    dg_diags_finish(&diags);
    return ok;
}

int cmd_loops(int argc, char **argv)
{
    enum {
        O_MAXLEN = 0x200, O_MINVALUE, O_THROUGH, O_TEMPORAL, O_WINDOW,
        O_LIMIT, O_SORT, O_COUNT, O_NULL, O_SEED, O_MAXSEC,
    };
    static const struct option options[] = {
        {"max-len", required_argument, NULL, O_MAXLEN},
        {"min-value", required_argument, NULL, O_MINVALUE},
        {"through", required_argument, NULL, O_THROUGH},
        {"temporal", no_argument, NULL, O_TEMPORAL},
        {"window", required_argument, NULL, O_WINDOW},
        {"limit", required_argument, NULL, O_LIMIT},
        {"sort", required_argument, NULL, O_SORT},
        {"count", no_argument, NULL, O_COUNT},
        {"null", required_argument, NULL, O_NULL},
        {"seed", required_argument, NULL, O_SEED},
        {"max-seconds", required_argument, NULL, O_MAXSEC},
        CLI_COMMON_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    cli_common c;
    cli_common_init(&c, (1u << CLI_OUT_TEXT) | (1u << CLI_OUT_MD) |
                            (1u << CLI_OUT_JSON) | (1u << CLI_OUT_CSV));
    dg_loop_options lo;
    dg_loop_options_init(&lo);
    lo.limit = 100000;
    bool limit_given = false, count = false;
    unsigned long long nulls = 0, seed = 1, v;
    const char *sort = "value";
    int opt;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "f:o:h", options, NULL)) != -1) {
        switch (opt) {
        case 'h':
            cli_help(help);
            return EXIT_OK;
        case O_MAXLEN:
            if (!parse_count(optarg, 1000000, &v) || v < 2) {
                cli_error("loops: --max-len '%s' is not a loop length; give "
                          "a whole number of companies, 2 or more",
                          optarg);
                return EXIT_TROUBLE;
            }
            lo.max_len = (size_t)v;
            break;
        case O_MINVALUE:
            if (!dg_money_parse(optarg, &lo.min_value)) {
                cli_error("loops: --min-value '%s' is not a money value; "
                          "write %s",
                          optarg, dg_money_forms());
                return EXIT_TROUBLE;
            }
            break;
        case O_THROUGH:
            lo.through = optarg;
            break;
        case O_TEMPORAL:
            lo.temporal = true;
            break;
        case O_WINDOW:
            if (!parse_count(optarg, 1000000, &v)) {
                cli_error("loops: --window '%s' is not a number of days; "
                          "give a whole number, 0 or more",
                          optarg);
                return EXIT_TROUBLE;
            }
            lo.window_days = (long)v;
            break;
        case O_LIMIT:
            if (!parse_count(optarg, UINT64_MAX, &v)) {
                cli_error("loops: --limit '%s' is not a count; give a whole "
                          "number (0 = no limit)",
                          optarg);
                return EXIT_TROUBLE;
            }
            lo.limit = v;
            limit_given = true;
            break;
        case O_SORT:
            if (strcmp(optarg, "value") && strcmp(optarg, "length") &&
                strcmp(optarg, "none")) {
                cli_error("loops: unknown --sort '%s'; use value, length or "
                          "none",
                          optarg);
                return EXIT_TROUBLE;
            }
            sort = optarg;
            break;
        case O_COUNT:
            count = true;
            break;
        case O_NULL:
            if (!parse_count(optarg, 1000000, &nulls)) {
                cli_error("loops: --null '%s' is not a number of rewirings; "
                          "give a whole number up to 1000000",
                          optarg);
                return EXIT_TROUBLE;
            }
            break;
        case O_SEED:
            if (!parse_count(optarg, UINT32_MAX, &seed)) {
                cli_error("loops: --seed '%s' is not a seed; give a whole "
                          "number from 0 to 4294967295",
                          optarg);
                return EXIT_TROUBLE;
            }
            break;
        case O_MAXSEC:
            if (!parse_seconds(optarg, &lo.max_seconds)) {
                cli_error("loops: --max-seconds '%s' is not a duration; give "
                          "a positive number of seconds",
                          optarg);
                return EXIT_TROUBLE;
            }
            break;
        case '?':
            return cli_bad_option("loops", argv);
        default: {
            int r = cli_common_option(&c, "loops", opt, optarg);
            if (r < 0)
                return EXIT_TROUBLE;
            if (r == 0)
                return cli_bad_option("loops", argv);
        }
        }
    }
    if (argc - optind != 1) {
        cli_error("loops: give exactly one ledger; usage: dealgraph loops "
                  "FILE");
        return EXIT_TROUBLE;
    }
    if (nulls == 1) {
        cli_error("loops: --null 1 gives no spread to compare with; give 2 "
                  "or more rewirings (200 is a good start)");
        return EXIT_TROUBLE;
    }
    if (nulls && (lo.through || lo.temporal || dg_has(lo.min_value))) {
        cli_error("loops: --null compares the whole loop count and looped "
                  "value; it does not combine with --through, --temporal or "
                  "--min-value");
        return EXIT_TROUBLE;
    }
    if (nulls && (c.format == CLI_OUT_CSV || strcmp(sort, "none") == 0)) {
        cli_error("loops: --null needs --format text, md or json, sorted "
                  "output (csv and --sort none have no place for it)");
        return EXIT_TROUBLE;
    }
    if (count && !limit_given)
        lo.limit = 0; /* counting writes nothing per loop: count them all */
    lo.filter = c.filter;
    dg_ledger *l = cli_load(argv[optind], &c.load);
    if (!l)
        return EXIT_TROUBLE;

    int code = EXIT_OK;
    loops_result res;
    memset(&res, 0, sizeof res);
    res.opt = &lo;
    res.counted = count;
    res.sort = sort;
    collected col;
    collected_init(&col);
    dg_diags diags;
    dg_diags_init(&diags);
    cli_output out;
    bool opened = false, ok = true;
    int rc;
    bool streaming = !count && strcmp(sort, "none") == 0 &&
                     (c.format == CLI_OUT_TEXT || c.format == CLI_OUT_CSV);
    /* streamed loops on the same terminal are their own progress */
    progress prog;
    memset(&prog, 0, sizeof prog);
    if (!(streaming && (!c.output || strcmp(c.output, "-") == 0) &&
          isatty(STDOUT_FILENO)))
        progress_start(&prog, &lo);
    if (streaming) {
        if (!cli_output_open_as(&out, &c)) {
            code = EXIT_TROUBLE;
            goto done;
        }
        opened = true;
        stream s = {l, out.f, c.format, 0,
                    {{0}, {0}, {0}, {0}, false, false, 0}, {0}};
        collected_init(&s.one);
        dg_buf_init(&s.text);
        if (c.format == CLI_OUT_CSV)
            fputs("id,length,value,value_is_floor,pattern,firmness,"
                  "time_respecting,signature,companies\n",
                  out.f);
        rc = dg_loops_each(l, &lo, stream_one, &s, &res.stats, &diags);
        progress_end(&prog);
        if (rc == DG_OK && s.one.oom)
            rc = DG_ENOMEM;
        if (rc == DG_OK && ferror(out.f))
            ok = false;
        collected_finish(&s.one);
        dg_buf_finish(&s.text);
        if (rc == DG_OK && c.format == CLI_OUT_TEXT)
            fprintf(out.f, "%llu loops%s\n",
                    (unsigned long long)res.stats.count,
                    res.stats.truncated ? " (truncated: the --limit was reached)"
                    : res.stats.timed_out ? " (partial: --max-seconds was reached)"
                                          : "");
    } else {
        rc = dg_loops_each(l, &lo, count ? NULL : collect, &col, &res.stats,
                           &diags);
        progress_end(&prog);
        if (col.oom)
            rc = DG_ENOMEM;
        note_full(&res, &col);
    }
    if (rc != DG_OK) {
        for (size_t i = 0; i < diags.count; i++)
            cli_error("loops: %s", diags.items[i].message);
        if (!diags.count)
            cli_error("loops: %s", dg_strerror(rc));
        code = EXIT_TROUBLE;
        goto done;
    }
    if (streaming)
        goto done;
    if (nulls > 0) {
        /* a display of its own: the clock starts again */
        if (lo.progress_ctx)
            progress_start(&prog, &lo);
        rc = dg_loops_null(l, &lo, (size_t)nulls, seed, &res.null);
        progress_end(&prog);
        if (rc != DG_OK) {
            cli_error("loops: null model: %s", dg_strerror(rc));
            code = EXIT_TROUBLE;
            goto done;
        }
        res.have_null = true;
    }
    rec *recs = col.recs.data;
    size_t n = col.recs.len;
    sort_c = &col;
    sort_l = l;
    if (n > 1 && strcmp(sort, "value") == 0)
        qsort(recs, n, sizeof *recs, cmp_value);
    else if (n > 1 && strcmp(sort, "length") == 0)
        qsort(recs, n, sizeof *recs, cmp_length);
    view vw = {l, &col};
    if (!cli_output_open_as(&out, &c)) {
        code = EXIT_TROUBLE;
        goto done;
    }
    opened = true;
    if (c.format == CLI_OUT_JSON) {
        json_t *doc = result_json(&vw, recs, n, &res);
        ok = cli_json_write(doc, out.f);
        json_decref(doc);
    } else if (count && c.format != CLI_OUT_CSV) {
        heading(out.f, l, &res, c.format == CLI_OUT_MD);
        null_text(out.f, &res, c.format == CLI_OUT_MD);
    } else if (count) {
        fputs("length,count\n", out.f);
        for (size_t k = 1; k <= 64; k++)
            if (res.stats.by_length[k])
                fprintf(out.f, "%zu,%llu\n", k,
                        (unsigned long long)res.stats.by_length[k]);
        if (res.stats.by_length[0])
            fprintf(out.f, "65+,%llu\n",
                    (unsigned long long)res.stats.by_length[0]);
    } else {
        ok = write_table(out.f, &vw, recs, n, &res, c.format);
    }
done:
    if (opened && !cli_output_close(&out, ok && code == EXIT_OK))
        code = EXIT_TROUBLE;
    collected_finish(&col);
    dg_diags_finish(&diags);
    dg_ledger_destroy(l);
    return code;
}
