#!/usr/bin/env bash
# Installs the Debian packages the build, the tests and rtctl need, and adds a deb-src entry
# (a separate sources file copying the machine's own Debian URIs) so `apt-get source` works.
# Idempotent: does nothing when everything is already there.
set -euo pipefail

packages=(
  build-essential cmake ninja-build python3 dpkg-dev ccache pkg-config cpio
  # node's gyp files link these into the V8 host tools (mksnapshot, torque); rtctl links zlib
  zlib1g-dev libuv1-dev libc-ares-dev libnghttp2-dev libhttp-parser-dev libbrotli-dev
  qemu-system-x86 qemu-utils grub-common grub-pc-bin grub-efi-amd64-bin xorriso mtools ovmf
  libarchive-dev libcurl4-openssl-dev libjansson-dev libssl-dev
  docker-registry skopeo apache2-utils curl jq  # the registry e2e tests (curl, jq: their HTTP and JSON checks)
)

die() { echo "setup-host: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (it installs Debian packages): sudo $0"
command -v apt-get >/dev/null || die "apt-get not found: this set-up is for Debian 12"

src_list=/etc/apt/sources.list.d/runtimejs-deb-src.sources
need_update=0
if [ ! -f "$src_list" ]; then
  main=/etc/apt/sources.list.d/debian.sources
  [ -f "$main" ] || die "$main not found: cannot copy the machine's Debian URIs for deb-src"
  # The first stanza that carries bookworm (not -security) gives URIs and keyring.
  uris=$(awk -v RS= '/Suites:[^\n]*bookworm([ \n]|$)/ && !/bookworm-security/ {print; exit}' "$main" |
         sed -n 's/^URIs: *//p')
  keyring=$(awk -v RS= '/Suites:[^\n]*bookworm([ \n]|$)/ && !/bookworm-security/ {print; exit}' "$main" |
         sed -n 's/^Signed-By: *//p')
  [ -n "$uris" ] || die "no bookworm URIs found in $main"
  tmp=$(mktemp)
  {
    echo "Types: deb-src"
    echo "URIs: $uris"
    echo "Suites: bookworm"
    echo "Components: main"
    [ -n "$keyring" ] && echo "Signed-By: $keyring"
  } >"$tmp"
  install -m 0644 "$tmp" "$src_list"
  rm -f "$tmp"
  echo "setup-host: added $src_list (deb-src, same URIs as $main)"
  need_update=1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# apt-get source needs the deb-src index even when no package is missing.
if [ "$need_update" = 1 ] || [ ${#missing[@]} -gt 0 ] || ! ls /var/lib/apt/lists/*_Sources* >/dev/null 2>&1; then
  echo "setup-host: apt-get update"
  apt-get update -q >/dev/null
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-host: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
# docker-registry starts a system service on install; tests start their own on loopback.
if command -v systemctl >/dev/null && systemctl is-active -q docker-registry 2>/dev/null; then
  systemctl stop docker-registry || true
fi
echo "setup-host: all build and test packages present"
