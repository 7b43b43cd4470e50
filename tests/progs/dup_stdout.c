/*
 * dup_stdout.c — covers dup, dup2 and dup3 of stdout, writes through the
 * duplicates (replay must still show them as stdout output), and stdout
 * redirected to a file and back.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void say(int fd, const char *s)
{
    if (write(fd, s, strlen(s)) < 0)
        _exit(2);
}

int main(void)
{
    int a = dup(STDOUT_FILENO);
    int b = dup2(STDOUT_FILENO, 10);
    int c = dup3(STDOUT_FILENO, 20, O_CLOEXEC);
    char line[64];
    snprintf(line, sizeof line, "dup=%d dup2=%d dup3=%d\n", a >= 3, b, c);
    say(STDOUT_FILENO, line);
    say(a, "through dup\n");
    say(b, "through dup2 (fd 10)\n");
    say(c, "through dup3 (fd 20)\n");

    /* Point fd 1 at a file, write, then restore it from the saved copy. */
    int f = open("dup.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(f, STDOUT_FILENO);
    close(f);
    say(STDOUT_FILENO, "this goes to dup.out\n");
    dup2(a, STDOUT_FILENO);
    say(STDOUT_FILENO, "stdout restored\n");
    close(a);
    close(b);
    close(c);
    f = open("dup.out", O_RDONLY);
    ssize_t n = read(f, line, sizeof line);
    close(f);
    printf("dup.out holds %zd bytes: %.*s", n, (int)(n > 0 ? n : 0), line);
    return 0;
}
