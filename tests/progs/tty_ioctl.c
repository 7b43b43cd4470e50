// rrdb-test: tty
/*
 * tty_ioctl.c — covers terminal ioctls on fd 0: isatty (TCGETS), tcgetattr
 * and TIOCGWINSZ, plus isatty on stdout. The runner gives tty_* programs a
 * pseudo-terminal; without one it prints that and still exits 0.
 */
#include <stdio.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int main(void)
{
    printf("isatty(0)=%d isatty(1)=%d\n", isatty(0), isatty(1));
    if (!isatty(0)) {
        printf("fd 0 is not a terminal\n");
        return 0;
    }
    struct termios t;
    int rc = tcgetattr(0, &t);
    printf("tcgetattr rc=%d icanon=%d echo=%d\n", rc, !!(t.c_lflag & ICANON),
           !!(t.c_lflag & ECHO));
    struct winsize ws;
    rc = ioctl(0, TIOCGWINSZ, &ws);
    printf("TIOCGWINSZ rc=%d rows=%d cols=%d\n", rc, ws.ws_row, ws.ws_col);
    printf("ttyname(0) is a pty: %s\n",
           ttyname(0) && ttyname(0)[5] == 'p' ? "yes" : "no");
    return 0;
}
