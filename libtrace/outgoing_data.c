/*
 * outgoing_data.c — gathering the bytes of write-like syscalls from the
 * program's memory (see outgoing_data.h).
 */
#include "outgoing_data.h"

#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "error.h"
#include "task.h"

enum { MAX_IOVECS = 1024 };

bool outgoing_data_applies(long sysno)
{
    switch (sysno) {
    case SYS_write:
    case SYS_pwrite64:
    case SYS_writev:
    case SYS_pwritev:
    case SYS_pwritev2:
    case SYS_sendto:
        return true;
    default:
        return false;
    }
}

int outgoing_data_read(struct task *task, long sysno, const uint64_t args[6], int64_t result,
                       unsigned char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    if (result <= 0 || !outgoing_data_applies(sysno))
        return 0;
    size_t total = (size_t)result;
    unsigned char *bytes = malloc(total);
    if (!bytes) {
        error_set("out of memory reading %zu written bytes", total);
        return -1;
    }
    size_t done = 0;
    if (sysno == SYS_write || sysno == SYS_pwrite64 || sysno == SYS_sendto) {
        ssize_t n = task_read_mem(task, args[1], bytes, total);
        done = n > 0 ? (size_t)n : 0;
    } else {
        uint64_t count = args[2] < MAX_IOVECS ? args[2] : MAX_IOVECS;
        for (uint64_t i = 0; i < count && done < total; i++) {
            struct iovec iov;
            if (task_read_mem(task, args[1] + i * sizeof iov, &iov, sizeof iov) != sizeof iov)
                break;
            size_t take = iov.iov_len < total - done ? iov.iov_len : total - done;
            if (take && task_read_mem(task, (uint64_t)iov.iov_base, bytes + done, take) != (ssize_t)take)
                break;
            done += take;
        }
    }
    *data = bytes;
    *len = done;
    return 0;
}
