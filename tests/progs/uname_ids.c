/*
 * uname_ids.c — covers uname, getpid, getppid, gettid, getuid/geteuid,
 * getgid/getegid and getpgrp/getsid; values are printed and must replay.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(void)
{
    struct utsname u;
    int rc = uname(&u);
    printf("uname rc=%d sysname=%s machine=%s release=%s nodename=%s\n", rc,
           u.sysname, u.machine, u.release, u.nodename);
    printf("pid=%d ppid=%d tid=%d tid==pid:%d\n", getpid(), getppid(), gettid(),
           gettid() == getpid());
    printf("uid=%d euid=%d gid=%d egid=%d\n", getuid(), geteuid(), getgid(), getegid());
    printf("pgrp=%d sid=%d\n", getpgrp(), getsid(0));
    return 0;
}
