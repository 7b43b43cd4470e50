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
# set (default: gcc -O1 -g -Wall -Wextra -Werror). What a program needs beyond
# the default (exit status, arguments, replay count, a terminal...) is written
# at the top of its own .c file as `// rrdb-test: KEY VALUE` lines (the keys
# are listed in tests/lib.sh): adding a test is dropping a .c file there.
# Each test runs in fresh temporary directories:
#   cwd/    the program's working directory, holding input.txt
#   trace/  the trace (never inside the cwd)
#   saved/  a copy of cwd/ before recording, to undo the recording's effects
#   out/    captured outputs and directory manifests
# For each program: record it, undo its effects on cwd/, replay it twice (or
# as often as its `replays` says) and compare; `record-twice` programs are
# recorded again and must print something else. `tty` programs run under
# `script` so that fds 0 and 1 are a pseudo-terminal. The directories of
# failed tests are kept and named.
#
# Output: one line "PASS name" or "FAIL name: reason" per test (a FAIL may be
# followed by indented detail lines; an XFAIL line for a known gap), then
# exactly "N passed, M failed, K skipped".
# Exit status 0 only when nothing failed; 2 when the tests could not be run.

set -u
ulimit -c 0   # programs killed by a signal must not leave core files in their cwd

RUNNER=run-tests.sh
# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lib_tools "${1:-$ROOT/build/bin}"
FILTER=${2:-}
OUTDIR=$ROOT/build/tests
mkdir -p "$OUTDIR" || die "cannot create $OUTDIR"


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

# ---- one test -----------------------------------------------------------------

# record_one CWD TRACE PREFIX: records the program into TRACE from CWD, with
# outputs in PREFIX.out / PREFIX.err; sets REC_STATUS. Fails on a timeout or
# a bad summary line.
record_one() {
    local cwd=$1 trace=$2 pfx=$3 buffer=()
    prog_meta "$NAME" syscall-buffer >/dev/null && buffer=(env RRDB_SYSCALLBUF=1)
    run_tool "$TTY" "$cwd" "$BASE/stdin.txt" "$pfx.out" "$pfx.err" recorded \
        "${buffer[@]}" "$RECORD" -o "$trace" "$PROG" "${ARGS[@]}"
    REC_STATUS=$?
    canon "$pfx.out" >"$pfx.cout"
    grep -v '^rr-record:' "$pfx.err" >"$pfx.cerr"
    if [[ $REC_STATUS == 124 ]]; then
        reason "recording timed out after ${TIMEOUT}s" "$(tail_of "$pfx.err")"
        return
    fi
    local n
    n=$(grep -v '^rr-record: warning: answered in the kernel' "$pfx.err" | grep -c '^rr-record:')
    [[ $n == 1 ]] || {
        reason "rr-record printed $n lines starting with 'rr-record:', expected 1" \
            "$(tail_of "$pfx.err")"
        return
    }
    # A warning line follows the summary when the recorder answered calls in
    # the kernel's place: expected for the programs that make such calls only.
    local warned=0
    grep -q '^rr-record: warning: answered in the kernel' "$pfx.err" && warned=1
    if prog_meta "$NAME" warns >/dev/null; then
        [[ $warned == 1 ]] || { reason "rr-record did not warn of the calls it answered in the kernel's place"; return; }
    else
        [[ $warned == 0 ]] || { reason "rr-record answered calls in the kernel's place" "$(tail_of "$pfx.err")"; return; }
    fi
    [[ $REC_STATUS == "$EXPECT" ]] || {
        reason "rr-record exited $REC_STATUS, expected the program's status $EXPECT" \
            "$(tail_of "$pfx.err")"
        return
    }
    local extra
    extra=$(cd "$(dirname "$trace")" && find . -mindepth 1 ! -name "$(basename "$trace")")
    [[ -z $extra ]] || {
        reason "recording left files beside the trace (a trace is one file):" \
            "    ${extra//$'\n'/$'\n'    }"
        return
    }
    [[ -s $trace ]] || { reason "no trace written at $trace"; return; }
    # The syscall buffer was used: its calls are events of their own kind.
    if [[ ${#buffer[@]} -gt 0 ]]; then
        local buffered
        buffered=$(sqlite3 "$trace" "SELECT count(*) FROM event WHERE kind = 1 AND sig_code = 4")
        [[ $buffered -gt 0 ]] || reason "recorded with the syscall buffer, but no call went through it"
    fi
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
    [[ $status == 124 ]] && { reason "replay timed out after ${TIMEOUT}s" "$(tail_of "$pfx.err")"; return; }
    [[ $status == 0 ]] || { reason "rr-replay exited $status" "$(tail_of "$pfx.err")"; return; }
    cmp -s "$rec.cout" "$pfx.cout" || {
        reason "replay stdout differs from the recording" \
            "$(diff_head "$rec.cout" "$pfx.cout" recorded replayed)"
        return
    }
    cmp -s "$rec.cerr" "$pfx.cerr" || {
        reason "replay stderr differs from the recording" \
            "$(diff_head "$rec.cerr" "$pfx.cerr" recorded replayed)"
        return
    }
    local last
    last=$(grep '^rr-replay:' "$pfx.err" | tail -n 1)
    local re='replayed ([0-9]+) events; program (exited with status ([0-9]+)|killed by signal ([A-Za-z0-9]+))'
    [[ $last =~ $re ]] || { reason "no final 'rr-replay: replayed N events; ...' line" "$(tail_of "$pfx.err")"; return; }
    REPLAYED=${BASH_REMATCH[1]}
    if [[ -n ${BASH_REMATCH[3]} ]]; then
        [[ -z $SIGNAL ]] || { reason "replay says '${BASH_REMATCH[2]}', the program died of $SIGNAL"; return; }
        [[ ${BASH_REMATCH[3]} == "$REC_STATUS" ]] ||
            { reason "replay says status ${BASH_REMATCH[3]}, recording exited $REC_STATUS"; return; }
    else
        local sig
        sig=$(signal_number "${BASH_REMATCH[4]}")
        [[ -n $SIGNAL ]] || { reason "replay says '${BASH_REMATCH[2]}', the program exited normally"; return; }
        [[ $sig == "$(signal_number "$SIGNAL")" ]] ||
            { reason "replay says signal ${BASH_REMATCH[4]}, the program died of $SIGNAL"; return; }
        [[ $((128 + sig)) == "$REC_STATUS" ]] ||
            { reason "replay says signal ${BASH_REMATCH[4]}, recording exited $REC_STATUS"; return; }
    fi
}

# event_count TRACE: the number of rows in the events view, or a failure.
event_count() {
    local n
    n=$(sqlite3 -readonly "$1" 'select count(*) from events' 2>&1)
    [[ $n =~ ^[0-9]+$ ]] || { reason "cannot count events in the trace" "    $n"; return; }
    [[ $n -gt 0 ]] || { reason "the trace holds no events"; return; }
    EVENTS=$n
}

check_cwd() {
    manifest "$W" >"$O/$1.manifest"
    cmp -s "$O/before.manifest" "$O/$1.manifest" ||
        reason "$2" "$(diff_head "$O/before.manifest" "$O/$1.manifest" before "$1")"
}

run_test() {
    NAME=$1
    PROG=$OUTDIR/$NAME
    read_metadata "$NAME" || return

    if [[ $TTY == 1 ]] && ! command -v script >/dev/null; then
        reason "script (util-linux) is needed for tty tests"
        return
    fi
    W=$BASE/cwd O=$BASE/out
    if ! { mkdir -p "$BASE/trace" "$BASE/saved" "$O" && new_cwd "$W"; }; then
        reason "cannot set up $BASE"
        return
    fi
    printf '%s' "$STDIN_TXT" >"$BASE/stdin.txt"
    local deleted=0
    if prog_meta "$NAME" binary-deleted >/dev/null; then
        deleted=1
        mkdir -p "$BASE/bin" && cp "$PROG" "$BASE/bin/$NAME" && PROG=$BASE/bin/$NAME
    fi

    manifest "$W" >"$O/before.manifest"
    cp -a "$W/." "$BASE/saved/"
    local trace=$BASE/trace/trace
    record_one "$W" "$trace" "$O/rec" || return
    event_count "$trace" || return

    restore_dir "$W" "$BASE/saved"
    check_cwd restored "could not restore the cwd after recording (runner problem)" || return
    [[ $deleted == 1 ]] && rm -f "$PROG"

    replay_one "$W" "$trace" "$O/rep" "$O/rec" || return
    [[ $REPLAYED == "$EVENTS" ]] ||
        { reason "replay reports $REPLAYED events, the trace holds $EVENTS"; return; }
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
        reason "the event stream replay observed (--events) differs from the recorded one"
        return
    fi
    rm -f "$stream"
    cmp -s "$O/rep.err" "$O/rep2.err" ||
        { reason "second replay's stderr differs from the first's" "$(diff_head "$O/rep.err" "$O/rep2.err" first second)"; return; }
    check_cwd after-replay2 "second replay changed its cwd" || return

    # Where the CPU offers CPUID faulting, the recorder traps cpuid and must
    # hide what the program may not see (cpuid.c: rdrand and rdseed);
    # elsewhere cpuid runs natively (see README).
    local hidden
    if hidden=$(prog_meta "$NAME" faulting-hides) && grep -qw cpuid_fault /proc/cpuinfo &&
        grep -qF -- "$hidden" "$O/rec.cout"; then
        reason "'$hidden' in the output of a recorded program despite CPUID faulting"
        return
    fi
    local i
    for ((i = 3; i <= REPLAYS; i++)); do
        replay_one "$W" "$trace" "$O/rep-many" "$O/rec" || { REASON="replay $i of $REPLAYS: $REASON"; return 1; }
    done
    if prog_meta "$NAME" record-twice >/dev/null; then
        local W2=$BASE/cwd2 trace2=$BASE/trace2/trace
        mkdir -p "$BASE/trace2" && new_cwd "$W2"
        record_one "$W2" "$trace2" "$O/rec-b" || { REASON="second recording: $REASON"; return 1; }
        if cmp -s "$O/rec.cout" "$O/rec-b.cout"; then
            reason "two recordings printed the same output; it should differ"
            return
        fi
        replay_one "$W2" "$trace2" "$O/rep-b" "$O/rec-b" || { REASON="replay of second recording: $REASON"; return 1; }
    fi
    return 0
}

# ---- main ---------------------------------------------------------------------

# A program whose metadata names a known gap (something rrdb does not do yet)
# runs like the others; its failure is an expected one (XFAIL, counted as
# skipped) with the reason, and a pass is a failure, so that the gaps are
# closed in the open.
for src in "$PROGS_SRC"/*.c; do
    name=$(basename "$src" .c)
    [[ -n $FILTER && ! $name =~ $FILTER ]] && continue
    if ! build_tracee "$name" "$OUTDIR"; then
        fail "$name" "does not compile"
        head -n 8 "$OUTDIR/.$name.cc.err" | sed 's/^/    /'
        continue
    fi
    BASE=$(mktemp -d "${TMPDIR:-/tmp}/rrdb-test.$name.XXXXXX") || die "mktemp failed"
    REASON=''
    DETAIL=''
    run_test "$name"
    status=$?
    gap_verdict "$name" "$(prog_meta "$name" known-gap)" "$BASE" "$status"
done
summary
