/*
 * igraph_boundary.h - the one place the library meets igraph's global
 * state. igraph's default error handler aborts the process and its
 * warning handler prints; its random generator is process-wide. Every
 * library function that calls igraph opens a scope here: inside it the
 * handlers only return (every igraph code is checked and mapped with
 * dg_igraph_status), and a seeded scope draws from its own generator.
 * Leaving the scope puts back whatever the caller had, so a program that
 * uses igraph itself sees its own handlers and generator untouched.
 */
#ifndef DG_IGRAPH_BOUNDARY_H
#define DG_IGRAPH_BOUNDARY_H

#include <igraph.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct dg_igraph_scope {
    igraph_error_handler_t *error;
    igraph_warning_handler_t *warning;
    igraph_rng_t *caller_rng;  /* the default generator before the scope */
    igraph_rng_t caller_copy;  /* and a copy of it */
    igraph_rng_t rng;          /* the scope's own, when seeded */
    bool seeded, by_pointer;
} dg_igraph_scope;

/* Installs the quiet handlers; pair with dg_igraph_leave. */
void dg_igraph_enter(dg_igraph_scope *s);
/* Makes a generator of the scope's own, seeded with `seed`, igraph's
 * default until dg_igraph_leave (igraph_rewire draws from the default).
 * The same seed gives the same draws, whatever ran before. Returns DG_OK
 * or DG_ENOMEM. */
int dg_igraph_seed(dg_igraph_scope *s, uint64_t seed);
/* Puts back the caller's handlers and generator. */
void dg_igraph_leave(dg_igraph_scope *s);

/* An igraph error code as the library's: DG_OK, DG_ENOMEM, or
 * DG_EINTERNAL for anything igraph should not have failed at. */
int dg_igraph_status(igraph_error_t e);

/* A directed igraph graph with n vertices and the arcs tail[k] -> head[k].
 * Returns a DG_* code; on success the caller destroys *g. */
int dg_igraph_from_arcs(igraph_t *g, uint32_t n, size_t m,
                        const uint32_t *tail, const uint32_t *head);

#endif
