#!/usr/bin/env python3
"""dot2csv.py - writes the CSV copy of a shipped DOT ledger.

    graphs/dot2csv.py [--check] [LEDGER.dot [OUTDIR]]

Reads LEDGER.dot (default graphs/ai.dot) and writes OUTDIR (default the
ledger's name without .dot, e.g. graphs/ai/): deals.csv, companies.csv and
graph.csv, with the same companies, legs and attribute values in the same
order. With --check nothing is written; the exit status is 1 when a file
differs from what would be written (for CI), 0 when all agree.

The DOT must be in the shipped ledgers' form (graphs/README.md): one
statement per line, every value double-quoted, no backslash other than
\\" (a quote), every company declared by a node statement before the
legs. Anything else is refused with FILE:LINE: what is wrong, exit 2, so
the copy never drifts silently. tests/test_ledger.c checks that both copies
load to the same ledger, attribute by attribute.

Columns: from/to (name for companies) and then the attributes the file
uses, in the documented order of the library (dg_leg_fields and
dg_company_fields in src/attrs.c); an attribute the lists below do not
know is an error. Files are UTF-8 without a BOM, LF line ends, RFC 4180
quoting (a field is quoted only when it holds a comma, a quote or a line
break).
"""
import os
import re
import sys

# src/attrs.c, dg_leg_fields and dg_company_fields, in that order.
LEG_FIELDS = [
    'kind', 'amount', 'amount_low', 'amount_high', 'estimate_by', 'per',
    'upto', 'status', 'announced', 'start', 'end', 'term', 'profile',
    'funded', 'funded_as_of', 'ended', 'ended_why', 'supersedes', 'id',
    'deal', 'source', 'url', 'note',
]
COMPANY_FIELDS = [
    'label', 'sector', 'equity', 'equity_basis', 'equity_as_of', 'cash',
    'cash_as_of', 'outside_inflow', 'capex', 'ebitda', 'period', 'currency',
    'revenue', 'ocf', 'debt', 'rpo', 'rpo_as_of', 'fiscal_year_end',
    'source', 'note',
]
GRAPH_FIELDS = ['focus', 'as_of', 'title']

STRING = r'"((?:[^"\\]|\\")*)"'
ATTR = re.compile(r'\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*' + STRING + r'\s*(,|$)')
NODE = re.compile(r'^\s*' + STRING + r'\s*\[(.*)\];\s*$')
EDGE = re.compile(r'^\s*' + STRING + r'\s*->\s*' + STRING + r'\s*\[(.*)\];\s*$')
GRAPH = re.compile(r'^\s*graph\s*\[(.*)\];\s*$')
OPEN = re.compile(r'^\s*digraph\s+' + STRING + r'\s*\{\s*$')


class Refused(Exception):
    pass


def unquote(text, where):
    if '\\' in text.replace('\\"', ''):
        raise Refused(f'{where}: a backslash other than \\" in a value; '
                      'the shipped ledgers have none')
    return text.replace('\\"', '"')


def attrs(text, where):
    """The name="value" list of a statement, as (name, value) pairs."""
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = ATTR.match(text, pos)
        if not m:
            raise Refused(f'{where}: cannot read the attribute list at '
                          f'"{text[pos:pos + 40]}"; write name="value", ...')
        name, value = m.group(1), unquote(m.group(2), where)
        if any(name == n for n, _ in out):
            raise Refused(f'{where}: attribute {name} is given twice')
        out.append((name, value))
        pos = m.end()
    return out


def read_dot(path):
    graph, companies, legs = [], [], []
    known = set()
    in_comment = False
    opened = closed = False
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    for n, line in enumerate(lines, 1):
        where = f'{path}:{n}'
        if in_comment:
            if '*/' in line:
                in_comment = False
                if line.split('*/', 1)[1].strip():
                    raise Refused(f'{where}: text after a comment')
            continue
        s = line.strip()
        if not s or s.startswith('//'):
            continue
        if s.startswith('/*'):
            in_comment = '*/' not in s
            continue
        if closed:
            raise Refused(f'{where}: text after the closing brace')
        if not opened:
            if not OPEN.match(line):
                raise Refused(f'{where}: expected digraph "NAME" {{')
            opened = True
            continue
        if s == '}':
            closed = True
            continue
        m = GRAPH.match(line)
        if m:
            for name, value in attrs(m.group(1), where):
                if name not in GRAPH_FIELDS:
                    raise Refused(f'{where}: graph attribute {name} is not '
                                  f'one of {", ".join(GRAPH_FIELDS)}')
                graph.append((name, value))
            continue
        m = EDGE.match(line)
        if m:
            a, b = unquote(m.group(1), where), unquote(m.group(2), where)
            for c in (a, b):
                if c not in known:
                    raise Refused(f'{where}: company "{c}" is not declared '
                                  'before its first leg')
            got = attrs(m.group(3), where)
            for name, _ in got:
                if name not in LEG_FIELDS:
                    raise Refused(f'{where}: leg attribute {name} has no '
                                  'column; add it to LEG_FIELDS')
            legs.append((a, b, dict(got)))
            continue
        m = NODE.match(line)
        if m:
            name = unquote(m.group(1), where)
            if name in known:
                raise Refused(f'{where}: company "{name}" is declared twice')
            if legs:
                raise Refused(f'{where}: company "{name}" declared after '
                              'the first leg')
            got = attrs(m.group(2), where)
            for a, _ in got:
                if a not in COMPANY_FIELDS:
                    raise Refused(f'{where}: company attribute {a} has no '
                                  'column; add it to COMPANY_FIELDS')
            known.add(name)
            companies.append((name, dict(got)))
            continue
        raise Refused(f'{where}: not a statement of the shipped form '
                      '(graph [...]; "A" [...]; "A" -> "B" [...];)')
    if not closed:
        raise Refused(f'{path}: no closing brace')
    return graph, companies, legs


def field(v):
    if any(c in v for c in ',"\n\r'):
        return '"' + v.replace('"', '""') + '"'
    return v


def table(header, rows):
    lines = [','.join(header)]
    lines += [','.join(field(v) for v in r) for r in rows]
    return '\n'.join(lines) + '\n'


def render(graph, companies, legs):
    used = {k for _, _, a in legs for k in a}
    lcols = [k for k in LEG_FIELDS if k in used]
    used = {k for _, a in companies for k in a}
    ccols = [k for k in COMPANY_FIELDS if k in used]
    return {
        'deals.csv': table(['from', 'to'] + lcols,
                           [[a, b] + [d.get(k, '') for k in lcols]
                            for a, b, d in legs]),
        'companies.csv': table(['name'] + ccols,
                               [[n] + [d.get(k, '') for k in ccols]
                                for n, d in companies]),
        'graph.csv': table(['attribute', 'value'],
                           [[k, v] for k, v in graph]),
    }


def main(argv):
    check = '--check' in argv
    args = [a for a in argv if a != '--check']
    if len(args) > 2 or any(a.startswith('-') for a in args):
        print('usage: dot2csv.py [--check] [LEDGER.dot [OUTDIR]]',
              file=sys.stderr)
        return 2
    here = os.path.dirname(os.path.abspath(__file__))
    dot = args[0] if args else os.path.join(here, 'ai.dot')
    out = args[1] if len(args) > 1 else re.sub(r'\.dot$', '', dot)
    try:
        files = render(*read_dot(dot))
    except Refused as e:
        print(f'dot2csv: {e}', file=sys.stderr)
        return 2
    except OSError as e:
        print(f'dot2csv: {e}', file=sys.stderr)
        return 2
    differ = []
    for name, text in files.items():
        path = os.path.join(out, name)
        try:
            with open(path, encoding='utf-8', newline='') as f:
                same = f.read() == text
        except OSError:
            same = False
        if same:
            continue
        differ.append(path)
        if not check:
            os.makedirs(out, exist_ok=True)
            with open(path, 'w', encoding='utf-8', newline='') as f:
                f.write(text)
    if check:
        for p in differ:
            print(f'dot2csv: {p} differs from {dot}; run graphs/dot2csv.py',
                  file=sys.stderr)
        return 1 if differ else 0
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
