/*
 * stressrun.c - the ledger side of the stress tests: exposure matrix,
 * equity and cash from a ledger, the focus shock, the models of stress.c,
 * and the results read back per company (docs/methods.md §4-§5).
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

void dg_stress_options_init(dg_stress_options *o)
{
    memset(o, 0, sizeof *o);
    dg_filter_init(&o->filter);
    o->model = DG_MODEL_DEBTRANK;
    o->shortfall = 1.0;
    o->focus = 0;
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
    if (!c || !out->company || !out->rank || !out->exposure ||
        !out->equity || !out->has_equity || !out->cash) {
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
        if (!debtrank) {
            /* Clearing: the leg is an obligation of `from` to pay `to`. */
            c[m++] = (dg_entry){from, to, v};
            continue;
        }
        /* A_ij, what i loses if j fails. The recipient `to` is owed the
         * leg's value by `from` (payments, or for a warrant the shares). */
        c[m++] = (dg_entry){to, from, v};
        /* An investor or lender holds a stake or a loan in the investee or
         * borrower, lost if that one fails. */
        if (leg->kind == DG_KIND_EQUITY || leg->kind == DG_KIND_DEBT)
            c[m++] = (dg_entry){from, to, v};
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

static int run_debtrank(const dg_ledger *l, const dg_stress_options *opt,
                        dg_stress_inputs *in, dg_stress_result *out,
                        dg_diags *diags)
{
    size_t n = in->n, f = in->rank[opt->focus];
    int rc = DG_OK;
    double *shock = calloc(n, sizeof *shock);
    double *weight = calloc(n, sizeof *weight);
    bool *missing = calloc(n, sizeof *missing);
    bool *zero = calloc(n, sizeof *zero);
    dg_debtrank dr;
    memset(&dr, 0, sizeof dr);
    if (!shock || !weight || !missing || !zero) {
        rc = DG_ENOMEM;
        goto done;
    }
    size_t ninc = 0;
    for (size_t k = 0; k < n; k++) {
        /* Not given, or given as 0 (the loader admits no negative): both
         * are left out, with their own words. */
        missing[k] = !in->has_equity[k] && !dg_has(in->equity[k]);
        zero[k] = !in->has_equity[k] && dg_has(in->equity[k]);
        if (in->has_equity[k]) {
            weight[k] = in->equity[k]; /* v_i proportional to E_i */
            ninc++;
            out->total_equity += in->equity[k];
        }
    }
    shock[f] = opt->shortfall; /* h_F(1) = shortfall */
    if (ninc == 0) {
        rc = dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                          "stress: no company has an equity figure, so "
                          "DebtRank has nobody to take losses; give `equity` "
                          "(loss-absorbing capital, USD) to the companies "
                          "that lend, invest or sell to %s",
                          l->companies[opt->focus].name);
        rc = rc == DG_OK ? DG_EINPUT : rc;
        goto done;
    }
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

    dg_debtrank_form form = opt->model == DG_MODEL_DEBTRANK_SINGLE
                                ? DG_DEBTRANK_BATTISTON
                                : DG_DEBTRANK_BARDOSCIA;
    rc = dg_stress_debtrank(form, n, in->exposure, in->equity,
                            in->has_equity, shock, weight, &dr);
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
        if (r->included) {
            r->relative_loss = dr.h[k];
            r->loss = dr.loss[k];
            r->defaulted = dr.defaulted[k];
            r->defaulted_known = true;
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
                        dg_diags *diags)
{
    size_t n = in->n, f = in->rank[opt->focus];
    const double *L = in->exposure;
    int rc = DG_OK;
    double *e = calloc(n, sizeof *e);
    bool *missing = calloc(n, sizeof *missing);
    dg_clearing cl;
    memset(&cl, 0, sizeof cl);
    if (!e || !missing) {
        rc = DG_ENOMEM;
        goto done;
    }
    if (!dg_has(in->cash[f])) {
        const dg_company *co = &l->companies[opt->focus];
        const char *file =
            l->companies_file ? l->companies_file : l->legs_file;
        rc = dg_diags_add(diags, DG_SEV_ERROR, file, co->line,
                          "the clearing model cuts the focus's cash "
                          "by the shortfall, but %s has no `cash`; give it "
                          "one (cash and securities, USD)",
                          co->name);
        rc = rc == DG_OK ? DG_EINPUT : rc;
        goto done;
    }
    for (size_t k = 0; k < n; k++) {
        double pbar = 0.0;
        for (size_t j = 0; j < n; j++)
            pbar += L[k * n + j];
        if (k == f) {
            e[k] = (1.0 - opt->shortfall) * in->cash[k];
        } else if (dg_has(in->cash[k])) {
            e[k] = in->cash[k];
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
    rc = dg_stress_clearing(n, L, e, NULL, &cl);
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

int dg_stress_run(const dg_ledger *l, const dg_stress_options *opt,
                  dg_stress_result *out, dg_diags *diags)
{
    if (!out)
        return DG_EUSAGE;
    memset(out, 0, sizeof *out);
    if (!l || !opt || !diags || opt->focus >= l->ncompanies ||
        !(opt->shortfall >= 0.0 && opt->shortfall <= 1.0) ||
        (unsigned)opt->model >= DG_MODEL_COUNT)
        return DG_EUSAGE;
    int lim = dg_matrix_limit(l, diags);
    if (lim != DG_OK)
        return lim;

    dg_stress_inputs in;
    int rc = dg_stress_inputs_build(l, &opt->filter,
                                    opt->model != DG_MODEL_CLEARING, &in);
    if (rc != DG_OK)
        return rc;
    out->model = opt->model;
    out->shortfall = opt->shortfall;
    out->focus = opt->focus;
    out->n = in.n;
    out->legs = in.legs;
    out->valued = in.valued;
    out->undisclosed = in.undisclosed;
    out->filtered = in.filtered;
    out->rows = calloc(in.n ? in.n : 1, sizeof *out->rows);
    if (!out->rows) {
        rc = DG_ENOMEM;
        goto done;
    }
    for (size_t k = 0; k < in.n; k++) {
        dg_stress_row *r = &out->rows[k];
        r->company = in.company[k];
        r->equity = in.equity[k];
        r->obligation = r->payment = r->cash = r->equity_after = NAN;
    }
    if (opt->model == DG_MODEL_CLEARING)
        rc = run_clearing(l, opt, &in, out, diags);
    else
        rc = run_debtrank(l, opt, &in, out, diags);
done:
    dg_stress_inputs_finish(&in);
    if (rc != DG_OK)
        dg_stress_result_finish(out);
    return rc;
}
