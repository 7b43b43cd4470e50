/*
 * shared_memory.c — memory a recorded process shares with others: MAP_SHARED
 * mappings (of files, memfds, anonymous memory after fork) and SysV shared
 * memory segments. Replay rebuilds every mapping as anonymous memory, so what
 * changes such memory from outside the process's own user code is not
 * reproduced by itself: another recorded process storing into it (replay
 * shares memory between processes only where fork made them share it), a
 * write() to the mapped file, the kernel at a process's death (robust
 * futexes), a second mapping of the same object at another address.
 *
 * So the recorder keeps, per process, a copy (the shadow) of each shared
 * mapping as replay will have it. The recording runs one task at a time:
 * when a task stops after running user code, what the process's shared
 * memory holds is what replay holds there too (its own stores are
 * replayed): the process is settled. The shadow is refreshed from the
 * memory only when something from outside may change it: before a task of
 * another process runs user code, or before a syscall that may change
 * shared memory (the table's changes_shared, sends, passes, moves_to,
 * signals: a write() to a mapped file, a process's death) runs. Before a
 * task runs user code again, a process that is no longer settled has its
 * memory compared with the shadow; what differs was changed from outside,
 * and is recorded as an EVENT_SHARED_MEMORY event of that task whose
 * mem_write rows replay writes in at the same point. A process that runs
 * alone through syscalls that change nothing shared costs nothing.
 *
 * Two mappings of one object in one process (the same inode, overlapping
 * file offsets) are aliases: a store through one shows through the other
 * when recorded, not in replay. Their shadows are never refreshed from the
 * memory and they are compared before every run of user code, so that the
 * process's own stores are recorded too, through both.
 *
 * Cost: a copy of a process's shared mappings at each switch to another
 * process and at each file write, and a second one before it runs again;
 * nothing for processes without shared mappings. A process that is not
 * recorded writing shared memory is seen only when one of those copies is
 * taken. The list of mappings is read again from /proc/PID/maps after the
 * process mapped or unmapped something (shared_memory_forget).
 */
#include "recorder.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "debug_log.h"
#include "error.h"
#include "event_log.h"
#include "proc_maps.h"
#include "syscall_table.h"

struct shared_region {
    uint64_t start, end;
    uint64_t inode, offset;
    bool alias;             /* another region of the process maps the same bytes */
    unsigned char *shadow;  /* end - start bytes: the contents replay has */
};

struct shared_process {
    int32_t pid;
    bool stale;             /* its mappings changed: read /proc/PID/maps again */
    bool settled;           /* its memory is what replay has; the shadow is not refreshed yet */
    struct shared_region *regions;
    int count;
};

static struct shared_process *find_process(struct shared_memory *shared, int32_t pid)
{
    for (int i = 0; i < shared->count; i++)
        if (shared->procs[i].pid == pid)
            return &shared->procs[i];
    return NULL;
}

static void free_regions(struct shared_process *proc)
{
    for (int i = 0; i < proc->count; i++)
        free(proc->regions[i].shadow);
    free(proc->regions);
    proc->regions = NULL;
    proc->count = 0;
}

static struct shared_process *add_process(struct shared_memory *shared, int32_t pid)
{
    if (shared->count == shared->capacity) {
        int capacity = shared->capacity ? shared->capacity * 2 : 8;
        struct shared_process *grown = realloc(shared->procs, (size_t)capacity * sizeof *grown);
        if (!grown) {
            error_set("out of memory");
            return NULL;
        }
        shared->procs = grown;
        shared->capacity = capacity;
    }
    struct shared_process *proc = &shared->procs[shared->count++];
    *proc = (struct shared_process){.pid = pid, .stale = true};
    return proc;
}

void shared_memory_forget(struct recorder *rec, int32_t pid, bool address_space_replaced, bool may_add_shared)
{
    struct shared_process *proc = find_process(&rec->shared, pid);
    if (!proc)
        return;
    if (!address_space_replaced && !may_add_shared && !proc->stale && proc->count == 0)
        return; /* no shared mapping before, none now */
    proc->stale = true;
    if (address_space_replaced)
        free_regions(proc);
}

/* The region [start, end) of the old list, or NULL. */
static struct shared_region *take_old(struct shared_region *old, int old_count, const struct trace_mapping *m)
{
    for (int i = 0; i < old_count; i++)
        if (old[i].shadow && old[i].start == m->start && old[i].end == m->end && old[i].inode == m->inode)
            return &old[i];
    return NULL;
}

static void mark_aliases(struct shared_process *proc)
{
    for (int i = 0; i < proc->count; i++) {
        struct shared_region *a = &proc->regions[i];
        for (int j = i + 1; j < proc->count; j++) {
            struct shared_region *b = &proc->regions[j];
            if (a->inode && a->inode == b->inode && a->offset < b->offset + (b->end - b->start) &&
                b->offset < a->offset + (a->end - a->start))
                a->alias = b->alias = true;
        }
    }
}

/* Read the process's shared mappings again: a region seen before keeps its
 * shadow (changes from outside since then are still to be recorded) unless
 * the process is settled; a new one starts from what it holds now, which is
 * what replay makes it hold (a file mapping's contents are stored with its
 * mmap, a fork child's with its parent's). */
static int rescan(struct recorder *rec, struct shared_process *proc, struct task *task)
{
    struct trace_mapping *maps = NULL;
    int map_count = proc_maps_read(task->tid, &maps);
    if (map_count < 0)
        return -1;
    struct shared_region *old = proc->regions;
    int old_count = proc->count;
    struct shared_region *fresh = calloc((size_t)map_count + 1, sizeof *fresh);
    if (!fresh) {
        free(maps);
        error_set("out of memory");
        return -1;
    }
    int count = 0, rc = 0;
    for (int i = 0; i < map_count && rc == 0; i++) {
        const struct trace_mapping *m = &maps[i];
        if (!(m->flags & MAP_SHARED) || proc_maps_is_special(m))
            continue;
        struct shared_region *r = &fresh[count];
        struct shared_region *seen = proc->settled ? NULL : take_old(old, old_count, m);
        *r = (struct shared_region){.start = m->start, .end = m->end, .inode = m->inode, .offset = m->offset};
        if (seen) {
            r->shadow = seen->shadow;
            seen->shadow = NULL;
        } else {
            const unsigned char *now = recorder_copy_memory(rec, task, m->start, m->end - m->start);
            r->shadow = now ? malloc(m->end - m->start) : NULL;
            if (!r->shadow) {
                rc = -1;
                break;
            }
            memcpy(r->shadow, now, m->end - m->start);
        }
        count++;
    }
    free(maps);
    free_regions(proc);
    proc->regions = fresh;
    proc->count = count;
    proc->stale = false;
    if (rc < 0) {
        error_set("out of memory copying shared memory of process %d", proc->pid);
        return -1;
    }
    mark_aliases(proc);
    DEBUG_LOG(LOG_RECORD, "process %d: %d shared mapping(s)", proc->pid, count);
    return 0;
}

/* The process of t, its mappings up to date. */
static struct shared_process *current_process(struct recorder *rec, struct rec_task *t)
{
    struct shared_process *proc = find_process(&rec->shared, t->pid);
    if (!proc && !(proc = add_process(&rec->shared, t->pid)))
        return NULL;
    if (proc->stale && rescan(rec, proc, &t->task) < 0)
        return NULL;
    return proc;
}

/* The region's bytes as they are now, in the module's buffer. Pages that
 * cannot be read (past the end of the mapped file, or the task is gone) are
 * taken as unchanged. */
static const unsigned char *read_region(struct recorder *rec, struct task *task, const struct shared_region *r)
{
    enum { PAGE = 4096 };
    size_t len = r->end - r->start;
    if (len > rec->shared.buffer_size) {
        unsigned char *grown = realloc(rec->shared.buffer, len);
        if (!grown) {
            error_set("out of memory copying %zu bytes of shared memory", len);
            return NULL;
        }
        rec->shared.buffer = grown;
        rec->shared.buffer_size = len;
    }
    unsigned char *now = rec->shared.buffer;
    if (task_read_mem(task, r->start, now, len) == (ssize_t)len)
        return now;
    for (size_t at = 0; at < len; at += PAGE)
        if (task_read_mem(task, r->start + at, now + at, PAGE) != PAGE)
            memcpy(now + at, r->shadow + at, PAGE);
    return now;
}

int shared_memory_after_user_code(struct recorder *rec, struct rec_task *t)
{
    struct shared_process *proc = find_process(&rec->shared, t->pid);
    if (!proc && !(proc = add_process(&rec->shared, t->pid)))
        return -1;
    proc->settled = true;
    return 0;
}

/* A live task of process `pid`, to read its memory through, or NULL. */
static struct rec_task *task_of(struct recorder *rec, int32_t pid)
{
    for (int i = 0; i < rec->task_count; i++)
        if (rec->tasks[i]->pid == pid && rec->tasks[i]->life != TASK_DEAD)
            return rec->tasks[i];
    return NULL;
}

/* Something from outside may change the settled process's memory next:
 * its shadow takes what replay has (the memory as it is). */
static int settle(struct recorder *rec, struct shared_process *proc)
{
    struct rec_task *reader = task_of(rec, proc->pid);
    if (!reader) {
        proc->settled = false;
        free_regions(proc); /* nobody left to replay it for */
        return 0;
    }
    /* (A rescan while settled takes every region as it is.) */
    if (proc->stale && rescan(rec, proc, &reader->task) < 0)
        return -1;
    for (int i = 0; i < proc->count; i++) {
        struct shared_region *r = &proc->regions[i];
        if (r->alias)
            continue;
        const unsigned char *now = read_region(rec, &reader->task, r);
        if (!now)
            return -1;
        memcpy(r->shadow, now, r->end - r->start);
    }
    proc->settled = false;
    return 0;
}

/* Settle every settled process but `except_pid` (-1: every one). */
static int settle_all(struct recorder *rec, int32_t except_pid)
{
    for (int i = 0; i < rec->shared.count; i++) {
        struct shared_process *proc = &rec->shared.procs[i];
        if (proc->settled && proc->pid != except_pid && proc->count + proc->stale > 0 && settle(rec, proc) < 0)
            return -1;
    }
    return 0;
}

bool shared_memory_changed_by(const struct syscall_desc *desc)
{
    if (!desc)
        return false; /* not run: the recorder answers ENOSYS */
    const struct syscall_effects *e = &desc->effects;
    return e->changes_shared || e->sends_arg != SYSCALL_NO_ARG || e->passes_to_arg != SYSCALL_NO_ARG ||
           e->moves_to_arg != SYSCALL_NO_ARG || e->signal_target_arg != SYSCALL_NO_ARG;
}

int shared_memory_inherit(struct recorder *rec, int32_t parent_pid, int32_t child_pid)
{
    struct shared_process *reused = find_process(&rec->shared, child_pid);
    if (reused)
        shared_memory_forget(rec, child_pid, true, true); /* a pid used again */
    struct shared_process *parent = find_process(&rec->shared, parent_pid);
    if (parent && parent->settled && settle(rec, parent) < 0)
        return -1;
    parent = find_process(&rec->shared, parent_pid);
    if (!parent || parent->count == 0)
        return 0; /* the child's list is read when it first runs */
    int count = parent->count;
    struct shared_region *copy = calloc((size_t)count, sizeof *copy);
    for (int i = 0; copy && i < count; i++) {
        copy[i] = parent->regions[i];
        copy[i].shadow = malloc(copy[i].end - copy[i].start);
        if (!copy[i].shadow) {
            while (i-- > 0)
                free(copy[i].shadow);
            free(copy);
            copy = NULL;
            break;
        }
        memcpy(copy[i].shadow, parent->regions[i].shadow, copy[i].end - copy[i].start);
    }
    struct shared_process *child = reused ? reused : copy ? add_process(&rec->shared, child_pid) : NULL;
    if (!child) {
        error_set("out of memory copying the shared memory of process %d", parent_pid);
        return -1;
    }
    child->regions = copy;
    child->count = count;
    child->stale = true;
    return 0;
}

/* Record the runs of bytes where `now` differs from the shadow (runs closer
 * than a few bytes are joined), and take them into the shadow. */
static int record_changes(struct recorder *rec, struct shared_region *r, const unsigned char *now,
                          int64_t *seq, struct rec_task *t)
{
    enum { JOIN_GAP = 32, BLOCK = 64 };
    size_t len = r->end - r->start;
    for (size_t at = 0; at < len;) {
        if (at % BLOCK == 0 && len - at >= BLOCK && memcmp(now + at, r->shadow + at, BLOCK) == 0) {
            at += BLOCK; /* the common case: nothing changed */
            continue;
        }
        if (now[at] == r->shadow[at]) {
            at++;
            continue;
        }
        size_t end = at + 1, same = 0;
        while (end < len && same < JOIN_GAP) {
            same = now[end] == r->shadow[end] ? same + 1 : 0;
            end++;
        }
        end -= same;
        if (*seq < 0) {
            struct trace_event event = {.seq = rec->next_seq++, .tid = t->task.tid, .kind = EVENT_SHARED_MEMORY};
            if (event_log_append(rec->store, &event) < 0)
                return -1;
            *seq = event.seq;
        }
        if (event_log_add_mem_write(rec->store, *seq, r->start + at, now + at, end - at) < 0)
            return -1;
        memcpy(r->shadow + at, now + at, end - at);
        at = end;
    }
    return 0;
}

int shared_memory_before_resume(struct recorder *rec, struct rec_task *t)
{
    if (t->in_syscall) /* into the kernel */
        return t->syscall_changes_shared ? settle_all(rec, -1) : 0;
    if (settle_all(rec, t->pid) < 0) /* t may store into memory they share */
        return -1;
    struct shared_process *proc = current_process(rec, t);
    if (!proc)
        return -1;
    int64_t seq = -1;
    for (int i = 0; i < proc->count; i++) {
        struct shared_region *r = &proc->regions[i];
        if (proc->settled && !r->alias)
            continue; /* nothing from outside came near it */
        const unsigned char *now = read_region(rec, &t->task, r);
        if (!now || record_changes(rec, r, now, &seq, t) < 0)
            return -1;
    }
    if (seq >= 0)
        DEBUG_LOG(LOG_RECORD, "task %d: shared memory changed from outside: event %lld", t->task.tid, (long long)seq);
    return 0;
}

/* A SysV shared memory segment attached at the result: its extent and
 * protection as /proc/PID/maps shows them, its contents as they are now. */
int shared_memory_record_attach(struct recorder *rec, struct rec_task *t, const struct trace_event *event)
{
    struct trace_mapping *maps = NULL;
    int count = proc_maps_read(t->task.tid, &maps);
    if (count < 0)
        return -1;
    int rc = 0;
    for (int i = 0; i < count; i++) {
        struct trace_mapping *m = &maps[i];
        if (m->start != (uint64_t)event->result)
            continue;
        const unsigned char *contents = recorder_copy_memory(rec, &t->task, m->start, m->end - m->start);
        m->flags = MAP_SHARED | MAP_ANONYMOUS;
        m->offset = 0;
        rc = contents ? event_log_add_mapping(rec->store, event->seq, m, contents) : -1;
        break;
    }
    free(maps);
    return rc;
}

void shared_memory_free(struct shared_memory *shared)
{
    for (int i = 0; i < shared->count; i++)
        free_regions(&shared->procs[i]);
    free(shared->procs);
    free(shared->buffer);
    *shared = (struct shared_memory){0};
}
