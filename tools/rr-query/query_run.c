/*
 * query_run.c — parse, compile, bind, step, render, output (see query_run.h).
 */
#include "query_run.h"

#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "error.h"
#include "parser.h"
#include "render.h"
#include "trace_db.h"

static int compile_text(struct trace_db *tdb, const char *text, bool raw, struct compiled_query *compiled)
{
    struct query *query = parser_parse(text);
    if (!query)
        return -1;
    int rc = compile_query(query, tdb, raw, compiled);
    parser_free(query);
    return rc;
}

static int prepare_bound(struct trace_db *tdb, const struct compiled_query *compiled, sqlite3_stmt **stmt)
{
    if (trace_db_prepare(tdb, compiled->sql, stmt) < 0)
        return -1;
    for (int i = 0; i < compiled->param_count; i++) {
        const struct sql_param *p = &compiled->params[i];
        int rc = p->is_text ? sqlite3_bind_text(*stmt, i + 1, p->text, -1, SQLITE_STATIC)
                            : sqlite3_bind_int64(*stmt, i + 1, p->number);
        if (rc != SQLITE_OK) {
            sqlite3_finalize(*stmt);
            *stmt = NULL;
            return trace_db_fail(tdb, "binding a value");
        }
    }
    return 0;
}

/* Step `stmt` to the end, writing every row. */
static int write_rows(struct trace_db *tdb, sqlite3_stmt *stmt, struct output *out, int columns,
                      void (*fill)(void *context, sqlite3_stmt *stmt, struct cell *cells), void *context)
{
    struct cell cells[columns > 0 ? columns : 1];
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        fill(context, stmt, cells);
        if (output_row(out, cells) < 0) {
            error_set_errno("writing the result");
            return -1;
        }
    }
    if (rc != SQLITE_DONE)
        return trace_db_fail(tdb, "query failed");
    return 0;
}

static void fill_rendered(void *context, sqlite3_stmt *stmt, struct cell *cells)
{
    renderer_row(context, stmt, cells);
}

int query_run(struct trace_db *tdb, const char *text, bool raw, enum output_format format, FILE *stream)
{
    struct compiled_query compiled;
    sqlite3_stmt *stmt = NULL;
    if (compile_text(tdb, text, raw, &compiled) < 0)
        return -1;
    struct renderer renderer = {0};
    const char *names[compiled.column_count];
    for (int i = 0; i < compiled.column_count; i++)
        names[i] = compiled.columns[i].name;
    struct output *out = NULL;
    int rc = -1;
    if (prepare_bound(tdb, &compiled, &stmt) == 0 && renderer_init(&renderer, tdb, &compiled) == 0 &&
        (out = output_begin(format, stream, compiled.column_count, names))) {
        rc = write_rows(tdb, stmt, out, compiled.column_count, fill_rendered, &renderer);
        if (output_end(out) < 0 && rc == 0) {
            error_set_errno("writing the result");
            rc = -1;
        }
    }
    renderer_free(&renderer);
    sqlite3_finalize(stmt);
    compiled_query_free(&compiled);
    return rc;
}

int query_explain(struct trace_db *tdb, const char *text, FILE *stream)
{
    struct compiled_query compiled;
    if (compile_text(tdb, text, false, &compiled) < 0)
        return -1;
    fprintf(stream, "sql: %s\n", compiled.sql);
    for (int i = 0; i < compiled.param_count; i++) {
        const struct sql_param *p = &compiled.params[i];
        if (p->is_text)
            fprintf(stream, "?%d = '%s'\n", i + 1, p->text);
        else
            fprintf(stream, "?%d = %lld\n", i + 1, (long long)p->number);
    }
    size_t len = strlen(compiled.sql) + 32;
    char *explain = malloc(len);
    sqlite3_stmt *stmt = NULL;
    int rc = -1;
    if (explain) {
        snprintf(explain, len, "EXPLAIN QUERY PLAN %s", compiled.sql);
        struct compiled_query plan = compiled;
        plan.sql = explain;
        if (prepare_bound(tdb, &plan, &stmt) == 0) {
            fprintf(stream, "plan:\n");
            while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
                fprintf(stream, "  %s\n", (const char *)sqlite3_column_text(stmt, 3));
            rc = rc == SQLITE_DONE ? 0 : trace_db_fail(tdb, "explaining the query");
        }
    } else {
        error_set("out of memory");
    }
    sqlite3_finalize(stmt);
    free(explain);
    compiled_query_free(&compiled);
    return rc;
}

struct raw_fill {
    struct strbuf *texts;
};

static void fill_raw(void *context, sqlite3_stmt *stmt, struct cell *cells)
{
    struct raw_fill *fill = context;
    for (int i = 0; i < sqlite3_column_count(stmt); i++)
        render_sql_value(stmt, i, &fill->texts[i], &cells[i]);
}

int query_run_sql(struct trace_db *tdb, const char *sql, enum output_format format, FILE *stream)
{
    sqlite3_stmt *stmt;
    if (trace_db_prepare(tdb, sql, &stmt) < 0)
        return -1;
    int columns = sqlite3_column_count(stmt);
    const char *names[columns > 0 ? columns : 1];
    struct strbuf texts[columns > 0 ? columns : 1];
    for (int i = 0; i < columns; i++) {
        names[i] = sqlite3_column_name(stmt, i);
        texts[i] = (struct strbuf){0};
    }
    struct raw_fill fill = {texts};
    int rc = -1;
    struct output *out = output_begin(format, stream, columns, names);
    if (out) {
        rc = write_rows(tdb, stmt, out, columns, fill_raw, &fill);
        if (output_end(out) < 0 && rc == 0) {
            error_set_errno("writing the result");
            rc = -1;
        }
    }
    for (int i = 0; i < columns; i++)
        strbuf_free(&texts[i]);
    sqlite3_finalize(stmt);
    return rc;
}
