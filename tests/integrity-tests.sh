#!/usr/bin/env bash
# integrity-tests.sh — a trace that lies is caught, and a recording that ends
# early ends cleanly:
# - a trace changed after it was written (an argument, a deleted tail, meta,
#   the task table, a batch row, an added row) is refused by rr-replay,
#   rr-query and rr-diff in one line naming the damaged batch or the seal,
#   exit 2 (libtrace/trace_verify.c);
# - changes with the checksums recomputed (tamper, lib.sh) are still no
#   silent replay: a syscall's number, arguments and ip are checked against
#   its registers, output routing against the output table's running
#   hashes, the end against the output table's last row;
# - a trace of format version 3 (no checksums) replays with one warning;
# - rr-record stopped by SIGTERM, SIGHUP or a SIGINT sent to it exits 128+N
#   and leaves one sealed file (no -wal) that replays to where it stopped,
#   saying so; `timeout 2 rr-record -o t.trace sleep 10` too;
# - a full disk (a small tmpfs, skipped when it cannot be mounted) and
#   RLIMIT_FSIZE: exit 125, a consistent trace with the reason in meta.
#
# usage: tests/integrity-tests.sh [BINDIR]     (BINDIR default: build/bin)
# Output: PASS/FAIL/SKIP lines, then "N passed, M failed, K skipped".

set -u
ulimit -c 0

RUNNER=integrity-tests.sh
# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lib_tools "${1:-$ROOT/build/bin}" rr-query rr-diff
for src in tests/progs/lines_and_file.c tests/progs/slow_lines.c; do
    build_prog "$src" "$ROOT/build/tests" || die "cannot build $src"
done
PROG=$ROOT/build/tests/lines_and_file
SLOW=$ROOT/build/tests/slow_lines

scratch integrity
T=$SCRATCH/traces
mkdir -p "$T"
run "$SCRATCH/good" "$RECORD" -o "$T/good.trace" "$PROG"
[[ $STATUS == 0 ]] || die "cannot record lines_and_file (exit $STATUS): $(cat "$SCRATCH/good.err")"
cp "$SCRATCH/good.out" "$SCRATCH/recorded.out"

# ---- changed traces: refused by every tool, naming the batch or the seal -------------

# damaged CASE PATTERN SQL: SQL changes a copy of the good trace; rr-replay,
# rr-query and rr-diff each refuse it in one line matching PATTERN, exit 2.
damaged() {
    local name=$1 pattern=$2 sql=$3 trace=$T/$1.trace changed
    cp "$T/good.trace" "$trace"
    changed=$(sqlite3 "$trace" "$sql; select changes()")
    if [[ $changed == 0 || -z $changed ]]; then
        fail "$name" "the change touched no row"
        return
    fi
    local ok=1
    expect_error "$name-replay" rr-replay "$pattern" "$REPLAY" -q "$trace" || ok=0
    [[ $ok == 1 && $STATUS != 2 ]] && { fail "$name" "rr-replay exited $STATUS, expected 2"; ok=0; }
    expect_error "$name-query" rr-query "$pattern" "$QUERY" "$trace" stats || ok=0
    [[ $ok == 1 && $STATUS != 2 ]] && { fail "$name" "rr-query exited $STATUS, expected 2"; ok=0; }
    expect_error "$name-diff" rr-diff "$pattern" "$DIFF" "$T/good.trace" "$trace" || ok=0
    [[ $ok == 1 && $STATUS != 2 ]] && { fail "$name" "rr-diff exited $STATUS, expected 2"; ok=0; }
    [[ $ok == 1 ]] && pass "$name" "$(sed 's/.*damaged: //' "$SCRATCH/$name-replay.err")"
}
BATCH='is damaged: batch [0-9]+ \(events [0-9]+ to [0-9]+\) does not match its checksum'
LAST_STDOUT='(select max(seq) from event where kind = 1 and sysno = 1 and arg0 = 1)'
FILE_WRITE='(select min(seq) from event where kind = 1 and sysno = 1 and arg0 > 2)'
damaged changed_stdout_write_fd "$BATCH" "update event set arg0 = 0 where seq = $LAST_STDOUT"
damaged changed_file_write_fd "$BATCH" "update event set arg0 = 1 where seq = $FILE_WRITE"
damaged deleted_tail "$BATCH" "delete from event where seq >= 100"
damaged changed_blob "$BATCH" "update blob set lz4 = lz4 || x'00' where id = (select max(id) from blob)"
damaged changed_meta 'is damaged: its seal does not match' "update meta set value = '7' where key = 'exit_status'"
damaged changed_task 'is damaged: its seal does not match' "update task set exit_value = 9"
damaged deleted_batch 'is damaged: (event [0-9]+ lies after|table [a-z_]+ has rows after) the last checksummed batch' \
    "delete from batch where id = (select max(id) from batch)"
damaged added_row 'is damaged: table mem_read has rows after the last checksummed batch' \
    "insert into mem_read select * from mem_read limit 1"

# ---- changed with the checksums recomputed: the second witnesses --------------------

# witnessed CASE STATUS PATTERN SQL: the change, resealed, makes rr-replay
# stop in one line matching PATTERN, exit STATUS: never exit 0. A syscall's
# number, arguments and ip are checked against its registers (exit 2, the
# trace is damaged); what the program writes to stdout/stderr against the
# output table's running hashes, and the end against its last row (exit 1,
# a divergence).
witnessed() {
    local name=$1 status=$2 pattern=$3 trace=$T/$1.trace
    cp "$T/good.trace" "$trace"
    tamper "$trace" "$4" >/dev/null || { fail "$name" "cannot change and reseal the trace"; return; }
    expect_error "$name" rr-replay "$pattern" "$REPLAY" -q "$trace" || return
    [[ $STATUS == "$status" ]] && pass "$name" || fail "$name" "rr-replay exited $STATUS, expected $status" "$SCRATCH/$name.err"
}
witnessed resealed_stdout_write_fd 2 'damaged: event [0-9]+: its arguments and its registers disagree' \
    "update event set arg0 = 0 where seq = $LAST_STDOUT"
witnessed resealed_file_write_fd 2 'damaged: event [0-9]+: its arguments and its registers disagree' \
    "update event set arg0 = 1 where seq = $FILE_WRITE"
witnessed resealed_syscall_number 2 'damaged: event [0-9]+: its syscall number and its registers disagree' \
    "update event set sysno = 39 where seq = $LAST_STDOUT"
witnessed resealed_output_row_moved 1 'divergence at event [0-9]+ .*shows [0-9]+ bytes on stdout here, where the recording wrote nothing' \
    "update output set seq = seq + 1 where seq = (select max(seq) from output)"
witnessed resealed_output_hash 1 'divergence at event [0-9]+ .*stdout differs' \
    "update output set hash = hash + 1 where seq = (select max(seq) from output)"
witnessed resealed_deleted_tail 1 'divergence at the end of the trace: .*wrote to stdout at event [0-9]+' \
    "delete from event where seq >= $LAST_STDOUT - 5"

# A recorded time at the edge of 64 bits (resealed) is no overflow in the
# replay's watchdog (corrupt-traces found it under UBSan): the replay matches.
cp "$T/good.trace" "$T/at_ms.trace"
tamper "$T/at_ms.trace" "update event set at_ms = 9223372036854775807 where seq = 50" >/dev/null
run "$SCRATCH/at_ms" "$REPLAY" "$T/at_ms.trace"
if [[ $STATUS == 0 ]] && cmp -s "$SCRATCH/at_ms.out" "$SCRATCH/recorded.out" &&
    ! grep -Eq 'Sanitizer|runtime error' "$SCRATCH/at_ms.err"; then
    pass resealed_at_ms_edge
else
    fail resealed_at_ms_edge "rr-replay exited $STATUS" "$SCRATCH/at_ms.err"
fi

# ---- a trace of format version 3: read unverified, with one warning ------------------
cp "$T/good.trace" "$T/v3.trace"
sqlite3 "$T/v3.trace" "drop table batch; delete from meta where key = 'seal';
                       update meta set value = '3' where key = 'format_version'"
run "$SCRATCH/v3" "$REPLAY" -q "$T/v3.trace"
if [[ $STATUS == 0 && $(grep -c 'warning: .*format version 3.*without verifying' "$SCRATCH/v3.err") == 1 ]]; then
    pass format3_unverified_warning
else
    fail format3_unverified_warning "rr-replay exited $STATUS" "$SCRATCH/v3.err"
fi

# ---- rr-record stopped by a signal ------------------------------------------------------

# stopped_trace CASE TRACE SIGNO RECORDED_OUT: TRACE is one file (no -wal or
# -shm beside it); copied alone it replays to where it stopped, exit 2,
# saying which signal stopped the recording, its output a prefix of RECORDED_OUT.
stopped_trace() {
    local name=$1 trace=$2 signo=$3 recorded=$4 copy=$SCRATCH/$1.copy/trace
    if [[ -e $trace-wal || -e $trace-shm ]]; then
        fail "$name" "the stopped trace left side files: $(ls "$trace"-*)"
        return
    fi
    mkdir -p "$(dirname "$copy")" && cp "$trace" "$copy"
    expect_error "$name" rr-replay "trace ends here, after event [0-9]+: the recording stopped early: stopped by signal $signo" \
        "$REPLAY" "$copy" || return
    local n
    n=$(stat -c %s "$SCRATCH/$name.out")
    if [[ $STATUS != 2 ]]; then
        fail "$name" "rr-replay exited $STATUS, expected 2"
    elif ! head -c "$n" "$recorded" | cmp -s - "$SCRATCH/$name.out"; then
        fail "$name" "the replay's output is not a prefix of the recorded output"
    elif [[ $(sqlite3 "$copy" "select value from meta where key = 'end'") != stopped ]]; then
        fail "$name" "meta.end is not 'stopped'"
    else
        pass "$name" "$n bytes of output replayed"
    fi
}

for sig in TERM HUP INT; do
    signo=$(kill -l "$sig")
    dir=$SCRATCH/sig$sig
    mkdir -p "$dir"
    (cd "$dir" && exec "$RECORD" -o "$dir/trace" "$SLOW" 100000 </dev/null >"$dir/rec.out" 2>"$dir/rec.err") &
    pid=$!
    sleep 1
    kill -"$sig" "$pid"
    wait "$pid"
    status=$?
    if [[ $status != $((128 + signo)) ]]; then
        fail "stopped_by_sig$sig" "rr-record exited $status, expected $((128 + signo))" "$dir/rec.err"
    elif ! grep -q "stopped by signal $signo (SIG$sig)" "$dir/rec.err"; then
        fail "stopped_by_sig$sig" "rr-record did not say it was stopped by SIG$sig" "$dir/rec.err"
    else
        stopped_trace "stopped_by_sig$sig" "$dir/trace" "$signo" "$dir/rec.out"
    fi
done

dir=$SCRATCH/timeout
mkdir -p "$dir"
(cd "$dir" && timeout 2 "$RECORD" -o "$dir/t.trace" sleep 10 </dev/null >"$dir/rec.out" 2>"$dir/rec.err")
status=$?
if [[ $status != 124 ]] || ! grep -q 'stopped by signal 15' "$dir/rec.err"; then
    fail timeout_sleep "timeout 2 rr-record … sleep 10 exited $status" "$dir/rec.err"
else
    stopped_trace timeout_sleep "$dir/t.trace" 15 "$dir/rec.out"
fi

# ---- a full disk ---------------------------------------------------------------------

# disk_full CASE TRACE RECORD-STATUS ERRFILE: rr-record exited 125 saying
# "disk full"; TRACE passes integrity_check, says why in meta.stop_reason,
# and replays to where it ends (exit 2, "trace ends here").
disk_full() {
    local name=$1 trace=$2 status=$3 err=$4
    if [[ $status != 125 ]] || ! grep -q 'disk full' "$err"; then
        fail "$name" "rr-record exited $status, expected 125 saying 'disk full'" "$err"
    elif [[ $(sqlite3 "$trace" 'pragma integrity_check') != ok ]]; then
        fail "$name" "the trace fails integrity_check"
    elif [[ $(sqlite3 "$trace" "select value from meta where key = 'stop_reason'") != "disk full: "* ]]; then
        fail "$name" "meta.stop_reason does not say 'disk full'"
    else
        expect_error "$name-replay" rr-replay 'trace ends here.*disk full' "$REPLAY" -q "$trace" &&
            pass "$name" "$(sqlite3 "$trace" 'select count(*) from event') events kept"
    fi
}

dir=$SCRATCH/tmpfs
mkdir -p "$dir/mnt"
if mount -t tmpfs -o size=1m rrdb-full "$dir/mnt" 2>/dev/null; then
    (cd "$dir" && timeout -k 5 "$TIMEOUT" "$RECORD" -o "$dir/mnt/t.trace" "$PROG" </dev/null >/dev/null 2>"$dir/rec.err")
    disk_full disk_full_tmpfs "$dir/mnt/t.trace" $? "$dir/rec.err"
    umount "$dir/mnt"
else
    skip disk_full_tmpfs "cannot mount a tmpfs here (not root?)"
fi

dir=$SCRATCH/fsize
mkdir -p "$dir"
(cd "$dir" && ulimit -f 600 && timeout -k 5 "$TIMEOUT" "$RECORD" -o "$dir/t.trace" "$PROG" </dev/null >/dev/null 2>"$dir/rec.err")
disk_full disk_full_rlimit_fsize "$dir/t.trace" $? "$dir/rec.err"

summary
