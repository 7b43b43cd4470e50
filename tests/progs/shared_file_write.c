/*
 * shared_file_write.c — covers a file mapped MAP_SHARED while the file is
 * changed through the file descriptor: pwrite() into the file shows in the
 * mapping, stores into the mapping show in pread(), and a second process
 * (a child) writing the file through its own descriptor shows in the
 * parent's mapping. The file is made here, in the working directory.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int fd = open("shared_map.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || ftruncate(fd, 8192))
        return 1;
    char *map = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED)
        return 1;
    if (pwrite(fd, "written through the fd", 22, 100) != 22)
        return 1;
    printf("mapping shows: %.22s\n", map + 100);
    strcpy(map + 5000, "stored into the mapping");
    char buf[32] = {0};
    if (pread(fd, buf, 23, 5000) != 23)
        return 1;
    printf("file reads: %s\n", buf);
    pid_t pid = fork();
    if (pid == 0) {
        int fd2 = open("shared_map.dat", O_WRONLY);
        if (fd2 < 0 || pwrite(fd2, "child wrote this", 16, 200) != 16)
            _exit(1);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("after child (%d): %.16s\n", WEXITSTATUS(status), map + 200);
    munmap(map, 8192);
    close(fd);
    unlink("shared_map.dat");
    return 0;
}
