/*
 * event_memory.c — known bytes of a program's memory at an event (see
 * event_memory.h).
 *
 * A mapping counts only if it was created without PROT_WRITE: writable file
 * mappings (.data, RELRO before ld.so protects it) change after their
 * snapshot. The last mapping snapshot read is kept decompressed, as reports
 * ask for several strings of the same library in a row. Part of the trace
 * store's implementation: it reads the SQLite handle directly.
 */
#include "event_memory.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "blob_store.h"
#include "error.h"
#include "mapping_lookup.h"
#include "trace_store_internal.h"

struct event_memory {
    struct trace_store *writes, *mappings;
    int64_t cached_blob;        /* 0: nothing cached */
    unsigned char *cached;
    size_t cached_len;
};

struct event_memory *event_memory_new(struct trace_store *writes, struct trace_store *mappings)
{
    struct event_memory *memory = calloc(1, sizeof *memory);
    if (!memory) {
        error_set("out of memory");
        return NULL;
    }
    memory->writes = writes;
    memory->mappings = mappings;
    return memory;
}

void event_memory_free(struct event_memory *memory)
{
    if (!memory)
        return;
    free(memory->cached);
    free(memory);
}

/* From the kernel's writes during event `seq` (the last write of a byte wins). */
static size_t read_kernel_writes(struct event_memory *memory, int64_t seq, uint64_t addr,
                                 unsigned char *buf, size_t max)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(memory->writes->db,
                           "SELECT addr, len, blob FROM mem_write WHERE seq = ? AND addr <= ?"
                           " AND addr + len > ? ORDER BY rowid DESC LIMIT 1", -1, &stmt, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_int64(stmt, 1, seq);
    sqlite3_bind_int64(stmt, 2, (int64_t)addr);
    sqlite3_bind_int64(stmt, 3, (int64_t)addr);
    size_t known = 0;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
        uint64_t start = (uint64_t)sqlite3_column_int64(stmt, 0);
        void *data;
        size_t len;
        if (blob_store_get(memory->writes, sqlite3_column_int64(stmt, 2), &data, &len) == 0) {
            size_t offset = (size_t)(addr - start);
            known = offset < len ? len - offset : 0;
            known = known < max ? known : max;
            memcpy(buf, (unsigned char *)data + offset, known);
            free(data);
        }
    }
    sqlite3_finalize(stmt);
    return known;
}

static size_t read_mapping(struct event_memory *memory, int32_t tid, int64_t seq, uint64_t addr,
                           unsigned char *buf, size_t max)
{
    struct trace_mapping mapping;
    if (!memory->mappings || mapping_lookup(memory->mappings, tid, seq, addr, &mapping) != 1 ||
        mapping.prot & PROT_WRITE || mapping.path[0] != '/' || !mapping.blob)
        return 0;
    if (memory->cached_blob != mapping.blob) {
        void *data;
        size_t len;
        if (blob_store_get(memory->mappings, mapping.blob, &data, &len) < 0)
            return 0;
        free(memory->cached);
        memory->cached = data;
        memory->cached_len = len;
        memory->cached_blob = mapping.blob;
    }
    size_t offset = (size_t)(addr - mapping.start);
    size_t known = offset < memory->cached_len ? memory->cached_len - offset : 0;
    known = known < max ? known : max;
    memcpy(buf, memory->cached + offset, known);
    return known;
}

size_t event_memory_read(struct event_memory *memory, int32_t tid, int64_t seq, uint64_t addr,
                         void *buf, size_t max)
{
    size_t known = read_kernel_writes(memory, seq, addr, buf, max);
    if (known == 0)
        known = read_mapping(memory, tid, seq, addr, buf, max);
    error_set("%s", ""); /* unknown bytes are an answer, not a failure */
    return known;
}
