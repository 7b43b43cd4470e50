/*
 * errno_fail.c — covers failing syscalls and the errno values replay must put
 * back: ENOENT, EBADF, EISDIR, ENOTDIR, EFAULT, EINVAL, EEXIST.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void show(const char *what, long rc)
{
    printf("%-24s rc=%ld errno=%s\n", what, rc, rc < 0 ? strerror(errno) : "-");
}

int main(void)
{
    char buf[8];
    void *volatile bad_ptr = (void *)8;
    show("open missing", open("missing/file", O_RDONLY));
    show("read bad fd", read(77, buf, sizeof buf));
    int d = open(".", O_RDONLY);
    show("read a directory", read(d, buf, sizeof buf));
    close(d);
    show("open input.txt/x", open("input.txt/x", O_RDONLY));
    show("write bad pointer", write(STDOUT_FILENO, bad_ptr, 4));
    show("lseek bad whence", lseek(STDIN_FILENO, 0, 99));
    show("mkdir .", mkdir(".", 0755));
    show("close bad fd", close(-1));
    return 0;
}
