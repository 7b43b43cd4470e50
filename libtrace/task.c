/*
 * task.c — ptrace-based control of one stopped task (see task.h).
 *
 * Memory goes through /proc/TID/mem: it reaches read-only and PROT_NONE
 * mappings (the kernel uses FOLL_FORCE for it), which process_vm_* cannot.
 */
#include "task.h"

#include <elf.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "proc_status.h"

/* A ptrace request on the task failed: ESRCH says it is no longer in its
 * ptrace-stop. Called before error_set_errno (errno is kept). */
static void note_if_vanished(struct task *task)
{
    if (errno == ESRCH)
        task->vanished = true;
}

int task_attach_fd(struct task *task, pid_t tid)
{
    char path[64];
    task->tid = tid;
    snprintf(path, sizeof path, "/proc/%d/mem", tid);
    task->mem_fd = open(path, O_RDWR | O_CLOEXEC);
    if (task->mem_fd < 0) {
        error_set_errno("cannot open %s", path);
        return -1;
    }
    return 0;
}

void task_detach_fd(struct task *task)
{
    if (task->mem_fd >= 0)
        close(task->mem_fd);
    task->mem_fd = -1;
}

int task_reopen_mem(struct task *task)
{
    task_detach_fd(task);
    return task_attach_fd(task, task->tid);
}

int task_resume(struct task *task, enum resume_how how, int signo)
{
    static const enum __ptrace_request requests[] = {
        [RESUME_CONT] = PTRACE_CONT,
        [RESUME_SYSCALL] = PTRACE_SYSCALL,
        [RESUME_SYSEMU] = PTRACE_SYSEMU,
        [RESUME_SINGLESTEP] = PTRACE_SINGLESTEP,
        [RESUME_SYSEMU_SINGLESTEP] = PTRACE_SYSEMU_SINGLESTEP,
    };
    if (ptrace(requests[how], task->tid, 0, (void *)(long)signo) < 0) {
        note_if_vanished(task);
        error_set_errno("cannot resume task %d", task->tid);
        return -1;
    }
    return 0;
}

static bool (*wait_interrupted_hook)(void *context);
static void *wait_interrupted_context;

void task_set_wait_interrupted_hook(bool (*hook)(void *context), void *context)
{
    wait_interrupted_hook = hook;
    wait_interrupted_context = context;
}

static void decode_status(int status, struct task_stop *stop)
{
    memset(stop, 0, sizeof *stop);
    if (WIFEXITED(status)) {
        stop->kind = STOP_EXITED;
        stop->status = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        stop->kind = STOP_KILLED;
        stop->signo = WTERMSIG(status);
    } else if (WSTOPSIG(status) == (SIGTRAP | 0x80)) {
        stop->kind = STOP_SYSCALL;
    } else if (status >> 16 == PTRACE_EVENT_STOP) {
        stop->kind = STOP_GROUP;
        stop->signo = WSTOPSIG(status);
    } else if (status >> 16) {
        stop->kind = STOP_EVENT;
        stop->event = status >> 16;
    } else {
        stop->kind = STOP_SIGNAL;
        stop->signo = WSTOPSIG(status);
    }
}

static pid_t wait_for(pid_t which, struct task_stop *stop)
{
    int status;
    pid_t got;
    while ((got = waitpid(which, &status, __WALL)) < 0 && errno == EINTR)
        if (wait_interrupted_hook && wait_interrupted_hook(wait_interrupted_context) && which == -1)
            return 0;
    if (got < 0) {
        error_set_errno("waiting for %s %d", which < 0 ? "any task" : "task", which);
        return -1;
    }
    decode_status(status, stop);
    return got;
}


int task_wait(struct task *task, struct task_stop *stop)
{
    if (wait_for(task->tid, stop) < 0)
        return -1;
    if (stop->kind == STOP_EVENT && stop->event == PTRACE_EVENT_EXEC)
        return task_reopen_mem(task);
    return 0;
}

int task_wait_any(pid_t *tid, struct task_stop *stop)
{
    *tid = wait_for(-1, stop);
    return *tid < 0 ? -1 : 0;
}

/* Poll the task's state (/proc/TID/stat) until it is one of `states` (or
 * the task is gone). */
static int wait_for_state(struct task *task, const char *states, const char *what)
{
    for (int tries = 0; tries < 200000; tries++) {
        struct proc_stat stat;
        int rc = proc_stat_read(task->tid, &stat);
        if (rc != 0)
            return rc > 0 ? 0 : -1;
        if (strchr(states, stat.state))
            return 0;
        struct timespec pause = {0, 50 * 1000};
        nanosleep(&pause, NULL);
    }
    error_set("task %d did not %s", task->tid, what);
    return -1;
}

int task_wait_until_exited(struct task *task)
{
    return wait_for_state(task, "ZX", "finish exiting");
}

int task_wait_until_blocked(struct task *task)
{
    return wait_for_state(task, "SDtTZX", "block or stop");
}

int task_step(struct task *task, enum resume_how how, int signo, struct task_stop *stop)
{
    if (task_resume(task, how, signo) < 0)
        return -1;
    return task_wait(task, stop);
}

int task_get_regs(struct task *task, struct user_regs_struct *regs)
{
    if (ptrace(PTRACE_GETREGS, task->tid, 0, regs) < 0) {
        note_if_vanished(task);
        error_set_errno("cannot read registers of task %d", task->tid);
        return -1;
    }
    return 0;
}

void task_syscall_args(const struct user_regs_struct *regs, uint64_t args[6])
{
    args[0] = regs->rdi;
    args[1] = regs->rsi;
    args[2] = regs->rdx;
    args[3] = regs->r10;
    args[4] = regs->r8;
    args[5] = regs->r9;
}

int task_set_regs(struct task *task, const struct user_regs_struct *regs)
{
    if (ptrace(PTRACE_SETREGS, task->tid, 0, regs) < 0) {
        note_if_vanished(task);
        error_set_errno("cannot write registers of task %d", task->tid);
        return -1;
    }
    return 0;
}

ssize_t task_get_xstate(struct task *task, void *buf, size_t size)
{
    struct iovec iov = {buf, size};
    if (ptrace(PTRACE_GETREGSET, task->tid, (void *)NT_X86_XSTATE, &iov) < 0) {
        note_if_vanished(task);
        error_set_errno("cannot read extended registers of task %d", task->tid);
        return -1;
    }
    return (ssize_t)iov.iov_len;
}

int task_set_xstate(struct task *task, const void *buf, size_t size)
{
    struct iovec iov = {(void *)buf, size};
    if (ptrace(PTRACE_SETREGSET, task->tid, (void *)NT_X86_XSTATE, &iov) < 0) {
        note_if_vanished(task);
        error_set_errno("cannot write extended registers of task %d", task->tid);
        return -1;
    }
    return 0;
}

int task_get_siginfo(struct task *task, siginfo_t *info)
{
    if (ptrace(PTRACE_GETSIGINFO, task->tid, 0, info) < 0) {
        note_if_vanished(task);
        error_set_errno("cannot read siginfo of task %d", task->tid);
        return -1;
    }
    return 0;
}

int task_set_siginfo(struct task *task, const siginfo_t *info)
{
    if (ptrace(PTRACE_SETSIGINFO, task->tid, 0, info) < 0) {
        note_if_vanished(task);
        error_set_errno("cannot write siginfo of task %d", task->tid);
        return -1;
    }
    return 0;
}

int task_syscall_stop_is_entry(struct task *task)
{
    struct __ptrace_syscall_info info;
    if (ptrace(PTRACE_GET_SYSCALL_INFO, task->tid, (void *)sizeof info, &info) < 0) {
        note_if_vanished(task);
        error_set_errno("cannot read syscall info of task %d", task->tid);
        return -1;
    }
    return info.op == PTRACE_SYSCALL_INFO_ENTRY || info.op == PTRACE_SYSCALL_INFO_SECCOMP;
}

int task_set_options(struct task *task, long options)
{
    if (ptrace(PTRACE_SETOPTIONS, task->tid, 0, (void *)options) < 0) {
        note_if_vanished(task);
        error_set_errno("cannot set ptrace options of task %d", task->tid);
        return -1;
    }
    return 0;
}

int task_set_breakpoint(struct task *task, uint64_t addr)
{
    long dr0 = (long)offsetof(struct user, u_debugreg[0]);
    long dr7 = (long)offsetof(struct user, u_debugreg[7]);
    if ((addr && ptrace(PTRACE_POKEUSER, task->tid, (void *)dr0, (void *)addr) < 0) ||
        ptrace(PTRACE_POKEUSER, task->tid, (void *)dr7, (void *)(long)(addr ? TASK_BREAKPOINT_DR7 : 0)) < 0) {
        note_if_vanished(task);
        error_set_errno("cannot set a hardware breakpoint in task %d", task->tid);
        return -1;
    }
    return 0;
}

ssize_t task_read_mem(struct task *task, uint64_t addr, void *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(task->mem_fd, (char *)buf + done, len - done, (off_t)(addr + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    if (done == 0 && len > 0) {
        error_set_errno("cannot read %zu bytes at 0x%llx in task %d", len,
                        (unsigned long long)addr, task->tid);
        return -1;
    }
    return (ssize_t)done;
}

int task_write_mem(struct task *task, uint64_t addr, const void *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = pwrite(task->mem_fd, (const char *)buf + done, len - done, (off_t)(addr + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            error_set_errno("cannot write %zu bytes at 0x%llx in task %d", len - done,
                            (unsigned long long)(addr + done), task->tid);
            return -1;
        }
        done += (size_t)n;
    }
    return 0;
}

int task_read_string(struct task *task, uint64_t addr, char *buf, size_t size)
{
    size_t done = 0;
    while (done + 1 < size) {
        /* Read up to the end of the page so that a string ending just before
         * an unmapped page is still read. */
        size_t to_page_end = 4096 - ((addr + done) & 4095);
        size_t want = size - 1 - done < to_page_end ? size - 1 - done : to_page_end;
        ssize_t n = task_read_mem(task, addr + done, buf + done, want);
        if (n <= 0)
            return -1;
        void *nul = memchr(buf + done, 0, (size_t)n);
        if (nul)
            return 0;
        done += (size_t)n;
    }
    buf[done] = 0;
    return 0;
}

/* Resume with PTRACE_SYSCALL until a syscall stop. A signal that arrives
 * meanwhile is not delivered into the injected code: it is stashed in the task
 * for the caller to deliver when the program resumes. */
static int run_to_syscall_stop(struct task *task)
{
    struct task_stop stop;
    for (;;) {
        if (task_step(task, RESUME_SYSCALL, 0, &stop) < 0)
            return -1;
        if (stop.kind == STOP_SYSCALL)
            return 0;
        if (stop.kind == STOP_EXITED || stop.kind == STOP_KILLED) {
            error_set("task %d died during an injected syscall", task->tid);
            return -1;
        }
        if (stop.kind == STOP_SIGNAL) {
            if (task->stashed_signo) {
                error_set("task %d got two signals during an injected syscall", task->tid);
                return -1;
            }
            if (task_get_siginfo(task, &task->stashed_info) < 0)
                return -1;
            task->stashed_signo = stop.signo;
        }
    }
}

/* At the entry stop of an injected syscall: make it come from the
 * trampoline's syscall, even when the page is not mapped yet (the kernel
 * reads the ip only to show it to seccomp), so that the program's seccomp
 * filters let it through (see TRAMPOLINE_AFTER_SYSCALL). */
static int come_from_trampoline(struct task *task)
{
    struct user_regs_struct regs;
    if (task->has_trampoline)
        return 0;
    if (task_get_regs(task, &regs) < 0)
        return -1;
    regs.rip = TRAMPOLINE_AFTER_SYSCALL;
    return task_set_regs(task, &regs);
}

static int inject(struct task *task, long nr, const uint64_t args[6], int64_t *result, bool restore)
{
    struct user_regs_struct saved, regs;
    uint64_t saved_code = 0;
    if (task_get_regs(task, &saved) < 0)
        return -1;
    regs = saved;
    regs.rip = task->has_trampoline ? TRAMPOLINE_ADDR : saved.rip;
    if (!task->has_trampoline) {
        if (task_read_mem(task, saved.rip, &saved_code, sizeof saved_code) != sizeof saved_code)
            return -1;
        uint64_t patched = saved_code;
        memcpy(&patched, replay_syscall_insn, SYSCALL_INSN_LENGTH);
        if (task_write_mem(task, saved.rip, &patched, sizeof patched) < 0)
            return -1;
    }
    regs.rax = (unsigned long long)nr;
    regs.orig_rax = (unsigned long long)-1; /* no syscall-restart logic on resume */
    regs.rdi = args[0];
    regs.rsi = args[1];
    regs.rdx = args[2];
    regs.r10 = args[3];
    regs.r8 = args[4];
    regs.r9 = args[5];
    int rc = -1;
    if (task_set_regs(task, &regs) == 0 && run_to_syscall_stop(task) == 0 && come_from_trampoline(task) == 0 &&
        run_to_syscall_stop(task) == 0 && task_get_regs(task, &regs) == 0) {
        *result = (int64_t)regs.rax;
        /* The segment bases belong to the program, and arch_prctl may just
         * have set them: restoring must not undo that. */
        saved.fs_base = regs.fs_base;
        saved.gs_base = regs.gs_base;
        rc = 0;
    }
    if (!task->has_trampoline && task_write_mem(task, saved.rip, &saved_code, sizeof saved_code) < 0)
        rc = -1;
    if (restore && task_set_regs(task, &saved) < 0)
        rc = -1;
    return rc;
}

int task_inject_syscall(struct task *task, long nr, const uint64_t args[6], int64_t *result)
{
    return inject(task, nr, args, result, true);
}

int task_inject_syscall_keep_regs(struct task *task, long nr, const uint64_t args[6],
                                  int64_t *result)
{
    return inject(task, nr, args, result, false);
}

int task_map_trampoline(struct task *task)
{
    const uint64_t mmap_args[6] = {TRAMPOLINE_ADDR, TRAMPOLINE_SIZE, PROT_READ | PROT_EXEC,
                                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
                                   (uint64_t)-1, 0};
    int64_t result;
    if (task_inject_syscall(task, SYS_mmap, mmap_args, &result) < 0)
        return -1;
    if (result == -EEXIST) {
        /* Already there: the program is itself recorded (nested tracing),
         * and the outer recorder's trampoline holds the same code. */
        unsigned char there[TRAMPOLINE_CODE_SIZE];
        if (task_read_mem(task, TRAMPOLINE_ADDR, there, sizeof there) == sizeof there &&
            memcmp(there, replay_trampoline_code, sizeof there) == 0) {
            task->has_trampoline = true;
            return 0;
        }
    }
    if (result != (int64_t)TRAMPOLINE_ADDR) {
        error_set("cannot map the trampoline page at 0x%llx in task %d: %s",
                  TRAMPOLINE_ADDR, task->tid, strerror((int)-result));
        return -1;
    }
    if (task_write_mem(task, TRAMPOLINE_ADDR, replay_trampoline_code, TRAMPOLINE_CODE_SIZE) < 0)
        return -1;
    task->has_trampoline = true;
    return 0;
}

const char *task_stop_text(const struct task_stop *stop, char *text, size_t size)
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

/* The probe's target: a function of its own, so that its address is one
 * instruction surely executed. */
__attribute__((noinline)) static void breakpoint_probe_target(void)
{
    __asm__ volatile("");
}

/* A hardware breakpoint on this process's own code, counted by perf (no
 * signal, no child): 1 it fired, 0 it did not, -1 perf cannot say. */
static int perf_breakpoint_fires(void)
{
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.type = PERF_TYPE_BREAKPOINT;
    attr.size = sizeof attr;
    attr.bp_type = HW_BREAKPOINT_X;
    attr.bp_addr = (uint64_t)(uintptr_t)breakpoint_probe_target;
    attr.bp_len = sizeof(long);
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    int fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
    if (fd < 0)
        return -1;
    breakpoint_probe_target();
    uint64_t count = 0;
    ssize_t got = read(fd, &count, sizeof count);
    close(fd);
    return got == (ssize_t)sizeof count ? count > 0 : -1;
}

/* The same tried on a traced child, where perf is not allowed. */
static bool traced_child_breakpoint_fires(void)
{
    pid_t child = fork();
    if (child < 0)
        return false;
    if (child == 0) {
        if (ptrace(PTRACE_TRACEME, 0, 0, 0) == 0 && raise(SIGSTOP) == 0)
            breakpoint_probe_target();
        _exit(0);
    }
    int status = 0;
    bool fired = false;
    struct task probe = {.tid = child, .mem_fd = -1};
    if (waitpid(child, &status, 0) == child && WIFSTOPPED(status) &&
        task_set_breakpoint(&probe, (uint64_t)(uintptr_t)breakpoint_probe_target) == 0 &&
        ptrace(PTRACE_CONT, child, 0, 0) == 0 && waitpid(child, &status, 0) == child && WIFSTOPPED(status) &&
        WSTOPSIG(status) == SIGTRAP)
        fired = true;
    kill(child, SIGKILL);
    while (waitpid(child, &status, 0) < 0 && errno == EINTR)
        ;
    return fired;
}

bool task_hardware_breakpoints_work(void)
{
    static int known; /* 0 not asked yet, 1 they fire, -1 they do not */
    const char *soft = getenv("RRDB_SOFT_BREAKPOINTS"); /* as where they never fire, for tests */
    if (!known && soft && strcmp(soft, "1") == 0)
        known = -1;
    if (!known) {
        int fires = perf_breakpoint_fires();
        if (fires < 0)
            fires = traced_child_breakpoint_fires();
        known = fires ? 1 : -1;
    }
    return known > 0;
}
