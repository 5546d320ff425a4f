/*
 * doc.c - documents and their writers (doc.h).
 */
#include "doc.h"
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Text notes wrap at this many columns; Markdown is not wrapped. */
#define NOTE_WIDTH 100

void doc_init(cli_doc *d) { memset(d, 0, sizeof *d); }

static void block_finish(doc_block *b)
{
    for (size_t i = 0; i < b->n; i++)
        free(b->items[i]);
    free(b->items);
    free(b->href);
    free(b->own_svg);
    if (b->type == DOC_TABLE)
        cli_table_finish(&b->table);
}

void doc_finish(cli_doc *d)
{
    for (size_t i = 0; i < d->n; i++)
        block_finish(&d->blocks[i]);
    free(d->blocks);
    json_decref(d->json);
    memset(d, 0, sizeof *d);
}

/* ---- building ------------------------------------------------------------ */

static doc_block *new_block(cli_doc *d, doc_block_type type)
{
    if (d->oom)
        return NULL;
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 16;
        doc_block *p = realloc(d->blocks, cap * sizeof *p);
        if (!p) {
            d->oom = true;
            return NULL;
        }
        d->blocks = p;
        d->cap = cap;
    }
    doc_block *b = &d->blocks[d->n++];
    memset(b, 0, sizeof *b);
    b->type = type;
    b->formats = d->only ? d->only : DOC_HUMAN;
    return b;
}

/* The block to add an item to: the last one when it is of `type` and
 * shown in the same formats (lines and notes run on), else a new one. */
static doc_block *block_for(cli_doc *d, doc_block_type type, bool run_on)
{
    unsigned formats = d->only ? d->only : DOC_HUMAN;
    if (run_on && d->n && d->blocks[d->n - 1].type == type &&
        d->blocks[d->n - 1].formats == formats)
        return &d->blocks[d->n - 1];
    return new_block(d, type);
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 0)))
#endif
static void add_item(cli_doc *d, doc_block *b, const char *fmt, va_list ap)
{
    if (!b)
        return;
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    if (s && b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 4;
        char **p = realloc(b->items, cap * sizeof *p);
        if (p) {
            b->items = p;
            b->cap = cap;
        }
    }
    if (!s || b->n == b->cap) {
        free(s);
        d->oom = true;
        return;
    }
    b->items[b->n++] = s;
}

void doc_heading(cli_doc *d, int level, const char *fmt, ...)
{
    doc_block *b = block_for(d, DOC_HEADING, false);
    if (b)
        b->level = level < 1 ? 1 : level > 3 ? 3 : level;
    va_list ap;
    va_start(ap, fmt);
    add_item(d, b, fmt, ap);
    va_end(ap);
}

void doc_line(cli_doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_item(d, block_for(d, DOC_LINES, true), fmt, ap);
    va_end(ap);
}

void doc_para(cli_doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_item(d, block_for(d, DOC_PARA, false), fmt, ap);
    va_end(ap);
}

void doc_strong(cli_doc *d, const char *fmt, ...)
{
    doc_block *b = block_for(d, DOC_PARA, false);
    if (b)
        b->level = 1;
    va_list ap;
    va_start(ap, fmt);
    add_item(d, b, fmt, ap);
    va_end(ap);
}

void doc_note(cli_doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_item(d, block_for(d, DOC_NOTES, true), fmt, ap);
    va_end(ap);
}

void doc_table(cli_doc *d, cli_table *t, unsigned formats)
{
    doc_block *b = new_block(d, DOC_TABLE);
    if (!b || t->oom) {
        d->oom = true;
        cli_table_finish(t);
        return;
    }
    if (formats)
        b->formats = formats;
    else if (!d->only)
        b->formats = DOC_HUMAN | DOC_CSV;
    b->table = *t;
    memset(t, 0, sizeof *t);
}

void doc_figure(cli_doc *d, const char *svg, size_t len, const char *href,
                const char *caption)
{
    doc_block *b = new_block(d, DOC_FIGURE);
    if (!b)
        return;
    b->svg = svg;
    b->svg_len = len;
    b->href = href ? strdup(href) : NULL;
    b->items = malloc(sizeof *b->items);
    if (b->items)
        b->items[0] = strdup(caption ? caption : "");
    if ((href && !b->href) || !b->items || !b->items[0]) {
        if (b->items && !b->items[0]) {
            free(b->items);
            b->items = NULL;
        }
        d->oom = true;
        return;
    }
    b->n = b->cap = 1;
}

void doc_chart(cli_doc *d, char *svg, size_t len, const char *caption)
{
    if (!svg) {
        d->oom = true;
        return;
    }
    doc_block *b = new_block(d, DOC_FIGURE);
    if (!b) {
        free(svg);
        return;
    }
    b->formats = DOC_HTML | DOC_SVG;
    b->own_svg = svg;
    b->svg = svg;
    b->svg_len = len;
    b->items = malloc(sizeof *b->items);
    if (b->items)
        b->items[0] = strdup(caption ? caption : "");
    if (!b->items || !b->items[0]) {
        free(b->items);
        b->items = NULL;
        d->oom = true;
        return;
    }
    b->n = b->cap = 1;
}

void doc_only(cli_doc *d, unsigned formats) { d->only = formats; }

void doc_json(cli_doc *d, json_t *value)
{
    json_decref(d->json);
    d->json = value;
    if (!value)
        d->oom = true;
}

void doc_adopt(cli_doc *d, cli_doc *part, const char *key)
{
    if (part->oom)
        d->oom = true;
    for (size_t i = 0; i < part->n; i++) {
        doc_block *b = new_block(d, part->blocks[i].type);
        if (!b) {
            block_finish(&part->blocks[i]);
            continue;
        }
        *b = part->blocks[i];
    }
    part->n = 0;
    if (key && d->json && part->json) {
        json_object_del(part->json, "dealgraph");
        if (json_object_set(d->json, key, part->json) != 0)
            d->oom = true;
    } else if (key && d->json) {
        if (json_object_set_new(d->json, key, json_null()) != 0)
            d->oom = true;
    }
    doc_finish(part);
}

/* ---- the writers --------------------------------------------------------- */

/* How one format writes each kind of block. */
typedef struct block_writer {
    cli_out_format format;
    bool blank_after_heading; /* a blank line between a heading and what
                                 follows it */
    void (*begin)(FILE *out, const cli_doc *d);
    void (*heading)(FILE *out, int level, const char *s);
    void (*lines)(FILE *out, char *const *items, size_t n);
    void (*para)(FILE *out, const char *s, bool strong);
    void (*notes)(FILE *out, char *const *items, size_t n);
    bool (*figure)(FILE *out, const doc_block *b); /* false: nothing written */
    void (*end)(FILE *out);
} block_writer;

/* text */

static void text_heading(FILE *out, int level, const char *s)
{
    fprintf(out, "%s\n", s);
    if (level == 1) { /* a document's own title, underlined */
        for (const char *p = s; *p; p++)
            if (((unsigned char)*p & 0xc0) != 0x80)
                fputc('=', out);
        fputc('\n', out);
    }
}

static void text_lines(FILE *out, char *const *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(out, "  %s\n", items[i]);
}

static void text_para(FILE *out, const char *s, bool strong)
{
    (void)strong;
    fprintf(out, "%s\n", s);
}

/* One bullet, "  " + the text wrapped at NOTE_WIDTH columns with
 * continuation lines indented by four spaces. Greedy; a word longer than
 * the line goes on a line of its own. Widths count bytes, enough for the
 * ASCII text of the notes. */
static void text_note(FILE *out, const char *s)
{
    size_t col = 2, indent = 2;
    fputs("  ", out);
    while (*s) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        size_t w = strcspn(s, " ");
        if (col > indent && col + 1 + w > NOTE_WIDTH) {
            fputs("\n    ", out);
            indent = 4;
            col = indent;
        } else if (col > indent) {
            fputc(' ', out);
            col++;
        }
        fwrite(s, 1, w, out);
        col += w;
        s += w;
    }
    fputc('\n', out);
}

static void text_notes(FILE *out, char *const *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        text_note(out, items[i]);
}

static bool no_figure(FILE *out, const doc_block *b)
{
    (void)out;
    (void)b;
    return false;
}

/* Markdown */

static void md_heading(FILE *out, int level, const char *s)
{
    fprintf(out, "%.*s %s\n", level, "###", s);
}

static void md_lines(FILE *out, char *const *items, size_t n)
{
    /* two trailing spaces: a line break inside one paragraph */
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%s\n", items[i], i + 1 < n ? "  " : "");
}

static void md_para(FILE *out, const char *s, bool strong)
{
    fprintf(out, strong ? "**%s**\n" : "%s\n", s);
}

static void md_notes(FILE *out, char *const *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(out, "- %s\n", items[i]);
}

static bool md_figure(FILE *out, const doc_block *b)
{
    if (!b->href)
        return false;
    fprintf(out, "![%s](%s)\n", b->items[0], b->href);
    return true;
}

/* HTML: one self-contained page (an inline stylesheet, no script, no
 * resource fetched). */

static void html_begin(FILE *out, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>",
          out);
    cli_html_escape(out, title);
    fputs("</title>\n<style>\n"
          ":root { --ink: #1d2330; --muted: #5b6473; --rule: #d9dde4; "
          "--band: #f4f6f9; --accent: #b4231f; }\n"
          "body { font: 15px/1.5 \"Liberation Sans\", Arial, Helvetica, "
          "sans-serif; color: var(--ink); margin: 0; background: #fff; }\n"
          "main { max-width: 1180px; margin: 0 auto; padding: 28px 32px 64px; }\n"
          "h1 { font-size: 28px; margin: 0 0 4px; }\n"
          "h2 { font-size: 21px; margin: 40px 0 8px; padding-top: 12px; "
          "border-top: 2px solid var(--ink); }\n"
          "h3 { font-size: 16px; margin: 24px 0 6px; color: var(--muted); "
          "text-transform: uppercase; letter-spacing: .04em; }\n"
          "p, li { max-width: 80ch; }\n"
          "p { margin: 6px 0; }\n"
          ".lede { color: var(--muted); }\n"
          "code { font: 13px \"Liberation Mono\", monospace; background: "
          "var(--band); padding: 1px 4px; border-radius: 3px; }\n"
          ".table { overflow-x: auto; margin: 10px 0 14px; }\n"
          "table { border-collapse: collapse; font-size: 13.5px; }\n"
          "th, td { padding: 5px 10px; border-bottom: 1px solid var(--rule); "
          "text-align: left; vertical-align: top; }\n"
          "th { font-weight: 600; border-bottom: 2px solid var(--ink); "
          "white-space: nowrap; }\n"
          "td.num, th.num { text-align: right; font-variant-numeric: "
          "tabular-nums; white-space: nowrap; }\n"
          "tbody tr:nth-child(even) { background: var(--band); }\n"
          "nav ol { columns: 2; max-width: 600px; padding-left: 20px; }\n"
          "figure { margin: 16px 0; }\n"
          "figure svg { max-width: 100%; height: auto; border: 1px solid "
          "var(--rule); }\n"
          "footer { margin-top: 48px; color: var(--muted); font-size: 13px; }\n"
          "</style>\n</head>\n<body>\n<main>\n",
          out);
}

static void html_end(FILE *out) { fputs("</main>\n</body>\n</html>\n", out); }


static void html_page_begin(FILE *out, const cli_doc *d)
{
    const char *title = "dealgraph";
    for (size_t i = 0; i < d->n; i++)
        if (d->blocks[i].type == DOC_HEADING && d->blocks[i].n) {
            title = d->blocks[i].items[0];
            break;
        }
    html_begin(out, title);
}

static void html_heading(FILE *out, int level, const char *s)
{
    fprintf(out, "<h%d>", level);
    cli_html_escape(out, s);
    fprintf(out, "</h%d>\n", level);
}

static void html_lines(FILE *out, char *const *items, size_t n)
{
    fputs("<p class=\"lede\">", out);
    for (size_t i = 0; i < n; i++) {
        cli_html_escape(out, items[i]);
        fputs(i + 1 < n ? "<br>\n" : "</p>\n", out);
    }
}

static void html_para(FILE *out, const char *s, bool strong)
{
    fputs(strong ? "<p><strong>" : "<p>", out);
    cli_html_escape(out, s);
    fputs(strong ? "</strong></p>\n" : "</p>\n", out);
}

static void html_notes(FILE *out, char *const *items, size_t n)
{
    fputs("<ul>\n", out);
    for (size_t i = 0; i < n; i++) {
        fputs("<li>", out);
        cli_html_escape(out, items[i]);
        fputs("</li>\n", out);
    }
    fputs("</ul>\n", out);
}

static bool html_figure(FILE *out, const doc_block *b)
{
    if (!b->svg)
        return false;
    /* the SVG element without its XML prolog and doctype */
    size_t at = 0;
    while (at + 4 <= b->svg_len && memcmp(b->svg + at, "<svg", 4) != 0)
        at++;
    if (at + 4 > b->svg_len)
        at = 0;
    fputs("<figure>\n", out);
    fwrite(b->svg + at, 1, b->svg_len - at, out);
    if (b->items[0][0]) {
        fputs("<figcaption>", out);
        cli_html_escape(out, b->items[0]);
        fputs("</figcaption>\n", out);
    }
    fputs("</figure>\n", out);
    return true;
}

static const block_writer block_writers[] = {
    {CLI_OUT_TEXT, false, NULL, text_heading, text_lines, text_para,
     text_notes, no_figure, NULL},
    {CLI_OUT_MD, true, NULL, md_heading, md_lines, md_para, md_notes,
     md_figure, NULL},
    {CLI_OUT_HTML, false, html_page_begin, html_heading, html_lines,
     html_para, html_notes, html_figure, html_end},
};

/* Text, Markdown and HTML: every block shown in the format, in order,
 * separated by a blank line (in text, none after a heading; HTML needs
 * none). */
static bool write_blocks(const cli_doc *d, const block_writer *w, FILE *out)
{
    bool ok = true, any = false, after_heading = false;
    unsigned bit = 1u << w->format;
    if (w->begin)
        w->begin(out, d);
    for (size_t i = 0; i < d->n; i++) {
        const doc_block *b = &d->blocks[i];
        if (!(b->formats & bit))
            continue;
        if (b->type == DOC_FIGURE && !b->href && w->format != CLI_OUT_HTML)
            continue;
        if (any && w->format != CLI_OUT_HTML &&
            (!after_heading || w->blank_after_heading))
            fputc('\n', out);
        switch (b->type) {
        case DOC_HEADING: w->heading(out, b->level, b->items[0]); break;
        case DOC_LINES: w->lines(out, b->items, b->n); break;
        case DOC_PARA: w->para(out, b->items[0], b->level == 1); break;
        case DOC_NOTES: w->notes(out, b->items, b->n); break;
        case DOC_FIGURE: w->figure(out, b); break;
        case DOC_TABLE: ok = cli_table_write(&b->table, w->format, out) && ok;
                        break;
        }
        any = true;
        after_heading = b->type == DOC_HEADING;
    }
    if (w->end)
        w->end(out);
    return ok;
}

/* CSV: the machine tables, one after another with a blank line between. */
static bool write_csv(const cli_doc *d, FILE *out)
{
    bool ok = true, any = false;
    for (size_t i = 0; i < d->n; i++) {
        const doc_block *b = &d->blocks[i];
        if (b->type != DOC_TABLE || !(b->formats & DOC_CSV))
            continue;
        if (any)
            fputc('\n', out);
        ok = cli_table_write(&b->table, CLI_OUT_CSV, out) && ok;
        any = true;
    }
    return ok;
}

bool doc_write(const cli_doc *d, cli_out_format format, FILE *out)
{
    if (d->oom) {
        cli_out_of_memory();
        return false;
    }
    if (format == CLI_OUT_JSON)
        return cli_json_write(d->json, out);
    if (format == CLI_OUT_CSV)
        return write_csv(d, out);
    if (format == CLI_OUT_SVG) {
        for (size_t i = 0; i < d->n; i++)
            if (d->blocks[i].type == DOC_FIGURE && d->blocks[i].svg &&
                (d->blocks[i].formats & DOC_SVG))
                return fwrite(d->blocks[i].svg, 1, d->blocks[i].svg_len,
                              out) == d->blocks[i].svg_len;
        return false;
    }
    for (size_t i = 0; i < sizeof block_writers / sizeof block_writers[0];
         i++)
        if (block_writers[i].format == format)
            return write_blocks(d, &block_writers[i], out);
    return false;
}
