/*
 * exposure_year.c - the document of `dealgraph exposure --basis year`
 * (exposure_year.h). Definitions: docs/methods.md section 10.
 *
 * A figure is printed with what it rests on: "n/a" with its reason in the
 * row (a revenue basis column) or in a note naming the company; ">=" before
 * a floor (money left out of what the figure counts), "<=" before an upper
 * bound, "~" when money is left out on both sides; the balancing
 * assumption only ever in the column named "ledger share (balancing)" and
 * in the network's "outside inflow from" column.
 */
#include "exposure_year.h"
#include "dealgraph/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- figures as text --------------------------------------------------------- */

static const char *bound_prefix(dg_bound b)
{
    return b == DG_BOUND_FLOOR     ? ">="
           : b == DG_BOUND_CEILING ? "<="
           : b == DG_BOUND_EITHER  ? "~"
                                   : "";
}

static void share_text(char *buf, size_t n, const dg_figure *f)
{
    if (dg_has(f->value))
        snprintf(buf, n, "%s%.1f%%", bound_prefix(f->bound), f->value * 100);
    else
        snprintf(buf, n, "n/a");
}

static void money_text(char *buf, size_t n, const dg_figure *f)
{
    char m[32];
    if (dg_has(f->value))
        snprintf(buf, n, "%s%s", bound_prefix(f->bound),
                 dg_money_format(f->value, m, sizeof m));
    else
        snprintf(buf, n, "n/a");
}

/* What money a sum could not place: "1 undisclosed leg, $250B without a
 * delivery period and 2 per-period legs with no term". */
static void left_text(dg_buf *b, const dg_left_out *o)
{
    char m[32];
    const char *part[3];
    char buf[3][96];
    size_t k = 0;
    if (o->undisclosed) {
        snprintf(buf[k], sizeof buf[k], "%zu undisclosed leg%s",
                 o->undisclosed, o->undisclosed == 1 ? "" : "s");
        part[k] = buf[k];
        k++;
    }
    if (o->unscheduled) {
        snprintf(buf[k], sizeof buf[k], "%s without a delivery period",
                 dg_money_format(o->unscheduled_amount, m, sizeof m));
        part[k] = buf[k];
        k++;
    }
    if (o->term_unknown) {
        snprintf(buf[k], sizeof buf[k],
                 "%zu per-period leg%s with no term (first twelve months "
                 "only)",
                 o->term_unknown, o->term_unknown == 1 ? "" : "s");
        part[k] = buf[k];
        k++;
    }
    for (size_t i = 0; i < k; i++) {
        if (i)
            dg_buf_puts(b, i + 1 == k ? " and " : ", ");
        dg_buf_puts(b, part[i]);
    }
}

static bool any_left(const dg_left_out *o)
{
    return o->undisclosed || o->unscheduled || o->term_unknown;
}

/* "actual", "guidance", "estimate", or why there is no figure. */
static const char *basis_text(double revenue, dg_basis b)
{
    return dg_has(revenue) ? dg_basis_name(b) : "no revenue figure";
}

/* Where a company's outside inflow in the network measures comes from. */
static const char *outside_from(const dg_yearly_row *r)
{
    if (r->outside_rests & DG_RESTS_BALANCING)
        return "balancing";
    if (r->outside_clamped)
        return "revenue < inflow";
    if (r->outside_rests & DG_RESTS_GUIDANCE)
        return "guidance";
    if (r->outside_rests & DG_RESTS_ESTIMATE)
        return "estimate";
    return "revenue";
}

static const char *name_of(const exposure_year_view *v, size_t company)
{
    return v->l->companies[company].name;
}

/* ---- the order of the companies ------------------------------------------------ */

typedef struct ranked {
    size_t k;    /* position in the year's rows */
    bool focus;
    double key;  /* dependence in the first year (NaN: n/a) */
    double paid;
    const char *name;
} ranked;

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
    if (x->paid != y->paid)
        return x->paid > y->paid ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* The positions of the rows in the order shown: the focus first, then by
 * revenue dependence (its largest over the years; largest first, n/a
 * last, then by what the focus pays in all, then by name), or by name. malloc'd; *count is n, or top. */
static size_t *row_order(const exposure_year_view *v, size_t *count)
{
    const dg_yearly *y = v->y;
    ranked *r = malloc((y->n ? y->n : 1) * sizeof *r);
    size_t *out = malloc((y->n ? y->n : 1) * sizeof *out);
    if (!r || !out) {
        free(r);
        free(out);
        return NULL;
    }
    for (size_t k = 0; k < y->n; k++) {
        const dg_yearly_row *row = &y->years[0].rows[k];
        /* over several years: the largest dependence, and all paid */
        double key = NAN, paid = 0.0;
        for (size_t yi = 0; yi < y->nyears && !v->by_name; yi++) {
            const dg_yearly_row *ry = &y->years[yi].rows[k];
            if (dg_has(ry->dependence.value) &&
                (!dg_has(key) || ry->dependence.value > key))
                key = ry->dependence.value;
            paid += ry->paid;
        }
        r[k] = (ranked){k, row->company == y->focus, key, paid,
                        name_of(v, row->company)};
    }
    qsort(r, y->n, sizeof *r, compare_ranked);
    for (size_t k = 0; k < y->n; k++)
        out[k] = r[k].k;
    free(r);
    *count = v->top && v->top < y->n ? v->top : y->n;
    return out;
}

/* ---- JSON ------------------------------------------------------------------------ */

static json_t *num(double v) { return dg_has(v) ? json_real(v) : json_null(); }

static json_t *figure_json(const dg_figure *f)
{
    json_t *rests = json_array();
    for (unsigned k = 0; rests && k < DG_RESTS_COUNT; k++)
        if (f->rests & (1u << k))
            json_array_append_new(rests, json_string(dg_rests_name(1u << k)));
    return json_pack("{s:o, s:o, s:s}", "value", num(f->value), "rests",
                     rests, "bound", dg_bound_name(f->bound));
}

static json_t *basis_json(double revenue, dg_basis b)
{
    return dg_has(revenue) ? json_string(dg_basis_name(b)) : json_null();
}

static json_t *row_json(const exposure_year_view *v, const dg_yearly_row *r)
{
    return json_pack(
        "{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:o, "
        "s:o}",
        "name", name_of(v, r->company), "paid", cli_json_money(r->paid),
        "revenue", cli_json_money(r->revenue), "revenue_basis",
        basis_json(r->revenue, r->revenue_basis), "dependence",
        figure_json(&r->dependence), "customer_10pct",
        dg_has(r->dependence.value) ? json_boolean(r->customer_10pct)
                                    : json_null(),
        "ledger_share", figure_json(&r->ledger_share), "throughflow",
        num(r->throughflow), "outside_inflow", num(r->outside_inflow),
        "outside_inflow_from", outside_from(r), "direct_inflow_share",
        num(r->direct_inflow_share), "pass_through_share",
        num(r->pass_through_share), "origin_share", num(r->origin_share),
        "inflow_hhi", num(r->inflow_hhi));
}

static json_t *year_json(const exposure_year_view *v, const dg_yearly_year *yy,
                         const size_t *order, size_t count)
{
    json_t *companies = json_array(), *suppliers = json_array();
    for (size_t k = 0; companies && k < count; k++)
        json_array_append_new(companies, row_json(v, &yy->rows[order[k]]));
    for (size_t k = 0; suppliers && k < yy->nsuppliers; k++) {
        const dg_yearly_supplier *s = &yy->suppliers[k];
        json_array_append_new(
            suppliers,
            json_pack("{s:s, s:o, s:o, s:o, s:o}", "supplier",
                      name_of(v, s->company), "financing",
                      cli_json_money(s->financing), "revenue",
                      cli_json_money(s->revenue), "revenue_basis",
                      basis_json(s->revenue, s->revenue_basis), "ratio",
                      figure_json(&s->ratio)));
    }
    const dg_yearly_focus *f = &yy->focus;
    return json_pack(
        "{s:i, s:o, s:{s:o, s:o, s:o, s:o, s:o, s:o, s:o}, s:o, s:{s:o, "
        "s:o, s:o, s:o}}",
        "year", yy->year, "companies", companies, "focus", "revenue",
        cli_json_money(f->revenue), "revenue_basis",
        basis_json(f->revenue, f->revenue_basis), "commitments",
        cli_json_money(f->commitments), "funding", cli_json_money(f->funding),
        "coverage", figure_json(&f->coverage), "gap", figure_json(&f->gap),
        "cumulative_gap", figure_json(&f->cumulative_gap), "vendor_financing",
        suppliers, "network", "tst", num(yy->tst), "fci", num(yy->fci),
        "focus_cycling_share", num(yy->focus_cycling_share), "error",
        yy->network_error ? json_string(yy->network_error) : json_null());
}

static json_t *yearly_json(const exposure_year_view *v, const size_t *order,
                           size_t count)
{
    const dg_yearly *y = v->y;
    json_t *doc = cli_json_document();
    json_t *years = json_array(), *backlog = json_array(),
           *pairs = json_array();
    for (size_t k = 0; years && k < y->nyears; k++)
        json_array_append_new(years, year_json(v, &y->years[k], order, count));
    for (size_t k = 0; backlog && k < y->nbacklog; k++) {
        const dg_yearly_backlog *b = &y->backlog[k];
        json_array_append_new(
            backlog,
            json_pack("{s:s, s:o, s:o, s:o, s:o, s:I, s:o}", "name",
                      name_of(v, b->company), "rpo", cli_json_money(b->rpo),
                      "rpo_as_of", cli_json_date(b->rpo_as_of), "scheduled",
                      cli_json_money(b->scheduled), "unscheduled",
                      cli_json_money(b->unscheduled), "legs",
                      (json_int_t)b->legs, "share", figure_json(&b->share)));
    }
    for (size_t k = 0; pairs && k < y->npairs; k++) {
        const dg_vendor_pair *p = &y->pairs[k];
        json_array_append_new(
            pairs, json_pack("{s:s, s:s, s:o, s:o, s:o}", "supplier",
                             name_of(v, p->supplier), "customer",
                             name_of(v, p->customer), "financing",
                             cli_json_money(p->financing), "purchases",
                             cli_json_money(p->purchases), "ratio",
                             figure_json(&p->ratio)));
    }
    json_t *rest = json_pack("{s:s, s:s, s:i, s:o, s:o, s:o}", "focus",
                             name_of(v, y->focus), "basis", "year",
                             "gap_from", y->gap_from, "years", years,
                             "backlog", backlog, "vendor_pairs", pairs);
    if (!doc || !rest || json_object_update(doc, rest) != 0) {
        json_decref(rest);
        json_decref(doc);
        return NULL;
    }
    json_decref(rest);
    return doc;
}

/* ---- CSV: one row per company and year ------------------------------------------ */

enum { K_YEAR, K_NAME, K_PAID, K_REVENUE, K_BASIS, K_DEP, K_DEP_BOUND, K_10,
       K_LEDGER, K_BACKLOG, K_THROUGH, K_OUTSIDE, K_OUTSIDE_FROM, K_DIRECT,
       K_PASS, K_ORIGIN, K_HHI, K_N };

static const cli_column csv_columns[K_N] = {
    {"year", "year"},
    {"name", "company"},
    {"paid", "paid"},
    {"revenue", "revenue"},
    {"revenue_basis", "basis"},
    {"dependence", "dependence"},
    {"dependence_bound", "bound"},
    {"customer_10pct", "10% customer"},
    {"ledger_share", "ledger share"},
    {"backlog_share", "backlog share"},
    {"throughflow", "throughflow"},
    {"outside_inflow", "outside inflow"},
    {"outside_inflow_from", "from"},
    {"direct_inflow_share", "from the focus"},
    {"pass_through_share", "via the focus"},
    {"origin_share", "origin at the focus"},
    {"inflow_hhi", "inflow HHI"},
};

static const dg_yearly_backlog *backlog_of(const dg_yearly *y, size_t company)
{
    for (size_t k = 0; k < y->nbacklog; k++)
        if (y->backlog[k].company == company)
            return &y->backlog[k];
    return NULL;
}

static void csv_table(cli_doc *d, const exposure_year_view *v,
                      const size_t *order, size_t count)
{
    cli_table t;
    cli_table_init(&t, csv_columns, K_N);
    for (size_t yi = 0; yi < v->y->nyears; yi++) {
        const dg_yearly_year *yy = &v->y->years[yi];
        for (size_t k = 0; k < count; k++) {
            const dg_yearly_row *r = &yy->rows[order[k]];
            const dg_yearly_backlog *b = backlog_of(v->y, r->company);
            bool focus = r->company == v->y->focus;
            cli_table_row(&t);
            cli_table_int(&t, K_YEAR, yy->year);
            cli_table_text(&t, K_NAME, name_of(v, r->company));
            cli_table_money(&t, K_PAID, r->paid);
            if (dg_has(r->revenue)) {
                cli_table_money(&t, K_REVENUE, r->revenue);
                cli_table_text(&t, K_BASIS, dg_basis_name(r->revenue_basis));
            }
            if (!focus) {
                cli_table_number(&t, K_DEP, r->dependence.value);
                if (dg_has(r->dependence.value))
                    cli_table_text(&t, K_DEP_BOUND,
                                   dg_bound_name(r->dependence.bound));
                if (dg_has(r->dependence.value))
                    cli_table_bool(&t, K_10, r->customer_10pct);
                cli_table_number(&t, K_LEDGER, r->ledger_share.value);
                cli_table_number(&t, K_BACKLOG, b ? b->share.value : NAN);
            }
            cli_table_money(&t, K_THROUGH, r->throughflow);
            cli_table_money(&t, K_OUTSIDE, r->outside_inflow);
            if (yy->network)
                cli_table_text(&t, K_OUTSIDE_FROM, outside_from(r));
            cli_table_number(&t, K_DIRECT, r->direct_inflow_share);
            cli_table_number(&t, K_PASS, r->pass_through_share);
            cli_table_number(&t, K_ORIGIN, r->origin_share);
            cli_table_number(&t, K_HHI, r->inflow_hhi);
        }
    }
    doc_table(d, &t, DOC_CSV);
}

/* ---- the tables people read ------------------------------------------------------- */

/* One year: dependence, backlog and ledger share of every company. */
static void dependence_table(cli_doc *d, const exposure_year_view *v,
                             const dg_yearly_year *yy, const size_t *order,
                             size_t count, const char *focus)
{
    static const cli_column cols[] = {
        {"name", "company"},         {"paid", "paid by the focus"},
        {"revenue", "revenue"},      {"basis", "basis"},
        {"dependence", "dependence"}, {"customer_10pct", "10% customer"},
        {"backlog", "backlog share"},
        {"ledger_share", "ledger share (balancing)"},
    };
    cli_table t;
    cli_table_init(&t, cols, 8);
    char title[160], buf[64];
    snprintf(title, sizeof title, "paid by %s", focus);
    cli_table_title(&t, 1, title);
    for (size_t k = 0; k < count; k++) {
        const dg_yearly_row *r = &yy->rows[order[k]];
        if (r->company == v->y->focus)
            continue;
        const dg_yearly_backlog *b = backlog_of(v->y, r->company);
        cli_table_row(&t);
        cli_table_text(&t, 0, name_of(v, r->company));
        cli_table_money(&t, 1, r->paid);
        if (dg_has(r->revenue))
            cli_table_money(&t, 2, r->revenue);
        cli_table_text(&t, 3, basis_text(r->revenue, r->revenue_basis));
        share_text(buf, sizeof buf, &r->dependence);
        cli_table_text(&t, 4, buf);
        if (dg_has(r->dependence.value))
            cli_table_text(&t, 5, r->customer_10pct ? "yes" : "no");
        if (b) {
            share_text(buf, sizeof buf, &b->share);
            cli_table_text(&t, 6, buf);
        }
        share_text(buf, sizeof buf, &r->ledger_share);
        cli_table_text(&t, 7, buf);
    }
    doc_table(d, &t, DOC_HUMAN);
}

/* Several years: one column per year; `cell` writes a row's figure. */
typedef void cell_fn(char *buf, size_t n, const exposure_year_view *v,
                     const dg_yearly_year *yy, size_t k);

static cli_column *year_columns(const dg_yearly *y, const char *first,
                                char (*titles)[16])
{
    cli_column *cols = malloc((y->nyears + 1) * sizeof *cols);
    if (!cols)
        return NULL;
    cols[0] = (cli_column){"name", first};
    for (size_t k = 0; k < y->nyears; k++) {
        snprintf(titles[k], 16, "%d", y->years[k].year);
        cols[k + 1] = (cli_column){titles[k], titles[k]};
    }
    return cols;
}

static void dependence_cell(char *buf, size_t n, const exposure_year_view *v,
                            const dg_yearly_year *yy, size_t k)
{
    (void)v;
    share_text(buf, n, &yy->rows[k].dependence);
}

static void supplier_cell(char *buf, size_t n, const exposure_year_view *v,
                          const dg_yearly_year *yy, size_t k)
{
    (void)v;
    share_text(buf, n, &yy->suppliers[k].ratio);
}

/* A table of `count` rows named by `names`, one column per year. */
static void by_year_table(cli_doc *d, const exposure_year_view *v,
                          const char *first, const char *const *names,
                          const size_t *rows, size_t count, cell_fn *cell)
{
    const dg_yearly *y = v->y;
    char (*titles)[16] = malloc(y->nyears * sizeof *titles);
    cli_column *cols = titles ? year_columns(y, first, titles) : NULL;
    if (!cols) {
        free(titles);
        d->oom = true;
        return;
    }
    cli_table t;
    cli_table_init(&t, cols, y->nyears + 1);
    /* the titles live in `titles`: give the table its own copies */
    for (size_t c = 0; c <= y->nyears; c++)
        cli_table_title(&t, c, cols[c].title);
    char buf[64];
    for (size_t r = 0; r < count; r++) {
        cli_table_row(&t);
        cli_table_text(&t, 0, names[r]);
        for (size_t yi = 0; yi < y->nyears; yi++) {
            cell(buf, sizeof buf, v, &y->years[yi], rows[r]);
            cli_table_text(&t, yi + 1, buf);
        }
    }
    doc_table(d, &t, DOC_HUMAN);
    free(cols);
    free(titles);
}

/* The focus's figures, one row each, one column per year. */
enum { F_REVENUE, F_PAYMENTS, F_FUNDING, F_COVERAGE, F_GAP, F_CUMULATIVE,
       F_N };

static void focus_cell(char *buf, size_t n, const exposure_year_view *v,
                       const dg_yearly_year *yy, size_t k)
{
    (void)v;
    const dg_yearly_focus *f = &yy->focus;
    char m[32];
    switch (k) {
    case F_REVENUE:
        if (!dg_has(f->revenue))
            snprintf(buf, n, "n/a");
        else
            snprintf(buf, n, "%s%s",
                     dg_money_format(f->revenue, m, sizeof m),
                     f->revenue_basis == DG_BASIS_ACTUAL      ? ""
                     : f->revenue_basis == DG_BASIS_GUIDANCE ? " (guidance)"
                                                             : " (estimate)");
        break;
    case F_PAYMENTS:
        snprintf(buf, n, "%s%s",
                 any_left(&v->y->commitments_left_out) ? ">=" : "",
                 dg_money_format(f->commitments, m, sizeof m));
        break;
    case F_FUNDING:
        snprintf(buf, n, "%s%s",
                 any_left(&v->y->funding_left_out) ? ">=" : "",
                 dg_money_format(f->funding, m, sizeof m));
        break;
    case F_COVERAGE:
        share_text(buf, n, &f->coverage);
        break;
    case F_GAP:
        money_text(buf, n, &f->gap);
        break;
    default:
        money_text(buf, n, &f->cumulative_gap);
        break;
    }
}

static void network_cell(char *buf, size_t n, const exposure_year_view *v,
                         const dg_yearly_year *yy, size_t k)
{
    (void)v;
    double x = k == 0 ? yy->fci : yy->focus_cycling_share;
    if (dg_has(x))
        snprintf(buf, n, "%.1f%%", x * 100);
    else
        snprintf(buf, n, "n/a");
}

/* The backlog of each company with a backlog figure or legs counted. */
static void backlog_table(cli_doc *d, const exposure_year_view *v,
                          const char *focus)
{
    static const cli_column cols[] = {
        {"name", "company"},      {"rpo", "rpo"},
        {"rpo_as_of", "as of"},   {"scheduled", "to be paid after it"},
        {"unscheduled", "no period (whole)"}, {"share", "backlog share"},
    };
    const dg_yearly *y = v->y;
    size_t shown = 0, none = 0;
    cli_table t;
    cli_table_init(&t, cols, 6);
    char buf[64], date[16];
    for (size_t k = 0; k < y->nbacklog; k++) {
        const dg_yearly_backlog *b = &y->backlog[k];
        if (b->share.rests & DG_RESTS_NO_RPO) {
            none++;
            continue;
        }
        shown++;
        cli_table_row(&t);
        cli_table_text(&t, 0, name_of(v, b->company));
        cli_table_money(&t, 1, b->rpo);
        cli_table_text(&t, 2, dg_date_format(b->rpo_as_of, date, sizeof date));
        cli_table_money(&t, 3, b->scheduled);
        cli_table_money(&t, 4, b->unscheduled);
        share_text(buf, sizeof buf, &b->share);
        cli_table_text(&t, 5, buf);
    }
    if (shown)
        doc_table(d, &t, DOC_HUMAN);
    else
        cli_table_finish(&t);
    if (none)
        doc_para(d,
                 "%s%zu compan%s no rpo and rpo_as_of: %s backlog share "
                 "of %s is n/a.",
                 shown ? "The other " : "", none, none == 1 ? "y has" : "ies have",
                 none == 1 ? "its" : "their", focus);
}

static void pairs_table(cli_doc *d, const exposure_year_view *v)
{
    static const cli_column cols[] = {
        {"supplier", "supplier"}, {"customer", "customer"},
        {"financing", "financing"}, {"purchases", "purchases"},
        {"ratio", "financing / purchases"},
    };
    cli_table t;
    cli_table_init(&t, cols, 5);
    char buf[64];
    for (size_t k = 0; k < v->y->npairs; k++) {
        const dg_vendor_pair *p = &v->y->pairs[k];
        cli_table_row(&t);
        cli_table_text(&t, 0, name_of(v, p->supplier));
        cli_table_text(&t, 1, name_of(v, p->customer));
        cli_table_money(&t, 2, p->financing);
        cli_table_money(&t, 3, p->purchases);
        share_text(buf, sizeof buf, &p->ratio);
        cli_table_text(&t, 4, buf);
    }
    doc_table(d, &t, DOC_HUMAN);
}

static void suppliers_table(cli_doc *d, const exposure_year_view *v,
                            const dg_yearly_year *yy)
{
    static const cli_column cols[] = {
        {"supplier", "supplier"},
        {"financing", "financing to customers"},
        {"revenue", "revenue"},
        {"basis", "basis"},
        {"ratio", "share of revenue"},
    };
    cli_table t;
    cli_table_init(&t, cols, 5);
    char buf[64];
    for (size_t k = 0; k < yy->nsuppliers; k++) {
        const dg_yearly_supplier *s = &yy->suppliers[k];
        cli_table_row(&t);
        cli_table_text(&t, 0, name_of(v, s->company));
        cli_table_money(&t, 1, s->financing);
        if (dg_has(s->revenue))
            cli_table_money(&t, 2, s->revenue);
        cli_table_text(&t, 3, basis_text(s->revenue, s->revenue_basis));
        share_text(buf, sizeof buf, &s->ratio);
        cli_table_text(&t, 4, buf);
    }
    doc_table(d, &t, DOC_HUMAN);
}

/* The ecological measures of one year, per company. */
static void network_table(cli_doc *d, const exposure_year_view *v,
                          const dg_yearly_year *yy, const size_t *order,
                          size_t count, const char *focus)
{
    static const cli_column cols[] = {
        {"name", "company"},
        {"throughflow", "throughflow"},
        {"outside_inflow", "outside inflow"},
        {"outside_inflow_from", "from"},
        {"direct_inflow_share", "from the focus"},
        {"pass_through_share", "via the focus"},
        {"origin_share", "origin at the focus"},
        {"inflow_hhi", "inflow HHI"},
    };
    cli_table t;
    cli_table_init(&t, cols, 8);
    static const char *const words[3] = {"from", "via", "origin at"};
    char title[160], name[160];
    for (int k = 0; k < 3; k++) {
        snprintf(title, sizeof title, "%s %s", words[k], focus);
        cli_table_title(&t, (size_t)(4 + k), title);
    }
    for (size_t k = 0; k < count; k++) {
        const dg_yearly_row *r = &yy->rows[order[k]];
        bool is_focus = r->company == v->y->focus;
        snprintf(name, sizeof name, "%s%s", name_of(v, r->company),
                 is_focus ? " (focus)" : "");
        cli_table_row(&t);
        cli_table_text(&t, 0, name);
        cli_table_money(&t, 1, r->throughflow);
        cli_table_money(&t, 2, r->outside_inflow);
        cli_table_text(&t, 3, outside_from(r));
        if (!is_focus)
            cli_table_share(&t, 4, r->direct_inflow_share);
        cli_table_share(&t, 5, r->pass_through_share);
        cli_table_share(&t, 6, r->origin_share);
        if (dg_has(r->inflow_hhi))
            cli_table_int(&t, 7, llround(r->inflow_hhi));
    }
    doc_table(d, &t, DOC_HUMAN);
}

/* ---- lines about the focus ------------------------------------------------------- */

static void focus_lines(cli_doc *d, const exposure_year_view *v,
                        const dg_yearly_year *yy, const char *focus)
{
    const dg_yearly *y = v->y;
    const dg_yearly_focus *f = &yy->focus;
    char a[64], b[64];
    dg_buf w;
    dg_buf_init(&w);
    if (dg_has(f->revenue))
        doc_line(d, "revenue in %d: %s (%s)", yy->year,
                 dg_money_format(f->revenue, a, sizeof a),
                 dg_basis_name(f->revenue_basis));
    else
        doc_line(d, "revenue in %d: n/a (no revenue figure for %d)", yy->year,
                 yy->year);
    left_text(&w, &y->commitments_left_out);
    doc_line(d, "payments in %d (every leg out of %s): %s%s%s%s", yy->year,
             focus, dg_money_format(f->commitments, a, sizeof a),
             w.len ? ", a floor: " : "", w.len ? w.data : "",
             w.len ? " out of it are in no year" : "");
    dg_buf_clear(&w);
    left_text(&w, &y->funding_left_out);
    doc_line(d, "funding received in %d (equity and debt legs into %s): %s%s%s",
             yy->year, focus, dg_money_format(f->funding, a, sizeof a),
             w.len ? ", a floor: " : "", w.len ? w.data : "");
    share_text(b, sizeof b, &f->coverage);
    doc_line(d, "coverage (revenue / payments): %s%s", b,
             !dg_has(f->coverage.value)
                 ? (f->coverage.rests & DG_RESTS_NO_REVENUE
                        ? " (no revenue figure)"
                        : " (no payments in the year)")
             : f->coverage.bound == DG_BOUND_CEILING
                 ? " (an upper bound: the payments are a floor)"
                 : "");
    money_text(b, sizeof b, &f->gap);
    doc_line(d, "funding gap (payments - revenue - funding): %s%s", b,
             !dg_has(f->gap.value) ? " (no revenue figure)" : "");
    money_text(b, sizeof b, &f->cumulative_gap);
    if (f->cumulative_gap.rests & DG_RESTS_BEFORE_START)
        doc_line(d, "cumulative gap: n/a (it runs from %d)", y->gap_from);
    else
        doc_line(d, "cumulative gap %d-%d: %s%s", y->gap_from, yy->year, b,
                 !dg_has(f->cumulative_gap.value)
                     ? " (a year without a revenue figure)"
                     : "");
    if (w.oom)
        d->oom = true;
    dg_buf_finish(&w);
}

/* ---- notes ------------------------------------------------------------------------ */

/* Appends `name` to a list "A, B and C" being built (the "and" is fixed
 * once the count is known: lists are joined with ", " and the last comma
 * turned into " and " by finish_list). */
static void list_add(dg_buf *b, const char *name)
{
    if (b->len)
        dg_buf_puts(b, ", ");
    dg_buf_puts(b, name);
}

static void what_it_means(cli_doc *d, const exposure_year_view *v,
                          const char *focus)
{
    doc_note(d,
             "Revenue dependence: what %s pays the company in the year for "
             "chips, cloud, services and leases, over the company's revenue "
             "for that year; 10%% customer: 10%% or more, the share at which "
             "US filings name a customer. n/a when the company has no "
             "revenue figure for the year: never a number from the "
             "balancing term.",
             focus);
    doc_note(d,
             "Ledger share (balancing): what %s pays the company in the year "
             "over its ledger inflow plus max(0, outflow - inflow), the "
             "arithmetic of --basis total on one year's flows. It rests on "
             "the balancing assumption and is shown for comparison; it is "
             "not dependence.",
             focus);
    doc_note(d,
             "Backlog share: %s's chips, cloud, services and lease legs to "
             "the company announced by its rpo_as_of, the money scheduled in "
             "the months after that date, plus totals without a delivery "
             "period counted whole, over its rpo.",
             focus);
    doc_note(d, "\">=\" marks a floor (money the figure counts is partly in "
                "no year: undisclosed legs, totals without a delivery period, "
                "per-period legs with no term), \"<=\" an upper bound, \"~\" "
                "money left out on both sides.");
    (void)v;
}

/* Per year, the companies without a revenue figure, and what falls back
 * on the balancing term because of it. */
static void revenue_notes(cli_doc *d, const exposure_year_view *v,
                          const size_t *order, size_t count)
{
    const dg_yearly *y = v->y;
    dg_buf names;
    dg_buf_init(&names);
    for (size_t yi = 0; yi < y->nyears; yi++) {
        const dg_yearly_year *yy = &y->years[yi];
        dg_buf_clear(&names);
        size_t n = 0;
        for (size_t k = 0; k < count; k++) {
            const dg_yearly_row *r = &yy->rows[order[k]];
            if (r->company == y->focus || dg_has(r->revenue))
                continue;
            list_add(&names, name_of(v, r->company));
            n++;
        }
        if (n)
            doc_note(d,
                     "No revenue figure for %d, so %s revenue dependence is "
                     "n/a%s%s: %s.",
                     yy->year, n == 1 ? "its" : "their",
                     yy->network ? " and the network measures take "
                                 : "",
                     yy->network ? (n == 1 ? "its outside inflow from the "
                                             "balancing term max(0, outflow "
                                             "- inflow)"
                                           : "each one's outside inflow from "
                                             "the balancing term max(0, "
                                             "outflow - inflow)")
                                 : "",
                     names.data ? names.data : "");
        dg_buf_clear(&names);
        n = 0;
        for (size_t k = 0; k < count; k++) {
            const dg_yearly_row *r = &yy->rows[order[k]];
            if (!r->outside_clamped)
                continue;
            list_add(&names, name_of(v, r->company));
            n++;
        }
        if (n)
            doc_note(d,
                     "%s: %d revenue below what the ledger pays in; the "
                     "network measures take %s outside inflow as 0.",
                     names.data ? names.data : "", yy->year,
                     n == 1 ? "its" : "their");
        /* revenue that is not actual, company by company */
        dg_buf_clear(&names);
        n = 0;
        for (size_t k = 0; k < count; k++) {
            const dg_yearly_row *r = &yy->rows[order[k]];
            if (!dg_has(r->revenue) || r->revenue_basis == DG_BASIS_ACTUAL)
                continue;
            char one[256];
            snprintf(one, sizeof one, "%s (%s)", name_of(v, r->company),
                     dg_basis_name(r->revenue_basis));
            list_add(&names, one);
            n++;
        }
        if (n)
            doc_note(d,
                     "%d revenue that is a forecast, not a reported figure, "
                     "so the figures on it are too: %s.",
                     yy->year, names.data ? names.data : "");
    }
    if (names.oom)
        d->oom = true;
    dg_buf_finish(&names);
}

/* Per company, money between the focus and it that no year holds. */
static void left_out_notes(cli_doc *d, const exposure_year_view *v,
                           const size_t *order, size_t count,
                           const char *focus)
{
    const dg_yearly *y = v->y;
    const dg_yearly_year *yy = &y->years[0];
    dg_buf w;
    dg_buf_init(&w);
    for (size_t k = 0; k < count; k++) {
        const dg_yearly_row *r = &yy->rows[order[k]];
        if (r->company == y->focus || !any_left(&r->paid_left_out))
            continue;
        /* only where some year has a figure to be a floor */
        bool figure = false;
        for (size_t yi = 0; yi < y->nyears; yi++)
            figure = figure ||
                     dg_has(y->years[yi].rows[order[k]].dependence.value);
        if (!figure)
            continue;
        dg_buf_clear(&w);
        left_text(&w, &r->paid_left_out);
        doc_note(d,
                 "%s: revenue dependence is a floor%s; money from %s that "
                 "no year holds: %s.",
                 name_of(v, r->company),
                 y->nyears > 1 ? " in every year" : "", focus,
                 w.data ? w.data : "");
    }
    for (size_t k = 0; k < y->nbacklog; k++) {
        const dg_yearly_backlog *b = &y->backlog[k];
        if (!dg_has(b->share.value) || !b->left_out.unscheduled)
            continue;
        char m[32];
        doc_note(d,
                 "%s: the backlog share counts %s without a delivery period "
                 "whole, as still to be paid after %s's rpo_as_of.",
                 name_of(v, b->company),
                 dg_money_format(b->unscheduled, m, sizeof m),
                 name_of(v, b->company));
    }
    for (size_t k = 0; k < y->npairs; k++) {
        const dg_vendor_pair *p = &y->pairs[k];
        bool nothing = !dg_has(p->ratio.value);
        if (p->ratio.bound == DG_BOUND_EXACT && !nothing &&
            !(p->ratio.rests & DG_RESTS_UNSCHEDULED_WHOLE))
            continue;
        /* what is left out of each side, and what is counted whole */
        dg_buf_clear(&w);
        for (int side = 0; side < 2; side++) {
            const dg_left_out *o = side ? &p->financing_left_out
                                        : &p->purchases_left_out;
            const char *what = side ? "financing" : "purchases";
            dg_left_out gone = *o;
            gone.unscheduled = 0;
            if (any_left(&gone)) {
                dg_buf_printf(&w, "%s%s leave%s out ", w.len ? "; " : "",
                              what, side ? "s" : "");
                left_text(&w, &gone);
            }
            if (o->unscheduled) {
                char m[32];
                dg_buf_printf(&w, "%s%s count%s %s without a delivery period "
                                  "whole",
                              w.len ? "; " : "", what, side ? "s" : "",
                              dg_money_format(o->unscheduled_amount, m,
                                              sizeof m));
            }
        }
        const char *what = nothing ? "n/a, no purchases with a value: "
                           : p->ratio.bound == DG_BOUND_CEILING
                               ? "an upper bound: "
                           : p->ratio.bound == DG_BOUND_FLOOR ? "a floor: "
                           : p->ratio.bound == DG_BOUND_EITHER
                               ? "uncertain either way: "
                               : "";
        doc_note(d, "%s -> %s vendor financing ratio: %s%s.",
                 name_of(v, p->supplier), name_of(v, p->customer), what,
                 w.data ? w.data : "");
    }
    if (w.oom)
        d->oom = true;
    dg_buf_finish(&w);
}

static void other_notes(cli_doc *d, const exposure_year_view *v,
                        const char *focus)
{
    const dg_yearly *y = v->y;
    dg_buf names;
    dg_buf_init(&names);
    size_t n = 0;
    for (size_t c = 0; c < v->l->ncompanies; c++) {
        const dg_company *co = &v->l->companies[c];
        if (co->fiscal_year_end && co->fiscal_year_end != 1231 &&
            co->revenue.n) {
            list_add(&names, co->name);
            n++;
        }
    }
    if (n)
        doc_note(d,
                 "Fiscal years: revenue is keyed by the calendar year in "
                 "which the fiscal year ends, money by calendar year; for %s "
                 "the two are months apart.",
                 names.data ? names.data : "");
    for (size_t yi = 0; yi < y->nyears; yi++)
        if (y->years[yi].network_error)
            doc_note(d, "Network measures of %d: n/a: %s.", y->years[yi].year,
                     y->years[yi].network_error);
    if (y->filtered)
        doc_note(d, "%zu legs are left out by the filters.", y->filtered);
    doc_note(d,
             "Money by calendar year from each leg's schedule "
             "(docs/methods.md, sections 9 and 10); --basis total gives the "
             "arithmetic of amounts added as given.");
    (void)focus;
    if (names.oom)
        d->oom = true;
    dg_buf_finish(&names);
}

/* ---- the document ------------------------------------------------------------------ */

static void lede(cli_doc *d, const exposure_year_view *v, const char *focus)
{
    const dg_ledger *l = v->l;
    const dg_yearly *y = v->y;
    if (y->nyears == 1)
        doc_heading(d, 2, "Exposure to %s in %d", focus, y->first_year);
    else
        doc_heading(d, 2, "Exposure to %s, %d-%d", focus, y->first_year,
                    y->last_year);
    doc_line(d, "%s%s%s; amounts: %s", l->path, l->title ? ": " : "",
             l->title ? l->title : "", dg_amounts_name(v->c->filter.amounts));
    doc_line(d, "money scheduled by calendar year; %s", v->years_why);
    doc_line(d, "%zu legs pass the filters", y->legs);
}

static void one_year(cli_doc *d, const exposure_year_view *v,
                     const size_t *order, size_t count, const char *focus)
{
    const dg_yearly_year *yy = &v->y->years[0];
    doc_heading(d, 3, "Revenue dependence on %s in %d", focus, yy->year);
    dependence_table(d, v, yy, order, count, focus);
    if (count < v->y->n)
        doc_para(d, "(the first %zu of %zu companies)", count, v->y->n);
    doc_heading(d, 3, "%s's coverage and funding gap", focus);
    focus_lines(d, v, yy, focus);
    doc_heading(d, 3, "Backlog share of %s", focus);
    backlog_table(d, v, focus);
    doc_heading(d, 3, "Vendor financing");
    if (v->y->npairs) {
        doc_para(d, "Per supplier, in %d: its equity, debt, warrant and "
                    "backstop legs to its customers, over its revenue.",
                 yy->year);
        suppliers_table(d, v, yy);
        doc_para(d, "Per pair, all years: the supplier's financing of the "
                    "customer over the customer's purchases from it.");
        pairs_table(d, v);
    } else {
        doc_para(d, "No supplier finances a customer of its own in this "
                    "ledger.");
    }
    doc_heading(d, 3, "Network measures on %d's flows", yy->year);
    if (yy->network) {
        network_table(d, v, yy, order, count, focus);
        char a[32];
        doc_line(d,
                 "Finn's cycling index: %.1f%% of %d's throughflow (%s) "
                 "comes back to a company it already passed through",
                 yy->fci * 100, yy->year, dg_money_format(yy->tst, a, sizeof a));
        doc_line(d, "%s's own cycling share: %.1f%%", focus,
                 yy->focus_cycling_share * 100);
    } else {
        doc_para(d, "n/a: %s", yy->network_error ? yy->network_error
                                                 : "not computed");
    }
}

static void several_years(cli_doc *d, const exposure_year_view *v,
                          const size_t *order, size_t count,
                          const char *focus)
{
    const dg_yearly *y = v->y;
    const char **names = malloc((count ? count : 1) * sizeof *names);
    size_t *rows = malloc((count ? count : 1) * sizeof *rows);
    size_t *sup = malloc((y->years[0].nsuppliers ? y->years[0].nsuppliers
                                                 : 1) *
                         sizeof *sup);
    const char **snames = malloc((y->years[0].nsuppliers
                                      ? y->years[0].nsuppliers
                                      : 1) *
                                 sizeof *snames);
    if (!names || !rows || !sup || !snames) {
        d->oom = true;
        goto done;
    }
    size_t nr = 0;
    for (size_t k = 0; k < count; k++) {
        const dg_yearly_row *r = &y->years[0].rows[order[k]];
        if (r->company == y->focus)
            continue;
        names[nr] = name_of(v, r->company);
        rows[nr++] = order[k];
    }
    doc_heading(d, 3, "Revenue dependence on %s", focus);
    by_year_table(d, v, "company", names, rows, nr, dependence_cell);
    if (count < y->n)
        doc_para(d, "(the first %zu of %zu companies)", count, y->n);

    static const char *const fnames[F_N] = {
        "revenue", "payments", "funding received", "coverage",
        "funding gap", "cumulative gap"};
    static const size_t frows[F_N] = {F_REVENUE, F_PAYMENTS, F_FUNDING,
                                      F_COVERAGE, F_GAP, F_CUMULATIVE};
    doc_heading(d, 3, "%s's coverage and funding gap", focus);
    by_year_table(d, v, focus, fnames, frows, F_N, focus_cell);
    doc_para(d, "Payments: every leg out of %s; funding: equity and debt "
                "legs into it; coverage: revenue / payments; gap: payments - "
                "revenue - funding, cumulative from %d.",
             focus, y->gap_from);

    doc_heading(d, 3, "Backlog share of %s", focus);
    backlog_table(d, v, focus);

    doc_heading(d, 3, "Vendor financing");
    if (y->npairs) {
        size_t ns = y->years[0].nsuppliers;
        for (size_t k = 0; k < ns; k++) {
            sup[k] = k;
            snames[k] = name_of(v, y->years[0].suppliers[k].company);
        }
        doc_para(d, "Per supplier and year: its equity, debt, warrant and "
                    "backstop legs to its customers, over its revenue.");
        by_year_table(d, v, "supplier", snames, sup, ns, supplier_cell);
        doc_para(d, "Per pair, all years: the supplier's financing of the "
                    "customer over the customer's purchases from it.");
        pairs_table(d, v);
    } else {
        doc_para(d, "No supplier finances a customer of its own in this "
                    "ledger.");
    }

    static const char *const nnames[2] = {"Finn's cycling index",
                                          "the focus's cycling share"};
    static const size_t nrows[2] = {0, 1};
    doc_heading(d, 3, "Network measures by year");
    by_year_table(d, v, "measure", nnames, nrows, 2, network_cell);
done:
    free(names);
    free(rows);
    free(sup);
    free(snames);
}

void exposure_year_document(cli_doc *d, const exposure_year_view *v)
{
    const char *focus = name_of(v, v->y->focus);
    size_t count = 0;
    size_t *order = row_order(v, &count);
    if (!order) {
        d->oom = true;
        return;
    }
    if (v->c->format == CLI_OUT_JSON)
        doc_json(d, yearly_json(v, order, count));
    lede(d, v, focus);
    if (v->y->nyears == 1)
        one_year(d, v, order, count, focus);
    else
        several_years(d, v, order, count, focus);
    csv_table(d, v, order, count);
    doc_heading(d, 3, "Notes");
    revenue_notes(d, v, order, count);
    left_out_notes(d, v, order, count, focus);
    what_it_means(d, v, focus);
    other_notes(d, v, focus);
    free(order);
}
