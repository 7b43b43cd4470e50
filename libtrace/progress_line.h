/*
 * progress_line.h — one updating line on stderr while a long run goes on
 * (rr-replay, rr-diff): "rr-replay: 12000/30000 events (40%), 5200/s, ETA 3s".
 * Shown only when stderr is a terminal and the tool was not asked to be
 * quiet; redrawn at most five times a second; erased before anything else is
 * printed on the terminal (error.c's notes call progress_line_erase, a tool
 * writing a program's output calls it too) and at the end, so that it never
 * stays behind in what a person reads.
 */
#ifndef RRDB_PROGRESS_LINE_H
#define RRDB_PROGRESS_LINE_H

#include <stdbool.h>
#include <stdint.h>

/* Start counting towards `total` items called `unit` ("events"); shown only
 * when `wanted` and stderr is a terminal. One line at a time per process. */
void progress_line_start(const char *unit, int64_t total, bool wanted);
/* `done` items so far: redraws the line when it is due. */
void progress_line_update(int64_t done);
/* Erase the line from the terminal (it comes back at the next update). */
void progress_line_erase(void);
/* Erase it for good. */
void progress_line_end(void);

#endif
