/*
 * sysinfo_rlimit.c — covers sysinfo, getrlimit/prlimit64 for a few resources,
 * setrlimit lowering a soft limit, and sysconf values derived from them.
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <unistd.h>

int main(void)
{
    struct sysinfo si;
    int rc = sysinfo(&si);
    printf("sysinfo rc=%d uptime=%ld totalram=%lu freeram=%lu procs=%u unit=%u\n",
           rc, si.uptime, si.totalram, si.freeram, si.procs, si.mem_unit);
    int res[] = {RLIMIT_NOFILE, RLIMIT_STACK, RLIMIT_CORE, RLIMIT_AS};
    const char *names[] = {"NOFILE", "STACK", "CORE", "AS"};
    for (int i = 0; i < 4; i++) {
        struct rlimit rl;
        rc = getrlimit(res[i], &rl);
        printf("%-6s rc=%d cur=%lld max=%lld\n", names[i], rc,
               (long long)rl.rlim_cur, (long long)rl.rlim_max);
    }
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_cur > 64 ? 64 : rl.rlim_cur;
    printf("setrlimit NOFILE cur=64: %d\n", setrlimit(RLIMIT_NOFILE, &rl));
    printf("sysconf OPEN_MAX=%ld NPROCESSORS_ONLN=%ld PAGESIZE=%ld\n",
           sysconf(_SC_OPEN_MAX), sysconf(_SC_NPROCESSORS_ONLN), sysconf(_SC_PAGESIZE));
    return 0;
}
