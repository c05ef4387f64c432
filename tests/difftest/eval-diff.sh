#!/bin/sh
# Differential test of the evaluator: nixe --eval --strict against
# nix-instantiate --eval --strict.
#
#   tests/difftest/eval-diff.sh NIXE_BINARY [SEED] [COUNT]
#
# Generates COUNT random closed Nix expressions (tests/difftest/gen-eval.py,
# deterministic for a SEED), evaluates each with
# `nix-instantiate --eval --strict` and `NIXE_BINARY --eval --strict`, and
# prints TAP: `ok N - FILE` when both agree, `not ok N - FILE` with the
# differences as `#` comments otherwise.  They agree when
#   * the exit statuses are equal,
#   * and, if the reference succeeded, stdout is byte for byte equal.
# When the reference fails only the exit status is compared (error messages
# and positions are checked by tests/eval.test, against modern Nix).
# A difference whose every line is matched by a pattern of
# eval-known-differences.txt (see that file) is reported as
# `ok N - FILE # SKIP known difference: REASON`.
#
# Environment:
#   NIX_INSTANTIATE  reference binary (default: nix-instantiate)
#   JOBS             parallel jobs (default: number of CPUs, at least 2)
#   EVAL_DIFF_TIMEOUT  seconds allowed per run of each program (default: 20)
#   KNOWN_DIFFERENCES  file of known differences (default: eval-known-differences.txt
#                      next to this script)
#   KEEP_TMP=1       keep the generated files (they are kept anyway when a test fails)
#
# Defaults: SEED 1, COUNT 1200 (25-50 s on 2 cores: each file costs
# one nix-instantiate start, ~30-40 ms).  The last line is
# `eval-diff: N passed, N failed, N skipped`; the exit status is 1 if a test
# failed.

set -u

if [ $# -lt 1 ] || [ $# -gt 3 ]; then
    echo "usage: $0 NIXE_BINARY [SEED] [COUNT]" >&2
    exit 2
fi

here=$(cd "$(dirname "$0")" && pwd -P)
NIXE=$1
SEED=${2:-1}
COUNT=${3:-1200}
NIX=${NIX_INSTANTIATE:-nix-instantiate}
T=${EVAL_DIFF_TIMEOUT:-20}
KNOWN=${KNOWN_DIFFERENCES:-$here/eval-known-differences.txt}
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

tmp=$(mktemp -d "${TMPDIR:-/tmp}/eval-diff.XXXXXX") || exit 2
corpus=$tmp/corpus
res=$tmp/results
mkdir -p "$corpus" "$res" "$tmp/home"

if ! python3 "$here/gen-eval.py" --seed "$SEED" --count "$COUNT" --out "$corpus"; then
    echo "Bail out! gen-eval.py failed"
    rm -rf "$tmp"
    exit 2
fi

# ---------------------------------------------------------------- run both
# Each worker runs both programs on its files and writes FILE.result:
# the single line "ok", or the lines describing the differences:
#   status: nix=0 nixe=1
#   message nix : error: ...     (the first "error: MSG" line of stderr of the
#   message nixe: error: ...      side that failed, below the trace if any,
#                                 only when the exit statuses differ)
#   stdout nix : ...             (only when both succeeded)
#   stdout nixe: ...
# shellcheck disable=SC2016  # expanded by the worker's shell
worker='
for f; do
    o=$RES/$f
    HOME=$HOMEDIR NIX_PATH= timeout "$T" "$NIX" --eval --strict "$CORPUS/$f" >"$o.nix.out" 2>"$o.nix.err"
    r1=$?
    HOME=$HOMEDIR timeout "$T" "$NIXE" --eval --strict "$CORPUS/$f" >"$o.nixe.out" 2>"$o.nixe.err"
    r2=$?
    {
        if [ "$r1" != "$r2" ]; then
            echo "status: nix=$r1 nixe=$r2"
            [ "$r1" = 0 ] || printf "message nix : %s\n" "$(grep -a -E -m 1 "^ *error: ." "$o.nix.err" | sed "s/^ *//")"
            [ "$r2" = 0 ] || printf "message nixe: %s\n" "$(grep -a -E -m 1 "^ *error: ." "$o.nixe.err" | sed "s/^ *//")"
        elif [ "$r1" = 0 ] && ! cmp -s "$o.nix.out" "$o.nixe.out"; then
            sed -n "1,20s/^/stdout nix : /p" "$o.nix.out"
            sed -n "1,20s/^/stdout nixe: /p" "$o.nixe.out"
        fi
    } >"$o.result"
    [ -s "$o.result" ] || echo ok >"$o.result"
done
'
export NIX NIXE T HOMEDIR="$tmp/home" CORPUS="$corpus" RES="$res"
cut -d ' ' -f 1 "$corpus/MANIFEST" >"$tmp/list"
xargs -P "$JOBS" -n 25 sh -c "$worker" sh <"$tmp/list"

DIFF_NAME=eval-diff DIFF_GEN=gen-eval.py DIFF_LABEL=1
. "$here/report.sh"
