/*
 * vfork_pidfd.c — covers process file descriptors: clone3 with
 * CLONE_VFORK|CLONE_PIDFD (the parent resumes once the child execs /bin/true
 * or exits, holding a pidfd), waitid(P_PIDFD), pidfd_open on a forked child,
 * pidfd_send_signal killing it, poll on a pidfd (readable once the process
 * has exited), and CLONE_PIDFD with plain fork semantics.
 */
#define _GNU_SOURCE
#include <linux/sched.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t clone3_pidfd(uint64_t flags, int *pidfd)
{
    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = flags | CLONE_PIDFD;
    args.pidfd = (uint64_t)(uintptr_t)pidfd;
    args.exit_signal = SIGCHLD;
    return (pid_t)syscall(SYS_clone3, &args, sizeof args);
}

static void report(const char *what, int pidfd)
{
    siginfo_t si;
    memset(&si, 0, sizeof si);
    int r = waitid(P_PIDFD, (id_t)pidfd, &si, WEXITED);
    printf("%s: waitid %d code %s status %d\n", what, r,
           si.si_code == CLD_EXITED ? "exited" : si.si_code == CLD_KILLED ? "killed" : "other", si.si_status);
    close(pidfd);
}

int main(void)
{
    int pidfd = -1;
    pid_t pid = clone3_pidfd(CLONE_VFORK, &pidfd);
    if (pid == 0) {
        execl("/bin/true", "true", (char *)NULL);
        _exit(127);
    }
    if (pid < 0) {
        perror("clone3");
        return 1;
    }
    report("vfork+exec", pidfd);

    pid = clone3_pidfd(CLONE_VFORK, &pidfd);
    if (pid == 0)
        _exit(7);
    report("vfork+exit", pidfd);

    pid = clone3_pidfd(0, &pidfd);
    if (pid == 0)
        _exit(9);
    struct pollfd p = {.fd = pidfd, .events = POLLIN};
    int n = poll(&p, 1, 5000);
    printf("poll on pidfd: %d revents %#x\n", n, p.revents);
    report("fork", pidfd);

    pid = fork();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    int r = (int)syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
    printf("pidfd_send_signal: %d\n", r);
    report("pidfd_open", pidfd);
    return 0;
}
