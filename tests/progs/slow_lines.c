/*
 * slow_lines.c — covers a slow, steady writer: prints its pid, then N lines
 * (argv[1], default 50) sleeping 10 ms after each. bad-input.sh records it
 * with a huge N and kills the recorder midway.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 50;
    printf("slow_lines pid %d\n", getpid());
    fflush(stdout);
    struct timespec d = {0, 10 * 1000 * 1000};
    for (long i = 0; i < n; i++) {
        printf("line %ld\n", i);
        fflush(stdout);
        nanosleep(&d, NULL);
    }
    return 0;
}
