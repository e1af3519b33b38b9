#!/bin/sh
# Installs the built library into a scratch prefix, then compiles and runs
# example.c against it with pkg-config, as an embedding program would.
#   sh tests/example/run.sh BUILD_DIR EXAMPLE_DIR
set -eu
LC_ALL=C
export LC_ALL
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

cmake --install "$build" --prefix "$tmp/prefix" > /dev/null
pc=$(find "$tmp/prefix" -name reckon.pc)
[ -n "$pc" ] || { echo "FAIL: reckon.pc was not installed"; exit 1; }
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH
[ -x "$tmp/prefix/bin/reckon" ] || { echo "FAIL: the CLI was not installed"; exit 1; }
"$tmp/prefix/bin/reckon" --version > /dev/null

# shellcheck disable=SC2046
${CC:-cc} -std=c11 -Wall -Wextra -Werror ${EXAMPLE_CFLAGS:-} -o "$tmp/example" "$src/example.c" \
  $(pkg-config --cflags --libs reckon)
LD_LIBRARY_PATH=$(pkg-config --variable=libdir reckon) "$tmp/example" > "$tmp/out"
expected="homs-military-academy@2023-10-05 killed: 80-142 from 2 claims"
grep -qx "$expected" "$tmp/out" || { echo "FAIL: unexpected output:"; cat "$tmp/out"; exit 1; }
echo "example: built against the installed library and ran"
