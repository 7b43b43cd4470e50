// rrdb-test: args one "two words" "" -o last
/*
 * env_argv.c — covers argv and the environment as laid on the initial stack:
 * prints every argument and every environment variable, and getenv of one the
 * runner sets (RRDB_TEST_VAR); the runner replays with a different value, so
 * the replay must use the recorded environment.
 */
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int main(int argc, char **argv)
{
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=[%s]\n", i, argv[i]);
    int n = 0;
    for (char **e = environ; *e; e++)
        printf("env: %s\n", *e), n++;
    printf("%d environment variables\n", n);
    const char *v = getenv("RRDB_TEST_VAR");
    printf("RRDB_TEST_VAR=%s\n", v ? v : "(unset)");
    return 0;
}
