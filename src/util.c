/*
 * util.c - strings, growable buffers and whole-file reads.
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void dg_buf_init(dg_buf *b) { memset(b, 0, sizeof *b); }

void dg_buf_finish(dg_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

void dg_buf_clear(dg_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static bool buf_reserve(dg_buf *b, size_t extra)
{
    if (b->oom)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) {
        if (cap > SIZE_MAX / 2) {
            b->oom = true;
            return false;
        }
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void dg_buf_put(dg_buf *b, const char *s, size_t n)
{
    if (!buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void dg_buf_putc(dg_buf *b, char c) { dg_buf_put(b, &c, 1); }

void dg_buf_puts(dg_buf *b, const char *s) { dg_buf_put(b, s, strlen(s)); }

void dg_buf_printf(dg_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        dg_buf_put(b, small, (size_t)n);
        return;
    }
    if (!buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *dg_buf_take(dg_buf *b)
{
    if (b->oom) {
        dg_buf_finish(b);
        return NULL;
    }
    char *s = b->data ? b->data : dg_strdup("");
    memset(b, 0, sizeof *b);
    return s;
}

char *dg_strdup(const char *s)
{
    return s ? dg_strndup(s, strlen(s)) : NULL;
}

char *dg_strndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

bool dg_streq_nocase(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (lower((unsigned char)*a) != lower((unsigned char)*b))
            return false;
    return *a == *b;
}

/* The escaped form of byte c, for dg_quote: \n, \t, \r, \xNN or itself. */
static const char *escape(unsigned char c, char out[5])
{
    if (c == '\n')
        return "\\n";
    if (c == '\t')
        return "\\t";
    if (c == '\r')
        return "\\r";
    if (c < 0x20 || c == 0x7f) {
        snprintf(out, 5, "\\x%02x", c);
    } else {
        out[0] = (char)c;
        out[1] = '\0';
    }
    return out;
}

const char *dg_quote(const char *s, size_t max, dg_buf *buf)
{
    dg_buf_clear(buf);
    char e[5];
    size_t i = 0;
    for (; s[i] && i < max; i++)
        dg_buf_puts(buf, escape((unsigned char)s[i], e));
    if (s[i])
        dg_buf_puts(buf, "...");
    if (!buf->oom)
        return buf->data ? buf->data : "";
    /* Out of memory: quote into one of a few static buffers instead, so
     * that a message still names what it is about (the library is not
     * thread-safe anyway: cgraph is not). A long text is cut shorter. */
    static char spare[4][1024];
    static unsigned next;
    char *o = spare[next++ % 4];
    size_t k = 0;
    for (i = 0; s[i] && i < max; i++) {
        const char *x = escape((unsigned char)s[i], e);
        size_t n = strlen(x);
        if (k + n + 4 > sizeof spare[0])
            break;
        memcpy(o + k, x, n);
        k += n;
    }
    if (s[i]) {
        memcpy(o + k, "...", 3);
        k += 3;
    }
    o[k] = '\0';
    return o;
}

const char *dg_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

bool dg_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int dg_read_file(const char *path, size_t max_bytes, char **data, size_t *len,
                 dg_diags *diags)
{
    *data = NULL;
    *len = 0;
    if (max_bytes == 0)
        max_bytes = DG_MAX_INPUT_BYTES;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        dg_diags_add(diags, DG_SEV_ERROR, path, 0, "cannot open: %s",
                     strerror(errno));
        return DG_EIO;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        dg_diags_add(diags, DG_SEV_ERROR, path, 0,
                     "is a directory; give a ledger file (.dot or .csv)");
        if (f != stdin)
            fclose(f);
        return DG_EIO;
    }
    int status = DG_OK;
    dg_buf b;
    dg_buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > max_bytes) {
            dg_diags_add(diags, DG_SEV_ERROR, path, 0,
                         "is larger than the %zu-byte input limit", max_bytes);
            status = DG_ELIMIT;
            break;
        }
        dg_buf_put(&b, chunk, n);
        if (b.oom) {
            status = DG_ENOMEM;
            break;
        }
    }
    if (status == DG_OK && ferror(f)) {
        dg_diags_add(diags, DG_SEV_ERROR, path, 0, "read error: %s",
                     strerror(errno));
        status = DG_EIO;
    }
    if (f != stdin)
        fclose(f);
    if (status != DG_OK) {
        dg_buf_finish(&b);
        return status;
    }
    *len = b.len;
    *data = dg_buf_take(&b);
    return *data ? DG_OK : DG_ENOMEM;
}

/* Levenshtein distance, case-insensitive, capped at `cap` + 1. */
static size_t edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return cap + 1;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = lower((unsigned char)a[i - 1]) !=
                          lower((unsigned char)b[j - 1]);
            size_t best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb] < cap + 1 ? row[lb] : cap + 1;
}

const char *dg_closest(const char *word, const char *const *candidates,
                       size_t n)
{
    /* A typo is at most a third of the word's letters, and at least 1. */
    size_t cap = strlen(word) / 3 ? strlen(word) / 3 : 1;
    const char *best = NULL;
    size_t best_d = cap + 1;
    for (size_t i = 0; i < n; i++) {
        if (!candidates[i] || !candidates[i][0])
            continue;
        size_t d = edit_distance(word, candidates[i], cap);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    return best;
}

size_t dg_utf8_check(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        size_t n;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            n = 1;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            n = 2;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            n = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        for (size_t k = 1; k <= n; k++) {
            if (i + k >= len || (p[i + k] & 0xc0) != 0x80)
                return i;
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        /* overlong forms, surrogates and values beyond U+10FFFF */
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
            (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += n + 1;
    }
    return len;
}

long dg_line_of(const char *text, size_t off)
{
    long line = 1;
    for (size_t i = 0; i < off; i++)
        line += text[i] == '\n';
    return line;
}
