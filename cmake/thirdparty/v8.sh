#!/usr/bin/env bash
# Builds V8 10.2 from Debian's nodejs source package with its shipped gyp description, once,
# into $RUNTIMEJS_CACHE/v8/<key>. Prints that folder on stdout; progress goes to stderr.
# Output: lib/*.a (real archives), include/, gen/ (embedded.S, snapshot.cc), bin/mksnapshot,
# v8-defines.txt (the -D flags embedders must use), build-info.txt (what and how long).
set -euo pipefail
COMPONENT=v8
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$THIRDPARTY_DIR/v8.recipe"

key=$(cache_key "$(cat "$THIRDPARTY_DIR/v8.recipe")" "$THIRDPARTY_DIR/v8.sh" "$THIRDPARTY_DIR/common.sh")
out="$RUNTIMEJS_CACHE/v8/$key"
if [ -f "$out/.complete" ]; then
  say "cached: $out" >&2
  echo "$out"
  exit 0
fi
exec 3>&1 1>&2   # everything below is progress; the result goes to fd 3

need_tool ninja ninja-build
need_tool python3 python3
need_tool g++ g++
src=$(debian_source nodejs "$NODEJS_VERSION")

# The work folder survives an interrupted build, so a re-run resumes where ninja stopped.
work="$RUNTIMEJS_CACHE/work/v8-$key"
tree="$work/node"
if [ ! -f "$tree/.extracted" ]; then
  say "extracting $(basename "$src"/nodejs_*.orig.tar.xz)"
  rm -rf "$tree" && mkdir -p "$tree"
  tar -xf "$src"/nodejs_*.orig.tar.xz -C "$tree" --strip-components=1
  touch "$tree/.extracted"
fi

# ccache makes a rebuild of the same sources with the same flags (a deleted cache entry, a
# changed script) fast; its own hashing keeps it correct.
cc=gcc cxx=g++
if command -v ccache >/dev/null; then
  export CCACHE_DIR="$RUNTIMEJS_CACHE/ccache" CCACHE_BASEDIR="$tree" CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
  export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime   # the PCH
  cc="ccache gcc" cxx="ccache g++"
fi

if [ ! -f "$tree/out/Release/build.ninja" ]; then
  say "configuring (gyp, ninja): $NODE_CONFIGURE_ARGS"
  # shellcheck disable=SC2086
  (cd "$tree" && CC="$cc" CXX="$cxx" \
     CFLAGS="$V8_CFLAGS" CXXFLAGS="$V8_CFLAGS" \
     LDFLAGS="$V8_LDFLAGS" \
     python3 configure.py $NODE_CONFIGURE_ARGS >"$work/configure.log" 2>&1) ||
    die "node configure failed, see $work/configure.log"
fi

rel="$tree/out/Release"
start=$(date +%s)
# The precompiled header: built per target with that target's exact flags (gcc uses a .gch only
# when they match), after the generated headers it includes exist; the target's units then get
# `-include` of it. A resumed build finds the targets already patched.
if [ -n "${V8_PCH_TARGETS:-}" ]; then
  say "generating V8's headers, then the precompiled headers for: $V8_PCH_TARGETS"
  ninja -C "$rel" -j"$JOBS" run_torque generate_bytecode_builtins_list v8_version >>"$work/build.log" 2>&1 ||
    die "generating V8's headers failed, see $work/build.log"
  for target in $V8_PCH_TARGETS; do
    nf="$rel/obj/tools/v8_gypfiles/$target.ninja"
    grep -q -- "-include pch/$target/v8-pch.h" "$nf" && continue
    mkdir -p "$rel/pch/$target"
    printf '#include "%s"\n' $V8_PCH_HEADERS >"$rel/pch/$target/v8-pch.h"
    unit=$(grep -m1 -o 'obj/deps/v8/src/[^ :]*\.o' "$nf")
    cmd=$(cd "$rel" && ninja -t commands "$unit" | tail -1)
    flags=$(echo "$cmd" | sed 's/^\(ccache \)\{0,1\}[^ ]* //; s/-MMD -MF [^ ]* //; s/ -c [^ ]* -o [^ ]*$//')
    (cd "$rel" && eval "g++ $flags -x c++-header pch/$target/v8-pch.h -o pch/$target/v8-pch.h.gch") >>"$work/build.log" 2>&1 ||
      die "precompiling the header for $target failed, see $work/build.log"
    sed -i "s|^cflags_cc = |cflags_cc = -Winvalid-pch -include pch/$target/v8-pch.h |" "$nf"
  done
fi

steps=$(ninja -C "$tree/out/Release" -n "$V8_TARGET" | tail -1 | sed -n 's/^\[[0-9]*\/\([0-9]*\)\].*/\1/p')
say "building $V8_TARGET: ${steps:-?} steps left with -j$JOBS (about 70 min cold on 2 cores, minutes with a warm ccache); log: $work/build.log"
# ninja's own [n/total] lines are the progress; on a terminal they overwrite each other.
if ! ninja -C "$tree/out/Release" -j"$JOBS" "$V8_TARGET" 2>&1 | tee -a "$work/build.log"; then
  die "ninja failed, see $work/build.log (re-run to resume)"
fi
build_time=$(elapsed "$start")
say "compiled in $build_time"

stage="$out.tmp.$$"
rm -rf "$stage" && mkdir -p "$stage/lib" "$stage/gen" "$stage/bin"
# gyp makes thin archives (paths to objects in the work tree); the cache needs self-contained ones.
for thin in "$rel"/obj/tools/v8_gypfiles/libv8_*.a "$rel"/obj/tools/v8_gypfiles/libtorque_base.a; do
  [ -f "$thin" ] || continue
  name=$(basename "$thin")
  (cd "$(dirname "$thin")" && ar t "$thin" | xargs ar qcD "$stage/lib/$name")
  ranlib -D "$stage/lib/$name"
done
cp -r "$tree/deps/v8/include" "$stage/include"
cp "$rel"/obj/tools/v8_gypfiles/v8_snapshot.gen/embedded.S "$rel"/obj/tools/v8_gypfiles/v8_snapshot.gen/snapshot.cc "$stage/gen/"
cp "$rel/mksnapshot" "$stage/bin/"
# The defines V8 was compiled with; code that includes V8's headers must use the same ones.
sed -n '/^defines = /,/^[a-z]/p' "$rel/obj/tools/v8_gypfiles/v8_base_without_compiler.ninja" |
  sed '$d; s/^defines = //; s/ \$$//' | tr ' ' '\n' | sed -n 's/^ *-D/-D/p' >"$stage/v8-defines.txt"
{
  echo "nodejs source: $NODEJS_VERSION"
  echo "configure: $NODE_CONFIGURE_ARGS"
  echo "cflags: $V8_CFLAGS"
  echo "precompiled header for: ${V8_PCH_TARGETS:-none}"
  echo "ldflags: $V8_LDFLAGS"
  echo "compiler: $(g++ --version | head -1)"
  echo "steps: ${steps:-?}, jobs: $JOBS, wall time: $build_time"
  command -v ccache >/dev/null && ccache -s 2>/dev/null | grep -iE 'hits|misses' | head -3
} >"$stage/build-info.txt"
publish "$stage" "$out"
[ -n "${RUNTIMEJS_KEEP_WORK:-}" ] || rm -rf "$work"
say "done: $out ($(du -sh "$out" | cut -f1))"
echo "$out" >&3
