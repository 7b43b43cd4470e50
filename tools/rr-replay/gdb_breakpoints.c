/*
 * gdb_breakpoints.c — gdb's breakpoints (Z0/z0, and Z1 served the same way:
 * an int3 the replay never sees is as good as a debug register) and its
 * watched pieces (gdb_watchpoints.c) in a replay. Two
 * sets: the addresses gdb has set now, and the breakpoints armed for the
 * run in progress (gdb_history.c arms them at each resume: those gdb had
 * set then, plus, while going back, the ones whose hits are collected).
 * The int3 bytes are in the program's memory only while one of its tasks
 * runs under gdb_target_run_to_stop, which inserts the armed ones before
 * the resume and takes them out at the stop. So whatever the replayer reads
 * or writes between runs (code for a landmark stub, bytes it hashes, a
 * syscall instruction it injects) is the program's own, and a breakpoint
 * never changes what the replay verifies. An address that is not mapped
 * when the task runs is skipped for that run.
 */
#include "gdb_target.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "array_grow.h"
#include "error.h"

enum { INT3 = 0xcc };

bool gdb_breakpoints_is_set(const struct gdb_target *target, uint64_t addr)
{
    for (int i = 0; i < target->set_count; i++)
        if (target->set[i] == addr)
            return true;
    return false;
}

int gdb_breakpoints_add(struct gdb_target *target, uint64_t addr)
{
    if (gdb_breakpoints_is_set(target, addr))
        return 0;
    uint64_t *grown = array_grow(target->set, &target->set_capacity, target->set_count + 1, sizeof *grown, 8);
    if (!grown)
        return -1;
    target->set = grown;
    target->set[target->set_count++] = addr;
    return 0;
}

void gdb_breakpoints_remove(struct gdb_target *target, uint64_t addr)
{
    for (int i = 0; i < target->set_count; i++)
        if (target->set[i] == addr)
            target->set[i] = target->set[--target->set_count];
}

const struct gdb_breakpoint *gdb_breakpoints_armed_at(const struct gdb_target *target, uint64_t addr)
{
    for (int i = 0; i < target->armed_count; i++)
        if (target->armed[i].addr == addr)
            return &target->armed[i];
    return NULL;
}

/* Arm `addr` for the next runs, as one of the run's own (`own`) or as one
 * whose hits are collected. */
static int arm(struct gdb_target *target, uint64_t addr, bool own)
{
    for (int i = 0; i < target->armed_count; i++) {
        if (target->armed[i].addr == addr) {
            target->armed[i].own |= own;
            target->armed[i].collect |= !own;
            return 0;
        }
    }
    struct gdb_breakpoint *grown = array_grow(target->armed, &target->armed_capacity, target->armed_count + 1,
                                              sizeof *grown, 8);
    if (!grown)
        return -1;
    target->armed = grown;
    target->armed[target->armed_count++] = (struct gdb_breakpoint){.addr = addr, .own = own, .collect = !own};
    return 0;
}

int gdb_breakpoints_arm(struct gdb_target *target, const uint64_t *own, int own_count, const uint64_t *collect,
                        int collect_count)
{
    for (int i = 0; i < target->armed_count; i++)
        assert(!target->armed[i].inserted); /* only between runs */
    target->armed_count = 0;
    for (int i = 0; i < own_count; i++)
        if (arm(target, own[i], true) < 0)
            return -1;
    for (int i = 0; i < collect_count; i++)
        if (arm(target, collect[i], false) < 0)
            return -1;
    return 0;
}

int gdb_breakpoints_insert(struct gdb_target *target, struct task *task)
{
    static const unsigned char int3 = INT3;
    for (int i = 0; i < target->armed_count; i++) {
        struct gdb_breakpoint *bp = &target->armed[i];
        bp->was_inserted = false;
        if (gdb_watch_is(bp->addr))
            continue; /* in the debug registers (gdb_watchpoints.c) */
        if (task_read_mem(task, bp->addr, &bp->saved, 1) != 1)
            continue; /* not mapped now */
        if (task_write_mem(task, bp->addr, &int3, 1) < 0)
            return -1;
        bp->inserted = bp->was_inserted = true;
    }
    return 0;
}

/* task NULL: the address space is gone, nothing to put back. */
int gdb_breakpoints_take_out(struct gdb_target *target, struct task *task)
{
    int rc = 0;
    for (int i = 0; i < target->armed_count; i++) {
        struct gdb_breakpoint *bp = &target->armed[i];
        if (!bp->inserted)
            continue;
        bp->inserted = false;
        if (task && task_write_mem(task, bp->addr, &bp->saved, 1) < 0)
            rc = -1;
    }
    return rc;
}
