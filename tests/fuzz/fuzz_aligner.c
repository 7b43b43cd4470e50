/*
 * fuzz_aligner.c — libFuzzer target for rr-diff's divergence aligner, with
 * its task matching and both report formats.
 *
 * The input describes execution A — up to four tasks and their events
 * (syscalls from a small set, signals, rdtsc, enter, exits; results; memory
 * writes; data hashes) — and then the edits that make execution B of it:
 * events changed, dropped or added, tasks reordered. Both are served from
 * memory through rr-diff's event_source interface, the interface trace files
 * and nested recordings are read through. The aligner must finish on any
 * pair, and report what it found through the real reporters.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "aligner.h"
#include "event_source.h"
#include "ignore_list.h"
#include "report.h"
#include "task_match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { TASKS_MAX = 4, EVENTS_MAX = 96 };

struct memory_source {
    struct event_source base;
    struct trace_task tasks[TASKS_MAX];
    int task_count;
    struct source_event events[TASKS_MAX][EVENTS_MAX];
    int event_count[TASKS_MAX];
};

struct memory_cursor {
    struct memory_source *source;
    int task, next;
};

static int memory_tasks(struct event_source *base, struct trace_task **tasks)
{
    struct memory_source *source = (struct memory_source *)base;
    *tasks = malloc(sizeof source->tasks);
    if (!*tasks)
        return -1;
    memcpy(*tasks, source->tasks, sizeof source->tasks);
    return source->task_count;
}

static struct event_cursor *memory_open_task(struct event_source *base, const struct trace_task *task)
{
    struct memory_source *source = (struct memory_source *)base;
    for (int i = 0; i < source->task_count; i++)
        if (source->tasks[i].tid == task->tid) {
            struct memory_cursor *cursor = calloc(1, sizeof *cursor);
            if (cursor)
                *cursor = (struct memory_cursor){source, i, 0};
            return (struct event_cursor *)cursor;
        }
    return NULL;
}

static int memory_next(struct event_cursor *base, struct source_event *event)
{
    struct memory_cursor *cursor = (struct memory_cursor *)base;
    if (cursor->next >= cursor->source->event_count[cursor->task])
        return 0;
    return source_event_copy(event, &cursor->source->events[cursor->task][cursor->next++]) < 0 ? -1 : 1;
}

static void memory_close_task(struct event_cursor *cursor)
{
    free(cursor);
}

/* Blob n holds n % 61 bytes of value n. */
static int memory_read_blob(struct event_source *source, int64_t blob, void **data, size_t *len)
{
    (void)source;
    *len = (size_t)((uint64_t)blob % 61);
    *data = malloc(*len + 1);
    if (!*data)
        return -1;
    memset(*data, (int)(blob & 0xff), *len);
    return 0;
}

/* Every fourth event maps the program's text. */
static int memory_mappings(struct event_source *source, int64_t seq, struct trace_mapping **mappings)
{
    (void)source;
    *mappings = NULL;
    if (seq % 4 != 0)
        return 0;
    *mappings = calloc(1, sizeof **mappings);
    if (!*mappings)
        return -1;
    **mappings = (struct trace_mapping){.start = 0x400000, .end = 0x401000, .prot = 5, .flags = 2, .blob = seq};
    snprintf((*mappings)->path, sizeof (*mappings)->path, "/usr/bin/prog");
    return 1;
}

static size_t memory_read_memory(struct event_source *source, int32_t tid, int64_t seq, uint64_t addr,
                                 void *buf, size_t max)
{
    (void)source;
    (void)tid;
    (void)seq;
    (void)addr;
    size_t n = max < 5 ? max : 5;
    memcpy(buf, "/tmp", n);
    return n;
}

static int memory_locate(struct event_source *source, int32_t tid, int64_t seq, uint64_t addr, char *text,
                         size_t size)
{
    (void)source;
    (void)tid;
    (void)seq;
    snprintf(text, size, "prog+0x%llx", (unsigned long long)(addr & 0xfff));
    return addr & 1;
}

static void memory_close(struct event_source *base)
{
    struct memory_source *source = (struct memory_source *)base;
    for (int t = 0; t < TASKS_MAX; t++)
        for (int i = 0; i < EVENTS_MAX; i++)
            source_event_free(&source->events[t][i]);
    free(source);
}

static const struct event_source_ops memory_ops = EVENT_SOURCE_OPS(memory); /* no event count: no progress */

struct input {
    const uint8_t *data;
    size_t size, at;
};

static unsigned take(struct input *in)
{
    return in->at < in->size ? in->data[in->at++] : 0;
}

static const int64_t syscalls[] = {SYS_read, SYS_write, SYS_openat, SYS_close, SYS_mmap, SYS_clone,
                                   SYS_futex, SYS_exit_group, SYS_getpid, SYS_wait4};

/* Event i of a task, from five input bytes. */
static int fill_event(struct source_event *e, struct input *in, int64_t seq, int32_t tid)
{
    unsigned kind = take(in), what = take(in), result = take(in), writes = take(in), hash = take(in);
    static const enum event_kind kinds[] = {EVENT_SYSCALL, EVENT_SYSCALL, EVENT_SYSCALL, EVENT_SIGNAL,
                                            EVENT_RDTSC, EVENT_ENTER, EVENT_LANDMARK, EVENT_CPUID};
    e->event = (struct trace_event){.seq = seq, .tid = tid, .kind = kinds[kind % 8],
                                    .sysno = syscalls[what % 10], .result = (int8_t)result,
                                    .signo = (int32_t)(what % 32), .ip = 0x400000 + what * 16,
                                    .has_data_hash = hash & 1, .data_hash = hash >> 1, .at_ms = -1};
    e->event.args[0] = what % 4;
    e->event.args[1] = 0x7ffd0000 + (result << 4);
    e->event.args[2] = result % 64;
    e->write_count = 0;
    for (unsigned w = 0; w < (writes & 3); w++) {
        struct task_write write = {0x7ffd0000 + w * 64, (writes >> 2) % 61, (int64_t)(writes >> 2), writes};
        if (source_event_add_write(e, &write) < 0)
            return -1;
    }
    return 0;
}

static struct memory_source *new_source(const char *path)
{
    struct memory_source *source = calloc(1, sizeof *source);
    if (source) {
        source->base.ops = &memory_ops;
        source->base.path = path;
        snprintf(source->base.description, sizeof source->base.description, "fuzzed %s", path);
    }
    return source;
}

/* A from the input; tasks' events interleave in seq order by round robin. */
static int build_a(struct memory_source *a, struct input *in)
{
    a->task_count = 1 + (int)(take(in) % TASKS_MAX);
    int64_t seq = 0;
    for (int t = 0; t < a->task_count; t++) {
        a->tasks[t] = (struct trace_task){.tid = 100 + t, .pid = 100, .ppid = t ? 100 : 1,
                                          .first_seq = t, .created_seq = t};
        snprintf(a->tasks[t].command, sizeof a->tasks[t].command, "prog %d", t);
        a->event_count[t] = (int)(take(in) % (EVENTS_MAX / 2));
    }
    for (int t = 0; t < a->task_count; t++)
        for (int i = 0; i < a->event_count[t]; i++)
            if (fill_event(&a->events[t][i], in, seq++, a->tasks[t].tid) < 0)
                return -1;
    return 0;
}

/* B: A with edits (change, drop, insert, a renamed task, other tids). */
static int build_b(struct memory_source *b, const struct memory_source *a, struct input *in)
{
    b->task_count = a->task_count;
    memcpy(b->tasks, a->tasks, sizeof b->tasks);
    for (int t = 0; t < b->task_count; t++) {
        b->tasks[t].tid += 1000;
        b->tasks[t].pid += 1000;
        b->event_count[t] = a->event_count[t];
        for (int i = 0; i < a->event_count[t]; i++) {
            if (source_event_copy(&b->events[t][i], &a->events[t][i]) < 0)
                return -1;
            b->events[t][i].event.tid += 1000;
        }
    }
    while (in->at < in->size) {
        unsigned op = take(in), t = take(in) % (unsigned)b->task_count;
        int at = b->event_count[t] ? (int)(take(in) % (unsigned)b->event_count[t]) : 0;
        struct source_event *events = b->events[t];
        if (op % 4 == 0 && b->event_count[t] > 0) { /* drop */
            source_event_free(&events[at]);
            memmove(&events[at], &events[at + 1], (size_t)(b->event_count[t] - at - 1) * sizeof *events);
            memset(&events[--b->event_count[t]], 0, sizeof *events);
        } else if (op % 4 == 1 && b->event_count[t] < EVENTS_MAX) { /* insert */
            memmove(&events[at + 1], &events[at], (size_t)(b->event_count[t] - at) * sizeof *events);
            memset(&events[at], 0, sizeof *events);
            b->event_count[t]++;
            if (fill_event(&events[at], in, at, b->tasks[t].tid) < 0)
                return -1;
        } else if (op % 4 == 2 && b->event_count[t] > 0) { /* change */
            int64_t seq = events[at].event.seq;
            if (fill_event(&events[at], in, seq, b->tasks[t].tid) < 0)
                return -1;
        } else {
            snprintf(b->tasks[t].command, sizeof b->tasks[t].command, "other %u", op);
        }
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    if (!sink && !(sink = fopen("/dev/null", "w")))
        abort();
    struct input in = {data, size, 0};
    unsigned flags = take(&in);
    struct ignore_list ignore = {0};
    if (flags & 0x40)
        ignore_list_parse(&ignore, "scheduling,rdtsc");
    struct align_options options = {.context = (int)(flags & 3), .all = flags & 4,
                                    .resync_window = 4 + (int)((flags >> 3) & 7), .ignore = &ignore};
    struct memory_source *a = new_source("A"), *b = new_source("B");
    if (!a || !b || build_a(a, &in) < 0 || build_b(b, a, &in) < 0) {
        event_source_close(&a->base);
        event_source_close(&b->base);
        return 0;
    }
    struct task_matching tasks;
    if (task_match(&a->base, &b->base, &tasks) == 0) {
        struct report report = {.out = sink, .all = options.all, .resync_window = options.resync_window};
        struct align_totals totals;
        bool json = flags & 0x80;
        (json ? report_json_begin : report_text_begin)(&report, &a->base, &b->base, &tasks);
        if (align_sources(&a->base, &b->base, &tasks, &options,
                          json ? report_json_divergence : report_text_divergence, &report, &totals) == 0)
            (json ? report_json_end : report_text_end)(&report, &tasks, &totals);
        task_matching_free(&tasks);
    }
    event_source_close(&a->base);
    event_source_close(&b->base);
    return 0;
}
