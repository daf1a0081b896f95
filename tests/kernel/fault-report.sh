#!/usr/bin/env bash
# A fatal fault (a write to address 0, on purpose) must print the fault, the registers and a
# symbolized backtrace, and end the VM with EXIT_KERNEL_FAULT (113).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kernel=$1
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail() { echo "FAIL: $*"; echo "--- console ---"; cat "$out"; exit 1; }
"$here/boot-kernel.sh" --machine microvm "$kernel" selftest=crash >"$out" 2>&1
rc=$?
[ "$rc" = 113 ] || fail "status $rc, expected 113 (kernel fault)"
grep -q "KERNEL FAULT: page fault" "$out" || fail "no fault headline"
grep -q "address 0000000000000000: page not present, write" "$out" || fail "fault address/kind not reported"
grep -q "rip [0-9a-f]\{16\} rsp" "$out" || fail "no register dump"
grep -q "#0 .* selftest_crash_null_write+0x" "$out" || fail "backtrace frame #0 is not symbolized"
grep -q "#[1-9] .* selftest_run+0x" "$out" || fail "backtrace does not reach the caller"
grep -q "#[1-9] .* kmain+0x" "$out" || fail "backtrace does not reach kmain"
echo "PASS: fault report with symbolized backtrace, status 113"
