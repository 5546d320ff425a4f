/*
 * fuzz_csv.c - libFuzzer target: the CSV loader on arbitrary bytes.
 *
 * The input holds up to three files separated by form feeds (0x0c):
 * deals.csv, then companies.csv, then graph.csv. They are written into a
 * directory that is loaded as `dealgraph lint DIR/` loads it (so the
 * companies and graph files are found beside deals.csv), through the same
 * checks as a user's files. A ledger that loads is analysed
 * (fuzz_common.h) and written back as annotated DOT, which must load again
 * to the same legs.
 *
 * The seed corpus (tests/fuzz/corpus.sh) joins the shipped ledger's three
 * files this way. Build and run: docs/robustness.md.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    const char *names[3] = {"deals.csv", "companies.csv", "graph.csv"};
    size_t at = 0;
    bool more = true; /* a separator came before this file */
    for (int i = 0; i < 3; i++) {
        if (!more) {
            fuzz_remove(names[i]);
            continue;
        }
        const uint8_t *ff =
            i < 2 ? memchr(data + at, '\f', size - at) : NULL;
        size_t stop = ff ? (size_t)(ff - data) : size;
        fuzz_write(i, names[i], data + at, stop - at);
        more = ff != NULL;
        at = ff ? stop + 1 : size;
    }
    dg_diags d;
    dg_diags_init(&d);
    int status = -1;
    dg_ledger *l = dg_ledger_load(fuzz_dir, NULL, &d, &status);
    fuzz_check_load(l, status, &d);
    if (l) {
        fuzz_analyse(l);
        fuzz_roundtrip(l);
    }
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
    return 0;
}
