/*
 * cmd_flows.c - dealgraph flows: the flow calendar (calendar.h), money per
 * calendar year per company, pair or leg, with what no year holds said
 * beside it: totals without a delivery period, undisclosed legs, money
 * before and after the years shown, per-period legs of unknown term.
 */
#include "cli.h"
#include "dealgraph/calendar.h"
#include "dealgraph/text.h"
#include "flows_chart.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The most years a table shows (a text table holds at most 64 columns:
 * the years and the leg view's nine others). */
#define MAX_SHOWN_YEARS 50

typedef struct flows_years {
    int first, last; /* 0, 0: the calendar's default */
} flows_years;

enum { VIEW_COMPANY, VIEW_PAIR, VIEW_LEG };

typedef struct flows_opts {
    int by;
    flows_years years;
} flows_opts;

static const char *const views[] = {"company", "pair", "leg", NULL};
static const cli_value by_value = {"a view", "use company, pair or leg", 0, 0,
                                   views};

/* Four digits, as a year. */
static bool four_digits(const char *s, int *out)
{
    int v = 0;
    for (int k = 0; k < 4; k++) {
        if (s[k] < '0' || s[k] > '9')
            return false;
        v = v * 10 + (s[k] - '0');
    }
    *out = v;
    return true;
}

/* --years FIRST-LAST (or one year, YYYY). */
static bool parse_years(const char *cmd, const cli_option *o, const char *arg,
                        void *dst)
{
    flows_years *y = dst;
    int a = 0, b = -1;
    size_t n = strlen(arg);
    if (n == 4 && four_digits(arg, &a))
        b = a; /* one year */
    else if (!(n == 9 && arg[4] == '-' && four_digits(arg, &a) &&
               four_digits(arg + 5, &b)))
        b = -1;
    if (b < a) { /* not the form, or running backwards */
        cli_error("%s: --%s '%s' is not a range of years; write FIRST-LAST, "
                  "e.g. 2026-2031",
                  cmd, o->name, arg);
        return false;
    }
    if (a < 1900 || b > 2999) {
        cli_error("%s: --%s '%s' lies outside the years 1900-2999; write "
                  "FIRST-LAST, e.g. 2026-2031",
                  cmd, o->name, arg);
        return false;
    }
    if (b - a + 1 > MAX_SHOWN_YEARS) {
        cli_error("%s: --%s '%s' spans %d years; give at most %d, e.g. "
                  "2026-2031",
                  cmd, o->name, arg, b - a + 1, MAX_SHOWN_YEARS);
        return false;
    }
    y->first = a;
    y->last = b;
    return true;
}

static const cli_option options[] = {
    {"years", 0, "FIRST-LAST",
     "the calendar years shown, one column each (default: the earliest "
     "scheduled year to five years after as_of); money before and after "
     "them is shown apart",
     parse_years, offsetof(flows_opts, years), NULL},
    {"by", 0, "VIEW",
     "company (default: what each pays and receives), pair (from -> to) or "
     "leg",
     cli_parse_choice, offsetof(flows_opts, by), &by_value},
    {NULL, 0, NULL, NULL, NULL, 0, NULL},
};

/* ---- small helpers ------------------------------------------------------ */

/* Less than half a cent: no money (an empty cell for people). */
static bool nothing(double v) { return fabs(v) < 0.005; }

/* The text of a year as a column key and title: static strings, the same
 * for the life of the process (a table keeps pointers to its keys). */
static const char *year_text(int year)
{
    static char text[1100][5];
    if (year < 1900 || year > 2999)
        return "?";
    char *t = text[year - 1900];
    if (!t[0])
        snprintf(t, sizeof text[0], "%d", year);
    return t;
}

/* The ledger whose companies are being sorted (qsort has no context). */
static const dg_ledger *sorting;

static int by_name(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(sorting->companies[x].name, sorting->companies[y].name);
    return c ? c : (x > y) - (x < y);
}

/* "deal G" / "leg G2" / "" */
static void leg_label(const dg_leg *g, dg_buf *b)
{
    if (g->deal)
        dg_buf_printf(b, "deal %s, ", g->deal);
    else if (g->id)
        dg_buf_printf(b, "leg %s, ", g->id);
    dg_buf_printf(b, "line %ld", g->line);
}

static const char *name_of(const dg_ledger *l, size_t c)
{
    return l->companies[c].name;
}

/* The order rows are shown in: the focus's first (when there is one). */
typedef struct order {
    size_t *companies; /* every company, focus first, then by name */
    size_t ncompanies;
    size_t *pairs;     /* pair indexes: out of the focus, into it, rest */
    size_t *legs;      /* calendar leg indexes: the same groups */
} order;

static bool order_make(const dg_ledger *l, const dg_calendar *f, size_t focus,
                       order *o)
{
    memset(o, 0, sizeof *o);
    size_t nc = l->ncompanies;
    o->companies = malloc((nc ? nc : 1) * sizeof *o->companies);
    o->pairs = malloc((f->npairs ? f->npairs : 1) * sizeof *o->pairs);
    o->legs = malloc((f->nlegs ? f->nlegs : 1) * sizeof *o->legs);
    if (!o->companies || !o->pairs || !o->legs)
        return false;
    for (size_t c = 0; c < nc; c++)
        o->companies[c] = c;
    sorting = l;
    if (nc > 1)
        qsort(o->companies, nc, sizeof *o->companies, by_name);
    sorting = NULL;
    o->ncompanies = nc;
    if (focus != SIZE_MAX) {
        size_t at = 0;
        while (at < nc && o->companies[at] != focus)
            at++;
        memmove(o->companies + 1, o->companies, at * sizeof *o->companies);
        o->companies[0] = focus;
    }
    /* three groups: from the focus, to it, the rest; each in the
     * calendar's order (names for pairs, the file for legs) */
    size_t np = 0, nl = 0;
    for (int group = 0; group < 3; group++) {
        for (size_t k = 0; k < f->npairs; k++) {
            const dg_calendar_pair *p = &f->pairs[k];
            int g = p->from == focus ? 0 : p->to == focus ? 1 : 2;
            if (g == group)
                o->pairs[np++] = k;
        }
        for (size_t k = 0; k < f->nlegs; k++) {
            const dg_leg *leg = &l->legs[f->legs[k].leg];
            int g = leg->from == focus ? 0 : leg->to == focus ? 1 : 2;
            if (g == group)
                o->legs[nl++] = k;
        }
    }
    return true;
}

static void order_finish(order *o)
{
    free(o->companies);
    free(o->pairs);
    free(o->legs);
}

/* ---- tables --------------------------------------------------------------
 *
 * Each view is one table with a column per year between its first columns
 * and its last; people see money as $300B with no money an empty cell,
 * machines (CSV) every digit and 0. The columns are made here and copied
 * into the table (cli_table_title keeps its own copy). */

typedef struct layout {
    const cli_column *head; /* before the years */
    size_t nhead;
    const cli_column *tail; /* after them */
    size_t ntail;
} layout;

/* A table with head, "before", the years, "after", tail. */
static void table_open(cli_table *t, const layout *lay, const dg_calendar *f,
                       bool people)
{
    size_t ny = f->nyears, n = lay->nhead + ny + 2 + lay->ntail;
    cli_column *cols = malloc(n * sizeof *cols);
    if (!cols) {
        cli_table_init(t, NULL, 0);
        t->oom = true;
        return;
    }
    size_t at = 0;
    for (size_t k = 0; k < lay->nhead; k++)
        cols[at++] = lay->head[k];
    cols[at++] = (cli_column){"before", "before"};
    for (size_t y = 0; y < ny; y++) {
        const char *yt = year_text(f->first_year + (int)y);
        cols[at++] = (cli_column){yt, yt};
    }
    cols[at++] = (cli_column){"after", "after"};
    for (size_t k = 0; k < lay->ntail; k++)
        cols[at++] = lay->tail[k];
    cli_table_init(t, cols, n);
    /* the table's own copy of the columns, before `cols` goes */
    char title[32];
    snprintf(title, sizeof title, people ? "before %d" : "before",
             f->first_year);
    cli_table_title(t, lay->nhead, title);
    snprintf(title, sizeof title, people ? "after %d" : "after",
             f->last_year);
    cli_table_title(t, lay->nhead + ny + 1, title);
    if (t->oom) /* the title failed: the table points at nothing */
        t->columns = NULL;
    free(cols);
}

static void money_cell(cli_table *t, size_t col, double v, bool people)
{
    if (people && nothing(v))
        return; /* empty: no money */
    cli_table_money(t, col, v);
}

static void count_cell(cli_table *t, size_t col, size_t n, bool people)
{
    if (people && !n)
        return;
    cli_table_int(t, col, (long long)n);
}

/* before, the years, after, from column `at` */
static void years_cells(cli_table *t, size_t at, const dg_calendar *f,
                        double before, const double *by_year, double after,
                        bool people)
{
    money_cell(t, at, before, people);
    for (size_t y = 0; y < f->nyears; y++)
        money_cell(t, at + 1 + y, by_year[y], people);
    money_cell(t, at + f->nyears + 1, after, people);
}

/* -- by company -- */

static const cli_column company_head[] = {{"company", "company"},
                                          {"flow", "flow"}};
static const cli_column company_tail_people[] = {
    {"unscheduled", "no period"}, {"undisclosed_legs", "undisclosed"}};
static const cli_column company_tail_csv[] = {
    {"unscheduled", "unscheduled"},
    {"unscheduled_legs", "unscheduled legs"},
    {"undisclosed_legs", "undisclosed legs"},
    {"term_unknown_legs", "term unknown legs"},
    {"legs", "legs"}};

static void company_table(cli_doc *d, const dg_ledger *l,
                          const dg_calendar *f, const order *o, size_t focus,
                          bool people)
{
    layout lay = {company_head, 2,
                  people ? company_tail_people : company_tail_csv,
                  people ? 2 : 5};
    cli_table t;
    table_open(&t, &lay, f, people);
    size_t tail = 2 + f->nyears + 2;
    dg_buf name;
    dg_buf_init(&name);
    for (size_t k = 0; k < o->ncompanies; k++) {
        size_t c = o->companies[k];
        const dg_calendar_company *fc = &f->companies[c];
        dg_buf_clear(&name);
        dg_buf_puts(&name, name_of(l, c));
        if (people && c == focus)
            dg_buf_puts(&name, " (focus)");
        for (int dir = 0; dir < 2; dir++) {
            bool out = dir == 0;
            if (!(out ? fc->legs_out : fc->legs_in))
                continue;
            cli_table_row(&t);
            cli_table_text(&t, 0, name.data ? name.data : "");
            cli_table_text(&t, 1, people ? (out ? "pays" : "receives")
                                         : (out ? "out" : "in"));
            years_cells(&t, 2, f, out ? fc->before_out : fc->before_in,
                        out ? fc->out : fc->in,
                        out ? fc->after_out : fc->after_in, people);
            money_cell(&t, tail, out ? fc->unscheduled_out : fc->unscheduled_in,
                       people);
            if (people) {
                count_cell(&t, tail + 1,
                           out ? fc->undisclosed_out : fc->undisclosed_in,
                           true);
                continue;
            }
            count_cell(&t, tail + 1,
                       out ? fc->unscheduled_legs_out
                           : fc->unscheduled_legs_in,
                       false);
            count_cell(&t, tail + 2,
                       out ? fc->undisclosed_out : fc->undisclosed_in, false);
            count_cell(&t, tail + 3,
                       out ? fc->term_unknown_out : fc->term_unknown_in,
                       false);
            count_cell(&t, tail + 4, out ? fc->legs_out : fc->legs_in, false);
        }
    }
    if (people && f->nlegs) {
        cli_table_row(&t);
        cli_table_text(&t, 0, "all companies");
        cli_table_text(&t, 1, "pay");
        years_cells(&t, 2, f, f->before, f->total, f->after, true);
        money_cell(&t, tail, f->unscheduled, true);
        count_cell(&t, tail + 1, f->undisclosed_legs, true);
    }
    if (name.oom)
        t.oom = true;
    dg_buf_finish(&name);
    doc_table(d, &t, people ? DOC_HUMAN : DOC_CSV);
}

/* -- by pair -- */

static const cli_column pair_head[] = {{"from", "from"}, {"to", "to"}};
static const cli_column pair_tail_people[] = {
    {"unscheduled", "no period"}, {"undisclosed_legs", "undisclosed"}};
static const cli_column pair_tail_csv[] = {
    {"unscheduled", "unscheduled"},
    {"unscheduled_legs", "unscheduled legs"},
    {"undisclosed_legs", "undisclosed legs"},
    {"term_unknown_legs", "term unknown legs"}};

static void pair_table(cli_doc *d, const dg_ledger *l, const dg_calendar *f,
                       const order *o, bool people)
{
    layout lay = {pair_head, 2, people ? pair_tail_people : pair_tail_csv,
                  people ? 2 : 4};
    cli_table t;
    table_open(&t, &lay, f, people);
    size_t tail = 2 + f->nyears + 2;
    for (size_t k = 0; k < f->npairs; k++) {
        const dg_calendar_pair *p = &f->pairs[o->pairs[k]];
        cli_table_row(&t);
        cli_table_text(&t, 0, name_of(l, p->from));
        cli_table_text(&t, 1, name_of(l, p->to));
        years_cells(&t, 2, f, p->before, p->by_year, p->after, people);
        money_cell(&t, tail, p->unscheduled, people);
        if (people) {
            count_cell(&t, tail + 1, p->undisclosed_legs, true);
            continue;
        }
        count_cell(&t, tail + 1, p->unscheduled_legs, false);
        count_cell(&t, tail + 2, p->undisclosed_legs, false);
        count_cell(&t, tail + 3, p->term_unknown_legs, false);
    }
    if (people && f->nlegs) {
        cli_table_row(&t);
        cli_table_text(&t, 0, "all pairs");
        years_cells(&t, 2, f, f->before, f->total, f->after, true);
        money_cell(&t, tail, f->unscheduled, true);
        count_cell(&t, tail + 1, f->undisclosed_legs, true);
    }
    doc_table(d, &t, people ? DOC_HUMAN : DOC_CSV);
}

/* -- by leg -- */

static const cli_column leg_head_people[] = {
    {"from", "from"}, {"to", "to"},   {"kind", "kind"},
    {"deal", "deal"}, {"line", "line"}, {"amount", "in all"}};
static const cli_column leg_tail_people[] = {{"schedule", "schedule"}};
static const cli_column leg_head_csv[] = {
    {"from", "from"}, {"to", "to"},         {"kind", "kind"},
    {"deal", "deal"}, {"id", "id"},         {"line", "line"},
    {"schedule", "schedule"}, {"amount", "amount"},
    {"term_unknown", "term unknown"}, {"one_off", "one-off"}};

/* What people read in the leg view's last column. */
static const char *leg_schedule_text(const dg_calendar_leg *fl)
{
    switch (fl->state) {
    case DG_SCHED_SCHEDULED:
        return fl->term_unknown ? "12 months only"
               : fl->one_off    ? "one-off"
                                : "";
    case DG_SCHED_UNSCHEDULED: return "no delivery period";
    case DG_SCHED_UNDISCLOSED: return "undisclosed";
    default: return "invalid";
    }
}

static void leg_table(cli_doc *d, const dg_ledger *l, const dg_calendar *f,
                      const order *o, bool people)
{
    layout lay = {people ? leg_head_people : leg_head_csv, people ? 6 : 10,
                  people ? leg_tail_people : NULL, people ? 1 : 0};
    cli_table t;
    table_open(&t, &lay, f, people);
    size_t years = lay.nhead;
    for (size_t k = 0; k < f->nlegs; k++) {
        const dg_calendar_leg *fl = &f->legs[o->legs[k]];
        const dg_leg *g = &l->legs[fl->leg];
        cli_table_row(&t);
        cli_table_text(&t, 0, name_of(l, g->from));
        cli_table_text(&t, 1, name_of(l, g->to));
        cli_table_text(&t, 2, dg_kind_name(g->kind));
        cli_table_text(&t, 3, g->deal);
        if (people) {
            cli_table_int(&t, 4, g->line);
            cli_table_money(&t, 5, fl->amount);
        } else {
            cli_table_text(&t, 4, g->id);
            cli_table_int(&t, 5, g->line);
            cli_table_text(&t, 6, dg_sched_state_name(fl->state));
            cli_table_money(&t, 7, fl->amount);
            cli_table_bool(&t, 8, fl->term_unknown);
            cli_table_bool(&t, 9, fl->one_off);
        }
        if (fl->by_year)
            years_cells(&t, years, f, fl->before, fl->by_year, fl->after,
                        people);
        if (people)
            cli_table_text(&t, years + f->nyears + 2,
                           leg_schedule_text(fl));
    }
    doc_table(d, &t, people ? DOC_HUMAN : DOC_CSV);
}

/* ---- what no year holds ----------------------------------------------- */

static int by_amount(const void *a, const void *b, const dg_calendar *f)
{
    const dg_calendar_leg *x = &f->legs[*(const size_t *)a],
                          *y = &f->legs[*(const size_t *)b];
    if (x->amount != y->amount)
        return x->amount > y->amount ? -1 : 1;
    return (x->leg > y->leg) - (x->leg < y->leg);
}

static const dg_calendar *sorting_calendar;

static int by_amount_q(const void *a, const void *b)
{
    return by_amount(a, b, sorting_calendar);
}

/* The most undisclosed legs named one by one (the leg view lists all). */
#define NAMED_UNDISCLOSED 8

static void left_out_notes(cli_doc *d, const dg_ledger *l,
                           const dg_calendar *f, const cli_common *c,
                           size_t *scratch)
{
    char m[32], m2[32];
    dg_buf b;
    dg_buf_init(&b);
    const char *ft = year_text(f->first_year), *lt = year_text(f->last_year);

    /* totals with no delivery period, largest first */
    size_t n = 0;
    for (size_t k = 0; k < f->nlegs; k++)
        if (f->legs[k].state == DG_SCHED_UNSCHEDULED)
            scratch[n++] = k;
    sorting_calendar = f;
    if (n > 1)
        qsort(scratch, n, sizeof *scratch, by_amount_q);
    sorting_calendar = NULL;
    for (size_t k = 0; k < n; k++) {
        const dg_calendar_leg *fl = &f->legs[scratch[k]];
        const dg_leg *g = &l->legs[fl->leg];
        dg_buf_clear(&b);
        leg_label(g, &b);
        doc_note(d, "%s from %s to %s has no delivery period (%s, %s): it is "
                    "in no year.",
                 dg_money_format(fl->amount, m, sizeof m), name_of(l, g->from),
                 name_of(l, g->to), dg_kind_name(g->kind),
                 b.data ? b.data : "");
    }

    /* undisclosed legs: counted, and named while few */
    if (f->undisclosed_legs) {
        size_t ranged = 0;
        dg_buf_clear(&b);
        size_t named = 0;
        for (size_t k = 0; k < f->nlegs; k++) {
            const dg_calendar_leg *fl = &f->legs[k];
            if (fl->state != DG_SCHED_UNDISCLOSED)
                continue;
            const dg_leg *g = &l->legs[fl->leg];
            ranged += dg_has(g->amount_low) || dg_has(g->amount_high);
            if (named++ >= NAMED_UNDISCLOSED)
                continue;
            dg_buf_printf(&b, "%s%s -> %s %s (", named > 1 ? "; " : "",
                          name_of(l, g->from), name_of(l, g->to),
                          dg_kind_name(g->kind));
            leg_label(g, &b);
            dg_buf_putc(&b, ')');
        }
        if (named > NAMED_UNDISCLOSED)
            dg_buf_printf(&b, "; and %zu more (--by leg lists them)",
                          named - NAMED_UNDISCLOSED);
        size_t u = f->undisclosed_legs;
        doc_note(d, "%zu leg%s %s and %s in no year: %s.", u,
                 u == 1 ? " has" : "s have",
                 c->filter.amounts == DG_AMOUNTS_DISCLOSED
                     ? "no disclosed amount"
                     : "neither a disclosed amount nor an estimate range",
                 u == 1 ? "is" : "are", b.data ? b.data : "");
        if (ranged && c->filter.amounts == DG_AMOUNTS_DISCLOSED)
            doc_note(d, "%zu of them carr%s a published estimate range: "
                        "--amounts low, mid or high counts %s.",
                     ranged, ranged == 1 ? "ies" : "y",
                     ranged == 1 ? "it" : "them");
    }

    /* per-period legs with neither end nor term */
    for (size_t k = 0; k < f->nlegs; k++) {
        const dg_calendar_leg *fl = &f->legs[k];
        if (fl->state != DG_SCHED_SCHEDULED || !fl->term_unknown)
            continue;
        const dg_leg *g = &l->legs[fl->leg];
        dg_buf_clear(&b);
        leg_label(g, &b);
        doc_note(d, "%s a %s from %s to %s (%s, %s) has neither end nor "
                    "term: 12 months only (%s), never extended to later years.",
                 dg_money_format(dg_leg_value(g, c->filter.amounts), m,
                                 sizeof m),
                 dg_per_name(g->per),
                 name_of(l, g->from), name_of(l, g->to),
                 dg_kind_name(g->kind), b.data ? b.data : "",
                 dg_money_format(fl->amount, m2, sizeof m2));
    }

    if (!nothing(f->before))
        doc_note(d, "%s is scheduled before %s: in the column \"before %s\", "
                    "not in a year shown.",
                 dg_money_format(f->before, m, sizeof m), ft, ft);
    if (!nothing(f->after))
        doc_note(d, "%s is scheduled after %s: in the column \"after %s\", "
                    "not in a year shown.",
                 dg_money_format(f->after, m, sizeof m), lt, lt);
    if (f->filtered)
        doc_note(d, "%zu leg%s left out: ended or superseded, or outside the "
                    "filters (--min-status, --kinds, --as-of).",
                 f->filtered, f->filtered == 1 ? " is" : "s are");
    if (f->invalid_legs)
        doc_note(d, "%zu leg%s no period that can be built (see 'dealgraph "
                    "lint'): in no year.",
                 f->invalid_legs, f->invalid_legs == 1 ? " has" : "s have");
    if (!f->unscheduled_legs && !f->undisclosed_legs &&
        !f->term_unknown_legs && nothing(f->before) && nothing(f->after) &&
        !f->filtered && !f->invalid_legs)
        doc_note(d, "Nothing: every leg's money is in the years shown.");
    if (b.oom)
        d->oom = true;
    dg_buf_finish(&b);
}

/* ---- JSON --------------------------------------------------------------- */

static json_t *money_array(const double *v, size_t n)
{
    json_t *a = json_array();
    for (size_t k = 0; a && k < n; k++)
        json_array_append_new(a, json_real(v ? v[k] : 0));
    return a;
}

static json_t *flows_json(const dg_ledger *l, const dg_calendar *f,
                          const cli_common *c, size_t focus, dg_date as_of,
                          bool default_years)
{
    json_t *doc = cli_json_document();
    json_t *years = json_array(), *companies = json_array(),
           *pairs = json_array(), *legs = json_array();
    for (size_t y = 0; years && y < f->nyears; y++)
        json_array_append_new(years,
                              json_integer(f->first_year + (json_int_t)y));

    /* companies with a leg, by name */
    size_t *ord = malloc((l->ncompanies ? l->ncompanies : 1) * sizeof *ord);
    for (size_t k = 0; ord && k < l->ncompanies; k++)
        ord[k] = k;
    sorting = l;
    if (ord && l->ncompanies > 1)
        qsort(ord, l->ncompanies, sizeof *ord, by_name);
    sorting = NULL;
    for (size_t k = 0; ord && companies && k < l->ncompanies; k++) {
        const dg_calendar_company *fc = &f->companies[ord[k]];
        if (!fc->legs_in && !fc->legs_out)
            continue;
        json_array_append_new(
            companies,
            json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, "
                      "s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
                      "name", name_of(l, ord[k]), "out",
                      money_array(fc->out, f->nyears), "in",
                      money_array(fc->in, f->nyears), "before_out",
                      json_real(fc->before_out), "after_out",
                      json_real(fc->after_out), "before_in",
                      json_real(fc->before_in), "after_in",
                      json_real(fc->after_in), "unscheduled_out",
                      json_real(fc->unscheduled_out), "unscheduled_in",
                      json_real(fc->unscheduled_in), "legs_out",
                      (json_int_t)fc->legs_out, "legs_in",
                      (json_int_t)fc->legs_in, "unscheduled_legs_out",
                      (json_int_t)fc->unscheduled_legs_out,
                      "unscheduled_legs_in",
                      (json_int_t)fc->unscheduled_legs_in, "undisclosed_out",
                      (json_int_t)fc->undisclosed_out, "undisclosed_in",
                      (json_int_t)fc->undisclosed_in, "term_unknown_out",
                      (json_int_t)fc->term_unknown_out, "term_unknown_in",
                      (json_int_t)fc->term_unknown_in));
    }
    free(ord);
    bool ok = ord != NULL || l->ncompanies == 0;

    for (size_t k = 0; pairs && k < f->npairs; k++) {
        const dg_calendar_pair *p = &f->pairs[k];
        json_array_append_new(
            pairs,
            json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:I, s:I, s:I}", "from",
                      name_of(l, p->from), "to", name_of(l, p->to), "by_year",
                      money_array(p->by_year, f->nyears), "before",
                      json_real(p->before), "after", json_real(p->after),
                      "unscheduled", json_real(p->unscheduled),
                      "unscheduled_legs", (json_int_t)p->unscheduled_legs,
                      "undisclosed_legs", (json_int_t)p->undisclosed_legs,
                      "term_unknown_legs", (json_int_t)p->term_unknown_legs));
    }
    for (size_t k = 0; legs && k < f->nlegs; k++) {
        const dg_calendar_leg *fl = &f->legs[k];
        const dg_leg *g = &l->legs[fl->leg];
        bool s = fl->by_year != NULL;
        json_array_append_new(
            legs,
            json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:I, s:s, s:s, s:o, s:b, "
                      "s:b, s:o, s:o, s:o}",
                      "from", name_of(l, g->from), "to", name_of(l, g->to),
                      "kind", dg_kind_name(g->kind), "deal", g->deal, "id",
                      g->id, "line", (json_int_t)g->line, "schedule",
                      dg_sched_state_name(fl->state), "per",
                      dg_per_name(g->per), "amount", cli_json_money(fl->amount),
                      "term_unknown", fl->term_unknown, "one_off", fl->one_off,
                      "by_year",
                      s ? money_array(fl->by_year, f->nyears) : json_null(),
                      "before", s ? json_real(fl->before) : json_null(),
                      "after", s ? json_real(fl->after) : json_null()));
    }
    json_t *total = json_pack(
        "{s:o, s:o, s:o, s:o}", "by_year", money_array(f->total, f->nyears),
        "before", json_real(f->before), "after", json_real(f->after),
        "unscheduled", json_real(f->unscheduled));
    json_t *counts = json_pack(
        "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "legs",
        (json_int_t)f->nlegs, "scheduled", (json_int_t)f->scheduled_legs,
        "one_off", (json_int_t)f->one_off_legs, "term_unknown",
        (json_int_t)f->term_unknown_legs, "unscheduled",
        (json_int_t)f->unscheduled_legs, "undisclosed",
        (json_int_t)f->undisclosed_legs, "invalid",
        (json_int_t)f->invalid_legs, "filtered", (json_int_t)f->filtered);
    json_t *rest = json_pack(
        "{s:o, s:s?, s:o, s:s, s:s?, s:i, s:i, s:b, s:o, s:o, s:o, s:o, s:o, "
        "s:o}",
        "file", cli_json_text(l->path), "title", l->title, "as_of",
        cli_json_date(as_of), "amounts", dg_amounts_name(c->filter.amounts),
        "focus", focus != SIZE_MAX ? name_of(l, focus) : NULL, "first_year",
        f->first_year, "last_year", f->last_year, "default_years",
        default_years, "years", years, "counts", counts, "total", total,
        "companies", companies, "pairs", pairs, "legs", legs);
    if (!ok || !doc || !rest || json_object_update(doc, rest) != 0) {
        json_decref(rest);
        json_decref(doc);
        return NULL;
    }
    json_decref(rest);
    return doc;
}

/* ---- the document ------------------------------------------------------- */

static int flows_build(cli_doc *d, const dg_ledger *l, const cli_common *c,
                       const void *opts)
{
    const flows_opts *o = opts;
    size_t focus = SIZE_MAX;
    /* the chart alone needs a focus: say so rather than draw nothing */
    if (c->focus || l->focus || c->format == CLI_OUT_SVG) {
        if (!cli_focus(l, c, "flows", &focus))
            return EXIT_TROUBLE;
    }
    dg_calendar_options co;
    dg_calendar_options_init(&co);
    co.filter = c->filter;
    co.first_year = o->years.first;
    co.last_year = o->years.last;
    /* the date the default years count from (calendar.h) */
    dg_date as_of = dg_date_valid(c->filter.as_of) ? c->filter.as_of : l->as_of;
    bool default_years = !o->years.first;

    dg_diags diags;
    dg_diags_init(&diags);
    dg_calendar f;
    int rc = dg_calendar_compute(l, &co, &f, &diags);
    if (rc != DG_OK) {
        if (rc == DG_ENOMEM)
            cli_out_of_memory();
        else if (diags.errors)
            cli_error("flows: %s: %s", l->path, diags.items[0].message);
        else
            cli_error("flows: %s: %s", l->path, dg_strerror(rc));
        dg_diags_finish(&diags);
        dg_calendar_finish(&f);
        return EXIT_TROUBLE;
    }
    dg_diags_finish(&diags);

    if (c->format == CLI_OUT_JSON) {
        doc_json(d, flows_json(l, &f, c, focus, as_of, default_years));
        dg_calendar_finish(&f);
        return EXIT_OK;
    }

    order ord;
    size_t *scratch = malloc((f.nlegs ? f.nlegs : 1) * sizeof *scratch);
    if (!order_make(l, &f, focus, &ord) || !scratch) {
        order_finish(&ord);
        free(scratch);
        dg_calendar_finish(&f);
        cli_out_of_memory();
        return EXIT_TROUBLE;
    }

    char a[32], b[32], date[16];
    const char *ft = year_text(f.first_year), *lt = year_text(f.last_year);
    doc_heading(d, 2, "Flow calendar of %s", l->title ? l->title : l->path);
    if (default_years && dg_date_valid(as_of))
        doc_line(d, "%s; amounts: %s; years %s-%s (from the earliest "
                    "scheduled year to five years after %s)",
                 l->path, dg_amounts_name(c->filter.amounts), ft, lt,
                 dg_date_format(as_of, date, sizeof date));
    else
        doc_line(d, "%s; amounts: %s; years %s-%s", l->path,
                 dg_amounts_name(c->filter.amounts), ft, lt);
    double in_years = 0;
    for (size_t y = 0; y < f.nyears; y++)
        in_years += f.total[y];
    doc_line(d, "%zu leg%s: %zu scheduled (%s in %s-%s), %zu with no "
                "delivery period (%s), %zu undisclosed",
             f.nlegs, f.nlegs == 1 ? "" : "s", f.scheduled_legs,
             dg_money_format(in_years, a, sizeof a), ft, lt,
             f.unscheduled_legs, dg_money_format(f.unscheduled, b, sizeof b),
             f.undisclosed_legs);
    if (focus != SIZE_MAX)
        doc_line(d, "%s's rows first", name_of(l, focus));

    static const char *const titles[] = {
        "Money per year, by company: what each pays and receives",
        "Money per year, by pair: from the payer to the payee",
        "Money per year, by leg"};
    doc_heading(d, 3, "%s", titles[o->by]);
    for (int pass = 0; pass < 2; pass++) {
        bool people = pass == 0;
        if (o->by == VIEW_COMPANY)
            company_table(d, l, &f, &ord, focus, people);
        else if (o->by == VIEW_PAIR)
            pair_table(d, l, &f, &ord, people);
        else
            leg_table(d, l, &f, &ord, people);
    }

    if (focus == SIZE_MAX) {
        doc_only(d, DOC_HTML);
        doc_para(d, "No chart: the ledger names no focal company (give "
                    "--focus NAME to draw one's payments per year).");
        doc_only(d, 0);
    } else {
        size_t svglen = 0;
        char *svg = flows_chart_svg(l, &f, focus, &svglen);
        char caption[256];
        snprintf(caption, sizeof caption,
                 "What %s pays per year, by counterparty", name_of(l, focus));
        doc_chart(d, svg, svglen, caption);
    }

    doc_heading(d, 3, "Not in the years %s-%s", ft, lt);
    left_out_notes(d, l, &f, c, scratch);

    doc_heading(d, 3, "Notes");
    doc_note(d, "A year is a calendar year of payment, January to December: "
                "each leg's money is spread over the months of its period "
                "(start, end or term, profile), and a year holds the months "
                "that fall in it. Companies' fiscal years are not used here.");
    doc_note(d, "\"pays\" sums the legs out of a company, \"receives\" those "
                "into it; money moves from a leg's tail to its head (buyer to "
                "seller, customer to provider, investor to investee, lender "
                "to borrower).");
    if (f.one_off_legs)
        doc_note(d, "%zu equity, debt or warrant leg%s without a period "
                    "count%s whole in the month %s starts (else was "
                    "announced): an assumption, as one-off transfers.",
                 f.one_off_legs, f.one_off_legs == 1 ? "" : "s",
                 f.one_off_legs == 1 ? "s" : "",
                 f.one_off_legs == 1 ? "it" : "each");
    doc_note(d, "The rules: docs/methods.md, \"The time model: schedules\" and "
                "\"The flow calendar\".");
    order_finish(&ord);
    free(scratch);
    dg_calendar_finish(&f);
    return EXIT_OK;
}

static const char about[] =
    "The flow calendar: the money each leg moves in each calendar year, by\n"
    "its schedule (start, end or term, per-period amounts, profile), summed\n"
    "per company (what it pays and receives), per pair or per leg. Money\n"
    "before and after the years shown has columns of its own; totals with\n"
    "no delivery period and undisclosed legs are in no year and are listed\n"
    "apart. --focus puts a company's rows first (nothing is left out), and\n"
    "--format html and svg draw its payments per year by counterparty.";

const cli_command cli_cmd_flows = {
    .name = "flows",
    .summary = "money per calendar year: the flow calendar",
    .usage = "[OPTIONS] FILE",
    .about = about,
    .exits = "Exit codes: 0 success, 2 bad usage or unreadable or invalid "
             "input.",
    .formats = DOC_TEXT | DOC_MD | DOC_JSON | DOC_CSV | DOC_HTML | DOC_SVG,
    .shared = CLI_SHARE_ANALYSIS | CLI_SHARE_FOCUS,
    .options = options,
    .opts_size = sizeof(flows_opts),
    .build = flows_build,
};
