/*
 * chart.h - small SVG charts for documents (a figure in HTML and beside
 * Markdown, `--format svg` of a command that draws one): lines over
 * periods and stacked bars per period. Written by hand, deterministic to
 * the byte, no fonts measured (text is placed, not fitted).
 */
#ifndef CLI_CHART_H
#define CLI_CHART_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { CHART_MONEY, CHART_SHARE, CHART_COUNT } chart_unit;

typedef struct chart_series {
    const char *name;
    const double *values; /* one per x label; NaN = no value (a gap) */
} chart_series;

typedef struct chart {
    const char *title;
    const char *const *x;  /* the x labels ("2025", "2025-Q3") */
    size_t nx;
    const chart_series *series;
    size_t nseries;
    chart_unit unit;
    bool stacked;          /* bars stacked per x; else lines */
    const char *note;      /* a line under the chart (what it rests on) */
} chart;

/* The chart as one SVG document (malloc'd, *len bytes, NUL-terminated),
 * or NULL when memory runs out. */
char *chart_svg(const chart *c, size_t *len);

#endif
