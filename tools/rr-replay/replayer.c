/*
 * replayer.c — the replay loop. For each recorded event, in order, it runs
 * the program to the matching stop, checks the registers against the
 * recording, and plays the kernel's part:
 *   - syscalls stop at entry under PTRACE_SYSEMU, so the kernel skips them;
 *     emulated ones get their recorded result and memory writes, and the few
 *     that shape the address space or signal state are re-run through the
 *     trampoline page with recorded arguments (mmap forced to its recorded
 *     address and filled from the trace);
 *   - rdtsc (and cpuid, where it was trapped) get their recorded values;
 *   - signals are re-raised by the program's own faults, or delivered at the
 *     recorded syscall boundary with their recorded siginfo.
 * Any mismatch stops the replay with a report; nothing is passed over.
 */
#include "replayer.h"

#include <asm/prctl.h>
#include <errno.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "blob_store.h"
#include "content_hash.h"
#include "error.h"
#include "exec_state.h"
#include "outgoing_data.h"
#include "regs_codec.h"
#include "syscall_table.h"
#include "tool_tsc.h"
#include "trace_store.h"

enum {
    PAGE = 4096,
    /* The watchdog gives an event this long, plus WATCHDOG_FACTOR times the
     * time it took when recorded, before the replay is declared stuck. */
    WATCHDOG_GRACE_MS = 10000,
    WATCHDOG_FACTOR = 20,
    WATCHDOG_TICK_MS = 1000,
};

/* The kernel's internal "restart this syscall" results (include/linux/errno.h). */
enum {
    ERESTARTSYS = 512,
    ERESTARTNOINTR = 513,
    ERESTARTNOHAND = 514,
    ERESTART_RESTARTBLOCK = 516,
};

static bool is_restart_result(int64_t result)
{
    return result == -ERESTARTSYS || result == -ERESTARTNOINTR || result == -ERESTARTNOHAND ||
           result == -ERESTART_RESTARTBLOCK;
}

static uint64_t page_up(uint64_t value)
{
    return (value + PAGE - 1) & ~(uint64_t)(PAGE - 1);
}

static void describe_event(const struct trace_event *event, char *text, size_t size)
{
    if (event->kind == EVENT_SYSCALL || event->kind == EVENT_EXEC)
        snprintf(text, size, "syscall %s", syscall_name(event->sysno));
    else if (event->kind == EVENT_SIGNAL || (event->kind == EVENT_EXIT && event->signo))
        snprintf(text, size, "%s %s", event_kind_name(event->kind), strsignal(event->signo));
    else
        snprintf(text, size, "%s", event_kind_name(event->kind));
}

enum replay_outcome replayer_diverged(const struct trace_event *event, const char *fmt, ...)
{
    char what[128], message[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    describe_event(event, what, sizeof what);
    error_note("divergence at event %lld (task %d, %s): %s", (long long)event->seq, event->tid,
               what, message);
    return REPLAY_DIVERGED;
}

enum replay_outcome replayer_failed(void)
{
    error_note("%s", error_text());
    return REPLAY_FAILED;
}

enum replay_outcome replayer_compare_regs(const struct trace_event *event,
                                        const struct user_regs_struct *actual)
{
    if (!event->has_regs)
        return REPLAY_MATCHED;
    for (size_t i = 0; i < REGS_COUNT; i++) {
        uint64_t expected = regs_get(&event->regs, i), got = regs_get(actual, i);
        if (expected != got)
            return replayer_diverged(event, "register %s: expected 0x%llx, replay has 0x%llx",
                                     regs_name(i), (unsigned long long)expected,
                                     (unsigned long long)got);
    }
    return REPLAY_MATCHED;
}

const char *replayer_stop_text(const struct task_stop *stop, char *text, size_t size)
{
    switch (stop->kind) {
    case STOP_SYSCALL: snprintf(text, size, "a syscall"); break;
    case STOP_SIGNAL: snprintf(text, size, "signal %s", strsignal(stop->signo)); break;
    case STOP_EVENT: snprintf(text, size, "ptrace event %d", stop->event); break;
    case STOP_GROUP: snprintf(text, size, "a group stop"); break;
    case STOP_EXITED: snprintf(text, size, "an exit with status %d", stop->status); break;
    case STOP_KILLED: snprintf(text, size, "death by %s", strsignal(stop->signo)); break;
    }
    return text;
}

static void note_death(struct replay_task *rt, const struct task_stop *stop)
{
    rt->alive = false;
    rt->final_kind = stop->kind == STOP_EXITED ? 1 : 2;
    rt->final_value = stop->kind == STOP_EXITED ? stop->status : stop->signo;
}

/* Resume (passing any signal due for delivery) and wait for the next stop. */
static int run_to_stop(struct replayer *rep, struct task_stop *stop)
{
    int signo = rep->cur->deliver_signo;
    rep->cur->deliver_signo = 0;
    rep->cur->at_landmark = false;
    rep->cur->at_signal_stop = false;
    enum resume_how how = rep->cur->single_step ? RESUME_SYSEMU_SINGLESTEP : RESUME_SYSEMU;
    rep->cur->single_step = false;
    if (task_step(&rep->cur->task, how, signo, stop) < 0)
        return -1;
    /* A stop signal delivered as recorded puts the task in a group stop,
     * which looks like a signal stop but has no siginfo: go on, as the
     * recorder did. */
    siginfo_t info;
    while (stop->kind == STOP_SIGNAL && ptrace(PTRACE_GETSIGINFO, rep->cur->task.tid, 0, &info) < 0 &&
           errno == EINVAL) {
        if (task_step(&rep->cur->task, RESUME_SYSEMU, 0, stop) < 0)
            return -1;
    }
    if (rep->stalled) {
        const struct trace_event *event = rep->current_event;
        error_set("replay stuck at event %lld (task %d): the program ran for %lld s without reaching it"
                  " (it came %lld ms after the event before when recorded)",
                  (long long)event->seq, event->tid,
                  (long long)(WATCHDOG_GRACE_MS + WATCHDOG_FACTOR * (event->at_ms - rep->previous_at_ms)) / 1000,
                  (long long)(event->at_ms - rep->previous_at_ms));
        return -1;
    }
    if (stop->kind == STOP_EXITED || stop->kind == STOP_KILLED)
        note_death(rep->cur, stop);
    return 0;
}

/* Run to the next stop and note what the replay observed there: the event
 * stream `--events` writes is made of these, not of the recorded events. */
int replayer_run_and_observe(struct replayer *rep, const struct trace_event *event,
                             struct task_stop *stop, struct user_regs_struct *regs)
{
    if (run_to_stop(rep, stop) < 0)
        return -1;
    struct trace_event *seen = &rep->observed;
    *seen = *event;
    seen->has_regs = false;
    seen->has_data_hash = false;
    rep->has_observed = true;
    switch (stop->kind) {
    case STOP_SYSCALL:
        if (task_get_regs(&rep->cur->task, regs) < 0)
            return -1;
        if (event->kind != EVENT_EXEC && event->kind != EVENT_ENTER)
            seen->kind = EVENT_SYSCALL;
        seen->sysno = (int64_t)regs->orig_rax;
        task_syscall_args(regs, seen->args);
        break;
    case STOP_SIGNAL:
        if (task_get_regs(&rep->cur->task, regs) < 0)
            return -1;
        if (!((event->kind == EVENT_RDTSC || event->kind == EVENT_CPUID) && stop->signo == SIGSEGV)) {
            seen->kind = EVENT_SIGNAL;
            seen->signo = stop->signo;
        }
        break;
    default:
        seen->kind = EVENT_EXIT;
        seen->result = stop->kind == STOP_EXITED ? stop->status : 0;
        seen->signo = stop->kind == STOP_KILLED ? stop->signo : 0;
        return 0;
    }
    seen->has_regs = true;
    seen->regs = *regs;
    seen->ip = regs->rip;
    return 0;
}

/* Run to the stop `event` needs and check the registers there. */
enum replay_outcome replayer_reach(struct replayer *rep, const struct trace_event *event,
                                 enum stop_kind want, int want_signo, struct user_regs_struct *regs)
{
    struct task_stop stop;
    char text[128];
    if (rep->cur->parked && want == STOP_SYSCALL) {
        /* Already at this syscall's entry: an enter event brought it there. */
        rep->cur->parked = false;
        *regs = rep->cur->parked_regs;
        rep->observed = *event;
        rep->observed.regs = *regs;
        rep->has_observed = true;
        return replayer_compare_regs(event, regs);
    }
    if (rep->cur->parked)
        return replayer_diverged(event, "the task is waiting in a syscall it entered, not at %s",
                                 event_kind_name(event->kind));
    if (replayer_run_and_observe(rep, event, &stop, regs) < 0)
        return replayer_failed();
    if (stop.kind != want || (want == STOP_SIGNAL && stop.signo != want_signo))
        return replayer_diverged(event, "the program reached %s instead",
                                 replayer_stop_text(&stop, text, sizeof text));
    return replayer_compare_regs(event, regs);
}

/* Put the memory the kernel wrote during event `seq` back into the program. */
int replayer_apply_mem_writes(struct replayer *rep, int64_t seq)
{
    for (;;) {
        if (!rep->has_pending_write && !rep->writes_exhausted) {
            int rc = event_log_next_mem_write(rep->store, &rep->pending_write);
            if (rc < 0)
                return -1;
            rep->has_pending_write = rc == 1;
            rep->writes_exhausted = rc == 0;
        }
        if (!rep->has_pending_write || rep->pending_write.seq > seq)
            return 0;
        rep->has_pending_write = false;
        if (rep->pending_write.seq < seq)
            continue;
        void *data;
        size_t len;
        if (blob_store_get(rep->store, rep->pending_write.blob, &data, &len) < 0)
            return -1;
        int rc = task_write_mem(&rep->cur->task, rep->pending_write.addr, data, len);
        if (rc == 0 && rep->events_out)
            rc = event_log_add_mem_write(rep->events_out, seq, rep->pending_write.addr, data, len);
        free(data);
        if (rc < 0)
            return -1;
    }
}

static int write_to_fd(void *context, const void *data, size_t len)
{
    int fd = *(int *)context;
    if (write(fd, data, len) < 0) {
        /* Our own output is closed: keep replaying, there is nothing to show. */
    }
    return 0;
}

/* The bytes a write-like syscall handed the kernel must hash as recorded;
 * those going to stdout/stderr are shown as the recording saw them. */
static enum replay_outcome check_outgoing_data(struct replayer *rep, const struct trace_event *event)
{
    unsigned char *data;
    size_t len;
    if (!event->has_data_hash)
        return REPLAY_MATCHED;
    if (outgoing_data_read(&rep->cur->task, event->sysno, event->args, event->result, &data, &len) < 0)
        return replayer_failed();
    rep->observed.has_data_hash = true;
    rep->observed.data_hash = content_hash(data, len);
    if (rep->observed.data_hash != event->data_hash) {
        free(data);
        return replayer_diverged(event, "the %zu bytes written differ from the recording", len);
    }
    enum output_kind kind = output_fds_kind(&rep->cur->files->outputs, (int64_t)event->args[0]);
    if (!rep->quiet && kind != OUTPUT_NONE && event->sysno != SYS_sendto) {
        int out = kind == OUTPUT_STDOUT ? STDOUT_FILENO : STDERR_FILENO;
        write_to_fd(&out, data, len);
    }
    free(data);
    return REPLAY_MATCHED;
}

/* Show what copy_file_range/sendfile passed to stdout/stderr when recorded. */
static int echo_passed_output(struct replayer *rep, const struct trace_event *event)
{
    int out_arg = event->sysno == SYS_sendfile ? 0 : 2;
    enum output_kind kind = output_fds_kind(&rep->cur->files->outputs, (int64_t)event->args[out_arg]);
    if (rep->quiet || kind == OUTPUT_NONE || event->result <= 0)
        return 0;
    int fd = kind == OUTPUT_STDOUT ? STDOUT_FILENO : STDERR_FILENO;
    return event_log_passed_output(rep->store, event->seq, write_to_fd, &fd);
}

/* Resume to the next syscall stop; anything else is a failure named by `what`. */
static int step_to_syscall_stop(struct replayer *rep, const char *what)
{
    struct task_stop stop;
    if (task_step(&rep->cur->task, RESUME_SYSCALL, 0, &stop) < 0)
        return -1;
    if (stop.kind != STOP_SYSCALL) {
        error_set("replay: %s", what);
        return -1;
    }
    return 0;
}

/* From a SYSEMU entry stop, move to the (skipped) syscall's exit stop, where
 * syscalls can be injected. */
static int leave_entry_stop(struct replayer *rep)
{
    return step_to_syscall_stop(rep, "the task did not stop after an emulated syscall");
}

/* Run one syscall for real in place of the recorded one, then make the
 * program see the recorded result with its registers as at entry. */
static enum replay_outcome run_for_real(struct replayer *rep, const struct trace_event *event,
                                        struct user_regs_struct *regs, long nr, const uint64_t args[6],
                                        int64_t expected)
{
    int64_t result;
    if (leave_entry_stop(rep) < 0 || task_inject_syscall(&rep->cur->task, nr, args, &result) < 0)
        return replayer_failed();
    if (expected != INT64_MIN && result != expected) {
        rep->observed.result = result; /* the program sees the recorded result otherwise */
        return replayer_diverged(event, "%s returned %lld in replay, %lld when recorded",
                                 syscall_name(nr), (long long)result, (long long)expected);
    }
    struct user_regs_struct after;
    if (task_get_regs(&rep->cur->task, &after) < 0)
        return replayer_failed();
    regs->fs_base = after.fs_base; /* arch_prctl(ARCH_SET_FS) changes them */
    regs->gs_base = after.gs_base;
    regs->rax = (unsigned long long)event->result;
    if (task_set_regs(&rep->cur->task, regs) < 0)
        return replayer_failed();
    return REPLAY_MATCHED;
}

static enum replay_outcome replay_mmap(struct replayer *rep, const struct trace_event *event,
                                       struct user_regs_struct *regs)
{
    uint64_t args[6];
    memcpy(args, event->args, sizeof args);
    int keep = MAP_SHARED | MAP_PRIVATE | MAP_GROWSDOWN | MAP_STACK | MAP_NORESERVE | MAP_LOCKED;
    args[0] = (uint64_t)event->result;
    args[3] = (args[3] & (uint64_t)keep) | MAP_FIXED | MAP_ANONYMOUS;
    /* A read-only shared mapping can only show the file: private is the same
     * here, and lets the recorded contents be written in. */
    if (!(args[2] & PROT_WRITE) && (args[3] & MAP_SHARED))
        args[3] = (args[3] & ~(uint64_t)MAP_SHARED) | MAP_PRIVATE;
    args[4] = (uint64_t)-1;
    args[5] = 0;
    enum replay_outcome outcome = run_for_real(rep, event, regs, SYS_mmap, args, event->result);
    if (outcome != REPLAY_MATCHED)
        return outcome;
    struct trace_mapping *mappings = NULL;
    int count = event_log_mappings(rep->store, event->seq, &mappings);
    if (count < 0)
        return replayer_failed();
    for (int i = 0; i < count; i++) {
        void *contents;
        size_t len;
        if (!mappings[i].blob)
            continue;
        if (blob_store_get(rep->store, mappings[i].blob, &contents, &len) < 0) {
            free(mappings);
            return replayer_failed();
        }
        int rc = task_write_mem(&rep->cur->task, mappings[i].start, contents, len);
        free(contents);
        if (rc < 0) {
            free(mappings);
            return replayer_failed();
        }
    }
    free(mappings);
    return REPLAY_MATCHED;
}

static enum replay_outcome replay_mremap(struct replayer *rep, const struct trace_event *event,
                                         struct user_regs_struct *regs)
{
    uint64_t args[6];
    memcpy(args, event->args, sizeof args);
    if ((uint64_t)event->result == args[0]) {
        args[3] &= ~(uint64_t)MREMAP_MAYMOVE; /* it stayed put when recorded */
    } else {
        args[3] |= MREMAP_MAYMOVE | MREMAP_FIXED;
        args[4] = (uint64_t)event->result;
    }
    return run_for_real(rep, event, regs, SYS_mremap, args, event->result);
}

/* The program break is emulated with anonymous mappings, since the replay
 * process's own break is not where the recorded one was. */
static enum replay_outcome replay_brk(struct replayer *rep, const struct trace_event *event,
                                      struct user_regs_struct *regs)
{
    uint64_t old_end = page_up(rep->cur->process->current_brk), new_end = page_up((uint64_t)event->result);
    if (rep->cur->process->current_brk == 0 || old_end == new_end) {
        rep->cur->process->current_brk = (uint64_t)event->result;
        regs->rax = (unsigned long long)event->result;
        return task_set_regs(&rep->cur->task, regs) < 0 ? replayer_failed() : REPLAY_MATCHED;
    }
    enum replay_outcome outcome;
    if (new_end > old_end) {
        const uint64_t args[6] = {old_end, new_end - old_end, PROT_READ | PROT_WRITE,
                                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, (uint64_t)-1, 0};
        outcome = run_for_real(rep, event, regs, SYS_mmap, args, (int64_t)old_end);
    } else {
        const uint64_t args[6] = {new_end, old_end - new_end, 0, 0, 0, 0};
        outcome = run_for_real(rep, event, regs, SYS_munmap, args, 0);
    }
    rep->cur->process->current_brk = (uint64_t)event->result;
    return outcome;
}

/* Wait until a task that is dying (or dead) is gone. */
static int collect_death(struct replay_task *rt)
{
    struct task_stop stop;
    do {
        if (task_wait(&rt->task, &stop) < 0)
            return -1;
    } while (stop.kind != STOP_EXITED && stop.kind != STOP_KILLED);
    note_death(rt, &stop);
    return 0;
}

static enum replay_outcome replay_exit_syscall(struct replayer *rep, const struct trace_event *event,
                                               struct user_regs_struct *regs)
{
    struct task_stop stop;
    char text[128];
    if (leave_entry_stop(rep) < 0)
        return replayer_failed();
    regs->rip = TRAMPOLINE_ADDR;
    regs->rax = (unsigned long long)event->sysno;
    regs->orig_rax = (unsigned long long)-1;
    if (task_set_regs(&rep->cur->task, regs) < 0 || task_resume(&rep->cur->task, RESUME_CONT, 0) < 0)
        return replayer_failed();
    if (event->sysno == SYS_exit && rep->cur->process->users > 1) {
        /* One thread of several: a thread group leader's death is reported
         * only after the others', so it is collected at its exit event. The
         * exit's effects (the clear-child-tid word its joiner reads) must
         * have happened before the others run on. */
        rep->cur->exiting = true;
        return task_wait_until_exited(&rep->cur->task) < 0 ? replayer_failed() : REPLAY_MATCHED;
    }
    if (event->sysno == SYS_exit_group) {
        /* The other threads die with it. The kernel reports the thread group
         * leader's death only after every other thread's has been collected,
         * this one's included: collect the others, then the leader. */
        struct replay_task *leader = NULL;
        for (int i = 0; i < rep->task_count; i++) {
            struct replay_task *thread = rep->tasks[i];
            if (!thread->alive || thread->group != rep->cur->group)
                continue;
            if (thread->recorded_tid == thread->group)
                leader = thread;
            else if (collect_death(thread) < 0)
                return replayer_failed();
        }
        if (leader && collect_death(leader) < 0)
            return replayer_failed();
        return REPLAY_MATCHED;
    }
    if (task_wait(&rep->cur->task, &stop) < 0)
        return replayer_failed();
    if (stop.kind != STOP_EXITED && stop.kind != STOP_KILLED)
        return replayer_diverged(event, "the program did not exit but reached %s",
                                 replayer_stop_text(&stop, text, sizeof text));
    note_death(rep->cur, &stop);
    return REPLAY_MATCHED;
}

static struct replay_task *find_replay_task(struct replayer *rep, int32_t recorded_tid)
{
    for (int i = rep->task_count - 1; i >= 0; i--)
        if (rep->tasks[i]->recorded_tid == recorded_tid)
            return rep->tasks[i];
    return NULL;
}

/* A state shared between tasks (struct replay_process or replay_files, both
 * beginning with their user count): `share` itself with one more user, or a
 * copy of `copy` (a fork), or a fresh one. */
static void *shared_state(void *share, const void *copy, size_t size)
{
    if (share) {
        (*(int *)share)++;
        return share;
    }
    void *state = calloc(1, size);
    if (!state) {
        error_set("out of memory");
        return NULL;
    }
    if (copy)
        memcpy(state, copy, size);
    *(int *)state = 1;
    return state;
}

/* The first task's descriptors: stdout and stderr are the recording's. */
static struct replay_files *initial_files(void)
{
    struct replay_files *files = shared_state(NULL, NULL, sizeof *files);
    if (files)
        output_fds_init(&files->outputs);
    return files;
}

static void shared_state_release(void *state)
{
    if (state && --*(int *)state == 0)
        free(state);
}

/* A replay task standing for `recorded_tid`, driven through live task `tid`. */
static struct replay_task *add_replay_task(struct replayer *rep, int32_t recorded_tid, pid_t tid,
                                           struct replay_process *process, struct replay_files *files)
{
    if (rep->task_count == rep->task_capacity) {
        int capacity = rep->task_capacity ? rep->task_capacity * 2 : 8;
        struct replay_task **grown = realloc(rep->tasks, (size_t)capacity * sizeof *grown);
        if (!grown) {
            error_set("out of memory");
            return NULL;
        }
        rep->tasks = grown;
        rep->task_capacity = capacity;
    }
    struct replay_task *rt = calloc(1, sizeof *rt);
    if (!rt) {
        error_set("out of memory");
        return NULL;
    }
    rt->recorded_tid = recorded_tid;
    rt->group = recorded_tid;
    rt->task.tid = tid;
    rt->task.mem_fd = -1;
    rt->alive = true;
    rt->process = process;
    rt->files = files;
    if (!process || !files || task_attach_fd(&rt->task, tid) < 0) {
        free(rt);
        return NULL;
    }
    rep->tasks[rep->task_count++] = rt;
    return rt;
}

void replayer_free(struct replayer *rep)
{
    for (int i = 0; i < rep->task_count; i++) {
        struct replay_task *rt = rep->tasks[i];
        if (rt->alive)
            kill(rt->task.tid, SIGKILL);
        task_detach_fd(&rt->task);
        shared_state_release(rt->process);
        shared_state_release(rt->files);
        free(rt);
    }
    free(rep->tasks);
    rep->tasks = NULL;
    free(rep->recorded_tasks);
    rep->recorded_tasks = NULL;
    rep->task_count = 0;
}

/* struct clone_args (clone3) fields used here, as offsets in bytes. */
enum { CLONE_ARGS_PARENT_TID = 24, CLONE_ARGS_CHILD_TID = 16, CLONE_ARGS_EXIT_SIGNAL = 32,
       CLONE_ARGS_COPY_AT = 256 /* in the trampoline page */ };

/* The flags a fork-like syscall runs with in replay. Tids are written as
 * recorded, not by the kernel. Every replayed process is made a child of
 * rr-replay (CLONE_PARENT): the program's own waits are emulated, and a real
 * SIGCHLD reaching the program would be a stop the recording never saw (an
 * exit_signal of 0 is not enough: exec resets it to SIGCHLD). A vfork stays
 * a vfork: the child shares the parent's memory and the parent waits for its
 * exec, as when recorded. */
static uint64_t replay_clone_flags(uint64_t flags)
{
    return (flags & ~(uint64_t)(CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_PIDFD |
                                0xff /* exit signal: CLONE_PARENT takes the parent's */)) |
           CLONE_PARENT;
}

/* Write the recorded tid where the program asked the kernel to put it. */
static int write_recorded_tid(struct task *task, uint64_t addr, int32_t tid)
{
    return addr ? task_write_mem(task, addr, &tid, sizeof tid) : 0;
}

/* Run the fork-like syscall for real, in place (the child must resume where
 * the recorded one did), with flags changed as replay_clone_flags says; the
 * new process stands for the recorded child. */
static enum replay_outcome replay_clone(struct replayer *rep, const struct trace_event *event,
                                        struct user_regs_struct *regs)
{
    struct replay_task *parent = rep->cur;
    struct user_regs_struct run = *regs;
    uint64_t flags = 0, parent_tid_at = 0, child_tid_at = 0;
    run.rip -= 2; /* back onto the syscall instruction */
    switch (event->sysno) {
    case SYS_clone3: {
        unsigned char args[CLONE_ARGS_COPY_AT];
        size_t size = event->args[1] < sizeof args ? event->args[1] : sizeof args;
        if (task_read_mem(&parent->task, event->args[0], args, size) != (ssize_t)size)
            return replayer_failed();
        memcpy(&flags, args, 8);
        memcpy(&child_tid_at, args + CLONE_ARGS_CHILD_TID, 8);
        memcpy(&parent_tid_at, args + CLONE_ARGS_PARENT_TID, 8);
        uint64_t changed = replay_clone_flags(flags), no_signal = 0;
        memcpy(args, &changed, 8);
        memcpy(args + CLONE_ARGS_EXIT_SIGNAL, &no_signal, 8);
        if (task_write_mem(&parent->task, TRAMPOLINE_ADDR + CLONE_ARGS_COPY_AT, args, size) < 0)
            return replayer_failed();
        run.rax = SYS_clone3;
        run.rdi = TRAMPOLINE_ADDR + CLONE_ARGS_COPY_AT;
        break;
    }
    case SYS_clone:
        flags = event->args[0];
        parent_tid_at = event->args[2];
        child_tid_at = event->args[3];
        run.rax = SYS_clone;
        run.rdi = replay_clone_flags(flags);
        break;
    default: /* fork, vfork: a clone with only their own flags */
        flags = event->sysno == SYS_vfork ? CLONE_VM | CLONE_VFORK : 0;
        run.rax = SYS_clone;
        run.rdi = replay_clone_flags(flags);
        run.rsi = 0;
        break;
    }
    struct task_stop stop;
    unsigned long child_pid = 0;
    if (leave_entry_stop(rep) < 0 || task_set_regs(&parent->task, &run) < 0 ||
        step_to_syscall_stop(rep, "the fork did not start") < 0 ||
        task_step(&parent->task, RESUME_SYSCALL, 0, &stop) < 0)
        return replayer_failed();
    if (stop.kind != STOP_EVENT ||
        ptrace(PTRACE_GETEVENTMSG, parent->task.tid, 0, &child_pid) < 0) {
        char text[128];
        return replayer_diverged(event, "the fork failed in replay (%s)",
                                 replayer_stop_text(&stop, text, sizeof text));
    }
    bool vfork = stop.event == PTRACE_EVENT_VFORK;
    if (vfork) {
        /* The parent returns once the child has exec'd or exited; its exit
         * stop is collected before its next event (finish_vfork). */
        if (task_resume(&parent->task, RESUME_SYSCALL, 0) < 0)
            return replayer_failed();
        parent->vfork_pending = true;
    } else if (step_to_syscall_stop(rep, "the fork did not return") < 0) {
        return replayer_failed();
    }
    struct task child_task = {.tid = (pid_t)child_pid, .mem_fd = -1};
    if (task_wait(&child_task, &stop) < 0)
        return replayer_failed();
    if (stop.kind != STOP_SIGNAL || stop.signo != SIGSTOP)
        return replayer_diverged(event, "the new process did not start as expected");
    /* A vfork child shares its parent's memory but has a descriptor table
     * of its own (its dup2s before exec are not the parent's). */
    struct replay_process *process = flags & CLONE_VM
        ? shared_state(parent->process, NULL, sizeof *process)
        : shared_state(NULL, parent->process, sizeof *process);
    struct replay_files *files = flags & CLONE_FILES
        ? shared_state(parent->files, NULL, sizeof *files)
        : shared_state(NULL, parent->files, sizeof *files);
    struct replay_task *child = add_replay_task(rep, (int32_t)event->result, (pid_t)child_pid,
                                                process, files);
    if (!child)
        return replayer_failed();
    if (rep->events_out) {
        /* The stream's task table, named as the recorder names new tasks. */
        char command[64];
        snprintf(command, sizeof command, "%s of %d", flags & CLONE_THREAD ? "thread" : "child",
                 parent->recorded_tid);
        if (event_log_task_started(rep->events_out, child->recorded_tid,
                                   flags & CLONE_THREAD ? parent->group : child->recorded_tid,
                                   parent->recorded_tid, event->seq, command) < 0)
            return replayer_failed();
    }
    child->task.has_trampoline = parent->task.has_trampoline;
    if (flags & CLONE_THREAD)
        child->group = parent->group;

    /* The child's registers are the parent's at entry but for rax = 0. */
    struct user_regs_struct child_regs = *regs;
    child_regs.rax = 0;
    if (task_get_regs(&child->task, &run) < 0)
        return replayer_failed();
    child_regs.rsp = run.rsp; /* clone may give the child a stack of its own */
    child_regs.fs_base = run.fs_base;
    if (task_set_regs(&child->task, &child_regs) < 0)
        return replayer_failed();
    if (flags & CLONE_PARENT_SETTID) {
        if (write_recorded_tid(&parent->task, parent_tid_at, (int32_t)event->result) < 0 ||
            write_recorded_tid(&child->task, parent_tid_at, (int32_t)event->result) < 0)
            return replayer_failed();
    }
    if ((flags & CLONE_CHILD_SETTID) &&
        write_recorded_tid(&child->task, child_tid_at, (int32_t)event->result) < 0)
        return replayer_failed();
    regs->rax = (unsigned long long)event->result;
    if (vfork)
        parent->vfork_regs = *regs;
    else if (task_set_regs(&parent->task, regs) < 0)
        return replayer_failed();
    return replayer_apply_mem_writes(rep, event->seq) < 0 ? replayer_failed() : REPLAY_MATCHED;
}

/* A vfork parent's next event: its vfork has returned by now (the child
 * exec'd or exited, as the recorded order says); give it the recorded result. */
static int finish_vfork(struct replay_task *parent)
{
    struct task_stop stop;
    parent->vfork_pending = false;
    if (task_wait(&parent->task, &stop) < 0)
        return -1;
    if (stop.kind != STOP_SYSCALL) {
        error_set("replay: vfork did not return to its parent");
        return -1;
    }
    return task_set_regs(&parent->task, &parent->vfork_regs);
}

static enum replay_outcome replay_emulated(struct replayer *rep, const struct trace_event *event,
                                           struct user_regs_struct *regs)
{
    if (replayer_apply_mem_writes(rep, event->seq) < 0)
        return replayer_failed();
    regs->rax = (unsigned long long)event->result;
    if (rep->corrupt_seq && event->seq == rep->corrupt_seq)
        regs->rax++; /* the injected replayer bug (--test-corrupt-result) */
    if (task_set_regs(&rep->cur->task, regs) < 0)
        return replayer_failed();
    rep->cur->restart_pending = is_restart_result(event->result);
    enum replay_outcome outcome = check_outgoing_data(rep, event);
    if (outcome != REPLAY_MATCHED)
        return outcome;
    if ((event->sysno == SYS_copy_file_range || event->sysno == SYS_sendfile) &&
        echo_passed_output(rep, event) < 0)
        return replayer_failed();
    output_fds_after_syscall(&rep->cur->files->outputs, event->sysno, event->args, event->result);
    return REPLAY_MATCHED;
}

/* Does this syscall wait under a temporary signal mask? *mask gets the
 * mask's address (0 when the call passed none). */
static bool temporary_mask(struct replayer *rep, const struct trace_event *event, uint64_t *mask)
{
    switch (event->sysno) {
    case SYS_rt_sigsuspend:
        *mask = event->args[0];
        return true;
    case SYS_ppoll:
        *mask = event->args[3];
        return true;
    case SYS_epoll_pwait:
    case SYS_epoll_pwait2:
        *mask = event->args[4];
        return true;
    case SYS_pselect6: /* the sixth argument points at {sigset pointer, size} */
        *mask = 0;
        return event->args[5] == 0 ||
               task_read_mem(&rep->cur->task, event->args[5], mask, sizeof *mask) == sizeof *mask;
    default:
        return false;
    }
}

static enum replay_outcome replay_syscall(struct replayer *rep, const struct trace_event *event)
{
    struct user_regs_struct regs;
    enum replay_outcome outcome = replayer_reach(rep, event, STOP_SYSCALL, 0, &regs);
    if (outcome != REPLAY_MATCHED)
        return outcome;
    const struct syscall_desc *desc = syscall_lookup(event->sysno);
    if (!desc)
        return replayer_diverged(event, "the trace names an unknown syscall %lld", (long long)event->sysno);
    uint64_t mask = 0;
    if ((event->result == -ERESTARTNOHAND || event->result == -EINTR) &&
        temporary_mask(rep, event, &mask) && mask) {
        /* The signal that ended it must be delivered under the temporary
         * mask, which only a real wait sets up: replay_signal runs one. */
        if (replayer_apply_mem_writes(rep, event->seq) < 0)
            return replayer_failed();
        rep->cur->masked_wait_pending = true;
        rep->cur->masked_wait_mask = mask;
        rep->cur->masked_wait_result = event->result;
        return REPLAY_MATCHED;
    }
    if (event->result < 0 && event->result > -4096 && desc->replay != REPLAY_EXECUTE)
        return replay_emulated(rep, event, &regs); /* a failed call changed nothing */
    switch (desc->replay) {
    case REPLAY_EXECUTE:
        if (event->sysno == SYS_exit || event->sysno == SYS_exit_group)
            return replay_exit_syscall(rep, event, &regs);
        if (event->sysno == SYS_rt_sigreturn) {
            int64_t result;
            if (leave_entry_stop(rep) < 0 ||
                task_inject_syscall_keep_regs(&rep->cur->task, SYS_rt_sigreturn, event->args, &result) < 0)
                return replayer_failed();
            return REPLAY_MATCHED; /* the next event checks the restored registers */
        }
        /* set_tid_address returns the caller's tid, which differs in replay;
         * the program sees the recorded one. */
        outcome = run_for_real(rep, event, &regs, event->sysno, event->args,
                               event->sysno == SYS_set_tid_address ? INT64_MIN : event->result);
        if (outcome == REPLAY_MATCHED && replayer_apply_mem_writes(rep, event->seq) < 0)
            return replayer_failed();
        return outcome;
    case REPLAY_MMAP:
        return replay_mmap(rep, event, &regs);
    case REPLAY_MREMAP:
        return replay_mremap(rep, event, &regs);
    case REPLAY_BRK:
        return replay_brk(rep, event, &regs);
    case REPLAY_CLONE:
        return replay_clone(rep, event, &regs);
    case REPLAY_ARCH_PRCTL:
        if (event->args[0] == ARCH_SET_FS || event->args[0] == ARCH_SET_GS)
            return run_for_real(rep, event, &regs, SYS_arch_prctl, event->args, event->result);
        return replay_emulated(rep, event, &regs);
    default:
        return replay_emulated(rep, event, &regs);
    }
}

/* An exec gets a fresh address space for real before the recorded one is
 * built in it: a vfork child shares its parent's memory until it execs, and
 * the parent resumes only then, as when recorded. The image exec'd is the
 * replay process's own (/proc/self/exe); none of its code runs. */
static int exec_fresh_process(struct replayer *rep)
{
    enum { PATH_AT = 512, ARGV_AT = 640 };
    static const char path[] = "/proc/self/exe";
    const uint64_t argv[2] = {TRAMPOLINE_ADDR + PATH_AT, 0};
    struct task *task = &rep->cur->task;
    int64_t result;
    if (task_write_mem(task, TRAMPOLINE_ADDR + PATH_AT, path, sizeof path) < 0 ||
        task_write_mem(task, TRAMPOLINE_ADDR + ARGV_AT, argv, sizeof argv) < 0)
        return -1;
    const uint64_t args[6] = {TRAMPOLINE_ADDR + PATH_AT, TRAMPOLINE_ADDR + ARGV_AT,
                              TRAMPOLINE_ADDR + ARGV_AT + 8, 0, 0, 0};
    if (task_inject_syscall_keep_regs(task, SYS_execve, args, &result) < 0)
        return -1; /* (the registers from before the exec mean nothing now) */
    if (result != 0) {
        error_set("replay: cannot exec a fresh process: %s", strerror((int)-result));
        return -1;
    }
    task->has_trampoline = false; /* a new address space */
    if (task_map_trampoline(task) < 0)
        return -1;
    if (rep->cpuid_trapped) {
        const uint64_t faulting[6] = {ARCH_SET_CPUID, 0, 0, 0, 0, 0};
        if (task_inject_syscall(task, SYS_arch_prctl, faulting, &result) < 0 || result != 0) {
            error_set("replay: cannot re-arm CPUID faulting after exec");
            return -1;
        }
    }
    return 0;
}

/* An enter event: run the task to the syscall's entry and leave it there;
 * the syscall completes at the task's next event. */
static enum replay_outcome replay_enter(struct replayer *rep, const struct trace_event *event)
{
    struct user_regs_struct regs;
    enum replay_outcome outcome = replayer_reach(rep, event, STOP_SYSCALL, 0, &regs);
    if (outcome != REPLAY_MATCHED)
        return outcome;
    rep->cur->parked = true;
    rep->cur->parked_regs = regs;
    /* What the kernel wrote when the syscall blocked (recorder.c). */
    return replayer_apply_mem_writes(rep, event->seq) < 0 ? replayer_failed() : REPLAY_MATCHED;
}

static enum replay_outcome replay_exec(struct replayer *rep, const struct trace_event *event)
{
    if (event->has_regs) {
        struct user_regs_struct regs;
        enum replay_outcome outcome = replayer_reach(rep, event, STOP_SYSCALL, 0, &regs);
        if (outcome != REPLAY_MATCHED)
            return outcome;
        if (leave_entry_stop(rep) < 0 || exec_fresh_process(rep) < 0)
            return replayer_failed();
    }
    if (rep->cur->process->users > 1) {
        /* A vfork child shared its parent's memory until now. */
        struct replay_process *own = shared_state(NULL, rep->cur->process, sizeof *own);
        if (!own)
            return replayer_failed();
        shared_state_release(rep->cur->process);
        rep->cur->process = own;
    }
    output_fds_after_syscall(&rep->cur->files->outputs, SYS_execve, event->args, 0);
    return address_space_restore(rep, event) < 0 ? replayer_failed() : REPLAY_MATCHED;
}

static enum replay_outcome replay_cpu_trap(struct replayer *rep, const struct trace_event *event)
{
    struct user_regs_struct regs;
    enum replay_outcome outcome = replayer_reach(rep, event, STOP_SIGNAL, SIGSEGV, &regs);
    if (outcome != REPLAY_MATCHED)
        return outcome;
    if (event->kind == EVENT_CPUID) {
        regs.rax = event->args[2];
        regs.rbx = event->args[3];
        regs.rcx = event->args[4];
        regs.rdx = event->args[5];
        regs.rip += 2;
    } else {
        regs.rax = (uint32_t)event->result;
        regs.rdx = (uint64_t)event->result >> 32;
        regs.rip += 2;
        if (event->args[0] != (uint64_t)-1) { /* rdtscp */
            regs.rcx = event->args[0];
            regs.rip += 1;
        }
    }
    return task_set_regs(&rep->cur->task, &regs) < 0 ? replayer_failed() : REPLAY_MATCHED;
}

/* The pending masked wait, for real: rt_sigsuspend with the call's mask
 * runs in its place (the program's descriptors do not exist in replay) with
 * `signo` queued, so the kernel delivers it under that mask and puts the old
 * mask back after the handler, as when recorded. The registers are then
 * those of the recorded call's return. */
int replayer_run_masked_wait(struct replayer *rep, int signo)
{
    struct replay_task *rt = rep->cur;
    struct user_regs_struct entry, regs;
    rt->masked_wait_pending = false;
    if (leave_entry_stop(rep) < 0 || task_get_regs(&rt->task, &entry) < 0)
        return -1;
    regs = entry;
    regs.rip -= 2; /* back onto the syscall instruction */
    regs.rax = SYS_rt_sigsuspend;
    regs.rdi = rt->masked_wait_mask;
    regs.rsi = 8;
    if (task_set_regs(&rt->task, &regs) < 0 ||
        step_to_syscall_stop(rep, "the masked wait did not start") < 0)
        return -1;
    syscall(SYS_tgkill, rt->task.tid, rt->task.tid, signo);
    if (step_to_syscall_stop(rep, "the masked wait did not return") < 0)
        return -1;
    entry.rax = (unsigned long long)rt->masked_wait_result;
    return task_set_regs(&rt->task, &entry);
}

/* Set the recorded siginfo of `event` as the task's current signal. */
int replayer_set_recorded_siginfo(struct replayer *rep, const struct trace_event *event)
{
    siginfo_t *info;
    size_t len;
    if (!event->extra_blob)
        return 0;
    if (blob_store_get(rep->store, event->extra_blob, (void **)&info, &len) < 0)
        return -1;
    int rc = len == sizeof *info ? task_set_siginfo(&rep->cur->task, info) : 0;
    free(info);
    return rc;
}

static enum replay_outcome replay_signal(struct replayer *rep, const struct trace_event *event)
{
    struct user_regs_struct regs;
    if ((rep->cur->at_landmark || rep->cur->at_signal_stop) && !event->sync) {
        /* Delivered at the landmark's stop when recorded (or at a signal
         * stop, by a tracer that passed the signal on): it replaces the
         * stop's own signal, with its recorded siginfo. */
        rep->cur->at_landmark = false;
        rep->cur->at_signal_stop = false;
        if (task_get_regs(&rep->cur->task, &regs) < 0)
            return replayer_failed();
        rep->observed = *event;
        rep->observed.regs = regs;
        rep->has_observed = true;
        enum replay_outcome outcome = replayer_compare_regs(event, &regs);
        if (outcome != REPLAY_MATCHED)
            return outcome;
        if (replayer_set_recorded_siginfo(rep, event) < 0)
            return replayer_failed();
        rep->cur->deliver_signo = event->signo;
        return REPLAY_MATCHED;
    }
    if (rep->cur->masked_wait_pending) {
        if (event->sync || replayer_run_masked_wait(rep, event->signo) < 0)
            return event->sync ? replayer_diverged(event, "a fault inside a masked wait") : replayer_failed();
    } else if (!event->sync) {
        /* Delivered at this boundary when recorded: send it now. */
        rep->cur->deliver_signo = event->signo;
    }
    struct task_stop stop;
    char text[128];
    if (replayer_run_and_observe(rep, event, &stop, &regs) < 0)
        return replayer_failed();
    if (!event->sync && stop.kind == STOP_KILLED && stop.signo == event->signo) {
        rep->observed = *event; /* delivered straight away and fatal, as recorded */
        return REPLAY_MATCHED;
    }
    if (stop.kind != STOP_SIGNAL || stop.signo != event->signo)
        return replayer_diverged(event, "the program reached %s instead",
                                 replayer_stop_text(&stop, text, sizeof text));
    enum replay_outcome outcome = replayer_compare_regs(event, &regs);
    if (outcome != REPLAY_MATCHED)
        return outcome;
    if (!event->sync && replayer_set_recorded_siginfo(rep, event) < 0)
        return replayer_failed();
    rep->cur->deliver_signo = event->signo;
    return REPLAY_MATCHED;
}

/* A thread that ended without an exit of its own: another thread's execve
 * ended it when recorded (exec ends every other thread), and in replay that
 * exec comes later. The thread exits here, alone, through the trampoline. */
static int end_thread(struct replayer *rep, int status)
{
    struct replay_task *rt = rep->cur;
    struct user_regs_struct regs;
    struct task_stop stop;
    int at_entry = task_syscall_stop_is_entry(&rt->task);
    if (at_entry < 0)
        return -1;
    if (at_entry && leave_entry_stop(rep) < 0)
        return -1;
    rt->parked = false;
    if (task_get_regs(&rt->task, &regs) < 0)
        return -1;
    regs.rip = TRAMPOLINE_ADDR;
    regs.rax = SYS_exit;
    regs.rdi = (unsigned long long)status;
    regs.orig_rax = (unsigned long long)-1;
    if (task_set_regs(&rt->task, &regs) < 0 || task_step(&rt->task, RESUME_CONT, 0, &stop) < 0)
        return -1;
    if (stop.kind != STOP_EXITED && stop.kind != STOP_KILLED) {
        error_set("replay: thread %d did not end", rt->task.tid);
        return -1;
    }
    note_death(rt, &stop);
    return 0;
}

static enum replay_outcome replay_exit(struct replayer *rep, const struct trace_event *event)
{
    if (rep->cur->alive && rep->cur->deliver_signo) {
        struct task_stop stop;
        if (run_to_stop(rep, &stop) < 0)
            return replayer_failed();
    }
    if (rep->cur->alive && rep->cur->exiting && collect_death(rep->cur) < 0)
        return replayer_failed();
    if (rep->cur->alive && !event->signo && rep->cur->recorded_tid != rep->cur->group &&
        end_thread(rep, (int)event->result) < 0)
        return replayer_failed();
    if (rep->cur->alive && event->signo == SIGKILL) {
        /* Killed from outside when recorded: nothing the program did after
         * its last event was observable, so it is killed here. */
        kill(rep->cur->task.tid, SIGKILL);
        if (collect_death(rep->cur) < 0)
            return replayer_failed();
    }
    if (rep->cur->alive)
        return replayer_diverged(event, "the program is still running where it ended when recorded");
    rep->observed = *event;
    rep->observed.result = rep->cur->final_kind == 1 ? rep->cur->final_value : 0;
    rep->observed.signo = rep->cur->final_kind == 2 ? rep->cur->final_value : 0;
    rep->has_observed = true;
    int recorded_kind = event->signo ? 2 : 1;
    int recorded_value = event->signo ? event->signo : (int)event->result;
    if (recorded_kind != rep->cur->final_kind || recorded_value != rep->cur->final_value)
        return replayer_diverged(event, "the program ended with %s %d, when recorded with %s %d",
                                 rep->cur->final_kind == 1 ? "status" : "signal", rep->cur->final_value,
                                 recorded_kind == 1 ? "status" : "signal", recorded_value);
    return REPLAY_MATCHED;
}

/* When recorded, the syscall was interrupted by a signal that was then not
 * delivered (discarded, or a stop): the kernel restarted it, and the next
 * event is the restarted call. Do what the kernel did. */
static int restart_syscall_now(struct replayer *rep)
{
    struct user_regs_struct regs;
    rep->cur->restart_pending = false;
    if (task_get_regs(&rep->cur->task, &regs) < 0)
        return -1;
    regs.rax = (int64_t)regs.rax == -ERESTART_RESTARTBLOCK ? SYS_restart_syscall : regs.orig_rax;
    regs.rip -= 2;
    return task_set_regs(&rep->cur->task, &regs);
}

static enum replay_outcome replay_event(struct replayer *rep, const struct trace_event *event)
{
    rep->cur = find_replay_task(rep, event->tid);
    if (!rep->cur)
        return replayer_diverged(event, "no replayed task stands for recorded task %d", event->tid);
    bool vfork_event_stop = event->kind == EVENT_TRACEE_STOP && event->sig_code == TRACEE_AT_EVENT;
    if (rep->cur->vfork_pending && !vfork_event_stop && finish_vfork(rep->cur) < 0)
        return replayer_failed();
    if (rep->cur->restart_pending) {
        if (event->kind == EVENT_SIGNAL && !event->sync)
            rep->cur->restart_pending = false; /* the kernel decides at delivery */
        else if (event->kind == EVENT_TRACEE_STOP || event->kind == EVENT_TRACER_WRITE)
            ; /* a tracer's stop comes before the kernel restarts it: later */
        else if (restart_syscall_now(rep) < 0)
            return replayer_failed();
    }
    bool tracer_between = event->kind == EVENT_TRACEE_STOP || event->kind == EVENT_TRACER_WRITE;
    if (rep->cur->masked_wait_pending && event->kind != EVENT_SIGNAL && !tracer_between)
        return replayer_diverged(event, "a masked wait was interrupted when recorded, but no signal follows");
    if (!rep->cur->alive && event->kind != EVENT_EXIT)
        return replayer_diverged(event, "the program has already ended (%s %d)",
                                 rep->cur->final_kind == 1 ? "status" : "signal", rep->cur->final_value);
    switch (event->kind) {
    case EVENT_SYSCALL: return replay_syscall(rep, event);
    case EVENT_EXEC: return replay_exec(rep, event);
    case EVENT_RDTSC:
    case EVENT_CPUID: return replay_cpu_trap(rep, event);
    case EVENT_SIGNAL: return replay_signal(rep, event);
    case EVENT_EXIT: return replay_exit(rep, event);
    case EVENT_ENTER: return replay_enter(rep, event);
    case EVENT_LANDMARK: return replay_landmark(rep, event);
    case EVENT_TRACEE_STOP: return replay_tracee_stop(rep, event);
    case EVENT_TRACER_WRITE: return replay_tracer_write(rep, event);
    }
    return replayer_diverged(event, "this replayer cannot replay %s events", event_kind_name(event->kind));
}

static enum replay_outcome replayer_start(struct replayer *rep, const struct trace_event *first);

/* --events: the event as the replay observed it (the recorded one where the
 * replay had nothing of its own to observe, as for an exec's new image). */
static int write_observed(struct replayer *rep, const struct trace_event *event)
{
    struct trace_event seen = rep->has_observed ? rep->observed : *event;
    seen.seq = event->seq;
    seen.tid = event->tid;
    seen.extra_blob = 0; /* blob ids belong to the source trace */
    if (event->seq == 0 && event_log_task_started(rep->events_out, event->tid, event->tid, 0, 0,
                                                  rep->command ? rep->command : "") < 0)
        return -1;
    if (event_log_append(rep->events_out, &seen) < 0)
        return -1;
    /* The tasks this event created, as the recording lists them: rr-diff
     * pairs tasks by creation order. */
    for (; rep->next_created_task < rep->recorded_task_count &&
           rep->recorded_tasks[rep->next_created_task].created_seq <= event->seq;
         rep->next_created_task++) {
        const struct trace_task *task = &rep->recorded_tasks[rep->next_created_task];
        if (task->created_seq == event->seq && task->tid != event->tid &&
            event_log_task_started(rep->events_out, task->tid, task->pid, task->ppid, event->seq, task->command) < 0)
            return -1;
    }
    if (seen.kind == EVENT_EXIT)
        return event_log_task_ended(rep->events_out, seen.tid, seen.seq,
                                    seen.signo ? "killed" : "exited",
                                    seen.signo ? seen.signo : (int)seen.result);
    return 0;
}

enum replay_outcome replayer_run(struct replayer *rep)
{
    struct trace_event event;
    int rc;
    bool started = false;
    if (rep->events_out && (rep->recorded_task_count = task_stream_tasks(rep->store, &rep->recorded_tasks)) < 0)
        return replayer_failed();
    while ((rc = event_log_next(rep->store, &event)) == 1) {
        if (!started) {
            enum replay_outcome start = replayer_start(rep, &event);
            if (start != REPLAY_MATCHED)
                return start;
            started = true;
        }
        rep->has_observed = false;
        rep->current_event = &event;
        int64_t recorded_gap = event.at_ms >= 0 && event.at_ms > rep->previous_at_ms
                                   ? event.at_ms - rep->previous_at_ms : 0;
        rep->deadline_ms = trace_store_now_ms() + WATCHDOG_GRACE_MS + WATCHDOG_FACTOR * recorded_gap;
        if (rep->verbose) {
            char what[128];
            describe_event(&event, what, sizeof what);
            fprintf(stderr, "rr-replay: event %lld, task %d: %s\n", (long long)event.seq, event.tid, what);
        }
        enum replay_outcome outcome = replay_event(rep, &event);
        if (rep->events_out && write_observed(rep, &event) < 0)
            return replayer_failed();
        if (outcome != REPLAY_MATCHED)
            return rep->stalled ? REPLAY_DIVERGED : outcome;
        rep->events_replayed++;
        if (event.at_ms >= 0)
            rep->previous_at_ms = event.at_ms;
    }
    if (rc < 0)
        return replayer_failed();
    return REPLAY_MATCHED;
}

static void watchdog_tick(int signo)
{
    (void)signo; /* only interrupts the replayer's wait */
}

/* Called when a tick interrupts the wait for a task's next stop. */
static bool watchdog_check(void *context)
{
    struct replayer *rep = context;
    if (rep->stalled || !rep->cur || !rep->cur->alive || trace_store_now_ms() < rep->deadline_ms)
        return false;
    rep->stalled = true;
    kill(rep->cur->task.tid, SIGKILL);
    return false; /* its death is the stop waited for */
}

static void start_watchdog(struct replayer *rep)
{
    struct sigaction on_tick = {.sa_handler = watchdog_tick};
    const struct timeval tick = {WATCHDOG_TICK_MS / 1000, WATCHDOG_TICK_MS % 1000 * 1000};
    struct itimerval every = {tick, tick};
    sigaction(SIGALRM, &on_tick, NULL);
    task_set_wait_interrupted_hook(watchdog_check, rep);
    setitimer(ITIMER_REAL, &every, NULL);
}

/* The replay process: a child of the replayer that stops at once; its
 * address space is then replaced by the recorded one (address_space.c). The
 * child (on the replayer's CPU, the recorded one) sets up what must be set
 * from inside: rdtsc trapping, the trampoline page, the signal state that survives execve. */
static void become_replay_child(const struct replayer *rep, const struct exec_state *state)
{
    static const unsigned char trampoline_code[] = {0x0f, 0x05, 0xcc}; /* syscall; int3 */
    struct rlimit no_core = {0, 0};
    if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
        _exit(126);
    setrlimit(RLIMIT_CORE, &no_core); /* a replayed crash must not write a core file */
    if (prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0) < 0)
        _exit(126);
    if (rep->cpuid_trapped && syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0) < 0)
        _exit(125);
    void *page = mmap((void *)TRAMPOLINE_ADDR, TRAMPOLINE_SIZE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (page == (void *)TRAMPOLINE_ADDR) {
        memcpy(page, trampoline_code, sizeof trampoline_code);
        mprotect(page, TRAMPOLINE_SIZE, PROT_READ | PROT_EXEC);
    } else if (errno != EEXIST || memcmp((void *)TRAMPOLINE_ADDR, trampoline_code, sizeof trampoline_code) != 0) {
        /* (Already there with the same code: the replayer is itself being
         * recorded, and the recorder's trampoline serves both.) */
        _exit(126);
    }
    sigset_t blocked;
    sigemptyset(&blocked);
    for (int signo = 1; signo <= 64; signo++) {
        if (signo == SIGKILL || signo == SIGSTOP)
            continue;
        signal(signo, state->signals_ignored & (1ull << (signo - 1)) ? SIG_IGN : SIG_DFL);
        if (state->signals_blocked & (1ull << (signo - 1)))
            sigaddset(&blocked, signo);
    }
    syscall(SYS_close_range, 3, ~0u, 0);
    /* glibc registered this thread's rseq area, inside memory the replay
     * unmaps; the kernel would fault writing to it. */
    if (__rseq_size > 0)
        syscall(SYS_rseq, (char *)__builtin_thread_pointer() + __rseq_offset, sizeof(struct rseq),
                RSEQ_FLAG_UNREGISTER, RSEQ_SIG);
    raise(SIGSTOP);
    sigprocmask(SIG_SETMASK, &blocked, NULL); /* not reached: the replayer takes over */
    _exit(126);
}

enum replay_outcome replayer_start(struct replayer *rep, const struct trace_event *first)
{
    struct exec_state *state;
    size_t state_size;
    struct task_stop stop;
    if (first->kind != EVENT_EXEC || !first->extra_blob) {
        error_note("trace %s does not start with an exec event", trace_store_path(rep->store));
        return REPLAY_FAILED;
    }
    if (blob_store_get(rep->store, first->extra_blob, (void **)&state, &state_size) < 0)
        return replayer_failed();
    fflush(NULL);
    /* Like the recorder, share the program's CPU: ptrace stops stay on one CPU. */
    cpu_set_t one_cpu;
    CPU_ZERO(&one_cpu);
    CPU_SET(rep->pinned_cpu, &one_cpu);
    sched_setaffinity(0, sizeof one_cpu, &one_cpu);
    pid_t pid = fork();
    if (pid == 0)
        become_replay_child(rep, state);
    free(state);
    if (pid < 0) {
        error_set_errno("cannot fork");
        return replayer_failed();
    }
    struct task child = {.tid = pid, .mem_fd = -1};
    if (task_wait(&child, &stop) < 0)
        return replayer_failed();
    if (stop.kind == STOP_EXITED) {
        error_note(stop.status == 125 ? "this trace needs CPUID faulting, which this machine lacks"
                                      : "cannot set up the replay process");
        return REPLAY_FAILED;
    }
    if (stop.kind != STOP_SIGNAL || stop.signo != SIGSTOP) {
        kill(pid, SIGKILL);
        error_note("the replay process did not stop as expected");
        return REPLAY_FAILED;
    }
    if (task_set_options(&child, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL | PTRACE_O_TRACEFORK |
                                     PTRACE_O_TRACECLONE | PTRACE_O_TRACEVFORK |
                                     PTRACE_O_TRACEEXEC) < 0 ||
        !(rep->initial = add_replay_task(rep, first->tid, pid,
                                         shared_state(NULL, NULL, sizeof(struct replay_process)),
                                         initial_files())))
        return replayer_failed();
    rep->initial->task.has_trampoline = true;
    tool_tsc_trap_enable(); /* see tool_tsc.h: ptrace stops get cheaper */
    start_watchdog(rep);
    return REPLAY_MATCHED;
}
