#!/usr/bin/env bash
# run-all.sh — what `make test` runs: libtrace unit tests, bad-input tests and
# the record/replay tests of every tracee program, with one closing line
# `N passed, M failed, K skipped` over all of them (skipped: known gaps).
set -u
build=${1:-build}
passed=0 failed=0 skipped=0

count() { # add the "N passed, M failed" line of a runner's output to the totals
    local line
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
    if [ -z "$line" ]; then
        echo "FAIL $2: no summary line"; failed=$((failed + 1)); return
    fi
    passed=$((passed + $(echo "$line" | cut -d' ' -f1)))
    failed=$((failed + $(echo "$line" | cut -d' ' -f3)))
    local skip
    skip=$(echo "$line" | sed -n 's/.* \([0-9]*\) skipped$/\1/p')
    skipped=$((skipped + ${skip:-0}))
}

log=$(mktemp)
trap 'rm -f "$log"' EXIT
for unit in "$build"/unit/*; do
    [ -x "$unit" ] || continue
    "$unit" > "$log" 2>&1
    grep -E '^(PASS|FAIL)' "$log"
    count "$log" "$(basename "$unit")"
done
# runner NAME SCRIPT: run one of the test runners, show its verdict lines.
runner() {
    bash "$2" "$build/bin" > "$log" 2>&1
    grep -E '^(PASS|FAIL|XFAIL)|^    ' "$log"
    count "$log" "$1"
}
runner bad-input tests/bad-input.sh
runner real-programs tests/real-programs.sh
runner rr-query tests/query-tests.sh
# run-tests.sh builds tests/progs into build/tests, which the rr-diff and
# nested runners record under rr-replay: it comes first.
runner record-replay tests/run-tests.sh
runner rr-diff tests/diff-tests.sh
runner nested tests/nested-tests.sh
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
