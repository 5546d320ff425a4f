/*
 * output.h - tables and JSON documents, written as text, Markdown, CSV or
 * JSON by a table of writers, so that every command shares one walk over
 * its results and one look.
 */
#ifndef DG_OUTPUT_H
#define DG_OUTPUT_H

#include "dealgraph/dealgraph.h"

#include <jansson.h>
#include <stdio.h>

typedef enum {
    DG_CELL_NONE,  /* empty in text, null in JSON */
    DG_CELL_TEXT,
    DG_CELL_INT,
    DG_CELL_NUMBER, /* a plain number, 4 significant decimals in text */
    DG_CELL_MONEY,  /* USD; NaN prints "undisclosed" and is null in JSON */
    DG_CELL_SHARE,  /* a fraction; "12.3%" in text, 0.123 in JSON */
    DG_CELL_BOOL,
} dg_cell_type;

typedef struct dg_cell {
    dg_cell_type type;
    char *text; /* owned by the table */
    double num;
    long long i;
} dg_cell;

typedef struct dg_column {
    const char *key;   /* JSON and CSV name: "direct_inflow_share" */
    const char *title; /* text and Markdown heading: "inflow from focus" */
} dg_column;

typedef struct dg_table {
    const dg_column *columns; /* the caller's, static */
    size_t ncols;
    dg_cell *cells; /* nrows * ncols, row-major */
    size_t nrows, cap_rows;
    bool oom;
} dg_table;

void dg_table_init(dg_table *t, const dg_column *columns, size_t ncols);
void dg_table_finish(dg_table *t);
/* Starts a new row of empty cells; set them with the setters below. */
void dg_table_row(dg_table *t);
void dg_table_text(dg_table *t, size_t col, const char *text);
void dg_table_int(dg_table *t, size_t col, long long v);
void dg_table_number(dg_table *t, size_t col, double v);
void dg_table_money(dg_table *t, size_t col, double v);
void dg_table_share(dg_table *t, size_t col, double v);
void dg_table_bool(dg_table *t, size_t col, bool v);

typedef enum {
    DG_OUT_TEXT,
    DG_OUT_MD,
    DG_OUT_CSV,
    DG_OUT_JSON,
    DG_OUT_HTML,
} dg_out_format;

bool dg_out_format_parse(const char *text, dg_out_format *out);
const char *dg_out_format_name(dg_out_format f);

/* Writes the table in a row-oriented format (text, md, csv); returns
 * false on a write error. */
bool dg_table_write(const dg_table *t, dg_out_format f, FILE *out);
/* The table as a JSON array of objects keyed by column key. New
 * reference; NULL when memory runs out. */
json_t *dg_table_json(const dg_table *t);

/* A new JSON document with the "dealgraph": {version, schema} header. */
json_t *dg_json_document(void);
/* Writes a JSON document deterministically (keys in insertion order,
 * two-space indent, a final newline). false on a write error. */
bool dg_json_write(json_t *doc, FILE *out);
/* JSON for a money amount: a number, or null when NaN. */
json_t *dg_json_money(double v);
/* JSON for a date: "2025-09-22", or null when unset. */
json_t *dg_json_date(dg_date d);
/* JSON for text that may not be UTF-8, such as a file name from the
 * command line (jansson refuses such a string): each byte that is not
 * part of valid UTF-8 becomes U+FFFD. null for NULL; NULL when memory
 * runs out. */
json_t *dg_json_text(const char *s);

#endif
