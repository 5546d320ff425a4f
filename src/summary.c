/*
 * summary.c - counts and totals of a ledger, by kind and by status.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void add(dg_total *t, double v)
{
    t->legs++;
    if (dg_has(v))
        t->value += v;
    else
        t->undisclosed++;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int dg_summary_compute(const dg_ledger *l, const dg_filter *filter,
                       dg_summary *out)
{
    memset(out, 0, sizeof *out);
    out->companies = l->ncompanies;
    dg_amounts scenario = filter ? filter->amounts : DG_AMOUNTS_DISCLOSED;
    const char **deals = malloc((l->nlegs ? l->nlegs : 1) * sizeof *deals);
    size_t ndeals = 0;
    if (!deals)
        return DG_ENOMEM;
    for (size_t i = 0; i < l->nlegs; i++) {
        const dg_leg *g = &l->legs[i];
        if (!dg_filter_keep(filter, g))
            continue;
        out->legs++;
        double v = dg_leg_value(g, scenario);
        add(&out->all, v);
        add(&out->by_kind[g->kind], v);
        add(&out->by_status[g->status], v);
        out->upto_legs += g->upto;
        out->per_year_legs += g->per != DG_PER_TOTAL;
        out->estimated_legs += !dg_has(g->amount) && dg_has(g->amount_low);
        if (!dg_date_valid(out->first) ||
            dg_date_cmp(g->announced, out->first) < 0)
            out->first = g->announced;
        if (!dg_date_valid(out->last) ||
            dg_date_cmp(g->announced, out->last) > 0)
            out->last = g->announced;
        if (g->deal)
            deals[ndeals++] = g->deal;
        else
            out->deals++; /* a leg without a deal id is a deal of its own */
    }
    /* distinct deal ids */
    qsort(deals, ndeals, sizeof *deals, by_text);
    /* A group whose legs are all undisclosed has no value, not a zero. */
    dg_total *groups[1 + DG_KIND_COUNT + DG_STATUS_COUNT];
    size_t ng = 0;
    groups[ng++] = &out->all;
    for (int k = 0; k < DG_KIND_COUNT; k++)
        groups[ng++] = &out->by_kind[k];
    for (int k = 0; k < DG_STATUS_COUNT; k++)
        groups[ng++] = &out->by_status[k];
    for (size_t i = 0; i < ng; i++)
        if (groups[i]->legs > 0 && groups[i]->undisclosed == groups[i]->legs)
            groups[i]->value = NAN;
    for (size_t i = 0; i < ndeals; i++)
        out->deals += i == 0 || strcmp(deals[i], deals[i - 1]) != 0;
    free(deals);
    return DG_OK;
}
