/* peel-test.h: helpers for dissector unit tests: dissect hand-built bytes, query fields. */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "dissect.h"
#include "dissector.h"

typedef struct PeelTestPacket PeelTestPacket;

/* Dissects hex bytes (spaces, newlines and ':' ignored) starting at `proto` (NULL: the
 * whole frame with link type `linktype`). The frame's captured length is the bytes given;
 * its wire length is `wire_len` when larger (a short snaplen), else the same. */
PeelTestPacket *peel_test_dissect_hex_full(const PeelProto *proto, int linktype,
        const char *hex, uint32_t wire_len);
/* A frame of link type `linktype` from hex. */
PeelTestPacket *peel_test_dissect_frame_hex(int linktype, const char *hex);
/* Bytes dissected as `proto`. */
PeelTestPacket *peel_test_dissect_hex(const PeelProto *proto, const char *hex);
void peel_test_packet_free(PeelTestPacket *t);
/* Preferences ("tcp.check_checksum:TRUE") applied to packets dissected after the call;
 * NULL clears them. */
void peel_test_set_pref(const char *assignment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PeelTestPacket, peel_test_packet_free)

const PeelPacket *peel_test_packet(const PeelTestPacket *t);

/* How many times the field occurs. */
guint peel_test_field_count(const PeelTestPacket *t, const char *name);
/* The n-th occurrence's value as `peel -T fields` prints it; NULL when absent. The string
 * lives as long as t. */
const char *peel_test_field_str(PeelTestPacket *t, const char *name, guint n);
/* The n-th occurrence of the field, or NULL. */
const PeelField *peel_test_field(const PeelTestPacket *t, const char *name, guint n);
/* The n-th occurrence's label as the tree shows it (set where Wireshark's differs from
 * "Title: value"), or NULL. */
const char *peel_test_field_text(const PeelTestPacket *t, const char *name, guint n);
/* The summary's source address (dst false) or destination address as text, "" when
 * unset; g_free it. */
char *peel_test_col_addr(const PeelTestPacket *t, bool dst);
/* The first occurrence's numeric value (asserts that it exists). */
uint64_t peel_test_field_uint(const PeelTestPacket *t, const char *name);
gboolean peel_test_field_is_malformed(const PeelTestPacket *t, const char *name);
gboolean peel_test_field_is_truncated(const PeelTestPacket *t, const char *name);
/* True when some expert note's message contains `needle`. */
gboolean peel_test_has_expert(const PeelTestPacket *t, const char *needle);
/* The info column and the protocol column. */
const char *peel_test_info(const PeelTestPacket *t);
const char *peel_test_protocol(const PeelTestPacket *t);
/* frame.protocols */
const char *peel_test_protocols(const PeelTestPacket *t);

/* The IPv4 address a.b.c.d. */
PeelAddr peel_test_v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d);

/* A pdu_len for stand-ins of HTTP/1.x: a PDU is a header block up to and with its empty
 * line ("\r\n\r\n"); 0 while that has not all come. */
uint32_t peel_test_head_pdu_len(const PeelReader *rd, PeelPacket *pkt);

/* A pdu_len for line-based stand-ins: a PDU ends with its first '\n'; 0 until it comes. */
uint32_t peel_test_line_pdu_len(const PeelReader *rd, PeelPacket *pkt);

/* Formats every field of pkt as -V and -T fields do (into `scratch`) and asserts the
 * tree order (each parent before its children): what the fuzz targets do to a packet. */
void peel_test_format_fields(const PeelPacket *pkt, GString *scratch);

/* Big-endian numbers appended to b. */
void peel_test_put8(GByteArray *b, uint8_t v);
void peel_test_put16(GByteArray *b, uint16_t v);
void peel_test_put32(GByteArray *b, uint32_t v);
void peel_test_put64(GByteArray *b, uint64_t v);

/* The values of every occurrence of `name` in pkt as `peel -T fields` prints them,
 * comma-separated ("" when absent); g_free it. */
char *peel_test_values(const PeelPacket *pkt, const char *name);
/* How many times the field occurs in pkt. */
guint peel_test_count(const PeelPacket *pkt, const char *name);
/* Asserts that peel_test_values(pkt, name) is `want`. */
void peel_test_assert_values(const PeelPacket *pkt, const char *name, const char *want);
/* True when some expert note of pkt contains `needle`. */
bool peel_test_packet_has_expert(const PeelPacket *pkt, const char *needle);

/* ---- Hand-built TCP conversations ----
 * IPv4/TCP frames (link type RAW, checksums left 0) between the client 10.0.0.1:40000 and
 * the server 10.0.0.2:PORT, run through a dissector one frame at a time. Each side's next
 * sequence number is kept: a segment carries it and moves it on by its payload, and by
 * one for SYN or FIN; a segment with ACK acknowledges all the other side sent. */

enum {
    PEEL_TEST_FIN = 0x01,
    PEEL_TEST_SYN = 0x02,
    PEEL_TEST_RST = 0x04,
    PEEL_TEST_PSH = 0x08,
    PEEL_TEST_ACK = 0x10,
};

typedef enum { PEEL_TEST_CLIENT, PEEL_TEST_SERVER } PeelTestSide;

typedef struct {
    GPtrArray *frames; /* GByteArray per frame, index = number - 1 */
    uint32_t seq[2];   /* next sequence number, by PeelTestSide */
    uint16_t port;     /* the server's */
    /* Frame N's time: time(N) when set, else 1000 + N seconds. */
    PeelTime (*time)(uint32_t number);
} PeelTestConv;

/* A conversation with the server on `port`, its handshake (SYN, SYN-ACK, ACK: frames 1 to
 * 3) from initial sequence numbers `client_isn` and `server_isn`. */
PeelTestConv *peel_test_conv_new(uint16_t port, uint32_t client_isn, uint32_t server_isn);
void peel_test_conv_free(PeelTestConv *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PeelTestConv, peel_test_conv_free)
/* The next frame: a segment from `from` with `flags` and n bytes of payload (past 65495
 * bytes the IPv4 total length wraps, as a fuzz target may want). */
void peel_test_conv_segment(
        PeelTestConv *c, PeelTestSide from, uint8_t flags, const void *payload, size_t n);
/* The same with the sequence and acknowledgement numbers given (for losses, overlaps and
 * reordering); the kept numbers do not move. */
void peel_test_conv_segment_at(PeelTestConv *c, PeelTestSide from, uint32_t seq, uint32_t ack,
        uint8_t flags, const void *payload, size_t n);
/* n bytes from `from` as PSH-ACK segments of at most `seg` bytes each. */
void peel_test_conv_send(
        PeelTestConv *c, PeelTestSide from, const void *data, size_t n, size_t seg);
/* Dissects frame `number` (from 1); the packet lives until the next run on dis. */
const PeelPacket *peel_test_conv_run(PeelDissector *dis, PeelTestConv *c, uint32_t number);
/* Dissects frames 1 to `number` in order and returns the last one's packet. */
const PeelPacket *peel_test_conv_run_to(PeelDissector *dis, PeelTestConv *c, uint32_t number);
/* Dissects every frame in order and returns the last one's packet (NULL when none). */
const PeelPacket *peel_test_conv_run_all(PeelDissector *dis, PeelTestConv *c);
/* Lets dis read c's frames again (revisits from per-frame records); c must outlive the
 * dissector's use of them. */
void peel_test_conv_fetch(PeelDissector *dis, PeelTestConv *c);
