/*
 * dirs.c — covers mkdir, getdents64 (opendir/readdir), rename, unlink and
 * rmdir in the cwd. Entries are sorted before printing.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *path)
{
    char *names[32];
    int n = 0;
    DIR *d = opendir(path);
    struct dirent *e;
    while (d && (e = readdir(d)) && n < 32)
        names[n++] = strdup(e->d_name);
    if (d)
        closedir(d);
    qsort(names, n, sizeof names[0], cmp);
    printf("%s:", path);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

int main(void)
{
    printf("mkdir d: %d\n", mkdir("d", 0755));
    int rc = mkdir("d", 0755);
    printf("mkdir d again: %d (%s)\n", rc, strerror(errno));
    for (int i = 0; i < 5; i++) {
        char name[32];
        snprintf(name, sizeof name, "d/file%d", i);
        close(open(name, O_CREAT | O_WRONLY, 0644));
    }
    list("d");
    printf("rename: %d\n", rename("d/file0", "d/renamed"));
    printf("unlink: %d\n", unlink("d/file1"));
    list("d");
    rc = rmdir("d");
    printf("rmdir non-empty: %d (%s)\n", rc, strerror(errno));
    const char *rest[] = {"d/renamed", "d/file2", "d/file3", "d/file4"};
    for (int i = 0; i < 4; i++)
        unlink(rest[i]);
    printf("rmdir: %d\n", rmdir("d"));
    list(".");
    return 0;
}
