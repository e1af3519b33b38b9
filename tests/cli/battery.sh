#!/bin/sh
# Bad input battery for `reckon run`: every case of battery.txt is a
# claims file with one kind of bad input among good claims.  For each it
# checks the exit status, the first "reckon: FILE:LINE: reason" message,
# that the good claims still come out, that every claim read is in the
# output or the rejects file and the summary says so, that one thread
# gives the same as several, and that --strict stops at the same message
# with no output.
#   sh tests/cli/battery.sh PATH/TO/reckon      (from the source root)
set -eu
LC_ALL=C
export LC_ALL
reckon=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
cases=0

good1='{"id":"good-1","source":"White Helmets","metric":"killed","value":"at least 4","incident":{"where":"Idlib","when":"2024-12-01"}}'
good2='{"id":"good-2","source":"OCHA","metric":"injured","value":"12","incident":{"where":"Homs","when":"2024-12-01"}}'
csv_header='id,source,metric,value,where,when'
csv_good1='good-1,White Helmets,killed,at least 4,Idlib,2024-12-01'
csv_good2='good-2,OCHA,injured,12,Homs,2024-12-01'

# bad NAME WHAT: records a failure of case NAME
bad() {
  echo "FAIL: $1: $2"
  fail=1
}

# count PATTERN FILE: how many times the fixed string PATTERN occurs in FILE
count() {
  grep -o -F -e "$1" "$2" | wc -l | tr -d ' '
}

# generate NAME: the input of a gen:NAME case, on standard output
generate() {
  case "$1" in
  long)
    printf '{"id":"long","quote":"'
    head -c 50000000 /dev/zero | tr '\0' x
    printf '"}' ;;
  deep) head -c 100000 /dev/zero | tr '\0' '[' ;;
  binary) head -c 65536 "$reckon" ;;
  *) echo "unknown generator $1" >&2; exit 2 ;;
  esac
}

# write LAYOUT INPUT FILE: the claims file of a case
write() {
  case "$1" in
  between | gen:*)
    { printf '%s\n' "$good1"
      case "$1" in gen:*) generate "${1#gen:}" ;; *) printf '%b' "$2" ;; esac
      printf '\n%s\n' "$good2"; } > "$3" ;;
  start) { printf '%b' "$2"; printf '%s\n%s\n' "$good1" "$good2"; } > "$3" ;;
  end) { printf '%s\n%s\n' "$good1" "$good2"; printf '%b' "$2"; } > "$3" ;;
  crlf) { printf '%s\r\n' "$good1"; printf '%b\r\n' "$2"; printf '%s\r\n' "$good2"; } > "$3" ;;
  file) printf '%b' "$2" > "$3" ;;
  csv-between)
    { printf '%s\n%s\n' "$csv_header" "$csv_good1"; printf '%b\n' "$2"
      printf '%s\n' "$csv_good2"; } > "$3" ;;
  array-between)
    { printf '[\n  %s,\n  ' "$good1"; printf '%b' "$2"; printf ',\n  %s\n]\n' "$good2"; } > "$3" ;;
  *) echo "unknown layout $1" >&2; exit 2 ;;
  esac
}

# check_case NAME EXIT MESSAGE LAYOUT ARGS INPUT
check_case() {
  name=$1 want_rc=$2 message=$3 layout=$4 args=$5 input=$6
  case "$layout" in
  csv-*) file=$name.csv ;;
  array-*) file=$name.json ;;
  *) file=$name.jsonl ;;
  esac
  [ "$args" = - ] && args=
  dir=$tmp/$name
  mkdir "$dir"
  write "$layout" "$input" "$dir/$file"

  rc=0
  # shellcheck disable=SC2086
  (cd "$dir" && "$reckon" run --format jsonl --rejects rejects.jsonl $args "$file" \
    > out.jsonl 2> err.txt) || rc=$?
  [ "$rc" = "$want_rc" ] || bad "$name" "exit status $rc, expected $want_rc"

  # One thread reads the same as several: claims are parsed in blocks on
  # threads and taken in input order.
  rc1=0
  # shellcheck disable=SC2086
  (cd "$dir" && "$reckon" run --threads 1 --format jsonl --rejects rejects-1.jsonl $args "$file" \
    > out-1.jsonl 2> err-1.txt) || rc1=$?
  { [ "$rc1" = "$rc" ] && cmp -s "$dir/out.jsonl" "$dir/out-1.jsonl" &&
    cmp -s "$dir/rejects.jsonl" "$dir/rejects-1.jsonl" && cmp -s "$dir/err.txt" "$dir/err-1.txt"; } ||
    bad "$name" "--threads 1 gives another result than the default threads"

  # The first message about the file, and every message's form.
  first=$(grep -F "reckon: $file" "$dir/err.txt" | head -n 1 || true)
  if [ "$message" = - ]; then
    [ -z "$first" ] || bad "$name" "unexpected message: $first"
  else
    case "$first" in
    "reckon: $file$message"*) ;;
    *) bad "$name" "first message is '$first', expected 'reckon: $file$message...'" ;;
    esac
  fi
  if grep -v -E "^reckon: ($file:[0-9]+: .+|$file: no claims in this file|[0-9]+ claims? read: .*)\$" \
    "$dir/err.txt" > "$dir/odd.txt"; then
    bad "$name" "stderr line not of the form FILE:LINE: reason: $(head -c 300 "$dir/odd.txt")"
  fi

  # Conservation: the summary adds up, and agrees with the output and the
  # rejects file.
  summary=$(sed -n 's/^reckon: \([0-9]*\) claims\{0,1\} read: \([0-9]*\) in [0-9]* estimates\{0,1\}, \([0-9]*\) rejected$/\1 \2 \3/p' "$dir/err.txt")
  if [ -z "$summary" ]; then
    bad "$name" "no summary line"
  else
    # shellcheck disable=SC2086
    set -- $summary
    [ $(($2 + $3)) = "$1" ] || bad "$name" "summary does not add up: $summary"
    members=$(count '"role":"' "$dir/out.jsonl")
    [ "$members" = "$2" ] || bad "$name" "$members members in the output, summary says $2"
    rejects=$(wc -l < "$dir/rejects.jsonl" | tr -d ' ')
    [ "$rejects" = "$3" ] || bad "$name" "$rejects lines in the rejects file, summary says $3"
    [ "$want_rc" = 0 ] || [ "$3" -gt 0 ] || bad "$name" "exit $want_rc with nothing rejected"
  fi
  if [ -s "$dir/rejects.jsonl" ] && grep -v -q '^{"file":"[^"]*","line":[0-9]*,"id":.*,"reason":"' \
    "$dir/rejects.jsonl"; then
    bad "$name" "a rejects line lacks file, line or reason"
  fi

  # The good claims come out once, unless the case rejects them.
  if [ "$layout" != file ]; then
    for id in good-1 good-2; do
      out=$(count "\"id\":\"$id\"" "$dir/out.jsonl")
      rej=$(count "\"id\":\"$id\"" "$dir/rejects.jsonl")
      [ "$out" = 1 ] || { [ "$out" = 0 ] && [ "$rej" = 1 ]; } ||
        bad "$name" "$id is $out times in the output and $rej times in the rejects"
    done
  fi

  # --strict stops at the first bad claim: the same message, no output.
  if [ "$want_rc" = 4 ]; then
    rc=0
    # shellcheck disable=SC2086
    (cd "$dir" && "$reckon" run --strict --format jsonl $args "$file" > strict.out 2> strict.err) || rc=$?
    [ "$rc" = 4 ] || bad "$name" "--strict: exit status $rc, expected 4"
    [ ! -s "$dir/strict.out" ] || bad "$name" "--strict printed output"
    strict_first=$(head -n 1 "$dir/strict.err")
    [ "$strict_first" = "$first" ] || bad "$name" "--strict says '$strict_first', expected '$first'"
    [ "$(grep -c -F "reckon: $file:" "$dir/strict.err")" = 1 ] || bad "$name" "--strict went on"
  fi
  rm -rf "$dir"
}

while IFS= read -r row; do
  case "$row" in '#'* | '') continue ;; esac
  # Fields are '|'-separated and trimmed; INPUT is the rest of the row.
  f1=$(printf '%s' "$row" | cut -d '|' -f 1 | sed 's/^ *//; s/ *$//')
  f2=$(printf '%s' "$row" | cut -d '|' -f 2 | sed 's/^ *//; s/ *$//')
  f3=$(printf '%s' "$row" | cut -d '|' -f 3 | sed 's/^ *//; s/ *$//')
  f4=$(printf '%s' "$row" | cut -d '|' -f 4 | sed 's/^ *//; s/ *$//')
  f5=$(printf '%s' "$row" | cut -d '|' -f 5 | sed 's/^ *//; s/ *$//')
  f6=$(printf '%s' "$row" | cut -d '|' -f 6- | sed 's/^ //')
  check_case "$f1" "$f2" "$f3" "$f4" "$f5" "$f6"
  cases=$((cases + 1))
done < "$here/battery.txt"

[ "$cases" -gt 40 ] || bad battery "only $cases cases read"
[ "$fail" = 0 ] && echo "battery: $cases cases passed"
exit "$fail"
