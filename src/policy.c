/*
 * policy.c - the rules of `dealgraph check`, from flags or a small policy
 * file of `rule = value` lines.
 */
#include "dealgraph/gate.h"
#include "internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const dg_policy_rules[] = {
    "max-exposure", "max-loops", "max-loop-value", "max-fci",
    "no-new-loops", "max-revenue-dependence", "min-coverage",
    "focus", "max-len", "year", NULL,
};
#define NRULES (sizeof dg_policy_rules / sizeof dg_policy_rules[0] - 1)

void dg_policy_init(dg_policy *p)
{
    memset(p, 0, sizeof *p);
    p->max_exposure = p->max_loops = p->max_loop_value = p->max_fci = NAN;
    p->max_revenue_dependence = p->min_coverage = NAN;
}

void dg_policy_finish(dg_policy *p)
{
    if (!p)
        return;
    free(p->no_new_loops);
    free(p->focus);
    dg_policy_init(p);
}

/* A share: "0.5" or "50%", in [0, 1]. */
static bool parse_share(const char *s, double *out)
{
    char *end;
    errno = 0;
    if (!s[0] || s[0] == ' ')
        return false;
    double v = strtod(s, &end);
    if (errno || end == s)
        return false;
    if (*end == '%') {
        v /= 100;
        end++;
    }
    if (*end || !isfinite(v) || v < 0 || v > 1)
        return false;
    *out = v;
    return true;
}

/* A ratio of 0 or more: "0.2", "20%", "1.5", "150%". */
static bool parse_ratio(const char *s, double *out)
{
    char *end;
    errno = 0;
    if (!s[0] || s[0] == ' ' || s[0] == '-' || s[0] == '+')
        return false;
    double v = strtod(s, &end);
    if (errno || end == s)
        return false;
    if (*end == '%') {
        v /= 100;
        end++;
    }
    if (*end || !isfinite(v) || v < 0 || v > 1e6)
        return false;
    *out = v;
    return true;
}

static bool parse_whole(const char *s, double max, double *out)
{
    if (!s[0] || s[0] == '-' || s[0] == '+' || s[0] == ' ')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || (double)v > max)
        return false;
    *out = (double)v;
    return true;
}

static bool set_text(char **slot, const char *value, char *msg, size_t n)
{
    char *s = dg_strdup(value);
    if (!s) {
        snprintf(msg, n, "out of memory");
        return false;
    }
    free(*slot);
    *slot = s;
    return true;
}

static bool set_rule(dg_policy *p, const char *rule, const char *value,
                     char *msg, size_t n, const char *qrule,
                     const char *qvalue)
{
    if (strcmp(rule, "max-exposure") == 0) {
        if (parse_share(value, &p->max_exposure))
            return true;
        snprintf(msg, n,
                 "max-exposure \"%s\" is not a share; write a number from "
                 "0 to 1 or a percentage (0.5, 50%%)",
                 qvalue);
    } else if (strcmp(rule, "max-fci") == 0) {
        if (parse_share(value, &p->max_fci))
            return true;
        snprintf(msg, n,
                 "max-fci \"%s\" is not a cycling index; write a number "
                 "from 0 to 1",
                 qvalue);
    } else if (strcmp(rule, "max-revenue-dependence") == 0) {
        if (parse_share(value, &p->max_revenue_dependence))
            return true;
        snprintf(msg, n,
                 "max-revenue-dependence \"%s\" is not a share; write a "
                 "number from 0 to 1 or a percentage (0.5, 50%%)",
                 qvalue);
    } else if (strcmp(rule, "min-coverage") == 0) {
        if (parse_ratio(value, &p->min_coverage))
            return true;
        snprintf(msg, n,
                 "min-coverage \"%s\" is not a ratio; write a number of 0 "
                 "or more or a percentage (0.2, 20%%, 150%%)",
                 qvalue);
    } else if (strcmp(rule, "year") == 0) {
        double v;
        if (parse_whole(value, 2999, &v) && v >= 1900) {
            p->year = (int)v;
            return true;
        }
        snprintf(msg, n,
                 "year \"%s\" is not a year; write a year from 1900 to "
                 "2999, such as 2027",
                 qvalue);
    } else if (strcmp(rule, "max-loops") == 0) {
        if (parse_whole(value, 1e15, &p->max_loops))
            return true;
        snprintf(msg, n,
                 "max-loops \"%s\" is not a count; write a whole number, 0 "
                 "or more",
                 qvalue);
    } else if (strcmp(rule, "max-loop-value") == 0) {
        if (dg_money_parse(value, &p->max_loop_value))
            return true;
        snprintf(msg, n, "max-loop-value \"%s\" is not a money value; write %s",
                 qvalue, dg_money_forms());
    } else if (strcmp(rule, "max-len") == 0) {
        double v;
        if (parse_whole(value, 1e6, &v) && v >= 2) {
            p->max_len = (size_t)v;
            return true;
        }
        snprintf(msg, n,
                 "max-len \"%s\" is not a loop length; write a whole number "
                 "of companies, 2 or more",
                 qvalue);
    } else if (strcmp(rule, "no-new-loops") == 0) {
        if (value[0])
            return set_text(&p->no_new_loops, value, msg, n);
        snprintf(msg, n, "no-new-loops needs the path of a baseline ledger");
    } else if (strcmp(rule, "focus") == 0) {
        if (value[0])
            return set_text(&p->focus, value, msg, n);
        snprintf(msg, n, "focus needs a company name");
    } else {
        const char *near = dg_closest(rule, dg_policy_rules, NRULES);
        if (near)
            snprintf(msg, n, "unknown rule \"%s\"; did you mean \"%s\"?",
                     qrule, near);
        else
            snprintf(msg, n,
                     "unknown rule \"%s\"; rules are max-exposure, "
                     "max-loops, max-loop-value, max-fci, no-new-loops, "
                     "max-revenue-dependence, min-coverage, focus, max-len "
                     "and year",
                     qrule);
    }
    return false;
}

bool dg_policy_set(dg_policy *p, const char *rule, const char *value,
                   char *msg, size_t n)
{
    /* the rule and value as they may appear in a message: one printable
     * line, cut to 40 bytes */
    dg_buf qr, qv;
    dg_buf_init(&qr);
    dg_buf_init(&qv);
    bool ok = set_rule(p, rule, value, msg, n, dg_quote(rule, 40, &qr),
                       dg_quote(value, 40, &qv));
    dg_buf_finish(&qr);
    dg_buf_finish(&qv);
    return ok;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

int dg_policy_load(const char *path, dg_policy *p, dg_diags *diags)
{
    char *data;
    const char *text;
    size_t len;
    dg_load_options o;
    dg_load_options_init(&o);
    o.max_bytes = (size_t)1 << 20; /* a policy is a handful of lines */
    int rc = dg_read_text(path, &o, &data, &text, &len, diags);
    if (rc != DG_OK)
        return rc;
    size_t before = diags->errors;
    long line = 0;
    const char *p0 = text;
    while (p0 < text + len) {
        line++;
        const char *eol = memchr(p0, '\n', (size_t)(text + len - p0));
        size_t n = eol ? (size_t)(eol - p0) : (size_t)(text + len - p0);
        char *copy = dg_strndup(p0, n);
        p0 += n + (eol != NULL);
        if (!copy) {
            rc = DG_ENOMEM;
            break;
        }
        /* '#' starts a comment at the start of a line or after a blank,
         * so "focus = C# Corp" keeps its name */
        for (char *h = copy; *h; h++) {
            if (*h == '#' && (h == copy || h[-1] == ' ' || h[-1] == '\t')) {
                *h = '\0';
                break;
            }
        }
        char *s = trim(copy);
        if (!*s) {
            free(copy);
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            dg_buf q;
            dg_buf_init(&q);
            dg_diags_add(diags, DG_SEV_ERROR, path, line,
                         "expected 'rule = value', found \"%s\"",
                         dg_quote(s, 60, &q));
            dg_buf_finish(&q);
            free(copy);
            continue;
        }
        *eq = '\0';
        char *rule = trim(s), *value = trim(eq + 1);
        char msg[512];
        /* a baseline path is relative to the policy file */
        dg_buf full;
        dg_buf_init(&full);
        if (strcmp(rule, "no-new-loops") == 0 && value[0] && value[0] != '/' &&
            strrchr(path, '/')) {
            dg_buf_put(&full, path, (size_t)(strrchr(path, '/') - path + 1));
            dg_buf_puts(&full, value);
            value = full.data ? full.data : value;
        }
        bool oom = full.oom;
        if (!oom && !dg_policy_set(p, rule, value, msg, sizeof msg)) {
            oom = strcmp(msg, "out of memory") == 0;
            if (!oom)
                dg_diags_add(diags, DG_SEV_ERROR, path, line, "%s", msg);
        }
        dg_buf_finish(&full);
        free(copy);
        if (oom) {
            rc = DG_ENOMEM;
            break;
        }
    }
    free(data);
    if (rc == DG_OK && diags->errors > before)
        rc = DG_EINPUT;
    return rc;
}
