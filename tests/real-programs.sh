#!/usr/bin/env bash
# real-programs.sh — unmodified programs from the distribution, recorded and
# replayed: the replay must print exactly what the recording printed, end
# the same way and leave its directory as it was. Every replay runs a second
# after its recording: `date` and `od` of /dev/urandom must still show the
# recorded values.
#
# usage: tests/real-programs.sh [BINDIR]
# Output: "PASS name" / "FAIL name: reason" lines, then
# "N passed, M failed, K skipped".
set -u
RUNNER=real-programs.sh
TIMEOUT=120
REPLAY_DELAY=1
# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lib_tools "${1:-$ROOT/build/bin}"
scratch real
mkdir -p "$SCRATCH/data" "$SCRATCH/traces"
seq 1 2000 | sed 's/$/ line/' | sort -R --random-source=<(yes) >"$SCRATCH/data/lines.txt"
printf 'alpha\nbeta\n' >"$SCRATCH/data/small.txt"

# check NAME CMD...: record CMD in data/, replay it, compare; it must print something.
check() {
    local name=$1 trace=$SCRATCH/traces/$1
    shift
    record_replay "$name" "$trace" "$SCRATCH/data" "$@" || return
    if [[ ! -s $trace.out ]]; then
        fail "$name" "the program printed nothing"
    else
        pass "$name" "$(event_total "$trace") events"
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
# A busy loop beside a sleeping thread: the loop is preempted at landmarks.
check python3_busy_thread /usr/bin/python3 -c 'import threading, time; t = threading.Thread(target=time.sleep, args=(0.3,)); t.start(); n = sum(i * i for i in range(2000000)); t.join(); print(n)'
check pipeline /bin/sh -c 'seq 100000 | sort -r | head -3'
check shell_script /bin/sh -c 'for f in lines.txt small.txt; do wc -l "$f"; done; ls | sort; date +%N'
mkdir -p "$SCRATCH/data/project"
printf 'int add(int a, int b);\nint main(void) { return add(1, 2) - 3; }\n' >"$SCRATCH/data/project/main.c"
printf 'int add(int a, int b) { return a + b; }\n' >"$SCRATCH/data/project/add.c"
printf 'prog: main.o add.o\n\tgcc -o prog main.o add.o\n%%.o: %%.c\n\tgcc -c $<\n' >"$SCRATCH/data/project/Makefile"
check make_gcc make -C project
# SIGALRM ends a block loop whose registers are the same on every pass.
check openssl_speed openssl speed -seconds 1 -bytes 16 sha256
check sqlite3 sqlite3 :memory: 'create table t(x); insert into t values (random()), (42); select count(*), max(x) from t; select datetime();'
# Programs that sandbox themselves with namespaces: a user namespace, then a
# pid namespace with its own /proc (ps lists the namespace's pids, 1 and up).
if unshare -U -r true 2>/dev/null; then
    check unshare_user unshare -U -r id
    check unshare_pid_ps unshare -U -r -p -f --mount-proc sh -c 'sleep 0.1 & ps -o pid,ppid,comm; wait'
else
    skip unshare_user "no user namespaces here"
    skip unshare_pid_ps "no user namespaces here"
fi
# bubblewrap: every namespace, a new root of bind mounts, /proc and /dev of its own.
if command -v bwrap >/dev/null && bwrap --ro-bind / / true 2>/dev/null; then
    check bwrap bwrap --ro-bind /usr /usr --symlink usr/lib64 /lib64 --symlink usr/lib /lib --symlink usr/bin /bin \
        --proc /proc --dev /dev --unshare-all --die-with-parent /bin/sh -c 'ls /; id -u; echo "pid $$"'
else
    skip bwrap "bubblewrap (bwrap) is not installed or cannot make namespaces here"
fi
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
        fail default_location "expected $dir/echo-0, echo-1 and latest-trace -> echo-1"
        ls -la "$dir" 2>&1 | sed 's/^/    /'
    elif [[ $(HOME=$home XDG_DATA_HOME='' RRDB_TRACE_DIR='' "$REPLAY" 2>/dev/null) != "run 1" ]]; then
        fail default_location "rr-replay without an argument did not replay the latest trace"
    else
        pass default_location
    fi
}
default_location

summary
