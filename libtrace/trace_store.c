/*
 * trace_store.c — creating and opening trace files, metadata, and the batched
 * transactions that make a killed recorder leave a usable trace.
 *
 * Writers use WAL mode with synchronous=NORMAL: a commit survives the recorder
 * being killed (not a power cut, which a recording does not need to survive).
 * Readers open the file read-only, so replaying never modifies a trace.
 */
#include "trace_store_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "output_log.h"
#include "trace_batch.h"
#include "syscall_table.h"

extern const char trace_schema_sql[]; /* schema/trace.sql, embedded at build time */

enum { BATCH_MAX_MS = 250 };

int64_t trace_store_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A write failed for want of space: the disk is full (SQLITE_FULL: ENOSPC),
 * or a quota or RLIMIT_FSIZE is reached (EDQUOT, EFBIG: SQLite reports
 * them as an error writing or growing the file or its -shm, and loses
 * errno; rr-record ignores SIGXFSZ). */
static void note_out_of_space(struct trace_store *store)
{
    int code = sqlite3_extended_errcode(store->db);
    if ((code & 0xff) == SQLITE_FULL || code == SQLITE_IOERR_WRITE || code == SQLITE_IOERR_SHMSIZE ||
        code == SQLITE_IOERR_TRUNCATE)
        store->out_of_space = true;
}

int trace_store_fail(struct trace_store *store, const char *doing)
{
    note_out_of_space(store);
    error_set("trace %s: %s: %s", store->path, doing, sqlite3_errmsg(store->db));
    return -1;
}

int trace_store_prepare(struct trace_store *store, sqlite3_stmt **stmt, const char *sql)
{
    if (*stmt)
        return 0;
    if (sqlite3_prepare_v3(store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, NULL) != SQLITE_OK)
        return trace_store_fail(store, "preparing a statement");
    return 0;
}

int trace_store_next_row(struct trace_store *store, sqlite3_stmt **stmt, const char *sql, const char *doing)
{
    if (trace_store_prepare(store, stmt, sql) < 0)
        return -1;
    int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_DONE)
        return 0;
    return rc == SQLITE_ROW ? 1 : trace_store_fail(store, doing);
}

static int exec_sql(struct trace_store *store, const char *sql, const char *doing)
{
    char *message = NULL;
    if (sqlite3_exec(store->db, sql, NULL, NULL, &message) != SQLITE_OK) {
        note_out_of_space(store);
        error_set("trace %s: %s: %s", store->path, doing, message ? message : "failed");
        sqlite3_free(message);
        return -1;
    }
    return 0;
}

static struct trace_store *store_alloc(const char *path)
{
    struct trace_store *store = calloc(1, sizeof *store);
    if (!store || !(store->path = strdup(path))) {
        free(store);
        error_set("out of memory");
        return NULL;
    }
    trace_batch_mark_start(&store->written_batch);
    trace_batch_mark_start(&store->verified_batch);
    return store;
}

static void store_free(struct trace_store *store)
{
    sqlite3_stmt **statements[] = {
        &store->insert_event, &store->insert_mem_write, &store->insert_mapping,
        &store->find_blob, &store->insert_blob, &store->upsert_task, &store->finish_task,
        &store->select_blob, &store->select_events, &store->select_mem_writes,
        &store->select_mappings, &store->insert_passed_output, &store->select_passed_output,
        &store->insert_mem_read, &store->insert_output, &store->select_output,
    };
    for (size_t i = 0; i < sizeof statements / sizeof statements[0]; i++)
        sqlite3_finalize(*statements[i]);
    sqlite3_finalize(store->insert_batch);
    sqlite3_finalize(store->select_batch);
    for (int t = 0; t < TRACE_BATCH_TABLES; t++) {
        sqlite3_finalize(store->select_batch_rows[t]);
        sqlite3_finalize(store->select_batch_high[t]);
    }
    sqlite3_close(store->db);
    free(store->write_baselines.items);
    free(store->read_baselines.items);
    free(store->path);
    free(store);
}

static int begin_batch(struct trace_store *store)
{
    if (exec_sql(store, "BEGIN", "starting a batch") < 0)
        return -1;
    store->in_batch = true;
    store->batch_events = 0;
    store->batch_started_ms = trace_store_now_ms();
    return 0;
}

/* Copy the syscall table into the trace, so SQL alone can name syscalls. */
static int store_syscall_info(struct trace_store *store)
{
    sqlite3_stmt *stmt = NULL;
    if (syscall_table_init() < 0)
        return -1;
    if (sqlite3_prepare_v2(store->db, "INSERT INTO syscall_info(nr, name, replay, writes, args, result, effects)"
                           " VALUES (?,?,?,?,?,?,?)", -1, &stmt, NULL) != SQLITE_OK)
        return trace_store_fail(store, "writing the syscall table");
    int rc = SQLITE_DONE;
    for (int nr = 0; nr < syscall_table_size() && rc == SQLITE_DONE; nr++) {
        const struct syscall_desc *desc = syscall_lookup(nr);
        if (!desc)
            continue;
        sqlite3_bind_int(stmt, 1, nr);
        sqlite3_bind_text(stmt, 2, desc->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, desc->replay_text, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 4, desc->writes_text, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 5, desc->args_text, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 6, desc->result_text, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 7, desc->effects_text, -1, SQLITE_STATIC);
        rc = sqlite3_step(stmt);
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? 0 : trace_store_fail(store, "writing the syscall table");
}

/* Create the empty file of a new trace, readable by its owner only whatever
 * the umask (a trace holds the program's memory, environment and the files
 * it read), never through a symbolic link nor over an existing file. SQLite
 * gives the -wal and -shm side files the mode of this file. */
static int create_private_file(const char *path)
{
    int fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        struct stat st;
        if (errno == EEXIST && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
            error_set("trace %s is a symbolic link; give the path of a new file", path);
        else if (errno == EEXIST)
            error_set("trace %s already exists", path);
        else
            error_set_errno("cannot create trace %s", path);
        return -1;
    }
    int rc = fchmod(fd, 0600);
    if (rc < 0)
        error_set_errno("cannot make trace %s private", path);
    close(fd);
    if (rc < 0)
        unlink(path);
    return rc;
}

void trace_store_remove_files(const char *path)
{
    char side[4096];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

struct trace_store *trace_store_create(const char *path)
{
    if (create_private_file(path) < 0)
        return NULL;
    struct trace_store *store = store_alloc(path);
    if (!store) {
        unlink(path);
        return NULL;
    }
    store->writable = true;
    store->format_version = TRACE_FORMAT_VERSION;
    store->created_ms = trace_store_now_ms();
    int rc = sqlite3_open_v2(path, &store->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
    if (rc != SQLITE_OK) {
        error_set("cannot create trace %s: %s", path,
                  store->db ? sqlite3_errmsg(store->db) : sqlite3_errstr(rc));
        store_free(store);
        unlink(path);
        return NULL;
    }
    char version[16];
    snprintf(version, sizeof version, "%d", TRACE_FORMAT_VERSION);
    if (exec_sql(store, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                        "PRAGMA cache_size=-8192;", "configuring") < 0 ||
        exec_sql(store, "BEGIN", "creating the schema") < 0 ||
        exec_sql(store, trace_schema_sql, "creating the schema") < 0 ||
        trace_store_set_meta(store, "format", TRACE_FORMAT_NAME) < 0 ||
        trace_store_set_meta(store, "format_version", version) < 0 ||
        store_syscall_info(store) < 0 || trace_batch_write(store) < 0 ||
        exec_sql(store, "COMMIT", "creating the schema") < 0 ||
        begin_batch(store) < 0) {
        bool out_of_space = store->out_of_space;
        store_free(store);
        trace_store_remove_files(path);
        errno = out_of_space ? ENOSPC : 0;
        return NULL;
    }
    return store;
}

static int check_format(struct trace_store *store)
{
    char *format = trace_store_get_meta(store, "format");
    if (!format) {
        int code = sqlite3_errcode(store->db);
        /* No meta table, or not SQLite at all: some other file. Anything
         * else (a damaged trace) keeps SQLite's own message. */
        if (!error_text()[0] || code == SQLITE_NOTADB || strstr(sqlite3_errmsg(store->db), "no such table"))
            error_set("%s is not an rrdb trace", store->path);
        return -1;
    }
    int ok = strcmp(format, TRACE_FORMAT_NAME) == 0;
    free(format);
    if (!ok) {
        error_set("%s is not an rrdb trace", store->path);
        return -1;
    }
    char *version = trace_store_get_meta(store, "format_version");
    int number = version ? atoi(version) : -1;
    free(version);
    if (number < TRACE_FORMAT_OLDEST_READ || number > TRACE_FORMAT_VERSION) {
        error_set("trace %s has format version %d; this build reads versions %d to %d",
                  store->path, number, TRACE_FORMAT_OLDEST_READ, TRACE_FORMAT_VERSION);
        return -1;
    }
    store->format_version = number;
    return 0;
}

/* The format version that added a table, for the tables an older trace
 * still read does not have (1 for the others). */
static int table_since_version(const char *name)
{
    if (strcmp(name, "batch") == 0)
        return TRACE_BATCH_FORMAT_VERSION;
    return strcmp(name, "output") == 0 ? OUTPUT_LOG_FORMAT_VERSION : 1;
}

/* Every table and view of the schema (schema/trace.sql, the one list of
 * them) is in the trace, but those added after its format version: readers
 * may then take a missing row, never a missing table, for damage to report. */
static int check_schema(struct trace_store *store)
{
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2(store->db, "SELECT 1 FROM sqlite_master WHERE name = ?1 AND type = ?2", -1, &stmt,
                           NULL) != SQLITE_OK)
        return trace_store_fail(store, "reading the schema");
    int rc = 0;
    for (const char *at = trace_schema_sql; rc == 0 && (at = strstr(at, "CREATE ")); at++) {
        char type[8], name[64];
        if (sscanf(at, "CREATE %7[A-Z] %63[a-z_0-9]", type, name) != 2 ||
            (strcmp(type, "TABLE") != 0 && strcmp(type, "VIEW") != 0))
            continue;
        if (table_since_version(name) > store->format_version)
            continue;
        const char *kind = strcmp(type, "TABLE") == 0 ? "table" : "view";
        sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_STATIC);
        int step = sqlite3_step(stmt);
        if (step == SQLITE_DONE)
            error_set("trace %s is damaged: its %s %s is missing", store->path, kind, name);
        else if (step != SQLITE_ROW)
            trace_store_fail(store, "reading the schema");
        rc = step == SQLITE_ROW ? 0 : -1;
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    return rc;
}

struct trace_store *trace_store_open(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        error_set_errno("cannot open trace %s", path);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        error_set("%s is not an rrdb trace (not a regular file)", path);
        return NULL;
    }
    struct trace_store *store = store_alloc(path);
    if (!store)
        return NULL;
    int rc = sqlite3_open_v2(path, &store->db, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) {
        error_set("cannot open trace %s: %s", path,
                  store->db ? sqlite3_errmsg(store->db) : sqlite3_errstr(rc));
        store_free(store);
        return NULL;
    }
    if (check_format(store) < 0 || check_schema(store) < 0) {
        store_free(store);
        return NULL;
    }
    return store;
}

int trace_store_reseal(const char *path)
{
    struct trace_store *store = store_alloc(path);
    if (!store)
        return -1;
    int rc = -1;
    if (sqlite3_open_v2(path, &store->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK)
        error_set("cannot open trace %s: %s", path, sqlite3_errmsg(store->db));
    else if (check_format(store) == 0 && store->format_version < TRACE_BATCH_FORMAT_VERSION)
        rc = 0; /* no chain to recompute */
    else if (store->format_version >= TRACE_BATCH_FORMAT_VERSION &&
             exec_sql(store, "BEGIN", "resealing") == 0) {
        char *seal = trace_store_get_meta(store, "seal");
        /* One batch over every row; a trace without a seal keeps none. */
        if (exec_sql(store, "DELETE FROM batch; DELETE FROM meta WHERE key = 'seal'", "resealing") == 0 &&
            trace_batch_write(store) == 0 && (!seal || trace_batch_write_seal(store) == 0))
            rc = exec_sql(store, "COMMIT", "resealing");
        free(seal);
    }
    store_free(store);
    return rc;
}

int trace_store_commit(struct trace_store *store)
{
    if (!store->writable || !store->in_batch)
        return 0;
    struct trace_batch_mark committed = store->written_batch;
    if (trace_batch_write(store) < 0 || exec_sql(store, "COMMIT", "committing") < 0) {
        /* Nothing of that batch is in the file (its rows and its checksum
         * go together or not at all): drop it, and go on from a clean one. */
        char why[1024];
        snprintf(why, sizeof why, "%s", error_text());
        store->written_batch = committed;
        trace_store_discard_batch(store);
        error_set("%s", why);
        return -1;
    }
    store->in_batch = false;
    return begin_batch(store);
}

bool trace_store_out_of_space(const struct trace_store *store)
{
    return store->out_of_space;
}

int trace_store_discard_batch(struct trace_store *store)
{
    if (!store->writable)
        return 0;
    /* SQLite may have rolled the transaction back itself (on SQLITE_FULL). */
    if (!sqlite3_get_autocommit(store->db))
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
    store->in_batch = false;
    return begin_batch(store);
}

int trace_store_commit_pending(struct trace_store *store)
{
    return store->batch_events > 0 ? trace_store_commit(store) : 0;
}

int trace_store_maybe_commit(struct trace_store *store)
{
    store->batch_events++;
    if (store->batch_events >= TRACE_BATCH_EVENTS || trace_store_now_ms() - store->batch_started_ms >= BATCH_MAX_MS)
        return trace_store_commit(store);
    return 0;
}

int trace_store_close(struct trace_store *store)
{
    int rc = 0;
    if (store->writable && store->in_batch) {
        store->in_batch = false;
        rc = trace_batch_write_seal(store) < 0 ? -1 : exec_sql(store, "COMMIT", "committing");
        if (rc < 0 && !sqlite3_get_autocommit(store->db))
            sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL); /* the trace ends at its last batch */
    }
    /* A finished trace is one plain file: readers (which open it read-only)
     * then need no -wal and -shm files beside it. */
    if (store->writable && rc == 0)
        rc = exec_sql(store, "PRAGMA journal_mode=DELETE", "finishing");
    store_free(store);
    return rc;
}

int trace_store_set_meta(struct trace_store *store, const char *key, const char *value)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(store->db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                           -1, &stmt, NULL) != SQLITE_OK)
        return trace_store_fail(store, "writing metadata");
    sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? 0 : trace_store_fail(store, "writing metadata");
}

char *trace_store_get_meta(struct trace_store *store, const char *key)
{
    sqlite3_stmt *stmt = NULL;
    error_set("%s", "");
    if (sqlite3_prepare_v2(store->db, "SELECT value FROM meta WHERE key = ?", -1, &stmt, NULL)
        != SQLITE_OK) {
        trace_store_fail(store, "reading metadata");
        return NULL;
    }
    sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
    char *value = NULL;
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        value = strdup((const char *)sqlite3_column_text(stmt, 0));
    else if (rc != SQLITE_DONE)
        trace_store_fail(store, "reading metadata");
    sqlite3_finalize(stmt);
    return value;
}

int64_t trace_store_size(struct trace_store *store)
{
    int64_t total = 0;
    struct stat st;
    char wal[4096];
    if (stat(store->path, &st) == 0)
        total += st.st_size;
    snprintf(wal, sizeof wal, "%s-wal", store->path);
    if (stat(wal, &st) == 0)
        total += st.st_size;
    return total;
}

int trace_store_format_version(const struct trace_store *store)
{
    return store->format_version;
}

const char *trace_store_path(struct trace_store *store)
{
    return store->path;
}

void trace_store_single_threaded(void)
{
    sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
}
