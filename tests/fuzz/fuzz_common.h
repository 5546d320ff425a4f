/*
 * fuzz_common.h - what the libFuzzer targets share: a scratch directory on
 * tmpfs that each input is written into (the loaders take paths, and the
 * fuzzers go through the same path a user's file does: dg_read_text's size,
 * BOM, NUL and UTF-8 checks, the loader, the whole-ledger checks), and the
 * analyses run on every ledger that loads, each with a property that must
 * hold (a violated one traps, so libFuzzer reports it as a crash).
 *
 * Included by exactly one target per executable: everything is static.
 */
#ifndef DG_FUZZ_COMMON_H
#define DG_FUZZ_COMMON_H

#include "dealgraph/dealgraph.h"
#include "dealgraph/diff.h"
#include "dealgraph/exposure.h"
#include "dealgraph/gate.h"
#include "internal.h"
#include "dealgraph/loops.h"
#include "dealgraph/render.h"
#include "dealgraph/schedule.h"
#include "dealgraph/stressrun.h"

#include <igraph.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A property failed: stop here so that libFuzzer saves the input. */
#define FUZZ_CHECK(cond)                                                     \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "fuzz: property failed at %s:%d: %s\n",          \
                    __FILE__, __LINE__, #cond);                              \
            __builtin_trap();                                                \
        }                                                                    \
    } while (0)

static char fuzz_dir[64];

static inline void fuzz_cleanup(void)
{
    static const char *const names[] = {"ledger.dot", "deals.csv",
                                        "companies.csv", "graph.csv",
                                        "policy", "roundtrip.dot", NULL};
    char path[128];
    for (const char *const *n = names; *n; n++) {
        snprintf(path, sizeof path, "%s/%s", fuzz_dir, *n);
        unlink(path);
    }
    rmdir(fuzz_dir);
}

/* Once per process: igraph must return codes, never abort (the CLI does
 * the same in main), and a private scratch directory. */
static inline void fuzz_init(void)
{
    if (fuzz_dir[0])
        return;
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(fuzz_dir, sizeof fuzz_dir, "%s/dgfuzz.XXXXXX", base);
    if (!mkdtemp(fuzz_dir)) {
        perror("fuzz: mkdtemp");
        abort();
    }
    atexit(fuzz_cleanup);
}

/* Writes `n` bytes to fuzz_dir/name; returns the path (static buffer per
 * slot). */
static inline const char *fuzz_write(int slot, const char *name,
                                     const void *data, size_t n)
{
    static char paths[4][128];
    char *path = paths[slot];
    snprintf(path, sizeof paths[0], "%s/%s", fuzz_dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(data, 1, n, f) != n) || fclose(f) != 0) {
        perror("fuzz: write");
        abort();
    }
    return path;
}

static inline void fuzz_remove(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", fuzz_dir, name);
    unlink(path);
}

/* Every diagnostic is one printable line: a message that carried a raw
 * newline or escape sequence from the input would break FILE:LINE output
 * (and could write to the terminal). Errors have text. */
static inline void fuzz_check_diags(const dg_diags *d)
{
    size_t errors = 0, warnings = 0;
    for (size_t i = 0; i < d->count; i++) {
        const dg_diag *g = &d->items[i];
        fprintf(stderr, "%s", ""); /* keeps stderr line-buffered order */
        if (getenv("FUZZ_VERBOSE"))
            fprintf(stderr, "fuzz: diag %s:%ld: %s\n", g->file ? g->file : "",
                    g->line, g->message ? g->message : "(null)");
        FUZZ_CHECK(g->message && g->message[0]);
        for (const char *p = g->message; *p; p++)
            FUZZ_CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
        FUZZ_CHECK(g->line >= 0);
        if (g->severity == DG_SEV_ERROR)
            errors++;
        else
            warnings++;
    }
    if (!d->oom) {
        FUZZ_CHECK(errors == d->errors);
        FUZZ_CHECK(warnings == d->warnings);
    }
}

/* A loader's result agrees with its diagnostics: a ledger exactly when
 * there was no error, and invalid input always says why. */
static inline void fuzz_check_load(const dg_ledger *l, int status,
                            const dg_diags *d)
{
    fuzz_check_diags(d);
    if (l) {
        FUZZ_CHECK(status == DG_OK);
        FUZZ_CHECK(d->errors == 0);
        for (size_t i = 0; i < l->nlegs; i++) {
            const dg_leg *g = &l->legs[i];
            FUZZ_CHECK(g->from < l->ncompanies && g->to < l->ncompanies);
            FUZZ_CHECK(g->from != g->to);
            FUZZ_CHECK(g->line > 0); /* every leg can be pointed at */
            FUZZ_CHECK((unsigned)g->kind < DG_KIND_COUNT);
            FUZZ_CHECK((unsigned)g->status < DG_STATUS_COUNT);
            FUZZ_CHECK(!dg_has(g->amount) ||
                       (g->amount >= 0 && g->amount <= DG_MONEY_MAX));
        }
        for (size_t i = 0; i < l->ncompanies; i++)
            FUZZ_CHECK(dg_ledger_find(l, l->companies[i].name) == i);
    } else {
        FUZZ_CHECK(status != DG_OK);
        if (status == DG_EINPUT)
            FUZZ_CHECK(d->errors > 0);
    }
}

typedef struct fuzz_loops {
    uint64_t seen;
    size_t max_len;
} fuzz_loops;

static inline int fuzz_on_loop(const dg_loop *loop, void *ctx)
{
    fuzz_loops *f = ctx;
    FUZZ_CHECK(loop->length >= 2);
    FUZZ_CHECK(!f->max_len || loop->length <= f->max_len);
    FUZZ_CHECK(strlen(loop->id) == 10);
    for (size_t i = 0; i < loop->length; i++) {
        const dg_hop *h = &loop->hops[i];
        FUZZ_CHECK(h->from == loop->companies[i]);
        FUZZ_CHECK(h->to == loop->companies[(i + 1) % loop->length]);
        FUZZ_CHECK(h->nlegs >= 1);
    }
    f->seen++;
    return 0;
}

/* The analyses a command runs on a ledger, with small bounds so that one
 * input stays cheap. What each must give is in the checks. */
/* Every leg of a ledger that loads has a schedule (lint rejects the
 * periods dg_schedule_leg cannot build), and its months add up to it. */
static inline void fuzz_schedules(const dg_ledger *l)
{
    dg_schedule sc;
    dg_schedule_init(&sc);
    for (size_t i = 0; i < l->nlegs; i++) {
        for (int a = DG_AMOUNTS_DISCLOSED; a <= DG_AMOUNTS_HIGH; a++) {
            int rc = dg_schedule_leg(&l->legs[i], (dg_amounts)a, &sc);
            FUZZ_CHECK(rc == DG_OK || rc == DG_ENOMEM);
            if (rc != DG_OK)
                continue;
            FUZZ_CHECK(sc.nmonths <= DG_SCHEDULE_MAX_MONTHS);
            FUZZ_CHECK((sc.state == DG_SCHED_SCHEDULED) == (sc.nmonths > 0));
            double all = dg_schedule_months(&sc, INT_MIN, INT_MAX);
            if (sc.state == DG_SCHED_SCHEDULED)
                FUZZ_CHECK(fabs(all - sc.amount) <= 1e-9 * fabs(sc.amount) +
                                                         0.005);
            else
                FUZZ_CHECK(all == 0);
        }
    }
    dg_schedule_finish(&sc);
}

static inline void fuzz_analyse(const dg_ledger *l)
{
    dg_summary s;
    FUZZ_CHECK(dg_summary_compute(l, NULL, &s) == DG_OK);
    FUZZ_CHECK(s.legs == l->nlegs && s.companies == l->ncompanies);
    fuzz_schedules(l);

    dg_diags d;
    dg_diags_init(&d);
    dg_loop_options lo;
    dg_loop_options_init(&lo);
    lo.limit = 200;
    lo.max_len = 8;
    lo.max_seconds = 2;
    dg_loop_stats st;
    fuzz_loops fl = {0, lo.max_len};
    int rc = dg_loops_each(l, &lo, fuzz_on_loop, &fl, &st, &d);
    FUZZ_CHECK(rc == DG_OK || rc == DG_ENOMEM);
    FUZZ_CHECK(rc != DG_OK || fl.seen == st.count);
    /* counting only gives the same number, up to the limit */
    dg_loop_stats cs;
    rc = dg_loops_each(l, &lo, NULL, NULL, &cs, &d);
    FUZZ_CHECK(rc == DG_OK || rc == DG_ENOMEM);
    if (rc == DG_OK && !st.timed_out && !cs.timed_out)
        FUZZ_CHECK(cs.count == st.count);

    lo.temporal = true;
    lo.window_days = 400;
    fl.seen = 0;
    rc = dg_loops_each(l, &lo, fuzz_on_loop, &fl, &st, &d);
    FUZZ_CHECK(rc == DG_OK || rc == DG_ENOMEM);

    double looped, lf;
    size_t und;
    rc = dg_loops_value(l, NULL, 0, &looped, &lf, &und);
    FUZZ_CHECK(rc == DG_OK || rc == DG_ENOMEM || rc == DG_ELIMIT);

    /* the ledger's focus (the loader checked it names a company), else the
     * first company */
    size_t focus = 0;
    bool have_focus = l->focus ? dg_focus_resolve(l, NULL, "fuzz", &focus,
                                                  &d) == DG_OK
                               : l->ncompanies > 0;
    if (have_focus) {
        dg_exposure e;
        rc = dg_exposure_compute(l, NULL, focus, &e, &d);
        FUZZ_CHECK(rc == DG_OK || rc == DG_EINPUT || rc == DG_ELIMIT ||
                   rc == DG_ENOMEM);
        if (rc == DG_OK) {
            FUZZ_CHECK(e.n == l->ncompanies);
            FUZZ_CHECK(!(e.fci < 0) && !(e.fci > 1 + 1e-9));
            for (size_t i = 0; i < e.n; i++) {
                double x = e.rows[i].direct_inflow_share;
                FUZZ_CHECK(isnan(x) || (x >= -1e-12 && x <= 1 + 1e-9));
            }
        }
        dg_exposure_finish(&e);
        for (int m = 0; m < DG_MODEL_COUNT; m++) {
            dg_stress_options so;
            dg_stress_options_init(&so);
            so.model = (dg_stress_model)m;
            so.focus = focus;
            so.shortfall = 0.5;
            dg_stress_result sr;
            rc = dg_stress_run(l, &so, &sr, &d);
            FUZZ_CHECK(rc == DG_OK || rc == DG_EINPUT || rc == DG_ELIMIT ||
                       rc == DG_ENOMEM);
            dg_stress_result_finish(&sr);
        }
    }

    /* A ledger compared with itself has no changes. */
    dg_diff_options dopt;
    dg_diff_options_init(&dopt);
    dopt.loops.max_len = 6;
    dopt.loops.limit = 200;
    dg_diff df;
    rc = dg_diff_compute(l, l, &dopt, &df);
    FUZZ_CHECK(rc == DG_OK || rc == DG_ELIMIT || rc == DG_ENOMEM ||
               rc == DG_EINPUT);
    if (rc == DG_OK)
        FUZZ_CHECK(dg_diff_empty(&df));
    dg_diff_finish(&df);

    fuzz_check_diags(&d);
    dg_diags_finish(&d);
}

/* What a free text becomes in the annotated DOT and back: cgraph reads \"
 * as a quote and drops a backslash before a line break, so the writer
 * doubles an odd run of backslashes just before a quote, a line break or
 * the end (company names that would need it are refused by the loader).
 * Returns a static buffer (the texts compared here are short enough). */
static inline const char *fuzz_dot_text(const char *s, char *out, size_t n)
{
    size_t k = 0;
    if (!s)
        s = "";
    for (const char *p = s; *p && k + 3 < n;) {
        if (*p != '\\') {
            out[k++] = *p++;
            continue;
        }
        size_t run = 0;
        for (; *p == '\\' && k + 3 < n; p++, run++)
            out[k++] = '\\';
        if ((run & 1) &&
            (*p == '"' || *p == '\n' || *p == '\r' || *p == '\0'))
            out[k++] = '\\';
    }
    out[k] = '\0';
    return out;
}

/* A leg as text, for comparing two ledgers leg by leg. */
static inline char *fuzz_leg_text(const dg_ledger *l, const dg_leg *g)
{
    dg_buf b;
    dg_buf_init(&b);
    char d1[16], d2[16], d3[16];
    static char t1[1 << 16], t2[1 << 16], t3[1 << 16];
    dg_buf_printf(&b, "%s\x1f%s\x1f%d\x1f%d\x1f%a\x1f%a\x1f%a\x1f%d%d\x1f%s"
                      "\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s",
                  l->companies[g->from].name, l->companies[g->to].name,
                  (int)g->kind, (int)g->status, g->amount, g->amount_low,
                  g->amount_high, (int)g->per, g->upto,
                  dg_date_format(g->announced, d1, sizeof d1),
                  dg_date_format(g->start, d2, sizeof d2),
                  dg_date_format(g->end, d3, sizeof d3),
                  fuzz_dot_text(g->deal, t1, sizeof t1),
                  fuzz_dot_text(g->source, t2, sizeof t2),
                  fuzz_dot_text(g->note, t3, sizeof t3));
    return dg_buf_take(&b);
}

static inline int fuzz_strcmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The legs of two ledgers are the same multiset. */
static inline bool fuzz_same_legs(const dg_ledger *a, const dg_ledger *b)
{
    if (a->nlegs != b->nlegs)
        return false;
    size_t n = a->nlegs;
    char **x = calloc(n ? n : 1, sizeof *x), **y = calloc(n ? n : 1, sizeof *y);
    FUZZ_CHECK(x && y);
    for (size_t i = 0; i < n; i++) {
        x[i] = fuzz_leg_text(a, &a->legs[i]);
        y[i] = fuzz_leg_text(b, &b->legs[i]);
        FUZZ_CHECK(x[i] && y[i]);
    }
    qsort(x, n, sizeof *x, fuzz_strcmp);
    qsort(y, n, sizeof *y, fuzz_strcmp);
    bool same = true;
    for (size_t i = 0; i < n; i++) {
        if (same && strcmp(x[i], y[i]) != 0) {
            fprintf(stderr,
                    "fuzz: leg differs after the round trip:\n  %s\n  %s\n",
                    x[i], y[i]);
            same = false;
        }
        free(x[i]);
        free(y[i]);
    }
    free(x);
    free(y);
    return same;
}

/* `dealgraph render -T dot` keeps every ledger attribute, "so dealgraph
 * can read this file back" (docs/render.md): the annotated DOT of a ledger
 * loads again, with the same legs and the same company figures. */
static inline void fuzz_roundtrip(const dg_ledger *l)
{
    /* The annotated DOT is the picture's ledger: it leaves out the legs
     * that have ended, so a ledger with ended or superseded legs does not
     * come back whole (a kept leg's `supersedes` names a leg that is not
     * drawn). A faithful copy of such a ledger is the export's job, not
     * the picture's (issue 17); until then it is not round-tripped. */
    for (size_t i = 0; i < l->nlegs; i++)
        if (dg_date_valid(l->legs[i].ends))
            return;
    dg_render_options ro;
    dg_render_options_init(&ro);
    ro.format = DG_RENDER_DOT;
    char *data = NULL;
    size_t len = 0;
    dg_diags d;
    dg_diags_init(&d);
    int rc = dg_render(l, &ro, &data, &len, &d);
    FUZZ_CHECK(rc == DG_OK || rc == DG_ENOMEM || rc == DG_ELIMIT);
    fuzz_check_diags(&d);
    dg_diags_finish(&d);
    if (rc != DG_OK) {
        free(data);
        return;
    }
    const char *path = fuzz_write(3, "roundtrip.dot", data, len);
    free(data);
    dg_diags_init(&d);
    int status;
    dg_ledger *back = dg_ledger_load(path, NULL, &d, &status);
    if (!back) {
        for (size_t i = 0; i < d.count; i++)
            fprintf(stderr, "fuzz: round trip: %ld: %s\n", d.items[i].line,
                    d.items[i].message);
    }
    FUZZ_CHECK(back != NULL);
    FUZZ_CHECK(fuzz_same_legs(l, back));
    for (size_t i = 0; i < l->ncompanies; i++) {
        const dg_company *c = &l->companies[i];
        size_t j = dg_ledger_find(back, c->name);
        if (j == (size_t)-1)
            continue; /* a company without a drawn leg may be left out */
        const dg_company *e = &back->companies[j];
        FUZZ_CHECK(c->sector == e->sector);
        FUZZ_CHECK(memcmp(&c->equity, &e->equity, sizeof c->equity) == 0 ||
                   (isnan(c->equity) && isnan(e->equity)));
        FUZZ_CHECK((isnan(c->cash) && isnan(e->cash)) || c->cash == e->cash);
    }
    /* the focus stays when it is drawn (has a leg) */
    size_t f = l->focus ? dg_ledger_find(l, l->focus) : (size_t)-1;
    bool drawn = false;
    for (size_t i = 0; f != (size_t)-1 && i < l->nlegs; i++)
        drawn = drawn || l->legs[i].from == f || l->legs[i].to == f;
    FUZZ_CHECK(drawn == (back->focus != NULL));
    if (drawn)
        FUZZ_CHECK(strcmp(l->focus, back->focus) == 0);
    dg_ledger_destroy(back);
    dg_diags_finish(&d);
}

#endif
