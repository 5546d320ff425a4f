/*
 * fuzz_policy.c - libFuzzer target: the policy-file parser of `dealgraph
 * check --policy FILE` on arbitrary bytes, through the same path a user's
 * file takes (dg_policy_load: size limit, BOM, NUL and UTF-8 checks, then
 * `rule = value` lines). Properties: the result agrees with the
 * diagnostics (an error iff DG_EINPUT), every message is one printable
 * line, and a limit that was set is in its documented range.
 *
 * Build and run: docs/robustness.md.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    const char *path = fuzz_write(0, "policy", data, size);
    dg_policy p;
    dg_policy_init(&p);
    dg_diags d;
    dg_diags_init(&d);
    int rc = dg_policy_load(path, &p, &d);
    fuzz_check_diags(&d);
    FUZZ_CHECK(rc == DG_OK || rc == DG_EINPUT || rc == DG_ENOMEM);
    FUZZ_CHECK((rc == DG_EINPUT) == (d.errors > 0));
    FUZZ_CHECK(isnan(p.max_exposure) ||
               (p.max_exposure >= 0 && p.max_exposure <= 1));
    FUZZ_CHECK(isnan(p.max_fci) || (p.max_fci >= 0 && p.max_fci <= 1));
    FUZZ_CHECK(isnan(p.max_loops) ||
               (p.max_loops >= 0 && p.max_loops <= 1e15));
    FUZZ_CHECK(isnan(p.max_loop_value) ||
               (p.max_loop_value >= 0 && p.max_loop_value <= DG_MONEY_MAX));
    FUZZ_CHECK(p.max_len == 0 || (p.max_len >= 2 && p.max_len <= 1000000));
    FUZZ_CHECK(!p.focus || p.focus[0]);
    FUZZ_CHECK(!p.no_new_loops || p.no_new_loops[0]);
    dg_policy_finish(&p);
    dg_diags_finish(&d);
    return 0;
}
