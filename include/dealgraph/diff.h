/*
 * diff.h - what changed between two versions of a ledger: legs added,
 * removed and changed (each difference listed), loops opened and closed,
 * and exposure shares that moved.
 */
#ifndef DG_DIFF_H
#define DG_DIFF_H

#include "dealgraph/dealgraph.h"
#include "dealgraph/loops.h"

/* One attribute that differs between the old and the new leg. */
typedef struct dg_field_change {
    const char *field; /* static: "amount", "status", ... */
    char *before, *after; /* as written ("" when absent); owned */
} dg_field_change;

typedef struct dg_leg_change {
    size_t before, after; /* leg indexes in the old and new ledger */
    dg_field_change *fields;
    size_t nfields;
} dg_leg_change;

/* A loop present in one version only. */
typedef struct dg_loop_ref {
    char id[16];
    char *companies; /* "AMD > OpenAI > AMD" (canonical rotation); owned */
    char *signature; /* "warrant>chips"; owned */
    double value;
    dg_pattern pattern;
} dg_loop_ref;

/* A company in both versions whose attributes differ. */
typedef struct dg_company_change {
    char *company; /* owned */
    dg_field_change *fields;
    size_t nfields;
} dg_company_change;

typedef struct dg_exposure_change {
    char *company; /* owned */
    double before, after; /* direct inflow share from the focus; NaN when
                             the company is absent or has no inflow. In
                             `dependence` and `backlog` (yearly.h): the
                             revenue dependence in the year, the backlog
                             share; NaN when n/a */
} dg_exposure_change;

typedef struct dg_diff {
    size_t *added;   /* new-ledger leg indexes */
    size_t nadded;
    size_t *removed; /* old-ledger leg indexes */
    size_t nremoved;
    dg_leg_change *changed;
    size_t nchanged;
    char **companies_added, **companies_removed; /* names; owned */
    size_t ncompanies_added, ncompanies_removed;
    dg_company_change *companies_changed;
    size_t ncompanies_changed;
    dg_loop_ref *opened, *closed;
    size_t nopened, nclosed;
    dg_exposure_change *exposure;
    size_t nexposure;
    char *focus;          /* the focus used for exposure; NULL = none */
    char *exposure_note;  /* why exposure was not compared (always set
                             when focus is NULL), or NULL */
    /* The per-year figures of yearly.h that moved, by company name. */
    int year;             /* the year of `dependence`; 0: not compared */
    dg_exposure_change *dependence; /* revenue dependence on the focus */
    size_t ndependence;
    dg_exposure_change *backlog;    /* backlog share of the focus */
    size_t nbacklog;
    char *yearly_note;    /* why they were not compared, or NULL */
} dg_diff;

typedef struct dg_diff_options {
    dg_loop_options loops;   /* which loops count (filters, max_len) */
    const char *focus;       /* NULL: the new ledger's focus */
    double min_share_change; /* exposure changes smaller than this are
                                not reported (default 1e-4); the same for
                                dependence and backlog shares */
    int year;                /* the year of the revenue dependence; 0: the
                                year of the filter's as_of, else of the new
                                ledger's as_of, else of the old one's,
                                else of the new one's latest announcement */
} dg_diff_options;

/* Loops up to a million, DG_LOOPS_AUTO_SECONDS of search. */
void dg_diff_options_init(dg_diff_options *o);

/* Compares two ledgers. On DG_OK `out` owns everything until
 * dg_diff_finish(). DG_ENOMEM, DG_EINTERNAL; a loop search cut short by
 * limits is DG_ELIMIT (a diff must not be partial). */
int dg_diff_compute(const dg_ledger *before, const dg_ledger *after,
                    const dg_diff_options *opt, dg_diff *out);
void dg_diff_finish(dg_diff *d);
/* True when nothing changed (legs, companies, loops, exposure, or the
 * dependence and backlog shares). */
bool dg_diff_empty(const dg_diff *d);

/* The loops of two ledgers compared by id under `opt` (diff, and `check
 * --no-new-loops`): those only `after` has and those only `before` has,
 * as references in id order. Either pair of out pointers may be NULL (not
 * wanted); on DG_OK the others are the caller's (dg_loop_refs_free).
 * DG_ELIMIT when a search was cut short, by opt's limit or time or by
 * more than DG_LOOPS_MAX_BYTES of loops: a comparison is never partial.
 * DG_EUSAGE (see dg_loops_each), DG_ENOMEM, DG_EINTERNAL. */
int dg_loops_compare(const dg_ledger *before, const dg_ledger *after,
                     const dg_loop_options *opt, dg_loop_ref **only_after,
                     size_t *nafter, dg_loop_ref **only_before,
                     size_t *nbefore);
void dg_loop_refs_free(dg_loop_ref *refs, size_t n);

#endif
