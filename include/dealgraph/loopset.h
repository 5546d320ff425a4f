/*
 * loopset.h - the loops of a ledger kept in memory: collected once under a
 * byte budget, then ordered by value, by length or by id. What `loops`
 * lists, what `diff` and `check --no-new-loops` compare. dg_loops_each
 * (loops.h) is the way that keeps nothing.
 */
#ifndef DG_LOOPSET_H
#define DG_LOOPSET_H

#include "dealgraph/loops.h"

typedef struct dg_loopset dg_loopset;

typedef enum {
    /* largest value first, undisclosed last; ties: shorter first, then
     * the companies' names in canonical rotation, then the id */
    DG_LOOP_ORDER_VALUE,
    /* shortest first; ties by value as above, then names, then id */
    DG_LOOP_ORDER_LENGTH,
    /* by id, then names: for comparing two sets */
    DG_LOOP_ORDER_ID,
} dg_loop_order;

/* Collects the loops of `l` under `opt` (as dg_loops_each finds them; NULL:
 * the defaults). At most `max_bytes` of loop descriptions are kept (0:
 * DG_LOOPS_MAX_BYTES), a loop of L hops carrying G legs in all taking
 * sizeof(dg_loop) + (L + 1 + G) * sizeof(size_t) + L * sizeof(dg_hop):
 * when the next loop would not fit, the search stops there and the set is
 * cut short (dg_loopset_full; its stats say truncated, and count only the
 * loops kept). On DG_OK *out is the
 * caller's until dg_loopset_destroy; the loops are in the order found.
 * Otherwise *out is NULL and the status is dg_loops_each's (DG_EUSAGE with
 * the message in diags, DG_ENOMEM, DG_EINTERNAL). */
int dg_loopset_collect(const dg_ledger *l, const dg_loop_options *opt,
                       size_t max_bytes, dg_loopset **out, dg_diags *diags);
void dg_loopset_destroy(dg_loopset *s);

/* The ledger the loops are of (the caller's, which must outlive the set). */
const dg_ledger *dg_loopset_ledger(const dg_loopset *s);
size_t dg_loopset_count(const dg_loopset *s);
/* Loop i (i < count), owned by the set: its companies, hops and legs stay
 * valid until dg_loopset_destroy; which loop is at i changes with
 * dg_loopset_sort. */
const dg_loop *dg_loopset_loop(const dg_loopset *s, size_t i);
/* The search's counts, of the loops kept. */
const dg_loop_stats *dg_loopset_stats(const dg_loopset *s);
/* The byte budget stopped the search. */
bool dg_loopset_full(const dg_loopset *s);
/* Every loop was kept: no limit, no time limit and no budget cut the
 * search short. */
bool dg_loopset_complete(const dg_loopset *s);

/* Orders the loops. Deterministic: the same ledger in any file order gives
 * the same order. DG_OK or DG_ENOMEM (the order is then unchanged). */
int dg_loopset_sort(dg_loopset *s, dg_loop_order order);

#endif
