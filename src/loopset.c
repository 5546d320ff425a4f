/*
 * loopset.c - the loops of a ledger kept in memory (loopset.h).
 *
 * A set holds its loops in four arrays that grow by doubling: the loops,
 * their companies, their hops and the hops' legs, each loop's part of the
 * last three consecutive. Nothing is allocated per loop, and the budget
 * counts exactly what the arrays hold. While loops arrive the arrays may
 * move, so the loops' pointers into them are set only once the search is
 * over, from the running offsets.
 */
#include "dealgraph/loopset.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct grow {
    void *data;
    size_t len, cap, size; /* in items of `size` bytes */
} grow;

struct dg_loopset {
    const dg_ledger *l;
    grow loops, companies, hops, legs;
    dg_loop_stats stats;
    size_t max_bytes, bytes;
    bool full, oom;
    size_t full_len; /* the length of the loop that did not fit */
};

static bool push(grow *g, const void *items, size_t count)
{
    if (g->len + count > g->cap) {
        size_t cap = g->cap ? g->cap : 256;
        while (cap < g->len + count)
            cap *= 2;
        void *p = realloc(g->data, cap * g->size);
        if (!p)
            return false;
        g->data = p;
        g->cap = cap;
    }
    memcpy((char *)g->data + g->len * g->size, items, count * g->size);
    g->len += count;
    return true;
}

static int keep(const dg_loop *loop, void *ctx)
{
    dg_loopset *s = ctx;
    /* Long loops in a dense ledger: keep at most max_bytes of them, then
     * stop and say so, rather than use up the memory. */
    size_t legs = 0;
    for (size_t i = 0; i < loop->length; i++)
        legs += loop->hops[i].nlegs;
    size_t need = sizeof(dg_loop) + (loop->length + 1) * sizeof(size_t) +
                  loop->length * sizeof(dg_hop) + legs * sizeof(size_t);
    if (s->bytes + need > s->max_bytes) {
        s->full = true;
        s->full_len = loop->length;
        return 1;
    }
    /* the companies with the first again at the end, as the search gives
     * them; the pointers are set in place_pointers */
    bool ok = push(&s->companies, loop->companies, loop->length) &&
              push(&s->companies, loop->companies, 1);
    for (size_t i = 0; ok && i < loop->length; i++)
        ok = push(&s->legs, loop->hops[i].legs, loop->hops[i].nlegs) &&
             push(&s->hops, &loop->hops[i], 1);
    ok = ok && push(&s->loops, loop, 1);
    if (!ok) {
        s->oom = true;
        return 1;
    }
    s->bytes += need;
    return 0;
}

/* Points each loop at its companies and hops, and each hop at its legs:
 * each loop's part of every array follows the previous loop's. */
static void place_pointers(dg_loopset *s)
{
    dg_loop *loops = s->loops.data;
    size_t *companies = s->companies.data, *legs = s->legs.data;
    dg_hop *hops = s->hops.data;
    size_t c = 0, h = 0, g = 0;
    for (size_t i = 0; i < s->loops.len; i++) {
        loops[i].companies = companies + c;
        loops[i].hops = hops + h;
        for (size_t k = 0; k < loops[i].length; k++) {
            hops[h + k].legs = legs + g;
            g += hops[h + k].nlegs;
        }
        c += loops[i].length + 1;
        h += loops[i].length;
    }
}

int dg_loopset_collect(const dg_ledger *l, const dg_loop_options *opt,
                       size_t max_bytes, dg_loopset **out, dg_diags *diags)
{
    *out = NULL;
    dg_loopset *s = calloc(1, sizeof *s);
    if (!s)
        return DG_ENOMEM;
    s->l = l;
    s->max_bytes = max_bytes ? max_bytes : DG_LOOPS_MAX_BYTES;
    s->loops.size = sizeof(dg_loop);
    s->companies.size = sizeof(size_t);
    s->hops.size = sizeof(dg_hop);
    s->legs.size = sizeof(size_t);
    int rc = dg_loops_each(l, opt, keep, s, &s->stats, diags);
    if (rc == DG_OK && s->oom)
        rc = DG_ENOMEM;
    if (rc != DG_OK) {
        dg_loopset_destroy(s);
        return rc;
    }
    if (s->full) {
        /* the loop that did not fit was counted: take it off */
        dg_loop_stats *st = &s->stats;
        size_t k = s->full_len <= 64 ? s->full_len : 0;
        if (st->count)
            st->count--;
        if (st->by_length[k])
            st->by_length[k]--;
        st->truncated = true;
    }
    place_pointers(s);
    *out = s;
    return DG_OK;
}

void dg_loopset_destroy(dg_loopset *s)
{
    if (!s)
        return;
    free(s->loops.data);
    free(s->companies.data);
    free(s->hops.data);
    free(s->legs.data);
    free(s);
}

const dg_ledger *dg_loopset_ledger(const dg_loopset *s) { return s->l; }

size_t dg_loopset_count(const dg_loopset *s) { return s->loops.len; }

const dg_loop *dg_loopset_loop(const dg_loopset *s, size_t i)
{
    return i < s->loops.len ? (const dg_loop *)s->loops.data + i : NULL;
}

const dg_loop_stats *dg_loopset_stats(const dg_loopset *s)
{
    return &s->stats;
}

bool dg_loopset_full(const dg_loopset *s) { return s->full; }

bool dg_loopset_complete(const dg_loopset *s)
{
    return !s->full && !s->stats.truncated && !s->stats.timed_out;
}

/* ---- ordering ------------------------------------------------------------- */

/* A loop with what its comparison needs: qsort passes no context, so each
 * item carries the ledger's name ranks (rank[c]: company c's place in name
 * order, so comparing ranks is comparing names). */
typedef struct item {
    dg_loop loop;
    const size_t *rank;
} item;

/* The companies' names in order, then the id: a total, deterministic
 * tie-break. */
static int by_names(const item *a, const item *b)
{
    size_t n = a->loop.length < b->loop.length ? a->loop.length
                                               : b->loop.length;
    for (size_t i = 0; i < n; i++) {
        size_t x = a->rank[a->loop.companies[i]];
        size_t y = b->rank[b->loop.companies[i]];
        if (x != y)
            return x < y ? -1 : 1;
    }
    if (a->loop.length != b->loop.length)
        return a->loop.length < b->loop.length ? -1 : 1;
    return strcmp(a->loop.id, b->loop.id);
}

static int by_value_desc(const item *a, const item *b)
{
    double x = a->loop.value, y = b->loop.value;
    bool hx = dg_has(x), hy = dg_has(y);
    if (hx != hy)
        return hx ? -1 : 1; /* undisclosed last */
    if (hx && x != y)
        return x > y ? -1 : 1;
    return 0;
}

static int by_length(const item *a, const item *b)
{
    if (a->loop.length != b->loop.length)
        return a->loop.length < b->loop.length ? -1 : 1;
    return 0;
}

static int cmp_value(const void *x, const void *y)
{
    int c = by_value_desc(x, y);
    if (!c)
        c = by_length(x, y);
    return c ? c : by_names(x, y);
}

static int cmp_length(const void *x, const void *y)
{
    int c = by_length(x, y);
    if (!c)
        c = by_value_desc(x, y);
    return c ? c : by_names(x, y);
}

static int cmp_id(const void *x, const void *y)
{
    const item *a = x, *b = y;
    int c = strcmp(a->loop.id, b->loop.id);
    return c ? c : by_names(a, b);
}

int dg_loopset_sort(dg_loopset *s, dg_loop_order order)
{
    size_t n = s->loops.len, nc = s->l->ncompanies;
    if (n < 2)
        return DG_OK;
    item *items = malloc(n * sizeof *items);
    size_t *company = malloc((nc ? nc : 1) * sizeof *company);
    size_t *rank = malloc((nc ? nc : 1) * sizeof *rank);
    if (!items || !company || !rank) {
        free(items);
        free(company);
        free(rank);
        return DG_ENOMEM;
    }
    dg_name_order(s->l, company, rank);
    dg_loop *loops = s->loops.data;
    for (size_t i = 0; i < n; i++)
        items[i] = (item){loops[i], rank};
    qsort(items, n, sizeof *items,
          order == DG_LOOP_ORDER_LENGTH ? cmp_length
          : order == DG_LOOP_ORDER_ID   ? cmp_id
                                        : cmp_value);
    for (size_t i = 0; i < n; i++)
        loops[i] = items[i].loop;
    free(items);
    free(company);
    free(rank);
    return DG_OK;
}
