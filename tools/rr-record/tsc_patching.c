/*
 * tsc_patching.c — making every rdtsc and rdtscp in a program's code trap
 * on a machine where PR_SET_TSC has no effect (a PVM hypervisor's guest;
 * see libtrace/tsc_sites.h). There, when code is mapped — at an exec, for
 * each executable private file mapping; at an mmap with PROT_EXEC of a file
 * — the first byte of each such instruction becomes hlt, which faults as a
 * trapped rdtsc does, and record_signal.c records its value as for any
 * trapped rdtsc. Each byte written is stored as a memory write of the event
 * that mapped the code: replay writes the same bytes at the same event,
 * without searching itself, and the trace shows what the recorder changed.
 * The trace's meta says rdtsc = patched (or trapped, where PR_SET_TSC works
 * and nothing is patched; RRDB_PATCH_RDTSC=1 patches there too, for tests).
 *
 * The recorder keeps the addresses it patched, per process, so that a hlt
 * the program put there itself (a replayer recorded while it replays, whose
 * tracee's code holds such bytes) faults as the kernel makes it fault,
 * rather than being taken for the recorder's.
 *
 * Not patched: code a program writes itself (a JIT's), code mapped
 * executable later by mprotect, and shared file mappings (a write there
 * would reach the file). An rdtsc there goes unrecorded on such a machine,
 * and replay stops at the first register that differs.
 */
#include "recorder.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "array_grow.h"
#include "cpu_traps.h"
#include "error.h"
#include "event_log.h"
#include "proc_maps.h"
#include "tsc_sites.h"

static int remember(struct tsc_patches *patches, pid_t pid, uint64_t addr)
{
    struct tsc_patch *grown = array_grow(patches->items, &patches->capacity, patches->count + 1, sizeof *grown, 64);
    if (!grown) {
        error_set("out of memory");
        return -1;
    }
    patches->items = grown;
    grown[patches->count++] = (struct tsc_patch){pid, addr};
    return 0;
}

/* Forget the sites of process pid in [start, end) (all: end 0). */
static void forget(struct tsc_patches *patches, pid_t pid, uint64_t start, uint64_t end)
{
    int kept = 0;
    for (int i = 0; i < patches->count; i++) {
        const struct tsc_patch *p = &patches->items[i];
        if (p->pid != pid || p->addr < start || (end && p->addr >= end))
            patches->items[kept++] = *p;
    }
    patches->count = kept;
}

bool tsc_patching_is_site(const struct recorder *rec, pid_t pid, uint64_t addr)
{
    for (int i = 0; i < rec->tsc_patches.count; i++)
        if (rec->tsc_patches.items[i].pid == pid && rec->tsc_patches.items[i].addr == addr)
            return true;
    return false;
}

bool tsc_patching_wanted(void)
{
    const char *forced = getenv("RRDB_PATCH_RDTSC");
    return (forced && strcmp(forced, "1") == 0) || !cpu_traps_rdtsc_traps();
}

int tsc_patching_inherit(struct recorder *rec, pid_t parent, pid_t child)
{
    int count = rec->tsc_patches.count;
    for (int i = 0; i < count; i++)
        if (rec->tsc_patches.items[i].pid == parent &&
            remember(&rec->tsc_patches, child, rec->tsc_patches.items[i].addr) < 0)
            return -1;
    return 0;
}

void tsc_patching_forget(struct recorder *rec, pid_t pid, uint64_t start, uint64_t length)
{
    if (length)
        forget(&rec->tsc_patches, pid, start, start + length);
}

void tsc_patching_free(struct recorder *rec)
{
    free(rec->tsc_patches.items);
    rec->tsc_patches = (struct tsc_patches){0};
}

/* Patch the sites in [start, end) of task's memory; writes logged under seq. */
static int patch_range(struct recorder *rec, struct task *task, pid_t pid, int64_t seq, uint64_t start,
                       uint64_t end)
{
    size_t len = end - start;
    unsigned char *code = malloc(len);
    if (!code) {
        error_set("out of memory reading %zu bytes of code", len);
        return -1;
    }
    ssize_t got = task_read_mem(task, start, code, len);
    size_t *sites = NULL;
    int count = got > 0 ? tsc_sites_find(code, (size_t)got, &sites) : 0;
    free(code);
    if (count < 0)
        return -1;
    static const unsigned char mark = TSC_SITE_MARK;
    int rc = 0;
    for (int i = 0; i < count && rc == 0; i++) {
        uint64_t at = start + sites[i];
        if (task_write_mem(task, at, &mark, 1) < 0 || event_log_add_mem_write(rec->store, seq, at, &mark, 1) < 0 ||
            remember(&rec->tsc_patches, pid, at) < 0)
            rc = -1;
    }
    free(sites);
    return rc;
}

int tsc_patching_mapping(struct recorder *rec, struct task *task, pid_t pid, int64_t seq,
                         const struct trace_mapping *m)
{
    forget(&rec->tsc_patches, pid, m->start, m->end); /* what was there before */
    if (!rec->tsc_patches.on || !(m->prot & PROT_EXEC) || (m->flags & MAP_SHARED) || m->path[0] != '/' || m->end <= m->start)
        return 0;
    struct code_range *ranges = NULL;
    int count = tsc_sites_code_ranges(m->path, m->offset, m->end - m->start, &ranges);
    if (count < 0) /* no section headers to go by: the whole mapping */
        return patch_range(rec, task, pid, seq, m->start, m->end);
    int rc = 0;
    for (int i = 0; i < count && rc == 0; i++)
        rc = patch_range(rec, task, pid, seq, m->start + ranges[i].start, m->start + ranges[i].end);
    free(ranges);
    return rc;
}

int tsc_patching_after_exec(struct recorder *rec, struct rec_task *t, int64_t seq)
{
    struct trace_mapping *mappings = NULL;
    forget(&rec->tsc_patches, t->pid, 0, 0); /* a new address space */
    if (!rec->tsc_patches.on)
        return 0;
    int count = proc_maps_read(t->task.tid, &mappings);
    if (count < 0)
        return -1;
    int rc = 0;
    for (int i = 0; i < count && rc == 0; i++)
        if (!proc_maps_is_special(&mappings[i]))
            rc = tsc_patching_mapping(rec, &t->task, t->pid, seq, &mappings[i]);
    free(mappings);
    return rc;
}
