/*
 * write_stderr.c — covers output to stderr (write(2) and unbuffered stdio)
 * interleaved with stdout, so replay must route each stream to its own fd.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    const char *msg = "stderr via write(2)\n";
    ssize_t n = write(STDERR_FILENO, msg, strlen(msg));
    fprintf(stderr, "stderr via fprintf, write returned %zd\n", n);
    printf("stdout line\n");
    fflush(stdout);
    fprintf(stderr, "stderr line %d\n", 3);
    return 0;
}
