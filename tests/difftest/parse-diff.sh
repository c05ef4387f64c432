#!/bin/sh
# Differential test of the parser: nixe --parse against nix-instantiate --parse.
#
#   tests/difftest/parse-diff.sh NIXE_BINARY [SEED] [COUNT]
#
# Generates COUNT random Nix files (tests/difftest/gen-parse.py, deterministic
# for a SEED), runs `nix-instantiate --parse` and `NIXE_BINARY --parse` on
# each, and prints TAP: `ok N - FILE` when both agree, `not ok N - FILE` with
# the differences as `#` comments otherwise.  They agree when
#   * the exit statuses are equal,
#   * stdout is byte for byte equal,
#   * and, if the reference failed, the first line of stderr (`error: ...`)
#     and the first `at FILE:LINE:COL:` line are equal (the code snippet
#     below them is not compared).
# A difference whose every line is matched by a pattern of
# known-differences.txt (see that file) is reported as
# `ok N - FILE # SKIP known difference: REASON`.
#
# Environment:
#   NIX_INSTANTIATE  reference binary (default: nix-instantiate)
#   JOBS             parallel jobs (default: number of CPUs, at least 2)
#   PARSE_DIFF_TIMEOUT  seconds allowed per run of NIXE_BINARY (default: 20)
#   KNOWN_DIFFERENCES   file of known differences (default: next to this script)
#   KEEP_TMP=1       keep the generated files (they are kept anyway when a test fails)
#
# Defaults: SEED 1, COUNT 2000 (about a minute on 2 cores: nix-instantiate
# starts in ~30 ms).  The last line is `parse-diff: N passed, N failed, N skipped`;
# the exit status is 1 if a test failed.

set -u

if [ $# -lt 1 ] || [ $# -gt 3 ]; then
    echo "usage: $0 NIXE_BINARY [SEED] [COUNT]" >&2
    exit 2
fi

here=$(cd "$(dirname "$0")" && pwd -P)
NIXE=$1
SEED=${2:-1}
COUNT=${3:-2000}
NIX=${NIX_INSTANTIATE:-nix-instantiate}
T=${PARSE_DIFF_TIMEOUT:-20}
KNOWN=${KNOWN_DIFFERENCES:-$here/known-differences.txt}
if [ -z "${JOBS:-}" ]; then
    JOBS=$(nproc 2>/dev/null || echo 2)
    [ "$JOBS" -ge 2 ] 2>/dev/null || JOBS=2
fi

case $SEED in ''|*[!0-9]*) echo "$0: SEED must be a number" >&2; exit 2 ;; esac
case $COUNT in ''|*[!0-9]*) echo "$0: COUNT must be a number" >&2; exit 2 ;; esac

# a binary given with a relative path must still work after cd
case $NIXE in
    */*) NIXE=$(cd "$(dirname "$NIXE")" && pwd -P)/$(basename "$NIXE") ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/parse-diff.XXXXXX") || exit 2
corpus=$tmp/corpus
res=$tmp/results
mkdir -p "$corpus" "$res" "$tmp/home"

if ! python3 "$here/gen-parse.py" --seed "$SEED" --count "$COUNT" --out "$corpus"; then
    echo "Bail out! gen-parse.py failed"
    rm -rf "$tmp"
    exit 2
fi

# ---------------------------------------------------------------- run both
# Each worker runs both programs on its files and writes FILE.result:
# the single line "ok", or the lines describing the differences.
# shellcheck disable=SC2016  # expanded by the worker's shell
worker='
for f; do
    o=$RES/$f
    HOME=$HOMEDIR "$NIX" --parse "$CORPUS/$f" >"$o.nix.out" 2>"$o.nix.err"
    r1=$?
    HOME=$HOMEDIR timeout "$T" "$NIXE" --parse "$CORPUS/$f" >"$o.nixe.out" 2>"$o.nixe.err"
    r2=$?
    {
        [ "$r1" = "$r2" ] || echo "status: nix=$r1 nixe=$r2"
        if ! cmp -s "$o.nix.out" "$o.nixe.out"; then
            sed -n "1,20s/^/stdout nix : /p" "$o.nix.out"
            sed -n "1,20s/^/stdout nixe: /p" "$o.nixe.out"
        fi
        if [ "$r1" != 0 ]; then
            m1=$(head -n 1 "$o.nix.err")
            m2=$(head -n 1 "$o.nixe.err")
            if [ "$m1" != "$m2" ]; then
                printf "message nix : %s\n" "$m1"
                printf "message nixe: %s\n" "$m2"
            fi
            a1=$(sed -n "2,\$p" "$o.nix.err" | grep -a -m 1 -E "^[[:space:]]*at ")
            a2=$(sed -n "2,\$p" "$o.nixe.err" | grep -a -m 1 -E "^[[:space:]]*at ")
            if [ "$a1" != "$a2" ]; then
                printf "position nix : %s\n" "$a1"
                printf "position nixe: %s\n" "$a2"
            fi
        fi
    } >"$o.result"
    [ -s "$o.result" ] || echo ok >"$o.result"
done
'
export NIX NIXE T HOMEDIR="$tmp/home" CORPUS="$corpus" RES="$res"
cut -d ' ' -f 1 "$corpus/MANIFEST" >"$tmp/list"
xargs -P "$JOBS" -n 25 sh -c "$worker" sh <"$tmp/list"

DIFF_NAME=parse-diff DIFF_GEN=gen-parse.py DIFF_LABEL=
. "$here/report.sh"
