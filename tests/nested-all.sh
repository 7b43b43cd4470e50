#!/usr/bin/env bash
# nested-all.sh — every program of tests/progs that replays directly, nested
# (issue 17): recorded (A) as run-tests.sh records it (its metadata's
# arguments, status, terminal or pipe, stdin and input.txt), then rr-replay
# of A recorded (B), B replayed, and `rr-diff --nested B A`.
#
# For each program: recording A ends with the status its metadata says;
# recording B (the inner replay runs under rr-record) exits 0 and shows A's
# stdout and stderr; replaying B exits 0 and shows the same; neither touches
# the working directory; and rr-diff --nested finds B's inner replay
# identical to A (exit 0, "identical"). Programs marked `known-gap` do not
# replay directly (run-tests.sh says why) and are left out. A program marked
# `nested-known-gap WHY` fails nested for the reason WHY, understood and
# written down: its failure is an XFAIL, its pass a failure (take the mark off).
#
# usage: tests/nested-all.sh [BINDIR] [FILTER]
#   FILTER  extended regular expression; only programs whose name matches run
# NESTED_JOBS (default 2) programs are checked at once. Output: a verdict line
# per program, "nested: N of M programs pass nested" and then
# "N passed, M failed, K skipped". Files of failed programs are kept.
set -u
ulimit -c 0 # programs killed by a signal must not leave core files
RUNNER=nested-all.sh
# Recording rr-replay of a program with many tasks, two at once on a loaded
# machine, takes minutes at worst.
TIMEOUT=300
# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lib_tools "${1:-$ROOT/build/bin}" rr-diff
FILTER=${2:-}
JOBS=${NESTED_JOBS:-2}
OUTDIR=$ROOT/build/tests
scratch nested-all

# program_output FILE: FILE as compared (see canon) without the tools' own lines.
program_output() {
    canon "$1" | grep -v '^rr-record:\|^rr-replay:'
}

# same_output WHAT EXPECTED GOT: the two outputs agree, or a reason.
same_output() {
    cmp -s <(program_output "$2") <(program_output "$3") ||
        reason "$1 differs from the recording's" \
            "$(diff <(program_output "$2") <(program_output "$3") | head -n 6 | sed 's/^/    /')"
}

# nested_check NAME DIR: the checks above for one program, in DIR; a reason
# when one fails.
nested_check() {
    local name=$1 dir=$2 prog=$OUTDIR/$1 status
    read_metadata "$name" || return
    local cwd=$dir/cwd
    new_cwd "$cwd" && cp -a "$cwd" "$dir/saved" && printf '%s' "$STDIN_TXT" >"$dir/stdin.txt" ||
        { reason "cannot set up $dir"; return; }
    run_tool "$TTY" "$cwd" "$dir/stdin.txt" "$dir/A.out" "$dir/A.err" recorded \
        "$RECORD" -o "$dir/A" "$prog" "${ARGS[@]}"
    status=$?
    [[ $status == "$EXPECT" && -s $dir/A ]] ||
        { reason "recording A exited $status, expected $EXPECT" "$(tail -n 3 "$dir/A.err" | sed 's/^/    /')"; return; }
    # A's effects on its directory undone: B's inner replay must not redo them.
    rm -rf "$cwd" && cp -a "$dir/saved" "$cwd" || { reason "cannot restore $cwd"; return; }
    local before
    before=$(snapshot "$cwd")
    run_tool "$TTY" "$cwd" /dev/null "$dir/B.out" "$dir/B.err" replayed "$RECORD" -o "$dir/B" "$REPLAY" "$dir/A"
    status=$?
    [[ $status == 0 && -s $dir/B ]] ||
        { reason "recording B (rr-replay A) exited $status" "$(tail -n 3 "$dir/B.err" | sed 's/^/    /')"; return; }
    same_output "B's stdout" "$dir/A.out" "$dir/B.out" || return
    same_output "B's stderr" "$dir/A.err" "$dir/B.err" || return
    run_tool "$TTY" "$cwd" /dev/null "$dir/B.rep.out" "$dir/B.rep.err" replayed "$REPLAY" "$dir/B"
    status=$?
    [[ $status == 0 ]] ||
        { reason "replaying B exited $status" "$(tail -n 3 "$dir/B.rep.err" | sed 's/^/    /')"; return; }
    same_output "B's replay's stdout" "$dir/A.out" "$dir/B.rep.out" || return
    [[ $(snapshot "$cwd") == "$before" ]] || { reason "recording or replaying B changed the directory"; return; }
    timeout -k 5 "$TIMEOUT" "$DIFF" --nested "$dir/B" "$dir/A" >"$dir/diff.out" 2>&1
    status=$?
    [[ $status == 0 ]] && grep -q '^identical' "$dir/diff.out" ||
        reason "rr-diff --nested B A exited $status" \
            "$(grep -m1 -A8 'divergence\|^rr-diff:' "$dir/diff.out" | sed 's/^/    /')"
}

# nested_one NAME: one program's verdict line (with a known gap's mark
# applied); its directory is removed when it passed.
nested_one() {
    local name=$1 dir=$SCRATCH/$1
    mkdir -p "$dir" || die "cannot create $dir"
    local status
    nested_check "$name" "$dir"
    status=$?
    gap_verdict "$name" "$(prog_meta "$name" nested-known-gap)" "$dir" "$status"
}

programs=()
for src in "$PROGS_SRC"/*.c; do
    name=$(basename "$src" .c)
    [[ -n $FILTER && ! $name =~ $FILTER ]] && continue
    prog_meta "$name" known-gap >/dev/null && continue # does not replay directly
    build_tracee "$name" "$OUTDIR" || die "cannot compile $name.c: $(head -n 3 "$OUTDIR/.$name.cc.err")"
    programs+=("$name")
done

# At most JOBS programs at once, each writing its verdict into its own file;
# the verdicts are then shown and counted in name order.
for name in "${programs[@]}"; do
    while [[ $(jobs -rp | wc -l) -ge $JOBS ]]; do wait -n; done
    nested_one "$name" >"$SCRATCH/$name.verdict" 2>&1 &
done
wait
nested_passed=0
for name in "${programs[@]}"; do
    cat "$SCRATCH/$name.verdict"
    case $(head -c 5 "$SCRATCH/$name.verdict") in
        "PASS ") passed=$((passed + 1)) nested_passed=$((nested_passed + 1)) ;;
        XFAIL) skipped=$((skipped + 1)) ;;
        *) failed=$((failed + 1)) ;;
    esac
done
echo "nested: $nested_passed of ${#programs[@]} programs pass nested"
summary
