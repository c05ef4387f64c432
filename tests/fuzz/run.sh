#!/bin/sh
# run.sh SECONDS BUILDDIR SRCDIR [TARGETS] — runs each fuzzer (default
# fuzz_parse and fuzz_eval, one after the other)
# for SECONDS seconds from the seed corpus tests/fuzz/corpus/TARGET, nice'd
# and bounded by timeout.  New inputs go to BUILDDIR/corpus-TARGET (not
# committed); a crash, leak or timeout writes BUILDDIR/crash-* etc. and
# makes the script fail.  Prints each fuzzer's last status line (execs).
secs=${1:-60}
build=${2:-tests/fuzz}
src=${3:-tests/fuzz}
targets=${4:-fuzz_parse fuzz_eval}
# The front end recurses over the tree: a 1 GiB stack for the fuzzers,
# which run each input on the main thread.
ulimit -s 1048576 2>/dev/null || ulimit -s unlimited 2>/dev/null
status=0
for t in $targets; do
    work="$build/corpus-$t"
    mkdir -p "$work"
    echo "fuzz: $t for ${secs}s (corpus $src/corpus/$t, new inputs in $work)"
    # -timeout: an input running longer than 10 s is a hang; the
    # evaluator's own budget stops well-behaved inputs far sooner.
    # Leak detection is off while fuzzing (every input compiles code,
    # which is never freed, so LeakSanitizer would scan the heap after
    # each one: three times slower) and on in a second pass that runs
    # every corpus input once (-runs=0).
    LSAN_OPTIONS="suppressions=$src/lsan.supp:print_suppressions=0" \
    ASAN_OPTIONS="allocator_may_return_null=0:detect_stack_use_after_return=0" \
    NIX_PATH= HOME=/nonexistent \
        timeout -k 10 $((secs + 60)) nice "$build/$t" -max_total_time="$secs" -timeout=10 -detect_leaks=0 \
        -rss_limit_mb=2560 -malloc_limit_mb=1024 -max_len=4096 -print_final_stats=1 \
        -artifact_prefix="$build/" "$work" "$src/corpus/$t" </dev/null >"$build/$t.log" 2>&1 &&
    LSAN_OPTIONS="suppressions=$src/lsan.supp:print_suppressions=0" \
    NIX_PATH= HOME=/nonexistent \
        timeout -k 10 $((secs + 600)) nice "$build/$t" -runs=0 -timeout=10 -detect_leaks=1 \
        -rss_limit_mb=2560 -malloc_limit_mb=1024 -artifact_prefix="$build/" \
        "$work" "$src/corpus/$t" </dev/null >"$build/$t-leaks.log" 2>&1
    rc=$?
    grep -E '^(stat::number_of_executed_units|#[0-9]+.*DONE)' "$build/$t.log" | tail -n 2
    if [ $rc -ne 0 ]; then
        echo "fuzz: $t FAILED (exit $rc): see $build/$t.log" >&2
        grep -hE 'ERROR|SUMMARY' "$build/$t.log" "$build/$t-leaks.log" 2>/dev/null | head -n 5 >&2
        status=1
    fi
done
exit $status
