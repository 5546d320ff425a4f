/*
 * attrs.c - one textual attribute at a time onto legs, companies and the
 * graph. Both loaders go through here, so a value means the same in DOT
 * and CSV and every message reads the same.
 */
#include "internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const dg_leg_fields[] = {
    "kind", "amount", "amount_low", "amount_high", "estimate_by", "per",
    "upto", "status", "announced", "start", "end", "term", "profile",
    "funded", "funded_as_of", "ended", "ended_why", "supersedes", "id",
    "deal", "source", "url", "note", NULL,
};

const char *const dg_company_fields[] = {
    "label", "sector", "equity", "equity_basis", "equity_as_of", "cash",
    "cash_as_of", "outside_inflow", "capex", "ebitda", "period", "currency",
    "revenue", "ocf", "debt", "rpo", "rpo_as_of", "fiscal_year_end",
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

/* A comma list of words, blanks around each dropped: "a, b,c" -> a b c.
 * Returns the count (0 when one is empty: an error for the caller), or
 * -1 when out of memory. The words are malloc'd into *out. */
static long split_list(const char *value, char ***out)
{
    size_t n = 1;
    for (const char *p = value; *p; p++)
        n += *p == ',';
    char **v = calloc(n, sizeof *v);
    if (!v)
        return -1;
    const char *p = value;
    for (size_t k = 0; k < n; k++) {
        size_t len = strcspn(p, ",");
        const char *a = p, *b = p + len;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        v[k] = dg_strndup(a, (size_t)(b - a));
        if (!v[k]) {
            for (size_t j = 0; j < k; j++)
                free(v[j]);
            free(v);
            return -1;
        }
        p += len + (p[len] == ',');
    }
    for (size_t k = 0; k < n; k++)
        if (!v[k][0]) {
            *out = v;
            return -(long)n - 2; /* an empty word: report, then free */
        }
    *out = v;
    return (long)n;
}

static void free_list(char **v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        free(v[k]);
    free(v);
}

static int set_supersedes(dg_leg *leg, const char *value, const char *what,
                          const dg_where *w)
{
    char **v = NULL;
    long n = split_list(value, &v);
    if (n == -1)
        return DG_ENOMEM;
    if (n < 0) {
        free_list(v, (size_t)(-n - 2));
        dg_buf q;
        dg_buf_init(&q);
        dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                     "%s: supersedes \"%s\" has an empty id; give a comma "
                     "list of deal or leg ids, e.g. \"D05, D06\"",
                     what, dg_quote(value, 60, &q));
        dg_buf_finish(&q);
        return DG_OK;
    }
    free_list(leg->supersedes, leg->nsupersedes);
    leg->supersedes = v;
    leg->nsupersedes = (size_t)n;
    return DG_OK;
}

static int set_profile(dg_leg *leg, const char *value, const char *what,
                       const dg_where *w)
{
    free(leg->weights);
    leg->weights = NULL;
    leg->nweights = 0;
    if (strcmp(value, "even") == 0) {
        leg->profile = DG_PROFILE_EVEN;
        return DG_OK;
    }
    if (strcmp(value, "ramp") == 0) {
        leg->profile = DG_PROFILE_RAMP;
        return DG_OK;
    }
    char **v = NULL;
    long n = split_list(value, &v);
    if (n == -1)
        return DG_ENOMEM;
    size_t count = n < 0 ? (size_t)(-n - 2) : (size_t)n;
    double *weights = n > 0 ? malloc(count * sizeof *weights) : NULL;
    if (n > 0 && !weights) {
        free_list(v, count);
        return DG_ENOMEM;
    }
    bool ok = n > 0, positive = false;
    for (size_t k = 0; ok && k < count; k++) {
        char *end;
        errno = 0;
        weights[k] = strtod(v[k], &end);
        ok = end != v[k] && !*end && !errno && isfinite(weights[k]) &&
             weights[k] >= 0 && (v[k][0] >= '0' && v[k][0] <= '9');
        positive = positive || weights[k] > 0;
    }
    free_list(v, count);
    if (!ok || !positive || count > 100) {
        free(weights);
        dg_buf q;
        dg_buf_init(&q);
        dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                     "%s: profile \"%s\" is not known; write even, ramp, or "
                     "weights per twelve-month period such as \"10,39,65,78\" "
                     "(numbers of at least 0, not all 0, at most 100 of them)",
                     what, dg_quote(value, 60, &q));
        dg_buf_finish(&q);
        return DG_OK;
    }
    leg->profile = DG_PROFILE_WEIGHTS;
    leg->weights = weights;
    leg->nweights = count;
    return DG_OK;
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
            leg->per = DG_PER_YEAR;
        else if (strcmp(value, "month") == 0)
            leg->per = DG_PER_MONTH;
        else if (strcmp(value, "total") == 0)
            leg->per = DG_PER_TOTAL;
        else
            dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                         "%s: per \"%s\" is not known; write \"year\" or "
                         "\"month\" for an amount per period (or leave it "
                         "out for a total)",
                         what, dg_quote(value, 40, &q));
    } else if (strcmp(name, "term") == 0) {
        if (strcmp(value, "unknown") == 0)
            leg->term_months = DG_TERM_UNKNOWN;
        else if (!dg_term_parse(value, &leg->term_months))
            dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                         "%s: term \"%s\" is not a length of time; write "
                         "years or months, e.g. 5y, 18m or 2.5y (or unknown "
                         "when no delivery period was disclosed)",
                         what, dg_quote(value, 40, &q));
    } else if (strcmp(name, "profile") == 0) {
        rc = set_profile(leg, value, what, w);
    } else if (strcmp(name, "funded") == 0) {
        set_money(&leg->funded, name, value, what, w);
    } else if (strcmp(name, "funded_as_of") == 0) {
        set_date(&leg->funded_as_of, name, value, what, w);
    } else if (strcmp(name, "ended") == 0) {
        set_date(&leg->ended, name, value, what, w);
    } else if (strcmp(name, "ended_why") == 0) {
        rc = set_string(&leg->ended_why, value);
    } else if (strcmp(name, "supersedes") == 0) {
        rc = set_supersedes(leg, value, what, w);
    } else if (strcmp(name, "id") == 0) {
        rc = set_string(&leg->id, value);
    } else if (strcmp(name, "url") == 0) {
        rc = set_string(&leg->url, value);
    } else if (strcmp(name, "estimate_by") == 0) {
        rc = set_string(&leg->estimate_by, value);
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

/* Days since 1970-01-01 of the last day a date can denote: "2026" is
 * 2026-12-31, "2026-06" 2026-06-30. */
static long last_day(dg_date d)
{
    dg_date next = d;
    if (d.day)
        return dg_date_days(d);
    if (!d.month || d.month == 12)
        next = (dg_date){(int16_t)(d.year + 1), d.month ? 1 : 0, 0};
    else
        next.month++;
    return dg_date_days(next) - 1;
}

/* "2026-07" for a month index of the years a ledger holds. */
static const char *month_text(long long index, char buf[16])
{
    snprintf(buf, 16, "%04d-%02d", (int)(index / 12 % 10000),
             (int)(index % 12) + 1);
    return buf;
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
    /* An end given as a year or a month runs through its last day
     * (start="2026-07", end="2026" is July to December). */
    if (dg_date_valid(leg->start) && dg_date_valid(leg->end) &&
        dg_date_days(leg->start) > last_day(leg->end))
        dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                     "%s: start is after end; the delivery period must run "
                     "forward",
                     what);
    int first;
    long long last;
    dg_period_from from;
    dg_leg_period(leg, &first, &last, &from);
    if (!dg_date_valid(leg->start) && dg_date_valid(leg->end) &&
        dg_date_valid(leg->announced) && last < first)
        dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                     "%s: end is before announced, and without start the "
                     "delivery period runs from announced; add start",
                     what);
    if (leg->per == DG_PER_TOTAL && leg->profile == DG_PROFILE_WEIGHTS &&
        dg_date_valid(leg->start) &&
        (from == DG_PERIOD_END || from == DG_PERIOD_TERM) && last >= first &&
        leg->nweights != (size_t)((last - first + 12) / 12)) {
        char a[16], b[16];
        dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                     "%s: profile gives %zu weights, but the delivery period "
                     "%s to %s has %lld twelve-month periods; give one weight "
                     "per twelve-month period from start, or leave out %s to "
                     "let the weights give the period",
                     what, leg->nweights, month_text(first, a),
                     month_text(last, b), (last - first + 12) / 12,
                     from == DG_PERIOD_END ? "end" : "term");
    }
    if (dg_date_valid(leg->end) && leg->term_months > 0)
        dg_diags_add(w->diags, DG_SEV_WARNING, w->file, w->line,
                     "%s: term is ignored because end is given; keep one of "
                     "the two",
                     what);
    if (leg->profile != DG_PROFILE_EVEN && leg->per != DG_PER_TOTAL)
        dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                     "%s: profile spreads a total, but the amount is per %s; "
                     "leave profile out or give the total amount",
                     what, leg->per == DG_PER_YEAR ? "year" : "month");
    if (leg->profile != DG_PROFILE_EVEN && leg->per == DG_PER_TOTAL &&
        !dg_date_valid(leg->start))
        dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                     "%s: profile needs start: its weights run by "
                     "twelve-month periods from the start of delivery",
                     what);
    if (leg->profile == DG_PROFILE_RAMP && !dg_date_valid(leg->end) &&
        leg->term_months <= 0)
        dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                     "%s: a ramp needs a delivery period; add end or term",
                     what);
    if (dg_has(leg->funded)) {
        double v = dg_has(leg->amount) ? leg->amount : leg->amount_high;
        if (dg_has(v) && leg->funded > v * (1 + 1e-9))
            dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                         "%s: funded is more than the amount; the part "
                         "already paid cannot exceed the whole",
                         what);
    }
    if (dg_date_valid(leg->funded_as_of) && !dg_has(leg->funded))
        dg_diags_add(w->diags, DG_SEV_WARNING, w->file, w->line,
                     "%s: funded_as_of without funded; give the part paid",
                     what);
    if (dg_date_valid(leg->ended) && dg_date_valid(leg->announced) &&
        dg_date_cmp(leg->ended, leg->announced) < 0)
        dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                     "%s: ended is before announced; a leg ends after it "
                     "was announced",
                     what);
    if (leg->ended_why && !dg_date_valid(leg->ended))
        dg_diags_add(w->diags, DG_SEV_WARNING, w->file, w->line,
                     "%s: ended_why without ended; give the date it ended",
                     what);
    if (dg_has(leg->amount_low) && !dg_has(leg->amount) && !leg->estimate_by)
        dg_diags_add(w->diags, DG_SEV_WARNING, w->file, w->line,
                     "%s: an estimate range without estimate_by; say who "
                     "made the estimate and how",
                     what);
    if (dg_has(leg->amount) && leg->per == DG_PER_TOTAL &&
        leg->kind != DG_KIND_EQUITY && leg->kind != DG_KIND_DEBT &&
        leg->kind != DG_KIND_WARRANT && !dg_date_valid(leg->end) &&
        leg->term_months == 0 && leg->profile != DG_PROFILE_WEIGHTS)
        dg_diags_add(w->diags, DG_SEV_WARNING, w->file, w->line,
                     "%s: a %s total with no delivery period is left out of "
                     "every year; add start and end (or term), per=\"year\", "
                     "or term=\"unknown\" when none was disclosed",
                     what, dg_kind_name(leg->kind));
    if (strict && !leg->source)
        dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                     "%s: missing source; --strict requires a citation "
                     "(outlet or filing, and date) on every leg",
                     what);
}

/* A series "2024:130.5B, 2025:187.1B, 2026:216B guidance": each entry a
 * year, a colon, a money value (negative allowed when `signed_ok`: EBITDA
 * and cash flow can be losses) and an optional basis word. Years in any
 * order, each once. Errors go to diags; the series is replaced only when
 * the whole text is good. */
static int set_series(dg_series *out, const char *name, const char *value,
                      bool signed_ok, const char *what, const dg_where *w)
{
    char **v = NULL;
    long n = split_list(value, &v);
    if (n == -1)
        return DG_ENOMEM;
    size_t count = n < 0 ? (size_t)(-n - 2) : (size_t)n;
    dg_series_point *pts = n > 0 ? calloc(count, sizeof *pts) : NULL;
    if (n > 0 && !pts) {
        free_list(v, count);
        return DG_ENOMEM;
    }
    const char *bad = n > 0 ? NULL : value, *why = "an entry is empty";
    for (size_t k = 0; !bad && k < count; k++) {
        char *e = v[k];
        char *colon = strchr(e, ':');
        dg_date y;
        if (!colon || colon - e != 4) {
            bad = e;
            why = "each entry is YEAR:VALUE";
            break;
        }
        *colon = '\0';
        if (!dg_date_parse(e, &y) || y.month) {
            *colon = ':';
            bad = e;
            why = "the year is not a year (1900-2999)";
            break;
        }
        *colon = ':';
        char *val = colon + 1;
        while (*val == ' ')
            val++;
        char *sp = strchr(val, ' ');
        dg_basis basis = DG_BASIS_ACTUAL;
        if (sp) {
            char *word = sp;
            while (*word == ' ')
                word++;
            bool found = false;
            for (int b = 0; b < DG_BASIS_COUNT; b++)
                if (strcmp(word, dg_basis_name((dg_basis)b)) == 0) {
                    basis = (dg_basis)b;
                    found = true;
                }
            if (!found) {
                bad = e;
                why = "the word after the value is not a basis (actual, "
                      "guidance or estimate)";
                break;
            }
            *sp = '\0';
        }
        bool neg = signed_ok && val[0] == '-';
        double x;
        if (!dg_money_parse(val + neg, &x)) {
            if (sp)
                *sp = ' ';
            bad = e;
            why = "the value is not a money value";
            break;
        }
        if (sp)
            *sp = ' ';
        for (size_t j = 0; j < k; j++)
            if (pts[j].year == y.year) {
                bad = e;
                why = "a year is given twice";
            }
        pts[k] = (dg_series_point){y.year, neg ? -x : x, basis};
    }
    if (bad) {
        dg_buf q;
        dg_buf_init(&q);
        dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                     "%s: %s \"%s\": %s; write a comma list such as "
                     "\"2025:57.4B, 2026:67B guidance\" (a basis word, actual, "
                     "guidance or estimate, may follow a value)",
                     what, name, dg_quote(bad, 60, &q), why);
        dg_buf_finish(&q);
        free(pts);
        free_list(v, count);
        return DG_OK;
    }
    free_list(v, count);
    /* sorted by year: a handful of points */
    for (size_t i = 1; i < count; i++)
        for (size_t j = i; j > 0 && pts[j - 1].year > pts[j].year; j--) {
            dg_series_point t = pts[j];
            pts[j] = pts[j - 1];
            pts[j - 1] = t;
        }
    free(out->points);
    out->points = pts;
    out->n = count;
    return DG_OK;
}

static bool parse_month_day(const char *value, int *out)
{
    if (strlen(value) != 5 || value[2] != '-')
        return false;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (value[i] < '0' || value[i] > '9'))
            return false;
    int m = (value[0] - '0') * 10 + (value[1] - '0');
    int d = (value[3] - '0') * 10 + (value[4] - '0');
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return false;
    *out = m * 100 + d;
    return true;
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
    } else if (strcmp(name, "capex") == 0 && strchr(value, ':')) {
        rc = set_series(&c->capex_by_year, name, value, false, wh, w);
    } else if (strcmp(name, "capex") == 0) {
        set_money(&c->capex, name, value, wh, w);
    } else if (strcmp(name, "ebitda") == 0 && strchr(value, ':')) {
        rc = set_series(&c->ebitda_by_year, name, value, true, wh, w);
    } else if (strcmp(name, "ebitda") == 0) {
        /* EBITDA can be negative (a loss-making year). */
        bool neg = value[0] == '-';
        if (set_money(&c->ebitda, name, value + neg, wh, w) && neg)
            c->ebitda = -c->ebitda;
    } else if (strcmp(name, "revenue") == 0) {
        rc = set_series(&c->revenue, name, value, false, wh, w);
    } else if (strcmp(name, "ocf") == 0) {
        rc = set_series(&c->ocf, name, value, true, wh, w);
    } else if (strcmp(name, "debt") == 0) {
        rc = set_series(&c->debt, name, value, false, wh, w);
    } else if (strcmp(name, "rpo") == 0) {
        set_money(&c->rpo, name, value, wh, w);
    } else if (strcmp(name, "rpo_as_of") == 0) {
        set_date(&c->rpo_as_of, name, value, wh, w);
    } else if (strcmp(name, "fiscal_year_end") == 0) {
        if (!parse_month_day(value, &c->fiscal_year_end))
            dg_diags_add(w->diags, DG_SEV_ERROR, w->file, w->line,
                         "%s: fiscal_year_end \"%s\" is not a day of the "
                         "year; write MM-DD, e.g. 05-31 or 06-30",
                         wh, dg_quote(value, 40, &q));
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

/* ---- attributes back to text (the inverse of the setters above) -------- */

static bool put_money(dg_buf *out, double v)
{
    if (!dg_has(v))
        return false;
    char t[64];
    dg_buf_puts(out, dg_money_exact(v, t, sizeof t));
    return true;
}

static bool put_date(dg_buf *out, dg_date d)
{
    if (!dg_date_valid(d))
        return false;
    char t[16];
    dg_buf_puts(out, dg_date_format(d, t, sizeof t));
    return true;
}

static bool put_str(dg_buf *out, const char *s)
{
    if (!s || !s[0])
        return false;
    dg_buf_puts(out, s);
    return true;
}

void dg_series_text(const dg_series *s, dg_buf *out)
{
    for (size_t k = 0; k < s->n; k++) {
        char t[64];
        dg_buf_printf(out, "%s%d:%s", k ? ", " : "", s->points[k].year,
                      dg_money_exact(s->points[k].value, t, sizeof t));
        if (s->points[k].basis != DG_BASIS_ACTUAL)
            dg_buf_printf(out, " %s", dg_basis_name(s->points[k].basis));
    }
}

static bool put_series(dg_buf *out, const dg_series *s)
{
    if (!s->n)
        return false;
    dg_series_text(s, out);
    return true;
}

bool dg_leg_attr_text(const dg_leg *g, const char *name, dg_buf *out)
{
    if (strcmp(name, "kind") == 0)
        return put_str(out, dg_kind_name(g->kind));
    if (strcmp(name, "amount") == 0)
        return put_money(out, g->amount);
    if (strcmp(name, "amount_low") == 0)
        return put_money(out, g->amount_low);
    if (strcmp(name, "amount_high") == 0)
        return put_money(out, g->amount_high);
    if (strcmp(name, "estimate_by") == 0)
        return put_str(out, g->estimate_by);
    if (strcmp(name, "per") == 0)
        return g->per != DG_PER_TOTAL && put_str(out, dg_per_name(g->per));
    if (strcmp(name, "upto") == 0)
        return g->upto && put_str(out, "true");
    if (strcmp(name, "status") == 0)
        return put_str(out, dg_status_name(g->status));
    if (strcmp(name, "announced") == 0)
        return put_date(out, g->announced);
    if (strcmp(name, "start") == 0)
        return put_date(out, g->start);
    if (strcmp(name, "end") == 0)
        return put_date(out, g->end);
    if (strcmp(name, "term") == 0) {
        if (g->term_months == DG_TERM_UNKNOWN)
            return put_str(out, "unknown");
        if (g->term_months <= 0)
            return false;
        if (g->term_months % 12 == 0)
            dg_buf_printf(out, "%dy", g->term_months / 12);
        else
            dg_buf_printf(out, "%dm", g->term_months);
        return true;
    }
    if (strcmp(name, "profile") == 0) {
        if (g->profile == DG_PROFILE_RAMP)
            return put_str(out, "ramp");
        if (g->profile != DG_PROFILE_WEIGHTS)
            return false;
        for (size_t k = 0; k < g->nweights; k++)
            dg_buf_printf(out, "%s%.17g", k ? "," : "", g->weights[k]);
        return true;
    }
    if (strcmp(name, "funded") == 0)
        return put_money(out, g->funded);
    if (strcmp(name, "funded_as_of") == 0)
        return put_date(out, g->funded_as_of);
    if (strcmp(name, "ended") == 0)
        return put_date(out, g->ended);
    if (strcmp(name, "ended_why") == 0)
        return put_str(out, g->ended_why);
    if (strcmp(name, "supersedes") == 0) {
        for (size_t k = 0; k < g->nsupersedes; k++)
            dg_buf_printf(out, "%s%s", k ? ", " : "", g->supersedes[k]);
        return g->nsupersedes > 0;
    }
    if (strcmp(name, "id") == 0)
        return put_str(out, g->id);
    if (strcmp(name, "deal") == 0)
        return put_str(out, g->deal);
    if (strcmp(name, "source") == 0)
        return put_str(out, g->source);
    if (strcmp(name, "url") == 0)
        return put_str(out, g->url);
    if (strcmp(name, "note") == 0)
        return put_str(out, g->note);
    return false;
}

bool dg_company_attr_text(const dg_company *c, const char *name, dg_buf *out)
{
    if (strcmp(name, "label") == 0)
        return put_str(out, c->label);
    if (strcmp(name, "sector") == 0)
        return c->sector != DG_SECTOR_NONE &&
               put_str(out, dg_sector_name(c->sector));
    if (strcmp(name, "equity") == 0)
        return put_money(out, c->equity);
    if (strcmp(name, "equity_basis") == 0)
        return put_str(out, c->equity_basis);
    if (strcmp(name, "equity_as_of") == 0)
        return put_date(out, c->equity_as_of);
    if (strcmp(name, "cash") == 0)
        return put_money(out, c->cash);
    if (strcmp(name, "cash_as_of") == 0)
        return put_date(out, c->cash_as_of);
    if (strcmp(name, "outside_inflow") == 0)
        return put_money(out, c->outside_inflow);
    if (strcmp(name, "capex") == 0)
        return c->capex_by_year.n ? put_series(out, &c->capex_by_year)
                                  : put_money(out, c->capex);
    if (strcmp(name, "ebitda") == 0)
        return c->ebitda_by_year.n ? put_series(out, &c->ebitda_by_year)
                                   : put_money(out, c->ebitda);
    if (strcmp(name, "period") == 0)
        return put_str(out, c->period);
    if (strcmp(name, "currency") == 0)
        return put_str(out, c->currency);
    if (strcmp(name, "revenue") == 0)
        return put_series(out, &c->revenue);
    if (strcmp(name, "ocf") == 0)
        return put_series(out, &c->ocf);
    if (strcmp(name, "debt") == 0)
        return put_series(out, &c->debt);
    if (strcmp(name, "rpo") == 0)
        return put_money(out, c->rpo);
    if (strcmp(name, "rpo_as_of") == 0)
        return put_date(out, c->rpo_as_of);
    if (strcmp(name, "fiscal_year_end") == 0) {
        if (!c->fiscal_year_end)
            return false;
        dg_buf_printf(out, "%02d-%02d", c->fiscal_year_end / 100,
                      c->fiscal_year_end % 100);
        return true;
    }
    if (strcmp(name, "source") == 0)
        return put_str(out, c->source);
    if (strcmp(name, "note") == 0)
        return put_str(out, c->note);
    return false;
}
