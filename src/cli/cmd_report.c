/*
 * cmd_report.c - dealgraph report: the whole analysis in one document,
 * made of the other commands' documents (each section is what that
 * command prints with the options listed in `sections`), with the diagram:
 * beside a Markdown or JSON file, inline in the HTML page.
 */
#include "cli.h"
#include "dealgraph/render.h"
#include "dealgraph/text.h"

#include <stdlib.h>
#include <string.h>

extern const cli_command cli_cmd_summary, cli_cmd_loops, cli_cmd_exposure,
    cli_cmd_stress;

/* The report's sections: a command and its own options, as a reader would
 * type them to reproduce the section. */
typedef struct section {
    const cli_command *cmd;
    const char *key; /* in the JSON document */
    const char *const *args;
    bool needs_focus;
} section;

/* 200 rewirings, seed 1: the significance is reproducible; the 20 most
 * valuable loops; no progress display, and a bounded search. */
static const char *const loops_args[] = {"--null", "200", "--seed", "1",
                                         "--top", "20", "--unattended",
                                         NULL};

static const section sections[] = {
    {&cli_cmd_summary, "summary", NULL, false},
    {&cli_cmd_loops, "loops", loops_args, false},
    {&cli_cmd_exposure, "exposure", NULL, true},
    {&cli_cmd_stress, "stress", NULL, true},
};

/* The diagram's path beside a report: its extension replaced by .svg. */
static char *svg_beside(const char *path)
{
    dg_buf b;
    dg_buf_init(&b);
    const char *base = dg_basename(path);
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - path) : strlen(path);
    dg_buf_put(&b, path, n);
    dg_buf_puts(&b, ".svg");
    return dg_buf_take(&b);
}

static int render_svg(const dg_ledger *l, const cli_common *c, char **svg,
                      size_t *len)
{
    dg_render_options ro;
    dg_render_options_init(&ro);
    ro.format = DG_RENDER_SVG;
    ro.filter = c->filter;
    ro.focus = c->focus;
    dg_render_problems problems;
    ro.problems = &problems;
    dg_diags d;
    dg_diags_init(&d);
    int rc = dg_render(l, &ro, svg, len, &d);
    if (rc != DG_OK) {
        for (size_t i = 0; i < d.count; i++) {
            if (d.items[i].severity != DG_SEV_ERROR)
                continue;
            /* the renderer speaks of the picture; the fix is a flag */
            bool too_many = problems.diag[DG_RENDER_TOO_MANY_LEGS] == i;
            cli_error("report: diagram: %s%s", d.items[i].message,
                      too_many ? "; draw part of the ledger with 'dealgraph "
                                 "render --kinds, --min-status or --as-of'"
                               : "");
        }
        if (!d.errors)
            cli_error("report: diagram: %s", dg_strerror(rc));
    }
    dg_diags_finish(&d);
    return rc;
}

/* The numbered list of sources the report rests on: each distinct source
 * (and address) of the legs that pass the filters, in file order, with
 * the deals that cite it. */
static void add_sources(cli_doc *d, const dg_ledger *l, const cli_common *c)
{
    size_t n = l->nlegs, count = 0;
    size_t *first = malloc((n ? n : 1) * sizeof *first); /* leg -> number */
    json_t *arr = d->json ? json_array() : NULL;
    dg_buf deals;
    dg_buf_init(&deals);
    if (!first || (d->json && !arr)) {
        d->oom = true;
        goto done;
    }
    doc_heading(d, 2, "Sources");
    for (size_t i = 0; i < n; i++) {
        const dg_leg *g = &l->legs[i];
        first[i] = SIZE_MAX;
        if (!dg_filter_keep(&c->filter, g) || !g->source)
            continue;
        size_t same = SIZE_MAX;
        for (size_t j = 0; j < i && same == SIZE_MAX; j++)
            if (first[j] != SIZE_MAX && strcmp(l->legs[j].source, g->source) == 0 &&
                ((!l->legs[j].url && !g->url) ||
                 (l->legs[j].url && g->url &&
                  strcmp(l->legs[j].url, g->url) == 0)))
                same = j;
        if (same != SIZE_MAX) {
            first[i] = first[same];
            continue;
        }
        first[i] = ++count;
        /* the deals citing it, in file order */
        dg_buf_clear(&deals);
        for (size_t j = i; j < n; j++) {
            const dg_leg *h = &l->legs[j];
            if (!dg_filter_keep(&c->filter, h) || !h->source ||
                strcmp(h->source, g->source) != 0 ||
                (!h->url) != (!g->url) ||
                (h->url && strcmp(h->url, g->url) != 0))
                continue;
            bool seen = false; /* a deal named once */
            for (size_t k = i; h->deal && k < j && !seen; k++)
                seen = first[k] == count && l->legs[k].deal &&
                       strcmp(l->legs[k].deal, h->deal) == 0;
            if (seen)
                continue;
            if (h->deal)
                dg_buf_printf(&deals, "%s%s", deals.len ? ", " : "", h->deal);
            else
                dg_buf_printf(&deals, "%sline %ld", deals.len ? ", " : "",
                              h->line);
        }
        doc_note(d, "[%zu] %s%s%s (%s)", count, g->source,
                 g->url ? " " : "", g->url ? g->url : "",
                 deals.data ? deals.data : "");
        if (arr)
            json_array_append_new(
                arr, json_pack("{s:I, s:s, s:o, s:s}", "n", (json_int_t)count,
                               "source", g->source, "url",
                               g->url ? json_string(g->url) : json_null(),
                               "cited_by", deals.data ? deals.data : ""));
    }
    if (!count)
        doc_para(d, "No leg that passes the filters names a source (lint "
                    "--strict requires one on every leg).");
    if (deals.oom)
        d->oom = true;
    if (arr && json_object_set_new(d->json, "sources", arr) != 0)
        d->oom = true;
    arr = NULL;
done:
    json_decref(arr);
    dg_buf_finish(&deals);
    free(first);
}

static const char *title_of(const dg_ledger *l)
{
    return l->title ? l->title : dg_basename(l->path);
}

/* The report as one document. `svg` is inlined in HTML; `beside` (the
 * picture's file name next to the report) is linked from Markdown and
 * named in JSON. */
static int report_document(cli_doc *d, const dg_ledger *l,
                           const cli_common *c, const char *svg,
                           size_t svglen, const char *beside)
{
    char date[16];
    bool focus = c->focus || l->focus;
    if (c->format == CLI_OUT_JSON) {
        json_t *doc = cli_json_document();
        if (doc)
            json_object_set_new(doc, "file", cli_json_text(l->path));
        doc_json(d, doc);
    }
    doc_heading(d, 1, "Report: %s", title_of(l));
    doc_para(d, "Ledger %s%s%s%s%s; amounts: %s. Written by dealgraph %s.",
             l->path, dg_date_valid(l->as_of) ? ", as of " : "",
             dg_date_valid(l->as_of)
                 ? dg_date_format(l->as_of, date, sizeof date)
                 : "",
             focus ? "; focal company " : "",
             focus ? (c->focus ? c->focus : l->focus) : "",
             dg_amounts_name(c->filter.amounts), DG_VERSION);
    for (size_t k = 0; k < sizeof sections / sizeof sections[0]; k++) {
        const section *s = &sections[k];
        if (s->needs_focus && !focus) {
            if (k + 1 < sizeof sections / sizeof sections[0] &&
                sections[k + 1].needs_focus)
                continue; /* said once, after the last of them */
            doc_heading(d, 2, "Exposure and stress");
            doc_para(d, "The ledger names no focal company (the focus graph "
                        "attribute), so exposure and stress are left out; "
                        "dealgraph report --focus NAME, or dealgraph "
                        "exposure --focus NAME, computes them.");
            if (d->json && (json_object_set_new(d->json, "exposure",
                                                json_null()) ||
                            json_object_set_new(d->json, "stress",
                                                json_null())))
                d->oom = true;
            continue;
        }
        cli_doc part;
        doc_init(&part);
        int code = cli_build_part(s->cmd, s->args, &part, l, c);
        if (code == EXIT_TROUBLE) {
            doc_finish(&part);
            return EXIT_TROUBLE;
        }
        doc_adopt(d, &part, s->key);
        if (k == 0) { /* the picture after the summary */
            doc_heading(d, 2, "The deal web");
            if (svg || beside)
                doc_figure(d, svg, svglen, beside,
                           "Value moves along the arrows. Legs on a closed "
                           "loop are drawn strong; the legend is in the "
                           "picture.");
            else
                doc_para(d, "Draw it with dealgraph render %s -o ledger.svg, "
                            "or write this report to a file (-o report.md) "
                            "to get the picture beside it.",
                         l->path);
        }
    }
    if (d->json && json_object_set_new(d->json, "diagram",
                                       cli_json_text(beside)) != 0)
        d->oom = true;
    add_sources(d, l, c);
    doc_para(d, "Methods, formulas and sources: docs/methods.md of dealgraph. "
                "Every figure can be reproduced with the dealgraph command "
                "named in its section.");
    return EXIT_OK;
}

static int report_run(const cli_common *c, const void *opts, int argc,
                      char **argv)
{
    (void)opts;
    if (argc != 1) {
        cli_error("report: give exactly one ledger; usage: dealgraph report "
                  "FILE");
        return EXIT_TROUBLE;
    }
    dg_ledger *l = cli_load(argv[0], &c->load);
    if (!l)
        return EXIT_TROUBLE;
    int code = EXIT_TROUBLE;
    char *svg = NULL, *beside = NULL;
    size_t svglen = 0;
    cli_doc d;
    doc_init(&d);
    bool to_file = c->output && strcmp(c->output, "-") != 0;
    bool want_svg = c->format == CLI_OUT_HTML ||
                    (to_file && (c->format == CLI_OUT_MD ||
                                 c->format == CLI_OUT_JSON));
    if (want_svg && render_svg(l, c, &svg, &svglen) != DG_OK)
        goto done;
    if (to_file && c->format != CLI_OUT_HTML && c->format != CLI_OUT_TEXT) {
        beside = svg_beside(c->output);
        if (!beside) {
            cli_out_of_memory_in("report");
            goto done;
        }
        if (strcmp(beside, c->output) == 0) {
            cli_error("report: the diagram beside %s would have the report's "
                      "own name; give the report a .md or .json name",
                      c->output);
            goto done;
        }
    }
    unsigned long said = cli_errors_said(); /* errors printed before */
    cli_output out, pic;
    if (!cli_output_open_as(&out, c))
        goto done;
    bool ok = report_document(&d, l, c,
                              c->format == CLI_OUT_HTML ? svg : NULL, svglen,
                              beside ? dg_basename(beside) : NULL) ==
                  EXIT_OK &&
              doc_write(&d, c->format, out.f);
    /* The picture beside the report, written only when the report was. */
    if (ok && beside) {
        ok = cli_output_open(&pic, beside);
        if (ok) {
            ok = fwrite(svg, 1, svglen, pic.f) == svglen;
            ok = cli_output_close(&pic, ok) && ok;
        }
    }
    if (cli_output_close(&out, ok) && ok)
        code = EXIT_OK;
    else if (!ok && !out.reported)
        cli_error("report: %s was not written%s",
                  c->output ? c->output : "the report",
                  cli_errors_said() > said ? "" : " (a write failed)");
done:
    doc_finish(&d);
    free(svg);
    free(beside);
    dg_ledger_destroy(l);
    dg_render_shutdown();
    return code;
}

static const char about[] =
    "The whole analysis in one document: the summary, the diagram, the\n"
    "loops ranked by value with their patterns and their significance\n"
    "against 200 degree-preserving rewirings (seed 1), the exposure tables\n"
    "with concentration bands, Finn's cycling index and Capex/EBITDA stages,\n"
    "and the stress test (DebtRank, the focus paying nothing). Each section\n"
    "is what its own command prints.\n"
    "\n"
    "With -o and md or json, the diagram is written beside the report\n"
    "(report.md -> report.svg) and linked; html holds it inline and needs\n"
    "no other file and no network. Exposure and stress need a focal\n"
    "company (--focus or the ledger's focus attribute); without one those\n"
    "sections say so and are left out.";

const cli_command cli_cmd_report = {
    .name = "report",
    .summary = "everything above in one document (text, md, json, html)",
    .usage = "[OPTIONS] FILE",
    .about = about,
    .exits = "Exit codes: 0 success, 2 bad usage or unreadable or invalid "
             "input.",
    .formats = DOC_TEXT | DOC_MD | DOC_JSON | DOC_HTML,
    .shared = CLI_SHARE_ANALYSIS | CLI_SHARE_FOCUS,
    .run = report_run,
};
