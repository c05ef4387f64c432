#!/bin/sh
# bench/run.sh — time nixe against nix-instantiate (and Lua 5.4) on the same
# inputs in the same run, and print tables of times, peak memory and ratios
# (nix-instantiate / nixe), so figures are comparable across machines.
#
# Usage:  sh bench/run.sh [NIXPKGS]          (what `make bench NIXPKGS=...` runs)
#   NIXPKGS  optional path to a nixpkgs checkout; adds its all-packages.nix and
#            melpa-generated.nix (when present) to the parse section.
#
# Requirements (Debian package in brackets):
#   POSIX sh, awk, sort, od, cmp, mktemp          [coreutils, mawk/gawk, diffutils]
#   nix-instantiate — the reference               [nix-bin]    required
#   hyperfine — timing                            [hyperfine]  optional: without it a
#                 loop around GNU `date +%s%N` is used (coarser, no warm-up statistics)
#   /usr/bin/time (GNU time, -f %M) — peak RSS    [time]       optional: "-" without it
#   timeout — bounds a hung command               [coreutils]  optional
#   lua5.4 — Lua baselines for the eval section   [lua5.4]     optional
#   bench/parse_bench — run when it has been built (`make bench` builds it when
#                 Google Benchmark [libbenchmark-dev] was found by configure)
#
# Environment (all optional):
#   NIXE                 nixe binary        (default: ./nixe, else <srcdir>/nixe)
#   NIX_INSTANTIATE      reference binary   (default: nix-instantiate)
#   PARSE_BENCH          parse_bench binary (default: ./bench/parse_bench, else <srcdir>/bench/parse_bench)
#   NIXE_WORKLOADS       workloads dir      (default: <srcdir>/../shared/workloads); eval
#                        section uses $NIXE_WORKLOADS/micro/*.nix and *.lua twins
#   NIXE_BENCH_RUNS      timed runs per parse command (default 10)
#   NIXE_BENCH_EVAL_RUNS timed runs per eval command  (default 3)
#   NIXE_BENCH_SYNTH_RECORDS  records in the synthetic file (default 4400, ~5 MB)
#   NIXE_BENCH_STACK_KB  soft stack limit for the eval section (default 1048576 = 1 GiB;
#                        CppNix needs it for micro/deep.nix; "keep" leaves it alone)
#   NIXE_BENCH_OUT       keep raw results (hyperfine JSON/CSV, outputs, parse_bench JSON)
#                        in this directory instead of a temporary one
#   NIXE_BENCH_PB_REPS   parse_bench repetitions (default 3; the median is shown)
#   NIXE_BENCH_TIMEOUT   seconds before a command's first (check) run is killed (default 120;
#                        needs coreutils timeout)
#   NIXE_BENCH_SLOW      when that first run takes longer than this many seconds (default 15),
#                        it is the only run timed (marked "*") to bound the total time
#   NIXE_BENCH_NO_PARSE_BENCH=1  skip bench/parse_bench
#   NIXE_BENCH_TIMER=loop        use the date +%s%N loop even when hyperfine exists
#
# "wall" is the median wall-clock time of the timed runs (hyperfine: with
# --shell=none, after one warm-up run for parse rows), "+-N%" its relative
# standard deviation, "cpu" the mean user+system CPU time (hyperfine only; it
# is the steadier figure on a busy machine).  "peak" is the maximum resident
# set size of one separate run (GNU time %M); that run also checks that the
# command succeeds and, in the parse section, whether nixe's output is
# byte-identical to nix-instantiate's.  The parse section also prints every
# figure minus the same tool's figure for `--parse -E 1`, i.e. with process
# start-up subtracted.  The whole default run takes about 1-3 minutes.

# The table formats are constant strings kept in variables (SC2059), and
# `ulimit -s` is not POSIX but dash, bash, ksh and busybox sh have it (SC3045;
# a failure is reported, not fatal).
# shellcheck disable=SC2059,SC3045

set -u
LC_ALL=C
export LC_ALL

srcdir=$(cd "$(dirname "$0")/.." && pwd)
NIXPKGS=${1:-}

# ---- tools -------------------------------------------------------------------
if [ -n "${NIXE:-}" ]; then :
elif [ -x ./nixe ]; then NIXE=$(pwd)/nixe
else NIXE=$srcdir/nixe
fi
NIX_INSTANTIATE=${NIX_INSTANTIATE:-nix-instantiate}
if [ -n "${PARSE_BENCH:-}" ]; then :
elif [ -x ./bench/parse_bench ]; then PARSE_BENCH=$(pwd)/bench/parse_bench
else PARSE_BENCH=$srcdir/bench/parse_bench
fi
WORKLOADS=${NIXE_WORKLOADS:-$srcdir/../shared/workloads}
RUNS=${NIXE_BENCH_RUNS:-10}
EVAL_RUNS=${NIXE_BENCH_EVAL_RUNS:-3}
SYNTH_RECORDS=${NIXE_BENCH_SYNTH_RECORDS:-4400}
STACK_KB=${NIXE_BENCH_STACK_KB:-1048576}
PB_REPS=${NIXE_BENCH_PB_REPS:-3}
CHECK_TIMEOUT=${NIXE_BENCH_TIMEOUT:-120}
SLOW=${NIXE_BENCH_SLOW:-15}

die() { echo "run.sh: $*" >&2; exit 1; }

[ -x "$NIXE" ] || die "nixe binary not found at $NIXE (run make first, or set NIXE)"
command -v "$NIX_INSTANTIATE" >/dev/null 2>&1 || die "$NIX_INSTANTIATE not found (Debian package nix-bin)"

if [ "${NIXE_BENCH_TIMER:-}" != loop ] && command -v hyperfine >/dev/null 2>&1; then HYPERFINE=hyperfine; else HYPERFINE=; fi
if command -v timeout >/dev/null 2>&1; then TIMEOUT=timeout; else TIMEOUT=; fi
case $(date +%s%N 2>/dev/null) in *N*|'') DATE_NS= ;; *) DATE_NS=1 ;; esac
SLOW_USED=
if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then GNUTIME=/usr/bin/time; else GNUTIME=; fi
if command -v lua5.4 >/dev/null 2>&1; then LUA=lua5.4; else LUA=; fi
[ -n "$HYPERFINE" ] || [ -n "$DATE_NS" ] || die "neither hyperfine nor a date with %N (GNU coreutils) is available"

if [ -n "${NIXE_BENCH_OUT:-}" ]; then
    OUT=$NIXE_BENCH_OUT
    mkdir -p "$OUT" || die "cannot create $OUT"
    OUT=$(cd "$OUT" && pwd)
else
    OUT=$(mktemp -d "${TMPDIR:-/tmp}/nixe-bench.XXXXXX") || die "mktemp failed"
    trap 'rm -rf "$OUT"' EXIT
    trap 'exit 130' HUP INT PIPE TERM
fi

# Quotes one argument for sh (and for hyperfine --shell=none, which splits
# commands like a shell).
shq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# ---- measurement ---------------------------------------------------------------
#
# measure ID RUNS WARMUP CMD...  — times CMD (stdout and stderr discarded) and
# sets T_MED T_SD (median and standard deviation of the wall-clock time) and
# T_CPU (mean user+system CPU time; empty without hyperfine), in seconds.
# Raw data: $OUT/ID.json / ID.csv / ID.times.
measure() {
    _id=$1 _runs=$2 _warm=$3
    shift 3
    _cmd=
    for _a in "$@"; do _cmd="$_cmd $(shq "$_a")"; done
    if [ -n "$HYPERFINE" ]; then
        if hyperfine --shell=none --style none --warmup "$_warm" --runs "$_runs" -n "$_id" \
            --export-json "$OUT/$_id.json" --export-csv "$OUT/$_id.csv" "$_cmd" >"$OUT/$_id.hf.log" 2>&1; then
            # command,mean,stddev,median,user,system,min,max
            T_MED=$(awk -F, 'NR == 2 { print $4 }' "$OUT/$_id.csv")
            T_SD=$(awk -F, 'NR == 2 { print $3 }' "$OUT/$_id.csv")
            T_CPU=$(awk -F, 'NR == 2 { print $5 + $6 }' "$OUT/$_id.csv")
            [ "$_runs" -lt 2 ] && T_SD=
        else
            T_MED='' T_SD='' T_CPU=''
        fi
    else
        _i=0
        while [ "$_i" -lt "$_warm" ]; do "$@" >/dev/null 2>&1; _i=$((_i + 1)); done
        : >"$OUT/$_id.times"
        _i=0
        while [ "$_i" -lt "$_runs" ]; do
            _t0=$(date +%s%N)
            "$@" >/dev/null 2>&1
            _t1=$(date +%s%N)
            echo "$((_t1 - _t0))" >>"$OUT/$_id.times"
            _i=$((_i + 1))
        done
        T_MED=$(sort -n "$OUT/$_id.times" | awk '{ v[NR] = $1 } END {
            if (NR % 2) print v[(NR + 1) / 2] / 1e9; else print (v[NR / 2] + v[NR / 2 + 1]) / 2e9 }')
        T_SD=$(awk '{ s += $1; q += $1 * $1 } END { m = s / NR; d = q / NR - m * m;
            if (d < 0) d = 0; print sqrt(d * NR / (NR > 1 ? NR - 1 : 1)) / 1e9 }' "$OUT/$_id.times")
        T_CPU=
        [ "$_runs" -lt 2 ] && T_SD=
    fi
}

# check ID CMD...  — runs CMD once (under `timeout`, when available) with
# stdout to $OUT/ID.out and stderr to $OUT/ID.err; sets RC, CHECK_T (wall
# seconds; empty without date +%s%N) and MEM_KB (peak RSS in KiB; empty
# without GNU time).  RC is 124 or 137 when the command timed out.
check() {
    _id=$1
    shift
    MEM_KB='' CHECK_T=''
    rm -f "$OUT/$_id.rss"
    [ -n "$GNUTIME" ] && set -- "$GNUTIME" -f %M -o "$OUT/$_id.rss" "$@"
    [ -n "$TIMEOUT" ] && set -- "$TIMEOUT" -k 5 "$CHECK_TIMEOUT" "$@"
    [ -n "$DATE_NS" ] && _t0=$(date +%s%N)
    "$@" >"$OUT/$_id.out" 2>"$OUT/$_id.err"
    RC=$?
    [ -n "$DATE_NS" ] && CHECK_T=$(awk -v a="$_t0" -v b="$(date +%s%N)" 'BEGIN { print (b - a) / 1e9 }')
    if [ -s "$OUT/$_id.rss" ]; then
        MEM_KB=$(tail -n 1 "$OUT/$_id.rss")
        case $MEM_KB in *[!0-9]*|'') MEM_KB='' ;; esac
    fi
}

# timed ID RUNS WARMUP CMD...  — after a successful check of the same command:
# measure it, unless the check run took more than $SLOW seconds, in which case
# that one run is the figure (T_MARK="*").  Sets T_MED T_SD T_CPU T_MARK.
timed() {
    T_MARK=''
    if [ -n "$CHECK_T" ] && awk -v t="$CHECK_T" -v s="$SLOW" 'BEGIN { exit !(t > s) }'; then
        T_MED=$CHECK_T T_SD='' T_CPU='' T_MARK='*'
        SLOW_USED=1
    else
        measure "$@"
    fi
}

# Describes a failed check: "timeout (>N s)" or "fails (exit N): <first error line>".
fail_text() {
    case $1 in
    124|137) [ -n "$TIMEOUT" ] && { echo "timeout (>$CHECK_TIMEOUT s)"; return; } ;;
    esac
    _msg=$(grep -v '^[[:space:]]*$' "$OUT/$2.err" 2>/dev/null | head -n 1 | cut -c1-60)
    echo "fails (exit $1)${_msg:+: $_msg}"
}

# Formatting helpers (awk does the arithmetic).
fmt_ms()  { awk -v t="$1" 'BEGIN { if (t == "") print "-"; else if (t < 0.0995) printf "%.1f ms", t * 1000; else printf "%.0f ms", t * 1000 }'; }
fmt_mb()  { awk -v k="$1" 'BEGIN { if (k == "") print "-"; else printf "%.1f MiB", k / 1024 }'; }
fmt_size() { awk -v b="$1" 'BEGIN { if (b >= 1048576) printf "%.2f MiB", b / 1048576; else printf "%.0f KiB", b / 1024 }'; }
ratio()   { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 <= 0) print "-"; else printf "%.2fx", a / b }'; }
sub_t()   { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") print ""; else print a - b }'; }
rel_sd()  { awk -v m="$1" -v s="$2" 'BEGIN { if (m == "" || s == "" || m + 0 <= 0) print ""; else printf "+-%.0f%%", 100 * s / m }'; }

# Byte-frequency fingerprint: equal for two files that are permutations of
# the same bytes.
bytebag() { od -An -v -tu1 "$1" | tr -s ' ' '\n' | sed '/^$/d' | sort -n | uniq -c | cksum; }

same_output() {
    if cmp -s "$1" "$2"; then echo "yes"
    elif [ "$(bytebag "$1")" = "$(bytebag "$2")" ]; then echo "no (same bytes, permuted)"
    else echo "NO"
    fi
}

rule() { printf '%s\n' "--------------------------------------------------------------------------------------------------------------"; }

# ---- the synthetic input ---------------------------------------------------------
#
# Byte-identical to the in-process input of bench/parse_bench.cc for the same
# record count (check: bench/parse_bench --dump-synthetic F; cmp F ...).
gen_synthetic() {
    awk -v N="$1" '
function rec(i,    n, j, k, sha, idx, fl) {
    n = i ""
    fl = i % 8
    if (fl == 3) {
        print "  # tool" n " comes from ./tools"
        print "  tool" n " = callPackage ./tools/tool" n " { inherit (pkgs) zlib; enableFoo = " (i % 3 == 0 ? "true" : "false") "; };"
        return
    }
    j = int(i / 2); if (j % 8 == 3) j = j - 1
    if (fl == 6 && i > 0) {
        print "  /* an override, as in all-packages.nix */"
        print "  pkg" n " = pkg" j ".override { enableFoo = !(pkg" j ".enableFoo or false); extraFlags = [ \"-DLEVEL=" (i % 9) "\" ]; };"
        return
    }
    sha = ""
    for (k = 0; k < 52; k++) {
        idx = (i * 31 + k * 17 + (i * k) % 7) % 32
        sha = sha substr(B32, idx + 1, 1)
    }
    print "  pkg" n " = callPackage ({ stdenv, fetchurl, zlib, openssl ? null, enableFoo ? " (i % 2 == 0 ? "true" : "false") ", ... }:"
    print "    let"
    print "      version = \"" (i % 7) "." (i % 13) "." (i % 100) "\";"
    print "      deps = [ zlib ] ++ optional (openssl != null) openssl;"
    print "    in"
    print "    assert enableFoo -> openssl != null;"
    print "    stdenv.mkDerivation rec {"
    print "      pname = \"pkg" n "\";"
    print "      inherit version;"
    print "      src = fetchurl {"
    print "        url = \"https://example.org/releases/${pname}/${pname}-${version}.tar.gz\";"
    print "        sha256 = \"" sha "\";"
    print "      };"
    print "      buildInputs = deps" (i > 0 ? " ++ [ pkg" j " ]" : "") ";"
    print "      patches = [ ./patches/pkg" n "-fix-build.patch ];"
    print "      configureFlags = [ \"--with-level=${toString (" (i % 9) " + 1)}\" \"--enable-shared\" ] ++ optionals enableFoo [ \"--enable-foo\" ];"
    print "      NIX_CFLAGS_COMPILE = if stdenv.isDarwin then \"-Wno-error\" else \"-O" (i % 3) "\";"
    print "      doCheck = " (i % 5) " < 3 && !stdenv.isDarwin;"
    print "      jobs = " (i % 16) " * 2 - 1;"
    print "      weight = " (i % 10) ".5;"
    print "      postInstall = '\'''\''"
    print "        mkdir -p $out/share/doc/${pname}"
    print "        cp -r doc/* $out/share/doc/${pname}/ || true"
    print "        substituteInPlace $out/bin/pkg" n " --replace /usr/bin ${stdenv.shell}"
    print "      '\'''\'';"
    print "      passthru.tests = { simple = x: x.pkg" n " or null; hasFoo = args ? enableFoo; };"
    print "      meta = with lib; {"
    print "        description = \"Synthetic package number " n " for the nixe parser benchmark\";"
    print "        homepage = \"https://example.org/pkg" n "\";"
    print "        license = licenses." LIC[i % 5] ";"
    print "        maintainers = with maintainers; [ alice bob ];"
    print "        platforms = platforms.unix;"
    print "      };"
    print "    }) { };"
}
BEGIN {
    B32 = "0123456789abcdfghijklmnpqrsvwxyz"
    LIC[0] = "mit"; LIC[1] = "gpl2Plus"; LIC[2] = "bsd3"; LIC[3] = "asl20"; LIC[4] = "lgpl21"
    print "# Synthetic input for the nixe parse benchmarks (bench/run.sh, bench/parse_bench.cc)."
    print "# " N " derivation-like records; generated, deterministic."
    print "{ lib, stdenv, fetchurl, callPackage, pkgs ? { }, ... }@args:"
    print ""
    print "let"
    print "  inherit (lib) optional optionals;"
    print "  mkVersion = major: minor: \"${toString major}.${toString minor}\";"
    print "in"
    print "rec {"
    for (i = 0; i < N; i++) rec(i)
    print "  versions = map (v: mkVersion v (v * 2)) [ 1 2 3 ];"
    print "}"
}'
}

# ---- header ------------------------------------------------------------------------
echo "nixe benchmarks — $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "  nixe:            $NIXE"
echo "  reference:       $(command -v "$NIX_INSTANTIATE")"
echo "  timing:          ${HYPERFINE:-date +%s%N loop} (median of $RUNS runs for parse, $EVAL_RUNS for eval)"
echo "  peak memory:     ${GNUTIME:-not measured (no GNU time)}"
echo "  raw results:     $OUT${NIXE_BENCH_OUT:+ (kept)}"
echo

# ---- parse ----------------------------------------------------------------------------
mkdir -p "$OUT/inputs"
SYNTH=$OUT/inputs/synthetic.nix
gen_synthetic "$SYNTH_RECORDS" >"$SYNTH" || die "generating the synthetic input failed"

# Inputs: "label<TAB>path" lines.
: >"$OUT/parse-inputs"
if [ -n "$NIXPKGS" ]; then
    [ -d "$NIXPKGS" ] || die "NIXPKGS=$NIXPKGS is not a directory"
    NIXPKGS=$(cd "$NIXPKGS" && pwd)
    for f in pkgs/top-level/all-packages.nix pkgs/applications/editors/emacs-modes/melpa-generated.nix; do
        if [ -f "$NIXPKGS/$f" ]; then
            printf '%s\t%s\n' "$(basename "$f")" "$NIXPKGS/$f" >>"$OUT/parse-inputs"
        else
            echo "(no $f in $NIXPKGS; skipped)"
        fi
    done
fi
printf '%s\t%s\n' "synthetic.nix" "$SYNTH" >>"$OUT/parse-inputs"

echo "== Parse: nix-instantiate --parse F  vs  nixe --parse F"
echo "   whole command, including start-up; wall = median wall clock (+- relative stddev), cpu = mean user+sys time,"
echo "   peak = max RSS; ratios = nix-instantiate / nixe"
rule
PFMT='%-20s %9s | %-9s %-6s %-9s %10s | %-9s %-6s %-9s %10s | %6s %6s %6s | %s\n'
printf "$PFMT" input size "nix wall" "" "cpu" "peak" "nixe wall" "" "cpu" "peak" wall cpu mem "same output"
rule

# One row: parse_row LABEL SIZE SAME  (uses the ni_* and nx_* variables)
parse_row() {
    printf "$PFMT" "$1" "$2" \
        "$(fmt_ms "$ni_t")$ni_mark" "$(rel_sd "$ni_t" "$ni_sd")" "$(fmt_ms "$ni_cpu")" "$(fmt_mb "$ni_mem")" \
        "$(fmt_ms "$nx_t")$nx_mark" "$(rel_sd "$nx_t" "$nx_sd")" "$(fmt_ms "$nx_cpu")" "$(fmt_mb "$nx_mem")" \
        "$(ratio "$ni_t" "$nx_t")" "$(ratio "$ni_cpu" "$nx_cpu")" "$(ratio "$ni_mem" "$nx_mem")" "$3"
}

# parse_pair NI_ID NX_ID ARGS...  — checks and times `nix-instantiate --parse
# ARGS` and `nixe --parse ARGS`; sets ni_* and nx_* (rc, t, sd, cpu, mem, mark).
parse_pair() {
    _ni=$1 _nx=$2
    shift 2
    ni_t='' ni_sd='' ni_cpu='' ni_mark='' nx_t='' nx_sd='' nx_cpu='' nx_mark=''
    check "$_ni" "$NIX_INSTANTIATE" --parse "$@"
    ni_rc=$RC ni_mem=$MEM_KB
    [ "$ni_rc" -ne 0 ] && ni_mem=''
    if [ "$ni_rc" -eq 0 ]; then
        timed "$_ni" "$RUNS" 1 "$NIX_INSTANTIATE" --parse "$@"
        ni_t=$T_MED ni_sd=$T_SD ni_cpu=$T_CPU ni_mark=$T_MARK
    fi
    check "$_nx" "$NIXE" --parse "$@"
    nx_rc=$RC nx_mem=$MEM_KB
    [ "$nx_rc" -ne 0 ] && nx_mem=''
    if [ "$nx_rc" -eq 0 ]; then
        timed "$_nx" "$RUNS" 1 "$NIXE" --parse "$@"
        nx_t=$T_MED nx_sd=$T_SD nx_cpu=$T_CPU nx_mark=$T_MARK
    fi
    if [ "$ni_rc" -ne 0 ] || [ "$nx_rc" -ne 0 ]; then
        _a=ok _b=ok
        [ "$ni_rc" -ne 0 ] && _a=$(fail_text "$ni_rc" "$_ni")
        [ "$nx_rc" -ne 0 ] && _b=$(fail_text "$nx_rc" "$_nx")
        same="nix-instantiate: $_a; nixe: $_b"
    else
        same=$(same_output "$OUT/$_ni.out" "$OUT/$_nx.out")
    fi
}

# The start-up baseline: a trivial expression.
parse_pair ni_startup nx_startup -E 1
NI0_T=$ni_t NI0_CPU=$ni_cpu NI0_MEM=$ni_mem NX0_T=$nx_t NX0_CPU=$nx_cpu NX0_MEM=$nx_mem
parse_row "start-up (-E 1)" "-" "$same"

: >"$OUT/parse-results"
n=0
while IFS='	' read -r label path; do
    n=$((n + 1))
    size=$(wc -c <"$path" | tr -d ' ')
    parse_pair "ni_parse$n" "nx_parse$n" "$path"
    parse_row "$label" "$(fmt_size "$size")" "$same"
    # "|"-separated: IFS whitespace (a tab) would merge empty fields.
    printf '%s|%s|%s|%s|%s|%s|%s|%s\n' "$label" "$size" "$ni_t" "$nx_t" "$ni_cpu" "$nx_cpu" \
        "$ni_mem" "$nx_mem" >>"$OUT/parse-results"
done <"$OUT/parse-inputs"
rule
[ -n "$SLOW_USED" ] && echo "   * one run only: its first run took longer than $SLOW s (NIXE_BENCH_SLOW)"
SLOW_USED=''
echo
echo "== Parse, start-up subtracted: figure(F) - figure(-E 1) of the same tool"
echo "   (an estimate of the cost of reading, parsing and printing F alone; ratios = nix-instantiate / nixe;"
echo "   nixe MB/s = size / nixe cpu, or / nixe wall without hyperfine)"
rule
SFMT='%-20s %9s | %-9s %-9s %10s | %-9s %-9s %10s | %6s %6s %6s | %s\n'
printf "$SFMT" input size "nix wall" "cpu" "mem" "nixe wall" "cpu" "mem" wall cpu mem "nixe MB/s"
rule
while IFS='|' read -r label size ni_t nx_t ni_cpu nx_cpu ni_mem nx_mem; do
    ni_dt=$(sub_t "$ni_t" "$NI0_T") nx_dt=$(sub_t "$nx_t" "$NX0_T")
    ni_dc=$(sub_t "$ni_cpu" "$NI0_CPU") nx_dc=$(sub_t "$nx_cpu" "$NX0_CPU")
    ni_dm=$(sub_t "$ni_mem" "$NI0_MEM") nx_dm=$(sub_t "$nx_mem" "$NX0_MEM")
    mbs=$(awk -v b="$size" -v t="${nx_dc:-$nx_dt}" 'BEGIN { if (t == "" || t + 0 <= 0) print "-"; else printf "%.1f", b / 1e6 / t }')
    printf "$SFMT" "$label" "$(fmt_size "$size")" \
        "$(fmt_ms "$ni_dt")" "$(fmt_ms "$ni_dc")" "$(fmt_mb "$ni_dm")" \
        "$(fmt_ms "$nx_dt")" "$(fmt_ms "$nx_dc")" "$(fmt_mb "$nx_dm")" \
        "$(ratio "$ni_dt" "$nx_dt")" "$(ratio "$ni_dc" "$nx_dc")" "$(ratio "$ni_dm" "$nx_dm")" "$mbs"
done <"$OUT/parse-results"
rule
echo "   target: nixe --parse >= 5x faster than nix-instantiate --parse on all-packages.nix and melpa-generated.nix"
awk -F'|' -v ni0="$NI0_T" -v nx0="$NX0_T" '
    $1 == "all-packages.nix" || $1 == "melpa-generated.nix" {
        n++
        if ($3 == "" || $4 == "" || $4 + 0 <= 0) { unknown = 1; next }
        w = $3 / $4
        s = ($4 - nx0 > 0 && ni0 != "" && nx0 != "") ? ($3 - ni0) / ($4 - nx0) : 0
        sep = whole == "" ? " " : ", "
        whole = whole sep sprintf("%s %.2fx", $1, w); sub_ = sub_ sep sprintf("%s %.2fx", $1, s)
        if (w < 5) miss_w = 1
        if (s < 5) miss_s = 1
    }
    END {
        if (!n) { print "   (target not checked: run with NIXPKGS to include those files)"; exit }
        if (unknown) { print "   target: not checked (a command failed)"; exit }
        printf "   whole command (wall):%s -> %s\n", whole, miss_w ? "NOT met" : "met"
        printf "   start-up subtracted (wall):%s -> %s\n", sub_, miss_s ? "NOT met" : "met"
    }' "$OUT/parse-results"
echo

# ---- parse_bench ------------------------------------------------------------------------
if [ "${NIXE_BENCH_NO_PARSE_BENCH:-}" = 1 ]; then
    echo "== parse_bench: skipped (NIXE_BENCH_NO_PARSE_BENCH=1)"
elif [ -x "$PARSE_BENCH" ]; then
    files=
    while IFS='	' read -r label path; do
        [ "$label" = synthetic.nix ] && continue
        files=${files:+$files:}$path
    done <"$OUT/parse-inputs"
    echo "== parse_bench (in-process, Google Benchmark; median of $PB_REPS repetition(s); MB/s = 10^6 bytes of"
    echo "   source per CPU second, +-N% = its coefficient of variation)"
    echo "   NIXE_BENCH_FILES=$files"
    # Google Benchmark's own "bytes_per_second=..M/s" means 2^20 bytes/s; the
    # summary below uses 10^6.  Its full console output is in $OUT/parse_bench.txt.
    set -- --benchmark_out="$OUT/parse_bench.json" --benchmark_out_format=json
    if [ "$PB_REPS" -gt 1 ]; then
        set -- "$@" --benchmark_repetitions="$PB_REPS" --benchmark_report_aggregates_only=true
    fi
    [ -n "$TIMEOUT" ] && set -- "$TIMEOUT" -k 5 600 "$PARSE_BENCH" "$@"
    [ -z "$TIMEOUT" ] && set -- "$PARSE_BENCH" "$@"
    NIXE_BENCH_FILES=$files NIXE_BENCH_SYNTH_RECORDS=$SYNTH_RECORDS "$@" \
        >"$OUT/parse_bench.txt" 2>"$OUT/parse_bench.err"
    pb_rc=$?
    if [ "$pb_rc" -ne 0 ] || [ ! -s "$OUT/parse_bench.json" ]; then
        echo "   parse_bench failed (exit $pb_rc):"
        sed 's/^/   /' "$OUT/parse_bench.err"
    else
        rule
        printf '%-40s %12s %12s %10s %7s\n' benchmark "real ms" "cpu ms" "MB/s" ""
        rule
        # The JSON has one object per benchmark (or per aggregate: NAME_mean,
        # NAME_median, NAME_stddev, NAME_cv) with "name", "real_time",
        # "cpu_time", "time_unit" and "bytes_per_second" members, in that order.
        awk -F': *' '
            /"name":/             { gsub(/[",]/, "", $2); name = $2; unit = "" }
            /"real_time":/        { gsub(/,/, "", $2); real = $2 }
            /"cpu_time":/         { gsub(/,/, "", $2); cpu = $2 }
            /"time_unit":/        { gsub(/[",]/, "", $2); unit = $2 }
            /"bytes_per_second":/ { gsub(/,/, "", $2)
                f = unit == "ms" ? 1 : unit == "us" ? 1e-3 : unit == "ns" ? 1e-6 : 1e3
                n++; nm[n] = name; rt[n] = real * f; ct[n] = cpu * f; bps[n] = $2
                if (name ~ /_cv$/) { b = name; sub(/_cv$/, "", b); cv[b] = $2 }
                if (name ~ /_median$/) agg = 1 }
            END {
                for (i = 1; i <= n; i++) {
                    b = nm[i]
                    if (agg) { if (b !~ /_median$/) continue; sub(/_median$/, "", b) }
                    printf "%-40s %12.2f %12.2f %10.1f %7s\n", b, rt[i], ct[i], bps[i] / 1e6,
                        (b in cv) ? sprintf("+-%.0f%%", cv[b] * 100) : ""
                }
            }
        ' "$OUT/parse_bench.json"
        rule
    fi
else
    echo "== parse_bench: not built (make bench builds it when configure found libbenchmark-dev)"
fi
echo

# ---- eval -------------------------------------------------------------------------------
MICRO=$WORKLOADS/micro
if [ ! -d "$MICRO" ]; then
    echo "== Eval: skipped ($MICRO not found; set NIXE_WORKLOADS)"
else
    check nx_eval_probe "$NIXE" --eval -E 1
    if [ "$RC" -eq 0 ]; then NIXE_EVAL=1; else NIXE_EVAL=; fi
    stack_note="default stack limit ($(ulimit -s) KB)"
    if [ "$STACK_KB" != keep ]; then
        if ulimit -s "$STACK_KB" 2>/dev/null; then
            stack_note="stack limit raised to $STACK_KB KB (ulimit -s)"
        else
            stack_note="could not raise stack limit to $STACK_KB KB; using $(ulimit -s) KB"
        fi
    fi
    echo "== Eval: nix-instantiate --eval --strict X.nix  vs  nixe --eval --strict X.nix  vs  lua5.4 X.lua"
    echo "   $MICRO"
    echo "   $stack_note; wall = median wall clock (+- relative stddev), cpu = mean user+sys, peak = max RSS;"
    echo "   ratios = nix-instantiate / other (wall, mem)"
    rule
    EFMT='%-8s | %-37s | %-47s | %s\n'
    printf "$EFMT" workload "$(printf '%-9s %-6s %-9s %10s' "nix wall" "" cpu peak)" \
        "$(printf '%-9s %-9s %10s %6s %6s' "nixe wall" cpu peak wall mem)" \
        "$(printf '%-9s %-9s %10s %6s %6s' "lua wall" cpu peak wall mem)"
    rule
    # other_col T CPU MEM  — "wall cpu peak ratio ratio" against the nix-instantiate row
    other_col() {
        printf '%-9s %-9s %10s %6s %6s' "$(fmt_ms "$1")$T_MARK" "$(fmt_ms "$2")" "$(fmt_mb "$3")" \
            "$(ratio "$ni_t" "$1")" "$(ratio "$ni_mem" "$3")"
    }
    for f in "$MICRO"/*.nix; do
        [ -f "$f" ] || continue
        w=$(basename "$f" .nix)
        check "ni_eval_$w" "$NIX_INSTANTIATE" --eval --strict "$f"
        ni_rc=$RC ni_mem=$MEM_KB ni_t='' ni_sd='' ni_cpu=''
        if [ "$ni_rc" -eq 0 ]; then
            timed "ni_eval_$w" "$EVAL_RUNS" 0 "$NIX_INSTANTIATE" --eval --strict "$f"
            ni_t=$T_MED ni_sd=$T_SD ni_cpu=$T_CPU
            ni_col=$(printf '%-9s %-6s %-9s %10s' "$(fmt_ms "$ni_t")$T_MARK" "$(rel_sd "$ni_t" "$ni_sd")" \
                "$(fmt_ms "$ni_cpu")" "$(fmt_mb "$ni_mem")")
        else
            ni_col=$(fail_text "$ni_rc" "ni_eval_$w")
        fi
        if [ -n "$NIXE_EVAL" ]; then
            check "nx_eval_$w" "$NIXE" --eval --strict "$f"
            nx_rc=$RC nx_mem=$MEM_KB
            if [ "$nx_rc" -eq 0 ]; then
                timed "nx_eval_$w" "$EVAL_RUNS" 0 "$NIXE" --eval --strict "$f"
                nx_col=$(other_col "$T_MED" "$T_CPU" "$nx_mem")
                if [ "$ni_rc" -eq 0 ] && ! cmp -s "$OUT/ni_eval_$w.out" "$OUT/nx_eval_$w.out"; then
                    nx_col="$nx_col RESULT DIFFERS from nix-instantiate's"
                fi
            else
                nx_col=$(fail_text "$nx_rc" "nx_eval_$w")
            fi
        else
            nx_col="nixe: evaluation not implemented yet"
        fi
        lua_col="-"
        if [ -n "$LUA" ] && [ -f "$MICRO/$w.lua" ]; then
            check "lua_$w" "$LUA" "$MICRO/$w.lua"
            if [ "$RC" -eq 0 ]; then
                lua_mem=$MEM_KB
                timed "lua_$w" "$EVAL_RUNS" 0 "$LUA" "$MICRO/$w.lua"
                lua_col=$(other_col "$T_MED" "$T_CPU" "$lua_mem")
            else
                lua_col=$(fail_text "$RC" "lua_$w")
            fi
        fi
        printf "$EFMT" "$w" "$ni_col" "$nx_col" "$lua_col"
    done
    rule
    [ -z "$NIXE_EVAL" ] && echo "   (nixe --eval -E 1 failed, so nixe was not timed: the rows above are the baselines)"
fi
[ -n "$SLOW_USED" ] && echo "   * one run only: its first run took longer than $SLOW s (NIXE_BENCH_SLOW)"
echo

# ---- nixpkgs --------------------------------------------------------------------------------
# Real evaluations from $WORKLOADS/nixpkgs against the NIXPKGS tree (it must
# be the 16.09pre snapshot those files are written for): the same command
# for both evaluators (nix-instantiate in --readonly-mode, so nothing is
# written to a store), the result compared byte for byte.
NPW=$WORKLOADS/nixpkgs
if [ -z "$NIXPKGS" ] || [ ! -d "$NPW" ]; then
    echo "== nixpkgs: skipped (run with NIXPKGS=<nixpkgs 16.09pre tree>; needs $NPW)"
else
    echo "== nixpkgs: nix-instantiate --readonly-mode --eval W  vs  nixe --eval W   ($NPW, NIXPKGS=$NIXPKGS)"
    echo "   wall = median wall clock, cpu = mean user+sys, peak = max RSS; ratios = nix-instantiate / nixe"
    rule
    NFMT='%-22s | %-9s %-9s %10s | %-9s %-9s %10s | %6s %6s %6s | %s\n'
    printf "$NFMT" workload "nix wall" cpu peak "nixe wall" cpu peak wall cpu mem result
    rule
    # name|file|extra arguments (word-split; paths have no spaces)
    while IFS='|' read -r name file extra; do
        [ -f "$NPW/$file" ] || continue
        # shellcheck disable=SC2086
        set -- "$NPW/$file" --arg nixpkgs "$NIXPKGS" $extra
        check "np_ni_$name" "$NIX_INSTANTIATE" --readonly-mode --eval "$@"
        ni_rc=$RC ni_mem=$MEM_KB
        check "np_nx_$name" "$NIXE" --eval "$@"
        nx_rc=$RC nx_mem=$MEM_KB
        if [ "$ni_rc" -ne 0 ] || [ "$nx_rc" -ne 0 ]; then
            printf "$NFMT" "$name" - - - - - - - - - "failed: nix-instantiate exit $ni_rc, nixe exit $nx_rc"
            continue
        fi
        timed "np_ni_$name" "$EVAL_RUNS" 0 "$NIX_INSTANTIATE" --readonly-mode --eval "$@"
        ni_t=$T_MED ni_cpu=$T_CPU
        timed "np_nx_$name" "$EVAL_RUNS" 0 "$NIXE" --eval "$@"
        nx_t=$T_MED nx_cpu=$T_CPU
        same=identical
        cmp -s "$OUT/np_ni_$name.out" "$OUT/np_nx_$name.out" || same="DIFFERS"
        printf "$NFMT" "$name" "$(fmt_ms "$ni_t")" "$(fmt_ms "$ni_cpu")" "$(fmt_mb "$ni_mem")" \
            "$(fmt_ms "$nx_t")" "$(fmt_ms "$nx_cpu")" "$(fmt_mb "$nx_mem")" \
            "$(ratio "$ni_t" "$nx_t")" "$(ratio "$ni_cpu" "$nx_cpu")" "$(ratio "$ni_mem" "$nx_mem")" "$same"
    done <<EOF2
hello|hello.nix|
nixos-small|nixos-toplevel.nix|--arg configuration $NPW/nixos-small.nix
nixos-server|nixos-toplevel.nix|--arg configuration $NPW/nixos-server.nix
EOF2
    rule
fi
echo

# ---- machine -------------------------------------------------------------------------------
echo "== Machine and versions"
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
echo "  cpu:             ${cpu:-unknown} ($(nproc 2>/dev/null || echo '?') CPUs online)"
mem=$(awk '/^MemTotal:/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
echo "  memory:          ${mem:-unknown}"
echo "  load average:    $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
echo "  kernel:          $(uname -sr)"
commit=$(cd "$srcdir" && git rev-parse --short HEAD 2>/dev/null) || commit=
if [ -n "$commit" ]; then
    dirty=$(cd "$srcdir" && git status --porcelain --untracked-files=no 2>/dev/null | head -n 1)
    commit="$commit${dirty:+ (with uncommitted changes)}"
fi
echo "  nixe:            $("$NIXE" --version 2>/dev/null | head -n 1), commit ${commit:-unknown (not a git checkout or no commits)}"
echo "  nix-instantiate: $("$NIX_INSTANTIATE" --version 2>/dev/null | head -n 1)"
[ -n "$HYPERFINE" ] && echo "  hyperfine:       $(hyperfine --version 2>/dev/null)"
[ -n "$LUA" ] && echo "  lua:             $($LUA -v 2>&1 | head -n 1)"
if [ -n "$NIXPKGS" ]; then
    ver=$(cat "$NIXPKGS/.version" 2>/dev/null || true)
    echo "  nixpkgs:         $NIXPKGS${ver:+ (.version $ver)}"
fi
exit 0
