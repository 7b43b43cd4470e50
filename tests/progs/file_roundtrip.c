/*
 * file_roundtrip.c — covers writing a 1 MiB file in chunks through stdio, then
 * reading it back in odd-sized reads and checking every byte. The file is left
 * behind (the runner removes it before replay; replay must not recreate it).
 */
#include <stdio.h>

int main(void)
{
    FILE *f = fopen("roundtrip.dat", "wb");
    if (!f)
        return 1;
    for (unsigned i = 0; i < (1u << 20); i++)
        fputc((int)((i * 2654435761u) >> 24), f);
    fclose(f);

    f = fopen("roundtrip.dat", "rb");
    if (!f)
        return 1;
    unsigned char buf[1000];
    size_t n, total = 0, bad = 0;
    unsigned long sum = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        for (size_t i = 0; i < n; i++, total++) {
            bad += buf[i] != (unsigned char)(((unsigned)total * 2654435761u) >> 24);
            sum += buf[i];
        }
    }
    fclose(f);
    printf("read back %zu bytes, %zu mismatches, sum %lu\n", total, bad, sum);
    return 0;
}
