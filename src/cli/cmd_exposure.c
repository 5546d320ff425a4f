/*
 * cmd_exposure.c - dealgraph exposure: how much each company depends on
 * the focal company (direct shares, pass-through, origin, concentration,
 * Capex/EBITDA), and the system figures (share of value and of looped
 * value, Finn's cycling index). Definitions: docs/methods.md.
 */
#include "cli.h"
#include "dealgraph/exposure.h"
#include "dealgraph/text.h"
#include "notes.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: dealgraph exposure [OPTIONS] FILE\n"
    "\n"
    "Measures how much every company of the ledger depends on the focal\n"
    "company: the share of its inflow that comes straight from the focus,\n"
    "the share of its outflow that goes to it, the share of its inflow that\n"
    "passed through the focus on the way (pass-through) or first entered\n"
    "the network there (origin), how concentrated its sources are (inflow\n"
    "HHI), its largest source, and Capex/EBITDA with the funding stage.\n"
    "System figures: the focus's share of all deal value and of looped\n"
    "value, Finn's cycling index, the focus's own cycling share.\n"
    "Shares are fractions of disclosed value; see docs/methods.md.\n"
    "\n"
    "  --focus NAME            the focal company (default: the ledger's\n"
    "                          `focus` attribute)\n"
    "  --sort KEY              order of the companies after the focus:\n"
    "                          pass-through (default), origin, inflow,\n"
    "                          outflow, hhi, throughflow, largest (largest\n"
    "                          source's share) or name; numbers largest\n"
    "                          first, n/a last, ties by name\n"
    "  --top N                 show only the first N companies\n"
    "  --format text|md|json|csv  output format (default text)\n"
    "  -o, --output FILE       write there instead of standard output\n"
    "  --min-status STATUS     keep legs at least this firm (completed,\n"
    "                          definitive, announced, reported, loi, talks)\n"
    "  --kinds K1,K2           keep legs of these kinds\n"
    "  --as-of DATE            keep legs announced on or before DATE\n"
    "  --amounts SCENARIO      disclosed (default), low, mid or high: fill\n"
    "                          undisclosed legs from their estimate range\n"
    "  --companies FILE        the companies file of a CSV ledger\n"
    "\n"
    "Exit codes: 0 success, 2 bad usage, unreadable or invalid input, or a\n"
    "singular flow system (a group of companies with no outside inflow).\n";

/* ---- sorting ----------------------------------------------------------------- */

typedef enum {
    SORT_PASS_THROUGH,
    SORT_ORIGIN,
    SORT_INFLOW,
    SORT_OUTFLOW,
    SORT_HHI,
    SORT_THROUGHFLOW,
    SORT_LARGEST,
    SORT_NAME,
    SORT_COUNT
} sort_key;

static const char *const sort_names[SORT_COUNT] = {
    "pass-through", "origin", "inflow",  "outflow",
    "hhi",          "throughflow", "largest", "name"};

static double sort_value(const dg_exposure_row *r, sort_key k)
{
    switch (k) {
    case SORT_PASS_THROUGH: return r->pass_through_share;
    case SORT_ORIGIN: return r->origin_share;
    case SORT_INFLOW: return r->direct_inflow_share;
    case SORT_OUTFLOW: return r->direct_outflow_share;
    case SORT_HHI: return r->inflow_hhi;
    case SORT_THROUGHFLOW: return r->throughflow;
    case SORT_LARGEST: return r->largest_share;
    default: return NAN;
    }
}

/* qsort has no context argument: the run being sorted. */
static const dg_ledger *sort_ledger;
static sort_key sort_by;

static size_t sort_focus;

/* The focus first (the reference row), then by the key. */
static int compare_rows(const void *a, const void *b)
{
    const dg_exposure_row *x = *(const dg_exposure_row *const *)a;
    const dg_exposure_row *y = *(const dg_exposure_row *const *)b;
    if ((x->company == sort_focus) != (y->company == sort_focus))
        return x->company == sort_focus ? -1 : 1;
    if (sort_by != SORT_NAME) {
        double u = sort_value(x, sort_by), v = sort_value(y, sort_by);
        bool hu = dg_has(u), hv = dg_has(v);
        if (hu != hv)
            return hu ? -1 : 1; /* n/a last */
        if (hu && u != v)
            return u > v ? -1 : 1;
    }
    return strcmp(sort_ledger->companies[x->company].name,
                  sort_ledger->companies[y->company].name);
}

/* ---- the table ------------------------------------------------------------- */

enum {
    C_NAME, C_THROUGH, C_IN, C_OUT, C_PASS, C_ORIGIN, C_HHI, C_BAND,
    C_LARGEST, C_LSHARE, C_CAPEX, C_STAGE, NCOLS
};

/* Which columns a table shows: CSV has all of them; text and Markdown
 * split them into a dependence table and a concentration table. */
typedef enum { PART_ALL, PART_DEPENDENCE, PART_CONCENTRATION } table_part;

typedef struct columns {
    cli_column col[NCOLS];
    int at[NCOLS]; /* logical column -> column of the table, or -1 */
    size_t n;
    char title[4][96]; /* titles that name the focus ("from OpenAI") */
} columns;

static void columns_init(columns *c, const char *focus, table_part part)
{
    static const cli_column base[NCOLS] = {
        {"name", "company"},
        {"throughflow", "throughflow"},
        {"direct_inflow_share", NULL},
        {"direct_outflow_share", NULL},
        {"pass_through_share", NULL},
        {"origin_share", NULL},
        {"inflow_hhi", "inflow HHI"},
        {"hhi_band", "band"},
        {"largest_counterparty", "largest source"},
        {"largest_share", "its share"},
        {"capex_to_ebitda", "capex/EBITDA"},
        {"funding_stage", "stage"},
    };
    snprintf(c->title[0], sizeof c->title[0], "from %s", focus);
    snprintf(c->title[1], sizeof c->title[1], "to %s", focus);
    snprintf(c->title[2], sizeof c->title[2], "via %s", focus);
    snprintf(c->title[3], sizeof c->title[3], "origin at %s", focus);
    c->n = 0;
    for (int k = 0; k < NCOLS; k++) {
        bool dep = k <= C_ORIGIN, con = k == C_NAME || k >= C_HHI;
        bool show = part == PART_ALL || (part == PART_DEPENDENCE && dep) ||
                    (part == PART_CONCENTRATION && con);
        c->at[k] = -1;
        if (!show)
            continue;
        c->at[k] = (int)c->n;
        c->col[c->n] = base[k];
        if (k >= C_IN && k <= C_ORIGIN)
            c->col[c->n].title = c->title[k - C_IN];
        c->n++;
    }
}

/* Short band names for the text table; the full ones in CSV and JSON. */
static const char *band_short(dg_hhi_band b)
{
    return b == DG_HHI_HIGH ? "high" : b == DG_HHI_MODERATE ? "moderate" : "low";
}

static void add_row(cli_table *t, const columns *cols, const dg_ledger *l,
                    const dg_exposure *e, const dg_exposure_row *r,
                    bool machine)
{
    char name[160];
    const char *nm = l->companies[r->company].name;
    bool is_focus = r->company == e->focus;
    if (!machine && is_focus)
        snprintf(name, sizeof name, "%s (focus)", nm);
    else
        snprintf(name, sizeof name, "%s", nm);
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
    if (HAS(C_IN) && (machine || !is_focus))
        cli_table_share(t, COL(C_IN), r->direct_inflow_share);
    if (HAS(C_OUT) && (machine || !is_focus))
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

static bool write_table(FILE *out, const dg_ledger *l, const dg_exposure *e,
                        const dg_exposure_row *const *rows, size_t nrows,
                        table_part part, cli_out_format fmt)
{
    columns cols;
    columns_init(&cols, l->companies[e->focus].name, part);
    cli_table t;
    cli_table_init(&t, cols.col, cols.n);
    for (size_t k = 0; k < nrows; k++)
        add_row(&t, &cols, l, e, rows[k], fmt == CLI_OUT_CSV);
    bool ok = cli_table_write(&t, fmt, out);
    cli_table_finish(&t);
    return ok;
}

/* ---- JSON ----------------------------------------------------------------- */

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
                             const dg_exposure_row *const *rows, size_t n)
{
    json_t *doc = cli_json_document();
    json_t *arr = json_array();
    for (size_t k = 0; doc && arr && k < n; k++) {
        if (json_array_append_new(arr, row_json(l, rows[k])) != 0) {
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

/* ---- text and Markdown ------------------------------------------------------- */

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

static bool exposure_text(FILE *out, const dg_ledger *l, const dg_exposure *e,
                          const dg_exposure_row *const *rows, size_t nrows,
                          const cli_common *c, sort_key key)
{
    bool md = c->format == CLI_OUT_MD;
    const char *focus = l->companies[e->focus].name;
    const char *ind = md ? "" : "  ", *br = md ? "  " : "";
    char a[32], b[32], p[32];
    dg_buf names;
    dg_buf_init(&names);

    fprintf(out, md ? "## Exposure to %s\n\n" : "Exposure to %s\n", focus);
    fprintf(out, "%s%s%s%s; amounts: %s%s\n", ind, l->path,
            l->title ? ": " : "", l->title ? l->title : "",
            dg_amounts_name(c->filter.amounts), br);
    fprintf(out,
            "%s%zu legs pass the filters: %zu with a value (%s in all), %zu "
            "undisclosed%s\n",
            ind, e->legs, e->valued,
            dg_money_format(e->total_value, a, sizeof a), e->undisclosed, br);
    fprintf(out, "%s%s first, then the companies by %s%s%s\n\n", ind, focus,
            sort_names[key], key == SORT_NAME ? "" : ", largest first", br);

    fputs(md ? "### Dependence\n\n" : "Dependence\n", out);
    bool ok = write_table(out, l, e, rows, nrows, PART_DEPENDENCE, c->format);
    fputs(md ? "\n### Concentration and funding\n\n"
             : "\nConcentration and funding\n",
          out);
    ok = write_table(out, l, e, rows, nrows, PART_CONCENTRATION, c->format) &&
         ok;
    if (nrows < e->n)
        fprintf(out, "%s(the first %zu of %zu companies)\n", md ? "\n" : "",
                nrows, e->n);

    fputs(md ? "\n### System\n\n" : "\nSystem\n", out);
    pct(p, sizeof p, e->focus_share_of_value);
    cli_note(out, md, "%s's share of all deal value: %s (%s of %s)", focus, p,
             dg_money_format(e->focus_value, a, sizeof a),
             dg_money_format(e->total_value, b, sizeof b));
    pct(p, sizeof p, e->focus_share_of_looped_value);
    if (e->looped_value > 0.0)
        cli_note(out, md,
                 "%s's share of looped value: %s (%s of the %s on hops that "
                 "lie on a loop)",
                 focus, p,
                 dg_money_format(e->focus_looped_value, a, sizeof a),
                 dg_money_format(e->looped_value, b, sizeof b));
    else
        cli_note(out, md,
                 "%s's share of looped value: n/a (no disclosed value lies "
                 "on a loop)",
                 focus);
    pct(p, sizeof p, e->fci);
    cli_note(out, md,
             "Finn's cycling index: %s of all throughflow (%s) comes back to "
             "a company it already passed through",
             p, dg_money_format(e->tst, a, sizeof a));
    pct(p, sizeof p, e->focus_cycling_share);
    cli_note(out, md,
             "%s's own cycling share: %s of the money reaching %s had left "
             "it before and came back round a loop",
             focus, p, focus);

    fputs(md ? "\n### Notes\n\n" : "\nNotes\n", out);
    cli_note(out, md,
             "Throughflow: ledger inflow plus outside inflow. \"from %s\": "
             "the share of it paid by %s directly; \"to %s\": the share of "
             "the company's ledger outflow paid to %s; \"via %s\": the "
             "share of its inflow that passed through %s on the way "
             "(pass-through); \"origin at %s\": the share that first "
             "entered the network at %s.",
             focus, focus, focus, focus, focus, focus, focus, focus);
    if (e->given_boundary == 0)
        cli_note(out, md,
                 "No company has an outside_inflow figure, so each one's "
                 "outside inflow is what it pays out beyond what it "
                 "receives in the ledger: money is taken to enter where it "
                 "is first paid out.");
    else
        cli_note(out, md,
                 "%zu companies have an outside_inflow figure; the others' "
                 "outside inflow is what they pay out beyond what they "
                 "receive in the ledger.",
                 e->given_boundary);
    cli_note(out, md,
             "Inflow HHI (0-10000) over ledger sources, outside inflow "
             "counted as fully fragmented: a lower bound. Bands of the 2023 "
             "US Merger Guidelines: high above 1800, moderate 1000-1800, "
             "low below 1000.");
    if (e->undisclosed && c->filter.amounts == DG_AMOUNTS_DISCLOSED)
        cli_note(out, md,
                 "%zu legs have no disclosed value and carry nothing here, "
                 "so every share is a share of disclosed value (--amounts "
                 "low|mid|high fills those with estimates where a range is "
                 "given).",
                 e->undisclosed);
    else if (e->undisclosed)
        cli_note(out, md,
                 "%zu legs have neither a disclosed value nor an estimate "
                 "range and carry nothing here.",
                 e->undisclosed);
    if (e->filtered)
        cli_note(out, md, "%zu legs are left out by the filters.",
                 e->filtered);
    if (e->undisclosed_loop_hops)
        cli_note(out, md,
                 "%zu hops on loops carry no disclosed value and add nothing "
                 "to the looped value.",
                 e->undisclosed_loop_hops);
    size_t k = list_names(&names, l, e, is_idle);
    if (k)
        cli_note(out, md,
                 "%s %s no value in or out under these filters: %s shares "
                 "are n/a.",
                 names.data ? names.data : "", k == 1 ? "has" : "have",
                 k == 1 ? "its" : "their");
    if (list_names(&names, l, e, has_stage))
        cli_note(out, md,
                 "Capex/EBITDA from each company's own figures (their period "
                 "and currency). Stage 1: below 1.0 and no equity, debt, "
                 "warrant or backstop leg in (capex paid from earnings); "
                 "stage 2 otherwise. Empty: no figures.");
    if (list_names(&names, l, e, is_nm))
        cli_note(out, md,
                 "%s: EBITDA of zero or less, so the ratio is not meaningful "
                 "(n/a) and the stage is 2.",
                 names.data ? names.data : "");
    cli_note(out, md,
             "Amounts over different horizons are added as given and \"up "
             "to\" ceilings count in full; see docs/methods.md.");
    bool oom = names.oom;
    if (names.oom)
        cli_out_of_memory();
    dg_buf_finish(&names);
    return ok && !oom;
}

/* ---- the command ------------------------------------------------------------- */

/* Computes the exposure of `l` and writes it in c->format to `out`, or,
 * when `json` is not NULL, returns the JSON document there instead.
 * Problems are printed; returns false after one. */
static bool exposure_run(const dg_ledger *l, const cli_common *c,
                         const char *focus_name, sort_key key, size_t top,
                         FILE *out, json_t **json)
{
    bool ok = false;
    dg_diags diags;
    dg_diags_init(&diags);
    dg_exposure e;
    memset(&e, 0, sizeof e);
    const dg_exposure_row **rows = NULL;
    size_t focus;
    int rc = dg_focus_resolve(l, focus_name, "exposure", &focus, &diags);
    if (rc == DG_OK)
        rc = dg_exposure_compute(l, &c->filter, focus, &e, &diags);
    if (rc != DG_OK) {
        size_t shown = 0;
        for (size_t i = 0; i < diags.count; i++)
            if (diags.items[i].severity == DG_SEV_ERROR && ++shown)
                cli_print_diag(&diags.items[i]);
        if (!shown)
            cli_error("exposure: %s: %s", l->path, dg_strerror(rc));
        goto done;
    }
    rows = malloc((e.n ? e.n : 1) * sizeof *rows);
    if (!rows) {
        cli_error("exposure: out of memory");
        goto done;
    }
    for (size_t k = 0; k < e.n; k++)
        rows[k] = &e.rows[k];
    sort_ledger = l;
    sort_by = key;
    sort_focus = e.focus;
    if (e.n > 1)
        qsort(rows, e.n, sizeof *rows, compare_rows);
    sort_ledger = NULL;
    size_t nrows = top && top < e.n ? top : e.n;
    if (json) {
        *json = exposure_json(l, &e, rows, nrows);
        ok = *json != NULL;
        if (!ok)
            cli_out_of_memory();
    } else if (c->format == CLI_OUT_JSON) {
        json_t *doc = exposure_json(l, &e, rows, nrows);
        ok = cli_json_write(doc, out);
        json_decref(doc);
    } else if (c->format == CLI_OUT_CSV) {
        ok = write_table(out, l, &e, rows, nrows, PART_ALL, CLI_OUT_CSV);
    } else {
        ok = exposure_text(out, l, &e, rows, nrows, c, key);
    }
done:
    free(rows);
    dg_exposure_finish(&e);
    dg_diags_finish(&diags);
    return ok;
}

bool report_exposure(const dg_ledger *l, const cli_common *c, FILE *out,
                     json_t **json)
{
    return exposure_run(l, c, NULL, SORT_PASS_THROUGH, 0, out, json);
}

int cmd_exposure(int argc, char **argv)
{
    static const struct option options[] = {
        CLI_COMMON_OPTIONS,
        {"focus", required_argument, NULL, 0x201},
        {"sort", required_argument, NULL, 0x202},
        {"top", required_argument, NULL, 0x203},
        {NULL, 0, NULL, 0},
    };
    cli_common c;
    cli_common_init(&c, (1u << CLI_OUT_TEXT) | (1u << CLI_OUT_MD) |
                            (1u << CLI_OUT_JSON) | (1u << CLI_OUT_CSV));
    const char *focus_name = NULL;
    sort_key key = SORT_PASS_THROUGH;
    size_t top = 0;
    int opt;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "f:o:h", options, NULL)) != -1) {
        switch (opt) {
        case 'h':
            cli_help(help);
            return EXIT_OK;
        case '?':
            return cli_bad_option("exposure", argv);
        case 0x201:
            focus_name = optarg;
            continue;
        case 0x202: {
            int k;
            for (k = 0; k < SORT_COUNT; k++)
                if (strcmp(optarg, sort_names[k]) == 0)
                    break;
            if (k == SORT_COUNT) {
                cli_error("exposure: unknown sort key '%s' for --sort; use "
                          "pass-through, origin, inflow, outflow, hhi, "
                          "throughflow, largest or name",
                          optarg);
                return EXIT_TROUBLE;
            }
            key = (sort_key)k;
            continue;
        }
        case 0x203: {
            char *end;
            errno = 0;
            long long v = strtoll(optarg, &end, 10);
            if (!isdigit((unsigned char)optarg[0]) || *end || errno ||
                v < 1) {
                cli_error("exposure: --top '%s' is not a whole number of at "
                          "least 1; give how many companies to show",
                          optarg);
                return EXIT_TROUBLE;
            }
            top = (size_t)v;
            continue;
        }
        default:
            break;
        }
        int r = cli_common_option(&c, "exposure", opt, optarg);
        if (r < 0)
            return EXIT_TROUBLE;
        if (r == 0)
            return cli_bad_option("exposure", argv);
    }
    dg_ledger *l = cli_load_one(&c, "exposure", "FILE", argc, argv);
    if (!l)
        return EXIT_TROUBLE;

    cli_output out;
    int code = EXIT_TROUBLE;
    if (cli_output_open_as(&out, &c)) {
        bool ok = exposure_run(l, &c, focus_name, key, top, out.f, NULL);
        if (cli_output_close(&out, ok) && ok)
            code = EXIT_OK;
    }
    dg_ledger_destroy(l);
    return code;
}
