/*
 * trace_verify.c — the reader's side of the integrity chain: walk the batch
 * table in order, recompute each batch's hash from its rows
 * (trace_batch_hash, the writer's own function), and at the end check that
 * nothing lies beyond the last batch and that the seal matches.
 *
 * A damaged trace stays damaged: the first failure is kept, and every later
 * call repeats it, so a tool that reads on after ignoring one still stops.
 */
#include "trace_verify.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "trace_batch.h"
#include "trace_store_internal.h"

static bool chained(const struct trace_store *store)
{
    return store->format_version >= TRACE_BATCH_FORMAT_VERSION;
}

int trace_verify_start(struct trace_store *store)
{
    if (chained(store))
        return 0;
    error_set("warning: trace %s has format version %d, from before traces carried checksums: it is read"
              " without verifying it", store->path, store->format_version);
    return 1;
}

static int damaged(struct trace_store *store, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int damaged(struct trace_store *store, const char *fmt, ...)
{
    char what[256];
    va_list args;
    va_start(args, fmt);
    vsnprintf(what, sizeof what, fmt, args);
    va_end(args);
    snprintf(store->verify_failure, sizeof store->verify_failure, "trace %s is damaged: %s", store->path, what);
    error_set("%s", store->verify_failure);
    return -1;
}

/* Read batch `id` into *mark: 1 found, 0 no such batch, -1 error. */
static int load_batch(struct trace_store *store, int64_t id, struct trace_batch_mark *mark)
{
    if (trace_store_prepare(store, &store->select_batch,
                            "SELECT event, mem_write, mem_read, passed_output, output, mapping, blob,"
                            " syscall_info, hash FROM batch WHERE id = ?") < 0)
        return -1;
    sqlite3_stmt *stmt = store->select_batch;
    sqlite3_bind_int64(stmt, 1, id);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        mark->id = id;
        for (int t = 0; t < TRACE_BATCH_TABLES; t++)
            mark->high[t] = sqlite3_column_int64(stmt, t);
        mark->hash = (uint64_t)sqlite3_column_int64(stmt, TRACE_BATCH_TABLES);
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return trace_store_fail(store, "reading the batch checksums");
    return rc == SQLITE_ROW;
}

/* Verify the batch after the last verified one. 1 verified, 0 there is
 * none (the chain ends), -1 damaged or error. */
static int verify_next_batch(struct trace_store *store)
{
    const struct trace_batch_mark *previous = &store->verified_batch;
    struct trace_batch_mark next;
    int found = load_batch(store, previous->id + 1, &next);
    if (found <= 0) {
        store->verify_chain_ended = found == 0;
        return found;
    }
    for (int t = 0; t < TRACE_BATCH_TABLES; t++)
        if (next.high[t] < previous->high[t])
            return damaged(store, "batch %lld goes back in table %s", (long long)next.id, trace_batch_tables[t]);
    uint64_t hash;
    if (trace_batch_hash(store, previous, &next, &hash) < 0)
        return -1;
    if (hash != next.hash) {
        if (next.high[0] == previous->high[0])
            return damaged(store, "batch %lld (no events) does not match its checksum", (long long)next.id);
        long long first = previous->high[0] == TRACE_BATCH_NO_ROW ? 0 : (long long)previous->high[0] + 1;
        return damaged(store, "batch %lld (events %lld to %lld) does not match its checksum", (long long)next.id,
                       first, (long long)next.high[0]);
    }
    store->verified_batch = next;
    return 1;
}

int trace_verify_through(struct trace_store *store, int64_t seq)
{
    if (!chained(store))
        return 0;
    if (store->verify_failure[0]) {
        error_set("%s", store->verify_failure);
        return -1;
    }
    while (!store->verify_chain_ended && store->verified_batch.high[0] < seq) {
        if (verify_next_batch(store) < 0)
            return -1;
    }
    /* An event past the last batch was never committed with a checksum. */
    if (store->verified_batch.high[0] < seq)
        return damaged(store, "event %lld lies after the last checksummed batch (%lld)", (long long)seq,
                       (long long)store->verified_batch.id);
    return 0;
}

/* No table has rows beyond the last batch's marks. */
static int check_nothing_after(struct trace_store *store)
{
    for (int t = 0; t < TRACE_BATCH_TABLES; t++) {
        char sql[64];
        snprintf(sql, sizeof sql, "SELECT max(rowid) FROM %s", trace_batch_tables[t]);
        sqlite3_stmt *stmt;
        if (sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL) != SQLITE_OK)
            return trace_store_fail(store, "reading the trace's last rows");
        int rc = sqlite3_step(stmt);
        bool empty = rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) == SQLITE_NULL;
        int64_t high = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
        sqlite3_finalize(stmt);
        if (rc != SQLITE_ROW)
            return trace_store_fail(store, "reading the trace's last rows");
        if (!empty && high > store->verified_batch.high[t])
            return damaged(store, "table %s has rows after the last checksummed batch (%lld)",
                           trace_batch_tables[t], (long long)store->verified_batch.id);
    }
    return 0;
}

static enum trace_end sealed_end(struct trace_store *store)
{
    char *end = trace_store_get_meta(store, "end");
    bool complete = end && strcmp(end, "complete") == 0;
    free(end);
    return complete ? TRACE_END_COMPLETE : TRACE_END_STOPPED;
}

int trace_verify_end(struct trace_store *store, enum trace_end *end)
{
    *end = TRACE_END_UNVERIFIED;
    if (!chained(store))
        return 0;
    if (store->verify_failure[0]) {
        error_set("%s", store->verify_failure);
        return -1;
    }
    while (!store->verify_chain_ended)
        if (verify_next_batch(store) < 0)
            return -1;
    if (check_nothing_after(store) < 0)
        return -1;
    char *seal_text = trace_store_get_meta(store, "seal");
    if (!seal_text) {
        if (error_text()[0])
            return -1;
        *end = TRACE_END_CUT_SHORT;
        return 0;
    }
    char *rest;
    uint64_t recorded = strtoull(seal_text, &rest, 16);
    bool well_formed = *seal_text && !*rest;
    free(seal_text);
    uint64_t seal;
    if (trace_batch_seal_hash(store, store->verified_batch.hash, &seal) < 0)
        return -1;
    if (!well_formed || seal != recorded)
        return damaged(store, "its seal does not match its metadata, its task table or its last batch (%lld)",
                       (long long)store->verified_batch.id);
    *end = sealed_end(store);
    return 0;
}
