/*
 * render.h — turns one result row of a compiled query into output cells,
 * decoding what the subject's columns ask for (subjects.h, enum render):
 * syscall arguments and results, symbols, signal names and siginfo, mapping
 * protections, data previews.
 */
#ifndef RRQ_RENDER_H
#define RRQ_RENDER_H

#include <sqlite3.h>

#include "compile.h"
#include "output.h"
#include "strbuf.h"

struct trace_db;

struct renderer {
    struct trace_db *tdb;
    const struct compiled_query *query;
    struct strbuf *texts; /* one per column: the storage of text cells */
};

int renderer_init(struct renderer *r, struct trace_db *tdb, const struct compiled_query *query);
void renderer_free(struct renderer *r);
/* Fill cells[0 .. column_count) from the current row of `stmt`; the cells'
 * text stays valid until the next call. */
void renderer_row(struct renderer *r, sqlite3_stmt *stmt, struct cell *cells);

/* A column of any SQL value as a cell (BLOBs shown as x'hex'), text kept in sb. */
void render_sql_value(sqlite3_stmt *stmt, int column, struct strbuf *sb, struct cell *cell);

#endif
