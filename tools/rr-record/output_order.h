/*
 * output_order.h — rr-record's side of the program's output: what it writes
 * to the recorder's own stdout and stderr reaches them in the order of the
 * trace, and the trace holds a tally of it (output_log.h) that rr-replay
 * checks what it shows against.
 *
 * Why the order needs care: a task resumed into a syscall runs in the kernel
 * while another task runs (record_scheduler.c), and its exit stop is recorded
 * when the task is scheduled again. Two writes to one output in the kernel at
 * once take effect in an order the recorder cannot see (waitpid reports the
 * stops of several tasks in its own order, not the kernel's), so the trace
 * could list them in the other order, and replay — which shows each write at
 * its event — printed the lines moved. So a write to an output enters the
 * kernel only when no other task's write to an output is in there: a task
 * reaching one meanwhile waits at its syscall entry (held) and goes in when
 * the write before it has been recorded, oldest held first. The order of
 * the events is then the order the kernel took the bytes.
 */
#ifndef RRDB_OUTPUT_ORDER_H
#define RRDB_OUTPUT_ORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/user.h>

#include "output_log.h"

struct recorder;
struct rec_task;

struct output_order {
    struct output_tally tally;
    struct rec_task *writer;      /* whose write to an output is in the kernel, or NULL */
    uint64_t hold_clock;          /* order in which tasks were held */
    bool row_pending;             /* bytes tallied for the syscall being recorded… */
    struct output_log_row row;    /* …and the tally after them */
};

/* Per task: the output its syscall in progress writes to, and whether it
 * waits for its turn. */
struct output_turn {
    enum output_stream target;
    bool bytes_seen;              /* the recorder reads the bytes it writes there */
    bool held;
    uint64_t held_since;
};

/* Before the program starts: are our stdout and stderr one description
 * (stored in the trace)? */
int output_order_start(struct recorder *rec);
/* At a syscall entry of t that goes to the kernel: note which of our outputs
 * it writes to (OUTPUT_STREAM_NONE for anything else). */
void output_order_at_entry(struct recorder *rec, struct rec_task *t, const struct user_regs_struct *regs);
/* Right before t is resumed into the kernel at a syscall entry: true when it
 * may go (its write is now the one in the kernel), false when it must wait
 * (it is held, and queued again when its turn comes). */
bool output_order_may_enter(struct recorder *rec, struct rec_task *t);
/* Bytes t's syscall put into its output (the program's buffer, or what a
 * copy_file_range/sendfile passed). */
void output_order_add_bytes(struct recorder *rec, struct rec_task *t, const void *data, size_t len);
/* t's syscall was recorded as event `seq` (with `result`): store the tally
 * when it wrote to an output, and let the next held writer go. */
int output_order_syscall_done(struct recorder *rec, struct rec_task *t, int64_t seq, int64_t result);
/* t died (its syscall may never have come back). */
void output_order_task_ended(struct recorder *rec, struct rec_task *t);

#endif
