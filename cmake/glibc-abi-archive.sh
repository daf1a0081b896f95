#!/usr/bin/env bash
# Makes a copy of an archive (or an archive of objects) with the glibc symbols whose meaning
# differs from newlib's renamed to glibc_NAME (kernel/libc/glibc/glibc.redefine): the code
# compiled against glibc's headers then reaches the kernel's glibc ABI layer, and newlib keeps
# its own symbols.
# usage: glibc-abi-archive.sh REDEFINE_FILE OUTPUT.a INPUT.a|OBJECTS...
set -euo pipefail
redefine=$1 out=$2
shift 2
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
if [ $# = 1 ] && [[ "$1" == *.a ]]; then
  objcopy --redefine-syms="$redefine" "$1" "$tmp"
else
  ar qcD "$tmp.in" "$@"
  objcopy --redefine-syms="$redefine" "$tmp.in" "$tmp"
  rm -f "$tmp.in"
fi
mv "$tmp" "$out"
