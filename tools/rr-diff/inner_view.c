/*
 * inner_view.c — INNER's nested-tracing events folded into program events
 * (see inner_view.h). Each task's events pass through with one held back:
 * the tracer's writes that follow a program event change it before it is
 * handed out.
 */
#include "inner_view.h"

#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "inner_events.h"
#include "signal_origin.h"
#include "syscall_table.h"
#include "replay_protocol.h"
#include "task.h"
#include "trace_store.h"
#include "tracee_stops.h"

struct inner_view {
    struct event_source base; /* first: the source handed out is this struct */
    struct event_source *inner;
    struct trace_store *store;       /* INNER, for the questions about its tracees */
    struct tracee_stops *tracees;
};

struct event_cursor {
    struct inner_view *view;
    struct event_cursor *inner;  /* over the task's events in INNER */
    struct source_event read;    /* the last one read */
    struct source_event held;    /* the last program event, not handed out yet */
    bool has_held;
    bool ended;                  /* INNER has no more events of the task */
    bool held_stop;              /* the held event is a signal stop */
    struct user_regs_struct resume_regs; /* the last registers the tracer wrote after it */
    bool resumed;
    struct source_event carried; /* memory written while the task was inside a syscall */
};

static struct inner_view *of(struct event_source *source)
{
    return (struct inner_view *)source;
}

static int view_tasks(struct event_source *source, struct trace_task **tasks)
{
    struct event_source *inner = of(source)->inner;
    return inner->ops->tasks(inner, tasks);
}

static void view_close_task(struct event_cursor *cursor)
{
    if (!cursor)
        return;
    struct event_source *inner = cursor->view->inner;
    if (cursor->inner)
        inner->ops->close_task(cursor->inner);
    source_event_free(&cursor->read);
    source_event_free(&cursor->held);
    source_event_free(&cursor->carried);
    free(cursor);
}

static struct event_cursor *view_open_task(struct event_source *source, const struct trace_task *task)
{
    struct event_cursor *cursor = calloc(1, sizeof *cursor);
    if (!cursor) {
        error_set("out of memory");
        return NULL;
    }
    cursor->view = of(source);
    struct event_source *inner = cursor->view->inner;
    if (!(cursor->inner = inner->ops->open_task(inner, task))) {
        view_close_task(cursor);
        return NULL;
    }
    return cursor;
}

/* A signal stop as the signal event the replay shows: the siginfo's code,
 * and sync when an instruction raised it (a sent one gets its siginfo set). */
static int stop_as_signal(struct event_cursor *cursor, struct trace_event *event)
{
    event->kind = EVENT_SIGNAL;
    event->sysno = -1;
    event->result = 0;
    event->sig_code = 0;
    event->sync = 0;
    memset(event->args, 0, sizeof event->args);
    if (!event->extra_blob)
        return 0;
    siginfo_t info;
    void *data;
    size_t len;
    struct event_source *inner = cursor->view->inner;
    if (inner->ops->read_blob(inner, event->extra_blob, &data, &len) < 0)
        return -1;
    if (len == sizeof info) {
        memcpy(&info, data, sizeof info);
        event->sig_code = info.si_code;
        event->sync = signal_from_instruction(&info);
    }
    free(data);
    return 0;
}

/* A skipped syscall-entry stop as the syscall it stands for; its result
 * comes with the registers the tracer writes next. */
static void stop_as_syscall(struct trace_event *event)
{
    event->kind = EVENT_SYSCALL;
    event->sysno = (int64_t)event->regs.orig_rax;
    task_syscall_args(&event->regs, event->args);
    event->result = (int64_t)event->regs.rax;
    event->signo = 0;
    event->sig_code = 0;
    event->sync = 0;
    event->extra_blob = 0;
}

/* The registers the program goes on with, written by its tracer. */
static void regs_written(struct event_cursor *cursor, const struct trace_event *write)
{
    struct trace_event *held = &cursor->held.event;
    if (!cursor->has_held || !write->has_regs || replay_in_trampoline(write->regs.rip))
        return;
    if (held->kind == EVENT_SIGNAL && cursor->held_stop) {
        cursor->resume_regs = write->regs;
        cursor->resumed = true;
    }
    if (held->kind != EVENT_SYSCALL || write->regs.rip == held->ip - SYSCALL_INSN_LENGTH)
        return;
    held->result = (int64_t)write->regs.rax;
}

/* The two code bytes at `ip` in the tracee before event `seq`, when known:
 * as its tracer wrote them (a replayer's rebuilt address space), else as
 * the trace knows them (a file's mapping). 1, 0 or -1. */
static int code_at(struct event_cursor *cursor, int32_t tid, int64_t seq, uint64_t ip,
                   unsigned char code[CPUID_INSN_LENGTH])
{
    struct inner_view *view = cursor->view;
    int known = tracee_stops_written_bytes(view->tracees, tid, seq, ip, code, CPUID_INSN_LENGTH);
    if (known != 0)
        return known;
    return view->inner->ops->read_memory(view->inner, tid, seq, ip, code, CPUID_INSN_LENGTH) == CPUID_INSN_LENGTH;
}

/* A SIGSEGV stop at an rdtsc, rdtscp or cpuid the tracer stepped the program
 * past, with the values it should see: the instruction, as recorded. */
static int finish_cpu_trap(struct event_cursor *cursor)
{
    struct trace_event *event = &cursor->held.event;
    if (!cursor->held_stop || !cursor->resumed || event->kind != EVENT_SIGNAL || event->signo != SIGSEGV ||
        event->sig_code != SI_KERNEL)
        return 0;
    unsigned char code[CPUID_INSN_LENGTH];
    int known = 0;
    if (inner_cpu_trap_ambiguous(&event->regs, &cursor->resume_regs) &&
        (known = code_at(cursor, event->tid, event->seq, event->regs.rip, code)) < 0)
        return -1;
    if (inner_cpu_trap(event, &event->regs, &cursor->resume_regs, known ? code : NULL))
        cursor->held.write_count = 0;
    return 0;
}

/* A syscall whose memory the replayer rebuilds (a mapping's contents) rather
 * than writes as the syscall's: the nested source keeps none of it. */
static bool maps_memory(const struct trace_event *event)
{
    const struct syscall_desc *desc = event->kind == EVENT_SYSCALL ? syscall_lookup((long)event->sysno) : NULL;
    return desc && (desc->replay == REPLAY_MMAP || desc->replay == REPLAY_MREMAP || desc->replay == REPLAY_BRK);
}

/* Memory the tracer wrote: the last event's, or the syscall's the task is inside. */
static int memory_written(struct event_cursor *cursor, const struct source_event *write)
{
    bool inside = cursor->has_held && cursor->held.event.kind == EVENT_ENTER;
    if (cursor->has_held && maps_memory(&cursor->held.event))
        return 0;
    struct source_event *to = !cursor->has_held || inside ? &cursor->carried : &cursor->held;
    for (size_t i = 0; i < write->write_count; i++)
        if (!replay_in_trampoline(write->writes[i].addr) && source_event_add_write(to, &write->writes[i]) < 0)
            return -1;
    return 0;
}

/* Memory shared with other processes that changed from outside while the
 * task did not run (a shared_memory event): replay writes it in between two
 * of the task's stops, like a tracer's write, so the nested rebuild shows it
 * as the last event's, and so does this view. Before the task's first event
 * the rebuild cannot tell it from what the task's creation wrote into it
 * (its tid words): there it is compared on neither side. */
static int shared_memory_changed(struct event_cursor *cursor, const struct source_event *change)
{
    return cursor->has_held ? memory_written(cursor, change) : 0;
}

/* `event` (the one read) is a program event: hold it, handing out the one
 * held before into *out. 1 when *out was filled, 0 otherwise, -1. */
static int hold(struct event_cursor *cursor, bool stop, struct source_event *out)
{
    int handed = 0;
    if (cursor->has_held) {
        if (finish_cpu_trap(cursor) < 0)
            return -1;
        if (source_event_copy(out, &cursor->held) < 0)
            return -1;
        handed = 1;
    }
    struct source_event *held = &cursor->held;
    if (source_event_copy(held, &cursor->read) < 0)
        return -1;
    cursor->has_held = true;
    cursor->held_stop = stop;
    cursor->resumed = false;
    if (cursor->carried.write_count && held->event.kind != EVENT_ENTER) {
        /* The carried writes came first. */
        for (size_t i = 0; i < held->write_count; i++)
            if (source_event_add_write(&cursor->carried, &held->writes[i]) < 0)
                return -1;
        held->write_count = 0;
        for (size_t i = 0; i < cursor->carried.write_count; i++)
            if (source_event_add_write(held, &cursor->carried.writes[i]) < 0)
                return -1;
        cursor->carried.write_count = 0;
    }
    return handed;
}

static int view_next(struct event_cursor *cursor, struct source_event *out)
{
    struct event_source *inner = cursor->view->inner;
    for (;;) {
        int rc = cursor->ended ? 0 : inner->ops->next(cursor->inner, &cursor->read);
        if (rc < 0)
            return -1;
        if (rc == 0) {
            cursor->ended = true;
            if (!cursor->has_held)
                return 0;
            cursor->has_held = false;
            if (finish_cpu_trap(cursor) < 0)
                return -1;
            return source_event_copy(out, &cursor->held) < 0 ? -1 : 1;
        }
        struct trace_event *event = &cursor->read.event;
        if (event->kind == EVENT_TRACER_WRITE) {
            if (event->sig_code == TRACER_WROTE_REGS)
                regs_written(cursor, event);
            else if (event->sig_code == TRACER_WROTE_MEMORY && memory_written(cursor, &cursor->read) < 0)
                return -1;
            continue;
        }
        if (event->kind == EVENT_SHARED_MEMORY) {
            if (shared_memory_changed(cursor, &cursor->read) < 0)
                return -1;
            continue;
        }
        bool stop = event->kind == EVENT_TRACEE_STOP;
        if (stop) {
            if (event->sig_code == TRACEE_AT_SIGNAL) {
                if (stop_as_signal(cursor, event) < 0)
                    return -1;
            } else if (event->sig_code == TRACEE_AT_SYSCALL_ENTRY && event->sync && event->has_regs) {
                stop_as_syscall(event);
            } else {
                continue;
            }
            cursor->read.write_count = 0;
        }
        rc = hold(cursor, stop && event->kind == EVENT_SIGNAL, out);
        if (rc != 0)
            return rc;
    }
}

static int view_read_blob(struct event_source *source, int64_t blob, void **data, size_t *len)
{
    struct event_source *inner = of(source)->inner;
    return inner->ops->read_blob(inner, blob, data, len);
}

static int view_mappings(struct event_source *source, int64_t seq, struct trace_mapping **mappings)
{
    struct event_source *inner = of(source)->inner;
    return inner->ops->mappings(inner, seq, mappings);
}

static size_t view_read_memory(struct event_source *source, int32_t tid, int64_t seq, uint64_t addr,
                               void *buf, size_t max)
{
    struct event_source *inner = of(source)->inner;
    return inner->ops->read_memory(inner, tid, seq, addr, buf, max);
}

static int view_locate(struct event_source *source, int32_t tid, int64_t seq, uint64_t addr, char *text,
                       size_t size)
{
    struct event_source *inner = of(source)->inner;
    return inner->ops->locate(inner, tid, seq, addr, text, size);
}

static void view_close(struct event_source *source)
{
    struct inner_view *view = of(source);
    tracee_stops_free(view->tracees);
    if (view->store)
        trace_store_close(view->store);
    event_source_close(view->inner);
    free(view);
}

static const struct event_source_ops inner_view_ops = EVENT_SOURCE_OPS(view);

struct event_source *inner_view_open(struct event_source *inner)
{
    struct inner_view *view = calloc(1, sizeof *view);
    if (!view) {
        error_set("out of memory");
        event_source_close(inner);
        return NULL;
    }
    view->base = *inner;
    view->base.ops = &inner_view_ops;
    view->inner = inner;
    if (!(view->store = trace_store_open(inner->path)) || !(view->tracees = tracee_stops_new(view->store))) {
        view_close(&view->base);
        return NULL;
    }
    return &view->base;
}
