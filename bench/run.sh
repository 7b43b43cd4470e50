#!/usr/bin/env bash
# rrdb benchmark: wall-clock cost of rr-record and rr-replay against native runs
# and strace -f, trace size per event, and recorder peak RSS.
#
#   bash bench/run.sh [BUILD_DIR]        (`make bench` runs it with BUILD_DIR=build)
#
# Workloads (programs under bench/progs/ are compiled into BUILD_DIR/bench/):
#   syscalls   200000 getppid() plus 10 small read()s      (bench/progs/syscalls.c)
#   cpu        ~1 s of pure arithmetic, prints a checksum   (bench/progs/cpu.c)
#   sha256sum  over 8 MiB of random data
#   sort       over a ~4 MB shuffled text file
#   threads    4 threads, each 20000 lock/unlock pairs of one mutex plus
#              arithmetic between them                    (bench/progs/threads.c)
#   make-j2    `make -j2` building a 4-file C project generated in the temp dir
#              (gcc, cc1, as, collect2, ld); its outputs are removed before
#              every run. Native runs use both CPUs; rr-record pins to one.
# A workload listed in REPLAY_GAPS may fail to replay (a known replay gap):
# its row then says `diverged` in the replay column, a note gives rr-replay's
# message, and the bench goes on; when its replay works it is measured as usual.
# Each measurement is the best of BENCH_RUNS (3) runs; a measurement stops
# repeating once its runs add up to more than BENCH_BUDGET seconds (20), which
# keeps the whole bench within ~3 minutes when ptrace is slow (VMs).
# Any failed native run, strace run, recording or replay aborts with status 1.
BENCH_NAME=bench
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
RUNS=${BENCH_RUNS:-3}
BUDGET_US=$(( ${BENCH_BUDGET:-20} * 1000000 ))
need_built rr-record rr-replay
need_commands gcc strace sqlite3 sha256sum sort shuf seq head
if [ ! -x /usr/bin/time ]; then
    echo "bench: /usr/bin/time missing, installing package time" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null ||
        die "cannot install package time"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/rrdb-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# --- programs and data -------------------------------------------------------
mkdir -p "$BUILD/bench"
for p in syscalls cpu; do
    gcc -O2 -Wall -Wextra -o "$BUILD/bench/$p" "$ROOT/bench/progs/$p.c" ||
        die "cannot compile bench/progs/$p.c"
done
gcc -O2 -Wall -Wextra -pthread -o "$BUILD/bench/threads" "$ROOT/bench/progs/threads.c" ||
    die "cannot compile bench/progs/threads.c"
head -c 8M /dev/urandom > "$TMP/random.bin"
seq 1 600000 | shuf --random-source=<(yes) > "$TMP/lines.txt"

# The make-j2 project: four C files, one header, a Makefile.
mkdir -p "$TMP/proj"
cat > "$TMP/proj/common.h" <<'SRC'
int add(int a, int b);
int mul(int a, int b);
const char *greeting(void);
SRC
cat > "$TMP/proj/main.c" <<'SRC'
#include <stdio.h>
#include "common.h"
int main(void) { printf("%s %d\n", greeting(), add(mul(6, 7), 0)); return 0; }
SRC
cat > "$TMP/proj/add.c" <<'SRC'
#include "common.h"
int add(int a, int b) { return a + b; }
SRC
cat > "$TMP/proj/mul.c" <<'SRC'
#include "common.h"
int mul(int a, int b) { int r = 0; for (int i = 0; i < b; i++) r = add(r, a); return r; }
SRC
cat > "$TMP/proj/greeting.c" <<'SRC'
#include "common.h"
const char *greeting(void) { return "the answer is"; }
SRC
printf '%s\n' 'OBJS = main.o add.o mul.o greeting.o' \
    'prog: $(OBJS)' '	gcc -o $@ $(OBJS)' \
    '%.o: %.c common.h' '	gcc -O2 -Wall -c -o $@ $<' > "$TMP/proj/Makefile"
command -v make >/dev/null || die "make not found"

# wl_prepare: what a workload needs before each run (make-j2: a clean tree).
wl_prepare() {
    case $WL in
        make-j2) rm -f "$TMP/proj/"*.o "$TMP/proj/prog" ;;
    esac
}

# Workloads whose replay may diverge (see the header): none at present.
REPLAY_GAPS=" "
declare -A DIVERGED=()
GAP_NOTES=()

# replay_diverges: for a workload in REPLAY_GAPS, replay the trace once
# (untimed); true when that replay fails, with the reason noted.
replay_diverges() {
    [[ $REPLAY_GAPS == *" $WL "* ]] || return 1
    if [ -z "${DIVERGED[$WL]+set}" ]; then
        DIVERGED[$WL]=
        if ! "$REP" -q "$TMP/trace" < /dev/null > /dev/null 2> "$TMP/err.gap"; then
            DIVERGED[$WL]=yes
            GAP_NOTES+=("$WL: $(tail -n 1 "$TMP/err.gap")")
        fi
    fi
    [ -n "${DIVERGED[$WL]}" ]
}

# wl_cmd NAME: set CMD to the workload's command line.
wl_cmd() {
    case $1 in
        syscalls)  CMD=("$BUILD/bench/syscalls") ;;
        cpu)       CMD=("$BUILD/bench/cpu") ;;
        sha256sum) CMD=(sha256sum "$TMP/random.bin") ;;
        sort)      CMD=(sort "$TMP/lines.txt") ;;
        threads)   CMD=("$BUILD/bench/threads") ;;
        make-j2)   CMD=(make -j2 --no-print-directory -C "$TMP/proj") ;;
        *)         die "unknown workload $1" ;;
    esac
}

# run_once MODE: run CMD once in MODE, set EL to the wall-clock microseconds.
# record writes $TMP/trace (replaced each run); replay replays it.
run_once() {
    local mode=$1 t0 t1 rc=0
    wl_prepare
    if [ "$mode" = replay ] && replay_diverges; then EL=0; return; fi
    case $mode in
        native)
            t0=${EPOCHREALTIME/./}
            "${CMD[@]}" < /dev/null > "$TMP/out.native" 2> "$TMP/err" || rc=$?
            t1=${EPOCHREALTIME/./}
            [ $rc -eq 0 ] || { cat "$TMP/err" >&2; die "$WL: native run exited $rc"; } ;;
        strace)
            t0=${EPOCHREALTIME/./}
            strace -f -o /dev/null "${CMD[@]}" < /dev/null > "$TMP/out" 2> "$TMP/err" || rc=$?
            t1=${EPOCHREALTIME/./}
            [ $rc -eq 0 ] || { cat "$TMP/err" >&2; die "$WL: strace run exited $rc"; } ;;
        record)
            rm -f "$TMP/trace" "$TMP/trace-"*
            t0=${EPOCHREALTIME/./}
            "$REC" -o "$TMP/trace" "${CMD[@]}" < /dev/null > "$TMP/out.record" 2> "$TMP/err" || rc=$?
            t1=${EPOCHREALTIME/./}
            [ $rc -eq 0 ] && grep -q '^rr-record: recorded ' "$TMP/err" ||
                { cat "$TMP/err" >&2; die "$WL: rr-record exited $rc"; }
            cmp -s "$TMP/out.native" "$TMP/out.record" ||
                die "$WL: program output under rr-record differs from the native run" ;;
        replay)
            t0=${EPOCHREALTIME/./}
            "$REP" -q "$TMP/trace" < /dev/null > /dev/null 2> "$TMP/err" || rc=$?
            t1=${EPOCHREALTIME/./}
            [ $rc -eq 0 ] && tail -n 1 "$TMP/err" | grep -q '^rr-replay: replayed ' ||
                { cat "$TMP/err" >&2; die "$WL: rr-replay exited $rc"; } ;;
    esac
    EL=$(( t1 - t0 ))
}

# best MODE: best of up to RUNS runs (fewer once the time budget is spent);
# sets BEST (microseconds) and N (runs made).
best() {
    local total=0
    BEST=
    for (( N = 1; N <= RUNS; N++ )); do
        run_once "$1"
        [ -z "$BEST" ] || [ "$EL" -lt "$BEST" ] && BEST=$EL
        total=$(( total + EL ))
        [ $total -gt $BUDGET_US ] && break
    done
    [ $N -le $RUNS ] || N=$RUNS
    (( BEST > 0 )) || BEST=1
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# --- timings -----------------------------------------------------------------
WORKLOADS=(syscalls cpu sha256sum sort)
WORKLOADS+=(threads make-j2)
ROWS=()
FEWER=()
START=${EPOCHREALTIME/./}
for WL in "${WORKLOADS[@]}"; do
    wl_cmd "$WL"
    echo "bench: $WL ..." >&2
    best native; nat=$BEST; runs="$N"
    best strace; str=$BEST; runs+="/$N"
    best record; rec=$BEST; runs+="/$N"
    events=$(sqlite3 "$TMP/trace" 'select count(*) from event') ||
        die "$WL: cannot count events in the trace"
    bytes=$(stat -c %s "$TMP/trace")
    best replay; rep=$BEST; runs+="/$N"
    [ "$runs" = "$RUNS/$RUNS/$RUNS/$RUNS" ] || FEWER+=("$WL $runs")
    ROWS+=("$(printf '%-10s | %8.3f | %7sx | %7sx | %7sx | %7d | %9.1f' \
        "$WL" "$(awk -v u="$nat" 'BEGIN { print u / 1e6 }')" \
        "$(ratio "$str" "$nat")" "$(ratio "$rec" "$nat")" "$(ratio "$rep" "$nat")" \
        "$events" "$(awk -v b="$bytes" -v e="$events" 'BEGIN { print (e ? b / e : 0) }')")")
    # A replay that diverged has no time: say so in its column.
    [ -n "${DIVERGED[$WL]:-}" ] && ROWS[-1]=$(printf '%s' "${ROWS[-1]}" |
        awk -F ' [|] ' -v OFS=' | ' '{ $5 = sprintf("%8s", "diverged"); print }')
done

# --- recorder peak RSS on 1 GiB through read() --------------------------------
echo "bench: peak RSS ..." >&2
rm -f "$TMP/trace" "$TMP/trace-"*
rc=0
/usr/bin/time -f %M -o "$TMP/rss" "$REC" -o "$TMP/trace" \
    dd if=/dev/zero of=/dev/null bs=1M count=1024 < /dev/null > /dev/null 2> "$TMP/err" || rc=$?
[ $rc -eq 0 ] && grep -q '^rr-record: recorded ' "$TMP/err" ||
    { cat "$TMP/err" >&2; die "dd: rr-record exited $rc"; }
rc=0
"$REP" -q "$TMP/trace" > /dev/null 2> "$TMP/err" || rc=$?
[ $rc -eq 0 ] || { cat "$TMP/err" >&2; die "dd: rr-replay exited $rc"; }
rss_kib=$(tail -n 1 "$TMP/rss")
dd_bytes=$(stat -c %s "$TMP/trace")
END=${EPOCHREALTIME/./}

# --- report --------------------------------------------------------------------
echo
printf '%-10s | %8s | %8s | %8s | %8s | %7s | %9s\n' \
    workload "native s" "strace" "record" "replay" events "B/event"
printf '%-10s | %8s | %8s | %8s | %8s | %7s | %9s\n' \
    "" "" ratio ratio ratio "" "(trace)"
printf -- '-----------+----------+----------+----------+----------+---------+----------\n'
printf '%s\n' "${ROWS[@]}"
for n in "${GAP_NOTES[@]}"; do echo "replay diverged (known gap, REPLAY_GAPS): $n"; done
echo
awk -v k="$rss_kib" -v b="$dd_bytes" 'BEGIN {
    printf "recorder peak RSS, dd 1 GiB through read() (bs=1M): %.1f MiB (trace %.1f MiB)\n", k / 1024, b / 1048576 }'
note="note: wall clock, best of $RUNS runs vs native"
if [ ${#FEWER[@]} -gt 0 ]; then
    note+=" (fewer runs past a ${BENCH_BUDGET:-20} s budget, native/strace/record/replay: ${FEWER[*]})"
fi
note+="; strace -f runs as users run it (not pinned to a CPU; rr-record and rr-replay pin themselves and the program to one CPU); bench took $(( (END - START) / 1000000 )) s"
echo "$note"
