/*
 * fuzz_values.c - libFuzzer target: the value parsers every loader and
 * option goes through, on arbitrary text: money, dates, the kind, status,
 * sector and scenario words, kind lists (--kinds), and the string helpers
 * messages are built with (dg_quote, dg_closest, dg_utf8_check).
 *
 * Properties, beyond "no crash, no sanitizer report":
 *  - an accepted amount is finite, in [0, DG_MONEY_MAX], and its short form
 *    (dg_money_format) parses back to within the rounding of two decimals;
 *  - an accepted date formats back to exactly the text it came from, and
 *    dg_date_cmp agrees with the day count;
 *  - an accepted word is its own canonical name;
 *  - dg_quote's output holds no control character and respects its cut;
 *  - dg_utf8_check agrees with a second, independent decoder.
 *
 * Build and run: docs/robustness.md.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A plain UTF-8 validator (RFC 3629, table 3-7 of the Unicode standard),
 * to compare dg_utf8_check with. Returns the offset of the first bad byte
 * or len. */
static size_t utf8_reference(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        unsigned char lo = 0x80, hi = 0xbf;
        if (c <= 0x7f) {
            i++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
        } else if (c == 0xe0) {
            n = 2;
            lo = 0xa0;
        } else if ((c >= 0xe1 && c <= 0xec) || c == 0xee || c == 0xef) {
            n = 2;
        } else if (c == 0xed) {
            n = 2;
            hi = 0x9f;
        } else if (c == 0xf0) {
            n = 3;
            lo = 0x90;
        } else if (c >= 0xf1 && c <= 0xf3) {
            n = 3;
        } else if (c == 0xf4) {
            n = 3;
            hi = 0x8f;
        } else {
            return i;
        }
        if (i + n >= len) /* the sequence runs past the end */
            return i;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (size_t k = 2; k <= n; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xbf)
                return i;
        i += n + 1;
    }
    return len;
}

static void check_money(const char *s)
{
    double v = -1;
    if (!dg_money_parse(s, &v))
        return;
    FUZZ_CHECK(isfinite(v) && v >= 0 && v <= DG_MONEY_MAX);
    char buf[64];
    dg_money_format(v, buf, sizeof buf);
    double back = -1;
    FUZZ_CHECK(dg_money_parse(buf, &back));
    /* two decimals of the unit the value is written in */
    double unit = v >= 0.995e12 ? 1e12 : v >= 0.995e9 ? 1e9
                : v >= 0.995e6 ? 1e6 : v >= 0.995e3 ? 1e3 : 1;
    FUZZ_CHECK(fabs(back - v) <= 0.005 * unit * (1 + 1e-9));
}

static void check_date(const char *s)
{
    dg_date d;
    if (!dg_date_parse(s, &d))
        return;
    char buf[16];
    FUZZ_CHECK(strcmp(dg_date_format(d, buf, sizeof buf), s) == 0);
    FUZZ_CHECK(d.year >= 1900 && d.year <= 2999);
    dg_date e = {2025, 6, 15};
    long a = dg_date_days(d), b = dg_date_days(e);
    int c = dg_date_cmp(d, e);
    FUZZ_CHECK((a < b && c < 0) || (a == b && c == 0) || (a > b && c > 0));
}

static void check_words(const char *s)
{
    dg_kind k;
    if (dg_kind_parse(s, &k))
        FUZZ_CHECK(strcmp(dg_kind_name(k), s) == 0);
    dg_status st;
    if (dg_status_parse(s, &st))
        FUZZ_CHECK(strcmp(dg_status_name(st), s) == 0);
    dg_sector sec;
    if (dg_sector_parse(s, &sec))
        FUZZ_CHECK(strcmp(dg_sector_name(sec), s) == 0);
    dg_amounts am;
    if (dg_amounts_parse(s, &am))
        FUZZ_CHECK(strcmp(dg_amounts_name(am), s) == 0);
    unsigned mask = 0;
    const char *bad = NULL;
    if (dg_kinds_parse(s, &mask, &bad))
        FUZZ_CHECK(mask != 0 && mask < (1u << DG_KIND_COUNT));
    else
        FUZZ_CHECK(bad >= s && bad <= s + strlen(s));
    static const char *const cands[] = {"kind", "amount", "announced",
                                        "status", NULL, ""};
    const char *near = dg_closest(s, cands, 6);
    FUZZ_CHECK(!near || (near[0] && near != cands[4]));
}

static void check_quote(const char *s, size_t max)
{
    dg_buf b;
    dg_buf_init(&b);
    const char *q = dg_quote(s, max, &b);
    for (const char *p = q; *p; p++)
        FUZZ_CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
    /* each input byte becomes at most 4 bytes (\xNN), plus "..." */
    FUZZ_CHECK(strlen(q) <= 4 * max + 3);
    dg_buf_finish(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    if (size > 4096)
        return 0;
    FUZZ_CHECK(dg_utf8_check((const char *)data, size) ==
               utf8_reference(data, size));
    char *s = malloc(size + 1);
    FUZZ_CHECK(s != NULL);
    memcpy(s, data, size);
    s[size] = '\0';
    check_money(s);
    check_date(s);
    check_words(s);
    check_quote(s, 60);
    check_quote(s, size / 2);
    /* each line too: the values of a policy or CSV file come one a line */
    for (char *line = s, *nl; line; line = nl ? nl + 1 : NULL) {
        nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        check_money(line);
        check_date(line);
        check_words(line);
    }
    free(s);
    return 0;
}
