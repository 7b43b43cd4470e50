/*
 * output_log.c — the tally of what a program wrote to the recorder's stdout
 * and stderr, and its rows in the trace (see output_log.h).
 */
#include "output_log.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "trace_store_internal.h"

void output_tally_init(struct output_tally *tally, bool stderr_is_stdout)
{
    tally->stderr_is_stdout = stderr_is_stdout;
    for (int i = 0; i < 3; i++)
        content_hash_start(&tally->streams[i]);
}

/* The output bytes written to `stream` reach. */
static enum output_stream reached(const struct output_tally *tally, enum output_stream stream)
{
    return stream == OUTPUT_STREAM_STDERR && tally->stderr_is_stdout ? OUTPUT_STREAM_STDOUT : stream;
}

void output_tally_add(struct output_tally *tally, enum output_stream stream, const void *data, size_t len,
                      struct output_log_row *row)
{
    assert(stream == OUTPUT_STREAM_STDOUT || stream == OUTPUT_STREAM_STDERR);
    row->stream = reached(tally, stream);
    struct content_hash_stream *hash = &tally->streams[row->stream];
    content_hash_add(hash, data, len);
    row->total = hash->total;
    row->hash = content_hash_value(hash);
}

const char *output_stream_name(const struct output_tally *tally, enum output_stream stream)
{
    if (tally->stderr_is_stdout && stream != OUTPUT_STREAM_NONE)
        return "stdout and stderr";
    return stream == OUTPUT_STREAM_STDOUT ? "stdout" : stream == OUTPUT_STREAM_STDERR ? "stderr" : "no output";
}

int output_log_set_shared(struct trace_store *store, bool stderr_is_stdout)
{
    return trace_store_set_meta(store, "stderr_is_stdout", stderr_is_stdout ? "1" : "0");
}

bool output_log_shared(struct trace_store *store)
{
    char *value = trace_store_get_meta(store, "stderr_is_stdout");
    bool shared = value && strcmp(value, "1") == 0;
    free(value);
    return shared;
}

int output_log_add(struct trace_store *store, const struct output_log_row *row)
{
    if (trace_store_prepare(store, &store->insert_output,
                            "INSERT INTO output(seq, stream, total, hash) VALUES (?,?,?,?)") < 0)
        return -1;
    sqlite3_stmt *stmt = store->insert_output;
    sqlite3_bind_int64(stmt, 1, row->seq);
    sqlite3_bind_int(stmt, 2, row->stream);
    sqlite3_bind_int64(stmt, 3, (int64_t)row->total);
    sqlite3_bind_int64(stmt, 4, (int64_t)row->hash);
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? 0 : trace_store_fail(store, "writing an output row");
}

int output_log_next(struct trace_store *store, struct output_log_row *row)
{
    int next = trace_store_next_row(store, &store->select_output,
                                    "SELECT seq, stream, total, hash FROM output ORDER BY seq",
                                    "reading the output rows");
    if (next <= 0)
        return next;
    sqlite3_stmt *stmt = store->select_output;
    row->seq = sqlite3_column_int64(stmt, 0);
    row->stream = (enum output_stream)sqlite3_column_int(stmt, 1);
    row->total = (uint64_t)sqlite3_column_int64(stmt, 2);
    row->hash = (uint64_t)sqlite3_column_int64(stmt, 3);
    return 1;
}
