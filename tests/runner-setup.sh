# runner-setup.sh — sourced by run-tests.sh and bad-input.sh: finds the tools
# in BINDIR (set by the caller) and checks the commands every runner needs.
# RUNNER names the caller in error messages.

die() {
    echo "$RUNNER: $*" >&2
    exit 2
}

[[ -d $BINDIR ]] || die "no such directory: $BINDIR"
BINDIR=$(cd "$BINDIR" && pwd)
RECORD=$BINDIR/rr-record
REPLAY=$BINDIR/rr-replay
[[ -x $RECORD ]] || die "not found or not executable: $RECORD"
[[ -x $REPLAY ]] || die "not found or not executable: $REPLAY"
command -v sqlite3 >/dev/null || die "sqlite3 is needed to read traces"
command -v timeout >/dev/null || die "timeout (coreutils) is needed"
