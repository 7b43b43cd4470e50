/*
 * passed_output.c — covers output that never passes through the program's
 * memory: copy_file_range and sendfile from input.txt straight to stdout
 * (what `cat FILE` does). The replay must still show it.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/sendfile.h>
#include <unistd.h>

int main(void)
{
    int fd = open("input.txt", O_RDONLY);
    if (fd < 0) {
        perror("input.txt");
        return 1;
    }
    printf("copy_file_range:\n");
    fflush(stdout);
    ssize_t copied = copy_file_range(fd, NULL, STDOUT_FILENO, NULL, 1 << 20, 0);
    off_t offset = 0;
    printf("copied %zd\nsendfile from offset 0:\n", copied);
    fflush(stdout);
    ssize_t sent = sendfile(STDOUT_FILENO, fd, &offset, 1 << 20);
    printf("sent %zd, offset now %lld\n", sent, (long long)offset);
    close(fd);
    return 0;
}
