/*
 * igraph_boundary.c - handler and generator scopes around igraph calls,
 * and the mapping of its error codes (igraph_boundary.h).
 */
#include "igraph_boundary.h"

#include "dealgraph/dealgraph.h"

void dg_igraph_enter(dg_igraph_scope *s)
{
    s->error = igraph_set_error_handler(igraph_error_handler_ignore);
    /* LAPACK's "exactly singular" comes back as a warning with success:
     * the library checks dgesv's info itself and never prints */
    s->warning = igraph_set_warning_handler(igraph_warning_handler_ignore);
    s->caller_rng = NULL;
    s->seeded = false;
}

int dg_igraph_seed(dg_igraph_scope *s, uint64_t seed)
{
    if (!s->seeded) {
        igraph_error_t e = igraph_rng_init(&s->rng, &igraph_rngtype_pcg32);
        if (e != IGRAPH_SUCCESS)
            return dg_igraph_status(e);
        s->seeded = true;
    }
    igraph_error_t e = igraph_rng_seed(&s->rng, (igraph_uint_t)seed);
    if (e != IGRAPH_SUCCESS)
        return dg_igraph_status(e);
    /* igraph 0.10.2's igraph_rng_seed does not mark a generator seeded,
     * and RNG_BEGIN reseeds an unseeded default from the clock: the same
     * seed would give other rewirings on every run */
    s->rng.is_seeded = 1;
    if (!s->caller_rng) {
        /* igraph 0.10 copies the generator given to igraph_rng_set_default
         * into its own (so the caller's is kept as a copy to put back);
         * later versions keep the pointer (so the pointer is put back) */
        s->caller_rng = igraph_rng_default();
        s->caller_copy = *s->caller_rng;
    }
    igraph_rng_set_default(&s->rng);
    s->by_pointer = igraph_rng_default() == &s->rng;
    return DG_OK;
}

void dg_igraph_leave(dg_igraph_scope *s)
{
    if (s->seeded) {
        igraph_rng_set_default(s->by_pointer ? s->caller_rng
                                             : &s->caller_copy);
        igraph_rng_destroy(&s->rng);
        s->seeded = false;
    }
    igraph_set_warning_handler(s->warning);
    igraph_set_error_handler(s->error);
}

int dg_igraph_status(igraph_error_t e)
{
    if (e == IGRAPH_SUCCESS)
        return DG_OK;
    return e == IGRAPH_ENOMEM ? DG_ENOMEM : DG_EINTERNAL;
}

int dg_igraph_from_arcs(igraph_t *g, uint32_t n, size_t m,
                        const uint32_t *tail, const uint32_t *head)
{
    if (m > (size_t)IGRAPH_INTEGER_MAX / 2)
        return DG_ELIMIT;
    igraph_vector_int_t edges;
    igraph_error_t e = igraph_vector_int_init(&edges, (igraph_integer_t)(2 * m));
    if (e != IGRAPH_SUCCESS)
        return dg_igraph_status(e);
    for (size_t k = 0; k < m; k++) {
        VECTOR(edges)[2 * k] = tail[k];
        VECTOR(edges)[2 * k + 1] = head[k];
    }
    e = igraph_create(g, &edges, (igraph_integer_t)n, IGRAPH_DIRECTED);
    igraph_vector_int_destroy(&edges);
    return dg_igraph_status(e);
}
