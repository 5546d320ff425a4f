/*
 * cmd_check.c - dealgraph check: the CI gate. Exit 0 when every rule
 * holds, 1 when one breaks, 2 on bad input.
 */
#include "cli.h"
#include "dealgraph/gate.h"
#include "dealgraph/text.h"

#include <stdlib.h>
#include <string.h>

/* ---- options -------------------------------------------------------------- */

/* The rules and policy files in the order given: a later one overrides an
 * earlier one. They are checked as they are parsed and applied when the
 * ledger is measured; nothing is kept between (the options hold only the
 * command line's words). */
#define MAX_SETTINGS 64

typedef struct check_opts {
    struct {
        const char *rule; /* NULL: `value` is a policy file */
        const char *value;
    } set[MAX_SETTINGS];
    size_t n;
} check_opts;

static bool note_setting(const char *cmd, check_opts *o, const char *rule,
                         const char *value)
{
    if (o->n == MAX_SETTINGS) {
        cli_error("%s: more than %d rules and policies; put them in one "
                  "policy file",
                  cmd, MAX_SETTINGS);
        return false;
    }
    o->set[o->n].rule = rule;
    o->set[o->n].value = value;
    o->n++;
    return true;
}

static bool set_rule(dg_policy *p, const char *rule, const char *value)
{
    char msg[512];
    if (dg_policy_set(p, rule, value, msg, sizeof msg))
        return true;
    cli_error("check: --%s", msg);
    return false;
}

static bool load_policy(dg_policy *p, const char *path)
{
    dg_diags diags;
    dg_diags_init(&diags);
    int rc = dg_policy_load(path, p, &diags);
    if (rc != DG_OK) {
        for (size_t i = 0; i < diags.count; i++)
            cli_print_diag(&diags.items[i]);
        if (diags.count == 0 || diags.oom) /* none could be kept */
            cli_error("%s: %s", path, dg_strerror(rc));
    }
    dg_diags_finish(&diags);
    return rc == DG_OK;
}

/* A rule's value is checked here, on a policy of its own, so that a bad
 * one is refused before anything is read. */
static bool parse_rule(const char *cmd, const cli_option *o, const char *arg,
                       void *dst)
{
    dg_policy p;
    dg_policy_init(&p);
    bool ok = set_rule(&p, o->name, arg);
    dg_policy_finish(&p);
    return ok && note_setting(cmd, dst, o->name, arg);
}

static bool parse_policy(const char *cmd, const cli_option *o,
                         const char *arg, void *dst)
{
    (void)o;
    dg_policy p;
    dg_policy_init(&p);
    bool ok = load_policy(&p, arg);
    dg_policy_finish(&p);
    return ok && note_setting(cmd, dst, NULL, arg);
}

#define RULE(name, arg, help) {name, 0, arg, help, parse_rule, 0, NULL}

static const cli_option options[] = {
    RULE("max-exposure", "R",
         "largest direct inflow share on the focus (0.5 or 50%)"),
    RULE("max-loops", "N", "number of loops"),
    RULE("max-loop-value", "X", "value of the largest loop (10B, $1.5T, ...)"),
    RULE("max-fci", "F", "Finn's cycling index of the network"),
    RULE("no-new-loops", "BASE", "no loop that the baseline ledger BASE lacks"),
    RULE("max-revenue-dependence", "R",
         "largest revenue dependence on the focus in the year (0.5 or 50%): "
         "what the focus pays a company over its revenue; companies "
         "without a revenue figure are listed as unknown"),
    RULE("min-coverage", "C",
         "the focus's revenue over what it pays out in the year, at least C "
         "(0.2, 20%, 150%)"),
    {"policy", 0, "FILE",
     "rules from a policy file (docs/ci.md); flags given after it override "
     "it",
     parse_policy, 0, NULL},
    RULE("focus", "NAME", "the focal company (default: the ledger's)"),
    RULE("max-len", "N", "count loops of at most N companies"),
    RULE("year", "YEAR",
         "the year of --max-revenue-dependence and --min-coverage (default: "
         "the year of --as-of, else of the ledger's as_of)"),
    {NULL, 0, NULL, NULL, NULL, 0, NULL},
};

/* ---- the document ----------------------------------------------------------- */

static void measured_text(dg_buf *b, const dg_rule_result *r)
{
    char m1[32], m2[32];
    dg_buf_clear(b);
    if (strcmp(r->rule, "max-loop-value") == 0) {
        if (dg_has(r->measured))
            dg_buf_printf(b, "%s, limit %s",
                          dg_money_format(r->measured, m1, sizeof m1),
                          dg_money_format(r->limit, m2, sizeof m2));
        else
            dg_buf_printf(b, "no loop with a disclosed value, limit %s",
                          dg_money_format(r->limit, m2, sizeof m2));
    } else if (strcmp(r->rule, "max-loops") == 0) {
        dg_buf_printf(b, "%.0f loop%s, limit %.0f", r->measured,
                      r->measured == 1 ? "" : "s", r->limit);
    } else if (strcmp(r->rule, "no-new-loops") == 0) {
        dg_buf_printf(b, "%zu new loop%s, limit 0", r->nnew,
                      r->nnew == 1 ? "" : "s");
    } else if (r->year && !dg_has(r->measured)) {
        dg_buf_printf(b, "n/a, limit %.4f", r->limit);
    } else if (dg_has(r->measured)) {
        dg_buf_printf(b, "%.4f, limit %.4f", r->measured, r->limit);
    } else {
        dg_buf_printf(b, "n/a (nothing to measure), limit %.4f", r->limit);
    }
    if (r->detail && strcmp(r->rule, "no-new-loops") != 0)
        dg_buf_printf(b, " (%s)", r->detail);
    if (strcmp(r->rule, "no-new-loops") == 0) {
        dg_buf_printf(b, " (baseline %s)", r->detail ? r->detail : "?");
        for (size_t i = 0; i < r->nnew && i < 5; i++)
            dg_buf_printf(b, "%s%s [%s]", i ? "; " : ": ",
                          r->new_loops[i].companies, r->new_loops[i].id);
        if (r->nnew > 5)
            dg_buf_printf(b, "; and %zu more", r->nnew - 5);
    }
}

static json_t *gate_json(const dg_ledger *l, const dg_gate *g)
{
    json_t *doc = cli_json_document();
    json_t *rules = json_array();
    for (size_t i = 0; i < g->count; i++) {
        const dg_rule_result *r = &g->results[i];
        json_t *o = json_pack("{s:s, s:b, s:o, s:o, s:s?}", "rule", r->rule,
                              "holds", r->holds, "measured",
                              dg_has(r->measured) ? json_real(r->measured)
                                                  : json_null(),
                              "limit", json_real(r->limit), "detail",
                              r->detail);
        if (r->year)
            json_object_set_new(o, "year", json_integer(r->year));
        if (strcmp(r->rule, "max-revenue-dependence") == 0) {
            json_t *arr = json_array();
            for (size_t k = 0; k < r->nunknown; k++)
                json_array_append_new(arr, json_string(r->unknown[k]));
            json_object_set_new(o, "unknown", arr);
        }
        if (strcmp(r->rule, "no-new-loops") == 0) {
            json_t *arr = json_array();
            for (size_t k = 0; k < r->nnew; k++)
                json_array_append_new(
                    arr, json_pack("{s:s, s:s, s:s, s:o}", "id",
                                   r->new_loops[k].id, "companies",
                                   r->new_loops[k].companies, "signature",
                                   r->new_loops[k].signature, "value",
                                   cli_json_money(r->new_loops[k].value)));
            json_object_set_new(o, "new_loops", arr);
        }
        json_array_append_new(rules, o);
    }
    json_object_set_new(doc, "file", cli_json_text(l->path));
    json_object_set_new(doc, "holds", json_boolean(g->holds));
    json_object_set_new(doc, "rules", rules);
    return doc;
}

/* One line per rule, then the verdict: in text the lines a CI log shows
 * ("BROKEN  max-loops: 35 loops, limit 30"), on a page a table (for a job
 * summary) with the broken rules in bold. */
static void gate_document(cli_doc *d, const dg_ledger *l, const dg_gate *g,
                          cli_out_format format)
{
    if (format == CLI_OUT_JSON) {
        doc_json(d, gate_json(l, g));
        return;
    }
    static const cli_column cols[] = {
        {"result", "result"},
        {"rule", "rule"},
        {"measured", "measured, limit"},
    };
    cli_table t;
    cli_table_init(&t, cols, 3);
    dg_buf b, lines;
    dg_buf_init(&b);
    dg_buf_init(&lines);
    size_t broken = 0;
    for (size_t i = 0; i < g->count; i++) {
        const dg_rule_result *r = &g->results[i];
        measured_text(&b, r);
        const char *m = b.data ? b.data : "";
        dg_buf_printf(&lines, "%-6s  %s: %s\n", r->holds ? "holds" : "BROKEN",
                      r->rule, m);
        cli_table_row(&t);
        cli_table_text(&t, 0, r->holds ? "holds" : "BROKEN");
        if (!r->holds)
            cli_table_strong(&t, 0);
        cli_table_text(&t, 1, r->rule);
        cli_table_text(&t, 2, m);
        broken += !r->holds;
    }
    if (broken)
        dg_buf_printf(&lines, "%zu of %zu rules broken", broken, g->count);
    else
        dg_buf_printf(&lines, "all %zu rules hold", g->count);
    if (b.oom || lines.oom) /* a line was cut short */
        d->oom = true;
    else {
        doc_only(d, DOC_TEXT);
        doc_para(d, "%s", lines.data);
    }
    doc_only(d, DOC_MD | DOC_HTML);
    doc_table(d, &t, DOC_MD | DOC_HTML);
    if (broken)
        doc_strong(d, "%zu of %zu rules broken", broken, g->count);
    else
        doc_para(d, "all %zu rules hold", g->count);
    doc_only(d, 0);
    dg_buf_finish(&b);
    dg_buf_finish(&lines);
}

/* ---- the command ------------------------------------------------------------ */

static int check_build(cli_doc *d, const dg_ledger *l, const cli_common *c,
                       const void *opts)
{
    const check_opts *o = opts;
    dg_policy p;
    dg_policy_init(&p);
    dg_gate g;
    memset(&g, 0, sizeof g);
    dg_diags diags;
    dg_diags_init(&diags);
    int code = EXIT_TROUBLE;
    for (size_t i = 0; i < o->n; i++)
        if (!(o->set[i].rule ? set_rule(&p, o->set[i].rule, o->set[i].value)
                             : load_policy(&p, o->set[i].value)))
            goto done;
    if (!dg_has(p.max_exposure) && !dg_has(p.max_loops) &&
        !dg_has(p.max_loop_value) && !dg_has(p.max_fci) && !p.no_new_loops &&
        !dg_has(p.max_revenue_dependence) && !dg_has(p.min_coverage)) {
        cli_error("check: no rule given; use --max-exposure, --max-loops, "
                  "--max-loop-value, --max-fci, --no-new-loops, "
                  "--max-revenue-dependence, --min-coverage or --policy");
        goto done;
    }
    int rc = dg_gate_run(l, &p, &c->filter, &c->load, &g, &diags);
    if (rc != DG_OK) {
        dg_diags_sort(&diags);
        size_t shown = 0;
        for (size_t i = 0; i < diags.count; i++) {
            if (diags.items[i].severity != DG_SEV_ERROR)
                continue;
            shown++;
            if (diags.items[i].file)
                cli_print_diag(&diags.items[i]);
            else
                cli_error("%s", diags.items[i].message); /* "check: ..." */
        }
        if (!shown)
            cli_error("check: %s", dg_strerror(rc));
        goto done;
    }
    gate_document(d, l, &g, c->format);
    code = g.holds ? EXIT_OK : EXIT_FINDING;
done:
    dg_gate_finish(&g);
    dg_policy_finish(&p);
    dg_diags_finish(&diags);
    return code;
}

static const char about[] =
    "Measures the rules on the ledger; prints one line per rule with the\n"
    "measured value and the limit. Exit 0 when all hold, 1 when any breaks.\n"
    "--format md writes the rules as a table, for a CI job summary.";

const cli_command cli_cmd_check = {
    .name = "check",
    .summary = "CI gate: exit 1 when a rule is broken",
    .usage = "[RULES] [OPTIONS] FILE",
    .about = about,
    .exits = "Exit codes: 0 all rules hold, 1 a rule is broken, 2 bad usage "
             "or\nunreadable or invalid input (the ledger, the baseline or "
             "the policy).",
    .formats = DOC_TEXT | DOC_MD | DOC_JSON,
    .shared = CLI_SHARE_ANALYSIS,
    .options = options,
    .opts_size = sizeof(check_opts),
    .build = check_build,
};
