/*
 * trace_db.h — rr-query's handle on a trace: a read-only SQLite connection for
 * the compiled queries, the libtrace trace store (format check, blobs) and its
 * reading layer (libtrace/trace_reader.h: the recording's own syscall and task
 * tables, known memory, symbols, exec arguments), and rr-query's own fd table
 * (what the events do not say by themselves), each built on first use.
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
struct trace_reader;
struct trace_memory;
struct fd_table;
struct symbolizer;
struct exec_info;
struct trace_syscalls;
struct syscall_desc;

struct trace_db {
    sqlite3 *db;
    struct trace_store *store;
    struct trace_reader *reader;  /* its syscall and task tables loaded at open */
    char *path;

    /* the recording's syscall table (table syscall_info): the reader's */
    const struct trace_syscalls *syscalls;

    /* built on first use */
    struct fd_table *fds;
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
struct trace_memory *trace_db_memory(struct trace_db *tdb);
struct fd_table *trace_db_fds(struct trace_db *tdb);
struct symbolizer *trace_db_symbols(struct trace_db *tdb);
struct exec_info *trace_db_execs(struct trace_db *tdb);

#endif
