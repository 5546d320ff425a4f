/*
 * attrs.c - one textual attribute at a time onto legs, companies and the
 * graph. Both loaders go through here, so a value means the same in DOT
 * and CSV and every message reads the same.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const dg_leg_fields[] = {
    "kind", "amount", "amount_low", "amount_high", "per", "upto", "status",
    "announced", "start", "end", "deal", "source", "note", NULL,
};

const char *const dg_company_fields[] = {
    "label", "sector", "equity", "equity_basis", "equity_as_of", "cash",
    "cash_as_of", "outside_inflow", "capex", "ebitda", "period", "currency",
    "source", "note", NULL,
};

/* Graphviz's own attributes: presentation, accepted and ignored so that a
 * styled DOT file still lints clean. */
static const char *const graphviz_attrs[] = {
    "URL", "arrowhead", "arrowsize", "arrowtail", "bgcolor", "center",
    "class", "color", "colorscheme", "comment", "concentrate", "constraint",
    "decorate", "dir", "fillcolor", "fixedsize", "fontcolor", "fontname",
    "fontsize", "group", "headlabel", "headport", "height", "href", "id",
    "image", "key", "labelangle", "labeldistance", "labelfloat",
    "labelfontcolor", "labelfontname", "labelfontsize", "labeljust",
    "labelloc", "layout", "margin", "minlen", "newrank", "nodesep",
    "ordering", "orientation", "outputorder", "pad", "penwidth",
    "peripheries", "pos", "rank", "rankdir", "ranksep", "ratio", "shape",
    "size", "splines", "style", "tailport", "taillabel", "target", "tooltip",
    "weight", "width", "xlabel", "fontpath", "compound", "dpi", "sides",
    "skew", "distortion", "regular", "charset", "forcelabels", "imagescale",
    "overlap", "sep", "esep", "mindist", "splines", "K", "mode", "model",
    "start", "epsilon", "maxiter", "root", "labelfontsize", "nojustify",
    NULL,
};

static bool in_list(const char *const *list, const char *name)
{
    for (; *list; list++)
        if (strcmp(*list, name) == 0)
            return true;
    return false;
}

static size_t list_len(const char *const *list)
{
    size_t n = 0;
    while (list[n])
        n++;
    return n;
}

static bool date_shaped(const char *s)
{
    size_t n = strlen(s);
    if (n != 4 && n != 7 && n != 10)
        return false;
    for (size_t i = 0; i < n; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return false;
    }
    return true;
}

static void bad_money(const dg_where *w, const char *what, const char *name,
                      const char *value)
{
    dg_buf q;
    dg_buf_init(&q);
    dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                 "%s: %s \"%s\" is not a money value; write %s", what, name,
                 dg_quote(value, 60, &q), dg_money_forms());
    dg_buf_finish(&q);
}

static bool set_money(double *out, const char *name, const char *value,
                      const char *what, const dg_where *w)
{
    if (!dg_money_parse(value, out)) {
        bad_money(w, what, name, value);
        return false;
    }
    return true;
}

static bool set_date(dg_date *out, const char *name, const char *value,
                     const char *what, const dg_where *w)
{
    if (dg_date_parse(value, out))
        return true;
    dg_buf q;
    dg_buf_init(&q);
    if (date_shaped(value))
        dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                     "%s: %s \"%s\" is not a calendar date; write a real "
                     "date as YYYY, YYYY-MM or YYYY-MM-DD (years 1900-2999)",
                     what, name, value);
    else
        dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                     "%s: %s \"%s\" is not a date; write YYYY, YYYY-MM or "
                     "YYYY-MM-DD",
                     what, name, dg_quote(value, 60, &q));
    dg_buf_finish(&q);
    return false;
}

static int set_string(char **out, const char *value)
{
    char *s = dg_strdup(value);
    if (!s)
        return DG_ENOMEM;
    free(*out);
    *out = s;
    return DG_OK;
}

/* "a, b, c" for a counted name list, written into buf (n bytes): the lists
 * are short and fixed, so no allocation (that could fail) is needed. */
static const char *one_of(const char *(*name)(int), int count, char *buf,
                          size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < count; i++) {
        const char *w = name(i);
        if (!w[0])
            continue;
        int k = snprintf(buf + len, n - len, "%s%s", len ? ", " : "", w);
        if (k < 0 || (size_t)k >= n - len)
            break;
        len += (size_t)k;
    }
    return buf;
}

static const char *kind_i(int i) { return dg_kind_name((dg_kind)i); }
static const char *status_i(int i) { return dg_status_name((dg_status)i); }
static const char *sector_i(int i) { return dg_sector_name((dg_sector)i); }

static void bad_word(const dg_where *w, const char *what, const char *name,
                     const char *value, const char *(*names)(int), int count)
{
    const char *cands[16];
    for (int i = 0; i < count && i < 16; i++)
        cands[i] = names(i);
    const char *near = dg_closest(value, cands, (size_t)count);
    dg_buf q;
    dg_buf_init(&q);
    char all[256];
    one_of(names, count, all, sizeof all);
    if (near)
        dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                     "%s: %s \"%s\" is not known; did you mean \"%s\"? (one "
                     "of %s)",
                     what, name, dg_quote(value, 40, &q), near, all);
    else
        dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                     "%s: %s \"%s\" is not known; use one of %s", what, name,
                     dg_quote(value, 40, &q), all);
    dg_buf_finish(&q);
}

static void unknown_attr(const dg_where *w, const char *what, const char *name,
                         const char *const *known)
{
    const char *near = dg_closest(name, known, list_len(known));
    dg_buf q;
    dg_buf_init(&q);
    if (near)
        dg_diags_add(w->diags, DG_SEV_WARNING, w->file, w->line,
                     "%s: unknown attribute \"%s\" is ignored; did you mean "
                     "\"%s\"?",
                     what, dg_quote(name, 40, &q), near);
    else
        dg_diags_add(w->diags, DG_SEV_WARNING, w->file, w->line,
                     "%s: unknown attribute \"%s\" is ignored", what,
                     dg_quote(name, 40, &q));
    dg_buf_finish(&q);
}

static bool parse_bool(const char *value, bool *out)
{
    if (dg_streq_nocase(value, "true") || dg_streq_nocase(value, "yes")) {
        *out = true;
        return true;
    }
    if (dg_streq_nocase(value, "false") || dg_streq_nocase(value, "no")) {
        *out = false;
        return true;
    }
    return false;
}

int dg_leg_set(dg_leg *leg, dg_leg_seen *seen, const char *name,
               const char *value, const char *what, const dg_where *w)
{
    if (!value[0])
        return DG_OK; /* empty means absent, in DOT and CSV alike */
    dg_buf q;
    dg_buf_init(&q);
    int rc = DG_OK;
    if (strcmp(name, "kind") == 0) {
        if (dg_kind_parse(value, &leg->kind))
            seen->kind = true;
        else
            bad_word(w, what, name, value, kind_i, DG_KIND_COUNT);
        seen->kind = true; /* reported once, as a bad value */
    } else if (strcmp(name, "status") == 0) {
        if (!dg_status_parse(value, &leg->status))
            bad_word(w, what, name, value, status_i, DG_STATUS_COUNT);
        seen->status = true;
    } else if (strcmp(name, "amount") == 0) {
        set_money(&leg->amount, name, value, what, w);
    } else if (strcmp(name, "amount_low") == 0) {
        set_money(&leg->amount_low, name, value, what, w);
    } else if (strcmp(name, "amount_high") == 0) {
        set_money(&leg->amount_high, name, value, what, w);
    } else if (strcmp(name, "per") == 0) {
        if (strcmp(value, "year") == 0)
            leg->per_year = true;
        else if (strcmp(value, "total") == 0)
            leg->per_year = false;
        else
            dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                         "%s: per \"%s\" is not known; write \"year\" for an "
                         "amount per year (or leave it out for a total)",
                         what, dg_quote(value, 40, &q));
    } else if (strcmp(name, "upto") == 0) {
        if (!parse_bool(value, &leg->upto))
            dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                         "%s: upto \"%s\" is not a truth value; write true "
                         "or false",
                         what, dg_quote(value, 40, &q));
    } else if (strcmp(name, "announced") == 0) {
        set_date(&leg->announced, name, value, what, w);
        seen->announced = true;
    } else if (strcmp(name, "start") == 0) {
        set_date(&leg->start, name, value, what, w);
    } else if (strcmp(name, "end") == 0) {
        set_date(&leg->end, name, value, what, w);
    } else if (strcmp(name, "deal") == 0) {
        rc = set_string(&leg->deal, value);
    } else if (strcmp(name, "source") == 0) {
        rc = set_string(&leg->source, value);
    } else if (strcmp(name, "note") == 0) {
        rc = set_string(&leg->note, value);
    } else if (!in_list(graphviz_attrs, name) && strcmp(name, "label") != 0) {
        unknown_attr(w, what, name, dg_leg_fields);
    }
    dg_buf_finish(&q);
    return rc;
}

void dg_leg_validate(const dg_leg *leg, const dg_leg_seen *seen,
                     const char *what, bool strict, const dg_where *w)
{
    char all[256];
    if (!seen->kind)
        dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                     "%s: missing kind; add kind=\"...\" with one of %s",
                     what, one_of(kind_i, DG_KIND_COUNT, all, sizeof all));
    if (!seen->status)
        dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                     "%s: missing status; add status=\"...\" with one of %s",
                     what, one_of(status_i, DG_STATUS_COUNT, all, sizeof all));
    if (!seen->announced)
        dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                     "%s: missing announced; add the announcement date as "
                     "YYYY, YYYY-MM or YYYY-MM-DD",
                     what);
    bool low = dg_has(leg->amount_low), high = dg_has(leg->amount_high);
    if (low != high)
        dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                     "%s: %s without %s; an estimate range needs both "
                     "amount_low and amount_high",
                     what, low ? "amount_low" : "amount_high",
                     low ? "amount_high" : "amount_low");
    else if (low && leg->amount_low > leg->amount_high)
        dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                     "%s: amount_low is above amount_high; the range must "
                     "run from low to high",
                     what);
    else if (low && dg_has(leg->amount))
        dg_diags_add(w->diags, DG_SEV_WARNING, w->file, w->line,
                     "%s: amount_low and amount_high are ignored because "
                     "amount is disclosed; keep estimates for undisclosed legs",
                     what);
    if (dg_date_valid(leg->start) && dg_date_valid(leg->end) &&
        dg_date_cmp(leg->start, leg->end) > 0)
        dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                     "%s: start is after end; the delivery period must run "
                     "forward",
                     what);
    if (strict && !leg->source)
        dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                     "%s: missing source; --strict requires a citation "
                     "(outlet or filing, and date) on every leg",
                     what);
}

int dg_company_set(dg_company *c, const char *name, const char *value,
                   const dg_where *w)
{
    if (!value[0])
        return DG_OK;
    dg_buf what, q;
    dg_buf_init(&what);
    dg_buf_init(&q);
    dg_buf_printf(&what, "company %s", dg_quote(c->name, 60, &q));
    if (what.oom) { /* messages would not say which company */
        dg_buf_finish(&what);
        dg_buf_finish(&q);
        return DG_ENOMEM;
    }
    const char *wh = what.data;
    int rc = DG_OK;
    if (strcmp(name, "label") == 0) {
        rc = set_string(&c->label, value);
    } else if (strcmp(name, "sector") == 0) {
        if (!dg_sector_parse(value, &c->sector))
            bad_word(w, wh, name, value, sector_i, DG_SECTOR_COUNT);
    } else if (strcmp(name, "equity") == 0) {
        set_money(&c->equity, name, value, wh, w);
    } else if (strcmp(name, "equity_basis") == 0) {
        if (strcmp(value, "book") && strcmp(value, "market") &&
            strcmp(value, "private_round"))
            dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                         "%s: equity_basis \"%s\" is not known; use book, "
                         "market or private_round",
                         wh, dg_quote(value, 40, &q));
        else
            rc = set_string(&c->equity_basis, value);
    } else if (strcmp(name, "equity_as_of") == 0) {
        set_date(&c->equity_as_of, name, value, wh, w);
    } else if (strcmp(name, "cash") == 0) {
        set_money(&c->cash, name, value, wh, w);
    } else if (strcmp(name, "cash_as_of") == 0) {
        set_date(&c->cash_as_of, name, value, wh, w);
    } else if (strcmp(name, "outside_inflow") == 0) {
        set_money(&c->outside_inflow, name, value, wh, w);
    } else if (strcmp(name, "capex") == 0) {
        set_money(&c->capex, name, value, wh, w);
    } else if (strcmp(name, "ebitda") == 0) {
        /* EBITDA can be negative (a loss-making year). */
        bool neg = value[0] == '-';
        if (set_money(&c->ebitda, name, value + neg, wh, w) && neg)
            c->ebitda = -c->ebitda;
    } else if (strcmp(name, "period") == 0) {
        rc = set_string(&c->period, value);
    } else if (strcmp(name, "currency") == 0) {
        rc = set_string(&c->currency, value);
    } else if (strcmp(name, "source") == 0) {
        rc = set_string(&c->source, value);
    } else if (strcmp(name, "note") == 0) {
        rc = set_string(&c->note, value);
    } else if (!in_list(graphviz_attrs, name)) {
        unknown_attr(w, wh, name, dg_company_fields);
    }
    dg_buf_finish(&what);
    dg_buf_finish(&q);
    return rc;
}

int dg_graph_set(dg_ledger *l, const char *name, const char *value,
                 const dg_where *w)
{
    if (!value[0])
        return DG_OK;
    if (strcmp(name, "focus") == 0) {
        l->focus_line = w->line;
        if (set_string(&l->focus_file, w->file) != DG_OK)
            return DG_ENOMEM;
        return set_string(&l->focus, value);
    }
    if (strcmp(name, "title") == 0) {
        if (!dg_dot_writable_text(value)) {
            dg_buf q;
            dg_buf_init(&q);
            dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                         "graph: title \"%s\": " DG_DOT_TEXT_PROBLEM,
                         dg_quote(value, 60, &q));
            dg_buf_finish(&q);
        }
        return set_string(&l->title, value);
    }
    if (strcmp(name, "as_of") == 0) {
        set_date(&l->as_of, name, value, "graph", w);
        return DG_OK;
    }
    static const char *const graph_fields[] = {"focus", "title", "as_of",
                                               NULL};
    if (!in_list(graphviz_attrs, name) && strcmp(name, "label") != 0)
        unknown_attr(w, "graph", name, graph_fields);
    return DG_OK;
}
