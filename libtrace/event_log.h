/*
 * event_log.h — writing and reading the event stream of a trace: events,
 * the memory the kernel wrote during each, the mappings each created, and the
 * task table. Readers stream in sequence order and never load a trace whole.
 */
#ifndef RRDB_EVENT_LOG_H
#define RRDB_EVENT_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "replay_protocol.h"
#include "trace_event.h"

struct trace_store;

/* Largest piece of memory one mem_write row holds. */
#define MEM_WRITE_CHUNK (1u << 20)

struct trace_mapping {
    uint64_t start, end;
    int prot;
    int flags;
    uint64_t offset;
    char path[256];
    int64_t blob; /* contents, 0 when all zero */
    uint64_t inode;  /* read from /proc/PID/maps only (0: none); not stored in a trace */
    uint64_t device; /* the same: the file's device (makedev of maps' major:minor) */
};

struct mem_write_record {
    int64_t seq;
    uint64_t addr;
    size_t len;
    int64_t blob;
};

/* --- writing --- */
int event_log_append(struct trace_store *store, const struct trace_event *event);
/* Store `len` bytes that the kernel wrote at `addr` during event `seq`. */
int event_log_add_mem_write(struct trace_store *store, int64_t seq, uint64_t addr,
                            const void *data, size_t len);
/* Store a mapping made by event `seq`; `contents` (may be NULL) has mapping->end - start bytes. */
int event_log_add_mapping(struct trace_store *store, int64_t seq, struct trace_mapping *mapping,
                          const void *contents);
/* The same with its contents already in the trace: mapping->blob (0: none). */
int event_log_add_mapping_blob(struct trace_store *store, int64_t seq, const struct trace_mapping *mapping);
/* Store memory the program handed to the kernel at event `seq` (a path). */
int event_log_add_mem_read(struct trace_store *store, int64_t seq, uint64_t addr,
                           const void *data, size_t len);
/* Store bytes that event `seq` moved to the program's stdout/stderr. */
int event_log_add_passed_output(struct trace_store *store, int64_t seq, const void *data, size_t len);
int event_log_task_started(struct trace_store *store, int32_t tid, int32_t pid, int32_t ppid,
                           int64_t seq, const char *command);
/* Task `tid` ended at event `seq`: exited with status `value`, or killed by signal `value`. */
int event_log_task_ended(struct trace_store *store, int32_t tid, int64_t seq, enum task_end end, int value);

/* --- reading, in sequence order --- */
/* 1: *event filled; 0: no more events; -1: error. */
int event_log_next(struct trace_store *store, struct trace_event *event);
/* 1: *record filled; 0: no more; -1: error. Ordered by seq, then as written. */
int event_log_next_mem_write(struct trace_store *store, struct mem_write_record *record);
/* The mappings made by event `seq`, malloc'd array in *mappings. Returns count or -1. */
int event_log_mappings(struct trace_store *store, int64_t seq, struct trace_mapping **mappings);
/* Call `sink` with each piece of passed output of event `seq`. Returns 0 or -1. */
int event_log_passed_output(struct trace_store *store, int64_t seq,
                            int (*sink)(void *context, const void *data, size_t len), void *context);
/* A syscall or enter event's number, arguments and ip agree with its
 * registers (the recorder took them from there). 0, or -1 naming the event. */
int event_log_check_witnesses(struct trace_store *store, const struct trace_event *event);
/* Number of events in the trace, or -1. */
int64_t event_log_count(struct trace_store *store);

#endif
