/*
 * gate.c - measuring the rules of `dealgraph check` on a ledger.
 */
#include "dealgraph/exposure.h"
#include "dealgraph/gate.h"
#include "internal.h"
#include "dealgraph/loops.h"
#include "dealgraph/yearly.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void dg_gate_finish(dg_gate *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->count; i++) {
        free(g->results[i].detail);
        dg_loop_refs_free(g->results[i].new_loops, g->results[i].nnew);
        for (size_t k = 0; k < g->results[i].nunknown; k++)
            free(g->results[i].unknown[k]);
        free(g->results[i].unknown);
    }
    free(g->results);
    memset(g, 0, sizeof *g);
}

static dg_rule_result *add(dg_gate *g, const char *rule, double measured,
                           double limit)
{
    dg_rule_result *r = &g->results[g->count++];
    memset(r, 0, sizeof *r);
    r->rule = rule;
    r->measured = measured;
    r->limit = limit;
    /* a measure that does not exist (no inflow anywhere) cannot break a
     * rule */
    r->holds = !dg_has(measured) || measured <= limit;
    return r;
}

/* The loop of largest disclosed value, as "A > B > A" and its id; found
 * while the search streams, so that nothing grows with the loop count. */
typedef struct biggest {
    double value;
    char id[16];
    dg_buf companies;
    const dg_ledger *l;
} biggest;

static int keep_biggest(const dg_loop *loop, void *ctx)
{
    biggest *b = ctx;
    if (!dg_has(loop->value) || (dg_has(b->value) && loop->value <= b->value))
        return 0;
    b->value = loop->value;
    memcpy(b->id, loop->id, sizeof b->id);
    dg_buf_clear(&b->companies);
    dg_loop_companies_text(b->l, loop, " > ", true, &b->companies);
    return 0;
}

/* "A, from B" or "A [B]" */
static char *pair(const char *a, const char *sep, const char *b,
                  const char *end)
{
    dg_buf s;
    dg_buf_init(&s);
    dg_buf_puts(&s, a);
    dg_buf_puts(&s, sep);
    dg_buf_puts(&s, b);
    dg_buf_puts(&s, end);
    return dg_buf_take(&s);
}

/* A rule whose loop search ran out of time: an error, never a verdict on
 * part of the loops. */
static int cut_short(dg_diags *diags, const char *rule, const char *what)
{
    int rc = dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                          "check: %s: %s took more than %.0f s of CPU time "
                          "(the ledger closes too many loops); set max-len "
                          "to bound them",
                          rule, what, DG_LOOPS_AUTO_SECONDS);
    return rc == DG_OK ? DG_ELIMIT : rc;
}

/* "N, from L in 2027" / "L in 2027", with "(a floor: ...)" or "(an
 * upper bound ...)" when money is left out, and the companies whose
 * figure is unknown: into r->detail. */
static int yearly_detail(dg_rule_result *r, const char *who, const char *from,
                         int year, dg_bound bound, const char *unknown_why)
{
    dg_buf b;
    dg_buf_init(&b);
    if (who) {
        dg_buf_puts(&b, who);
        if (from)
            dg_buf_printf(&b, ", from %s", from);
        dg_buf_printf(&b, " in %d", year);
        if (bound == DG_BOUND_FLOOR)
            dg_buf_puts(&b, ", a floor: money in no year is left out");
        else if (bound == DG_BOUND_CEILING)
            dg_buf_puts(&b, ", an upper bound: money in no year is left out "
                            "of the payments");
        else if (bound == DG_BOUND_EITHER)
            dg_buf_puts(&b, ", uncertain: money in no year is left out");
    }
    if (unknown_why)
        dg_buf_printf(&b, "%s%s", b.len ? "; " : "", unknown_why);
    for (size_t k = 0; k < r->nunknown; k++)
        dg_buf_printf(&b, "%s%s", k ? ", " : ": ", r->unknown[k]);
    r->detail = dg_buf_take(&b);
    return r->detail ? DG_OK : DG_ENOMEM;
}

/* max-revenue-dependence and min-coverage: the figures of yearly.h in
 * the policy's year. */
static int yearly_rules(const dg_ledger *l, const dg_policy *p,
                        const dg_filter *f, dg_gate *out, dg_diags *diags)
{
    size_t focus;
    int rc = dg_focus_resolve(l, p->focus, "check", &focus, diags);
    if (rc != DG_OK)
        return rc;
    int year = p->year ? p->year : dg_yearly_default_year(l, f, NULL);
    if (!year) {
        rc = dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                          "check: %s sets no as_of and has no dated leg to "
                          "take the year of max-revenue-dependence and "
                          "min-coverage from; give the year",
                          l->path ? l->path : "the ledger");
        return rc == DG_OK ? DG_EUSAGE : rc;
    }
    dg_yearly_options o;
    dg_yearly_options_init(&o);
    if (f)
        o.filter = *f;
    o.first_year = o.last_year = year;
    o.network = false; /* neither rule reads the network measures */
    dg_yearly y;
    rc = dg_yearly_compute(l, focus, &o, &y, diags);
    if (rc != DG_OK) {
        dg_yearly_finish(&y);
        return rc;
    }
    const dg_yearly_year *yy = &y.years[0];
    const char *fname = l->companies[focus].name;
    char why[160];
    if (dg_has(p->max_revenue_dependence)) {
        /* the largest known dependence; the companies the focus pays (or
         * has commercial legs to) without a revenue figure are unknown */
        const dg_yearly_row *worst = NULL;
        size_t nunknown = 0;
        for (size_t k = 0; k < y.n; k++) {
            const dg_yearly_row *r = &yy->rows[k];
            if (r->company == focus)
                continue;
            const dg_left_out *o2 = &r->paid_left_out;
            bool paid = r->paid > 0.0 || o2->undisclosed ||
                        o2->unscheduled || o2->term_unknown;
            if (!dg_has(r->dependence.value)) {
                nunknown += paid;
                continue;
            }
            if (!worst || r->dependence.value > worst->dependence.value)
                worst = r; /* ties: the first in name order */
        }
        dg_rule_result *r = add(out, "max-revenue-dependence",
                                worst ? worst->dependence.value : NAN,
                                p->max_revenue_dependence);
        r->year = year;
        r->unknown = calloc(nunknown ? nunknown : 1, sizeof *r->unknown);
        if (!r->unknown)
            rc = DG_ENOMEM;
        for (size_t k = 0; k < y.n && rc == DG_OK; k++) {
            const dg_yearly_row *x = &yy->rows[k];
            const dg_left_out *o2 = &x->paid_left_out;
            if (x->company == focus || dg_has(x->dependence.value) ||
                !(x->paid > 0.0 || o2->undisclosed || o2->unscheduled ||
                  o2->term_unknown))
                continue;
            char *s = dg_strdup(l->companies[x->company].name);
            if (!s)
                rc = DG_ENOMEM;
            else
                r->unknown[r->nunknown++] = s;
        }
        snprintf(why, sizeof why,
                 "unknown (%s pays them, and they have no revenue figure "
                 "for %d)",
                 fname, year);
        if (rc == DG_OK)
            rc = yearly_detail(r,
                               worst ? l->companies[worst->company].name
                                     : NULL,
                               fname, year,
                               worst ? worst->dependence.bound
                                     : DG_BOUND_EXACT,
                               r->nunknown ? why : NULL);
        if (rc == DG_OK && !worst && !r->nunknown) {
            free(r->detail);
            snprintf(why, sizeof why,
                     "%s pays no company for chips, cloud, services or "
                     "leases in %d",
                     fname, year);
            r->detail = dg_strdup(why);
            if (!r->detail)
                rc = DG_ENOMEM;
        }
    }
    if (rc == DG_OK && dg_has(p->min_coverage)) {
        const dg_figure *c = &yy->focus.coverage;
        dg_rule_result *r = add(out, "min-coverage", c->value,
                                p->min_coverage);
        r->year = year;
        r->holds = !dg_has(c->value) || c->value >= p->min_coverage;
        if (dg_has(c->value)) {
            rc = yearly_detail(r, fname, NULL, year, c->bound, NULL);
        } else {
            snprintf(why, sizeof why, "%s in %d: %s", fname, year,
                     c->rests & DG_RESTS_NO_REVENUE
                         ? "no revenue figure for the year"
                         : "no payments in the year");
            r->detail = dg_strdup(why);
            if (!r->detail)
                rc = DG_ENOMEM;
        }
    }
    dg_yearly_finish(&y);
    return rc;
}

int dg_gate_run(const dg_ledger *l, const dg_policy *p, const dg_filter *f,
                const dg_load_options *load, dg_gate *out, dg_diags *diags)
{
    memset(out, 0, sizeof *out);
    out->results = calloc(10, sizeof *out->results);
    if (!out->results)
        return DG_ENOMEM;
    int rc = DG_OK;
    dg_loop_options lo;
    dg_loop_options_init(&lo);
    lo.filter = f ? *f : lo.filter;
    lo.max_len = p->max_len;
    lo.limit = 0;
    /* a gate must end: a ledger whose loops explode is an error after this
     * much search, not a job that runs until CI kills it */
    lo.max_seconds = DG_LOOPS_AUTO_SECONDS;
    dg_exposure e;
    memset(&e, 0, sizeof e);
    dg_ledger *base = NULL;
    dg_loop_ref *news = NULL;
    size_t nnews = 0;

    if (dg_has(p->max_exposure) || dg_has(p->max_fci)) {
        /* Finn's index is the network's, whatever the focus: without a
         * focus (and without max-exposure) any company will do */
        size_t focus = 0;
        rc = DG_OK;
        if (dg_has(p->max_exposure) || p->focus || l->focus)
            rc = dg_focus_resolve(l, p->focus, "check", &focus, diags);
        else if (l->ncompanies == 0)
            rc = DG_EINPUT;
        if (rc == DG_EINPUT && !diags->errors)
            dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                         "check: the ledger has no companies to measure");
        if (rc == DG_OK)
            rc = dg_exposure_compute(l, f, focus, &e, diags);
        if (rc != DG_OK)
            goto fail;
        if (dg_has(p->max_exposure)) {
            double worst = NAN;
            size_t who = SIZE_MAX;
            for (size_t i = 0; i < e.n; i++) {
                const dg_exposure_row *r = &e.rows[i];
                if (r->company == focus || !dg_has(r->direct_inflow_share))
                    continue;
                if (!dg_has(worst) || r->direct_inflow_share > worst) {
                    worst = r->direct_inflow_share;
                    who = r->company;
                }
            }
            dg_rule_result *r = add(out, "max-exposure", worst, p->max_exposure);
            if (who != SIZE_MAX) {
                r->detail = pair(l->companies[who].name, ", from ",
                                 l->companies[focus].name, "");
                if (!r->detail)
                    goto oom;
            }
        }
    }
    if (dg_has(p->max_loops)) {
        /* Counting far past the limit cannot change the verdict: count
         * exactly up to a million loops (or the limit, when higher), then
         * stop and say "at least". */
        dg_loop_options count = lo;
        if (p->max_loops < 1e15)
            count.limit = p->max_loops < 1e6 ? 1000000
                                             : (uint64_t)p->max_loops + 1;
        dg_loop_stats st;
        rc = dg_loops_each(l, &count, NULL, NULL, &st, diags);
        if (rc != DG_OK)
            goto fail;
        if (st.timed_out && (double)st.count <= p->max_loops) {
            rc = cut_short(diags, "max-loops", "counting the loops");
            goto fail;
        }
        dg_rule_result *r = add(out, "max-loops", (double)st.count,
                                p->max_loops);
        if (st.truncated) {
            r->detail = dg_strdup("at least: counting stops there, far "
                                  "over the limit");
            if (!r->detail)
                goto oom;
        }
    }
    if (dg_has(p->max_loop_value)) {
        biggest b = {NAN, "", {NULL, 0, 0, false}, l};
        dg_loop_stats st;
        rc = dg_loops_each(l, &lo, keep_biggest, &b, &st, diags);
        if (rc == DG_OK && b.companies.oom)
            rc = DG_ENOMEM;
        if (rc == DG_OK && st.timed_out)
            rc = cut_short(diags, "max-loop-value",
                           "looking for the largest loop");
        dg_rule_result *r = NULL;
        if (rc == DG_OK)
            r = add(out, "max-loop-value", b.value, p->max_loop_value);
        if (r && b.companies.data) {
            r->detail = pair(b.companies.data, " [", b.id, "]");
            if (!r->detail)
                rc = DG_ENOMEM;
        }
        dg_buf_finish(&b.companies);
        if (rc != DG_OK)
            goto fail;
    }
    if (dg_has(p->max_fci))
        add(out, "max-fci", e.fci, p->max_fci);
    if (p->no_new_loops) {
        int status = DG_OK;
        base = dg_ledger_load(p->no_new_loops, load, diags, &status);
        if (!base) {
            rc = status == DG_OK ? DG_EINPUT : status;
            goto fail;
        }
        lo.limit = 1000000;
        rc = dg_loops_compare(base, l, &lo, &news, &nnews, NULL, NULL);
        if (rc != DG_OK) {
            if (rc == DG_ELIMIT)
                dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                             "check: no-new-loops: too many loops to compare "
                             "(more than a million, %.0f s of search or %zu "
                             "MiB of loops); set max-len to compare them",
                             DG_LOOPS_AUTO_SECONDS, DG_LOOPS_MAX_BYTES >> 20);
            goto fail;
        }
        dg_rule_result *r = add(out, "no-new-loops", 0, 0);
        r->new_loops = news;
        r->nnew = nnews;
        news = NULL;
        r->measured = (double)r->nnew;
        r->holds = r->nnew == 0;
        r->detail = dg_strdup(p->no_new_loops);
        if (!r->detail)
            goto oom;
    }
    if (dg_has(p->max_revenue_dependence) || dg_has(p->min_coverage)) {
        rc = yearly_rules(l, p, f, out, diags);
        if (rc != DG_OK)
            goto fail;
    }
    out->holds = true;
    for (size_t i = 0; i < out->count; i++)
        out->holds = out->holds && out->results[i].holds;
    goto done;
oom:
    rc = DG_ENOMEM;
fail:
    dg_gate_finish(out);
done:
    dg_exposure_finish(&e);
    dg_ledger_destroy(base);
    dg_loop_refs_free(news, nnews);
    return rc;
}
