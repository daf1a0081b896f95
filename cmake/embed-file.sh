#!/usr/bin/env bash
# Writes a C file defining `const char NAME[]` with the bytes of FILE and a final NUL.
# usage: embed-file.sh FILE NAME OUTPUT.c
set -euo pipefail
file=$1 name=$2 out=$3
{
  echo "/* Generated from $(basename "$file") by cmake/embed-file.sh. */"
  echo "const char $name[] = {"
  od -An -tx1 -v "$file" | sed 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'
  echo "0 };"
} >"$out.tmp"
mv "$out.tmp" "$out"
