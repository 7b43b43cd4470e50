#!/usr/bin/env bash
# corrupt-traces.sh — hundreds of damaged copies of one recording, each given
# to rr-replay, rr-query and rr-diff: none may crash (exit status 128 or
# more), hang (timeout), print a sanitizer report, or replay with exit 0 and
# output other than the recording's.
#
# The damage: SQL updates of every column of every table (NULL, 0, -1, one
# more, the largest integer, text, bytes: up to four a column, those the
# schema accepts), rows deleted from every table,
# files truncated at several sizes, single bits flipped. Most copies are
# left as damaged, so the checksums must catch them; the first change of
# each column and a deleted row of each table get their checksums recomputed (tests/helpers/trace_reseal.c), so
# that they reach the checks behind them: the numbers read from a trace, the
# output witnesses.
#
# usage: tests/corrupt-traces.sh [BINDIR]     (BINDIR default: build/bin)
# Output: one FAIL line per finding, the figures (traces; per tool, how many
# exited 0, 1, 2), then "N passed, M failed".

set -u
ulimit -c 0

RUNNER=corrupt-traces.sh
# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lib_tools "${1:-$ROOT/build/bin}" rr-query rr-diff
lib_need python3
[[ -x $RESEAL ]] || die "not found or not executable: $RESEAL (make builds it)"
build_prog tests/progs/lines_and_file.c "$ROOT/build/tests" || die "cannot build lines_and_file.c"

scratch corrupt
(cd "$SCRATCH" && timeout -k 5 "$TIMEOUT" "$RECORD" -o "$SCRATCH/good.trace" "$ROOT/build/tests/lines_and_file" \
    </dev/null >"$SCRATCH/good.out" 2>"$SCRATCH/good.err") || die "cannot record lines_and_file: $(cat "$SCRATCH/good.err")"

python3 - "$SCRATCH" "$BINDIR" "$RESEAL" <<'EOF'
import concurrent.futures, os, random, shutil, sqlite3, subprocess, sys

work, bindir, reseal = sys.argv[1], sys.argv[2], sys.argv[3]
good = os.path.join(work, "good.trace")
recorded = open(os.path.join(work, "good.out"), "rb").read()
rng = random.Random(13)

db = sqlite3.connect(good)
tables = [r[0] for r in db.execute("select name from sqlite_master where type = 'table' order by name")]
columns = {t: [r[1] for r in db.execute(f"pragma table_info({t})")] for t in tables}
db.close()

# Each column gets four of these, the first that the schema accepts resealed.
values = ["NULL", "0", "-1", "{c} + 1", "9223372036854775807", "'x'", "x'00ff'"]
cases = []  # (name, how, argument, resealed)
for t in tables:
    row = f"(select rowid from {t} order by rowid limit 1 offset (select count(*) / 2 from {t}))"
    for i, c in enumerate(columns[t]):
        for k in range(len(values)):
            v = values[(i + k) % len(values)].format(c=c)
            cases.append((f"{t}.{c} = {v}", "sql", f"update {t} set {c} = {v} where rowid = {row}", None))
    cases.append((f"{t}: a row deleted", "sql", f"delete from {t} where rowid = {row}", True))
    cases.append((f"{t}: half its rows deleted", "sql", f"delete from {t} where rowid % 2 = 0", False))
cases.append(("event: the tail deleted", "sql", "delete from event where seq >= 100", False))
cases.append(("event: the tail deleted", "sql", "delete from event where seq >= 100", True))
size = os.path.getsize(good)
for cut in (0, 100, 4096, size // 4, size // 2, size - 4096, size - 1):
    cases.append((f"truncated to {cut} bytes", "truncate", cut, False))
for _ in range(30):
    at = rng.randrange(size)
    cases.append((f"bit {at % 8} of byte {at} flipped", "flip", at, False))

def damage(trace, how, arg):
    """Make `trace` a damaged copy; False when the schema refused the change."""
    shutil.copyfile(good, trace)
    if how == "truncate":
        os.truncate(trace, arg)
    elif how == "flip":
        with open(trace, "r+b") as f:
            f.seek(arg)
            byte = f.read(1)[0]
            f.seek(arg)
            f.write(bytes([byte ^ (1 << (arg % 8))]))
    else:
        c = sqlite3.connect(trace)
        try:
            c.executescript(arg)
            changed = c.total_changes > 0
            c.commit()
        except sqlite3.Error:
            changed = False  # a constraint refused it
        c.close()
        return changed
    return True

def run(argv):
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
        return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return "hang", b"", ""

def check(number, name, reseal_it, trace):
    if reseal_it:
        subprocess.run([reseal, trace], capture_output=True)
    label = name + (" (checksums recomputed)" if reseal_it else "")
    results, lines = [], []
    for tool, argv in (("rr-replay", [f"{bindir}/rr-replay", trace]),
                       ("rr-query", [f"{bindir}/rr-query", trace, "syscalls"]),
                       ("rr-diff", [f"{bindir}/rr-diff", good, trace])):
        status, out, err = run(argv)
        results.append((tool, status))
        why = None
        if status == "hang":
            why = "hung (30 s)"
        elif status >= 128 or status < 0:
            why = f"crashed (exit status {status})"
        elif "Sanitizer" in err or "runtime error:" in err:
            why = "sanitizer report"
        elif tool == "rr-replay" and status == 0 and out != recorded:
            why = "exit 0 with output other than the recording's"
        if why:
            lines.append(f"FAIL {tool} on {label}: {why}")
            lines += ["    " + line for line in err.strip().splitlines()[-5:]]
    for f in (trace, trace + "-wal", trace + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    return results, lines

# Damage is made here, one at a time (a column's first accepted value is
# resealed); the tools run two cases at a time.
jobs, resealed, column_done = [], 0, set()
with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
    per_column = {}
    for name, how, arg, reseal_it in cases:
        column = name.split(" = ")[0] if " = " in name else None
        if column and per_column.get(column, 0) >= 4:
            continue
        trace = os.path.join(work, f"case{len(jobs)}.trace")
        if not damage(trace, how, arg):
            os.remove(trace)
            continue
        if column:
            per_column[column] = per_column.get(column, 0) + 1
            reseal_it = column not in column_done
            column_done.add(column)
        resealed += bool(reseal_it)
        jobs.append(pool.submit(check, len(jobs), name, reseal_it, trace))
    counts = {tool: {} for tool in ("rr-replay", "rr-query", "rr-diff")}
    findings = 0
    for job in jobs:
        results, lines = job.result()
        for tool, status in results:
            counts[tool][status] = counts[tool].get(status, 0) + 1
        findings += sum(1 for line in lines if line.startswith("FAIL"))
        for line in lines:
            print(line)

with open(os.path.join(work, "figures"), "w") as f:
    f.write(f"{len(jobs)} {findings}\n")
    f.write(f"corrupted traces: {len(jobs)} ({len(jobs) - resealed} left damaged, {resealed} with checksums recomputed)\n")
    for tool, by in counts.items():
        shown = ", ".join(f"{n} exited {s}" for s, n in sorted(by.items(), key=lambda kv: str(kv[0])))
        f.write(f"{tool}: {shown}\n")
EOF
read -r total findings <"$SCRATCH/figures" 2>/dev/null || die "the corruption script did not finish"
if ((total < 300)); then
    fail corrupt_traces "only $total corrupted traces, expected at least 300"
elif ((findings > 0)); then
    fail corrupt_traces "$findings findings over $total corrupted traces"
else
    pass corrupt_traces "$total corrupted traces: no crash, hang, sanitizer report or silent wrong replay"
fi
# The figures, indented: run-all.sh shows them under the verdict.
tail -n +2 "$SCRATCH/figures" | sed 's/^/    /'
summary
