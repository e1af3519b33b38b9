#!/bin/sh
# The progress line: on a terminal, a run that takes longer than a second
# shows claims read, incidents and a rate on stderr, and erases it before
# the summary; nothing of it with --quiet or when stderr is not a terminal.
# Standard input that arrives slowly makes the run long.  Needs script(1)
# for a terminal; without it only the silent cases are checked.
#   sh tests/cli/progress.sh PATH/TO/reckon      (from the source root)
set -eu
LC_ALL=C
export LC_ALL
reckon=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
claims=$(pwd)/fixtures/homs-2023/claims.jsonl
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
line='claims read, [0-9]* incidents, [0-9]* claims/s'

(cat "$claims"; sleep 1.5) | "$reckon" run --format jsonl - > "$tmp/out" 2> "$tmp/err"
grep -q "claims/s" "$tmp/err" && { echo "FAIL: progress on a stderr that is not a terminal"; fail=1; }
grep -q "claims read:" "$tmp/err" || { echo "FAIL: no summary"; cat "$tmp/err"; fail=1; }

if command -v script > /dev/null; then
  script -qec "(cat '$claims'; sleep 1.5) | '$reckon' run --format jsonl - > '$tmp/out-tty'" /dev/null \
    > "$tmp/tty" < /dev/null
  grep -q "reckon: [a-z]*: [0-9]* $line" "$tmp/tty" || { echo "FAIL: no progress line"; cat -v "$tmp/tty"; fail=1; }
  # Erased, then the summary.
  tr '\r' '\n' < "$tmp/tty" | grep -v '^$' | tail -n 1 | grep -q "claims read:" ||
    { echo "FAIL: summary not last"; cat -v "$tmp/tty"; fail=1; }
  cmp -s "$tmp/out" "$tmp/out-tty" || { echo "FAIL: output differs with a terminal"; fail=1; }

  script -qec "(cat '$claims'; sleep 1.5) | '$reckon' run --quiet --format jsonl - > /dev/null" /dev/null \
    > "$tmp/tty-quiet" < /dev/null
  [ ! -s "$tmp/tty-quiet" ] || { echo "FAIL: --quiet printed"; cat -v "$tmp/tty-quiet"; fail=1; }
fi
exit $fail
