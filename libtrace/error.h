/*
 * error.h — how libtrace reports failures.
 *
 * libtrace functions return -1 (or NULL) on failure after recording a one-line
 * message with error_set(); the tool that called them prints error_text() with
 * its own name in front and exits. No libtrace function prints or exits.
 */
#ifndef RRDB_ERROR_H
#define RRDB_ERROR_H

#include <stdnoreturn.h>

/* Record the message for the current failure (printf format, no newline). */
void error_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Like error_set, with ": strerror(errno)" appended. */
void error_set_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The message of the last failure ("" if none). */
const char *error_text(void);

/* For tools: the name put in front of every message ("rr-record"). */
void error_set_program(const char *name);
/* The name set by error_set_program. */
const char *error_program(void);
/* For tools: `hook` runs before every line printed here (a progress line
 * erases itself: progress_line.h); NULL for none. */
void error_set_before_note(void (*hook)(void));
/* For tools: print "PROGRAM: message" on stderr and exit with `status`. */
noreturn void error_exit(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* For tools: print "PROGRAM: <last libtrace failure>" and exit with `status`. */
noreturn void error_exit_last(int status);
/* For tools: print "PROGRAM: message" on stderr (a warning or a summary). */
void error_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* For tools: the line that ends the run is printed; error_note prints
 * nothing more (what follows from it would be a cascade of consequences). */
void error_notes_off(void);
/* For tools that start over after such a line (rr-replay under gdb, going
 * back: gdb_target.h): notes print again. */
void error_notes_on(void);

#endif
