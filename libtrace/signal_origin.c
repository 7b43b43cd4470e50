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
    case SIGTRAP:
    case SIGSYS:
        return info->si_code > 0; /* <= 0: sent by a process (kill, tgkill, sigqueue) */
    default:
        return false;
    }
}
