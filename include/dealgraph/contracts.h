/*
 * contracts.h - the exposure matrix on contracts (PRODUCT.md section 8):
 * what each company loses if another fails, at a valuation date t0 and
 * over a horizon of H months, read from the legs as the contracts they
 * are, and the obligations that fall due within the horizon.
 *
 *  - Stakes and loans (equity, debt legs investor -> investee; warrant
 *    legs issuer -> holder): the holder's claim is what has been paid in:
 *    `funded` where given, else the whole value of a completed leg, else 0
 *    (an unfunded pledge is not yet a claim).
 *  - Commercial contracts (chips, cloud, services, lease legs buyer ->
 *    seller) and backstops (guarantor -> beneficiary): the seller's claim
 *    is LGD(kind) x the payments scheduled in [t0, t0 + H) (schedule.h):
 *    a buyer who fails costs the seller its margin and stranded capacity,
 *    not the face value of the contract.
 *  - Pledges (`upto` ceilings, `loi` and `talks` legs) are options, not
 *    claims: 0, unless firmness weights them by their probability.
 *  - Each leg enters the matrix once, in one direction.
 *  - Obligations due within the horizon (for clearing): the payments a leg
 *    schedules in the window, from its `from` to its `to` (an unfunded
 *    stake's payments up to what is still unpaid; warrants are shares, not
 *    cash, and owe none).
 *
 * docs/methods.md, "Stress on contracts", gives the rules with their
 * sources and the default loss rates. Conventions as in stressrun.h: name
 * order, sums independent of the order of legs, NaN for unknown, no
 * printing.
 */
#ifndef DG_CONTRACTS_H
#define DG_CONTRACTS_H

#include "dealgraph/dealgraph.h"
#include "dealgraph/schedule.h"

#include <stdbool.h>
#include <stddef.h>

/* Two years: the horizon of the rating agencies' reviews of the AI
 * contracts (docs/methods.md). */
#define DG_HORIZON_DEFAULT_MONTHS 24
/* At most a century. */
#define DG_HORIZON_MAX_MONTHS 1200

/* The default loss rate of a kind (docs/methods.md gives each one's
 * source): chips 0.5, cloud 0.35, services 0.5, lease 0.5, backstop 1,
 * equity, debt and warrant 1. */
double dg_lgd_default(dg_kind kind);

/* How firm a leg is: the probability that it happens, by status, and the
 * share of an `upto` ceiling that is realised. */
typedef struct dg_firmness {
    double status[DG_STATUS_COUNT];
    double ceiling;
} dg_firmness;

/* The documented defaults: completed 1, definitive 0.9, announced 0.75,
 * reported 0.6, loi 0.3, talks 0.15; ceilings at 0.5. */
void dg_firmness_init(dg_firmness *f);
/* The weight of a leg under `f`: its status's probability, times the
 * ceiling share when it is an `upto` leg. */
double dg_firmness_weight(const dg_firmness *f, const dg_leg *leg);

typedef struct dg_contract_options {
    dg_filter filter;    /* which legs count and their amounts; an unset
                            as_of is set to t0 (legs announced after the
                            valuation date do not exist yet) */
    dg_date t0;          /* the valuation date; unset: filter.as_of, else
                            the ledger's as_of */
    int horizon_months;  /* H, 1 .. DG_HORIZON_MAX_MONTHS */
    double lgd[DG_KIND_COUNT]; /* loss rates in [0, 1] */
    bool firmness;       /* weight every leg by dg_firmness_weight; else
                            pledges count 0 and firm contracts in full */
    dg_firmness prob;
} dg_contract_options;

/* All legs, disclosed amounts, the default horizon and loss rates, no
 * firmness (its defaults in `prob`), t0 unset. */
void dg_contract_options_init(dg_contract_options *o);

/* One leg as a contract. */
typedef struct dg_contract_leg {
    size_t leg;            /* ledger index */
    size_t holder, obligor; /* ledger indexes: the holder loses if the
                              obligor fails (stakes: investor, investee;
                              warrants: holder, issuer; contracts:
                              seller, buyer; backstops: beneficiary,
                              guarantor) */
    bool stake;            /* equity, debt, warrant */
    bool cash;             /* moves money (a warrant moves shares) */
    bool pledge;           /* upto, loi or talks */
    dg_sched_state state;  /* of its schedule */
    bool term_unknown;     /* a per-period amount with no end or term */
    double value;          /* under the amount scenario; NaN undisclosed */
    double paid;           /* stakes: funded, else the value of a
                              completed leg, else 0; contracts: funded
                              (a prepayment), else 0 */
    double in_window;      /* scheduled in [t0, t0 + H) */
    double by_end;         /* scheduled before t0 + H */
    double weight;         /* what the uncertain part counts at in this
                              run: 1 for a firm contract, 0 for a pledge
                              or an unfunded stake, the firmness weight
                              with firmness */
    double lgd;            /* its kind's loss rate */
    double sure;           /* the part that counts whatever: a stake's
                              paid-in amount; 0 for contracts */
    double var;            /* the part that counts at `weight`: a stake's
                              scheduled amount beyond paid by t0 + H; a
                              contract's payments in the window (less a
                              prepayment) */
    double claim;          /* lgd * (sure + weight * var): its part of
                              A[holder][obligor] */
    double due_var;        /* LGD-free payments from -> to due in the
                              window (a stake's up to what is unpaid;
                              warrants 0) */
    double due;            /* due_weight * due_var: its part of
                              L[from][to] */
    double due_weight;     /* weight, except that an unfunded firm stake
                              owes its payments in full (1) */
} dg_contract_leg;

typedef struct dg_contracts {
    size_t n;                 /* companies */
    size_t *company, *rank;   /* name order, as in dg_stress_inputs */
    double *exposure;         /* n*n row-major by position: A_ij, what i
                                 loses if j fails */
    double *due;              /* n*n: L_ij, what i owes j within the
                                 horizon */
    dg_contract_leg *legs;    /* the legs that pass the filter, file order */
    size_t nlegs;
    dg_date t0;
    int first_month, end_month; /* the window [first, end), month indexes
                                   (schedule.h): from the first month with
                                   a day after t0 */
    int first_year, nyears;   /* the calendar years the window touches */
    double *leg_years;        /* nlegs * nyears: each leg's scheduled money
                                 in those years (LGD-free, unweighted) */
    size_t undisclosed, unscheduled, term_unknown, filtered;
    double unscheduled_value; /* commercial totals with no period: never in
                                 the window, reported apart */
    size_t pledges_out;       /* pledges that count 0 (without firmness) */
    double pledged_value;     /* their value under the scenario */
    size_t unfunded_stakes;   /* stakes with nothing paid in (count 0
                                 without firmness) */
    double unfunded_value;
} dg_contracts;

/*
 * Builds the matrices of `l` under `opt`. Errors: no valuation date (t0,
 * filter.as_of and the ledger's as_of all unset): DG_EINPUT with "the
 * stress on contracts needs a valuation date, and FILE sets no `as_of`" in
 * diags.
 * DG_EUSAGE for bad options (a horizon outside 1 .. DG_HORIZON_MAX_MONTHS,
 * a loss rate or probability outside [0, 1]); DG_ELIMIT (too many
 * companies); DG_ENOMEM. `out` is the caller's to finish, also after a
 * failure.
 */
int dg_contracts_build(const dg_ledger *l, const dg_contract_options *opt,
                       dg_contracts *out, dg_diags *diags);
void dg_contracts_finish(dg_contracts *c);

/* What a leg's uncertain parts come to when its value is `factor` times
 * the scenario's (a drawn amount): var and due_var. The deterministic
 * build uses factor 1. */
void dg_contract_leg_scaled(const dg_contract_leg *cl, double factor,
                            double *var, double *due_var);

/* What a company can pay the window's obligations from, for clearing: its
 * `cash`, plus its operating cash flow (`ocf` series) over the window
 * (each year's figure times the share of its twelve months inside the
 * window) when the series covers every year the window touches; never
 * below 0. NaN without `cash`. *with_ocf (may be NULL) says whether the
 * cash flow was added. */
double dg_contracts_outside_assets(const dg_contracts *c,
                                   const dg_company *co, bool *with_ocf);

/* The window's first month as a date ("2026-01") into buf (n >= 8), and
 * its last ("2027-12"). */
char *dg_month_text(int month, char *buf, size_t n);

#endif /* DG_CONTRACTS_H */
