#!/bin/sh
# bench/memory.sh NIXPKGS [N...] — peak RSS (KB) and user/sys CPU seconds of
# nix-instantiate and nixe on the micro workloads, hello, a small NixOS
# machine and the NixOS fleet for each N (default 4 16), one line each:
#   workload | nix: peakKB user sys | nixe: peakKB user sys
# NIXPKGS is a nixpkgs 16.09pre tree (the nixpkgs workloads are written for
# it).  Needs GNU time (/usr/bin/time) and nix-instantiate; NIXE and
# NIXE_WORKLOADS as in bench/run.sh.
[ $# -ge 1 ] || { echo "usage: bench/memory.sh NIXPKGS [N...]" >&2; exit 2; }
N=$1
shift
srcdir=$(cd "$(dirname "$0")/.." && pwd)
NIXE=${NIXE:-$srcdir/nixe}
WL=${NIXE_WORKLOADS:-$srcdir/../shared/workloads}
M=$WL/micro W=$WL/nixpkgs
T="/usr/bin/time -f %M_%U_%S"
run() { $T "$@" 2>&1 >/dev/null | tail -n 1 | tr '_' ' '; }
for f in "$M"/*.nix; do
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
