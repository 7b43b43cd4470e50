/*
 * trace_event.h — one entry of the recorded event stream, as the recorder
 * writes it and the replayer reads it back (schema/trace.sql, table `event`).
 */
#ifndef RRDB_TRACE_EVENT_H
#define RRDB_TRACE_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/user.h>

enum event_kind {
    EVENT_SYSCALL = 1,  /* a syscall: number, arguments, result, memory written */
    EVENT_SIGNAL = 2,   /* a signal delivered to the task */
    EVENT_RDTSC = 3,    /* an rdtsc/rdtscp the recorder answered */
    EVENT_CPUID = 4,    /* a cpuid the recorder answered */
    EVENT_EXEC = 5,     /* a successful execve; new address space in `mapping` */
    EVENT_EXIT = 6,     /* the task ended */
    EVENT_LANDMARK = 7, /* a preemption point without a syscall: regs (+ memory hash) */
    EVENT_ENTER = 8,    /* a syscall entered; it completes at a later event of the task,
                           and other tasks ran in between */
    EVENT_TRACEE_STOP = 9,  /* nested tracing: the task stopped where the recorded process
                               tracing it (an inner tracer) sees it stop; see schema/trace.sql */
    EVENT_TRACER_WRITE = 10, /* nested tracing: the inner tracer changed the stopped task
                               (registers, memory, extended state, a user-area word, siginfo) */
    EVENT_SHARED_MEMORY = 11, /* memory shared with other processes or files changed while the task
                                 did not run user code: the new bytes are its mem_write rows, put
                                 in before it runs again (tools/rr-record/shared_memory.c) */
};

/* The kinds spelled for SQL text: "... WHERE kind = " SQL_EVENT_EXEC. A
 * literal, not a bound parameter, so that SQLite can use the partial index
 * on syscalls (schema/trace.sql, which is generated with these too).
 * tests/unit/test_replay_protocol.c checks each against its enum value. */
#define SQL_EVENT_SYSCALL "1"
#define SQL_EVENT_SIGNAL "2"
#define SQL_EVENT_RDTSC "3"
#define SQL_EVENT_CPUID "4"
#define SQL_EVENT_EXEC "5"
#define SQL_EVENT_EXIT "6"
#define SQL_EVENT_LANDMARK "7"
#define SQL_EVENT_ENTER "8"
#define SQL_EVENT_TRACEE_STOP "9"
#define SQL_EVENT_TRACER_WRITE "10"
#define SQL_EVENT_SHARED_MEMORY "11"

/* EVENT_SYSCALL: who answered the call (sig_code). */
enum syscall_answered_by {
    SYSCALL_RAN = 0,      /* the kernel ran it */
    SYSCALL_FILTERED = 1, /* a seccomp filter of the program answered in its place (ERRNO,
                             TRAP, TRACE without a tracer): nothing ran, nothing to redo */
    SYSCALL_KILLED_BY_FILTER = 2,      /* a filter answered KILL_THREAD or KILL_PROCESS: the task
                                          died in it (SIGSYS), before any other task ran */
    SYSCALL_KILLED_BY_STRICT_MODE = 3, /* strict mode forbids it: the task died in it (SIGKILL) */
    SYSCALL_BUFFERED = 4, /* made through the syscall buffer (docs/syscall-buffer.md): no stop in
                             record; replay answers it from the buffer, without a stop either */
};

/* EVENT_TRACEE_STOP: where the task stopped (sig_code). */
enum tracee_stop_at {
    TRACEE_AT_SYSCALL_ENTRY = 1,
    TRACEE_AT_SYSCALL_EXIT = 2,
    TRACEE_AT_SIGNAL = 3,  /* signal-delivery stop: siginfo in extra */
    TRACEE_AT_EVENT = 4,   /* PTRACE_EVENT_* stop: the event in arg0, its message in arg1 */
    TRACEE_AT_GROUP_STOP = 5, /* group stop (a stop signal was delivered): signo */
};
/* EVENT_TRACEE_STOP: arg2 is TRACEE_STEPPED when the tracer's single step
 * brought the task to the stop (PTRACE_SINGLESTEP, SYSEMU_SINGLESTEP). */
enum { TRACEE_STEPPED = 1 };

/* EVENT_TRACER_WRITE: what the inner tracer changed (sig_code). */
enum tracer_write_what {
    TRACER_WROTE_REGS = 1,    /* regs */
    TRACER_WROTE_MEMORY = 2,  /* mem_write rows of the event */
    TRACER_WROTE_REGSET = 3,  /* arg0 = NT_* regset type, extra = its bytes */
    TRACER_WROTE_USER = 4,    /* arg0 = offset in struct user, arg1 = the word (debug registers) */
    TRACER_WROTE_SIGINFO = 5, /* extra = siginfo */
};

/* The stack window a landmark's hash covers: below rsp (the red zone) and above. */
#define LANDMARK_STACK_BELOW 128
#define LANDMARK_STACK_ABOVE 256

struct trace_event {
    int64_t seq;
    int32_t tid;
    enum event_kind kind;
    int64_t sysno;
    uint64_t args[6];
    int64_t result;
    int32_t signo;
    int32_t sig_code;
    int32_t sync;
    uint64_t ip;
    bool has_regs;
    struct user_regs_struct regs;
    int64_t extra_blob; /* 0: none */
    bool has_data_hash;
    uint64_t data_hash; /* write-like syscalls: content_hash of the bytes written */
    int64_t at_ms;      /* read back: ms from the trace's creation to this event (-1: unknown) */
};

const char *event_kind_name(enum event_kind kind);

#endif
