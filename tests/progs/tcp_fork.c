/*
 * tcp_fork.c — covers TCP over loopback between two recorded processes: the
 * parent listens on 127.0.0.1 port 0 (getsockname gives the port), a forked
 * child connects and sends 64 KiB in 4 KiB writes, the parent reads it all
 * (however the kernel splits it) and replies with a checksum the child checks.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define TOTAL (64 * 1024)

int main(void)
{
    int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof a) != 0 || listen(ls, 1) != 0)
        return 1;
    socklen_t len = sizeof a;
    getsockname(ls, (struct sockaddr *)&a, &len);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        close(ls);
        int s = socket(AF_INET, SOCK_STREAM, 0);
        if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof a) != 0)
            _exit(1);
        unsigned char chunk[4096];
        unsigned sum = 0;
        for (int i = 0; i < TOTAL / 4096; i++) {
            for (int j = 0; j < 4096; j++) {
                chunk[j] = (unsigned char)(i * 31 + j * 7);
                sum += chunk[j];
            }
            if (write(s, chunk, sizeof chunk) != (ssize_t)sizeof chunk)
                _exit(2);
        }
        unsigned reply;
        if (recv(s, &reply, sizeof reply, MSG_WAITALL) != (ssize_t)sizeof reply)
            _exit(3);
        printf("child: server's checksum matches: %s\n", reply == sum ? "yes" : "no");
        fflush(stdout);
        close(s);
        _exit(0);
    }
    int c = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
    if (c < 0)
        return 1;
    unsigned char buf[8192];
    unsigned sum = 0;
    size_t total = 0;
    while (total < TOTAL) {
        ssize_t n = read(c, buf, sizeof buf);
        if (n <= 0)
            return 1;
        for (ssize_t j = 0; j < n; j++)
            sum += buf[j];
        total += (size_t)n;
    }
    printf("parent: received %zu bytes\n", total);
    fflush(stdout);
    if (send(c, &sum, sizeof sum, 0) != (ssize_t)sizeof sum)
        return 1;
    int status;
    waitpid(child, &status, 0);
    printf("parent: child exited %d\n", WEXITSTATUS(status));
    close(c);
    close(ls);
    return 0;
}
