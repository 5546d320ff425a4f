/*
 * fuzz_dot.c - libFuzzer target: the DOT loader on arbitrary bytes.
 *
 * The input is written to a .dot file and read the way `dealgraph lint
 * FILE.dot` reads it (dg_ledger_load: size limit, BOM, NUL and UTF-8
 * checks, dotscan, cgraph, attributes, whole-ledger checks). Many inputs
 * run in one process, so any state cgraph keeps between parses (its error
 * buffer, lexer, string pool) is exercised too. A ledger that loads is
 * analysed (fuzz_common.h) and written back as annotated DOT, which must
 * load again to the same legs.
 *
 * Build and run: docs/robustness.md.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    const char *path = fuzz_write(0, "ledger.dot", data, size);
    dg_diags d;
    dg_diags_init(&d);
    int status = -1;
    dg_ledger *l = dg_ledger_load(path, NULL, &d, &status);
    fuzz_check_load(l, status, &d);
    /* lint --strict reads the same text with one more check */
    dg_load_options strict;
    dg_load_options_init(&strict);
    strict.strict = true;
    dg_diags ds;
    dg_diags_init(&ds);
    int sstatus = -1;
    dg_ledger *ls = dg_ledger_load(path, &strict, &ds, &sstatus);
    fuzz_check_load(ls, sstatus, &ds);
    FUZZ_CHECK(ds.errors >= d.errors || ds.oom || d.oom);
    dg_ledger_destroy(ls);
    dg_diags_finish(&ds);
    if (l) {
        fuzz_analyse(l);
        fuzz_roundtrip(l);
    }
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
    return 0;
}
