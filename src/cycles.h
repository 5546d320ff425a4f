/*
 * cycles.h - elementary directed cycles of a simple digraph (Johnson 1975),
 * per strongly connected component, with an optional length bound.
 *
 * The engine knows nothing of deals: the loop module (loops.c) builds the
 * company graph (parallel legs merged into one hop) and describes each
 * cycle. Vertices are numbered 0..n-1; callers number companies in name
 * order so that every cycle comes out in its canonical rotation (starting
 * at its smallest vertex).
 */
#ifndef DG_CYCLES_H
#define DG_CYCLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A simple digraph in compressed sparse row form: the successors of v are
 * adj[off[v]] .. adj[off[v+1]-1], sorted ascending, without duplicates or
 * self-loops. The arrays are the caller's. */
typedef struct dg_digraph {
    uint32_t n;
    const uint32_t *off; /* n + 1 entries */
    const uint32_t *adj; /* off[n] entries */
} dg_digraph;

/* Called once per cycle with its vertices in order, starting at the
 * smallest; the cycle closes from vertices[len-1] back to vertices[0].
 * The array is the engine's and valid only during the call. Return 0 to go
 * on, nonzero to stop the search (the value is passed back). */
typedef int (*dg_cycle_fn)(const uint32_t *vertices, size_t len, void *ctx);

typedef struct dg_cycle_options {
    size_t max_len;       /* longest cycle to report; 0 = no bound */
    size_t min_len;       /* shortest cycle to report; 0 or 1 = 2 */
    uint32_t through;     /* only cycles through this vertex; UINT32_MAX = any */
    double max_seconds;   /* stop after this much CPU time; 0 = no limit */
    bool no_bitsets;      /* tests and benchmarks only: search components of
                             <= 64 vertices with the general arrays instead
                             of bit sets (same results, slower) */
    /* Called with the cycles found so far every 65536 units of work (the
     * engine counts work, it does not read a clock for this), for a
     * progress display; NULL = none. */
    void (*progress)(uint64_t cycles, void *ctx);
    void *progress_ctx;
} dg_cycle_options;

typedef struct dg_cycle_stats {
    uint64_t cycles;            /* cycles reported */
    uint64_t by_length[65];     /* [k] = cycles of length k (k <= 64; longer in [0]) */
    uint64_t steps;             /* path extensions made: the search's work,
                                   for tests and benchmarks (not a time) */
    bool timed_out;             /* max_seconds was reached: results partial */
    int stopped;                /* nonzero value a callback returned */
} dg_cycle_stats;

void dg_cycle_options_init(dg_cycle_options *o);

/* Enumerates every elementary cycle (length >= 2) once. `fn` may be NULL
 * to count only. Memory is O(n + m), independent of the number of cycles.
 * Returns DG_OK, DG_ENOMEM, DG_EINTERNAL (igraph failed) or DG_EUSAGE (a
 * malformed graph or option). A callback's stop and a timeout return DG_OK
 * with the reason in stats. `opt` NULL means the defaults; `stats` may be
 * NULL and is zeroed first otherwise.
 *
 * Order: components in the order of their smallest vertex; within one,
 * cycles grouped by their smallest vertex, ascending. With `through` set,
 * cycles come in search order from `through` (each still rotated to start
 * at its smallest vertex): sort them if the order matters. */
int dg_cycles_each(const dg_digraph *g, const dg_cycle_options *opt,
                   dg_cycle_fn fn, void *ctx, dg_cycle_stats *stats);

#endif
