#!/usr/bin/env bash
# Builds newlib (Debian's newlib source package) freestanding for x86_64 with the host gcc into
# $RUNTIMEJS_CACHE/newlib/<key>: lib/libc.a, lib/libm.a, include/. Prints that folder on stdout.
# The kernel supplies the system-call glue (_write, _sbrk, ...), __getreent and the locks.
set -euo pipefail
COMPONENT=newlib
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$THIRDPARTY_DIR/newlib.recipe"

key=$(cache_key "$(cat "$THIRDPARTY_DIR/newlib.recipe")" "$THIRDPARTY_DIR/newlib.sh" "$THIRDPARTY_DIR/common.sh")
out="$RUNTIMEJS_CACHE/newlib/$key"
if [ -f "$out/.complete" ]; then
  say "cached: $out" >&2
  echo "$out"
  exit 0
fi
exec 3>&1 1>&2

need_tool gcc gcc
need_tool make make
src=$(debian_source newlib "$NEWLIB_VERSION")
work="$RUNTIMEJS_CACHE/work/newlib-$key"
rm -rf "$work" && mkdir -p "$work/src" "$work/build" "$work/bin"
say "extracting $(basename "$src"/newlib_*.orig.tar.gz)"
tar -xzf "$src"/newlib_*.orig.tar.gz -C "$work/src" --strip-components=1

# No x86_64-elf cross compiler exists on Debian; the host gcc does the job once it is kept away
# from glibc's headers (-nostdinc plus gcc's own freestanding headers).
gcc_inc=$(gcc -print-file-name=include)
for tool in gcc cc; do
  printf '#!/bin/sh\nexec gcc -nostdinc -isystem %s "$@"\n' "$gcc_inc" >"$work/bin/x86_64-elf-$tool"
done
for tool in ar as ld nm objcopy objdump ranlib readelf strip; do
  printf '#!/bin/sh\nexec %s "$@"\n' "$tool" >"$work/bin/x86_64-elf-$tool"
done
chmod +x "$work/bin"/*
export PATH="$work/bin:$PATH"

stage="$out.tmp.$$"
start=$(date +%s)
say "configuring: $NEWLIB_CONFIGURE_ARGS"
# shellcheck disable=SC2086
(cd "$work/build" && CFLAGS_FOR_TARGET="$NEWLIB_CFLAGS" \
   "$work/src/configure" $NEWLIB_CONFIGURE_ARGS --prefix="$work/install" >"$work/configure.log" 2>&1) ||
  die "configure failed, see $work/configure.log"
say "building libc and libm with -j$JOBS (a few minutes); log: $work/build.log"
(cd "$work/build" && make -j"$JOBS" all-target-newlib >"$work/build.log" 2>&1) ||
  die "make failed, see $work/build.log"
(cd "$work/build" && make install-target-newlib >>"$work/build.log" 2>&1) ||
  die "make install failed, see $work/build.log"

rm -rf "$stage" && mkdir -p "$stage/lib"
cp "$work/install/x86_64-elf/lib/libc.a" "$work/install/x86_64-elf/lib/libm.a" "$stage/lib/"
cp -r "$work/install/x86_64-elf/include" "$stage/include"
{
  echo "newlib source: $NEWLIB_VERSION"
  echo "configure: $NEWLIB_CONFIGURE_ARGS"
  echo "cflags: $NEWLIB_CFLAGS"
  echo "compiler: $(gcc --version | head -1)"
  echo "wall time: $(elapsed "$start")"
} >"$stage/build-info.txt"
publish "$stage" "$out"
[ -n "${RUNTIMEJS_KEEP_WORK:-}" ] || rm -rf "$work"
say "done in $(elapsed "$start"): $out"
echo "$out" >&3
