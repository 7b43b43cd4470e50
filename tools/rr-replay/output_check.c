/*
 * output_check.c — comparing what the replay shows with the trace's tally
 * of the recorder's stdout and stderr (see output_check.h).
 */
#include "output_check.h"

#include <assert.h>
#include <stdio.h>
#include <unistd.h>

#include "event_log.h"
#include "progress_line.h"
#include "trace_store.h"

bool output_check_start(struct output_check *check, struct trace_store *store, bool quiet)
{
    check->quiet = quiet;
    check->unchecked = trace_store_format_version(store) < OUTPUT_LOG_FORMAT_VERSION;
    output_tally_init(&check->tally, output_log_shared(store));
    check->has_row = check->shown = false;
    check->rows_done = check->unchecked;
    return !check->unchecked;
}

void output_check_show(struct output_check *check, enum output_kind kind, const void *data, size_t len)
{
    assert(kind == OUTPUT_STDOUT || kind == OUTPUT_STDERR);
    enum output_stream stream = kind == OUTPUT_STDOUT ? OUTPUT_STREAM_STDOUT : OUTPUT_STREAM_STDERR;
    output_tally_add(&check->tally, stream, data, len, &check->seen);
    check->shown = true;
    progress_line_erase();
    if (!check->quiet && write(kind == OUTPUT_STDOUT ? STDOUT_FILENO : STDERR_FILENO, data, len) < 0) {
        /* Our own output is closed: keep replaying, there is nothing to show. */
    }
}

struct passed_sink {
    struct output_check *check;
    enum output_kind kind;
};

static int show_passed_piece(void *context, const void *data, size_t len)
{
    struct passed_sink *sink = context;
    output_check_show(sink->check, sink->kind, data, len);
    return 0;
}

int output_check_show_passed(struct output_check *check, enum output_kind kind, struct trace_store *store,
                             int64_t seq)
{
    struct passed_sink sink = {check, kind};
    return event_log_passed_output(store, seq, show_passed_piece, &sink);
}

/* Make check->row the trace's next row, if any. */
static int fetch_row(struct output_check *check, struct trace_store *store)
{
    if (check->has_row || check->rows_done)
        return 0;
    int rc = output_log_next(store, &check->row);
    if (rc < 0)
        return -1;
    check->has_row = rc == 1;
    check->rows_done = rc == 0;
    return 0;
}

/* Does what the replay showed at this event (if anything) agree with the
 * row (if the recording wrote there at this event)? */
static int compare(const struct output_check *check, bool recorded, char *why, size_t size)
{
    const struct output_log_row *row = &check->row, *seen = &check->seen;
    const struct output_tally *tally = &check->tally;
    if (!recorded) {
        snprintf(why, size, "the replay shows %llu bytes on %s here, where the recording wrote nothing there",
                 (unsigned long long)seen->total, output_stream_name(tally, seen->stream));
        return 1;
    }
    if (!check->shown) {
        snprintf(why, size, "the recording wrote to %s here (%llu bytes so far), the replay shows nothing",
                 output_stream_name(tally, row->stream), (unsigned long long)row->total);
        return 1;
    }
    if (row->stream != seen->stream) {
        snprintf(why, size, "the recording wrote to %s here, the replay shows it on %s",
                 output_stream_name(tally, row->stream), output_stream_name(tally, seen->stream));
        return 1;
    }
    if (row->total != seen->total || row->hash != seen->hash) {
        snprintf(why, size,
                 "%s differs from the recording's here: %llu bytes so far with hash %016llx recorded, "
                 "%llu bytes with hash %016llx shown",
                 output_stream_name(tally, row->stream), (unsigned long long)row->total,
                 (unsigned long long)row->hash, (unsigned long long)seen->total, (unsigned long long)seen->hash);
        return 1;
    }
    return 0;
}

int output_check_event(struct output_check *check, struct trace_store *store, int64_t seq, char *why,
                       size_t size)
{
    if (fetch_row(check, store) < 0)
        return -1;
    if (check->has_row && check->row.seq < seq) {
        snprintf(why, size, "the recording wrote to %s at event %lld, where the replay showed nothing",
                 output_stream_name(&check->tally, check->row.stream), (long long)check->row.seq);
        return 1;
    }
    bool recorded = check->has_row && check->row.seq == seq;
    if ((!recorded && !check->shown) || check->unchecked) {
        check->shown = false;
        return 0;
    }
    if (compare(check, recorded, why, size))
        return 1;
    check->shown = false;
    check->has_row = false;
    return 0;
}

int output_check_end(struct output_check *check, struct trace_store *store, char *why, size_t size)
{
    if (fetch_row(check, store) < 0)
        return -1;
    if (!check->has_row)
        return 0;
    snprintf(why, size, "the trace says the program wrote to %s at event %lld, which it does not hold",
             output_stream_name(&check->tally, check->row.stream), (long long)check->row.seq);
    return 1;
}
