/* proto-classicstun.c: classic STUN (RFC 3489, "Simple Traversal of UDP Through NAT"):
 * messages without RFC 5389's magic cookie and their attributes, found by heuristic over
 * UDP and within STUN's port 3478 over TCP; fields as Wireshark 4.0's classicstun. */
#include "dissect.h"

#include <glib.h>
#include <string.h>

#include "stun-state.h"

enum {
    F_TYPE,
    F_LENGTH,
    F_ID,
    F_ATT,
    F_ATT_TYPE,
    F_ATT_LENGTH,
    F_ATT_VALUE,
    F_ATT_FAMILY,
    F_ATT_IPV4,
    F_ATT_IPV6,
    F_ATT_PORT,
    F_ATT_CHANGE_IP,
    F_ATT_CHANGE_PORT,
    F_ATT_UNKNOWN,
    F_ATT_ERROR_CLASS,
    F_ATT_ERROR,
    F_ATT_ERROR_REASON,
    F_ATT_XOR_IPV4,
    F_ATT_XOR_IPV6,
    F_ATT_XOR_PORT,
    F_ATT_SERVER,
    F_ATT_LIFETIME,
    F_ATT_MAGIC_COOKIE,
    F_ATT_BANDWIDTH,
    F_ATT_DATA,
    F_ATT_CONN_REQ_BINDING,
    F_RESPONSE_IN,
    F_RESPONSE_TO,
    F_TIME,
    N_F
};

static const PeelValueName classic_type_names[] = {
    { 0x0001, "Binding Request" },
    { 0x0101, "Binding Response" },
    { 0x0111, "Binding Error Response" },
    { 0x0002, "Shared Secret Request" },
    { 0x0102, "Shared Secret Response" },
    { 0x1112, "Shared Secret Error Response" },
    { 0x0003, "Allocate Request" },
    { 0x0103, "Allocate Response" },
    { 0x0113, "Allocate Error Response" },
    { 0x0004, "Send Request" },
    { 0x0104, "Send Response" },
    { 0x0114, "Send Error Response" },
    { 0x0115, "Data Indication" },
    { 0x0006, "Set Active Destination Request" },
    { 0x0106, "Set Active Destination Response" },
    { 0x0116, "Set Active Destination Error Response" },
    { 0, NULL },
};

static const PeelValueName classic_attr_names[] = {
    { 0x0001, "MAPPED-ADDRESS" },
    { 0x0002, "RESPONSE-ADDRESS" },
    { 0x0003, "CHANGE-REQUEST" },
    { 0x0004, "SOURCE-ADDRESS" },
    { 0x0005, "CHANGED-ADDRESS" },
    { 0x0006, "USERNAME" },
    { 0x0007, "PASSWORD" },
    { 0x0008, "MESSAGE-INTEGRITY" },
    { 0x0009, "ERROR-CODE" },
    { 0x000a, "UNKNOWN-ATTRIBUTES" },
    { 0x000b, "REFLECTED-FROM" },
    { 0x000d, "LIFETIME" },
    { 0x000e, "ALTERNATE_SERVER" },
    { 0x000f, "MAGIC_COOKIE" },
    { 0x0010, "BANDWIDTH" },
    { 0x0011, "DESTINATION_ADDRESS" },
    { 0x0012, "REMOTE_ADDRESS" },
    { 0x0013, "DATA" },
    { 0x0014, "NONCE" },
    { 0x0015, "REALM" },
    { 0x0016, "REQUESTED_ADDRESS_TYPE" },
    { 0x8020, "XOR_MAPPED_ADDRESS" },
    { 0x0021, "XOR_ONLY" },
    { 0x8022, "SERVER" },
    { 0xc001, "CONNECTION-REQUEST-BINDING" },
    { 0xc002, "BINDING-CHANGE" },
    { 0, NULL },
};

static const PeelValueName classic_family_names[] = {
    { 1, "IPv4" },
    { 2, "IPv6" },
    { 0, NULL },
};

static const PeelFieldDef classic_fields[N_F] = {
    [F_TYPE] = { "classicstun.type", "Message Type", PEEL_FT_U16, PEEL_SHOW_HEX,
            classic_type_names },
    [F_LENGTH] = { "classicstun.length", "Message Length", PEEL_FT_U16, PEEL_SHOW_HEX },
    [F_ID] = { "classicstun.id", "Message Transaction ID", PEEL_FT_BYTES },
    [F_ATT] = { "classicstun.att", "Attributes", PEEL_FT_NONE },
    [F_ATT_TYPE] = { "classicstun.att.type", "Attribute Type", PEEL_FT_U16, PEEL_SHOW_HEX,
            classic_attr_names },
    [F_ATT_LENGTH] = { "classicstun.att.length", "Attribute Length", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_ATT_VALUE] = { "classicstun.att.value", "Value", PEEL_FT_BYTES },
    /* a 16-bit field in Wireshark read from one octet */
    [F_ATT_FAMILY] = { "classicstun.att.family", "Protocol Family", PEEL_FT_U16, PEEL_SHOW_HEX,
            classic_family_names, 0, 1 },
    [F_ATT_IPV4] = { "classicstun.att.ipv4", "IP", PEEL_FT_IPV4 },
    [F_ATT_IPV6] = { "classicstun.att.ipv6", "IP", PEEL_FT_IPV6 },
    [F_ATT_PORT] = { "classicstun.att.port", "Port", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_ATT_CHANGE_IP] = { "classicstun.att.change.ip", "Change IP", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE,
            NULL, 0x0004, 4 },
    [F_ATT_CHANGE_PORT] = { "classicstun.att.change.port", "Change Port", PEEL_FT_BOOLEAN,
            PEEL_SHOW_NONE, NULL, 0x0002, 4 },
    [F_ATT_UNKNOWN] = { "classicstun.att.unknown", "Unknown Attribute", PEEL_FT_U16,
            PEEL_SHOW_HEX },
    [F_ATT_ERROR_CLASS] = { "classicstun.att.error.class", "Error Class", PEEL_FT_U8, PEEL_SHOW_DEC,
            NULL, 0x07 },
    [F_ATT_ERROR] = { "classicstun.att.error", "Error Code", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_ATT_ERROR_REASON] = { "classicstun.att.error.reason", "Error Reason Phase", PEEL_FT_STRING },
    [F_ATT_XOR_IPV4] = { "classicstun.att.ipv4-xord", "IP (XOR-d)", PEEL_FT_IPV4 },
    [F_ATT_XOR_IPV6] = { "classicstun.att.ipv6-xord", "IP (XOR-d)", PEEL_FT_IPV6 },
    [F_ATT_XOR_PORT] = { "classicstun.att.port-xord", "Port (XOR-d)", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_ATT_SERVER] = { "classicstun.att.server", "Server version", PEEL_FT_STRING },
    [F_ATT_LIFETIME] = { "classicstun.att.lifetime", "Lifetime", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_ATT_MAGIC_COOKIE] = { "classicstun.att.magic.cookie", "Magic Cookie", PEEL_FT_U32,
            PEEL_SHOW_HEX },
    [F_ATT_BANDWIDTH] = { "classicstun.att.bandwidth", "Bandwidth", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_ATT_DATA] = { "classicstun.att.data", "Data", PEEL_FT_BYTES },
    [F_RESPONSE_IN] = { "classicstun.response_in", "Response In", PEEL_FT_FRAMENUM },
    [F_RESPONSE_TO] = { "classicstun.response_to", "Request In", PEEL_FT_FRAMENUM },
    [F_TIME] = { "classicstun.time", "Time", PEEL_FT_REL_TIME },
    [F_ATT_CONN_REQ_BINDING] = { "classicstun.att.connection_request_binding",
            "Connection Request Binding", PEEL_FT_STRING },
};

#define CLASSIC_HDR 20u

/* An address attribute: reserved octet, family, port, address. */
static void
classic_address(
        PeelPacket *pkt, PeelReader *val, uint16_t alen, bool xored, const uint8_t *first_word)
{
    if (alen < 2)
        return;
    peel_reader_skip(val, 1);
    uint8_t family = peel_reader_peek_u8(val, 0);
    peel_add_uint(pkt, val, F_ATT_FAMILY);
    if (alen < 4)
        return;
    if (xored) {
        uint16_t xp = peel_add_u16(pkt, val, F_ATT_XOR_PORT);
        peel_add_uint_value(pkt, F_ATT_PORT, xp ^ (uint16_t)(first_word[0] << 8 | first_word[1]));
    } else {
        peel_add_u16(pkt, val, F_ATT_PORT);
    }
    if (family == 1 && alen >= 8) {
        const uint8_t *x = NULL;
        uint32_t got = 0;
        if (xored)
            x = peel_reader_peek_bytes(val, 0, 4, &got);
        peel_add_ipv4(pkt, val, xored ? F_ATT_XOR_IPV4 : F_ATT_IPV4);
        if (xored && x != NULL && got == 4) {
            uint8_t *a = peel_arena_alloc(pkt->arena, 4);
            if (a != NULL) {
                for (int i = 0; i < 4; i++)
                    a[i] = x[i] ^ first_word[i];
                peel_add_addr_value(pkt, F_ATT_IPV4, a);
            }
        }
    } else if (family == 2 && alen >= 20) {
        peel_add_ipv6(pkt, val, xored ? F_ATT_XOR_IPV6 : F_ATT_IPV6);
    }
}

static void
classic_attr_value(
        PeelPacket *pkt, PeelReader *val, uint16_t atype, uint16_t alen, const uint8_t *first_word)
{
    switch (atype) {
    case 0x0001:
    case 0x0002:
    case 0x0004:
    case 0x0005:
    case 0x000b:
    case 0x000e:
    case 0x0011:
    case 0x0012:
        classic_address(pkt, val, alen, false, first_word);
        break;
    case 0x8020:
        classic_address(pkt, val, alen, true, first_word);
        break;
    case 0x0003:
        if (alen >= 4) {
            peel_add_bits(pkt, val, F_ATT_CHANGE_IP);
            peel_add_bits(pkt, val, F_ATT_CHANGE_PORT);
        }
        break;
    case 0x0006:
    case 0x0007:
    case 0x0008:
    case 0x0014:
    case 0x0015:
        if (alen >= 1)
            peel_add_bytes(pkt, val, F_ATT_VALUE, alen);
        break;
    case 0x0009:
        if (alen < 3)
            break;
        peel_reader_skip(val, 2);
        peel_add_bits(pkt, val, F_ATT_ERROR_CLASS);
        peel_reader_skip(val, 1);
        if (alen < 4)
            break;
        peel_add_u8(pkt, val, F_ATT_ERROR);
        if (alen >= 5)
            peel_add_string(pkt, val, F_ATT_ERROR_REASON, alen - 4u);
        break;
    case 0x000d:
        if (alen >= 4)
            peel_add_u32(pkt, val, F_ATT_LIFETIME);
        break;
    case 0x000f:
        if (alen >= 4)
            peel_add_u32(pkt, val, F_ATT_MAGIC_COOKIE);
        break;
    case 0x0010:
        if (alen >= 4)
            peel_add_u32(pkt, val, F_ATT_BANDWIDTH);
        break;
    case 0x0013:
        peel_add_bytes(pkt, val, F_ATT_DATA, alen);
        break;
    case 0x000a:
        /* pairs of 16-bit types, as Wireshark reads them */
        for (uint32_t i = 0; i + 4 <= alen; i += 4) {
            peel_add_u16(pkt, val, F_ATT_UNKNOWN);
            peel_add_u16(pkt, val, F_ATT_UNKNOWN);
        }
        break;
    case 0x8022:
        peel_add_string(pkt, val, F_ATT_SERVER, alen);
        break;
    case 0x0016:
        if (alen >= 2) {
            peel_reader_skip(val, 1);
            peel_add_uint(pkt, val, F_ATT_FAMILY);
        }
        break;
    case 0xc001:
        peel_add_string(pkt, val, F_ATT_CONN_REQ_BINDING, alen);
        break;
    default:
        break;
    }
}

/* Requests and responses paired by the 128-bit transaction id, as Wireshark's classicstun:
 * each request starts a transaction, a response completes the last one with its id. */
static void
classic_pair(PeelPacket *pkt, uint16_t type, const uint8_t *id)
{
    StunConv *conv = stun_conv(pkt, true);
    uint16_t cls = (uint16_t)((type & 0xc110) >> 4);
    uint32_t num = pkt->frame->number;
    StunTrans *t = stun_classic_trans(conv, id, cls == 0 && !pkt->revisit);
    if (t == NULL)
        return;
    if (!pkt->revisit) {
        if (cls == 0) {
            t->req_frame = num;
            t->req_time = pkt->frame->ts;
        } else {
            t->rep_frame = num;
        }
    }
    if (cls == 0) {
        if (t->rep_frame != 0)
            peel_add_uint_value(pkt, F_RESPONSE_IN, t->rep_frame);
    } else if ((cls == 0x10 || cls == 0x11) && t->req_frame != 0) {
        peel_add_uint_value(pkt, F_RESPONSE_TO, t->req_frame);
        PeelTime d = { pkt->frame->ts.sec - t->req_time.sec,
            pkt->frame->ts.nsec - t->req_time.nsec };
        if (d.nsec < 0) {
            d.nsec += 1000000000;
            d.sec--;
        }
        peel_add_time_value(pkt, F_TIME, d);
    }
}

static void
classic_dissect(PeelReader *rd, PeelPacket *pkt)
{
    uint16_t type = peel_reader_peek_u16be(rd, 0);
    const char *name = peel_value_name(classic_type_names, type);
    peel_set_protocol(pkt, "CLASSIC-STUN");
    peel_info_set(pkt, "Message: %s", name ? name : "Unknown");
    peel_set_text(pkt, pkt->parent, "Simple Traversal of UDP Through NAT");
    uint32_t got_id = 0;
    const uint8_t *id = peel_reader_peek_bytes(rd, 4, 16, &got_id);
    if (id != NULL && got_id == 16)
        classic_pair(pkt, type, id);
    peel_add_u16(pkt, rd, F_TYPE);
    uint16_t len = peel_add_u16(pkt, rd, F_LENGTH);
    uint32_t got = 0;
    const uint8_t *first_word = peel_reader_peek_bytes(rd, 0, 4, &got);
    peel_add_bytes(pkt, rd, F_ID, 16);
    if (peel_check_reader(pkt, rd) || first_word == NULL || got < 4 || len == 0)
        return;
    PeelReader body = peel_reader_take(rd, len);
    peel_open(pkt, &body, F_ATT, peel_reader_captured(&body));
    while (peel_reader_remaining(&body) >= 4 && peel_reader_ok(&body)) {
        uint16_t atype = peel_reader_peek_u16be(&body, 0);
        uint16_t alen = peel_reader_peek_u16be(&body, 2);
        uint32_t left = peel_reader_remaining(&body);
        const char *an = peel_value_name(classic_attr_names, atype);
        int32_t item = peel_open(pkt, &body, F_ATT_TYPE, MIN(4u + alen, left));
        if (item >= 0) {
            pkt->fields[item].v.u = atype;
            pkt->fields[item].flags |= PEEL_FF_HAS_VALUE;
        }
        if (an != NULL)
            peel_set_text(pkt, item, "Attribute: %s", an);
        else
            peel_set_text(pkt, item, "Attribute: Unknown (0x%04x)", atype);
        peel_reader_skip(&body, 2);
        if (4u + alen > left) {
            int32_t li = peel_add_uint_value(pkt, F_ATT_LENGTH, alen);
            peel_set_text(pkt, li, "Attribute Length: %u (bogus, goes past the end of the message)",
                    alen);
            peel_expert(pkt, li, PEEL_SEV_ERROR, PEEL_GROUP_MALFORMED,
                    "classicstun.att.length %u exceeds the %u bytes left in the message", alen,
                    left - 4);
            pkt->malformed = true;
            peel_close(pkt, NULL);
            break;
        }
        peel_add_u16(pkt, &body, F_ATT_LENGTH);
        PeelReader val = peel_reader_take(&body, alen);
        classic_attr_value(pkt, &val, atype, alen, first_word);
        peel_close(pkt, NULL);
    }
    peel_close(pkt, NULL);
}

/* Wireshark's classicstun heuristic: a known RFC 3489 message type, no RFC 5389 cookie
 * (nor the old TURN one), and a length that fills the datagram exactly. */
static bool
classic_heuristic(const PeelReader *rd, const PeelPacket *pkt)
{
    (void)pkt;
    if (peel_reader_captured(rd) < CLASSIC_HDR)
        return false;
    uint16_t type = peel_reader_peek_u16be(rd, 0);
    uint32_t w = peel_reader_peek_u32be(rd, 4);
    if ((type & 0xc000) || w == 0x2112a442u || w == 0x7f5a9bc7u)
        return false;
    if (peel_value_name(classic_type_names, type) == NULL)
        return false;
    return peel_reader_captured(rd) == CLASSIC_HDR + peel_reader_peek_u16be(rd, 2) &&
           peel_reader_remaining(rd) == peel_reader_captured(rd);
}

const PeelProto peel_proto_classicstun = {
    .name = "classicstun",
    .title = "Simple Traversal of UDP Through NAT",
    .fields = classic_fields,
    .n_fields = N_F,
    .dissect = classic_dissect,
    .heuristic = classic_heuristic,
    .heuristic_table = PEEL_TABLE_UDP_PORT,
};
