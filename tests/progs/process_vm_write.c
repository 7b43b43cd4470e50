// rrdb-test: nested
// rrdb-test: nested-diff
/*
 * process_vm_write.c — covers one recorded process changing another's memory
 * with process_vm_writev (and reading it back with process_vm_readv): the
 * child prints what its parent wrote into it.
 */
#define _GNU_SOURCE /* process_vm_readv, process_vm_writev */
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static char message[32] = "not written";

int main(void)
{
    int go[2], done[2];
    if (pipe(go) < 0 || pipe(done) < 0)
        return 1;
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char byte;
        if (write(done[1], "r", 1) != 1 || read(go[0], &byte, 1) != 1)
            return 1;
        printf("child sees: %s\n", message);
        return 0;
    }
    char byte;
    if (read(done[0], &byte, 1) != 1)
        return 1;
    char text[32] = "written by the parent";
    struct iovec local = {text, sizeof text}, remote = {message, sizeof message};
    ssize_t wrote = process_vm_writev(child, &local, 1, &remote, 1, 0);
    char back[32] = "";
    struct iovec into = {back, sizeof back};
    ssize_t read_back = process_vm_readv(child, &into, 1, &remote, 1, 0);
    printf("parent wrote %zd bytes, read back %zd: %s\n", wrote, read_back, back);
    fflush(stdout);
    if (write(go[1], "g", 1) != 1)
        return 1;
    int status;
    waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
