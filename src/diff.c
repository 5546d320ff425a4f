/*
 * diff.c - two versions of a ledger compared: legs by identity (deal id,
 * endpoints, kind), loops by id, and direct inflow shares from the focus.
 */
#include "dealgraph/diff.h"
#include "dealgraph/exposure.h"
#include "dealgraph/loopset.h"
#include "dealgraph/yearly.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void dg_diff_options_init(dg_diff_options *o)
{
    memset(o, 0, sizeof *o);
    dg_loop_options_init(&o->loops);
    o->loops.limit = 1000000;
    o->loops.max_seconds = DG_LOOPS_AUTO_SECONDS;
    o->min_share_change = 1e-4;
}

/* ---- loops as references ---------------------------------------------------- */

void dg_loop_refs_free(dg_loop_ref *refs, size_t n)
{
    for (size_t i = 0; refs && i < n; i++) {
        free(refs[i].companies);
        free(refs[i].signature);
    }
    free(refs);
}

/* Every loop of `l` under opt, in id order; DG_ELIMIT when not all of
 * them could be had. */
static int all_loops(const dg_ledger *l, const dg_loop_options *opt,
                     dg_loopset **out)
{
    int rc = dg_loopset_collect(l, opt, DG_LOOPS_MAX_BYTES, out, NULL);
    if (rc == DG_OK && !dg_loopset_complete(*out))
        rc = DG_ELIMIT;
    if (rc == DG_OK)
        rc = dg_loopset_sort(*out, DG_LOOP_ORDER_ID);
    if (rc != DG_OK) {
        dg_loopset_destroy(*out);
        *out = NULL;
    }
    return rc;
}

static int make_ref(const dg_ledger *l, const dg_loop *loop, dg_loop_ref *x)
{
    dg_buf c, sig;
    dg_buf_init(&c);
    dg_buf_init(&sig);
    dg_loop_companies_text(l, loop, " > ", true, &c);
    dg_loop_signature_text(loop, &sig);
    memcpy(x->id, loop->id, sizeof x->id);
    x->companies = dg_buf_take(&c);
    x->signature = dg_buf_take(&sig);
    x->value = loop->value;
    x->pattern = loop->pattern;
    if (!x->companies || !x->signature) {
        free(x->companies);
        free(x->signature);
        return DG_ENOMEM;
    }
    return DG_OK;
}

/* The loops of `a` whose id `b` lacks (both in id order). */
static int missing(const dg_loopset *a, const dg_loopset *b,
                   dg_loop_ref **refs, size_t *n)
{
    size_t na = dg_loopset_count(a), nb = dg_loopset_count(b), j = 0;
    *n = 0;
    *refs = calloc(na ? na : 1, sizeof **refs);
    if (!*refs)
        return DG_ENOMEM;
    for (size_t i = 0; i < na; i++) {
        const dg_loop *x = dg_loopset_loop(a, i);
        while (j < nb && strcmp(dg_loopset_loop(b, j)->id, x->id) < 0)
            j++;
        if (j < nb && strcmp(dg_loopset_loop(b, j)->id, x->id) == 0)
            continue;
        if (make_ref(dg_loopset_ledger(a), x, &(*refs)[*n]) != DG_OK) {
            dg_loop_refs_free(*refs, *n);
            *refs = NULL;
            *n = 0;
            return DG_ENOMEM;
        }
        (*n)++;
    }
    return DG_OK;
}

int dg_loops_compare(const dg_ledger *before, const dg_ledger *after,
                     const dg_loop_options *opt, dg_loop_ref **only_after,
                     size_t *nafter, dg_loop_ref **only_before,
                     size_t *nbefore)
{
    dg_loopset *a = NULL, *b = NULL;
    int rc = all_loops(before, opt, &a);
    if (rc == DG_OK)
        rc = all_loops(after, opt, &b);
    if (rc == DG_OK && only_after)
        rc = missing(b, a, only_after, nafter);
    if (rc == DG_OK && only_before) {
        rc = missing(a, b, only_before, nbefore);
        if (rc != DG_OK && only_after) {
            dg_loop_refs_free(*only_after, *nafter);
            *only_after = NULL;
            *nafter = 0;
        }
    }
    dg_loopset_destroy(a);
    dg_loopset_destroy(b);
    return rc;
}

/* ---- legs ------------------------------------------------------------------- */

typedef struct keyed {
    char *key;
    size_t index;
} keyed;

static int by_key(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* A leg's identity: deal id, endpoints and kind (docs/cli.md). */
static keyed *leg_keys(const dg_ledger *l)
{
    keyed *k = calloc(l->nlegs ? l->nlegs : 1, sizeof *k);
    if (!k)
        return NULL;
    for (size_t i = 0; i < l->nlegs; i++) {
        const dg_leg *g = &l->legs[i];
        dg_buf b;
        dg_buf_init(&b);
        dg_buf_puts(&b, g->deal ? g->deal : "");
        dg_buf_putc(&b, '\x1f');
        dg_buf_puts(&b, l->companies[g->from].name);
        dg_buf_putc(&b, '\x1f');
        dg_buf_puts(&b, l->companies[g->to].name);
        dg_buf_putc(&b, '\x1f');
        dg_buf_puts(&b, dg_kind_name(g->kind));
        k[i].key = dg_buf_take(&b);
        k[i].index = i;
        if (!k[i].key) {
            for (size_t j = 0; j < i; j++)
                free(k[j].key);
            free(k);
            return NULL;
        }
    }
    qsort(k, l->nlegs, sizeof *k, by_key);
    return k;
}

static void free_keys(keyed *k, size_t n)
{
    for (size_t i = 0; k && i < n; i++)
        free(k[i].key);
    free(k);
}

/* An amount as the ledger would write it: short when that is exact. */
static char *money_text(double v)
{
    char buf[64];
    if (!dg_has(v))
        return dg_strdup("");
    dg_money_format(v, buf, sizeof buf);
    double back;
    if (!dg_money_parse(buf, &back) || back != v)
        snprintf(buf, sizeof buf, "%.15g", v);
    return dg_strdup(buf);
}

static char *date_text(dg_date d)
{
    char buf[16];
    return dg_strdup(dg_date_format(d, buf, sizeof buf));
}

static char *bool_text(bool b) { return dg_strdup(b ? "true" : "false"); }

static bool same_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static bool same_num(double a, double b)
{
    return (!dg_has(a) && !dg_has(b)) || a == b;
}

static bool same_date(dg_date a, dg_date b)
{
    return a.year == b.year && a.month == b.month && a.day == b.day;
}

typedef struct changes {
    dg_field_change v[32];
    size_t n;
    bool oom;
} changes;

static void changes_clear(changes *c)
{
    for (size_t k = 0; k < c->n; k++) {
        free(c->v[k].before);
        free(c->v[k].after);
    }
    c->n = 0;
}

static void note(changes *c, const char *field, char *before, char *after)
{
    if (!before || !after) {
        free(before);
        free(after);
        c->oom = true;
        return;
    }
    c->v[c->n++] = (dg_field_change){field, before, after};
}

/* An attribute by its text (legs or companies), noted when it differs:
 * the attributes of the time model, compared as the ledger writes them. */
typedef bool attr_text_fn(const void *x, const char *name, dg_buf *out);

static bool leg_text(const void *x, const char *name, dg_buf *out)
{
    return dg_leg_attr_text(x, name, out);
}

static bool company_text(const void *x, const char *name, dg_buf *out)
{
    return dg_company_attr_text(x, name, out);
}

static void compare_texts(const void *a, const void *b, attr_text_fn *text,
                          const char *const *names, changes *c)
{
    for (size_t k = 0; names[k]; k++) {
        dg_buf x, y;
        dg_buf_init(&x);
        dg_buf_init(&y);
        text(a, names[k], &x);
        text(b, names[k], &y);
        if (x.oom || y.oom)
            c->oom = true;
        else if (!same_str(x.data, y.data))
            note(c, names[k], dg_strdup(x.data ? x.data : ""),
                 dg_strdup(y.data ? y.data : ""));
        dg_buf_finish(&x);
        dg_buf_finish(&y);
    }
}

static const char *const leg_time_fields[] = {
    "estimate_by", "term", "profile", "funded", "funded_as_of", "ended",
    "ended_why", "supersedes", "id", "url", NULL};
static const char *const company_time_fields[] = {
    "revenue", "ocf", "debt", "rpo", "rpo_as_of", "fiscal_year_end", NULL};

static void compare_legs(const dg_leg *a, const dg_leg *b, changes *c)
{
    c->n = 0;
    if (!same_num(a->amount, b->amount))
        note(c, "amount", money_text(a->amount), money_text(b->amount));
    if (!same_num(a->amount_low, b->amount_low))
        note(c, "amount_low", money_text(a->amount_low),
             money_text(b->amount_low));
    if (!same_num(a->amount_high, b->amount_high))
        note(c, "amount_high", money_text(a->amount_high),
             money_text(b->amount_high));
    if (a->per != b->per)
        note(c, "per", dg_strdup(a->per ? dg_per_name(a->per) : ""),
             dg_strdup(b->per ? dg_per_name(b->per) : ""));
    if (a->upto != b->upto)
        note(c, "upto", bool_text(a->upto), bool_text(b->upto));
    if (a->status != b->status)
        note(c, "status", dg_strdup(dg_status_name(a->status)),
             dg_strdup(dg_status_name(b->status)));
    if (!same_date(a->announced, b->announced))
        note(c, "announced", date_text(a->announced), date_text(b->announced));
    if (!same_date(a->start, b->start))
        note(c, "start", date_text(a->start), date_text(b->start));
    if (!same_date(a->end, b->end))
        note(c, "end", date_text(a->end), date_text(b->end));
    if (!same_str(a->source, b->source))
        note(c, "source", dg_strdup(a->source ? a->source : ""),
             dg_strdup(b->source ? b->source : ""));
    if (!same_str(a->note, b->note))
        note(c, "note", dg_strdup(a->note ? a->note : ""),
             dg_strdup(b->note ? b->note : ""));
    compare_texts(a, b, leg_text, leg_time_fields, c);
}

static int by_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static int by_after(const void *a, const void *b)
{
    const dg_leg_change *x = a, *y = b;
    return (x->after > y->after) - (x->after < y->after);
}

/* Records the pair (old leg a, new leg b) as changed when it differs. */
static int pair_legs(const dg_ledger *before, const dg_ledger *after,
                     size_t a, size_t b, dg_diff *out)
{
    changes c = {{{0}}, 0, false};
    compare_legs(&before->legs[a], &after->legs[b], &c);
    if (c.oom) {
        changes_clear(&c);
        return DG_ENOMEM;
    }
    if (!c.n)
        return DG_OK;
    dg_leg_change *x = &out->changed[out->nchanged];
    x->fields = malloc(c.n * sizeof *x->fields);
    if (!x->fields) {
        changes_clear(&c);
        return DG_ENOMEM;
    }
    memcpy(x->fields, c.v, c.n * sizeof *x->fields);
    x->nfields = c.n;
    x->before = a;
    x->after = b;
    out->nchanged++;
    return DG_OK;
}

static bool legs_equal(const dg_leg *a, const dg_leg *b)
{
    changes c = {{{0}}, 0, false};
    compare_legs(a, b, &c);
    bool same = c.n == 0 && !c.oom;
    changes_clear(&c);
    return same;
}

/* One identity group: old legs ka[i0..i1), new legs kb[j0..j1). Legs
 * equal in every attribute pair first (so a leg inserted among alike legs
 * is the one added); the rest pair in file order; extras are added or
 * removed. */
static int diff_group(const dg_ledger *before, const dg_ledger *after,
                      const keyed *ka, size_t i0, size_t i1, const keyed *kb,
                      size_t j0, size_t j1, dg_diff *out)
{
    size_t na = i1 - i0, nb = j1 - j0;
    bool *used_a = calloc(na, sizeof *used_a), *used_b = calloc(nb, 1);
    int rc = DG_ENOMEM;
    if (!used_a || !used_b)
        goto done;
    /* (the search is quadratic: huge groups of alike legs pair in order) */
    if ((na > 1 || nb > 1) && na * nb <= 1000000) {
        for (size_t x = 0; x < na; x++)
            for (size_t y = 0; y < nb; y++)
                if (!used_b[y] && legs_equal(&before->legs[ka[i0 + x].index],
                                             &after->legs[kb[j0 + y].index])) {
                    used_a[x] = used_b[y] = true;
                    break;
                }
    }
    /* (one old and one new leg: they are the same leg, changed or not) */
    size_t y = 0;
    for (size_t x = 0; x < na; x++) {
        if (used_a[x])
            continue;
        while (y < nb && used_b[y])
            y++;
        if (y == nb) {
            out->removed[out->nremoved++] = ka[i0 + x].index;
            continue;
        }
        used_b[y] = true;
        rc = pair_legs(before, after, ka[i0 + x].index, kb[j0 + y].index, out);
        if (rc != DG_OK)
            goto done;
    }
    for (y = 0; y < nb; y++)
        if (!used_b[y])
            out->added[out->nadded++] = kb[j0 + y].index;
    rc = DG_OK;
done:
    free(used_a);
    free(used_b);
    return rc;
}

static int diff_legs(const dg_ledger *before, const dg_ledger *after,
                     dg_diff *out)
{
    keyed *ka = leg_keys(before), *kb = leg_keys(after);
    int rc = DG_ENOMEM;
    out->added = malloc((after->nlegs ? after->nlegs : 1) * sizeof(size_t));
    out->removed = malloc((before->nlegs ? before->nlegs : 1) * sizeof(size_t));
    out->changed = calloc(after->nlegs ? after->nlegs : 1,
                          sizeof(dg_leg_change));
    if (!ka || !kb || !out->added || !out->removed || !out->changed)
        goto done;
    size_t i = 0, j = 0;
    rc = DG_OK;
    while (rc == DG_OK && (i < before->nlegs || j < after->nlegs)) {
        int cmp = i >= before->nlegs  ? 1
                  : j >= after->nlegs ? -1
                                      : strcmp(ka[i].key, kb[j].key);
        if (cmp < 0) {
            out->removed[out->nremoved++] = ka[i++].index;
        } else if (cmp > 0) {
            out->added[out->nadded++] = kb[j++].index;
        } else {
            size_t i1 = i, j1 = j;
            while (i1 < before->nlegs && strcmp(ka[i1].key, ka[i].key) == 0)
                i1++;
            while (j1 < after->nlegs && strcmp(kb[j1].key, kb[j].key) == 0)
                j1++;
            rc = diff_group(before, after, ka, i, i1, kb, j, j1, out);
            i = i1;
            j = j1;
        }
    }
    if (rc != DG_OK)
        goto done;
    qsort(out->added, out->nadded, sizeof(size_t), by_size);
    qsort(out->removed, out->nremoved, sizeof(size_t), by_size);
    qsort(out->changed, out->nchanged, sizeof *out->changed, by_after);
done:
    free_keys(ka, before->nlegs);
    free_keys(kb, after->nlegs);
    return rc;
}

/* ---- companies -------------------------------------------------------------- */

typedef struct named {
    const char *name;
    size_t index;
} named;

static int by_named(const void *a, const void *b)
{
    return strcmp(((const named *)a)->name, ((const named *)b)->name);
}

static named *names_sorted(const dg_ledger *l)
{
    named *v = malloc((l->ncompanies ? l->ncompanies : 1) * sizeof *v);
    if (!v)
        return NULL;
    for (size_t i = 0; i < l->ncompanies; i++)
        v[i] = (named){l->companies[i].name, i};
    if (l->ncompanies > 1)
        qsort(v, l->ncompanies, sizeof *v, by_named);
    return v;
}

static void compare_companies(const dg_company *a, const dg_company *b,
                              changes *c)
{
    c->n = 0;
    if (!same_str(a->label, b->label))
        note(c, "label", dg_strdup(a->label ? a->label : ""),
             dg_strdup(b->label ? b->label : ""));
    if (a->sector != b->sector)
        note(c, "sector", dg_strdup(dg_sector_name(a->sector)),
             dg_strdup(dg_sector_name(b->sector)));
    if (!same_num(a->equity, b->equity))
        note(c, "equity", money_text(a->equity), money_text(b->equity));
    if (!same_str(a->equity_basis, b->equity_basis))
        note(c, "equity_basis", dg_strdup(a->equity_basis ? a->equity_basis : ""),
             dg_strdup(b->equity_basis ? b->equity_basis : ""));
    if (!same_date(a->equity_as_of, b->equity_as_of))
        note(c, "equity_as_of", date_text(a->equity_as_of),
             date_text(b->equity_as_of));
    if (!same_num(a->cash, b->cash))
        note(c, "cash", money_text(a->cash), money_text(b->cash));
    if (!same_date(a->cash_as_of, b->cash_as_of))
        note(c, "cash_as_of", date_text(a->cash_as_of), date_text(b->cash_as_of));
    if (!same_num(a->outside_inflow, b->outside_inflow))
        note(c, "outside_inflow", money_text(a->outside_inflow),
             money_text(b->outside_inflow));
    if (!same_num(a->capex, b->capex))
        note(c, "capex", money_text(a->capex), money_text(b->capex));
    if (!same_num(a->ebitda, b->ebitda)) {
        /* EBITDA may be negative: money_text takes magnitudes */
        char x[64] = "", y[64] = "";
        if (dg_has(a->ebitda))
            snprintf(x, sizeof x, "%.15g", a->ebitda);
        if (dg_has(b->ebitda))
            snprintf(y, sizeof y, "%.15g", b->ebitda);
        note(c, "ebitda", dg_strdup(x), dg_strdup(y));
    }
    if (!same_str(a->period, b->period))
        note(c, "period", dg_strdup(a->period ? a->period : ""),
             dg_strdup(b->period ? b->period : ""));
    if (!same_str(a->currency, b->currency))
        note(c, "currency", dg_strdup(a->currency ? a->currency : ""),
             dg_strdup(b->currency ? b->currency : ""));
    if (!same_str(a->source, b->source))
        note(c, "source", dg_strdup(a->source ? a->source : ""),
             dg_strdup(b->source ? b->source : ""));
    if (!same_str(a->note, b->note))
        note(c, "note", dg_strdup(a->note ? a->note : ""),
             dg_strdup(b->note ? b->note : ""));
    compare_texts(a, b, company_text, company_time_fields, c);
}

static int diff_companies(const dg_ledger *before, const dg_ledger *after,
                          dg_diff *out)
{
    named *a = names_sorted(before), *b = names_sorted(after);
    size_t na = before->ncompanies, nb = after->ncompanies;
    int rc = DG_ENOMEM;
    out->companies_added = calloc(nb ? nb : 1, sizeof(char *));
    out->companies_removed = calloc(na ? na : 1, sizeof(char *));
    out->companies_changed = calloc(nb ? nb : 1, sizeof(dg_company_change));
    if (!a || !b || !out->companies_added || !out->companies_removed ||
        !out->companies_changed)
        goto done;
    size_t i = 0, j = 0;
    changes c = {{{0}}, 0, false};
    while (i < na || j < nb) {
        int cmp = i >= na ? 1 : j >= nb ? -1 : strcmp(a[i].name, b[j].name);
        if (cmp < 0) {
            char *s = dg_strdup(a[i++].name);
            if (!s)
                goto done;
            out->companies_removed[out->ncompanies_removed++] = s;
        } else if (cmp > 0) {
            char *s = dg_strdup(b[j++].name);
            if (!s)
                goto done;
            out->companies_added[out->ncompanies_added++] = s;
        } else {
            compare_companies(&before->companies[a[i].index],
                              &after->companies[b[j].index], &c);
            if (c.oom) {
                changes_clear(&c);
                goto done;
            }
            if (c.n) {
                dg_company_change *x =
                    &out->companies_changed[out->ncompanies_changed];
                x->company = dg_strdup(b[j].name);
                x->fields = malloc(c.n * sizeof *x->fields);
                if (!x->company || !x->fields) {
                    free(x->company);
                    free(x->fields);
                    x->company = NULL;
                    x->fields = NULL;
                    for (size_t k = 0; k < c.n; k++) {
                        free(c.v[k].before);
                        free(c.v[k].after);
                    }
                    goto done;
                }
                memcpy(x->fields, c.v, c.n * sizeof *x->fields);
                x->nfields = c.n;
                out->ncompanies_changed++;
            }
            i++;
            j++;
        }
    }
    rc = DG_OK;
done:
    free(a);
    free(b);
    return rc;
}

/* ---- loops and exposure ------------------------------------------------------ */

static int diff_loops(const dg_ledger *before, const dg_ledger *after,
                      const dg_loop_options *opt, dg_diff *out)
{
    return dg_loops_compare(before, after, opt, &out->opened, &out->nopened,
                            &out->closed, &out->nclosed);
}

/* Direct inflow share of every company, by name, or NULL with a note. */
static int shares_of(const dg_ledger *l, const char *focus,
                     const dg_filter *f, dg_exposure *e, char **note)
{
    size_t idx = dg_ledger_find(l, focus);
    memset(e, 0, sizeof *e);
    if (idx == (size_t)-1)
        return DG_OK; /* the focus is not in this version: shares NaN */
    dg_diags d;
    dg_diags_init(&d);
    int rc = dg_exposure_compute(l, f, idx, e, &d);
    /* a singular system or a ledger too large for the model: say so
     * instead of comparing (once, for the first ledger that fails) */
    if ((rc == DG_EINPUT || rc == DG_ELIMIT) && *note)
        rc = DG_OK;
    if ((rc == DG_EINPUT || rc == DG_ELIMIT) && !*note) {
        dg_buf b;
        dg_buf_init(&b);
        dg_buf_printf(&b, "exposure not compared: %s: %s", l->path,
                      d.count ? d.items[0].message : "singular system");
        *note = dg_buf_take(&b);
        rc = *note ? DG_OK : DG_ENOMEM;
    }
    dg_diags_finish(&d);
    return rc;
}

static double share_of(const dg_ledger *l, const dg_exposure *e,
                       const char *name)
{
    if (!e->rows)
        return NAN;
    size_t c = dg_ledger_find(l, name);
    if (c == (size_t)-1)
        return NAN;
    const dg_exposure_row *r = dg_exposure_row_of(e, c);
    return r ? r->direct_inflow_share : NAN;
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int diff_exposure(const dg_ledger *before, const dg_ledger *after,
                         const dg_diff_options *opt, dg_diff *out)
{
    const char *focus = opt->focus ? opt->focus : after->focus;
    if (!focus)
        focus = before->focus;
    if (!focus) {
        out->exposure_note = dg_strdup("exposure not compared: no focus "
                                       "(none given, and neither ledger "
                                       "has a focus attribute)");
        return out->exposure_note ? DG_OK : DG_ENOMEM;
    }
    out->focus = dg_strdup(focus);
    if (!out->focus)
        return DG_ENOMEM;
    dg_exposure ea, eb;
    int rc = shares_of(before, focus, &opt->loops.filter, &ea,
                       &out->exposure_note);
    if (rc == DG_OK)
        rc = shares_of(after, focus, &opt->loops.filter, &eb,
                       &out->exposure_note);
    else
        memset(&eb, 0, sizeof eb);
    const char **names = NULL;
    size_t nn = 0;
    if (rc != DG_OK || out->exposure_note)
        goto done;
    names = malloc((before->ncompanies + after->ncompanies + 1) *
                   sizeof *names);
    out->exposure = calloc(before->ncompanies + after->ncompanies + 1,
                           sizeof *out->exposure);
    if (!names || !out->exposure) {
        rc = DG_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < before->ncompanies; i++)
        names[nn++] = before->companies[i].name;
    for (size_t i = 0; i < after->ncompanies; i++)
        names[nn++] = after->companies[i].name;
    qsort(names, nn, sizeof *names, by_str);
    for (size_t i = 0; i < nn; i++) {
        if (i && strcmp(names[i], names[i - 1]) == 0)
            continue;
        if (strcmp(names[i], focus) == 0)
            continue;
        double x = share_of(before, &ea, names[i]);
        double y = share_of(after, &eb, names[i]);
        bool moved = dg_has(x) != dg_has(y) ||
                     (dg_has(x) && fabs(y - x) >= opt->min_share_change);
        if (!moved)
            continue;
        dg_exposure_change *c = &out->exposure[out->nexposure];
        c->company = dg_strdup(names[i]);
        if (!c->company) {
            rc = DG_ENOMEM;
            goto done;
        }
        c->before = x;
        c->after = y;
        out->nexposure++;
    }
done:
    free(names);
    dg_exposure_finish(&ea);
    dg_exposure_finish(&eb);
    return rc;
}

/* ---- the per-year figures ------------------------------------------------------ */

/* The yearly figures of `l` for `focus` in `year`; y->n = 0 (nothing to
 * read) when the focus is not in this version. */
static int yearly_of(const dg_ledger *l, const char *focus, int year,
                     const dg_filter *f, dg_yearly *y)
{
    memset(y, 0, sizeof *y);
    size_t idx = dg_ledger_find(l, focus);
    if (idx == (size_t)-1)
        return DG_OK;
    dg_yearly_options o;
    dg_yearly_options_init(&o);
    o.filter = *f;
    o.first_year = o.last_year = year;
    o.network = false;
    dg_diags d;
    dg_diags_init(&d);
    int rc = dg_yearly_compute(l, idx, &o, y, &d);
    dg_diags_finish(&d);
    return rc;
}

/* The rows of yearly.h and its backlog are in name order (strcmp), as
 * `names` is: found by bisection, so that a diff of a large ledger stays
 * n log n. */
static double dependence_of(const dg_ledger *l, const dg_yearly *y,
                            const char *name)
{
    if (!y->years)
        return NAN;
    const dg_yearly_row *rows = y->years[0].rows;
    size_t lo = 0, hi = y->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(l->companies[rows[mid].company].name, name);
        if (c == 0)
            return rows[mid].dependence.value; /* NaN for the focus */
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NAN;
}

static double backlog_share_of(const dg_ledger *l, const dg_yearly *y,
                               const char *name)
{
    size_t lo = 0, hi = y->backlog ? y->nbacklog : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(l->companies[y->backlog[mid].company].name, name);
        if (c == 0)
            return y->backlog[mid].share.value;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NAN;
}

/* Appends the companies of `names` whose figure moved. */
static int moved(const dg_ledger *before, const dg_ledger *after,
                 const dg_yearly *ya, const dg_yearly *yb,
                 const char **names, size_t nn, const char *focus,
                 double min_change,
                 double (*of)(const dg_ledger *, const dg_yearly *,
                              const char *),
                 dg_exposure_change *out, size_t *nout)
{
    for (size_t i = 0; i < nn; i++) {
        if ((i && strcmp(names[i], names[i - 1]) == 0) ||
            strcmp(names[i], focus) == 0)
            continue;
        double x = of(before, ya, names[i]), y = of(after, yb, names[i]);
        if (dg_has(x) == dg_has(y) &&
            (!dg_has(x) || fabs(y - x) < min_change))
            continue;
        dg_exposure_change *c = &out[*nout];
        c->company = dg_strdup(names[i]);
        if (!c->company)
            return DG_ENOMEM;
        c->before = x;
        c->after = y;
        (*nout)++;
    }
    return DG_OK;
}

static int diff_yearly(const dg_ledger *before, const dg_ledger *after,
                       const dg_diff_options *opt, dg_diff *out)
{
    if (!out->focus)
        return DG_OK; /* exposure_note says why */
    const dg_filter *f = &opt->loops.filter;
    int year = opt->year;
    if (!year) {
        dg_year_from from;
        year = dg_yearly_default_year(after, f, &from);
        if (from != DG_YEAR_FROM_FILTER && from != DG_YEAR_FROM_LEDGER &&
            dg_date_valid(before->as_of))
            year = before->as_of.year;
    }
    if (!year) {
        out->yearly_note = dg_strdup("dependence and backlog shares not "
                                     "compared: neither ledger has a date "
                                     "to take a year from");
        return out->yearly_note ? DG_OK : DG_ENOMEM;
    }
    dg_yearly ya, yb;
    memset(&yb, 0, sizeof yb);
    const char **names = NULL;
    int rc = yearly_of(before, out->focus, year, f, &ya);
    if (rc == DG_OK)
        rc = yearly_of(after, out->focus, year, f, &yb);
    if (rc != DG_OK)
        goto done;
    rc = DG_ENOMEM;
    size_t total = before->ncompanies + after->ncompanies + 1;
    names = malloc(total * sizeof *names);
    out->dependence = calloc(total, sizeof *out->dependence);
    out->backlog = calloc(total, sizeof *out->backlog);
    if (!names || !out->dependence || !out->backlog)
        goto done;
    size_t nn = 0;
    for (size_t i = 0; i < before->ncompanies; i++)
        names[nn++] = before->companies[i].name;
    for (size_t i = 0; i < after->ncompanies; i++)
        names[nn++] = after->companies[i].name;
    qsort(names, nn, sizeof *names, by_str);
    out->year = year;
    rc = moved(before, after, &ya, &yb, names, nn, out->focus,
               opt->min_share_change, dependence_of, out->dependence,
               &out->ndependence);
    if (rc == DG_OK)
        rc = moved(before, after, &ya, &yb, names, nn, out->focus,
                   opt->min_share_change, backlog_share_of, out->backlog,
                   &out->nbacklog);
done:
    free(names);
    dg_yearly_finish(&ya);
    dg_yearly_finish(&yb);
    return rc;
}

int dg_diff_compute(const dg_ledger *before, const dg_ledger *after,
                    const dg_diff_options *opt, dg_diff *out)
{
    dg_diff_options defaults;
    if (!opt) {
        dg_diff_options_init(&defaults);
        opt = &defaults;
    }
    memset(out, 0, sizeof *out);
    int rc = diff_legs(before, after, out);
    if (rc == DG_OK)
        rc = diff_companies(before, after, out);
    if (rc == DG_OK)
        rc = diff_loops(before, after, &opt->loops, out);
    if (rc == DG_OK)
        rc = diff_exposure(before, after, opt, out);
    if (rc == DG_OK)
        rc = diff_yearly(before, after, opt, out);
    if (rc != DG_OK)
        dg_diff_finish(out);
    return rc;
}

void dg_diff_finish(dg_diff *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nchanged; i++) {
        for (size_t k = 0; k < d->changed[i].nfields; k++) {
            free(d->changed[i].fields[k].before);
            free(d->changed[i].fields[k].after);
        }
        free(d->changed[i].fields);
    }
    for (size_t i = 0; i < d->ncompanies_added; i++)
        free(d->companies_added[i]);
    for (size_t i = 0; i < d->ncompanies_removed; i++)
        free(d->companies_removed[i]);
    for (size_t i = 0; i < d->ncompanies_changed; i++) {
        for (size_t k = 0; k < d->companies_changed[i].nfields; k++) {
            free(d->companies_changed[i].fields[k].before);
            free(d->companies_changed[i].fields[k].after);
        }
        free(d->companies_changed[i].fields);
        free(d->companies_changed[i].company);
    }
    free(d->companies_added);
    free(d->companies_removed);
    free(d->companies_changed);
    for (size_t i = 0; i < d->nopened; i++) {
        free(d->opened[i].companies);
        free(d->opened[i].signature);
    }
    for (size_t i = 0; i < d->nclosed; i++) {
        free(d->closed[i].companies);
        free(d->closed[i].signature);
    }
    for (size_t i = 0; i < d->nexposure; i++)
        free(d->exposure[i].company);
    for (size_t i = 0; i < d->ndependence; i++)
        free(d->dependence[i].company);
    for (size_t i = 0; i < d->nbacklog; i++)
        free(d->backlog[i].company);
    free(d->dependence);
    free(d->backlog);
    free(d->yearly_note);
    free(d->added);
    free(d->removed);
    free(d->changed);
    free(d->opened);
    free(d->closed);
    free(d->exposure);
    free(d->focus);
    free(d->exposure_note);
    memset(d, 0, sizeof *d);
}

bool dg_diff_empty(const dg_diff *d)
{
    return !d->nadded && !d->nremoved && !d->nchanged &&
           !d->ncompanies_added && !d->ncompanies_removed &&
           !d->ncompanies_changed && !d->nopened && !d->nclosed &&
           !d->nexposure && !d->ndependence && !d->nbacklog;
}
