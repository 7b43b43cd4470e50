// rrdb-test: record-twice
// rrdb-test: nested
/*
 * getrandom.c — covers the getrandom syscall (and getentropy built on it),
 * printing the bytes in hex.
 */
#include <stdio.h>
#include <sys/random.h>
#include <unistd.h>

int main(void)
{
    unsigned char buf[32], buf2[16];
    ssize_t n = getrandom(buf, sizeof buf, 0);
    int rc = getentropy(buf2, sizeof buf2);
    printf("getrandom %zd: ", n);
    for (int i = 0; i < (int)sizeof buf; i++)
        printf("%02x", buf[i]);
    printf("\ngetentropy %d: ", rc);
    for (int i = 0; i < (int)sizeof buf2; i++)
        printf("%02x", buf2[i]);
    printf("\n");
    return 0;
}
