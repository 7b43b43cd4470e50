/*
 * blob_store.c — content-addressed blobs (see blob_store.h).
 *
 * A blob is looked up by (hash, size); candidates with the same hash are
 * compared byte for byte, so a hash collision only costs a comparison.
 * Contents that lz4 cannot shrink are stored raw (lz4_size == raw_size).
 * Sizes read back are checked before use: a trace may have been changed.
 */
#include "blob_store.h"

#include <lz4.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "content_hash.h"
#include "error.h"
#include "trace_store_internal.h"

/* The largest blob: what blob_store_put accepts. */
#define BLOB_MAX_SIZE (INT32_MAX - 1024)
/* lz4 expands at most 255 times (plus a few bytes of framing). */
#define LZ4_MAX_RATIO 255

/* Whether a row's sizes can be a blob blob_store_put wrote: raw and stored
 * sizes in range, the stored bytes as long as said, no more bytes announced
 * than lz4 can make of them. */
static bool blob_sizes_valid(int64_t raw_size, int64_t stored_size, int stored_bytes)
{
    if (raw_size < 0 || raw_size > BLOB_MAX_SIZE || stored_size < 0 || stored_size > raw_size)
        return false;
    if (stored_bytes != stored_size)
        return false;
    return stored_size == raw_size || raw_size <= stored_size * LZ4_MAX_RATIO + 64;
}

static int decompress_into(const void *stored, size_t stored_size, size_t raw_size, void *out)
{
    if (raw_size == 0) /* stored may be NULL: SQLite's empty blob */
        return stored_size == 0 ? 0 : -1;
    if (stored_size == raw_size) {
        memcpy(out, stored, raw_size);
        return 0;
    }
    if (stored_size > INT32_MAX || raw_size > INT32_MAX)
        return -1;
    int n = LZ4_decompress_safe(stored, out, (int)stored_size, (int)raw_size);
    return n == (int)raw_size ? 0 : -1;
}

/* Does candidate row `stmt` (columns id, lz4, lz4_size) hold exactly `data`? */
static int candidate_matches(sqlite3_stmt *stmt, const void *data, size_t len, int *matches)
{
    const void *stored = sqlite3_column_blob(stmt, 1);
    int64_t stored_size = sqlite3_column_int64(stmt, 2);
    if (len == 0) {
        *matches = 1;
        return 0;
    }
    if (!blob_sizes_valid((int64_t)len, stored_size, sqlite3_column_bytes(stmt, 1))) {
        error_set("corrupt blob in trace: its sizes do not fit");
        return -1;
    }
    void *raw = malloc(len);
    if (!raw) {
        error_set("out of memory comparing a blob of %zu bytes", len);
        return -1;
    }
    if (decompress_into(stored, (size_t)stored_size, len, raw) < 0) {
        free(raw);
        error_set("corrupt blob in trace");
        return -1;
    }
    *matches = memcmp(raw, data, len) == 0;
    free(raw);
    return 0;
}

static int64_t find_existing(struct trace_store *store, uint64_t hash, const void *data, size_t len)
{
    if (trace_store_prepare(store, &store->find_blob,
                            "SELECT id, lz4, lz4_size FROM blob WHERE hash = ? AND raw_size = ?") < 0)
        return -1;
    sqlite3_stmt *stmt = store->find_blob;
    sqlite3_bind_int64(stmt, 1, (int64_t)hash);
    sqlite3_bind_int64(stmt, 2, (int64_t)len);
    int64_t found = 0;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        int matches = 0;
        if (candidate_matches(stmt, data, len, &matches) < 0) {
            found = -1;
            break;
        }
        if (matches) {
            found = sqlite3_column_int64(stmt, 0);
            break;
        }
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        found = trace_store_fail(store, "looking up a blob");
    sqlite3_reset(stmt);
    return found;
}

int64_t blob_store_put(struct trace_store *store, const void *data, size_t len)
{
    if (len > BLOB_MAX_SIZE) {
        error_set("blob of %zu bytes is too large", len);
        return -1;
    }
    uint64_t hash = content_hash(data, len);
    int64_t existing = find_existing(store, hash, data, len);
    if (existing != 0)
        return existing;

    int bound = LZ4_compressBound((int)len);
    char *compressed = malloc((size_t)bound + 1);
    if (!compressed) {
        error_set("out of memory compressing %zu bytes", len);
        return -1;
    }
    int compressed_size = len ? LZ4_compress_default(data, compressed, (int)len, bound) : 0;
    const void *stored = compressed;
    size_t stored_size = (size_t)compressed_size;
    if (compressed_size <= 0 || (size_t)compressed_size >= len) {
        stored = data;
        stored_size = len;
    }
    if (trace_store_prepare(store, &store->insert_blob,
                            "INSERT INTO blob(hash, raw_size, lz4, lz4_size) VALUES (?, ?, ?, ?)") < 0) {
        free(compressed);
        return -1;
    }
    sqlite3_stmt *stmt = store->insert_blob;
    sqlite3_bind_int64(stmt, 1, (int64_t)hash);
    sqlite3_bind_int64(stmt, 2, (int64_t)len);
    sqlite3_bind_blob(stmt, 3, stored_size ? stored : "", (int)stored_size, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 4, (int64_t)stored_size);
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    free(compressed);
    if (rc != SQLITE_DONE)
        return trace_store_fail(store, "storing a blob");
    return sqlite3_last_insert_rowid(store->db);
}

int blob_store_get(struct trace_store *store, int64_t id, void **data, size_t *len)
{
    if (trace_store_prepare(store, &store->select_blob,
                            "SELECT raw_size, lz4, lz4_size FROM blob WHERE id = ?") < 0)
        return -1;
    sqlite3_stmt *stmt = store->select_blob;
    sqlite3_bind_int64(stmt, 1, id);
    int rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) {
        if (rc == SQLITE_DONE)
            error_set("trace %s: blob %lld is missing", store->path, (long long)id);
        else
            trace_store_fail(store, "reading a blob");
        sqlite3_reset(stmt);
        return -1;
    }
    int64_t raw_size = sqlite3_column_int64(stmt, 0);
    int64_t stored_size = sqlite3_column_int64(stmt, 2);
    const void *stored = sqlite3_column_blob(stmt, 1);
    if (!blob_sizes_valid(raw_size, stored_size, sqlite3_column_bytes(stmt, 1))) {
        error_set("trace %s: blob %lld is corrupt: raw_size %lld, lz4_size %lld, %d bytes stored",
                  store->path, (long long)id, (long long)raw_size, (long long)stored_size,
                  sqlite3_column_bytes(stmt, 1));
        sqlite3_reset(stmt);
        return -1;
    }
    void *raw = malloc(raw_size ? (size_t)raw_size : 1);
    if (!raw || decompress_into(stored, (size_t)stored_size, (size_t)raw_size, raw) < 0) {
        free(raw);
        error_set("trace %s: blob %lld is corrupt", store->path, (long long)id);
        sqlite3_reset(stmt);
        return -1;
    }
    sqlite3_reset(stmt);
    *data = raw;
    *len = (size_t)raw_size;
    return 0;
}
