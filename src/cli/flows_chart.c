/*
 * flows_chart.c - the stacked bars of one company's payments per year, by
 * counterparty (flows_chart.h).
 */
#include "flows_chart.h"
#include "chart.h"
#include "dealgraph/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct payee {
    const dg_calendar_pair *pair;
    double sum; /* over the calendar's years */
    size_t at;  /* name order, for ties */
} payee;

static int by_sum(const void *a, const void *b)
{
    const payee *x = a, *y = b;
    if (x->sum != y->sum)
        return x->sum > y->sum ? -1 : 1;
    return (x->at > y->at) - (x->at < y->at);
}

/* "Not drawn: $250B with no delivery period, 1 undisclosed leg, ..." */
static void note_text(const dg_calendar *f, const dg_calendar_company *c,
                      dg_buf *b)
{
    char m[32];
    size_t parts = 0;
    dg_buf_puts(b, "Scheduled payments by calendar year.");
    if (c->unscheduled_out > 0)
        dg_buf_printf(b, "%s %s with no delivery period", parts++ ? "," :
                      " Not drawn:",
                      dg_money_format(c->unscheduled_out, m, sizeof m));
    if (c->undisclosed_out)
        dg_buf_printf(b, "%s %zu undisclosed leg%s", parts++ ? "," :
                      " Not drawn:", c->undisclosed_out,
                      c->undisclosed_out == 1 ? "" : "s");
    if (c->before_out > 0.005)
        dg_buf_printf(b, "%s %s before %d", parts++ ? "," : " Not drawn:",
                      dg_money_format(c->before_out, m, sizeof m),
                      f->first_year);
    if (c->after_out > 0.005)
        dg_buf_printf(b, "%s %s after %d", parts++ ? "," : " Not drawn:",
                      dg_money_format(c->after_out, m, sizeof m),
                      f->last_year);
    if (parts)
        dg_buf_putc(b, '.');
    if (c->term_unknown_out)
        dg_buf_printf(b, " %zu leg%s: first 12 months only (term unknown).",
                      c->term_unknown_out,
                      c->term_unknown_out == 1 ? "" : "s");
}

char *flows_chart_svg(const dg_ledger *l, const dg_calendar *f, size_t focus,
                      size_t *len)
{
    size_t ny = f->nyears, np = 0;
    payee *payees = calloc(f->npairs ? f->npairs : 1, sizeof *payees);
    char **labels = calloc(ny ? ny : 1, sizeof *labels);
    chart_series *series =
        calloc(FLOWS_CHART_SERIES + 1, sizeof *series);
    double *others = calloc(ny ? ny : 1, sizeof *others);
    char *others_name = NULL, *title = NULL, *svg = NULL;
    dg_buf note;
    dg_buf_init(&note);
    bool ok = payees && labels && series && others;
    for (size_t y = 0; ok && y < ny; y++) {
        char t[16];
        snprintf(t, sizeof t, "%d", f->first_year + (int)y);
        ok = (labels[y] = strdup(t)) != NULL;
    }
    /* the pairs out of the focus that pay something in the years */
    for (size_t k = 0; ok && k < f->npairs; k++) {
        const dg_calendar_pair *p = &f->pairs[k];
        if (p->from != focus)
            continue;
        double sum = 0;
        for (size_t y = 0; y < ny; y++)
            sum += p->by_year[y];
        if (sum > 0.005)
            payees[np++] = (payee){p, sum, k};
    }
    /* the years drawn: from the first in which the focus pays something
     * (the years before hold nothing of its) to the calendar's last */
    size_t y0 = 0;
    while (y0 + 1 < ny && !(f->companies[focus].out[y0] > 0.005))
        y0++;
    size_t ns = 0;
    if (ok) {
        qsort(payees, np, sizeof *payees, by_sum);
        /* all apart when they fit the palette's ten colours */
        size_t apart = np <= FLOWS_CHART_SERIES + 1 ? np : FLOWS_CHART_SERIES;
        for (; ns < apart; ns++)
            series[ns] = (chart_series){l->companies[payees[ns].pair->to].name,
                                        payees[ns].pair->by_year + y0};
        if (apart < np) {
            for (size_t k = apart; k < np; k++)
                for (size_t y = 0; y < ny; y++)
                    others[y] += payees[k].pair->by_year[y];
            char t[48];
            snprintf(t, sizeof t, "%zu others", np - apart);
            ok = (others_name = strdup(t)) != NULL;
            series[ns++] = (chart_series){others_name, others + y0};
        }
    }
    if (ok) {
        const char *name = l->companies[focus].name;
        size_t n = strlen(name) + 64;
        title = malloc(n);
        ok = title != NULL;
        if (ok)
            snprintf(title, n, "%s pays per year, by counterparty", name);
        note_text(f, &f->companies[focus], &note);
        ok = ok && !note.oom;
    }
    if (ok) {
        const char *const *x = (const char *const *)labels + y0;
        chart c = {title,  x,    ny - y0,  series,
                   ns,     CHART_MONEY, true, note.data};
        svg = chart_svg(&c, len);
    }
    for (size_t y = 0; labels && y < ny; y++)
        free(labels[y]);
    free(labels);
    free(payees);
    free(series);
    free(others);
    free(others_name);
    free(title);
    dg_buf_finish(&note);
    return svg;
}
