// rrdb-test: faulting-hides : present
/*
 * cpuid.c — covers the cpuid instruction: leaf 0 (vendor), leaf 1 (eax, ecx;
 * rdrand is ecx bit 30) and leaf 7 (rdseed is ebx bit 18). The recorder must
 * report rdrand and rdseed as absent where it traps cpuid, because their
 * results cannot be trapped; the runner checks that on CPUs with CPUID faulting.
 */
#include <cpuid.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    unsigned a, b, c, d;
    char vendor[13];
    __cpuid(0, a, b, c, d);
    memcpy(vendor, &b, 4);
    memcpy(vendor + 4, &d, 4);
    memcpy(vendor + 8, &c, 4);
    vendor[12] = 0;
    unsigned max_leaf = a;
    printf("leaf 0: max leaf %u vendor %s\n", max_leaf, vendor);
    __cpuid(1, a, b, c, d);
    printf("leaf 1: eax %#x ecx %#x\n", a, c);
    printf("rdrand (leaf 1 ecx bit 30): %s\n", c & (1u << 30) ? "present" : "absent");
    if (max_leaf >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        printf("leaf 7: ebx %#x\n", b);
        printf("rdseed (leaf 7 ebx bit 18): %s\n", b & (1u << 18) ? "present" : "absent");
    } else {
        printf("rdseed (leaf 7 ebx bit 18): absent (no leaf 7)\n");
    }
    /* Visible bits are reported, not fatal: without CPUID faulting (see
     * README) cpuid is not trapped. The runner checks them where it is. */
    return 0;
}
