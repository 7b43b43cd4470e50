/*
 * gdb_breakpoints.c — gdb's software breakpoints (Z0/z0) in a replay. The
 * table holds addresses; the int3 bytes are in the program's memory only
 * while one of its tasks runs under gdb_target_run_to_stop, which inserts
 * them before the resume and takes them out at the stop. So whatever the
 * replayer reads or writes between runs (code for a landmark stub, bytes it
 * hashes, a syscall instruction it injects) is the program's own, and a
 * breakpoint never changes what the replay verifies. An address that is not
 * mapped when the task runs is skipped for that run.
 */
#include "gdb_target.h"

#include <stdlib.h>

#include "array_grow.h"
#include "error.h"

enum { INT3 = 0xcc };

const struct gdb_breakpoint *gdb_breakpoints_find(const struct gdb_target *target, uint64_t addr)
{
    for (int i = 0; i < target->breakpoint_count; i++)
        if (target->breakpoints[i].addr == addr)
            return &target->breakpoints[i];
    return NULL;
}

int gdb_breakpoints_add(struct gdb_target *target, uint64_t addr)
{
    if (gdb_breakpoints_find(target, addr))
        return 0;
    struct gdb_breakpoint *grown = array_grow(target->breakpoints, &target->breakpoint_capacity,
                                              target->breakpoint_count + 1, sizeof *grown, 8);
    if (!grown)
        return -1;
    target->breakpoints = grown;
    target->breakpoints[target->breakpoint_count++] = (struct gdb_breakpoint){.addr = addr};
    return 0;
}

void gdb_breakpoints_remove(struct gdb_target *target, uint64_t addr)
{
    for (int i = 0; i < target->breakpoint_count; i++) {
        if (target->breakpoints[i].addr == addr) {
            /* Only between runs: the int3 is out of the program now. */
            target->breakpoints[i] = target->breakpoints[--target->breakpoint_count];
            return;
        }
    }
}

int gdb_breakpoints_insert(struct gdb_target *target, struct task *task)
{
    static const unsigned char int3 = INT3;
    for (int i = 0; i < target->breakpoint_count; i++) {
        struct gdb_breakpoint *bp = &target->breakpoints[i];
        if (task_read_mem(task, bp->addr, &bp->saved, 1) != 1)
            continue; /* not mapped now */
        if (task_write_mem(task, bp->addr, &int3, 1) < 0)
            return -1;
        bp->inserted = true;
    }
    return 0;
}

/* task NULL: the address space is gone, nothing to put back. */
int gdb_breakpoints_take_out(struct gdb_target *target, struct task *task)
{
    int rc = 0;
    for (int i = 0; i < target->breakpoint_count; i++) {
        struct gdb_breakpoint *bp = &target->breakpoints[i];
        if (!bp->inserted)
            continue;
        bp->inserted = false;
        if (task && task_write_mem(task, bp->addr, &bp->saved, 1) < 0)
            rc = -1;
    }
    return rc;
}
