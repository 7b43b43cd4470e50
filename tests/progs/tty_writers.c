// rrdb-test: tty
// rrdb-test: replays 20
/*
 * tty_writers.c — writers_forked.c with a terminal as the shared output: the
 * runner gives tty programs a pseudo-terminal on fds 0 and 1, so the 50
 * children's lines go through the terminal's line discipline, whose order
 * the replay must print again.
 */
#include "writers_forked.c"
