/*
 * stressrun.c - the ledger side of the stress tests: the exposure matrix
 * (on contracts, contracts.c, or at face value), equity and cash from a
 * ledger, the focus shock, the models of stress.c, and the results read
 * back per company with the claims behind each loss and the revenue the
 * focus's sellers lose (docs/methods.md §4-§6, §10).
 */
#include "dealgraph/stressrun.h"
#include "dealgraph/exposure.h"
#include "internal.h"
#include "dealgraph/netmath.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const model_names[DG_MODEL_COUNT] = {
    "debtrank", "debtrank-single", "clearing"};

const char *dg_stress_model_name(dg_stress_model m)
{
    return (unsigned)m < DG_MODEL_COUNT ? model_names[m] : "?";
}

bool dg_stress_model_parse(const char *text, dg_stress_model *out)
{
    for (int m = 0; m < DG_MODEL_COUNT; m++) {
        if (strcmp(text, model_names[m]) == 0) {
            *out = (dg_stress_model)m;
            return true;
        }
    }
    return false;
}

static const char *const exposures_names[DG_EXPOSURES_COUNT] = {"contracts",
                                                                  "face"};
static const char *const capital_names[DG_CAPITAL_COUNT] = {"book", "market"};

const char *dg_exposures_name(dg_exposures e)
{
    return (unsigned)e < DG_EXPOSURES_COUNT ? exposures_names[e] : "?";
}

bool dg_exposures_parse(const char *text, dg_exposures *out)
{
    for (int k = 0; k < DG_EXPOSURES_COUNT; k++)
        if (strcmp(text, exposures_names[k]) == 0) {
            *out = (dg_exposures)k;
            return true;
        }
    return false;
}

const char *dg_capital_name(dg_capital c)
{
    return (unsigned)c < DG_CAPITAL_COUNT ? capital_names[c] : "?";
}

bool dg_capital_parse(const char *text, dg_capital *out)
{
    for (int k = 0; k < DG_CAPITAL_COUNT; k++)
        if (strcmp(text, capital_names[k]) == 0) {
            *out = (dg_capital)k;
            return true;
        }
    return false;
}

void dg_stress_options_init(dg_stress_options *o)
{
    memset(o, 0, sizeof *o);
    dg_filter_init(&o->filter);
    o->model = DG_MODEL_DEBTRANK;
    o->shortfall = 1.0;
    o->focus = 0;
    o->exposures = DG_EXPOSURES_CONTRACTS;
    dg_contract_options_init(&o->contracts);
    o->capital = DG_CAPITAL_BOOK;
    o->alpha = 0.0;
    o->recovery_assets = 1.0;
    o->recovery_claims = 1.0;
    o->leverage_limit = DG_LEVERAGE_LIMIT_DEFAULT;
}

/* ---- inputs --------------------------------------------------------------------- */

void dg_stress_inputs_finish(dg_stress_inputs *in)
{
    if (!in)
        return;
    free(in->company);
    free(in->rank);
    free(in->exposure);
    free(in->equity);
    free(in->has_equity);
    free(in->cash);
    free(in->outside);
    free(in->entries);
    memset(in, 0, sizeof *in);
}

int dg_stress_inputs_build(const dg_ledger *l, const dg_filter *filter,
                           bool debtrank, dg_stress_inputs *out)
{
    if (!out)
        return DG_EUSAGE;
    memset(out, 0, sizeof *out);
    if (!l)
        return DG_EUSAGE;
    dg_filter all;
    if (!filter) {
        dg_filter_init(&all);
        filter = &all;
    }
    size_t n = l->ncompanies;
    if (n > DG_MATRIX_MAX_COMPANIES || n > (size_t)INT_MAX ||
        (n && n > SIZE_MAX / sizeof(double) / n) ||
        l->nlegs > SIZE_MAX / 2 / sizeof(dg_entry))
        return DG_ELIMIT;
    size_t n1 = n ? n : 1;
    /* Under DebtRank an equity or debt leg i -> j makes two entries: j is
     * owed the money by i, and i holds a stake or loan in j. */
    dg_entry *c = malloc((l->nlegs ? 2 * l->nlegs : 1) * sizeof *c);
    out->n = n;
    out->company = malloc(n1 * sizeof *out->company);
    out->rank = malloc(n1 * sizeof *out->rank);
    out->exposure = calloc(n ? n * n : 1, sizeof *out->exposure);
    out->equity = malloc(n1 * sizeof *out->equity);
    out->has_equity = calloc(n1, sizeof *out->has_equity);
    out->cash = malloc(n1 * sizeof *out->cash);
    out->outside = malloc(n1 * sizeof *out->outside);
    out->entries = malloc((l->nlegs ? 2 * l->nlegs : 1) *
                          sizeof *out->entries);
    if (!c || !out->company || !out->rank || !out->exposure ||
        !out->equity || !out->has_equity || !out->cash || !out->outside ||
        !out->entries) {
        free(c);
        dg_stress_inputs_finish(out);
        return DG_ENOMEM;
    }
    dg_name_order(l, out->company, out->rank);
    for (size_t k = 0; k < n; k++) {
        const dg_company *co = &l->companies[out->company[k]];
        out->equity[k] = co->equity;
        out->has_equity[k] = dg_has(co->equity) && co->equity > 0.0;
        out->cash[k] = co->cash;
        out->outside[k] = co->cash;
    }

    size_t m = 0;
    for (size_t e = 0; e < l->nlegs; e++) {
        const dg_leg *leg = &l->legs[e];
        if (!dg_filter_keep(filter, leg)) {
            out->filtered++;
            continue;
        }
        out->legs++;
        double v = dg_leg_value(leg, filter->amounts);
        if (!dg_has(v)) {
            out->undisclosed++;
            continue;
        }
        out->valued++;
        size_t from = out->rank[leg->from], to = out->rank[leg->to];
        if (from == to)
            continue; /* a company's claim on itself is no exposure */
        /* Clearing: the leg is an obligation of `from` to pay `to`.
         * DebtRank: A_ij, what i loses if j fails; the recipient `to` is
         * owed the leg's value by `from` (payments, or for a warrant the
         * shares). Either way `to` holds the claim on `from`. */
        c[m++] = debtrank ? (dg_entry){to, from, v} : (dg_entry){from, to, v};
        out->entries[out->nentries++] = (dg_stress_entry){to, from, e, v};
        /* An investor or lender holds a stake or a loan in the investee or
         * borrower, lost if that one fails. */
        if (debtrank &&
            (leg->kind == DG_KIND_EQUITY || leg->kind == DG_KIND_DEBT)) {
            c[m++] = (dg_entry){from, to, v};
            out->entries[out->nentries++] = (dg_stress_entry){from, to, e, v};
        }
    }
    /* pairs in name order, each pair's amounts smallest first */
    int rc = dg_netmath_sum_entries(c, m, n, out->exposure);
    free(c);
    if (rc != DG_OK)
        dg_stress_inputs_finish(out);
    return rc;
}

/* ---- results --------------------------------------------------------------------- */

void dg_stress_result_finish(dg_stress_result *r)
{
    if (!r)
        return;
    free(r->rows);
    free(r->claims);
    free(r->revenue);
    memset(r, 0, sizeof *r);
}

const dg_stress_row *dg_stress_row_of(const dg_stress_result *r,
                                      size_t company)
{
    if (!r)
        return NULL;
    for (size_t k = 0; k < r->n; k++)
        if (r->rows[k].company == company)
            return &r->rows[k];
    return NULL;
}

/* Names the companies at the positions where `missing` is true, in name
 * order, into one warning that ends with `consequence`. */
static int warn_missing(const dg_ledger *l, const dg_stress_inputs *in,
                        const bool *missing, const char *what,
                        const char *consequence, dg_diags *diags)
{
    dg_buf b, q;
    size_t count = 0;
    dg_buf_init(&b);
    dg_buf_init(&q);
    for (size_t k = 0; k < in->n; k++) {
        if (!missing[k])
            continue;
        dg_buf_puts(&b, count++ ? ", " : "");
        dg_buf_puts(&b, dg_quote(l->companies[in->company[k]].name, 60, &q));
    }
    int rc = DG_OK;
    if (count) {
        if (b.oom)
            rc = DG_ENOMEM;
        else
            rc = dg_diags_add(diags, DG_SEV_WARNING, NULL, 0, "no %s for %s%s",
                              what, b.data, consequence);
    }
    dg_buf_finish(&b);
    dg_buf_finish(&q);
    return rc;
}

/* The distress company j passes on at the end: what share of a claim on
 * it is lost. DebtRank: h_j(T), or p(h_j(T)) = h exp(alpha (h - 1)) in
 * the non-linear form; clearing: 1 - p*_j / pbar_j. */
static double passed_on(double h, double alpha)
{
    return alpha == 0.0 ? h : h * exp(alpha * (h - 1.0));
}

static int run_debtrank(const dg_ledger *l, const dg_stress_options *opt,
                        dg_stress_inputs *in, dg_stress_result *out,
                        double *pass, dg_diags *diags)
{
    size_t n = in->n, f = in->rank[opt->focus];
    int rc = DG_OK;
    double *shock = calloc(n ? n : 1, sizeof *shock);
    double *weight = calloc(n ? n : 1, sizeof *weight);
    bool *missing = calloc(n ? n : 1, sizeof *missing);
    bool *zero = calloc(n ? n : 1, sizeof *zero);
    dg_debtrank dr;
    memset(&dr, 0, sizeof dr);
    if (!shock || !weight || !missing || !zero) {
        rc = DG_ENOMEM;
        goto done;
    }
    for (size_t k = 0; k < n; k++) {
        /* Not given, or given as 0 (the loader admits no negative): both
         * are left out, with their own words. */
        missing[k] = !in->has_equity[k] && !dg_has(in->equity[k]);
        zero[k] = !in->has_equity[k] && dg_has(in->equity[k]);
        if (in->has_equity[k]) {
            weight[k] = in->equity[k]; /* v_i proportional to E_i */
            out->total_equity += in->equity[k];
            if (k != f)
                out->others_equity += in->equity[k];
        }
    }
    shock[f] = opt->shortfall; /* h_F(1) = shortfall */
    rc = warn_missing(l, in, missing, "equity",
                      ": left out of the losses and of DebtRank's weights "
                      "(unknown, not zero); give them `equity` to include "
                      "them",
                      diags);
    if (rc == DG_OK)
        rc = warn_missing(l, in, zero, "positive equity",
                          " (equity is 0): with no loss-absorbing capital a "
                          "relative loss is undefined, so they are left out "
                          "of the losses and of DebtRank's weights",
                          diags);
    if (rc != DG_OK)
        goto done;

    if (opt->model == DG_MODEL_DEBTRANK_SINGLE)
        rc = dg_stress_debtrank(DG_DEBTRANK_BATTISTON, n, in->exposure,
                                in->equity, in->has_equity, shock, weight,
                                &dr);
    else /* alpha 0 is Bardoscia 2015, bit for bit */
        rc = dg_stress_debtrank_nonlinear(n, in->exposure, in->equity,
                                          in->has_equity, shock, weight,
                                          opt->alpha, &dr);
    if (rc == DG_ELIMIT) {
        out->lower_bound = true;
        rc = dg_diags_add(diags, DG_SEV_WARNING, NULL, 0,
                          "DebtRank did not settle within %d rounds (the "
                          "exposures nearly sustain themselves round a "
                          "loop): the losses shown are lower bounds",
                          DG_DEBTRANK_MAX_ROUNDS);
    }
    if (rc != DG_OK)
        goto done;

    double h1f = shock[f] >= 1.0 - DG_DEBTRANK_SNAP ? 1.0 : shock[f];
    for (size_t k = 0; k < n; k++) {
        dg_stress_row *r = &out->rows[k];
        r->included = in->has_equity[k];
        r->claims_on_focus = in->exposure[k * n + f];
        if (k == f)
            r->claims_on_focus = NAN; /* its own failure */
        pass[k] = opt->model == DG_MODEL_DEBTRANK_SINGLE
                      ? dr.h[k]
                      : passed_on(dr.h[k], opt->alpha);
        if (r->included) {
            r->relative_loss = dr.h[k];
            r->loss = dr.loss[k];
            r->defaulted = dr.defaulted[k];
            r->defaulted_known = true;
            if (k != f)
                out->others_loss += dr.loss[k];
        } else if (k == f) {
            /* An excluded focus keeps its shock and passes it on. */
            r->relative_loss = dr.h[k];
            r->loss = NAN;
            r->defaulted = dr.h[k] >= 1.0;
            r->defaulted_known = r->defaulted;
        } else {
            r->relative_loss = NAN;
            r->loss = NAN;
        }
        if (r->defaulted_known && r->defaulted) {
            out->defaults++;
            if (!(k == f && h1f >= 1.0))
                out->further_defaults++;
        }
    }
    out->focus_loss = out->rows[f].loss;
    out->total_loss = dr.total_loss;
    out->debtrank = dr.R;
    out->rounds = dr.rounds;
    size_t nmiss = 0;
    for (size_t k = 0; k < n; k++)
        nmiss += !in->has_equity[k];
    out->excluded = nmiss;

done:
    dg_stress_debtrank_finish(&dr);
    free(zero);
    free(shock);
    free(weight);
    free(missing);
    return rc;
}

static int run_clearing(const dg_ledger *l, const dg_stress_options *opt,
                        dg_stress_inputs *in, dg_stress_result *out,
                        double *pass, dg_diags *diags)
{
    size_t n = in->n, f = in->rank[opt->focus];
    const double *L = in->exposure;
    int rc = DG_OK;
    double *e = calloc(n ? n : 1, sizeof *e);
    bool *missing = calloc(n ? n : 1, sizeof *missing);
    dg_clearing cl;
    memset(&cl, 0, sizeof cl);
    if (!e || !missing) {
        rc = DG_ENOMEM;
        goto done;
    }
    for (size_t k = 0; k < n; k++) {
        double pbar = 0.0;
        for (size_t j = 0; j < n; j++)
            pbar += L[k * n + j];
        if (k == f) {
            e[k] = (1.0 - opt->shortfall) * in->outside[k];
        } else if (dg_has(in->cash[k])) {
            e[k] = in->outside[k];
        } else {
            /* Unknown cash is not zero cash: assume the company meets its
             * obligations (cash enough to pay them whatever it receives),
             * so the shock travels only through companies whose cash is
             * known. Its equity after clearing is then not computed. */
            missing[k] = true;
            e[k] = pbar;
        }
    }
    rc = warn_missing(l, in, missing, "cash",
                      ": assumed to pay what they owe in full (unknown, not "
                      "zero); their equity after clearing and whether they "
                      "default are not computed; give them `cash` to "
                      "include them",
                      diags);
    if (rc != DG_OK)
        goto done;
    rc = dg_stress_clearing_rv(n, L, e, NULL, opt->recovery_assets,
                               opt->recovery_claims, &cl);
    if (rc != DG_OK)
        goto done;

    for (size_t k = 0; k < n; k++) {
        dg_stress_row *r = &out->rows[k];
        r->included = !missing[k];
        r->obligation = cl.obligation[k];
        r->payment = cl.payment[k];
        r->cash = missing[k] ? NAN : e[k];
        r->assumed_paying = missing[k];
        r->claims_on_focus = k == f ? NAN : L[f * n + k];
        pass[k] = cl.obligation[k] > 0.0 && cl.payment[k] < cl.obligation[k]
                      ? 1.0 - cl.payment[k] / cl.obligation[k]
                      : 0.0;
        /* What k was owed and is not paid: each debtor j pays its
         * creditors pro rata, p*_j / pbar_j of every claim. */
        double loss = 0.0;
        for (size_t j = 0; j < n; j++) {
            if (j == k || !(L[j * n + k] > 0.0) || !(cl.obligation[j] > 0.0))
                continue;
            double paid = cl.payment[j] / cl.obligation[j];
            if (paid < 1.0)
                loss += L[j * n + k] * (1.0 - paid);
        }
        r->loss = loss;
        r->relative_loss =
            in->has_equity[k] ? fmin(1.0, loss / in->equity[k]) : NAN;
        if (r->included) {
            r->equity_after = cl.equity[k];
            r->defaulted = cl.defaulted[k];
            r->defaulted_known = true;
        } else {
            r->equity_after = NAN;
        }
        out->total_loss += cl.obligation[k] - cl.payment[k];
        if (k == f) {
            out->focus_loss = loss;
        } else {
            out->others_loss += loss;
            if (in->has_equity[k])
                out->others_equity += in->equity[k];
        }
        if (r->defaulted_known && r->defaulted) {
            out->defaults++;
            if (k != f)
                out->further_defaults++;
        }
        if (in->has_equity[k])
            out->total_equity += in->equity[k];
    }
    out->debtrank = NAN; /* R is DebtRank's; clearing has none */
    out->rounds = cl.rounds;
    out->with_ocf = in->with_ocf;
    size_t nmiss = 0;
    for (size_t k = 0; k < n; k++)
        nmiss += missing[k];
    out->excluded = nmiss;

done:
    dg_stress_clearing_finish(&cl);
    free(e);
    free(missing);
    return rc;
}

/* ---- the mapping on contracts ----------------------------------------------------- */

/* The inputs of the models from the contracts: A (DebtRank) or L
 * (clearing), and every leg's part of it. */
static int inputs_from_contracts(const dg_ledger *l, const dg_contracts *c,
                                 bool debtrank, dg_stress_inputs *out)
{
    memset(out, 0, sizeof *out);
    size_t n = c->n, n1 = n ? n : 1;
    out->n = n;
    out->company = malloc(n1 * sizeof *out->company);
    out->rank = malloc(n1 * sizeof *out->rank);
    out->exposure = malloc((n ? n * n : 1) * sizeof *out->exposure);
    out->equity = malloc(n1 * sizeof *out->equity);
    out->has_equity = calloc(n1, sizeof *out->has_equity);
    out->cash = malloc(n1 * sizeof *out->cash);
    out->outside = malloc(n1 * sizeof *out->outside);
    out->entries = malloc((c->nlegs ? c->nlegs : 1) * sizeof *out->entries);
    if (!out->company || !out->rank || !out->exposure || !out->equity ||
        !out->has_equity || !out->cash || !out->outside || !out->entries) {
        dg_stress_inputs_finish(out);
        return DG_ENOMEM;
    }
    memcpy(out->company, c->company, n * sizeof *out->company);
    memcpy(out->rank, c->rank, n * sizeof *out->rank);
    memcpy(out->exposure, debtrank ? c->exposure : c->due,
           n * n * sizeof *out->exposure);
    for (size_t k = 0; k < n; k++) {
        const dg_company *co = &l->companies[out->company[k]];
        out->equity[k] = co->equity;
        out->has_equity[k] = dg_has(co->equity) && co->equity > 0.0;
        out->cash[k] = co->cash;
        bool ocf;
        out->outside[k] = dg_contracts_outside_assets(c, co, &ocf);
        out->with_ocf += ocf;
    }
    for (size_t k = 0; k < c->nlegs; k++) {
        const dg_contract_leg *cl = &c->legs[k];
        const dg_leg *leg = &l->legs[cl->leg];
        if (leg->from == leg->to)
            continue;
        if (debtrank && cl->claim > 0.0)
            out->entries[out->nentries++] = (dg_stress_entry){
                c->rank[cl->holder], c->rank[cl->obligor], cl->leg,
                cl->claim};
        else if (!debtrank && cl->due > 0.0)
            out->entries[out->nentries++] = (dg_stress_entry){
                c->rank[leg->to], c->rank[leg->from], cl->leg, cl->due};
    }
    out->legs = c->nlegs;
    out->undisclosed = c->undisclosed;
    out->valued = c->nlegs - c->undisclosed;
    out->filtered = c->filtered;
    return DG_OK;
}

/* Names the companies whose capital is not on the chosen basis in one
 * warning, and marks their rows. */
static int warn_basis(const dg_ledger *l, const dg_stress_options *opt,
                      dg_stress_result *out, dg_diags *diags)
{
    dg_buf b, q;
    dg_buf_init(&b);
    dg_buf_init(&q);
    size_t count = 0;
    for (size_t k = 0; k < out->n; k++) {
        dg_stress_row *r = &out->rows[k];
        const dg_company *co = &l->companies[r->company];
        r->basis = co->equity_basis;
        if (!(dg_has(co->equity) && co->equity > 0.0))
            continue;
        const char *bs = co->equity_basis;
        bool same = bs && (opt->capital == DG_CAPITAL_BOOK
                               ? strcmp(bs, "book") == 0
                               : strcmp(bs, "market") == 0 ||
                                     strcmp(bs, "private_round") == 0);
        if (same)
            continue;
        r->basis_differs = true;
        dg_buf_printf(&b, "%s%s (%s)", count++ ? ", " : "",
                      dg_quote(co->name, 60, &q), bs ? bs : "basis not given");
    }
    out->basis_differs = count;
    int rc = DG_OK;
    if (b.oom)
        rc = DG_ENOMEM;
    else if (count && opt->capital == DG_CAPITAL_BOOK)
        rc = dg_diags_add(diags, DG_SEV_WARNING, NULL, 0,
                          "capital is not book equity for %s: market values "
                          "and private-round prices are far above the book "
                          "capital that absorbs losses, so their relative "
                          "losses are understated against the others'",
                          b.data);
    else if (count)
        rc = dg_diags_add(diags, DG_SEV_WARNING, NULL, 0,
                          "capital is not a market value for %s: book "
                          "capital is usually below market value, so their "
                          "relative losses are overstated against the "
                          "others'",
                          b.data);
    dg_buf_finish(&b);
    dg_buf_finish(&q);
    return rc;
}

static bool commercial(dg_kind k)
{
    return k == DG_KIND_CHIPS || k == DG_KIND_CLOUD ||
           k == DG_KIND_SERVICES || k == DG_KIND_LEASE;
}

/* The revenue the focus's sellers lose, year by year over the window. */
static int revenue_stress(const dg_ledger *l, const dg_stress_options *opt,
                          const dg_contracts *c, dg_stress_result *out)
{
    size_t n = c->n, ny = (size_t)c->nyears;
    double *pay = calloc((n ? n : 1) * ny, sizeof *pay);
    double *margin = calloc((n ? n : 1) * ny, sizeof *margin);
    if (!pay || !margin) {
        free(pay);
        free(margin);
        return DG_ENOMEM;
    }
    for (size_t k = 0; k < c->nlegs; k++) {
        const dg_contract_leg *cl = &c->legs[k];
        const dg_leg *leg = &l->legs[cl->leg];
        if (leg->from != opt->focus || leg->to == opt->focus ||
            !commercial(leg->kind) || !dg_has(cl->value) ||
            !(cl->weight > 0.0))
            continue;
        size_t s = c->rank[leg->to];
        for (size_t y = 0; y < ny; y++) {
            double v = cl->weight * c->leg_years[k * ny + y];
            pay[s * ny + y] += v;
            margin[s * ny + y] += cl->lgd * opt->shortfall * v;
        }
    }
    size_t rows = 0;
    for (size_t s = 0; s < n; s++) {
        bool any = false;
        for (size_t y = 0; y < ny; y++)
            any = any || pay[s * ny + y] > 0.0;
        rows += any ? ny : 0;
    }
    out->revenue = calloc(rows ? rows : 1, sizeof *out->revenue);
    if (!out->revenue) {
        free(pay);
        free(margin);
        return DG_ENOMEM;
    }
    for (size_t s = 0; s < n; s++) {
        bool any = false;
        for (size_t y = 0; y < ny; y++)
            any = any || pay[s * ny + y] > 0.0;
        if (!any)
            continue;
        const dg_company *co = &l->companies[c->company[s]];
        for (size_t y = 0; y < ny; y++) {
            dg_stress_revenue *r = &out->revenue[out->nrevenue++];
            r->seller = c->company[s];
            r->year = c->first_year + (int)y;
            r->payments = pay[s * ny + y];
            r->lost = opt->shortfall * r->payments;
            r->revenue = dg_series_get(&co->revenue, r->year,
                                       &r->revenue_basis);
            r->share = dg_has(r->revenue) && r->revenue > 0.0
                           ? r->lost / r->revenue
                           : NAN;
            r->margin_lost = margin[s * ny + y];
            r->debt = dg_series_get(&co->debt, r->year, NULL);
            r->ebitda = dg_series_get(&co->ebitda_by_year, r->year, NULL);
            r->leverage_before = r->leverage_after = NAN;
            if (dg_has(r->debt) && dg_has(r->ebitda)) {
                if (r->ebitda > 0.0)
                    r->leverage_before = r->debt / r->ebitda;
                double after = r->ebitda - r->margin_lost;
                r->ebitda_wiped = !(after > 0.0);
                if (!r->ebitda_wiped)
                    r->leverage_after = r->debt / after;
                r->breach = r->ebitda_wiped ||
                            r->leverage_after > opt->leverage_limit;
            }
        }
    }
    free(pay);
    free(margin);
    return DG_OK;
}

/* ---- the claims behind the losses ---------------------------------------------------- */

/* A claim with its holder's position in name order, for sorting without
 * a context argument. */
typedef struct keyed_claim {
    size_t pos, obligor_pos;
    dg_stress_claim c;
} keyed_claim;

static int by_holder_then_loss(const void *a, const void *b)
{
    const keyed_claim *x = a, *y = b;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    if (x->c.lost != y->c.lost)
        return x->c.lost > y->c.lost ? -1 : 1;
    if (x->c.amount != y->c.amount)
        return x->c.amount > y->c.amount ? -1 : 1;
    if (x->obligor_pos != y->obligor_pos)
        return x->obligor_pos < y->obligor_pos ? -1 : 1;
    return (x->c.leg > y->c.leg) - (x->c.leg < y->c.leg);
}

/* Each entry as a claim with what of it was lost, grouped by holder. */
static int read_claims(const dg_stress_inputs *in, const dg_contracts *c,
                       const size_t *contract_of, bool debtrank,
                       const double *pass, dg_stress_result *out)
{
    size_t m = in->nentries ? in->nentries : 1;
    keyed_claim *kc = calloc(m, sizeof *kc);
    out->claims = calloc(m, sizeof *out->claims);
    if (!kc || !out->claims) {
        free(kc);
        return DG_ENOMEM;
    }
    for (size_t k = 0; k < in->nentries; k++) {
        const dg_stress_entry *e = &in->entries[k];
        kc[k].pos = e->holder;
        kc[k].obligor_pos = e->obligor;
        dg_stress_claim *cl = &kc[k].c;
        cl->holder = in->company[e->holder];
        cl->obligor = in->company[e->obligor];
        cl->leg = e->leg;
        cl->amount = e->amount;
        cl->lost = e->amount * pass[e->obligor];
        cl->base = e->amount;
        cl->rate = 1.0;
        if (c && contract_of[e->leg] != SIZE_MAX && debtrank) {
            const dg_contract_leg *x = &c->legs[contract_of[e->leg]];
            cl->rate = x->lgd;
            cl->base = x->sure + x->weight * x->var;
        }
    }
    qsort(kc, in->nentries, sizeof *kc, by_holder_then_loss);
    for (size_t k = 0; k < in->nentries; k++)
        out->claims[k] = kc[k].c;
    out->nclaims = in->nentries;
    free(kc);
    for (size_t k = 0, r = 0; r < out->n; r++) {
        dg_stress_row *row = &out->rows[r];
        row->first_claim = k;
        while (k < out->nclaims && out->claims[k].holder == row->company)
            k++;
        row->nclaims = k - row->first_claim;
    }
    return DG_OK;
}

int dg_stress_run(const dg_ledger *l, const dg_stress_options *opt,
                  dg_stress_result *out, dg_diags *diags)
{
    if (!out)
        return DG_EUSAGE;
    memset(out, 0, sizeof *out);
    if (!l || !opt || !diags || opt->focus >= l->ncompanies ||
        !(opt->shortfall >= 0.0 && opt->shortfall <= 1.0) ||
        (unsigned)opt->model >= DG_MODEL_COUNT ||
        (unsigned)opt->exposures >= DG_EXPOSURES_COUNT ||
        (unsigned)opt->capital >= DG_CAPITAL_COUNT ||
        !(opt->alpha >= 0.0) || !isfinite(opt->alpha) ||
        (opt->alpha > 0.0 && opt->model != DG_MODEL_DEBTRANK) ||
        !(opt->recovery_assets > 0.0 && opt->recovery_assets <= 1.0) ||
        !(opt->recovery_claims > 0.0 && opt->recovery_claims <= 1.0) ||
        ((opt->recovery_assets < 1.0 || opt->recovery_claims < 1.0) &&
         opt->model != DG_MODEL_CLEARING) ||
        !(opt->leverage_limit > 0.0) || !isfinite(opt->leverage_limit))
        return DG_EUSAGE;
    int lim = dg_matrix_limit(l, diags);
    if (lim != DG_OK)
        return lim;
    bool debtrank = opt->model != DG_MODEL_CLEARING;
    bool contracts = opt->exposures == DG_EXPOSURES_CONTRACTS;

    /* What cannot run at all is said before anything is built. */
    int rc = DG_OK;
    if (debtrank) {
        size_t ninc = 0;
        for (size_t k = 0; k < l->ncompanies; k++)
            ninc += dg_has(l->companies[k].equity) &&
                    l->companies[k].equity > 0.0;
        if (ninc == 0) {
            rc = dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                              "stress: no company has an equity figure, so "
                              "DebtRank has nobody to take losses; give "
                              "`equity` (loss-absorbing capital, USD) to the "
                              "companies that lend, invest or sell to %s",
                              l->companies[opt->focus].name);
            return rc == DG_OK ? DG_EINPUT : rc;
        }
    } else if (!dg_has(l->companies[opt->focus].cash)) {
        const dg_company *co = &l->companies[opt->focus];
        const char *file =
            l->companies_file ? l->companies_file : l->legs_file;
        rc = dg_diags_add(diags, DG_SEV_ERROR, file, co->line,
                          "the clearing model cuts the focus's cash "
                          "by the shortfall, but %s has no `cash`; give it "
                          "one (cash and securities, USD)",
                          co->name);
        return rc == DG_OK ? DG_EINPUT : rc;
    }

    dg_stress_inputs in;
    dg_contracts c;
    memset(&in, 0, sizeof in);
    memset(&c, 0, sizeof c);
    size_t *contract_of = NULL;
    double *pass = NULL;
    if (contracts) {
        dg_contract_options co = opt->contracts;
        co.filter = opt->filter;
        rc = dg_contracts_build(l, &co, &c, diags);
        if (rc == DG_OK)
            rc = inputs_from_contracts(l, &c, debtrank, &in);
        contract_of = malloc((l->nlegs ? l->nlegs : 1) * sizeof *contract_of);
        if (rc == DG_OK && !contract_of)
            rc = DG_ENOMEM;
        for (size_t k = 0; rc == DG_OK && k < l->nlegs; k++)
            contract_of[k] = SIZE_MAX;
        for (size_t k = 0; rc == DG_OK && k < c.nlegs; k++)
            contract_of[c.legs[k].leg] = k;
    } else {
        rc = dg_stress_inputs_build(l, &opt->filter, debtrank, &in);
    }
    if (rc != DG_OK)
        goto done;
    out->model = opt->model;
    out->shortfall = opt->shortfall;
    out->focus = opt->focus;
    out->n = in.n;
    out->legs = in.legs;
    out->valued = in.valued;
    out->undisclosed = in.undisclosed;
    out->filtered = in.filtered;
    out->exposures = opt->exposures;
    out->alpha = opt->alpha;
    out->recovery_assets = opt->recovery_assets;
    out->recovery_claims = opt->recovery_claims;
    out->leverage_limit = opt->leverage_limit;
    out->focus_loss = NAN;
    if (contracts) {
        out->t0 = c.t0;
        out->first_month = c.first_month;
        out->end_month = c.end_month;
        out->unscheduled = c.unscheduled;
        out->unscheduled_value = c.unscheduled_value;
        out->pledges_out = c.pledges_out;
        out->pledged_value = c.pledged_value;
        out->unfunded_stakes = c.unfunded_stakes;
        out->unfunded_value = c.unfunded_value;
        out->term_unknown = c.term_unknown;
    }
    out->rows = calloc(in.n ? in.n : 1, sizeof *out->rows);
    pass = calloc(in.n ? in.n : 1, sizeof *pass);
    if (!out->rows || !pass) {
        rc = DG_ENOMEM;
        goto done;
    }
    for (size_t k = 0; k < in.n; k++) {
        dg_stress_row *r = &out->rows[k];
        r->company = in.company[k];
        r->equity = in.equity[k];
        r->obligation = r->payment = r->cash = r->equity_after = NAN;
        r->basis = l->companies[r->company].equity_basis;
    }
    if (contracts)
        rc = warn_basis(l, opt, out, diags);
    if (rc != DG_OK)
        goto done;
    rc = debtrank ? run_debtrank(l, opt, &in, out, pass, diags)
                  : run_clearing(l, opt, &in, out, pass, diags);
    if (rc == DG_OK)
        rc = read_claims(&in, contracts ? &c : NULL, contract_of, debtrank,
                         pass, out);
    if (rc == DG_OK && contracts)
        rc = revenue_stress(l, opt, &c, out);
done:
    free(pass);
    free(contract_of);
    dg_contracts_finish(&c);
    dg_stress_inputs_finish(&in);
    if (rc != DG_OK)
        dg_stress_result_finish(out);
    return rc;
}
