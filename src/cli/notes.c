/*
 * notes.c - bullets under a table, wrapped at word boundaries.
 */
#include "notes.h"
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void cli_note(FILE *out, bool md, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    char *s = malloc((size_t)n + 1);
    if (!s) {
        cli_out_of_memory(); /* the output is not kept */
        return;
    }
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    if (md) {
        fprintf(out, "- %s\n", s);
        free(s);
        return;
    }
    /* Greedy word wrap; a word longer than the line goes on a line of its
     * own. Widths count bytes, enough for the ASCII text of the notes. */
    const char *p = s;
    size_t col = 0, indent = 2;
    fputs("  ", out);
    col = indent;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t w = strcspn(p, " ");
        if (col > indent && col + 1 + w > CLI_NOTE_WIDTH) {
            fputs("\n    ", out);
            indent = 4;
            col = indent;
        } else if (col > indent) {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, w, out);
        col += w;
        p += w;
    }
    fputc('\n', out);
    free(s);
}
