/* proto-tcp.h: what proto-tcp.c shares with its sequence analysis and stream seams. */
#pragma once

#include "dissect.h"

/* Flag bits as in the header's 12-bit field. */
enum {
    TCP_FIN = 0x001,
    TCP_SYN = 0x002,
    TCP_RST = 0x004,
    TCP_PSH = 0x008,
    TCP_ACK = 0x010,
    TCP_URG = 0x020,
    TCP_ECE = 0x040,
    TCP_CWR = 0x080,
    TCP_AE = 0x100,
};

/* One segment as the analysis sees it. */
typedef struct {
    uint32_t seq, ack; /* raw */
    uint16_t flags;
    uint16_t win;      /* raw 16-bit window */
    uint32_t seglen;   /* payload bytes by the IP length fields */
    bool seglen_known; /* false inside ICMP errors or with a bogus header length */
    int wscale;        /* shift of a Window Scale option in this segment, or -1 */
    uint8_t n_sack;
    uint32_t sack_le[3], sack_re[3];
    uint32_t frame;
    int64_t now_ns;
} TcpSegInfo;

/* Analysis flags (Wireshark's TCP_A_*). */
enum {
    TCP_A_RETRANSMISSION = 1u << 0,
    TCP_A_LOST_PACKET = 1u << 1,
    TCP_A_ACK_LOST_PACKET = 1u << 2,
    TCP_A_KEEP_ALIVE = 1u << 3,
    TCP_A_DUPLICATE_ACK = 1u << 4,
    TCP_A_ZERO_WINDOW = 1u << 5,
    TCP_A_ZERO_WINDOW_PROBE = 1u << 6,
    TCP_A_ZERO_WINDOW_PROBE_ACK = 1u << 7,
    TCP_A_KEEP_ALIVE_ACK = 1u << 8,
    TCP_A_OUT_OF_ORDER = 1u << 9,
    TCP_A_FAST_RETRANSMISSION = 1u << 10,
    TCP_A_WINDOW_UPDATE = 1u << 11,
    TCP_A_WINDOW_FULL = 1u << 12,
    TCP_A_REUSED_PORTS = 1u << 13,
    TCP_A_SPURIOUS_RETRANSMISSION = 1u << 14,
};

/* What the first pass found for one segment; also its per-frame record. */
typedef struct {
    uint32_t stream;
    uint32_t rel_seq, rel_ack, nxtseq;
    uint32_t window_size;
    int32_t scalefactor;
    uint32_t flags; /* TCP_A_* */
    uint32_t acks_frame;
    int64_t ack_rtt_ns;
    int64_t initial_rtt_ns;
    uint32_t bytes_in_flight;
    uint32_t dupack_num, dupack_frame;
    uint8_t have_stream : 1;
    uint8_t have_rel : 1;   /* seglen known: relative numbers, nxtseq, window_size */
    uint8_t have_scale : 1; /* scalefactor printed (not on SYNs) */
    uint8_t ta : 1;         /* an analysis record exists (tshark prints some fields only then) */
} TcpAnalysis;

/* Runs (first pass) or recalls (revisit) the analysis of this segment; fills *a. Looks up
 * the flow (pkt->flow) and starts a new stream on a reused 4-tuple. */
void tcp_analysis_run(PeelPacket *pkt, const TcpSegInfo *seg, TcpAnalysis *a);

/* Reads the Window Scale and SACK options of a header without adding fields. */
void tcp_analysis_scan_options(const PeelReader *opts, uint32_t optlen, TcpSegInfo *seg);

/* Hands the segment's payload on: straight to the connection's application protocol, or
 * through reassembly for stream protocols (pdu_len), dissecting each PDU in the frame
 * that completes it. seg_fields: TCP's local ids of tcp.segments, tcp.segment,
 * tcp.segment.count, tcp.reassembled.length and tcp.reassembled_in. */
void tcp_stream_payload(PeelPacket *pkt, PeelReader *payload, const TcpSegInfo *si,
        const TcpAnalysis *an, uint16_t sport, uint16_t dport, const uint32_t *seg_fields);

/* A segment without payload that opens (SYN) or closes (FIN) its direction. A FIN hands
 * what is pending to the stream protocol once more with pkt->stream_end set; `payload`
 * (empty) and `seg_fields` are for the PDU it may complete. */
void tcp_stream_control(PeelPacket *pkt, const TcpSegInfo *si, const PeelReader *payload,
        const uint32_t *seg_fields);

/* An acknowledgement: bytes of the other direction it covers that the capture never held
 * are given up as a gap, so reassembly goes on after a lost segment. */
void tcp_stream_ack(PeelPacket *pkt, uint32_t ack);
/* A reset ended the connection: its protocol's stream_end is told (pkt->stream_reset set,
 * first pass and revisits), then its reassembly and application state are freed after
 * this packet. */
void tcp_stream_reset(PeelPacket *pkt);
