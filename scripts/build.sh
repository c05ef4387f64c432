#!/bin/sh
# build.sh — from a fresh clone: install what is missing, configure, build
# ./nixe, and run it on the bundled example.  Extra arguments go to
# ./configure (e.g. --enable-debug).
set -e
cd "$(dirname "$0")/.."
sh scripts/deps.sh
[ -x configure ] || sh scripts/bootstrap.sh
if [ ! -f Makefile ] || [ $# -gt 0 ]; then ./configure -q "$@"; fi
make -j"$(nproc)"
echo "--- ./nixe --eval --strict examples/hello.nix"
./nixe --eval --strict examples/hello.nix
