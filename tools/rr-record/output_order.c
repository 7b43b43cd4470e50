/*
 * output_order.c — writes to the recorder's stdout and stderr enter the
 * kernel one at a time, and their bytes are tallied into the trace (see
 * output_order.h).
 *
 * Which output a descriptor is: the program's fd is compared with the
 * recorder's own fds 1 and 2 by kcmp(KCMP_FILE), which says whether two
 * descriptors are one open file description. That is what rr-replay follows
 * too (output_fds.c: fds 1 and 2 and their dups, across fork and exec), so a
 * file or terminal opened again by name is not "the output" on either side.
 */
#include "output_order.h"

#include <assert.h>
#include <linux/kcmp.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <stdio.h>
#include <unistd.h>

#include "recorder.h"
#include "syscall_table.h"

/* Is the program's `fd` the open file description of our own `own_fd`?
 * Without kcmp (a kernel built without it) the same file will do. */
static bool is_description_of(pid_t tid, int fd, int own_fd)
{
    long same = syscall(SYS_kcmp, tid, getpid(), KCMP_FILE, fd, own_fd);
    if (same >= 0)
        return same == 0;
    char path[64];
    struct stat theirs, ours;
    snprintf(path, sizeof path, "/proc/%d/fd/%d", tid, fd);
    return stat(path, &theirs) == 0 && fstat(own_fd, &ours) == 0 && ours.st_dev == theirs.st_dev &&
           ours.st_ino == theirs.st_ino;
}

int output_order_start(struct recorder *rec)
{
    bool shared = is_description_of(getpid(), STDOUT_FILENO, STDERR_FILENO);
    output_tally_init(&rec->output.tally, shared);
    return output_log_set_shared(rec->store, shared);
}

/* The descriptor a syscall hands bytes to, or -1; *seen tells whether the
 * recorder reads those bytes: the table's sends (the program's buffer, to
 * the fd in argument 0) and passes (from a file, copy_file_range and
 * sendfile) are read; moves_to (splice, tee, vmsplice, sendmsg…) wait their
 * turn too, but their bytes are not in the trace. */
static int destination_fd(long sysno, const uint64_t args[6], bool *seen)
{
    const struct syscall_desc *desc = syscall_lookup(sysno);
    *seen = true;
    if (desc && desc->effects.sends_arg != SYSCALL_NO_ARG)
        return (int)args[0];
    if (desc && desc->effects.passes_to_arg != SYSCALL_NO_ARG)
        return (int)args[desc->effects.passes_to_arg];
    *seen = false;
    if (desc && desc->effects.moves_to_arg != SYSCALL_NO_ARG)
        return (int)args[desc->effects.moves_to_arg];
    return -1;
}

void output_order_at_entry(struct recorder *rec, struct rec_task *t, const struct user_regs_struct *regs)
{
    (void)rec;
    uint64_t args[6];
    task_syscall_args(regs, args);
    int fd = destination_fd((long)regs->orig_rax, args, &t->output.bytes_seen);
    t->output.target = OUTPUT_STREAM_NONE;
    if (fd < 0)
        return;
    if (is_description_of(t->task.tid, fd, STDOUT_FILENO))
        t->output.target = OUTPUT_STREAM_STDOUT;
    else if (is_description_of(t->task.tid, fd, STDERR_FILENO))
        t->output.target = OUTPUT_STREAM_STDERR;
}

bool output_order_may_enter(struct recorder *rec, struct rec_task *t)
{
    struct output_order *order = &rec->output;
    if (t->output.target == OUTPUT_STREAM_NONE || order->writer == t)
        return true;
    if (order->writer) {
        assert(order->writer->life != TASK_DEAD);
        if (!t->output.held) {
            t->output.held = true;
            t->output.held_since = order->hold_clock++;
        }
        return false;
    }
    t->output.held = false;
    order->writer = t;
    return true;
}

void output_order_add_bytes(struct recorder *rec, struct rec_task *t, const void *data, size_t len)
{
    if (t->output.target == OUTPUT_STREAM_NONE || len == 0)
        return;
    output_tally_add(&rec->output.tally, t->output.target, data, len, &rec->output.row);
    rec->output.row_pending = true;
}

/* The write in the kernel is over: the oldest held writer goes next (the
 * others stay held: it takes the output in its turn). */
static void let_next_writer_go(struct recorder *rec, struct rec_task *done)
{
    struct output_order *order = &rec->output;
    if (order->writer != done)
        return;
    order->writer = NULL;
    struct rec_task *next = NULL;
    for (int i = 0; i < rec->task_count; i++) {
        struct rec_task *t = rec->tasks[i];
        if (t->life != TASK_DEAD && t->output.held && (!next || t->output.held_since < next->output.held_since))
            next = t;
    }
    if (!next)
        return;
    next->output.held = false;
    order->writer = next; /* reserved: no other writer overtakes it */
    if (!next->has_pending_stop) /* else it died meanwhile: task_ended follows */
        recorder_resume_later(rec, next);
}

int output_order_syscall_done(struct recorder *rec, struct rec_task *t, int64_t seq, int64_t result)
{
    struct output_order *order = &rec->output;
    int rc = 0;
    if (t->output.target != OUTPUT_STREAM_NONE && !t->output.bytes_seen && result > 0) {
        /* Bytes went out that the trace does not hold: the row says more
         * came than the tally has, so a replay stops here and says so. */
        assert(!order->row_pending);
        output_tally_add(&order->tally, t->output.target, NULL, 0, &order->row);
        order->row.total += (uint64_t)result;
        order->row_pending = true;
    }
    if (order->row_pending) {
        order->row.seq = seq;
        order->row_pending = false;
        rc = output_log_add(rec->store, &order->row);
    }
    t->output.target = OUTPUT_STREAM_NONE;
    let_next_writer_go(rec, t);
    return rc;
}

void output_order_task_ended(struct recorder *rec, struct rec_task *t)
{
    t->output.held = false;
    t->output.target = OUTPUT_STREAM_NONE;
    let_next_writer_go(rec, t);
}
