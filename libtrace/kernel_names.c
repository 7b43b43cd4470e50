/*
 * kernel_names.c — errno, signal and si_code names (see kernel_names.h).
 *
 * The ordinary errno and signal names come from glibc (strerrorname_np,
 * sigabbrev_np), so they are the names the C library of this machine knows.
 * A recorded result can also hold one of the kernel-internal codes above 511
 * (a syscall interrupted by a signal stops with -ERESTARTSYS at its exit), which
 * glibc does not name; they are listed here.
 */
#include "kernel_names.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define KERNEL_SIGRTMIN 32
#define KERNEL_NSIG 64
#define ERRNO_MAX 4095

static const struct {
    int number;
    const char *name;
} internal_errnos[] = {
    {512, "ERESTARTSYS"}, {513, "ERESTARTNOINTR"}, {514, "ERESTARTNOHAND"},
    {515, "ENOIOCTLCMD"}, {516, "ERESTART_RESTARTBLOCK"}, {517, "EPROBE_DEFER"},
    {518, "EOPENSTALE"}, {519, "ENOPARAM"}, {521, "EBADHANDLE"}, {522, "ENOTSYNC"},
    {523, "EBADCOOKIE"}, {524, "ENOTSUPP"}, {525, "ETOOSMALL"}, {526, "ESERVERFAULT"},
    {527, "EBADTYPE"}, {528, "EJUKEBOX"}, {529, "EIOCBQUEUED"}, {530, "ERECALLCONFLICT"},
};

/* Second names of the same number, accepted in queries. */
static const struct {
    const char *alias;
    const char *name;
} errno_aliases[] = {
    {"EWOULDBLOCK", "EAGAIN"}, {"EDEADLOCK", "EDEADLK"}, {"ENOTSUP", "EOPNOTSUPP"},
};

const char *errno_name(int err)
{
    if (err <= 0 || err > ERRNO_MAX)
        return NULL;
    for (size_t i = 0; i < sizeof internal_errnos / sizeof internal_errnos[0]; i++)
        if (internal_errnos[i].number == err)
            return internal_errnos[i].name;
    return strerrorname_np(err);
}

int errno_from_name(const char *name)
{
    for (size_t i = 0; i < sizeof errno_aliases / sizeof errno_aliases[0]; i++)
        if (strcasecmp(name, errno_aliases[i].alias) == 0)
            name = errno_aliases[i].name;
    for (int err = 1; err <= ERRNO_MAX; err++) {
        const char *known = errno_name(err);
        if (known && strcasecmp(known, name) == 0)
            return err;
    }
    return -1;
}

const char *signal_name(int signo, char *buf, size_t size)
{
    const char *abbrev = signo > 0 && signo < KERNEL_SIGRTMIN ? sigabbrev_np(signo) : NULL;
    if (abbrev)
        snprintf(buf, size, "SIG%s", abbrev);
    else if (signo == KERNEL_SIGRTMIN)
        snprintf(buf, size, "SIGRTMIN");
    else if (signo > KERNEL_SIGRTMIN && signo <= KERNEL_NSIG)
        snprintf(buf, size, "SIGRTMIN+%d", signo - KERNEL_SIGRTMIN);
    else
        snprintf(buf, size, "SIG%d", signo);
    return buf;
}

int signal_from_name(const char *name)
{
    const char *bare = strncasecmp(name, "SIG", 3) == 0 ? name + 3 : name;
    if (strncasecmp(bare, "RTMIN", 5) == 0) {
        if (!bare[5])
            return KERNEL_SIGRTMIN;
        char *end;
        long offset = bare[5] == '+' ? strtol(bare + 6, &end, 10) : -1;
        if (bare[5] != '+' || end == bare + 6 || *end || offset < 0 ||
            offset > KERNEL_NSIG - KERNEL_SIGRTMIN)
            return -1;
        return KERNEL_SIGRTMIN + (int)offset;
    }
    for (int signo = 1; signo < KERNEL_SIGRTMIN; signo++) {
        const char *abbrev = sigabbrev_np(signo);
        if (abbrev && strcasecmp(abbrev, bare) == 0)
            return signo;
    }
    if (strcasecmp(bare, "IOT") == 0)
        return SIGABRT;
    if (strcasecmp(bare, "IO") == 0)
        return SIGIO;
    return -1;
}

struct code_name {
    int code;
    const char *name;
};

/* si_code values shared by every signal (the sender was not the kernel's fault
 * handling), from include/uapi/asm-generic/siginfo.h. */
static const struct code_name any_codes[] = {
    {0, "SI_USER"}, {0x80, "SI_KERNEL"}, {-1, "SI_QUEUE"}, {-2, "SI_TIMER"},
    {-3, "SI_MESGQ"}, {-4, "SI_ASYNCIO"}, {-5, "SI_SIGIO"}, {-6, "SI_TKILL"},
    {-7, "SI_DETHREAD"}, {-60, "SI_ASYNCNL"},
};
static const struct code_name segv_codes[] = {
    {1, "SEGV_MAPERR"}, {2, "SEGV_ACCERR"}, {3, "SEGV_BNDERR"}, {4, "SEGV_PKUERR"},
    {5, "SEGV_ACCADI"}, {6, "SEGV_ADIDERR"}, {7, "SEGV_ADIPERR"}, {8, "SEGV_MTEAERR"},
    {9, "SEGV_MTESERR"}, {10, "SEGV_CPERR"},
};
static const struct code_name bus_codes[] = {
    {1, "BUS_ADRALN"}, {2, "BUS_ADRERR"}, {3, "BUS_OBJERR"}, {4, "BUS_MCEERR_AR"},
    {5, "BUS_MCEERR_AO"},
};
static const struct code_name ill_codes[] = {
    {1, "ILL_ILLOPC"}, {2, "ILL_ILLOPN"}, {3, "ILL_ILLADR"}, {4, "ILL_ILLTRP"},
    {5, "ILL_PRVOPC"}, {6, "ILL_PRVREG"}, {7, "ILL_COPROC"}, {8, "ILL_BADSTK"},
    {9, "ILL_BADIADDR"},
};
static const struct code_name fpe_codes[] = {
    {1, "FPE_INTDIV"}, {2, "FPE_INTOVF"}, {3, "FPE_FLTDIV"}, {4, "FPE_FLTOVF"},
    {5, "FPE_FLTUND"}, {6, "FPE_FLTRES"}, {7, "FPE_FLTINV"}, {8, "FPE_FLTSUB"},
    {14, "FPE_FLTUNK"}, {15, "FPE_CONDTRAP"},
};
static const struct code_name trap_codes[] = {
    {1, "TRAP_BRKPT"}, {2, "TRAP_TRACE"}, {3, "TRAP_BRANCH"}, {4, "TRAP_HWBKPT"},
    {5, "TRAP_UNK"}, {6, "TRAP_PERF"},
};
static const struct code_name chld_codes[] = {
    {1, "CLD_EXITED"}, {2, "CLD_KILLED"}, {3, "CLD_DUMPED"}, {4, "CLD_TRAPPED"},
    {5, "CLD_STOPPED"}, {6, "CLD_CONTINUED"},
};
static const struct code_name poll_codes[] = {
    {1, "POLL_IN"}, {2, "POLL_OUT"}, {3, "POLL_MSG"}, {4, "POLL_ERR"}, {5, "POLL_PRI"},
    {6, "POLL_HUP"},
};
static const struct code_name sys_codes[] = {{1, "SYS_SECCOMP"}, {2, "SYS_USER_DISPATCH"}};

#define CODES(array) array, sizeof array / sizeof array[0]

static const char *find_code(const struct code_name *codes, size_t count, int code)
{
    for (size_t i = 0; i < count; i++)
        if (codes[i].code == code)
            return codes[i].name;
    return NULL;
}

const char *signal_code_name(int signo, int code)
{
    /* Signal-specific codes are positive and below SI_KERNEL; the rest are
     * the shared ones (kill, sigqueue, tkill, timers). */
    if (code > 0 && code < 0x80) {
        switch (signo) {
        case SIGSEGV: return find_code(CODES(segv_codes), code);
        case SIGBUS: return find_code(CODES(bus_codes), code);
        case SIGILL: return find_code(CODES(ill_codes), code);
        case SIGFPE: return find_code(CODES(fpe_codes), code);
        case SIGTRAP: return find_code(CODES(trap_codes), code);
        case SIGCHLD: return find_code(CODES(chld_codes), code);
        case SIGIO: return find_code(CODES(poll_codes), code);
        case SIGSYS: return find_code(CODES(sys_codes), code);
        default: return NULL;
        }
    }
    return find_code(CODES(any_codes), code);
}
