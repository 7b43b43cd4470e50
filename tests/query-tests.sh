#!/usr/bin/env bash
# query-tests.sh — tests of rr-query: the query language (each operator, each
# subject, precedence, names, errors), quoting and injection attempts, every
# output format (parsed back), read-only enforcement, stats, ps, symbols, and
# answers checked against what the recorded programs really did.
#
# usage: tests/query-tests.sh [BINDIR]     (default: build/bin)
#
# The tracees are tests/query/*.c, compiled with gcc and recorded with
# rr-record into a temporary directory. Where a query's rows can be stated in
# plain SQL, the test compares rr-query's seq list with sqlite3's on the same
# trace (an independent oracle); elsewhere with the program's own output.
#
# Output: "PASS name" or "FAIL name: why" per test, then exactly
# "N passed, M failed, K skipped". Exit status 0 only when nothing failed; 2 when the
# tests could not be set up.

set -u
RUNNER=query-tests.sh
# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lib_tools "${1:-$ROOT/build/bin}" rr-query
lib_need gcc python3 sha256sum
scratch query-tests
TMP=$SCRATCH
cd "$TMP" || die "cannot enter $TMP"

# --- tracees and traces --------------------------------------------------------
for prog in q_files q_fork; do
    build_prog "tests/query/$prog.c" "$TMP" || die "cannot compile $prog.c: $(head -n 3 ".$prog.cc.err")"
done
# shellcheck disable=SC2086 # CFLAGS is a list of words
gcc $CFLAGS -shared -fPIC -o libq_lib.so "$ROOT/tests/query/q_lib.c" || die "cannot compile q_lib.c"
# shellcheck disable=SC2086
gcc $CFLAGS -o q_lib_user "$ROOT/tests/query/q_lib_user.c" -L. -lq_lib -Wl,-rpath,"$TMP" ||
    die "cannot compile q_lib_user.c"
rm -f .*.flags .*.cc.err

record() { # record TRACE PROG: run PROG under rr-record, keep its stdout in TRACE.out
    "$RECORD" -o "$1" "./$2" > "$1.out" 2> "$1.err" || die "rr-record $2 failed: $(cat "$1.err")"
}
record files.trace q_files
record fork.trace q_fork
record lib.trace q_lib_user
T=files.trace
OUT=$(cat files.trace.out)
# fd=3 writes=4,4,6 missing=-1 errno=2 rfd=3 read=14 buf=0x… map=0x… pid=…
field() { sed -n "s/.*[ ^]$1=\([^ ]*\).*/\1/p" <<< " $OUT"; }
FD=$(field fd) RFD=$(field rfd) READ=$(field read) BUF=$(field buf) MAP=$(field map) PID=$(field pid)
[[ $FD =~ ^[0-9]+$ && $READ == 14 && $BUF == 0x* && $MAP == 0x* ]] || die "unexpected q_files output: $OUT"
declare -A HASH
for t in files.trace fork.trace lib.trace; do HASH[$t]=$(sha256sum < "$t"); done

# --- helpers -------------------------------------------------------------------
q() { "$QUERY" "$@"; }
# seqs TRACE QUERY…: the seq column of a query's result, one per line (via JSON).
seqs() {
    local trace=$1; shift
    "$QUERY" --format json "$trace" "$@" | python3 -c '
import json, sys
for row in json.load(sys.stdin):
    print(row["seq"])'
}
sql() { sqlite3 "$1" "$2"; }
# same NAME QUERY SQL: the query selects exactly the events SQL selects on $T.
same() {
    local got want
    got=$(seqs "$T" "$2" 2>&1) || { fail "$1" "rr-query failed: $got"; return; }
    want=$(sql "$T" "$3")
    if [[ $got == "$want" && -n $want ]]; then pass "$1"
    else fail "$1" "got [$(echo $got)], SQL says [$(echo $want)]"; fi
}
# count NAME EXPECTED QUERY…: number of rows of a query on $T.
count() {
    local name=$1 want=$2; shift 2
    local got
    got=$("$QUERY" --format json "$T" "$@" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' 2>&1)
    if [[ $got == "$want" ]]; then pass "$name"; else fail "$name" "expected $want rows, got $got"; fi
}
# error NAME PATTERN QUERY…: the query fails with status 1 and a message matching PATTERN.
error() {
    local name=$1 pattern=$2; shift 2
    local msg status=0
    msg=$("$QUERY" "$T" "$@" 2>&1 >/dev/null) || status=$?
    if [[ $status -eq 1 && $msg =~ $pattern && $(grep -c . <<< "$msg") -eq 1 ]]; then pass "$name"
    else fail "$name" "status $status, message: $msg"; fi
}
# contains NAME TEXT OUTPUT: OUTPUT holds TEXT.
contains() {
    if [[ $3 == *"$2"* ]]; then pass "$1"; else fail "$1" "no '$2' in: $(head -c 600 <<< "$3")"; fi
}

# --- results against what the program did -------------------------------------
rows=$(q --format json "$T" "syscalls where name=write and arg0=$FD")
n=$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <<< "$rows")
if [[ $n == 3 ]]; then pass "program: exactly 3 writes to fd $FD"; else fail "program: exactly 3 writes to fd $FD" "got $n rows"; fi
echo "$rows" > rows.json
python3 - "$FD" rows.json <<'EOF' > check.out 2>&1 && pass "program: writes show fd $FD<q_data.txt>, the bytes and results" ||
    fail "program: writes show fd $FD<q_data.txt>, the bytes and results" "$(cat check.out)"
import json, sys
fd = sys.argv[1]
rows = json.load(open(sys.argv[2]))
want = [('one\\n', 4), ('two\\n', 4), ('three\\n', 6)]
for row, (text, size) in zip(rows, want):
    assert row["args"] == '%s<q_data.txt>, "%s", %d' % (fd, text, size), row["args"]
    assert row["ret"] == size, row
    assert row["ip"].startswith("libc.so.6!write+0x"), row["ip"]
EOF
count "program: name=write is the 3 writes and printf's" 4 'syscalls where name=write'
r=$(q "$T" "syscalls where name=read and ret=$READ")
contains "program: read shows the file's contents" '"one\ntwo\nthree\n"' "$r"
contains "program: read's fd is named" "$RFD<q_data.txt>" "$r"
count "program: 5 getppid from the program's own code" 5 'syscalls where name=getppid'
contains "program: own code is symbolized from the file's .symtab" 'q_files!raw_getppid+0x' \
    "$(q "$T" 'syscalls where name=getppid limit 1')"
r=$(q --format csv "$T" "files where path = 'missing/nothing'")
contains "program: failed open has its path and ENOENT" 'missing/nothing,O_RDONLY,-1 ENOENT (No such file or directory)' "$r"
r=$(q --format csv "$T" "files where path = 'q_data.txt'")
contains "files: a path built in writable memory, kept at syscall entry" ',openat,q_data.txt,O_RDONLY,3,' "$r"
contains "files: both read-only opens of it" "2" "$(printf '%s\n' "$r" | grep -c ',openat,q_data.txt,O_RDONLY,3,')"
same "files: every open has a path or says it has none" "files where path_from in ('memory', 'mmap') and path like '_%' or path_from = 'not in trace'" \
    'select seq from event where kind=1 and sysno in (2, 85, 257, 437) order by seq'
# the open with O_WRONLY|O_CREAT|O_TRUNC (0x241), and the close of its fd after it
close_seq=$(sql "$T" "select min(seq) from event where kind=1 and sysno=3 and arg0=$FD and seq > (select min(seq) from event where kind=1 and sysno=257 and arg2=577)")
r=$(q --format csv "$T" "files where path = 'q_data.txt' and fd >= 0")
contains "program: files shows the opens, flags, fd, closing event" "q_data.txt,O_WRONLY|O_CREAT|O_TRUNC,$FD,$close_seq,memory" "$r"
contains "program: second open read-only" "q_data.txt,O_RDONLY,$RFD," "$r"
r=$(q "$T" "mmaps where addr contains $(printf '0x%x' $((MAP + 100)))")
contains "program: mmaps addr contains the program's map address" "/q_data.txt" "$r"
contains "program: the mapping starts at the program's address" "$MAP" "$r"
r=$(q "$T" "writes where addr contains $BUF")
contains "program: writes addr contains the read buffer" '"one\ntwo\nthree\n"' "$r"
r=$(q --format csv "$T" 'signals')
contains "program: raise(SIGUSR1) is a delivered SIGUSR1 from its own pid" "SIGUSR1,SI_TKILL,delivered,si_pid=$PID si_uid=" "$r"
r=$(q --format json "$T" tasks)
contains "program: tasks has the program with its exit" '"exit": "exited 0"' "$r"

# --- each subject against SQL --------------------------------------------------
same "subject syscalls" 'syscalls' 'select seq from event where kind=1 order by seq'
same "subject signals" 'signals' 'select seq from event where kind=2 order by seq'
same "subject events" 'events' 'select seq from event order by seq'
same "subject mmaps" 'mmaps' 'select seq from mapping order by seq, start'
same "subject writes" 'writes' 'select seq from mem_write order by seq, addr'
same "subject files" 'files' 'select seq from event where kind=1 and sysno in (2, 85, 257, 437) order by seq'
same "subject exec" 'exec' 'select seq from event where kind=5 order by seq'
got=$(q --format csv "$T" tasks | tail -n +2 | cut -d, -f1)
[[ $got == "$(sql "$T" 'select tid from task order by tid')" ]] && pass "subject tasks" || fail "subject tasks" "got $got"
r=$(q --format csv "$T" exec)
contains "subject exec: file and argv from the exec snapshot" ',./q_files,./q_files' "$r"

# --- each operator ---------------------------------------------------------------
# the tenth syscall: which event it is depends on the machine (cpuid, rdtsc events before it)
S10=$(sql "$T" 'select seq from event where kind=1 order by seq limit 1 offset 9')
same "operator =" "syscalls where seq = $S10" "select seq from event where kind=1 and seq=$S10"
same "operator == (alias)" "syscalls where seq == $S10" "select seq from event where kind=1 and seq=$S10"
same "operator !=" 'syscalls where name != getppid' 'select seq from event where kind=1 and sysno != 110 order by seq'
same "operator <>" 'syscalls where name <> getppid' 'select seq from event where kind=1 and sysno != 110 order by seq'
same "operator <" 'events where seq < 7' 'select seq from event where seq < 7 order by seq'
same "operator <=" 'events where seq <= 7' 'select seq from event where seq <= 7 order by seq'
same "operator >" 'syscalls where ret > 1000' 'select seq from event where kind=1 and result > 1000 order by seq'
same "operator >=" 'syscalls where ret >= 4' 'select seq from event where kind=1 and result >= 4 order by seq'
same "operator in" 'syscalls where name in (read, write, close)' 'select seq from event where kind=1 and sysno in (0,1,3) order by seq'
same "operator not in" 'syscalls where name not in (mmap, mprotect)' 'select seq from event where kind=1 and sysno not in (9,10) order by seq'
same "operator like (syscall names)" "syscalls where name like 'get%'" \
    "select e.seq from event e join syscall_info s on s.nr=e.sysno where e.kind=1 and s.name like 'get%' order by e.seq"
same "operator not like" "mmaps where path not like '%libc%'" "select seq from mapping where path not like '%libc%' order by seq, start"
same "operator like (text)" "mmaps where path like '%ld-linux%'" "select seq from mapping where path like '%ld-linux%' order by seq, start"
same "operator between" 'events where seq between 10 and 20' 'select seq from event where seq between 10 and 20 order by seq'
same "operator not between" 'events where seq not between 10 and 20' 'select seq from event where seq not between 10 and 20 order by seq'
same "operator contains (writes)" "writes where addr contains $BUF" "select seq from mem_write where addr <= $BUF and $BUF < addr + len order by seq"
same "operator contains (mmaps)" "mmaps where addr contains $MAP" "select seq from mapping where start <= $MAP and $MAP < end order by seq, start"
same "operator and" 'syscalls where name=write and ret=4' 'select seq from event where kind=1 and sysno=1 and result=4 order by seq'
same "operator or" 'syscalls where name=close or name=getppid' 'select seq from event where kind=1 and sysno in (3,110) order by seq'
same "operator not" 'syscalls where not name=mmap' 'select seq from event where kind=1 and sysno != 9 order by seq'
same "parentheses" 'syscalls where (name=write or name=read) and ret=4' \
    'select seq from event where kind=1 and sysno in (0,1) and result=4 order by seq'
same "precedence: and binds tighter than or" 'syscalls where name=getppid or name=write and ret=6' \
    'select seq from event where kind=1 and (sysno=110 or (sysno=1 and result=6)) order by seq'
same "precedence: not binds tighter than and" 'syscalls where not name=getppid and seq < 30' \
    'select seq from event where kind=1 and (sysno != 110) and seq < 30 order by seq'
same "precedence: not of a parenthesis" 'syscalls where not (name=getppid or seq < 30)' \
    'select seq from event where kind=1 and not (sysno = 110 or seq < 30) order by seq'
same "keywords are case-insensitive" 'SYSCALLS WHERE NAME = WRITE AND NOT RET < 5' \
    'select seq from event where kind=1 and sysno=1 and not result < 5 order by seq'
same "order by desc, limit" 'syscalls where name=getppid order by seq desc limit 2' \
    'select seq from event where kind=1 and sysno=110 order by seq desc limit 2'
same "order by another field" 'syscalls where name=write order by ret asc' \
    'select seq from event where kind=1 and sysno=1 order by result asc, seq'
same "hex value" "events where seq = 0xa" 'select seq from event where seq = 10'

# --- names ---------------------------------------------------------------------------
same "syscall name (name=openat)" 'syscalls where name=openat' 'select seq from event where kind=1 and sysno=257 order by seq'
same "syscall name as a string" "syscalls where name='openat'" 'select seq from event where kind=1 and sysno=257 order by seq'
same "syscall name for sysno" 'syscalls where sysno=openat' 'select seq from event where kind=1 and sysno=257 order by seq'
same "errno name (ret=-ENOENT)" 'syscalls where ret=-ENOENT' 'select seq from event where kind=1 and result=-2 order by seq'
same "errno field (errno=ENOENT)" 'syscalls where errno=ENOENT' 'select seq from event where kind=1 and result=-2 order by seq'
same "errno names in a list" 'syscalls where ret in (-ENOENT, -ENOSYS)' 'select seq from event where kind=1 and result in (-2,-38) order by seq'
same "signal name (signo=SIGUSR1)" 'signals where signo=SIGUSR1' 'select seq from event where kind=2 and signo=10 order by seq'
same "signal name without SIG" 'signals where signo=usr1' 'select seq from event where kind=2 and signo=10 order by seq'
same "event kind name" 'events where kind=signal or kind=exec' 'select seq from event where kind in (2,5) order by seq'

# --- errors ----------------------------------------------------------------------------
error "unknown subject is named, subjects listed" "unknown subject 'sycalls'; subjects: syscalls, signals, events, tasks, mmaps, writes, files, exec" 'sycalls'
error "unknown field is named, fields listed" "unknown field 'fd' for syscalls; fields: seq, tid, pid, name" 'syscalls where fd=3'
error "unknown order by field" "unknown field 'nope' for events" 'events order by nope'
error "unknown syscall name" "unknown syscall name 'opnat'" 'syscalls where name=opnat'
error "unknown errno name" "unknown errno name 'ENOPE'" 'syscalls where ret=-ENOPE'
error "unknown signal name" "unknown signal name 'SIGFOO'" 'signals where signo=SIGFOO'
error "unknown event kind" "unknown event kind 'bogus'" 'events where kind=bogus'
error "a name for a number field" "abc does not fit field tid, which takes a number" 'syscalls where tid=abc'
error "a string for a number field" "'3' does not fit field seq" "events where seq='3'"
error "like on a number field" "like compares text; field tid" 'syscalls where tid like 3'
error "contains on a non-range field" "contains applies to address ranges" 'syscalls where tid contains 3'
error "syntax: missing value, with column" "syntax error at column 20: expected a value" 'syscalls where tid='
error "syntax: unclosed parenthesis" "expected '\)'" 'syscalls where (tid=1'
error "syntax: trailing words" "expected and, or, order by, limit or the end of the query, found 'extra'" 'syscalls where tid=1 extra'
error "syntax: unterminated string" "syntax error at column 18: unterminated string" "files where path='x"
error "syntax: a value where a field belongs" "expected a field name" 'syscalls where 1=1'
error "syntax: bad number" "syntax error at column 20: bad number '12abc'" 'syscalls where tid=12abc'
error "stats: unknown part" "unknown stats part 'bogus'" 'stats bogus'

# --- quoting and injection --------------------------------------------------------------
count "quote: doubled quote inside a string is a literal" 0 "files where path = 'it''s'"
count "quote: double-quoted strings" 1 'files where path = "missing/nothing"'
count "injection: OR 1=1 in a string stays a value" 0 "files where path = 'x'' OR ''1''=''1'"
count "injection: ; DROP TABLE in a like pattern stays a value" 0 "files where path like '%'';DROP TABLE event;--'"
count "injection: comment markers stay a value" 0 "tasks where command = '--' or command = '/*'"
error "injection: SQL in a syscall name is an unknown name" "unknown syscall name 'write; DROP TABLE event'" \
    "syscalls where name = 'write; DROP TABLE event'"
error "injection: SQL outside quotes is a syntax error" "syntax error" 'syscalls where tid=1; DROP TABLE event'
error "injection: subquery is not a value" "syntax error" 'syscalls where tid=(select 1)'
r=$(q --explain "$T" "files where path = 'x'' OR 1=1 --'")
contains "injection: values are bound parameters (--explain)" "= 'x' OR 1=1 --'" "$r"
if grep -q "^sql: .*OR 1=1" <<< "$r"; then fail "injection: the SQL text never holds the value" "$r"
else pass "injection: the SQL text never holds the value"; fi

# --- output formats -------------------------------------------------------------------------
q --format json "$T" syscalls > out.json
python3 - out.json <<'EOF' > check.out 2>&1 && pass "format json: one valid array, typed values" || fail "format json: one valid array, typed values" "$(cat check.out)"
import json, sys
rows = json.load(open(sys.argv[1]))
assert isinstance(rows, list) and rows, "not a non-empty array"
assert all(isinstance(r["seq"], int) and isinstance(r["tid"], int) and isinstance(r["name"], str) for r in rows)
assert any(isinstance(r["ret"], int) for r in rows) and any(isinstance(r["ret"], str) for r in rows)
EOF
n=$(q --format json "$T" 'syscalls where name=nosuchcall_never' 2>/dev/null)
[[ $n == "" ]] && pass "format json: error gives no partial JSON on stdout" ||
    fail "format json: error gives no partial JSON on stdout" "$n"
[[ $(q --format json "$T" 'syscalls where seq < 0') == "[]" ]] && pass "format json: empty result is []" ||
    fail "format json: empty result is []" "$(q --format json "$T" 'syscalls where seq < 0')"
q --format csv "$T" syscalls > out.csv
python3 - out.csv "$(sql "$T" 'select count(*) from event where kind=1')" <<'EOF' > check.out 2>&1 && pass "format csv: parses, header and every row" || fail "format csv: parses, header and every row" "$(cat check.out)"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert rows[0] == ["seq", "time", "tid", "name", "args", "ret", "ms", "ip"], rows[0]
assert len(rows) - 1 == int(sys.argv[2]), (len(rows), sys.argv[2])
assert any('"' in r[4] and "," in r[4] for r in rows[1:]), "no quoted field with a comma"
EOF
q --format tsv "$T" syscalls > out.tsv
python3 - out.tsv <<'EOF' > check.out 2>&1 && pass "format tsv: one line per row, tab-separated" || fail "format tsv: one line per row, tab-separated" "$(cat check.out)"
import sys
lines = open(sys.argv[1]).read().split("\n")
assert lines[-1] == ""
assert all(len(l.split("\t")) == 8 for l in lines[:-1]), "a row without 8 fields"
EOF
q "$T" 'syscalls where name=write' > out.table
python3 - out.table <<'EOF' > check.out 2>&1 && pass "format table: header, rule, aligned columns" || fail "format table: header, rule, aligned columns" "$(cat check.out)"
import sys
lines = open(sys.argv[1]).read().split("\n")
assert lines[0].split() == ["seq", "time", "tid", "name", "args", "ret", "ms", "ip"], lines[0]
assert set(lines[1]) <= {"-", " "}, lines[1]
starts = [i for i, c in enumerate(lines[1]) if c == "-" and (i == 0 or lines[1][i - 1] == " ")]
for line in lines[2:5]:
    for s in starts[1:]:
        assert line[s - 1] == " ", (line, s)
EOF
r=$(q --raw --format csv "$T" "syscalls where name=write and arg0=$FD")
contains "--raw: undecoded columns" "seq,tid,sysno,name,arg0,arg1,arg2,arg3,arg4,arg5,result,ip" "$r"
contains "--raw: raw numbers" ",1,write,$FD," "$r"
r=$(q --format json "$T" stats)
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert set(d) == {"syscalls","tasks"}' "$r" 2>/dev/null &&
    pass "format json: stats is one object of two arrays" || fail "format json: stats is one object of two arrays" "$r"
status=0; msg=$(q --format xml "$T" syscalls 2>&1 >/dev/null) || status=$?
[[ $status == 2 && $msg == *"unknown format 'xml'"* ]] && pass "unknown format: exit 2" || fail "unknown format: exit 2" "$status $msg"

# --- raw SQL and read-only enforcement ---------------------------------------------------------
r=$(q --format csv "$T" --sql "select name, count(*) as n from syscalls where name = 'getppid' group by name")
contains "--sql: runs a SELECT" "getppid,5" "$r"
r=$(q "$T" --sql 'PRAGMA table_info(event)')
contains "--sql: reporting pragmas allowed" "data_hash" "$r"
refused() {
    local name=$1 statement=$2 msg status=0
    msg=$(q "$T" --sql "$statement" 2>&1 >/dev/null) || status=$?
    if [[ $status -eq 1 && $msg == *refused* || $status -eq 1 && $msg == *"one statement"* ]]; then pass "$name"
    else fail "$name" "status $status: $msg"; fi
}
refused "read-only: UPDATE refused" "UPDATE meta SET value='x' WHERE key='format'"
refused "read-only: DELETE refused" "DELETE FROM event"
refused "read-only: INSERT refused" "INSERT INTO meta VALUES ('a', 'b')"
refused "read-only: DROP TABLE refused" "DROP TABLE event"
refused "read-only: DROP VIEW refused" "DROP VIEW syscalls"
refused "read-only: CREATE TABLE refused" "CREATE TABLE x(a)"
refused "read-only: ALTER TABLE refused" "ALTER TABLE event ADD COLUMN x"
refused "read-only: ATTACH refused" "ATTACH '$TMP/attached.db' AS x"
refused "read-only: PRAGMA query_only=0 refused" "PRAGMA query_only=0"
refused "read-only: PRAGMA writable_schema refused" "PRAGMA writable_schema=1"
refused "read-only: VACUUM INTO refused" "VACUUM INTO '$TMP/copy.db'"
refused "read-only: a second statement refused" "SELECT 1; DROP TABLE event"
[[ ! -e attached.db && ! -e copy.db ]] && pass "read-only: no file created by ATTACH or VACUUM INTO" ||
    fail "read-only: no file created by ATTACH or VACUUM INTO" "$(ls)"

# --- schema, stats, ps, exec ------------------------------------------------------------------
r=$(q --format csv "$T" --schema)
missing=""
for name in $(sql "$T" "select name from sqlite_master where type in ('table','view') and name not like 'sqlite_%'"); do
    grep -q "^$name,\(table\|view\),[^,]" <<< "$r" || missing+=" $name"
done
[[ -z $missing ]] && pass "--schema: every table and view, described" || fail "--schema: every table and view, described" "missing:$missing"
r=$(q --format csv "$T" stats syscalls)
contains "stats: writes counted with their bytes" "write,4,0,$((14 + $(sql "$T" 'select result from event where kind=1 and sysno=1 and arg0=1')))" "$r"
contains "stats: failed opens counted" "openat,$(sql "$T" 'select count(*) from event where kind=1 and sysno=257'),$(sql "$T" 'select count(*) from event where kind=1 and sysno=257 and result < 0')," "$r"
contains "stats: total row" "total,$(sql "$T" 'select count(*) from event where kind=1')," "$r"
r=$(q --format csv "$T" stats tasks)
contains "stats: per task" "$PID,$PID,./q_files,$(sql "$T" 'select count(*) from event'),$(sql "$T" 'select count(*) from event where kind=1')," "$r"

FORK_OUT=$(cat fork.trace.out)
A=$(sed -n 's/^a=\([0-9]*\) .*/\1/p' <<< "$FORK_OUT") B=$(sed -n 's/.* b=\([0-9]*\) .*/\1/p' <<< "$FORK_OUT")
q --format json fork.trace ps > ps.json
python3 - "$A" "$B" ps.json <<'EOF' > check.out 2>&1 && pass "ps: the process tree with commands and exits" || fail "ps: the process tree with commands and exits" "$(cat check.out) $(cat ps.json)"
import json, sys
a, b = int(sys.argv[1]), int(sys.argv[2])
rows = {r["pid"]: r for r in json.load(open(sys.argv[3]))}
assert len(rows) == 3, rows
root = [r for r in rows.values() if r["depth"] == 0]
assert len(root) == 1 and root[0]["exit"] == "exited 0" and root[0]["command"] == "./q_fork", root
assert rows[a]["ppid"] == root[0]["pid"] and rows[a]["depth"] == 1 and rows[a]["exit"] == "exited 3", rows[a]
assert rows[a]["command"] == "./q_fork", rows[a]
assert rows[b]["exit"] == "exited 0" and rows[b]["command"] == "true 'arg with space'", rows[b]
EOF
r=$(q fork.trace ps)
contains "ps: the table indents children" "exited 3    ./q_fork" "$r"
r=$(q --format csv fork.trace "exec where pid = $B")
contains "exec: a child's execve, file and argv" "/bin/true,true 'arg with space'" "$r"
r=$(q fork.trace "syscalls where tid = $A and name = write")
contains "fds: a forked child's inherited fd is named" "<q_fork.txt>" "$r"
contains "symbols: a forked child's addresses are named" "libc.so.6!write+0x" "$r"

# --- known memory: each process's own mappings, and mprotect ----------------------------------
# Programs of tests/progs (tests/diff-tests.sh checks rr-diff's lines on the same cases).
for prog in mapping_per_process mprotect_file_map; do
    # shellcheck disable=SC2086 # CFLAGS is a list of words
    gcc $CFLAGS -o "$prog" "$ROOT/tests/progs/$prog.c" || die "cannot compile $prog.c"
    record "$prog.trace" "$prog"
done
r=$(q --format csv mapping_per_process.trace 'syscalls where name=write and arg0=1')
contains "memory: a forked child's write shows its own mapping" "\"1, \"\"child's own mapping!\\n\"\", 21\"" "$r"
contains "memory: the parent's write shows its own mapping" "\"1, \"\"parent's own mapping\\n\"\", 21\"" "$r"
r=$(q --format csv mprotect_file_map.trace 'syscalls where name=write and arg0=1')
contains "memory: a read-only file mapping shows its snapshot" "\"1, \"\"as the file has it\\n\"\", 19\"" "$r"
if [[ $(grep -c 'as the file has it' <<< "$r") == 1 && $r == *'"1, 0x'* ]]; then
    pass "memory: after mprotect made it writable, a pointer"
else fail "memory: after mprotect made it writable, a pointer" "$r"; fi

# --- symbols from the trace when files are gone ---------------------------------------------
r=$(q lib.trace 'syscalls where name=getppid' 2>&1)
contains "symbols: a library's exported function" "libq_lib.so!q_lib_getppid+0x" "$r"
rm -f libq_lib.so
r=$(q lib.trace 'syscalls where name=getppid' 2>&1)
contains "symbols: the library deleted, named from the trace's snapshot" "libq_lib.so!q_lib_getppid+0x" "$r"
contains "symbols: a note says the file is gone" "libq_lib.so no longer exists" "$r"
# The program's file on disk gives .symtab names only while its mapped bytes
# are those of the trace: bytes appended past them do not matter, a changed
# instruction does (gcc's PIE layout: file offset = address in the text).
cp q_files q_files.saved
printf 'appended' >> q_files
r=$(q "$T" 'syscalls where name=getppid limit 1' 2>&1)
contains "symbols: bytes appended past the mapped ones keep .symtab names" "q_files!raw_getppid+0x" "$r"
offset=$(( 0x$(nm q_files | sed -n 's/^\([0-9a-f]*\) t raw_getppid$/\1/p') ))
printf '\xcc' | dd of=q_files bs=1 seek="$offset" conv=notrunc status=none
r=$(q "$T" 'syscalls where name=getppid limit 1' 2>&1)
contains "symbols: a changed binary is not trusted" "changed since the recording" "$r"
if [[ $r == *"q_files!raw_getppid"* ]]; then fail "symbols: no .symtab names from a changed binary" "$r"
else pass "symbols: no .symtab names from a changed binary"; fi
mv q_files.saved q_files

# --- index use ---------------------------------------------------------------------------------
r=$(q --explain "$T" "syscalls where tid = $PID")
contains "--explain: where tid uses event_by_tid" "USING INDEX event_by_tid" "$r"
r=$(q --explain "$T" "syscalls where name = openat")
contains "--explain: where name uses event_by_sysno" "USING INDEX event_by_sysno" "$r"

# --- limits: nesting, time, 64-bit literals ----------------------------------------------------
deep() { python3 -c "import sys; n=int(sys.argv[1]); print(sys.argv[2]*n + 'seq=1' + sys.argv[3]*n)" "$@"; }
error "limit: 23750 nested parentheses are refused in one line" "query nested too deeply at column 270 \(at most 256" \
    "events where $(deep 23750 '(' ')')"
error "limit: 23750 chained not are refused in one line" "query nested too deeply" "events where $(deep 23750 'not ' '')"
error "limit: 300 chained and are refused in one line" "query nested too deeply" \
    "events where $(python3 -c "print(' and '.join(['seq=1'] * 300))")"
count "limit: 256 nested parentheses still run" 1 "events where $(deep 256 '(' ')')"
count "limit: 256 chained not still run (not not X is X)" 1 "events where $(deep 256 'not ' '')"
count "limit: 255 or-ed predicates still run" 1 "events where $(python3 -c "print(' or '.join(['seq=1'] * 255))")"
error "timeout: a recursive CTE stops" "^rr-query: query stopped after 1 s" --timeout 1 \
    --sql 'with recursive r(x) as (select 1 union all select x + 1 from r) select count(*) from r'
error "timeout: a 6-way self-join stops" "^rr-query: query stopped after 1 s" --timeout 1 \
    --sql 'select count(*) from event a, event b, event c, event d, event e, event f'
error "timeout: one long SQL function call stops" "^rr-query: query stopped after 0.5 s" --timeout 0.5 \
    --sql "select length(printf('%.*c', 2000000000, 'x'))"
status=0; msg=$(q --timeout 0 "$T" events 2>&1) || status=$?
[[ $status == 2 && $msg == "rr-query: bad --timeout '0'"* ]] && pass "timeout: 0 is a bad argument" ||
    fail "timeout: 0 is a bad argument" "$status $msg"
count "literal: the least 64-bit number" 0 'events where seq = -9223372036854775808'
count "literal: the largest 64-bit number" 0 'events where seq = 9223372036854775807'
same "literal: -9223372036854775808 compares as a number" 'events where seq > -9223372036854775808 and seq < 3' \
    'select seq from event where seq < 3'
error "literal: below the least is one line" "column 18: number too small" 'events where seq=-9223372036854775809'
error "literal: decimal above the largest is one line" "column 18: number too large" 'events where seq=9223372036854775808'
error "literal: above 2^64 is one line" "column 18: number too large" 'events where seq=18446744073709551616'
count "literal: hex up to 2^64-1 is an address" 0 'mmaps where addr contains 0xffffffffffffffff'
error "options: -- ends them; --1 is then a query word" "syntax error at column 21: expected a number or a name after '-'" \
    -- events where seq = --1
error "options: an unknown --word after the trace is a query word" "syntax error at column 22" \
    events where seq = 1 --bogus
status=0; msg=$(q -- --format "$T" 2>&1) || status=$?
[[ $status == 2 && $msg == "rr-query: cannot open trace --format"* ]] && pass "options: after --, --format is the trace" ||
    fail "options: after --, --format is the trace" "$status $msg"

# --- arguments and bad traces ------------------------------------------------------------------
status=0; msg=$(q 2>&1) || status=$?
[[ $status == 2 && $msg == *usage* ]] && pass "no arguments: usage, exit 2" || fail "no arguments: usage, exit 2" "$status $msg"
status=0; msg=$(q missing.trace syscalls 2>&1) || status=$?
[[ $status == 2 && $msg == "rr-query: cannot open trace missing.trace"* ]] && pass "missing trace: exit 2" ||
    fail "missing trace: exit 2" "$status $msg"
echo "not a trace" > text.trace
status=0; msg=$(q text.trace syscalls 2>&1) || status=$?
[[ $status == 2 && $msg == "rr-query: text.trace is not an rrdb trace" ]] && pass "not a trace: exit 2" ||
    fail "not a trace: exit 2" "$status $msg"
status=0; msg=$(q --bogus "$T" syscalls 2>&1) || status=$?
[[ $status == 2 && $msg == *"unknown option --bogus"* ]] && pass "unknown option: exit 2" || fail "unknown option: exit 2" "$status $msg"
status=0; msg=$(q "$T" 2>&1) || status=$?
[[ $status == 2 && $msg == *"no query"* ]] && pass "no query: exit 2" || fail "no query: exit 2" "$status $msg"
# A changed trace: numbers checked before use, damage is exit 2 (as for a trace that cannot be read).
cp "$T" blob.trace && tamper blob.trace 'update blob set raw_size = -4096'
status=0; msg=$(q blob.trace writes 2>&1 >/dev/null) || status=$?
[[ $status -lt 128 && ! $msg =~ Sanitizer|runtime\ error ]] && pass "damaged: a blob of -4096 bytes is no crash" ||
    fail "damaged: a blob of -4096 bytes is no crash" "$status $msg"
# Left unresealed, a change is found by the trace's checksums, in one line naming the batch.
cp "$T" changed.trace && sqlite3 changed.trace 'update event set arg0 = 0 where seq = (select max(seq) from event where kind = 1 and sysno = 1)'
status=0; msg=$(q changed.trace syscalls 2>&1 >/dev/null) || status=$?
[[ $status == 2 && $msg =~ ^"rr-query: trace changed.trace is damaged: batch "[0-9]+" (events "[0-9]+" to "[0-9]+") does not match its checksum"$ ]] &&
    pass "damaged: a changed argument is exit 2 naming the batch" ||
    fail "damaged: a changed argument is exit 2 naming the batch" "$status $msg"
cp "$T" notable.trace && sqlite3 notable.trace 'drop table mem_write'
status=0; msg=$(q notable.trace writes 2>&1) || status=$?
[[ $status == 2 && $msg == "rr-query: trace notable.trace is damaged: its table mem_write is missing" ]] &&
    pass "damaged: a missing table is exit 2" || fail "damaged: a missing table is exit 2" "$status $msg"
cp "$T" btree.trace && python3 - btree.trace <<'EOF2'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
root = db.execute("select rootpage from sqlite_master where name = 'event'").fetchone()[0]
size = db.execute("pragma page_size").fetchone()[0]
db.close()
with open(sys.argv[1], "r+b") as f:
    f.seek((root - 1) * size)
    f.write(b"\x0d" + b"\xff" * 7)  # a leaf page whose cell count and offsets are nonsense
EOF2
status=0; msg=$(q btree.trace syscalls 2>&1 >/dev/null) || status=$?
[[ $status == 2 && $msg == *"malformed"* && $(grep -c . <<< "$msg") == 1 ]] &&
    pass "damaged: a broken b-tree page found mid-query is exit 2" ||
    fail "damaged: a broken b-tree page found mid-query is exit 2" "$status $msg"
same "query given as several arguments" "syscalls where ret = -ENOENT" 'select seq from event where kind=1 and result=-2'
got=$(seqs "$T" syscalls where ret = -ENOENT) && [[ $got == "$(sql "$T" 'select seq from event where kind=1 and result=-2')" ]] &&
    pass "unquoted query words, -ENOENT not an option" || fail "unquoted query words, -ENOENT not an option" "$got"

# --- a trace of format version 1 (syscall_info without result and effects) ----------------------
# reads as the same trace of version 2: the missing facts are this build's.
cp "$T" v1.trace
sqlite3 v1.trace "ALTER TABLE syscall_info DROP COLUMN result; ALTER TABLE syscall_info DROP COLUMN effects;
                  UPDATE meta SET value = '1' WHERE key = 'format_version'" || die "cannot make a version-1 trace"
# (A trace before version 4 carries no checksums: one warning line says it is read unverified.)
for query in "stats" "files" "syscalls where name = mmap" "syscalls where name = write"; do
    got=$(q --format csv v1.trace "$query" 2>v1.err) want=$(q --format csv "$T" "$query" 2>&1)
    [[ $got == "$want" && -n $want ]] && pass "format 1 trace: $query as in format 2" ||
        fail "format 1 trace: $query as in format 2" "$(diff <(echo "$want") <(echo "$got") | head -5)"
done
[[ $(cat v1.err) == "rr-query: warning: trace v1.trace has format version 1, from before traces carried checksums: it is read without verifying it" ]] &&
    pass "format 1 trace: one warning line, unverified" || fail "format 1 trace: one warning line, unverified" "$(cat v1.err)"
status=0; msg=$("$BINDIR/rr-replay" -q v1.trace 2>&1) || status=$?
[[ $status == 0 ]] && pass "format 1 trace: replays" || fail "format 1 trace: replays" "$status $msg"

# --- time and the timeline ------------------------------------------------------------------------
T=fork.trace
q --format json "$T" 'syscalls order by duration desc' > by_duration.json
python3 - by_duration.json "$(sql "$T" 'select count(*) from event where kind=1')" <<'PY' > check.out 2>&1 &&
import json, sys
ms = [row["ms"] for row in json.load(open(sys.argv[1]))]
assert len(ms) == int(sys.argv[2]) and all(isinstance(m, int) and m >= 0 for m in ms), ms[:5]
assert ms == sorted(ms, reverse=True), ms[:10]
PY
    pass "order by duration desc: every syscall, longest first" || fail "order by duration desc: every syscall, longest first" "$(cat check.out)"
MID=$(sql "$T" 'select at_ms from event order by seq limit 1 offset 20')
same "time field: events up to a time" "events where time <= $MID" "select seq from event where at_ms <= $MID order by seq"
q --format chrome-trace "$T" timeline > timeline.json 2> timeline.err
if python3 -m json.tool timeline.json > /dev/null 2>> timeline.err; then
    pass "timeline: chrome-trace is valid JSON"
else
    fail "timeline: chrome-trace is valid JSON" "$(head -3 timeline.err)"
fi
python3 - timeline.json "$(sql "$T" 'select group_concat(tid) from (select tid from task order by tid)')" \
    "$(sql "$T" 'select count(*) from event where kind != 8')" <<'PY' > check.out 2>&1 &&
import json, sys
trace = json.load(open(sys.argv[1]))
events = trace["traceEvents"]
tasks = sorted(e["tid"] for e in events if e["ph"] == "M" and e["name"] == "thread_name")
assert tasks == sorted(int(t) for t in sys.argv[2].split(",")), (tasks, sys.argv[2])
drawn = [e for e in events if e["ph"] != "M"]
assert len(drawn) == int(sys.argv[3]), (len(drawn), sys.argv[3])
assert all(e["ph"] in ("X", "i") and isinstance(e["ts"], int) and "seq" in e["args"] for e in drawn)
assert any(e["ph"] == "X" and e["cat"] == "syscall" for e in drawn) and any(e["cat"] == "exit" for e in drawn)
PY
    pass "timeline: one thread per task, every event drawn once" || fail "timeline: one thread per task, every event drawn once" "$(cat check.out)"
error "timeline formats need the timeline subject" "format html draws the timeline" --format html syscalls
q --format html "$T" timeline > timeline.html 2> timeline.err
if grep -q '"traceEvents": \[' timeline.html && ! grep -qiE '<script[^>]* src=|<link|https?://' timeline.html; then
    pass "timeline: html page holds the events and loads nothing"
else
    fail "timeline: html page holds the events and loads nothing" "$(head -3 timeline.err)"
fi
if command -v chromium >/dev/null; then
    timeout 120 chromium --headless --no-sandbox --disable-gpu --window-size=1000,400 \
        --screenshot="$PWD/timeline.png" "file://$PWD/timeline.html" > chromium.log 2>&1
    # not blank: rows of the picture that hold lane colours (the spans' blue)
    python3 - timeline.png <<'PY' > check.out 2>&1 && pass "timeline: the page renders lanes in chromium" ||
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, header = 8, b"", None
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR": header = struct.unpack(">IIBBBBB", body)
    if kind == b"IDAT": idat += body
    pos += 12 + length
width, height, depth, colour = header[:4]
assert depth == 8 and colour in (2, 6), header
channels = 3 if colour == 2 else 4
raw, stride, rows, prev = zlib.decompress(idat), width * channels, [], bytearray(width * channels)
for y in range(height):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - channels] if i >= channels else 0
        b, c = prev[i], prev[i - channels] if i >= channels else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line); prev = line
blue = sum(1 for line in rows for x in range(0, stride, channels)
           if abs(line[x] - 0x4a) < 24 and abs(line[x + 1] - 0x7f) < 24 and abs(line[x + 2] - 0xc1) < 24)
assert blue > 50, f"only {blue} pixels of syscall spans: the page drew nothing"
PY
        fail "timeline: the page renders lanes in chromium" "$(cat check.out; tail -2 chromium.log)"
else
    skip "timeline: the page renders lanes in chromium" "chromium is not installed"
fi

# --- the traces were never modified --------------------------------------------------------------
for t in files.trace fork.trace lib.trace; do
    [[ $(sha256sum < "$t") == "${HASH[$t]}" ]] && pass "trace unchanged: $t" || fail "trace unchanged: $t" "its hash changed"
done

summary
