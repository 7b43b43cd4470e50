#!/usr/bin/env bash
# Nested recording benchmark (issue 6): what recording the replayer costs.
# For each workload, wall-clock ratios against the native run of:
#   record A   rr-record -o A PROG
#   replay A   rr-replay A
#   record B   rr-record -o B rr-replay A     (the replay of A, recorded)
#   replay B   rr-replay B
# plus the events and size of B.
#
#   bash bench/nested.sh [BUILD_DIR]     (`make bench` runs it)
#
# Workloads: syscalls (bench/progs/syscalls.c with 20000 getppid calls: every
# one is a few ptrace requests of the inner replayer), cpu (~1 s of
# arithmetic: no syscalls), sort (of a 600000-line file). Each measurement is
# the best of BENCH_RUNS (default 3) runs. Any failed run aborts with status 1.
BENCH_NAME=bench/nested
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
RUNS=${BENCH_RUNS:-3}
need_built rr-record rr-replay
need_commands gcc sqlite3 sort shuf seq

TMP=$(mktemp -d "${TMPDIR:-/tmp}/rrdb-bench-nested.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$BUILD/bench"
for p in syscalls cpu; do
    gcc -O2 -Wall -Wextra -o "$BUILD/bench/$p" "$ROOT/bench/progs/$p.c" || die "cannot compile bench/progs/$p.c"
done
seq 1 600000 | shuf --random-source=<(yes) > "$TMP/lines.txt"

wl_cmd() {
    case $1 in
        syscalls) CMD=("$BUILD/bench/syscalls" 20000) ;;
        cpu)      CMD=("$BUILD/bench/cpu") ;;
        sort)     CMD=(sort "$TMP/lines.txt") ;;
        *)        die "unknown workload $1" ;;
    esac
}

# timed NAME CMD...: run CMD (output to $TMP/NAME.out), set EL to microseconds.
timed() {
    local name=$1 t0 t1 rc=0
    shift
    t0=${EPOCHREALTIME/./}
    "$@" < /dev/null > "$TMP/$name.out" 2> "$TMP/$name.err" || rc=$?
    t1=${EPOCHREALTIME/./}
    [ $rc -eq 0 ] || { tail -n 3 "$TMP/$name.err" >&2; die "$WL: $name exited $rc"; }
    EL=$(( t1 - t0 ))
}

# best NAME CMD...: the best of RUNS timed runs, in BEST.
best() {
    BEST=
    for (( i = 0; i < RUNS; i++ )); do
        timed "$@"
        [ -z "$BEST" ] || [ "$EL" -lt "$BEST" ] && BEST=$EL
    done
    (( BEST > 0 )) || BEST=1
}

# record_into NAME CMD...: record CMD into $TMP/NAME (replacing it).
record_into() {
    rm -f "$TMP/$1" "$TMP/$1"-*
    "$REC" -o "$TMP/$1" "${@:2}"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

ROWS=()
for WL in syscalls cpu sort; do
    wl_cmd "$WL"
    echo "bench/nested: $WL ..." >&2
    best native "${CMD[@]}"; nat=$BEST
    best recordA record_into A "${CMD[@]}"; recA=$BEST
    cmp -s "$TMP/native.out" "$TMP/recordA.out" || die "$WL: output under rr-record differs"
    best replayA "$REP" -q "$TMP/A"; repA=$BEST
    best recordB record_into B "$REP" "$TMP/A"; recB=$BEST
    cmp -s "$TMP/native.out" "$TMP/recordB.out" || die "$WL: the replay recorded showed other output"
    best replayB "$REP" "$TMP/B"; repB=$BEST
    cmp -s "$TMP/native.out" "$TMP/replayB.out" || die "$WL: the replay of B showed other output"
    events=$(sqlite3 "$TMP/B" 'select count(*) from event') || die "$WL: cannot count the events of B"
    ROWS+=("$(printf '%-9s | %8.3f | %8sx | %8sx | %8sx | %8sx | %8d | %7.1f' "$WL" \
        "$(awk -v u="$nat" 'BEGIN { print u / 1e6 }')" "$(ratio "$recA" "$nat")" "$(ratio "$repA" "$nat")" \
        "$(ratio "$recB" "$nat")" "$(ratio "$repB" "$nat")" "$events" \
        "$(awk -v b="$(stat -c %s "$TMP/B")" 'BEGIN { print b / 1048576 }')")")
done

echo
printf '%-9s | %8s | %9s | %9s | %9s | %9s | %8s | %7s\n' nested "native s" "record A" "replay A" \
    "record B" "replay B" "B events" "B MiB"
printf -- '----------+----------+-----------+-----------+-----------+-----------+----------+--------\n'
printf '%s\n' "${ROWS[@]}"
echo "note: A = rr-record PROG, B = rr-record rr-replay A; ratios of wall clock against native, best of $RUNS"
