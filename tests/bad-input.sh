#!/usr/bin/env bash
# bad-input.sh — checks that rr-record and rr-replay fail cleanly on what a user
# can get wrong: missing, empty, foreign, truncated or too-new traces, bad
# options, a missing program or output directory; and that a recording killed
# with SIGKILL leaves a trace that opens, passes integrity_check and replays up
# to where it ends; and that a replay that can never reach its next event
# (running, or searching for a landmark) is stopped by its watchdog.
#
# usage: tests/bad-input.sh [BINDIR]     (BINDIR default: build/bin)
#
# A failing tool must exit non-zero without crashing (status below 128, no
# sanitizer report) and print exactly one line on stderr, starting with its
# name and naming the problem.
# Output: one line "PASS case" or "FAIL case: reason" (maybe followed by
# indented details) per case, then exactly "N passed, M failed, K skipped".

set -u
ulimit -c 0

RUNNER=bad-input.sh
# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lib_tools "${1:-$ROOT/build/bin}"

# Programs of these tests, built like run-tests.sh does: the slow writer
# used for the killed recording, and writers whose output replay checks.
for src in tests/progs/slow_lines.c tests/bad-input/splice_stdout.c tests/progs/writers_mixed.c; do
    build_prog "$src" "$ROOT/build/tests" || die "cannot build $src: $(head -n 3 "$ROOT/build/tests/.$(basename "$src" .c).cc.err")"
done
SLOW=$ROOT/build/tests/slow_lines

scratch bad-input

# unchanged CASE FILE SUM: FILE must still have sha256 SUM — replay must not
# write to what it reads. (A -wal/-shm left beside a WAL-mode file is SQLite's
# doing for read-only connections, so it is not checked.)
unchanged() {
    [[ $(sha256sum <"$2") == "$3" ]] && return 0
    fail "$1" "rr-replay modified its input file $2"
}

# bad_trace CASE FILE PATTERN: rr-replay on FILE fails cleanly, naming it.
bad_trace() {
    local sum
    sum=$(sha256sum <"$2")
    expect_error "$1" rr-replay "$3" "$REPLAY" "$2" && unchanged "$1" "$2" "$sum" && pass "$1"
}

# ---- rr-replay on bad traces ----------------------------------------------------

T=$SCRATCH/traces
mkdir -p "$T"

expect_error replay_missing_file rr-replay 'no-such-trace' "$REPLAY" "$T/no-such-trace" &&
    pass replay_missing_file

: >"$T/empty.trace"
bad_trace replay_empty_file "$T/empty.trace" 'empty\.trace'

printf 'This is a text file,\nnot an rrdb trace.\n' >"$T/text.trace"
bad_trace replay_text_file "$T/text.trace" 'text\.trace'

# A good recording to damage. /bin/echo: small, dynamically linked.
run "$SCRATCH/good" "$RECORD" -o "$T/good.trace" /bin/echo hello
if [[ $STATUS != 0 || ! -s $T/good.trace ]]; then
    fail replay_truncated "could not record /bin/echo (rr-record exited $STATUS)" "$SCRATCH/good.err"
    fail replay_format_version "could not record /bin/echo (rr-record exited $STATUS)"
else
    size=$(stat -c %s "$T/good.trace")
    head -c $((size / 2)) "$T/good.trace" >"$T/half.trace"
    bad_trace replay_truncated "$T/half.trace" ''

    cp "$T/good.trace" "$T/v999.trace"
    if sqlite3 "$T/v999.trace" "update meta set value='999' where key='format_version'" &&
        [[ $(sqlite3 "$T/v999.trace" "select value from meta where key='format_version'") == 999 ]]; then
        bad_trace replay_format_version "$T/v999.trace" 'version|999'
    else
        fail replay_format_version "cannot set meta.format_version in a recorded trace"
    fi

    # Numbers and tables of a changed trace are checked before use: a blob
    # announcing 2^64-4096 bytes, blob bytes shorter than announced, registers
    # that do not decode, a table dropped, a mapping that ends before it
    # starts, an exec register state of 8 bytes.
    for tamper in "blob_negative_size:blob .* is corrupt:update blob set raw_size = -4096" \
        "blob_short_bytes:blob .* is corrupt:update blob set lz4 = x'00'" \
        "event_bad_registers:malformed registers:update event set regs = x'ffff' where seq = 0" \
        "mapping_bad_range:mapping of event 0 has a bad range:update mapping set end = start - 4096 where rowid = 1" \
        "exec_state_short:exec event 0 has a malformed register state:update blob set raw_size = 8, lz4 = zeroblob(8), lz4_size = 8 where id = (select extra from event where seq = 0)"; do
        name=replay_${tamper%%:*} rest=${tamper#*:}
        cp "$T/good.trace" "$T/$name.trace"
        tamper "$T/$name.trace" "${rest#*:}" || fail "$name" "sqlite3 could not change the trace"
        bad_trace "$name" "$T/$name.trace" "${rest%%:*}"
    done
    # (A trace without a table cannot be resealed: it is refused when opened.)
    cp "$T/good.trace" "$T/replay_table_missing.trace"
    sqlite3 "$T/replay_table_missing.trace" "drop table mapping" || fail replay_table_missing "sqlite3 could not change the trace"
    bad_trace replay_table_missing "$T/replay_table_missing.trace" "table mapping is missing"
    # A data hash on every event, the ones that wrote no bytes too: the replay
    # hashes zero bytes (no memcpy from NULL) and reports the divergence.
    cp "$T/good.trace" "$T/every_hash.trace"
    tamper "$T/every_hash.trace" "update event set data_hash = -4096"
    expect_error replay_data_hash_everywhere rr-replay 'divergence at event [0-9]+ .*bytes written differ' \
        "$REPLAY" -q "$T/every_hash.trace" && pass replay_data_hash_everywhere

    # A replay that computes different output, or that is fed a different
    # syscall result, must stop with a divergence report naming the event.
    for tamper in "data_hash:update event set data_hash = data_hash + 1 where sysno = 1" \
        "openat_result:update event set result = -2 where seq = (select min(seq) from event where sysno = 257 and result >= 0)"; do
        name=replay_diverges_${tamper%%:*}
        cp "$T/good.trace" "$T/$name.trace"
        target=$(tamper "$T/$name.trace" "${tamper#*:}; select changes()")
        if [[ $target != 1 ]]; then
            fail "$name" "the tampering changed $target events"
            continue
        fi
        run "$SCRATCH/$name" "$REPLAY" -q --events "$T/$name.events" "$T/$name.trace"
        if [[ $STATUS == 1 ]] && grep -q '^rr-replay: divergence at event [0-9]' "$SCRATCH/$name.err"; then
            # the observed stream stops at the divergent event and says so
            at=$(grep -o 'divergence at event [0-9]*' "$SCRATCH/$name.err" | grep -o '[0-9]*$')
            stream=$(sqlite3 "$T/$name.events" "select max(seq) || ' ' || (select value from meta where key='end') from event")
            if [[ $stream == "$at diverged" ]]; then
                pass "$name" "$(grep -o 'event [0-9]* ([^)]*)' "$SCRATCH/$name.err")"
            else
                fail "$name" "the --events stream ends with '$stream', expected '$at diverged'"
            fi
        else
            fail "$name" "rr-replay exited $STATUS without a divergence report" "$SCRATCH/$name.err"
        fi
    done
fi

expect_error replay_bad_option rr-replay 'Z' "$REPLAY" -Z "$T/good.trace" &&
    pass replay_bad_option
expect_error replay_bad_patience rr-replay 'patience.*soon' "$REPLAY" --patience soon "$T/good.trace" &&
    pass replay_bad_patience

# RRDB_LOG naming an area that does not exist: one line, before any work
expect_error replay_bad_log_area rr-replay 'RRDB_LOG.*nosuch' env RRDB_LOG=replay,nosuch "$REPLAY" "$T/good.trace" &&
    pass replay_bad_log_area
expect_error record_bad_log_area rr-record 'RRDB_LOG.*nosuch' env RRDB_LOG=nosuch "$RECORD" -o t /bin/true &&
    pass record_bad_log_area

# ---- rr-record misuse ---------------------------------------------------------

# nothing to record: the cwd must stay empty (no trace is started)
for c in "" "-o t"; do
    name=record_no_program${c:+_with_o}
    # shellcheck disable=SC2086 # c is an option and its argument
    if expect_error "$name" rr-record '' "$RECORD" $c; then
        left=$(cd "$SCRATCH/$name" && find . -mindepth 1 -printf '%P ')
        if [[ -n $left ]]; then
            fail "$name" "left files behind: $left"
        else
            pass "$name"
        fi
    fi
done

expect_error record_bad_cpu rr-record 'cpu x: not a CPU number' "$RECORD" --cpu x -o t /bin/true && pass record_bad_cpu
expect_error record_cpu_not_allowed rr-record 'may not run on CPU 1000' "$RECORD" --cpu 1000 -o t /bin/true &&
    pass record_cpu_not_allowed

expect_error record_missing_program rr-record 'no-such-program' \
    "$RECORD" -o "$SCRATCH/missing.trace" ./no-such-program &&
    pass record_missing_program

# the output directory does not exist: fail before running the program
if expect_error record_bad_output_dir rr-record 'no-such-dir' \
    "$RECORD" -o "$SCRATCH/no-such-dir/t.trace" /bin/touch marker; then
    if [[ -e $SCRATCH/record_bad_output_dir/marker ]]; then
        fail record_bad_output_dir "the program ran although the trace could not be created"
    else
        pass record_bad_output_dir
    fi
fi

# ---- traces are private -------------------------------------------------------

# A trace holds the program's memory, environment and the files it read: the
# trace, its -wal and -shm side files, an --events stream and a trace
# directory rrdb creates are for their owner only, even under umask 000.
private_files() {
    local dir=$SCRATCH/private modes
    mkdir -p "$dir"
    (
        cd "$dir" || exit 1
        umask 000
        "$RECORD" -o slow.trace "$SLOW" 30 >/dev/null 2>record.err &
        for _ in $(seq 100); do [[ -e slow.trace-wal && -e slow.trace-shm ]] && break; sleep 0.05; done
        stat -c '%a %n' slow.trace slow.trace-wal slow.trace-shm >modes.txt
        wait
        RRDB_TRACE_DIR=$dir/store/traces "$RECORD" /bin/true 2>>record.err
        "$REPLAY" -q --events events.out slow.trace 2>>record.err
        stat -c '%a %n' store store/traces store/traces/true-0 events.out >>modes.txt
    )
    modes=$(tr '\n' ' ' <"$dir/modes.txt")
    if [[ $modes == "600 slow.trace 600 slow.trace-wal 600 slow.trace-shm 700 store 700 store/traces 600 store/traces/true-0 600 events.out " ]]; then
        pass private_files
    else
        fail private_files "modes under umask 000: $modes" "$dir/record.err"
    fi
}
private_files

# -o through a symbolic link, dangling or not, is refused: nothing is created
# or overwritten where the link points.
for target in nowhere existing; do
    name=record_o_symlink_$target
    mkdir -p "$SCRATCH/$name"
    [[ $target == existing ]] && echo keep >"$SCRATCH/$name/existing"
    ln -sf "$target" "$SCRATCH/$name/link.trace"
    if expect_error "$name" rr-record 'link\.trace is a symbolic link' "$RECORD" -o link.trace /bin/true; then
        if [[ $target == nowhere && -e $SCRATCH/$name/nowhere ]] ||
            [[ $target == existing && $(cat "$SCRATCH/$name/existing") != keep ]]; then
            fail "$name" "the link's target was written"
        else
            pass "$name"
        fi
    fi
done

# ---- what rr-replay shows: the recording's output, in its order ----------------

# The replay checks what it shows against the trace's tally of stdout and
# stderr (the output table). A trace whose writes were put in another order
# must not replay as a match: the writes of two tasks (each with its task's
# next syscall entry) swapped is a schedule the replay can follow, each write
# still its own task's bytes, so only the tally sees that the lines moved.
# Nor may a changed tally, or a program whose output rr-replay cannot show.
output_checks() {
    local dir=$SCRATCH/output traces=$SCRATCH/output.traces
    mkdir -p "$traces"
    run "$dir/rec" "$RECORD" -o "$traces/writers.trace" "$ROOT/build/tests/writers_mixed"
    if [[ $STATUS != 0 ]]; then
        fail output_order_swapped "could not record writers_mixed (rr-record exited $STATUS)" "$dir/rec.err"
        return
    fi
    # events s, s+1: task A's write to stdout and its next entry; s+2, s+3: task B's
    local s
    s=$(sqlite3 "$traces/writers.trace" "select a.seq from event a, event a2, event b, event b2, output o
        where a2.seq = a.seq + 1 and b.seq = a.seq + 2 and b2.seq = a.seq + 3 and o.seq = a.seq
        and a.kind = 1 and a.sysno = 1 and a2.kind = 8 and a2.tid = a.tid
        and b.kind = 1 and b.sysno = 1 and b2.kind = 8 and b2.tid = b.tid and b.tid != a.tid
        order by a.seq limit 1 offset 100")
    cp "$traces/writers.trace" "$traces/swapped.trace"
    if [[ -z $s ]] || ! tamper "$traces/swapped.trace" "update event set seq = -seq where seq in ($s, $s + 1);
            update event set seq = seq - 2 where seq in ($s + 2, $s + 3);
            update event set seq = 2 - seq where seq < 0"; then
        fail output_order_swapped "no two tasks' writes to swap in the recording of writers_mixed"
    else
        expect_error output_order_swapped rr-replay "divergence at event $s .*stdout" \
            "$REPLAY" -q "$traces/swapped.trace" && pass output_order_swapped
    fi
    cp "$traces/writers.trace" "$traces/tally.trace"
    tamper "$traces/tally.trace" "update output set hash = hash + 1 where seq = (select max(seq) from output)"
    expect_error output_tally_changed rr-replay 'divergence at event [0-9]+ .*stdout differs' \
        "$REPLAY" -q "$traces/tally.trace" && pass output_tally_changed
    run "$dir/splice" "$RECORD" -o "$traces/splice.trace" "$ROOT/build/tests/splice_stdout"
    if [[ $STATUS != 0 ]]; then
        fail output_not_shown "could not record splice_stdout (rr-record exited $STATUS)" "$dir/splice.err"
    else
        expect_error output_not_shown rr-replay 'divergence at event [0-9]+ .*splice.*stdout' \
            "$REPLAY" "$traces/splice.trace" && pass output_not_shown
    fi
}
output_checks

# ---- what rrdb answers in the kernel's place ------------------------------------

# substituted CASE PATTERN EXPECTED_OUTPUT CMD...: recording goes on; the
# program gets what a kernel without the feature would answer, rr-record
# ends with its summary and one warning line matching PATTERN, and the
# replay prints what the recording printed (EXPECTED_OUTPUT).
substituted() {
    local name=$1 pattern=$2 expected=$3
    shift 3
    local trace=$SCRATCH/$name.trace dir=$SCRATCH/$name
    run "$dir" "$RECORD" -o "$trace" "$@"
    if [[ $STATUS != 0 ]]; then
        fail "$name" "rr-record exited $STATUS, expected 0" "$dir.err"
    elif [[ $(grep -c '^rr-record:' "$dir.err") != 2 ]] || ! tail -n 1 "$dir.err" | grep -Eq -- "^rr-record: warning: .*$pattern"; then
        fail "$name" "expected the summary and a warning line naming /$pattern/" "$dir.err"
    elif [[ $(cat "$dir.out") != "$expected" ]]; then
        fail "$name" "the program printed '$(cat "$dir.out")', expected '$expected'" "$dir.err"
    else
        run "$dir-replay" "$REPLAY" "$trace"
        if [[ $STATUS != 0 || $(cat "$dir-replay.out") != "$expected" ]]; then
            fail "$name" "replay exited $STATUS, printed '$(cat "$dir-replay.out")'" "$dir-replay.err"
        else
            pass "$name"
        fi
    fi
}

# seccomp(SECCOMP_GET_NOTIF_SIZES): EINVAL, as from a kernel without user notification
substituted substituted_seccomp_notif 'seccomp user notification EINVAL' '-1 22' \
    /usr/bin/python3 -c 'import ctypes; l = ctypes.CDLL(None, use_errno=True); b = ctypes.create_string_buffer(8); print(l.syscall(317, 3, 0, b), ctypes.get_errno())'
# userfaultfd (323): the kernel would write the program's memory behind our back
substituted substituted_userfaultfd 'userfaultfd ENOSYS' '-1 38' \
    /usr/bin/python3 -c 'import ctypes; l = ctypes.CDLL(None, use_errno=True); print(l.syscall(323, 0), ctypes.get_errno())'
# KDSETMODE (0x4b3a), a console ioctl no row describes and whose number has
# no direction: ENOTTY, as from a device that does not know it
substituted substituted_legacy_ioctl 'ioctl 0x4b3a ENOTTY' '-1 25' \
    /usr/bin/python3 -c 'import ctypes; l = ctypes.CDLL(None, use_errno=True); print(l.ioctl(1, 0x4b3a, 0), ctypes.get_errno())'
# SIOCETHTOOL (0x8946): its row in ioctls.tsv answers EOPNOTSUPP
substituted substituted_ethtool_ioctl 'ioctl SIOCETHTOOL 0x8946 EOPNOTSUPP' '-1 95' \
    /usr/bin/python3 -c 'import ctypes, socket; l = ctypes.CDLL(None, use_errno=True); s = socket.socket(); b = ctypes.create_string_buffer(40); print(l.ioctl(s.fileno(), 0x8946, b), ctypes.get_errno())'
# a syscall number no table row describes: ENOSYS
substituted substituted_unknown_number 'syscall 1000 ENOSYS' '-1 38' \
    /usr/bin/python3 -c 'import ctypes; l = ctypes.CDLL(None, use_errno=True); print(l.syscall(1000), ctypes.get_errno())'

# ---- a recording killed with SIGKILL ---------------------------------------------

# killed_recording: records slow_lines (a line every 10 ms) and kills rr-record
# with SIGKILL after a second. The trace must pass integrity_check and replay
# up to its end: "trace ends here", a non-zero exit, output a prefix of what
# was recorded. Checked on the trace as the killed recorder left it (with its
# WAL) and again after sqlite3 has opened it.
killed_recording() {
    local name=killed_recording dir=$SCRATCH/killed
    mkdir -p "$dir/cwd" "$dir/raw"
    local trace=$dir/k.trace
    (cd "$dir/cwd" && exec "$RECORD" -o "$trace" "$SLOW" 100000 </dev/null \
        >"$dir/rec.out" 2>"$dir/rec.err") &
    local rec_pid=$!
    sleep 1
    kill -KILL "$rec_pid" 2>/dev/null
    wait "$rec_pid" 2>/dev/null
    sleep 0.3

    # PTRACE_O_EXITKILL should have taken the tracee down with the recorder.
    # The kernel kills it as the recorder's exit completes, which on a loaded
    # machine can take a while: it has 5 s to be gone.
    local tracee i
    tracee=$(sed -n '1s/^slow_lines pid \([0-9]*\)$/\1/p' "$dir/rec.out")
    for ((i = 0; i < 50; i++)); do
        [[ -n $tracee ]] && tr '\0' ' ' 2>/dev/null <"/proc/$tracee/cmdline" | grep -q slow_lines || break
        sleep 0.1
    done
    if [[ -n $tracee ]] && tr '\0' ' ' 2>/dev/null <"/proc/$tracee/cmdline" | grep -q slow_lines; then
        kill -KILL "$tracee" 2>/dev/null
        fail $name "the recorded program (pid $tracee) outlived the killed recorder"
        return
    fi
    if [[ ! -s $trace ]]; then
        fail $name "no trace file after 1 s of recording" "$dir/rec.err"
        return
    fi
    local f
    for f in "$trace" "$trace-wal"; do
        [[ -e $f ]] && cp "$f" "$dir/raw/"
    done

    local check
    check=$(sqlite3 "$trace" 'pragma integrity_check' 2>&1)
    if [[ $check != ok ]]; then
        fail $name "integrity_check says: $(head -n 3 <<<"$check" | tr '\n' ' ')"
        return
    fi

    # How to replay cpuid must be known before the end: on a machine with
    # CPUID faulting, a replay that does not trap cpuid diverges at once.
    local cpuid
    cpuid=$(sqlite3 "$trace" "select value from meta where key = 'cpuid'" 2>&1)
    if [[ $cpuid != native && $cpuid != trapped ]]; then
        fail $name "the killed recording's meta does not say how cpuid ran (got '$cpuid')"
        return
    fi

    local which t note=''
    for which in raw checked; do
        t=$trace
        [[ $which == raw ]] && t=$dir/raw/k.trace
        (timeout -k 5 "$TIMEOUT" "$REPLAY" "$t" </dev/null >"$dir/rep-$which.out" 2>"$dir/rep-$which.err")
        local st=$?
        if [[ $st == 124 ]]; then
            fail $name "replay of the $which trace timed out" "$dir/rep-$which.err"
            return
        elif [[ $st == 0 || $st -ge 128 ]]; then
            fail $name "replay of the $which trace exited $st, expected a non-zero status below 128" "$dir/rep-$which.err"
            return
        elif ! grep -q 'trace ends here.*cut short' "$dir/rep-$which.err"; then
            fail $name "replay of the $which trace did not say 'trace ends here' and 'cut short'" "$dir/rep-$which.err"
            return
        fi
        local n
        n=$(stat -c %s "$dir/rep-$which.out")
        if ! head -c "$n" "$dir/rec.out" | cmp -s - "$dir/rep-$which.out"; then
            fail $name "replay output of the $which trace is not a prefix of the recorded output"
            diff <(head -c "$n" "$dir/rec.out") "$dir/rep-$which.out" | head -n 6 | sed 's/^/    /'
            return
        fi
        note+="$which: replayed $(grep -c '' "$dir/rep-$which.out") of $(grep -c '' "$dir/rec.out") lines; "
    done
    pass $name "${note%; }"
}
killed_recording

# stuck_replay: a trace whose held SIGALRM was removed makes the replayed
# program spin forever where the recorded one got the signal. The replay must
# not hang: its watchdog stops it with a one-line report and exit status 1.
stuck_replay() {
    local dir=$SCRATCH/stuck
    mkdir -p "$dir"
    if ! build_prog tests/progs/sig_alarm_spin.c "$dir"; then
        fail stuck_replay "cannot compile sig_alarm_spin.c" "$dir/.sig_alarm_spin.cc.err"
        return
    fi
    run "$dir/rec" "$RECORD" -o "$dir/trace" "$dir/sig_alarm_spin"
    if [[ $STATUS != 0 ]] || [[ $(tamper "$dir/trace" "delete from event where kind = 2; select changes()") != 1 ]]; then
        fail stuck_replay "could not record and tamper with a spinning program" "$dir/rec.err"
        return
    fi
    # --patience 2: the deadline on a loaded machine is at most ten times that
    run "$dir/rep" "$REPLAY" -q --patience 2 "$dir/trace"
    if [[ $STATUS == 1 ]] && grep -q '^rr-replay: replay stuck at event' "$dir/rep.err"; then
        pass stuck_replay
    else
        fail stuck_replay "rr-replay exited $STATUS without saying it was stuck" "$dir/rep.err"
    fi
}
stuck_replay

# stuck_search CASE PROG SQL HOW: a landmark that the replay can never meet
# (SQL tampers with PROG's recording) must end its search, however it
# searches (HOW: the stub in the program, which stops nothing on the way, or
# a breakpoint (hardware, or an int3 where those never fire), which stops the program at every pass and so is
# almost never waiting when the watchdog's tick comes), with one line saying
# what it was doing, and exit status 1.
stuck_search() {
    local name=$1 prog=$2 sql=$3 how=$4 dir=$SCRATCH/$1
    mkdir -p "$dir"
    run "$dir/rec" "$RECORD" -o "$dir/trace" "$prog"
    if [[ $STATUS != 0 ]] || [[ $(tamper "$dir/trace" "$sql; select changes()") != 1 ]]; then
        fail "$name" "could not record and tamper with $(basename "$prog")" "$dir/rec.err"
        return
    fi
    expect_error "$name" rr-replay \
        "replay stuck at event [0-9]+ .*searching for the landmark at ip 0x[0-9a-f]+ after [0-9]+ passes \\($how\\)" \
        "$REPLAY" -q --patience 1 "$dir/trace" || return
    if [[ $STATUS == 1 ]]; then
        pass "$name"
    else
        fail "$name" "rr-replay exited $STATUS, expected 1" "$SCRATCH/$name.err"
    fi
}
for src in tests/progs/sig_alarm_count.c tests/progs/landmark_same_regs.c; do
    build_prog "$src" "$ROOT/build/tests" || die "cannot build $src"
done
FIRST_LANDMARK="(select min(seq) from event where kind = 7)"
# The landmark recorded as coming at once after the event before: the
# watchdog's deadline is then the patience alone, however loaded the machine.
NO_GAP="update event set at_ms = (select e.at_ms from event e where e.seq = event.seq - 1) where seq = $FIRST_LANDMARK"
stuck_search stuck_stub_search "$ROOT/build/tests/sig_alarm_count" \
    "update event set result = result + 1 where seq = $FIRST_LANDMARK; $NO_GAP" "stub in the program"
# The landmark moved to the call in main's loop: a stub cannot move a call.
call_at=$(objdump -d "$ROOT/build/tests/landmark_same_regs" | awk '/call.*<hash_block>/ { print $1; exit }')
stuck_search stuck_breakpoint_search "$ROOT/build/tests/landmark_same_regs" \
    "update event set ip = 0x555555554000 + 0x${call_at%:} where seq = $FIRST_LANDMARK; $NO_GAP" "breakpoint"

summary
