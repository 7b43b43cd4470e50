#!/usr/bin/env bash
# diff-tests.sh — tests of rr-diff: identical executions (a trace against
# itself, a copy, its own replay's event stream, two recordings of a
# deterministic program), two recordings of flaky programs (the syscall result
# that first differed: a time, random bytes, a file's content), traces
# corrupted by SQL (rr-diff must name exactly the corrupted event, also
# through a replay of the corrupted trace; damaged blob bytes are an error),
# --all and resynchronisation after an extra event, a scheduling difference
# (a syscall during which other tasks ran on one side only), task matching by
# creation order rather than tid, JSON read back with python3, --nested (the
# replay inside a recording of rr-replay matches the recording it replayed,
# for a dozen programs of tests/progs; a replayer fault is named at its
# event), and errors (missing file, not a trace, not a recording of
# rr-replay, bad options).
#
# usage: tests/diff-tests.sh [BINDIR]     (default: build/bin)
#
# The tracees are tests/diff/*.c, built into build/tests/diff/ with $CC and
# $CFLAGS when set. Output: "PASS name" or "FAIL name: why" per test, then
# exactly "N passed, M failed, K skipped". Exit status 0 only when nothing failed; 2 when
# the tests could not be run.

set -u
RUNNER=diff-tests.sh
# A hang guard, as long as nested-tests.sh's: recording rr-replay replaying a
# recording of rr-replay (three levels), twice at once, takes minutes on a
# loaded machine, and a recording cut short fails the comparison.
TIMEOUT=300
# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lib_tools "${1:-$ROOT/build/bin}" rr-diff
lib_need python3

DIFF_PROGS=$ROOT/tests/diff
OUTDIR=$ROOT/build/tests/diff
for src in "$DIFF_PROGS"/*.c; do
    build_prog "$src" "$OUTDIR" || die "cannot compile $src: $(head -n 3 "$OUTDIR/.$(basename "$src" .c).cc.err")"
done

scratch diff-tests
WORK=$SCRATCH
mkdir -p "$WORK/cwd"

# record NAME PROG [OPTIONS…]: record build/tests/diff/PROG in $WORK/cwd into $WORK/NAME.
record() {
    rm -f "$WORK/$1"
    (cd "$WORK/cwd" && timeout "$TIMEOUT" "$RECORD" "${@:3}" -o "$WORK/$1" "$OUTDIR/$2" \
        >"$WORK/$1.out" 2>"$WORK/$1.err") && [[ -f $WORK/$1 ]]
}

# rrdiff OUT ARGS…: run rr-diff, stdout into OUT, stderr into OUT.err; sets $rc.
rrdiff() {
    local out=$1
    shift
    timeout "$TIMEOUT" "$DIFF" "$@" >"$out" 2>"$out.err"
    rc=$?
}

# json FILE EXPR: evaluate the Python expression EXPR with d = the JSON in FILE.
json() {
    python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$1" "$2" 2>&1
}

# last_read TRACE: the seq of the program's last read() that returned data.
last_read() {
    sqlite3 "$1" "SELECT max(seq) FROM event WHERE kind = 1 AND sysno = 0 AND result > 0"
}

# flip_result TRACE SEQ: flip the lowest bit of event SEQ's recorded result.
flip_result() {
    tamper "$1" "UPDATE event SET result = (result | 1) - (result & 1) WHERE seq = $2"
}

# content_hash HEX: libtrace/content_hash.c's hash of the bytes HEX, as the
# signed 64-bit integer SQLite stores (a copy of that function: if it changes,
# corrupt_memory fails loudly rather than passing by chance).
content_hash() {
    python3 -c 'import sys
data = bytes.fromhex(sys.argv[1]); M = (1 << 64) - 1
A, B, C = 0x9e3779b97f4a7c15, 0xc2b2ae3d27d4eb4f, 0x165667b19e3779f9
def fold(a, b):
    p = a * b
    return (p & M) ^ (p >> 64)
def word(b):
    return int.from_bytes(b.ljust(8, b"\0"), "little")
l0, l1, i = A, B, 0
while i + 16 <= len(data):
    l0 = (fold(l0 ^ word(data[i:i + 8]), C) + A) & M
    l1 = (fold(l1 ^ word(data[i + 8:i + 16]), C) + B) & M
    i += 16
tail = data[i:]
l0 = fold(l0 ^ word(tail[:8]), C)
l1 = fold(l1 ^ word(tail[8:16]), C)
h = fold(l0 ^ ((l1 + len(data)) & M), A) ^ l1
print(h - (1 << 64) if h >> 63 else h)' "$1"
}

# flip_memory TRACE SEQ OFFSET: flip the lowest bit of byte OFFSET of the
# first memory write of event SEQ, as if the kernel had written that byte:
# the edited bytes go into a new blob, with their content hash, that the
# write then uses. Small blobs are stored raw (lz4_size = raw_size), which
# SQL can edit.
flip_memory() {
    local trace=$1 seq=$2 offset=$3 row id hex raw stored byte hash
    row=$(sqlite3 "$trace" "SELECT b.id, hex(b.lz4), b.raw_size, b.lz4_size FROM mem_write m
                            JOIN blob b ON b.id = m.blob WHERE m.seq = $seq ORDER BY m.rowid LIMIT 1")
    IFS='|' read -r id hex raw stored <<<"$row"
    [[ -n $id && $raw == "$stored" && $offset -lt $raw ]] || return 1
    byte=$(printf '%02X' $((16#${hex:$((offset * 2)):2} ^ 1)))
    hex=${hex:0:$((offset * 2))}$byte${hex:$((offset * 2 + 2))}
    hash=$(content_hash "$hex") || return 1
    tamper "$trace" "INSERT INTO blob(hash, raw_size, lz4, lz4_size) VALUES ($hash, $raw, x'$hex', $raw);
                      UPDATE mem_write SET blob = last_insert_rowid() WHERE seq = $seq AND blob = $id;"
}

# ---------------------------------------------------------------------------
# Identical executions

printf 'alpha\nbeta\n' >"$WORK/cwd/input.txt"
if ! record file.a flaky_file; then
    fail record_flaky_file "cannot record flaky_file: $(head -1 "$WORK/file.a.err")"
    summary
    exit
fi
events=$(sqlite3 "$WORK/file.a" "SELECT count(*) FROM event")

rrdiff "$WORK/out" "$WORK/file.a" "$WORK/file.a"
if [[ $rc -eq 0 ]] && grep -q "^identical: $events events in 1 task" "$WORK/out"; then
    pass self_identical
else
    fail self_identical "exit $rc, $(tail -1 "$WORK/out") $(head -1 "$WORK/out.err")"
fi

cp "$WORK/file.a" "$WORK/file.copy"
rrdiff "$WORK/out" "$WORK/file.a" "$WORK/file.copy"
[[ $rc -eq 0 ]] && pass copy_identical || fail copy_identical "exit $rc: $(tail -1 "$WORK/out")"

rm -f "$WORK/file.events"
if (cd "$WORK/cwd" && timeout "$TIMEOUT" "$REPLAY" -q --events "$WORK/file.events" "$WORK/file.a" \
        >/dev/null 2>"$WORK/replay.err"); then
    rrdiff "$WORK/out" "$WORK/file.a" "$WORK/file.events"
    if [[ $rc -eq 0 ]] && grep -q '^B: .*replay events of' "$WORK/out"; then
        pass replay_stream_identical
    else
        fail replay_stream_identical "exit $rc: $(grep -m1 -A3 'divergence' "$WORK/out" | tr '\n' ' ')"
    fi
else
    fail replay_stream_identical "rr-replay --events failed: $(tail -1 "$WORK/replay.err")"
fi

# Two recordings of a deterministic program differ only in the TSC values
# the dynamic loader reads (and registers still holding them).
if record file.b flaky_file; then
    rrdiff "$WORK/out" --ignore rdtsc "$WORK/file.a" "$WORK/file.b"
    [[ $rc -eq 0 ]] && pass deterministic_recordings_identical ||
        fail deterministic_recordings_identical "exit $rc: $(grep -m1 -A4 'divergence' "$WORK/out" | tr '\n' ' ')"
    rrdiff "$WORK/out.json" --format json "$WORK/file.a" "$WORK/file.b"
    kind=$(json "$WORK/out.json" 'd["divergences"][0]["a"]["kind"]')
    [[ $rc -eq 1 && $kind == rdtsc ]] && pass strict_sees_rdtsc ||
        fail strict_sees_rdtsc "exit $rc, first divergence kind '$kind' (expected rdtsc)"
else
    fail deterministic_recordings_identical "cannot record flaky_file again"
fi

# Two recordings placed on different CPUs see different APIC ids in cpuid;
# where a run was placed is not where two runs part.
if [[ $(nproc) -lt 2 ]]; then
    skip cpu_placement_identical "only one CPU may be used here"
else
    if ! record file.cpu0 flaky_file --cpu 0 || ! record file.cpu1 flaky_file --cpu 1; then
        fail cpu_placement_identical "cannot record flaky_file with --cpu 0 and --cpu 1"
    else
        rrdiff "$WORK/out" --ignore rdtsc "$WORK/file.cpu0" "$WORK/file.cpu1"
        [[ $rc -eq 0 ]] && pass cpu_placement_identical ||
            fail cpu_placement_identical "exit $rc: $(grep -m1 -A4 'divergence' "$WORK/out" | tr '\n' ' ')"
    fi
fi

# ---------------------------------------------------------------------------
# Two recordings of flaky programs: the first syscall result that differs.

# check_flaky NAME PROG SYSCALL: record PROG twice. With --strict the first
# divergence must be SYSCALL, through the bytes the kernel wrote. By default
# the first divergence is in behaviour (the program printed another word)
# with SYSCALL its nearest likely cause, or, when both runs happened to print
# the same, rr-diff says they behave the same and shows SYSCALL.
check_flaky() {
    local name=$1 prog=$2 syscall=$3 first what cause
    if ! record "$name.a" "$prog" || ! record "$name.b" "$prog"; then
        fail "$name" "cannot record $prog: $(head -1 "$WORK/$name.a.err")"
        return
    fi
    rrdiff "$WORK/out.json" --ignore rdtsc --format json "$WORK/$name.a" "$WORK/$name.b"
    cause=$(json "$WORK/out.json" '(d["divergences"][0]["a"] if d["behaviour_same"] else d["divergences"][0]["likely_causes"][0]["a"])["event"]')
    rrdiff "$WORK/out.json" --strict --ignore rdtsc --format json "$WORK/$name.a" "$WORK/$name.b"
    first=$(json "$WORK/out.json" 'd["divergences"][0]["a"]["event"]')
    what=$(json "$WORK/out.json" 'd["divergences"][0]["differences"][0]["what"]')
    rrdiff "$WORK/out" --strict --ignore rdtsc "$WORK/$name.a" "$WORK/$name.b"
    if [[ $rc -ne 1 ]]; then
        fail "$name" "exit $rc, expected 1: $(tail -1 "$WORK/out") $(head -1 "$WORK/out.err")"
    elif [[ $first != "$syscall("* || $what != memory ]]; then
        fail "$name" "--strict: first divergence '$first' ($what), expected $syscall (memory)"
    elif [[ $cause != "$syscall("* ]]; then
        fail "$name" "the likely cause is '$cause', expected $syscall"
    elif ! grep -q "the bytes the kernel wrote at 0x[0-9a-f]* (.*) differ from offset" "$WORK/out"; then
        fail "$name" "the text report does not show the bytes: $(sed -n 4,12p "$WORK/out" | tr '\n' ' ')"
    else
        pass "$name"
    fi
}
check_flaky flaky_time flaky_time clock_gettime
check_flaky flaky_random flaky_random read

# Two runs of `date +%N`, no --ignore: the first divergence in behaviour is
# the write of the time, and its likely cause is clock_gettime (not the
# dynamic loader's rdtsc, the first difference of anything).
rm -f "$WORK/date.a" "$WORK/date.b"
if (cd "$WORK/cwd" && timeout "$TIMEOUT" "$RECORD" -o "$WORK/date.a" date +%N >/dev/null 2>&1 &&
    timeout "$TIMEOUT" "$RECORD" -o "$WORK/date.b" date +%N >/dev/null 2>&1); then
    rrdiff "$WORK/out" "$WORK/date.a" "$WORK/date.b"
    got=$(sed -n '/^  likely cause/{n;p;q}' "$WORK/out")
    what=$(grep -m1 -A1 '^  what differs:' "$WORK/out" | tail -1)
    [[ $rc -eq 1 && $got == *" clock_gettime(CLOCK_REALTIME, "* && $what == *"bytes the program wrote differ"* ]] &&
        pass date_names_clock_gettime ||
        fail date_names_clock_gettime "exit $rc, cause line '$got', difference '$what'"
    # --strict: the first difference of anything, the loader's rdtsc
    rrdiff "$WORK/out" --strict "$WORK/date.a" "$WORK/date.b"
    got=$(grep -m1 '^  A [0-9]' "$WORK/out")
    [[ $rc -eq 1 && $got == *" rdtsc = "* ]] && pass date_strict_rdtsc || fail date_strict_rdtsc "exit $rc, '$got'"
    # the time group ignores rdtsc and the clocks: still a divergence (the
    # printed time), but clock_gettime is no longer among its causes
    rrdiff "$WORK/out" --ignore time,random,pids "$WORK/date.a" "$WORK/date.b"
    [[ $rc -eq 1 ]] && ! grep -q 'clock_gettime(CLOCK_REALTIME, ' "$WORK/out" && grep -q 'data hash' "$WORK/out" &&
        pass ignore_time_group || fail ignore_time_group "exit $rc: $(grep -m3 'clock_gettime\|likely\|hash' "$WORK/out" | tr '\n' ' ')"
else
    fail date_names_clock_gettime "cannot record date +%N"
fi

# A file read by the program changed between two recordings: rr-diff names
# the read and the first differing byte.
printf 'alpha\nbeto\n' >"$WORK/cwd/input.txt"
if record file.changed flaky_file; then
    seq=$(last_read "$WORK/file.a")
    rrdiff "$WORK/out.json" --ignore rdtsc --format json "$WORK/file.a" "$WORK/file.changed"
    cause=$(json "$WORK/out.json" '(d["divergences"][0]["likely_causes"][0]["a"]["seq"], d["divergences"][0]["likely_causes"][0]["first"]["offset"])')
    rrdiff "$WORK/out.json" --strict --ignore rdtsc --format json "$WORK/file.a" "$WORK/file.changed"
    got=$(json "$WORK/out.json" '(d["divergences"][0]["a"]["seq"], d["divergences"][0]["differences"][0]["what"], d["divergences"][0]["differences"][0]["offset"])')
    [[ $rc -eq 1 && $got == "($seq, 'memory', 9)" && $cause == "($seq, 9)" ]] && pass flaky_file_content ||
        fail flaky_file_content "exit $rc, --strict got $got, expected ($seq, 'memory', 9); likely cause $cause"
else
    fail flaky_file_content "cannot record flaky_file"
fi
printf 'alpha\nbeta\n' >"$WORK/cwd/input.txt"

# ---------------------------------------------------------------------------
# Corrupted traces: rr-diff points at exactly the corrupted event.

seq=$(last_read "$WORK/file.a")
cp "$WORK/file.a" "$WORK/bad.result"
flip_result "$WORK/bad.result" "$seq"
rrdiff "$WORK/out.json" --format json "$WORK/file.a" "$WORK/bad.result"
got=$(json "$WORK/out.json" '(d["divergences"][0]["a"]["seq"], d["divergences"][0]["differences"][0]["what"], d["divergences"][0]["differences"][0]["a"] ^ d["divergences"][0]["differences"][0]["b"], len(d["divergences"]))')
[[ $rc -eq 1 && $got == "($seq, 'result', 1, 1)" ]] && pass corrupt_result ||
    fail corrupt_result "exit $rc, got $got, expected ($seq, 'result', 1, 1)"

cp "$WORK/file.a" "$WORK/bad.memory"
if flip_memory "$WORK/bad.memory" "$seq" 3; then
    rrdiff "$WORK/out.json" --format json "$WORK/file.a" "$WORK/bad.memory"
    got=$(json "$WORK/out.json" '(d["divergences"][0]["a"]["seq"], d["divergences"][0]["differences"][0]["what"], d["divergences"][0]["differences"][0]["offset"], d["divergences"][0]["differences"][0]["a_bytes"][6:8], d["divergences"][0]["differences"][0]["b_bytes"][6:8])')
    [[ $rc -eq 1 && $got == "($seq, 'memory', 3, '68', '69')" ]] && pass corrupt_memory ||
        fail corrupt_memory "exit $rc, got $got, expected ($seq, 'memory', 3, '68', '69')"
else
    fail corrupt_memory "cannot edit the memory written by event $seq"
fi

# Bytes damaged in place (the blob no longer matches its hash): an error, not
# a silent "identical".
cp "$WORK/file.a" "$WORK/bad.blob"
tamper "$WORK/bad.blob" "UPDATE blob SET lz4 = zeroblob(lz4_size) WHERE id =
                            (SELECT blob FROM mem_write WHERE seq = $seq ORDER BY rowid LIMIT 1)"
rrdiff "$WORK/out" "$WORK/file.a" "$WORK/bad.blob"
[[ $rc -eq 2 ]] && grep -q "^rr-diff: trace $WORK/bad.blob: blob [0-9]* is corrupt" "$WORK/out.err" &&
    pass corrupt_blob || fail corrupt_blob "exit $rc: $(head -1 "$WORK/out.err")"

# The replay of a corrupted trace runs on past the corrupted event; compared
# with the intact recording, its event stream parts exactly there.
rm -f "$WORK/bad.events"
(cd "$WORK/cwd" && timeout "$TIMEOUT" "$REPLAY" -q --events "$WORK/bad.events" "$WORK/bad.result" \
    >/dev/null 2>&1)
if [[ -f $WORK/bad.events ]]; then
    rrdiff "$WORK/out.json" --strict --format json "$WORK/file.a" "$WORK/bad.events"
    got=$(json "$WORK/out.json" '(d["divergences"][0]["a"]["seq"], d["divergences"][0]["b"]["seq"], d["divergences"][0]["differences"][0]["what"])')
    [[ $rc -eq 1 && $got == "($seq, $seq, 'result')" ]] && pass replay_of_corrupt_trace ||
        fail replay_of_corrupt_trace "exit $rc, got $got, expected ($seq, $seq, 'result')"
else
    fail replay_of_corrupt_trace "rr-replay --events wrote no stream"
fi

# Two corrupted events far apart: the first only by default, both with --all.
first=$(sqlite3 "$WORK/file.a" "SELECT min(seq) FROM event WHERE kind = 1 AND seq > 5 AND result > 0")
cp "$WORK/bad.result" "$WORK/bad.two"
flip_result "$WORK/bad.two" "$first"
rrdiff "$WORK/out.json" --format json "$WORK/file.a" "$WORK/bad.two"
got1=$(json "$WORK/out.json" '[v["a"]["seq"] for v in d["divergences"]]')
rrdiff "$WORK/out.json" --all --format json "$WORK/file.a" "$WORK/bad.two"
got2=$(json "$WORK/out.json" '[(v["a"]["seq"], v["end"]["how"]) for v in d["divergences"]]')
[[ $rc -eq 1 && $got1 == "[$first]" && $got2 == "[($first, 'rejoined'), ($seq, 'rejoined')]" ]] &&
    pass all_regions || fail all_regions "first: $got1, --all: $got2 (expected [$first]; $first and $seq rejoined)"

# ---------------------------------------------------------------------------
# Alignment: an extra event, tasks matched by creation order, pids mapped.

# B = A with every event number doubled and a getpid() slipped in after event 20.
cp "$WORK/file.a" "$WORK/extra"
tamper "$WORK/extra" "UPDATE event SET seq = -2 * seq; UPDATE event SET seq = -seq;
    UPDATE mem_write SET seq = 2 * seq; UPDATE mapping SET seq = 2 * seq; UPDATE passed_output SET seq = 2 * seq;
    UPDATE task SET first_seq = 2 * first_seq, last_seq = 2 * last_seq;
    INSERT INTO event(seq, tid, kind, sysno, arg0, arg1, arg2, arg3, arg4, arg5, result, ip)
        SELECT 41, tid, 1, 39, 0, 0, 0, 0, 0, 0, pid, 0 FROM task"
rrdiff "$WORK/out.json" --all --format json "$WORK/file.a" "$WORK/extra"
got=$(json "$WORK/out.json" '[(v["a"]["seq"], v["b"]["event"], v["then"][0]["skipped_a"], v["then"][0]["skipped_b"], v["end"]["how"], v["end"]["a_seq"], v["end"]["b_seq"]) for v in d["divergences"]]')
[[ $rc -eq 1 && $got == "[(21, 'getpid() = "*", 0, 1, 'rejoined', 21, 42)]" ]] && pass extra_event_resync ||
    fail extra_event_resync "exit $rc, got $got"

# B = A where the program's last read blocked and other tasks ran before it
# completed (an enter event before it): a scheduling difference at that read,
# which --ignore scheduling looks past.
seq=$(last_read "$WORK/file.a")
cp "$WORK/extra" "$WORK/sched"
tamper "$WORK/sched" "DELETE FROM event WHERE seq = 41;
    INSERT INTO event(seq, tid, kind, sysno, arg0, arg1, arg2, arg3, arg4, arg5, result, ip)
        SELECT seq - 1, tid, 8, sysno, arg0, arg1, arg2, arg3, arg4, arg5, 0, ip FROM event WHERE seq = 2 * $seq"
rrdiff "$WORK/out.json" --format json "$WORK/file.a" "$WORK/sched"
got=$(json "$WORK/out.json" '(d["divergences"][0]["a"]["seq"], d["divergences"][0]["b"]["seq"], d["divergences"][0]["differences"][0]["what"], d["divergences"][0]["differences"][0]["b_entered"])')
rrdiff "$WORK/out" --ignore scheduling "$WORK/file.a" "$WORK/sched"
[[ $rc -eq 0 && $got == "($seq, $((2 * seq)), 'scheduling', $((2 * seq - 1)))" ]] && pass scheduling_order ||
    fail scheduling_order "got $got, expected ($seq, $((2 * seq)), 'scheduling', $((2 * seq - 1))); --ignore scheduling: exit $rc"

if record forks.a forks; then
    # Every tid renumbered, and with it the pids the program saw (fork, getpid
    # and wait4 results, wait4's argument): still the same execution.
    cp "$WORK/forks.a" "$WORK/forks.renumbered"
    tamper "$WORK/forks.renumbered" "
        UPDATE event SET result = result + 1000
            WHERE kind = 1 AND sysno IN (39, 56, 57, 61, 110, 186, 218) AND result IN (SELECT tid FROM task);
        UPDATE event SET arg0 = arg0 + 1000 WHERE kind IN (1, 8) AND sysno = 61 AND arg0 IN (SELECT tid FROM task);
        UPDATE event SET tid = tid + 1000;
        UPDATE task SET tid = tid + 1000, pid = pid + 1000,
                        ppid = CASE WHEN ppid IN (SELECT tid FROM task) THEN ppid + 1000 ELSE ppid END;"
    rrdiff "$WORK/out" "$WORK/forks.a" "$WORK/forks.renumbered"
    [[ $rc -eq 0 ]] && grep -q '^identical: .* in 3 tasks' "$WORK/out" && pass tasks_matched_not_by_tid ||
        fail tasks_matched_not_by_tid "exit $rc: $(grep -m1 -A6 'divergence' "$WORK/out" | tr '\n' ' ')"

    # A getpid result that is no task's pid is a divergence, in the right task.
    cp "$WORK/forks.renumbered" "$WORK/forks.badpid"
    bad=$(sqlite3 "$WORK/forks.badpid" "SELECT max(seq) FROM event WHERE kind = 1 AND sysno = 39")
    tamper "$WORK/forks.badpid" "UPDATE event SET result = 77777 WHERE seq = $bad"
    rrdiff "$WORK/out.json" --format json "$WORK/forks.a" "$WORK/forks.badpid"
    got=$(json "$WORK/out.json" '(d["divergences"][0]["task"]["number"], d["divergences"][0]["b"]["seq"], d["divergences"][0]["differences"][0]["what"], d["divergences"][0]["differences"][0]["b"])')
    [[ $rc -eq 1 && $got == "(3, $bad, 'result', 77777)" ]] && pass pid_result_differs ||
        fail pid_result_differs "exit $rc, got $got, expected (3, $bad, 'result', 77777)"

    # B's first task stops early and a task only B has takes the rest.
    cp "$WORK/file.a" "$WORK/split"
    tamper "$WORK/split" "UPDATE event SET tid = 99999 WHERE seq >= 30"
    rrdiff "$WORK/out.json" --all --format json "$WORK/file.a" "$WORK/split"
    got=$(json "$WORK/out.json" '[(v["task"]["number"], v["differences"][0]["what"], v["end"]["how"]) for v in d["divergences"]]')
    [[ $rc -eq 1 && $got == "[(1, 'ended', 'task-end'), (2, 'task', 'task-end')]" ]] && pass task_only_in_b ||
        fail task_only_in_b "exit $rc, got $got"
else
    fail tasks_matched_not_by_tid "cannot record forks: $(head -1 "$WORK/forks.a.err")"
fi

# ---------------------------------------------------------------------------
# Output: context lines, JSON of identical traces, the text report's pieces.

rrdiff "$WORK/out.json" -C 2 --format json "$WORK/file.a" "$WORK/bad.result"
n2=$(json "$WORK/out.json" 'len(d["divergences"][0]["context"])')
rrdiff "$WORK/out.json" -C 0 --format json "$WORK/file.a" "$WORK/bad.result"
n0=$(json "$WORK/out.json" 'len(d["divergences"][0]["context"])')
ctx=$(json "$WORK/out.json" 'd["divergences"][0]["a"]["where"]')
[[ $n2 == 2 && $n0 == 0 ]] && pass context_lines || fail context_lines "-C 2 gave $n2, -C 0 gave $n0"

rrdiff "$WORK/out.json" --format json "$WORK/file.a" "$WORK/file.copy"
got=$(json "$WORK/out.json" '(d["identical"], d["divergences"], d["events"]["a"])')
[[ $rc -eq 0 && $got == "(True, [], $events)" ]] && pass json_identical ||
    fail json_identical "exit $rc, got $got"

rrdiff "$WORK/out" "$WORK/file.a" "$WORK/bad.result"
if [[ $ctx == libc.so.6!read+0x* ]] &&
   grep -q "^first divergence: task 1 \`.*flaky_file\` (tid [0-9]*), event $seq in A, event $seq in B" "$WORK/out" &&
   grep -q "^  A $seq  *read(3, \"alpha\\\\nbeta\\\\n\", 256) = 11  *libc.so.6!read+0x[0-9a-f]*$" "$WORK/out" &&
   grep -q "^  B $seq  *read(3, \"alpha\\\\nbeta\", 256) = 10  " "$WORK/out" &&
   grep -q "^    result: A [0-9]*, B [0-9]*" "$WORK/out" &&
   grep -q "^A and B diverge" "$WORK/out"; then
    pass text_report
else
    fail text_report "unexpected report (where: $ctx): $(head -12 "$WORK/out" | tr '\n' '|')"
fi

# ---------------------------------------------------------------------------
# Event lines show the bytes the trace knows at the event through libtrace's
# one reader (as rr-query does, tests/query-tests.sh): a forked child's write
# shows the child's mapping, not the parent's newer one at the same address;
# a file mapping made writable by mprotect is no longer trusted. Programs from
# tests/progs; the copy's stdout write number N returns one more.
# divergent_write NAME N: record tests/progs/NAME, rr-diff it with such a copy.
divergent_write() {
    local seq
    $CC $CFLAGS -o "$OUTDIR/$1" "$ROOT/tests/progs/$1.c" || die "cannot compile $1.c"
    record "$1" "$1" || { fail "$1" "recording failed: $(cat "$WORK/$1.err")"; return 1; }
    seq=$(sqlite3 "$WORK/$1" "SELECT seq FROM event WHERE kind = 1 AND sysno = 1 AND arg0 = 1 ORDER BY seq
                              LIMIT 1 OFFSET $(($2 - 1))")
    cp "$WORK/$1" "$WORK/$1.x"
    tamper "$WORK/$1.x" "UPDATE event SET result = result + 1 WHERE seq = $seq"
    rrdiff "$WORK/$1.diff" "$WORK/$1" "$WORK/$1.x"
}
if divergent_write mapping_per_process 1; then
    if grep -q "^  A [0-9]*  *write(1, \"child's own mapping!\\\\n\", 21) = 21 " "$WORK/mapping_per_process.diff"; then
        pass memory_child_mapping
    else fail memory_child_mapping "$(grep 'write(1' "$WORK/mapping_per_process.diff" | head -2 | tr '\n' '|')"; fi
fi
if divergent_write mprotect_file_map 2; then
    if grep -q "^    [0-9]*  *write(1, \"as the file has it\\\\n\", 19) = 19 " "$WORK/mprotect_file_map.diff" &&
       grep -q "^  A [0-9]*  *write(1, 0x[0-9a-f]*, 19) = 19 " "$WORK/mprotect_file_map.diff"; then
        pass memory_mprotect_after_map
    else fail memory_mprotect_after_map "$(grep 'write(1' "$WORK/mprotect_file_map.diff" | head -3 | tr '\n' '|')"; fi
fi

# ---------------------------------------------------------------------------
# Nested: A recorded, then rr-replay of A recorded (B); the replay inside B,
# extracted by --nested, must be A's execution. The programs of tests/progs
# marked `// rrdb-test: nested-diff`: one process, several (fork_wait,
# pipe_between, pselect_sigmask), threads (threads_mutex, threads_spin_flag
# with landmarks), signals (sig_alarm_spin: a signal at a landmark), rdtsc,
# an exec; and programs whose recording holds nested-tracing events
# (tracee_stop, tracer_write): tracers (ptrace_tracer, ptrace_interrupt) and
# process_vm_writev (process_vm_write). many_lines, which the faults below
# use, is one of them. Then three levels: rr-replay of B recorded (C), whose
# inner replay must be B, and a replayer fault at the second level named at
# its event of B.

PROGS_BIN=$ROOT/build/tests
NESTED_PROGS=$(progs_with nested-diff | tr '\n' ' ')

# record_nested NAME: record build/tests/NAME into $WORK/n.NAME.a and its
# replay under rr-record into $WORK/n.NAME.b (outputs into .out, .err).
# many_lines's B is replayed again under rr-record (three levels): there an
# ASan build's rr-replay runs without LeakSanitizer, whose untraced thread
# at exit fails under ptrace, a failure the third level would have to replay.
record_nested() {
    local a=$WORK/n.$1.a b=$WORK/n.$1.b
    local env=()
    [[ $1 == many_lines ]] && env=(ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0")
    rm -f "$a" "$b"
    (cd "$WORK/cwd" && timeout "$TIMEOUT" "$RECORD" -o "$a" "$PROGS_BIN/$1" </dev/null >"$a.out" 2>"$a.err")
    [[ -f $a ]] || return 1
    (cd "$WORK/cwd" && env "${env[@]}" timeout "$TIMEOUT" "$RECORD" -o "$b" "$REPLAY" -q "$a" \
        </dev/null >"$b.out" 2>"$b.err") && [[ -f $b ]]
}

if [[ " $NESTED_PROGS" != *" many_lines "* ]]; then
    fail nested "many_lines is not among the programs marked nested-diff: [$NESTED_PROGS]"
elif [[ -x $PROGS_BIN/many_lines ]]; then
    for prog in $NESTED_PROGS; do record_nested "$prog" & done
    wait
    for prog in $NESTED_PROGS; do
        if [[ ! -f $WORK/n.$prog.b ]]; then
            fail "nested_$prog" "cannot record rr-replay of $prog: $(tail -1 "$WORK/n.$prog.b.err")"
            continue
        fi
        tasks=$(sqlite3 "$WORK/n.$prog.a" "SELECT count(*) FROM task")
        rrdiff "$WORK/out" --nested "$WORK/n.$prog.b" "$WORK/n.$prog.a"
        [[ $rc -eq 0 ]] && grep -q "^identical: .* in $tasks tasks\?$" "$WORK/out" && pass "nested_$prog" ||
            fail "nested_$prog" "exit $rc: $(grep -m1 -A12 'divergence\|^identical' "$WORK/out" | tr '\n' ' ') $(head -1 "$WORK/out.err")"
    done

    # The replayer gives the program a wrong result (+1) for one emulated
    # syscall, without a word: --nested names exactly that event.
    a=$WORK/n.many_lines.a
    seq=$(sqlite3 "$a" "SELECT max(seq) FROM event WHERE kind = 1 AND sysno = 1")
    rm -f "$WORK/n.fault"
    (cd "$WORK/cwd" && timeout "$TIMEOUT" "$RECORD" -o "$WORK/n.fault" "$REPLAY" -q --test-corrupt-result "$seq" "$a" \
        </dev/null >/dev/null 2>"$WORK/n.fault.err")
    rrdiff "$WORK/out.json" --nested --format json "$WORK/n.fault" "$a"
    got=$(json "$WORK/out.json" '(d["divergences"][0]["b"]["seq"], d["divergences"][0]["differences"][0]["what"], d["divergences"][0]["differences"][0]["a"] - d["divergences"][0]["differences"][0]["b"])')
    rrdiff "$WORK/out" --nested "$WORK/n.fault" "$a"
    [[ $rc -eq 1 && $got == "($seq, 'result', 1)" ]] &&
        grep -q "^first divergence: task 1 .*, event [0-9]* in A, event $seq in B" "$WORK/out" &&
        pass nested_corrupt_result || fail nested_corrupt_result "exit $rc, got $got, expected ($seq, 'result', 1)"

    # Three levels: C records rr-replay of B (itself rr-replay of A recorded),
    # once clean and once with a fault in the replay of B's last ptrace call
    # (an emulated syscall of B's replayer task).
    b=$WORK/n.many_lines.b
    seq2=$(sqlite3 "$b" "SELECT max(seq) FROM event WHERE kind = 1 AND sysno = 101")
    rm -f "$WORK/n.c" "$WORK/n.c.fault"
    (cd "$WORK/cwd" && timeout "$TIMEOUT" "$RECORD" -o "$WORK/n.c" "$REPLAY" -q "$b" \
        </dev/null >/dev/null 2>"$WORK/n.c.err") &
    (cd "$WORK/cwd" && timeout "$TIMEOUT" "$RECORD" -o "$WORK/n.c.fault" "$REPLAY" -q --test-corrupt-result "$seq2" "$b" \
        </dev/null >/dev/null 2>"$WORK/n.c.fault.err") &
    wait
    rrdiff "$WORK/out" --nested "$WORK/n.c" "$b"
    if [[ $rc -eq 0 ]] && grep -q "^identical: .* in 2 tasks$" "$WORK/out"; then
        pass nested_three_levels
    else
        fail nested_three_levels "exit $rc: $(grep -m1 -A12 'divergence\|^identical' "$WORK/out" | tr '\n' ' ') $(head -1 "$WORK/out.err") $(tail -1 "$WORK/n.c.err")"
    fi
    rrdiff "$WORK/out.fault" --nested "$WORK/n.c.fault" "$b"
    rrdiff "$WORK/out.json" --nested --format json "$WORK/n.c.fault" "$b"
    got=$(json "$WORK/out.json" '(d["divergences"][0]["b"]["seq"], d["divergences"][0]["differences"][0]["what"], d["divergences"][0]["differences"][0]["a"] - d["divergences"][0]["differences"][0]["b"])')
    if [[ $rc -eq 1 && $got == "($seq2, 'result', 1)" ]]; then
        pass nested_three_levels_corrupt_result
    else
        fail nested_three_levels_corrupt_result "exit $rc, got $got, expected ($seq2, 'result', 1)"
    fi
else
    fail nested "no test programs in $PROGS_BIN (run tests/run-tests.sh or make first)"
fi

# ---------------------------------------------------------------------------
# Errors: exit 2 and one line on stderr.

# expect_error NAME PATTERN ARGS…
expect_error() {
    local name=$1 pattern=$2
    shift 2
    rrdiff "$WORK/err.out" "$@"
    local lines
    lines=$(wc -l <"$WORK/err.out.err")
    if [[ $rc -eq 2 && $lines -eq 1 ]] && grep -q -- "$pattern" "$WORK/err.out.err"; then
        pass "$name"
    else
        fail "$name" "exit $rc, $lines stderr lines: $(head -2 "$WORK/err.out.err" | tr '\n' ' ')"
    fi
}
echo "not a trace" >"$WORK/text.txt"
sqlite3 "$WORK/other.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1)"
expect_error error_missing_file "rr-diff: cannot open trace $WORK/nope: No such file" "$WORK/file.a" "$WORK/nope"
expect_error error_text_file "rr-diff: $WORK/text.txt is not an rrdb trace" "$WORK/text.txt" "$WORK/file.a"
expect_error error_other_sqlite "rr-diff: $WORK/other.db is not an rrdb trace" "$WORK/file.a" "$WORK/other.db"
expect_error error_directory "is not an rrdb trace" "$WORK/file.a" "$WORK"
expect_error error_one_argument "two traces are needed" "$WORK/file.a"
expect_error error_bad_option "unknown option --frobnicate" --frobnicate "$WORK/file.a" "$WORK/file.a"
expect_error error_bad_context "-C wants a number" -C x "$WORK/file.a" "$WORK/file.a"
expect_error error_bad_ignore_group "a group (time, random, pids)" --ignore tiem "$WORK/file.a" "$WORK/file.a"
expect_error error_bad_format "--format is text or json" --format xml "$WORK/file.a" "$WORK/file.a"
expect_error error_bad_ignore "--ignore: nosuchcall is neither" --ignore nosuchcall "$WORK/file.a" "$WORK/file.a"
expect_error error_nested_not_replay "rr-diff: $WORK/file.a traced no task: it is not a recording of rr-replay" \
    --nested "$WORK/file.a" "$WORK/file.a"
expect_error error_nested_missing "rr-diff: cannot open trace $WORK/nope: No such file" --nested "$WORK/nope" "$WORK/file.a"
expect_error error_nested_missing_inner "rr-diff: cannot open trace $WORK/nope: No such file" \
    --nested "$WORK/n.many_lines.b" "$WORK/nope"
expect_error error_nested_text_file "rr-diff: $WORK/text.txt is not an rrdb trace" --nested "$WORK/text.txt" "$WORK/file.a"

summary
