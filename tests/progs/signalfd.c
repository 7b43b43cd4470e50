/*
 * signalfd.c — covers signalfd: SIGUSR1 and SIGUSR2 blocked and read as
 * signalfd_siginfo records (two pending at once, in signal-number order), a
 * non-blocking read with nothing pending (EAGAIN), and a blocking read woken by
 * a SIGUSR1 a child process sends (ssi_pid is the child).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
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
    int fd = signalfd(-1, &set, SFD_CLOEXEC);
    if (fd < 0)
        return 1;

    raise(SIGUSR2);
    raise(SIGUSR1);
    struct signalfd_siginfo info[4];
    ssize_t n = read(fd, info, sizeof info);
    printf("read %zd bytes = %zd records\n", n, n / (ssize_t)sizeof info[0]);
    for (ssize_t i = 0; i < n / (ssize_t)sizeof info[0]; i++)
        printf("  signal %s, code SI_TKILL: %s, from us: %s\n", strsignal((int)info[i].ssi_signo),
               info[i].ssi_code == SI_TKILL ? "yes" : "no",
               info[i].ssi_pid == (unsigned)getpid() ? "yes" : "no");

    int flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    errno = 0;
    n = read(fd, info, sizeof info);
    printf("nothing pending: %zd (%s)\n", n, strerror(errno));
    fcntl(fd, F_SETFL, flags);

    fflush(stdout);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        struct timespec d = {0, 10 * 1000 * 1000};
        nanosleep(&d, NULL);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    n = read(fd, info, sizeof info);
    printf("blocking read: %zd bytes, signal %s, SI_USER: %s, from the child: %s\n", n,
           strsignal((int)info[0].ssi_signo), info[0].ssi_code == SI_USER ? "yes" : "no",
           info[0].ssi_pid == (unsigned)child ? "yes" : "no");
    waitpid(child, NULL, 0);
    close(fd);
    return 0;
}
