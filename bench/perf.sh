#!/bin/sh
# Performance harness: reckon against a parse-only floor on synthetic
# claims.  For each size it generates a claims file (cached), runs the
# floor (bench/parse-floor: read the file and parse every line with cJSON)
# and `reckon run --format jsonl` RUNS times each, and prints the medians
# of wall time and peak memory, claims per second, and the ratios that
# the targets in bench/README.md are stated in.
#
#   sh bench/perf.sh BUILD_DIR [SIZES] [RUNS] [-- extra reckon run options]
#   sh bench/perf.sh build "100000 1000000 4000000" 5
#
# It ends with the issue's targets, each met or not as measured in this
# run: at 1e6 claims at most 2x the floor, 4e6 within 4.6x the time of
# 1e6, and peak memory at most the file's size at every size.
set -eu
LC_ALL=C
export LC_ALL
build=${1:?usage: perf.sh BUILD_DIR [SIZES] [RUNS]}
sizes=${2:-100000 1000000 4000000}
runs=${3:-5}
shift $(( $# < 3 ? $# : 3 ))
[ "${1:-}" = "--" ] && shift
cache=${RECKON_BENCH_DIR:-${TMPDIR:-/tmp}/reckon-bench}
mkdir -p "$cache"
measure=$build/bench/measure

# median of the numbers on standard input
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# run_n OUT CMD...: RUNS measurements of CMD; prints "median_seconds median_mib"
run_n() {
  out=$1
  shift
  : > "$cache/times"
  i=0
  while [ "$i" -lt "$runs" ]; do
    "$measure" "$out" "$@" >> "$cache/times" 2> /dev/null || {
      echo "perf.sh: '$*' failed" >&2
      exit 1
    }
    i=$((i + 1))
  done
  t=$(cut -d' ' -f1 "$cache/times" | median)
  m=$(cut -d' ' -f2 "$cache/times" | median)
  echo "$t $m"
}

printf '%-9s %8s %9s %9s %7s %11s %9s %9s %8s\n' claims file_MiB floor_s reckon_s ratio claims/s floor_MiB reckon_MiB mem/file
prev_size=""
prev_time=""
for n in $sizes; do
  # Three years of claims up to a million; a larger archive covers more
  # time rather than piling more claims on each day and incident, unless
  # RECKON_BENCH_FIXED_DAYS=1 keeps every size on the same three years.
  days=$(( n > 1000000 && ${RECKON_BENCH_FIXED_DAYS:-0} == 0 ? n * 1095 / 1000000 : 1095 ))
  if [ "$days" -eq 1095 ]; then
    f=$cache/claims-$n.jsonl
  else
    f=$cache/claims-$n-d$days.jsonl
  fi
  [ -s "$f" ] || "$build/bench/gen-claims" "$n" 1 "$days" > "$f"
  mib=$(du -m "$f" | cut -f1)
  floor=$(run_n /dev/null "$build/bench/parse-floor" "$f")
  rk=$(run_n /dev/null "$build/reckon" run --quiet --format jsonl "$@" "$f")
  set -- "$@" # keep extra options for the next size
  ft=${floor% *}
  fm=${floor#* }
  rt=${rk% *}
  rm_=${rk#* }
  awk -v n="$n" -v mib="$mib" -v ft="$ft" -v fm="$fm" -v rt="$rt" -v rm="$rm_" 'BEGIN {
    printf "%-9d %8d %9.3f %9.3f %7.2f %11.0f %9.1f %9.1f %8.2f\n", n, mib, ft, rt, rt / ft, n / rt, fm, rm, rm / mib }'
  if [ -n "$prev_time" ]; then
    awk -v a="$prev_size" -v b="$n" -v ta="$prev_time" -v tb="$rt" 'BEGIN {
      printf "  time %d -> %d claims: x%.2f for x%.1f the claims\n", a, b, tb / ta, b / a }'
  fi
  prev_size=$n
  prev_time=$rt
  eval "t_$n=\$rt; r_$n=\$(awk -v a=\"\$rt\" -v b=\"\$ft\" 'BEGIN { print a / b }')"
  verdicts="${verdicts:-}$(awk -v n="$n" -v m="$rm_" -v f="$mib" 'BEGIN {
    printf "memory at %d claims at most the file: %s (%.2fx)\\n", n, m <= f ? "met" : "not met", m / f }')"
done

# verdict LABEL VALUE LIMIT: "LABEL: met (VALUE)" when VALUE <= LIMIT
verdict() { awk -v l="$1" -v v="$2" -v lim="$3" 'BEGIN { printf "%s: %s (%.2f)\n", l, v <= lim ? "met" : "not met", v }'; }
echo "targets:"
[ -n "${r_1000000:-}" ] && verdict "  1e6 claims within 2x the floor" "$r_1000000" 2
[ -n "${t_1000000:-}" ] && [ -n "${t_4000000:-}" ] &&
  verdict "  4e6 claims within 4.6x the time of 1e6" "$(awk -v a="$t_4000000" -v b="$t_1000000" 'BEGIN { print a / b }')" 4.6
printf "%b" "$verdicts" | sed 's/^/  /'
