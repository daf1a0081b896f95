#!/usr/bin/env bash
# Instances with stand-in QEMUs ($RUNTIMEJS_QEMU): run -d, logs [-f] [--since], ps, stop, rm,
# the attached run's stored log, and stale state (a dead pid, a recycled pid).
source "$(dirname "$0")/lib.sh"
export RUNTIMEJS_KERNEL=$WORK/kernel.elf
printf 'stand-in kernel' > "$RUNTIMEJS_KERNEL"
# The accelerator choice is cached per host boot: say TCG, so no KVM probe boots a stand-in.
mkdir -p "$XDG_STATE_HOME/runtimejs"
echo "$(cat /proc/sys/kernel/random/boot_id) tcg stand-in QEMU" > "$XDG_STATE_HOME/runtimejs/accel"
# Stand-in QEMUs leave their pid here, so a failing test leaves none behind.
trap 'xargs -r kill -9 < "$WORK/qemu-pids" 2>/dev/null || true; rm -rf "$WORK"' EXIT
: > "$WORK/qemu-pids"
cd "$WORK" && "$RTCTL" new app >/dev/null && cd app && "$RTCTL" build >/dev/null

fake() { # fake NAME BODY
  printf '#!/bin/sh\necho $$ >> %s/qemu-pids\n%s\n' "$WORK" "$2" > "$WORK/$1"; chmod +x "$WORK/$1"; echo "$WORK/$1"
}
# Isolate records on the log channel (fd 3), kernel lines on the serial console (stdout).
QLINES=$(fake qlines 'echo "kernel booted"; for i in 1 2 3 4 5; do '"$WORK"'/emit-record app "line $i"; sleep 0.2; done; exit 141')  # app status 70
QSLOW=$(fake qslow "$WORK"'/emit-record app up; exec sleep 60')
QSTUBBORN=$(fake qstubborn 'trap "" TERM; '"$WORK"'/emit-record app up; while :; do sleep 0.1; done')
now_ms() { date +%s%3N; }
# wait_until SECONDS CMD...: polls CMD until it succeeds, fails at the deadline.
wait_until() {
  local end=$(( $(now_ms) + $1 * 1000 )); shift
  until "$@"; do [ "$(now_ms)" -lt $end ] || fail "timed out waiting for: $*"; sleep 0.05; done
}
ps_line() { "$RTCTL" ps --all | awk -v n="$1" '$1 == n'; }
json_field() { # json_field NAME FIELD: from ps --all --json
  "$RTCTL" ps --all --json | python3 -c 'import sys, json
for l in sys.stdin:
    o = json.loads(l)
    if o["name"] == sys.argv[1]: print(json.dumps(o[sys.argv[2]]))' "$1" "$2"
}
lines="$(printf '[app] line %s\n' 1 2 3 4 5)"

# run -d returns at once with the name; the instance runs; logs -f gets every line, then ends.
t0=$(now_ms)
name=$(RUNTIMEJS_QEMU=$QLINES "$RTCTL" run -d 2>"$WORK/err")
[ "$name" = app ] || fail "run -d printed \"$name\", want app"
[ $(( $(now_ms) - t0 )) -lt 900 ] || fail "run -d did not return at once"
contains "$("$RTCTL" ps)" "running"
[ "$(json_field app status)" = '"running"' ] || fail "ps --json: not running"
[ "$(json_field app detached)" = true ] || fail "ps --json: not detached"
out=$(timeout 20 "$RTCTL" logs -f app) || fail "logs -f failed or hung"
[ "$out" = "$lines" ] || fail "logs -f printed: $out"
# The state is final once logs -f has seen the end.
[ -z "$("$RTCTL" ps | awk '$1 == "app"')" ] || fail "ps lists an ended instance without --all"
contains "$(ps_line app)" "exited (70)"
[ "$(json_field app exit_code)" = 70 ] || fail "exit code"
[ "$(json_field app accel)" = '"tcg"' ] || fail "accel"
# logs without -f, --timestamps, --since.
[ "$("$RTCTL" logs app)" = "$lines" ] || fail "logs"
"$RTCTL" logs --timestamps app | head -n 1 | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z \[app\] line 1$' ||
  fail "logs --timestamps: $("$RTCTL" logs --timestamps app | head -n 1)"
[ "$("$RTCTL" logs --since 1h app)" = "$lines" ] || fail "--since 1h"
[ -z "$("$RTCTL" logs --since 2999-01-01T00:00:00Z app)" ] || fail "--since in the future printed lines"
third=$("$RTCTL" logs --timestamps app | sed -n 3p | cut -d' ' -f1)
[ "$("$RTCTL" logs --since "$third" app)" = "$(printf '[app] line %s\n' 3 4 5)" ] || fail "--since TIMESTAMP"
# The kernel's lines on request (-k), the isolate filter, JSON lines.
[ "$("$RTCTL" logs -k app | head -n 2)" = "$(printf '[kernel] kernel booted\n[app] line 1')" ] || fail "logs -k"
[ -z "$("$RTCTL" logs --isolate other app)" ] || fail "--isolate other printed entries"
[ "$("$RTCTL" logs --isolate app app)" = "$lines" ] || fail "--isolate app"
"$RTCTL" logs --json app | python3 -c 'import sys, json
rows = [json.loads(l) for l in sys.stdin]
assert [r["message"] for r in rows] == ["line %d" % i for i in range(1, 6)], rows
assert all(r["stream"] == "isolate" and r["isolate"] == "app" and r["level"] == "info" for r in rows), rows
assert all("guest_time" in r and r["time"].endswith("Z") for r in rows), rows' || fail "logs --json"
if "$RTCTL" logs --since yesterday app 2>"$WORK/err"; then fail "--since yesterday accepted"; fi
contains "$(cat "$WORK/err")" "--since: \"yesterday\" is neither"

# Names: the ended "app" is replaced; a running one makes the next "app-2"; --name.
[ "$(RUNTIMEJS_QEMU=$QSLOW "$RTCTL" run -d 2>/dev/null)" = app ] || fail "name app not reused"
[ "$(RUNTIMEJS_QEMU=$QSLOW "$RTCTL" run -d 2>/dev/null)" = app-2 ] || fail "second name"
[ "$(RUNTIMEJS_QEMU=$QSTUBBORN "$RTCTL" run -d --name stubborn 2>/dev/null)" = stubborn ] || fail "--name"
if RUNTIMEJS_QEMU=$QSLOW "$RTCTL" run -d --name stubborn 2>"$WORK/err"; then fail "a running name was reused"; fi
contains "$(cat "$WORK/err")" "stubborn: an instance of that name is running"
wait_until 5 grep -q up "$XDG_STATE_HOME/runtimejs/instances/app-2/log.jsonl"
[ "$("$RTCTL" logs app-2)" = "[app] up" ] || fail "logs app-2"
contains "$(ps_line app-2)" "running"

# stop: SIGTERM ends it at once; a QEMU that ignores SIGTERM is killed after 5 s.
pid=$(json_field app-2 pid)
t0=$(now_ms)
[ "$("$RTCTL" stop app-2)" = app-2 ] || fail "stop app-2"
[ $(( $(now_ms) - t0 )) -lt 2000 ] || fail "stop took $(( $(now_ms) - t0 )) ms"
kill -0 "$pid" 2>/dev/null && fail "QEMU $pid still running after stop"
contains "$(ps_line app-2)" "stopped"
t0=$(now_ms)
"$RTCTL" stop stubborn >/dev/null || fail "stop stubborn"
el=$(( $(now_ms) - t0 ))
[ $el -ge 4500 ] && [ $el -lt 8000 ] || fail "stop of a QEMU ignoring SIGTERM took $el ms"
contains "$(ps_line stubborn)" "stopped"
if "$RTCTL" stop app-2 2>"$WORK/err"; then fail "stop of an ended instance succeeded"; fi
contains "$(cat "$WORK/err")" "rtctl: stop: app-2: not running (stopped)"
if "$RTCTL" stop nosuch 2>"$WORK/err"; then fail "stop of an unknown instance succeeded"; fi
contains "$(cat "$WORK/err")" "rtctl: stop: nosuch: no such instance"

# rm: refuses a running instance unless --force; removes the state and the log.
if "$RTCTL" rm app 2>"$WORK/err"; then fail "rm removed a running instance"; fi
contains "$(cat "$WORK/err")" "rtctl: rm: app: is running"
pid=$(json_field app pid)
"$RTCTL" rm --force app >/dev/null || fail "rm --force"
kill -0 "$pid" 2>/dev/null && fail "rm --force left QEMU running"
"$RTCTL" rm app-2 stubborn >/dev/null || fail "rm"
[ ! -e "$XDG_STATE_HOME/runtimejs/instances/app" ] && [ ! -e "$XDG_STATE_HOME/runtimejs/instances/app-2" ] ||
  fail "rm left the state"
[ "$("$RTCTL" ps --all | wc -l)" = 1 ] || fail "ps --all after rm: $("$RTCTL" ps --all)"

# An attached run is an instance too: its log and status stay after it ends.
set +e; RUNTIMEJS_QEMU=$QLINES "$RTCTL" run --name att >"$WORK/out" 2>/dev/null; rc=$?; set -e
[ $rc = 70 ] || fail "attached run exited $rc, want 70"
[ "$(cat "$WORK/out")" = "$lines" ] || fail "attached run output"
[ "$("$RTCTL" logs att)" = "$lines" ] || fail "logs of an attached run"
contains "$(ps_line att)" "exited (70)"
[ "$(json_field att detached)" = false ] || fail "attached run recorded as detached"

# Stale state: "running" with a pid that is gone, or a pid now used by another process
# (this shell, with another start time), reads as exited (unknown), never as running.
sh -c 'exit 0' & gone=$!; wait $gone
stale() { # stale NAME PID
  mkdir -p "$XDG_STATE_HOME/runtimejs/instances/$1"
  printf '{"name":"%s","image":"app","status":"running","pid":%s,"pid_start":1,"accel":"kvm","started":"2024-01-01T00:00:00Z","exit_code":null}\n' \
    "$1" "$2" > "$XDG_STATE_HOME/runtimejs/instances/$1/state.json"
}
stale dead "$gone"
stale reused $$
for n in dead reused; do
  contains "$(ps_line $n)" "exited (unknown)"
  [ "$(json_field $n stale)" = true ] || fail "$n: not stale in --json"
  [ "$(json_field $n status)" = '"exited"' ] || fail "$n: json status"
done
[ -z "$("$RTCTL" ps | awk 'NR > 1')" ] || fail "ps lists stale instances as running: $("$RTCTL" ps)"
timeout 5 "$RTCTL" logs -f dead >/dev/null || fail "logs -f of a stale instance"
if "$RTCTL" stop reused 2>"$WORK/err"; then fail "stop trusted a recycled pid"; fi
contains "$(cat "$WORK/err")" "reused: not running (exited)"
kill -0 $$ || fail "stop killed the process that reuses the pid"
"$RTCTL" rm dead reused att >/dev/null || fail "rm stale"
echo "PASS"
