/* follow.h: `-z follow,tcp|udp,ascii|hex|raw,N`: one stream's payload in order, printed
 * as tshark 4.0 prints it. */
#pragma once

#include <glib.h>
#include <stdio.h>

#include "dissect.h"

typedef enum {
    PEEL_FOLLOW_ASCII, /* length line, then the text with unprintable bytes as '.' */
    PEEL_FOLLOW_HEX,   /* hexdump lines, offsets counted per direction */
    PEEL_FOLLOW_RAW,   /* one line of hex per chunk */
} PeelFollowMode;

typedef struct PeelFollow PeelFollow;

/* Follows stream `stream` (tcp.stream or udp.stream) of transport `ip_proto` (6 or 17).
 * Keeps the bytes of that stream only. Free with peel_follow_free(). */
PeelFollow *peel_follow_new(uint8_t ip_proto, PeelFollowMode mode, uint32_t stream);
void peel_follow_free(PeelFollow *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PeelFollow, peel_follow_free)

/* A stream tap run (peel_dissector_set_stream_tap). Runs of other streams are ignored.
 * Node 0 is, as in tshark, the sender of the stream's first packet for TCP and of its
 * first datagram with payload for UDP. A gap (data NULL) becomes tshark's chunk
 * "[N bytes missing in capture file]" with its trailing NUL. Runs of one direction from
 * one TCP frame are one chunk. */
void peel_follow_chunk(PeelFollow *f, const PeelStreamChunk *chunk);
/* Lets a TCP follow learn its nodes from a packet of the stream that carries no payload
 * (a connection without data still names its nodes). */
void peel_follow_packet(PeelFollow *f, const PeelPacket *pkt);

/* Appends the report: the header block (Follow, Filter, Node 0, Node 1), the chunks, the
 * closing line. */
void peel_follow_print(const PeelFollow *f, GString *out);
/* The same written to `out` chunk by chunk; false when writing fails. */
bool peel_follow_write(const PeelFollow *f, FILE *out);
