/*
 * cmd_diff.c - dealgraph diff: what changed between two versions of a
 * ledger. Exit 0 when nothing did, 1 when something did.
 */
#include "cli.h"
#include "dealgraph/diff.h"
#include "dealgraph/exposure.h"
#include "dealgraph/text.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: dealgraph diff [OPTIONS] OLD NEW\n"
    "\n"
    "Lists the legs added, removed and changed (a leg is identified by its\n"
    "deal id, endpoints and kind; every attribute that differs is listed),\n"
    "the loops opened and closed, and the direct inflow shares from the\n"
    "focus that moved.\n"
    "\n"
    "  --focus NAME         focal company for exposure (default: NEW's)\n"
    "  --max-len N          compare loops of at most N companies\n"
    "  --format text|md|json\n"
    "  -o, --output FILE    write there instead of standard output\n"
    "  --min-status S, --kinds K1,K2, --as-of DATE, --amounts SCENARIO\n"
    "\n"
    "Exit codes: 0 no change, 1 something changed, 2 bad usage or\n"
    "unreadable or invalid input.\n";

static void leg_text(dg_buf *b, const dg_ledger *l, size_t i)
{
    const dg_leg *g = &l->legs[i];
    char m[32], d[16];
    dg_buf_clear(b);
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
        json_t *fields = json_array();
        for (size_t k = 0; k < d->changed[i].nfields; k++) {
            const dg_field_change *f = &d->changed[i].fields[k];
            json_array_append_new(fields,
                                  json_pack("{s:s, s:s, s:s}", "field",
                                            f->field, "before", f->before,
                                            "after", f->after));
        }
        json_t *leg = leg_json(b, d->changed[i].after);
        json_object_set_new(leg, "old_line",
                            json_integer((json_int_t)a->legs[d->changed[i].before].line));
        json_object_set_new(leg, "changes", fields);
        json_array_append_new(changed, leg);
    }
    for (size_t i = 0; i < d->nexposure; i++)
        json_array_append_new(
            exposure,
            json_pack("{s:s, s:o, s:o}", "company", d->exposure[i].company,
                      "before", cli_json_money(d->exposure[i].before), "after",
                      cli_json_money(d->exposure[i].after)));
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
                        d->exposure_note ? json_string(d->exposure_note)
                                         : json_null());
    return doc;
}

static void share_text(FILE *out, double v)
{
    if (dg_has(v))
        fprintf(out, "%.1f%%", v * 100);
    else
        fputs("n/a", out);
}

static void diff_text(FILE *out, const dg_ledger *a, const dg_ledger *b,
                      const dg_diff *d, bool md)
{
    dg_buf s;
    dg_buf_init(&s);
    const char *item = md ? "- " : "  ";
    if (md)
        fprintf(out, "## Changes from %s to %s\n\n", a->path, b->path);
    if (dg_diff_empty(d)) {
        fprintf(out, "no change%s\n",
                d->exposure_note ? " in legs or loops" : "");
    }
    if (d->nadded) {
        fprintf(out, "%s%zu leg%s added\n%s", md ? "### " : "", d->nadded,
                d->nadded == 1 ? "" : "s", md ? "\n" : "");
        for (size_t i = 0; i < d->nadded; i++) {
            leg_text(&s, b, d->added[i]);
            fprintf(out, "%s+ %s (line %ld)\n", item, s.data ? s.data : "",
                    b->legs[d->added[i]].line);
        }
    }
    if (d->nremoved) {
        fprintf(out, "%s%zu leg%s removed\n%s", md ? "\n### " : "",
                d->nremoved, d->nremoved == 1 ? "" : "s", md ? "\n" : "");
        for (size_t i = 0; i < d->nremoved; i++) {
            leg_text(&s, a, d->removed[i]);
            fprintf(out, "%s- %s (was line %ld)\n", item, s.data ? s.data : "",
                    a->legs[d->removed[i]].line);
        }
    }
    if (d->nchanged) {
        fprintf(out, "%s%zu leg%s changed\n%s", md ? "\n### " : "",
                d->nchanged, d->nchanged == 1 ? "" : "s", md ? "\n" : "");
        for (size_t i = 0; i < d->nchanged; i++) {
            leg_text(&s, b, d->changed[i].after);
            fprintf(out, "%s~ %s (line %ld)\n", item, s.data ? s.data : "",
                    b->legs[d->changed[i].after].line);
            for (size_t k = 0; k < d->changed[i].nfields; k++) {
                const dg_field_change *f = &d->changed[i].fields[k];
                fprintf(out, "%s    %s: \"%s\" -> \"%s\"\n", md ? "  " : "",
                        f->field, f->before, f->after);
            }
        }
    }
    if (d->ncompanies_added || d->ncompanies_removed) {
        fprintf(out, "%scompanies: %zu added, %zu removed\n%s",
                md ? "\n### " : "", d->ncompanies_added, d->ncompanies_removed,
                md ? "\n" : "");
        for (size_t i = 0; i < d->ncompanies_added; i++)
            fprintf(out, "%s+ %s\n", item, d->companies_added[i]);
        for (size_t i = 0; i < d->ncompanies_removed; i++)
            fprintf(out, "%s- %s\n", item, d->companies_removed[i]);
    }
    if (d->ncompanies_changed) {
        fprintf(out, "%s%zu compan%s changed\n%s", md ? "\n### " : "",
                d->ncompanies_changed,
                d->ncompanies_changed == 1 ? "y" : "ies", md ? "\n" : "");
        for (size_t i = 0; i < d->ncompanies_changed; i++) {
            fprintf(out, "%s~ %s\n", item, d->companies_changed[i].company);
            for (size_t k = 0; k < d->companies_changed[i].nfields; k++) {
                const dg_field_change *f = &d->companies_changed[i].fields[k];
                fprintf(out, "%s    %s: \"%s\" -> \"%s\"\n", md ? "  " : "",
                        f->field, f->before, f->after);
            }
        }
    }
    if (d->nopened) {
        fprintf(out, "%s%zu loop%s opened\n%s", md ? "\n### " : "",
                d->nopened, d->nopened == 1 ? "" : "s", md ? "\n" : "");
        for (size_t i = 0; i < d->nopened; i++)
            fprintf(out, "%s+ %s (%s) [%s]\n", item, d->opened[i].companies,
                    d->opened[i].signature, d->opened[i].id);
    }
    if (d->nclosed) {
        fprintf(out, "%s%zu loop%s closed\n%s", md ? "\n### " : "",
                d->nclosed, d->nclosed == 1 ? "" : "s", md ? "\n" : "");
        for (size_t i = 0; i < d->nclosed; i++)
            fprintf(out, "%s- %s (%s) [%s]\n", item, d->closed[i].companies,
                    d->closed[i].signature, d->closed[i].id);
    }
    if (d->nexposure) {
        fprintf(out, "%sdirect inflow share from %s moved for %zu compan%s\n%s",
                md ? "\n### " : "", d->focus, d->nexposure,
                d->nexposure == 1 ? "y" : "ies", md ? "\n" : "");
        for (size_t i = 0; i < d->nexposure; i++) {
            fprintf(out, "%s%s: ", item, d->exposure[i].company);
            share_text(out, d->exposure[i].before);
            fputs(" -> ", out);
            share_text(out, d->exposure[i].after);
            fputc('\n', out);
        }
    }
    if (d->exposure_note)
        fprintf(out, "%s%s\n", md ? "\n" : "", d->exposure_note);
    if (s.oom)
        cli_out_of_memory(); /* a leg's line was cut short */
    dg_buf_finish(&s);
}

int cmd_diff(int argc, char **argv)
{
    enum { O_FOCUS = 0x400, O_MAXLEN };
    static const struct option options[] = {
        {"focus", required_argument, NULL, O_FOCUS},
        {"max-len", required_argument, NULL, O_MAXLEN},
        CLI_COMMON_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    cli_common c;
    cli_common_init(&c, (1u << CLI_OUT_TEXT) | (1u << CLI_OUT_MD) |
                            (1u << CLI_OUT_JSON));
    dg_diff_options o;
    dg_diff_options_init(&o);
    int opt;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "f:o:h", options, NULL)) != -1) {
        if (opt == 'h') {
            cli_help(help);
            return EXIT_OK;
        } else if (opt == O_FOCUS) {
            o.focus = optarg;
        } else if (opt == O_MAXLEN) {
            char *end;
            errno = 0;
            unsigned long v = strtoul(optarg, &end, 10);
            if (errno || *end || !optarg[0] || optarg[0] == '-' || v < 2 ||
                v > 1000000) {
                cli_error("diff: --max-len '%s' is not a loop length; give a "
                          "whole number of companies, 2 or more",
                          optarg);
                return EXIT_TROUBLE;
            }
            o.loops.max_len = v;
        } else if (opt == '?') {
            return cli_bad_option("diff", argv);
        } else {
            int r = cli_common_option(&c, "diff", opt, optarg);
            if (r < 0)
                return EXIT_TROUBLE;
            if (r == 0)
                return cli_bad_option("diff", argv);
        }
    }
    if (argc - optind != 2) {
        cli_error("diff: give two ledgers; usage: dealgraph diff OLD NEW");
        return EXIT_TROUBLE;
    }
    o.loops.filter = c.filter;
    dg_ledger *a = cli_load(argv[optind], &c.load);
    dg_ledger *b = a ? cli_load(argv[optind + 1], &c.load) : NULL;
    int code = EXIT_TROUBLE;
    dg_diff d;
    memset(&d, 0, sizeof d);
    if (!a || !b)
        goto done;
    if (o.focus && dg_ledger_find(a, o.focus) == (size_t)-1 &&
        dg_ledger_find(b, o.focus) == (size_t)-1) {
        /* in neither version: the same error (and suggestion) as exposure */
        dg_diags fd;
        dg_diags_init(&fd);
        size_t ignored;
        dg_focus_resolve(b, o.focus, "diff", &ignored, &fd);
        for (size_t i = 0; i < fd.count; i++)
            cli_error("%s", fd.items[i].message);
        dg_diags_finish(&fd);
        goto done;
    }
    int rc = dg_diff_compute(a, b, &o, &d);
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
    cli_output out;
    if (!cli_output_open_as(&out, &c))
        goto done;
    bool ok = true;
    if (c.format == CLI_OUT_JSON) {
        json_t *doc = diff_json(a, b, &d);
        ok = cli_json_write(doc, out.f);
        json_decref(doc);
    } else {
        diff_text(out.f, a, b, &d, c.format == CLI_OUT_MD);
    }
    if (!cli_output_close(&out, ok))
        goto done;
    code = dg_diff_empty(&d) ? EXIT_OK : EXIT_FINDING;
done:
    dg_diff_finish(&d);
    dg_ledger_destroy(a);
    dg_ledger_destroy(b);
    return code;
}
