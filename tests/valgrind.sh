#!/bin/sh
# Runs valgrind's memcheck over a build's unit tests, its fuzz replays and
# `reckon run` on every fixture set; exits non-zero on any memory error or
# definite leak.  GLib's one-time allocations (type system, the embedded
# rules loaded once) are "still reachable", not leaks.
#   sh tests/valgrind.sh BUILD_DIR      (from the source root)
set -eu
build=$1
export G_TEST_SRCDIR="$PWD/tests" G_DEBUG=fatal-criticals LC_ALL=C.UTF-8
vg="valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=9"
fail=0

# check WHAT STATUS COMMAND...: runs COMMAND under memcheck (its log in
# BUILD_DIR/valgrind-WHAT.log); it must exit with STATUS (memcheck's
# errors exit 9)
check() {
  what=$1 want=$2
  shift 2
  rc=0
  $vg --log-file="$build/valgrind-$what.log" "$@" > /dev/null 2>&1 || rc=$?
  if [ "$rc" != "$want" ]; then
    echo "FAIL: valgrind: $what exited $rc, expected $want (see $build/valgrind-$what.log)"
    fail=1
  fi
}

for t in "$build"/tests/test-*; do
  if [ -x "$t" ] && [ -f "$t" ]; then check "$(basename "$t")" 0 "$t"; fi
done
# The fuzz targets' seeds, and the crashes found so far where there are any.
regressions() {
  ls -d "tests/fuzz/regressions/$1" 2> /dev/null || true
}
check replay-reader 0 "$build/tests/fuzz/replay-reader" fixtures/*/claims* tests/cli/data \
  $(regressions reader)
check replay-range 0 "$build/tests/fuzz/replay-range" --lines tests/range-cases.txt \
  $(regressions range)
check replay-rules 0 "$build/tests/fuzz/replay-rules" rules/metrics rules/quantifiers \
  rules/profiles/*/* $(regressions rules)
check run 0 "$build/reckon" run fixtures/*/claims.jsonl
# Streaming: windows opened, run and freed, claims out of order rejected.
check run-stream 4 "$build/reckon" run --stream fixtures/homs-2023/claims.jsonl \
  tests/cli/data/stream-unsorted.jsonl
check run-bad 4 "$build/reckon" run --rejects /dev/null tests/cli/data/bad.jsonl tests/cli/data/homs.csv

[ "$fail" = 0 ] && echo "valgrind: no errors, no definite leaks"
exit "$fail"
