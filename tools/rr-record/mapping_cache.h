/*
 * mapping_cache.h — a file mapped again is not read again.
 *
 * Exec capture and mmap store each new file mapping's contents as a blob,
 * which means reading the mapped memory, hashing it and looking the blob up
 * (a compiler's 30 MB binary at every exec of it). A new mapping of a
 * regular file holds what the file holds there, so the recorder remembers
 * the blob per (how it was mapped, the file's device, inode, size, mtime and
 * ctime, offset, length) and stores the same blob again without reading.
 *
 * A file changed after it was remembered has a newer ctime, so its key
 * differs. Timestamps are coarse (a clock tick): a file whose mtime or ctime
 * is less than two seconds old is not remembered, as it could still change
 * within the same tick (what git calls a racily clean file). The exec
 * loader's mapping of a writable segment is not the file's bytes (it clears
 * the page past the segment's data), so exec and mmap mappings are keyed
 * apart.
 */
#ifndef RRDB_MAPPING_CACHE_H
#define RRDB_MAPPING_CACHE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct recorder;
struct task;
struct trace_mapping;

enum mapping_origin { MAPPING_AT_EXEC, MAPPING_BY_MMAP };

struct mapping_key {
    uint64_t device, inode, size;
    int64_t mtime_sec, mtime_nsec, ctime_sec, ctime_nsec;
    uint64_t offset, length;
    int prot, flags;
    enum mapping_origin origin;
};

struct mapping_cache_entry {
    struct mapping_key key;
    int64_t blob; /* 0: all zeros */
    bool used;
};

struct mapping_cache {
    struct mapping_cache_entry *slots;
    size_t slot_count; /* a power of two, or 0 */
    size_t used;
};

/* The key of mapping `m` of task `tid`: of the file /proc/tid/fd/`fd`
 * (mmap), or (fd < 0, exec capture) of m->path when that is still the
 * mapped file (m->device and m->inode, from /proc/PID/maps). false when the
 * mapping is not worth remembering or not safely: no regular file, a file
 * replaced or changed too recently. */
bool mapping_cache_key(pid_t tid, int fd, const struct trace_mapping *m, enum mapping_origin origin,
                       struct mapping_key *key);
/* The blob stored for `key`: true with *blob, or false. */
bool mapping_cache_find(const struct mapping_cache *cache, const struct mapping_key *key, int64_t *blob);
/* Remember `blob` for `key`. 0, or -1 (out of memory: the cache is simply
 * not used for it, no error set). */
int mapping_cache_add(struct mapping_cache *cache, const struct mapping_key *key, int64_t blob);
void mapping_cache_free(struct mapping_cache *cache);

/* Store new mapping `m` of `task` (made by event `seq`; fd: the file mmap
 * mapped, or -1 at exec) with its contents: the blob remembered for it, or
 * its memory read now (at exec, all zeros are stored as none), then
 * remembered. 0, or -1 with the error set. */
int mapping_cache_store(struct recorder *rec, struct task *task, int64_t seq, struct trace_mapping *m, int fd,
                        enum mapping_origin origin);

#endif
