/*
 * query_run.h — runs a query of the language, or raw SQL, against a trace and
 * writes the result; or shows the SQL and the plan SQLite chose for it.
 */
#ifndef RRQ_QUERY_RUN_H
#define RRQ_QUERY_RUN_H

#include <stdbool.h>
#include <stdio.h>

#include "output.h"

struct trace_db;

/* Each returns 0, or -1 with error_set (a bad query, an SQL error, a write
 * refused, or the output failing). */
int query_run(struct trace_db *tdb, const char *text, bool raw, enum output_format format, FILE *out);
/* Print the compiled SQL, its parameters and EXPLAIN QUERY PLAN. */
int query_explain(struct trace_db *tdb, const char *text, FILE *out);
int query_run_sql(struct trace_db *tdb, const char *sql, enum output_format format, FILE *out);

#endif
