/*
 * exposure_year.h - the document of `dealgraph exposure --basis year`:
 * the per-year figures of yearly.h as tables, lines and notes (one year in
 * detail, or one column per year for the headline figures), a CSV table
 * and the JSON form. Every figure that rests on an assumption or lacks its
 * input says so beside it or in a note naming the company.
 */
#ifndef CLI_EXPOSURE_YEAR_H
#define CLI_EXPOSURE_YEAR_H

#include "cli.h"
#include "dealgraph/yearly.h"

typedef struct exposure_year_view {
    const dg_ledger *l;
    const dg_yearly *y;
    const cli_common *c;
    bool by_name;        /* rows by name, else by revenue dependence */
    size_t top;          /* the first `top` companies; 0: all */
    const char *years_why; /* how the years were chosen, for the lede */
} exposure_year_view;

/* Adds the document (and, for JSON, its value) to `d`. */
void exposure_year_document(cli_doc *d, const exposure_year_view *v);

#endif
