#!/usr/bin/env bash
# Boots the kernel in QEMU and prints its console; exits with the kernel's own status
# (isa-debug-exit: QEMU's status is status*2+1), 124 on timeout, 125 when QEMU failed.
# usage: boot-kernel.sh [--machine q35|microvm] [--timeout S] [--initrd FILE] [--cdrom ISO]
#                       [--uefi] KERNEL_ELF [KERNEL_COMMAND_LINE]
set -uo pipefail
machine=q35 timeout=120 initrd= cdrom= memory=256 firmware=()
while [ $# -gt 0 ]; do
  case "$1" in
    --machine) machine=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --initrd) initrd=$2; shift 2 ;;
    --cdrom) cdrom=$2; shift 2 ;;
    --uefi) firmware=(-bios /usr/share/ovmf/OVMF.fd); shift ;;   # Debian package ovmf
    --memory) memory=$2; shift 2 ;;
    *) break ;;
  esac
done
kernel=$1 cmdline=${2:-}
# rtctl decides KVM or TCG the way `rtctl run` does (a cached probe boot of this kernel).
accel=$(RUNTIMEJS_KERNEL="$kernel" "${RTCTL:?set RTCTL to the rtctl binary}" doctor --accel) || exit 125
args=(-M "$machine" -accel "$accel" -m "$memory" -nographic -no-reboot -display none -serial stdio -monitor none
      -device isa-debug-exit,iobase=0xf4,iosize=0x04 "${firmware[@]}")
if [ -n "$cdrom" ]; then
  args+=(-cdrom "$cdrom" -boot d)
else
  args+=(-kernel "$kernel" -append "$cmdline")
  [ -n "$initrd" ] && args+=(-initrd "$initrd")
fi
timeout "$timeout" qemu-system-x86_64 "${args[@]}" </dev/null
rc=$?
if [ $rc = 124 ]; then echo "boot-kernel: timed out after ${timeout}s" >&2; exit 124; fi
if [ $((rc % 2)) = 1 ]; then exit $(((rc - 1) / 2)); fi
echo "boot-kernel: QEMU failed with status $rc" >&2
exit 125
