/*
 * stack_overflow.c — covers stack overflow: unbounded recursion with a
 * SIGSEGV handler on a sigaltstack (the handler runs, reports and leaves
 * with siglongjmp), and without an alternate stack (the kernel cannot push
 * the frame and kills the process with SIGSEGV; run in a child).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static sigjmp_buf out;

static void on_segv(int sig)
{
    static const char msg[] = "handler on the alternate stack\n";
    (void)sig;
    (void)!write(1, msg, sizeof msg - 1);
    siglongjmp(out, 1);
}

static volatile int stop_depth = -1; /* never reached: the stack ends first */

static int recurse(int depth)
{
    volatile char pad[512];
    pad[0] = (char)depth;
    if (depth == stop_depth)
        return 0;
    return recurse(depth + 1) + pad[0];
}

int main(void)
{
    struct rlimit rl = {8 << 20, 8 << 20};
    setrlimit(RLIMIT_STACK, &rl);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGSEGV, on_segv); /* no alternate stack: the frame cannot be pushed */
        recurse(0);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("without sigaltstack: %s %d\n", WIFSIGNALED(status) ? "killed by" : "exited",
           WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));

    stack_t ss = {.ss_sp = malloc(SIGSTKSZ * 4), .ss_size = SIGSTKSZ * 4};
    sigaltstack(&ss, NULL);
    struct sigaction sa = {.sa_handler = on_segv, .sa_flags = SA_ONSTACK};
    sigaction(SIGSEGV, &sa, NULL);
    if (sigsetjmp(out, 1) == 0)
        recurse(0);
    printf("back in main after the overflow\n");
    return 0;
}
