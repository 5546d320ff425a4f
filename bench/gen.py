#!/usr/bin/python3
"""gen.py - writes the benchmark graphs into a directory.

Usage: gen.py OUTDIR

For each case NAME it writes
  NAME.edges  "n m" then m lines "u v": the simple digraph every tool reads
              (parallel legs merged into one hop, self-loops dropped);
  NAME.legs   the same format with every leg, parallels and self-loops kept
              (the random multigraphs only);
  NAME.dot    a DOT ledger of the legs, for `dealgraph loops --count`:
              companies c0000, c0001, ... (zero-padded, so name order is
              id order), one edge statement per leg, self-loop legs left
              out (a company cannot deal with itself).
The random graphs use Python's random.Random(seed), which is stable across
Python versions for the calls used here (randrange on ints).
"""
import os
import random
import sys


def write_edges(path, n, edges):
    with open(path, "w") as f:
        f.write(f"{n} {len(edges)}\n")
        for u, v in edges:
            f.write(f"{u} {v}\n")


def write_dot(path, n, legs, title):
    """A ledger a loader accepts: a company cannot deal with itself, so
    self-loop legs are left out (they are no hop either); parallel legs
    stay, each with its own deal id so none is an exact repeat."""
    width = max(4, len(str(n - 1)))
    kinds = ["chips", "cloud", "services", "equity"]
    loops = sum(1 for u, v in legs if u == v)
    with open(path, "w") as f:
        f.write(f"/* {title}"
                + (f"; {loops} self-loop legs left out" if loops else "")
                + " */\n")
        f.write("digraph {\n")
        f.write(f'  title="{title}";\n')
        for i in range(n):
            f.write(f'  "c{i:0{width}d}";\n')
        for k, (u, v) in enumerate(legs):
            if u == v:
                continue
            f.write(f'  "c{u:0{width}d}" -> "c{v:0{width}d}" '
                    f'[kind="{kinds[k % len(kinds)]}", status="definitive", '
                    f'announced="2025", deal="d{k}"];\n')
        f.write("}\n")


def simple(legs):
    return sorted({(u, v) for u, v in legs if u != v})


def case(outdir, name, n, legs, title):
    edges = simple(legs)
    write_edges(os.path.join(outdir, name + ".edges"), n, edges)
    if len(legs) != len(edges) or sorted(legs) != edges:
        write_edges(os.path.join(outdir, name + ".legs"), n, legs)
    write_dot(os.path.join(outdir, name + ".dot"), n, legs, title)


def main():
    if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
        sys.stderr.write("usage: bench/gen.py OUTDIR\n")
        sys.exit(2)
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    for n in range(8, 12):
        legs = [(u, v) for u in range(n) for v in range(n) if u != v]
        case(outdir, f"k{n}", n, legs, f"complete digraph K_{n}")
    # Random multigraphs: legs drawn uniformly with replacement.
    for name, n, m, seed in (("rand2000", 2000, 6000, 2000),
                             ("rand30", 30, 120, 30)):
        rng = random.Random(seed)
        legs = [(rng.randrange(n), rng.randrange(n)) for _ in range(m)]
        case(outdir, name, n, legs,
             f"random multigraph, {n} companies, {m} legs, seed {seed}")
    # Diamond chain: j_0 = 0; diamond i: j_{i-1} -> a_i, b_i -> j_i;
    # back edge j_t -> 0. 2^t cycles of length 2t + 1.
    for t in (20,):
        legs = []
        for i in range(1, t + 1):
            prev, a, b, j = 3 * (i - 1), 3 * i - 2, 3 * i - 1, 3 * i
            legs += [(prev, a), (prev, b), (a, j), (b, j)]
        legs.append((3 * t, 0))
        case(outdir, f"diamond{t}", 3 * t + 1, legs,
             f"chain of {t} diamonds")


if __name__ == "__main__":
    main()
