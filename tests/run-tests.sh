#!/usr/bin/env bash
# run-tests.sh — records and replays every test program in tests/progs/ and
# checks that each replay reproduces its recording exactly, with no effects
# outside the replayer.
#
# usage: tests/run-tests.sh [BINDIR] [FILTER]
#   BINDIR  directory holding rr-record and rr-replay (default: build/bin)
#   FILTER  extended regular expression; only programs whose name matches run
#
# The programs are built into build/tests/ with $CC and $CFLAGS when those are
# set (default: gcc -O1 -g -Wall -Wextra -Werror); names starting with static_
# are linked with -static. Each test runs in fresh temporary directories:
#   cwd/    the program's working directory, holding input.txt
#   trace/  the trace (never inside the cwd)
#   saved/  a copy of cwd/ before recording, to undo the recording's effects
#   out/    captured outputs and directory manifests
# For each program: record it, undo its effects on cwd/, replay it twice and
# compare. Programs named tty_* run under `script` so that fds 0 and 1 are a
# pseudo-terminal. The directories of failed tests are kept and named.
#
# Output: one line "PASS name" or "FAIL name: reason" per test (a FAIL may be
# followed by indented detail lines; an XFAIL line for a known gap), then
# exactly "N passed, M failed, K skipped".
# Exit status 0 only when nothing failed; 2 when the tests could not be run.

set -u
export LC_ALL=C
ulimit -c 0   # killed_* programs must not leave core files in their cwd

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BINDIR=${1:-$ROOT/build/bin}
FILTER=${2:-}
TIMEOUT=60

RUNNER=run-tests.sh
# shellcheck source=tests/runner-setup.sh
source "$ROOT/tests/runner-setup.sh"

CC=${CC:-gcc}
CFLAGS=${CFLAGS:--O1 -g -Wall -Wextra -Werror}
PROGDIR=$ROOT/tests/progs
OUTDIR=$ROOT/build/tests
mkdir -p "$OUTDIR" || die "cannot create $OUTDIR"

# Fixed contents the runner provides to every test.
INPUT_TXT=$'alpha\nbeta\ngamma\n'
STDIN_TXT=$'first line on stdin\nsecond line on stdin\n'

# Programs whose output is nondeterministic enough that two recordings must
# differ (while each replay still matches its own recording).
RECORD_TWICE=" urandom getrandom rdtsc time_clocks "

# Programs with several tasks or landmarks: their recording replays
# REPLAY_MANY times in a row without a divergence (the schedule is recorded).
REPLAY_MANY_PROGRAMS=" threads_mutex threads_condvar threads_spin_flag sig_alarm_spin pipe_between fork_wait 
    tcp_threads socketpair_fork eventfd_threads cond_broadcast pselect_sigmask thread_main_exit group_stop 
    threads_compute_join pi_mutex sig_async_busy threads_count_preempt sig_alarm_count ptrace_tracer
    ptrace_interrupt writers_mixed writers_forked tty_writers piped_writers "
REPLAY_MANY=${REPLAY_MANY:-20}

# Programs that make calls the recorder answers in the kernel's place (ENOSYS
# for syscall numbers it does not know, io_uring…): it must say so.
WARNS_PROGRAMS=" syscall_numbers io_uring_userfaultfd kernel_features sysv_ipc "

expected_status() {
    case $1 in
        exit_3) echo 3 ;;
        exit_255) echo 255 ;;
        return_42) echo 42 ;;
        static_signals) echo 7 ;;
        threads_exit_group) echo 5 ;;
        killed_segv) echo $((128 + 11)) ;;
        killed_abort) echo $((128 + 6)) ;;
        kill_sigterm) echo $((128 + 15)) ;;
        *) echo 0 ;;
    esac
}

# Programs that die of a signal: the replay must say "killed by signal".
dies_of_signal() {
    case $1 in killed_segv | killed_abort | kill_sigterm) return 0 ;; esac
    return 1
}

# Extra arguments per program, one per line.
program_args() {
    case $1 in
        # "-o" after the program name belongs to the program, not rr-record.
        env_argv) printf '%s\n' one "two words" "" -o last ;;
    esac
}

# ---- building ---------------------------------------------------------------

# build NAME: compiles tests/progs/NAME.c into build/tests/NAME when the source
# or the flags changed. Prints the compiler's complaints on failure.
FLAGS_STAMP="$CC $CFLAGS"
build() {
    local name=$1 src=$PROGDIR/$1.c bin=$OUTDIR/$1 stamp=$OUTDIR/.$1.flags
    local -a extra=()
    [[ $name == static_* ]] && extra=(-static)
    if [[ -x $bin && $bin -nt $src && -f $stamp && $(<"$stamp") == "$FLAGS_STAMP" ]]; then
        return 0
    fi
    # Built under a temporary name and renamed: another run of this script
    # may be executing the old binary.
    # shellcheck disable=SC2086 # CFLAGS is a list of words
    if ! $CC $CFLAGS "${extra[@]}" -o "$bin.tmp.$$" "$src" -lm -pthread 2>"$OUTDIR/.$name.cc.err"; then
        rm -f "$bin.tmp.$$"
        return 1
    fi
    mv -f "$bin.tmp.$$" "$bin" && printf '%s' "$FLAGS_STAMP" >"$stamp"
}

# ---- helpers ----------------------------------------------------------------

# manifest DIR: every entry below DIR with its type, permissions, symlink
# target and, for regular files, a sha256 of the contents; sorted.
manifest() {
    (
        cd "$1" || exit 1
        find . -mindepth 1 -printf '%y %m %p -> %l\n' | sort
        find . -type f -print0 | sort -z | xargs -0 -r sha256sum
    )
}

# restore_dir DIR SAVED: makes DIR hold exactly what SAVED holds.
restore_dir() {
    chmod -R u+rwX "$1" 2>/dev/null
    find "$1" -mindepth 1 -delete 2>/dev/null
    cp -a "$2/." "$1/"
}

# first lines of the differences between two files, indented
diff_head() {
    diff -u --label "$3" --label "$4" "$1" "$2" | head -n 12 | sed 's/^/    /'
}

tail_of() {
    tail -n "${2:-5}" "$1" | sed 's/^/    /'
}

# run_tool TTY CWD STDIN OUT ERR VAR CMD...: runs CMD in CWD with a timeout,
# stdout to OUT and stderr to ERR, RRDB_TEST_VAR=VAR in the environment.
# With TTY=1 it runs under script(1): fds 0 and 1 are then a pseudo-terminal
# (OUT receives what the terminal showed) and STDIN is not used. With
# PIPED=1 (a program marked `// rrdb-test: stdout-pipe`) its stdout is a pipe
# to cat, which writes OUT. Returns CMD's exit status, or 124 on timeout.
run_tool() {
    local tty=$1 cwd=$2 in=$3 out=$4 err=$5 var=$6
    shift 6
    if [[ $tty == 1 ]]; then
        local cmd
        # A fixed window size, so TIOCGWINSZ has something to report.
        cmd="stty rows 24 cols 80 2>/dev/null; $(printf '%q ' env RRDB_TEST_VAR="$var" "$@") 2>$(printf '%q' "$err")"
        (cd "$cwd" && SHELL=/bin/bash timeout -k 5 "$TIMEOUT" \
            script -qec "$cmd" /dev/null </dev/null >"$out" 2>/dev/null)
    elif [[ $PIPED == 1 ]]; then
        (cd "$cwd" && RRDB_TEST_VAR=$var timeout -k 5 "$TIMEOUT" "$@" \
            <"$in" 2>"$err" | cat >"$out"; exit "${PIPESTATUS[0]}")
    else
        (cd "$cwd" && RRDB_TEST_VAR=$var timeout -k 5 "$TIMEOUT" "$@" \
            <"$in" >"$out" 2>"$err")
    fi
}

# canon FILE: output as compared — carriage returns the pty added are dropped.
canon() {
    if [[ $TTY == 1 ]]; then tr -d '\r' <"$1"; else cat "$1"; fi
}

signal_number() {
    local s=${1#SIG}
    if [[ $s =~ ^[0-9]+$ ]]; then echo "$s"; else kill -l "$s" 2>/dev/null || echo -1; fi
}

# ---- one test -----------------------------------------------------------------

# Set by run_test on failure.
REASON=
DETAIL=

fail() {
    REASON=$1
    DETAIL=${2:-}
    return 1
}

# record_one CWD TRACE PREFIX: records the program into TRACE from CWD, with
# outputs in PREFIX.out / PREFIX.err; sets REC_STATUS. Fails on a timeout or
# a bad summary line.
record_one() {
    local cwd=$1 trace=$2 pfx=$3
    run_tool "$TTY" "$cwd" "$BASE/stdin.txt" "$pfx.out" "$pfx.err" recorded \
        "$RECORD" -o "$trace" "$PROG" "${ARGS[@]}"
    REC_STATUS=$?
    canon "$pfx.out" >"$pfx.cout"
    grep -v '^rr-record:' "$pfx.err" >"$pfx.cerr"
    if [[ $REC_STATUS == 124 ]]; then
        fail "recording timed out after ${TIMEOUT}s" "$(tail_of "$pfx.err")"
        return
    fi
    local n
    n=$(grep -v '^rr-record: warning: answered in the kernel' "$pfx.err" | grep -c '^rr-record:')
    [[ $n == 1 ]] || {
        fail "rr-record printed $n lines starting with 'rr-record:' (besides a warning), expected 1" \
            "$(tail_of "$pfx.err")"
        return
    }
    # A warning line follows the summary when the recorder answered calls in
    # the kernel's place: expected for the programs that make such calls only.
    local warned=0
    grep -q '^rr-record: warning: answered in the kernel' "$pfx.err" && warned=1
    if [[ $WARNS_PROGRAMS == *" $NAME "* ]]; then
        [[ $warned == 1 ]] || { fail "rr-record did not warn of the calls it answered in the kernel's place"; return; }
    else
        [[ $warned == 0 ]] || { fail "rr-record answered calls in the kernel's place" "$(tail_of "$pfx.err")"; return; }
    fi
    [[ $REC_STATUS == "$EXPECT" ]] || {
        fail "rr-record exited $REC_STATUS, expected the program's status $EXPECT" \
            "$(tail_of "$pfx.err")"
        return
    }
    local extra
    extra=$(cd "$(dirname "$trace")" && find . -mindepth 1 ! -name "$(basename "$trace")")
    [[ -z $extra ]] || {
        fail "recording left files beside the trace (a trace is one file):" \
            "    ${extra//$'\n'/$'\n'    }"
        return
    }
    [[ -s $trace ]] || fail "no trace written at $trace"
}

# replay_one CWD TRACE PREFIX RECPREFIX: replays TRACE from CWD and checks its
# output against the recording's; sets REPLAYED (the event count it reported).
replay_one() {
    local cwd=$1 trace=$2 pfx=$3 rec=$4 status
    shift 4 # the rest: extra rr-replay options
    run_tool "$TTY" "$cwd" /dev/null "$pfx.out" "$pfx.err" replayed "$REPLAY" "$@" "$trace"
    status=$?
    canon "$pfx.out" >"$pfx.cout"
    grep -v '^rr-replay:' "$pfx.err" >"$pfx.cerr"
    [[ $status == 124 ]] && { fail "replay timed out after ${TIMEOUT}s" "$(tail_of "$pfx.err")"; return; }
    [[ $status == 0 ]] || { fail "rr-replay exited $status" "$(tail_of "$pfx.err")"; return; }
    cmp -s "$rec.cout" "$pfx.cout" || {
        fail "replay stdout differs from the recording" \
            "$(diff_head "$rec.cout" "$pfx.cout" recorded replayed)"
        return
    }
    cmp -s "$rec.cerr" "$pfx.cerr" || {
        fail "replay stderr differs from the recording" \
            "$(diff_head "$rec.cerr" "$pfx.cerr" recorded replayed)"
        return
    }
    local last
    last=$(grep '^rr-replay:' "$pfx.err" | tail -n 1)
    local re='replayed ([0-9]+) events; program (exited with status ([0-9]+)|killed by signal ([A-Za-z0-9]+))'
    [[ $last =~ $re ]] || { fail "no final 'rr-replay: replayed N events; ...' line" "$(tail_of "$pfx.err")"; return; }
    REPLAYED=${BASH_REMATCH[1]}
    if [[ -n ${BASH_REMATCH[3]} ]]; then
        dies_of_signal "$NAME" && { fail "replay says '${BASH_REMATCH[2]}', the program died of a signal"; return; }
        [[ ${BASH_REMATCH[3]} == "$REC_STATUS" ]] ||
            { fail "replay says status ${BASH_REMATCH[3]}, recording exited $REC_STATUS"; return; }
    else
        local sig
        sig=$(signal_number "${BASH_REMATCH[4]}")
        dies_of_signal "$NAME" || { fail "replay says '${BASH_REMATCH[2]}', the program exited normally"; return; }
        [[ $((128 + sig)) == "$REC_STATUS" ]] ||
            { fail "replay says signal ${BASH_REMATCH[4]}, recording exited $REC_STATUS"; return; }
    fi
}

# event_count TRACE: the number of rows in the events view, or a failure.
event_count() {
    local n
    n=$(sqlite3 -readonly "$1" 'select count(*) from events' 2>&1)
    [[ $n =~ ^[0-9]+$ ]] || { fail "cannot count events in the trace" "    $n"; return; }
    [[ $n -gt 0 ]] || { fail "the trace holds no events"; return; }
    EVENTS=$n
}

check_cwd() {
    manifest "$W" >"$O/$1.manifest"
    cmp -s "$O/before.manifest" "$O/$1.manifest" ||
        fail "$2" "$(diff_head "$O/before.manifest" "$O/$1.manifest" before "$1")"
}

# new_cwd DIR: a fresh working directory holding the runner's input file.
new_cwd() {
    mkdir -p "$1" && printf '%s' "$INPUT_TXT" >"$1/input.txt"
}

run_test() {
    NAME=$1
    PROG=$OUTDIR/$NAME
    EXPECT=$(expected_status "$NAME")
    TTY=0
    [[ $NAME == tty_* ]] && TTY=1
    PIPED=0
    grep -q '^// rrdb-test: stdout-pipe$' "$PROGDIR/$NAME.c" && PIPED=1
    ARGS=()
    while IFS= read -r a; do ARGS+=("$a"); done < <(program_args "$NAME")

    if [[ $TTY == 1 ]] && ! command -v script >/dev/null; then
        fail "script (util-linux) is needed for tty_ tests"
        return
    fi
    W=$BASE/cwd O=$BASE/out
    if ! { mkdir -p "$BASE/trace" "$BASE/saved" "$O" && new_cwd "$W"; }; then
        fail "cannot set up $BASE"
        return
    fi
    printf '%s' "$STDIN_TXT" >"$BASE/stdin.txt"
    if [[ $NAME == deleted_binary ]]; then
        mkdir -p "$BASE/bin" && cp "$PROG" "$BASE/bin/$NAME" && PROG=$BASE/bin/$NAME
    fi

    manifest "$W" >"$O/before.manifest"
    cp -a "$W/." "$BASE/saved/"
    local trace=$BASE/trace/trace
    record_one "$W" "$trace" "$O/rec" || return
    event_count "$trace" || return

    restore_dir "$W" "$BASE/saved"
    check_cwd restored "could not restore the cwd after recording (runner problem)" || return
    [[ $NAME == deleted_binary ]] && rm -f "$PROG"

    replay_one "$W" "$trace" "$O/rep" "$O/rec" || return
    [[ $REPLAYED == "$EVENTS" ]] ||
        { fail "replay reports $REPLAYED events, the trace holds $EVENTS"; return; }
    check_cwd after-replay "replay changed its cwd" || return

    # The second replay also writes the event stream it observed: it must be
    # the recorded stream, event for event (what rr-diff relies on).
    local stream=$BASE/trace/observed
    replay_one "$W" "$trace" "$O/rep2" "$O/rec" --events "$stream" ||
        { REASON="second replay: $REASON"; return 1; }
    local columns="seq, tid, kind, sysno, arg0, arg1, arg2, arg3, arg4, arg5, result, signo,
                   sig_code, sync, ip, hex(regs), data_hash"
    if ! cmp -s <(sqlite3 -readonly "$trace" "select $columns from event order by seq") \
        <(sqlite3 -readonly "$stream" "select $columns from event order by seq"); then
        fail "the event stream replay observed (--events) differs from the recorded one"
        return
    fi
    rm -f "$stream"
    cmp -s "$O/rep.err" "$O/rep2.err" ||
        { fail "second replay's stderr differs from the first's" "$(diff_head "$O/rep.err" "$O/rep2.err" first second)"; return; }
    check_cwd after-replay2 "second replay changed its cwd" || return

    # Where the CPU offers CPUID faulting, the recorder traps cpuid and must
    # hide rdrand and rdseed; elsewhere cpuid runs natively (see README).
    if [[ $NAME == cpuid ]] && grep -qw cpuid_fault /proc/cpuinfo &&
        grep -q ': present' "$O/rec.cout"; then
        fail "rdrand or rdseed visible to a recorded program despite CPUID faulting"
        return
    fi
    if [[ $REPLAY_MANY_PROGRAMS == *" $NAME "* ]]; then
        local i
        for ((i = 3; i <= REPLAY_MANY; i++)); do
            replay_one "$W" "$trace" "$O/rep-many" "$O/rec" || { REASON="replay $i of $REPLAY_MANY: $REASON"; return 1; }
        done
    fi
    if [[ $RECORD_TWICE == *" $NAME "* ]]; then
        local W2=$BASE/cwd2 trace2=$BASE/trace2/trace
        mkdir -p "$BASE/trace2" && new_cwd "$W2"
        record_one "$W2" "$trace2" "$O/rec-b" || { REASON="second recording: $REASON"; return 1; }
        if cmp -s "$O/rec.cout" "$O/rec-b.cout"; then
            fail "two recordings printed the same output; it should differ"
            return
        fi
        replay_one "$W2" "$trace2" "$O/rep-b" "$O/rec-b" || { REASON="replay of second recording: $REASON"; return 1; }
    fi
    return 0
}

# Known gaps: programs that show something rrdb does not do yet. They run like
# the others; their failure is reported as an expected one (XFAIL, counted as
# skipped) with the reason, and a pass is reported as a failure, so that this
# list is emptied as the gaps close.
known_gap() {
    case $1 in
        exec_from_thread) echo "execve from a thread that is not the leader stops the recording (the task would change tid)" ;;
        *) return 1 ;;
    esac
}

# ---- main ---------------------------------------------------------------------

passed=0
failed=0
skipped=0
for src in "$PROGDIR"/*.c; do
    name=$(basename "$src" .c)
    [[ -n $FILTER && ! $name =~ $FILTER ]] && continue
    if ! build "$name"; then
        echo "FAIL $name: does not compile"
        head -n 8 "$OUTDIR/.$name.cc.err" | sed 's/^/    /'
        failed=$((failed + 1))
        continue
    fi
    BASE=$(mktemp -d "${TMPDIR:-/tmp}/rrdb-test.$name.XXXXXX") || die "mktemp failed"
    REASON=''
    DETAIL=''
    gap=$(known_gap "$name")
    if run_test "$name"; then
        if [[ -n $gap ]]; then
            echo "FAIL $name: passes, but is listed as a known gap ($gap): take it off the list"
            failed=$((failed + 1))
        else
            echo "PASS $name"
            passed=$((passed + 1))
        fi
        rm -rf "$BASE"
    elif [[ -n $gap ]]; then
        echo "XFAIL $name: ${REASON:-unknown failure} -- known gap: $gap"
        skipped=$((skipped + 1))
        rm -rf "$BASE"
    else
        echo "FAIL $name: ${REASON:-unknown failure}"
        [[ -n $DETAIL ]] && printf '%s\n' "$DETAIL"
        echo "    files kept in $BASE"
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed == 0 ]]
