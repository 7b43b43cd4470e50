/*
 * pgrp_session.c — covers process groups and sessions: a child put in its own
 * process group by both itself and its parent (setpgid, the classic race
 * made harmless), getpgid of self and of the child, a second child that
 * starts a new session with setsid (then getsid, getpgid of it), setsid
 * failing EPERM for a process-group leader, and setpgid on a child in another
 * session failing EPERM.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int go[2], report[2];
    if (pipe(go) < 0 || pipe(report) < 0)
        return 1;
    pid_t me = getpid();
    pid_t my_pgrp = getpgid(0), my_sid = getsid(0);
    printf("parent: getpgid(0) == getpgrp(): %s, getsid(0) == getsid(pid): %s\n",
           my_pgrp == getpgrp() ? "yes" : "no", my_sid == getsid(me) ? "yes" : "no");
    fflush(stdout);

    /* Child 1: its own process group, set by both sides. */
    pid_t c1 = fork();
    if (c1 == 0) {
        if (setpgid(0, 0) != 0)
            _exit(10);
        char b;
        if (read(go[0], &b, 1) != 1)
            _exit(11);
        printf("child 1: pgid == pid: %s, sid unchanged: %s\n", getpgid(0) == getpid() ? "yes" : "no",
               getsid(0) == my_sid ? "yes" : "no");
        /* A process-group leader cannot start a session. */
        errno = 0;
        pid_t r = setsid();
        printf("child 1: setsid as group leader: %d (%s)\n", (int)r, strerror(errno));
        _exit(0);
    }
    int r = setpgid(c1, c1);
    /* EACCES if the child already exec'd (it does not); the child may have
     * done it first, which is fine: both ask for the same group. */
    printf("parent: setpgid(child 1) %s\n", r == 0 ? "ok" : strerror(errno));
    printf("parent: getpgid(child 1) == child 1: %s, own pgid unchanged: %s\n",
           getpgid(c1) == c1 ? "yes" : "no", getpgid(0) == my_pgrp ? "yes" : "no");
    fflush(stdout);
    if (write(go[1], "g", 1) != 1)
        return 1;
    int status;
    if (waitpid(c1, &status, 0) != c1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return 2;

    /* Child 2: a new session. */
    pid_t c2 = fork();
    if (c2 == 0) {
        pid_t sid = setsid();
        int ok = sid == getpid() && getsid(0) == getpid() && getpgid(0) == getpid();
        printf("child 2: setsid returned own pid: %s, getsid/getpgid agree: %s, old session left: %s\n",
               sid == getpid() ? "yes" : "no", ok ? "yes" : "no", getsid(0) != my_sid ? "yes" : "no");
        fflush(stdout);
        if (write(report[1], "s", 1) != 1)
            _exit(12);
        char b;
        if (read(go[0], &b, 1) != 1)
            _exit(13);
        _exit(0);
    }
    char b;
    if (read(report[0], &b, 1) != 1)
        return 3;
    printf("parent: getsid(child 2) == child 2: %s, getpgid(child 2) == child 2: %s\n",
           getsid(c2) == c2 ? "yes" : "no", getpgid(c2) == c2 ? "yes" : "no");
    /* A child in another session cannot be moved into our group. */
    errno = 0;
    r = setpgid(c2, my_pgrp);
    printf("parent: setpgid(child 2, our group): %d (%s)\n", r, strerror(errno));
    fflush(stdout);
    if (write(go[1], "g", 1) != 1)
        return 1;
    if (waitpid(c2, &status, 0) != c2 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return 4;
    printf("both children reaped\n");
    return 0;
}
