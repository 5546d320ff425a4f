#!/usr/bin/env python3
"""replay.py - runs a fuzz corpus through the dealgraph command line.

The fuzz targets call the library; this script feeds the inputs they kept
(build-fuzz/fuzz/corpus/dot and .../csv) to the CLI, so that the code
only the CLI has is tried on the same odd ledgers: option handling, the
report, and every output format. For each input:

  lint --format json                 must be valid JSON, exit 0, 1 or 2
and, when the ledger loads (lint exits 0 or 1 and names no error):
  summary, loops, exposure, stress (two models), check, diff, report,
  render -T dot, and render -T svg for small ledgers, in their text,
  md, json, csv and html forms.

Every run must exit 0, 1 or 2; a 2 must come with a "dealgraph: " line;
standard error must hold only dealgraph's lines; text, md and html must
hold no raw control character but line breaks and tabs; JSON must parse, CSV
rows must all have the header's number of fields, Markdown tables their
header's number of cells, SVG must be XML, HTML's elements must nest;
a sanitizer build must report nothing. A run over 60 s is a hang.

  tests/fuzz/replay.py [--exe build-san/dealgraph] [--every K] [--max N]
                       [-j JOBS] KIND=DIR ...

KIND is dot or csv (how the inputs are written out; a csv input holds
deals.csv, companies.csv and graph.csv separated by form feeds, as for
fuzz_csv). Exit 1 and a list of the failures when any check fails.
"""
import argparse
import concurrent.futures
import csv
import html.parser
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import xml.etree.ElementTree as ET

TIMEOUT = 60
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}
SHIPPED = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "..", "..", "graphs", "ai-2025.dot")


class Nesting(html.parser.HTMLParser):
    """Checks that every element is closed in the order it was opened
    (outside inline SVG, which is checked as XML where it is written
    alone)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.problem = None

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if self.problem:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problem = "</%s> closes <%s>" % (
                tag, self.stack[-1] if self.stack else "nothing")
            return
        self.stack.pop()


def cells(line):
    """Cells of a Markdown table row; a backslash-escaped bar is text."""
    n, i, esc = 0, 0, False
    for ch in line.strip():
        if esc:
            esc = False
        elif ch == "\\":
            esc = True
        elif ch == "|":
            n += 1
    return n


def check_output(fmt, data):
    """None when `data` is well-formed `fmt`, else what is wrong."""
    if fmt in ("text", "md", "html"):
        raw = [c for c in data if (c < 0x20 and c not in (9, 10)) or c == 0x7f]
        if raw:
            return "a raw control byte 0x%02x in %s output" % (raw[0], fmt)
    if fmt == "json":
        try:
            json.loads(data)
        except ValueError as e:
            return "JSON does not parse: %s" % e
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        if rows:
            bad = [i for i, r in enumerate(rows) if len(r) != len(rows[0])]
            if bad:
                return "CSV row %d has %d fields, the header %d" % (
                    bad[0] + 1, len(rows[bad[0]]), len(rows[0]))
    elif fmt == "md":
        want = None
        for k, line in enumerate(data.decode("utf-8").split("\n"), 1):
            if line.startswith("|"):
                n = cells(line)
                if want is None:
                    want = n
                elif n != want:
                    return "Markdown line %d has %d bars, its header %d" % (
                        k, n, want)
            else:
                want = None
    elif fmt == "svg":
        try:
            ET.fromstring(data)
        except ET.ParseError as e:
            return "SVG is not XML: %s" % e
    elif fmt == "html":
        p = Nesting()
        p.feed(data.decode("utf-8"))
        p.close()
        if p.problem:
            return "HTML: " + p.problem
        if p.stack:
            return "HTML: <%s> never closed" % p.stack[-1]
    return None


def write_input(kind, data, work):
    """Writes one corpus input as a ledger; returns the path to give."""
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    if kind == "dot":
        path = os.path.join(work, "ledger.dot")
        with open(path, "wb") as f:
            f.write(data)
        return path
    parts = data.split(b"\f", 2)
    for name, part in zip(("deals.csv", "companies.csv", "graph.csv"), parts):
        with open(os.path.join(work, name), "wb") as f:
            f.write(part)
    return work + "/"


class Replay:
    def __init__(self, exe, logs):
        self.exe = exe
        self.logs = logs
        self.failures = []
        self.runs = 0
        self.env = dict(os.environ)
        supp = os.path.join(os.path.dirname(SHIPPED), "..", "tests",
                            "lsan.supp")
        self.env["ASAN_OPTIONS"] = ("log_path=%s/asan:detect_leaks=1:"
                                    "fast_unwind_on_malloc=0" % logs)
        self.env["LSAN_OPTIONS"] = ("suppressions=%s:print_suppressions=0"
                                    % os.path.abspath(supp))
        self.env["UBSAN_OPTIONS"] = ("log_path=%s/ubsan:print_stacktrace=1:"
                                     "halt_on_error=1" % logs)

    def fail(self, name, args, why):
        self.failures.append((name, " ".join(args), why))
        print("FAIL %s: dealgraph %s: %s" % (name, " ".join(args), why),
              flush=True)

    def run(self, name, args, fmt=None):
        """Runs dealgraph ARGS; returns (exit, stdout) after the checks."""
        self.runs += 1
        try:
            p = subprocess.run([self.exe] + args, capture_output=True,
                               timeout=TIMEOUT, env=self.env)
        except subprocess.TimeoutExpired:
            self.fail(name, args, "still running after %d s" % TIMEOUT)
            return None, b""
        reports = os.listdir(self.logs)
        if reports:
            for r in reports:
                with open(os.path.join(self.logs, r), errors="replace") as f:
                    first = f.read(4000)
                os.unlink(os.path.join(self.logs, r))
            self.fail(name, args, "sanitizer report:\n" + first)
        err = p.stderr.decode("utf-8", "replace")
        if p.returncode not in (0, 1, 2):
            self.fail(name, args, "exit %d: %s" % (p.returncode, err[:500]))
        elif p.returncode == 2 and "dealgraph: " not in err:
            self.fail(name, args, "exit 2 without a message: %r" % err[:300])
        stray = [l for l in err.split("\n")
                 if l and not l.startswith("dealgraph: ")
                 and not l.startswith(" ") and not l.startswith("\t")]
        if stray:
            self.fail(name, args, "a line on stderr that is not ours: %r"
                      % stray[0][:200])
        if fmt and p.returncode in (0, 1):
            why = check_output(fmt, p.stdout)
            if why:
                self.fail(name, args, why)
        return p.returncode, p.stdout

    def ledger(self, name, path, small):
        rc, out = self.run(name, ["lint", path, "--format", "json"], "json")
        if rc not in (0, 1):
            return
        try:
            if json.loads(out)["errors"]:
                return
        except (ValueError, KeyError, TypeError):
            return
        bounded = ["--max-seconds", "2"]
        for fmt in ("text", "md", "json"):
            self.run(name, ["summary", path, "--format", fmt], fmt)
            self.run(name, ["report", path, "--format", fmt], fmt)
        for fmt in ("text", "md", "json", "csv"):
            self.run(name, ["loops", path, "--format", fmt, "--max-len", "6",
                            "--limit", "300"] + bounded, fmt)
            self.run(name, ["exposure", path, "--format", fmt], fmt)
            self.run(name, ["stress", path, "--format", fmt], fmt)
        self.run(name, ["loops", path, "--temporal", "--format", "json",
                        "--limit", "300"] + bounded, "json")
        self.run(name, ["loops", path, "--null", "5", "--max-len", "5",
                        "--format", "json"] + bounded, "json")
        self.run(name, ["stress", path, "--model", "clearing",
                        "--format", "json"], "json")
        self.run(name, ["check", path, "--max-loops", "0", "--max-len", "5",
                        "--format", "json"], "json")
        self.run(name, ["check", path, "--max-fci", "0", "--max-len", "5",
                        "--format", "md"], "md")
        self.run(name, ["diff", SHIPPED, path, "--max-len", "5",
                        "--format", "json"], "json")
        self.run(name, ["diff", path, SHIPPED, "--max-len", "5",
                        "--format", "md"], "md")
        self.run(name, ["render", path, "-T", "dot"])
        for fmt in ("text", "json", "csv"):
            self.run(name, ["timeline", path, "--by", "year", "--max-len",
                            "5", "--format", fmt], fmt)
        if small:
            self.run(name, ["report", path, "--format", "html"], "html")
            self.run(name, ["render", path, "-T", "svg"], "svg")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--exe", default="build-san/dealgraph")
    ap.add_argument("--every", type=int, default=1,
                    help="take every K-th input (sorted by name)")
    ap.add_argument("--max", type=int, default=0, help="at most N inputs")
    ap.add_argument("-j", type=int, default=1, metavar="JOBS",
                    help="inputs replayed at once")
    ap.add_argument("corpora", nargs="+", metavar="KIND=DIR")
    a = ap.parse_args()
    exe = os.path.abspath(a.exe)
    todo = []
    for spec in a.corpora:
        kind, _, d = spec.partition("=")
        if kind not in ("dot", "csv") or not os.path.isdir(d):
            ap.error("%s: give dot=DIR or csv=DIR" % spec)
        names = sorted(os.listdir(d))[::a.every]
        if a.max:
            names = names[:a.max]
        todo += [(kind, os.path.join(d, n)) for n in names]
    tmp = tempfile.mkdtemp(prefix="dealgraph-replay-")
    lock = threading.Lock()
    mine = threading.local()
    workers = []
    done = [0]

    def one(job):
        """Replays one input on this thread's own work and log folders."""
        kind, src = job
        if not hasattr(mine, "r"):
            with lock:
                k = len(workers)
                logs = os.path.join(tmp, "logs%d" % k)
                os.makedirs(logs)
                mine.r = Replay(exe, logs)
                mine.work = os.path.join(tmp, "in%d" % k)
                workers.append(mine.r)
        try:
            with open(src, "rb") as f:
                data = f.read()
        except FileNotFoundError:  # a running fuzzer merged it away
            return
        path = write_input(kind, data, mine.work)
        mine.r.ledger("%s/%s" % (kind, os.path.basename(src)), path,
                      len(data) < 20000)
        with lock:
            done[0] += 1
            if done[0] % 100 == 0:
                print("%d of %d inputs, %d failures" % (
                    done[0], len(todo), sum(len(w.failures) for w in workers)),
                    flush=True)

    with concurrent.futures.ThreadPoolExecutor(max(1, a.j)) as pool:
        list(pool.map(one, todo))
    shutil.rmtree(tmp, ignore_errors=True)
    runs = sum(w.runs for w in workers)
    failures = sum(len(w.failures) for w in workers)
    print("replay: %d inputs, %d runs, %d failures"
          % (len(todo), runs, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
