/*
 * preemption.c — interrupting a task that runs user code too long without a
 * syscall. When another task waits to run or a signal is held for the running
 * task, and that task has gone a whole tick of the recorder's timer without a
 * recorded event, the timer (recorder_tick) stops it with the recorder's own
 * SIGSTOP. At that stop the task is moved on to the start of a basic block
 * with one PTRACE_SINGLEBLOCK step (it then stands right after a taken
 * branch) and recorded there at a register landmark: ip, every general
 * register and a hash of the stack near rsp. It then gives way to the other
 * tasks, or gets its held signal there (its tracer's, when traced). Replay finds the landmark again
 * (tools/rr-replay/landmark_search.c); the block start is where it can patch
 * a jump to its comparison stub.
 *
 * The step must not run a syscall: with PTRACE_SINGLEBLOCK the kernel runs
 * it without an entry stop, so the syscall would go unrecorded. The path the
 * step may take is decoded first (block_scan.h); a task about to make a
 * syscall is left to reach it, which is a boundary of its own; so is one
 * whose step would end inside the syscall buffer library (no landmark there).
 */
#include "recorder.h"

#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "block_scan.h"
#include "content_hash.h"
#include "debug_log.h"
#include "error.h"
#include "event_log.h"
#include "landmark_site.h"

enum {
    BLOCK_SCAN_BYTES = 512,   /* how far ahead a step's path is decoded */
    SI_CODE_TRACE = 2,        /* TRAP_TRACE: a single-step or block-step trap */
    MAX_BLOCK_STEPS = 1000,
    SINGLE_STEPS_IN_BLOCK = 8,
    CHAOS_MAX_STEPS = 8,       /* with --chaos: 1 to this many single steps before a landmark */
    CHAOS_STUB_REACH = 24,     /* more than the instructions a landmark stub's jump displaces */
};

void preemption_tick(struct recorder *rec, bool others_wait)
{
    struct rec_task *t = rec->current;
    /* Buffered calls folded meanwhile are no sign of progress: a loop of
     * them never reaches a point where a held signal can be delivered. */
    int64_t traced_seq = rec->next_seq - rec->buffered_events;
    bool idle_tick = rec->tick_task == t && rec->tick_seq == traced_seq;
    rec->tick_task = t;
    rec->tick_seq = traced_seq;
    if (t->in_syscall || t->preempt_requested || t->life == TASK_DEAD)
        return;
    if (!t->has_deferred && !others_wait)
        return;
    if (!idle_tick && !rec->chaos.on)
        return; /* (with --chaos, every tick interrupts) */
    t->preempt_requested = true;
    syscall(SYS_tgkill, t->pid, t->task.tid, SIGSTOP);
}

/* A hash of the stack near rsp (the red zone and what is above it), stored
 * with a landmark: replay stops at the first point with the same registers
 * and this hash. */
static int64_t stack_hash(struct task *task, uint64_t rsp)
{
    unsigned char window[LANDMARK_STACK_BELOW + LANDMARK_STACK_ABOVE];
    ssize_t n = task_read_mem(task, rsp - LANDMARK_STACK_BELOW, window, sizeof window);
    return (int64_t)content_hash(window, n > 0 ? (size_t)n : 0);
}

/* Step t (stopped by our SIGSTOP, which the step discards) to the start of
 * the next basic block (PTRACE_SINGLEBLOCK), or the next instruction
 * (PTRACE_SINGLESTEP). Returns 1 with t's registers there in *regs, 0 when
 * it stopped for something else (*stop, to be handled as any stop), or -1. */
static int step(struct rec_task *t, enum __ptrace_request how, struct user_regs_struct *regs, struct task_stop *stop)
{
    if (ptrace(how, t->task.tid, 0, 0) < 0) {
        error_set_errno("cannot step task %d", t->task.tid);
        return -1;
    }
    if (task_wait(&t->task, stop) < 0)
        return -1;
    if (stop->kind != STOP_SIGNAL || stop->signo != SIGTRAP)
        return 0;
    siginfo_t info;
    if (task_get_siginfo(&t->task, &info) < 0 || task_get_regs(&t->task, regs) < 0)
        return -1;
    if (info.si_code != SI_CODE_TRACE)
        return 0; /* the program's own trap */
    if ((int64_t)regs->orig_rax != -1) {
        /* The kernel reports a syscall run during the step as a step trap
         * at its exit: block_scan missed it, and it was not recorded. */
        error_set("task %d ran syscall %lld during a block step at 0x%llx", t->task.tid,
                  (long long)regs->orig_rax, (unsigned long long)regs->rip);
        return -1;
    }
    return 1;
}

/* A rep-prefixed string instruction (rep stos, rep movs…) can be stopped
 * between iterations, with rip still on it: no block was entered, and a
 * breakpoint there would only meet its first iteration. */
static bool is_repeated_string_op(const unsigned char *code, size_t len)
{
    size_t i = 0;
    while (i < len && (code[i] == 0x66 || code[i] == 0x67))
        i++; /* operand- and address-size prefixes may come first */
    return i < len && (code[i] == 0xf3 || code[i] == 0xf2);
}

/* After steps that returned rc (as step() does): true to go on; false when
 * preemption_on_stop returns *result now (-1, or the handling of the stop
 * that came instead), the request over. */
static bool stepped_on(struct recorder *rec, struct rec_task *t, int rc, const struct task_stop *stop, int *result)
{
    if (rc > 0)
        return true;
    t->preempt_requested = false;
    *result = rc < 0 ? -1 : recorder_handle_stop(rec, t, stop);
    return false;
}

/* A syscall instruction at the start of code: a single step must not run
 * it (the kernel would run the call without an entry stop, unrecorded). */
static bool starts_with_syscall(const unsigned char *code, size_t len)
{
    return len >= 2 && ((code[0] == 0x0f && (code[1] == 0x05 || code[1] == 0x34)) || code[0] == 0xcd);
}

/* With --chaos, a task stopped by the recorder is first moved on by a
 * random number of single steps: where a SIGSTOP finds a task is not
 * random (here, a loop was always stopped right after its one store). At
 * least one: a new task stopped before its first instruction stands where
 * its clone returned, not a point replay searches for. 1 with the task at
 * *at, 0 when it stopped for something else (*stop), -1. */
static int chaos_steps(struct recorder *rec, struct rec_task *t, struct user_regs_struct *at, struct task_stop *stop)
{
    for (uint64_t steps = 1 + chaos_next(&rec->chaos) % CHAOS_MAX_STEPS; steps > 0; steps--) {
        unsigned char code[2];
        ssize_t n = task_read_mem(&t->task, at->rip, code, sizeof code);
        if (n <= 0 || starts_with_syscall(code, (size_t)n))
            return 1;
        int rc = step(t, PTRACE_SINGLESTEP, at, stop);
        if (rc <= 0)
            return rc;
    }
    return 1;
}

/* With --chaos, a task is recorded where the SIGSTOP found it, in the middle
 * of a block (between a load and the store that depends on it, say), when
 * replay can patch its stub there, and the block runs on without a syscall
 * (a stub over a syscall instruction would move it) or a repeated string
 * instruction (which a stub meets at its first iteration only). */
static bool chaos_stays_where_stopped(struct recorder *rec, struct rec_task *t, const struct user_regs_struct *at)
{
    unsigned char code[BLOCK_SCAN_BYTES];
    size_t first_size;
    ssize_t n = task_read_mem(&t->task, at->rip, code, sizeof code);
    if (n <= 0 || block_scan_may_syscall(code, (size_t)n, at->rip, &first_size) ||
        is_repeated_string_op(code, (size_t)n) || !landmark_site_patchable(&t->task, at->rip))
        return false;
    /* Nor where another thread stands within the instructions replay's stub
     * would move: it would wait for a breakpoint at every pass instead. */
    for (int i = 0; i < rec->task_count; i++) {
        struct rec_task *other = rec->tasks[i];
        struct user_regs_struct regs;
        if (other != t && other->pid == t->pid && other->life != TASK_DEAD && !other->in_syscall &&
            task_get_regs(&other->task, &regs) == 0 && regs.rip > at->rip &&
            regs.rip < at->rip + CHAOS_STUB_REACH)
            return false;
    }
    return true;
}

/* The recorder's own SIGSTOP (see preemption_tick) has stopped task t in user
 * code, at `regs`. Unless it stands right at a syscall exit (the boundary is
 * there already) or is about to make a syscall, step it to a block start,
 * record the landmark, and have it give way or take its held signal.
 *
 * Under this machine's hypervisor a block step sometimes ends after one
 * instruction, as a single step would (the branch-trap flag is not always
 * honoured): a step that only moved to the next instruction did not pass a
 * taken branch, and is repeated (as is one that stayed inside a repeated
 * string instruction), and so is one that ends where replay could not patch
 * its stub (landmark_site.h): a block too short for the patch (a `test; je`
 * after a call's return, say) would be searched by stopping at every pass,
 * endless in a hot loop. Where the block is long enough but a branch lands
 * inside the patch (a rotated loop entered at its second instruction), the
 * next few instructions are tried one single step at a time. */
int preemption_on_stop(struct recorder *rec, struct rec_task *t, const struct user_regs_struct *regs)
{
    if (t->at_syscall_exit && memcmp(regs, &t->exit_regs, sizeof *regs) == 0) {
        t->preempt_requested = false;
        return 0;
    }
    /* preempt_requested stays set during the steps: the timer must not send
     * another SIGSTOP meanwhile. */
    struct user_regs_struct at = *regs;
    int single_steps_left = 0;
    bool stay = false;
    int result;
    if (rec->chaos.on) {
        struct task_stop stop;
        if (!stepped_on(rec, t, chaos_steps(rec, t, &at, &stop), &stop, &result))
            return result;
        if (t->sb.filter && syscall_buffer_contains(at.rip)) {
            t->preempt_requested = false;
            return 0; /* stepped into the syscall buffer: no landmark there */
        }
        stay = chaos_stays_where_stopped(rec, t, &at);
        DEBUG_LOG(LOG_RECORD, "task %d: chaos: stopped, stepped on to 0x%llx%s", t->task.tid,
                  (unsigned long long)at.rip, stay ? ", a landmark there" : "");
    }
    for (int steps = 0; !stay; steps++) {
        unsigned char code[BLOCK_SCAN_BYTES];
        size_t first_size;
        uint64_t from = at.rip;
        ssize_t n = task_read_mem(&t->task, from, code, sizeof code);
        if (steps == MAX_BLOCK_STEPS || n <= 0 || block_scan_may_syscall(code, (size_t)n, from, &first_size)) {
            t->preempt_requested = false;
            return 0; /* no landmark this time: on to its syscall, or the next tick */
        }
        struct task_stop stop;
        bool single = single_steps_left > 0;
        if (!stepped_on(rec, t, step(t, single ? PTRACE_SINGLESTEP : PTRACE_SINGLEBLOCK, &at, &stop), &stop,
                        &result))
            return result;
        if (t->sb.filter && syscall_buffer_contains(at.rip)) {
            t->preempt_requested = false;
            return 0; /* into the syscall buffer: no landmark there (syscall_buffer.h) */
        }
        bool inside_string_op = at.rip == from && is_repeated_string_op(code, (size_t)n);
        bool new_block = at.rip != from + first_size && !inside_string_op;
        if ((new_block || (single && at.rip != from)) && landmark_site_patchable(&t->task, at.rip))
            break;
        /* Not here (a branch lands inside the patch, or the block is too
         * short): try the next few instructions, one at a time. */
        single_steps_left = single ? single_steps_left - 1 : new_block ? SINGLE_STEPS_IN_BLOCK : 0;
    }
    t->preempt_requested = false;
    t->at_syscall_exit = false;
    struct trace_event event = {
        .seq = rec->next_seq++,
        .tid = t->task.tid,
        .kind = EVENT_LANDMARK,
        .result = stack_hash(&t->task, at.rsp),
        .ip = at.rip,
        .has_regs = true,
        .regs = at,
    };
    if (event_log_append(rec->store, &event) < 0)
        return -1;
    if (!t->has_deferred) {
        t->yield = true;
        return 0;
    }
    /* A held signal is delivered at the landmark: this SIGTRAP stop becomes
     * its stop (with its siginfo), handled as any signal stop there (a
     * traced task's tracer sees it). Resuming it with that signal delivers
     * the signal at once (the kernel keeps the siginfo when the numbers
     * agree). */
    t->has_deferred = false;
    if (task_set_siginfo(&t->task, &t->deferred) < 0)
        return -1;
    struct task_stop held = {.kind = STOP_SIGNAL, .signo = t->deferred.si_signo};
    /* Known for this stop only: a loop may pass here again with the same
     * registers (a tracer's stop keeps it, see ptrace_requests.c). */
    record_signal_known_point(t, &at);
    int rc = recorder_handle_stop(rec, t, &held);
    if (!t->inner.stopped)
        t->at_syscall_exit = false;
    return rc;
}
