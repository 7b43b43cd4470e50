// rrdb-test: syscall-buffer
/* Calls the syscall buffer answers in the process (getpid, getppid, gettid),
 * made through glibc's syscall() and its own wrappers, many times each: the
 * recording must keep them as ordinary syscall events (checked by the
 * runner for programs marked syscall-buffer), and the replay must answer
 * them, in order, with the recorded results. */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    long pid = getpid(), ppid = syscall(SYS_getppid), same = 0;
    for (int i = 0; i < 5000; i++) {
        same += syscall(SYS_getppid) == ppid;
        same += getpid() == pid;
        same += gettid() == pid;
        if (i % 1000 == 0)
            printf("round %d\n", i); /* a traced call between runs of buffered ones */
    }
    printf("consistent: %ld of 15000\n", same);
    return same == 15000 ? 0 : 1;
}
