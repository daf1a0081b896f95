#!/usr/bin/env bash
# The real kernel: `rtctl run` (QEMU -kernel, PVH) and the raw and ISO images (GRUB2, BIOS)
# boot it. Until V8 is linked the kernel reads /runtime.json, prints its banner and
# "JavaScript engine not available yet" and ends the VM with status 70.
source "$(dirname "$0")/lib.sh"
KERNEL=${2:?usage: $0 RTCTL KERNEL}
[ -f "$KERNEL" ] || fail "kernel $KERNEL not built (build the 'kernel' target)"
export RUNTIMEJS_KERNEL=$KERNEL
cd "$WORK" && "$RTCTL" new app >/dev/null && cd app

set +e
out=$(timeout 120 "$RTCTL" run 2>"$WORK/err"); rc=$?
set -e
[ $rc = 70 ] || fail "run exit $rc, want 70: $out $(cat "$WORK/err")"
contains "$out" "/app/index.js"

for format in raw iso; do
  "$RTCTL" image --format $format app -o "$WORK/app.$format" >/dev/null
  if [ $format = raw ]; then drive="-drive file=$WORK/app.raw,format=raw"; else drive="-cdrom $WORK/app.iso"; fi
  # TCG: under this nested KVM, real-mode BIOS code runs about 100 times slower than under TCG.
  set +e
  out=$(timeout 300 qemu-system-x86_64 -M q35 -m 256 -no-reboot -display none -monitor none -serial stdio \
        $drive -device isa-debug-exit,iobase=0xf4,iosize=0x04 -accel tcg 2>&1); rc=$?
  set -e
  [ $rc = 141 ] || fail "$format image: QEMU exit $rc, want 141 (status 70): $out"
  contains "$out" "runtime.js kernel"
done
echo "PASS"
