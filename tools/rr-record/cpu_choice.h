/* cpu_choice.h — which CPU a recording runs on (cpu_choice.c). */
#ifndef RRDB_CPU_CHOICE_H
#define RRDB_CPU_CHOICE_H

/* The allowed CPU that was idle the longest over a short sample. */
int cpu_choice_least_busy(void);

/* TEXT as an allowed CPU number into *CPU; -1 with the error set otherwise. */
int cpu_choice_parse(const char *text, int *cpu);

#endif
