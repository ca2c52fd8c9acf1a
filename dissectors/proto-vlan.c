/* proto-vlan.c: IEEE 802.1Q VLAN tags and IEEE 802.1ad provider (Q-in-Q) tags, as Wireshark's
 * vlan and ieee8021ad dissectors show them. Stacked tags nest through the ethertype table. */
#include "dissect.h"

#include "proto-link.h"
#include "protos.h"

/* ---- 802.1Q ---- */

enum { F_PRIORITY, F_DEI, F_ID, F_ETYPE, F_LEN, F_TRAILER, N_F };

/* IEEE 802.1Q-2014 table I-2, Wireshark's default (8 priorities, none drop eligible). */
static const PeelValueName vlan_priority_names[] = {
    { 0, "Best Effort (default)" },
    { 1, "Background" },
    { 2, "Excellent Effort" },
    { 3, "Critical Applications" },
    { 4, "Video, < 100ms latency and jitter" },
    { 5, "Voice, < 10ms latency and jitter" },
    { 6, "Internetwork Control" },
    { 7, "Network Control" },
    { 0, NULL },
};

static const PeelValueName vlan_dei_names[] = {
    { 1, "Eligible" },
    { 0, "Ineligible" },
    { 0, NULL },
};

static const PeelFieldDef vlan_fields[N_F] = {
    [F_PRIORITY] = { "vlan.priority", "Priority", PEEL_FT_U16, PEEL_SHOW_DEC, vlan_priority_names,
            0xe000 },
    [F_DEI] = { "vlan.dei", "DEI", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, vlan_dei_names, 0x1000, 2 },
    [F_ID] = { "vlan.id", "ID", PEEL_FT_U16, PEEL_SHOW_DEC, NULL, 0x0fff },
    [F_ETYPE] = { "vlan.etype", "Type", PEEL_FT_U16, PEEL_SHOW_HEX, peel_link_etype_names },
    [F_LEN] = { "vlan.len", "Length", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_TRAILER] = { "vlan.trailer", "Trailer", PEEL_FT_BYTES },
};

#define VLAN_TAG_LEN         4
#define VLAN_MAX_NESTED_TAGS 20 /* Wireshark's limit */
#define IEEE_802_3_MAX_LEN   1500

/* How many 802.1Q items this packet has so far, this one included. */
static uint32_t
vlan_depth(const PeelPacket *pkt)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < pkt->n_fields; i++)
        n += pkt->fields[i].id == pkt->field_base;
    return n;
}

/*
 * +-------+---+-----------------------+-------------------------------+
 * |  PCP  |DEI|        VLAN ID        |   Type (or 802.3 length)      |
 * +-------+---+-----------------------+-------------------------------+
 *   3 bits  1        12 bits                    16 bits
 */
static void
vlan_dissect(PeelReader *rd, PeelPacket *pkt)
{
    int32_t self = pkt->parent;
    uint32_t held = peel_reader_captured(rd);
    peel_set_length(pkt, self, held < VLAN_TAG_LEN ? held : VLAN_TAG_LEN);
    uint16_t tci = peel_reader_peek_u16be(rd, 0);
    bool have_tci = held >= 2;
    if (have_tci) {
        peel_info_set(pkt, "PRI: %d  DEI: %d  ID: %u", tci >> 13, (tci >> 12) & 1, tci & 0xfff);
        peel_set_text(pkt, self, "802.1Q Virtual LAN, PRI: %u, DEI: %u, ID: %u", tci >> 13,
                (tci >> 12) & 1, tci & 0xfff);
    } else {
        peel_info_clear(pkt);
        peel_set_text(pkt, self, "802.1Q Virtual LAN");
    }
    if (vlan_depth(pkt) > VLAN_MAX_NESTED_TAGS) {
        peel_expert(pkt, self, PEEL_SEV_WARN, PEEL_GROUP_UNDECODED, "Too many nested VLAN tags");
        return;
    }
    peel_add_bits(pkt, rd, F_PRIORITY);
    if (!peel_reader_ok(rd))
        return;
    peel_add_bits(pkt, rd, F_DEI);
    peel_add_bits(pkt, rd, F_ID);
    peel_reader_skip(rd, 2);
    if (!peel_reader_ok(rd))
        return;

    PeelLinkTrailer tr = { F_TRAILER, 0, 0 };
    uint16_t encap = peel_reader_peek_u16be(rd, 0);
    if (peel_reader_captured(rd) >= 2 && encap <= IEEE_802_3_MAX_LEN) {
        /* A length: LLC follows, or IPX straight away (Novell raw 802.3, checksum 0xffff). */
        bool is_802_2 = !(peel_reader_captured(rd) >= 4 && peel_reader_peek_u16be(rd, 2) == 0xffff);
        uint16_t length = peel_add_u16(pkt, rd, F_LEN);
        peel_link_8023(pkt, rd, length, peel_last(pkt), is_802_2, &tr);
        return;
    }
    uint16_t type = peel_add_u16(pkt, rd, F_ETYPE);
    if (!peel_reader_ok(rd))
        return;
    peel_link_ethertype(pkt, rd, type, &tr);
}

const PeelProto peel_proto_vlan = {
    .name = "vlan",
    .title = "802.1Q Virtual LAN",
    .short_name = "VLAN",
    .fields = vlan_fields,
    .n_fields = N_F,
    .dissect = vlan_dissect,
    /* 0x9100: the pre-standard Q-in-Q type, which Wireshark also decodes as 802.1Q. */
    .handoffs = { { PEEL_TABLE_ETHERTYPE, 0x8100 }, { PEEL_TABLE_ETHERTYPE, 0x9100 } },
};

/* ---- 802.1ad ---- */

enum { A_PRIORITY, A_DEI, A_ID, A_SVID, A_CVID, A_ETYPE, A_TRAILER, N_A };

static const PeelFieldDef ieee8021ad_fields[N_A] = {
    [A_PRIORITY] = { "ieee8021ad.priority", "Priority", PEEL_FT_U16, PEEL_SHOW_DEC, NULL, 0xe000 },
    [A_DEI] = { "ieee8021ad.dei", "DEI", PEEL_FT_U16, PEEL_SHOW_DEC, NULL, 0x1000 },
    [A_ID] = { "ieee8021ad.id", "ID", PEEL_FT_U16, PEEL_SHOW_DEC, NULL, 0x0fff },
    [A_SVID] = { "ieee8021ad.svid", "ID", PEEL_FT_U16, PEEL_SHOW_DEC, NULL, 0x0fff },
    [A_CVID] = { "ieee8021ad.cvid", "ID", PEEL_FT_U16, PEEL_SHOW_DEC, NULL, 0x0fff },
    /* Wireshark registers these two with its 802.1ah dissector and uses them for 802.1ad. */
    [A_ETYPE] = { "ieee8021ah.etype", "Type", PEEL_FT_U16, PEEL_SHOW_HEX, peel_link_etype_names },
    [A_TRAILER] = { "ieee8021ah.trailer", "Trailer", PEEL_FT_BYTES },
};

#define ETHERTYPE_IEEE_802_1AD 0x88a8

/* One tag control word: priority, drop eligibility and the VLAN id in field `f_id`. */
static uint16_t
ieee8021ad_tci(PeelPacket *pkt, PeelReader *rd, uint32_t f_id)
{
    uint16_t tci = peel_reader_peek_u16be(rd, 0);
    peel_add_bits(pkt, rd, A_PRIORITY);
    if (!peel_reader_ok(rd))
        return tci;
    peel_add_bits(pkt, rd, A_DEI);
    peel_add_bits(pkt, rd, f_id);
    peel_reader_skip(rd, 2);
    return tci;
}

/*
 * +-------+---+---------------+--------------+  and, when Type is 0x88a8 again (S-tag then
 * |  PCP  |DEI|    VLAN ID    |     Type     |  C-tag, "Q-in-Q"), a second TCI and type.
 * +-------+---+---------------+--------------+
 */
static void
ieee8021ad_dissect(PeelReader *rd, PeelPacket *pkt)
{
    int32_t self = pkt->parent;
    uint32_t held = peel_reader_captured(rd);
    peel_set_length(pkt, self, held < VLAN_TAG_LEN ? held : VLAN_TAG_LEN);
    uint16_t tci = peel_reader_peek_u16be(rd, 0);
    uint16_t encap = peel_reader_peek_u16be(rd, 2);
    peel_info_clear(pkt);
    if (held >= 2)
        peel_info_set(pkt, "PRI: %d  DROP: %d ID: %d", tci >> 13, (tci >> 12) & 1, tci & 0xfff);
    peel_set_text(pkt, self, "IEEE 802.1ad");

    if (held >= VLAN_TAG_LEN && encap == ETHERTYPE_IEEE_802_1AD) {
        uint16_t ctci = peel_reader_peek_u16be(rd, 4);
        ieee8021ad_tci(pkt, rd, A_SVID);
        peel_reader_skip(rd, 2); /* the inner 0x88a8, read above */
        if (!peel_reader_ok(rd))
            return;
        ieee8021ad_tci(pkt, rd, A_CVID);
        if (!peel_reader_ok(rd))
            return;
        peel_set_text(pkt, self, "IEEE 802.1ad, S-VID: %d, C-VID: %d", tci & 0xfff, ctci & 0xfff);
    } else {
        ieee8021ad_tci(pkt, rd, A_ID);
        if (!peel_reader_ok(rd))
            return;
        peel_set_text(pkt, self, "IEEE 802.1ad, ID: %d", tci & 0xfff);
    }
    uint16_t type = peel_add_u16(pkt, rd, A_ETYPE);
    if (!peel_reader_ok(rd))
        return;
    PeelLinkTrailer tr = { A_TRAILER, 0, 0 };
    peel_link_ethertype(pkt, rd, type, &tr);
}

const PeelProto peel_proto_ieee8021ad = {
    .name = "ieee8021ad",
    .title = "IEEE 802.1ad",
    .short_name = "802.1ad",
    .fields = ieee8021ad_fields,
    .n_fields = N_A,
    .dissect = ieee8021ad_dissect,
    .handoffs = { { PEEL_TABLE_ETHERTYPE, ETHERTYPE_IEEE_802_1AD } },
};
