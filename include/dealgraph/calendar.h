/*
 * calendar.h - the flow calendar (PRODUCT.md section 7): the money each leg
 * moves in each calendar year, by its schedule (schedule.h), summed per
 * pair of companies and per company in and out; with what cannot be put
 * into a year kept apart: unscheduled totals (a commercial leg with no
 * delivery period) and undisclosed legs. Every per-year analysis (`flows`,
 * the yearly exposure, the report's calendar) reads money through it.
 */
#ifndef DG_CALENDAR_H
#define DG_CALENDAR_H

#include "dealgraph/dealgraph.h"
#include "dealgraph/schedule.h"

#include <stddef.h>

typedef struct dg_calendar_options {
    dg_filter filter;   /* which legs count (as_of: announced by then and
                           not ended by then) and the amounts */
    int first_year, last_year; /* the years kept apart from "before" and
                           "after"; 0, 0 = from the earliest scheduled year
                           to five years after filter.as_of, else the
                           ledger's as_of, else the latest announcement;
                           at most DG_CALENDAR_DEFAULT_YEARS of them (the
                           money of earlier years is "before") */
} dg_calendar_options;

/* The most years a calendar spans when asked (a longer range is refused),
 * and the most its default spans (the latest ones are kept). */
#define DG_CALENDAR_MAX_YEARS 200
#define DG_CALENDAR_DEFAULT_YEARS 50

void dg_calendar_options_init(dg_calendar_options *o);

/* One leg in the calendar. */
typedef struct dg_calendar_leg {
    size_t leg;            /* ledger index */
    dg_sched_state state;
    double amount;         /* the schedule's total (NaN undisclosed) */
    bool term_unknown, one_off;
    double *by_year;       /* nyears entries (NULL unless SCHEDULED) */
    double before, after;  /* scheduled before first_year, after last_year */
} dg_calendar_leg;

/* One ordered pair of companies: every leg from one to the other. */
typedef struct dg_calendar_pair {
    size_t from, to;
    double *by_year;       /* nyears entries: scheduled money */
    double before, after;
    double unscheduled;    /* totals with no delivery period */
    size_t unscheduled_legs, undisclosed_legs, term_unknown_legs;
} dg_calendar_pair;

/* One company: what it pays and receives. */
typedef struct dg_calendar_company {
    double *in, *out;      /* nyears entries each */
    double before_in, before_out; /* scheduled before first_year */
    double after_in, after_out;   /* scheduled after last_year */
    double unscheduled_in, unscheduled_out;
    size_t legs_in, legs_out;     /* legs counted, whatever their state */
    size_t unscheduled_legs_in, unscheduled_legs_out;
    size_t undisclosed_in, undisclosed_out; /* legs without a value */
    size_t term_unknown_in, term_unknown_out; /* per-period legs with
                              neither end nor term: first 12 months only */
} dg_calendar_company;

typedef struct dg_calendar {
    int first_year, last_year;
    size_t nyears;
    dg_calendar_leg *legs;     /* the legs that pass the filter, file order */
    size_t nlegs;
    dg_calendar_pair *pairs;   /* by from's name, then to's name */
    size_t npairs;
    dg_calendar_company *companies; /* ncompanies entries, ledger order */
    size_t ncompanies;
    /* The whole ledger: every scheduled leg's money per year (what all
     * companies pay, and so what all receive), and the remainders. */
    double *total;         /* nyears entries */
    double before, after;
    double unscheduled;    /* the sum of the unscheduled totals */
    size_t scheduled_legs, unscheduled_legs, undisclosed_legs,
        term_unknown_legs, one_off_legs;
    size_t invalid_legs;   /* legs whose period could not be built (lint
                              refuses them; a ledger that loads has none) */
    size_t filtered;       /* legs left out by the filter */
    /* private */
    size_t *rank;          /* company -> position in name order */
} dg_calendar;

/* The calendar of `l`. DG_OK, DG_EUSAGE (a year range that runs backwards,
 * lies outside 1900-2999 or spans more than DG_CALENDAR_MAX_YEARS: the
 * message in diags), DG_ENOMEM. `out` is the caller's to finish (also
 * after a failure). All its memory is its own, valid until
 * dg_calendar_finish. Every figure is a sum of dg_schedule_leg's months
 * (schedule.h): a year's money is the months of that calendar year. */
int dg_calendar_compute(const dg_ledger *l, const dg_calendar_options *opt,
                     dg_calendar *out, dg_diags *diags);
void dg_calendar_finish(dg_calendar *f);

/* The index of a year in the calendar's arrays, or -1 outside it. */
static inline long dg_calendar_year(const dg_calendar *f, int year)
{
    return year >= f->first_year && year <= f->last_year
               ? (long)(year - f->first_year)
               : -1;
}

/* The pair from -> to, or NULL when no leg joins them that way. */
const dg_calendar_pair *dg_calendar_find(const dg_calendar *f, size_t from,
                                         size_t to);

#endif
