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
# A wrong NIXE would leave a dangling nix-instantiate symlink, and the
# shell would then run the next nix-instantiate on PATH: the checks would
# test that one instead, without a word.
if [ ! -f "$NIXE" ] || [ ! -x "$NIXE" ]; then
    echo "nixpkgs-lib.sh: $NIXE is not an executable file (usage: nixpkgs-lib.sh [NIXE] [LIB_TREE])" >&2
    exit 2
fi
if [ ! -f "$LIB/lib/tests/misc.nix" ] || [ ! -f "$LIB/lib/tests/modules.sh" ]; then
    echo "nixpkgs-lib.sh: $LIB has no lib/tests/misc.nix and lib/tests/modules.sh" >&2
    exit 2
fi
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
