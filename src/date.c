/*
 * date.c - calendar dates with the precision they were given.
 */
#include "internal.h"

#include <string.h>

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* Reads exactly `n` digits. */
static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool dg_date_parse(const char *text, dg_date *out)
{
    if (!text)
        return false;
    size_t len = strlen(text);
    int y = 0, m = 0, d = 0;
    if (len != 4 && len != 7 && len != 10)
        return false;
    if (!digits(text, 4, &y) || y < 1900 || y > 2999)
        return false;
    if (len >= 7) {
        if (text[4] != '-' || !digits(text + 5, 2, &m) || m < 1 || m > 12)
            return false;
    }
    if (len == 10) {
        if (text[7] != '-' || !digits(text + 8, 2, &d) || d < 1 ||
            d > days_in_month(y, m))
            return false;
    }
    *out = (dg_date){(int16_t)y, (int8_t)m, (int8_t)d};
    return true;
}

int dg_date_cmp(dg_date a, dg_date b)
{
    long x = dg_date_days(a), y = dg_date_days(b);
    return (x > y) - (x < y);
}

long dg_date_days(dg_date dt)
{
    /* Days from 1970-01-01 (the civil-from-days inverse, proleptic
     * Gregorian); a missing month or day counts as the first. */
    long y = dt.year, m = dt.month ? dt.month : 1, d = dt.day ? dt.day : 1;
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

char *dg_date_format(dg_date d, char *buf, size_t n)
{
    if (n == 0)
        return buf;
    if (!d.year)
        buf[0] = '\0';
    else if (!d.month)
        snprintf(buf, n, "%04d", d.year);
    else if (!d.day)
        snprintf(buf, n, "%04d-%02d", d.year, d.month);
    else
        snprintf(buf, n, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
}
