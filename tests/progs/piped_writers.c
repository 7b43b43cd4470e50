// rrdb-test: replays 20
// rrdb-test: stdout-pipe
/*
 * piped_writers.c — writers_mixed.c with a pipe as the shared output: the
 * runner gives programs marked stdout-pipe a pipe to cat on fd 1, as in
 * `rr-record prog | less`, so the 4 processes and 3 threads write into a pipe
 * whose reader is outside the recording.
 */
#include "writers_mixed.c"
