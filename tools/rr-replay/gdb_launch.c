/*
 * gdb_launch.c — how gdb reaches the replay: a TCP socket listening on the
 * loopback interface (another address only when --gdb-server names it),
 * and for --gdb a gdb started as rr-replay's child with
 * `target extended-remote 127.0.0.1:PORT` as its first command. gdb is
 * started (or, for --gdb-server, told where to connect) only once the
 * replay stands at its first stop: gdb gives up on a server that does not
 * answer its first packets within 2 s, and a --goto far into a trace takes
 * longer.
 */
#include "gdb_target.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "tool_traps.h"

int gdb_launch_listen(const char *spec, int *port)
{
    char host[64] = "127.0.0.1";
    const char *colon = strrchr(spec, ':');
    const char *port_text = colon ? colon + 1 : spec;
    if (colon && (size_t)(colon - spec) >= sizeof host) {
        error_set("--gdb-server: '%s' is not [HOST:]PORT", spec);
        return -1;
    }
    if (colon)
        snprintf(host, sizeof host, "%.*s", (int)(colon - spec), spec);
    char *end;
    long number = strtol(port_text, &end, 10);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)number)};
    if (!*port_text || *end || number < 0 || number > 65535 || inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        error_set("--gdb-server wants [HOST:]PORT with an IPv4 address, not '%s'", spec);
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int on = 1;
    socklen_t len = sizeof addr;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0 ||
        bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, 1) < 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) < 0) {
        error_set_errno("cannot listen for gdb at %s:%ld", host, number);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    *port = ntohs(addr.sin_port);
    return fd;
}

/* Wait for gdb to connect; the connected socket, or -1 (also when the gdb
 * started as gdb_pid, if any, ended first). */
static int accept_gdb(int listen_fd, pid_t gdb_pid)
{
    int fd = -1;
    while (fd < 0) {
        struct pollfd ready = {.fd = listen_fd, .events = POLLIN};
        int status;
        if (gdb_pid > 0 && waitpid(gdb_pid, &status, WNOHANG) == gdb_pid) {
            error_set("gdb ended before it connected");
            return -1;
        }
        if (poll(&ready, 1, 200) <= 0)
            continue; /* also EINTR: the watchdog's tick */
        fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0 && errno != EINTR)
            break;
    }
    if (fd < 0) {
        error_set_errno("accepting gdb's connection");
        return -1;
    }
    int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    return fd;
}

/* gdb, started with `target extended-remote 127.0.0.1:PORT` and the user's
 * arguments after it, as rr-replay was started: on its CPUs, its rdtsc not
 * trapped, no signal blocked or ignored that rr-replay set so since. */
static pid_t start_gdb(const struct gdb_launch *launch)
{
    char target[64];
    snprintf(target, sizeof target, "target extended-remote 127.0.0.1:%d", launch->port);
    char **argv = calloc((size_t)launch->gdb_arg_count + 5, sizeof *argv);
    if (!argv) {
        error_set("out of memory");
        return -1;
    }
    argv[0] = "gdb";
    argv[1] = "-q";
    argv[2] = "-ex";
    argv[3] = target;
    for (int i = 0; i < launch->gdb_arg_count; i++)
        argv[4 + i] = launch->gdb_args[i];
    pid_t pid = fork();
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGINT, SIG_DFL);
        tool_traps_disable();
        sched_setaffinity(0, sizeof launch->affinity, &launch->affinity);
        execvp("gdb", argv);
        fprintf(stderr, "%s: cannot run gdb: %s\n", error_program(), strerror(errno));
        _exit(127);
    }
    free(argv);
    if (pid < 0)
        error_set_errno("cannot start gdb");
    return pid;
}

int gdb_launch_connect(struct gdb_target *target)
{
    struct gdb_launch *launch = &target->launch;
    if (!launch->done && launch->server) {
        const char *colon = strrchr(launch->server, ':');
        error_note("waiting for gdb: target extended-remote %.*s:%d", colon ? (int)(colon - launch->server) : 9,
                   colon ? launch->server : "127.0.0.1", launch->port);
    } else if (!launch->done) {
        if ((target->gdb_pid = start_gdb(launch)) < 0) {
            target->gdb_pid = 0;
            return -1;
        }
        signal(SIGINT, SIG_IGN); /* ^C is gdb's */
    }
    launch->done = true;
    return accept_gdb(target->listen_fd, target->gdb_pid);
}
