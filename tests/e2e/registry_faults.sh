#!/usr/bin/env bash
# Faults between rtctl and a real registry:
# - a corrupted blob (a fault-injecting proxy flips a byte of blob GET bodies) is rejected on pull:
#   non-zero exit, "digest mismatch", the ref not in `rtctl images`, no partial or temporary file
#   left in the store; the same when only one layer is corrupted (whatever else was kept is whole,
#   content-addressed blobs); the same pull through the proxy in pass mode then succeeds;
# - a server sending more than a blob's size (1 MiB extra after each blob, chunked, no
#   Content-Length) is cut off at the descriptor's size: the pull fails saying so ("more than" its
#   size, not a digest mismatch found after storing it all), nothing listed, the store clean;
# - transient errors (every request answered 503 once) are retried: push and pull succeed;
# - a push killed (kill -9) half way through a chunked upload leaves no tag and no manifest in the
#   registry; a re-run completes and pulls back with the same digest;
# - a pull killed half way leaves the ref unlisted and no partial blob; the same pull completes.
# The kernel is a stand-in file: nothing boots here.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/registry_lib.sh"
export RUNTIMEJS_KERNEL=$WORK/kernel.elf
head -c 300000 /dev/urandom > "$RUNTIMEJS_KERNEL"   # a kernel blob that is not tiny
start_registry reg
new_store a
cd "$WORK" && "$RTCTL" new hello >/dev/null
must_rtctl build hello
must_rtctl push hello "$REG/demo/hello:v1"
pushed=$(digest_of "$(tail -n 1 <<<"$OUT")")
[ -n "$pushed" ] || fail "push printed no digest: $OUT"
layers=$(manifest_json "$REG" demo/hello v1 | python3 -c 'import json, sys
m = json.load(sys.stdin)
for l in sorted(m["layers"], key=lambda l: -l["size"]): print(l["digest"])')
biggest=$(head -n 1 <<<"$layers")

store_files() { (cd "$XDG_DATA_HOME" && find . -type f | sort); }
# check_store_clean BEFORE: files added since BEFORE are only layout scaffolding (oci-layout,
# index.json, lock files) or whole blobs named by their content's sha256; none is under a temp name.
check_store_clean() {
  local f bad=
  while read -r f; do
    [ -n "$f" ] || continue
    case $f in
      */oci-layout|*/index.json|*.lock) continue;;
      */blobs/sha256/*)
        [ "$(sha256sum < "$XDG_DATA_HOME/$f" | cut -d' ' -f1)" = "${f##*/}" ] && continue;;
    esac
    bad="$bad $f"
  done < <(comm -13 <(echo "$1") <(store_files))
  [ -z "$bad" ] || fail "a failed pull left files in the store:$bad"
}
# pull_rejected REF WHAT: the pull fails with "digest mismatch" and leaves nothing behind.
pull_rejected() {
  local before
  before=$(store_files)
  run_rtctl "$WORK/out" "$WORK/err" pull "$1"
  local all
  all=$(cat "$WORK/out" "$WORK/err")
  [ $RC != 0 ] || fail "$2: pull of a corrupted blob succeeded: $all"
  contains "$all" "digest mismatch"
  grep -q CORRUPTED "$PROXY_LOG" || fail "$2: the proxy corrupted nothing (log: $(cat "$PROXY_LOG"))"
  images_has "$1" && fail "$2: the rejected ref is listed by rtctl images: $("$RTCTL" images)"
  check_store_clean "$before"
  echo "$2: pull exit $RC, \"$(grep -m1 'digest mismatch' <<<"$all")\"; ref not listed; store clean"
}

# Every blob corrupted.
start_proxy bad "$REG" --mode corrupt
new_store b
pull_rejected "$PROXY/demo/hello:v1" "every blob corrupted"
for d in $layers; do
  find "$XDG_DATA_HOME" -path "*/blobs/sha256/${d#sha256:}" | grep -q . && fail "every blob corrupted: layer $d is in the store"
done
# Only the biggest layer corrupted (the others may be fetched and kept whole).
start_proxy bad1 "$REG" --mode corrupt --corrupt-digest "$biggest"
pull_rejected "$PROXY/demo/hello:v1" "only $biggest corrupted"
find "$XDG_DATA_HOME" -path "*/blobs/sha256/${biggest#sha256:}" | grep -q . && fail "the corrupted layer is in the store"
# Blobs longer than their descriptors say (1 MiB extra, chunked): refused at the descriptor's size.
echo oversize > "$PROXY_MODE_FILE"
new_store o
before=$(store_files)
run_rtctl "$WORK/out" "$WORK/err" pull "$PROXY/demo/hello:v1"
all=$(cat "$WORK/out" "$WORK/err")
[ $RC != 0 ] || fail "oversized blobs: the pull succeeded: $all"
grep -q ' OVERSIZED$' "$PROXY_LOG" || fail "oversized blobs: the proxy sent none (log: $(cat "$PROXY_LOG"))"
grep -qE 'more than|Maximum file size' <<<"$all" || fail "oversized blobs: the pull did not stop at the descriptor's size: $all"
images_has "$PROXY/demo/hello:v1" && fail "oversized blobs: the ref is listed by rtctl images: $("$RTCTL" images)"
check_store_clean "$before"
echo "oversized blobs: pull exit $RC, \"$(grep -m1 -E 'more than|Maximum file size' <<<"$all")\"; ref not listed; store clean"
new_store b
# The same proxy passing bytes through: the pull works, into the store that saw the failures.
echo pass > "$PROXY_MODE_FILE"
must_rtctl pull "$PROXY/demo/hello:v1"
[ "$(tail -n 1 <<<"$OUT")" = "pulled $PROXY/demo/hello:v1 $pushed" ] || fail "pull through the proxy in pass mode: $OUT"
images_has "$PROXY/demo/hello:v1" || fail "the good pull is not listed"
echo "the same pull through the proxy in pass mode: $pushed"

# Transient errors: every request answered 503 once (not forwarded); push and pull retry.
start_proxy flaky "$REG" --fail-once
new_store a
must_rtctl push hello "$PROXY/demo/hello:flaky"
[ "$(tail -n 1 <<<"$OUT")" = "pushed $PROXY/demo/hello:flaky $pushed" ] || fail "push through 503s: $OUT"
new_store b3
must_rtctl pull "$PROXY/demo/hello:flaky"
[ "$(tail -n 1 <<<"$OUT")" = "pulled $PROXY/demo/hello:flaky $pushed" ] || fail "pull through 503s: $OUT"
grep -q '^GET /v2/demo/hello/blobs/.* 503 .*INJECTED$' "$PROXY_LOG" && grep -q '^PUT /v2/demo/hello/manifests/.* 503 .*INJECTED$' "$PROXY_LOG" ||
  fail "no 503 was injected on blob GETs and the manifest PUT"
echo "push and pull retried through $(grep -c INJECTED "$PROXY_LOG") injected 503s: $pushed"

# A push killed half way: a 50 MiB initrd in 1 MiB chunks through a proxy throttled to ~4 MB/s.
new_store c
make_big_app big 50
must_rtctl build "$WORK/big"
built=$(digest_of "$OUT")
start_registry reg2
start_proxy slow "$REG" --throttle 4000000
"$RTCTL" push --chunk-size 1048576 big "$PROXY/demo/big:v1" >"$WORK/killed.out" 2>"$WORK/killed.err" </dev/null &
pid=$!
echo $pid >> "$WORK/pids"
patches() { grep -cE '^PATCH /v2/demo/big/blobs/uploads/.* 202 ' "$PROXY_LOG" || true; }
wait_until 120 eval '[ "$(patches)" -ge 3 ] || ! kill -0 $pid 2>/dev/null'
kill -0 $pid 2>/dev/null || fail "push ended before it could be killed: $(cat "$WORK/killed.out" "$WORK/killed.err")"
kill -9 $pid
{ wait $pid; } 2>/dev/null || true  # no "Killed" line from bash
grep -q '^pushed ' "$WORK/killed.out" && fail "the push had finished before the kill"
echo "killed the push after $(patches) PATCHes ($(grep -c . "$PROXY_LOG") requests)"
grep -q '^PUT /v2/demo/big/manifests/' "$PROXY_LOG" && fail "the manifest was PUT before the blobs were all uploaded"
tags=$(curl -s -w ' %{http_code}' "http://$REG/v2/demo/big/tags/list" | tr -d '\n')
case $tags in
  *' 404') ;;
  *' 200') grep -q '"v1"' <<<"$tags" && fail "a dangling tag after the killed push: $tags";;
  *) fail "tags/list: $tags";;
esac
[ "$(http_status "http://$REG/v2/demo/big/manifests/v1" -H 'Accept: application/vnd.oci.image.manifest.v1+json')" = 404 ] ||
  fail "manifest v1 is there after the killed push"
echo "after the kill: tags/list says ${tags##* } (${tags% *}), manifest v1 404"
# The same command again (through the same throttled proxy: ~15 s).
must_rtctl push --chunk-size 1048576 big "$PROXY/demo/big:v1"
[ "$(tail -n 1 <<<"$OUT")" = "pushed $PROXY/demo/big:v1 $built" ] || fail "re-run push: $OUT"
# What the killed push had finished is not uploaded again.
for d in $(sed -n 's/^uploaded \(sha256:[0-9a-f]*\) .*/\1/p' "$WORK/killed.out"); do
  grep -qE "^exists +$d " <<<"$OUT" || fail "re-run: $d, uploaded before the kill, is not 'exists': $OUT"
done
echo "re-run: the $(grep -c '^uploaded' "$WORK/killed.out" || true) blob(s) finished before the kill say 'exists'"
curl -sf "http://$REG/v2/demo/big/tags/list" | grep -q '"v1"' || fail "tag v1 missing after the re-run"
new_store d
must_rtctl pull "$REG/demo/big:v1"
[ "$(tail -n 1 <<<"$OUT")" = "pulled $REG/demo/big:v1 $built" ] || fail "pull after the re-run: $OUT"
echo "re-run push completed and pulled back: $built"

# A pull killed half way (downloads throttled too): the ref is not listed, every blob in the
# store is whole (named by its content's digest), and the same pull then completes.
new_store f
manifest_gets() { grep -c '^GET /v2/demo/big/manifests/v1 200 ' "$PROXY_LOG" || true; }
n0=$(manifest_gets)
"$RTCTL" pull "$PROXY/demo/big:v1" >"$WORK/killed.out" 2>"$WORK/killed.err" </dev/null &
pid=$!
echo $pid >> "$WORK/pids"
# The manifest is in, the 50 MiB initrd comes at ~4 MB/s: 3 s later the pull is well in the middle.
wait_until 60 eval '[ "$(manifest_gets)" -gt $n0 ] || ! kill -0 $pid 2>/dev/null'
sleep 3
kill -0 $pid 2>/dev/null || fail "pull ended before it could be killed: $(cat "$WORK/killed.out" "$WORK/killed.err")"
kill -9 $pid
{ wait $pid; } 2>/dev/null || true  # no "Killed" line from bash
images_has "$PROXY/demo/big:v1" && fail "a killed pull is listed by rtctl images"
while read -r f; do
  [ "$(sha256sum < "$f" | cut -d' ' -f1)" = "${f##*/}" ] || fail "a killed pull left a partial blob under its final name: $f"
done < <(find "$XDG_DATA_HOME" -path '*/blobs/sha256/*' -type f)
must_rtctl pull "$PROXY/demo/big:v1"
[ "$(tail -n 1 <<<"$OUT")" = "pulled $PROXY/demo/big:v1 $built" ] || fail "pull after a killed pull: $OUT"
echo "pull killed 3 s after its manifest GET: not listed, no partial blob; the same pull then completed: $built"
echo "PASS"
