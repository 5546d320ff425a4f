/*
 * scc.h - strongly connected components of a digraph in compressed sparse
 * row form, by Tarjan's algorithm (1972) run with an explicit stack, so a
 * path of a million companies needs no call-stack depth. Used by the
 * cycle engine, the value on loops, the null model and the singular-group
 * check of the flow measures: none of them builds an igraph graph for it.
 */
#ifndef DG_SCC_H
#define DG_SCC_H

#include <stdint.h>

/* The successors of v are adj[off[v]] .. adj[off[v+1]-1] (any order,
 * repeats and self-loops allowed). Fills cid[v] with the component of v,
 * numbered 0 .. *ncomp - 1 in the order Tarjan's algorithm completes
 * them (a component is numbered before every component that reaches it).
 * Returns DG_OK or DG_ENOMEM (cid is then unspecified). */
int dg_scc(uint32_t n, const uint32_t *off, const uint32_t *adj,
           uint32_t *cid, uint32_t *ncomp);

#endif
