/*
 * cmd_stress.c - dealgraph stress: what the other companies lose when the
 * focal company cannot pay. DebtRank (Bardoscia et al. 2015, or the
 * single-pass form of Battiston et al. 2012) or Eisenberg–Noe clearing.
 * Ledger mapping and limits: docs/methods.md §4-§6.
 */
#include "cli.h"
#include "dealgraph/stressrun.h"
#include "dealgraph/text.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const char about[] =
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
    "The focus comes first, then the companies by relative loss (clearing:\n"
    "by loss), largest first; unknown values last; ties by name.";

/* ---- options ------------------------------------------------------------- */

typedef struct stress_opts {
    dg_stress_model model;
    double shortfall;
    size_t top; /* 0: every company */
} stress_opts;

static void stress_defaults(void *opts)
{
    dg_stress_options so;
    dg_stress_options_init(&so);
    stress_opts *o = opts;
    o->model = so.model;
    o->shortfall = so.shortfall;
}

/* A model the library knows by name, or "CMD: unknown <what> 'X' for
 * --NAME; <how>". */
static bool parse_model(const char *cmd, const cli_option *o, const char *arg,
                        void *dst)
{
    if (dg_stress_model_parse(arg, dst))
        return true;
    cli_error("%s: unknown %s '%s' for --%s; %s", cmd, o->value->what, arg,
              o->name, o->value->how);
    return false;
}

/* A fraction in [0, 1], written as a plain decimal number (no hexadecimal
 * float, no "nan"): two messages, one for text that is no number and one
 * for a number out of range, that the generic parsers do not give. */
static bool parse_shortfall(const char *cmd, const cli_option *o,
                            const char *arg, void *dst)
{
    const char *p = arg + (*arg == '+' || *arg == '-');
    char *end = NULL;
    double v = NAN;
    errno = 0;
    if (isdigit((unsigned char)*p) || *p == '.')
        v = strtod(arg, &end);
    if (!end || end == arg || *end || errno == ERANGE || !isfinite(v) ||
        strpbrk(arg, "xX")) {
        cli_error("%s: --%s '%s' is not a number; %s, from 0 to 1 (0.25 for "
                  "25%%)",
                  cmd, o->name, arg, o->value->how);
        return false;
    }
    if (!(v >= o->value->min && v <= o->value->max)) {
        cli_error("%s: --%s %s is outside 0 to 1; %s (0.25 for 25%%)", cmd,
                  o->name, arg, o->value->how);
        return false;
    }
    *(double *)dst = v == 0.0 ? 0.0 : v; /* no negative zero in the output */
    return true;
}

static const cli_value model_value = {
    .what = "model",
    .how = "use debtrank, debtrank-single or clearing",
};

static const cli_value shortfall_value = {
    .how = "give the share of what the focus owes that goes unpaid",
    .min = 0.0,
    .max = 1.0,
};

static const cli_value top_value = {
    .what = "a whole number of at least 1",
    .how = "give how many companies to show",
    .min = 1,
};

static const cli_option options[] = {
    {"model", 0, "MODEL", "debtrank (default), debtrank-single, clearing",
     parse_model, offsetof(stress_opts, model), &model_value},
    {"shortfall", 0, "F",
     "the share of what the focus owes that goes unpaid, from 0 to 1 "
     "(default 1: it pays nothing)",
     parse_shortfall, offsetof(stress_opts, shortfall), &shortfall_value},
    {"top", 0, "N",
     "show only the first N rows: the focus and the N-1 companies that lose "
     "most",
     cli_parse_count, offsetof(stress_opts, top), &top_value},
    {NULL, 0, NULL, NULL, NULL, 0, NULL},
};

/* ---- the order of the rows ----------------------------------------------- */

/* A row with what it is sorted by, so that the comparison needs nothing
 * else. */
typedef struct ranked {
    const dg_stress_row *row;
    const char *name;
    bool focus;
    double first, second; /* the keys, larger first; NaN last */
} ranked;

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

static int compare_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->focus != y->focus)
        return x->focus ? -1 : 1; /* the focus first */
    int c = desc(x->first, y->first);
    if (!c)
        c = desc(x->second, y->second);
    if (!c)
        c = strcmp(x->name, y->name);
    return c;
}

/* The rows of `s`, the focus first, then by relative loss and loss
 * (clearing: loss, then relative loss), then by name; malloc'd, or NULL. */
static ranked *rank_rows(const dg_ledger *l, const dg_stress_result *s)
{
    ranked *rows = malloc((s->n ? s->n : 1) * sizeof *rows);
    if (!rows)
        return NULL;
    bool clearing = s->model == DG_MODEL_CLEARING;
    for (size_t k = 0; k < s->n; k++) {
        const dg_stress_row *r = &s->rows[k];
        rows[k] = (ranked){r, l->companies[r->company].name,
                           r->company == s->focus,
                           clearing ? r->loss : r->relative_loss,
                           clearing ? r->relative_loss : r->loss};
    }
    qsort(rows, s->n, sizeof *rows, compare_ranked);
    return rows;
}

/* ---- the table ----------------------------------------------------------- */

enum { D_NAME, D_EQUITY, D_CLAIMS, D_REL, D_LOSS, D_DEFAULT, D_NCOLS };
enum {
    K_NAME, K_CASH, K_OWES, K_PAYS, K_PAID, K_CLAIMS, K_LOSS, K_REL,
    K_EQUITY, K_DEFAULT, K_NCOLS
};

static const cli_column debtrank_columns[D_NCOLS] = {
    {"name", "company"},
    {"equity", "equity"},
    {"claims_on_focus", "claims on the focus"}, /* titled in add_table */
    {"relative_loss", "relative loss"},
    {"loss", "loss"},
    {"defaulted", "defaulted"},
};

static const cli_column clearing_columns[K_NCOLS] = {
    {"name", "company"},
    {"cash", "cash"},
    {"obligation", "owes"},
    {"payment", "pays"},
    {"paid_share", "paid"},
    {"claims_on_focus", "claims on the focus"}, /* titled in add_table */
    {"loss", "unpaid to it"},
    {"relative_loss", "of equity"},
    {"equity", "equity after"},
    {"defaulted", "defaulted"},
};

static void defaulted_cell(cli_table *t, size_t col, const dg_stress_row *r)
{
    if (r->defaulted_known)
        cli_table_bool(t, col, r->defaulted);
    else
        cli_table_text(t, col, "n/a");
}

static void add_row(cli_table *t, const dg_stress_result *s, const ranked *x,
                    bool machine)
{
    const dg_stress_row *r = x->row;
    char name[160];
    if (!machine && x->focus)
        snprintf(name, sizeof name, "%s (focus)", x->name);
    else
        snprintf(name, sizeof name, "%s", x->name);
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

/* The rows as a table for people (text, Markdown) or for CSV. */
static void add_table(cli_doc *d, const dg_ledger *l, const dg_stress_result *s,
                      const ranked *rows, size_t nrows, unsigned formats)
{
    bool clearing = s->model == DG_MODEL_CLEARING;
    cli_table t;
    cli_table_init(&t, clearing ? clearing_columns : debtrank_columns,
                   clearing ? K_NCOLS : D_NCOLS);
    char title[160];
    snprintf(title, sizeof title, clearing ? "owed by %s" : "claims on %s",
             l->companies[s->focus].name);
    cli_table_title(&t, clearing ? K_CLAIMS : D_CLAIMS, title);
    for (size_t k = 0; k < nrows; k++)
        add_row(&t, s, &rows[k], formats == DOC_CSV);
    doc_table(d, &t, formats);
}

/* ---- JSON ---------------------------------------------------------------- */

static json_t *num_or_null(double v)
{
    return dg_has(v) ? json_real(v) : json_null();
}

static json_t *row_json(const dg_stress_result *s, const ranked *x)
{
    const dg_stress_row *r = x->row;
    json_t *o = json_pack(
        "{s:s, s:o, s:o, s:o}", "name", x->name, "loss", num_or_null(r->loss),
        "relative_loss", num_or_null(r->relative_loss), "defaulted",
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

static json_t *stress_json(const dg_stress_result *s, const ranked *rows,
                           size_t n)
{
    json_t *doc = cli_json_document();
    json_t *arr = json_array();
    for (size_t k = 0; doc && arr && k < n; k++) {
        if (json_array_append_new(arr, row_json(s, &rows[k])) != 0) {
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

/* ---- the document -------------------------------------------------------- */

static void pct(char *buf, size_t n, double share)
{
    if (dg_has(share))
        snprintf(buf, n, "%.1f%%", share * 100.0);
    else
        snprintf(buf, n, "n/a");
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

/* The title and the lines under it: the ledger, the shock, the legs. */
static void lede(cli_doc *d, const dg_ledger *l, const dg_stress_result *s,
                 const cli_common *c)
{
    const dg_company *fc = &l->companies[s->focus];
    char a[32], b[32], p[32];
    pct_short(p, sizeof p, s->shortfall);
    if (s->model != DG_MODEL_CLEARING)
        doc_heading(d, 2, "Stress test: %s leaves %s of what it owes unpaid",
                    fc->name, p);
    else if (s->shortfall > 0.0)
        doc_heading(d, 2, "Stress test: %s's cash cut by %s, network cleared",
                    fc->name, p);
    else
        doc_heading(d, 2, "Stress test: the network cleared as it stands");
    doc_line(d, "%s%s%s; amounts: %s", l->path, l->title ? ": " : "",
             l->title ? l->title : "", dg_amounts_name(c->filter.amounts));
    if (s->model == DG_MODEL_CLEARING && s->shortfall == 0.0)
        doc_line(d, "shock: none (--shortfall 0): the network clears as it "
                    "stands");
    else if (s->model == DG_MODEL_CLEARING)
        doc_line(d, "shock: %s's cash is cut by %s, from %s to %s", fc->name,
                 p, dg_money_format(fc->cash, a, sizeof a),
                 dg_money_format((1.0 - s->shortfall) * fc->cash, b,
                                 sizeof b));
    else
        doc_line(d, "shock: %s starts at a relative equity loss of %s",
                 fc->name, p);
    doc_line(d, "%zu legs pass the filters: %zu with a value, %zu undisclosed",
             s->legs, s->valued, s->undisclosed);
    doc_note(d, "Model: %s.", model_title(s->model));
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

static void system_notes(cli_doc *d, const dg_ledger *l,
                         const dg_stress_result *s)
{
    const char *focus = l->companies[s->focus].name;
    char a[32], b[32];
    if (s->model == DG_MODEL_CLEARING) {
        doc_note(d, "total unpaid obligations: %s",
                 dg_money_format(s->total_loss, a, sizeof a));
    } else {
        char q[32];
        pct(q, sizeof q,
            s->total_equity > 0.0 ? s->total_loss / s->total_equity : NAN);
        doc_note(d,
                 "total loss: %s of the %s of equity recorded (%s), %s's own "
                 "shock included",
                 dg_money_format(s->total_loss, a, sizeof a),
                 dg_money_format(s->total_equity, b, sizeof b), q, focus);
        doc_note(d,
                 "DebtRank R: %.4f, the share of all recorded equity "
                 "(weighted by equity) lost beyond the initial shock%s",
                 s->debtrank, s->lower_bound ? " (a lower bound)" : "");
    }
    if (s->defaults) {
        dg_buf names;
        dg_buf_init(&names);
        list_defaults(&names, l, s);
        doc_note(d,
                 "defaults: %zu (%s), %zu of them caused by the propagation",
                 s->defaults, names.data ? names.data : "",
                 s->further_defaults);
        if (names.oom)
            d->oom = true;
        dg_buf_finish(&names);
    } else {
        doc_note(d, "defaults: none");
    }
}

/* How many companies of `s` value their equity at book (0), market (1)
 * or a private round (2). */
static void equity_bases(const dg_ledger *l, const dg_stress_result *s,
                         size_t basis[3])
{
    basis[0] = basis[1] = basis[2] = 0;
    for (size_t i = 0; i < s->n; i++) {
        const dg_company *co = &l->companies[s->rows[i].company];
        if (!s->rows[i].included || !co->equity_basis)
            continue;
        basis[strcmp(co->equity_basis, "book") == 0     ? 0
              : strcmp(co->equity_basis, "market") == 0 ? 1
                                                        : 2]++;
    }
}

static void method_notes(cli_doc *d, const dg_ledger *l,
                         const dg_stress_result *s, const cli_common *c)
{
    const char *focus = l->companies[s->focus].name;
    bool clearing = s->model == DG_MODEL_CLEARING;
    if (clearing) {
        doc_note(d,
                 "\"owes\": the sum of its legs, all treated as due now; "
                 "\"pays\": what it can pay from its cash plus what it "
                 "receives; \"owed by %s\": its claims on %s; \"unpaid to "
                 "it\": what its debtors owe it and do not pay (its loss); "
                 "\"of equity\": that loss over its equity, capped at 100%%; "
                 "\"equity after\": cash plus receipts minus obligations.",
                 focus, focus);
        doc_note(d, "Obligations are whole multi-year contracts and cash is "
                    "one balance-sheet figure, so companies can default even "
                    "at --shortfall 0: read the result as commitments "
                    "against cash in hand, not as a forecast.");
    } else {
        doc_note(d,
                 "\"claims on %s\": what a company loses outright if %s "
                 "fails: the legs from %s to it plus its equity stakes and "
                 "loans in %s. \"relative loss\": the share of its equity "
                 "lost; 100%% is a default.",
                 focus, focus, focus, focus);
        size_t basis[3];
        equity_bases(l, s, basis);
        if (basis[1] || basis[2])
            doc_note(d,
                     "Equity is book value for %zu companies, market "
                     "capitalisation for %zu and a private-round valuation "
                     "for %zu: market values are far above the book capital "
                     "that absorbs losses, so those companies look sturdier "
                     "than they are.",
                     basis[0], basis[1], basis[2]);
    }
    if (s->excluded)
        doc_note(d,
                 "%zu companies have no %s figure: n/a above, unknown and not "
                 "zero (named in the warning on standard error).",
                 s->excluded, clearing ? "cash" : "equity");
    if (s->undisclosed && c->filter.amounts == DG_AMOUNTS_DISCLOSED)
        doc_note(d,
                 "%zu legs have no disclosed value and carry no exposure "
                 "here (--amounts low|mid|high fills those with estimates "
                 "where a range is given).",
                 s->undisclosed);
    else if (s->undisclosed)
        doc_note(d,
                 "%zu legs have neither a disclosed value nor an estimate "
                 "range and carry no exposure here.",
                 s->undisclosed);
    if (s->filtered)
        doc_note(d, "%zu legs are left out by the filters.", s->filtered);
    doc_note(d, "Amounts over different horizons are added as given and "
                "\"up to\" ceilings count in full; see docs/methods.md.");
}

/* For people: the lede, the table, the system figures and the notes; for
 * CSV the table alone. */
static void stress_document(cli_doc *d, const dg_ledger *l,
                            const dg_stress_result *s, const ranked *rows,
                            size_t nrows, const cli_common *c)
{
    lede(d, l, s, c);
    add_table(d, l, s, rows, nrows, DOC_HUMAN);
    add_table(d, l, s, rows, nrows, DOC_CSV);
    if (nrows < s->n)
        doc_para(d, "(the focus and the %zu of %zu companies that lose most)",
                 nrows - 1, s->n - 1);
    doc_heading(d, 3, "System");
    system_notes(d, l, s);
    doc_heading(d, 3, "Notes");
    method_notes(d, l, s, c);
}

/* Prints the analysis's errors (the first line says what went wrong), or
 * its code when none says why; on success its warnings. A focus without
 * cash under clearing also has a fix on the command line, added to the
 * library's words. */
static void print_diags(const dg_ledger *l, const dg_stress_options *so,
                        const dg_diags *diags, int rc)
{
    bool no_cash = rc == DG_EINPUT && so->model == DG_MODEL_CLEARING &&
                   !dg_has(l->companies[so->focus].cash);
    size_t errors = 0;
    for (size_t i = 0; i < diags->count; i++) {
        dg_diag g = diags->items[i];
        if (g.severity != DG_SEV_ERROR)
            continue;
        dg_buf m;
        dg_buf_init(&m);
        if (no_cash) {
            dg_buf_printf(&m, "%s or use --model debtrank", g.message);
            g.message = m.data;
        }
        if (m.oom)
            cli_out_of_memory();
        else
            cli_print_diag(&g);
        dg_buf_finish(&m);
        errors++;
    }
    if (rc != DG_OK && !errors)
        cli_error("stress: %s: %s", l->path, dg_strerror(rc));
    for (size_t i = 0; rc == DG_OK && i < diags->count; i++)
        if (diags->items[i].severity == DG_SEV_WARNING)
            cli_error("warning: %s", diags->items[i].message);
}

static int stress_build(cli_doc *d, const dg_ledger *l, const cli_common *c,
                        const void *opts)
{
    const stress_opts *o = opts;
    dg_stress_options so;
    dg_stress_options_init(&so);
    so.filter = c->filter;
    so.model = o->model;
    so.shortfall = o->shortfall;
    if (!cli_focus(l, c, "stress", &so.focus))
        return EXIT_TROUBLE;
    dg_diags diags;
    dg_diags_init(&diags);
    dg_stress_result s;
    int rc = dg_stress_run(l, &so, &s, &diags);
    print_diags(l, &so, &diags, rc);
    dg_diags_finish(&diags);
    if (rc != DG_OK)
        return EXIT_TROUBLE;
    int code = EXIT_OK;
    ranked *rows = rank_rows(l, &s);
    if (!rows) {
        cli_error("stress: out of memory");
        code = EXIT_TROUBLE;
    } else {
        size_t nrows = o->top && o->top < s.n ? o->top : s.n;
        if (c->format == CLI_OUT_JSON)
            doc_json(d, stress_json(&s, rows, nrows));
        stress_document(d, l, &s, rows, nrows, c);
    }
    free(rows);
    dg_stress_result_finish(&s);
    return code;
}

const cli_command cli_cmd_stress = {
    .name = "stress",
    .summary = "losses when the focal company cannot pay",
    .usage = "[OPTIONS] FILE",
    .about = about,
    .exits = "Exit codes: 0 success, 2 bad usage, unreadable or invalid "
             "input, or\ninputs the model cannot use (no equity anywhere; "
             "clearing with a focus\nwithout cash).",
    .formats = DOC_TEXT | DOC_MD | DOC_JSON | DOC_CSV,
    .shared = CLI_SHARE_ANALYSIS | CLI_SHARE_FOCUS,
    .options = options,
    .opts_size = sizeof(stress_opts),
    .defaults = stress_defaults,
    .build = stress_build,
};

