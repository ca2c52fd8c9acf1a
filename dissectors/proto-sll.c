/* proto-sll.c: Linux "cooked" capture headers, LINKTYPE_LINUX_SLL and LINKTYPE_LINUX_SLL2
 * (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html and _SLL2.html), one protocol
 * "sll" for both as in Wireshark. */
#include "dissect.h"

#include "linktype.h"
#include "proto-link.h"
#include "protos.h"

enum {
    F_PKTTYPE,
    F_HATYPE,
    F_HALEN,
    F_SRC_ETH,
    F_SRC_IPV4,
    F_SRC_OTHER,
    F_UNUSED,
    F_LTYPE,
    F_GRETYPE,
    F_ETYPE,
    F_TRAILER,
    F_IFINDEX,
    N_F
};

static const PeelValueName sll_pkttype_names[] = {
    { 0, "Unicast to us" },
    { 1, "Broadcast" },
    { 2, "Multicast" },
    { 3, "Unicast to another host" },
    { 4, "Sent by us" },
    { 0, NULL },
};

/* Linux-internal protocol numbers (<linux/if_ether.h> ETH_P_*) below 1536. */
static const PeelValueName sll_ltype_names[] = {
    { 0x0001, "Raw 802.3" },
    { 0x0003, "Ethernet" },
    { 0x0004, "802.2 LLC" },
    { 0x0007, "PPP (HDLC)" },
    { 0x000c, "CAN" },
    { 0x000d, "CAN FD" },
    { 0x0017, "IrDA LAP" },
    { 0x00f5, "ISI" },
    { 0x00f6, "IEEE 802.15.4" },
    { 0, NULL },
};

static const PeelFieldDef sll_fields[N_F] = {
    [F_PKTTYPE] = { "sll.pkttype", "Packet type", PEEL_FT_U16, PEEL_SHOW_DEC, sll_pkttype_names },
    [F_HATYPE] = { "sll.hatype", "Link-layer address type", PEEL_FT_U16, PEEL_SHOW_DEC,
            peel_link_arphrd_names },
    [F_HALEN] = { "sll.halen", "Link-layer address length", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_SRC_ETH] = { "sll.src.eth", "Source", PEEL_FT_ETHER },
    [F_SRC_IPV4] = { "sll.src.ipv4", "Source", PEEL_FT_IPV4 },
    [F_SRC_OTHER] = { "sll.src.other", "Source", PEEL_FT_BYTES },
    [F_UNUSED] = { "sll.unused", "Unused", PEEL_FT_BYTES },
    [F_LTYPE] = { "sll.ltype", "Protocol", PEEL_FT_U16, PEEL_SHOW_HEX, sll_ltype_names },
    [F_GRETYPE] = { "sll.gretype", "Protocol", PEEL_FT_U16, PEEL_SHOW_HEX },
    [F_ETYPE] = { "sll.etype", "Protocol", PEEL_FT_U16, PEEL_SHOW_HEX, peel_link_etype_names },
    [F_TRAILER] = { "sll.trailer", "Trailer", PEEL_FT_BYTES },
    [F_IFINDEX] = { "sll.ifindex", "Interface index", PEEL_FT_U32, PEEL_SHOW_DEC },
};

#define SLL_HEADER_LEN       16
#define SLL2_HEADER_LEN      20
#define SLL_ADDRLEN          8
#define SLL_MAX_LTYPE        1536 /* yes, 1536: Linux's own numbers run up to it */
#define LINUX_SLL_P_ETHERNET 0x0003
#define LINUX_SLL_P_802_2    0x0004
#define ARPHRD_IPGRE         778
#define ARPHRD_NETLINK       824

/* The link-layer address length and the 8-byte address field: Ethernet, IPv4 or other
 * bytes, and the unused rest. Sets the source column address. */
static bool
sll_address(PeelPacket *pkt, PeelReader *rd, bool v2)
{
    uint32_t halen = v2 ? peel_add_u8(pkt, rd, F_HALEN) : peel_add_u16(pkt, rd, F_HALEN);
    if (!peel_reader_ok(rd))
        return false;
    PeelReader addr = peel_reader_take(rd, SLL_ADDRLEN);
    switch (halen) {
    case 4: {
        uint32_t a = peel_add_ipv4(pkt, &addr, F_SRC_IPV4);
        if (!peel_reader_ok(&addr))
            return false;
        pkt->dl_src.type = PEEL_AT_IPV4;
        for (int i = 0; i < 4; i++)
            pkt->dl_src.bytes[i] = (uint8_t)(a >> (24 - 8 * i));
        break;
    }
    case 6: {
        const uint8_t *a = peel_add_ether(pkt, &addr, F_SRC_ETH);
        if (a == NULL)
            return false;
        pkt->dl_src.type = PEEL_AT_ETHER;
        for (int i = 0; i < 6; i++)
            pkt->dl_src.bytes[i] = a[i];
        break;
    }
    case 0:
        break;
    default:
        peel_add_bytes(pkt, &addr, F_SRC_OTHER, halen > SLL_ADDRLEN ? SLL_ADDRLEN : halen);
        break;
    }
    if (halen < SLL_ADDRLEN)
        peel_add_bytes(pkt, &addr, F_UNUSED, SLL_ADDRLEN - halen);
    if (!peel_reader_ok(&addr))
        return false;
    pkt->dl_dst.type = PEEL_AT_NONE;
    peel_set_addrs(pkt, &pkt->dl_src, &pkt->dl_dst);
    return true;
}

/* The protocol field: a Linux protocol number, a GRE protocol type on GRE devices, or an
 * ethertype. */
static uint16_t
sll_protocol(PeelPacket *pkt, PeelReader *rd, uint16_t hatype)
{
    uint16_t protocol = peel_reader_peek_u16be(rd, 0);
    uint32_t f = protocol <= SLL_MAX_LTYPE ? F_LTYPE : hatype == ARPHRD_IPGRE ? F_GRETYPE : F_ETYPE;
    return peel_add_u16(pkt, rd, f);
}

static void
sll_payload(PeelPacket *pkt, PeelReader *rd, uint16_t hatype, uint16_t protocol)
{
    if (protocol > SLL_MAX_LTYPE) {
        if (hatype == ARPHRD_IPGRE) {
            PeelReader rest = peel_reader_rest(rd);
            peel_link_next_etype(pkt, &rest, protocol);
            return;
        }
        PeelLinkTrailer tr = { F_TRAILER, 0, 0 };
        peel_link_ethertype(pkt, rd, protocol, &tr);
        return;
    }
    PeelReader rest = peel_reader_rest(rd);
    if (protocol == LINUX_SLL_P_ETHERNET)
        peel_link_next_proto(pkt, &rest, &peel_proto_eth);
    else if (protocol == LINUX_SLL_P_802_2)
        peel_link_next_proto(pkt, &rest, &peel_proto_llc);
    else
        peel_link_next_proto(
                pkt, &rest, NULL); /* raw 802.3 (IPX), PPP, CAN, 802.11 ...: not decoded */
}

/*
 * SLL (16 bytes):                          SLL2 (20 bytes):
 * +-------------+-------------+            +-------------+-------------+
 * | packet type | ARPHRD type |            |  protocol   |  reserved   |
 * +-------------+-------------+            +-------------+-------------+
 * | addr length |             |            |     interface index       |
 * +-------------+             |            +-------------+------+------+
 * |     link-layer address    |            | ARPHRD type |pktty.|alen. |
 * |         (8 bytes)         |            +-------------+------+------+
 * |             +-------------+            |     link-layer address    |
 * |             |  protocol   |            |         (8 bytes)         |
 * +-------------+-------------+            +---------------------------+
 */
static void
sll_dissect(PeelReader *rd, PeelPacket *pkt)
{
    int32_t self = pkt->parent;
    bool v2 = pkt->frame->linktype == PEEL_LINKTYPE_LINUX_SLL2;
    uint32_t header = v2 ? SLL2_HEADER_LEN : SLL_HEADER_LEN;
    uint32_t held = peel_reader_captured(rd);
    peel_set_length(pkt, self, held < header ? held : header);
    peel_set_text(pkt, self, "Linux cooked capture v%d", v2 ? 2 : 1);

    bool have_header = held >= header;
    uint16_t pkttype = v2 ? peel_reader_peek_u8(rd, 10) : peel_reader_peek_u16be(rd, 0);
    uint16_t hatype = peel_reader_peek_u16be(rd, v2 ? 8 : 2);
    peel_info_clear(pkt);
    if (have_header) {
        const char *name = peel_value_name(sll_pkttype_names, pkttype);
        if (name != NULL)
            peel_info_set(pkt, "%s", name);
        else
            peel_info_set(pkt, "Unknown (%u)", pkttype);
    }

    uint16_t protocol;
    if (!v2) {
        peel_add_u16(pkt, rd, F_PKTTYPE);
        if (!peel_reader_ok(rd))
            return;
        peel_add_u16(pkt, rd, F_HATYPE);
        if (!peel_reader_ok(rd) || !sll_address(pkt, rd, false))
            return;
        protocol = sll_protocol(pkt, rd, hatype);
        if (!peel_reader_ok(rd))
            return;
    } else {
        protocol = sll_protocol(pkt, rd, hatype);
        if (!peel_reader_ok(rd))
            return;
        /* Reserved, must be zero; Wireshark shows nothing. A capture ending inside it is
         * reported on the interface index that follows. */
        if (peel_reader_captured(rd) >= 2)
            peel_reader_skip(rd, 2);
        peel_add_u32(pkt, rd, F_IFINDEX);
        if (!peel_reader_ok(rd))
            return;
        peel_add_u16(pkt, rd, F_HATYPE);
        if (!peel_reader_ok(rd))
            return;
        peel_add_u8(pkt, rd, F_PKTTYPE);
        if (!peel_reader_ok(rd) || !sll_address(pkt, rd, true))
            return;
    }
    /* Netlink messages (ARPHRD_NETLINK) would go to a netlink dissector, which peel lacks. */
    sll_payload(pkt, rd, hatype, protocol);
}

const PeelProto peel_proto_sll = {
    .name = "sll",
    .title = "Linux cooked-mode capture",
    .short_name = "SLL",
    .fields = sll_fields,
    .n_fields = N_F,
    .dissect = sll_dissect,
    .handoffs = { { PEEL_TABLE_LINKTYPE, PEEL_LINKTYPE_LINUX_SLL },
            { PEEL_TABLE_LINKTYPE, PEEL_LINKTYPE_LINUX_SLL2 } },
};
