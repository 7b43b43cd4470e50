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
#include "exec_info.h"
#include "fd_table.h"
#include "mapping_index.h"
#include "sql_functions.h"
#include "symbolizer.h"
#include "syscall_table.h"
#include "trace_memory.h"
#include "trace_store.h"
#include "trace_syscalls.h"

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

static int load_syscall_table(struct trace_db *tdb)
{
    tdb->syscalls = trace_syscalls_load(tdb->db, trace_store_format_version(tdb->store));
    return tdb->syscalls ? 0 : -1;
}

static int load_tasks(struct trace_db *tdb)
{
    sqlite3_stmt *stmt;
    if (trace_db_prepare(tdb, "SELECT tid, pid FROM task ORDER BY tid", &stmt) < 0)
        return -1;
    int rc, capacity = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (tdb->task_count == capacity) {
            capacity = capacity ? capacity * 2 : 16;
            int32_t *tids = realloc(tdb->task_tids, (size_t)capacity * sizeof *tids);
            if (tids)
                tdb->task_tids = tids;
            int32_t *pids = realloc(tdb->task_pids, (size_t)capacity * sizeof *pids);
            if (pids)
                tdb->task_pids = pids;
            if (!tids || !pids) {
                sqlite3_finalize(stmt);
                error_set("out of memory");
                return -1;
            }
        }
        tdb->task_tids[tdb->task_count] = sqlite3_column_int(stmt, 0);
        tdb->task_pids[tdb->task_count++] = sqlite3_column_int(stmt, 1);
    }
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? 0 : trace_db_fail(tdb, "reading the task table");
}

int trace_db_open(struct trace_db *tdb, const char *path)
{
    memset(tdb, 0, sizeof *tdb);
    /* The format check (and the blob reader) of libtrace first: a file that
     * is not a trace of this format gets libtrace's one-line diagnosis. */
    tdb->store = trace_store_open(path);
    if (!tdb->store)
        return -1;
    tdb->path = strdup(path);
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
    if (sql_functions_register(tdb) < 0 || load_syscall_table(tdb) < 0 || load_tasks(tdb) < 0) {
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
    exec_info_free(tdb->execs);
    symbolizer_free(tdb->symbols);
    fd_table_free(tdb->fds);
    trace_memory_free(tdb->memory);
    mapping_index_free(tdb->maps);
    trace_syscalls_free(tdb->syscalls);
    free(tdb->task_tids);
    free(tdb->task_pids);
    if (tdb->db)
        sqlite3_close(tdb->db);
    if (tdb->store)
        trace_store_close(tdb->store);
    free(tdb->path);
    memset(tdb, 0, sizeof *tdb);
}

const struct syscall_desc *trace_db_syscall(const struct trace_db *tdb, int64_t nr)
{
    const struct syscall_desc *desc = tdb->syscalls ? trace_syscalls_lookup(tdb->syscalls, (long)nr) : NULL;
    /* A trace always carries its table; this build's is the fallback. */
    return desc ? desc : syscall_lookup((long)nr);
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

static int task_index(const struct trace_db *tdb, int32_t tid)
{
    int lo = 0, hi = tdb->task_count - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (tdb->task_tids[mid] == tid)
            return mid;
        if (tdb->task_tids[mid] < tid)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

int32_t trace_db_pid_of(const struct trace_db *tdb, int32_t tid)
{
    int i = task_index(tdb, tid);
    return i >= 0 ? tdb->task_pids[i] : tid;
}

bool trace_db_has_task(const struct trace_db *tdb, int32_t tid)
{
    return task_index(tdb, tid) >= 0;
}

struct mapping_index *trace_db_maps(struct trace_db *tdb)
{
    if (!tdb->maps)
        tdb->maps = mapping_index_load(tdb);
    return tdb->maps;
}

struct trace_memory *trace_db_memory(struct trace_db *tdb)
{
    if (!tdb->memory)
        tdb->memory = trace_memory_new(tdb);
    return tdb->memory;
}

struct fd_table *trace_db_fds(struct trace_db *tdb)
{
    if (!tdb->fds)
        tdb->fds = fd_table_build(tdb);
    return tdb->fds;
}

struct symbolizer *trace_db_symbols(struct trace_db *tdb)
{
    if (!tdb->symbols)
        tdb->symbols = symbolizer_new(tdb);
    return tdb->symbols;
}

struct exec_info *trace_db_execs(struct trace_db *tdb)
{
    if (!tdb->execs)
        tdb->execs = exec_info_new(tdb);
    return tdb->execs;
}
