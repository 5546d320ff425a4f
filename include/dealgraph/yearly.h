/*
 * yearly.h - exposure per year (PRODUCT.md section 7, "What the analysis
 * reports (per year)"): how much each company depends on the focal company
 * in one calendar year, set against its revenue and its backlog, and how
 * the focus pays for what it has committed to:
 *
 *  - revenue dependence of X: what the focus pays X in the year for chips,
 *    cloud, services and leases, over X's revenue for that year, with the
 *    10%-customer flag of US filings; n/a (never a number from a fallback)
 *    when X has no revenue figure for the year;
 *  - ledger share of X: the old balancing arithmetic on the year's flows
 *    (what the focus pays X over X's ledger inflow plus max(0, outflow -
 *    inflow)), kept for comparison and always named as resting on the
 *    balancing assumption;
 *  - backlog share of X: the focus's commercial commitments to X announced
 *    by X's rpo_as_of and still to be paid after it (totals without a
 *    delivery period counted whole), over X's rpo;
 *  - coverage of the focus: its revenue over what it pays out in the year;
 *    the funding gap (payments - revenue - equity and debt received) and
 *    its running sum from a first year (the ledger's as_of);
 *  - vendor financing: per supplier, the financing it gives its customers
 *    in the year over its revenue; per supplier-customer pair, financing
 *    over purchases, all years;
 *  - the ecological measures of exposure.h (pass-through, origin, HHI,
 *    Finn's cycling index) on the year's flow matrix, with outside inflow
 *    = revenue - ledger inflow where revenue is known, else the balancing
 *    term, named per company.
 *
 * Money by year comes from the flow calendar (calendar.h), which reads
 * every leg through the one schedule rule (schedule.h). The backlog share
 * needs a leg's money after a month rather than a year: it reads
 * dg_schedule_months of the same schedule.
 *
 * Every figure is a dg_figure: its value (NaN for n/a), what it rests on
 * (DG_RESTS_* bits: the revenue's basis, the balancing assumption, a
 * missing figure, money counted whole or left out) and, when money was
 * left out, which way that can move it (dg_bound), so that a caller can
 * print the reason beside the figure. Definitions and limits:
 * docs/methods.md, section 10.
 *
 * Conventions as exposure.h: companies in name order, NaN for a figure
 * that does not exist, DG_OK or a DG_E* code, nothing printed.
 */
#ifndef DG_YEARLY_H
#define DG_YEARLY_H

#include "dealgraph/dealgraph.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- what a figure rests on --------------------------------------------- */

/* Bits of dg_figure.rests. */
enum {
    DG_RESTS_ACTUAL = 1u << 0,     /* a revenue figure reported as actual */
    DG_RESTS_GUIDANCE = 1u << 1,   /* the company's own forecast */
    DG_RESTS_ESTIMATE = 1u << 2,   /* an estimate */
    DG_RESTS_BALANCING = 1u << 3,  /* the balancing assumption: outside
                                      inflow = max(0, outflow - inflow) */
    DG_RESTS_NO_REVENUE = 1u << 4, /* no revenue figure for the year: n/a */
    DG_RESTS_UNSCHEDULED_WHOLE = 1u << 5, /* totals without a delivery
                                      period counted whole */
    DG_RESTS_UNSCHEDULED_APART = 1u << 6, /* totals without a delivery
                                      period left out (they are in no
                                      year) */
    DG_RESTS_UNDISCLOSED = 1u << 7, /* legs without a value left out */
    DG_RESTS_TERM_UNKNOWN = 1u << 8, /* per-period legs with no end or
                                      term: their first twelve months only */
    DG_RESTS_NO_RPO = 1u << 9,     /* no backlog figure (rpo or rpo_as_of
                                      missing): n/a */
    DG_RESTS_NO_BASE = 1u << 10,   /* nothing to divide by (a revenue, a
                                      backlog, payments or purchases of 0):
                                      n/a */
    DG_RESTS_BEFORE_START = 1u << 11, /* a running sum asked for a year
                                      before its first year: n/a */
    DG_RESTS_COUNT = 12
};

/* A short name of one DG_RESTS_* bit for machines ("guidance",
 * "no_revenue", "unscheduled_whole", ...); NULL for anything else.
 * Static. */
const char *dg_rests_name(unsigned bit);

/* Which way the money left out of a figure can move it. */
typedef enum {
    DG_BOUND_EXACT,   /* nothing left out */
    DG_BOUND_FLOOR,   /* the true figure can only be higher */
    DG_BOUND_CEILING, /* the true figure can only be lower (an upper bound) */
    DG_BOUND_EITHER,  /* money left out on both sides */
} dg_bound;

/* "exact", "floor", "ceiling", "either". Static. */
const char *dg_bound_name(dg_bound b);

/* One figure and what it rests on. */
typedef struct dg_figure {
    double value;   /* NaN: n/a, and `rests` says why */
    unsigned rests; /* DG_RESTS_* */
    dg_bound bound;
} dg_figure;

/* Money the figure's sums could not place: counted by leg. */
typedef struct dg_left_out {
    size_t undisclosed;        /* legs without a value */
    size_t unscheduled;        /* commercial totals without a period */
    double unscheduled_amount; /* their sum */
    size_t term_unknown;       /* per-period legs with no end or term */
} dg_left_out;

/* ---- the results ------------------------------------------------------------ */

/* One company in one year. */
typedef struct dg_yearly_row {
    size_t company;          /* ledger index */
    double paid;             /* the focus's chips, cloud, services and lease
                                legs to X scheduled in the year */
    double revenue;          /* X's revenue for the year; NaN when none */
    dg_basis revenue_basis;  /* meaningful when revenue is a number */
    dg_figure dependence;    /* paid / revenue */
    bool customer_10pct;     /* dependence >= 0.10 (US GAAP ASC 280-10-50-42:
                                a customer with 10% or more of revenue) */
    dg_figure ledger_share;  /* flow F->X / (inflow + max(0, outflow -
                                inflow)) on the year's flows: the balancing
                                assumption, never dependence */
    dg_left_out paid_left_out; /* the focus's commercial legs to X that no
                                year holds */
    /* The ecological measures on the year's flow matrix (NaN when the
     * network was not computed or X has no throughflow). */
    double inflow, outflow;  /* in the year, every kind of leg */
    double outside_inflow;   /* z_X */
    unsigned outside_rests;  /* DG_RESTS_ACTUAL/GUIDANCE/ESTIMATE: revenue
                                - inflow; DG_RESTS_BALANCING: the balancing
                                term (no revenue figure) */
    bool outside_clamped;    /* revenue below ledger inflow: z = 0 */
    double throughflow;      /* inflow + z */
    double direct_inflow_share; /* F_FX / T_X */
    double pass_through_share;  /* D_XF */
    double origin_share;        /* O_XF */
    double inflow_hhi;          /* 0-10000 over ledger sources */
} dg_yearly_row;

/* The focus in one year. */
typedef struct dg_yearly_focus {
    double revenue;          /* NaN when none */
    dg_basis revenue_basis;
    double commitments;      /* what it pays out in the year, every kind */
    double funding;          /* equity and debt legs into it in the year */
    dg_figure coverage;      /* revenue / commitments */
    dg_figure gap;           /* commitments - revenue - funding */
    dg_figure cumulative_gap; /* the gaps from dg_yearly.gap_from through
                                 this year */
} dg_yearly_focus;

/* A supplier that finances its customers, in one year. */
typedef struct dg_yearly_supplier {
    size_t company;          /* ledger index */
    double financing;        /* its equity, debt, warrant and backstop legs
                                to its customers, scheduled in the year */
    double revenue;          /* NaN when none */
    dg_basis revenue_basis;
    dg_figure ratio;         /* financing / revenue */
} dg_yearly_supplier;

typedef struct dg_yearly_year {
    int year;
    dg_yearly_row *rows;     /* n rows, name order (the focus's own too) */
    dg_yearly_focus focus;
    dg_yearly_supplier *suppliers; /* nsuppliers, name order */
    size_t nsuppliers;
    /* the ecological measures of the year's flow matrix */
    bool network;            /* computed (false: not asked, or singular) */
    char *network_error;     /* why not, when the system is singular
                                (owned), else NULL */
    double tst, fci, focus_cycling_share; /* NaN when !network */
} dg_yearly_year;

/* The focus's backlog share of X (not by year: as of X's rpo_as_of). */
typedef struct dg_yearly_backlog {
    size_t company;          /* ledger index */
    double rpo;              /* NaN when none */
    dg_date rpo_as_of;
    double scheduled;        /* commercial legs from the focus announced by
                                rpo_as_of, paid in months after it */
    double unscheduled;      /* of those, totals without a period, whole */
    size_t legs;             /* legs counted */
    dg_figure share;         /* (scheduled + unscheduled) / rpo */
    dg_left_out left_out;
} dg_yearly_backlog;

/* A supplier S that finances a customer C (a financing leg S -> C and a
 * commercial leg C -> S), over all years. */
typedef struct dg_vendor_pair {
    size_t supplier, customer; /* ledger indexes */
    double financing;        /* S -> C equity, debt, warrant, backstop */
    double purchases;        /* C -> S chips, cloud, services, lease */
    dg_figure ratio;         /* financing / purchases */
    dg_left_out financing_left_out, purchases_left_out;
} dg_vendor_pair;

typedef struct dg_yearly {
    size_t n;                /* companies */
    size_t focus;            /* ledger index */
    int first_year, last_year, gap_from;
    dg_yearly_year *years;   /* first_year..last_year */
    size_t nyears;
    dg_yearly_backlog *backlog; /* one per company but the focus, name
                                   order */
    size_t nbacklog;
    dg_vendor_pair *pairs;   /* by supplier's name, then customer's */
    size_t npairs;
    dg_left_out commitments_left_out; /* the focus's legs out in no year */
    dg_left_out funding_left_out;     /* equity and debt legs into the
                                         focus in no year */
    size_t legs, filtered;   /* legs counted, legs the filter left out */
} dg_yearly;

typedef struct dg_yearly_options {
    dg_filter filter;        /* which legs count, and their amounts */
    int first_year, last_year; /* the years reported (required) */
    int gap_from;            /* the first year of the cumulative gap; 0: the
                                year of filter.as_of, else of the ledger's
                                as_of, else first_year */
    bool network;            /* compute the ecological measures (n^3 per
                                year; default true) */
} dg_yearly_options;

void dg_yearly_options_init(dg_yearly_options *o);

/*
 * The figures of `focus` (a ledger index) and every company of `l` for the
 * years of `opt`. DG_OK; DG_EUSAGE (a bad argument, or years that run
 * backwards or lie outside 1900-2999: the message in diags); DG_ELIMIT
 * (more companies than the matrix models handle, with the network asked
 * for: the message in diags); DG_ENOMEM; DG_EINTERNAL. A singular year is
 * no failure: that year's network is false and network_error says why.
 * `out` is the caller's to finish, also after a failure.
 */
int dg_yearly_compute(const dg_ledger *l, size_t focus,
                      const dg_yearly_options *opt, dg_yearly *out,
                      dg_diags *diags);
void dg_yearly_finish(dg_yearly *y);

/* The year of `year` in `y`, or NULL. */
const dg_yearly_year *dg_yearly_year_of(const dg_yearly *y, int year);
/* The row of ledger company `company` in year `yy`, or NULL. */
const dg_yearly_row *dg_yearly_row_of(const dg_yearly *y,
                                      const dg_yearly_year *yy,
                                      size_t company);

/* Where the default year of the per-year figures comes from. */
typedef enum {
    DG_YEAR_FROM_FILTER,  /* the year of filter->as_of */
    DG_YEAR_FROM_LEDGER,  /* the year of the ledger's as_of */
    DG_YEAR_FROM_LATEST,  /* the year of the latest announcement */
    DG_YEAR_FROM_NOTHING, /* no date at all: 0 */
} dg_year_from;

/* The default year: of filter->as_of (may be NULL), else of the ledger's
 * as_of, else of its latest announcement; 0 when it has none. *from (may
 * be NULL) says which. */
int dg_yearly_default_year(const dg_ledger *l, const dg_filter *filter,
                           dg_year_from *from);

#endif /* DG_YEARLY_H */
