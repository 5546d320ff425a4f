#!/usr/bin/python3
"""nx_count.py - counts elementary cycles with NetworkX (the benchmark's
Python reference). Usage: nx_count.py [--max-len N] FILE

FILE: "n m" then m lines "u v"; parallel edges merge, self-loops drop.

Unbounded: nx.simple_cycles (Johnson's algorithm, iterative).
Bounded: NetworkX 2.8.8 (Debian 12) has no length_bound for simple_cycles
(it arrived in 3.1), so the bounded count uses what 2.8.8 has: for each
start s, nx.all_simple_paths from s to the predecessors of s with cutoff
N - 1 in the subgraph of vertices >= s. Each cycle is counted once, from its
smallest vertex.
"""
import sys

import networkx as nx


def main(argv):
    max_len = 0
    path = None
    i = 1
    while i < len(argv):
        if argv[i] == "--max-len":
            max_len = int(argv[i + 1])
            i += 2
        else:
            path = argv[i]
            i += 1
    with open(path) as f:
        n, m = map(int, f.readline().split())
        edges = []
        for _ in range(m):
            u, v = map(int, f.readline().split())
            if u != v:
                edges.append((u, v))
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    G.add_edges_from(edges)
    if max_len == 0:
        count = sum(1 for _ in nx.simple_cycles(G))
    elif max_len < 2:
        count = 0
    else:
        count = 0
        for s in range(n):
            targets = [p for p in G.predecessors(s) if p > s]
            if not targets:
                continue
            H = G.subgraph(range(s, n))
            for _ in nx.all_simple_paths(H, s, targets, cutoff=max_len - 1):
                count += 1
    print(count)


if __name__ == "__main__":
    main(sys.argv)
