#!/usr/bin/env bash
# Without an isa-debug-exit device, the kernel ends the VM by ACPI power-off (S5, from the
# FADT and the DSDT's \_S5), saying which status it could not pass on; QEMU then exits 0.
set -uo pipefail
kernel=$1
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail() { echo "FAIL: $*"; echo "--- console ---"; cat "$out"; exit 1; }
accel=$(RUNTIMEJS_KERNEL="$kernel" "${RTCTL:?set RTCTL to the rtctl binary}" doctor --accel 2>/dev/null)
timeout 60 qemu-system-x86_64 -M q35 -accel "$accel" -m 256 -display none -monitor none -no-reboot \
  -serial stdio -kernel "$kernel" -append "selftest=time.monotonic" </dev/null >"$out" 2>&1
rc=$?
[ "$rc" = 124 ] && fail "the VM did not power off (timed out)"
[ "$rc" = 0 ] || fail "QEMU exited with $rc, expected 0 after an ACPI power-off"
grep -q "selftest: 1 passed, 0 failed" "$out" || fail "the self-test did not run"
grep -q "machine: exit status 0; powering off (ACPI S5)" "$out" || fail "no ACPI power-off message"
echo "PASS: ACPI S5 power-off on q35"
