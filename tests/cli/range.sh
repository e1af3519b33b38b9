#!/bin/sh
# CLI golden tests for `reckon range`: one JSON line per phrase in order,
# phrases from standard input, --profile acled, a --rules override, and the
# exit codes: 0 all read, 4 a phrase failed, 2 usage, 3 bad rules.
#   sh tests/cli/range.sh PATH/TO/reckon
set -eu
LC_ALL=C
export LC_ALL
reckon=${1:?usage: sh tests/cli/range.sh PATH/TO/reckon}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

# expect NAME STATUS: compares $tmp/out with $tmp/want and the exit status
# saved in $rc with STATUS.
expect() {
  [ "$rc" = "$2" ] || { echo "FAIL: $1: exit status $rc, expected $2"; fail=1; }
  cmp -s "$tmp/out" "$tmp/want" || {
    echo "FAIL: $1: output differs (expected, then got):"
    cat "$tmp/want" "$tmp/out"
    fail=1
  }
}

# Phrases as arguments, all readable: exit 0, one line each, in order.
cat > "$tmp/want" <<'EOF'
{"text":"80","low":80,"high":80,"figure":80,"kind":"exact"}
{"text":"over 100","low":101,"high":null,"figure":101,"kind":"more_than"}
{"text":"at least seven people","low":7,"high":null,"figure":7,"kind":"at_least"}
{"text":"dozens","low":24,"high":99,"figure":36,"kind":"vague"}
{"text":"between 20 and 30","low":20,"high":30,"figure":25,"kind":"between"}
{"text":"about 45","low":42,"high":48,"figure":45,"kind":"approx"}
{"text":"nearly 6 million","low":5100000,"high":6000000,"figure":6000000,"kind":"nearly"}
{"text":"up to 50","low":0,"high":50,"figure":50,"kind":"at_most"}
{"text":"fewer than 10","low":0,"high":9,"figure":9,"kind":"less_than"}
{"text":"no one","low":0,"high":0,"figure":0,"kind":"exact"}
{"text":"a trillion","low":1000000000000,"high":1000000000000,"figure":1000000000000,"kind":"exact"}
EOF
rc=0
"$reckon" range "80" "over 100" "at least seven people" "dozens" "between 20 and 30" \
  "about 45" "nearly 6 million" "up to 50" "fewer than 10" "no one" "a trillion" \
  > "$tmp/out" || rc=$?
expect "readable phrases" 0

# A phrase that fails is reported in its place and the rest still run: exit 4.
cat > "$tmp/want" <<'EOF'
{"text":"over 100","low":101,"high":null,"figure":101,"kind":"more_than"}
{"text":"banana","error":"no number in phrase"}
{"text":"","error":"empty phrase"}
{"text":"over over 100","error":"repeated qualifier 'over'"}
{"text":"1e400","error":"number too large"}
{"text":"dozens","low":24,"high":99,"figure":36,"kind":"vague"}
EOF
rc=0
"$reckon" range "over 100" banana "" "over over 100" 1e400 dozens > "$tmp/out" || rc=$?
expect "failed phrases" 4

# "-" reads phrases from standard input, one per line, CRLF endings too; a
# blank line is an empty phrase.  Text that is not UTF-8 is echoed as valid
# JSON and refused.
printf 'at least 7\r\n20\342\200\22330\n\nfive children and two women\n\377 100\n' > "$tmp/in"
cat > "$tmp/want" <<'EOF'
{"text":"at least 7","low":7,"high":null,"figure":7,"kind":"at_least"}
{"text":"20–30","low":20,"high":30,"figure":25,"kind":"between"}
{"text":"","error":"empty phrase"}
{"text":"five children and two women","low":7,"high":7,"figure":7,"kind":"exact"}
{"text":"� 100","error":"invalid UTF-8"}
EOF
rc=0
"$reckon" range - < "$tmp/in" > "$tmp/out" || rc=$?
expect "standard input" 4

# Arguments and standard input mix, in order; "--" lets a phrase start with '-'.
printf 'scores\n' > "$tmp/in"
cat > "$tmp/want" <<'EOF'
{"text":"a few","low":2,"high":5,"figure":3,"kind":"vague"}
{"text":"scores","low":40,"high":199,"figure":60,"kind":"vague"}
{"text":"-5","error":"negative count"}
EOF
rc=0
"$reckon" range -- "a few" - "-5" < "$tmp/in" > "$tmp/out" || rc=$?
expect "mixed arguments" 4

# --profile acled: ACLED's conservative coding of vague words.
cat > "$tmp/want" <<'EOF'
{"text":"dozens","low":12,"high":99,"figure":12,"kind":"vague"}
{"text":"tens of thousands","low":10000,"high":99999,"figure":10000,"kind":"vague"}
{"text":"hundreds","low":100,"high":999,"figure":100,"kind":"vague"}
{"text":"80","low":80,"high":80,"figure":80,"kind":"exact"}
EOF
rc=0
"$reckon" range --profile acled dozens "tens of thousands" hundreds 80 > "$tmp/out" || rc=$?
expect "--profile acled" 0

# --rules DIR overrides a row and adds a word.
mkdir "$tmp/rules"
printf '# a newsroom reading\ndozens | 30 | 60 | 40\na slew | 5 | 30 | 10\n' > "$tmp/rules/quantifiers"
cat > "$tmp/want" <<'EOF'
{"text":"dozens","low":30,"high":60,"figure":40,"kind":"vague"}
{"text":"a slew of people","low":5,"high":30,"figure":10,"kind":"vague"}
EOF
rc=0
"$reckon" range --rules "$tmp/rules" dozens "a slew of people" > "$tmp/out" || rc=$?
expect "--rules override" 0

# Usage errors: no phrase, an unknown option.  Nothing on stdout, exit 2.
: > "$tmp/want"
rc=0
"$reckon" range > "$tmp/out" 2> "$tmp/err" || rc=$?
expect "no phrases" 2
grep -q "no phrases" "$tmp/err" || { echo "FAIL: no-phrase message"; cat "$tmp/err"; fail=1; }
rc=0
"$reckon" range --frobnicate 80 > "$tmp/out" 2> "$tmp/err" || rc=$?
expect "unknown option" 2

# Bad rules: a broken quantifiers file names FILE:LINE, an unknown profile
# lists the known ones.  Exit 3, no phrase output.
mkdir "$tmp/broken"
printf 'dozens | 24 | 99 | 36\nscores | 40 | 199\n' > "$tmp/broken/quantifiers"
rc=0
"$reckon" range --rules "$tmp/broken" dozens > "$tmp/out" 2> "$tmp/err" || rc=$?
expect "broken --rules" 3
grep -q "^reckon: $tmp/broken/quantifiers:2: expected 'words | low | high | typical', got 3 fields\$" "$tmp/err" ||
  { echo "FAIL: broken rules message"; cat "$tmp/err"; fail=1; }
rc=0
"$reckon" range --profile nosuch dozens > "$tmp/out" 2> "$tmp/err" || rc=$?
expect "unknown profile" 3
grep -q "unknown profile 'nosuch'" "$tmp/err" || { echo "FAIL: profile message"; cat "$tmp/err"; fail=1; }

# --help works and documents the output.
rc=0
"$reckon" range --help > "$tmp/out" || rc=$?
[ "$rc" = 0 ] || { echo "FAIL: --help exited $rc"; fail=1; }
grep -q -- "--profile" "$tmp/out" || { echo "FAIL: --help lacks --profile"; fail=1; }

[ "$fail" = 0 ] && echo "cli-range: all passed"
exit "$fail"
