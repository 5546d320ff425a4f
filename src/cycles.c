/*
 * cycles.c - elementary directed cycles: Johnson's algorithm per strongly
 * connected component, with a correct length-bounded variant.
 *
 * References
 *  [J]  D. B. Johnson, "Finding all the elementary circuits of a directed
 *       graph", SIAM J. Comput. 4(1):77-84, 1975.
 *  [GS] A. Gupta and T. Suzumura, "Finding All Bounded-Length Simple Cycles
 *       in a Directed Graph", arXiv:2105.10094, 2021.
 *
 * Outline
 *  1. Tarjan's algorithm (scc.c) finds the strongly connected components (SCCs) of the whole
 *     graph once. A cycle never leaves its SCC, so each component is searched
 *     on its own, in compact arrays with local 32-bit vertex ids given in
 *     increasing global order (the order decides the canonical rotation).
 *  2. For each start s of a component, in increasing order, the search finds
 *     the cycles whose smallest vertex is s: simple paths from s over
 *     vertices > s that close back to s [J]. Johnson restricts the search to
 *     the SCC of s in the subgraph induced by {s, s+1, ...}; recomputing SCCs
 *     per start is not needed: that SCC is the set of vertices > s that s
 *     reaches and that reach s. The depth-first search itself only walks
 *     vertices s reaches, so one reverse breadth-first pass from s (over
 *     vertices > s) supplies the other half; everything it does not reach
 *     is excluded. The same pass gives dist(v), the length of the shortest
 *     path v -> s, used to prune under a length bound.
 *  3. The search is iterative (explicit stack arrays: deep graphs cannot
 *     overflow the C stack), allocates nothing per cycle, and hands the
 *     callback the path array itself.
 *  4. A component of at most 64 vertices searched without a bound (deal
 *     graphs are mostly this) runs the same search on bit sets held in
 *     machine words (search_small); the rest use the arrays described
 *     below (search_from).
 *
 * One array, lock[v], holds all the pruning. Extending the path to v at
 * depth d (v would be the d-th vertex after s) is allowed iff d < lock[v].
 *  - Vertices outside the current search (smaller than s, or unable to reach
 *    s in time) and s itself have lock 0: never entered.
 *  - A vertex on the path has lock = its depth, which is <= the depth of
 *    every later vertex, so the path stays simple with no separate test.
 *  - Unbounded: lock is "open" (UINT32_MAX) or 1 (blocked at every depth).
 *    This is Johnson's blocked flag; a vertex whose search found no cycle is
 *    blocked and put on the blocking list B(w) of each successor w; when a
 *    vertex finds a cycle it is unblocked, and unblocking cascades through
 *    the lists, which are emptied as they go [J, procedure UNBLOCK].
 *  - Bounded by L: Johnson's blocking is wrong here. A vertex that failed
 *    when reached by a long path (the way back would have been too long)
 *    may close from a shorter path later, and a boolean flag would hide it.
 *    [GS] fix this with a blocking *length* per vertex, which is what lock
 *    is. Each member v has a cap, L + 1 - dist(v): lock starts there, so a
 *    path that cannot return to s within the remaining hops is never
 *    extended (distance pruning; [GS] start unbounded, which only admits
 *    hopeless extensions). On failure at depth d, lock[v] stays d: v cannot
 *    close from depth d or deeper while the path below it stays. On success
 *    lock[v] goes back to its cap, and the raise propagates through the
 *    blocking lists: each x on B(u) gets at least lock[u] - 1 (one hop
 *    more), skipping vertices on the path [GS, RELAX_LOCKS]. The lists are
 *    not emptied: a vertex may need raising again later.
 *    One deliberate difference from [GS] as printed: there a successful
 *    vertex gets L - b + 1 for the shortest closing length b it found. That
 *    b was measured around the current path; once a path vertex is popped
 *    a shorter way back can open, and a vertex that succeeded is on no
 *    blocking list, so nothing raises it again and cycles are lost (the
 *    brute-force tests found such a case). Restoring the cap, which is what
 *    NetworkX's implementation of [GS] effectively does, is safe:
 *      (C) every vertex x off the path is at its cap, or lock[x] >=
 *          lock[u] - 1 for each successor u off the path,
 *    holds initially, after a push (constraints into a pushed vertex
 *    lapse), after a failure at depth d (every successor u was refused,
 *    lock[u] <= d + 1, or failed at d + 1, and nothing in v's subtree
 *    succeeded to raise them), and after a success (v is at its cap and
 *    every x below its cap has failed since its last success, so it is on
 *    the list of each successor and the relax reaches it). Along a shortest
 *    way back x_0 .. x_D = s avoiding the path, (C) gives lock[x_i] >=
 *    L + 1 - (D - i) (the last hop is a closing vertex, always at cap L),
 *    so no extension that can still close within L is refused.
 *    Work: between two success pops no lock rises, so a vertex is entered
 *    at most L - 1 times (each time at a smaller depth); only the vertices
 *    on the path of a reported cycle pop with success, at most L per cycle.
 *    Hence O(L^2 (n + e)(c + 1)) for c cycles, polynomial in the output
 *    ([GS] prove O(L (n + e)(c + 1)) for their variant); Johnson's search
 *    is O((n + e)(c + 1)). Each start also costs one reverse pass, O(n + e),
 *    as Johnson's recomputation of the start's component does. The tests
 *    check that the traps which make bounded searches exponential (a chain
 *    of diamonds, a detour through the start's neighbour) stay linear.
 *  Bounds of at least the component's size bound nothing and use the
 *  unbounded search, whose blocking is stronger.
 *
 * `through` t: the cycles through t are exactly the closed paths t -> ... ->
 * t in t's SCC, so the engine runs one search from t over every vertex of
 * t's component (no ordering restriction) instead of filtering the whole
 * enumeration, and rotates each cycle to start at its smallest vertex before
 * the callback sees it. The locks work unchanged with t as the start.
 *
 * Counting (fn == NULL) takes the same path minus the callback and the
 * global-id copy of the path; a vertex pushed at depth L - 1 (which can
 * only close, by the distance pruning) is not scanned for successors.
 */
#include "cycles.h"

#include "dealgraph/dealgraph.h"

#include "scc.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NIL UINT32_MAX         /* end of a blocking list */
#define UNREG (UINT32_MAX - 1) /* edge not in any blocking list */
#define OPEN UINT32_MAX        /* unbounded search: not blocked */

/* flags[v] */
#define F_ONSTACK 1u /* on the current path */
#define F_CLOSES 2u  /* has an edge back to the start */
#define F_INWORK 4u  /* on the relax worklist */

/* How many units of work between two looks at the clock. */
#define TICKS 65536

enum { GO_ON = 0, STOP = 1 };

typedef struct engine {
    /* The component being searched: local ids 0..k-1, in increasing global
     * order. Successors of v: adj[off[v]] .. adj[off[v+1]-1], ascending;
     * predecessors likewise in roff/radj; src[e] is the tail of edge e. */
    uint32_t k;
    uint32_t *off, *adj, *src;
    uint32_t *roff, *radj;
    uint32_t *glob; /* local -> global id */

    /* Search state, all sized by the largest component. */
    uint32_t *lock;   /* see the file comment */
    uint32_t *first;  /* first successor index not below the start */
    uint32_t *rfirst; /* first predecessor index not below the start */
    uint8_t *flags;
    uint32_t *bhead; /* blocking list of v: edges e = (x -> v), x blocked */
    uint32_t *bnext; /* per edge: next in its list, or UNREG */
    uint32_t *queue; /* reverse BFS queue; afterwards the start's members */
    uint32_t *work;  /* relax/unblock worklist */
    uint32_t *path;  /* local ids on the path; path[0] = start */
    uint32_t *gpath; /* the same in global ids: what the callback gets */
    uint32_t *rot;   /* a rotated copy (through mode) */
    uint32_t *cap;   /* bounded: L + 1 - dist(v), the highest lock of v */
    uint32_t *it;    /* per depth: next successor index to try */
    uint8_t *found;  /* per depth: a cycle was found below this vertex */

    /* Small components (k <= 64), unbounded: successor and predecessor
     * sets as bit masks, and per depth the successors not yet tried. */
    uint64_t succ[64], pred[64], untried[64];

    /* Options. */
    bool bounded;    /* this component is searched with bound L */
    uint32_t L;      /* the bound (bounded only) */
    size_t max_len;  /* 0 = none */
    size_t min_len;  /* >= 2 */
    bool rotate;     /* through mode: rotate before the callback */
    bool no_bitsets;
    dg_cycle_fn fn;
    void *ctx;

    /* Results. */
    uint64_t cycles, steps;
    uint64_t by_length[65];
    int stopped;
    bool timed_out;

    /* CPU time limit. */
    bool timed;
    clock_t deadline;
    uint32_t ticks;
    void (*progress)(uint64_t cycles, void *ctx);
    void *progress_ctx;
} engine;

void dg_cycle_options_init(dg_cycle_options *o)
{
    if (!o)
        return;
    o->max_len = 0;
    o->min_len = 0;
    o->through = UINT32_MAX;
    o->max_seconds = 0;
    o->no_bitsets = false;
    o->progress = NULL;
    o->progress_ctx = NULL;
}

/* ---- input checks ------------------------------------------------------ */

/* Offsets start at 0 and never decrease; every row is strictly increasing
 * (sorted, no duplicates), within 0..n-1 and without v itself. Edge
 * indexes must leave room for the two list sentinels. */
static bool graph_valid(const dg_digraph *g)
{
    if (!g)
        return false;
    if (g->n == 0)
        return g->off == NULL || g->off[0] == 0;
    if (!g->off || g->n > UINT32_MAX - 2)
        return false;
    if (g->off[0] != 0)
        return false;
    for (uint32_t v = 0; v < g->n; v++)
        if (g->off[v + 1] < g->off[v])
            return false;
    if (g->off[g->n] >= UNREG)
        return false;
    if (g->off[g->n] > 0 && !g->adj)
        return false;
    for (uint32_t v = 0; v < g->n; v++) {
        uint32_t prev = 0;
        for (uint32_t e = g->off[v]; e < g->off[v + 1]; e++) {
            uint32_t w = g->adj[e];
            if (w >= g->n || w == v || (e > g->off[v] && w <= prev))
                return false;
            prev = w;
        }
    }
    return true;
}

/* ---- time -------------------------------------------------------------- */

/* Called once every TICKS units of work. True when time is up. */
static bool out_of_time(engine *E)
{
    E->ticks = TICKS;
    if (E->progress)
        E->progress(E->cycles, E->progress_ctx);
    if (!E->timed)
        return false;
    clock_t now = clock();
    if (now != (clock_t)-1 && now >= E->deadline) {
        E->timed_out = true;
        return true;
    }
    return false;
}

#define TICK(E) (--(E)->ticks == 0 && out_of_time(E))

/* ---- reporting --------------------------------------------------------- */

/* Hands the cycle path[0..len) to the callback, rotated to its smallest
 * vertex in through mode. Returns STOP when the callback asks to stop. */
static int call_back(engine *E, size_t len)
{
    const uint32_t *vs = E->gpath;
    if (E->rotate) {
        /* Local ids follow global order, so the smallest local id on the
         * path marks the canonical start. */
        uint32_t best = 0;
        for (uint32_t i = 1; i < len; i++)
            if (E->path[i] < E->path[best])
                best = i;
        if (best != 0) {
            size_t head = len - best;
            memcpy(E->rot, E->gpath + best, head * sizeof *E->rot);
            memcpy(E->rot + head, E->gpath, best * sizeof *E->rot);
            vs = E->rot;
        }
    }
    int rc = E->fn(vs, len, E->ctx);
    if (rc != 0) {
        E->stopped = rc;
        return STOP;
    }
    return GO_ON;
}

/* The path path[0..depth] closes back to path[0]: a cycle of depth + 1
 * vertices. Counting is inline (in count mode it is all there is to do per
 * cycle); the callback is not. Returns STOP when the callback asks to
 * stop. */
static inline int report(engine *E, uint32_t depth)
{
    size_t len = (size_t)depth + 1;
    if (len < E->min_len)
        return GO_ON;
    E->cycles++;
    E->by_length[len <= 64 ? len : 0]++;
    return E->fn ? call_back(E, len) : GO_ON;
}

/* ---- blocking ---------------------------------------------------------- */

/* Unbounded: Johnson's UNBLOCK(v), iterative. Each vertex is opened before
 * it goes on the worklist, so it is there at most once. */
static bool unblock(engine *E, uint32_t v)
{
    uint32_t *lock = E->lock, *bhead = E->bhead, *bnext = E->bnext;
    const uint32_t *src = E->src;
    uint8_t *flags = E->flags;
    uint32_t *work = E->work;
    uint32_t top = 0;

    lock[v] = OPEN;
    work[top++] = v;
    while (top > 0) {
        uint32_t u = work[--top];
        uint32_t e = bhead[u];
        bhead[u] = NIL;
        while (e != NIL) {
            uint32_t next = bnext[e];
            uint32_t x = src[e];
            bnext[e] = UNREG;
            /* A vertex on the path is not unblocked: it is below v on the
             * path, so it will find v's cycle and unblock itself. */
            if (lock[x] != OPEN && !(flags[x] & F_ONSTACK)) {
                lock[x] = OPEN;
                work[top++] = x;
            }
            e = next;
        }
        if (TICK(E))
            return true;
    }
    return false;
}

/* Bounded: [GS] RELAX_LOCKS as a worklist, after v found a cycle. v goes
 * back to its cap; each vertex x blocked on u (an edge x -> u) may then be
 * entered one level less deep than u. A vertex is taken from the worklist
 * with its current (highest) lock; lock[u] - 1 never exceeds x's cap, since
 * dist(x) <= dist(u) + 1. */
static bool relax(engine *E, uint32_t v)
{
    uint32_t *lock = E->lock;
    const uint32_t *bhead = E->bhead, *bnext = E->bnext, *src = E->src;
    uint8_t *flags = E->flags;
    uint32_t *work = E->work;
    uint32_t top = 0;

    lock[v] = E->cap[v];
    flags[v] |= F_INWORK;
    work[top++] = v;
    while (top > 0) {
        uint32_t u = work[--top];
        flags[u] &= (uint8_t)~F_INWORK;
        uint32_t nl = lock[u] - 1;
        for (uint32_t e = bhead[u]; e != NIL; e = bnext[e]) {
            uint32_t x = src[e];
            if (lock[x] < nl && !(flags[x] & F_ONSTACK)) {
                lock[x] = nl;
                if (!(flags[x] & F_INWORK)) {
                    flags[x] |= F_INWORK;
                    work[top++] = x;
                }
            }
        }
        if (TICK(E))
            return true;
    }
    return false;
}

/* ---- the search from one start ----------------------------------------- */

/* Finds the cycles through s that use only s and vertices >= lo (lo = s + 1
 * in the ordered search; 0 with `through`). Leaves lock, flags and the
 * blocking lists clean for the next start. Returns STOP on a callback stop
 * or a timeout. */
static int search_from(engine *E, uint32_t s, uint32_t lo)
{
    const uint32_t *off = E->off, *adj = E->adj;
    const uint32_t *roff = E->roff, *radj = E->radj;
    const uint32_t *glob = E->glob;
    uint32_t *lock = E->lock, *first = E->first, *rfirst = E->rfirst;
    uint32_t *bhead = E->bhead, *bnext = E->bnext;
    uint8_t *flags = E->flags;
    uint32_t *queue = E->queue;
    uint32_t *path = E->path, *gpath = E->gpath, *it = E->it, *cap = E->cap;
    uint8_t *found = E->found;
    const bool bounded = E->bounded;
    const bool want_path = E->fn != NULL;
    const uint32_t L = E->L;
    int rc = GO_ON;
    uint32_t nq = 0;
    uint64_t steps = 0; /* kept in a register; added to E->steps at the end */

    /* A start with no successor or no predecessor left in the search
     * closes no cycle: skip its passes. */
    {
        uint32_t p = first[s], end = off[s + 1];
        while (p < end && adj[p] < lo)
            p++;
        first[s] = p;
        uint32_t q = rfirst[s], rend = roff[s + 1];
        while (q < rend && radj[q] < lo)
            q++;
        rfirst[s] = q;
        if (p == end || q == rend)
            return GO_ON;
    }

    /* Reverse BFS from s over vertices >= lo, at most L - 1 hops when
     * bounded: a member v gets lock = L + 1 - dist(v) (bounded) or OPEN.
     * Predecessors below lo are skipped once and for all (rfirst), since
     * starts only grow. lock[s] = 1 marks s as seen during the pass. */
    lock[s] = 1;
    for (uint32_t h = 0, u = s;; u = queue[h++]) {
        uint32_t nl;
        if (u == s)
            nl = bounded ? L : OPEN;
        else if (bounded) {
            nl = lock[u] - 1; /* dist + 1 */
            if (nl < 2)       /* dist would exceed L - 1 */
                goto next;
        } else
            nl = OPEN;
        {
            uint32_t p = rfirst[u], end = roff[u + 1];
            while (p < end && radj[p] < lo)
                p++;
            rfirst[u] = p;
            for (; p < end; p++) {
                uint32_t x = radj[p];
                if (lock[x] == 0) {
                    lock[x] = nl;
                    cap[x] = nl;
                    queue[nq++] = x;
                    if (u == s)
                        flags[x] |= F_CLOSES;
                }
            }
        }
    next:
        if (TICK(E)) {
            rc = STOP;
            goto cleanup;
        }
        if (h >= nq)
            break;
    }
    lock[s] = 0;
    if (nq == 0)
        return GO_ON;

    /* Depth-first search, iterative. Frame d: vertex path[d], next
     * successor index it[d], whether a cycle was found from it found[d]. */
    {
        uint32_t p = first[s], end = off[s + 1];
        while (p < end && adj[p] < lo)
            p++;
        first[s] = p;
        path[0] = s;
        gpath[0] = glob[s];
        it[0] = p;
        found[0] = 0;
    }
    uint32_t d = 0;
    for (;;) {
        uint32_t v = path[d];
        uint32_t p = it[d];
        const uint32_t end = off[v + 1];
        const uint32_t nd = d + 1;
        while (p < end) {
            uint32_t w = adj[p++];
            if (nd < lock[w]) {
                /* Extend the path to w. */
                it[d] = p;
                path[nd] = w;
                if (want_path)
                    gpath[nd] = glob[w];
                lock[w] = nd;
                flags[w] |= F_ONSTACK;
                steps++;
                found[nd] = 0;
                if (flags[w] & F_CLOSES) {
                    found[nd] = 1;
                    if (report(E, nd) == STOP) {
                        rc = STOP;
                        goto cleanup;
                    }
                }
                uint32_t q = first[w], qe = off[w + 1];
                if (bounded && nd + 1 >= L) {
                    q = qe; /* no successor can be entered this deep */
                } else {
                    while (q < qe && adj[q] < lo)
                        q++;
                    first[w] = q;
                }
                it[nd] = q;
                d = nd;
                if (TICK(E)) {
                    rc = STOP;
                    goto cleanup;
                }
                goto advanced;
            }
        }
        /* v is exhausted. */
        if (d == 0)
            break;
        flags[v] &= (uint8_t)~F_ONSTACK;
        {
            bool late;
            if (found[d]) {
                found[d - 1] = 1;
                if (bhead[v] == NIL) {
                    /* Nothing waits on v: reopen it alone. */
                    lock[v] = bounded ? cap[v] : OPEN;
                    late = false;
                } else
                    late = bounded ? relax(E, v) : unblock(E, v);
            } else {
                /* No cycle from v: it stays blocked (bounded: at depths
                 * >= d, lock[v] is already d) and waits on each successor
                 * still in the search [J; GS]. */
                if (!bounded)
                    lock[v] = 1;
                for (uint32_t q = first[v]; q < end; q++) {
                    uint32_t w = adj[q];
                    if (lock[w] != 0 && bnext[q] == UNREG) {
                        bnext[q] = bhead[w];
                        bhead[w] = q;
                    }
                }
                late = TICK(E);
            }
            if (late) {
                rc = STOP;
                goto cleanup;
            }
        }
        d--;
    advanced:;
    }

cleanup:
    E->steps += steps;
    /* Everything the start touched is in queue[0..nq) or is s. On STOP the
     * whole run ends, but cleaning is cheap and keeps the state sound. */
    for (uint32_t i = 0; i < nq; i++) {
        uint32_t u = queue[i];
        lock[u] = 0;
        flags[u] = 0;
        for (uint32_t e = bhead[u]; e != NIL;) {
            uint32_t next = bnext[e];
            bnext[e] = UNREG;
            e = next;
        }
        bhead[u] = NIL;
    }
    lock[s] = 0;
    flags[s] = 0;
    return rc;
}

/* ---- small components: Johnson on bit sets ------------------------------ */

static inline unsigned lowest(uint64_t x)
{
    return (unsigned)__builtin_ctzll(x);
}

/* Loads the bit-set form of the component in E (k <= 64). */
static void load_small(engine *E)
{
    for (uint32_t v = 0; v < E->k; v++) {
        E->succ[v] = 0;
        E->pred[v] = 0;
    }
    for (uint32_t v = 0; v < E->k; v++)
        for (uint32_t e = E->off[v]; e < E->off[v + 1]; e++) {
            E->succ[v] |= (uint64_t)1 << E->adj[e];
            E->pred[E->adj[e]] |= (uint64_t)1 << v;
        }
}

/* search_from() for a component of at most 64 vertices and no bound: the
 * same search with sets in machine words, where a successor scan is a mask
 * and a count-trailing-zeros. One fact removes the blocking lists: in
 * Johnson's algorithm a blocked vertex x is on B(u) for every successor u
 * from its failure until it is unblocked (it registers with all of them
 * when it fails, and leaves B(u) only when u's unblocking unblocks it), so
 * B(u) restricted to blocked vertices is pred(u) & blocked, and UNBLOCK is
 * a breadth-first pass over masks. Successors are still examined once each,
 * in increasing order, as in [J]: a successor found blocked is passed over
 * for good in that frame. */
static int search_small(engine *E, uint32_t s, uint32_t lo)
{
    const uint64_t *succ = E->succ, *pred = E->pred;
    uint64_t *untried = E->untried;
    uint32_t *path = E->path, *gpath = E->gpath;
    const uint32_t *glob = E->glob;
    uint8_t *found = E->found;
    const bool want_path = E->fn != NULL;
    const uint64_t one = 1;

    /* The vertices >= lo other than s. */
    uint64_t allowed = (lo >= 64 ? 0 : ~((one << lo) - 1)) & ~(one << s);
    /* Members: those that reach s (reverse BFS). */
    uint64_t closes = pred[s] & allowed;
    uint64_t member = closes, frontier = closes;
    while (frontier) {
        uint64_t next = 0;
        for (uint64_t f = frontier; f; f &= f - 1)
            next |= pred[lowest(f)];
        frontier = next & allowed & ~member;
        member |= frontier;
    }
    if (!member)
        return GO_ON;

    uint64_t onstack = 0, blocked = 0;
    uint64_t steps = 0;
    int rc = GO_ON;
    uint32_t d = 0;
    path[0] = s;
    gpath[0] = glob[s];
    untried[0] = succ[s] & member;
    found[0] = 0;
    for (;;) {
        uint64_t avail = untried[d] & ~onstack & ~blocked;
        if (avail) {
            unsigned w = lowest(avail);
            /* w is tried now; the smaller ones were passed over. */
            untried[d] &= ~((one << w) | ((one << w) - 1));
            uint32_t nd = d + 1;
            path[nd] = w;
            if (want_path)
                gpath[nd] = glob[w];
            onstack |= one << w;
            untried[nd] = succ[w] & member;
            found[nd] = 0;
            d = nd;
            steps++;
            if (closes & (one << w)) {
                found[nd] = 1;
                if (report(E, nd) == STOP) {
                    rc = STOP;
                    break;
                }
            }
            if (TICK(E)) {
                rc = STOP;
                break;
            }
            continue;
        }
        if (d == 0)
            break;
        uint32_t v = path[d];
        onstack &= ~(one << v);
        if (found[d]) {
            found[d - 1] = 1;
            /* UNBLOCK(v): blocked predecessors, transitively. */
            uint64_t x = pred[v] & blocked;
            while (x) {
                blocked &= ~x;
                uint64_t next = 0;
                for (uint64_t f = x; f; f &= f - 1)
                    next |= pred[lowest(f)];
                x = next & blocked;
            }
        } else
            blocked |= one << v;
        d--;
    }
    E->steps += steps;
    return rc;
}

/* ---- components -------------------------------------------------------- */

/* Builds the compact arrays of component `c` (its vertices listed in
 * increasing global order in verts[0..k)) and resets the search state. */
static void load_component(engine *E, const dg_digraph *g, const uint32_t *cid,
                           uint32_t c, const uint32_t *verts, uint32_t k,
                           const uint32_t *loc)
{
    uint32_t m = 0;
    E->k = k;
    for (uint32_t i = 0; i < k; i++) {
        uint32_t v = verts[i];
        E->glob[i] = v;
        E->off[i] = m;
        for (uint32_t e = g->off[v]; e < g->off[v + 1]; e++) {
            uint32_t w = g->adj[e];
            if (cid[w] == c) {
                /* Local ids keep the global order: rows stay ascending. */
                E->adj[m] = loc[w];
                E->src[m] = i;
                m++;
            }
        }
    }
    E->off[k] = m;

    /* Reverse rows by counting; filled in increasing tail order, so each
     * row is ascending too. */
    memset(E->roff, 0, ((size_t)k + 1) * sizeof *E->roff);
    for (uint32_t e = 0; e < m; e++)
        E->roff[E->adj[e] + 1]++;
    for (uint32_t i = 0; i < k; i++)
        E->roff[i + 1] += E->roff[i];
    memcpy(E->rfirst, E->roff, (size_t)k * sizeof *E->rfirst);
    for (uint32_t e = 0; e < m; e++)
        E->radj[E->rfirst[E->adj[e]]++] = E->src[e];

    memcpy(E->first, E->off, (size_t)k * sizeof *E->first);
    memcpy(E->rfirst, E->roff, (size_t)k * sizeof *E->rfirst);
    memset(E->lock, 0, (size_t)k * sizeof *E->lock);
    memset(E->flags, 0, (size_t)k);
    for (uint32_t i = 0; i < k; i++)
        E->bhead[i] = NIL;
    for (uint32_t e = 0; e < m; e++)
        E->bnext[e] = UNREG;
}

/* Searches the component loaded in E. Returns STOP when the run ends. */
static int search_component(engine *E, uint32_t through_local)
{
    uint32_t k = E->k;
    if (E->min_len > k)
        return GO_ON; /* no cycle here is long enough */
    /* A bound of at least k bounds nothing: use Johnson's search, whose
     * blocking is stronger when no bound applies. */
    E->bounded = E->max_len != 0 && E->max_len < k;
    E->L = E->bounded ? (uint32_t)E->max_len : 0;

    bool small = !E->bounded && k <= 64 && !E->no_bitsets;
    if (small)
        load_small(E);

    if (through_local != UINT32_MAX) {
        E->rotate = true;
        return small ? search_small(E, through_local, 0)
                     : search_from(E, through_local, 0);
    }
    E->rotate = false;
    /* The largest vertex is the smallest of no cycle. */
    for (uint32_t s = 0; s + 1 < k; s++) {
        int rc = small ? search_small(E, s, s + 1) : search_from(E, s, s + 1);
        if (rc == STOP)
            return STOP;
    }
    return GO_ON;
}

/* ---- the entry point --------------------------------------------------- */

int dg_cycles_each(const dg_digraph *g, const dg_cycle_options *opt,
                   dg_cycle_fn fn, void *ctx, dg_cycle_stats *stats)
{
    dg_cycle_options defaults;
    dg_cycle_stats local_stats;
    engine E;
    uint32_t *cid = NULL, *cstart = NULL, *verts = NULL, *loc = NULL;
    int status = DG_OK;

    if (!stats)
        stats = &local_stats;
    memset(stats, 0, sizeof *stats);
    if (!opt) {
        dg_cycle_options_init(&defaults);
        opt = &defaults;
    }
    if (!graph_valid(g))
        return DG_EUSAGE;
    if (opt->through != UINT32_MAX && opt->through >= g->n)
        return DG_EUSAGE;
    if (!(opt->max_seconds >= 0)) /* negative or NaN */
        return DG_EUSAGE;

    size_t min_len = opt->min_len < 2 ? 2 : opt->min_len;
    uint32_t n = g->n;
    uint32_t m = n ? g->off[n] : 0;
    /* No cycle, or none that the options allow. */
    if (m == 0 || (opt->max_len != 0 && opt->max_len < min_len))
        return DG_OK;

    memset(&E, 0, sizeof E);
    E.max_len = opt->max_len;
    E.min_len = min_len;
    E.no_bitsets = opt->no_bitsets;
    E.fn = fn;
    E.ctx = ctx;
    E.progress = opt->progress;
    E.progress_ctx = opt->progress_ctx;
    E.ticks = TICKS;
    if (opt->max_seconds > 0) {
        /* CPU time (clock()), read every TICKS units of work. A limit past
         * what clock_t holds, or no clock at all, means no limit. */
        clock_t now = clock();
        double limit = (double)now + opt->max_seconds * CLOCKS_PER_SEC;
        if (now != (clock_t)-1 && limit < (double)LONG_MAX / 2) {
            E.timed = true;
            E.deadline = (clock_t)limit;
        }
    }

    cid = malloc((size_t)n * sizeof *cid);
    if (!cid)
        return DG_ENOMEM;
    uint32_t ncomp = 0;
    status = dg_scc(n, g->off, g->adj, cid, &ncomp);
    if (status != DG_OK)
        goto out;

    /* Group vertices by component (counting sort, stable: each group is in
     * increasing global order) and number them within it. */
    cstart = calloc((size_t)ncomp + 1, sizeof *cstart);
    verts = malloc((size_t)n * sizeof *verts);
    loc = malloc((size_t)n * sizeof *loc);
    if (!cstart || !verts || !loc) {
        status = DG_ENOMEM;
        goto out;
    }
    for (uint32_t v = 0; v < n; v++)
        cstart[cid[v] + 1]++;
    uint32_t kmax = 0;
    for (uint32_t c = 0; c < ncomp; c++) {
        if (cstart[c + 1] > kmax)
            kmax = cstart[c + 1];
        cstart[c + 1] += cstart[c];
    }
    {
        /* Fill in global order; a vertex's position within its group is its
         * local id. */
        uint32_t *cursor = malloc((size_t)ncomp * sizeof *cursor);
        if (!cursor) {
            status = DG_ENOMEM;
            goto out;
        }
        memcpy(cursor, cstart, (size_t)ncomp * sizeof *cursor);
        for (uint32_t v = 0; v < n; v++) {
            uint32_t c = cid[v];
            loc[v] = cursor[c] - cstart[c];
            verts[cursor[c]++] = v;
        }
        free(cursor);
    }
    if (kmax < 2)
        goto out; /* every component is a single vertex: no cycle */

    /* Per-component arrays, reused; sized for the largest component (the
     * edge arrays for all m edges, an upper bound). */
    size_t kk = (size_t)kmax + 1;
    size_t mm = (size_t)m;
    E.off = malloc(kk * sizeof(uint32_t));
    E.roff = malloc(kk * sizeof(uint32_t));
    E.adj = malloc(mm * sizeof(uint32_t));
    E.radj = malloc(mm * sizeof(uint32_t));
    E.src = malloc(mm * sizeof(uint32_t));
    E.bnext = malloc(mm * sizeof(uint32_t));
    E.glob = malloc(kk * sizeof(uint32_t));
    E.lock = malloc(kk * sizeof(uint32_t));
    E.first = malloc(kk * sizeof(uint32_t));
    E.rfirst = malloc(kk * sizeof(uint32_t));
    E.flags = malloc(kk);
    E.bhead = malloc(kk * sizeof(uint32_t));
    E.queue = malloc(kk * sizeof(uint32_t));
    E.work = malloc(kk * sizeof(uint32_t));
    E.path = malloc(kk * sizeof(uint32_t));
    E.gpath = malloc(kk * sizeof(uint32_t));
    E.rot = malloc(kk * sizeof(uint32_t));
    E.it = malloc(kk * sizeof(uint32_t));
    E.cap = malloc(kk * sizeof(uint32_t));
    E.found = malloc(kk);
    if (!E.off || !E.roff || !E.adj || !E.radj || !E.src || !E.bnext ||
        !E.glob || !E.lock || !E.first || !E.rfirst || !E.flags || !E.bhead ||
        !E.queue || !E.work || !E.path || !E.gpath || !E.rot || !E.it ||
        !E.cap || !E.found) {
        status = DG_ENOMEM;
        goto out;
    }

    if (opt->through != UINT32_MAX) {
        uint32_t c = cid[opt->through];
        uint32_t k = cstart[c + 1] - cstart[c];
        if (k >= 2) {
            load_component(&E, g, cid, c, verts + cstart[c], k, loc);
            search_component(&E, loc[opt->through]);
        }
    } else {
        /* Components in the order of their smallest vertex: vertex v opens
         * its component when it is the component's first. */
        for (uint32_t v = 0; v < n; v++) {
            uint32_t c = cid[v];
            uint32_t k = cstart[c + 1] - cstart[c];
            if (k < 2 || verts[cstart[c]] != v)
                continue;
            load_component(&E, g, cid, c, verts + cstart[c], k, loc);
            if (search_component(&E, UINT32_MAX) == STOP)
                break;
        }
    }

out:
    stats->cycles = E.cycles;
    memcpy(stats->by_length, E.by_length, sizeof stats->by_length);
    stats->steps = E.steps;
    stats->timed_out = E.timed_out;
    stats->stopped = E.stopped;
    free(E.off);
    free(E.roff);
    free(E.adj);
    free(E.radj);
    free(E.src);
    free(E.bnext);
    free(E.glob);
    free(E.lock);
    free(E.first);
    free(E.rfirst);
    free(E.flags);
    free(E.bhead);
    free(E.queue);
    free(E.work);
    free(E.path);
    free(E.gpath);
    free(E.rot);
    free(E.it);
    free(E.cap);
    free(E.found);
    free(cid);
    free(cstart);
    free(verts);
    free(loc);
    return status;
}
