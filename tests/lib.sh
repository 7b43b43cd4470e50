# lib.sh — what every test runner in tests/ shares; sourced, never run.
#
# The runner sets RUNNER (its name, for messages) and may set TIMEOUT
# (seconds a tool may run, default 60) before sourcing it, then calls
# `lib_tools BINDIR [rr-query] [rr-diff]` to find the tools. What it offers:
#   pass / fail / skip / xfail   a verdict line each, counted
#   gap_verdict                  pass or fail under a known-gap mark
#   summary                      the closing "N passed, M failed, K skipped"
#                                (what tests/run-all.sh adds up); its status
#   scratch NAME                 a fresh temporary directory in $SCRATCH,
#                                removed at exit unless a test failed
#   build_prog SOURCE OUTDIR     compile a tracee program when it changed
#   prog_meta / progs_with       the metadata of tests/progs programs
#   read_metadata / run_tool     run a tests/progs program as its metadata
#                                says (status, arguments, terminal, pipe)
#   record_replay                record a command, replay it, compare
#   snapshot DIR                 the files below DIR with their contents' hashes
#
# Tracee metadata: lines at the top of a tests/progs/*.c file, one setting
# each, read with sed:
#   // rrdb-test: status 3                 the exit status it ends with (default 0)
#   // rrdb-test: signal SIGSEGV           it dies of this signal (status 128+N)
#   // rrdb-test: args one "two words" ""  its arguments (quoted as for xargs)
#   // rrdb-test: replays 20               replay its recording 20 times (default 2)
#   // rrdb-test: record-twice             two recordings must print different output
#   // rrdb-test: warns                    rr-record must warn that it answered calls in
#                                          the kernel's place (ENOSYS, io_uring…)
#   // rrdb-test: tty                      run with a pseudo-terminal on fds 0 and 1
#   // rrdb-test: stdout-pipe              run with stdout a pipe (to cat)
#   // rrdb-test: static                   link it with -static
#   // rrdb-test: syscall-buffer           record it with the syscall buffer on (RRDB_SYSCALLBUF=1);
#                                          the trace must hold buffered syscall events
#   // rrdb-test: binary-deleted           delete the program before replaying it
#   // rrdb-test: faulting-hides TEXT      where CPUID faulting exists, the recorded
#                                          output must not hold TEXT
#   // rrdb-test: known-gap WHY            a known gap: its failure is an XFAIL
#   // rrdb-test: nested                   nested-tests.sh records its replay
#   // rrdb-test: nested-diff              diff-tests.sh compares its replay, recorded,
#                                          with rr-diff --nested
#   // rrdb-test: nested-known-gap WHY     a known gap of nested-all.sh (every program,
#                                          nested): its failure there is an XFAIL
# A program without metadata exits 0, takes no arguments and replays twice.

export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROGS_SRC=$ROOT/tests/progs
TIMEOUT=${TIMEOUT:-60}
CC=${CC:-gcc}
CFLAGS=${CFLAGS:--O1 -g -Wall -Wextra -Werror}
PROG_META_KEYS=" status signal args replays record-twice warns tty stdout-pipe static syscall-buffer binary-deleted faulting-hides known-gap 
                 nested nested-diff nested-known-gap "
passed=0 failed=0 skipped=0

die() {
    echo "$RUNNER: $*" >&2
    exit 2
}

# lib_tools BINDIR [TOOL...]: BINDIR made absolute; RECORD and REPLAY, and
# QUERY for rr-query, DIFF for rr-diff, checked to be there. sqlite3 and
# timeout are needed by every runner.
lib_tools() {
    [[ -d $1 ]] || die "no such directory: $1"
    BINDIR=$(cd "$1" && pwd)
    shift
    RECORD=$BINDIR/rr-record
    REPLAY=$BINDIR/rr-replay
    QUERY=$BINDIR/rr-query
    DIFF=$BINDIR/rr-diff
    RESEAL=$BINDIR/../helpers/trace_reseal
    local tool
    for tool in rr-record rr-replay "$@"; do
        [[ -x $BINDIR/$tool ]] || die "not found or not executable: $BINDIR/$tool"
    done
    lib_need sqlite3 timeout
}

# tamper TRACE SQL: change a trace on purpose with sqlite3 (printing what the
# SQL prints), then recompute its checksums (tests/helpers/trace_reseal.c):
# the change then reaches the checks behind the checksums, what a reader does
# with a value they would not catch. (A change left unresealed is caught by
# the checksums: tests/corrupt-traces.sh.)
tamper() {
    local out
    out=$(sqlite3 "$1" "$2") || return
    [[ -x $RESEAL ]] || die "not found or not executable: $RESEAL (make builds it)"
    "$RESEAL" "$1" || return
    [[ -z $out ]] || printf '%s\n' "$out"
}

# lib_need CMD...: every CMD is installed, or the runner cannot run.
lib_need() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null || die "$c is needed"
    done
}

# ---- verdicts ------------------------------------------------------------------

pass() { # NAME [NOTE]
    echo "PASS $1${2:+ ($2)}"
    passed=$((passed + 1))
}

# fail NAME REASON [FILE]: REASON's lines after its first, and FILE's last
# lines, which should say why, indented (run-all.sh shows indented lines).
fail() {
    echo "FAIL $1: ${2%%$'\n'*}"
    [[ $2 == *$'\n'* ]] && sed 's/^/    /' <<<"${2#*$'\n'}"
    [[ -n ${3:-} && -f ${3:-} ]] && tail -n 5 "$3" | sed 's/^/    /'
    failed=$((failed + 1))
}

skip() { # NAME WHY: not run here (a tool is missing)
    echo "SKIP $1: $2"
    skipped=$((skipped + 1))
}

xfail() { # NAME WHY: failed, as a known gap says it does
    echo "XFAIL $1: $2"
    skipped=$((skipped + 1))
}

# summary: the closing line; status 0 only when nothing failed.
summary() {
    echo "$passed passed, $failed failed, $skipped skipped"
    [[ $failed == 0 ]]
}

# ---- running a tool that must fail ------------------------------------------------

# run CASEDIR CMD...: runs CMD inside CASEDIR (created) with a timeout and no
# stdin; stdout/stderr go to CASEDIR.out / CASEDIR.err; sets STATUS.
run() {
    local dir=$1
    shift
    mkdir -p "$dir"
    (cd "$dir" && timeout -k 5 "$TIMEOUT" "$@" </dev/null >"$dir.out" 2>"$dir.err")
    STATUS=$?
}

# expect_error CASE TOOL PATTERN CMD...: CMD must fail cleanly with a single
# stderr line that starts with "TOOL:" and matches the extended regex PATTERN
# (case-insensitive; empty: anything). Runs in $SCRATCH/CASE (see scratch). Returns 0 when
# all of that holds, after printing the verdict.
expect_error() {
    local name=$1 tool=$2 pattern=$3
    shift 3
    local dir=$SCRATCH/$name
    run "$dir" "$@"
    local err=$dir.err lines
    lines=$(grep -c '' "$err")
    if [[ $STATUS == 124 ]]; then
        fail "$name" "timed out after ${TIMEOUT}s" "$err"
    elif [[ $STATUS == 0 ]]; then
        fail "$name" "exited 0, expected a failure" "$err"
    elif ((STATUS >= 128)); then
        fail "$name" "crashed or was killed (exit status $STATUS)" "$err"
    elif grep -Eq 'Sanitizer|runtime error:' "$err"; then
        fail "$name" "sanitizer report on stderr" "$err"
    elif [[ $lines != 1 ]]; then
        fail "$name" "printed $lines lines on stderr, expected exactly 1" "$err"
    elif ! grep -q "^$tool:" "$err"; then
        fail "$name" "the stderr line does not start with '$tool:'" "$err"
    elif [[ -n $pattern ]] && ! grep -Eiq -- "$pattern" "$err"; then
        fail "$name" "the stderr line does not name the problem (expected /$pattern/)" "$err"
    else
        return 0
    fi
    return 1
}

# gap_verdict NAME GAP DIR STATUS: the verdict line of a test that ended
# with STATUS (0: passed; REASON and DETAIL say why not) under the known-gap
# mark GAP (empty: none): a gap's failure is an XFAIL and its pass a failure,
# so that gaps are closed in the open. DIR, the test's files, is removed
# unless the test failed (then it is named).
gap_verdict() {
    local name=$1 gap=$2 dir=$3 status=$4
    if [[ $status == 0 && -n $gap ]]; then
        fail "$name" "passes, but is marked as a known gap ($gap): take the mark off"
    elif [[ $status == 0 ]]; then
        pass "$name"
    elif [[ -n $gap ]]; then
        xfail "$name" "${REASON:-unknown failure} -- known gap: $gap"
    else
        fail "$name" "${REASON:-unknown failure}"
        [[ -n $DETAIL ]] && printf '%s\n' "$DETAIL"
        echo "    files kept in $dir"
        return
    fi
    rm -rf "$dir"
}

# ---- files ------------------------------------------------------------------------

# scratch NAME: a fresh temporary directory in $SCRATCH, removed when the
# runner exits unless a test failed (then kept, and named on stderr).
scratch() {
    SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/rrdb-$1.XXXXXX") || die "mktemp failed"
    trap lib_cleanup EXIT
}

lib_cleanup() {
    if [[ $failed != 0 ]]; then
        echo "$RUNNER: files kept in $SCRATCH" >&2
    else
        rm -rf "$SCRATCH"
    fi
}

# snapshot DIR: the files below DIR with their contents' hashes, sorted.
snapshot() {
    (cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
}

# build_prog SOURCE OUTDIR [FLAG...]: compile SOURCE (a path below ROOT, or
# absolute) with $CC $CFLAGS and FLAGs into OUTDIR under its own name, when
# the source or the flags changed since the last build. Built under a
# temporary name and renamed: another runner may be executing the old binary.
# Returns 1 with the compiler's complaints in OUTDIR/.NAME.cc.err.
build_prog() {
    local src=$1 outdir=$2
    shift 2
    [[ $src == /* ]] || src=$ROOT/$src
    local name
    name=$(basename "$src" .c)
    local bin=$outdir/$name stamp=$outdir/.$name.flags flags="$CC $CFLAGS $*"
    if [[ -x $bin && $bin -nt $src && -f $stamp && $(<"$stamp") == "$flags" ]]; then
        return 0
    fi
    mkdir -p "$outdir" || return 1
    # shellcheck disable=SC2086 # CFLAGS is a list of words
    if ! $CC $CFLAGS "$@" -o "$bin.tmp.$$" "$src" -lm -pthread 2>"$outdir/.$name.cc.err"; then
        rm -f "$bin.tmp.$$"
        return 1
    fi
    mv -f "$bin.tmp.$$" "$bin" && printf '%s' "$flags" >"$stamp"
}

# ---- tracee metadata ----------------------------------------------------------------

# prog_meta NAME KEY: the value of KEY in tests/progs/NAME.c's metadata on
# stdout (empty for a flag); status 1 when the program does not have KEY.
prog_meta() {
    local key value found=1
    while read -r key value; do
        if [[ $key == "$2" ]]; then
            printf '%s\n' "$value"
            found=0
        fi
    done < <(sed -n 's|^// rrdb-test: *||p' "$PROGS_SRC/$1.c")
    return $found
}

# prog_meta_unknown NAME: the keys of NAME's metadata that mean nothing (typos).
prog_meta_unknown() {
    local key value
    while read -r key value; do
        [[ $PROG_META_KEYS == *" $key "* ]] || printf '%s ' "$key"
    done < <(sed -n 's|^// rrdb-test: *||p' "$PROGS_SRC/$1.c")
}

# progs_with KEY: the names of the programs whose metadata has KEY, sorted.
progs_with() {
    local src
    for src in "$PROGS_SRC"/*.c; do
        grep -q "^// rrdb-test: *$1\( \|$\)" "$src" && basename "$src" .c
    done
}

# ---- running a tests/progs program as its metadata says ------------------------------

# Fixed contents the runners give every tracee program: input.txt in its
# working directory, and its stdin (unless it runs on a terminal).
INPUT_TXT=$'alpha\nbeta\ngamma\n'
STDIN_TXT=$'first line on stdin\nsecond line on stdin\n'

# build_tracee NAME OUTDIR: compile tests/progs/NAME.c into OUTDIR (-static
# when its metadata says so); as build_prog.
build_tracee() {
    local flags=()
    prog_meta "$1" static >/dev/null && flags=(-static)
    build_prog "$PROGS_SRC/$1.c" "$2" "${flags[@]}"
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

# signal_number SIG: the number of signal SIG (SIGSEGV, SEGV or 11); -1 if none.
signal_number() {
    local s=${1#SIG}
    if [[ $s =~ ^[0-9]+$ ]]; then echo "$s"; else kill -l "$s" 2>/dev/null || echo -1; fi
}

# Set by reason: why a test fails.
REASON=
DETAIL=

# reason WHY [DETAIL]: why this test fails, for the verdict line; returns 1.
reason() {
    REASON=$1
    DETAIL=${2:-}
    return 1
}

# new_cwd DIR: a fresh working directory holding the runner's input file.
new_cwd() {
    mkdir -p "$1" && printf '%s' "$INPUT_TXT" >"$1/input.txt"
}

# read_metadata NAME: what tests/progs/NAME.c's metadata says, into EXPECT
# (the exit status), SIGNAL, ARGS, REPLAYS, TTY, PIPED. Fails on a key that means nothing.
read_metadata() {
    local unknown
    unknown=$(prog_meta_unknown "$1")
    [[ -z $unknown ]] || { reason "unknown metadata key(s) in $1.c: $unknown"; return; }
    SIGNAL=$(prog_meta "$1" signal)
    if [[ -n $SIGNAL ]]; then
        EXPECT=$((128 + $(signal_number "$SIGNAL")))
    else
        EXPECT=$(prog_meta "$1" status) || EXPECT=0
    fi
    REPLAYS=$(prog_meta "$1" replays) && REPLAYS=${REPLAY_MANY:-$REPLAYS} || REPLAYS=2
    TTY=0
    prog_meta "$1" tty >/dev/null && TTY=1
    PIPED=0
    prog_meta "$1" stdout-pipe >/dev/null && PIPED=1
    ARGS=()
    local a
    while IFS= read -r a; do ARGS+=("$a"); done < <(prog_meta "$1" args | xargs -r printf '%s\n')
    [[ $EXPECT =~ ^[0-9]+$ && $REPLAYS =~ ^[0-9]+$ ]] ||
        reason "bad metadata in $1.c: status '$EXPECT', replays '$REPLAYS'"
}

# ---- record and replay ----------------------------------------------------------------

# record_replay NAME TRACE CWD CMD...: records CMD, run in CWD, into TRACE
# (outputs in TRACE.out and TRACE.err), waits $REPLAY_DELAY seconds (time
# moves on: the replay must not notice), replays TRACE in CWD (TRACE.rep.out,
# TRACE.rep.err) and checks: the replay exits 0 and says the program ended
# with the recorded status, prints what the recording printed, and leaves
# CWD as it was. Sets REC_STATUS. Returns non-zero after reporting a failure.
record_replay() {
    local name=$1 trace=$2 cwd=$3
    shift 3
    (cd "$cwd" && timeout -k 5 "$TIMEOUT" "$RECORD" -o "$trace" "$@" >"$trace.out" 2>"$trace.err" </dev/null)
    REC_STATUS=$?
    if [[ ! -s $trace ]]; then
        fail "$name" "no trace $(basename "$trace") (rr-record exited $REC_STATUS)" "$trace.err"
        return 1
    fi
    [[ -n ${REPLAY_DELAY:-} ]] && sleep "$REPLAY_DELAY"
    local before after status
    before=$(snapshot "$cwd")
    (cd "$cwd" && timeout -k 5 "$TIMEOUT" "$REPLAY" "$trace" >"$trace.rep.out" 2>"$trace.rep.err" </dev/null)
    status=$?
    after=$(snapshot "$cwd")
    if [[ $status != 0 ]]; then
        fail "$name" "replaying $(basename "$trace") failed (rr-replay exited $status)" "$trace.rep.err"
    elif ! grep -q "program exited with status $REC_STATUS\$" "$trace.rep.err"; then
        fail "$name" "replaying $(basename "$trace") did not end with the recorded status $REC_STATUS" \
            "$trace.rep.err"
    elif ! cmp -s "$trace.out" "$trace.rep.out"; then
        fail "$name" "replaying $(basename "$trace") showed other output"
        diff "$trace.out" "$trace.rep.out" | head -n 5 | sed 's/^/    /'
    elif [[ $before != "$after" ]]; then
        fail "$name" "replaying $(basename "$trace") changed files in its directory"
    else
        return 0
    fi
    return 1
}

# event_total TRACE: the number of events in TRACE.
event_total() {
    sqlite3 -readonly "$1" 'select count(*) from event'
}
