/*
 * output.h - tables and JSON documents, written as text, Markdown, CSV or
 * JSON by a table of writers, so that every command shares one walk over
 * its results and one look.
 */
#ifndef CLI_OUTPUT_H
#define CLI_OUTPUT_H

#include "dealgraph/dealgraph.h"

#include <jansson.h>
#include <stdio.h>

typedef enum {
    CLI_CELL_NONE,  /* empty in text, null in JSON */
    CLI_CELL_TEXT,
    CLI_CELL_INT,
    CLI_CELL_NUMBER, /* a plain number, 4 significant decimals in text */
    CLI_CELL_MONEY,  /* USD; NaN prints "undisclosed" and is null in JSON */
    CLI_CELL_SHARE,  /* a fraction; "12.3%" in text, 0.123 in JSON */
    CLI_CELL_BOOL,
} cli_cell_type;

typedef struct cli_cell {
    cli_cell_type type;
    char *text; /* owned by the table */
    double num;
    long long i;
    bool strong; /* set in bold where the format has bold (md, html) */
} cli_cell;

typedef struct cli_column {
    const char *key;   /* JSON and CSV name: "direct_inflow_share" */
    const char *title; /* text and Markdown heading: "inflow from focus" */
} cli_column;

typedef struct cli_table {
    const cli_column *columns; /* the caller's, static, or own_columns */
    cli_column *own_columns;   /* a copy with titles of the table's own
                                  (cli_table_title); NULL until then */
    char **own_titles;
    size_t ncols;
    cli_cell *cells; /* nrows * ncols, row-major */
    size_t nrows, cap_rows;
    bool oom;
} cli_table;

void cli_table_init(cli_table *t, const cli_column *columns, size_t ncols);
void cli_table_finish(cli_table *t);
/* Gives column `col` a title of the table's own (one that names the
 * focus: "from OpenAI"), copied; the table stays valid after the caller's
 * buffers are gone. Out of memory marks the table so (t->oom). */
void cli_table_title(cli_table *t, size_t col, const char *title);
/* Starts a new row of empty cells; set them with the setters below. */
void cli_table_row(cli_table *t);
void cli_table_text(cli_table *t, size_t col, const char *text);
void cli_table_int(cli_table *t, size_t col, long long v);
void cli_table_number(cli_table *t, size_t col, double v);
void cli_table_money(cli_table *t, size_t col, double v);
void cli_table_share(cli_table *t, size_t col, double v);
void cli_table_bool(cli_table *t, size_t col, bool v);
/* Sets the current row's cell `col` in bold (md, html). */
void cli_table_strong(cli_table *t, size_t col);

typedef enum {
    CLI_OUT_TEXT,
    CLI_OUT_MD,
    CLI_OUT_CSV,
    CLI_OUT_JSON,
    CLI_OUT_HTML,
    CLI_OUT_SVG, /* a command's chart alone */
    CLI_OUT_COUNT
} cli_out_format;

bool cli_out_format_parse(const char *text, cli_out_format *out);
const char *cli_out_format_name(cli_out_format f);

/* Writes the table in a row-oriented format (text, md, csv, html);
 * returns false on a write error. */
bool cli_table_emit(const cli_table *t, cli_out_format f, FILE *out);
/* The table as a JSON array of objects keyed by column key. New
 * reference; NULL when memory runs out. */
json_t *cli_table_json(const cli_table *t);

/* A new JSON document with the "dealgraph": {version, schema} header. */
json_t *cli_json_document(void);
/* Writes a JSON document deterministically (keys in insertion order,
 * two-space indent, a final newline). false on a write error. */
bool cli_json_emit(json_t *doc, FILE *out);
/* JSON for a money amount: a number, or null when NaN. */
json_t *cli_json_money(double v);
/* JSON for a date: "2025-09-22", or null when unset. */
json_t *cli_json_date(dg_date d);
/* JSON for text that may not be UTF-8, such as a file name from the
 * command line (jansson refuses such a string): each byte that is not
 * part of valid UTF-8 becomes U+FFFD. null for NULL; NULL when memory
 * runs out. */
json_t *cli_json_text(const char *s);

/* A leg as JSON, with every attribute a reader needs to cite and check it
 * (source, url, note, per, upto, funded, ended, ...); absent ones null.
 * New reference; NULL when memory runs out. */
json_t *cli_json_leg(const dg_leg *g);

/* Writes one CSV field, quoted (RFC 4180) when it holds a comma, a quote
 * or a line break. */
void cli_csv_field(FILE *out, const char *v);
/* Writes text with &, <, > and " escaped for HTML. */
void cli_html_escape(FILE *out, const char *s);

#endif
