/*
 * ptrace_exec.c — covers a traced child that execs: with PTRACE_O_TRACEEXEC
 * the parent sees PTRACE_EVENT_EXEC (its message: the former tid), then the
 * new program (/bin/echo) runs to its end under the tracer.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        ptrace(PTRACE_TRACEME, 0, NULL, NULL);
        raise(SIGSTOP);
        execl("/bin/echo", "echo", "echo ran under a tracer", (char *)NULL);
        _exit(127);
    }
    int status;
    waitpid(child, &status, 0);
    ptrace(PTRACE_SETOPTIONS, child, NULL, (void *)PTRACE_O_TRACEEXEC);
    ptrace(PTRACE_CONT, child, NULL, NULL);
    int execs = 0, other_stops = 0;
    unsigned long former = 0;
    for (;;) {
        waitpid(child, &status, 0);
        if (!WIFSTOPPED(status))
            break;
        if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXEC << 8))) {
            execs++;
            ptrace(PTRACE_GETEVENTMSG, child, NULL, &former);
        } else {
            other_stops++;
        }
        ptrace(PTRACE_CONT, child, NULL, NULL);
    }
    printf("exec events %d (former tid is the child: %s), other stops %d, exit %d\n", execs,
           former == (unsigned long)child ? "yes" : "no", other_stops, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return execs == 1 ? 0 : 1;
}
