/*
 * fuzz_trace_rows.c — libFuzzer target for everything that reads a trace: a
 * copy of a small real trace (trace_template.h) has its rows changed, deleted or
 * duplicated as the input says — any column of any table set to NULL, a
 * 64-bit number, text or bytes, and for inputs of even size the checksums
 * recomputed (trace_store_reseal) — and is then read through every libtrace
 * reader (event rows with their register deltas, memory writes and their
 * blobs, mappings, passed output, the per-task streams) and through
 * rr-query (one of its subjects, ps or stats, as the first byte says). Each must read the trace or refuse it
 * with a message; none may crash, read out of bounds or hit undefined
 * behaviour whatever the numbers say.
 */
#include <fcntl.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blob_store.h"
#include "error.h"
#include "event_log.h"
#include "trace_template.h"
#include "output.h"
#include "ps.h"
#include "query_run.h"
#include "stats.h"
#include "subjects.h"
#include "syscall_table.h"
#include "task_stream.h"
#include "trace_db.h"
#include "trace_store.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const columns[] = {
    "event.seq", "event.tid", "event.kind", "event.sysno", "event.arg0", "event.arg1", "event.arg2",
    "event.result", "event.signo", "event.sig_code", "event.sync", "event.ip", "event.regs", "event.extra",
    "event.data_hash", "event.at_ms", "blob.id", "blob.hash", "blob.raw_size", "blob.lz4", "blob.lz4_size",
    "mem_write.seq", "mem_write.addr", "mem_write.len", "mem_write.blob", "mem_read.seq", "mem_read.addr",
    "mem_read.len", "mem_read.blob", "mapping.seq", "mapping.start", "mapping.end", "mapping.prot",
    "mapping.flags", "mapping.offset", "mapping.path", "mapping.blob", "task.tid", "task.pid", "task.ppid",
    "task.first_seq", "task.last_seq", "task.command", "task.exit_kind", "task.exit_value",
    "syscall_info.nr", "syscall_info.name", "syscall_info.args", "meta.value", "batch.id", "batch.event",
    "batch.blob", "batch.hash",
};
#define COLUMN_COUNT (sizeof columns / sizeof columns[0])

static char work_path[300];
static unsigned char *template_bytes;
static size_t template_size;
static FILE *sink;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *path = trace_template_path();
    FILE *f = path ? fopen(path, "rb") : NULL;
    sink = fopen("/dev/null", "w");
    if (!f || !sink || syscall_table_init() < 0) {
        fprintf(stderr, "fuzz_trace_rows: cannot set up\n");
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    template_size = (size_t)ftell(f);
    rewind(f);
    template_bytes = malloc(template_size);
    if (!template_bytes || fread(template_bytes, 1, template_size, f) != template_size)
        exit(1);
    fclose(f);
    snprintf(work_path, sizeof work_path, "%.*s/work-%d.trace", (int)(strrchr(path, '/') - path), path, getpid());
    return 0;
}

struct input {
    const uint8_t *data;
    size_t size, at;
};

static uint64_t take(struct input *in, size_t bytes)
{
    uint64_t value = 0;
    for (size_t i = 0; i < bytes && in->at < in->size; i++)
        value |= (uint64_t)in->data[in->at++] << (8 * i);
    return value;
}

/* One change to the copy: op, column, row (by rank), value. */
static void apply_change(sqlite3 *db, struct input *in)
{
    unsigned op = (unsigned)take(in, 1);
    const char *column = columns[take(in, 1) % COLUMN_COUNT];
    int rank = (int)(take(in, 1) % 8);
    char table[32], sql[512];
    snprintf(table, sizeof table, "%.*s", (int)strcspn(column, "."), column);
    const char *name = strchr(column, '.') + 1;
    const char *row = "(SELECT rowid FROM %s ORDER BY rowid LIMIT 1 OFFSET %d)";
    char where[128];
    snprintf(where, sizeof where, row, table, rank);
    if (op % 8 == 0) {
        snprintf(sql, sizeof sql, "DELETE FROM %s WHERE rowid = %s", table, where);
        sqlite3_exec(db, sql, NULL, NULL, NULL);
        return;
    }
    if (op % 8 == 1) {
        snprintf(sql, sizeof sql, "INSERT INTO %s SELECT * FROM %s WHERE rowid = %s", table, table, where);
        sqlite3_exec(db, sql, NULL, NULL, NULL); /* fails where a key must be unique: fine */
        return;
    }
    snprintf(sql, sizeof sql, "UPDATE %s SET %s = ?1 WHERE rowid = %s", table, name, where);
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return;
    size_t len = (size_t)take(in, 1) % 48;
    if (len > in->size - in->at)
        len = in->size - in->at;
    switch (op % 8) {
    case 2: sqlite3_bind_null(stmt, 1); break;
    case 3: sqlite3_bind_int64(stmt, 1, (int64_t)take(in, 8)); break;
    case 4: sqlite3_bind_int64(stmt, 1, (int8_t)take(in, 1)); break;
    case 5: sqlite3_bind_text(stmt, 1, (const char *)in->data + in->at, (int)len, SQLITE_TRANSIENT); in->at += len; break;
    default: sqlite3_bind_blob(stmt, 1, in->data + in->at, (int)len, SQLITE_TRANSIENT); in->at += len; break;
    }
    sqlite3_step(stmt);
    sqlite3_finalize(stmt);
}

static int make_copy(const uint8_t *data, size_t size)
{
    char side[320];
    snprintf(side, sizeof side, "%s-wal", work_path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", work_path);
    unlink(side);
    int fd = open(work_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || write(fd, template_bytes, template_size) != (ssize_t)template_size) {
        perror("fuzz_trace_rows: writing the copy");
        exit(1);
    }
    close(fd);
    sqlite3 *db;
    if (sqlite3_open(work_path, &db) != SQLITE_OK)
        exit(1);
    struct input in = {data, size, 0};
    sqlite3_exec(db, "PRAGMA synchronous=OFF; BEGIN", NULL, NULL, NULL);
    while (in.at < in.size)
        apply_change(db, &in);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);
    /* Half the inputs get their checksums recomputed, so that the changes
     * reach the checks behind them; the other half exercise the checksums. */
    if (size % 2 == 0)
        trace_store_reseal(work_path);
    return 0;
}

static int ignore_output(void *context, const void *data, size_t len)
{
    (void)context;
    (void)data;
    (void)len;
    return 0;
}

static void read_with_libtrace(void)
{
    struct trace_store *store = trace_store_open(work_path);
    if (!store)
        return;
    struct trace_event event;
    while (event_log_next(store, &event) == 1) {
        struct trace_mapping *mappings = NULL;
        if (event_log_mappings(store, event.seq, &mappings) >= 0)
            free(mappings);
        event_log_passed_output(store, event.seq, ignore_output, NULL);
        void *bytes;
        size_t len;
        if (event.extra_blob && blob_store_get(store, event.extra_blob, &bytes, &len) == 0)
            free(bytes);
    }
    struct mem_write_record record;
    while (event_log_next_mem_write(store, &record) == 1) {
        void *bytes;
        size_t len;
        if (record.blob && blob_store_get(store, record.blob, &bytes, &len) == 0)
            free(bytes);
    }
    struct trace_task *tasks = NULL;
    int count = task_stream_tasks(store, &tasks);
    for (int i = 0; i < count; i++) {
        struct task_stream *stream = task_stream_open(store, tasks[i].tid);
        if (!stream)
            continue;
        struct task_write write;
        while (task_stream_next(stream, &event) == 1)
            while (task_stream_next_write(stream, &write) == 1)
                ;
        task_stream_close(stream);
    }
    free(tasks);
    trace_store_close(store);
}

/* One of rr-query's subjects, ps or stats (a run reads one: rendering is
 * the slow part, and the fuzzer learns which byte picks which). */
static void read_with_rr_query(unsigned which)
{
    struct trace_db tdb;
    if (trace_db_open(&tdb, work_path) < 0)
        return;
    if (subjects_init(tdb.syscalls) < 0) {
        trace_db_close(&tdb);
        return;
    }
    static const char *const queries[] = {"syscalls", "signals", "events", "tasks", "mmaps",
                                          "writes", "files", "exec"};
    const size_t count = sizeof queries / sizeof queries[0];
    which %= count + 2;
    if (which < count)
        query_run(&tdb, queries[which], which & 1, FORMAT_TABLE, sink);
    else if (which == count)
        ps_print(&tdb, FORMAT_JSON, sink);
    else
        stats_print(&tdb, NULL, FORMAT_TABLE, sink);
    trace_db_close(&tdb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    make_copy(data, size);
    read_with_libtrace();
    read_with_rr_query(size ? data[0] : 0);
    return 0;
}
