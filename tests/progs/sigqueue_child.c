/*
 * sigqueue_child.c — covers sigqueue between two recorded processes: the
 * parent queues SIGRTMIN+1 with an int value to its child, which takes it
 * with sigwaitinfo and prints si_value, si_code (SI_QUEUE) and whether si_pid
 * is its parent; then three signals queued while the child is not waiting
 * (SIGRTMIN+1 twice, SIGUSR1) are taken lowest number first, the two
 * real-time ones both, in the order sent.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static void take(const sigset_t *set)
{
    siginfo_t si;
    int s = sigwaitinfo(set, &si);
    printf("child: %s, SI_QUEUE: %s, from parent: %s, si_value %d\n",
           s == SIGUSR1 ? "SIGUSR1" : s == SIGRTMIN + 1 ? "SIGRTMIN+1" : "?",
           si.si_code == SI_QUEUE ? "yes" : "no", si.si_pid == getppid() ? "yes" : "no",
           si.si_value.sival_int);
}

int main(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGRTMIN + 1);
    /* Blocked before fork, so nothing is lost before the child waits. */
    sigprocmask(SIG_BLOCK, &set, NULL);
    int ready[2], go[2];
    if (pipe(ready) < 0 || pipe(go) < 0)
        return 1;
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char b;
        if (write(ready[1], "r", 1) != 1)
            _exit(1);
        take(&set); /* probably waiting when it comes */
        if (write(ready[1], "r", 1) != 1 || read(go[0], &b, 1) != 1)
            _exit(1);
        for (int i = 0; i < 3; i++)
            take(&set); /* all three pending */
        fflush(stdout);
        _exit(0);
    }
    char b;
    if (read(ready[0], &b, 1) != 1)
        return 1;
    union sigval v;
    v.sival_int = 1111;
    sigqueue(child, SIGRTMIN + 1, v);
    if (read(ready[0], &b, 1) != 1)
        return 1;
    v.sival_int = 2222;
    sigqueue(child, SIGRTMIN + 1, v);
    v.sival_int = 3333;
    sigqueue(child, SIGRTMIN + 1, v);
    v.sival_int = 777;
    sigqueue(child, SIGUSR1, v);
    if (write(go[1], "g", 1) != 1)
        return 1;
    int status;
    waitpid(child, &status, 0);
    printf("parent: child exited %d\n", WEXITSTATUS(status));
    return 0;
}
