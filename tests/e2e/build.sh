#!/usr/bin/env bash
# rtctl new + build: digest printed and stable, symlink escape refused, npm dependency packed.
# The kernel is not booted here: a stand-in file is hashed in its place.
source "$(dirname "$0")/lib.sh"
export RUNTIMEJS_KERNEL=$WORK/kernel.elf
printf 'stand-in kernel' > "$RUNTIMEJS_KERNEL"
cd "$WORK"
# The store is an OCI image layout: refs in index.json, content in blobs/sha256.
oci=$XDG_DATA_HOME/runtimejs/oci
ref_digest() {
  jq -r --arg r "$1" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $r) | .digest' \
    "$oci/index.json"
}
blob() { echo "$oci/blobs/sha256/${1#sha256:}"; }
layer() { blob "$(jq -r --arg t "$2" '.layers[] | select(.mediaType == $t) | .digest' "$(blob "$1")")"; }

out=$("$RTCTL" new app1)
contains "$out" "rtctl run"
[ -f app1/package.json ] && [ -f app1/index.js ] && [ -f app1/.rtignore ] || fail "new: files missing"
if err=$("$RTCTL" new app1 2>&1); then fail "new overwrote an existing folder"; fi
contains "$err" "rtctl: new: app1: already exists"

cd app1
out1=$("$RTCTL" build)
d1=$(digest_of "$out1")
[ -n "$d1" ] || fail "build printed no digest: $out1"
contains "$out1" "initrd"
touch index.js package.json            # times must not matter
out2=$("$RTCTL" build .)
[ "$(digest_of "$out2")" = "$d1" ] || fail "two builds gave different digests"
[ "$(ref_digest app1:latest)" = "$d1" ] || fail "latest tag"
[ "$(ref_digest app1:0.1.0)" = "$d1" ] || fail "version tag"
[ "$(jq -r .artifactType "$(blob "$d1")")" = application/vnd.runtimejs.image.v1 ] || fail "artifactType"
initrd=$(layer "$d1" application/vnd.runtimejs.initrd.v1.cpio)
names=$(cpio_names "$initrd")
[ "$names" = "$(printf 'app\napp/.rtignore\napp/index.js\napp/package.json\nruntime.json')" ] || fail "initrd names: $names"
# The kernel layer: gzip of the kernel, annotated with the kernel's own digest; its unpacked
# copy beside the layout is what QEMU boots.
kernel_layer=$(layer "$d1" application/vnd.runtimejs.kernel.v1.elf+gzip)
cmp -s <(gunzip -c "$kernel_layer") "$RUNTIMEJS_KERNEL" || fail "the kernel layer does not unpack to the kernel"
ksha=$(sha256sum < "$RUNTIMEJS_KERNEL" | cut -d' ' -f1)
[ "$(jq -r '.layers[] | select(.mediaType | endswith("+gzip")) | .annotations["io.runtimejs.kernel.elf.digest"]' "$(blob "$d1")")" = "sha256:$ksha" ] ||
  fail "kernel layer annotation"
cmp -s "$oci/.kernels/$ksha" "$RUNTIMEJS_KERNEL" || fail "no unpacked kernel in the store"
echo 'console.log(2)' > index.js
[ "$(digest_of "$("$RTCTL" build)")" != "$d1" ] || fail "a changed file kept the digest"

# A symlink out of the app: refused, and the store is untouched.
before=$(find "$XDG_DATA_HOME" | sort)
ln -s /etc escape
if err=$("$RTCTL" build 2>&1); then fail "build accepted a symlink out of the app"; fi
contains "$err" "rtctl: build: symlink escape -> /etc: points outside the app folder"
[ "$(find "$XDG_DATA_HOME" | sort)" = "$before" ] || fail "a refused build wrote to the store"
rm escape

# Missing main.
mkdir "$WORK/nomain" && echo '{"name":"nomain","version":"1.0.0"}' > "$WORK/nomain/package.json"
if err=$("$RTCTL" build "$WORK/nomain" 2>&1); then fail "build without main succeeded"; fi
[ "$err" = 'rtctl: build: package.json: missing "main" and no index.js' ] || fail "message: $err"

# A real npm dependency from a local tarball (no network).
mkdir -p "$WORK/tinydep"
echo '{"name":"tinydep","version":"1.0.0","main":"index.js"}' > "$WORK/tinydep/package.json"
echo 'module.exports = () => "tiny";' > "$WORK/tinydep/index.js"
(cd "$WORK" && npm pack ./tinydep --silent >/dev/null)
[ -f "$WORK/tinydep-1.0.0.tgz" ] || fail "npm pack made no tarball"
mkdir "$WORK/withdep"
cat > "$WORK/withdep/package.json" <<JSON
{"name":"withdep","version":"2.0.0","main":"main.js","dependencies":{"tinydep":"file:../tinydep-1.0.0.tgz"}}
JSON
echo 'console.log(require("tinydep")());' > "$WORK/withdep/main.js"
out=$(npm_config_offline=true "$RTCTL" build "$WORK/withdep")
d=$(digest_of "$out")
names=$(cpio_names "$(layer "$d" application/vnd.runtimejs.initrd.v1.cpio)")
contains "$names" "app/node_modules/tinydep/index.js"
contains "$names" "app/node_modules/tinydep/package.json"
grep -q '"main":"/app/main.js"' "$(blob "$(jq -r .config.digest "$(blob "$d")")")" || fail "config main"
echo "PASS"
