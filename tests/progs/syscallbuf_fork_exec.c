// rrdb-test: syscall-buffer
/* A process with patched sites and buffered calls forks: the child has its
 * own copy of the buffer and the patches, makes buffered calls, then execs
 * a program (itself, with an argument), which gets the library again. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long loop(long n)
{
    long ppid = syscall(SYS_getppid), same = 0;
    for (long i = 0; i < n; i++)
        same += syscall(SYS_getppid) == ppid;
    return same;
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        printf("exec'd: %ld of 3000\n", loop(3000));
        return 0;
    }
    printf("parent before: %ld of 2000\n", loop(2000));
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        printf("child: %ld of 2000\n", loop(2000));
        fflush(stdout);
        execl("/proc/self/exe", argv[0], "again", (char *)NULL);
        return 127;
    }
    int status;
    waitpid(child, &status, 0);
    printf("parent after: %ld of 2000, child status %d\n", loop(2000), WEXITSTATUS(status));
    return 0;
}
