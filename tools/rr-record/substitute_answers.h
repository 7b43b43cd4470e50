/*
 * substitute_answers.h — answers the recorder gives in the kernel's place,
 * for calls it cannot record as the kernel would perform them (see
 * substitute_answers.c), and the warning line that lists them at the end of
 * the recording.
 */
#ifndef RRDB_SUBSTITUTE_ANSWERS_H
#define RRDB_SUBSTITUTE_ANSWERS_H

#include <stddef.h>
#include <stdint.h>

enum { SUBSTITUTE_KINDS = 16, SUBSTITUTE_SHOWN = 8 /* in the warning line */ };

/* What was answered so during a recording: each kind once, with a count. */
struct substitute_log {
    struct {
        char what[64];   /* "syscall 1000", "io_uring_setup", "unshare CLONE_NEWUSER" */
        int error;       /* the errno the program was given */
        long count;
    } kinds[SUBSTITUTE_KINDS];
    int kind_count;
    long other_count;    /* calls of kinds beyond SUBSTITUTE_KINDS */
};

/* Note one call answered with -error instead of the kernel's answer. */
void substitute_note(struct substitute_log *log, const char *what, int error);
/* The warning line for the end of the recording ("" when there is none). */
void substitute_summary(const struct substitute_log *log, char *text, size_t size);

#endif
