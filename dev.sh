#!/usr/bin/env bash
# dev.sh - the one setup script: installs what is missing (Debian 12 apt),
# builds, and runs the main job or every test.
#
#   ./dev.sh run    install, build, and run dealgraph on the shipped ledger
#   ./dev.sh test   install, build, and run every test, the slow suite too
#                   (plain build, then AddressSanitizer +
#                   UndefinedBehaviorSanitizer build, then the CLI under
#                   valgrind, then each fuzzer briefly)
#   ./dev.sh build  install and build only
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the build, the tests and the renderer need (clang and
# its runtime for the fuzzers, valgrind for the memcheck stage, the fonts
# Graphviz measures labels with: without them it falls back to whatever
# the machine has, and the same ledger lays out differently).
PACKAGES=(gcc meson ninja-build pkg-config libigraph-dev libgraphviz-dev
          graphviz libcriterion-dev libjansson-dev libxml2-dev git python3
          clang libclang-rt-14-dev valgrind liblapack-dev libblas-dev
          libarpack2-dev fonts-liberation2 fontconfig)

install_missing() {
    local missing=() p
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
            grep -q '^install ok installed$' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "dev.sh: installing ${missing[*]}" >&2
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
        --no-install-recommends "${missing[@]}" >/dev/null
}

# build DIR [meson options...]
build() {
    local dir=$1
    shift
    if [ ! -f "$dir/build.ninja" ]; then
        meson setup "$dir" -Dwerror=true "$@" >/dev/null
    fi
    ninja -C "$dir" >/dev/null
}

run_job() {
    local dg=./build/dealgraph
    echo "== dealgraph lint --strict graphs/ai-2025.dot graphs/ai-2025/"
    "$dg" lint --strict graphs/ai-2025.dot graphs/ai-2025/
    echo "lint: clean"
    echo
    echo "== dealgraph summary graphs/ai-2025.dot"
    "$dg" summary graphs/ai-2025.dot
    echo
    # Everything goes to out/: a run leaves the tracked files alone. The
    # picture docs/ shows is regenerated on purpose (docs/render.md).
    mkdir -p out
    echo "== dealgraph render graphs/ai-2025.dot -o out/ai-2025.svg"
    "$dg" render graphs/ai-2025.dot -o out/ai-2025.svg
    echo "render: out/ai-2025.svg"
    echo
    # The whole analysis, as Markdown (with out/report.svg beside it) and
    # as one self-contained HTML page.
    echo "== dealgraph report graphs/ai-2025.dot -o out/report.md / out/report.html"
    "$dg" report graphs/ai-2025.dot --format md -o out/report.md
    "$dg" report graphs/ai-2025.dot --format html -o out/report.html 2>/dev/null
    echo "report: out/report.md (+ out/report.svg), out/report.html"
}

run_tests() {
    # --setup full: the default setup leaves out the suite 'slow'
    # (tests/README.md).
    echo "== unit and CLI tests, fast and slow (build/)"
    meson test -C build --setup full --print-errorlogs --num-processes 2

    echo "== the same tests under AddressSanitizer + UndefinedBehaviorSanitizer (build-san/)"
    build build-san -Db_sanitize=address,undefined -Db_lundef=false \
        -Dbuildtype=debug -Dc_args=-fno-sanitize-recover=all
    local logs
    logs=$(mktemp -d)
    # Every report, from the test workers and from the CLI they run, goes
    # to a log file: a report anywhere fails the run, even one in a
    # Criterion worker whose exit status Criterion does not pass on.
    ASAN_OPTIONS="log_path=$logs/asan:detect_leaks=1:fast_unwind_on_malloc=0:abort_on_error=0" \
    LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0" \
    UBSAN_OPTIONS="log_path=$logs/ubsan:print_stacktrace=1:halt_on_error=1" \
        meson test -C build-san --setup full --print-errorlogs \
            --num-processes 2 --timeout-multiplier 3
    if compgen -G "$logs/*" >/dev/null; then
        echo "dev.sh: sanitizer reports:" >&2
        cat "$logs"/* >&2
        rm -rf "$logs"
        exit 1
    fi
    rm -rf "$logs"
    echo "sanitizers: no reports"

    # The CLI under valgrind on the shipped ledger (tests/valgrind.supp:
    # Graphviz, pango and fontconfig leaks only).
    echo "== the CLI under valgrind (tests/valgrind.sh)"
    tests/valgrind.sh build

    # Each libFuzzer target for a short, fixed time (docs/robustness.md);
    # a crash, a leak or a broken property fails the run.
    echo "== fuzzers, 25 s each (tests/fuzz/run.sh)"
    tests/fuzz/run.sh -t 25 -j 2

    # The fuzzers' seeds through every command and format of the CLI under
    # the sanitizers: exit codes, messages, well-formed JSON, CSV, Markdown,
    # HTML and SVG, no raw control characters (docs/robustness.md).
    echo "== the fuzz seeds through the CLI (tests/fuzz/replay.py)"
    tests/fuzz/replay.py --exe build-san/dealgraph -j 2 \
        dot=build-fuzz/fuzz/seed/dot csv=build-fuzz/fuzz/seed/csv
}

case "${1:-}" in
run)
    install_missing
    build build
    run_job
    ;;
test)
    install_missing
    build build
    run_tests
    ;;
build)
    install_missing
    build build
    ;;
*)
    echo "usage: ./dev.sh run|test|build" >&2
    exit 2
    ;;
esac
