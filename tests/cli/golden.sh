# What the CLI golden tests share; sourced by run.sh and stream.sh, which
# set $tmp (this run's output), $want (the expected files) and fail.
# RECKON_UPDATE_GOLDEN=1 rewrites the expected files instead of comparing.

# golden NAME: compare $tmp/NAME with $want/NAME
golden() {
  if [ "${RECKON_UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$tmp/$1" "$want/$1"
  elif ! cmp -s "$want/$1" "$tmp/$1"; then
    echo "FAIL: $1 differs from the expected output:"
    diff -u "$want/$1" "$tmp/$1" || true
    fail=1
  fi
}

# status WANT GOT WHAT
status() {
  if [ "$1" != "$2" ]; then
    echo "FAIL: $3: exit status $2, expected $1"
    fail=1
  fi
}
