// A program for tests/gdb-tests.sh (AVX registers under gdb): ymm1 holds
// all ones in its 256 bits when marker() is called, where the CPU has AVX.
#include <stdio.h>

__attribute__((noinline)) void marker(void)
{
    __asm__ volatile("" ::: "memory");
}

int main(void)
{
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx")) {
        __asm__ volatile("vpcmpeqd %%xmm1, %%xmm1, %%xmm1\n\t"
                         "vinsertf128 $1, %%xmm1, %%ymm1, %%ymm1" ::: "xmm1");
        marker();
        __asm__ volatile("vzeroupper");
    }
    puts("avx done");
    return 0;
}
