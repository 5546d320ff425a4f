/*
 * cmd_summary.c - dealgraph summary: companies, legs, totals by kind and
 * by status, undisclosed legs counted apart.
 */
#include "cli.h"
#include "dealgraph/text.h"

#include <string.h>

static const char about[] =
    "Counts the companies, legs and deals of a ledger and totals the legs'\n"
    "value by kind and by status. Legs without a value under the amount\n"
    "scenario are counted apart as undisclosed, never as zero.";

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

/* The summary of `l` as a document: lines, a table by kind, a table by
 * status, notes on what the totals leave out. */
static bool summary_document(cli_doc *d, const dg_ledger *l, const cli_common *c)
{
    dg_summary s;
    if (dg_summary_compute(l, &c->filter, &s) != DG_OK) {
        cli_error("summary: out of memory");
        return false;
    }
    char d1[16], d2[16];
    doc_json(d, summary_json(l, &s, &c->filter));
    /* the terminal's title names the file; a page's, the ledger */
    doc_only(d, DOC_TEXT);
    doc_heading(d, 2, "%s%s%s", l->path, l->title ? ": " : "",
                l->title ? l->title : "");
    doc_only(d, DOC_MD | DOC_HTML);
    doc_heading(d, 2, "Summary of %s", l->title ? l->title : l->path);
    doc_only(d, 0);
    if (s.legs)
        doc_line(d, "%zu companies, %zu legs in %zu deals, announced %s to %s",
                 s.companies, s.legs, s.deals,
                 dg_date_format(s.first, d1, sizeof d1),
                 dg_date_format(s.last, d2, sizeof d2));
    else
        doc_line(d, "%zu companies, %zu legs in %zu deals", s.companies,
                 s.legs, s.deals);
    doc_line(d, "amounts: %s%s%s%s%s", dg_amounts_name(c->filter.amounts),
             l->focus ? "; focus: " : "", l->focus ? l->focus : "",
             dg_date_valid(l->as_of) ? "; ledger as of " : "",
             dg_date_valid(l->as_of)
                 ? dg_date_format(l->as_of, d1, sizeof d1)
                 : "");
    doc_line(d,
             "%zu legs are ceilings (up to), %zu are per year, %zu have only "
             "an estimate range",
             s.upto_legs, s.per_year_legs, s.estimated_legs);

    cli_table t;
    cli_table_init(&t, columns, 4);
    for (int k = 0; k < DG_KIND_COUNT; k++)
        if (s.by_kind[k].legs)
            add_row(&t, dg_kind_name((dg_kind)k), &s.by_kind[k]);
    add_row(&t, "all kinds", &s.all);
    doc_heading(d, 3, "By kind");
    doc_table(d, &t, DOC_HUMAN);

    cli_table_init(&t, columns, 4);
    for (int k = 0; k < DG_STATUS_COUNT; k++)
        if (s.by_status[k].legs)
            add_row(&t, dg_status_name((dg_status)k), &s.by_status[k]);
    add_row(&t, "all statuses", &s.all);
    doc_heading(d, 3, "By status (firmest first)");
    doc_table(d, &t, DOC_HUMAN);

    /* what the totals leave out, as one paragraph */
    dg_buf left;
    dg_buf_init(&left);
    if (s.all.undisclosed)
        dg_buf_printf(&left,
                      "%zu legs have no disclosed value and are left out of "
                      "the values above%s.",
                      s.all.undisclosed,
                      c->filter.amounts == DG_AMOUNTS_DISCLOSED
                          ? " (--amounts low|mid|high fills those with "
                            "estimates)"
                          : "");
    if (s.per_year_legs)
        dg_buf_printf(&left, "%sPer-year amounts are added as given (one "
                             "year's value).",
                      left.len ? "\n" : "");
    if (left.oom)
        d->oom = true;
    else if (left.len)
        doc_para(d, "%s", left.data);
    dg_buf_finish(&left);
    return true;
}


static int summary_build(cli_doc *d, const dg_ledger *l, const cli_common *c,
                         const void *opts)
{
    (void)opts;
    return summary_document(d, l, c) ? EXIT_OK : EXIT_TROUBLE;
}

const cli_command cli_cmd_summary = {
    .name = "summary",
    .summary = "companies, legs, totals by kind and status",
    .usage = "[OPTIONS] FILE",
    .about = about,
    .exits = "Exit codes: 0 success, 2 bad usage or unreadable or invalid "
             "input.",
    .formats = DOC_TEXT | DOC_MD | DOC_JSON,
    .shared = CLI_SHARE_ANALYSIS,
    .build = summary_build,
};
