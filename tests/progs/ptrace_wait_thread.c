// rrdb-test: replays 5
/*
 * ptrace_wait_thread.c — covers a tracer process whose waits are made by a
 * thread other than the one that attached: the main thread attaches to its
 * child (PTRACE_ATTACH) and is its tracer, so only it may resume the child
 * (the other thread's PTRACE_CONT gets ESRCH); a second thread waits for
 * the child's stops and its exit, as the kernel lets any thread of the
 * tracer's process do.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t child_pid;
static int stopped[2], resumed[2];

static void *waiter(void *arg)
{
    (void)arg;
    int status;
    pid_t got = waitpid(child_pid, &status, 0);
    long cont = ptrace(PTRACE_CONT, child_pid, 0, 0);
    printf("waiter: child %s by %d; its PTRACE_CONT: %s\n", got == child_pid && WIFSTOPPED(status) ? "stopped" : "?",
           WSTOPSIG(status), cont < 0 ? strerror(errno) : "done");
    fflush(stdout);
    if (write(stopped[1], "s", 1) != 1)
        return NULL;
    char byte;
    if (read(resumed[0], &byte, 1) != 1)
        return NULL;
    got = waitpid(child_pid, &status, 0);
    printf("waiter: child %s %d\n", got == child_pid && WIFEXITED(status) ? "exited" : "?", WEXITSTATUS(status));
    return NULL;
}

int main(void)
{
    int go[2];
    if (pipe(go) < 0 || pipe(stopped) < 0 || pipe(resumed) < 0)
        return 1;
    fflush(stdout);
    child_pid = fork();
    if (child_pid == 0) {
        char text[16] = "";
        ssize_t n = read(go[0], text, sizeof text - 1);
        printf("child: read %zd bytes: %s\n", n, text);
        return 9;
    }
    if (ptrace(PTRACE_ATTACH, child_pid, 0, 0) < 0)
        return 2;
    pthread_t thread;
    if (pthread_create(&thread, NULL, waiter, NULL) != 0)
        return 3;
    char byte;
    if (read(stopped[0], &byte, 1) != 1 || ptrace(PTRACE_CONT, child_pid, 0, 0) < 0)
        return 4;
    printf("tracer: resumed the child\n");
    fflush(stdout);
    if (write(resumed[1], "r", 1) != 1 || write(go[1], "hello", 5) != 5 || pthread_join(thread, NULL) != 0)
        return 5;
    return 0;
}
