#!/usr/bin/python3
"""measure.py - runs the benchmark cases (called by run.sh).

Usage: measure.py OUTDIR

OUTDIR holds the binaries (dg_count, dg_count_static, boost_count) and the
graphs (OUTDIR/graphs, from gen.py). For every case and tool:
  1. one probe run under a time cap gives the cycle count;
  2. the counts of all tools must agree (and match the closed form where
     one exists), or the script stops with an error;
  3. the whole process is timed RUNS times (hyperfine when installed, else a
     plain loop) and the median kept.
Writes OUTDIR/results.json and OUTDIR/results.md and prints the table.

Environment: RUNS (default 5), CAP (seconds per run, default 600),
FULL=1 to also run the cases skipped by default (NetworkX on K_11),
DEALGRAPH_CMD to add the CLI as a column: a command template where {bound}
becomes "--max-len N" (or nothing) and {dot} the DOT ledger, e.g.
  DEALGRAPH_CMD='/path/to/dealgraph loops --count {bound} {dot}'
The first integer the command prints on stdout is taken as the count.
ONLY: run only the cases whose "CASE bound B" contains one of these
comma-separated strings, e.g. ONLY='K_8 bound none,bound 40'.
"""
import json
import math
import re
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RUNS = int(os.environ.get("RUNS", "5"))
CAP = float(os.environ.get("CAP", "600"))
FULL = os.environ.get("FULL", "") == "1"
PYTHON = "/usr/bin/python3"

CLI = os.environ.get("DEALGRAPH_CMD", "")
TOOLS = (["cli"] if CLI else []) + ["ours", "ours_static", "hawick",
                                    "tiernan", "nx"]
TOOL_NAMES = {
    "cli": "dealgraph CLI",
    "ours": "ours",
    "ours_static": "ours, static igraph",
    "hawick": "Boost hawick_circuits",
    "tiernan": "Boost tiernan_all_cycles",
    "nx": "NetworkX",
}

# (case id, graph, length bound (0 = none), {tool: reason} for tools not run)
NO_BOUND = "no length bound in Boost 1.74"
CASES = []
for n in range(8, 12):
    skip = {}
    if n == 11 and not FULL:
        skip["nx"] = ("skipped: 11.0M cycles in Python, about 90 s a run "
                      "(FULL=1 runs it)")
    CASES.append((f"K_{n}", f"k{n}", 0, skip))
for L in range(6, 13):
    CASES.append(("random 2000/6000", "rand2000", L,
                  {"hawick": NO_BOUND}))
for L in (8, 12):
    CASES.append(("random 30/120", "rand30", L, {"hawick": NO_BOUND}))
CASES.append(("random 30/120", "rand30", 0,
              {"tiernan": "skipped: enumerates every simple path, far more "
                          "than the 2.2M cycles"}))
for L in (40, 41, 0):
    CASES.append(("diamond chain t=20", "diamond20", L,
                  {"hawick": NO_BOUND} if L else {}))
if os.environ.get("ONLY"):
    CASES = [c for c in CASES
             if any(w in f"{c[0]} bound {c[2] or 'none'}"
                    for w in os.environ["ONLY"].split(","))]


def command(tool, outdir, graph, L):
    g = os.path.join(outdir, "graphs", graph + ".edges")
    bound = ["--max-len", str(L)] if L else []
    if tool == "cli":
        dot = os.path.join(outdir, "graphs", graph + ".dot")
        return [a for w in shlex.split(CLI)
                for a in (bound if w == "{bound}" else
                          [dot] if w == "{dot}" else [w])]
    if tool == "ours":
        return [os.path.join(outdir, "dg_count")] + bound + [g]
    if tool == "ours_static":
        return [os.path.join(outdir, "dg_count_static")] + bound + [g]
    if tool == "hawick":
        return [os.path.join(outdir, "boost_count"), "hawick", g]
    if tool == "tiernan":
        return [os.path.join(outdir, "boost_count"), "tiernan"] + bound + [g]
    if tool == "nx":
        return [PYTHON, os.path.join(HERE, "nx_count.py")] + bound + [g]
    raise ValueError(tool)


def expected(graph, L):
    """Closed forms: K_n has C(n,k)(k-1)! cycles of length k; the diamond
    chain of t diamonds has 2^t cycles, all of length 2t + 1."""
    if graph.startswith("k"):
        n = int(graph[1:])
        return sum(math.comb(n, k) * math.factorial(k - 1)
                   for k in range(2, n + 1) if not L or k <= L)
    if graph.startswith("diamond"):
        t = int(graph[len("diamond"):])
        return 2 ** t if (not L or L >= 2 * t + 1) else 0
    return None


def probe(cmd):
    t0 = time.perf_counter()
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=CAP)
    except subprocess.TimeoutExpired:
        return None, None, "timeout"
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit(f"FAILED: {shlex.join(cmd)} exited {r.returncode}:\n"
                 f"{r.stderr}")
    m = re.search(r"\d+", r.stdout)
    if not m:
        sys.exit(f"FAILED: {shlex.join(cmd)} printed no count:\n{r.stdout}")
    return int(m.group(0)), dt, None


def time_runs(cmd, probe_seconds):
    """Median wall time of RUNS whole-process runs; at least 20 when a run
    takes under a second, where one noisy run moves a median of 5."""
    slow = probe_seconds > 10
    runs = RUNS if probe_seconds >= 1 else max(RUNS, 20)
    if shutil.which("hyperfine"):
        # A run that cannot take long needs no time cap; wrapping it in
        # timeout(1) would add a process to every measurement.
        run = (["timeout", str(int(CAP))] + cmd) if slow else cmd
        with tempfile.NamedTemporaryFile(suffix=".json") as f:
            subprocess.run(
                ["hyperfine", "-N", "--style", "none", "--runs", str(runs),
                 "--warmup", "0" if slow else "1",
                 "--export-json", f.name, shlex.join(run)],
                check=True, stdout=subprocess.DEVNULL)
            data = json.load(open(f.name))["results"][0]
        times = data["times"]
        if any(c != 0 for c in data.get("exit_codes", [])):
            return None, times
        return statistics.median(times), times
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL,
                       timeout=CAP)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def fmt_time(s):
    if s is None:
        return "-"
    if s < 1:
        return f"{s * 1000:.1f} ms"
    return f"{s:.2f} s"


def fmt_ratio(num, den):
    if num is None or den is None:
        return "-"
    r = num / den
    return f"{r:.0f}×" if r >= 10 else f"{r:.1f}×"


def versions():
    def out(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True,
                                  shell=True).stdout.strip()
        except OSError:
            return "?"
    cpu = out("lscpu | sed -n 's/^Model name: *//p' | head -1")
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": out("free -g | awk '/^Mem:/ {print $2 \" GiB\"}'"),
        "kernel": platform.release(),
        "os": out(". /etc/os-release && echo $PRETTY_NAME"),
        "gcc": out("gcc -dumpfullversion"),
        "g++": out("g++ -dumpfullversion"),
        "igraph": out("pkg-config --modversion igraph"),
        "boost": out("dpkg-query -W -f='${Version}' libboost-graph-dev"),
        "python": platform.python_version(),
        "networkx": out(PYTHON + " -c 'import networkx; "
                        "print(networkx.__version__)'"),
        "hyperfine": out("hyperfine --version") or "not installed",
    }


def main():
    outdir = sys.argv[1]
    results = []
    for label, graph, L, skip in CASES:
        row = {"case": label, "graph": graph, "bound": L, "tools": {}}
        counts = {}
        for tool in TOOLS:
            if tool in skip:
                row["tools"][tool] = {"note": skip[tool]}
                continue
            cmd = command(tool, outdir, graph, L)
            count, dt, err = probe(cmd)
            if err:
                row["tools"][tool] = {"note": f"> {CAP:.0f} s (timed out)"}
                print(f"{label} L={L} {tool}: timed out", flush=True)
                continue
            counts[tool] = count
            row["tools"][tool] = {"count": count, "probe": dt,
                                  "command": shlex.join(cmd)}
        distinct = set(counts.values())
        want = expected(graph, L)
        if len(distinct) > 1 or (want is not None and distinct and
                                 distinct != {want}):
            sys.exit(f"COUNTS DISAGREE on {label} bound {L}: {counts}"
                     + (f" (closed form {want})" if want is not None else ""))
        row["cycles"] = distinct.pop() if distinct else None
        for tool, r in row["tools"].items():
            if "count" not in r:
                continue
            med, times = time_runs(shlex.split(r["command"]), r["probe"])
            r["median"], r["times"] = med, times
            print(f"{label} L={L} {tool}: {row['cycles']} cycles, "
                  f"median {fmt_time(med)}", flush=True)
        results.append(row)

    info = versions()
    json.dump({"machine": info, "runs": RUNS, "cap": CAP,
               "results": results},
              open(os.path.join(outdir, "results.json"), "w"), indent=1)

    lines = []
    cli_head = "dealgraph CLI | " if CLI else ""
    lines.append("| case | bound | cycles | " + cli_head +
                 "ours | ours, static igraph | "
                 "hawick | tiernan | NetworkX | hawick/ours | "
                 "tiernan/ours | NetworkX/ours |")
    lines.append("|---|---|--:|" + ("--:|" if CLI else "") +
                 "--:|--:|--:|--:|--:|--:|--:|--:|")
    notes = []
    for row in results:
        t = row["tools"]

        def med(tool):
            return t.get(tool, {}).get("median")

        def cell(tool):
            r = t.get(tool, {})
            if "median" in r:
                return fmt_time(r["median"])
            if "note" in r:
                notes.append(f"{row['case']}, bound {row['bound'] or 'none'}, "
                             f"{TOOL_NAMES[tool]}: {r['note']}")
                return f"n/a [{len(notes)}]"
            return "-"

        def ratio(tool):
            a, b = med(tool), med("ours")
            s = med("ours_static")
            if a is None:
                return "-"
            return f"{fmt_ratio(a, b)} ({fmt_ratio(a, s)})"

        lines.append(
            f"| {row['case']} | {row['bound'] or 'none'} | "
            f"{row['cycles'] if row['cycles'] is not None else '?'} | "
            + (f"{cell('cli')} | " if CLI else "") +
            f"{cell('ours')} | {cell('ours_static')} | {cell('hawick')} | "
            f"{cell('tiernan')} | {cell('nx')} | {ratio('hawick')} | "
            f"{ratio('tiernan')} | {ratio('nx')} |")
    text = "\n".join(lines) + "\n\n"
    text += "".join(f"[{i}] {n}  \n" for i, n in enumerate(notes, 1))
    text += ("\nMedians of whole-process runs: %d runs each, 20 where a run "
             "takes under a second. Ratios: the tool's median over ours "
             "(over the static build in parentheses).\n" % RUNS)
    text += "\nMachine: " + ", ".join(f"{k} {v}" for k, v in info.items())
    text += "\n"
    open(os.path.join(outdir, "results.md"), "w").write(text)
    print()
    print(text)


if __name__ == "__main__":
    main()
