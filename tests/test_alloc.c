/* Allocation failures in the library, in the manner of SQLite's malloc
 * tests and curl's torture runs: this executable is linked with
 * alloc_fail.c and its --wrap options, so that every allocation the
 * library's own code makes (and igraph's, when it is linked statically;
 * not cgraph's or jansson's: they are shared libraries) goes through the
 * wrappers there. Each scenario is run once to count its allocations and
 * record its result, then once for every N from 1 to that count with the
 * N-th allocation failing. Every such run must
 *  - report the failure (DG_ENOMEM, or the `oom` flag of its diagnostics)
 *    or, where the failed allocation was not needed, give exactly the
 *    result of the clean run: never a different, silent result;
 *  - free everything it allocated (the wrappers keep the set of live
 *    blocks), and never crash. The sanitizer build runs this file too. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_fail.h"
#include "dealgraph/diff.h"
#include "dealgraph/exposure.h"
#include "dealgraph/gate.h"
#include "dealgraph/loops.h"
#include "dealgraph/render.h"
#include "dealgraph/schedule.h"
#include "dealgraph/stressrun.h"
#include "dealgraph/yearly.h"
#include "support.h"

/* ---- results ----------------------------------------------------------- */

/* A scenario's result as a 64-bit digest (FNV-1a) of what it produced:
 * equal digests mean the same result. */
typedef struct outcome {
    int rc;
    bool oom; /* its diagnostics dropped a message */
    uint64_t digest;
} outcome;

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 1099511628211ull;
    return h;
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
    return s ? fnv(h, s, strlen(s) + 1) : fnv(h, "", 1);
}

static uint64_t digest_diags(uint64_t h, const dg_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        h = fnv(h, &d->items[i].line, sizeof d->items[i].line);
        h = fnv_str(h, d->items[i].message);
    }
    return fnv(h, &d->errors, sizeof d->errors);
}

static uint64_t digest_ledger(uint64_t h, const dg_ledger *l)
{
    for (size_t i = 0; i < l->ncompanies; i++) {
        const dg_company *c = &l->companies[i];
        h = fnv_str(h, c->name);
        h = fnv_str(h, c->label);
        h = fnv(h, &c->equity, sizeof c->equity);
        h = fnv(h, &c->line, sizeof c->line);
    }
    for (size_t i = 0; i < l->nlegs; i++) {
        const dg_leg *g = &l->legs[i];
        h = fnv(h, &g->from, sizeof g->from);
        h = fnv(h, &g->to, sizeof g->to);
        h = fnv(h, &g->amount, sizeof g->amount);
        h = fnv(h, &g->line, sizeof g->line);
        h = fnv_str(h, g->deal);
        h = fnv_str(h, g->source);
        h = fnv_str(h, g->note);
    }
    return fnv_str(h, l->focus);
}

/* ---- scenarios --------------------------------------------------------- */

/* Loaded before any allocation is made to fail. */
static dg_ledger *shipped, *example;
static char *dot_path, *csv_path, *broken_path, *policy_path, *example_path;

static void setup(void)
{
    dot_path = src_path("graphs/ai-2025.dot");
    csv_path = src_path("graphs/ai-2025/");
    example_path = src_path("graphs/examples/amd-warrant.dot");
    broken_path = temp_file(
        "broken.dot",
        "digraph \"b\" {\n"
        "  graph [focus=\"Nvidia\"];\n"
        "  \"NVIDIA\" -> \"OpenAI\" [kind=\"equty\", amount=\"12,5B\", "
        "status=\"firm\", announced=\"2025-02-30\", amout=\"1B\"];\n"
        "  \"OpenAI\" -> \"OpenAI\" [kind=\"chips\", status=\"loi\", "
        "announced=\"2025\", amount_low=\"5B\"];\n"
        "  \"Open AI\" -> \"NVIDIA\" [kind=\"chips\", status=\"loi\", "
        "announced=\"2025\", start=\"2026\", end=\"2025\"];\n"
        "}\n");
    policy_path = temp_file("policy", "max-loops = 40\nmax-loop-value = "
                                      "50B\nmax-fci = 0.10\nfocus = "
                                      "OpenAI\nmax-exposure = 50%\n"
                                      "max-revenue-dependence = 50%\n"
                                      "min-coverage = 0.1\nyear = 2026\n");
    dg_diags d;
    dg_diags_init(&d);
    shipped = dg_ledger_load(dot_path, NULL, &d, NULL);
    example = dg_ledger_load(example_path, NULL, &d, NULL);
    cr_assert_not_null(shipped);
    cr_assert_not_null(example);
    dg_diags_finish(&d);
}

static void teardown(void)
{
    dg_ledger_destroy(shipped);
    dg_ledger_destroy(example);
    free(dot_path);
    free(csv_path);
    free(example_path);
    free(broken_path);
    free(policy_path);
}

static outcome load(const char *path)
{
    dg_diags d;
    dg_diags_init(&d);
    outcome o = {0, false, 0};
    dg_ledger *l = dg_ledger_load(path, NULL, &d, &o.rc);
    o.oom = d.oom;
    o.digest = digest_diags(14695981039346656037ull, &d);
    if (l)
        o.digest = digest_ledger(o.digest, l);
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
    return o;
}

static outcome load_dot(void) { return load(dot_path); }
static outcome load_csv(void) { return load(csv_path); }
static outcome load_broken(void) { return load(broken_path); }

static int on_loop(const dg_loop *loop, void *ctx)
{
    uint64_t *h = ctx;
    *h = fnv(*h, loop->id, sizeof loop->id);
    *h = fnv(*h, &loop->value, sizeof loop->value);
    *h = fnv(*h, &loop->pattern, sizeof loop->pattern);
    char sig[256];
    *h = fnv_str(*h, dg_loop_signature(loop, sig, sizeof sig));
    return 0;
}

static outcome loops(void)
{
    outcome o = {0, false, 14695981039346656037ull};
    dg_diags d;
    dg_diags_init(&d);
    dg_loop_options lo;
    dg_loop_options_init(&lo);
    dg_loop_stats st;
    o.rc = dg_loops_each(shipped, &lo, on_loop, &o.digest, &st, &d);
    if (o.rc == DG_OK) {
        lo.temporal = true;
        lo.window_days = 365;
        o.rc = dg_loops_each(shipped, &lo, on_loop, &o.digest, &st, &d);
    }
    if (o.rc == DG_OK) {
        lo.temporal = false;
        lo.through = "OpenAl"; /* a typo: the error and its suggestion */
        o.rc = dg_loops_each(shipped, &lo, on_loop, &o.digest, &st, &d);
        if (o.rc == DG_EUSAGE)
            o.rc = DG_OK;
    }
    o.oom = d.oom;
    o.digest = digest_diags(o.digest, &d);
    dg_diags_finish(&d);
    return o;
}

static outcome loops_null(void)
{
    outcome o = {0, false, 14695981039346656037ull};
    dg_loop_options lo;
    dg_loop_options_init(&lo);
    dg_loop_null n;
    o.rc = dg_loops_null(shipped, &lo, 5, 7, &n);
    if (o.rc == DG_OK) {
        o.digest = fnv(o.digest, &n.observed_count, sizeof n.observed_count);
        o.digest = fnv(o.digest, &n.mean_count, sizeof n.mean_count);
        o.digest = fnv(o.digest, &n.mean_value, sizeof n.mean_value);
    }
    double looped, lf;
    size_t und;
    if (o.rc == DG_OK)
        o.rc = dg_loops_value(shipped, NULL, 0, &looped, &lf, &und);
    if (o.rc == DG_OK)
        o.digest = fnv(o.digest, &looped, sizeof looped);
    return o;
}

static outcome exposure(void)
{
    outcome o = {0, false, 14695981039346656037ull};
    dg_diags d;
    dg_diags_init(&d);
    size_t focus = 0;
    o.rc = dg_focus_resolve(shipped, "OpenAl", "exposure", &focus, &d);
    if (o.rc == DG_EUSAGE) /* the typo: its message has suggestions */
        o.rc = dg_focus_resolve(shipped, NULL, "exposure", &focus, &d);
    dg_exposure e;
    memset(&e, 0, sizeof e);
    if (o.rc == DG_OK)
        o.rc = dg_exposure_compute(shipped, NULL, focus, &e, &d);
    if (o.rc == DG_OK) {
        for (size_t i = 0; i < e.n; i++)
            o.digest = fnv(o.digest, &e.rows[i], sizeof e.rows[i]);
        o.digest = fnv(o.digest, &e.fci, sizeof e.fci);
    }
    dg_exposure_finish(&e);
    o.oom = d.oom;
    o.digest = digest_diags(o.digest, &d);
    dg_diags_finish(&d);
    return o;
}

/* The figures by year of the shipped ledger over four years, with the
 * network measures of each. */
static outcome yearly(void)
{
    outcome o = {0, false, 14695981039346656037ull};
    dg_diags d;
    dg_diags_init(&d);
    dg_yearly_options yo;
    dg_yearly_options_init(&yo);
    yo.first_year = 2024;
    yo.last_year = 2027;
    dg_yearly y;
    o.rc = dg_yearly_compute(shipped, dg_ledger_find(shipped, "OpenAI"), &yo,
                             &y, &d);
    if (o.rc == DG_OK) {
        for (size_t k = 0; k < y.nyears; k++) {
            const dg_yearly_year *yy = &y.years[k];
            for (size_t i = 0; i < y.n; i++) {
                o.digest = fnv(o.digest, &yy->rows[i].paid,
                               sizeof yy->rows[i].paid);
                o.digest = fnv(o.digest, &yy->rows[i].ledger_share.value,
                               sizeof(double));
                o.digest = fnv(o.digest, &yy->rows[i].pass_through_share,
                               sizeof(double));
            }
            o.digest = fnv(o.digest, &yy->fci, sizeof yy->fci);
            o.digest = fnv_str(o.digest, yy->network_error);
        }
        for (size_t i = 0; i < y.npairs; i++)
            o.digest = fnv(o.digest, &y.pairs[i].financing,
                           sizeof y.pairs[i].financing);
    }
    dg_yearly_finish(&y);
    o.oom = d.oom;
    o.digest = digest_diags(o.digest, &d);
    dg_diags_finish(&d);
    return o;
}

static outcome stress(void)
{
    outcome o = {0, false, 14695981039346656037ull};
    dg_diags d;
    dg_diags_init(&d);
    for (int m = 0; m < DG_MODEL_COUNT && o.rc == DG_OK; m++) {
        dg_stress_options so;
        dg_stress_options_init(&so);
        so.model = (dg_stress_model)m;
        so.focus = dg_ledger_find(shipped, "OpenAI");
        so.shortfall = 0.5;
        dg_stress_result r;
        o.rc = dg_stress_run(shipped, &so, &r, &d);
        if (o.rc == DG_OK) {
            for (size_t i = 0; i < r.n; i++)
                o.digest = fnv(o.digest, &r.rows[i].loss,
                               sizeof r.rows[i].loss);
            o.digest = fnv(o.digest, &r.total_loss, sizeof r.total_loss);
        }
        dg_stress_result_finish(&r);
    }
    o.oom = d.oom;
    o.digest = digest_diags(o.digest, &d);
    dg_diags_finish(&d);
    return o;
}

static outcome diff(void)
{
    outcome o = {0, false, 14695981039346656037ull};
    dg_diff_options opt;
    dg_diff_options_init(&opt);
    dg_diff df;
    o.rc = dg_diff_compute(example, shipped, &opt, &df);
    if (o.rc == DG_OK) {
        o.digest = fnv(o.digest, &df.nadded, sizeof df.nadded);
        o.digest = fnv(o.digest, &df.nremoved, sizeof df.nremoved);
        o.digest = fnv(o.digest, &df.nchanged, sizeof df.nchanged);
        o.digest = fnv(o.digest, &df.nopened, sizeof df.nopened);
        for (size_t i = 0; i < df.nopened; i++)
            o.digest = fnv_str(o.digest, df.opened[i].companies);
        for (size_t i = 0; i < df.nexposure; i++)
            o.digest = fnv_str(o.digest, df.exposure[i].company);
        o.digest = fnv_str(o.digest, df.exposure_note);
        dg_diff_finish(&df);
    }
    return o;
}

static outcome gate(void)
{
    outcome o = {0, false, 14695981039346656037ull};
    dg_diags d;
    dg_diags_init(&d);
    dg_policy p;
    dg_policy_init(&p);
    o.rc = dg_policy_load(policy_path, &p, &d);
    char msg[512];
    if (o.rc == DG_OK && !dg_policy_set(&p, "no-new-loops", example_path,
                                        msg, sizeof msg))
        o.rc = strcmp(msg, "out of memory") == 0 ? DG_ENOMEM : DG_EINPUT;
    dg_gate g;
    memset(&g, 0, sizeof g);
    if (o.rc == DG_OK)
        o.rc = dg_gate_run(shipped, &p, NULL, NULL, &g, &d);
    if (o.rc == DG_OK) {
        for (size_t i = 0; i < g.count; i++) {
            o.digest = fnv_str(o.digest, g.results[i].rule);
            o.digest = fnv(o.digest, &g.results[i].measured,
                           sizeof g.results[i].measured);
            o.digest = fnv_str(o.digest, g.results[i].detail);
            o.digest = fnv(o.digest, &g.results[i].nnew,
                           sizeof g.results[i].nnew);
        }
        dg_gate_finish(&g);
    }
    dg_policy_finish(&p);
    o.oom = d.oom;
    o.digest = digest_diags(o.digest, &d);
    dg_diags_finish(&d);
    return o;
}

static outcome summary_and_render(void)
{
    outcome o = {0, false, 14695981039346656037ull};
    dg_summary s;
    o.rc = dg_summary_compute(shipped, NULL, &s);
    if (o.rc == DG_OK)
        o.digest = fnv(o.digest, &s, sizeof s);
    dg_diags d;
    dg_diags_init(&d);
    dg_render_options ro;
    dg_render_options_init(&ro);
    ro.format = DG_RENDER_DOT;
    char *data = NULL;
    size_t len = 0;
    if (o.rc == DG_OK)
        o.rc = dg_render(shipped, &ro, &data, &len, &d);
    if (o.rc == DG_OK)
        o.digest = fnv(o.digest, data, len);
    free(data);
    o.oom = d.oom;
    o.digest = digest_diags(o.digest, &d);
    dg_diags_finish(&d);
    return o;
}

/* Every shipped leg's schedule, in a fresh schedule and in one reused
 * across the legs (which grows its buffer as the periods lengthen). */
static outcome schedules(void)
{
    outcome o = {0, false, 14695981039346656037ull};
    dg_schedule reused;
    dg_schedule_init(&reused);
    for (size_t i = 0; i < shipped->nlegs && o.rc != DG_ENOMEM; i++) {
        dg_schedule fresh;
        dg_schedule_init(&fresh);
        dg_schedule *each[] = {&fresh, &reused};
        for (int k = 0; k < 2 && o.rc != DG_ENOMEM; k++) {
            int rc = dg_schedule_leg(&shipped->legs[i], DG_AMOUNTS_MID,
                                     each[k]);
            if (rc != DG_OK) {
                o.rc = rc;
                break;
            }
            o.digest = fnv(o.digest, &each[k]->state, sizeof each[k]->state);
            o.digest = fnv(o.digest, &each[k]->first_month,
                           sizeof each[k]->first_month);
            o.digest = fnv(o.digest, each[k]->monthly,
                           each[k]->nmonths * sizeof *each[k]->monthly);
        }
        dg_schedule_finish(&fresh);
    }
    dg_schedule_finish(&reused);
    return o;
}

/* ---- the runs ---------------------------------------------------------- */

static void torture(const char *name, outcome (*scenario)(void))
{
    alloc_fail_arm(0, false);
    outcome clean = scenario();
    alloc_fail_disarm();
    long total = alloc_fail_calls();
    cr_assert(!alloc_fail_overflowed(), "%s: too many live blocks for the "
                                        "tracker", name);
    cr_assert_eq(alloc_fail_live(), 0,
                 "%s leaks %zu blocks even without a failure", name,
                 alloc_fail_live());
    cr_assert(clean.rc != DG_ENOMEM && !clean.oom, "%s: clean run failed",
              name);
    cr_assert_gt(total, 0, "%s makes no allocation: nothing tested", name);
    /* the N-th allocation fails; then the N-th and every later one (no
     * memory left at all: the error paths must not need any) */
    for (long n = 1; n <= 2 * total; n++) {
        bool persistent = n > total;
        long at = persistent ? n - total : n;
        alloc_fail_arm(at, persistent);
        outcome o = scenario();
        alloc_fail_disarm();
        cr_assert(alloc_fail_failed(), "%s: allocation %ld of %ld was never "
                                       "made", name, at, total);
        bool reported = o.rc == DG_ENOMEM || o.oom;
        bool same = o.rc == clean.rc && o.digest == clean.digest;
        cr_assert(reported || same,
                  "%s: allocation %ld of %ld failed, and the run returned %d "
                  "(clean: %d) with %s result and no out-of-memory report%s",
                  name, at, total, o.rc, clean.rc,
                  o.digest == clean.digest ? "the same" : "a different",
                  persistent ? " (and every allocation after it)" : "");
        cr_assert(!alloc_fail_overflowed(), "%s: too many live blocks for "
                                            "the tracker", name);
        cr_assert_eq(alloc_fail_live(), 0,
                     "%s: allocation %ld of %ld failed%s, and %zu blocks "
                     "were not freed",
                     name, at, total,
                     persistent ? " (and every one after it)" : "",
                     alloc_fail_live());
    }
    cr_log_info("%s: %ld allocations, each made to fail", name, total);
}

TestSuite(alloc, .init = setup, .fini = teardown, .timeout = 900);

Test(alloc, loading_the_shipped_dot_ledger) { torture("load DOT", load_dot); }
Test(alloc, loading_the_shipped_csv_ledger) { torture("load CSV", load_csv); }
Test(alloc, loading_a_ledger_with_errors)
{
    torture("load with errors", load_broken);
}
Test(alloc, describing_loops) { torture("loops", loops); }
Test(alloc, the_null_model_and_looped_value)
{
    torture("null model", loops_null);
}
Test(alloc, exposure_with_a_focus_typo) { torture("exposure", exposure); }
Test(alloc, stress_in_every_model) { torture("stress", stress); }
Test(alloc, exposure_by_year) { torture("yearly", yearly); }
Test(alloc, diff_of_two_ledgers) { torture("diff", diff); }
Test(alloc, the_gate_with_a_policy_file) { torture("gate", gate); }
Test(alloc, summary_and_annotated_dot)
{
    torture("summary, render", summary_and_render);
}
Test(alloc, the_schedules_of_the_shipped_legs)
{
    torture("schedules", schedules);
}
