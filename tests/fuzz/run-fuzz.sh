#!/usr/bin/env bash
# run-fuzz.sh — runs each libFuzzer target for a set time (`make fuzz`, and
# .ci/run with 30 s each).
#
# usage: tests/fuzz/run-fuzz.sh FUZZ_DIR SECONDS TARGET…
#
# Each target starts from its checked-in seeds (tests/fuzz/corpus/TARGET/)
# and the inputs earlier runs kept (FUZZ_DIR/corpus/TARGET/, where new ones
# go). A crash, a sanitizer report, a leak or an input slower than 10 s stops
# the target; the input is saved as FUZZ_DIR/crashes/TARGET-… and named.
# Output: one line per target (runs, corpus size, verdict), then
# "N targets, M failed". Exit status 0 only when no target found anything.

set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[[ $# -ge 3 ]] || { echo "usage: run-fuzz.sh FUZZ_DIR SECONDS TARGET..." >&2; exit 2; }
DIR=$1 SECONDS_EACH=$2
shift 2
[[ $SECONDS_EACH =~ ^[0-9]+$ && $SECONDS_EACH -gt 0 ]] || { echo "run-fuzz.sh: bad SECONDS '$SECONDS_EACH'" >&2; exit 2; }
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}:abort_on_error=1
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}:halt_on_error=1
failed=0
for target in "$@"; do
    bin=$DIR/$target seeds=$ROOT/tests/fuzz/corpus/$target
    [[ -x $bin ]] || { echo "run-fuzz.sh: not built: $bin" >&2; exit 2; }
    mkdir -p "$DIR/corpus/$target" "$DIR/crashes" "$seeds"
    log=$DIR/$target.log
    "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
        -artifact_prefix="$DIR/crashes/$target-" "$DIR/corpus/$target" "$seeds" >"$log" 2>&1
    status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    corpus=$(find "$DIR/corpus/$target" -type f | wc -l)
    if [[ $status == 0 ]]; then
        echo "PASS $target: ${runs:-?} runs in ${SECONDS_EACH} s, corpus $corpus inputs"
    else
        artifact=$(grep -o "Test unit written to [^ ]*" "$log" | tail -1 | cut -d' ' -f5)
        echo "FAIL $target: $(grep -m1 -E 'ERROR: |runtime error|deadly signal|timeout' "$log") — input ${artifact:-?}, log $log"
        failed=$((failed + 1))
    fi
done
echo "$# targets, $failed failed"
[[ $failed == 0 ]]
