// rrdb-test: replays 20
/*
 * writers_forked.c — covers many processes writing to one output at once:
 * 50 forked children each write 40 lines to stdout, one write(2) per line,
 * while the parent writes its own; then the parent reaps them all. A replay
 * must print the lines in the order the kernel took them when recorded.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

enum { CHILDREN = 50, LINES = 40 };

static void write_lines(int who)
{
    for (int i = 0; i < LINES; i++) {
        char line[64];
        int n = snprintf(line, sizeof line, "writer %02d line %02d\n", who, i);
        if (write(STDOUT_FILENO, line, (size_t)n) != n)
            _exit(1);
    }
}

int main(void)
{
    for (int c = 1; c <= CHILDREN; c++) {
        pid_t child = fork();
        if (child < 0)
            return 1;
        if (child == 0) {
            write_lines(c);
            _exit(0);
        }
    }
    write_lines(0);
    int failed = 0;
    for (int c = 0; c < CHILDREN; c++) {
        int status;
        if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
            failed = 1;
    }
    return failed;
}
