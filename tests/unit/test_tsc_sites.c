/*
 * test_tsc_sites.c — libtrace/tsc_sites.h: rdtsc and rdtscp are found where
 * decoding reaches them, and not where their bytes sit inside another
 * instruction; only sections an ELF file marks executable are searched.
 * Prints PASS/FAIL lines and `N passed, M failed`.
 */
#include <stdlib.h>
#include <string.h>

#include "tsc_sites.h"
#include "unit_check.h"

static int found(const unsigned char *code, size_t len, size_t **offsets)
{
    return tsc_sites_find(code, len, offsets);
}

int main(void)
{
    size_t *offsets = NULL;
    /* nop; rdtsc; shl $32,%rdx; rdtscp; ret */
    static const unsigned char plain[] = {0x90, 0x0f, 0x31, 0x48, 0xc1, 0xe2, 0x20, 0x0f, 0x01, 0xf9, 0xc3};
    int n = found(plain, sizeof plain, &offsets);
    check(n == 2 && offsets[0] == 1 && offsets[1] == 7, "rdtsc and rdtscp found at their offsets");
    free(offsets);

    /* mov $0x12310f90,%eax (b8 90 0f 31 12): "0f 31" inside an immediate;
     * movabs $0xf9010f..., %rax: "0f 01 f9" inside one too */
    static const unsigned char inside[] = {0xb8, 0x90, 0x0f, 0x31, 0x12, 0x48, 0xb8, 0x0f, 0x01,
                                           0xf9, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc3};
    n = found(inside, sizeof inside, &offsets);
    check(n == 0 && !offsets, "the bytes inside another instruction are not a site");
    free(offsets);

    /* A site far from the start, after a long run of other instructions
     * (decoding resumes a little before it), and one at the very end. */
    unsigned char far[4096 + 2];
    for (size_t i = 0; i < 4096; i += 4)
        memcpy(far + i, (const unsigned char[]){0x48, 0x83, 0xc0, 0x01}, 4); /* add $1,%rax */
    far[4096] = 0x0f;
    far[4097] = 0x31;
    n = found(far, sizeof far, &offsets);
    check(n == 1 && offsets[0] == 4096, "a site after 4 KiB of code, at the end of the buffer");
    free(offsets);

    static const unsigned char rewritten[] = {0x90, 0xf4, 0x31, 0xf4, 0x01, 0xf9, 0xc3};
    n = found(rewritten, sizeof rewritten, &offsets);
    check(n == 2 && offsets[0] == 1 && offsets[1] == 3, "sites rewritten already are found again");
    free(offsets);

    n = found(far, 4097, &offsets); /* cut inside the rdtsc */
    check(n == 0, "half an rdtsc at the end is not a site");
    free(offsets);

    struct code_range *ranges = NULL;
    int count = tsc_sites_code_ranges("/proc/self/exe", 0, 1ull << 40, &ranges);
    int text = 0;
    for (int i = 0; i < count; i++)
        text += ranges[i].end > ranges[i].start;
    check(count > 0 && text == count, "this test's executable has executable sections");
    free(ranges);
    count = tsc_sites_code_ranges("/proc/self/exe", 0, 16, &ranges);
    check(count == 0, "a mapping of the ELF header alone holds no code");
    free(ranges);
    count = tsc_sites_code_ranges("/etc/passwd", 0, 4096, &ranges);
    check(count == -1, "a file that is not ELF says nothing");
    free(ranges);
    return unit_check_summary();
}
