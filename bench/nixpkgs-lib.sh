#!/bin/sh
# nixpkgs-lib.sh — nixpkgs lib's own tests with nixe (issue 5 acceptance).
#
#   bench/nixpkgs-lib.sh [NIXE] [LIB_TREE]
#
# LIB_TREE (default /work/nixpkgs-lib) is a nix-community/nixpkgs.lib tree
# (fetch it, then ../shared/tools/extract-tree GIT_DIR LIB_TREE).  Runs
# lib/tests/misc.nix (must print `[ ]`) and lib/tests/modules.sh with a
# `nix-instantiate` on PATH that is a symlink to nixe; prints modules.sh's
# pass/fail summary and exits non-zero if either check fails.
NIXE=$(cd "$(dirname "${1:-./nixe}")" && pwd)/$(basename "${1:-./nixe}")
LIB=${2:-/work/nixpkgs-lib}
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
ln -s "$NIXE" "$bin/nix-instantiate"
status=0
misc=$(timeout 1800 "$NIXE" --eval --strict "$LIB/lib/tests/misc.nix" 2>/dev/null)
if [ "$misc" = "[ ]" ]; then echo "misc.nix: [ ]"; else echo "misc.nix: FAILED ($misc)"; status=1; fi
PATH="$bin:$PATH" timeout 1800 bash "$LIB/lib/tests/modules.sh" >"$bin/modules.log" 2>&1 || status=1
tail -n 2 "$bin/modules.log"
grep -A 12 'TEST FAILED' "$bin/modules.log" | head -n 60
exit $status
