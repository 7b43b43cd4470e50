/* cpu_choice.c — which CPU a recording runs on.
 *
 * The recorder and its program share one CPU (record_session.c says why),
 * and the replay later runs on the CPU the trace names (the vDSO's getcpu
 * reads the CPU number with instructions that cannot be trapped). Left to
 * itself the recorder takes the allowed CPU that was idle the longest over a
 * short sample of /proc/stat, so that recordings started side by side (a
 * parallel test run, two recorders of one nested run) spread over the CPUs
 * instead of piling onto the first. `rr-record --cpu N` chooses by hand. */
#include "cpu_choice.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"

enum { CPU_SAMPLE_NS = 20 * 1000 * 1000 };

/* Idle plus iowait ticks of every CPU, indexed by CPU number; -1 where
 * /proc/stat has no line for it. */
static int read_idle_ticks(long long *idle, int count)
{
    for (int i = 0; i < count; i++)
        idle[i] = -1;
    FILE *stat = fopen("/proc/stat", "r");
    if (!stat)
        return -1;
    char line[512];
    while (fgets(line, sizeof line, stat)) {
        int cpu;
        long long user, nice, system, idle_ticks, iowait;
        if (sscanf(line, "cpu%d %lld %lld %lld %lld %lld", &cpu, &user, &nice, &system, &idle_ticks, &iowait) == 6 &&
            cpu >= 0 && cpu < count)
            idle[cpu] = idle_ticks + iowait;
    }
    fclose(stat);
    return 0;
}

int cpu_choice_least_busy(void)
{
    cpu_set_t allowed;
    int first = -1;
    if (sched_getaffinity(0, sizeof allowed, &allowed) < 0)
        return 0;
    for (int cpu = 0; cpu < CPU_SETSIZE && first < 0; cpu++)
        if (CPU_ISSET(cpu, &allowed))
            first = cpu;
    if (first < 0 || CPU_COUNT(&allowed) == 1)
        return first < 0 ? 0 : first;
    static long long before[CPU_SETSIZE], after[CPU_SETSIZE];
    if (read_idle_ticks(before, CPU_SETSIZE) < 0)
        return first;
    struct timespec pause = {0, CPU_SAMPLE_NS};
    nanosleep(&pause, NULL);
    if (read_idle_ticks(after, CPU_SETSIZE) < 0)
        return first;
    /* Ties go to the lower number, so that on a quiet machine every run is
     * placed alike (the CPU shows in cpuid's APIC ids). */
    int best = -1;
    long long best_idle = -1;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, &allowed) || before[cpu] < 0 || after[cpu] < 0)
            continue;
        long long idle = after[cpu] - before[cpu];
        if (idle > best_idle) {
            best_idle = idle;
            best = cpu;
        }
    }
    return best < 0 ? first : best;
}

int cpu_choice_parse(const char *text, int *cpu)
{
    char *end;
    long value = strtol(text, &end, 10);
    cpu_set_t allowed;
    if (!*text || *end || value < 0 || value >= CPU_SETSIZE) {
        error_set("--cpu %s: not a CPU number", text);
        return -1;
    }
    if (sched_getaffinity(0, sizeof allowed, &allowed) == 0 && !CPU_ISSET((int)value, &allowed)) {
        error_set("--cpu %s: this process may not run on CPU %ld", text, value);
        return -1;
    }
    *cpu = (int)value;
    return 0;
}
