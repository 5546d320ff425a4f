/*
 * cmd_exposure.c - dealgraph exposure: how much each company depends on
 * the focal company (direct shares, pass-through, origin, concentration,
 * Capex/EBITDA), and the system figures (share of value and of looped
 * value, Finn's cycling index). Definitions: docs/methods.md.
 */
#include "cli.h"
#include "dealgraph/exposure.h"
#include "dealgraph/text.h"
#include "dealgraph/yearly.h"
#include "exposure_year.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const char about[] =
    "Measures how much every company of the ledger depends on the focal\n"
    "company. By default (--basis year) in one calendar year (--year,\n"
    "default the year of the ledger's as_of) or one column per year\n"
    "(--years): what the focus pays each company over the company's revenue\n"
    "(revenue dependence, with the 10%-customer flag), the share of its\n"
    "backlog (rpo) the focus's commitments make, the focus's coverage\n"
    "(revenue / payments) and funding gap, vendor financing, and the\n"
    "network measures below on the year's flows. A figure without its input\n"
    "is n/a with the reason; one that rests on an assumption says so.\n"
    "\n"
    "With --basis total, amounts added as given: the share of each\n"
    "company's inflow that comes straight from the focus, the share of its\n"
    "outflow that goes to it, the share of its inflow that passed through\n"
    "the focus on the way (pass-through) or first entered the network there\n"
    "(origin), how concentrated its sources are (inflow HHI), its largest\n"
    "source, and Capex/EBITDA with the funding stage. System figures: the\n"
    "focus's share of all deal value and of looped value, Finn's cycling\n"
    "index, the focus's own cycling share. See docs/methods.md.";

/* ---- options ------------------------------------------------------------- */

typedef enum {
    SORT_PASS_THROUGH,
    SORT_ORIGIN,
    SORT_INFLOW,
    SORT_OUTFLOW,
    SORT_HHI,
    SORT_THROUGHFLOW,
    SORT_LARGEST,
    SORT_NAME,
} sort_key;

static const char *const sort_names[] = {
    "pass-through", "origin",      "inflow",  "outflow",
    "hhi",          "throughflow", "largest", "name",    NULL};

enum { BASIS_YEAR, BASIS_TOTAL };

/* --years A-B; first = 0 when not given. */
typedef struct year_range {
    int first, last;
} year_range;

typedef struct exposure_opts {
    int sort;         /* sort_key; -1: not given */
    size_t top;       /* 0: every company */
    size_t year;      /* --year; 0: the default */
    year_range years; /* --years */
    int basis;        /* BASIS_YEAR or BASIS_TOTAL */
} exposure_opts;

static void defaults(void *opts)
{
    ((exposure_opts *)opts)->sort = -1;
}

/* The most years one run shows. */
#define MAX_YEARS 50

/* "2026-2030" (or one year, "2027"): four digits each, 1900-2999, the
 * first not after the last, at most MAX_YEARS. */
static bool parse_years(const char *cmd, const cli_option *o, const char *arg,
                        void *dst)
{
    int v[2] = {0, 0}, k = 0;
    const char *p = arg;
    for (; k < 2; k++) {
        int digits = 0;
        for (; *p >= '0' && *p <= '9' && digits < 5; p++, digits++)
            v[k] = v[k] * 10 + (*p - '0');
        if (digits != 4)
            break;
        if (*p != '-')
            break;
        p++;
    }
    if (k == 0 && v[0] >= 1000 && !*p)
        v[1] = v[0]; /* one year */
    else if (!(k == 1 && !*p && v[1] >= 1000))
        v[0] = 0;
    year_range *r = dst;
    if (v[0] < 1900 || v[1] > 2999 || v[1] < v[0] ||
        v[1] - v[0] + 1 > MAX_YEARS) {
        cli_error("%s: --%s '%s' is not a range of years; give FIRST-LAST "
                  "from 1900 to 2999, the first not after the last, at most "
                  "%d years, such as 2026-2030",
                  cmd, o->name, arg, MAX_YEARS);
        return false;
    }
    r->first = v[0];
    r->last = v[1];
    return true;
}

/* A word from the choices, or "CMD: unknown <what> 'X' for --NAME; <how>"
 * (the message the command always gave, which cli_parse_choice words
 * differently). */
static bool parse_keyword(const char *cmd, const cli_option *o,
                          const char *arg, void *dst)
{
    for (int k = 0; o->value->choices[k]; k++)
        if (strcmp(arg, o->value->choices[k]) == 0) {
            *(int *)dst = k;
            return true;
        }
    cli_error("%s: unknown %s '%s' for --%s; %s", cmd, o->value->what, arg,
              o->name, o->value->how);
    return false;
}

static const cli_value sort_value = {
    .what = "sort key",
    .how = "use pass-through, origin, inflow, outflow, hhi, throughflow, "
           "largest or name",
    .choices = sort_names,
};

static const cli_value top_value = {
    .what = "a whole number of at least 1",
    .how = "give how many companies to show",
    .min = 1,
};

static const char *const basis_names[] = {"year", "total", NULL};

static const cli_value basis_value = {
    .what = "a basis", .how = "use year or total", .choices = basis_names};

static const cli_value year_value = {
    .what = "a year",
    .how = "give a year from 1900 to 2999, such as 2027",
    .min = 1900,
    .max = 2999,
};

static const cli_option options[] = {
    {"basis", 0, "BASIS",
     "year (default): money by calendar year from each leg's schedule, set "
     "against revenue and backlog; total: amounts added as given, the "
     "arithmetic of the tables before the time model",
     cli_parse_choice, offsetof(exposure_opts, basis), &basis_value},
    {"year", 0, "YEAR",
     "the year of the figures (default: the year of --as-of, else of the "
     "ledger's as_of, else of its latest announcement)",
     cli_parse_count, offsetof(exposure_opts, year), &year_value},
    {"years", 0, "A-B",
     "one column per year from A to B for the headline figures",
     parse_years, offsetof(exposure_opts, years), NULL},
    {"sort", 0, "KEY",
     "order of the companies after the focus. --basis total: pass-through "
     "(default), origin, inflow, outflow, hhi, throughflow, largest "
     "(largest source's share) or name; numbers largest first, n/a last, "
     "ties by name. --basis year: by revenue dependence (default) or name",
     parse_keyword, offsetof(exposure_opts, sort), &sort_value},
    {"top", 0, "N", "show only the first N companies", cli_parse_count,
     offsetof(exposure_opts, top), &top_value},
    {NULL, 0, NULL, NULL, NULL, 0, NULL},
};

/* ---- the order of the rows ----------------------------------------------- */

/* A row with what it is sorted by, so that the comparison needs nothing
 * else. */
typedef struct ranked {
    const dg_exposure_row *row;
    const char *name;
    bool focus;
    double key; /* NaN: none (n/a, or sorting by name) */
} ranked;

static double sort_value_of(const dg_exposure_row *r, sort_key k)
{
    switch (k) {
    case SORT_PASS_THROUGH: return r->pass_through_share;
    case SORT_ORIGIN: return r->origin_share;
    case SORT_INFLOW: return r->direct_inflow_share;
    case SORT_OUTFLOW: return r->direct_outflow_share;
    case SORT_HHI: return r->inflow_hhi;
    case SORT_THROUGHFLOW: return r->throughflow;
    case SORT_LARGEST: return r->largest_share;
    case SORT_NAME: break;
    }
    return NAN;
}

/* The focus first (the reference row), then by the key, largest first and
 * n/a last, then by name. */
static int compare_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->focus != y->focus)
        return x->focus ? -1 : 1;
    bool hx = dg_has(x->key), hy = dg_has(y->key);
    if (hx != hy)
        return hx ? -1 : 1;
    if (hx && x->key != y->key)
        return x->key > y->key ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* The rows of `e` in the order of `key` (malloc'd), or NULL. */
static ranked *rank_rows(const dg_ledger *l, const dg_exposure *e,
                         sort_key key)
{
    ranked *rows = malloc((e->n ? e->n : 1) * sizeof *rows);
    if (!rows)
        return NULL;
    for (size_t k = 0; k < e->n; k++) {
        const dg_exposure_row *r = &e->rows[k];
        rows[k] = (ranked){r, l->companies[r->company].name,
                           r->company == e->focus, sort_value_of(r, key)};
    }
    qsort(rows, e->n, sizeof *rows, compare_ranked);
    return rows;
}

/* ---- the tables ---------------------------------------------------------- */

enum {
    C_NAME, C_THROUGH, C_IN, C_OUT, C_PASS, C_ORIGIN, C_HHI, C_BAND,
    C_LARGEST, C_LSHARE, C_CAPEX, C_STAGE, NCOLS
};

/* Which columns a table shows. */
typedef enum { PART_ALL, PART_DEPENDENCE, PART_CONCENTRATION } table_part;

/* CSV has every column; text and Markdown split them into a dependence
 * table (name to origin) and a concentration table (name, then HHI to
 * stage). */
static const cli_column every_column[NCOLS] = {
    {"name", "company"},
    {"throughflow", "throughflow"},
    /* titled by the focus's name: add_table */
    {"direct_inflow_share", "from the focus"},
    {"direct_outflow_share", "to the focus"},
    {"pass_through_share", "via the focus"},
    {"origin_share", "origin at the focus"},
    {"inflow_hhi", "inflow HHI"},
    {"hhi_band", "band"},
    {"largest_counterparty", "largest source"},
    {"largest_share", "its share"},
    {"capex_to_ebitda", "capex/EBITDA"},
    {"funding_stage", "stage"},
};

typedef struct columns {
    const cli_column *col;
    size_t n;
    int at[NCOLS]; /* logical column -> column of the table, or -1 */
} columns;

static columns columns_of(table_part part)
{
    static const cli_column concentration[] = {
        {"name", "company"},
        {"inflow_hhi", "inflow HHI"},
        {"hhi_band", "band"},
        {"largest_counterparty", "largest source"},
        {"largest_share", "its share"},
        {"capex_to_ebitda", "capex/EBITDA"},
        {"funding_stage", "stage"},
    };
    columns c = {every_column, 0, {0}};
    if (part == PART_CONCENTRATION)
        c.col = concentration;
    for (int k = 0; k < NCOLS; k++) {
        bool dep = k <= C_ORIGIN, con = k == C_NAME || k >= C_HHI;
        bool show = part == PART_ALL || (part == PART_DEPENDENCE && dep) ||
                    (part == PART_CONCENTRATION && con);
        c.at[k] = show ? (int)c.n++ : -1;
    }
    return c;
}

/* Short band names for the text table; the full ones in CSV and JSON. */
static const char *band_short(dg_hhi_band b)
{
    return b == DG_HHI_HIGH ? "high" : b == DG_HHI_MODERATE ? "moderate" : "low";
}

static void add_row(cli_table *t, const columns *cols, const dg_ledger *l,
                    const ranked *x, bool machine)
{
    const dg_exposure_row *r = x->row;
    char name[160];
    if (!machine && x->focus)
        snprintf(name, sizeof name, "%s (focus)", x->name);
    else
        snprintf(name, sizeof name, "%s", x->name);
    const int *at = cols->at;
    cli_table_row(t);
#define COL(k) (size_t)at[k]
#define HAS(k) (at[k] >= 0)
    if (HAS(C_NAME))
        cli_table_text(t, COL(C_NAME), name);
    if (HAS(C_THROUGH))
        cli_table_money(t, COL(C_THROUGH), r->throughflow);
    /* The focus's shares of itself are trivial (pass-through 1 by
     * definition, direct shares only from self legs): text leaves the
     * direct shares out; CSV and JSON keep every number. */
    if (HAS(C_IN) && (machine || !x->focus))
        cli_table_share(t, COL(C_IN), r->direct_inflow_share);
    if (HAS(C_OUT) && (machine || !x->focus))
        cli_table_share(t, COL(C_OUT), r->direct_outflow_share);
    if (HAS(C_PASS))
        cli_table_share(t, COL(C_PASS), r->pass_through_share);
    if (HAS(C_ORIGIN))
        cli_table_share(t, COL(C_ORIGIN), r->origin_share);
    if (HAS(C_HHI)) {
        if (!dg_has(r->inflow_hhi))
            cli_table_number(t, COL(C_HHI), NAN);
        else if (machine)
            cli_table_number(t, COL(C_HHI), r->inflow_hhi);
        else
            cli_table_int(t, COL(C_HHI), llround(r->inflow_hhi));
    }
    if (HAS(C_BAND) && dg_has(r->inflow_hhi))
        cli_table_text(t, COL(C_BAND), machine ? dg_exposure_band_name(r)
                                              : band_short(r->hhi_band));
    if (HAS(C_LARGEST)) {
        if (r->largest != SIZE_MAX)
            cli_table_text(t, COL(C_LARGEST), l->companies[r->largest].name);
        else if (!machine && r->throughflow > 0.0)
            cli_table_text(t, COL(C_LARGEST), "(outside only)");
    }
    if (HAS(C_LSHARE) && r->largest != SIZE_MAX)
        cli_table_share(t, COL(C_LSHARE), r->largest_share);
    if (HAS(C_CAPEX) && r->stage != DG_STAGE_NONE)
        cli_table_number(t, COL(C_CAPEX), r->capex_to_ebitda);
    if (HAS(C_STAGE) && r->stage != DG_STAGE_NONE)
        cli_table_int(t, COL(C_STAGE), (long long)r->stage);
#undef COL
#undef HAS
}

/* The rows as one table of `part`'s columns, shown in `formats`. */
static void add_table(cli_doc *d, table_part part, const dg_ledger *l,
                      const char *focus, const ranked *rows, size_t nrows,
                      unsigned formats)
{
    columns cols = columns_of(part);
    cli_table t;
    cli_table_init(&t, cols.col, cols.n);
    static const char *const words[4] = {"from", "to", "via", "origin at"};
    for (int k = C_IN; k <= C_ORIGIN; k++) {
        if (cols.at[k] < 0)
            continue;
        char title[160];
        snprintf(title, sizeof title, "%s %s", words[k - C_IN], focus);
        cli_table_title(&t, (size_t)cols.at[k], title);
    }
    for (size_t k = 0; k < nrows; k++)
        add_row(&t, &cols, l, &rows[k], formats == DOC_CSV);
    doc_table(d, &t, formats);
}

/* ---- JSON ---------------------------------------------------------------- */

static json_t *num_or_null(double v)
{
    return dg_has(v) ? json_real(v) : json_null();
}

static json_t *row_json(const dg_ledger *l, const dg_exposure_row *r)
{
    const char *band = dg_exposure_band_name(r);
    return json_pack(
        "{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "name",
        l->companies[r->company].name, "direct_inflow_share",
        num_or_null(r->direct_inflow_share), "direct_outflow_share",
        num_or_null(r->direct_outflow_share), "pass_through_share",
        num_or_null(r->pass_through_share), "origin_share",
        num_or_null(r->origin_share), "inflow_hhi",
        num_or_null(r->inflow_hhi), "hhi_band",
        band ? json_string(band) : json_null(), "largest_counterparty",
        r->largest != SIZE_MAX ? json_string(l->companies[r->largest].name)
                               : json_null(),
        "largest_share", num_or_null(r->largest_share), "capex_to_ebitda",
        num_or_null(r->capex_to_ebitda), "funding_stage",
        r->stage != DG_STAGE_NONE ? json_integer(r->stage) : json_null());
}

static json_t *exposure_json(const dg_ledger *l, const dg_exposure *e,
                             const ranked *rows, size_t n)
{
    json_t *doc = cli_json_document();
    json_t *arr = json_array();
    for (size_t k = 0; doc && arr && k < n; k++) {
        if (json_array_append_new(arr, row_json(l, rows[k].row)) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    if (!doc || !arr) {
        json_decref(arr);
        json_decref(doc);
        return NULL;
    }
    /* json_pack's "o" takes the references, also on failure. */
    json_t *rest = json_pack(
        "{s:s, s:o, s:{s:o, s:o, s:o, s:o}}", "focus",
        l->companies[e->focus].name, "companies", arr, "system", "fci",
        num_or_null(e->fci), "focus_share_of_value",
        num_or_null(e->focus_share_of_value), "focus_share_of_looped_value",
        num_or_null(e->focus_share_of_looped_value), "focus_cycling_share",
        num_or_null(e->focus_cycling_share));
    if (!rest || json_object_update(doc, rest) != 0) {
        json_decref(rest);
        json_decref(doc);
        return NULL;
    }
    json_decref(rest);
    return doc;
}

/* ---- the document -------------------------------------------------------- */

static void pct(char *buf, size_t n, double share)
{
    if (dg_has(share))
        snprintf(buf, n, "%.1f%%", share * 100.0);
    else
        snprintf(buf, n, "n/a");
}

static bool is_idle(const dg_exposure_row *r) { return !(r->throughflow > 0.0); }
static bool is_nm(const dg_exposure_row *r) { return r->ratio_not_meaningful; }
static bool has_stage(const dg_exposure_row *r)
{
    return r->stage != DG_STAGE_NONE;
}

/* The companies of the rows (name order) that `pick` selects, as
 * "A, B and C", into buf; returns how many. */
static size_t list_names(dg_buf *buf, const dg_ledger *l, const dg_exposure *e,
                         bool (*pick)(const dg_exposure_row *))
{
    size_t total = 0, k = 0;
    for (size_t i = 0; i < e->n; i++)
        total += pick(&e->rows[i]);
    dg_buf_clear(buf);
    for (size_t i = 0; i < e->n; i++) {
        if (!pick(&e->rows[i]))
            continue;
        if (k)
            dg_buf_puts(buf, k + 1 == total ? " and " : ", ");
        dg_buf_puts(buf, l->companies[e->rows[i].company].name);
        k++;
    }
    return total;
}

/* The system figures, as notes. */
static void system_notes(cli_doc *d, const dg_exposure *e, const char *focus)
{
    char a[32], b[32], p[32];
    pct(p, sizeof p, e->focus_share_of_value);
    doc_note(d, "%s's share of all deal value: %s (%s of %s)", focus, p,
             dg_money_format(e->focus_value, a, sizeof a),
             dg_money_format(e->total_value, b, sizeof b));
    pct(p, sizeof p, e->focus_share_of_looped_value);
    if (e->looped_value > 0.0)
        doc_note(d,
                 "%s's share of looped value: %s (%s of the %s on hops that "
                 "lie on a loop)",
                 focus, p, dg_money_format(e->focus_looped_value, a, sizeof a),
                 dg_money_format(e->looped_value, b, sizeof b));
    else
        doc_note(d,
                 "%s's share of looped value: n/a (no disclosed value lies "
                 "on a loop)",
                 focus);
    pct(p, sizeof p, e->fci);
    doc_note(d,
             "Finn's cycling index: %s of all throughflow (%s) comes back to "
             "a company it already passed through",
             p, dg_money_format(e->tst, a, sizeof a));
    pct(p, sizeof p, e->focus_cycling_share);
    doc_note(d,
             "%s's own cycling share: %s of the money reaching %s had left "
             "it before and came back round a loop",
             focus, p, focus);
}

/* What the figures mean and what they leave out, as notes. */
static void method_notes(cli_doc *d, const dg_ledger *l, const dg_exposure *e,
                         const cli_common *c, const char *focus)
{
    dg_buf names;
    dg_buf_init(&names);
    doc_note(d,
             "Throughflow: ledger inflow plus outside inflow. \"from %s\": "
             "the share of it paid by %s directly; \"to %s\": the share of "
             "the company's ledger outflow paid to %s; \"via %s\": the "
             "share of its inflow that passed through %s on the way "
             "(pass-through); \"origin at %s\": the share that first "
             "entered the network at %s.",
             focus, focus, focus, focus, focus, focus, focus, focus);
    if (e->given_boundary == 0)
        doc_note(d, "No company has an outside_inflow figure, so each one's "
                    "outside inflow is what it pays out beyond what it "
                    "receives in the ledger: money is taken to enter where "
                    "it is first paid out.");
    else
        doc_note(d,
                 "%zu companies have an outside_inflow figure; the others' "
                 "outside inflow is what they pay out beyond what they "
                 "receive in the ledger.",
                 e->given_boundary);
    doc_note(d, "Inflow HHI (0-10000) over ledger sources, outside inflow "
                "counted as fully fragmented: a lower bound. Bands of the "
                "2023 US Merger Guidelines: high above 1800, moderate "
                "1000-1800, low below 1000.");
    if (e->undisclosed && c->filter.amounts == DG_AMOUNTS_DISCLOSED)
        doc_note(d,
                 "%zu legs have no disclosed value and carry nothing here, "
                 "so every share is a share of disclosed value (--amounts "
                 "low|mid|high fills those with estimates where a range is "
                 "given).",
                 e->undisclosed);
    else if (e->undisclosed)
        doc_note(d,
                 "%zu legs have neither a disclosed value nor an estimate "
                 "range and carry nothing here.",
                 e->undisclosed);
    if (e->filtered)
        doc_note(d, "%zu legs are left out by the filters.", e->filtered);
    if (e->undisclosed_loop_hops)
        doc_note(d,
                 "%zu hops on loops carry no disclosed value and add nothing "
                 "to the looped value.",
                 e->undisclosed_loop_hops);
    size_t k = list_names(&names, l, e, is_idle);
    if (k)
        doc_note(d,
                 "%s %s no value in or out under these filters: %s shares "
                 "are n/a.",
                 names.data ? names.data : "", k == 1 ? "has" : "have",
                 k == 1 ? "its" : "their");
    if (list_names(&names, l, e, has_stage))
        doc_note(d, "Capex/EBITDA from each company's own figures (their "
                    "period and currency). Stage 1: below 1.0 and no equity, "
                    "debt, warrant or backstop leg in (capex paid from "
                    "earnings); stage 2 otherwise. Empty: no figures.");
    if (list_names(&names, l, e, is_nm))
        doc_note(d,
                 "%s: EBITDA of zero or less, so the ratio is not meaningful "
                 "(n/a) and the stage is 2.",
                 names.data ? names.data : "");
    doc_note(d, "Amounts over different horizons are added as given and "
                "\"up to\" ceilings count in full; see docs/methods.md.");
    if (names.oom)
        d->oom = true;
    dg_buf_finish(&names);
}

/* For people: the lede, the two narrow tables, the system figures and the
 * notes. For CSV: one wide table of every column. */
static void exposure_document(cli_doc *d, const dg_ledger *l,
                              const dg_exposure *e, const ranked *rows,
                              size_t nrows, const cli_common *c,
                              sort_key key)
{
    const char *focus = l->companies[e->focus].name;
    char a[32];

    doc_heading(d, 2, "Exposure to %s", focus);
    doc_line(d, "%s%s%s; amounts: %s", l->path, l->title ? ": " : "",
             l->title ? l->title : "", dg_amounts_name(c->filter.amounts));
    doc_line(d,
             "%zu legs pass the filters: %zu with a value (%s in all), %zu "
             "undisclosed",
             e->legs, e->valued, dg_money_format(e->total_value, a, sizeof a),
             e->undisclosed);
    doc_line(d, "%s first, then the companies by %s%s", focus,
             sort_names[key], key == SORT_NAME ? "" : ", largest first");
    doc_heading(d, 3, "Dependence");
    add_table(d, PART_DEPENDENCE, l, focus, rows, nrows, DOC_HUMAN);
    doc_heading(d, 3, "Concentration and funding");
    add_table(d, PART_CONCENTRATION, l, focus, rows, nrows, DOC_HUMAN);
    add_table(d, PART_ALL, l, focus, rows, nrows, DOC_CSV);
    if (nrows < e->n)
        doc_para(d, "(the first %zu of %zu companies)", nrows, e->n);
    doc_heading(d, 3, "System");
    system_notes(d, e, focus);
    doc_heading(d, 3, "Notes");
    method_notes(d, l, e, c, focus);
}

/* Prints the errors of a failed analysis, or its code when none says
 * why. */
static void print_failure(const dg_ledger *l, const dg_diags *diags, int rc)
{
    size_t shown = 0;
    for (size_t i = 0; i < diags->count; i++)
        if (diags->items[i].severity == DG_SEV_ERROR && ++shown)
            cli_print_diag(&diags->items[i]);
    if (!shown)
        cli_error("exposure: %s: %s", l->path, dg_strerror(rc));
}

static int total_build(cli_doc *d, const dg_ledger *l, const cli_common *c,
                       const exposure_opts *o, size_t focus)
{
    sort_key key = o->sort < 0 ? SORT_PASS_THROUGH : (sort_key)o->sort;
    dg_diags diags;
    dg_diags_init(&diags);
    dg_exposure e;
    int rc = dg_exposure_compute(l, &c->filter, focus, &e, &diags);
    if (rc != DG_OK) {
        print_failure(l, &diags, rc);
        dg_diags_finish(&diags);
        return EXIT_TROUBLE;
    }
    dg_diags_finish(&diags);
    int code = EXIT_OK;
    ranked *rows = rank_rows(l, &e, key);
    if (!rows) {
        cli_error("exposure: out of memory");
        code = EXIT_TROUBLE;
    } else {
        size_t nrows = o->top && o->top < e.n ? o->top : e.n;
        if (c->format == CLI_OUT_JSON)
            doc_json(d, exposure_json(l, &e, rows, nrows));
        exposure_document(d, l, &e, rows, nrows, c, key);
    }
    free(rows);
    dg_exposure_finish(&e);
    return code;
}

/* The years of --basis year, and how they were chosen (for the lede). */
static bool choose_years(const dg_ledger *l, const cli_common *c,
                         const exposure_opts *o, int *first, int *last,
                         char *why, size_t n)
{
    char date[16];
    if (o->years.first) {
        *first = o->years.first;
        *last = o->years.last;
        snprintf(why, n, "the years given (--years)");
        return true;
    }
    if (o->year) {
        *first = *last = (int)o->year;
        snprintf(why, n, "the year given (--year)");
        return true;
    }
    dg_year_from from;
    int year = dg_yearly_default_year(l, &c->filter, &from);
    if (!year) {
        cli_error("exposure: %s sets no as_of and has no dated leg to take "
                  "a year from; give --year YEAR",
                  l->path);
        return false;
    }
    *first = *last = year;
    if (from == DG_YEAR_FROM_FILTER)
        snprintf(why, n, "%d is the year of --as-of (%s)", year,
                 dg_date_format(c->filter.as_of, date, sizeof date));
    else if (from == DG_YEAR_FROM_LEDGER)
        snprintf(why, n, "%d is the year of the ledger's as_of (%s)", year,
                 dg_date_format(l->as_of, date, sizeof date));
    else
        snprintf(why, n,
                 "%d is the year of the latest announcement (the ledger "
                 "sets no as_of)",
                 year);
    return true;
}

static int year_build(cli_doc *d, const dg_ledger *l, const cli_common *c,
                      const exposure_opts *o, size_t focus)
{
    dg_yearly_options yo;
    dg_yearly_options_init(&yo);
    yo.filter = c->filter;
    char why[160];
    if (!choose_years(l, c, o, &yo.first_year, &yo.last_year, why,
                      sizeof why))
        return EXIT_TROUBLE;
    dg_diags diags;
    dg_diags_init(&diags);
    dg_yearly y;
    int rc = dg_yearly_compute(l, focus, &yo, &y, &diags);
    int code = EXIT_OK;
    if (rc == DG_ENOMEM) {
        cli_out_of_memory_in("exposure");
        code = EXIT_TROUBLE;
    } else if (rc != DG_OK) {
        print_failure(l, &diags, rc);
        code = EXIT_TROUBLE;
    } else {
        exposure_year_view v = {l, &y, c, o->sort == SORT_NAME, o->top, why};
        exposure_year_document(d, &v);
    }
    dg_diags_finish(&diags);
    dg_yearly_finish(&y);
    return code;
}

static int exposure_build(cli_doc *d, const dg_ledger *l, const cli_common *c,
                          const void *opts)
{
    const exposure_opts *o = opts;
    if (o->year && o->years.first) {
        cli_error("exposure: --year and --years both choose the years; give "
                  "one of them");
        return EXIT_TROUBLE;
    }
    if (o->basis == BASIS_TOTAL && (o->year || o->years.first)) {
        cli_error("exposure: --basis total adds amounts as given, without "
                  "years; drop --year and --years, or use --basis year");
        return EXIT_TROUBLE;
    }
    if (o->basis == BASIS_YEAR && o->sort >= 0 && o->sort != SORT_NAME) {
        cli_error("exposure: --sort %s orders the tables of --basis total; "
                  "with --basis year the companies come by revenue "
                  "dependence, or by name with --sort name",
                  sort_names[o->sort]);
        return EXIT_TROUBLE;
    }
    size_t focus;
    if (!cli_focus(l, c, "exposure", &focus))
        return EXIT_TROUBLE;
    return o->basis == BASIS_TOTAL ? total_build(d, l, c, o, focus)
                                   : year_build(d, l, c, o, focus);
}

const cli_command cli_cmd_exposure = {
    .name = "exposure",
    .summary = "dependence on the focal company",
    .usage = "[OPTIONS] FILE",
    .about = about,
    .exits = "Exit codes: 0 success, 2 bad usage, unreadable or invalid "
             "input, or a\nsingular flow system (a group of companies with "
             "no outside inflow).",
    .formats = DOC_TEXT | DOC_MD | DOC_JSON | DOC_CSV,
    .shared = CLI_SHARE_ANALYSIS | CLI_SHARE_FOCUS,
    .options = options,
    .opts_size = sizeof(exposure_opts),
    .defaults = defaults,
    .build = exposure_build,
};


