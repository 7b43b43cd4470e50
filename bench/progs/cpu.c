/* CPU-bound workload: pure arithmetic, no syscalls in the loop. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 500000000ULL;
    uint64_t x = 88172645463325252ULL, sum = 0;
    for (uint64_t i = 0; i < n; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;   /* xorshift64 */
        sum += x * (i | 1);
        sum ^= sum >> 29;
    }
    printf("checksum: %016llx\n", (unsigned long long)sum);
    return 0;
}
