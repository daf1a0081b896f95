#!/usr/bin/env bash
# Links the kernel twice: the first link gives the addresses, from which a symbol table is
# generated (for symbolized backtraces) and linked into the second. The table sits last in the
# image, so no other address moves; this script checks that, then renames into place.
# usage: link-kernel.sh OUTPUT LINKER_SCRIPT CC -- OBJECTS_AND_LIBS...
set -euo pipefail
out=$1 script=$2 cc=$3
shift 4
tmp="$out.tmp.$$"
trap 'rm -f "$tmp" "$tmp".*' EXIT
link() { "$cc" -nostdlib -static -no-pie -Wl,-T,"$script" -Wl,--gc-sections -Wl,-z,max-page-size=4096 \
  -Wl,--build-id=none -Wl,-z,noexecstack -o "$1" "${@:2}" -Wl,--start-group "${libs[@]}" -Wl,--end-group; }

objs=() libs=()
for a in "$@"; do
  case "$a" in *.a) libs+=("$a") ;; *) objs+=("$a") ;; esac
done
libs+=("$("$cc" -print-libgcc-file-name)")

link "$tmp.pass1" "${objs[@]}"
# Text symbols (local ones too), sorted by address, demangled.
nm -n --defined-only -C "$tmp.pass1" | sed -n 's/^\([0-9a-f]\{16\}\) [tTwW] \(.*\)$/\1 \2/p' >"$tmp.syms"
{
  echo '.section .ksyms, "a"'
  echo '.globl ksyms_count, ksyms_table, ksyms_names'
  echo '.balign 8'
  echo "ksyms_count: .quad $(wc -l <"$tmp.syms")"
  echo 'ksyms_table:'
  awk '{ name = substr($0, 18); printf ".quad 0x%s\n.long %d\n.long 0\n", $1, off; off += length(name) + 1 }' "$tmp.syms"
  echo 'ksyms_names:'
  cut -c18- "$tmp.syms" | sed 's/\\/\\\\/g; s/"/\\"/g; s/^/.asciz "/; s/$/"/'
} >"$tmp.S"
"$cc" -c "$tmp.S" -o "$tmp.ksyms.o"
link "$tmp" "${objs[@]}" "$tmp.ksyms.o"
# Same addresses for everything but the table itself and the image's end marker.
strip_table() { nm -n --defined-only "$1" | grep -v -E ' (ksyms_[a-z]+|__kernel_end)$'; }
if ! cmp -s <(strip_table "$tmp.pass1") <(strip_table "$tmp"); then
  echo "link-kernel: symbol addresses moved between the two links" >&2
  exit 1
fi
mv "$tmp" "$out"
