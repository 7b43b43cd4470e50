/*
 * getcwd_chdir.c — covers getcwd, chdir into a new subdirectory, fchdir back,
 * and relative opens that depend on the current directory.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
    char top[4096], sub[4096];
    if (!getcwd(top, sizeof top))
        return 1;
    int topfd = open(".", O_RDONLY | O_DIRECTORY);
    mkdir("sub", 0755);
    printf("chdir sub: %d\n", chdir("sub"));
    if (!getcwd(sub, sizeof sub))
        return 1;
    size_t tl = strlen(top);
    printf("cwd is top + \"%s\"\n", strncmp(sub, top, tl) == 0 ? sub + tl : "?");
    close(open("inner.dat", O_CREAT | O_WRONLY, 0644));
    printf("fchdir back: %d\n", fchdir(topfd));
    printf("sub/inner.dat visible from top: %d\n", access("sub/inner.dat", F_OK));
    printf("chdir missing: %d\n", chdir("no-such-dir"));
    unlink("sub/inner.dat");
    rmdir("sub");
    printf("top cwd length %zu\n", tl);
    return 0;
}
