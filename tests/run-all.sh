#!/usr/bin/env bash
# run-all.sh — what `make test` runs: the unit tests (build/unit/*), bad-input
# tests, real programs, rr-query's tests, the views (decoding against strace, progress), the record/replay tests of every
# tracee program (a few again as a PVM guest makes rrdb work), chaos recording, rr-diff's and the nested tests, gdb on a replay, with one closing line
# `N passed, M failed, K skipped` over all of them (skipped: known gaps and
# tests a missing tool rules out). `make unit` runs it with --unit: the unit
# tests only.
#
# usage: tests/run-all.sh [--unit] [BUILD]     (BUILD default: build)
set -u
RUNNER=run-all.sh
# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
units_only=0
[[ ${1:-} == --unit ]] && { units_only=1; shift; }
build=${1:-build}

# count LOG NAME: add the "N passed, M failed[, K skipped]" line of a runner's
# output to the totals; a runner that printed none failed.
count() {
    local line
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
    if [[ -z $line ]]; then
        fail "$2" "no summary line"
        return
    fi
    local re='^([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?'
    [[ $line =~ $re ]]
    passed=$((passed + BASH_REMATCH[1]))
    failed=$((failed + BASH_REMATCH[2]))
    skipped=$((skipped + ${BASH_REMATCH[4]:-0}))
}

log=$(mktemp) || die "mktemp failed"
trap 'rm -f "$log"' EXIT
for unit in "$build"/unit/*; do
    [[ -f $unit && -x $unit ]] || continue
    "$unit" >"$log" 2>&1
    grep -E '^(PASS|FAIL)|^    ' "$log"
    count "$log" "$(basename "$unit")"
done
# runner NAME SCRIPT [ARG]: run one of the test runners, show its verdict lines.
runner() {
    bash "$2" "$build/bin" "${@:3}" >"$log" 2>&1
    grep -E '^(PASS|FAIL|XFAIL|SKIP)|^    ' "$log"
    count "$log" "$1"
}
if [[ $units_only == 0 ]]; then
    runner bad-input tests/bad-input.sh
    runner integrity tests/integrity-tests.sh
    runner corrupt-traces tests/corrupt-traces.sh
    runner real-programs tests/real-programs.sh
    runner rr-query tests/query-tests.sh
    runner views tests/view-tests.sh
    # run-tests.sh builds tests/progs into build/tests, which the rr-diff and
    # nested runners record under rr-replay: it comes first.
    runner record-replay tests/run-tests.sh
    # What a PVM guest makes rrdb do (rdtsc that PR_SET_TSC cannot trap
    # rewritten to hlt; hardware breakpoints that never fire replaced by an
    # int3), forced for the programs that take those paths, on any machine.
    RRDB_PATCH_RDTSC=1 RRDB_SOFT_BREAKPOINTS=1 runner record-replay-as-pvm tests/run-tests.sh \
        '^(rdtsc|rdtscp|cpu_traps_own|landmark_.*|threads_count_preempt|mmap_past_eof|sig_alarm_spin|exec_echo)$'
    runner chaos tests/chaos-tests.sh
    runner rr-diff tests/diff-tests.sh
    runner nested tests/nested-tests.sh
    runner gdb tests/gdb-tests.sh
fi
summary
