/* proto-udp.c: User Datagram Protocol (RFC 768; IPv6 rules from RFC 8200 8.1 and the
 * jumbogram length of RFC 2675), fields and labels as Wireshark 4.0 shows them. */
#include <glib.h>

#include "dissect.h"
#include "inet-checksum.h"
#include "flow.h"

#include <stdio.h>

enum {
    F_SRCPORT,
    F_DSTPORT,
    F_PORT,
    F_LENGTH,
    F_CHECKSUM,
    F_CHECKSUM_CALC,
    F_CHECKSUM_STATUS,
    F_PAYLOAD,
    F_STREAM,
    N_F
};

/* Wireshark's udp.checksum.status values (proto_checksum_vals). */
enum {
    CKSUM_BAD = 0,
    CKSUM_GOOD = 1,
    CKSUM_UNVERIFIED = 2,
    CKSUM_NOT_PRESENT = 3,
    CKSUM_ILLEGAL = 4,
};

static const PeelValueName udp_checksum_status_names[] = {
    { CKSUM_BAD, "Bad" },
    { CKSUM_GOOD, "Good" },
    { CKSUM_UNVERIFIED, "Unverified" },
    { CKSUM_NOT_PRESENT, "Not present" },
    { CKSUM_ILLEGAL, "Illegal" },
    { 0, NULL },
};

static const PeelFieldDef udp_fields[N_F] = {
    [F_SRCPORT] = { "udp.srcport", "Source Port", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_DSTPORT] = { "udp.dstport", "Destination Port", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_PORT] = { "udp.port", "Source or Destination Port", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_LENGTH] = { "udp.length", "Length", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_CHECKSUM] = { "udp.checksum", "Checksum", PEEL_FT_U16, PEEL_SHOW_HEX },
    [F_CHECKSUM_CALC] = { "udp.checksum_calculated", "Calculated Checksum", PEEL_FT_U16,
            PEEL_SHOW_HEX },
    [F_CHECKSUM_STATUS] = { "udp.checksum.status", "Checksum Status", PEEL_FT_U8, PEEL_SHOW_NONE,
            udp_checksum_status_names },
    [F_PAYLOAD] = { "udp.payload", "Payload", PEEL_FT_BYTES },
    [F_STREAM] = { "udp.stream", "Stream index", PEEL_FT_U32, PEEL_SHOW_DEC },
};

#define UDP_HDR               8u
#define UTF8_RIGHTWARDS_ARROW "\xe2\x86\x92"


/* The Internet checksum over the pseudo-header and the datagram, checksum field included:
 * 0 when intact. false without network addresses for the pseudo-header. */
static bool
udp_checksum(const PeelPacket *pkt, const uint8_t *dgram, uint32_t len, uint16_t *out)
{
    uint32_t sum = 0;
    if (!peel_inet_pseudo_sum(pkt, 17, len, &sum))
        return false;
    *out = (uint16_t)~peel_inet_fold(peel_inet_sum(sum, dgram, len));
    return true;
}

/* The value the checksum field should hold (RFC 1624 arithmetic); a computed 0 is sent as
 * 0xffff (RFC 768). */
static uint16_t
udp_checksum_expected(uint16_t field, uint16_t computed)
{
    uint16_t v = peel_inet_expected(field, computed);
    return v == 0 ? 0xffff : v;
}

static void
udp_status(PeelPacket *pkt, uint8_t status)
{
    int32_t st = peel_add_uint_value(pkt, F_CHECKSUM_STATUS, status);
    peel_set_text(
            pkt, st, "Checksum Status: %s", peel_value_name(udp_checksum_status_names, status));
}

/* A zero checksum: not sent over IPv4 (RFC 768), not allowed over IPv6 (RFC 8200 8.1).
 * Wireshark shows the status under the checksum item here. */
static void
udp_add_zero_checksum(PeelPacket *pkt, PeelReader *rd)
{
    int32_t item = peel_open(pkt, rd, F_CHECKSUM, 2);
    if (item >= 0) {
        pkt->fields[item].v.u = 0;
        pkt->fields[item].flags |= PEEL_FF_HAS_VALUE;
    }
    if (pkt->net_src.type == PEEL_AT_IPV6 && !pkt->in_error) {
        peel_set_text(pkt, item, "Checksum: 0x0000 [zero-value illegal]");
        peel_expert(pkt, item, PEEL_SEV_ERROR, PEEL_GROUP_CHECKSUM, "Illegal checksum value (0)");
        udp_status(pkt, CKSUM_ILLEGAL);
        peel_info_append_str(pkt, " [ILLEGAL CHECKSUM (0)]");
    } else {
        peel_set_text(pkt, item, "Checksum: 0x0000 [zero-value ignored]");
        udp_status(pkt, CKSUM_NOT_PRESENT);
    }
    peel_close(pkt, NULL);
    peel_reader_skip(rd, 2);
}

/* The checksum: zero is special, others are verified when asked and the whole datagram of
 * `ulen` bytes is held. */
static void
udp_add_checksum(
        PeelPacket *pkt, PeelReader *rd, const PeelReader *dgram, uint32_t ulen, bool verifiable)
{
    if (peel_reader_captured(rd) >= 2 && peel_reader_remaining(rd) >= 2 &&
            peel_reader_peek_u16be(rd, 0) == 0) {
        udp_add_zero_checksum(pkt, rd);
        return;
    }
    uint16_t field = peel_add_u16(pkt, rd, F_CHECKSUM);
    int32_t item = peel_last(pkt);
    if (!peel_reader_ok(rd))
        return;
    uint32_t got = 0;
    const uint8_t *bytes = peel_reader_peek_bytes(dgram, 0, ulen, &got);
    uint16_t sum = 0;
    if (!pkt->prefs->udp_check_checksum || !verifiable || bytes == NULL || got < ulen ||
            !udp_checksum(pkt, bytes, ulen, &sum)) {
        peel_set_text(pkt, item, "Checksum: 0x%04x [unverified]", field);
        udp_status(pkt, CKSUM_UNVERIFIED);
        return;
    }
    uint16_t expected = udp_checksum_expected(field, sum);
    if (sum == 0) {
        peel_set_text(pkt, item, "Checksum: 0x%04x [correct]", field);
        peel_add_uint_value(pkt, F_CHECKSUM_CALC, expected);
        udp_status(pkt, CKSUM_GOOD);
    } else {
        peel_set_text(pkt, item,
                "Checksum: 0x%04x incorrect, should be 0x%04x (maybe caused by \"UDP checksum "
                "offload\"?)",
                field, expected);
        peel_expert(pkt, item, PEEL_SEV_ERROR, PEEL_GROUP_CHECKSUM,
                "Bad checksum [should be 0x%04x]", expected);
        peel_add_uint_value(pkt, F_CHECKSUM_CALC, expected);
        udp_status(pkt, CKSUM_BAD);
        peel_info_append_str(pkt, " [UDP CHECKSUM INCORRECT]");
    }
}

/*
 *  0      7 8     15 16    23 24    31
 * +--------+--------+--------+--------+
 * |     Source      |   Destination   |
 * |      Port       |      Port       |
 * +--------+--------+--------+--------+
 * |     Length      |    Checksum     |
 * +--------+--------+--------+--------+
 * |          data octets ...
 */
static void
udp_dissect(PeelReader *rd, PeelPacket *pkt)
{
    const PeelReader dgram = *rd;
    /* What the network layer says the datagram may span. */
    uint32_t ip_len = peel_reader_remaining(rd);

    uint16_t sport = peel_add_u16(pkt, rd, F_SRCPORT);
    int32_t sp = peel_last(pkt);
    uint16_t dport = peel_add_u16(pkt, rd, F_DSTPORT);
    int32_t dp = peel_last(pkt);
    if (!peel_reader_ok(rd))
        return;
    peel_add_hidden(pkt, F_PORT, sp);
    peel_add_hidden(pkt, F_PORT, dp);
    pkt->src_port = sport;
    pkt->dst_port = dport;
    peel_set_text(
            pkt, pkt->parent, "User Datagram Protocol, Src Port: %u, Dst Port: %u", sport, dport);

    if (pkt->in_error) {
        /* A quoted header: usually exactly these 8 bytes. Lengths mean nothing here. */
        if (peel_reader_captured(rd) < 2)
            return;
        peel_add_u16(pkt, rd, F_LENGTH);
        if (peel_reader_captured(rd) < 2)
            return;
        udp_add_checksum(pkt, rd, &dgram, 0, false);
        /* Whatever of the payload was quoted is shown, as tshark does; it is not handed on
         * (peel_next_port refuses quoted packets). */
        uint32_t quoted = peel_reader_captured(rd);
        if (quoted > 0) {
            peel_add_bytes(pkt, rd, F_PAYLOAD, quoted);
            peel_set_text(
                    pkt, peel_last(pkt), "UDP payload (%u byte%s)", quoted, quoted == 1 ? "" : "s");
        }
        return;
    }

    peel_info_clear(pkt); /* then direct appends, no format parsing: every datagram */
    peel_info_append_uint(pkt, sport);
    peel_info_append_str(pkt, " " UTF8_RIGHTWARDS_ARROW " ");
    peel_info_append_uint(pkt, dport);
    uint32_t ulen = peel_add_u16(pkt, rd, F_LENGTH);
    int32_t li = peel_last(pkt);
    if (!peel_reader_ok(rd))
        return;
    bool jumbo = false;
    if (ulen == 0 && pkt->net_src.type == PEEL_AT_IPV6) {
        /* RFC 2675 4: over IPv6 a zero length means the datagram is as long as the
         * (jumbo) payload; one that fits in 16 bits should have said so. */
        jumbo = true;
        if (ip_len < 65536)
            peel_expert(pkt, li, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                    "Length is zero but payload < 65536");
        ulen = ip_len;
    } else if (ulen < UDP_HDR) {
        peel_set_text(pkt, li, "Length: %u (bogus, must be >= %u)", ulen, UDP_HDR);
        peel_expert(pkt, li, PEEL_SEV_ERROR, PEEL_GROUP_MALFORMED, "Bad length value %u < %u", ulen,
                UDP_HDR);
        peel_info_append(pkt, " [BAD UDP LENGTH %u < %u]", ulen, UDP_HDR);
        return;
    } else if (ulen > ip_len) {
        peel_set_text(pkt, li, "Length: %u (bogus, payload length %u)", ulen, ip_len);
        peel_expert(pkt, li, PEEL_SEV_ERROR, PEEL_GROUP_MALFORMED,
                "Bad length value %u > IP payload length", ulen);
        peel_info_append(pkt, " [BAD UDP LENGTH %u > IP PAYLOAD LENGTH]", ulen);
    }
    peel_info_append_str(pkt, " Len=");
    peel_info_append_uint(pkt, ulen - UDP_HDR);
    bool length_ok = ulen <= ip_len;

    udp_add_checksum(pkt, rd, &dgram, ulen, length_ok);
    if (jumbo)
        peel_info_append_str(pkt, " [Jumbogram]");
    if (!peel_reader_ok(rd))
        return;
    uint32_t stream = 0;
    bool have_stream = false;
    if (pkt->revisit) {
        have_stream = peel_record_get(pkt, 0, &stream, sizeof stream);
    } else {
        PeelFlow *flow = peel_packet_flow(pkt, 17);
        if (flow != NULL) {
            stream = flow->id;
            have_stream = true;
            peel_record_put(pkt, 0, &stream, sizeof stream);
        }
    }
    if (have_stream)
        peel_add_uint_value(pkt, F_STREAM, stream);

    /* udp.payload shows every byte after the header, as Wireshark's does; what is handed on
     * stops where the UDP length says the datagram ends. */
    PeelReader bytes = *rd;
    uint32_t held = peel_reader_captured(rd);
    PeelReader payload = peel_reader_rest(rd);
    if (length_ok)
        peel_reader_limit(&payload, ulen - UDP_HDR);
    uint32_t shown = peel_reader_captured(&payload);
    if (peel_reader_remaining(&bytes) > 0) {
        peel_add_bytes(pkt, &bytes, F_PAYLOAD, held);
        peel_set_text(pkt, peel_last(pkt), "UDP payload (%u byte%s)", shown, shown == 1 ? "" : "s");
    }
    if (have_stream && peel_tap_wanted(pkt)) {
        uint32_t got = 0;
        PeelStreamChunk chunk = { .ip_proto = 17, .stream = stream, .dir = pkt->flow_dir,
            .flow = pkt->flow, .frame = pkt->frame->number, .ts = pkt->frame->ts };
        chunk.data = peel_reader_peek_bytes(&payload, 0, shown, &got);
        chunk.len = got;
        peel_tap_stream(pkt, &chunk);
    }
    peel_next_port(pkt, &payload, PEEL_TABLE_UDP_PORT, sport, dport);
}

static const PeelFieldNeed udp_needs[] = { { F_PORT, F_SRCPORT }, { F_PORT, F_DSTPORT } };

const PeelProto peel_proto_udp = {
    .field_needs = udp_needs,
    .n_field_needs = G_N_ELEMENTS(udp_needs),
    .name = "udp",
    .title = "User Datagram Protocol",
    .short_name = "UDP",
    .fields = udp_fields,
    .n_fields = N_F,
    .dissect = udp_dissect,
    .handoffs = { { PEEL_TABLE_IP_PROTO, 17 } },
};
