#!/usr/bin/env bash
# The log channel with the real kernel: isolate records travel over virtio-console (modern
# transport, then legacy through a QEMU wrapper) and come out of `rtctl run` as
# "[isolate] message" (warnings and errors on stderr) or JSON lines (--json), in order, whole
# (a 10,000-character message, a multi-line one, 300 in a row: more than the queue holds),
# with their levels; an uncaught error is an error record; `rtctl logs` reads the same back.
# Then a burst with a slow reader: a 300,000-character record (more than the 64 transmit
# slots), a NUL byte, 2,000 lines of 1 KB while rtctl's output waits in a full pipe: all of
# them arrive, none lost (the serial port holds the guest's buffers until the host reads).
# Other virtio-serial devices and ports do not get in the way; without the device at all rtctl
# shows the console. isolate.exit(200) comes out as 200.
source "$(dirname "$0")/lib.sh"
NO_CHANNEL_QEMU=$(cd "$(dirname "$0")" && pwd)/qemu-without-log-channel
use_kernel "${2:-}"
cd "$WORK" && "$RTCTL" new chatty >/dev/null && cd chatty
cat > index.js <<'JS'
console.log('plain', 1, { a: 1 });
console.warn('careful');
console.error('bad');
console.debug('dbg');
isolate.log('via isolate.log');
console.log('x'.repeat(10000));
for (let i = 0; i < 300; i++) console.log('n' + i);
console.log('multi\nline');
throw new Error('boom');
JS
"$RTCTL" build >/dev/null

check_run() { # check_run WHAT: the text and JSON forms of one run
  set +e
  timeout 120 "$RTCTL" run --name "text-$1" >"$WORK/out" 2>"$WORK/err"; rc=$?
  set -e
  [ $rc = 1 ] || fail "$1: run exit $rc, want 1 (uncaught error): $(cat "$WORK/err")"
  python3 - "$WORK/out" "$WORK/err" <<'PY' || fail "$1: text output"
import sys
out = open(sys.argv[1]).read().split('\n')
err = open(sys.argv[2]).read().split('\n')
want = ['[chatty] plain 1 { a: 1 }', '[chatty] dbg', '[chatty] via isolate.log', '[chatty] ' + 'x' * 10000]
want += ['[chatty] n%d' % i for i in range(300)] + ['[chatty] multi', '[chatty] line', '']
assert out == want, 'stdout: %r' % out[:8]
assert '[chatty] careful' in err and '[chatty] bad' in err, err
assert '[chatty] Uncaught Error: boom' in err, err
assert any(l.startswith('[chatty]     at ') and '/app/index.js:9' in l for l in err), err
assert not any(l.startswith('[kernel]') for l in err), 'kernel lines shown without -k'
PY
  set +e
  timeout 120 "$RTCTL" run --json --name "json-$1" >"$WORK/json" 2>"$WORK/err"; rc=$?
  set -e
  [ $rc = 1 ] || fail "$1: run --json exit $rc: $(cat "$WORK/err")"
  python3 - "$WORK/json" <<'PY' || fail "$1: --json output"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert all(r['stream'] == 'isolate' and r['isolate'] == 'chatty' for r in rows), rows[0]
levels = [(r['level'], r['message'][:12]) for r in rows[:5]]
assert levels == [('info', 'plain 1 { a:'), ('warn', 'careful'), ('error', 'bad'), ('debug', 'dbg'),
                  ('info', 'via isolate.')], levels
assert rows[5]['message'] == 'x' * 10000
assert [r['message'] for r in rows[6:306]] == ['n%d' % i for i in range(300)]
assert rows[306]['message'] == 'multi\nline'
assert rows[307]['level'] == 'error' and rows[307]['message'].startswith('Uncaught Error: boom\n    at ')
assert len(rows) == 308, len(rows)
assert all(r['guest_time'][:4] == r['time'][:4] for r in rows)
PY
  # The stored log reads back the same; -k adds the kernel's lines, which say the transport.
  [ "$("$RTCTL" logs "text-$1" | sed -n 3p)" = "[chatty] bad" ] || fail "$1: logs"
  [ "$("$RTCTL" logs "text-$1" | wc -l)" = 313 ] || fail "$1: logs has $("$RTCTL" logs "text-$1" | wc -l) lines"
  contains "$("$RTCTL" logs -k "text-$1")" "[kernel] log: isolate logs on virtio-console ($1 transport, serial port 1)"
}

check_run modern
# The legacy (virtio 0.9) transport: the same device with its modern interface off.
cat > "$WORK/qemu-legacy" <<EOF2
#!/bin/sh
for a in "\$@"; do
  [ "\$a" = virtio-serial-pci ] && a=virtio-serial-pci,disable-modern=on
  set -- "\$@" "\$a"; shift
done
exec qemu-system-x86_64 "\$@"
EOF2
chmod +x "$WORK/qemu-legacy"
RUNTIMEJS_QEMU=$WORK/qemu-legacy check_run legacy

cd "$WORK" && "$RTCTL" new burst >/dev/null && cd burst
cat > index.js <<'JS'
console.log('start');
console.log('y'.repeat(300000));
console.log('a\0b');
for (let i = 0; i < 2000; i++) console.log(String(i).padStart(5, '0') + ' ' + 'z'.repeat(1000));
console.log('after');
JS
"$RTCTL" build >/dev/null
set +e
timeout 300 "$RTCTL" run --json --name burst 2>"$WORK/err" | (sleep 5; cat >"$WORK/burst.json"); rc=${PIPESTATUS[0]}
set -e
[ $rc = 0 ] || fail "burst: run exit $rc: $(cat "$WORK/err")"
python3 - "$WORK/burst.json" <<'PY' || fail "burst: lost or damaged records"
import json, sys
msgs = [json.loads(l)['message'] for l in open(sys.argv[1])]
assert len(msgs) == 2004, len(msgs)
assert msgs[0] == 'start' and msgs[1] == 'y' * 300000 and msgs[2] == 'a\0b' and msgs[-1] == 'after', msgs[:3]
assert msgs[3:2003] == ['%05d %s' % (i, 'z' * 1000) for i in range(2000)]
PY
[ "$("$RTCTL" logs burst | wc -l)" = 2004 ] || fail "burst: the stored log has $("$RTCTL" logs burst | wc -l) lines"

# Other virtio-serial devices and ports around ours: the kernel finds port 1 named
# runtimejs.log on whichever device has it, leaves the other ports alone (declining one made
# QEMU report a guest failure), and the app's line comes through the channel.
echo "console.log('around');" > index.js
"$RTCTL" build >/dev/null
wrapper() { # wrapper NAME EXTRA-ARGS-FIRST EXTRA-ARGS-LAST
  printf '#!/bin/sh\nexec qemu-system-x86_64 %s "$@" %s\n' "$2" "$3" > "$WORK/$1"; chmod +x "$WORK/$1"; echo "$WORK/$1"
}
for w in "$(wrapper q-first '-device virtio-serial-pci,id=vsfirst' '')" \
         "$(wrapper q-port2 '' '-chardev null,id=c0 -device virtserialport,chardev=c0,nr=2,name=other')"; do
  set +e
  out=$(RUNTIMEJS_QEMU=$w timeout 120 "$RTCTL" run 2>"$WORK/err"); rc=$?
  set -e
  [ $rc = 0 ] || fail "$(basename "$w"): exit $rc: $(cat "$WORK/err")"
  [ "$out" = "[burst] around" ] || fail "$(basename "$w"): printed \"$out\": $(cat "$WORK/err")"
done
# No log channel at all (a QEMU without the device): rtctl says so and shows the console,
# where the kernel then prints the app's lines.
set +e
RUNTIMEJS_QEMU=$NO_CHANNEL_QEMU timeout 120 "$RTCTL" run >"$WORK/out" 2>"$WORK/err"; rc=$?
set -e
[ $rc = 0 ] || fail "no channel: exit $rc: $(cat "$WORK/err")"
contains "$(cat "$WORK/err")" "rtctl: run: the guest found no log channel: showing its console"
contains "$(cat "$WORK/err")" "[kernel] around"

# A status isa-debug-exit cannot carry (7 bits) comes whole through the log channel.
echo "console.log('bye'); isolate.exit(200);" > index.js
"$RTCTL" build >/dev/null
set +e
out=$(timeout 120 "$RTCTL" run 2>"$WORK/err"); rc=$?
set -e
[ $rc = 200 ] || fail "isolate.exit(200): rtctl run exit $rc: $(cat "$WORK/err")"
[ "$out" = "[burst] bye" ] || fail "isolate.exit(200) printed: $out"
echo "PASS"
