/*
 * text.h - text helpers the library builds its messages with and offers
 * to its callers: a growable buffer (the API's text functions fill one),
 * a UTF-8 check and the last component of a path.
 */
#ifndef DG_TEXT_H
#define DG_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* A growable NUL-terminated byte buffer. A failed allocation sets `oom`
 * and later appends do nothing, so callers check once at the end. */
typedef struct dg_buf {
    char *data;
    size_t len, cap;
    bool oom;
} dg_buf;

void dg_buf_init(dg_buf *b);
void dg_buf_finish(dg_buf *b);
void dg_buf_clear(dg_buf *b);
void dg_buf_putc(dg_buf *b, char c);
void dg_buf_put(dg_buf *b, const char *s, size_t n);
void dg_buf_puts(dg_buf *b, const char *s);
void dg_buf_printf(dg_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Takes the buffer's string (caller frees); the buffer is left empty. */
char *dg_buf_take(dg_buf *b);

/* The last component of a path ("graphs/ai.dot" -> "ai.dot"), inside
 * `path`. */
const char *dg_basename(const char *path);

/* Offset of the first byte that is not valid UTF-8, or len when all is. */
size_t dg_utf8_check(const char *s, size_t len);

/* Offset of the first byte that is not valid UTF-8, or len when all is. */
size_t dg_utf8_check(const char *s, size_t len);

#endif
