/* stats.h: conversation and endpoint tables laid out as tshark 4.0's `-z conv,TYPE` and
 * `-z endpoints,TYPE` (the reports peel_report_conv and peel_report_endpoints). */
#pragma once

#include <glib.h>
#include <stdio.h>

#include "dissector.h"
#include "report.h"

/* ---- Conversation and endpoint tables ---- */

typedef enum {
    PEEL_CONV_ETH,  /* "Ethernet" */
    PEEL_CONV_IPV4, /* "IPv4" (-z conv,ip) */
    PEEL_CONV_IPV6, /* "IPv6" */
    PEEL_CONV_TCP,  /* "TCP": addresses and ports, one row per tcp.stream */
    PEEL_CONV_UDP,  /* "UDP": addresses and ports */
} PeelConvKind;

/* One layer of one packet as tshark's conversation taps see it: the layer's source and
 * destination (ports 0 below the transport), the TCP stream (0 otherwise), the frame's
 * wire length and its time since the first frame. */
typedef struct {
    PeelAddr src, dst;
    uint16_t sport, dport;
    uint32_t conv_id;
    uint32_t frame_len;
    PeelTime rel;
} PeelConvHit;

typedef struct PeelConvTable PeelConvTable;

/* A conversation table (`endpoints` false) or an endpoint table of `kind`. Reads field ids
 * from the registry: call peel_registry_init() first. Free with peel_conv_free(). */
PeelConvTable *peel_conv_new(PeelConvKind kind, bool endpoints);
void peel_conv_free(PeelConvTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PeelConvTable, peel_conv_free)

/* Counts a dissected packet: every layer of the table's kind in its field list counts
 * once (tunnels count each layer), up to the first ICMP or ICMPv6 item, whose quoted
 * headers tshark's taps do not see. TCP rows use tcp.stream, or the packet's flow when
 * the field is absent. */
void peel_conv_add(PeelConvTable *table, const PeelPacket *pkt);
/* Counts one layer directly (peel_conv_add calls it for each layer found). */
void peel_conv_add_hit(PeelConvTable *table, const PeelConvHit *hit);

/* Appends the table as tshark prints it: rows by total frames, most first, ties in order
 * of first appearance; sizes as "5396 bytes" / "215 kB"; relative start and duration. */
void peel_conv_print(const PeelConvTable *table, GString *out);
