/*
 * exec_capture.c — what the recorder does when a program execs: move it to
 * the syscall-exit stop of execve, map the trampoline page, arm CPUID
 * faulting (execve resets it), hide the vDSO, then store every mapping with
 * its contents and the registers, so replay rebuilds the process without the
 * files it was made from.
 */
#include <asm/prctl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "blob_store.h"
#include "debug_log.h"
#include "error.h"
#include "event_log.h"
#include "exec_state.h"
#include "initial_stack.h"
#include "mapping_cache.h"
#include "proc_maps.h"
#include "proc_status.h"
#include "recorder.h"
#include "tool_traps.h"
#include "trace_store.h"

static int store_mappings(struct recorder *rec, struct rec_task *t, int64_t seq)
{
    struct trace_mapping *mappings = NULL;
    int count = proc_maps_read(t->task.tid, &mappings);
    if (count < 0)
        return -1;
    for (int i = 0; i < count; i++) {
        struct trace_mapping *m = &mappings[i];
        if (proc_maps_is_special(m))
            continue;
        int rc = m->prot == PROT_NONE ? event_log_add_mapping(rec->store, seq, m, NULL)
                                      : mapping_cache_store(rec, &t->task, seq, m, -1, MAPPING_AT_EXEC);
        if (rc < 0) {
            free(mappings);
            return -1;
        }
    }
    free(mappings);
    return 0;
}

/* One XSAVE state, written two ways: a component in its initial state may
 * have its XSTATE_BV bit clear (its bytes then mean nothing and hold stale
 * data) or set with the initial values; which one the kernel hands out varies
 * from run to run. The stored form is canonical: a component's bit is set
 * exactly when it differs from its initial state, and a clear bit's bytes
 * hold the initial state. (x87's initial state has FCW = 0x37f; the others'
 * are zeros. Components 2 and up are placed where CPUID leaf 0xD says.) */
static void canonical_component(unsigned char *bytes, const unsigned char *initial, size_t len,
                                uint64_t bit, uint64_t *present)
{
    if (*present & bit && memcmp(bytes, initial, len) == 0)
        *present &= ~bit;
    if (!(*present & bit))
        memcpy(bytes, initial, len);
}

static void normalize_xstate(unsigned char *xstate, size_t size)
{
    enum {
        XSAVE_HEADER = 512, X87_END = 24, MXCSR_END = 32, X87_REGS_END = 160,
        XMM_END = 416, FIRST_EXTENDED = 2, LAST_COMPONENT = 62,
    };
    static const unsigned char zeros[4096];
    uint64_t present;
    if (size < XSAVE_HEADER + sizeof present)
        return;
    memcpy(&present, xstate + XSAVE_HEADER, sizeof present);
    /* x87: control/status words (MXCSR in bytes 24..31 is not part of it)
     * and the eight registers. */
    unsigned char x87_initial[X87_REGS_END] = {0x7f, 0x03};
    unsigned char x87[X87_REGS_END - (MXCSR_END - X87_END)];
    memcpy(x87, xstate, X87_END);
    memcpy(x87 + X87_END, xstate + MXCSR_END, X87_REGS_END - MXCSR_END);
    canonical_component(x87, x87_initial, sizeof x87, 1, &present);
    memcpy(xstate, x87, X87_END);
    memcpy(xstate + MXCSR_END, x87 + X87_END, X87_REGS_END - MXCSR_END);
    canonical_component(xstate + X87_REGS_END, zeros, XMM_END - X87_REGS_END, 2, &present);
    for (unsigned component = FIRST_EXTENDED; component <= LAST_COMPONENT; component++) {
        uint32_t layout[4]; /* eax: the component's size, ebx: its offset */
        tool_traps_cpuid(0xd, component, layout);
        uint32_t bytes = layout[0], offset = layout[1];
        if (bytes && offset && bytes <= sizeof zeros && (size_t)offset + bytes <= size)
            canonical_component(xstate + offset, zeros, bytes, 1ull << component, &present);
    }
    memcpy(xstate + XSAVE_HEADER, &present, sizeof present);
}

static int store_exec_state(struct recorder *rec, struct rec_task *t, int64_t *blob)
{
    struct exec_state *state = malloc(sizeof *state + EXEC_STATE_XSTATE_MAX);
    if (!state) {
        error_set("out of memory");
        return -1;
    }
    ssize_t xstate_size;
    struct signal_masks masks;
    if (proc_status_signal_masks(t->task.tid, &masks) < 0) {
        free(state);
        return -1;
    }
    state->signals_blocked = masks.blocked;
    state->signals_ignored = masks.ignored;
    if (task_get_regs(&t->task, &state->regs) < 0 ||
        (xstate_size = task_get_xstate(&t->task, state->xstate, EXEC_STATE_XSTATE_MAX)) < 0) {
        free(state);
        return -1;
    }
    normalize_xstate(state->xstate, (size_t)xstate_size);
    *blob = blob_store_put(rec->store, state, sizeof *state + (size_t)xstate_size);
    free(state);
    return *blob < 0 ? -1 : 0;
}

int exec_capture(struct recorder *rec, struct rec_task *t, const struct user_regs_struct *entry_regs,
                 bool has_entry_regs, pid_t event_tid)
{
    struct task_stop stop;
    /* The exec event stop comes before execve's own syscall-exit stop. */
    if (task_step(&t->task, RESUME_SYSCALL, 0, &stop) < 0)
        return -1;
    if (stop.kind != STOP_SYSCALL) {
        error_set("task %d: expected the end of execve after the exec event", t->task.tid);
        return -1;
    }
    t->task.has_trampoline = false; /* a new address space */
    shared_memory_forget(rec, t->pid, true, true);
    const uint64_t cpuid_faulting[6] = {ARCH_SET_CPUID, 0, 0, 0, 0, 0};
    int64_t result;
    struct user_regs_struct regs;
    if (task_map_trampoline(&t->task) < 0 ||
        task_inject_syscall(&t->task, SYS_arch_prctl, cpuid_faulting, &result) < 0)
        return -1;
    if (result == -ENODEV) {
        /* This CPU (or hypervisor) has no CPUID faulting: cpuid runs natively
         * in record and replay alike. The program is pinned to one CPU, so the
         * per-CPU fields (APIC ids) agree; the leaves are the machine's own. */
        rec->cpuid_native = true;
    } else if (result != 0) {
        error_set("cannot enable CPUID faulting (arch_prctl ARCH_SET_CPUID): %s",
                  strerror((int)-result));
        return -1;
    }
    t->cpuid_sigsegv = false; /* execve turns the program's own cpuid faulting off */
    /* Said now, not only at the end: a trace cut short replays with the
     * same traps as its recording. */
    if (trace_store_set_meta(rec->store, "cpuid", rec->cpuid_native ? "native" : "trapped") < 0)
        return -1;
    if (task_get_regs(&t->task, &regs) < 0 || initial_stack_hide_vdso(&t->task, regs.rsp) < 0 ||
        syscall_buffer_inject(rec, t) < 0)
        return -1;

    struct trace_event event = {
        .seq = rec->next_seq++,
        .tid = event_tid,
        .kind = EVENT_EXEC,
        .sysno = SYS_execve,
        .ip = regs.rip,
    };
    if (has_entry_regs) {
        event.has_regs = true;
        event.regs = *entry_regs;
        event.ip = entry_regs->rip;
    }
    if (store_exec_state(rec, t, &event.extra_blob) < 0 || store_mappings(rec, t, event.seq) < 0 ||
        event_log_append(rec->store, &event) < 0 || tsc_patching_after_exec(rec, t, event.seq) < 0)
        return -1;
    t->at_syscall_exit = true;
    t->exit_regs = regs;
    t->in_syscall = false;
    t->entry_unmarked = false; /* the exec event stands for the whole execve */
    t->exec_recorded = true;
    return 0;
}

/* execve from a thread that is not its process's leader: the kernel ended
 * every other thread, the leader too (a death it never reports), and gave
 * the exec'ing thread the leader's tid, under which the exec event stop
 * came. In the trace the exec is the thread's (its tid names the event,
 * and its task row ends there); from then on the leader's tid names it, as
 * the kernel does. Replay does the same (replay_exec.c). */
int exec_capture_from_thread(struct recorder *rec, struct rec_task *leader, pid_t former)
{
    struct rec_task *t = record_tasks_find_live(rec, former);
    if (!t || t->pid != leader->pid || !t->in_syscall) {
        error_set("task %d: an exec event from thread %d, which is not a thread of its in execve", leader->task.tid,
                  former);
        return -1;
    }
    DEBUG_LOG(LOG_RECORD, "task %d: execve from thread %d, which takes over the leader's tid", leader->task.tid,
              former);
    pid_t tid = leader->task.tid;
    record_tasks_forget(rec, leader);
    t->task.tid = tid;
    rec->current = t;
    if (task_reopen_mem(&t->task) < 0 || exec_capture(rec, t, &t->entry_regs, true, former) < 0)
        return -1;
    return event_log_task_ended(rec->store, former, rec->next_seq - 1, TASK_END_EXITED, 0);
}
