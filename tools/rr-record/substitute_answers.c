/*
 * substitute_answers.c — the list of calls the recorder answered in the
 * kernel's place. Policy: what the kernel does is done and recorded; where
 * that cannot be recorded (a syscall number rrdb does not know, whose effects
 * it cannot tell; io_uring and userfaultfd, through which the kernel writes
 * the program's memory at any moment; …) the program gets what a kernel
 * without the feature would answer (ENOSYS, EINVAL), which programs have
 * fallbacks for (a seccomp supervisor listening for user notifications…).
 * That answer is recorded like any other, so replay gives it
 * again; rr-record names what it answered so in one warning line at the end.
 */
#include "substitute_answers.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "kernel_names.h"
#include "kernel_writes.h"
#include "proc_status.h"
#include "recorder.h"

/* Is fd of task t a perf event? */
static bool maps_perf_buffer(struct rec_task *t, int fd)
{
    char target[64];
    proc_fd_target(t->task.tid, fd, target, sizeof target);
    return strcmp(target, "anon_inode:[perf_event]") == 0;
}

/* seccomp(2) asking for user notification: a listener, its sizes, or
 * whether SECCOMP_RET_USER_NOTIF exists. *result: what a kernel without it says. */
static bool seccomp_user_notification(struct rec_task *t, const struct user_regs_struct *regs, int64_t *result)
{
    uint32_t action = 0;
    switch (regs->rdi) {
    case SECCOMP_SET_MODE_FILTER:
        *result = -EINVAL; /* an unknown flag */
        return regs->rsi & SECCOMP_FILTER_FLAG_NEW_LISTENER;
    case SECCOMP_GET_NOTIF_SIZES:
        *result = -EINVAL; /* an unknown operation */
        return true;
    case SECCOMP_GET_ACTION_AVAIL:
        *result = -EOPNOTSUPP; /* an unknown action */
        return task_read_mem(&t->task, regs->rdx, &action, sizeof action) == sizeof action &&
               action == SECCOMP_RET_USER_NOTIF;
    default:
        return false;
    }
}

bool substitute_answer(struct rec_task *t, const struct syscall_desc *desc, const struct user_regs_struct *regs,
                       int64_t *result, char *what, size_t size)
{
    if (!desc) {
        /* A number rrdb does not know: what it would do cannot be told, so
         * it does not run (unassigned numbers get ENOSYS from the kernel too). */
        snprintf(what, size, "syscall %lld", (long long)regs->orig_rax);
        *result = -ENOSYS;
        return true;
    }
    if (desc->replay == REPLAY_ENOSYS) {
        snprintf(what, size, "%s", desc->name);
        *result = -ENOSYS;
        return true;
    }
    if (regs->orig_rax == SYS_prctl && regs->rdi == PR_SET_MM) {
        /* PR_SET_MM rewrites what replay rebuilds: as a kernel without
         * checkpoint/restore. */
        snprintf(what, size, "prctl PR_SET_MM");
        *result = -EINVAL;
        return true;
    }
    uint64_t args[6];
    task_syscall_args(regs, args);
    /* ioctl requests whose writes cannot be described (schema/ioctls.tsv):
     * wireless extensions (Chromium asks for an ESSID), SIOCETHTOOL, legacy
     * requests no row describes */
    *result = kernel_writes_answer_instead(desc, args, what, size);
    if (*result)
        return true;
    if (regs->orig_rax == SYS_seccomp && seccomp_user_notification(t, regs, result)) {
        /* A supervisor's answers come through a descriptor the recorder
         * does not follow: as a kernel without user notification (5.0). */
        snprintf(what, size, "seccomp user notification");
        return true;
    }
    if (regs->orig_rax == SYS_mmap && !(regs->r10 & MAP_ANONYMOUS) && maps_perf_buffer(t, (int)regs->r8)) {
        /* The kernel writes a perf event's ring buffer at any moment. */
        snprintf(what, size, "mmap of a perf_event fd");
        *result = -ENODEV;
        return true;
    }
    return false;
}

void substitute_note(struct substitute_log *log, const char *what, int error)
{
    for (int i = 0; i < log->kind_count; i++) {
        if (log->kinds[i].error == error && strcmp(log->kinds[i].what, what) == 0) {
            log->kinds[i].count++;
            return;
        }
    }
    if (log->kind_count == SUBSTITUTE_KINDS) {
        log->other_count++;
        return;
    }
    snprintf(log->kinds[log->kind_count].what, sizeof log->kinds[0].what, "%s", what);
    log->kinds[log->kind_count].error = error;
    log->kinds[log->kind_count].count = 1;
    log->kind_count++;
}

void substitute_summary(const struct substitute_log *log, char *text, size_t size)
{
    size_t used = 0;
    text[0] = 0;
    if (log->kind_count == 0)
        return;
    used += (size_t)snprintf(text, size, "warning: answered in the kernel's place, as a kernel without the "
                                         "feature would:");
    long not_shown = log->other_count;
    for (int i = SUBSTITUTE_SHOWN; i < log->kind_count; i++)
        not_shown += log->kinds[i].count;
    for (int i = 0; i < log->kind_count && i < SUBSTITUTE_SHOWN && used < size; i++) {
        const char *name = errno_name(log->kinds[i].error);
        used += (size_t)snprintf(text + used, size - used, "%s %s %s", i ? "," : "", log->kinds[i].what,
                                 name ? name : "?");
        if (log->kinds[i].count > 1 && used < size)
            used += (size_t)snprintf(text + used, size - used, " (%ld times)", log->kinds[i].count);
    }
    if (not_shown && used < size)
        snprintf(text + used, size - used, ", and %ld more calls", not_shown);
}
