/*
 * ps.h — `rr-query TRACE ps`: the recorded processes as a tree (children
 * under their parent), with each one's command line (that of its last exec,
 * as ps shows the current program), threads, first and last events and how
 * it ended.
 */
#ifndef RRQ_PS_H
#define RRQ_PS_H

#include <stdio.h>

#include "output.h"

struct trace_db;

int ps_print(struct trace_db *tdb, enum output_format format, FILE *out);

#endif
