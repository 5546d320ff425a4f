/* The DOT loader: what it reads, and every way a DOT ledger can be bad. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

#define LEG "kind=\"chips\", status=\"definitive\", announced=\"2025\""

static const char good[] =
    "// a small ledger\n"
    "digraph \"t\" {\n"
    "  graph [focus=\"OpenAI\", as_of=\"2025-12-31\", title=\"Test\"];\n"
    "  \"OpenAI\" [sector=\"lab\", cash=\"17.5B\", equity=\"500B\", "
    "equity_basis=\"private_round\"];\n"
    "  \"AMD\" [sector=\"chips\"];\n"
    "  \"AMD\" -> \"OpenAI\" [kind=\"warrant\", status=\"definitive\", "
    "announced=\"2025-10-06\", amount_low=\"34B\", amount_high=\"96B\", "
    "estimate_by=\"Motley Fool\", deal=\"D08\", source=\"RTTNews 2025-10-06\"];\n"
    "  \"OpenAI\" -> \"AMD\" [kind=\"chips\", status=\"definitive\", "
    "announced=\"2025-10-06\", start=\"2026\", deal=\"D07\"];\n"
    "  \"OpenAI\" -> \"AMD\" [kind=\"chips\", amount=\"$1.5T\", upto=\"true\", "
    "per=\"year\", status=\"loi\", announced=\"2025-11\", note=\"say \\\"hi\\\"\"];\n"
    "}\n";

Test(load_dot, reads_graph_company_and_leg_attributes)
{
    dg_diags d;
    dg_ledger *l = load_dot_text(good, &d);
    cr_assert_not_null(l, "%s", first_error(&d));
    cr_expect_eq(d.warnings, 0);
    cr_expect_str_eq(l->focus, "OpenAI");
    cr_expect_str_eq(l->title, "Test");
    cr_expect_eq(l->as_of.year, 2025);
    cr_assert_eq(l->ncompanies, 2);
    cr_expect_str_eq(l->companies[0].name, "OpenAI");
    cr_expect_eq(l->companies[0].sector, DG_SECTOR_LAB);
    cr_expect_eq(l->companies[0].cash, 17.5e9);
    cr_expect_eq(l->companies[0].equity, 500e9);
    cr_expect_str_eq(l->companies[0].equity_basis, "private_round");
    cr_expect(isnan(l->companies[1].equity), "absent figures are NaN");
    cr_assert_eq(l->nlegs, 3);
    const dg_leg *w = &l->legs[0];
    cr_expect_eq(w->kind, DG_KIND_WARRANT);
    cr_expect(isnan(w->amount), "undisclosed stays undisclosed");
    cr_expect_eq(w->amount_low, 34e9);
    cr_expect_eq(w->amount_high, 96e9);
    cr_expect_str_eq(w->deal, "D08");
    cr_expect_str_eq(w->source, "RTTNews 2025-10-06");
    cr_expect_eq(w->line, 6);
    const dg_leg *c = &l->legs[2];
    cr_expect_eq(c->amount, 1.5e12);
    cr_expect(c->upto && c->per == DG_PER_YEAR);
    cr_expect_eq(c->status, DG_STATUS_LOI);
    cr_expect_str_eq(c->note, "say \"hi\"");
    cr_expect_eq(c->line, 8);
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

Test(load_dot, keeps_parallel_legs_apart_and_in_file_order)
{
    dg_diags d;
    dg_ledger *l = load_dot_text(
        "digraph {\n"
        "  b -> a [" LEG ", deal=\"1\"]\n"
        "  a -> b [" LEG ", deal=\"2\"]\n"
        "  b -> a [" LEG ", deal=\"3\"]\n"
        "  a -> b [" LEG ", deal=\"4\"]\n"
        "}\n",
        &d);
    cr_assert_not_null(l, "%s", first_error(&d));
    cr_assert_eq(l->nlegs, 4);
    for (size_t i = 0; i < 4; i++) {
        char want[2] = {(char)('1' + i), 0};
        cr_expect_str_eq(l->legs[i].deal, want);
        cr_expect_eq(l->legs[i].line, (long)i + 2);
    }
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

static void expect_error(const char *text, const char *want)
{
    dg_diags d;
    dg_ledger *l = load_dot_text(text, &d);
    cr_expect_null(l);
    dg_diags_sort(&d);
    cr_expect_str_eq(first_error(&d), want);
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

Test(load_dot, names_the_line_of_a_bad_amount)
{
    expect_error("digraph {\n  a -> b [" LEG "]\n\n  a -> c [" LEG
                 ", amount=\"30 bn dollars\"]\n}\n",
                 "4: leg a -> c: amount \"30 bn dollars\" is not a money "
                 "value; write a number with an optional $ and an optional "
                 "K, M, B, T, mn, bn or tn, e.g. 300e9, 300B, $300B, 1.5T, "
                 "350M, 12.5bn");
}

Test(load_dot, names_the_line_of_an_edge_split_over_lines)
{
    expect_error("digraph {\n  a -> b [" LEG "]\n  a\n ->\n c [" LEG
                 ", announced=\"2025-13-45\"]\n}\n",
                 "4: leg a -> c: announced \"2025-13-45\" is not a calendar "
                 "date; write a real date as YYYY, YYYY-MM or YYYY-MM-DD "
                 "(years 1900-2999)");
}

Test(load_dot, finds_edges_made_by_subgraph_operands)
{
    expect_error("digraph {\n  a -> {b c} [" LEG "]\n  {d e} -> f [" LEG
                 ", kind=\"chip\"]\n}\n",
                 "3: leg d -> f: kind \"chip\" is not known; did you mean "
                 "\"chips\"? (one of chips, cloud, services, equity, "
                 "warrant, debt, lease, backstop)");
}

Test(load_dot, rejects_a_self_deal)
{
    expect_error("digraph {\n  a -> a [" LEG "]\n}\n",
                 "2: leg a -> a: a company cannot deal with itself; a leg "
                 "needs two different companies");
}

Test(load_dot, requires_kind_status_and_announced)
{
    dg_diags d;
    dg_ledger *l = load_dot_text("digraph {\n  a -> b\n}\n", &d);
    cr_expect_null(l);
    cr_expect_eq(d.errors, 3);
    cr_expect(has_diag(&d, DG_SEV_ERROR, "missing kind"));
    cr_expect(has_diag(&d, DG_SEV_ERROR, "missing status"));
    cr_expect(has_diag(&d, DG_SEV_ERROR, "missing announced"));
    dg_diags_finish(&d);
}

Test(load_dot, rejects_unquoted_exponent_amounts_with_the_line)
{
    /* cgraph reads 3e11 as 3 and then a name e11 (with a warning) */
    expect_error("digraph {\n  a -> b [kind=chips, amount=3e11, "
                 "status=definitive, announced=\"2025\"];\n}\n",
                 "2: '3e11' is read by Graphviz as 3 then e11 (a number "
                 "ends where a letter or a second dot starts); quote it: "
                 "\"3e11\"");
}

Test(load_dot, rejects_numbers_run_into_names_that_graphviz_splits)
{
    /* cgraph's numeral is -?(D+(.D*)?|.D+); a letter or a second dot
     * right after it starts another token: "2x -> b" would be a company 2
     * and a leg x -> b, "1.2.3" the names 1.2 and .3 (checked with dot
     * -Tcanon, which warns "badly delimited number") */
    expect_error("digraph {\n  a -> b [" LEG "];\n  2x -> b [" LEG "];\n}\n",
                 "3: '2x' is read by Graphviz as 2 then x (a number ends "
                 "where a letter or a second dot starts); quote it: \"2x\"");
    expect_error("digraph {\n  a -> 1.2.3 [" LEG "];\n}\n",
                 "2: '1.2.3' is read by Graphviz as 1.2 then .3 (a number "
                 "ends where a letter or a second dot starts); quote it: "
                 "\"1.2.3\"");
    /* numerals that stand alone are names as they are */
    dg_diags d;
    dg_ledger *l = load_dot_text("digraph {\n  1. -> -.5 [" LEG "];\n"
                                 "  -1.5 -> .5 [" LEG "];\n}\n",
                                 &d);
    cr_assert_not_null(l, "%s", first_error(&d));
    cr_expect_neq(dg_ledger_find(l, "1."), (size_t)-1);
    cr_expect_neq(dg_ledger_find(l, "-.5"), (size_t)-1);
    cr_expect_neq(dg_ledger_find(l, "-1.5"), (size_t)-1);
    cr_expect_neq(dg_ledger_find(l, ".5"), (size_t)-1);
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

Test(load_dot, rejects_a_second_graph)
{
    expect_error("digraph {\n  a -> b [" LEG "]\n}\n\n/* more */ digraph "
                 "{ x -> y }\n",
                 "5: a second graph starts here; a ledger file holds "
                 "exactly one graph");
}

Test(load_dot, rejects_text_after_the_graph)
{
    expect_error("digraph {\n  a -> b [" LEG "]\n}\nx -> y\n",
                 "4: text after the end of the graph; a ledger file holds "
                 "exactly one graph");
}

Test(load_dot, rejects_an_unquoted_at_sign)
{
    expect_error("digraph {\n  a -> b [" LEG "]\n  c@d -> b [" LEG "]\n}\n",
                 "3: unexpected character '@' outside quotes; quote names "
                 "and values that contain it");
}

Test(load_dot, accepts_an_at_sign_inside_quotes)
{
    dg_diags d;
    dg_ledger *l = load_dot_text(
        "digraph {\n  \"c@d\" -> b [" LEG ", note=\"mail x@y\"]\n}\n", &d);
    cr_assert_not_null(l, "%s", first_error(&d));
    cr_expect_str_eq(l->companies[0].name, "c@d");
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

Test(load_dot, rejects_a_nul_byte_with_its_line)
{
    char *dir = temp_dir();
    char path[4096];
    snprintf(path, sizeof path, "%s/nul.dot", dir);
    FILE *f = fopen(path, "wb");
    const char text[] = "digraph {\n  a -> b\n  \0 c -> d\n}\n";
    fwrite(text, 1, sizeof text - 1, f);
    fclose(f);
    dg_diags d;
    dg_diags_init(&d);
    dg_ledger *l = dg_ledger_load(path, NULL, &d, NULL);
    cr_expect_null(l);
    cr_expect_str_eq(first_error(&d),
                     "3: NUL byte in the text; a ledger is a text file (is "
                     "this a binary or UTF-16 file?)");
    dg_diags_finish(&d);
    unlink(path);
    free(dir);
}

Test(load_dot, rejects_invalid_utf8)
{
    expect_error("digraph {\n  a -> b [" LEG "]\n  \"\xc3\x28\" -> b [" LEG
                 "]\n}\n",
                 "3: invalid UTF-8 (byte 0xc3); save the file as UTF-8");
}

Test(load_dot, rejects_strict_and_undirected_graphs)
{
    expect_error("strict digraph {\n  a -> b [" LEG "]\n}\n",
                 "1: strict digraph merges parallel legs between two "
                 "companies; write digraph");
    expect_error("\ngraph {\n  a -- b [" LEG "]\n}\n",
                 "2: the graph is undirected; write digraph, because every "
                 "leg moves value from one company to another");
}

Test(load_dot, rejects_unterminated_strings_and_comments)
{
    expect_error("digraph {\n  a -> b [kind=\"chips]\n}\n",
                 "2: unterminated string: a quoted value has no closing "
                 "quote");
    expect_error("digraph {\n  /* a -> b\n}\n",
                 "2: unterminated comment: a /* comment has no closing */");
}

Test(load_dot, rejects_a_file_without_a_graph)
{
    expect_error("// nothing here\n",
                 "1: no graph found; a DOT ledger starts with digraph NAME "
                 "{ ... }");
}

Test(load_dot, survives_a_syntax_error_near_a_very_long_token)
{
    /* cgraph's agseterrf path crashes on messages over 1024 bytes; the
     * loader must not use it (STACK-NOTES.md). */
    size_t n = 5000;
    char *text = malloc(n + 100);
    strcpy(text, "digraph {\n  a -> b [kind=");
    size_t k = strlen(text);
    memset(text + k, 'x', 3000);
    strcpy(text + k + 3000, " = = ]\n}\n");
    dg_diags d;
    dg_ledger *l = load_dot_text(text, &d);
    cr_expect_null(l);
    cr_expect_eq(d.errors, 1);
    cr_expect_eq(d.items[0].line, 2);
    cr_expect(strlen(d.items[0].message) < 400, "the token is cut short");
    dg_diags_finish(&d);
    free(text);
}

Test(load_dot, a_bad_file_leaves_nothing_behind_for_the_next_one)
{
    /* cgraph keeps lexer state between reads: a failed parse must not
     * leak into the next file's graph or line numbers. */
    dg_diags d;
    dg_ledger *l = load_dot_text("digraph {\n a -> b [kind=\n", &d);
    cr_expect_null(l);
    dg_diags_finish(&d);
    l = load_dot_text("digraph {\n  x -> y [" LEG "]\n\n  y -> x [" LEG
                      ", amount=\"bad\"]\n}\n",
                      &d);
    cr_expect_null(l);
    cr_expect_eq(d.errors, 1);
    cr_expect_eq(d.items[0].line, 4);
    dg_diags_finish(&d);
    l = load_dot_text("digraph {\n  p -> q [" LEG "]\n}\n", &d);
    cr_assert_not_null(l, "%s", first_error(&d));
    cr_expect_eq(l->nlegs, 1);
    cr_expect_str_eq(l->companies[0].name, "p");
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

Test(load_dot, warns_about_unknown_attributes_with_a_suggestion)
{
    dg_diags d;
    dg_ledger *l = load_dot_text(
        "digraph {\n  a -> b [" LEG ", amout=\"3B\", color=\"red\"]\n}\n", &d);
    cr_assert_not_null(l, "warnings do not stop a load");
    cr_expect_eq(d.warnings, 1, "Graphviz's own color is fine");
    cr_expect_str_eq(d.items[0].message,
                     "leg a -> b: unknown attribute \"amout\" is ignored; did "
                     "you mean \"amount\"?");
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

Test(load_dot, warns_about_names_differing_only_in_case_or_spacing)
{
    dg_diags d;
    dg_ledger *l = load_dot_text("digraph {\n  \"NVIDIA\" -> a [" LEG
                                 "]\n  \"Nvidia \" -> a [" LEG "]\n}\n",
                                 &d);
    cr_assert_not_null(l);
    cr_expect_eq(d.warnings, 1);
    cr_expect_eq(d.items[0].line, 3);
    cr_expect_str_eq(d.items[0].message,
                     "company \"Nvidia \" differs from \"NVIDIA\" (line 2) "
                     "only in case or spacing; use one spelling for one "
                     "company");
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

Test(load_dot, rejects_a_focus_that_is_not_a_company)
{
    expect_error("digraph {\n  graph [focus=\"OpenAl\"]\n  OpenAI -> b [" LEG
                 "]\n}\n",
                 "2: focus \"OpenAl\" is not a company in the ledger; did "
                 "you mean \"OpenAI\"?");
}

Test(load_dot, checks_estimate_ranges_and_periods)
{
    expect_error("digraph {\n  a -> b [" LEG ", amount_low=\"5B\"]\n}\n",
                 "2: leg a -> b: amount_low without amount_high; an "
                 "estimate range needs both amount_low and amount_high");
    expect_error("digraph {\n  a -> b [" LEG
                 ", amount_low=\"5B\", amount_high=\"1B\"]\n}\n",
                 "2: leg a -> b: amount_low is above amount_high; the range "
                 "must run from low to high");
    expect_error("digraph {\n  a -> b [" LEG
                 ", start=\"2027\", end=\"2026-06\"]\n}\n",
                 "2: leg a -> b: start is after end; the delivery period "
                 "must run forward");
}

Test(load_dot, strict_mode_requires_a_source)
{
    char *path = temp_file("s.dot", "digraph {\n  a -> b [" LEG "]\n}\n");
    dg_load_options o;
    dg_load_options_init(&o);
    o.strict = true;
    dg_diags d;
    dg_diags_init(&d);
    dg_ledger *l = dg_ledger_load(path, &o, &d, NULL);
    cr_expect_null(l);
    cr_expect_str_eq(first_error(&d),
                     "2: leg a -> b: missing source; --strict requires a "
                     "citation (outlet or filing, and date) on every leg");
    dg_diags_finish(&d);
    free(path);
}

Test(load_dot, reports_a_missing_file_as_an_io_error)
{
    dg_diags d;
    dg_diags_init(&d);
    int status = DG_OK;
    dg_ledger *l = dg_ledger_load("/nonexistent/x.dot", NULL, &d, &status);
    cr_expect_null(l);
    cr_expect_eq(status, DG_EIO);
    cr_expect_str_eq(d.items[0].message,
                     "cannot open: No such file or directory");
    dg_diags_finish(&d);
}

Test(load_dot, enforces_the_input_size_limit)
{
    char *path = temp_file("big.dot", "digraph {\n  a -> b [" LEG "]\n}\n");
    dg_load_options o;
    dg_load_options_init(&o);
    o.max_bytes = 10;
    dg_diags d;
    dg_diags_init(&d);
    int status = DG_OK;
    dg_ledger *l = dg_ledger_load(path, &o, &d, &status);
    cr_expect_null(l);
    cr_expect_eq(status, DG_ELIMIT);
    cr_expect_str_eq(d.items[0].message,
                     "is larger than the 10-byte input limit");
    dg_diags_finish(&d);
    free(path);
}

Test(load_dot, loads_the_shipped_ledger_cleanly_and_strictly)
{
    char *path = src_path("graphs/ai-2025.dot");
    dg_load_options o;
    dg_load_options_init(&o);
    o.strict = true;
    dg_diags d;
    dg_diags_init(&d);
    dg_ledger *l = dg_ledger_load(path, &o, &d, NULL);
    cr_assert_not_null(l, "%s", first_error(&d));
    cr_expect_eq(d.count, 0, "no errors and no warnings");
    cr_expect_str_eq(l->focus, "OpenAI");
    /* the facts table has 52 rows, D01..D52, one leg each */
    cr_expect_eq(l->nlegs, 52);
    for (size_t i = 0; i < l->nlegs; i++)
        cr_expect_not_null(l->legs[i].source, "leg %zu has a source", i);
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
    free(path);
}
