/*
 * loops.h - the closed value loops of a ledger: elementary cycles of the
 * company graph (parallel legs between two companies are one hop), each
 * described by its hops, legs, value, kind signature, pattern, firmness
 * and timing. Built on the cycle engine (cycles.h).
 */
#ifndef DG_LOOPS_H
#define DG_LOOPS_H

#include "dealgraph/dealgraph.h"
#include "dealgraph/text.h"

#include <stdint.h>

typedef enum {
    DG_PATTERN_VENDOR_FINANCING,    /* the seller funds (equity, debt,
                                       backstop) the buyer who buys from it */
    DG_PATTERN_EQUITY_FOR_PURCHASE, /* the seller gives shares (warrant) to
                                       the buyer who buys from it */
    DG_PATTERN_CAPACITY_ROUND_TRIP, /* both sides buy capacity (chips,
                                       cloud, services, lease) from each
                                       other */
    DG_PATTERN_MULTI_PARTY,         /* anything else, e.g. 3 or more parties */
    DG_PATTERN_COUNT
} dg_pattern;

/* "vendor_financing" (JSON, CSV) and "vendor financing" (text). Static. */
const char *dg_pattern_key(dg_pattern p);
const char *dg_pattern_name(dg_pattern p);

/* One hop of a loop: every leg from one company to the next. */
typedef struct dg_hop {
    size_t from, to;     /* company indexes */
    const size_t *legs;  /* ledger leg indexes, file order; in temporal
                            mode exactly one */
    size_t nlegs;
    double value;        /* sum of the legs' known values under the amount
                            scenario; NaN when no leg has one */
    bool partial;        /* some legs have no value: `value` is a floor */
    unsigned kinds;      /* bit (1u << kind) for each kind on the hop */
} dg_hop;

/* A loop, valid only during the callback that receives it. */
typedef struct dg_loop {
    char id[16];        /* stable id: 10 hex digits of a hash of the
                           canonical rotation (and, in temporal mode, of
                           the legs), e.g. "3f09a2c41b" */
    size_t length;      /* hops = companies */
    const size_t *companies; /* canonical rotation: starts at the
                                lexicographically smallest name */
    const dg_hop *hops;      /* hops[i]: companies[i] -> companies[i+1] */
    double value;       /* smallest hop value: the most that can go round;
                           NaN (undisclosed) when any hop has no value */
    bool partial;       /* some hop's value is a floor */
    dg_pattern pattern;
    dg_status firmness; /* the least firm leg */
    bool time_respecting; /* some rotation, one leg per hop, has
                             non-decreasing announced dates (within the
                             window when one is set) */
} dg_loop;

/* Writes the kind signature, e.g. "warrant>chips" or
 * "equity>cloud+chips>chips" (kinds of one hop joined by '+'), cut to the
 * n bytes of buf. */
char *dg_loop_signature(const dg_loop *loop, char *buf, size_t n);

/* The texts of a loop, appended to `b` in full (a failed allocation sets
 * b->oom, as every dg_buf append does):
 *   dg_kinds_text           the kinds of a hop mask in kind order,
 *                           "cloud+equity+backstop"
 *   dg_loop_signature_text  the kind signature, as dg_loop_signature
 *   dg_loop_path_text       "AMD -warrant-> OpenAI -chips-> AMD"
 *   dg_loop_companies_text  the companies in canonical rotation joined by
 *                           `sep`, with the first again at the end when
 *                           `closed`: "AMD>OpenAI", "AMD > OpenAI > AMD" */
void dg_kinds_text(unsigned kinds, dg_buf *b);
void dg_loop_signature_text(const dg_loop *loop, dg_buf *b);
void dg_loop_path_text(const dg_ledger *l, const dg_loop *loop, dg_buf *b);
void dg_loop_companies_text(const dg_ledger *l, const dg_loop *loop,
                            const char *sep, bool closed, dg_buf *b);

typedef struct dg_loop_options {
    dg_filter filter;     /* which legs count */
    size_t max_len;       /* 0 = no bound */
    double min_value;     /* keep loops worth at least this; NaN = all.
                             Undisclosed loops fail any min_value. */
    const char *through;  /* company name, or NULL */
    bool temporal;        /* enumerate time-respecting leg sets only */
    long window_days;     /* time window; < 0 = none */
    uint64_t limit;       /* stop after this many loops; 0 = none */
    double max_seconds;   /* CPU time limit; 0 = none */
    /* Called now and then during the search (every 65536 units of the
     * engine's work) with the cycles of companies found so far, for a
     * progress display; NULL = none. Not called by dg_loops_null. */
    void (*progress)(uint64_t found, void *ctx);
    void *progress_ctx;
    /* dg_loops_null's progress display, with the same ctx: called now and
     * then from inside each count and after each one, with the counts done
     * (the observed graph's first, then the rewirings') out of the total,
     * rewirings + 1; NULL = none. */
    void (*null_progress)(size_t done, size_t total, void *ctx);
} dg_loop_options;

void dg_loop_options_init(dg_loop_options *o);

/* A dense ledger can close more loops than there are atoms: the searches a
 * command runs on its own behalf (check, diff, report) stop after this much
 * CPU time, and a command keeps at most DG_LOOPS_MAX_BYTES of loop
 * descriptions, then says the result is cut short (docs/robustness.md). */
#define DG_LOOPS_AUTO_SECONDS 60.0
#define DG_LOOPS_MAX_BYTES ((size_t)256 << 20)

typedef struct dg_loop_stats {
    uint64_t count;          /* loops passed to the callback */
    uint64_t by_length[65];  /* of them, by length ([0]: longer than 64) */
    bool truncated;          /* the limit stopped the search */
    bool timed_out;          /* max_seconds stopped the search */
} dg_loop_stats;

/* Return 0 to go on, nonzero to stop. */
typedef int (*dg_loop_fn)(const dg_loop *loop, void *ctx);

/* Finds the loops of `l` and passes each to `fn` (NULL: count only, the
 * fast path). Memory does not grow with the number of loops. Returns
 * DG_OK, DG_EUSAGE (`through` names no company: "\"OpenAl\" is not a
 * company in the ledger; did you mean \"OpenAI\"?" in diags), DG_ENOMEM
 * or DG_EINTERNAL. */
int dg_loops_each(const dg_ledger *l, const dg_loop_options *opt,
                  dg_loop_fn fn, void *ctx, dg_loop_stats *stats,
                  dg_diags *diags);

/* The value on loops: the sum of the values of the hops that lie on at
 * least one loop (a hop u -> v is on a loop exactly when u and v share a
 * strongly connected component), under the filter. Undisclosed hops add
 * nothing and are counted in *undisclosed_hops. Also the part of it on
 * hops that touch company `focus` (SIZE_MAX: none). */
int dg_loops_value(const dg_ledger *l, const dg_filter *filter, size_t focus,
                   double *looped, double *looped_focus,
                   size_t *undisclosed_hops);

/* Significance of the loop count and the looped value against a null
 * model: `rewirings` degree-preserving rewirings of the company graph
 * (igraph_rewire, simple: no parallel hops, no self-deals, in- and
 * out-degrees kept), seeded. Hop values move with their sender (each
 * company's out-strength is kept). Undisclosed hops count in the structure
 * and add no value, in the observed graph and in every rewiring alike. */
typedef struct dg_loop_null {
    size_t rewirings;
    uint64_t seed;
    uint64_t observed_count;
    double observed_value;  /* value on loops, disclosed hops only */
    double mean_count, sd_count, z_count, p_count;
    double mean_value, sd_value, z_value, p_value;
    /* z is NaN when the rewirings all agree (sd = 0); p is the exact
     * empirical upper-tail p-value (k + 1) / (N + 1), k = rewirings at
     * least as extreme as the observed graph. */
    bool timed_out; /* some count hit max_seconds: results partial */
} dg_loop_null;

/* The null model counts every loop of the graph and its rewirings: it
 * honours the filter, max_len and max_seconds (shared equally by the
 * N + 1 counts), and has no use for limit. A `through` company, the
 * temporal mode or a min_value select loops that a rewired graph has no
 * counterpart of, and one rewiring has no spread: dg_loops_null refuses
 * those with DG_EUSAGE, and dg_loops_null_check says why (in diags)
 * without counting anything. */
int dg_loops_null_check(const dg_loop_options *opt, size_t rewirings,
                        dg_diags *diags);
int dg_loops_null(const dg_ledger *l, const dg_loop_options *opt,
                  size_t rewirings, uint64_t seed, dg_loop_null *out);

#endif
