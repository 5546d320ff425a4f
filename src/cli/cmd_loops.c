/*
 * cmd_loops.c - dealgraph loops: the closed value loops of a ledger,
 * ranked, with their hops, values, patterns and significance. The loops
 * are the library's (loopset.h); this file chooses, shows and counts
 * them. `--sort none` writes each loop as the search finds it.
 */
#include "cli.h"
#include "dealgraph/loops.h"
#include "dealgraph/loopset.h"
#include "dealgraph/text.h"

#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern const cli_command cli_cmd_loops;

/* ---- options ---------------------------------------------------------------- */

/* --limit, and whether it was given: --count counts every loop unless
 * told otherwise. */
typedef struct limit_arg {
    uint64_t n;
    bool given;
} limit_arg;

enum { SORT_VALUE, SORT_LENGTH, SORT_NONE };

typedef struct loops_opts {
    size_t max_len;
    double min_value; /* NaN: all */
    const char *through;
    bool temporal;
    size_t window; /* days; SIZE_MAX: none */
    limit_arg limit;
    int sort;
    bool count;
    size_t nulls, seed;
    double max_seconds;
    size_t top; /* text and md: at most this many rows; 0: all */
    bool unattended;
} loops_opts;

static void defaults(void *p)
{
    loops_opts *o = p;
    o->min_value = NAN;
    o->window = SIZE_MAX;
    o->limit.n = 100000;
    o->seed = 1;
}

static bool parse_min_value(const char *cmd, const cli_option *o,
                            const char *arg, void *dst)
{
    if (dg_money_parse(arg, dst))
        return true;
    cli_error("%s: --%s '%s' is not a money value; write %s", cmd, o->name,
              arg, dg_money_forms());
    return false;
}

static const char *const sort_names[] = {"value", "length", "none", NULL};

static bool parse_sort(const char *cmd, const cli_option *o, const char *arg,
                       void *dst)
{
    for (int k = 0; sort_names[k]; k++)
        if (strcmp(arg, sort_names[k]) == 0) {
            *(int *)dst = k;
            return true;
        }
    cli_error("%s: unknown --%s '%s'; use value, length or none", cmd,
              o->name, arg);
    return false;
}

static bool parse_limit(const char *cmd, const cli_option *o, const char *arg,
                        void *dst)
{
    limit_arg *l = dst;
    l->given = cli_parse_u64(cmd, o, arg, &l->n);
    return l->given;
}

static const cli_value max_len_value = {
    "a loop length", "give a whole number of companies, 2 or more", 2, 1e6,
    NULL};
static const cli_value window_value = {
    "a number of days", "give a whole number, 0 or more", 0, 1e6, NULL};
static const cli_value limit_value = {
    "a count", "give a whole number (0 = no limit)", 0, 0, NULL};
static const cli_value null_value = {
    "a number of rewirings", "give a whole number up to 1000000", 0, 1e6,
    NULL};
static const cli_value seed_value = {
    "a seed", "give a whole number from 0 to 4294967295", 0, 4294967295.0,
    NULL};
static const cli_value seconds_value = {
    "a duration", "give a positive number of seconds", DBL_MIN, 1e7, NULL};
static const cli_value top_value = {
    "a number of loops", "give a whole number (0 = all)", 0, 0, NULL};

#define AT(field) offsetof(loops_opts, field)

static const cli_option options[] = {
    {"max-len", 0, "N", "loops of at most N companies", cli_parse_count,
     AT(max_len), &max_len_value},
    {"min-value", 0, "X",
     "loops worth at least X (money: 10B, $1.5T, ...); undisclosed loops "
     "are left out",
     parse_min_value, AT(min_value), NULL},
    {"through", 0, "NAME", "loops through this company", cli_parse_string,
     AT(through), NULL},
    {"temporal", 0, NULL,
     "time-respecting loops only, one leg per hop: announced dates "
     "non-decreasing around the loop",
     NULL, AT(temporal), NULL},
    {"window", 0, "DAYS",
     "in time (and with --temporal, listed) only when the last leg is at "
     "most DAYS after the first",
     cli_parse_count, AT(window), &window_value},
    {"limit", 0, "N",
     "stop after N loops (default 100000; says 'truncated'); 0 = no limit",
     parse_limit, AT(limit), &limit_value},
    {"sort", 0, "value|length|none",
     "order (default value: largest first; none streams in search order "
     "without storing)",
     parse_sort, AT(sort), NULL},
    {"count", 0, NULL, "only the total and the count per length", NULL,
     AT(count), NULL},
    {"top", 0, "N",
     "text and md list the first N loops, then say how many more (default: "
     "all)",
     cli_parse_count, AT(top), &top_value},
    {"null", 0, "N",
     "significance against N degree-preserving rewirings of the company "
     "graph",
     cli_parse_count, AT(nulls), &null_value},
    {"seed", 0, "S", "seed of the rewirings (default 1)", cli_parse_count,
     AT(seed), &seed_value},
    {"max-seconds", 0, "S",
     "stop the search after S seconds of CPU time and say the result is "
     "partial",
     cli_parse_number, AT(max_seconds), &seconds_value},
    {"unattended", 0, NULL,
     "search as the report does: 60 s of CPU time at most (unless "
     "--max-seconds), no progress display, and no significance when the "
     "search was cut short",
     NULL, AT(unattended), NULL},
    {NULL, 0, NULL, NULL, NULL, 0, NULL},
};

/* The search the options ask for. */
static void loop_options(dg_loop_options *lo, const loops_opts *o,
                         const cli_common *c)
{
    dg_loop_options_init(lo);
    lo->filter = c->filter;
    lo->max_len = o->max_len;
    lo->min_value = o->min_value;
    lo->through = o->through;
    lo->temporal = o->temporal;
    lo->window_days = o->window == SIZE_MAX ? -1 : (long)o->window;
    /* counting writes nothing per loop: count them all unless told */
    lo->limit = o->count && !o->limit.given ? 0 : o->limit.n;
    lo->max_seconds = o->max_seconds > 0 ? o->max_seconds
                      : o->unattended    ? DG_LOOPS_AUTO_SECONDS
                                         : 0;
}

/* What the options cannot do together, said before any search. */
static bool options_ok(const loops_opts *o, const cli_common *c)
{
    if (!o->nulls)
        return true;
    dg_loop_options lo;
    loop_options(&lo, o, c);
    if (dg_loops_null_check(&lo, o->nulls, NULL) != DG_OK) {
        if (o->nulls < 2)
            cli_error("loops: --null %zu gives no spread to compare with; "
                      "give 2 or more rewirings (200 is a good start)",
                      o->nulls);
        else
            cli_error("loops: --null compares the whole loop count and "
                      "looped value; it does not combine with --through, "
                      "--temporal or --min-value");
        return false;
    }
    if (c->format == CLI_OUT_CSV || o->sort == SORT_NONE) {
        cli_error("loops: --null needs --format text, md or json, sorted "
                  "output (csv and --sort none have no place for it)");
        return false;
    }
    return true;
}

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

/* A search that failed: the library's message, with the option it is
 * about, or what went wrong. */
static void search_failed(int rc, const dg_loop_options *lo,
                          const dg_diags *diags)
{
    for (size_t i = 0; i < diags->count; i++)
        /* dg_loops_each refuses only a `through` that names no company */
        cli_error("loops: %s%s",
                  rc == DG_EUSAGE && lo->through ? "--through " : "",
                  diags->items[i].message);
    if (!diags->count)
        cli_error("loops: %s", dg_strerror(rc));
}

/* ---- the document ----------------------------------------------------------- */

typedef struct loops_result {
    const dg_ledger *l;
    const loops_opts *o;
    const dg_loop_options *lo;
    const dg_loopset *set; /* NULL with --count */
    dg_loop_stats stats;
    bool full;        /* the set reached DG_LOOPS_MAX_BYTES */
    bool have_null;
    dg_loop_null null;
} loops_result;

static void value_text(dg_buf *b, double value, bool partial)
{
    char m[32];
    if (!dg_has(value)) {
        dg_buf_puts(b, "undisclosed");
        return;
    }
    if (partial)
        dg_buf_puts(b, "at least ");
    dg_buf_puts(b, dg_money_format(value, m, sizeof m));
}

/* "35 loops by length: 2: 10, 3: 5", then what was searched. */
static void heading(cli_doc *d, const loops_result *res)
{
    const dg_loop_stats *s = &res->stats;
    const dg_loop_options *lo = res->lo;
    dg_buf count, what;
    dg_buf_init(&count);
    dg_buf_init(&what);
    dg_buf_printf(&count, "%llu loop%s", (unsigned long long)s->count,
                  s->count == 1 ? "" : "s");
    if (res->full)
        dg_buf_printf(&count, " (truncated: the loops kept fill %zu MiB; "
                              "give --max-len, --limit or --sort none)",
                      DG_LOOPS_MAX_BYTES >> 20);
    else if (s->truncated)
        dg_buf_puts(&count, " (truncated: the --limit was reached)");
    else if (s->timed_out)
        dg_buf_puts(&count, " (partial: --max-seconds was reached)");
    for (size_t k = 1, first = 1; k <= 65; k++) {
        uint64_t n = s->by_length[k % 65];
        if (!n)
            continue;
        dg_buf_puts(&count, first ? " by length: " : ", ");
        if (k < 65)
            dg_buf_printf(&count, "%zu: %llu", k, (unsigned long long)n);
        else
            dg_buf_printf(&count, "longer than 64: %llu",
                          (unsigned long long)n);
        first = 0;
    }
    dg_buf_printf(&what, "amounts: %s", dg_amounts_name(lo->filter.amounts));
    if (lo->max_len)
        dg_buf_printf(&what, "; at most %zu companies", lo->max_len);
    if (lo->through)
        dg_buf_printf(&what, "; through %s", lo->through);
    if (lo->temporal) {
        dg_buf_puts(&what, "; time-respecting leg sets");
        if (lo->window_days >= 0)
            dg_buf_printf(&what, " within %ld days", lo->window_days);
    } else if (lo->window_days >= 0 && !res->o->count) {
        dg_buf_printf(&what, "; in time: within %ld days", lo->window_days);
    }
    if (count.oom || what.oom) {
        d->oom = true;
    } else {
        /* the terminal's lines start at the margin (scripts read the
         * first); a page's are one paragraph under the title */
        doc_only(d, DOC_MD | DOC_HTML);
        doc_heading(d, 2, "Loops in %s",
                    res->l->title ? res->l->title : res->l->path);
        doc_line(d, "%s", count.data);
        doc_line(d, "%s", what.data);
        doc_only(d, DOC_TEXT);
        doc_para(d, "%s\n%s", count.data, what.data);
        doc_only(d, 0);
    }
    dg_buf_finish(&count);
    dg_buf_finish(&what);
}

static void significance(cli_doc *d, const loops_result *res)
{
    const loops_opts *o = res->o;
    if (!o->nulls)
        return;
    doc_heading(d, 3, "Significance against %zu degree-preserving rewirings "
                      "(seed %zu)",
                o->nulls, o->seed);
    if (!res->have_null) {
        doc_note(d, "not computed: the search was cut short, so there is no "
                    "whole loop count to compare");
        return;
    }
    const dg_loop_null *n = &res->null;
    char a[32], b[32], z[48];
    if (dg_has(n->z_count))
        snprintf(z, sizeof z, "z = %.2f", n->z_count);
    else
        snprintf(z, sizeof z, "z undefined (no spread)");
    doc_note(d,
             "loop count: observed %llu, null mean %.2f (sd %.2f), %s, "
             "p = %.4g",
             (unsigned long long)n->observed_count, n->mean_count,
             n->sd_count, z, n->p_count);
    if (dg_has(n->z_value))
        snprintf(z, sizeof z, "z = %.2f", n->z_value);
    else
        snprintf(z, sizeof z, "z undefined (no spread)");
    doc_note(d, "looped value: observed %s, null mean %s, %s, p = %.4g",
             dg_money_format(n->observed_value, a, sizeof a),
             dg_money_format(n->mean_value, b, sizeof b), z, n->p_value);
    if (n->timed_out)
        doc_note(d, "(partial: --max-seconds cut some counts short)");
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

/* The loops as people read them: the first `top`, ranked. */
static void human_table(cli_doc *d, const loops_result *res)
{
    size_t n = dg_loopset_count(res->set);
    size_t top = res->o->top;
    size_t shown = top && top < n ? top : n;
    cli_table t;
    cli_table_init(&t, table_cols, 8);
    dg_buf b;
    dg_buf_init(&b);
    for (size_t i = 0; i < shown; i++) {
        const dg_loop *r = dg_loopset_loop(res->set, i);
        cli_table_row(&t);
        cli_table_int(&t, 0, (long long)i + 1);
        cli_table_text(&t, 1, r->id);
        cli_table_int(&t, 2, (long long)r->length);
        dg_buf_clear(&b);
        value_text(&b, r->value, r->partial);
        cli_table_text(&t, 3, b.data);
        cli_table_text(&t, 4, dg_pattern_name(r->pattern));
        cli_table_text(&t, 5, dg_status_name(r->firmness));
        cli_table_text(&t, 6, r->time_respecting ? "yes" : "no");
        dg_buf_clear(&b);
        dg_loop_path_text(res->l, r, &b);
        cli_table_text(&t, 7, b.data);
    }
    if (b.oom) /* a cell's text was cut short */
        t.oom = true;
    dg_buf_finish(&b);
    doc_table(d, &t, DOC_HUMAN);
    if (shown < n)
        doc_para(d, "%zu more loop%s: 'dealgraph loops %s' lists them all.",
                 n - shown, n - shown == 1 ? "" : "s", res->l->path);
    doc_para(d, "A loop's value is its smallest hop: the most that can go "
                "round. \"at least\" marks\na hop with undisclosed legs; "
                "\"in time\": the legs can be read in announcement order.");
}

/* One loop as a row of the CSV table; sig and names are scratch. */
static void csv_row(cli_table *t, const dg_ledger *l, const dg_loop *r,
                    dg_buf *sig, dg_buf *names)
{
    dg_buf_clear(sig);
    dg_buf_clear(names);
    dg_loop_signature_text(r, sig);
    dg_loop_companies_text(l, r, ">", false, names);
    if (sig->oom || names->oom)
        t->oom = true; /* a cell's text was cut short */
    cli_table_row(t);
    cli_table_text(t, 0, r->id);
    cli_table_int(t, 1, (long long)r->length);
    cli_table_money(t, 2, r->value);
    cli_table_bool(t, 3, r->partial);
    cli_table_text(t, 4, dg_pattern_key(r->pattern));
    cli_table_text(t, 5, dg_status_name(r->firmness));
    cli_table_bool(t, 6, r->time_respecting);
    cli_table_text(t, 7, sig->data ? sig->data : "");
    cli_table_text(t, 8, names->data ? names->data : "");
}

static void csv_table(cli_doc *d, const loops_result *res)
{
    cli_table t;
    cli_table_init(&t, csv_cols, 9);
    dg_buf sig, names;
    dg_buf_init(&sig);
    dg_buf_init(&names);
    for (size_t i = 0; i < dg_loopset_count(res->set); i++)
        csv_row(&t, res->l, dg_loopset_loop(res->set, i), &sig, &names);
    dg_buf_finish(&sig);
    dg_buf_finish(&names);
    doc_table(d, &t, DOC_CSV);
}

/* --count --format csv: the count per length. */
static void count_table(cli_doc *d, const dg_loop_stats *s)
{
    static const cli_column cols[] = {{"length", "length"},
                                      {"count", "count"}};
    cli_table t;
    cli_table_init(&t, cols, 2);
    for (size_t k = 1; k <= 65; k++) {
        uint64_t n = s->by_length[k % 65];
        if (!n)
            continue;
        cli_table_row(&t);
        if (k < 65)
            cli_table_int(&t, 0, (long long)k);
        else
            cli_table_text(&t, 0, "65+");
        cli_table_int(&t, 1, (long long)n);
    }
    doc_table(d, &t, DOC_CSV);
}

static json_t *loop_json(const dg_ledger *l, const dg_loop *r, dg_buf *b)
{
    json_t *companies = json_array(), *hops = json_array();
    for (size_t i = 0; i < r->length; i++)
        json_array_append_new(companies,
                              json_string(l->companies[r->companies[i]].name));
    for (size_t i = 0; i < r->length; i++) {
        const dg_hop *h = &r->hops[i];
        json_t *legs = json_array();
        for (size_t k = 0; k < h->nlegs; k++) {
            const dg_leg *g = &l->legs[h->legs[k]];
            json_array_append_new(legs, cli_json_leg(g));
        }
        dg_buf_clear(b);
        dg_kinds_text(h->kinds, b);
        json_array_append_new(
            hops, json_pack("{s:s, s:s, s:s, s:o, s:b, s:o}", "from",
                            l->companies[h->from].name, "to",
                            l->companies[h->to].name, "kinds", b->data,
                            "value", cli_json_money(h->value),
                            "value_is_floor", h->partial, "legs", legs));
    }
    dg_buf_clear(b);
    dg_loop_signature_text(r, b);
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

static json_t *result_json(const loops_result *res)
{
    json_t *doc = cli_json_document();
    if (!doc)
        return NULL;
    const dg_loop_stats *s = &res->stats;
    json_t *by = json_object();
    char key[16];
    for (size_t k = 1; k <= 64; k++) {
        if (!s->by_length[k])
            continue;
        snprintf(key, sizeof key, "%zu", k);
        json_object_set_new(by, key, json_integer((json_int_t)s->by_length[k]));
    }
    if (s->by_length[0])
        json_object_set_new(by, "65+",
                            json_integer((json_int_t)s->by_length[0]));
    json_object_set_new(doc, "file", cli_json_text(res->l->path));
    json_object_set_new(doc, "amounts",
                        json_string(dg_amounts_name(res->lo->filter.amounts)));
    json_object_set_new(doc, "count", json_integer((json_int_t)s->count));
    json_object_set_new(doc, "truncated", json_boolean(s->truncated));
    json_object_set_new(doc, "timed_out", json_boolean(s->timed_out));
    json_object_set_new(doc, "by_length", by);
    if (res->set) {
        json_t *arr = json_array();
        dg_buf b;
        dg_buf_init(&b);
        for (size_t i = 0; i < dg_loopset_count(res->set); i++)
            json_array_append_new(
                arr, loop_json(res->l, dg_loopset_loop(res->set, i), &b));
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

static void document(cli_doc *d, const loops_result *res,
                     cli_out_format format)
{
    if (format == CLI_OUT_JSON) {
        doc_json(d, result_json(res));
        return;
    }
    if (format == CLI_OUT_CSV) {
        if (res->set)
            csv_table(d, res);
        else
            count_table(d, &res->stats);
        return;
    }
    heading(d, res);
    if (res->set && dg_loopset_count(res->set))
        human_table(d, res);
    significance(d, res);
}

/* Searches, ranks and measures as the options say, then builds the
 * document of it. */
static int loops_build(cli_doc *d, const dg_ledger *l, const cli_common *c,
                       const void *opts)
{
    const loops_opts *o = opts;
    if (!options_ok(o, c))
        return EXIT_TROUBLE;
    dg_loop_options lo;
    loop_options(&lo, o, c);
    loops_result res;
    memset(&res, 0, sizeof res);
    res.l = l;
    res.o = o;
    res.lo = &lo;
    dg_loopset *set = NULL;
    dg_diags diags;
    dg_diags_init(&diags);
    progress prog;
    memset(&prog, 0, sizeof prog);
    if (!o->unattended)
        progress_start(&prog, &lo);
    int rc = o->count
                 ? dg_loops_each(l, &lo, NULL, NULL, &res.stats, &diags)
                 : dg_loopset_collect(l, &lo, 0, &set, &diags);
    progress_end(&prog);
    int code = EXIT_TROUBLE;
    if (rc != DG_OK) {
        search_failed(rc, &lo, &diags);
        goto done;
    }
    if (set) {
        res.set = set;
        res.stats = *dg_loopset_stats(set);
        res.full = dg_loopset_full(set);
    }
    /* an unattended search cut short leaves the time it used to the rest:
     * there is no whole count to compare then */
    bool whole = !res.stats.truncated && !res.stats.timed_out;
    if (o->nulls && (whole || !o->unattended)) {
        /* a display of its own: the clock starts again */
        if (lo.progress_ctx)
            progress_start(&prog, &lo);
        rc = dg_loops_null(l, &lo, o->nulls, o->seed, &res.null);
        progress_end(&prog);
        if (rc != DG_OK) {
            cli_error("loops: null model: %s", dg_strerror(rc));
            goto done;
        }
        res.have_null = true;
    }
    if (set && o->sort != SORT_NONE &&
        dg_loopset_sort(set, o->sort == SORT_LENGTH ? DG_LOOP_ORDER_LENGTH
                                                    : DG_LOOP_ORDER_VALUE) !=
            DG_OK) {
        cli_out_of_memory();
        goto done;
    }
    document(d, &res, c->format);
    code = EXIT_OK;
done:
    dg_loopset_destroy(set);
    dg_diags_finish(&diags);
    return code;
}

/* ---- --sort none: each loop written as it is found, nothing kept ------------ */

typedef struct stream {
    const dg_ledger *l;
    FILE *out;
    cli_out_format fmt;
    uint64_t rank;
    dg_buf a, b; /* reused: no allocation per loop once grown */
    bool oom;
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

/* A CSV field as cli_table writes one (output.c): quoted when it holds a
 * comma, a quote or a line break, with quotes doubled. The streamed and
 * the sorted CSV are the same rows. */

static int stream_one(const dg_loop *loop, void *ctx)
{
    stream *s = ctx;
    char num[24];
    s->rank++;
    if (s->fmt == CLI_OUT_CSV) {
        /* the cells of the sorted CSV, in its machine form */
        dg_buf_clear(&s->a);
        dg_buf_clear(&s->b);
        dg_loop_signature_text(loop, &s->a);
        dg_loop_companies_text(s->l, loop, ">", false, &s->b);
        if (s->a.oom || s->b.oom) {
            s->oom = true; /* reported as out of memory */
            return 1;
        }
        char val[32] = "";
        if (dg_has(loop->value))
            snprintf(val, sizeof val, "%.17g", loop->value);
        const char *field[] = {loop->id,
                               u64_text(loop->length, num),
                               val,
                               loop->partial ? "true" : "false",
                               dg_pattern_key(loop->pattern),
                               dg_status_name(loop->firmness),
                               loop->time_respecting ? "true" : "false",
                               s->a.data,
                               s->b.data};
        for (size_t f = 0; f < sizeof field / sizeof field[0]; f++) {
            if (f)
                fputc(',', s->out);
            cli_csv_field(s->out, field[f]);
        }
        fputc('\n', s->out);
    } else {
        /* one line, "RANK  ID  LEN  VALUE  PATTERN  FIRMNESS  PATH", put
         * together by hand: fprintf's parsing was a third of the time */
        dg_buf_clear(&s->a);
        value_text(&s->a, loop->value, loop->partial);
        dg_buf_clear(&s->b);
        dg_loop_path_text(s->l, loop, &s->b);
        if (s->a.oom || s->b.oom) {
            s->oom = true; /* reported as out of memory */
            return 1;
        }
        fputs(u64_text(s->rank, num), s->out);
        fputs("  ", s->out);
        fputs(loop->id, s->out);
        fputs("  ", s->out);
        fputs(u64_text(loop->length, num), s->out);
        fputs("  ", s->out);
        fputs(s->a.data, s->out);
        fputs("  ", s->out);
        fputs(dg_pattern_name(loop->pattern), s->out);
        fputs("  ", s->out);
        fputs(dg_status_name(loop->firmness), s->out);
        fputs("  ", s->out);
        fputs(s->b.data, s->out);
        fputc('\n', s->out);
    }
    return ferror(s->out) ? 1 : 0;
}

static int stream_loops(const dg_ledger *l, const cli_common *c,
                        const loops_opts *o)
{
    dg_loop_options lo;
    loop_options(&lo, o, c);
    /* streamed loops on the same terminal are their own progress */
    progress prog;
    memset(&prog, 0, sizeof prog);
    if (!o->unattended &&
        !((!c->output || strcmp(c->output, "-") == 0) &&
          isatty(STDOUT_FILENO)))
        progress_start(&prog, &lo);
    cli_output out;
    if (!cli_output_open_as(&out, c))
        return EXIT_TROUBLE;
    stream s;
    memset(&s, 0, sizeof s);
    s.l = l;
    s.out = out.f;
    s.fmt = c->format;
    dg_buf_init(&s.a);
    dg_buf_init(&s.b);
    if (c->format == CLI_OUT_CSV)
        for (size_t k = 0; k < 9; k++) {
            cli_csv_field(out.f, csv_cols[k].key);
            fputc(k < 8 ? ',' : '\n', out.f);
        }
    dg_diags diags;
    dg_diags_init(&diags);
    dg_loop_stats st;
    int rc = dg_loops_each(l, &lo, stream_one, &s, &st, &diags);
    progress_end(&prog);
    if (rc == DG_OK && s.oom)
        rc = DG_ENOMEM;
    bool ok = rc == DG_OK && !ferror(out.f);
    if (rc == DG_OK && c->format == CLI_OUT_TEXT)
        fprintf(out.f, "%llu loop%s%s\n", (unsigned long long)st.count,
                st.count == 1 ? "" : "s",
                st.truncated   ? " (truncated: the --limit was reached)"
                : st.timed_out ? " (partial: --max-seconds was reached)"
                               : "");
    if (rc != DG_OK)
        search_failed(rc, &lo, &diags);
    dg_buf_finish(&s.a);
    dg_buf_finish(&s.b);
    dg_diags_finish(&diags);
    return cli_output_close(&out, ok) && ok ? EXIT_OK : EXIT_TROUBLE;
}

/* ---- the command ------------------------------------------------------------ */

static int loops_run(const cli_common *c, const void *opts, int argc,
                     char **argv)
{
    const loops_opts *o = opts;
    if (argc != 1) {
        cli_error("loops: give exactly one ledger; usage: dealgraph loops "
                  "FILE");
        return EXIT_TROUBLE;
    }
    if (!options_ok(o, c))
        return EXIT_TROUBLE;
    dg_ledger *l = cli_load(argv[0], &c->load);
    if (!l)
        return EXIT_TROUBLE;
    int code;
    if (o->sort == SORT_NONE && !o->count &&
        (c->format == CLI_OUT_TEXT || c->format == CLI_OUT_CSV)) {
        code = stream_loops(l, c, o);
    } else {
        cli_doc d;
        doc_init(&d);
        code = loops_build(&d, l, c, opts);
        if (code != EXIT_TROUBLE && cli_emit(&d, c) != EXIT_OK)
            code = EXIT_TROUBLE;
        doc_finish(&d);
    }
    dg_ledger_destroy(l);
    return code;
}


static const char about[] =
    "Finds every closed value loop: an elementary cycle of companies, each\n"
    "hop carried by at least one leg that passes the filters (parallel legs\n"
    "between two companies are one hop).";

const cli_command cli_cmd_loops = {
    .name = "loops",
    .summary = "closed value loops, ranked by value",
    .usage = "[OPTIONS] FILE",
    .about = about,
    .exits = "Exit codes: 0 success, 2 bad usage or unreadable or invalid "
             "input.",
    .formats = DOC_TEXT | DOC_MD | DOC_JSON | DOC_CSV,
    .shared = CLI_SHARE_ANALYSIS,
    .options = options,
    .opts_size = sizeof(loops_opts),
    .defaults = defaults,
    .build = loops_build,
    .run = loops_run,
};
