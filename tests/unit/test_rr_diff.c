/*
 * test_rr_diff.c — unit tests of rr-diff's modules, linked from
 * build/lib/librr-diff.a: the aligner (identical streams under other tids, a
 * changed result, every region with --all, an extra event it resynchronises
 * past, a task that ends early, context, --ignore) and the rebuilding of a
 * nested recording's program events (inner_view: a skipped syscall-entry
 * stop completed by the registers and memory its tracer wrote, a cpuid trap
 * the tracer stepped past; inner_cpu_trap on rdtsc, rdtscp and cpuid;
 * inner_events, fed a recorded replayer's stops and writes of its tracee:
 * the start, a syscall with its result and memory, an rdtsc trap, the exit).
 * Every trace is written here with libtrace and read through the real
 * trace source, so each check sees what rr-diff itself would.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "aligner.h"
#include "blob_store.h"
#include "error.h"
#include "event_log.h"
#include "event_source.h"
#include "ignore_list.h"
#include "inner_events.h"
#include "inner_view.h"
#include "syscall_table.h"
#include "task.h"
#include "task_match.h"
#include "trace_event.h"
#include "trace_store.h"
#include "tracee_stops.h"
#include "unit_check.h"

enum { EVENTS_MAX = 32 };

/* A one-task trace to write: its events in order (seq is set on writing),
 * and optionally a SIGSEGV (SI_KERNEL) siginfo for one event and bytes the
 * kernel (or a tracer) wrote during another. */
struct trace_plan {
    int32_t tid;
    struct trace_event events[EVENTS_MAX];
    int count;
    int siginfo_at;          /* the event index that gets the siginfo, or -1 */
    int write_at;            /* the event index of the memory write, or -1 */
    uint64_t write_addr;
    const char *write_bytes; /* a string: its bytes without the NUL */
};

/* The base stream: 12 syscalls of task `tid`, getppid and write in turn. */
static void plan_base(struct trace_plan *plan, int32_t tid)
{
    memset(plan, 0, sizeof *plan);
    plan->tid = tid;
    plan->siginfo_at = plan->write_at = -1;
    for (int i = 0; i < 12; i++) {
        struct trace_event *e = &plan->events[plan->count++];
        e->kind = EVENT_SYSCALL;
        e->ip = 0x401000 + 0x10 * (uint64_t)i;
        if (i % 2) {
            e->sysno = SYS_write;
            e->args[0] = 1;
            e->args[1] = 0x5000;
            e->args[2] = (uint64_t)i;
            e->result = i;
        } else {
            e->sysno = SYS_getppid;
            e->result = 1;
        }
    }
}

/* Insert `event` before index `at`. */
static void plan_insert(struct trace_plan *plan, int at, const struct trace_event *event)
{
    memmove(&plan->events[at + 1], &plan->events[at], (size_t)(plan->count - at) * sizeof *event);
    plan->events[at] = *event;
    plan->count++;
}

/* Write `plan` as a trace at a fresh scratch path (into `path`). 0 or -1. */
static int plan_write(const struct trace_plan *plan, char *path, const char *name)
{
    if (unit_scratch_path(path, name) < 0)
        return -1;
    struct trace_store *store = trace_store_create(path);
    if (!store)
        return -1;
    siginfo_t info = {.si_signo = SIGSEGV, .si_code = SI_KERNEL};
    int64_t siginfo = plan->siginfo_at >= 0 ? blob_store_put(store, &info, sizeof info) : 0;
    int rc = siginfo < 0 ? -1 : event_log_task_started(store, plan->tid, plan->tid, 1, 0, "./prog");
    for (int i = 0; rc == 0 && i < plan->count; i++) {
        struct trace_event event = plan->events[i];
        event.seq = i;
        event.tid = plan->tid;
        if (i == plan->siginfo_at)
            event.extra_blob = siginfo;
        rc = event_log_append(store, &event);
    }
    if (rc == 0 && plan->write_at >= 0)
        rc = event_log_add_mem_write(store, plan->write_at, plan->write_addr, plan->write_bytes,
                                     strlen(plan->write_bytes));
    if (rc == 0)
        rc = event_log_task_ended(store, plan->tid, plan->count - 1, TASK_END_EXITED, 0);
    return trace_store_close(store) < 0 ? -1 : rc;
}

/* What the aligner handed its sink. */
struct seen {
    int count;
    struct {
        int task;
        int64_t seq_a, seq_b;
        bool has_a, has_b;
        enum difference_what what;
        uint64_t a, b;
        enum region_end end;
        int64_t end_a, end_b;
        int context;
        int causes;
        int64_t cause_seq;
    } d[8];
};

static int collect(void *context, struct event_source *a, struct event_source *b,
                   const struct divergence *divergence)
{
    (void)a;
    (void)b;
    struct seen *seen = context;
    if (seen->count == 8)
        return 0;
    typeof(seen->d[0]) *d = &seen->d[seen->count++];
    d->task = divergence->pair->number;
    d->has_a = divergence->has_a;
    d->has_b = divergence->has_b;
    d->seq_a = divergence->event_a.seq;
    d->seq_b = divergence->event_b.seq;
    d->what = divergence->diffs.count ? divergence->diffs.items[0].what : (enum difference_what)-1;
    d->a = divergence->diffs.count ? divergence->diffs.items[0].a : 0;
    d->b = divergence->diffs.count ? divergence->diffs.items[0].b : 0;
    d->end = divergence->end;
    d->end_a = divergence->end_seq_a;
    d->end_b = divergence->end_seq_b;
    d->context = divergence->context_count;
    d->causes = divergence->cause_count;
    d->cause_seq = divergence->cause_count ? divergence->causes[0].a.seq : -1;
    return 0;
}

/* Align the traces of plans a and b with `options`; the sink's findings in
 * *seen, the totals in *totals. 0, or -1 with a FAIL line for the set-up. */
static int align_plans(const struct trace_plan *pa, const struct trace_plan *pb,
                       const struct align_options *options, struct seen *seen, struct align_totals *totals)
{
    char path_a[256], path_b[256];
    memset(seen, 0, sizeof *seen);
    struct event_source *a = NULL, *b = NULL;
    struct task_matching tasks;
    int rc = -1;
    if (plan_write(pa, path_a, "diff-a") == 0 && plan_write(pb, path_b, "diff-b") == 0 &&
        (a = trace_source_open(path_a)) && (b = trace_source_open(path_b)) && task_match(a, b, &tasks) == 0) {
        rc = align_sources(a, b, &tasks, options, collect, seen, totals);
        task_matching_free(&tasks);
    }
    if (rc < 0)
        printf("    set-up or alignment failed: %s\n", error_text());
    if (a)
        event_source_close(a);
    if (b)
        event_source_close(b);
    unit_remove_trace(path_a);
    unit_remove_trace(path_b);
    return rc;
}

static void test_aligner(void)
{
    struct ignore_list none = {0};
    struct align_options first = {.context = 3, .resync_window = 16, .ignore = &none};
    struct align_options all = first;
    all.all = true;
    struct trace_plan a, b;
    struct seen seen;
    struct align_totals totals;

    plan_base(&a, 100);
    plan_base(&b, 200);
    int rc = align_plans(&a, &b, &first, &seen, &totals);
    check(rc == 0 && totals.divergences == 0 && seen.count == 0 && totals.events_a == 12 && totals.events_b == 12,
          "aligner: the same stream under another tid is identical");

    b.events[5].result = 6;
    rc = align_plans(&a, &b, &first, &seen, &totals);
    check(rc == 0 && totals.divergences == 1 && seen.count == 1 && seen.d[0].seq_a == 5 && seen.d[0].seq_b == 5 &&
              seen.d[0].what == DIFF_RESULT && seen.d[0].a == 5 && seen.d[0].b == 6,
          "aligner: a changed result is a divergence at its event, with both values");
    check(rc == 0 && seen.count == 1 && seen.d[0].context == 3 && seen.d[0].end == REGION_OPEN,
          "aligner: -C 3 gives three events of context; the region is not followed");

    check(rc == 0 && totals.behaviour_same && seen.d[0].causes == 0,
          "aligner: inputs alone differ: the first of them, and the behaviour is the same");

    b.events[9].args[2] = 77;
    rc = align_plans(&a, &b, &first, &seen, &totals);
    check(rc == 0 && seen.count == 1 && seen.d[0].seq_a == 9 && seen.d[0].what == DIFF_ARG && !totals.behaviour_same &&
              seen.d[0].causes == 1 && seen.d[0].cause_seq == 5,
          "aligner: the first divergence in behaviour, the changed result before it its likely cause");
    struct align_options strict = first;
    strict.strict = true;
    rc = align_plans(&a, &b, &strict, &seen, &totals);
    check(rc == 0 && seen.count == 1 && seen.d[0].seq_a == 5 && seen.d[0].what == DIFF_RESULT,
          "aligner: --strict: the first difference of anything");
    all.strict = true;
    rc = align_plans(&a, &b, &all, &seen, &totals);
    check(rc == 0 && seen.count == 2 && seen.d[0].seq_a == 5 && seen.d[0].end == REGION_REJOINED &&
              seen.d[1].seq_a == 9 && seen.d[1].what == DIFF_ARG && seen.d[1].end == REGION_REJOINED,
          "aligner: --all --strict reports both regions, each rejoined");
    all.strict = false;
    rc = align_plans(&a, &b, &all, &seen, &totals);
    check(rc == 0 && seen.count == 1 && seen.d[0].seq_a == 9 && seen.d[0].cause_seq == 5,
          "aligner: --all: the behaviour region only, with its cause");

    plan_base(&b, 200);
    struct trace_event getpid = {.kind = EVENT_SYSCALL, .sysno = SYS_getpid, .result = 200, .ip = 0x402000};
    plan_insert(&b, 4, &getpid);
    rc = align_plans(&a, &b, &all, &seen, &totals);
    check(rc == 0 && seen.count == 1 && seen.d[0].seq_a == 4 && seen.d[0].seq_b == 4 &&
              seen.d[0].end == REGION_REJOINED && seen.d[0].end_a == 4 && seen.d[0].end_b == 5,
          "aligner: an extra event in B, then the sides meet again one apart");

    plan_base(&b, 200);
    b.count = 8;
    rc = align_plans(&a, &b, &first, &seen, &totals);
    check(rc == 0 && seen.count == 1 && seen.d[0].has_a && !seen.d[0].has_b && seen.d[0].seq_a == 8 &&
              seen.d[0].what == DIFF_ENDED,
          "aligner: B's task ends early: 'ended' at A's next event");

    plan_base(&b, 200);
    struct trace_event rdtsc = {.kind = EVENT_RDTSC, .result = 1000, .ip = 0x403000};
    plan_insert(&a, 2, &rdtsc);
    rdtsc.result = 2000;
    plan_insert(&b, 2, &rdtsc);
    rc = align_plans(&a, &b, &first, &seen, &totals);
    check(rc == 0 && seen.count == 1 && seen.d[0].seq_a == 2 && seen.d[0].what == DIFF_RESULT,
          "aligner: two rdtsc values differ");
    struct ignore_list ignore = {0};
    struct align_options ignoring = first;
    ignoring.ignore = &ignore;
    rc = ignore_list_parse(&ignore, "rdtsc") < 0 ? -1 : align_plans(&a, &b, &ignoring, &seen, &totals);
    check(rc == 0 && seen.count == 0 && totals.divergences == 0, "aligner: --ignore rdtsc looks past them");

    struct ignore_list groups = {0};
    check(ignore_list_parse(&groups, "time,pids") == 0 && groups.kinds[EVENT_RDTSC] && groups.syscalls[SYS_time] &&
              groups.syscalls[SYS_clock_gettime] && groups.syscalls[SYS_getppid] && !groups.syscalls[SYS_getrandom],
          "ignore groups: time holds rdtsc, the clocks and the syscall time; pids getppid; not getrandom");
}

/* An INNER recording's task: a syscall its tracer skipped and completed, a
 * cpuid trap stepped over, a plain syscall, then a stop that makes no event. */
static int write_nested_plan(char *path)
{
    struct trace_plan plan = {.tid = 300, .siginfo_at = 3, .write_at = 2, .write_addr = 0x7000, .write_bytes = "abcd"};
    struct trace_event *e = plan.events;
    /* 0: syscall-entry stop of getpid, skipped (sync: PTRACE_SYSEMU) */
    e[0] = (struct trace_event){.kind = EVENT_TRACEE_STOP, .sig_code = TRACEE_AT_SYSCALL_ENTRY, .sync = 1,
                                .has_regs = true, .ip = 0x401002};
    e[0].regs.orig_rax = SYS_getpid;
    e[0].regs.rax = (uint64_t)-38;
    e[0].regs.rip = 0x401002;
    /* 1: the tracer writes the result; 2: and four bytes of memory */
    e[1] = (struct trace_event){.kind = EVENT_TRACER_WRITE, .sig_code = TRACER_WROTE_REGS, .has_regs = true};
    e[1].regs = e[0].regs;
    e[1].regs.rax = 1234;
    e[2] = (struct trace_event){.kind = EVENT_TRACER_WRITE, .sig_code = TRACER_WROTE_MEMORY};
    /* 3: SIGSEGV (SI_KERNEL) at a cpuid of leaf 1; 4: the tracer steps past it */
    e[3] = (struct trace_event){.kind = EVENT_TRACEE_STOP, .sig_code = TRACEE_AT_SIGNAL, .signo = SIGSEGV,
                                .has_regs = true, .ip = 0x402000};
    e[3].regs = e[1].regs;
    e[3].regs.rip = 0x402000;
    e[3].regs.rax = 1;
    e[3].regs.rbx = e[3].regs.rcx = 0;
    e[4] = (struct trace_event){.kind = EVENT_TRACER_WRITE, .sig_code = TRACER_WROTE_REGS, .has_regs = true};
    e[4].regs = e[3].regs;
    e[4].regs.rip = 0x402002;
    e[4].regs.rax = 0x11;
    e[4].regs.rbx = 0x22;
    e[4].regs.rcx = 0x33;
    e[4].regs.rdx = 0x44;
    /* 5: a program syscall as a recording has it; 6: its exit stop, no event */
    e[5] = (struct trace_event){.kind = EVENT_SYSCALL, .sysno = SYS_getppid, .result = 1, .ip = 0x403000};
    e[6] = (struct trace_event){.kind = EVENT_TRACEE_STOP, .sig_code = TRACEE_AT_SYSCALL_EXIT, .ip = 0x403000};
    plan.count = 7;
    return plan_write(&plan, path, "nested");
}

/* A cursor over the only task of `source` (NULL when there is no source or
 * not exactly one task); *tasks to free with close_only_task. */
static struct event_cursor *open_only_task(struct event_source *source, struct trace_task **tasks)
{
    if (!source || source->ops->tasks(source, tasks) != 1)
        return NULL;
    return source->ops->open_task(source, &(*tasks)[0]);
}

static void close_only_task(struct event_source *source, struct trace_task *tasks, struct event_cursor *cursor)
{
    if (cursor)
        source->ops->close_task(cursor);
    free(tasks);
    if (source)
        event_source_close(source);
}

static void test_inner_view(void)
{
    char path[256];
    struct event_source *view = NULL;
    struct trace_task *tasks = NULL;
    struct event_cursor *cursor = NULL;
    struct source_event got[4];
    memset(got, 0, sizeof got);
    int n = 0, rc = -1;
    if (write_nested_plan(path) == 0 && (view = inner_view_open(trace_source_open(path))) &&
        (cursor = open_only_task(view, &tasks)))
        while (n < 4 && (rc = view->ops->next(cursor, &got[n])) == 1)
            n++;
    if (rc < 0)
        printf("    set-up or reading failed: %s\n", error_text());
    check(rc == 0 && n == 3, "inner_view: three program events from seven nested-tracing ones");
    const struct trace_event *e = &got[0].event;
    check(n >= 1 && e->kind == EVENT_SYSCALL && e->sysno == SYS_getpid && e->result == 1234,
          "inner_view: a skipped syscall-entry stop is the syscall, its result what the tracer wrote");
    check(n >= 1 && got[0].write_count == 1 && got[0].writes[0].addr == 0x7000 && got[0].writes[0].len == 4,
          "inner_view: the memory the tracer wrote belongs to that syscall");
    e = &got[1].event;
    check(n >= 2 && e->kind == EVENT_CPUID && e->args[0] == 1 && e->args[2] == 0x11 && e->args[3] == 0x22 &&
              e->args[4] == 0x33 && e->args[5] == 0x44 && e->signo == 0,
          "inner_view: a SIGSEGV stop stepped past cpuid is that cpuid, with its values");
    e = &got[2].event;
    check(n >= 3 && e->kind == EVENT_SYSCALL && e->sysno == SYS_getppid && e->result == 1,
          "inner_view: a program event passes as it is; an exit stop makes none");
    for (int i = 0; i < 4; i++)
        source_event_free(&got[i]);
    close_only_task(view, tasks, cursor);
    unit_remove_trace(path);
}

static void test_inner_cpu_trap(void)
{
    struct user_regs_struct at = {.rip = 0x1000, .rax = 7, .rbx = 5, .rcx = 9}, after = at;
    struct trace_event event = {.kind = EVENT_SIGNAL, .signo = SIGSEGV};
    after.rip += 2;
    after.rdx = 0x12;
    after.rax = 0x345678;
    check(inner_cpu_trap(&event, &at, &after, NULL) && event.kind == EVENT_RDTSC && event.signo == 0 &&
              event.result == 0x1200345678ll && event.args[0] == (uint64_t)-1,
          "inner_cpu_trap: two bytes, rbx and rcx kept, code unknown: rdtsc, edx:eax its value");
    static const unsigned char cpuid_code[2] = {0x0f, 0xa2}, rdtsc_code[2] = {0x0f, 0x31};
    event = (struct trace_event){.kind = EVENT_SIGNAL, .signo = SIGSEGV};
    check(inner_cpu_trap_ambiguous(&at, &after) && inner_cpu_trap(&event, &at, &after, cpuid_code) &&
              event.kind == EVENT_CPUID && event.args[0] == 7 && event.args[2] == 0x345678 && event.args[3] == 5 &&
              event.args[4] == 9 && event.args[5] == 0x12,
          "inner_cpu_trap: rbx and rcx kept, code 0f a2: a cpuid that left them as they were");
    event = (struct trace_event){.kind = EVENT_SIGNAL, .signo = SIGSEGV};
    check(inner_cpu_trap(&event, &at, &after, rdtsc_code) && event.kind == EVENT_RDTSC &&
              event.result == 0x1200345678ll,
          "inner_cpu_trap: code 0f 31: rdtsc");
    event = (struct trace_event){.kind = EVENT_SIGNAL, .signo = SIGSEGV};
    after.rip = at.rip + 3;
    after.rcx = 2;
    check(inner_cpu_trap(&event, &at, &after, NULL) && event.kind == EVENT_RDTSC && event.args[0] == 2,
          "inner_cpu_trap: three bytes: rdtscp, ecx its processor id");
    event = (struct trace_event){.kind = EVENT_SIGNAL, .signo = SIGSEGV};
    after = at;
    after.rip += 2;
    after.rbx = 0xabc;
    check(inner_cpu_trap(&event, &at, &after, NULL) && event.kind == EVENT_CPUID && event.args[0] == 7 &&
              event.args[1] == 9 && event.args[3] == 0xabc,
          "inner_cpu_trap: two bytes and rbx changed: cpuid, leaf and subleaf from before");
    event = (struct trace_event){.kind = EVENT_SIGNAL, .signo = SIGSEGV};
    after.rip = at.rip + 5;
    check(!inner_cpu_trap(&event, &at, &after, NULL) && event.kind == EVENT_SIGNAL && event.signo == SIGSEGV,
          "inner_cpu_trap: any other step leaves the signal as it is");
}

/* What a recording of rr-replay holds for one tracee (tid 500): its first
 * SIGSTOP and the registers it starts with, a read entered under
 * PTRACE_SYSEMU (skipped) whose bytes and result the tracer writes, an
 * injected syscall of the replayer's own, a SIGSEGV at an rdtsc the tracer
 * steps the program past, and the tracee's exit. */
static int write_tracee_plan(char *path)
{
    struct trace_plan plan = {.tid = 500, .count = 9, .siginfo_at = 6, .write_at = 3, .write_addr = 0x6000,
                              .write_bytes = "hello"};
    struct trace_event *e = plan.events;
    struct user_regs_struct regs = {.rip = 0x401000, .rsp = 0x7ff000};
    e[0] = (struct trace_event){.kind = EVENT_TRACEE_STOP, .sig_code = TRACEE_AT_SIGNAL, .signo = SIGSTOP,
                                .has_regs = true, .regs = regs};
    e[1] = (struct trace_event){.kind = EVENT_TRACER_WRITE, .sig_code = TRACER_WROTE_REGS, .has_regs = true,
                                .regs = regs};
    regs.rip = 0x401010;
    regs.orig_rax = SYS_read;
    regs.rdi = 0;
    regs.rsi = 0x6000;
    regs.rdx = 64;
    e[2] = (struct trace_event){.kind = EVENT_TRACEE_STOP, .sig_code = TRACEE_AT_SYSCALL_ENTRY, .sync = 1,
                                .has_regs = true, .regs = regs};
    e[3] = (struct trace_event){.kind = EVENT_TRACER_WRITE, .sig_code = TRACER_WROTE_MEMORY};
    regs.rax = 5;
    e[4] = (struct trace_event){.kind = EVENT_TRACER_WRITE, .sig_code = TRACER_WROTE_REGS, .has_regs = true,
                                .regs = regs};
    struct user_regs_struct injected = regs;
    injected.rip = TRAMPOLINE_ADDR + 2;
    injected.orig_rax = SYS_mmap;
    e[5] = (struct trace_event){.kind = EVENT_TRACEE_STOP, .sig_code = TRACEE_AT_SYSCALL_ENTRY, .sync = 0,
                                .has_regs = true, .regs = injected};
    regs.rip = 0x402000;
    e[6] = (struct trace_event){.kind = EVENT_TRACEE_STOP, .sig_code = TRACEE_AT_SIGNAL, .signo = SIGSEGV,
                                .has_regs = true, .regs = regs};
    regs.rip = 0x402002;
    regs.rax = 0x1111;
    regs.rdx = 0x2;
    e[7] = (struct trace_event){.kind = EVENT_TRACER_WRITE, .sig_code = TRACER_WROTE_REGS, .has_regs = true,
                                .regs = regs};
    e[8] = (struct trace_event){.kind = EVENT_EXIT, .result = 0};
    for (int i = 0; i < plan.count; i++)
        e[i].ip = e[i].regs.rip;
    return plan_write(&plan, path, "tracee");
}

static void test_inner_events(void)
{
    char path[256];
    struct event_source *outer = NULL;
    struct trace_store *store = NULL;
    struct tracee_stops *tracees = NULL;
    struct trace_task *tasks = NULL;
    struct event_cursor *cursor = NULL;
    struct source_event read = {0}, got[6];
    memset(got, 0, sizeof got);
    struct inner_events inner;
    int n = 0, rc = -1;
    if (write_tracee_plan(path) == 0 && (outer = trace_source_open(path)) && (store = trace_store_open(path)) &&
        (tracees = tracee_stops_new(store)) &&
        (cursor = open_only_task(outer, &tasks))) {
        inner_events_init(&inner, outer, tracees, 500, true);
        while ((rc = outer->ops->next(cursor, &read)) == 1) {
            if ((rc = inner_events_feed(&inner, &read)) < 0)
                break;
            while (n < 6 && (rc = inner_events_take(&inner, &got[n])) == 1)
                n++;
            if (rc < 0)
                break;
        }
        if (rc == 0 && (rc = inner_events_end(&inner)) == 0)
            while (n < 6 && (rc = inner_events_take(&inner, &got[n])) == 1)
                n++;
        inner_events_free(&inner);
    }
    if (rc < 0)
        printf("    set-up or feeding failed: %s\n", error_text());
    check(rc == 0 && n == 4, "inner_events: nine stops and writes make four program events");
    check(n >= 1 && got[0].event.kind == EVENT_EXEC && got[0].event.ip == 0x401000,
          "inner_events: the first process's first stop is the exec the program starts at");
    const struct trace_event *e = &got[1].event;
    check(n >= 2 && e->kind == EVENT_SYSCALL && e->sysno == SYS_read && e->args[1] == 0x6000 && e->args[2] == 64 &&
              e->result == 5 && e->seq == 2,
          "inner_events: a skipped entry is the syscall, its result the rax the tracer wrote");
    check(n >= 2 && got[1].write_count == 1 && got[1].writes[0].addr == 0x6000 && got[1].writes[0].len == 5,
          "inner_events: the bytes the tracer wrote are the syscall's; the injected syscall adds none");
    e = &got[2].event;
    check(n >= 3 && e->kind == EVENT_RDTSC && e->result == 0x200001111ll,
          "inner_events: a SIGSEGV stepped past two bytes is an rdtsc with edx:eax");
    check(n >= 4 && got[3].event.kind == EVENT_EXIT, "inner_events: the exit");
    source_event_free(&read);
    for (int i = 0; i < 6; i++)
        source_event_free(&got[i]);
    if (tracees)
        tracee_stops_free(tracees);
    if (store)
        trace_store_close(store);
    close_only_task(outer, tasks, cursor);
    unit_remove_trace(path);
}

int main(void)
{
    error_set_program("test_rr_diff");
    if (syscall_table_init() < 0) {
        check(0, "set-up: the syscall table");
        return unit_check_summary();
    }
    test_aligner();
    test_inner_view();
    test_inner_cpu_trap();
    test_inner_events();
    return unit_check_summary();
}
