#!/usr/bin/env bash
# gdb-tests.sh — debugging a replay with Debian's gdb (rr-replay --gdb,
# --gdb-server, --goto, monitor commands). tests/progs/gdb_threads.c (two
# threads, a callback libc's qsort calls) is recorded once; gdb sessions in
# batch mode then break, continue, print, step, show the threads and a
# backtrace through libc, and run to the end, and each replay must still
# show the recording's output and end with status 0. exit_3 and
# killed_segv show an exit code and a signal the program received. Going
# back: reverse-continue, reverse-stepi, reverse-next, reverse-step,
# reverse-finish (gdb_history.c: replaying from the start). Watchpoints
# (gdb_watchpoints.c) on tests/progs/gdb_watch.c: the program's writes and
# the kernel's, forwards and back. AVX registers (tests/progs/gdb_avx.c).
# Following a fork (tests/progs/gdb_fork.c).
# Bad arguments end in one line on stderr.
#
# usage: tests/gdb-tests.sh [BINDIR]     (default: build/bin)
# Output: "PASS name" or "FAIL name: why" per test, then exactly
# "N passed, M failed, K skipped".
set -u
RUNNER=gdb-tests.sh
# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lib_tools "${1:-$ROOT/build/bin}"
lib_need gdb sqlite3
scratch gdb-tests
cd "$SCRATCH" || die "cannot enter $SCRATCH"
for prog in gdb_threads gdb_watch gdb_avx gdb_fork exit_3 killed_segv syscall_loop; do
    build_tracee $prog "$SCRATCH" || die "cannot compile $prog.c: $(cat ".$prog.cc.err")"
    args=()
    [[ $prog == syscall_loop ]] && args=(150000)
    "$RECORD" -o $prog.trace ./$prog "${args[@]}" >$prog.recorded 2>/dev/null </dev/null
done
[[ -s gdb_threads.trace ]] || die "cannot record gdb_threads"

# session NAME TRACE [RR-REPLAY OPTIONS...] -- GDB-COMMANDS...: rr-replay --gdb
# with gdb in batch mode running the commands (GDB_EARLY: gdb arguments before them); gdb's output in NAME.gdb, the
# replay's stdout in NAME.out, its stderr in NAME.err, its status in STATUS.
GDB_EARLY=()
session() {
    local name=$1 trace=$2
    shift 2
    local options=() commands=()
    while [[ $1 != -- ]]; do options+=("$1"); shift; done
    shift
    for c in "$@"; do commands+=(-ex "$c"); done
    timeout -k 5 "$TIMEOUT" "$REPLAY" --gdb "${options[@]}" "$trace" -- -nx -batch "${GDB_EARLY[@]}" "${commands[@]}" \
        </dev/null >"$name.out" 2>"$name.err"
    STATUS=$?
    # gdb writes to the same terminal as the replay: here both go to the files
    grep -hv '^Reading \|^warning: File transfers' "$name.out" "$name.err" >"$name.gdb"
}

# check NAME WHAT PATTERN...: each extended regex must match NAME.gdb.
check() {
    local name=$1 what=$2
    shift 2
    local pattern
    for pattern in "$@"; do
        if ! grep -Eq -- "$pattern" "$name.gdb"; then
            fail "$what" "gdb did not show /$pattern/" "$name.gdb"
            return 1
        fi
    done
    pass "$what"
}

# The replay under gdb is still the recording: its output, its end.
check_replay() {
    local name=$1 what=$2 recorded=$3
    if [[ $STATUS != 0 ]]; then
        fail "$what" "rr-replay exited $STATUS, expected 0 (the replay matched)" "$name.err"
    elif ! grep -Fxq -- "$(head -1 "$recorded")" "$name.out"; then
        fail "$what" "the replay did not show the recorded output" "$name.out"
    else
        pass "$what"
    fi
}

session basic gdb_threads.trace -- 'break main' continue 'print counter' stepi stepi 'info registers rip' \
    'print $fs_base != 0' continue
check basic gdb-break-main 'Breakpoint 1, main \(\) at .*gdb_threads.c' '^\$1 = 0$' 'rip +0x[0-9a-f]+ +0x[0-9a-f]+ <main\+[0-9]+>' \
    '^\$2 = 1$'
check basic gdb-continue-to-exit 'exited normally'
check_replay basic gdb-replay-matches gdb_threads.recorded

session threads gdb_threads.trace -- 'break add_to_counter' continue continue 'info threads' 'print amount' 'bt' \
    delete 'break compare_ints' continue bt delete continue
check threads gdb-threads 'hit Breakpoint 1, add_to_counter \(amount=amount@entry=10\)' \
    '^\* 2 +Thread [0-9.]+ "gdb_threads" add_to_counter' '^  1 +Thread [0-9.]+ "gdb_threads"' '^\$1 = 10$' \
    '^#1 .* in worker '
check threads gdb-bt-through-libc 'compare_ints \(a=' '^#[0-9]+ .* in (__GI_)?qsort' '^#[0-9]+ .* in main \(\) at .*gdb_threads.c'
check_replay threads gdb-threads-replay-matches gdb_threads.recorded

# Going back: to the previous hit of a breakpoint, past the first one to the
# start, forward again, one instruction back over a call, line by line.
session reverse gdb_threads.trace -- 'break add_to_counter' continue continue 'print amount' reverse-continue \
    'print amount' 'bt 1' reverse-continue continue continue 'print amount' reverse-stepi 'bt 1' delete continue
check reverse gdb-reverse-continue '^\$1 = 10$' '^\$2 = 1$' '^#0 +add_to_counter \(amount=amount@entry=1\)' \
    'No more reverse-execution history' '^\$3 = 10$' 'in worker \(arg=.*\) at .*gdb_threads.c' 'exited normally'
check_replay reverse gdb-reverse-replay-matches gdb_threads.recorded

session reverse_lines gdb_threads.trace -- 'break main' continue next next next reverse-next reverse-step \
    'break add_to_counter' continue reverse-finish 'bt 1' delete continue
check reverse_lines gdb-reverse-next-step-finish '^39.*pthread_create' '^37.*int id = 10;' '^36.*int values' \
    '^#0 +0x[0-9a-f]+ in main \(\) at .*gdb_threads.c:41' 'exited normally'
check_replay reverse_lines gdb-reverse-lines-replay-matches gdb_threads.recorded

write_seq=$(sqlite3 gdb_threads.trace "SELECT seq FROM event WHERE kind = 1 AND sysno = 1 ORDER BY seq LIMIT 1")
session goto gdb_threads.trace --goto 20 -- 'monitor event' "monitor goto $write_seq" continue 'monitor event' \
    sharedlibrary \
    'bt 1' 'monitor goto 5' continue 'monitor event'
check goto gdb-goto-and-monitor-event '^event 20, task [0-9]+: ' "continue now runs to the end of event $write_seq" \
    "^event $write_seq, task [0-9]+: syscall write\\(1, " '^#0 .*write' "the replay starts over" '^event 5, task [0-9]+: '
check_replay goto gdb-goto-replay-matches gdb_threads.recorded

# Watchpoints: the program's writes (debug registers), the kernel's (a
# read() into the watched word: 8 bytes "replayed"), forwards and back. They
# need debug registers that trap, which some hypervisors do not give: gdb
# run natively on the program tells.
if ! timeout -k 5 "$TIMEOUT" gdb -nx -batch -ex 'break main' -ex run -ex 'watch total' -ex continue ./gdb_watch \
        </dev/null 2>&1 | grep -q '^New value = 1$'; then
    for t in gdb-watch-forward gdb-watch-reverse gdb-watch-kernel-write gdb-watch-kernel-write-reverse; do
        skip $t "this machine's debug registers do not trap (gdb's own watchpoints do not fire)"
    done
else
    session watch gdb_watch.trace -- 'break main' continue 'watch total' continue 'bt 1' continue continue \
        'print total' delete continue
    check watch gdb-watch-forward 'Old value = 0' 'New value = 1' '^#0 +add \(amount=1\)' 'Old value = 1' \
        'New value = 3' 'Old value = 3' 'New value = 6' '^\$1 = 6$' 'exited normally'
    check_replay watch gdb-watch-forward-replay gdb_watch.recorded
    session watch_back gdb_watch.trace -- 'break printf' continue 'watch total' reverse-continue 'bt 1' \
        'print total' reverse-continue 'print total' delete continue
    check watch_back gdb-watch-reverse 'Old value = 6' 'New value = 3' '^#0 +add \(amount=3\)' '^\$1 = 3$' \
        'Old value = 3' 'New value = 1' '^\$2 = 1$' 'exited normally'
    session watch_kernel gdb_watch.trace -- 'break main' continue 'watch word' continue 'bt 1' 'print word' \
        'break printf' continue reverse-continue 'print word' 'x/i $pc' stepi 'print word' delete continue
    check watch_kernel gdb-watch-kernel-write 'Old value = 0' 'New value = 7234321835778663794' \
        '^#0 .* in (__GI___libc_)?read ' '^\$1 = 7234321835778663794$'
    check watch_kernel gdb-watch-kernel-write-reverse 'Old value = 7234321835778663794' '^\$2 = 0$' \
        '=> 0x[0-9a-f]+ <(__GI___libc_)?read\+[0-9]+>:\s+syscall' '^\$3 = 7234321835778663794$' 'exited normally'
    check_replay watch_kernel gdb-watch-kernel-write-replay gdb_watch.recorded
fi

# A fork: gdb follows the child (its breakpoint, its exit code; one
# instruction back in it, but not back past the fork), or stays with the
# parent (the child's breakpoint never hit).
session fork_child gdb_fork.trace -- 'set follow-fork-mode child' 'break child_work' continue 'print amount' \
    stepi reverse-stepi 'bt 1' reverse-continue 'bt 1' delete continue
check fork_child gdb-follow-fork-child 'Attaching after .* fork to child' \
    'hit Breakpoint 1, child_work \(amount=amount@entry=7\)' '^\$1 = 7$' '^#0 +child_work \(amount=amount@entry=7\)' \
    'No more reverse-execution history' 'exited with code 03'
check_replay fork_child gdb-follow-fork-child-replay gdb_fork.recorded
session fork_parent gdb_fork.trace -- 'break child_work' 'break waitpid' continue 'bt 1' delete continue
if grep -q 'hit Breakpoint 1' fork_parent.gdb; then
    fail gdb-follow-fork-parent "the child's breakpoint stopped gdb, which stays with the parent" fork_parent.gdb
else
    check fork_parent gdb-follow-fork-parent 'Detaching after fork from child process' '^#0 .*waitpid' \
        'exited normally'
fi
check_replay fork_parent gdb-follow-fork-parent-replay gdb_fork.recorded

# AVX: the upper halves of the ymm registers (target description feature
# org.gnu.gdb.i386.avx), read and written.
if grep -qw avx /proc/cpuinfo; then
    session avx gdb_avx.trace -- 'break marker' continue 'print $ymm1.v8_int32' 'set $ymm2.v8_int32[7] = 5' \
        'print $ymm2.v8_int32[7]' continue
    check avx gdb-avx-registers '^\$1 = \{-1, -1, -1, -1, -1, -1, -1, -1\}$' '^\$2 = 5$' 'exited normally'
else
    skip gdb-avx-registers "this CPU has no AVX"
fi

# A --goto far into a long trace: gdb comes once the replay stands there (it
# gives up on a server silent for its remote timeout, made 1 s here).
last_seq=$(sqlite3 syscall_loop.trace "SELECT max(seq) FROM event WHERE kind = 1 AND sysno = 110") # getppid
GDB_EARLY=(-iex 'set remotetimeout 1')
session goto_long syscall_loop.trace --goto "$last_seq" -- 'monitor event' 'bt 1' continue
GDB_EARLY=()
check goto_long gdb-goto-long "^event $last_seq, task [0-9]+: syscall getppid\\(\\)" '^#0 .*syscall' \
    'exited normally'
check_replay goto_long gdb-goto-long-replay syscall_loop.recorded


session exit3 exit_3.trace -- continue
check exit3 gdb-exit-code 'exited with code 03'
check_replay exit3 gdb-exit-code-replay exit_3.recorded

session segv killed_segv.trace -- continue 'bt 1' continue
check segv gdb-signal-received 'Program received signal SIGSEGV' '^#0 .* in main \(\) at .*killed_segv.c' \
    'Program terminated with signal SIGSEGV'

# --gdb-server: any gdb connects with the line it prints.
timeout -k 5 "$TIMEOUT" "$REPLAY" --gdb-server 127.0.0.1:0 gdb_threads.trace </dev/null >server.out 2>server.err &
server=$!
line=""
for _ in $(seq 50); do
    line=$(sed -n 's/^rr-replay: waiting for gdb: //p' server.err)
    [[ -n $line ]] && break
    sleep 0.2
done
if [[ $line == "target extended-remote 127.0.0.1:"* ]]; then
    timeout -k 5 "$TIMEOUT" gdb -nx -batch -ex "$line" -ex 'break add_to_counter' -ex continue -ex 'print amount' \
        -ex 'delete' -ex continue </dev/null >server.gdb 2>&1
    wait $server
    check server gdb-server 'add_to_counter \(amount=amount@entry=1\)' '^\$1 = 1$' 'exited normally'
else
    kill $server
    fail gdb-server "rr-replay --gdb-server did not print 'target extended-remote 127.0.0.1:PORT'" server.err
fi

# Bad arguments and traces: one line, non-zero, no gdb started.
expect_error goto-without-gdb rr-replay 'goto' "$REPLAY" --goto 3 "$SCRATCH/gdb_threads.trace" && pass goto-without-gdb
expect_error goto-past-end rr-replay 'events 0 to' "$REPLAY" --gdb --goto 999999 "$SCRATCH/gdb_threads.trace" &&
    pass goto-past-end
expect_error gdb-missing-trace rr-replay 'nothere' "$REPLAY" --gdb "$SCRATCH/nothere.trace" && pass gdb-missing-trace
expect_error gdb-server-bad-port rr-replay 'PORT' "$REPLAY" --gdb-server nonsense "$SCRATCH/gdb_threads.trace" &&
    pass gdb-server-bad-port
expect_error gdb-args-without-gdb rr-replay 'gdb' "$REPLAY" "$SCRATCH/gdb_threads.trace" -- -batch &&
    pass gdb-args-without-gdb
summary
