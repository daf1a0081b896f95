#!/usr/bin/env bash
# rtctl benchmark for apps/hello: build time, image size (kernel + initrd, gzip -9 of both, and
# the bytes a push moves), and `rtctl run` wall time from launch to exit; against baselines
# measured in the same run:
# the host's Node.js binary (size) and QEMU booting an empty guest (time).
# usage: tests/bench/rtctl.sh BUILD_DIR [RUNS]
set -euo pipefail
build=${1:?usage: rtctl.sh BUILD_DIR [RUNS]}
runs=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
rtctl="$build/rtctl/rtctl" kernel="$build/kernel/runtimejs.elf"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME="$work/data" XDG_STATE_HOME="$work/state" RUNTIMEJS_KERNEL="$kernel"
cp -r "$here/../../apps/hello" "$work/hello"

ms() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.0f", (e - s) / 1e6 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# The first build with a kernel compresses it into the store; later ones reuse that layer.
s=$(date +%s%N); "$rtctl" build "$work/hello" >"$work/build.out"; e=$(date +%s%N)
first_ms=$(ms "$s" "$e")
echo "// changed" >>"$work/hello/index.js"
s=$(date +%s%N); "$rtctl" build "$work/hello" >"$work/build.out"; e=$(date +%s%N)
build_ms=$(ms "$s" "$e")
# hello:latest in the store (an OCI image layout, docs/registry.md): the initrd blob, and the
# bytes a push or pull moves (manifest, config and layers).
read -r initrd pushed < <(python3 - "$XDG_DATA_HOME/runtimejs/oci" <<'PY'
import json, os, sys
root = sys.argv[1]
blob = lambda d: '%s/blobs/sha256/%s' % (root, d.split(':')[1])
ref = next(m for m in json.load(open(root + '/index.json'))['manifests']
           if m['annotations']['org.opencontainers.image.ref.name'] == 'hello:latest')
m = json.load(open(blob(ref['digest'])))
total = ref['size'] + m['config']['size'] + sum(l['size'] for l in m['layers'])
print(blob(next(l for l in m['layers'] if l['mediaType'].startswith('application/vnd.runtimejs.initrd'))['digest']), total)
PY
)
ksize=$(stat -c %s "$kernel") isize=$(stat -c %s "$initrd")
gz=$(cat "$kernel" "$initrd" | gzip -9 | wc -c)
node_bin=$(readlink -f "$(command -v node)")
nsize=$(stat -c %s "$node_bin")

run=() base=()
gcc -c -o "$work/empty.o" "$here/empty-guest.S" && ld -m elf_x86_64 -Ttext=0x100000 -e entry -o "$work/empty.elf" "$work/empty.o"
accel=$("$rtctl" doctor --accel 2>/dev/null)
for _ in $(seq "$runs"); do
  s=$(date +%s%N); "$rtctl" run hello >/dev/null 2>&1; e=$(date +%s%N)
  run+=("$(ms "$s" "$e")")
  s=$(date +%s%N)
  qemu-system-x86_64 -M q35 -accel "$accel" -m 256 -display none -monitor none -no-reboot -serial null \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$work/empty.elf" </dev/null >/dev/null 2>&1 || true
  e=$(date +%s%N)
  base+=("$(ms "$s" "$e")")
done
r=$(printf '%s\n' "${run[@]}" | median) b=$(printf '%s\n' "${base[@]}" | median)
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
echo "rtctl build apps/hello:        ${build_ms} ms   (first with this kernel: ${first_ms} ms, compressing it)"
echo "kernel:                        $(mib "$ksize")"
echo "initrd:                        $(stat -c %s "$initrd") bytes"
echo "kernel + initrd, gzip -9:      $(mib "$gz")   (goal < 10 MiB)"
echo "image as pushed/pulled:        $(mib "$pushed")   (OCI manifest, config, gzip kernel layer, initrd)"
echo "Node.js binary (baseline):     $(mib "$nsize")   ratio image/node $(awk -v a="$gz" -v b="$nsize" 'BEGIN { printf "%.2f", a / b }')"
echo "rtctl run hello, launch->exit: ${r} ms on ${accel}   (goal < 300 ms on KVM)"
echo "QEMU empty guest (baseline):   ${b} ms   ratio $(awk -v a="$r" -v b="$b" 'BEGIN { printf "%.2f", a / b }')x"
