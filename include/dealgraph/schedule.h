/*
 * schedule.h - money over time: the one rule (PRODUCT.md section 7) that
 * turns a leg into the money it moves in each calendar month. Every
 * analysis that speaks of a year (flows, dependence, backlog, coverage)
 * reads legs through dg_schedule_leg, so a leg means the same everywhere.
 *
 * Months are whole and counted by index, year * 12 + (month - 1): a start
 * in July counts from 1 July, an end in June through 30 June, a year
 * alone runs January to December; days are ignored. See docs/methods.md,
 * "The time model: schedules", for the rules with a worked example.
 */
#ifndef DG_SCHEDULE_H
#define DG_SCHEDULE_H

#include "dealgraph/dealgraph.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The longest period a schedule holds: 1,100 years, every month from
 * January 1900 to December 2999 (the dates the loaders accept). */
#define DG_SCHEDULE_MAX_MONTHS (1100 * 12)

typedef enum {
    DG_SCHED_SCHEDULED,   /* `monthly` holds the money, month by month */
    DG_SCHED_UNSCHEDULED, /* a commercial total with no known period:
                             nothing in any month; `amount` is reported
                             apart, never put into a year */
    DG_SCHED_UNDISCLOSED, /* no value under the amount scenario */
    DG_SCHED_INVALID,     /* the period cannot be built (`problem` says
                             why); nothing in any month */
} dg_sched_state;

/* "scheduled", "unscheduled", "undisclosed", "invalid". Static. */
const char *dg_sched_state_name(dg_sched_state s);

/* One leg's money over time. Fill with dg_schedule_leg; free with
 * dg_schedule_finish. */
typedef struct dg_schedule {
    dg_sched_state state;
    double amount;      /* what the schedule moves in all: a total's value;
                           for a per-period leg rate x months scheduled;
                           for UNSCHEDULED and INVALID the leg's value;
                           NaN for UNDISCLOSED */
    int first_month;    /* month index of monthly[0] (0 when nmonths = 0) */
    size_t nmonths;     /* months in the period; 0 unless SCHEDULED */
    double *monthly;    /* nmonths amounts, USD; owned by the schedule,
                           valid until the next dg_schedule_leg on it or
                           dg_schedule_finish */
    bool term_unknown;  /* a per-period amount with neither end nor term:
                           its first twelve months only, never extended */
    bool one_off;       /* an equity, debt or warrant leg without a period:
                           the whole amount in one month */
    char problem[160];  /* INVALID: why, a clause for a message ("end
                           (2025-06) is before the period's start
                           (2026-01)"); "" otherwise */
    /* private */
    size_t capacity;
} dg_schedule;

/* A zeroed schedule: nothing scheduled, no memory. */
void dg_schedule_init(dg_schedule *s);
/* Frees the months. On an initialised or zeroed schedule; idempotent. */
void dg_schedule_finish(dg_schedule *s);

/*
 * Schedules `leg` under `scenario` into `out`, which must have been
 * initialised (dg_schedule_init) or filled before: its memory is reused.
 * The rules, in order (PRODUCT.md section 7):
 *  - no value under the scenario: UNDISCLOSED.
 *  - the period starts at `start`, else `announced`, and ends at `end`
 *    (inclusive), else after `term_months` months; a total with profile
 *    weights and neither gives its period as twelve months per weight.
 *  - per year / per month: amount / 12 (or amount) every month of the
 *    period; with no end and no term, the first twelve months only and
 *    `term_unknown` (the profile is ignored: it spreads totals).
 *  - a total with a period: spread over the months by profile (even; ramp
 *    1, 2, ..., n over the twelve-month periods from the start; weights
 *    per twelve-month period), each month of period k weighing w_k / 12,
 *    then scaled so the months sum to the amount.
 *  - an equity, debt or warrant total without a period: all in the month
 *    of start, else announced (January when only a year is given):
 *    `one_off`.
 *  - any other total without a period: UNSCHEDULED.
 * The months sum to `amount` to within a cent for amounts a double holds
 * to the cent (up to about 1e13 USD) (tests/test_schedule.c).
 * Returns DG_OK; DG_EUSAGE (a NULL argument); DG_ENOMEM (state INVALID,
 * the buffer kept); or DG_EINPUT with state INVALID and `problem`
 * set when the period cannot be built: a count of weights that differs
 * from the twelve-month periods of end or term, an end before the start,
 * no start nor announced date, a date outside 1900-2999, a period longer
 * than DG_SCHEDULE_MAX_MONTHS, or weights that are negative or all 0.
 */
int dg_schedule_leg(const dg_leg *leg, dg_amounts scenario,
                    dg_schedule *out);

/* The money in months [from, to) (month indexes); 0 unless SCHEDULED.
 * Summed with compensation, so a year of a 1e13 schedule is exact to the
 * cent. */
double dg_schedule_months(const dg_schedule *s, int from, int to);
/* The money in calendar year `year`. */
double dg_schedule_year(const dg_schedule *s, int year);

/* The month index of a date: year * 12 + month - 1. A date with a year
 * only is its January, or its December when `end` (the last month it
 * covers). -1 for an unset date. */
int dg_month_of(dg_date d, bool end);
/* The calendar year and month (1..12) of a month index >= 0. */
static inline int dg_month_year(int index) { return index / 12; }
static inline int dg_month_month(int index) { return index % 12 + 1; }

#ifdef __cplusplus
}
#endif
#endif /* DG_SCHEDULE_H */
