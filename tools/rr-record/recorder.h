/*
 * recorder.h — the recording session: runs a program under ptrace and writes
 * what it observes into a trace. main.c handles the command line.
 */
#ifndef RRDB_RECORDER_H
#define RRDB_RECORDER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/user.h>

#include "kernel_writes.h"
#include "task.h"
#include "trace_event.h"

struct trace_store;

struct recorder {
    struct trace_store *store;
    struct task task;
    int64_t next_seq;
    int32_t pid;
    int pinned_cpu;               /* the one CPU the program runs on */
    bool cpuid_native;            /* no CPUID faulting here: cpuid is not trapped */
    bool commit_timer;            /* arm a periodic SIGALRM once the program runs */

    /* syscall in progress (between entry and exit stops) */
    bool in_syscall;
    struct user_regs_struct entry_regs;
    bool skipped;                 /* the recorder made the kernel skip it */
    int64_t skipped_result;       /* what the program is told instead */

    /* the last syscall-exit stop, to recognise signals delivered right there */
    bool at_syscall_exit;
    struct user_regs_struct exit_regs;

    /* a caught asynchronous signal, held until the next syscall boundary */
    bool has_deferred;
    siginfo_t deferred;
    int deliver_signo;            /* passed with the next resume */
    bool delivering_deferred;

    struct mem_ranges ranges;
    unsigned char *copy_buffer;
    size_t copy_capacity;

    /* how it ended */
    int exit_status;              /* as a shell reports it: status or 128+signal */
    char stop_reason[256];        /* set when recording stopped early */
};

/* Fork and exec argv[0] (a path), record until it ends. Returns 0 when the
 * program ran to its end (exit_status set), -1 when recording stopped early
 * (stop_reason set; the trace keeps everything up to there). */
int recorder_run(struct recorder *rec, char *const argv[]);

/* exec_capture.c: at an exec event stop, arm the traps, hide the vDSO and
 * store the new address space as event `seq`. */
int exec_capture(struct recorder *rec, const struct user_regs_struct *entry_regs, bool has_entry_regs);

/* passed_output.c: store what copy_file_range/sendfile moved to our stdout/stderr. */
int passed_output_capture(struct recorder *rec, const struct trace_event *event);

/* Copy `len` bytes of tracee memory at `addr` into the recorder's buffer;
 * unreadable pages read as zeros. Returns the buffer or NULL. */
const unsigned char *recorder_copy_memory(struct recorder *rec, uint64_t addr, size_t len);

#endif
