/*
 * mprotect_file_map.c — covers a file mapped read-only and made writable
 * later: the program writes the mapped bytes to stdout, makes the mapping
 * writable with mprotect, changes it, and writes it again. Replay must give
 * the changed bytes (the program's own stores, re-executed); the trace
 * readers must not show the mapping's snapshot for the second write, whose
 * bytes the trace does not hold (tests/query-tests.sh, tests/diff-tests.sh).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char text[] = "as the file has it\n";

int main(void)
{
    int fd = open("mprotect.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        return 1;
    char *map = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    unlink("mprotect.dat");
    if (map == MAP_FAILED || write(1, map, strlen(text)) != (ssize_t)strlen(text))
        return 1;
    if (mprotect(map, 4096, PROT_READ | PROT_WRITE) < 0)
        return 1;
    memcpy(map, "CHANGED", 7);
    if (write(1, map, strlen(text)) != (ssize_t)strlen(text))
        return 1;
    return 0;
}
