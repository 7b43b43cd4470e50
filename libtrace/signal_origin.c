/*
 * signal_origin.c — see signal_origin.h.
 */
#include "signal_origin.h"

bool signal_from_instruction(const siginfo_t *info)
{
    switch (info->si_signo) {
    case SIGSEGV:
    case SIGBUS:
    case SIGFPE:
    case SIGILL:
        return info->si_code > 0; /* <= 0: sent by a process (kill, tgkill, sigqueue) */
    case SIGTRAP:
        /* TRAP_BRKPT on x86 is the kernel's report of a single step over a
         * syscall, sent at the syscall's exit (user_single_step_report):
         * no instruction raises it again. */
        return info->si_code > 0 && info->si_code != TRAP_BRKPT;
    case SIGSYS:
        /* A seccomp filter's SECCOMP_RET_TRAP (or syscall user dispatch):
         * re-executing the syscall would not raise it again (replay
         * installs no filter), so it is delivered as recorded, like a sent one. */
        return false;
    default:
        return false;
    }
}

bool signal_kills_by_default(int signo)
{
    switch (signo) {
    case SIGSTOP:
    case SIGTSTP:
    case SIGTTIN:
    case SIGTTOU:
    case SIGCONT:
    case SIGCHLD:
    case SIGURG:
    case SIGWINCH:
        return false;
    default:
        return signo > 0 && signo <= SIGRTMAX;
    }
}
