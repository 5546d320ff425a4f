/*
 * doc.h - what a command writes, as one document: headings, lines,
 * paragraphs, tables, notes and figures in order, and the JSON form of the
 * same results. The command builds the document once; the writer of the
 * chosen format writes it whole (doc_write), from a table of writers:
 *
 *   text  headings as plain lines, "lines" indented by two spaces, notes
 *         as wrapped bullets, tables aligned in columns
 *   md    GitHub Markdown: "##" headings, pipe tables, "- " notes
 *   html  the same blocks as HTML elements in one self-contained page
 *   csv   the document's machine table(s) only
 *   json  the JSON value set with doc_json, written deterministically
 *   svg   the document's first chart alone (doc_chart)
 *
 * A block can be kept to some formats (a mask of DOC_* bits): exposure
 * shows two narrow tables to people and one wide table to CSV.
 */
#ifndef CLI_DOC_H
#define CLI_DOC_H

#include "output.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/* Format masks: bit (1u << format). */
#define DOC_TEXT (1u << CLI_OUT_TEXT)
#define DOC_MD (1u << CLI_OUT_MD)
#define DOC_HTML (1u << CLI_OUT_HTML)
#define DOC_CSV (1u << CLI_OUT_CSV)
#define DOC_JSON (1u << CLI_OUT_JSON)
#define DOC_SVG (1u << CLI_OUT_SVG)
#define DOC_HUMAN (DOC_TEXT | DOC_MD | DOC_HTML) /* what people read */

typedef enum {
    DOC_HEADING, /* level 1-3 */
    DOC_LINES,   /* short facts, one per line, under a heading */
    DOC_PARA,    /* a paragraph (may hold line breaks) */
    DOC_TABLE,
    DOC_NOTES,   /* bullets */
    DOC_FIGURE,  /* a picture: inline SVG in HTML, a link in Markdown */
} doc_block_type;

typedef struct doc_block {
    doc_block_type type;
    unsigned formats; /* where it is shown */
    int level;        /* heading level; for a paragraph, 1 = strong */
    char **items;     /* heading and paragraph: one; lines, notes: n */
    size_t n, cap;
    cli_table table;  /* DOC_TABLE, owned */
    const char *svg;  /* DOC_FIGURE: the caller's, valid until doc_write,
                         or own_svg */
    char *own_svg;    /* doc_chart's, owned */
    size_t svg_len;
    char *href;       /* DOC_FIGURE: the picture beside a Markdown file */
} doc_block;

typedef struct cli_doc {
    doc_block *blocks;
    size_t n, cap;
    json_t *json; /* the JSON form, owned; NULL until doc_json */
    unsigned only; /* doc_only's mask; 0 = none */
    bool oom;      /* an allocation failed: the document is incomplete */
} cli_doc;

void doc_init(cli_doc *d);
void doc_finish(cli_doc *d);

/* Level 1 is the document's own title (a report), 2 a command's title, 3
 * a section of it. printf-style, as are the other text blocks. */
void doc_heading(cli_doc *d, int level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* One line of a block of lines; consecutive calls make one block. */
void doc_line(cli_doc *d, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void doc_para(cli_doc *d, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A paragraph set in bold (a verdict: "3 of 3 rules broken"). */
void doc_strong(cli_doc *d, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* One bullet; consecutive calls make one list. */
void doc_note(cli_doc *d, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Takes the table (t is left empty), shown in `formats` (0: everywhere
 * but JSON, whose form the command builds itself). */
void doc_table(cli_doc *d, cli_table *t, unsigned formats);
/* A picture: `svg` (len bytes, the caller's until doc_write) inline in
 * HTML; in Markdown an image link to `href` when given, else nothing. */
void doc_figure(cli_doc *d, const char *svg, size_t len, const char *href,
                const char *caption);
/* A chart (chart.h) the document takes: inline in HTML, the whole output
 * of --format svg; `svg` is taken even when memory runs out. Markdown and
 * text show the caption's table instead (the caller adds it). */
void doc_chart(cli_doc *d, char *svg, size_t len, const char *caption);
/* Keeps the next blocks to `formats` until the next doc_only(d, 0). */
void doc_only(cli_doc *d, unsigned formats);

/* The document's JSON value (a new reference is taken). */
void doc_json(cli_doc *d, json_t *value);

/* Moves the blocks of `part` to the end of `d`, and its JSON value under
 * `key` of d's JSON object (without the part's "dealgraph" header). part
 * is left empty. */
void doc_adopt(cli_doc *d, cli_doc *part, const char *key);

/* Writes the document whole in `format`. Returns false after reporting
 * (out of memory: cli_out_of_memory; a failed write is left to
 * cli_output_close). */
bool doc_write(const cli_doc *d, cli_out_format format, FILE *out);

#endif
