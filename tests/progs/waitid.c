/*
 * waitid.c — covers waitid: WNOHANG on a live child (si_pid 0), WEXITED|WNOWAIT
 * (the child stays waitable) then P_PID reaping its exit status, P_ALL
 * reaping a child killed by SIGTERM (CLD_KILLED), and ECHILD when none is left.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *code_name(int code)
{
    switch (code) {
    case CLD_EXITED: return "CLD_EXITED";
    case CLD_KILLED: return "CLD_KILLED";
    case CLD_DUMPED: return "CLD_DUMPED";
    case CLD_STOPPED: return "CLD_STOPPED";
    case CLD_CONTINUED: return "CLD_CONTINUED";
    default: return "?";
    }
}

int main(void)
{
    int go[2];
    if (pipe(go) < 0)
        return 1;
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char b;
        if (read(go[0], &b, 1) != 1)
            _exit(1);
        _exit(23);
    }
    siginfo_t si;
    memset(&si, 0xff, sizeof si);
    si.si_pid = 12345;
    int r = waitid(P_PID, (id_t)child, &si, WEXITED | WNOHANG);
    printf("WNOHANG on a live child: %d, si_pid %d\n", r, (int)si.si_pid);

    if (write(go[1], "g", 1) != 1)
        return 1;
    memset(&si, 0, sizeof si);
    r = waitid(P_PID, (id_t)child, &si, WEXITED | WNOWAIT);
    printf("WNOWAIT: %d, pid is child: %s, %s, status %d\n", r, si.si_pid == child ? "yes" : "no",
           code_name(si.si_code), si.si_status);
    memset(&si, 0, sizeof si);
    r = waitid(P_PID, (id_t)child, &si, WEXITED);
    printf("reaped: %d, pid is child: %s, signo %d, %s, status %d\n", r,
           si.si_pid == child ? "yes" : "no", si.si_signo, code_name(si.si_code), si.si_status);

    fflush(stdout);
    pid_t victim = fork();
    if (victim == 0) {
        for (;;)
            pause();
    }
    kill(victim, SIGTERM);
    memset(&si, 0, sizeof si);
    r = waitid(P_ALL, 0, &si, WEXITED);
    printf("P_ALL: %d, pid is victim: %s, %s, signal %d\n", r, si.si_pid == victim ? "yes" : "no",
           code_name(si.si_code), si.si_status);

    errno = 0;
    r = waitid(P_ALL, 0, &si, WEXITED);
    printf("no child left: %d (%s)\n", r, strerror(errno));
    return 0;
}
