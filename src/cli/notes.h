/*
 * notes.h - the "System" and "Notes" lines under a command's table in text
 * and Markdown: one bullet per call, wrapped for a terminal.
 */
#ifndef DG_CLI_NOTES_H
#define DG_CLI_NOTES_H

#include <stdbool.h>
#include <stdio.h>

/* Text wraps at this many columns; Markdown is not wrapped. */
#define CLI_NOTE_WIDTH 100

/* Writes one bullet: in text "  " + the message wrapped at
 * CLI_NOTE_WIDTH with continuation lines indented by four spaces; in
 * Markdown "- " + the message on one line. A trailing newline is added.
 * printf-style. */
void cli_note(FILE *out, bool md, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
