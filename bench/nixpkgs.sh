#!/bin/sh
# nixpkgs.sh — issue 5's acceptance run: every real nixpkgs/NixOS workload
# evaluated by nix-instantiate and by nixe in the same run, outputs
# compared byte for byte, CPU time and peak memory side by side.
#
#   sh bench/nixpkgs.sh NIXPKGS_1609 NIXPKGS_1404 [LIB_TREE]
#
#   NIXPKGS_1609  a nixpkgs 16.09pre tree (ericbmerritt/nixpkgs, extracted
#                 with ../shared/tools/extract-tree; see docs/benchmarks.md)
#   NIXPKGS_1404  a nixpkgs 14.04pre tree (msackman/nixpkgs), for outpaths
#   LIB_TREE      optional nix-community/nixpkgs.lib tree: then
#                 bench/nixpkgs-lib.sh runs lib/tests/misc.nix and
#                 lib/tests/modules.sh with nixe as nix-instantiate
#
# Each workload runs as `--eval --strict FILE ARGS` (nix-instantiate with
# --readonly-mode), RUNS times per tool, the tools alternating.  "cpu" is
# the least user+system time of the runs (GNU time), "median" the ratio of
# the two tools' median times (the typical run: the target is judged on
# the least, and the median shows how much of the margin is luck), "peak"
# the largest maximum RSS; ratios are nix-instantiate / nixe.  "target" is issues 5
# and 6's figures for nixos-small, outpaths and the 16-machine fleet: at
# least 3x less CPU than nix-instantiate (issue 5) and at most half its
# peak (issue 6; issue 5 asks for a lower one); a miss names which.
# The run takes about RUNS x 25 s (5 runs: ~2 min) plus the lib tests
# (~1 min).  Five runs, because this kind of VM adds 10-30% to single
# runs (page-zeroing and THP compaction stalls, neighbours): the least of
# five is steadier for both tools than the least of three.
#
# Environment: NIXE (default ./nixe), NIX_INSTANTIATE (default
# nix-instantiate), RUNS (default 5), FLEET (machines, default 16),
# WORKLOADS (default <srcdir>/../shared/workloads/nixpkgs).
# Requirements: POSIX sh, GNU time as /usr/bin/time [time], cmp, awk.
# Exit status: 1 if an output differs or a command fails, else 0 (a missed
# performance target is reported, not an error).
set -u
LC_ALL=C
export LC_ALL

if [ $# -lt 2 ]; then
    sed -n '4,10p' "$0" >&2
    exit 2
fi
P1609=$1 P1404=$2 LIB=${3:-}
srcdir=$(cd "$(dirname "$0")/.." && pwd)
NIXE=${NIXE:-./nixe}
[ -x "$NIXE" ] || NIXE=$srcdir/nixe
NIX_INSTANTIATE=${NIX_INSTANTIATE:-nix-instantiate}
RUNS=${RUNS:-5}
FLEET=${FLEET:-16}
W=${WORKLOADS:-$srcdir/../shared/workloads/nixpkgs}
TIME=/usr/bin/time
for need in "$TIME" "$NIXE"; do
    [ -x "$need" ] || { echo "nixpkgs.sh: $need not found" >&2; exit 2; }
done
command -v "$NIX_INSTANTIATE" >/dev/null || { echo "nixpkgs.sh: $NIX_INSTANTIATE not found" >&2; exit 2; }
[ -d "$W" ] || { echo "nixpkgs.sh: no workloads at $W" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run TAG CMD... — one evaluation; appends "cpu_seconds peak_kb" to
# $tmp/TAG.t, keeps the output in $tmp/TAG.out; returns the exit status.
run() {
    tag=$1
    shift
    "$TIME" -o "$tmp/$tag.time" -f '%U %S %M' "$@" >"$tmp/$tag.out" 2>"$tmp/$tag.err"
    rc=$?
    awk '{ printf "%.2f %d\n", $1 + $2, $3 }' "$tmp/$tag.time" | tail -n 1 >>"$tmp/$tag.t"
    return $rc
}

# The least CPU time and the largest peak of TAG's runs.
best_cpu() { awk 'NR == 1 || $1 < m { m = $1 } END { printf "%.2f", m }' "$tmp/$1.t"; }
# The median CPU time of TAG's runs (the mean of the middle two for an
# even count): the typical run, beside the least.
median_cpu() {
    sort -n "$tmp/$1.t" | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
max_peak() { awk '$2 > m { m = $2 } END { printf "%d", m / 1024 }' "$tmp/$1.t"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

FMT='%-13s | %8s %8s %6s %6s | %7s %7s %5s | %-9s | %s\n'
printf "$FMT" workload "nix cpu" "nixe cpu" ratio median "nix MB" "nixe MB" ratio output target
printf "$FMT" ------------- -------- -------- ------ ------ ------- ------- ----- --------- ------
status=0
# name|target (1: issue 5's 3x target applies)|file and arguments
while IFS='|' read -r name target args; do
    # shellcheck disable=SC2086 # the arguments are words; paths have no spaces
    set -- --eval --strict $args
    failed=
    i=0
    while [ $i -lt "$RUNS" ]; do
        run "ni_$name" "$NIX_INSTANTIATE" --readonly-mode "$@" || failed="nix-instantiate exit $?"
        run "nx_$name" "$NIXE" "$@" || failed="${failed:+$failed, }nixe exit $?"
        [ -n "$failed" ] && break
        i=$((i + 1))
    done
    if [ -n "$failed" ]; then
        printf "$FMT" "$name" - - - - - - - FAILED "$failed"
        head -n 3 "$tmp/nx_$name.err" "$tmp/ni_$name.err" | sed 's/^/    /'
        status=1
        continue
    fi
    same=identical
    cmp -s "$tmp/ni_$name.out" "$tmp/nx_$name.out" || { same=DIFFERS; status=1; }
    nc=$(best_cpu "ni_$name") xc=$(best_cpu "nx_$name")
    nm=$(max_peak "ni_$name") xm=$(max_peak "nx_$name")
    cr=$(ratio "$nc" "$xc") mr=$(ratio "$nm" "$xm")
    md=$(ratio "$(median_cpu "ni_$name")" "$(median_cpu "nx_$name")")
    verdict=-
    if [ "$target" = 1 ]; then
        verdict=$(awk -v c="$cr" -v m="$mr" -v s="$same" 'BEGIN {
            miss = (c >= 3 ? "" : " cpu") (m >= 2 ? "" : " peak") (s == "identical" ? "" : " output")
            print miss == "" ? "met" : "NOT met:" miss }')
    fi
    printf "$FMT" "$name" "$nc" "$xc" "${cr}x" "${md}x" "$nm" "$xm" "$mr" "$same" "$verdict"
done <<EOF
hello|0|$W/hello.nix --arg nixpkgs $P1609
nixos-small|1|$W/nixos-toplevel.nix --arg nixpkgs $P1609 --arg configuration $W/nixos-small.nix
nixos-server|0|$W/nixos-toplevel.nix --arg nixpkgs $P1609 --arg configuration $W/nixos-server.nix
nixos-options|0|$W/nixos-options.nix --arg nixpkgs $P1609
fleet-n$FLEET|1|$W/nixos-fleet.nix --arg nixpkgs $P1609 --arg n $FLEET
outpaths-1404|1|$W/outpaths.nix --arg nixpkgs $P1404
EOF
echo "cpu: least user+sys of $RUNS runs (s); median: the ratio of the median runs; MB: largest peak RSS; ratio: nix-instantiate / nixe"
echo "target: cpu ratio >= 3 (issue 5), peak at most half of nix-instantiate's (issue 6; issue 5 asks for lower), output identical"

if [ -n "$LIB" ]; then
    echo
    echo "== nixpkgs lib tests ($LIB) with nixe as nix-instantiate"
    sh "$srcdir/bench/nixpkgs-lib.sh" "$NIXE" "$LIB" || status=1
fi
echo "nixe $("$NIXE" --version 2>/dev/null | head -n 1), $("$NIX_INSTANTIATE" --version | head -n 1), load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
exit $status
