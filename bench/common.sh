# bench/common.sh — sourced first by every bench script: strict mode, ROOT,
# the build directory BUILD (the script's first argument, default build) and
# the rrdb tools in it, die, and checks for what a bench needs. The caller
# sets BENCH_NAME (its error lines start with it).
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:-build}
case $BUILD in /*) ;; *) BUILD=$PWD/$BUILD ;; esac
REC=$BUILD/bin/rr-record
REP=$BUILD/bin/rr-replay

die() { echo "$BENCH_NAME: FAILED: $*" >&2; exit 1; }

# need_built TOOL...: rrdb tools (rr-record…) that must be in $BUILD/bin.
need_built() {
    local t
    for t; do [ -x "$BUILD/bin/$t" ] || die "$BUILD/bin/$t not built (run make first)"; done
}

# need_commands COMMAND...: commands that must be on PATH.
need_commands() {
    local t
    for t; do command -v "$t" >/dev/null || die "$t not found"; done
}
