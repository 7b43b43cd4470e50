/*
 * syscall_buffer.h — the recorder's side of the in-process syscall buffer
 * (docs/syscall-buffer.md, libtrace/syscall_buffer_abi.h): the embedded
 * library, its injection at exec with the seccomp filter that lets its
 * calls through untraced (syscall_buffer_inject.c), the folding of its
 * records into ordinary syscall events at the task's next stop
 * (syscall_buffer_fold.c) and the patching of libc's syscall sites into it
 * (syscall_buffer_patch.c).
 */
#ifndef RRDB_SYSCALL_BUFFER_H
#define RRDB_SYSCALL_BUFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/user.h>

#include "syscall_buffer_abi.h"
#include "task.h"

/* The library (generated from preload/syscall_buffer.c by the build). */
extern const unsigned char syscall_buffer_blob[];
extern const size_t syscall_buffer_blob_size;
extern const uint64_t syscall_buffer_entry_offset;          /* sb_entry */
extern const uint64_t syscall_buffer_untraced_after_offset; /* after the untraced `syscall` */
extern const uint64_t syscall_buffer_traced_after_offset;   /* after the traced one */

/* A task's part in it (in struct rec_task). */
struct rec_syscall_buffer {
    bool filter;   /* the recorder's seccomp filter is on the task (inherited, kept across exec) */
    bool library;  /* the library is mapped in its address space, in record mode */
    bool entered_by_filter;           /* its syscall in progress was entered at the filter's stop */
    bool restarting;                  /* in a call skipped after patching its site… */
    struct user_regs_struct restart;  /* …to go back to it with these registers */
};

/* Is ip inside the library or its stubs? No signal, preemption point or
 * landmark is ever placed there. */
static inline bool syscall_buffer_contains(uint64_t ip)
{
    return ip >= SB_CODE_ADDR && ip < SB_CODE_ADDR + SB_CODE_SIZE;
}

struct recorder;
struct rec_task;
struct trace_event;
struct task_stop;

/* At an exec's syscall-exit stop, before its mappings are stored: map the
 * library and the buffer, and install the filter if the task has none. */
int syscall_buffer_inject(struct recorder *rec, struct rec_task *t);
/* How to resume t into user code: without syscall stops (the filter sends
 * the traced calls as seccomp stops) when it may. Before that, the buffer
 * learns which task runs, and is switched off for good in a process whose
 * calls a tracer of its own or a filter of its own must see. */
enum resume_how syscall_buffer_resume_how(struct rec_task *t, enum resume_how how);
int syscall_buffer_before_user_code(struct rec_task *t);
/* A seccomp stop: 1 when it stands for the syscall's entry (rewritten as
 * such in *stop), 0 when it comes after an entry stop already seen. */
int syscall_buffer_seccomp_stop(struct rec_task *t, struct task_stop *stop);
/* t was resumed into a syscall that does not return (exit): when its entry
 * was an entry stop, the filter's stop comes first; pass it. */
int syscall_buffer_pass_filter_stop(struct rec_task *t);
/* At a signal stop inside the library: step t out of it first, so that no
 * signal, preemption or landmark is ever placed inside buffered code.
 * *stop becomes the stop to handle (the signal, now outside; or the entry
 * of the library's traced call, the signal then held). */
int syscall_buffer_leave_library(struct recorder *rec, struct rec_task *t, struct task_stop *stop);
/* After t ran user code: its records become syscall events. */
int syscall_buffer_fold(struct recorder *rec, struct rec_task *t);
/* At the entry of a traced call the library handles (regs: the task's):
 * patch its site, skip the call and return 1; 0 when the site stays. */
int syscall_buffer_patch_at_entry(struct recorder *rec, struct rec_task *t, struct user_regs_struct *regs);
/* At the exit of a call skipped so: back to the site, 1; 0 for any other. */
int syscall_buffer_restart_at_exit(struct rec_task *t);

#endif
