/*
 * common.c - shared pieces of the commands: messages, loading with error
 * reports, and output files that are never left half-written.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#define _GNU_SOURCE /* fopencookie */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The filter cli_output_plain put on standard output, if any: flushed
 * before an error so that the two streams keep their order in a log. */
static FILE *plain_stdout;

static unsigned long errors_said;

unsigned long cli_errors_said(void) { return errors_said; }

void cli_error(const char *fmt, ...)
{
    va_list ap;
    errors_said++;
    if (plain_stdout)
        fflush(plain_stdout);
    fflush(stdout);
    fputs("dealgraph: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* An allocation failed and was reported: whatever is being written is
 * incomplete, and cli_output_close will not keep it. */
static bool oom_said;

void cli_out_of_memory_in(const char *what)
{
    if (!oom_said && what)
        cli_error("%s: out of memory", what);
    else if (!oom_said)
        cli_error("out of memory");
    oom_said = true;
}

void cli_out_of_memory(void) { cli_out_of_memory_in(NULL); }

void cli_print_diag(const dg_diag *d)
{
    if (d->file && d->line > 0)
        cli_error("%s:%ld: %s", d->file, d->line, d->message);
    else if (d->file)
        cli_error("%s: %s", d->file, d->message);
    else
        cli_error("%s", d->message);
}

void cli_common_init(cli_common *c, unsigned formats)
{
    memset(c, 0, sizeof *c);
    c->format = CLI_OUT_TEXT;
    c->formats = formats;
    dg_filter_init(&c->filter);
    dg_load_options_init(&c->load);
}

dg_ledger *cli_load(const char *path, const dg_load_options *opt)
{
    dg_diags diags;
    dg_diags_init(&diags);
    int status = DG_OK;
    dg_ledger *l = dg_ledger_load(path, opt, &diags, &status);
    if (!l) {
        dg_diags_sort(&diags);
        size_t shown = 0;
        for (size_t i = 0; i < diags.count; i++) {
            if (diags.items[i].severity != DG_SEV_ERROR)
                continue;
            if (shown++ < 10)
                cli_print_diag(&diags.items[i]);
        }
        if (shown > 10)
            cli_error("%s: %zu more errors; run 'dealgraph lint %s' for all",
                      path, shown - 10, path);
        if (shown == 0)
            cli_error("%s: %s", path, dg_strerror(status));
    }
    dg_diags_finish(&diags);
    return l;
}

/* Writes straight to `path`, which exists and is not a regular file. */
static bool output_open_direct(cli_output *o, const char *path)
{
    o->path = strdup(path);
    if (!o->path) {
        cli_error("%s: out of memory", path);
        return false;
    }
    o->f = fopen(path, "wb");
    if (!o->f) {
        cli_error("%s: cannot write: %s", path, strerror(errno));
        free(o->path);
        o->path = NULL;
        return false;
    }
    return true;
}

/* Where the dangling symbolic link `path` points, as a path from here:
 * its target, relative to the link's own directory. NULL when out of
 * memory or unreadable. */
static char *link_target(const char *path, const struct stat *lst)
{
    size_t cap = lst->st_size > 0 ? (size_t)lst->st_size + 1 : 4096;
    char *t = malloc(cap);
    if (!t)
        return NULL;
    ssize_t n = readlink(path, t, cap - 1);
    if (n < 0) {
        free(t);
        return NULL;
    }
    t[n] = '\0';
    const char *slash = strrchr(path, '/');
    if (t[0] == '/' || !slash)
        return t;
    size_t dir = (size_t)(slash - path) + 1, tl = (size_t)n;
    char *joined = malloc(dir + tl + 1);
    if (joined) {
        memcpy(joined, path, dir);
        memcpy(joined + dir, t, tl + 1);
    }
    free(t);
    return joined;
}

bool cli_output_open(cli_output *o, const char *path)
{
    memset(o, 0, sizeof *o);
    o->mode = (mode_t)-1;
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        return true;
    }
    struct stat st, lst;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            cli_error("%s: is a directory; give a file name for the output",
                      path);
            return false;
        }
        /* our own standard output under another name (/dev/stdout when
         * it is redirected to a file): write there, never replace it */
        struct stat out;
        if (fstat(STDOUT_FILENO, &out) == 0 && out.st_dev == st.st_dev &&
            out.st_ino == st.st_ino) {
            o->f = stdout;
            return true;
        }
        if (!S_ISREG(st.st_mode))
            return output_open_direct(o, path);
        o->mode = st.st_mode & 07777; /* kept by the new file */
    } else if (errno != ENOENT) { /* a loop of links, a bad directory */
        cli_error("%s: cannot write: %s", path, strerror(errno));
        return false;
    }
    /* A symbolic link stays a link: the file it points to is replaced,
     * or, when it points nowhere yet, created where it points. */
    char *real = NULL;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
        real = o->mode != (mode_t)-1 ? realpath(path, NULL)
                                     : link_target(path, &lst);
        if (!real) {
            cli_error("%s: cannot write: %s", path, strerror(errno));
            return false;
        }
    }
    const char *target = real ? real : path;
    size_t n = strlen(target);
    o->path = malloc(n + 1);
    o->tmp = malloc(n + 16);
    if (!o->path || !o->tmp) {
        free(o->path);
        free(o->tmp);
        free(real);
        o->path = o->tmp = NULL;
        cli_error("%s: out of memory", path);
        return false;
    }
    memcpy(o->path, target, n + 1);
    free(real);
    snprintf(o->tmp, n + 16, "%s.tmp.XXXXXX", o->path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        cli_error("%s: cannot write: %s", path, strerror(errno));
        free(o->path);
        free(o->tmp);
        o->path = o->tmp = NULL;
        return false;
    }
    o->f = fdopen(fd, "wb");
    if (!o->f) {
        cli_error("%s: cannot write: %s", path, strerror(errno));
        close(fd);
        unlink(o->tmp);
        free(o->path);
        free(o->tmp);
        o->path = o->tmp = NULL;
        return false;
    }
    return true;
}

/* The write function of the stream cli_output_plain installs: the bytes
 * go on to the stream underneath, each control character other than a
 * line break or a tab as \r or \xNN. */
static ssize_t plain_write(void *cookie, const char *buf, size_t n)
{
    FILE *to = cookie;
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        /* eight bytes at a time while none is below 0x20 or 0x7f (one in a
         * line is: its line break) */
        const uint64_t ones = 0x0101010101010101u, highs = ones << 7;
        while (i + 8 <= n) {
            uint64_t w, d;
            memcpy(&w, buf + i, 8);
            d = w ^ (ones * 0x7f);
            if ((((w - ones * 0x20) & ~w) | ((d - ones) & ~d)) & highs)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        unsigned char ch = (unsigned char)buf[i];
        if ((ch >= 0x20 && ch != 0x7f) || ch == '\n' || ch == '\t')
            continue;
        if (fwrite(buf + from, 1, i - from, to) != i - from)
            return -1;
        if ((ch == '\r' ? fputs("\\r", to) : fprintf(to, "\\x%02x", ch)) < 0)
            return -1;
        from = i + 1;
    }
    if (fwrite(buf + from, 1, n - from, to) != n - from)
        return -1;
    return (ssize_t)n;
}

bool cli_output_plain(cli_output *o, cli_out_format format)
{
    if (format != CLI_OUT_TEXT && format != CLI_OUT_MD && format != CLI_OUT_HTML)
        return true;
    cookie_io_functions_t io = {NULL, plain_write, NULL, NULL};
    FILE *f = fopencookie(o->f, "w", io);
    if (!f) {
        cli_out_of_memory();
        cli_output_close(o, false);
        return false;
    }
    /* on a terminal, line by line as stdout would be: a slow streamed
     * search shows each loop as it is found */
    setvbuf(f, NULL, isatty(fileno(o->f)) ? _IOLBF : _IOFBF, 1 << 16);
    o->under = o->f;
    o->f = f;
    if (o->under == stdout)
        plain_stdout = f;
    return true;
}

bool cli_output_open_as(cli_output *o, const cli_common *c)
{
    return cli_output_open(o, c->output) && cli_output_plain(o, c->format);
}

/* A failed write is reported here, whatever `ok` says: the callers pass
 * ok = false both for their own failures (already reported) and for a
 * short fwrite, whose cause only the stream knows. o->reported says
 * whether it printed. */
bool cli_output_close(cli_output *o, bool ok)
{
    o->reported = false;
    if (oom_said) /* something was left out of the output */
        ok = false;
    if (!o->f)
        return false;
    bool werr = ferror(o->f) != 0;
    int err = werr ? errno : 0;
    FILE *f = o->f;
    o->f = NULL;
    if (o->under) { /* the filter of cli_output_plain: flushed, freed */
        if (plain_stdout == f)
            plain_stdout = NULL;
        if (fclose(f) != 0 && !werr) {
            werr = true;
            err = errno;
        }
        f = o->under;
        o->under = NULL;
        if (ferror(f) && !werr) {
            werr = true;
            err = errno;
        }
    }
    int flushed = o->path ? fclose(f) : fflush(f);
    if (flushed != 0) {
        werr = true;
        if (errno)
            err = errno; /* the failure just seen, not an older errno */
    }
    if (werr) {
        const char *why = err ? strerror(err) : "write error";
        if (o->path)
            cli_error("%s: cannot write: %s", o->path, why);
        else
            cli_error("cannot write to standard output: %s", why);
        o->reported = true;
    }
    bool good = !werr;
    if (o->tmp) {
        if (ok && good) {
            /* mkstemp makes the file 0600: give it the mode of the file
             * it replaces, or the usual one */
            mode_t mode = o->mode;
            if (mode == (mode_t)-1) {
                mode_t mask = umask(0);
                umask(mask);
                mode = 0666 & ~mask;
            }
            chmod(o->tmp, mode);
            if (rename(o->tmp, o->path) != 0) {
                cli_error("%s: cannot write: %s", o->path, strerror(errno));
                o->reported = true;
                good = false;
            }
        }
        if (!ok || !good)
            unlink(o->tmp);
    } /* else a device, a pipe or standard output, written directly */
    free(o->path);
    free(o->tmp);
    o->path = o->tmp = NULL;
    return ok && good;
}

static bool json_alloc_failed;

static void *json_alloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        json_alloc_failed = true;
    return p;
}

static void json_release(void *p) { free(p); }

void cli_json_init(void) { json_set_alloc_funcs(json_alloc, json_release); }

bool cli_json_write(json_t *doc, FILE *out)
{
    if (!doc || json_alloc_failed) {
        cli_out_of_memory();
        return false;
    }
    bool ok = cli_json_emit(doc, out);
    if (!ok && json_alloc_failed) /* jansson's own buffers while dumping */
        cli_out_of_memory();
    return ok;
}

bool cli_table_write(const cli_table *t, cli_out_format f, FILE *out)
{
    bool ok = cli_table_emit(t, f, out);
    if (!ok && !ferror(out))
        cli_out_of_memory();
    return ok;
}
