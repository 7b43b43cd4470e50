/*
 * replay_protocol.c — the byte sequences and names of the replay protocol
 * (replay_protocol.h), kept here once.
 */
#include "replay_protocol.h"

#include <assert.h>
#include <string.h>
#include <sys/syscall.h>

#include "trace_event.h"

const unsigned char replay_syscall_insn[SYSCALL_INSN_LENGTH] = {0x0f, 0x05};

const unsigned char replay_trampoline_code[TRAMPOLINE_CODE_SIZE] = {0x0f, 0x05, 0xcc}; /* syscall; int3 */

bool replay_is_syscall_insn(const unsigned char *code)
{
    return memcmp(code, replay_syscall_insn, SYSCALL_INSN_LENGTH) == 0;
}

bool replay_in_trampoline(uint64_t addr)
{
    return addr >= TRAMPOLINE_ADDR && addr < TRAMPOLINE_ADDR + TRAMPOLINE_SIZE;
}

bool replay_is_restart_result(int64_t result)
{
    return result == -ERESTARTSYS || result == -ERESTARTNOINTR || result == -ERESTARTNOHAND ||
           result == -ERESTART_RESTARTBLOCK;
}

enum task_end task_end_of_exit_event(const struct trace_event *event, int *value)
{
    assert(event->kind == EVENT_EXIT);
    *value = event->signo ? event->signo : (int)event->result;
    return event->signo ? TASK_END_KILLED : TASK_END_EXITED;
}

const char *task_end_name(enum task_end end)
{
    switch (end) {
    case TASK_END_EXITED: return "exited";
    case TASK_END_KILLED: return "killed";
    case TASK_END_NONE: break;
    }
    return NULL;
}

enum exit_scope syscall_exit_scope(long sysno)
{
    switch (sysno) {
    case SYS_exit: return EXIT_SCOPE_THREAD;
    case SYS_exit_group: return EXIT_SCOPE_PROCESS;
    default: return EXIT_SCOPE_NONE;
    }
}
