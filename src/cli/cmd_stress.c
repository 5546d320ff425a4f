/*
 * cmd_stress.c - dealgraph stress: what the other companies lose when the
 * focal company cannot pay. DebtRank (Bardoscia et al. 2015, or the
 * single-pass form of Battiston et al. 2012) or Eisenberg–Noe clearing.
 * Ledger mapping and limits: docs/methods.md §4-§6.
 */
#include "cli.h"
#include "dealgraph/stressrun.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dealgraph/exposure.h" /* dg_focus_resolve */
#include "dealgraph/text.h"
#include "notes.h"

static const char help[] =
    "usage: dealgraph stress [OPTIONS] FILE\n"
    "\n"
    "Shocks the focal company and follows the losses through the ledger.\n"
    "Models (--model):\n"
    "  debtrank         DebtRank of Bardoscia et al. (2015): the focus starts\n"
    "                   at relative equity loss SHORTFALL; every increase of a\n"
    "                   company's distress passes on to those exposed to it,\n"
    "                   in proportion to exposure over their equity.\n"
    "  debtrank-single  the single-pass DebtRank of Battiston et al. (2012):\n"
    "                   each company passes its distress on once.\n"
    "  clearing         Eisenberg-Noe clearing (2001): every leg is an\n"
    "                   obligation due now; each company pays from its `cash`\n"
    "                   plus what it receives, pro rata when short; the\n"
    "                   focus's cash is cut by SHORTFALL (0 clears the network\n"
    "                   as it stands).\n"
    "Companies without `equity` (or, for clearing, `cash`) are named in a\n"
    "warning and left out, never counted as zero. See docs/methods.md.\n"
    "\n"
    "  --model MODEL           debtrank (default), debtrank-single, clearing\n"
    "  --shortfall F           the share of what the focus owes that goes\n"
    "                          unpaid, from 0 to 1 (default 1: it pays\n"
    "                          nothing)\n"
    "  --focus NAME            the focal company (default: the ledger's\n"
    "                          `focus` attribute)\n"
    "  --top N                 show only the first N rows: the focus and\n"
    "                          the N-1 companies that lose most\n"
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
    "The focus comes first, then the companies by relative loss (clearing:\n"
    "by loss), largest first; unknown values last; ties by name.\n"
    "\n"
    "Exit codes: 0 success, 2 bad usage, unreadable or invalid input, or\n"
    "inputs the model cannot use (no equity anywhere; clearing with a focus\n"
    "without cash).\n";

/* ---- sorting --------------------------------------------------------------------- */

static const dg_ledger *sort_ledger;
static bool sort_clearing;
static size_t sort_focus;

/* Larger first, NaN last; 0 when equal or both NaN. */
static int desc(double u, double v)
{
    bool hu = dg_has(u), hv = dg_has(v);
    if (hu != hv)
        return hu ? -1 : 1;
    if (hu && u != v)
        return u > v ? -1 : 1;
    return 0;
}

static int compare_rows(const void *a, const void *b)
{
    const dg_stress_row *x = *(const dg_stress_row *const *)a;
    const dg_stress_row *y = *(const dg_stress_row *const *)b;
    if ((x->company == sort_focus) != (y->company == sort_focus))
        return x->company == sort_focus ? -1 : 1; /* the focus first */
    int c = sort_clearing ? desc(x->loss, y->loss)
                          : desc(x->relative_loss, y->relative_loss);
    if (!c)
        c = sort_clearing ? desc(x->relative_loss, y->relative_loss)
                          : desc(x->loss, y->loss);
    if (!c)
        c = strcmp(sort_ledger->companies[x->company].name,
                   sort_ledger->companies[y->company].name);
    return c;
}

/* ---- the table ------------------------------------------------------------------- */

enum { D_NAME, D_EQUITY, D_CLAIMS, D_REL, D_LOSS, D_DEFAULT, D_NCOLS };
enum {
    K_NAME, K_CASH, K_OWES, K_PAYS, K_PAID, K_CLAIMS, K_LOSS, K_REL,
    K_EQUITY, K_DEFAULT, K_NCOLS
};

typedef struct columns {
    cli_column col[K_NCOLS];
    size_t n;
    char claims[96];
} columns;

static void columns_init(columns *c, const char *focus, bool clearing)
{
    static const cli_column debtrank[D_NCOLS] = {
        {"name", "company"},
        {"equity", "equity"},
        {"claims_on_focus", NULL},
        {"relative_loss", "relative loss"},
        {"loss", "loss"},
        {"defaulted", "defaulted"},
    };
    static const cli_column clear[K_NCOLS] = {
        {"name", "company"},
        {"cash", "cash"},
        {"obligation", "owes"},
        {"payment", "pays"},
        {"paid_share", "paid"},
        {"claims_on_focus", NULL},
        {"loss", "unpaid to it"},
        {"relative_loss", "of equity"},
        {"equity", "equity after"},
        {"defaulted", "defaulted"},
    };
    if (clearing) {
        memcpy(c->col, clear, sizeof clear);
        c->n = K_NCOLS;
        snprintf(c->claims, sizeof c->claims, "owed by %s", focus);
        c->col[K_CLAIMS].title = c->claims;
    } else {
        memcpy(c->col, debtrank, sizeof debtrank);
        c->n = D_NCOLS;
        snprintf(c->claims, sizeof c->claims, "claims on %s", focus);
        c->col[D_CLAIMS].title = c->claims;
    }
}

static void defaulted_cell(cli_table *t, size_t col, const dg_stress_row *r)
{
    if (r->defaulted_known)
        cli_table_bool(t, col, r->defaulted);
    else
        cli_table_text(t, col, "n/a");
}

static void add_row(cli_table *t, const dg_ledger *l,
                    const dg_stress_result *s, const dg_stress_row *r,
                    bool machine)
{
    char name[160];
    const char *nm = l->companies[r->company].name;
    if (!machine && r->company == s->focus)
        snprintf(name, sizeof name, "%s (focus)", nm);
    else
        snprintf(name, sizeof name, "%s", nm);
    cli_table_row(t);
    if (s->model == DG_MODEL_CLEARING) {
        cli_table_text(t, K_NAME, name);
        if (dg_has(r->cash))
            cli_table_money(t, K_CASH, r->cash);
        else if (!machine)
            cli_table_text(t, K_CASH, "n/a");
        cli_table_money(t, K_OWES, r->obligation);
        cli_table_money(t, K_PAYS, r->payment);
        if (r->obligation > 0.0)
            cli_table_share(t, K_PAID, r->payment / r->obligation);
        if (dg_has(r->claims_on_focus))
            cli_table_money(t, K_CLAIMS, r->claims_on_focus);
        cli_table_money(t, K_LOSS, r->loss);
        cli_table_share(t, K_REL, r->relative_loss);
        if (dg_has(r->equity_after))
            cli_table_money(t, K_EQUITY, r->equity_after);
        else if (!machine)
            cli_table_text(t, K_EQUITY, "n/a");
        if (r->defaulted_known || !machine)
            defaulted_cell(t, K_DEFAULT, r);
        return;
    }
    cli_table_text(t, D_NAME, name);
    if (dg_has(r->equity))
        cli_table_money(t, D_EQUITY, r->equity);
    else if (!machine)
        cli_table_text(t, D_EQUITY, "n/a");
    if (dg_has(r->claims_on_focus))
        cli_table_money(t, D_CLAIMS, r->claims_on_focus);
    cli_table_share(t, D_REL, r->relative_loss);
    if (dg_has(r->loss))
        cli_table_money(t, D_LOSS, r->loss);
    else if (!machine)
        cli_table_text(t, D_LOSS, "n/a");
    if (r->defaulted_known || !machine)
        defaulted_cell(t, D_DEFAULT, r);
}

/* ---- JSON ------------------------------------------------------------------------ */

static json_t *num_or_null(double v)
{
    return dg_has(v) ? json_real(v) : json_null();
}

static json_t *row_json(const dg_ledger *l, const dg_stress_result *s,
                        const dg_stress_row *r)
{
    json_t *o = json_pack(
        "{s:s, s:o, s:o, s:o}", "name", l->companies[r->company].name, "loss",
        num_or_null(r->loss), "relative_loss", num_or_null(r->relative_loss),
        "defaulted",
        r->defaulted_known ? json_boolean(r->defaulted) : json_null());
    if (o && s->model == DG_MODEL_CLEARING) {
        json_t *more = json_pack("{s:o, s:o}", "payment",
                                 num_or_null(r->payment), "equity",
                                 num_or_null(r->equity_after));
        if (!more || json_object_update(o, more) != 0) {
            json_decref(o);
            o = NULL;
        }
        json_decref(more);
    }
    return o;
}

static json_t *stress_json(const dg_ledger *l, const dg_stress_result *s,
                           const dg_stress_row *const *rows, size_t n)
{
    json_t *doc = cli_json_document();
    json_t *arr = json_array();
    for (size_t k = 0; doc && arr && k < n; k++) {
        if (json_array_append_new(arr, row_json(l, s, rows[k])) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    if (!doc || !arr) {
        json_decref(arr);
        json_decref(doc);
        return NULL;
    }
    json_t *rest = json_pack(
        "{s:s, s:f, s:o, s:{s:o, s:o}}", "model",
        dg_stress_model_name(s->model), "shortfall", s->shortfall,
        "companies", arr, "system", "total_loss", num_or_null(s->total_loss),
        "debtrank", num_or_null(s->debtrank));
    if (!rest || json_object_update(doc, rest) != 0) {
        json_decref(rest);
        json_decref(doc);
        return NULL;
    }
    json_decref(rest);
    return doc;
}

/* ---- text and Markdown ---------------------------------------------------------- */

static void pct(char *buf, size_t n, double share)
{
    if (dg_has(share))
        snprintf(buf, n, "%.1f%%", share * 100.0);
    else
        snprintf(buf, n, "n/a");
}

static const char *model_title(dg_stress_model m)
{
    switch (m) {
    case DG_MODEL_DEBTRANK:
        return "DebtRank (Bardoscia et al. 2015): every increase in a "
               "company's distress passes on to those exposed to it, in "
               "proportion to exposure over their equity, round after round";
    case DG_MODEL_DEBTRANK_SINGLE:
        return "single-pass DebtRank (Battiston et al. 2012): each company "
               "passes its distress on once, so losses that come back round a "
               "loop are not passed on again";
    default:
        return "Eisenberg-Noe clearing (2001): every leg is an obligation due "
               "now; each company pays from its cash plus what it receives, "
               "pro rata when it falls short";
    }
}

/* The defaulted companies, "A, B and C", in name order. */
static void list_defaults(dg_buf *b, const dg_ledger *l,
                          const dg_stress_result *s)
{
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        const dg_stress_row *r = &s->rows[i];
        if (!(r->defaulted_known && r->defaulted))
            continue;
        if (k)
            dg_buf_puts(b, k + 1 == s->defaults ? " and " : ", ");
        dg_buf_puts(b, l->companies[r->company].name);
        k++;
    }
}

/* A share for a sentence: "25%", "12.5%". */
static void pct_short(char *buf, size_t n, double share)
{
    double v = share * 100.0;
    if (v == floor(v))
        snprintf(buf, n, "%.0f%%", v);
    else
        snprintf(buf, n, "%.4g%%", v);
}

static bool stress_text(FILE *out, const dg_ledger *l,
                        const dg_stress_result *s,
                        const dg_stress_row *const *rows, size_t nrows,
                        const cli_common *c)
{
    bool md = c->format == CLI_OUT_MD, clearing = s->model == DG_MODEL_CLEARING;
    const dg_company *fc = &l->companies[s->focus];
    const char *focus = fc->name;
    const char *ind = md ? "" : "  ", *br = md ? "  " : "";
    char a[32], b[32], p[32];

    pct_short(p, sizeof p, s->shortfall);
    fputs(md ? "## Stress test: " : "Stress test: ", out);
    if (!clearing)
        fprintf(out, "%s leaves %s of what it owes unpaid\n", focus, p);
    else if (s->shortfall > 0.0)
        fprintf(out, "%s's cash cut by %s, network cleared\n", focus, p);
    else
        fputs("the network cleared as it stands\n", out);
    if (md)
        fputc('\n', out);
    fprintf(out, "%s%s%s%s; amounts: %s%s\n", ind, l->path,
            l->title ? ": " : "", l->title ? l->title : "",
            dg_amounts_name(c->filter.amounts), br);
    if (clearing && s->shortfall == 0.0)
        fprintf(out, "%sshock: none (--shortfall 0): the network clears as it "
                "stands%s\n", ind, br);
    else if (clearing)
        fprintf(out, "%sshock: %s's cash is cut by %s, from %s to %s%s\n",
                ind, focus, p, dg_money_format(fc->cash, a, sizeof a),
                dg_money_format((1.0 - s->shortfall) * fc->cash, b, sizeof b),
                br);
    else
        fprintf(out, "%sshock: %s starts at a relative equity loss of %s%s\n",
                ind, focus, p, br);
    fprintf(out, "%s%zu legs pass the filters: %zu with a value, %zu "
            "undisclosed%s\n",
            ind, s->legs, s->valued, s->undisclosed, br);
    fputc('\n', out);
    cli_note(out, md, "Model: %s.", model_title(s->model));
    fputc('\n', out);

    columns cols;
    columns_init(&cols, focus, clearing);
    cli_table t;
    cli_table_init(&t, cols.col, cols.n);
    for (size_t k = 0; k < nrows; k++)
        add_row(&t, l, s, rows[k], false);
    bool ok = cli_table_write(&t, c->format, out);
    cli_table_finish(&t);
    if (nrows < s->n)
        fprintf(out, "%s(the focus and the %zu of %zu companies that lose "
                "most)\n",
                md ? "\n" : "", nrows - 1, s->n - 1);

    fputs(md ? "\n### System\n\n" : "\nSystem\n", out);
    if (clearing) {
        cli_note(out, md, "total unpaid obligations: %s",
                 dg_money_format(s->total_loss, a, sizeof a));
    } else {
        char q[32];
        pct(q, sizeof q,
            s->total_equity > 0.0 ? s->total_loss / s->total_equity : NAN);
        cli_note(out, md,
                 "total loss: %s of the %s of equity recorded (%s), %s's own "
                 "shock included",
                 dg_money_format(s->total_loss, a, sizeof a),
                 dg_money_format(s->total_equity, b, sizeof b), q, focus);
        cli_note(out, md,
                 "DebtRank R: %.4f, the share of all recorded equity "
                 "(weighted by equity) lost beyond the initial shock%s",
                 s->debtrank, s->lower_bound ? " (a lower bound)" : "");
    }
    if (s->defaults) {
        dg_buf names;
        dg_buf_init(&names);
        list_defaults(&names, l, s);
        cli_note(out, md,
                 "defaults: %zu (%s), %zu of them caused by the propagation",
                 s->defaults, names.data ? names.data : "",
                 s->further_defaults);
        if (names.oom)
            cli_out_of_memory();
        dg_buf_finish(&names);
    } else {
        cli_note(out, md, "defaults: none");
    }

    fputs(md ? "\n### Notes\n\n" : "\nNotes\n", out);
    if (clearing) {
        cli_note(out, md,
                 "\"owes\": the sum of its legs, all treated as due now; "
                 "\"pays\": what it can pay from its cash plus what it "
                 "receives; \"owed by %s\": its claims on %s; \"unpaid to "
                 "it\": what its debtors owe it and do not pay (its loss); "
                 "\"of equity\": that loss over its equity, capped at 100%%; "
                 "\"equity after\": cash plus receipts minus obligations.",
                 focus, focus);
        cli_note(out, md,
                 "Obligations are whole multi-year contracts and cash is one "
                 "balance-sheet figure, so companies can default even at "
                 "--shortfall 0: read the result as commitments against cash "
                 "in hand, not as a forecast.");
    } else {
        cli_note(out, md,
                 "\"claims on %s\": what a company loses outright if %s "
                 "fails: the legs from %s to it plus its equity stakes and "
                 "loans in %s. \"relative loss\": the share of its equity "
                 "lost; 100%% is a default.",
                 focus, focus, focus, focus);
        size_t basis[3] = {0, 0, 0};
        for (size_t i = 0; i < s->n; i++) {
            const dg_company *co = &l->companies[s->rows[i].company];
            if (!s->rows[i].included || !co->equity_basis)
                continue;
            basis[strcmp(co->equity_basis, "book") == 0     ? 0
                  : strcmp(co->equity_basis, "market") == 0 ? 1
                                                            : 2]++;
        }
        if (basis[1] || basis[2])
            cli_note(out, md,
                     "Equity is book value for %zu companies, market "
                     "capitalisation for %zu and a private-round valuation "
                     "for %zu: market values are far above the book capital "
                     "that absorbs losses, so those companies look sturdier "
                     "than they are.",
                     basis[0], basis[1], basis[2]);
    }
    if (s->excluded)
        cli_note(out, md,
                 "%zu companies have no %s figure: n/a above, unknown and not "
                 "zero (named in the warning on standard error).",
                 s->excluded, clearing ? "cash" : "equity");
    if (s->undisclosed && c->filter.amounts == DG_AMOUNTS_DISCLOSED)
        cli_note(out, md,
                 "%zu legs have no disclosed value and carry no exposure "
                 "here (--amounts low|mid|high fills those with estimates "
                 "where a range is given).",
                 s->undisclosed);
    else if (s->undisclosed)
        cli_note(out, md,
                 "%zu legs have neither a disclosed value nor an estimate "
                 "range and carry no exposure here.",
                 s->undisclosed);
    if (s->filtered)
        cli_note(out, md, "%zu legs are left out by the filters.",
                 s->filtered);
    cli_note(out, md,
             "Amounts over different horizons are added as given and \"up "
             "to\" ceilings count in full; see docs/methods.md.");
    return ok;
}

/* ---- the command -------------------------------------------------------------- */

/* A fraction in [0, 1], written as a plain decimal number. */
static int parse_shortfall(const char *arg, double *out)
{
    const char *p = arg;
    if (*p == '+' || *p == '-')
        p++;
    if (!isdigit((unsigned char)*p) && *p != '.') {
        cli_error("stress: --shortfall '%s' is not a number; give the share "
                  "of what the focus owes that goes unpaid, from 0 to 1 "
                  "(0.25 for 25%%)",
                  arg);
        return -1;
    }
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (end == arg || *end || errno == ERANGE || !isfinite(v) ||
        strpbrk(arg, "xX")) {
        cli_error("stress: --shortfall '%s' is not a number; give the share "
                  "of what the focus owes that goes unpaid, from 0 to 1 "
                  "(0.25 for 25%%)",
                  arg);
        return -1;
    }
    if (!(v >= 0.0 && v <= 1.0)) {
        cli_error("stress: --shortfall %s is outside 0 to 1; give the share "
                  "of what the focus owes that goes unpaid (0.25 for 25%%)",
                  arg);
        return -1;
    }
    *out = v == 0.0 ? 0.0 : v; /* no negative zero in the output */
    return 0;
}

/* Runs the stress model on `l` and writes the result in c->format to
 * `out`, or, when `json` is not NULL, returns the JSON document there.
 * Errors and warnings are printed; returns false after an error. */
static bool stress_run_cli(const dg_ledger *l, const cli_common *c,
                           dg_stress_options *so, const char *focus_name,
                           size_t top, FILE *out, json_t **json)
{
    bool ok = false;
    dg_diags diags;
    dg_diags_init(&diags);
    dg_stress_result s;
    memset(&s, 0, sizeof s);
    const dg_stress_row **rows = NULL;
    int rc = dg_focus_resolve(l, focus_name, "stress", &so->focus, &diags);
    if (rc == DG_OK)
        rc = dg_stress_run(l, so, &s, &diags);
    /* Errors first (the first line says what went wrong), then warnings. */
    size_t errors = 0;
    for (size_t i = 0; i < diags.count; i++)
        if (diags.items[i].severity == DG_SEV_ERROR && ++errors)
            cli_print_diag(&diags.items[i]);
    if (rc != DG_OK) {
        if (!errors)
            cli_error("stress: %s: %s", l->path, dg_strerror(rc));
        goto done;
    }
    for (size_t i = 0; i < diags.count; i++)
        if (diags.items[i].severity == DG_SEV_WARNING)
            cli_error("warning: %s", diags.items[i].message);

    rows = malloc((s.n ? s.n : 1) * sizeof *rows);
    if (!rows) {
        cli_error("stress: out of memory");
        goto done;
    }
    for (size_t k = 0; k < s.n; k++)
        rows[k] = &s.rows[k];
    sort_ledger = l;
    sort_clearing = s.model == DG_MODEL_CLEARING;
    sort_focus = s.focus;
    if (s.n > 1)
        qsort(rows, s.n, sizeof *rows, compare_rows);
    sort_ledger = NULL;
    size_t nrows = top && top < s.n ? top : s.n;
    if (json) {
        *json = stress_json(l, &s, rows, nrows);
        ok = *json != NULL;
        if (!ok)
            cli_out_of_memory();
    } else if (c->format == CLI_OUT_JSON) {
        json_t *doc = stress_json(l, &s, rows, nrows);
        ok = cli_json_write(doc, out);
        json_decref(doc);
    } else if (c->format == CLI_OUT_CSV) {
        columns cols;
        columns_init(&cols, l->companies[s.focus].name,
                     s.model == DG_MODEL_CLEARING);
        cli_table t;
        cli_table_init(&t, cols.col, cols.n);
        for (size_t k = 0; k < nrows; k++)
            add_row(&t, l, &s, rows[k], true);
        ok = cli_table_write(&t, CLI_OUT_CSV, out);
        cli_table_finish(&t);
    } else {
        ok = stress_text(out, l, &s, rows, nrows, c);
    }
done:
    free(rows);
    dg_stress_result_finish(&s);
    dg_diags_finish(&diags);
    return ok;
}

bool report_stress(const dg_ledger *l, const cli_common *c, FILE *out,
                   json_t **json)
{
    dg_stress_options so;
    dg_stress_options_init(&so);
    so.filter = c->filter;
    return stress_run_cli(l, c, &so, NULL, 0, out, json);
}

int cmd_stress(int argc, char **argv)
{
    static const struct option options[] = {
        CLI_COMMON_OPTIONS,
        {"focus", required_argument, NULL, 0x201},
        {"model", required_argument, NULL, 0x202},
        {"shortfall", required_argument, NULL, 0x203},
        {"top", required_argument, NULL, 0x204},
        {NULL, 0, NULL, 0},
    };
    cli_common c;
    cli_common_init(&c, (1u << CLI_OUT_TEXT) | (1u << CLI_OUT_MD) |
                            (1u << CLI_OUT_JSON) | (1u << CLI_OUT_CSV));
    dg_stress_options so;
    dg_stress_options_init(&so);
    const char *focus_name = NULL;
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
            return cli_bad_option("stress", argv);
        case 0x201:
            focus_name = optarg;
            continue;
        case 0x202:
            if (!dg_stress_model_parse(optarg, &so.model)) {
                cli_error("stress: unknown model '%s' for --model; use "
                          "debtrank, debtrank-single or clearing",
                          optarg);
                return EXIT_TROUBLE;
            }
            continue;
        case 0x203:
            if (parse_shortfall(optarg, &so.shortfall) != 0)
                return EXIT_TROUBLE;
            continue;
        case 0x204: {
            char *end;
            errno = 0;
            long long v = strtoll(optarg, &end, 10);
            if (end == optarg || *end || errno || v < 1 ||
                !isdigit((unsigned char)optarg[0])) {
                cli_error("stress: --top '%s' is not a whole number of at "
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
        int r = cli_common_option(&c, "stress", opt, optarg);
        if (r < 0)
            return EXIT_TROUBLE;
        if (r == 0)
            return cli_bad_option("stress", argv);
    }
    dg_ledger *l = cli_load_one(&c, "stress", "FILE", argc, argv);
    if (!l)
        return EXIT_TROUBLE;

    so.filter = c.filter;
    cli_output out;
    int code = EXIT_TROUBLE;
    if (cli_output_open_as(&out, &c)) {
        bool ok = stress_run_cli(l, &c, &so, focus_name, top, out.f, NULL);
        if (cli_output_close(&out, ok) && ok)
            code = EXIT_OK;
    }
    dg_ledger_destroy(l);
    return code;
}
