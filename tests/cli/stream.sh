#!/bin/sh
# `reckon run --stream` on claims sorted by date (bench/sort-by-date.sh):
# every fixture set streams to the estimates of a batch run (the same
# figures with the median method, which learns nothing across incidents;
# with bayes the same incidents and claims, and the same figures except
# where learning across windows differs, see below); windows come out in
# date order; claims of one day in any order, --threads 1 or 2, and
# standard input give byte-identical output; claims out of order and
# claims without a date are rejected with FILE:LINE and exit 4, every claim
# accounted for; --strict stops at the first; the sources of all windows
# are those of a batch run where learning agrees; input that cannot be
# streamed and options that need the whole run are refused.
#   sh tests/cli/stream.sh PATH/TO/reckon [PATH/TO/gen-claims]   (from the source root)
# RECKON_UPDATE_GOLDEN=1 rewrites the expected files instead of comparing.
set -eu
LC_ALL=C
export LC_ALL
reckon=$1
gen=${2:-}
here=$(dirname "$0")
data=tests/cli/data  # relative, as the messages name it
want=tests/cli/expected
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

no() {
  echo "FAIL: $*"
  fail=1
}
. "$here/golden.sh"

# An estimate's incident, metric and who, with the ids of its claims.
grouping() {
  awk '{
    s = $0; sub(/,"low".*/, "", s); rest = $0
    while (match(rest, /"id":"[^"]*"/)) { s = s " " substr(rest, RSTART, RLENGTH); rest = substr(rest, RSTART + RLENGTH) }
    print s
  }' "$1" | sort
}

# The dates of the incidents, in output order, one per line.
dates() {
  sed -E 's/^.*"place":("[^"]*"|null),"when":"([^"]*)".*$/\2/' "$1"
}

for d in fixtures/*/; do
  set=$(basename "$d")
  sh bench/sort-by-date.sh "$d"claims*.jsonl > "$tmp/$set.jsonl"
  for method in median bayes; do
    "$reckon" run --quiet --format jsonl --method $method "$d"claims*.jsonl > "$tmp/batch"
    rc=0
    "$reckon" run --quiet --stream --format jsonl --method $method "$tmp/$set.jsonl" \
      > "$tmp/stream-$method" || rc=$?
    status 0 "$rc" "$set: --stream --method $method"
    [ -s "$tmp/stream-$method" ] || no "$set: --stream gave no output"
    sort "$tmp/batch" > "$tmp/batch.sorted"
    sort "$tmp/stream-$method" > "$tmp/stream.sorted"
    # grouping-variants has claims in October 2023 and in December 2024,
    # three windows: with bayes each learns from its own incidents (the
    # December ones starting from what October learned), where a batch
    # run learns from all at once, so weights and some figures differ
    # (README "Streaming").  Incidents and their claims never differ.
    if [ $method = median ] || [ "$set" != grouping-variants ]; then
      cmp -s "$tmp/batch.sorted" "$tmp/stream.sorted" || no "$set: --stream --method $method differs from a batch run"
    else
      cmp -s "$tmp/batch.sorted" "$tmp/stream.sorted" && no "$set: bayes was expected to learn differently across windows"
    fi
    grouping "$tmp/batch" > "$tmp/batch.groups"
    grouping "$tmp/stream-$method" > "$tmp/stream.groups"
    cmp -s "$tmp/batch.groups" "$tmp/stream.groups" || no "$set: --stream groups claims differently"
  done
done

files=""
for d in fixtures/*/; do
  files="$files $tmp/$(basename "$d").jsonl"
done
if [ -n "$gen" ]; then
  "$gen" 3000 5 | sh bench/sort-by-date.sh > "$tmp/generated.jsonl"
  files="$files $tmp/generated.jsonl"
  # Its incidents are single days, each day a window: in date order.
  "$reckon" run --quiet --stream --format jsonl "$tmp/generated.jsonl" > "$tmp/out"
  dates "$tmp/out" > "$tmp/dates"
  [ "$(wc -l < "$tmp/dates")" -gt 1000 ] || no "generated: too few estimates"
  sort -c "$tmp/dates" 2> /dev/null || no "generated: windows not in date order"
fi
for f in $files; do
  "$reckon" run --quiet --stream --format jsonl --threads 1 "$f" > "$tmp/out-1"
  "$reckon" run --quiet --stream --format jsonl --threads 2 "$f" > "$tmp/out-2"
  cmp -s "$tmp/out-1" "$tmp/out-2" || no "$f: --stream output differs with 1 and 2 threads"
  # Claims of one day in another order: reversed, then sorted stably by date.
  tac "$f" | sh bench/sort-by-date.sh > "$tmp/reversed.jsonl"
  "$reckon" run --quiet --stream --format jsonl --threads 2 "$tmp/reversed.jsonl" > "$tmp/out-r"
  cmp -s "$tmp/out-2" "$tmp/out-r" || no "$f: --stream output depends on the order within a day"
  "$reckon" run --quiet --stream --format jsonl - < "$f" > "$tmp/out-stdin"
  cmp -s "$tmp/out-1" "$tmp/out-stdin" || no "$f: --stream from standard input differs"
done

# A month-dated claim joins a day in the month before it with --date-tolerance
# (tolerance.jsonl): the window reaches back that far, so streaming groups it
# as a batch run does.
sh bench/sort-by-date.sh "$data/tolerance.jsonl" > "$tmp/tolerance.jsonl"
for days in 0 1 5; do
  "$reckon" run --quiet --method median --date-tolerance $days "$data/tolerance.jsonl" | sort > "$tmp/batch"
  "$reckon" run --quiet --stream --method median --date-tolerance $days "$tmp/tolerance.jsonl" |
    sort | cmp -s - "$tmp/batch" || no "tolerance.jsonl: --stream --date-tolerance $days differs"
done

# One window (nw-syria-2024 holds a period of 2011-2024): the table is the batch table.
"$reckon" run --quiet --format table fixtures/nw-syria-2024/claims.jsonl > "$tmp/batch.table"
"$reckon" run --quiet --stream --format table "$tmp/nw-syria-2024.jsonl" > "$tmp/stream.table"
cmp -s "$tmp/batch.table" "$tmp/stream.table" || no "nw-syria-2024: --stream table differs"
# Several windows: one blank line between blocks, as in a batch table.
"$reckon" run --quiet --stream --format table "$tmp/homs-2023.jsonl" > "$tmp/homs.table"
blocks=$(grep -c '^[^ ]' "$tmp/homs.table")
blanks=$(grep -c '^$' "$tmp/homs.table")
[ "$blanks" = $((blocks - 1)) ] || no "--stream table: $blocks blocks, $blanks blank lines"

# Out of order and undated: rejected with FILE:LINE, the rest estimated.
rc=0
"$reckon" run --stream --format jsonl --rejects "$tmp/stream-unsorted.rejects" \
  "$data/stream-unsorted.jsonl" > "$tmp/stream-unsorted.jsonl" 2> "$tmp/stream-unsorted.stderr" || rc=$?
status 4 "$rc" "out of order"
golden stream-unsorted.jsonl
golden stream-unsorted.stderr
[ "$(wc -l < "$tmp/stream-unsorted.rejects")" = 2 ] || no "out of order: --rejects does not hold 2 rejects"
grep -q '"id":"d1-a"' "$tmp/stream-unsorted.rejects" || no "out of order: d1-a not in --rejects"

# --strict stops at the first reject (the undated claim, while the first
# window is still open: nothing is estimated).
rc=0
"$reckon" run --stream --strict --format jsonl "$data/stream-unsorted.jsonl" \
  > "$tmp/strict.jsonl" 2> "$tmp/stream-strict.stderr" || rc=$?
status 4 "$rc" "--stream --strict"
golden stream-strict.stderr
[ ! -s "$tmp/strict.jsonl" ] || no "--stream --strict wrote estimates of an open window"

# A JSON array cannot be streamed: one reject for the file.
printf '[\n' > "$tmp/array.json"
sed 's/$/,/' "$tmp/homs-2023.jsonl" >> "$tmp/array.json"
printf '{}]\n' >> "$tmp/array.json"
rc=0
"$reckon" run --stream "$tmp/array.json" > /dev/null 2> "$tmp/array.stderr" || rc=$?
status 4 "$rc" "--stream on a JSON array"
grep -q 'array.json:1: the file is a JSON array; streaming reads JSON Lines' "$tmp/array.stderr" ||
  no "--stream on a JSON array: no message"

# The sources of all windows: as a batch run learns them where the windows
# learn alike (homs-2023, nw-syria-2024), and --sources FILE writes them too.
for set in homs-2023 nw-syria-2024; do
  "$reckon" sources --quiet "fixtures/$set/claims.jsonl" > "$tmp/batch.sources"
  "$reckon" sources --quiet --stream "$tmp/$set.jsonl" > "$tmp/stream.sources"
  cmp -s "$tmp/batch.sources" "$tmp/stream.sources" || no "$set: sources --stream differs from a batch run"
  "$reckon" run --quiet --stream --sources "$tmp/saved.sources" "$tmp/$set.jsonl" > /dev/null
  cmp -s "$tmp/saved.sources" "$tmp/stream.sources" || no "$set: run --stream --sources differs"
done
"$reckon" sources --quiet --stream --threads 1 "$tmp/grouping-variants.jsonl" > "$tmp/sources-1"
"$reckon" sources --quiet --stream --threads 2 "$tmp/grouping-variants.jsonl" > "$tmp/sources-2"
cmp -s "$tmp/sources-1" "$tmp/sources-2" || no "sources --stream differs with 1 and 2 threads"
[ "$(grep -c '|' "$tmp/sources-1")" -gt 5 ] || no "sources --stream: too few sources"

# A file that cannot be read is reported; the files after it still stream.
rc=0
"$reckon" run --quiet --stream --format jsonl "$tmp/missing.jsonl" "$tmp/homs-2023.jsonl" \
  > "$tmp/missing.out" 2> "$tmp/missing.stderr" || rc=$?
status 4 "$rc" "--stream with a missing file"
grep -q "missing.jsonl: cannot open: No such file or directory" "$tmp/missing.stderr" ||
  no "--stream with a missing file: no message"
"$reckon" run --quiet --stream --format jsonl "$tmp/homs-2023.jsonl" | cmp -s - "$tmp/missing.out" ||
  no "--stream with a missing file: the other file's estimates differ"

# What needs the whole run, or cannot be written window by window, is a usage error.
for args in "--format csv" "--format json" "--explain x"; do
  rc=0
  # shellcheck disable=SC2086
  "$reckon" run --stream $args "$tmp/homs-2023.jsonl" > /dev/null 2>&1 || rc=$?
  status 2 "$rc" "--stream $args"
done
exit $fail
