#!/bin/sh
# Sorts claims (JSON Lines) by the start of incident.when, the order
# `reckon run --stream` needs.  Claims of one date keep their order; lines
# without a date come first (streaming rejects them).  GNU sort spills to
# temporary files, so this works on archives larger than memory.
#   sh bench/sort-by-date.sh [FILE...] > sorted.jsonl
set -eu
LC_ALL=C
export LC_ALL
tab=$(printf '\t')
# ISO dates sort as text: "2024-11-26/2024-12-01" starts on 2024-11-26.
awk '{
  k = ""
  if (match($0, /"when"[ \t]*:[ \t]*"[^"]*"/)) {
    k = substr($0, RSTART, RLENGTH)
    sub(/^"when"[ \t]*:[ \t]*"/, "", k)
    sub(/"$/, "", k)
  }
  print k "\t" $0
}' "$@" | sort -s -t "$tab" -k1,1 | cut -f2-
