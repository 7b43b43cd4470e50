// rrdb-test: replays 20
/*
 * writers_mixed.c — covers several tasks writing to one output at once: four
 * processes (the main one and three children) and three more threads of the
 * main process each write their lines, one write(2) per line, with no
 * synchronisation between them. The interleaving is whatever the kernel
 * took; a replay must print the very same one. Three shared outputs in turn:
 * stdout (300 lines each), a pipe that a child copies to stdout, and a file
 * opened with O_APPEND that is then copied to stdout (100 lines each).
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

enum { CHILDREN = 3, THREADS = 3 };

struct writer {
    char name[32];
    int fd;
    int lines;
};

static void write_lines(const struct writer *w)
{
    for (int i = 0; i < w->lines; i++) {
        char line[64];
        int n = snprintf(line, sizeof line, "%s line %03d\n", w->name, i);
        if (write(w->fd, line, (size_t)n) != n)
            _exit(1);
    }
}

static void *thread_writer(void *w)
{
    write_lines(w);
    return NULL;
}

static int wait_for(pid_t child)
{
    int status;
    return waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Every writer writes `lines` lines tagged with `output` to fd; returns when all are done. */
static int write_all(const char *output, int fd, int lines)
{
    pid_t children[CHILDREN];
    for (int c = 0; c < CHILDREN; c++) {
        children[c] = fork();
        if (children[c] < 0)
            return -1;
        if (children[c] == 0) {
            struct writer w = {.fd = fd, .lines = lines};
            snprintf(w.name, sizeof w.name, "%s: process %d", output, c + 1);
            write_lines(&w);
            _exit(0);
        }
    }
    static struct writer writers[THREADS + 1];
    pthread_t threads[THREADS];
    for (int t = 0; t <= THREADS; t++) {
        writers[t] = (struct writer){.fd = fd, .lines = lines};
        snprintf(writers[t].name, sizeof writers[t].name, t < THREADS ? "%s: thread %d" : "%s: process 0",
                 output, t + 1);
        if (t < THREADS && pthread_create(&threads[t], NULL, thread_writer, &writers[t]) != 0)
            return -1;
    }
    write_lines(&writers[THREADS]);
    int failed = 0;
    for (int t = 0; t < THREADS; t++)
        pthread_join(threads[t], NULL);
    for (int c = 0; c < CHILDREN; c++)
        failed |= wait_for(children[c]);
    return failed;
}

/* Copy what fd holds (to its end) to stdout. */
static int copy_to_stdout(int fd)
{
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        if (write(STDOUT_FILENO, buf, (size_t)n) != n)
            return -1;
    return n == 0 ? 0 : -1;
}

int main(void)
{
    if (write_all("stdout", STDOUT_FILENO, 300) < 0)
        return 1;

    int p[2];
    if (pipe(p) < 0)
        return 1;
    pid_t reader = fork();
    if (reader == 0) {
        close(p[1]);
        _exit(copy_to_stdout(p[0]) < 0);
    }
    close(p[0]);
    if (write_all("pipe", p[1], 100) < 0)
        return 1;
    close(p[1]);
    if (wait_for(reader) < 0)
        return 1;

    static const char name[] = "writers_mixed.out";
    int file = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
    if (file < 0 || write_all("file", file, 100) < 0)
        return 1;
    close(file);
    file = open(name, O_RDONLY);
    if (file < 0 || copy_to_stdout(file) < 0 || unlink(name) < 0)
        return 1;
    close(file);
    return 0;
}
