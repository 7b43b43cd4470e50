/*
 * nested_tracing.h — what the recorder's four files of nested tracing share:
 * ptrace_emulation.c (the tracees' stops), ptrace_requests.c (the tracer's
 * ptrace requests), inner_waits.c (the tracer's waits and SIGCHLD) and
 * tracer_writes.c (what a tracer changes in a tracee). ptrace_emulation.h is what the rest of the
 * recorder calls.
 */
#ifndef RRDB_NESTED_TRACING_H
#define RRDB_NESTED_TRACING_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

struct recorder;
struct rec_task;
struct trace_event;

/* ptrace_emulation.c */
/* Does this ptrace resume request stop the tracee at syscalls? */
bool nested_resumed_for_syscalls(long request);
/* Record that tracee t stopped where its tracer sees it (a syscall stop at
 * `at`, skipped under SYSEMU; a ptrace event; a group stop by `signo`), keep
 * it there and tell its tracer. 0 or -1. */
int nested_report_syscall_stop(struct recorder *rec, struct rec_task *t, int at, bool skipped);
int nested_report_event_stop(struct recorder *rec, struct rec_task *t, int ptrace_event, unsigned long message);
int nested_report_group_stop(struct recorder *rec, struct rec_task *t, int signo);
/* The recorded task `tid` (the latest, dead or alive), or NULL. */
struct rec_task *nested_find_task(struct recorder *rec, pid_t tid);
/* Copy to or from the tracer's memory: 0, or -EFAULT as the kernel would say. */
int64_t nested_put_to_tracer(struct rec_task *tracer, uint64_t addr, const void *data, size_t len);
int64_t nested_get_from_tracer(struct rec_task *tracer, uint64_t addr, void *data, size_t len);

/* inner_waits.c */
/* A wait4 or waitid of t at its entry: 1 answered (*result; or t->held_in_wait
 * when nothing is to report yet), 0 for the kernel (none of t's tracees is
 * concerned, or a dead child is reaped for real), -1 on error. */
int inner_waits_syscall(struct recorder *rec, struct rec_task *t, const struct user_regs_struct *regs,
                        int64_t *result);
/* A tracee of `tracer` has news: a wait that held the tracer is answered. */
void inner_waits_wake_tracer(struct recorder *rec, struct rec_task *tracer);
/* Tell a tracer that catches SIGCHLD of a tracee's stop. */
void inner_waits_send_sigchld(struct rec_task *tracer, const struct rec_task *tracee);

/* tracer_writes.c: record what the tracer changed in `tracee` (0 or -1). */
int tracer_writes_record(struct recorder *rec, struct rec_task *tracee, int what, struct trace_event *event);
int tracer_writes_regs(struct recorder *rec, struct rec_task *tracee);
int tracer_writes_bytes(struct recorder *rec, struct rec_task *tracee, int what, uint64_t arg0, const void *data,
                        size_t len);
int tracer_writes_memory(struct recorder *rec, struct rec_task *tracee, uint64_t addr, size_t len);

#endif
