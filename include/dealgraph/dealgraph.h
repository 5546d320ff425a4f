/*
 * dealgraph.h - the public interface of libdealgraph: the deal model, the
 * two loaders (DOT and CSV), money and date values, and diagnostics.
 *
 * Conventions
 *  - The library never prints and never exits. A function that can fail
 *    returns an int status (DG_OK or a DG_E* code) and, where it reads
 *    input, adds diagnostics to a dg_diags list ("deals.csv:3: expected 7
 *    fields, found 5"). The CLI decides what to print and how to exit.
 *  - Value moves from `from` to `to` on every leg (see docs/format.md).
 *  - Lifetimes come in pairs: dg_x_create/dg_x_destroy, dg_x_init/
 *    dg_x_finish. destroy(NULL) and finish on a zeroed struct are no-ops.
 */
#ifndef DEALGRAPH_H
#define DEALGRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DG_VERSION "0.1.0"
/* Bumped on an incompatible change of any command's JSON output. */
#define DG_JSON_SCHEMA 1

/* ---- status codes ------------------------------------------------------ */

enum {
    DG_OK = 0,
    DG_EINPUT = 1,    /* the input is invalid (diagnostics say why) */
    DG_EIO = 2,       /* a file could not be read or written */
    DG_ENOMEM = 3,    /* an allocation failed */
    DG_EUSAGE = 4,    /* an argument to the call is invalid */
    DG_ELIMIT = 5,    /* an input or resource limit was reached */
    DG_EINTERNAL = 6, /* a library (igraph, cgraph, LAPACK) failed */
};

/* A short English name for a status code ("invalid input"). Static. */
const char *dg_strerror(int code);

/* ---- diagnostics ------------------------------------------------------- */

typedef enum { DG_SEV_ERROR = 0, DG_SEV_WARNING = 1 } dg_severity;

typedef struct dg_diag {
    dg_severity severity;
    char *file;    /* owned by the list; may be NULL */
    long line;     /* 1-based; 0 when no line applies */
    char *message; /* owned by the list; no file, line or trailing newline */
} dg_diag;

typedef struct dg_diags {
    dg_diag *items;
    size_t count, capacity;
    size_t errors, warnings;
    bool oom; /* a diagnostic was dropped because memory ran out */
} dg_diags;

void dg_diags_init(dg_diags *d);
void dg_diags_finish(dg_diags *d);
/* Adds one diagnostic; printf-style message. Returns DG_OK or DG_ENOMEM. */
int dg_diags_add(dg_diags *d, dg_severity sev, const char *file, long line,
                 const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* Sorts by file, then line, then insertion order (stable). */
void dg_diags_sort(dg_diags *d);

/* ---- money ------------------------------------------------------------- */

/* The largest amount accepted, in USD: 1e15 (a thousand trillion), far
 * above any deal; anything larger is a typo or an overflow. */
#define DG_MONEY_MAX 1e15

/* Parses a money value: an optional '$', a decimal number with an optional
 * exponent, and an optional scale suffix K, M, B, T (any case) or bn, mn,
 * tn. "300e9", "300B", "$300B", "1.5T", "350M", "12.5bn". Rejects empty
 * text, spaces, signs, commas, nan, inf, and values above DG_MONEY_MAX.
 * Returns true and sets *out on success. */
bool dg_money_parse(const char *text, double *out);
/* The accepted forms, for error messages. Static. */
const char *dg_money_forms(void);
/* Formats an amount in short form: "$300B", "$1.5T", "$350M", "$12.4K",
 * "$0". Writes at most n bytes including the NUL; returns buf. */
char *dg_money_format(double amount, char *buf, size_t n);
/* An amount as a ledger reads it back exactly: "300B", "11.9B",
 * "1.67233T", "-2.5B", the shortest such text (n >= 32). Returns buf. */
char *dg_money_exact(double amount, char *buf, size_t n);

/* ---- dates ------------------------------------------------------------- */

/* A calendar date with the precision it was given: YYYY, YYYY-MM or
 * YYYY-MM-DD. month and day are 0 when not given. */
typedef struct dg_date {
    int16_t year;
    int8_t month;
    int8_t day;
} dg_date;

/* Parses YYYY, YYYY-MM or YYYY-MM-DD with a real calendar (leap years);
 * years 1900..2999. Returns true and sets *out on success. */
bool dg_date_parse(const char *text, dg_date *out);
/* True when the date holds a value (year != 0). */
static inline bool dg_date_valid(dg_date d) { return d.year != 0; }
/* Compares by the earliest day each date can denote (2025 == 2025-01-01
 * for ordering). Returns <0, 0, >0. */
int dg_date_cmp(dg_date a, dg_date b);
/* Days since 1970-01-01 of the earliest day the date denotes. */
long dg_date_days(dg_date d);
/* Writes the date as given (YYYY, YYYY-MM or YYYY-MM-DD); "" when unset. */
char *dg_date_format(dg_date d, char *buf, size_t n);

/* ---- the deal model ---------------------------------------------------- */

typedef enum {
    DG_KIND_CHIPS,
    DG_KIND_CLOUD,
    DG_KIND_SERVICES,
    DG_KIND_EQUITY,
    DG_KIND_WARRANT,
    DG_KIND_DEBT,
    DG_KIND_LEASE,
    DG_KIND_BACKSTOP,
    DG_KIND_COUNT
} dg_kind;

/* Firmest first: a smaller value is firmer. */
typedef enum {
    DG_STATUS_COMPLETED,
    DG_STATUS_DEFINITIVE,
    DG_STATUS_ANNOUNCED,
    DG_STATUS_REPORTED,
    DG_STATUS_LOI,
    DG_STATUS_TALKS,
    DG_STATUS_COUNT
} dg_status;

typedef enum {
    DG_SECTOR_NONE, /* not given */
    DG_SECTOR_LAB,
    DG_SECTOR_CHIPS,
    DG_SECTOR_CLOUD,
    DG_SECTOR_INVESTOR,
    DG_SECTOR_SPV,
    DG_SECTOR_OTHER,
    DG_SECTOR_COUNT
} dg_sector;

const char *dg_kind_name(dg_kind k);       /* "chips" */
const char *dg_status_name(dg_status s);   /* "definitive" */
const char *dg_sector_name(dg_sector s);   /* "lab"; "" for NONE */
bool dg_kind_parse(const char *text, dg_kind *out);
bool dg_status_parse(const char *text, dg_status *out);
bool dg_sector_parse(const char *text, dg_sector *out);

/* ---- figures by year (PRODUCT.md section 7) ----------------------------- */

/* What a yearly figure rests on. */
typedef enum {
    DG_BASIS_ACTUAL,   /* reported */
    DG_BASIS_GUIDANCE, /* the company's own forecast */
    DG_BASIS_ESTIMATE, /* an analyst's or the ledger's estimate */
    DG_BASIS_COUNT
} dg_basis;

const char *dg_basis_name(dg_basis b); /* "actual", "guidance", "estimate" */

/* One figure per year: `revenue="2024:130.5B, 2025:187.1B, 2026:216B
 * guidance"`. The year is the calendar year in which the company's fiscal
 * year ends (see dg_company.fiscal_year_end). Points sorted by year, one
 * per year. */
typedef struct dg_series_point {
    int year;
    double value;
    dg_basis basis;
} dg_series_point;

typedef struct dg_series {
    dg_series_point *points; /* owned */
    size_t n;
} dg_series;

/* The series as an attribute value: "2024:130.5B, 2026:216B guidance". */
struct dg_buf;
void dg_series_text(const dg_series *s, struct dg_buf *out);

/* The figure for `year`, NaN when the series has none; *basis (may be
 * NULL) says what it rests on. */
double dg_series_get(const dg_series *s, int year, dg_basis *basis);

/* A company (a node). Numeric figures are NaN when not given; use
 * dg_has() to test. Strings are NULL when not given. */
typedef struct dg_company {
    char *name;
    char *label;
    dg_sector sector;
    double equity;         /* loss-absorbing capital, USD */
    char *equity_basis;    /* "book", "market" or "private_round" */
    dg_date equity_as_of;
    double cash;           /* outside assets it can pay from, USD */
    dg_date cash_as_of;
    double outside_inflow; /* value received from outside the ledger */
    double capex, ebitda;  /* in `currency` (USD when NULL) over `period` */
    char *period;
    char *currency;
    /* Figures by fiscal year, USD (a yearly `capex` or `ebitda` is a
     * series; a single figure stays in capex/ebitda above). */
    dg_series revenue, capex_by_year, ebitda_by_year, ocf, debt;
    double rpo;            /* remaining performance obligations (backlog) */
    dg_date rpo_as_of;
    int fiscal_year_end;   /* month * 100 + day ("06-30" -> 630); 0 = not
                              given (December 31) */
    char *source;
    char *note;
    long line; /* where it was declared (0 when only named by legs) */
} dg_company;

/* The text of a company attribute, as dg_leg_attr_text does for legs. */
struct dg_buf;
bool dg_company_attr_text(const dg_company *c, const char *name,
                          struct dg_buf *out);

/* What one amount stands for: the whole deal, or one year's or one
 * month's worth of a recurring one. */
typedef enum { DG_PER_TOTAL, DG_PER_YEAR, DG_PER_MONTH } dg_per;
const char *dg_per_name(dg_per p); /* "total", "year", "month" */

/* How a total spreads over its delivery period (PRODUCT.md section 7). */
typedef enum {
    DG_PROFILE_EVEN,    /* the same every month */
    DG_PROFILE_RAMP,    /* weights 1, 2, ..., n over the twelve-month periods */
    DG_PROFILE_WEIGHTS, /* the leg's own weights per twelve-month period */
} dg_profile;

/* A deal leg (a directed edge): value moves from `from` to `to`. */
typedef struct dg_leg {
    size_t from, to; /* company indexes */
    dg_kind kind;
    double amount;    /* NaN when undisclosed */
    double amount_low, amount_high; /* estimate range; NaN when absent */
    char *estimate_by; /* who made the estimate range, and how */
    dg_per per;       /* the amount is a total, or per year or month */
    bool upto;        /* the amount is a ceiling */
    dg_status status;
    dg_date announced, start, end;
    int term_months;  /* length of the delivery period when `end` is not
                         known ("5y" = 60); 0 = not given; DG_TERM_UNKNOWN
                         = the sources disclose none (term="unknown") */
    dg_profile profile;
    double *weights;  /* DG_PROFILE_WEIGHTS: one per twelve-month period */
    size_t nweights;
    double funded;    /* the part already paid; NaN when not given */
    dg_date funded_as_of;
    dg_date ended;    /* when the leg stopped counting (cancelled, lapsed,
                         shelved) */
    char *ended_why;
    char **supersedes; /* deal ids or leg ids this leg replaces or repeats */
    size_t nsupersedes;
    dg_date ends;     /* computed at load: the earlier of `ended` and the
                         announcement of the first leg that supersedes this
                         one; unset when it never ends */
    size_t superseded_by; /* that leg's index; SIZE_MAX when none */
    char *id;     /* the leg's own id (for `supersedes`); may be NULL */
    char *deal;   /* shared by the legs of one deal; may be NULL */
    char *source; /* citation; may be NULL */
    char *url;    /* the source's address; may be NULL */
    char *note;
    long line; /* the line of the leg in its file */
} dg_leg;

#define DG_TERM_UNKNOWN (-1)

/* The attribute names of legs and companies, in the documented order (the
 * columns of a CSV ledger, the attributes of a DOT one); NULL-terminated. */
extern const char *const dg_leg_fields[];
extern const char *const dg_company_fields[];

/* The text of one attribute as the loaders read it back (amounts exact,
 * dates as given, lists comma-separated), appended to `out`; false when
 * the leg or company does not have it (or `name` is no attribute). */
struct dg_buf;
bool dg_leg_attr_text(const dg_leg *leg, const char *name,
                      struct dg_buf *out);

/* The months of a term: "5y" -> 60, "18m" -> 18, "2.5y" -> 30. False when
 * the text is not a whole number of months (a positive count with y or m,
 * at most 100 years). */
bool dg_term_parse(const char *text, int *months);

static inline bool dg_has(double x) { return x == x; } /* not NaN */

/* A ledger: companies and legs, in file order. Company names are unique
 * (exact match). All memory is owned by the ledger. */
typedef struct dg_ledger {
    char *path; /* the file it was read from */
    dg_company *companies;
    size_t ncompanies;
    dg_leg *legs;
    size_t nlegs;
    char *focus; /* graph attribute; NULL when not given */
    char *title;
    dg_date as_of;
    char *legs_file;      /* where the legs were read (deals.csv or the DOT) */
    char *companies_file; /* where companies were declared; NULL = legs_file */
    char *focus_file;     /* where `focus` was set, and its line */
    long focus_line;
    /* private */
    size_t cap_companies, cap_legs;
    void *index; /* name -> company index */
} dg_ledger;

dg_ledger *dg_ledger_create(void);
void dg_ledger_destroy(dg_ledger *l);
/* Index of the company named exactly `name`, or (size_t)-1. */
size_t dg_ledger_find(const dg_ledger *l, const char *name);
/* Finds or adds a company by name; sets *index. DG_OK, DG_ENOMEM, or
 * DG_ELIMIT when the ledger already holds DG_MAX_COMPANIES. */
int dg_ledger_company(dg_ledger *l, const char *name, size_t *index);
/* Appends a leg (copied; string fields are duplicated). DG_OK, DG_ENOMEM,
 * DG_EUSAGE (a company index out of range), or DG_ELIMIT when the ledger
 * already holds DG_MAX_LEGS. */
int dg_ledger_add_leg(dg_ledger *l, const dg_leg *leg);

/* ---- amount scenarios and filters -------------------------------------- */

typedef enum {
    DG_AMOUNTS_DISCLOSED, /* only disclosed amounts; others undisclosed */
    DG_AMOUNTS_LOW,       /* undisclosed legs take amount_low */
    DG_AMOUNTS_MID,       /* ... the midpoint of the range */
    DG_AMOUNTS_HIGH,      /* ... amount_high */
} dg_amounts;

bool dg_amounts_parse(const char *text, dg_amounts *out);
const char *dg_amounts_name(dg_amounts a);

/* The value a leg carries under a scenario; NaN when it has none. */
double dg_leg_value(const dg_leg *leg, dg_amounts scenario);

typedef struct dg_filter {
    dg_status min_status;   /* keep legs at least this firm */
    unsigned kinds;         /* bit (1u << kind) set = keep; 0 = all */
    dg_date as_of;          /* keep legs announced on or before it and not
                               ended by it; unset = every leg that has not
                               ended */
    dg_amounts amounts;
} dg_filter;

void dg_filter_init(dg_filter *f); /* keeps everything, disclosed amounts */
bool dg_filter_keep(const dg_filter *f, const dg_leg *leg);
/* Parses "chips,cloud" into a kind mask. On failure sets *bad to the
 * offending name's start (within text) and returns false. */
bool dg_kinds_parse(const char *text, unsigned *mask, const char **bad);

/* ---- loading ----------------------------------------------------------- */

typedef enum {
    DG_FORMAT_AUTO, /* by extension (.dot .gv .csv), a directory, or content */
    DG_FORMAT_DOT,
    DG_FORMAT_CSV,
} dg_format;

typedef struct dg_load_options {
    dg_format format;
    const char *companies;  /* CSV only: companies file; NULL = look beside */
    bool strict;            /* `source` is required on every leg */
    size_t max_bytes;       /* input size limit; 0 = DG_MAX_INPUT_BYTES */
} dg_load_options;

/* 256 MiB: a ledger is text that people edit; more is a mistake. */
#define DG_MAX_INPUT_BYTES ((size_t)256 << 20)
/* At most a million companies and a million legs in one ledger (a DOT
 * edge statement between subgraphs, {a b} -> {c d}, makes a leg for every
 * pair, so a small file could otherwise ask for billions). Larger input is
 * refused with a message naming the line, status DG_ELIMIT. */
#define DG_MAX_COMPANIES ((size_t)1000000)
#define DG_MAX_LEGS ((size_t)1000000)

void dg_load_options_init(dg_load_options *o);

/* Loads and validates a ledger. Every problem found (errors and warnings)
 * is added to `diags`. Returns the ledger (owned by the caller; free with
 * dg_ledger_destroy) when there were no errors, NULL otherwise. `status`,
 * when not NULL, receives DG_OK, DG_EINPUT, DG_EIO, DG_ENOMEM or
 * DG_ELIMIT. */
dg_ledger *dg_ledger_load(const char *path, const dg_load_options *opt,
                          dg_diags *diags, int *status);

/* The loaders behind dg_ledger_load, for callers that know the format. */
dg_ledger *dg_ledger_load_dot(const char *path, const dg_load_options *opt,
                              dg_diags *diags, int *status);
dg_ledger *dg_ledger_load_csv(const char *path, const dg_load_options *opt,
                              dg_diags *diags, int *status);

/* Checks a loaded ledger for problems that span legs and companies (names
 * that differ only in case or spacing, estimates without a range, ...),
 * adding warnings to diags. Run by dg_ledger_load; exposed for tests. */
void dg_ledger_check(const dg_ledger *l, dg_diags *diags);

/* ---- summary ----------------------------------------------------------- */

typedef struct dg_total {
    size_t legs;        /* legs in this group */
    size_t undisclosed; /* of them, without a value under the scenario */
    double value;       /* sum of the known values; NaN when every leg of
                           the group is undisclosed (0 for no legs) */
} dg_total;

typedef struct dg_summary {
    size_t companies, legs, deals;
    dg_total all;
    dg_total by_kind[DG_KIND_COUNT];
    dg_total by_status[DG_STATUS_COUNT];
    size_t upto_legs, per_year_legs, estimated_legs;
    dg_date first, last; /* earliest and latest announced */
} dg_summary;

/* Totals over the legs that pass `filter` (NULL = all). DG_OK or
 * DG_ENOMEM. */
int dg_summary_compute(const dg_ledger *l, const dg_filter *filter,
                        dg_summary *out);

#ifdef __cplusplus
}
#endif
#endif /* DEALGRAPH_H */
