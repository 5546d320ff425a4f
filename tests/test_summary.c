/* Summary totals: by kind and status, undisclosed legs apart, scenarios and
 * filters. Every expected value is summed by hand in the comments. */
#include <criterion/criterion.h>
#include <math.h>

#include "support.h"

static const char ledger[] =
    "digraph {\n"
    "  a -> b [kind=\"chips\", amount=\"10B\", status=\"completed\", "
    "announced=\"2024-05\", deal=\"X\"]\n"
    "  b -> a [kind=\"equity\", amount=\"4B\", status=\"definitive\", "
    "announced=\"2025-01-02\", deal=\"X\"]\n"
    "  a -> c [kind=\"chips\", status=\"loi\", announced=\"2025-10\", "
    "amount_low=\"2B\", amount_high=\"6B\"]\n"
    "  c -> a [kind=\"cloud\", amount=\"1B\", upto=\"true\", "
    "status=\"talks\", announced=\"2025-12-01\"]\n"
    "}\n";

Test(summary, totals_by_kind_and_status_with_undisclosed_apart)
{
    dg_diags d;
    dg_ledger *l = load_dot_text(ledger, &d);
    cr_assert_not_null(l, "%s", first_error(&d));
    dg_summary s;
    cr_assert_eq(dg_summary_compute(l, NULL, &s), DG_OK);
    cr_expect_eq(s.companies, 3);
    cr_expect_eq(s.legs, 4);
    cr_expect_eq(s.deals, 3, "X plus two legs without a deal id");
    /* disclosed: 10 + 4 + 1 = 15B; the a -> c leg is undisclosed */
    cr_expect_eq(s.all.value, 15e9);
    cr_expect_eq(s.all.undisclosed, 1);
    cr_expect_eq(s.by_kind[DG_KIND_CHIPS].legs, 2);
    cr_expect_eq(s.by_kind[DG_KIND_CHIPS].value, 10e9);
    cr_expect_eq(s.by_kind[DG_KIND_CHIPS].undisclosed, 1);
    cr_expect_eq(s.by_status[DG_STATUS_LOI].legs, 1);
    cr_expect(isnan(s.by_status[DG_STATUS_LOI].value),
              "a group with only undisclosed legs has no value, not 0");
    cr_expect_eq(s.by_kind[DG_KIND_DEBT].legs, 0);
    cr_expect_eq(s.by_kind[DG_KIND_DEBT].value, 0);
    cr_expect_eq(s.upto_legs, 1);
    cr_expect_eq(s.estimated_legs, 1);
    cr_expect_eq(s.first.year, 2024);
    cr_expect_eq(s.last.month, 12);
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

Test(summary, scenarios_fill_undisclosed_legs_from_the_range)
{
    dg_diags d;
    dg_ledger *l = load_dot_text(ledger, &d);
    cr_assert_not_null(l);
    dg_filter f;
    dg_filter_init(&f);
    dg_summary s;
    f.amounts = DG_AMOUNTS_LOW; /* 15 + 2 */
    dg_summary_compute(l, &f, &s);
    cr_expect_eq(s.all.value, 17e9);
    cr_expect_eq(s.all.undisclosed, 0);
    f.amounts = DG_AMOUNTS_MID; /* 15 + (2 + 6) / 2 */
    dg_summary_compute(l, &f, &s);
    cr_expect_eq(s.all.value, 19e9);
    f.amounts = DG_AMOUNTS_HIGH; /* 15 + 6 */
    dg_summary_compute(l, &f, &s);
    cr_expect_eq(s.all.value, 21e9);
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

Test(summary, filters_by_status_kind_and_date)
{
    dg_diags d;
    dg_ledger *l = load_dot_text(ledger, &d);
    cr_assert_not_null(l);
    dg_filter f;
    dg_summary s;
    dg_filter_init(&f);
    f.min_status = DG_STATUS_DEFINITIVE; /* completed 10 + definitive 4 */
    dg_summary_compute(l, &f, &s);
    cr_expect_eq(s.legs, 2);
    cr_expect_eq(s.all.value, 14e9);
    dg_filter_init(&f);
    const char *bad;
    cr_assert(dg_kinds_parse("cloud,equity", &f.kinds, &bad));
    dg_summary_compute(l, &f, &s); /* 4 + 1 */
    cr_expect_eq(s.all.value, 5e9);
    dg_filter_init(&f);
    dg_date_parse("2025-01", &f.as_of); /* 2024-05 and 2025-01-02? no:
        2025-01 means 2025-01-01, so only the 2024-05 leg is on or before */
    dg_summary_compute(l, &f, &s);
    cr_expect_eq(s.legs, 1);
    cr_expect_eq(s.all.value, 10e9);
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
}

Test(summary, kinds_parse_rejects_unknown_names)
{
    unsigned m = 0;
    const char *bad = NULL;
    const char *text = "chips,chip";
    cr_expect_not(dg_kinds_parse(text, &m, &bad));
    cr_expect_str_eq(bad, "chip");
    cr_expect_not(dg_kinds_parse("chips,,cloud", &m, &bad));
}
