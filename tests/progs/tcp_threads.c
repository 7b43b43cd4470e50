// rrdb-test: replays 20
/*
 * tcp_threads.c — covers TCP over loopback between two threads of one
 * process: the main thread listens on 127.0.0.1 port 0 and learns the port
 * with getsockname; a client thread connects, sends a request, reads the
 * reply and shuts down its side; the server reads until end-of-file. Also
 * getpeername, setsockopt(TCP_NODELAY) and accept's peer address.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct sockaddr_in server_addr;

static void *client(void *arg)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0 || connect(s, (struct sockaddr *)&server_addr, sizeof server_addr) != 0)
        return NULL;
    int one = 1;
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const char req[] = "GET /thread";
    if (send(s, req, sizeof req - 1, 0) != (ssize_t)(sizeof req - 1))
        return NULL;
    char buf[64];
    size_t got = 0;
    while (got < 11) { /* "OK /thread!" */
        ssize_t n = recv(s, buf + got, sizeof buf - 1 - got, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    buf[got] = 0;
    printf("client got: %s\n", buf);
    shutdown(s, SHUT_WR);
    close(s);
    return arg;
}

int main(void)
{
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(ls, (struct sockaddr *)&a, sizeof a) != 0 || listen(ls, 4) != 0)
        return 1;
    socklen_t len = sizeof server_addr;
    getsockname(ls, (struct sockaddr *)&server_addr, &len);
    printf("listening on %s, port assigned: %s\n", inet_ntoa(server_addr.sin_addr),
           ntohs(server_addr.sin_port) != 0 ? "yes" : "no");
    fflush(stdout);

    pthread_t t;
    pthread_create(&t, NULL, client, NULL);
    struct sockaddr_in peer;
    len = sizeof peer;
    int c = accept(ls, (struct sockaddr *)&peer, &len);
    if (c < 0)
        return 1;
    struct sockaddr_in peer2;
    socklen_t len2 = sizeof peer2;
    getpeername(c, (struct sockaddr *)&peer2, &len2);
    printf("accepted from %s, getpeername agrees: %s\n", inet_ntoa(peer.sin_addr),
           peer.sin_port == peer2.sin_port ? "yes" : "no");
    char buf[64];
    size_t got = 0;
    while (got < 11) {
        ssize_t n = recv(c, buf + got, sizeof buf - 1 - got, 0);
        if (n <= 0)
            return 1;
        got += (size_t)n;
    }
    buf[got] = 0;
    printf("server got: %s\n", buf);
    fflush(stdout);
    if (send(c, "OK /thread!", 11, 0) != 11)
        return 1;
    ssize_t n = recv(c, buf, sizeof buf, 0);
    pthread_join(t, NULL);
    printf("server: end of file after the client's shutdown: %s\n", n == 0 ? "yes" : "no");
    close(c);
    close(ls);
    return 0;
}
