/*
 * trace_db.c — opening a trace for reading only, and its lookup tables (see
 * trace_db.h).
 */
#include "trace_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "fd_table.h"
#include "sql_functions.h"
#include "syscall_table.h"
#include "trace_reader.h"
#include "trace_store.h"
#include "trace_syscalls.h"
#include "trace_tasks.h"
#include "trace_verify.h"

/* Pragmas that only report; with an argument only where it names what to
 * report on (table_info(event)), never a new setting. */
static const char *const reporting_pragmas[] = {
    "table_info", "table_xinfo", "index_list", "index_info", "index_xinfo",
    "foreign_key_list", "collation_list", "function_list", "module_list", "pragma_list",
    "table_list", "integrity_check", "quick_check", "foreign_key_check",
};
static const char *const reading_pragmas[] = {
    "compile_options", "database_list", "page_count", "page_size", "freelist_count",
    "schema_version", "user_version", "application_id", "encoding", "data_version",
    "query_only", "journal_mode", "auto_vacuum", "max_page_count",
};

/* The first thing the authorizer refused while preparing, for the message. */
static char refused[160];

static int refuse(const char *what, const char *object)
{
    if (!refused[0])
        snprintf(refused, sizeof refused, "%s%s%s", what, object ? " " : "", object ? object : "");
    return SQLITE_DENY;
}

static const char *action_name(int action)
{
    switch (action) {
    case SQLITE_CREATE_INDEX: case SQLITE_CREATE_TABLE: case SQLITE_CREATE_TEMP_INDEX:
    case SQLITE_CREATE_TEMP_TABLE: case SQLITE_CREATE_TEMP_TRIGGER: case SQLITE_CREATE_TEMP_VIEW:
    case SQLITE_CREATE_TRIGGER: case SQLITE_CREATE_VIEW: case SQLITE_CREATE_VTABLE:
        return "CREATE";
    case SQLITE_DROP_INDEX: case SQLITE_DROP_TABLE: case SQLITE_DROP_TEMP_INDEX:
    case SQLITE_DROP_TEMP_TABLE: case SQLITE_DROP_TEMP_TRIGGER: case SQLITE_DROP_TEMP_VIEW:
    case SQLITE_DROP_TRIGGER: case SQLITE_DROP_VIEW: case SQLITE_DROP_VTABLE:
        return "DROP";
    case SQLITE_INSERT: return "INSERT into";
    case SQLITE_UPDATE: return "UPDATE of";
    case SQLITE_DELETE: return "DELETE from";
    case SQLITE_ALTER_TABLE: return "ALTER TABLE";
    case SQLITE_REINDEX: return "REINDEX";
    case SQLITE_ANALYZE: return "ANALYZE";
    case SQLITE_ATTACH: return "ATTACH";
    case SQLITE_DETACH: return "DETACH";
    case SQLITE_SAVEPOINT: return "SAVEPOINT";
    default: return "a statement that is not a read";
    }
}

static int authorize(void *context, int action, const char *a, const char *b, const char *db,
                     const char *trigger)
{
    (void)context;
    (void)db;
    (void)trigger;
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_PRAGMA:
        for (size_t i = 0; i < sizeof reporting_pragmas / sizeof reporting_pragmas[0]; i++)
            if (a && strcasecmp(a, reporting_pragmas[i]) == 0)
                return SQLITE_OK;
        for (size_t i = 0; i < sizeof reading_pragmas / sizeof reading_pragmas[0]; i++)
            if (a && !b && strcasecmp(a, reading_pragmas[i]) == 0)
                return SQLITE_OK;
        return refuse(b ? "setting PRAGMA" : "PRAGMA", a);
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
        /* CREATE and DROP first announce their change to the schema table;
         * let that pass so the refusal names the statement (the statement
         * is refused all the same, and the connection cannot write). */
        if (a && strcmp(a, "sqlite_master") == 0)
            return SQLITE_OK;
        return refuse(action_name(action), a);
    case SQLITE_DROP_TABLE:
    case SQLITE_DROP_VIEW:
    case SQLITE_DROP_INDEX:
        return refuse(action_name(action), a);
    case SQLITE_ALTER_TABLE:
        return refuse(action_name(action), b);
    default:
        return refuse(action_name(action), NULL);
    }
}

int trace_db_fail(struct trace_db *tdb, const char *doing)
{
    error_set("%s: %s", doing, sqlite3_errmsg(tdb->db));
    return -1;
}

int trace_db_prepare(struct trace_db *tdb, const char *sql, sqlite3_stmt **stmt)
{
    const char *tail = NULL;
    refused[0] = '\0';
    *stmt = NULL;
    int rc = sqlite3_prepare_v2(tdb->db, sql, -1, stmt, &tail);
    if (rc != SQLITE_OK) {
        if (rc == SQLITE_AUTH && refused[0])
            error_set("refused: %s (rr-query only reads traces)", refused);
        else
            error_set("SQL error: %s", sqlite3_errmsg(tdb->db));
        return -1;
    }
    if (!*stmt) {
        error_set("SQL error: no statement given");
        return -1;
    }
    while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == ';' || *tail == '\r'))
        tail++;
    if (tail && *tail) {
        sqlite3_finalize(*stmt);
        *stmt = NULL;
        error_set("SQL error: give one statement only (found more after ';')");
        return -1;
    }
    if (!sqlite3_stmt_readonly(*stmt)) {
        sqlite3_finalize(*stmt);
        *stmt = NULL;
        error_set("refused: the statement would write (rr-query only reads traces)");
        return -1;
    }
    return 0;
}

/* Read the schema now, through the authorizer: SQLite loads it with the
 * first statement prepared, and a refusal while it does so would not name
 * the statement refused (the libtrace readers use a connection of their own). */
static int load_schema(struct trace_db *tdb)
{
    sqlite3_stmt *stmt;
    if (trace_db_prepare(tdb, "SELECT 1 FROM sqlite_master LIMIT 1", &stmt) < 0)
        return -1;
    sqlite3_finalize(stmt);
    return 0;
}

static void note_names_from_trace(const char *path, const char *why)
{
    error_note("note: %s %s; its names come from the trace's snapshot only (exported symbols)", path, why);
}

int trace_db_open(struct trace_db *tdb, const char *path)
{
    memset(tdb, 0, sizeof *tdb);
    /* The format check (and the blob reader) of libtrace first: a file that
     * is not a trace of this format gets libtrace's one-line diagnosis. */
    tdb->store = trace_store_open(path);
    if (!tdb->store)
        return -1;
    /* Verified whole first (trace_verify.h): no answer is read from a trace
     * that was changed after it was written. */
    enum trace_end end;
    if (trace_verify_start(tdb->store) > 0)
        error_note("%s", error_text());
    if (trace_verify_end(tdb->store, &end) < 0) {
        trace_db_close(tdb);
        return -1;
    }
    tdb->path = strdup(path);
    tdb->reader = trace_reader_new(tdb->store, tdb->store, note_names_from_trace);
    if (!tdb->reader) {
        trace_db_close(tdb);
        return -1;
    }
    int rc = sqlite3_open_v2(path, &tdb->db, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK || !tdb->path) {
        error_set("cannot open trace %s: %s", path, tdb->db ? sqlite3_errmsg(tdb->db) : sqlite3_errstr(rc));
        trace_db_close(tdb);
        return -1;
    }
    char *message = NULL;
    if (sqlite3_exec(tdb->db, "PRAGMA query_only=1", NULL, NULL, &message) != SQLITE_OK) {
        error_set("cannot open trace %s read-only: %s", path, message ? message : "?");
        sqlite3_free(message);
        trace_db_close(tdb);
        return -1;
    }
    sqlite3_db_config(tdb->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(tdb->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
    sqlite3_db_config(tdb->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_limit(tdb->db, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_set_authorizer(tdb->db, authorize, NULL);
    if (sql_functions_register(tdb) < 0 || load_schema(tdb) < 0 ||
        !(tdb->syscalls = trace_reader_syscalls(tdb->reader)) || !trace_reader_tasks(tdb->reader)) {
        char reason[1024];
        snprintf(reason, sizeof reason, "%s", error_text());
        error_set("trace %s: %s", path, reason);
        trace_db_close(tdb);
        return -1;
    }
    return 0;
}

void trace_db_close(struct trace_db *tdb)
{
    fd_table_free(tdb->fds);
    trace_reader_free(tdb->reader);
    if (tdb->db)
        sqlite3_close(tdb->db);
    if (tdb->store)
        trace_store_close(tdb->store);
    free(tdb->path);
    memset(tdb, 0, sizeof *tdb);
}

/* The tables were loaded at open: these never fail. */
const struct syscall_desc *trace_db_syscall(const struct trace_db *tdb, int64_t nr)
{
    return trace_syscalls_describe(tdb->syscalls, (long)nr);
}

const char *trace_db_syscall_name(const struct trace_db *tdb, int64_t nr)
{
    const struct syscall_desc *desc = trace_db_syscall(tdb, nr);
    return desc ? desc->name : NULL;
}

const char *trace_db_syscall_args(const struct trace_db *tdb, int64_t nr)
{
    const struct syscall_desc *desc = trace_db_syscall(tdb, nr);
    return desc ? desc->args_text : NULL;
}

long trace_db_syscall_number(const struct trace_db *tdb, const char *name)
{
    if (!tdb->syscalls || trace_syscalls_size(tdb->syscalls) == 0)
        return syscall_number(name);
    return trace_syscalls_number(tdb->syscalls, name);
}

int32_t trace_db_pid_of(const struct trace_db *tdb, int32_t tid)
{
    return trace_tasks_pid_of(trace_reader_tasks(tdb->reader), tid);
}

bool trace_db_has_task(const struct trace_db *tdb, int32_t tid)
{
    return trace_tasks_find(trace_reader_tasks(tdb->reader), tid) != NULL;
}

struct trace_memory *trace_db_memory(struct trace_db *tdb)
{
    return trace_reader_memory(tdb->reader);
}

struct fd_table *trace_db_fds(struct trace_db *tdb)
{
    if (!tdb->fds)
        tdb->fds = fd_table_build(tdb);
    return tdb->fds;
}

struct symbolizer *trace_db_symbols(struct trace_db *tdb)
{
    return trace_reader_symbolizer(tdb->reader);
}

struct exec_info *trace_db_execs(struct trace_db *tdb)
{
    return trace_reader_exec_info(tdb->reader);
}
