// rrdb-test: replays 5
/*
 * ptrace_traceme_thread.c — covers PTRACE_TRACEME called by a thread that
 * is not its process's main thread: that thread alone becomes a tracee of
 * the thread that forked its process (here not the parent's main thread
 * either: the kernel's real_parent). That tracer waits for it with __WALL
 * (a thread is a clone child), follows its syscalls with PTRACE_SYSCALL,
 * changes the result of its getpid, and sees it exit; the child's main
 * thread, never traced, joins it and prints what the thread got.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static long seen_pid;

static void *traced_thread(void *arg)
{
    (void)arg;
    if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
        return NULL;
    syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGSTOP);
    seen_pid = syscall(SYS_getpid); /* the tracer makes this 4242 */
    return NULL;
}

static int child(void)
{
    pthread_t thread;
    if (pthread_create(&thread, NULL, traced_thread, NULL) != 0 || pthread_join(thread, NULL) != 0)
        return 1;
    printf("child: the traced thread's getpid said %ld\n", seen_pid);
    return 6;
}

static long tracer(void)
{
    pid_t pid = fork();
    if (pid == 0)
        exit(child());
    int status;
    pid_t thread = waitpid(-1, &status, __WALL);
    if (thread <= 0 || !WIFSTOPPED(status) || WSTOPSIG(status) != SIGSTOP)
        return 2;
    printf("tracer: a thread of the child stopped (the thread %s the child's main one)\n",
           thread == pid ? "is" : "is not");
    ptrace(PTRACE_SETOPTIONS, thread, 0, PTRACE_O_TRACESYSGOOD);
    int stops = 0;
    for (;;) {
        if (ptrace(PTRACE_SYSCALL, thread, 0, 0) < 0 || waitpid(thread, &status, __WALL) != thread)
            return 3;
        if (!WIFSTOPPED(status))
            break;
        if (WSTOPSIG(status) != (SIGTRAP | 0x80))
            continue;
        stops++;
        struct user_regs_struct regs;
        if (ptrace(PTRACE_GETREGS, thread, 0, &regs) < 0)
            return 4;
        if (regs.orig_rax == SYS_getpid && regs.rax != (unsigned long long)-38) {
            regs.rax = 4242;
            ptrace(PTRACE_SETREGS, thread, 0, &regs);
        }
    }
    printf("tracer: the thread %s after %d syscall stops\n", WIFEXITED(status) ? "exited" : "ended otherwise",
           stops);
    if (waitpid(pid, &status, 0) != pid)
        return 5;
    printf("tracer: child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}

static void *tracer_thread(void *arg)
{
    (void)arg;
    return (void *)tracer();
}

int main(void)
{
    fflush(stdout);
    pthread_t thread;
    void *result;
    if (pthread_create(&thread, NULL, tracer_thread, NULL) != 0 || pthread_join(thread, &result) != 0)
        return 1;
    return (int)(long)result;
}
