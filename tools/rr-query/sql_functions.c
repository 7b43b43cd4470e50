/*
 * sql_functions.c — the rrq_* SQL functions (see sql_functions.h). Each is a
 * thin adapter over fd_table.c or exec_info.c; an internal failure becomes an
 * SQL error carrying the message, so the query stops with it.
 */
#include "sql_functions.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "exec_info.h"
#include "fd_table.h"
#include "trace_db.h"

enum open_part { OPEN_PATH, OPEN_PATH_FROM, OPEN_CLOSED };

static void open_info(sqlite3_context *context, sqlite3_value **argv, enum open_part part)
{
    struct trace_db *tdb = sqlite3_user_data(context);
    if (sqlite3_value_type(argv[0]) != SQLITE_INTEGER)
        return; /* NULL result */
    struct fd_table *fds = trace_db_fds(tdb);
    if (!fds) {
        sqlite3_result_error(context, error_text(), -1);
        return;
    }
    const char *path, *path_from;
    int64_t closed;
    if (fd_table_open_info(fds, sqlite3_value_int64(argv[0]), &path, &path_from, &closed) < 0)
        return;
    if (part == OPEN_PATH && path)
        sqlite3_result_text(context, path, -1, SQLITE_TRANSIENT);
    else if (part == OPEN_PATH_FROM && path_from)
        sqlite3_result_text(context, path_from, -1, SQLITE_STATIC);
    else if (part == OPEN_CLOSED && closed >= 0)
        sqlite3_result_int64(context, closed);
}

static void open_path(sqlite3_context *context, int argc, sqlite3_value **argv)
{
    (void)argc;
    open_info(context, argv, OPEN_PATH);
}

static void open_path_from(sqlite3_context *context, int argc, sqlite3_value **argv)
{
    (void)argc;
    open_info(context, argv, OPEN_PATH_FROM);
}

static void fd_closed(sqlite3_context *context, int argc, sqlite3_value **argv)
{
    (void)argc;
    open_info(context, argv, OPEN_CLOSED);
}

static void exec_part(sqlite3_context *context, sqlite3_value **argv, bool want_file)
{
    struct trace_db *tdb = sqlite3_user_data(context);
    if (sqlite3_value_type(argv[0]) != SQLITE_INTEGER)
        return;
    struct exec_info *execs = trace_db_execs(tdb);
    if (!execs) {
        sqlite3_result_error(context, error_text(), -1);
        return;
    }
    const char *file, *args;
    if (exec_info_get(execs, sqlite3_value_int64(argv[0]), &file, &args) < 0)
        return;
    const char *text = want_file ? file : args;
    if (text)
        sqlite3_result_text(context, text, -1, SQLITE_TRANSIENT);
}

static void exec_file(sqlite3_context *context, int argc, sqlite3_value **argv)
{
    (void)argc;
    exec_part(context, argv, true);
}

static void exec_argv(sqlite3_context *context, int argc, sqlite3_value **argv)
{
    (void)argc;
    exec_part(context, argv, false);
}

int sql_functions_register(struct trace_db *tdb)
{
    static const struct {
        const char *name;
        void (*function)(sqlite3_context *, int, sqlite3_value **);
    } functions[] = {
        {"rrq_open_path", open_path}, {"rrq_open_path_from", open_path_from},
        {"rrq_fd_closed", fd_closed}, {"rrq_exec_file", exec_file}, {"rrq_exec_argv", exec_argv},
    };
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
        if (sqlite3_create_function(tdb->db, functions[i].name, 1,
                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, tdb,
                                    functions[i].function, NULL, NULL) != SQLITE_OK)
            return trace_db_fail(tdb, "registering SQL functions");
    return 0;
}
