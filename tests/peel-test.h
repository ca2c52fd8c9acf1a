/* peel-test.h: helpers for dissector unit tests: dissect hand-built bytes, query fields. */
#pragma once

#include <glib.h>

#include "dissect.h"

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
