#!/bin/sh
# bench/memory.sh NIXPKGS [N...] — peak RSS (KB) and user/sys CPU seconds of
# nix-instantiate and nixe on the micro workloads, hello, a small NixOS
# machine and the NixOS fleet for each N (default 4 16), one line each:
#   workload | nix: peakKB user sys | nixe: peakKB user sys
# NIXPKGS is a nixpkgs 16.09pre tree (the nixpkgs workloads are written for
# it).  Needs GNU time (/usr/bin/time) and nix-instantiate; NIXE and
# NIXE_WORKLOADS as in bench/run.sh.  NIXPKGS_1404=DIR (a nixpkgs 14.04pre
# tree) adds outpaths.nix on it, with a check that both outputs are the same.
# FLEET="4 16 64" picks the fleet sizes; MICRO=0 skips the micro workloads.
[ $# -ge 1 ] || { echo "usage: bench/memory.sh NIXPKGS [N...]" >&2; exit 2; }
N=$1
shift
srcdir=$(cd "$(dirname "$0")/.." && pwd)
NIXE=${NIXE:-$srcdir/nixe}
WL=${NIXE_WORKLOADS:-$srcdir/../shared/workloads}
M=$WL/micro W=$WL/nixpkgs
T="/usr/bin/time -f %M_%U_%S"
run() { $T "$@" 2>&1 >/dev/null | tail -n 1 | tr '_' ' '; }
[ "${MICRO:-1}" = 0 ] || for f in "$M"/*.nix; do
    w=$(basename "$f" .nix)
    ni=$( (ulimit -s 1048576 2>/dev/null; run nix-instantiate --eval --strict "$f") )
    echo "$w | $ni | $(run "$NIXE" --eval --strict "$f")"
done
echo "hello | $(run nix-instantiate --readonly-mode --eval "$W/hello.nix" --arg nixpkgs "$N") | $(run "$NIXE" --eval "$W/hello.nix" --arg nixpkgs "$N")"
set -- "$W/nixos-toplevel.nix" --arg nixpkgs "$N" --arg configuration "$W/nixos-small.nix"
echo "nixos-small | $(run nix-instantiate --readonly-mode --eval "$@") | $(run "$NIXE" --eval "$@")"
for n in ${FLEET:-4 16}; do
    set -- --eval --strict "$W/nixos-fleet.nix" --arg nixpkgs "$N" --arg n "$n"
    echo "fleet n=$n | $(run nix-instantiate --readonly-mode "$@") | $(run "$NIXE" "$@")"
done
if [ -n "${NIXPKGS_1404:-}" ]; then
    set -- --eval --strict "$W/outpaths.nix" --arg nixpkgs "$NIXPKGS_1404"
    tmp=$(mktemp -d)
    ni=$($T -o "$tmp/ni.t" nix-instantiate --readonly-mode "$@" >"$tmp/ni.out" 2>/dev/null; tail -n 1 "$tmp/ni.t" | tr '_' ' ')
    nx=$($T -o "$tmp/nx.t" "$NIXE" "$@" >"$tmp/nx.out" 2>/dev/null; tail -n 1 "$tmp/nx.t" | tr '_' ' ')
    same=identical
    cmp -s "$tmp/ni.out" "$tmp/nx.out" || same=DIFFERS
    echo "outpaths 14.04 | $ni | $nx | $same"
    rm -rf "$tmp"
fi
