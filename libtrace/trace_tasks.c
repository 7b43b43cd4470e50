/*
 * trace_tasks.c — the task table in memory (see trace_tasks.h). Part of the
 * trace store's readers: it uses the store's SQLite handle.
 */
#include "trace_tasks.h"

#include <assert.h>
#include <stdlib.h>

#include "array_grow.h"
#include "error.h"
#include "trace_store_internal.h"

void trace_tasks_free(struct trace_tasks *tasks)
{
    if (!tasks)
        return;
    free(tasks->rows);
    free(tasks);
}

struct trace_tasks *trace_tasks_load(struct trace_store *store)
{
    struct trace_tasks *tasks = calloc(1, sizeof *tasks);
    sqlite3_stmt *stmt = NULL;
    if (!tasks) {
        error_set("out of memory");
        return NULL;
    }
    if (sqlite3_prepare_v2(store->db, "SELECT tid, pid, coalesce(ppid, 0), first_seq FROM task ORDER BY tid",
                           -1, &stmt, NULL) != SQLITE_OK) {
        trace_store_fail(store, "reading the task table");
        trace_tasks_free(tasks);
        return NULL;
    }
    int rc, capacity = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct trace_task_row *rows = array_grow(tasks->rows, &capacity, tasks->count + 1, sizeof *rows, 16);
        if (!rows)
            break;
        tasks->rows = rows;
        tasks->rows[tasks->count++] = (struct trace_task_row){
            sqlite3_column_int(stmt, 0), sqlite3_column_int(stmt, 1), sqlite3_column_int(stmt, 2),
            sqlite3_column_int64(stmt, 3)};
        /* the binary search below relies on the order */
        assert(tasks->count < 2 || tasks->rows[tasks->count - 2].tid < tasks->rows[tasks->count - 1].tid);
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) {
        if (rc == SQLITE_ROW)
            error_set("out of memory reading the task table");
        else
            trace_store_fail(store, "reading the task table");
        trace_tasks_free(tasks);
        return NULL;
    }
    return tasks;
}

const struct trace_task_row *trace_tasks_find(const struct trace_tasks *tasks, int32_t tid)
{
    int lo = 0, hi = tasks->count - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (tasks->rows[mid].tid == tid)
            return &tasks->rows[mid];
        if (tasks->rows[mid].tid < tid)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

int32_t trace_tasks_pid_of(const struct trace_tasks *tasks, int32_t tid)
{
    const struct trace_task_row *row = trace_tasks_find(tasks, tid);
    return row ? row->pid : tid;
}
