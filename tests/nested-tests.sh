#!/usr/bin/env bash
# nested-tests.sh — nested recording (issue 6): the recorder records the
# replayer, and the recorder itself.
#
# For each program: record it (A), record rr-replay replaying A (B), replay
# B. The inner replay must succeed under recording and show the program's
# output; the outer replay must show the same and leave the directory it runs
# in untouched. Then three levels (C records the replay of B) and recording
# the recorder (R records rr-record recording the program into I; replaying
# R must not write I again), gdb and strace as recorded tracers, and real
# programs (python3, make with gcc) with rr-diff --nested; rr-diff --nested
# is tested more in diff-tests.sh.
#
# usage: tests/nested-tests.sh [BINDIR]
# Output: "PASS name" / "FAIL name: reason" / "SKIP name: why" lines, then
# "N passed, M failed, K skipped".
set -u
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BINDIR=${1:-$ROOT/build/bin}
RUNNER=nested-tests.sh
# shellcheck source=tests/runner-setup.sh
source "$ROOT/tests/runner-setup.sh"
PROGS=$ROOT/build/tests # built by run-tests.sh, which make test runs first
[[ -x $PROGS/many_lines ]] || die "no test programs in $PROGS (run tests/run-tests.sh first)"

# Tracee programs replayed under recording: one process, several processes
# (fork_wait, pipe_between, exec_in_child, kill_child), several threads
# (threads_mutex, threads_spin_flag), signals, rdtsc and exit statuses.
NESTED_PROGRAMS="many_lines exit_3 fork_wait pipe_between exec_in_child kill_child threads_mutex
                 threads_spin_flag sig_alarm_spin getrandom fp_simd rdtsc group_stop malloc_large
                 pselect_sigmask timer_create ptrace_tracer ptrace_interrupt process_vm_write"

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/rrdb-nested.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$SCRATCH"' EXIT
passed=0 failed=0

fail() { # NAME REASON [FILE whose last lines explain]
    echo "FAIL $1: $2"
    [[ -n ${3:-} && -f $3 ]] && tail -3 "$3" | sed 's/^/    /'
    failed=$((failed + 1))
}

pass() {
    echo "PASS $1"
    passed=$((passed + 1))
}

# pass_with_events NAME TRACE: a pass, with the size of the trace that shows it.
pass_with_events() {
    pass "$1 ($(basename "$2"): $(sqlite3 "$2" 'select count(*) from event') events)"
}

# The files in a directory with their contents' hashes: a replay must not change it.
snapshot() {
    (cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
}

# record_and_replay NAME OUTER INNER_ARGS...: record the command INNER_ARGS
# into OUTER (in $dir/work), replay OUTER there and check what it showed.
# Sets status (the recorded command's exit status). Returns non-zero after
# reporting a failure.
record_and_replay() {
    local name=$1 outer=$2
    shift 2
    (cd "$dir/work" && timeout 300 "$RECORD" -o "$outer" "$@" >"$outer.out" 2>"$outer.err" </dev/null)
    status=$?
    if [[ ! -s $outer ]]; then
        fail "$name" "no trace $outer (rr-record exited $status)" "$outer.err"; return 1
    fi
    local before after
    before=$(snapshot "$dir/work")
    (cd "$dir/work" && timeout 300 "$REPLAY" "$outer" >"$outer.rep.out" 2>"$outer.rep.err" </dev/null)
    local rep_status=$?
    after=$(snapshot "$dir/work")
    if [[ $rep_status != 0 ]] || ! grep -q "program exited with status $status\$" "$outer.rep.err"; then
        fail "$name" "replaying $(basename "$outer") failed (rr-replay exited $rep_status)" "$outer.rep.err"; return 1
    fi
    if ! cmp -s "$outer.out" "$outer.rep.out"; then
        fail "$name" "replaying $(basename "$outer") showed other output"; return 1
    fi
    if [[ $before != "$after" ]]; then
        fail "$name" "replaying $(basename "$outer") changed files in its directory"; return 1
    fi
    return 0
}

# nested NAME: A = the program, B = rr-replay A under rr-record.
nested() {
    local name=$1
    dir=$SCRATCH/$name
    mkdir -p "$dir/work"
    record_and_replay "$name" "$dir/A" "$PROGS/$name" || return 1
    local program_status=$status
    record_and_replay "$name" "$dir/B" "$REPLAY" "$dir/A" || return 1
    if [[ $status != 0 ]]; then
        fail "$name" "the inner replay failed under recording (exited $status)" "$dir/B.err"; return 1
    fi
    if ! grep -q "program exited with status $program_status\$" "$dir/B.err"; then
        fail "$name" "the inner replay did not end as the program did (status $program_status)" "$dir/B.err"
        return 1
    fi
    if ! cmp -s "$dir/A.out" "$dir/B.out"; then
        fail "$name" "the inner replay showed other output than the program"; return 1
    fi
    pass_with_events "$name" "$dir/B"
}

for name in $NESTED_PROGRAMS; do
    nested "$name"
done

# Real programs, nested: python3 with threads, make running gcc (cc1, as,
# collect2, ld: processes that exec). B's replay must show A's output, and
# rr-diff --nested must find B's inner replay identical to A.
nested_real() {
    local name=$1
    shift
    dir=$SCRATCH/$name
    mkdir -p "$dir/work"
    printf 'int main(void) { return 0; }\n' >"$dir/work/m.c"
    printf 'x: m.c\n\tgcc -o x m.c\n' >"$dir/work/Makefile"
    record_and_replay "$name" "$dir/A" "$@" || return
    rm -f "$dir/work/x" # built when A was recorded: B's inner replay must not build it
    record_and_replay "$name" "$dir/B" "$REPLAY" "$dir/A" || return
    if [[ $status != 0 ]] || ! cmp -s "$dir/A.out" "$dir/B.out" || [[ -e $dir/work/x ]]; then
        fail "$name" "the inner replay failed, showed other output or built x (exited $status)" "$dir/B.err"
        return
    fi
    if ! "$BINDIR/rr-diff" --nested "$dir/B" "$dir/A" >"$dir/diff.out" 2>&1 || ! grep -q '^identical' "$dir/diff.out"; then
        fail "$name" "rr-diff --nested does not find the inner replay identical" "$dir/diff.out"
        return
    fi
    pass_with_events "$name" "$dir/B"
}
nested_real python3_threads python3 -c 'import threading
t = [threading.Thread(target=lambda: sum(range(100000))) for _ in range(4)]
[x.start() for x in t]; [x.join() for x in t]; print("threads done")'
nested_real make_gcc make --no-print-directory

# Three levels: C records rr-replay replaying B (itself a recorded replay).
three_levels() {
    local name=three_levels
    dir=$SCRATCH/fork_wait
    [[ -s $dir/B ]] || { fail $name "no nested recording of fork_wait to build on"; return; }
    record_and_replay $name "$dir/C" "$REPLAY" "$dir/B" || return
    if [[ $status != 0 ]] || ! cmp -s "$dir/A.out" "$dir/C.out"; then
        fail $name "the replay of B under recording failed (exited $status)" "$dir/C.err"; return
    fi
    pass_with_events "$name" "$dir/C"
}
three_levels

# Recording the recorder: R records rr-record recording many_lines into I.
record_the_recorder() {
    local name=record_the_recorder
    dir=$SCRATCH/recorder
    mkdir -p "$dir/work"
    (cd "$dir/work" && "$PROGS/many_lines" >"$dir/native.out" 2>/dev/null </dev/null)
    local native_status=$?
    record_and_replay $name "$dir/R" "$RECORD" -o "$dir/work/I" "$PROGS/many_lines" || return
    if [[ $status != "$native_status" ]] || ! cmp -s "$dir/native.out" "$dir/R.out"; then
        fail $name "the inner recording did not run as the program does (exited $status)" "$dir/R.err"; return
    fi
    # The inner recording is a trace like any other. (The outer replay
    # above left the work directory as it was: I was not written again.)
    if ! (cd "$dir/work" && timeout 60 "$REPLAY" I >"$dir/I.rep.out" 2>"$dir/I.rep.err" </dev/null) ||
        ! cmp -s "$dir/native.out" "$dir/I.rep.out"; then
        fail $name "the trace the recorded recorder wrote does not replay" "$dir/I.rep.err"; return
    fi
    pass_with_events "$name" "$dir/R"
}
record_the_recorder

# A debugger as the recorded tracer: gdb runs a program to its end (fork,
# PTRACE_TRACEME, breakpoints written through /proc/PID/task/TID/mem,
# single steps, SIGCHLD for each stop).
skipped=0
gdb_runs_a_program() {
    local name=gdb_runs_a_program
    if ! command -v gdb >/dev/null; then
        echo "SKIP $name: gdb is not installed"; skipped=$((skipped + 1)); return
    fi
    dir=$SCRATCH/gdb
    mkdir -p "$dir/work"
    record_and_replay $name "$dir/G" gdb -nx -batch -ex run --args "$PROGS/many_lines" || return
    if [[ $status != 0 ]] || ! grep -q "exited normally" "$dir/G.out" ||
        ! grep -q "^line 09999 of 10000" "$dir/G.out"; then
        fail $name "gdb did not run the program to its end under recording (exited $status)" "$dir/G.err"
        return
    fi
    pass_with_events "$name" "$dir/G"
}
gdb_runs_a_program

# strace -f as the recorded tracer: PTRACE_SEIZE, INTERRUPT and LISTEN on a
# child that stopped itself, its threads auto-attached, SIGCONT.
strace_follows_threads() {
    local name=strace_follows_threads
    dir=$SCRATCH/strace
    mkdir -p "$dir/work"
    record_and_replay $name "$dir/S" strace -f -o "$dir/work/strace.txt" "$PROGS/threads_mutex" || return
    local tasks
    tasks=$(awk '{ print $1 }' "$dir/work/strace.txt" | sort -u | wc -l)
    if [[ $status != 0 ]] || ! cmp -s "$dir/S.out" "$SCRATCH/threads_mutex/A.out" || [[ $tasks -lt 9 ]]; then
        fail $name "strace did not follow the program's 9 tasks under recording (exited $status, $tasks tasks)" \
            "$dir/S.err"
        return
    fi
    pass_with_events "$name" "$dir/S"
}
strace_follows_threads

echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed == 0 ]]
