/* proto-ipv6.c: Internet Protocol version 6 (RFC 8200) with its extension headers:
 * hop-by-hop and destination options, routing (types 0, 2 and 4), fragment; field names
 * and texts follow Wireshark 4.0. */
#include "dissect.h"
#include "format.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <glib.h>
#include <string.h>

#include "defrag.h"
#include "protos.h"

/* Defined in proto-ip.c: the IANA protocol numbers with Wireshark's names. */
extern const PeelValueName peel_ip_proto_names[];

enum {
    F_VERSION,
    F_TCLASS,
    F_TCLASS_DSCP,
    F_TCLASS_ECN,
    F_FLOW,
    F_PLEN,
    F_NXT,
    F_HLIM,
    F_SRC,
    F_ADDR,
    F_SRC_HOST,
    F_HOST,
    F_DST,
    F_DST_HOST,
    F_SRC_SLAAC_MAC,
    F_DST_SLAAC_MAC,
    F_SLAAC_MAC,
    F_SRC_6TO4_GW,
    F_SRC_6TO4_SLA,
    F_DST_6TO4_GW,
    F_DST_6TO4_SLA,
    F_6TO4_GW,
    F_6TO4_SLA,
    F_SRC_TS_IPV4,
    F_SRC_TC_PORT,
    F_SRC_TC_IPV4,
    F_DST_TS_IPV4,
    F_DST_TC_PORT,
    F_DST_TC_IPV4,
    F_TS_IPV4,
    F_TC_PORT,
    F_TC_IPV4,
    F_SRC_ISATAP,
    F_DST_ISATAP,
    F_ISATAP,
    /* options of hop-by-hop and destination options headers */
    F_OPT,
    F_OPT_TYPE,
    F_OPT_TYPE_ACTION,
    F_OPT_TYPE_CHANGE,
    F_OPT_TYPE_REST,
    F_OPT_LENGTH,
    F_OPT_PAD1,
    F_OPT_PADN,
    F_OPT_ROUTER_ALERT,
    F_OPT_TEL,
    F_OPT_JUMBO,
    F_OPT_HOME_ADDRESS,
    F_OPT_UNKNOWN,
    /* extension headers, each its own protocol in Wireshark */
    F_HOPOPTS,
    F_HOPOPTS_NXT,
    F_HOPOPTS_LEN,
    F_HOPOPTS_LEN_OCT,
    F_DSTOPTS,
    F_DSTOPTS_NXT,
    F_DSTOPTS_LEN,
    F_DSTOPTS_LEN_OCT,
    F_ROUTING,
    F_ROUTING_NXT,
    F_ROUTING_LEN,
    F_ROUTING_LEN_OCT,
    F_ROUTING_TYPE,
    F_ROUTING_SEGLEFT,
    F_ROUTING_UNKNOWN,
    F_ROUTING_SRC_RESERVED,
    F_ROUTING_SRC_ADDR,
    F_ROUTING_MIPV6_RESERVED,
    F_ROUTING_MIPV6_HOME,
    F_ROUTING_SRH_LAST,
    F_ROUTING_SRH_FLAGS,
    F_ROUTING_SRH_TAG,
    F_ROUTING_SRH_ADDR,
    F_FRAGHDR,
    F_FRAGHDR_NXT,
    F_FRAGHDR_RESERVED_OCTET,
    F_FRAGHDR_OFFSET,
    F_FRAGHDR_RESERVED_BITS,
    F_FRAGHDR_MORE,
    F_FRAGHDR_IDENT,
    F_EXT_LIMIT,
    /* fragment reassembly, as Wireshark's ipv6_frag_items */
    F_FRAGMENTS,
    F_FRAGMENT,
    F_FRAGMENT_OVERLAP,
    F_FRAGMENT_CONFLICT,
    F_FRAGMENT_MULTIPLE_TAILS,
    F_FRAGMENT_TOO_LONG,
    F_FRAGMENT_ERROR,
    F_FRAGMENT_COUNT,
    F_REASSEMBLED_IN,
    F_REASSEMBLED_LENGTH,
    F_REASSEMBLED_DATA,
    N_F
};

static const PeelValueName ipv6_dscp_names[] = {
    { 0, "Default" },
    { 1, "Lower Effort" },
    { 8, "Class Selector 1" },
    { 10, "Assured Forwarding 11" },
    { 12, "Assured Forwarding 12" },
    { 14, "Assured Forwarding 13" },
    { 16, "Class Selector 2" },
    { 18, "Assured Forwarding 21" },
    { 20, "Assured Forwarding 22" },
    { 22, "Assured Forwarding 23" },
    { 24, "Class Selector 3" },
    { 26, "Assured Forwarding 31" },
    { 28, "Assured Forwarding 32" },
    { 30, "Assured Forwarding 33" },
    { 32, "Class Selector 4" },
    { 34, "Assured Forwarding 41" },
    { 36, "Assured Forwarding 42" },
    { 38, "Assured Forwarding 43" },
    { 40, "Class Selector 5" },
    { 44, "Voice Admit" },
    { 46, "Expedited Forwarding" },
    { 48, "Class Selector 6" },
    { 56, "Class Selector 7" },
    { 0, NULL },
};

static const PeelValueName ipv6_dscp_short[] = {
    { 0, "CS0" },
    { 1, "LE" },
    { 8, "CS1" },
    { 10, "AF11" },
    { 12, "AF12" },
    { 14, "AF13" },
    { 16, "CS2" },
    { 18, "AF21" },
    { 20, "AF22" },
    { 22, "AF23" },
    { 24, "CS3" },
    { 26, "AF31" },
    { 28, "AF32" },
    { 30, "AF33" },
    { 32, "CS4" },
    { 34, "AF41" },
    { 36, "AF42" },
    { 38, "AF43" },
    { 40, "CS5" },
    { 44, "VOICE-ADMIT" },
    { 46, "EF PHB" },
    { 48, "CS6" },
    { 56, "CS7" },
    { 0, NULL },
};

static const PeelValueName ipv6_ecn_names[] = {
    { 0, "Not ECN-Capable Transport" },
    { 1, "ECN-Capable Transport codepoint '01'" },
    { 2, "ECN-Capable Transport codepoint '10'" },
    { 3, "Congestion Experienced" },
    { 0, NULL },
};

static const PeelValueName ipv6_ecn_short[] = {
    { 0, "Not-ECT" },
    { 1, "ECT(1)" },
    { 2, "ECT(0)" },
    { 3, "CE" },
    { 0, NULL },
};

static const PeelValueName ipv6_opt_type_names[] = {
    { 0x00, "Pad1" },
    { 0x01, "PadN" },
    { 0x04, "Tunnel Encapsulation Limit" },
    { 0x05, "Router Alert" },
    { 0x07, "CALIPSO" },
    { 0x08, "SMF_DPD" },
    { 0x0f, "Performance and Diagnostic Metrics" },
    { 0x1e, "Experimental (0x1E)" },
    { 0x26, "Quick-Start" },
    { 0x30, "Path MTU Option" },
    { 0x31, "IOAM Option" },
    { 0x3e, "Experimental (0x3E)" },
    { 0x41, "Tunnel Payload Forwarding (TPF) Information" },
    { 0x5e, "Experimental (0x5E)" },
    { 0x63, "RPL Option" },
    { 0x6d, "MPL Option" },
    { 0x7e, "Experimental (0x7E)" },
    { 0x8a, "Endpoint Identification" },
    { 0x8b, "ILNP Nonce" },
    { 0x8c, "Line-Identification Option" },
    { 0x9e, "Experimental (0x9E)" },
    { 0xbe, "Experimental (0xBE)" },
    { 0xc2, "Jumbo Payload" },
    { 0xc9, "Home Address" },
    { 0xde, "Experimental (0xDE)" },
    { 0xee, "IP_DFF" },
    { 0xfe, "Experimental (0xFE)" },
    { 0, NULL },
};

static const PeelValueName ipv6_opt_action_names[] = {
    { 0, "Skip and continue" },
    { 1, "Discard packet" },
    { 2, "Discard and send ICMP Parameter Problem" },
    { 3, "Discard and send ICMP if not multicast" },
    { 0, NULL },
};

static const PeelValueName ipv6_yes_no[] = {
    { 0, "No" },
    { 1, "Yes" },
    { 0, NULL },
};

static const PeelValueName ipv6_rtalert_names[] = {
    { 0, "MLD" },
    { 1, "RSVP" },
    { 2, "Active Networks" },
    { 0, NULL },
};

static const PeelValueName ipv6_routing_type_names[] = {
    { 0, "Source Route" },
    { 1, "Nimrod" },
    { 2, "Type 2 Routing" },
    { 3, "RPL Source Route" },
    { 4, "Segment Routing" },
    { 5, "Compact Routing Header 16" },
    { 6, "Compact Routing Header 32" },
    { 0, NULL },
};

static const PeelFieldDef ipv6_fields[N_F] = {
    [F_VERSION] = { "ipv6.version", "Version", PEEL_FT_U8, PEEL_SHOW_DEC, NULL, 0xf0, 1 },
    [F_TCLASS] = { "ipv6.tclass", "Traffic Class", PEEL_FT_U32, PEEL_SHOW_HEX, NULL, 0x0ff00000,
            4 },
    [F_TCLASS_DSCP] = { "ipv6.tclass.dscp", "Differentiated Services Codepoint", PEEL_FT_U32,
            PEEL_SHOW_DEC, ipv6_dscp_names, 0x0fc00000, 4 },
    [F_TCLASS_ECN] = { "ipv6.tclass.ecn", "Explicit Congestion Notification", PEEL_FT_U32,
            PEEL_SHOW_DEC, ipv6_ecn_names, 0x00300000, 4 },
    [F_FLOW] = { "ipv6.flow", "Flow Label", PEEL_FT_U24, PEEL_SHOW_HEX, NULL, 0xfffff, 3 },
    [F_PLEN] = { "ipv6.plen", "Payload Length", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_NXT] = { "ipv6.nxt", "Next Header", PEEL_FT_U8, PEEL_SHOW_DEC, peel_ip_proto_names },
    [F_HLIM] = { "ipv6.hlim", "Hop Limit", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_SRC] = { "ipv6.src", "Source Address", PEEL_FT_IPV6 },
    [F_ADDR] = { "ipv6.addr", "Source or Destination Address", PEEL_FT_IPV6 },
    [F_SRC_HOST] = { "ipv6.src_host", "Source Host", PEEL_FT_STRING },
    [F_HOST] = { "ipv6.host", "Source or Destination Host", PEEL_FT_STRING },
    [F_DST] = { "ipv6.dst", "Destination Address", PEEL_FT_IPV6 },
    [F_DST_HOST] = { "ipv6.dst_host", "Destination Host", PEEL_FT_STRING },
    [F_SRC_SLAAC_MAC] = { "ipv6.src_slaac_mac", "Source SLAAC MAC", PEEL_FT_ETHER },
    [F_DST_SLAAC_MAC] = { "ipv6.dst_slaac_mac", "Destination SLAAC MAC", PEEL_FT_ETHER },
    [F_SLAAC_MAC] = { "ipv6.slaac_mac", "SLAAC MAC", PEEL_FT_ETHER },
    [F_SRC_6TO4_GW] = { "ipv6.src_6to4_gw_ipv4", "Source 6to4 Gateway IPv4", PEEL_FT_IPV4 },
    [F_SRC_6TO4_SLA] = { "ipv6.src_6to4_sla_id", "Source 6to4 SLA ID", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_DST_6TO4_GW] = { "ipv6.dst_6to4_gw_ipv4", "Destination 6to4 Gateway IPv4", PEEL_FT_IPV4 },
    [F_DST_6TO4_SLA] = { "ipv6.dst_6to4_sla_id", "Destination 6to4 SLA ID", PEEL_FT_U16,
            PEEL_SHOW_DEC },
    [F_6TO4_GW] = { "ipv6.6to4_gw_ipv4", "6to4 Gateway IPv4", PEEL_FT_IPV4 },
    [F_6TO4_SLA] = { "ipv6.6to4_sla_id", "6to4 SLA ID", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_SRC_TS_IPV4] = { "ipv6.src_ts_ipv4", "Source Teredo Server IPv4", PEEL_FT_IPV4 },
    [F_SRC_TC_PORT] = { "ipv6.src_tc_port", "Source Teredo Port", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_SRC_TC_IPV4] = { "ipv6.src_tc_ipv4", "Source Teredo Client IPv4", PEEL_FT_IPV4 },
    [F_DST_TS_IPV4] = { "ipv6.dst_ts_ipv4", "Destination Teredo Server IPv4", PEEL_FT_IPV4 },
    [F_DST_TC_PORT] = { "ipv6.dst_tc_port", "Destination Teredo Port", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_DST_TC_IPV4] = { "ipv6.dst_tc_ipv4", "Destination Teredo Client IPv4", PEEL_FT_IPV4 },
    [F_TS_IPV4] = { "ipv6.ts_ipv4", "Teredo Server IPv4", PEEL_FT_IPV4 },
    [F_TC_PORT] = { "ipv6.tc_port", "Teredo Port", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_TC_IPV4] = { "ipv6.tc_ipv4", "Teredo Client IPv4", PEEL_FT_IPV4 },
    [F_SRC_ISATAP] = { "ipv6.src_isatap_ipv4", "Source ISATAP IPv4", PEEL_FT_IPV4 },
    [F_DST_ISATAP] = { "ipv6.dst_isatap_ipv4", "Destination ISATAP IPv4", PEEL_FT_IPV4 },
    [F_ISATAP] = { "ipv6.isatap_ipv4", "ISATAP IPv4", PEEL_FT_IPV4 },
    [F_OPT] = { "ipv6.opt", "IPv6 Option", PEEL_FT_NONE },
    [F_OPT_TYPE] = { "ipv6.opt.type", "Type", PEEL_FT_U8, PEEL_SHOW_HEX, ipv6_opt_type_names },
    [F_OPT_TYPE_ACTION] = { "ipv6.opt.type.action", "Action", PEEL_FT_U8, PEEL_SHOW_DEC,
            ipv6_opt_action_names, 0xc0, 1 },
    [F_OPT_TYPE_CHANGE] = { "ipv6.opt.type.change", "May Change", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE,
            ipv6_yes_no, 0x20, 1 },
    [F_OPT_TYPE_REST] = { "ipv6.opt.type.rest", "Low-Order Bits", PEEL_FT_U8, PEEL_SHOW_HEX, NULL,
            0x1f, 1 },
    [F_OPT_LENGTH] = { "ipv6.opt.length", "Length", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_OPT_PAD1] = { "ipv6.opt.pad1", "Pad1", PEEL_FT_NONE },
    [F_OPT_PADN] = { "ipv6.opt.padn", "PadN", PEEL_FT_BYTES },
    [F_OPT_ROUTER_ALERT] = { "ipv6.opt.router_alert", "Router Alert", PEEL_FT_U16, PEEL_SHOW_DEC,
            ipv6_rtalert_names },
    [F_OPT_TEL] = { "ipv6.opt.tel", "Tunnel Encapsulation Limit", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_OPT_JUMBO] = { "ipv6.opt.jumbo", "Payload Length", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_OPT_HOME_ADDRESS] = { "ipv6.opt.mipv6.home_address", "MIPv6 Home Address", PEEL_FT_IPV6 },
    [F_OPT_UNKNOWN] = { "ipv6.opt.unknown", "Unknown Option Payload", PEEL_FT_BYTES },
    [F_HOPOPTS] = { "ipv6.hopopts", "IPv6 Hop-by-Hop Option", PEEL_FT_PROTOCOL },
    [F_HOPOPTS_NXT] = { "ipv6.hopopts.nxt", "Next Header", PEEL_FT_U8, PEEL_SHOW_DEC,
            peel_ip_proto_names },
    [F_HOPOPTS_LEN] = { "ipv6.hopopts.len", "Length", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_HOPOPTS_LEN_OCT] = { "ipv6.hopopts.len_oct", "Length", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_DSTOPTS] = { "ipv6.dstopts", "Destination Options for IPv6", PEEL_FT_PROTOCOL },
    [F_DSTOPTS_NXT] = { "ipv6.dstopts.nxt", "Next Header", PEEL_FT_U8, PEEL_SHOW_DEC,
            peel_ip_proto_names },
    [F_DSTOPTS_LEN] = { "ipv6.dstopts.len", "Length", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_DSTOPTS_LEN_OCT] = { "ipv6.dstopts.len_oct", "Length", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_ROUTING] = { "ipv6.routing", "Routing Header for IPv6", PEEL_FT_PROTOCOL },
    [F_ROUTING_NXT] = { "ipv6.routing.nxt", "Next Header", PEEL_FT_U8, PEEL_SHOW_DEC,
            peel_ip_proto_names },
    [F_ROUTING_LEN] = { "ipv6.routing.len", "Length", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_ROUTING_LEN_OCT] = { "ipv6.routing.len_oct", "Length", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_ROUTING_TYPE] = { "ipv6.routing.type", "Type", PEEL_FT_U8, PEEL_SHOW_DEC,
            ipv6_routing_type_names },
    [F_ROUTING_SEGLEFT] = { "ipv6.routing.segleft", "Segments Left", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_ROUTING_UNKNOWN] = { "ipv6.routing.unknown_data", "Type-Specific Data", PEEL_FT_BYTES },
    [F_ROUTING_SRC_RESERVED] = { "ipv6.routing.src.reserved", "Reserved", PEEL_FT_BYTES },
    [F_ROUTING_SRC_ADDR] = { "ipv6.routing.src.addr", "Address", PEEL_FT_IPV6 },
    [F_ROUTING_MIPV6_RESERVED] = { "ipv6.routing.mipv6.reserved", "Reserved", PEEL_FT_BYTES },
    [F_ROUTING_MIPV6_HOME] = { "ipv6.routing.mipv6.home_address", "Home Address", PEEL_FT_IPV6 },
    [F_ROUTING_SRH_LAST] = { "ipv6.routing.srh.last_entry", "Last Entry", PEEL_FT_U8,
            PEEL_SHOW_DEC },
    [F_ROUTING_SRH_FLAGS] = { "ipv6.routing.srh.flags", "Flags", PEEL_FT_U8, PEEL_SHOW_HEX },
    [F_ROUTING_SRH_TAG] = { "ipv6.routing.srh.tag", "Tag", PEEL_FT_BYTES },
    [F_ROUTING_SRH_ADDR] = { "ipv6.routing.srh.addr", "Address", PEEL_FT_IPV6 },
    [F_FRAGHDR] = { "ipv6.fraghdr", "Fragment Header for IPv6", PEEL_FT_PROTOCOL },
    [F_FRAGHDR_NXT] = { "ipv6.fraghdr.nxt", "Next header", PEEL_FT_U8, PEEL_SHOW_DEC,
            peel_ip_proto_names },
    [F_FRAGHDR_RESERVED_OCTET] = { "ipv6.fraghdr.reserved_octet", "Reserved octet", PEEL_FT_U8,
            PEEL_SHOW_HEX },
    [F_FRAGHDR_OFFSET] = { "ipv6.fraghdr.offset", "Offset", PEEL_FT_U16, PEEL_SHOW_DEC, NULL,
            0xfff8, 2 },
    [F_FRAGHDR_RESERVED_BITS] = { "ipv6.fraghdr.reserved_bits", "Reserved bits", PEEL_FT_U16,
            PEEL_SHOW_DEC, NULL, 0x0006, 2 },
    [F_FRAGHDR_MORE] = { "ipv6.fraghdr.more", "More Fragments", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE,
            ipv6_yes_no, 0x0001, 2 },
    [F_FRAGHDR_IDENT] = { "ipv6.fraghdr.ident", "Identification", PEEL_FT_U32, PEEL_SHOW_HEX },
    /* peel-only: the bytes left when the extension header chain is too long */
    [F_EXT_LIMIT] = { "ipv6.ext_limit", "Extension headers beyond the limit", PEEL_FT_BYTES },
    [F_FRAGMENTS] = { "ipv6.fragments", "IPv6 Fragments", PEEL_FT_NONE },
    [F_FRAGMENT] = { "ipv6.fragment", "IPv6 Fragment", PEEL_FT_FRAMENUM },
    [F_FRAGMENT_OVERLAP] = { "ipv6.fragment.overlap", "Fragment overlap", PEEL_FT_BOOLEAN },
    [F_FRAGMENT_CONFLICT] = { "ipv6.fragment.overlap.conflict",
            "Conflicting data in fragment overlap", PEEL_FT_BOOLEAN },
    [F_FRAGMENT_MULTIPLE_TAILS] = { "ipv6.fragment.multipletails", "Multiple tail fragments found",
            PEEL_FT_BOOLEAN },
    [F_FRAGMENT_TOO_LONG] = { "ipv6.fragment.toolongfragment", "Fragment too long",
            PEEL_FT_BOOLEAN },
    [F_FRAGMENT_ERROR] = { "ipv6.fragment.error", "Defragmentation error", PEEL_FT_FRAMENUM },
    [F_FRAGMENT_COUNT] = { "ipv6.fragment.count", "Fragment count", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_REASSEMBLED_IN] = { "ipv6.reassembled.in", "Reassembled IPv6 in frame", PEEL_FT_FRAMENUM },
    [F_REASSEMBLED_LENGTH] = { "ipv6.reassembled.length", "Reassembled IPv6 length", PEEL_FT_U32,
            PEEL_SHOW_DEC },
    [F_REASSEMBLED_DATA] = { "ipv6.reassembled.data", "Reassembled IPv6 data", PEEL_FT_BYTES },
};

static const PeelDefragFields ipv6_frag_fields = {
    .fragments = F_FRAGMENTS,
    .fragment = F_FRAGMENT,
    .overlap = F_FRAGMENT_OVERLAP,
    .conflict = F_FRAGMENT_CONFLICT,
    .multiple_tails = F_FRAGMENT_MULTIPLE_TAILS,
    .too_long = F_FRAGMENT_TOO_LONG,
    .error = F_FRAGMENT_ERROR,
    .count = F_FRAGMENT_COUNT,
    .length = F_REASSEMBLED_LENGTH,
    .data = F_REASSEMBLED_DATA,
    .reassembled_in = F_REASSEMBLED_IN,
};

#define IPV6_HDR 40
/* Extension headers dissected per packet; the rest is shown as data. Each is at least 8
 * bytes, so a 64 KiB payload could otherwise hold over 8000. */
#define IPV6_MAX_EXT 128

/* ---- helpers over the field list ---- */

static int32_t
ipv6_added(const PeelPacket *pkt, uint32_t before)
{
    return pkt->n_fields > before ? (int32_t)pkt->n_fields - 1 : -1;
}

static bool
ipv6_is_self(const PeelPacket *pkt, int32_t self)
{
    return self >= 0 && (uint32_t)self < pkt->n_fields && pkt->fields[self].id == pkt->field_base;
}

/* Opens a subtree item f over n bytes at rd; *open tells whether it became the parent. */
static int32_t
ipv6_open(PeelPacket *pkt, const PeelReader *rd, uint32_t f, uint32_t n, bool *open)
{
    int32_t idx = peel_open(pkt, rd, f, n);
    *open = idx >= 0 && pkt->parent == idx;
    /* Extension headers are protocol items: present means a value, as for the core's
     * protocol items (fields output prints their label). */
    if (idx >= 0 && ipv6_fields[f].type == PEEL_FT_PROTOCOL)
        pkt->fields[idx].flags |= PEEL_FF_HAS_VALUE;
    return idx;
}

/* frame.protocols names each extension header, as Wireshark's separate protocols do. */
static void
ipv6_layer_name(PeelPacket *pkt, const char *name)
{
    if (!pkt->want_protocols)
        return;
    size_t n = strlen(name);
    if (pkt->protocols_len + n + 2 > sizeof pkt->protocols)
        return;
    if (pkt->protocols_len)
        pkt->protocols[pkt->protocols_len++] = ':';
    memcpy(pkt->protocols + pkt->protocols_len, name, n);
    pkt->protocols_len += (uint32_t)n;
    pkt->protocols[pkt->protocols_len] = '\0';
}

static void
ipv6_add_host(PeelPacket *pkt, uint32_t f, const uint8_t a[16])
{
    peel_hide(pkt, peel_add_addr_text(pkt, f, a, 16));
}

static const uint8_t *
ipv6_add_endpoint(PeelPacket *pkt, PeelReader *rd, uint32_t f, uint32_t f_host)
{
    const uint8_t *a = peel_add_ipv6(pkt, rd, f);
    int32_t idx = peel_last(pkt);
    if (a == NULL)
        return NULL;
    peel_add_hidden(pkt, F_ADDR, idx);
    ipv6_add_host(pkt, f_host, a);
    ipv6_add_host(pkt, F_HOST, a);
    return a;
}

static uint32_t
ipv6_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* What an address embeds: the MAC of a SLAAC interface id, a 6to4 gateway, a Teredo
 * server and client, an ISATAP IPv4 address. Each as Wireshark adds it, with a hidden
 * direction-free copy. */
static void
ipv6_address_detail(PeelPacket *pkt, const uint8_t a[16], bool src)
{
    if (a[0] == 0x20 && a[1] == 0x02) {
        peel_add_hidden(pkt, F_6TO4_GW,
                peel_add_uint_value(pkt, src ? F_SRC_6TO4_GW : F_DST_6TO4_GW, ipv6_be32(a + 2)));
        uint16_t sla = (uint16_t)(a[6] << 8 | a[7]);
        peel_add_hidden(pkt, F_6TO4_SLA,
                peel_add_uint_value(pkt, src ? F_SRC_6TO4_SLA : F_DST_6TO4_SLA, sla));
    } else if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0 && a[3] == 0) {
        peel_add_hidden(pkt, F_TS_IPV4,
                peel_add_uint_value(pkt, src ? F_SRC_TS_IPV4 : F_DST_TS_IPV4, ipv6_be32(a + 4)));
        uint16_t port = (uint16_t) ~(a[10] << 8 | a[11]);
        peel_add_hidden(pkt, F_TC_PORT,
                peel_add_uint_value(pkt, src ? F_SRC_TC_PORT : F_DST_TC_PORT, port));
        peel_add_hidden(pkt, F_TC_IPV4,
                peel_add_uint_value(pkt, src ? F_SRC_TC_IPV4 : F_DST_TC_IPV4, ~ipv6_be32(a + 12)));
    } else if (a[11] == 0xff && a[12] == 0xfe) {
        uint8_t *mac = peel_arena_alloc(pkt->arena, 6);
        if (mac == NULL)
            return;
        mac[0] = a[8] ^ 0x02;
        mac[1] = a[9];
        mac[2] = a[10];
        mac[3] = a[13];
        mac[4] = a[14];
        mac[5] = a[15];
        peel_add_hidden(pkt, F_SLAAC_MAC,
                peel_add_bytes_value(pkt, src ? F_SRC_SLAAC_MAC : F_DST_SLAAC_MAC, mac, 6));
    } else if ((a[8] & 0xfd) == 0 && a[9] == 0 && a[10] == 0x5e && a[11] == 0xfe) {
        peel_add_hidden(pkt, F_ISATAP,
                peel_add_uint_value(pkt, src ? F_SRC_ISATAP : F_DST_ISATAP, ipv6_be32(a + 12)));
    }
}

/* ---- options of hop-by-hop and destination options headers (RFC 8200 4.2) ---- */

/* The type octet: action, may-change flag and the rest (advances one byte). */
static void
ipv6_opt_type(PeelPacket *pkt, PeelReader *o)
{
    uint32_t before = pkt->n_fields;
    peel_add_bits(pkt, o, F_OPT_TYPE);
    bool open = peel_open_last(pkt, before);
    peel_add_bits(pkt, o, F_OPT_TYPE_ACTION);
    peel_add_bits(pkt, o, F_OPT_TYPE_CHANGE);
    peel_add_bits(pkt, o, F_OPT_TYPE_REST);
    peel_close_if(pkt, open);
    peel_reader_skip(o, 1);
}

/* Options in `body` (the header after its two fixed bytes). *jumbo receives a Jumbo
 * Payload length. Every pass consumes at least one byte or stops. */
static void
ipv6_options(PeelPacket *pkt, PeelReader *body, uint16_t plen, bool hopopts, bool fragmented,
        uint32_t *jumbo)
{
    while (peel_reader_remaining(body) > 0 && peel_reader_ok(body)) {
        if (peel_reader_captured(body) == 0) {
            peel_add_u8(pkt, body, F_OPT_TYPE); /* flags where the capture ends */
            return;
        }
        uint8_t type = peel_reader_peek_u8(body, 0);
        const char *name = peel_value_name(ipv6_opt_type_names, type);
        bool open;
        if (type == 0) {
            int32_t item = ipv6_open(pkt, body, F_OPT, 1, &open);
            peel_set_text(pkt, item, "Pad1");
            PeelReader one = peel_reader_take(body, 1);
            PeelReader again = one;
            peel_add_u8(pkt, &one, F_OPT_TYPE);
            int32_t pad = peel_open(pkt, &again, F_OPT_PAD1, 1);
            if (pad >= 0 && pkt->parent == pad)
                peel_close(pkt, NULL);
            peel_close_if(pkt, open);
            continue;
        }
        uint32_t len = peel_reader_peek_u8(body, 1);
        int32_t item = ipv6_open(pkt, body, F_OPT, 2 + len, &open);
        if (name != NULL)
            peel_set_text(pkt, item, "%s", name);
        else
            peel_set_text(pkt, item, "Unknown IPv6 Option (%u)", type);
        PeelReader o = peel_reader_take(body, 2 + len);
        ipv6_opt_type(pkt, &o);
        peel_add_u8(pkt, &o, F_OPT_LENGTH);
        if (!peel_reader_ok(&o)) {
            peel_close_if(pkt, open);
            return;
        }
        int32_t idx;
        switch (type) {
        case 0x01: /* PadN */
            peel_add_bytes(pkt, &o, F_OPT_PADN, len);
            if (len == 0)
                peel_set_text(pkt, peel_last(pkt), "PadN: <none>");
            break;
        case 0x05: { /* Router Alert, RFC 2711 */
            uint16_t v = peel_add_u16(pkt, &o, F_OPT_ROUTER_ALERT);
            const char *ra = peel_value_name(ipv6_rtalert_names, v);
            if (ra == NULL && peel_reader_ok(&o))
                peel_set_text(pkt, peel_last(pkt), "Router Alert: Unknown (%u)", v);
            break;
        }
        case 0x04: /* Tunnel Encapsulation Limit, RFC 2473 */
            peel_add_u8(pkt, &o, F_OPT_TEL);
            break;
        case 0xc2: { /* Jumbo Payload, RFC 2675 */
            uint32_t v = peel_add_u32(pkt, &o, F_OPT_JUMBO);
            idx = peel_last(pkt);
            if (!peel_reader_ok(&o))
                break;
            if (!hopopts)
                break;
            *jumbo = v;
            if (v < 65536)
                peel_expert(pkt, idx, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                        "Jumbo Payload option present and jumbo length < 65536");
            if (plen != 0)
                peel_expert(pkt, item, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                        "When IPv6 payload length does not equal 0 a Jumbo Payload option must "
                        "not be present");
            else if (fragmented)
                peel_expert(pkt, idx, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                        "Jumbo Payload option cannot be used with a fragment header");
            break;
        }
        case 0xc9: /* Home Address, RFC 6275 */
            peel_add_ipv6(pkt, &o, F_OPT_HOME_ADDRESS);
            break;
        default:
            peel_add_bytes(pkt, &o, F_OPT_UNKNOWN, len);
            idx = peel_last(pkt);
            if (len == 0)
                peel_set_text(pkt, idx, "Unknown Option Payload: <MISSING>");
            if (name == NULL)
                peel_expert(pkt, idx, PEEL_SEV_NOTE, PEEL_GROUP_UNDECODED,
                        "Unknown Data (not interpreted)");
            break;
        }
        peel_close_if(pkt, open);
    }
}

/* An extension header whose length runs past the payload: what fits was shown; the
 * chain ends here, malformed. */
static void
ipv6_too_long(PeelPacket *pkt, int32_t item, PeelReader *hdr, uint32_t total, uint32_t left,
        const char *field)
{
    peel_expert(pkt, item, PEEL_SEV_ERROR, PEEL_GROUP_MALFORMED,
            "malformed: %s says %u bytes, %u left", field, total, left);
    hdr->status = PEEL_READ_MALFORMED;
}

/* A header of `need` bytes that is not all there: the item is flagged as the core flags a
 * failed read, truncated (capture too short) or malformed (packet too short). */
static void
ipv6_short_header(PeelPacket *pkt, int32_t item, PeelReader *hdr, uint32_t need, const char *name)
{
    bool truncated = peel_reader_remaining(hdr) >= need;
    if (item >= 0 && (uint32_t)item < pkt->n_fields) {
        pkt->fields[item].flags |= truncated ? PEEL_FF_TRUNCATED : PEEL_FF_MALFORMED;
        pkt->fields[item].length = peel_reader_captured(hdr);
    }
    if (truncated)
        peel_expert(pkt, item, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "truncated: capture ends %u bytes into %s", peel_reader_captured(hdr), name);
    else
        peel_expert(pkt, item, PEEL_SEV_ERROR, PEEL_GROUP_MALFORMED,
                "malformed: %s needs %u bytes, %u left", name, need, peel_reader_remaining(hdr));
    hdr->status = truncated ? PEEL_READ_TRUNCATED : PEEL_READ_MALFORMED;
}

/* Hop-by-hop or destination options header: next header, length in 8-octet units past
 * the first, options. */
static void
ipv6_opts_header(
        PeelPacket *pkt, PeelReader *hdr, bool hopopts, uint16_t plen, bool first, uint32_t *jumbo)
{
    uint32_t total = (peel_reader_peek_u8(hdr, 1) + 1u) * 8u;
    bool open;
    int32_t item = ipv6_open(pkt, hdr, hopopts ? F_HOPOPTS : F_DSTOPTS, total, &open);
    ipv6_layer_name(pkt, hopopts ? "ipv6.hopopts" : "ipv6.dstopts");
    if (hopopts && !first)
        peel_expert(pkt, item, PEEL_SEV_ERROR, PEEL_GROUP_PROTOCOL,
                "IPv6 Hop-by-Hop extension header must appear immediately after IPv6 header");
    uint32_t left = peel_reader_remaining(hdr);
    bool short_by = total > left;
    PeelReader h = peel_reader_take(hdr, total);
    peel_add_u8(pkt, &h, hopopts ? F_HOPOPTS_NXT : F_DSTOPTS_NXT);
    peel_add_u8(pkt, &h, hopopts ? F_HOPOPTS_LEN : F_DSTOPTS_LEN);
    if (peel_reader_ok(&h)) {
        int32_t i =
                peel_add_uint_value(pkt, hopopts ? F_HOPOPTS_LEN_OCT : F_DSTOPTS_LEN_OCT, total);
        peel_set_text(pkt, i, "Length: %u bytes", total);
        PeelReader body = peel_reader_rest(&h);
        ipv6_options(pkt, &body, plen, hopopts, false, jumbo);
        if (!peel_reader_ok(&body))
            h.status = body.status;
    }
    peel_close_if(pkt, open);
    if (!peel_reader_ok(&h))
        hdr->status = h.status;
    else if (short_by)
        ipv6_too_long(
                pkt, item, hdr, total, left, hopopts ? "ipv6.hopopts.len" : "ipv6.dstopts.len");
}

/* Routing header (RFC 8200 4.4). *final receives the final destination when a source
 * route or segment list still has segments left. */
static void
ipv6_routing(PeelPacket *pkt, PeelReader *hdr, const uint8_t **final)
{
    uint32_t total = (peel_reader_peek_u8(hdr, 1) + 1u) * 8u;
    uint8_t type = peel_reader_peek_u8(hdr, 2);
    bool open;
    uint32_t left = peel_reader_remaining(hdr);
    bool short_by = total > left;
    int32_t item = ipv6_open(pkt, hdr, F_ROUTING, total, &open);
    ipv6_layer_name(pkt, "ipv6.routing");
    const char *tname = peel_value_name(ipv6_routing_type_names, type);
    peel_set_text(pkt, item, "Routing Header for IPv6 (%s)", tname ? tname : "Unknown");
    PeelReader h = peel_reader_take(hdr, total);
    peel_add_u8(pkt, &h, F_ROUTING_NXT);
    peel_add_u8(pkt, &h, F_ROUTING_LEN);
    if (peel_reader_ok(&h)) {
        int32_t i = peel_add_uint_value(pkt, F_ROUTING_LEN_OCT, total);
        peel_set_text(pkt, i, "Length: %u bytes", total);
    }
    peel_add_u8(pkt, &h, F_ROUTING_TYPE);
    int32_t type_idx = peel_last(pkt);
    uint8_t segleft = peel_add_u8(pkt, &h, F_ROUTING_SEGLEFT);
    int32_t seg_idx = peel_last(pkt);
    if (!peel_reader_ok(&h))
        goto out;
    switch (type) {
    case 0: { /* RFC 2460 source route, deprecated by RFC 5095 */
        peel_expert(pkt, type_idx, PEEL_SEV_NOTE, PEEL_GROUP_PROTOCOL,
                "Routing header type is deprecated");
        uint32_t n = (total - 8) / 16;
        if (segleft > n)
            peel_expert(pkt, seg_idx, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                    "IPv6 Type 0 Routing Header segments left field must not exceed address "
                    "count (%u)",
                    n);
        peel_add_bytes(pkt, &h, F_ROUTING_SRC_RESERVED, 4);
        const uint8_t *last = NULL;
        for (uint32_t k = 1; k <= n && peel_reader_ok(&h); k++) {
            last = peel_add_ipv6(pkt, &h, F_ROUTING_SRC_ADDR);
            if (last != NULL) {
                char buf[48];
                if (peel_ipv6_to_str(buf, last) > 0)
                    peel_set_text(pkt, peel_last(pkt), "Address[%u]: %s", k, buf);
            }
        }
        if (segleft > 0 && last != NULL)
            *final = last;
        break;
    }
    case 2: /* RFC 6275 type 2: the home address */
        peel_add_bytes(pkt, &h, F_ROUTING_MIPV6_RESERVED, 4);
        peel_add_ipv6(pkt, &h, F_ROUTING_MIPV6_HOME);
        break;
    case 4: { /* RFC 8754 segment routing header */
        uint8_t last_entry = peel_add_u8(pkt, &h, F_ROUTING_SRH_LAST);
        peel_add_u8(pkt, &h, F_ROUTING_SRH_FLAGS);
        peel_add_bytes(pkt, &h, F_ROUTING_SRH_TAG, 2);
        const uint8_t *first = NULL;
        for (uint32_t k = 0;
                k <= last_entry && peel_reader_remaining(&h) >= 16 && peel_reader_ok(&h); k++) {
            const uint8_t *a = peel_add_ipv6(pkt, &h, F_ROUTING_SRH_ADDR);
            if (a != NULL) {
                char buf[48];
                if (peel_ipv6_to_str(buf, a) > 0)
                    peel_set_text(pkt, peel_last(pkt), "Address[%u]: %s", k, buf);
                if (k == 0)
                    first = a; /* segment list[0] is the final segment */
            }
        }
        if (segleft > 0 && first != NULL)
            *final = first;
        break;
    }
    default:
        if (total > 4)
            peel_add_bytes(pkt, &h, F_ROUTING_UNKNOWN, total - 4);
        break;
    }
out:
    peel_close_if(pkt, open);
    if (!peel_reader_ok(&h))
        hdr->status = h.status;
    else if (short_by)
        ipv6_too_long(pkt, item, hdr, total, left, "ipv6.routing.len");
}

/* What a fragment header says. */
typedef struct {
    uint32_t off; /* in bytes */
    bool more;
    uint32_t ident;
    uint8_t nxt;
} Ipv6Frag;

/* Fragment header (RFC 8200 4.5). Returns whether this is a real fragment (offset or M
 * set) rather than an atomic one. */
static bool
ipv6_fraghdr(PeelPacket *pkt, PeelReader *hdr, bool quoted, Ipv6Frag *fi)
{
    bool open;
    int32_t item = ipv6_open(pkt, hdr, F_FRAGHDR, 8, &open);
    ipv6_layer_name(pkt, "ipv6.fraghdr");
    if (peel_reader_captured(hdr) < 8 || peel_reader_remaining(hdr) < 8) {
        /* Wireshark shows none of a fragment header it does not hold whole. */
        ipv6_short_header(pkt, item, hdr, 8, "ipv6.fraghdr");
        peel_close_if(pkt, open);
        return false;
    }
    PeelReader h = peel_reader_take(hdr, 8);
    uint8_t nxt = peel_add_u8(pkt, &h, F_FRAGHDR_NXT);
    peel_add_u8(pkt, &h, F_FRAGHDR_RESERVED_OCTET);
    uint16_t offlg = peel_reader_peek_u16be(&h, 0);
    uint32_t before = pkt->n_fields;
    peel_add_bits(pkt, &h, F_FRAGHDR_OFFSET); /* fields output: the raw 13-bit value */
    int32_t off_idx = ipv6_added(pkt, before);
    peel_add_bits(pkt, &h, F_FRAGHDR_RESERVED_BITS);
    peel_add_bits(pkt, &h, F_FRAGHDR_MORE);
    peel_reader_skip(&h, 2);
    uint32_t ident = peel_add_u32(pkt, &h, F_FRAGHDR_IDENT);
    peel_close_if(pkt, open);
    if (!peel_reader_ok(&h)) {
        hdr->status = h.status;
        return false;
    }
    uint32_t off = (offlg & 0xfff8u);
    bool more = offlg & 1;
    *fi = (Ipv6Frag){ .off = off, .more = more, .ident = ident, .nxt = nxt };
    peel_set_text(pkt, off_idx, "Offset: %u (%u bytes)", off >> 3, off);
    if (!quoted)
        peel_info_set(pkt, "IPv6 fragment (off=%u more=%c ident=0x%08x nxt=%u)", off,
                more ? 'y' : 'n', ident, nxt);
    return off != 0 || more;
}

/* The Jumbo Payload length in a hop-by-hop header at `at` bytes into hdr, or 0. */
static uint32_t
ipv6_find_jumbo(const PeelReader *hdr, uint32_t at)
{
    uint32_t total = (peel_reader_peek_u8(hdr, at + 1) + 1u) * 8u;
    uint32_t end = at + total, off = at + 2;
    while (off < end && off < peel_reader_captured(hdr)) {
        uint8_t type = peel_reader_peek_u8(hdr, off);
        if (type == 0) {
            off++;
            continue;
        }
        uint32_t len = peel_reader_peek_u8(hdr, off + 1);
        if (type == 0xc2 && len == 4 && off + 6 <= end)
            return peel_reader_peek_u32be(hdr, off + 2);
        off += 2 + len;
    }
    return 0;
}

/* A whole fragment goes to reassembly, as in Wireshark (which takes none whose payload
 * length claims more than the frame has). True when this frame completes the datagram:
 * *payload is then the datagram, whose first header is the fragment header's next. */
static bool
ipv6_reassemble(PeelPacket *pkt, PeelReader *payload, const uint8_t *src, const uint8_t *dst,
        bool plen_ok, const Ipv6Frag *fi, uint32_t *reassembled_in)
{
    uint32_t claimed = peel_reader_remaining(payload);
    uint32_t held = peel_reader_captured(payload);
    if (!plen_ok)
        return false;
    if (held < claimed) {
        peel_expert(pkt, pkt->parent, PEEL_SEV_NOTE, PEEL_GROUP_REASSEMBLE,
                "fragment cut short by the capture (%u of %u bytes): its datagram cannot be "
                "reassembled",
                held, claimed);
        return false;
    }
    PeelDefragFragment f = {
        .offset = fi->off, .more = fi->more, .family = "IPv6", .fields = &ipv6_frag_fields
    };
    memset(&f.key, 0, sizeof f.key);
    f.key.family = 6;
    f.key.proto = fi->nxt;
    f.key.id = fi->ident;
    memcpy(f.key.src, src, 16);
    memcpy(f.key.dst, dst, 16);
    PeelReader datagram;
    if (!peel_defrag_packet(pkt, payload, &f, &datagram, reassembled_in))
        return false;
    *payload = datagram;
    return true;
}

static bool
ipv6_is_ext(uint8_t nxt)
{
    return nxt == 0 || nxt == 43 || nxt == 44 || nxt == 60;
}

typedef struct {
    int32_t parent;
    uint16_t depth;
} Ipv6Level;

/* Wireshark draws the next protocol beside IPv6, not inside it. */
static void
ipv6_hand_off(PeelPacket *pkt, int32_t self, PeelReader *rd, const PeelProto *proto, bool data,
        uint8_t nxt)
{
    Ipv6Level saved = { pkt->parent, pkt->depth };
    if (ipv6_is_self(pkt, self)) {
        pkt->parent = pkt->fields[self].parent;
        pkt->depth = pkt->fields[self].depth;
    }
    if (proto != NULL)
        peel_next_proto(pkt, rd, proto);
    else if (data)
        peel_next_data(pkt, rd);
    else
        peel_next(pkt, rd, PEEL_TABLE_IP_PROTO, nxt);
    pkt->parent = saved.parent;
    pkt->depth = saved.depth;
}

static void
ipv6_set_addr(PeelAddr *a, const uint8_t *v)
{
    memset(a, 0, sizeof *a);
    a->type = PEEL_AT_IPV6;
    memcpy(a->bytes, v, 16);
}

/* A zero-length payload still reaches the next protocol in Wireshark, which then fails
 * on its first field; the common transports are called directly to do the same. */
static const PeelProto *
ipv6_empty_payload_proto(uint8_t nxt)
{
    switch (nxt) {
    case 1:
        return &peel_proto_icmp;
    case 6:
        return &peel_proto_tcp;
    case 17:
        return &peel_proto_udp;
    case 58:
        return &peel_proto_icmpv6;
    default:
        return NULL;
    }
}

/*
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Source Address (128 bits)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               Destination Address (128 bits)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Inside an ICMPv6 error (pkt->in_error) the quoted header leaves the columns, addresses
 * and info to the outer packet.
 */
static void
ipv6_dissect(PeelReader *rd, PeelPacket *pkt)
{
    int32_t self = pkt->parent;
    bool quoted = pkt->in_error;
    const PeelReader hdr = *rd;
    uint32_t start = rd->pos;

    if (!quoted)
        peel_info_clear(pkt);
    uint8_t version = (uint8_t)peel_add_bits(pkt, rd, F_VERSION);
    if (!peel_reader_ok(rd))
        return;
    if (version != 6) {
        if (!quoted)
            peel_info_set(pkt, "Bogus IPv6 version (%u, must be 6)", version);
        peel_expert(pkt, peel_last(pkt), PEEL_SEV_ERROR, PEEL_GROUP_PROTOCOL, "Bogus IP version");
        return;
    }
    if (ipv6_is_self(pkt, self)) {
        uint32_t have = peel_reader_captured(&hdr);
        peel_set_length(pkt, self, have < IPV6_HDR ? have : IPV6_HDR);
    }

    if (peel_reader_remaining(&hdr) < IPV6_HDR) {
        peel_expert(pkt, peel_last(pkt), PEEL_SEV_ERROR, PEEL_GROUP_MALFORMED,
                "IPv6 header must be exactly 40 bytes");
        if (!quoted)
            peel_info_set(pkt, "Invalid IPv6 header (%u bytes, need exactly 40)",
                    peel_reader_remaining(&hdr));
    }
    uint32_t word = peel_reader_peek_u32be(rd, 0);
    uint32_t before = pkt->n_fields;
    peel_add_bits(pkt, rd, F_TCLASS);
    int32_t tc_idx = ipv6_added(pkt, before);
    if (!peel_reader_ok(rd))
        return;
    bool open = peel_open_last(pkt, before);
    peel_add_bits(pkt, rd, F_TCLASS_DSCP);
    peel_add_bits(pkt, rd, F_TCLASS_ECN);
    peel_close_if(pkt, open);
    peel_reader_skip(rd, 1);
    before = pkt->n_fields;
    peel_add_bits(pkt, rd, F_FLOW);
    int32_t flow_idx = ipv6_added(pkt, before);
    peel_reader_skip(rd, 3);
    if (!peel_reader_ok(rd))
        return;
    uint8_t tclass = (uint8_t)(word >> 20);
    const char *dscp = peel_value_name(ipv6_dscp_short, tclass >> 2);
    peel_set_text(pkt, tc_idx, "Traffic Class: 0x%02x (DSCP: %s, ECN: %s)", tclass,
            dscp ? dscp : "Unknown", peel_value_name(ipv6_ecn_short, tclass & 3));
    peel_set_text(pkt, flow_idx, "Flow Label: 0x%05x", word & 0xfffff);

    uint16_t plen = peel_add_u16(pkt, rd, F_PLEN);
    int32_t plen_idx = peel_last(pkt);
    uint8_t nxt = peel_add_u8(pkt, rd, F_NXT);
    uint8_t hlim = peel_add_u8(pkt, rd, F_HLIM);
    const uint8_t *src = ipv6_add_endpoint(pkt, rd, F_SRC, F_SRC_HOST);
    const uint8_t *dst = src ? ipv6_add_endpoint(pkt, rd, F_DST, F_DST_HOST) : NULL;
    if (src == NULL || dst == NULL)
        return;
    ipv6_address_detail(pkt, src, true);
    ipv6_address_detail(pkt, dst, false);
    if (pkt->want_tree && ipv6_is_self(pkt, self)) {
        char src_s[PEEL_IPV6_STRLEN], dst_s[PEEL_IPV6_STRLEN];
        peel_ipv6_to_str(src_s, src);
        peel_ipv6_to_str(dst_s, dst);
        peel_set_text(pkt, self, "Internet Protocol Version 6, Src: %s, Dst: %s", src_s, dst_s);
    }
    if (!quoted) {
        ipv6_set_addr(&pkt->net_src, src);
        ipv6_set_addr(&pkt->net_dst, dst);
        peel_set_addrs(pkt, &pkt->net_src, &pkt->net_dst);
        pkt->ip_ttl = hlim;
    }

    /* Payload length: 0 means a jumbogram (RFC 2675) when hop-by-hop carries the option,
     * else probably segmentation offload; the frame may also hold less than it says. */
    uint32_t reported = peel_reader_remaining(rd);
    uint32_t length = plen;
    bool bad_plen = false;
    if (plen == 0) {
        uint32_t jumbo = nxt == 0 ? ipv6_find_jumbo(&hdr, IPV6_HDR) : 0;
        if (jumbo != 0) {
            length = jumbo;
            peel_set_text(pkt, plen_idx, "Payload Length: 0 (Jumbogram)");
        } else if (nxt == 0) {
            peel_expert(pkt, plen_idx, PEEL_SEV_ERROR, PEEL_GROUP_PROTOCOL,
                    "IPv6 payload length equals 0 and Hop-By-Hop present and Jumbo Payload "
                    "option missing");
            bad_plen = true;
        } else if (nxt != 59) {
            peel_expert(pkt, plen_idx, PEEL_SEV_CHAT, PEEL_GROUP_PROTOCOL,
                    "IPv6 payload length equals 0 (maybe because of \"TCP segmentation "
                    "offload\" (TSO))");
        }
    }
    if (length > reported) {
        if (!quoted)
            peel_expert(pkt, plen_idx, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                    "IPv6 payload length exceeds framing length (%u bytes)", reported);
    } else {
        peel_reader_limit(rd, length); /* drop link-layer padding */
    }
    (void)start;

    /* The extension header chain: a loop over the next-header values, bounded. */
    PeelReader payload = peel_reader_rest(rd);
    const uint8_t *final = NULL;
    bool fragment = false, reassembled = false;
    Ipv6Frag fi = { 0 };
    uint32_t reassembled_in = 0;
    uint32_t jumbo_seen = 0;
    uint32_t n_ext = 0;
    const char *ext_info = NULL;
    while (ipv6_is_ext(nxt) && peel_reader_ok(&payload)) {
        if (n_ext == IPV6_MAX_EXT) {
            peel_add_bytes(pkt, &payload, F_EXT_LIMIT, peel_reader_captured(&payload));
            peel_expert(pkt, peel_last(pkt), PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                    "more than %u IPv6 extension headers: the rest is not dissected", IPV6_MAX_EXT);
            return;
        }
        if (peel_reader_captured(&payload) < 2 && peel_reader_remaining(&payload) >= 2) {
            ipv6_opts_header(pkt, &payload, nxt == 0, plen, n_ext == 0, &jumbo_seen);
            return; /* flagged as truncated */
        }
        uint8_t this = nxt;
        nxt = peel_reader_peek_u8(&payload, 0);
        switch (this) {
        case 0:
            ext_info = "IPv6 hop-by-hop options";
            ipv6_opts_header(pkt, &payload, true, plen, n_ext == 0, &jumbo_seen);
            break;
        case 60:
            ext_info = "IPv6 destination options";
            ipv6_opts_header(pkt, &payload, false, plen, n_ext == 0, &jumbo_seen);
            break;
        case 43:
            ext_info = "IPv6 routing";
            ipv6_routing(pkt, &payload, &final);
            break;
        case 44:
            ext_info = NULL;
            /* A fragment without payload bytes leaves nothing to reassemble. */
            fragment =
                    ipv6_fraghdr(pkt, &payload, quoted, &fi) && peel_reader_remaining(&payload) > 0;
            break;
        }
        n_ext++;
        if (!peel_reader_ok(&payload)) {
            if (!quoted && ext_info != NULL)
                peel_info_set(
                        pkt, "%s%s", bad_plen ? "Invalid IPv6 payload length , " : "", ext_info);
            return;
        }
        if (fragment && !reassembled && !quoted &&
                ipv6_reassemble(
                        pkt, &payload, src, dst, length <= reported, &fi, &reassembled_in)) {
            /* The headers after the fragment header go on in the datagram. */
            fragment = false;
            reassembled = true;
            continue;
        }
        if (fragment)
            break;
    }
    if (final != NULL && !quoted) {
        ipv6_set_addr(&pkt->net_dst, final);
        peel_set_addrs(pkt, &pkt->net_src, &pkt->net_dst);
    }
    pkt->ip_proto = nxt;
    pkt->ip_fragment = fragment;
    if (fragment) {
        ipv6_hand_off(pkt, self, &payload, NULL, true, 0);
        return;
    }
    if (nxt == 59) {
        if (!quoted)
            peel_info_set(pkt, "IPv6 no next header");
        return;
    }
    if (peel_reader_captured(&payload) == 0 && peel_reader_remaining(&payload) == 0) {
        const PeelProto *p = ipv6_empty_payload_proto(nxt);
        if (p != NULL)
            ipv6_hand_off(pkt, self, &payload, p, false, nxt);
        return;
    }
    uint32_t writes = pkt->info_writes;
    ipv6_hand_off(pkt, self, &payload, NULL, false, nxt);
    if (!quoted && pkt->info_writes == writes) { /* no dissector took it */
        const char *name = peel_value_name(peel_ip_proto_names, nxt);
        peel_info_set(pkt, "Unknown IP Protocol: %s (%u)", name ? name : "Unknown", nxt);
    }
}

/* The direction-free copies of the addresses and of what they embed. */
#define FROM_SRC_DST(x) { F_##x, F_SRC_##x }, { F_##x, F_DST_##x }
static const PeelFieldNeed ipv6_needs[] = {
    { F_ADDR, F_SRC }, { F_ADDR, F_DST },
    FROM_SRC_DST(6TO4_GW), FROM_SRC_DST(6TO4_SLA), FROM_SRC_DST(TS_IPV4),
    FROM_SRC_DST(TC_PORT), FROM_SRC_DST(TC_IPV4), FROM_SRC_DST(SLAAC_MAC),
    FROM_SRC_DST(ISATAP),
    PEEL_DEFRAG_FIELD_NEEDS,
};
#undef FROM_SRC_DST

const PeelProto peel_proto_ipv6 = {
    .field_needs = ipv6_needs,
    .n_field_needs = G_N_ELEMENTS(ipv6_needs),
    .name = "ipv6",
    .title = "Internet Protocol Version 6",
    .short_name = "IPv6",
    .fields = ipv6_fields,
    .n_fields = N_F,
    .dissect = ipv6_dissect,
    .handoffs = { { PEEL_TABLE_ETHERTYPE, 0x86dd }, { PEEL_TABLE_IP_PROTO, 41 },
            { PEEL_TABLE_PPP, 0x0057 } },
};
