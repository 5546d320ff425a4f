/*
 * link.c - what legs say of each other: `supersedes` resolved to the legs
 * it names, and each leg's end (PRODUCT.md section 7: a superseded leg
 * ends when the leg that replaces it is announced, so money is never
 * counted twice).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* The legs a name denotes: the leg whose `id` it is, else every leg of
 * the deal it names. Writes their indexes to out (the caller's, nlegs
 * entries) and returns how many. */
static size_t named_legs(const dg_ledger *l, const char *name, size_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < l->nlegs; i++)
        if (l->legs[i].id && strcmp(l->legs[i].id, name) == 0)
            out[n++] = i;
    if (n)
        return n;
    for (size_t i = 0; i < l->nlegs; i++)
        if (l->legs[i].deal && strcmp(l->legs[i].deal, name) == 0)
            out[n++] = i;
    return n;
}

/* A close id for a message: the known leg and deal ids nearest `name`. */
static const char *near_id(const dg_ledger *l, const char *name)
{
    size_t n = 2 * l->nlegs;
    const char **cand = malloc((n ? n : 1) * sizeof *cand);
    if (!cand)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < l->nlegs; i++) {
        if (l->legs[i].id)
            cand[k++] = l->legs[i].id;
        if (l->legs[i].deal)
            cand[k++] = l->legs[i].deal;
    }
    const char *near = dg_closest(name, cand, k);
    free(cand);
    return near;
}

int dg_ledger_link(dg_ledger *l, dg_diags *diags)
{
    const char *file = l->legs_file;
    size_t n = l->nlegs;
    size_t *hit = malloc((n ? n : 1) * sizeof *hit);
    if (!hit)
        return DG_ENOMEM;
    dg_buf q;
    dg_buf_init(&q);
    for (size_t i = 0; i < n; i++) {
        l->legs[i].superseded_by = SIZE_MAX;
        l->legs[i].ends = l->legs[i].ended;
    }
    /* leg ids are unique */
    for (size_t i = 0; i < n; i++) {
        const char *id = l->legs[i].id;
        for (size_t j = 0; id && j < i; j++)
            if (l->legs[j].id && strcmp(l->legs[j].id, id) == 0) {
                dg_diags_add(diags, DG_SEV_ERROR, file, l->legs[i].line,
                             "leg id \"%s\" is already the id of the leg on "
                             "line %ld; give each leg its own id",
                             dg_quote(id, 40, &q), l->legs[j].line);
                break;
            }
    }
    for (size_t i = 0; i < n; i++) {
        dg_leg *g = &l->legs[i];
        for (size_t s = 0; s < g->nsupersedes; s++) {
            const char *name = g->supersedes[s];
            size_t k = named_legs(l, name, hit);
            if (k == 0) {
                const char *near = near_id(l, name);
                if (near)
                    dg_diags_add(diags, DG_SEV_ERROR, file, g->line,
                                 "supersedes \"%s\" names no leg or deal of "
                                 "the ledger; did you mean \"%s\"?",
                                 dg_quote(name, 40, &q), near);
                else
                    dg_diags_add(diags, DG_SEV_ERROR, file, g->line,
                                 "supersedes \"%s\" names no leg or deal of "
                                 "the ledger; give the `id` of a leg or the "
                                 "`deal` of the legs it replaces",
                                 dg_quote(name, 40, &q));
                continue;
            }
            for (size_t h = 0; h < k; h++) {
                dg_leg *old = &l->legs[hit[h]];
                if (old == g || (g->deal && old->deal &&
                                 strcmp(g->deal, old->deal) == 0)) {
                    dg_diags_add(diags, DG_SEV_ERROR, file, g->line,
                                 "supersedes \"%s\" names this leg's own "
                                 "deal; a leg replaces other money",
                                 dg_quote(name, 40, &q));
                    break;
                }
                if (dg_date_cmp(old->announced, g->announced) > 0) {
                    char d1[16], d2[16];
                    dg_diags_add(diags, DG_SEV_ERROR, file, g->line,
                                 "supersedes \"%s\", announced %s, after "
                                 "this leg (%s); a leg replaces money "
                                 "announced before it",
                                 dg_quote(name, 40, &q),
                                 dg_date_format(old->announced, d1,
                                                sizeof d1),
                                 dg_date_format(g->announced, d2, sizeof d2));
                    continue;
                }
                /* the first replacement announced ends it */
                if (old->superseded_by == SIZE_MAX ||
                    dg_date_cmp(g->announced,
                                l->legs[old->superseded_by].announced) < 0)
                    old->superseded_by = i;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        dg_leg *g = &l->legs[i];
        if (g->superseded_by == SIZE_MAX)
            continue;
        dg_date by = l->legs[g->superseded_by].announced;
        if (!dg_date_valid(g->ends) || dg_date_cmp(by, g->ends) < 0)
            g->ends = by;
    }
    bool oom = q.oom;
    dg_buf_finish(&q);
    free(hit);
    return oom || diags->oom ? DG_ENOMEM : DG_OK;
}
