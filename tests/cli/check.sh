#!/bin/sh
# CLI tests for `reckon check`: a passing set, a regression (figures,
# flags, date, parent) reported as a readable diff with exit 1, --update,
# and a folder with no sets (exit 2).
#   sh tests/cli/check.sh PATH/TO/reckon      (from the source root)
set -eu
LC_ALL=C
export LC_ALL
reckon=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

mkdir -p "$tmp/sets/homs"
cp "$here/data/homs.jsonl" "$tmp/sets/homs/claims.jsonl"

# No expected output yet: a failure that says how to make it.
rc=0
"$reckon" check "$tmp/sets" > "$tmp/out" || rc=$?
[ "$rc" = 1 ] || { echo "FAIL: check without expected.jsonl exited $rc"; fail=1; }
grep -q "expected.jsonl is missing" "$tmp/out" || { echo "FAIL: no hint"; cat "$tmp/out"; fail=1; }

# --update writes it; then the set passes.
"$reckon" check --update "$tmp/sets" > /dev/null
cmp -s "$tmp/sets/homs/expected.jsonl" "$here/expected/homs.jsonl" ||
  { echo "FAIL: --update wrote something other than run's output"; fail=1; }
rc=0
"$reckon" check "$tmp/sets" > "$tmp/out" || rc=$?
[ "$rc" = 0 ] || { echo "FAIL: check after --update exited $rc"; cat "$tmp/out"; fail=1; }
grep -q "^1 passed, 0 failed$" "$tmp/out" || { echo "FAIL: summary"; cat "$tmp/out"; fail=1; }

# A changed figure beyond the tolerance and a changed flag are regressions.
sed -e 's/"who":null,"low":101,/"who":null,"low":91,/' -e 's/"flags":\["superseded"\]/"flags":[]/' \
  "$tmp/sets/homs/expected.jsonl" > "$tmp/e" && mv "$tmp/e" "$tmp/sets/homs/expected.jsonl"
rc=0
"$reckon" check "$tmp/sets/homs" > "$tmp/out" || rc=$?
[ "$rc" = 1 ] || { echo "FAIL: regression exited $rc"; fail=1; }
grep -q 'killed: low: expected 91, got 101' "$tmp/out" || { echo "FAIL: low diff"; cat "$tmp/out"; fail=1; }
grep -q 'killed: flags: expected \[\], got \["superseded"\]' "$tmp/out" || { echo "FAIL: flags diff"; cat "$tmp/out"; fail=1; }

# A changed place, date or parent is a regression too.
"$reckon" check --update "$tmp/sets" > /dev/null
sed -e 's/"when":"2023-10-05"/"when":"2023-10-06"/' -e 's/"parent":null/"parent":"homs@2023-10-05"/' \
  "$tmp/sets/homs/expected.jsonl" > "$tmp/e" && mv "$tmp/e" "$tmp/sets/homs/expected.jsonl"
rc=0
"$reckon" check "$tmp/sets/homs" > "$tmp/out" || rc=$?
[ "$rc" = 1 ] || { echo "FAIL: changed grouping exited $rc"; fail=1; }
grep -q 'killed: when: expected "2023-10-06", got "2023-10-05"' "$tmp/out" || { echo "FAIL: when diff"; cat "$tmp/out"; fail=1; }
grep -q 'killed: parent: expected "homs@2023-10-05", got null' "$tmp/out" || { echo "FAIL: parent diff"; cat "$tmp/out"; fail=1; }

# Within the tolerance (1% or 1) is not a regression.
"$reckon" check --update "$tmp/sets" > /dev/null
sed -e 's/"who":null,"low":101,/"who":null,"low":102,/' "$tmp/sets/homs/expected.jsonl" > "$tmp/e" && mv "$tmp/e" "$tmp/sets/homs/expected.jsonl"
rc=0
"$reckon" check "$tmp/sets" > "$tmp/out" || rc=$?
[ "$rc" = 0 ] || { echo "FAIL: a change within tolerance failed"; cat "$tmp/out"; fail=1; }

# A set may hold its claims as CSV: the same estimates as the JSON set,
# but for the one claim whose range object is a phrase in CSV.
mkdir -p "$tmp/csv-sets/homs"
cp "$here/data/homs.csv" "$tmp/csv-sets/homs/claims.csv"
"$reckon" check --update "$tmp/csv-sets" > /dev/null
sed 's/"value":"at least 6"/"value":"{\\"low\\":6,\\"high\\":null}"/' "$tmp/csv-sets/homs/expected.jsonl" |
  cmp -s - "$here/expected/homs.jsonl" || { echo "FAIL: check on claims.csv"; fail=1; }
rc=0
"$reckon" check "$tmp/csv-sets" > "$tmp/out" || rc=$?
[ "$rc" = 0 ] || { echo "FAIL: check of a CSV set exited $rc"; cat "$tmp/out"; fail=1; }

# A folder without sets is a usage error.
mkdir "$tmp/empty"
rc=0
"$reckon" check "$tmp/empty" > /dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || { echo "FAIL: empty folder exited $rc"; fail=1; }

[ "$fail" = 0 ] && echo "cli-check: all passed"
exit "$fail"
