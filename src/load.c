/*
 * load.c - choosing a loader, reading text safely, and the checks every
 * ledger goes through whatever its format.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void dg_load_options_init(dg_load_options *o)
{
    memset(o, 0, sizeof *o);
    o->format = DG_FORMAT_AUTO;
}

int dg_read_text(const char *path, const dg_load_options *opt, char **data,
                 const char **start, size_t *len, dg_diags *diags)
{
    size_t n;
    int rc = dg_read_file(path, opt ? opt->max_bytes : 0, data, &n, diags);
    if (rc != DG_OK)
        return rc;
    const char *s = *data;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        s += 3;
        n -= 3;
    }
    const char *nul = memchr(s, '\0', n);
    if (nul) {
        dg_diags_add(diags, DG_SEV_ERROR, path, dg_line_of(s, (size_t)(nul - s)),
                     "NUL byte in the text; a ledger is a text file (is this "
                     "a binary or UTF-16 file?)");
        goto invalid;
    }
    size_t bad = dg_utf8_check(s, n);
    if (bad < n) {
        dg_diags_add(diags, DG_SEV_ERROR, path, dg_line_of(s, bad),
                     "invalid UTF-8 (byte 0x%02x); save the file as UTF-8",
                     (unsigned char)s[bad]);
        goto invalid;
    }
    *start = s;
    *len = n;
    return DG_OK;
invalid:
    /* on failure the caller has nothing to free */
    free(*data);
    *data = NULL;
    return DG_EINPUT;
}

static bool has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n > e && dg_streq_nocase(path + n - e, ext);
}

/* DOT starts with a graph keyword (after comments); anything else is
 * treated as CSV. */
static bool looks_like_dot(const char *s)
{
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
            s++;
        if (s[0] == '/' && s[1] == '/') {
            s = strchr(s, '\n');
            if (!s)
                return false;
        } else if (s[0] == '/' && s[1] == '*') {
            s = strstr(s + 2, "*/");
            if (!s)
                return false;
            s += 2;
        } else {
            break;
        }
    }
    static const char *const kw[] = {"digraph", "graph", "strict"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(kw[i]);
        if (strncmp(s, kw[i], n) == 0 &&
            (s[n] == ' ' || s[n] == '\t' || s[n] == '\n' || s[n] == '\r' ||
             s[n] == '{' || s[n] == '"'))
            return true;
    }
    return false;
}

/* Runs the whole-ledger checks and turns a ledger with errors into NULL. */
static dg_ledger *finish(dg_ledger *l, int rc, size_t errors_before,
                         dg_diags *diags, int *status)
{
    if (rc == DG_OK && l)
        rc = dg_ledger_link(l, diags);
    if (rc == DG_OK && l) {
        dg_ledger_check(l, diags);
        if (diags->oom)
            rc = DG_ENOMEM;
        else if (diags->errors > errors_before)
            rc = DG_EINPUT;
    }
    if (status)
        *status = rc;
    if (rc != DG_OK) {
        dg_ledger_destroy(l);
        return NULL;
    }
    return l;
}

static dg_ledger *load_text(const char *path, const dg_load_options *opt,
                            dg_diags *diags, int *status, dg_format format)
{
    size_t before = diags->errors;
    char *data = NULL;
    const char *text;
    size_t len;
    dg_ledger *l = NULL;
    int rc = dg_read_text(path, opt, &data, &text, &len, diags);
    if (rc != DG_OK)
        goto done;
    l = dg_ledger_create();
    if (!l || !(l->path = dg_strdup(path)) ||
        !(l->legs_file = dg_strdup(path))) {
        rc = DG_ENOMEM;
        goto done;
    }
    if (format == DG_FORMAT_AUTO)
        format = looks_like_dot(text) ? DG_FORMAT_DOT : DG_FORMAT_CSV;
    if (format == DG_FORMAT_DOT) {
        rc = dg_parse_dot(l, text, len, path, opt, diags);
    } else {
        rc = dg_parse_csv(l, text, len, path, opt ? opt->companies : NULL,
                          NULL, opt, diags);
    }
done:
    free(data);
    return finish(l, rc, before, diags, status);
}

dg_ledger *dg_ledger_load_dot(const char *path, const dg_load_options *opt,
                              dg_diags *diags, int *status)
{
    return load_text(path, opt, diags, status, DG_FORMAT_DOT);
}

dg_ledger *dg_ledger_load(const char *path, const dg_load_options *opt,
                          dg_diags *diags, int *status)
{
    dg_format f = opt ? opt->format : DG_FORMAT_AUTO;
    if (f == DG_FORMAT_AUTO) {
        if (strcmp(path, "-") != 0 && dg_is_dir(path))
            f = DG_FORMAT_CSV;
        else if (has_ext(path, ".csv"))
            f = DG_FORMAT_CSV;
        else if (has_ext(path, ".dot") || has_ext(path, ".gv"))
            f = DG_FORMAT_DOT;
    }
    if (f == DG_FORMAT_CSV)
        return dg_ledger_load_csv(path, opt, diags, status);
    return load_text(path, opt, diags, status, f);
}
