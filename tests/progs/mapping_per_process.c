/*
 * mapping_per_process.c — covers a forked child whose address space parts
 * from its parent's: after the fork the child maps one file read-only at an
 * address, then the parent maps another file at the same address, and each
 * writes what it mapped to stdout straight from its mapping. Replay must give
 * each process its own mapping; the trace readers must show each write's
 * bytes from the writer's own mapping, not from the newest mapping of any
 * process (tests/query-tests.sh and tests/diff-tests.sh check both tools).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHARED_ADDRESS ((void *)(uintptr_t)0x200000000)

static const char parent_text[] = "parent's own mapping\n";
static const char child_text[] = "child's own mapping!\n";

/* Map file `name`, holding `text`, read-only at SHARED_ADDRESS. */
static char *map_file(const char *name, const char *text)
{
    int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        return NULL;
    char *map = mmap(SHARED_ADDRESS, 4096, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
    close(fd);
    return map == MAP_FAILED ? NULL : map;
}

int main(void)
{
    int child_mapped[2], parent_mapped[2];
    char byte = 0;
    if (pipe(child_mapped) < 0 || pipe(parent_mapped) < 0)
        return 1;
    pid_t child = fork();
    if (child == 0) {
        char *map = map_file("child.dat", child_text);
        if (!map || write(child_mapped[1], "m", 1) != 1 || read(parent_mapped[0], &byte, 1) != 1)
            _exit(1);
        _exit(write(1, map, strlen(child_text)) == (ssize_t)strlen(child_text) ? 0 : 1);
    }
    if (read(child_mapped[0], &byte, 1) != 1)
        return 1;
    char *map = map_file("parent.dat", parent_text);
    if (!map || write(parent_mapped[1], "m", 1) != 1)
        return 1;
    int status = 0;
    waitpid(child, &status, 0);
    if (write(1, map, strlen(parent_text)) != (ssize_t)strlen(parent_text))
        return 1;
    unlink("child.dat");
    unlink("parent.dat");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
