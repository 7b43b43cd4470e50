/*
 * sched_getcpu.c — covers sched_yield and getcpu (the raw syscall and glibc's
 * sched_getcpu, which uses the vDSO or rseq when it can), plus
 * sched_getaffinity. The cpu numbers printed must replay identically.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    for (int i = 0; i < 3; i++)
        printf("sched_yield: %d\n", sched_yield());
    unsigned cpu = 99, node = 99;
    long rc = syscall(SYS_getcpu, &cpu, &node, NULL);
    printf("getcpu rc=%ld cpu=%u node=%u\n", rc, cpu, node);
    printf("sched_getcpu=%d\n", sched_getcpu());
    cpu_set_t set;
    CPU_ZERO(&set);
    rc = sched_getaffinity(0, sizeof set, &set);
    printf("sched_getaffinity rc=%ld count=%d\n", rc, CPU_COUNT(&set));
    return 0;
}
