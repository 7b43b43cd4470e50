/*
 * proc_self_status.c — covers reading /proc/self/status and /proc/self/stat
 * (kernel-generated text, different every run): fields parsed from them are
 * compared with getpid, getppid and the thread count, and the name printed.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    char name[64] = "", line[256];
    long pid = -1, ppid = -1, threads = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return 1;
    int lines = 0;
    while (fgets(line, sizeof line, f)) {
        lines++;
        sscanf(line, "Name:\t%63s", name);
        sscanf(line, "Pid:\t%ld", &pid);
        sscanf(line, "PPid:\t%ld", &ppid);
        sscanf(line, "Threads:\t%ld", &threads);
    }
    fclose(f);
    printf("status: %s lines, Name %s, Pid is getpid: %s, PPid is getppid: %s, Threads %ld\n",
           lines > 20 ? "many" : "few", name, pid == getpid() ? "yes" : "no",
           ppid == getppid() ? "yes" : "no", threads);

    f = fopen("/proc/self/stat", "r");
    if (!f)
        return 1;
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    long spid = -1, sppid = -1;
    char comm[64] = "", state = '?';
    /* pid (comm) state ppid ... ; comm has no spaces here */
    sscanf(buf, "%ld (%63[^)]) %c %ld", &spid, comm, &state, &sppid);
    printf("stat: pid is getpid: %s, comm %s, state %c, ppid is getppid: %s\n",
           spid == getpid() ? "yes" : "no", comm, state, sppid == getppid() ? "yes" : "no");
    return 0;
}
