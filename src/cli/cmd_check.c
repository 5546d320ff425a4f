/*
 * cmd_check.c - dealgraph check: the CI gate. Exit 0 when every rule
 * holds, 1 when one breaks, 2 on bad input.
 */
#include "cli.h"
#include "dealgraph/gate.h"
#include "dealgraph/text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: dealgraph check [RULES] [OPTIONS] FILE\n"
    "\n"
    "Measures the rules on the ledger; prints one line per rule with the\n"
    "measured value and the limit. Exit 0 when all hold, 1 when any breaks.\n"
    "\n"
    "  --max-exposure R       largest direct inflow share on the focus\n"
    "                         (0.5 or 50%)\n"
    "  --max-loops N          number of loops\n"
    "  --max-loop-value X     value of the largest loop (10B, $1.5T, ...)\n"
    "  --max-fci F            Finn's cycling index of the network\n"
    "  --no-new-loops BASE    no loop that the baseline ledger BASE lacks\n"
    "  --policy FILE          rules from a policy file (docs/ci.md); flags\n"
    "                         given after it override it\n"
    "  --focus NAME           the focal company (default: the ledger's)\n"
    "  --max-len N            count loops of at most N companies\n"
    "  --format text|md|json  output format (default text; md is a table\n"
    "                         for a CI job summary)\n"
    "  -o, --output FILE      write there instead of standard output\n"
    "  --min-status S, --kinds K1,K2, --as-of DATE, --amounts SCENARIO\n"
    "\n"
    "Exit codes: 0 all rules hold, 1 a rule is broken, 2 bad usage or\n"
    "unreadable or invalid input (the ledger, the baseline or the policy).\n";

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

/* A Markdown table of the rules, for a CI job summary: a broken rule's
 * result in bold, then the verdict. */
static bool write_md(FILE *out, const dg_gate *g)
{
    static const cli_column cols[] = {
        {"result", "result"},
        {"rule", "rule"},
        {"measured", "measured, limit"},
    };
    cli_table t;
    cli_table_init(&t, cols, 3);
    dg_buf b;
    dg_buf_init(&b);
    size_t broken = 0;
    for (size_t i = 0; i < g->count; i++) {
        const dg_rule_result *r = &g->results[i];
        measured_text(&b, r);
        cli_table_row(&t);
        cli_table_text(&t, 0, r->holds ? "holds" : "**BROKEN**");
        cli_table_text(&t, 1, r->rule);
        cli_table_text(&t, 2, b.data ? b.data : "");
        broken += !r->holds;
    }
    if (b.oom)
        t.oom = true; /* a cell's text was cut short */
    dg_buf_finish(&b);
    bool ok = cli_table_write(&t, CLI_OUT_MD, out);
    cli_table_finish(&t);
    if (broken)
        fprintf(out, "\n**%zu of %zu rules broken**\n", broken, g->count);
    else
        fprintf(out, "\nall %zu rules hold\n", g->count);
    return ok && !ferror(out);
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

int cmd_check(int argc, char **argv)
{
    enum { O_RULE = 0x300, O_POLICY, O_FOCUS };
    static const struct option options[] = {
        {"max-exposure", required_argument, NULL, O_RULE},
        {"max-loops", required_argument, NULL, O_RULE},
        {"max-loop-value", required_argument, NULL, O_RULE},
        {"max-fci", required_argument, NULL, O_RULE},
        {"no-new-loops", required_argument, NULL, O_RULE},
        {"max-len", required_argument, NULL, O_RULE},
        {"focus", required_argument, NULL, O_RULE},
        {"policy", required_argument, NULL, O_POLICY},
        CLI_COMMON_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    cli_common c;
    cli_common_init(&c, (1u << CLI_OUT_TEXT) | (1u << CLI_OUT_MD) |
                            (1u << CLI_OUT_JSON));
    dg_policy p;
    dg_policy_init(&p);
    int code = EXIT_TROUBLE;
    dg_ledger *l = NULL;
    dg_diags diags;
    dg_diags_init(&diags);
    dg_gate g;
    memset(&g, 0, sizeof g);
    int opt, index = 0;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "f:o:h", options, &index)) != -1) {
        if (opt == 'h') {
            cli_help(help);
            code = EXIT_OK;
            goto done;
        } else if (opt == O_RULE) {
            char msg[512];
            if (!dg_policy_set(&p, options[index].name, optarg, msg,
                               sizeof msg)) {
                cli_error("check: --%s", msg);
                goto done;
            }
        } else if (opt == O_POLICY) {
            int rc = dg_policy_load(optarg, &p, &diags);
            if (rc != DG_OK) {
                for (size_t i = 0; i < diags.count; i++)
                    cli_print_diag(&diags.items[i]);
                if (diags.count == 0 || diags.oom) /* none could be kept */
                    cli_error("%s: %s", optarg, dg_strerror(rc));
                goto done;
            }
        } else if (opt == '?') {
            code = cli_bad_option("check", argv);
            goto done;
        } else {
            int r = cli_common_option(&c, "check", opt, optarg);
            if (r == 0)
                code = cli_bad_option("check", argv);
            if (r <= 0)
                goto done;
        }
    }
    if (argc - optind != 1) {
        cli_error("check: give exactly one ledger; usage: dealgraph check "
                  "[RULES] FILE");
        goto done;
    }
    if (!dg_has(p.max_exposure) && !dg_has(p.max_loops) &&
        !dg_has(p.max_loop_value) && !dg_has(p.max_fci) && !p.no_new_loops) {
        cli_error("check: no rule given; use --max-exposure, --max-loops, "
                  "--max-loop-value, --max-fci, --no-new-loops or --policy");
        goto done;
    }
    l = cli_load(argv[optind], &c.load);
    if (!l)
        goto done;
    int rc = dg_gate_run(l, &p, &c.filter, &c.load, &g, &diags);
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
    cli_output out;
    if (!cli_output_open_as(&out, &c))
        goto done;
    bool ok = true;
    if (c.format == CLI_OUT_JSON) {
        json_t *doc = gate_json(l, &g);
        ok = cli_json_write(doc, out.f);
        json_decref(doc);
    } else if (c.format == CLI_OUT_MD) {
        ok = write_md(out.f, &g);
    } else {
        dg_buf b;
        dg_buf_init(&b);
        size_t broken = 0;
        for (size_t i = 0; i < g.count; i++) {
            measured_text(&b, &g.results[i]);
            fprintf(out.f, "%-6s  %s: %s\n",
                    g.results[i].holds ? "holds" : "BROKEN",
                    g.results[i].rule, b.data ? b.data : "");
            broken += !g.results[i].holds;
        }
        if (b.oom)
            cli_out_of_memory(); /* a line was cut short */
        dg_buf_finish(&b);
        if (broken)
            fprintf(out.f, "%zu of %zu rules broken\n", broken, g.count);
        else
            fprintf(out.f, "all %zu rules hold\n", g.count);
    }
    if (!cli_output_close(&out, ok))
        goto done;
    code = g.holds ? EXIT_OK : EXIT_FINDING;
done:
    dg_gate_finish(&g);
    dg_policy_finish(&p);
    dg_diags_finish(&diags);
    dg_ledger_destroy(l);
    return code;
}
