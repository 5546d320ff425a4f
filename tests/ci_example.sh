#!/usr/bin/env bash
# Runs the shell steps of docs/ci.md's workflow (every step after "Install
# dealgraph") in a scratch git repository holding the shipped ledger, the
# way GitHub Actions would (bash -e, GITHUB_STEP_SUMMARY), with the built
# dealgraph on PATH.
#  1. a commit that changes nothing: every step passes;
#  2. a commit adding a deal that closes a loop through OpenAI: the Check
#     step fails with exit 1 and a line naming the loop.
set -euo pipefail
: "${DEALGRAPH:?the built dealgraph}" "${SRCDIR:?the source tree}"
doc="$SRCDIR/docs/ci.md"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/repo"
ln -s "$DEALGRAPH" "$work/bin/dealgraph"
export PATH="$work/bin:$PATH"

# The policy block and the steps, straight from the page.
awk '/^# .dealgraph-policy/{p=1} p&&/^```/{exit} p' "$doc" > "$work/repo/.dealgraph-policy"
[ -s "$work/repo/.dealgraph-policy" ] || { echo "no policy block in docs/ci.md"; exit 1; }

# Each step's run block into its own script, named by the step.
python3 - "$doc" "$work/steps" <<'PY'
import os, re, sys
text = open(sys.argv[1]).read()
yaml = text.split("```yaml", 1)[1].split("```", 1)[0]
out = sys.argv[2]
os.makedirs(out)
steps, name, lines, i = [], None, yaml.splitlines(), 0
while i < len(lines):
    line = lines[i]
    m = re.match(r"\s*- name: (.*)", line)
    if m:
        name = m.group(1).strip()
    m = re.match(r"(\s*)run: (.*)", line)
    if m and name:
        indent, rest = len(m.group(1)), m.group(2)
        if rest.strip() == "|":
            body = []
            i += 1
            while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent):
                body.append(lines[i].strip())
                i += 1
            steps.append((name, "\n".join(body)))
            continue
        steps.append((name, rest))
    i += 1
n = 0
for name, body in steps:
    if name == "Install dealgraph":
        continue
    n += 1
    with open(os.path.join(out, "%02d %s" % (n, name)), "w") as f:
        f.write(body + "\n")
print("%d steps" % n)
PY

run_steps() { # runs every step; prints "name: exit code" for each
    local summary="$work/summary.md" s
    : > "$summary"
    for s in "$work/steps"/*; do
        (cd "$work/repo" && GITHUB_STEP_SUMMARY="$summary" GITHUB_PATH="$work/path" \
            bash -e "$s" > "$work/out" 2>&1) && rc=0 || rc=$?
        echo "$(basename "$s" | cut -c4-): $rc"
        cp "$work/out" "$work/out.$(basename "$s" | cut -c1-2)"
    done
}

cd "$work/repo"
git init -q
git config user.email ci@example.invalid
git config user.name "ci example"
cp "$SRCDIR/graphs/ai-2025.dot" ledger.dot
git add ledger.dot .dealgraph-policy
git commit -qm "the ledger"

# 1. a commit that closes no loop: a note edited
sed -i '/"AMD" -> "OpenAI"/s/note="/note="(reviewed) /' ledger.dot
git commit -qam "a note"
result=$(run_steps)
echo "$result"
expected="Lint: 0
Previous version: 0
Check: 0
What changed: 0
Report: 0"
[ "$result" = "$expected" ] || { echo "FAIL: a commit without a new loop must pass every step"; cat "$work"/out.*; exit 1; }
for f in report.md report.svg report.html ledger.svg; do
    [ -s "$f" ] || { echo "FAIL: the Report step wrote no $f"; exit 1; }
done
grep -q "^# Report: AI deal web" "$work/summary.md" || { echo "FAIL: no report in the job summary"; exit 1; }
grep -q "1 leg changed" "$work/summary.md" || { echo "FAIL: the diff is not in the job summary"; exit 1; }

# 2. a commit that adds a deal closing a loop through OpenAI
sed -i '$d' ledger.dot
cat >> ledger.dot <<'DOT'
  "Oracle" -> "OpenAI" [kind="equity", amount="5B", status="talks", announced="2025-12-20", deal="X1", source="hypothetical, for the CI example"];
}
DOT
git commit -qam "Oracle takes a stake in OpenAI"
result=$(run_steps)
echo "$result"
echo "$result" | grep -qx "Check: 1" || { echo "FAIL: the Check step must fail on a new loop"; exit 1; }
check_out=$(cat "$work/out.03")
echo "$check_out"
echo "$check_out" | grep -q "^BROKEN  no-new-loops: 1 new loop, limit 0 (baseline previous.dot): OpenAI > Oracle > OpenAI \[" \
    || { echo "FAIL: the broken rule must name the loop"; exit 1; }
echo "ci example: ok"
