/*
 * sysv_ipc.c — covers System V IPC between two recorded processes: a
 * semaphore set the parent waits on until the child posts it (its values
 * read back with GETALL and IPC_STAT), a message queue the child sends a
 * message through (type and text read back with msgrcv), and a shared memory
 * segment attached before fork, whose contents the child writes and the
 * parent reads (sysv_shm.c covers shared memory further). The parent
 * checks what each call gave back and exits 1 on a wrong one.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

struct message {
    long type;
    char text[32];
};

static int wrong;

static void check(int ok, const char *what)
{
    if (!ok) {
        printf("wrong: %s\n", what);
        wrong++;
    }
}

int main(void)
{
    int sem = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
    int queue = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    if (sem < 0 || queue < 0) {
        perror("semget/msgget");
        return 1;
    }
    unsigned short start[2] = {0, 5};
    if (semctl(sem, 0, SETALL, start) < 0)
        return 1;
    int shm = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
    char *shared = NULL;
    if (shm < 0) {
        printf("shmget: %s\n", strerror(errno));
    } else if ((shared = shmat(shm, NULL, 0)) == (void *)-1) {
        return 1;
    }
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        if (shared)
            snprintf(shared, 64, "written by the child %d", (int)getpid());
        struct message m = {.type = 7};
        snprintf(m.text, sizeof m.text, "message from %d", (int)getpid());
        struct sembuf post = {0, 1, 0};
        if (msgsnd(queue, &m, sizeof m.text, 0) < 0 || semop(sem, &post, 1) < 0)
            _exit(1);
        _exit(0);
    }
    struct sembuf wait_for_child = {0, -1, 0};
    if (semop(sem, &wait_for_child, 1) < 0)
        return 1;
    char want[64];
    if (shared) {
        snprintf(want, sizeof want, "written by the child %d", (int)child);
        printf("shared memory: %s\n", shared);
        check(strcmp(shared, want) == 0, "shared memory holds something else");
        struct shmid_ds info;
        check(shmctl(shm, IPC_STAT, &info) == 0 && info.shm_segsz == 4096, "shmctl IPC_STAT");
        shmdt(shared);
        shmctl(shm, IPC_RMID, NULL);
    }
    struct message m;
    memset(&m, 0, sizeof m);
    ssize_t n = msgrcv(queue, &m, sizeof m.text, 0, 0);
    snprintf(want, sizeof want, "message from %d", (int)child);
    printf("message %zd bytes, type %ld: %s\n", n, m.type, m.text);
    check(n == sizeof m.text && m.type == 7 && strcmp(m.text, want) == 0, "msgrcv gave another message");
    struct msqid_ds queue_info;
    memset(&queue_info, 0xee, sizeof queue_info);
    check(msgctl(queue, IPC_STAT, &queue_info) == 0 && queue_info.msg_qnum == 0 &&
              queue_info.msg_lrpid == (pid_t)getpid() && queue_info.msg_lspid == child,
          "msgctl IPC_STAT names other senders or messages");

    unsigned short values[2] = {99, 99};
    check(semctl(sem, 0, GETALL, values) == 0 && values[0] == 0 && values[1] == 5, "semctl GETALL");
    struct semid_ds set;
    memset(&set, 0xee, sizeof set);
    check(semctl(sem, 0, IPC_STAT, &set) == 0 && set.sem_nsems == 2, "semctl IPC_STAT");
    printf("semaphores: %u and %u, %lu in the set\n", values[0], values[1], (unsigned long)set.sem_nsems);

    int status;
    check(waitpid(child, &status, 0) == child && status == 0, "the child failed");
    semctl(sem, 0, IPC_RMID);
    msgctl(queue, IPC_RMID, NULL);
    printf("%d wrong\n", wrong);
    return wrong ? 1 : 0;
}
