/* proto-icmp.c: Internet Control Message Protocol (RFC 792, 1191, 1256, 4884, 8335):
 * type, code, checksum, echo and timestamp fields, and the quoted header of error
 * messages; field names and texts follow Wireshark 4.0. */
#include "dissect.h"
#include "echo-pairs.h"
#include "fmt.h"
#include "inet-checksum.h"

#include <stdio.h>
#include <string.h>

#include "dissector.h"
#include "protos.h"

enum {
    F_TYPE,
    F_CODE,
    F_CHECKSUM,
    F_CHECKSUM_STATUS,
    F_UNUSED,
    F_IDENT,
    F_IDENT_LE,
    F_SEQ,
    F_SEQ_LE,
    F_MTU,
    F_NUM_ADDRS,
    F_ADDR_ENTRY_SIZE,
    F_LIFETIME,
    F_POINTER,
    F_ROUTER_ADDRESS,
    F_PREF_LEVEL,
    F_ORIGINATE_TS,
    F_RECEIVE_TS,
    F_TRANSMIT_TS,
    F_ADDRESS_MASK,
    F_REDIR_GW,
    F_LENGTH,
    F_LENGTH_ORIGINAL,
    F_DATA_TIME,
    F_DATA_TIME_RELATIVE,
    F_EXT_ECHO_SEQ,
    F_EXT_ECHO_REQ_RES,
    F_EXT_ECHO_REQ_LOCAL,
    F_EXT_ECHO_RSP_STATE,
    F_EXT_ECHO_RSP_RES,
    F_EXT_ECHO_RSP_ACTIVE,
    F_EXT_ECHO_RSP_IPV4,
    F_EXT_ECHO_RSP_IPV6,
    F_RESP_TO,
    F_RESPTIME,
    N_F
};

static const PeelValueName icmp_checksum_status_names[] = {
    { 0, "Bad" },
    { 1, "Good" },
    { 2, "Unverified" },
    { 3, "Not present" },
    { 4, "Illegal" },
    { 0, NULL },
};

static const PeelValueName icmp_ext_echo_state_names[] = {
    { 0, "Reserved" },
    { 1, "Incomplete" },
    { 2, "Reachable" },
    { 3, "Stale" },
    { 4, "Delay" },
    { 5, "Probe" },
    { 6, "Failed" },
    { 0, NULL },
};

static const PeelFieldDef icmp_fields[N_F] = {
    [F_TYPE] = { "icmp.type", "Type", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_CODE] = { "icmp.code", "Code", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_CHECKSUM] = { "icmp.checksum", "Checksum", PEEL_FT_U16, PEEL_SHOW_HEX },
    [F_CHECKSUM_STATUS] = { "icmp.checksum.status", "Checksum Status", PEEL_FT_U8, PEEL_SHOW_NONE,
            icmp_checksum_status_names },
    [F_UNUSED] = { "icmp.unused", "Unused", PEEL_FT_BYTES },
    [F_RESP_TO] = { "icmp.resp_to", "Request frame", PEEL_FT_FRAMENUM },
    [F_RESPTIME] = { "icmp.resptime", "Response time", PEEL_FT_DOUBLE },
    [F_IDENT] = { "icmp.ident", "Identifier (BE)", PEEL_FT_U16, PEEL_SHOW_DEC_HEX },
    [F_IDENT_LE] = { "icmp.ident_le", "Identifier (LE)", PEEL_FT_U16, PEEL_SHOW_DEC_HEX },
    [F_SEQ] = { "icmp.seq", "Sequence Number (BE)", PEEL_FT_U16, PEEL_SHOW_DEC_HEX },
    [F_SEQ_LE] = { "icmp.seq_le", "Sequence Number (LE)", PEEL_FT_U16, PEEL_SHOW_DEC_HEX },
    [F_MTU] = { "icmp.mtu", "MTU of next hop", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_NUM_ADDRS] = { "icmp.num_addrs", "Number of addresses", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_ADDR_ENTRY_SIZE] = { "icmp.addr_entry_size", "Address entry size", PEEL_FT_U8,
            PEEL_SHOW_DEC },
    [F_LIFETIME] = { "icmp.lifetime", "Lifetime", PEEL_FT_U16, PEEL_SHOW_DEC },
    /* a 32-bit field in Wireshark read from one octet */
    [F_POINTER] = { "icmp.pointer", "Pointer", PEEL_FT_U32, PEEL_SHOW_DEC, NULL, 0, 1 },
    [F_ROUTER_ADDRESS] = { "icmp.router_address", "Router address", PEEL_FT_IPV4 },
    [F_PREF_LEVEL] = { "icmp.pref_level", "Preference level", PEEL_FT_I32, PEEL_SHOW_DEC },
    [F_ORIGINATE_TS] = { "icmp.originate_timestamp", "Originate Timestamp", PEEL_FT_U32,
            PEEL_SHOW_DEC },
    [F_RECEIVE_TS] = { "icmp.receive_timestamp", "Receive Timestamp", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_TRANSMIT_TS] = { "icmp.transmit_timestamp", "Transmit Timestamp", PEEL_FT_U32,
            PEEL_SHOW_DEC },
    [F_ADDRESS_MASK] = { "icmp.address_mask", "Address Mask", PEEL_FT_IPV4 },
    [F_REDIR_GW] = { "icmp.redir_gw", "Gateway Address", PEEL_FT_IPV4 },
    [F_LENGTH] = { "icmp.length", "Length", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_LENGTH_ORIGINAL] = { "icmp.length.original_datagram", "Length of original datagram",
            PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_DATA_TIME] = { "icmp.data_time", "Timestamp from icmp data", PEEL_FT_ABS_TIME },
    [F_DATA_TIME_RELATIVE] = { "icmp.data_time_relative", "Timestamp from icmp data (relative)",
            PEEL_FT_REL_TIME },
    [F_EXT_ECHO_SEQ] = { "icmp.ext.echo.seq", "Sequence Number", PEEL_FT_U8, PEEL_SHOW_DEC_HEX },
    [F_EXT_ECHO_REQ_RES] = { "icmp.ext.echo.req.res", "Reserved", PEEL_FT_U8, PEEL_SHOW_HEX, NULL,
            0xfe, 1 },
    [F_EXT_ECHO_REQ_LOCAL] = { "icmp.ext.echo.req.local", "Local bit", PEEL_FT_BOOLEAN,
            PEEL_SHOW_NONE, NULL, 0x01, 1 },
    [F_EXT_ECHO_RSP_STATE] = { "icmp.ext.echo.rsp.state", "State", PEEL_FT_U8, PEEL_SHOW_DEC,
            icmp_ext_echo_state_names, 0xe0, 1 },
    [F_EXT_ECHO_RSP_RES] = { "icmp.ext.echo.rsp.res", "Reserved", PEEL_FT_U8, PEEL_SHOW_HEX, NULL,
            0x18, 1 },
    [F_EXT_ECHO_RSP_ACTIVE] = { "icmp.ext.echo.rsp.active", "Active bit", PEEL_FT_BOOLEAN,
            PEEL_SHOW_NONE, NULL, 0x04, 1 },
    [F_EXT_ECHO_RSP_IPV4] = { "icmp.ext.echo.rsp.ipv4", "IPv4 bit", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE,
            NULL, 0x02, 1 },
    [F_EXT_ECHO_RSP_IPV6] = { "icmp.ext.echo.rsp.ipv6", "IPv6 bit", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE,
            NULL, 0x01, 1 },
};

enum {
    ICMP_ECHOREPLY = 0,
    ICMP_UNREACH = 3,
    ICMP_SOURCEQUENCH = 4,
    ICMP_REDIRECT = 5,
    ICMP_ALTHOST = 6,
    ICMP_ECHO = 8,
    ICMP_RTRADVERT = 9,
    ICMP_RTRSOLICIT = 10,
    ICMP_TIMXCEED = 11,
    ICMP_PARAMPROB = 12,
    ICMP_TSTAMP = 13,
    ICMP_TSTAMPREPLY = 14,
    ICMP_IREQ = 15,
    ICMP_IREQREPLY = 16,
    ICMP_MASKREQ = 17,
    ICMP_MASKREPLY = 18,
    ICMP_PHOTURIS = 40,
    ICMP_EXTECHO = 42,
    ICMP_EXTECHOREPLY = 43,
};

static const PeelValueName icmp_type_names[] = {
    { 0, "Echo (ping) reply" },
    { 1, "Reserved" },
    { 2, "Reserved" },
    { 3, "Destination unreachable" },
    { 4, "Source quench (flow control)" },
    { 5, "Redirect" },
    { 6, "Alternate host address" },
    { 8, "Echo (ping) request" },
    { 9, "Router advertisement" },
    { 10, "Router solicitation" },
    { 11, "Time-to-live exceeded" },
    { 12, "Parameter problem" },
    { 13, "Timestamp request" },
    { 14, "Timestamp reply" },
    { 15, "Information request" },
    { 16, "Information reply" },
    { 17, "Address mask request" },
    { 18, "Address mask reply" },
    { 19, "Reserved (for security)" },
    { 30, "Traceroute" },
    { 31, "Datagram Conversion Error" },
    { 32, "Mobile Host Redirect" },
    { 33, "IPv6 Where-Are-You" },
    { 34, "IPv6 I-Am-Here" },
    { 35, "Mobile Registration Request" },
    { 36, "Mobile Registration Reply" },
    { 37, "Domain Name Request" },
    { 38, "Domain Name Reply" },
    { 39, "SKIP" },
    { 40, "Photuris" },
    { 41, "Experimental mobility protocols" },
    { 42, "Extended Echo request" },
    { 43, "Extended Echo reply" },
    { 0, NULL },
};

static const PeelValueName icmp_unreach_codes[] = {
    { 0, "Network unreachable" },
    { 1, "Host unreachable" },
    { 2, "Protocol unreachable" },
    { 3, "Port unreachable" },
    { 4, "Fragmentation needed" },
    { 5, "Source route failed" },
    { 6, "Destination network unknown" },
    { 7, "Destination host unknown" },
    { 8, "Source host isolated" },
    { 9, "Network administratively prohibited" },
    { 10, "Host administratively prohibited" },
    { 11, "Network unreachable for TOS" },
    { 12, "Host unreachable for TOS" },
    { 13, "Communication administratively filtered" },
    { 14, "Host precedence violation" },
    { 15, "Precedence cutoff in effect" },
    { 0, NULL },
};

static const PeelValueName icmp_redirect_codes[] = {
    { 0, "Redirect for network" },
    { 1, "Redirect for host" },
    { 2, "Redirect for TOS and network" },
    { 3, "Redirect for TOS and host" },
    { 0, NULL },
};

static const PeelValueName icmp_althost_codes[] = {
    { 0, "Alternate address for host" },
    { 0, NULL },
};

static const PeelValueName icmp_rtradvert_codes[] = {
    { 0, "Normal router advertisement" },
    { 16, "Does not route common traffic" },
    { 0, NULL },
};

static const PeelValueName icmp_ttl_codes[] = {
    { 0, "Time to live exceeded in transit" },
    { 1, "Fragment reassembly time exceeded" },
    { 0, NULL },
};

static const PeelValueName icmp_param_codes[] = {
    { 0, "Pointer indicates the error" },
    { 1, "Required option missing" },
    { 2, "Bad length" },
    { 0, NULL },
};

static const PeelValueName icmp_photuris_codes[] = {
    { 0, "Bad SPI" },
    { 1, "Authentication Failed" },
    { 2, "Decompression Failed" },
    { 3, "Decryption Failed" },
    { 4, "Need Authentication" },
    { 5, "Need Authorization" },
    { 0, NULL },
};

static const PeelValueName icmp_ext_echo_req_codes[] = {
    { 0, "No error" },
    { 0, NULL },
};

static const PeelValueName icmp_ext_echo_reply_codes[] = {
    { 0, "No error" },
    { 1, "Malformed Query" },
    { 2, "No Such Interface" },
    { 3, "No Such Table Entry" },
    { 4, "Multiple Interfaces Satisfy Query" },
    { 0, NULL },
};

/* The code table for a type, NULL when Wireshark names no codes for it. */
static const PeelValueName *
icmp_code_names(uint8_t type)
{
    switch (type) {
    case ICMP_UNREACH:
        return icmp_unreach_codes;
    case ICMP_REDIRECT:
        return icmp_redirect_codes;
    case ICMP_ALTHOST:
        return icmp_althost_codes;
    case ICMP_RTRADVERT:
        return icmp_rtradvert_codes;
    case ICMP_TIMXCEED:
        return icmp_ttl_codes;
    case ICMP_PARAMPROB:
        return icmp_param_codes;
    case ICMP_PHOTURIS:
        return icmp_photuris_codes;
    case ICMP_EXTECHO:
        return icmp_ext_echo_req_codes;
    case ICMP_EXTECHOREPLY:
        return icmp_ext_echo_reply_codes;
    default:
        return NULL;
    }
}

/* ---- helpers ---- */

static uint32_t
icmp_sum(uint32_t sum, const uint8_t *p, uint32_t n)
{
    return peel_inet_fold(peel_inet_sum(sum, p, n));
}

/* "1 hour, 1 minute, 1 second", "12 hours, 0.123 seconds", "0 seconds": Wireshark's
 * rendering of a duration. */
static int
icmp_duration(char *buf, size_t size, uint64_t ms, bool with_ms)
{
    uint64_t secs = ms / 1000, frac = ms % 1000;
    uint64_t d = secs / 86400, h = secs / 3600 % 24, m = secs / 60 % 60, s = secs % 60;
    int n = 0;
    const char *sep = "";
    struct {
        uint64_t v;
        const char *unit;
    } parts[] = { { d, "day" }, { h, "hour" }, { m, "minute" } };
    buf[0] = '\0';
    for (size_t i = 0; i < 3; i++) {
        if (parts[i].v == 0 || n < 0 || (size_t)n >= size)
            continue;
        n += peel_snprintf(buf + n, size - (size_t)n, "%s%llu %s%s", sep, (unsigned long long)parts[i].v,
                parts[i].unit, parts[i].v == 1 ? "" : "s");
        sep = ", ";
    }
    if (n < 0 || (size_t)n >= size)
        return n;
    if (with_ms && frac != 0)
        n += peel_snprintf(buf + n, size - (size_t)n, "%s%llu.%03llu seconds", sep,
                (unsigned long long)s, (unsigned long long)frac);
    else if (s != 0 || *sep == '\0')
        n += peel_snprintf(buf + n, size - (size_t)n, "%s%llu second%s", sep, (unsigned long long)s,
                s == 1 ? "" : "s");
    return n;
}

static void
icmp_timestamp(PeelPacket *pkt, PeelReader *rd, uint32_t f)
{
    uint32_t v = peel_add_u32(pkt, rd, f);
    if (!peel_reader_ok(rd))
        return;
    char d[96];
    icmp_duration(d, sizeof d, v, true);
    peel_set_text(
            pkt, peel_last(pkt), "%s: %u (%s after midnight UTC)", icmp_fields[f].title, v, d);
}

/* Linux and BSD ping put a struct timeval (two 32-bit words, either byte order) at the
 * start of the echo data; Wireshark shows it when it lies within a day of the frame. */
static bool
icmp_data_time(PeelPacket *pkt, PeelReader *rd)
{
    if (peel_reader_captured(rd) < 8)
        return false;
    int64_t frame = pkt->frame->ts.sec;
    uint32_t sec = peel_reader_peek_u32be(rd, 0), usec = peel_reader_peek_u32be(rd, 4);
    int64_t diff = (int64_t)sec - frame;
    if (diff <= -86400 || diff >= 86400 || usec >= 1000000) {
        sec = peel_reader_peek_u32le(rd, 0);
        usec = peel_reader_peek_u32le(rd, 4);
        diff = (int64_t)sec - frame;
        if (diff <= -86400 || diff >= 86400 || usec >= 1000000)
            return false;
    }
    PeelTime ts = { (int64_t)sec, (int32_t)(usec * 1000) };
    /* Covers the 8 bytes it came from. */
    PeelReader at = *rd;
    int32_t idx = peel_add_time_value(pkt, F_DATA_TIME, ts);
    if (idx >= 0) {
        pkt->fields[idx].flags &= (uint8_t)~PEEL_FF_GENERATED;
        pkt->fields[idx].offset = peel_reader_offset(&at);
        pkt->fields[idx].length = 8;
        pkt->fields[idx].src = at.src;
    }
    peel_add_time_value(pkt, F_DATA_TIME_RELATIVE, peel_time_sub(pkt->frame->ts, ts));
    peel_reader_skip(rd, 8);
    return true;
}

/* The checksum over the whole message (RFC 792), when it was all captured and is not
 * itself quoted or a fragment. The checksum field is left out of the sum and compared. */
static void
icmp_checksum(PeelPacket *pkt, PeelReader *rd, const PeelReader *msg)
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
            peel_reader_captured(msg) < len) {
        peel_set_text(pkt, idx, "Checksum: 0x%04x [unverified] [%s]", field,
                pkt->in_error ? "in ICMP error packet" : "fragmented datagram");
        st = peel_add_uint_value(pkt, F_CHECKSUM_STATUS, 2);
        peel_set_text(pkt, st, "Checksum Status: Unverified");
        return;
    }
    uint32_t sum = icmp_sum(0, p, 2);
    sum = icmp_sum(sum, p + 4, len - 4);
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

/* RFC 4884's length of the original datagram in 32-bit words, with its byte count. */
static void
icmp_orig_length(PeelPacket *pkt, PeelReader *rd, uint8_t words)
{
    peel_add_u8(pkt, rd, F_LENGTH);
    peel_add_uint_value(pkt, F_LENGTH_ORIGINAL, words * 4u);
}

/* What the outer packet shows, kept across the quoted header of an error message. */
typedef struct {
    const char *col_protocol;
    const PeelAddr *col_src, *col_dst;
    PeelAddr net_src, net_dst;
    uint32_t info_len, info_fence;
    uint8_t ip_proto, ip_ttl;
    bool ip_fragment, in_error;
    uint16_t src_port, dst_port;
} IcmpOuter;

static IcmpOuter
icmp_enter_error(PeelPacket *pkt)
{
    IcmpOuter o = { pkt->col_protocol, pkt->col_src, pkt->col_dst, pkt->net_src, pkt->net_dst,
        pkt->info_len, pkt->info_fence, pkt->ip_proto, pkt->ip_ttl, pkt->ip_fragment, pkt->in_error,
        pkt->src_port, pkt->dst_port };
    pkt->in_error = true;
    pkt->info_fence = pkt->info_len; /* inner layers can only append, and that is undone */
    return o;
}

static void
icmp_leave_error(PeelPacket *pkt, const IcmpOuter *o)
{
    pkt->col_protocol = o->col_protocol;
    pkt->net_src = o->net_src;
    pkt->net_dst = o->net_dst;
    pkt->col_src = o->col_src;
    pkt->col_dst = o->col_dst;
    pkt->info_len = o->info_len;
    pkt->info[o->info_len] = '\0';
    pkt->info_fence = o->info_fence;
    pkt->ip_proto = o->ip_proto;
    pkt->ip_ttl = o->ip_ttl;
    pkt->ip_fragment = o->ip_fragment;
    pkt->in_error = o->in_error;
    pkt->src_port = o->src_port;
    pkt->dst_port = o->dst_port;
}

/* The IP header and first bytes of the datagram that caused an error. */
static void
icmp_quoted(PeelPacket *pkt, PeelReader *rd, uint8_t type, uint8_t orig_words)
{
    if (peel_reader_remaining(rd) == 0)
        return;
    uint32_t ihl = (peel_reader_peek_u8(rd, 0) & 0x0fu) * 4u;
    uint32_t total = peel_reader_remaining(rd);
    PeelReader inner;
    if (type == ICMP_REDIRECT) {
        /* The header and 64 bits of data, no length field to say otherwise. */
        inner = peel_reader_take(rd, ihl + 8);
    } else if (orig_words && total > orig_words * 4u &&
               peel_reader_peek_u16be(rd, 2) > orig_words * 4u) {
        /* RFC 4884: extension objects follow the original datagram. */
        inner = peel_reader_take(rd, (ihl / 4 + orig_words) * 4u);
    } else {
        inner = peel_reader_rest(rd);
    }
    IcmpOuter outer = icmp_enter_error(pkt);
    peel_next_proto(pkt, &inner, &peel_proto_ip);
    icmp_leave_error(pkt, &outer);
}

/*
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    rest of header: identifier and sequence, gateway, ...      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    data: echo payload, quoted IP header + 64 bits, ...        |
 *
 * Echo request/reply pairing (Wireshark's "(reply in N)") needs conversation state and is
 * not done here.
 */
/* Echo requests and replies are paired (tshark's "(request in N)"). */
static void
icmp_pair(PeelPacket *pkt, uint8_t type, uint16_t id, uint16_t seq)
{
    static const char owner = 'i';
    static const PeelEchoFields fields = { F_RESP_TO, F_RESPTIME, "Request frame", "Response time" };
    peel_echo_pair(pkt, &owner, type == ICMP_ECHO, type == ICMP_ECHOREPLY, id, seq, &fields);
}

static void
icmp_dissect(PeelReader *rd, PeelPacket *pkt)
{
    const PeelReader msg = *rd;
    bool quoted = pkt->in_error;
    if (!quoted)
        peel_info_clear(pkt);

    uint8_t type = peel_reader_peek_u8(rd, 0);
    uint8_t code = peel_reader_peek_u8(rd, 1);
    uint8_t orig_words = peel_reader_peek_u8(rd, 5); /* RFC 4884, or 0 */
    const char *type_str = peel_value_name(icmp_type_names, type);
    if (type_str == NULL)
        type_str = "Unknown ICMP (obsolete or malformed?)";
    if (type == ICMP_RTRADVERT && (code == 0 || code == 16))
        type_str = "Mobile IP Advertisement";
    if (type == ICMP_ALTHOST)
        orig_words = 0;
    const PeelValueName *codes = icmp_code_names(type);
    char code_buf[32];
    const char *code_str = NULL;
    if (codes != NULL) {
        code_str = peel_value_name(codes, code);
        if (code_str == NULL) {
            peel_snprintf(code_buf, sizeof code_buf, "Unknown code: %u", code);
            code_str = code_buf;
        }
    }

    peel_add_u8(pkt, rd, F_TYPE);
    if (!peel_reader_ok(rd))
        return;
    peel_set_text(pkt, peel_last(pkt), "Type: %u (%s)", type, type_str);
    /* Wireshark reads the RFC 4884 length (byte 5) before it writes the info column. */
    if (!quoted && peel_reader_captured(&msg) >= 6 && peel_reader_remaining(&msg) >= 6) {
        peel_info_set(pkt, "%-20s", type_str);
        if (code_str != NULL)
            peel_info_append(pkt, " (%s)", code_str);
    }
    peel_add_u8(pkt, rd, F_CODE);
    if (!peel_reader_ok(rd))
        return;
    if (code_str != NULL)
        peel_set_text(pkt, peel_last(pkt), "Code: %u (%s)", code, code_str);
    icmp_checksum(pkt, rd, &msg);
    if (!peel_reader_ok(rd))
        return;

    /* The second word. */
    switch (type) {
    case ICMP_ECHOREPLY:
    case ICMP_ECHO:
    case ICMP_TSTAMP:
    case ICMP_TSTAMPREPLY:
    case ICMP_IREQ:
    case ICMP_IREQREPLY:
    case ICMP_MASKREQ:
    case ICMP_MASKREPLY: {
        PeelReader le = *rd;
        uint16_t id = peel_add_u16(pkt, rd, F_IDENT);
        peel_add_u16le(pkt, &le, F_IDENT_LE);
        le = *rd;
        uint16_t seq = peel_add_u16(pkt, rd, F_SEQ);
        uint16_t seq_le = peel_add_u16le(pkt, &le, F_SEQ_LE);
        if (!peel_reader_ok(rd))
            return;
        if (!quoted) {
            peel_info_append(pkt, " id=0x%04x, seq=%u/%u", id, seq, seq_le);
            if (pkt->net_src.type == PEEL_AT_IPV4)
                peel_info_append(pkt, ", ttl=%u", pkt->ip_ttl);
            icmp_pair(pkt, type, id, seq);
        }
        break;
    }
    case ICMP_UNREACH:
        if (orig_words > 0) {
            peel_add_bytes(pkt, rd, F_UNUSED, 1);
            icmp_orig_length(pkt, rd, orig_words);
            if (code == 4)
                peel_add_u16(pkt, rd, F_MTU);
            else
                peel_add_bytes(pkt, rd, F_UNUSED, 2);
        } else if (code == 4) {
            peel_add_bytes(pkt, rd, F_UNUSED, 2);
            peel_add_u16(pkt, rd, F_MTU);
        } else {
            peel_add_bytes(pkt, rd, F_UNUSED, 4);
        }
        break;
    case ICMP_RTRADVERT: {
        peel_add_u8(pkt, rd, F_NUM_ADDRS);
        peel_add_u8(pkt, rd, F_ADDR_ENTRY_SIZE);
        uint16_t life = peel_add_u16(pkt, rd, F_LIFETIME);
        if (peel_reader_ok(rd)) {
            char d[96];
            icmp_duration(d, sizeof d, life * 1000ull, false);
            peel_set_text(pkt, peel_last(pkt), "Lifetime: %u (%s)", life, d);
        }
        break;
    }
    case ICMP_PARAMPROB:
        peel_add_uint(pkt, rd, F_POINTER);
        if (orig_words > 0) {
            icmp_orig_length(pkt, rd, orig_words);
            peel_add_bytes(pkt, rd, F_UNUSED, 2);
        } else {
            peel_add_bytes(pkt, rd, F_UNUSED, 3);
        }
        break;
    case ICMP_REDIRECT:
        peel_add_ipv4(pkt, rd, F_REDIR_GW);
        break;
    case ICMP_TIMXCEED:
        if (orig_words > 0) {
            peel_add_bytes(pkt, rd, F_UNUSED, 1);
            icmp_orig_length(pkt, rd, orig_words);
            peel_add_bytes(pkt, rd, F_UNUSED, 2);
        } else {
            peel_add_bytes(pkt, rd, F_UNUSED, 4);
        }
        break;
    case ICMP_EXTECHO:
    case ICMP_EXTECHOREPLY: {
        PeelReader le = *rd;
        peel_add_u16(pkt, rd, F_IDENT);
        peel_add_u16le(pkt, &le, F_IDENT_LE);
        peel_add_u8(pkt, rd, F_EXT_ECHO_SEQ);
        if (type == ICMP_EXTECHO) {
            peel_add_bits(pkt, rd, F_EXT_ECHO_REQ_RES);
            peel_add_bits(pkt, rd, F_EXT_ECHO_REQ_LOCAL);
        } else {
            peel_add_bits(pkt, rd, F_EXT_ECHO_RSP_STATE);
            peel_add_bits(pkt, rd, F_EXT_ECHO_RSP_RES);
            peel_add_bits(pkt, rd, F_EXT_ECHO_RSP_ACTIVE);
            peel_add_bits(pkt, rd, F_EXT_ECHO_RSP_IPV4);
            peel_add_bits(pkt, rd, F_EXT_ECHO_RSP_IPV6);
        }
        peel_reader_skip(rd, 1);
        break;
    }
    default:
        break;
    }
    if (!peel_reader_ok(rd))
        return;

    /* The data. */
    switch (type) {
    case ICMP_UNREACH:
    case ICMP_TIMXCEED:
    case ICMP_PARAMPROB:
    case ICMP_SOURCEQUENCH:
    case ICMP_REDIRECT:
        if (type == ICMP_SOURCEQUENCH)
            peel_reader_skip(rd, 4); /* unused word, not shown by Wireshark */
        if (peel_reader_ok(rd))
            icmp_quoted(pkt, rd, type, orig_words);
        break;
    case ICMP_ECHOREPLY:
    case ICMP_ECHO:
        if (!icmp_data_time(pkt, rd) && peel_reader_captured(rd) == 0)
            break;
        peel_next_data_nested(pkt, rd);
        break;
    case ICMP_RTRADVERT: {
        uint8_t n = peel_reader_peek_u8(&msg, 4), size = peel_reader_peek_u8(&msg, 5);
        if (size != 2) {
            peel_next_data_nested(pkt, rd);
            break;
        }
        for (uint32_t i = 0; i < n && peel_reader_ok(rd); i++) {
            peel_add_ipv4(pkt, rd, F_ROUTER_ADDRESS);
            peel_add_u32(pkt, rd, F_PREF_LEVEL);
        }
        break;
    }
    case ICMP_TSTAMP:
    case ICMP_TSTAMPREPLY:
        icmp_timestamp(pkt, rd, F_ORIGINATE_TS);
        icmp_timestamp(pkt, rd, F_RECEIVE_TS);
        icmp_timestamp(pkt, rd, F_TRANSMIT_TS);
        break;
    case ICMP_MASKREQ:
    case ICMP_MASKREPLY:
        peel_add_ipv4(pkt, rd, F_ADDRESS_MASK);
        break;
    case ICMP_EXTECHO:
    case ICMP_EXTECHOREPLY:
        break;
    default:
        if (peel_reader_remaining(rd) > 0)
            peel_next_data_nested(pkt, rd);
        break;
    }
}

const PeelProto peel_proto_icmp = {
    .name = "icmp",
    .title = "Internet Control Message Protocol",
    .short_name = "ICMP",
    .fields = icmp_fields,
    .n_fields = N_F,
    .dissect = icmp_dissect,
    .handoffs = { { PEEL_TABLE_IP_PROTO, 1 } },
};
