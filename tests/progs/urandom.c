// rrdb-test: record-twice
/*
 * urandom.c — covers reading 64 bytes of /dev/urandom and printing them in hex.
 * Two recordings differ; each replay must print its own recording's bytes.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    unsigned char buf[64];
    int fd = open("/dev/urandom", O_RDONLY);
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    printf("read %zd bytes: ", n);
    for (ssize_t i = 0; i < n; i++)
        printf("%02x", buf[i]);
    printf("\n");
    return 0;
}
