/*
 * scc.c - Tarjan's strongly connected components with an explicit stack
 * (R. Tarjan, "Depth-first search and linear graph algorithms", SIAM J.
 * Comput. 1(2), 1972). O(n + m) time, 4n words of memory.
 */
#include "scc.h"

#include "dealgraph/dealgraph.h"

#include <stdlib.h>

#define UNSEEN UINT32_MAX

int dg_scc(uint32_t n, const uint32_t *off, const uint32_t *adj,
           uint32_t *cid, uint32_t *ncomp)
{
    *ncomp = 0;
    if (n == 0)
        return DG_OK;
    /* index[v]: discovery order (UNSEEN before); low[v]: the smallest
     * index reachable through v's subtree and one back edge; next[v]: the
     * next successor of v to look at; stack: Tarjan's stack of open
     * vertices; path: the depth-first path (the recursion, made
     * explicit). cid[v] doubles as the "on the stack" mark: UNSEEN while
     * v is open. */
    uint32_t *index = malloc((size_t)n * sizeof *index);
    uint32_t *low = malloc((size_t)n * sizeof *low);
    uint32_t *next = malloc((size_t)n * sizeof *next);
    uint32_t *stack = malloc((size_t)n * sizeof *stack);
    uint32_t *path = malloc((size_t)n * sizeof *path);
    if (!index || !low || !next || !stack || !path) {
        free(index);
        free(low);
        free(next);
        free(stack);
        free(path);
        return DG_ENOMEM;
    }
    for (uint32_t v = 0; v < n; v++) {
        index[v] = UNSEEN;
        cid[v] = UNSEEN;
    }
    uint32_t counter = 0, top = 0, depth = 0, comps = 0;
    for (uint32_t root = 0; root < n; root++) {
        if (index[root] != UNSEEN)
            continue;
        index[root] = low[root] = counter++;
        next[root] = off[root];
        stack[top++] = root;
        path[depth++] = root;
        while (depth) {
            uint32_t v = path[depth - 1];
            if (next[v] < off[v + 1]) {
                uint32_t w = adj[next[v]++];
                if (index[w] == UNSEEN) { /* a tree edge: descend */
                    index[w] = low[w] = counter++;
                    next[w] = off[w];
                    stack[top++] = w;
                    path[depth++] = w;
                } else if (cid[w] == UNSEEN && index[w] < low[v]) {
                    low[v] = index[w]; /* w is open: a back or cross edge */
                }
                continue;
            }
            /* v is finished: close its component if it is the root */
            depth--;
            if (low[v] == index[v]) {
                uint32_t w;
                do {
                    w = stack[--top];
                    cid[w] = comps;
                } while (w != v);
                comps++;
            }
            if (depth) {
                uint32_t u = path[depth - 1];
                if (low[v] < low[u])
                    low[u] = low[v];
            }
        }
    }
    *ncomp = comps;
    free(index);
    free(low);
    free(next);
    free(stack);
    free(path);
    return DG_OK;
}
