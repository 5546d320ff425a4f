#!/usr/bin/env bash
# bench/run.sh - the cycle engine against NetworkX and Boost.Graph.
#
# In one run: builds the drivers (bench/dg_count.c with src/cycles.c, linked
# to libigraph.so and once with igraph's static archive, as meson links the
# library and the CLI by default (-Dstatic_igraph=auto); the
# C++ harness bench/boost_count.cpp against Debian's Boost headers),
# generates the graphs (bench/gen.py), checks that every tool finds the same
# number of cycles (stops loudly if not) and times whole-process runs
# (bench/measure.py: median of RUNS runs, hyperfine when installed).
#
# Usage: bench/run.sh [OUTDIR]      (default: ${TMPDIR:-/tmp}/dealgraph-bench)
# Environment: RUNS=5 CAP=600 (seconds per run) FULL=1 (also NetworkX on
# K_11), CC, CXX.
# Needs: gcc, g++, pkg-config, libigraph-dev, libboost-graph-dev,
# python3-networkx (/usr/bin/python3); hyperfine is optional
# (apt-get install hyperfine).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=${1:-${TMPDIR:-/tmp}/dealgraph-bench}
CC=${CC:-gcc}
CXX=${CXX:-g++}
mkdir -p "$out"

cflags="-std=c11 -O2 -DNDEBUG -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wshadow"
echo "== building in $out"
# shellcheck disable=SC2046
"$CC" $cflags -I"$root/include" -I"$root/src" $(pkg-config --cflags igraph) \
    "$here/dg_count.c" "$root/src/cycles.c" "$root/src/scc.c" -o "$out/dg_count" \
    $(pkg-config --libs igraph)
# The same driver with igraph linked statically: only the few objects the
# engine uses are pulled in, which drops the ~3 ms it takes to load
# libigraph.so and its dependencies (BLAS, LAPACK, GLPK, ICU, ...).
libdir=$(pkg-config --variable=libdir igraph)
if [ -f "$libdir/libigraph.a" ]; then
    # shellcheck disable=SC2046
    "$CC" $cflags -I"$root/include" -I"$root/src" $(pkg-config --cflags igraph) \
        "$here/dg_count.c" "$root/src/cycles.c" "$root/src/scc.c" -o "$out/dg_count_static" \
        "$libdir/libigraph.a" -Wl,--as-needed -lm -lstdc++ -lgomp -lpthread
else
    echo "no $libdir/libigraph.a: the static column repeats the shared build"
    cp "$out/dg_count" "$out/dg_count_static"
fi
"$CXX" -std=c++17 -O2 -DNDEBUG -Wall -Wextra "$here/boost_count.cpp" \
    -o "$out/boost_count"

echo "== generating graphs"
/usr/bin/python3 "$here/gen.py" "$out/graphs"

echo "== measuring (RUNS=${RUNS:-5}, CAP=${CAP:-600} s per run)"
/usr/bin/python3 "$here/measure.py" "$out"
echo "== results in $out/results.md and $out/results.json"
