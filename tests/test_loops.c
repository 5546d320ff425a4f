/* Loops of a ledger: hops, values, patterns, firmness, timing, ids, and the
 * time-respecting enumeration checked against a brute force. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dealgraph/loops.h"
#include "dealgraph/loopset.h"
#include "support.h"

/* ---- building ledgers in code ------------------------------------------- */

static size_t co(dg_ledger *l, const char *name)
{
    size_t i;
    cr_assert_eq(dg_ledger_company(l, name, &i), DG_OK);
    return i;
}

static void leg(dg_ledger *l, const char *from, const char *to, dg_kind kind,
                double amount, dg_status status, const char *date)
{
    dg_leg g;
    memset(&g, 0, sizeof g);
    g.from = co(l, from);
    g.to = co(l, to);
    g.kind = kind;
    g.amount = amount;
    g.amount_low = g.amount_high = NAN;
    g.status = status;
    cr_assert(dg_date_parse(date, &g.announced), "%s", date);
    cr_assert_eq(dg_ledger_add_leg(l, &g), DG_OK);
}

/* Collects what the callback sees, as text lines, for comparisons. */
typedef struct seen {
    char lines[512][256];
    size_t n;
    dg_loop last;
    double values[512];
    bool partial[512];
    dg_pattern patterns[512];
    dg_status firmness[512];
    bool in_time[512];
    char ids[512][16];
} seen;

static int record(const dg_loop *loop, void *ctx)
{
    seen *s = ctx;
    if (s->n >= 512)
        return 1;
    char *p = s->lines[s->n];
    size_t left = sizeof s->lines[0];
    p[0] = '\0';
    /* "A>B>C|sig" is unique per loop in plain mode */
    extern const dg_ledger *current;
    for (size_t i = 0; i < loop->length; i++) {
        strncat(p, current->companies[loop->companies[i]].name,
                left - strlen(p) - 1);
        strncat(p, ">", left - strlen(p) - 1);
    }
    char sig[128];
    strncat(p, dg_loop_signature(loop, sig, sizeof sig), left - strlen(p) - 1);
    s->values[s->n] = loop->value;
    s->partial[s->n] = loop->partial;
    s->patterns[s->n] = loop->pattern;
    s->firmness[s->n] = loop->firmness;
    s->in_time[s->n] = loop->time_respecting;
    memcpy(s->ids[s->n], loop->id, 16);
    s->n++;
    return 0;
}

const dg_ledger *current;

static size_t find_line(const seen *s, const char *line)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->lines[i], line) == 0)
            return i;
    return SIZE_MAX;
}

static seen *run_loops(const dg_ledger *l, const dg_loop_options *o)
{
    seen *s = calloc(1, sizeof *s);
    current = l;
    dg_loop_stats st;
    cr_assert_eq(dg_loops_each(l, o, record, s, &st, NULL), DG_OK);
    cr_assert_eq(st.count, s->n);
    return s;
}

/* ---- the shipped ledger ------------------------------------------------- */

Test(loops, the_seed_loops_are_found_in_the_shipped_ledger)
{
    char *path = src_path("graphs/ai-2025.dot");
    dg_diags d;
    dg_diags_init(&d);
    dg_ledger *l = dg_ledger_load(path, NULL, &d, NULL);
    cr_assert_not_null(l, "%s", first_error(&d));
    seen *s = run_loops(l, NULL);
    /* AMD gives OpenAI a warrant, OpenAI buys AMD GPUs */
    size_t i = find_line(s, "AMD>OpenAI>warrant>chips");
    cr_assert_neq(i, SIZE_MAX);
    cr_expect_eq(s->patterns[i], DG_PATTERN_EQUITY_FOR_PURCHASE);
    cr_expect(isnan(s->values[i]), "neither leg discloses an amount");
    /* NVIDIA invests in OpenAI, OpenAI buys NVIDIA systems */
    i = find_line(s, "NVIDIA>OpenAI>equity>chips");
    cr_assert_neq(i, SIZE_MAX);
    cr_expect_eq(s->patterns[i], DG_PATTERN_VENDOR_FINANCING);
    cr_expect_eq(s->firmness[i], DG_STATUS_LOI, "the $100B is a letter of "
                                                "intent");
    /* OpenAI pays Oracle, Oracle buys NVIDIA chips, NVIDIA invests in
     * OpenAI: hops 300B, 40B and 100B + 100M; the smallest is 40B */
    i = find_line(s, "NVIDIA>OpenAI>Oracle>equity>cloud>chips");
    cr_assert_neq(i, SIZE_MAX);
    cr_expect_eq(s->values[i], 40e9);
    cr_expect_eq(s->patterns[i], DG_PATTERN_MULTI_PARTY);
    /* CoreWeave gives OpenAI $350M of stock, OpenAI buys CoreWeave cloud */
    i = find_line(s, "CoreWeave>OpenAI>warrant>cloud");
    cr_assert_neq(i, SIZE_MAX);
    cr_expect_eq(s->values[i], 350e6);
    /* 35 loops: the count the data's author found with a separate search
     * over the same legs (graphs/README.md) */
    cr_expect_eq(s->n, 35);
    free(s);
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
    free(path);
}

/* ---- values, patterns, firmness ------------------------------------------- */

Test(loops, parallel_legs_are_one_hop_and_their_values_add)
{
    dg_ledger *l = dg_ledger_create();
    leg(l, "A", "B", DG_KIND_EQUITY, 3e9, DG_STATUS_COMPLETED, "2025-01");
    leg(l, "A", "B", DG_KIND_EQUITY, 2e9, DG_STATUS_DEFINITIVE, "2025-02");
    leg(l, "B", "A", DG_KIND_CHIPS, 7e9, DG_STATUS_REPORTED, "2025-03");
    seen *s = run_loops(l, NULL);
    cr_assert_eq(s->n, 1, "two parallel legs do not make two loops");
    /* hops: A->B = 3 + 2 = 5B, B->A = 7B; the loop carries min = 5B */
    cr_expect_eq(s->values[0], 5e9);
    cr_expect_not(s->partial[0]);
    cr_expect_eq(s->firmness[0], DG_STATUS_REPORTED, "the least firm leg");
    cr_expect_eq(s->patterns[0], DG_PATTERN_VENDOR_FINANCING);
    free(s);
    dg_ledger_destroy(l);
}

Test(loops, an_undisclosed_hop_makes_the_loop_undisclosed)
{
    dg_ledger *l = dg_ledger_create();
    leg(l, "A", "B", DG_KIND_WARRANT, NAN, DG_STATUS_COMPLETED, "2025");
    leg(l, "B", "A", DG_KIND_CHIPS, 7e9, DG_STATUS_COMPLETED, "2025");
    seen *s = run_loops(l, NULL);
    cr_assert_eq(s->n, 1);
    cr_expect(isnan(s->values[0]));
    cr_expect_eq(s->patterns[0], DG_PATTERN_EQUITY_FOR_PURCHASE);
    free(s);
    dg_ledger_destroy(l);
}

Test(loops, a_hop_with_some_undisclosed_legs_gives_a_floor)
{
    dg_ledger *l = dg_ledger_create();
    leg(l, "A", "B", DG_KIND_CLOUD, 4e9, DG_STATUS_COMPLETED, "2025");
    leg(l, "A", "B", DG_KIND_CLOUD, NAN, DG_STATUS_COMPLETED, "2025");
    leg(l, "B", "A", DG_KIND_CHIPS, 9e9, DG_STATUS_COMPLETED, "2025");
    seen *s = run_loops(l, NULL);
    cr_assert_eq(s->n, 1);
    cr_expect_eq(s->values[0], 4e9, "at least the disclosed 4B");
    cr_expect(s->partial[0]);
    cr_expect_eq(s->patterns[0], DG_PATTERN_CAPACITY_ROUND_TRIP);
    free(s);
    dg_ledger_destroy(l);
}

Test(loops, scenarios_fill_undisclosed_hops_from_estimates)
{
    dg_ledger *l = dg_ledger_create();
    leg(l, "A", "B", DG_KIND_WARRANT, NAN, DG_STATUS_COMPLETED, "2025");
    l->legs[0].amount_low = 34e9;
    l->legs[0].amount_high = 96e9;
    leg(l, "B", "A", DG_KIND_CHIPS, 100e9, DG_STATUS_COMPLETED, "2025");
    dg_loop_options o;
    dg_loop_options_init(&o);
    o.filter.amounts = DG_AMOUNTS_MID; /* (34 + 96) / 2 = 65 < 100 */
    seen *s = run_loops(l, &o);
    cr_assert_eq(s->n, 1);
    cr_expect_eq(s->values[0], 65e9);
    free(s);
    dg_ledger_destroy(l);
}

Test(loops, three_parties_are_multi_party_and_start_at_the_smallest_name)
{
    dg_ledger *l = dg_ledger_create();
    leg(l, "OpenAI", "Oracle", DG_KIND_CLOUD, 300e9, DG_STATUS_REPORTED,
        "2025-09-10");
    leg(l, "Oracle", "NVIDIA", DG_KIND_CHIPS, 40e9, DG_STATUS_REPORTED,
        "2025-05-23");
    leg(l, "NVIDIA", "OpenAI", DG_KIND_EQUITY, 100e9, DG_STATUS_LOI,
        "2025-09-22");
    seen *s = run_loops(l, NULL);
    cr_assert_eq(s->n, 1);
    cr_expect_str_eq(s->lines[0], "NVIDIA>OpenAI>Oracle>equity>cloud>chips");
    cr_expect_eq(s->patterns[0], DG_PATTERN_MULTI_PARTY);
    /* dates around the loop from any start: 09-22, 09-10, 05-23 (descents
     * at 09-22 > 09-10 and 05-23 < 09-22... two descents): not in time */
    cr_expect_not(s->in_time[0]);
    free(s);
    dg_ledger_destroy(l);
}

Test(loops, an_open_chain_has_no_loop)
{
    dg_ledger *l = dg_ledger_create();
    leg(l, "A", "B", DG_KIND_CLOUD, 1e9, DG_STATUS_COMPLETED, "2025");
    leg(l, "B", "C", DG_KIND_CLOUD, 1e9, DG_STATUS_COMPLETED, "2025");
    leg(l, "A", "C", DG_KIND_CLOUD, 1e9, DG_STATUS_COMPLETED, "2025");
    seen *s = run_loops(l, NULL);
    cr_expect_eq(s->n, 0);
    free(s);
    dg_ledger_destroy(l);
}

Test(loops, ids_survive_reordering_the_file)
{
    dg_ledger *a = dg_ledger_create(), *b = dg_ledger_create();
    leg(a, "X", "Y", DG_KIND_EQUITY, 1e9, DG_STATUS_COMPLETED, "2025");
    leg(a, "Y", "X", DG_KIND_CHIPS, 1e9, DG_STATUS_COMPLETED, "2025");
    leg(a, "Y", "Z", DG_KIND_CHIPS, 1e9, DG_STATUS_COMPLETED, "2025");
    leg(a, "Z", "X", DG_KIND_CHIPS, 1e9, DG_STATUS_COMPLETED, "2025");
    co(b, "Z");
    leg(b, "Z", "X", DG_KIND_CHIPS, 1e9, DG_STATUS_COMPLETED, "2025");
    leg(b, "Y", "Z", DG_KIND_CHIPS, 1e9, DG_STATUS_COMPLETED, "2025");
    leg(b, "Y", "X", DG_KIND_CHIPS, 1e9, DG_STATUS_COMPLETED, "2025");
    leg(b, "X", "Y", DG_KIND_EQUITY, 1e9, DG_STATUS_COMPLETED, "2025");
    seen *sa = run_loops(a, NULL), *sb = run_loops(b, NULL);
    cr_assert_eq(sa->n, 2);
    cr_assert_eq(sb->n, 2);
    for (size_t i = 0; i < 2; i++) {
        size_t j = find_line(sb, sa->lines[i]);
        cr_assert_neq(j, SIZE_MAX, "%s", sa->lines[i]);
        cr_expect_str_eq(sa->ids[i], sb->ids[j]);
    }
    cr_expect_str_neq(sa->ids[0], sa->ids[1]);
    free(sa);
    free(sb);
    dg_ledger_destroy(a);
    dg_ledger_destroy(b);
}

/* ---- options ------------------------------------------------------------------ */

static dg_ledger *triangle_and_pair(void)
{
    dg_ledger *l = dg_ledger_create();
    leg(l, "A", "B", DG_KIND_EQUITY, 10e9, DG_STATUS_COMPLETED, "2025-01");
    leg(l, "B", "A", DG_KIND_CHIPS, 1e9, DG_STATUS_TALKS, "2025-02");
    leg(l, "B", "C", DG_KIND_CLOUD, 5e9, DG_STATUS_COMPLETED, "2025-03");
    leg(l, "C", "A", DG_KIND_CLOUD, 5e9, DG_STATUS_COMPLETED, "2025-04");
    return l;
}

Test(loops, filters_options_and_limits_apply)
{
    dg_ledger *l = triangle_and_pair();
    dg_loop_options o;
    dg_loop_options_init(&o);
    seen *s = run_loops(l, &o);
    cr_expect_eq(s->n, 2, "A>B>A and A>B>C>A");
    free(s);
    o.max_len = 2;
    s = run_loops(l, &o);
    cr_expect_eq(s->n, 1);
    free(s);
    dg_loop_options_init(&o);
    o.min_value = 2e9; /* A>B>A carries 1B, A>B>C>A carries 5B */
    s = run_loops(l, &o);
    cr_assert_eq(s->n, 1);
    cr_expect_eq(s->values[0], 5e9);
    free(s);
    dg_loop_options_init(&o);
    o.filter.min_status = DG_STATUS_REPORTED; /* drops the talks leg */
    s = run_loops(l, &o);
    cr_expect_eq(s->n, 1);
    free(s);
    dg_loop_options_init(&o);
    o.through = "C";
    s = run_loops(l, &o);
    cr_expect_eq(s->n, 1);
    free(s);
    dg_loop_options_init(&o);
    o.limit = 1;
    dg_loop_stats st;
    s = calloc(1, sizeof *s);
    current = l;
    cr_assert_eq(dg_loops_each(l, &o, record, s, &st, NULL), DG_OK);
    cr_expect_eq(st.count, 1);
    cr_expect(st.truncated, "a second loop existed");
    free(s);
    o.limit = 2;
    s = calloc(1, sizeof *s);
    cr_assert_eq(dg_loops_each(l, &o, record, s, &st, NULL), DG_OK);
    cr_expect_not(st.truncated, "exactly two loops: nothing was cut");
    free(s);
    dg_ledger_destroy(l);
}

Test(loops, an_unknown_through_company_is_an_error_with_a_suggestion)
{
    dg_ledger *l = triangle_and_pair();
    co(l, "OpenAI");
    dg_loop_options o;
    dg_loop_options_init(&o);
    o.through = "OpenAl";
    dg_diags d;
    dg_diags_init(&d);
    cr_expect_eq(dg_loops_each(l, &o, NULL, NULL, NULL, &d), DG_EUSAGE);
    cr_expect_str_eq(d.items[0].message,
                     "\"OpenAl\" is not a company in the ledger; did you "
                     "mean \"OpenAI\"?");
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

Test(loops, counting_matches_enumerating)
{
    dg_ledger *l = triangle_and_pair();
    dg_loop_stats a, b;
    cr_assert_eq(dg_loops_each(l, NULL, NULL, NULL, &a, NULL), DG_OK);
    seen *s = calloc(1, sizeof *s);
    current = l;
    cr_assert_eq(dg_loops_each(l, NULL, record, s, &b, NULL), DG_OK);
    cr_expect_eq(a.count, 2);
    cr_expect_eq(a.count, b.count);
    cr_expect_eq(a.by_length[2], 1);
    cr_expect_eq(a.by_length[3], 1);
    free(s);
    dg_ledger_destroy(l);
}

/* ---- time ---------------------------------------------------------------------- */

Test(loops, a_loop_is_in_time_when_some_rotation_reads_in_date_order)
{
    dg_ledger *l = dg_ledger_create();
    /* B->C on 03, C->A on 04, A->B on 01: from A->B the dates read 01, 03,
     * 04, non-decreasing */
    leg(l, "B", "C", DG_KIND_CLOUD, 1, DG_STATUS_COMPLETED, "2025-03-01");
    leg(l, "C", "A", DG_KIND_CLOUD, 1, DG_STATUS_COMPLETED, "2025-04-01");
    leg(l, "A", "B", DG_KIND_CLOUD, 1, DG_STATUS_COMPLETED, "2025-01-01");
    seen *s = run_loops(l, NULL);
    cr_assert_eq(s->n, 1);
    cr_expect(s->in_time[0]);
    free(s);
    /* with a 60-day window: 2025-01-01 to 2025-04-01 is 90 days */
    dg_loop_options o;
    dg_loop_options_init(&o);
    o.window_days = 60;
    s = run_loops(l, &o);
    cr_expect_not(s->in_time[0]);
    free(s);
    o.window_days = 90;
    s = run_loops(l, &o);
    cr_expect(s->in_time[0], "the window is inclusive");
    free(s);
    dg_ledger_destroy(l);
}

Test(loops, temporal_mode_counts_each_leg_set_once)
{
    dg_ledger *l = dg_ledger_create();
    /* A->B on 01 and on 05; B->A on 03. Leg sets {A->B 01, B->A 03}: in
     * time (01, 03); {A->B 05, B->A 03}: read from B->A: 03, 05, also in
     * time. Both count, each once (not once per rotation). */
    leg(l, "A", "B", DG_KIND_EQUITY, 1, DG_STATUS_COMPLETED, "2025-01-01");
    leg(l, "A", "B", DG_KIND_EQUITY, 1, DG_STATUS_COMPLETED, "2025-05-01");
    leg(l, "B", "A", DG_KIND_CHIPS, 1, DG_STATUS_COMPLETED, "2025-03-01");
    dg_loop_options o;
    dg_loop_options_init(&o);
    o.temporal = true;
    seen *s = run_loops(l, &o);
    cr_expect_eq(s->n, 2);
    cr_expect_str_neq(s->ids[0], s->ids[1], "leg sets have their own ids");
    free(s);
    /* window 60 days: 01..03 is 59 days, 03..05 is 61 days */
    o.window_days = 60;
    s = run_loops(l, &o);
    cr_expect_eq(s->n, 1);
    free(s);
    dg_ledger_destroy(l);
}

Test(loops, temporal_search_stops_at_max_seconds_inside_one_cycle)
{
    /* A ring of 8 companies with 12 legs per hop, all on one date: every
     * one of 12^8 (about 4.3e8) leg sets respects time. The search must
     * stop at the time limit and say so, not run for an hour. */
    dg_ledger *l = dg_ledger_create();
    char a[8], b[8];
    for (int i = 0; i < 8; i++)
        for (int k = 0; k < 12; k++) {
            snprintf(a, sizeof a, "c%d", i);
            snprintf(b, sizeof b, "c%d", (i + 1) % 8);
            leg(l, a, b, DG_KIND_CLOUD, 1, DG_STATUS_COMPLETED, "2025-06-01");
        }
    dg_loop_options o;
    dg_loop_options_init(&o);
    o.temporal = true;
    o.max_seconds = 0.3;
    dg_loop_stats st;
    cr_assert_eq(dg_loops_each(l, &o, NULL, NULL, &st, NULL), DG_OK);
    cr_expect(st.timed_out);
    cr_expect_lt(st.count, 429981696ull, "12^8 were not all reached");
    dg_ledger_destroy(l);
}

Test(loops, temporal_ids_tell_identical_parallel_legs_apart)
{
    /* Two A -> B legs alike in every field: two leg sets, two ids. */
    dg_ledger *l = dg_ledger_create();
    leg(l, "A", "B", DG_KIND_CLOUD, 1e9, DG_STATUS_COMPLETED, "2025-01");
    leg(l, "A", "B", DG_KIND_CLOUD, 1e9, DG_STATUS_COMPLETED, "2025-01");
    leg(l, "B", "A", DG_KIND_CHIPS, 1e9, DG_STATUS_COMPLETED, "2025-02");
    dg_loop_options o;
    dg_loop_options_init(&o);
    o.temporal = true;
    seen *s = run_loops(l, &o);
    cr_assert_eq(s->n, 2);
    cr_expect_str_neq(s->ids[0], s->ids[1]);
    free(s);
    dg_ledger_destroy(l);
}

/* Brute force for time-respecting leg sets: every simple cycle of legs
 * (one leg per hop, companies distinct) that starts at its smallest
 * company, checked by trying every rotation directly. */
typedef struct brute {
    const dg_ledger *l;
    size_t max_len;
    long window;
    size_t path[16], legs[16], depth;
    size_t count;
    size_t by_length[17];
} brute;

static bool rotation_ok(const brute *b, size_t len)
{
    for (size_t s = 0; s < len; s++) {
        bool ok = true;
        long first = dg_date_days(b->l->legs[b->legs[s]].announced);
        long prev = first;
        for (size_t k = 1; k < len && ok; k++) {
            long d = dg_date_days(b->l->legs[b->legs[(s + k) % len]].announced);
            if (d < prev)
                ok = false;
            prev = d;
        }
        if (ok && (b->window < 0 || prev - first <= b->window))
            return true;
    }
    return false;
}

static int name_cmp(const dg_ledger *l, size_t a, size_t b)
{
    return strcmp(l->companies[a].name, l->companies[b].name);
}

static void brute_dfs(brute *b, size_t start, size_t at)
{
    const dg_ledger *l = b->l;
    for (size_t i = 0; i < l->nlegs; i++) {
        const dg_leg *g = &l->legs[i];
        if (g->from != at)
            continue;
        b->legs[b->depth] = i;
        if (g->to == start) {
            size_t len = b->depth + 1;
            if (len >= 2 && (!b->max_len || len <= b->max_len) &&
                rotation_ok(b, len)) {
                b->count++;
                b->by_length[len]++;
            }
            continue;
        }
        if (name_cmp(l, g->to, start) <= 0)
            continue; /* the cycle must start at its smallest company */
        bool used = false;
        for (size_t k = 0; k <= b->depth; k++)
            used = used || b->path[k] == g->to;
        if (used || b->depth + 2 > 15 ||
            (b->max_len && b->depth + 2 > b->max_len))
            continue;
        b->depth++;
        b->path[b->depth] = g->to;
        brute_dfs(b, start, g->to);
        b->depth--;
    }
}

Test(loops, temporal_enumeration_matches_a_brute_force_on_random_ledgers)
{
    srand(20251125);
    char name[8];
    for (int trial = 0; trial < 150; trial++) {
        dg_ledger *l = dg_ledger_create();
        size_t n = 2 + (size_t)(rand() % 5);      /* 2..6 companies */
        size_t m = n + (size_t)(rand() % (3 * n)); /* multigraph legs */
        for (size_t i = 0; i < n; i++) {
            snprintf(name, sizeof name, "c%zu", (size_t)rand() % 1000);
            size_t idx;
            dg_ledger_company(l, name, &idx);
        }
        size_t nc = l->ncompanies;
        for (size_t k = 0; k < m && nc >= 2; k++) {
            size_t a = (size_t)rand() % nc, b = (size_t)rand() % nc;
            if (a == b)
                continue;
            char date[16];
            snprintf(date, sizeof date, "2025-%02d-%02d", 1 + rand() % 3,
                     1 + rand() % 28);
            leg(l, l->companies[a].name, l->companies[b].name,
                DG_KIND_CLOUD, 1, DG_STATUS_COMPLETED, date);
        }
        for (int variant = 0; variant < 4; variant++) {
            dg_loop_options o;
            dg_loop_options_init(&o);
            o.temporal = true;
            o.max_len = variant & 1 ? 3 : 0;
            o.window_days = variant & 2 ? 20 : -1;
            brute b;
            memset(&b, 0, sizeof b);
            b.l = l;
            b.max_len = o.max_len;
            b.window = o.window_days;
            for (size_t s = 0; s < l->ncompanies; s++) {
                b.depth = 0;
                b.path[0] = s;
                brute_dfs(&b, s, s);
            }
            dg_loop_stats st;
            cr_assert_eq(dg_loops_each(l, &o, NULL, NULL, &st, NULL), DG_OK);
            cr_expect_eq(st.count, b.count, "trial %d variant %d: %llu vs %zu",
                         trial, variant, (unsigned long long)st.count,
                         b.count);
            for (size_t k = 2; k <= 6; k++)
                cr_expect_eq(st.by_length[k], b.by_length[k],
                             "trial %d variant %d length %zu", trial,
                             variant, k);
        }
        dg_ledger_destroy(l);
    }
}

/* ---- looped value and the null model ----------------------------------------- */

Test(loops, looped_value_sums_the_hops_on_some_loop)
{
    dg_ledger *l = triangle_and_pair();
    leg(l, "C", "D", DG_KIND_CLOUD, 100e9, DG_STATUS_COMPLETED, "2025");
    leg(l, "A", "C", DG_KIND_CLOUD, NAN, DG_STATUS_COMPLETED, "2025");
    double looped, focus;
    size_t undisclosed;
    /* on loops: A->B 10, B->A 1, B->C 5, C->A 5, and A->C (undisclosed);
     * C->D is not. Total 21B; hops touching B: 10 + 1 + 5 = 16B */
    cr_assert_eq(dg_loops_value(l, NULL, dg_ledger_find(l, "B"), &looped,
                                &focus, &undisclosed),
                 DG_OK);
    cr_expect_eq(looped, 21e9);
    cr_expect_eq(focus, 16e9);
    cr_expect_eq(undisclosed, 1);
    dg_ledger_destroy(l);
}

Test(loops, a_graph_with_one_degree_realisation_has_p_equal_to_one)
{
    /* The complete digraph on 3 companies is the only simple digraph with
     * its degrees, so every rewiring is the graph itself: 5 loops each
     * (C(3,2)*1! + C(3,3)*2! = 3 + 2), no spread, p = (N+1)/(N+1) = 1. */
    dg_ledger *l = dg_ledger_create();
    const char *n[] = {"A", "B", "C"};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            if (i != j)
                leg(l, n[i], n[j], DG_KIND_CLOUD, 1e9, DG_STATUS_COMPLETED,
                    "2025");
    dg_loop_options o;
    dg_loop_options_init(&o);
    dg_loop_null r;
    cr_assert_eq(dg_loops_null(l, &o, 20, 3, &r), DG_OK);
    cr_expect_eq(r.observed_count, 5);
    cr_expect_eq(r.mean_count, 5);
    cr_expect_eq(r.sd_count, 0);
    cr_expect(isnan(r.z_count));
    cr_expect_eq(r.p_count, 1.0);
    cr_expect_eq(r.observed_value, 6e9);
    dg_ledger_destroy(l);
}

Test(loops, the_null_model_is_reproducible_from_its_seed)
{
    char *path = src_path("graphs/ai-2025.dot");
    dg_diags d;
    dg_diags_init(&d);
    dg_ledger *l = dg_ledger_load(path, NULL, &d, NULL);
    cr_assert_not_null(l);
    dg_loop_options o;
    dg_loop_options_init(&o);
    dg_loop_null a, b;
    cr_assert_eq(dg_loops_null(l, &o, 30, 42, &a), DG_OK);
    cr_assert_eq(dg_loops_null(l, &o, 30, 42, &b), DG_OK);
    cr_expect_eq(a.mean_count, b.mean_count);
    cr_expect_eq(a.p_value, b.p_value);
    cr_expect_eq(a.observed_count, 35);
    /* p is (k + 1) / (N + 1) for a whole k in 0..N */
    double k = a.p_count * 31 - 1;
    cr_expect(fabs(k - round(k)) < 1e-9 && k >= 0 && k <= 30);
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
    free(path);
}

Test(loops, the_null_model_refuses_what_it_cannot_compare)
{
    dg_loop_options o;
    dg_loop_options_init(&o);
    dg_diags d;
    dg_diags_init(&d);
    /* one rewiring has no spread; two are the least with a standard
     * deviation */
    cr_expect_eq(dg_loops_null_check(&o, 1, &d), DG_EUSAGE);
    cr_expect_eq(dg_loops_null_check(&o, 2, &d), DG_OK);
    cr_expect_eq(d.errors, 1);
    /* a rewired graph has no counterpart of "the loops through OpenAI" */
    o.through = "A";
    cr_expect_eq(dg_loops_null_check(&o, 20, &d), DG_EUSAGE);
    dg_loop_options_init(&o);
    o.temporal = true;
    cr_expect_eq(dg_loops_null_check(&o, 20, NULL), DG_EUSAGE);
    dg_loop_options_init(&o);
    o.min_value = 1e9;
    cr_expect_eq(dg_loops_null_check(&o, 20, NULL), DG_EUSAGE);
    dg_ledger *l = triangle_and_pair();
    dg_loop_null r;
    cr_expect_eq(dg_loops_null(l, &o, 20, 1, &r), DG_EUSAGE,
                 "refused, not computed for the whole graph");
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

/* ---- the loop set ---------------------------------------------------------- */

/* Five loops, the companies created in reverse name order so that name
 * order is not file order:
 *   A>B    A -equity 10B-> B -chips 1B-> A             1B, 2 hops
 *   A>B>C  A -equity 10B-> B -cloud 5B-> C -cloud 5B-> A  5B, 3 hops
 *   A>D    A -chips 1B-> D -equity 1B-> A              1B, 2 hops
 *   A>E    A -chips 3B-> E -cloud ?-> A                undisclosed, 2 hops
 *   A>F    A -cloud 5B-> F -equity 5B-> A              5B, 2 hops */
static dg_ledger *five_loops(void)
{
    dg_ledger *l = dg_ledger_create();
    const char *names[] = {"F", "E", "D", "C", "B", "A"};
    for (size_t i = 0; i < 6; i++)
        co(l, names[i]);
    leg(l, "A", "B", DG_KIND_EQUITY, 10e9, DG_STATUS_COMPLETED, "2025");
    leg(l, "B", "A", DG_KIND_CHIPS, 1e9, DG_STATUS_COMPLETED, "2025");
    leg(l, "B", "C", DG_KIND_CLOUD, 5e9, DG_STATUS_COMPLETED, "2025");
    leg(l, "C", "A", DG_KIND_CLOUD, 5e9, DG_STATUS_COMPLETED, "2025");
    leg(l, "A", "D", DG_KIND_CHIPS, 1e9, DG_STATUS_COMPLETED, "2025");
    leg(l, "D", "A", DG_KIND_EQUITY, 1e9, DG_STATUS_COMPLETED, "2025");
    leg(l, "A", "E", DG_KIND_CHIPS, 3e9, DG_STATUS_COMPLETED, "2025");
    leg(l, "E", "A", DG_KIND_CLOUD, NAN, DG_STATUS_COMPLETED, "2025");
    leg(l, "A", "F", DG_KIND_CLOUD, 5e9, DG_STATUS_COMPLETED, "2025");
    leg(l, "F", "A", DG_KIND_EQUITY, 5e9, DG_STATUS_COMPLETED, "2025");
    return l;
}

/* The set's loops as "A>B>C", in its order, joined by spaces. */
static char *order_of(const dg_loopset *s)
{
    dg_buf b;
    dg_buf_init(&b);
    for (size_t i = 0; i < dg_loopset_count(s); i++) {
        if (i)
            dg_buf_putc(&b, ' ');
        dg_loop_companies_text(dg_loopset_ledger(s), dg_loopset_loop(s, i),
                               ">", false, &b);
    }
    cr_assert(!b.oom);
    return dg_buf_take(&b);
}

Test(loopset, orders_by_value_or_length_with_ties_by_length_and_names)
{
    dg_ledger *l = five_loops();
    dg_loopset *s;
    cr_assert_eq(dg_loopset_collect(l, NULL, 0, &s, NULL), DG_OK);
    cr_assert_eq(dg_loopset_count(s), 5);
    const dg_loop_stats *st = dg_loopset_stats(s);
    cr_expect_eq(st->count, 5);
    cr_expect_eq(st->by_length[2], 4);
    cr_expect_eq(st->by_length[3], 1);
    cr_expect(dg_loopset_complete(s));
    cr_expect_not(dg_loopset_full(s));
    /* by value: the two 5B loops, the shorter first; the two 1B loops of
     * one length by name (B before D); the undisclosed one last */
    cr_assert_eq(dg_loopset_sort(s, DG_LOOP_ORDER_VALUE), DG_OK);
    char *got = order_of(s);
    cr_expect_str_eq(got, "A>F A>B>C A>B A>D A>E");
    free(got);
    /* by length: the 2-hop loops by value (5B, 1B, 1B, undisclosed), then
     * the 3-hop one */
    cr_assert_eq(dg_loopset_sort(s, DG_LOOP_ORDER_LENGTH), DG_OK);
    got = order_of(s);
    cr_expect_str_eq(got, "A>F A>B A>D A>E A>B>C");
    free(got);
    cr_assert_eq(dg_loopset_sort(s, DG_LOOP_ORDER_ID), DG_OK);
    for (size_t i = 1; i < 5; i++)
        cr_expect_lt(strcmp(dg_loopset_loop(s, i - 1)->id,
                            dg_loopset_loop(s, i)->id),
                     0);
    /* each loop keeps its own hops and legs after sorting: A>B>C's middle
     * hop is B -> C, carried by leg 2 (file order) */
    for (size_t i = 0; i < 5; i++) {
        const dg_loop *x = dg_loopset_loop(s, i);
        if (x->length != 3)
            continue;
        cr_expect_eq(x->hops[1].from, dg_ledger_find(l, "B"));
        cr_expect_eq(x->hops[1].to, dg_ledger_find(l, "C"));
        cr_assert_eq(x->hops[1].nlegs, 1);
        cr_expect_eq(x->hops[1].legs[0], 2);
        cr_expect_eq(x->value, 5e9);
    }
    dg_loopset_destroy(s);
    dg_ledger_destroy(l);
}

Test(loopset, a_full_budget_cuts_the_set_short_and_says_so)
{
    /* three loops of 2 hops and 2 legs: A>B, A>C, A>D */
    dg_ledger *l = dg_ledger_create();
    const char *other[] = {"B", "C", "D"};
    for (size_t i = 0; i < 3; i++) {
        leg(l, "A", other[i], DG_KIND_CLOUD, 1e9, DG_STATUS_COMPLETED,
            "2025");
        leg(l, other[i], "A", DG_KIND_EQUITY, 1e9, DG_STATUS_COMPLETED,
            "2025");
    }
    /* each takes the documented sizeof(dg_loop) + (L + 1 + G) *
     * sizeof(size_t) + L * sizeof(dg_hop), L = G = 2 */
    size_t each = sizeof(dg_loop) + 5 * sizeof(size_t) + 2 * sizeof(dg_hop);
    dg_loopset *s;
    cr_assert_eq(dg_loopset_collect(l, NULL, 3 * each, &s, NULL), DG_OK);
    cr_expect_eq(dg_loopset_count(s), 3, "exactly room for three");
    cr_expect_not(dg_loopset_full(s));
    cr_expect(dg_loopset_complete(s));
    dg_loopset_destroy(s);
    cr_assert_eq(dg_loopset_collect(l, NULL, 3 * each - 1, &s, NULL), DG_OK);
    cr_expect_eq(dg_loopset_count(s), 2);
    cr_expect(dg_loopset_full(s));
    cr_expect_not(dg_loopset_complete(s));
    const dg_loop_stats *st = dg_loopset_stats(s);
    cr_expect(st->truncated);
    cr_expect_eq(st->count, 2, "the loop that did not fit is not counted");
    cr_expect_eq(st->by_length[2], 2);
    dg_loopset_destroy(s);
    /* a search cut short otherwise is not complete either */
    dg_loop_options o;
    dg_loop_options_init(&o);
    o.limit = 1;
    cr_assert_eq(dg_loopset_collect(l, &o, 0, &s, NULL), DG_OK);
    cr_expect_eq(dg_loopset_count(s), 1);
    cr_expect_not(dg_loopset_full(s));
    cr_expect_not(dg_loopset_complete(s));
    dg_loopset_destroy(s);
    dg_ledger_destroy(l);
}

Test(loopset, an_unknown_through_company_leaves_no_set)
{
    dg_ledger *l = five_loops();
    dg_loop_options o;
    dg_loop_options_init(&o);
    o.through = "Nobody";
    dg_loopset *s = (dg_loopset *)&o; /* anything but NULL */
    dg_diags d;
    dg_diags_init(&d);
    cr_expect_eq(dg_loopset_collect(l, &o, 0, &s, &d), DG_EUSAGE);
    cr_expect_null(s);
    cr_expect_str_eq(d.items[0].message,
                     "\"Nobody\" is not a company in the ledger");
    dg_diags_finish(&d);
    dg_ledger_destroy(l);
}

Test(loopset, a_loop_reads_as_a_path_a_list_of_companies_and_a_signature)
{
    /* X pays Y twice (equity 1B, and a warrant of no stated value), Y
     * sells X chips */
    dg_ledger *l = dg_ledger_create();
    co(l, "Y");
    leg(l, "X", "Y", DG_KIND_WARRANT, NAN, DG_STATUS_COMPLETED, "2025");
    leg(l, "X", "Y", DG_KIND_EQUITY, 1e9, DG_STATUS_COMPLETED, "2025");
    leg(l, "Y", "X", DG_KIND_CHIPS, 2e9, DG_STATUS_COMPLETED, "2025");
    dg_loopset *s;
    cr_assert_eq(dg_loopset_collect(l, NULL, 0, &s, NULL), DG_OK);
    cr_assert_eq(dg_loopset_count(s), 1);
    const dg_loop *x = dg_loopset_loop(s, 0);
    dg_buf b;
    dg_buf_init(&b);
    /* kinds of one hop in kind order (equity before warrant), whatever
     * the file order; the loop starts at the smaller name */
    dg_loop_path_text(l, x, &b);
    cr_expect_str_eq(b.data, "X -equity+warrant-> Y -chips-> X");
    dg_buf_clear(&b);
    dg_loop_companies_text(l, x, " > ", true, &b);
    cr_expect_str_eq(b.data, "X > Y > X");
    dg_buf_clear(&b);
    dg_loop_companies_text(l, x, ">", false, &b);
    cr_expect_str_eq(b.data, "X>Y");
    dg_buf_clear(&b);
    dg_loop_signature_text(x, &b);
    cr_expect_str_eq(b.data, "equity+warrant>chips");
    dg_buf_clear(&b);
    dg_kinds_text((1u << DG_KIND_BACKSTOP) | (1u << DG_KIND_CHIPS), &b);
    cr_expect_str_eq(b.data, "chips+backstop");
    /* appends: a caller builds a line from several */
    dg_loop_signature_text(x, &b);
    cr_expect_str_eq(b.data, "chips+backstopequity+warrant>chips");
    dg_buf_finish(&b);
    /* the value is the smaller hop's floor: 1B disclosed of X -> Y */
    cr_expect_eq(x->value, 1e9);
    cr_expect(x->partial);
    dg_loopset_destroy(s);
    dg_ledger_destroy(l);
}

/* ---- as the executable writes them ------------------------------------------- */

/* The lines of `text`, sorted, as one string: two outputs that hold the
 * same rows in another order compare equal. */
static char *sorted_lines(const char *text)
{
    size_t n = 0, cap = 64;
    char **v = malloc(cap * sizeof *v);
    for (const char *p = text; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (n == cap)
            v = realloc(v, (cap *= 2) * sizeof *v);
        v[n] = malloc(len + 1);
        memcpy(v[n], p, len);
        v[n++][len] = '\0';
        p += len + (e != NULL);
    }
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
            char *t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    dg_buf b;
    dg_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        dg_buf_puts(&b, v[i]);
        dg_buf_putc(&b, '\n');
        free(v[i]);
    }
    free(v);
    return dg_buf_take(&b);
}

Test(loops, streamed_and_sorted_csv_write_the_same_rows_alike)
{
    /* a name with a comma and one with a quote: quoted, the quote doubled,
     * in both; plain names are not quoted in either */
    char *path = temp_file(
        "quote.dot",
        "digraph {\n"
        "  \"Acme, Inc.\" -> B [kind=\"cloud\", amount=\"2B\", "
        "status=\"reported\", announced=\"2025\"];\n"
        "  B -> \"Acme, Inc.\" [kind=\"equity\", amount=\"1B\", "
        "status=\"reported\", announced=\"2025\"];\n"
        "  B -> \"The \\\"C\\\" Co\" [kind=\"chips\", amount=\"1B\", "
        "status=\"reported\", announced=\"2025\"];\n"
        "  \"The \\\"C\\\" Co\" -> B [kind=\"cloud\", "
        "status=\"reported\", announced=\"2025\"];\n"
        "  B -> D [kind=\"chips\", amount=\"1B\", status=\"reported\", "
        "announced=\"2025\"];\n"
        "  D -> B [kind=\"equity\", amount=\"1B\", status=\"reported\", "
        "announced=\"2025\"];\n"
        "}\n");
    const char *a[] = {"loops", path, "--sort", "none", "--format", "csv",
                       NULL};
    const char *b[] = {"loops", path, "--format", "csv", NULL};
    run_result streamed = run_cli(a, NULL), sorted = run_cli(b, NULL);
    cr_assert_eq(streamed.status, 0, "%s", streamed.err);
    cr_assert_eq(sorted.status, 0, "%s", sorted.err);
    char *x = sorted_lines(streamed.out), *y = sorted_lines(sorted.out);
    cr_expect_str_eq(x, y);
    cr_expect(strstr(sorted.out, ",\"Acme, Inc.>B\"\n") != NULL, "%s",
              sorted.out);
    cr_expect(strstr(sorted.out, ",\"B>The \"\"C\"\" Co\"\n") != NULL, "%s",
              sorted.out);
    cr_expect(strstr(sorted.out, ",B>D\n") != NULL, "%s", sorted.out);
    free(x);
    free(y);
    run_free(&streamed);
    run_free(&sorted);
    free(path);
}

Test(loops, a_single_streamed_loop_is_one_loop)
{
    char *path = temp_file(
        "one.dot",
        "digraph {\n"
        "  A -> B [kind=\"cloud\", amount=\"2B\", status=\"reported\", "
        "announced=\"2025\"];\n"
        "  B -> A [kind=\"equity\", amount=\"1B\", status=\"reported\", "
        "announced=\"2025\"];\n"
        "}\n");
    const char *a[] = {"loops", path, "--sort", "none", NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 0, "%s", r.err);
    /* rank, id, length, value, pattern, firmness, path; then the count */
    cr_expect(strncmp(r.out, "1  ", 3) == 0, "%s", r.out);
    const char *rest = "  2  $1B  vendor financing  reported  A -cloud-> B "
                       "-equity-> A\n1 loop\n";
    size_t n = strlen(r.out), m = strlen(rest);
    cr_expect(n == 3 + 10 + m && strcmp(r.out + 13, rest) == 0, "%s", r.out);
    run_free(&r);
    free(path);
}
