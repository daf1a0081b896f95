#!/usr/bin/env bash
# rtctl run's exit status mapping and QEMU failures, with stand-in QEMUs ($RUNTIMEJS_QEMU):
# QEMU's (N << 1) | 1 becomes N; even statuses, QEMU errors and a missing QEMU give 125.
source "$(dirname "$0")/lib.sh"
export RUNTIMEJS_KERNEL=$WORK/kernel.elf
printf 'stand-in kernel' > "$RUNTIMEJS_KERNEL"
cd "$WORK" && "$RTCTL" new app >/dev/null && cd app

fake() { # fake NAME BODY: a stand-in qemu that records its arguments
  printf '#!/bin/sh\necho "$@" > %s/args\n%s\n' "$WORK" "$2" > "$WORK/$1"; chmod +x "$WORK/$1"; echo "$WORK/$1"
}
status() { set +e; "$@" >"$WORK/out" 2>"$WORK/err"; echo $?; set -e; }

[ "$(RUNTIMEJS_QEMU=$(fake q7 'echo kernel-line; '"$WORK"'/emit-record app guest-line; '"$WORK"'/emit-record app bad 3; exit 7') status "$RTCTL" run)" = 3 ] || fail "7 -> 3"
# Isolate records: info on stdout, errors on stderr; kernel lines not shown for an app's status.
[ "$(cat "$WORK/out")" = "[app] guest-line" ] || fail "run printed: $(cat "$WORK/out")"
contains "$(cat "$WORK/err")" "[app] bad"
if grep -q kernel-line "$WORK/out" "$WORK/err"; then fail "kernel line shown without -k"; fi
[ "$(RUNTIMEJS_QEMU=$WORK/q7 status "$RTCTL" run -k)" = 3 ] || fail "run -k"
contains "$(cat "$WORK/err")" "[kernel] kernel-line"
[ "$(RUNTIMEJS_QEMU=$WORK/q7 status "$RTCTL" run --json)" = 3 ] || fail "run --json"
python3 -c 'import sys, json
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [(r["isolate"], r["level"], r["message"]) for r in rows] == [("app", "info", "guest-line"), ("app", "error", "bad")], rows' "$WORK/out" ||
  fail "run --json printed: $(cat "$WORK/out")"
# A kernel panic (status 112): the kernel's console is shown after all.
[ "$(RUNTIMEJS_QEMU=$(fake qpanic 'echo "panic: out of luck"; exit 225') status "$RTCTL" run)" = 112 ] || fail "225 -> 112"
contains "$(cat "$WORK/err")" "[kernel] panic: out of luck"
contains "$(cat "$WORK/err")" "rtctl: run: the kernel's console (last 1 lines):"
# The stand-in gets the log channel: a virtio-console on the socket rtctl passes as fd 3.
contains "$(cat "$WORK/args")" "-chardev socket,id=rtlog,fd=3 -device virtio-serial-pci -device virtserialport,chardev=rtlog,nr=1,name=runtimejs.log"
# Statuses over 127: isa-debug-exit keeps 7 bits ((134 << 1 | 1) & 0xff = 13, read as 6), the
# EXIT record the whole status. abort() in the guest (134) shows the kernel's console too; an
# EXIT record that disagrees with isa-debug-exit is ignored.
[ "$(RUNTIMEJS_QEMU=$(fake qabort 'echo "V8 fatal error: out of memory"; '"$WORK"'/emit-record "" 134 1 3; exit 13') status "$RTCTL" run)" = 134 ] || fail "EXIT 134 + 13 -> 134"
contains "$(cat "$WORK/err")" "[kernel] V8 fatal error: out of memory"
[ "$(RUNTIMEJS_QEMU=$(fake q200 "$WORK"'/emit-record "" 200 1 3; exit 145') status "$RTCTL" run)" = 200 ] || fail "EXIT 200 + 145 -> 200"
[ "$(RUNTIMEJS_QEMU=$(fake qodd "$WORK"'/emit-record "" 9 1 3; exit 7') status "$RTCTL" run)" = 3 ] || fail "EXIT 9 + 7 -> 3"
args=$(cat "$WORK/args")
contains "$args" "-M q35 -m 256 -smp 1"
contains "$args" "-device isa-debug-exit,iobase=0xf4,iosize=0x04"
contains "$args" "-kernel $RUNTIMEJS_KERNEL"
if grep -qE -- '-cpu (host|max)' <<<"$args"; then fail "uses -cpu host/max"; fi
[ "$(RUNTIMEJS_QEMU=$(fake q1 'exit 1') status "$RTCTL" run -m 64 --cpus 2)" = 0 ] || fail "1 -> 0"
contains "$(cat "$WORK/args")" "-m 64 -smp 2"
[ "$(RUNTIMEJS_QEMU=$(fake q0 'exit 0') status "$RTCTL" run)" = 125 ] || fail "0 -> 125"
contains "$(cat "$WORK/err")" "rtctl: run: the VM stopped without an exit status"
[ "$(RUNTIMEJS_QEMU=$(fake qerr 'echo "qemu-system-x86_64: -kernel: bad" >&2; exit 1') status "$RTCTL" run)" = 125 ] ||
  fail "qemu error -> 125"
contains "$(cat "$WORK/err")" "QEMU failed"
[ "$(RUNTIMEJS_QEMU=$(fake qsig 'kill -9 $$') status "$RTCTL" run)" = 125 ] || fail "signal -> 125"
contains "$(cat "$WORK/err")" "killed by signal 9"
[ "$(RUNTIMEJS_QEMU=$WORK/none status "$RTCTL" run)" = 125 ] || fail "missing qemu -> 125"
contains "$(cat "$WORK/err")" "not found"

# -e rewrites the config of this run only: the stand-in QEMU sees it in the initrd it gets.
fake qenv 'for a in "$@"; do case "$prev" in -initrd) grep -c "\"K\":\"v 1\"" "$a" > '"$WORK"'/seen;; esac; prev=$a; done; exit 1' >/dev/null
[ "$(RUNTIMEJS_QEMU=$WORK/qenv status "$RTCTL" run -e 'K=v 1')" = 0 ] || fail "-e run"
[ "$(cat "$WORK/seen")" = 1 ] || fail "-e did not reach the config"

# Ctrl-C stops QEMU and exits 130.
fake qslow 'echo booting; echo $$ > '"$WORK"'/qslow.pid; exec sleep 30' >/dev/null
set +e
RUNTIMEJS_QEMU=$WORK/qslow "$RTCTL" run >/dev/null 2>"$WORK/err" & pid=$!
sleep 1; kill -INT $pid; wait $pid; rc=$?
set -e
[ $rc = 130 ] || fail "SIGINT -> $rc, want 130"
if grep -q "kernel's console" "$WORK/err"; then fail "Ctrl-C dumped the kernel's console"; fi
kill -0 "$(cat "$WORK/qslow.pid")" 2>/dev/null && fail "QEMU left running"
# rtctl killed outright (SIGKILL: no handler runs): QEMU goes too (it asked for SIGTERM on our death).
rm -f "$WORK/qslow.pid"
RUNTIMEJS_QEMU=$WORK/qslow "$RTCTL" run >/dev/null 2>&1 & pid=$!
for _ in $(seq 50); do [ -s "$WORK/qslow.pid" ] && break; sleep 0.1; done
[ -s "$WORK/qslow.pid" ] || fail "the stand-in QEMU did not start"
kill -9 $pid; wait $pid 2>/dev/null || true
for _ in $(seq 20); do kill -0 "$(cat "$WORK/qslow.pid")" 2>/dev/null || break; sleep 0.1; done
kill -0 "$(cat "$WORK/qslow.pid")" 2>/dev/null && { kill -9 "$(cat "$WORK/qslow.pid")"; fail "QEMU outlived a killed rtctl"; }

# Options that cannot work yet fail loudly.
[ "$(status "$RTCTL" run -p 8080:80)" = 1 ] || fail "-p"
contains "$(cat "$WORK/err")" "rtctl: run: -p: networking is not implemented yet (issue 5/network)"
[ "$(status "$RTCTL" run -p 8080)" = 2 ] || fail "-p bad spec"
echo "PASS"
