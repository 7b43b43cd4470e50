/*
 * mapping_cache.c — the blobs of file mappings already stored in this trace
 * (see mapping_cache.h): an open-addressing hash table keyed by file
 * identity and the mapping's place in the file.
 */
#include "mapping_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "event_log.h"
#include "recorder.h"

/* How old a file's timestamps must be before its contents are trusted to
 * stay what they were read as (well above any filesystem's clock tick). */
enum { RACY_SECONDS = 2, FIRST_SLOTS = 256 };

static bool recent(const struct timespec *when, const struct timespec *now)
{
    return when->tv_sec > now->tv_sec - RACY_SECONDS;
}

bool mapping_cache_key(pid_t tid, int fd, const struct trace_mapping *m, enum mapping_origin origin,
                       struct mapping_key *key)
{
    struct stat st;
    if (fd >= 0) {
        char link[64];
        snprintf(link, sizeof link, "/proc/%d/fd/%d", tid, fd);
        if (stat(link, &st) < 0)
            return false;
    } else if (m->inode == 0 || m->path[0] != '/' || stat(m->path, &st) < 0 || st.st_ino != m->inode ||
               st.st_dev != m->device) {
        return false;
    }
    struct timespec now;
    if (!S_ISREG(st.st_mode) || clock_gettime(CLOCK_REALTIME_COARSE, &now) < 0 || recent(&st.st_mtim, &now) ||
        recent(&st.st_ctim, &now))
        return false;
    key->device = st.st_dev;
    key->inode = st.st_ino;
    key->size = (uint64_t)st.st_size;
    key->mtime_sec = st.st_mtim.tv_sec;
    key->mtime_nsec = st.st_mtim.tv_nsec;
    key->ctime_sec = st.st_ctim.tv_sec;
    key->ctime_nsec = st.st_ctim.tv_nsec;
    key->offset = m->offset;
    key->length = m->end - m->start;
    key->prot = m->prot;
    key->flags = m->flags;
    key->origin = origin;
    return true;
}

static bool keys_equal(const struct mapping_key *a, const struct mapping_key *b)
{
    return a->device == b->device && a->inode == b->inode && a->size == b->size && a->mtime_sec == b->mtime_sec &&
           a->mtime_nsec == b->mtime_nsec && a->ctime_sec == b->ctime_sec && a->ctime_nsec == b->ctime_nsec &&
           a->offset == b->offset && a->length == b->length && a->prot == b->prot && a->flags == b->flags &&
           a->origin == b->origin;
}

static size_t key_hash(const struct mapping_key *key)
{
    const uint64_t fields[] = {key->device, key->inode, (uint64_t)key->mtime_nsec, key->offset, key->length};
    uint64_t h = 1469598103934665603ull; /* FNV-1a over the fields that tell files and places apart */
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        for (int byte = 0; byte < 8; byte++)
            h = (h ^ ((fields[i] >> (8 * byte)) & 0xff)) * 1099511628211ull;
    return (size_t)h;
}

/* The slot holding `key`, or the empty slot where it would go. */
static struct mapping_cache_entry *slot_for(const struct mapping_cache *cache, const struct mapping_key *key)
{
    size_t mask = cache->slot_count - 1;
    for (size_t i = key_hash(key) & mask;; i = (i + 1) & mask) {
        struct mapping_cache_entry *e = &cache->slots[i];
        if (!e->used || keys_equal(&e->key, key))
            return e;
    }
}

bool mapping_cache_find(const struct mapping_cache *cache, const struct mapping_key *key, int64_t *blob)
{
    if (cache->slot_count == 0)
        return false;
    const struct mapping_cache_entry *e = slot_for(cache, key);
    if (!e->used)
        return false;
    *blob = e->blob;
    return true;
}

static int grow(struct mapping_cache *cache)
{
    struct mapping_cache bigger = {.slot_count = cache->slot_count ? cache->slot_count * 2 : FIRST_SLOTS};
    bigger.slots = calloc(bigger.slot_count, sizeof *bigger.slots);
    if (!bigger.slots)
        return -1;
    for (size_t i = 0; i < cache->slot_count; i++)
        if (cache->slots[i].used) {
            *slot_for(&bigger, &cache->slots[i].key) = cache->slots[i];
            bigger.used++;
        }
    free(cache->slots);
    *cache = bigger;
    return 0;
}

int mapping_cache_add(struct mapping_cache *cache, const struct mapping_key *key, int64_t blob)
{
    /* At most half full, so a search always meets an empty slot. */
    if ((cache->used + 1) * 2 > cache->slot_count && grow(cache) < 0)
        return -1;
    struct mapping_cache_entry *e = slot_for(cache, key);
    if (!e->used)
        cache->used++;
    *e = (struct mapping_cache_entry){.key = *key, .blob = blob, .used = true};
    return 0;
}

void mapping_cache_free(struct mapping_cache *cache)
{
    free(cache->slots);
    *cache = (struct mapping_cache){0};
}

static bool is_all_zero(const unsigned char *bytes, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (bytes[i])
            return false;
    return true;
}

int mapping_cache_store(struct recorder *rec, struct task *task, int64_t seq, struct trace_mapping *m, int fd,
                        enum mapping_origin origin)
{
    struct mapping_key key;
    bool cacheable = mapping_cache_key(task->tid, fd, m, origin, &key);
    if (cacheable && mapping_cache_find(&rec->mapping_cache, &key, &m->blob))
        return event_log_add_mapping_blob(rec->store, seq, m);
    const unsigned char *contents = recorder_copy_memory(rec, task, m->start, m->end - m->start);
    if (!contents)
        return -1;
    if (origin == MAPPING_AT_EXEC && is_all_zero(contents, m->end - m->start))
        contents = NULL;
    if (event_log_add_mapping(rec->store, seq, m, contents) < 0)
        return -1;
    if (cacheable)
        mapping_cache_add(&rec->mapping_cache, &key, m->blob);
    return 0;
}
