#!/usr/bin/env bash
# cache_key (cmake/thirdparty/common.sh) on scratch recipes: the same inputs give the same key;
# a changed flag, a changed build script or another compiler give another.
set -uo pipefail
dir=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
COMPONENT=test
# shellcheck source=/dev/null
source "$dir/common.sh"

printf 'VERSION=1\nFLAGS="-O2 -mno-red-zone"\n' >"$work/recipe"
echo 'echo build' >"$work/build.sh"
k1=$(cache_key "$(cat "$work/recipe")" "$work/build.sh")
k2=$(cache_key "$(cat "$work/recipe")" "$work/build.sh")
[ "$k1" = "$k2" ] || fail "the same inputs gave two keys ($k1, $k2)"
[[ "$k1" =~ ^[0-9a-f]{16}$ ]] || fail "key '$k1' is not 16 hex digits"

printf 'VERSION=1\nFLAGS="-O3 -mno-red-zone"\n' >"$work/recipe2"
[ "$(cache_key "$(cat "$work/recipe2")" "$work/build.sh")" != "$k1" ] || fail "a changed flag kept the key"
echo 'echo build --other' >"$work/build2.sh"
[ "$(cache_key "$(cat "$work/recipe")" "$work/build2.sh")" != "$k1" ] || fail "a changed build script kept the key"

# Another compiler version: a gcc earlier on PATH that reports a different version.
mkdir -p "$work/bin"
printf '#!/bin/sh\necho "gcc (Other) 99.0"\n' >"$work/bin/gcc"
chmod +x "$work/bin/gcc"
[ "$(PATH="$work/bin:$PATH" cache_key "$(cat "$work/recipe")" "$work/build.sh")" != "$k1" ] || fail "another compiler kept the key"

# The real recipes: distinct components never share a key.
source "$dir/v8.recipe"
source "$dir/newlib.recipe"
kv=$(cache_key "$(cat "$dir/v8.recipe")" "$dir/v8.sh" "$dir/common.sh")
kn=$(cache_key "$(cat "$dir/newlib.recipe")" "$dir/newlib.sh" "$dir/common.sh")
[ "$kv" != "$kn" ] || fail "v8 and newlib have the same key"
echo "PASS: keys are stable and follow recipe, script and compiler (v8 $kv, newlib $kn)"
