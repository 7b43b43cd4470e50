#!/usr/bin/env bash
# nested-tests.sh — nested recording (issue 6): the recorder records the
# replayer, and the recorder itself.
#
# For each program of tests/progs marked `// rrdb-test: nested`: record it
# (A), record rr-replay replaying A (B), replay B. The inner replay must
# succeed under recording and show the program's output; the outer replay
# must show the same and leave the directory it runs in untouched. Then three
# levels (C records the replay of B) and recording the recorder (R records
# rr-record recording the program into I; replaying R must not write I
# again), gdb and strace as recorded tracers, and real programs (python3,
# make with gcc) with rr-diff --nested; rr-diff --nested is tested more in
# diff-tests.sh.
#
# usage: tests/nested-tests.sh [BINDIR]
# Output: "PASS name" / "FAIL name: reason" / "SKIP name: why" lines, then
# "N passed, M failed, K skipped".
set -u
RUNNER=nested-tests.sh
TIMEOUT=300
# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lib_tools "${1:-$ROOT/build/bin}" rr-diff
PROGS=$ROOT/build/tests # built by run-tests.sh, which make test runs first
[[ -x $PROGS/many_lines ]] || die "no test programs in $PROGS (run tests/run-tests.sh first)"
scratch nested

# pass_with_events NAME TRACE: a pass, with the size of the trace that shows it.
pass_with_events() {
    pass "$1" "$(basename "$2"): $(event_total "$2") events"
}

# nested NAME: A = the program, B = rr-replay A under rr-record.
nested() {
    local name=$1
    dir=$SCRATCH/$name
    mkdir -p "$dir/work"
    record_replay "$name" "$dir/A" "$dir/work" "$PROGS/$name" || return 1
    local program_status=$REC_STATUS
    record_replay "$name" "$dir/B" "$dir/work" "$REPLAY" "$dir/A" || return 1
    if [[ $REC_STATUS != 0 ]]; then
        fail "$name" "the inner replay failed under recording (exited $REC_STATUS)" "$dir/B.err"; return 1
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

nested_programs=$(progs_with nested)
[[ -n $nested_programs ]] || fail nested "no program of tests/progs is marked '// rrdb-test: nested'"
for name in $nested_programs; do
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
    record_replay "$name" "$dir/A" "$dir/work" "$@" || return
    rm -f "$dir/work/x" # built when A was recorded: B's inner replay must not build it
    record_replay "$name" "$dir/B" "$dir/work" "$REPLAY" "$dir/A" || return
    if [[ $REC_STATUS != 0 ]] || ! cmp -s "$dir/A.out" "$dir/B.out" || [[ -e $dir/work/x ]]; then
        fail "$name" "the inner replay failed, showed other output or built x (exited $REC_STATUS)" "$dir/B.err"
        return
    fi
    if ! "$DIFF" --nested "$dir/B" "$dir/A" >"$dir/diff.out" 2>&1 || ! grep -q '^identical' "$dir/diff.out"; then
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
    record_replay $name "$dir/C" "$dir/work" "$REPLAY" "$dir/B" || return
    if [[ $REC_STATUS != 0 ]] || ! cmp -s "$dir/A.out" "$dir/C.out"; then
        fail $name "the replay of B under recording failed (exited $REC_STATUS)" "$dir/C.err"; return
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
    record_replay $name "$dir/R" "$dir/work" "$RECORD" -o "$dir/work/I" "$PROGS/many_lines" || return
    if [[ $REC_STATUS != "$native_status" ]] || ! cmp -s "$dir/native.out" "$dir/R.out"; then
        fail $name "the inner recording did not run as the program does (exited $REC_STATUS)" "$dir/R.err"; return
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
gdb_runs_a_program() {
    local name=gdb_runs_a_program
    if ! command -v gdb >/dev/null; then
        skip $name "gdb is not installed"; return
    fi
    dir=$SCRATCH/gdb
    mkdir -p "$dir/work"
    record_replay $name "$dir/G" "$dir/work" gdb -nx -batch -ex run --args "$PROGS/many_lines" || return
    if [[ $REC_STATUS != 0 ]] || ! grep -q "exited normally" "$dir/G.out" ||
        ! grep -q "^line 09999 of 10000" "$dir/G.out"; then
        fail $name "gdb did not run the program to its end under recording (exited $REC_STATUS)" "$dir/G.err"
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
    record_replay $name "$dir/S" "$dir/work" strace -f -o "$dir/work/strace.txt" "$PROGS/threads_mutex" || return
    local tasks
    tasks=$(awk '{ print $1 }' "$dir/work/strace.txt" | sort -u | wc -l)
    if [[ $REC_STATUS != 0 ]] || ! cmp -s "$dir/S.out" "$SCRATCH/threads_mutex/A.out" || [[ $tasks -lt 9 ]]; then
        fail $name "strace did not follow the program's 9 tasks under recording (exited $REC_STATUS, $tasks tasks)" \
            "$dir/S.err"
        return
    fi
    pass_with_events "$name" "$dir/S"
}
strace_follows_threads

summary
