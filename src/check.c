/*
 * check.c - checks that span the whole ledger, after a loader has read
 * every leg: near-duplicate company names, the focus, repeated legs.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* A name folded for comparison: lower case, no spaces, dots, hyphens or
 * underscores ("Nvidia", "NVIDIA", "N-Vidia " all fold to "nvidia"). */
static char *fold(const char *name)
{
    char *s = malloc(strlen(name) + 1), *o = s;
    if (!s)
        return NULL;
    for (const char *p = name; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == ' ' || c == '\t' || c == '.' || c == '-' || c == '_')
            continue;
        *o++ = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    *o = '\0';
    return s;
}

typedef struct folded {
    char *key;
    size_t index;
} folded;

static int by_key(const void *a, const void *b)
{
    const folded *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return (x->index > y->index) - (x->index < y->index);
}

/* Where a company shows up first: its declaration, else its first leg
 * (first_leg[i]: the line of company i's first leg, 0 when it has none;
 * worked out once, so that many near-duplicate names stay linear). */
static void company_where(const dg_ledger *l, const long *first_leg, size_t i,
                          const char **file, long *line)
{
    const dg_company *c = &l->companies[i];
    if (c->line) {
        *file = l->companies_file ? l->companies_file : l->legs_file;
        *line = c->line;
        return;
    }
    *file = l->legs_file;
    *line = first_leg ? first_leg[i] : 0;
}

/* The line of each company's first leg; NULL when memory ran out. */
static long *first_leg_lines(const dg_ledger *l)
{
    long *first = calloc(l->ncompanies ? l->ncompanies : 1, sizeof *first);
    if (!first)
        return NULL;
    for (size_t k = l->nlegs; k-- > 0;) {
        first[l->legs[k].from] = l->legs[k].line;
        first[l->legs[k].to] = l->legs[k].line;
    }
    return first;
}

static void check_names(const dg_ledger *l, dg_diags *diags)
{
    size_t n = l->ncompanies;
    folded *v = calloc(n ? n : 1, sizeof *v);
    if (!v) {
        diags->oom = true;
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        v[k].key = fold(l->companies[i].name);
        v[k].index = i;
        if (!v[k].key) {
            diags->oom = true;
            goto done;
        }
        k++;
    }
    qsort(v, k, sizeof *v, by_key);
    long *first_leg = NULL;
    dg_buf q1, q2;
    dg_buf_init(&q1);
    dg_buf_init(&q2);
    size_t first = 0; /* the first spelling of the current group (lowest
                         index) */
    for (size_t i = 1; i < k; i++) {
        if (strcmp(v[i].key, v[i - 1].key) != 0) {
            first = i;
            continue;
        }
        if (!first_leg && !(first_leg = first_leg_lines(l))) {
            diags->oom = true;
            break;
        }
        const char *file, *ffile;
        long line, fline;
        company_where(l, first_leg, v[i].index, &file, &line);
        company_where(l, first_leg, v[first].index, &ffile, &fline);
        dg_diags_add(diags, DG_SEV_WARNING, file, line,
                     "company \"%s\" differs from \"%s\" (line %ld) only in "
                     "case or spacing; use one spelling for one company",
                     dg_quote(l->companies[v[i].index].name, 60, &q1),
                     dg_quote(l->companies[v[first].index].name, 60, &q2),
                     fline);
    }
    dg_buf_finish(&q1);
    dg_buf_finish(&q2);
    free(first_leg);
done:
    for (size_t i = 0; i < k; i++)
        free(v[i].key);
    free(v);
}

static void check_focus(const dg_ledger *l, dg_diags *diags)
{
    if (!l->focus || dg_ledger_find(l, l->focus) != (size_t)-1)
        return;
    const char **names = malloc((l->ncompanies ? l->ncompanies : 1) *
                                sizeof *names);
    if (!names) {
        diags->oom = true;
        return;
    }
    for (size_t i = 0; i < l->ncompanies; i++)
        names[i] = l->companies[i].name;
    const char *near = dg_closest(l->focus, names, l->ncompanies);
    dg_buf q;
    dg_buf_init(&q);
    const char *file = l->focus_file ? l->focus_file : l->legs_file;
    long line = l->focus_line;
    if (near)
        dg_diags_add(diags, DG_SEV_ERROR, file, line,
                     "focus \"%s\" is not a company in the ledger; did you "
                     "mean \"%s\"?",
                     dg_quote(l->focus, 60, &q), near);
    else
        dg_diags_add(diags, DG_SEV_ERROR, file, line,
                     "focus \"%s\" is not a company in the ledger; name one "
                     "of its companies",
                     dg_quote(l->focus, 60, &q));
    dg_buf_finish(&q);
    free(names);
}

/* Orders legs so that two that agree on endpoints, kind, amount, date and
 * deal id sit side by side: such a pair is almost always one deal entered
 * twice. The index breaks ties so the first entry comes first. */
static const dg_ledger *sort_ledger; /* qsort has no context argument */

static int cmp_num(double a, double b)
{
    bool ha = dg_has(a), hb = dg_has(b);
    if (ha != hb)
        return ha ? 1 : -1;
    return ha ? (a > b) - (a < b) : 0;
}

static int cmp_leg_key(const dg_leg *a, const dg_leg *b)
{
    if (a->from != b->from)
        return (a->from > b->from) - (a->from < b->from);
    if (a->to != b->to)
        return (a->to > b->to) - (a->to < b->to);
    if (a->kind != b->kind)
        return (int)a->kind - (int)b->kind;
    int c = cmp_num(a->amount, b->amount);
    if (c)
        return c;
    c = dg_date_cmp(a->announced, b->announced);
    if (c)
        return c;
    c = (a->announced.month - b->announced.month) * 64 +
        (a->announced.day - b->announced.day);
    if (c)
        return c;
    if (!a->deal || !b->deal)
        return (a->deal != NULL) - (b->deal != NULL);
    return strcmp(a->deal, b->deal);
}

static int by_leg(const void *x, const void *y)
{
    size_t i = *(const size_t *)x, j = *(const size_t *)y;
    int c = cmp_leg_key(&sort_ledger->legs[i], &sort_ledger->legs[j]);
    return c ? c : (i > j) - (i < j);
}

static void check_legs(const dg_ledger *l, dg_diags *diags)
{
    size_t n = l->nlegs;
    size_t *v = malloc((n ? n : 1) * sizeof *v);
    if (!v) {
        diags->oom = true;
        return;
    }
    for (size_t i = 0; i < n; i++)
        v[i] = i;
    sort_ledger = l;
    qsort(v, n, sizeof *v, by_leg);
    sort_ledger = NULL;
    size_t first = 0; /* the first leg of the current run of equals */
    for (size_t i = 1; i < n; i++) {
        const dg_leg *a = &l->legs[v[i - 1]], *b = &l->legs[v[i]];
        if (cmp_leg_key(a, b) != 0) {
            first = i;
            continue;
        }
        dg_diags_add(diags, DG_SEV_WARNING, l->legs_file, b->line,
                     "this leg repeats the leg on line %ld (same companies, "
                     "kind, amount, date and deal); remove one or give them "
                     "different deal ids",
                     l->legs[v[first]].line);
    }
    free(v);
    for (size_t i = 0; i < n; i++) {
        const dg_leg *g = &l->legs[i];
        if (!dg_has(g->amount) && (g->upto || g->per != DG_PER_TOTAL))
            dg_diags_add(diags, DG_SEV_WARNING, l->legs_file, g->line,
                         "%s has no effect without a disclosed amount",
                         g->upto ? "upto" : "per");
    }
}

/* True when DOT can hold the text `s` exactly. cgraph reads \" as a quote,
 * so an odd run of backslashes just before a quote or the end cannot be
 * written. Before a line break it is worse: cgraph joins the lines at an
 * odd run, and at an even run too when the next line starts with a
 * backslash (measured with dot -Tcanon: "ot\\" LF "\z" reads back as
 * "ot\\\z"), so any backslash just before a line break is refused. (The
 * name check adds that cgraph renames a name starting with '%'.) */
bool dg_dot_writable_text(const char *s)
{
    for (const char *p = s; *p;) {
        if (*p == '\n') {
            /* a line break that is a run of its own once written (a quote
             * or the start before it; a quote, a backslash or the end
             * after it): cgraph drops it (dotscan.c, id_text) */
            if ((p == s || p[-1] == '"') &&
                (p[1] == '\0' || p[1] == '"' || p[1] == '\\'))
                return false;
            p++;
            continue;
        }
        if (*p != '\\') {
            p++;
            continue;
        }
        size_t run = 0;
        for (; *p == '\\'; p++)
            run++;
        if (*p == '\n' || *p == '\r')
            return false;
        if ((run & 1) && (*p == '"' || *p == '\0'))
            return false;
    }
    return true;
}

static bool dot_writable(const char *s)
{
    if (s[0] == '%') /* cgraph renames it: see dotscan.c */
        return false;
    return dg_dot_writable_text(s);
}

/* One text attribute that DOT cannot hold: an error, since `render -T dot`
 * would write a ledger that reads back different. (CSV gives such text; in
 * DOT only an HTML-like string can, <x\>.) The message text is shared with
 * the graph's title, checked where it is read (attrs.c). */
static void text_writable(dg_diags *diags, const char *file, long line,
                          const char *owner, const char *attr,
                          const char *value, dg_buf *q)
{
    if (!value || dg_dot_writable_text(value))
        return;
    dg_diags_add(diags, DG_SEV_ERROR, file, line,
                 "%s: %s \"%s\": " DG_DOT_TEXT_PROBLEM,
                 owner, attr, dg_quote(value, 60, q));
}

/* Every text attribute of the legs, companies and graph. */
static void check_texts(const dg_ledger *l, dg_diags *diags)
{
    dg_buf q, who;
    dg_buf_init(&q);
    dg_buf_init(&who);
    for (size_t i = 0; i < l->nlegs; i++) {
        const dg_leg *g = &l->legs[i];
        const char *t[] = {g->deal, g->source, g->note};
        const char *n[] = {"deal", "source", "note"};
        for (size_t k = 0; k < 3; k++) {
            if (!t[k] || dg_dot_writable_text(t[k]))
                continue;
            dg_buf b1;
            dg_buf_init(&b1);
            dg_buf_clear(&who);
            dg_buf_printf(&who, "leg %s -> ",
                          dg_quote(l->companies[g->from].name, 40, &b1));
            dg_buf_printf(&who, "%s",
                          dg_quote(l->companies[g->to].name, 40, &b1));
            dg_buf_finish(&b1);
            text_writable(diags, l->legs_file, g->line,
                          who.data ? who.data : "leg", n[k], t[k], &q);
        }
    }
    long *first_leg = NULL;
    for (size_t i = 0; i < l->ncompanies; i++) {
        const dg_company *c = &l->companies[i];
        const char *t[] = {c->label, c->equity_basis, c->period,
                           c->currency, c->source, c->note};
        const char *n[] = {"label", "equity_basis", "period", "currency",
                           "source", "note"};
        for (size_t k = 0; k < 6; k++) {
            if (!t[k] || dg_dot_writable_text(t[k]))
                continue;
            if (!first_leg && !(first_leg = first_leg_lines(l))) {
                diags->oom = true;
                goto done;
            }
            const char *file;
            long line;
            company_where(l, first_leg, i, &file, &line);
            dg_buf b1;
            dg_buf_init(&b1);
            dg_buf_clear(&who);
            dg_buf_printf(&who, "company %s", dg_quote(c->name, 60, &b1));
            dg_buf_finish(&b1);
            text_writable(diags, file, line, who.data ? who.data : "company",
                          n[k], t[k], &q);
        }
    }
    /* (the graph's title is checked where it is read, with its file and
     * line; the focus names a company, whose name check_writable checks,
     * or is check_focus's error) */
done:
    if (q.oom || who.oom)
        diags->oom = true;
    free(first_leg);
    dg_buf_finish(&q);
    dg_buf_finish(&who);
}

/* A company name is the same in DOT and CSV, and `render -T dot` writes
 * it back: one that DOT cannot hold is an error (two such names could
 * come back as one company). */
static void check_writable(const dg_ledger *l, dg_diags *diags)
{
    dg_buf q;
    dg_buf_init(&q);
    long *first_leg = NULL;
    for (size_t i = 0; i < l->ncompanies; i++) {
        const char *name = l->companies[i].name;
        if (name[0] && dot_writable(name))
            continue;
        if (!first_leg && !(first_leg = first_leg_lines(l))) {
            diags->oom = true;
            break;
        }
        const char *file;
        long line;
        company_where(l, first_leg, i, &file, &line);
        if (!name[0]) {
            /* DOT's "" (or "<line break>", which cgraph reads as ""); CSV
             * refuses an empty from or to already */
            dg_diags_add(diags, DG_SEV_ERROR, file, line,
                         "a company with an empty name (\"\"); give it "
                         "a name");
            continue;
        }
        dg_diags_add(diags, DG_SEV_ERROR, file, line,
                     "company \"%s\": DOT cannot write this name (it "
                     "starts with %%, has a backslash at its end or just "
                     "before a quote or a line break, or a line break alone "
                     "between quotes, backslashes or its ends); rename it",
                     dg_quote(l->companies[i].name, 60, &q));
    }
    free(first_leg);
    dg_buf_finish(&q);
}

void dg_ledger_check(const dg_ledger *l, dg_diags *diags)
{
    check_writable(l, diags);
    check_texts(l, diags);
    check_names(l, diags);
    check_focus(l, diags);
    check_legs(l, diags);
}
