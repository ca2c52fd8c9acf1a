/* proto-eth.c: Ethernet II and IEEE 802.3 framing (IEEE 802.3 clause 3), with Wireshark's
 * "ethertype" step (dispatch, then padding, trailer and FCS) shared by VLAN, SLL and LLC. */
#include "dissect.h"

#include <stdio.h>
#include <glib.h>
#include <string.h>

#include "fmt.h"
#include "proto-link.h"
#include "protos.h"
#include "registry.h"

enum {
    F_DST,
    F_DST_OUI,
    F_SRC,
    F_SRC_OUI,
    F_LEN,
    F_TYPE,
    F_INVALID_LENTYPE,
    F_ADDR,
    F_ADDR_OUI,
    F_PADDING,
    F_TRAILER,
    F_FCS,
    F_FCS_STATUS,
    F_DST_LG,
    F_DST_IG,
    F_SRC_LG,
    F_SRC_IG,
    F_LG,
    F_IG,
    N_F
};

const PeelValueName peel_link_etype_names[] = {
    { 0x0600, "XNS Internet Datagram Protocol" },
    { 0x0800, "IPv4" },
    { 0x0805, "X.25 Layer 3" },
    { 0x0806, "ARP" },
    { 0x0842, "Wake on LAN" },
    { 0x08f0, "WiMax Mac-to-Mac" },
    { 0x08ff, "AX.25" },
    { 0x0bad, "Vines IP" },
    { 0x0baf, "Vines Echo" },
    { 0x1984, "Netmon Train" },
    { 0x2001, "Cisco Group Management Protocol" },
    { 0x22e5, "Gigamon Header" },
    { 0x22ea, "802.1Qat Multiple Stream Reservation Protocol" },
    { 0x22f0, "IEEE 1722 Audio Video Transport Protocol" },
    { 0x22f1, "Robust Header Compression(RoHC)" },
    { 0x22f3, "Transparent Interconnection of Lots of Links" },
    { 0x22f4, "Intermediate System to Intermediate System" },
    { 0x2452, "IEEE 802.11 (Centrino promiscuous)" },
    { 0x3c07, "3Com NBP Datagram" },
    { 0x3e3f, "EPL_V1" },
    { 0x6000, "DEC proto" },
    { 0x6001, "DEC DNA Dump/Load" },
    { 0x6002, "DEC DNA Remote Console" },
    { 0x6003, "DEC DNA Routing" },
    { 0x6004, "DEC LAT" },
    { 0x6005, "DEC Diagnostics" },
    { 0x6006, "DEC Customer use" },
    { 0x6007, "DEC LAVC/SCA" },
    { 0x6558, "Transparent Ethernet bridging" },
    { 0x8021, "PPP IP Control Protocol" },
    { 0x8035, "RARP" },
    { 0x8038, "DEC LanBridge" },
    { 0x8041, "DEC LAST" },
    { 0x809b, "AppleTalk LLAP bridging" },
    { 0x80d5, "SNA-over-Ethernet" },
    { 0x80e1, "EtherNet/IP Device Level Ring" },
    { 0x80f3, "AARP" },
    { 0x80fd, "PPP Compression Control Protocol" },
    { 0x80ff, "Wellfleet Compression Protocol" },
    { 0x8100, "802.1Q Virtual LAN" },
    { 0x8102, "Simple Loop Protection Protocol" },
    { 0x8103, "Virtual LACP" },
    { 0x8104, "Simple Loop Protection Protocol (old)" },
    { 0x8133, "Juniper Netscreen Redundant Protocol" },
    { 0x8137, "Netware IPX/SPX" },
    { 0x8181, "Spanning Tree Protocol" },
    { 0x81fd, "Cabletron Interswitch Message Protocol" },
    { 0x81ff, "Cabletron SFVLAN 1.8 Tag-Based Flood" },
    { 0x8204, "QNX 6 QNET protocol" },
    { 0x86dd, "IPv6" },
    { 0x872d, "Cisco Wireless Lan Context Control Protocol" },
    { 0x8783, "Motorola Media Independent Network Transport" },
    { 0x8808, "MAC Control" },
    { 0x8809, "Slow Protocols" },
    { 0x8819, "Cirrus Cobranet Packet" },
    { 0x8847, "MPLS label switched packet" },
    { 0x8848, "MPLS multicast label switched packet" },
    { 0x885a, "Foundry proprietary" },
    { 0x8863, "PPPoE Discovery" },
    { 0x8864, "PPPoE Session" },
    { 0x886c, "HomePNA, wlan link local tunnel" },
    { 0x886d, "Intel ANS probe" },
    { 0x886f, "MS NLB heartbeat" },
    { 0x8870, "Jumbo LLC" },
    { 0x8874, "Broadcom tag" },
    { 0x887b, "Homeplug" },
    { 0x8881, "CDMA2000 A10 Unstructured byte stream" },
    { 0x8884, "ATM over Ethernet" },
    { 0x888e, "802.1X Authentication" },
    { 0x8892, "PROFINET" },
    { 0x8899, "Realtek Layer 2 Protocols" },
    { 0x889b, "CSM_ENCAPS Protocol" },
    { 0x88a1, "Telkonet powerline" },
    { 0x88a2, "ATA over Ethernet" },
    { 0x88a4, "EtherCAT frame" },
    { 0x88a8, "802.1ad Provider Bridge (Q-in-Q)" },
    { 0x88ab, "ETHERNET Powerlink v2" },
    { 0x88ad, "XiMeta Technology" },
    { 0x88b4, "WAI Authentication Protocol" },
    { 0x88b5, "Local Experimental Ethertype 1" },
    { 0x88b6, "Local Experimental Ethertype 2" },
    { 0x88b7, "IEEE 802a OUI Extended Ethertype" },
    { 0x88b8, "IEC 61850/GOOSE" },
    { 0x88b9, "IEC 61850/GSE management services" },
    { 0x88ba, "IEC 61850/SV (Sampled Value Transmission" },
    { 0x88c7, "802.11i Pre-Authentication" },
    { 0x88ca, "Transparent Inter Process Communication" },
    { 0x88cc, "802.1 Link Layer Discovery Protocol (LLDP)" },
    { 0x88d2, "CDMA2000 A10 3GPP2 Packet" },
    { 0x88d8, "Circuit Emulation Services over Ethernet (MEF8)" },
    { 0x88d9, "Link Layer Topology Discovery (LLTD)" },
    { 0x88dc, "(WAVE) Short Message Protocol (WSM)" },
    { 0x88de, "VMware Lab Manager" },
    { 0x88e1, "Homeplug AV" },
    { 0x88e3, "MRP" },
    { 0x88e5, "802.1AE (MACsec)" },
    { 0x88e7, "802.1ah Provider Backbone Bridge (mac-in-mac)" },
    { 0x88ee, "Ethernet Local Management Interface (MEF16)" },
    { 0x88f6, "802.1ak Multiple Mac Registration Protocol" },
    { 0x88f7, "PTPv2 over Ethernet (IEEE1588)" },
    { 0x88f8, "Network Controller Sideband Interface" },
    { 0x88fb, "Parallel Redundancy Protocol (PRP) and HSR Supervision (IEC62439 Part 3)" },
    { 0x8901, "Flow Layer Internal Protocol" },
    { 0x8902, "IEEE 802.1ag Connectivity Fault Management (CFM) protocol" },
    { 0x8903, "Data Center Ethernet (DCE) protocol(Cisco)" },
    { 0x8906, "Fibre Channel over Ethernet" },
    { 0x8909, "CiscoMetaData" },
    { 0x890d, "IEEE 802.11 data encapsulation" },
    { 0x8911, "LINX IPC Protocol" },
    { 0x8914, "FCoE Initialization Protocol" },
    { 0x8915, "RDMA over Converged Ethernet" },
    { 0x8917, "Media Independent Handover Protocol" },
    { 0x891d, "TTEthernet Protocol Control Frame" },
    { 0x8926, "VN-Tag" },
    { 0x892b, "Schweitzer Engineering Labs Layer 2 Protocol" },
    { 0x892d, "bluecom Protocol" },
    { 0x892f, "High-availability Seamless Redundancy (IEC62439 Part 3)" },
    { 0x893a, "1905.1a Convergent Digital Home Network for Heterogenous Technologies" },
    { 0x893f, "802.1br Bridge Port Extension E-Tag" },
    { 0x8947, "GeoNetworking" },
    { 0x894f, "Network Service Header" },
    { 0x8988, "PA HB Backup" },
    { 0x9000, "Loopback" },
    { 0x9021, "Real-Time Media Access Control" },
    { 0x9022, "Real-Time Configuration Protocol" },
    { 0x9100, "QinQ: old non-standard 802.1ad" },
    { 0x9104, "EERO Broadcast Packet" },
    { 0x99fe, "Technically Enhanced Capture Module Protocol (TECMP)" },
    { 0xa0ed, "6LoWPAN" },
    { 0xaefe, "eCPRI" },
    { 0xb4e3, "CableLabs Layer-3 Protocol" },
    { 0xc021, "PPP Link Control Protocol" },
    { 0xc023, "PPP Password Authentication Protocol" },
    { 0xc0de, "eXpressive Internet Protocol" },
    { 0xc0df, "Neighborhood Watch Protocol" },
    { 0xcafe, "Veritas Low Latency Transport (not officially registered)" },
    { 0xd00d, "Digium TDM over Ethernet Protocol" },
    { 0xd28b, "Arista Timestamp" },
    { 0xe555, "EXos internal Extra Header" },
    { 0xf1c1, "802.1CB Frame Replication and Elimination for Reliability" },
    { 0xfff2, "Cisco ACI ARP gleaning" },
    { 0, NULL },
};

static const PeelValueName eth_lg_names[] = {
    { 1, "Locally administered address (this is NOT the factory default)" },
    { 0, "Globally unique address (factory default)" },
    { 0, NULL },
};

static const PeelValueName eth_ig_names[] = {
    { 1, "Group address (multicast/broadcast)" },
    { 0, "Individual address (unicast)" },
    { 0, NULL },
};

static const PeelValueName eth_fcs_status_names[] = {
    { 0, "Bad" },
    { 1, "Good" },
    { 2, "Unverified" },
    { 3, "Not present" },
    { 4, "Illegal" },
    { 0, NULL },
};

#define ETH_LG_MASK 0x020000u
#define ETH_IG_MASK 0x010000u

static const PeelFieldDef eth_fields[N_F] = {
    [F_DST] = { "eth.dst", "Destination", PEEL_FT_ETHER },
    [F_DST_OUI] = { "eth.dst.oui", "Destination OUI", PEEL_FT_U24, PEEL_SHOW_DEC },
    [F_SRC] = { "eth.src", "Source", PEEL_FT_ETHER },
    [F_SRC_OUI] = { "eth.src.oui", "Source OUI", PEEL_FT_U24, PEEL_SHOW_DEC },
    [F_LEN] = { "eth.len", "Length", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_TYPE] = { "eth.type", "Type", PEEL_FT_U16, PEEL_SHOW_HEX, peel_link_etype_names },
    [F_INVALID_LENTYPE] = { "eth.invalid_lentype", "Invalid length/type", PEEL_FT_U16,
            PEEL_SHOW_HEX_DEC },
    [F_ADDR] = { "eth.addr", "Address", PEEL_FT_ETHER },
    [F_ADDR_OUI] = { "eth.addr.oui", "Address OUI", PEEL_FT_U24, PEEL_SHOW_DEC },
    [F_PADDING] = { "eth.padding", "Padding", PEEL_FT_BYTES },
    [F_TRAILER] = { "eth.trailer", "Trailer", PEEL_FT_BYTES },
    [F_FCS] = { "eth.fcs", "Frame check sequence", PEEL_FT_U32, PEEL_SHOW_HEX },
    [F_FCS_STATUS] = { "eth.fcs.status", "FCS Status", PEEL_FT_U8, PEEL_SHOW_NONE,
            eth_fcs_status_names },
    [F_DST_LG] = { "eth.dst.lg", "LG bit", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, eth_lg_names,
            ETH_LG_MASK, 3 },
    [F_DST_IG] = { "eth.dst.ig", "IG bit", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, eth_ig_names,
            ETH_IG_MASK, 3 },
    [F_SRC_LG] = { "eth.src.lg", "LG bit", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, eth_lg_names,
            ETH_LG_MASK, 3 },
    [F_SRC_IG] = { "eth.src.ig", "IG bit", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, eth_ig_names,
            ETH_IG_MASK, 3 },
    [F_LG] = { "eth.lg", "LG bit", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, eth_lg_names, ETH_LG_MASK, 3 },
    [F_IG] = { "eth.ig", "IG bit", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, eth_ig_names, ETH_IG_MASK, 3 },
};

#define ETH_HEADER_LEN        14
#define IEEE_802_3_MAX_LEN    1500 /* largest length field; larger values are types */
#define ETHERNET_II_MIN_LEN   1536
#define ETH_MIN_FRAME         60 /* shortest frame without FCS: shorter payloads are padded */
#define FCS_STATUS_UNVERIFIED 2

/* ---- shared helpers (proto-link.h) ---- */

int32_t
peel_link_add_value_at(
        PeelPacket *pkt, const PeelReader *at, uint32_t f, uint32_t len, uint64_t value)
{
    int32_t i = peel_add_uint_value(pkt, f, value);
    if (i < 0)
        return -1;
    PeelField *fl = &pkt->fields[i];
    fl->flags &= (uint8_t)~PEEL_FF_GENERATED;
    fl->src = at->src;
    fl->offset = peel_reader_offset(at);
    fl->length = len;
    return i;
}

void
peel_link_hide_last(PeelPacket *pkt)
{
    if (pkt->n_fields > 0)
        pkt->fields[peel_last(pkt)].flags |= PEEL_FF_HIDDEN;
}

/* The next layer goes beside the current protocol's item, not inside it: move the tree
 * position to the level of that item for the hand-off. */
typedef struct {
    int32_t parent;
    uint16_t depth;
} LinkLevel;

static LinkLevel
link_enter_sibling(PeelPacket *pkt)
{
    LinkLevel saved = { pkt->parent, pkt->depth };
    int32_t i = pkt->parent;
    while (i >= 0 && (uint32_t)i < pkt->n_fields && pkt->fields[i].id != pkt->field_base)
        i = pkt->fields[i].parent;
    if (i >= 0 && (uint32_t)i < pkt->n_fields) {
        pkt->parent = pkt->fields[i].parent;
        pkt->depth = pkt->fields[i].depth;
    }
    return saved;
}

static void
link_leave_sibling(PeelPacket *pkt, LinkLevel saved)
{
    pkt->parent = saved.parent;
    pkt->depth = saved.depth;
}

void
peel_link_next_proto(PeelPacket *pkt, PeelReader *rd, const PeelProto *proto)
{
    LinkLevel saved = link_enter_sibling(pkt);
    if (proto != NULL)
        peel_next_proto(pkt, rd, proto);
    else
        peel_next_data(pkt, rd);
    link_leave_sibling(pkt, saved);
}

/* Padding and FCS are Ethernet's fields even under VLAN or SLL items, as in Wireshark: add
 * them with Ethernet's field numbering, then switch back to the caller's. */
typedef struct {
    uint32_t field_base;
    uint16_t proto;
} EthScope;

static EthScope
eth_scope_enter(PeelPacket *pkt)
{
    EthScope saved = { pkt->field_base, pkt->proto };
    int index = peel_registry_proto_index(&peel_proto_eth);
    if (index >= 0) {
        pkt->field_base = peel_proto_field_base((uint32_t)index);
        pkt->proto = (uint16_t)index;
    }
    return saved;
}

static void
eth_scope_leave(PeelPacket *pkt, EthScope saved)
{
    pkt->field_base = saved.field_base;
    pkt->proto = saved.proto;
}

/* Wireshark's add_ethernet_trailer(): `trl` holds the bytes after the payload. Frames are
 * padded to 60 bytes with zeros; an FCS is assumed in frames of 64 bytes or more with four
 * bytes to spare (fcs_len -1); whatever else is left is the caller's trailer. */
static void
link_trailer(PeelPacket *pkt, PeelReader *trl, const PeelLinkTrailer *tr)
{
    uint32_t trailer_len = peel_reader_captured(trl);
    uint32_t trailer_rep = peel_reader_remaining(trl);
    uint32_t pkt_len = pkt->frame->len;
    if (trailer_rep > pkt_len)
        return; /* a layer claiming more than the frame: nothing sensible to add */
    bool maybe_padded = pkt_len >= ETH_MIN_FRAME && pkt_len - trailer_rep < ETH_MIN_FRAME;
    uint32_t padding = 0;
    if (maybe_padded) {
        padding = ETH_MIN_FRAME - (pkt_len - trailer_rep);
        uint32_t got = 0;
        const uint8_t *p = peel_reader_peek_bytes(trl, 0, padding, &got);
        if (got < padding)
            return; /* the capture ends inside the padding: tshark stops here too */
        for (uint32_t i = 0; i < padding; i++) {
            if (p[i] != 0) {
                padding = 0; /* padding must be zeros; anything else is a trailer */
                break;
            }
        }
        if (padding > 0) {
            EthScope saved = eth_scope_enter(pkt);
            peel_add_bytes(pkt, trl, F_PADDING, padding);
            eth_scope_leave(pkt, saved);
            trailer_len -= padding;
            trailer_rep -= padding;
        }
    }

    bool has_fcs = false;
    if (tr->fcs_len != 0 && trailer_rep >= 4 && (tr->fcs_len == 4 || tr->whole_len >= 64)) {
        if (trailer_len < trailer_rep) {
            trailer_rep -= 4;
            if (trailer_len > trailer_rep)
                trailer_len = trailer_rep;
        } else {
            trailer_len -= 4;
            trailer_rep -= 4;
        }
        has_fcs = true;
    }

    uint32_t real_rep = tr->fcs_len == 4 ? trailer_rep : trailer_rep + (has_fcs ? 4 : 0);
    if (real_rep != 0 && trailer_len != 0) {
        peel_add_bytes(pkt, trl, tr->trailer_f, trailer_len);
        if (maybe_padded && padding == 0)
            peel_expert(pkt, peel_last(pkt), PEEL_SEV_NOTE, PEEL_GROUP_PROTOCOL,
                    "Didn't find padding of zeros, and an undecoded trailer exists. There may "
                    "be padding of non-zeros.");
    }
    /* A guessed FCS the capture does not hold is left out, as tshark does. */
    if (has_fcs && peel_reader_captured(trl) >= 4) {
        EthScope saved = eth_scope_enter(pkt);
        uint32_t fcs = peel_add_u32(pkt, trl, F_FCS);
        if (peel_reader_ok(trl))
            peel_set_text(pkt, peel_last(pkt), "Frame check sequence: 0x%08x [unverified]", fcs);
        peel_add_uint_value(pkt, F_FCS_STATUS, FCS_STATUS_UNVERIFIED);
        eth_scope_leave(pkt, saved);
    }
}

#define LINK_MAX_MOVED 8 /* padding, trailer, FCS and its status, with room to spare */

static int32_t
link_remap(int32_t i, uint32_t at, uint32_t from, uint32_t end)
{
    if (i < 0 || (uint32_t)i < at || (uint32_t)i >= end)
        return i;
    if ((uint32_t)i < from)
        return i + (int32_t)(end - from);
    return i - (int32_t)(from - at);
}

/* The trailer is only known once the payload has been dissected, so its fields come after
 * the payload's layers in the list; the tree and JSON writers walk the list in order and
 * expect each item's children right after it. Moves the fields added from `from` on back
 * to `at` (where the payload's layers began) and renumbers parents and expert notes. */
static void
link_move_fields(PeelPacket *pkt, uint32_t at, uint32_t from)
{
    uint32_t end = pkt->n_fields;
    if (at >= from || from >= end || end - from > LINK_MAX_MOVED)
        return;
    uint32_t k = end - from, m = from - at;
    PeelField moved[LINK_MAX_MOVED];
    memcpy(moved, pkt->fields + from, k * sizeof moved[0]);
    memmove(pkt->fields + at + k, pkt->fields + at, m * sizeof moved[0]);
    memcpy(pkt->fields + at, moved, k * sizeof moved[0]);
    for (uint32_t i = at; i < end; i++)
        pkt->fields[i].parent = link_remap(pkt->fields[i].parent, at, from, end);
    for (uint32_t e = 0; e < pkt->n_experts; e++)
        pkt->experts[e].field = link_remap(pkt->experts[e].field, at, from, end);
    pkt->parent = link_remap(pkt->parent, at, from, end);
}

/* The bytes of `start` from `used` on, when the capture holds at least the first of them;
 * their fields go before the payload's layers, which were added from field `payload_at`. */
static void
link_trailer_after(PeelPacket *pkt, const PeelReader *start, uint32_t used,
        const PeelLinkTrailer *tr, uint32_t payload_at)
{
    if (used >= peel_reader_captured(start))
        return;
    PeelReader trl = *start;
    peel_reader_skip(&trl, used);
    PeelReader rest = peel_reader_rest(&trl);
    uint32_t from = pkt->n_fields;
    link_trailer(pkt, &rest, tr);
    link_move_fields(pkt, payload_at, from);
}

/* Did the layer just handed `payload` end up as undecoded data? (Asked of the engine, not
 * of the field list, which summary output does not keep.) */
static bool
went_to_data(const PeelPacket *pkt)
{
    int data = peel_registry_proto_index(&peel_proto_data);
    return data >= 0 && pkt->handed_to == (uint16_t)data;
}

void
peel_link_ethertype(PeelPacket *pkt, PeelReader *rd, uint16_t type, const PeelLinkTrailer *tr)
{
    uint32_t before = peel_reader_remaining(rd);
    uint32_t reported = before;
    if (tr->fcs_len > 0 && reported >= (uint32_t)tr->fcs_len)
        reported -= (uint32_t)tr->fcs_len;
    PeelReader start = *rd;
    PeelReader payload = peel_reader_take(rd, reported);
    (void)peel_reader_rest(rd);

    uint32_t n_before = pkt->n_fields;
    LinkLevel level = link_enter_sibling(pkt);
    pkt->handed_to = UINT16_MAX;
    peel_next(pkt, &payload, PEEL_TABLE_ETHERTYPE, type);
    link_leave_sibling(pkt, level);
    if (went_to_data(pkt)) {
        pkt->col_protocol = peel_arena_printf(pkt->arena, "0x%04x", type);
        const char *name = peel_value_name(peel_link_etype_names, type);
        if (name != NULL)
            peel_info_set(pkt, "%s", name);
    }
    /* The payload narrowed its reader to what it used (IP to its total length, ARP to its
     * addresses); the rest is padding and trailer. */
    if (payload.claimed < before)
        link_trailer_after(pkt, &start, payload.claimed, tr, n_before);
}

void
peel_link_8023(PeelPacket *pkt, PeelReader *rd, uint16_t length, int32_t len_field, bool is_802_2,
        const PeelLinkTrailer *tr)
{
    uint32_t reported = peel_reader_remaining(rd);
    if (tr->fcs_len > 0 && reported >= (uint32_t)tr->fcs_len)
        reported -= (uint32_t)tr->fcs_len;
    uint32_t len = length;
    if (len > reported) {
        len = reported;
        peel_expert(pkt, len_field, PEEL_SEV_ERROR, PEEL_GROUP_MALFORMED,
                "Length field value goes past the end of the payload");
    }
    PeelReader start = *rd;
    PeelReader payload = peel_reader_take(rd, len);
    (void)peel_reader_rest(rd);
    uint32_t n_before = pkt->n_fields;
    /* Novell raw 802.3 carries IPX, which peel does not decode: data. */
    peel_link_next_proto(pkt, &payload, is_802_2 ? &peel_proto_llc : NULL);
    /* Unlike Ethernet II, the length says where the payload ends, whatever it used. */
    link_trailer_after(pkt, &start, len, tr, n_before);
}

void
peel_link_next_etype(PeelPacket *pkt, PeelReader *rd, uint16_t type)
{
    uint32_t mark = pkt->protocols_len;
    LinkLevel level = link_enter_sibling(pkt);
    peel_next(pkt, rd, PEEL_TABLE_ETHERTYPE, type);
    link_leave_sibling(pkt, level);
    /* peel_next() names the ethertype table in frame.protocols; Wireshark's LLC and Null
     * look types up without it ("eth:llc:arp", "null:ip"). */
    static const char tag[] = "ethertype";
    size_t n = sizeof tag - 1;
    size_t at = mark;
    if (mark > 0) {
        if (pkt->protocols_len < mark + 1 + n || pkt->protocols[mark] != ':' ||
                memcmp(pkt->protocols + mark + 1, tag, n) != 0)
            return;
        n++; /* the colon before it */
    } else {
        if (pkt->protocols_len < n || memcmp(pkt->protocols, tag, n) != 0)
            return;
        if (pkt->protocols_len > n && pkt->protocols[n] == ':')
            n++; /* the colon after it */
    }
    memmove(pkt->protocols + at, pkt->protocols + at + n, pkt->protocols_len - at - n + 1);
    pkt->protocols_len -= (uint32_t)n;
}

/* ---- Ethernet ---- */

static void
eth_format_mac(char out[18], const uint8_t *a)
{
    peel_snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* An address with the subtree tshark gives it: the address again as eth.addr, its OUI
 * (hidden), and the LG and IG bits of its first octet (with hidden eth.lg/eth.ig copies). */
static const uint8_t *
eth_address(PeelPacket *pkt, PeelReader *rd, uint32_t f, uint32_t f_oui, uint32_t f_lg,
        uint32_t f_ig, bool check_group)
{
    PeelReader at = *rd;
    uint32_t before = pkt->n_fields;
    const uint8_t *a = peel_add_ether(pkt, rd, f);
    if (a == NULL || pkt->n_fields <= before)
        return a;
    if (check_group && (a[0] & 0x01))
        peel_expert(pkt, peel_last(pkt), PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                "Source MAC must not be a group address: IEEE 802.3-2002, Section 3.2.3(b)");
    if (!peel_open_last(pkt, before))
        return a;
    PeelReader r = at;
    peel_add_u24(pkt, &r, f_oui);
    peel_link_hide_last(pkt);
    r = at;
    peel_add_ether(pkt, &r, F_ADDR);
    r = at;
    peel_add_u24(pkt, &r, F_ADDR_OUI);
    peel_link_hide_last(pkt);
    peel_add_bits(pkt, &at, f_lg);
    peel_add_hidden(pkt, F_LG, peel_last(pkt));
    peel_add_bits(pkt, &at, f_ig);
    peel_add_hidden(pkt, F_IG, peel_last(pkt));
    peel_close(pkt, NULL);
    return a;
}

static void
eth_set_addr(PeelAddr *addr, const uint8_t *a)
{
    addr->type = PEEL_AT_ETHER;
    for (int i = 0; i < 6; i++)
        addr->bytes[i] = a[i];
}

/*
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Destination address (6 octets)               |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+    Source address (6 octets)  +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Type (>= 0x0600) or length   |  payload ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
static void
eth_dissect(PeelReader *rd, PeelPacket *pkt)
{
    int32_t self = pkt->parent;
    /* Only the frame's own link layer may end in an FCS; Ethernet inside SLL or a bridged
     * SNAP payload has none (Wireshark's eth_withoutfcs). */
    bool top = rd->src == 0 && peel_reader_offset(rd) == 0;
    PeelLinkTrailer tr = { F_TRAILER, top ? -1 : 0, peel_reader_remaining(rd) };
    bool have_type = peel_reader_captured(rd) >= ETH_HEADER_LEN;
    uint16_t type = peel_reader_peek_u16be(rd, 12);
    bool invalid = have_type && type > IEEE_802_3_MAX_LEN && type < ETHERNET_II_MIN_LEN;
    bool is_8023 = have_type && type <= IEEE_802_3_MAX_LEN && type != 0;
    /* Novell "raw" 802.3 carries IPX straight after the length: its checksum is 0xffff. */
    bool is_802_2 = !(peel_reader_captured(rd) >= ETH_HEADER_LEN + 2 &&
                      peel_reader_peek_u16be(rd, ETH_HEADER_LEN) == 0xffff);
    uint32_t held = peel_reader_captured(rd);
    peel_set_length(pkt, self, held < ETH_HEADER_LEN ? held : ETH_HEADER_LEN);

    const uint8_t *dst = eth_address(pkt, rd, F_DST, F_DST_OUI, F_DST_LG, F_DST_IG, false);
    const uint8_t *src = NULL;
    if (dst != NULL) {
        eth_set_addr(&pkt->dl_dst, dst);
        pkt->dl_src.type = PEEL_AT_NONE;
        peel_set_addrs(pkt, &pkt->dl_src, &pkt->dl_dst);
        src = eth_address(pkt, rd, F_SRC, F_SRC_OUI, F_SRC_LG, F_SRC_IG, !is_8023 && !invalid);
    }
    if (src == NULL) {
        peel_set_text(pkt, self, "Ethernet II");
        return; /* the address read failed and is flagged */
    }
    eth_set_addr(&pkt->dl_src, src);
    peel_set_addrs(pkt, &pkt->dl_src, &pkt->dl_dst);
    char s[18] = "", d[18] = "";
    if (pkt->want_tree) {
        eth_format_mac(s, src);
        eth_format_mac(d, dst);
    }

    if (invalid) {
        peel_info_set(pkt, "Ethernet Unknown: Invalid length/type: 0x%04x (%d)", type, type);
        peel_set_text(pkt, self, "Ethernet Unknown, Src: %s, Dst: %s", s, d);
        peel_add_u16(pkt, rd, F_INVALID_LENTYPE);
        peel_expert(pkt, peel_last(pkt), PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                "Invalid length/type: 0x%04x (%d)", type, type);
        PeelReader rest = peel_reader_rest(rd);
        peel_link_next_proto(pkt, &rest, NULL);
        return;
    }
    if (is_8023) {
        const char *raw = is_802_2 ? "" : "Raw ";
        peel_info_set(pkt, "IEEE 802.3 Ethernet %s", raw);
        peel_set_text(pkt, self, "IEEE 802.3 Ethernet %s", raw);
        uint16_t length = peel_add_u16(pkt, rd, F_LEN);
        peel_link_8023(pkt, rd, length, peel_last(pkt), is_802_2, &tr);
        return;
    }
    peel_set_text(pkt, self, "Ethernet II, Src: %s, Dst: %s", s, d);
    type = peel_add_u16(pkt, rd, F_TYPE);
    uint32_t writes = pkt->info_writes;
    if (peel_reader_ok(rd))
        peel_link_ethertype(pkt, rd, type, &tr);
    if (pkt->info_writes == writes) /* nothing above said more */
        peel_info_set(pkt, "Ethernet II");
}

/* eth_address() adds the subtree only under a kept address; eth.addr, eth.lg and eth.ig
 * are in it, the last two hidden copies of the address's own bits. */
static const PeelFieldNeed eth_needs[] = {
    { F_DST_OUI, F_DST }, { F_DST_LG, F_DST }, { F_DST_IG, F_DST },
    { F_SRC_OUI, F_SRC }, { F_SRC_LG, F_SRC }, { F_SRC_IG, F_SRC },
    { F_ADDR, F_DST }, { F_ADDR, F_SRC }, { F_ADDR_OUI, F_DST }, { F_ADDR_OUI, F_SRC },
    { F_LG, F_DST_LG }, { F_LG, F_SRC_LG }, { F_IG, F_DST_IG }, { F_IG, F_SRC_IG },
};

const PeelProto peel_proto_eth = {
    .field_needs = eth_needs,
    .n_field_needs = G_N_ELEMENTS(eth_needs),
    .name = "eth",
    .title = "Ethernet",
    .short_name = "Ethernet",
    .fields = eth_fields,
    .n_fields = N_F,
    .dissect = eth_dissect,
    .handoffs = { { PEEL_TABLE_LINKTYPE, 1 } },
};
