/*
 * trace_db.h — rr-query's handle on a trace: a read-only SQLite connection for
 * queries, the libtrace trace store (format check, blobs), the recording's own
 * syscall table, and the helpers that decode what the events do not say by
 * themselves (memory, fds, symbols), each built on first use.
 *
 * Read-only, three times over: the connection is opened with
 * SQLITE_OPEN_READONLY, runs with `PRAGMA query_only=1`, and an authorizer
 * allows only reading (SELECT, reads, functions, a list of informational
 * pragmas); statements SQLite itself does not call read-only are refused too.
 * No query can change the trace or write any other file.
 */
#ifndef RRQ_TRACE_DB_H
#define RRQ_TRACE_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

struct trace_store;
struct mapping_index;
struct trace_memory;
struct fd_table;
struct symbolizer;
struct exec_info;
struct trace_syscalls;
struct syscall_desc;

struct trace_db {
    sqlite3 *db;
    struct trace_store *store;
    char *path;

    /* the recording's syscall table (table syscall_info) */
    struct trace_syscalls *syscalls;

    /* tid -> pid, from the task table */
    int32_t *task_tids, *task_pids;
    int task_count;

    /* built on first use */
    struct mapping_index *maps;
    struct trace_memory *memory;
    struct fd_table *fds;
    struct symbolizer *symbols;
    struct exec_info *execs;
};

/* Open `path` read-only. Returns 0, or -1 with error_set. */
int trace_db_open(struct trace_db *tdb, const char *path);
void trace_db_close(struct trace_db *tdb);

/* Prepare one statement. -1 with error_set when it fails to compile, is more
 * than one statement, or is not read-only. */
int trace_db_prepare(struct trace_db *tdb, const char *sql, sqlite3_stmt **stmt);
/* Record the connection's last error with error_set ("DOING: message"). */
int trace_db_fail(struct trace_db *tdb, const char *doing);

/* Syscall `nr` as the trace's table describes it (this build's when the
 * trace's table lacks it); NULL: unknown. */
const struct syscall_desc *trace_db_syscall(const struct trace_db *tdb, int64_t nr);
const char *trace_db_syscall_name(const struct trace_db *tdb, int64_t nr);  /* NULL: unknown */
const char *trace_db_syscall_args(const struct trace_db *tdb, int64_t nr);  /* NULL: unknown */
long trace_db_syscall_number(const struct trace_db *tdb, const char *name); /* -1: unknown */
/* The process of thread `tid` (the tid itself when the task table lacks it). */
int32_t trace_db_pid_of(const struct trace_db *tdb, int32_t tid);
/* Whether the trace recorded thread `tid`. */
bool trace_db_has_task(const struct trace_db *tdb, int32_t tid);

/* The helpers, created on first call; NULL with error_set on failure. */
struct mapping_index *trace_db_maps(struct trace_db *tdb);
struct trace_memory *trace_db_memory(struct trace_db *tdb);
struct fd_table *trace_db_fds(struct trace_db *tdb);
struct symbolizer *trace_db_symbols(struct trace_db *tdb);
struct exec_info *trace_db_execs(struct trace_db *tdb);

#endif
