/*
 * html.h - the HTML report: dealgraph's own Markdown (the report's md
 * form) turned into HTML, with a stylesheet, in one self-contained page.
 */
#ifndef DG_CLI_HTML_H
#define DG_CLI_HTML_H

#include <stdbool.h>
#include <stdio.h>

/* Writes the body of the page for Markdown `md`: headings, paragraphs,
 * line breaks, lists, pipe tables (with their column alignment), inline
 * code and bold. Text is HTML-escaped. Only the subset dealgraph writes is
 * understood; anything else comes out as escaped text. */
void html_from_markdown(FILE *out, const char *md);

/* Writes the page head (title escaped, inline stylesheet, no external
 * resource) and foot. */
void html_begin(FILE *out, const char *title);
void html_end(FILE *out);
/* Writes text with &, <, >, " escaped. */
void html_escape(FILE *out, const char *s, size_t n);

#endif
