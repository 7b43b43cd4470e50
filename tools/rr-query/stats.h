/*
 * stats.h — `rr-query TRACE stats [syscalls|tasks]`, the summary strace -c
 * gives: per syscall the calls, failures and bytes moved (the sum of the
 * results of calls whose result is a byte count: read, write, pread64,
 * readv, sendto, …), and per task its events, syscalls, failures, signals
 * and bytes.
 *
 * Without a part both are printed: two tables, or with --format json one
 * object {"syscalls": [...], "tasks": [...]}, or with csv/tsv two blocks
 * separated by an empty line.
 */
#ifndef RRQ_STATS_H
#define RRQ_STATS_H

#include <stdio.h>

#include "output.h"

struct trace_db;

/* `part` is NULL, "syscalls" or "tasks". */
int stats_print(struct trace_db *tdb, const char *part, enum output_format format, FILE *out);

#endif
