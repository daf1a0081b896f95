# Shared by the third-party build scripts: cache layout, keys, Debian sources, messages.
# Sourced, not run.

RUNTIMEJS_CACHE=${RUNTIMEJS_CACHE:-$HOME/.cache/runtimejs}
THIRDPARTY_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JOBS=${RUNTIMEJS_JOBS:-$(nproc)}

say() { printf '[%s] %s\n' "$COMPONENT" "$*"; }
die() { printf 'thirdparty: %s: %s\n' "$COMPONENT" "$*" >&2; exit 1; }

need_tool() {  # need_tool COMMAND DEBIAN-PACKAGE
  command -v "$1" >/dev/null 2>&1 || die "'$1' not found: install the Debian package '$2' (or run: sudo cmake/setup-host.sh)"
}

# Everything that affects an artifact goes into its key: the recipe text (versions, flags),
# the scripts that build it, and the compiler versions. Changing any of them changes the key.
cache_key() {  # cache_key RECIPE-STRING FILES...
  local recipe=$1; shift
  {
    printf '%s\n' "$recipe"
    cat "$@"
    gcc --version | head -1
    g++ --version | head -1
    ld --version | head -1
  } | sha256sum | cut -c1-16
}

# Downloads a Debian source package into the cache (once) and checks every file the .dsc lists
# against its SHA-256. Prints the folder that holds the files.
debian_source() {  # debian_source PACKAGE VERSION
  local pkg=$1 ver=$2 dir="$RUNTIMEJS_CACHE/sources/$1_$2"
  local dsc="$dir/${pkg}_${ver#*:}.dsc"
  if [ ! -f "$dir/.verified" ]; then
    need_tool apt-get apt
    need_tool dpkg-source dpkg-dev
    mkdir -p "$dir"
    say "fetching Debian source package $pkg $ver" >&2
    (cd "$dir" && apt-get source --download-only -q "$pkg=$ver" >/dev/null 2>"$dir/apt.log") ||
      die "apt-get source $pkg=$ver failed ($(tail -1 "$dir/apt.log")); is the deb-src entry there? run: sudo cmake/setup-host.sh"
    [ -f "$dsc" ] || die "$dsc missing after apt-get source"
    verify_dsc "$dsc"
    touch "$dir/.verified"
  fi
  echo "$dir"
}

verify_dsc() {  # verify_dsc FILE.dsc: every file in Checksums-Sha256 must match
  local dsc=$1 dir n=0 sum size name
  dir=$(dirname "$dsc")
  while read -r sum size name; do
    [ -f "$dir/$name" ] || die "$name listed in $(basename "$dsc") is missing"
    [ "$(stat -c %s "$dir/$name")" = "$size" ] || die "$name: size differs from $(basename "$dsc")"
    [ "$(sha256sum "$dir/$name" | cut -d' ' -f1)" = "$sum" ] || die "$name: SHA-256 differs from $(basename "$dsc")"
    n=$((n + 1))
  done < <(awk '/^Checksums-Sha256:/{on=1; next} /^[^ ]/{on=0} on && NF==3 {print}' "$dsc")
  [ "$n" -gt 0 ] || die "no Checksums-Sha256 in $(basename "$dsc")"
  say "verified $n files against $(basename "$dsc")" >&2
}

# Publishes a finished build: the staging folder is renamed into place, so a cache entry is
# either complete or absent.
publish() {  # publish STAGING FINAL
  local staging=$1 final=$2
  date -u +%FT%TZ >"$staging/.complete"
  rm -rf "$final.old"
  [ -e "$final" ] && mv "$final" "$final.old"
  mv "$staging" "$final"
  rm -rf "$final.old"
}

elapsed() { local s=$(( $(date +%s) - $1 )); printf '%dm%02ds' $((s / 60)) $((s % 60)); }
