/*
 * mprotect.c — covers mprotect: a read-only anonymous mapping made writable and
 * then written, and made read-only again (checked with a SIGSEGV handler).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static sigjmp_buf env;

static void on_segv(int sig)
{
    (void)sig;
    siglongjmp(env, 1);
}

int main(void)
{
    char *p = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 1;
    printf("mprotect rw: %d\n", mprotect(p, 8192, PROT_READ | PROT_WRITE));
    strcpy(p, "written after mprotect");
    strcpy(p + 4096, "second page");
    printf("%s / %s\n", p, p + 4096);
    printf("mprotect first page ro: %d\n", mprotect(p, 4096, PROT_READ));
    signal(SIGSEGV, on_segv);
    if (sigsetjmp(env, 1) == 0) {
        ((volatile char *)p)[0] = 'X';
        printf("write to read-only page succeeded?!\n");
    } else {
        printf("write to read-only page faulted, still: %s\n", p);
    }
    p[4096] = 'S';
    printf("second page still writable: %s\n", p + 4096);
    munmap(p, 8192);
    return 0;
}
