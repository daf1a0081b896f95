#!/usr/bin/env bash
# JS CPU benchmark (tests/bench/js/cpu.js), in one run: (a) in the kernel under QEMU, (b) on
# Linux in v8-host, linked from the very same V8 objects, and (c) the host's Node.js for
# reference. Prints each kernel's time and the ratio Linux / kernel (>= 1.0: the kernel is at
# least as fast). The accelerator is printed: under TCG the kernel's figure measures the
# emulator, not the kernel.
# usage: tests/bench/js-cpu.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: js-cpu.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
kernel="$build/kernel/runtimejs.elf" host="$build/kernel/js/host/v8-host" rtctl="$build/rtctl/rtctl"
for f in "$kernel" "$host" "$rtctl"; do [ -x "$f" ] || [ -f "$f" ] || { echo "js-cpu.sh: $f missing: build first" >&2; exit 1; }; done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/root/app"
cp "$here/js/cpu.js" "$work/root/app/cpu.js"
printf '{"name":"bench","version":"0.0.0","main":"/app/cpu.js","env":{},"args":[]}\n' >"$work/root/runtime.json"
(cd "$work/root" && find . | sort | cpio -o -H newc --quiet) >"$work/initrd.cpio"
accel=$(RUNTIMEJS_KERNEL="$kernel" "$rtctl" doctor --accel 2>/dev/null)
RTCTL=$rtctl "$here/../kernel/boot-kernel.sh" --machine microvm --memory 512 --timeout 900 \
  --initrd "$work/initrd.cpio" "$kernel" >"$work/kernel.out" 2>&1 || { cat "$work/kernel.out"; exit 1; }
"$host" "$here/js/cpu.js" >"$work/host.out"
if command -v node >/dev/null; then node "$here/js/cpu.js" >"$work/node.out"; else : >"$work/node.out"; fi

value() { awk -v k="$2" '$1 == "bench" && $2 == k { print $3 }' "$1" | tr -d '\r'; }
printf '%-18s %12s %12s %12s %14s\n' kernel "kernel ms" "v8-host ms" "node ms" "host/kernel"
for k in object_allocation property_access closures string_building typed_array_math regexp total; do
  a=$(value "$work/kernel.out" $k) b=$(value "$work/host.out" $k) c=$(value "$work/node.out" $k)
  printf '%-18s %12s %12s %12s %13.2fx\n' "$k" "$a" "$b" "${c:--}" "$(awk -v a="$a" -v b="$b" 'BEGIN { print (a > 0) ? b / a : 0 }')"
done
echo "kernel under QEMU/$accel ($(grep -o 'V8 [0-9.a-z-]*' "$work/kernel.out" | head -1)); v8-host: the same V8 objects on Linux; node $(node --version 2>/dev/null || echo absent)"
[ "$accel" = tcg ] && echo "note: TCG emulates every instruction; the ratio is meaningful only under KVM."
exit 0
