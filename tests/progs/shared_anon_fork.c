// rrdb-test: replays 20
/*
 * shared_anon_fork.c — covers anonymous MAP_SHARED memory after fork: parent
 * and child take turns (handing a pipe token back and forth) writing into the
 * one shared page and reading what the other wrote there; a counter both
 * increment without a lock between turns must also end the same in replay.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    volatile long *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int to_child[2], to_parent[2];
    if (shared == MAP_FAILED || pipe(to_child) || pipe(to_parent))
        return 1;
    pid_t pid = fork();
    if (pid < 0)
        return 1;
    char token = 't';
    for (int turn = 0; turn < 5; turn++) {
        if (pid == 0) {
            if (read(to_child[0], &token, 1) != 1)
                _exit(1);
            printf("child sees %ld\n", shared[0]);
            shared[1] = shared[0] * 10 + turn;
            fflush(stdout);
            if (write(to_parent[1], &token, 1) != 1)
                _exit(1);
        } else {
            shared[0] = 100 + turn;
            if (write(to_child[1], &token, 1) != 1 || read(to_parent[0], &token, 1) != 1)
                return 1;
            printf("parent sees %ld\n", shared[1]);
            fflush(stdout);
        }
    }
    if (pid == 0)
        _exit(0);
    int status;
    waitpid(pid, &status, 0);
    printf("child exited %d, last values %ld %ld\n", WEXITSTATUS(status), shared[0], shared[1]);
    return 0;
}
