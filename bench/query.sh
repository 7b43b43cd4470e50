#!/usr/bin/env bash
# bench/query.sh — how fast rr-query answers on a trace of over 1,000,000
# events, and whether SQLite reads it through the indexes.
#
#   bash bench/query.sh [BUILD_DIR]       (default: build)
#
# The trace: rr-record records tests/query/q_getppid.c making BENCH_QUERY_CALLS
# (100000) getppid syscalls, with an open, a write and a close every tenth of
# the way; then, in a copy, SQL copies its syscall events 10 more times as 10
# more threads of the process (new tids, later seqs), which makes about 1.1
# million events of 11 threads. Synthesized, but every row is a real recorded
# syscall, and the process's address space (for symbols) is the recorded one.
#
# Figures, each the best of 3 runs, wall clock of the whole rr-query process
# (open, parse, compile, query, decode, symbolize, print):
#   first rows   `… | head -n 3` on the unlimited query: until its first rows
#                reached the reader (csv, so nothing waits for column widths)
#   limit 20     the query with `limit 20`
#   all          every row of the query, decoded, to /dev/null
# for `syscalls where tid=T` (one thread: ~100,000 rows) and
# `syscalls where name=openat` (sparse: ~110 rows spread over the trace), and
# the index each query's plan uses (rr-query --explain). Prints one line.
BENCH_NAME=bench/query.sh
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
QUERY=$BUILD/bin/rr-query
CALLS=${BENCH_QUERY_CALLS:-100000}
COPIES=10

need_built rr-record rr-query
need_commands gcc sqlite3

TMP=$(mktemp -d "${TMPDIR:-/tmp}/rrdb-bench-query.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

gcc -O2 -o "$TMP/q_getppid" "$ROOT/tests/query/q_getppid.c" || die "cannot compile q_getppid.c"
"$REC" -o "$TMP/recorded.trace" "$TMP/q_getppid" "$CALLS" > /dev/null 2> "$TMP/err" ||
    { cat "$TMP/err" >&2; die "rr-record failed"; }
cp "$TMP/recorded.trace" "$TMP/big.trace"
sqlite3 "$TMP/big.trace" <<EOF || die "cannot build the large trace"
BEGIN;
CREATE TEMP TABLE copies(k INTEGER);
WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < $COPIES)
INSERT INTO copies SELECT k FROM n;
CREATE TEMP TABLE base AS SELECT max(seq) + 1 AS span, min(tid) AS tid, (SELECT pid FROM task LIMIT 1) AS pid FROM event;
INSERT INTO event (seq, tid, kind, sysno, arg0, arg1, arg2, arg3, arg4, arg5, result, signo, sig_code,
                   sync, ip, regs, extra, data_hash)
  SELECT e.seq + c.k * b.span, e.tid + c.k, e.kind, e.sysno, e.arg0, e.arg1, e.arg2, e.arg3, e.arg4,
         e.arg5, e.result, e.signo, e.sig_code, e.sync, e.ip, e.regs, e.extra, e.data_hash
  FROM event e, copies c, base b WHERE e.kind = 1;
INSERT INTO task (tid, pid, ppid, first_seq, last_seq, command, exit_kind, exit_value)
  SELECT b.tid + c.k, b.pid, b.pid, c.k * b.span, (c.k + 1) * b.span - 1, 'thread copy', 'exited', 0
  FROM copies c, base b;
COMMIT;
EOF
EVENTS=$(sqlite3 "$TMP/big.trace" 'select count(*) from event')
TID=$(sqlite3 "$TMP/big.trace" 'select min(tid) + 5 from event')
[ "$EVENTS" -ge 1000000 ] || die "only $EVENTS events (BENCH_QUERY_CALLS=$CALLS too small)"

ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }
# best3 CMD…: the best wall-clock time of 3 runs of CMD, in microseconds.
best3() {
    local best="" t0 t1
    for _ in 1 2 3; do
        t0=${EPOCHREALTIME/./}
        "$@" > /dev/null || die "failed: $*"
        t1=${EPOCHREALTIME/./}
        if [ -z "$best" ] || [ $((t1 - t0)) -lt "$best" ]; then best=$((t1 - t0)); fi
    done
    echo "$best"
}
first_rows() { set +o pipefail; "$QUERY" --format csv "$TMP/big.trace" "$1" | head -n 3; set -o pipefail; }
limited() { "$QUERY" --format csv "$TMP/big.trace" "$1 limit 20"; }
all_rows() { "$QUERY" --format csv "$TMP/big.trace" "$1"; }
rows() { "$QUERY" --format csv "$TMP/big.trace" "$1" | tail -n +2 | wc -l; }
plan_index() {
    "$QUERY" --explain "$TMP/big.trace" "$1" | sed -n 's/.*USING INDEX \([a-z_]*\).*/\1/p' | head -n 1
}

LINE="query: $EVENTS events;"
SLOW=""
for q in "syscalls where tid=$TID" "syscalls where name=openat"; do
    first=$(best3 first_rows "$q")
    limit=$(best3 limited "$q")
    all=$(best3 all_rows "$q")
    index=$(plan_index "$q")
    [ -n "$index" ] || die "the plan of '$q' uses no index"
    [ "$first" -lt 100000 ] || SLOW+=" '$q'"
    LINE+=" '$q': first rows $(ms "$first") ms, limit 20 $(ms "$limit") ms, all $(rows "$q") rows $(ms "$all") ms, index $index;"
done
if [ -n "$SLOW" ]; then LINE+=" OVER the 100 ms target:$SLOW"; else LINE+=" first rows under 100 ms"; fi
echo "$LINE"
