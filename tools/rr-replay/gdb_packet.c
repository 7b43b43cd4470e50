/*
 * gdb_packet.c — GDB remote protocol framing (see gdb_packet.h): reading
 * and acknowledging packets, sending them with their checksum, and the hex
 * and binary encodings of their contents.
 */
#include "gdb_packet.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "error.h"

/* The next byte from gdb: 0..255, or -1 at the end of the connection. */
static int next_byte(struct gdb_conn *conn)
{
    if (conn->in_pos == conn->in_len) {
        ssize_t n;
        do
            n = read(conn->fd, conn->in, sizeof conn->in);
        while (n < 0 && errno == EINTR); /* the watchdog's timer */
        if (n <= 0) {
            if (n < 0)
                error_set_errno("reading from gdb");
            else
                error_set("gdb closed the connection");
            return -1;
        }
        conn->in_len = (size_t)n;
        conn->in_pos = 0;
    }
    return conn->in[conn->in_pos++];
}

bool gdb_packet_interrupted(struct gdb_conn *conn)
{
    if (conn->in_pos == conn->in_len) {
        struct pollfd ready = {.fd = conn->fd, .events = POLLIN};
        if (poll(&ready, 1, 0) <= 0)
            return false;
        ssize_t n = read(conn->fd, conn->in, sizeof conn->in);
        if (n <= 0)
            return false; /* the end of the connection: seen at the next packet */
        conn->in_len = (size_t)n;
        conn->in_pos = 0;
    }
    while (conn->in_pos < conn->in_len && conn->in[conn->in_pos] != '$')
        if (conn->in[conn->in_pos++] == 0x03)
            return true;
    return false;
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            error_set_errno("writing to gdb");
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int gdb_packet_read(struct gdb_conn *conn, char *buf, size_t size)
{
    for (;;) {
        int c;
        while ((c = next_byte(conn)) != '$')
            if (c < 0)
                return -1; /* '+', '-' and interrupts between packets are dropped */
        size_t len = 0;
        unsigned sum = 0;
        bool too_long = false;
        while ((c = next_byte(conn)) != '#') {
            if (c < 0)
                return -1;
            sum += (unsigned)c;
            if (len + 1 < size)
                buf[len++] = (char)c;
            else
                too_long = true;
        }
        int hi = next_byte(conn), lo = next_byte(conn);
        if (hi < 0 || lo < 0)
            return -1;
        buf[len] = 0;
        bool good = hex_digit(hi) >= 0 && hex_digit(lo) >= 0 &&
                    (unsigned)(hex_digit(hi) * 16 + hex_digit(lo)) == (sum & 0xff);
        if (conn->no_ack && !too_long)
            return (int)len;
        if (!conn->no_ack && write_all(conn->fd, good && !too_long ? "+" : "-", 1) < 0)
            return -1;
        if (good && !too_long)
            return (int)len;
    }
}

int gdb_packet_send(struct gdb_conn *conn, const char *data, size_t len)
{
    static char out[2 * GDB_PACKET_MAX + 8];
    size_t n = 0;
    unsigned sum = 0;
    out[n++] = '$';
    for (size_t i = 0; i < len && n < sizeof out - 4; i++) {
        char c = data[i];
        if (c == '#' || c == '$' || c == '}' || c == '*') {
            out[n++] = '}';
            sum += '}';
            c ^= 0x20;
        }
        out[n++] = c;
        sum += (unsigned char)c;
    }
    static const char digits[] = "0123456789abcdef";
    out[n++] = '#';
    out[n++] = digits[(sum >> 4) & 0xf];
    out[n++] = digits[sum & 0xf];
    for (;;) {
        if (write_all(conn->fd, out, n) < 0)
            return -1;
        if (conn->no_ack)
            return 0;
        int c;
        while ((c = next_byte(conn)) != '+' && c != '-')
            if (c < 0)
                return -1;
        if (c == '+')
            return 0;
    }
}

int gdb_packet_send_str(struct gdb_conn *conn, const char *text)
{
    return gdb_packet_send(conn, text, strlen(text));
}

void gdb_hex_encode(const void *bytes, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    const unsigned char *b = bytes;
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 0xf];
    }
    out[2 * len] = 0;
}

int gdb_hex_decode(const char *hex, void *bytes, size_t len)
{
    unsigned char *b = bytes;
    for (size_t i = 0; i < len; i++) {
        int hi = hex_digit((unsigned char)hex[2 * i]);
        int lo = hi < 0 ? -1 : hex_digit((unsigned char)hex[2 * i + 1]);
        if (lo < 0)
            return -1;
        b[i] = (unsigned char)(hi * 16 + lo);
    }
    return 0;
}

bool gdb_hex_number(const char **text, uint64_t *value)
{
    const char *p = *text;
    uint64_t v = 0;
    int digits = 0;
    for (int d; (d = hex_digit((unsigned char)*p)) >= 0 && digits < 17; p++, digits++)
        v = v * 16 + (uint64_t)d;
    if (digits == 0 || digits > 16)
        return false;
    *value = v;
    *text = p;
    return true;
}

size_t gdb_binary_unescape(char *data, size_t len)
{
    size_t out = 0;
    for (size_t i = 0; i < len; i++)
        data[out++] = data[i] == '}' && i + 1 < len ? (char)(data[++i] ^ 0x20) : data[i];
    return out;
}
