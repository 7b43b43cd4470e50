/*
 * access.c — covers access and faccessat (and the faccessat2 that newer glibc
 * uses for flags) on an existing file, a missing one and the cwd.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    close(open("access.dat", O_CREAT | O_WRONLY, 0600));
    printf("access R_OK: %d\n", access("access.dat", R_OK));
    int rc = access("access.dat", X_OK);
    printf("access X_OK: %d (%s)\n", rc, strerror(errno));
    rc = access("missing.dat", F_OK);
    printf("access missing: %d (%s)\n", rc, strerror(errno));
    printf("faccessat W_OK: %d\n", faccessat(AT_FDCWD, "access.dat", W_OK, 0));
    printf("faccessat dir X_OK eaccess: %d\n", faccessat(AT_FDCWD, ".", X_OK, AT_EACCESS));
    unlink("access.dat");
    return 0;
}
