#!/usr/bin/env bash
# valgrind.sh - the CLI under valgrind's memcheck on the shipped ledger, a
# three-company loop and broken ledgers: every command, the renderer in each format. Exit 1 on
# any memcheck error (invalid read or write, use of uninitialised memory, a
# definite leak) that tests/valgrind.supp does not name; that file holds
# only leaks inside Graphviz, pango and fontconfig, never dealgraph's.
#
#   tests/valgrind.sh [BUILD-DIR]     (default build/; ./dev.sh test runs it)
set -euo pipefail
cd "$(dirname "$0")/.."
dg=${1:-build}/dealgraph
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf 'max-loops = 40\nmax-loop-value = 50B\nmax-fci = 0.2\nmax-exposure = 90%%\n' \
    > "$out/policy"
# a three-company loop: dot reverses one leg to lay it out
for leg in 'A -> B' 'B -> C' 'C -> A'; do
    printf '%s [kind=cloud, amount="1B", status=reported, announced=2025];\n' "$leg"
done | sed '1i digraph loop3 {' | sed '$a }' > "$out/loop3.dot"

G=graphs/ai-2025.dot
runs=(
    "lint --strict $G graphs/ai-2025/"
    "lint tests/fuzz/seeds/dot/errors.dot tests/fuzz/seeds/csv/small.csv"
    "summary $G --format json"
    "summary graphs/ai-2025/"
    "loops $G --null 20"
    "loops $G --temporal --format json"
    "exposure $G --format csv"
    "stress $G"
    "stress $G --model clearing --shortfall 0.5"
    "render $G -o $out/a.svg"
    "render $G -o $out/a.png"
    "render $G -o $out/a.pdf"
    "render $G -T dot -o $out/a.dot"
    "render $out/loop3.dot -o $out/b.svg"
    "report $G --format html -o $out/r.html"
    "report $G --format md -o $out/r.md"
    "diff graphs/examples/amd-warrant.dot $G"
    "check $G --policy $out/policy --no-new-loops graphs/examples/amd-warrant.dot"
)
status=0
for args in "${runs[@]}"; do
    set +e
    # shellcheck disable=SC2086 # the arguments are split on purpose
    valgrind --quiet --error-exitcode=99 --leak-check=full \
        --errors-for-leak-kinds=definite --show-leak-kinds=definite \
        --num-callers=40 --suppressions=tests/valgrind.supp \
        --log-file="$out/vg.log"  "$dg" $args >/dev/null 2>"$out/stderr"
    code=$?
    set -e
    if [ "$code" -eq 99 ] || [ "$code" -gt 128 ] || [ -s "$out/vg.log" ]; then
        echo "valgrind.sh: dealgraph $args: memcheck errors (exit $code):" >&2
        cat "$out/vg.log" >&2
        status=1
    fi
done
[ $status -eq 0 ] && echo "valgrind: ${#runs[@]} runs, no errors"
exit $status
