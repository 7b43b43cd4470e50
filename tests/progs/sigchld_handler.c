/*
 * sigchld_handler.c — covers SIGCHLD caught by a handler while three children
 * exit, and reaping them all with wait.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t sigchld_count;

static void on_child(int sig)
{
    (void)sig;
    sigchld_count++;
}

int main(void)
{
    struct sigaction sa = {0};
    sa.sa_handler = on_child;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGCHLD, &sa, NULL);
    fflush(stdout);
    for (int i = 0; i < 3; i++)
        if (fork() == 0)
            _exit(i);
    int reaped = 0, status;
    while (wait(&status) > 0)
        reaped++;
    printf("reaped %d children, SIGCHLD handler ran %s\n", reaped, sigchld_count > 0 ? "yes" : "no");
    return 0;
}
