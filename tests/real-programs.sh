#!/usr/bin/env bash
# real-programs.sh — unmodified programs from the distribution, recorded and
# replayed: the replay must print exactly what the recording printed and end
# the same way. `date` and `od` of /dev/urandom are replayed a second later
# and must still show the recorded values.
#
# usage: tests/real-programs.sh [BINDIR]
# Output: "PASS name" / "FAIL name: reason" lines, then "N passed, M failed".
set -u
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BINDIR=${1:-$ROOT/build/bin}
RUNNER=real-programs.sh
# shellcheck source=tests/runner-setup.sh
source "$ROOT/tests/runner-setup.sh"

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/rrdb-real.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$SCRATCH"' EXIT
mkdir -p "$SCRATCH/data"
seq 1 2000 | sed 's/$/ line/' | sort -R --random-source=<(yes) >"$SCRATCH/data/lines.txt"
printf 'alpha\nbeta\n' >"$SCRATCH/data/small.txt"
passed=0 failed=0

# check NAME CMD...: record CMD, replay it, compare.
check() {
    local name=$1
    shift
    local dir=$SCRATCH/$name
    mkdir -p "$dir"
    (cd "$SCRATCH/data" && timeout 120 "$RECORD" -o "$dir/trace" "$@" >"$dir/rec.out" 2>"$dir/rec.err" </dev/null)
    local rec_status=$?
    sleep 1 # time moves on: the replay must not notice
    (cd "$SCRATCH/data" && timeout 120 "$REPLAY" "$dir/trace" >"$dir/rep.out" 2>"$dir/rep.err" </dev/null)
    local rep_status=$?
    if [[ $rep_status != 0 ]]; then
        echo "FAIL $name: rr-replay exited $rep_status"; sed 's/^/    /' "$dir/rep.err" | tail -3
        failed=$((failed + 1))
    elif ! cmp -s "$dir/rec.out" "$dir/rep.out"; then
        echo "FAIL $name: replay output differs"; diff "$dir/rec.out" "$dir/rep.out" | head -5 | sed 's/^/    /'
        failed=$((failed + 1))
    elif ! grep -q "status $rec_status\$" "$dir/rep.err"; then
        echo "FAIL $name: recorded exit status $rec_status not replayed"; tail -1 "$dir/rep.err" | sed 's/^/    /'
        failed=$((failed + 1))
    elif [[ ! -s $dir/rec.out ]]; then
        echo "FAIL $name: the program printed nothing"
        failed=$((failed + 1))
    else
        echo "PASS $name ($(sqlite3 "$dir/trace" 'select count(*) from event') events)"
        passed=$((passed + 1))
    fi
}

check ls_l ls -l /usr/include/linux/
check cat cat lines.txt
check sort sort lines.txt
check sha256sum sha256sum lines.txt small.txt
check date date +%s.%N
check od_urandom od -N64 -tx1 /dev/urandom
check sh_builtins /bin/sh -c 'x=5; while [ $x -gt 0 ]; do echo "x=$x"; x=$((x - 1)); done; printf "%s\n" done'
check python3 /usr/bin/python3 -c 'import os, time, random; print(sum(range(1000)), time.time(), os.urandom(8).hex(), random.random())'
check pipeline /bin/sh -c 'seq 100000 | sort -r | head -3'
check shell_script /bin/sh -c 'for f in lines.txt small.txt; do wc -l "$f"; done; ls | sort; date +%N'
mkdir -p "$SCRATCH/data/project"
printf 'int add(int a, int b);\nint main(void) { return add(1, 2) - 3; }\n' >"$SCRATCH/data/project/main.c"
printf 'int add(int a, int b) { return a + b; }\n' >"$SCRATCH/data/project/add.c"
printf 'prog: main.o add.o\n\tgcc -o prog main.o add.o\n%%.o: %%.c\n\tgcc -c $<\n' >"$SCRATCH/data/project/Makefile"
check make_gcc make -C project
check sqlite3 sqlite3 :memory: 'create table t(x); insert into t values (random()), (42); select count(*), max(x) from t; select datetime();'
# Without -o the trace goes to ~/.local/share/rrdb/PROG-N, latest-trace links
# to it, and rr-replay without an argument replays it.
default_location() {
    local home=$SCRATCH/home dir
    dir=$home/.local/share/rrdb
    mkdir -p "$home"
    for n in 0 1; do
        HOME=$home XDG_DATA_HOME='' RRDB_TRACE_DIR='' "$RECORD" /bin/echo "run $n" >"$SCRATCH/default.out" 2>&1
    done
    if [[ ! -f $dir/echo-0 || ! -f $dir/echo-1 || $(readlink "$dir/latest-trace") != "$dir/echo-1" ]]; then
        echo "FAIL default_location: expected $dir/echo-0, echo-1 and latest-trace -> echo-1"
        ls -la "$dir" 2>&1 | sed 's/^/    /'
        failed=$((failed + 1))
    elif [[ $(HOME=$home XDG_DATA_HOME='' RRDB_TRACE_DIR='' "$REPLAY" 2>/dev/null) != "run 1" ]]; then
        echo "FAIL default_location: rr-replay without an argument did not replay the latest trace"
        failed=$((failed + 1))
    else
        echo "PASS default_location"
        passed=$((passed + 1))
    fi
}
default_location

echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
