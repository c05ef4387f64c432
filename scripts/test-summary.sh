#!/bin/sh
# test-summary.sh [BUILD_DIR [MAKE_STATUS]] — counts the results automake's
# test harness recorded (*.trs) and prints failures and the line "N passed,
# N failed".  A non-zero MAKE_STATUS (make check's exit status) with no
# failed test means make check failed outside the tests (a build error):
# that counts as one failure.
dir=${1:-.}
make_status=${2:-0}
trs=$(find "$dir/tests" -name '*.trs' 2>/dev/null)
if [ -z "$trs" ]; then
    echo "no test results found under $dir/tests"
    echo "0 passed, 1 failed"
    exit 1
fi
# Show what failed, with the log excerpt that explains it.
for t in $trs; do
    if grep -qE '^:test-result: (FAIL|ERROR|XPASS)' "$t"; then
        log=${t%.trs}.log
        echo "--- failures in ${log#$dir/}:"
        grep -E '^(not ok|ERROR|#)' "$log" | head -40
    fi
done
# Known failures (XFAIL) count neither as passed nor as failed; they are
# listed so they stay visible.
# shellcheck disable=SC2086
xf=$(cat $trs | grep -c '^:test-result: XFAIL')
if [ "$xf" -gt 0 ]; then
    echo "--- $xf known failures (tests/lang/known-failures.txt):"
    for t in $trs; do grep -h '^not ok .* # TODO' "${t%.trs}.log" 2>/dev/null | sed 's/^not ok [0-9]* - /  /'; done
fi
# shellcheck disable=SC2086
cat $trs | awk '
    /^:test-result: PASS/ { pass++ }
    /^:test-result: (FAIL|ERROR|XPASS)/ { fail++ }
    /^:test-result: SKIP/ { skip++ }
    END {
        # Skips are differential-test files whose difference is a listed,
        # intended one (tests/difftest/*known-differences.txt).
        if (skip) printf "(%d skipped as known differences from Nix 2.8)\n", skip
        if (ms != 0 && fail == 0) { print "make check failed outside the tests (see its output)"; fail = 1 }
        printf "%d passed, %d failed\n", pass, fail; exit fail > 0 }' ms="$make_status"
