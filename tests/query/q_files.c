/*
 * q_files.c — tracee of tests/query-tests.sh: file operations whose results
 * the test compares with rr-query's answers. It writes a known file in three
 * writes, fails to open a missing file, reads the file back, maps it, opens
 * it again through a name built on the stack, makes five getppid syscalls
 * from its own code (not libc's), raises SIGUSR1, and prints what it saw
 * (fds, byte counts, addresses) on one line.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

__attribute__((noinline)) static long raw_getppid(void)
{
    long result;
    __asm__ volatile("syscall" : "=a"(result) : "a"((long)SYS_getppid) : "rcx", "r11", "memory");
    return result;
}

static void on_usr1(int signo)
{
    (void)signo;
}

int main(void)
{
    int fd = open("q_data.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ssize_t w1 = write(fd, "one\n", 4);
    ssize_t w2 = write(fd, "two\n", 4);
    ssize_t w3 = write(fd, "three\n", 6);
    close(fd);
    int missing = open("missing/nothing", O_RDONLY);
    int missing_errno = errno;
    int rfd = open("q_data.txt", O_RDONLY);
    static char buf[64];
    ssize_t n = read(rfd, buf, sizeof buf);
    void *map = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, rfd, 0);
    close(rfd);
    /* A path built in writable memory: known from what the recorder kept at
     * the syscall's entry (mem_read), not from read-only memory. */
    char built[32];
    snprintf(built, sizeof built, "q_%s.txt", "data");
    close(open(built, O_RDONLY));
    for (int i = 0; i < 5; i++)
        raw_getppid();
    signal(SIGUSR1, on_usr1);
    raise(SIGUSR1);
    printf("fd=%d writes=%zd,%zd,%zd missing=%d errno=%d rfd=%d read=%zd buf=%p map=%p pid=%d\n",
           fd, w1, w2, w3, missing, missing_errno, rfd, n, (void *)buf, map, (int)getpid());
    return 0;
}
