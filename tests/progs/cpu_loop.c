/*
 * cpu_loop.c — covers a CPU-bound stretch of ~50 million iterations with no
 * syscalls (an xorshift checksum), which the recorder may interrupt.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    uint64_t x = 88172645463325252ULL, sum = 0;
    for (long i = 0; i < 50000000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        sum += x >> 32;
    }
    printf("checksum %llu\n", (unsigned long long)sum);
    return 0;
}
