/*
 * recorder.c — the recording loop: one traced task, stopped at every syscall
 * entry and exit, every signal and every exec. At each stop the loop records
 * what the program observed and resumes it.
 *
 * Signals: faults the program's own instructions raise are recorded where they
 * happen (replay re-raises them by re-executing). Any other signal is
 * delivered only at a syscall boundary — right after a syscall-exit stop —
 * so that replay can deliver it at the same point without counting
 * instructions; a caught signal that arrives while the program runs user code
 * is held until the next syscall exit. Uncaught ones (default action or
 * ignored) are delivered at once and recorded as following the last event:
 * nothing the program could observe happens in between.
 */
#include "recorder.h"

#include <asm/prctl.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "blob_store.h"
#include "content_hash.h"
#include "cpu_traps.h"
#include "error.h"
#include "event_log.h"
#include "outgoing_data.h"
#include "proc_status.h"
#include "syscall_table.h"
#include "tool_tsc.h"
#include "trace_store.h"

enum { PAGE = 4096 };

const unsigned char *recorder_copy_memory(struct recorder *rec, uint64_t addr, size_t len)
{
    if (len > rec->copy_capacity) {
        unsigned char *grown = realloc(rec->copy_buffer, len);
        if (!grown) {
            error_set("out of memory copying %zu bytes", len);
            return NULL;
        }
        rec->copy_buffer = grown;
        rec->copy_capacity = len;
    }
    for (size_t done = 0; done < len;) {
        ssize_t n = task_read_mem(&rec->task, addr + done, rec->copy_buffer + done, len - done);
        if (n > 0) {
            done += (size_t)n;
            continue;
        }
        /* An unreadable page (past the end of a mapped file): zeros. */
        size_t skip = PAGE - ((addr + done) % PAGE);
        if (skip > len - done)
            skip = len - done;
        memset(rec->copy_buffer + done, 0, skip);
        done += skip;
    }
    return rec->copy_buffer;
}

/* Store what the kernel wrote at [addr, addr+len). The spec may name more
 * than the program has mapped (mincore's vector, a socklen_t the kernel
 * reports larger than it wrote): only readable pages are stored. */
static int record_memory(struct recorder *rec, int64_t seq, uint64_t addr, size_t len)
{
    if (rec->copy_capacity < MEM_WRITE_CHUNK) {
        unsigned char *grown = realloc(rec->copy_buffer, MEM_WRITE_CHUNK);
        if (!grown) {
            error_set("out of memory");
            return -1;
        }
        rec->copy_buffer = grown;
        rec->copy_capacity = MEM_WRITE_CHUNK;
    }
    for (size_t done = 0; done < len;) {
        size_t piece = len - done < MEM_WRITE_CHUNK ? len - done : MEM_WRITE_CHUNK;
        ssize_t n = task_read_mem(&rec->task, addr + done, rec->copy_buffer, piece);
        if (n <= 0) {
            done += PAGE - ((addr + done) % PAGE); /* unmapped: nothing was written there */
            continue;
        }
        if (event_log_add_mem_write(rec->store, seq, addr + done, rec->copy_buffer, (size_t)n) < 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

static void syscall_args(const struct user_regs_struct *regs, uint64_t args[6])
{
    args[0] = regs->rdi;
    args[1] = regs->rsi;
    args[2] = regs->rdx;
    args[3] = regs->r10;
    args[4] = regs->r8;
    args[5] = regs->r9;
}

static void stop_recording(struct recorder *rec, const char *why)
{
    snprintf(rec->stop_reason, sizeof rec->stop_reason, "%s", why);
}

/* Syscalls that would undo the recorder's traps or let the kernel write
 * memory behind its back are not passed to the kernel: the program is told
 * what a kernel without the feature (or with the trap off) would say. */
static bool must_skip(const struct user_regs_struct *regs, int64_t *result)
{
    switch (regs->orig_rax) {
    case SYS_rseq:
        *result = -ENOSYS; /* the kernel would write the cpu number at will */
        return true;
    case SYS_prctl:
        if (regs->rdi == PR_SET_TSC || regs->rdi == PR_GET_TSC) {
            *result = 0;
            return true;
        }
        return false;
    case SYS_arch_prctl:
        if (regs->rdi == ARCH_SET_CPUID) {
            *result = 0;
            return true;
        }
        if (regs->rdi == ARCH_GET_CPUID) {
            *result = 1; /* cpuid is enabled, as far as the program knows */
            return true;
        }
        return false;
    default:
        return false;
    }
}

static int record_syscall_event(struct recorder *rec, const struct user_regs_struct *entry,
                                int64_t result, struct trace_event *event)
{
    memset(event, 0, sizeof *event);
    if (outgoing_data_applies((long)entry->orig_rax) && result > 0) {
        uint64_t args[6];
        unsigned char *data;
        size_t len;
        syscall_args(entry, args);
        if (outgoing_data_read(&rec->task, (long)entry->orig_rax, args, result, &data, &len) < 0)
            return -1;
        event->has_data_hash = true;
        event->data_hash = content_hash(data, len);
        free(data);
    }
    event->seq = rec->next_seq++;
    event->tid = rec->task.tid;
    event->kind = EVENT_SYSCALL;
    event->sysno = (int64_t)entry->orig_rax;
    syscall_args(entry, event->args);
    event->result = result;
    event->ip = entry->rip;
    event->has_regs = true;
    event->regs = *entry;
    return event_log_append(rec->store, event);
}

static int record_new_mapping(struct recorder *rec, const struct trace_event *event)
{
    uint64_t length = (event->args[1] + PAGE - 1) & ~(uint64_t)(PAGE - 1);
    struct trace_mapping mapping = {
        .start = (uint64_t)event->result,
        .end = (uint64_t)event->result + length,
        .prot = (int)event->args[2],
        .flags = (int)event->args[3],
        .offset = event->args[5],
    };
    const unsigned char *contents = NULL;
    if (!(mapping.flags & MAP_ANONYMOUS)) {
        char link[64];
        snprintf(link, sizeof link, "/proc/%d/fd/%d", rec->task.tid, (int)event->args[4]);
        ssize_t n = readlink(link, mapping.path, sizeof mapping.path - 1);
        mapping.path[n > 0 ? n : 0] = 0;
        contents = recorder_copy_memory(rec, mapping.start, length);
        if (!contents)
            return -1;
    }
    return event_log_add_mapping(rec->store, event->seq, &mapping, contents);
}

static int on_syscall_entry(struct recorder *rec)
{
    struct user_regs_struct regs;
    if (task_get_regs(&rec->task, &regs) < 0)
        return -1;
    rec->at_syscall_exit = false;
    long sysno = (long)regs.orig_rax;
    const struct syscall_desc *desc = syscall_lookup(sysno);
    uint64_t args[6];
    syscall_args(&regs, args);
    if (!desc) {
        error_set("unsupported syscall number %ld", sysno);
        return -1;
    }
    if (kernel_writes_check_supported(desc, args) < 0)
        return -1;
    if (sysno == SYS_exit || sysno == SYS_exit_group) {
        /* There is no exit stop to wait for: record it now. */
        struct trace_event event;
        return record_syscall_event(rec, &regs, 0, &event);
    }
    rec->in_syscall = true;
    rec->entry_regs = regs;
    rec->skipped = must_skip(&regs, &rec->skipped_result);
    if (rec->skipped) {
        regs.orig_rax = (unsigned long long)-1;
        return task_set_regs(&rec->task, &regs);
    }
    return 0;
}

static int on_syscall_exit(struct recorder *rec)
{
    struct user_regs_struct regs;
    if (task_get_regs(&rec->task, &regs) < 0)
        return -1;
    rec->in_syscall = false;
    const struct user_regs_struct *entry = &rec->entry_regs;
    int64_t result = (int64_t)regs.rax;
    if (rec->skipped) {
        result = rec->skipped_result;
        regs.rax = (unsigned long long)result;
        regs.orig_rax = entry->orig_rax;
        if (task_set_regs(&rec->task, &regs) < 0)
            return -1;
        if (entry->orig_rax == SYS_prctl && entry->rdi == PR_GET_TSC && entry->rsi) {
            int enabled = PR_TSC_ENABLE;
            if (task_write_mem(&rec->task, entry->rsi, &enabled, sizeof enabled) < 0)
                return -1;
        }
    }
    struct trace_event event;
    if (record_syscall_event(rec, entry, result, &event) < 0)
        return -1;

    const struct syscall_desc *desc = syscall_lookup(event.sysno);
    mem_ranges_clear(&rec->ranges);
    if (kernel_writes_collect(&rec->task, desc, event.args, result, &rec->ranges) < 0)
        return -1;
    for (int i = 0; i < rec->ranges.count; i++)
        if (record_memory(rec, event.seq, rec->ranges.items[i].addr, rec->ranges.items[i].len) < 0)
            return -1;
    if (desc->replay == REPLAY_MMAP && result >= 0 && record_new_mapping(rec, &event) < 0)
        return -1;
    if (passed_output_capture(rec, &event) < 0)
        return -1;

    rec->at_syscall_exit = true;
    rec->exit_regs = regs;
    if (rec->has_deferred) {
        rec->deliver_signo = rec->deferred.si_signo;
        rec->delivering_deferred = true;
    }
    return 0;
}

static int on_cpu_trap(struct recorder *rec, struct user_regs_struct *regs, enum trapped_insn insn,
                       int length)
{
    struct trace_event event = {
        .seq = rec->next_seq++,
        .tid = rec->task.tid,
        .ip = regs->rip,
        .has_regs = true,
        .regs = *regs,
    };
    if (insn == TRAPPED_CPUID) {
        uint32_t out[4];
        cpu_traps_cpuid((uint32_t)regs->rax, (uint32_t)regs->rcx, out);
        event.kind = EVENT_CPUID;
        event.args[0] = (uint32_t)regs->rax;
        event.args[1] = (uint32_t)regs->rcx;
        for (int i = 0; i < 4; i++)
            event.args[2 + i] = out[i];
        regs->rax = out[0];
        regs->rbx = out[1];
        regs->rcx = out[2];
        regs->rdx = out[3];
    } else {
        uint32_t aux = 0;
        uint64_t tsc = cpu_traps_rdtscp(&aux);
        event.kind = EVENT_RDTSC;
        event.result = (int64_t)tsc;
        event.args[0] = insn == TRAPPED_RDTSCP ? aux : (uint64_t)-1;
        regs->rax = (uint32_t)tsc;
        regs->rdx = tsc >> 32;
        if (insn == TRAPPED_RDTSCP)
            regs->rcx = aux;
    }
    regs->rip += (unsigned)length;
    rec->at_syscall_exit = false;
    if (task_set_regs(&rec->task, regs) < 0)
        return -1;
    return event_log_append(rec->store, &event);
}

/* Raised by the program's own instruction: it recurs at the same place in replay. */
static bool signal_is_synchronous(const siginfo_t *info)
{
    switch (info->si_signo) {
    case SIGSEGV:
    case SIGBUS:
    case SIGFPE:
    case SIGILL:
    case SIGTRAP:
    case SIGSYS:
        return info->si_code > 0;
    default:
        return false;
    }
}

/* An uncaught signal whose action is to do nothing: ignored, or ignored by
 * default (a running process is not affected by SIGCONT either). */
static bool signal_is_discarded(int signo, const struct signal_masks *masks)
{
    if (masks->ignored & (1ull << (signo - 1)))
        return true;
    return signo == SIGCHLD || signo == SIGURG || signo == SIGWINCH || signo == SIGCONT;
}

static int record_signal(struct recorder *rec, const struct user_regs_struct *regs,
                         const siginfo_t *info, bool sync)
{
    struct trace_event event = {
        .seq = rec->next_seq++,
        .tid = rec->task.tid,
        .kind = EVENT_SIGNAL,
        .signo = info->si_signo,
        .sig_code = info->si_code,
        .sync = sync,
        .ip = regs->rip,
        .has_regs = true,
        .regs = *regs,
    };
    event.extra_blob = blob_store_put(rec->store, info, sizeof *info);
    if (event.extra_blob < 0)
        return -1;
    rec->deliver_signo = info->si_signo;
    rec->at_syscall_exit = false;
    return event_log_append(rec->store, &event);
}

static int on_signal(struct recorder *rec, int signo)
{
    siginfo_t info;
    struct user_regs_struct regs;
    if (ptrace(PTRACE_GETSIGINFO, rec->task.tid, 0, &info) < 0) {
        if (errno == EINVAL)
            return 0; /* a group-stop, not a delivery: resume it */
        error_set_errno("cannot read the signal of task %d", rec->task.tid);
        return -1;
    }
    if (task_get_regs(&rec->task, &regs) < 0)
        return -1;
    int length = 0;
    enum trapped_insn insn = TRAPPED_NONE;
    if (signo == SIGSEGV && info.si_code == SI_KERNEL)
        insn = cpu_traps_decode(&rec->task, regs.rip, &length);
    if (insn != TRAPPED_NONE)
        return on_cpu_trap(rec, &regs, insn, length);

    bool at_boundary = rec->at_syscall_exit && memcmp(&regs, &rec->exit_regs, sizeof regs) == 0;
    if (rec->delivering_deferred && signo == rec->deferred.si_signo && at_boundary) {
        /* The held signal, re-sent by us: give it back its own siginfo. */
        info = rec->deferred;
        rec->delivering_deferred = false;
        rec->has_deferred = false;
        if (task_set_siginfo(&rec->task, &info) < 0)
            return -1;
    }
    if (signal_is_synchronous(&info))
        return record_signal(rec, &regs, &info, true);
    struct signal_masks masks;
    if (proc_status_signal_masks(rec->task.tid, &masks) < 0)
        return -1;
    bool caught = masks.caught & (1ull << (signo - 1));
    if (!caught && signal_is_discarded(signo, &masks))
        return 0; /* the kernel would drop it: nothing happens, nothing to record */
    if (at_boundary || !caught)
        return record_signal(rec, &regs, &info, false);
    if (rec->has_deferred)
        return 0; /* one is already held; a standard signal does not queue twice */
    rec->has_deferred = true;
    rec->deferred = info;
    return 0;
}

static int record_exit(struct recorder *rec, const struct task_stop *stop)
{
    struct trace_event event = {
        .seq = rec->next_seq++,
        .tid = rec->task.tid,
        .kind = EVENT_EXIT,
    };
    if (stop->kind == STOP_EXITED) {
        event.result = stop->status;
        rec->exit_status = stop->status;
    } else {
        event.signo = stop->signo;
        rec->exit_status = 128 + stop->signo;
    }
    if (event_log_append(rec->store, &event) < 0)
        return -1;
    return event_log_task_ended(rec->store, rec->task.tid, event.seq,
                                stop->kind == STOP_EXITED ? "exited" : "killed",
                                stop->kind == STOP_EXITED ? stop->status : stop->signo);
}

static pid_t spawn_traced(char *const argv[], int cpu)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    /* The child: become traceable, wait for the recorder, then exec with
     * address-space randomization off (record and replay share one layout)
     * and rdtsc trapping on (it survives execve; the loader uses rdtsc). */
    if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0) {
        fprintf(stderr, "rr-record: cannot trace the child: %s\n", strerror(errno));
        _exit(127);
    }
    raise(SIGSTOP);
    cpu_set_t one_cpu;
    CPU_ZERO(&one_cpu);
    CPU_SET(cpu, &one_cpu);
    if (personality(ADDR_NO_RANDOMIZE) < 0 || prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0) < 0 ||
        sched_setaffinity(0, sizeof one_cpu, &one_cpu) < 0) {
        fprintf(stderr, "rr-record: cannot prepare the child: %s\n", strerror(errno));
        _exit(127);
    }
    execv(argv[0], argv);
    fprintf(stderr, "rr-record: cannot execute %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

static int start_program(struct recorder *rec, char *const argv[])
{
    struct task_stop stop;
    cpu_set_t allowed;
    rec->pinned_cpu = 0;
    if (sched_getaffinity(0, sizeof allowed, &allowed) == 0)
        while (rec->pinned_cpu < CPU_SETSIZE - 1 && !CPU_ISSET(rec->pinned_cpu, &allowed))
            rec->pinned_cpu++;
    /* The recorder runs on the program's CPU too: every ptrace stop is then
     * a switch on one CPU instead of a cross-CPU wake-up (an IPI, which costs
     * a VM exit under a hypervisor). Only one of the two runs at a time. */
    cpu_set_t one_cpu;
    CPU_ZERO(&one_cpu);
    CPU_SET(rec->pinned_cpu, &one_cpu);
    sched_setaffinity(0, sizeof one_cpu, &one_cpu);
    pid_t pid = spawn_traced(argv, rec->pinned_cpu);
    if (pid < 0) {
        error_set_errno("cannot fork");
        return -1;
    }
    rec->pid = pid;
    rec->task.tid = pid;
    rec->task.mem_fd = -1;
    if (task_wait(&rec->task, &stop) < 0)
        return -1;
    if (stop.kind != STOP_SIGNAL || stop.signo != SIGSTOP) {
        error_set("the child did not stop for tracing");
        return -1;
    }
    if (task_set_options(&rec->task, PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC |
                                          PTRACE_O_EXITKILL) < 0 ||
        task_attach_fd(&rec->task, pid) < 0 || task_step(&rec->task, RESUME_CONT, 0, &stop) < 0)
        return -1;
    if (stop.kind == STOP_EXITED) {
        rec->exit_status = stop.status;
        error_set("%s", ""); /* the child said why */
        return -1;
    }
    if (stop.kind != STOP_EVENT || stop.event != PTRACE_EVENT_EXEC) {
        error_set("the program did not start (unexpected stop)");
        return -1;
    }
    if (event_log_task_started(rec->store, pid, pid, getpid(), rec->next_seq, argv[0]) < 0)
        return -1;
    return exec_capture(rec, NULL, false);
}

static int handle_stop(struct recorder *rec, const struct task_stop *stop)
{
    switch (stop->kind) {
    case STOP_SYSCALL:
        return rec->in_syscall ? on_syscall_exit(rec) : on_syscall_entry(rec);
    case STOP_SIGNAL:
        return on_signal(rec, stop->signo);
    case STOP_EVENT:
        if (stop->event == PTRACE_EVENT_EXEC)
            return exec_capture(rec, &rec->entry_regs, true);
        return 0;
    case STOP_GROUP:
        return 0;
    case STOP_EXITED:
    case STOP_KILLED:
        return record_exit(rec, stop);
    }
    return 0;
}

int recorder_run(struct recorder *rec, char *const argv[])
{
    if (syscall_table_init() < 0)
        return -1;
    if (start_program(rec, argv) < 0) {
        if (rec->exit_status == 0)
            rec->exit_status = 1;
        stop_recording(rec, error_text());
        if (rec->task.tid > 0)
            kill(rec->task.tid, SIGKILL);
        return -1;
    }
    tool_tsc_trap_enable(); /* after the fork: the program sets its own */
    if (rec->commit_timer) {
        /* Armed after the fork: the program must not inherit it. */
        struct itimerval every_quarter_second = {{0, 250000}, {0, 250000}};
        setitimer(ITIMER_REAL, &every_quarter_second, NULL);
    }
    for (;;) {
        struct task_stop stop;
        int signo = rec->deliver_signo;
        rec->deliver_signo = 0;
        if (task_step(&rec->task, RESUME_SYSCALL, signo, &stop) < 0 || handle_stop(rec, &stop) < 0)
            break;
        if (stop.kind == STOP_EXITED || stop.kind == STOP_KILLED)
            return 0;
    }
    stop_recording(rec, error_text());
    kill(rec->task.tid, SIGKILL);
    struct task_stop ignored;
    while (task_wait(&rec->task, &ignored) == 0 && ignored.kind != STOP_EXITED &&
           ignored.kind != STOP_KILLED)
        ;
    rec->exit_status = 125;
    return -1;
}
