#!/usr/bin/env bash
# run.sh - builds the libFuzzer targets (build-fuzz/, clang, ASan + UBSan)
# and runs each for a fixed time; exit 1 when one finds a crash, a leak or
# a failed property (the input is saved under build-fuzz/fuzz/artifacts/).
#
#   tests/fuzz/run.sh [-t SECONDS] [-j JOBS] [TARGET...] [-- LIBFUZZER-ARGS]
#
# TARGET is dot, csv, values or policy (default: all four). -t is the time
# per target (default 30), -j how many run at once (default 1). The seed
# corpus is generated from the project's files (corpus.py); what a run
# finds is kept in build-fuzz/fuzz/corpus/TARGET for the next run.
# ./dev.sh test runs every target for a short time; long runs and how to
# reproduce a crash: docs/robustness.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=30
jobs=1
while getopts t:j: opt; do
    case $opt in
    t) seconds=$OPTARG ;;
    j) jobs=$OPTARG ;;
    *) echo "usage: tests/fuzz/run.sh [-t SECONDS] [-j JOBS] [TARGET...] [-- ARGS]" >&2
       exit 2 ;;
    esac
done
shift $((OPTIND - 1))
targets=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    targets+=("$1")
    shift
done
[ "${1:-}" = "--" ] && shift
extra=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(dot csv values policy)

build=build-fuzz
if [ ! -f "$build/build.ninja" ]; then
    CC=clang meson setup "$build" -Dfuzz=true -Dtests=false -Dwerror=true \
        -Db_sanitize=address,undefined -Db_lundef=false \
        -Dbuildtype=debugoptimized -Dc_args=-fno-sanitize-recover=all \
        >/dev/null
fi
ninja -C "$build" >/dev/null

work=$build/fuzz
rm -rf "$work/seed"
python3 tests/fuzz/corpus.py "$work/seed" >/dev/null
mkdir -p "$work/artifacts"

dict_of() {
    case $1 in
    dot) echo tests/fuzz/dot.dict ;;
    policy) echo tests/fuzz/policy.dict ;;
    *) echo tests/fuzz/csv.dict ;;
    esac
}

# run_one TARGET: runs it, its output in build-fuzz/fuzz/TARGET.log.
run_one() {
    local t=$1
    mkdir -p "$work/corpus/$t"
    ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" \
    LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
        "$build/tests/fuzz/fuzz_$t" "$work/corpus/$t" "$work/seed/$t" \
        -dict="$(dict_of "$t")" -max_total_time="$seconds" -timeout=20 \
        -rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$work/artifacts/$t-" ${extra[@]+"${extra[@]}"} \
        >"$work/$t.log" 2>&1
}

status=0
pids=()
names=()
finish_one() {
    local pid=$1 t=$2
    if wait "$pid"; then
        local execs
        execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' \
                "$work/$t.log" | grep -o '[0-9]*$' || echo '?')
        echo "fuzz_$t: ${seconds}s, $execs runs, corpus $(ls "$work/corpus/$t" | wc -l) inputs, nothing found"
    else
        echo "fuzz_$t: FAILED; the end of $work/$t.log:" >&2
        tail -n 40 "$work/$t.log" >&2
        status=1
    fi
}
for t in "${targets[@]}"; do
    if [ ! -x "$build/tests/fuzz/fuzz_$t" ]; then
        echo "run.sh: no target '$t'; use dot, csv, values or policy" >&2
        exit 2
    fi
    run_one "$t" &
    pids+=($!)
    names+=("$t")
    if [ ${#pids[@]} -ge "$jobs" ]; then
        finish_one "${pids[0]}" "${names[0]}"
        pids=("${pids[@]:1}")
        names=("${names[@]:1}")
    fi
done
while [ ${#pids[@]} -gt 0 ]; do
    finish_one "${pids[0]}" "${names[0]}"
    pids=("${pids[@]:1}")
    names=("${names[@]:1}")
done
exit $status
