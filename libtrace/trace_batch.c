/*
 * trace_batch.c — the batch checksums and the seal of a trace: the one
 * function that hashes a batch's rows (used by the writer before each commit
 * and by trace_verify.c when reading), and the writer's side.
 *
 * Every column of every row is hashed with its SQLite type, so a value
 * changed to another of the same bytes but another type (1 and '1'), a row
 * moved to another rowid, deleted or added, all change the hash. The hash is
 * content_hash (not cryptographic): it finds accidents and edits of a trace,
 * not a forger who recomputes the chain.
 */
#include "trace_batch.h"

#include <stdio.h>
#include <string.h>

#include "content_hash.h"
#include "error.h"
#include "trace_store_internal.h"

const char *const trace_batch_tables[TRACE_BATCH_TABLES] = {
    "event", "mem_write", "mem_read", "passed_output", "output", "mapping", "blob", "syscall_info",
};

static void hash_int(struct content_hash_stream *stream, int64_t value)
{
    content_hash_add(stream, &value, sizeof value);
}

/* Every column of the statement's current row, each with its type. */
static void hash_row(struct content_hash_stream *stream, sqlite3_stmt *stmt)
{
    int columns = sqlite3_column_count(stmt);
    for (int i = 0; i < columns; i++) {
        int type = sqlite3_column_type(stmt, i);
        unsigned char tag = (unsigned char)type;
        content_hash_add(stream, &tag, 1);
        if (type == SQLITE_INTEGER) {
            hash_int(stream, sqlite3_column_int64(stmt, i));
        } else if (type == SQLITE_FLOAT) {
            double value = sqlite3_column_double(stmt, i);
            content_hash_add(stream, &value, sizeof value);
        } else if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
            const void *bytes = type == SQLITE_TEXT ? (const void *)sqlite3_column_text(stmt, i)
                                                    : sqlite3_column_blob(stmt, i);
            int64_t len = sqlite3_column_bytes(stmt, i);
            hash_int(stream, len);
            if (len > 0)
                content_hash_add(stream, bytes, (size_t)len);
        }
    }
}

/* Hash every row `stmt` returns. */
static int hash_rows(struct trace_store *store, sqlite3_stmt *stmt, struct content_hash_stream *stream,
                     const char *doing)
{
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        hash_row(stream, stmt);
    sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? 0 : trace_store_fail(store, doing);
}

void trace_batch_mark_start(struct trace_batch_mark *mark)
{
    mark->id = 0;
    mark->hash = 0;
    for (int t = 0; t < TRACE_BATCH_TABLES; t++)
        mark->high[t] = TRACE_BATCH_NO_ROW;
}

int trace_batch_hash(struct trace_store *store, const struct trace_batch_mark *previous,
                     struct trace_batch_mark *next, uint64_t *hash)
{
    struct content_hash_stream stream;
    content_hash_start(&stream);
    hash_int(&stream, (int64_t)previous->hash);
    hash_int(&stream, next->id);
    for (int t = 0; t < TRACE_BATCH_TABLES; t++) {
        hash_int(&stream, next->high[t]);
        if (next->high[t] <= previous->high[t])
            continue;
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT rowid, * FROM %s WHERE rowid > ?1 AND rowid <= ?2 ORDER BY rowid",
                 trace_batch_tables[t]);
        if (trace_store_prepare(store, &store->select_batch_rows[t], sql) < 0)
            return -1;
        sqlite3_stmt *stmt = store->select_batch_rows[t];
        sqlite3_bind_int64(stmt, 1, previous->high[t]);
        sqlite3_bind_int64(stmt, 2, next->high[t]);
        if (hash_rows(store, stmt, &stream, "reading a batch's rows") < 0)
            return -1;
    }
    *hash = content_hash_value(&stream);
    return 0;
}

int trace_batch_seal_hash(struct trace_store *store, uint64_t last_batch_hash, uint64_t *seal)
{
    struct content_hash_stream stream;
    content_hash_start(&stream);
    hash_int(&stream, (int64_t)last_batch_hash);
    sqlite3_stmt *meta = NULL, *tasks = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(store->db, "SELECT key, value FROM meta WHERE key <> 'seal' ORDER BY key", -1, &meta,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(store->db, "SELECT rowid, * FROM task ORDER BY rowid", -1, &tasks, NULL) != SQLITE_OK)
        trace_store_fail(store, "reading the seal's rows");
    else if (hash_rows(store, meta, &stream, "reading the seal's rows") == 0 &&
             hash_rows(store, tasks, &stream, "reading the seal's rows") == 0)
        rc = 0;
    sqlite3_finalize(meta);
    sqlite3_finalize(tasks);
    *seal = content_hash_value(&stream);
    return rc;
}

/* The highest rowid of each table now (an empty one keeps its mark). */
static int read_marks(struct trace_store *store, struct trace_batch_mark *mark)
{
    for (int t = 0; t < TRACE_BATCH_TABLES; t++) {
        char sql[64];
        snprintf(sql, sizeof sql, "SELECT max(rowid) FROM %s", trace_batch_tables[t]);
        if (trace_store_prepare(store, &store->select_batch_high[t], sql) < 0)
            return -1;
        sqlite3_stmt *stmt = store->select_batch_high[t];
        int rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL)
            mark->high[t] = sqlite3_column_int64(stmt, 0);
        sqlite3_reset(stmt);
        if (rc != SQLITE_ROW)
            return trace_store_fail(store, "reading a batch's marks");
    }
    return 0;
}

static int insert_batch(struct trace_store *store, const struct trace_batch_mark *mark)
{
    if (trace_store_prepare(store, &store->insert_batch,
                            "INSERT INTO batch(id, event, mem_write, mem_read, passed_output, output, mapping,"
                            " blob, syscall_info, hash) VALUES (?,?,?,?,?,?,?,?,?,?)") < 0)
        return -1;
    sqlite3_stmt *stmt = store->insert_batch;
    sqlite3_bind_int64(stmt, 1, mark->id);
    for (int t = 0; t < TRACE_BATCH_TABLES; t++)
        sqlite3_bind_int64(stmt, 2 + t, mark->high[t]);
    sqlite3_bind_int64(stmt, 2 + TRACE_BATCH_TABLES, (int64_t)mark->hash);
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? 0 : trace_store_fail(store, "writing a batch's checksum");
}

int trace_batch_write(struct trace_store *store)
{
    struct trace_batch_mark next = store->written_batch;
    next.id++;
    if (read_marks(store, &next) < 0)
        return -1;
    if (memcmp(next.high, store->written_batch.high, sizeof next.high) == 0)
        return 0; /* nothing appended since the last batch */
    if (trace_batch_hash(store, &store->written_batch, &next, &next.hash) < 0 || insert_batch(store, &next) < 0)
        return -1;
    store->written_batch = next;
    return 0;
}

int trace_batch_write_seal(struct trace_store *store)
{
    uint64_t seal;
    char text[24];
    if (trace_batch_write(store) < 0 || trace_batch_seal_hash(store, store->written_batch.hash, &seal) < 0)
        return -1;
    snprintf(text, sizeof text, "%016llx", (unsigned long long)seal);
    return trace_store_set_meta(store, "seal", text);
}
