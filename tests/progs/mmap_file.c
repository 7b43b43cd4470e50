// rrdb-test: nested-diff
/*
 * mmap_file.c — covers mmap of a file: a MAP_PRIVATE read-only mapping, and a
 * MAP_PRIVATE writable one whose writes stay private (copy on write) and never
 * reach the file. Replay must supply the contents from the trace.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
    const char text[] = "mapped file contents: the quick brown fox\n";
    int fd = open("map.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (write(fd, text, sizeof text - 1) != (ssize_t)sizeof text - 1)
        return 1;

    char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
    if (ro == MAP_FAILED)
        return 1;
    printf("read-only map: %.*s", (int)sizeof text - 1, ro);

    char *rw = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (rw == MAP_FAILED)
        return 1;
    memcpy(rw, "PRIVATE", 7);
    printf("private copy:  %.*s", (int)sizeof text - 1, rw);
    printf("other mapping: %.*s", (int)sizeof text - 1, ro);

    char buf[64] = {0};
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    printf("file itself (%zd): %s", n, buf);
    printf("tail of page after EOF is zero: %s\n", rw[sizeof text + 10] == 0 ? "yes" : "no");

    /* The runner's own input file too, mapped at an offset-0 page. */
    int in = open("input.txt", O_RDONLY);
    struct stat st;
    fstat(in, &st);
    char *im = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, in, 0);
    printf("input.txt first line: %.*s", (int)(strchr(im, '\n') - im + 1), im);
    munmap(im, st.st_size);
    munmap(ro, 4096);
    munmap(rw, 4096);
    close(in);
    close(fd);
    unlink("map.dat");
    return 0;
}
