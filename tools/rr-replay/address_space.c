/*
 * address_space.c — rebuilding a recorded address space in the replay task:
 * every mapping the process had after an exec is unmapped, the recorded ones
 * are mapped anonymously at their recorded addresses and filled with their
 * recorded contents, then the post-exec registers and extended state are
 * loaded. Nothing is read from the live file system, so a replay works after
 * the program's files changed or were deleted.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "blob_store.h"
#include "error.h"
#include "exec_state.h"
#include "proc_maps.h"
#include "proc_status.h"
#include "replayer.h"
#include "trace_store.h"

static int inject_checked(struct task *task, long nr, const uint64_t args[6], const char *what)
{
    int64_t result;
    if (task_inject_syscall(task, nr, args, &result) < 0)
        return -1;
    if (result < 0) {
        error_set("replay: %s failed: %s", what, strerror((int)-result));
        return -1;
    }
    return 0;
}

static int unmap_everything(struct task *task)
{
    struct trace_mapping *current = NULL;
    int count = proc_maps_read(task->tid, &current);
    if (count < 0)
        return -1;
    for (int i = 0; i < count; i++) {
        const struct trace_mapping *m = &current[i];
        if (m->start == TRAMPOLINE_ADDR || strcmp(m->path, "[vsyscall]") == 0)
            continue;
        const uint64_t args[6] = {m->start, m->end - m->start, 0, 0, 0, 0};
        int64_t result;
        /* [vvar] may refuse; it is left where it is unless it is in the way. */
        if (task_inject_syscall(task, SYS_munmap, args, &result) < 0) {
            free(current);
            return -1;
        }
    }
    free(current);
    return 0;
}

static int map_recorded(struct replayer *rep, const struct trace_mapping *m)
{
    bool shared = (m->flags & MAP_SHARED) && (m->prot & PROT_WRITE); /* see replay_mmap */
    int flags = (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS | MAP_FIXED;
    if (strcmp(m->path, "[stack]") == 0)
        flags |= MAP_GROWSDOWN;
    const uint64_t args[6] = {m->start, m->end - m->start, (uint64_t)m->prot, (uint64_t)flags,
                              (uint64_t)-1, 0};
    if (inject_checked(&rep->cur->task, SYS_mmap, args, "mapping recorded memory") < 0)
        return -1;
    if (!m->blob)
        return 0;
    void *contents;
    size_t len;
    if (blob_store_get(rep->store, m->blob, &contents, &len) < 0)
        return -1;
    int rc = task_write_mem(&rep->cur->task, m->start, contents, len);
    free(contents);
    return rc;
}

/* What execve resets: caught signals back to their default action, no
 * alternate signal stack, no clear-child-tid address or robust list. The
 * structures the syscalls read are put in the trampoline page, past its code. */
static int reset_exec_state(struct task *task)
{
    const uint64_t default_action[4] = {0}; /* SIG_DFL, no flags, no restorer, empty mask */
    const stack_t no_altstack = {.ss_flags = SS_DISABLE};
    _Static_assert(sizeof default_action <= TRAMPOLINE_DEFAULT_ACTION_SIZE &&
                       sizeof no_altstack <= TRAMPOLINE_NO_ALTSTACK_SIZE,
                   "exec's reset structures fit their trampoline areas");
    struct signal_masks masks;
    if (proc_status_signal_masks(task->tid, &masks) < 0 ||
        task_write_mem(task, TRAMPOLINE_ADDR + TRAMPOLINE_DEFAULT_ACTION_AT, default_action,
                       sizeof default_action) < 0 ||
        task_write_mem(task, TRAMPOLINE_ADDR + TRAMPOLINE_NO_ALTSTACK_AT, &no_altstack, sizeof no_altstack) < 0)
        return -1;
    for (int signo = 1; signo <= 64; signo++) {
        if (!(masks.caught & (1ull << (signo - 1))))
            continue;
        const uint64_t args[6] = {(uint64_t)signo, TRAMPOLINE_ADDR + TRAMPOLINE_DEFAULT_ACTION_AT, 0, 8, 0, 0};
        if (inject_checked(task, SYS_rt_sigaction, args, "resetting a signal action") < 0)
            return -1;
    }
    const uint64_t altstack_args[6] = {TRAMPOLINE_ADDR + TRAMPOLINE_NO_ALTSTACK_AT, 0, 0, 0, 0, 0};
    const uint64_t tid_address_args[6] = {0};
    const uint64_t robust_list_args[6] = {0, 24, 0, 0, 0, 0};
    return inject_checked(task, SYS_sigaltstack, altstack_args, "disabling the signal stack") < 0 ||
                   inject_checked(task, SYS_set_tid_address, tid_address_args, "set_tid_address") < 0 ||
                   inject_checked(task, SYS_set_robust_list, robust_list_args, "set_robust_list") < 0
               ? -1
               : 0;
}

int address_space_restore(struct replayer *rep, const struct trace_event *exec_event)
{
    struct exec_state *state = NULL;
    size_t state_size = 0;
    struct trace_mapping *recorded = NULL;
    int count = -1, rc = -1;
    if (blob_store_get(rep->store, exec_event->extra_blob, (void **)&state, &state_size) < 0)
        return -1;
    if (state_size < sizeof *state) {
        error_set("trace %s: exec event %lld has a malformed register state",
                  trace_store_path(rep->store), (long long)exec_event->seq);
        goto out;
    }
    if (reset_exec_state(&rep->cur->task) < 0 || unmap_everything(&rep->cur->task) < 0)
        goto out;
    count = event_log_mappings(rep->store, exec_event->seq, &recorded);
    if (count < 0)
        goto out;
    for (int i = 0; i < count; i++)
        if (recorded[i].start != TRAMPOLINE_ADDR && map_recorded(rep, &recorded[i]) < 0)
            goto out;
    if (task_set_xstate(&rep->cur->task, state->xstate, state_size - sizeof *state) < 0 ||
        task_set_regs(&rep->cur->task, &state->regs) < 0)
        goto out;
    rep->cur->process->current_brk = 0;
    rc = 0;
out:
    free(recorded);
    free(state);
    return rc;
}
