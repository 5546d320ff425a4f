/* The JSON contract: every command's JSON output has exactly the fields
 * docs/json.md lists for it, no more and no fewer. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

typedef struct paths {
    char **v;
    size_t n, cap;
} paths;

static void add_path(paths *p, const char *s)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->v[i], s) == 0)
            return;
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->v = realloc(p->v, p->cap * sizeof *p->v);
    }
    p->v[p->n++] = strdup(s);
}

static void free_paths(paths *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i]);
    free(p->v);
    memset(p, 0, sizeof *p);
}

/* Every field path of a JSON value. */
static void walk(json_t *v, const char *prefix, paths *out)
{
    char buf[1024];
    if (json_is_object(v)) {
        const char *key;
        json_t *x;
        json_object_foreach(v, key, x) {
            snprintf(buf, sizeof buf, "%s%s%s", prefix, prefix[0] ? "." : "",
                     key);
            add_path(out, buf);
            walk(x, buf, out);
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        snprintf(buf, sizeof buf, "%s[]", prefix);
        json_array_foreach(v, i, x) walk(x, buf, out);
    }
}

/* The documented paths of one section of docs/json.md (and the header's). */
static void documented(const char *section, paths *out)
{
    char *path = src_path("docs/json.md");
    char *text = read_all(path);
    free(path);
    cr_assert_not_null(text, "docs/json.md is missing");
    char want[128];
    snprintf(want, sizeof want, "## %s\n", section);
    const char *sections[] = {"## The header (every command)\n", want};
    for (int s = 0; s < 2; s++) {
        const char *p = strstr(text, sections[s]);
        cr_assert_not_null(p, "docs/json.md has no section %s", sections[s]);
        p += strlen(sections[s]);
        const char *end = strstr(p, "\n## ");
        if (!end)
            end = p + strlen(p);
        while (p < end) {
            const char *eol = strchr(p, '\n');
            if (!eol || eol > end)
                eol = end;
            if (strncmp(p, "| `", 3) == 0) {
                const char *close = strchr(p + 3, '`');
                if (close && close < eol) {
                    char f[512];
                    size_t n = (size_t)(close - p - 3);
                    memcpy(f, p + 3, n);
                    f[n] = '\0';
                    add_path(out, f);
                }
            }
            p = eol + 1;
        }
    }
    free(text);
}

/* Does a concrete path match a documented pattern (`*` = one key)? */
static bool matches(const char *pattern, const char *path)
{
    while (*pattern && *path) {
        if (*pattern == '*') {
            pattern++;
            while (*path && *path != '.' && *path != '[')
                path++;
            continue;
        }
        if (*pattern != *path)
            return false;
        pattern++;
        path++;
    }
    return !*pattern && !*path;
}

static void collect(const char *const *args, paths *out)
{
    run_result r = run_cli(args, NULL);
    cr_assert(r.status == 0 || r.status == 1, "%s exit %d: %s", args[0],
              r.status, r.err);
    json_error_t err;
    json_t *doc = json_loads(r.out, 0, &err);
    cr_assert_not_null(doc, "%s: %s", args[0], err.text);
    walk(doc, "", out);
    json_decref(doc);
    run_free(&r);
}

/* The documented paths of `section` with every path of the sections in
 * `parts` under the part's name (the report nests the other commands). */
static void documented_nested(const char *section, const char *const *parts,
                              paths *out)
{
    documented(section, out);
    for (size_t k = 0; parts && parts[k]; k++) {
        paths sub = {0};
        documented(parts[k], &sub);
        char buf[1024];
        for (size_t i = 0; i < sub.n; i++) {
            if (strncmp(sub.v[i], "dealgraph", 9) == 0)
                continue; /* the parts lose their own header */
            snprintf(buf, sizeof buf, "%s.%s", parts[k], sub.v[i]);
            add_path(out, buf);
        }
        free_paths(&sub);
    }
}

static void expect_contract_nested(const char *section,
                                   const char *const *parts, paths *seen);

static void expect_contract(const char *section, paths *seen)
{
    expect_contract_nested(section, NULL, seen);
}

static void expect_contract_nested(const char *section,
                                   const char *const *parts, paths *seen)
{
    paths doc = {0};
    documented_nested(section, parts, &doc);
    for (size_t i = 0; i < seen->n; i++) {
        bool ok = false;
        for (size_t k = 0; k < doc.n && !ok; k++)
            ok = matches(doc.v[k], seen->v[i]);
        cr_expect(ok, "%s: field %s is not in docs/json.md", section,
                  seen->v[i]);
    }
    for (size_t k = 0; k < doc.n; k++) {
        bool ok = false;
        for (size_t i = 0; i < seen->n && !ok; i++)
            ok = matches(doc.v[k], seen->v[i]);
        cr_expect(ok, "%s: docs/json.md lists %s, which no output has",
                  section, doc.v[k]);
    }
    free_paths(&doc);
}

/* The shipped ledger with one leg removed (closes loops), one added
 * (opens a loop) and one changed. */
static char *edited_ledger(void)
{
    char *path = src_path("graphs/ai-2025.dot");
    char *text = read_all(path);
    free(path);
    char *leg = strstr(text, "\"AMD\" -> \"OpenAI\" [kind=\"warrant\"");
    cr_assert_not_null(leg);
    char *eol = strchr(leg, '\n');
    memmove(leg, eol + 1, strlen(eol + 1) + 1);
    /* a company removed (Alibaba has no legs), one changed (NVIDIA's
     * cash), and below one added (Newco) */
    char *ali = strstr(text, "  \"Alibaba\" [");
    cr_assert_not_null(ali);
    char *ali_end = strchr(ali, '\n');
    memmove(ali, ali_end + 1, strlen(ali_end + 1) + 1);
    char *cash = strstr(text, "cash=\"60.608B\"");
    cr_assert_not_null(cash);
    memcpy(cash, "cash=\"61.608B\"", 14);
    char *amt = strstr(text, "amount=\"350M\"");
    cr_assert_not_null(amt);
    memcpy(amt, "amount=\"450M\"", 13);
    *strrchr(text, '}') = '\0';
    size_t n = strlen(text) + 512;
    char *out = malloc(n);
    snprintf(out, n,
             "%s  \"Oracle\" -> \"OpenAI\" [kind=\"equity\", amount=\"5B\", "
             "status=\"talks\", announced=\"2025-12-20\", deal=\"X1\", "
             "source=\"test\"];\n  \"OpenAI\" -> \"Meta\" [kind=\"services\", "
             "amount=\"1B\", status=\"talks\", announced=\"2025-12-21\", "
             "source=\"test\"];\n  \"Newco\" -> \"OpenAI\" "
             "[kind=\"services\", amount=\"1M\", status=\"talks\", "
             "announced=\"2025-12-22\", source=\"test\"];\n}\n",
             text);
    free(text);
    char *p = temp_file("edited.dot", out);
    free(out);
    return p;
}

Test(json, lint_output_has_exactly_the_documented_fields)
{
    char *bad = temp_file("bad.dot", "digraph {\n  a -> a\n}\n");
    char *good = src_path("graphs/ai-2025.dot");
    paths seen = {0};
    const char *a[] = {"lint", "--format", "json", bad, good, NULL};
    collect(a, &seen);
    expect_contract("lint", &seen);
    free_paths(&seen);
    free(bad);
    free(good);
}

Test(json, summary_output_has_exactly_the_documented_fields)
{
    char *path = src_path("graphs/ai-2025.dot");
    paths seen = {0};
    const char *a[] = {"summary", "--format", "json", path, NULL};
    collect(a, &seen);
    expect_contract("summary", &seen);
    free_paths(&seen);
    free(path);
}

Test(json, timeline_output_has_exactly_the_documented_fields)
{
    char *path = src_path("graphs/ai-2025.dot");
    paths seen = {0};
    const char *a[] = {"timeline", "--format", "json", path, NULL};
    collect(a, &seen);
    expect_contract("timeline", &seen);
    free_paths(&seen);
    free(path);
}

Test(json, loops_output_has_exactly_the_documented_fields)
{
    char *path = src_path("graphs/ai-2025.dot");
    paths seen = {0};
    const char *a[] = {"loops", "--format", "json", "--null", "5", path,
                       NULL};
    collect(a, &seen);
    const char *b[] = {"loops", "--format", "json", "--count", path, NULL};
    collect(b, &seen);
    expect_contract("loops", &seen);
    free_paths(&seen);
    free(path);
}

Test(json, check_output_has_exactly_the_documented_fields)
{
    char *path = src_path("graphs/ai-2025.dot");
    char *edited = edited_ledger();
    paths seen = {0};
    const char *a[] = {"check", "--format", "json", "--max-exposure", "0.5",
                       "--max-loops", "40", "--max-loop-value", "1T",
                       "--max-fci", "0.5", "--no-new-loops", path,
                       "--max-revenue-dependence", "0.5", "--min-coverage",
                       "0.2", "--year", "2027", edited, NULL};
    collect(a, &seen);
    expect_contract("check", &seen);
    free_paths(&seen);
    free(path);
    free(edited);
}

Test(json, diff_output_has_exactly_the_documented_fields)
{
    char *path = src_path("graphs/ai-2025.dot");
    char *edited = edited_ledger();
    paths seen = {0};
    const char *a[] = {"diff", "--format", "json", path, edited, NULL};
    collect(a, &seen);
    /* the shipped ledger has no revenue or rpo figures: two versions of
     * one that has, for the dependence and backlog shares that move */
    static const char yearly[] =
        "digraph {\n  graph [focus=\"F\", as_of=\"2027-06-30\"];\n"
        "  X [revenue=\"2027:%s\", rpo=\"%s\", rpo_as_of=\"2026-12-31\"];\n"
        "  F -> X [kind=\"cloud\", amount=\"10B\", per=\"year\", "
        "start=\"2027\", end=\"2027\", status=\"definitive\", "
        "announced=\"2026\"];\n}\n";
    char text[1024];
    snprintf(text, sizeof text, yearly, "100B", "50B");
    char *old = temp_file("old.dot", text);
    snprintf(text, sizeof text, yearly, "50B", "100B");
    char *new = temp_file("new.dot", text);
    const char *b[] = {"diff", "--format", "json", old, new, NULL};
    collect(b, &seen);
    free(old);
    free(new);
    expect_contract("diff", &seen);
    free_paths(&seen);
    free(path);
    free(edited);
}

Test(json, exposure_output_has_exactly_the_documented_fields)
{
    char *path = src_path("graphs/ai-2025.dot");
    paths seen = {0};
    /* by year (the default), one year and several */
    const char *a[] = {"exposure", "--format", "json", path, NULL};
    collect(a, &seen);
    const char *b[] = {"exposure", "--format", "json", "--years",
                       "2025-2027", path, NULL};
    collect(b, &seen);
    expect_contract("exposure", &seen);
    free_paths(&seen);
    /* amounts added as given: a section of its own */
    const char *c[] = {"exposure", "--format", "json", "--basis", "total",
                       path, NULL};
    collect(c, &seen);
    expect_contract("exposure --basis total", &seen);
    free_paths(&seen);
    free(path);
}

Test(json, stress_output_has_exactly_the_documented_fields)
{
    char *path = src_path("graphs/ai-2025.dot");
    paths seen = {0};
    const char *a[] = {"stress", "--format", "json", path, NULL};
    collect(a, &seen);
    const char *b[] = {"stress", "--format", "json", "--model", "clearing",
                       "--shortfall", "0.5", path, NULL};
    collect(b, &seen);
    const char *c[] = {"stress", "--format", "json", "--firmness", "--draws",
                       "20", path, NULL};
    collect(c, &seen);
    const char *f[] = {"stress", "--format", "json", "--exposures", "face",
                       path, NULL};
    collect(f, &seen);
    expect_contract("stress", &seen);
    free_paths(&seen);
    free(path);
}

Test(json, flows_output_has_exactly_the_documented_fields)
{
    char *path = src_path("graphs/ai-2025.dot");
    paths seen = {0};
    const char *a[] = {"flows", "--format", "json", path, NULL};
    collect(a, &seen);
    const char *b[] = {"flows", "--format", "json", "--years", "2026-2028",
                       "--by", "leg", "--amounts", "mid", path, NULL};
    collect(b, &seen);
    expect_contract("flows", &seen);
    free_paths(&seen);
    free(path);
}

Test(json, report_output_nests_the_documented_sections)
{
    char *path = src_path("graphs/ai-2025.dot");
    paths seen = {0};
    const char *a[] = {"report", "--format", "json", path, NULL};
    collect(a, &seen);
    const char *parts[] = {"summary", "loops", "exposure", "stress", NULL};
    /* The report runs loops with --null, so significance is there; the
     * --count form (no loops array) is not, and a clearing run is not:
     * drop those from what must appear by adding them as seen. */
    add_path(&seen, "stress.companies[].payment");
    add_path(&seen, "stress.companies[].equity");
    /* nor --firmness or --draws */
    static const char *const unseen[] = {
        "stress.assumptions.firmness.*", "stress.bands", "stress.bands.draws",
        "stress.bands.seed", "stress.bands.debtrank", "stress.bands.defaults",
        "stress.bands.further_defaults", "stress.bands.loss_others",
        "stress.bands.*.p5", "stress.bands.*.p50", "stress.bands.*.p95",
        "stress.bands.companies", "stress.bands.companies[].name",
        "stress.bands.companies[].relative_loss",
        "stress.bands.companies[].relative_loss.p5",
        "stress.bands.companies[].relative_loss.p50",
        "stress.bands.companies[].relative_loss.p95",
        "stress.bands.companies[].loss", "stress.bands.companies[].loss.p5",
        "stress.bands.companies[].loss.p50",
        "stress.bands.companies[].loss.p95",
        "stress.bands.companies[].default_share", NULL};
    for (size_t k = 0; unseen[k]; k++)
        add_path(&seen, unseen[k]);
    expect_contract_nested("report", parts, &seen);
    free_paths(&seen);
    free(path);
}
