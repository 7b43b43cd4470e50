/*
 * query_timeout.h — rr-query's time limit (`--timeout SECONDS`, default 10).
 *
 * A query or `--sql` statement can be made to run for ever: a recursive CTE,
 * a self-join of the event table four times over, or one SQL function call
 * such as printf('%.*c', 2000000000, 'x'). Two stops, so that every one ends:
 *   - SQLite's progress handler asks, every few thousand virtual-machine
 *     steps, whether the deadline passed, and interrupts the statement if so
 *     (the clean stop: the statement fails, rr-query says why, exit 1);
 *   - one second after the deadline, SIGALRM ends the process with the same
 *     line and exit 1, for work the progress handler never sees (a single
 *     function call that runs long, decoding a huge result).
 */
#ifndef RRQ_QUERY_TIMEOUT_H
#define RRQ_QUERY_TIMEOUT_H

#include <sqlite3.h>
#include <stdbool.h>

#define QUERY_TIMEOUT_DEFAULT 10.0

/* Parse a --timeout value: seconds, > 0 (fractions allowed), at most a day.
 * Returns 0, or -1 with error_set. */
int query_timeout_parse(const char *text, double *seconds);
/* Start the clock now, for statements run on `db`. Returns 0, or -1 with error_set. */
int query_timeout_arm(sqlite3 *db, double seconds);
/* Whether the clean stop interrupted a statement. */
bool query_timeout_expired(void);
/* The line both stops print (without the program name), e.g. "query stopped
 * after 10 s (--timeout SECONDS allows more)". */
const char *query_timeout_message(void);

#endif
