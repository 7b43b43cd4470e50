/*
 * ptrace_requests.c — nested tracing: the inner tracer's ptrace requests.
 * They never reach the kernel: the recorder performs each one on the
 * tracer's behalf against the real, stopped tracee (PEEK/POKE, registers,
 * register sets, siginfo, options) and answers it as the kernel would;
 * whatever the tracer changes in the tracee is recorded (tracer_writes.c).
 * Resuming requests (CONT, SYSCALL, SYSEMU, SINGLESTEP, DETACH) queue the
 * tracee to run when the recorder schedules it. See ptrace_emulation.c for
 * the tracees' side.
 */
#include "ptrace_emulation.h"

#include <asm/prctl.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "error.h"
#include "nested_tracing.h"
#include "proc_status.h"
#include "recorder.h"

enum { MAX_REGSET = 1 << 16 };

static bool at_syscall_instruction(struct rec_task *t)
{
    struct user_regs_struct regs;
    unsigned char code[SYSCALL_INSN_LENGTH];
    return task_get_regs(&t->task, &regs) == 0 &&
           task_read_mem(&t->task, regs.rip, code, sizeof code) == sizeof code && replay_is_syscall_insn(code);
}

/* Resumed from its stop with no signal to take there, does the tracee run
 * user code (it did not, if a signal is pending: it stops for it at once)?
 * Then the stop's place is no longer where it stands: a loop may come back
 * to the same registers, and a signal that stops it there was not at the
 * stop (record_signal_at_known_point). */
static bool runs_user_code(struct rec_task *tracee)
{
    struct signal_masks masks;
    return proc_status_signal_masks(tracee->task.tid, &masks) < 0 || !(masks.pending & ~masks.blocked);
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
    if (request == PTRACE_SINGLESTEP && at_syscall_instruction(tracee))
        tracee->inner.step_over = STEP_OVER_IN_SYSCALL; /* see enum step_over_syscall */
    if (!tracee->deliver_signo && runs_user_code(tracee))
        tracee->at_syscall_exit = false;
    tracee->inner.resume_request = request;
    tracee->inner.continued_meanwhile = false;
    tracee->inner.listening = false;
    if (tracee->inner.exec_exit_owed) {
        tracee->inner.exec_exit_owed = false;
        if (nested_resumed_for_syscalls(request))
            return nested_report_syscall_stop(rec, tracee, TRACEE_AT_SYSCALL_EXIT, false) < 0 ? INT64_MIN : 0;
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

/* PTRACE_ARCH_PRCTL: the tracee's FS and GS bases, read into the tracer's
 * memory at `addr` or set to `addr` (a change of registers: fs_base and
 * gs_base are in user_regs_struct). The other codes the kernel takes
 * (ARCH_MAP_VDSO_*, which maps the vDSO; ARCH_SHSTK_*) are answered EINVAL,
 * as by a kernel without them. */
static int64_t arch_prctl(struct recorder *rec, struct rec_task *tracer, struct rec_task *tracee, uint64_t addr,
                          uint64_t code)
{
    pid_t tid = tracee->task.tid;
    switch (code) {
    case ARCH_GET_FS:
    case ARCH_GET_GS: {
        unsigned long base;
        if (ptrace(PTRACE_ARCH_PRCTL, tid, &base, code) < 0)
            return -errno;
        return nested_put_to_tracer(tracer, addr, &base, sizeof base);
    }
    case ARCH_SET_FS:
    case ARCH_SET_GS:
        if (ptrace(PTRACE_ARCH_PRCTL, tid, addr, code) < 0)
            return -errno;
        return tracer_writes_regs(rec, tracee) < 0 ? INT64_MIN : 0;
    default: {
        char what[64];
        snprintf(what, sizeof what, "ptrace PTRACE_ARCH_PRCTL code %#llx", (unsigned long long)code);
        substitute_note(&rec->substitutes, what, EINVAL);
        return -EINVAL;
    }
    }
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
    case PTRACE_ARCH_PRCTL:
        return arch_prctl(rec, tracer, tracee, addr, data);
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
            return nested_report_event_stop(rec, tracee, PTRACE_EVENT_STOP, 0) < 0 ? INT64_MIN : 0;
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
    default: {
        /* A request the emulation does not know: EIO, as from a kernel
         * without it (substitute_answers.c). */
        char what[48];
        snprintf(what, sizeof what, "ptrace request %ld", request);
        substitute_note(&rec->substitutes, what, EIO);
        return -EIO;
    }
    }
}

/* The threads of process `pid` already waiting in the kernel, which will
 * never report the stops of a new tracee to them: their waits are
 * interrupted (a SIGSTOP the recorder then drops), so that the kernel
 * restarts them and the restarted calls are emulated. */
static void interrupt_real_waits(struct recorder *rec, int32_t pid)
{
    for (int i = 0; i < rec->task_count; i++) {
        struct rec_task *waiter = rec->tasks[i];
        long call = (long)waiter->entry_regs.orig_rax;
        if (waiter->pid != pid || waiter->life == TASK_DEAD || !waiter->in_syscall || waiter->skipped ||
            waiter->wait_interrupted || (call != SYS_wait4 && call != SYS_waitid))
            continue;
        waiter->wait_interrupted = true;
        syscall(SYS_tgkill, waiter->pid, waiter->task.tid, SIGSTOP);
    }
}

/* PTRACE_TRACEME: the caller's parent becomes its tracer: the thread that
 * created its process (the kernel's real_parent), or, when that thread is
 * gone, the parent process's main thread. */
static int64_t trace_me(struct recorder *rec, struct rec_task *t)
{
    struct proc_stat stat;
    if (t->inner.tracer || proc_stat_read(t->task.tid, &stat) != 0)
        return -EPERM;
    struct rec_task *leader = nested_find_task(rec, t->pid);
    struct rec_task *parent = leader ? nested_find_task(rec, leader->parent) : NULL;
    if (!parent || parent->life == TASK_DEAD || parent->pid != stat.ppid)
        parent = nested_find_task(rec, stat.ppid);
    if (!parent || parent->life == TASK_DEAD)
        return -EPERM; /* the parent is not recorded (the recorder traces the program itself) */
    t->inner = (struct inner_tracee){.tracer = parent, .resume_request = PTRACE_CONT};
    interrupt_real_waits(rec, parent->pid);
    return 0;
}

/* PTRACE_INTERRUPT of a seized tracee that is not stopped for its tracer.
 * Only one task runs at a time, and the tracer is the one, so the tracee is
 * not in user code: it is about to be resumed where it stands (it stops
 * there), or blocked in a syscall (a SIGSTOP of the recorder's ends the
 * syscall, which the kernel restarts later, and its stop is shown as the
 * interrupt's, see ptrace_emulation_before_stop). */
static int64_t interrupt_running(struct recorder *rec, struct rec_task *tracee)
{
    if (tracee->has_pending_stop && tracee->pending_stop.kind == STOP_GROUP && !tracee->inner.entry_pending &&
        !tracee->in_syscall) {
        tracee->has_pending_stop = false;
        return nested_report_event_stop(rec, tracee, PTRACE_EVENT_STOP, 0) < 0 ? INT64_MIN : 0;
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
 * shows it to its new tracer at once; PTRACE_ATTACH sends a SIGSTOP (the
 * kernel's, SI_KERNEL), which the tracer sees stop the tracee, or, when it
 * was stopped already, once the tracer resumes it. */
static int64_t attach(struct recorder *rec, struct rec_task *t, pid_t pid, bool seize, uint64_t options)
{
    struct rec_task *tracee = nested_find_task(rec, pid);
    if (!tracee || tracee->life == TASK_DEAD)
        return -ESRCH;
    if (tracee->pid == t->pid || tracee->inner.tracer)
        return -EPERM;
    tracee->inner = (struct inner_tracee){
        .tracer = t,
        .options = seize ? options : 0,
        .resume_request = PTRACE_CONT,
        .seized = seize,
    };
    interrupt_real_waits(rec, t->pid);
    if (!seize) {
        tracee->inner.attach_sigstop_sent = true;
        syscall(SYS_tgkill, tracee->pid, tracee->task.tid, SIGSTOP);
    }
    if (tracee->job_stopped) {
        tracee->job_stopped = false; /* now stopped for its tracer, which resumes it */
        return nested_report_group_stop(rec, tracee, SIGSTOP) < 0 ? INT64_MIN : 0;
    }
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
    if (!tracee || tracee->life == TASK_DEAD || tracee->inner.tracer != t)
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
