/*
 * gdb_packet.h — the GDB remote protocol's framing, over one connected
 * socket: `$data#checksum` packets, the `+`/`-` acknowledgements until gdb
 * turns them off (QStartNoAckMode), the escaping of binary data, and the
 * hex encodings every command uses. What the packets mean is gdb_server.c's.
 */
#ifndef RRDB_GDB_PACKET_H
#define RRDB_GDB_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { GDB_PACKET_MAX = 16384 }; /* the PacketSize we announce, and our largest reply */

struct gdb_conn {
    int fd;                     /* the connected socket (-1: none) */
    bool no_ack;                /* QStartNoAckMode accepted */
    unsigned char in[4096];     /* bytes read but not yet used */
    size_t in_len, in_pos;
};

/* Read the next packet's data (NUL-terminated, at most size-1 bytes) into
 * buf, acknowledging it. Returns its length, or -1 when gdb closed the
 * connection or a read failed (error set). Interrupt bytes (0x03) are
 * dropped: a stopped replay has nothing to interrupt. */
int gdb_packet_read(struct gdb_conn *conn, char *buf, size_t size);
/* Without waiting: whether gdb sent an interrupt (0x03: the user's ^C)
 * while the program runs; it is used up. */
bool gdb_packet_interrupted(struct gdb_conn *conn);

/* Send `len` bytes of data as one packet (escaping '#', '$', '}' and '*'),
 * and wait for gdb's acknowledgement unless acks are off. 0 or -1. */
int gdb_packet_send(struct gdb_conn *conn, const char *data, size_t len);
int gdb_packet_send_str(struct gdb_conn *conn, const char *text);

/* Two lowercase hex digits per byte into out (which gets 2*len+1 bytes). */
void gdb_hex_encode(const void *bytes, size_t len, char *out);
/* Decode 2*len hex digits into bytes. 0, or -1 on a non-hex digit. */
int gdb_hex_decode(const char *hex, void *bytes, size_t len);
/* A hex number at *text, moving *text past it. false when there is none. */
bool gdb_hex_number(const char **text, uint64_t *value);
/* Undo the binary escaping ('}' then the byte xor 0x20) of `len` bytes in
 * place; returns the decoded length. */
size_t gdb_binary_unescape(char *data, size_t len);

#endif
