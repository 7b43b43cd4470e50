/*
 * trace_store_internal.h — the trace handle's fields, shared by the files that
 * implement the trace store and its readers (trace_store.c, blob_store.c,
 * event_log.c, task_stream.c, output_log.c, trace_batch.c, trace_verify.c, and trace_reader with what it
 * builds: trace_tasks, mapping_index, trace_memory, exec_info, tracee_stops)
 * and by nothing outside libtrace.
 */
#ifndef RRDB_TRACE_STORE_INTERNAL_H
#define RRDB_TRACE_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/user.h>

#include "trace_batch.h"
#include "trace_store.h"

/* The last registers seen per task, for the compact register encoding. */
struct regs_baseline {
    int32_t tid;
    struct user_regs_struct regs;
};

struct regs_baselines {
    struct regs_baseline *items;
    int count, capacity;
};

struct trace_store {
    sqlite3 *db;
    char *path;
    bool writable;
    int format_version;
    bool in_batch;
    bool out_of_space;              /* a write failed: disk, quota or RLIMIT_FSIZE full */
    int batch_events;
    int64_t batch_started_ms;
    int64_t created_ms;             /* coarse monotonic clock when the file was created */

    /* writer statements */
    sqlite3_stmt *insert_event;
    sqlite3_stmt *insert_mem_write;
    sqlite3_stmt *insert_mapping;
    sqlite3_stmt *insert_passed_output;
    sqlite3_stmt *insert_mem_read;
    sqlite3_stmt *insert_output;
    sqlite3_stmt *find_blob;
    sqlite3_stmt *insert_blob;
    sqlite3_stmt *upsert_task;
    sqlite3_stmt *finish_task;

    /* reader statements */
    sqlite3_stmt *select_blob;
    sqlite3_stmt *select_events;
    sqlite3_stmt *select_mem_writes;
    sqlite3_stmt *select_mappings;
    sqlite3_stmt *select_passed_output;
    sqlite3_stmt *select_output;

    /* the integrity chain (trace_batch.c, trace_verify.c) */
    sqlite3_stmt *insert_batch;
    sqlite3_stmt *select_batch;
    sqlite3_stmt *select_batch_rows[TRACE_BATCH_TABLES];
    sqlite3_stmt *select_batch_high[TRACE_BATCH_TABLES];
    struct trace_batch_mark written_batch;  /* the last batch written */
    struct trace_batch_mark verified_batch; /* the last batch verified */
    bool verify_chain_ended;                /* no batch after verified_batch */
    char verify_failure[512];               /* the first damage found, kept */

    struct regs_baselines write_baselines;
    struct regs_baselines read_baselines;
};

/* Prepare `sql` into *stmt once (NULL until first use). */
int trace_store_prepare(struct trace_store *store, sqlite3_stmt **stmt, const char *sql);
/* The next row of a prepared-once query that reads a table in order:
 * 1 a row is there, 0 no more, -1 error (naming `doing`). */
int trace_store_next_row(struct trace_store *store, sqlite3_stmt **stmt, const char *sql, const char *doing);
/* Record an SQLite failure as the current error, naming what was being done. */
int trace_store_fail(struct trace_store *store, const char *doing);
/* Per-task baseline registers for the delta encoding (created zeroed). */
struct user_regs_struct *regs_baseline_for(struct regs_baselines *set, int32_t tid);

#endif
