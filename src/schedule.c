/*
 * schedule.c - a leg's money month by month (PRODUCT.md section 7, "the
 * rule, stated once and used everywhere"; docs/methods.md, "The time
 * model: schedules").
 *
 * The work per leg is O(months): one pass to fill, one compensated sum
 * to make the months add up to the amount, one pass for the largest month.
 */
#include "dealgraph/schedule.h"
#include "internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *dg_sched_state_name(dg_sched_state s)
{
    switch (s) {
    case DG_SCHED_SCHEDULED: return "scheduled";
    case DG_SCHED_UNSCHEDULED: return "unscheduled";
    case DG_SCHED_UNDISCLOSED: return "undisclosed";
    case DG_SCHED_INVALID: return "invalid";
    }
    return "?";
}

void dg_schedule_init(dg_schedule *s) { memset(s, 0, sizeof *s); }

void dg_schedule_finish(dg_schedule *s)
{
    if (!s)
        return;
    free(s->monthly);
    memset(s, 0, sizeof *s);
}

int dg_month_of(dg_date d, bool end)
{
    if (!dg_date_valid(d))
        return -1;
    int month = d.month ? d.month - 1 : end ? 11 : 0;
    return d.year * 12 + month;
}

static bool year_ok(dg_date d)
{
    return !dg_date_valid(d) || (d.year >= 1900 && d.year <= 2999);
}

/* "2026-07" for a month index (any index: floor division). */
static const char *month_text(long long index, char buf[48])
{
    long long year = index >= 0 ? index / 12 : -((11 - index) / 12);
    snprintf(buf, 48, "%04lld-%02d", year, (int)(index - year * 12) + 1);
    return buf;
}

bool dg_leg_period(const dg_leg *leg, int *first, long long *last,
                   dg_period_from *from)
{
    dg_date start = dg_date_valid(leg->start) ? leg->start : leg->announced;
    *first = dg_month_of(start, false);
    *last = -1;
    *from = DG_PERIOD_NONE;
    if (dg_date_valid(leg->end)) {
        *last = dg_month_of(leg->end, true);
        *from = DG_PERIOD_END;
    } else if (leg->term_months > 0) {
        *last = (long long)*first + leg->term_months - 1;
        *from = DG_PERIOD_TERM;
    } else if (leg->per == DG_PER_TOTAL &&
               leg->profile == DG_PROFILE_WEIGHTS && leg->nweights > 0) {
        /* capped so that the product cannot overflow; longer is refused */
        size_t n = leg->nweights < (size_t)DG_SCHEDULE_MAX_MONTHS
                       ? leg->nweights
                       : (size_t)DG_SCHEDULE_MAX_MONTHS;
        *last = (long long)*first + (long long)n * 12 - 1;
        *from = DG_PERIOD_WEIGHTS;
    }
    return *from != DG_PERIOD_NONE;
}

/* INVALID with a reason; returns DG_EINPUT. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int invalid(dg_schedule *out, double value, const char *fmt, ...)
{
    out->state = DG_SCHED_INVALID;
    out->amount = value;
    out->nmonths = 0;
    out->first_month = 0;
    out->term_unknown = out->one_off = false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->problem, sizeof out->problem, fmt, ap);
    va_end(ap);
    return DG_EINPUT;
}

/* Room for n months, reusing the schedule's buffer. */
static int reserve(dg_schedule *out, size_t n)
{
    if (out->capacity >= n)
        return DG_OK;
    size_t cap = n < 16 ? 16 : n;
    double *m = malloc(cap * sizeof *m);
    if (!m)
        return DG_ENOMEM;
    free(out->monthly);
    out->monthly = m;
    out->capacity = cap;
    return DG_OK;
}

/* Neumaier's compensated sum (Neumaier 1974): the error does not grow
 * with the number of terms, so twelve hundred months of a 1e13 leg still
 * add up to the cent. */
static double sum(const double *x, size_t n)
{
    double s = 0, c = 0;
    for (size_t i = 0; i < n; i++) {
        double t = s + x[i];
        if (fabs(s) >= fabs(x[i]))
            c += (s - t) + x[i];
        else
            c += (x[i] - t) + s;
        s = t;
    }
    return s + c;
}

/* Puts what rounding left over into the largest month, so the months sum
 * to `expected` (conservation, PRODUCT.md section 7). Twice: the first
 * correction is itself rounded. */
static void conserve(double *m, size_t n, double expected)
{
    size_t big = 0;
    for (size_t i = 1; i < n; i++)
        if (m[i] > m[big])
            big = i;
    for (int pass = 0; pass < 2; pass++)
        m[big] += expected - sum(m, n);
}

/* The weight of twelve-month period k (0-based) of a total's profile. */
static double period_weight(const dg_leg *leg, size_t k)
{
    switch (leg->profile) {
    case DG_PROFILE_RAMP: return (double)(k + 1);
    case DG_PROFILE_WEIGHTS: return leg->weights[k];
    default: return 1;
    }
}

/* Spreads a total over n months by profile: each month of twelve-month
 * period k weighs w_k / 12 (a partial last period gets the share of its
 * months), and value * w_k / sum(weights of all months) goes to it. */
static int spread(const dg_leg *leg, double value, size_t n, double *m,
                  dg_schedule *out)
{
    size_t periods = (n + 11) / 12;
    if (leg->profile == DG_PROFILE_EVEN) {
        for (size_t i = 0; i < n; i++)
            m[i] = value / (double)n;
        return DG_OK;
    }
    /* weights over their largest, so that no sum of them overflows */
    double top = 0;
    for (size_t k = 0; k < periods; k++) {
        double w = period_weight(leg, k);
        if (!(w >= 0) || !isfinite(w))
            return invalid(out, value, "weight %zu of the profile is not a "
                           "number of at least 0", k + 1);
        if (w > top)
            top = w;
    }
    if (!(top > 0))
        return invalid(out, value, "the profile's weights are all 0 over "
                       "the delivery period");
    double total = 0;
    for (size_t k = 0; k < periods; k++) {
        size_t months = n - k * 12 < 12 ? n - k * 12 : 12;
        total += period_weight(leg, k) / top * (double)months;
    }
    for (size_t k = 0; k < periods; k++) {
        double share = value * (period_weight(leg, k) / top) / total;
        size_t end = (k + 1) * 12 < n ? (k + 1) * 12 : n;
        for (size_t i = k * 12; i < end; i++)
            m[i] = share;
    }
    return DG_OK;
}

int dg_schedule_leg(const dg_leg *leg, dg_amounts scenario,
                    dg_schedule *out)
{
    if (!out)
        return DG_EUSAGE;
    out->state = DG_SCHED_SCHEDULED;
    out->amount = 0;
    out->first_month = 0;
    out->nmonths = 0;
    out->term_unknown = out->one_off = false;
    out->problem[0] = '\0';
    if (!leg) {
        invalid(out, NAN, "no leg");
        return DG_EUSAGE;
    }

    double value = dg_leg_value(leg, scenario);
    if (!dg_has(value)) {
        out->state = DG_SCHED_UNDISCLOSED;
        out->amount = NAN;
        return DG_OK;
    }
    if (!isfinite(value))
        return invalid(out, value, "the amount is not a finite number");

    int first;
    long long last;
    dg_period_from from;
    bool known = dg_leg_period(leg, &first, &last, &from);
    bool total = leg->per == DG_PER_TOTAL;
    bool one_off_kind = leg->kind == DG_KIND_EQUITY ||
                        leg->kind == DG_KIND_DEBT ||
                        leg->kind == DG_KIND_WARRANT;
    if (!known && total && !one_off_kind) {
        /* a commercial total with no period is never put into a year */
        out->state = DG_SCHED_UNSCHEDULED;
        out->amount = value;
        return DG_OK;
    }

    dg_date start = dg_date_valid(leg->start) ? leg->start : leg->announced;
    if (first < 0)
        return invalid(out, value, "neither start nor announced is given, "
                       "so the period has no first month");
    if (!year_ok(start) || !year_ok(leg->end))
        return invalid(out, value, "a date lies outside the years "
                       "1900-2999");
    if (!known)
        last = total ? first : (long long)first + 11;
    char a[48], b[48];
    if (last < first)
        return invalid(out, value, "end (%s) is before the period's start "
                       "(%s)", month_text(last, a), month_text(first, b));
    long long span = last - first + 1;
    if (span > DG_SCHEDULE_MAX_MONTHS)
        return invalid(out, value, "the period of %lld months is longer than "
                       "%d", span, DG_SCHEDULE_MAX_MONTHS);
    size_t n = (size_t)span;
    if (known && total && leg->profile == DG_PROFILE_WEIGHTS &&
        leg->nweights != (n + 11) / 12)
        return invalid(out, value, "the profile gives %zu weights, but the "
                       "period %s to %s has %zu twelve-month periods",
                       leg->nweights, month_text(first, a),
                       month_text(last, b), (n + 11) / 12);

    if (reserve(out, n) != DG_OK) {
        invalid(out, value, "out of memory");
        return DG_ENOMEM;
    }
    double *m = out->monthly;
    double expected;
    if (!total) {
        double rate = leg->per == DG_PER_YEAR ? value / 12 : value;
        for (size_t i = 0; i < n; i++)
            m[i] = rate;
        /* rate x months, from the amount rather than the rounded rate */
        expected = leg->per == DG_PER_YEAR ? value * (double)n / 12
                                           : value * (double)n;
        out->term_unknown = !known;
        if (!isfinite(expected))
            return invalid(out, value, "the amount times the months is not "
                           "a finite number");
    } else if (!known) {
        m[0] = value;
        expected = value;
        out->one_off = true;
    } else {
        int rc = spread(leg, value, n, m, out);
        if (rc != DG_OK)
            return rc;
        expected = value;
    }
    conserve(m, n, expected);
    out->state = DG_SCHED_SCHEDULED;
    out->amount = expected;
    out->first_month = first;
    out->nmonths = n;
    return DG_OK;
}

/* Months [from, to) clipped to the schedule. Wide integers: callers may
 * pass any int. */
static double range(const dg_schedule *s, long long from, long long to)
{
    if (!s || s->state != DG_SCHED_SCHEDULED || !s->nmonths)
        return 0;
    long long lo = s->first_month, hi = lo + (long long)s->nmonths;
    if (from < lo)
        from = lo;
    if (to > hi)
        to = hi;
    if (from >= to)
        return 0;
    return sum(s->monthly + (from - lo), (size_t)(to - from));
}

double dg_schedule_months(const dg_schedule *s, int from, int to)
{
    return range(s, from, to);
}

double dg_schedule_year(const dg_schedule *s, int year)
{
    return range(s, (long long)year * 12, (long long)year * 12 + 12);
}
