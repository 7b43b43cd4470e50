#!/usr/bin/env bash
# chaos-tests.sh — tests of chaos recording (rr-record --chaos[=SEED],
# tools/rr-record/chaos.c): a racy counter (tests/progs/racy_counter.c, two
# threads adding without a lock) loses an update within 20 chaos recordings,
# and that trace replays to the same wrong total; the seed is in the trace's
# meta; threaded programs of tests/progs recorded with --chaos replay as
# recorded; a bad seed is one line and exit 2.
#
# usage: tests/chaos-tests.sh [BINDIR]     (default: build/bin)
# Output: "PASS name" or "FAIL name: why" per test, then exactly
# "N passed, M failed, K skipped". Exit status 0 only when nothing failed.

set -u
RUNNER=chaos-tests.sh
# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lib_tools "${1:-$ROOT/build/bin}"

OUTDIR=$ROOT/build/tests
THREADED=(racy_counter threads_mutex threads_condvar cond_broadcast threads_spin_flag threads_count_preempt
          writers_mixed pipe_between)
for prog in "${THREADED[@]}"; do
    build_prog "tests/progs/$prog.c" "$OUTDIR" || die "cannot compile tests/progs/$prog.c"
done
scratch chaos-tests
mkdir -p "$SCRATCH/cwd"

expected_total=100000000
lost=""
for attempt in $(seq 1 20); do
    trace=$SCRATCH/racy.$attempt
    (cd "$SCRATCH/cwd" && timeout "$TIMEOUT" "$RECORD" --chaos -o "$trace" "$OUTDIR/racy_counter" \
        >"$trace.out" 2>"$trace.err" </dev/null) || { fail racy_counter_loses_an_update "recording failed" "$trace.err"; break; }
    total=$(sed -n 's/^total \([0-9]*\) of.*/\1/p' "$trace.out")
    if [[ -n $total && $total -lt $expected_total ]]; then
        lost=$trace
        break
    fi
done
if [[ -n $lost ]]; then
    pass racy_counter_loses_an_update "recording $attempt: $(cat "$lost.out")"
    seed=$(sqlite3 -readonly "$lost" "select value from meta where key = 'chaos_seed'")
    [[ $seed =~ ^[0-9]+$ ]] && grep -q "chaos seed $seed\$" "$lost.err" && pass seed_in_meta_and_summary ||
        fail seed_in_meta_and_summary "meta chaos_seed '$seed'" "$lost.err"
    if (cd "$SCRATCH/cwd" && timeout "$TIMEOUT" "$REPLAY" "$lost" >"$lost.rep.out" 2>"$lost.rep.err" </dev/null) &&
        cmp -s "$lost.out" "$lost.rep.out"; then
        pass lost_update_replays "$(cat "$lost.rep.out")"
    else
        fail lost_update_replays "the replay did not print the recorded total" "$lost.rep.err"
    fi
elif [[ $failed == 0 ]]; then
    fail racy_counter_loses_an_update "20 chaos recordings, every total $expected_total"
fi

for prog in "${THREADED[@]:1}"; do
    record_replay "chaos_$prog" "$SCRATCH/$prog.trace" "$SCRATCH/cwd" --chaos "$OUTDIR/$prog" &&
        pass "chaos_$prog"
done

(cd "$SCRATCH/cwd" && "$RECORD" --chaos=7 -o "$SCRATCH/seeded" "$OUTDIR/threads_mutex" >/dev/null 2>&1)
[[ $(sqlite3 -readonly "$SCRATCH/seeded" "select value from meta where key = 'chaos_seed'" 2>/dev/null) == 7 ]] &&
    pass seed_given || fail seed_given "meta chaos_seed is not 7"

if expect_error bad_seed rr-record "seed 'many' is not a number" "$RECORD" --chaos=many -o "$SCRATCH/bad" true; then
    [[ $STATUS == 2 ]] && pass bad_seed || fail bad_seed "exit $STATUS, expected 2"
fi
summary
