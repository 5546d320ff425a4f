/*
 * cmd_summary.c - dealgraph summary: companies, legs, totals by kind and
 * by status, undisclosed legs counted apart.
 */
#include "cli.h"

#include <string.h>

static const char help[] =
    "usage: dealgraph summary [OPTIONS] FILE\n"
    "\n"
    "Counts the companies, legs and deals of a ledger and totals the legs'\n"
    "value by kind and by status. Legs without a value under the amount\n"
    "scenario are counted apart as undisclosed, never as zero.\n"
    "\n"
    "  --format text|md|json   output format (default text)\n"
    "  -o, --output FILE       write there instead of standard output\n"
    "  --min-status STATUS     keep legs at least this firm (completed,\n"
    "                          definitive, announced, reported, loi, talks)\n"
    "  --kinds K1,K2           keep legs of these kinds\n"
    "  --as-of DATE            keep legs announced on or before DATE\n"
    "  --amounts SCENARIO      disclosed (default), low, mid or high: fill\n"
    "                          undisclosed legs from their estimate range\n"
    "  --companies FILE        the companies file of a CSV ledger\n"
    "\n"
    "Exit codes: 0 success, 2 bad usage or unreadable or invalid input.\n";

static const cli_column columns[] = {
    {"group", "group"},
    {"legs", "legs"},
    {"value", "value"},
    {"undisclosed", "undisclosed legs"},
};

static void add_row(cli_table *t, const char *name, const dg_total *x)
{
    cli_table_row(t);
    cli_table_text(t, 0, name);
    cli_table_int(t, 1, (long long)x->legs);
    cli_table_money(t, 2, x->value);
    cli_table_int(t, 3, (long long)x->undisclosed);
}

static json_t *total_json(const dg_total *x)
{
    return json_pack("{s:I, s:o, s:I}", "legs", (json_int_t)x->legs, "value",
                     cli_json_money(x->value), "undisclosed",
                     (json_int_t)x->undisclosed);
}

static json_t *summary_json(const dg_ledger *l, const dg_summary *s,
                            const dg_filter *f)
{
    json_t *doc = cli_json_document();
    if (!doc)
        return NULL;
    json_t *kinds = json_object(), *statuses = json_object();
    for (int k = 0; k < DG_KIND_COUNT; k++)
        json_object_set_new(kinds, dg_kind_name((dg_kind)k),
                            total_json(&s->by_kind[k]));
    for (int k = 0; k < DG_STATUS_COUNT; k++)
        json_object_set_new(statuses, dg_status_name((dg_status)k),
                            total_json(&s->by_status[k]));
    json_t *rest = json_pack(
        "{s:o, s:s?, s:s?, s:o, s:s, s:I, s:I, s:I, s:o, s:o, s:o, s:I, "
        "s:I, s:I, s:o, s:o}",
        "file", cli_json_text(l->path), "title", l->title, "focus", l->focus, "as_of",
        cli_json_date(l->as_of), "amounts", dg_amounts_name(f->amounts),
        "companies", (json_int_t)s->companies, "legs", (json_int_t)s->legs,
        "deals", (json_int_t)s->deals, "total", total_json(&s->all),
        "by_kind", kinds, "by_status", statuses, "upto_legs",
        (json_int_t)s->upto_legs, "per_year_legs",
        (json_int_t)s->per_year_legs, "estimated_legs",
        (json_int_t)s->estimated_legs, "first_announced",
        cli_json_date(s->first), "last_announced", cli_json_date(s->last));
    if (!rest || json_object_update(doc, rest) != 0) {
        json_decref(rest);
        json_decref(doc);
        return NULL;
    }
    json_decref(rest);
    return doc;
}

static bool summary_text(FILE *out, const dg_ledger *l, const dg_summary *s,
                         const dg_filter *f, cli_out_format fmt)
{
    char d1[16], d2[16];
    bool md = fmt == CLI_OUT_MD;
    if (md)
        fprintf(out, "## Summary of %s\n\n", l->title ? l->title : l->path);
    else
        fprintf(out, "%s%s%s\n", l->path, l->title ? ": " : "",
                l->title ? l->title : "");
    fprintf(out, "%s%zu companies, %zu legs in %zu deals", md ? "" : "  ",
            s->companies, s->legs, s->deals);
    if (s->legs)
        fprintf(out, ", announced %s to %s",
                dg_date_format(s->first, d1, sizeof d1),
                dg_date_format(s->last, d2, sizeof d2));
    fprintf(out, "%s\n", md ? "  " : "");
    fprintf(out, "%samounts: %s", md ? "" : "  ", dg_amounts_name(f->amounts));
    if (l->focus)
        fprintf(out, "; focus: %s", l->focus);
    if (dg_date_valid(l->as_of))
        fprintf(out, "; ledger as of %s", dg_date_format(l->as_of, d1, sizeof d1));
    fprintf(out, "%s\n", md ? "  " : "");
    fprintf(out,
            "%s%zu legs are ceilings (up to), %zu are per year, %zu have only "
            "an estimate range\n\n",
            md ? "" : "  ", s->upto_legs, s->per_year_legs, s->estimated_legs);

    cli_table t;
    bool ok = true;
    cli_table_init(&t, columns, 4);
    for (int k = 0; k < DG_KIND_COUNT; k++)
        if (s->by_kind[k].legs)
            add_row(&t, dg_kind_name((dg_kind)k), &s->by_kind[k]);
    add_row(&t, "all kinds", &s->all);
    if (md)
        fputs("### By kind\n\n", out);
    else
        fputs("By kind\n", out);
    ok = cli_table_write(&t, fmt, out) && ok;
    cli_table_finish(&t);

    cli_table_init(&t, columns, 4);
    for (int k = 0; k < DG_STATUS_COUNT; k++)
        if (s->by_status[k].legs)
            add_row(&t, dg_status_name((dg_status)k), &s->by_status[k]);
    add_row(&t, "all statuses", &s->all);
    fputs(md ? "\n### By status\n\n" : "\nBy status (firmest first)\n", out);
    ok = cli_table_write(&t, fmt, out) && ok;
    cli_table_finish(&t);
    if (s->all.undisclosed)
        fprintf(out,
                "\n%zu legs have no disclosed value and are left out of the "
                "values above%s.\n",
                s->all.undisclosed,
                f->amounts == DG_AMOUNTS_DISCLOSED
                    ? " (--amounts low|mid|high fills those with estimates)"
                    : "");
    if (s->per_year_legs)
        fprintf(out,
                "Per-year amounts are added as given (one year's value).\n");
    return ok;
}

bool report_summary(const dg_ledger *l, const cli_common *c, FILE *out,
                    json_t **json)
{
    dg_summary s;
    if (dg_summary_compute(l, &c->filter, &s) != DG_OK) {
        cli_error("summary: out of memory");
        return false;
    }
    if (json) {
        *json = summary_json(l, &s, &c->filter);
        if (!*json)
            cli_out_of_memory();
        return *json != NULL;
    }
    return summary_text(out, l, &s, &c->filter, c->format);
}

int cmd_summary(int argc, char **argv)
{
    static const struct option options[] = {
        CLI_COMMON_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    cli_common c;
    cli_common_init(&c, (1u << CLI_OUT_TEXT) | (1u << CLI_OUT_MD) |
                            (1u << CLI_OUT_JSON));
    int opt;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "f:o:h", options, NULL)) != -1) {
        if (opt == 'h') {
            cli_help(help);
            return EXIT_OK;
        }
        if (opt == '?')
            return cli_bad_option("summary", argv);
        int r = cli_common_option(&c, "summary", opt, optarg);
        if (r < 0)
            return EXIT_TROUBLE;
        if (r == 0)
            return cli_bad_option("summary", argv);
    }
    dg_ledger *l = cli_load_one(&c, "summary", "FILE", argc, argv);
    if (!l)
        return EXIT_TROUBLE;
    dg_summary s;
    int code = EXIT_OK;
    if (dg_summary_compute(l, &c.filter, &s) != DG_OK) {
        cli_error("summary: out of memory");
        dg_ledger_destroy(l);
        return EXIT_TROUBLE;
    }
    cli_output out;
    if (!cli_output_open_as(&out, &c)) {
        dg_ledger_destroy(l);
        return EXIT_TROUBLE;
    }
    bool ok;
    if (c.format == CLI_OUT_JSON) {
        json_t *doc = summary_json(l, &s, &c.filter);
        ok = cli_json_write(doc, out.f);
        json_decref(doc);
    } else {
        ok = summary_text(out.f, l, &s, &c.filter, c.format);
    }
    if (!cli_output_close(&out, ok))
        code = EXIT_TROUBLE;
    dg_ledger_destroy(l);
    return code;
}
