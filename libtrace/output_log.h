/*
 * output_log.h — what a recorded program wrote to the recorder's own stdout
 * and stderr, as a witness of the order the kernel took it in. After each
 * event that wrote there, the trace's `output` table holds how many bytes
 * that output had received so far and the content hash of all of them, in
 * order. rr-record adds a row per such event; rr-replay keeps the same tally
 * over what it shows and stops at the first event where the two part, so a
 * replay whose output is not the recording's (other bytes, another order,
 * another output) never passes for a matching one.
 *
 * When the recorder's stdout and stderr were one open file description (a
 * terminal, `2>&1`), they are one output: everything is tallied as stdout
 * (meta.stderr_is_stdout = 1).
 */
#ifndef RRDB_OUTPUT_LOG_H
#define RRDB_OUTPUT_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "content_hash.h"

struct trace_store;

/* The first trace format with the output table. */
#define OUTPUT_LOG_FORMAT_VERSION 3

/* The recorder's outputs, numbered as its file descriptors. */
enum output_stream { OUTPUT_STREAM_NONE = 0, OUTPUT_STREAM_STDOUT = 1, OUTPUT_STREAM_STDERR = 2 };

/* One row: after event `seq`, output `stream` had received `total` bytes
 * whose content hash is `hash`. */
struct output_log_row {
    int64_t seq;
    enum output_stream stream;
    uint64_t total;
    uint64_t hash;
};

/* The running tally of both outputs. */
struct output_tally {
    bool stderr_is_stdout;
    struct content_hash_stream streams[3]; /* indexed by enum output_stream */
};

void output_tally_init(struct output_tally *tally, bool stderr_is_stdout);
/* Add `len` bytes written to `stream`; fills *row (but its seq) with the
 * output they went to (stderr counts as stdout when they are one) and its
 * tally now. */
void output_tally_add(struct output_tally *tally, enum output_stream stream, const void *data, size_t len,
                      struct output_log_row *row);
/* The name of an output for messages: "stdout", "stderr", "stdout and stderr". */
const char *output_stream_name(const struct output_tally *tally, enum output_stream stream);

/* Store meta.stderr_is_stdout. */
int output_log_set_shared(struct trace_store *store, bool stderr_is_stdout);
/* Read meta.stderr_is_stdout (false when absent). */
bool output_log_shared(struct trace_store *store);
int output_log_add(struct trace_store *store, const struct output_log_row *row);
/* The next row in seq order: 1 filled, 0 no more, -1 error. */
int output_log_next(struct trace_store *store, struct output_log_row *row);

#endif
