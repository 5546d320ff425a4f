/*
 * cmd_report.c - dealgraph report: the whole analysis in one document
 * (text, Markdown with the diagram beside it, one self-contained HTML
 * page, or JSON with all the numbers).
 */
#include "cli.h"
#include "html.h"
#include "dealgraph/text.h"
#include "dealgraph/render.h"

#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: dealgraph report [OPTIONS] FILE\n"
    "\n"
    "The whole analysis in one document: the summary, the diagram, the\n"
    "loops ranked by value with their patterns and their significance\n"
    "against 200 degree-preserving rewirings (seed 1), the exposure tables\n"
    "with concentration bands, Finn's cycling index and Capex/EBITDA stages,\n"
    "and the stress test (DebtRank, the focus paying nothing).\n"
    "\n"
    "  --format text|md|json|html   (default text)\n"
    "  -o, --output FILE    write there instead of standard output. With md,\n"
    "                       the diagram is written beside it (report.md ->\n"
    "                       report.svg) and linked; html holds it inline and\n"
    "                       needs no other file and no network\n"
    "  --min-status S, --kinds K1,K2, --as-of DATE, --amounts SCENARIO\n"
    "\n"
    "Exposure and stress need a focal company: the ledger's focus graph\n"
    "attribute. Without one those sections say so and are left out.\n"
    "\n"
    "Exit codes: 0 success, 2 bad usage or unreadable or invalid input.\n";

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
    dg_diags d;
    dg_diags_init(&d);
    int rc = dg_render(l, &ro, svg, len, &d);
    if (rc != DG_OK) {
        for (size_t i = 0; i < d.count; i++)
            if (d.items[i].severity == DG_SEV_ERROR)
                cli_error("report: diagram: %s", d.items[i].message);
        if (!d.errors)
            cli_error("report: diagram: %s", dg_strerror(rc));
    }
    dg_diags_finish(&d);
    return rc;
}

static const char *title_of(const dg_ledger *l)
{
    return l->title ? l->title : dg_basename(l->path);
}

/* The Markdown report. `diagram` is the link target for the picture, or
 * NULL to leave the diagram section out (the HTML page inlines it). */
static bool write_md(FILE *out, const dg_ledger *l, const cli_common *c,
                     const char *diagram, bool placeholder)
{
    char d[16];
    fprintf(out, "# Report: %s\n\n", title_of(l));
    fprintf(out, "Ledger `%s`", l->path);
    if (dg_date_valid(l->as_of))
        fprintf(out, ", as of %s", dg_date_format(l->as_of, d, sizeof d));
    if (l->focus)
        fprintf(out, "; focal company **%s**", l->focus);
    fprintf(out, "; amounts: %s. Written by dealgraph %s.\n\n",
            dg_amounts_name(c->filter.amounts), DG_VERSION);
    bool ok = report_summary(l, c, out, NULL);
    fputs("\n## The deal web\n\n", out);
    if (placeholder)
        fputs("@@DIAGRAM@@\n", out);
    else if (diagram)
        fprintf(out, "![The deal web of %s](%s)\n", title_of(l), diagram);
    else
        fprintf(out, "Draw it with `dealgraph render %s -o ledger.svg`, or "
                     "write this report with `-o report.md` to get the "
                     "picture beside it.\n",
                l->path);
    fputc('\n', out);
    ok = ok && report_loops(l, c, out, NULL);
    if (l->focus) {
        fputc('\n', out);
        ok = ok && report_exposure(l, c, out, NULL);
        fputc('\n', out);
        ok = ok && report_stress(l, c, out, NULL);
    } else {
        fputs("\n## Exposure and stress\n\nThe ledger names no focal company "
              "(the `focus` graph attribute), so exposure and stress are left "
              "out; `dealgraph exposure --focus NAME` computes them.\n",
              out);
    }
    fputs("\n---\n\nMethods, formulas and sources: `docs/methods.md` of "
          "dealgraph. Every figure can be reproduced with the dealgraph "
          "command named in its section.\n",
          out);
    return ok;
}

static bool write_text(FILE *out, const dg_ledger *l, const cli_common *c)
{
    char d[16];
    fprintf(out, "REPORT: %s\n", title_of(l));
    fprintf(out, "ledger %s", l->path);
    if (dg_date_valid(l->as_of))
        fprintf(out, ", as of %s", dg_date_format(l->as_of, d, sizeof d));
    if (l->focus)
        fprintf(out, "; focal company %s", l->focus);
    fprintf(out, "\n\n== Summary\n");
    bool ok = report_summary(l, c, out, NULL);
    fprintf(out, "\n== Loops\n");
    ok = ok && report_loops(l, c, out, NULL);
    if (l->focus) {
        fprintf(out, "\n== Exposure\n");
        ok = ok && report_exposure(l, c, out, NULL);
        fprintf(out, "\n== Stress\n");
        ok = ok && report_stress(l, c, out, NULL);
    } else {
        fprintf(out, "\n== Exposure and stress\nno focal company: left out "
                     "(dealgraph exposure --focus NAME)\n");
    }
    fprintf(out, "\n== Diagram\ndealgraph render %s -o ledger.svg\n", l->path);
    return ok;
}

/* A command's JSON without its own header, under the report's. */
static bool add_part(json_t *doc, const char *key, json_t *part)
{
    if (!part)
        return false;
    json_object_del(part, "dealgraph");
    if (json_object_set_new(doc, key, part) != 0) {
        cli_out_of_memory();
        return false;
    }
    return true;
}

static bool write_json(FILE *out, const dg_ledger *l, const cli_common *c,
                       const char *diagram)
{
    json_t *doc = cli_json_document(), *part = NULL;
    if (!doc) {
        cli_out_of_memory();
        return false;
    }
    json_object_set_new(doc, "file", cli_json_text(l->path));
    bool ok = report_summary(l, c, NULL, &part) &&
              add_part(doc, "summary", part);
    ok = ok && report_loops(l, c, NULL, &part) && add_part(doc, "loops", part);
    if (ok && l->focus) {
        ok = report_exposure(l, c, NULL, &part) &&
             add_part(doc, "exposure", part);
        ok = ok && report_stress(l, c, NULL, &part) &&
             add_part(doc, "stress", part);
    } else if (ok) {
        json_object_set_new(doc, "exposure", json_null());
        json_object_set_new(doc, "stress", json_null());
    }
    json_object_set_new(doc, "diagram",
                        cli_json_text(diagram));
    ok = ok && cli_json_write(doc, out);
    json_decref(doc);
    return ok;
}

/* Writes the SVG (len bytes, not NUL-terminated) without its XML prolog
 * and doctype, for inlining. */
static void put_svg_element(FILE *out, const char *svg, size_t len)
{
    static const char tag[] = "<svg";
    size_t at = 0;
    while (at + 4 <= len && memcmp(svg + at, tag, 4) != 0)
        at++;
    if (at + 4 > len)
        at = 0;
    fwrite(svg + at, 1, len - at, out);
}

static bool write_html(FILE *out, const dg_ledger *l, const cli_common *c,
                       const char *svg, size_t svglen)
{
    char *md = NULL;
    size_t mdlen = 0;
    FILE *mem = open_memstream(&md, &mdlen);
    if (!mem) {
        cli_error("report: out of memory");
        return false;
    }
    cli_common as_md = *c; /* the page is written from the Markdown */
    as_md.format = CLI_OUT_MD;
    bool ok = write_md(mem, l, &as_md, NULL, true);
    if (fclose(mem) != 0 || !md)
        ok = false;
    if (ok) {
        dg_buf title;
        dg_buf_init(&title);
        dg_buf_printf(&title, "dealgraph report: %s", title_of(l));
        if (title.oom)
            cli_out_of_memory(); /* the page is not kept */
        html_begin(out, title.data ? title.data : "dealgraph report");
        dg_buf_finish(&title);
        /* The picture goes where the Markdown has its placeholder. */
        char *at = strstr(md, "@@DIAGRAM@@\n");
        if (at)
            *at = '\0';
        html_from_markdown(out, md);
        if (at) {
            fputs("<figure>\n", out);
            put_svg_element(out, svg, svglen);
            fputs("<figcaption>Value moves along the arrows. Legs on a closed "
                  "loop are drawn strong; the legend is in the picture."
                  "</figcaption>\n</figure>\n",
                  out);
            html_from_markdown(out, at + strlen("@@DIAGRAM@@\n"));
        }
        html_end(out);
    }
    free(md);
    return ok && !ferror(out);
}

int cmd_report(int argc, char **argv)
{
    static const struct option options[] = {
        CLI_COMMON_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    cli_common c;
    cli_common_init(&c, (1u << CLI_OUT_TEXT) | (1u << CLI_OUT_MD) |
                            (1u << CLI_OUT_JSON) | (1u << CLI_OUT_HTML));
    int opt;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "f:o:h", options, NULL)) != -1) {
        if (opt == 'h') {
            cli_help(help);
            return EXIT_OK;
        }
        if (opt == '?')
            return cli_bad_option("report", argv);
        int r = cli_common_option(&c, "report", opt, optarg);
        if (r < 0)
            return EXIT_TROUBLE;
        if (r == 0)
            return cli_bad_option("report", argv);
    }
    dg_ledger *l = cli_load_one(&c, "report", "FILE", argc, argv);
    if (!l)
        return EXIT_TROUBLE;
    int code = EXIT_TROUBLE;
    char *svg = NULL, *beside = NULL;
    size_t svglen = 0;
    bool to_file = c.output && strcmp(c.output, "-") != 0;
    bool want_svg = c.format == CLI_OUT_HTML ||
                    (to_file && (c.format == CLI_OUT_MD ||
                                 c.format == CLI_OUT_JSON));
    if (want_svg && render_svg(l, &c, &svg, &svglen) != DG_OK)
        goto done;
    if (to_file && c.format != CLI_OUT_HTML && c.format != CLI_OUT_TEXT) {
        beside = svg_beside(c.output);
        if (!beside) {
            cli_error("report: out of memory");
            goto done;
        }
        if (strcmp(beside, c.output) == 0) {
            cli_error("report: the diagram beside %s would have the report's "
                      "own name; give the report a .md or .json name",
                      c.output);
            goto done;
        }
    }
    cli_output out, pic;
    unsigned long said = cli_errors_said(); /* errors printed before */
    if (!cli_output_open_as(&out, &c))
        goto done;
    bool ok;
    switch (c.format) {
    case CLI_OUT_MD:
        ok = write_md(out.f, l, &c, beside ? dg_basename(beside) : NULL,
                      false);
        break;
    case CLI_OUT_JSON:
        ok = write_json(out.f, l, &c, beside ? dg_basename(beside) : NULL);
        break;
    case CLI_OUT_HTML:
        ok = write_html(out.f, l, &c, svg, svglen);
        break;
    default:
        ok = write_text(out.f, l, &c);
        break;
    }
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
                  c.output ? c.output : "the report",
                  cli_errors_said() > said ? "" : " (a write failed)");
done:
    free(svg);
    free(beside);
    dg_ledger_destroy(l);
    dg_render_shutdown();
    return code;
}
