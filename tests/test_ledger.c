/* The living ledger, graphs/ai.dot, and its CSV copy graphs/ai/: the two
 * load to the same ledger, lint clean, end every superseded leg once and
 * only by an earlier-or-same-day announcement, and, read as of the end of
 * 2025, count what the frozen 2025 edition counts apart from the
 * corrections listed here (graphs/README.md, "ai.dot: the living ledger").
 * Every expected figure is derived by hand from shared/data/ (the facts
 * rows and their updates); none is copied from dealgraph's output. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dealgraph/text.h"
#include "support.h"

static dg_ledger *load(const char *rel, dg_diags *d)
{
    char *path = src_path(rel);
    dg_load_options o;
    dg_load_options_init(&o);
    o.strict = true;
    dg_diags_init(d);
    dg_ledger *l = dg_ledger_load(path, &o, d, NULL);
    cr_assert_not_null(l, "%s: %s", rel, first_error(d));
    free(path);
    return l;
}

/* The facts row a leg comes from: its `id`, else its `deal` (a leg of a
 * deal in several legs has an id; graphs/README.md). */
static const char *row_of(const dg_leg *g)
{
    return g->id ? g->id : g->deal;
}

static size_t leg_of_row(const dg_ledger *l, const char *row)
{
    for (size_t i = 0; i < l->nlegs; i++)
        if (row_of(&l->legs[i]) && strcmp(row_of(&l->legs[i]), row) == 0)
            return i;
    cr_assert_fail("no leg of row %s", row);
    return SIZE_MAX;
}

static dg_date date(const char *text)
{
    dg_date d;
    cr_assert(dg_date_parse(text, &d), "%s", text);
    return d;
}

/* Money read from text ("67.4B") is that decimal times 1e9 in binary,
 * within a cent of the literal. */
static bool usd(double got, double want)
{
    return fabs(got - want) < 0.01;
}

/* ---- the two copies ----------------------------------------------------- */

/* One attribute's text in both ledgers (absent in both, or the same text). */
static void expect_same_text(bool ha, const dg_buf *a, bool hb,
                             const dg_buf *b, const char *owner,
                             const char *name)
{
    cr_expect_eq(ha, hb, "%s %s: present in one copy only", owner, name);
    if (ha && hb)
        cr_expect_str_eq(a->data ? a->data : "", b->data ? b->data : "",
                         "%s %s", owner, name);
}

Test(ledger, the_csv_copy_loads_to_the_same_ledger)
{
    dg_diags d1, d2;
    dg_ledger *a = load("graphs/ai.dot", &d1);
    dg_ledger *b = load("graphs/ai", &d2);
    cr_expect_eq(d1.count, 0, "the DOT copy has no problems: %s",
                 d1.count ? d1.items[0].message : "");
    cr_expect_eq(d2.count, 0, "the CSV copy has no problems: %s",
                 d2.count ? d2.items[0].message : "");
    cr_expect_str_eq(a->focus, b->focus);
    cr_expect_str_eq(a->title, b->title);
    cr_expect_str_eq(a->title, "AI deal web, 2019–2026");
    cr_expect_eq(dg_date_cmp(a->as_of, b->as_of), 0);
    cr_expect(!memcmp(&a->as_of, &b->as_of, sizeof a->as_of));
    dg_buf x, y;
    dg_buf_init(&x);
    dg_buf_init(&y);
    cr_assert_eq(a->ncompanies, b->ncompanies);
    for (size_t i = 0; i < a->ncompanies; i++) {
        const dg_company *p = &a->companies[i], *q = &b->companies[i];
        cr_expect_str_eq(p->name, q->name, "company %zu", i);
        for (size_t k = 0; dg_company_fields[k]; k++) {
            dg_buf_clear(&x);
            dg_buf_clear(&y);
            bool hp = dg_company_attr_text(p, dg_company_fields[k], &x);
            bool hq = dg_company_attr_text(q, dg_company_fields[k], &y);
            expect_same_text(hp, &x, hq, &y, p->name, dg_company_fields[k]);
        }
    }
    cr_assert_eq(a->nlegs, b->nlegs);
    for (size_t i = 0; i < a->nlegs; i++) {
        const dg_leg *p = &a->legs[i], *q = &b->legs[i];
        const char *row = row_of(p) ? row_of(p) : "?";
        cr_expect_str_eq(a->companies[p->from].name,
                         b->companies[q->from].name, "%s from", row);
        cr_expect_str_eq(a->companies[p->to].name, b->companies[q->to].name,
                         "%s to", row);
        for (size_t k = 0; dg_leg_fields[k]; k++) {
            dg_buf_clear(&x);
            dg_buf_clear(&y);
            bool hp = dg_leg_attr_text(p, dg_leg_fields[k], &x);
            bool hq = dg_leg_attr_text(q, dg_leg_fields[k], &y);
            expect_same_text(hp, &x, hq, &y, row, dg_leg_fields[k]);
        }
        /* what the loaders work out from the legs together */
        cr_expect(!memcmp(&p->ends, &q->ends, sizeof p->ends), "%s ends",
                  row);
        cr_expect_eq(p->superseded_by, q->superseded_by, "%s", row);
    }
    cr_expect_not(x.oom || y.oom);
    dg_buf_finish(&x);
    dg_buf_finish(&y);
    dg_ledger_destroy(a);
    dg_ledger_destroy(b);
    dg_diags_finish(&d1);
    dg_diags_finish(&d2);
}

Test(ledger, lint_strict_is_clean_on_both_copies)
{
    char *dot = src_path("graphs/ai.dot");
    char *csv = src_path("graphs/ai");
    const char *a[] = {"lint", "--strict", "--warnings-as-errors", dot, csv,
                       NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_expect_str_eq(r.out, "");
    cr_expect_str_eq(r.err, "");
    run_free(&r);
    free(dot);
    free(csv);
}

/* The supersede fix in the CSV loader: a deals.csv whose leg supersedes
 * another, and one with `ended`, end those legs exactly as the same DOT
 * does (before, the CSV loader never linked its legs, so no leg ended). */
Test(ledger, csv_ledgers_end_superseded_and_ended_legs_as_dot_ones_do)
{
    dg_diags d;
    dg_ledger *c = load_csv_text(
        "from,to,kind,amount,status,announced,ended,ended_why,supersedes,"
        "deal\n"
        "N,L,equity,100B,loi,2025-09-22,,,,D05\n"
        "L,N,chips,,loi,2025-09-22,2026-02-27,lapsed,,D06\n"
        "N,L,equity,30B,definitive,2026-02-27,,,D05,N02\n",
        NULL, &d);
    cr_assert_not_null(c, "%s", first_error(&d));
    cr_expect_eq(d.count, 0, "%s", d.count ? d.items[0].message : "");
    dg_ledger *t = must_load_dot(
        "digraph {\n"
        "  N -> L [kind=\"equity\", amount=\"100B\", status=\"loi\", "
        "announced=\"2025-09-22\", deal=\"D05\"];\n"
        "  L -> N [kind=\"chips\", status=\"loi\", announced=\"2025-09-22\", "
        "ended=\"2026-02-27\", ended_why=\"lapsed\", deal=\"D06\"];\n"
        "  N -> L [kind=\"equity\", amount=\"30B\", status=\"definitive\", "
        "announced=\"2026-02-27\", supersedes=\"D05\", deal=\"N02\"];\n"
        "}\n");
    const dg_ledger *both[] = {c, t};
    for (int k = 0; k < 2; k++) {
        const dg_ledger *l = both[k];
        cr_assert_eq(l->nlegs, 3);
        /* D05 ends when N02 is announced; D06 on its own `ended`. */
        cr_expect_eq(l->legs[0].superseded_by, 2, "copy %d", k);
        cr_expect_eq(dg_date_cmp(l->legs[0].ends, date("2026-02-27")), 0);
        cr_expect_eq(l->legs[1].superseded_by, SIZE_MAX);
        cr_expect_eq(dg_date_cmp(l->legs[1].ends, date("2026-02-27")), 0);
        cr_expect_not(dg_date_valid(l->legs[2].ends));
        /* so the ledger as it stands keeps N02 only */
        dg_filter f;
        dg_filter_init(&f);
        cr_expect_not(dg_filter_keep(&f, &l->legs[0]));
        cr_expect_not(dg_filter_keep(&f, &l->legs[1]));
        cr_expect(dg_filter_keep(&f, &l->legs[2]));
    }
    dg_ledger_destroy(c);
    dg_ledger_destroy(t);
    dg_diags_finish(&d);
    /* and a supersedes naming nothing is an error in CSV too */
    dg_ledger *bad = load_csv_text(
        "from,to,kind,amount,status,announced,supersedes,deal\n"
        "N,L,equity,30B,definitive,2026-02-27,D5,N02\n"
        "N,L,equity,100B,loi,2025-09-22,,D05\n",
        NULL, &d);
    cr_expect_null(bad);
    cr_expect(has_diag(&d, DG_SEV_ERROR,
                       "supersedes \"D5\" names no leg or deal of the "
                       "ledger; did you mean \"D05\"?"),
              "%s", first_error(&d));
    dg_diags_finish(&d);
}

/* ---- rows, firmness and sources ----------------------------------------- */

Test(ledger, every_facts_row_is_one_leg_in_row_order)
{
    dg_diags d;
    dg_ledger *l = load("graphs/ai.dot", &d);
    /* D01-D52 (ai-deals-2025-facts.csv) then N01-N58
     * (ai-deals-2026-facts.csv): 110 legs. */
    cr_assert_eq(l->nlegs, 52 + 58);
    for (size_t i = 0; i < l->nlegs; i++) {
        char want[24];
        snprintf(want, sizeof want, "%c%02u", i < 52 ? 'D' : 'N',
                 (unsigned)(i < 52 ? i + 1 : i - 51));
        cr_expect_str_eq(row_of(&l->legs[i]), want, "leg %zu", i);
        /* a short citation ending with the confirmation level */
        cr_expect(l->legs[i].source &&
                      strstr(l->legs[i].source, "Confirmation: "),
                  "%s: source without its confirmation level", want);
    }
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

Test(ledger, single_and_conflict_rows_are_never_firmer_than_reported)
{
    /* The rows ai-deals-2026-facts.csv marks SINGLE or CONFLICT in its
     * confirmation column. */
    static const struct {
        const char *row, *says;
    } rows[] = {
        {"N07", "sources conflict"}, {"N09", "single source"},
        {"N13", "sources conflict"}, {"N16", "single source"},
        {"N23", "single source"},    {"N31", "single source"},
        {"N39", "single source"},    {"N48", "single source"},
        {"N51", "sources conflict"}, {"N58", "single source"},
    };
    dg_diags d;
    dg_ledger *l = load("graphs/ai.dot", &d);
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        const dg_leg *g = &l->legs[leg_of_row(l, rows[k].row)];
        cr_expect_geq(g->status, DG_STATUS_REPORTED, "%s is %s", rows[k].row,
                      dg_status_name(g->status));
        cr_expect(strstr(g->source, rows[k].says), "%s: %s", rows[k].row,
                  g->source);
    }
    /* A CONFLICT keeps the lower figure only where a source states it:
     * N13 "more than $10B" (WSJ) over the S-1 reports' $20B; N51 the $35B
     * said to have closed over the $36B marketed. N07's lower figure, the
     * expansion if $100B is the new total, is $100B - $38B = $62B, the
     * ledger's arithmetic: a range, no amount. */
    const dg_leg *n13 = &l->legs[leg_of_row(l, "N13")];
    const dg_leg *n51 = &l->legs[leg_of_row(l, "N51")];
    const dg_leg *n07 = &l->legs[leg_of_row(l, "N07")];
    cr_expect(usd(n13->amount, 10e9));
    cr_expect(usd(n51->amount, 35e9));
    cr_expect(isnan(n07->amount));
    cr_expect(usd(n07->amount_low, 62e9));
    cr_expect(usd(n07->amount_high, 100e9));
    cr_expect_not_null(n07->estimate_by);
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

/* ---- supersessions ------------------------------------------------------ */

/* The legs a supersedes name denotes, as the library resolves it: the
 * leg with that id, else every leg of that deal. */
static size_t named(const dg_ledger *l, const char *name, size_t *out)
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

Test(ledger, no_leg_is_superseded_twice_or_by_a_later_leg)
{
    dg_diags d;
    dg_ledger *l = load("graphs/ai.dot", &d);
    size_t n = l->nlegs;
    size_t *hit = malloc(n * sizeof *hit);
    const char **by_deal = calloc(n, sizeof *by_deal);
    size_t *by_leg = malloc(n * sizeof *by_leg);
    cr_assert(hit && by_deal && by_leg);
    for (size_t i = 0; i < n; i++)
        by_leg[i] = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        const dg_leg *g = &l->legs[i];
        for (size_t s = 0; s < g->nsupersedes; s++) {
            size_t k = named(l, g->supersedes[s], hit);
            cr_expect_gt(k, 0, "%s names nothing", g->supersedes[s]);
            for (size_t h = 0; h < k; h++) {
                const dg_leg *old = &l->legs[hit[h]];
                /* never one announced after the leg that replaces it */
                cr_expect_leq(dg_date_cmp(old->announced, g->announced), 0,
                              "%s supersedes the later %s", row_of(g),
                              row_of(old));
                /* never replaced by two different deals */
                if (by_deal[hit[h]])
                    cr_expect_str_eq(by_deal[hit[h]], g->deal,
                                     "%s superseded by %s and %s",
                                     row_of(old), by_deal[hit[h]], g->deal);
                by_deal[hit[h]] = g->deal;
                by_leg[hit[h]] = i;
            }
        }
    }
    /* the loaded legs agree: superseded_by is that leg, and the old leg
     * ends when it is announced (or earlier, on its own `ended`) */
    for (size_t i = 0; i < n; i++) {
        const dg_leg *g = &l->legs[i];
        cr_expect_eq(g->superseded_by, by_leg[i], "%s", row_of(g));
        if (by_leg[i] == SIZE_MAX)
            continue;
        dg_date at = l->legs[by_leg[i]].announced;
        cr_expect(dg_date_valid(g->ends));
        cr_expect_leq(dg_date_cmp(g->ends, at), 0, "%s", row_of(g));
        if (!dg_date_valid(g->ended))
            cr_expect_eq(dg_date_cmp(g->ends, at), 0, "%s", row_of(g));
    }
    free(hit);
    free(by_deal);
    free(by_leg);
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

/* What ends, when and why: the supersessions the facts call for (the
 * 2026 `overlaps` column and the 2025 updates) and the legs ended
 * otherwise. Every other leg still counts at the ledger's date.
 *
 *   leg  ended by           date        source in shared/data
 *   D05  N02 (supersedes)   2026-02-27  D05 status update; N02 overlaps
 *   D22  N21 (supersedes)   2026-01-06  D22 update; N21 overlaps
 *   D23  N21                2026-01-06  D23 update; N21 overlaps
 *   D24  N21                2026-01-06  N21 overlaps ("D22+D24")
 *   D41  N26                2026-02-12  D41 update; N26 overlaps
 *   D42  N26                2026-02-12  D42 update; N26 overlaps
 *   D45  N29                2026-04-20  D45 update; N29 overlaps
 *   D06  ended (lapsed)     2026-02-27  D06 update: lapsed with D05
 *   N55  ended              2026-01-07  N55 overlaps: inside D24 and N21
 *   N23  ended              2026-02     N23 overlaps: the same loan (N55)
 */
Test(ledger, the_legs_that_repeat_other_money_end_when_it_is_announced)
{
    static const struct {
        const char *row, *by, *when;
    } ends[] = {
        {"D05", "N02", "2026-02-27"}, {"D22", "N21", "2026-01-06"},
        {"D23", "N21", "2026-01-06"}, {"D24", "N21", "2026-01-06"},
        {"D41", "N26", "2026-02-12"}, {"D42", "N26", "2026-02-12"},
        {"D45", "N29", "2026-04-20"}, {"D06", NULL, "2026-02-27"},
        {"N55", NULL, "2026-01-07"},  {"N23", NULL, "2026-02"},
    };
    size_t nends = sizeof ends / sizeof ends[0];
    dg_diags d;
    dg_ledger *l = load("graphs/ai.dot", &d);
    size_t ended = 0;
    for (size_t i = 0; i < l->nlegs; i++)
        ended += dg_date_valid(l->legs[i].ends);
    cr_expect_eq(ended, nends, "only the legs of the table end");
    for (size_t k = 0; k < nends; k++) {
        const dg_leg *g = &l->legs[leg_of_row(l, ends[k].row)];
        dg_date want = date(ends[k].when);
        cr_expect(dg_date_valid(g->ends), "%s ends", ends[k].row);
        cr_expect(!memcmp(&g->ends, &want, sizeof want), "%s ends on %s",
                  ends[k].row, ends[k].when);
        if (ends[k].by)
            cr_expect_eq(g->superseded_by, leg_of_row(l, ends[k].by), "%s",
                         ends[k].row);
        else
            cr_expect(g->ended_why && g->superseded_by == SIZE_MAX, "%s",
                      ends[k].row);
    }
    /* So where the facts say "do not add", at the ledger's date and at any
     * date after the replacement, the two are never both kept. */
    static const char *const pairs[][2] = {
        {"N02", "D05"}, {"N21", "D22"}, {"N21", "D23"}, {"N21", "D24"},
        {"N21", "N55"}, {"N21", "N23"}, {"N26", "D41"}, {"N26", "D42"},
        {"N29", "D45"},
    };
    const char *dates[] = {"2026-01-06", "2026-01-07", "2026-02",
                           "2026-02-12", "2026-02-27", "2026-04-20",
                           "2026-07-01"};
    for (size_t p = 0; p < sizeof pairs / sizeof pairs[0]; p++)
        for (size_t t = 0; t < sizeof dates / sizeof dates[0]; t++) {
            dg_filter f;
            dg_filter_init(&f);
            f.as_of = date(dates[t]);
            const dg_leg *a = &l->legs[leg_of_row(l, pairs[p][0])];
            const dg_leg *b = &l->legs[leg_of_row(l, pairs[p][1])];
            cr_expect_not(dg_filter_keep(&f, a) && dg_filter_keep(&f, b),
                          "%s and %s both count at %s", pairs[p][0],
                          pairs[p][1], dates[t]);
        }
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

/* ---- the audit's points -------------------------------------------------- */

Test(ledger, the_audit_points_of_the_2025_edition_are_fixed)
{
    dg_diags d;
    dg_ledger *l = load("graphs/ai.dot", &d);
    /* D06's $350B is the ledger's own arithmetic, and says so */
    const dg_leg *d06 = &l->legs[leg_of_row(l, "D06")];
    cr_expect(usd(d06->amount_low, 350e9));
    cr_expect(d06->estimate_by &&
              strstr(d06->estimate_by, "dealgraph's own arithmetic"));
    /* Microsoft's ~$13B is 2019-2023 money, not a one-off in 2019 */
    const dg_leg *d27 = &l->legs[leg_of_row(l, "D27")];
    cr_expect_eq(dg_date_cmp(d27->start, date("2019")), 0);
    cr_expect_eq(dg_date_cmp(d27->end, date("2023")), 0);
    /* a funded leg carries its funding date; every completed leg with an
     * amount is funded */
    for (size_t i = 0; i < l->nlegs; i++) {
        const dg_leg *g = &l->legs[i];
        if (dg_has(g->funded))
            cr_expect(dg_date_valid(g->funded_as_of), "%s", row_of(g));
        if (g->status == DG_STATUS_COMPLETED && dg_has(g->amount))
            cr_expect(dg_has(g->funded), "%s completed, not funded",
                      row_of(g));
    }
    /* the updates' paid parts (ai-deals-2025-updates.csv, funded_usd;
     * ai-deals-2026-facts.csv, funded_usd and funded_asof) */
    static const struct {
        const char *row;
        double funded;
        const char *as_of;
    } paid[] = {
        {"D05", 0, "2026-02-27"},       {"D27", 11.8e9, "2026-03-31"},
        {"D32", 30e9, "2025-12-26"},    {"D33", 11e9, "2025-12-26"},
        {"N01", 15e9, "2026-03-31"},    {"N03", 20e9, "2026-07-01"},
        {"N08", 10e9, "2026-07-01"},    {"N17", 13e9, "2025-12-30"},
        {"N18", 2e9, "2026-01-26"},     {"N19", 2e9, "2026-03-11"},
        {"N28", 5e9, "2026-04-20"},     {"N30", 10e9, "2026-04-24"},
        {"N44", 5e9, "2026-02-05"},     {"N56", 2.25e9, "2025-12-11"},
    };
    for (size_t k = 0; k < sizeof paid / sizeof paid[0]; k++) {
        const dg_leg *g = &l->legs[leg_of_row(l, paid[k].row)];
        cr_expect(fabs(g->funded - paid[k].funded) < 0.5, "%s", paid[k].row);
        cr_expect_eq(dg_date_cmp(g->funded_as_of, date(paid[k].as_of)), 0,
                     "%s", paid[k].row);
    }
    /* N25 is $1.25B a month (SpaceX S-1), May 2026 to May 2029 */
    const dg_leg *n25 = &l->legs[leg_of_row(l, "N25")];
    cr_expect_eq(n25->per, DG_PER_MONTH);
    cr_expect(usd(n25->amount, 1.25e9));
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

Test(ledger, company_series_follow_the_fiscal_year_rule)
{
    dg_diags d;
    dg_ledger *l = load("graphs/ai.dot", &d);
    for (size_t i = 0; i < l->ncompanies; i++) {
        const dg_company *c = &l->companies[i];
        bool series = c->revenue.n || c->capex_by_year.n || c->ocf.n ||
                      c->debt.n || c->ebitda_by_year.n;
        if (!series)
            continue;
        cr_expect_neq(c->fiscal_year_end, 0, "%s", c->name);
        cr_expect(c->note && (strstr(c->note, "iscal year")),
                  "%s: the note states the fiscal-year rule", c->name);
    }
    /* PRODUCT.md section 7: a fiscal year is keyed by the calendar year in
     * which it ends. Oracle's year to 2026-05-31 is 2026 ($67.4B, 8-K);
     * Microsoft's to 2025-06-30 is 2025 ($281.7B); NVIDIA's to 2026-01-25
     * is 2026 ($215.9B). */
    const dg_company *orcl = &l->companies[must_find(l, "Oracle")];
    const dg_company *msft = &l->companies[must_find(l, "Microsoft")];
    const dg_company *nvda = &l->companies[must_find(l, "NVIDIA")];
    cr_expect_eq(orcl->fiscal_year_end, 531);
    cr_expect_eq(msft->fiscal_year_end, 630);
    cr_expect(usd(dg_series_get(&orcl->revenue, 2026, NULL), 67.4e9));
    cr_expect(usd(dg_series_get(&msft->revenue, 2025, NULL), 281.7e9));
    cr_expect(isnan(dg_series_get(&msft->revenue, 2026, NULL)),
              "fiscal 2026 was not found; its three quarters are no year");
    cr_expect(usd(dg_series_get(&nvda->revenue, 2026, NULL), 215.9e9));
    /* guidance and estimates are marked */
    dg_basis b;
    const dg_company *oai = &l->companies[must_find(l, "OpenAI")];
    cr_expect(usd(dg_series_get(&oai->revenue, 2026, &b), 30e9));
    cr_expect_eq(b, DG_BASIS_ESTIMATE);
    cr_expect(usd(dg_series_get(&orcl->revenue, 2027, &b), 90e9));
    cr_expect_eq(b, DG_BASIS_GUIDANCE);
    /* backlogs with their dates */
    cr_expect(usd(orcl->rpo, 638e9));
    cr_expect_eq(dg_date_cmp(orcl->rpo_as_of, date("2026-05-31")), 0);
    /* SoftBank's yen revenue stays out (no stated rate for it) */
    const dg_company *sb = &l->companies[must_find(l, "SoftBank")];
    cr_expect_eq(sb->revenue.n, 0);
    cr_expect_eq(sb->fiscal_year_end, 331);
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

/* ---- as of the end of 2025, the 2025 edition's counts ------------------- */

static size_t companies_with_legs(const dg_ledger *l, const dg_filter *f)
{
    bool *has = calloc(l->ncompanies, sizeof *has);
    cr_assert(has);
    for (size_t i = 0; i < l->nlegs; i++)
        if (dg_filter_keep(f, &l->legs[i]))
            has[l->legs[i].from] = has[l->legs[i].to] = true;
    size_t n = 0;
    for (size_t i = 0; i < l->ncompanies; i++)
        n += has[i];
    free(has);
    return n;
}

/* A group's change: legs, undisclosed legs, value in USD. */
typedef struct delta {
    int legs, undisclosed;
    double value;
} delta;

static void expect_total(const dg_total *now, const dg_total *then, delta dt,
                         const char *what)
{
    cr_expect_eq((long)now->legs - (long)then->legs, dt.legs, "%s legs", what);
    cr_expect_eq((long)now->undisclosed - (long)then->undisclosed,
                 dt.undisclosed, "%s undisclosed", what);
    /* a group without legs has value 0; all undisclosed is NaN */
    double a = isnan(now->value) ? 0 : now->value;
    double b = isnan(then->value) ? 0 : then->value;
    cr_expect(fabs(a - b - dt.value) < 1.0, "%s value: %.2f then %.2f",
              what, b, a);
}

/*
 * The corrections (graphs/README.md, "Corrections to the 2025 edition"),
 * each with what it changes at 2025-12-31:
 *
 *  From the updates (ai-deals-2025-updates.csv):
 *   D20 talks -> reported (Oracle, 2025-12-10):  talks -1 leg -$20B,
 *       reported +1 leg +$20B
 *   D33 $10B -> $11B, definitive -> completed (SoftBank, 2025-12-26):
 *       equity +$1B; definitive -1 leg -$10B; completed +1 leg +$11B
 *   D40 announced -> definitive (booked, Microsoft 2026-01-28):
 *       announced -1 leg -$30B; definitive +1 leg +$30B
 *   D44 announced -> completed (Anthropic, 2026-04-20):
 *       announced -1 leg -$4B; completed +1 leg +$4B
 *  Rows of ai-deals-2026-facts.csv announced in December 2025:
 *   N10 SoftBank -> DigitalBridge shareholders, equity $4B, definitive
 *   N14 OpenAI -> Cerebras, debt $1B, completed
 *   N15 Cerebras -> OpenAI, warrant, undisclosed, definitive
 *   N17 NVIDIA -> Groq, services $20B, definitive
 *   N48 Oracle -> Saline campus, lease, undisclosed, reported
 *   N56 CoreWeave convertible noteholders -> CoreWeave, debt $2.25B,
 *       completed
 *   They add 6 legs; 5 deals (N10, N13-N15 once, N17, N46-N48, N56); 5
 *   companies with legs (DigitalBridge shareholders, Cerebras, Groq,
 *   Saline campus, CoreWeave convertible noteholders).
 *  The audit's corrections (D06's estimate labelled, D27's 2019-2023
 *  period, funding dates) change no count and no disclosed value; no leg
 *  of 2025 ends before 2026 (the earliest end is 2026-01-06).
 *
 * By kind:   equity +1 leg (N10) +$5B (N10 $4B + D33 $1B);
 *            debt +2 legs +$3.25B (N14 $1B + N56 $2.25B);
 *            services +1 leg +$20B (N17);
 *            warrant +1 leg, +1 undisclosed (N15);
 *            lease +1 leg, +1 undisclosed (N48);
 *            chips, cloud, backstop unchanged.
 * By status: completed +4 legs +$18.25B (D33 $11B, D44 $4B, N14 $1B,
 *                N56 $2.25B);
 *            definitive +3 legs (-D33, +D40, +N10, +N15, +N17),
 *                +1 undisclosed (N15), -$10B + $30B + $4B + $20B = +$44B;
 *            announced -2 legs (D40, D44) -$34B;
 *            reported +2 legs (D20, N48), +1 undisclosed (N48), +$20B;
 *            loi unchanged (D05, D06 end in 2026);
 *            talks -1 leg -$20B (D20).
 * In all:    +6 legs, +2 undisclosed, +$28.25B (5 + 3.25 + 20).
 */
Test(ledger, as_of_2025_it_counts_what_the_2025_edition_counts_but_the_corrections)
{
    dg_diags d1, d2;
    dg_ledger *old = load("graphs/ai-2025.dot", &d1);
    dg_ledger *now = load("graphs/ai.dot", &d2);
    dg_filter f;
    dg_filter_init(&f);
    f.as_of = date("2025-12-31");
    dg_summary a, b;
    cr_assert_eq(dg_summary_compute(old, &f, &a), DG_OK);
    cr_assert_eq(dg_summary_compute(now, &f, &b), DG_OK);
    /* the 2025 edition itself, as its README says */
    cr_expect_eq(a.legs, 52);
    cr_expect_eq(a.deals, 35);
    cr_expect_eq(companies_with_legs(old, &f), 22, "23 companies, Alibaba "
                 "without legs");
    cr_expect_eq(b.legs, a.legs + 6);
    cr_expect_eq(b.deals, a.deals + 5);
    cr_expect_eq(companies_with_legs(now, &f), companies_with_legs(old, &f) + 5);
    static const delta kind[DG_KIND_COUNT] = {
        [DG_KIND_CHIPS] = {0, 0, 0},
        [DG_KIND_CLOUD] = {0, 0, 0},
        [DG_KIND_SERVICES] = {1, 0, 20e9},
        [DG_KIND_EQUITY] = {1, 0, 5e9},
        [DG_KIND_WARRANT] = {1, 1, 0},
        [DG_KIND_DEBT] = {2, 0, 3.25e9},
        [DG_KIND_LEASE] = {1, 1, 0},
        [DG_KIND_BACKSTOP] = {0, 0, 0},
    };
    static const delta status[DG_STATUS_COUNT] = {
        [DG_STATUS_COMPLETED] = {4, 0, 18.25e9},
        [DG_STATUS_DEFINITIVE] = {3, 1, 44e9},
        [DG_STATUS_ANNOUNCED] = {-2, 0, -34e9},
        [DG_STATUS_REPORTED] = {2, 1, 20e9},
        [DG_STATUS_LOI] = {0, 0, 0},
        [DG_STATUS_TALKS] = {-1, 0, -20e9},
    };
    for (int k = 0; k < DG_KIND_COUNT; k++)
        expect_total(&b.by_kind[k], &a.by_kind[k], kind[k],
                     dg_kind_name((dg_kind)k));
    for (int s = 0; s < DG_STATUS_COUNT; s++)
        expect_total(&b.by_status[s], &a.by_status[s], status[s],
                     dg_status_name((dg_status)s));
    expect_total(&b.all, &a.all, (delta){6, 2, 28.25e9}, "all");
    /* the estimate ranges and ceilings are the same legs as in 2025 */
    cr_expect_eq(b.estimated_legs, a.estimated_legs);
    cr_expect_eq(b.upto_legs, a.upto_legs);
    cr_expect_eq(b.per_year_legs, a.per_year_legs);
    dg_ledger_destroy(old);
    dg_ledger_destroy(now);
    dg_diags_finish(&d1);
    dg_diags_finish(&d2);
}

/* The same through the command a reader runs: `summary --as-of
 * 2025-12-31` on the new ledger, in JSON. */
Test(ledger, summary_as_of_2025_on_the_cli_shows_the_same_counts)
{
    char *path = src_path("graphs/ai.dot");
    const char *args[] = {"summary", path, "--as-of", "2025-12-31",
                          "--format", "json", NULL};
    run_result r = run_cli(args, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    json_error_t err;
    json_t *doc = json_loads(r.out, 0, &err);
    cr_assert_not_null(doc, "%s", err.text);
    /* 52 + 6 legs in 35 + 5 deals; $1,039.3B (the 2025 edition: chips 61
     * + cloud 703.3 + services 3 + equity 234.1 + warrant 0.35 + debt
     * 31.25 + backstop 6.3) + $28.25B */
    cr_expect_eq(json_integer_value(json_object_get(doc, "legs")), 58);
    cr_expect_eq(json_integer_value(json_object_get(doc, "deals")), 40);
    json_t *total = json_object_get(doc, "total");
    cr_expect(fabs(json_number_value(json_object_get(total, "value")) -
                   1067.55e9) < 1.0);
    json_decref(doc);
    run_free(&r);
    free(path);
}
