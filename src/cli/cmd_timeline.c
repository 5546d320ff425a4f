/*
 * cmd_timeline.c - dealgraph timeline: the ledger by announcement date,
 * per month, quarter or year (timeline.h), and which loop closed when.
 */
#include "chart.h"
#include "cli.h"
#include "dealgraph/text.h"
#include "dealgraph/timeline.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef struct timeline_opts {
    int by; /* dg_step */
    size_t max_len;
} timeline_opts;

static const char *const steps[] = {"month", "quarter", "year", NULL};
static const cli_value by_value = {"a period", "use month, quarter or year",
                                   0, 0, steps};
static const cli_value len_value = {
    "a loop length", "give a whole number of at least 2", 2, 0, NULL};

static const cli_option options[] = {
    {"by", 0, "PERIOD",
     "month, quarter (default) or year: the ledger at the end of each",
     cli_parse_choice, offsetof(timeline_opts, by), &by_value},
    {"max-len", 0, "N", "count loops of at most N companies",
     cli_parse_count, offsetof(timeline_opts, max_len), &len_value},
    {NULL, 0, NULL, NULL, NULL, 0, NULL},
};

static void defaults(void *opts)
{
    ((timeline_opts *)opts)->by = DG_STEP_QUARTER;
}

/* "2025", "2025-Q3", "2025-09" */
static void period_label(const dg_timeline_point *p, dg_step step, char *buf,
                         size_t n)
{
    if (step == DG_STEP_YEAR)
        snprintf(buf, n, "%d", p->year);
    else if (step == DG_STEP_QUARTER)
        snprintf(buf, n, "%d-Q%d", p->year, p->period);
    else
        snprintf(buf, n, "%d-%02d", p->year, p->period);
}

enum { T_PERIOD, T_END, T_NEW, T_ENDED, T_LEGS, T_VALUE, T_UNDISCLOSED,
       T_LOOPS, T_TWO, T_RECIPROCITY, T_LOOPED, T_FSHARE, T_FLOOPED, T_N };

static const cli_column columns[T_N] = {
    {"period", "period"},
    {"end", "to"},
    {"announced", "new legs"},
    {"ended", "ended"},
    {"legs", "legs"},
    {"value", "value"},
    {"undisclosed", "undisclosed"},
    {"loops", "loops"},
    {"two_company_loops", "2-company"},
    {"reciprocity", "reciprocity"},
    {"looped_value", "looped value"},
    {"focus_share", "focus share"},
    {"focus_looped_share", "focus looped"},
};

enum { E_PERIOD, E_DATE, E_WHAT, E_ID, E_LOOP, E_LEG, E_N };

static const cli_column event_columns[E_N] = {
    {"period", "period"},
    {"date", "date"},
    {"event", "event"},
    {"id", "id"},
    {"loop", "loop"},
    {"leg", "by the leg"},
};

/* "OpenAI -> AMD chips, line 48" */
static void leg_text(const dg_ledger *l, size_t g, dg_buf *b)
{
    if (g == SIZE_MAX) {
        dg_buf_puts(b, "(not found)");
        return;
    }
    const dg_leg *leg = &l->legs[g];
    dg_buf_printf(b, "%s -> %s %s", l->companies[leg->from].name,
                  l->companies[leg->to].name, dg_kind_name(leg->kind));
    if (leg->deal)
        dg_buf_printf(b, " [%s]", leg->deal);
    dg_buf_printf(b, ", line %ld", leg->line);
}

static json_t *num(double v) { return dg_has(v) ? json_real(v) : json_null(); }

static json_t *timeline_json(const dg_ledger *l, const dg_timeline *t,
                             dg_step step, const char *focus)
{
    json_t *doc = cli_json_document(), *pts = json_array(),
           *evs = json_array();
    char label[32], d[16];
    dg_buf b;
    dg_buf_init(&b);
    for (size_t k = 0; doc && pts && k < t->npoints; k++) {
        const dg_timeline_point *p = &t->points[k];
        period_label(p, step, label, sizeof label);
        json_array_append_new(
            pts, json_pack("{s:s, s:o, s:I, s:I, s:I, s:o, s:I, s:I, s:I, "
                           "s:o, s:o, s:o, s:o}",
                           "period", label, "end", cli_json_date(p->end),
                           "legs", (json_int_t)p->legs, "announced",
                           (json_int_t)p->announced, "ended",
                           (json_int_t)p->ended, "value",
                           cli_json_money(p->value), "undisclosed",
                           (json_int_t)p->undisclosed, "loops",
                           (json_int_t)p->loops, "two_company_loops",
                           (json_int_t)p->two_company_loops, "reciprocity",
                           num(p->reciprocity), "looped_value",
                           cli_json_money(p->looped_value), "focus_share",
                           num(p->focus_share), "focus_looped_share",
                           num(p->focus_looped_share)));
    }
    for (size_t k = 0; doc && evs && k < t->nevents; k++) {
        const dg_timeline_event *e = &t->events[k];
        period_label(&t->points[e->point], step, label, sizeof label);
        dg_buf_clear(&b);
        leg_text(l, e->leg, &b);
        json_array_append_new(
            evs, json_pack("{s:s, s:s?, s:s, s:s, s:s, s:I, s:s?, s:o}",
                           "period", label, "date",
                           dg_date_valid(e->date)
                               ? dg_date_format(e->date, d, sizeof d)
                               : NULL,
                           "event", e->closed ? "closed" : "broke", "id",
                           e->id, "loop", e->companies, "length",
                           (json_int_t)e->length, "leg",
                           b.data ? b.data : NULL, "leg_line",
                           e->leg != SIZE_MAX
                               ? json_integer(l->legs[e->leg].line)
                               : json_null()));
    }
    json_t *rest = json_pack("{s:o, s:s, s:s?, s:b, s:o, s:o}", "file",
                             cli_json_text(l->path), "by", dg_step_name(step),
                             "focus", focus, "cut_short", t->cut_short,
                             "periods", pts, "loop_events", evs);
    dg_buf_finish(&b);
    if (!doc || !rest || json_object_update(doc, rest) != 0) {
        json_decref(rest);
        json_decref(doc);
        return NULL;
    }
    json_decref(rest);
    return doc;
}

/* The line chart: value and looped value over the periods. */
static char *timeline_chart(const dg_timeline *t, dg_step step,
                            const char *title, size_t *len)
{
    size_t n = t->npoints;
    char **labels = calloc(n ? n : 1, sizeof *labels);
    double *value = malloc((n ? n : 1) * sizeof *value);
    double *looped = malloc((n ? n : 1) * sizeof *looped);
    char *svg = NULL;
    bool ok = labels && value && looped;
    for (size_t k = 0; ok && k < n; k++) {
        char label[32];
        period_label(&t->points[k], step, label, sizeof label);
        ok = (labels[k] = strdup(label)) != NULL;
        value[k] = t->points[k].value;
        looped[k] = t->points[k].looped_value;
    }
    if (ok) {
        chart_series series[] = {{"value of the legs", value},
                                 {"value on loops", looped}};
        chart c = {title, (const char *const *)labels, n, series, 2,
                   CHART_MONEY, false,
                   "Disclosed amounts as given, at the end of each period; "
                   "ended and superseded legs drop out."};
        svg = chart_svg(&c, len);
    }
    for (size_t k = 0; labels && k < n; k++)
        free(labels[k]);
    free(labels);
    free(value);
    free(looped);
    return svg;
}

static int timeline_build(cli_doc *d, const dg_ledger *l, const cli_common *c,
                          const void *opts)
{
    const timeline_opts *o = opts;
    dg_timeline_options to;
    dg_timeline_options_init(&to);
    to.filter = c->filter;
    to.step = (dg_step)o->by;
    to.max_len = o->max_len;
    const char *focus = NULL;
    if (c->focus || l->focus) {
        if (!cli_focus(l, c, "timeline", &to.focus))
            return EXIT_TROUBLE;
        focus = l->companies[to.focus].name;
    }
    dg_diags diags;
    dg_diags_init(&diags);
    dg_timeline t;
    int rc = dg_timeline_compute(l, &to, &t, &diags);
    if (rc != DG_OK) {
        if (diags.errors && rc == DG_ELIMIT)
            cli_error("timeline: %s: %s (--by year, or --as-of)", l->path,
                      diags.items[0].message);
        else if (diags.errors)
            cli_error("timeline: %s: %s", l->path, diags.items[0].message);
        else
            cli_error("timeline: %s: %s", l->path, dg_strerror(rc));
        dg_diags_finish(&diags);
        return EXIT_TROUBLE;
    }
    dg_diags_finish(&diags);
    if (c->format == CLI_OUT_JSON)
        doc_json(d, timeline_json(l, &t, to.step, focus));

    char a[32], b[32], label[32], date[16];
    doc_heading(d, 2, "Timeline of %s", l->title ? l->title : l->path);
    doc_line(d, "%s; by %s of announcement; amounts: %s", l->path,
             dg_step_name(to.step), dg_amounts_name(c->filter.amounts));
    if (t.npoints) {
        const dg_timeline_point *last = &t.points[t.npoints - 1];
        doc_line(d, "at %s: %zu legs (%s), %llu loops, %s on loops",
                 dg_date_format(last->end, date, sizeof date), last->legs,
                 dg_money_format(last->value, a, sizeof a),
                 (unsigned long long)last->loops,
                 dg_money_format(last->looped_value, b, sizeof b));
    }

    cli_table tab;
    cli_table_init(&tab, columns, T_N);
    if (focus) {
        char title[160];
        snprintf(title, sizeof title, "%s share", focus);
        cli_table_title(&tab, T_FSHARE, title);
        snprintf(title, sizeof title, "%s looped", focus);
        cli_table_title(&tab, T_FLOOPED, title);
    }
    for (size_t k = 0; k < t.npoints; k++) {
        const dg_timeline_point *p = &t.points[k];
        period_label(p, to.step, label, sizeof label);
        cli_table_row(&tab);
        cli_table_text(&tab, T_PERIOD, label);
        cli_table_text(&tab, T_END, dg_date_format(p->end, date, sizeof date));
        cli_table_int(&tab, T_NEW, (long long)p->announced);
        cli_table_int(&tab, T_ENDED, (long long)p->ended);
        cli_table_int(&tab, T_LEGS, (long long)p->legs);
        cli_table_money(&tab, T_VALUE, p->value);
        cli_table_int(&tab, T_UNDISCLOSED, (long long)p->undisclosed);
        cli_table_int(&tab, T_LOOPS, (long long)p->loops);
        cli_table_int(&tab, T_TWO, (long long)p->two_company_loops);
        cli_table_share(&tab, T_RECIPROCITY, p->reciprocity);
        cli_table_money(&tab, T_LOOPED, p->looped_value);
        if (focus) {
            cli_table_share(&tab, T_FSHARE, p->focus_share);
            cli_table_share(&tab, T_FLOOPED, p->focus_looped_share);
        }
    }
    doc_heading(d, 3, "The ledger at the end of each %s",
                dg_step_name(to.step));
    doc_table(d, &tab, 0);

    char title[200];
    snprintf(title, sizeof title, "%s: value and value on loops",
             l->title ? l->title : l->path);
    size_t svglen = 0;
    char *svg = timeline_chart(&t, to.step, title, &svglen);
    doc_chart(d, svg, svglen, title);

    doc_heading(d, 3, "Loops that closed and broke");
    if (!t.nevents) {
        doc_para(d, "No loop closed.");
    } else {
        cli_table ev;
        cli_table_init(&ev, event_columns, E_N);
        dg_buf lb;
        dg_buf_init(&lb);
        for (size_t k = 0; k < t.nevents; k++) {
            const dg_timeline_event *e = &t.events[k];
            period_label(&t.points[e->point], to.step, label, sizeof label);
            dg_buf_clear(&lb);
            leg_text(l, e->leg, &lb);
            cli_table_row(&ev);
            cli_table_text(&ev, E_PERIOD, label);
            cli_table_text(&ev, E_DATE,
                           dg_date_format(e->date, date, sizeof date));
            cli_table_text(&ev, E_WHAT, e->closed ? "closed" : "broke");
            cli_table_text(&ev, E_ID, e->id);
            cli_table_text(&ev, E_LOOP, e->companies);
            cli_table_text(&ev, E_LEG, lb.data ? lb.data : "");
        }
        if (lb.oom)
            d->oom = true;
        dg_buf_finish(&lb);
        doc_table(d, &ev, DOC_HUMAN);
    }
    doc_heading(d, 3, "Notes");
    doc_note(d, "Each period shows the ledger at its last day: legs announced "
                "by then and not ended by then (an `ended` date, or a later "
                "leg that supersedes it). Value is the legs' amounts as "
                "given, whatever their horizon; the flow calendar "
                "(dealgraph flows) puts them into years.");
    doc_note(d, "A loop closes with the leg that completed its last hop; it "
                "breaks when every leg of one of its hops has ended.");
    doc_note(d, "Reciprocity: the share of company pairs with a hop one way "
                "that also have one back (2 x two-company loops / hops).");
    if (t.cut_short)
        doc_note(d, "Some periods had more loops than are kept in memory: "
                    "loop events may be missing there (give --max-len).");
    dg_timeline_finish(&t);
    return EXIT_OK;
}

static const char about[] =
    "The ledger by announcement date: at the end of each month, quarter or\n"
    "year, the legs announced and not yet ended, their value, the loops they\n"
    "close, the value on loops, the focal company's shares and two-company\n"
    "reciprocity; then which loop closed (or broke) when, with the leg that\n"
    "did it. --format svg writes the line chart of value and looped value.";

const cli_command cli_cmd_timeline = {
    .name = "timeline",
    .summary = "the ledger by announcement date: legs, value, loops",
    .usage = "[OPTIONS] FILE",
    .about = about,
    .exits = "Exit codes: 0 success, 2 bad usage or unreadable or invalid "
             "input.",
    .formats = DOC_TEXT | DOC_MD | DOC_JSON | DOC_CSV | DOC_HTML | DOC_SVG,
    .shared = CLI_SHARE_ANALYSIS | CLI_SHARE_FOCUS,
    .options = options,
    .opts_size = sizeof(timeline_opts),
    .defaults = defaults,
    .build = timeline_build,
};
