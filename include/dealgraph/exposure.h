/*
 * exposure.h - how much each company of a ledger depends on one focal
 * company: the ledger's money-flow matrix and boundary inflow, the
 * ecological network analysis of it (netmath.h), and the ledger-level
 * figures around it (direct shares, concentration, Capex/EBITDA, the
 * focus's share of all deal value and of looped value).
 *
 * Definitions, sources and limits: docs/methods.md. PRODUCT.md §4.
 *
 * Conventions
 *  - Everything is computed in NAME ORDER (companies sorted by strcmp of
 *    their names), and amounts on one pair of companies are added in
 *    ascending order of value, so that the same ledger with its companies
 *    or legs in another order gives bit-identical results.
 *  - A figure that has no value (a share of nothing, a ratio without its
 *    inputs) is NaN; callers print it as "n/a" or JSON null, never as 0.
 *  - Functions return DG_OK or a DG_E* code and never print; problems the
 *    user can fix are added to a dg_diags list.
 */
#ifndef DG_EXPOSURE_H
#define DG_EXPOSURE_H

#include "dealgraph/dealgraph.h"
#include "dealgraph/netmath.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- ledger -> flow matrix ------------------------------------------------ */

/*
 * Exposure and stress hold n x n matrices of the ledger's companies and
 * solve them by LU, which takes time growing with n^3: 2000 companies take
 * seconds, 5000 a couple of minutes, a million would ask for 8 TB. Above
 * this many companies they refuse with DG_ELIMIT (docs/robustness.md).
 */
#define DG_MATRIX_MAX_COMPANIES ((size_t)5000)

/* DG_OK when `l` is small enough for the matrix models; else adds the
 * error ("FILE: 200000 companies is over the 5000 that exposure and stress
 * handle; ...") to `diags` and returns DG_ELIMIT. */
int dg_matrix_limit(const dg_ledger *l, dg_diags *diags);

/*
 * The flows of the legs that pass a filter. n = the ledger's company count;
 * position k (0..n-1) is company `company[k]` of the ledger, in name
 * order; `rank[i]` is the position of ledger company i.
 */
typedef struct dg_flows {
    size_t n;
    size_t *company;  /* position -> ledger company index */
    size_t *rank;     /* ledger company index -> position */
    double *flow;     /* n*n row-major, by position: F_ij = sum of the
                         values of the kept legs i -> j */
    double *boundary; /* z_i: `outside_inflow` where given, else
                         max(0, outflow_i - inflow_i) (PRODUCT.md §4) */
    bool *given;      /* z_i came from `outside_inflow` */
    double total;     /* sum of all kept legs' values */
    size_t legs;        /* legs that pass the filter */
    size_t valued;      /* of them, with a value under the amount scenario */
    size_t undisclosed; /* of them, without one: they carry nothing */
    size_t filtered;    /* legs the filter left out */
} dg_flows;

/* Builds the flows of `l` over the legs `filter` keeps (NULL = all,
 * disclosed amounts). On success `out` owns its arrays until
 * dg_flows_finish(). Returns DG_OK, DG_ENOMEM, DG_ELIMIT (more than
 * DG_MATRIX_MAX_COMPANIES companies, or n*n does not fit), or DG_EUSAGE (a
 * NULL argument). */
int dg_flows_build(const dg_ledger *l, const dg_filter *filter,
                   dg_flows *out);
/* Frees the arrays; NULL or zeroed: no-op. */
void dg_flows_finish(dg_flows *f);

/*
 * The error for a singular system, added to `diags`: the companies of each
 * strongly connected group that passes money round with no outside inflow
 * (netmath.h, dg_singular), named, with the fix. `why` holds positions of
 * `flows`. Shared with the stress module. Returns DG_OK or DG_ENOMEM.
 */
int dg_flows_singular_error(const dg_ledger *l, const dg_flows *flows,
                            const dg_singular *why, dg_diags *diags);

/* ---- exposure -------------------------------------------------------------- */

/* Funding stage from Capex/EBITDA (docs/methods.md). */
typedef enum {
    DG_STAGE_NONE = 0, /* capex or ebitda not given */
    DG_STAGE_1 = 1,    /* capex/EBITDA below 1 and no external financing
                          legs into the company: capex paid from earnings */
    DG_STAGE_2 = 2,    /* otherwise: ratio of 1 or more, EBITDA of 0 or
                          less, or equity/debt/warrant/backstop legs in */
} dg_stage;

typedef struct dg_exposure_row {
    size_t company;     /* ledger company index */
    double inflow;      /* ledger inflow, sum_j F_jX */
    double outflow;     /* ledger outflow, sum_j F_Xj */
    double boundary;    /* z_X */
    double throughflow; /* T_X = inflow + z_X */
    /* Shares are fractions in [0, 1]; NaN when the denominator is 0
     * (T_X = 0 for the inflow-side shares, no outflow for the outflow
     * share). */
    double direct_inflow_share;  /* F_FX / T_X */
    double direct_outflow_share; /* F_XF / outflow */
    double pass_through_share;   /* D_XF = N'_XF / N'_FF */
    double origin_share;         /* O_XF = N'_XF z_F / T_F */
    double inflow_hhi;           /* 0..10000 over ledger counterparties */
    dg_hhi_band hhi_band;        /* meaningful when inflow_hhi is a number */
    size_t largest;              /* ledger index of the largest source;
                                    SIZE_MAX when none */
    double largest_share;        /* its F_cX / T_X */
    double capex_to_ebitda;      /* NaN when not given or not meaningful */
    bool ratio_not_meaningful;   /* both given but EBITDA <= 0 */
    bool external_financing;     /* an equity, debt, warrant or backstop
                                    leg into X passes the filter */
    dg_stage stage;
} dg_exposure_row;

typedef struct dg_exposure {
    size_t n;
    size_t focus;          /* ledger company index */
    dg_exposure_row *rows; /* n rows in name order */
    /* system figures */
    double tst;            /* total system throughflow */
    double boundary;       /* total boundary inflow */
    double fci;            /* Finn's cycling index */
    double path_length;    /* TST / total boundary inflow; NaN if none */
    double total_value;    /* all kept legs' value */
    double focus_value;    /* of it, on legs from or to the focus */
    double focus_share_of_value;        /* NaN when total_value = 0 */
    double looped_value;                /* dg_loops_value */
    double focus_looped_value;
    double focus_share_of_looped_value; /* NaN when looped_value = 0 */
    size_t undisclosed_loop_hops;
    double focus_cycling_share; /* (N'_FF - 1) / N'_FF */
    /* what was counted */
    size_t legs, valued, undisclosed, filtered;
    size_t given_boundary; /* companies whose z is their outside_inflow */
    size_t idle;           /* companies with T = 0 (no value in or out) */
} dg_exposure;

/*
 * Computes the exposure of every company of `l` to company `focus` (a
 * ledger index) over the legs `filter` keeps (NULL = all). On DG_OK `out`
 * owns its rows until dg_exposure_finish(). Returns DG_OK; DG_EUSAGE for a
 * bad argument (focus out of range); DG_EINPUT when the flow system is
 * singular, with an error in `diags` naming the companies; DG_ENOMEM;
 * DG_ELIMIT; DG_EINTERNAL (igraph or LAPACK failed). `out` is left empty
 * on failure.
 */
int dg_exposure_compute(const dg_ledger *l, const dg_filter *filter,
                        size_t focus, dg_exposure *out, dg_diags *diags);
/* Frees the rows; NULL or zeroed: no-op. */
void dg_exposure_finish(dg_exposure *e);

/* The row of ledger company `company`, or NULL. */
const dg_exposure_row *dg_exposure_row_of(const dg_exposure *e,
                                          size_t company);

/* "highly concentrated" etc. for a row; NULL when its HHI is NaN. */
const char *dg_exposure_band_name(const dg_exposure_row *r);

/* ---- the focal company ------------------------------------------------------ */

/*
 * Resolves the focal company: `name` when not NULL, else the ledger's
 * `focus` attribute. Sets *index and returns DG_OK, or adds an error about
 * the ledger to `diags` and returns DG_EUSAGE:
 *   "no focal company: FILE sets no `focus` graph attribute"
 *   "unknown company 'X'; did you mean 'A' or 'B'?" (up to three close
 *     matches, by edit distance, case-insensitive), or "...; give a company
 *     name exactly as the ledger writes it (names are case-sensitive)"
 * `given_as`, when not NULL, is the caller's name for where `name` came
 * from, put after it ("unknown company 'X' for <given_as>; ..."); a name
 * from the ledger is "for the ledger's focus". DG_ENOMEM.
 */
int dg_focus_find(const dg_ledger *l, const char *name, const char *given_as,
                  size_t *index, dg_diags *diags);

/*
 * TRANSITION: dg_focus_find in the executable's words, for the callers
 * that print its message as it is (the render and gate modules, the CLI's
 * cli_focus, diff): each message starts with `cmd` ("exposure: unknown
 * company 'X' for --focus; ...") and "no focal company" ends with "; give
 * --focus NAME". Goes when they use dg_focus_find and add their own words.
 */
int dg_focus_resolve(const dg_ledger *l, const char *name, const char *cmd,
                     size_t *index, dg_diags *diags);

#endif /* DG_EXPOSURE_H */
