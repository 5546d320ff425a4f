/*
 * stressrun.h - stress tests on a ledger: what the other companies lose
 * when the focal company cannot pay. Maps the ledger onto the matrices of
 * stress.h (DebtRank in both published forms, Eisenberg–Noe clearing) and
 * reads the results back per company.
 *
 * Ledger mapping, sources and limits: docs/methods.md §4-§5; PRODUCT.md §4.
 *
 * Conventions as in exposure.h: work in name order, amounts on a pair
 * added smallest first (results do not depend on the order of companies or
 * legs), NaN for "unknown" (never 0), no printing.
 */
#ifndef DG_STRESSRUN_H
#define DG_STRESSRUN_H

#include "dealgraph/dealgraph.h"
#include "dealgraph/stress.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    DG_MODEL_DEBTRANK = 0,    /* Bardoscia et al. 2015 */
    DG_MODEL_DEBTRANK_SINGLE, /* Battiston et al. 2012, single pass */
    DG_MODEL_CLEARING,        /* Eisenberg & Noe 2001 */
    DG_MODEL_COUNT
} dg_stress_model;

/* "debtrank", "debtrank-single", "clearing". Static. */
const char *dg_stress_model_name(dg_stress_model m);
bool dg_stress_model_parse(const char *text, dg_stress_model *out);

typedef struct dg_stress_options {
    dg_filter filter;      /* which legs count */
    dg_stress_model model;
    double shortfall;      /* in [0, 1]: the share of what the focus owes
                              that goes unpaid (DebtRank: h_F(1); clearing:
                              the focus's cash is cut by this share) */
    size_t focus;          /* ledger company index */
} dg_stress_options;

/* Bardoscia's form, shortfall 1, all legs, disclosed amounts; focus 0. */
void dg_stress_options_init(dg_stress_options *o);

/* ---- the matrices ------------------------------------------------------------ */

/*
 * The DebtRank inputs of a ledger, by position in name order (company[k]
 * is the ledger index of position k):
 *   exposure  A_ij = what i loses if j fails: the sum of every kept leg
 *             j -> i plus every kept `equity` or `debt` leg i -> j
 *   equity    E_i, the company's `equity` (NaN when not given)
 *   included  E_i given and > 0
 * Legs without a value under the scenario add nothing (counted in
 * `undisclosed`). A self leg (i -> i) is ignored, as in stress.h.
 */
typedef struct dg_stress_inputs {
    size_t n;
    size_t *company, *rank;  /* as in dg_flows */
    double *exposure;        /* n*n row-major: A (DebtRank) or L (clearing) */
    double *equity;          /* E_i; NaN when not given */
    bool *has_equity;        /* E_i given and > 0 */
    double *cash;            /* `cash`; NaN when not given */
    size_t legs, valued, undisclosed, filtered;
} dg_stress_inputs;

/* Builds the DebtRank exposure matrix A when `debtrank` is true, else the
 * clearing liabilities L_ij = sum of the kept legs i -> j. DG_OK,
 * DG_ENOMEM, DG_ELIMIT, DG_EUSAGE. */
int dg_stress_inputs_build(const dg_ledger *l, const dg_filter *filter,
                           bool debtrank, dg_stress_inputs *out);
void dg_stress_inputs_finish(dg_stress_inputs *in);

/* ---- results ------------------------------------------------------------------ */

typedef struct dg_stress_row {
    size_t company;       /* ledger index */
    double equity;        /* the company's `equity`; NaN when not given */
    double claims_on_focus; /* DebtRank: A_iF, what it loses outright if the
                               focus fails; clearing: L_Fi, what the focus
                               owes it */
    /* DebtRank: h_i(T) E_i. Clearing: what it was owed but is not paid,
     * sum_j L_ji (1 - p*_j / pbar_j). NaN when unknown (DebtRank: no
     * equity). */
    double loss;
    /* DebtRank: h_i(T). Clearing: min(1, loss / equity). NaN when the
     * company has no equity (for DebtRank: unless it is the focus, whose
     * relative loss is its shock). */
    double relative_loss;
    /* DebtRank: h_i(T) >= 1; clearing: p*_i < pbar_i. Unknown (and
     * `defaulted_known` false) for a company whose equity (DebtRank) or
     * cash (clearing) is missing, unless it is the shocked focus. */
    bool defaulted;
    bool defaulted_known;
    /* Clearing only (NaN for DebtRank): the obligation pbar_i, the
     * payment p*_i, the cash e_i used, and the equity after clearing
     * e_i + sum_j Pi_ji p*_j - pbar_i (NaN without cash). */
    double obligation, payment, cash, equity_after;
    bool assumed_paying; /* clearing: no cash, assumed to pay in full */
    bool included;       /* DebtRank: takes losses; clearing: has cash */
} dg_stress_row;

typedef struct dg_stress_result {
    dg_stress_model model;
    double shortfall;
    size_t focus;
    size_t n;
    dg_stress_row *rows;   /* n rows in name order */
    double total_loss;     /* DebtRank: sum of h_i(T) E_i over companies
                              with equity (the focus's own shock
                              included); clearing: total unpaid
                              obligations, sum_i (pbar_i - p*_i) */
    double debtrank;       /* R = sum_i v_i (h_i(T) - h_i(1)), v_i
                              proportional to E_i; NaN for clearing */
    double total_equity;   /* sum of E_i over companies with equity */
    size_t defaults;       /* companies known to default (shocked focus
                              included) */
    size_t further_defaults; /* of them, not the shocked focus */
    size_t excluded;       /* companies without equity (DebtRank) or cash
                              (clearing) */
    size_t rounds;
    bool lower_bound;      /* Bardoscia stopped at its round limit */
    size_t legs, valued, undisclosed, filtered;
} dg_stress_result;

/*
 * Runs the stress test. Warnings go to `diags` (DG_SEV_WARNING, no file):
 * the companies left out for a missing (or non-positive) equity or cash,
 * named; Bardoscia stopping at its round limit. Errors: no company with
 * equity (DebtRank) or a focus without cash (clearing: "the clearing
 * model cuts the focus's cash by the shortfall, but X has no `cash`; give
 * it one (cash and securities, USD)", at X's line), DG_EINPUT with an
 * error in diags. Returns DG_OK, DG_EINPUT, DG_EUSAGE (bad options:
 * shortfall outside [0, 1], focus out of range, unknown model),
 * DG_ENOMEM, DG_ELIMIT, DG_EINTERNAL. `out` is empty on failure;
 * dg_stress_result_finish() frees it.
 */
int dg_stress_run(const dg_ledger *l, const dg_stress_options *opt,
                  dg_stress_result *out, dg_diags *diags);
void dg_stress_result_finish(dg_stress_result *r);

/* The row of ledger company `company`, or NULL. */
const dg_stress_row *dg_stress_row_of(const dg_stress_result *r,
                                      size_t company);

#endif /* DG_STRESSRUN_H */
