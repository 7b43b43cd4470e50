/*
 * sig_sync_blocked.c — covers synchronous signals the program blocked or
 * ignored: the kernel kills the process anyway. Each case in a child: SIGSEGV
 * while blocked, SIGSEGV while ignored, SIGILL (ud2) while blocked, SIGFPE
 * (integer division by zero) while ignored, and SIGSEGV whose handler faults
 * again (the second fault comes while SIGSEGV is blocked in the handler).
 */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static void segv(void)
{
    volatile int *volatile p = NULL;
    *p = 1;
}

static void on_segv(int sig)
{
    (void)sig;
    (void)!write(1, "in handler, faulting again\n", 27);
    segv();
}

static void block(int sig)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_BLOCK, &set, NULL);
}

static void case_segv_blocked(void) { block(SIGSEGV); segv(); }
static void case_segv_ignored(void) { signal(SIGSEGV, SIG_IGN); segv(); }
static void case_ill_blocked(void) { block(SIGILL); __asm__ volatile("ud2"); }

static void case_fpe_ignored(void)
{
    signal(SIGFPE, SIG_IGN);
    volatile int zero = 0, seven = 7;
    printf("%d\n", seven / zero);
}

static void case_fault_in_handler(void)
{
    signal(SIGSEGV, on_segv);
    segv();
}

int main(void)
{
    void (*cases[])(void) = {case_segv_blocked, case_segv_ignored, case_ill_blocked, case_fpe_ignored,
                             case_fault_in_handler};
    const char *names[] = {"segv blocked", "segv ignored", "ill blocked", "fpe ignored", "fault in handler"};
    for (int i = 0; i < 5; i++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            cases[i]();
            _exit(0);
        }
        int status;
        waitpid(pid, &status, 0);
        printf("%s: %s %d\n", names[i], WIFSIGNALED(status) ? "killed by" : "exited",
               WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    }
    return 0;
}
