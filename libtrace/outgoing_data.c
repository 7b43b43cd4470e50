/*
 * outgoing_data.c — gathering the bytes of write-like syscalls from the
 * program's memory (see outgoing_data.h).
 */
#include "outgoing_data.h"

#include <stdlib.h>
#include <sys/uio.h>

#include "error.h"
#include "syscall_table.h"
#include "task.h"

enum { MAX_IOVECS = 1024 };

bool outgoing_data_applies(const struct syscall_desc *desc)
{
    return desc && desc->effects.sends_arg != SYSCALL_NO_ARG;
}

int outgoing_data_read(struct task *task, const struct syscall_desc *desc, const uint64_t args[6], int64_t result,
                       unsigned char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    if (result <= 0 || !outgoing_data_applies(desc))
        return 0;
    size_t total = (size_t)result;
    unsigned char *bytes = malloc(total);
    if (!bytes) {
        error_set("out of memory reading %zu written bytes", total);
        return -1;
    }
    const struct syscall_effects *effects = &desc->effects;
    uint64_t at = args[effects->sends_arg];
    size_t done = 0;
    if (effects->sends_iov_count_arg == SYSCALL_NO_ARG) {
        ssize_t n = task_read_mem(task, at, bytes, total);
        done = n > 0 ? (size_t)n : 0;
    } else {
        uint64_t count = args[effects->sends_iov_count_arg];
        count = count < MAX_IOVECS ? count : MAX_IOVECS;
        for (uint64_t i = 0; i < count && done < total; i++) {
            struct iovec iov;
            if (task_read_mem(task, at + i * sizeof iov, &iov, sizeof iov) != sizeof iov)
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
