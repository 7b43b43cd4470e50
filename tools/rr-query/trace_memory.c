/*
 * trace_memory.c — bytes of recorded memory known for certain (see
 * trace_memory.h), with a small cache of decompressed blobs: the same libc
 * snapshot is read for every string literal and every symbol lookup.
 */
#include "trace_memory.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "blob_store.h"
#include "error.h"
#include "mapping_index.h"
#include "trace_db.h"

enum { BLOB_CACHE_SLOTS = 8 };

struct cached_blob {
    int64_t id;
    unsigned char *bytes;
    size_t len;
    uint64_t last_used;
};

struct trace_memory {
    struct trace_db *tdb;
    struct cached_blob cache[BLOB_CACHE_SLOTS];
    uint64_t clock;
    sqlite3_stmt *writes_at_seq;
    sqlite3_stmt *path_at_seq;    /* mem_read: the path strings kept at syscall entry */
};

struct trace_memory *trace_memory_new(struct trace_db *tdb)
{
    struct trace_memory *memory = calloc(1, sizeof *memory);
    if (!memory) {
        error_set("out of memory");
        return NULL;
    }
    memory->tdb = tdb;
    if (trace_db_prepare(tdb, "SELECT addr, len, blob FROM mem_write WHERE seq = ?1 ORDER BY addr",
                         &memory->writes_at_seq) < 0 ||
        trace_db_prepare(tdb, "SELECT blob FROM mem_read WHERE seq = ?1 AND addr = ?2",
                         &memory->path_at_seq) < 0) {
        sqlite3_finalize(memory->writes_at_seq);
        free(memory);
        return NULL;
    }
    return memory;
}

void trace_memory_free(struct trace_memory *memory)
{
    if (!memory)
        return;
    for (int i = 0; i < BLOB_CACHE_SLOTS; i++)
        free(memory->cache[i].bytes);
    sqlite3_finalize(memory->writes_at_seq);
    sqlite3_finalize(memory->path_at_seq);
    free(memory);
}

const unsigned char *trace_memory_blob(struct trace_memory *memory, int64_t id, size_t *len)
{
    struct cached_blob *slot = &memory->cache[0];
    for (int i = 0; i < BLOB_CACHE_SLOTS; i++) {
        struct cached_blob *c = &memory->cache[i];
        if (c->bytes && c->id == id) {
            c->last_used = ++memory->clock;
            *len = c->len;
            return c->bytes;
        }
        if (!c->bytes || c->last_used < slot->last_used)
            slot = c;
    }
    void *bytes;
    size_t size;
    if (blob_store_get(memory->tdb->store, id, &bytes, &size) < 0)
        return NULL;
    free(slot->bytes);
    *slot = (struct cached_blob){id, bytes, size, ++memory->clock};
    *len = size;
    return slot->bytes;
}

/* Copy from a mapping's snapshot; a mapping without a blob was all zeros. */
static size_t copy_from_row(struct trace_memory *memory, const struct mapping_row *row, uint64_t addr,
                            void *buf, size_t max)
{
    uint64_t available = row->end - addr;
    size_t want = max < available ? max : (size_t)available;
    if (!row->blob) {
        memset(buf, 0, want);
        return want;
    }
    size_t len;
    const unsigned char *bytes = trace_memory_blob(memory, row->blob, &len);
    uint64_t at = addr - row->start;
    if (!bytes || at >= len)
        return 0;
    if (want > len - at)
        want = (size_t)(len - at);
    memcpy(buf, bytes + at, want);
    return want;
}

/* What the kernel wrote during event `seq`, contiguous from addr. */
static size_t read_kernel_writes(struct trace_memory *memory, int64_t seq, uint64_t addr,
                                 unsigned char *buf, size_t max)
{
    sqlite3_stmt *stmt = memory->writes_at_seq;
    size_t got = 0;
    sqlite3_bind_int64(stmt, 1, seq);
    while (got < max && sqlite3_step(stmt) == SQLITE_ROW) {
        uint64_t start = (uint64_t)sqlite3_column_int64(stmt, 0);
        uint64_t len = (uint64_t)sqlite3_column_int64(stmt, 1);
        uint64_t want = addr + got;
        if (want < start || want >= start + len)
            continue;
        size_t blob_len;
        const unsigned char *bytes = trace_memory_blob(memory, sqlite3_column_int64(stmt, 2), &blob_len);
        if (!bytes || blob_len < len)
            break;
        size_t n = (size_t)(start + len - want);
        if (n > max - got)
            n = max - got;
        memcpy(buf + got, bytes + (want - start), n);
        got += n;
    }
    sqlite3_reset(stmt);
    return got;
}

static bool trusted_snapshot(const struct mapping_index *maps, const struct mapping_row *row,
                             int32_t pid, int64_t seq, uint64_t addr)
{
    /* MAP_PRIVATE, never writable: nothing but the kernel's mapping made it. */
    return (row->flags & 3) == MAP_PRIVATE && !(row->prot & PROT_WRITE) &&
           !mapping_index_made_writable(maps, pid, row->seq, seq, addr);
}

size_t trace_memory_read(struct trace_memory *memory, int64_t seq, int32_t pid, uint64_t addr,
                         void *buf, size_t max)
{
    size_t got = read_kernel_writes(memory, seq, addr, buf, max);
    if (got)
        return got;
    struct mapping_index *maps = trace_db_maps(memory->tdb);
    if (!maps)
        return 0;
    while (got < max) {
        const struct mapping_row *row = mapping_index_find(maps, pid, seq, addr + got);
        if (!row || !trusted_snapshot(maps, row, pid, seq, addr + got))
            break;
        size_t n = copy_from_row(memory, row, addr + got, (unsigned char *)buf + got, max - got);
        if (!n)
            break;
        got += n;
    }
    return got;
}

size_t trace_memory_read_at_exec(struct trace_memory *memory, int64_t exec_seq, int32_t pid,
                                 uint64_t addr, void *buf, size_t max)
{
    struct mapping_index *maps = trace_db_maps(memory->tdb);
    size_t got = 0;
    while (maps && got < max) {
        const struct mapping_row *row = mapping_index_find(maps, pid, exec_seq, addr + got);
        if (!row || row->seq != exec_seq)
            break;
        size_t n = copy_from_row(memory, row, addr + got, (unsigned char *)buf + got, max - got);
        if (!n)
            break;
        got += n;
    }
    return got;
}

/* The path string the recorder kept for argument address `addr` of event
 * `seq`, if it kept one. */
static int kept_path(struct trace_memory *memory, int64_t seq, uint64_t addr, char *buf, size_t size)
{
    sqlite3_stmt *stmt = memory->path_at_seq;
    sqlite3_bind_int64(stmt, 1, seq);
    sqlite3_bind_int64(stmt, 2, (int64_t)addr);
    int found = 0;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
        size_t len;
        const unsigned char *bytes = trace_memory_blob(memory, sqlite3_column_int64(stmt, 0), &len);
        if (bytes && len > 0 && len <= size && memchr(bytes, '\0', len)) {
            memcpy(buf, bytes, len);
            found = 1;
        }
    }
    sqlite3_reset(stmt);
    return found;
}

int trace_memory_string(struct trace_memory *memory, int64_t seq, int32_t pid, uint64_t addr,
                        char *buf, size_t size)
{
    if (!addr || size == 0)
        return 0;
    if (kept_path(memory, seq, addr, buf, size))
        return 1;
    size_t known = trace_memory_read(memory, seq, pid, addr, buf, size);
    if (!memchr(buf, '\0', known))
        return 0;
    return 1;
}
