/*
 * pid_namespace.c — covers pid namespaces: unshare(CLONE_NEWPID) puts the
 * next child in a new namespace, where it is pid 1, its own child pid 2 and
 * that one's thread tid 3 (what fork returns, getpid, gettid, getppid,
 * wait4 and the tid glibc keeps, written by CLONE_CHILD_SETTID, all say so);
 * clone(CLONE_NEWPID) makes a pid 1 directly. Outside, the parent knows its
 * child by its pid in the parent's namespace. Without the privilege (no
 * root, no user namespaces) it says so and checks nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void expect(const char *what, long seen, long wanted)
{
    printf("%s: %ld%s\n", what, seen, seen == wanted ? "" : " (unexpected)");
    failures += seen != wanted;
}

static void *thread_main(void *arg)
{
    expect("grandchild's thread: gettid", syscall(SYS_gettid), 3);
    return arg;
}

static void grandchild(void)
{
    expect("grandchild: getpid", getpid(), 2);
    expect("grandchild: getppid", getppid(), 1);
    pthread_t thread;
    pthread_create(&thread, NULL, thread_main, NULL);
    pthread_join(thread, NULL);
    fflush(stdout);
    _exit(failures ? 1 : 5);
}

/* pid 1 of the new namespace */
static int first_in_namespace(void)
{
    expect("child: getpid", getpid(), 1);
    expect("child: getppid", getppid(), 0); /* its parent is outside */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        grandchild();
    expect("child: fork returned", pid, 2);
    int status;
    expect("child: wait4 returned", waitpid(-1, &status, 0), 2);
    expect("child: grandchild's status", WEXITSTATUS(status), 5);
    fflush(stdout);
    return failures ? 1 : 0;
}

static char clone_stack[64 * 1024] __attribute__((aligned(16)));

static int cloned(void *arg)
{
    expect("cloned: getpid", getpid(), 1);
    fflush(stdout);
    return arg ? 0 : 1;
}

int main(void)
{
    int status;
    pid_t direct = clone(cloned, clone_stack + sizeof clone_stack, CLONE_NEWPID | SIGCHLD, &status);
    if (direct < 0 && errno == EPERM) {
        printf("no pid namespace here: %s\n", strerror(errno));
        return 0;
    }
    expect("parent: wait4 for the cloned pid 1", waitpid(direct, &status, 0), direct);
    expect("parent: its status", status, 0);

    if (unshare(CLONE_NEWPID) != 0) {
        printf("unshare(CLONE_NEWPID): %s\n", strerror(errno));
        return 1;
    }
    expect("parent after unshare: getpid is unchanged", getpid() == (pid_t)syscall(SYS_gettid), 1);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0)
        exit(first_in_namespace());
    expect("parent: wait4 returns the fork's result", waitpid(child, &status, 0), child);
    expect("parent: child's status", status, 0);
    /* the namespace's init is gone: no new process may enter it */
    errno = 0;
    expect("parent: fork into a dead namespace", fork() < 0 && errno == ENOMEM, 1);
    return failures ? 1 : 0;
}
