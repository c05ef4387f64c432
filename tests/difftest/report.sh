# report.sh — the second half of parse-diff.sh and eval-diff.sh, sourced
# by both after their workers ran: matches each difference against the
# known-differences file and prints TAP.  Uses tmp, res, corpus, KNOWN and
# SEED from the caller, plus DIFF_NAME (the summary's prefix), DIFF_GEN
# (the generator to reproduce a file with) and DIFF_LABEL (non-empty: show
# the file's MANIFEST label on failures).

# ---------------------------------------------------------- known differences
# $KNOWN: PATTERN<TAB>REASON per line, # comments, blank lines
patterns=$tmp/patterns
known=$tmp/known
: >"$patterns"
: >"$known"
if [ -f "$KNOWN" ]; then
    grep -v -E '^[[:space:]]*(#|$)' "$KNOWN" >"$known"
    cut -f 1 "$known" >"$patterns"
fi

# -------------------------------------------------------------------- report
n=$(wc -l <"$tmp/list")
n=$((n + 0))
echo "1..$n"
i=0
pass=0
fail=0
skip=0
while read -r f; do
    i=$((i + 1))
    r=$res/$f.result
    first=
    [ -f "$r" ] && read -r first <"$r"
    if [ "$first" = ok ]; then
        echo "ok $i - $f"
        pass=$((pass + 1))
        continue
    fi
    if [ ! -f "$r" ]; then
        echo "no result (the run was interrupted?)" >"$r"
    fi
    if [ -s "$patterns" ] && ! grep -q -v -E -f "$patterns" "$r"; then
        # every line of the difference is a known one
        reason=
        while IFS='	' read -r pat why; do
            if grep -q -E -e "$pat" "$r"; then
                reason=$why
                break
            fi
        done <"$known"
        echo "ok $i - $f # SKIP known difference: $reason"
        skip=$((skip + 1))
        continue
    fi
    label=
    [ -n "$DIFF_LABEL" ] && label=" ($(grep -m 1 "^$f " "$corpus/MANIFEST" | cut -d ' ' -f 2))"
    echo "not ok $i - $f$label"
    cat -v "$r" | sed 's/^/# /'
    echo "# input (cat -v, at most 40 lines):"
    cat -v "$corpus/$f" | awk 'NR <= 40 { print "#   " $0 }'
    echo "# reproduce: python3 tests/difftest/$DIFF_GEN --seed $SEED --start ${f%.nix} --count 1 --out DIR"
    fail=$((fail + 1))
done <"$tmp/list"

if [ "$fail" -gt 0 ] || [ "${KEEP_TMP:-0}" = 1 ]; then
    echo "# files and outputs kept in $tmp"
else
    rm -rf "$tmp"
fi
echo "$DIFF_NAME: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
