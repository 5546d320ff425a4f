/* check: the policy file, and each rule measured on small ledgers whose
 * figures are derived by hand. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dealgraph/gate.h"
#include "support.h"

/* F pays A 10B; A pays B 4B; B pays F 1B: one loop F > A > B, value 1B.
 * G pays A 30B (outside the loop). A's inflow 40B, of which 10B from F. */
static const char ledger[] =
    "digraph {\n"
    "  graph [focus=\"F\"]\n"
    "  F -> A [kind=\"cloud\", amount=\"10B\", status=\"definitive\", "
    "announced=\"2025-01\"]\n"
    "  A -> B [kind=\"chips\", amount=\"4B\", status=\"reported\", "
    "announced=\"2025-02\"]\n"
    "  B -> F [kind=\"equity\", amount=\"1B\", status=\"completed\", "
    "announced=\"2025-03\"]\n"
    "  G -> A [kind=\"cloud\", amount=\"30B\", status=\"definitive\", "
    "announced=\"2025-05\"]\n"
    "}\n";

static dg_ledger *load(void)
{
    dg_diags d;
    dg_ledger *l = load_dot_text(ledger, &d);
    cr_assert_not_null(l, "%s", first_error(&d));
    dg_diags_finish(&d);
    return l;
}

Test(gate, policy_values_accept_shares_percentages_counts_and_money)
{
    dg_policy p;
    dg_policy_init(&p);
    char msg[256];
    cr_expect(dg_policy_set(&p, "max-exposure", "0.5", msg, sizeof msg));
    cr_expect_eq(p.max_exposure, 0.5);
    cr_expect(dg_policy_set(&p, "max-exposure", "35%", msg, sizeof msg));
    cr_expect_float_eq(p.max_exposure, 0.35, 1e-15);
    cr_expect(dg_policy_set(&p, "max-loops", "20", msg, sizeof msg));
    cr_expect_eq(p.max_loops, 20);
    cr_expect(dg_policy_set(&p, "max-loop-value", "$50B", msg, sizeof msg));
    cr_expect_eq(p.max_loop_value, 50e9);
    cr_expect_not(dg_policy_set(&p, "max-exposure", "1.5", msg, sizeof msg));
    cr_expect_str_eq(msg, "max-exposure \"1.5\" is not a share; write a "
                          "number from 0 to 1 or a percentage (0.5, 50%)");
    cr_expect_not(dg_policy_set(&p, "max-loops", "-3", msg, sizeof msg));
    cr_expect_not(dg_policy_set(&p, "max-loop", "3", msg, sizeof msg));
    cr_expect_str_eq(msg, "unknown rule \"max-loop\"; did you mean "
                          "\"max-loops\"?");
    dg_policy_finish(&p);
}

Test(gate, a_policy_file_reports_errors_with_their_lines)
{
    char *path = temp_file("policy.txt", "# our CI policy\n"
                                         "max-loops = 40\n"
                                         "\n"
                                         "max-exposure: 0.5\n"
                                         "max-fci = lots   # comment\n");
    dg_policy p;
    dg_policy_init(&p);
    dg_diags d;
    dg_diags_init(&d);
    cr_expect_eq(dg_policy_load(path, &p, &d), DG_EINPUT);
    cr_assert_eq(d.errors, 2);
    cr_expect_eq(d.items[0].line, 4);
    cr_expect_str_eq(d.items[0].message,
                     "expected 'rule = value', found \"max-exposure: 0.5\"");
    cr_expect_eq(d.items[1].line, 5);
    cr_expect_str_eq(d.items[1].message,
                     "max-fci \"lots\" is not a cycling index; write a number "
                     "from 0 to 1");
    cr_expect_eq(p.max_loops, 40, "good lines still apply");
    dg_policy_finish(&p);
    dg_diags_finish(&d);
    free(path);
}

Test(gate, a_baseline_path_is_relative_to_the_policy_file)
{
    char *dir = temp_dir();
    char *path = write_file(dir, "policy.txt", "no-new-loops = base.dot\n");
    dg_policy p;
    dg_policy_init(&p);
    dg_diags d;
    dg_diags_init(&d);
    cr_assert_eq(dg_policy_load(path, &p, &d), DG_OK);
    char want[4096];
    snprintf(want, sizeof want, "%s/base.dot", dir);
    cr_expect_str_eq(p.no_new_loops, want);
    dg_policy_finish(&p);
    dg_diags_finish(&d);
    free(path);
    free(dir);
}

static dg_gate run_gate(const dg_ledger *l, dg_policy *p)
{
    dg_gate g;
    dg_diags d;
    dg_diags_init(&d);
    cr_assert_eq(dg_gate_run(l, p, NULL, NULL, &g, &d), DG_OK, "%s",
                 first_error(&d));
    dg_diags_finish(&d);
    return g;
}

Test(gate, rules_measure_exposure_loops_and_loop_value)
{
    dg_ledger *l = load();
    dg_policy p;
    dg_policy_init(&p);
    p.max_exposure = 0.2;  /* A: 10 / 40 = 0.25 > 0.2: broken */
    p.max_loops = 1;       /* one loop: holds */
    p.max_loop_value = 1e9; /* the loop carries min(10, 4, 1) = 1B: holds */
    dg_gate g = run_gate(l, &p);
    cr_assert_eq(g.count, 3);
    cr_expect_str_eq(g.results[0].rule, "max-exposure");
    cr_expect_float_eq(g.results[0].measured, 0.25, 1e-12);
    cr_expect_not(g.results[0].holds);
    cr_expect_str_eq(g.results[0].detail, "A, from F");
    cr_expect_eq(g.results[1].measured, 1);
    cr_expect(g.results[1].holds);
    cr_expect_eq(g.results[2].measured, 1e9);
    cr_expect(g.results[2].holds, "a value equal to the limit holds");
    cr_expect_not(g.holds);
    dg_gate_finish(&g);
    dg_policy_finish(&p);
    dg_ledger_destroy(l);
}

Test(gate, no_new_loops_names_the_loop_a_new_deal_closes)
{
    dg_ledger *l = load();
    /* the baseline lacks B -> F, so it has no loop at all */
    char *base = temp_file(
        "base.dot",
        "digraph {\n"
        "  F -> A [kind=\"cloud\", amount=\"10B\", status=\"definitive\", "
        "announced=\"2025-01\"]\n"
        "  A -> B [kind=\"chips\", amount=\"4B\", status=\"reported\", "
        "announced=\"2025-02\"]\n}\n");
    dg_policy p;
    dg_policy_init(&p);
    p.no_new_loops = base;
    dg_gate g = run_gate(l, &p);
    cr_assert_eq(g.count, 1);
    cr_expect_not(g.results[0].holds);
    cr_assert_eq(g.results[0].nnew, 1);
    cr_expect_str_eq(g.results[0].new_loops[0].companies, "A > B > F > A");
    dg_gate_finish(&g);
    dg_policy_finish(&p);
    dg_ledger_destroy(l);
}

Test(gate, a_hash_inside_a_value_is_not_a_comment)
{
    char *path = temp_file("p.txt", "focus = C# Corp   # the focal company\n"
                                    "#max-loops = 3\n");
    dg_policy p;
    dg_policy_init(&p);
    dg_diags d;
    dg_diags_init(&d);
    cr_assert_eq(dg_policy_load(path, &p, &d), DG_OK, "%s", first_error(&d));
    cr_expect_str_eq(p.focus, "C# Corp");
    cr_expect(isnan(p.max_loops), "a line starting with # is a comment");
    dg_policy_finish(&p);
    dg_diags_finish(&d);
    free(path);
}

Test(gate, max_fci_needs_no_focal_company)
{
    /* a <-> b (1B each way), c -> a 1B, no focus. Throughflows (inflow +
     * balancing outside inflow): T_a = 2, T_b = 1, T_c = 0 + 1 = 1, TST 4.
     * Inflow-oriented Q: Q_ab = 1/2, Q_ac = 1/2, Q_ba = 1. N'_aa =
     * 1 / (1 - Q_ab Q_ba) = 2, N'_bb = 1 / (1 - Q_ba Q_ab) = 2, N'_cc = 1.
     * FCI = ((1 - 1/2) 2 + (1 - 1/2) 1 + 0) / 4 = 1.5 / 4 = 0.375. */
    dg_diags d;
    dg_ledger *l = load_dot_text(
        "digraph {\n"
        "  a -> b [kind=\"cloud\", amount=\"1B\", status=\"definitive\", "
        "announced=\"2025\"]\n"
        "  b -> a [kind=\"cloud\", amount=\"1B\", status=\"definitive\", "
        "announced=\"2025\"]\n"
        "  c -> a [kind=\"cloud\", amount=\"1B\", status=\"definitive\", "
        "announced=\"2025\"]\n}\n",
        &d);
    cr_assert_not_null(l);
    dg_diags_finish(&d);
    dg_policy p;
    dg_policy_init(&p);
    p.max_fci = 0.5;
    dg_gate g = run_gate(l, &p);
    cr_assert_eq(g.count, 1);
    cr_expect_float_eq(g.results[0].measured, 0.375, 1e-12);
    cr_expect(g.holds);
    dg_gate_finish(&g);
    dg_policy_finish(&p);
    dg_ledger_destroy(l);
}

Test(gate, rules_and_policy_files_apply_in_the_order_given)
{
    /* the ledger closes one loop; the policy allows none */
    char *path = temp_file("one-loop.dot", ledger);
    char *pol = temp_file("none.txt", "max-loops = 0\n");
    const char *flag_last[] = {"check", path, "--policy", pol, "--max-loops",
                               "5", NULL};
    run_result r = run_cli(flag_last, NULL);
    cr_expect_eq(r.status, 0, "the flag after the policy wins: %s", r.out);
    cr_expect_str_eq(r.out, "holds   max-loops: 1 loop, limit 5\n"
                            "all 1 rules hold\n");
    run_free(&r);
    const char *policy_last[] = {"check", path, "--max-loops", "5",
                                 "--policy", pol, NULL};
    r = run_cli(policy_last, NULL);
    cr_expect_eq(r.status, 1, "the policy after the flag wins: %s", r.out);
    cr_expect_str_eq(r.out, "BROKEN  max-loops: 1 loop, limit 0\n"
                            "1 of 1 rules broken\n");
    run_free(&r);
    /* a bad value is refused before the ledger is read */
    const char *bad[] = {"check", "/nonexistent.dot", "--max-loops", "-1",
                         NULL};
    r = run_cli(bad, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: check: --max-loops \"-1\" is not a count; "
                     "write a whole number, 0 or more");
    run_free(&r);
    free(pol);
    free(path);
}

/* ---- the yearly rules ------------------------------------------------------ */

/* In 2027 F pays A 30B (A's revenue 100B: dependence 0.3) and B 10B (B
 * has no revenue figure: unknown); C has no revenue either, but F pays it
 * nothing, so it is not unknown. F's revenue 20B over its payments of 40B:
 * coverage 0.5. */
static const char yearly_ledger[] =
    "digraph {\n"
    "  graph [focus=\"F\", as_of=\"2027-06-30\"]\n"
    "  F [revenue=\"2027:20B\"]\n  A [revenue=\"2027:100B\"]\n  C\n"
    "  F -> A [kind=\"cloud\", amount=\"30B\", per=\"year\", start=\"2027\", "
    "end=\"2027\", status=\"definitive\", announced=\"2026\"]\n"
    "  F -> B [kind=\"chips\", amount=\"10B\", per=\"year\", start=\"2027\", "
    "end=\"2027\", status=\"definitive\", announced=\"2026\"]\n"
    "  C -> F [kind=\"services\", amount=\"1B\", per=\"year\", "
    "start=\"2027\", end=\"2027\", status=\"definitive\", "
    "announced=\"2026\"]\n"
    "}\n";

Test(gate, yearly_rule_values_and_their_errors)
{
    dg_policy p;
    dg_policy_init(&p);
    char msg[256];
    cr_expect(dg_policy_set(&p, "max-revenue-dependence", "50%", msg,
                            sizeof msg));
    cr_expect_float_eq(p.max_revenue_dependence, 0.5, 1e-15);
    cr_expect(dg_policy_set(&p, "min-coverage", "150%", msg, sizeof msg),
                            "coverage may exceed 1");
    cr_expect_float_eq(p.min_coverage, 1.5, 1e-15);
    cr_expect(dg_policy_set(&p, "year", "2027", msg, sizeof msg));
    cr_expect_eq(p.year, 2027);
    cr_expect_not(dg_policy_set(&p, "max-revenue-dependence", "2", msg,
                                sizeof msg));
    cr_expect_str_eq(msg, "max-revenue-dependence \"2\" is not a share; "
                          "write a number from 0 to 1 or a percentage (0.5, "
                          "50%)");
    cr_expect_not(dg_policy_set(&p, "min-coverage", "-1", msg, sizeof msg));
    cr_expect_str_eq(msg, "min-coverage \"-1\" is not a ratio; write a "
                          "number of 0 or more or a percentage (0.2, 20%, "
                          "150%)");
    cr_expect_not(dg_policy_set(&p, "year", "27", msg, sizeof msg));
    cr_expect_str_eq(msg, "year \"27\" is not a year; write a year from 1900 "
                          "to 2999, such as 2027");
    cr_expect_not(dg_policy_set(&p, "min-covrage", "1", msg, sizeof msg));
    cr_expect_str_eq(msg, "unknown rule \"min-covrage\"; did you mean "
                          "\"min-coverage\"?");
    dg_policy_finish(&p);
}

Test(gate, max_revenue_dependence_lists_the_unknown_companies)
{
    dg_ledger *l = must_load_dot(yearly_ledger);
    dg_policy p;
    dg_policy_init(&p);
    p.max_revenue_dependence = 0.25; /* A: 30/100 = 0.3 > 0.25: broken */
    p.min_coverage = 0.5;            /* 20/40 = 0.5: holds at the limit */
    dg_gate g = run_gate(l, &p);
    cr_assert_eq(g.count, 2);
    const dg_rule_result *d = &g.results[0], *c = &g.results[1];
    cr_expect_str_eq(d->rule, "max-revenue-dependence");
    cr_expect_float_eq(d->measured, 0.3, 1e-12);
    cr_expect_not(d->holds);
    cr_expect_eq(d->year, 2027, "the year of the ledger's as_of");
    cr_assert_eq(d->nunknown, 1, "B, not C: F pays C nothing");
    cr_expect_str_eq(d->unknown[0], "B");
    cr_expect_str_eq(d->detail,
                     "A, from F in 2027; unknown (F pays them, and they have "
                     "no revenue figure for 2027): B");
    cr_expect_str_eq(c->rule, "min-coverage");
    cr_expect_float_eq(c->measured, 0.5, 1e-12);
    cr_expect(c->holds, "a coverage equal to the minimum holds");
    cr_expect_str_eq(c->detail, "F in 2027");
    cr_expect_not(g.holds);
    dg_gate_finish(&g);
    /* above the limit it holds; a minimum over the coverage breaks */
    p.max_revenue_dependence = 0.3;
    p.min_coverage = 0.6;
    g = run_gate(l, &p);
    cr_expect(g.results[0].holds, "0.3 at a limit of 0.3");
    cr_expect_not(g.results[1].holds, "0.5 under a minimum of 0.6");
    dg_gate_finish(&g);
    dg_policy_finish(&p);
    dg_ledger_destroy(l);
}

/* A year without revenue figures: nothing to measure, said so; the
 * companies F pays are listed as unknown, never passed silently. */
Test(gate, a_year_without_revenue_figures_is_unknown_not_measured)
{
    dg_ledger *l = must_load_dot(yearly_ledger);
    dg_policy p;
    dg_policy_init(&p);
    p.max_revenue_dependence = 0.5;
    p.min_coverage = 0.5;
    p.year = 2028;
    dg_gate g = run_gate(l, &p);
    cr_assert_eq(g.count, 2);
    cr_expect(isnan(g.results[0].measured));
    cr_expect_eq(g.results[0].nunknown, 0, "F pays nobody in 2028");
    cr_expect_str_eq(g.results[0].detail, "F pays no company for chips, "
                                          "cloud, services or leases in "
                                          "2028");
    cr_expect(isnan(g.results[1].measured));
    cr_expect_str_eq(g.results[1].detail,
                     "F in 2028: no revenue figure for the year");
    dg_gate_finish(&g);
    dg_policy_finish(&p);
    dg_ledger_destroy(l);
}

Test(gate, yearly_rules_from_flags_and_a_policy_file)
{
    char *path = temp_file("yearly.dot", yearly_ledger);
    char *pol = temp_file("yearly.txt", "max-revenue-dependence = 25%\n"
                                        "year = 2027\n");
    const char *a[] = {"check", path, "--policy", pol, "--min-coverage",
                       "0.6", NULL};
    run_result r = run_cli(a, NULL);
    cr_expect_eq(r.status, 1, "%s", r.err);
    cr_expect_str_eq(r.out,
                     "BROKEN  max-revenue-dependence: 0.3000, limit 0.2500 "
                     "(A, from F in 2027; unknown (F pays them, and they "
                     "have no revenue figure for 2027): B)\n"
                     "BROKEN  min-coverage: 0.5000, limit 0.6000 (F in "
                     "2027)\n"
                     "2 of 2 rules broken\n");
    run_free(&r);
    const char *b[] = {"check", path, "--min-coverage", "0.4", "--year",
                       "2028", NULL};
    r = run_cli(b, NULL);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(r.out, "holds   min-coverage: n/a, limit 0.4000 (F in "
                            "2028: no revenue figure for the year)\n"
                            "all 1 rules hold\n");
    run_free(&r);
    const char *c[] = {"check", path, "--min-coverage", "0.4", "--year",
                       "twenty", NULL};
    r = run_cli(c, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: check: --year \"twenty\" is not a year; "
                     "write a year from 1900 to 2999, such as 2027");
    run_free(&r);
    const char *d[] = {"check", path, "--max-revenue-dependence", "1.5",
                       NULL};
    r = run_cli(d, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: check: --max-revenue-dependence \"1.5\" is "
                     "not a share; write a number from 0 to 1 or a "
                     "percentage (0.5, 50%)");
    run_free(&r);
    const char *e[] = {"check", path, "--min-coverage", "lots", NULL};
    r = run_cli(e, NULL);
    cr_expect_eq(r.status, 2);
    cr_expect_str_eq(first_line(r.err),
                     "dealgraph: check: --min-coverage \"lots\" is not a "
                     "ratio; write a number of 0 or more or a percentage "
                     "(0.2, 20%, 150%)");
    run_free(&r);
    /* a ledger with no date to take the year from */
    char *undated = temp_file("undated.dot",
                              "digraph {\n  graph [focus=\"F\"]\n  F\n}\n");
    const char *f[] = {"check", undated, "--min-coverage", "0.4", NULL};
    r = run_cli(f, NULL);
    cr_expect_eq(r.status, 2);
    char want[4096];
    snprintf(want, sizeof want,
             "dealgraph: check: %s sets no as_of and has no dated leg to "
             "take the year of max-revenue-dependence and min-coverage "
             "from; give the year",
             undated);
    cr_expect_str_eq(first_line(r.err), want);
    run_free(&r);
    free(undated);
    free(pol);
    free(path);
}
