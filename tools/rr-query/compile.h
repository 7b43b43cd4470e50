/*
 * compile.h — turns a parsed query into one SQL statement over the trace.
 *
 * Field names are looked up in the subject's catalog (subjects.h) and replaced
 * by the SQL written there; every value the user typed — numbers, names
 * resolved to numbers, strings, the limit — becomes a bound parameter. So no
 * text of the query is ever pasted into SQL, whatever it contains.
 */
#ifndef RRQ_COMPILE_H
#define RRQ_COMPILE_H

#include <stdbool.h>
#include <stdint.h>

#include "parser.h"
#include "subjects.h"

struct trace_db;

struct sql_param {
    bool is_text;
    int64_t number;
    char *text;
};

struct compiled_query {
    const struct subject *subject;
    char *sql;
    struct sql_param *params;
    int param_count;
    const struct out_column *columns; /* decoded or raw */
    int column_count;
    int *arg_index;  /* per column: the select-list index of its second input, or -1 */
    int event_base;  /* select-list index of the hidden event columns, or -1 */
};

/* Compile `query`. Returns 0, or -1 with error_set naming the unknown subject
 * or field (and listing those that exist) or the value that does not fit. */
int compile_query(const struct query *query, struct trace_db *tdb, bool raw, struct compiled_query *out);
void compiled_query_free(struct compiled_query *compiled);

#endif
