/*
 * test_cli_cases.c - the golden CLI cases in tests/cases/cli/: each
 * NAME.args is run against $DEALGRAPH and its exit code, standard output
 * and standard error compared with NAME.status, NAME.stdout and
 * NAME.stderr (or their partial forms). tests/cases/cli/README.md
 * describes the files; a failure shows the case's name and a diff.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* ---- the case files ---------------------------------------------------- */

/* What a case may hold besides NAME.args and NAME.status: one way to
 * check each stream (exact, or any of the partial forms), and an input. */
static const char *const known_suffixes[] = {
    ".args",         ".status",      ".in",
    ".stdout",       ".stderr",      ".stdout-first",
    ".stderr-first", ".stdout-has",  ".stderr-has",
    ".stdout-json",  ".stderr-json",
};
#define N_SUFFIXES (sizeof known_suffixes / sizeof known_suffixes[0])

/* A case's name, in shared memory: Criterion hands the parameters to its
 * worker processes. */
typedef struct golden {
    char name[128];
} golden;

static char *cases_dir(void)
{
    const char *root = getenv("CASES");
    if (!root)
        return src_path("tests/cases/cli");
    size_t n = strlen(root) + 8;
    char *p = malloc(n);
    snprintf(p, n, "%s/cli", root);
    return p;
}

/* The suffix of `file` among known_suffixes (the longest that fits), or
 * NULL. */
static const char *suffix_of(const char *file)
{
    const char *best = NULL;
    size_t fl = strlen(file);
    for (size_t i = 0; i < N_SUFFIXES; i++) {
        size_t sl = strlen(known_suffixes[i]);
        if (fl > sl && strcmp(file + fl - sl, known_suffixes[i]) == 0 &&
            (!best || sl > strlen(best)))
            best = known_suffixes[i];
    }
    return best;
}

static int cmp_golden(const void *a, const void *b)
{
    return strcmp(((const golden *)a)->name, ((const golden *)b)->name);
}

/* The sorted names of the cases (those with a NAME.args); *n is 0 when
 * the directory is missing (the test below fails then). With `only`, the
 * names that match the pattern in $CLI_CASES (fnmatch), when it is set. */
static golden *list_cases(size_t *n, bool shared, bool only)
{
    const char *pattern = only ? getenv("CLI_CASES") : NULL;
    *n = 0;
    char *dir = cases_dir();
    DIR *d = opendir(dir);
    free(dir);
    if (!d)
        return NULL;
    size_t count = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (suffix_of(e->d_name) &&
            strcmp(suffix_of(e->d_name), ".args") == 0)
            count++;
    rewinddir(d);
    golden *g = shared ? cr_malloc(count * sizeof *g + 1)
                       : malloc(count * sizeof *g + 1);
    size_t k = 0;
    while ((e = readdir(d)) && k < count) {
        const char *suf = suffix_of(e->d_name);
        size_t len = strlen(e->d_name) - (suf ? strlen(suf) : 0);
        if (!suf || strcmp(suf, ".args") != 0 || len >= sizeof g->name)
            continue;
        memcpy(g[k].name, e->d_name, len);
        g[k].name[len] = '\0';
        if (!pattern || fnmatch(pattern, g[k].name, 0) == 0)
            k++;
    }
    closedir(d);
    qsort(g, k, sizeof *g, cmp_golden);
    *n = k;
    return g;
}

/* NAME + suffix in the cases directory: its text, or NULL when there is
 * no such file. */
static char *case_file(const char *name, const char *suffix)
{
    char *dir = cases_dir();
    size_t n = strlen(dir) + strlen(name) + strlen(suffix) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s%s", dir, name, suffix);
    char *text = read_all(p);
    free(p);
    free(dir);
    return text;
}

/* ---- placeholders ------------------------------------------------------ */

/* A growing string. */
typedef struct buf {
    char *s;
    size_t len, cap;
} buf;

static void buf_add(buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = 2 * (b->len + n + 1);
        b->s = realloc(b->s, b->cap);
        cr_assert_not_null(b->s);
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

/* Puts `s` before what `b` holds. */
static void buf_prepend(buf *b, const char *s)
{
    size_t n = strlen(s), old = b->len;
    buf_add(b, s, n); /* room */
    memmove(b->s + n, b->s, old);
    memcpy(b->s, s, n);
}

/* What a run of one case knows: its name, its scratch directory, its
 * input text. */
typedef struct run_ctx {
    const char *name;
    char *tmp;
    char *input; /* NAME.in, NULL when none */
    bool input_is_file; /* some argument names it as @IN@ */
    bool bad; /* an @IN@ without NAME.in */
} run_ctx;

/* Expands the placeholders of `text`: @SRC@ (the source tree), @TMP@ (the
 * case's scratch directory), @VERSION@ (DG_VERSION), @IN@ and @IN.EXT@
 * (the file in.dot or in.EXT in @TMP@ holding NAME.in; written when
 * `write_input`). Any other @ is itself. Malloc'd. */
static char *expand(run_ctx *c, const char *text, bool write_input)
{
    buf b = {0};
    buf_add(&b, "", 0);
    const char *src = getenv("SRCDIR");
    if (!src)
        src = ".";
    for (const char *p = text; *p;) {
        const char *at = strchr(p, '@');
        if (!at) {
            buf_add(&b, p, strlen(p));
            break;
        }
        buf_add(&b, p, (size_t)(at - p));
        const char *word = at + 1;
        size_t wl = strcspn(word, "@\n");
        if (word[wl] != '@') {
            buf_add(&b, "@", 1);
            p = word;
            continue;
        }
        char ext[32] = "";
        if (wl == 3 && strncmp(word, "SRC", 3) == 0) {
            buf_add(&b, src, strlen(src));
        } else if (wl == 3 && strncmp(word, "TMP", 3) == 0) {
            buf_add(&b, c->tmp, strlen(c->tmp));
        } else if (wl == 7 && strncmp(word, "VERSION", 7) == 0) {
            buf_add(&b, DG_VERSION, strlen(DG_VERSION));
        } else if (wl == 2 && strncmp(word, "IN", 2) == 0) {
            strcpy(ext, "dot");
        } else if (wl > 3 && wl - 3 < sizeof ext &&
                   strncmp(word, "IN.", 3) == 0) {
            memcpy(ext, word + 3, wl - 3);
            ext[wl - 3] = '\0';
        } else {
            /* not a placeholder: the @ stays, the word is read again */
            buf_add(&b, "@", 1);
            p = word;
            continue;
        }
        if (ext[0]) {
            char file[64];
            snprintf(file, sizeof file, "in.%s", ext);
            char *path = write_input && c->input
                             ? write_file(c->tmp, file, c->input)
                             : NULL;
            if (write_input) {
                c->input_is_file = true;
                c->bad |= !c->input;
            }
            free(path);
            buf_add(&b, c->tmp, strlen(c->tmp));
            buf_add(&b, "/", 1);
            buf_add(&b, file, strlen(file));
        }
        p = word + wl + 1;
    }
    return b.s;
}

/* ---- matching ---------------------------------------------------------- */

/* The differences between `want` and `got` as `diff -u` shows them
 * (malloc'd); both texts are whole streams. */
static char *unified_diff(const run_ctx *c, const char *want, const char *got)
{
    char *w = write_file(c->tmp, "want", want);
    char *g = write_file(c->tmp, "got", got);
    char *argv[] = {"diff", "-u", "--label", "expected", "--label", "actual",
                    w, g, NULL};
    run_result r = run_argv(argv, NULL);
    char *out = r.out;
    if (r.status != 1) { /* no diff(1): both texts whole */
        free(out);
        size_t n = strlen(want) + strlen(got) + 64;
        out = malloc(n);
        snprintf(out, n, "--- expected\n%s\n--- actual\n%s", want, got);
    }
    free(r.err);
    free(w);
    free(g);
    return out;
}

/* The first line of `s` without its newline (malloc'd). */
static char *line_one(const char *s)
{
    size_t n = strcspn(s, "\n");
    char *l = malloc(n + 1);
    memcpy(l, s, n);
    l[n] = '\0';
    return l;
}

/* A fragment of a -has file: `\n` is a newline; the rest is itself. */
static char *unescape(const char *s, size_t n)
{
    char *out = malloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n && s[i + 1] == 'n') {
            out[k++] = '\n';
            i++;
        } else {
            out[k++] = s[i];
        }
    }
    out[k] = '\0';
    return out;
}

/* Whether every member of `want` is in `got` with a matching value:
 * arrays match element by element and have the same length; other values
 * are equal, of the same type (35 is an integer, 35.0 a real). On a
 * mismatch `where` names the first one. */
static bool json_subset(json_t *want, json_t *got, buf *where)
{
    if (!got || json_typeof(want) != json_typeof(got))
        return false;
    if (json_is_object(want)) {
        const char *key;
        json_t *v;
        json_object_foreach(want, key, v) {
            if (!json_subset(v, json_object_get(got, key), where)) {
                buf_prepend(where, key);
                buf_prepend(where, "/");
                return false;
            }
        }
        return true;
    }
    if (json_is_array(want)) {
        if (json_array_size(want) != json_array_size(got))
            return false;
        for (size_t i = 0; i < json_array_size(want); i++) {
            if (!json_subset(json_array_get(want, i), json_array_get(got, i),
                             where)) {
                char idx[32];
                snprintf(idx, sizeof idx, "/%zu", i);
                buf_prepend(where, idx);
                return false;
            }
        }
        return true;
    }
    return json_equal(want, got);
}

/* Checks one stream ("stdout" or "stderr", text `got`) against the
 * case's files for it. */
static void check_stream(run_ctx *c, const char *stream, const char *got)
{
    char suffix[32];
    snprintf(suffix, sizeof suffix, ".%s", stream);
    char *exact = case_file(c->name, suffix);
    snprintf(suffix, sizeof suffix, ".%s-first", stream);
    char *first = case_file(c->name, suffix);
    snprintf(suffix, sizeof suffix, ".%s-has", stream);
    char *has = case_file(c->name, suffix);
    snprintf(suffix, sizeof suffix, ".%s-json", stream);
    char *json = case_file(c->name, suffix);

    if (exact || !(first || has || json)) {
        char *want = expand(c, exact ? exact : "", false);
        if (strcmp(want, got) != 0) {
            char *d = unified_diff(c, want, got);
            cr_expect_fail("%s: %s is not %s:\n%s", c->name, stream,
                           exact ? "as expected" : "empty", d);
            free(d);
        }
        free(want);
    }
    if (first) {
        char *want = expand(c, first, false);
        char *w = line_one(want), *g = line_one(got);
        cr_expect_str_eq(g, w, "%s: the first line of %s", c->name, stream);
        free(w);
        free(g);
        free(want);
    }
    if (has) {
        char *want = expand(c, has, false);
        for (char *p = want; *p;) {
            size_t n = strcspn(p, "\n");
            bool anchored = p[0] == '^';
            char *frag = unescape(p + anchored, n - anchored);
            bool ok = anchored ? strncmp(got, frag, strlen(frag)) == 0
                               : strstr(got, frag) != NULL;
            cr_expect(ok, "%s: %s %s \"%s\"; it is:\n%s", c->name, stream,
                      anchored ? "does not start with" : "does not hold",
                      frag, got);
            free(frag);
            p += n + (p[n] == '\n');
        }
        free(want);
    }
    if (json) {
        char *want = expand(c, json, false);
        json_error_t err;
        json_t *w = json_loads(want, 0, &err);
        cr_expect_not_null(w, "%s: %s-json: %s (line %d)", c->name, stream,
                           err.text, err.line);
        json_t *g = json_loads(got, 0, &err);
        cr_expect_not_null(g, "%s: %s is not JSON: %s (line %d)", c->name,
                           stream, err.text, err.line);
        buf where = {0};
        buf_add(&where, "", 0);
        if (w && g && !json_subset(w, g, &where))
            cr_expect_fail("%s: %s differs from %s-json at %s; it begins:\n"
                           "%.2000s",
                           c->name, stream, stream,
                           where.len ? where.s : "the top", got);
        free(where.s);
        json_decref(w);
        json_decref(g);
        free(want);
    }
    free(exact);
    free(first);
    free(has);
    free(json);
}

/* ---- the cases --------------------------------------------------------- */

static void free_params(struct criterion_test_params *p)
{
    cr_free(p->params);
}

ParameterizedTestParameters(cli_cases, each_case_gives_its_exit_code_and_output)
{
    size_t n;
    golden *g = list_cases(&n, true, true);
    return cr_make_param_array(golden, g, n, free_params);
}

ParameterizedTest(golden *g, cli_cases, each_case_gives_its_exit_code_and_output)
{
    run_ctx c = {.name = g->name, .tmp = temp_dir()};
    c.input = case_file(g->name, ".in");
    char *args = case_file(g->name, ".args");
    char *status = case_file(g->name, ".status");
    cr_assert_not_null(args, "%s: no %s.args", g->name, g->name);
    cr_assert_not_null(status, "%s: no %s.status", g->name, g->name);

    /* one argument per line */
    size_t cap = 8, n = 0;
    char **argv = malloc(cap * sizeof *argv);
    for (char *p = args; *p;) {
        size_t len = strcspn(p, "\n");
        bool more = p[len] == '\n';
        p[len] = '\0';
        if (n + 2 > cap)
            argv = realloc(argv, (cap *= 2) * sizeof *argv);
        argv[n++] = expand(&c, p, true);
        p += len + more;
    }
    argv[n] = NULL;
    cr_assert_not(c.bad, "%s: @IN@ without a %s.in", g->name, g->name);

    run_result r = run_cli((const char *const *)argv,
                           c.input_is_file ? NULL : c.input);
    int want = atoi(status);
    cr_expect_eq(r.status, want, "%s: exit %d, not %d; stderr:\n%s", g->name,
                 r.status, want, r.err);
    check_stream(&c, "stdout", r.out);
    check_stream(&c, "stderr", r.err);

    run_free(&r);
    for (size_t i = 0; i < n; i++)
        free(argv[i]);
    free(argv);
    free(args);
    free(status);
    free(c.input);
    free(c.tmp);
}

/* A case with a misspelt file would be checked for less than it says: every
 * file in the directory belongs to a case with NAME.args and NAME.status,
 * and a stream has either its exact file or partial ones. */
Test(cli_cases, every_file_belongs_to_a_complete_case)
{
    size_t n;
    golden *g = list_cases(&n, false, false);
    cr_assert_gt(n, 0, "no cases in $CASES/cli");
    char *dir = cases_dir();
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s: %s", dir, strerror(errno));
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0)
            continue;
        const char *suf = suffix_of(e->d_name);
        cr_expect_not_null(suf, "%s: not a case file (see README.md)",
                           e->d_name);
        if (!suf)
            continue;
        golden key;
        size_t len = strlen(e->d_name) - strlen(suf);
        snprintf(key.name, sizeof key.name, "%.*s", (int)len, e->d_name);
        cr_expect_not_null(bsearch(&key, g, n, sizeof *g, cmp_golden),
                           "%s: no %s.args", e->d_name, key.name);
    }
    closedir(d);
    for (size_t i = 0; i < n; i++) {
        char *status = case_file(g[i].name, ".status");
        char *end = NULL;
        long v = status ? strtol(status, &end, 10) : -1;
        cr_expect(status && end != status && (*end == '\0' || *end == '\n') &&
                      v >= 0 && v < 256,
                  "%s.status: missing, or not an exit code", g[i].name);
        free(status);
        const char *streams[] = {"stdout", "stderr"};
        for (size_t s = 0; s < 2; s++) {
            char suffix[32];
            snprintf(suffix, sizeof suffix, ".%s", streams[s]);
            char *exact = case_file(g[i].name, suffix);
            bool partial = false;
            const char *forms[] = {"-first", "-has", "-json"};
            for (size_t f = 0; f < 3; f++) {
                snprintf(suffix, sizeof suffix, ".%s%s", streams[s],
                         forms[f]);
                char *t = case_file(g[i].name, suffix);
                partial |= t != NULL;
                if (t && f == 0)
                    cr_expect(strchr(t, '\n') == NULL ||
                                  strchr(t, '\n')[1] == '\0',
                              "%s%s: one line", g[i].name, suffix);
                free(t);
            }
            cr_expect(!(exact && partial),
                      "%s: both %s and a partial form of it", g[i].name,
                      streams[s]);
            free(exact);
        }
    }
    free(dir);
    free(g);
}
