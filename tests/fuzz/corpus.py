#!/usr/bin/env python3
"""corpus.py - builds the fuzzers' seed corpora from the project's own files.

    tests/fuzz/corpus.py OUTDIR

writes OUTDIR/dot, OUTDIR/csv, OUTDIR/values and OUTDIR/policy, one input a
file, named by the SHA-1 of its content (as libFuzzer names its own). The
seeds are generated rather than committed: the shipped ledger in both
formats, the examples, the test cases, the fenced examples of docs/*.md,
every attribute value of the shipped ledger, and the small hand-made seeds
and crash reproducers kept in tests/fuzz/seeds/. The CSV target reads
deals.csv, companies.csv and graph.csv joined by form feeds (fuzz_csv.c).
"""
import hashlib
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def read(rel):
    with open(os.path.join(ROOT, rel), 'rb') as f:
        return f.read()


def files(rel_dir, suffix=''):
    d = os.path.join(ROOT, rel_dir)
    if not os.path.isdir(d):
        return []
    return sorted(os.path.join(rel_dir, n) for n in os.listdir(d)
                  if n.endswith(suffix) and os.path.isfile(os.path.join(d, n)))


def fenced_blocks():
    """(first line, text) of every ``` block in docs/*.md and README.md."""
    out = []
    for rel in files('docs', '.md') + ['README.md', 'graphs/README.md']:
        if not os.path.exists(os.path.join(ROOT, rel)):
            continue
        text = read(rel).decode('utf-8')
        for m in re.finditer(r'```([a-z]*)\n(.*?)```', text, re.S):
            out.append((m.group(1), m.group(2).encode('utf-8')))
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: corpus.py OUTDIR')
    out = sys.argv[1]
    seeds = {'dot': set(), 'csv': set(), 'values': set(), 'policy': set()}

    # DOT: ledgers, examples, test cases, the docs' DOT examples.
    for rel in (files('graphs', '.dot') + files('graphs/examples', '.dot') +
                files('tests/cases', '.dot')):
        seeds['dot'].add(read(rel))
    for lang, block in fenced_blocks():
        first = block.split(b'\n', 1)[0]
        if lang == 'dot' or first.startswith((b'digraph', b'strict', b'graph ')):
            seeds['dot'].add(block)
        elif first.startswith(b'from,') or first.startswith(b'name,'):
            seeds['csv'].add(block)
        elif first.startswith(b'# .dealgraph-policy') or re.match(
                rb'^[a-z-]+ = ', first):
            seeds['policy'].add(block)

    # CSV: the shipped ledger's three files, joined, and each alone.
    deals = read('graphs/ai-2025/deals.csv')
    companies = read('graphs/ai-2025/companies.csv')
    graph = read('graphs/ai-2025/graph.csv')
    seeds['csv'].update({deals, deals + b'\f' + companies,
                         deals + b'\f' + companies + b'\f' + graph,
                         deals + b'\f\f' + graph})
    # a few legs with every company: small inputs mutate faster
    lines = deals.split(b'\n')
    seeds['csv'].add(b'\n'.join(lines[:6]) + b'\n\f' + companies + b'\f' + graph)
    seeds['csv'].add(b'\n'.join(lines[:3]).replace(b'\n', b'\r\n') + b'\r\n')

    # Values: every attribute value of the shipped ledger, and the forms
    # docs/format.md lists (accepted and rejected).
    for rel in ['graphs/ai-2025.dot'] + files('graphs/examples', '.dot'):
        for m in re.finditer(rb'[a-z_]+="([^"\n]{0,80})"', read(rel)):
            seeds['values'].add(m.group(1))
    for v in [b'300000000000', b'300e9', b'300B', b'$300B', b'1.5T', b'350M',
              b'12.5bn', b' 12K ', b'30 bn dollars', b'12,5B', b'-5B', b'nan',
              b'inf', b'0x10', b'3e11B', b'1e16', b'2025', b'2025-02',
              b'2024-02-29', b'2025-02-29', b'1899-12-31', b'chips,cloud',
              b'chips,,cloud', b'mid', b'completed', b'spv']:
        seeds['values'].add(v)

    # Policy: the docs' example, one line per rule, and the error forms.
    seeds['policy'].update({
        b'max-loops = 40\nmax-loop-value = 50B\nmax-fci = 0.10\n',
        b'max-exposure = 50%\nfocus = OpenAI\nmax-len = 4\n',
        b'no-new-loops = baseline.dot\n# a comment\n\n',
        b'max-loop = 3\n', b'max-exposure 0.5\n', b'max-fci = 1.5\r\n',
    })

    # The hand-made seeds and crash reproducers kept in the repository.
    for target in seeds:
        for rel in files(os.path.join('tests/fuzz/seeds', target)):
            seeds[target].add(read(rel))

    for target, items in seeds.items():
        d = os.path.join(out, target)
        os.makedirs(d, exist_ok=True)
        for item in items:
            name = hashlib.sha1(item).hexdigest()
            with open(os.path.join(d, name), 'wb') as f:
                f.write(item)
        print(f'corpus.py: {target}: {len(items)} seeds in {d}')


if __name__ == '__main__':
    main()
