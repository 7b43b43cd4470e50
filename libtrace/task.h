/*
 * task.h — the task-control layer shared by the recorder and the replayer:
 * resume and wait, registers, extended state, siginfo, memory, and syscalls
 * injected into a stopped task. Every function works on a task that is in a
 * ptrace-stop; none of them decides policy.
 */
#ifndef RRDB_TASK_H
#define RRDB_TASK_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

#include "replay_protocol.h" /* the trampoline page */

struct task {
    pid_t tid;
    int mem_fd;              /* /proc/TID/mem, for reads and writes of any mapping */
    bool has_trampoline;     /* the trampoline page is mapped in this task */
    int stashed_signo;       /* a signal that arrived during an injected syscall */
    siginfo_t stashed_info;
    bool vanished;           /* a ptrace request found it gone (ESRCH): killed while
                                stopped, by SIGKILL or another thread's exit_group or
                                execve; wait has yet to report its death */
};

enum resume_how {
    RESUME_CONT,
    RESUME_SYSCALL,   /* stop at syscall entry and exit */
    RESUME_SYSEMU,    /* stop at syscall entry and skip the syscall */
    RESUME_SINGLESTEP,
    RESUME_SYSEMU_SINGLESTEP,
};

/* What a wait reported, decoded. */
enum stop_kind {
    STOP_SYSCALL,     /* syscall-entry or -exit stop (TRACESYSGOOD) */
    STOP_SIGNAL,      /* signal-delivery-stop: `signo` is pending delivery */
    STOP_EVENT,       /* PTRACE_EVENT_* stop: `event` */
    STOP_GROUP,       /* group-stop */
    STOP_EXITED,      /* the task is gone: exit status in `status` */
    STOP_KILLED,      /* the task is gone: killed by `signo` */
};

struct task_stop {
    enum stop_kind kind;
    int signo;
    int event;
    int status;
};
/* A stop described in words ("a syscall", "signal Segmentation fault"), for
 * divergence reports and the debug log; returns text. */
const char *task_stop_text(const struct task_stop *stop, char *text, size_t size);

int task_attach_fd(struct task *task, pid_t tid);
void task_detach_fd(struct task *task);

int task_resume(struct task *task, enum resume_how how, int signo);
/* Called when a wait is interrupted by a signal to the tool (a timer, say),
 * before waiting again: the recorder commits its trace there, so a program
 * that blocks for long leaves its events on disk. When the hook returns
 * true, task_wait_any returns at once (with *tid 0): the caller has
 * something to do before it waits again. */
void task_set_wait_interrupted_hook(bool (*hook)(void *context), void *context);
/* Wait for the next stop of this task (blocking). */
int task_wait(struct task *task, struct task_stop *stop);
/* Wait for the next stop of any traced task; *tid says whose (0: the wait
 * was cut short by the hook, no stop). The caller must call task_reopen_mem
 * on that task after a PTRACE_EVENT_EXEC stop. */
int task_wait_any(pid_t *tid, struct task_stop *stop);
/* The memory file belongs to an address space: reopen it after an exec. */
int task_reopen_mem(struct task *task);
/* Wait until a task resumed into exit() has finished exiting (a zombie, or
 * gone), without collecting it: its memory effects (the clear-child-tid word
 * a joining thread reads) are then done. A thread group leader's death is
 * reported only after its other threads', so waitpid cannot tell this. */
int task_wait_until_exited(struct task *task);
/* Wait until a task resumed into a syscall is no longer running: asleep in
 * the kernel, or stopped again (at the syscall's exit). */
int task_wait_until_blocked(struct task *task);
/* Resume then wait. */
int task_step(struct task *task, enum resume_how how, int signo, struct task_stop *stop);

int task_get_regs(struct task *task, struct user_regs_struct *regs);
/* The six syscall arguments in `regs` (x86_64: rdi, rsi, rdx, r10, r8, r9). */
void task_syscall_args(const struct user_regs_struct *regs, uint64_t args[6]);
int task_set_regs(struct task *task, const struct user_regs_struct *regs);
/* Extended register state (x87/SSE/AVX…, XSAVE layout). Returns bytes, or -1. */
ssize_t task_get_xstate(struct task *task, void *buf, size_t size);
int task_set_xstate(struct task *task, const void *buf, size_t size);
int task_get_siginfo(struct task *task, siginfo_t *info);
int task_set_siginfo(struct task *task, const siginfo_t *info);
/* 1 if the current syscall stop is an entry stop, 0 if exit, -1 on error. */
int task_syscall_stop_is_entry(struct task *task);
int task_set_options(struct task *task, long options);

/* DR7 while task_set_breakpoint's breakpoint is set: DR0 enabled alone, for
 * execution of its one byte (rr-diff --nested tells the landmark search's
 * traps by it). */
enum { TASK_BREAKPOINT_DR7 = 1 };

/* Arm hardware breakpoint 0 to stop the task (SIGTRAP) before it executes
 * the instruction at `addr`; 0 disarms it. */
int task_set_breakpoint(struct task *task, uint64_t addr);
/* Whether hardware breakpoints fire here (a traced child tries one); under
 * some hypervisors (a PVM guest) they are accepted and never fire. */
bool task_hardware_breakpoints_work(void);

/* Read up to `len` bytes; returns bytes read (short at an unmapped page) or -1. */
ssize_t task_read_mem(struct task *task, uint64_t addr, void *buf, size_t len);
/* Write `len` bytes, even into read-only mappings. Returns 0 or -1. */
int task_write_mem(struct task *task, uint64_t addr, const void *buf, size_t len);
/* Read a NUL-terminated string of at most size-1 bytes. Returns 0 or -1. */
int task_read_string(struct task *task, uint64_t addr, char *buf, size_t size);

/* Run syscall `nr` with `args` in a task stopped at a syscall-exit or
 * signal-delivery stop (not a syscall entry), then put its registers back as
 * they were. Uses the trampoline page when the task has one, else a `syscall`
 * instruction written at the current ip for the duration. Returns 0 and the
 * syscall's return value in *result, or -1. */
int task_inject_syscall(struct task *task, long nr, const uint64_t args[6], int64_t *result);
/* The same, leaving the registers as the syscall left them (rt_sigreturn). */
int task_inject_syscall_keep_regs(struct task *task, long nr, const uint64_t args[6],
                                  int64_t *result);

/* Map the trampoline page into a task (using task_inject_syscall). */
int task_map_trampoline(struct task *task);

#endif
