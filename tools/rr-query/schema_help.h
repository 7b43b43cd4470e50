/*
 * schema_help.h — `rr-query TRACE --schema`: the tables and views of the
 * trace, their columns, and one line saying what each holds.
 */
#ifndef RRQ_SCHEMA_HELP_H
#define RRQ_SCHEMA_HELP_H

#include <stdio.h>

#include "output.h"

struct trace_db;

int schema_help_print(struct trace_db *tdb, enum output_format format, FILE *out);

#endif
