/* The CLI on hundreds of broken ledgers: the shipped ledger (DOT, and CSV
 * as a directory) mutated the way files get broken (truncated, bytes
 * flipped, quotes lost, lines duplicated, deleted or swapped, NUL bytes,
 * invalid UTF-8, huge values, CRLF, byte order marks, stray punctuation,
 * pieces of the other format). The corpus is generated here from a fixed
 * seed, so every run sees the same files.
 *
 * Every run must end cleanly: lint exits 0, 1 or 2, summary 0 or 2, and
 * a 2 always comes with a "dealgraph: " message; lint finds no error
 * exactly when summary loads the ledger; a ledger that loads goes through
 * `loops --count --max-seconds 1`; every line on standard error is
 * dealgraph's own ("dealgraph: ...", never cgraph's). Under the sanitizer
 * build (./dev.sh test) the same runs prove there is no memory error or
 * leak: any report fails the run. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

typedef struct bytes {
    char *p;
    size_t n;
} bytes;

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next_rand(void)
{
    /* xorshift64* (Vigna 2016) */
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 2685821657736338717ull;
}

static size_t below(size_t n) { return n ? (size_t)(next_rand() % n) : 0; }

static bytes load(const char *rel)
{
    char *path = src_path(rel);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    bytes b = {NULL, 0};
    fseek(f, 0, SEEK_END);
    b.n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    b.p = malloc(b.n + 1);
    cr_assert_eq(fread(b.p, 1, b.n, f), b.n);
    fclose(f);
    free(path);
    return b;
}

/* Replaces b[at, at+del) by `ins` (n bytes). */
static void splice(bytes *b, size_t at, size_t del, const char *ins, size_t n)
{
    if (at > b->n)
        at = b->n;
    if (del > b->n - at)
        del = b->n - at;
    char *p = malloc(b->n - del + n + 1);
    memcpy(p, b->p, at);
    memcpy(p + at, ins, n);
    memcpy(p + at + n, b->p + at + del, b->n - at - del);
    b->n = b->n - del + n;
    free(b->p);
    b->p = p;
}

/* Start of the line holding offset `at`, and its length with the '\n'. */
static void line_at(const bytes *b, size_t at, size_t *start, size_t *len)
{
    size_t s = at;
    while (s > 0 && b->p[s - 1] != '\n')
        s--;
    size_t e = at;
    while (e < b->n && b->p[e] != '\n')
        e++;
    if (e < b->n)
        e++;
    *start = s;
    *len = e - s;
}

static const char *const tokens[] = {
    "{", "}", "->", "--", "@", "[", "]", ";", ",", "\"", "<", ">", "/*",
    "\n#", "=", "digraph x {", "strict ", "subgraph {", "\\", "\"\"",
    "amount=\"1e300\"", "kind=\"\"", "\r", "\t", "+",
};

/* One mutation of class k (0..13) applied to b; `other` is the other
 * format's text, for splicing. */
static void mutate(bytes *b, int k, const bytes *other)
{
    size_t at = below(b->n + 1), s, len;
    switch (k) {
    case 0: /* truncated */
        b->n = at;
        break;
    case 1: /* bytes flipped */
        for (size_t i = 0, m = 1 + below(8); i < m && b->n; i++)
            b->p[below(b->n)] ^= (char)(1 + below(255));
        break;
    case 2: /* quotes lost */
        for (size_t i = 0, m = 1 + below(3); i < m && b->n; i++) {
            for (size_t j = 0, from = below(b->n); j < b->n; j++) {
                size_t x = (from + j) % b->n;
                if (b->p[x] == '"') {
                    splice(b, x, 1, "", 0);
                    break;
                }
            }
        }
        break;
    case 3: /* a line duplicated, up to 50 times */
        line_at(b, at, &s, &len);
        for (size_t i = 0, m = 1 + below(50); i < m && len; i++) {
            char *copy = malloc(len);
            memcpy(copy, b->p + s, len);
            splice(b, s, 0, copy, len);
            free(copy);
        }
        break;
    case 4: /* a NUL byte */
        splice(b, at, 0, "\0", 1);
        break;
    case 5: { /* invalid UTF-8 */
        static const char *const bad[] = {"\xff", "\xc3\x28", "\xc0\x80",
                                          "\xed\xa0\x80", "\xf4\x90\x80\x80",
                                          "\xe2\x82"};
        const char *x = bad[below(6)];
        splice(b, at, 0, x, strlen(x));
        break;
    }
    case 6: { /* a huge value: a long run of one byte, or a huge number */
        size_t n = below(2) ? 100000 : 40;
        char *v = malloc(n);
        memset(v, below(2) ? 'A' : '9', n);
        const char *q = memchr(b->p + at, '"', b->n - at);
        splice(b, q ? (size_t)(q - b->p) + 1 : at, 0, v, n);
        free(v);
        break;
    }
    case 7: /* CRLF line ends, and a stray CR */
        for (size_t i = 0; i < b->n; i++)
            if (b->p[i] == '\n' && (i == 0 || b->p[i - 1] != '\r'))
                splice(b, i++, 0, "\r", 1);
        splice(b, below(b->n + 1), 0, "\r", 1);
        break;
    case 8: /* byte order marks: at the start, twice, or in the middle */
        splice(b, below(3) ? 0 : at, 0, "\xef\xbb\xbf", 3);
        if (below(2))
            splice(b, 0, 0, "\xef\xbb\xbf", 3);
        break;
    case 9: /* a line deleted */
        line_at(b, at, &s, &len);
        splice(b, s, len, "", 0);
        break;
    case 10: { /* two lines swapped */
        size_t s2, len2;
        line_at(b, at, &s, &len);
        line_at(b, below(b->n + 1), &s2, &len2);
        if (s2 < s) {
            size_t t = s;
            s = s2;
            s2 = t;
            t = len;
            len = len2;
            len2 = t;
        }
        if (s + len <= s2 && len && len2) {
            char *a = malloc(len), *c = malloc(len2);
            memcpy(a, b->p + s, len);
            memcpy(c, b->p + s2, len2);
            splice(b, s2, len2, a, len);
            splice(b, s, len, c, len2);
            free(a);
            free(c);
        }
        break;
    }
    case 11: { /* stray punctuation or keywords */
        for (size_t i = 0, m = 1 + below(4); i < m; i++) {
            const char *t = tokens[below(sizeof tokens / sizeof *tokens)];
            splice(b, below(b->n + 1), 0, t, strlen(t));
        }
        break;
    }
    case 12: { /* a chunk repeated many times */
        size_t n = 1 + below(64), times = 10 + below(2000);
        if (at + n > b->n)
            n = b->n - at;
        char *chunk = malloc(n * times + 1);
        for (size_t i = 0; i < times; i++)
            memcpy(chunk + i * n, b->p + at, n);
        splice(b, at, 0, chunk, n * times);
        free(chunk);
        break;
    }
    default: { /* a piece of the other format */
        size_t from = below(other->n), n = 1 + below(400);
        if (from + n > other->n)
            n = other->n - from;
        splice(b, at, below(200), other->p + from, n);
        break;
    }
    }
}

static void write_bytes(const char *path, const bytes *b)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "%s", path);
    cr_assert_eq(fwrite(b->p, 1, b->n, f), b->n);
    cr_assert_eq(fclose(f), 0);
}

static int counts[3];

/* Runs lint, summary and (when it loads) loops on `path`; checks how each
 * ended. `what` names the mutant in failure messages. */
static void check_ledger(const char *path, const char *what)
{
    const char *lint[] = {"lint", path, NULL};
    run_result l = run_cli(lint, NULL);
    cr_expect(l.status == 0 || l.status == 1 || l.status == 2,
              "%s: lint exited %d; stderr: %.300s", what, l.status, l.err);
    if (l.status == 2)
        cr_expect(strncmp(l.err, "dealgraph: ", 11) == 0,
                  "%s: lint exited 2 without a message: %.300s", what, l.err);
    if (l.status == 1)
        cr_expect(strstr(l.out, ": error: ") != NULL,
                  "%s: lint exited 1 without an error: %.300s", what, l.out);

    const char *summary[] = {"summary", path, NULL};
    run_result s = run_cli(summary, NULL);
    cr_expect(s.status == 0 || s.status == 2,
              "%s: summary exited %d; stderr: %.300s", what, s.status, s.err);
    if (s.status == 2)
        cr_expect(strncmp(s.err, "dealgraph: ", 11) == 0,
                  "%s: summary exited 2 without a message: %.300s", what,
                  s.err);
    /* lint finds no error exactly when the ledger loads */
    cr_expect((l.status == 0) == (s.status == 0),
              "%s: lint exited %d but summary %d", what, l.status, s.status);
    if (l.status >= 0 && l.status <= 2)
        counts[l.status]++;

    if (s.status == 0) {
        const char *loops[] = {"loops", path, "--count", "--max-seconds",
                               "1", NULL};
        run_result r = run_cli(loops, NULL);
        cr_expect_eq(r.status, 0, "%s: loops exited %d; stderr: %.300s",
                     what, r.status, r.err);
        run_free(&r);
    }
    /* standard error holds only dealgraph's own lines: nothing printed by
     * cgraph, igraph or a sanitizer */
    for (const run_result *r = &l; r; r = r == &l ? &s : NULL)
        for (const char *line = r->err; *line;) {
            cr_expect(strncmp(line, "dealgraph: ", 11) == 0,
                      "%s: a line on stderr not from dealgraph: %.300s", what,
                      line);
            const char *nl = strchr(line, '\n');
            line = nl ? nl + 1 : line + strlen(line);
        }
    run_free(&l);
    run_free(&s);
}

/* `count` mutants of the shipped DOT ledger, from mutant number `first`
 * (the seed is the mutant's number: each is the same in every run). */
static void dot_mutants(int first, int count)
{
    bytes dot = load("graphs/ai-2025.dot");
    bytes csv = load("graphs/ai-2025/deals.csv");
    char *dir = temp_dir();
    char path[4096], what[64];
    snprintf(path, sizeof path, "%s/ledger.dot", dir);
    for (int i = first; i < first + count; i++) {
        rng = 0x9e3779b97f4a7c15ull ^ ((uint64_t)i * 0x100000001b3ull);
        bytes b = {malloc(dot.n), dot.n};
        memcpy(b.p, dot.p, dot.n);
        /* one mutation, or for every fourth mutant three of them */
        for (int m = 0; m < (i % 4 == 3 ? 3 : 1); m++)
            mutate(&b, (int)((i + m * 5) % 14), &csv);
        write_bytes(path, &b);
        snprintf(what, sizeof what, "dot mutant %d", i);
        check_ledger(path, what);
        free(b.p);
    }
    remove(path);
    free(dir);
    free(dot.p);
    free(csv.p);
}

/* Mutants of the shipped CSV ledger as a directory: deals.csv mutated, and
 * for every third one companies.csv or graph.csv too. */
static void csv_mutants(int first, int count)
{
    bytes deals = load("graphs/ai-2025/deals.csv");
    bytes companies = load("graphs/ai-2025/companies.csv");
    bytes graph = load("graphs/ai-2025/graph.csv");
    bytes dot = load("graphs/ai-2025.dot");
    char *dir = temp_dir();
    char pd[4096], pc[4096], pg[4096], what[64];
    snprintf(pd, sizeof pd, "%s/deals.csv", dir);
    snprintf(pc, sizeof pc, "%s/companies.csv", dir);
    snprintf(pg, sizeof pg, "%s/graph.csv", dir);
    for (int i = first; i < first + count; i++) {
        rng = 0x51ed270b27c6f3a5ull ^ ((uint64_t)i * 0x100000001b3ull);
        bytes d = {malloc(deals.n), deals.n};
        bytes c = {malloc(companies.n), companies.n};
        bytes g = {malloc(graph.n), graph.n};
        memcpy(d.p, deals.p, deals.n);
        memcpy(c.p, companies.p, companies.n);
        memcpy(g.p, graph.p, graph.n);
        mutate(&d, i % 14, &dot);
        if (i % 3 == 1)
            mutate(&c, (i / 3) % 14, &dot);
        if (i % 3 == 2)
            mutate(&g, (i / 3) % 14, &dot);
        write_bytes(pd, &d);
        write_bytes(pc, &c);
        write_bytes(pg, &g);
        snprintf(what, sizeof what, "csv mutant %d", i);
        check_ledger(dir, what);
        free(d.p);
        free(c.p);
        free(g.p);
    }
    remove(pd);
    remove(pc);
    remove(pg);
    free(dir);
    free(deals.p);
    free(companies.p);
    free(graph.p);
    free(dot.p);
}

/* The corpus must break ledgers in every way, not only one: some mutants
 * still load (0), most are invalid (1), and some are unreadable (2). */
static void expect_variety(void)
{
    cr_expect_gt(counts[1], 0, "some mutants have errors");
    cr_expect_gt(counts[0] + counts[2], 0);
}

Test(corpus, mutated_dot_ledgers_0_to_69, .timeout = 900)
{
    dot_mutants(0, 70);
    expect_variety();
}

Test(corpus, mutated_dot_ledgers_70_to_139, .timeout = 900)
{
    dot_mutants(70, 70);
    expect_variety();
}

Test(corpus, mutated_csv_ledgers_0_to_59, .timeout = 900)
{
    csv_mutants(0, 60);
    expect_variety();
}

Test(corpus, mutated_csv_ledgers_60_to_119, .timeout = 900)
{
    csv_mutants(60, 60);
    expect_variety();
}
