/*
 * cmd_stress.c - dealgraph stress: what the other companies lose when the
 * focal company cannot pay. DebtRank (Bardoscia et al. 2015, its
 * non-linear form of 2016, or the single-pass form of Battiston et al.
 * 2012) or Eisenberg–Noe clearing (with Rogers–Veraart bankruptcy costs),
 * on the contracts of the ledger (the default) or at face value; with the
 * revenue the focus's sellers lose and Monte Carlo bands.
 * Ledger mapping and limits: docs/methods.md §4-§6 and §10.
 */
#include "cli.h"
#include "dealgraph/contracts.h"
#include "dealgraph/stressrun.h"
#include "dealgraph/text.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char about[] =
    "Shocks the focal company and follows the losses through the ledger.\n"
    "Exposures (--exposures):\n"
    "  contracts  (default) what a company loses if another fails, at the\n"
    "             valuation date (--as-of, else the ledger's as_of): its\n"
    "             stakes as paid in, and the loss rate (--lgd) of each kind\n"
    "             times the payments due to it within the horizon\n"
    "             (--horizon); pledges (up-to ceilings, loi, talks) count 0\n"
    "             unless --firmness weights every leg by its probability.\n"
    "  face       every leg at face value, equity and debt legs both ways,\n"
    "             every leg due now (the first stage's stress, for\n"
    "             comparison).\n"
    "Models (--model):\n"
    "  debtrank         DebtRank of Bardoscia et al. (2015): the focus starts\n"
    "                   at relative equity loss SHORTFALL; every increase of a\n"
    "                   company's distress passes on to those exposed to it,\n"
    "                   in proportion to exposure over their equity. --alpha\n"
    "                   makes it non-linear (Bardoscia et al. 2016).\n"
    "  debtrank-single  the single-pass DebtRank of Battiston et al. (2012):\n"
    "                   each company passes its distress on once.\n"
    "  clearing         Eisenberg-Noe clearing (2001) of the obligations due\n"
    "                   within the horizon (face: every leg, due now); each\n"
    "                   company pays from its `cash` plus what it receives,\n"
    "                   pro rata when short, less the bankruptcy costs of\n"
    "                   --recovery-assets and --recovery-claims (Rogers and\n"
    "                   Veraart 2013); the focus's cash is cut by SHORTFALL.\n"
    "Companies without `equity` (or, for clearing, `cash`) are named in a\n"
    "warning and left out, never counted as zero. See docs/methods.md.\n"
    "The focus comes first, then the companies by relative loss (clearing:\n"
    "by loss), largest first; unknown values last; ties by name.";

/* ---- options ------------------------------------------------------------- */

/* What the options hold before they are checked against each other: a
 * value that was not given is NaN, 0 or false. */
typedef struct stress_opts {
    dg_stress_model model;
    double shortfall;
    size_t top; /* 0: every company */
    int exposures;
    int capital;
    bool capital_given;
    int horizon;  /* months; 0 = not given */
    double lgd[DG_KIND_COUNT];
    bool lgd_given;
    bool firmness;
    dg_firmness prob;
    bool prob_given;
    double alpha, recovery_assets, recovery_claims, leverage_limit;
    size_t draws;
    uint64_t seed;
    bool seed_given;
} stress_opts;

static void stress_defaults(void *opts)
{
    dg_stress_options so;
    dg_stress_options_init(&so);
    stress_opts *o = opts;
    o->model = so.model;
    o->shortfall = so.shortfall;
    o->exposures = so.exposures;
    o->capital = so.capital;
    for (int k = 0; k < DG_KIND_COUNT; k++)
        o->lgd[k] = so.contracts.lgd[k];
    o->prob = so.contracts.prob;
    o->alpha = o->recovery_assets = o->recovery_claims = NAN;
    o->leverage_limit = NAN;
    o->seed = 1;
}

/* A model the library knows by name, or "CMD: unknown <what> 'X' for
 * --NAME; <how>". */
static bool parse_model(const char *cmd, const cli_option *o, const char *arg,
                        void *dst)
{
    if (dg_stress_model_parse(arg, dst))
        return true;
    cli_error("%s: unknown %s '%s' for --%s; %s", cmd, o->value->what, arg,
              o->name, o->value->how);
    return false;
}

/* A plain decimal number (no hexadecimal float, no "nan", no "inf"),
 * into *v; false when the text is none. */
static bool plain_number(const char *arg, double *v)
{
    const char *p = arg + (*arg == '+' || *arg == '-');
    char *end = NULL;
    errno = 0;
    *v = NAN;
    if (isdigit((unsigned char)*p) || *p == '.')
        *v = strtod(arg, &end);
    return end && end != arg && !*end && errno != ERANGE && isfinite(*v) &&
           !strpbrk(arg, "xX");
}

/* A fraction in [0, 1]: two messages, one for text that is no number and
 * one for a number out of range, that the generic parsers do not give. */
static bool parse_shortfall(const char *cmd, const cli_option *o,
                            const char *arg, void *dst)
{
    double v;
    if (!plain_number(arg, &v)) {
        cli_error("%s: --%s '%s' is not a number; %s, from 0 to 1 (0.25 for "
                  "25%%)",
                  cmd, o->name, arg, o->value->how);
        return false;
    }
    if (!(v >= o->value->min && v <= o->value->max)) {
        cli_error("%s: --%s %s is outside 0 to 1; %s (0.25 for 25%%)", cmd,
                  o->name, arg, o->value->how);
        return false;
    }
    *(double *)dst = v == 0.0 ? 0.0 : v; /* no negative zero in the output */
    return true;
}

/* A plain number in the option's range: "CMD: --NAME 'X' is not a
 * number; HOW" or "CMD: --NAME X is outside RANGE; HOW". The range is
 * [min, max], or (0, max] when min is -0 (an open lower end), and has no
 * upper end when max is 0. */
static bool parse_ranged(const char *cmd, const cli_option *o,
                         const char *arg, void *dst)
{
    double v;
    const cli_value *r = o->value;
    if (!plain_number(arg, &v)) {
        cli_error("%s: --%s '%s' is not a number; %s", cmd, o->name, arg,
                  r->how);
        return false;
    }
    bool open = signbit(r->min) && r->min == 0.0;
    bool ok = (open ? v > 0.0 : v >= r->min) && (r->max == 0 || v <= r->max);
    if (!ok) {
        cli_error("%s: --%s %s is %s; %s", cmd, o->name, arg, r->what,
                  r->how);
        return false;
    }
    *(double *)dst = v == 0.0 ? 0.0 : v;
    return true;
}

static bool parse_exposures(const char *cmd, const cli_option *o,
                            const char *arg, void *dst)
{
    dg_exposures e;
    if (dg_exposures_parse(arg, &e)) {
        *(int *)dst = (int)e;
        return true;
    }
    cli_error("%s: unknown mapping '%s' for --%s; use contracts (the default) "
              "or face",
              cmd, arg, o->name);
    return false;
}

static bool parse_capital(const char *cmd, const cli_option *o,
                          const char *arg, void *dst)
{
    dg_capital c;
    if (dg_capital_parse(arg, &c)) {
        stress_opts *so =
            (stress_opts *)((char *)dst - offsetof(stress_opts, capital));
        so->capital = (int)c;
        so->capital_given = true;
        return true;
    }
    cli_error("%s: unknown capital basis '%s' for --%s; use book or market",
              cmd, arg, o->name);
    return false;
}

static bool parse_horizon(const char *cmd, const cli_option *o,
                          const char *arg, void *dst)
{
    int months;
    if (!dg_term_parse(arg, &months) || months < 1 ||
        months > DG_HORIZON_MAX_MONTHS) {
        cli_error("%s: --%s '%s' is not a horizon; give years or months, as "
                  "2y or 18m, at most 100y",
                  cmd, o->name, arg);
        return false;
    }
    *(int *)dst = months;
    return true;
}

/* "k1=v1,k2=v2": calls `set` for each pair; "CMD: --NAME: ..." on a
 * malformed one. */
typedef bool (*pair_fn)(const char *cmd, const char *opt, const char *key,
                        const char *value, void *dst);

static bool parse_pairs(const char *cmd, const char *opt, const char *arg,
                        pair_fn set, void *dst)
{
    char *copy = strdup(arg);
    if (!copy) {
        cli_out_of_memory();
        return false;
    }
    bool ok = true;
    char *p = copy;
    if (!*p) {
        cli_error("%s: --%s '' names nothing; give KEY=VALUE pairs separated "
                  "by commas",
                  cmd, opt);
        ok = false;
    }
    while (ok && p) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        char *eq = strchr(p, '=');
        if (!eq || eq == p) {
            cli_error("%s: --%s '%s' is not KEY=VALUE; give pairs such as "
                      "cloud=0.35, separated by commas",
                      cmd, opt, p);
            ok = false;
            break;
        }
        *eq = '\0';
        ok = set(cmd, opt, p, eq + 1, dst);
        p = comma ? comma + 1 : NULL;
    }
    free(copy);
    return ok;
}

static bool rate_value(const char *cmd, const char *opt, const char *key,
                       const char *value, double *out)
{
    double v;
    if (!plain_number(value, &v) || !(v >= 0.0 && v <= 1.0)) {
        cli_error("%s: --%s %s=%s is not a %s from 0 to 1; give a plain "
                  "number (0.35 for 35%%)",
                  cmd, opt, key, value,
                  strcmp(opt, "lgd") == 0       ? "loss rate"
                  : strcmp(key, "ceiling") == 0 ? "share"
                                                : "probability");
        return false;
    }
    *out = v == 0.0 ? 0.0 : v;
    return true;
}

static bool set_lgd(const char *cmd, const char *opt, const char *key,
                    const char *value, void *dst)
{
    stress_opts *o = dst;
    dg_kind k;
    if (!dg_kind_parse(key, &k)) {
        cli_error("%s: --%s: unknown kind '%s'; use chips, cloud, services, "
                  "equity, warrant, debt, lease or backstop",
                  cmd, opt, key);
        return false;
    }
    return rate_value(cmd, opt, key, value, &o->lgd[k]);
}

static bool parse_lgd(const char *cmd, const cli_option *o, const char *arg,
                      void *dst)
{
    stress_opts *so = (stress_opts *)((char *)dst - offsetof(stress_opts, lgd));
    so->lgd_given = true;
    return parse_pairs(cmd, o->name, arg, set_lgd, so);
}

static bool set_prob(const char *cmd, const char *opt, const char *key,
                     const char *value, void *dst)
{
    stress_opts *o = dst;
    dg_status s;
    if (strcmp(key, "ceiling") == 0)
        return rate_value(cmd, opt, key, value, &o->prob.ceiling);
    if (!dg_status_parse(key, &s)) {
        cli_error("%s: --%s: unknown status '%s'; use completed, definitive, "
                  "announced, reported, loi, talks or ceiling",
                  cmd, opt, key);
        return false;
    }
    return rate_value(cmd, opt, key, value, &o->prob.status[s]);
}

static bool parse_prob(const char *cmd, const cli_option *o, const char *arg,
                       void *dst)
{
    stress_opts *so =
        (stress_opts *)((char *)dst - offsetof(stress_opts, prob));
    so->prob_given = true;
    return parse_pairs(cmd, o->name, arg, set_prob, so);
}

static bool parse_seed(const char *cmd, const cli_option *o, const char *arg,
                       void *dst)
{
    stress_opts *so =
        (stress_opts *)((char *)dst - offsetof(stress_opts, seed));
    so->seed_given = true;
    return cli_parse_u64(cmd, o, arg, dst);
}

static const cli_value model_value = {
    .what = "model",
    .how = "use debtrank, debtrank-single or clearing",
};

static const cli_value shortfall_value = {
    .how = "give the share of what the focus owes that goes unpaid",
    .min = 0.0,
    .max = 1.0,
};

static const cli_value top_value = {
    .what = "a whole number of at least 1",
    .how = "give how many companies to show",
    .min = 1,
};

static const cli_value alpha_value = {
    .what = "below 0",
    .how = "give the non-linearity of DebtRank, 0 or more (0 is linear "
           "DebtRank)",
    .min = 0.0,
};

static const cli_value recovery_assets_value = {
    .what = "outside (0, 1]",
    .how = "give the share of its outside assets a defaulting company "
           "realises, above 0 and at most 1 (1: no bankruptcy costs)",
    .min = -0.0,
    .max = 1.0,
};

static const cli_value recovery_claims_value = {
    .what = "outside (0, 1]",
    .how = "give the share of what it receives that a defaulting company "
           "passes on, above 0 and at most 1 (1: no bankruptcy costs)",
    .min = -0.0,
    .max = 1.0,
};

static const cli_value leverage_value = {
    .what = "not above 0",
    .how = "give the debt / EBITDA multiple above which a seller is "
           "strained, as 4 for 4x",
    .min = -0.0,
};

static const cli_value draws_value = {
    .what = "a number of draws from 1 to 10000000",
    .how = "give how many Monte Carlo draws to run, as 10000",
    .min = 1,
    .max = 10000000,
};

static const cli_value seed_value = {
    .what = "a whole number",
    .how = "give the seed of the draws, as 1",
};

#define AT(f) offsetof(stress_opts, f)

static const cli_option options[] = {
    {"model", 0, "MODEL", "debtrank (default), debtrank-single, clearing",
     parse_model, AT(model), &model_value},
    {"shortfall", 0, "F",
     "the share of what the focus owes that goes unpaid, from 0 to 1 "
     "(default 1: it pays nothing)",
     parse_shortfall, AT(shortfall), &shortfall_value},
    {"exposures", 0, "contracts|face",
     "contracts (default): stakes paid in and payments due within the "
     "horizon at a loss rate; face: every leg at face value, the first "
     "stage's stress",
     parse_exposures, AT(exposures), NULL},
    {"horizon", 0, "TERM",
     "contracts: count payments due within TERM after the valuation date "
     "(default 2y; 18m for 18 months)",
     parse_horizon, AT(horizon), NULL},
    {"lgd", 0, "KIND=RATE,...",
     "contracts: loss rates per kind, from 0 to 1 (defaults chips 0.5, "
     "cloud 0.35, services 0.5, lease 0.5, backstop, equity, debt and "
     "warrant 1; docs/methods.md gives their sources)",
     parse_lgd, AT(lgd), NULL},
    {"capital", 0, "book|market",
     "contracts: the capital basis every company should be on (default "
     "book); companies on another are named in a warning",
     parse_capital, AT(capital), NULL},
    {"firmness", 0, NULL,
     "contracts: weight every leg by the probability that it happens, by "
     "status, and realise ceilings at a share (see --probabilities)",
     NULL, AT(firmness), NULL},
    {"probabilities", 0, "STATUS=P,...",
     "the probabilities of --firmness and --draws by status, and "
     "ceiling=SHARE (defaults completed 1, definitive 0.9, announced 0.75, "
     "reported 0.6, loi 0.3, talks 0.15, ceiling 0.5)",
     parse_prob, AT(prob), NULL},
    {"alpha", 0, "A",
     "debtrank: non-linear DebtRank (Bardoscia et al. 2016) with parameter "
     "A >= 0: 0 is linear DebtRank, large A a default cascade",
     parse_ranged, AT(alpha), &alpha_value},
    {"recovery-assets", 0, "A",
     "clearing: a defaulting company realises A of its outside assets "
     "(Rogers and Veraart 2013; default 1)",
     parse_ranged, AT(recovery_assets), &recovery_assets_value},
    {"recovery-claims", 0, "B",
     "clearing: a defaulting company passes on B of what it receives "
     "(default 1)",
     parse_ranged, AT(recovery_claims), &recovery_claims_value},
    {"leverage-limit", 0, "X",
     "contracts: the debt / EBITDA above which a seller of the focus is "
     "strained in the revenue stress (default 4)",
     parse_ranged, AT(leverage_limit), &leverage_value},
    {"draws", 0, "N",
     "contracts: Monte Carlo over the legs' firmness, ceilings and estimate "
     "ranges: p5 / p50 / p95 of the headline figures",
     cli_parse_count, AT(draws), &draws_value},
    {"seed", 0, "S", "the seed of --draws (default 1)", parse_seed, AT(seed),
     &seed_value},
    {"top", 0, "N",
     "show only the first N rows: the focus and the N-1 companies that lose "
     "most",
     cli_parse_count, AT(top), &top_value},
    {NULL, 0, NULL, NULL, NULL, 0, NULL},
};

#undef AT

/* The options that only make sense together, checked once all are read:
 * one line, exit 2. */
static bool check_options(const stress_opts *o)
{
    bool face = o->exposures == DG_EXPOSURES_FACE;
    const char *contracts_only[] = {
        o->horizon ? "--horizon" : NULL,
        o->lgd_given ? "--lgd" : NULL,
        o->capital_given ? "--capital" : NULL,
        o->firmness ? "--firmness" : NULL,
        o->prob_given ? "--probabilities" : NULL,
        dg_has(o->leverage_limit) ? "--leverage-limit" : NULL,
        o->draws ? "--draws" : NULL,
    };
    for (size_t k = 0; face && k < sizeof contracts_only / sizeof(char *);
         k++)
        if (contracts_only[k]) {
            cli_error("stress: %s applies to --exposures contracts; the "
                      "face-value mapping counts every leg in full",
                      contracts_only[k]);
            return false;
        }
    if (dg_has(o->alpha) && o->model != DG_MODEL_DEBTRANK) {
        cli_error("stress: --alpha applies to --model debtrank (non-linear "
                  "DebtRank), not to %s",
                  dg_stress_model_name(o->model));
        return false;
    }
    if ((dg_has(o->recovery_assets) || dg_has(o->recovery_claims)) &&
        o->model != DG_MODEL_CLEARING) {
        cli_error("stress: --%s applies to --model clearing (bankruptcy "
                  "costs), not to %s",
                  dg_has(o->recovery_assets) ? "recovery-assets"
                                             : "recovery-claims",
                  dg_stress_model_name(o->model));
        return false;
    }
    if (o->seed_given && !o->draws) {
        cli_error("stress: --seed applies to --draws; give --draws N");
        return false;
    }
    if (o->prob_given && !o->firmness && !o->draws) {
        cli_error("stress: --probabilities applies to --firmness and "
                  "--draws; give one of them");
        return false;
    }
    return true;
}

/* ---- the order of the rows ----------------------------------------------- */

/* A row with what it is sorted by, so that the comparison needs nothing
 * else. */
typedef struct ranked {
    const dg_stress_row *row;
    const char *name;
    bool focus;
    double first, second; /* the keys, larger first; NaN last */
} ranked;

/* Larger first, NaN last; 0 when equal or both NaN. */
static int desc(double u, double v)
{
    bool hu = dg_has(u), hv = dg_has(v);
    if (hu != hv)
        return hu ? -1 : 1;
    if (hu && u != v)
        return u > v ? -1 : 1;
    return 0;
}

static int compare_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->focus != y->focus)
        return x->focus ? -1 : 1; /* the focus first */
    int c = desc(x->first, y->first);
    if (!c)
        c = desc(x->second, y->second);
    if (!c)
        c = strcmp(x->name, y->name);
    return c;
}

/* The rows of `s`, the focus first, then by relative loss and loss
 * (clearing: loss, then relative loss), then by name; malloc'd, or NULL. */
static ranked *rank_rows(const dg_ledger *l, const dg_stress_result *s)
{
    ranked *rows = malloc((s->n ? s->n : 1) * sizeof *rows);
    if (!rows)
        return NULL;
    bool clearing = s->model == DG_MODEL_CLEARING;
    for (size_t k = 0; k < s->n; k++) {
        const dg_stress_row *r = &s->rows[k];
        rows[k] = (ranked){r, l->companies[r->company].name,
                           r->company == s->focus,
                           clearing ? r->loss : r->relative_loss,
                           clearing ? r->relative_loss : r->loss};
    }
    qsort(rows, s->n, sizeof *rows, compare_ranked);
    return rows;
}

/* ---- the table ----------------------------------------------------------- */

enum { D_NAME, D_EQUITY, D_CLAIMS, D_REL, D_LOSS, D_DEFAULT, D_NCOLS };
enum {
    C_NAME, C_EQUITY, C_BASIS, C_CLAIMS, C_REL, C_LOSS, C_DEFAULT, C_NCOLS
};
enum {
    K_NAME, K_CASH, K_OWES, K_PAYS, K_PAID, K_CLAIMS, K_LOSS, K_REL,
    K_EQUITY, K_DEFAULT, K_NCOLS
};

static const cli_column debtrank_columns[D_NCOLS] = {
    {"name", "company"},
    {"equity", "equity"},
    {"claims_on_focus", "claims on the focus"}, /* titled in add_table */
    {"relative_loss", "relative loss"},
    {"loss", "loss"},
    {"defaulted", "defaulted"},
};

static const cli_column contract_columns[C_NCOLS] = {
    {"name", "company"},
    {"equity", "capital"},
    {"basis", "basis"},
    {"claims_on_focus", "claims on the focus"}, /* titled in add_table */
    {"relative_loss", "relative loss"},
    {"loss", "loss"},
    {"defaulted", "defaulted"},
};

static const cli_column clearing_columns[K_NCOLS] = {
    {"name", "company"},
    {"cash", "cash"},
    {"obligation", "owes"},
    {"payment", "pays"},
    {"paid_share", "paid"},
    {"claims_on_focus", "claims on the focus"}, /* titled in add_table */
    {"loss", "unpaid to it"},
    {"relative_loss", "of equity"},
    {"equity", "equity after"},
    {"defaulted", "defaulted"},
};

static void defaulted_cell(cli_table *t, size_t col, const dg_stress_row *r)
{
    if (r->defaulted_known)
        cli_table_bool(t, col, r->defaulted);
    else
        cli_table_text(t, col, "n/a");
}

static const char *basis_text(const char *basis)
{
    if (!basis)
        return "n/a";
    return strcmp(basis, "private_round") == 0 ? "private round" : basis;
}

static void add_row(cli_table *t, const dg_stress_result *s, const ranked *x,
                    bool machine)
{
    const dg_stress_row *r = x->row;
    char name[160];
    if (!machine && x->focus)
        snprintf(name, sizeof name, "%s (focus)", x->name);
    else
        snprintf(name, sizeof name, "%s", x->name);
    cli_table_row(t);
    if (s->model == DG_MODEL_CLEARING) {
        cli_table_text(t, K_NAME, name);
        if (dg_has(r->cash))
            cli_table_money(t, K_CASH, r->cash);
        else if (!machine)
            cli_table_text(t, K_CASH, "n/a");
        cli_table_money(t, K_OWES, r->obligation);
        cli_table_money(t, K_PAYS, r->payment);
        if (r->obligation > 0.0)
            cli_table_share(t, K_PAID, r->payment / r->obligation);
        if (dg_has(r->claims_on_focus))
            cli_table_money(t, K_CLAIMS, r->claims_on_focus);
        cli_table_money(t, K_LOSS, r->loss);
        cli_table_share(t, K_REL, r->relative_loss);
        if (dg_has(r->equity_after))
            cli_table_money(t, K_EQUITY, r->equity_after);
        else if (!machine)
            cli_table_text(t, K_EQUITY, "n/a");
        if (r->defaulted_known || !machine)
            defaulted_cell(t, K_DEFAULT, r);
        return;
    }
    bool contracts = s->exposures == DG_EXPOSURES_CONTRACTS;
    size_t equity = contracts ? C_EQUITY : D_EQUITY,
           claims = contracts ? C_CLAIMS : D_CLAIMS,
           rel = contracts ? C_REL : D_REL, loss = contracts ? C_LOSS : D_LOSS,
           dflt = contracts ? C_DEFAULT : D_DEFAULT;
    cli_table_text(t, D_NAME, name);
    if (dg_has(r->equity))
        cli_table_money(t, equity, r->equity);
    else if (!machine)
        cli_table_text(t, equity, "n/a");
    if (contracts && (r->basis || !machine) && dg_has(r->equity))
        cli_table_text(t, C_BASIS,
                       machine ? r->basis : basis_text(r->basis));
    if (dg_has(r->claims_on_focus))
        cli_table_money(t, claims, r->claims_on_focus);
    cli_table_share(t, rel, r->relative_loss);
    if (dg_has(r->loss))
        cli_table_money(t, loss, r->loss);
    else if (!machine)
        cli_table_text(t, loss, "n/a");
    if (r->defaulted_known || !machine)
        defaulted_cell(t, dflt, r);
}

/* The rows as a table for people (text, Markdown) or for CSV. */
static void add_table(cli_doc *d, const dg_ledger *l, const dg_stress_result *s,
                      const ranked *rows, size_t nrows, unsigned formats)
{
    bool clearing = s->model == DG_MODEL_CLEARING;
    bool contracts = s->exposures == DG_EXPOSURES_CONTRACTS;
    cli_table t;
    cli_table_init(&t,
                   clearing    ? clearing_columns
                   : contracts ? contract_columns
                               : debtrank_columns,
                   clearing ? K_NCOLS : contracts ? C_NCOLS : D_NCOLS);
    char title[160];
    snprintf(title, sizeof title, clearing ? "owed by %s" : "claims on %s",
             l->companies[s->focus].name);
    cli_table_title(&t, clearing ? K_CLAIMS : contracts ? C_CLAIMS : D_CLAIMS,
                    title);
    for (size_t k = 0; k < nrows; k++)
        add_row(&t, s, &rows[k], formats == DOC_CSV);
    doc_table(d, &t, formats);
}

/* ---- words --------------------------------------------------------------- */

static void pct(char *buf, size_t n, double share)
{
    if (dg_has(share))
        snprintf(buf, n, "%.1f%%", share * 100.0);
    else
        snprintf(buf, n, "n/a");
}

/* A share for a sentence: "25%", "12.5%". */
static void pct_short(char *buf, size_t n, double share)
{
    double v = share * 100.0;
    if (v == floor(v))
        snprintf(buf, n, "%.0f%%", v);
    else
        snprintf(buf, n, "%.4g%%", v);
}

static const char *model_title(const dg_stress_result *s)
{
    switch (s->model) {
    case DG_MODEL_DEBTRANK:
        return s->alpha > 0.0
                   ? "non-linear DebtRank (Bardoscia et al. 2016): a "
                     "company at relative loss h passes on h exp(alpha "
                     "(h - 1)) of its claims' value, so small losses pass "
                     "on less than in linear DebtRank and a default in "
                     "full"
                   : "DebtRank (Bardoscia et al. 2015): every increase in "
                     "a company's distress passes on to those exposed to "
                     "it, in proportion to exposure over their equity, "
                     "round after round";
    case DG_MODEL_DEBTRANK_SINGLE:
        return "single-pass DebtRank (Battiston et al. 2012): each company "
               "passes its distress on once, so losses that come back round a "
               "loop are not passed on again";
    default:
        if (s->exposures == DG_EXPOSURES_CONTRACTS)
            return s->recovery_assets < 1.0 || s->recovery_claims < 1.0
                       ? "clearing with bankruptcy costs (Rogers and "
                         "Veraart 2013) of the obligations due within the "
                         "horizon: each company pays from its cash plus "
                         "what it receives, pro rata when it falls short, "
                         "and a defaulter passes on only part of it"
                       : "Eisenberg-Noe clearing (2001) of the obligations "
                         "due within the horizon: each company pays from "
                         "its cash plus what it receives, pro rata when it "
                         "falls short";
        return "Eisenberg-Noe clearing (2001): every leg is an obligation due "
               "now; each company pays from its cash plus what it receives, "
               "pro rata when it falls short";
    }
}

/* The title and the lines under it: the ledger, the shock, the legs. */
static void lede(cli_doc *d, const dg_ledger *l, const dg_stress_result *s,
                 const cli_common *c)
{
    const dg_company *fc = &l->companies[s->focus];
    char a[32], b[32], p[32];
    pct_short(p, sizeof p, s->shortfall);
    if (s->model != DG_MODEL_CLEARING)
        doc_heading(d, 2, "Stress test: %s leaves %s of what it owes unpaid",
                    fc->name, p);
    else if (s->shortfall > 0.0)
        doc_heading(d, 2, "Stress test: %s's cash cut by %s, network cleared",
                    fc->name, p);
    else
        doc_heading(d, 2, "Stress test: the network cleared as it stands");
    doc_line(d, "%s%s%s; amounts: %s", l->path, l->title ? ": " : "",
             l->title ? l->title : "", dg_amounts_name(c->filter.amounts));
    if (s->model == DG_MODEL_CLEARING && s->shortfall == 0.0)
        doc_line(d, "shock: none (--shortfall 0): the network clears as it "
                    "stands");
    else if (s->model == DG_MODEL_CLEARING)
        doc_line(d, "shock: %s's cash is cut by %s, from %s to %s", fc->name,
                 p, dg_money_format(fc->cash, a, sizeof a),
                 dg_money_format((1.0 - s->shortfall) * fc->cash, b,
                                 sizeof b));
    else
        doc_line(d, "shock: %s starts at a relative equity loss of %s",
                 fc->name, p);
    if (s->exposures == DG_EXPOSURES_CONTRACTS) {
        char t0[16], m1[16], m2[16];
        doc_line(d,
                 "exposures: on contracts, valued at %s, payments due %s to "
                 "%s",
                 dg_date_format(s->t0, t0, sizeof t0),
                 dg_month_text(s->first_month, m1, sizeof m1),
                 dg_month_text(s->end_month - 1, m2, sizeof m2));
    } else {
        doc_line(d, "exposures: at face value (--exposures face)");
    }
    doc_line(d, "%zu legs pass the filters: %zu with a value, %zu undisclosed",
             s->legs, s->valued, s->undisclosed);
    doc_note(d, "Model: %s.", model_title(s));
}

/* ---- the assumptions ----------------------------------------------------- */

enum { A_WHAT, A_VALUE, A_WHY, A_NCOLS };
static const cli_column assumption_columns[A_NCOLS] = {
    {"assumption", "assumption"},
    {"value", "value"},
    {"source", "source"},
};

/* Where each default loss rate comes from, in a few words (docs/methods.md
 * has the sources in full). */
static const char *lgd_source(dg_kind k)
{
    switch (k) {
    case DG_KIND_CHIPS:
        return "gross margin forgone: AMD 52%, NVIDIA 73% (Q3 2025); the "
               "lower, as sold-out GPUs find other buyers";
    case DG_KIND_CLOUD:
        return "Oracle's stated 35% gross margin on AI infrastructure (Oct "
               "2025); 14% was reported earned";
    case DG_KIND_SERVICES:
        return "judgement: about OpenAI's reported ~48% gross margin";
    case DG_KIND_LEASE:
        return "judgement: rent until the site is re-let";
    case DG_KIND_BACKSTOP:
        return "the guarantee pays for unsold capacity: nothing to resell";
    default:
        return "the claim in full, as DebtRank counts it";
    }
}

static void assumptions_table(cli_doc *d, const dg_stress_result *s,
                              const stress_opts *o, const dg_ledger *l,
                              const cli_common *c)
{
    cli_table t;
    cli_table_init(&t, assumption_columns, A_NCOLS);
    char v[160], w[160], m1[16], m2[16], t0[16];
    cli_table_row(&t);
    cli_table_text(&t, A_WHAT, "valuation date");
    cli_table_text(&t, A_VALUE, dg_date_format(s->t0, t0, sizeof t0));
    cli_table_text(&t, A_WHY,
                   dg_date_valid(c->filter.as_of) ? "--as-of"
                                                  : "the ledger's as_of");
    cli_table_row(&t);
    cli_table_text(&t, A_WHAT, "horizon");
    snprintf(v, sizeof v, "%d months: %s to %s", s->end_month - s->first_month,
             dg_month_text(s->first_month, m1, sizeof m1),
             dg_month_text(s->end_month - 1, m2, sizeof m2));
    cli_table_text(&t, A_VALUE, v);
    cli_table_text(&t, A_WHY,
                   o->horizon ? "--horizon"
                              : "default: a rating review's two years");
    for (int k = 0; k < DG_KIND_COUNT; k++) {
        cli_table_row(&t);
        snprintf(w, sizeof w, "loss rate, %s", dg_kind_name((dg_kind)k));
        cli_table_text(&t, A_WHAT, w);
        cli_table_share(&t, A_VALUE, o->lgd[k]);
        bool given = o->lgd[k] != dg_lgd_default((dg_kind)k);
        cli_table_text(&t, A_WHY, given ? "--lgd" : lgd_source((dg_kind)k));
    }
    cli_table_row(&t);
    cli_table_text(&t, A_WHAT, "capital basis");
    cli_table_text(&t, A_VALUE, dg_capital_name((dg_capital)o->capital));
    snprintf(w, sizeof w, "%s; %zu companies on another (warned)",
             o->capital_given ? "--capital" : "default", s->basis_differs);
    cli_table_text(&t, A_WHY, w);
    cli_table_row(&t);
    cli_table_text(&t, A_WHAT, "firmness");
    if (o->firmness || o->draws) {
        const dg_firmness *p = &o->prob;
        snprintf(v, sizeof v,
                 "completed %g, definitive %g, announced %g, reported %g, "
                 "loi %g, talks %g; ceilings at %g",
                 p->status[DG_STATUS_COMPLETED],
                 p->status[DG_STATUS_DEFINITIVE],
                 p->status[DG_STATUS_ANNOUNCED],
                 p->status[DG_STATUS_REPORTED], p->status[DG_STATUS_LOI],
                 p->status[DG_STATUS_TALKS], p->ceiling);
        cli_table_text(&t, A_VALUE, v);
        cli_table_text(&t, A_WHY,
                       o->prob_given ? "--probabilities"
                                     : "default: judgement (docs/methods.md)");
    } else {
        cli_table_text(&t, A_VALUE,
                       "off: pledges and unfunded stakes 0, firm contracts "
                       "in full");
        cli_table_text(&t, A_WHY, "default (--firmness weights them)");
    }
    if (s->model == DG_MODEL_CLEARING) {
        cli_table_row(&t);
        cli_table_text(&t, A_WHAT, "recovery in default");
        snprintf(v, sizeof v, "outside assets %g, claims %g",
                 s->recovery_assets, s->recovery_claims);
        cli_table_text(&t, A_VALUE, v);
        cli_table_text(&t, A_WHY,
                       s->recovery_assets < 1.0 || s->recovery_claims < 1.0
                           ? "--recovery-assets, --recovery-claims"
                           : "default: no bankruptcy costs");
    }
    if (s->model == DG_MODEL_DEBTRANK) {
        cli_table_row(&t);
        cli_table_text(&t, A_WHAT, "non-linearity alpha");
        snprintf(v, sizeof v, "%g", s->alpha);
        cli_table_text(&t, A_VALUE, v);
        cli_table_text(&t, A_WHY,
                       s->alpha > 0.0 ? "--alpha" : "default: linear");
    }
    if (s->nrevenue) {
        cli_table_row(&t);
        cli_table_text(&t, A_WHAT, "leverage limit");
        snprintf(v, sizeof v, "%gx debt / EBITDA", s->leverage_limit);
        cli_table_text(&t, A_VALUE, v);
        cli_table_text(&t, A_WHY,
                       dg_has(o->leverage_limit)
                           ? "--leverage-limit"
                           : "default: the ~4x Moody's flagged at Oracle");
    }
    (void)l;
    doc_table(d, &t, DOC_HUMAN);
}

/* ---- why a company defaults ---------------------------------------------- */

/* One claim in words: "$21B lost of $21B on OpenAI (cloud OpenAI -> Oracle,
 * deal D01, line 42: 35% of $60B due)". */
static void claim_text(dg_buf *b, const dg_ledger *l,
                       const dg_stress_result *s, const dg_stress_claim *cl)
{
    const dg_leg *leg = &l->legs[cl->leg];
    char a[32], x[32], y[32];
    dg_buf_printf(b, "%s of %s on %s (%s %s -> %s",
                  dg_money_format(cl->lost, a, sizeof a),
                  dg_money_format(cl->amount, x, sizeof x),
                  l->companies[cl->obligor].name, dg_kind_name(leg->kind),
                  l->companies[leg->from].name, l->companies[leg->to].name);
    if (leg->deal)
        dg_buf_printf(b, ", deal %s", leg->deal);
    dg_buf_printf(b, ", line %ld", leg->line);
    bool stake = leg->kind == DG_KIND_EQUITY || leg->kind == DG_KIND_DEBT ||
                 leg->kind == DG_KIND_WARRANT;
    if (s->exposures == DG_EXPOSURES_CONTRACTS &&
        s->model != DG_MODEL_CLEARING && !stake) {
        char r[32];
        pct_short(r, sizeof r, cl->rate);
        dg_buf_printf(b, ": %s of %s due in the horizon", r,
                      dg_money_format(cl->base, y, sizeof y));
    } else if (s->exposures == DG_EXPOSURES_CONTRACTS &&
               s->model != DG_MODEL_CLEARING) {
        dg_buf_printf(b, ": %s paid in", leg->kind == DG_KIND_DEBT
                                             ? "the loan"
                                             : "the stake");
    } else if (s->model == DG_MODEL_CLEARING) {
        dg_buf_puts(b, ": owed and not paid");
    }
    dg_buf_puts(b, ")");
}

/* One note per company that defaults, naming the claims that caused it. */
static void default_notes(cli_doc *d, const dg_ledger *l,
                          const dg_stress_result *s)
{
    char a[32], b[32];
    for (size_t i = 0; i < s->n; i++) {
        const dg_stress_row *r = &s->rows[i];
        if (!(r->defaulted_known && r->defaulted))
            continue;
        const char *name = l->companies[r->company].name;
        dg_buf t;
        dg_buf_init(&t);
        if (r->company == s->focus && s->model != DG_MODEL_CLEARING &&
            s->shortfall >= 1.0) {
            dg_buf_printf(&t, "%s: the shock itself (--shortfall 1)", name);
        } else if (s->model == DG_MODEL_CLEARING) {
            dg_buf_printf(&t, "%s: owes %s", name,
                          dg_money_format(r->obligation, a, sizeof a));
            dg_buf_printf(&t, " and pays %s",
                          dg_money_format(r->payment, b, sizeof b));
            dg_buf_printf(&t, " from %s of outside assets%s",
                          dg_money_format(r->cash, a, sizeof a),
                          r->company == s->focus && s->shortfall > 0.0
                              ? " (cut by the shock)"
                              : "");
        } else {
            double lost = 0.0;
            for (size_t k = 0; k < r->nclaims; k++)
                lost += s->claims[r->first_claim + k].lost;
            dg_buf_printf(&t, "%s (capital %s): claims lost %s",
                          name, dg_money_format(r->equity, a, sizeof a),
                          dg_money_format(lost, b, sizeof b));
        }
        bool shocked = r->company == s->focus && s->shortfall >= 1.0 &&
                       s->model != DG_MODEL_CLEARING;
        size_t shown = 0;
        double rest = 0.0;
        for (size_t k = 0; k < r->nclaims; k++) {
            const dg_stress_claim *cl = &s->claims[r->first_claim + k];
            if (!(cl->lost > 0.0))
                continue;
            if (shown == 3) {
                rest += cl->lost;
                continue;
            }
            dg_buf_puts(&t, shown++   ? "; "
                            : shocked ? "; its own claims lost too: "
                                      : ": ");
            claim_text(&t, l, s, cl);
        }
        if (rest > 0.0)
            dg_buf_printf(&t, "; and %s more", dg_money_format(rest, a, sizeof a));
        if (!shown && !shocked)
            dg_buf_puts(&t, s->model == DG_MODEL_CLEARING
                                ? ": no claim of it went unpaid; what it "
                                  "owes is more than it has"
                                : ": no claim lost (its own shock)");
        if (t.oom)
            d->oom = true;
        else
            doc_note(d, "%s.", t.data);
        dg_buf_finish(&t);
    }
}

/* ---- JSON ---------------------------------------------------------------- */

static json_t *num_or_null(double v)
{
    return dg_has(v) ? json_real(v) : json_null();
}

static json_t *claims_json(const dg_ledger *l, const dg_stress_result *s,
                           const dg_stress_row *r)
{
    json_t *arr = json_array();
    for (size_t k = 0; arr && k < r->nclaims; k++) {
        const dg_stress_claim *cl = &s->claims[r->first_claim + k];
        const dg_leg *leg = &l->legs[cl->leg];
        json_t *o = json_pack(
            "{s:s, s:s, s:o, s:I, s:f, s:f}", "counterparty",
            l->companies[cl->obligor].name, "kind", dg_kind_name(leg->kind),
            "deal", leg->deal ? json_string(leg->deal) : json_null(), "line",
            (json_int_t)leg->line, "amount", cl->amount, "lost", cl->lost);
        if (json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

static json_t *row_json(const dg_ledger *l, const dg_stress_result *s,
                        const ranked *x)
{
    const dg_stress_row *r = x->row;
    json_t *o = json_pack(
        "{s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "name", x->name, "loss",
        num_or_null(r->loss), "relative_loss", num_or_null(r->relative_loss),
        "defaulted",
        r->defaulted_known ? json_boolean(r->defaulted) : json_null(),
        "claims_on_focus", num_or_null(r->claims_on_focus), "capital_basis",
        r->basis ? json_string(r->basis) : json_null(), "claims",
        claims_json(l, s, r));
    if (o && s->model == DG_MODEL_CLEARING) {
        json_t *more = json_pack("{s:o, s:o}", "payment",
                                 num_or_null(r->payment), "equity",
                                 num_or_null(r->equity_after));
        if (!more || json_object_update(o, more) != 0) {
            json_decref(o);
            o = NULL;
        }
        json_decref(more);
    }
    return o;
}

static json_t *assumptions_json(const dg_stress_result *s,
                                const stress_opts *o)
{
    if (s->exposures != DG_EXPOSURES_CONTRACTS)
        return json_null();
    char m1[16], m2[16];
    json_t *lgd = json_object();
    for (int k = 0; lgd && k < DG_KIND_COUNT; k++)
        if (json_object_set_new(lgd, dg_kind_name((dg_kind)k),
                                json_real(o->lgd[k])) != 0) {
            json_decref(lgd);
            lgd = NULL;
        }
    json_t *firm = json_null();
    if (o->firmness || o->draws) {
        firm = json_object();
        for (int k = 0; firm && k < DG_STATUS_COUNT; k++)
            if (json_object_set_new(firm, dg_status_name((dg_status)k),
                                    json_real(o->prob.status[k])) != 0) {
                json_decref(firm);
                firm = NULL;
            }
        if (firm && json_object_set_new(firm, "ceiling",
                                        json_real(o->prob.ceiling)) != 0) {
            json_decref(firm);
            firm = NULL;
        }
    }
    return json_pack(
        "{s:o, s:i, s:{s:s, s:s}, s:o, s:s, s:o, s:{s:f, s:f}, s:f}",
        "as_of", cli_json_date(s->t0), "horizon_months",
        s->end_month - s->first_month, "window", "first",
        dg_month_text(s->first_month, m1, sizeof m1), "last",
        dg_month_text(s->end_month - 1, m2, sizeof m2), "lgd", lgd, "capital",
        dg_capital_name((dg_capital)o->capital), "firmness", firm, "recovery",
        "assets", s->recovery_assets, "claims", s->recovery_claims,
        "leverage_limit", s->leverage_limit);
}

static json_t *revenue_json(const dg_ledger *l, const dg_stress_result *s)
{
    json_t *arr = json_array();
    for (size_t k = 0; arr && k < s->nrevenue; k++) {
        const dg_stress_revenue *r = &s->revenue[k];
        json_t *o = json_pack(
            "{s:s, s:i, s:f, s:f, s:o, s:o, s:o, s:f, s:o, s:o, s:b}",
            "seller", l->companies[r->seller].name, "year", r->year,
            "payments", r->payments, "lost", r->lost, "revenue",
            num_or_null(r->revenue), "share_of_revenue", num_or_null(r->share),
            "revenue_basis",
            dg_has(r->revenue) ? json_string(dg_basis_name(r->revenue_basis))
                               : json_null(),
            "margin_lost", r->margin_lost, "leverage_before",
            num_or_null(r->leverage_before), "leverage_after",
            num_or_null(r->leverage_after), "breach", r->breach);
        if (json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

static json_t *band_json(dg_band b)
{
    return json_pack("{s:o, s:o, s:o}", "p5", num_or_null(b.p5), "p50",
                     num_or_null(b.p50), "p95", num_or_null(b.p95));
}

static json_t *bands_json(const dg_ledger *l, const dg_stress_bands *b)
{
    json_t *rows = json_array();
    for (size_t k = 0; rows && k < b->n; k++) {
        const dg_stress_band_row *r = &b->rows[k];
        json_t *o = json_pack("{s:s, s:o, s:o, s:o}", "name",
                              l->companies[r->company].name, "relative_loss",
                              band_json(r->relative_loss), "loss",
                              band_json(r->loss), "default_share",
                              num_or_null(r->default_share));
        if (json_array_append_new(rows, o) != 0) {
            json_decref(rows);
            rows = NULL;
        }
    }
    return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o}", "draws",
                     (json_int_t)b->draws, "seed", (json_int_t)b->seed,
                     "debtrank", band_json(b->debtrank), "defaults",
                     band_json(b->defaults), "further_defaults",
                     band_json(b->further_defaults), "loss_others",
                     band_json(b->others_loss), "companies", rows);
}

static json_t *stress_json(const dg_ledger *l, const dg_stress_result *s,
                           const ranked *rows, size_t n, const stress_opts *o,
                           const dg_stress_bands *bands)
{
    json_t *doc = cli_json_document();
    json_t *arr = json_array();
    for (size_t k = 0; doc && arr && k < n; k++) {
        if (json_array_append_new(arr, row_json(l, s, &rows[k])) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    if (!doc || !arr) {
        json_decref(arr);
        json_decref(doc);
        return NULL;
    }
    json_t *defaults = json_array();
    for (size_t k = 0; defaults && k < s->n; k++)
        if (s->rows[k].defaulted_known && s->rows[k].defaulted &&
            json_array_append_new(
                defaults, json_string(l->companies[s->rows[k].company].name)))
        {
            json_decref(defaults);
            defaults = NULL;
        }
    json_t *rest = json_pack(
        "{s:s, s:f, s:s, s:f, s:o, s:o, s:{s:o, s:o, s:o, s:o, s:o}, s:o}",
        "model", dg_stress_model_name(s->model), "shortfall", s->shortfall,
        "exposures", dg_exposures_name(s->exposures), "alpha", s->alpha,
        "assumptions", assumptions_json(s, o), "companies", arr, "system",
        "total_loss", num_or_null(s->total_loss), "debtrank",
        num_or_null(s->debtrank), "loss_others", num_or_null(s->others_loss),
        "focus_loss", num_or_null(s->focus_loss), "defaults", defaults,
        "revenue_stress", revenue_json(l, s));
    if (rest && bands &&
        json_object_set_new(rest, "bands", bands_json(l, bands)) != 0) {
        json_decref(rest);
        rest = NULL;
    }
    if (!rest || json_object_update(doc, rest) != 0) {
        json_decref(rest);
        json_decref(doc);
        return NULL;
    }
    json_decref(rest);
    return doc;
}

/* ---- the document -------------------------------------------------------- */

/* The defaulted companies, "A, B and C", in name order. */
static void list_defaults(dg_buf *b, const dg_ledger *l,
                          const dg_stress_result *s)
{
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        const dg_stress_row *r = &s->rows[i];
        if (!(r->defaulted_known && r->defaulted))
            continue;
        if (k)
            dg_buf_puts(b, k + 1 == s->defaults ? " and " : ", ");
        dg_buf_puts(b, l->companies[r->company].name);
        k++;
    }
}

static void system_notes(cli_doc *d, const dg_ledger *l,
                         const dg_stress_result *s)
{
    const dg_company *fc = &l->companies[s->focus];
    const char *focus = fc->name;
    char a[32], b[32], q[32];
    bool contracts = s->exposures == DG_EXPOSURES_CONTRACTS;
    if (s->model == DG_MODEL_CLEARING) {
        doc_note(d, "total unpaid obligations: %s",
                 dg_money_format(s->total_loss, a, sizeof a));
        if (contracts)
            doc_note(d, "unpaid to the other companies: %s",
                     dg_money_format(s->others_loss, a, sizeof a));
    } else if (contracts) {
        pct(q, sizeof q,
            s->others_equity > 0.0 ? s->others_loss / s->others_equity : NAN);
        doc_note(d,
                 "loss of the other companies: %s of the %s of capital "
                 "recorded for them (%s)",
                 dg_money_format(s->others_loss, a, sizeof a),
                 dg_money_format(s->others_equity, b, sizeof b), q);
        const dg_stress_row *fr = dg_stress_row_of(s, s->focus);
        if (dg_has(fc->equity) && fr)
            doc_note(d,
                     "%s's own capital, apart: %s (%s); it loses %s of it "
                     "(%s), its shock and what comes back round the loops",
                     focus, dg_money_format(fc->equity, a, sizeof a),
                     basis_text(fc->equity_basis),
                     dg_money_format(s->focus_loss, b, sizeof b),
                     (pct(q, sizeof q, fr->relative_loss), q));
        doc_note(d,
                 "DebtRank R: %.4f, the share of all recorded capital "
                 "(weighted by capital) lost beyond the initial shock%s",
                 s->debtrank, s->lower_bound ? " (a lower bound)" : "");
    } else {
        pct(q, sizeof q,
            s->total_equity > 0.0 ? s->total_loss / s->total_equity : NAN);
        doc_note(d,
                 "total loss: %s of the %s of equity recorded (%s), %s's own "
                 "shock included",
                 dg_money_format(s->total_loss, a, sizeof a),
                 dg_money_format(s->total_equity, b, sizeof b), q, focus);
        doc_note(d,
                 "DebtRank R: %.4f, the share of all recorded equity "
                 "(weighted by equity) lost beyond the initial shock%s",
                 s->debtrank, s->lower_bound ? " (a lower bound)" : "");
    }
    if (s->defaults) {
        dg_buf names;
        dg_buf_init(&names);
        list_defaults(&names, l, s);
        doc_note(d,
                 "defaults: %zu (%s), %zu of them caused by the propagation",
                 s->defaults, names.data ? names.data : "",
                 s->further_defaults);
        if (names.oom)
            d->oom = true;
        dg_buf_finish(&names);
    } else {
        doc_note(d, "defaults: none");
    }
}

/* How many companies of `s` value their equity at book (0), market (1)
 * or a private round (2). */
static void equity_bases(const dg_ledger *l, const dg_stress_result *s,
                         size_t basis[3])
{
    basis[0] = basis[1] = basis[2] = 0;
    for (size_t i = 0; i < s->n; i++) {
        const dg_company *co = &l->companies[s->rows[i].company];
        if (!s->rows[i].included || !co->equity_basis)
            continue;
        basis[strcmp(co->equity_basis, "book") == 0     ? 0
              : strcmp(co->equity_basis, "market") == 0 ? 1
                                                        : 2]++;
    }
}

/* The revenue the focus's sellers lose, by year: a table, and a note for
 * what is missing. */
static void revenue_section(cli_doc *d, const dg_ledger *l,
                            const dg_stress_result *s)
{
    if (!s->nrevenue)
        return;
    enum { R_SELLER, R_YEAR, R_PAID, R_LOST, R_REV, R_SHARE, R_BEFORE,
           R_AFTER, R_BREACH, R_NCOLS };
    static const cli_column cols[R_NCOLS] = {
        {"seller", "seller"},
        {"year", "year"},
        {"payments", "paid by the focus"}, /* titled below */
        {"lost", "lost"},
        {"revenue", "revenue"},
        {"share_of_revenue", "of revenue"},
        {"leverage_before", "debt/EBITDA"},
        {"leverage_after", "after"},
        {"breach", "over limit"},
    };
    const char *focus = l->companies[s->focus].name;
    doc_heading(d, 3, "Revenue stress: what %s's sellers lose", focus);
    cli_table t;
    cli_table_init(&t, cols, R_NCOLS);
    char title[160], v[32];
    snprintf(title, sizeof title, "paid by %s", focus);
    cli_table_title(&t, R_PAID, title);
    size_t no_rev = 0, no_lev = 0;
    for (size_t k = 0; k < s->nrevenue; k++) {
        const dg_stress_revenue *r = &s->revenue[k];
        cli_table_row(&t);
        cli_table_text(&t, R_SELLER, l->companies[r->seller].name);
        cli_table_int(&t, R_YEAR, r->year);
        cli_table_money(&t, R_PAID, r->payments);
        cli_table_money(&t, R_LOST, r->lost);
        if (dg_has(r->revenue)) {
            cli_table_money(&t, R_REV, r->revenue);
            cli_table_share(&t, R_SHARE, r->share);
        } else {
            cli_table_text(&t, R_REV, "n/a");
            cli_table_text(&t, R_SHARE, "n/a");
            no_rev++;
        }
        if (dg_has(r->debt) && dg_has(r->ebitda)) {
            if (dg_has(r->leverage_before)) {
                snprintf(v, sizeof v, "%.2fx", r->leverage_before);
                cli_table_text(&t, R_BEFORE, v);
            } else {
                cli_table_text(&t, R_BEFORE, "EBITDA <= 0");
            }
            if (r->ebitda_wiped) {
                cli_table_text(&t, R_AFTER, "EBITDA gone");
            } else {
                snprintf(v, sizeof v, "%.2fx", r->leverage_after);
                cli_table_text(&t, R_AFTER, v);
            }
            cli_table_bool(&t, R_BREACH, r->breach);
        } else {
            cli_table_text(&t, R_BEFORE, "n/a");
            cli_table_text(&t, R_AFTER, "n/a");
            cli_table_text(&t, R_BREACH, "n/a");
            no_lev++;
        }
    }
    doc_table(d, &t, DOC_HUMAN);
    doc_note(d,
             "\"lost\": the payments %s is scheduled to make to the seller in "
             "the horizon's part of the year, times the shortfall, with no "
             "loss rate: revenue, not profit. \"after\": debt over EBITDA "
             "less the loss rate (the margin) times the lost revenue, against "
             "a limit of %gx.",
             focus, s->leverage_limit);
    if (no_rev)
        doc_note(d,
                 "%zu rows have no revenue figure for their year (`revenue` "
                 "series): their share is n/a, not 0.",
                 no_rev);
    if (no_lev)
        doc_note(d,
                 "%zu rows have no `debt` or `ebitda` figure for their year: "
                 "leverage is n/a.",
                 no_lev);
}

static void method_notes(cli_doc *d, const dg_ledger *l,
                         const dg_stress_result *s, const cli_common *c)
{
    const char *focus = l->companies[s->focus].name;
    bool clearing = s->model == DG_MODEL_CLEARING;
    bool contracts = s->exposures == DG_EXPOSURES_CONTRACTS;
    char a[32];
    if (clearing && contracts) {
        doc_note(d,
                 "\"owes\": the payments its legs schedule within the "
                 "horizon; \"pays\": what it can pay from its cash plus what "
                 "it receives; \"owed by %s\": %s's payments to it due in "
                 "the horizon; \"unpaid to it\": what its debtors owe it and "
                 "do not pay (its loss); \"of equity\": that loss over its "
                 "equity, capped at 100%%; \"equity after\": cash plus "
                 "receipts minus obligations.",
                 focus, focus);
        if (s->with_ocf)
            doc_note(d,
                     "\"cash\": the company's `cash`, plus its operating "
                     "cash flow over the horizon for the %zu companies whose "
                     "`ocf` series covers it; for the others cash alone, so "
                     "read their defaults as obligations due against cash in "
                     "hand.",
                     s->with_ocf);
        else
            doc_note(d, "\"cash\": one balance-sheet figure; no company has "
                        "an `ocf` series covering the horizon, so nothing "
                        "earned in it is counted: read a default as "
                        "obligations due against cash in hand.");
    } else if (clearing) {
        doc_note(d,
                 "\"owes\": the sum of its legs, all treated as due now; "
                 "\"pays\": what it can pay from its cash plus what it "
                 "receives; \"owed by %s\": its claims on %s; \"unpaid to "
                 "it\": what its debtors owe it and do not pay (its loss); "
                 "\"of equity\": that loss over its equity, capped at 100%%; "
                 "\"equity after\": cash plus receipts minus obligations.",
                 focus, focus);
        doc_note(d, "Obligations are whole multi-year contracts and cash is "
                    "one balance-sheet figure, so companies can default even "
                    "at --shortfall 0: read the result as commitments "
                    "against cash in hand, not as a forecast.");
    } else if (contracts) {
        doc_note(d,
                 "\"claims on %s\": what a company loses outright if %s "
                 "fails: its stakes and loans in %s as paid in, and the loss "
                 "rate of each kind times %s's payments to it due in the "
                 "horizon. \"relative loss\": the share of its capital lost; "
                 "100%% is a default.",
                 focus, focus, focus, focus);
    } else {
        doc_note(d,
                 "\"claims on %s\": what a company loses outright if %s "
                 "fails: the legs from %s to it plus its equity stakes and "
                 "loans in %s. \"relative loss\": the share of its equity "
                 "lost; 100%% is a default.",
                 focus, focus, focus, focus);
        size_t basis[3];
        equity_bases(l, s, basis);
        if (basis[1] || basis[2])
            doc_note(d,
                     "Equity is book value for %zu companies, market "
                     "capitalisation for %zu and a private-round valuation "
                     "for %zu: market values are far above the book capital "
                     "that absorbs losses, so those companies look sturdier "
                     "than they are.",
                     basis[0], basis[1], basis[2]);
    }
    if (contracts) {
        if (s->pledges_out)
            doc_note(d,
                     "%zu pledges (up-to ceilings, letters of intent, talks) "
                     "worth %s count 0: options, not claims (--firmness "
                     "weights them by their probability).",
                     s->pledges_out,
                     dg_money_format(s->pledged_value, a, sizeof a));
        if (s->unfunded_stakes)
            doc_note(d,
                     "%zu stakes or loans worth %s have nothing recorded as "
                     "paid in (no `funded`, not completed): no claim yet.",
                     s->unfunded_stakes,
                     dg_money_format(s->unfunded_value, a, sizeof a));
        if (s->unscheduled)
            doc_note(d,
                     "%zu contracts worth %s have no delivery period: none "
                     "of it is placed in the horizon (reported apart, as in "
                     "the flow calendar).",
                     s->unscheduled,
                     dg_money_format(s->unscheduled_value, a, sizeof a));
        if (s->term_unknown)
            doc_note(d,
                     "%zu amounts per year or month have no term: their "
                     "first twelve months only.",
                     s->term_unknown);
    }
    if (s->excluded)
        doc_note(d,
                 "%zu companies have no %s figure: n/a above, unknown and not "
                 "zero (named in the warning on standard error).",
                 s->excluded, clearing ? "cash" : "equity");
    if (s->undisclosed && c->filter.amounts == DG_AMOUNTS_DISCLOSED)
        doc_note(d,
                 "%zu legs have no disclosed value and carry no exposure "
                 "here (--amounts low|mid|high fills those with estimates "
                 "where a range is given).",
                 s->undisclosed);
    else if (s->undisclosed)
        doc_note(d,
                 "%zu legs have neither a disclosed value nor an estimate "
                 "range and carry no exposure here.",
                 s->undisclosed);
    if (s->filtered)
        doc_note(d, "%zu legs are left out by the filters.", s->filtered);
    if (!contracts)
        doc_note(d, "Amounts over different horizons are added as given and "
                    "\"up to\" ceilings count in full; see docs/methods.md.");
}

/* The Monte Carlo bands: the system figures, then a table per company. */
static void bands_section(cli_doc *d, const dg_ledger *l,
                          const dg_stress_result *s,
                          const dg_stress_bands *b, const ranked *rows,
                          size_t nrows)
{
    char x[32], y[32], z[32];
    doc_heading(d, 3, "Uncertainty: %zu draws, seed %llu", b->draws,
                (unsigned long long)b->seed);
    doc_note(d, "Each draw lets every leg that is not completed happen with "
                "its status's probability, realises each up-to ceiling at a "
                "drawn share and draws estimate ranges (under --amounts "
                "low|mid|high); p5 / p50 / p95 over the draws.");
    if (s->model != DG_MODEL_CLEARING)
        doc_note(d, "DebtRank R: %.4f / %.4f / %.4f", b->debtrank.p5,
                 b->debtrank.p50, b->debtrank.p95);
    doc_note(d, "defaults: %g / %g / %g (%g / %g / %g caused by the "
                "propagation)",
             b->defaults.p5, b->defaults.p50, b->defaults.p95,
             b->further_defaults.p5, b->further_defaults.p50,
             b->further_defaults.p95);
    doc_note(d, "loss of the other companies: %s / %s / %s",
             dg_money_format(b->others_loss.p5, x, sizeof x),
             dg_money_format(b->others_loss.p50, y, sizeof y),
             dg_money_format(b->others_loss.p95, z, sizeof z));
    enum { B_NAME, B_P5, B_P50, B_P95, B_LOSS, B_DEF, B_NCOLS };
    static const cli_column cols[B_NCOLS] = {
        {"name", "company"},          {"p5", "relative loss p5"},
        {"p50", "p50"},               {"p95", "p95"},
        {"loss_p50", "loss p50"},     {"default_share", "defaults in"},
    };
    cli_table t;
    cli_table_init(&t, cols, B_NCOLS);
    for (size_t k = 0; k < nrows; k++) {
        const dg_stress_band_row *r = NULL;
        for (size_t i = 0; i < b->n && !r; i++)
            if (b->rows[i].company == rows[k].row->company)
                r = &b->rows[i];
        if (!r)
            continue;
        cli_table_row(&t);
        cli_table_text(&t, B_NAME, l->companies[r->company].name);
        if (dg_has(r->relative_loss.p50)) {
            cli_table_share(&t, B_P5, r->relative_loss.p5);
            cli_table_share(&t, B_P50, r->relative_loss.p50);
            cli_table_share(&t, B_P95, r->relative_loss.p95);
        } else {
            cli_table_text(&t, B_P5, "n/a");
            cli_table_text(&t, B_P50, "n/a");
            cli_table_text(&t, B_P95, "n/a");
        }
        if (dg_has(r->loss.p50))
            cli_table_money(&t, B_LOSS, r->loss.p50);
        else
            cli_table_text(&t, B_LOSS, "n/a");
        if (dg_has(r->default_share))
            cli_table_share(&t, B_DEF, r->default_share);
        else
            cli_table_text(&t, B_DEF, "n/a");
    }
    doc_table(d, &t, DOC_HUMAN);
}

/* For people: the lede, the assumptions, the table, the system figures,
 * why companies default, the revenue stress, the bands and the notes; for
 * CSV the table alone. */
static void stress_document(cli_doc *d, const dg_ledger *l,
                            const dg_stress_result *s, const ranked *rows,
                            size_t nrows, const cli_common *c,
                            const stress_opts *o,
                            const dg_stress_bands *bands)
{
    lede(d, l, s, c);
    if (s->exposures == DG_EXPOSURES_CONTRACTS) {
        doc_heading(d, 3, "Assumptions");
        assumptions_table(d, s, o, l, c);
        doc_heading(d, 3, "Losses");
    }
    add_table(d, l, s, rows, nrows, DOC_HUMAN);
    add_table(d, l, s, rows, nrows, DOC_CSV);
    if (nrows < s->n)
        doc_para(d, "(the focus and the %zu of %zu companies that lose most)",
                 nrows - 1, s->n - 1);
    doc_heading(d, 3, "System");
    system_notes(d, l, s);
    if (s->defaults) {
        doc_heading(d, 3, "Why they default");
        default_notes(d, l, s);
    }
    revenue_section(d, l, s);
    if (bands)
        bands_section(d, l, s, bands, rows, nrows);
    doc_heading(d, 3, "Notes");
    method_notes(d, l, s, c);
}

/* Prints the analysis's errors (the first line says what went wrong), or
 * its code when none says why; on success its warnings. A focus without
 * cash under clearing, or a ledger without a valuation date, also has a
 * fix on the command line, added to the library's words. */
static void print_diags(const dg_ledger *l, const dg_stress_options *so,
                        const dg_diags *diags, int rc)
{
    bool no_cash = rc == DG_EINPUT && so->model == DG_MODEL_CLEARING &&
                   !dg_has(l->companies[so->focus].cash);
    size_t errors = 0;
    for (size_t i = 0; i < diags->count; i++) {
        dg_diag g = diags->items[i];
        if (g.severity != DG_SEV_ERROR)
            continue;
        dg_buf m;
        dg_buf_init(&m);
        if (no_cash) {
            dg_buf_printf(&m, "%s or use --model debtrank", g.message);
            g.message = m.data;
        } else if (strstr(g.message, "needs a valuation date")) {
            dg_buf_printf(&m, "stress: %s; give --as-of DATE (or "
                              "--exposures face)",
                          g.message);
            g.message = m.data;
        }
        if (m.oom)
            cli_out_of_memory();
        else
            cli_print_diag(&g);
        dg_buf_finish(&m);
        errors++;
    }
    if (rc != DG_OK && !errors)
        cli_error("stress: %s: %s", l->path, dg_strerror(rc));
    for (size_t i = 0; rc == DG_OK && i < diags->count; i++)
        if (diags->items[i].severity == DG_SEV_WARNING)
            cli_error("warning: %s", diags->items[i].message);
}

static int stress_build(cli_doc *d, const dg_ledger *l, const cli_common *c,
                        const void *opts)
{
    const stress_opts *o = opts;
    if (!check_options(o))
        return EXIT_TROUBLE;
    dg_stress_options so;
    dg_stress_options_init(&so);
    so.filter = c->filter;
    so.model = o->model;
    so.shortfall = o->shortfall;
    so.exposures = (dg_exposures)o->exposures;
    so.capital = (dg_capital)o->capital;
    if (o->horizon)
        so.contracts.horizon_months = o->horizon;
    memcpy(so.contracts.lgd, o->lgd, sizeof so.contracts.lgd);
    so.contracts.firmness = o->firmness;
    so.contracts.prob = o->prob;
    if (dg_has(o->alpha))
        so.alpha = o->alpha;
    if (dg_has(o->recovery_assets))
        so.recovery_assets = o->recovery_assets;
    if (dg_has(o->recovery_claims))
        so.recovery_claims = o->recovery_claims;
    if (dg_has(o->leverage_limit))
        so.leverage_limit = o->leverage_limit;
    if (!cli_focus(l, c, "stress", &so.focus))
        return EXIT_TROUBLE;
    dg_diags diags;
    dg_diags_init(&diags);
    dg_stress_result s;
    int rc = dg_stress_run(l, &so, &s, &diags);
    print_diags(l, &so, &diags, rc);
    dg_diags_finish(&diags);
    if (rc != DG_OK)
        return EXIT_TROUBLE;
    dg_stress_bands bands;
    memset(&bands, 0, sizeof bands);
    if (o->draws) {
        dg_diags_init(&diags);
        rc = dg_stress_bands_run(l, &so, o->draws, o->seed, &bands, &diags);
        if (rc != DG_OK)
            print_diags(l, &so, &diags, rc);
        dg_diags_finish(&diags);
        if (rc != DG_OK) {
            dg_stress_result_finish(&s);
            return EXIT_TROUBLE;
        }
    }
    int code = EXIT_OK;
    ranked *rows = rank_rows(l, &s);
    if (!rows) {
        cli_error("stress: out of memory");
        code = EXIT_TROUBLE;
    } else {
        size_t nrows = o->top && o->top < s.n ? o->top : s.n;
        if (c->format == CLI_OUT_JSON)
            doc_json(d, stress_json(l, &s, rows, nrows, o,
                                    o->draws ? &bands : NULL));
        stress_document(d, l, &s, rows, nrows, c, o,
                        o->draws ? &bands : NULL);
    }
    free(rows);
    dg_stress_bands_finish(&bands);
    dg_stress_result_finish(&s);
    return code;
}

const cli_command cli_cmd_stress = {
    .name = "stress",
    .summary = "losses when the focal company cannot pay",
    .usage = "[OPTIONS] FILE",
    .about = about,
    .exits = "Exit codes: 0 success, 2 bad usage, unreadable or invalid "
             "input, or\ninputs the model cannot use (no equity anywhere; "
             "clearing with a focus\nwithout cash; contracts without a "
             "valuation date).",
    .formats = DOC_TEXT | DOC_MD | DOC_JSON | DOC_CSV,
    .shared = CLI_SHARE_ANALYSIS | CLI_SHARE_FOCUS,
    .options = options,
    .opts_size = sizeof(stress_opts),
    .defaults = stress_defaults,
    .build = stress_build,
};
