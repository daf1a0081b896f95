#!/usr/bin/env bash
# V8 from the cache, linked on Linux: the snapshot deserializes, the compilers run, WebAssembly
# is built in, and an uncaught exception reports file:line:column and fails.
set -uo pipefail
host=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

out=$("$host" -e '
  const m = new WebAssembly.Module(new Uint8Array([0,97,115,109,1,0,0,0,1,7,1,96,2,127,127,1,127,3,2,1,0,7,7,1,3,97,100,100,0,0,10,9,1,7,0,32,0,32,1,106,11]));
  const add = new WebAssembly.Instance(m).exports.add;
  let s = 0; for (let i = 0; i < 1e6; i++) s = (s + i * i) % 1000003;
  print(1 + 2, [1, 2, 3].map(x => x * 2).join(","), add(40, 2), s, /(?<y>\d{4})/.exec("in 2026").groups.y)') || fail "v8-host failed: $out"
[ "$out" = "3 2,4,6 42 $(awk 'BEGIN { s = 0; for (i = 0; i < 1e6; i++) s = (s + i * i) % 1000003; print s }') 2026" ] || fail "unexpected output: $out"

printf 'function f() {\n  throw new Error("boom");\n}\nf();\n' >"$work/throw.js"
if "$host" "$work/throw.js" 2>"$work/err"; then fail "an uncaught exception exited 0"; fi
grep -q "Error: boom" "$work/err" || fail "no error message: $(cat "$work/err")"
grep -q "throw.js:2:9" "$work/err" || fail "no file:line:column in the stack: $(cat "$work/err")"
echo "PASS: V8 $("$host" -e 'print(typeof WebAssembly)') WebAssembly, snapshot, stack traces"
