/*
 * model.c - the ledger: companies and legs, their vocabularies, amount
 * scenarios and filters.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[DG_KIND_COUNT] = {
    "chips", "cloud", "services", "equity",
    "warrant", "debt", "lease", "backstop",
};

static const char *const status_names[DG_STATUS_COUNT] = {
    "completed", "definitive", "announced", "reported", "loi", "talks",
};

static const char *const sector_names[DG_SECTOR_COUNT] = {
    "", "lab", "chips", "cloud", "investor", "spv", "other",
};

const char *dg_kind_name(dg_kind k)
{
    return (unsigned)k < DG_KIND_COUNT ? kind_names[k] : "?";
}

const char *dg_status_name(dg_status s)
{
    return (unsigned)s < DG_STATUS_COUNT ? status_names[s] : "?";
}

const char *dg_sector_name(dg_sector s)
{
    return (unsigned)s < DG_SECTOR_COUNT ? sector_names[s] : "?";
}

static bool lookup(const char *const *names, int count, const char *text,
                   int *out)
{
    if (!text)
        return false;
    for (int i = 0; i < count; i++) {
        if (names[i][0] && strcmp(names[i], text) == 0) {
            *out = i;
            return true;
        }
    }
    return false;
}

bool dg_kind_parse(const char *text, dg_kind *out)
{
    int i;
    if (!lookup(kind_names, DG_KIND_COUNT, text, &i))
        return false;
    *out = (dg_kind)i;
    return true;
}

bool dg_status_parse(const char *text, dg_status *out)
{
    int i;
    if (!lookup(status_names, DG_STATUS_COUNT, text, &i))
        return false;
    *out = (dg_status)i;
    return true;
}

bool dg_sector_parse(const char *text, dg_sector *out)
{
    int i;
    if (!lookup(sector_names, DG_SECTOR_COUNT, text, &i))
        return false;
    *out = (dg_sector)i;
    return true;
}

/* ---- the name index: open addressing over company indexes ---------------- */

typedef struct name_index {
    size_t *slots; /* company index + 1; 0 = empty */
    size_t cap;    /* a power of two */
} name_index;

static uint64_t hash_name(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static bool index_grow(dg_ledger *l)
{
    name_index *ix = l->index;
    size_t cap = ix->cap ? ix->cap * 2 : 64;
    size_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < l->ncompanies; i++) {
        size_t h = (size_t)hash_name(l->companies[i].name) & (cap - 1);
        while (slots[h])
            h = (h + 1) & (cap - 1);
        slots[h] = i + 1;
    }
    free(ix->slots);
    ix->slots = slots;
    ix->cap = cap;
    return true;
}

dg_ledger *dg_ledger_create(void)
{
    dg_ledger *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->index = calloc(1, sizeof(name_index));
    if (!l->index) {
        free(l);
        return NULL;
    }
    return l;
}

static void series_clear(dg_series *s)
{
    free(s->points);
    s->points = NULL;
    s->n = 0;
}

static void company_clear(dg_company *c)
{
    series_clear(&c->revenue);
    series_clear(&c->capex_by_year);
    series_clear(&c->ebitda_by_year);
    series_clear(&c->ocf);
    series_clear(&c->debt);
    free(c->name);
    free(c->label);
    free(c->equity_basis);
    free(c->period);
    free(c->currency);
    free(c->source);
    free(c->note);
}

void dg_leg_clear(dg_leg *leg)
{
    free(leg->deal);
    free(leg->source);
    free(leg->note);
    free(leg->url);
    free(leg->id);
    free(leg->ended_why);
    free(leg->estimate_by);
    free(leg->weights);
    for (size_t k = 0; k < leg->nsupersedes; k++)
        free(leg->supersedes[k]);
    free(leg->supersedes);
    leg->deal = leg->source = leg->note = leg->url = leg->id = NULL;
    leg->ended_why = leg->estimate_by = NULL;
    leg->weights = NULL;
    leg->nweights = 0;
    leg->supersedes = NULL;
    leg->nsupersedes = 0;
}

void dg_ledger_destroy(dg_ledger *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->ncompanies; i++)
        company_clear(&l->companies[i]);
    for (size_t i = 0; i < l->nlegs; i++)
        dg_leg_clear(&l->legs[i]);
    free(l->companies);
    free(l->legs);
    free(l->path);
    free(l->legs_file);
    free(l->companies_file);
    free(l->focus_file);
    free(l->focus);
    free(l->title);
    if (l->index)
        free(((name_index *)l->index)->slots);
    free(l->index);
    free(l);
}

size_t dg_ledger_find(const dg_ledger *l, const char *name)
{
    const name_index *ix = l->index;
    if (!ix->cap)
        return (size_t)-1;
    size_t h = (size_t)hash_name(name) & (ix->cap - 1);
    while (ix->slots[h]) {
        size_t i = ix->slots[h] - 1;
        if (strcmp(l->companies[i].name, name) == 0)
            return i;
        h = (h + 1) & (ix->cap - 1);
    }
    return (size_t)-1;
}

void dg_company_init(dg_company *c)
{
    memset(c, 0, sizeof *c);
    c->equity = c->cash = c->outside_inflow = NAN;
    c->capex = c->ebitda = NAN;
    c->rpo = NAN;
    c->equity_as_of = (dg_date){0, 0, 0};
    c->cash_as_of = (dg_date){0, 0, 0};
}

int dg_limit_error(dg_diags *diags, const char *file, long line, bool legs)
{
    size_t max = legs ? DG_MAX_LEGS : DG_MAX_COMPANIES;
    int rc = dg_diags_add(diags, DG_SEV_ERROR, file, line,
                          "more than %zu %s; a ledger holds at most %zu%s",
                          max, legs ? "legs" : "companies", max,
                          legs ? " (an edge statement between subgraphs "
                                 "makes a leg for every pair: {a b} -> "
                                 "{c d} is 4 legs)"
                               : "");
    return rc == DG_OK ? DG_ELIMIT : rc;
}

int dg_ledger_company(dg_ledger *l, const char *name, size_t *index)
{
    size_t i = dg_ledger_find(l, name);
    if (i != (size_t)-1) {
        *index = i;
        return DG_OK;
    }
    if (l->ncompanies >= DG_MAX_COMPANIES)
        return DG_ELIMIT;
    name_index *ix = l->index;
    /* Keep the table at most half full. */
    if ((l->ncompanies + 1) * 2 > ix->cap && !index_grow(l))
        return DG_ENOMEM;
    if (l->ncompanies == l->cap_companies) {
        size_t cap = l->cap_companies ? l->cap_companies * 2 : 16;
        dg_company *p = realloc(l->companies, cap * sizeof *p);
        if (!p)
            return DG_ENOMEM;
        l->companies = p;
        l->cap_companies = cap;
    }
    dg_company *c = &l->companies[l->ncompanies];
    dg_company_init(c);
    c->name = dg_strdup(name);
    if (!c->name)
        return DG_ENOMEM;
    size_t h = (size_t)hash_name(name) & (ix->cap - 1);
    while (ix->slots[h])
        h = (h + 1) & (ix->cap - 1);
    ix->slots[h] = l->ncompanies + 1;
    *index = l->ncompanies++;
    return DG_OK;
}

void dg_leg_init(dg_leg *leg)
{
    memset(leg, 0, sizeof *leg);
    leg->amount = leg->amount_low = leg->amount_high = NAN;
    leg->funded = NAN;
    leg->status = DG_STATUS_TALKS;
    leg->superseded_by = SIZE_MAX;
}

/* A copy of a string that may be NULL; *ok is cleared when memory runs
 * out. */
static char *dup_or_null(const char *s, bool *ok)
{
    if (!s)
        return NULL;
    char *d = dg_strdup(s);
    if (!d)
        *ok = false;
    return d;
}

int dg_ledger_add_leg(dg_ledger *l, const dg_leg *leg)
{
    if (leg->from >= l->ncompanies || leg->to >= l->ncompanies)
        return DG_EUSAGE;
    if (l->nlegs >= DG_MAX_LEGS)
        return DG_ELIMIT;
    if (l->nlegs == l->cap_legs) {
        size_t cap = l->cap_legs ? l->cap_legs * 2 : 32;
        dg_leg *p = realloc(l->legs, cap * sizeof *p);
        if (!p)
            return DG_ENOMEM;
        l->legs = p;
        l->cap_legs = cap;
    }
    dg_leg copy = *leg;
    bool ok = true;
    copy.deal = dup_or_null(leg->deal, &ok);
    copy.source = dup_or_null(leg->source, &ok);
    copy.note = dup_or_null(leg->note, &ok);
    copy.url = dup_or_null(leg->url, &ok);
    copy.id = dup_or_null(leg->id, &ok);
    copy.ended_why = dup_or_null(leg->ended_why, &ok);
    copy.estimate_by = dup_or_null(leg->estimate_by, &ok);
    copy.weights = NULL;
    copy.supersedes = NULL;
    copy.nsupersedes = 0;
    if (leg->nweights) {
        copy.weights = malloc(leg->nweights * sizeof *copy.weights);
        if (copy.weights)
            memcpy(copy.weights, leg->weights,
                   leg->nweights * sizeof *copy.weights);
        else
            ok = false;
    }
    if (ok && leg->nsupersedes) {
        copy.supersedes = calloc(leg->nsupersedes, sizeof *copy.supersedes);
        ok = copy.supersedes != NULL;
        for (size_t k = 0; ok && k < leg->nsupersedes; k++, copy.nsupersedes++)
            ok = (copy.supersedes[k] = dg_strdup(leg->supersedes[k])) != NULL;
    }
    if (!ok) {
        dg_leg_clear(&copy);
        return DG_ENOMEM;
    }
    l->legs[l->nlegs++] = copy;
    return DG_OK;
}

/* ---- scenarios and filters --------------------------------------------- */

static const char *const amounts_names[] = {"disclosed", "low", "mid", "high"};

bool dg_amounts_parse(const char *text, dg_amounts *out)
{
    int i;
    if (!lookup(amounts_names, 4, text, &i))
        return false;
    *out = (dg_amounts)i;
    return true;
}

const char *dg_amounts_name(dg_amounts a)
{
    return (unsigned)a < 4 ? amounts_names[a] : "?";
}

double dg_leg_value(const dg_leg *leg, dg_amounts scenario)
{
    if (dg_has(leg->amount) || scenario == DG_AMOUNTS_DISCLOSED)
        return leg->amount;
    if (!dg_has(leg->amount_low) || !dg_has(leg->amount_high))
        return NAN;
    switch (scenario) {
    case DG_AMOUNTS_LOW: return leg->amount_low;
    case DG_AMOUNTS_HIGH: return leg->amount_high;
    default: return (leg->amount_low + leg->amount_high) / 2;
    }
}

void dg_filter_init(dg_filter *f)
{
    memset(f, 0, sizeof *f);
    f->min_status = DG_STATUS_TALKS;
    f->amounts = DG_AMOUNTS_DISCLOSED;
}

bool dg_filter_keep(const dg_filter *f, const dg_leg *leg)
{
    if (!f)
        return true;
    if (leg->status > f->min_status)
        return false;
    if (f->kinds && !(f->kinds & (1u << leg->kind)))
        return false;
    if (!dg_date_valid(f->as_of))
        return !dg_date_valid(leg->ends); /* the ledger as it stands */
    if (dg_date_cmp(leg->announced, f->as_of) > 0)
        return false;
    /* ended by the date: on or before it */
    return !dg_date_valid(leg->ends) || dg_date_cmp(leg->ends, f->as_of) > 0;
}

/* ---- figures by year and terms ------------------------------------------ */

const char *dg_per_name(dg_per p)
{
    static const char *const names[] = {"total", "year", "month"};
    return (unsigned)p <= DG_PER_MONTH ? names[p] : "?";
}

const char *dg_basis_name(dg_basis b)
{
    static const char *const names[] = {"actual", "guidance", "estimate"};
    return (unsigned)b < DG_BASIS_COUNT ? names[b] : "?";
}

double dg_series_get(const dg_series *s, int year, dg_basis *basis)
{
    for (size_t k = 0; s && k < s->n; k++)
        if (s->points[k].year == year) {
            if (basis)
                *basis = s->points[k].basis;
            return s->points[k].value;
        }
    return NAN;
}

bool dg_term_parse(const char *text, int *months)
{
    size_t n = strlen(text);
    if (n < 2 || (text[n - 1] != 'y' && text[n - 1] != 'm') ||
        !(text[0] >= '0' && text[0] <= '9'))
        return false;
    char *end;
    double v = strtod(text, &end);
    if (end != text + n - 1 || !(v > 0))
        return false;
    double m = text[n - 1] == 'y' ? v * 12 : v;
    if (m > 1200 || m < 1 || m != (double)(long)m)
        return false;
    *months = (int)m;
    return true;
}

bool dg_kinds_parse(const char *text, unsigned *mask, const char **bad)
{
    unsigned m = 0;
    const char *p = text;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char name[32];
        dg_kind k;
        if (n == 0 || n >= sizeof name) {
            *bad = p;
            return false;
        }
        memcpy(name, p, n);
        name[n] = '\0';
        if (!dg_kind_parse(name, &k)) {
            *bad = p;
            return false;
        }
        m |= 1u << k;
        if (!comma)
            break;
        p = comma + 1;
    }
    *mask = m;
    return true;
}

/* ---- name order ------------------------------------------------------------- */

/* qsort has no context argument in C11: the ledger being sorted, set only
 * for the duration of one call (the library is not thread-safe, like
 * cgraph beneath it). */
static const dg_ledger *order_ledger;

static int by_company_name(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(order_ledger->companies[x].name,
                   order_ledger->companies[y].name);
    return c ? c : (x > y) - (x < y);
}

void dg_name_order(const dg_ledger *l, size_t *company, size_t *rank)
{
    size_t n = l->ncompanies;
    for (size_t i = 0; i < n; i++)
        company[i] = i;
    order_ledger = l;
    if (n > 1)
        qsort(company, n, sizeof *company, by_company_name);
    order_ledger = NULL;
    if (rank)
        for (size_t k = 0; k < n; k++)
            rank[company[k]] = k;
}
