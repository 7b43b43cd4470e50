/* flaky_file.c — copies input.txt to stdout, so runs over different file
 * contents differ first in the bytes read() put into the program (rr-diff
 * tests). */
#include <fcntl.h>
#include <unistd.h>

int main(void)
{
    char buffer[256];
    int fd = open("input.txt", O_RDONLY);
    if (fd < 0)
        return 1;
    ssize_t n = read(fd, buffer, sizeof buffer);
    close(fd);
    if (n < 0 || write(1, buffer, (size_t)n) != n)
        return 1;
    return 0;
}
