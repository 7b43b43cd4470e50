/*
 * syscall_newer.c — covers syscalls newer than many kernels and C libraries:
 * fchmodat2 (452) with the fallback a C library takes on ENOSYS, and
 * cachestat (451), whose struct the kernel fills. Whatever the recorder
 * answers must be true: the mode fchmodat2 set is checked with stat, and the
 * counts cachestat wrote must replace what the program put there first.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

enum { NR_CACHESTAT = 451, NR_FCHMODAT2 = 452 };

struct cachestat_range {
    uint64_t off, len;
};
struct cachestat {
    uint64_t nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted;
};

static int check_mode(mode_t want)
{
    struct stat st;
    if (stat("input.txt", &st) < 0 || (st.st_mode & 07777) != want) {
        printf("wrong: input.txt has mode %o, expected %o\n", (unsigned)(st.st_mode & 07777), (unsigned)want);
        return 1;
    }
    return 0;
}

int main(void)
{
    int wrong = 0;
    long rc = syscall(NR_FCHMODAT2, AT_FDCWD, "input.txt", 0600, 0);
    if (rc == -1 && errno == ENOSYS) {
        printf("fchmodat2: ENOSYS, falling back to chmod\n");
        rc = chmod("input.txt", 0600);
    } else {
        printf("fchmodat2: %ld\n", rc);
    }
    wrong += rc != 0 || check_mode(0600);
    rc = syscall(NR_FCHMODAT2, AT_FDCWD, "input.txt", 0644, AT_SYMLINK_NOFOLLOW);
    if (rc == -1 && errno == ENOSYS)
        rc = chmod("input.txt", 0644);
    wrong += rc != 0 || check_mode(0644);

    int fd = open("input.txt", O_RDONLY);
    char text[64];
    if (fd < 0 || read(fd, text, sizeof text) <= 0)
        return 1;
    struct cachestat_range range = {0, 0}; /* the whole file */
    struct cachestat counts;
    memset(&counts, 0xff, sizeof counts);
    rc = syscall(NR_CACHESTAT, fd, &range, &counts, 0);
    if (rc == -1) {
        printf("cachestat: %s\n", strerror(errno));
    } else if (counts.nr_cache > 1 || counts.nr_dirty > 1 || counts.nr_evicted > 1) {
        printf("wrong: cachestat says %llu cached, %llu dirty, %llu evicted pages of a 1-page file\n",
               (unsigned long long)counts.nr_cache, (unsigned long long)counts.nr_dirty,
               (unsigned long long)counts.nr_evicted);
        wrong++;
    } else {
        printf("cachestat: %llu of 1 page cached\n", (unsigned long long)counts.nr_cache);
    }
    close(fd);
    printf("%d wrong\n", wrong);
    return wrong ? 1 : 0;
}
