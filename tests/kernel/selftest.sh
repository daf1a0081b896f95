#!/usr/bin/env bash
# Runs the in-kernel self-tests (kernel/selftest) in QEMU and checks what they report: every
# test passed, none is missing, the VM ended with status 0 and the guest's wall clock agrees
# with the host's within 2 seconds.
# usage: selftest.sh KERNEL_ELF --machine q35|microvm   or   selftest.sh KERNEL_ELF --grub|--grub-uefi
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kernel=$1 mode=$2 machine=${3:-q35}
out=$(mktemp) work=$(mktemp -d)
trap 'rm -rf "$out" "$work"' EXIT
fail() { echo "FAIL: $*"; echo "--- console ---"; cat "$out"; exit 1; }

# Timed wake-ups must be within 1 ms of their deadline on KVM. Under TCG the vCPU is a host
# thread competing with everything else on the machine: the bound is widened and said so.
slack=1000
if [ "$(RUNTIMEJS_KERNEL="$kernel" "${RTCTL:?set RTCTL to the rtctl binary}" doctor --accel 2>/dev/null)" = tcg ]; then
  slack=${RUNTIMEJS_TCG_SLACK_US:-50000}
  echo "note: TCG: timed wake-ups may be ${slack} us late (1000 us on KVM)"
fi
cmdline="selftest selftest_slack_us=$slack"
case "$mode" in
  --machine)
    "$here/boot-kernel.sh" --machine "$machine" "$kernel" "$cmdline" >"$out" 2>&1; rc=$? ;;
  --grub|--grub-uefi)
    # A GRUB2 bootable ISO (BIOS and UEFI) with the kernel loaded by multiboot2.
    mkdir -p "$work/iso/boot/grub"
    cp "$kernel" "$work/iso/boot/runtimejs.elf"
    printf 'set timeout=0\nset default=0\nserial --unit=0 --speed=115200\nterminal_output serial\nmenuentry "runtime.js selftest" {\n  multiboot2 /boot/runtimejs.elf %s\n  boot\n}\n' "$cmdline" >"$work/iso/boot/grub/grub.cfg"
    grub-mkrescue -o "$work/selftest.iso" "$work/iso" >/dev/null 2>"$work/grub.log" || { cat "$work/grub.log"; fail "grub-mkrescue failed"; }
    uefi=()
    [ "$mode" = --grub-uefi ] && uefi=(--uefi)
    "$here/boot-kernel.sh" --cdrom "$work/selftest.iso" "${uefi[@]}" "$kernel" >"$out" 2>&1; rc=$? ;;
  *) echo "usage: $0 KERNEL --machine M | --grub" >&2; exit 2 ;;
esac
host_now=$(date +%s)

expected_protocol=PVH
[ "$mode" != --machine ] && expected_protocol=multiboot2
grep -q "runtime.js kernel .*booted via $expected_protocol" "$out" || fail "no boot banner for $expected_protocol"
[ "$rc" = 0 ] || fail "the VM ended with status $rc, expected 0"
summary=$(grep -o "selftest: [0-9]* passed, [0-9]* failed" "$out") || fail "no self-test summary"
passed=$(echo "$summary" | awk '{print $2}') failed=$(echo "$summary" | awk '{print $4}')
[ "$failed" = 0 ] || fail "$failed self-tests failed"
# Every test in kernel/selftest must have run: count the table entries.
expected=$(grep -ho '{ "[a-z_]*\.[a-z_]*", ' "$here"/../../kernel/selftest/test_*.c | wc -l)
[ "$passed" = "$expected" ] || fail "$passed tests passed, but kernel/selftest defines $expected"
for required in memory.write_protect memory.guard_page memory.no_execute threads.preemption threads.tls time.sleep_precision time.wall_clock libc.printf_float; do
  grep -q "selftest: $required ok" "$out" || fail "$required did not pass"
done
guest_now=$(sed -n 's/.*selftest: wallclock \([0-9]*\).*/\1/p' "$out")
[ -n "$guest_now" ] || fail "no wall clock reported"
skew=$((host_now - guest_now)); skew=${skew#-}
# The host reads its clock after the VM ended: allow for the time the remaining tests took.
elapsed=$(grep -o "selftest: libc.[a-z_]* ok ([0-9]* us)" "$out" | sed 's/.*(\([0-9]*\) us)/\1/' | awk '{s+=$1} END {print int(s/1000000)+1}')
[ "$skew" -le $((2 + elapsed)) ] || fail "guest wall clock $guest_now differs from host $host_now by ${skew}s"
grep "sleep lateness\|selftest: [0-9]* passed" "$out"
echo "PASS: $passed self-tests ($expected_protocol boot, ${mode#--}${machine:+, $machine})"
