/*
 * tracee_stops.c — questions about a recording's traced tasks (see
 * tracee_stops.h), prepared statements over the trace store's connection.
 * Part of the trace store's readers.
 */
#include "tracee_stops.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "blob_store.h"
#include "error.h"
#include "trace_event.h"
#include "trace_store_internal.h"

struct tracee_stops {
    struct trace_store *store;
    sqlite3_stmt *is_tracee;
    sqlite3_stmt *other_ran;
    sqlite3_stmt *process;      /* a task's process: its leader's pid, parent and first event */
    sqlite3_stmt *last_exec;    /* a process's last exec before an event */
    sqlite3_stmt *written;      /* the last tracer write covering some bytes in a span */
};

static const char is_tracee_sql[] = "SELECT 1 FROM event WHERE kind = ?1 AND tid = ?2 LIMIT 1";

/* A program stop of another traced task in the span, or its end. */
static const char other_ran_sql[] =
    "SELECT 1 FROM event e WHERE e.seq > ?2 AND e.seq < ?3 AND e.tid <> ?4 AND ("
    "  (e.kind = ?1 AND ((e.sig_code = ?5 AND e.sync = 1) OR (e.sig_code = ?6 AND e.signo <> ?7)))"
    "  OR (e.kind = ?8 AND EXISTS (SELECT 1 FROM event t WHERE t.tid = e.tid AND t.kind = ?1)))"
    " LIMIT 1";

static const char process_sql[] =
    "SELECT pid, ppid, first_seq FROM task WHERE tid = (SELECT pid FROM task WHERE tid = ?1)";

static const char last_exec_sql[] =
    "SELECT coalesce(max(seq), 0) FROM event WHERE kind = " SQL_EVENT_EXEC " AND seq < ?2"
    " AND tid IN (SELECT tid FROM task WHERE pid = ?1)";

/* Within one event the later row wins, as when it was written. */
static const char written_sql[] =
    "SELECT m.addr, m.blob FROM event e JOIN mem_write m ON m.seq = e.seq"
    " WHERE e.tid IN (SELECT tid FROM task WHERE pid = ?1) AND e.kind = " SQL_EVENT_TRACER_WRITE
    " AND e.sig_code = ?2 AND e.seq > ?3 AND e.seq < ?4 AND m.addr <= ?5 AND m.addr + m.len >= ?5 + ?6"
    " ORDER BY e.seq DESC, m.rowid DESC LIMIT 1";

struct tracee_stops *tracee_stops_new(struct trace_store *store)
{
    struct tracee_stops *stops = calloc(1, sizeof *stops);
    if (!stops) {
        error_set("out of memory");
        return NULL;
    }
    stops->store = store;
    if (sqlite3_prepare_v2(store->db, is_tracee_sql, -1, &stops->is_tracee, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(store->db, other_ran_sql, -1, &stops->other_ran, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(store->db, process_sql, -1, &stops->process, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(store->db, last_exec_sql, -1, &stops->last_exec, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(store->db, written_sql, -1, &stops->written, NULL) != SQLITE_OK) {
        trace_store_fail(store, "reading the traced tasks");
        tracee_stops_free(stops);
        return NULL;
    }
    return stops;
}

void tracee_stops_free(struct tracee_stops *stops)
{
    if (!stops)
        return;
    sqlite3_finalize(stops->is_tracee);
    sqlite3_finalize(stops->other_ran);
    sqlite3_finalize(stops->process);
    sqlite3_finalize(stops->last_exec);
    sqlite3_finalize(stops->written);
    free(stops);
}

/* Step a one-row question: 1 a row, 0 none, -1 error. */
static int answer(struct tracee_stops *stops, sqlite3_stmt *stmt, const char *what)
{
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : trace_store_fail(stops->store, what);
}

int tracee_stops_is_tracee(struct tracee_stops *stops, int32_t tid)
{
    sqlite3_bind_int(stops->is_tracee, 1, EVENT_TRACEE_STOP);
    sqlite3_bind_int64(stops->is_tracee, 2, tid);
    return answer(stops, stops->is_tracee, "reading the traced tasks");
}

int tracee_stops_other_ran(struct tracee_stops *stops, int32_t tid, int64_t after, int64_t before)
{
    sqlite3_stmt *stmt = stops->other_ran;
    sqlite3_bind_int(stmt, 1, EVENT_TRACEE_STOP);
    sqlite3_bind_int64(stmt, 2, after);
    sqlite3_bind_int64(stmt, 3, before);
    sqlite3_bind_int64(stmt, 4, tid);
    sqlite3_bind_int(stmt, 5, TRACEE_AT_SYSCALL_ENTRY);
    sqlite3_bind_int(stmt, 6, TRACEE_AT_SIGNAL);
    sqlite3_bind_int(stmt, 7, SIGSTOP);
    sqlite3_bind_int(stmt, 8, EVENT_EXIT);
    return answer(stops, stmt, "reading the traced tasks' stops");
}

/* Task `tid`'s process: its pid, its parent's (0: none) and the process's
 * first event. 1, 0 (no such task) or -1. */
static int process_of(struct tracee_stops *stops, int32_t tid, int32_t *pid, int32_t *ppid, int64_t *first)
{
    sqlite3_stmt *stmt = stops->process;
    sqlite3_bind_int64(stmt, 1, tid);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        *pid = (int32_t)sqlite3_column_int64(stmt, 0);
        *ppid = (int32_t)sqlite3_column_int64(stmt, 1);
        *first = sqlite3_column_int64(stmt, 2);
    }
    sqlite3_reset(stmt);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : trace_store_fail(stops->store, "reading the traced tasks' processes");
}

static int64_t last_exec_before(struct tracee_stops *stops, int32_t pid, int64_t before)
{
    sqlite3_stmt *stmt = stops->last_exec;
    sqlite3_bind_int64(stmt, 1, pid);
    sqlite3_bind_int64(stmt, 2, before);
    int rc = sqlite3_step(stmt);
    int64_t seq = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
    sqlite3_reset(stmt);
    if (rc != SQLITE_ROW)
        trace_store_fail(stops->store, "reading the traced tasks' execs");
    return seq;
}

/* The bytes of the last tracer write in process `pid` strictly between
 * `after` and `before` covering [addr, addr + len). 1, 0 or -1. */
static int written_in_process(struct tracee_stops *stops, int32_t pid, int64_t after, int64_t before,
                              uint64_t addr, void *buf, size_t len)
{
    sqlite3_stmt *stmt = stops->written;
    sqlite3_bind_int64(stmt, 1, pid);
    sqlite3_bind_int(stmt, 2, TRACER_WROTE_MEMORY);
    sqlite3_bind_int64(stmt, 3, after);
    sqlite3_bind_int64(stmt, 4, before);
    sqlite3_bind_int64(stmt, 5, (int64_t)addr);
    sqlite3_bind_int64(stmt, 6, (int64_t)len);
    int rc = sqlite3_step(stmt);
    uint64_t start = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(stmt, 0) : 0;
    int64_t blob = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 1) : 0;
    sqlite3_reset(stmt);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW)
        return trace_store_fail(stops->store, "reading the tracer's writes");
    void *data;
    size_t size;
    if (blob_store_get(stops->store, blob, &data, &size) < 0)
        return -1;
    int found = addr - start + len <= size;
    if (found)
        memcpy(buf, (char *)data + (addr - start), len);
    free(data);
    return found;
}

int tracee_stops_written_bytes(struct tracee_stops *stops, int32_t tid, int64_t before, uint64_t addr,
                               void *buf, size_t len)
{
    int32_t pid = 0, ppid = 0;
    int64_t first = 0;
    int rc;
    while ((rc = process_of(stops, tid, &pid, &ppid, &first)) == 1) {
        int64_t exec = last_exec_before(stops, pid, before);
        if (exec < 0)
            return -1;
        if ((rc = written_in_process(stops, pid, exec, before, addr, buf, len)) != 0)
            return rc;
        /* Exec'd since it was forked, or the first traced process. */
        if (exec || !ppid || (rc = tracee_stops_is_tracee(stops, ppid)) != 1)
            return rc < 0 ? -1 : 0;
        tid = ppid;
        before = first;
    }
    return rc;
}
