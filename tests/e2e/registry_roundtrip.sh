#!/usr/bin/env bash
# Push, pull and run through a real registry (Debian's docker-registry on a loopback port):
# - push prints one line a blob and "pushed REF DIGEST"; the digest is the one build printed,
#   the registry's Docker-Content-Digest and the sha256 of the manifest skopeo reads;
# - the manifest is an OCI image-spec 1.1 artifact (artifactType application/vnd.runtimejs.image.v1)
#   served with the OCI manifest media type; every blob it names is in the registry;
# - pull into an empty store gives the same digest and `rtctl images` lists the ref; rmi removes it;
#   localhost:PORT works without --insecure like 127.0.0.1:PORT; blobs redirected (307) elsewhere
#   are followed; pull by digest (REPO@sha256:...) works, and `rtctl rmi REPO@sha256:...` removes
#   it (unlisted, its blobs garbage-collected); two pulls at once into one store work;
# - a second push (same tag, then another tag) uploads no blob: every blob line says "exists" and
#   the registry sees no upload request; the same through a proxy that redirects blob HEADs (307
#   to the registry, another origin): HEAD follows the redirect, every blob "exists";
# - pulling a tag that is not there fails and stores nothing;
# - `rtctl run REGISTRY/REPO:TAG` in a fresh store pulls on demand and boots the app (real kernel).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/registry_lib.sh"
use_kernel "${2:-}"
start_registry reg

new_store a
cd "$WORK" && "$RTCTL" new hello >/dev/null
line=$(sed -n 's/^console.log("\(.*\)");$/\1/p' hello/index.js)
[ -n "$line" ] || fail "could not read the hello line from index.js"
must_rtctl build hello
built=$(digest_of "$OUT")
[ -n "$built" ] || fail "build printed no digest: $OUT"
echo "built hello: $built"

# Push.
must_rtctl push hello "$REG/demo/hello:v1"
push1=$OUT
[[ "$ERR" != *$'\r'* ]] || fail "push drew a progress bar on stderr, which is not a terminal: $ERR"
last=$(tail -n 1 <<<"$push1")
pushed=$(digest_of "$last")
[ "$last" = "pushed $REG/demo/hello:v1 $pushed" ] || fail "push's last line: \"$last\""
blobs=$(blob_lines "$push1")
[ "$(wc -l <<<"$blobs")" -ge 3 ] || fail "push printed fewer than 3 blob lines (config, kernel, initrd): $push1"
[ "$(grep -c '^uploaded ' <<<"$blobs")" = "$(wc -l <<<"$blobs")" ] || fail "first push into an empty registry skipped a blob: $push1"
[ "$pushed" = "$built" ] || fail "pushed digest $pushed is not the digest rtctl build printed, $built"
echo "pushed: $pushed, $(wc -l <<<"$blobs") blobs uploaded"

# What the registry holds.
hdrs=$(curl -sf -D - -o "$WORK/manifest.json" -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
  "http://$REG/v2/demo/hello/manifests/v1" | tr -d '\r') || fail "GET manifest v1 failed"
grep -qix "docker-content-digest: $pushed" <<<"$hdrs" || fail "registry's digest is not $pushed: $hdrs"
grep -qix "content-type: application/vnd.oci.image.manifest.v1+json" <<<"$hdrs" ||
  fail "manifest not stored as an OCI manifest (PUT Content-Type?): $hdrs"
[ "sha256:$(sha256sum < "$WORK/manifest.json" | cut -d' ' -f1)" = "$pushed" ] || fail "manifest bytes do not hash to $pushed"
curl -sf "http://$REG/v2/demo/hello/tags/list" | grep -q '"v1"' || fail "tag v1 not listed"
skopeo inspect --tls-verify=false --raw "docker://$REG/demo/hello:v1" > "$WORK/skopeo.json" 2>"$WORK/skopeo.err" ||
  fail "skopeo inspect --raw: $(cat "$WORK/skopeo.err")"
[ "sha256:$(sha256sum < "$WORK/skopeo.json" | cut -d' ' -f1)" = "$pushed" ] || fail "skopeo's manifest does not hash to $pushed"
python3 - "$WORK/skopeo.json" "$REG" <<'PY' || fail "manifest checks (above)"
import json, sys, urllib.request
m = json.load(open(sys.argv[1])); reg = sys.argv[2]
def check(ok, what):
    if not ok: sys.exit('manifest: %s: %s' % (what, json.dumps(m)))
check(m.get('schemaVersion') == 2, 'schemaVersion 2')
check(m.get('mediaType') == 'application/vnd.oci.image.manifest.v1+json', 'OCI manifest mediaType')
check(m.get('artifactType') == 'application/vnd.runtimejs.image.v1', 'artifactType application/vnd.runtimejs.image.v1')
layers = m.get('layers') or []
check(len(layers) >= 2, 'kernel and initrd layers')
for d in [m['config']] + layers:
    req = urllib.request.Request('http://%s/v2/demo/hello/blobs/%s' % (reg, d['digest']), method='HEAD')
    size = int(urllib.request.urlopen(req).headers['Content-Length'])
    check(size == d['size'], 'blob %s size %d in the registry, %d in the manifest' % (d['digest'], size, d['size']))
check(bool(m.get('annotations')), 'annotations')
print('manifest: artifactType %s, config %s, layers %s' % (m['artifactType'], m['config']['mediaType'],
      ', '.join(l['mediaType'] for l in layers)))
PY

# A second push, same tag then a new tag: nothing uploaded.
posts_before=$(grep -c '"POST /v2/demo/hello/blobs/uploads/' "$REG_ACCESS_LOG" || true)
must_rtctl push hello "$REG/demo/hello:v1"
[ "$(blob_lines "$OUT" | wc -l)" = "$(wc -l <<<"$blobs")" ] || fail "second push: blob lines differ: $OUT"
if grep -q '^uploaded' <<<"$OUT" || blob_lines "$OUT" | grep -vq '^exists '; then fail "second push uploaded a blob: $OUT"; fi
[ "$(digest_of "$(tail -n 1 <<<"$OUT")")" = "$pushed" ] || fail "second push: another digest: $OUT"
must_rtctl push hello:latest "$REG/demo/hello:v2"
grep -q '^uploaded' <<<"$OUT" && fail "push to a new tag uploaded a blob: $OUT"
[ "$(tail -n 1 <<<"$OUT")" = "pushed $REG/demo/hello:v2 $pushed" ] || fail "push :v2: $OUT"
posts_after=$(grep -c '"POST /v2/demo/hello/blobs/uploads/' "$REG_ACCESS_LOG" || true)
[ "$posts_after" = "$posts_before" ] || fail "the registry saw $((posts_after - posts_before)) upload(s) on re-push"
echo "second push and push to v2: every blob 'exists', no upload request seen by the registry"

# Pull into an empty store.
new_store b
must_rtctl pull "$REG/demo/hello:v1"
[ "$(tail -n 1 <<<"$OUT")" = "pulled $REG/demo/hello:v1 $pushed" ] || fail "pull's last line: $(tail -n 1 <<<"$OUT")"
must_rtctl images
contains "$OUT" "$REG/demo/hello:v1"
[ "$(awk -v r="$REG/demo/hello:v1" '$1 == r {print $2}' <<<"$OUT")" = "$pushed" ] || fail "images: digest of the pulled ref: $OUT"
echo "pulled into an empty store: $pushed, listed by rtctl images"
# localhost is loopback too: plain http without --insecure.
must_rtctl pull "localhost:$REG_PORT/demo/hello:v2"
[ "$(tail -n 1 <<<"$OUT")" = "pulled localhost:$REG_PORT/demo/hello:v2 $pushed" ] || fail "pull from localhost: $OUT"
echo "pulled localhost:$REG_PORT/demo/hello:v2 (plain http, no --insecure): $pushed"
# Blobs handed over by a redirect (307 to another origin), as registries do with storage services.
start_proxy redirect "$REG" --redirect-blobs
new_store b2
must_rtctl pull "$PROXY/demo/hello:v1"
[ "$(tail -n 1 <<<"$OUT")" = "pulled $PROXY/demo/hello:v1 $pushed" ] || fail "pull through redirects: $OUT"
[ "$(grep -c ' 307 0 0 REDIRECTED$' "$PROXY_LOG")" -ge 3 ] || fail "the blobs were not fetched through the redirects: $(cat "$PROXY_LOG")"
echo "pull following 307 redirects for $(grep -c REDIRECTED "$PROXY_LOG") blobs: $pushed"
# A push through it: the blob HEADs are redirected too, followed, and find every blob there.
new_store a
must_rtctl push hello "$PROXY/demo/hello:v1"
[ "$(blob_lines "$OUT" | wc -l)" = "$(wc -l <<<"$blobs")" ] || fail "push through redirected HEADs: blob lines: $OUT"
blob_lines "$OUT" | grep -vq '^exists ' && fail "push through redirected HEADs uploaded a blob (HEAD did not follow the 307): $OUT"
[ "$(tail -n 1 <<<"$OUT")" = "pushed $PROXY/demo/hello:v1 $pushed" ] || fail "push through redirected HEADs: $OUT"
[ "$(grep -c '^HEAD /v2/demo/hello/blobs/sha256:[0-9a-f]* 307 0 0 REDIRECTED$' "$PROXY_LOG")" -ge 3 ] ||
  fail "the blob HEADs were not redirected: $(cat "$PROXY_LOG")"
grep -q '^POST ' "$PROXY_LOG" && fail "push through redirected HEADs started an upload: $(grep '^POST ' "$PROXY_LOG")"
echo "push through redirected blob HEADs: every blob 'exists' ($(grep -c '^HEAD .* REDIRECTED$' "$PROXY_LOG") HEADs followed), no upload"
new_store b
# Two pulls at once into one store (the same blobs): both succeed, both refs listed.
new_store b4
run_rtctl "$WORK/out1" "$WORK/err1" pull "$REG/demo/hello:v1" & p1=$!
run_rtctl "$WORK/out2" "$WORK/err2" pull "$REG/demo/hello:v2" & p2=$!
wait $p1 || true; wait $p2 || true
[ "$(tail -n 1 "$WORK/out1")" = "pulled $REG/demo/hello:v1 $pushed" ] || fail "concurrent pull v1: $(cat "$WORK/out1" "$WORK/err1")"
[ "$(tail -n 1 "$WORK/out2")" = "pulled $REG/demo/hello:v2 $pushed" ] || fail "concurrent pull v2: $(cat "$WORK/out2" "$WORK/err2")"
images_has "$REG/demo/hello:v1" && images_has "$REG/demo/hello:v2" || fail "concurrent pulls: $("$RTCTL" images)"
echo "two concurrent pulls into one store: both done, both listed"
# By digest.
new_store b3
must_rtctl pull "$REG/demo/hello@$pushed"
[ "$(digest_of "$(tail -n 1 <<<"$OUT")")" = "$pushed" ] || fail "pull by digest: $OUT"
contains "$(tail -n 1 <<<"$OUT")" "pulled $REG/demo/hello"
echo "pulled by digest: $(tail -n 1 <<<"$OUT")"
by_digest=$(awk '{print $1}' <<<"$("$RTCTL" images)" | grep -F -- "@$pushed") || fail "images does not list the digest pull: $("$RTCTL" images)"
[ -n "$(find "$XDG_DATA_HOME" -path '*/blobs/sha256/*' -type f)" ] || fail "no blob in the store after the pull by digest"
must_rtctl rmi "$REG/demo/hello@$pushed"
"$RTCTL" images | grep -qF -- "$pushed" && fail "rmi $REG/demo/hello@$pushed left it in rtctl images: $("$RTCTL" images)"
left=$(find "$XDG_DATA_HOME" -path '*/blobs/sha256/*' -type f)
[ -z "$left" ] || fail "rmi by digest left blobs no reference needs: $left"
echo "rmi $by_digest: unlisted, every blob garbage-collected"
new_store b
# A pull of what is already there is still a success with the same digest.
must_rtctl pull "$REG/demo/hello:v1"
[ "$(digest_of "$(tail -n 1 <<<"$OUT")")" = "$pushed" ] || fail "second pull: $OUT"
must_rtctl rmi "$REG/demo/hello:v1"
images_has "$REG/demo/hello:v1" && fail "rmi left $REG/demo/hello:v1 in rtctl images"
echo "rmi removed it"

# A tag that is not there: failure, nothing listed.
run_rtctl "$WORK/out" "$WORK/err" pull "$REG/demo/hello:nope"
[ $RC != 0 ] || fail "pull of a missing tag succeeded: $(cat "$WORK/out")"
images_has "$REG/demo/hello:nope" && fail "a failed pull is listed"
echo "pull of a missing tag: exit $RC, $(head -n 1 "$WORK/err")"

# run pulls on demand, then boots the pulled kernel (RUNTIMEJS_KERNEL unset: it comes from the image).
new_store c
unset RUNTIMEJS_KERNEL
cd "$WORK"
RTCTL_TIMEOUT=300 run_rtctl "$WORK/out" "$WORK/err" run "$REG/demo/hello:v1"
[ $RC = 0 ] || fail "rtctl run $REG/demo/hello:v1: exit $RC: $(cat "$WORK/out") $(cat "$WORK/err")"
contains "$(cat "$WORK/out")" "$line"
images_has "$REG/demo/hello:v1" || fail "run did not leave the pulled image in the store"
echo "run $REG/demo/hello:v1 in a fresh store: pulled, booted, printed \"$line\""
echo "PASS"
