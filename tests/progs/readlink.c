/*
 * readlink.c — covers symlink and readlink/readlinkat, including a dangling
 * link and readlink of /proc/self/exe (the recorded binary's path).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    char buf[256];
    printf("symlink: %d\n", symlink("some/target/path", "link1"));
    ssize_t n = readlink("link1", buf, sizeof buf);
    printf("readlink: %zd %.*s\n", n, (int)(n > 0 ? n : 0), buf);
    n = readlinkat(AT_FDCWD, "link1", buf, 4);
    printf("readlinkat truncated: %zd %.*s\n", n, (int)(n > 0 ? n : 0), buf);
    n = readlink("input.txt", buf, sizeof buf);
    printf("readlink on a regular file: %zd (%s)\n", n, strerror(errno));
    n = readlink("/proc/self/exe", buf, sizeof buf);
    printf("/proc/self/exe ends with readlink: %s\n",
           n > 8 && memcmp(buf + n - 8, "readlink", 8) == 0 ? "yes" : "no");
    unlink("link1");
    return 0;
}
