/* The dealgraph executable: exit codes and the exact first line of stderr
 * for every class of bad input, plus lint and summary output. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

#define LEG "kind=\"chips\", status=\"definitive\", announced=\"2025\""

static char msg[8192];

/* Runs `dealgraph CMD FILE` on a file holding `text`, expects `status` and
 * the stderr first line "dealgraph: FILE:" + `rest`. */
static void expect_file_error(const char *cmd, const char *name,
                              const char *text, int status, const char *rest)
{
    char *path = temp_file(name, text);
    const char *args[] = {cmd, path, NULL};
    run_result r = run_cli(args, NULL);
    cr_expect_eq(r.status, status, "exit %d, stderr: %s", r.status, r.err);
    snprintf(msg, sizeof msg, "dealgraph: %s%s", path, rest);
    cr_expect_str_eq(first_line(r.err), msg);
    run_free(&r);
    free(path);
}

Test(cli, version_and_help_exit_zero)
{
    const char *v[] = {"--version", NULL};
    run_result r = run_cli(v, NULL);
    cr_expect_eq(r.status, 0);
    cr_expect_str_eq(first_line(r.out), "dealgraph " DG_VERSION
                     " (JSON schema 1)");
    run_free(&r);
    const char *h[] = {"--help", NULL};
    r = run_cli(h, NULL);
    cr_expect_eq(r.status, 0);
    cr_expect(strstr(r.out, "lint") && strstr(r.out, "summary"));
    run_free(&r);
    const char *hs[] = {"summary", "--help", NULL};
    r = run_cli(hs, NULL);
    cr_expect_eq(r.status, 0);
    cr_expect_str_eq(first_line(r.out),
                     "usage: dealgraph summary [OPTIONS] FILE");
    run_free(&r);
}

Test(cli, no_command_and_unknown_commands_are_usage_errors)
{
    const char *none[] = {NULL};
    run_result r = run_cli(none, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err), "usage: dealgraph COMMAND [OPTIONS] "
                                        "FILE...");
    run_free(&r);
    const char *bad[] = {"frob", NULL};
    r = run_cli(bad, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: unknown command 'frob'; see 'dealgraph "
                     "--help'");
    run_free(&r);
}

Test(cli, unknown_options_and_bad_option_values_exit_2)
{
    char *path = src_path("graphs/ai-2025.dot");
    const char *a[] = {"summary", "--frob", path, NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: summary: unknown option or missing value in "
                     "'--frob'; see 'dealgraph summary --help'");
    run_free(&r);
    const char *b[] = {"summary", "--format", "xml", path, NULL};
    r = run_cli(b, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: summary: unknown format 'xml'; use --format "
                     "text|md|json");
    run_free(&r);
    const char *c[] = {"summary", "--min-status", "firm", path, NULL};
    r = run_cli(c, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: summary: unknown status 'firm' for "
                     "--min-status; use one of completed, definitive, "
                     "announced, reported, loi, talks");
    run_free(&r);
    const char *d[] = {"summary", "--as-of", "2025-02-30", path, NULL};
    r = run_cli(d, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: summary: --as-of '2025-02-30' is not a date; "
                     "write YYYY, YYYY-MM or YYYY-MM-DD");
    run_free(&r);
    const char *e[] = {"summary", "--kinds", "chips,gpus", path, NULL};
    r = run_cli(e, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: summary: unknown kind at 'gpus' in --kinds; "
                     "give a comma list of chips, cloud, services, equity, "
                     "warrant, debt, lease, backstop");
    run_free(&r);
    const char *f[] = {"summary", NULL};
    r = run_cli(f, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: summary: give exactly one ledger; usage: "
                     "dealgraph summary FILE");
    run_free(&r);
    free(path);
}

Test(cli, a_missing_file_exits_2_with_the_reason)
{
    const char *a[] = {"summary", "/nonexistent/ledger.dot", NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: /nonexistent/ledger.dot: cannot open: No "
                     "such file or directory");
    run_free(&r);
    const char *b[] = {"lint", "/nonexistent/ledger.dot", NULL};
    r = run_cli(b, NULL);
    cr_expect_eq(r.status, 2, "lint: unreadable input is trouble, not a "
                              "finding");
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: /nonexistent/ledger.dot: cannot open: No "
                     "such file or directory");
    run_free(&r);
}

/* jansson refuses a string that is not UTF-8, and a file name from the
 * command line need not be: such a name is written with U+FFFD (bytes EF
 * BF BD) for each byte that is not UTF-8, and the command succeeds. */
Test(cli, a_file_name_that_is_not_utf8_is_written_to_json_with_u_fffd)
{
    char *dir = temp_dir();
    char *src = src_path("graphs/examples/amd-warrant.dot");
    char *text = read_all(src);
    free(src);
    cr_assert_not_null(text);
    char *path = write_file(dir, "v\xff\xfe.dot", text);
    char want[4096];
    snprintf(want, sizeof want, "%s/v\xef\xbf\xbd\xef\xbf\xbd.dot", dir);
    const char *cmds[][6] = {
        {"summary", "--format", "json", path, NULL},
        {"loops", "--format", "json", path, NULL},
        {"check", "--format", "json", "--max-loops", "9", path},
        {"report", "--format", "json", path, NULL},
        {"lint", "--format", "json", "--strict", path, NULL},
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        const char *args[8] = {0};
        for (size_t k = 0; k < 6 && cmds[i][k]; k++)
            args[k] = cmds[i][k];
        run_result r = run_cli(args, NULL);
        cr_expect_eq(r.status, 0, "%s: exit %d: %s", cmds[i][0], r.status,
                     r.err);
        json_error_t err;
        json_t *doc = json_loads(r.out, 0, &err);
        cr_assert_not_null(doc, "%s: not JSON: %s", cmds[i][0], err.text);
        if (strcmp(cmds[i][0], "lint") != 0)
            cr_expect_str_eq(json_string_value(json_object_get(doc, "file")),
                             want, "%s", cmds[i][0]);
        json_decref(doc);
        run_free(&r);
    }
    const char *d[] = {"diff", "--format", "json", path, path, NULL};
    run_result r = run_cli(d, NULL);
    cr_expect_eq(r.status, 0, "diff: exit %d: %s", r.status, r.err);
    json_t *doc = json_loads(r.out, 0, NULL);
    cr_assert_not_null(doc, "diff: not JSON");
    cr_expect_str_eq(json_string_value(json_object_get(doc, "old")), want);
    json_decref(doc);
    run_free(&r);
    free(path);
    free(text);
    free(dir);
}

Test(cli, summary_reports_each_class_of_bad_dot_input)
{
    expect_file_error("summary", "amount.dot",
                      "digraph {\n  a -> b [" LEG ", amount=\"30 bn "
                      "dollars\"]\n}\n",
                      2,
                      ":2: leg a -> b: amount \"30 bn dollars\" is not a "
                      "money value; write a number with an optional $ and an "
                      "optional K, M, B, T, mn, bn or tn, e.g. 300e9, 300B, "
                      "$300B, 1.5T, 350M, 12.5bn");
    expect_file_error("summary", "date.dot",
                      "digraph {\n\n  a -> b [kind=\"chips\", "
                      "status=\"definitive\", announced=\"2025-02-30\"]\n}\n",
                      2,
                      ":3: leg a -> b: announced \"2025-02-30\" is not a "
                      "calendar date; write a real date as YYYY, YYYY-MM or "
                      "YYYY-MM-DD (years 1900-2999)");
    expect_file_error("summary", "syntax.dot",
                      "digraph {\n  a -> b [" LEG ";\n}\n", 2,
                      ":3: DOT syntax error near '}'; check brackets and "
                      "quotes, and quote every attribute value "
                      "(amount=\"3e11\", announced=\"2025-09-10\")");
    expect_file_error("summary", "number.dot",
                      "digraph {\n  a -> b [amount=3e11, " LEG "]\n}\n", 2,
                      ":2: '3e11' is read by Graphviz as 3 then e11 (a number "
                      "ends where a letter or a second dot starts); quote it: "
                      "\"3e11\"");
    expect_file_error("summary", "two.dot",
                      "digraph {\n  a -> b [" LEG "]\n}\ndigraph { c -> d "
                      "}\n",
                      2,
                      ":4: a second graph starts here; a ledger file holds "
                      "exactly one graph");
    expect_file_error("summary", "at.dot",
                      "digraph {\n  a -> b [" LEG "]\n  @\n}\n", 2,
                      ":3: unexpected character '@' outside quotes; quote "
                      "names and values that contain it");
    expect_file_error("summary", "self.dot",
                      "digraph {\n  a -> a [" LEG "]\n}\n", 2,
                      ":2: leg a -> a: a company cannot deal with itself; a "
                      "leg needs two different companies");
    expect_file_error("summary", "strict.dot",
                      "strict digraph {\n  a -> b [" LEG "]\n}\n", 2,
                      ":1: strict digraph merges parallel legs between two "
                      "companies; write digraph");
    expect_file_error("summary", "kind.dot",
                      "digraph {\n  a -> b [kind=\"gpus\", "
                      "status=\"definitive\", announced=\"2025\"]\n}\n",
                      2,
                      ":2: leg a -> b: kind \"gpus\" is not known; use one of "
                      "chips, cloud, services, equity, warrant, debt, lease, "
                      "backstop");
}

Test(cli, summary_reports_each_class_of_bad_csv_input)
{
    expect_file_error("summary", "deals.csv",
                      "from,to,kind,status,announced,amount,deal\n"
                      "A,B,chips,definitive,2025,1B,x\n"
                      "A,B,chips,definitive,2025\n",
                      2,
                      ":3: expected 7 fields, found 5; every row needs one "
                      "field per header column (quote fields that contain "
                      "commas)");
    expect_file_error("summary", "deals.csv",
                      "from,to,kind,status,announced,amount\n"
                      "A,B,chips,definitive,2025,-5B\n",
                      2,
                      ":2: leg A -> B: amount \"-5B\" is not a money value; "
                      "write a number with an optional $ and an optional K, "
                      "M, B, T, mn, bn or tn, e.g. 300e9, 300B, $300B, 1.5T, "
                      "350M, 12.5bn");
    expect_file_error("summary", "deals.csv",
                      "from,to,kind,status\nA,B,chips,definitive\n", 2,
                      ":1: missing column \"announced\"; the header must name "
                      "it");
}

Test(cli, summary_shows_at_most_ten_errors_then_a_count)
{
    char text[8192] = "digraph {\n";
    for (int i = 0; i < 13; i++)
        strcat(text, "  a -> b [kind=\"x\", status=\"definitive\", "
                     "announced=\"2025\"]\n");
    strcat(text, "}\n");
    char *path = temp_file("many.dot", text);
    const char *a[] = {"summary", path, NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 2);
    int lines = 0;
    for (const char *p = r.err; *p; p++)
        lines += *p == '\n';
    cr_expect_eq(lines, 11);
    snprintf(msg, sizeof msg,
             "dealgraph: %s: 3 more errors; run 'dealgraph lint %s' for all",
             path, path);
    cr_expect(strstr(r.err, msg) != NULL, "%s", r.err);
    run_free(&r);
    free(path);
}

Test(cli, lint_lists_every_problem_and_exits_1)
{
    char *path = temp_file("bad.dot",
                           "digraph {\n  a -> b [" LEG ", amount=\"x\"]\n"
                           "  \"A\" -> b [" LEG ", amout=\"1B\"]\n"
                           "  c -> c [" LEG "]\n}\n");
    const char *a[] = {"lint", path, NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 1);
    char want[8192];
    snprintf(want, sizeof want,
             "%s:2: error: leg a -> b: amount \"x\" is not a money value; "
             "write a number with an optional $ and an optional K, M, B, T, "
             "mn, bn or tn, e.g. 300e9, 300B, $300B, 1.5T, 350M, 12.5bn\n"
             "%s:3: warning: leg A -> b: unknown attribute \"amout\" is "
             "ignored; did you mean \"amount\"?\n"
             "%s:3: warning: company \"A\" differs from \"a\" (line 2) "
             "only in case or spacing; use one spelling for one company\n"
             "%s:4: error: leg c -> c: a company cannot deal with itself; "
             "a leg needs two different companies\n",
             path, path, path, path);
    cr_expect_str_eq(r.out, want);
    cr_expect_str_eq(first_line(r.err), "dealgraph: lint: 2 errors, 2 "
                                        "warnings");
    run_free(&r);
    free(path);
}

Test(cli, lint_exits_0_on_warnings_unless_asked)
{
    char *path = temp_file("warn.dot", "digraph {\n  \"NVIDIA\" -> a [" LEG
                                       "]\n  \"Nvidia\" -> a [" LEG "]\n}\n");
    const char *a[] = {"lint", path, NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 0);
    snprintf(msg, sizeof msg,
             "%s:3: warning: company \"Nvidia\" differs from \"NVIDIA\" "
             "(line 2) only in case or spacing; use one spelling for one "
             "company",
             path);
    cr_expect_str_eq(first_line(r.out), msg);
    run_free(&r);
    const char *b[] = {"lint", "--warnings-as-errors", path, NULL};
    r = run_cli(b, NULL);
    cr_expect_eq(r.status, 1);
    run_free(&r);
    free(path);
}

Test(cli, lint_strict_requires_sources)
{
    char *path = temp_file("nosrc.dot", "digraph {\n  a -> b [" LEG "]\n}\n");
    const char *a[] = {"lint", "--strict", path, NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 1);
    snprintf(msg, sizeof msg,
             "%s:2: error: leg a -> b: missing source; --strict requires a "
             "citation (outlet or filing, and date) on every leg",
             path);
    cr_expect_str_eq(first_line(r.out), msg);
    run_free(&r);
    free(path);
}

Test(cli, lint_is_clean_on_every_shipped_ledger)
{
    char *dot = src_path("graphs/ai-2025.dot");
    char *csv = src_path("graphs/ai-2025");
    char *live = src_path("graphs/ai.dot");
    char *live_csv = src_path("graphs/ai");
    char *e1 = src_path("graphs/examples/vendor-financing.dot");
    char *e2 = src_path("graphs/examples/xai-spv.dot");
    char *e3 = src_path("graphs/examples/amd-warrant.dot");
    const char *a[] = {"lint", "--strict", "--warnings-as-errors", dot, csv,
                       live, live_csv, e1, e2, e3, NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_expect_str_eq(r.out, "");
    cr_expect_str_eq(r.err, "");
    run_free(&r);
    free(dot);
    free(csv);
    free(live);
    free(live_csv);
    free(e1);
    free(e2);
    free(e3);
}

Test(cli, lint_json_lists_problems_with_counts)
{
    char *path = temp_file("j.dot", "digraph {\n  a -> a [" LEG "]\n}\n");
    const char *a[] = {"lint", "--format", "json", path, NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 1);
    json_error_t err;
    json_t *doc = json_loads(r.out, 0, &err);
    cr_assert_not_null(doc, "%s", err.text);
    cr_expect_eq(json_integer_value(json_object_get(doc, "errors")), 1);
    json_t *p = json_array_get(json_object_get(doc, "problems"), 0);
    cr_expect_eq(json_integer_value(json_object_get(p, "line")), 2);
    cr_expect_str_eq(json_string_value(json_object_get(p, "severity")),
                     "error");
    json_decref(doc);
    run_free(&r);
    free(path);
}

Test(cli, summary_json_has_the_header_and_integer_counts)
{
    char *path = src_path("graphs/ai-2025.dot");
    const char *a[] = {"summary", path, "--format", "json", NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 0, "%s", r.err);
    json_error_t err;
    json_t *doc = json_loads(r.out, 0, &err);
    cr_assert_not_null(doc, "%s", err.text);
    json_t *hdr = json_object_get(doc, "dealgraph");
    cr_expect_str_eq(json_string_value(json_object_get(hdr, "version")),
                     DG_VERSION);
    cr_expect(json_is_integer(json_object_get(hdr, "schema")));
    cr_expect(json_is_integer(json_object_get(doc, "companies")));
    cr_expect(json_is_integer(json_object_get(doc, "legs")));
    cr_expect_eq(json_integer_value(json_object_get(doc, "legs")), 52);
    json_decref(doc);
    run_free(&r);
    free(path);
}

Test(cli, summary_output_is_byte_identical_across_runs)
{
    char *path = src_path("graphs/ai-2025.dot");
    const char *fmts[] = {"text", "md", "json"};
    for (int i = 0; i < 3; i++) {
        const char *a[] = {"summary", "--format", fmts[i], path, NULL};
        run_result r1 = run_cli(a, NULL), r2 = run_cli(a, NULL);
        cr_expect_eq(r1.status, 0);
        cr_expect_str_eq(r1.out, r2.out, "%s", fmts[i]);
        run_free(&r1);
        run_free(&r2);
    }
    free(path);
}

Test(cli, summary_text_of_a_small_ledger_is_exact)
{
    /* Totals by hand: chips 10B + undisclosed; equity 4B. */
    char *path = temp_file("small.dot",
                           "digraph {\n"
                           "  a -> b [kind=\"chips\", amount=\"10B\", "
                           "status=\"completed\", announced=\"2024-05\"]\n"
                           "  a -> b [kind=\"chips\", status=\"loi\", "
                           "announced=\"2025\"]\n"
                           "  b -> a [kind=\"equity\", amount=\"4B\", "
                           "status=\"completed\", announced=\"2025-01-02\"]\n"
                           "}\n");
    const char *a[] = {"summary", path, NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 0);
    snprintf(msg, sizeof msg,
             "%s\n"
             "  2 companies, 3 legs in 3 deals, announced 2024-05 to 2025-01-02\n"
             "  amounts: disclosed\n"
             "  0 legs are ceilings (up to), 0 are per year, 0 have only an "
             "estimate range\n"
             "\n"
             "By kind\n"
             "group      legs  value  undisclosed legs\n"
             "---------  ----  -----  ----------------\n"
             "chips         2   $10B                 1\n"
             "equity        1    $4B                 0\n"
             "all kinds     3   $14B                 1\n"
             "\n"
             "By status (firmest first)\n"
             "group         legs        value  undisclosed legs\n"
             "------------  ----  -----------  ----------------\n"
             "completed        2         $14B                 0\n"
             "loi              1  undisclosed                 1\n"
             "all statuses     3         $14B                 1\n"
             "\n"
             "1 legs have no disclosed value and are left out of the values "
             "above (--amounts low|mid|high fills those with estimates).\n",
             path);
    cr_expect_str_eq(r.out, msg);
    run_free(&r);
    free(path);
}

Test(cli, an_unwritable_output_exits_2_and_leaves_no_file)
{
    char *path = src_path("graphs/ai-2025.dot");
    const char *a[] = {"summary", path, "-o", "/nonexistent/dir/out.txt",
                       NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: /nonexistent/dir/out.txt: cannot write: No "
                     "such file or directory");
    run_free(&r);
    char *dir = temp_dir();
    char out[4096];
    snprintf(out, sizeof out, "%s/summary.json", dir);
    const char *b[] = {"summary", path, "--format", "json", "-o", out, NULL};
    r = run_cli(b, NULL);
    cr_expect_eq(r.status, 0);
    cr_expect_str_eq(r.out, "", "-o writes the file, not stdout");
    char *written = read_all(out);
    cr_assert_not_null(written);
    cr_expect(strncmp(written, "{\n  \"dealgraph\"", 15) == 0);
    free(written);
    unlink(out);
    rmdir(dir);
    free(dir);
    run_free(&r);
    free(path);
}

/* Copies the FIFO `fifo` into the file `copy` in a child process. */
static pid_t drain_fifo(const char *fifo, const char *copy)
{
    pid_t pid = fork();
    if (pid == 0) {
        alarm(20); /* a writer that never comes must not hang the suite */
        FILE *in = fopen(fifo, "rb"), *out = fopen(copy, "wb");
        if (!in || !out)
            _exit(1);
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, in)) > 0)
            fwrite(buf, 1, n, out);
        _exit(fclose(out) == 0 ? 0 : 1);
    }
    return pid;
}

Test(cli, output_through_a_link_a_pipe_or_a_device_keeps_them)
{
    char *path = src_path("graphs/ai-2025.dot");
    char *dir = temp_dir();
    char real[4096], link[4096], fifo[4096], copy[4096];
    snprintf(real, sizeof real, "%s/real.txt", dir);
    snprintf(link, sizeof link, "%s/link.txt", dir);
    snprintf(fifo, sizeof fifo, "%s/pipe", dir);
    snprintf(copy, sizeof copy, "%s/copy.txt", dir);
    FILE *f = fopen(real, "w");
    cr_assert_not_null(f);
    fputs("old\n", f);
    fclose(f);
    cr_assert_eq(symlink("real.txt", link), 0);

    /* a symbolic link stays a link; the file it points to is replaced */
    const char *a[] = {"summary", path, "-o", link, NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 0, "stderr: %s", r.err);
    struct stat st;
    cr_expect(lstat(link, &st) == 0 && S_ISLNK(st.st_mode),
              "-o replaced the symbolic link itself");
    char *text = read_all(real);
    cr_assert_not_null(text);
    cr_expect(strstr(text, "23 companies, 52 legs") != NULL,
              "the link's target holds the summary: %s", text);
    free(text);
    run_free(&r);

    /* a named pipe is written into, not replaced by a file */
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    pid_t reader = drain_fifo(fifo, copy);
    cr_assert(reader > 0);
    const char *b[] = {"summary", path, "-o", fifo, NULL};
    r = run_cli(b, NULL);
    int wstatus = 0;
    waitpid(reader, &wstatus, 0);
    cr_expect_eq(r.status, 0, "stderr: %s", r.err);
    cr_expect(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
    cr_expect(stat(fifo, &st) == 0 && S_ISFIFO(st.st_mode),
              "-o replaced the pipe with a file");
    text = read_all(copy);
    cr_assert_not_null(text);
    cr_expect(strstr(text, "23 companies, 52 legs") != NULL,
              "the reader of the pipe got the summary: %s", text);
    free(text);
    run_free(&r);

    /* a file's mode is kept when it is replaced */
    cr_assert_eq(chmod(real, 0600), 0);
    r = run_cli(a, NULL);
    cr_expect_eq(r.status, 0);
    cr_expect(stat(real, &st) == 0 && (st.st_mode & 0777) == 0600,
              "mode %o", (unsigned)(st.st_mode & 0777));
    run_free(&r);

    /* a dangling link, relative, into another directory: the file is
     * created where it points and the link stays */
    char sub[4096], dang[4096], made[4096];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    snprintf(dang, sizeof dang, "%s/sub/dang.txt", dir);
    snprintf(made, sizeof made, "%s/made.txt", dir);
    cr_assert_eq(mkdir(sub, 0755), 0);
    cr_assert_eq(symlink("../made.txt", dang), 0);
    const char *a2[] = {"summary", path, "-o", dang, NULL};
    r = run_cli(a2, NULL);
    cr_expect_eq(r.status, 0, "stderr: %s", r.err);
    cr_expect(lstat(dang, &st) == 0 && S_ISLNK(st.st_mode),
              "-o replaced the dangling link");
    text = read_all(made);
    cr_expect(text && strstr(text, "23 companies, 52 legs") != NULL,
              "the link's target was created");
    free(text);
    run_free(&r);

    /* /dev/stdout when standard output is a file: written there, the
     * shell's earlier and later lines kept */
    char both[4096], cmd[16384];
    snprintf(both, sizeof both, "%s/both.txt", dir);
    snprintf(cmd, sizeof cmd,
             "{ echo HEADER; '%s' summary '%s' -o /dev/stdout; echo FOOTER; "
             "} > '%s'",
             getenv("DEALGRAPH"), path, both);
    cr_expect_eq(system(cmd), 0);
    text = read_all(both);
    cr_assert_not_null(text);
    cr_expect(strncmp(text, "HEADER\n", 7) == 0, "%s", text);
    cr_expect(strstr(text, "23 companies, 52 legs") != NULL, "%s", text);
    size_t tl = strlen(text);
    cr_expect(tl > 7 && strcmp(text + tl - 7, "FOOTER\n") == 0, "%s", text);
    free(text);
    unlink(both);
    unlink(dang);
    unlink(made);
    rmdir(sub);

    /* a directory is refused */
    const char *c[] = {"summary", path, "-o", dir, NULL};
    r = run_cli(c, NULL);
    cr_expect_eq(r.status, 2);
    snprintf(msg, sizeof msg,
             "dealgraph: %s: is a directory; give a file name for the output",
             dir);
    cr_expect_str_eq(first_line(r.err), msg);
    run_free(&r);

    /* a device that refuses the data: the write error is reported, and
     * the device stays a device */
    if (stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode)) {
        const char *d[] = {"render", path, "-T", "svg", "-o", "/dev/full",
                           NULL};
        r = run_cli(d, NULL);
        cr_expect_eq(r.status, 2);
        cr_expect_str_eq(first_line(r.err),
                         "dealgraph: /dev/full: cannot write: No space left "
                         "on device");
        cr_expect(stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode),
                  "-o replaced /dev/full with a regular file");
        run_free(&r);
        const char *e[] = {"summary", path, "-o", "/dev/full", NULL};
        r = run_cli(e, NULL);
        cr_expect_eq(r.status, 2);
        cr_expect_str_eq(first_line(r.err),
                         "dealgraph: /dev/full: cannot write: No space left "
                         "on device");
        run_free(&r);
    }
    unlink(link);
    unlink(real);
    unlink(fifo);
    unlink(copy);
    rmdir(dir);
    free(dir);
    free(path);
}

/* Text, Markdown and HTML are read on terminals and in job summaries: a
 * company name with an escape sequence or a carriage return (a stray byte
 * from a spreadsheet, or a ledger written to mislead) is written there as
 * \x1b or \r, as messages write it, and never as the raw byte. JSON
 * escapes it itself; CSV keeps the data as it is. */
Test(cli, control_characters_in_names_never_reach_a_terminal_raw)
{
    char *path = temp_file(
        "esc.dot",
        "digraph g {\n"
        "  \"Open\x1b[2JAI\" -> \"Ora\rcle\" [kind=\"cloud\", amount=\"3B\", "
        "status=\"reported\", announced=\"2025\"];\n"
        "  \"Ora\rcle\" -> \"Open\x1b[2JAI\" [kind=\"chips\", amount=\"2B\", "
        "status=\"reported\", announced=\"2025\"];\n"
        "}\n");
    const char *cmds[][8] = {
        {"loops", path, NULL},
        {"loops", path, "--format", "md", NULL},
        {"loops", path, "--sort", "none", NULL},
        {"summary", path, "--format", "md", NULL},
        {"exposure", path, "--focus", "Ora\rcle", NULL},
        {"report", path, "--format", "html", NULL},
        {"report", path, "--format", "md", NULL},
        {"check", path, "--max-loops", "0", NULL},
        {"diff", path, path, NULL},
    };
    for (size_t k = 0; k < sizeof cmds / sizeof cmds[0]; k++) {
        run_result r = run_cli(cmds[k], NULL);
        cr_expect(r.status == 0 || r.status == 1, "%s: exit %d: %s",
                  cmds[k][0], r.status, r.err);
        cr_expect(strchr(r.out, '\x1b') == NULL && strchr(r.out, '\r') ==
                  NULL, "%s %s: a raw control byte on stdout", cmds[k][0],
                  cmds[k][2] ? cmds[k][2] : "");
        run_free(&r);
    }
    const char *text[] = {"loops", path, NULL};
    run_result r = run_cli(text, NULL);
    cr_expect(strstr(r.out, "Open\\x1b[2JAI -chips-> Ora\\rcle") ||
                  strstr(r.out, "Open\\x1b[2JAI -cloud-> Ora\\rcle"),
              "%s", r.out);
    run_free(&r);
    const char *json[] = {"loops", path, "--format", "json", NULL};
    r = run_cli(json, NULL);
    cr_expect(strstr(r.out, "\"Open\\u001B[2JAI\"") != NULL, "%s", r.out);
    run_free(&r);
    const char *csv[] = {"loops", path, "--format", "csv", NULL};
    r = run_cli(csv, NULL);
    cr_expect(strstr(r.out, "Open\x1b[2JAI") != NULL, "%s", r.out);
    run_free(&r);
    free(path);
}

/* ---- loops ---------------------------------------------------------------- */

Test(cli, loops_lists_the_seed_loops_with_values_and_patterns)
{
    char *path = src_path("graphs/ai-2025.dot");
    const char *a[] = {"loops", path, NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(first_line(r.out),
                     "35 loops by length: 2: 10, 3: 5, 4: 9, 5: 8, 6: 3");
    cr_expect(strstr(r.out, "equity for purchase  definitive  yes      AMD "
                            "-warrant-> OpenAI -chips-> AMD") != NULL,
              "%s", r.out);
    cr_expect(strstr(r.out, "vendor financing     loi         yes      "
                            "NVIDIA -equity-> OpenAI -chips-> NVIDIA") != NULL);
    cr_expect(strstr(r.out, "$40B         multi-party          loi         "
                            "no       NVIDIA -equity-> OpenAI -cloud-> "
                            "Oracle -chips-> NVIDIA") != NULL);
    run_free(&r);
    free(path);
}

Test(cli, loops_json_has_the_documented_fields)
{
    char *path = src_path("graphs/ai-2025.dot");
    const char *a[] = {"loops", path, "--format", "json", "--max-len", "2",
                       NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 0, "%s", r.err);
    json_error_t err;
    json_t *doc = json_loads(r.out, 0, &err);
    cr_assert_not_null(doc, "%s", err.text);
    const char *top[] = {"dealgraph", "file", "amounts", "count", "truncated",
                         "timed_out", "by_length", "loops"};
    cr_expect_eq(json_object_size(doc), 8);
    for (size_t i = 0; i < 8; i++)
        cr_expect_not_null(json_object_get(doc, top[i]), "%s", top[i]);
    cr_expect_eq(json_integer_value(json_object_get(doc, "count")), 10);
    cr_expect_eq(json_integer_value(json_object_get(
                     json_object_get(doc, "by_length"), "2")),
                 10);
    json_t *loop = json_array_get(json_object_get(doc, "loops"), 0);
    const char *fields[] = {"id", "companies", "length", "value",
                            "value_is_floor", "signature", "pattern",
                            "firmness", "time_respecting", "hops"};
    cr_expect_eq(json_object_size(loop), 10);
    for (size_t i = 0; i < 10; i++)
        cr_expect_not_null(json_object_get(loop, fields[i]), "%s", fields[i]);
    /* the largest two-party loop: Microsoft -> OpenAI 13B + 0.75B,
     * OpenAI -> Microsoft 250B: min 13.75B */
    cr_expect_str_eq(json_string_value(json_object_get(loop, "signature")),
                     "equity>cloud");
    cr_expect_eq(json_real_value(json_object_get(loop, "value")), 13.75e9);
    json_decref(doc);
    run_free(&r);
    free(path);
}

Test(cli, loops_count_reports_totals_by_length_only)
{
    char *path = src_path("graphs/ai-2025.dot");
    const char *a[] = {"loops", path, "--count", "--format", "json", NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 0, "%s", r.err);
    json_t *doc = json_loads(r.out, 0, NULL);
    cr_assert_not_null(doc);
    cr_expect_null(json_object_get(doc, "loops"));
    cr_expect_eq(json_integer_value(json_object_get(doc, "count")), 35);
    cr_expect(json_is_false(json_object_get(doc, "truncated")));
    json_decref(doc);
    run_free(&r);
    free(path);
}

Test(cli, loops_say_when_the_limit_truncated_them)
{
    char *path = src_path("graphs/ai-2025.dot");
    const char *a[] = {"loops", path, "--limit", "3", NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 0);
    /* which three depends on search order; that it says so does not */
    const char *want = "3 loops (truncated: the --limit was reached) by "
                       "length: ";
    cr_expect(strncmp(first_line(r.out), want, strlen(want)) == 0,
              "%s", first_line(r.out));
    run_free(&r);
    free(path);
}

Test(cli, loops_reject_bad_options_with_exit_2)
{
    char *path = src_path("graphs/ai-2025.dot");
    struct {
        const char *opt, *val, *msg;
    } cases[] = {
        {"--max-len", "1",
         "dealgraph: loops: --max-len '1' is not a loop length; give a whole "
         "number of companies, 2 or more"},
        {"--min-value", "ten",
         "dealgraph: loops: --min-value 'ten' is not a money value; write a "
         "number with an optional $ and an optional K, M, B, T, mn, bn or "
         "tn, e.g. 300e9, 300B, $300B, 1.5T, 350M, 12.5bn"},
        {"--sort", "size",
         "dealgraph: loops: unknown --sort 'size'; use value, length or "
         "none"},
        {"--through", "OpenAl",
         "dealgraph: loops: --through \"OpenAl\" is not a company in the "
         "ledger; did you mean \"OpenAI\"?"},
        {"--limit", "-4",
         "dealgraph: loops: --limit '-4' is not a count; give a whole number "
         "(0 = no limit)"},
        {"--max-seconds", "0",
         "dealgraph: loops: --max-seconds '0' is not a duration; give a "
         "positive number of seconds"},
        {"--window", "-3",
         "dealgraph: loops: --window '-3' is not a number of days; "
         "give a whole number, 0 or more"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *a[] = {"loops", path, cases[i].opt, cases[i].val, NULL};
        run_result r = run_cli(a, NULL);
        cr_expect_eq(r.status, 2, "%s", cases[i].opt);
        cr_expect_str_eq(first_line(r.err), cases[i].msg);
        run_free(&r);
    }
    free(path);
}

/* Whether the loop through `a` and `b` (a two-company loop of the shipped
 * ledger) is in time, in `loops --format json` output with `extra`. */
static bool pair_in_time(const char *extra, const char *a, const char *b)
{
    char *path = src_path("graphs/ai-2025.dot");
    const char *args[] = {"loops", path, "--format", "json", "--max-len",
                          "2", extra ? "--window" : NULL, extra, NULL};
    run_result r = run_cli(args, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    json_error_t err;
    json_t *doc = json_loads(r.out, 0, &err);
    cr_assert(doc, "%s", err.text);
    json_t *loops = json_object_get(doc, "loops"), *loop;
    size_t i;
    int found = -1;
    json_array_foreach(loops, i, loop) {
        json_t *c = json_object_get(loop, "companies");
        const char *c0 = json_string_value(json_array_get(c, 0)),
                   *c1 = json_string_value(json_array_get(c, 1));
        if (c0 && c1 && strcmp(c0, a) == 0 && strcmp(c1, b) == 0)
            found = json_is_true(json_object_get(loop, "time_respecting"));
    }
    cr_assert(found >= 0, "no loop %s > %s", a, b);
    json_decref(doc);
    run_free(&r);
    free(path);
    return found;
}

Test(cli, window_without_temporal_bounds_the_in_time_flag)
{
    /* AMD's warrant and OpenAI's GPU order were announced the same day
     * (2025-10-06): in time within any window. Microsoft's investments in
     * OpenAI (2019-2023, 2024-10-02) and OpenAI's Azure commitment
     * (2025-10-28) read in date order, but more than a year apart: in
     * time without a window, not within 30 days. */
    cr_expect(pair_in_time(NULL, "AMD", "OpenAI"));
    cr_expect(pair_in_time("0", "AMD", "OpenAI"));
    cr_expect(pair_in_time(NULL, "Microsoft", "OpenAI"));
    cr_expect_not(pair_in_time("30", "Microsoft", "OpenAI"));
    cr_expect(pair_in_time("400", "Microsoft", "OpenAI"),
              "2024-10-02 to 2025-10-28 is 391 days");
}

Test(cli, loops_output_is_byte_identical_across_runs)
{
    char *path = src_path("graphs/ai-2025.dot");
    const char *fmts[] = {"text", "md", "json", "csv"};
    for (int i = 0; i < 4; i++) {
        /* csv has no place for the significance: that run goes without */
        const char *with[] = {"loops", "--format", fmts[i], "--null", "20",
                              path, NULL};
        const char *without[] = {"loops", "--format", fmts[i], path, NULL};
        const char *const *a = i < 3 ? with : without;
        run_result r1 = run_cli(a, NULL), r2 = run_cli(a, NULL);
        cr_expect_eq(r1.status, 0);
        cr_expect_str_eq(r1.out, r2.out, "%s", fmts[i]);
        run_free(&r1);
        run_free(&r2);
    }
    free(path);
}

Test(cli, loops_streamed_without_sorting_match_the_sorted_set)
{
    char *path = src_path("graphs/ai-2025.dot");
    const char *a[] = {"loops", path, "--sort", "none", "--format", "csv",
                       NULL};
    const char *b[] = {"loops", path, "--format", "csv", NULL};
    run_result r1 = run_cli(a, NULL), r2 = run_cli(b, NULL);
    cr_expect_eq(r1.status, 0);
    int l1 = 0, l2 = 0;
    for (const char *p = r1.out; *p; p++)
        l1 += *p == '\n';
    for (const char *p = r2.out; *p; p++)
        l2 += *p == '\n';
    cr_expect_eq(l1, 36, "a header and 35 loops");
    cr_expect_eq(l1, l2);
    cr_expect_str_eq(first_line(r1.out), first_line(r2.out), "same header");
    run_free(&r1);
    run_free(&r2);
    free(path);
}

/* ---- check and diff ----------------------------------------------------------- */

/* The shipped ledger with one hypothetical deal that closes a loop through
 * OpenAI: Oracle takes a stake in OpenAI, and OpenAI already buys Oracle
 * cloud. */
static char *ledger_with_new_loop(void)
{
    char *path = src_path("graphs/ai-2025.dot");
    char *text = read_all(path);
    free(path);
    cr_assert_not_null(text);
    char *end = strrchr(text, '}');
    *end = '\0';
    size_t n = strlen(text) + 512;
    char *out = malloc(n);
    snprintf(out, n,
             "%s  \"Oracle\" -> \"OpenAI\" [kind=\"equity\", amount=\"5B\", "
             "status=\"talks\", announced=\"2025-12-20\", deal=\"X1\", "
             "source=\"test\"];\n}\n",
             text);
    free(text);
    char *p = temp_file("new.dot", out);
    free(out);
    return p;
}

Test(cli, check_no_new_loops_fails_and_names_the_loop)
{
    char *base = src_path("graphs/ai-2025.dot");
    char *next = ledger_with_new_loop();
    const char *a[] = {"check", next, "--no-new-loops", base, NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 1, "%s", r.err);
    snprintf(msg, sizeof msg,
             "BROKEN  no-new-loops: 1 new loop, limit 0 (baseline %s): "
             "OpenAI > Oracle > OpenAI [e660f30c0d]",
             base);
    cr_expect_str_eq(first_line(r.out), msg);
    run_free(&r);
    /* against itself nothing is new */
    const char *b[] = {"check", base, "--no-new-loops", base, NULL};
    r = run_cli(b, NULL);
    cr_expect_eq(r.status, 0);
    run_free(&r);
    free(base);
    free(next);
}

Test(cli, check_prints_one_line_per_rule_and_exits_by_the_result)
{
    char *path = src_path("graphs/ai-2025.dot");
    /* 35 loops (the loops test derives it); 40 holds, 30 breaks */
    const char *a[] = {"check", path, "--max-loops", "40", NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 0);
    cr_expect_str_eq(r.out, "holds   max-loops: 35 loops, limit 40\n"
                            "all 1 rules hold\n");
    run_free(&r);
    const char *b[] = {"check", path, "--max-loops", "30", "--format",
                       "json", NULL};
    r = run_cli(b, NULL);
    cr_expect_eq(r.status, 1);
    json_t *doc = json_loads(r.out, 0, NULL);
    cr_assert_not_null(doc);
    cr_expect(json_is_false(json_object_get(doc, "holds")));
    json_t *rule = json_array_get(json_object_get(doc, "rules"), 0);
    cr_expect_str_eq(json_string_value(json_object_get(rule, "rule")),
                     "max-loops");
    cr_expect_eq(json_real_value(json_object_get(rule, "measured")), 35);
    json_decref(doc);
    run_free(&r);
    /* md: one table row per rule, broken ones in bold, then the verdict */
    const char *c[] = {"check", path, "--max-loops", "30", "--max-loops",
                       "40", "--format", "md", NULL};
    r = run_cli(c, NULL);
    cr_expect_eq(r.status, 0, "the later --max-loops wins: %s", r.err);
    cr_expect_str_eq(r.out, "| result | rule | measured, limit |\n"
                            "| --- | --- | --- |\n"
                            "| holds | max-loops | 35 loops, limit 40 |\n"
                            "\n"
                            "all 1 rules hold\n");
    run_free(&r);
    const char *d[] = {"check", path, "--max-loops", "30", "--max-fci", "1",
                       "--format", "md", NULL};
    r = run_cli(d, NULL);
    cr_expect_eq(r.status, 1);
    cr_expect(strstr(r.out, "| **BROKEN** | max-loops | 35 loops, limit 30 "
                            "|\n") != NULL,
              "%s", r.out);
    cr_expect(strstr(r.out, "\n**1 of 2 rules broken**\n") != NULL, "%s",
              r.out);
    run_free(&r);
    free(path);
}

Test(cli, check_reports_bad_rules_and_policies_with_exit_2)
{
    char *path = src_path("graphs/ai-2025.dot");
    const char *a[] = {"check", path, "--max-exposure", "2", NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: check: --max-exposure \"2\" is not a share; "
                     "write a number from 0 to 1 or a percentage (0.5, 50%)");
    run_free(&r);
    const char *b[] = {"check", path, NULL};
    r = run_cli(b, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: check: no rule given; use --max-exposure, "
                     "--max-loops, --max-loop-value, --max-fci, "
                     "--no-new-loops or --policy");
    run_free(&r);
    char *pol = temp_file("policy.txt", "max-loops = 40\nmax-loop = 3\n");
    const char *c[] = {"check", path, "--policy", pol, NULL};
    r = run_cli(c, NULL);
    cr_expect_eq(r.status, 2);
    snprintf(msg, sizeof msg,
             "dealgraph: %s:2: unknown rule \"max-loop\"; did you mean "
             "\"max-loops\"?",
             pol);
    cr_expect_str_eq(first_line(r.err), msg);
    run_free(&r);
    const char *d[] = {"check", path, "--no-new-loops", "/nonexistent.dot",
                       NULL};
    r = run_cli(d, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: /nonexistent.dot: cannot open: No such file "
                     "or directory");
    run_free(&r);
    free(pol);
    free(path);
}

Test(cli, diff_exits_0_without_changes_and_1_with_them)
{
    char *path = src_path("graphs/ai-2025.dot");
    char *csv = src_path("graphs/ai-2025");
    const char *a[] = {"diff", path, csv, NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 0, "the CSV copy is the same ledger: %s", r.out);
    cr_expect_str_eq(r.out, "no change\n");
    run_free(&r);
    char *next = ledger_with_new_loop();
    const char *b[] = {"diff", path, next, "--format", "json", NULL};
    r = run_cli(b, NULL);
    cr_expect_eq(r.status, 1);
    json_t *doc = json_loads(r.out, 0, NULL);
    cr_assert_not_null(doc);
    cr_expect_eq(json_array_size(json_object_get(doc, "legs_added")), 1);
    cr_expect_eq(json_array_size(json_object_get(doc, "legs_removed")), 0);
    cr_expect_eq(json_array_size(json_object_get(doc, "legs_changed")), 0);
    json_t *opened = json_object_get(doc, "loops_opened");
    cr_assert_eq(json_array_size(opened), 1);
    cr_expect_str_eq(json_string_value(json_object_get(
                         json_array_get(opened, 0), "companies")),
                     "OpenAI > Oracle > OpenAI");
    cr_expect(json_is_array(json_object_get(doc, "exposure_changes")));
    json_decref(doc);
    run_free(&r);
    const char *c[] = {"diff", path, NULL};
    r = run_cli(c, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: diff: give two ledgers; usage: dealgraph "
                     "diff OLD NEW");
    run_free(&r);
    free(next);
    free(path);
    free(csv);
}

/* ---- report --------------------------------------------------------------------- */

Test(cli, report_md_writes_the_diagram_beside_it_and_links_it)
{
    char *path = src_path("graphs/ai-2025.dot");
    char *dir = temp_dir();
    char md[4096], svg[4096];
    snprintf(md, sizeof md, "%s/report.md", dir);
    snprintf(svg, sizeof svg, "%s/report.svg", dir);
    const char *a[] = {"report", path, "--format", "md", "-o", md, NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 0, "%s", r.err);
    char *text = read_all(md), *pic = read_all(svg);
    cr_assert_not_null(text);
    cr_assert_not_null(pic, "the SVG is written beside the report");
    cr_expect_str_eq(first_line(text), "# Report: AI deal web, 2024-2025");
    cr_expect(strstr(text, "](report.svg)") != NULL, "linked by its name");
    cr_expect(strstr(text, "## Loops in ") && strstr(text, "## Exposure to "
                                                           "OpenAI") &&
              strstr(text, "## Stress test: ") &&
              strstr(text, "Significance against 200"));
    cr_expect(strstr(pic, "<svg") != NULL);
    free(text);
    free(pic);
    unlink(md);
    unlink(svg);
    rmdir(dir);
    free(dir);
    run_free(&r);
    free(path);
}

Test(cli, report_html_is_one_self_contained_page)
{
    char *path = src_path("graphs/ai-2025.dot");
    const char *a[] = {"report", path, "--format", "html", NULL};
    run_result r = run_cli(a, NULL), r2 = run_cli(a, NULL);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strncmp(r.out, "<!DOCTYPE html>", 15) == 0);
    cr_expect(strstr(r.out, "<svg") != NULL, "the diagram is inline");
    cr_expect(strstr(r.out, "class=\"edge loop") != NULL);
    /* nothing to fetch: no scripts, no stylesheets or images by address */
    cr_expect_null(strstr(r.out, "<script"));
    cr_expect_null(strstr(r.out, "<link"));
    cr_expect_null(strstr(r.out, "src=\"http"));
    cr_expect_null(strstr(r.out, "url(http"));
    cr_expect(strstr(r.out, "</html>\n") != NULL);
    cr_expect_str_eq(r.out, r2.out, "byte-identical across runs");
    run_free(&r);
    run_free(&r2);
    free(path);
}

Test(cli, report_json_holds_every_section)
{
    char *path = src_path("graphs/ai-2025.dot");
    const char *a[] = {"report", path, "--format", "json", NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 0, "%s", r.err);
    json_t *doc = json_loads(r.out, 0, NULL);
    cr_assert_not_null(doc);
    cr_expect_eq(json_integer_value(json_object_get(
                     json_object_get(doc, "loops"), "count")),
                 35);
    cr_expect_str_eq(json_string_value(json_object_get(
                         json_object_get(doc, "exposure"), "focus")),
                     "OpenAI");
    cr_expect(json_is_object(json_object_get(doc, "stress")));
    cr_expect(json_is_null(json_object_get(doc, "diagram")),
              "to standard output there is no file beside it");
    json_decref(doc);
    run_free(&r);
    free(path);
}

Test(cli, report_without_a_focus_says_what_it_left_out)
{
    char *path = temp_file("nofocus.dot",
                           "digraph {\n  a -> b [" LEG ", amount=\"1B\"]\n"
                           "  b -> a [" LEG ", amount=\"2B\"]\n}\n");
    const char *a[] = {"report", path, "--format", "md", NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "## Exposure and stress\n\nThe ledger names no "
                            "focal company") != NULL);
    run_free(&r);
    free(path);
}

Test(cli, report_to_an_unwritable_path_leaves_no_file)
{
    char *path = src_path("graphs/ai-2025.dot");
    const char *a[] = {"report", path, "--format", "md", "-o",
                       "/nonexistent/dir/report.md", NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: /nonexistent/dir/report.md: cannot write: No "
                     "such file or directory");
    run_free(&r);
    const char *b[] = {"report", path, "--format", "pdf", NULL};
    r = run_cli(b, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: report: unknown format 'pdf'; use --format "
                     "text|md|json|html");
    run_free(&r);
    free(path);
}

Test(cli, misuses_of_null_and_report_names_are_refused)
{
    char *path = src_path("graphs/ai-2025.dot");
    const char *a[] = {"loops", path, "--null", "1", NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: loops: --null 1 gives no spread to compare "
                     "with; give 2 or more rewirings (200 is a good start)");
    run_free(&r);
    const char *b[] = {"loops", path, "--null", "5", "--temporal", NULL};
    r = run_cli(b, NULL);
    cr_expect_eq(r.status, 2);
    run_free(&r);
    char *dir = temp_dir();
    char out[4096];
    snprintf(out, sizeof out, "%s/ledger.svg", dir);
    const char *c[] = {"report", path, "--format", "md", "-o", out, NULL};
    r = run_cli(c, NULL);
    cr_expect_eq(r.status, 2);
    snprintf(msg, sizeof msg,
             "dealgraph: report: the diagram beside %s would have the "
             "report's own name; give the report a .md or .json name",
             out);
    cr_expect_str_eq(first_line(r.err), msg);
    cr_expect_null(read_all(out), "nothing written");
    run_free(&r);
    rmdir(dir);
    free(dir);
    const char *d[] = {"diff", path, path, "--focus", "OpenAl", NULL};
    r = run_cli(d, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: diff: unknown company 'OpenAl' for --focus; "
                     "did you mean 'OpenAI'?");
    run_free(&r);
    free(path);
}
