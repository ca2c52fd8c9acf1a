/* proto-null.c: BSD loopback encapsulation, LINKTYPE_NULL (address family in the capturing
 * host's byte order) and LINKTYPE_LOOP (network byte order), as Wireshark decodes them
 * (https://www.tcpdump.org/linktypes/LINKTYPE_NULL.html). */
#include "dissect.h"

#include "linktype.h"
#include "proto-link.h"
#include "protos.h"

enum { F_TYPE, F_FAMILY, N_F };

static const PeelValueName null_family_names[] = {
    { 2, "IP" },
    { 7, "OSI" },
    { 16, "Appletalk" },
    { 23, "Netware IPX/SPX" },
    { 24, "IPv6" },
    { 28, "IPv6" },
    { 30, "IPv6" },
    { 0, NULL },
};

static const PeelFieldDef null_fields[N_F] = {
    [F_TYPE] = { "null.type", "Type", PEEL_FT_U16, PEEL_SHOW_HEX, peel_link_etype_names },
    [F_FAMILY] = { "null.family", "Family", PEEL_FT_U32, PEEL_SHOW_DEC, null_family_names },
};

#define NULL_HEADER_LEN      4
#define IEEE_802_3_MAX_LEN   1500
#define BSD_AF_INET          2
#define BSD_AF_INET6_BSD     24 /* NetBSD, OpenBSD, BSD/OS */
#define BSD_AF_INET6_FREEBSD 28 /* FreeBSD, DragonFly */
#define BSD_AF_INET6_DARWIN  30 /* macOS, iOS */

/* The DLT_NULL header as Wireshark reads it on a little-endian host (where tshark runs and
 * the reference decodes were made): the family in either byte order, IRIX/UNICOS 16-bit
 * families in either half, or an old Linux ethertype. The value above 1500 is an
 * ethertype, otherwise a BSD address family. */
static uint32_t
null_header_value(uint32_t h)
{
    if ((h & 0xffff0000u) != 0) {
        if ((h & 0xff000000u) == 0 && (h & 0x00ff0000u) < 0x00060000u)
            return h >> 16; /* IRIX or UNICOS/mp: 16-bit family in the upper half */
        return (h >> 24) | ((h >> 8) & 0xff00u) | ((h << 8) & 0xff0000u) | (h << 24);
    }
    if ((h & 0x000000ffu) == 0 && (h & 0x0000ff00u) < 0x00000600u)
        return ((h >> 8) & 0xffu) | ((h & 0xffu) << 8); /* IRIX, other byte order */
    return h;
}

static void
null_by_family(PeelPacket *pkt, PeelReader *rd, uint32_t family)
{
    PeelReader rest = peel_reader_rest(rd);
    switch (family) {
    case BSD_AF_INET:
        peel_link_next_proto(pkt, &rest, &peel_proto_ip);
        break;
    case BSD_AF_INET6_BSD:
    case BSD_AF_INET6_FREEBSD:
    case BSD_AF_INET6_DARWIN:
        peel_link_next_proto(pkt, &rest, &peel_proto_ipv6);
        break;
    default:
        peel_link_next_proto(pkt, &rest, NULL); /* OSI, AppleTalk, IPX: not decoded by peel */
        break;
    }
}

/*
 * +---------------------------------------------------------------+
 * |   Address family (LINKTYPE_NULL: capturing host's byte order;  |
 * |                   LINKTYPE_LOOP: network byte order)           |
 * +---------------------------------------------------------------+
 */
static void
null_dissect(PeelReader *rd, PeelPacket *pkt)
{
    int32_t self = pkt->parent;
    peel_set_length(pkt, self, NULL_HEADER_LEN);
    peel_info_set(pkt, "Null/Loopback");
    bool loop = pkt->frame->linktype == PEEL_LINKTYPE_LOOP;
    if (!loop && peel_reader_captured(rd) >= 2 && peel_reader_peek_u16be(rd, 0) == 0xff03) {
        /* PPP in HDLC-like framing (FreeBSD ISDN): not decoded by peel. */
        PeelReader rest = peel_reader_rest(rd);
        peel_link_next_proto(pkt, &rest, NULL);
        return;
    }
    if (peel_reader_captured(rd) < NULL_HEADER_LEN || peel_reader_remaining(rd) < NULL_HEADER_LEN) {
        peel_add_u32(pkt, rd, F_FAMILY); /* flags where the capture or the packet ends */
        return;
    }
    if (loop) {
        uint32_t family = peel_add_u32(pkt, rd, F_FAMILY);
        null_by_family(pkt, rd, family);
        return;
    }
    PeelReader at = *rd;
    uint32_t value = null_header_value(peel_reader_peek_u32le(rd, 0));
    peel_reader_skip(rd, NULL_HEADER_LEN);
    if (value > IEEE_802_3_MAX_LEN) {
        peel_link_add_value_at(pkt, &at, F_TYPE, NULL_HEADER_LEN, (uint16_t)value);
        PeelReader rest = peel_reader_rest(rd);
        peel_link_next_etype(pkt, &rest, (uint16_t)value);
        return;
    }
    peel_link_add_value_at(pkt, &at, F_FAMILY, NULL_HEADER_LEN, value);
    null_by_family(pkt, rd, value);
}

const PeelProto peel_proto_null = {
    .name = "null",
    .title = "Null/Loopback",
    .short_name = "N/A",
    .fields = null_fields,
    .n_fields = N_F,
    .dissect = null_dissect,
    .handoffs = { { PEEL_TABLE_LINKTYPE, PEEL_LINKTYPE_NULL },
            { PEEL_TABLE_LINKTYPE, PEEL_LINKTYPE_LOOP } },
};
