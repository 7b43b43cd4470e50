/*
 * trace_memory.c — bytes of recorded memory known for certain (see
 * trace_memory.h), with a small cache of decompressed blobs. Part of the
 * trace store's readers: it uses the stores' SQLite handles.
 */
#include "trace_memory.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "array_grow.h"
#include "blob_store.h"
#include "error.h"
#include "mapping_index.h"
#include "trace_store_internal.h"

enum { BLOB_CACHE_SLOTS = 8 };

struct cached_blob {
    struct trace_store *store; /* blob ids are per trace */
    int64_t id;
    unsigned char *bytes;
    size_t len;
    uint64_t last_used;
};

/* One mem_write row of the event being read. */
struct kernel_write {
    uint64_t start, len;
    int64_t blob;
};

struct trace_memory {
    struct trace_store *events, *mappings;
    const struct mapping_index *index;
    struct cached_blob cache[BLOB_CACHE_SLOTS];
    uint64_t clock;
    sqlite3_stmt *writes_at_seq;
    sqlite3_stmt *path_at_seq;    /* mem_read: the path strings kept at syscall entry */
    struct kernel_write *writes;  /* of the event last read, in the order written */
    int write_count, write_capacity;
};

struct trace_memory *trace_memory_new(struct trace_store *events, struct trace_store *mappings,
                                      const struct mapping_index *index)
{
    struct trace_memory *memory = calloc(1, sizeof *memory);
    if (!memory) {
        error_set("out of memory");
        return NULL;
    }
    *memory = (struct trace_memory){.events = events, .mappings = mappings, .index = index};
    if (sqlite3_prepare_v2(events->db, "SELECT addr, len, blob FROM mem_write WHERE seq = ?1 ORDER BY rowid", -1,
                           &memory->writes_at_seq, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(events->db, "SELECT blob FROM mem_read WHERE seq = ?1 AND addr = ?2", -1,
                           &memory->path_at_seq, NULL) != SQLITE_OK) {
        trace_store_fail(events, "reading recorded memory");
        trace_memory_free(memory);
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
    free(memory->writes);
    free(memory);
}

static const unsigned char *cached_blob(struct trace_memory *memory, struct trace_store *store, int64_t id,
                                        size_t *len)
{
    struct cached_blob *slot = &memory->cache[0];
    for (int i = 0; i < BLOB_CACHE_SLOTS; i++) {
        struct cached_blob *c = &memory->cache[i];
        if (c->bytes && c->store == store && c->id == id) {
            c->last_used = ++memory->clock;
            *len = c->len;
            return c->bytes;
        }
        if (!c->bytes || c->last_used < slot->last_used)
            slot = c;
    }
    void *bytes;
    size_t size;
    if (blob_store_get(store, id, &bytes, &size) < 0)
        return NULL;
    free(slot->bytes);
    *slot = (struct cached_blob){store, id, bytes, size, ++memory->clock};
    *len = size;
    return slot->bytes;
}

const unsigned char *trace_memory_blob(struct trace_memory *memory, int64_t id, size_t *len)
{
    return cached_blob(memory, memory->events, id, len);
}

const unsigned char *trace_memory_mapping_blob(struct trace_memory *memory, int64_t id, size_t *len)
{
    if (!memory->mappings) {
        error_set("no mappings are known");
        return NULL;
    }
    return cached_blob(memory, memory->mappings, id, len);
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
    const unsigned char *bytes = trace_memory_mapping_blob(memory, row->blob, &len);
    uint64_t at = addr - row->start;
    if (!bytes || at >= len)
        return 0;
    if (want > len - at)
        want = (size_t)(len - at);
    memcpy(buf, bytes + at, want);
    return want;
}

/* Read the mem_write rows of event `seq` into memory->writes: their count, or -1. */
static int load_kernel_writes(struct trace_memory *memory, int64_t seq)
{
    sqlite3_stmt *stmt = memory->writes_at_seq;
    sqlite3_bind_int64(stmt, 1, seq);
    memory->write_count = 0;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct kernel_write *writes = array_grow(memory->writes, &memory->write_capacity, memory->write_count + 1, sizeof *writes, 8);
        if (!writes)
            break;
        memory->writes = writes;
        memory->writes[memory->write_count++] = (struct kernel_write){
            (uint64_t)sqlite3_column_int64(stmt, 0), (uint64_t)sqlite3_column_int64(stmt, 1),
            sqlite3_column_int64(stmt, 2)};
    }
    sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? memory->write_count : -1;
}

/* The write that left byte `at` as it is after the event (the last one
 * covering it), or -1. */
static int last_write_covering(const struct trace_memory *memory, uint64_t at)
{
    for (int i = memory->write_count - 1; i >= 0; i--)
        if (at >= memory->writes[i].start && at - memory->writes[i].start < memory->writes[i].len)
            return i;
    return -1;
}

/* What the kernel wrote during event `seq`, contiguous from addr. */
static size_t read_kernel_writes(struct trace_memory *memory, int64_t seq, uint64_t addr,
                                 unsigned char *buf, size_t max)
{
    if (load_kernel_writes(memory, seq) <= 0)
        return 0;
    size_t got = 0;
    int w;
    while (got < max && (w = last_write_covering(memory, addr + got)) >= 0) {
        const struct kernel_write *write = &memory->writes[w];
        uint64_t at = addr + got, end = write->start + write->len;
        for (int later = w + 1; later < memory->write_count; later++)
            if (memory->writes[later].start > at && memory->writes[later].start < end)
                end = memory->writes[later].start; /* from there a later write holds the bytes */
        size_t blob_len;
        const unsigned char *bytes = trace_memory_blob(memory, write->blob, &blob_len);
        if (!bytes || blob_len < write->len)
            break;
        size_t n = end - at < max - got ? (size_t)(end - at) : max - got;
        memcpy(buf + got, bytes + (at - write->start), n);
        got += n;
    }
    return got;
}

/* Whether the snapshot of `row` still holds what task `tid` saw at `addr`
 * at event `seq`: a private mapping (a file's, or anonymous memory) that
 * nothing but the kernel's mapping wrote — never writable since it was made. */
static bool trusted_snapshot(const struct mapping_index *index, const struct mapping_row *row,
                             int32_t tid, int64_t seq, uint64_t addr)
{
    bool file_or_anonymous = !row->path || row->path[0] == '/'; /* not [vvar] & co: the kernel's */
    return file_or_anonymous && (row->flags & (MAP_PRIVATE | MAP_SHARED)) == MAP_PRIVATE &&
           !(row->prot & PROT_WRITE) && !mapping_index_made_writable(index, tid, row->seq, seq, addr);
}

/* Bytes from the snapshots of the mappings that hold them, contiguous from
 * addr: those trusted at `seq`, or (at_exec) those the exec event `seq` made. */
static size_t read_snapshots(struct trace_memory *memory, int32_t tid, int64_t seq, bool at_exec,
                             uint64_t addr, unsigned char *buf, size_t max)
{
    size_t got = 0;
    while (memory->index && got < max) {
        const struct mapping_row *row = mapping_index_find(memory->index, tid, seq, addr + got);
        if (!row || (at_exec ? row->seq != seq : !trusted_snapshot(memory->index, row, tid, seq, addr + got)))
            break;
        size_t n = copy_from_row(memory, row, addr + got, buf + got, max - got);
        if (!n)
            break;
        got += n;
    }
    return got;
}

static size_t read_kept_path(struct trace_memory *memory, int64_t seq, uint64_t addr, unsigned char *buf,
                             size_t max);

size_t trace_memory_read(struct trace_memory *memory, int32_t tid, int64_t seq, uint64_t addr,
                         void *buf, size_t max)
{
    size_t got = read_kernel_writes(memory, seq, addr, buf, max);
    if (!got)
        got = read_kept_path(memory, seq, addr, buf, max);
    return got ? got : read_snapshots(memory, tid, seq, false, addr, buf, max);
}

size_t trace_memory_read_at_exec(struct trace_memory *memory, int32_t tid, int64_t exec_seq,
                                 uint64_t addr, void *buf, size_t max)
{
    return read_snapshots(memory, tid, exec_seq, true, addr, buf, max);
}

/* The path string the recorder kept at the entry of event `seq` for
 * argument address `addr` (its NUL included, at most `max` bytes of it), when
 * it kept one: the kernel only reads a path, so the bytes are still those
 * after the call unless a kernel write of the event covers them (read first). */
static size_t read_kept_path(struct trace_memory *memory, int64_t seq, uint64_t addr, unsigned char *buf,
                             size_t max)
{
    sqlite3_stmt *stmt = memory->path_at_seq;
    sqlite3_bind_int64(stmt, 1, seq);
    sqlite3_bind_int64(stmt, 2, (int64_t)addr);
    size_t got = 0;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
        size_t len;
        const unsigned char *bytes = trace_memory_blob(memory, sqlite3_column_int64(stmt, 0), &len);
        if (bytes) {
            got = len < max ? len : max;
            memcpy(buf, bytes, got);
        }
    }
    sqlite3_reset(stmt);
    return got;
}

int trace_memory_string(struct trace_memory *memory, int32_t tid, int64_t seq, uint64_t addr,
                        char *buf, size_t size)
{
    if (!addr || size == 0)
        return 0;
    size_t known = trace_memory_read(memory, tid, seq, addr, buf, size);
    return memchr(buf, '\0', known) != NULL;
}
