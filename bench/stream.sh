#!/bin/sh
# Streaming harness: peak memory and time (wall and CPU) of `reckon run --stream` on
# synthetic claims sorted by date, at several sizes, next to a batch run of
# the same file.  For each size it generates the claims (bench/gen-claims,
# seed 1) and sorts them (bench/sort-by-date.sh), cached, then measures
# each run with bench/measure and prints the median of RUNS runs.
#
#   sh bench/stream.sh BUILD_DIR [SIZES] [RUNS] [BATCH_SIZES]
#   sh bench/stream.sh build "100000 1000000 4000000" 1 "100000 1000000"
#
# BATCH_SIZES (default: the sizes up to 1,000,000) are the sizes also run
# in batch; the files go to $RECKON_BENCH_DIR (default $TMPDIR/reckon-stream).
set -eu
LC_ALL=C
export LC_ALL
build=${1:?usage: stream.sh BUILD_DIR [SIZES] [RUNS] [BATCH_SIZES]}
sizes=${2:-100000 1000000 4000000}
runs=${3:-1}
batch_sizes=${4:-100000 1000000}
cache=${RECKON_BENCH_DIR:-${TMPDIR:-/tmp}/reckon-stream}
here=$(dirname "$0")
mkdir -p "$cache"

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# run_n CMD...: RUNS measurements; prints "median_seconds median_mib median_cpu_seconds"
run_n() {
  : > "$cache/times"
  i=0
  while [ "$i" -lt "$runs" ]; do
    rc=0
    "$build/bench/measure" /dev/null "$@" >> "$cache/times" 2> /dev/null || rc=$?
    [ "$rc" = 0 ] || { echo "stream.sh: '$*' exited $rc" >&2; exit 1; }
    i=$((i + 1))
  done
  echo "$(cut -d' ' -f1 "$cache/times" | median) $(cut -d' ' -f2 "$cache/times" | median)" \
    "$(cut -d' ' -f3 "$cache/times" | median)"
}

printf '%-9s %8s %9s %11s %10s %13s %8s %10s %9s\n' claims file_MiB stream_s stream_cpu_s stream_MiB cpu_claims/s batch_s batch_cpu_s batch_MiB
for n in $sizes; do
  f=$cache/sorted-$n.jsonl
  if [ ! -s "$f" ]; then
    "$build/bench/gen-claims" "$n" 1 | sh "$here/sort-by-date.sh" > "$f.tmp"
    mv "$f.tmp" "$f"
  fi
  mib=$(du -m "$f" | cut -f1)
  set -- $(run_n "$build/reckon" run --quiet --stream --format jsonl "$f")
  st=$1 sm=$2 sc=$3
  bt=- bm=- bc=-
  case " $batch_sizes " in
  *" $n "*) set -- $(run_n "$build/reckon" run --quiet --format jsonl "$f"); bt=$1 bm=$2 bc=$3 ;;
  esac
  printf '%-9s %8s %9s %11s %10s %13.0f %8s %10s %9s\n' "$n" "$mib" "$st" "$sc" "$sm" \
    "$(echo "$n $sc" | awk '{ print $1 / $2 }')" "$bt" "$bc" "$bm"
done
