/*
 * output_check.h — rr-replay shows what the program wrote to the recorder's
 * stdout and stderr, and checks it against the recording. It keeps the same tally as the
 * recorder (output_log.h) over the bytes it shows, and after each event
 * compares it with the trace's row for that event: other bytes, another
 * order, another output, or output where the recording had none (or none
 * where it had some) is a divergence at that event. So a replay whose output
 * differs from the recording's never ends as a matching one — also with -q,
 * where the bytes are tallied without being shown.
 */
#ifndef RRDB_OUTPUT_CHECK_H
#define RRDB_OUTPUT_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "output_fds.h"
#include "output_log.h"

struct trace_store;

struct output_check {
    bool quiet;                   /* -q: tally, show nothing */
    bool unchecked;               /* a trace from before the output table */
    struct output_tally tally;
    bool has_row, rows_done;
    struct output_log_row row;    /* the trace's next row */
    bool shown;                   /* the current event showed bytes… */
    struct output_log_row seen;   /* …and the replay's tally after them */
};

/* Returns false for a trace recorded before the output table (format
 * version 3), whose output cannot be checked: every event then agrees. */
bool output_check_start(struct output_check *check, struct trace_store *store, bool quiet);
/* The current event shows `len` bytes on `kind` (not OUTPUT_NONE): on our
 * own stdout or stderr, unless quiet. */
void output_check_show(struct output_check *check, enum output_kind kind, const void *data, size_t len);
/* The same for the passed output of event `seq` (copy_file_range, sendfile). */
int output_check_show_passed(struct output_check *check, enum output_kind kind, struct trace_store *store,
                             int64_t seq);
/* After event `seq` was replayed: 0 when the output agrees with the
 * recording's so far, 1 when not (why, in one line, in `why`), -1 on error. */
int output_check_event(struct output_check *check, struct trace_store *store, int64_t seq, char *why,
                       size_t size);
/* At the end of the trace: 0, or 1 when the trace has rows for events that
 * never came (why in `why`), -1 on error. */
int output_check_end(struct output_check *check, struct trace_store *store, char *why, size_t size);

#endif
