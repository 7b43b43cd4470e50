#!/bin/sh
# demo.sh — what `make demo` shows: record a small program, then replay it
# twice; the replay prints the same output, including the recorded time and
# random bytes, without touching anything outside. Then the replayer itself is
# recorded replaying, that recording replayed, and rr-diff --nested compares
# the recorded replay with the original recording.
set -e
build=${1:-build}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/demo.c" <<'PROG'
#include <stdio.h>
#include <time.h>
#include <sys/random.h>
int main(void)
{
    unsigned char bytes[8];
    getrandom(bytes, sizeof bytes, 0);
    printf("time now: %ld\n", (long)time(NULL));
    printf("random:   %02x%02x%02x%02x%02x%02x%02x%02x\n", bytes[0], bytes[1], bytes[2],
           bytes[3], bytes[4], bytes[5], bytes[6], bytes[7]);
    return 0;
}
PROG
cc -O1 -o "$dir/demo" "$dir/demo.c"
echo "== recording: $build/bin/rr-record -o $dir/trace $dir/demo"
"$build/bin/rr-record" -o "$dir/trace" "$dir/demo"
sleep 1
echo "== replaying: $build/bin/rr-replay $dir/trace (same time, same bytes)"
"$build/bin/rr-replay" "$dir/trace"
rm "$dir/demo"
echo "== replaying again after deleting the program"
"$build/bin/rr-replay" "$dir/trace"
echo "== recording the replayer: $build/bin/rr-record -o $dir/nested $build/bin/rr-replay $dir/trace"
"$build/bin/rr-record" -o "$dir/nested" "$build/bin/rr-replay" "$dir/trace"
echo "== replaying that: the replayer replays the program again, from the second trace"
"$build/bin/rr-replay" "$dir/nested"
echo "== where the recorded replay and the recording part: $build/bin/rr-diff --nested $dir/nested $dir/trace"
"$build/bin/rr-diff" --nested "$dir/nested" "$dir/trace"
