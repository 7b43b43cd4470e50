/*
 * event_log.c — the event stream of a trace (see event_log.h).
 *
 * Registers are stored as deltas against the same task's previous event
 * (regs_codec.c); the writer and the reader each keep per-task baselines, so
 * events must be read in the order they were written, which
 * event_log_next guarantees by streaming in seq order.
 */
#include "event_log.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array_grow.h"
#include "blob_store.h"
#include "error.h"
#include "regs_codec.h"
#include "task.h"
#include "trace_store_internal.h"
#include "trace_verify.h"

const char *event_kind_name(enum event_kind kind)
{
    switch (kind) {
    case EVENT_SYSCALL: return "syscall";
    case EVENT_SIGNAL: return "signal";
    case EVENT_RDTSC: return "rdtsc";
    case EVENT_CPUID: return "cpuid";
    case EVENT_EXEC: return "exec";
    case EVENT_EXIT: return "exit";
    case EVENT_LANDMARK: return "landmark";
    case EVENT_ENTER: return "enter";
    case EVENT_TRACEE_STOP: return "tracee_stop";
    case EVENT_TRACER_WRITE: return "tracer_write";
    case EVENT_SHARED_MEMORY: return "shared_memory";
    }
    return "unknown";
}

struct user_regs_struct *regs_baseline_for(struct regs_baselines *set, int32_t tid)
{
    for (int i = 0; i < set->count; i++)
        if (set->items[i].tid == tid)
            return &set->items[i].regs;
    struct regs_baseline *items = array_grow(set->items, &set->capacity, set->count + 1, sizeof *items, 8);
    if (!items)
        return NULL;
    set->items = items;
    struct regs_baseline *fresh = &set->items[set->count++];
    memset(fresh, 0, sizeof *fresh);
    fresh->tid = tid;
    return &fresh->regs;
}

static void bind_optional_int(sqlite3_stmt *stmt, int column, int present, int64_t value)
{
    if (present)
        sqlite3_bind_int64(stmt, column, value);
    else
        sqlite3_bind_null(stmt, column);
}

int event_log_append(struct trace_store *store, const struct trace_event *event)
{
    if (trace_store_prepare(store, &store->insert_event,
                            "INSERT INTO event(seq, tid, kind, sysno, arg0, arg1, arg2, arg3, arg4,"
                            " arg5, result, signo, sig_code, sync, ip, regs, extra, data_hash, at_ms)"
                            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)") < 0)
        return -1;
    sqlite3_stmt *stmt = store->insert_event;
    int is_syscall = event->kind == EVENT_SYSCALL || event->kind == EVENT_ENTER;
    int is_signal = event->kind == EVENT_SIGNAL || event->kind == EVENT_EXIT;
    int is_nested = event->kind == EVENT_TRACEE_STOP || event->kind == EVENT_TRACER_WRITE;
    sqlite3_bind_int64(stmt, 1, event->seq);
    sqlite3_bind_int64(stmt, 2, event->tid);
    sqlite3_bind_int(stmt, 3, event->kind);
    bind_optional_int(stmt, 4, is_syscall || event->kind == EVENT_TRACEE_STOP, event->sysno);
    for (int i = 0; i < 6; i++)
        bind_optional_int(stmt, 5 + i, is_syscall || event->kind == EVENT_CPUID || (i < 2 && is_nested) ||
                                           (i == 2 && event->kind == EVENT_TRACEE_STOP) ||
                                           (i == 0 && event->kind == EVENT_RDTSC),
                          (int64_t)event->args[i]);
    sqlite3_bind_int64(stmt, 11, event->result);
    bind_optional_int(stmt, 12, is_signal || event->kind == EVENT_TRACEE_STOP, event->signo);
    bind_optional_int(stmt, 13, event->kind == EVENT_SIGNAL || is_nested || (is_syscall && event->sig_code),
                      event->sig_code); /* a syscall's: SYSCALL_FILTERED */
    bind_optional_int(stmt, 14, event->kind == EVENT_SIGNAL || event->kind == EVENT_TRACEE_STOP, event->sync);
    sqlite3_bind_int64(stmt, 15, (int64_t)event->ip);
    unsigned char encoded[REGS_ENCODED_MAX];
    if (event->has_regs) {
        struct user_regs_struct *baseline = regs_baseline_for(&store->write_baselines, event->tid);
        if (!baseline) {
            sqlite3_reset(stmt);
            error_set("out of memory");
            return -1;
        }
        size_t length = regs_encode(baseline, &event->regs, encoded);
        *baseline = event->regs;
        sqlite3_bind_blob(stmt, 16, encoded, (int)length, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(stmt, 16);
    }
    bind_optional_int(stmt, 17, event->extra_blob != 0, event->extra_blob);
    bind_optional_int(stmt, 18, event->has_data_hash, (int64_t)event->data_hash);
    sqlite3_bind_int64(stmt, 19, trace_store_now_ms() - store->created_ms);
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE)
        return trace_store_fail(store, "writing an event");
    return trace_store_maybe_commit(store);
}

/* Store `len` bytes as blobs of at most MEM_WRITE_CHUNK each, and one row
 * per piece through `insert_row` (piece's offset in the data, its size, blob). */
struct chunk_row {
    sqlite3_stmt *stmt;
    int64_t seq;
    uint64_t addr; /* mem_write rows only */
};

typedef int insert_chunk_fn(const struct chunk_row *row, size_t offset, size_t piece, int64_t blob);

static int put_in_chunks(struct trace_store *store, const void *data, size_t len,
                         const struct chunk_row *row, insert_chunk_fn *insert_row, const char *doing)
{
    const unsigned char *bytes = data;
    for (size_t done = 0; done < len;) {
        size_t piece = len - done < MEM_WRITE_CHUNK ? len - done : MEM_WRITE_CHUNK;
        int64_t blob = blob_store_put(store, bytes + done, piece);
        if (blob < 0)
            return -1;
        int rc = insert_row(row, done, piece, blob);
        sqlite3_reset(row->stmt);
        if (rc != SQLITE_DONE)
            return trace_store_fail(store, doing);
        done += piece;
    }
    return 0;
}

static int insert_mem_write_row(const struct chunk_row *row, size_t offset, size_t piece, int64_t blob)
{
    sqlite3_bind_int64(row->stmt, 1, row->seq);
    sqlite3_bind_int64(row->stmt, 2, (int64_t)(row->addr + offset));
    sqlite3_bind_int64(row->stmt, 3, (int64_t)piece);
    sqlite3_bind_int64(row->stmt, 4, blob);
    return sqlite3_step(row->stmt);
}

int event_log_add_mem_write(struct trace_store *store, int64_t seq, uint64_t addr,
                            const void *data, size_t len)
{
    if (trace_store_prepare(store, &store->insert_mem_write,
                            "INSERT INTO mem_write(seq, addr, len, blob) VALUES (?,?,?,?)") < 0)
        return -1;
    const struct chunk_row row = {store->insert_mem_write, seq, addr};
    return put_in_chunks(store, data, len, &row, insert_mem_write_row, "writing memory contents");
}

int event_log_add_mem_read(struct trace_store *store, int64_t seq, uint64_t addr,
                           const void *data, size_t len)
{
    if (trace_store_prepare(store, &store->insert_mem_read,
                            "INSERT INTO mem_read(seq, addr, len, blob) VALUES (?,?,?,?)") < 0)
        return -1;
    const struct chunk_row row = {store->insert_mem_read, seq, addr};
    return put_in_chunks(store, data, len, &row, insert_mem_write_row, "writing a path string");
}

static int insert_passed_output_row(const struct chunk_row *row, size_t offset, size_t piece,
                                    int64_t blob)
{
    (void)offset;
    (void)piece;
    sqlite3_bind_int64(row->stmt, 1, row->seq);
    sqlite3_bind_int64(row->stmt, 2, blob);
    return sqlite3_step(row->stmt);
}

int event_log_add_passed_output(struct trace_store *store, int64_t seq, const void *data, size_t len)
{
    if (trace_store_prepare(store, &store->insert_passed_output,
                            "INSERT INTO passed_output(seq, blob) VALUES (?,?)") < 0)
        return -1;
    const struct chunk_row row = {store->insert_passed_output, seq, 0};
    return put_in_chunks(store, data, len, &row, insert_passed_output_row, "writing passed output");
}

int event_log_add_mapping(struct trace_store *store, int64_t seq, struct trace_mapping *mapping,
                          const void *contents)
{
    mapping->blob = 0;
    if (contents) {
        mapping->blob = blob_store_put(store, contents, mapping->end - mapping->start);
        if (mapping->blob < 0)
            return -1;
    }
    return event_log_add_mapping_blob(store, seq, mapping);
}

int event_log_add_mapping_blob(struct trace_store *store, int64_t seq, const struct trace_mapping *mapping)
{
    assert(mapping->blob >= 0);
    if (trace_store_prepare(store, &store->insert_mapping,
                            "INSERT INTO mapping(seq, start, end, prot, flags, offset, path, blob)"
                            " VALUES (?,?,?,?,?,?,?,?)") < 0)
        return -1;
    sqlite3_stmt *stmt = store->insert_mapping;
    sqlite3_bind_int64(stmt, 1, seq);
    sqlite3_bind_int64(stmt, 2, (int64_t)mapping->start);
    sqlite3_bind_int64(stmt, 3, (int64_t)mapping->end);
    sqlite3_bind_int(stmt, 4, mapping->prot);
    sqlite3_bind_int(stmt, 5, mapping->flags);
    sqlite3_bind_int64(stmt, 6, (int64_t)mapping->offset);
    if (mapping->path[0])
        sqlite3_bind_text(stmt, 7, mapping->path, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(stmt, 7);
    bind_optional_int(stmt, 8, mapping->blob != 0, mapping->blob);
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? 0 : trace_store_fail(store, "writing a mapping");
}

int event_log_task_started(struct trace_store *store, int32_t tid, int32_t pid, int32_t ppid,
                           int64_t seq, const char *command)
{
    if (trace_store_prepare(store, &store->upsert_task,
                            "INSERT INTO task(tid, pid, ppid, first_seq, command) VALUES (?,?,?,?,?)"
                            " ON CONFLICT(tid) DO UPDATE SET command = excluded.command") < 0)
        return -1;
    sqlite3_stmt *stmt = store->upsert_task;
    sqlite3_bind_int64(stmt, 1, tid);
    sqlite3_bind_int64(stmt, 2, pid);
    sqlite3_bind_int64(stmt, 3, ppid);
    sqlite3_bind_int64(stmt, 4, seq);
    sqlite3_bind_text(stmt, 5, command, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? 0 : trace_store_fail(store, "writing a task");
}

int event_log_task_ended(struct trace_store *store, int32_t tid, int64_t seq, enum task_end end, int value)
{
    assert(end == TASK_END_EXITED || end == TASK_END_KILLED);
    if (trace_store_prepare(store, &store->finish_task,
                            "UPDATE task SET last_seq = ?, exit_kind = ?, exit_value = ? WHERE tid = ?") < 0)
        return -1;
    sqlite3_stmt *stmt = store->finish_task;
    sqlite3_bind_int64(stmt, 1, seq);
    sqlite3_bind_text(stmt, 2, task_end_name(end), -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 3, value);
    sqlite3_bind_int64(stmt, 4, tid);
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? 0 : trace_store_fail(store, "writing a task");
}

static int64_t column_or(sqlite3_stmt *stmt, int column, int64_t fallback)
{
    return sqlite3_column_type(stmt, column) == SQLITE_NULL ? fallback
                                                            : sqlite3_column_int64(stmt, column);
}

int event_log_check_witnesses(struct trace_store *store, const struct trace_event *event)
{
    if ((event->kind != EVENT_SYSCALL && event->kind != EVENT_ENTER) || !event->has_regs)
        return 0;
    /* A syscall's number, arguments and ip are its entry registers, as the
     * recorder took them: a second witness of what replay decides from them
     * (which syscall, which fd its output goes to). */
    uint64_t args[6];
    task_syscall_args(&event->regs, args);
    const char *what = event->sysno != (int64_t)event->regs.orig_rax ? "syscall number"
                       : memcmp(args, event->args, sizeof args) != 0 ? "arguments"
                       : event->ip != event->regs.rip                ? "ip"
                                                                     : NULL;
    if (!what)
        return 0;
    error_set("trace %s is damaged: event %lld: its %s and its registers disagree", store->path,
              (long long)event->seq, what);
    return -1;
}

int event_log_next(struct trace_store *store, struct trace_event *event)
{
    int row = trace_store_next_row(store, &store->select_events,
                                   "SELECT seq, tid, kind, sysno, arg0, arg1, arg2, arg3, arg4, arg5, result,"
                                   " signo, sig_code, sync, ip, regs, extra, data_hash, at_ms FROM event"
                                   " ORDER BY seq",
                                   "reading events");
    if (row <= 0)
        return row;
    sqlite3_stmt *stmt = store->select_events;
    memset(event, 0, sizeof *event);
    event->seq = sqlite3_column_int64(stmt, 0);
    if (trace_verify_through(store, event->seq) < 0)
        return -1;
    event->tid = (int32_t)sqlite3_column_int64(stmt, 1);
    event->kind = (enum event_kind)sqlite3_column_int(stmt, 2);
    event->sysno = column_or(stmt, 3, -1);
    for (int i = 0; i < 6; i++)
        event->args[i] = (uint64_t)column_or(stmt, 4 + i, 0);
    event->result = column_or(stmt, 10, 0);
    event->signo = (int32_t)column_or(stmt, 11, 0);
    event->sig_code = (int32_t)column_or(stmt, 12, 0);
    event->sync = (int32_t)column_or(stmt, 13, 0);
    event->ip = (uint64_t)column_or(stmt, 14, 0);
    event->extra_blob = column_or(stmt, 16, 0);
    event->has_data_hash = sqlite3_column_type(stmt, 17) != SQLITE_NULL;
    event->data_hash = (uint64_t)column_or(stmt, 17, 0);
    event->at_ms = column_or(stmt, 18, -1);
    if (sqlite3_column_type(stmt, 15) != SQLITE_NULL) {
        struct user_regs_struct *baseline = regs_baseline_for(&store->read_baselines, event->tid);
        if (!baseline) {
            error_set("out of memory");
            return -1;
        }
        if (regs_decode(baseline, sqlite3_column_blob(stmt, 15),
                        (size_t)sqlite3_column_bytes(stmt, 15), &event->regs) < 0) {
            error_set("trace %s: event %lld has malformed registers", store->path,
                      (long long)event->seq);
            return -1;
        }
        *baseline = event->regs;
        event->has_regs = true;
    }
    return event_log_check_witnesses(store, event) < 0 ? -1 : 1;
}

int event_log_next_mem_write(struct trace_store *store, struct mem_write_record *record)
{
    int row = trace_store_next_row(store, &store->select_mem_writes,
                                   "SELECT seq, addr, len, blob FROM mem_write ORDER BY seq, rowid",
                                   "reading memory contents");
    if (row <= 0)
        return row;
    sqlite3_stmt *stmt = store->select_mem_writes;
    record->seq = sqlite3_column_int64(stmt, 0);
    record->addr = (uint64_t)sqlite3_column_int64(stmt, 1);
    record->len = (size_t)sqlite3_column_int64(stmt, 2);
    record->blob = sqlite3_column_int64(stmt, 3);
    return 1;
}

/* A range the kernel can have mapped: pages, start before end, below the
 * end of user space (57-bit with 5-level paging). */
static bool mapping_range_valid(const struct trace_mapping *m)
{
    const uint64_t page = 4096, user_end = 1ull << 56;
    return m->start < m->end && m->end <= user_end && m->start % page == 0 && m->end % page == 0 &&
           m->offset % page == 0;
}

int event_log_mappings(struct trace_store *store, int64_t seq, struct trace_mapping **mappings)
{
    if (trace_store_prepare(store, &store->select_mappings,
                            "SELECT start, end, prot, flags, offset, path, blob FROM mapping"
                            " WHERE seq = ? ORDER BY rowid") < 0)
        return -1;
    sqlite3_stmt *stmt = store->select_mappings;
    sqlite3_bind_int64(stmt, 1, seq);
    struct trace_mapping *items = NULL;
    int count = 0, capacity = 0, rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct trace_mapping *grown = array_grow(items, &capacity, count + 1, sizeof *items, 16);
        if (!grown) {
            free(items);
            sqlite3_reset(stmt);
            return -1;
        }
        items = grown;
        struct trace_mapping *m = &items[count++];
        memset(m, 0, sizeof *m);
        m->start = (uint64_t)sqlite3_column_int64(stmt, 0);
        m->end = (uint64_t)sqlite3_column_int64(stmt, 1);
        m->prot = sqlite3_column_int(stmt, 2);
        m->flags = sqlite3_column_int(stmt, 3);
        m->offset = (uint64_t)sqlite3_column_int64(stmt, 4);
        const unsigned char *path = sqlite3_column_text(stmt, 5);
        if (path)
            snprintf(m->path, sizeof m->path, "%s", (const char *)path);
        m->blob = column_or(stmt, 6, 0);
        if (!mapping_range_valid(m)) {
            error_set("trace %s: a mapping of event %lld has a bad range 0x%llx-0x%llx", store->path,
                      (long long)seq, (unsigned long long)m->start, (unsigned long long)m->end);
            sqlite3_reset(stmt);
            free(items);
            return -1;
        }
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) {
        free(items);
        return trace_store_fail(store, "reading mappings");
    }
    *mappings = items;
    return count;
}

int event_log_passed_output(struct trace_store *store, int64_t seq,
                            int (*sink)(void *context, const void *data, size_t len), void *context)
{
    if (trace_store_prepare(store, &store->select_passed_output,
                            "SELECT blob FROM passed_output WHERE seq = ? ORDER BY rowid") < 0)
        return -1;
    sqlite3_stmt *stmt = store->select_passed_output;
    sqlite3_bind_int64(stmt, 1, seq);
    int rc, result = 0;
    while (result == 0 && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        void *data;
        size_t len;
        if (blob_store_get(store, sqlite3_column_int64(stmt, 0), &data, &len) < 0) {
            result = -1;
            break;
        }
        result = sink(context, data, len);
        free(data);
    }
    if (result == 0 && rc != SQLITE_DONE)
        result = trace_store_fail(store, "reading passed output");
    sqlite3_reset(stmt);
    return result;
}

int64_t event_log_count(struct trace_store *store)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(store->db, "SELECT count(*) FROM event", -1, &stmt, NULL) != SQLITE_OK)
        return trace_store_fail(store, "counting events");
    int64_t count = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW)
        count = sqlite3_column_int64(stmt, 0);
    else
        trace_store_fail(store, "counting events");
    sqlite3_finalize(stmt);
    return count;
}
