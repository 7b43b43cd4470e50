/*
 * file_input.c — covers reading an input file the runner creates in the cwd
 * (input.txt), line by line through stdio. Replay must not need the file.
 */
#include <stdio.h>

int main(void)
{
    FILE *f = fopen("input.txt", "r");
    if (!f) {
        perror("input.txt");
        return 1;
    }
    char line[256];
    int n = 0;
    while (fgets(line, sizeof line, f))
        printf("line %d: %s", ++n, line);
    fclose(f);
    printf("%d lines\n", n);
    return 0;
}
