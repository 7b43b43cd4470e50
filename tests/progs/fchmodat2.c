/*
 * fchmodat2.c — covers fchmodat2 (Linux 6.6; glibc 2.39 uses it for
 * fchmodat with flags), a syscall the table describes by its row alone: the
 * program changes a file's mode by name and reads the mode back with stat.
 * (On an older kernel the call fails with ENOSYS, recorded and replayed as
 * such.)
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

int main(void)
{
    int fd = open("mode.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0 || close(fd) < 0)
        return 1;
    long result = syscall(SYS_fchmodat2, AT_FDCWD, "mode.txt", 0600, AT_SYMLINK_NOFOLLOW);
    struct stat st;
    if (stat("mode.txt", &st) < 0)
        return 2;
    printf("fchmodat2: %ld, mode now %o\n", result, (unsigned)(st.st_mode & 0777));
    return unlink("mode.txt") < 0 ? 3 : 0;
}
