/*
 * html.c - Markdown (the subset dealgraph writes) to HTML for the report.
 */
#include "html.h"
#include "cli.h"

#include <stdlib.h>
#include <string.h>

void html_escape(FILE *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n && s[i]; i++) {
        switch (s[i]) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(s[i], out);
        }
    }
}

/* Inline markup: `code`, **bold**, \| as |. */
static void inline_md(FILE *out, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] == '\\' && i + 1 < n && s[i + 1] == '|') {
            fputc('|', out);
            i += 2;
        } else if (s[i] == '`') {
            const char *end = memchr(s + i + 1, '`', n - i - 1);
            if (!end) {
                html_escape(out, s + i, 1);
                i++;
                continue;
            }
            fputs("<code>", out);
            html_escape(out, s + i + 1, (size_t)(end - s - i - 1));
            fputs("</code>", out);
            i = (size_t)(end - s) + 1;
        } else if (s[i] == '*' && i + 1 < n && s[i + 1] == '*') {
            const char *end = NULL;
            for (size_t k = i + 2; k + 1 < n; k++)
                if (s[k] == '*' && s[k + 1] == '*') {
                    end = s + k;
                    break;
                }
            if (!end) {
                html_escape(out, s + i, 2);
                i += 2;
                continue;
            }
            fputs("<strong>", out);
            inline_md(out, s + i + 2, (size_t)(end - s - i - 2));
            fputs("</strong>", out);
            i = (size_t)(end - s) + 2;
        } else {
            html_escape(out, s + i, 1);
            i++;
        }
    }
}

/* The cells of a table row "| a | b |" (pipes escaped as \| stay inside
 * cells). Returns the count; fills starts/lens. */
static size_t cells(const char *line, size_t n, const char **starts,
                    size_t *lens, size_t max)
{
    size_t count = 0, i = 0;
    if (i < n && line[i] == '|')
        i++;
    while (i < n && count < max) {
        size_t a = i;
        while (i < n && !(line[i] == '|' && (i == 0 || line[i - 1] != '\\')))
            i++;
        size_t b = i;
        while (a < b && line[a] == ' ')
            a++;
        while (b > a && line[b - 1] == ' ')
            b--;
        if (i >= n && b == a && a == i)
            break; /* trailing pipe */
        starts[count] = line + a;
        lens[count] = b - a;
        count++;
        if (i < n)
            i++;
    }
    return count;
}

typedef struct line {
    const char *s;
    size_t n;
} line;

static bool starts(const line *l, const char *p)
{
    size_t k = strlen(p);
    return l->n >= k && memcmp(l->s, p, k) == 0;
}

/* Headings are numbered through the page (html_begin starts again). */
static unsigned heading_number;

void html_from_markdown(FILE *out, const char *md)
{
    /* split into lines */
    size_t cap = 256, nl = 0;
    line *ls = malloc(cap * sizeof *ls);
    if (!ls) {
        cli_out_of_memory(); /* the page is not kept */
        return;
    }
    for (const char *p = md; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (nl == cap) {
            cap *= 2;
            line *q = realloc(ls, cap * sizeof *ls);
            if (!q) {
                free(ls);
                cli_out_of_memory();
                return;
            }
            ls = q;
        }
        ls[nl++] = (line){p, n};
        p += n + (e != NULL);
    }
    size_t i = 0;
    while (i < nl) {
        line *l = &ls[i];
        if (l->n == 0) {
            i++;
        } else if (starts(l, "```")) {
            fputs("<pre>", out);
            i++;
            while (i < nl && !starts(&ls[i], "```")) {
                html_escape(out, ls[i].s, ls[i].n);
                fputc('\n', out);
                i++;
            }
            fputs("</pre>\n", out);
            i++;
        } else if (l->s[0] == '#') {
            size_t level = 0;
            while (level < l->n && l->s[level] == '#')
                level++;
            size_t skip = level < l->n && l->s[level] == ' ' ? level + 1 : level;
            if (level > 4)
                level = 4;
            /* an id for links into the page */
            fprintf(out, "<h%zu id=\"section-%u\">", level, ++heading_number);
            inline_md(out, l->s + skip, l->n - skip);
            fprintf(out, "</h%zu>\n", level);
            i++;
        } else if (l->s[0] == '|') {
            /* header, separator, rows */
            const char *cs[64];
            size_t cl[64];
            bool right[64] = {false};
            size_t ncols = cells(l->s, l->n, cs, cl, 64);
            if (i + 1 < nl && ls[i + 1].n && ls[i + 1].s[0] == '|') {
                const char *ss[64];
                size_t sl[64];
                size_t k = cells(ls[i + 1].s, ls[i + 1].n, ss, sl, 64);
                for (size_t c = 0; c < k && c < 64; c++)
                    right[c] = sl[c] && ss[c][sl[c] - 1] == ':';
            }
            fputs("<div class=\"table\"><table>\n<thead><tr>", out);
            for (size_t c = 0; c < ncols; c++) {
                fputs(right[c] ? "<th class=\"num\">" : "<th>", out);
                inline_md(out, cs[c], cl[c]);
                fputs("</th>", out);
            }
            fputs("</tr></thead>\n<tbody>\n", out);
            i += 2;
            while (i < nl && ls[i].n && ls[i].s[0] == '|') {
                size_t k = cells(ls[i].s, ls[i].n, cs, cl, 64);
                fputs("<tr>", out);
                for (size_t c = 0; c < k; c++) {
                    fputs(c < 64 && right[c] ? "<td class=\"num\">" : "<td>",
                          out);
                    inline_md(out, cs[c], cl[c]);
                    fputs("</td>", out);
                }
                fputs("</tr>\n", out);
                i++;
            }
            fputs("</tbody></table></div>\n", out);
        } else if (starts(l, "- ")) {
            fputs("<ul>\n", out);
            while (i < nl && starts(&ls[i], "- ")) {
                fputs("<li>", out);
                inline_md(out, ls[i].s + 2, ls[i].n - 2);
                i++;
                /* continuation lines indented under the item */
                while (i < nl && starts(&ls[i], "  ") && !starts(&ls[i], "- ")) {
                    fputc(' ', out);
                    inline_md(out, ls[i].s + 2, ls[i].n - 2);
                    i++;
                }
                fputs("</li>\n", out);
            }
            fputs("</ul>\n", out);
        } else {
            fputs("<p>", out);
            while (i < nl && ls[i].n && ls[i].s[0] != '#' &&
                   ls[i].s[0] != '|' && !starts(&ls[i], "- ") &&
                   !starts(&ls[i], "```")) {
                size_t n = ls[i].n;
                bool br = n >= 2 && ls[i].s[n - 1] == ' ' && ls[i].s[n - 2] == ' ';
                while (n && ls[i].s[n - 1] == ' ')
                    n--;
                inline_md(out, ls[i].s, n);
                fputs(br ? "<br>\n" : "\n", out);
                i++;
            }
            fputs("</p>\n", out);
        }
    }
    free(ls);
}

void html_begin(FILE *out, const char *title)
{
    heading_number = 0;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>",
          out);
    html_escape(out, title, strlen(title));
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

void html_end(FILE *out) { fputs("</main>\n</body>\n</html>\n", out); }
