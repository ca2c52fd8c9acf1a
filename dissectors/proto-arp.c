/* proto-arp.c: the Address Resolution Protocol (RFC 826) and its reverse, inverse and
 * dynamic-reverse forms (RFC 903, RFC 2390, RFC 1931), as Wireshark's arp dissector shows
 * them, with its gratuitous, probe and announcement detection (RFC 5227). */
#include "dissect.h"

#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "proto-link.h"

enum {
    F_HW_TYPE,
    F_PROTO_TYPE,
    F_HW_SIZE,
    F_PROTO_SIZE,
    F_OPCODE,
    F_ISGRATUITOUS,
    F_ISPROBE,
    F_ISANNOUNCEMENT,
    F_SRC_HW,
    F_SRC_HW_MAC,
    F_SRC_PROTO,
    F_SRC_PROTO_IPV4,
    F_DST_HW,
    F_DST_HW_MAC,
    F_DST_PROTO,
    F_DST_PROTO_IPV4,
    F_DRARP_ERROR,
    N_F
};

const PeelValueName peel_link_arphrd_names[] = {
    { 0, "NET/ROM pseudo" },
    { 1, "Ethernet" },
    { 2, "Experimental Ethernet" },
    { 3, "AX.25" },
    { 4, "ProNET" },
    { 5, "Chaos" },
    { 6, "IEEE 802" },
    { 7, "ARCNET" },
    { 8, "Hyperchannel" },
    { 9, "Lanstar" },
    { 10, "Autonet Short Address" },
    { 11, "Localtalk" },
    { 12, "LocalNet" },
    { 13, "Ultra link" },
    { 14, "SMDS" },
    { 15, "Frame Relay DLCI" },
    { 16, "ATM" },
    { 17, "HDLC" },
    { 18, "Fibre Channel" },
    { 19, "ATM (RFC 2225)" },
    { 20, "Serial Line" },
    { 21, "ATM" },
    { 22, "MIL-STD-188-220" },
    { 23, "Metricom STRIP" },
    { 24, "IEEE 1394.1995" },
    { 25, "MAPOS" },
    { 26, "Twinaxial" },
    { 27, "EUI-64" },
    { 28, "HIPARP" },
    { 29, "IP and ARP over ISO 7816-3" },
    { 30, "ARPSec" },
    { 31, "IPsec tunnel" },
    { 32, "InfiniBand" },
    { 33, "TIA-102 Project 25 CAI" },
    { 34, "Wiegand Interface" },
    { 35, "Pure IP" },
    { 36, "Experimental 1" },
    { 37, "HFI" },
    { 256, "Experimental 2" },
    { 257, "AEthernet" },
    { 260, "Notional KISS type" },
    { 264, "ADAPT" },
    { 270, "ROSE" },
    { 271, "CCITT X.25" },
    { 272, "Boards with X.25 in firmware" },
    { 280, "Controller Area Network" },
    { 512, "PPP" },
    { 513, "Cisco HDLC" },
    { 516, "LAPB" },
    { 517, "Digital's DDCMP protocol" },
    { 518, "Raw HDLC" },
    { 519, "Raw IP" },
    { 768, "IPIP tunnel" },
    { 769, "IP6IP6 tunnel" },
    { 770, "Frame Relay Access Device" },
    { 771, "SKIP vif" },
    { 772, "Loopback" },
    { 774, "Fiber Distributed Data Interface" },
    { 775, "AP1000 BIF" },
    { 776, "sit0 device - IPv6-in-IPv4" },
    { 777, "IP over DDP tunneller" },
    { 778, "GRE over IP" },
    { 779, "PIMSM register interface" },
    { 780, "High Performance Parallel Interface" },
    { 781, "Nexus 64Mbps Ash" },
    { 782, "Acorn Econet" },
    { 783, "Linux-IrDA" },
    { 784, "Point to point fibrechannel" },
    { 785, "Fibrechannel arbitrated loop" },
    { 786, "Fibrechannel public loop" },
    { 787, "Fibrechannel fabric" },
    { 800, "Magic type ident for TR" },
    { 801, "IEEE 802.11" },
    { 802, "IEEE 802.11 + Prism2 header" },
    { 803, "IEEE 802.11 + radiotap header" },
    { 804, "IEEE 802.15.4" },
    { 805, "IEEE 802.15.4 network monitor" },
    { 820, "PhoNet media type" },
    { 821, "PhoNet pipe header" },
    { 822, "CAIF media type" },
    { 823, "GRE over IPv6" },
    { 824, "Netlink" },
    { 825, "IPv6 over LoWPAN" },
    { 826, "Vsock monitor header" },
    { 65534, "zero header length" },
    { 65535, "Void type, nothing is known" },
    { 0, NULL },
};

static const PeelValueName arp_opcode_names[] = {
    { 0, "reserved" },
    { 1, "request" },
    { 2, "reply" },
    { 3, "reverse request" },
    { 4, "reverse reply" },
    { 5, "drarp request" },
    { 6, "drarp reply" },
    { 7, "drarp error" },
    { 8, "inverse request" },
    { 9, "inverse reply" },
    { 10, "arp nak" },
    { 11, "mars request" },
    { 12, "mars multi" },
    { 13, "mars mserv" },
    { 14, "mars join" },
    { 15, "mars leave" },
    { 16, "mars nak" },
    { 17, "mars unserv" },
    { 18, "mars sjoin" },
    { 19, "mars sleave" },
    { 20, "mars grouplist request" },
    { 21, "mars grouplist reply" },
    { 22, "mars redirect map" },
    { 23, "mapos unarp" },
    { 24, "experimental 1" },
    { 25, "experimental 2" },
    { 65535, "reserved" },
    { 0, NULL },
};

static const PeelValueName arp_drarp_status_names[] = {
    { 1, "restricted" },
    { 2, "no address" },
    { 3, "serverdown" },
    { 4, "moved" },
    { 5, "failure" },
    { 0, NULL },
};

static const PeelFieldDef arp_fields[N_F] = {
    [F_HW_TYPE] = { "arp.hw.type", "Hardware type", PEEL_FT_U16, PEEL_SHOW_DEC,
            peel_link_arphrd_names },
    [F_PROTO_TYPE] = { "arp.proto.type", "Protocol type", PEEL_FT_U16, PEEL_SHOW_HEX,
            peel_link_etype_names },
    [F_HW_SIZE] = { "arp.hw.size", "Hardware size", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_PROTO_SIZE] = { "arp.proto.size", "Protocol size", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_OPCODE] = { "arp.opcode", "Opcode", PEEL_FT_U16, PEEL_SHOW_DEC, arp_opcode_names },
    [F_ISGRATUITOUS] = { "arp.isgratuitous", "Is gratuitous", PEEL_FT_BOOLEAN },
    [F_ISPROBE] = { "arp.isprobe", "Is probe", PEEL_FT_BOOLEAN },
    [F_ISANNOUNCEMENT] = { "arp.isannouncement", "Is announcement", PEEL_FT_BOOLEAN },
    [F_SRC_HW] = { "arp.src.hw", "Sender hardware address", PEEL_FT_BYTES },
    [F_SRC_HW_MAC] = { "arp.src.hw_mac", "Sender MAC address", PEEL_FT_ETHER },
    [F_SRC_PROTO] = { "arp.src.proto", "Sender protocol address", PEEL_FT_BYTES },
    [F_SRC_PROTO_IPV4] = { "arp.src.proto_ipv4", "Sender IP address", PEEL_FT_IPV4 },
    [F_DST_HW] = { "arp.dst.hw", "Target hardware address", PEEL_FT_BYTES },
    [F_DST_HW_MAC] = { "arp.dst.hw_mac", "Target MAC address", PEEL_FT_ETHER },
    [F_DST_PROTO] = { "arp.dst.proto", "Target protocol address", PEEL_FT_BYTES },
    [F_DST_PROTO_IPV4] = { "arp.dst.proto_ipv4", "Target IP address", PEEL_FT_IPV4 },
    [F_DRARP_ERROR] = { "arp.dst.drarp_error_status", "DRARP error status", PEEL_FT_U16,
            PEEL_SHOW_DEC, arp_drarp_status_names },
};

#define ARP_HEADER_LEN 8
#define ARPHRD_ETHER   1
#define ARPHRD_IEEE802 6
#define ETHERTYPE_IP   0x0800
#define AX25_P_IP      0xcc

enum {
    ARPOP_REQUEST = 1,
    ARPOP_REPLY = 2,
    ARPOP_RREQUEST = 3,
    ARPOP_RREPLY = 4,
    ARPOP_DRARPREQUEST = 5,
    ARPOP_DRARPREPLY = 6,
    ARPOP_DRARPERROR = 7,
    ARPOP_IREQUEST = 8,
    ARPOP_IREPLY = 9,
    ATMARPOP_NAK = 10,
    ARPOP_MARS_REQUEST = 11,
    ARPOP_MARS_REDIRECT_MAP = 22,
    ARPOP_MAPOS_UNARP = 23,
    ARPOP_EXP1 = 24,
    ARPOP_EXP2 = 25,
};

static bool
arp_hw_is_ether(uint16_t hrd, uint8_t hln)
{
    return (hrd == ARPHRD_ETHER || hrd == ARPHRD_IEEE802) && hln == 6;
}

static bool
arp_pro_is_ipv4(uint16_t pro, uint8_t pln)
{
    return (pro == ETHERTYPE_IP || pro == AX25_P_IP) && pln == 4;
}

static const char *
arp_hex(PeelPacket *pkt, const uint8_t *p, uint32_t n)
{
    char *s = peel_arena_alloc(pkt->arena, 2 * (size_t)n + 1);
    if (s == NULL)
        return "";
    for (uint32_t i = 0; i < n; i++)
        peel_snprintf(s + 2 * i, 3, "%02x", p[i]);
    s[2 * n] = '\0';
    return s;
}

/* Hardware and protocol addresses as Wireshark's Info column writes them. */
static const char *
arp_hw_str(PeelPacket *pkt, const uint8_t *p, uint8_t len, uint16_t hrd)
{
    if (len == 0)
        return "<No address>";
    if (arp_hw_is_ether(hrd, len))
        return peel_arena_printf(
                pkt->arena, "%02x:%02x:%02x:%02x:%02x:%02x", p[0], p[1], p[2], p[3], p[4], p[5]);
    return arp_hex(pkt, p, len);
}

static const char *
arp_proto_str(PeelPacket *pkt, const uint8_t *p, uint8_t len, uint16_t pro)
{
    if (len == 0)
        return "<No address>";
    if (arp_pro_is_ipv4(pro, len))
        return peel_arena_printf(pkt->arena, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
    return arp_hex(pkt, p, len);
}

static const char *
arp_column(uint16_t op)
{
    switch (op) {
    case ARPOP_RREQUEST:
    case ARPOP_RREPLY:
        return "RARP";
    case ARPOP_DRARPREQUEST:
    case ARPOP_DRARPREPLY:
    case ARPOP_DRARPERROR:
        return "DRARP";
    case ARPOP_IREQUEST:
    case ARPOP_IREPLY:
        return "Inverse ARP";
    case ARPOP_MAPOS_UNARP:
        return "MAPOS";
    default:
        return op >= ARPOP_MARS_REQUEST && op <= ARPOP_MARS_REDIRECT_MAP ? "MARS" : "ARP";
    }
}

typedef struct {
    uint16_t hrd, pro, op;
    uint8_t hln, pln;
    const uint8_t *sha, *spa, *tha, *tpa; /* into the packet, all held */
    bool gratuitous, probe, announcement;
} ArpMsg;

static void
arp_info(PeelPacket *pkt, const ArpMsg *m)
{
    const char *sha = arp_hw_str(pkt, m->sha, m->hln, m->hrd);
    const char *tha = arp_hw_str(pkt, m->tha, m->hln, m->hrd);
    const char *spa = arp_proto_str(pkt, m->spa, m->pln, m->pro);
    const char *tpa = arp_proto_str(pkt, m->tpa, m->pln, m->pro);
    static const char *const mars[] = { "MARS request from", "MARS MULTI request from",
        "MARS MSERV request from", "MARS JOIN request from", "MARS LEAVE from", "MARS NAK from",
        "MARS UNSERV request from", "MARS SJOIN request from", "MARS SLEAVE from",
        "MARS grouplist request from", "MARS grouplist reply from", "MARS redirect map from" };
    switch (m->op) {
    case ARPOP_REQUEST:
        if (m->announcement)
            peel_info_set(pkt, "ARP Announcement for %s", tpa);
        else if (m->gratuitous)
            peel_info_set(pkt, "Gratuitous ARP for %s (Request)", tpa);
        else if (m->probe)
            peel_info_set(pkt, "Who has %s? (ARP Probe)", tpa);
        else
            peel_info_set(pkt, "Who has %s? Tell %s", tpa, spa);
        break;
    case ARPOP_REPLY:
        if (m->gratuitous)
            peel_info_set(pkt, "Gratuitous ARP for %s (Reply)", spa);
        else
            peel_info_set(pkt, "%s is at %s", spa, sha);
        break;
    case ARPOP_RREQUEST:
    case ARPOP_IREQUEST:
    case ARPOP_DRARPREQUEST:
        peel_info_set(pkt, "Who is %s? Tell %s", tha, sha);
        break;
    case ARPOP_RREPLY:
    case ARPOP_DRARPREPLY:
        peel_info_set(pkt, "%s is at %s", tha, tpa);
        break;
    case ARPOP_DRARPERROR:
        peel_info_set(pkt, "DRARP Error");
        break;
    case ARPOP_IREPLY:
        peel_info_set(pkt, "%s is at %s", sha, spa);
        break;
    case ATMARPOP_NAK:
        peel_info_set(pkt, "ARP NAK");
        break;
    case ARPOP_MAPOS_UNARP:
        peel_info_set(pkt, "MAPOS UNARP request from %s at %s", sha, spa);
        break;
    case ARPOP_EXP1:
        peel_info_set(pkt, "Experimental 1 ( opcode %d )", m->op);
        break;
    case ARPOP_EXP2:
        peel_info_set(pkt, "Experimental 2 ( opcode %d )", m->op);
        break;
    case 0:
    case 65535:
        peel_info_set(pkt, "Reserved opcode %d", m->op);
        break;
    default:
        if (m->op >= ARPOP_MARS_REQUEST && m->op <= ARPOP_MARS_REDIRECT_MAP)
            peel_info_set(pkt, "%s %s at %s", mars[m->op - ARPOP_MARS_REQUEST], sha, spa);
        else
            peel_info_set(pkt, "Unknown ARP opcode 0x%04x", m->op);
        break;
    }
}

static void
arp_label(PeelPacket *pkt, int32_t self, const ArpMsg *m)
{
    const char *op = peel_value_name(arp_opcode_names, m->op);
    if (op == NULL) {
        peel_set_text(pkt, self, "Address Resolution Protocol (opcode 0x%04x)", m->op);
        return;
    }
    if (m->gratuitous && m->op == ARPOP_REQUEST)
        op = "request/gratuitous ARP";
    if (m->gratuitous && m->op == ARPOP_REPLY)
        op = "reply/gratuitous ARP";
    if (m->probe)
        op = "ARP Probe";
    if (m->announcement)
        op = "ARP Announcement";
    peel_set_text(pkt, self, "Address Resolution Protocol (%s)", op);
}

/* RFC 5227: a gratuitous ARP names the same protocol address as sender and target; a
 * request for it with an all-zero target MAC announces it; a request from 0.0.0.0 with an
 * all-zero target MAC probes for it. The six target octets must lie inside the message. */
static void
arp_classify(ArpMsg *m, uint32_t body_len)
{
    static const uint8_t zeros[6];
    if (m->op != ARPOP_REQUEST && m->op != ARPOP_REPLY)
        return;
    uint32_t tha_off = (uint32_t)m->hln + m->pln;
    bool tha_zero = tha_off + 6 <= body_len && memcmp(m->tha, zeros, 6) == 0;
    if (m->pln > 0 && memcmp(m->spa, m->tpa, m->pln) == 0) {
        m->gratuitous = true;
        m->announcement = m->op == ARPOP_REQUEST && tha_zero;
    } else {
        m->probe = m->op == ARPOP_REQUEST && tha_zero && (uint32_t)m->hln + 4 <= body_len &&
                   memcmp(m->spa, zeros, 4) == 0;
    }
}

/*
 * +-------------------------------+-------------------------------+
 * |        Hardware type          |        Protocol type          |
 * +---------------+---------------+-------------------------------+
 * | HW addr len   | Proto addr len|          Opcode               |
 * +---------------+---------------+-------------------------------+
 * | sender HW addr | sender proto addr | target HW addr | target proto addr
 * +----------------------------------------------------------------
 */
static void
arp_dissect(PeelReader *rd, PeelPacket *pkt)
{
    int32_t self = pkt->parent;
    peel_info_clear(pkt);
    ArpMsg m = { 0 };
    m.hrd = peel_add_u16(pkt, rd, F_HW_TYPE);
    if (!peel_reader_ok(rd))
        return;
    m.pro = peel_add_u16(pkt, rd, F_PROTO_TYPE);
    if (!peel_reader_ok(rd))
        return;
    m.hln = peel_add_u8(pkt, rd, F_HW_SIZE);
    if (!peel_reader_ok(rd))
        return;
    m.pln = peel_add_u8(pkt, rd, F_PROTO_SIZE);
    if (!peel_reader_ok(rd))
        return;
    m.op = peel_add_u16(pkt, rd, F_OPCODE);
    if (!peel_reader_ok(rd))
        return;
    pkt->col_protocol = arp_column(m.op);

    /* The message ends after its four addresses; what follows is the link layer's padding. */
    uint32_t body_len = 2 * (uint32_t)m.hln + 2 * (uint32_t)m.pln;
    peel_set_length(pkt, self, ARP_HEADER_LEN + body_len);
    peel_reader_limit(rd, body_len);
    uint32_t got = 0;
    const uint8_t *body = peel_reader_peek_bytes(rd, 0, body_len, &got);
    if (got == body_len && peel_reader_remaining(rd) >= body_len) {
        m.sha = body;
        m.spa = m.sha + m.hln;
        m.tha = m.spa + m.pln;
        m.tpa = m.tha + m.hln;
        arp_classify(&m, body_len);
        arp_info(pkt, &m);
        arp_label(pkt, self, &m);
    }
    if (m.gratuitous)
        peel_add_bool_value(pkt, F_ISGRATUITOUS, true);
    if (m.probe)
        peel_add_bool_value(pkt, F_ISPROBE, true);
    if (m.announcement)
        peel_add_bool_value(pkt, F_ISANNOUNCEMENT, true);

    bool ether = arp_hw_is_ether(m.hrd, m.hln);
    bool ipv4 = arp_pro_is_ipv4(m.pro, m.pln);
    if (m.hln != 0) {
        if (ether)
            peel_add_ether(pkt, rd, F_SRC_HW_MAC);
        else
            peel_add_bytes(pkt, rd, F_SRC_HW, m.hln);
        if (!peel_reader_ok(rd))
            return;
    }
    if (m.pln != 0) {
        if (ipv4)
            peel_add_ipv4(pkt, rd, F_SRC_PROTO_IPV4);
        else
            peel_add_bytes(pkt, rd, F_SRC_PROTO, m.pln);
        if (!peel_reader_ok(rd))
            return;
    }
    if (m.hln != 0) {
        if (ether)
            peel_add_ether(pkt, rd, F_DST_HW_MAC);
        else
            peel_add_bytes(pkt, rd, F_DST_HW, m.hln);
        if (!peel_reader_ok(rd))
            return;
    }
    if (m.pln != 0) {
        if (m.op == ARPOP_DRARPERROR) {
            /* RFC 1931: the first octet of the target protocol address is the error. */
            peel_add_u8(pkt, rd, F_DRARP_ERROR);
        } else if (ipv4) {
            peel_add_ipv4(pkt, rd, F_DST_PROTO_IPV4);
        } else {
            peel_add_bytes(pkt, rd, F_DST_PROTO, m.pln);
        }
    }
}

const PeelProto peel_proto_arp = {
    .name = "arp",
    .title = "Address Resolution Protocol",
    .short_name = "ARP",
    .fields = arp_fields,
    .n_fields = N_F,
    .dissect = arp_dissect,
    .handoffs = { { PEEL_TABLE_ETHERTYPE, 0x0806 }, { PEEL_TABLE_ETHERTYPE, 0x8035 } },
};
