/* The CSV loader: spreadsheet exports, companies.csv and graph.csv, and the
 * shipped CSV copy of the ledger being the same graph as the DOT one. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define HEAD "from,to,kind,status,announced"

Test(load_csv, reads_quoted_fields_with_commas_quotes_and_newlines)
{
    dg_diags d;
    dg_ledger *l = load_csv_text(
        HEAD ",amount,note\n"
        "\"Oracle, Inc.\",NVIDIA,chips,reported,2025-05-23,40B,\"a \"\"big\"\" "
        "order,\nover two lines\"\n"
        "OpenAI,\"Oracle, Inc.\",cloud,reported,2025-09-10,$300B,\n",
        NULL, &d);
    cr_assert_not_null(l, "%s", first_error(&d));
    cr_assert_eq(l->nlegs, 2);
    cr_expect_str_eq(l->companies[l->legs[0].from].name, "Oracle, Inc.");
    cr_expect_str_eq(l->legs[0].note, "a \"big\" order,\nover two lines");
    cr_expect_eq(l->legs[0].amount, 40e9);
    cr_expect_eq(l->legs[1].line, 4, "the record after a 2-line field");
    cr_expect_null(l->legs[1].note, "an empty field is absent");
    cr_expect_eq(l->legs[1].to, l->legs[0].from, "one company, one index");
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

Test(load_csv, reads_crlf_line_ends_and_a_byte_order_mark)
{
    dg_diags d;
    dg_ledger *l = load_csv_text("\xEF\xBB\xBF" HEAD ",amount\r\n"
                                 "A,B,chips,definitive,2025,1B\r\n"
                                 "B,A,cloud,definitive,2025-01,\"2B\"\r\n",
                                 NULL, &d);
    cr_assert_not_null(l, "%s", first_error(&d));
    cr_expect_eq(l->nlegs, 2);
    cr_expect_str_eq(l->companies[0].name, "A", "the BOM is not in the name");
    cr_expect_eq(l->legs[1].amount, 2e9);
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

static void expect_error(const char *deals, const char *companies,
                         const char *want)
{
    dg_diags d;
    dg_ledger *l = load_csv_text(deals, companies, &d);
    cr_expect_null(l);
    dg_diags_sort(&d);
    cr_expect_str_eq(first_error(&d), want);
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

Test(load_csv, counts_the_fields_of_every_row)
{
    expect_error(HEAD ",amount,deal\nA,B,chips,definitive,2025,1B,x\n"
                      "A,B,chips,definitive,2025\n",
                 NULL,
                 "3: expected 7 fields, found 5; every row needs one field "
                 "per header column (quote fields that contain commas)");
}

Test(load_csv, rejects_an_unterminated_quote_at_the_line_it_opens)
{
    expect_error(HEAD "\nA,B,chips,definitive,2025\nA,\"B,chips\n",
                 NULL,
                 "3: unterminated quoted field: a field opened with \" has "
                 "no closing quote");
}

Test(load_csv, rejects_text_after_a_closing_quote)
{
    expect_error(HEAD "\nA,B,\"chips\"x,definitive,2025\n", NULL,
                 "2: text after a closing quote in field 3; double a quote "
                 "inside a quoted field (\"\")");
}

Test(load_csv, requires_the_leg_columns_in_the_header)
{
    expect_error("from,to,kind,status\nA,B,chips,definitive\n", NULL,
                 "1: missing column \"announced\"; the header must name it");
    expect_error("", NULL,
                 "1: empty file; the first row must name the columns");
    expect_error(HEAD ",kind\nA,B,chips,definitive,2025,chips\n", NULL,
                 "1: column \"kind\" appears twice in the header; each "
                 "column once");
}

Test(load_csv, rejects_bad_values_with_their_row)
{
    expect_error(HEAD ",amount\nA,B,chips,definitive,2025,nan\n", NULL,
                 "2: leg A -> B: amount \"nan\" is not a money value; write "
                 "a number with an optional $ and an optional K, M, B, T, "
                 "mn, bn or tn, e.g. 300e9, 300B, $300B, 1.5T, 350M, 12.5bn");
    expect_error(HEAD "\nA,B,chips,definitive,2025-02-30\n", NULL,
                 "2: leg A -> B: announced \"2025-02-30\" is not a calendar "
                 "date; write a real date as YYYY, YYYY-MM or YYYY-MM-DD "
                 "(years 1900-2999)");
    expect_error(HEAD "\nA,A,chips,definitive,2025\n", NULL,
                 "2: leg A -> A: a company cannot deal with itself; a leg "
                 "needs two different companies");
    expect_error(HEAD "\n,B,chips,definitive,2025\n", NULL,
                 "2: missing from; every leg names the company value moves "
                 "from");
}

Test(load_csv, warns_about_unknown_columns)
{
    dg_diags d;
    dg_ledger *l =
        load_csv_text(HEAD ",ammount\nA,B,chips,definitive,2025,1B\n", NULL, &d);
    cr_assert_not_null(l);
    cr_expect_eq(d.warnings, 1);
    cr_expect_str_eq(d.items[0].message,
                     "unknown column \"ammount\" is ignored; did you mean "
                     "\"amount\"?");
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

Test(load_csv, reads_companies_csv_beside_deals_csv)
{
    dg_diags d;
    dg_ledger *l = load_csv_text(HEAD "\nA,B,chips,definitive,2025\n",
                                 "name,sector,equity,cash\n"
                                 "B,chips,118.9B,60.6B\n"
                                 "C,other,,\n",
                                 &d);
    cr_assert_not_null(l, "%s", first_error(&d));
    cr_assert_eq(l->ncompanies, 3, "declared companies, then the rest");
    cr_expect_str_eq(l->companies[0].name, "B");
    cr_expect_eq(l->companies[0].equity, 118.9e9);
    cr_expect_eq(l->companies[0].cash, 60.6e9);
    cr_expect_str_eq(l->companies[1].name, "C", "a company without legs");
    cr_expect_str_eq(l->companies[2].name, "A");
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

Test(load_csv, rejects_a_company_listed_twice)
{
    expect_error(HEAD "\nA,B,chips,definitive,2025\n",
                 "name,sector\nA,lab\nB,chips\nA,lab\n",
                 "4: company A is listed twice (first on line 2); keep one "
                 "row per company");
}

/* Two ledgers hold the same graph when companies, legs and graph
 * attributes agree field by field, in order. */
static void expect_same_company(const dg_company *a, const dg_company *b)
{
    cr_expect_str_eq(a->name, b->name);
    cr_expect_eq(a->sector, b->sector, "%s", a->name);
#define SAME_NUM(f) \
    cr_expect((isnan(a->f) && isnan(b->f)) || a->f == b->f, "%s " #f, a->name)
#define SAME_STR(f)                                                       \
    cr_expect((!a->f && !b->f) || (a->f && b->f && !strcmp(a->f, b->f)), \
              "%s " #f, a->name)
    SAME_NUM(equity);
    SAME_NUM(cash);
    SAME_NUM(outside_inflow);
    SAME_NUM(capex);
    SAME_NUM(ebitda);
    SAME_STR(label);
    SAME_STR(equity_basis);
    SAME_STR(period);
    SAME_STR(currency);
    SAME_STR(source);
    SAME_STR(note);
    cr_expect_eq(dg_date_cmp(a->equity_as_of, b->equity_as_of), 0);
    cr_expect_eq(dg_date_cmp(a->cash_as_of, b->cash_as_of), 0);
}

static void expect_same_leg(const dg_ledger *la, const dg_leg *a,
                            const dg_ledger *lb, const dg_leg *b)
{
    const char *what = a->deal ? a->deal : "?";
    cr_expect_str_eq(la->companies[a->from].name, lb->companies[b->from].name,
                     "%s from", what);
    cr_expect_str_eq(la->companies[a->to].name, lb->companies[b->to].name,
                     "%s to", what);
    cr_expect_eq(a->kind, b->kind, "%s", what);
    cr_expect_eq(a->status, b->status, "%s", what);
#undef SAME_NUM
#undef SAME_STR
#define SAME_NUM(f) \
    cr_expect((isnan(a->f) && isnan(b->f)) || a->f == b->f, "%s " #f, what)
#define SAME_STR(f)                                                       \
    cr_expect((!a->f && !b->f) || (a->f && b->f && !strcmp(a->f, b->f)), \
              "%s " #f, what)
    SAME_NUM(amount);
    SAME_NUM(amount_low);
    SAME_NUM(amount_high);
    cr_expect_eq(a->upto, b->upto, "%s", what);
    cr_expect_eq(a->per, b->per, "%s", what);
    cr_expect(!memcmp(&a->announced, &b->announced, sizeof a->announced));
    cr_expect(!memcmp(&a->start, &b->start, sizeof a->start));
    cr_expect(!memcmp(&a->end, &b->end, sizeof a->end));
    SAME_STR(deal);
    SAME_STR(source);
    SAME_STR(note);
}

Test(load_csv, the_csv_copy_of_the_shipped_ledger_is_the_same_graph)
{
    char *dot = src_path("graphs/ai-2025.dot");
    char *dir = src_path("graphs/ai-2025");
    dg_load_options o;
    dg_load_options_init(&o);
    o.strict = true;
    dg_diags d1, d2;
    dg_diags_init(&d1);
    dg_diags_init(&d2);
    dg_ledger *a = dg_ledger_load(dot, &o, &d1, NULL);
    dg_ledger *b = dg_ledger_load(dir, &o, &d2, NULL);
    cr_assert_not_null(a, "%s", first_error(&d1));
    cr_assert_not_null(b, "%s", first_error(&d2));
    cr_expect_eq(d2.count, 0, "the CSV copy lints clean");
    cr_expect_str_eq(a->focus, b->focus);
    cr_expect_str_eq(a->title, b->title);
    cr_expect_eq(dg_date_cmp(a->as_of, b->as_of), 0);
    cr_assert_eq(a->ncompanies, b->ncompanies);
    for (size_t i = 0; i < a->ncompanies; i++)
        expect_same_company(&a->companies[i], &b->companies[i]);
    cr_assert_eq(a->nlegs, b->nlegs);
    for (size_t i = 0; i < a->nlegs; i++)
        expect_same_leg(a, &a->legs[i], b, &b->legs[i]);
    dg_ledger_destroy(a);
    dg_ledger_destroy(b);
    dg_diags_finish(&d1);
    dg_diags_finish(&d2);
    free(dot);
    free(dir);
}
