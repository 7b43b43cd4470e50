/*
 * gdb_watchpoints.c — gdb's write and access watchpoints (Z2, Z4) in a
 * replay. A watched range is cut into aligned pieces of 1, 2, 4 or 8 bytes,
 * each kept among gdb's breakpoints as a key (gdb_watch_key: the address
 * with its length and kind above any user address), so that the history of
 * resumes (gdb_history.c) keeps, arms and counts them as it does
 * breakpoints: a hit is a hit, going back finds the last one.
 *
 * Two ways a watched piece changes in a replay:
 *   - the program writes it (or, for an access watchpoint, reads it): the
 *     pieces armed for a run are in the task's debug registers 1 to 3 (0 is
 *     the landmark search's) only while it runs under gdb_run.c, and the
 *     trap after the instruction says which (DR6);
 *   - the kernel wrote it (a read() into a watched buffer: the replay writes
 *     the recorded bytes with /proc/PID/mem, which no debug register sees),
 *     or another process did in shared memory: after each event the armed
 *     pieces' bytes are compared with what they held before, and a change
 *     is a hit at that event. An access watchpoint sees the kernel's writes
 *     this way, not its reads.
 */
#include "gdb_target.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "error.h"

enum {
    WATCH_SLOTS = 3,            /* debug registers 1 to 3 */
    DR_STATUS = 6,
    DR_CONTROL = 7,
};
#define DR_STATUS_CLEAR 0xffff0ff0ull /* DR6 with no trap bit (its reserved bits set) */

static long debugreg_offset(int n)
{
    return (long)offsetof(struct user, u_debugreg[n]);
}

static int poke_debugreg(struct task *task, int n, uint64_t value)
{
    if (ptrace(PTRACE_POKEUSER, task->tid, (void *)debugreg_offset(n), (void *)value) < 0) {
        error_set_errno("cannot set debug register %d of task %d", n, task->tid);
        return -1;
    }
    return 0;
}

/* DR7's length field for a piece of `len` bytes. */
static uint64_t length_bits(unsigned len)
{
    return len == 1 ? 0 : len == 2 ? 1 : len == 8 ? 2 : 3;
}

static int set_or_count(struct gdb_target *target, uint64_t addr, uint64_t len, unsigned kind, bool insert)
{
    int pieces = 0;
    while (len > 0) {
        unsigned piece = 8;
        while (addr % piece || piece > len)
            piece /= 2;
        uint64_t key = gdb_watch_key(addr, piece, kind);
        if (insert) {
            if (gdb_breakpoints_add(target, key) < 0)
                return -1;
        } else if (target) {
            gdb_breakpoints_remove(target, key);
        }
        addr += piece;
        len -= piece;
        pieces++;
    }
    return pieces;
}

int gdb_watchpoints_command(struct gdb_target *target, bool insert, unsigned kind, uint64_t addr, uint64_t len)
{
    if (len == 0 || addr >= GDB_WATCH_ADDR_LIMIT || len > GDB_WATCH_ADDR_LIMIT - addr)
        return -1;
    if (insert && target->debug_registers == 0) {
        target->debug_registers = task_hardware_breakpoints_work() ? 1 : -1;
        if (target->debug_registers < 0)
            error_note("this machine's debug registers do not trap (under some hypervisors):"
                       " gdb's hardware watchpoints are refused");
    }
    if (insert && target->debug_registers < 0)
        return -1;
    if (!insert)
        return set_or_count(target, addr, len, kind, false) < 0 ? -1 : 0;
    int in_use = 0;
    for (int i = 0; i < target->set_count; i++)
        in_use += gdb_watch_is(target->set[i]);
    int needed = set_or_count(NULL, addr, len, kind, false);
    if (in_use + needed > WATCH_SLOTS)
        return -1; /* gdb says it cannot insert it */
    return set_or_count(target, addr, len, kind, true) < 0 ? -1 : 0;
}

/* Keep the piece's bytes as they are in `task` now: true when they
 * changed since they were last kept. */
static bool keep_value(struct gdb_breakpoint *bp, struct task *task)
{
    unsigned char now[8];
    unsigned len = gdb_watch_len(bp->addr);
    if (!task || task_read_mem(task, gdb_watch_addr(bp->addr), now, len) != (ssize_t)len) {
        bp->value_known = false; /* not mapped: no value to compare */
        return false;
    }
    bool changed = bp->value_known && memcmp(now, bp->value, len) != 0;
    memcpy(bp->value, now, len);
    bp->value_known = true;
    return changed;
}

int gdb_watchpoints_insert(struct gdb_target *target, struct task *task)
{
    target->watch_control_saved = false;
    uint64_t control = 0;
    bool have_control = false;
    int slot = 0;
    for (int i = 0; i < target->armed_count; i++) {
        struct gdb_breakpoint *bp = &target->armed[i];
        bp->slot = 0;
        if (!gdb_watch_is(bp->addr))
            continue;
        if (++slot > WATCH_SLOTS) {
            error_set("more than %d watched pieces armed: gdb's watchpoints changed while going back", WATCH_SLOTS);
            return -1;
        }
        if (!have_control) {
            errno = 0;
            long now = ptrace(PTRACE_PEEKUSER, task->tid, (void *)debugreg_offset(DR_CONTROL), 0);
            if (errno) {
                error_set_errno("cannot read debug register 7 of task %d", task->tid);
                return -1;
            }
            target->watch_control = (uint64_t)now;
            control = (uint64_t)now;
            have_control = true;
        }
        if (poke_debugreg(task, slot, gdb_watch_addr(bp->addr)) < 0)
            return -1;
        bp->slot = slot;
        if (!bp->value_known)
            keep_value(bp, task); /* armed since the last event: what a change is compared with */
        control |= 1ull << (2 * slot);
        control |= (uint64_t)gdb_watch_kind(bp->addr) << (16 + 4 * slot);
        control |= length_bits(gdb_watch_len(bp->addr)) << (18 + 4 * slot);
    }
    if (!have_control)
        return 0;
    if (poke_debugreg(task, DR_CONTROL, control) < 0)
        return -1;
    target->watch_control_saved = true;
    return 0;
}

int gdb_watchpoints_take_out(struct gdb_target *target, struct task *task)
{
    if (!target->watch_control_saved)
        return 0;
    target->watch_control_saved = false;
    return task ? poke_debugreg(task, DR_CONTROL, target->watch_control) : 0;
}

struct gdb_breakpoint *gdb_watchpoints_trapped(struct gdb_target *target, struct task *task)
{
    errno = 0;
    long status = ptrace(PTRACE_PEEKUSER, task->tid, (void *)debugreg_offset(DR_STATUS), 0);
    if (errno)
        return NULL;
    struct gdb_breakpoint *hit = NULL;
    for (int i = 0; i < target->armed_count && !hit; i++)
        if (target->armed[i].slot && (status & (1l << target->armed[i].slot)))
            hit = &target->armed[i];
    if (hit)
        poke_debugreg(task, DR_STATUS, DR_STATUS_CLEAR); /* the bits stay until cleared */
    return hit;
}

bool gdb_watchpoints_armed(const struct gdb_target *target)
{
    for (int i = 0; i < target->armed_count; i++)
        if (gdb_watch_is(target->armed[i].addr))
            return true;
    return false;
}

struct gdb_breakpoint *gdb_watchpoints_changed(struct gdb_target *target, struct task *task)
{
    struct gdb_breakpoint *changed = NULL;
    for (int i = 0; i < target->armed_count; i++) {
        struct gdb_breakpoint *bp = &target->armed[i];
        if (gdb_watch_is(bp->addr) && keep_value(bp, task) && !changed)
            changed = bp;
    }
    return changed;
}
