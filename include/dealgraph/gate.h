/*
 * gate.h - the CI gate behind `dealgraph check`: rules (from flags or a
 * policy file) measured on a ledger, each holding or broken.
 */
#ifndef DG_GATE_H
#define DG_GATE_H

#include "dealgraph/dealgraph.h"
#include "dealgraph/diff.h"

/* The rules; an unset limit is NaN (or NULL for the baseline). */
typedef struct dg_policy {
    double max_exposure;   /* largest direct inflow share on the focus */
    double max_loops;      /* loop count */
    double max_loop_value; /* largest loop value, USD */
    double max_fci;        /* Finn's cycling index */
    double max_revenue_dependence; /* largest revenue dependence on the
                              focus in `year` (yearly.h) */
    double min_coverage;   /* the focus's revenue / payments in `year` */
    char *no_new_loops;    /* baseline ledger path; owned */
    char *focus;           /* owned; NULL = the ledger's focus */
    size_t max_len;        /* loops of at most this many companies; 0 = all */
    int year;              /* the year of the yearly rules; 0 = the year
                              of the filter's as_of, else of the ledger's
                              as_of, else of its latest announcement */
} dg_policy;

void dg_policy_init(dg_policy *p);
void dg_policy_finish(dg_policy *p);

/* Parses a policy file (docs/ci.md): `rule = value` lines, `#` comments.
 * A relative `no-new-loops` path is taken relative to the file's
 * directory. Errors go to diags with the file and line; returns DG_OK,
 * DG_EINPUT, DG_EIO or DG_ENOMEM. Settings already in `p` are kept unless
 * the file sets them. */
int dg_policy_load(const char *path, dg_policy *p, dg_diags *diags);

/* Parses one rule value as a flag or a policy line would ("0.5", "50%",
 * "20", "10B", "2027"); `rule` is the rule's name. Returns false on a bad value
 * (and writes why into msg). */
bool dg_policy_set(dg_policy *p, const char *rule, const char *value,
                   char *msg, size_t msgsize);
/* Rule names, for suggestions. NULL-terminated. */
extern const char *const dg_policy_rules[];

typedef struct dg_rule_result {
    const char *rule; /* static: "max-loops" */
    bool holds;       /* measured within the limit; a measure that does not
                         exist (NaN) holds, and the detail says why */
    double measured, limit;
    char *detail;     /* e.g. "Oracle, from OpenAI"; owned; may be NULL */
    dg_loop_ref *new_loops; /* no-new-loops: the loops not in the baseline */
    size_t nnew;
    int year;         /* the yearly rules: the year measured; else 0 */
    char **unknown;   /* max-revenue-dependence: the companies the focus
                         pays whose dependence is n/a (no revenue figure),
                         in name order; owned */
    size_t nunknown;
} dg_rule_result;

typedef struct dg_gate {
    dg_rule_result *results; /* in the order max-exposure, max-loops,
                                max-loop-value, max-fci, no-new-loops,
                                max-revenue-dependence, min-coverage */
    size_t count;
    bool holds; /* every rule holds */
} dg_gate;

/* Measures every set rule. Problems (unknown focus, an unreadable
 * baseline, a singular system) go to diags; returns DG_OK, DG_EUSAGE,
 * DG_EINPUT, DG_EIO, DG_ENOMEM, DG_ELIMIT or DG_EINTERNAL. */
int dg_gate_run(const dg_ledger *l, const dg_policy *p, const dg_filter *f,
                const dg_load_options *load, dg_gate *out, dg_diags *diags);
void dg_gate_finish(dg_gate *g);

#endif
