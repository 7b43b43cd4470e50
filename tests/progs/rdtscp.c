/*
 * rdtscp.c — covers the rdtscp instruction: the counter and TSC_AUX (the cpu
 * number on Linux) are printed and must replay identically.
 */
#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    unsigned a, b, c, d;
    /* rdtscp is advertised in CPUID 0x80000001 edx bit 27. */
    if (!__get_cpuid(0x80000001, &a, &b, &c, &d) || !(d & (1u << 27))) {
        printf("rdtscp not supported\n");
        return 0;
    }
    uint32_t lo, hi, aux, lo2, hi2, aux2;
    __asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
    __asm__ volatile("rdtscp" : "=a"(lo2), "=d"(hi2), "=c"(aux2));
    uint64_t t1 = (uint64_t)hi << 32 | lo, t2 = (uint64_t)hi2 << 32 | lo2;
    printf("rdtscp %llu aux %u\n", (unsigned long long)t1, aux);
    printf("rdtscp %llu aux %u\n", (unsigned long long)t2, aux2);
    printf("increasing: %s\n", t1 <= t2 ? "yes" : "no");
    return 0;
}
