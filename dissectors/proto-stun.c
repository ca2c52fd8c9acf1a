/* proto-stun.c: Session Traversal Utilities for NAT (RFC 8489, RFC 5389) and TURN (RFC
 * 8656, RFC 6062) messages and ChannelData over UDP and TCP (RFC 4571 framing of RFC 6544
 * too), found on port 3478 and by heuristic; attributes of RFC 8489, 8656, 8445, 5780 and
 * the deprecated RFC 3489 ones; FINGERPRINT and MESSAGE-INTEGRITY(-SHA256) checked; payloads
 * of ChannelData and DATA demultiplexed as RFC 7983 says. Field names, values and the Info
 * column follow Wireshark 4.0's packet-stun.c. */
#include "proto-stun.h"

#include <glib.h>
#include <string.h>

#include "protos.h"

static const PeelValueName stun_class_names[] = {
    { 0, "Request" },
    { 1, "Indication" },
    { 2, "Success Response" },
    { 3, "Error Response" },
    { 0, NULL },
};

static const PeelValueName stun_method_names[] = {
    { 0x001, "Binding" },
    { 0x002, "SharedSecret" },
    { 0x003, "Allocate" },
    { 0x004, "Refresh" },
    { 0x006, "Send" },
    { 0x007, "Data" },
    { 0x008, "CreatePermission" },
    { 0x009, "Channel-Bind" },
    { 0x00a, "Connect" },
    { 0x00b, "ConnectionBind" },
    { 0x00c, "ConnectionAttempt" },
    { 0x080, "GooglePing" },
    { 0, NULL },
};

enum {
    M_BINDING = 0x001,
    M_ALLOCATE = 0x003,
    M_REFRESH = 0x004,
    M_SEND = 0x006,
    M_DATA = 0x007,
    M_CREATE_PERMISSION = 0x008,
    M_CHANNEL_BIND = 0x009,
    M_CONNECTION_BIND = 0x00b,
};

enum {
    C_REQUEST = 0,
    C_INDICATION = 1,
    C_SUCCESS = 2,
    C_ERROR = 3,
};

static const char *
stun_method_str(uint16_t method)
{
    const char *s = peel_value_name(stun_method_names, method);
    return s ? s : "Unknown";
}

/* ---- Payloads: RFC 7983 demultiplexing ---- */

/* A STUN message fills rd exactly (a datagram, a DATA value). */
static bool
stun_is_message(const PeelReader *rd)
{
    if (peel_reader_captured(rd) < STUN_HDR)
        return false;
    uint16_t type = peel_reader_peek_u16be(rd, 0);
    uint16_t method = (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
    return (type & 0xc000) == 0 && method <= 0xff && peel_reader_peek_u32be(rd, 4) == STUN_COOKIE &&
           peel_reader_remaining(rd) == peel_reader_peek_u16be(rd, 2) + STUN_HDR;
}

/* RFC 7983 5: the first byte tells STUN (0-3), ZRTP (16-19), DTLS (20-63), TURN channels
 * (64-79) and RTP/RTCP (128-191; RTCP packet types 192-223 in the second byte). */
static const char *
stun_demux_name(const PeelReader *rd)
{
    if (peel_reader_captured(rd) < 1)
        return NULL;
    uint8_t b = peel_reader_peek_u8(rd, 0);
    if (b <= 3)
        return "STUN";
    if (b >= 16 && b <= 19)
        return "ZRTP";
    if (b >= 20 && b <= 63)
        return "DTLS";
    if (b >= 64 && b <= 79)
        return "TURN ChannelData";
    if (b >= 128 && b <= 191) {
        uint8_t pt = peel_reader_peek_u8(rd, 1);
        return pt >= 192 && pt <= 223 ? "RTCP" : "RTP";
    }
    return NULL;
}

static void stun_info_nested(PeelPacket *pkt, bool nested);

/* Hands a relayed payload on: STUN is dissected (its Info after the carrier's), DTLS and
 * RTP/RTCP are named. */
static void
stun_hand_on(PeelPacket *pkt, PeelReader *payload)
{
    if (stun_is_message(payload)) {
        peel_info_append_str(pkt, ", ");
        uint32_t fence = pkt->info_fence;
        peel_info_fence(pkt);
        stun_info_nested(pkt, true);
        peel_next_proto(pkt, payload, &peel_proto_stun);
        stun_info_nested(pkt, false);
        if (pkt->info_fence > fence)
            pkt->info_fence = fence;
        return;
    }
    const char *name = stun_demux_name(payload);
    if (name != NULL && strcmp(name, "STUN") != 0)
        peel_add_string_value(pkt, F_DEMUX, name, (uint32_t)strlen(name));
    peel_next_data(pkt, payload);
}

/* ---- Transactions and TURN state ---- */

static void
stun_pair(PeelPacket *pkt, StunMsg *m, StunConv *conv)
{
    StunTrans *t = stun_trans(conv, m->id, !pkt->revisit);
    if (t == NULL)
        return;
    uint32_t num = pkt->frame->number;
    if (!pkt->revisit) {
        if (t->req_frame == 0 && t->rep_frame == 0 && t->method == 0)
            t->req_time = pkt->frame->ts; /* as Wireshark: the first message's time */
        if (m->cls == C_REQUEST) {
            if (t->req_frame == 0) {
                t->req_frame = num;
                t->method = m->method;
            }
        } else if (t->rep_frame == 0) {
            t->rep_frame = num;
            t->resp_class = m->cls;
            if (t->method == 0)
                t->method = m->method;
        }
    }
    if (m->cls == C_REQUEST) {
        if (t->req_frame != num)
            peel_add_uint_value(pkt, F_DUPLICATE, t->req_frame);
        if (t->rep_frame != 0)
            peel_add_uint_value(pkt, F_RESPONSE_IN, t->rep_frame);
        else if (pkt->revisit && t->req_frame == num)
            peel_expert(pkt, pkt->parent, PEEL_SEV_NOTE, PEEL_GROUP_SEQUENCE,
                    "%s Request without a response in the capture", stun_method_str(m->method));
        return;
    }
    if (t->rep_frame != num)
        peel_add_uint_value(pkt, F_DUPLICATE, t->rep_frame);
    if ((m->cls == C_SUCCESS || m->cls == C_ERROR) && t->req_frame != 0) {
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

/* Expert notes on error responses (RFC 8489 10.2, RFC 8656 6.4, 7.3). */
static void
stun_error_notes(PeelPacket *pkt, const StunMsg *m, StunConv *conv)
{
    if (m->cls != C_ERROR || m->error == 0)
        return;
    const char *name = stun_error_name(m->error);
    switch (m->error) {
    case 401: {
        /* The first 401 asks for credentials (RFC 8489 9.2.4); one answering a request
         * that carried them means they were refused: clients retrying loop on it. */
        StunTrans *t = stun_trans(conv, m->id, false);
        if (t != NULL && t->authed)
            peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                    "401 Unauthenticated to a request with MESSAGE-INTEGRITY: the credentials "
                    "were refused (401 loop)");
        else
            peel_expert(pkt, pkt->parent, PEEL_SEV_CHAT, PEEL_GROUP_PROTOCOL,
                    "401 Unauthenticated: the server asks for credentials");
        break;
    }
    case 438:
        peel_expert(pkt, pkt->parent, PEEL_SEV_NOTE, PEEL_GROUP_PROTOCOL,
                "438 Stale Nonce: the client must retry with the new NONCE");
        break;
    case 437:
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                "437 Allocation Mismatch: %s",
                m->method == M_ALLOCATE ? "an allocation already exists on this 5-tuple"
                                        : "no allocation on this 5-tuple");
        break;
    default:
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL, "Error response %u (%s)",
                m->error, name ? name : "unknown error code");
        break;
    }
}

/* The TURN server state this message builds (first pass) and what it tells about the
 * peer of a Send or Data indication. */
static void
stun_turn(PeelPacket *pkt, const StunMsg *m, StunConv *conv)
{
    /* RFC 6062 4.3: after a ConnectionBind success the data connection carries the peer's
     * bytes unframed. */
    if (m->method == M_CONNECTION_BIND && m->cls == C_SUCCESS && pkt->ip_proto == 6)
        peel_tcp_set_app(pkt, NULL);
    if (conv == NULL)
        return;
    if (!pkt->revisit && m->cls == C_SUCCESS) {
        StunTrans *t = stun_trans(conv, m->id, false);
        switch (m->method) {
        case M_ALLOCATE:
            if (m->has_relayed)
                stun_turn_allocated(
                        conv, &m->relayed, m->has_lifetime ? m->lifetime : 600, pkt->frame->number);
            break;
        case M_REFRESH:
            if (m->has_lifetime)
                stun_turn_refreshed(conv, m->lifetime);
            break;
        case M_CREATE_PERMISSION:
            for (uint32_t i = 0; t != NULL && i < t->n_peers; i++)
                stun_turn_permit(conv, &t->peers[i]);
            break;
        case M_CHANNEL_BIND:
            if (t != NULL && t->n_peers > 0 && t->channel != 0)
                stun_turn_bind(conv, t->channel, &t->peers[0], pkt->frame->number);
            break;
        default:
            break;
        }
    }
    if (m->cls == C_INDICATION && (m->method == M_SEND || m->method == M_DATA) && m->n_peers > 0) {
        const StunAddr *relayed = stun_turn_relayed(conv);
        if (relayed != NULL) {
            if (peel_keeps(pkt, F_TURN_RELAYED)) {
                const char *s = stun_addr_str(pkt, relayed);
                peel_add_string_value(pkt, F_TURN_RELAYED, s, (uint32_t)strlen(s));
            }
            if (!pkt->revisit && !stun_turn_permitted(conv, &m->peers[0]))
                peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                        "No permission was installed for peer %s (RFC 8656 10)",
                        stun_addr_str(pkt, &m->peers[0]));
        }
        if (peel_keeps(pkt, F_TURN_PEER)) {
            const char *p = stun_addr_str(pkt, &m->peers[0]);
            peel_add_string_value(pkt, F_TURN_PEER, p, (uint32_t)strlen(p));
        }
    }
}

/* ---- Messages ---- */

/*
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |0 0|     STUN Message Type     |         Message Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Magic Cookie                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Transaction ID (96 bits)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Type bits: M11..M7 C1 M6..M4 C0 M3..M0.
 */
/* Over TCP, each STUN PDU of a frame replaces the Info text of the one before, as in
 * Wireshark (the streams layer fences PDUs apart): the fence goes back to where the
 * frame's first STUN PDU started. */
typedef struct {
    uint32_t frame;
    bool revisit;
    bool nested; /* a relayed message is being dissected: it only appends */
    uint32_t fence;
} StunInfoMark;

static const char stun_info_owner = 0;

static void
stun_info_nested(PeelPacket *pkt, bool nested)
{
    if (pkt->dis == NULL)
        return;
    StunInfoMark *mk = peel_engine_data(pkt, &stun_info_owner, sizeof *mk, NULL);
    mk->nested = nested;
}

static void
stun_info_rewind(PeelPacket *pkt)
{
    if (pkt->ip_proto != 6 || pkt->dis == NULL || pkt->in_error)
        return;
    StunInfoMark *mk = peel_engine_data(pkt, &stun_info_owner, sizeof *mk, NULL);
    if (mk->nested)
        return;
    if (mk->frame == pkt->frame->number && mk->revisit == pkt->revisit &&
            mk->fence <= pkt->info_len) {
        pkt->info_fence = mk->fence;
    } else {
        mk->frame = pkt->frame->number;
        mk->revisit = pkt->revisit;
        mk->fence = pkt->info_fence;
    }
}

static void
stun_message(PeelReader *rd, PeelPacket *pkt, uint32_t framing)
{
    peel_set_protocol(pkt, "STUN");
    stun_info_rewind(pkt);
    if (framing)
        peel_add_u16(pkt, rd, F_TCP_FRAME_LEN);
    StunMsg m = { 0 };
    m.whole = *rd;
    uint16_t type = peel_reader_peek_u16be(rd, 0);
    m.cls = (uint8_t)(((type & 0x0010) >> 4) | ((type & 0x0100) >> 7));
    m.method = (uint16_t)((type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2));
    const char *cls_str = peel_value_name(stun_class_names, m.cls);
    const char *method_str = stun_method_str(m.method);
    peel_info_clear(pkt); /* the class is 2 bits, all four named; the method always has a name */
    peel_info_append_str(pkt, method_str);
    peel_info_append_str(pkt, " ");
    peel_info_append_str(pkt, cls_str);
    peel_set_text(pkt, pkt->parent, "Session Traversal Utilities for NAT");

    /* Pairing fields stand first in the tree, as Wireshark's. */
    PeelReader hdr = *rd;
    peel_reader_skip(&hdr, 8);
    m.id = peel_reader_bytes(&hdr, 12);
    StunConv *conv = stun_conv(pkt, true);
    stun_conv_mark(conv);

    PeelReader tr = *rd;
    uint32_t before = pkt->n_fields;
    peel_add_u16(pkt, rd, F_TYPE);
    peel_set_text(pkt, peel_last(pkt), "Message Type: 0x%04x (%s %s)", type, method_str, cls_str);
    bool op = peel_open_last(pkt, before);
    peel_add_bits(pkt, &tr, F_TYPE_CLASS);
    peel_set_text(pkt, peel_last(pkt), "Message Class: 0x%04x %s (%u)",
            (unsigned)((type & 0x0110) >> 4), cls_str, m.cls);
    peel_add_bits(pkt, &tr, F_TYPE_METHOD);
    peel_set_text(pkt, peel_last(pkt), "Message Method: 0x%04x %s (0x%03x)",
            (unsigned)(type & 0x3eef), method_str, m.method);
    peel_add_bits(pkt, &tr, F_TYPE_METHOD_ASSIGN);
    peel_close_if(pkt, op);
    uint16_t len = peel_add_u16(pkt, rd, F_LENGTH);
    peel_add_bytes(pkt, rd, F_COOKIE, 4);
    peel_add_bytes(pkt, rd, F_ID, 12);
    if (peel_check_reader(pkt, rd) || m.id == NULL)
        return;
    stun_pair(pkt, &m, conv);

    if (len > 0) {
        int32_t nv = peel_add_uint_value(pkt, F_NETWORK_VERSION, 3);
        peel_set_text(pkt, nv, "[STUN Network Version: RFC-5389/8489 (3)]");
        if (len & 3)
            peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                    "Packet length %u is not multiple of 4 bytes", len);
        PeelReader body = peel_reader_take(rd, len);
        peel_open(pkt, &body, F_ATTRIBUTES, peel_reader_captured(&body));
        while (peel_reader_remaining(&body) > 0 && peel_reader_ok(&body))
            if (!stun_attribute(pkt, &body, &m))
                break;
        peel_close(pkt, NULL);
    }
    if (!pkt->revisit && m.cls == C_REQUEST) {
        /* What the request asks for, known now that its attributes are read. */
        StunTrans *t = stun_trans(conv, m.id, false);
        if (t != NULL && t->req_frame == pkt->frame->number) {
            t->n_peers = m.n_peers;
            memcpy(t->peers, m.peers, sizeof t->peers);
            t->channel = m.has_channel ? m.channel : 0;
            t->authed = m.has_integrity;
        }
    } else if (!pkt->revisit && m.cls == C_ERROR) {
        StunTrans *t = stun_trans(conv, m.id, false);
        if (t != NULL && t->rep_frame == pkt->frame->number)
            t->error = m.error;
    }
    stun_error_notes(pkt, &m, conv);
    stun_turn(pkt, &m, conv);
    if (m.has_data) /* the DATA value, from its own start: hand it on */
        stun_hand_on(pkt, &m.data);
}

/*
 *  0                   1                   2                   3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Channel Number        |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Application Data ...                      |
 * RFC 8656 12.5: padded to 4 bytes over TCP; over UDP padding is allowed, not required.
 */
static void
stun_channel_data(PeelReader *rd, PeelPacket *pkt, uint32_t framing)
{
    peel_set_protocol(pkt, "STUN");
    stun_info_rewind(pkt);
    peel_info_set(pkt, "ChannelData TURN Message");
    peel_set_text(
            pkt, pkt->parent, "Session Traversal Utilities for NAT, TURN ChannelData Message");
    if (framing)
        peel_add_u16(pkt, rd, F_TCP_FRAME_LEN);
    uint16_t channel = peel_add_u16(pkt, rd, F_CHANNEL);
    uint16_t len = peel_add_u16(pkt, rd, F_LENGTH);
    if (peel_check_reader(pkt, rd))
        return;
    if (channel == MS_MULTIPLEX && len >= 8) {
        peel_add_u64(pkt, rd, F_MS_TURN_SESSION_ID);
        len -= 8;
    }
    StunConv *conv = stun_conv(pkt, false);
    const StunChannel *ch = stun_turn_channel(conv, channel);
    if (ch != NULL) {
        /* the addresses as text only where the fields are kept (every ChannelData frame) */
        if (peel_keeps(pkt, F_TURN_PEER)) {
            const char *p = stun_addr_str(pkt, &ch->peer);
            peel_add_string_value(pkt, F_TURN_PEER, p, (uint32_t)strlen(p));
        }
        const StunAddr *relayed = stun_turn_relayed(conv);
        if (relayed != NULL && peel_keeps(pkt, F_TURN_RELAYED)) {
            const char *s = stun_addr_str(pkt, relayed);
            peel_add_string_value(pkt, F_TURN_RELAYED, s, (uint32_t)strlen(s));
        }
    } else if (conv != NULL && stun_turn_relayed(conv) != NULL && !pkt->revisit) {
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                "Channel 0x%04x was not bound on this 5-tuple", channel);
    }
    PeelReader payload = peel_reader_take(rd, len);
    stun_hand_on(pkt, &payload);
}

/* How the message starts: RFC 4571 framing (RFC 6544) puts a 2-byte length first. */
static uint32_t
stun_framing(const PeelReader *rd, bool tcp)
{
    return tcp && peel_reader_captured(rd) >= 10 && peel_reader_peek_u32be(rd, 6) == STUN_COOKIE
                   ? 2
                   : 0;
}

static bool
stun_over_tcp(const PeelPacket *pkt)
{
    return pkt->ip_proto == 6;
}

/* Whether rd (a whole datagram, or a whole PDU over TCP) is STUN or ChannelData the way
 * Wireshark's dissect_stun_message() accepts it; `known` allows ChannelData (the port or
 * the 5-tuple is STUN's). */
static bool
stun_accepts(const PeelReader *rd, bool tcp, bool known)
{
    uint32_t framing = stun_framing(rd, tcp);
    if (peel_reader_captured(rd) < framing + 4)
        return false;
    uint16_t type = peel_reader_peek_u16be(rd, framing);
    uint32_t len = peel_reader_peek_u16be(rd, framing + 2);
    uint32_t reported = peel_reader_remaining(rd);
    if (type & 0xc000) {
        if (!known || ((type & 0x8000) && type != MS_MULTIPLEX))
            return false;
        if (tcp)
            return reported == ROUNDUP4(len + CHANNEL_HDR);
        return reported == len + CHANNEL_HDR || reported == ROUNDUP4(len + CHANNEL_HDR);
    }
    if (peel_reader_captured(rd) < STUN_HDR + framing)
        return false;
    uint16_t method = (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
    return method <= 0xff && peel_reader_peek_u32be(rd, framing + 4) == STUN_COOKIE &&
           reported == len + STUN_HDR + framing;
}

static void
stun_dissect(PeelReader *rd, PeelPacket *pkt)
{
    bool tcp = stun_over_tcp(pkt);
    uint32_t framing = stun_framing(rd, tcp);
    if (stun_accepts(rd, tcp, true)) {
        uint16_t type = peel_reader_peek_u16be(rd, framing);
        if (type & 0xc000)
            stun_channel_data(rd, pkt, framing);
        else
            stun_message(rd, pkt, framing);
        return;
    }
    /* Not STUN (port 3478 or decode-as): RFC 3489 messages go to classic STUN; on a STUN
     * 5-tuple, RFC 7983 names what else shares it; the rest is data, and the STUN item
     * stays filterable but out of the tree. */
    if (peel_proto_classicstun.heuristic(rd, pkt)) {
        peel_hide(pkt, pkt->parent);
        peel_next_proto(pkt, rd, &peel_proto_classicstun);
        return;
    }
    const char *name = stun_demux_name(rd);
    if (name != NULL && strcmp(name, "STUN") != 0 && strcmp(name, "TURN ChannelData") != 0) {
        peel_set_text(pkt, pkt->parent,
                "Session Traversal Utilities for NAT, RFC 7983 demultiplexing: %s", name);
        peel_set_protocol(pkt, name);
        peel_info_set(pkt, "%s (RFC 7983 demultiplexing on a STUN 5-tuple; not decoded)", name);
        peel_add_string_value(pkt, F_DEMUX, name, (uint32_t)strlen(name));
    } else {
        peel_hide(pkt, pkt->parent);
    }
    peel_next_data(pkt, rd);
}

static bool
stun_heuristic(const PeelReader *rd, const PeelPacket *pkt)
{
    bool tcp = stun_over_tcp(pkt);
    if (tcp) {
        /* Wireshark's dissect_stun_heur_tcp: a STUN message (not ChannelData) starts the
         * stream; it may be followed by more. */
        uint32_t framing = stun_framing(rd, true);
        if (peel_reader_captured(rd) < STUN_HDR + framing)
            return false;
        uint16_t type = peel_reader_peek_u16be(rd, framing);
        uint32_t len = peel_reader_peek_u16be(rd, framing + 2);
        return (type & 0xc000) == 0 && peel_reader_peek_u32be(rd, framing + 4) == STUN_COOKIE &&
               peel_reader_remaining(rd) >= len + STUN_HDR + framing;
    }
    /* Over UDP: a STUN message anywhere; on port 3478, or on a 5-tuple a STUN message was
     * seen on, also ChannelData and the other protocols RFC 7983 multiplexes with STUN.
     * The 5-tuple is looked up only for first bytes that could be one of them. */
    if (peel_reader_captured(rd) < 1)
        return false;
    uint8_t b = peel_reader_peek_u8(rd, 0);
    if (b <= 3)
        return stun_accepts(rd, false, false);
    const char *name = stun_demux_name(rd);
    /* Channel numbers: 0x4000-0x7fff (RFC 5766; RFC 8656 narrows them to 0x4fff, coturn
     * still uses the whole range) and MS-TURN's 0xff10. */
    bool channel = (b & 0xc0) == 0x40 || b == (MS_MULTIPLEX >> 8);
    if (name == NULL && !channel)
        return false;
    if (pkt->src_port == STUN_PORT || pkt->dst_port == STUN_PORT) {
        if (stun_accepts(rd, false, true))
            return true;
    }
    StunConv *conv = stun_conv((PeelPacket *)pkt, false);
    if (!stun_conv_marked(conv))
        return false;
    if (stun_accepts(rd, false, true))
        return true;
    return name != NULL && (strcmp(name, "DTLS") == 0 || strcmp(name, "RTP") == 0 ||
                                   strcmp(name, "RTCP") == 0 || strcmp(name, "ZRTP") == 0);
}

/* TCP: the PDU starting at rd (Wireshark's get_stun_message_len). */
static uint32_t
stun_pdu_len(const PeelReader *rd, PeelPacket *pkt)
{
    (void)pkt;
    uint32_t have = peel_reader_captured(rd);
    if (have < 4)
        return 0;
    if (stun_framing(rd, true))
        return peel_reader_peek_u16be(rd, 0) + 2u;
    uint16_t type = peel_reader_peek_u16be(rd, 0);
    uint32_t len = peel_reader_peek_u16be(rd, 2);
    if (type & 0xc000)
        return ROUNDUP4(len + CHANNEL_HDR);
    return len + STUN_HDR;
}

const PeelProto peel_proto_stun = {
    .name = "stun",
    .title = "Session Traversal Utilities for NAT",
    .fields = stun_fields,
    .n_fields = N_F,
    .dissect = stun_dissect,
    .heuristic = stun_heuristic,
    .heuristic_table = PEEL_TABLE_UDP_PORT,
    .heuristic_table2 = PEEL_TABLE_TCP_PORT,
    .handoffs = { { PEEL_TABLE_TCP_PORT, STUN_PORT } },
    .pdu_len = stun_pdu_len,
};
