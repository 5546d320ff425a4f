/*
 * flows_bench.c - the time of a flow calendar (calendar.h) beyond loading:
 * issue 14's target is "a flow calendar of a 1,000-leg ledger over ten
 * years takes under 10 ms beyond loading".
 *
 *   flows_bench [-n LEGS] [-r RUNS] [-s SEED] [-w FILE.dot] [FILE]
 *
 * Without FILE it builds a random ledger in memory (seeded; every shape of
 * leg the schedule rule knows, in proportions below) and times
 * dg_calendar_compute over ten years (2024-2033) and over the default
 * years, RUNS times each, printing the best and the median. With FILE it
 * loads that ledger instead (the load is not timed). -w writes the random
 * ledger as a DOT file, so that the whole command can be timed too
 * (bench/README.md).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#endif
#include "dealgraph/calendar.h"
#include "dealgraph/dealgraph.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* xorshift64*: a fixed sequence for a seed, the same on every machine */
static uint64_t state;

static uint64_t next(void)
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 2685821657736338717ULL;
}

/* [0, 1): the top 53 bits over 2^53 */
static double uniform(void)
{
    return (double)(next() >> 11) / 9007199254740992.0;
}
static int pick(int n) { return (int)(uniform() * n); }

static dg_date month_date(int index) /* year * 12 + month - 1 */
{
    return (dg_date){(int16_t)(index / 12), (int8_t)(index % 12 + 1), 0};
}

/* The random ledger: 100 companies, `nlegs` legs announced 2022-2026.
 *  - 70% commercial (chips, cloud, services, lease, backstop):
 *      10% a total without a period (unscheduled),
 *      15% per year with an end, 10% per month with a term,
 *       5% per year with neither (term unknown),
 *      60% a total with start and end of 1-8 years: even 60%, ramp 20%,
 *          explicit weights 20%;
 *  - 30% equity, debt, warrant: 70% one-off, 30% with start and end;
 *  - 5% of all undisclosed. Amounts log-uniform, $100M-$300B. */
static dg_ledger *random_ledger(size_t nlegs)
{
    dg_ledger *l = dg_ledger_create();
    if (!l)
        return NULL;
    size_t ids[100];
    for (int c = 0; c < 100; c++) {
        char name[16];
        snprintf(name, sizeof name, "c%03d", c);
        if (dg_ledger_company(l, name, &ids[c]) != DG_OK)
            goto fail;
    }
    l->as_of = (dg_date){2026, 6, 30};
    static const dg_kind commercial[] = {DG_KIND_CHIPS, DG_KIND_CLOUD,
                                         DG_KIND_SERVICES, DG_KIND_LEASE,
                                         DG_KIND_BACKSTOP};
    static const dg_kind financial[] = {DG_KIND_EQUITY, DG_KIND_DEBT,
                                        DG_KIND_WARRANT};
    for (size_t i = 0; i < nlegs; i++) {
        dg_leg g;
        memset(&g, 0, sizeof g);
        g.from = ids[pick(100)];
        do
            g.to = ids[pick(100)];
        while (g.to == g.from);
        g.amount = 1e8 * pow(3000.0, uniform());
        g.amount_low = g.amount_high = g.funded = NAN;
        g.status = DG_STATUS_DEFINITIVE;
        g.superseded_by = SIZE_MAX;
        int announced = 2022 * 12 + pick(60);
        g.announced = month_date(announced);
        int start = announced + pick(12);
        int years = 1 + pick(8);
        double weights[8];
        char deal[32];
        snprintf(deal, sizeof deal, "d%zu", i);
        g.deal = deal;
        g.line = (long)i + 1;
        double u = uniform();
        if (uniform() < 0.7) {
            g.kind = commercial[pick(5)];
            if (u < 0.10) {
                /* no period: unscheduled */
            } else if (u < 0.25) {
                g.per = DG_PER_YEAR;
                g.amount /= years;
                g.start = month_date(start);
                g.end = month_date(start + 12 * years - 1);
            } else if (u < 0.35) {
                g.per = DG_PER_MONTH;
                g.amount /= 12.0 * years;
                g.start = month_date(start);
                g.term_months = 12 * years;
            } else if (u < 0.40) {
                g.per = DG_PER_YEAR;
                g.start = month_date(start);
            } else {
                g.start = month_date(start);
                g.end = month_date(start + 12 * years - 1);
                double p = uniform();
                if (p < 0.2) {
                    g.profile = DG_PROFILE_RAMP;
                } else if (p < 0.4) {
                    g.profile = DG_PROFILE_WEIGHTS;
                    for (int k = 0; k < years; k++)
                        weights[k] = 1 + pick(100);
                    g.weights = weights;
                    g.nweights = (size_t)years;
                }
            }
        } else {
            g.kind = financial[pick(3)];
            if (u < 0.3) {
                g.start = month_date(start);
                g.end = month_date(start + 12 * years - 1);
            }
        }
        if (uniform() < 0.05)
            g.amount = NAN;
        if (dg_ledger_add_leg(l, &g) != DG_OK)
            goto fail;
    }
    return l;
fail:
    dg_ledger_destroy(l);
    return NULL;
}

/* The ledger as DOT text a loader reads back (for timing the command). */
static int write_dot(const dg_ledger *l, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "digraph \"flows-bench\" {\n  graph [as_of=\"2026-06-30\"];\n");
    char d[16], m[40];
    for (size_t i = 0; i < l->nlegs; i++) {
        const dg_leg *g = &l->legs[i];
        fprintf(f, "  \"%s\" -> \"%s\" [kind=\"%s\", status=\"definitive\", "
                   "announced=\"%s\", deal=\"%s\"",
                l->companies[g->from].name, l->companies[g->to].name,
                dg_kind_name(g->kind),
                dg_date_format(g->announced, d, sizeof d), g->deal);
        if (dg_has(g->amount))
            fprintf(f, ", amount=\"%s\"",
                    dg_money_exact(g->amount, m, sizeof m));
        if (g->per != DG_PER_TOTAL)
            fprintf(f, ", per=\"%s\"",
                    g->per == DG_PER_YEAR ? "year" : "month");
        if (dg_date_valid(g->start))
            fprintf(f, ", start=\"%s\"",
                    dg_date_format(g->start, d, sizeof d));
        if (dg_date_valid(g->end))
            fprintf(f, ", end=\"%s\"", dg_date_format(g->end, d, sizeof d));
        if (g->term_months > 0)
            fprintf(f, ", term=\"%dm\"", g->term_months);
        if (g->profile == DG_PROFILE_RAMP)
            fprintf(f, ", profile=\"ramp\"");
        if (g->profile == DG_PROFILE_WEIGHTS) {
            fprintf(f, ", profile=\"");
            for (size_t k = 0; k < g->nweights; k++)
                fprintf(f, "%s%g", k ? "," : "", g->weights[k]);
            fputc('"', f);
        }
        fprintf(f, "];\n");
    }
    fprintf(f, "}\n");
    return fclose(f) == 0 ? 0 : -1;
}

static const char *first_error_message(const dg_diags *d)
{
    for (size_t k = 0; k < d->count; k++)
        if (d->items[k].severity == DG_SEV_ERROR)
            return d->items[k].message;
    return "?";
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Times `runs` calendars of l over first..last (0, 0: the default). */
static int time_calendar(const dg_ledger *l, int first, int last, int runs)
{
    double *t = malloc((size_t)runs * sizeof *t);
    if (!t)
        return -1;
    dg_calendar_options o;
    dg_calendar_options_init(&o);
    o.first_year = first;
    o.last_year = last;
    dg_calendar f;
    double check = 0;
    for (int r = 0; r < runs; r++) {
        dg_diags d;
        dg_diags_init(&d);
        double t0 = now_ms();
        int rc = dg_calendar_compute(l, &o, &f, &d);
        t[r] = now_ms() - t0;
        if (rc != DG_OK) {
            fprintf(stderr, "flows_bench: %s\n",
                    d.count ? d.items[0].message : dg_strerror(rc));
            dg_diags_finish(&d);
            dg_calendar_finish(&f);
            free(t);
            return -1;
        }
        if (r == 0) {
            for (size_t y = 0; y < f.nyears; y++)
                check += f.total[y];
            printf("  years %d-%d (%zu): %zu legs, %zu scheduled, %zu "
                   "unscheduled, %zu undisclosed, %zu pairs; "
                   "$%.6gB in the years, $%.6gB before, $%.6gB after\n",
                   f.first_year, f.last_year, f.nyears, f.nlegs,
                   f.scheduled_legs, f.unscheduled_legs, f.undisclosed_legs,
                   f.npairs, check / 1e9, f.before / 1e9, f.after / 1e9);
        }
        dg_calendar_finish(&f);
        dg_diags_finish(&d);
    }
    qsort(t, (size_t)runs, sizeof *t, by_value);
    printf("  dg_calendar_compute: best %.3f ms, median %.3f ms (%d runs)\n",
           t[0], t[runs / 2], runs);
    free(t);
    return 0;
}

int main(int argc, char **argv)
{
    size_t nlegs = 1000;
    int runs = 200;
    uint64_t seed = 14;
    const char *out = NULL, *in = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            nlegs = (size_t)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (argv[i][0] != '-' && !in)
            in = argv[i];
        else {
            fprintf(stderr, "usage: flows_bench [-n LEGS] [-r RUNS] [-s SEED] "
                            "[-w FILE.dot] [FILE]\n");
            return 2;
        }
    }
    if (runs < 1)
        runs = 1;
    state = seed ? seed : 1;
    dg_ledger *l = NULL;
    if (in) {
        dg_diags d;
        dg_diags_init(&d);
        dg_load_options lo;
        dg_load_options_init(&lo);
        int rc = DG_OK;
        l = dg_ledger_load(in, &lo, &d, &rc);
        if (!l) {
            fprintf(stderr, "flows_bench: %s: %s\n", in,
                    d.errors ? first_error_message(&d) : dg_strerror(rc));
            dg_diags_finish(&d);
            return 2;
        }
        dg_diags_finish(&d);
        printf("%s: %zu legs, %zu companies\n", in, l->nlegs, l->ncompanies);
    } else {
        l = random_ledger(nlegs);
        if (!l) {
            fprintf(stderr, "flows_bench: out of memory\n");
            return 2;
        }
        printf("random ledger (seed %llu): %zu legs, %zu companies\n",
               (unsigned long long)seed, l->nlegs, l->ncompanies);
        if (out && write_dot(l, out) != 0) {
            fprintf(stderr, "flows_bench: cannot write %s\n", out);
            dg_ledger_destroy(l);
            return 2;
        }
    }
    int rc = time_calendar(l, 2024, 2033, runs);
    if (rc == 0)
        rc = time_calendar(l, 0, 0, runs);
    dg_ledger_destroy(l);
    return rc == 0 ? 0 : 1;
}
