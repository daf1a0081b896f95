#!/usr/bin/env bash
# JavaScript inside the kernel: boots tests/kernel/js/*.js as apps and checks their output and
# the VM's exit status.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kernel=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; echo "--- console ---"; cat "$work/out"; exit 1; }

# boot_js FILE|DIR [MEMORY_MIB]: builds an initrd with FILE as /app/FILE (or DIR's files under
# /app/, main.js the entry) and boots it; sets $rc.
boot_js() {
  local name; name=$(basename "$1")
  rm -rf "$work/root" && mkdir -p "$work/root/app"
  if [ -d "$1" ]; then cp -r "$1"/. "$work/root/app/"; name=main.js; else cp "$1" "$work/root/app/$name"; fi
  printf '{"name":"t","version":"0.0.0","main":"/app/%s","env":{"HOST_NOW":"%s"},"args":[]}\n' "$name" "$(date +%s)" >"$work/root/runtime.json"
  (cd "$work/root" && find . | sort | cpio -o -H newc --quiet) >"$work/initrd.cpio"
  "$here/boot-kernel.sh" --machine microvm --memory "${2:-512}" --timeout 600 --initrd "$work/initrd.cpio" "$kernel" >"$work/out" 2>&1
  rc=$?
}

boot_js "$here/js/language.js"
grep -q "^FAIL" "$work/out" && fail "$(grep -c '^FAIL' "$work/out") language checks failed"
grep -q "language: all passed" "$work/out" || fail "the language test did not finish"
[ "$rc" = 0 ] || fail "language.js: status $rc, expected 0"
checks=$(grep -c "^ok " "$work/out")
expected=$(grep -c "^check('" "$here/js/language.js")
[ "$checks" = "$expected" ] || fail "$checks checks passed, language.js has $expected"
grep -qxF "format: { a: 1, b: [ 1, \"two\" ], \"c-d\": null } Map(1) { 1 => { x: 2n } } Set(1) { \"s\" } { name: \"loop\", self: [Circular] } [] {} [Function: (anonymous)] Symbol(q)" <(tr -d '\r' <"$work/out") ||
  fail "console.log formatting: $(grep '^format:' "$work/out")"
grep "js: V8" "$work/out"

boot_js "$here/js/exit-status.js"
[ "$rc" = 3 ] || fail "isolate.exit(3) ended with status $rc"
grep -q "exiting with 3" "$work/out" || fail "no output before isolate.exit"

boot_js "$here/js/uncaught.js"
[ "$rc" = 1 ] || fail "an uncaught exception ended with status $rc, expected 1"
grep -q "Uncaught TypeError: kaboom" "$work/out" || fail "the error is not printed"
grep -q "at explode (/app/uncaught.js:3:9)" "$work/out" || fail "no file:line:column in the stack"
boot_js "$here/js/timers.js"
[ "$rc" = 0 ] || fail "timers.js: status $rc, expected 0"
grep -q "timers: all passed" "$work/out" || fail "the timers test failed"
grep "timers:" "$work/out"

boot_js "$here/js/unhandled.js"
[ "$rc" = 1 ] || fail "an unhandled rejection ended with status $rc, expected 1"
grep -q "Unhandled promise rejection: RangeError: no such thing" "$work/out" || fail "the rejection is not reported"
grep -q "at load (/app/unhandled.js:3:9)" "$work/out" || fail "no stack for the rejection"

boot_js "$here/js/modules"
[ "$rc" = 0 ] || fail "modules: status $rc, expected 0"
grep -q "modules: all passed" "$work/out" || fail "the module test failed"

boot_js "$here/js/gc-stress.js" 256
[ "$rc" = 0 ] || fail "gc-stress.js in 256 MiB: status $rc, expected 0"
grep -q "gc-stress: allocated 2048 MiB" "$work/out" || fail "the GC stress test did not finish"
grep "gc-stress:" "$work/out"

echo "PASS: $checks language checks, timers, CommonJS modules, isolate.exit status, uncaught exception and unhandled rejection reports, 2 GiB allocated in 256 MiB"
