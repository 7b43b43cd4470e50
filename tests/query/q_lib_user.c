/*
 * q_lib_user.c — tracee of tests/query-tests.sh: calls q_lib_getppid from
 * libq_lib.so (q_lib.c) once.
 */
long q_lib_getppid(void);

int main(void)
{
    return q_lib_getppid() > 0 ? 0 : 1;
}
