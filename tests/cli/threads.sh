#!/bin/sh
# The output does not depend on the number of threads: `reckon run` with
# --threads 1, 2 and 3 gives byte-identical estimates and source tables on
# every fixture set and on a generated file of a few thousand claims.
#   sh tests/cli/threads.sh PATH/TO/reckon [PATH/TO/gen-claims]   (from the source root)
set -eu
LC_ALL=C
export LC_ALL
reckon=$1
gen=${2:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

files=$(ls fixtures/*/claims.jsonl)
[ -n "$files" ] || { echo "FAIL: no fixture sets"; exit 1; }
if [ -n "$gen" ]; then
  "$gen" 4000 7 > "$tmp/generated.jsonl"
  files="$files $tmp/generated.jsonl"
fi
for f in $files; do
  for n in 1 2 3; do
    # Rejects exit 4; what matters here is that the output is the same.
    "$reckon" run --quiet --format jsonl --threads "$n" --sources "$tmp/sources-$n" "$f" \
      > "$tmp/out-$n" || [ $? = 4 ]
  done
  [ -s "$tmp/out-1" ] || { echo "FAIL: $f: no output"; fail=1; }
  for n in 2 3; do
    cmp -s "$tmp/out-1" "$tmp/out-$n" || { echo "FAIL: $f: estimates differ with $n threads"; fail=1; }
    cmp -s "$tmp/sources-1" "$tmp/sources-$n" || { echo "FAIL: $f: sources differ with $n threads"; fail=1; }
  done
done

# Out of range is a usage error.
rc=0
"$reckon" run --threads 65 fixtures/*/claims.jsonl > /dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || { echo "FAIL: --threads 65 exited $rc"; fail=1; }
exit $fail
