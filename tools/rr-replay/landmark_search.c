/*
 * landmark_search.c — replaying a landmark event: running the task to the
 * point in user code where the recorder interrupted it (the recorded ip,
 * every general register and a hash of the stack near rsp), with no syscall
 * or other stop on the way. See tools/rr-record/preemption.c.
 *
 * The recorder takes landmarks at basic-block starts, often inside a loop
 * that passes the point millions of times with other registers. A stop at
 * each pass (a hardware breakpoint) costs ~10-30 us, so the search first
 * runs at near-native speed with a conditional breakpoint inside the task
 * (landmark_stub.h): a jump at ip to a stub page that traps only when all
 * general registers agree, and the stack window's hash too where the whole
 * window is mapped (a loop whose registers repeat on every pass, its count
 * on the stack, would otherwise trap at every pass). At that trap the code
 * and the page are put back as they were, and the hardware breakpoint makes
 * the final stop at ip, where every register and the stack hash are checked
 * as before. Where no stub can be placed (a block too short, code that
 * cannot be moved, no room within reach, a signal to deliver first) the
 * hardware breakpoint does all the search.
 */
#include "replayer.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "content_hash.h"
#include "error.h"
#include "gdb_target.h"
#include "insn_relocate.h"
#include "landmark_site.h"
#include "landmark_stub.h"
#include "proc_maps.h"

static enum replay_outcome search_failed(void)
{
    error_note("%s", error_text());
    return REPLAY_FAILED;
}

enum { EFLAGS_TRAP = 0x100, EFLAGS_RESUME = 0x10000, LANDMARK_MAX_HITS = 10000000 };

/* Are these the event's registers (but for the trap and resume flags,
 * which a breakpoint itself touches)? */
static bool at_recorded_regs(const struct trace_event *event, const struct user_regs_struct *regs)
{
    struct user_regs_struct a = *regs, b = event->regs;
    a.eflags &= ~(unsigned long long)(EFLAGS_TRAP | EFLAGS_RESUME);
    b.eflags &= ~(unsigned long long)(EFLAGS_TRAP | EFLAGS_RESUME);
    return memcmp(&a, &b, sizeof a) == 0;
}

/* Does the task stand where the landmark was recorded: every register (but
 * the trap and resume flags, which the breakpoint itself touches) and the
 * stack near rsp? */
bool at_landmark(struct task *task, const struct trace_event *event, const struct user_regs_struct *regs)
{
    if (!at_recorded_regs(event, regs))
        return false;
    unsigned char window[LANDMARK_STACK_BELOW + LANDMARK_STACK_ABOVE];
    ssize_t n = task_read_mem(task, regs->rsp - LANDMARK_STACK_BELOW, window, sizeof window);
    return (int64_t)content_hash(window, n > 0 ? (size_t)n : 0) == event->result;
}

/* The stub for one landmark, placed in the task. */
struct stub_search {
    uint64_t page;                           /* the stub page's address */
    struct landmark_stub stub;
    unsigned char patch[LANDMARK_PATCH_SIZE];
    unsigned char original[LANDMARK_PATCH_SIZE];
    uint64_t moved_end;                      /* the end of the instructions the stub moves */
};

/* Does another thread of the task's process stand inside the instructions
 * the stub would move (past their first byte)? It would resume in the
 * middle of the jump. (Landmarks a chaos recording takes mid-block do
 * that: one thread's just before another's.) */
static bool other_thread_inside(struct replayer *rep, uint64_t start, uint64_t end)
{
    for (int i = 0; i < rep->task_count; i++) {
        struct replay_task *rt = rep->tasks[i];
        struct user_regs_struct regs;
        if (rt != rep->cur && replay_task_alive(rt) && rt->process == rep->cur->process &&
            task_get_regs(&rt->task, &regs) == 0 && regs.rip > start && regs.rip < end)
            return true;
    }
    return false;
}

/* Build the stub for `event` and find its place. Returns 0, or -1 when no
 * stub fits (the reason in error_text()). */
static int stub_prepare(struct task *task, const struct trace_event *event, const struct gdb_target *debugger,
                        struct stub_search *search)
{
    if (!landmark_site_patchable(task, event->ip))
        return -1;
    struct trace_mapping *mappings;
    int count = proc_maps_read(task->tid, &mappings);
    if (count < 0)
        return -1;
    search->page = landmark_stub_place(mappings, count, event->ip);
    free(mappings);
    if (!search->page) {
        error_set("no room for a stub page within reach of 0x%llx", (unsigned long long)event->ip);
        return -1;
    }
    unsigned char code[64];
    ssize_t n = task_read_mem(task, event->ip, code, sizeof code);
    struct insn_relocation moved;
    if (n < LANDMARK_PATCH_SIZE ||
        insn_relocate(code, (size_t)n, event->ip, LANDMARK_PATCH_SIZE, landmark_stub_code_addr(search->page),
                      &moved) < 0)
        return -1;
    if (gdb_target_keeps_code(debugger, event->tid, event->ip, event->ip + moved.displaced)) {
        error_set("gdb needs the instructions the stub would move in place");
        return -1;
    }
    memcpy(search->original, code, sizeof search->original);
    search->moved_end = event->ip + moved.displaced;
    /* The stack window is checked in the stub where it is mapped whole now
     * (as it then is at the landmark). */
    unsigned char window[LANDMARK_STACK_BELOW + LANDMARK_STACK_ABOVE];
    struct landmark_stack_check stack = {event->result};
    bool window_mapped = task_read_mem(task, event->regs.rsp - LANDMARK_STACK_BELOW, window, sizeof window) ==
                         (ssize_t)sizeof window;
    if (landmark_stub_build(search->page, &event->regs, window_mapped ? &stack : NULL, &moved,
                            event->ip + moved.displaced, &search->stub) < 0 ||
        landmark_stub_patch(event->ip, landmark_stub_entry(search->page), search->patch) < 0) {
        error_set("the stub for 0x%llx is out of reach", (unsigned long long)event->ip);
        return -1;
    }
    return 0;
}

/* Syscalls can be injected at a syscall-exit or signal stop: a task at the
 * entry stop of an emulated syscall (skipped under SYSEMU) is moved to its
 * exit stop first, with its registers as they were. */
static int leave_syscall_entry(struct task *task)
{
    int entry = task_syscall_stop_is_entry(task);
    if (entry <= 0)
        return entry;
    struct user_regs_struct regs;
    struct task_stop stop;
    if (task_get_regs(task, &regs) < 0 || task_step(task, RESUME_SYSCALL, 0, &stop) < 0)
        return -1;
    if (stop.kind != STOP_SYSCALL) {
        error_set("task %d did not stop after an emulated syscall", task->tid);
        return -1;
    }
    return task_set_regs(task, &regs);
}

/* Map the stub page and patch the jump to it. Returns 0, 1 when the page
 * cannot be mapped there (nothing changed), or -1. */
static int stub_install(struct task *task, struct stub_search *search)
{
    const uint64_t args[6] = {search->page, LANDMARK_STUB_PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
                              MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, (uint64_t)-1, 0};
    int64_t result;
    if (leave_syscall_entry(task) < 0 || task_inject_syscall(task, SYS_mmap, args, &result) < 0)
        return -1;
    if (result != (int64_t)search->page)
        return 1; /* taken meanwhile, or refused: the hardware breakpoint will do */
    if (task_write_mem(task, search->page, search->stub.bytes, search->stub.size) < 0)
        return -1;
    return 0;
}

/* Put the landmark's code back and unmap the stub page. */
static int stub_remove(struct task *task, const struct trace_event *event, struct stub_search *search)
{
    const uint64_t args[6] = {search->page, LANDMARK_STUB_PAGE};
    int64_t result;
    if (task_write_mem(task, event->ip, search->original, sizeof search->original) < 0 ||
        task_inject_syscall(task, SYS_munmap, args, &result) < 0)
        return -1;
    if (result != 0) {
        error_set("cannot unmap the landmark stub at 0x%llx in task %d", (unsigned long long)search->page,
                  task->tid);
        return -1;
    }
    return 0;
}

/* Single-step the current task until it stands outside (ip, end). */
static enum replay_outcome step_out_of(struct replayer *rep, const struct trace_event *event, uint64_t end)
{
    struct user_regs_struct regs;
    struct task_stop stop;
    char text[128];
    if (task_get_regs(&rep->cur->task, &regs) < 0)
        return search_failed();
    while (regs.rip > event->ip && regs.rip < end) {
        rep->cur->single_step = true;
        if (replayer_run_and_observe(rep, event, &stop, &regs) < 0)
            return search_failed();
        if (stop.kind != STOP_SIGNAL || stop.signo != SIGTRAP)
            return replayer_diverged(event, "the program reached %s before the landmark at 0x%llx",
                                     task_stop_text(&stop, text, sizeof text), (unsigned long long)event->ip);
    }
    return REPLAY_MATCHED;
}

/* Run the task with the stub until it stands at the landmark's ip with the
 * recorded registers and stack, the code and address space as the program
 * left them. REPLAY_MATCHED then, or when no stub could be placed (the
 * task is where it was); a divergence when the program stops elsewhere. */
static enum replay_outcome stub_search(struct replayer *rep, const struct trace_event *event)
{
    struct task *task = &rep->cur->task;
    struct stub_search search;
    if (rep->cur->deliver_signo || rep->cur->stopped_at == STOPPED_AT_ENTRY || stub_prepare(task, event, rep->debugger, &search) < 0 ||
        other_thread_inside(rep, event->ip, search.moved_end))
        return REPLAY_MATCHED;
    /* The task itself inside them (its last landmark a few instructions
     * after this one's, in a loop) is stepped out first. */
    enum replay_outcome outcome = step_out_of(rep, event, search.moved_end);
    if (outcome != REPLAY_MATCHED)
        return outcome;
    int rc = stub_install(task, &search);
    if (rc != 0)
        return rc > 0 ? REPLAY_MATCHED : search_failed();
    if (task_write_mem(task, event->ip, search.patch, sizeof search.patch) < 0)
        return search_failed();
    rep->watchdog.activity = WATCHDOG_STUB_SEARCH;
    rep->watchdog.search_ip = event->ip;
    rep->watchdog.stub_passes_addr = landmark_stub_passes_addr(search.page);
    struct user_regs_struct regs;
    struct task_stop stop;
    char text[128];
    for (long hits = 0; hits < LANDMARK_MAX_HITS; hits++) {
        if (replayer_run_and_observe(rep, event, &stop, &regs) < 0)
            return search_failed();
        if (stop.kind != STOP_SIGNAL || stop.signo != SIGTRAP || regs.rip != search.stub.trap_ip)
            return replayer_diverged(event, "the program reached %s at 0x%llx before the landmark at 0x%llx",
                                     task_stop_text(&stop, text, sizeof text), (unsigned long long)regs.rip,
                                     (unsigned long long)event->ip);
        regs.rip = event->ip;
        if (at_landmark(task, event, &regs)) {
            if (task_set_regs(task, &regs) < 0 || stub_remove(task, event, &search) < 0)
                return search_failed();
            return REPLAY_MATCHED;
        }
        /* The same general registers, not the same state (the flags or the
         * stack differ): on with the displaced instructions. */
        regs.rip = search.stub.resume_ip;
        if (task_set_regs(task, &regs) < 0)
            return search_failed();
    }
    return replayer_diverged(event, "the landmark at 0x%llx was not reached in %d passes",
                             (unsigned long long)event->ip, LANDMARK_MAX_HITS);
}

/* The search's breakpoint at ip: hardware breakpoint 0, or where those
 * never fire (a PVM guest: task_hardware_breakpoints_work) an int3 written
 * over the instruction's first byte, which traps with rip one past it. */
struct search_breakpoint {
    bool soft;
    uint64_t ip;
    unsigned char saved;
};

static int breakpoint_arm(struct task *task, struct search_breakpoint *b)
{
    static const unsigned char int3 = 0xcc;
    if (!b->soft)
        return task_set_breakpoint(task, b->ip);
    if (task_read_mem(task, b->ip, &b->saved, 1) != 1)
        return -1;
    return task_write_mem(task, b->ip, &int3, 1);
}

static int breakpoint_disarm(struct task *task, const struct search_breakpoint *b)
{
    return b->soft ? task_write_mem(task, b->ip, &b->saved, 1) : task_set_breakpoint(task, 0);
}

/* Past a pass that was not the one: with a hardware breakpoint the resume
 * flag lets the instruction run once; an int3 is taken out for one single
 * step, then put back. 0, or -1 (the error set, or *outcome a divergence). */
static int breakpoint_pass(struct replayer *rep, const struct trace_event *event, struct search_breakpoint *b,
                           struct user_regs_struct *regs, enum replay_outcome *outcome)
{
    struct task *task = &rep->cur->task;
    if (!b->soft) {
        regs->eflags |= EFLAGS_RESUME; /* past this breakpoint once */
        return task_set_regs(task, regs);
    }
    struct task_stop stop;
    char text[128];
    if (task_set_regs(task, regs) < 0 || breakpoint_disarm(task, b) < 0)
        return -1;
    rep->cur->single_step = true;
    if (replayer_run_and_observe(rep, event, &stop, regs) < 0)
        return -1;
    if (stop.kind != STOP_SIGNAL || stop.signo != SIGTRAP) {
        *outcome = replayer_diverged(event, "the program reached %s before 0x%llx",
                                     task_stop_text(&stop, text, sizeof text), (unsigned long long)event->ip);
        return -1;
    }
    return breakpoint_arm(task, b);
}

/* Run the task to the event's ip with a breakpoint, a stop at each pass,
 * until every register (and, for a landmark, the stack near rsp) is the
 * recorded one. The task is left there, the breakpoint removed. */
enum replay_outcome replay_breakpoint_search(struct replayer *rep, const struct trace_event *event)
{
    struct task *task = &rep->cur->task;
    struct user_regs_struct regs;
    struct task_stop stop;
    char text[128];
    struct search_breakpoint breakpoint = {.soft = !task_hardware_breakpoints_work(), .ip = event->ip};
    if (breakpoint_arm(task, &breakpoint) < 0)
        return search_failed();
    rep->watchdog.activity = WATCHDOG_BREAKPOINT_SEARCH;
    rep->watchdog.search_ip = event->ip;
    for (long hits = 0; hits < LANDMARK_MAX_HITS; hits++) {
        rep->watchdog.breakpoint_passes = hits;
        if (replayer_run_and_observe(rep, event, &stop, &regs) < 0)
            return search_failed();
        bool trapped = stop.kind == STOP_SIGNAL && stop.signo == SIGTRAP &&
                       (!breakpoint.soft || regs.rip == event->ip + 1);
        if (!trapped) {
            if (breakpoint.soft && stop.kind == STOP_SIGNAL)
                breakpoint_disarm(task, &breakpoint);
            return replayer_diverged(event, "the program reached %s before 0x%llx",
                                     task_stop_text(&stop, text, sizeof text), (unsigned long long)event->ip);
        }
        if (breakpoint.soft)
            regs.rip = event->ip; /* back onto the instruction the int3 stands for */
        rep->observed.kind = event->kind;
        rep->observed.signo = event->signo;
        bool there = event->kind == EVENT_LANDMARK ? at_landmark(task, event, &regs) : at_recorded_regs(event, &regs);
        if (regs.rip == event->ip && there) {
            /* The flags as recorded: the breakpoint's resume flag is not the
             * program's (a signal frame built here would keep it). */
            regs.eflags = event->regs.eflags;
            rep->observed.regs = regs;
            rep->observed.ip = regs.rip; /* (past an int3 the stop showed one byte on) */
            if (task_set_regs(task, &regs) < 0)
                return search_failed();
            return breakpoint_disarm(task, &breakpoint) < 0 ? search_failed() : REPLAY_MATCHED;
        }
        enum replay_outcome outcome = REPLAY_FAILED;
        if (breakpoint_pass(rep, event, &breakpoint, &regs, &outcome) < 0)
            return outcome == REPLAY_FAILED ? search_failed() : outcome;
    }
    return replayer_diverged(event, "0x%llx was not reached with the recorded registers in %d passes",
                             (unsigned long long)event->ip, LANDMARK_MAX_HITS);
}

/* A landmark: the task was stopped in user code, at no syscall, when
 * recorded. After the stub's search (which leaves the task at the landmark,
 * when it can be used), a hardware breakpoint at the recorded ip stops it
 * there; without the stub, a loop passes the breakpoint many times, each
 * pass a stop, until the registers and stack are the recorded ones. */
enum replay_outcome replay_landmark(struct replayer *rep, const struct trace_event *event)
{
    enum replay_outcome outcome = stub_search(rep, event);
    if (outcome == REPLAY_MATCHED)
        outcome = replay_breakpoint_search(rep, event);
    if (outcome != REPLAY_MATCHED)
        return outcome;
    rep->observed.result = event->result;
    rep->cur->stopped_at = STOPPED_AT_LANDMARK;
    return REPLAY_MATCHED;
}
