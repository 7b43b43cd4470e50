/*
 * stat_family.c — covers stat, fstat, lstat, newfstatat and statx, both through
 * libc and as raw syscalls, on a regular file, a symlink and a directory.
 * Inode numbers and times are printed: replay must return the recorded ones.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void show(const char *what, long rc, const struct stat *st)
{
    printf("%-10s rc=%ld mode=%o size=%lld ino=%llu nlink=%lu mtime=%lld.%09ld\n",
           what, rc, st->st_mode, (long long)st->st_size,
           (unsigned long long)st->st_ino, (unsigned long)st->st_nlink,
           (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
}

int main(void)
{
    struct stat st;
    int fd = open("stat.dat", O_RDWR | O_CREAT | O_TRUNC, 0640);
    if (write(fd, "twelve bytes", 12) != 12)
        return 1;
    if (symlink("stat.dat", "stat.lnk") != 0)
        return 1;

    show("stat", stat("stat.dat", &st), &st);
    show("fstat", fstat(fd, &st), &st);
    show("lstat", lstat("stat.lnk", &st), &st);
    show("stat-lnk", stat("stat.lnk", &st), &st);
    show("fstatat", fstatat(AT_FDCWD, ".", &st, 0), &st);
    show("sys_stat", syscall(SYS_stat, "stat.dat", &st), &st);
    show("sys_fstat", syscall(SYS_fstat, fd, &st), &st);
    show("sys_lstat", syscall(SYS_lstat, "stat.lnk", &st), &st);
    show("sys_nfsat", syscall(SYS_newfstatat, AT_FDCWD, "stat.lnk", &st,
                              AT_SYMLINK_NOFOLLOW), &st);

    struct statx sx;
    int rc = statx(AT_FDCWD, "stat.dat", 0, STATX_BASIC_STATS | STATX_BTIME, &sx);
    printf("statx      rc=%d mask=%#x mode=%o size=%llu ino=%llu btime=%lld\n",
           rc, sx.stx_mask, sx.stx_mode, (unsigned long long)sx.stx_size,
           (unsigned long long)sx.stx_ino, (long long)sx.stx_btime.tv_sec);
    rc = stat("no-such-file", &st);
    printf("stat missing rc=%d\n", rc);
    close(fd);
    unlink("stat.lnk");
    unlink("stat.dat");
    return 0;
}
