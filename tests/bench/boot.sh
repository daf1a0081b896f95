#!/usr/bin/env bash
# Boot benchmark: for each accelerator that can run the kernel (KVM, TCG) and machine (microvm,
# q35), prints the guest time from the kernel's first instruction to "ready" and to the app's
# first JS line (TSC-based, reported by the kernel and by isolate.uptime()) and QEMU's wall time from launch to exit, against a baseline measured
# in the same run: an empty PVH guest that exits at once (QEMU's own cost).
# usage: tests/bench/boot.sh BUILD_DIR [RUNS]
set -euo pipefail
build=${1:?usage: boot.sh BUILD_DIR [RUNS]}
runs=${2:-10}
here=$(cd "$(dirname "$0")" && pwd)
kernel="$build/kernel/runtimejs.elf"
rtctl="$build/rtctl/rtctl"
[ -f "$kernel" ] || { echo "boot.sh: $kernel missing: build first (cmake --build $build)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gcc -c -o "$work/empty.o" "$here/empty-guest.S"
ld -m elf_x86_64 -Ttext=0x100000 -e entry -o "$work/empty.elf" "$work/empty.o"

# An app image for the "boot to the app" figure: the kernel reads /runtime.json and the entry.
mkdir -p "$work/app/app"
printf '{"main":"/app/index.js"}\n' >"$work/app/runtime.json"
echo 'console.log("first-line " + isolate.uptime().toFixed(3))' >"$work/app/app/index.js"
(cd "$work/app" && find . | sort | cpio -o -H newc --quiet) >"$work/app.cpio"

accels=(tcg)
kvm=$(RUNTIMEJS_KERNEL="$kernel" "$rtctl" doctor --accel 2>"$work/why") || true
if [ "$kvm" = kvm ]; then accels=(kvm tcg); else echo "KVM: not measured: $(cat "$work/why")"; fi

ms() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.1f", (e - s) / 1e6 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '%-5s %-8s %14s %16s %14s %14s %10s\n' accel machine "guest ready ms" "first JS line ms" "QEMU wall ms" "baseline ms" "ratio"
for accel in "${accels[@]}"; do
  for machine in microvm q35; do
    guest=() first=() wall=() base=()
    for _ in $(seq "$runs"); do
      s=$(date +%s%N)
      qemu-system-x86_64 -M "$machine" -accel "$accel" -m 256 -display none -monitor none -no-reboot \
        -serial file:"$work/console" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -kernel "$kernel" -initrd "$work/app.cpio" </dev/null >/dev/null 2>&1 || true
      e=$(date +%s%N)
      wall+=("$(ms "$s" "$e")")
      g=$(sed -n 's/^boot: ready \([0-9.]*\) ms.*/\1/p' "$work/console")
      [ -n "$g" ] || { echo "boot.sh: the kernel did not report ready:"; cat "$work/console"; exit 1; }
      guest+=("$g")
      f=$(sed -n 's/^first-line \([0-9.]*\).*/\1/p' "$work/console" | tr -d '\r')
      [ -n "$f" ] || { echo "boot.sh: the app printed no line:"; cat "$work/console"; exit 1; }
      first+=("$f")
      s=$(date +%s%N)
      qemu-system-x86_64 -M "$machine" -accel "$accel" -m 256 -display none -monitor none -no-reboot \
        -serial null -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$work/empty.elf" </dev/null >/dev/null 2>&1 || true
      e=$(date +%s%N)
      base+=("$(ms "$s" "$e")")
    done
    fl=$(printf '%s\n' "${first[@]}" | median)
    g=$(printf '%s\n' "${guest[@]}" | median) w=$(printf '%s\n' "${wall[@]}" | median) b=$(printf '%s\n' "${base[@]}" | median)
    printf '%-5s %-8s %14s %16s %14s %14s %9.2fx\n' "$accel" "$machine" "$g" "$fl" "$w" "$b" "$(awk -v w="$w" -v b="$b" 'BEGIN { print w / b }')"
  done
done
echo "medians of $runs runs; ratio = QEMU wall / baseline (an empty guest). Goals on KVM: ready < 10 ms, first JS line < 30 ms."
