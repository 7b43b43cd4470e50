#!/usr/bin/env bash
# Going back under gdb (issue 15): how long gdb's reverse-continue takes
# across a long stretch of a replay.
#
#   bash bench/gdb.sh [BUILD_DIR]        (`make bench` runs it)
#
# Workload: bench/progs/syscalls.c with 100000 getppid calls (about 100,040
# events). Under rr-replay --gdb, gdb breaks at libc's close (after the
# loop), sets a breakpoint at open (before it) and reverse-continues there:
# every event in between is crossed. The time is measured inside gdb (its
# python clock, around the command only), best of BENCH_RUNS (default 3);
# the events crossed are what `monitor event` says before and after. Any
# failed run aborts with status 1.
BENCH_NAME=bench/gdb
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
RUNS=${BENCH_RUNS:-3}
need_built rr-record rr-replay
need_commands gcc gdb

TMP=$(mktemp -d "${TMPDIR:-/tmp}/rrdb-bench-gdb.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$BUILD/bench"
gcc -O2 -Wall -Wextra -o "$BUILD/bench/syscalls" "$ROOT/bench/progs/syscalls.c" ||
    die "cannot compile bench/progs/syscalls.c"
"$REC" -o "$TMP/syscalls.trace" "$BUILD/bench/syscalls" 100000 </dev/null >/dev/null 2>"$TMP/record.err" ||
    die "cannot record bench/progs/syscalls: $(tail -n 1 "$TMP/record.err")"

# One gdb session: the seconds reverse-continue took, and the events before
# and after it, as "SECONDS FROM TO" in $RESULT.
session() {
    timeout -k 5 300 "$REP" --gdb "$TMP/syscalls.trace" -- -nx -batch -ex 'break close' -ex continue \
        -ex 'monitor event' -ex 'break open' -ex 'python import time; bench_t0 = time.time()' \
        -ex reverse-continue -ex 'python print("reverse-continue took %.3f s" % (time.time() - bench_t0))' \
        -ex 'monitor event' </dev/null >"$TMP/gdb.out" 2>&1 || die "rr-replay --gdb failed: $(tail -n 3 "$TMP/gdb.out")"
    local seconds from to
    seconds=$(sed -n 's/^reverse-continue took \([0-9.]*\) s$/\1/p' "$TMP/gdb.out")
    from=$(sed -n 's/^event \([0-9]*\), .*/\1/p' "$TMP/gdb.out" | head -n 1)
    to=$(sed -n 's/^event \([0-9]*\), .*/\1/p' "$TMP/gdb.out" | sed -n 2p)
    [[ -n $seconds && -n $from && -n $to ]] && grep -q '^Breakpoint 2, .*open' "$TMP/gdb.out" ||
        die "gdb did not reverse-continue to open: $(tail -n 5 "$TMP/gdb.out")"
    RESULT="$seconds $from $to"
}

best=
for (( i = 0; i < RUNS; i++ )); do
    echo "bench/gdb: reverse-continue, run $((i + 1)) of $RUNS ..." >&2
    session
    read -r seconds from to <<<"$RESULT"
    [ -z "$best" ] || awk -v a="$seconds" -v b="$best" 'BEGIN { exit !(a < b) }' && best=$seconds
done

echo
printf '%-16s | %14s | %9s\n' "gdb" "events crossed" "seconds"
printf -- '-----------------+----------------+----------\n'
printf '%-16s | %14d | %9.2f\n' "reverse-continue" $(( from - to )) "$best"
echo "note: rr-replay --gdb on bench/progs/syscalls 100000, from libc's close back to open; best of $RUNS"
