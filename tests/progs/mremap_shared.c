/*
 * mremap_shared.c — covers mremap beyond mremap.c: a length that is not a
 * multiple of the page size (grown in place, then shrunk), a mapping moved
 * to a chosen address (MREMAP_FIXED), a MAP_SHARED anonymous mapping grown
 * by moving while a child shares it (the child's stores are seen through the
 * moved mapping), and a shared mapping duplicated with old size 0.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    size_t pg = 4096;
    char *p = mmap(NULL, 8 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 1;
    munmap(p + pg, 7 * pg); /* room to grow in place */
    strcpy(p + 100, "odd length");
    char *q = mremap(p, 100 + 1, 2 * pg + 7, 0);
    if (q == MAP_FAILED)
        return 1;
    printf("grown in place: %s %s\n", q == p ? "same" : "moved", q + 100);
    q[2 * pg + 6] = 'z';
    q = mremap(q, 2 * pg + 7, pg - 3, 0);
    printf("shrunk: %s\n", q + 100);

    char *target = mmap(NULL, 4 * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *moved = mremap(q, pg, pg, MREMAP_MAYMOVE | MREMAP_FIXED, target + pg);
    printf("moved to target: %s %s\n", moved == target + pg ? "yes" : "no", moved + 100);

    char *s = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    strcpy(s, "shared start");
    int go[2], done[2];
    if (s == MAP_FAILED || pipe(go) || pipe(done))
        return 1;
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        if (read(go[0], &c, 1) != 1)
            _exit(1);
        strcpy(s + 10, "child wrote");
        _exit(write(done[1], "x", 1) == 1 ? 0 : 1);
    }
    char *dup = mremap(s, 0, pg, MREMAP_MAYMOVE);
    char *grown = mremap(s, pg, 3 * pg, MREMAP_MAYMOVE);
    if (dup == MAP_FAILED || grown == MAP_FAILED)
        return 1;
    /* the shared object stays one page long: touching grown[pg] would be SIGBUS */
    char c;
    if (write(go[1], "x", 1) != 1 || read(done[0], &c, 1) != 1)
        return 1;
    printf("parent sees through the moved mapping: %s\n", grown);
    printf("and through the duplicate: %s\n", dup);
    int status;
    waitpid(pid, &status, 0);
    printf("child exited %d\n", WEXITSTATUS(status));
    return 0;
}
