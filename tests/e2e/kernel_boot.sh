#!/usr/bin/env bash
# The real kernel runs the app's JavaScript: `rtctl run` (QEMU -kernel, PVH) of a fresh app
# prints its line and exits 0; an app that calls isolate.exit(3) makes `rtctl run` exit 3; an
# app's npm dependency loads with require(); the raw and ISO disk images (GRUB2, BIOS) boot and
# print the line too.
source "$(dirname "$0")/lib.sh"
use_kernel "${2:-}"
cd "$WORK" && "$RTCTL" new app >/dev/null && cd app

set +e
out=$(timeout 120 "$RTCTL" run 2>"$WORK/err"); rc=$?
set -e
[ $rc = 0 ] || fail "run exit $rc, want 0: $out $(cat "$WORK/err")"
contains "$out" "Hello from app!"

# -e reaches the app as isolate.env.
echo 'console.log(`env says ${isolate.env.GREETING}`);' >index.js
set +e
out=$(timeout 120 "$RTCTL" run -e GREETING=bonjour 2>"$WORK/err"); rc=$?
set -e
[ $rc = 0 ] || fail "run -e: exit $rc: $out $(cat "$WORK/err")"
contains "$out" "env says bonjour"

cat >index.js <<'JS'
console.log("leaving with 3");
isolate.exit(3);
JS
set +e
out=$(timeout 120 "$RTCTL" run 2>"$WORK/err"); rc=$?
set -e
[ $rc = 3 ] || fail "an app calling isolate.exit(3): rtctl run exit $rc, want 3: $out $(cat "$WORK/err")"
contains "$out" "leaving with 3"

# An app with a real npm dependency (a local tarball: no network): the dependency loads.
mkdir -p "$WORK/tinydep"
echo '{"name":"tinydep","version":"1.0.0","main":"lib/tiny.js"}' >"$WORK/tinydep/package.json"
mkdir -p "$WORK/tinydep/lib" && echo 'module.exports = (who) => `tiny says hi to ${who}`;' >"$WORK/tinydep/lib/tiny.js"
(cd "$WORK" && npm pack ./tinydep --silent >/dev/null)
mkdir "$WORK/withdep"
echo '{"name":"withdep","version":"1.0.0","main":"main.js","dependencies":{"tinydep":"file:../tinydep-1.0.0.tgz"}}' >"$WORK/withdep/package.json"
echo 'console.log(require("tinydep")("the kernel"));' >"$WORK/withdep/main.js"
set +e
out=$(cd "$WORK/withdep" && npm_config_offline=true timeout 120 "$RTCTL" run 2>"$WORK/err"); rc=$?
set -e
[ $rc = 0 ] || fail "app with a dependency: exit $rc: $out $(cat "$WORK/err")"
contains "$out" "tiny says hi to the kernel"

echo 'console.log("Hello from app!");' >index.js
"$RTCTL" build >/dev/null   # `image NAME` takes the image from the store
for format in raw iso; do
  "$RTCTL" image --format $format app -o "$WORK/app.$format" >/dev/null
  if [ $format = raw ]; then drive="-drive file=$WORK/app.raw,format=raw"; else drive="-cdrom $WORK/app.iso"; fi
  # TCG: /dev/kvm here cannot run this kernel (see docs/kernel.md), and real-mode BIOS code is
  # slow under it anyway.
  set +e
  out=$(timeout 300 qemu-system-x86_64 -M q35 -m 256 -no-reboot -display none -monitor none -serial stdio \
        $drive -device isa-debug-exit,iobase=0xf4,iosize=0x04 -accel tcg 2>&1); rc=$?
  set -e
  [ $rc = 1 ] || fail "$format image: QEMU exit $rc, want 1 (status 0): $out"
  contains "$out" "booted via multiboot2"
  contains "$out" "Hello from app!"
done
echo "PASS"
