/* Money values: the forms a ledger may use, and everything it may not. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "dealgraph/dealgraph.h"

static double parsed(const char *text)
{
    double v = -1;
    cr_assert(dg_money_parse(text, &v), "\"%s\" should parse", text);
    return v;
}

Test(money, accepts_plain_and_exponent_forms)
{
    cr_expect_eq(parsed("300000000000"), 300e9);
    cr_expect_eq(parsed("300e9"), 300e9);
    cr_expect_eq(parsed("3E11"), 300e9);
    cr_expect_eq(parsed("1.5e+12"), 1.5e12);
    cr_expect_eq(parsed("0"), 0);
}

Test(money, accepts_scale_suffixes_in_any_case)
{
    cr_expect_eq(parsed("300B"), 300e9);
    cr_expect_eq(parsed("$300B"), 300e9);
    cr_expect_eq(parsed("1.5T"), 1.5e12);
    cr_expect_eq(parsed("350M"), 350e6);
    cr_expect_eq(parsed("350m"), 350e6);
    cr_expect_eq(parsed("12.5bn"), 12.5e9);
    cr_expect_eq(parsed("12.5BN"), 12.5e9);
    cr_expect_eq(parsed("40K"), 40e3);
    cr_expect_eq(parsed("2tn"), 2e12);
    cr_expect_eq(parsed("750mn"), 750e6);
}

Test(money, ignores_spaces_around_the_value)
{
    cr_expect_eq(parsed("  $11.9B "), 11.9e9);
}

Test(money, rejects_words_spaces_and_units_apart)
{
    const char *bad[] = {"30 bn dollars", "30 B", "$", "", "B", "bn",
                         "300 000", "12,5B", "1,000", "300BB", "300Bn$",
                         "3e11B", "ten", "0x10", "1e", "$-5B"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v = 7;
        cr_expect_not(dg_money_parse(bad[i], &v), "\"%s\" must be rejected",
                      bad[i]);
        cr_expect_eq(v, 7, "a rejected value leaves the output alone");
    }
}

Test(money, rejects_nan_inf_and_negative_values)
{
    const char *bad[] = {"nan", "NaN", "inf", "-inf", "infinity", "-5",
                         "-300B", "+300B"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v;
        cr_expect_not(dg_money_parse(bad[i], &v), "\"%s\" must be rejected",
                      bad[i]);
    }
}

Test(money, rejects_overflow_and_absurd_sizes)
{
    double v;
    cr_expect_not(dg_money_parse("1e400", &v), "overflows a double");
    cr_expect_not(dg_money_parse("2000T", &v), "above DG_MONEY_MAX (1e15)");
    cr_expect(dg_money_parse("1000T", &v), "exactly 1e15 is allowed");
    cr_expect_not(
        dg_money_parse("1000000000000000000000000000000000000000000000000000"
                       "0000000000000",
                       &v),
        "a 65-digit number is rejected before strtod");
}

Test(money, forms_message_lists_the_accepted_examples)
{
    cr_expect(strstr(dg_money_forms(), "300e9, 300B, $300B, 1.5T, 350M, "
                                       "12.5bn") != NULL);
}

Test(money, formats_short_amounts_for_labels)
{
    char buf[32];
    cr_expect_str_eq(dg_money_format(300e9, buf, sizeof buf), "$300B");
    cr_expect_str_eq(dg_money_format(1.5e12, buf, sizeof buf), "$1.5T");
    cr_expect_str_eq(dg_money_format(350e6, buf, sizeof buf), "$350M");
    cr_expect_str_eq(dg_money_format(11.9e9, buf, sizeof buf), "$11.9B");
    cr_expect_str_eq(dg_money_format(22.446e9, buf, sizeof buf), "$22.45B");
    cr_expect_str_eq(dg_money_format(0, buf, sizeof buf), "$0");
    cr_expect_str_eq(dg_money_format(999.999e6, buf, sizeof buf), "$1B",
                     "rounding moves up a unit");
    cr_expect_str_eq(dg_money_format(NAN, buf, sizeof buf), "undisclosed");
}
