/* Robustness: what the fuzzers found (each case is the smallest form of an
 * input a fuzz target in tests/fuzz/ saved), the limits on pathological
 * input (deep nesting, leg explosions, dense graphs, sizes the matrix models
 * and Graphviz cannot take), and the progress line of long loop searches.
 * docs/robustness.md describes each. The searches that run for seconds by
 * design (to their --max-seconds) are in the suites limits_slow and
 * progress_slow, which run in meson's suite 'slow' (tests/README.md). */
#define _XOPEN_SOURCE 700 /* posix_openpt */
#define _DEFAULT_SOURCE    /* wait4 */

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dealgraph/gate.h"
#include "dealgraph/stressrun.h"
#include "support.h"

#define LEG "kind=\"chips\", status=\"definitive\", announced=\"2025\""

static char msg[8192];

/* Runs the CLI on `path` with `cmd` and extra arguments (NULL-terminated
 * list after the path); expects `status` and the first stderr line
 * "dealgraph: " + `rest` (with "%s" in `rest` standing for the path). */
static void expect_cli(const char *cmd, const char *path, const char *extra,
                       int status, const char *rest)
{
    const char *args[] = {cmd, path, extra, NULL};
    run_result r = run_cli(args, NULL);
    cr_expect_eq(r.status, status, "%s %s: exit %d, stderr: %.300s", cmd,
                 path, r.status, r.err);
    if (rest) {
        const char *at = strstr(rest, "%s");
        if (at)
            snprintf(msg, sizeof msg, "dealgraph: %.*s%s%s", (int)(at - rest),
                     rest, path, at + 2);
        else
            snprintf(msg, sizeof msg, "dealgraph: %s", rest);
        cr_expect_str_eq(first_line(r.err), msg);
    }
    run_free(&r);
}

/* A growable string for generated ledgers. */
typedef struct text {
    char *s;
    size_t len, cap;
} text;

static void put(text *t, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        size_t room = t->cap - t->len;
        int n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? room : 0, fmt,
                          ap);
        va_end(ap);
        if (t->s && (size_t)n < room) {
            t->len += (size_t)n;
            return;
        }
        t->cap = t->cap ? t->cap * 2 : 4096;
        while (t->cap - t->len <= (size_t)n)
            t->cap *= 2;
        t->s = realloc(t->s, t->cap);
        cr_assert_not_null(t->s);
        if (t->len == 0)
            t->s[0] = '\0';
    }
}

/* The complete digraph on n companies as a DOT ledger: every ordered pair
 * is a leg, so every sequence of distinct companies closes a loop (about
 * 1.7e10 loops for n = 14). */
static char *complete_ledger(int n)
{
    text t = {0};
    put(&t, "digraph \"k%d\" {\n  graph [focus=\"K00\"];\n", n);
    for (int a = 0; a < n; a++)
        for (int b = 0; b < n; b++)
            if (a != b)
                put(&t, "  \"K%02d\" -> \"K%02d\" [kind=\"chips\", "
                        "amount=\"1B\", status=\"definitive\", "
                        "announced=\"2025\"];\n",
                    a, b);
    put(&t, "}\n");
    char *path = temp_file("dense.dot", t.s);
    free(t.s);
    return path;
}

/* ---- what the fuzzers found -------------------------------------------- */

/* The end of the message for a company name DOT cannot write (check.c). */
#define NAME_PROBLEM                                                        \
    "DOT cannot write this name (it starts with %, has a backslash at its " \
    "end or just before a quote or a line break, or a line break alone "    \
    "between quotes, backslashes or its ends); rename it"

/* fuzz_csv, seeds/csv/regress-render-company-without-attributes: a company
 * named only by its legs has no attributes, and the annotated DOT wrote
 * `"A" [,` — a syntax error, so `render` failed on every CSV ledger
 * without companies.csv. */
Test(fuzz_finds, render_draws_a_company_named_only_by_its_legs)
{
    char *dir = temp_dir();
    char *deals = write_file(dir, "deals.csv",
                             "from,to,kind,status,announced\n"
                             "A,B,chips,loi,2025\n");
    char out[4096];
    snprintf(out, sizeof out, "%s/picture.svg", dir);
    const char *svg[] = {"render", deals, "-o", out, NULL};
    run_result r = run_cli(svg, NULL);
    cr_expect_eq(r.status, 0, "stderr: %s", r.err);
    cr_expect_str_eq(r.err, "");
    run_free(&r);
    snprintf(out, sizeof out, "%s/picture.dot", dir);
    const char *dot[] = {"render", deals, "-o", out, NULL};
    r = run_cli(dot, NULL);
    cr_expect_eq(r.status, 0, "stderr: %s", r.err);
    run_free(&r);
    const char *lint[] = {"lint", out, NULL};
    r = run_cli(lint, NULL);
    cr_expect_eq(r.status, 0, "the annotated DOT reads back: %s", r.out);
    run_free(&r);
    free(deals);
    free(dir);
}

/* fuzz_dot, seeds/dot/regress-render-focus-without-legs.dot: the focus has
 * no leg, so render leaves it out, but the annotated DOT still named it as
 * the focus: reading the file back failed ("focus is not a company"). */
Test(fuzz_finds, annotated_dot_keeps_no_focus_it_does_not_draw)
{
    char *path = temp_file("nofocus.dot",
                           "digraph \"t\" {\n"
                           "  graph [focus=\"Lab\"];\n"
                           "  \"Lab\" [sector=\"lab\"];\n"
                           "  \"A\" -> \"B\" [" LEG "];\n"
                           "}\n");
    const char *args[] = {"render", path, "-T", "dot", NULL};
    run_result r = run_cli(args, NULL);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_expect_null(strstr(r.out, "focus="));
    char *back = temp_file("back.dot", r.out);
    run_free(&r);
    const char *lint[] = {"lint", back, NULL};
    r = run_cli(lint, NULL);
    cr_expect_eq(r.status, 0, "the annotated DOT reads back: %s", r.out);
    run_free(&r);
    free(back);
    free(path);
}

/* fuzz_csv and fuzz_policy, regress-leak-* in seeds/csv and seeds/policy:
 * a companies file or a policy file with a NUL byte (or invalid UTF-8) was
 * refused, but its text
 * was never freed. The messages are checked here; the leak is what the
 * sanitizer build of this test would report. */
Test(fuzz_finds, a_companies_file_that_is_not_text_is_refused_and_freed)
{
    char *dir = temp_dir();
    free(write_file(dir, "deals.csv", "from,to,kind,status,announced\n"
                                      "A,B,chips,loi,2025\n"));
    char *companies = write_file(dir, "companies.csv", "name,sector\n");
    FILE *f = fopen(companies, "ab");
    cr_assert_not_null(f);
    fwrite("A,lab\n\0B,chips\n", 1, 15, f);
    fclose(f);
    dg_diags d;
    dg_diags_init(&d);
    int status = DG_OK;
    dg_ledger *l = dg_ledger_load(dir, NULL, &d, &status);
    cr_expect_null(l);
    cr_expect_eq(status, DG_EINPUT);
    cr_expect_str_eq(first_error(&d),
                     "3: NUL byte in the text; a ledger is a text file (is "
                     "this a binary or UTF-16 file?)");
    dg_diags_finish(&d);
    free(companies);
    free(dir);
}

Test(fuzz_finds, a_policy_file_that_is_not_text_is_refused_and_freed)
{
    char *path = temp_file("policy", "max-loops = 3\nfocus = \xff\n");
    dg_policy p;
    dg_policy_init(&p);
    dg_diags d;
    dg_diags_init(&d);
    cr_expect_eq(dg_policy_load(path, &p, &d), DG_EINPUT);
    cr_expect_str_eq(first_error(&d),
                     "2: invalid UTF-8 (byte 0xff); save the file as UTF-8");
    dg_policy_finish(&p);
    dg_diags_finish(&d);
    free(path);
}

/* fuzz_dot, seeds/dot/regress-html-name-line.dot: an HTML-string name
 * (<G>) kept its brackets in the line scanner, so its legs matched no
 * cgraph edge and their messages had no line. */
Test(fuzz_finds, legs_of_html_string_names_have_their_line)
{
    dg_diags d;
    dg_ledger *l = load_dot_text("digraph {\n"
                                 "  \"A\" -> \"B\" [" LEG "];\n"
                                 "  <G> -> \"B\" [" LEG ", amount=\"x\"];\n"
                                 "}\n",
                                 &d);
    cr_expect_null(l);
    cr_expect_str_eq(first_error(&d),
                     "3: leg G -> B: amount \"x\" is not a money value; "
                     "write a number with an optional $ and an optional K, "
                     "M, B, T, mn, bn or tn, e.g. 300e9, 300B, $300B, 1.5T, "
                     "350M, 12.5bn");
    dg_diags_finish(&d);
}

/* fuzz_dot, seeds/dot/regress-node-list-line.dot: cgraph reads
 * "a, b -> c" as two legs and "a, b [...]" as two node statements; the
 * line scanner stopped at the comma, and every later leg lost its line. */
Test(fuzz_finds, node_lists_are_read_and_keep_their_lines)
{
    dg_diags d;
    dg_ledger *l = load_dot_text("digraph {\n"
                                 "  a, b -> c [" LEG "];\n"
                                 "  x, y [sector=\"lab\"];\n"
                                 "  c -> a [" LEG ", amount=\"x\"];\n"
                                 "}\n",
                                 &d);
    cr_expect_null(l);
    cr_expect_eq(d.errors, 1);
    cr_expect_str_eq(first_error(&d),
                     "4: leg c -> a: amount \"x\" is not a money value; "
                     "write a number with an optional $ and an optional K, "
                     "M, B, T, mn, bn or tn, e.g. 300e9, 300B, $300B, 1.5T, "
                     "350M, 12.5bn");
    dg_diags_finish(&d);
    l = load_dot_text("digraph {\n  a, b -> c [" LEG "];\n"
                      "  x, y [sector=\"lab\"];\n}\n",
                      &d);
    cr_assert_not_null(l, "%s", first_error(&d));
    cr_expect_eq(l->nlegs, 2);
    cr_expect_eq(l->legs[0].line, 2);
    cr_expect_eq(l->legs[1].line, 2);
    size_t y = dg_ledger_find(l, "y");
    cr_assert_neq(y, (size_t)-1);
    cr_expect_eq(l->companies[y].line, 3);
    cr_expect_eq(l->companies[y].sector, DG_SECTOR_LAB);
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

/* fuzz_csv and fuzz_policy, regress-control-char-in-message in seeds/csv
 * and seeds/policy: a column or rule name with a control character went
 * into the message raw (a message is one printable line). */
Test(fuzz_finds, control_characters_are_escaped_in_messages)
{
    dg_diags d;
    dg_ledger *l = load_csv_text("from,to,kind,status,announced,\x1a"
                                 "amount,\x1a"
                                 "amount\nA,B,chips,loi,2025,,\n",
                                 NULL, &d);
    cr_expect_null(l);
    cr_expect_str_eq(first_error(&d),
                     "1: column \"\\x1aamount\" appears twice in the header; "
                     "each column once");
    dg_diags_finish(&d);

    char *path = temp_file("policy", "\r\n\x02 = \n");
    dg_policy p;
    dg_policy_init(&p);
    dg_diags_init(&d);
    cr_expect_eq(dg_policy_load(path, &p, &d), DG_EINPUT);
    cr_expect_str_eq(first_error(&d),
                     "2: unknown rule \"\\x02\"; rules are max-exposure, "
                     "max-loops, max-loop-value, max-fci, no-new-loops, "
                     "max-revenue-dependence, min-coverage, focus, max-len "
                     "and year");
    dg_policy_finish(&p);
    dg_diags_finish(&d);
    free(path);
}

/* fuzz_csv, seeds/csv/regress-control-char-in-name: a company named
 * "OpenA\r" (a carriage return inside an unquoted CSV field is data) went
 * raw into the messages of stress and exposure; every message is now made
 * one printable line where it is stored (dg_diags_add). */
Test(fuzz_finds, company_names_with_control_characters_are_escaped)
{
    dg_diags d;
    dg_ledger *l = load_csv_text("from,to,kind,amount,status,announced\n"
                                 "OpenA\r,Oracle,cloud,300B,reported,2025\n",
                                 NULL, &d);
    cr_assert_not_null(l, "%s", first_error(&d));
    dg_stress_options so;
    dg_stress_options_init(&so);
    so.focus = dg_ledger_find(l, "OpenA\r");
    cr_assert_neq(so.focus, (size_t)-1);
    dg_stress_result r;
    cr_expect_eq(dg_stress_run(l, &so, &r, &d), DG_EINPUT);
    cr_expect_str_eq(first_error(&d),
                     "0: stress: no company has an equity figure, so "
                     "DebtRank has nobody to take losses; give `equity` "
                     "(loss-absorbing capital, USD) to the companies that "
                     "lend, invest or sell to OpenA\\r");
    dg_stress_result_finish(&r);
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

/* fuzz_dot, seeds/dot/regress-cgraph-line-count.dot: the fuzzer loads each
 * input twice (plain and --strict), and the second parse of a file with a
 * syntax error said "in line -9". cgraph's lexer counts lines across reads
 * and never resets the count, so `lint a.dot b.dot` gave wrong (even
 * negative) lines for every file after one with a syntax error. */
Test(fuzz_finds, syntax_errors_have_their_line_in_every_file_of_a_lint)
{
    char *dir = temp_dir();
    char *a = write_file(dir, "a.dot", "digraph {\n a -> \n}\n");
    char *b = write_file(dir, "b.dot",
                         "digraph {\n\n\n\n a -> b [kind=\n}\n");
    const char *args[] = {"lint", a, b, a, NULL};
    run_result r = run_cli(args, NULL);
    cr_expect_eq(r.status, 1);
    const char *rest = ": error: DOT syntax error near '}'; check brackets "
                       "and quotes, and quote every attribute value "
                       "(amount=\"3e11\", announced=\"2025-09-10\")\n";
    snprintf(msg, sizeof msg, "%s:3%s%s:3%s%s:6%s", a, rest, a, rest, b,
             rest);
    cr_expect_str_eq(r.out, msg);
    run_free(&r);
    free(a);
    free(b);
    free(dir);
}

/* fuzz_csv, seeds/csv/regress-backslash-name: a company named "Oracle\"
 * (a trailing backslash) cannot be written in DOT: cgraph reads \" as a
 * quote, so the annotated DOT doubled it and read back another name ("A\"
 * and "A\\" came back as one company). Such a name is an error now. */
Test(fuzz_finds, a_name_that_dot_cannot_write_is_an_error)
{
    dg_diags d;
    dg_ledger *l = load_csv_text("from,to,kind,status,announced\n"
                                 "A\\,B,chips,loi,2025\n"
                                 "B,A\\\\,chips,loi,2025\n"
                                 "B,\"C\\\"\"D\",chips,loi,2025\n",
                                 NULL, &d);
    cr_expect_null(l);
    cr_expect_eq(d.errors, 2, "A\\ and C\\\"D, not A\\\\");
    cr_expect_str_eq(first_error(&d),
                     "2: company \"A\\\": " NAME_PROBLEM);
    dg_diags_finish(&d);
}

/* fuzz_dot, seeds/dot/regress-percent-name.dot: cgraph takes a node name
 * that starts with '%' for an anonymous node's and renames it ("%nthropic"
 * came back as "%39"): the company lost its name without a word. */
Test(fuzz_finds, a_name_starting_with_percent_is_an_error_not_renamed)
{
    dg_diags d;
    dg_ledger *l = load_dot_text("digraph {\n"
                                 "  \"A\" -> \"B\" [" LEG "];\n"
                                 "  \"%nthropic\" -> \"B\" [" LEG "];\n"
                                 "}\n",
                                 &d);
    cr_expect_null(l);
    cr_expect_str_eq(first_error(&d),
                     "3: company \"%nthropic\": a name in DOT cannot start "
                     "with % (Graphviz renames such nodes); rename it");
    dg_diags_finish(&d);
    l = load_csv_text("from,to,kind,status,announced\n%x,B,chips,loi,2025\n",
                      NULL, &d);
    cr_expect_null(l, "render -T dot could not write it back");
    cr_expect_str_eq(first_error(&d),
                     "2: company \"%x\": " NAME_PROBLEM);
    dg_diags_finish(&d);
}

/* fuzz_csv, seeds/csv/regress-backslash-source: a leg's source ending a
 * line with an odd run of backslashes ("to\\\\\<CR><LF>") came back from
 * the annotated DOT with the line break gone (cgraph reads a backslash
 * before a line break as a continuation). Names were checked already; now
 * every text attribute of legs, companies and the graph is. */
Test(fuzz_finds, text_that_dot_cannot_hold_is_an_error_wherever_it_is)
{
    dg_diags d;
    /* the source: "x" then three backslashes, CR, LF, "y" (odd run before
     * a line break; the message shows the line break as \n, after the
     * three backslashes); the note: two backslashes at the end (even:
     * fine); the next row's note: one at the end */
    dg_ledger *l = load_csv_text(
        "from,to,kind,status,announced,source,note\n"
        "A,B,chips,loi,2025,\"x\\\\\\\r\ny\",\"n\\\\\"\n"
        "B,A,chips,loi,2025,ok,\"ends \\\"\n",
        NULL, &d);
    cr_expect_null(l);
    cr_expect_eq(d.errors, 2, "the source of line 2 and the note of line 4");
    cr_expect_str_eq(first_error(&d),
                     "2: leg A -> B: source \"x\\\\\\\\ny\": DOT "
                     "cannot hold a backslash just before a line break, a "
                     "line break alone between quotes, backslashes or the "
                     "ends of the text, or an odd run of backslashes at the "
                     "end or just before a quote; remove one or move it");
    dg_diags_finish(&d);
    /* fuzz_csv again (CI's short run): an even run before a line break is
     * no better when the next line starts with a backslash: cgraph reads
     * "ot\\" LF "\z" back as "ot\\\z". Any backslash just before a
     * line break is refused; after one, or two before a quote, is fine. */
    l = load_csv_text("from,to,kind,status,announced,source\n"
                      "A,B,chips,loi,2025,\"x\\\\\r\n\\y\"\n",
                      NULL, &d);
    cr_expect_null(l, "two backslashes, a line break, a backslash");
    dg_diags_finish(&d);
    l = load_csv_text("from,to,kind,status,announced,source,note\n"
                      "A,B,chips,loi,2025,\"x\r\n\\y\",\"two \\\\\"\"q\"\n",
                      NULL, &d);
    cr_expect_not_null(l, "%s", first_error(&d));
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

/* fuzz_dot (session 3, after 44 minutes), seeds/dot/regress-lone-newline-name.dot:
 * cgraph reads the quoted name "<LF>" as the empty name. Its lexer takes a
 * quoted string as runs of plain characters between escapes, and a run
 * that is a single line break is matched by the rule that counts lines
 * instead, and dropped ("x<LF>" and "<LF><LF>" keep theirs). The line
 * scanner read the name as "<LF>", found no such company and left the leg
 * without a line. It reads strings as cgraph does now; a company with an
 * empty name is an error (in CSV it already was: "missing from"); and a
 * text with such a line break (a quote or the start before it; a quote, a
 * backslash or the end after it) is an error, since the annotated DOT
 * could not hold it. */
Test(fuzz_finds, a_line_break_alone_in_a_quoted_string_is_read_as_cgraph_reads_it)
{
    dg_diags d;
    dg_ledger *l = load_dot_text("\xef\xbb\xbf" "digraph \"x\" {\r"
                                 "A \"\n\" -> \"B\" [" LEG ", zz=\"1\"];\r\n"
                                 "}\r \n",
                                 &d);
    cr_expect_null(l);
    cr_expect_str_eq(first_error(&d),
                     "1: a company with an empty name (\"\"); give it a "
                     "name");
    cr_expect(has_diag(&d, DG_SEV_WARNING, "unknown attribute \"zz\""));
    for (size_t i = 0; i < d.count; i++)
        cr_expect_gt(d.items[i].line, 0, "%s", d.items[i].message);
    dg_diags_finish(&d);
    /* the line scanner and cgraph agree on the names that keep the line
     * break, and on the one that loses it after a quote ("a\\"<LF>" is
     * a" to cgraph), and on a leg's line after strings spanning lines */
    l = load_dot_text("digraph {\n"
                      "  \"x\n\" -> \"\n\n\" [" LEG "];\n"
                      "  \"a\\\"\n\" -> \"B\" [" LEG ", zz=\"1\"];\n"
                      "}\n",
                      &d);
    cr_assert_not_null(l, "%s", first_error(&d));
    cr_expect_neq(dg_ledger_find(l, "x\n"), (size_t)-1);
    cr_expect_neq(dg_ledger_find(l, "\n\n"), (size_t)-1);
    cr_expect_neq(dg_ledger_find(l, "a\""), (size_t)-1);
    cr_expect_eq(l->nlegs, 2);
    /* a leg's line is its arrow's: lines 2-3 and 4-5 hold the first
     * leg's names, 6-7 the second's */
    cr_expect_eq(l->legs[1].line, 7);
    cr_expect_eq(d.count, 1);
    cr_expect_eq(d.items[0].line, 7, "%s", d.items[0].message);
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
    /* from CSV, where a name or a note keeps such a line break: errors */
    l = load_csv_text("from,to,kind,status,announced,note\n"
                      "\"A\",B,chips,loi,2025,\"\n\\x\"\n"
                      "B,\"\"\"\n\",chips,loi,2025,\"x\n\n\"\n",
                      NULL, &d);
    cr_expect_null(l);
    cr_expect_eq(d.errors, 2, "company \"<LF> and the note of line 2");
    cr_expect_str_eq(first_error(&d),
                     "4: company \"\"\\n\": " NAME_PROBLEM);
    cr_expect(has_diag(&d, DG_SEV_ERROR,
                       "leg A -> B: note \"\\n\\x\": DOT cannot hold a "
                       "backslash just before a line break, a line break "
                       "alone between quotes, backslashes or the ends of the "
                       "text, or an odd run of backslashes at the end or "
                       "just before a quote; remove one or move it"));
    dg_diags_finish(&d);
}

/* fuzz_dot (session 3, after 16 minutes of a run), seeds/dot/
 * regress-html-concat-name.dot: cgraph joins an HTML string to a quoted
 * one with '+' as it joins two quoted ones ("=" + <> is "=", "x" + <y> is
 * "xy"); the line scanner took only quoted strings after '+', lost its
 * place and left the leg without a line. */
Test(fuzz_finds, html_strings_joined_with_plus_keep_their_line)
{
    dg_diags d;
    dg_ledger *l = load_dot_text("digraph {\n"
                                 "  \"x\" + <y>\n"
                                 "  -> \"A\" [" LEG ", zz=\"1\"];\n"
                                 "  <p> + \"q\" -> \"A\" [" LEG ", zz=\"2\"];\n"
                                 "}\n",
                                 &d);
    cr_assert_not_null(l, "%s", first_error(&d));
    cr_expect_neq(dg_ledger_find(l, "xy"), (size_t)-1);
    cr_expect_neq(dg_ledger_find(l, "pq"), (size_t)-1);
    cr_expect_eq(d.count, 2);
    cr_expect_eq(d.items[0].line, 3, "%s", d.items[0].message);
    cr_expect_eq(d.items[1].line, 4, "%s", d.items[1].message);
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

/* fuzz_dot, seeds/dot/regress-bom-inside.dot: a byte order mark after
 * "digraph" (digraph <BOM>"" {...}) is blank to cgraph's lexer, but the
 * line scanner took it for a name, lost its place and gave the legs no
 * line. It is blank to the scanner too now, unless a name goes on after
 * it (then cgraph reads it as part of the name, and so does the scanner). */
Test(fuzz_finds, a_byte_order_mark_inside_the_file_is_blank_as_in_cgraph)
{
    dg_diags d;
    dg_ledger *l = load_dot_text("digraph \xEF\xBB\xBF\"\" {\n"
                                 "  {\n"
                                 "    a -> b [" LEG "];\n"
                                 "  }\n"
                                 "  \xEF\xBB\xBF b -> c [" LEG "];\n"
                                 "}\n",
                                 &d);
    cr_assert_not_null(l, "%s", first_error(&d));
    cr_expect_eq(l->nlegs, 2);
    cr_expect_eq(l->legs[0].line, 3);
    cr_expect_eq(l->legs[1].line, 5);
    cr_expect_eq(l->ncompanies, 3, "the mark is not a company");
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
    /* inside a name it is part of the name, as cgraph has it */
    l = load_dot_text("digraph {\n  x\xEF\xBB\xBFy -> b [" LEG "];\n}\n", &d);
    cr_assert_not_null(l, "%s", first_error(&d));
    cr_expect_str_eq(l->companies[l->legs[0].from].name, "x\xEF\xBB\xBFy");
    cr_expect_eq(l->legs[0].line, 2);
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

/* ---- limits on pathological input -------------------------------------- */

static int run_measured(const char *const *args, long *rss_kb, double *secs);

Test(limits, braces_nested_too_deep_are_refused_with_their_line)
{
    /* dotscan's statement parser recurses per brace: 100000 levels ran
     * off the C stack (SIGSEGV) before the limit */
    size_t n = 100000;
    char *t = malloc(2 * n + 64);
    cr_assert_not_null(t);
    size_t k = (size_t)sprintf(t, "digraph g {\n");
    memset(t + k, '{', n);
    memset(t + k + n, '}', n);
    strcpy(t + k + 2 * n, "}\n");
    char *path = temp_file("deep.dot", t);
    free(t);
    expect_cli("summary", path, NULL, 2,
               "%s:2: braces nested more than 1000 deep; a ledger needs a "
               "few levels of subgraphs at most");
    free(path);
}

Test(limits, braces_nested_up_to_the_limit_are_read)
{
    size_t n = 998; /* plus the graph's own brace: 999 levels */
    char *t = malloc(2 * n + 256);
    cr_assert_not_null(t);
    size_t k = (size_t)sprintf(t, "digraph g {\n");
    memset(t + k, '{', n);
    k += n;
    k += (size_t)sprintf(t + k, " \"A\" -> \"B\" [" LEG "] ");
    memset(t + k, '}', n);
    strcpy(t + k + n, "}\n");
    dg_diags d;
    dg_ledger *l = load_dot_text(t, &d);
    free(t);
    cr_assert_not_null(l, "%s", first_error(&d));
    cr_expect_eq(l->nlegs, 1);
    cr_expect_eq(l->legs[0].line, 2);
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

Test(limits, an_edge_between_large_subgraphs_is_refused_before_cgraph)
{
    /* 1001 x 1001 pairs: a 13 KB file asking for a million legs */
    text t = {0};
    put(&t, "digraph g {\n  edge [" LEG "];\n  {");
    for (int i = 0; i <= 1000; i++)
        put(&t, " a%d", i);
    put(&t, " } -> {");
    for (int i = 0; i <= 1000; i++)
        put(&t, " b%d", i);
    put(&t, " }\n}\n");
    char *path = temp_file("product.dot", t.s);
    free(t.s);
    expect_cli("summary", path, NULL, 2,
               "%s:3: more than 1000000 legs; a ledger holds at most 1000000 "
               "(an edge statement between subgraphs makes a leg for every "
               "pair: {a b} -> {c d} is 4 legs)");
    free(path);
}

Test(limits, more_than_a_million_companies_are_refused)
{
    text t = {0};
    put(&t, "digraph g {\n");
    for (int i = 0; i <= 1000000; i++)
        put(&t, "n%d;", i);
    put(&t, "\n}\n");
    char *path = temp_file("many.dot", t.s);
    free(t.s);
    expect_cli("lint", path, NULL, 2,
               "%s:2: more than 1000000 companies; a ledger holds at most "
               "1000000");
    free(path);
}

Test(limits, too_many_attribute_names_are_refused_before_cgraph)
{
    /* 20000 names on 20000 nodes made cgraph run for minutes (it gives
     * every node a slot for every name) */
    text t = {0};
    put(&t, "digraph g {\n");
    for (int i = 0; i < 20000; i++)
        put(&t, "n%d;", i);
    put(&t, "\n  x [");
    for (int i = 0; i < 20000; i++)
        put(&t, "%sa%d=\"1\"", i ? ", " : "", i);
    put(&t, "];\n}\n");
    char *path = temp_file("attrs.dot", t.s);
    free(t.s);
    expect_cli("summary", path, NULL, 2,
               "%s:3: more than 200 different attribute names; a ledger "
               "uses a few dozen (its own and Graphviz's)");
    free(path);
}

Test(limits, a_header_of_many_columns_is_read_in_linear_time)
{
    /* repeated names were found by comparing every pair: 100000 columns
     * took 18 s */
    text t = {0};
    put(&t, "from,to,kind,status,announced");
    for (int i = 0; i < 100000; i++)
        put(&t, ",c%d", i);
    put(&t, ",c7\nA,B,chips,loi,2025");
    for (int i = 0; i <= 100000; i++)
        put(&t, ",");
    put(&t, "\n");
    char *path = temp_file("wide.csv", t.s);
    free(t.s);
    const char *args[] = {"summary", path, NULL};
    long rss;
    double secs;
    cr_expect_eq(run_measured(args, &rss, &secs), 2);
    cr_expect_lt(secs, 20.0, "took %.1f s", secs);
    expect_cli("summary", path, NULL, 2,
               "%s:1: column \"c7\" appears twice in the header; each "
               "column once");
    free(path);
}

/* A random sparse ledger of n companies and m legs, as a CSV directory. */
static char *random_ledger(int n, int m, const char *focus)
{
    text t = {0};
    put(&t, "from,to,kind,amount,status,announced\n");
    unsigned x = 12345;
    for (int i = 0; i < m; i++) {
        x = x * 1103515245u + 12345u;
        int a = (int)((x >> 8) % (unsigned)n);
        x = x * 1103515245u + 12345u;
        int b = (int)((x >> 8) % (unsigned)n);
        if (a == b)
            b = (b + 1) % n;
        put(&t, "C%d,C%d,chips,%dM,definitive,2025\n", a, b, 1 + i % 900);
    }
    /* every company named once, so that the count is exactly n */
    for (int i = 0; i < n; i++)
        put(&t, "C%d,C%d,cloud,1M,definitive,2025\n", i, (i + 1) % n);
    char *dir = temp_dir();
    free(write_file(dir, "deals.csv", t.s));
    free(t.s);
    if (focus) {
        char g[256];
        snprintf(g, sizeof g, "attribute,value\nfocus,%s\n", focus);
        free(write_file(dir, "graph.csv", g));
    }
    return dir;
}

Test(limits, exposure_and_stress_refuse_more_companies_than_they_handle)
{
    char *dir = random_ledger(5001, 2000, "C0");
    const char *rest = "%s: 5001 companies is over the 5000 that exposure "
                       "and stress handle (they solve an n-by-n system, "
                       "whose cost grows with the cube of n); split the "
                       "ledger";
    expect_cli("exposure", dir, NULL, 2, rest);
    expect_cli("stress", dir, NULL, 2, rest);
    expect_cli("check", dir, "--max-exposure=0.5", 2, rest);
    free(dir);
}

Test(limits, render_refuses_to_lay_out_more_legs_than_graphviz_can_take)
{
    char *dir = random_ledger(150, 251, NULL); /* 401 legs */
    char out[4096];
    snprintf(out, sizeof out, "%s/big.svg", dir);
    const char *args[] = {"render", dir, "-o", out, NULL};
    run_result r = run_cli(args, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: render: 401 legs are too many to lay out (at "
                     "most 400; Graphviz would take many minutes); draw part "
                     "of the ledger with --kinds, --min-status, --as-of or "
                     "--loop, or write the annotated graph with -T dot");
    cr_expect_eq(access(out, F_OK), -1, "no file is left behind");
    run_free(&r);
    const char *dot[] = {"render", dir, "-T", "dot", NULL};
    r = run_cli(dot, NULL);
    cr_expect_eq(r.status, 0, "-T dot has no limit: %s", r.err);
    run_free(&r);
    free(dir);
}

/* Runs the CLI with output to /dev/null; returns its exit status and sets
 * its peak resident memory (KB) and wall time (s). */
static int run_measured(const char *const *args, long *rss_kb, double *secs)
{
    char **argv = cli_argv(args);
    struct timeval t0, t1;
    gettimeofday(&t0, NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    int st = 0;
    struct rusage ru;
    while (wait4(pid, &st, 0, &ru) < 0 && errno == EINTR)
        ;
    gettimeofday(&t1, NULL);
    cli_argv_free(argv);
    *rss_kb = ru.ru_maxrss;
    *secs = (double)(t1.tv_sec - t0.tv_sec) +
            (double)(t1.tv_usec - t0.tv_usec) / 1e6;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

Test(limits, a_dense_graph_stops_at_the_limit_and_says_truncated)
{
    char *path = complete_ledger(14);
    const char *args[] = {"loops", path, NULL};
    run_result r = run_cli(args, NULL);
    cr_expect_eq(r.status, 0, "stderr: %s", r.err);
    const char *want = "100000 loops (truncated: the --limit was reached) "
                       "by length: ";
    cr_expect(strncmp(r.out, want, strlen(want)) == 0, "got: %.200s", r.out);
    run_free(&r);
    const char *small[] = {"loops", path, "--limit", "10", "--format",
                           "json", NULL};
    r = run_cli(small, NULL);
    cr_expect_eq(r.status, 0);
    cr_expect(strstr(r.out, "\"count\": 10,") != NULL, "%.300s", r.out);
    cr_expect(strstr(r.out, "\"truncated\": true") != NULL);
    run_free(&r);
    free(path);
}

Test(limits_slow, counting_a_dense_graph_stops_at_max_seconds_in_flat_memory)
{
    char *path = complete_ledger(14);
    const char *args[] = {"loops", path, "--count", "--max-seconds", "2",
                          NULL};
    run_result r = run_cli(args, NULL);
    cr_expect_eq(r.status, 0, "stderr: %s", r.err);
    cr_expect(strstr(first_line(r.out),
                     " loops (partial: --max-seconds was reached) by "
                     "length: ") != NULL,
              "got: %s", first_line(r.out));
    cr_expect_str_eq(r.err, "", "no progress line when stderr is a file");
    run_free(&r);
    /* the engine holds O(n + m): a search four times as long uses no
     * more memory (8 MB of slack for the allocator and the sanitizers) */
    long rss1, rss4;
    double s1, s4;
    const char *one[] = {"loops", path, "--count", "--max-seconds", "1",
                         NULL};
    const char *four[] = {"loops", path, "--count", "--max-seconds", "4",
                          NULL};
    cr_expect_eq(run_measured(one, &rss1, &s1), 0);
    cr_expect_eq(run_measured(four, &rss4, &s4), 0);
    cr_expect_lt(rss4, rss1 + 8192, "peak RSS %ld KB after 4 s, %ld KB "
                                    "after 1 s", rss4, rss1);
    cr_expect_lt(s4, 60.0, "stopped: %.1f s of wall time", s4);
    free(path);
}

Test(limits, check_stops_counting_loops_far_over_max_loops)
{
    char *path = complete_ledger(14);
    const char *args[] = {"check", path, "--max-loops", "40", NULL};
    run_result r = run_cli(args, NULL);
    cr_expect_eq(r.status, 1, "stderr: %s", r.err);
    cr_expect_str_eq(first_line(r.out),
                     "BROKEN  max-loops: 1000000 loops, limit 40 (at least: "
                     "counting stops there, far over the limit)");
    run_free(&r);
    free(path);
}

Test(limits_slow, diff_of_a_dense_graph_ends_with_a_message)
{
    char *path = complete_ledger(12);
    const char *args[] = {"diff", path, path, NULL};
    run_result r = run_cli(args, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: diff: too many loops to compare (more than "
                     "a million, 60 s of search or 256 MiB of loops); give "
                     "--max-len to compare them");
    run_free(&r);
    const char *bounded[] = {"diff", path, path, "--max-len", "3", NULL};
    r = run_cli(bounded, NULL);
    cr_expect_eq(r.status, 0, "stderr: %s", r.err);
    run_free(&r);
    free(path);
}

/* ---- the progress line ------------------------------------------------- */

/* Starts the CLI with standard error on a new pseudo-terminal, and
 * standard output too when `stdout_too` (else /dev/null). Returns its pid;
 * *master is the terminal's other end, to read what it shows. */
static pid_t spawn_on_terminal(const char *const *args, bool stdout_too,
                               int *master)
{
    *master = posix_openpt(O_RDWR | O_NOCTTY);
    cr_assert_geq(*master, 0);
    cr_assert_eq(grantpt(*master), 0);
    cr_assert_eq(unlockpt(*master), 0);
    const char *slave = ptsname(*master);
    cr_assert_not_null(slave);
    char **argv = cli_argv(args);
    pid_t pid = fork();
    if (pid == 0) {
        int s = open(slave, O_RDWR);
        dup2(stdout_too ? s : open("/dev/null", O_WRONLY), 1);
        dup2(s, 2);
        close(*master);
        execv(argv[0], argv);
        _exit(127);
    }
    cli_argv_free(argv);
    return pid;
}

/* Runs the CLI with standard error on a pseudo-terminal (standard output
 * to /dev/null); returns what the terminal showed. */
static char *run_on_terminal(const char *const *args, int *status)
{
    int master;
    pid_t pid = spawn_on_terminal(args, false, &master);
    char *buf = read_fd(master); /* to EIO, once the child closed it */
    *status = wait_exit(pid);
    close(master);
    return buf;
}

Test(progress_slow, a_long_search_shows_a_progress_line_on_a_terminal_and_clears_it)
{
    char *path = complete_ledger(14);
    const char *args[] = {"loops", path, "--count", "--max-seconds", "3",
                          NULL};
    int status;
    char *shown = run_on_terminal(args, &status);
    cr_expect_eq(status, 0);
    const char *line = strstr(shown, "\rdealgraph: loops: searching: ");
    cr_expect_not_null(line, "terminal showed: %.300s", shown);
    cr_expect_not_null(strstr(shown, " loops so far, "));
    /* it ends with the line blanked out and the cursor back at its start */
    size_t len = strlen(shown);
    cr_expect(len >= 2 && shown[len - 1] == '\r' && shown[len - 2] == ' ',
              "ends with: %s", len > 40 ? shown + len - 40 : shown);
    free(shown);
    free(path);
}

Test(progress_slow, a_long_search_in_a_log_says_so_once)
{
    /* standard error is a pipe here, as in a CI log: no line rewritten in
     * place, but one note when the search runs past the threshold (60 s;
     * half a second for this test) */
    setenv("DEALGRAPH_NOTE_SECONDS", "0.5", 1);
    char *path = complete_ledger(14);
    const char *args[] = {"loops", path, "--count", "--max-seconds", "2",
                          NULL};
    run_result r = run_cli(args, NULL);
    cr_expect_eq(r.status, 0, "stderr: %s", r.err);
    cr_expect(strncmp(r.err, "dealgraph: loops: still searching after ",
                      40) == 0,
              "stderr: %s", r.err);
    cr_expect_not_null(strstr(r.err, " loops so far); --max-seconds S or "
                                     "--max-len N bound the search\n"));
    const char *nl = strchr(r.err, '\n');
    cr_expect(nl && nl[1] == '\0', "one line only: %s", r.err);
    cr_expect_null(strchr(r.err, '\r'), "nothing rewritten in a log");
    cr_expect_not_null(strstr(r.out, "partial"), "%s", r.out);
    run_free(&r);
    /* a search that ends first says nothing */
    setenv("DEALGRAPH_NOTE_SECONDS", "60", 1);
    const char *quick[] = {"loops", path, "--count", "--max-seconds", "1",
                           NULL};
    r = run_cli(quick, NULL);
    cr_expect_eq(r.status, 0);
    cr_expect_str_eq(r.err, "");
    run_free(&r);
    free(path);
}

Test(progress_slow, the_null_model_shows_its_own_progress)
{
    /* --null N counts N + 1 graphs after the search; each count of the
     * complete graph runs until its share of --max-seconds. On a terminal
     * the line says how many graphs are counted; in a log, one note. */
    char *path = complete_ledger(14);
    const char *args[] = {"loops", path, "--count", "--null", "2",
                          "--max-seconds", "2", NULL};
    int status;
    char *shown = run_on_terminal(args, &status);
    cr_expect_eq(status, 0);
    cr_expect_not_null(strstr(shown, "\rdealgraph: loops: null model: "),
                       "terminal showed: %.300s", shown);
    cr_expect_not_null(strstr(shown, " of 3 graphs counted, "), "%.300s",
                       shown);
    size_t len = strlen(shown);
    cr_expect(len >= 2 && shown[len - 1] == '\r' && shown[len - 2] == ' ',
              "cleared at the end: %s", len > 40 ? shown + len - 40 : shown);
    free(shown);

    setenv("DEALGRAPH_NOTE_SECONDS", "0.5", 1);
    run_result r = run_cli(args, NULL);
    setenv("DEALGRAPH_NOTE_SECONDS", "60", 1);
    cr_expect_eq(r.status, 0, "stderr: %s", r.err);
    const char *second = strchr(r.err, '\n');
    cr_assert_not_null(second, "stderr: %s", r.err);
    second++;
    cr_expect(strncmp(second, "dealgraph: loops: null model still counting "
                              "after ", 50) == 0,
              "stderr: %s", r.err);
    cr_expect_not_null(strstr(second, " of 3 graphs counted); fewer "
                                      "rewirings (--null N), --max-len N or "
                                      "--max-seconds S bound it\n"),
                       "%s", second);
    cr_expect_null(strchr(r.err, '\r'), "nothing rewritten in a log");
    cr_expect_not_null(strstr(r.out, "Significance against 2"), "%s", r.out);
    run_free(&r);
    free(path);
}

Test(progress, streamed_loops_reach_a_terminal_as_they_are_found)
{
    /* The complete digraph on 12 companies at $1B a leg, and one pair at
     * $100B: with --min-value 50B the pair's loop is the only one listed,
     * found at once, while the search goes on through K_12's ~10^9 loops
     * until --max-seconds. On a terminal it must show while the search
     * still runs: the text filter is line-buffered there (a reviewer saw
     * it held back in a 64 KiB buffer until the end). */
    text t = {0};
    put(&t, "digraph {\n");
    for (int a = 0; a < 12; a++)
        for (int b = 0; b < 12; b++)
            if (a != b)
                put(&t, "  k%02d -> k%02d [kind=\"chips\", amount=\"1B\", "
                        "status=\"definitive\", announced=\"2025\"];\n",
                    a, b);
    /* the search starts from the first company in name order: a_x, so
     * this loop comes first */
    put(&t, "  a_x -> a_y [kind=\"cloud\", amount=\"100B\", "
            "status=\"reported\", announced=\"2025\"];\n"
            "  a_y -> a_x [kind=\"cloud\", amount=\"100B\", "
            "status=\"reported\", announced=\"2025\"];\n}\n");
    char *path = temp_file("pair.dot", t.s);
    free(t.s);
    const char *args[] = {"loops", path, "--sort", "none", "--min-value",
                          "50B", "--limit", "0", "--max-seconds", "30",
                          NULL};
    int master;
    pid_t pid = spawn_on_terminal(args, true, &master);
    char buf[8192];
    size_t len = 0;
    bool seen = false, running = false;
    for (int waited = 0; !seen && waited < 250; waited++) {
        struct pollfd pf = {master, POLLIN, 0};
        if (poll(&pf, 1, 100) > 0) {
            ssize_t k = read(master, buf + len, sizeof buf - 1 - len);
            if (k <= 0)
                break;
            len += (size_t)k;
            buf[len] = '\0';
            seen = strstr(buf, "a_x -cloud-> a_y -cloud-> a_x") != NULL;
            /* the search has 30 s of CPU left: it is still running */
            running = seen && waitpid(pid, NULL, WNOHANG) == 0;
        }
    }
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    close(master);
    buf[len] = '\0';
    cr_expect(seen, "the terminal showed: %s", buf);
    cr_expect(running, "the loop came only when the search ended");
    free(path);
}

Test(progress, a_short_search_shows_nothing)
{
    char *path = src_path("graphs/ai-2025.dot");
    const char *args[] = {"loops", path, NULL};
    int status;
    char *shown = run_on_terminal(args, &status);
    cr_expect_eq(status, 0);
    cr_expect_str_eq(shown, "");
    free(shown);
    free(path);
}
