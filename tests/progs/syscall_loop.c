// Many cheap syscalls: argv[1] getppid() calls (default 2000), then the
// count. tests/gdb-tests.sh records it with 150000 of them, for a --goto
// that takes the replay a while.
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 2000;
    long same = 0, first = syscall(SYS_getppid);
    for (long i = 0; i < n; i++)
        same += syscall(SYS_getppid) == first;
    printf("%ld getppid calls, %ld the same\n", n, same);
    return same == n ? 0 : 1;
}
