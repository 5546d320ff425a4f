/* Allocation failures in the executable: every command, in each output
 * format, run with each of its allocations failing in turn.
 *
 * dealgraph-oom is the CLI built with alloc_fail.c's wrappers (cli_oom.c):
 * every allocation of the CLI's own code, of the library and of igraph,
 * and jansson's through the allocator main() gives it, can be made to
 * fail. A scenario runs once cleanly to count its allocations and record
 * what it printed and wrote, then once for each chosen N with allocation N
 * failing, then again with N and every later one failing (no memory left
 * at all). Every such run must
 *  - exit, never crash (the wrappers' report is written at exit);
 *  - free every block it allocated;
 *  - either fail as out of memory: exit 2, "dealgraph: ... out of memory"
 *    on standard error, every line there dealgraph's own, and no output
 *    file left behind (-o is written whole or not at all);
 *  - or, where the failed allocation was not needed, do exactly what the
 *    clean run did: the same exit code, standard output, standard error
 *    and files. Never a different, silent result.
 *
 * Which N: every one of a scenario that makes at most 800 allocations
 * (all but diff's JSON, 955, and `report`). `report` makes about 25,000,
 * nearly all in its null model's 200 rewirings (igraph's allocations,
 * which test_alloc covers one by one): there, all of the first 400
 * (loading the ledger), all of the last 400 (exposure, stress and the
 * output, where the CLI's own code allocates) and 200 spread evenly
 * between. With every later allocation failing too, a third of those and
 * the last 100. The sanitizer build (CLI_OOM_SANITIZED) takes a sample of
 * these: see chosen(). The counts are logged. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static char *dir, *report, *policy, *broken;
static char *vendor, *amd, *csv_dir, *dense;

static void setup(void)
{
    const char *oom = getenv("DEALGRAPH_OOM");
    cr_assert(oom, "DEALGRAPH_OOM is not set (run through meson test)");
    setenv("DEALGRAPH", oom, 1);
    unsetenv("ALLOC_BACKTRACE"); /* its lines on stderr would fail a run */
    dir = temp_dir();
    report = malloc(strlen(dir) + 16);
    sprintf(report, "%s/alloc-report", dir);
    setenv("DEALGRAPH_OOM_REPORT", report, 1);
    policy = write_file(dir, "policy.txt",
                        "# rules for the gate\nmax-exposure = 0.9\n"
                        "max-loops = 10\n");
    /* two errors (an unknown kind, a bad date) and a warning */
    broken = write_file(
        dir, "broken.dot",
        "digraph \"broken\" {\n"
        "  graph [focus=\"A\"];\n"
        "  \"A\" -> \"B\" [kind=\"chip\", status=\"definitive\", "
        "announced=\"2025\", amount=\"1B\"];\n"
        "  \"B\" -> \"A\" [kind=\"equity\", status=\"definitive\", "
        "announced=\"2025-13\", amount=\"2B\"];\n"
        "  \"B\" -> \"C\" [kind=\"cloud\", status=\"talks\", "
        "announced=\"2025\"];\n"
        "}\n");
    /* seven companies, each paying each other: 2365 loops, more than the
     * 2000 render marks, so it warns */
    char text[16384];
    size_t at = (size_t)snprintf(text, sizeof text,
                                 "digraph \"dense\" {\n");
    for (int a = 0; a < 7; a++)
        for (int b = 0; b < 7; b++)
            if (a != b)
                at += (size_t)snprintf(
                    text + at, sizeof text - at,
                    "  \"C%d\" -> \"C%d\" [kind=\"chips\", "
                    "status=\"definitive\", announced=\"2025\", "
                    "amount=\"1B\"];\n",
                    a, b);
    snprintf(text + at, sizeof text - at, "}\n");
    dense = write_file(dir, "dense.dot", text);
    vendor = src_path("graphs/examples/vendor-financing.dot");
    amd = src_path("graphs/examples/amd-warrant.dot");
    csv_dir = src_path("graphs/ai-2025/");
}

/* ---- one run ----------------------------------------------------------- */

typedef struct outcome {
    run_result r;
    bool exited;        /* the wrappers' report was written */
    long calls;         /* allocations asked for */
    bool reached;       /* the failing allocation was asked for */
    long live;          /* blocks not freed at exit */
    bool tracked;       /* every live block was tracked (no overflow) */
    char *stray;        /* a temporary output file left in dir, or NULL */
    char *files[2];     /* the output files' contents (NULL: absent) */
} outcome;

/* The output files a scenario names (after -o; report's Markdown also
 * writes its picture beside it). */
typedef struct scenario {
    const char *name;
    const char *args[16];
    const char *files[2]; /* names inside dir */
    bool lays_out;        /* draws a picture with Graphviz (slow) */
} scenario;

static char *file_path(const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    return p;
}

/* The name of a file in dir that an output left half-written (cli_output
 * writes NAME.tmp.XXXXXX and renames it), or NULL. */
static char *stray_file(void)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s: %s", dir, strerror(errno));
    char *found = NULL;
    struct dirent *e;
    while (!found && (e = readdir(d)))
        if (strstr(e->d_name, ".tmp."))
            found = strdup(e->d_name);
    closedir(d);
    return found;
}

static outcome run_once(const scenario *s, const char *const *args, long at,
                        bool every_later)
{
    char spec[32];
    snprintf(spec, sizeof spec, "%ld%s", at, every_later ? "+" : "");
    setenv("DEALGRAPH_OOM_AT", spec, 1);
    unlink(report);
    for (int k = 0; k < 2 && s->files[k]; k++) {
        char *p = file_path(s->files[k]);
        unlink(p);
        free(p);
    }
    outcome o;
    memset(&o, 0, sizeof o);
    o.r = run_cli(args, NULL);
    char *text = read_all(report);
    int reached = 0, overflow = 1;
    o.exited = text && sscanf(text, "%ld %d %ld %d", &o.calls, &reached,
                              &o.live, &overflow) == 4;
    o.reached = reached == 1;
    o.tracked = overflow == 0;
    o.stray = stray_file();
    free(text);
    for (int k = 0; k < 2 && s->files[k]; k++) {
        char *p = file_path(s->files[k]);
        o.files[k] = read_all(p);
        free(p);
    }
    return o;
}

static void outcome_free(outcome *o)
{
    run_free(&o->r);
    free(o->stray);
    free(o->files[0]);
    free(o->files[1]);
}

static bool same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Every line of `err` starts with "dealgraph: ". */
static bool all_ours(const char *err)
{
    for (const char *p = err; *p;) {
        if (strncmp(p, "dealgraph: ", 11) != 0)
            return false;
        const char *nl = strchr(p, '\n');
        p = nl ? nl + 1 : p + strlen(p);
    }
    return true;
}

/* ---- the torture ------------------------------------------------------- */

/* The allocations to fail for a run of `total`: 1..400, the last 400 and
 * about 200 between; with every later one failing too, a third of those
 * and the last 100. */
static bool chosen(long n, long total, bool every_later, bool lays_out)
{
    long stride = total / 200 > 1 ? total / 200 : 1;
    bool one = n <= 400 || n > total - 400 || n % stride == 0;
    if (every_later)
        one = one && (n % 3 == 0 || n > total - 100);
#ifdef CLI_OOM_SANITIZED
    /* Under the sanitizers a run takes 20 times as long (a layout, 0.8 s):
     * there, a quarter of the plain build's runs, a sixteenth of those
     * that lay out a picture, and always the last 100 (or 30). */
    if (lays_out)
        one = one && (n % 16 == 1 || n > total - 30);
    else
        one = one && (n % 4 == 1 || n > total - 100);
#else
    (void)lays_out;
#endif
    return one;
}

static void check_failed_run(const scenario *s, const outcome *clean,
                             const outcome *o, long at, bool every_later,
                             long total)
{
    const char *how = every_later ? " (and every later one)" : "";
    cr_assert(o->exited, "%s: allocation %ld of %ld failed%s and the process "
                         "did not exit (status %d); stderr: %s",
              s->name, at, total, how, o->r.status, o->r.err);
    cr_assert(o->reached, "%s: allocation %ld of %ld was never made", s->name,
              at, total);
    cr_assert(o->tracked, "%s: too many live blocks for the tracker",
              s->name);
    cr_assert_null(o->stray, "%s: allocation %ld failed%s, and the "
                             "temporary file %s was left behind",
                   s->name, at, how, o->stray);
    cr_assert_eq(o->live, 0, "%s: allocation %ld of %ld failed%s and %ld "
                             "blocks were not freed",
                 s->name, at, total, how, o->live);
    bool reported = o->r.status == 2 && strstr(o->r.err, "out of memory");
    if (reported) {
        cr_assert(all_ours(o->r.err), "%s: allocation %ld failed%s; a line "
                                      "on stderr is not dealgraph's: %s",
                  s->name, at, how, o->r.err);
        for (int k = 0; k < 2 && s->files[k]; k++)
            cr_assert_null(o->files[k], "%s: allocation %ld failed%s, the "
                                        "run said so, and left %s behind",
                           s->name, at, how, s->files[k]);
        return;
    }
    bool same = o->r.status == clean->r.status &&
                strcmp(o->r.out, clean->r.out) == 0 &&
                strcmp(o->r.err, clean->r.err) == 0 &&
                same_text(o->files[0], clean->files[0]) &&
                same_text(o->files[1], clean->files[1]);
    cr_assert(same, "%s: allocation %ld of %ld failed%s; the run exited %d "
                    "(clean: %d) with %s output and no out-of-memory "
                    "report; stderr: %s",
              s->name, at, total, how, o->r.status, clean->r.status,
              strcmp(o->r.out, clean->r.out) == 0 ? "the same" : "other",
              o->r.err);
}

static void torture(const scenario *s)
{
    const char *args[18];
    size_t n = 0;
    for (; s->args[n]; n++)
        args[n] = s->args[n];
    args[n] = NULL;
    /* paths: "@V" the vendor-financing example, "@A" the AMD one, "@C"
     * the shipped CSV ledger, "@B" the broken ledger, "@P" the policy,
     * "@D" the dense ledger,
     * "@/NAME" a file in the scratch directory */
    char *owned[16] = {0};
    for (size_t i = 0; i < n; i++) {
        const char *a = args[i];
        if (strcmp(a, "@V") == 0)
            args[i] = vendor;
        else if (strcmp(a, "@A") == 0)
            args[i] = amd;
        else if (strcmp(a, "@C") == 0)
            args[i] = csv_dir;
        else if (strcmp(a, "@B") == 0)
            args[i] = broken;
        else if (strcmp(a, "@P") == 0)
            args[i] = policy;
        else if (strcmp(a, "@D") == 0)
            args[i] = dense;
        else if (strncmp(a, "@/", 2) == 0)
            args[i] = owned[i] = file_path(a + 2);
    }

    outcome clean = run_once(s, args, 0, false);
    long total = clean.calls;
    cr_assert(clean.exited, "%s: the clean run did not exit (status %d): %s",
              s->name, clean.r.status, clean.r.err);
    cr_assert(clean.r.status == 0 || clean.r.status == 1,
              "%s: the clean run exited %d: %s", s->name, clean.r.status,
              clean.r.err);
    cr_assert(clean.tracked, "%s: too many live blocks for the tracker",
              s->name);
    cr_assert_eq(clean.live, 0, "%s leaks %ld blocks without a failure",
                 s->name, clean.live);
    cr_assert_gt(total, 0, "%s makes no allocation: nothing tested", s->name);
    for (int k = 0; k < 2 && s->files[k]; k++)
        cr_assert_not_null(clean.files[k], "%s: the clean run wrote no %s",
                           s->name, s->files[k]);

    long runs = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (long at = 1; at <= total; at++) {
            if (!chosen(at, total, pass == 1, s->lays_out))
                continue;
            outcome o = run_once(s, args, at, pass == 1);
            check_failed_run(s, &clean, &o, at, pass == 1, total);
            outcome_free(&o);
            runs++;
        }
    }
    cr_log_info("%s: %ld allocations; %ld runs with one failing or all "
                "from one on",
                s->name, total, runs);
    outcome_free(&clean);
    for (size_t i = 0; i < n; i++)
        free(owned[i]);
}

TestSuite(cli_oom, .init = setup, .timeout = 900);

#define SCENARIO(test, ...)                                                  \
    Test(cli_oom, test)                                                      \
    {                                                                        \
        static const scenario s = {#test, __VA_ARGS__};                      \
        torture(&s);                                                         \
    }

SCENARIO(lint_strict, {"lint", "--strict", "@V", NULL})
SCENARIO(lint_csv_json, {"lint", "--format", "json", "@C", NULL})
SCENARIO(lint_errors, {"lint", "@B", "@A", NULL})
SCENARIO(lint_json_file, {"lint", "--format", "json", "-o", "@/lint.json",
                          "@B", "@A", NULL},
         {"lint.json"})
SCENARIO(summary_json, {"summary", "--format", "json", "@V", NULL})
SCENARIO(summary_md, {"summary", "--format", "md", "@V", NULL})
SCENARIO(loops_text, {"loops", "@V", NULL})
SCENARIO(loops_json_temporal,
         {"loops", "--format", "json", "--temporal", "@V", NULL})
SCENARIO(loops_csv, {"loops", "--format", "csv", "@V", NULL})
SCENARIO(loops_md_null, {"loops", "--format", "md", "--null", "3", "@V",
                         NULL})
SCENARIO(loops_count, {"loops", "--count", "@V", NULL})
SCENARIO(loops_streamed, {"loops", "--sort", "none", "@V", NULL})
SCENARIO(loops_streamed_csv_file, {"loops", "--sort", "none", "--format",
                                   "csv", "-o", "@/l.csv", "@V", NULL},
         {"l.csv"})
SCENARIO(exposure_text, {"exposure", "@V", NULL})
SCENARIO(exposure_csv_file, {"exposure", "--format", "csv", "-o", "@/e.csv",
                             "@V", NULL},
         {"e.csv"})
SCENARIO(exposure_json, {"exposure", "--format", "json", "@V", NULL})
SCENARIO(exposure_years_md, {"exposure", "--format", "md", "--years",
                             "2024-2026", "@V", NULL})
SCENARIO(exposure_total_text, {"exposure", "--basis", "total", "@V", NULL})
SCENARIO(check_yearly, {"check", "--max-revenue-dependence", "0.5",
                        "--min-coverage", "0.1", "--year", "2025", "@V",
                        NULL})
SCENARIO(stress_text, {"stress", "@V", NULL})
SCENARIO(stress_clearing_json, {"stress", "--format", "json", "--model",
                                "clearing", "--shortfall", "0.5", "@V",
                                NULL})
SCENARIO(stress_draws_md, {"stress", "--format", "md", "--firmness",
                           "--draws", "3", "@V", NULL})
SCENARIO(stress_face_csv, {"stress", "--format", "csv", "--exposures",
                           "face", "@V", NULL})
SCENARIO(render_svg_file, {"render", "@V", "-o", "@/v.svg", NULL},
         {"v.svg"}, true)
SCENARIO(render_dot, {"render", "-T", "dot", "@V", NULL})
SCENARIO(render_dot_warning, {"render", "-T", "dot", "@D", NULL})
SCENARIO(check_policy, {"check", "--policy", "@P", "--max-loop-value", "1B",
                        "@V", NULL})
SCENARIO(check_md, {"check", "--format", "md", "--policy", "@P", "@V", NULL})
SCENARIO(check_json_baseline, {"check", "--format", "json", "--no-new-loops",
                               "@A", "--max-fci", "0.1", "@V", NULL})
SCENARIO(diff_text, {"diff", "@A", "@V", NULL})
SCENARIO(diff_json, {"diff", "--format", "json", "@A", "@V", NULL})
SCENARIO(flows_text, {"flows", "@V", NULL})
SCENARIO(flows_text_notes, {"flows", "--by", "pair", "@C", NULL})
SCENARIO(flows_leg_csv_file, {"flows", "--by", "leg", "--format", "csv",
                              "-o", "@/f.csv", "@C", NULL},
         {"f.csv"})
SCENARIO(flows_json, {"flows", "--format", "json", "--years", "2025-2027",
                      "@C", NULL})
SCENARIO(flows_svg, {"flows", "--format", "svg", "@V", NULL})
SCENARIO(flows_html_file, {"flows", "--format", "html", "-o", "@/f.html",
                           "@V", NULL},
         {"f.html"})
SCENARIO(report_md_files, {"report", "--format", "md", "-o", "@/r.md", "@V",
                           NULL},
         {"r.md", "r.svg"}, true)
SCENARIO(report_json, {"report", "--format", "json", "@V", NULL})
SCENARIO(report_html_file, {"report", "--format", "html", "-o", "@/r.html",
                            "@V", NULL},
         {"r.html"}, true)
