/*
 * stdin_read.c — covers reading stdin: the runner feeds a fixed text during
 * recording and /dev/null during replay, so replay must return the recorded
 * bytes instead of reading its own stdin.
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    char buf[4096];
    ssize_t n, total = 0;
    while ((n = read(STDIN_FILENO, buf, sizeof buf)) > 0) {
        total += n;
        if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
            return 1;
    }
    printf("read %zd bytes from stdin, last read returned %zd\n", total, n);
    return 0;
}
