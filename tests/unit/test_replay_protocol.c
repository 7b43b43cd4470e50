/*
 * test_replay_protocol.c — checks libtrace/replay_protocol.h, the contract
 * between rr-record, rr-replay and rr-diff --nested, against what it
 * describes: the kernel's struct clone_args and restart codes, the recorder's
 * own instruction decoder, the trampoline page's layout, the event kinds the
 * trace schema names, and the task-end and set-up exit codes. A change on one
 * side that the other does not follow fails here. Prints PASS/FAIL lines and
 * `N passed, M failed`.
 */
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cpu_traps.h"
#include "kernel_names.h"
#include "replay_protocol.h"
#include "task.h"
#include "trace_event.h"
#include "unit_check.h"

extern const char trace_schema_sql[]; /* schema/trace.sql, as the build embeds it */

static void test_clone_args(void)
{
    check(CLONE_ARGS_FLAGS == offsetof(struct clone_args, flags) &&
              CLONE_ARGS_CHILD_TID == offsetof(struct clone_args, child_tid) &&
              CLONE_ARGS_PARENT_TID == offsetof(struct clone_args, parent_tid) &&
              CLONE_ARGS_PIDFD == offsetof(struct clone_args, pidfd) &&
              CLONE_ARGS_EXIT_SIGNAL == offsetof(struct clone_args, exit_signal),
          "clone_args offsets are the kernel's");
    check(TRAMPOLINE_CLONE_ARGS_SIZE >= sizeof(struct clone_args),
          "the trampoline holds a whole struct clone_args");
}

static void test_restart_codes(void)
{
    check(strcmp(errno_name(ERESTARTSYS), "ERESTARTSYS") == 0 &&
              strcmp(errno_name(ERESTARTNOINTR), "ERESTARTNOINTR") == 0 &&
              strcmp(errno_name(ERESTARTNOHAND), "ERESTARTNOHAND") == 0 &&
              strcmp(errno_name(ERESTART_RESTARTBLOCK), "ERESTART_RESTARTBLOCK") == 0,
          "restart codes are the kernel's (kernel_names agrees)");
    check(replay_is_restart_result(-ERESTARTSYS) && replay_is_restart_result(-ERESTART_RESTARTBLOCK) &&
              !replay_is_restart_result(-4 /* EINTR */) && !replay_is_restart_result(ERESTARTSYS) &&
              !replay_is_restart_result(-515 /* ENOIOCTLCMD */),
          "replay_is_restart_result takes exactly the negated restart codes");
}

/* The recorder's decoder (cpu_traps_decode), run on this process's memory,
 * must step over each trapped instruction by the length replay uses. */
static void test_instruction_lengths(void)
{
    static const unsigned char rdtsc[] = {0x0f, 0x31, 0x90}, rdtscp[] = {0x0f, 0x01, 0xf9},
                               cpuid[] = {0x0f, 0xa2, 0x90};
    struct task self = {.tid = getpid(), .mem_fd = open("/proc/self/mem", O_RDWR)};
    int length = 0;
    check(self.mem_fd >= 0, "open /proc/self/mem");
    check(cpu_traps_decode(&self, (uint64_t)(uintptr_t)rdtsc, &length) == TRAPPED_RDTSC &&
              length == RDTSC_INSN_LENGTH,
          "rdtsc is RDTSC_INSN_LENGTH bytes");
    check(cpu_traps_decode(&self, (uint64_t)(uintptr_t)rdtscp, &length) == TRAPPED_RDTSCP &&
              length == RDTSCP_INSN_LENGTH,
          "rdtscp is RDTSCP_INSN_LENGTH bytes");
    check(cpu_traps_decode(&self, (uint64_t)(uintptr_t)cpuid, &length) == TRAPPED_CPUID &&
              length == CPUID_INSN_LENGTH,
          "cpuid is CPUID_INSN_LENGTH bytes");
    check(cpu_traps_decode(&self, (uint64_t)(uintptr_t)replay_syscall_insn, &length) == TRAPPED_NONE,
          "the syscall instruction is not a trapped one");
    if (self.mem_fd >= 0)
        close(self.mem_fd);
}

static void test_trampoline(void)
{
    check(SYSCALL_INSN_LENGTH == 2 && replay_syscall_insn[0] == 0x0f && replay_syscall_insn[1] == 0x05,
          "the syscall instruction is 0f 05");
    check(replay_is_syscall_insn(replay_trampoline_code) && replay_trampoline_code[SYSCALL_INSN_LENGTH] == 0xcc &&
              TRAMPOLINE_CODE_SIZE == SYSCALL_INSN_LENGTH + 1,
          "the trampoline code is syscall; int3");
    const struct { unsigned at, size; } areas[] = {
        {0, TRAMPOLINE_CODE_SIZE},
        {TRAMPOLINE_DEFAULT_ACTION_AT, TRAMPOLINE_DEFAULT_ACTION_SIZE},
        {TRAMPOLINE_NO_ALTSTACK_AT, TRAMPOLINE_NO_ALTSTACK_SIZE},
        {TRAMPOLINE_CLONE_ARGS_AT, TRAMPOLINE_CLONE_ARGS_SIZE},
        {TRAMPOLINE_EXEC_PATH_AT, TRAMPOLINE_EXEC_PATH_SIZE},
        {TRAMPOLINE_EXEC_ARGV_AT, TRAMPOLINE_EXEC_ARGV_SIZE},
        {TRAMPOLINE_KILL_FILTER_AT, TRAMPOLINE_KILL_FILTER_SIZE},
    };
    int ordered = 1;
    size_t count = sizeof areas / sizeof areas[0];
    for (size_t i = 1; i < count; i++)
        ordered &= areas[i - 1].at + areas[i - 1].size <= areas[i].at;
    check(ordered && areas[count - 1].at + areas[count - 1].size <= TRAMPOLINE_SIZE,
          "the trampoline's scratch areas follow the code, apart, inside the page");
    check(sizeof(REPLAY_FRESH_EXEC_PATH) <= TRAMPOLINE_EXEC_PATH_SIZE && TRAMPOLINE_EXEC_ARGV_SIZE >= 2 * sizeof(void *) &&
              TRAMPOLINE_NO_ALTSTACK_SIZE >= sizeof(stack_t),
          "each scratch area holds what replay puts there");
    check(replay_in_trampoline(TRAMPOLINE_ADDR) && replay_in_trampoline(TRAMPOLINE_ADDR + TRAMPOLINE_EXEC_ARGV_AT) &&
              !replay_in_trampoline(TRAMPOLINE_ADDR - 1) && !replay_in_trampoline(TRAMPOLINE_ADDR + TRAMPOLINE_SIZE),
          "replay_in_trampoline covers the page, only it");
}

/* Each kind's SQL spelling is its number, and the schema's events view names
 * it as event_kind_name does. */
static void test_event_kinds(void)
{
    static const struct { enum event_kind kind; const char *sql; } kinds[] = {
        {EVENT_SYSCALL, SQL_EVENT_SYSCALL}, {EVENT_SIGNAL, SQL_EVENT_SIGNAL},
        {EVENT_RDTSC, SQL_EVENT_RDTSC}, {EVENT_CPUID, SQL_EVENT_CPUID},
        {EVENT_EXEC, SQL_EVENT_EXEC}, {EVENT_EXIT, SQL_EVENT_EXIT},
        {EVENT_LANDMARK, SQL_EVENT_LANDMARK}, {EVENT_ENTER, SQL_EVENT_ENTER},
        {EVENT_TRACEE_STOP, SQL_EVENT_TRACEE_STOP}, {EVENT_TRACER_WRITE, SQL_EVENT_TRACER_WRITE},
        {EVENT_SHARED_MEMORY, SQL_EVENT_SHARED_MEMORY},
    };
    int spelled = 1, named = 1;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char when[64];
        spelled &= atoi(kinds[i].sql) == (int)kinds[i].kind;
        snprintf(when, sizeof when, "WHEN %d THEN '%s'", (int)kinds[i].kind, event_kind_name(kinds[i].kind));
        named &= strstr(trace_schema_sql, when) != NULL;
    }
    check(spelled, "SQL_EVENT_* spell the event kinds' numbers");
    check(named, "the schema's events view names each kind as event_kind_name does");
}

static void test_task_ends(void)
{
    check(task_end_name(TASK_END_NONE) == NULL && strcmp(task_end_name(TASK_END_EXITED), "exited") == 0 &&
              strcmp(task_end_name(TASK_END_KILLED), "killed") == 0,
          "task_end_name");
    check(syscall_exit_scope(SYS_exit) == EXIT_SCOPE_THREAD && syscall_exit_scope(SYS_exit_group) == EXIT_SCOPE_PROCESS &&
              syscall_exit_scope(SYS_write) == EXIT_SCOPE_NONE && syscall_exit_scope(-1) == EXIT_SCOPE_NONE,
          "exit ends a thread, exit_group a process, others return");
    check(strstr(trace_schema_sql, "'exited' | 'killed'") != NULL, "the schema documents the task-end names");
    /* A set-up failure must not read as a signal death (128 + n) or success. */
    const int codes[] = {RECORD_CHILD_SETUP_FAILED, REPLAY_CHILD_SETUP_FAILED, REPLAY_CHILD_NO_CPUID_FAULTING};
    int apart = REPLAY_CHILD_SETUP_FAILED != REPLAY_CHILD_NO_CPUID_FAULTING;
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        apart &= codes[i] > 0 && codes[i] < 128;
    check(apart, "child set-up exit codes are distinct, non-zero and below the signal range");
}

int main(void)
{
    test_clone_args();
    test_restart_codes();
    test_instruction_lengths();
    test_trampoline();
    test_event_kinds();
    test_task_ends();
    return unit_check_summary();
}
