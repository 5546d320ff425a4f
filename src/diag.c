/*
 * diag.c - the diagnostics list the loaders and checks fill, and the
 * names of status codes.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

const char *dg_strerror(int code)
{
    switch (code) {
    case DG_OK: return "success";
    case DG_EINPUT: return "invalid input";
    case DG_EIO: return "input/output error";
    case DG_ENOMEM: return "out of memory";
    case DG_EUSAGE: return "invalid argument";
    case DG_ELIMIT: return "limit reached";
    case DG_EINTERNAL: return "internal library error";
    default: return "unknown error";
    }
}

void dg_diags_init(dg_diags *d) { memset(d, 0, sizeof *d); }

void dg_diags_finish(dg_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->count; i++) {
        free(d->items[i].file);
        free(d->items[i].message);
    }
    free(d->items);
    memset(d, 0, sizeof *d);
}

int dg_diags_add(dg_diags *d, dg_severity sev, const char *file, long line,
                 const char *fmt, ...)
{
    if (!d)
        return DG_OK;
    /* Count first: even when memory runs out, callers must see that an
     * error happened. */
    if (sev == DG_SEV_ERROR)
        d->errors++;
    else
        d->warnings++;
    if (d->count == d->capacity) {
        size_t cap = d->capacity ? d->capacity * 2 : 16;
        dg_diag *p = realloc(d->items, cap * sizeof *p);
        if (!p) {
            d->oom = true;
            return DG_ENOMEM;
        }
        d->items = p;
        d->capacity = cap;
    }
    dg_buf b;
    dg_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    char small[512];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof small) {
        dg_buf_put(&b, small, (size_t)n);
    } else if (n >= 0) {
        char *big = malloc((size_t)n + 1);
        if (big) {
            va_start(ap, fmt);
            vsnprintf(big, (size_t)n + 1, fmt, ap);
            va_end(ap);
            dg_buf_put(&b, big, (size_t)n);
            free(big);
        } else {
            b.oom = true;
        }
    }
    /* A message is one printable line whatever the input held: company
     * names and values reach many messages, and a raw newline or escape
     * sequence would break FILE:LINE output (or drive the terminal). */
    if (!b.oom && b.data) {
        bool raw = false;
        for (const char *p = b.data; *p && !raw; p++)
            raw = (unsigned char)*p < 0x20 || *p == 0x7f;
        if (raw) {
            dg_buf q;
            dg_buf_init(&q);
            dg_quote(b.data, SIZE_MAX, &q);
            dg_buf_finish(&b);
            b = q;
        }
    }
    char *msg = dg_buf_take(&b);
    char *f = file ? dg_strdup(file) : NULL;
    if (!msg || (file && !f)) {
        free(msg);
        free(f);
        d->oom = true;
        return DG_ENOMEM;
    }
    d->items[d->count++] = (dg_diag){sev, f, line, msg};
    return DG_OK;
}

static int diag_cmp(const dg_diag *a, const dg_diag *b)
{
    int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
    if (c)
        return c;
    return (a->line > b->line) - (a->line < b->line);
}

void dg_diags_sort(dg_diags *d)
{
    /* A stable merge sort: lists can be long on broken input, and equal
     * keys keep the order the checks found them in. */
    if (d->count < 2)
        return;
    dg_diag *tmp = malloc(d->count * sizeof *tmp);
    if (!tmp) {
        d->oom = true;
        return;
    }
    dg_diag *src = d->items, *dst = tmp;
    for (size_t width = 1; width < d->count; width *= 2) {
        for (size_t lo = 0; lo < d->count; lo += 2 * width) {
            size_t mid = lo + width < d->count ? lo + width : d->count;
            size_t hi = lo + 2 * width < d->count ? lo + 2 * width : d->count;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = diag_cmp(&src[j], &src[i]) < 0 ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        dg_diag *t = src;
        src = dst;
        dst = t;
    }
    if (src != d->items)
        memcpy(d->items, src, d->count * sizeof *src);
    free(tmp);
}
