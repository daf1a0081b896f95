# Shared helpers of the e2e tests: a private store and HOME per test, and assertions.
set -euo pipefail
RTCTL=${1:?usage: $0 RTCTL [KERNEL]}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rtctl-e2e.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export HOME=$WORK/home XDG_DATA_HOME=$WORK/data XDG_STATE_HOME=$WORK/state npm_config_cache=$WORK/npm-cache
mkdir -p "$HOME"

fail() { echo "FAIL: $*" >&2; exit 1; }
# use_kernel PATH: boot the kernel the `kernel` target builds; missing, the test fails (not skips).
use_kernel() {
  KERNEL=${1:?usage: $0 RTCTL KERNEL}
  [ -f "$KERNEL" ] || fail "kernel $KERNEL not built (build the 'kernel' target)"
  export RUNTIMEJS_KERNEL=$KERNEL
}
contains() { grep -qF -- "$2" <<<"$1" || fail "expected \"$2\" in: $1"; }
digest_of() { grep -oE 'sha256:[0-9a-f]{64}' <<<"$1" | tail -n 1; }

# Names in a cpio newc archive, one a line.
cpio_names() {
  python3 - "$1" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read(); o = 0
while True:
    assert d[o:o+6] == b'070701', 'not newc at %d' % o
    size = int(d[o+54:o+62], 16); nlen = int(d[o+94:o+102], 16)
    name = d[o+110:o+110+nlen-1].decode(); o += (110 + nlen + 3) & ~3
    if name == 'TRAILER!!!': break
    print(name); o += (size + 3) & ~3
PY
}

# $WORK/emit-record NAME MESSAGE [LEVEL [TYPE]]: what the kernel's log channel sends, written
# to fd 3 (QEMU's end of rtctl's log channel socket), for stand-in QEMUs. TYPE 3: the exit status.
cat > "$WORK/emit-record" <<'PY'
#!/usr/bin/env python3
import os, struct, sys, time
name, msg = sys.argv[1].encode(), sys.argv[2].encode()
level = int(sys.argv[3]) if len(sys.argv) > 3 else 1
kind = int(sys.argv[4]) if len(sys.argv) > 4 else 1
os.write(3, b'RTJL' + struct.pack('<BBBBIq', 1, kind, level, len(name), len(msg), time.time_ns()) + name + msg)
PY
chmod +x "$WORK/emit-record"
