/*
 * clone_untraced.c — clone and clone3 with CLONE_UNTRACED. The flag only
 * keeps a tracer from following the new task (PTRACE_O_TRACECLONE would
 * not attach to it, and it would run unrecorded); the task itself behaves
 * the same either way. So the recorder clears the flag for the kernel — in
 * rdi for clone, in the struct's first word for clone3 — and puts the
 * program's value back once the call is done, in the parent at its exit
 * stop and in the child at its first stop: the program cannot tell. The
 * trace keeps the program's flags (the entry registers are the program's);
 * replay clears the flag for its own clone likewise (replay_clone.c).
 */
#include "recorder.h"

#include <sched.h>
#include <sys/syscall.h>

int clone_untraced_clear(struct rec_task *t, const struct user_regs_struct *regs)
{
    uint64_t flags = record_syscall_clone_flags(t, regs);
    if (!(flags & CLONE_UNTRACED))
        return 0;
    uint64_t cleared = flags & ~(uint64_t)CLONE_UNTRACED;
    t->untraced_cleared = true;
    t->untraced_flags = flags;
    t->clone3_args = regs->orig_rax == SYS_clone3 ? regs->rdi : 0;
    if (t->clone3_args)
        return task_write_mem(&t->task, t->clone3_args, &cleared, sizeof cleared);
    struct user_regs_struct for_kernel = *regs;
    for_kernel.rdi = cleared;
    return task_set_regs(&t->task, &for_kernel);
}

int clone_untraced_restore(struct rec_task *t, struct user_regs_struct *regs)
{
    if (!t->untraced_cleared)
        return 0;
    t->untraced_cleared = false;
    if (t->clone3_args) /* the child's copy too, when it has its own memory */
        return task_write_mem(&t->task, t->clone3_args, &t->untraced_flags, sizeof t->untraced_flags);
    regs->rdi = t->untraced_flags;
    return task_set_regs(&t->task, regs);
}

void clone_untraced_inherit(struct rec_task *child, const struct rec_task *parent)
{
    child->untraced_cleared = parent->untraced_cleared;
    child->untraced_flags = parent->untraced_flags;
    child->clone3_args = parent->clone3_args;
}
