/*
 * mmap_past_eof.c — covers a file mapping longer than its file: the bytes
 * after EOF in the last page read as zeros, and touching a page wholly past
 * EOF raises SIGBUS (caught, the handler jumps out); then the file grows
 * (ftruncate) and the same page reads fine.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf out;

static void on_bus(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    printf("caught signal %d code %d\n", sig, si->si_code);
    siglongjmp(out, 1);
}

int main(void)
{
    size_t pg = 4096;
    int fd = open("short.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, "short file", 10) != 10)
        return 1;
    volatile char *map = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED)
        return 1;
    printf("first bytes: %.10s, after EOF: %d\n", (const char *)map, map[100]);
    struct sigaction sa = {.sa_sigaction = on_bus, .sa_flags = SA_SIGINFO};
    sigaction(SIGBUS, &sa, NULL);
    if (sigsetjmp(out, 1) == 0) {
        char c = map[2 * pg + 5];
        printf("no SIGBUS?! read %d\n", c);
    }
    if (ftruncate(fd, 3 * pg))
        return 1;
    map[2 * pg + 5] = 'q';
    printf("after growing: %c\n", map[2 * pg + 5]);
    close(fd);
    unlink("short.dat");
    return 0;
}
