#!/usr/bin/env bash
# V8 build-time experiment: how much a precompiled header of V8's heaviest internal headers
# saves per translation unit. Compiles a deterministic sample of v8_base_without_compiler's
# units with their exact ninja commands, once as they are (the baseline) and once with
# `-include` of the precompiled header, in the same run, and prints both and the ratio.
# usage: tests/bench/v8-pch.sh NODE_SOURCE_TREE [SAMPLE]   (a tree configured like v8.sh does;
# its generated headers are built first: torque, bytecode list)
set -euo pipefail
tree=$(cd "${1:?usage: v8-pch.sh NODE_SOURCE_TREE [SAMPLE]}" && pwd)
sample=${2:-24}
rel="$tree/out/Release"
export CCACHE_DISABLE=1
echo "generating V8's headers (torque, bytecode list)..."
ninja -C "$rel" run_torque generate_bytecode_builtins_list v8_version >"$rel/pch-gen.log" || { tail -20 "$rel/pch-gen.log"; exit 1; }

units=$(grep -o 'obj/deps/v8/src/[^ :]*v8_base_without_compiler\.[^ :]*\.o' "$rel/obj/tools/v8_gypfiles/v8_base_without_compiler.ninja" | sort -u)
total=$(echo "$units" | wc -l)
step=$((total / sample))
picked=$(echo "$units" | awk -v s="$step" 'NR % s == 0' | head -"$sample")

pch_dir="$rel/pch"
mkdir -p "$pch_dir"
cat >"$pch_dir/v8-pch.h" <<'H'
#include "src/execution/isolate.h"
#include "src/objects/objects-inl.h"
#include "src/heap/heap-inl.h"
#include "src/handles/handles-inl.h"
#include "src/objects/js-objects-inl.h"
#include "src/codegen/code-stub-assembler.h"
H
first=$(echo "$picked" | head -1)
cmd=$(cd "$rel" && ninja -t commands "$first" | tail -1)
flags=$(echo "$cmd" | sed 's/^[^ ]* //; s/-MMD -MF [^ ]* //; s/ -c [^ ]* -o [^ ]*$//')
s=$(date +%s%N)
(cd "$rel" && eval "g++ $flags -x c++-header ../../out/Release/pch/v8-pch.h -o pch/v8-pch.h.gch")
pch_ms=$(( ($(date +%s%N) - s) / 1000000 ))

base_ms=0 with_ms=0 n=0
for u in $picked; do
  mkdir -p "$rel/$(dirname "$u")"
  cmd=$(cd "$rel" && ninja -t commands "$u" | tail -1)
  cmd=${cmd/ccache /}
  cmd=$(echo "$cmd" | sed 's/ -o [^ ]*$//')
  s=$(date +%s%N); (cd "$rel" && eval "$cmd -o /tmp/v8-pch-base.o") >/dev/null 2>&1 || { echo "baseline failed: $u"; continue; }
  b=$(( ($(date +%s%N) - s) / 1000000 ))
  s=$(date +%s%N); (cd "$rel" && eval "$cmd -Winvalid-pch -include pch/v8-pch.h -o /tmp/v8-pch-with.o") >/dev/null 2>&1 || { echo "with PCH failed: $u"; continue; }
  w=$(( ($(date +%s%N) - s) / 1000000 ))
  printf '%-90s %7d ms %7d ms\n' "${u#obj/deps/v8/src/}" "$b" "$w"
  base_ms=$((base_ms + b)) with_ms=$((with_ms + w)) n=$((n + 1))
done
echo "units: $n of $total (every ${step}th); precompiling the header: ${pch_ms} ms once"
echo "baseline: $base_ms ms   with PCH: $with_ms ms   ratio $(awk -v a="$with_ms" -v b="$base_ms" 'BEGIN { printf "%.2f", a / b }')"
