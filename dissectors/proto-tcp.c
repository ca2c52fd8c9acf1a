/* proto-tcp.c: Transmission Control Protocol header and options (RFC 9293; options from
 * RFC 7323, 2018, 7413, 2385, 6994), fields and labels as Wireshark 4.0 shows them. */
#include "dissect.h"
#include "fmt.h"
#include "inet-checksum.h"
#include "proto-tcp.h"

#include <stdio.h>
#include <glib.h>
#include <string.h>

enum {
    F_SRCPORT,
    F_DSTPORT,
    F_PORT,
    F_LEN,
    F_SEQ,
    F_SEQ_RAW,
    F_ACK,
    F_ACK_RAW,
    F_HDR_LEN,
    F_FLAGS,
    F_FLAG_RES,
    F_FLAG_AE,
    F_FLAG_CWR,
    F_FLAG_ECE,
    F_FLAG_URG,
    F_FLAG_ACK,
    F_FLAG_PUSH,
    F_FLAG_RESET,
    F_FLAG_SYN,
    F_FLAG_FIN,
    F_FLAGS_STR,
    F_WINDOW_VALUE,
    F_WINDOW_SIZE,
    F_CHECKSUM,
    F_CHECKSUM_STATUS,
    F_CHECKSUM_CALC,
    F_URGENT,
    F_OPTIONS,
    F_OPTION_KIND,
    F_OPTION_LEN,
    F_OPT_EOL,
    F_OPT_NOP,
    F_OPT_MSS,
    F_MSS_VAL,
    F_OPT_WSCALE,
    F_WSCALE_SHIFT,
    F_WSCALE_MULT,
    F_OPT_SACK_PERM,
    F_OPT_SACK,
    F_SACK_LE,
    F_SACK_RE,
    F_SACK_COUNT,
    F_SACK_DSACK_LE,
    F_SACK_DSACK_RE,
    F_SACK_DSACK,
    F_OPT_TIMESTAMP,
    F_TSVAL,
    F_TSECR,
    F_OPT_MD5,
    F_MD5_DIGEST,
    F_OPT_TFO,
    F_TFO_REQUEST,
    F_TFO_COOKIE,
    F_OPT_EXP,
    F_EXP_EXID,
    F_EXP_DATA,
    F_OPT_UNKNOWN,
    F_UNKNOWN_PAYLOAD,
    F_PAYLOAD,
    F_RESET_CAUSE,
    F_STREAM,
    F_NXTSEQ,
    F_SCALEFACTOR,
    F_ANALYSIS,
    F_A_ACKS_FRAME,
    F_A_ACK_RTT,
    F_A_IRTT,
    F_A_BIF,
    F_A_FLAGS,
    F_A_REUSED,
    F_A_RETRANS,
    F_A_FAST_RETRANS,
    F_A_SPURIOUS,
    F_A_OOO,
    F_A_LOST,
    F_A_ACK_LOST,
    F_A_WIN_UPDATE,
    F_A_WIN_FULL,
    F_A_KEEPALIVE,
    F_A_KEEPALIVE_ACK,
    F_A_DUPACK,
    F_A_DUPACK_NUM,
    F_A_DUPACK_FRAME,
    F_A_ZWP,
    F_A_ZW,
    F_A_ZWP_ACK,
    F_SEGMENTS,
    F_SEGMENT,
    F_SEGMENT_COUNT,
    F_REASSEMBLED_LENGTH,
    F_REASSEMBLED_IN,
    N_F
};

/* Wireshark's tcp.checksum.status values (proto_checksum_vals). */
enum {
    CKSUM_BAD = 0,
    CKSUM_GOOD = 1,
    CKSUM_UNVERIFIED = 2,
};

static const PeelValueName tcp_checksum_status_names[] = {
    { 0, "Bad" },
    { 1, "Good" },
    { 2, "Unverified" },
    { 3, "Not present" },
    { 4, "Illegal" },
    { 0, NULL },
};

static const PeelValueName tcp_option_kind_names[] = {
    { 0, "End of Option List" },
    { 1, "No-Operation" },
    { 2, "Maximum Segment Size" },
    { 3, "Window Scale" },
    { 4, "SACK Permitted" },
    { 5, "SACK" },
    { 6, "Echo" },
    { 7, "Echo Reply" },
    { 8, "Time Stamp Option" },
    { 9, "Partial Order Connection Permitted" },
    { 10, "Partial Order Service Profile" },
    { 11, "CC" },
    { 12, "CC.NEW" },
    { 13, "CC.ECHO" },
    { 14, "TCP Alternate Checksum Request" },
    { 15, "TCP Alternate Checksum Data" },
    { 16, "Skeeter" },
    { 17, "Bubba" },
    { 18, "Trailer Checksum Option" },
    { 19, "MD5 Signature Option" },
    { 20, "SCPS Capabilities" },
    { 21, "Selective Negative Acknowledgements" },
    { 22, "Record Boundaries" },
    { 23, "Corruption experienced" },
    { 24, "SNAP" },
    { 25, "Unassigned" },
    { 26, "TCP Compression Filter" },
    { 27, "Quick-Start Response" },
    { 28, "User Timeout Option" },
    { 29, "The TCP Authentication Option" },
    { 30, "Multipath TCP" },
    { 34, "TCP Fast Open Cookie" },
    { 76, "Riverbed Probe" },
    { 78, "Riverbed Transparency" },
    { 172, "Accurate ECN Order 0" },
    { 174, "Accurate ECN Order 1" },
    { 253, "RFC3692-style Experiment 1" },
    { 254, "RFC3692-style Experiment 2" },
    { 0, NULL },
};

/* RFC 6994 experiment identifiers Wireshark knows; 0xf989 is TCP Fast Open before it got
 * kind 34 (RFC 7413 section 4.1.1). */
#define TCP_EXID_TFO 0xf989u

static const PeelValueName tcp_exid_names[] = {
    { TCP_EXID_TFO, "Fast Open" },
    { 0, NULL },
};

/* Flag bits within the 16-bit word holding the data offset (RFC 9293 section 3.1, RFC 3168,
 * RFC 9768's AE bit where RFC 3540 had NS). */
#define TH_FIN  0x001u
#define TH_SYN  0x002u
#define TH_RST  0x004u
#define TH_PUSH 0x008u
#define TH_ACK  0x010u
#define TH_URG  0x020u
#define TH_ECE  0x040u
#define TH_CWR  0x080u
#define TH_AE   0x100u
#define TH_RES  0xe00u
#define TH_MASK 0xfffu

#define TCP_MIN_HDR 20u

static const PeelFieldDef tcp_fields[N_F] = {
    [F_SRCPORT] = { "tcp.srcport", "Source Port", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_DSTPORT] = { "tcp.dstport", "Destination Port", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_PORT] = { "tcp.port", "Source or Destination Port", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_LEN] = { "tcp.len", "TCP Segment Len", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_SEQ] = { "tcp.seq", "Sequence Number", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_SEQ_RAW] = { "tcp.seq_raw", "Sequence Number (raw)", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_ACK] = { "tcp.ack", "Acknowledgment Number", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_ACK_RAW] = { "tcp.ack_raw", "Acknowledgment number (raw)", PEEL_FT_U32, PEEL_SHOW_DEC },
    /* In bytes, not the header's 32-bit words. */
    [F_HDR_LEN] = { "tcp.hdr_len", "Header Length", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_FLAGS] = { "tcp.flags", "Flags", PEEL_FT_U16, PEEL_SHOW_HEX, NULL, TH_MASK, 2 },
    [F_FLAG_RES] = { "tcp.flags.res", "Reserved", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, NULL, TH_RES,
            2 },
    [F_FLAG_AE] = { "tcp.flags.ae", "Accurate ECN", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, NULL, TH_AE,
            2 },
    [F_FLAG_CWR] = { "tcp.flags.cwr", "Congestion Window Reduced", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE,
            NULL, TH_CWR, 2 },
    [F_FLAG_ECE] = { "tcp.flags.ece", "ECN-Echo", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, NULL, TH_ECE,
            2 },
    [F_FLAG_URG] = { "tcp.flags.urg", "Urgent", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, NULL, TH_URG, 2 },
    [F_FLAG_ACK] = { "tcp.flags.ack", "Acknowledgment", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, NULL,
            TH_ACK, 2 },
    [F_FLAG_PUSH] = { "tcp.flags.push", "Push", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, NULL, TH_PUSH, 2 },
    [F_FLAG_RESET] = { "tcp.flags.reset", "Reset", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, NULL, TH_RST,
            2 },
    [F_FLAG_SYN] = { "tcp.flags.syn", "Syn", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, NULL, TH_SYN, 2 },
    [F_FLAG_FIN] = { "tcp.flags.fin", "Fin", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, NULL, TH_FIN, 2 },
    [F_FLAGS_STR] = { "tcp.flags.str", "TCP Flags", PEEL_FT_STRING },
    [F_WINDOW_VALUE] = { "tcp.window_size_value", "Window", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_WINDOW_SIZE] = { "tcp.window_size", "Calculated window size", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_CHECKSUM] = { "tcp.checksum", "Checksum", PEEL_FT_U16, PEEL_SHOW_HEX },
    [F_CHECKSUM_STATUS] = { "tcp.checksum.status", "Checksum Status", PEEL_FT_U8, PEEL_SHOW_NONE,
            tcp_checksum_status_names },
    [F_CHECKSUM_CALC] = { "tcp.checksum_calculated", "Calculated Checksum", PEEL_FT_U16,
            PEEL_SHOW_HEX },
    [F_URGENT] = { "tcp.urgent_pointer", "Urgent Pointer", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_OPTIONS] = { "tcp.options", "TCP Options", PEEL_FT_BYTES },
    [F_OPTION_KIND] = { "tcp.option_kind", "Kind", PEEL_FT_U8, PEEL_SHOW_DEC,
            tcp_option_kind_names },
    [F_OPTION_LEN] = { "tcp.option_len", "Length", PEEL_FT_U8, PEEL_SHOW_DEC },
    /* Each option is a protocol item in Wireshark: -T fields prints its bytes. */
    [F_OPT_EOL] = { "tcp.options.eol", "TCP Option - End of Option List (EOL)", PEEL_FT_BYTES },
    [F_OPT_NOP] = { "tcp.options.nop", "TCP Option - No-Operation (NOP)", PEEL_FT_BYTES },
    [F_OPT_MSS] = { "tcp.options.mss", "TCP Option - Maximum segment size", PEEL_FT_BYTES },
    [F_MSS_VAL] = { "tcp.options.mss_val", "MSS Value", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_OPT_WSCALE] = { "tcp.options.wscale", "TCP Option - Window scale", PEEL_FT_BYTES },
    [F_WSCALE_SHIFT] = { "tcp.options.wscale.shift", "Shift count", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_WSCALE_MULT] = { "tcp.options.wscale.multiplier", "Multiplier", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_OPT_SACK_PERM] = { "tcp.options.sack_perm", "TCP Option - SACK permitted", PEEL_FT_BYTES },
    [F_OPT_SACK] = { "tcp.options.sack", "TCP Option - SACK", PEEL_FT_BYTES },
    [F_SACK_LE] = { "tcp.options.sack_le", "TCP SACK Left Edge", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_SACK_RE] = { "tcp.options.sack_re", "TCP SACK Right Edge", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_SACK_COUNT] = { "tcp.options.sack.count", "TCP SACK Count", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_SACK_DSACK_LE] = { "tcp.options.sack.dsack_le", "TCP D-SACK Left Edge", PEEL_FT_U32,
            PEEL_SHOW_DEC },
    [F_SACK_DSACK_RE] = { "tcp.options.sack.dsack_re", "TCP D-SACK Right Edge", PEEL_FT_U32,
            PEEL_SHOW_DEC },
    [F_SACK_DSACK] = { "tcp.options.sack.dsack", "D-SACK Sequence", PEEL_FT_NONE },
    [F_OPT_TIMESTAMP] = { "tcp.options.timestamp", "TCP Option - Timestamps", PEEL_FT_BYTES },
    [F_TSVAL] = { "tcp.options.timestamp.tsval", "Timestamp value", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_TSECR] = { "tcp.options.timestamp.tsecr", "Timestamp echo reply", PEEL_FT_U32,
            PEEL_SHOW_DEC },
    [F_OPT_MD5] = { "tcp.options.md5", "TCP Option - TCP MD5 signature", PEEL_FT_BYTES },
    [F_MD5_DIGEST] = { "tcp.options.md5.digest", "MD5 digest", PEEL_FT_BYTES },
    [F_OPT_TFO] = { "tcp.options.tfo", "TCP Option - TCP Fast Open", PEEL_FT_BYTES },
    [F_TFO_REQUEST] = { "tcp.options.tfo.request", "Fast Open Cookie Request", PEEL_FT_NONE },
    [F_TFO_COOKIE] = { "tcp.options.tfo.cookie", "Fast Open Cookie", PEEL_FT_BYTES },
    [F_OPT_EXP] = { "tcp.options.experimental", "TCP Option - Experimental", PEEL_FT_BYTES },
    [F_EXP_EXID] = { "tcp.options.experimental.exid", "Experiment Identifier", PEEL_FT_U16,
            PEEL_SHOW_HEX, tcp_exid_names },
    [F_EXP_DATA] = { "tcp.options.experimental.data", "Data", PEEL_FT_BYTES },
    [F_OPT_UNKNOWN] = { "tcp.options.unknown", "TCP Option - Unknown", PEEL_FT_BYTES },
    [F_UNKNOWN_PAYLOAD] = { "tcp.options.unknown.payload", "Payload", PEEL_FT_BYTES },
    [F_PAYLOAD] = { "tcp.payload", "TCP payload", PEEL_FT_BYTES },
    [F_RESET_CAUSE] = { "tcp.reset_cause", "Reset cause", PEEL_FT_STRING },
    [F_STREAM] = { "tcp.stream", "Stream index", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_NXTSEQ] = { "tcp.nxtseq", "Next Sequence Number", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_SCALEFACTOR] = { "tcp.window_size_scalefactor", "Window size scaling factor",
            PEEL_FT_I32, PEEL_SHOW_DEC },
    [F_ANALYSIS] = { "tcp.analysis", "SEQ/ACK analysis", PEEL_FT_NONE },
    [F_A_ACKS_FRAME] = { "tcp.analysis.acks_frame", "This is an ACK to the segment in frame",
            PEEL_FT_FRAMENUM },
    [F_A_ACK_RTT] = { "tcp.analysis.ack_rtt", "The RTT to ACK the segment was",
            PEEL_FT_REL_TIME },
    [F_A_IRTT] = { "tcp.analysis.initial_rtt", "iRTT", PEEL_FT_REL_TIME },
    [F_A_BIF] = { "tcp.analysis.bytes_in_flight", "Bytes in flight", PEEL_FT_U32,
            PEEL_SHOW_DEC },
    [F_A_FLAGS] = { "tcp.analysis.flags", "TCP Analysis Flags", PEEL_FT_NONE },
    [F_A_REUSED] = { "tcp.analysis.reused_ports", "TCP Port numbers reused", PEEL_FT_NONE },
    [F_A_RETRANS] = { "tcp.analysis.retransmission", "Retransmission", PEEL_FT_NONE },
    [F_A_FAST_RETRANS] = { "tcp.analysis.fast_retransmission", "Fast Retransmission",
            PEEL_FT_NONE },
    [F_A_SPURIOUS] = { "tcp.analysis.spurious_retransmission", "Spurious Retransmission",
            PEEL_FT_NONE },
    [F_A_OOO] = { "tcp.analysis.out_of_order", "Out Of Order", PEEL_FT_NONE },
    [F_A_LOST] = { "tcp.analysis.lost_segment", "Previous segment not captured",
            PEEL_FT_NONE },
    [F_A_ACK_LOST] = { "tcp.analysis.ack_lost_segment", "ACKed segment that wasn't captured",
            PEEL_FT_NONE },
    [F_A_WIN_UPDATE] = { "tcp.analysis.window_update", "Window update", PEEL_FT_NONE },
    [F_A_WIN_FULL] = { "tcp.analysis.window_full", "Window full", PEEL_FT_NONE },
    [F_A_KEEPALIVE] = { "tcp.analysis.keep_alive", "Keep Alive", PEEL_FT_NONE },
    [F_A_KEEPALIVE_ACK] = { "tcp.analysis.keep_alive_ack", "Keep Alive ACK", PEEL_FT_NONE },
    [F_A_DUPACK] = { "tcp.analysis.duplicate_ack", "Duplicate ACK", PEEL_FT_NONE },
    [F_A_DUPACK_NUM] = { "tcp.analysis.duplicate_ack_num", "Duplicate ACK #", PEEL_FT_U32,
            PEEL_SHOW_DEC },
    [F_A_DUPACK_FRAME] = { "tcp.analysis.duplicate_ack_frame", "Duplicate to the ACK in frame",
            PEEL_FT_FRAMENUM },
    [F_A_ZWP] = { "tcp.analysis.zero_window_probe", "Zero Window Probe", PEEL_FT_NONE },
    [F_A_ZW] = { "tcp.analysis.zero_window", "Zero Window", PEEL_FT_NONE },
    [F_A_ZWP_ACK] = { "tcp.analysis.zero_window_probe_ack", "Zero Window Probe Ack",
            PEEL_FT_NONE },
    [F_SEGMENTS] = { "tcp.segments", "Reassembled TCP Segments", PEEL_FT_NONE },
    [F_SEGMENT] = { "tcp.segment", "TCP Segment", PEEL_FT_FRAMENUM },
    [F_SEGMENT_COUNT] = { "tcp.segment.count", "Segment count", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_REASSEMBLED_LENGTH] = { "tcp.reassembled.length", "Reassembled TCP length", PEEL_FT_U32,
            PEEL_SHOW_DEC },
    [F_REASSEMBLED_IN] = { "tcp.reassembled_in", "Reassembled PDU in frame", PEEL_FT_FRAMENUM },
};

static const uint32_t tcp_segment_fields[] = { F_SEGMENTS, F_SEGMENT, F_SEGMENT_COUNT,
    F_REASSEMBLED_LENGTH, F_REASSEMBLED_IN };

#define UTF8_RIGHTWARDS_ARROW "\xe2\x86\x92"
#define UTF8_MIDDLE_DOT       "\xc2\xb7"

/* ---- sequence numbers: from the stream layer's analysis ---- */

/* A connection's initial sequence numbers, once known: Wireshark shows sequence and
 * acknowledgement numbers relative to them (tcp.relative_sequence_numbers, on by default). */
typedef struct {
    bool known;
    uint32_t seq_base; /* this direction's initial sequence number */
    uint32_t ack_base; /* the other direction's */
} TcpSeqBase;

static TcpSeqBase
tcp_seq_base(const TcpAnalysis *a, uint32_t seq_raw, uint32_t ack_raw)
{
    if (!a->have_rel)
        return (TcpSeqBase){ .known = false };
    return (TcpSeqBase){ .known = true, .seq_base = seq_raw - a->rel_seq,
        .ack_base = ack_raw - a->rel_ack };
}

/* The number shown for a raw sequence or acknowledgement number: relative to `base` when
 * the base is known, modulo 2^32 like the numbers themselves. */
static uint32_t
tcp_seq_shown(uint32_t raw, bool known, uint32_t base)
{
    return known ? raw - base : raw;
}

/* ---- checksums ---- */


/* The Internet checksum over the pseudo-header and the segment, with the checksum field
 * included: 0 when the segment is intact. false when the network layer left no addresses
 * to build the pseudo-header from. */
static bool
tcp_checksum(const PeelPacket *pkt, const uint8_t *seg, uint32_t len, uint8_t proto, uint16_t *out)
{
    uint32_t sum = 0;
    if (!peel_inet_pseudo_sum(pkt, proto, len, &sum))
        return false;
    *out = (uint16_t)~peel_inet_fold(peel_inet_sum(sum, seg, len));
    return true;
}

/* ---- small helpers ---- */

/* Gives a just-added subtree item the bytes it covers as its value (Wireshark's option
 * items are protocol items, which -T fields prints as hex). */
static void
tcp_set_bytes(PeelPacket *pkt, int32_t idx, const PeelReader *at, uint32_t n)
{
    if (idx < 0)
        return;
    /* What was captured of them, like tshark (nothing: no value). */
    uint32_t got = 0;
    const uint8_t *p = peel_reader_peek_bytes(at, 0, n, &got);
    if (p == NULL || got == 0)
        return;
    pkt->fields[idx].v.b.ptr = p;
    pkt->fields[idx].v.b.len = got;
    pkt->fields[idx].flags |= PEEL_FF_HAS_VALUE;
}

/* Replaces the value of the field just added: Wireshark shows some fields decoded (the
 * header length in bytes, relative sequence numbers) while they cover the raw bytes. */
static void
tcp_set_last_uint(PeelPacket *pkt, uint64_t v)
{
    int32_t i = peel_last(pkt);
    if (i >= 0 && (pkt->fields[i].flags & PEEL_FF_HAS_VALUE))
        pkt->fields[i].v.u = v;
}

/* The data offset nibble as a header length in bytes: "1010 .... = Header Length: 40 bytes
 * (10)". Reads in place; the flags word that shares the byte is read next. */
static void
tcp_add_hdr_len(PeelPacket *pkt, PeelReader *rd, uint32_t hlen)
{
    peel_add_bits(pkt, rd, F_HDR_LEN);
    tcp_set_last_uint(pkt, hlen);
    uint32_t words = hlen / 4;
    peel_set_text(pkt, peel_last(pkt), "%u%u%u%u .... = Header Length: %u bytes (%u)",
            (words >> 3) & 1, (words >> 2) & 1, (words >> 1) & 1, words & 1, hlen, words);
}

/* "000. .... .... = " for a bit of the 12 flag bits, as Wireshark draws them. */
static void
tcp_flag_pattern(char out[16], uint32_t mask, uint32_t flags)
{
    uint32_t o = 0;
    for (int bit = 11; bit >= 0; bit--) {
        uint32_t m = 1u << bit;
        out[o++] = (mask & m) ? ((flags & m) ? '1' : '0') : '.';
        if (bit % 4 == 0 && bit != 0)
            out[o++] = ' ';
    }
    out[o] = '\0';
}

/* "FIN, SYN" and so on, as the Flags item and the Info column name them. */
static size_t
tcp_flags_names(char *buf, size_t size, uint32_t flags)
{
    /* Every packet names its flags: the usual sets are copied whole. */
#define FLAGS_AS(text)                                                                         \
    do {                                                                                       \
        memcpy(buf, text, sizeof text);                                                        \
        return sizeof text - 1;                                                                \
    } while (0)
    switch (flags) {
    case TH_ACK: FLAGS_AS("ACK");
    case TH_PUSH | TH_ACK: FLAGS_AS("PSH, ACK");
    case TH_SYN: FLAGS_AS("SYN");
    case TH_SYN | TH_ACK: FLAGS_AS("SYN, ACK");
    case TH_FIN | TH_ACK: FLAGS_AS("FIN, ACK");
    case TH_FIN | TH_PUSH | TH_ACK: FLAGS_AS("FIN, PSH, ACK");
    case TH_RST: FLAGS_AS("RST");
    case TH_RST | TH_ACK: FLAGS_AS("RST, ACK");
    default: break;
    }
#undef FLAGS_AS
    static const char *const names[] = { "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR",
        "AE" };
    /* plain copies, no printf (size is at least 64) */
    size_t o = 0;
    for (uint32_t i = 0; i < 10; i++) {
        bool set = i < 9 ? (flags & (1u << i)) != 0 : (flags & TH_RES) != 0;
        if (!set)
            continue;
        const char *name = i < 9 ? names[i] : "Reserved";
        size_t n = strlen(name);
        if (o + n + 3 >= size)
            break;
        if (o) {
            buf[o++] = ',';
            buf[o++] = ' ';
        }
        memcpy(buf + o, name, n);
        o += n;
    }
    if (o == 0) {
        memcpy(buf, "<None>", 7);
        return 6;
    }
    buf[o] = '\0';
    return o;
}

/* tcp.flags.str: one character per flag bit, a middle dot for each clear one. */
static uint32_t
tcp_flags_str(char out[48], uint32_t flags)
{
    static const char letters[] = "RRRACEUAPRSF";
    uint32_t o = 0;
    for (uint32_t i = 0; i < 12; i++) {
        if ((flags >> (11 - i)) & 1) {
            out[o++] = letters[i];
        } else {
            memcpy(out + o, UTF8_MIDDLE_DOT, 2);
            o += 2;
        }
    }
    out[o] = '\0';
    return o;
}

/* ---- options ---- */

typedef struct {
    bool syn;
    bool ack_set; /* the ACK flag, and the raw acknowledgement number */
    uint32_t ack;
    bool in_error; /* quoted in ICMP: dissect what is there, note nothing about the cut */
    bool mss_seen;
    char *label; /* "Options: (20 bytes), Maximum segment size, ..." while want_tree */
    size_t label_len;
    size_t label_size;
} TcpOptState;

static void
tcp_label_add(TcpOptState *st, const char *name)
{
    if (st->label == NULL || st->label_len + 1 >= st->label_size)
        return;
    int n = peel_snprintf(st->label + st->label_len, st->label_size - st->label_len, ", %s", name);
    if (n > 0)
        st->label_len += (size_t)n < st->label_size - st->label_len
                                 ? (size_t)n
                                 : st->label_size - st->label_len - 1;
}

/* The name an option goes by in the Options label and the length notes. */
static const char *
tcp_option_name(uint8_t kind, char *buf, size_t size)
{
    switch (kind) {
    case 0:
        return "End of Option List (EOL)";
    case 1:
        return "No-Operation (NOP)";
    case 2:
        return "Maximum segment size";
    case 3:
        return "Window scale";
    case 4:
        return "SACK permitted";
    case 5:
        return "SACK";
    case 8:
        return "Timestamps";
    case 19:
        return "TCP MD5 signature";
    case 34:
        return "TCP Fast Open";
    case 253:
    case 254:
        return "Experimental";
    default:
        peel_snprintf(buf, size, "Unknown (0x%02x)", kind);
        return buf;
    }
}

/* Kind and length of an option with a length byte; false (and a note on the length) when
 * the length is not the one the option must have (`want`, 0 for any). */
static bool
tcp_option_head(PeelPacket *pkt, PeelReader *o, uint8_t len, uint8_t want)
{
    peel_add_u8(pkt, o, F_OPTION_KIND);
    peel_add_u8(pkt, o, F_OPTION_LEN);
    if (want != 0 && len != want) {
        peel_expert(pkt, peel_last(pkt), PEEL_SEV_NOTE, PEEL_GROUP_SEQUENCE,
                "option length should be %u", want);
        return false;
    }
    return true;
}

static void
tcp_option_mss(PeelPacket *pkt, PeelReader *o, int32_t item, uint8_t len, TcpOptState *st)
{
    st->mss_seen = true;
    if (!st->syn)
        peel_expert(pkt, item, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                "The non-SYN packet does contain a MSS option");
    if (!tcp_option_head(pkt, o, len, 4))
        return;
    uint16_t mss = peel_add_u16(pkt, o, F_MSS_VAL);
    if (!peel_reader_ok(o))
        return;
    peel_set_text(pkt, item, "TCP Option - Maximum segment size: %u bytes", mss);
    peel_info_append(pkt, " MSS=%u", mss);
}

static void
tcp_option_wscale(PeelPacket *pkt, PeelReader *o, int32_t item, uint8_t len)
{
    if (!tcp_option_head(pkt, o, len, 3))
        return;
    uint8_t shift = peel_add_u8(pkt, o, F_WSCALE_SHIFT);
    if (!peel_reader_ok(o))
        return;
    if (shift > 14) /* RFC 7323 2.3 */
        peel_expert(pkt, peel_last(pkt), PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                "Window scale shift exceeds 14");
    uint32_t mult = 1u << (shift > 14 ? 14 : shift);
    peel_add_uint_value(pkt, F_WSCALE_MULT, mult);
    peel_set_text(pkt, item, "TCP Option - Window scale: %u (multiply by %u)", shift, mult);
    peel_info_append(pkt, " WS=%u", mult);
}

static void
tcp_option_sack(PeelPacket *pkt, PeelReader *o, int32_t item, uint8_t len, const TcpOptState *st,
        const TcpSeqBase *base)
{
    uint32_t first_le = 0, first_re = 0;
    tcp_option_head(pkt, o, len, 0);
    uint32_t left = len > 2 ? len - 2u : 0;
    uint32_t count = 0;
    char label[160];
    size_t lo = (size_t)peel_snprintf(label, sizeof label, "TCP Option - SACK");
    /* Blocks of two edges; a length that is not 2 + 8n leaves an edge cut short. SACK
     * edges are sequence numbers of the other direction, like the ack number. */
    while (left > 0 && peel_reader_ok(o)) {
        if (left < 4) {
            peel_expert(pkt, item, PEEL_SEV_ERROR, PEEL_GROUP_MALFORMED,
                    "suboption would go past end of option");
            break;
        }
        uint32_t le_raw = peel_reader_peek_u32be(o, 0);
        uint32_t le = tcp_seq_shown(le_raw, base->known, base->ack_base);
        peel_add_u32(pkt, o, F_SACK_LE);
        if (base->known)
            pkt->fields[peel_last(pkt)].v.u = le;
        peel_set_text(
                pkt, peel_last(pkt), "left edge = %u%s", le, base->known ? " (relative)" : "");
        left -= 4;
        if (left < 4) {
            peel_expert(pkt, item, PEEL_SEV_ERROR, PEEL_GROUP_MALFORMED,
                    "suboption would go past end of option");
            break;
        }
        uint32_t re_raw = peel_reader_peek_u32be(o, 0);
        uint32_t re = tcp_seq_shown(re_raw, base->known, base->ack_base);
        peel_add_u32(pkt, o, F_SACK_RE);
        if (base->known)
            pkt->fields[peel_last(pkt)].v.u = re;
        peel_set_text(
                pkt, peel_last(pkt), "right edge = %u%s", re, base->known ? " (relative)" : "");
        left -= 4;
        if (!peel_reader_ok(o))
            break;
        if (count == 0) {
            first_le = le_raw;
            first_re = re_raw;
        }
        count++;
        peel_info_append(pkt, " SLE=%u SRE=%u", le, re);
        if (lo < sizeof label)
            lo += (size_t)peel_snprintf(label + lo, sizeof label - lo, " %u-%u", le, re);
    }
    peel_add_uint_value(pkt, F_SACK_COUNT, count);
    /* RFC 2883 4: a first block below the cumulative acknowledgement reports a duplicate. */
    if (count > 0 && st->ack_set && (int32_t)(first_le - st->ack) < 0) {
        uint32_t le = tcp_seq_shown(first_le, base->known, base->ack_base);
        uint32_t re = tcp_seq_shown(first_re, base->known, base->ack_base);
        const char *rel = base->known ? " (relative)" : "";
        int32_t d = peel_add_uint_value(pkt, F_SACK_DSACK_LE, le);
        peel_set_text(pkt, d, "D-SACK Left Edge = %u%s", le, rel);
        d = peel_add_uint_value(pkt, F_SACK_DSACK_RE, re);
        peel_set_text(pkt, d, "D-SACK Right Edge = %u%s", re, rel);
        d = peel_add_uint_value(pkt, F_SACK_DSACK, 1);
        peel_expert(pkt, d, PEEL_SEV_WARN, PEEL_GROUP_SEQUENCE, "D-SACK Sequence");
    }
    peel_set_text(pkt, item, "%s", label);
}

static void
tcp_option_timestamp(PeelPacket *pkt, PeelReader *o, int32_t item, uint8_t len)
{
    if (!tcp_option_head(pkt, o, len, 10))
        return;
    uint32_t tsval = peel_add_u32(pkt, o, F_TSVAL);
    uint32_t tsecr = peel_add_u32(pkt, o, F_TSECR);
    if (!peel_reader_ok(o))
        return;
    peel_set_text(pkt, item, "TCP Option - Timestamps: TSval %u, TSecr %u", tsval, tsecr);
    peel_info_append(pkt, " TSval=%u TSecr=%u", tsval, tsecr);
}

static void
tcp_option_tfo(PeelPacket *pkt, PeelReader *o, uint8_t len)
{
    tcp_option_head(pkt, o, len, 0);
    if (len == 2) {
        peel_add_uint_value(pkt, F_TFO_REQUEST, 1);
        peel_info_append_str(pkt, " TFO=R");
    } else if (len > 2) {
        peel_add_bytes(pkt, o, F_TFO_COOKIE, len - 2u);
        if (peel_reader_ok(o))
            peel_info_append_str(pkt, " TFO=C");
    }
}

static void
tcp_option_experimental(PeelPacket *pkt, PeelReader *o, int32_t item, uint8_t len)
{
    tcp_option_head(pkt, o, len, 0);
    if (len < 4) {
        if (len > 2)
            peel_add_bytes(pkt, o, F_EXP_DATA, len - 2u);
        return;
    }
    /* RFC 6994: a 16-bit experiment identifier, then the experiment's data. */
    uint16_t exid = peel_add_u16(pkt, o, F_EXP_EXID);
    if (!peel_reader_ok(o))
        return;
    if (exid == TCP_EXID_TFO) {
        peel_set_text(pkt, item, "TCP Option - Experimental: Fast Open");
        if (len == 4) {
            peel_add_uint_value(pkt, F_TFO_REQUEST, 1);
            peel_info_append_str(pkt, " TFO=R");
        } else {
            peel_add_bytes(pkt, o, F_TFO_COOKIE, len - 4u);
            if (peel_reader_ok(o))
                peel_info_append_str(pkt, " TFO=C");
        }
        return;
    }
    peel_set_text(pkt, item, "TCP Option - Experimental: Unknown");
    peel_info_append(pkt, " ExID=%04X", exid);
    if (len > 4)
        peel_add_bytes(pkt, o, F_EXP_DATA, len - 4u);
}

/* One option with a length byte, its bytes already known to be within the options. */
static void
tcp_option(PeelPacket *pkt, PeelReader *opts, uint8_t kind, uint8_t len, TcpOptState *st,
        const TcpSeqBase *base)
{
    uint32_t f;
    switch (kind) {
    case 2:
        f = F_OPT_MSS;
        break;
    case 3:
        f = F_OPT_WSCALE;
        break;
    case 4:
        f = F_OPT_SACK_PERM;
        break;
    case 5:
        f = F_OPT_SACK;
        break;
    case 8:
        f = F_OPT_TIMESTAMP;
        break;
    case 19:
        f = F_OPT_MD5;
        break;
    case 34:
        f = F_OPT_TFO;
        break;
    case 253:
    case 254:
        f = F_OPT_EXP;
        break;
    default:
        f = F_OPT_UNKNOWN;
        break;
    }
    int32_t item = peel_open(pkt, opts, f, len);
    tcp_set_bytes(pkt, item, opts, len);
    peel_set_text(pkt, item, "%s", tcp_fields[f].title);
    PeelReader o = peel_reader_take(opts, len);
    switch (kind) {
    case 2:
        tcp_option_mss(pkt, &o, item, len, st);
        break;
    case 3:
        tcp_option_wscale(pkt, &o, item, len);
        break;
    case 4:
        if (tcp_option_head(pkt, &o, len, 2))
            peel_info_append_str(pkt, " SACK_PERM");
        break;
    case 5:
        tcp_option_sack(pkt, &o, item, len, st, base);
        break;
    case 8:
        tcp_option_timestamp(pkt, &o, item, len);
        break;
    case 19:
        if (tcp_option_head(pkt, &o, len, 18)) {
            peel_add_bytes(pkt, &o, F_MD5_DIGEST, 16);
            if (peel_reader_ok(&o))
                peel_info_append_str(pkt, " MD5");
        }
        break;
    case 34:
        tcp_option_tfo(pkt, &o, len);
        break;
    case 253:
    case 254:
        tcp_option_experimental(pkt, &o, item, len);
        break;
    default:
        tcp_option_head(pkt, &o, len, 0);
        if (len > 2)
            peel_add_bytes(pkt, &o, F_UNKNOWN_PAYLOAD, len - 2u);
        break;
    }
    peel_close(pkt, NULL);
    /* A snaplen cut inside the option ends the options; so does a claim past them. */
    if (!peel_reader_ok(&o))
        opts->status = o.status;
}

/* EOL and NOP: a kind byte alone. */
static void
tcp_option_single(PeelPacket *pkt, PeelReader *opts, uint8_t kind)
{
    uint32_t f = kind == 0 ? F_OPT_EOL : F_OPT_NOP;
    int32_t item = peel_open(pkt, opts, f, 1);
    tcp_set_bytes(pkt, item, opts, 1);
    peel_set_text(pkt, item, "%s", tcp_fields[f].title);
    peel_add_u8(pkt, opts, F_OPTION_KIND);
    peel_close(pkt, NULL);
}

/* The options area: a sequence of kind[, length, value] entries (RFC 9293 3.2). Lengths are
 * checked before anything is read; a bad one ends the options with a note. */
static void
tcp_options(PeelPacket *pkt, PeelReader *rd, uint32_t optlen, uint32_t flags, uint32_t ack,
        bool in_error, const TcpSeqBase *base)
{
    char label[512];
    bool syn = (flags & TH_SYN) != 0;
    TcpOptState st = {
        .syn = syn, .ack_set = (flags & TH_ACK) != 0, .ack = ack, .in_error = in_error
    };
    if (pkt->want_tree) {
        st.label = label;
        st.label_size = sizeof label;
        st.label_len = (size_t)peel_snprintf(label, sizeof label, "Options: (%u bytes)", optlen);
    }
    int32_t item = peel_open(pkt, rd, F_OPTIONS, optlen);
    tcp_set_bytes(pkt, item, rd, optlen);
    PeelReader opts = peel_reader_take(rd, optlen);
    uint32_t nops = 0;
    char namebuf[24];
    /* Every pass consumes at least one byte or stops, so this ends within optlen (<= 40)
     * passes. Lengths are checked against the option area the header declares; a packet
     * that ends before it (a short segment) makes the reads themselves fail as malformed. */
    while (opts.pos < optlen && peel_reader_ok(&opts)) {
        uint32_t avail = peel_reader_captured(&opts);
        if (in_error && avail == 0)
            break; /* the quote ends here: say nothing */
        uint8_t kind = peel_reader_peek_u8(&opts, 0);
        const char *name = tcp_option_name(kind, namebuf, sizeof namebuf);
        if (kind == 0 || kind == 1) {
            /* Wireshark counts NOPs filling one 32-bit word of the header (options start
             * word-aligned): four of them suggest a router blanked an option. */
            if (kind == 1 && (nops == 0 || opts.pos % 4 != 0)) {
                if (++nops == 4)
                    peel_expert(pkt, item, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                            "4 NOP in a row - a router may have removed some options");
            } else if (kind == 1) {
                nops = 0;
            }
            tcp_option_single(pkt, &opts, kind);
            tcp_label_add(&st, name);
            /* Past an EOL only zero padding may follow (RFC 9293 3.2). */
            if (kind == 0 && opts.pos < optlen && peel_reader_captured(&opts) > 0 &&
                    peel_reader_peek_u8(&opts, 0) != 0) {
                peel_expert(
                        pkt, item, PEEL_SEV_ERROR, PEEL_GROUP_PROTOCOL, "Non-zero header padding");
                break;
            }
            continue;
        }
        uint32_t left = optlen - opts.pos;
        if (left < 2) {
            if (!in_error)
                peel_expert(pkt, item, PEEL_SEV_NOTE, PEEL_GROUP_SEQUENCE,
                        "%s (length byte past end of options)", name);
            break;
        }
        if (avail < 2) {
            if (!in_error) { /* the capture ends at the length byte: the read notes it */
                peel_add_u8(pkt, &opts, F_OPTION_KIND);
                peel_add_u8(pkt, &opts, F_OPTION_LEN);
            }
            break;
        }
        uint8_t len = peel_reader_peek_u8(&opts, 1);
        if (len < 2) {
            peel_expert(pkt, item, PEEL_SEV_NOTE, PEEL_GROUP_SEQUENCE,
                    "%s (with too-short option length = %u byte%s)", name, len,
                    len == 1 ? "" : "s");
            break;
        }
        if (len > left) {
            if (!in_error)
                peel_expert(pkt, item, PEEL_SEV_NOTE, PEEL_GROUP_SEQUENCE,
                        "%s (option length = %u byte%s says option goes past end of options)", name,
                        len, len == 1 ? "" : "s");
            break;
        }
        if (in_error && avail < len)
            break;
        tcp_option(pkt, &opts, kind, len, &st, base);
        if (peel_reader_ok(&opts))
            tcp_label_add(&st, name);
    }
    if (syn && !st.mss_seen && peel_reader_ok(&opts) && !in_error)
        peel_expert(pkt, item, PEEL_SEV_NOTE, PEEL_GROUP_PROTOCOL,
                "The SYN packet does not contain a MSS option");
    if (st.label != NULL)
        peel_set_text(pkt, item, "%s", st.label);
    peel_close(pkt, NULL);
    if (!peel_reader_ok(&opts))
        rd->status = opts.status;
}

/* ---- the header ---- */

/*
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |Res  |A|C|E|U|A|P|R|S|F|                               |
 * | Offset|     |E|W|C|R|C|S|S|Y|I|            Window             |
 * |       |     | |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

typedef struct {
    uint16_t sport, dport;
    uint32_t seq, ack; /* raw */
    uint32_t hlen;     /* bytes */
    uint32_t flags;    /* the 12 flag bits */
    uint16_t window;
    uint16_t checksum;
    uint16_t urgent;
} TcpHeader;

/* The flags word: the subtree of flag bits, tcp.flags.str and the connection notes. */
static void
tcp_add_flags(PeelPacket *pkt, PeelReader *rd, const TcpHeader *h)
{
    static const struct {
        uint32_t f;
        uint32_t mask;
    } bits[] = {
        { F_FLAG_RES, TH_RES },
        { F_FLAG_AE, TH_AE },
        { F_FLAG_CWR, TH_CWR },
        { F_FLAG_ECE, TH_ECE },
        { F_FLAG_URG, TH_URG },
        { F_FLAG_ACK, TH_ACK },
        { F_FLAG_PUSH, TH_PUSH },
        { F_FLAG_RESET, TH_RST },
        { F_FLAG_SYN, TH_SYN },
        { F_FLAG_FIN, TH_FIN },
    };
    int32_t item = peel_open(pkt, rd, F_FLAGS, 2);
    /* peel_open adds the item without a value; read it in place like the bits below. */
    if (item >= 0) {
        pkt->fields[item].v.u = h->flags;
        pkt->fields[item].flags |= PEEL_FF_HAS_VALUE;
    }
    if (pkt->want_tree) {
        char names[80];
        tcp_flags_names(names, sizeof names, h->flags);
        peel_set_text(pkt, item, "Flags: 0x%03x (%s)", h->flags, names);
    }
    for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++) {
        if (pkt->record_fields) /* the bits are fields only; the notes below stay */
            peel_add_bits(pkt, rd, bits[i].f);
        int32_t bit = peel_last(pkt);
        if (pkt->want_tree) {
            char pattern[16];
            tcp_flag_pattern(pattern, bits[i].mask, h->flags);
            peel_set_text(pkt, bit, "%s = %s: %s", pattern, tcp_fields[bits[i].f].title,
                    (h->flags & bits[i].mask) ? "Set" : "Not set");
        }
        if (bits[i].mask == TH_RST && (h->flags & TH_RST))
            peel_expert(pkt, bit, PEEL_SEV_WARN, PEEL_GROUP_SEQUENCE, "Connection reset (RST)");
        if (bits[i].mask == TH_SYN && (h->flags & TH_SYN)) {
            if (h->flags & TH_ACK)
                peel_expert(pkt, bit, PEEL_SEV_CHAT, PEEL_GROUP_SEQUENCE,
                        "Connection establish acknowledge (SYN+ACK): server port %u", h->sport);
            else
                peel_expert(pkt, bit, PEEL_SEV_CHAT, PEEL_GROUP_SEQUENCE,
                        "Connection establish request (SYN): server port %u", h->dport);
        }
        if (bits[i].mask == TH_FIN && (h->flags & TH_FIN))
            peel_expert(pkt, bit, PEEL_SEV_CHAT, PEEL_GROUP_SEQUENCE, "Connection finish (FIN)");
    }
    char str[48];
    uint32_t n = pkt->record_fields ? tcp_flags_str(str, h->flags) : 0;
    char *s = pkt->record_fields ? peel_arena_strndup(pkt->arena, str, n) : NULL;
    if (s != NULL) {
        int32_t si = peel_add_string_value(pkt, F_FLAGS_STR, s, n);
        peel_set_text(pkt, si, "TCP Flags: %s", s);
    }
    peel_close(pkt, NULL);
    peel_reader_skip(rd, 2);
}

/* Checksum, its status and, when verified, the computed value and the Info note. */
static void
tcp_add_checksum(
        PeelPacket *pkt, PeelReader *rd, const PeelReader *seg, uint32_t seg_len, bool in_error)
{
    uint16_t field = peel_add_u16(pkt, rd, F_CHECKSUM);
    int32_t item = peel_last(pkt);
    if (!peel_reader_ok(rd))
        return;
    uint32_t got = 0;
    const uint8_t *bytes = peel_reader_peek_bytes(seg, 0, seg_len, &got);
    uint16_t sum = 0;
    if (!pkt->prefs->tcp_check_checksum || in_error || bytes == NULL || got < seg_len ||
            peel_reader_remaining(seg) < seg_len || !tcp_checksum(pkt, bytes, seg_len, 6, &sum)) {
        peel_set_text(pkt, item, "Checksum: 0x%04x [unverified]", field);
        int32_t st = peel_add_uint_value(pkt, F_CHECKSUM_STATUS, CKSUM_UNVERIFIED);
        peel_set_text(pkt, st, "Checksum Status: Unverified");
        return;
    }
    uint16_t expected = peel_inet_expected(field, sum);
    if (sum == 0) {
        peel_set_text(pkt, item, "Checksum: 0x%04x [correct]", field);
        int32_t st = peel_add_uint_value(pkt, F_CHECKSUM_STATUS, CKSUM_GOOD);
        peel_set_text(pkt, st, "Checksum Status: Good");
    } else {
        peel_set_text(pkt, item,
                "Checksum: 0x%04x incorrect, should be 0x%04x(maybe caused by \"TCP checksum "
                "offload\"?)",
                field, expected);
        peel_expert(pkt, item, PEEL_SEV_ERROR, PEEL_GROUP_CHECKSUM,
                "Bad checksum [should be 0x%04x]", expected);
        int32_t st = peel_add_uint_value(pkt, F_CHECKSUM_STATUS, CKSUM_BAD);
        peel_set_text(pkt, st, "Checksum Status: Bad");
        peel_info_append_str(pkt, " [TCP CHECKSUM INCORRECT]");
    }
    peel_add_uint_value(pkt, F_CHECKSUM_CALC, expected);
}

/* The top item's label: "Transmission Control Protocol, Src Port: 80, Dst Port: 55920, Seq:
 * 0, Ack: 1, Len: 0"; Seq, Ack and Len only when known. */
static void
tcp_set_label(PeelPacket *pkt, const TcpHeader *h, bool with_seq, uint32_t seq, bool with_ack,
        uint32_t ack, bool with_len, uint32_t len)
{
    if (!pkt->want_tree)
        return;
    char label[160];
    size_t n = (size_t)peel_snprintf(label, sizeof label,
            "Transmission Control Protocol, Src Port: %u, Dst Port: %u", h->sport, h->dport);
    if (with_seq && n < sizeof label)
        n += (size_t)peel_snprintf(label + n, sizeof label - n, ", Seq: %u", seq);
    if (with_ack && n < sizeof label)
        n += (size_t)peel_snprintf(label + n, sizeof label - n, ", Ack: %u", ack);
    if (with_len && n < sizeof label)
        peel_snprintf(label + n, sizeof label - n, ", Len: %u", len);
    peel_set_text(pkt, pkt->parent, "%s", label);
}

/* A header quoted in an ICMP error: usually only its first 8 bytes. Adds what was captured
 * and stops at the first field that is not, without notes and without touching Info. */
static void
tcp_dissect_quoted(PeelReader *rd, PeelPacket *pkt, TcpHeader *h)
{
    if (peel_reader_captured(rd) < 4) {
        tcp_set_label(pkt, h, false, 0, false, 0, false, 0);
        return;
    }
    h->seq = peel_add_u32(pkt, rd, F_SEQ);
    if (peel_reader_captured(rd) < TCP_MIN_HDR - 8) {
        tcp_set_label(pkt, h, false, 0, false, 0, false, 0);
        return;
    }
    h->ack = peel_reader_peek_u32be(rd, 0);
    h->hlen = (uint32_t)(peel_reader_peek_u8(rd, 4) >> 4) * 4;
    h->flags = peel_reader_peek_u16be(rd, 4) & TH_MASK;
    bool ack_set = (h->flags & TH_ACK) != 0;
    tcp_set_label(pkt, h, true, h->seq, ack_set && h->hlen >= TCP_MIN_HDR, h->ack, false, 0);

    PeelReader at = *rd;
    peel_add_u32(pkt, rd, F_ACK);
    peel_add_u32(pkt, &at, F_ACK_RAW);
    tcp_add_hdr_len(pkt, rd, h->hlen);
    if (h->hlen < TCP_MIN_HDR)
        return;
    tcp_add_flags(pkt, rd, h);
    uint16_t win = peel_add_u16(pkt, rd, F_WINDOW_VALUE);
    peel_add_uint_value(pkt, F_WINDOW_SIZE, win);
    tcp_add_checksum(pkt, rd, rd, 0, true);
    peel_add_u16(pkt, rd, F_URGENT);
    if (h->hlen > TCP_MIN_HDR)
        tcp_options(pkt, rd, h->hlen - TCP_MIN_HDR, h->flags, h->ack, true,
                &(TcpSeqBase){ .known = false });
}

/* The fixed header is cut short (snaplen) or the packet claims too few bytes for it. Like
 * Wireshark, which reads the whole fixed header before adding its fields, nothing past the
 * ports is shown; the protocol item carries the note. */
static void
tcp_dissect_short(PeelReader *rd, PeelPacket *pkt, const TcpHeader *h)
{
    tcp_set_label(pkt, h, false, 0, false, 0, false, 0);
    uint32_t want = TCP_MIN_HDR - 4;
    int32_t item = pkt->parent;
    if (peel_reader_remaining(rd) < want) {
        if (item >= 0)
            pkt->fields[item].flags |= PEEL_FF_MALFORMED;
        peel_expert(pkt, item, PEEL_SEV_ERROR, PEEL_GROUP_MALFORMED,
                "malformed: the TCP header needs %u bytes, %u left", TCP_MIN_HDR,
                peel_reader_remaining(rd) + 4);
    } else {
        if (item >= 0)
            pkt->fields[item].flags |= PEEL_FF_TRUNCATED;
        peel_expert(pkt, item, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "truncated: capture ends %u bytes into the TCP header",
                peel_reader_captured(rd) + 4);
    }
    peel_reader_need(rd, want); /* the layer ends here */
}

/* ---- sequence analysis: presentation ---- */

/* Flags in the order tshark adds their expert items and Info prefixes. */
static const struct {
    uint32_t flag;
    uint32_t field;
    PeelSeverity sev;
    const char *msg;
    const char *prefix;
} tcp_analysis_flags[] = {
    { TCP_A_REUSED_PORTS, F_A_REUSED, PEEL_SEV_NOTE,
            "A new tcp session is started with the same ports as an earlier session in this "
            "trace",
            "[TCP Port numbers reused] " },
    { TCP_A_RETRANSMISSION, F_A_RETRANS, PEEL_SEV_NOTE,
            "This frame is a (suspected) retransmission", "[TCP Retransmission] " },
    { TCP_A_FAST_RETRANSMISSION, F_A_FAST_RETRANS, PEEL_SEV_NOTE,
            "This frame is a (suspected) fast retransmission", "[TCP Fast Retransmission] " },
    { TCP_A_SPURIOUS_RETRANSMISSION, F_A_SPURIOUS, PEEL_SEV_NOTE,
            "This frame is a (suspected) spurious retransmission",
            "[TCP Spurious Retransmission] " },
    { TCP_A_OUT_OF_ORDER, F_A_OOO, PEEL_SEV_WARN,
            "This frame is a (suspected) out-of-order segment", "[TCP Out-Of-Order] " },
    { TCP_A_LOST_PACKET, F_A_LOST, PEEL_SEV_WARN,
            "Previous segment(s) not captured (common at capture start)",
            "[TCP Previous segment not captured] " },
    { TCP_A_ACK_LOST_PACKET, F_A_ACK_LOST, PEEL_SEV_WARN,
            "ACKed segment that wasn't captured (common at capture start)",
            "[TCP ACKed unseen segment] " },
    { TCP_A_WINDOW_UPDATE, F_A_WIN_UPDATE, PEEL_SEV_CHAT, "TCP window update",
            "[TCP Window Update] " },
    { TCP_A_WINDOW_FULL, F_A_WIN_FULL, PEEL_SEV_WARN,
            "TCP window specified by the receiver is now completely full",
            "[TCP Window Full] " },
    { TCP_A_KEEP_ALIVE, F_A_KEEPALIVE, PEEL_SEV_NOTE, "TCP keep-alive segment",
            "[TCP Keep-Alive] " },
    { TCP_A_KEEP_ALIVE_ACK, F_A_KEEPALIVE_ACK, PEEL_SEV_NOTE, "ACK to a TCP keep-alive segment",
            "[TCP Keep-Alive ACK] " },
    { TCP_A_DUPLICATE_ACK, F_A_DUPACK, PEEL_SEV_NOTE, NULL, NULL },
    { TCP_A_ZERO_WINDOW_PROBE, F_A_ZWP, PEEL_SEV_NOTE, "TCP Zero Window Probe",
            "[TCP ZeroWindowProbe] " },
    { TCP_A_ZERO_WINDOW, F_A_ZW, PEEL_SEV_WARN, "TCP Zero Window segment", "[TCP ZeroWindow] " },
    { TCP_A_ZERO_WINDOW_PROBE_ACK, F_A_ZWP_ACK, PEEL_SEV_NOTE, "ACK to a TCP Zero Window Probe",
            "[TCP ZeroWindowProbeAck] " },
};

static PeelTime
tcp_ns_time(int64_t ns)
{
    PeelTime t = { ns / 1000000000ll, (int32_t)(ns % 1000000000ll) };
    if (t.nsec < 0) {
        t.nsec += 1000000000;
        t.sec -= 1;
    }
    return t;
}

/* The [SEQ/ACK analysis] subtree, its expert notes and the Info prefixes. */
static void
tcp_add_analysis(PeelPacket *pkt, const TcpAnalysis *an)
{
    if (!an->ta)
        return;
    int32_t top = peel_add_uint_value(pkt, F_ANALYSIS, 0);
    int32_t saved = pkt->parent;
    uint16_t saved_depth = pkt->depth;
    pkt->parent = top;
    pkt->depth++;
    if (an->acks_frame != 0) {
        peel_add_uint_value(pkt, F_A_ACKS_FRAME, an->acks_frame);
        if (an->ack_rtt_ns != 0)
            peel_add_time_value(pkt, F_A_ACK_RTT, tcp_ns_time(an->ack_rtt_ns));
    }
    if (an->initial_rtt_ns != 0)
        peel_add_time_value(pkt, F_A_IRTT, tcp_ns_time(an->initial_rtt_ns));
    if (an->bytes_in_flight != 0)
        peel_add_uint_value(pkt, F_A_BIF, an->bytes_in_flight);
    if (an->flags != 0) {
        int32_t flags_item = peel_add_uint_value(pkt, F_A_FLAGS, 0);
        pkt->parent = flags_item;
        pkt->depth++;
        for (size_t i = 0; i < sizeof tcp_analysis_flags / sizeof tcp_analysis_flags[0]; i++) {
            uint32_t flag = tcp_analysis_flags[i].flag;
            if (!(an->flags & flag))
                continue;
            if (flag == TCP_A_DUPLICATE_ACK) {
                /* tshark has a label item and an expert item of this name: both print */
                peel_add_uint_value(pkt, F_A_DUPACK, 0);
                int32_t e = peel_add_uint_value(pkt, F_A_DUPACK, 0);
                peel_expert(pkt, e, PEEL_SEV_NOTE, PEEL_GROUP_SEQUENCE, "Duplicate ACK (#%u)",
                        an->dupack_num);
                continue;
            }
            int32_t item = peel_add_uint_value(pkt, tcp_analysis_flags[i].field, 0);
            peel_expert(pkt, item, tcp_analysis_flags[i].sev, PEEL_GROUP_SEQUENCE, "%s",
                    tcp_analysis_flags[i].msg);
            if (flag & (TCP_A_FAST_RETRANSMISSION | TCP_A_SPURIOUS_RETRANSMISSION)) {
                /* these also count as retransmissions */
                int32_t r = peel_add_uint_value(pkt, F_A_RETRANS, 0);
                peel_expert(pkt, r, PEEL_SEV_NOTE, PEEL_GROUP_SEQUENCE,
                        "This frame is a (suspected) retransmission");
            }
        }
        pkt->parent = top;
        pkt->depth--;
    }
    if (an->dupack_num != 0) {
        peel_add_uint_value(pkt, F_A_DUPACK_NUM, an->dupack_num);
        peel_add_uint_value(pkt, F_A_DUPACK_FRAME, an->dupack_frame);
    }
    pkt->parent = saved;
    pkt->depth = saved_depth;
    if (an->flags == 0)
        return;

    /* Each prefix goes to the very front, so the last added reads first, as in tshark. */
    for (size_t i = 0; i < sizeof tcp_analysis_flags / sizeof tcp_analysis_flags[0]; i++) {
        uint32_t flag = tcp_analysis_flags[i].flag;
        if (!(an->flags & flag))
            continue;
        if (flag == TCP_A_DUPLICATE_ACK) {
            char dup[48];
            peel_snprintf(dup, sizeof dup, "[TCP Dup ACK %u#%u] ", an->dupack_frame, an->dupack_num);
            peel_info_prepend(pkt, dup);
        } else {
            peel_info_prepend(pkt, tcp_analysis_flags[i].prefix);
        }
    }
}

/* Whether a field of the fixed header after the ports is kept or shown: a filter on
 * tcp.analysis.* keeps TCP's layer, not its header. */
static bool
tcp_header_kept(const PeelPacket *pkt)
{
    static const uint8_t header[] = { F_SEQ, F_SEQ_RAW, F_NXTSEQ, F_ACK, F_ACK_RAW, F_HDR_LEN,
        F_FLAGS, F_FLAG_RES, F_FLAG_AE, F_FLAG_CWR, F_FLAG_ECE, F_FLAG_URG, F_FLAG_ACK,
        F_FLAG_PUSH, F_FLAG_RESET, F_FLAG_SYN, F_FLAG_FIN, F_FLAGS_STR, F_WINDOW_VALUE,
        F_WINDOW_SIZE, F_SCALEFACTOR, F_URGENT };
    return peel_keeps_any(pkt, header, sizeof header);
}

/* The fixed header when nothing of it is kept or shown (summary lines): the notes the
 * field path raises, in its order, without the fields. rd is past the ports, and the
 * header's fixed part (hlen_ok) is there. */
static void
tcp_header_plain(PeelPacket *pkt, PeelReader *rd, const TcpHeader *h, const PeelReader *seg,
        uint32_t seg_len)
{
    if (!(h->flags & TH_ACK) && h->ack != 0)
        peel_expert(pkt, -1, PEEL_SEV_NOTE, PEEL_GROUP_PROTOCOL,
                "The acknowledgment number field is nonzero while the ACK flag is not set");
    if (h->flags & TH_RST)
        peel_expert(pkt, -1, PEEL_SEV_WARN, PEEL_GROUP_SEQUENCE, "Connection reset (RST)");
    if (h->flags & TH_SYN) {
        if (h->flags & TH_ACK)
            peel_expert(pkt, -1, PEEL_SEV_CHAT, PEEL_GROUP_SEQUENCE,
                    "Connection establish acknowledge (SYN+ACK): server port %u", h->sport);
        else
            peel_expert(pkt, -1, PEEL_SEV_CHAT, PEEL_GROUP_SEQUENCE,
                    "Connection establish request (SYN): server port %u", h->dport);
    }
    if (h->flags & TH_FIN)
        peel_expert(pkt, -1, PEEL_SEV_CHAT, PEEL_GROUP_SEQUENCE, "Connection finish (FIN)");
    peel_reader_skip(rd, 12); /* sequence, acknowledgment, offset and flags, window */
    tcp_add_checksum(pkt, rd, seg, seg_len, false);
    peel_reader_skip(rd, 2); /* urgent pointer */
    if (!(h->flags & TH_URG) && h->urgent != 0)
        peel_expert(pkt, -1, PEEL_SEV_NOTE, PEEL_GROUP_PROTOCOL,
                "The urgent pointer field is nonzero while the URG flag is not set");
}

static void
tcp_dissect(PeelReader *rd, PeelPacket *pkt)
{
    const PeelReader seg = *rd; /* the whole segment, for the checksum */
    uint32_t seg_len = peel_reader_remaining(rd);

    TcpHeader h = { 0 };
    h.sport = peel_add_u16(pkt, rd, F_SRCPORT);
    int32_t sp = peel_last(pkt);
    h.dport = peel_add_u16(pkt, rd, F_DSTPORT);
    int32_t dp = peel_last(pkt);
    if (!peel_reader_ok(rd))
        return;
    peel_add_hidden(pkt, F_PORT, sp);
    peel_add_hidden(pkt, F_PORT, dp);
    pkt->src_port = h.sport;
    pkt->dst_port = h.dport;

    if (pkt->in_error) {
        tcp_dissect_quoted(rd, pkt, &h);
        return;
    }

    /* Info is built on every packet: direct appends, no format parsing. */
    peel_info_clear(pkt);
    peel_info_append_uint(pkt, h.sport);
    peel_info_append_str(pkt, " " UTF8_RIGHTWARDS_ARROW " ");
    peel_info_append_uint(pkt, h.dport);
    if (peel_reader_captured(rd) < TCP_MIN_HDR - 4 || peel_reader_remaining(rd) < TCP_MIN_HDR - 4) {
        tcp_dissect_short(rd, pkt, &h);
        return;
    }
    /* The fixed header is all there: Info is built from it first, as Wireshark does. */
    h.seq = peel_reader_peek_u32be(rd, 0);
    h.ack = peel_reader_peek_u32be(rd, 4);
    h.hlen = (uint32_t)(peel_reader_peek_u8(rd, 8) >> 4) * 4;
    h.flags = peel_reader_peek_u16be(rd, 8) & TH_MASK;
    h.window = peel_reader_peek_u16be(rd, 10);
    h.urgent = peel_reader_peek_u16be(rd, 14);

    bool hlen_ok = h.hlen >= TCP_MIN_HDR;
    bool have_len = hlen_ok && seg_len >= h.hlen;
    uint32_t len = seg_len >= h.hlen ? seg_len - h.hlen : 0;

    /* The stream layer: stream number, relative numbers, window scaling, analysis. */
    TcpSegInfo si = { .seq = h.seq, .ack = h.ack, .flags = (uint16_t)h.flags,
        .win = h.window, .seglen = len, .seglen_known = seg_len >= h.hlen,
        .frame = pkt->frame->number,
        /* unsigned arithmetic: absurd timestamps wrap instead of overflowing */
        .now_ns = (int64_t)((uint64_t)pkt->frame->ts.sec * 1000000000ull +
                            (uint64_t)(int64_t)pkt->frame->ts.nsec) };
    si.wscale = -1;
    if (hlen_ok && h.hlen > TCP_MIN_HDR) {
        PeelReader opts = *rd;
        peel_reader_skip(&opts, TCP_MIN_HDR - 4);
        tcp_analysis_scan_options(&opts, h.hlen - TCP_MIN_HDR, &si);
    }
    TcpAnalysis an;
    tcp_analysis_run(pkt, &si, &an);
    if (an.have_stream)
        peel_add_uint_value(pkt, F_STREAM, an.stream);

    TcpSeqBase base = tcp_seq_base(&an, h.seq, h.ack);
    uint32_t seq = tcp_seq_shown(h.seq, base.known, base.seq_base);
    bool ack_set = (h.flags & TH_ACK) != 0;
    /* Without the ACK flag the field means nothing and is shown raw. */
    uint32_t ack = ack_set ? tcp_seq_shown(h.ack, base.known, base.ack_base) : h.ack;
    uint32_t window = an.have_rel ? an.window_size : h.window;

    char names[80];
    size_t names_len = tcp_flags_names(names, sizeof names, h.flags);
    peel_info_append_str(pkt, " [");
    peel_info_append_mem(pkt, names, names_len);
    peel_info_append_str(pkt, "] Seq=");
    peel_info_append_uint(pkt, seq);
    if (ack_set) {
        peel_info_append_str(pkt, " Ack=");
        peel_info_append_uint(pkt, ack);
    }
    peel_info_append_str(pkt, " Win=");
    peel_info_append_uint(pkt, window);
    tcp_set_label(pkt, &h, true, seq, ack_set && hlen_ok, ack, have_len, len);

    if (seg_len >= h.hlen)
        peel_add_uint_value(pkt, F_LEN, len);
    else if (hlen_ok)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "Short segment. Segment/fragment does not contain a full TCP header (might be "
                "NMAP or someone else deliberately sending unusual packets)");

    if (hlen_ok && !tcp_header_kept(pkt)) {
        tcp_header_plain(pkt, rd, &h, &seg, seg_len);
    } else {
        PeelReader at = *rd;
        peel_add_u32(pkt, rd, F_SEQ);
        if (base.known) {
            tcp_set_last_uint(pkt, seq);
            peel_set_text(
                    pkt, peel_last(pkt), "Sequence Number: %u    (relative sequence number)", seq);
        }
        peel_add_u32(pkt, &at, F_SEQ_RAW);
        if (an.have_rel) {
            int32_t nx = peel_add_uint_value(pkt, F_NXTSEQ, an.nxtseq);
            peel_set_text(pkt, nx, "[Next Sequence Number: %u    (relative sequence number)]",
                    an.nxtseq);
        }

        if (!hlen_ok) {
            peel_reader_skip(rd, 4);
            tcp_add_hdr_len(pkt, rd, h.hlen);
            peel_expert(pkt, peel_last(pkt), PEEL_SEV_ERROR, PEEL_GROUP_PROTOCOL,
                    "Bogus TCP header length (%u, must be at least %u)", h.hlen, TCP_MIN_HDR);
            peel_info_append(
                    pkt, ", bogus TCP header length (%u, must be at least %u)", h.hlen, TCP_MIN_HDR);
            return;
        }

        at = *rd;
        peel_add_u32(pkt, rd, F_ACK);
        if (ack_set && base.known) {
            tcp_set_last_uint(pkt, ack);
            peel_set_text(
                    pkt, peel_last(pkt), "Acknowledgment Number: %u    (relative ack number)", ack);
        } else if (!ack_set && h.ack != 0) {
            peel_expert(pkt, peel_last(pkt), PEEL_SEV_NOTE, PEEL_GROUP_PROTOCOL,
                    "The acknowledgment number field is nonzero while the ACK flag is not set");
        }
        peel_add_u32(pkt, &at, F_ACK_RAW);

        tcp_add_hdr_len(pkt, rd, h.hlen);
        tcp_add_flags(pkt, rd, &h);
        peel_add_u16(pkt, rd, F_WINDOW_VALUE);
        peel_add_uint_value(pkt, F_WINDOW_SIZE, window);
        if (an.have_scale)
            peel_add_int_value(pkt, F_SCALEFACTOR, an.scalefactor);
        tcp_add_checksum(pkt, rd, &seg, seg_len, false);
        peel_add_u16(pkt, rd, F_URGENT);
        if (!(h.flags & TH_URG) && h.urgent != 0)
            peel_expert(pkt, peel_last(pkt), PEEL_SEV_NOTE, PEEL_GROUP_PROTOCOL,
                    "The urgent pointer field is nonzero while the URG flag is not set");
    }
    if (h.flags & TH_URG)
        peel_info_append(pkt, " Urg=%u", h.urgent);
    if (have_len) {
        peel_info_append_str(pkt, " Len=");
        peel_info_append_uint(pkt, len);
    }

    if (h.hlen > TCP_MIN_HDR)
        tcp_options(pkt, rd, h.hlen - TCP_MIN_HDR, h.flags, h.ack, false, &base);
    if (peel_check_reader(pkt, rd))
        return;
    tcp_add_analysis(pkt, &an);
    if (ack_set)
        tcp_stream_ack(pkt, h.ack);
    if (h.flags & TH_RST)
        tcp_stream_reset(pkt);

    PeelReader payload = peel_reader_rest(rd);
    uint32_t claimed = peel_reader_remaining(&payload);
    if (claimed == 0) {
        tcp_stream_control(pkt, &si, &payload, tcp_segment_fields);
        return;
    }
    PeelReader bytes = payload;
    if (h.flags & TH_RST) {
        /* RFC 9293 3.5.3: a reset may carry text saying why; it is shown, not dissected. */
        peel_add_string(pkt, &bytes, F_RESET_CAUSE, peel_reader_captured(&payload));
        return;
    }
    peel_add_bytes(pkt, &bytes, F_PAYLOAD, peel_reader_captured(&payload));
    peel_set_text(pkt, peel_last(pkt), "TCP payload (%u byte%s)", claimed, claimed == 1 ? "" : "s");
    /* Retransmitted and out-of-order bytes are not handed up again (Wireshark's default);
     * the reassembler sorts out what they add. */
    tcp_stream_payload(pkt, &payload, &si, &an, h.sport, h.dport, tcp_segment_fields);
}

static const PeelFieldNeed tcp_needs[] = { { F_PORT, F_SRCPORT }, { F_PORT, F_DSTPORT } };

const PeelProto peel_proto_tcp = {
    .field_needs = tcp_needs,
    .n_field_needs = G_N_ELEMENTS(tcp_needs),
    .name = "tcp",
    .title = "Transmission Control Protocol",
    .short_name = "TCP",
    .fields = tcp_fields,
    .n_fields = N_F,
    .dissect = tcp_dissect,
    .handoffs = { { PEEL_TABLE_IP_PROTO, 6 } },
};
