/*
 * ptrace_emulation.c — nested tracing. A recorded process may itself be a
 * tracer (rr-replay, gdb, strace): a task has only one real tracer, and that
 * is the recorder, so the recorder performs each ptrace request on the inner
 * tracer's behalf and shows it what the kernel would:
 *
 *   - its ptrace calls never reach the kernel: they are answered here from
 *     the real state of the tracee (which the recorder keeps stopped while
 *     the tracer thinks it is), and recorded as emulated syscalls with the
 *     memory they fill;
 *   - a stop of a tracee that its tracer would see (by the way the tracer
 *     resumed it: PTRACE_SYSCALL, SYSEMU, CONT…) is recorded as a tracee_stop
 *     event and parked; the tracer's wait4/waitid returns it;
 *   - whatever the tracer changes in a tracee (registers, memory through
 *     POKE or /proc/PID/mem, extended state, debug registers, siginfo) is
 *     recorded as a tracer_write event, which replay applies to the live
 *     task, so that the tracee runs there exactly as it did here.
 *
 * Stops the recorder causes for itself (preemption, rdtsc the tracee did
 * not ask to trap) are never shown to the inner tracer.
 *
 * This file: the tracees' stops and the tracer's ptrace requests. The waits
 * are in inner_waits.c, the recording of the tracer's changes in
 * tracer_writes.c.
 */
#include "ptrace_emulation.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "blob_store.h"
#include "cpu_traps.h"
#include "error.h"
#include "event_log.h"
#include "nested_tracing.h"
#include "proc_status.h"
#include "recorder.h"
#include "trace_store.h"

enum { MAX_REGSET = 1 << 16 };

/* Wait statuses as the kernel builds them. */
static int stopped_status(int signo, int event)
{
    return ((signo | event << 8) << 8) | 0x7f;
}

static bool resumed_for_syscalls(long request)
{
    return request == PTRACE_SYSCALL || request == PTRACE_SYSEMU || request == PTRACE_SYSEMU_SINGLESTEP;
}

static bool resumed_under_sysemu(long request)
{
    return request == PTRACE_SYSEMU || request == PTRACE_SYSEMU_SINGLESTEP;
}

struct rec_task *nested_find_task(struct recorder *rec, pid_t tid)
{
    for (int i = rec->task_count - 1; i >= 0; i--)
        if (rec->tasks[i]->task.tid == tid)
            return rec->tasks[i];
    return NULL;
}

/* Copy into the tracer's memory; -EFAULT as the kernel would say when it cannot. */
int64_t nested_put_to_tracer(struct rec_task *tracer, uint64_t addr, const void *data, size_t len)
{
    if (len == 0)
        return 0;
    return task_write_mem(&tracer->task, addr, data, len) < 0 ? -EFAULT : 0;
}

int64_t nested_get_from_tracer(struct rec_task *tracer, uint64_t addr, void *data, size_t len)
{
    return task_read_mem(&tracer->task, addr, data, len) == (ssize_t)len ? 0 : -EFAULT;
}

/* ---- what the tracer sees ---- */

/* Record that the tracee stopped where its tracer sees it, and keep it there. */
static int report_stop(struct recorder *rec, struct rec_task *t, int at, int status, bool skipped,
                       const siginfo_t *info, int ptrace_event, unsigned long message)
{
    struct user_regs_struct regs;
    if (task_get_regs(&t->task, &regs) < 0)
        return -1;
    struct trace_event event = {
        .seq = rec->next_seq++,
        .tid = t->task.tid,
        .kind = EVENT_TRACEE_STOP,
        .sysno = at == TRACEE_AT_SYSCALL_ENTRY || at == TRACEE_AT_SYSCALL_EXIT ? (int64_t)regs.orig_rax : -1,
        .args = {(uint64_t)ptrace_event, message},
        .result = status,
        .signo = WSTOPSIG(status) & 0x7f,
        .sig_code = at,
        .sync = skipped,
        .ip = regs.rip,
        .has_regs = true,
        .regs = regs,
    };
    if (info) {
        event.extra_blob = blob_store_put(rec->store, info, sizeof *info);
        if (event.extra_blob < 0)
            return -1;
        t->inner.siginfo = *info;
    }
    if (event_log_append(rec->store, &event) < 0)
        return -1;
    t->inner.stopped = true;
    t->inner.reported = false;
    t->inner.wait_status = status;
    t->inner.at = at;
    t->inner.event_msg = message;
    if (!t->inner.tracer->held_in_wait)
        inner_waits_send_sigchld(t->inner.tracer, t);
    inner_waits_wake_tracer(rec, t->inner.tracer);
    return 0;
}

static int report_signal_stop(struct recorder *rec, struct rec_task *t, const siginfo_t *info)
{
    return report_stop(rec, t, TRACEE_AT_SIGNAL, stopped_status(info->si_signo, 0), false, info, 0, 0);
}

static int report_syscall_stop(struct recorder *rec, struct rec_task *t, int at, bool skipped)
{
    int trap = t->inner.options & PTRACE_O_TRACESYSGOOD ? SIGTRAP | 0x80 : SIGTRAP;
    return report_stop(rec, t, at, stopped_status(trap, 0), skipped, NULL, 0, 0);
}

static int report_event_stop(struct recorder *rec, struct rec_task *t, int ptrace_event, unsigned long message)
{
    return report_stop(rec, t, TRACEE_AT_EVENT, stopped_status(SIGTRAP, ptrace_event), false, NULL,
                       ptrace_event, message);
}

/* A group stop: a seized tracee shows it as PTRACE_EVENT_STOP. */
static int report_group_stop(struct recorder *rec, struct rec_task *t, int signo)
{
    int status = stopped_status(signo, t->inner.seized ? PTRACE_EVENT_STOP : 0);
    return report_stop(rec, t, TRACEE_AT_GROUP_STOP, status, false, NULL, 0, 0);
}

int ptrace_emulation_continued(struct recorder *rec, struct rec_task *t)
{
    if (!t->inner.tracer || !t->inner.seized)
        return 0;
    if (t->inner.listening) {
        t->inner.listening = false;
        return report_event_stop(rec, t, PTRACE_EVENT_STOP, 0);
    }
    if (t->inner.stopped && t->inner.at == TRACEE_AT_GROUP_STOP)
        t->inner.continued_meanwhile = true; /* shown when the tracer listens */
    return 0;
}

/* Is this SIGSEGV the recorder's own rdtsc trap, which the program did not ask for? */
static bool is_recorder_tsc_trap(struct rec_task *t, const siginfo_t *info)
{
    if (info->si_signo != SIGSEGV || info->si_code != SI_KERNEL)
        return false;
    struct user_regs_struct regs;
    int length;
    return task_get_regs(&t->task, &regs) == 0 && recorder_own_trap(t, info, &regs, &length) != TRAPPED_NONE;
}

/* A tracer that set PTRACE_O_TRACEEXIT sees its tracee stop once more as it
 * exits (at exit or exit_group), before it dies. */
static bool exit_event_due(const struct rec_task *t, const struct user_regs_struct *regs)
{
    return (t->inner.options & PTRACE_O_TRACEEXIT) && !t->inner.exit_event_shown &&
           (regs->orig_rax == SYS_exit || regs->orig_rax == SYS_exit_group);
}

/* The PTRACE_EVENT_EXIT stop, at the exit's entry; the exit itself is
 * recorded when the tracer resumes the tracee. */
static int report_exit_event(struct recorder *rec, struct rec_task *t, const struct user_regs_struct *regs)
{
    t->inner.exit_event_shown = true;
    t->inner.entry_pending = true;
    return report_event_stop(rec, t, PTRACE_EVENT_EXIT, (unsigned long)((regs->rdi & 0xff) << 8));
}

/* Is this the stop of signal `signo` that the recorder itself sent to t? */
static bool stop_for_recorders_signal(struct rec_task *t, const struct task_stop *stop, int signo)
{
    siginfo_t info;
    return stop->kind == STOP_SIGNAL && stop->signo == signo &&
           ptrace(PTRACE_GETSIGINFO, t->task.tid, 0, &info) == 0 && recorder_sent_signal(&info);
}

/* The SIGSTOP trace_me sent to interrupt a wait: dropped, so the wait restarts. */
static bool is_wait_interruption(struct rec_task *t, const struct task_stop *stop)
{
    if (!t->wait_interrupted || !stop_for_recorders_signal(t, stop, SIGSTOP))
        return false;
    t->wait_interrupted = false;
    return true;
}

/* The SIGCHLD inner_waits_send_sigchld sent: it takes the siginfo the kernel would
 * have given it, and is then recorded as any signal. */
static int is_recorder_sigchld(struct rec_task *t, const struct task_stop *stop)
{
    if (!t->sigchld_sent || !stop_for_recorders_signal(t, stop, SIGCHLD))
        return 0;
    t->sigchld_sent = false;
    return task_set_siginfo(&t->task, &t->sigchld_info) < 0 ? -1 : 1;
}

int ptrace_emulation_before_stop(struct recorder *rec, struct rec_task *t, const struct task_stop *stop)
{
    if (is_wait_interruption(t, stop))
        return 1;
    if (is_recorder_sigchld(t, stop) < 0)
        return -1;
    if (!t->inner.tracer)
        return 0;
    switch (stop->kind) {
    case STOP_GROUP: {
        if (!t->inner.entry_pending)
            return 0;
        /* Resumed by its tracer from a syscall-entry stop: the syscall runs
         * now, unless the tracer cancelled it (orig_rax -1: the kernel skips it). */
        struct user_regs_struct regs;
        if (task_get_regs(&t->task, &regs) < 0)
            return -1;
        if (exit_event_due(t, &regs))
            return report_exit_event(rec, t, &regs) < 0 ? -1 : 1; /* and then the exit */
        t->inner.entry_pending = false;
        if ((int64_t)regs.orig_rax == -1)
            return 0;
        return recorder_syscall_entry(rec, t) < 0 ? -1 : 1;
    }
    case STOP_SYSCALL: {
        if (t->in_syscall)
            return 0; /* an exit: reported once it is recorded */
        int at_entry = task_syscall_stop_is_entry(&t->task);
        if (at_entry < 0)
            return -1;
        if (!at_entry) {
            /* The exit of a syscall that did not run (skipped under
             * PTRACE_SYSEMU, or cancelled by the tracer): nothing to record. */
            if (!resumed_for_syscalls(t->inner.resume_request))
                return 1;
            return report_syscall_stop(rec, t, TRACEE_AT_SYSCALL_EXIT, false) < 0 ? -1 : 1;
        }
        struct user_regs_struct regs;
        if (task_get_regs(&t->task, &regs) < 0)
            return -1;
        if (!resumed_for_syscalls(t->inner.resume_request) && exit_event_due(t, &regs))
            return report_exit_event(rec, t, &regs) < 0 ? -1 : 1;
        if (!resumed_for_syscalls(t->inner.resume_request))
            return 0; /* not the tracer's: recorded as usual */
        if (resumed_under_sysemu(t->inner.resume_request))
            return report_syscall_stop(rec, t, TRACEE_AT_SYSCALL_ENTRY, true) < 0 ? -1 : 1;
        t->inner.entry_pending = true;
        return report_syscall_stop(rec, t, TRACEE_AT_SYSCALL_ENTRY, false) < 0 ? -1 : 1;
    }
    case STOP_SIGNAL: {
        siginfo_t info;
        if (ptrace(PTRACE_GETSIGINFO, t->task.tid, 0, &info) < 0) {
            /* A group stop: the tracer sees it, and resuming it ends it. */
            return report_group_stop(rec, t, stop->signo) < 0 ? -1 : 1;
        }
        if (t->at_initial_stop && stop->signo == SIGSTOP) {
            /* A new task's first stop. A tracee traced from its creation
             * shows it to its tracer (as PTRACE_EVENT_STOP when seized); one
             * attached to later did not start traced: the recorder drops it,
             * as for any new task. */
            if (!t->inner.auto_attached)
                return 0;
            t->at_initial_stop = false;
            int rc = t->inner.seized ? report_event_stop(rec, t, PTRACE_EVENT_STOP, 0) : report_signal_stop(rec, t, &info);
            return rc < 0 ? -1 : 1;
        }
        bool recorders_sigstop = stop->signo == SIGSTOP && recorder_sent_signal(&info);
        if (recorders_sigstop && t->inner.interrupt_requested) {
            t->inner.interrupt_requested = false; /* PTRACE_INTERRUPT's stop (interrupt_running) */
            return report_event_stop(rec, t, PTRACE_EVENT_STOP, 0) < 0 ? -1 : 1;
        }
        if (recorders_sigstop && t->preempt_requested)
            return 0;
        if (is_recorder_tsc_trap(t, &info))
            return 0;
        return report_signal_stop(rec, t, &info) < 0 ? -1 : 1;
    }
    default:
        return 0;
    }
}

/* The tracer of a task that died: tracees it asked to be killed with it die. */
static void tracer_died(struct recorder *rec, struct rec_task *tracer)
{
    for (int i = 0; i < rec->task_count; i++) {
        struct rec_task *tracee = rec->tasks[i];
        if (tracee->inner.tracer != tracer || tracee->dead)
            continue;
        if (tracee->inner.options & PTRACE_O_EXITKILL)
            kill(tracee->task.tid, SIGKILL);
        tracee->inner.tracer = NULL;
        if (tracee->inner.stopped) {
            /* Detached: it goes on as if resumed. */
            tracee->inner.stopped = false;
            recorder_resume_later(rec, tracee);
        }
    }
}

/* A new task: traced by its creator's tracer when the tracer asked for it. */
static bool child_is_traced(const struct rec_task *parent, int ptrace_event)
{
    unsigned long options = parent->inner.options;
    switch (ptrace_event) {
    case PTRACE_EVENT_FORK: return options & PTRACE_O_TRACEFORK;
    case PTRACE_EVENT_VFORK: return options & PTRACE_O_TRACEVFORK;
    case PTRACE_EVENT_CLONE: return options & PTRACE_O_TRACECLONE;
    default: return false;
    }
}

int ptrace_emulation_after_stop(struct recorder *rec, struct rec_task *t, const struct task_stop *stop,
                                bool was_in_syscall)
{
    if (t->dead) {
        tracer_died(rec, t);
        if (!t->inner.tracer)
            return 0;
        /* A child of its tracer stays a zombie until the tracer reaps it. */
        struct proc_stat stat;
        t->inner.reaped_by_tracer = proc_stat_read(t->task.tid, &stat) == 0 && stat.ppid == t->inner.tracer->pid;
        t->inner.stopped = false;
        t->inner.exit_unreported = true;
        t->inner.wait_status = stop->kind == STOP_EXITED ? stop->status << 8 : stop->signo;
        inner_waits_wake_tracer(rec, t->inner.tracer);
        return 0;
    }
    if (!t->inner.tracer)
        return 0;
    switch (stop->kind) {
    case STOP_SYSCALL:
        if (was_in_syscall && !t->in_syscall && resumed_for_syscalls(t->inner.resume_request))
            return report_syscall_stop(rec, t, TRACEE_AT_SYSCALL_EXIT, false);
        return 0;
    case STOP_EVENT:
        if (stop->event == PTRACE_EVENT_EXEC) {
            /* exec_capture has taken the task on to execve's syscall-exit
             * stop: that stop is shown when the tracer asks for it. */
            t->inner.exec_exit_owed = true;
            if (t->inner.options & PTRACE_O_TRACEEXEC)
                return report_event_stop(rec, t, PTRACE_EVENT_EXEC, (unsigned long)t->task.tid);
            siginfo_t info = {.si_signo = SIGTRAP, .si_code = SI_USER};
            return report_signal_stop(rec, t, &info); /* the legacy SIGTRAP after execve */
        }
        if (stop->event == PTRACE_EVENT_FORK || stop->event == PTRACE_EVENT_VFORK ||
            stop->event == PTRACE_EVENT_CLONE) {
            unsigned long child_tid;
            if (ptrace(PTRACE_GETEVENTMSG, t->task.tid, 0, &child_tid) < 0 || !child_is_traced(t, stop->event))
                return 0;
            struct rec_task *child = nested_find_task(rec, (pid_t)child_tid);
            if (!child)
                return 0;
            child->inner = (struct inner_tracee){
                .tracer = t->inner.tracer,
                .options = t->inner.options,
                .resume_request = PTRACE_CONT,
                .seized = t->inner.seized,
                .auto_attached = true,
            };
            return report_event_stop(rec, t, stop->event, child_tid);
        }
        return 0;
    default:
        return 0;
    }
}

enum resume_how ptrace_emulation_resume_how(const struct rec_task *t)
{
    if (!t->inner.tracer || t->in_syscall)
        return RESUME_SYSCALL;
    switch (t->inner.resume_request) {
    case PTRACE_SYSEMU: return RESUME_SYSEMU;
    case PTRACE_SYSEMU_SINGLESTEP: return RESUME_SYSEMU_SINGLESTEP;
    case PTRACE_SINGLESTEP: return RESUME_SINGLESTEP;
    default: return RESUME_SYSCALL;
    }
}

/* ---- the tracer's requests ---- */

static bool at_syscall_instruction(struct rec_task *t)
{
    struct user_regs_struct regs;
    unsigned char code[2];
    return task_get_regs(&t->task, &regs) == 0 && task_read_mem(&t->task, regs.rip, code, 2) == 2 &&
           code[0] == 0x0f && code[1] == 0x05;
}

/* PTRACE_CONT and its kin: the tracee runs when the recorder schedules it. */
static int64_t resume_tracee(struct recorder *rec, struct rec_task *tracee, long request, int signo)
{
    if (signo < 0 || signo > 64)
        return -EIO;
    if (signo && tracee->inner.at == TRACEE_AT_SIGNAL) {
        /* Delivered as the tracer says, with the siginfo it may have changed. */
        struct user_regs_struct regs;
        siginfo_t info;
        if (task_get_regs(&tracee->task, &regs) < 0 || task_get_siginfo(&tracee->task, &info) < 0)
            return INT64_MIN;
        if (info.si_signo != signo) {
            memset(&info, 0, sizeof info);
            info.si_signo = signo;
            info.si_code = SI_USER;
            if (task_set_siginfo(&tracee->task, &info) < 0)
                return INT64_MIN;
        }
        if (recorder_record_signal(rec, tracee, &regs, &info, false) < 0)
            return INT64_MIN;
    } else if (signo && (tracee->inner.at == TRACEE_AT_SYSCALL_ENTRY || tracee->inner.at == TRACEE_AT_SYSCALL_EXIT)) {
        /* From a syscall stop the kernel sends the signal to the tracee,
         * which then stops again to show it: resuming with it does that. */
        tracee->deliver_signo = signo;
    }
    if (request == PTRACE_SINGLESTEP && at_syscall_instruction(tracee)) {
        /* A real single step would run the syscall without a syscall stop:
         * it would go unrecorded. */
        error_set("unsupported: a recorded tracer single-steps task %d over a syscall instruction",
                  tracee->task.tid);
        return INT64_MIN;
    }
    tracee->inner.resume_request = request;
    tracee->inner.continued_meanwhile = false;
    tracee->inner.listening = false;
    if (tracee->inner.exec_exit_owed) {
        tracee->inner.exec_exit_owed = false;
        if (resumed_for_syscalls(request))
            return report_syscall_stop(rec, tracee, TRACEE_AT_SYSCALL_EXIT, false) < 0 ? INT64_MIN : 0;
    }
    tracee->inner.stopped = false;
    recorder_resume_later(rec, tracee);
    return 0;
}

static int64_t get_regset(struct rec_task *tracer, struct rec_task *tracee, uint64_t type, uint64_t iov_addr)
{
    struct iovec theirs, ours;
    if (nested_get_from_tracer(tracer, iov_addr, &theirs, sizeof theirs) < 0)
        return -EFAULT;
    ours.iov_len = theirs.iov_len < MAX_REGSET ? theirs.iov_len : MAX_REGSET;
    ours.iov_base = calloc(1, ours.iov_len ? ours.iov_len : 1);
    if (!ours.iov_base)
        return -ENOMEM;
    int64_t result = ptrace(PTRACE_GETREGSET, tracee->task.tid, (void *)type, &ours) < 0 ? -errno : 0;
    if (result == 0) {
        theirs.iov_len = ours.iov_len;
        if (nested_put_to_tracer(tracer, (uint64_t)theirs.iov_base, ours.iov_base, ours.iov_len) < 0 ||
            nested_put_to_tracer(tracer, iov_addr, &theirs, sizeof theirs) < 0)
            result = -EFAULT;
    }
    free(ours.iov_base);
    return result;
}

static int64_t set_regset(struct recorder *rec, struct rec_task *tracer, struct rec_task *tracee, uint64_t type,
                          uint64_t iov_addr)
{
    struct iovec theirs, ours;
    if (nested_get_from_tracer(tracer, iov_addr, &theirs, sizeof theirs) < 0)
        return -EFAULT;
    if (theirs.iov_len > MAX_REGSET)
        return -EINVAL;
    ours.iov_len = theirs.iov_len;
    ours.iov_base = malloc(ours.iov_len ? ours.iov_len : 1);
    if (!ours.iov_base)
        return -ENOMEM;
    int64_t result = nested_get_from_tracer(tracer, (uint64_t)theirs.iov_base, ours.iov_base, ours.iov_len);
    if (result == 0)
        result = ptrace(PTRACE_SETREGSET, tracee->task.tid, (void *)type, &ours) < 0 ? -errno : 0;
    if (result == 0 && tracer_writes_bytes(rec, tracee, TRACER_WROTE_REGSET, type, ours.iov_base, ours.iov_len) < 0)
        result = INT64_MIN;
    free(ours.iov_base);
    return result;
}

/* A request about a stopped tracee. Returns its result, or INT64_MIN on a
 * recorder error. */
static int64_t request_on_stopped(struct recorder *rec, struct rec_task *tracer, struct rec_task *tracee,
                                  long request, uint64_t addr, uint64_t data)
{
    pid_t tid = tracee->task.tid;
    switch (request) {
    case PTRACE_PEEKTEXT:
    case PTRACE_PEEKDATA: {
        uint64_t word;
        if (task_read_mem(&tracee->task, addr, &word, sizeof word) != sizeof word)
            return -EIO;
        return nested_put_to_tracer(tracer, data, &word, sizeof word);
    }
    case PTRACE_PEEKUSER: {
        errno = 0;
        long word = ptrace(PTRACE_PEEKUSER, tid, (void *)addr, 0);
        if (errno)
            return -errno;
        return nested_put_to_tracer(tracer, data, &word, sizeof word);
    }
    case PTRACE_POKETEXT:
    case PTRACE_POKEDATA:
        if (task_write_mem(&tracee->task, addr, &data, sizeof data) < 0)
            return -EIO;
        return tracer_writes_memory(rec, tracee, addr, sizeof data) < 0 ? INT64_MIN : 0;
    case PTRACE_POKEUSER: {
        if (ptrace(PTRACE_POKEUSER, tid, (void *)addr, (void *)data) < 0)
            return -errno;
        struct trace_event event = {.args = {addr, data}};
        return tracer_writes_record(rec, tracee, TRACER_WROTE_USER, &event) < 0 ? INT64_MIN : 0;
    }
    case PTRACE_GETREGS: {
        struct user_regs_struct regs;
        if (task_get_regs(&tracee->task, &regs) < 0)
            return INT64_MIN;
        return nested_put_to_tracer(tracer, data, &regs, sizeof regs);
    }
    case PTRACE_SETREGS: {
        struct user_regs_struct regs;
        if (nested_get_from_tracer(tracer, data, &regs, sizeof regs) < 0)
            return -EFAULT;
        if (ptrace(PTRACE_SETREGS, tid, 0, &regs) < 0)
            return -errno;
        return tracer_writes_regs(rec, tracee) < 0 ? INT64_MIN : 0;
    }
    case PTRACE_GETFPREGS: {
        struct user_fpregs_struct fpregs;
        if (ptrace(PTRACE_GETFPREGS, tid, 0, &fpregs) < 0)
            return -errno;
        return nested_put_to_tracer(tracer, data, &fpregs, sizeof fpregs);
    }
    case PTRACE_SETFPREGS: {
        struct user_fpregs_struct fpregs;
        if (nested_get_from_tracer(tracer, data, &fpregs, sizeof fpregs) < 0)
            return -EFAULT;
        if (ptrace(PTRACE_SETFPREGS, tid, 0, &fpregs) < 0)
            return -errno;
        return tracer_writes_bytes(rec, tracee, TRACER_WROTE_REGSET, NT_PRFPREG, &fpregs, sizeof fpregs) < 0 ? INT64_MIN
                                                                                                     : 0;
    }
    case PTRACE_GETREGSET:
        return get_regset(tracer, tracee, addr, data);
    case PTRACE_SETREGSET:
        return set_regset(rec, tracer, tracee, addr, data);
    case PTRACE_GETSIGINFO: {
        siginfo_t info;
        if (tracee->inner.at == TRACEE_AT_GROUP_STOP)
            return -EINVAL;
        if (tracee->inner.at != TRACEE_AT_SIGNAL) {
            /* A ptrace stop: the kernel's siginfo says which. */
            memset(&info, 0, sizeof info);
            info.si_signo = SIGTRAP;
            info.si_code = (tracee->inner.wait_status >> 8) & 0xffff;
            info.si_pid = tid;
        } else if (ptrace(PTRACE_GETSIGINFO, tid, 0, &info) < 0) {
            info = tracee->inner.siginfo; /* a stop the recorder made up (the SIGTRAP after execve) */
        }
        return nested_put_to_tracer(tracer, data, &info, sizeof info);
    }
    case PTRACE_SETSIGINFO: {
        siginfo_t info;
        if (tracee->inner.at != TRACEE_AT_SIGNAL)
            return -EINVAL;
        if (nested_get_from_tracer(tracer, data, &info, sizeof info) < 0)
            return -EFAULT;
        if (ptrace(PTRACE_SETSIGINFO, tid, 0, &info) < 0)
            return -errno;
        tracee->inner.siginfo = info;
        return tracer_writes_bytes(rec, tracee, TRACER_WROTE_SIGINFO, 0, &info, sizeof info) < 0 ? INT64_MIN : 0;
    }
    case PTRACE_GETEVENTMSG:
        return nested_put_to_tracer(tracer, data, &tracee->inner.event_msg, sizeof tracee->inner.event_msg);
    case PTRACE_GET_SYSCALL_INFO: {
        unsigned char info[512];
        size_t size = addr < sizeof info ? (size_t)addr : sizeof info;
        memset(info, 0, sizeof info);
        long full = ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)size, info);
        if (full < 0)
            return -errno;
        if (nested_put_to_tracer(tracer, data, info, size < (size_t)full ? size : (size_t)full) < 0)
            return -EFAULT;
        return full;
    }
    case PTRACE_SETOPTIONS:
        tracee->inner.options = data;
        return 0;
    case PTRACE_INTERRUPT:
        if (!tracee->inner.seized)
            return -EIO;
        return 0; /* stopped already: the tracer has a stop to see, or has seen it */
    case PTRACE_LISTEN:
        if (!tracee->inner.seized || tracee->inner.at != TRACEE_AT_GROUP_STOP)
            return -EIO;
        if (tracee->inner.continued_meanwhile) {
            tracee->inner.continued_meanwhile = false;
            return report_event_stop(rec, tracee, PTRACE_EVENT_STOP, 0) < 0 ? INT64_MIN : 0;
        }
        tracee->inner.listening = true; /* stays stopped until a SIGCONT (ptrace_emulation_continued) */
        return 0;
    case PTRACE_CONT:
    case PTRACE_SYSCALL:
    case PTRACE_SYSEMU:
    case PTRACE_SYSEMU_SINGLESTEP:
    case PTRACE_SINGLESTEP:
        return resume_tracee(rec, tracee, request, (int)data);
    case PTRACE_DETACH: {
        tracee->inner.tracer = NULL;
        int64_t result = resume_tracee(rec, tracee, PTRACE_CONT, (int)data);
        tracee->inner = (struct inner_tracee){0};
        return result;
    }
    default:
        error_set("unsupported ptrace request %ld", request);
        return INT64_MIN;
    }
}

/* PTRACE_TRACEME: the caller's parent becomes its tracer. */
static int64_t trace_me(struct recorder *rec, struct rec_task *t)
{
    struct proc_stat stat;
    if (t->inner.tracer || proc_stat_read(t->task.tid, &stat) != 0)
        return -EPERM;
    struct rec_task *parent = nested_find_task(rec, stat.ppid);
    if (!parent || parent->dead)
        return -EPERM; /* the parent is not recorded (the recorder traces the program itself) */
    t->inner = (struct inner_tracee){.tracer = parent, .resume_request = PTRACE_CONT};
    long parent_call = (long)parent->entry_regs.orig_rax;
    if (parent->in_syscall && !parent->skipped && (parent_call == SYS_wait4 || parent_call == SYS_waitid)) {
        /* The parent already waits in the kernel, which will never report
         * this child's ptrace stops to it: interrupt that wait (a SIGSTOP
         * the recorder then drops), so that the kernel restarts it and the
         * restarted call is emulated. */
        parent->wait_interrupted = true;
        syscall(SYS_tgkill, parent->pid, parent->task.tid, SIGSTOP);
    }
    return 0;
}

/* PTRACE_INTERRUPT of a seized tracee that is not stopped for its tracer.
 * Only one task runs at a time, and the tracer is the one, so the tracee is
 * not in user code: it is about to be resumed where it stands (it stops
 * there), or blocked in a syscall (a SIGSTOP of the recorder's ends the
 * syscall, which the kernel restarts later, and its stop is shown as the
 * interrupt's, see is_interrupt_stop). */
static int64_t interrupt_running(struct recorder *rec, struct rec_task *tracee)
{
    if (tracee->has_pending_stop && tracee->pending_stop.kind == STOP_GROUP && !tracee->inner.entry_pending &&
        !tracee->in_syscall) {
        tracee->has_pending_stop = false;
        return report_event_stop(rec, tracee, PTRACE_EVENT_STOP, 0) < 0 ? INT64_MIN : 0;
    }
    if (!tracee->has_pending_stop && tracee->in_syscall && !tracee->held_in_wait) {
        tracee->inner.interrupt_requested = true;
        syscall(SYS_tgkill, tracee->pid, tracee->task.tid, SIGSTOP);
        return 0;
    }
    error_set("unsupported: PTRACE_INTERRUPT of task %d, which has a stop the recorder has not handled yet",
              tracee->task.tid);
    return INT64_MIN;
}

/* PTRACE_ATTACH and PTRACE_SEIZE of a recorded task. A task in a group stop
 * shows it to its new tracer at once; PTRACE_ATTACH stops a running one
 * with a SIGSTOP, which the tracer then sees. */
static int64_t attach(struct recorder *rec, struct rec_task *t, pid_t pid, bool seize, uint64_t options)
{
    struct rec_task *tracee = nested_find_task(rec, pid);
    if (!tracee || tracee->dead)
        return -ESRCH;
    if (tracee->pid == t->pid || tracee->inner.tracer)
        return -EPERM;
    tracee->inner = (struct inner_tracee){
        .tracer = t,
        .options = seize ? options : 0,
        .resume_request = PTRACE_CONT,
        .seized = seize,
    };
    if (tracee->job_stopped) {
        tracee->job_stopped = false; /* now stopped for its tracer, which resumes it */
        return report_group_stop(rec, tracee, SIGSTOP) < 0 ? INT64_MIN : 0;
    }
    if (!seize)
        syscall(SYS_tgkill, tracee->pid, tracee->task.tid, SIGSTOP);
    return 0;
}

static int64_t emulate_ptrace(struct recorder *rec, struct rec_task *t, const struct user_regs_struct *regs)
{
    long request = (long)regs->rdi;
    pid_t pid = (pid_t)regs->rsi;
    switch (request) {
    case PTRACE_TRACEME:
        return trace_me(rec, t);
    case PTRACE_ATTACH:
    case PTRACE_SEIZE:
        return attach(rec, t, pid, request == PTRACE_SEIZE, regs->r10);
    default:
        break;
    }
    struct rec_task *tracee = nested_find_task(rec, pid);
    if (!tracee || tracee->dead || tracee->inner.tracer != t)
        return -ESRCH;
    if (request == PTRACE_KILL) {
        kill(pid, SIGKILL);
        return 0;
    }
    if (!tracee->inner.stopped) {
        if (request == PTRACE_INTERRUPT && tracee->inner.seized)
            return interrupt_running(rec, tracee);
        return -ESRCH;
    }
    return request_on_stopped(rec, t, tracee, request, regs->rdx, regs->r10);
}

int ptrace_emulation_syscall(struct recorder *rec, struct rec_task *t, const struct user_regs_struct *regs)
{
    int64_t result;
    switch (regs->orig_rax) {
    case SYS_ptrace:
        result = emulate_ptrace(rec, t, regs);
        if (result == INT64_MIN)
            return -1;
        break;
    case SYS_wait4:
    case SYS_waitid: {
        int emulated = inner_waits_syscall(rec, t, regs, &result);
        if (emulated <= 0)
            return emulated;
        break;
    }
    default:
        return 0;
    }
    t->skipped = true;
    t->skipped_result = result;
    return 1;
}
