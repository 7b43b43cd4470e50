// rrdb-test: record-twice
// rrdb-test: nested
// rrdb-test: nested-diff
/*
 * rdtsc.c — covers the rdtsc instruction (inline asm): values are printed and
 * must replay identically; they must also increase.
 */
#include <stdint.h>
#include <stdio.h>

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

int main(void)
{
    uint64_t a = rdtsc();
    uint64_t b = rdtsc();
    volatile unsigned x = 0;
    for (int i = 0; i < 100000; i++)
        x += i;
    uint64_t c = rdtsc();
    printf("tsc %llu %llu %llu\n", (unsigned long long)a, (unsigned long long)b,
           (unsigned long long)c);
    printf("increasing: %s\n", a <= b && b <= c ? "yes" : "no");
    return 0;
}
