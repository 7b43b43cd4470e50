/*
 * query_timeout.c — the deadline of every rr-query statement (see
 * query_timeout.h): a progress handler for the clean stop, SIGALRM for the
 * hard one.
 */
#include "query_timeout.h"

#include <math.h> /* isfinite */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "error.h"

/* Virtual-machine steps between two looks at the clock: about a millisecond. */
#define PROGRESS_STEPS 10000
#define TIMEOUT_MAX_SECONDS 86400.0

static struct timespec deadline;
static bool expired;
/* Written before the handlers are installed, read by them. */
static char message[128];

int query_timeout_parse(const char *text, double *seconds)
{
    char *end;
    double value = strtod(text, &end);
    if (end == text || *end || !isfinite(value) || value <= 0 || value > TIMEOUT_MAX_SECONDS) {
        error_set("bad --timeout '%s' (seconds, more than 0, at most %.0f)", text, TIMEOUT_MAX_SECONDS);
        return -1;
    }
    *seconds = value;
    return 0;
}

static bool past_deadline(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > deadline.tv_sec || (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec);
}

static int on_progress(void *context)
{
    (void)context;
    if (!expired && past_deadline())
        expired = true;
    return expired; /* non-zero interrupts the statement */
}

/* The hard stop: only async-signal-safe calls. */
static void on_alarm(int signo)
{
    (void)signo;
    static const char program[] = "rr-query: ";
    ssize_t ignored = write(STDERR_FILENO, program, sizeof program - 1);
    ignored = write(STDERR_FILENO, message, strlen(message));
    (void)ignored;
    _exit(1);
}

int query_timeout_arm(sqlite3 *db, double seconds)
{
    snprintf(message, sizeof message, "query stopped after %g s (--timeout SECONDS allows more)\n", seconds);
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    time_t whole = (time_t)seconds; /* seconds > 0: truncation is floor */
    deadline.tv_sec += whole;
    deadline.tv_nsec += (long)((seconds - (double)whole) * 1e9);
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    sqlite3_progress_handler(db, PROGRESS_STEPS, on_progress, NULL);

    struct sigaction action = {.sa_handler = on_alarm};
    sigemptyset(&action.sa_mask);
    struct itimerval timer = {.it_value = {.tv_sec = whole + 1,
                                           .tv_usec = (suseconds_t)((seconds - (double)whole) * 1e6)}};
    if (sigaction(SIGALRM, &action, NULL) < 0 || setitimer(ITIMER_REAL, &timer, NULL) < 0) {
        error_set_errno("cannot set the query's time limit");
        return -1;
    }
    return 0;
}

bool query_timeout_expired(void)
{
    return expired;
}

const char *query_timeout_message(void)
{
    static char line[sizeof message];
    snprintf(line, sizeof line, "%.*s", (int)strcspn(message, "\n"), message);
    return line;
}
