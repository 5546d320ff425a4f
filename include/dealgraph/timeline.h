/*
 * timeline.h - the ledger by announcement date (PRODUCT.md section 7,
 * "Timeline"): at the end of each month, quarter or year, the legs that
 * had been announced and had not ended, their value, the loops they close,
 * the value on loops, the focal company's shares and two-company
 * reciprocity; and which loop closed (or broke) when, with the leg that
 * did it.
 */
#ifndef DG_TIMELINE_H
#define DG_TIMELINE_H

#include "dealgraph/dealgraph.h"

#include <stdint.h>

typedef enum { DG_STEP_MONTH, DG_STEP_QUARTER, DG_STEP_YEAR } dg_step;

/* At most this many periods: each is a loop search of its own, so a
 * ledger whose dates run over centuries is refused (DG_ELIMIT) rather
 * than searched thousands of times. */
#define DG_TIMELINE_MAX_PERIODS 600

/* "month", "quarter", "year" */
const char *dg_step_name(dg_step s);
bool dg_step_parse(const char *text, dg_step *out);

typedef struct dg_timeline_options {
    dg_filter filter; /* kinds, firmness and amounts; its as_of is the last
                         date shown (unset: the latest date the ledger
                         names: an announcement, an end, or its as_of) */
    dg_step step;
    size_t focus;     /* SIZE_MAX: no focal company (its shares are NaN) */
    size_t max_len;   /* loops of at most this many companies; 0 = any */
} dg_timeline_options;

void dg_timeline_options_init(dg_timeline_options *o);

/* The ledger as it stood at the end of one period. */
typedef struct dg_timeline_point {
    int year, period;     /* period: month 1-12, quarter 1-4, or 0 (year) */
    dg_date end;          /* the period's last day */
    size_t legs;          /* announced by `end` and not ended by it */
    size_t announced;     /* of them, announced within the period */
    size_t ended;         /* legs that ended within the period */
    double value;         /* the legs' value under the scenario */
    size_t undisclosed;   /* legs without one */
    uint64_t loops;
    uint64_t two_company_loops;
    double reciprocity;   /* share of company pairs with a hop that also
                             have the hop back: 2 x two-company loops /
                             hops; NaN without hops */
    double looped_value;  /* value on hops that lie on a loop */
    double focus_share;   /* the focus's legs' share of value; NaN */
    double focus_looped_share; /* its share of the looped value; NaN */
} dg_timeline_point;

/* A loop that appeared (closed) or disappeared (broke) in a period. */
typedef struct dg_timeline_event {
    char id[16];
    bool closed;          /* false: broke (a leg on it ended) */
    size_t point;         /* index of the period */
    dg_date date;         /* the leg's announcement (closed) or end */
    size_t leg;           /* the leg that closed or broke it */
    char *companies;      /* "AMD > OpenAI > AMD", owned */
    size_t length;
} dg_timeline_event;

typedef struct dg_timeline {
    dg_timeline_point *points;
    size_t npoints;
    dg_timeline_event *events; /* by period, then date, closings before
                                  breaks, then id */
    size_t nevents;
    bool cut_short;       /* some snapshot had more loops than a loop set
                             keeps (events may be missing) */
} dg_timeline;

/* The timeline of `l`. DG_OK; DG_EUSAGE (no dated legs: the message in
 * diags), DG_ELIMIT (more than DG_TIMELINE_MAX_PERIODS periods: the
 * message in diags), DG_ENOMEM, DG_EINTERNAL. `out` is the caller's to finish. */
int dg_timeline_compute(const dg_ledger *l, const dg_timeline_options *opt,
                        dg_timeline *out, dg_diags *diags);
void dg_timeline_finish(dg_timeline *t);

#endif
