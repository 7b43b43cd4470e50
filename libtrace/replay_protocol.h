/*
 * replay_protocol.h — the contract between the recorder, the replayer and
 * the tools that read a recording of them. rr-replay recorded by rr-record
 * leaves a trace in which the replayer's own moves show (the syscalls it
 * injects through the trampoline page, the clones it runs in place, the
 * traps it answers); rr-diff --nested (inner_view.c, inner_events.c,
 * nested_source.c) reads the replayed program's events back out of those
 * moves. Everything such a reader relies on is written here, once, so that
 * changing what the replayer does means changing this header — which breaks
 * a build or tests/unit/test_replay_protocol.c, not silently a diff.
 *
 * The event kinds and tracee-stop codes of the trace itself are in
 * trace_event.h; their SQL spellings (SQL_EVENT_*) too.
 */
#ifndef RRDB_REPLAY_PROTOCOL_H
#define RRDB_REPLAY_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- instructions ---- */

/* x86-64 `syscall` (0f 05). At a syscall stop rip is past it: the
 * instruction is at rip - SYSCALL_INSN_LENGTH, where a restart goes back to. */
#define SYSCALL_INSN_LENGTH 2
extern const unsigned char replay_syscall_insn[SYSCALL_INSN_LENGTH];
/* Does `code` (at least SYSCALL_INSN_LENGTH bytes) begin with `syscall`? */
bool replay_is_syscall_insn(const unsigned char *code);

/* The instructions rr-record traps and rr-replay answers with recorded
 * values (a SIGSEGV stop): they are stepped over by their length. */
#define RDTSC_INSN_LENGTH 2  /* 0f 31 */
#define RDTSCP_INSN_LENGTH 3 /* 0f 01 f9 */
#define CPUID_INSN_LENGTH 2  /* 0f a2 */

/* ---- the trampoline page ---- */

/* A page mapped at this fixed address in every recorded and replayed process
 * holds the trampoline code: the place injected syscalls execute. Record and
 * replay map it identically, so the program's own layout is the same in both. */
#define TRAMPOLINE_ADDR 0x70000000ull
#define TRAMPOLINE_SIZE 4096ull
/* `syscall; int3`: an injected syscall runs at TRAMPOLINE_ADDR; the int3
 * catches a task that would run on. One copy, used by every tool. */
#define TRAMPOLINE_CODE_SIZE 3
extern const unsigned char replay_trampoline_code[TRAMPOLINE_CODE_SIZE];
/* Where a syscall made at TRAMPOLINE_ADDR stops (rip), and the address a
 * seccomp filter sees it come from (seccomp_data.instruction_pointer): the
 * recorder installs the program's filters with a prefix that allows every
 * call from there, and makes its injected calls come from there even before
 * the page is mapped (a task's ip may be set anywhere at a syscall entry). */
#define TRAMPOLINE_AFTER_SYSCALL (TRAMPOLINE_ADDR + SYSCALL_INSN_LENGTH)
/* Is `addr` inside the trampoline page? */
bool replay_in_trampoline(uint64_t addr);

/* Where rr-replay puts the arguments of the syscalls it injects, as offsets
 * into the trampoline page, past the code. A reader of a recorded replay sees
 * the replayer's writes there and must not take them for the program's. */
enum trampoline_scratch {
    TRAMPOLINE_DEFAULT_ACTION_AT = 64, /* a struct sigaction of SIG_DFL (exec's reset) */
    TRAMPOLINE_NO_ALTSTACK_AT = 128,   /* a stack_t with SS_DISABLE (exec's reset) */
    TRAMPOLINE_CLONE_ARGS_AT = 256,    /* clone3's struct clone_args, flags changed */
    TRAMPOLINE_EXEC_PATH_AT = 512,     /* the path of a fresh exec: "/proc/self/exe" */
    TRAMPOLINE_EXEC_ARGV_AT = 640,     /* its argv {path, NULL}, envp the NULL */
    TRAMPOLINE_KILL_FILTER_AT = 768,   /* a seccomp sock_fprog and its one instruction,
                                          SECCOMP_RET_KILL_THREAD (a filter's kill, replayed) */
};
/* What a fresh exec runs: the replay process's own image (none of its code
 * runs; the recorded address space replaces it). */
#define REPLAY_FRESH_EXEC_PATH "/proc/self/exe"
/* The sizes those areas hold (the unit test checks they do not overlap). */
#define TRAMPOLINE_DEFAULT_ACTION_SIZE 32
#define TRAMPOLINE_NO_ALTSTACK_SIZE 24
#define TRAMPOLINE_CLONE_ARGS_SIZE 256 /* a clone3 copy longer than this is cut */
#define TRAMPOLINE_EXEC_PATH_SIZE 128
#define TRAMPOLINE_EXEC_ARGV_SIZE 16
#define TRAMPOLINE_KILL_FILTER_SIZE 24

/* ---- fork-like syscalls ---- */

/* struct clone_args (clone3, linux/sched.h), the fields replay rewrites,
 * or that the kernel writes through, as byte offsets (the unit test checks them against the kernel's struct). */
enum clone_args_offset {
    CLONE_ARGS_FLAGS = 0,
    CLONE_ARGS_PIDFD = 8,
    CLONE_ARGS_CHILD_TID = 16,
    CLONE_ARGS_PARENT_TID = 24,
    CLONE_ARGS_EXIT_SIGNAL = 32,
};

/* A fork-like syscall whose caller sees the new task by another pid than the
 * recorder (a pid namespace): the event's result is the pid the caller saw,
 * and its extra blob holds this. Without the blob the three are one. */
struct clone_pids {
    int32_t tid;     /* the new task as the trace names it (its tid in the recorder's namespace) */
    int32_t own_tid; /* the tid it sees itself as (what CLONE_CHILD_SETTID writes) */
};

/* ---- syscall restarts ---- */

/* The kernel's internal "restart this syscall" results (include/linux/errno.h):
 * a syscall interrupted by a signal stops with one of them at its exit. */
enum {
    ERESTARTSYS = 512,
    ERESTARTNOINTR = 513,
    ERESTARTNOHAND = 514,
    ERESTART_RESTARTBLOCK = 516,
};
/* Is `result` one of them (negated, as a syscall returns it)? */
bool replay_is_restart_result(int64_t result);

/* ---- how a task ended ---- */

/* The task table's `end` column and an exit event: EXITED with a status
 * (event result), or KILLED by a signal (event signo). */
enum task_end {
    TASK_END_NONE = 0,   /* still alive */
    TASK_END_EXITED = 1,
    TASK_END_KILLED = 2,
};
/* "exited" or "killed", as the task table stores it (NULL for NONE). */
const char *task_end_name(enum task_end end);
/* How an exit event says its task ended: KILLED by its signo when set, else
 * EXITED with its result as the status; *value gets the signal or status. */
struct trace_event;
enum task_end task_end_of_exit_event(const struct trace_event *event, int *value);

/* Which syscalls end their caller, and how much of it: exit the calling
 * thread, exit_group every thread of its process. Neither returns, so each
 * is recorded at its entry and replayed by running it; the one place that
 * names them for the recorder, the replayer and rr-diff --nested. */
enum exit_scope {
    EXIT_SCOPE_NONE = 0,  /* the call returns */
    EXIT_SCOPE_THREAD,    /* exit */
    EXIT_SCOPE_PROCESS,   /* exit_group */
};
enum exit_scope syscall_exit_scope(long sysno);

/* ---- the traced child's set-up ---- */

/* The exit status of a child that could not be set up, before it runs any
 * of the program: its parent reports it in words instead. */
enum child_setup_exit {
    RECORD_CHILD_SETUP_FAILED = 127,     /* rr-record: cannot trace, prepare or exec */
    REPLAY_CHILD_SETUP_FAILED = 126,     /* rr-replay: cannot trace, trap rdtsc, map the trampoline */
    REPLAY_CHILD_NO_CPUID_FAULTING = 125, /* rr-replay: the trace needs CPUID faulting */
};

#endif
