#!/usr/bin/env bash
# view-tests.sh — how the tools show a run to a person. rr-query decodes
# syscalls as strace does: the same small
# program (tests/progs/decode_strace.c) runs under `strace -f` and under
# rr-record, and each clock_gettime, newfstatat, connect, poll and wait4 call
# is compared argument by argument, and field by field inside structs, with
# only what differs between two runs set aside (times, the child's pid,
# addresses of buffers the kernel did not fill) and the file names rr-query
# adds to fds (strace -y's). rr-replay shows one updating progress line on
# a terminal (a pty made by `script`), erased at the end, and none when
# stderr is not a terminal or with -q; rr-diff -q shows none either.
#
# usage: tests/view-tests.sh [BINDIR]     (default: build/bin)
# Output: "PASS name" or "FAIL name: why" per test, then exactly
# "N passed, M failed, K skipped".
set -u
RUNNER=view-tests.sh
# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lib_tools "${1:-$ROOT/build/bin}" rr-query rr-diff
lib_need python3 script
scratch view-tests
cd "$SCRATCH" || die "cannot enter $SCRATCH"
build_prog tests/progs/decode_strace.c "$SCRATCH" || die "cannot compile decode_strace.c: $(cat .decode_strace.cc.err)"

# --- decoding as strace does ----------------------------------------------------------------------
CALLS=clock_gettime,newfstatat,connect,poll,wait4
compare_with_strace() {
strace -f -qq -o strace.out -e trace=$CALLS ./decode_strace || die "decode_strace failed under strace"
"$RECORD" -o decode.trace ./decode_strace >/dev/null 2>record.err || die "rr-record failed: $(cat record.err)"
"$QUERY" --format json decode.trace "syscalls where name in (${CALLS//,/, })" >query.json 2>query.err ||
    die "rr-query failed: $(cat query.err)"

python3 - strace.out query.json >compare.out 2>&1 <<'PY'
import json, re, sys

def split_top(text):
    """Split at the commas that are not inside (), [], {} or quotes."""
    parts, depth, quoted, escaped, cur = [], 0, False, False, ""
    for ch in text:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif not quoted and ch in "([{":
            depth += 1
        elif not quoted and ch in ")]}":
            depth -= 1
        elif not quoted and depth == 0 and ch == ",":
            parts.append(cur.strip()); cur = ""; continue
        cur += ch
    parts.append(cur.strip())
    return parts

def normalize(text):
    text = re.sub(r"\b(\d+)<[^>]*>", r"\1", text)  # rr-query names an fd's file, as strace -y would
    text = re.sub(r"\b(tv_sec|tv_nsec|tv_usec)=\d+", r"\1=N", text)
    return re.sub(r"\b0x[0-9a-f]{6,}\b", "ADDR", text)

def strace_calls(path):
    pending, calls = {}, []
    for line in open(path):
        line = line.rstrip("\n")
        pid, _, rest = line.partition(" ")
        rest = rest.lstrip()  # strace pads short pids: "7262  newfstatat(…"
        if rest.endswith("<unfinished ...>"):
            pending[pid] = rest[: -len("<unfinished ...>")].rstrip()
            continue
        m = re.match(r"<\.\.\. \w+ resumed>(.*)", rest)
        if m:
            rest = pending.pop(pid, "") + m.group(1)
        m = re.match(r"(\w+)\((.*)\)\s+= (.*)$", rest)
        if m:
            calls.append((m.group(1), m.group(2), m.group(3)))
    return calls

children = set()
mine = [(r["name"], r["args"], str(r["ret"])) for r in json.load(open(sys.argv[2]))]
theirs = strace_calls(sys.argv[1])
for calls in (mine, theirs):
    for i, (name, args, ret) in enumerate(calls):
        if name == "wait4" and re.match(r"^\d+$", ret):
            args = re.sub(r"^\d+", "PID", args)
            ret = "PID"
        calls[i] = (name, normalize(args), ret)
bad = 0
if len(mine) != len(theirs):
    print(f"rr-query shows {len(mine)} calls, strace {len(theirs)}")
    bad += 1
for (n1, a1, r1), (n2, a2, r2) in zip(mine, theirs):
    f1, f2 = split_top(a1), split_top(a2)
    for i, (x, y) in enumerate(zip(f1, f2)):
        if x != y:
            # field by field inside a struct, to name the field that differs
            fx, fy = split_top(x.strip("{}[]")), split_top(y.strip("{}[]"))
            which = next((f"{p} vs {q}" for p, q in zip(fx, fy) if p != q), f"{x} vs {y}")
            print(f"{n1} argument {i}: rr-query {which} (strace)")
            bad += 1
    if len(f1) != len(f2) or n1 != n2 or r1 != r2:
        print(f"{n1}({a1}) = {r1}\n  strace: {n2}({a2}) = {r2}")
        bad += 1
names = sorted({n for n, _, _ in mine})
print(f"compared {len(theirs)} calls: {', '.join(names)}")
sys.exit(1 if bad else 0)
PY
if [[ $? == 0 ]]; then
    pass "decoding as strace does" "$(tail -1 compare.out)"
else
    fail "decoding as strace does" "$(head -20 compare.out)"
fi
for name in ${CALLS//,/ }; do
    if grep -q "^$name(" strace.out 2>/dev/null || grep -q " $name(" strace.out; then
        grep -q "\"name\": \"$name\"" query.json && pass "strace and rr-query both show $name" ||
            fail "strace and rr-query both show $name" "rr-query shows no $name"
    else
        fail "strace and rr-query both show $name" "strace shows no $name: the program no longer calls it"
    fi
done
}
if command -v strace >/dev/null; then
    compare_with_strace
else
    skip "decoding as strace does" "strace is not installed (make deps installs it)"
fi

# --- rr-replay -v: each event decoded as rr-query shows it ----------------------------------------------
build_prog tests/progs/decode_strace.c "$SCRATCH" >/dev/null 2>&1
if "$RECORD" -o verbose.trace ./decode_strace >/dev/null 2>verbose.rec.err &&
    "$REPLAY" -v verbose.trace >/dev/null 2>verbose.err; then
    if grep -q '^rr-replay: event 0, task [0-9]*: exec .*decode_strace (argv: .*decode_strace)$' verbose.err &&
        grep -q '^rr-replay: event [0-9]*, task [0-9]*: syscall clock_gettime(CLOCK_[A-Z]*, {tv_sec=[0-9]*, tv_nsec=[0-9]*}) = 0$' verbose.err &&
        grep -q '^rr-replay: event [0-9]*, task [0-9]*: syscall openat(AT_FDCWD, "/' verbose.err; then
        pass "rr-replay -v decodes execs and syscalls"
    else
        fail "rr-replay -v decodes execs and syscalls" "$(grep -m3 'exec\|clock_gettime\|openat' verbose.err | tr '\n' ' ')"
    fi
else
    fail "rr-replay -v decodes execs and syscalls" "$(tail -1 verbose.rec.err verbose.err 2>/dev/null | tr '\n' ' ')"
fi

# --- rr-replay's progress line (a replay of 30,000 events) ---------------------------------------
build_prog tests/query/q_getppid.c "$SCRATCH" || die "cannot compile q_getppid.c: $(cat .q_getppid.cc.err)"
"$RECORD" -o long.trace ./q_getppid 30000 >/dev/null 2>record.err || die "rr-record failed: $(cat record.err)"
EVENTS=$(sqlite3 long.trace 'select count(*) from event')
script -qec "$REPLAY long.trace" pty.out >/dev/null 2>&1 </dev/null
python3 - pty.out "$EVENTS" <<'PY' >check.out 2>&1 &&
import re, sys
text = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
lines = re.findall(r"\r\x1b\[Krr-replay: (\d+)/(\d+) events \((\d+)%\), (\d+)/s", text)
assert len(lines) >= 2, f"{len(lines)} progress lines: {text[:300]!r}"
assert all(int(total) == int(sys.argv[2]) for _, total, _, _ in lines), lines[:3]
done = [int(d) for d, _, _, _ in lines]
assert done == sorted(done) and done[0] < done[-1], done
assert "\r\x1b[Krr-replay: replayed" in text, "the line is not erased before the last note"
PY
    pass "progress: an updating line on a terminal, erased at the end" ||
    fail "progress: an updating line on a terminal, erased at the end" "$(cat check.out)"
script -qec "$REPLAY -q long.trace" pty_quiet.out >/dev/null 2>&1 </dev/null
"$REPLAY" long.trace >/dev/null 2>pipe.err
if grep -q "events (" pty_quiet.out pipe.err; then
    fail "progress: none with -q or when stderr is not a terminal" "$(grep -l "events (" pty_quiet.out pipe.err)"
else
    pass "progress: none with -q or when stderr is not a terminal"
fi
# rr-diff -q: no progress line while it compares the two 30,000-event runs
"$RECORD" -o long2.trace ./q_getppid 30000 >/dev/null 2>record.err || die "rr-record failed: $(cat record.err)"
script -qec "$DIFF -q --ignore rdtsc,cpuid,getppid long.trace long2.trace" diff_quiet.out >/dev/null 2>&1 </dev/null
if grep -qa "events (" diff_quiet.out; then
    fail "progress: rr-diff -q shows none" "$(tail -c 300 diff_quiet.out | cat -v)"
elif ! grep -qa "identical: $EVENTS events" diff_quiet.out; then
    fail "progress: rr-diff -q shows none" "no report: $(tail -c 300 diff_quiet.out | cat -v)"
else
    pass "progress: rr-diff -q shows none"
fi
summary
