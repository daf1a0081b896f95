#!/usr/bin/env bash
# `rtctl push --as containerdisk`: a regular OCI image that KubeVirt's containerDisk understands:
# - `skopeo inspect` (not --raw: it parses the image config) reads it and reports the pushed digest;
# - as pushed: an image manifest (no artifactType) with the standard config and tar layer types;
# - `skopeo copy` to an OCI layout works; its one layer (tar, maybe gzip) holds disk/hello.img, a
#   disk image with the MBR boot signature 0x55AA at byte 510, readable by KubeVirt's qemu user
#   (107), and no other regular file; the config's rootfs.diff_ids names the unpacked layer;
# - that disk boots in QEMU (BIOS, TCG) and prints the app's line.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/registry_lib.sh"
use_kernel "${2:-}"
start_registry reg
new_store a
cd "$WORK" && "$RTCTL" new hello >/dev/null
line=$(sed -n 's/^console.log("\(.*\)");$/\1/p' hello/index.js)
must_rtctl build hello

must_rtctl push --as containerdisk hello "$REG/demo/hello-disk:v1"
last=$(tail -n 1 <<<"$OUT")
pushed=$(digest_of "$last")
[ "$last" = "pushed $REG/demo/hello-disk:v1 $pushed" ] || fail "push --as containerdisk: last line \"$last\""
echo "pushed the containerdisk: $pushed"

skopeo inspect --tls-verify=false "docker://$REG/demo/hello-disk:v1" > "$WORK/inspect.json" 2>"$WORK/skopeo.err" ||
  fail "skopeo inspect: $(cat "$WORK/skopeo.err")"
python3 - "$WORK/inspect.json" "$pushed" <<'PY' || fail "skopeo inspect output (above)"
import json, sys
i = json.load(open(sys.argv[1]))
if i.get('Digest') != sys.argv[2]: sys.exit('skopeo inspect: Digest %s, pushed %s' % (i.get('Digest'), sys.argv[2]))
if len(i.get('Layers') or []) != 1: sys.exit('skopeo inspect: want one layer: %s' % i.get('Layers'))
print('skopeo inspect: digest %s, os %s, architecture %s, one layer' % (i['Digest'], i.get('Os'), i.get('Architecture')))
PY

# As pushed: a standard image manifest and layer media type, which container runtimes unpack.
skopeo inspect --tls-verify=false --raw "docker://$REG/demo/hello-disk:v1" > "$WORK/raw.json" 2>"$WORK/skopeo.err" ||
  fail "skopeo inspect --raw: $(cat "$WORK/skopeo.err")"
python3 - "$WORK/raw.json" <<'PY' || fail "the containerdisk's manifest (above)"
import json, sys
m = json.load(open(sys.argv[1]))
images = {'application/vnd.oci.image.manifest.v1+json': ('application/vnd.oci.image.config.v1+json',
              {'application/vnd.oci.image.layer.v1.tar', 'application/vnd.oci.image.layer.v1.tar+gzip'}),
          'application/vnd.docker.distribution.manifest.v2+json': ('application/vnd.docker.container.image.v1+json',
              {'application/vnd.docker.image.rootfs.diff.tar.gzip', 'application/vnd.docker.image.rootfs.diff.tar'})}
if m.get('mediaType') not in images: sys.exit('manifest mediaType %s is not an image manifest' % m.get('mediaType'))
config, layers = images[m['mediaType']]
if m['config']['mediaType'] != config: sys.exit('config mediaType %s, want %s' % (m['config']['mediaType'], config))
if 'artifactType' in m: sys.exit('a containerdisk is an image, not an artifact: artifactType %s' % m['artifactType'])
for l in m['layers']:
    if l['mediaType'] not in layers: sys.exit('layer mediaType %s, want one of %s' % (l['mediaType'], layers))
print('manifest %s, layer %s' % (m['mediaType'], ', '.join(l['mediaType'] for l in m['layers'])))
PY
skopeo copy -q --src-tls-verify=false "docker://$REG/demo/hello-disk:v1" "oci:$WORK/oci:v1" 2>"$WORK/skopeo.err" ||
  fail "skopeo copy to an OCI layout: $(cat "$WORK/skopeo.err")"
python3 - "$WORK/oci" "$WORK/hello.img" <<'PY' || fail "the containerdisk's layer (above)"
import gzip, hashlib, io, json, os, re, sys, tarfile
root, out = sys.argv[1], sys.argv[2]
blob = lambda d: open(os.path.join(root, 'blobs', *d.split(':')), 'rb').read()
index = json.load(open(os.path.join(root, 'index.json')))
m = json.loads(blob(index['manifests'][0]['digest']))
layer = m['layers'][0]
data = blob(layer['digest'])
if data[:2] == b'\x1f\x8b': data = gzip.decompress(data)
# Runtimes (containerd, CRI-O) check the unpacked layer against the config's diff_ids.
config = json.loads(blob(m['config']['digest']))
diff_ids = config.get('rootfs', {}).get('diff_ids')
if diff_ids != ['sha256:' + hashlib.sha256(data).hexdigest()]:
    sys.exit('config rootfs.diff_ids %s, the layer unpacks to sha256:%s' % (diff_ids, hashlib.sha256(data).hexdigest()))
files = {}
with tarfile.open(fileobj=io.BytesIO(data)) as t:
    for e in t.getmembers():
        name = re.sub(r'^(\./|/)+', '', e.name)
        if e.isfile():
            files[name] = t.extractfile(e).read()
            # KubeVirt reads it as the qemu user (107).
            if not (e.mode & 0o004 or e.uid == 107): sys.exit('%s: mode %o, owner %d: the qemu user (107) cannot read it' % (name, e.mode, e.uid))
print('layer %s (%s): files %s' % (layer['digest'], layer['mediaType'],
      ', '.join('%s (%d bytes)' % (n, len(b)) for n, b in files.items())))
if list(files) != ['disk/hello.img']: sys.exit('want exactly one file, disk/hello.img')
img = files['disk/hello.img']
if len(img) < 512 or img[510:512] != b'\x55\xaa': sys.exit('disk/hello.img has no MBR boot signature at 510')
open(out, 'wb').write(img)
PY
echo "the layer holds disk/hello.img with the MBR signature"

# Boot it (TCG: see tests/e2e/kernel_boot.sh).
set +e
out=$(timeout 300 qemu-system-x86_64 -M q35 -m 256 -no-reboot -display none -monitor none -serial stdio \
      -drive "file=$WORK/hello.img,format=raw" -device isa-debug-exit,iobase=0xf4,iosize=0x04 -accel tcg 2>&1); rc=$?
set -e
[ $rc = 1 ] || fail "booting disk/hello.img: QEMU exit $rc, want 1 (status 0): $out"
contains "$out" "$line"
echo "disk/hello.img boots and prints \"$line\""
echo "PASS"
