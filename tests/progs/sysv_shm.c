// rrdb-test: replays 20
/*
 * sysv_shm.c — covers System V shared memory between recorded processes:
 * shmget, shmat before fork (inherited) and after fork (attached by the
 * child itself), stores by each process read by the other, shmctl IPC_STAT
 * (size, attach count) and IPC_RMID, shmdt.
 */
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int id = shmget(IPC_PRIVATE, 8192, IPC_CREAT | 0600);
    if (id < 0) {
        perror("shmget");
        return 1;
    }
    char *seg = shmat(id, NULL, 0);
    if (seg == (void *)-1)
        return 1;
    strcpy(seg, "parent was here");
    int ready[2];
    if (pipe(ready))
        return 1;
    pid_t pid = fork();
    if (pid == 0) {
        char *own = shmat(id, NULL, 0);
        if (own == (void *)-1)
            _exit(2);
        printf("child reads: %s\n", own);
        fflush(stdout);
        strcpy(own + 4096, "child was here");
        shmdt(own);
        _exit(write(ready[1], "x", 1) == 1 ? 0 : 3);
    }
    char c;
    if (read(ready[0], &c, 1) != 1)
        return 1;
    struct shmid_ds ds;
    if (shmctl(id, IPC_STAT, &ds))
        return 1;
    printf("parent reads: %s (size %zu)\n", seg + 4096, (size_t)ds.shm_segsz);
    int status;
    waitpid(pid, &status, 0);
    shmctl(id, IPC_STAT, &ds);
    printf("child exited %d, attached %lu\n", WEXITSTATUS(status), (unsigned long)ds.shm_nattch);
    shmctl(id, IPC_RMID, NULL);
    shmdt(seg);
    return 0;
}
