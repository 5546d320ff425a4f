/*
 * cmd_diff.c - dealgraph diff: what changed between two versions of a
 * ledger. Exit 0 when nothing did, 1 when something did.
 */
#include "cli.h"
#include "dealgraph/diff.h"
#include "dealgraph/exposure.h"
#include "dealgraph/text.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef struct diff_opts {
    size_t max_len;
    size_t year; /* 0: the default */
} diff_opts;

static const cli_value max_len_value = {
    "a loop length", "give a whole number of companies, 2 or more", 2, 1e6,
    NULL};

static const cli_value year_value = {
    "a year", "give a year from 1900 to 2999, such as 2027", 1900, 2999,
    NULL};

static const cli_option options[] = {
    {"max-len", 0, "N", "compare loops of at most N companies",
     cli_parse_count, offsetof(diff_opts, max_len), &max_len_value},
    {"year", 0, "YEAR",
     "the year of the revenue dependence compared (default: the year of "
     "--as-of, else of NEW's as_of, else of OLD's)",
     cli_parse_count, offsetof(diff_opts, year), &year_value},
    {NULL, 0, NULL, NULL, NULL, 0, NULL},
};

/* What the library says when there is no focus, in the command's words. */
static const char *exposure_note(const dg_diff *d)
{
    return d->focus ? d->exposure_note
                    : "exposure not compared: no focus (give --focus or a "
                      "focus attribute)";
}

/* Why the per-year shares were not compared, in the command's words. */
static const char *yearly_note(const dg_diff *d)
{
    return d->yearly_note ? "dependence and backlog shares not compared: "
                            "neither ledger has a date to take a year from; "
                            "give --year"
                          : NULL;
}

static json_t *shares_json(const dg_exposure_change *v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            arr, json_pack("{s:s, s:o, s:o}", "company", v[i].company,
                           "before", cli_json_money(v[i].before), "after",
                           cli_json_money(v[i].after)));
    return arr;
}

/* ---- JSON ------------------------------------------------------------------- */

static json_t *leg_json(const dg_ledger *l, size_t i)
{
    const dg_leg *g = &l->legs[i];
    return json_pack("{s:s?, s:s, s:s, s:s, s:o, s:s, s:o, s:I}", "deal",
                     g->deal, "from", l->companies[g->from].name, "to",
                     l->companies[g->to].name, "kind", dg_kind_name(g->kind),
                     "amount", cli_json_money(g->amount), "status",
                     dg_status_name(g->status), "announced",
                     cli_json_date(g->announced), "line", (json_int_t)g->line);
}

static json_t *loops_json(const dg_loop_ref *v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            arr, json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", v[i].id,
                           "companies", v[i].companies, "signature",
                           v[i].signature, "pattern",
                           dg_pattern_key(v[i].pattern), "value",
                           cli_json_money(v[i].value)));
    return arr;
}

static json_t *changes_json(const dg_field_change *f, size_t n)
{
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "field",
                                             f[k].field, "before", f[k].before,
                                             "after", f[k].after));
    return arr;
}

static json_t *names_json(char *const *v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_string(v[i]));
    return arr;
}

static json_t *diff_json(const dg_ledger *a, const dg_ledger *b,
                         const dg_diff *d)
{
    json_t *doc = cli_json_document();
    json_t *added = json_array(), *removed = json_array(),
           *changed = json_array(), *exposure = json_array();
    for (size_t i = 0; i < d->nadded; i++)
        json_array_append_new(added, leg_json(b, d->added[i]));
    for (size_t i = 0; i < d->nremoved; i++)
        json_array_append_new(removed, leg_json(a, d->removed[i]));
    for (size_t i = 0; i < d->nchanged; i++) {
        json_t *leg = leg_json(b, d->changed[i].after);
        json_object_set_new(leg, "old_line",
                            json_integer((json_int_t)a->legs[d->changed[i].before].line));
        json_object_set_new(leg, "changes",
                            changes_json(d->changed[i].fields,
                                         d->changed[i].nfields));
        json_array_append_new(changed, leg);
    }
    for (size_t i = 0; i < d->nexposure; i++)
        json_array_append_new(
            exposure,
            json_pack("{s:s, s:o, s:o}", "company", d->exposure[i].company,
                      "before", cli_json_money(d->exposure[i].before), "after",
                      cli_json_money(d->exposure[i].after)));
    const char *note = exposure_note(d);
    json_object_set_new(doc, "old", cli_json_text(a->path));
    json_object_set_new(doc, "new", cli_json_text(b->path));
    json_object_set_new(doc, "changed", json_boolean(!dg_diff_empty(d)));
    json_object_set_new(doc, "focus",
                        d->focus ? json_string(d->focus) : json_null());
    json_object_set_new(doc, "legs_added", added);
    json_object_set_new(doc, "legs_removed", removed);
    json_object_set_new(doc, "legs_changed", changed);
    json_object_set_new(doc, "companies_added",
                        names_json(d->companies_added, d->ncompanies_added));
    json_object_set_new(doc, "companies_removed",
                        names_json(d->companies_removed, d->ncompanies_removed));
    json_t *cc = json_array();
    for (size_t i = 0; i < d->ncompanies_changed; i++)
        json_array_append_new(
            cc, json_pack("{s:s, s:o}", "company",
                          d->companies_changed[i].company, "changes",
                          changes_json(d->companies_changed[i].fields,
                                       d->companies_changed[i].nfields)));
    json_object_set_new(doc, "companies_changed", cc);
    json_object_set_new(doc, "loops_opened", loops_json(d->opened, d->nopened));
    json_object_set_new(doc, "loops_closed", loops_json(d->closed, d->nclosed));
    json_object_set_new(doc, "exposure_changes", exposure);
    json_object_set_new(doc, "exposure_note",
                        note ? json_string(note) : json_null());
    json_object_set_new(doc, "year",
                        d->year ? json_integer(d->year) : json_null());
    json_object_set_new(doc, "dependence_changes",
                        shares_json(d->dependence, d->ndependence));
    json_object_set_new(doc, "backlog_changes",
                        shares_json(d->backlog, d->nbacklog));
    json_object_set_new(doc, "yearly_note",
                        yearly_note(d) ? json_string(yearly_note(d))
                                       : json_null());
    return doc;
}

/* ---- the document ------------------------------------------------------------ */

/* The two versions and what changed between them, for the items. */
typedef struct diff_view {
    const dg_ledger *a, *b;
    const dg_diff *d;
} diff_view;

/* Writes item i of a section into `s`: in text with its sign ("+ ", "- ",
 * "~ ") and its details as lines of their own; in Markdown and HTML, a
 * bullet of one item, the sign left to the section's heading (a "- " after
 * the bullet's own would be a list in the list). */
typedef void item_fn(dg_buf *s, const diff_view *v, size_t i, bool page);

static void leg_text(dg_buf *b, const dg_ledger *l, size_t i)
{
    const dg_leg *g = &l->legs[i];
    char m[32], d[16];
    dg_buf_printf(b, "%s -> %s %s", l->companies[g->from].name,
                  l->companies[g->to].name, dg_kind_name(g->kind));
    if (dg_has(g->amount))
        dg_buf_printf(b, " %s%s", g->upto ? "up to " : "",
                      dg_money_format(g->amount, m, sizeof m));
    else
        dg_buf_puts(b, " undisclosed");
    dg_buf_printf(b, ", %s, %s", dg_status_name(g->status),
                  dg_date_format(g->announced, d, sizeof d));
    if (g->deal)
        dg_buf_printf(b, " [%s]", g->deal);
}

/* The attributes that differ, one per line under the item. */
static void fields_text(dg_buf *s, const dg_field_change *f, size_t n)
{
    for (size_t k = 0; k < n; k++)
        dg_buf_printf(s, "\n  %s: \"%s\" -> \"%s\"", f[k].field, f[k].before,
                      f[k].after);
}

static void leg_added(dg_buf *s, const diff_view *v, size_t i, bool page)
{
    size_t leg = v->d->added[i];
    dg_buf_puts(s, page ? "" : "+ ");
    leg_text(s, v->b, leg);
    dg_buf_printf(s, " (line %ld)", v->b->legs[leg].line);
}

static void leg_removed(dg_buf *s, const diff_view *v, size_t i, bool page)
{
    size_t leg = v->d->removed[i];
    dg_buf_puts(s, page ? "" : "- ");
    leg_text(s, v->a, leg);
    dg_buf_printf(s, " (was line %ld)", v->a->legs[leg].line);
}

static void leg_changed(dg_buf *s, const diff_view *v, size_t i, bool page)
{
    const dg_leg_change *c = &v->d->changed[i];
    dg_buf_puts(s, page ? "" : "~ ");
    leg_text(s, v->b, c->after);
    dg_buf_printf(s, " (line %ld)", v->b->legs[c->after].line);
    fields_text(s, c->fields, c->nfields);
}

static void company_added_or_removed(dg_buf *s, const diff_view *v, size_t i,
                                     bool page)
{
    const dg_diff *d = v->d;
    bool added = i < d->ncompanies_added;
    const char *name = added ? d->companies_added[i]
                             : d->companies_removed[i - d->ncompanies_added];
    if (page)
        dg_buf_printf(s, "%s (%s)", name, added ? "added" : "removed");
    else
        dg_buf_printf(s, "%s %s", added ? "+" : "-", name);
}

static void company_changed(dg_buf *s, const diff_view *v, size_t i,
                            bool page)
{
    const dg_company_change *c = &v->d->companies_changed[i];
    dg_buf_printf(s, "%s%s", page ? "" : "~ ", c->company);
    fields_text(s, c->fields, c->nfields);
}

static void loop_text(dg_buf *s, const dg_loop_ref *r, const char *sign)
{
    dg_buf_printf(s, "%s%s (%s) [%s]", sign, r->companies, r->signature,
                  r->id);
}

static void loop_opened(dg_buf *s, const diff_view *v, size_t i, bool page)
{
    loop_text(s, &v->d->opened[i], page ? "" : "+ ");
}

static void loop_closed(dg_buf *s, const diff_view *v, size_t i, bool page)
{
    loop_text(s, &v->d->closed[i], page ? "" : "- ");
}

static void share_text(dg_buf *s, double v)
{
    if (dg_has(v))
        dg_buf_printf(s, "%.1f%%", v * 100);
    else
        dg_buf_puts(s, "n/a");
}

static void change_text(dg_buf *s, const dg_exposure_change *c)
{
    dg_buf_printf(s, "%s: ", c->company);
    share_text(s, c->before);
    dg_buf_puts(s, " -> ");
    share_text(s, c->after);
}

static void share_moved(dg_buf *s, const diff_view *v, size_t i, bool page)
{
    (void)page;
    change_text(s, &v->d->exposure[i]);
}

static void dependence_moved(dg_buf *s, const diff_view *v, size_t i,
                             bool page)
{
    (void)page;
    change_text(s, &v->d->dependence[i]);
}

static void backlog_moved(dg_buf *s, const diff_view *v, size_t i, bool page)
{
    (void)page;
    change_text(s, &v->d->backlog[i]);
}

/* A section: its heading, then its n items as indented lines (text) or
 * bullets (Markdown, HTML). */
static void section(cli_doc *d, const diff_view *v, size_t n, item_fn *item,
                    const char *title)
{
    if (!n)
        return;
    doc_heading(d, 3, "%s", title);
    dg_buf s;
    dg_buf_init(&s);
    for (int page = 0; page < 2; page++) {
        doc_only(d, page ? DOC_MD | DOC_HTML : DOC_TEXT);
        for (size_t i = 0; i < n; i++) {
            dg_buf_clear(&s);
            item(&s, v, i, page);
            if (s.oom) {
                d->oom = true; /* an item was cut short */
                break;
            }
            if (page) {
                doc_note(d, "%s", s.data);
                continue;
            }
            /* the details under the item, as lines of their own */
            for (char *line = s.data, *nl; line; line = nl) {
                nl = strchr(line, '\n');
                if (nl)
                    *nl++ = '\0';
                doc_line(d, "%s", line);
            }
        }
    }
    doc_only(d, 0);
    dg_buf_finish(&s);
}

static void diff_document(cli_doc *d, const dg_ledger *a, const dg_ledger *b,
                          const dg_diff *x, cli_out_format format)
{
    if (format == CLI_OUT_JSON) {
        doc_json(d, diff_json(a, b, x));
        return;
    }
    diff_view v = {a, b, x};
    char t[256];
    doc_only(d, DOC_MD | DOC_HTML);
    doc_heading(d, 2, "Changes from %s to %s", a->path, b->path);
    doc_only(d, 0);
    if (dg_diff_empty(x))
        doc_para(d, "no change%s", x->exposure_note ? " in legs or loops" : "");
#define PLURAL(n, one, many) (n), (n) == 1 ? (one) : (many)
    snprintf(t, sizeof t, "%zu leg%s added", PLURAL(x->nadded, "", "s"));
    section(d, &v, x->nadded, leg_added, t);
    snprintf(t, sizeof t, "%zu leg%s removed", PLURAL(x->nremoved, "", "s"));
    section(d, &v, x->nremoved, leg_removed, t);
    snprintf(t, sizeof t, "%zu leg%s changed", PLURAL(x->nchanged, "", "s"));
    section(d, &v, x->nchanged, leg_changed, t);
    snprintf(t, sizeof t, "companies: %zu added, %zu removed",
             x->ncompanies_added, x->ncompanies_removed);
    section(d, &v, x->ncompanies_added + x->ncompanies_removed,
            company_added_or_removed, t);
    snprintf(t, sizeof t, "%zu compan%s changed",
             PLURAL(x->ncompanies_changed, "y", "ies"));
    section(d, &v, x->ncompanies_changed, company_changed, t);
    snprintf(t, sizeof t, "%zu loop%s opened", PLURAL(x->nopened, "", "s"));
    section(d, &v, x->nopened, loop_opened, t);
    snprintf(t, sizeof t, "%zu loop%s closed", PLURAL(x->nclosed, "", "s"));
    section(d, &v, x->nclosed, loop_closed, t);
    if (x->nexposure) {
        dg_buf h;
        dg_buf_init(&h);
        dg_buf_printf(&h, "direct inflow share from %s moved for %zu compan%s",
                      x->focus, PLURAL(x->nexposure, "y", "ies"));
        if (h.oom)
            d->oom = true;
        else
            section(d, &v, x->nexposure, share_moved, h.data);
        dg_buf_finish(&h);
    }
    if (x->ndependence || x->nbacklog) {
        dg_buf h;
        dg_buf_init(&h);
        dg_buf_printf(&h,
                      "revenue dependence on %s in %d moved for %zu "
                      "compan%s (n/a: no revenue figure)",
                      x->focus, x->year, PLURAL(x->ndependence, "y", "ies"));
        if (!h.oom && x->ndependence)
            section(d, &v, x->ndependence, dependence_moved, h.data);
        dg_buf_clear(&h);
        dg_buf_printf(&h,
                      "backlog share of %s moved for %zu compan%s (n/a: no "
                      "rpo)",
                      x->focus, PLURAL(x->nbacklog, "y", "ies"));
        if (!h.oom && x->nbacklog)
            section(d, &v, x->nbacklog, backlog_moved, h.data);
        if (h.oom)
            d->oom = true;
        dg_buf_finish(&h);
    }
#undef PLURAL
    if (exposure_note(x))
        doc_para(d, "%s", exposure_note(x));
    if (yearly_note(x))
        doc_para(d, "%s", yearly_note(x));
}

/* ---- the command ------------------------------------------------------------ */

static int diff_run(const cli_common *c, const void *opts, int argc,
                    char **argv)
{
    const diff_opts *o = opts;
    if (argc != 2) {
        cli_error("diff: give two ledgers; usage: dealgraph diff OLD NEW");
        return EXIT_TROUBLE;
    }
    dg_diff_options dopt;
    dg_diff_options_init(&dopt);
    dopt.loops.filter = c->filter;
    dopt.loops.max_len = o->max_len;
    dopt.focus = c->focus;
    dopt.year = (int)o->year;
    dg_ledger *a = cli_load(argv[0], &c->load);
    dg_ledger *b = a ? cli_load(argv[1], &c->load) : NULL;
    int code = EXIT_TROUBLE;
    dg_diff d;
    memset(&d, 0, sizeof d);
    cli_doc doc;
    doc_init(&doc);
    if (!a || !b)
        goto done;
    if (c->focus && dg_ledger_find(a, c->focus) == (size_t)-1 &&
        dg_ledger_find(b, c->focus) == (size_t)-1) {
        /* in neither version: the same error (and suggestion) as exposure */
        dg_diags fd;
        dg_diags_init(&fd);
        size_t ignored;
        cli_focus_resolve(b, c->focus, "diff", &ignored, &fd);
        for (size_t i = 0; i < fd.count; i++)
            cli_error("%s", fd.items[i].message);
        dg_diags_finish(&fd);
        goto done;
    }
    int rc = dg_diff_compute(a, b, &dopt, &d);
    if (rc != DG_OK) {
        if (rc == DG_ELIMIT)
            cli_error("diff: too many loops to compare (more than a "
                      "million, %.0f s of search or %zu MiB of loops); give "
                      "--max-len to compare them",
                      DG_LOOPS_AUTO_SECONDS, DG_LOOPS_MAX_BYTES >> 20);
        else
            cli_error("diff: %s", dg_strerror(rc));
        goto done;
    }
    diff_document(&doc, a, b, &d, c->format);
    if (cli_emit(&doc, c) == EXIT_OK)
        code = dg_diff_empty(&d) ? EXIT_OK : EXIT_FINDING;
done:
    doc_finish(&doc);
    dg_diff_finish(&d);
    dg_ledger_destroy(a);
    dg_ledger_destroy(b);
    return code;
}

static const char about[] =
    "Lists the legs added, removed and changed (a leg is identified by its\n"
    "deal id, endpoints and kind; every attribute that differs is listed),\n"
    "the loops opened and closed, the direct inflow shares from the focus\n"
    "that moved, and the revenue dependence on the focus in a year (--year)\n"
    "and the backlog shares of the focus that moved. The focus is --focus,\n"
    "else NEW's, else OLD's.";

const cli_command cli_cmd_diff = {
    .name = "diff",
    .summary = "what changed between two ledgers: legs, loops, exposure",
    .usage = "[OPTIONS] OLD NEW",
    .about = about,
    .exits = "Exit codes: 0 no change, 1 something changed, 2 bad usage "
             "or\nunreadable or invalid input.",
    .formats = DOC_TEXT | DOC_MD | DOC_JSON,
    .shared = CLI_SHARE_ANALYSIS | CLI_SHARE_FOCUS,
    .options = options,
    .opts_size = sizeof(diff_opts),
    .run = diff_run,
};
