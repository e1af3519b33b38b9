#!/bin/sh
# Makes the seed corpora of the fuzz targets from what the project already
# holds: claims from fixtures/ and tests/ (whole files and each line on
# its own), the phrases of tests/range-cases.txt, the rule files of rules/,
# and the crashes found so far (tests/fuzz/regressions/).
#   sh tests/fuzz/seed-corpus.sh OUT      (from the source root)
# writes OUT/reader, OUT/range and OUT/rules, one input per file.
set -eu
LC_ALL=C
export LC_ALL
out=$1
fuzz=$(dirname "$0")
root=$fuzz/../..
mkdir -p "$out/reader" "$out/range" "$out/rules"

# seed DIR: copies standard input into DIR, named by its checksum (so
# equal seeds are kept once)
seed() {
  cat > "$1/new"
  mv "$1/new" "$1/seed-$(cksum < "$1/new" | tr ' ' -)"
}

for f in "$root"/fixtures/*/claims* "$root"/tests/cli/data/*; do
  seed "$out/reader" < "$f"
  while IFS= read -r line; do
    [ -n "$line" ] && printf '%s\n' "$line" | seed "$out/reader"
  done < "$f"
done
# The claims of the reader's case tables, as JSON objects and CSV records.
sed -n 's/^[^#|][^|]*| *\({.*\)$/\1/p' "$root/tests/reader-cases.txt" | while IFS= read -r line; do
  printf '%s\n' "$line" | seed "$out/reader"
done
sed -n 's/^[^#|][^|]*| *\([^r].*\)$/\1/p' "$root/tests/csv-cases.txt" | while IFS= read -r line; do
  printf 'id,source,metric,value,where,when,what,key,who,via,doc,quote\n%s\n' "$line" | seed "$out/reader"
done

sed -n 's/^\([^#|][^|]*\)|.*/\1/p' "$root/tests/range-cases.txt" | while IFS= read -r phrase; do
  phrase=$(printf '%s' "$phrase" | sed 's/^ *//; s/ *$//; s/^"\(.*\)"$/\1/')
  printf '%s' "$phrase" | seed "$out/range"
done

find "$root/rules" -type f | while IFS= read -r f; do
  seed "$out/rules" < "$f"
done

for t in reader range rules; do
  for f in "$fuzz/regressions/$t"/*; do
    [ -f "$f" ] && cp "$f" "$out/$t/"
  done
done
for t in reader range rules; do
  echo "$t: $(find "$out/$t" -type f | wc -l | tr -d ' ') seeds"
done
