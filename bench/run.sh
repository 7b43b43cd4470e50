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
#   sort       over a ~4 MB shuffled text file (--parallel=1: threads are not
#              supported by the recorder yet)
# Each measurement is the best of BENCH_RUNS (3) runs; a measurement stops
# repeating once its runs add up to more than BENCH_BUDGET seconds (20), which
# keeps the whole bench within ~3 minutes when ptrace is slow (VMs).
# Any failed native run, strace run, recording or replay aborts with status 1.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-build}
case $BUILD in /*) ;; *) BUILD=$PWD/$BUILD ;; esac
REC=$BUILD/bin/rr-record
REP=$BUILD/bin/rr-replay
RUNS=${BENCH_RUNS:-3}
BUDGET_US=$(( ${BENCH_BUDGET:-20} * 1000000 ))

die() { echo "bench: FAILED: $*" >&2; exit 1; }

for t in "$REC" "$REP"; do
    [ -x "$t" ] || die "$t not built (run make first)"
done
for t in gcc strace sqlite3 sha256sum sort shuf seq head; do
    command -v "$t" >/dev/null || die "$t not found"
done
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
head -c 8M /dev/urandom > "$TMP/random.bin"
seq 1 600000 | shuf --random-source=<(yes) > "$TMP/lines.txt"

# wl_cmd NAME: set CMD to the workload's command line.
wl_cmd() {
    case $1 in
        syscalls)  CMD=("$BUILD/bench/syscalls") ;;
        cpu)       CMD=("$BUILD/bench/cpu") ;;
        sha256sum) CMD=(sha256sum "$TMP/random.bin") ;;
        sort)      CMD=(sort --parallel=1 "$TMP/lines.txt") ;;
        *)         die "unknown workload $1" ;;
    esac
}

# run_once MODE: run CMD once in MODE, set EL to the wall-clock microseconds.
# record writes $TMP/trace (replaced each run); replay replays it.
run_once() {
    local mode=$1 t0 t1 rc=0
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
echo
awk -v k="$rss_kib" -v b="$dd_bytes" 'BEGIN {
    printf "recorder peak RSS, dd 1 GiB through read() (bs=1M): %.1f MiB (trace %.1f MiB)\n", k / 1024, b / 1048576 }'
note="note: wall clock, best of $RUNS runs vs native"
if [ ${#FEWER[@]} -gt 0 ]; then
    note+=" (fewer runs past a ${BENCH_BUDGET:-20} s budget, native/strace/record/replay: ${FEWER[*]})"
fi
note+="; strace -f runs as users run it (not pinned to a CPU; rr-record and rr-replay pin themselves and the program to one CPU); bench took $(( (END - START) / 1000000 )) s"
echo "$note"
