/*
 * test_cycles.c - the cycle engine (cycles.c) against closed forms, a
 * brute-force enumerator, and traps for length-bounded search. The
 * suite cycles_slow runs in meson's suite 'slow' (tests/README.md).
 */
#include "cycles.h"
#include "dealgraph/dealgraph.h"

#include <criterion/criterion.h>
#include <igraph.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void setup(void)
{
    igraph_set_error_handler(igraph_error_handler_ignore);
}

TestSuite(cycles, .init = setup);

/* ---- graphs ------------------------------------------------------------ */

/* A graph under construction: an adjacency matrix for small n, or an edge
 * list; dg_digraph views are made by build(). */
typedef struct graph {
    uint32_t n;
    uint32_t *off, *adj;
    size_t m, cap;
    uint32_t *eu, *ev; /* edges as added */
    dg_digraph g;
} graph;

static void graph_init(graph *G, uint32_t n)
{
    memset(G, 0, sizeof *G);
    G->n = n;
}

static void graph_add(graph *G, uint32_t u, uint32_t v)
{
    if (G->m == G->cap) {
        G->cap = G->cap ? 2 * G->cap : 64;
        G->eu = realloc(G->eu, G->cap * sizeof *G->eu);
        G->ev = realloc(G->ev, G->cap * sizeof *G->ev);
        cr_assert(G->eu && G->ev);
    }
    G->eu[G->m] = u;
    G->ev[G->m] = v;
    G->m++;
}

/* CSR with sorted, unique rows; duplicates and self-loops dropped. */
static const dg_digraph *graph_build(graph *G)
{
    uint32_t n = G->n;
    free(G->off);
    free(G->adj);
    G->off = calloc((size_t)n + 1, sizeof *G->off);
    G->adj = malloc((G->m ? G->m : 1) * sizeof *G->adj);
    cr_assert(G->off && G->adj);
    /* counting sort by (u, v): by v first, then stable by u */
    size_t *order = malloc((G->m ? G->m : 1) * sizeof *order);
    size_t *tmp = malloc((G->m ? G->m : 1) * sizeof *tmp);
    size_t *cnt = calloc((size_t)n + 1, sizeof *cnt);
    cr_assert(order && tmp && cnt);
    for (size_t i = 0; i < G->m; i++)
        cnt[G->ev[i] + 1]++;
    for (uint32_t i = 0; i < n; i++)
        cnt[i + 1] += cnt[i];
    for (size_t i = 0; i < G->m; i++)
        tmp[cnt[G->ev[i]]++] = i;
    memset(cnt, 0, ((size_t)n + 1) * sizeof *cnt);
    for (size_t i = 0; i < G->m; i++)
        cnt[G->eu[i] + 1]++;
    for (uint32_t i = 0; i < n; i++)
        cnt[i + 1] += cnt[i];
    for (size_t j = 0; j < G->m; j++) {
        size_t i = tmp[j];
        order[cnt[G->eu[i]]++] = i;
    }
    uint32_t mm = 0;
    size_t prev = SIZE_MAX;
    for (size_t j = 0; j < G->m; j++) {
        size_t i = order[j];
        if (G->eu[i] == G->ev[i])
            continue;
        if (prev != SIZE_MAX && G->eu[prev] == G->eu[i] &&
            G->ev[prev] == G->ev[i])
            continue;
        prev = i;
        G->adj[mm++] = G->ev[i];
        G->off[G->eu[i] + 1]++;
    }
    for (uint32_t v = 0; v < n; v++)
        G->off[v + 1] += G->off[v];
    free(order);
    free(tmp);
    free(cnt);
    G->g = (dg_digraph){n, G->off, G->adj};
    return &G->g;
}

static void graph_finish(graph *G)
{
    free(G->off);
    free(G->adj);
    free(G->eu);
    free(G->ev);
    memset(G, 0, sizeof *G);
}

static void complete(graph *G, uint32_t n)
{
    graph_init(G, n);
    for (uint32_t u = 0; u < n; u++)
        for (uint32_t v = 0; v < n; v++)
            if (u != v)
                graph_add(G, u, v);
}

/* A chain of t diamonds closed by one back edge: j_0 = 0; diamond i has
 * j_{i-1} -> a_i, j_{i-1} -> b_i, a_i -> j_i, b_i -> j_i; then j_t -> 0.
 * Every cycle takes one side of each diamond: 2^t cycles, each of length
 * 2t + 1. Vertex ids: a_i = 3i - 2, b_i = 3i - 1, j_i = 3i. */
static void diamond_chain(graph *G, uint32_t t)
{
    graph_init(G, 3 * t + 1);
    for (uint32_t i = 1; i <= t; i++) {
        uint32_t prev = 3 * (i - 1), a = 3 * i - 2, b = 3 * i - 1, j = 3 * i;
        graph_add(G, prev, a);
        graph_add(G, prev, b);
        graph_add(G, a, j);
        graph_add(G, b, j);
    }
    graph_add(G, 3 * t, 0);
}

/* ---- collecting cycles ------------------------------------------------- */

/* A cycle as one number: its length, then each vertex as a hex digit
 * (n <= 15, length <= 14). The leading digit says how many follow, so the
 * code is injective. */
static uint64_t encode(const uint32_t *vs, size_t len)
{
    uint64_t key = len;
    for (size_t i = 0; i < len; i++)
        key = key * 16 + vs[i];
    return key;
}

typedef struct collect {
    uint64_t *keys;
    size_t count, cap;
    uint32_t through;  /* check: every cycle contains it (UINT32_MAX: any) */
    bool bad_rotation; /* a cycle did not start at its smallest vertex */
    bool bad_through;
    bool bad_simple;   /* a repeated vertex */
} collect;

static int collect_fn(const uint32_t *vs, size_t len, void *ctx)
{
    collect *c = ctx;
    bool has = c->through == UINT32_MAX;
    for (size_t i = 0; i < len; i++) {
        if (vs[i] < vs[0])
            c->bad_rotation = true;
        if (vs[i] == c->through)
            has = true;
        for (size_t j = 0; j < i; j++)
            if (vs[j] == vs[i])
                c->bad_simple = true;
    }
    if (!has)
        c->bad_through = true;
    if (c->count == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 256;
        c->keys = realloc(c->keys, c->cap * sizeof *c->keys);
        cr_assert(c->keys);
    }
    c->keys[c->count++] = encode(vs, len);
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void sort_keys(uint64_t *keys, size_t n)
{
    if (n > 0) /* qsort with a NULL array is undefined, even for 0 items */
        qsort(keys, n, sizeof *keys, cmp_u64);
}

/* ---- the brute-force reference ----------------------------------------- */

/* Every simple path from s over vertices > s, by plain recursion on an
 * adjacency matrix, closed back to s: each cycle once, starting at its
 * smallest vertex. No pruning, no blocking: slow and obviously right. */
typedef struct brute {
    uint32_t n;
    bool a[16][16];
    uint32_t path[16];
    bool on[16];
    collect *out;
} brute;

static void brute_dfs(brute *B, uint32_t len)
{
    uint32_t s = B->path[0], v = B->path[len - 1];
    if (len >= 2 && B->a[v][s])
        collect_fn(B->path, len, B->out);
    for (uint32_t w = s + 1; w < B->n; w++)
        if (B->a[v][w] && !B->on[w]) {
            B->on[w] = true;
            B->path[len] = w;
            brute_dfs(B, len + 1);
            B->on[w] = false;
        }
}

static void brute_all(const dg_digraph *g, collect *out)
{
    brute B;
    memset(&B, 0, sizeof B);
    B.n = g->n;
    B.out = out;
    for (uint32_t u = 0; u < g->n; u++)
        for (uint32_t e = g->off[u]; e < g->off[u + 1]; e++)
            B.a[u][g->adj[e]] = true;
    for (uint32_t s = 0; s < g->n; s++) {
        B.path[0] = s;
        B.on[s] = true;
        brute_dfs(&B, 1);
        B.on[s] = false;
    }
}

/* The reference cycles that satisfy the options, sorted. */
static size_t reference(const collect *all, const dg_cycle_options *o,
                        uint64_t *keys)
{
    size_t k = 0;
    for (size_t i = 0; i < all->count; i++) {
        uint64_t key = all->keys[i];
        size_t len = 0;
        uint64_t x = key;
        while (x >= 16) {
            x /= 16;
            len++;
        }
        /* x is now the leading length digit */
        cr_assert_eq(x, len);
        if (o->max_len && len > o->max_len)
            continue;
        if (len < (o->min_len < 2 ? 2 : o->min_len))
            continue;
        if (o->through != UINT32_MAX) {
            bool has = false;
            uint64_t y = key;
            for (size_t j = 0; j < len; j++, y /= 16)
                if (y % 16 == o->through)
                    has = true;
            if (!has)
                continue;
        }
        keys[k++] = key;
    }
    sort_keys(keys, k);
    return k;
}

static uint64_t choose(unsigned n, unsigned k)
{
    uint64_t r = 1;
    for (unsigned i = 1; i <= k; i++)
        r = r * (n - k + i) / i;
    return r;
}

static uint64_t factorial(unsigned n)
{
    uint64_t r = 1;
    for (unsigned i = 2; i <= n; i++)
        r *= i;
    return r;
}

/* A small deterministic generator (splitmix64), so failures reproduce. */
static uint64_t rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static uint64_t count_only(const dg_digraph *g, const dg_cycle_options *o,
                           dg_cycle_stats *st)
{
    cr_assert_eq(dg_cycles_each(g, o, NULL, NULL, st), DG_OK);
    return st->cycles;
}

/* ---- closed forms ------------------------------------------------------ */

/* The complete digraph K_n has C(n,k)(k-1)! cycles of length k: choose the
 * k vertices, then arrange them around a directed cycle, (k-1)! ways. */
Test(cycles, complete_digraph_k5_has_84_cycles)
{
    graph G;
    complete(&G, 5);
    dg_cycle_stats st;
    cr_assert_eq(count_only(graph_build(&G), NULL, &st), 84);
    graph_finish(&G);
}

Test(cycles, complete_digraphs_k2_to_k7_match_the_closed_form_per_length)
{
    for (unsigned n = 2; n <= 7; n++) {
        graph G;
        complete(&G, n);
        const dg_digraph *g = graph_build(&G);
        dg_cycle_stats st;
        uint64_t total = 0;
        count_only(g, NULL, &st);
        for (unsigned k = 2; k <= n; k++) {
            uint64_t want = choose(n, k) * factorial(k - 1);
            cr_expect_eq(st.by_length[k], want, "K_%u length %u: %llu != %llu",
                         n, k, (unsigned long long)st.by_length[k],
                         (unsigned long long)want);
            total += want;
        }
        cr_expect_eq(st.cycles, total, "K_%u", n);
        cr_expect_eq(st.by_length[0], 0);
        cr_expect_eq(st.by_length[1], 0);
        graph_finish(&G);
    }
}

Test(cycles, complete_digraphs_under_every_length_bound_count_only_short_cycles)
{
    for (unsigned n = 2; n <= 7; n++) {
        graph G;
        complete(&G, n);
        const dg_digraph *g = graph_build(&G);
        for (unsigned L = 1; L <= n + 1; L++) {
            dg_cycle_options o;
            dg_cycle_options_init(&o);
            o.max_len = L;
            dg_cycle_stats st;
            count_only(g, &o, &st);
            uint64_t total = 0;
            for (unsigned k = 2; k <= n; k++) {
                uint64_t want = k <= L ? choose(n, k) * factorial(k - 1) : 0;
                cr_expect_eq(st.by_length[k], want, "K_%u bound %u length %u",
                             n, L, k);
                total += want;
            }
            cr_expect_eq(st.cycles, total, "K_%u bound %u", n, L);
        }
        graph_finish(&G);
    }
}

Test(cycles, complete_digraph_k9_with_min_length_counts_only_long_cycles)
{
    graph G;
    complete(&G, 9);
    dg_cycle_options o;
    dg_cycle_options_init(&o);
    o.min_len = 7;
    o.max_len = 8;
    dg_cycle_stats st;
    uint64_t want = choose(9, 7) * factorial(6) + choose(9, 8) * factorial(7);
    cr_assert_eq(count_only(graph_build(&G), &o, &st), want);
    cr_expect_eq(st.by_length[6], 0);
    cr_expect_eq(st.by_length[9], 0);
    graph_finish(&G);
}

/* Through vertex 2 of K_5: all cycles minus those of the K_4 left when 2
 * is removed: 84 - 20. */
Test(cycles, complete_digraph_k5_has_64_cycles_through_one_vertex)
{
    graph G;
    complete(&G, 5);
    dg_cycle_options o;
    dg_cycle_options_init(&o);
    o.through = 2;
    collect c = {.through = 2};
    dg_cycle_stats st;
    cr_assert_eq(dg_cycles_each(graph_build(&G), &o, collect_fn, &c, &st),
                 DG_OK);
    cr_expect_eq(st.cycles, 64);
    cr_expect_eq(c.count, 64);
    cr_expect(!c.bad_through, "a cycle missed vertex 2");
    cr_expect(!c.bad_rotation, "a cycle did not start at its smallest vertex");
    free(c.keys);
    graph_finish(&G);
}

/* ---- the brute-force comparison ---------------------------------------- */

static void expect_same(const dg_digraph *g, const collect *all,
                        const dg_cycle_options *o, const char *what,
                        unsigned seed)
{
    collect c = {.through = o->through};
    dg_cycle_stats st, st0;
    uint64_t *want = malloc((all->count ? all->count : 1) * sizeof *want);
    cr_assert(want);
    size_t nwant = reference(all, o, want);
    cr_assert_eq(dg_cycles_each(g, o, collect_fn, &c, &st), DG_OK);
    sort_keys(c.keys, c.count);
    cr_assert(!c.bad_rotation, "graph %u %s: bad rotation", seed, what);
    cr_assert(!c.bad_through, "graph %u %s: missed the through vertex", seed,
              what);
    cr_assert(!c.bad_simple, "graph %u %s: repeated vertex", seed, what);
    cr_assert_eq(c.count, nwant,
                 "graph %u (n=%u) %s max_len=%zu min_len=%zu through=%u: "
                 "%zu cycles, brute force %zu",
                 seed, g->n, what, o->max_len, o->min_len, o->through,
                 c.count, nwant);
    for (size_t i = 0; i < nwant; i++)
        cr_assert_eq(c.keys[i], want[i], "graph %u %s: cycle %zu differs",
                     seed, what, i);
    cr_assert_eq(st.cycles, nwant);
    /* Counting mode gives the same numbers. */
    cr_assert_eq(dg_cycles_each(g, o, NULL, NULL, &st0), DG_OK);
    cr_assert_eq(st0.cycles, st.cycles);
    cr_assert_eq(memcmp(st0.by_length, st.by_length, sizeof st.by_length), 0);
    free(want);
    free(c.keys);
}

/* Both searches: bit sets (components of up to 64 vertices, no bound) and
 * the general arrays (larger components and every bounded search). */
static void expect_same_both(const dg_digraph *g, const collect *all,
                             dg_cycle_options *o, const char *what,
                             unsigned seed)
{
    o->no_bitsets = false;
    expect_same(g, all, o, what, seed);
    o->no_bitsets = true;
    expect_same(g, all, o, what, seed);
    o->no_bitsets = false;
}

/* Random digraphs of 1 to 9 vertices, from seeds 1 to 600, against the
 * brute force: unbounded, under every bound, through each vertex, with a
 * minimum length. Those of up to 8 vertices take a second and run with
 * the fast tests; those of 9 take ten times as long (a complete digraph
 * of 9 vertices has 125,664 cycles, against 16,064 for 8, and each graph
 * is searched some 40 ways) and run in the slow suite. */
static void cross_check_random(uint32_t min_n, uint32_t max_n)
{
    unsigned graphs = 0, runs = 0;
    for (unsigned seed = 1; seed <= 600; seed++) {
        uint64_t state = seed;
        uint32_t n = 1 + (uint32_t)(rng_next(&state) % 9);
        if (n < min_n || n > max_n)
            continue;
        /* densities from sparse (5%) to nearly complete (95%) */
        unsigned pct = 5 + (unsigned)(rng_next(&state) % 91);
        graph G;
        graph_init(&G, n);
        for (uint32_t u = 0; u < n; u++)
            for (uint32_t v = 0; v < n; v++)
                if (u != v && rng_next(&state) % 100 < pct)
                    graph_add(&G, u, v);
        const dg_digraph *g = graph_build(&G);
        collect all = {.through = UINT32_MAX};
        brute_all(g, &all);

        dg_cycle_options o;
        dg_cycle_options_init(&o);
        expect_same_both(g, &all, &o, "plain", seed);
        runs++;
        for (size_t L = 2; L <= n; L++) {
            o.max_len = L;
            expect_same_both(g, &all, &o, "bounded", seed);
            runs++;
        }
        /* through each vertex, unbounded and with a random bound */
        for (uint32_t t = 0; t < n; t++) {
            dg_cycle_options_init(&o);
            o.through = t;
            expect_same_both(g, &all, &o, "through", seed);
            o.max_len = 2 + rng_next(&state) % (n + 1);
            expect_same_both(g, &all, &o, "through+bounded", seed);
            runs += 2;
        }
        /* a minimum length, alone and with a bound */
        dg_cycle_options_init(&o);
        o.min_len = rng_next(&state) % (n + 2);
        expect_same_both(g, &all, &o, "min_len", seed);
        o.max_len = 2 + rng_next(&state) % (n + 1);
        expect_same_both(g, &all, &o, "min_len+bounded", seed);
        runs += 2;
        free(all.keys);
        graph_finish(&G);
        graphs++;
    }
    cr_log_info("%u graphs, %u comparisons", graphs, runs);
}

Test(cycles, random_digraphs_of_up_to_8_vertices_give_exactly_the_brute_force_cycles)
{
    cross_check_random(1, 8);
}

TestSuite(cycles_slow, .init = setup);

Test(cycles_slow, random_digraphs_of_9_vertices_give_exactly_the_brute_force_cycles)
{
    cross_check_random(9, 9);
}

/* Larger sparse graphs (n = 12..14), where several components and long
 * blocking chains occur, against the same brute force. */
Test(cycles, larger_sparse_digraphs_give_exactly_the_brute_force_cycles)
{
    for (unsigned seed = 1001; seed <= 1120; seed++) {
        uint64_t state = seed;
        uint32_t n = 12 + (uint32_t)(rng_next(&state) % 3);
        uint32_t m = n + (uint32_t)(rng_next(&state) % (2 * n));
        graph G;
        graph_init(&G, n);
        for (uint32_t i = 0; i < m; i++) {
            uint32_t u = (uint32_t)(rng_next(&state) % n);
            uint32_t v = (uint32_t)(rng_next(&state) % n);
            graph_add(&G, u, v);
        }
        const dg_digraph *g = graph_build(&G);
        collect all = {.through = UINT32_MAX};
        brute_all(g, &all);
        dg_cycle_options o;
        dg_cycle_options_init(&o);
        expect_same_both(g, &all, &o, "plain", seed);
        for (size_t L = 2; L <= 8; L++) {
            o.max_len = L;
            expect_same_both(g, &all, &o, "bounded", seed);
        }
        o.max_len = 0;
        o.through = (uint32_t)(rng_next(&state) % n);
        expect_same_both(g, &all, &o, "through", seed);
        o.max_len = 4;
        expect_same_both(g, &all, &o, "through+bounded", seed);
        free(all.keys);
        graph_finish(&G);
    }
}

/* ---- traps ------------------------------------------------------------- */

Test(cycles, open_chain_has_no_cycle)
{
    graph G;
    graph_init(&G, 50);
    for (uint32_t i = 0; i + 1 < 50; i++)
        graph_add(&G, i, i + 1);
    dg_cycle_stats st;
    cr_expect_eq(count_only(graph_build(&G), NULL, &st), 0);
    cr_expect_eq(st.steps, 0);
    graph_finish(&G);
}

Test(cycles, two_cycle_is_one_cycle)
{
    graph G;
    graph_init(&G, 2);
    graph_add(&G, 1, 0);
    graph_add(&G, 0, 1);
    collect c = {.through = UINT32_MAX};
    dg_cycle_stats st;
    cr_assert_eq(dg_cycles_each(graph_build(&G), NULL, collect_fn, &c, &st),
                 DG_OK);
    cr_expect_eq(st.cycles, 1);
    cr_expect_eq(st.by_length[2], 1);
    cr_assert_eq(c.count, 1);
    uint32_t want[] = {0, 1};
    cr_expect_eq(c.keys[0], encode(want, 2));
    free(c.keys);
    graph_finish(&G);
}

Test(cycles, empty_and_edgeless_graphs_have_no_cycle)
{
    dg_digraph empty = {0, NULL, NULL};
    dg_cycle_stats st;
    cr_expect_eq(count_only(&empty, NULL, &st), 0);
    uint32_t off[4] = {0, 0, 0, 0};
    dg_digraph edgeless = {3, off, NULL};
    cr_expect_eq(count_only(&edgeless, NULL, &st), 0);
}

Test(cycles, callback_gets_each_cycle_starting_at_its_smallest_vertex)
{
    /* 3 -> 1 -> 2 -> 3, and 4 <-> 2 */
    graph G;
    graph_init(&G, 5);
    graph_add(&G, 3, 1);
    graph_add(&G, 1, 2);
    graph_add(&G, 2, 3);
    graph_add(&G, 2, 4);
    graph_add(&G, 4, 2);
    collect c = {.through = UINT32_MAX};
    dg_cycle_stats st;
    cr_assert_eq(dg_cycles_each(graph_build(&G), NULL, collect_fn, &c, &st),
                 DG_OK);
    cr_assert_eq(c.count, 2);
    sort_keys(c.keys, c.count);
    uint32_t a[] = {2, 4}, b[] = {1, 2, 3};
    cr_expect_eq(c.keys[0], encode(a, 2));
    cr_expect_eq(c.keys[1], encode(b, 3));
    free(c.keys);
    graph_finish(&G);
}

Test(cycles, disjoint_components_each_contribute_their_cycles)
{
    /* triangles 0-1-2 and 3-4-5, a one-way bridge 2 -> 3 */
    graph G;
    graph_init(&G, 6);
    graph_add(&G, 0, 1);
    graph_add(&G, 1, 2);
    graph_add(&G, 2, 0);
    graph_add(&G, 3, 4);
    graph_add(&G, 4, 5);
    graph_add(&G, 5, 3);
    graph_add(&G, 2, 3);
    dg_cycle_stats st;
    cr_expect_eq(count_only(graph_build(&G), NULL, &st), 2);
    cr_expect_eq(st.by_length[3], 2);
    graph_finish(&G);
}

Test(cycles, diamond_chain_has_2_pow_t_cycles_at_bound_2t_plus_1_and_none_below)
{
    for (uint32_t t = 1; t <= 12; t++) {
        graph G;
        diamond_chain(&G, t);
        const dg_digraph *g = graph_build(&G);
        dg_cycle_options o;
        dg_cycle_options_init(&o);
        dg_cycle_stats st;
        o.max_len = 2 * t;
        cr_expect_eq(count_only(g, &o, &st), 0, "t=%u bound 2t", t);
        o.max_len = 2 * t + 1;
        cr_expect_eq(count_only(g, &o, &st), (uint64_t)1 << t,
                     "t=%u bound 2t+1", t);
        cr_expect_eq(st.by_length[2 * t + 1 <= 64 ? 2 * t + 1 : 0],
                     (uint64_t)1 << t);
        o.max_len = 0;
        cr_expect_eq(count_only(g, &o, &st), (uint64_t)1 << t,
                     "t=%u unbounded", t);
        graph_finish(&G);
    }
}

/* A search that extends every path that fits the bound would walk all 2^t
 * paths of the chain before finding that none closes in time. The work
 * must instead grow at most linearly in t (here: none at all, the distance
 * pass already rules every extension out). */
Test(cycles, diamond_chain_at_bound_2t_is_answered_with_linear_work)
{
    for (uint32_t t = 20; t <= 25; t++) {
        graph G;
        diamond_chain(&G, t);
        dg_cycle_options o;
        dg_cycle_options_init(&o);
        o.max_len = 2 * t;
        dg_cycle_stats st;
        cr_expect_eq(count_only(graph_build(&G), &o, &st), 0);
        cr_expect_leq(st.steps, 4 * (uint64_t)t, "t=%u: %llu steps", t,
                      (unsigned long long)st.steps);
        graph_finish(&G);
    }
}

/* The trap that distance pruning alone cannot answer: s = 0 -> p = 1, a
 * chain of t diamonds from p to x, and x -> p, p -> s. From s every chain
 * vertex seems two hops from home (via p), but p is already on the path, so
 * none of the 2^t chain paths closes through s. Only blocking (Johnson's
 * flag; the blocking lengths of Gupta & Suzumura under a bound) keeps the
 * search linear. The cycles through s: just s <-> p. */
static void detour_trap(graph *G, uint32_t t)
{
    graph_init(G, 3 * t + 2);
    graph_add(G, 0, 1);
    graph_add(G, 1, 0);
    for (uint32_t i = 1; i <= t; i++) {
        /* ids shifted by one: j_0 = p = 1 */
        uint32_t prev = 3 * (i - 1) + 1, a = 3 * i - 1, b = 3 * i,
                 j = 3 * i + 1;
        graph_add(G, prev, a);
        graph_add(G, prev, b);
        graph_add(G, a, j);
        graph_add(G, b, j);
    }
    graph_add(G, 3 * t + 1, 1);
}

Test(cycles, detour_trap_through_the_start_needs_only_linear_work)
{
    for (uint32_t t = 20; t <= 25; t++) {
        graph G;
        detour_trap(&G, t);
        const dg_digraph *g = graph_build(&G);
        size_t bounds[] = {0, 2 * t + 3, 2 * t + 10};
        for (size_t i = 0; i < 6; i++) {
            dg_cycle_options o;
            dg_cycle_options_init(&o);
            o.through = 0;
            o.max_len = bounds[i % 3];
            o.no_bitsets = i >= 3;
            dg_cycle_stats st;
            cr_expect_eq(count_only(g, &o, &st), 1, "t=%u bound %zu", t,
                         o.max_len);
            cr_expect_leq(st.steps, 8 * (uint64_t)t + 8,
                          "t=%u bound %zu: %llu steps", t, o.max_len,
                          (unsigned long long)st.steps);
        }
        graph_finish(&G);
    }
}

/* Johnson's blocked flag is wrong under a bound: reached first by the long
 * path 0,1,2,3,4, vertex 4 cannot close within 4 hops and would stay
 * blocked, hiding 0 -> 4 -> 5 -> 0 (length 3). */
Test(cycles, vertex_failing_from_a_long_path_still_closes_from_a_short_one)
{
    graph G;
    graph_init(&G, 6);
    graph_add(&G, 0, 1);
    graph_add(&G, 1, 2);
    graph_add(&G, 2, 3);
    graph_add(&G, 3, 4);
    graph_add(&G, 0, 4);
    graph_add(&G, 4, 5);
    graph_add(&G, 5, 0);
    const dg_digraph *g = graph_build(&G);
    dg_cycle_options o;
    dg_cycle_options_init(&o);
    dg_cycle_stats st;
    o.max_len = 4;
    cr_expect_eq(count_only(g, &o, &st), 1);
    cr_expect_eq(st.by_length[3], 1);
    o.max_len = 6;
    cr_expect_eq(count_only(g, &o, &st), 2);
    cr_expect_eq(st.by_length[6], 1);
    graph_finish(&G);
}

/* Gupta & Suzumura as printed give a vertex that found a cycle the lock
 * L - b + 1, b its shortest way back found. Here vertex 3 is first reached
 * by 0,1,2,3 with 2 on the path, so its only way back is 3,4,5,0 (b = 3)
 * and that lock would admit it at depth <= 3 only. Reached later by
 * 0,1,6,7,3 (depth 4), it closes through 2, which is off the path by then:
 * 0,1,6,7,3,2 has length 6. The engine must find it at bound 6. */
Test(cycles, vertex_that_closed_around_the_path_reopens_when_the_path_shrinks)
{
    graph G;
    graph_init(&G, 8);
    uint32_t edges[][2] = {{0, 1}, {1, 2}, {2, 0}, {2, 3}, {3, 4}, {4, 5},
                           {5, 0}, {3, 2}, {1, 6}, {6, 7}, {7, 3}};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        graph_add(&G, edges[i][0], edges[i][1]);
    const dg_digraph *g = graph_build(&G);
    collect all = {.through = UINT32_MAX};
    brute_all(g, &all);
    dg_cycle_options o;
    dg_cycle_options_init(&o);
    o.max_len = 6;
    expect_same_both(g, &all, &o, "reopen", 0);
    collect c = {.through = UINT32_MAX};
    dg_cycle_stats st;
    cr_assert_eq(dg_cycles_each(g, &o, collect_fn, &c, &st), DG_OK);
    uint32_t want[] = {0, 1, 6, 7, 3, 2};
    bool seen = false;
    for (size_t i = 0; i < c.count; i++)
        seen |= c.keys[i] == encode(want, 6);
    cr_expect(seen, "0,1,6,7,3,2 was not reported");
    free(c.keys);
    free(all.keys);
    graph_finish(&G);
}

Test(cycles, long_ring_is_found_without_recursion_and_counted_as_longer_than_64)
{
    const uint32_t n = 300000;
    graph G;
    graph_init(&G, n);
    for (uint32_t i = 0; i < n; i++)
        graph_add(&G, i, (i + 1) % n);
    const dg_digraph *g = graph_build(&G);
    dg_cycle_stats st;
    cr_expect_eq(count_only(g, NULL, &st), 1);
    cr_expect_eq(st.by_length[0], 1);
    dg_cycle_options o;
    dg_cycle_options_init(&o);
    o.max_len = n - 1;
    cr_expect_eq(count_only(g, &o, &st), 0);
    o.max_len = n;
    cr_expect_eq(count_only(g, &o, &st), 1);
    graph_finish(&G);
}

/* ---- callback, options, limits ----------------------------------------- */

typedef struct stopper {
    unsigned seen, stop_after;
} stopper;

static int stop_fn(const uint32_t *vs, size_t len, void *ctx)
{
    (void)vs;
    (void)len;
    stopper *s = ctx;
    return ++s->seen == s->stop_after ? 7 : 0;
}

Test(cycles, callback_stop_value_ends_the_search_and_is_passed_back)
{
    graph G;
    complete(&G, 6);
    stopper s = {0, 3};
    dg_cycle_stats st;
    cr_assert_eq(dg_cycles_each(graph_build(&G), NULL, stop_fn, &s, &st),
                 DG_OK);
    cr_expect_eq(st.stopped, 7);
    cr_expect_eq(st.cycles, 3);
    cr_expect_eq(s.seen, 3);
    cr_expect(!st.timed_out);
    graph_finish(&G);
}

Test(cycles, through_a_vertex_outside_every_cycle_gives_none)
{
    /* 0 <-> 1, and 2 only points into the cycle */
    graph G;
    graph_init(&G, 3);
    graph_add(&G, 0, 1);
    graph_add(&G, 1, 0);
    graph_add(&G, 2, 0);
    dg_cycle_options o;
    dg_cycle_options_init(&o);
    o.through = 2;
    dg_cycle_stats st;
    cr_expect_eq(count_only(graph_build(&G), &o, &st), 0);
    o.through = 1;
    cr_expect_eq(count_only(&G.g, &o, &st), 1);
    graph_finish(&G);
}

Test(cycles, time_limit_stops_a_long_search_with_partial_results)
{
    graph G;
    complete(&G, 11);
    dg_cycle_options o;
    dg_cycle_options_init(&o);
    o.max_seconds = 1e-9;
    dg_cycle_stats st;
    cr_assert_eq(dg_cycles_each(graph_build(&G), &o, NULL, NULL, &st), DG_OK);
    cr_expect(st.timed_out);
    cr_expect_lt(st.cycles, 10976173);
    graph_finish(&G);
}

Test(cycles, bound_below_two_or_below_the_minimum_gives_no_cycle)
{
    graph G;
    complete(&G, 4);
    const dg_digraph *g = graph_build(&G);
    dg_cycle_options o;
    dg_cycle_options_init(&o);
    dg_cycle_stats st;
    o.max_len = 1;
    cr_expect_eq(count_only(g, &o, &st), 0);
    o.max_len = 3;
    o.min_len = 4;
    cr_expect_eq(count_only(g, &o, &st), 0);
    o.max_len = 0;
    o.min_len = 5;
    cr_expect_eq(count_only(g, &o, &st), 0);
    graph_finish(&G);
}

/* ---- malformed input --------------------------------------------------- */

static int run(uint32_t n, const uint32_t *off, const uint32_t *adj)
{
    dg_digraph g = {n, off, adj};
    dg_cycle_stats st;
    return dg_cycles_each(&g, NULL, NULL, NULL, &st);
}

Test(cycles, malformed_graphs_are_rejected_as_usage_errors)
{
    dg_cycle_stats st;
    cr_expect_eq(dg_cycles_each(NULL, NULL, NULL, NULL, &st), DG_EUSAGE);
    {   /* offsets go down */
        uint32_t off[] = {0, 2, 1, 3}, adj[] = {1, 2, 0};
        cr_expect_eq(run(3, off, adj), DG_EUSAGE);
    }
    {   /* offsets do not start at 0 */
        uint32_t off[] = {1, 2, 3}, adj[] = {1, 0, 0};
        cr_expect_eq(run(2, off, adj), DG_EUSAGE);
    }
    {   /* a successor out of range */
        uint32_t off[] = {0, 1, 2}, adj[] = {1, 2};
        cr_expect_eq(run(2, off, adj), DG_EUSAGE);
    }
    {   /* a row out of order */
        uint32_t off[] = {0, 2, 3, 4}, adj[] = {2, 1, 0, 0};
        cr_expect_eq(run(3, off, adj), DG_EUSAGE);
    }
    {   /* a duplicate successor */
        uint32_t off[] = {0, 2, 3}, adj[] = {1, 1, 0};
        cr_expect_eq(run(2, off, adj), DG_EUSAGE);
    }
    {   /* a self-loop */
        uint32_t off[] = {0, 2, 3}, adj[] = {0, 1, 0};
        cr_expect_eq(run(2, off, adj), DG_EUSAGE);
    }
    {   /* no offsets */
        cr_expect_eq(run(2, NULL, NULL), DG_EUSAGE);
    }
    {   /* edges but no successor array */
        uint32_t off[] = {0, 1, 2};
        cr_expect_eq(run(2, off, NULL), DG_EUSAGE);
    }
    {   /* a well-formed graph still passes */
        uint32_t off[] = {0, 1, 2}, adj[] = {1, 0};
        cr_expect_eq(run(2, off, adj), DG_OK);
    }
}

Test(cycles, bad_options_are_rejected_as_usage_errors)
{
    uint32_t off[] = {0, 1, 2}, adj[] = {1, 0};
    dg_digraph g = {2, off, adj};
    dg_cycle_options o;
    dg_cycle_stats st;
    dg_cycle_options_init(&o);
    o.through = 2;
    cr_expect_eq(dg_cycles_each(&g, &o, NULL, NULL, &st), DG_EUSAGE);
    dg_cycle_options_init(&o);
    o.max_seconds = -1;
    cr_expect_eq(dg_cycles_each(&g, &o, NULL, NULL, &st), DG_EUSAGE);
    o.max_seconds = NAN;
    cr_expect_eq(dg_cycles_each(&g, &o, NULL, NULL, &st), DG_EUSAGE);
}
