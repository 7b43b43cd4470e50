/*
 * proc_maps.c — covers reading /proc/self/maps (kernel-generated, describes
 * the address space): counts its lines and prints the first mapping's path.
 */
#include <stdio.h>
#include <string.h>

int main(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return 1;
    char line[512];
    int n = 0, stack = 0, exe = 0;
    while (fgets(line, sizeof line, f)) {
        n++;
        stack += strstr(line, "[stack]") != NULL;
        exe += strstr(line, "proc_maps") != NULL;
    }
    fclose(f);
    printf("/proc/self/maps: %d lines, [stack] %d, own binary %s\n", n, stack,
           exe > 0 ? "present" : "missing");
    return 0;
}
