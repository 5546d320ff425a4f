/* Strong components (scc.c): the same partition as igraph's own, the
 * documented numbering order, and no recursion depth on a long path. */
#include <criterion/criterion.h>
#include <igraph.h>
#include <stdlib.h>

#include "dealgraph/dealgraph.h"
#include "scc.h"

/* A CSR graph from arcs. */
typedef struct csr {
    uint32_t n, *off, *adj;
} csr;

static csr csr_of(uint32_t n, size_t m, const uint32_t *tail,
                  const uint32_t *head)
{
    csr g = {n, calloc((size_t)n + 1, sizeof(uint32_t)),
             malloc((m ? m : 1) * sizeof(uint32_t))};
    uint32_t *fill = calloc((size_t)n + 1, sizeof *fill);
    cr_assert(g.off && g.adj && fill);
    for (size_t k = 0; k < m; k++)
        g.off[tail[k] + 1]++;
    for (uint32_t v = 0; v < n; v++)
        g.off[v + 1] += g.off[v];
    for (size_t k = 0; k < m; k++)
        g.adj[g.off[tail[k]] + fill[tail[k]]++] = head[k];
    free(fill);
    return g;
}

static void csr_free(csr *g)
{
    free(g->off);
    free(g->adj);
}

Test(scc, partition_matches_igraph_on_random_graphs)
{
    srand(7);
    for (int trial = 0; trial < 300; trial++) {
        uint32_t n = 1 + (uint32_t)(rand() % 40);
        size_t m = (size_t)(rand() % (3 * n + 1));
        uint32_t *tail = malloc((m ? m : 1) * sizeof *tail);
        uint32_t *head = malloc((m ? m : 1) * sizeof *head);
        igraph_vector_int_t edges, memb;
        igraph_vector_int_init(&edges, (igraph_integer_t)(2 * m));
        for (size_t k = 0; k < m; k++) {
            tail[k] = (uint32_t)rand() % n;
            head[k] = (uint32_t)rand() % n;
            VECTOR(edges)[2 * k] = tail[k];
            VECTOR(edges)[2 * k + 1] = head[k];
        }
        igraph_t ig;
        cr_assert_eq(igraph_create(&ig, &edges, n, IGRAPH_DIRECTED), 0);
        igraph_vector_int_init(&memb, 0);
        igraph_integer_t no;
        cr_assert_eq(igraph_connected_components(&ig, &memb, NULL, &no,
                                                 IGRAPH_STRONG), 0);
        csr g = csr_of(n, m, tail, head);
        uint32_t *cid = malloc(n * sizeof *cid), ncomp = 0;
        cr_assert_eq(dg_scc(n, g.off, g.adj, cid, &ncomp), DG_OK);
        cr_expect_eq((igraph_integer_t)ncomp, no, "trial %d", trial);
        /* the same partition: u and v together in one iff in the other */
        for (uint32_t u = 0; u < n; u++) {
            cr_assert_lt(cid[u], ncomp);
            for (uint32_t v = 0; v < n; v++)
                cr_expect_eq(cid[u] == cid[v],
                             VECTOR(memb)[u] == VECTOR(memb)[v],
                             "trial %d, vertices %u and %u", trial, u, v);
        }
        /* an arc between components goes to one numbered earlier */
        for (size_t k = 0; k < m; k++)
            if (cid[tail[k]] != cid[head[k]])
                cr_expect_lt(cid[head[k]], cid[tail[k]]);
        free(cid);
        csr_free(&g);
        igraph_vector_int_destroy(&memb);
        igraph_destroy(&ig);
        igraph_vector_int_destroy(&edges);
        free(tail);
        free(head);
    }
}

/* A path of a million vertices closed into one cycle: one component,
 * found without a recursion a million calls deep. */
Test(scc, a_million_vertex_cycle_is_one_component)
{
    uint32_t n = 1000000;
    uint32_t *tail = malloc(n * sizeof *tail), *head = malloc(n * sizeof *head);
    for (uint32_t v = 0; v < n; v++) {
        tail[v] = v;
        head[v] = (v + 1) % n;
    }
    csr g = csr_of(n, n, tail, head);
    uint32_t *cid = malloc(n * sizeof *cid), ncomp = 0;
    cr_assert_eq(dg_scc(n, g.off, g.adj, cid, &ncomp), DG_OK);
    cr_expect_eq(ncomp, 1);
    /* and the open path: n singletons, numbered from the far end */
    g.off[n] = n - 1; /* drop the closing arc (the last vertex's only one) */
    g.off[n - 1] = n - 1;
    cr_assert_eq(dg_scc(n, g.off, g.adj, cid, &ncomp), DG_OK);
    cr_expect_eq(ncomp, n);
    cr_expect_eq(cid[n - 1], 0);
    cr_expect_eq(cid[0], n - 1);
    free(cid);
    csr_free(&g);
    free(tail);
    free(head);
}

Test(scc, empty_graph_and_self_loops)
{
    uint32_t ncomp = 9;
    cr_expect_eq(dg_scc(0, NULL, NULL, NULL, &ncomp), DG_OK);
    cr_expect_eq(ncomp, 0);
    uint32_t off[] = {0, 1, 2}, adj[] = {0, 1}, cid[2];
    cr_expect_eq(dg_scc(2, off, adj, cid, &ncomp), DG_OK);
    cr_expect_eq(ncomp, 2);
    cr_expect_neq(cid[0], cid[1]);
}
