/*
 * trace_dir.c — the default trace directory and naming (see trace_dir.h).
 */
#include "trace_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"

/* Create directory `path` if missing, for its owner only whatever the umask
 * (the traces in it are private). A directory that exists is left as it is. */
static int make_private_dir(const char *path)
{
    if (mkdir(path, 0700) < 0) {
        if (errno == EEXIST)
            return 0;
        error_set_errno("cannot create %s", path);
        return -1;
    }
    if (chmod(path, 0700) < 0) {
        error_set_errno("cannot make %s private", path);
        return -1;
    }
    return 0;
}

static int make_dirs(const char *path)
{
    char partial[4096];
    snprintf(partial, sizeof partial, "%s", path);
    for (char *p = partial + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (make_private_dir(partial) < 0)
            return -1;
        *p = '/';
    }
    return make_private_dir(partial);
}

int trace_dir_get(char *dir, size_t size)
{
    const char *explicit_dir = getenv("RRDB_TRACE_DIR");
    const char *data_home = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (explicit_dir && *explicit_dir)
        snprintf(dir, size, "%s", explicit_dir);
    else if (data_home && *data_home)
        snprintf(dir, size, "%s/rrdb", data_home);
    else if (home && *home)
        snprintf(dir, size, "%s/.local/share/rrdb", home);
    else {
        error_set("cannot find a trace directory: set HOME or RRDB_TRACE_DIR, or use -o");
        return -1;
    }
    return make_dirs(dir);
}

int trace_dir_new_trace(const char *program, char *path, size_t size)
{
    char dir[4096], name[256];
    if (trace_dir_get(dir, sizeof dir) < 0)
        return -1;
    snprintf(name, sizeof name, "%s", program);
    const char *base = basename(name);
    for (int n = 0; n < 100000; n++) {
        snprintf(path, size, "%s/%s-%d", dir, base, n);
        /* O_EXCL reserves the name against a concurrent recording. */
        int fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
        if (fd >= 0) {
            close(fd);
            unlink(path);
            return 0;
        }
        if (errno != EEXIST) {
            error_set_errno("cannot create a trace in %s", dir);
            return -1;
        }
    }
    error_set("too many traces named %s in %s", base, dir);
    return -1;
}

int trace_dir_set_latest(const char *path)
{
    char dir[4096], link_path[4200], temp[4300];
    if (trace_dir_get(dir, sizeof dir) < 0)
        return -1;
    snprintf(link_path, sizeof link_path, "%s/latest-trace", dir);
    snprintf(temp, sizeof temp, "%s.%d", link_path, getpid());
    unlink(temp);
    if (symlink(path, temp) < 0 || rename(temp, link_path) < 0) {
        error_set_errno("cannot update %s", link_path);
        unlink(temp);
        return -1;
    }
    return 0;
}

int trace_dir_latest(char *path, size_t size)
{
    char dir[4096], link_path[4200];
    if (trace_dir_get(dir, sizeof dir) < 0)
        return -1;
    snprintf(link_path, sizeof link_path, "%s/latest-trace", dir);
    ssize_t n = readlink(link_path, path, size - 1);
    if (n < 0) {
        error_set("no trace given and no latest trace in %s", dir);
        return -1;
    }
    path[n] = 0;
    return 0;
}
