// A program for tests/gdb-tests.sh (gdb watchpoints on its replay): a
// global the program writes three times, and a word the kernel writes
// (read() from a pipe into it).
#include <stdio.h>
#include <unistd.h>

long total;
long word;

__attribute__((noinline)) void add(long amount)
{
    total += amount;
}

int main(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 1;
    add(1);
    if (write(fds[1], "replayed", sizeof word) != sizeof word)
        return 1;
    if (read(fds[0], &word, sizeof word) != sizeof word)
        return 1;
    add(2);
    add(3);
    printf("%.8s %ld\n", (const char *)&word, total);
    return 0;
}
