#!/bin/sh
# The output does not depend on the number of threads: `reckon run` with
# --threads 1, 2 and 3 gives byte-identical estimates, source tables,
# rejects and messages (also reading standard input, and with --strict) on
# every fixture set, on a generated file of a few thousand claims, on
# the same file with bad, blank and over-long lines among its claims, and
# on 20,000 generated claims, enough for the learning step's residues.
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
  # Claims are read in blocks of lines on threads: bad lines of every kind
  # spread over the blocks, blank lines, CR LF ends, and lines longer than
  # the limit (one blank) across block boundaries must read the same.
  awk 'NR % 97 == 0 { print substr($0, 1, 50); next }
       NR % 101 == 0 { print; print; next }
       NR % 89 == 0 { sub("\"metric\": \"[a-z]*\"", "\"metric\": \"kild\""); print; next }
       NR % 83 == 0 { sub("\"value\": \"", "\"value\": \"zz "); print; next }
       NR % 79 == 0 { print ""; print "   "; printf "%s\r\n", $0; next }
       NR % 500 == 0 { print; printf "{\"quote\": \""; for (i = 0; i < 1500; i++) printf "%s", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"; print "\"}"; next }
       NR % 777 == 0 { print; for (i = 0; i < 3000; i++) printf "%s", "                                                                                                    "; print ""; next }
       { print }' "$tmp/generated.jsonl" > "$tmp/bad.jsonl"
  # Text that starts with more blank lines than a block is read whole, then
  # cut into blocks in memory.
  { head -c 300000 /dev/zero | tr '\0' '\n'; cat "$tmp/bad.jsonl"; } > "$tmp/blank-start.jsonl"
  files="$files $tmp/generated.jsonl $tmp/bad.jsonl $tmp/blank-start.jsonl"
fi
for f in $files; do
  for n in 1 2 3; do
    # Rejects exit 4; what matters here is that the output is the same.
    "$reckon" run --format jsonl --threads "$n" --sources "$tmp/sources-$n" \
      --max-claim-bytes 100000 --rejects "$tmp/rejects-$n" "$f" \
      > "$tmp/out-$n" 2> "$tmp/err-$n" || [ $? = 4 ]
    "$reckon" run --quiet --format jsonl --threads "$n" --method median - < "$f" \
      > "$tmp/stdin-$n" 2> "$tmp/stdin-err-$n" || [ $? = 4 ]
    "$reckon" run --quiet --format jsonl --threads "$n" --strict "$f" \
      > "$tmp/strict-$n" 2> "$tmp/strict-err-$n" || [ $? = 4 ]
  done
  [ -s "$tmp/out-1" ] || { echo "FAIL: $f: no output"; fail=1; }
  for n in 2 3; do
    for what in out sources rejects err stdin stdin-err strict strict-err; do
      cmp -s "$tmp/$what-1" "$tmp/$what-$n" || { echo "FAIL: $f: $what differs with $n threads"; fail=1; }
    done
  done
done

# The learning step shares its sums out by estimate; a source's
# leave-one-out tally can keep a residue in its last bits from one
# estimate to the next, which the threads must carry over.  At 20,000
# claims (seed 7) such residues change the output if they are lost.
if [ -n "$gen" ]; then
  "$gen" 20000 7 > "$tmp/learn.jsonl"
  for n in 1 2 3; do
    "$reckon" run --quiet --format jsonl --threads "$n" --sources "$tmp/learn-sources-$n" \
      "$tmp/learn.jsonl" > "$tmp/learn-$n"
  done
  for n in 2 3; do
    for what in learn learn-sources; do
      cmp -s "$tmp/$what-1" "$tmp/$what-$n" || { echo "FAIL: 20,000 claims: $what differs with $n threads"; fail=1; }
    done
  done
fi

# Out of range is a usage error.
rc=0
"$reckon" run --threads 65 fixtures/*/claims.jsonl > /dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || { echo "FAIL: --threads 65 exited $rc"; fail=1; }
exit $fail
