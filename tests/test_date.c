/* Dates: three precisions, a real calendar, ordering by earliest day. */
#include <criterion/criterion.h>

#include "dealgraph/dealgraph.h"

Test(date, accepts_year_month_and_day_precision)
{
    dg_date d;
    cr_assert(dg_date_parse("2025", &d));
    cr_expect(d.year == 2025 && d.month == 0 && d.day == 0);
    cr_assert(dg_date_parse("2025-09", &d));
    cr_expect(d.year == 2025 && d.month == 9 && d.day == 0);
    cr_assert(dg_date_parse("2025-09-22", &d));
    cr_expect(d.year == 2025 && d.month == 9 && d.day == 22);
}

Test(date, rejects_impossible_dates)
{
    const char *bad[] = {"2025-13-45", "2025-02-30", "2025-13", "2025-00",
                         "2025-04-31", "2023-02-29", "2025-09-00",
                         "1899", "3000-01-01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        dg_date d;
        cr_expect_not(dg_date_parse(bad[i], &d), "\"%s\" must be rejected",
                      bad[i]);
    }
}

Test(date, accepts_leap_days_only_in_leap_years)
{
    dg_date d;
    cr_expect(dg_date_parse("2024-02-29", &d));
    cr_expect(dg_date_parse("2000-02-29", &d), "2000 is a leap year");
    cr_expect_not(dg_date_parse("2100-02-29", &d), "2100 is not");
}

Test(date, rejects_other_shapes)
{
    const char *bad[] = {"", "25", "2025/09/22", "2025-9-22", "2025-09-2",
                         "22-09-2025", "2025-09-22T00:00", " 2025",
                         "2025-09-22 ", "Q3 2025", "2019-2023"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        dg_date d;
        cr_expect_not(dg_date_parse(bad[i], &d), "\"%s\" must be rejected",
                      bad[i]);
    }
}

Test(date, counts_days_from_the_unix_epoch)
{
    dg_date d;
    dg_date_parse("1970-01-01", &d);
    cr_expect_eq(dg_date_days(d), 0);
    /* 2000-03-01: 30 years of 365 days + 7 leap days (72..96) = 10957 to
     * 2000-01-01, then 31 (Jan) + 29 (Feb 2000) = 10957 + 60 = 11017. */
    dg_date_parse("2000-03-01", &d);
    cr_expect_eq(dg_date_days(d), 11017);
    dg_date_parse("2025", &d);
    dg_date e;
    dg_date_parse("2025-01-01", &e);
    cr_expect_eq(dg_date_days(d), dg_date_days(e),
                 "a year counts from its first day");
}

Test(date, orders_by_the_earliest_day_each_date_can_mean)
{
    dg_date a, b, c;
    dg_date_parse("2025-09", &a);
    dg_date_parse("2025-09-22", &b);
    dg_date_parse("2025-09-01", &c);
    cr_expect_lt(dg_date_cmp(a, b), 0);
    cr_expect_eq(dg_date_cmp(a, c), 0);
    cr_expect_gt(dg_date_cmp(b, a), 0);
}

Test(date, formats_with_the_precision_it_was_given)
{
    char buf[16];
    dg_date d;
    dg_date_parse("2025-09", &d);
    cr_expect_str_eq(dg_date_format(d, buf, sizeof buf), "2025-09");
    dg_date_parse("2025-09-02", &d);
    cr_expect_str_eq(dg_date_format(d, buf, sizeof buf), "2025-09-02");
    cr_expect_str_eq(dg_date_format((dg_date){0, 0, 0}, buf, sizeof buf), "");
}
