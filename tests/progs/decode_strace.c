/*
 * decode_strace.c — one call each of clock_gettime, newfstatat, connect (unix
 * path, IPv4 and IPv6 loopback: nothing listens, so they fail or connect a
 * datagram socket), poll on a pipe, and wait4 for a child that exits 3 and for
 * none: decode-tests.sh compares rr-query's decoding of them with strace -f's.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    struct timespec ts;
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
    /* calls made directly, so that glibc does not pick a newer syscall */
    int fd = open("decode_strace.tmp", O_WRONLY | O_CREAT | O_TRUNC, 0640);
    write(fd, "twelve bytes", 12);
    close(fd);
    struct stat st;
    syscall(SYS_newfstatat, AT_FDCWD, "decode_strace.tmp", &st, 0);
    unlink("decode_strace.tmp");

    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    strcpy(un.sun_path, "/nonexistent/decode_strace.sock");
    connect(s, (struct sockaddr *)&un, sizeof un);
    close(s);
    s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(1)};
    inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
    connect(s, (struct sockaddr *)&in, sizeof in);
    close(s);
    s = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 in6 = {.sin6_family = AF_INET6, .sin6_port = htons(9)};
    inet_pton(AF_INET6, "::1", &in6.sin6_addr);
    connect(s, (struct sockaddr *)&in6, sizeof in6);
    close(s);

    int pipe_fds[2];
    pipe(pipe_fds);
    write(pipe_fds[1], "x", 1);
    struct pollfd pfd[2] = {{.fd = pipe_fds[0], .events = POLLIN}, {.fd = pipe_fds[1], .events = POLLOUT | POLLIN}};
    poll(pfd, 2, 1000);

    pid_t child = fork();
    if (child == 0)
        _exit(3);
    int status;
    struct rusage usage;
    syscall(SYS_wait4, child, &status, 0, &usage);
    syscall(SYS_wait4, -1, &status, WNOHANG, NULL);
    return 0;
}
