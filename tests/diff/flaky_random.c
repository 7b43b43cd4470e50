/* flaky_random.c — tosses a coin with bytes from /dev/urandom, so two runs
 * differ first in the bytes read() put into the program (rr-diff tests).
 * 16 bytes, so that two runs reading the same ones is out of the question. */
#include <fcntl.h>
#include <unistd.h>

int main(void)
{
    unsigned char bytes[16] = {0};
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd < 0 || read(fd, bytes, sizeof bytes) != (ssize_t)sizeof bytes)
        return 1;
    close(fd);
    if (bytes[0] & 1)
        return write(1, "heads\n", 6) == 6 ? 0 : 1;
    return write(1, "tails\n", 6) == 6 ? 0 : 1;
}
