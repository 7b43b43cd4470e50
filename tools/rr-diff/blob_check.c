/*
 * blob_check.c — each blob of a trace verified once (see blob_check.h). The
 * ids already verified are kept in an open-addressing set (0 marks a free
 * slot: blob ids start at 1), grown at half full.
 */
#include "blob_check.h"

#include <stdlib.h>

#include "blob_store.h"
#include "content_hash.h"
#include "error.h"
#include "trace_store.h"

struct blob_check {
    struct trace_store *store;
    int64_t *ids;
    size_t capacity, count;   /* capacity: a power of two */
};

struct blob_check *blob_check_new(struct trace_store *store)
{
    struct blob_check *check = calloc(1, sizeof *check);
    if (check)
        check->ids = calloc(check->capacity = 256, sizeof *check->ids);
    if (!check || !check->ids) {
        free(check);
        error_set("out of memory");
        return NULL;
    }
    check->store = store;
    return check;
}

void blob_check_free(struct blob_check *check)
{
    if (!check)
        return;
    free(check->ids);
    free(check);
}

static size_t slot_of(const struct blob_check *check, int64_t id)
{
    size_t slot = (size_t)((uint64_t)id * 0x9e3779b97f4a7c15ull) & (check->capacity - 1);
    while (check->ids[slot] && check->ids[slot] != id)
        slot = (slot + 1) & (check->capacity - 1);
    return slot;
}

static int grow(struct blob_check *check)
{
    struct blob_check bigger = {check->store, calloc(check->capacity * 2, sizeof *check->ids),
                                check->capacity * 2, check->count};
    if (!bigger.ids) {
        error_set("out of memory");
        return -1;
    }
    for (size_t i = 0; i < check->capacity; i++)
        if (check->ids[i])
            bigger.ids[slot_of(&bigger, check->ids[i])] = check->ids[i];
    free(check->ids);
    *check = bigger;
    return 0;
}

int blob_check_verify(struct blob_check *check, int64_t id, uint64_t hash)
{
    size_t slot = slot_of(check, id);
    if (check->ids[slot] == id)
        return 0;
    void *data;
    size_t len;
    if (blob_store_get(check->store, id, &data, &len) < 0)
        return -1;
    uint64_t actual = content_hash(data, len);
    free(data);
    if (actual != hash) {
        error_set("trace %s: blob %lld is corrupt: its bytes do not match their hash",
                  trace_store_path(check->store), (long long)id);
        return -1;
    }
    check->ids[slot] = id;
    if (++check->count * 2 > check->capacity)
        return grow(check);
    return 0;
}
