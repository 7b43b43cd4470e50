/*
 * inner_events.c — an inner tracee's program events from its stops and its
 * tracer's writes (see inner_events.h).
 *
 * rr-replay drives every program syscall to its entry under PTRACE_SYSEMU, so
 * a program syscall is exactly a syscall-entry stop that was skipped (sync);
 * entries that ran (the trampoline's injected syscalls, a clone run in place)
 * and exit stops are the replayer's doing. A program event starts at such a
 * stop, or at a signal stop, and is complete when the tracee's next one
 * comes (or it exits): what the tracer wrote in between is the event's
 * outcome. The program goes on with the last registers written (or shown by
 * an injected syscall's exit, e.g. the frame rt_sigreturn restored), so their
 * rax is a syscall's result; the memory written in between is what the
 * syscall wrote, except where the replayer rebuilds memory (an mmap's file
 * contents, an exec's new image) and its own trampoline page.
 *
 * A signal stop the replayer does not deliver is one of its traps: a SIGSEGV
 * at rdtsc, rdtscp or cpuid (trapped in the tracee) after which the tracer
 * steps the program past the instruction with the values it should see (the
 * instruction's bytes, where they matter, are the ones the replayer wrote
 * into the address space it rebuilt), or a
 * SIGTRAP of the landmark search (breakpoint hits, all one landmark). A
 * signal the tracer gives recorded siginfo to was sent at a syscall boundary;
 * one it does not was raised by the program's own instruction (sync).
 */
#include "inner_events.h"

#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>

#include "cpu_traps.h"
#include "error.h"
#include "landmark_stub.h"
#include "tracee_stops.h"
#include "syscall_table.h"
#include "replay_protocol.h"
#include "signal_origin.h"
#include "task.h"

void inner_events_init(struct inner_events *inner, struct event_source *outer,
                       struct tracee_stops *tracees, int32_t tid, bool first_process)
{
    memset(inner, 0, sizeof *inner);
    inner->outer = outer;
    inner->tracees = tracees;
    inner->tid = tid;
    inner->first_process = first_process;
}

void inner_events_free(struct inner_events *inner)
{
    source_event_free(&inner->event);
    for (int i = 0; i < INNER_READY_MAX; i++)
        source_event_free(&inner->ready[i]);
    memset(inner, 0, sizeof *inner);
}

/* The signal number and si_code of a siginfo blob of the outer recording;
 * 0 and 0 when there is none. */
static int siginfo_read(struct inner_events *inner, int64_t blob, int32_t *signo, int32_t *code)
{
    *signo = *code = 0;
    if (!blob)
        return 0;
    void *data;
    size_t len;
    if (inner->outer->ops->read_blob(inner->outer, blob, &data, &len) < 0)
        return -1;
    if (len >= offsetof(siginfo_t, si_code) + sizeof(int)) {
        memcpy(signo, (char *)data + offsetof(siginfo_t, si_signo), sizeof *signo);
        memcpy(code, (char *)data + offsetof(siginfo_t, si_code), sizeof *code);
    }
    free(data);
    return 0;
}

/* Hand `event` out after those already complete. */
static int emit(struct inner_events *inner, const struct source_event *event)
{
    if (inner->ready_count == INNER_READY_MAX) {
        error_set("internal error: too many events from one stop of task %d", inner->tid);
        return -1;
    }
    int slot = (inner->ready_head + inner->ready_count) % INNER_READY_MAX;
    if (source_event_copy(&inner->ready[slot], event) < 0)
        return -1;
    inner->ready_count++;
    return 0;
}

int inner_events_take(struct inner_events *inner, struct source_event *event)
{
    if (!inner->ready_count)
        return 0;
    if (source_event_copy(event, &inner->ready[inner->ready_head]) < 0)
        return -1;
    inner->ready_head = (inner->ready_head + 1) % INNER_READY_MAX;
    inner->ready_count--;
    return 1;
}

/* A new program event at event `seq` of the outer recording, where the
 * tracee stood with registers `regs`. */
static void begin(struct inner_events *inner, enum inner_pending what, int64_t seq,
                  const struct user_regs_struct *regs)
{
    struct source_event *pending = &inner->event;
    memset(&pending->event, 0, sizeof pending->event);
    pending->write_count = 0;
    pending->entered_seq = 0;
    pending->result_unknown = false;
    pending->event.seq = seq;
    pending->event.tid = inner->tid;
    pending->event.sysno = -1;
    pending->event.has_regs = true;
    pending->event.regs = *regs;
    pending->event.ip = regs->rip;
    inner->pending = what;
    inner->stop_regs = *regs;
    inner->stop_seq = seq;
    inner->stop_si_code = 0;
    inner->resume_regs = *regs;
    inner->resume_seq = seq;
    inner->outcome_written = false;
    inner->closed = false;
    inner->injected = false;
    inner->search_over = false;
    inner->exec_seq = 0;
    inner->fork_seq = 0;
    inner->delivered = false;
    inner->killed_by = SYSCALL_RAN;
    inner->search_trap = false;
    inner->siginfo_written = false;
    inner->fault_placed = false;
    inner->written_si_code = 0;
    inner->written_siginfo = 0;
}

/* Registers the tracee stood at (a stop) or was given (`written`) while the
 * event is pending. */
static void note_registers(struct inner_events *inner, const struct user_regs_struct *regs, int64_t seq,
                           bool written)
{
    if (inner->pending == PENDING_NONE || inner->closed || replay_in_trampoline(regs->rip))
        return;
    /* Back onto the syscall instruction: the replayer runs it (a clone in
     * place) or restarts it; neither is what the program returns with. */
    if (inner->pending == PENDING_SYSCALL && regs->rip == inner->stop_regs.rip - SYSCALL_INSN_LENGTH)
        return;
    /* Written where the syscall stopped at its entry, before the replayer
     * ran anything there (a clone it runs in place leaves clone's number),
     * another syscall number or other arguments: its tracer changed the
     * syscall (a program that traces this one), which the program makes. */
    if (inner->pending == PENDING_SYSCALL && written && !inner->injected && regs->rip == inner->stop_regs.rip &&
        regs->orig_rax != (unsigned long long)-1 && regs->orig_rax != inner->stop_regs.orig_rax) {
        inner->event.event.sysno = (int64_t)regs->orig_rax;
        task_syscall_args(regs, inner->event.event.args);
    }
    inner->resume_regs = *regs;
    inner->resume_seq = seq;
    inner->outcome_written |= written;
}

static int add_write(struct inner_events *inner, const struct task_write *write)
{
    struct source_event *pending = &inner->event;
    if (inner->pending == PENDING_NONE || inner->closed || replay_in_trampoline(write->addr))
        return 0;
    /* Written again at the same place: the program sees the later bytes
     * (a blocking syscall's word as it blocked, then as it completed; a
     * clone's child tid the replayer writes, then the recorded writes). */
    for (size_t i = 0; i < pending->write_count; i++) {
        if (pending->writes[i].addr == write->addr && pending->writes[i].len == write->len) {
            memmove(&pending->writes[i], &pending->writes[i + 1],
                    (pending->write_count - i - 1) * sizeof *pending->writes);
            pending->write_count--;
            break;
        }
    }
    return source_event_add_write(pending, write);
}

/* Drop the writes for which `unwanted` says so. 0 or -1. */
static int drop_writes(struct inner_events *inner,
                       int (*unwanted)(struct inner_events *inner, const struct task_write *write))
{
    struct source_event *pending = &inner->event;
    size_t kept = 0;
    for (size_t i = 0; i < pending->write_count; i++) {
        int rc = unwanted(inner, &pending->writes[i]);
        if (rc < 0)
            return -1;
        if (!rc)
            pending->writes[kept++] = pending->writes[i];
    }
    pending->write_count = kept;
    return 0;
}

/* A fork-like syscall's new tid, which the replayer writes where the program
 * asked the kernel to (CLONE_PARENT_SETTID and the like): a recording leaves
 * that write to the replay and keeps none. */
static int is_child_tid_write(struct inner_events *inner, const struct task_write *write)
{
    int32_t tid = (int32_t)inner->event.event.result, written;
    if (write->len != sizeof written)
        return 0;
    void *data;
    size_t len;
    if (inner->outer->ops->read_blob(inner->outer, write->blob, &data, &len) < 0)
        return -1;
    int same = len == sizeof written && memcpy(&written, data, sizeof written) && written == tid;
    free(data);
    return same;
}

static int finish_start(struct inner_events *inner)
{
    struct trace_event *event = &inner->event.event;
    event->kind = EVENT_EXEC;
    event->has_regs = false;
    event->ip = inner->resume_regs.rip; /* where the program starts */
    inner->event.write_count = 0;       /* the rebuilt address space */
    return emit(inner, &inner->event);
}

/* A syscall complete: `ended` when the task ended inside it (at event `end`). */
static int finish_syscall(struct inner_events *inner, bool ended, int64_t end)
{
    struct source_event *pending = &inner->event;
    struct trace_event *event = &pending->event;
    const struct syscall_desc *desc = syscall_lookup((long)event->sysno);
    enum replay_mode replay = desc ? desc->replay : REPLAY_EMULATE;
    /* Killed in a syscall the replayer made for it (the program's seccomp
     * kill or strict mode, re-armed): the program died in this one, which
     * never returned; its registers were only put back around the arming. */
    if (ended && inner->killed_by != SYSCALL_RAN) {
        event->sig_code = inner->killed_by;
        inner->outcome_written = false;
    }
    /* Given its result, then killed before it stopped again: it completed. */
    if (ended && inner->outcome_written)
        ended = false;
    /* Where a recording would have completed it: an exec and a fork at their
     * ptrace event, anything else when the program goes on. */
    int64_t completed = inner->exec_seq ? inner->exec_seq : inner->fork_seq ? inner->fork_seq
                        : ended ? end : inner->resume_seq;
    bool ends_task = syscall_exit_scope((long)event->sysno) != EXIT_SCOPE_NONE;
    int ran = ends_task ? 0 : tracee_stops_other_ran(inner->tracees, inner->tid, inner->stop_seq, completed);
    if (ran < 0)
        return -1;
    if (inner->exec_seq)
        pending->write_count = 0; /* the fresh process and its rebuilt address space */
    if (ran) {
        /* Other tasks ran before it completed: a recording has an enter event. */
        event->kind = EVENT_ENTER;
        if (emit(inner, pending) < 0)
            return -1;
        event->seq = completed;
    }
    if (inner->exec_seq) {
        event->kind = EVENT_EXEC;
        event->sysno = -1;
        memset(event->args, 0, sizeof event->args);
        return emit(inner, pending);
    }
    if (ended && !inner->fork_seq && ran)
        return 0; /* as recorded: the task ended with the syscall entered */
    event->kind = EVENT_SYSCALL;
    event->result = ended && !inner->fork_seq ? 0 : (int64_t)inner->resume_regs.rax; /* 0: it never returned */
    if (replay == REPLAY_MMAP || replay == REPLAY_MREMAP || replay == REPLAY_BRK)
        pending->write_count = 0; /* the file contents the replayer maps from the recording */
    if (replay == REPLAY_CLONE && drop_writes(inner, is_child_tid_write) < 0)
        return -1;
    return emit(inner, pending);
}

bool inner_cpu_trap_ambiguous(const struct user_regs_struct *at, const struct user_regs_struct *after)
{
    return after->rip - at->rip == CPUID_INSN_LENGTH && after->rbx == at->rbx && after->rcx == at->rcx;
}

bool inner_cpu_trap(struct trace_event *event, const struct user_regs_struct *at,
                    const struct user_regs_struct *after, const unsigned char *code)
{
    uint64_t advanced = after->rip - at->rip;
    if (advanced != RDTSC_INSN_LENGTH && advanced != RDTSCP_INSN_LENGTH)
        return false;
    int length = 0;
    enum trapped_insn insn = code ? cpu_traps_decode_bytes(code, CPUID_INSN_LENGTH, &length) : TRAPPED_NONE;
    bool cpuid;
    if (insn != TRAPPED_NONE && (uint64_t)length == advanced)
        cpuid = insn == TRAPPED_CPUID;
    else
        cpuid = advanced == CPUID_INSN_LENGTH && !inner_cpu_trap_ambiguous(at, after);
    event->signo = 0;
    event->sig_code = 0;
    event->sync = 0;
    event->extra_blob = 0;
    if (cpuid) {
        event->kind = EVENT_CPUID;
        event->args[0] = at->rax & 0xffffffff;
        event->args[1] = at->rcx & 0xffffffff;
        event->args[2] = after->rax & 0xffffffff;
        event->args[3] = after->rbx & 0xffffffff;
        event->args[4] = after->rcx & 0xffffffff;
        event->args[5] = after->rdx & 0xffffffff;
    } else {
        event->kind = EVENT_RDTSC;
        event->args[0] = advanced == RDTSCP_INSN_LENGTH ? after->rcx & 0xffffffff : (uint64_t)-1;
        event->result = (int64_t)((after->rdx & 0xffffffff) << 32 | (after->rax & 0xffffffff));
    }
    return true;
}

/* The tracer stepped the program past a trapped rdtsc, rdtscp or cpuid;
 * the code there, when it matters, is what the replayer wrote. -1 on error. */
static int finish_cpu_trap(struct inner_events *inner)
{
    struct trace_event *event = &inner->event.event;
    if (event->signo != SIGSEGV || inner->delivered || inner->stop_si_code != SI_KERNEL)
        return 0;
    unsigned char code[CPUID_INSN_LENGTH];
    int known = 0;
    if (inner_cpu_trap_ambiguous(&inner->stop_regs, &inner->resume_regs) &&
        (known = tracee_stops_written_bytes(inner->tracees, inner->tid, inner->stop_seq, inner->stop_regs.rip,
                                            code, sizeof code)) < 0)
        return -1;
    if (!inner_cpu_trap(event, &inner->stop_regs, &inner->resume_regs, known ? code : NULL))
        return 0;
    inner->event.write_count = 0;
    return 1;
}

static bool is_landmark_search(const struct inner_events *inner)
{
    return inner->pending == PENDING_SIGNAL && inner->event.event.signo == SIGTRAP && inner->search_trap &&
           !inner->delivered && !inner->search_over;
}

static int finish_signal(struct inner_events *inner)
{
    struct source_event *pending = &inner->event;
    struct trace_event *event = &pending->event;
    int trap = finish_cpu_trap(inner);
    if (trap != 0)
        return trap < 0 ? -1 : emit(inner, pending);
    if (event->signo == SIGTRAP && inner->search_trap && !inner->delivered) {
        /* The landmark is where the program goes on, with the registers the
         * tracer left it; the search's code patches are not the program's.
         * Its stack hash is the recorder's: the tracer never says it. */
        event->kind = EVENT_LANDMARK;
        event->signo = 0;
        event->extra_blob = 0;
        event->regs = inner->resume_regs;
        event->ip = inner->resume_regs.rip;
        pending->write_count = 0;
        pending->result_unknown = true;
        return emit(inner, pending);
    }
    if (inner->delivered && inner->outcome_written) {
        /* The tracer set the registers at the stop: the signal was
         * delivered with those (a fatal one the recording had arrive in
         * user code past the boundary it stopped at: replay_signal.c). */
        event->regs = inner->resume_regs;
        event->ip = inner->resume_regs.rip;
    }
    event->sync = !inner->siginfo_written || inner->fault_placed;
    event->sig_code = inner->siginfo_written ? inner->written_si_code : inner->stop_si_code;
    if (inner->siginfo_written)
        event->extra_blob = inner->written_siginfo;
    return emit(inner, pending);
}

/* The pending event is complete. */
static int finish(struct inner_events *inner, bool ended, int64_t end)
{
    enum inner_pending what = inner->pending;
    inner->pending = PENDING_NONE;
    switch (what) {
    case PENDING_NONE: return 0;
    case PENDING_START: return finish_start(inner);
    case PENDING_SYSCALL: return finish_syscall(inner, ended, end);
    case PENDING_SIGNAL: return finish_signal(inner);
    }
    return 0;
}

static bool is_stop_signal(int signo)
{
    return signo == SIGSTOP || signo == SIGTSTP || signo == SIGTTIN || signo == SIGTTOU;
}

/* A signal about to be delivered: at a signal stop, or (`siginfo`) sent by
 * the tracer where the task stands, with that siginfo. */
static int begin_signal(struct inner_events *inner, int64_t seq, const struct user_regs_struct *regs,
                        int signo, int64_t siginfo)
{
    if (finish(inner, false, seq) < 0)
        return -1;
    begin(inner, PENDING_SIGNAL, seq, regs);
    inner->event.event.kind = EVENT_SIGNAL;
    inner->event.event.signo = signo;
    inner->event.event.extra_blob = siginfo;
    int32_t ignored_signo;
    return siginfo_read(inner, siginfo, &ignored_signo, &inner->stop_si_code);
}

/* Whether a SIGTRAP stop at `ip` (its si_code read) is the landmark
 * search's: its hardware breakpoint, the int3 of its stub, or the int3 it
 * uses for a breakpoint where hardware breakpoints never fire (the stop
 * just past it). */
static bool is_search_trap(const struct inner_events *inner, uint64_t ip)
{
    if (inner->stop_si_code == TRAP_HWBKPT)
        return inner->dr7 == TASK_BREAKPOINT_DR7 && inner->dr0 == ip;
    return inner->stop_si_code == SI_KERNEL &&
           (inner->stub_patch_at || (inner->soft_break_at && inner->soft_break_at == ip - 1));
}

static int on_signal_stop(struct inner_events *inner, const struct trace_event *stop)
{
    bool first = !inner->stopped_before;
    inner->stopped_before = true;
    if (first && stop->signo == SIGSTOP) {
        /* A new process's first stop, before the replayer takes it over. The
         * first process's stands for the exec the recording starts with. */
        if (inner->first_process)
            begin(inner, PENDING_START, stop->seq, &stop->regs);
        return 0;
    }
    if (is_stop_signal(stop->signo) && !stop->extra_blob)
        return 0; /* a group stop: no siginfo, nothing delivered */
    if (stop->signo == SIGTRAP && is_landmark_search(inner)) {
        inner->closed = false; /* the landmark search goes on */
        note_registers(inner, &stop->regs, stop->seq, false);
        return 0;
    }
    if (begin_signal(inner, stop->seq, &stop->regs, stop->signo, stop->extra_blob) < 0)
        return -1;
    inner->search_trap = stop->signo == SIGTRAP && is_search_trap(inner, stop->regs.rip);
    return 0;
}

static int on_syscall_entry(struct inner_events *inner, const struct trace_event *stop)
{
    inner->stopped_before = true;
    if (!stop->sync) {
        /* Injected by the replayer: part of this event's replay, or, once
         * its outcome is written, of the next one's. */
        if (inner->outcome_written && inner->pending != PENDING_START)
            inner->closed = true;
        inner->injected = true;
        note_registers(inner, &stop->regs, stop->seq, false);
        return 0;
    }
    if (finish(inner, false, stop->seq) < 0)
        return -1;
    begin(inner, PENDING_SYSCALL, stop->seq, &stop->regs);
    struct trace_event *event = &inner->event.event;
    event->kind = EVENT_SYSCALL;
    event->sysno = (int64_t)stop->regs.orig_rax;
    task_syscall_args(&stop->regs, event->args);
    return 0;
}

static int on_stop(struct inner_events *inner, const struct trace_event *stop)
{
    switch (stop->sig_code) {
    case TRACEE_AT_SYSCALL_ENTRY:
        return on_syscall_entry(inner, stop);
    case TRACEE_AT_SIGNAL:
        return on_signal_stop(inner, stop);
    case TRACEE_AT_EVENT:
        if (inner->pending == PENDING_SYSCALL && stop->args[0] == PTRACE_EVENT_EXEC)
            inner->exec_seq = stop->seq;
        if (inner->pending == PENDING_SYSCALL && (stop->args[0] == PTRACE_EVENT_FORK ||
                                                  stop->args[0] == PTRACE_EVENT_VFORK ||
                                                  stop->args[0] == PTRACE_EVENT_CLONE))
            inner->fork_seq = stop->seq;
        break;
    default:
        break;
    }
    inner->stopped_before = true;
    /* The exit of a syscall the replayer ran leaves the program's registers
     * as that syscall made them (rt_sigreturn's restored frame). */
    bool outcome = stop->sig_code == TRACEE_AT_SYSCALL_EXIT && inner->injected;
    if (stop->has_regs)
        note_registers(inner, &stop->regs, stop->seq, outcome);
    return 0;
}

/* The tracer set a stopped task's siginfo: the recorded one of the signal
 * stopped at, or of a signal it sends from where the task stands (at a
 * landmark, or in place of the signal stopped at). */
static int on_siginfo_written(struct inner_events *inner, const struct trace_event *write)
{
    int32_t signo, code;
    if (siginfo_read(inner, write->extra_blob, &signo, &code) < 0)
        return -1;
    bool for_this_stop = inner->pending == PENDING_SIGNAL && !is_landmark_search(inner) &&
                         inner->event.event.signo == signo && !inner->siginfo_written;
    /* A breakpoint found the instruction and the tracer raises the program's
     * own fault there (siginfo of an instruction's fault): no landmark, the
     * fault the program's instruction raised when recorded. */
    siginfo_t info = {.si_signo = signo, .si_code = code};
    bool fault_placed = inner->pending == PENDING_SIGNAL && inner->event.event.signo == SIGTRAP &&
                        inner->search_trap && !inner->delivered && signal_from_instruction(&info);
    if (fault_placed)
        inner->pending = PENDING_NONE;
    if (!for_this_stop) {
        struct user_regs_struct where = inner->resume_regs;
        if (begin_signal(inner, write->seq, &where, signo, write->extra_blob) < 0)
            return -1;
    }
    inner->fault_placed = fault_placed;
    inner->siginfo_written = true;
    inner->written_siginfo = write->extra_blob;
    inner->written_si_code = code;
    return 0;
}

/* The landmark stub's jump written over the landmark arms its search; the
 * displaced bytes written back there disarm it. 0 or -1. */
static int note_stub_patch(struct inner_events *inner, const struct task_write *write)
{
    if (write->len != LANDMARK_PATCH_SIZE)
        return 0;
    void *data;
    size_t len;
    if (inner->outer->ops->read_blob(inner->outer, write->blob, &data, &len) < 0)
        return -1;
    if (len == LANDMARK_PATCH_SIZE && *(unsigned char *)data == LANDMARK_PATCH_JMP)
        inner->stub_patch_at = write->addr;
    else if (write->addr == inner->stub_patch_at)
        inner->stub_patch_at = 0;
    free(data);
    return 0;
}

/* The search's int3, where hardware breakpoints never fire (see
 * tools/rr-replay/landmark_search.c): one 0xcc byte written arms it, the
 * byte written back there disarms it, which ends a landmark search as
 * clearing DR7 does. Neither is a write of the program's. 1 when the write
 * is one of those, 0 when not, -1. */
static int note_soft_breakpoint(struct inner_events *inner, const struct task_write *write)
{
    if (write->len != 1)
        return 0;
    void *data;
    size_t len;
    if (inner->outer->ops->read_blob(inner->outer, write->blob, &data, &len) < 0)
        return -1;
    unsigned char byte = len == 1 ? *(unsigned char *)data : 0;
    free(data);
    if (len == 1 && byte == 0xcc) {
        inner->soft_break_at = write->addr;
        return 1;
    }
    if (!inner->soft_break_at || write->addr != inner->soft_break_at)
        return 0;
    inner->soft_break_at = 0;
    if (is_landmark_search(inner))
        inner->search_over = true;
    return 1;
}

static int on_tracer_write(struct inner_events *inner, const struct source_event *outer)
{
    const struct trace_event *write = &outer->event;
    switch (write->sig_code) {
    case TRACER_WROTE_REGS:
        if (write->has_regs)
            note_registers(inner, &write->regs, write->seq, true);
        return 0;
    case TRACER_WROTE_MEMORY:
        for (size_t i = 0; i < outer->write_count; i++) {
            int breakpoint = note_soft_breakpoint(inner, &outer->writes[i]);
            if (breakpoint < 0 || (!breakpoint && (note_stub_patch(inner, &outer->writes[i]) < 0 ||
                                                   add_write(inner, &outer->writes[i]) < 0)))
                return -1;
        }
        return 0;
    case TRACER_WROTE_SIGINFO:
        return inner->pending == PENDING_NONE || inner->pending == PENDING_START
                   ? 0 : on_siginfo_written(inner, write);
    case TRACER_WROTE_USER:
        if (write->args[0] == offsetof(struct user, u_debugreg[0]))
            inner->dr0 = write->args[1];
        if (write->args[0] == offsetof(struct user, u_debugreg[7]))
            inner->dr7 = write->args[1];
        /* A landmark search ends with its breakpoint cleared (DR7 = 0). */
        if (write->args[0] == offsetof(struct user, u_debugreg[7]) && write->args[1] == 0 &&
            is_landmark_search(inner))
            inner->search_over = true;
        return 0;
    default:
        return 0; /* a register set: the replayer's means */
    }
}

/* A signal delivered to a task whose program has made no event yet, with no
 * signal stop of its own: the tracer resumed the task from its first stop
 * (a new task's SIGSTOP, a signal-delivery stop) with that signal, which the
 * kernel then delivered in place of the SIGSTOP, with the siginfo the tracer
 * set (a signal sent to the task before it ran). It is delivered where the
 * task stands, at a boundary. */
static int on_signal_unseen(struct inner_events *inner, const struct trace_event *signal)
{
    if (begin_signal(inner, signal->seq, &signal->regs, signal->signo, signal->extra_blob) < 0)
        return -1;
    inner->delivered = true;
    inner->siginfo_written = true;
    inner->written_siginfo = signal->extra_blob;
    inner->written_si_code = inner->stop_si_code;
    return 0;
}

static int on_task_exit(struct inner_events *inner, const struct trace_event *exit)
{
    if (finish(inner, true, exit->seq) < 0)
        return -1;
    struct source_event ended = {0};
    ended.event.seq = exit->seq;
    ended.event.tid = inner->tid;
    ended.event.kind = EVENT_EXIT;
    ended.event.sysno = -1;
    ended.event.result = exit->result;
    ended.event.signo = exit->signo;
    return emit(inner, &ended);
}

int inner_events_feed(struct inner_events *inner, const struct source_event *outer)
{
    const struct trace_event *event = &outer->event;
    switch (event->kind) {
    case EVENT_TRACEE_STOP:
        return on_stop(inner, event);
    case EVENT_TRACER_WRITE:
        return on_tracer_write(inner, outer);
    case EVENT_SIGNAL:
        if (inner->pending == PENDING_SIGNAL && event->signo == inner->event.event.signo)
            inner->delivered = true;
        else if (inner->pending == PENDING_NONE && inner->stopped_before)
            return on_signal_unseen(inner, event);
        return 0;
    case EVENT_SYSCALL:
        /* One the replayer ran in the tracee; a seccomp kill's marks it. */
        if (inner->pending == PENDING_SYSCALL &&
            (event->sig_code == SYSCALL_KILLED_BY_FILTER || event->sig_code == SYSCALL_KILLED_BY_STRICT_MODE))
            inner->killed_by = event->sig_code;
        return 0;
    case EVENT_EXIT:
        return on_task_exit(inner, event);
    default:
        return 0; /* what the tracee did for the replayer: injected syscalls, its new image */
    }
}

int inner_events_end(struct inner_events *inner)
{
    /* Cut short (the replay stopped): a syscall entered never completed. */
    if (inner->pending == PENDING_SYSCALL && !inner->exec_seq) {
        inner->pending = PENDING_NONE;
        inner->event.event.kind = EVENT_ENTER;
        return emit(inner, &inner->event);
    }
    return finish(inner, false, INT64_MAX);
}
