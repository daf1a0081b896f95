#!/usr/bin/env bash
# Log channel benchmark: an app logs LINES lines of 100 characters and exits; `rtctl run`
# wall time with the lines travelling (a) as records over virtio-console, the log channel,
# and (b) as plain lines on the serial console (the kernel's fallback when the VM has no
# virtio-console; a QEMU wrapper drops the device), measured in the same run. Prints lines
# per second of each and the ratio channel/serial (> 1: the channel is faster).
# usage: tests/bench/log-channel.sh BUILD_DIR [LINES] [RUNS]
set -euo pipefail
build=${1:?usage: log-channel.sh BUILD_DIR [LINES] [RUNS]}
lines=${2:-20000} runs=${3:-3}
rtctl="$build/rtctl/rtctl" kernel="$build/kernel/runtimejs.elf"
for f in "$rtctl" "$kernel"; do [ -f "$f" ] || { echo "log-channel.sh: $f missing: build first" >&2; exit 1; }; done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME="$work/data" XDG_STATE_HOME="$work/state" RUNTIMEJS_KERNEL="$kernel"
mkdir -p "$work/chatty"
printf '{"name":"chatty","version":"1.0.0","main":"index.js"}\n' >"$work/chatty/package.json"
cat >"$work/chatty/index.js" <<JS
const line = 'x'.repeat(90);
for (let i = 0; i < $lines; i++) console.log(String(i).padStart(9, '0') + ' ' + line);
JS
"$rtctl" build "$work/chatty" >/dev/null
# The serial fallback: the same QEMU command without the log channel.
serial_qemu=$(cd "$(dirname "$0")/../e2e" && pwd)/qemu-without-log-channel

ms() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.0f", (e - s) / 1e6 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
chan=() serial=()
for _ in $(seq "$runs"); do
  s=$(date +%s%N); "$rtctl" run chatty >"$work/chan.out" 2>/dev/null; e=$(date +%s%N)
  chan+=("$(ms "$s" "$e")")
  s=$(date +%s%N); RUNTIMEJS_QEMU=$serial_qemu "$rtctl" run -k chatty >/dev/null 2>"$work/serial.out"; e=$(date +%s%N)
  serial+=("$(ms "$s" "$e")")
done
# Both runs must have carried every line.
[ "$(wc -l <"$work/chan.out")" = "$lines" ] || { echo "log channel: $(wc -l <"$work/chan.out") of $lines lines" >&2; exit 1; }
got=$(grep -c ' xxxxxxxxxx' "$work/serial.out" || true)
[ "$got" = "$lines" ] || { echo "serial: $got of $lines lines" >&2; exit 1; }
c=$(printf '%s\n' "${chan[@]}" | median) s=$(printf '%s\n' "${serial[@]}" | median)
accel=$("$rtctl" doctor --accel 2>/dev/null)
printf 'rtctl run, %d lines of 100 chars, on %s (median of %d):\n' "$lines" "$accel" "$runs"
printf '  log channel (virtio-console):  %6d ms  %8.0f lines/s\n' "$c" "$(awk -v n="$lines" -v t="$c" 'BEGIN { print n * 1000 / t }')"
printf '  serial console (baseline):     %6d ms  %8.0f lines/s\n' "$s" "$(awk -v n="$lines" -v t="$s" 'BEGIN { print n * 1000 / t }')"
printf '  ratio serial/channel time:     %6.2fx\n' "$(awk -v a="$s" -v b="$c" 'BEGIN { print a / b }')"
