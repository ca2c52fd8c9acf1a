/* proto-icmpv6.c: ICMP for IPv6 (RFC 4443) with neighbor discovery (RFC 4861), MLD
 * (RFC 2710, 3810) and the quoted packet of error messages; field names and texts follow
 * Wireshark 4.0. */
#include "dissect.h"
#include "echo-pairs.h"
#include "fmt.h"
#include "inet-checksum.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <glib.h>
#include <string.h>

#include "protos.h"

enum {
    F_TYPE,
    F_CODE,
    F_CHECKSUM,
    F_CHECKSUM_STATUS,
    F_RESERVED,
    F_DATA,
    F_UNKNOWN_DATA,
    F_MTU,
    F_POINTER,
    F_ECHO_ID,
    F_ECHO_SEQ,
    F_RA_HOP_LIMIT,
    F_RA_FLAG,
    F_RA_FLAG_M,
    F_RA_FLAG_O,
    F_RA_FLAG_H,
    F_RA_FLAG_PRF,
    F_RA_FLAG_P,
    F_RA_FLAG_RSV,
    F_RA_LIFETIME,
    F_RA_REACHABLE,
    F_RA_RETRANS,
    F_NS_TARGET,
    F_NA_FLAG,
    F_NA_FLAG_R,
    F_NA_FLAG_S,
    F_NA_FLAG_O,
    F_NA_FLAG_RSV,
    F_NA_TARGET,
    F_RD_TARGET,
    F_RD_DESTINATION,
    F_OPT,
    F_OPT_TYPE,
    F_OPT_LENGTH,
    F_OPT_RESERVED,
    F_OPT_LINKADDR,
    F_OPT_SRC_LINKADDR,
    F_OPT_TARGET_LINKADDR,
    F_OPT_PREFIX_LENGTH,
    F_OPT_PREFIX_FLAG,
    F_OPT_PREFIX_FLAG_L,
    F_OPT_PREFIX_FLAG_A,
    F_OPT_PREFIX_FLAG_R,
    F_OPT_PREFIX_FLAG_RSV,
    F_OPT_PREFIX_VALID,
    F_OPT_PREFIX_PREFERRED,
    F_OPT_PREFIX,
    F_OPT_REDIRECTED_PACKET,
    F_OPT_MTU,
    F_OPT_NONCE,
    F_OPT_RDNSS_LIFETIME,
    F_OPT_RDNSS,
    F_MLD_MRD,
    F_MLD_MCAST,
    F_MLD_MRC,
    F_MLD_FLAG,
    F_MLD_FLAG_S,
    F_MLD_FLAG_QRV,
    F_MLD_FLAG_RSV,
    F_MLD_QQI,
    F_MLD_NB_SOURCES,
    F_MLD_SOURCE,
    F_MLDR_NB_RECORDS,
    F_MLDR_MAR,
    F_MLDR_RECORD_TYPE,
    F_MLDR_AUX_LEN,
    F_MLDR_NB_SOURCES,
    F_MLDR_MCAST,
    F_MLDR_SOURCE,
    F_MLDR_AUX_DATA,
    F_RESP_TO,
    F_RESPTIME,
    N_F
};

static const PeelValueName icmpv6_checksum_status_names[] = {
    { 0, "Bad" },
    { 1, "Good" },
    { 2, "Unverified" },
    { 3, "Not present" },
    { 4, "Illegal" },
    { 0, NULL },
};

static const PeelValueName icmpv6_type_names[] = {
    { 1, "Destination Unreachable" },
    { 2, "Packet Too Big" },
    { 3, "Time Exceeded" },
    { 4, "Parameter Problem" },
    { 100, "Private experimentation" },
    { 101, "Private experimentation" },
    { 127, "Reserved for expansion of ICMPv6 error messages" },
    { 128, "Echo (ping) request" },
    { 129, "Echo (ping) reply" },
    { 130, "Multicast Listener Query" },
    { 131, "Multicast Listener Report" },
    { 132, "Multicast Listener Done" },
    { 133, "Router Solicitation" },
    { 134, "Router Advertisement" },
    { 135, "Neighbor Solicitation" },
    { 136, "Neighbor Advertisement" },
    { 137, "Redirect" },
    { 138, "Router Renumbering" },
    { 139, "Node Information Query" },
    { 140, "Node Information Reply" },
    { 141, "Inverse Neighbor Discovery Solicitation" },
    { 142, "Inverse Neighbor Discovery Advertisement" },
    { 143, "Multicast Listener Report Message v2" },
    { 144, "Home Agent Address Discovery Request" },
    { 145, "Home Agent Address Discovery Reply" },
    { 146, "Mobile Prefix Solicitation" },
    { 147, "Mobile Prefix Advertisement" },
    { 148, "Certification Path Solicitation" },
    { 149, "Certification Path Advertisement" },
    { 150, "Experimental Mobility" },
    { 151, "Multicast Router Advertisement" },
    { 152, "Multicast Router Solicitation" },
    { 153, "Multicast Router Termination" },
    { 154, "FMIPv6" },
    { 155, "RPL Control" },
    { 156, "Locator Update" },
    { 157, "Duplicate Address Request" },
    { 158, "Duplicate Address Confirmation" },
    { 159, "MPL Control Message" },
    { 160, "Extended Echo request" },
    { 161, "Extended Echo reply" },
    { 200, "Private experimentation" },
    { 201, "Private experimentation" },
    { 255, "Reserved for expansion of ICMPv6 informational messages" },
    { 0, NULL },
};

static const PeelValueName icmpv6_opt_names[] = {
    { 1, "Source link-layer address" },
    { 2, "Target link-layer address" },
    { 3, "Prefix information" },
    { 4, "Redirected header" },
    { 5, "MTU" },
    { 6, "NBMA Shortcut Limit Option" },
    { 7, "Advertisement Interval" },
    { 8, "Home Agent Information" },
    { 9, "Source Address List" },
    { 10, "Target Address List" },
    { 11, "CGA" },
    { 12, "RSA Signature" },
    { 13, "Timestamp" },
    { 14, "Nonce" },
    { 15, "Trust Anchor" },
    { 16, "Certificate" },
    { 17, "IP Address/Prefix Option" },
    { 18, "New Router Prefix Information" },
    { 19, "Link-layer Address" },
    { 20, "Neighbor Advertisement Acknowledgment" },
    { 23, "MAP" },
    { 24, "Route Information" },
    { 25, "Recursive DNS Server" },
    { 26, "RA Flags Extension" },
    { 27, "Handover Key Request" },
    { 28, "Handover Key Reply" },
    { 29, "Handover Assist Information" },
    { 30, "Mobile Node Identifier Option" },
    { 31, "DNS Search List Option" },
    { 32, "Proxy Signature (PS)" },
    { 33, "Address Registration Option" },
    { 34, "6LoWPAN Context Option" },
    { 35, "Authoritative Border Router" },
    { 36, "6LoWPAN Capability Indication Option" },
    { 37, "DHCP Captive-Portal" },
    { 38, "PREF64 Option" },
    { 138, "CARD Request" },
    { 139, "CARD Reply" },
    { 253, "RFC3692-style Experiment 1" },
    { 254, "RFC3692-style Experiment 2" },
    { 0, NULL },
};

static const PeelValueName icmpv6_unreach_codes[] = {
    { 0, "no route to destination" },
    { 1, "Administratively prohibited" },
    { 2, "Beyond scope of source address" },
    { 3, "Address unreachable" },
    { 4, "Port unreachable" },
    { 5, "Source address failed ingress/egress policy" },
    { 6, "Reject route to destination" },
    { 7, "Error in Source Routing Header" },
    { 0, NULL },
};

static const PeelValueName icmpv6_timex_codes[] = {
    { 0, "hop limit exceeded in transit" },
    { 1, "fragment reassembly time exceeded" },
    { 0, NULL },
};

static const PeelValueName icmpv6_param_codes[] = {
    { 0, "erroneous header field encountered" },
    { 1, "unrecognized Next Header type encountered" },
    { 2, "unrecognized IPv6 option encountered" },
    { 3, "IPv6 First Fragment has incomplete IPv6 Header Chain" },
    { 0, NULL },
};

static const PeelValueName icmpv6_rr_codes[] = {
    { 0, "Command" },
    { 1, "Result" },
    { 255, "Sequence number reset" },
    { 0, NULL },
};

static const PeelValueName icmpv6_ext_echo_codes[] = {
    { 0, "No error" },
    { 1, "Malformed Query" },
    { 2, "No Such Interface" },
    { 3, "No Such Table Entry" },
    { 4, "Multiple Interfaces Satisfy Query" },
    { 0, NULL },
};

static const PeelValueName icmpv6_prf_names[] = {
    { 0, "Medium" },
    { 1, "High" },
    { 2, "Reserved" },
    { 3, "Low" },
    { 0, NULL },
};

static const PeelValueName icmpv6_mldr_record_names[] = {
    { 1, "Mode is include" },
    { 2, "Mode is exclude" },
    { 3, "Changed to include" },
    { 4, "Changed to exclude" },
    { 5, "Allow new sources" },
    { 6, "Block old sources" },
    { 0, NULL },
};

#define B8(mask)  NULL, mask, 1
#define B32(mask) NULL, mask, 4

static const PeelFieldDef icmpv6_fields[N_F] = {
    [F_RESP_TO] = { "icmpv6.resp_to", "Response To", PEEL_FT_FRAMENUM },
    [F_RESPTIME] = { "icmpv6.resptime", "Response Time", PEEL_FT_DOUBLE },
    [F_TYPE] = { "icmpv6.type", "Type", PEEL_FT_U8, PEEL_SHOW_DEC, icmpv6_type_names },
    [F_CODE] = { "icmpv6.code", "Code", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_CHECKSUM] = { "icmpv6.checksum", "Checksum", PEEL_FT_U16, PEEL_SHOW_HEX },
    [F_CHECKSUM_STATUS] = { "icmpv6.checksum.status", "Checksum Status", PEEL_FT_U8, PEEL_SHOW_NONE,
            icmpv6_checksum_status_names },
    [F_RESERVED] = { "icmpv6.reserved", "Reserved", PEEL_FT_BYTES },
    [F_DATA] = { "icmpv6.data", "Data", PEEL_FT_BYTES },
    [F_UNKNOWN_DATA] = { "icmpv6.unknown_data", "Unknown Data", PEEL_FT_BYTES },
    [F_MTU] = { "icmpv6.mtu", "MTU", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_POINTER] = { "icmpv6.pointer", "Pointer", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_ECHO_ID] = { "icmpv6.echo.identifier", "Identifier", PEEL_FT_U16, PEEL_SHOW_HEX },
    [F_ECHO_SEQ] = { "icmpv6.echo.sequence_number", "Sequence", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_RA_HOP_LIMIT] = { "icmpv6.nd.ra.cur_hop_limit", "Cur hop limit", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_RA_FLAG] = { "icmpv6.nd.ra.flag", "Flags", PEEL_FT_U8, PEEL_SHOW_HEX },
    [F_RA_FLAG_M] = { "icmpv6.nd.ra.flag.m", "Managed address configuration", PEEL_FT_BOOLEAN,
            PEEL_SHOW_NONE, B8(0x80) },
    [F_RA_FLAG_O] = { "icmpv6.nd.ra.flag.o", "Other configuration", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE,
            B8(0x40) },
    [F_RA_FLAG_H] = { "icmpv6.nd.ra.flag.h", "Home Agent", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE,
            B8(0x20) },
    [F_RA_FLAG_PRF] = { "icmpv6.nd.ra.flag.prf", "Prf (Default Router Preference)", PEEL_FT_U8,
            PEEL_SHOW_DEC, icmpv6_prf_names, 0x18, 1 },
    [F_RA_FLAG_P] = { "icmpv6.nd.ra.flag.p", "Proxy", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, B8(0x04) },
    [F_RA_FLAG_RSV] = { "icmpv6.nd.ra.flag.rsv", "Reserved", PEEL_FT_U8, PEEL_SHOW_DEC, B8(0x03) },
    [F_RA_LIFETIME] = { "icmpv6.nd.ra.router_lifetime", "Router lifetime (s)", PEEL_FT_U16,
            PEEL_SHOW_DEC },
    [F_RA_REACHABLE] = { "icmpv6.nd.ra.reachable_time", "Reachable time (ms)", PEEL_FT_U32,
            PEEL_SHOW_DEC },
    [F_RA_RETRANS] = { "icmpv6.nd.ra.retrans_timer", "Retrans timer (ms)", PEEL_FT_U32,
            PEEL_SHOW_DEC },
    [F_NS_TARGET] = { "icmpv6.nd.ns.target_address", "Target Address", PEEL_FT_IPV6 },
    [F_NA_FLAG] = { "icmpv6.nd.na.flag", "Flags", PEEL_FT_U32, PEEL_SHOW_HEX },
    [F_NA_FLAG_R] = { "icmpv6.nd.na.flag.r", "Router", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE,
            B32(0x80000000) },
    [F_NA_FLAG_S] = { "icmpv6.nd.na.flag.s", "Solicited", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE,
            B32(0x40000000) },
    [F_NA_FLAG_O] = { "icmpv6.nd.na.flag.o", "Override", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE,
            B32(0x20000000) },
    [F_NA_FLAG_RSV] = { "icmpv6.nd.na.flag.rsv", "Reserved", PEEL_FT_U32, PEEL_SHOW_DEC,
            B32(0x1fffffff) },
    [F_NA_TARGET] = { "icmpv6.nd.na.target_address", "Target Address", PEEL_FT_IPV6 },
    [F_RD_TARGET] = { "icmpv6.nd.rd.target_address", "Target Address", PEEL_FT_IPV6 },
    [F_RD_DESTINATION] = { "icmpv6.rd.na.destination_address", "Destination Address",
            PEEL_FT_IPV6 },
    [F_OPT] = { "icmpv6.opt", "ICMPv6 Option", PEEL_FT_NONE },
    [F_OPT_TYPE] = { "icmpv6.opt.type", "Type", PEEL_FT_U8, PEEL_SHOW_DEC, icmpv6_opt_names },
    [F_OPT_LENGTH] = { "icmpv6.opt.length", "Length", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_OPT_RESERVED] = { "icmpv6.opt.reserved", "Reserved", PEEL_FT_NONE },
    /* Wireshark prints these byte strings with colons */
    [F_OPT_LINKADDR] = { "icmpv6.opt.linkaddr", "Link-layer address", PEEL_FT_ETHER },
    [F_OPT_SRC_LINKADDR] = { "icmpv6.opt.src_linkaddr", "Source Link-layer address",
            PEEL_FT_ETHER },
    [F_OPT_TARGET_LINKADDR] = { "icmpv6.opt.target_linkaddr", "Target Link-layer address",
            PEEL_FT_ETHER },
    [F_OPT_PREFIX_LENGTH] = { "icmpv6.opt.prefix.length", "Prefix Length", PEEL_FT_U8,
            PEEL_SHOW_DEC },
    [F_OPT_PREFIX_FLAG] = { "icmpv6.opt.prefix.flag", "Flag", PEEL_FT_U8, PEEL_SHOW_HEX },
    [F_OPT_PREFIX_FLAG_L] = { "icmpv6.opt.prefix.flag.l", "On-link flag(L)", PEEL_FT_BOOLEAN,
            PEEL_SHOW_NONE, B8(0x80) },
    [F_OPT_PREFIX_FLAG_A] = { "icmpv6.opt.prefix.flag.a",
            "Autonomous address-configuration flag(A)", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, B8(0x40) },
    [F_OPT_PREFIX_FLAG_R] = { "icmpv6.opt.prefix.flag.r", "Router address flag(R)", PEEL_FT_BOOLEAN,
            PEEL_SHOW_NONE, B8(0x20) },
    [F_OPT_PREFIX_FLAG_RSV] = { "icmpv6.opt.prefix.flag.reserved", "Reserved", PEEL_FT_U8,
            PEEL_SHOW_DEC, B8(0x1f) },
    [F_OPT_PREFIX_VALID] = { "icmpv6.opt.prefix.valid_lifetime", "Valid Lifetime", PEEL_FT_U32,
            PEEL_SHOW_DEC },
    [F_OPT_PREFIX_PREFERRED] = { "icmpv6.opt.prefix.preferred_lifetime", "Preferred Lifetime",
            PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_OPT_PREFIX] = { "icmpv6.opt.prefix", "Prefix", PEEL_FT_IPV6 },
    [F_OPT_REDIRECTED_PACKET] = { "icmpv6.opt.redirected_packet", "Redirected Packet",
            PEEL_FT_NONE },
    [F_OPT_MTU] = { "icmpv6.opt.mtu", "MTU", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_OPT_NONCE] = { "icmpv6.opt.nonce", "Nonce", PEEL_FT_BYTES },
    [F_OPT_RDNSS_LIFETIME] = { "icmpv6.opt.rdnss.lifetime", "Lifetime", PEEL_FT_U32,
            PEEL_SHOW_DEC },
    [F_OPT_RDNSS] = { "icmpv6.opt.rdnss", "Recursive DNS Servers", PEEL_FT_IPV6 },
    [F_MLD_MRD] = { "icmpv6.mld.maximum_response_delay", "Maximum Response Delay [ms]", PEEL_FT_U16,
            PEEL_SHOW_DEC },
    [F_MLD_MCAST] = { "icmpv6.mld.multicast_address", "Multicast Address", PEEL_FT_IPV6 },
    [F_MLD_MRC] = { "icmpv6.mld.maximum_response_code", "Maximum Response Code", PEEL_FT_U16,
            PEEL_SHOW_DEC },
    [F_MLD_FLAG] = { "icmpv6.mld.flag", "Flags", PEEL_FT_U8, PEEL_SHOW_HEX },
    [F_MLD_FLAG_S] = { "icmpv6.mld.flag.s", "Suppress Router-Side Processing", PEEL_FT_BOOLEAN,
            PEEL_SHOW_NONE, B8(0x08) },
    [F_MLD_FLAG_QRV] = { "icmpv6.mld.flag.qrv", "QRV (Querier's Robustness Variable)", PEEL_FT_U8,
            PEEL_SHOW_DEC, B8(0x07) },
    [F_MLD_FLAG_RSV] = { "icmpv6.mld.flag.reserved", "Reserved", PEEL_FT_U8, PEEL_SHOW_DEC,
            B8(0xf0) },
    [F_MLD_QQI] = { "icmpv6.mld.qqi", "QQIC (Querier's Query Interval Code)", PEEL_FT_U8,
            PEEL_SHOW_DEC },
    [F_MLD_NB_SOURCES] = { "icmpv6.mld.nb_sources", "Number of Sources", PEEL_FT_U16,
            PEEL_SHOW_DEC },
    [F_MLD_SOURCE] = { "icmpv6.mld.source_address", "Source Address", PEEL_FT_IPV6 },
    [F_MLDR_NB_RECORDS] = { "icmpv6.mldr.nb_mcast_records", "Number of Multicast Address Records",
            PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_MLDR_MAR] = { "icmpv6.mldr.mar", "Multicast Address Record", PEEL_FT_NONE },
    [F_MLDR_RECORD_TYPE] = { "icmpv6.mldr.mar.record_type", "Record Type", PEEL_FT_U8,
            PEEL_SHOW_DEC, icmpv6_mldr_record_names },
    [F_MLDR_AUX_LEN] = { "icmpv6.mldr.mar.aux_data_len", "Aux Data Len", PEEL_FT_U8,
            PEEL_SHOW_DEC },
    [F_MLDR_NB_SOURCES] = { "icmpv6.mldr.mar.nb_sources", "Number of Sources", PEEL_FT_U16,
            PEEL_SHOW_DEC },
    [F_MLDR_MCAST] = { "icmpv6.mldr.mar.multicast_address", "Multicast Address", PEEL_FT_IPV6 },
    [F_MLDR_SOURCE] = { "icmpv6.mldr.mar.source_address", "Source Address", PEEL_FT_IPV6 },
    [F_MLDR_AUX_DATA] = { "icmpv6.mldr.mar.auxiliary_data", "Auxiliary Data", PEEL_FT_BYTES },
};

enum {
    ICMP6_DST_UNREACH = 1,
    ICMP6_PACKET_TOO_BIG = 2,
    ICMP6_TIME_EXCEEDED = 3,
    ICMP6_PARAM_PROB = 4,
    ICMP6_ECHO_REQUEST = 128,
    ICMP6_ECHO_REPLY = 129,
    ICMP6_MLD_QUERY = 130,
    ICMP6_MLD_REPORT = 131,
    ICMP6_MLD_DONE = 132,
    ICMP6_ND_RS = 133,
    ICMP6_ND_RA = 134,
    ICMP6_ND_NS = 135,
    ICMP6_ND_NA = 136,
    ICMP6_ND_REDIRECT = 137,
    ICMP6_RR = 138,
    ICMP6_MLDV2_REPORT = 143,
    ICMP6_EXT_ECHO_REQUEST = 160,
    ICMP6_EXT_ECHO_REPLY = 161,
};

/* Options are dissected per message; each is at least 8 bytes, so this bounds nothing a
 * real message needs but keeps a hostile one from filling the field list. */
#define ICMPV6_MAX_OPTIONS 256

static const PeelValueName *
icmpv6_code_names(uint8_t type)
{
    switch (type) {
    case ICMP6_DST_UNREACH:
        return icmpv6_unreach_codes;
    case ICMP6_TIME_EXCEEDED:
        return icmpv6_timex_codes;
    case ICMP6_PARAM_PROB:
        return icmpv6_param_codes;
    case ICMP6_RR:
        return icmpv6_rr_codes;
    case ICMP6_EXT_ECHO_REQUEST:
    case ICMP6_EXT_ECHO_REPLY:
        return icmpv6_ext_echo_codes;
    default:
        return NULL;
    }
}

/* ---- helpers ---- */

static int32_t
icmpv6_added(const PeelPacket *pkt, uint32_t before)
{
    return pkt->n_fields > before ? (int32_t)pkt->n_fields - 1 : -1;
}

/* A valueless item over n bytes at rd, as Wireshark's FT_NONE "Reserved" items. */
static int32_t
icmpv6_add_none(PeelPacket *pkt, PeelReader *rd, uint32_t f, uint32_t n)
{
    int32_t idx = peel_open(pkt, rd, f, n);
    if (idx >= 0 && pkt->parent == idx)
        peel_close(pkt, NULL);
    peel_reader_skip(rd, n);
    return idx;
}

static void
icmpv6_ntop(const uint8_t *a, char buf[48])
{
    if (a == NULL || inet_ntop(AF_INET6, a, buf, 48) == NULL)
        buf[0] = '\0';
}

/* Colon-separated hex, as Wireshark shows link-layer addresses. */
static void
icmpv6_hex_colon(const uint8_t *p, uint32_t n, char *buf, size_t size)
{
    static const char hex[] = "0123456789abcdef";
    size_t k = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < n && k + 4 < size; i++) {
        if (i)
            buf[k++] = ':';
        buf[k++] = hex[p[i] >> 4];
        buf[k++] = hex[p[i] & 0xf];
    }
    buf[k] = '\0';
}

static uint32_t
icmpv6_sum(uint32_t sum, const uint8_t *p, uint32_t n)
{
    return peel_inet_fold(peel_inet_sum(sum, p, n));
}

/* The checksum covers a pseudo-header of the IPv6 addresses, the length and the next
 * header value 58 (RFC 4443 2.3, RFC 8200 8.1); it is checked when the whole message was
 * captured and is neither quoted in an error nor a fragment. */
static void
icmpv6_checksum(PeelPacket *pkt, PeelReader *rd, const PeelReader *msg)
{
    uint16_t field = peel_add_u16(pkt, rd, F_CHECKSUM);
    int32_t idx = peel_last(pkt);
    if (!peel_reader_ok(rd))
        return;
    uint32_t len = peel_reader_remaining(msg);
    uint32_t got = 0;
    const uint8_t *p = peel_reader_peek_bytes(msg, 0, len, &got);
    int32_t st;
    if (pkt->in_error || pkt->ip_fragment || p == NULL || got < len ||
            pkt->net_src.type != PEEL_AT_IPV6 || pkt->net_dst.type != PEEL_AT_IPV6) {
        if (pkt->in_error || pkt->ip_fragment)
            peel_set_text(pkt, idx, "Checksum: 0x%04x [unverified] [%s]", field,
                    pkt->in_error ? "in ICMP error packet" : "fragmented datagram");
        else
            peel_set_text(pkt, idx, "Checksum: 0x%04x [unverified]", field);
        st = peel_add_uint_value(pkt, F_CHECKSUM_STATUS, 2);
        peel_set_text(pkt, st, "Checksum Status: Unverified");
        return;
    }
    uint32_t sum = icmpv6_sum(0, pkt->net_src.bytes, 16);
    sum = icmpv6_sum(sum, pkt->net_dst.bytes, 16);
    sum = icmpv6_sum(sum, (const uint8_t[]){ len >> 24, len >> 16, len >> 8, len, 0, 0, 0, 58 }, 8);
    sum = icmpv6_sum(sum, p, 2);
    sum = icmpv6_sum(sum, p + 4, len - 4);
    uint16_t computed = (uint16_t)~sum;
    if (computed == field) {
        peel_set_text(pkt, idx, "Checksum: 0x%04x [correct]", field);
        st = peel_add_uint_value(pkt, F_CHECKSUM_STATUS, 1);
        peel_set_text(pkt, st, "Checksum Status: Good");
    } else {
        peel_set_text(pkt, idx, "Checksum: 0x%04x incorrect, should be 0x%04x", field, computed);
        peel_expert(pkt, idx, PEEL_SEV_WARN, PEEL_GROUP_CHECKSUM, "Bad checksum [should be 0x%04x]",
                computed);
        st = peel_add_uint_value(pkt, F_CHECKSUM_STATUS, 0);
        peel_set_text(pkt, st, "Checksum Status: Bad");
    }
}

/* What the outer packet shows, kept across a quoted packet. */
typedef struct {
    const char *col_protocol;
    const PeelAddr *col_src, *col_dst;
    PeelAddr net_src, net_dst;
    uint32_t info_len, info_fence;
    uint8_t ip_proto, ip_ttl;
    bool ip_fragment, in_error;
    uint16_t src_port, dst_port;
} Icmpv6Outer;

/* Dissects rd as the IPv6 packet quoted in an error or redirect, without letting it
 * change the columns, addresses or info of the packet that carries it. */
static void
icmpv6_quoted(PeelPacket *pkt, PeelReader *rd)
{
    if (peel_reader_remaining(rd) == 0)
        return;
    Icmpv6Outer o = { pkt->col_protocol, pkt->col_src, pkt->col_dst, pkt->net_src, pkt->net_dst,
        pkt->info_len, pkt->info_fence, pkt->ip_proto, pkt->ip_ttl, pkt->ip_fragment, pkt->in_error,
        pkt->src_port, pkt->dst_port };
    pkt->in_error = true;
    pkt->info_fence = pkt->info_len;
    PeelReader inner = peel_reader_rest(rd);
    peel_next_proto(pkt, &inner, &peel_proto_ipv6);
    pkt->col_protocol = o.col_protocol;
    pkt->net_src = o.net_src;
    pkt->net_dst = o.net_dst;
    pkt->col_src = o.col_src;
    pkt->col_dst = o.col_dst;
    pkt->info_len = o.info_len;
    pkt->info[o.info_len] = '\0';
    pkt->info_fence = o.info_fence;
    pkt->ip_proto = o.ip_proto;
    pkt->ip_ttl = o.ip_ttl;
    pkt->ip_fragment = o.ip_fragment;
    pkt->in_error = o.in_error;
    pkt->src_port = o.src_port;
    pkt->dst_port = o.dst_port;
}

/* ---- neighbor discovery options (RFC 4861 4.6) ---- */

static void
icmpv6_opt_linkaddr(
        PeelPacket *pkt, PeelReader *o, uint8_t type, uint32_t n, int32_t item, bool info)
{
    PeelReader copy = *o;
    const uint8_t *a = peel_add_bytes(pkt, o, F_OPT_LINKADDR, n);
    int32_t idx = peel_last(pkt);
    if (a == NULL)
        return;
    peel_hide(
            pkt, peel_add_hidden(pkt, type == 1 ? F_OPT_SRC_LINKADDR : F_OPT_TARGET_LINKADDR, idx));
    (void)copy;
    char mac[3 * 40];
    icmpv6_hex_colon(a, n, mac, sizeof mac);
    peel_set_text(pkt, item, "ICMPv6 Option (%s : %s)",
            type == 1 ? "Source link-layer address" : "Target link-layer address", mac);
    if (info)
        peel_info_append(pkt, type == 1 ? " from %s" : " is at %s", mac);
}

static void
icmpv6_opt_prefix(PeelPacket *pkt, PeelReader *o, int32_t item)
{
    uint8_t plen = peel_add_u8(pkt, o, F_OPT_PREFIX_LENGTH);
    uint8_t flags = peel_reader_peek_u8(o, 0);
    uint32_t before = pkt->n_fields;
    peel_add_bits(pkt, o, F_OPT_PREFIX_FLAG);
    int32_t fi = icmpv6_added(pkt, before);
    bool open = peel_open_last(pkt, before);
    peel_add_bits(pkt, o, F_OPT_PREFIX_FLAG_L);
    peel_add_bits(pkt, o, F_OPT_PREFIX_FLAG_A);
    peel_add_bits(pkt, o, F_OPT_PREFIX_FLAG_R);
    peel_add_bits(pkt, o, F_OPT_PREFIX_FLAG_RSV);
    peel_close_if(pkt, open);
    peel_reader_skip(o, 1);
    if (!peel_reader_ok(o))
        return;
    peel_set_text(pkt, fi, "Flag: 0x%02x%s%s%s", flags, flags & 0x80 ? ", On-link flag(L)" : "",
            flags & 0x40 ? ", Autonomous address-configuration flag(A)" : "",
            flags & 0x20 ? ", Router address flag(R)" : "");
    uint32_t valid = peel_add_u32(pkt, o, F_OPT_PREFIX_VALID);
    if (valid == 0xffffffffu && peel_reader_ok(o))
        peel_set_text(pkt, peel_last(pkt), "Valid Lifetime: Infinity (4294967295)");
    uint32_t pref = peel_add_u32(pkt, o, F_OPT_PREFIX_PREFERRED);
    if (pref == 0xffffffffu && peel_reader_ok(o))
        peel_set_text(pkt, peel_last(pkt), "Preferred Lifetime: Infinity (4294967295)");
    icmpv6_add_none(pkt, o, F_OPT_RESERVED, 4);
    const uint8_t *prefix = peel_add_ipv6(pkt, o, F_OPT_PREFIX);
    if (prefix != NULL) {
        char s[48];
        icmpv6_ntop(prefix, s);
        peel_set_text(pkt, item, "ICMPv6 Option (Prefix information : %s/%u)", s, plen);
    }
}

static void
icmpv6_opt_rdnss(PeelPacket *pkt, PeelReader *o, int32_t item)
{
    icmpv6_add_none(pkt, o, F_OPT_RESERVED, 2);
    peel_add_u32(pkt, o, F_OPT_RDNSS_LIFETIME);
    char label[512];
    int n = peel_snprintf(label, sizeof label, "ICMPv6 Option (Recursive DNS Server");
    while (peel_reader_remaining(o) >= 16 && peel_reader_ok(o)) {
        const uint8_t *a = peel_add_ipv6(pkt, o, F_OPT_RDNSS);
        char s[48];
        icmpv6_ntop(a, s);
        if (a != NULL && n > 0 && (size_t)n < sizeof label)
            n += peel_snprintf(label + n, sizeof label - (size_t)n, " %s", s);
    }
    if (n > 0 && (size_t)n < sizeof label)
        peel_snprintf(label + n, sizeof label - (size_t)n, ")");
    peel_set_text(pkt, item, "%s", label);
}

/* The options after a neighbor discovery message's fixed part; every pass consumes at
 * least eight bytes or stops. */
static void
icmpv6_options(PeelPacket *pkt, PeelReader *rd, bool quoted)
{
    for (unsigned count = 0; peel_reader_remaining(rd) > 0 && peel_reader_ok(rd); count++) {
        if (count == ICMPV6_MAX_OPTIONS) {
            peel_add_bytes(pkt, rd, F_UNKNOWN_DATA, peel_reader_captured(rd));
            peel_expert(pkt, peel_last(pkt), PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                    "more than %u ICMPv6 options: the rest is not dissected", ICMPV6_MAX_OPTIONS);
            return;
        }
        uint8_t type = peel_reader_peek_u8(rd, 0);
        uint32_t units = peel_reader_peek_u8(rd, 1);
        uint32_t len = units * 8;
        bool open;
        int32_t item = peel_open(pkt, rd, F_OPT, len ? len : 2);
        open = item >= 0 && pkt->parent == item;
        const char *name = peel_value_name(icmpv6_opt_names, type);
        if (name != NULL)
            peel_set_text(pkt, item, "ICMPv6 Option (%s)", name);
        else
            peel_set_text(pkt, item, "ICMPv6 Option (Unknown %u)", type);
        PeelReader o = peel_reader_take(rd, len ? len : 2);
        peel_add_u8(pkt, &o, F_OPT_TYPE);
        if (name == NULL && peel_reader_ok(&o))
            peel_set_text(pkt, peel_last(pkt), "Type: Unknown (%u)", type);
        peel_add_u8(pkt, &o, F_OPT_LENGTH);
        int32_t len_idx = peel_last(pkt);
        if (!peel_reader_ok(&o)) {
            peel_close_if(pkt, open);
            if (!peel_reader_ok(&o))
                rd->status = o.status;
            return;
        }
        peel_set_text(pkt, len_idx, "Length: %u (%u bytes)", units, len);
        if (len == 0) {
            peel_expert(pkt, len_idx, PEEL_SEV_ERROR, PEEL_GROUP_MALFORMED,
                    "Invalid option length (Zero)");
            peel_close_if(pkt, open);
            return;
        }
        switch (type) {
        case 1: /* source link-layer address */
        case 2: /* target link-layer address */
            icmpv6_opt_linkaddr(pkt, &o, type, len - 2, item, !quoted);
            break;
        case 3:
            icmpv6_opt_prefix(pkt, &o, item);
            break;
        case 4: { /* redirected header: reserved, then the packet as far as it fits */
            icmpv6_add_none(pkt, &o, F_OPT_RESERVED, 6);
            int32_t rp = peel_open(pkt, &o, F_OPT_REDIRECTED_PACKET, peel_reader_remaining(&o));
            bool rpo = rp >= 0 && pkt->parent == rp;
            icmpv6_quoted(pkt, &o);
            peel_close_if(pkt, rpo);
            break;
        }
        case 5: {
            icmpv6_add_none(pkt, &o, F_OPT_RESERVED, 2);
            uint32_t mtu = peel_add_u32(pkt, &o, F_OPT_MTU);
            if (peel_reader_ok(&o))
                peel_set_text(pkt, item, "ICMPv6 Option (MTU : %u)", mtu);
            break;
        }
        case 14:
            peel_add_bytes(pkt, &o, F_OPT_NONCE, len - 2);
            break;
        case 25:
            icmpv6_opt_rdnss(pkt, &o, item);
            break;
        default:
            peel_expert(pkt, item, PEEL_SEV_NOTE, PEEL_GROUP_UNDECODED,
                    "ICMPv6 option %u is not decoded: shown as data", type);
            peel_add_bytes(pkt, &o, F_DATA, len - 2);
            break;
        }
        peel_close_if(pkt, open);
        if (!peel_reader_ok(&o) && o.status != PEEL_READ_OK) {
            rd->status = o.status;
            return;
        }
    }
}

/* ---- MLD ---- */

static void
icmpv6_mld(PeelPacket *pkt, PeelReader *rd, uint8_t type, uint32_t msg_len)
{
    if (type == ICMP6_MLD_QUERY && msg_len >= 28) { /* MLDv2 query, RFC 3810 5.1 */
        peel_add_u16(pkt, rd, F_MLD_MRC);
        peel_add_bytes(pkt, rd, F_RESERVED, 2);
        peel_add_ipv6(pkt, rd, F_MLD_MCAST);
        uint8_t flags = peel_reader_peek_u8(rd, 0);
        uint32_t before = pkt->n_fields;
        peel_add_bits(pkt, rd, F_MLD_FLAG);
        int32_t fi = icmpv6_added(pkt, before);
        bool open = peel_open_last(pkt, before);
        peel_add_bits(pkt, rd, F_MLD_FLAG_RSV);
        peel_add_bits(pkt, rd, F_MLD_FLAG_S);
        peel_add_bits(pkt, rd, F_MLD_FLAG_QRV);
        peel_close_if(pkt, open);
        peel_reader_skip(rd, 1);
        if (peel_reader_ok(rd) && (flags & 0x08))
            peel_set_text(pkt, fi, "Flags: 0x%02x, Suppress Router-Side Processing", flags);
        peel_add_u8(pkt, rd, F_MLD_QQI);
        uint16_t n = peel_add_u16(pkt, rd, F_MLD_NB_SOURCES);
        for (uint32_t i = 0; i < n && peel_reader_ok(rd); i++)
            peel_add_ipv6(pkt, rd, F_MLD_SOURCE);
        return;
    }
    peel_add_u16(pkt, rd, F_MLD_MRD);
    peel_add_bytes(pkt, rd, F_RESERVED, 2);
    peel_add_ipv6(pkt, rd, F_MLD_MCAST);
}

/* MLDv2 report (RFC 3810 5.2): multicast address records. */
static void
icmpv6_mldv2_report(PeelPacket *pkt, PeelReader *rd)
{
    peel_add_bytes(pkt, rd, F_RESERVED, 2);
    uint16_t n = peel_add_u16(pkt, rd, F_MLDR_NB_RECORDS);
    for (uint32_t i = 0; i < n && peel_reader_ok(rd) && peel_reader_remaining(rd) > 0; i++) {
        uint8_t rtype = peel_reader_peek_u8(rd, 0);
        uint32_t aux = peel_reader_peek_u8(rd, 1) * 4u;
        uint32_t nsrc = peel_reader_peek_u16be(rd, 2);
        uint32_t size = 20 + nsrc * 16 + aux;
        int32_t item = peel_open(pkt, rd, F_MLDR_MAR, size);
        bool open = item >= 0 && pkt->parent == item;
        PeelReader rec = peel_reader_take(rd, size);
        peel_add_u8(pkt, &rec, F_MLDR_RECORD_TYPE);
        peel_add_u8(pkt, &rec, F_MLDR_AUX_LEN);
        peel_add_u16(pkt, &rec, F_MLDR_NB_SOURCES);
        const uint8_t *m = peel_add_ipv6(pkt, &rec, F_MLDR_MCAST);
        if (m != NULL) {
            char s[48];
            icmpv6_ntop(m, s);
            const char *tn = peel_value_name(icmpv6_mldr_record_names, rtype);
            peel_set_text(pkt, item, "Multicast Address Record %s: %s", tn ? tn : "Unknown", s);
        }
        for (uint32_t k = 0; k < nsrc && peel_reader_ok(&rec); k++)
            peel_add_ipv6(pkt, &rec, F_MLDR_SOURCE);
        if (aux > 0 && peel_reader_ok(&rec))
            peel_add_bytes(pkt, &rec, F_MLDR_AUX_DATA, aux);
        peel_close_if(pkt, open);
        if (!peel_reader_ok(&rec))
            return;
    }
}

/*
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Message Body                          |
 *
 * Echo request/reply pairing (Wireshark's "(reply in N)") needs conversation state and is
 * not done here.
 */
/* Echo requests and replies are paired (tshark's "(request in N)"). */
static void
icmpv6_pair(PeelPacket *pkt, uint8_t type, uint16_t id, uint16_t seq)
{
    static const char owner = '6';
    static const PeelEchoFields fields = { F_RESP_TO, F_RESPTIME, "Response To", "Response Time" };
    peel_echo_pair(pkt, &owner, type == ICMP6_ECHO_REQUEST, type == ICMP6_ECHO_REPLY, id, seq, &fields);
}

static void
icmpv6_dissect(PeelReader *rd, PeelPacket *pkt)
{
    const PeelReader msg = *rd;
    bool quoted = pkt->in_error;
    if (!quoted)
        peel_info_clear(pkt);

    uint8_t type = peel_reader_peek_u8(rd, 0);
    uint8_t code = peel_reader_peek_u8(rd, 1);
    peel_add_u8(pkt, rd, F_TYPE);
    if (!peel_reader_ok(rd))
        return;
    const char *tname = peel_value_name(icmpv6_type_names, type);
    if (tname == NULL)
        peel_set_text(pkt, peel_last(pkt), "Type: Unknown (%u)", type);
    const PeelValueName *codes = icmpv6_code_names(type);
    const char *code_str = codes ? peel_value_name(codes, code) : NULL;
    if (!quoted) {
        if (tname != NULL)
            peel_info_set(pkt, "%s", tname);
        else
            peel_info_set(pkt, "Unknown (%u)", type);
        if (code_str != NULL)
            peel_info_append(pkt, " (%s)", code_str);
    }
    peel_add_u8(pkt, rd, F_CODE);
    if (!peel_reader_ok(rd))
        return;
    if (code_str != NULL)
        peel_set_text(pkt, peel_last(pkt), "Code: %u (%s)", code, code_str);
    icmpv6_checksum(pkt, rd, &msg);
    if (!peel_reader_ok(rd))
        return;

    char s[48];
    switch (type) {
    case ICMP6_DST_UNREACH:
    case ICMP6_TIME_EXCEEDED:
        peel_add_bytes(pkt, rd, F_RESERVED, 4);
        if (peel_reader_ok(rd))
            icmpv6_quoted(pkt, rd);
        break;
    case ICMP6_PACKET_TOO_BIG:
        peel_add_u32(pkt, rd, F_MTU);
        if (peel_reader_ok(rd))
            icmpv6_quoted(pkt, rd);
        break;
    case ICMP6_PARAM_PROB:
        peel_add_u32(pkt, rd, F_POINTER);
        if (peel_reader_ok(rd))
            icmpv6_quoted(pkt, rd);
        break;
    case ICMP6_ECHO_REQUEST:
    case ICMP6_ECHO_REPLY: {
        uint16_t id = peel_add_u16(pkt, rd, F_ECHO_ID);
        uint16_t seq = peel_add_u16(pkt, rd, F_ECHO_SEQ);
        if (!peel_reader_ok(rd))
            return;
        if (!quoted) {
            peel_info_append(pkt, " id=0x%04x, seq=%u", id, seq);
            if (pkt->net_src.type == PEEL_AT_IPV6)
                peel_info_append(pkt, ", hop limit=%u", pkt->ip_ttl);
            icmpv6_pair(pkt, type, id, seq);
        }
        peel_next_data_nested(pkt, rd);
        break;
    }
    case ICMP6_MLD_QUERY:
    case ICMP6_MLD_REPORT:
    case ICMP6_MLD_DONE:
        icmpv6_mld(pkt, rd, type, peel_reader_remaining(&msg));
        break;
    case ICMP6_MLDV2_REPORT:
        icmpv6_mldv2_report(pkt, rd);
        break;
    case ICMP6_ND_RS:
        peel_add_bytes(pkt, rd, F_RESERVED, 4);
        icmpv6_options(pkt, rd, quoted);
        break;
    case ICMP6_ND_RA: {
        peel_add_u8(pkt, rd, F_RA_HOP_LIMIT);
        uint8_t flags = peel_reader_peek_u8(rd, 0);
        uint32_t before = pkt->n_fields;
        peel_add_bits(pkt, rd, F_RA_FLAG);
        int32_t fi = icmpv6_added(pkt, before);
        bool open = peel_open_last(pkt, before);
        peel_add_bits(pkt, rd, F_RA_FLAG_M);
        peel_add_bits(pkt, rd, F_RA_FLAG_O);
        peel_add_bits(pkt, rd, F_RA_FLAG_H);
        peel_add_bits(pkt, rd, F_RA_FLAG_PRF);
        peel_add_bits(pkt, rd, F_RA_FLAG_P);
        peel_add_bits(pkt, rd, F_RA_FLAG_RSV);
        peel_close_if(pkt, open);
        peel_reader_skip(rd, 1);
        if (!peel_reader_ok(rd))
            return;
        peel_set_text(pkt, fi, "Flags: 0x%02x%s%s%s, Prf (Default Router Preference): %s%s", flags,
                flags & 0x80 ? ", Managed address configuration" : "",
                flags & 0x40 ? ", Other configuration" : "", flags & 0x20 ? ", Home Agent" : "",
                peel_value_name(icmpv6_prf_names, (flags >> 3) & 3), flags & 0x04 ? ", Proxy" : "");
        peel_add_u16(pkt, rd, F_RA_LIFETIME);
        peel_add_u32(pkt, rd, F_RA_REACHABLE);
        peel_add_u32(pkt, rd, F_RA_RETRANS);
        icmpv6_options(pkt, rd, quoted);
        break;
    }
    case ICMP6_ND_NS: {
        peel_add_bytes(pkt, rd, F_RESERVED, 4);
        const uint8_t *t = peel_add_ipv6(pkt, rd, F_NS_TARGET);
        if (t == NULL)
            return;
        icmpv6_ntop(t, s);
        if (!quoted)
            peel_info_append(pkt, " for %s", s);
        icmpv6_options(pkt, rd, quoted);
        break;
    }
    case ICMP6_ND_NA: {
        uint32_t flags = peel_reader_peek_u32be(rd, 0);
        uint32_t before = pkt->n_fields;
        peel_add_bits(pkt, rd, F_NA_FLAG);
        int32_t fi = icmpv6_added(pkt, before);
        bool open = peel_open_last(pkt, before);
        peel_add_bits(pkt, rd, F_NA_FLAG_R);
        peel_add_bits(pkt, rd, F_NA_FLAG_S);
        peel_add_bits(pkt, rd, F_NA_FLAG_O);
        peel_add_bits(pkt, rd, F_NA_FLAG_RSV);
        peel_close_if(pkt, open);
        peel_reader_skip(rd, 4);
        const uint8_t *t = peel_add_ipv6(pkt, rd, F_NA_TARGET);
        if (t == NULL)
            return;
        peel_set_text(pkt, fi, "Flags: 0x%08x%s%s%s", flags, flags & 0x80000000u ? ", Router" : "",
                flags & 0x40000000u ? ", Solicited" : "", flags & 0x20000000u ? ", Override" : "");
        icmpv6_ntop(t, s);
        if (!quoted) {
            char f[32];
            int n = peel_snprintf(f, sizeof f, "%s%s%s", flags & 0x80000000u ? "rtr, " : "",
                    flags & 0x40000000u ? "sol, " : "", flags & 0x20000000u ? "ovr, " : "");
            if (n >= 2)
                f[n - 2] = '\0';
            peel_info_append(pkt, " %s (%s)", s, n >= 2 ? f : "none");
        }
        icmpv6_options(pkt, rd, quoted);
        break;
    }
    case ICMP6_ND_REDIRECT:
        peel_add_bytes(pkt, rd, F_RESERVED, 4);
        peel_add_ipv6(pkt, rd, F_RD_TARGET);
        peel_add_ipv6(pkt, rd, F_RD_DESTINATION);
        icmpv6_options(pkt, rd, quoted);
        break;
    default:
        peel_expert(pkt, peel_last(pkt), PEEL_SEV_NOTE, PEEL_GROUP_UNDECODED,
                "ICMPv6 type %u is not decoded: shown as data", type);
        if (peel_reader_remaining(rd) > 0)
            peel_add_bytes(pkt, rd, F_DATA, peel_reader_remaining(rd));
        break;
    }
}

static const PeelFieldNeed icmpv6_needs[] = {
    { F_OPT_SRC_LINKADDR, F_OPT_LINKADDR }, { F_OPT_TARGET_LINKADDR, F_OPT_LINKADDR },
};

const PeelProto peel_proto_icmpv6 = {
    .field_needs = icmpv6_needs,
    .n_field_needs = G_N_ELEMENTS(icmpv6_needs),
    .name = "icmpv6",
    .title = "Internet Control Message Protocol v6",
    .short_name = "ICMPv6",
    .fields = icmpv6_fields,
    .n_fields = N_F,
    .dissect = icmpv6_dissect,
    .handoffs = { { PEEL_TABLE_IP_PROTO, 58 } },
};
