#!/usr/bin/env bash
# The kernel finds the initrd (PVH module), reads /runtime.json and the entry script from it
# and runs it (--with-js: the script's line, status 0) or, built without V8 (--without-js),
# says so and ends with status 70. A broken image ends with 65 and a message naming the problem.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kernel=$1 js=${2:?usage: initrd-app.sh KERNEL --with-js|--without-js}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; echo "--- console ---"; cat "$work/out"; exit 1; }

mkdir -p "$work/good/app/lib" "$work/noentry"
printf '{"name":"t","version":"1.0.0","main":"/app/lib/start.js","env":{},"args":[]}\n' >"$work/good/runtime.json"
echo 'console.log("hi")' >"$work/good/app/lib/start.js"
(cd "$work/good" && find . | sort | cpio -o -H newc --quiet) >"$work/good.cpio"
printf '{"main":"/app/missing.js"}\n' >"$work/noentry/runtime.json"
(cd "$work/noentry" && find . | sort | cpio -o -H newc --quiet) >"$work/noentry.cpio"

"$here/boot-kernel.sh" --machine microvm --initrd "$work/good.cpio" "$kernel" >"$work/out" 2>&1
rc=$?
grep -q "entry /app/lib/start.js (18 bytes)" "$work/out" || fail "the entry script was not found in the initrd"
if [ "$js" = --with-js ]; then
  [ "$rc" = 0 ] || fail "status $rc with a valid image, expected 0"
  grep -qx "hi" <(tr -d '\r' <"$work/out") || fail "the script's output is missing"
else
  [ "$rc" = 70 ] || fail "status $rc with a valid image, expected 70 (no JavaScript in this kernel)"
  grep -q "JavaScript engine not available.*/app/lib/start.js" "$work/out" || fail "no clear message about the missing engine"
fi

"$here/boot-kernel.sh" --machine microvm --initrd "$work/noentry.cpio" "$kernel" >"$work/out" 2>&1
rc=$?
[ "$rc" = 65 ] || fail "status $rc with a missing entry script, expected 65"
grep -q "entry script /app/missing.js is not in the initrd" "$work/out" || fail "missing entry not named"

"$here/boot-kernel.sh" --machine microvm "$kernel" >"$work/out" 2>&1
rc=$?
[ "$rc" = 65 ] || fail "status $rc without an initrd, expected 65"
grep -q "no initrd" "$work/out" || fail "missing initrd not reported"
echo "PASS: initrd read over PVH ($js); broken images end with 65"
