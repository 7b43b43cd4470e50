#!/usr/bin/env bash
# rr-diff benchmark: two 1,000,000-event traces that differ only near the end,
# compared for the first divergence (and with --all); prints wall time and
# peak RSS of rr-diff. Target (issue 5): under 5 s and 100 MiB.
#
#   bash bench/diff.sh [BUILD_DIR]     (default build)
#
# The traces are not recorded for minutes: a small program is recorded once
# (tests/diff/flaky_file.c), and its syscall events, with their memory writes,
# are repeated by SQL until the trace holds BENCH_DIFF_EVENTS events (default
# 1000000). B is a copy of A whose result at the 10th event from the end is
# changed. Both sides decode the same register deltas, so the comparison does
# the work of a real one: every event, register set and memory write is read
# and compared.
BENCH_NAME=bench/diff
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DIFF=$BUILD/bin/rr-diff
EVENTS=${BENCH_DIFF_EVENTS:-1000000}
need_built rr-record rr-diff
need_commands sqlite3
[ -x /usr/bin/time ] || die "/usr/bin/time not found (Debian package time)"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/rrdb-bench-diff.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
gcc -O2 -o "$TMP/flaky_file" "$ROOT/tests/diff/flaky_file.c" || die "cannot compile flaky_file.c"
printf 'alpha\nbeta\n' >"$TMP/input.txt"
(cd "$TMP" && "$REC" -o "$TMP/a.trace" ./flaky_file >/dev/null 2>&1) || die "cannot record flaky_file"

# Repeat the recorded syscalls (all but the last, exit_group) between the
# recording's events and its exit event, until there are EVENTS events.
sqlite3 "$TMP/a.trace" "
PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
CREATE TEMP TABLE pattern AS
    SELECT row_number() OVER (ORDER BY seq) - 1 AS k, * FROM event
    WHERE kind = 1 AND seq < (SELECT max(seq) FROM event WHERE kind = 1);
CREATE TEMP TABLE bounds AS
    SELECT (SELECT max(seq) FROM event) AS last,
           (SELECT count(*) FROM pattern) AS n,
           $EVENTS - (SELECT count(*) FROM event) AS added;
UPDATE event SET seq = seq + (SELECT added FROM bounds) WHERE seq = (SELECT last FROM bounds);
UPDATE task SET last_seq = last_seq + (SELECT added FROM bounds);
WITH RECURSIVE i(v) AS (SELECT 0 UNION ALL SELECT v + 1 FROM i WHERE v + 1 < (SELECT added FROM bounds))
INSERT INTO event(seq, tid, kind, sysno, arg0, arg1, arg2, arg3, arg4, arg5, result, signo, sig_code,
                  sync, ip, regs, extra, data_hash)
    SELECT (SELECT last FROM bounds) + i.v, p.tid, p.kind, p.sysno, p.arg0, p.arg1, p.arg2, p.arg3,
           p.arg4, p.arg5, p.result, p.signo, p.sig_code, p.sync, p.ip, p.regs, p.extra, p.data_hash
    FROM i JOIN pattern p ON p.k = i.v % (SELECT n FROM bounds);
INSERT INTO mem_write(seq, addr, len, blob)
    SELECT e.seq, m.addr, m.len, m.blob
    FROM event e JOIN pattern p ON p.k = (e.seq - (SELECT last FROM bounds)) % (SELECT n FROM bounds)
                 JOIN mem_write m ON m.seq = p.seq
    WHERE e.seq >= (SELECT last FROM bounds) AND e.seq < (SELECT last + added FROM bounds)
    ORDER BY e.seq, m.rowid;
" >/dev/null || die "cannot build the synthetic trace"
cp "$TMP/a.trace" "$TMP/b.trace"
changed=$(sqlite3 "$TMP/b.trace" "SELECT max(seq) - 10 FROM event")
sqlite3 "$TMP/b.trace" "UPDATE event SET result = result + 1 WHERE seq = $changed" ||
    die "cannot change event $changed"
count=$(sqlite3 "$TMP/a.trace" "SELECT count(*) FROM event")
writes=$(sqlite3 "$TMP/a.trace" "SELECT count(*) FROM mem_write")
size=$(du -m "$TMP/a.trace" | cut -f1)
echo "rr-diff: two traces of $count events ($writes memory writes, $size MiB each), differing at event $changed"

# run LABEL ARGS…: time rr-diff (exit 1 expected: they diverge) and print seconds and peak RSS.
run() {
    local label=$1
    shift
    /usr/bin/time -f '%e %M' -o "$TMP/time" "$DIFF" "$@" "$TMP/a.trace" "$TMP/b.trace" >"$TMP/out" 2>&1 &&
        die "rr-diff $* found no divergence"
    grep -q -e "event $changed in A" -e "\"seq\": $changed," "$TMP/out" || die "rr-diff $* did not find event $changed: $(head -5 "$TMP/out")"
    # time(1) puts "Command exited with non-zero status 1" first
    tail -1 "$TMP/time" | awk -v label="$label" '{ printf "  %-22s %6.2f s   peak RSS %5.1f MiB\n", label, $1, $2 / 1024 }'
}
run "first divergence"
run "--all" --all
run "--all --format json" --all --format json
