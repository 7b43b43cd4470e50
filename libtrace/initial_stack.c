/*
 * initial_stack.c — walking the initial stack that execve builds:
 * argc, argv[], NULL, envp[], NULL, then auxv pairs up to AT_NULL.
 */
#include "initial_stack.h"

#include <elf.h>

#include "error.h"
#include "task.h"

enum { MAX_STACK_WORDS = 1 << 20 };

int initial_stack_hide_vdso(struct task *task, uint64_t stack_pointer)
{
    uint64_t address = stack_pointer, word;
    int nulls_seen = 0;
    /* Skip argc, argv and envp: after argc, two NULL-terminated arrays. */
    address += 8;
    for (int i = 0; nulls_seen < 2; i++, address += 8) {
        if (i > MAX_STACK_WORDS || task_read_mem(task, address, &word, 8) != 8) {
            error_set("cannot find the auxiliary vector on the initial stack of task %d", task->tid);
            return -1;
        }
        if (word == 0)
            nulls_seen++;
    }
    for (int i = 0; i < MAX_STACK_WORDS; i++, address += 16) {
        uint64_t pair[2];
        if (task_read_mem(task, address, pair, sizeof pair) != sizeof pair)
            break;
        if (pair[0] == AT_NULL)
            return 0;
        if (pair[0] == AT_SYSINFO_EHDR) {
            uint64_t ignore = AT_IGNORE;
            return task_write_mem(task, address, &ignore, 8);
        }
    }
    error_set("malformed auxiliary vector on the initial stack of task %d", task->tid);
    return -1;
}
