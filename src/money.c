/*
 * money.c - money values as people write them in deal ledgers.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *dg_money_forms(void)
{
    return "a number with an optional $ and an optional K, M, B, T, mn, bn "
           "or tn, e.g. 300e9, 300B, $300B, 1.5T, 350M, 12.5bn";
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* The scale of a suffix, or 0 when `s` is not one. */
static double suffix_scale(const char *s)
{
    if (s[0] == '\0')
        return 1;
    char a = (char)(s[0] | 0x20), b = s[1] ? (char)(s[1] | 0x20) : 0;
    if (s[1] == '\0') {
        switch (a) {
        case 'k': return 1e3;
        case 'm': return 1e6;
        case 'b': return 1e9;
        case 't': return 1e12;
        default: return 0;
        }
    }
    if (s[2] == '\0' && b == 'n') {
        switch (a) {
        case 'm': return 1e6;
        case 'b': return 1e9;
        case 't': return 1e12;
        default: return 0;
        }
    }
    return 0;
}

bool dg_money_parse(const char *text, double *out)
{
    if (!text)
        return false;
    const char *p = text;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '$')
        p++;
    /* The number: digits with at most one '.', then an optional exponent.
     * Checked by hand so that strtod's extras (hex, inf, nan, signs,
     * leading spaces) never get through. */
    const char *num = p;
    size_t digits = 0;
    while (is_digit(*p)) {
        p++;
        digits++;
    }
    if (*p == '.') {
        p++;
        while (is_digit(*p)) {
            p++;
            digits++;
        }
    }
    if (digits == 0)
        return false;
    bool exponent = false;
    if (*p == 'e' || *p == 'E') {
        const char *e = p + 1;
        if (*e == '+' || *e == '-')
            e++;
        if (!is_digit(*e))
            return false;
        while (is_digit(*e))
            e++;
        p = e;
        exponent = true;
    }
    size_t numlen = (size_t)(p - num);
    if (numlen >= 64)
        return false;
    const char *suffix = p;
    const char *end = suffix;
    while (*end && *end != ' ' && *end != '\t')
        end++;
    const char *tail = end;
    while (*tail == ' ' || *tail == '\t')
        tail++;
    if (*tail)
        return false; /* something after a space: "30 bn dollars" */
    char sfx[4] = {0};
    size_t sfxlen = (size_t)(end - suffix);
    if (sfxlen > 2)
        return false;
    memcpy(sfx, suffix, sfxlen);
    double scale = suffix_scale(sfx);
    if (scale == 0 || (exponent && sfxlen > 0))
        return false;
    char buf[64];
    memcpy(buf, num, numlen);
    buf[numlen] = '\0';
    double v = strtod(buf, NULL) * scale;
    if (!isfinite(v) || v < 0 || v > DG_MONEY_MAX)
        return false;
    *out = v;
    return true;
}

char *dg_money_format(double amount, char *buf, size_t n)
{
    if (n == 0)
        return buf;
    if (!dg_has(amount)) {
        snprintf(buf, n, "undisclosed");
        return buf;
    }
    static const struct { double scale; const char *unit; } units[] = {
        {1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "K"}, {1, ""},
    };
    const char *sign = amount < 0 ? "-" : "";
    double a = fabs(amount);
    size_t u = 0;
    /* Pick the unit by the rounded value so 999.999M prints as $1B. */
    while (u + 1 < sizeof units / sizeof units[0] &&
           round(a / units[u].scale * 100) < 100)
        u++;
    char num[64];
    snprintf(num, sizeof num, "%.2f", a / units[u].scale);
    char *dot = strchr(num, '.');
    if (dot) {
        char *z = num + strlen(num) - 1;
        while (z > dot && *z == '0')
            *z-- = '\0';
        if (z == dot)
            *z = '\0';
    }
    snprintf(buf, n, "%s$%s%s", sign, num, units[u].unit);
    return buf;
}

char *dg_money_exact(double v, char *buf, size_t n)
{
    static const struct {
        double scale;
        const char *unit;
    } units[] = {{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "K"}, {1, ""}};
    const char *sign = v < 0 ? "-" : "";
    double a = fabs(v);
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        if (a < units[u].scale && units[u].scale > 1)
            continue;
        for (int prec = 1; prec <= 17; prec++) {
            char num[64];
            snprintf(num, sizeof num, "%.*g%s", prec, a / units[u].scale,
                     units[u].unit);
            double back;
            if (dg_money_parse(num, &back) && back == a &&
                strlen(sign) + strlen(num) < n) {
                strcpy(buf, sign);
                strcat(buf, num);
                return buf;
            }
        }
    }
    snprintf(buf, n, "%s%.17g", sign, a);
    return buf;
}
