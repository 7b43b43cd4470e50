/*
 * madvise_dontneed.c — covers madvise(MADV_DONTNEED): a private anonymous
 * mapping reads zeros afterwards, a private file mapping reads the file's
 * bytes again, and a shared anonymous mapping keeps its contents (written
 * by a child that shares it).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    size_t pg = 4096;
    char *anon = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (anon == MAP_FAILED)
        return 1;
    strcpy(anon, "private data");
    strcpy(anon + pg, "second page");
    madvise(anon, pg, MADV_DONTNEED);
    printf("private anonymous after: [%s] [%s]\n", anon, anon + pg);

    int fd = open("input.txt", O_RDONLY);
    char *file = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (fd < 0 || file == MAP_FAILED)
        return 1;
    memcpy(file, "XXXXX", 5);
    printf("private file before: %.5s\n", file);
    madvise(file, pg, MADV_DONTNEED);
    printf("private file after: %.5s\n", file);

    char *shared = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED)
        return 1;
    pid_t pid = fork();
    if (pid == 0) {
        strcpy(shared, "written by the child");
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    madvise(shared, pg, MADV_DONTNEED);
    printf("shared after: [%s]\n", shared);
    return 0;
}
