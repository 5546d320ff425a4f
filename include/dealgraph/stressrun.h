/*
 * stressrun.h - stress tests on a ledger: what the other companies lose
 * when the focal company cannot pay. Maps the ledger onto the matrices of
 * stress.h (DebtRank in its published forms, linear and non-linear;
 * Eisenberg–Noe clearing, with bankruptcy costs) and reads the results
 * back per company, with the claims behind each loss, the revenue the
 * focus's sellers lose, and (dg_stress_bands) Monte Carlo bands.
 *
 * Two mappings: on contracts (contracts.h, PRODUCT.md §8; the default) and
 * at face value (PRODUCT.md §4, for comparison). Ledger mapping, sources
 * and limits: docs/methods.md §4-§6 and §10.
 *
 * Conventions as in exposure.h: work in name order, amounts on a pair
 * added smallest first (results do not depend on the order of companies or
 * legs), NaN for "unknown" (never 0), no printing.
 */
#ifndef DG_STRESSRUN_H
#define DG_STRESSRUN_H

#include "dealgraph/contracts.h"
#include "dealgraph/dealgraph.h"
#include "dealgraph/stress.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    DG_MODEL_DEBTRANK = 0,    /* Bardoscia et al. 2015 */
    DG_MODEL_DEBTRANK_SINGLE, /* Battiston et al. 2012, single pass */
    DG_MODEL_CLEARING,        /* Eisenberg & Noe 2001 */
    DG_MODEL_COUNT
} dg_stress_model;

/* "debtrank", "debtrank-single", "clearing". Static. */
const char *dg_stress_model_name(dg_stress_model m);
bool dg_stress_model_parse(const char *text, dg_stress_model *out);

/* How legs become claims. */
typedef enum {
    DG_EXPOSURES_CONTRACTS = 0, /* contracts.h: funded stakes, payments due
                                   within a horizon at a loss rate,
                                   pledges as options */
    DG_EXPOSURES_FACE,          /* PRODUCT.md §4: every leg at face value,
                                   equity and debt legs both ways, every
                                   leg an obligation due now */
    DG_EXPOSURES_COUNT
} dg_exposures;

/* "contracts", "face". Static. */
const char *dg_exposures_name(dg_exposures e);
bool dg_exposures_parse(const char *text, dg_exposures *out);

/* The basis the capital of every company should be on. */
typedef enum {
    DG_CAPITAL_BOOK = 0, /* book equity: what absorbs losses */
    DG_CAPITAL_MARKET,   /* market capitalisation (a private round's
                            valuation counts as market) */
    DG_CAPITAL_COUNT
} dg_capital;

/* "book", "market". Static. */
const char *dg_capital_name(dg_capital c);
bool dg_capital_parse(const char *text, dg_capital *out);

/* Moody's spoke of Oracle's leverage nearing 4x as the strain of the
 * OpenAI contract (September 2025; docs/methods.md): the default limit
 * of the revenue stress. */
#define DG_LEVERAGE_LIMIT_DEFAULT 4.0

typedef struct dg_stress_options {
    dg_filter filter;      /* which legs count */
    dg_stress_model model;
    double shortfall;      /* in [0, 1]: the share of what the focus owes
                              that goes unpaid (DebtRank: h_F(1); clearing:
                              the focus's cash is cut by this share) */
    size_t focus;          /* ledger company index */
    dg_exposures exposures;
    /* Contracts: the valuation date, horizon, loss rates and firmness
     * (its `filter` is not read: `filter` above is). */
    dg_contract_options contracts;
    dg_capital capital;    /* contracts: the basis warned against */
    double alpha;          /* DebtRank (Bardoscia) only: >= 0; 0 is linear,
                              above it non-linear DebtRank (2016) */
    double recovery_assets, recovery_claims; /* clearing: Rogers-Veraart
                              alpha and beta in (0, 1]; 1, 1 is
                              Eisenberg-Noe */
    double leverage_limit; /* revenue stress: debt / EBITDA above it is a
                              breach; > 0 */
} dg_stress_options;

/* Bardoscia's form (alpha 0), shortfall 1, all legs, disclosed amounts;
 * focus 0; exposures on contracts with dg_contract_options_init's
 * defaults; book capital; no bankruptcy costs; leverage limit
 * DG_LEVERAGE_LIMIT_DEFAULT. */
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
/* One leg's part of one matrix entry: the holder (DebtRank: who loses;
 * clearing: who is owed) and the obligor, by position in name order. */
typedef struct dg_stress_entry {
    size_t holder, obligor;
    size_t leg;              /* ledger index */
    double amount;
} dg_stress_entry;

typedef struct dg_stress_inputs {
    size_t n;
    size_t *company, *rank;  /* as in dg_flows */
    double *exposure;        /* n*n row-major: A (DebtRank) or L (clearing) */
    double *equity;          /* E_i; NaN when not given */
    bool *has_equity;        /* E_i given and > 0 */
    double *cash;            /* `cash`; NaN when not given */
    double *outside;         /* what clearing pays from: face, `cash`;
                                contracts, dg_contracts_outside_assets */
    size_t with_ocf;         /* companies whose operating cash flow over
                                the horizon was added */
    dg_stress_entry *entries; /* every leg's part of the matrix, file
                                 order */
    size_t nentries;
    size_t legs, valued, undisclosed, filtered;
} dg_stress_inputs;

/* The face-value mapping (PRODUCT.md §4): builds the DebtRank exposure
 * matrix A when `debtrank` is true, else the clearing liabilities L_ij =
 * sum of the kept legs i -> j. DG_OK, DG_ENOMEM, DG_ELIMIT, DG_EUSAGE. */
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
     * payment p*_i, the outside assets e_i used (cash; on contracts plus
     * the operating cash flow over the horizon where given; the focus's
     * cut by the shortfall), and the equity after clearing
     * e_i + sum_j Pi_ji p*_j - pbar_i (NaN without cash). */
    double obligation, payment, cash, equity_after;
    bool assumed_paying; /* clearing: no cash, assumed to pay in full */
    bool included;       /* DebtRank: takes losses; clearing: has cash */
    const char *basis;   /* the company's equity_basis (the ledger's
                            string), NULL when not given */
    bool basis_differs;  /* contracts: capital not on the chosen basis */
    size_t first_claim, nclaims; /* its claims in dg_stress_result.claims */
} dg_stress_row;

/* One claim of a company on another, and what of it was lost: the
 * DebtRank entry A_ij times the distress the obligor passed on (h_j(T),
 * or p(h_j(T)) in the non-linear form); under clearing what the obligor
 * owes it and does not pay, L_ji (1 - p*_j / pbar_j). */
typedef struct dg_stress_claim {
    size_t holder, obligor; /* ledger indexes */
    size_t leg;             /* ledger index */
    double amount;          /* the leg's part of the matrix entry */
    double lost;
    double base;            /* contracts: what the amount is a loss rate
                               of (the payments in the window, or the
                               stake), weighted; face: the leg's value */
    double rate;            /* contracts: the loss rate (DebtRank) or 1
                               (clearing); face: 1 */
} dg_stress_claim;

/* The revenue a seller of the focus loses in one calendar year (contracts
 * only, PRODUCT.md §8): the focus's payments to it scheduled in the
 * window's part of the year, LGD-free and weighted as the contracts are,
 * times the shortfall; against its revenue; and its leverage where `debt`
 * and `ebitda` are given for the year. */
typedef struct dg_stress_revenue {
    size_t seller;          /* ledger index */
    int year;
    double payments;        /* from the focus in the window's part of Y */
    double lost;            /* shortfall x payments */
    double revenue;         /* its revenue for Y; NaN when not given */
    dg_basis revenue_basis;
    double share;           /* lost / revenue; NaN without revenue */
    double margin_lost;     /* sum over the legs of LGD x lost: the EBITDA
                               the lost revenue carried */
    double debt, ebitda;    /* for Y; NaN when not given */
    double leverage_before; /* debt / EBITDA; NaN without both (or EBITDA
                               <= 0) */
    double leverage_after;  /* debt / (EBITDA - margin_lost); NaN without
                               both, or when EBITDA is wiped out */
    bool ebitda_wiped;      /* EBITDA - margin_lost <= 0 */
    bool breach;            /* after > limit, or EBITDA wiped out */
} dg_stress_revenue;

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
    /* The focus's own capital apart: its loss (h_F(T) E_F; NaN without
     * equity; clearing: what it is owed and not paid), and the loss of
     * every other company with equity (clearing: unpaid to them). */
    double focus_loss, others_loss, others_equity;
    dg_exposures exposures;
    double alpha, recovery_assets, recovery_claims;
    /* contracts: the valuation date and the window [first, end) in month
     * indexes; what the contracts left out */
    dg_date t0;
    int first_month, end_month;
    size_t unscheduled, pledges_out, unfunded_stakes, term_unknown;
    double unscheduled_value, pledged_value, unfunded_value;
    size_t basis_differs;  /* companies whose capital is on another basis */
    size_t with_ocf;       /* clearing on contracts: companies whose
                              operating cash flow over the horizon is in
                              their outside assets */
    dg_stress_claim *claims; /* by holder in name order, then the largest
                                loss first (then amount, then leg) */
    size_t nclaims;
    dg_stress_revenue *revenue; /* by seller in name order, then year */
    size_t nrevenue;
    double leverage_limit;
} dg_stress_result;

/*
 * Runs the stress test. Warnings go to `diags` (DG_SEV_WARNING, no file):
 * the companies left out for a missing (or non-positive) equity or cash,
 * named; on contracts, the companies whose capital is on another basis
 * than opt->capital, named; Bardoscia stopping at its round limit. Errors:
 * no company with equity (DebtRank), a focus without cash (clearing: "the
 * clearing model cuts the focus's cash by the shortfall, but X has no
 * `cash`; give it one (cash and securities, USD)", at X's line), no
 * valuation date on contracts (contracts.h): DG_EINPUT with an error in
 * diags. Returns DG_OK, DG_EINPUT, DG_EUSAGE (bad options: shortfall
 * outside [0, 1], focus out of range, unknown model, mapping or basis,
 * alpha < 0 or not finite or with another model than Bardoscia's,
 * recovery outside (0, 1] or below 1 with a model other than clearing, a
 * leverage limit <= 0, bad contract options), DG_ENOMEM, DG_ELIMIT,
 * DG_EINTERNAL. `out` is empty on failure; dg_stress_result_finish()
 * frees it.
 */
int dg_stress_run(const dg_ledger *l, const dg_stress_options *opt,
                  dg_stress_result *out, dg_diags *diags);
void dg_stress_result_finish(dg_stress_result *r);

/* The row of ledger company `company`, or NULL. */
const dg_stress_row *dg_stress_row_of(const dg_stress_result *r,
                                      size_t company);

/* ---- Monte Carlo ---------------------------------------------------------------- */

/* Percentiles of a figure over the draws, by nearest rank: the sorted
 * values x_1 <= ... <= x_N give p_q = x_ceil(qN). NaN when the figure is
 * unknown in some draw. */
typedef struct dg_band {
    double p5, p50, p95;
} dg_band;

typedef struct dg_stress_band_row {
    size_t company;        /* ledger index */
    dg_band relative_loss; /* h_i(T) (clearing: min(1, loss / equity)) */
    dg_band loss;
    double default_share;  /* the share of draws in which it defaults;
                              NaN when its default is unknown */
} dg_stress_band_row;

typedef struct dg_stress_bands {
    size_t draws;
    uint64_t seed;
    dg_band debtrank;      /* NaN under clearing */
    dg_band defaults, further_defaults;
    dg_band others_loss;
    size_t n;
    dg_stress_band_row *rows; /* name order */
} dg_stress_bands;

/* The most draws a run takes. */
#define DG_STRESS_MAX_DRAWS ((size_t)10000000)

/*
 * Monte Carlo over the assumptions of the contracts mapping: in each draw
 * every leg that is not completed happens with its status's probability
 * (opt->contracts.prob), an `upto` ceiling is realised at a share drawn
 * uniformly with mean prob.ceiling (on [0, 2c] for c <= 1/2, else on
 * [2c - 1, 1]), and, when the amount scenario is not `disclosed`, a leg
 * with an estimate range and no disclosed amount takes a value drawn
 * uniformly from the range. Funded and completed parts always count. The
 * model of `opt` runs on every draw. The generator is the library's own
 * (xoshiro256** seeded by splitmix64 from `seed`): the same ledger file,
 * options and seed give the same bands, bit for bit. With every
 * probability and the ceiling share 1 and no ranges drawn, every draw is
 * the deterministic run with firmness, so the bands collapse onto it.
 * Requires exposures on contracts (DG_EUSAGE otherwise), 1 .. DG_STRESS_
 * MAX_DRAWS draws; errors as dg_stress_run. Warnings of the deterministic
 * run are not repeated.
 */
int dg_stress_bands_run(const dg_ledger *l, const dg_stress_options *opt,
                        size_t draws, uint64_t seed, dg_stress_bands *out,
                        dg_diags *diags);
void dg_stress_bands_finish(dg_stress_bands *b);

#endif /* DG_STRESSRUN_H */
