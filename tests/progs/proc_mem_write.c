/*
 * proc_mem_write.c — covers writes into process memory through
 * /proc/PID/mem with lseek and write (a child's memory) and through
 * /proc/self/mem with pwrite (its own): the child prints what its parent
 * wrote into it, the parent what it wrote into itself.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char message[32] = "not written";

int main(void)
{
    int go[2], done[2];
    if (pipe(go) < 0 || pipe(done) < 0)
        return 1;
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char byte;
        if (write(done[1], "r", 1) != 1 || read(go[0], &byte, 1) != 1)
            return 1;
        printf("child sees: %s\n", message);
        return 0;
    }
    char byte, path[64];
    if (read(done[0], &byte, 1) != 1)
        return 1;
    snprintf(path, sizeof path, "/proc/%d/mem", (int)child);
    int mem = open(path, O_RDWR);
    const char text[] = "written by the parent";
    if (mem < 0 || lseek(mem, (off_t)(unsigned long)message, SEEK_SET) < 0 ||
        write(mem, text, sizeof text) != (ssize_t)sizeof text)
        return 2;
    close(mem);
    int self = open("/proc/self/mem", O_RDWR);
    const char mine[] = "written through /proc/self/mem";
    if (self < 0 || pwrite(self, mine, sizeof mine, (off_t)(unsigned long)message) != (ssize_t)sizeof mine)
        return 3;
    close(self);
    printf("parent sees: %s\n", message);
    fflush(stdout);
    if (write(go[1], "g", 1) != 1)
        return 4;
    int status;
    waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
