// rrdb-test: replays 5
/*
 * ptrace_async_signal.c — covers an asynchronous signal that stops a traced
 * task while it runs user code: the child, traced by its parent, arms a
 * timer (setitimer, 10 ms) and counts in a loop without syscalls until its
 * SIGALRM handler says stop. The timer's SIGALRM stops it somewhere in the
 * loop for its tracer, which reads where (GETREGS) and passes the signal
 * on. Then the parent sends it a SIGUSR1 from outside (it runs user code
 * again), which the tracer suppresses; the child exits with what it counted.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/time.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_alarm(int signo)
{
    (void)signo;
    stop = 1;
}

static int child(void)
{
    signal(SIGALRM, on_alarm);
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    raise(SIGSTOP);
    struct itimerval once = {{0, 0}, {0, 10 * 1000}};
    setitimer(ITIMER_REAL, &once, NULL);
    unsigned long count = 0;
    while (!stop)
        count++;
    stop = 0;
    for (unsigned long i = 0; i < 100000000 && !stop; i++)
        count++;
    printf("child: counted %s\n", count > 0 ? "on" : "nothing");
    return 0;
}

int main(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        return child();
    int status;
    if (waitpid(pid, &status, 0) != pid || ptrace(PTRACE_CONT, pid, 0, 0) < 0)
        return 1;
    int stops = 0;
    for (;;) {
        if (waitpid(pid, &status, 0) != pid)
            return 2;
        if (!WIFSTOPPED(status))
            break;
        struct user_regs_struct regs;
        if (ptrace(PTRACE_GETREGS, pid, 0, &regs) < 0)
            return 3;
        int signo = WSTOPSIG(status);
        printf("tracer: stop %d: signal %d\n", ++stops, signo);
        fflush(stdout);
        if (ptrace(PTRACE_CONT, pid, 0, signo == SIGALRM ? SIGALRM : 0) < 0)
            return 4;
        if (signo == SIGALRM) {
            usleep(20 * 1000); /* the child counts on meanwhile */
            kill(pid, SIGUSR1);
        }
    }
    printf("tracer: child exited %d after %d stops\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1, stops);
    return 0;
}
