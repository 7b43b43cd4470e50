/*
 * select_poll.c — covers select, pselect6, poll and ppoll with timeout 0 on a
 * pipe, first empty and then with data in it (the kernel writes the fd sets
 * and revents).
 */
#define _GNU_SOURCE
#include <poll.h>
#include <stdio.h>
#include <sys/select.h>
#include <unistd.h>

static void check(int rfd, int wfd)
{
    fd_set rs, ws;
    FD_ZERO(&rs);
    FD_ZERO(&ws);
    FD_SET(rfd, &rs);
    FD_SET(wfd, &ws);
    struct timeval tv = {0, 0};
    int n = select((rfd > wfd ? rfd : wfd) + 1, &rs, &ws, NULL, &tv);
    printf("select: %d readable=%d writable=%d\n", n, FD_ISSET(rfd, &rs), FD_ISSET(wfd, &ws));
    FD_ZERO(&rs);
    FD_SET(rfd, &rs);
    struct timespec ts = {0, 0};
    n = pselect(rfd + 1, &rs, NULL, NULL, &ts, NULL);
    printf("pselect: %d readable=%d\n", n, FD_ISSET(rfd, &rs));
    struct pollfd pf[2] = {{rfd, POLLIN, 0}, {wfd, POLLOUT, 0}};
    n = poll(pf, 2, 0);
    printf("poll: %d revents %#x %#x\n", n, pf[0].revents, pf[1].revents);
    pf[0].revents = pf[1].revents = 0;
    n = ppoll(pf, 1, &ts, NULL);
    printf("ppoll: %d revents %#x\n", n, pf[0].revents);
}

int main(void)
{
    int p[2];
    if (pipe(p) != 0)
        return 1;
    printf("-- empty pipe\n");
    check(p[0], p[1]);
    if (write(p[1], "x", 1) != 1)
        return 1;
    printf("-- pipe with data\n");
    check(p[0], p[1]);
    close(p[1]);
    struct pollfd pf = {p[0], POLLIN, 0};
    char c;
    if (read(p[0], &c, 1) != 1)
        return 1;
    int n = poll(&pf, 1, 0);
    printf("-- writer closed: poll %d revents %#x\n", n, pf.revents);
    return 0;
}
