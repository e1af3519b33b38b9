#!/bin/sh
# CLI golden tests for `reckon run`: output formats, standard input, bad
# input (exit 4, FILE:LINE messages, good claims kept), --strict,
# --rejects, explain (estimates and grouping), --date-tolerance, the other
# methods, `reckon sources` with --sources and --priors, usage errors
# (exit 2), bad rules (exit 3).
#   sh tests/cli/run.sh PATH/TO/reckon      (from the source root)
# RECKON_UPDATE_GOLDEN=1 rewrites the expected files instead of comparing.
set -eu
LC_ALL=C
export LC_ALL
reckon=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(dirname "$0")
data=$here/data
want=$here/expected
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

. "$here/golden.sh"

for fmt in jsonl json csv table; do
  rc=0
  "$reckon" run --quiet --format "$fmt" "$data/homs.jsonl" > "$tmp/homs.$fmt" || rc=$?
  status 0 "$rc" "run --format $fmt"
  golden "homs.$fmt"
done

# Standard input gives the same estimates as the file.
rc=0
"$reckon" run --quiet --format jsonl - < "$data/homs.jsonl" > "$tmp/stdin.jsonl" || rc=$?
status 0 "$rc" "run -"
cmp -s "$tmp/stdin.jsonl" "$want/homs.jsonl" || { echo "FAIL: run - differs from run FILE"; fail=1; }

# CSV claims give the estimates the same claims give in JSON Lines; only
# the claim whose JSON value is a range object is written as a phrase.
rc=0
"$reckon" run --quiet --format jsonl "$data/homs.csv" > "$tmp/homs-csv.jsonl" || rc=$?
status 0 "$rc" "run FILE.csv"
sed 's/"value":"at least 6"/"value":"{\\"low\\":6,\\"high\\":null}"/' "$tmp/homs-csv.jsonl" |
  cmp -s - "$want/homs.jsonl" || { echo "FAIL: CSV claims differ from JSON Lines"; fail=1; }
# On standard input CSV is known by its header.
rc=0
"$reckon" run --quiet --format jsonl - < "$data/homs.csv" > "$tmp/stdin-csv.jsonl" || rc=$?
status 0 "$rc" "run - with CSV"
cmp -s "$tmp/stdin-csv.jsonl" "$tmp/homs-csv.jsonl" || { echo "FAIL: CSV on stdin differs"; fail=1; }

# Bad claims: reported with file and line, the good ones still estimated.
rc=0
(cd "$here" && "$reckon" run --format jsonl --rejects "$tmp/bad.rejects" data/bad.jsonl \
  > "$tmp/bad.jsonl" 2> "$tmp/bad.stderr") || rc=$?
status 4 "$rc" "run with bad claims"
golden bad.jsonl
golden bad.stderr
golden bad.rejects

# --strict stops at the first bad claim and prints no estimates.
rc=0
(cd "$here" && "$reckon" run --strict data/bad.jsonl > "$tmp/strict.out" 2> "$tmp/strict.stderr") || rc=$?
status 4 "$rc" "run --strict"
golden strict.stderr
[ ! -s "$tmp/strict.out" ] || { echo "FAIL: --strict printed estimates"; fail=1; }

# A missing file is bad input; the other files still run.
rc=0
"$reckon" run --quiet --format jsonl /nonexistent.jsonl "$data/homs.jsonl" > "$tmp/missing.out" 2> "$tmp/missing.stderr" || rc=$?
status 4 "$rc" "run with a missing file"
grep -q '^reckon: Failed to open file “/nonexistent.jsonl”\|^reckon: .*nonexistent.jsonl' "$tmp/missing.stderr" ||
  { echo "FAIL: no message for the missing file"; cat "$tmp/missing.stderr"; fail=1; }
cmp -s "$tmp/missing.out" "$want/homs.jsonl" || { echo "FAIL: other files lost"; fail=1; }

# explain: why an incident was grouped, how each estimate came about.
rc=0
"$reckon" explain homs-military-academy@2023-10-05 --quiet "$data/homs.jsonl" > "$tmp/explain.txt" || rc=$?
status 0 "$rc" "explain"
golden explain.txt
rc=0
"$reckon" explain nosuch --quiet "$data/homs.jsonl" > /dev/null 2>&1 || rc=$?
status 2 "$rc" "explain of an unknown incident"

# explain of grouping: how places, event types and dates were read, what
# lies inside what, and the near-misses kept apart.
variants=fixtures/grouping-variants/claims.jsonl
for pair in jisr-day:jisr-al-shughur@2023-10-06 jisr-month:jisr-al-shughur@2023-10 \
            idlib-day:idlib@2024-12-01 idlib-week:idlib-governorate@2024-12-01/2024-12-07; do
  rc=0
  "$reckon" explain "${pair#*:}" --quiet "$variants" > "$tmp/explain-${pair%%:*}.txt" || rc=$?
  status 0 "$rc" "explain ${pair#*:}"
  golden "explain-${pair%%:*}.txt"
done

# The table names the incident an incident lies inside.
rc=0
"$reckon" run --quiet --format table "$data/parent.jsonl" > "$tmp/parent.table" || rc=$?
status 0 "$rc" "run --format table with a parent"
golden parent.table

# --date-tolerance: a month-dated claim joins a day just outside its month.
for days in 0 1; do
  rc=0
  "$reckon" run --quiet --date-tolerance "$days" --format csv "$data/tolerance.jsonl" \
    > "$tmp/tolerance-$days.csv" || rc=$?
  status 0 "$rc" "run --date-tolerance $days"
  golden "tolerance-$days.csv"
done
# Other estimators stay selectable for comparison.
for method in interval median acled; do
  rc=0
  "$reckon" run --quiet --method "$method" --format table "$data/homs.jsonl" > "$tmp/homs-$method.table" || rc=$?
  status 0 "$rc" "run --method $method"
  golden "homs-$method.table"
done

# Sources: the learned table on stdout, the same saved by run --sources,
# and read back by --priors; a malformed table is bad input with its line.
rc=0
"$reckon" sources --quiet "$data/homs.jsonl" > "$tmp/sources.table" || rc=$?
status 0 "$rc" "sources"
golden sources.table
"$reckon" sources --quiet --format jsonl "$data/homs.jsonl" > "$tmp/sources.jsonl"
golden sources.jsonl
"$reckon" run --quiet --sources "$tmp/saved.table" "$data/homs.jsonl" > /dev/null
cmp -s "$tmp/saved.table" "$tmp/sources.table" || { echo "FAIL: run --sources differs from reckon sources"; fail=1; }
rc=0
"$reckon" run --quiet --priors "$tmp/saved.table" --format jsonl "$data/homs.jsonl" > "$tmp/priors.jsonl" || rc=$?
status 0 "$rc" "run --priors"
printf 'Al Jazeera | media | 1 | 1 | high | 1.0 | 0.05\n' > "$tmp/bad-priors.table"
rc=0
"$reckon" run --quiet --priors "$tmp/bad-priors.table" "$data/homs.jsonl" > /dev/null 2> "$tmp/priors.stderr" || rc=$?
status 4 "$rc" "run --priors with a malformed table"
grep -q "bad-priors.table:1: reliability must be a number from 0 to 1" "$tmp/priors.stderr" ||
  { echo "FAIL: no FILE:LINE for the malformed priors"; cat "$tmp/priors.stderr"; fail=1; }

# Usage errors exit 2, bad rules 3; help and version exit 0.
for args in "run --format xml" "run --method mean" "run --level 2" "run --date-tolerance -1" \
            "run --date-tolerance soon" "run --nosuch" "nosuch" "explain" "" \
            "run --max-depth 1001" "run --max-depth 0" "run --max-claim-bytes -1" \
            "run --max-incident-claims 0" "run --max-depth many"; do
  rc=0
  # shellcheck disable=SC2086
  "$reckon" $args < /dev/null > /dev/null 2>&1 || rc=$?
  status 2 "$rc" "reckon $args"
done
rc=0
"$reckon" run --profile nosuch "$data/homs.jsonl" > /dev/null 2> "$tmp/profile.stderr" || rc=$?
status 3 "$rc" "run --profile nosuch"
golden profile.stderr
rc=0
"$reckon" run --rules /nonexistent "$data/homs.jsonl" > /dev/null 2>&1 || rc=$?
status 3 "$rc" "run --rules /nonexistent"
for args in "--help" "run --help" "check --help" "range --help" "explain --help" "sources --help"; do
  rc=0
  # shellcheck disable=SC2086
  "$reckon" $args > /dev/null 2>&1 || rc=$?
  status 0 "$rc" "reckon $args"
done
"$reckon" --version > "$tmp/version"
grep -q '^reckon [0-9][0-9.]*$' "$tmp/version" || { echo "FAIL: --version"; fail=1; }

[ "$fail" = 0 ] && echo "cli-run: all passed"
exit "$fail"
