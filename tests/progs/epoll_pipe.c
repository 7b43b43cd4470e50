/*
 * epoll_pipe.c — covers epoll on a pipe: epoll_create1, EPOLL_CTL_ADD with a
 * 64-bit cookie, epoll_wait with timeout 0 (nothing ready), readiness after a
 * write (EPOLLIN, cookie back), a blocking epoll_wait woken by a child
 * process writing, EPOLL_CTL_MOD to EPOLLOUT on the write end, and EPOLLHUP
 * once every write end is closed.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void show(const char *what, int n, const struct epoll_event *ev)
{
    printf("%s: %d", what, n);
    for (int i = 0; i < n; i++)
        printf(" [cookie %#llx%s%s%s]", (unsigned long long)ev[i].data.u64,
               (ev[i].events & EPOLLIN) ? " IN" : "", (ev[i].events & EPOLLOUT) ? " OUT" : "",
               (ev[i].events & EPOLLHUP) ? " HUP" : "");
    printf("\n");
}

int main(void)
{
    int p[2];
    if (pipe(p) < 0)
        return 1;
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0x1122334455667788ull};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) != 0)
        return 1;
    struct epoll_event out[4];
    show("empty pipe, timeout 0", epoll_wait(ep, out, 4, 0), out);

    if (write(p[1], "abc", 3) != 3)
        return 1;
    show("after a write", epoll_wait(ep, out, 4, 0), out);
    char buf[8];
    if (read(p[0], buf, sizeof buf) != 3)
        return 1;

    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        struct timespec d = {0, 20 * 1000 * 1000};
        nanosleep(&d, NULL);
        if (write(p[1], "from child", 10) != 10)
            _exit(1);
        _exit(0);
    }
    show("blocking wait", epoll_wait(ep, out, 4, 5000), out);
    printf("read %zd bytes\n", read(p[0], buf, sizeof buf));
    waitpid(child, NULL, 0);

    struct epoll_event wev = {.events = EPOLLIN, .data.u64 = 0xabc};
    epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &wev);
    wev.events = EPOLLOUT;
    epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &wev);
    show("write end writable", epoll_wait(ep, out, 4, 0), out);
    epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL);
    close(p[1]);
    show("write end closed", epoll_wait(ep, out, 4, 1000), out);
    close(ep);
    return 0;
}
