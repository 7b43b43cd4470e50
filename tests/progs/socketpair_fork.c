// rrdb-test: replays 20
/*
 * socketpair_fork.c — covers an AF_UNIX socketpair between a parent and a
 * child process: a stream pair carrying a request/reply ping-pong (send,
 * recv, read, write), a datagram pair keeping message boundaries, and the
 * parent seeing end-of-file once the child has exited.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int st[2], dg[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, st) < 0 || socketpair(AF_UNIX, SOCK_DGRAM, 0, dg) < 0)
        return 1;
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        close(st[0]);
        close(dg[0]);
        char buf[64];
        for (int i = 0; i < 3; i++) {
            ssize_t n = recv(st[1], buf, sizeof buf - 1, 0);
            if (n <= 0)
                _exit(1);
            buf[n] = 0;
            char reply[80];
            int len = snprintf(reply, sizeof reply, "reply to <%s>", buf);
            if (write(st[1], reply, (size_t)len) != len)
                _exit(1);
        }
        const char *msgs[] = {"one", "two!", "three"};
        for (int i = 0; i < 3; i++)
            if (send(dg[1], msgs[i], strlen(msgs[i]), 0) < 0)
                _exit(1);
        _exit(0);
    }
    close(st[1]);
    close(dg[1]);
    char buf[128];
    for (int i = 0; i < 3; i++) {
        char req[16];
        int len = snprintf(req, sizeof req, "ping %d", i);
        if (send(st[0], req, (size_t)len, 0) != len)
            return 1;
        ssize_t n = read(st[0], buf, sizeof buf - 1);
        if (n <= 0)
            return 1;
        buf[n] = 0;
        printf("parent got: %s\n", buf);
    }
    for (int i = 0; i < 3; i++) {
        ssize_t n = recv(dg[0], buf, sizeof buf, 0);
        printf("datagram %d: %zd bytes: %.*s\n", i, n, (int)(n > 0 ? n : 0), buf);
    }
    int status;
    waitpid(child, &status, 0);
    printf("after the child exited: recv %zd (end of file)\n", recv(st[0], buf, sizeof buf, 0));
    return WEXITSTATUS(status);
}
