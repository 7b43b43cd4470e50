/*
 * tracer_writes.c — nested tracing: what a recorded tracer changes in a
 * stopped tracee (registers, register sets, user-area words, siginfo,
 * memory through PTRACE_POKE*, /proc/PID/mem — by any call the syscall
 * table says sends data — or process_vm_writev) is
 * recorded as a tracer_write event of the tracee, which replay applies to
 * the live task (tools/rr-replay/nested_tracing.c).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "blob_store.h"
#include "event_log.h"
#include "nested_tracing.h"
#include "proc_status.h"
#include "recorder.h"
#include "syscall_table.h"

int tracer_writes_record(struct recorder *rec, struct rec_task *tracee, int what, struct trace_event *event)
{
    struct user_regs_struct regs;
    bool regs_changed = what == TRACER_WROTE_REGS || what == TRACER_WROTE_REGSET || what == TRACER_WROTE_USER;
    if (regs_changed && tracee->at_syscall_exit) {
        /* Replay writes them too: the tracee is still at a known point. */
        if (task_get_regs(&tracee->task, &regs) < 0)
            return -1;
        record_signal_known_point(tracee, &regs);
    }
    event->seq = rec->next_seq++;
    event->tid = tracee->task.tid;
    event->kind = EVENT_TRACER_WRITE;
    event->sig_code = what;
    return event_log_append(rec->store, event);
}

int tracer_writes_regs(struct recorder *rec, struct rec_task *tracee)
{
    struct trace_event event = {.has_regs = true};
    if (task_get_regs(&tracee->task, &event.regs) < 0)
        return -1;
    event.ip = event.regs.rip;
    return tracer_writes_record(rec, tracee, TRACER_WROTE_REGS, &event);
}

int tracer_writes_bytes(struct recorder *rec, struct rec_task *tracee, int what, uint64_t arg0,
                       const void *data, size_t len)
{
    struct trace_event event = {.args = {arg0}};
    event.extra_blob = blob_store_put(rec->store, data, len);
    if (event.extra_blob < 0)
        return -1;
    return tracer_writes_record(rec, tracee, what, &event);
}

int tracer_writes_memory(struct recorder *rec, struct rec_task *tracee, uint64_t addr, size_t len)
{
    struct trace_event event = {.args = {addr, len}};
    if (tracer_writes_record(rec, tracee, TRACER_WROTE_MEMORY, &event) < 0)
        return -1;
    /* An rdtsc the recorder made trap that a recorded tracer wrote over is
     * the tracer's now (a recorded rr-record patches the same sites: their
     * traps are its own). */
    tsc_patching_forget(rec, tracee->pid, addr, len);
    const unsigned char *now = recorder_copy_memory(rec, &tracee->task, addr, len);
    if (!now)
        return -1;
    return event_log_add_mem_write(rec->store, event.seq, addr, now, len);
}

/* Is fd of task t open on the memory of a recorded task? That task, or NULL. */
static struct rec_task *memory_file_task(struct recorder *rec, struct rec_task *t, int fd)
{
    char target[128];
    if (proc_fd_target(t->task.tid, fd, target, sizeof target) == 0)
        return NULL;
    int pid, tid, end = 0;
    if (sscanf(target, "/proc/%d/task/%d/mem%n", &pid, &tid, &end) == 2 && target[end] == 0)
        pid = tid; /* one thread's view: the same memory */
    else if (end = 0, sscanf(target, "/proc/%d/mem%n", &pid, &end) != 1 || target[end] != 0)
        return NULL;
    struct rec_task *owner = nested_find_task(rec, pid);
    return owner && owner->life != TASK_DEAD ? owner : NULL;
}

/* `total` bytes went to `owner`'s memory, as the iovecs at iov_addr in t
 * say: at `offset` on, so many at a time (pwritev), or into the buffers they
 * name in owner (process_vm_writev's remote_iov: `remote`). */
static int wrote_through_iovecs(struct recorder *rec, struct rec_task *t, struct rec_task *owner, uint64_t iov_addr,
                                uint64_t count, uint64_t offset, bool remote, size_t total)
{
    for (uint64_t i = 0; i < count && total > 0; i++) {
        struct iovec iov;
        if (task_read_mem(&t->task, iov_addr + i * sizeof iov, &iov, sizeof iov) != sizeof iov)
            break;
        size_t len = iov.iov_len < total ? iov.iov_len : total;
        uint64_t at = remote ? (uint64_t)iov.iov_base : offset;
        if (len > 0 && tracer_writes_memory(rec, owner, at, len) < 0)
            return -1;
        offset += len;
        total -= len;
    }
    return 0;
}

/* Did this open a process's memory file (/proc/PID/mem, /proc/self/mem,
 * /proc/PID/task/TID/mem)? Then its process is marked: only the writes of
 * marked processes are looked at (a readlink each). */
static void note_memory_file_open(struct recorder *rec, struct rec_task *t, const struct syscall_desc *desc,
                                  const struct trace_event *event)
{
    char path[128];
    int path_arg = syscall_arg_of_kind(desc, "path");
    if (path_arg == SYSCALL_NO_ARG || task_read_string(&t->task, event->args[path_arg], path, sizeof path) < 0)
        return;
    size_t len = strlen(path);
    if (strncmp(path, "/proc/", 6) != 0 || len < 10 || strcmp(path + len - 4, "/mem") != 0)
        return;
    for (int i = 0; i < rec->task_count; i++)
        if (rec->tasks[i]->pid == t->pid)
            rec->tasks[i]->opened_memory_file = true;
}

/* The file offset a write(v) on fd started at: its position now, less what it wrote. */
static int write_started_at(struct rec_task *t, int fd, int64_t written, uint64_t *offset)
{
    char path[64], line[128];
    snprintf(path, sizeof path, "/proc/%d/fdinfo/%d", t->task.tid, fd);
    FILE *info = fopen(path, "re");
    if (!info)
        return -1;
    unsigned long long pos = 0;
    bool found = false;
    while (!found && fgets(line, sizeof line, info))
        found = sscanf(line, "pos: %llu", &pos) == 1;
    fclose(info);
    *offset = pos - (uint64_t)written;
    return found ? 0 : -1;
}

/* A write-like call (the table's sends effect) on an fd open on a recorded
 * task's memory file: the same bytes reach that task in replay. They went
 * to the call's file offset (at_offset, unless -1), else the fd's position. */
static int memory_file_written(struct recorder *rec, struct rec_task *t, const struct syscall_desc *desc,
                               const struct trace_event *event)
{
    const struct syscall_effects *effects = &desc->effects;
    int fd_arg = syscall_arg_of_kind(desc, "fd");
    struct rec_task *owner;
    uint64_t offset;
    if (event->result == 0 || fd_arg == SYSCALL_NO_ARG || !t->opened_memory_file ||
        !(owner = memory_file_task(rec, t, (int)event->args[fd_arg])))
        return 0;
    if (effects->offset_arg != SYSCALL_NO_ARG && (int64_t)event->args[effects->offset_arg] != -1)
        offset = event->args[effects->offset_arg];
    else if (write_started_at(t, (int)event->args[fd_arg], event->result, &offset) < 0)
        return 0;
    if (effects->sends_iov_count_arg == SYSCALL_NO_ARG)
        return tracer_writes_memory(rec, owner, offset, (size_t)event->result);
    return wrote_through_iovecs(rec, t, owner, event->args[effects->sends_arg],
                                event->args[effects->sends_iov_count_arg], offset, false, (size_t)event->result);
}

int ptrace_emulation_after_syscall(struct recorder *rec, struct rec_task *t, const struct trace_event *event)
{
    if (t->wait_redirected) {
        struct user_regs_struct regs;
        t->wait_redirected = false;
        if (task_get_regs(&t->task, &regs) < 0)
            return -1;
        regs.rdi = t->redirected_rdi;
        regs.rsi = t->redirected_rsi;
        if (task_set_regs(&t->task, &regs) < 0)
            return -1;
    }
    const struct syscall_desc *desc = syscall_lookup(event->sysno);
    if (event->result < 0 || !desc)
        return 0;
    if (desc->effects.fd == FD_EFFECT_OPEN) {
        note_memory_file_open(rec, t, desc, event);
        return 0;
    }
    if (desc->effects.sends_arg != SYSCALL_NO_ARG)
        return memory_file_written(rec, t, desc, event);
    if (event->sysno == SYS_process_vm_writev && event->result > 0) {
        struct rec_task *owner = nested_find_task(rec, (pid_t)event->args[0]);
        if (!owner || owner->life == TASK_DEAD)
            return 0; /* not a recorded process: nothing of the recording changed */
        return wrote_through_iovecs(rec, t, owner, event->args[3], event->args[4], 0, true, (size_t)event->result);
    }
    return 0;
}
