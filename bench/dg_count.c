/*
 * dg_count.c - benchmark driver: counts the elementary cycles of an edge
 * list with dg_cycles_each(fn = NULL), the engine behind
 * `dealgraph loops --count`.
 *
 * Usage: dg_count [--max-len N] [--no-bitsets] [-v] FILE
 * FILE: a first line "n m", then m lines "u v" (0-based ids, value moves
 * u -> v). Parallel edges are merged into one hop and self-loops dropped,
 * as the loop module does with legs. Prints the count on stdout; with -v
 * also the counts by length and the work (steps) on stderr. --no-bitsets
 * makes the engine use its general search on small components too.
 */
#include "cycles.h"
#include "dealgraph/dealgraph.h"

#include <igraph.h>

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { uint32_t u, v; } edge;

/* The next unsigned decimal in [*p, end), skipping other bytes; false at
 * the end. A small parser: fscanf costs more than the search on the small
 * cases. */
static bool next_number(const char **p, const char *end, unsigned long *out)
{
    const char *q = *p;
    while (q < end && (*q < '0' || *q > '9'))
        q++;
    if (q == end)
        return false;
    unsigned long x = 0;
    while (q < end && *q >= '0' && *q <= '9') {
        if (x > (ULONG_MAX - 9) / 10)
            return false;
        x = x * 10 + (unsigned long)(*q++ - '0');
    }
    *p = q;
    *out = x;
    return true;
}

static int cmp_edge(const void *a, const void *b)
{
    const edge *x = a, *y = b;
    if (x->u != y->u)
        return x->u < y->u ? -1 : 1;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return 0;
}

int main(int argc, char **argv)
{
    dg_cycle_options opt;
    const char *path = NULL;
    int verbose = 0;
    dg_cycle_options_init(&opt);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--max-len") && i + 1 < argc)
            opt.max_len = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--no-bitsets"))
            opt.no_bitsets = true;
        else if (!strcmp(argv[i], "-v"))
            verbose = 1;
        else if (argv[i][0] != '-' && !path)
            path = argv[i];
        else {
            fprintf(stderr, "usage: dg_count [--max-len N] [--no-bitsets] [-v] FILE\n");
            return 2;
        }
    }
    if (!path) {
        fprintf(stderr, "usage: dg_count [--max-len N] [--no-bitsets] [-v] FILE\n");
        return 2;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 2;
    }
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    for (size_t got; text && (got = fread(text + len, 1, cap - len, f)) > 0;) {
        len += got;
        if (len == cap)
            text = realloc(text, cap *= 2);
    }
    fclose(f);
    if (!text) {
        fprintf(stderr, "out of memory\n");
        return 2;
    }
    const char *p = text, *end = text + len;
    unsigned long n, m;
    if (!next_number(&p, end, &n) || !next_number(&p, end, &m) ||
        n >= UINT32_MAX - 2 || m >= UINT32_MAX - 2) {
        fprintf(stderr, "%s: bad header\n", path);
        return 2;
    }
    edge *es = malloc((m ? m : 1) * sizeof *es);
    uint32_t *off = calloc(n + 1, sizeof *off);
    uint32_t *adj = malloc((m ? m : 1) * sizeof *adj);
    if (!es || !off || !adj) {
        fprintf(stderr, "out of memory\n");
        return 2;
    }
    size_t k = 0;
    for (unsigned long i = 0; i < m; i++) {
        unsigned long u, v;
        if (!next_number(&p, end, &u) || !next_number(&p, end, &v) ||
            u >= n || v >= n) {
            fprintf(stderr, "%s: bad edge %lu\n", path, i + 1);
            return 2;
        }
        if (u != v)
            es[k++] = (edge){(uint32_t)u, (uint32_t)v};
    }
    free(text);
    bool sorted = true;
    for (size_t i = 1; i < k && sorted; i++)
        sorted = cmp_edge(&es[i - 1], &es[i]) <= 0;
    if (!sorted)
        qsort(es, k, sizeof *es, cmp_edge);
    size_t mm = 0;
    for (size_t i = 0; i < k; i++) {
        if (i > 0 && es[i].u == es[i - 1].u && es[i].v == es[i - 1].v)
            continue;
        adj[mm++] = es[i].v;
        off[es[i].u + 1]++;
    }
    for (unsigned long v = 0; v < n; v++)
        off[v + 1] += off[v];

    igraph_set_error_handler(igraph_error_handler_ignore);
    dg_digraph g = {(uint32_t)n, off, adj};
    dg_cycle_stats st;
    int rc = dg_cycles_each(&g, &opt, NULL, NULL, &st);
    if (rc != DG_OK) {
        fprintf(stderr, "dg_cycles_each failed: %d\n", rc);
        return 2;
    }
    printf("%llu\n", (unsigned long long)st.cycles);
    if (verbose) {
        for (int i = 1; i <= 64; i++)
            if (st.by_length[i])
                fprintf(stderr, "length %d: %llu\n", i,
                        (unsigned long long)st.by_length[i]);
        if (st.by_length[0])
            fprintf(stderr, "length > 64: %llu\n",
                    (unsigned long long)st.by_length[0]);
        fprintf(stderr, "steps: %llu\n", (unsigned long long)st.steps);
    }
    free(es);
    free(off);
    free(adj);
    return 0;
}
