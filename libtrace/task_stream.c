/*
 * task_stream.c — a trace read one task at a time (see task_stream.h).
 *
 * A cursor holds two statements over the same task: its events (index
 * event_by_tid, in seq order) and its memory writes (in seq order then
 * storage order), merged by seq as the caller walks the events. The writes
 * statement walks mem_write and keeps the task's rows (CROSS JOIN fixes that
 * order): writes are sparse, so this reads far fewer rows than probing
 * mem_write once per event, at the cost of one pass over mem_write per task. The register deltas of an event are relative to the same task's
 * previous event (regs_codec.h), which is exactly the previous row of the
 * cursor, so a cursor keeps one baseline of its own and cursors over
 * different tasks never disturb each other or the store's event_log reader.
 *
 * This file is part of the trace store's implementation: it reads the SQLite
 * handle directly, like event_log.c.
 */
#include "task_stream.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array_grow.h"
#include "error.h"
#include "regs_codec.h"
#include "trace_store_internal.h"
#include "trace_verify.h"

struct task_stream {
    struct trace_store *store;
    int32_t tid;
    sqlite3_stmt *events;
    sqlite3_stmt *writes;
    struct user_regs_struct baseline;
    int64_t current_seq;   /* the event last returned, -1 before the first */
    bool write_pending;    /* `writes` holds a row not yet handed out */
    bool writes_done;
};

/* Tids come from the events themselves (a skip-scan of event_by_tid, one
 * probe per task), so a stream whose task table is missing rows still lists
 * every task; the task table adds pid, ppid and command, and where a task
 * was created (its first_seq: the clone that made it). Tasks are listed in
 * creation order: a thread created before another may run its first event
 * after it. */
static const char tasks_sql[] =
    "WITH RECURSIVE tids(tid) AS ("
    "  SELECT min(tid) FROM event"
    "  UNION ALL SELECT (SELECT min(tid) FROM event WHERE tid > tids.tid) FROM tids"
    "  WHERE tids.tid IS NOT NULL)"
    " SELECT t.tid, (SELECT min(seq) FROM event WHERE tid = t.tid) AS first,"
    "        k.pid, k.ppid, k.command, k.first_seq"
    " FROM tids t LEFT JOIN task k ON k.tid = t.tid"
    " WHERE t.tid IS NOT NULL ORDER BY coalesce(k.first_seq, first), first";

int task_stream_tasks(struct trace_store *store, struct trace_task **tasks)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(store->db, tasks_sql, -1, &stmt, NULL) != SQLITE_OK)
        return trace_store_fail(store, "reading tasks");
    struct trace_task *items = NULL;
    int count = 0, capacity = 0, rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct trace_task *grown = array_grow(items, &capacity, count + 1, sizeof *items, 8);
        if (!grown) {
            free(items);
            sqlite3_finalize(stmt);
            return -1;
        }
        items = grown;
        struct trace_task *task = &items[count++];
        memset(task, 0, sizeof *task);
        task->tid = (int32_t)sqlite3_column_int64(stmt, 0);
        task->first_seq = sqlite3_column_int64(stmt, 1);
        task->pid = sqlite3_column_type(stmt, 2) == SQLITE_NULL ? task->tid
                                                                : (int32_t)sqlite3_column_int64(stmt, 2);
        task->ppid = (int32_t)sqlite3_column_int64(stmt, 3);
        task->created_seq = sqlite3_column_type(stmt, 5) == SQLITE_NULL ? task->first_seq
                                                                         : sqlite3_column_int64(stmt, 5);
        const unsigned char *command = sqlite3_column_text(stmt, 4);
        if (command)
            snprintf(task->command, sizeof task->command, "%s", (const char *)command);
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) {
        free(items);
        return trace_store_fail(store, "reading tasks");
    }
    *tasks = items;
    return count;
}

struct task_stream *task_stream_open(struct trace_store *store, int32_t tid)
{
    struct task_stream *stream = calloc(1, sizeof *stream);
    if (!stream) {
        error_set("out of memory");
        return NULL;
    }
    stream->store = store;
    stream->tid = tid;
    stream->current_seq = -1;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT seq, kind, sysno, arg0, arg1, arg2, arg3, arg4, arg5, result,"
                           " signo, sig_code, sync, ip, regs, extra, data_hash"
                           " FROM event WHERE tid = ? ORDER BY seq", -1, &stream->events, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(store->db,
                           "SELECT m.seq, m.addr, m.len, m.blob, b.hash"
                           " FROM mem_write m CROSS JOIN event e ON e.seq = m.seq"
                           " LEFT JOIN blob b ON b.id = m.blob"
                           " WHERE e.tid = ? ORDER BY m.seq, m.rowid", -1, &stream->writes, NULL) != SQLITE_OK) {
        trace_store_fail(store, "reading a task's events");
        task_stream_close(stream);
        return NULL;
    }
    sqlite3_bind_int64(stream->events, 1, tid);
    sqlite3_bind_int64(stream->writes, 1, tid);
    return stream;
}

static int64_t column_or(sqlite3_stmt *stmt, int column, int64_t fallback)
{
    return sqlite3_column_type(stmt, column) == SQLITE_NULL ? fallback
                                                            : sqlite3_column_int64(stmt, column);
}

int task_stream_next(struct task_stream *stream, struct trace_event *event)
{
    sqlite3_stmt *stmt = stream->events;
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW)
        return trace_store_fail(stream->store, "reading events");
    memset(event, 0, sizeof *event);
    event->seq = sqlite3_column_int64(stmt, 0);
    if (trace_verify_through(stream->store, event->seq) < 0)
        return -1;
    event->tid = stream->tid;
    event->kind = (enum event_kind)sqlite3_column_int(stmt, 1);
    event->sysno = column_or(stmt, 2, -1);
    /* NULL reads as 0, the value meant for these columns when absent */
    for (int i = 0; i < 6; i++)
        event->args[i] = (uint64_t)sqlite3_column_int64(stmt, 3 + i);
    event->result = sqlite3_column_int64(stmt, 9);
    event->signo = (int32_t)sqlite3_column_int64(stmt, 10);
    event->sig_code = (int32_t)sqlite3_column_int64(stmt, 11);
    event->sync = (int32_t)sqlite3_column_int64(stmt, 12);
    event->ip = (uint64_t)sqlite3_column_int64(stmt, 13);
    event->extra_blob = sqlite3_column_int64(stmt, 15);
    event->has_data_hash = sqlite3_column_type(stmt, 16) != SQLITE_NULL;
    event->data_hash = (uint64_t)column_or(stmt, 16, 0);
    if (sqlite3_column_type(stmt, 14) != SQLITE_NULL) {
        if (regs_decode(&stream->baseline, sqlite3_column_blob(stmt, 14),
                        (size_t)sqlite3_column_bytes(stmt, 14), &event->regs) < 0) {
            error_set("trace %s: event %lld has malformed registers", stream->store->path,
                      (long long)event->seq);
            return -1;
        }
        stream->baseline = event->regs;
        event->has_regs = true;
    }
    /* (No register witness check here, unlike event_log_next: rr-diff
     * compares arguments and registers itself, and reports where they part.) */
    stream->current_seq = event->seq;
    return 1;
}

/* Step the writes statement until its row belongs to the current event or a
 * later one (rows of earlier events were not asked for: skip them). */
static int load_write_row(struct task_stream *stream)
{
    while (!stream->writes_done) {
        if (stream->write_pending &&
            sqlite3_column_int64(stream->writes, 0) >= stream->current_seq)
            return 0;
        int rc = sqlite3_step(stream->writes);
        if (rc == SQLITE_DONE) {
            stream->writes_done = true;
            stream->write_pending = false;
        } else if (rc == SQLITE_ROW) {
            stream->write_pending = true;
        } else {
            return trace_store_fail(stream->store, "reading memory contents");
        }
    }
    return 0;
}

int task_stream_next_write(struct task_stream *stream, struct task_write *write)
{
    if (stream->current_seq < 0 || load_write_row(stream) < 0)
        return stream->current_seq < 0 ? 0 : -1;
    if (!stream->write_pending || sqlite3_column_int64(stream->writes, 0) != stream->current_seq)
        return 0;
    sqlite3_stmt *stmt = stream->writes;
    write->addr = (uint64_t)sqlite3_column_int64(stmt, 1);
    write->len = (size_t)sqlite3_column_int64(stmt, 2);
    write->blob = sqlite3_column_int64(stmt, 3);
    write->hash = (uint64_t)sqlite3_column_int64(stmt, 4);
    stream->write_pending = false; /* handed out: the next call steps past it */
    return 1;
}

void task_stream_close(struct task_stream *stream)
{
    if (!stream)
        return;
    sqlite3_finalize(stream->events);
    sqlite3_finalize(stream->writes);
    free(stream);
}
