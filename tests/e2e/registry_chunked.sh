#!/usr/bin/env bash
# A 50 MiB blob goes through the chunked upload path (POST, PATCH..., PUT), seen by a pass-through
# proxy that logs every request with its body size:
# - default chunk size (16 MiB): the initrd's upload session has at least 3 PATCHes, none over
#   16 MiB, and its PATCH/PUT bodies add up to the blob's size; the registry's own access log shows
#   the PATCHes too; the manifest PUT is the last request;
# - --chunk-size 8388608 (into a second, empty registry): at least 6 PATCHes, none over 8 MiB;
# - pull (directly) gives the pushed digest;
# - a connection cut in the middle of an upload body (a proxy forwards 64 KiB of the first big
#   PATCH, then drops both connections): the push still succeeds, the broken session is abandoned
#   and the blob goes up in a new one (one more POST than blobs uploaded), and pulls back whole.
# The kernel is a stand-in file: nothing boots here.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/registry_lib.sh"
export RUNTIMEJS_KERNEL=$WORK/kernel.elf
printf 'stand-in kernel' > "$RUNTIMEJS_KERNEL"
new_store a
make_big_app big 50
must_rtctl build "$WORK/big"
built=$(digest_of "$OUT")

# check_chunked PROXY_LOG REPO CHUNK MIN_PATCHES: the big blob's session used PATCHes of at most
# CHUNK bytes adding up to its size (from the manifest), and the manifest PUT came last.
check_chunked() {
  python3 - "$@" <<'PY'
import json, re, sys
log, repo, chunk, min_patches = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
lines = [l.split() for l in open(log) if l.strip()]
sessions = {}  # upload uuid -> [(method, up_bytes)]
digest_of = {}  # uuid -> digest given at the PUT
for l in lines:
    method, path, status, up = l[0], l[1], l[2], int(l[3])
    m = re.match(r'^/v2/%s/blobs/uploads/([0-9a-f-]{36})' % re.escape(repo), path)
    if m and method in ('PATCH', 'PUT'):
        sessions.setdefault(m.group(1), []).append((method, up, status))
        d = re.search(r'digest=sha256(?::|%3A)([0-9a-f]{64})', path)
        if method == 'PUT' and d: digest_of[m.group(1)] = 'sha256:' + d.group(1)
puts = [i for i, l in enumerate(lines) if l[0] == 'PUT']
manifest_puts = [i for i, l in enumerate(lines) if l[0] == 'PUT' and '/manifests/' in l[1]]
if not manifest_puts: sys.exit('no manifest PUT seen')
if max(puts) != manifest_puts[-1] or any(l[0] in ('POST', 'PATCH') for l in lines[manifest_puts[-1]:]):
    sys.exit('the manifest PUT is not the last upload request')
big = max(sessions.items(), key=lambda kv: sum(u for _, u, _ in kv[1]))
uuid, reqs = big
patches = [u for m, u, _ in reqs if m == 'PATCH']
total = sum(u for _, u, _ in reqs)
print('big blob %s: %d PATCH request(s) of %s bytes, PUT body %d bytes, %d bytes in all' %
      (digest_of.get(uuid, '?'), len(patches), ', '.join(map(str, patches)),
       sum(u for m, u, _ in reqs if m == 'PUT'), total))
if any(s not in ('202', '201', '204') for _, _, s in reqs): sys.exit('an upload request failed: %s' % reqs)
if len(patches) < min_patches: sys.exit('want at least %d PATCHes' % min_patches)
if max(patches) > chunk: sys.exit('a PATCH body is larger than the chunk size %d' % chunk)
if total < 50 * 1024 * 1024: sys.exit('the chunked session carried less than 50 MiB')
print(digest_of.get(uuid, ''), total, file=open(log + '.big', 'w'))
PY
}

start_registry reg
start_proxy proxy "$REG"
must_rtctl push big "$PROXY/demo/big:v1"
pushed=$(digest_of "$(tail -n 1 <<<"$OUT")")
[ "$(tail -n 1 <<<"$OUT")" = "pushed $PROXY/demo/big:v1 $pushed" ] || fail "push's last line: $OUT"
[ "$pushed" = "$built" ] || fail "pushed $pushed, built $built"
check_chunked "$PROXY_LOG" demo/big $((16 * 1024 * 1024)) 3 || fail "default chunk size (proxy log above: $PROXY_LOG)"
read -r big_digest big_size < "$PROXY_LOG.big"
manifest_json "$REG" demo/big v1 | python3 -c 'import json,sys; m=json.load(sys.stdin); sys.exit(not any(l["digest"]==sys.argv[1] and l["size"]==int(sys.argv[2]) for l in m["layers"]))' "$big_digest" "$big_size" ||
  fail "the chunked blob $big_digest ($big_size bytes) is not a layer of the manifest"
contains "$OUT" "uploaded $big_digest"
reg_patches=$(grep -cE '"PATCH /v2/demo/big/blobs/uploads/[0-9a-f-]{36}' "$REG_ACCESS_LOG" || true)
[ "$reg_patches" -ge 3 ] || fail "the registry's access log shows $reg_patches PATCH(es), want >= 3"
echo "default chunk size: the registry logged $reg_patches PATCH requests for demo/big"

REG1=$REG
# --chunk-size, into a second registry (no blob there to mount or skip).
start_registry reg2
start_proxy proxy2 "$REG"
must_rtctl push --chunk-size 8388608 big "$PROXY/demo/big:v1"
[ "$(tail -n 1 <<<"$OUT")" = "pushed $PROXY/demo/big:v1 $pushed" ] || fail "push --chunk-size: $OUT"
check_chunked "$PROXY_LOG" demo/big $((8 * 1024 * 1024)) 6 || fail "--chunk-size 8388608 (proxy log: $PROXY_LOG)"

# A connection cut mid-body: 64 KiB of the first PATCH reach the registry, then nothing. The
# session cannot go on (the registry's offset and the client's disagree): a new one must start.
start_registry reg3
start_proxy cut "$REG" --cut-upload-once
must_rtctl push --chunk-size 8388608 big "$PROXY/demo/big:v1"
[ "$(tail -n 1 <<<"$OUT")" = "pushed $PROXY/demo/big:v1 $pushed" ] || fail "push through a cut connection: $OUT"
python3 - "$PROXY_LOG" demo/big "$big_digest" "$(grep -c '^uploaded ' <<<"$OUT")" <<'PY' || fail "cut upload (proxy log: $(cat "$PROXY_LOG"))"
import re, sys
log, repo, big, uploaded = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
lines = [l.split() for l in open(log) if l.strip()]
up = re.compile(r'^/v2/%s/blobs/uploads/([0-9a-f-]{36})' % re.escape(repo))
cuts = [i for i, l in enumerate(lines) if l[2] == 'CUT']
if len(cuts) != 1: sys.exit('want one cut request, saw %d' % len(cuts))
cut = cuts[0]
cut_uuid = up.match(lines[cut][1]).group(1)
posts = [i for i, l in enumerate(lines) if l[0] == 'POST' and re.match(r'^/v2/%s/blobs/uploads/?$' % re.escape(repo), l[1])
         and l[2] == '202']
if len(posts) != uploaded + 1:
    sys.exit('want %d upload sessions (%d blobs uploaded, one session cut), saw %d POSTs' % (uploaded + 1, uploaded, len(posts)))
if not any(i > cut for i in posts): sys.exit('no upload session was started after the cut')
done = [up.match(l[1]).group(1) for l in lines if l[0] == 'PUT' and l[2] == '201' and up.match(l[1])
        and re.search(r'digest=sha256(?::|%3A)' + big[7:], l[1])]
if not done: sys.exit('no PUT of %s was answered 201' % big)
if cut_uuid in done: sys.exit('the cut session %s was finished, not replaced by a new one' % cut_uuid)
print('cut: %s %s after %s bytes; the blob went up in a new session (%d POSTs for %d blobs)' %
      (lines[cut][0], cut_uuid, lines[cut][3], len(posts), uploaded))
PY
new_store cut
must_rtctl pull "$REG/demo/big:v1"
[ "$(tail -n 1 <<<"$OUT")" = "pulled $REG/demo/big:v1 $pushed" ] || fail "pull after the cut push: $OUT"
echo "pulled back what went up through the cut connection: $pushed"

# Pull back, directly from the first registry, into an empty store.
new_store b
first=$REG1
must_rtctl pull "$first/demo/big:v1"
[ "$(tail -n 1 <<<"$OUT")" = "pulled $first/demo/big:v1 $pushed" ] || fail "pull: $OUT"
images_has "$first/demo/big:v1" || fail "the pulled big image is not listed by rtctl images"
echo "pulled $first/demo/big:v1: $pushed"
echo "PASS"
