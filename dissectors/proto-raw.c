/* proto-raw.c: raw IP link types (LINKTYPE_RAW and the BSD DLT_RAW values 12 and 14): no
 * link header, IPv4 or IPv6 picked by the version nibble, as Wireshark's "raw" dissector.
 * LINKTYPE_IPV4 and LINKTYPE_IPV6 come here too, but Wireshark hands those straight to IP
 * (no "Raw packet data" item, frame.protocols "ip:..."), so for them this layer removes
 * itself and passes the frame on. */
#include "dissect.h"

#include <string.h>

#include "linktype.h"
#include "proto-link.h"
#include "protos.h"

#define RAW_ZEROES 10 /* Linux ISDN: ten zero bytes stand in for a MAC and PPP header */

/* True when the bytes at `off` are the PPP-in-HDLC address and control octets. */
static bool
raw_ppp_at(const PeelReader *rd, uint32_t off)
{
    return peel_reader_captured(rd) >= off + 2 && peel_reader_peek_u16be(rd, off) == 0xff03;
}

/* Takes back the item and the frame.protocols entry the engine added for this layer, which
 * tshark does not show for LINKTYPE_IPV4/IPV6. Only done while nothing follows them. */
static void
raw_withdraw(PeelPacket *pkt)
{
    int32_t self = peel_last(pkt);
    if (self < 0 || pkt->parent != self || pkt->fields[self].id != pkt->field_base)
        return;
    if (pkt->want_protocols) {
        static const char name[] = "raw";
        size_t n = sizeof name - 1;
        if (pkt->protocols_len < n ||
                memcmp(pkt->protocols + pkt->protocols_len - n, name, n) != 0)
            return;
        if (pkt->protocols_len > n && pkt->protocols[pkt->protocols_len - n - 1] == ':')
            n++;
        pkt->protocols_len -= (uint32_t)n;
        pkt->protocols[pkt->protocols_len] = '\0';
    }
    pkt->parent = pkt->fields[self].parent;
    pkt->depth = pkt->fields[self].depth;
    pkt->n_fields--;
    pkt->col_protocol = NULL; /* the frame layer names the link type if IP does not */
}

static void
raw_dissect(PeelReader *rd, PeelPacket *pkt)
{
    int linktype = pkt->frame->linktype;
    if (linktype == PEEL_LINKTYPE_IPV4 || linktype == PEEL_LINKTYPE_IPV6) {
        raw_withdraw(pkt);
        /* By link type, not by version nibble: an IPv6 packet under LINKTYPE_IPV4 is IP's
         * to complain about. */
        peel_next_proto(
                pkt, rd, linktype == PEEL_LINKTYPE_IPV4 ? &peel_proto_ip : &peel_proto_ipv6);
        return;
    }
    peel_info_set(pkt, "Raw packet data");
    /* Linux PPP drivers sometimes leave their header on, after up to six bytes of a fake MAC
     * address; peel does not decode PPP, so such frames are data. */
    if (raw_ppp_at(rd, 0) || raw_ppp_at(rd, 6) || raw_ppp_at(rd, 1)) {
        peel_link_next_proto(pkt, rd, NULL);
        return;
    }
    bool zeroes = peel_reader_captured(rd) >= RAW_ZEROES;
    for (uint32_t i = 0; zeroes && i < RAW_ZEROES; i++)
        zeroes = peel_reader_peek_u8(rd, i) == 0;
    if (zeroes) {
        peel_reader_skip(rd, RAW_ZEROES);
        PeelReader rest = peel_reader_rest(rd);
        peel_link_next_proto(pkt, &rest, &peel_proto_ip);
        return;
    }
    switch (peel_reader_peek_u8(rd, 0) & 0xf0) {
    case 0x40:
        peel_link_next_proto(pkt, rd, &peel_proto_ip);
        break;
    case 0x60:
        peel_link_next_proto(pkt, rd, &peel_proto_ipv6);
        break;
    default:
        peel_link_next_proto(pkt, rd, NULL);
        break;
    }
}

const PeelProto peel_proto_raw = {
    .name = "raw",
    .title = "Raw packet data",
    .short_name = "N/A",
    .dissect = raw_dissect,
    .handoffs = { { PEEL_TABLE_LINKTYPE, PEEL_LINKTYPE_RAW }, { PEEL_TABLE_LINKTYPE, 12 },
            { PEEL_TABLE_LINKTYPE, 14 }, { PEEL_TABLE_LINKTYPE, PEEL_LINKTYPE_IPV4 },
            { PEEL_TABLE_LINKTYPE, PEEL_LINKTYPE_IPV6 } },
};
