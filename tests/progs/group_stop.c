// rrdb-test: replays 20
// rrdb-test: nested
/*
 * group_stop.c — covers a group stop of a child by its parent: the child
 * blocks in read() on a pipe; the parent stops it with SIGSTOP and sees
 * the stop with waitpid(WUNTRACED) (WIFSTOPPED, WSTOPSIG), resumes it with
 * SIGCONT and sees that with waitpid(WCONTINUED), then lets it finish (its
 * read, restarted after the stop, gets the byte); the child must survive
 * and be reaped with its own exit status (9). An
 * alarm ends the parent if a wait never returns.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    int started[2], finish[2];
    if (pipe(started) < 0 || pipe(finish) < 0)
        return 1;
    alarm(20);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        alarm(0);
        if (write(started[1], "s", 1) != 1)
            _exit(1);
        char b;
        /* Blocks until the parent has stopped and resumed us. */
        if (read(finish[0], &b, 1) != 1)
            _exit(2);
        _exit(9);
    }
    char b;
    if (read(started[0], &b, 1) != 1)
        return 1;
    kill(child, SIGSTOP);
    int status = 0;
    pid_t r = waitpid(child, &status, WUNTRACED);
    printf("after SIGSTOP: waitpid is child: %s, stopped: %s, by %s\n", r == child ? "yes" : "no",
           WIFSTOPPED(status) ? "yes" : "no",
           WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP ? "SIGSTOP" : "?");
    kill(child, SIGCONT);
    status = 0;
    r = waitpid(child, &status, WCONTINUED);
    printf("after SIGCONT: waitpid is child: %s, continued: %s\n", r == child ? "yes" : "no",
           WIFCONTINUED(status) ? "yes" : "no");
    if (write(finish[1], "f", 1) != 1)
        return 1;
    status = 0;
    r = waitpid(child, &status, 0);
    printf("reaped: %s, exit status %d\n", r == child ? "yes" : "no",
           WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}
