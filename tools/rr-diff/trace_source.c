/*
 * trace_source.c — an event source over a trace file: a recording, or the
 * event stream `rr-replay --events` writes (meta.kind = replay-events), which
 * has the same schema but keeps only what the replay observed: no mappings
 * and no extra blobs. Addresses in such a stream are named (and constant
 * strings read) from the mappings of the recording it replayed (meta.source),
 * when that file still opens.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blob_check.h"
#include "blob_store.h"
#include "event_log.h"
#include "error.h"
#include "event_source.h"
#include "symbolizer.h"
#include "trace_memory.h"
#include "trace_reader.h"
#include "trace_store.h"
#include "trace_verify.h"

struct trace_source {
    struct event_source base;      /* first: the source handed out is this struct */
    struct trace_store *store;
    struct trace_store *mappings;  /* where mappings are read: the store, its recording, or NULL */
    struct trace_reader *reader;   /* known memory and symbols, mappings from `mappings` */
    struct blob_check *blobs;      /* the write blobs verified so far */
};

struct event_cursor {
    struct trace_source *trace;
    struct task_stream *stream;
};

static struct trace_source *of(struct event_source *source)
{
    return (struct trace_source *)source;
}

static int source_tasks(struct event_source *source, struct trace_task **tasks)
{
    return task_stream_tasks(of(source)->store, tasks);
}

static struct event_cursor *source_open_task(struct event_source *source, const struct trace_task *task)
{
    struct event_cursor *cursor = malloc(sizeof *cursor);
    if (!cursor) {
        error_set("out of memory");
        return NULL;
    }
    cursor->trace = of(source);
    cursor->stream = task_stream_open(of(source)->store, task->tid);
    if (!cursor->stream) {
        free(cursor);
        return NULL;
    }
    return cursor;
}

static int source_next(struct event_cursor *cursor, struct source_event *event)
{
    int rc = task_stream_next(cursor->stream, &event->event);
    if (rc <= 0)
        return rc;
    event->write_count = 0;
    struct task_write write;
    while ((rc = task_stream_next_write(cursor->stream, &write)) == 1)
        if (blob_check_verify(cursor->trace->blobs, write.blob, write.hash) < 0 ||
            source_event_add_write(event, &write) < 0)
            return -1;
    return rc < 0 ? -1 : 1;
}

static void source_close_task(struct event_cursor *cursor)
{
    if (!cursor)
        return;
    task_stream_close(cursor->stream);
    free(cursor);
}

static int source_read_blob(struct event_source *source, int64_t blob, void **data, size_t *len)
{
    return blob_store_get(of(source)->store, blob, data, len);
}

static int source_mappings(struct event_source *source, int64_t seq, struct trace_mapping **mappings)
{
    *mappings = NULL;
    if (of(source)->base.replay_stream)
        return 0; /* the stream keeps none; its recording's would not be the replay's */
    return event_log_mappings(of(source)->store, seq, mappings);
}

static size_t source_read_memory(struct event_source *source, int32_t tid, int64_t seq,
                                 uint64_t addr, void *buf, size_t max)
{
    struct trace_memory *memory = trace_reader_memory(of(source)->reader);
    return memory ? trace_memory_read(memory, tid, seq, addr, buf, max) : 0;
}

static int source_locate(struct event_source *source, int32_t tid, int64_t seq, uint64_t addr,
                         char *text, size_t size)
{
    struct trace_source *trace = of(source);
    if (!trace->mappings)
        return 0;
    struct symbolizer *symbolizer = trace_reader_symbolizer(trace->reader);
    if (!symbolizer)
        return -1;
    return symbolizer_name(symbolizer, tid, seq, addr, text, size);
}

static void source_close(struct event_source *source)
{
    struct trace_source *trace = of(source);
    trace_reader_free(trace->reader);
    blob_check_free(trace->blobs);
    if (trace->mappings && trace->mappings != trace->store)
        trace_store_close(trace->mappings);
    trace_store_close(trace->store);
    free(trace);
}

static int64_t source_event_count(struct event_source *source)
{
    int64_t count = event_log_count(of(source)->store);
    return count > 0 ? count : 0;
}

static const struct event_source_ops trace_source_ops = {
    EVENT_SOURCE_OP_FIELDS(source),
    .event_count = source_event_count,
};

static void note_names_from_trace(const char *path, const char *why)
{
    error_note("note: %s %s; its names come from the trace's snapshot only (exported symbols)", path, why);
}

/* "recording of `ls -l`, complete" or "replay events of TRACE, diverged". */
static void describe(struct trace_source *trace, const char *kind, const char *origin)
{
    char *command = trace_store_get_meta(trace->store, "command");
    char *end = trace_store_get_meta(trace->store, "end");
    char *reason = trace_store_get_meta(trace->store, "stop_reason");
    char *description = trace->base.description;
    size_t size = sizeof trace->base.description;
    if (trace->base.replay_stream)
        snprintf(description, size, "replay events of %s, %s", origin ? origin : "?",
                 end ? end : "unfinished");
    else
        snprintf(description, size, "%s of `%s`, %s%s%s", kind && kind[0] ? kind : "recording",
                 command ? command : "?", end ? end : "unfinished", reason ? ": " : "",
                 reason ? reason : "");
    free(command);
    free(end);
    free(reason);
}

/* The recording a stream replayed: meta.source as rr-replay was given it,
 * so relative to where rr-replay ran; failing that, to the stream's folder. */
static struct trace_store *open_recording(const char *stream_path, const char *origin)
{
    if (access(origin, F_OK) == 0 || origin[0] == '/')
        return trace_store_open(origin);
    const char *slash = strrchr(stream_path, '/');
    if (!slash)
        return NULL;
    char path[4096];
    snprintf(path, sizeof path, "%.*s/%s", (int)(slash - stream_path), stream_path, origin);
    return trace_store_open(path);
}

struct event_source *trace_source_open(const char *path)
{
    struct trace_source *trace = calloc(1, sizeof *trace);
    if (!trace) {
        error_set("out of memory");
        return NULL;
    }
    trace->store = trace_store_open(path);
    if (!trace->store) {
        free(trace);
        return NULL;
    }
    /* Verified whole before anything is compared: a difference found in a
     * changed trace would be a lie (trace_verify.h names the batch). */
    enum trace_end end;
    if (trace_verify_start(trace->store) > 0)
        error_note("%s", error_text());
    if (trace_verify_end(trace->store, &end) < 0) {
        trace_store_close(trace->store);
        free(trace);
        return NULL;
    }
    trace->base.ops = &trace_source_ops;
    trace->base.path = path;
    trace->mappings = trace->store;
    char *kind = trace_store_get_meta(trace->store, "kind");
    char *origin = NULL;
    if (kind && strcmp(kind, "replay-events") == 0) {
        trace->base.replay_stream = true;
        origin = trace_store_get_meta(trace->store, "source");
        /* Optional: without its recording a stream's addresses stay in hex. */
        trace->mappings = origin ? open_recording(path, origin) : NULL;
        error_set("%s", "");
    }
    if (!(trace->reader = trace_reader_new(trace->store, trace->mappings, note_names_from_trace)) ||
        !(trace->base.syscalls = trace_reader_syscalls(trace->reader)) ||
        !(trace->blobs = blob_check_new(trace->store))) {
        source_close(&trace->base);
        free(kind);
        free(origin);
        return NULL;
    }
    describe(trace, kind, origin);
    free(kind);
    free(origin);
    return &trace->base;
}
