/*
 * sigtimedwait.c — covers sigtimedwait: a blocked SIGUSR1 already pending is
 * taken at once with its siginfo (SI_USER, our pid), a 20 ms timeout with
 * nothing pending fails EAGAIN, and a SIGUSR2 sent by a child process arrives
 * while the parent waits in sigtimedwait (si_pid is the child).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);

    kill(getpid(), SIGUSR1);
    siginfo_t si;
    struct timespec ts = {1, 0};
    int s = sigtimedwait(&set, &si, &ts);
    printf("pending: %d (%s), SI_USER: %s, from us: %s\n", s, s > 0 ? strsignal(s) : "-",
           si.si_code == SI_USER ? "yes" : "no", si.si_pid == getpid() ? "yes" : "no");

    struct timespec short_ts = {0, 20 * 1000 * 1000};
    errno = 0;
    s = sigtimedwait(&set, &si, &short_ts);
    printf("nothing pending, 20 ms: %d (%s)\n", s, strerror(errno));

    fflush(stdout);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        struct timespec d = {0, 10 * 1000 * 1000};
        nanosleep(&d, NULL);
        kill(parent, SIGUSR2);
        _exit(0);
    }
    struct timespec long_ts = {10, 0};
    s = sigtimedwait(&set, &si, &long_ts);
    printf("from the child: %d (%s), si_pid is the child: %s\n", s, s > 0 ? strsignal(s) : "-",
           si.si_pid == child ? "yes" : "no");
    waitpid(child, NULL, 0);
    return 0;
}
