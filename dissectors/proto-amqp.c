/* proto-amqp.c: AMQP 0-9-1 over TCP (amqp0-9-1.pdf section 4.2 and the RabbitMQ errata):
 * the protocol header (0-9-1, and 0-10 and 1.0 ones named, not parsed), frames cut by
 * pdu_len, content headers with every basic property, bodies reassembled per channel up to
 * the header's body size, and connection state (heartbeats, publish numbers, which
 * deliveries an ack covers). Fields and info text as Wireshark 4.0's packet-amqp.c.
 *
 * Limits: a body is kept for reassembly up to AMQP_MAX_BODY bytes (past that it is
 * counted and noted, not shown); a channel keeps at most AMQP_MAX_OUTSTANDING unacked
 * deliveries per direction (the oldest are forgotten first); after a capture gap or a
 * bad frame-end octet at most AMQP_RESYNC_SCAN bytes are searched for the next frame. */
#include <glib.h>
#include <string.h>

#include "amqp.h"
#include "flow.h"
#include "format.h"
#include "proto-json.h"
#include "protos.h"

#define AMQP_MAX_BODY        (4u << 20)
#define AMQP_MAX_OUTSTANDING 65536u
#define AMQP_RESYNC_SCAN     65536u
#define AMQP_FRAME_END       0xce
#define AMQP_MAX_FRAME_LEN   (1u << 28) /* a length past this is not a frame start */
#define MAX_MSG_IN           8u         /* message_in frames kept per ack record */

/* 0-9-1 reply codes (amqp0-9-1.xml constants), for expert notes. */
static const PeelValueName reply_names[] = {
    { 200, "REPLY_SUCCESS" },
    { 311, "CONTENT_TOO_LARGE" },
    { 312, "NO_ROUTE" },
    { 313, "NO_CONSUMERS" },
    { 320, "CONNECTION_FORCED" },
    { 402, "INVALID_PATH" },
    { 403, "ACCESS_REFUSED" },
    { 404, "NOT_FOUND" },
    { 405, "RESOURCE_LOCKED" },
    { 406, "PRECONDITION_FAILED" },
    { 501, "FRAME_ERROR" },
    { 502, "SYNTAX_ERROR" },
    { 503, "COMMAND_INVALID" },
    { 504, "CHANNEL_ERROR" },
    { 505, "UNEXPECTED_FRAME" },
    { 506, "RESOURCE_ERROR" },
    { 530, "NOT_ALLOWED" },
    { 540, "NOT_IMPLEMENTED" },
    { 541, "INTERNAL_ERROR" },
    { 0, NULL },
};

/* ---- connection state (first pass) ---- */

enum { V_091 = 0, V_010 = 1, V_10 = 2 };

typedef struct {
    uint64_t tag;
    uint32_t frame;
} Delivery;

typedef struct {
    uint64_t expect, got; /* body size from the content header, bytes seen */
    GByteArray *body;     /* NULL once past AMQP_MAX_BODY */
    bool active;
    uint32_t frames; /* body frames so far */
    char ctype[64];  /* the content header's content-type: lower case, no parameters */
    uint64_t publish_count;
    Delivery *dl; /* deliveries (or publishes) sent this way, oldest first */
    uint32_t n_dl, cap_dl;
} ChanDir;

typedef struct {
    ChanDir dir[2];
} Chan;

typedef struct {
    uint8_t version;
    bool header_from[2];
    uint32_t header[2]; /* octets 4-7 of each side's first protocol header */
    bool synced[2];     /* a frame start was found in this direction */
    bool skip_next[2];  /* pdu_len returned bytes to skip, not a frame */
    uint16_t heartbeat; /* negotiated by tune-ok, seconds */
    PeelTime last[2];
    bool have_last[2];
    GHashTable *channels; /* channel number -> Chan */
} Conv;

static void
chandir_clear(ChanDir *d)
{
    if (d->body != NULL)
        g_byte_array_unref(d->body);
    d->body = NULL;
    g_free(d->dl);
    d->dl = NULL;
    d->n_dl = d->cap_dl = 0;
}

static void
chan_free(gpointer p)
{
    Chan *c = p;
    chandir_clear(&c->dir[0]);
    chandir_clear(&c->dir[1]);
    g_free(c);
}

static void
conv_clear(void *data)
{
    Conv *c = data;
    if (c->channels != NULL)
        g_hash_table_destroy(c->channels);
}

static Conv *
conv_get(PeelPacket *pkt)
{
    if (pkt->flow == NULL || pkt->revisit || pkt->in_error)
        return NULL;
    Conv *c = peel_flow_data(pkt->flow, &peel_proto_amqp, sizeof *c, conv_clear);
    if (c->channels == NULL)
        c->channels = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, chan_free);
    return c;
}

static Chan *
chan_get(Conv *c, uint16_t ch)
{
    Chan *x = g_hash_table_lookup(c->channels, GUINT_TO_POINTER(ch));
    if (x == NULL) {
        x = g_new0(Chan, 1);
        g_hash_table_insert(c->channels, GUINT_TO_POINTER(ch), x);
    }
    return x;
}

static void
delivery_push(ChanDir *d, uint64_t tag, uint32_t frame)
{
    if (d->n_dl == AMQP_MAX_OUTSTANDING) { /* forget the oldest */
        memmove(d->dl, d->dl + 1, (d->n_dl - 1) * sizeof *d->dl);
        d->n_dl--;
    }
    if (d->n_dl == d->cap_dl) {
        d->cap_dl = d->cap_dl ? d->cap_dl * 2 : 16;
        d->dl = g_renew(Delivery, d->dl, d->cap_dl);
    }
    d->dl[d->n_dl++] = (Delivery){ tag, frame };
}

/* ---- per-frame records, so a revisit shows what the first pass found ---- */

enum {
    R_HB_MISSED = 1u << 0,
    R_PUBLISH = 1u << 1,
    R_BODY = 1u << 2,         /* a body completed here; its bytes follow the record */
    R_BODY_TOO_BIG = 1u << 3, /* completed, past AMQP_MAX_BODY: not kept */
    R_REJECT = 1u << 4,       /* a protocol header answering the peer's: a refusal */
    R_SKIP = 1u << 5,         /* bytes skipped while looking for a frame */
    R_BODY_EXTRA = 1u << 6,   /* body frames carried more than the body size */
};

typedef struct {
    uint32_t flags;
    uint32_t hb_gap_ms;
    uint16_t heartbeat;
    uint8_t version;
    uint8_t n_msg_in;
    uint32_t msg_in_total;
    uint64_t publish_number;
    uint64_t body_len;
    uint32_t body_frames;
    uint32_t msg_in[MAX_MSG_IN];
    const char *ctype; /* content-type of a body completed here (for JSON bodies): in the
                        * record it follows the body bytes; NULL when none */
} Rec;

/* Which record of this frame the PDU at rd is: PDUs of a frame are dissected in the same
 * order on every pass (a reassembled one first, then in-frame ones by offset). */
typedef struct {
    uint32_t frame;
    bool revisit;
    uint64_t last_key;
    uint8_t sub;
} SubCounter;

static uint8_t
record_sub(PeelPacket *pkt, const PeelReader *rd)
{
    SubCounter *sc = peel_engine_data(pkt, &amqp_fields, sizeof *sc, NULL);
    uint64_t key = rd->src != 0 ? (uint64_t)rd->src : (1ull << 32) + rd->base;
    if (sc->frame != pkt->frame->number || sc->revisit != pkt->revisit || key <= sc->last_key)
        sc->sub = 0;
    sc->frame = pkt->frame->number;
    sc->revisit = pkt->revisit;
    sc->last_key = key;
    if (sc->sub < 255)
        sc->sub++;
    return sc->sub;
}

/* ---- framing ---- */

/* Whether a frame (or a protocol header) starts at off; `partial_ok` accepts one whose end
 * is not held yet. */
static bool
frame_starts(const PeelReader *rd, uint32_t off, bool partial_ok)
{
    uint32_t held = peel_reader_captured(rd);
    if (held >= off + 4 && peel_reader_peek_u32be(rd, off) == 0x414d5150u) /* "AMQP" */
        return true;
    if (held < off + 7)
        return false;
    uint8_t type = peel_reader_peek_u8(rd, off);
    if (type < 1 || type > 8)
        return false;
    uint32_t len = peel_reader_peek_u32be(rd, off + 3);
    if (len > AMQP_MAX_FRAME_LEN || (type == 8 && len != 0))
        return false;
    if ((uint64_t)off + 7 + len < held)
        return peel_reader_peek_u8(rd, off + 7 + len) == AMQP_FRAME_END;
    return partial_ok;
}

static uint32_t
amqp_pdu_len(const PeelReader *rd, PeelPacket *pkt)
{
    uint32_t held = peel_reader_captured(rd);
    if (held < 4)
        return 0;
    if (peel_reader_peek_u32be(rd, 0) == 0x414d5150u)
        return 8;
    Conv *c = conv_get(pkt);
    int dir = pkt->flow_dir;
    if (c != NULL && c->version == V_10)
        return MAX(peel_reader_peek_u32be(rd, 0), 8u);
    if (c != NULL && c->version == V_010)
        return MAX((uint32_t)peel_reader_peek_u16be(rd, 2), 4u);
    if (c != NULL && !c->synced[dir]) {
        /* Look for the next frame start: the capture began inside a frame, or bytes
         * were lost. */
        uint32_t limit = MIN(held, AMQP_RESYNC_SCAN);
        for (uint32_t k = 0; k < limit; k++) {
            if (!frame_starts(rd, k, k == 0))
                continue;
            if (k == 0)
                break;
            c->skip_next[dir] = true;
            return k;
        }
        if (!frame_starts(rd, 0, true)) {
            if (held < AMQP_RESYNC_SCAN)
                return 0;
            c->skip_next[dir] = true;
            return AMQP_RESYNC_SCAN;
        }
        c->synced[dir] = true;
    }
    if (held < 7)
        return 0;
    uint64_t len = 8ull + peel_reader_peek_u32be(rd, 3);
    return len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
}

static void
amqp_stream_gap(PeelPacket *pkt)
{
    Conv *c = conv_get(pkt);
    if (c == NULL)
        return;
    int dir = pkt->flow_dir;
    c->synced[dir] = false;
    /* Bodies under way in this direction lost bytes: drop them. */
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, c->channels);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        ChanDir *d = &((Chan *)v)->dir[dir];
        d->active = false;
        if (d->body != NULL)
            g_byte_array_set_size(d->body, 0);
    }
}

/* ---- the protocol header ---- */

/*
 *  +---+---+---+---+---------+---------+---------+----------+
 *  | A | M | Q | P | id/0    | major   | minor   | revision |   0-9-1: AMQP 0 0 9 1
 *  +---+---+---+---+---------+---------+---------+----------+   1.0:   AMQP id 1 0 0
 */
static void
dissect_header(PeelPacket *pkt, PeelReader *rd, Conv *c, Rec *rec)
{
    uint8_t b4 = peel_reader_peek_u8(rd, 4), b5 = peel_reader_peek_u8(rd, 5);
    uint8_t b6 = peel_reader_peek_u8(rd, 6), b7 = peel_reader_peek_u8(rd, 7);
    uint8_t version = V_091;
    if (b5 == 1 && b6 == 0 && b7 == 0)
        version = V_10;
    else if (b6 == 0 && b7 == 10)
        version = V_010;
    if (c != NULL) {
        int dir = pkt->flow_dir;
        uint32_t mine = (uint32_t)b4 << 24 | (uint32_t)b5 << 16 | (uint32_t)b6 << 8 | b7;
        /* 0-10 and 1.0 servers echo an accepted header; an answer with another version is
         * a refusal (amqp0-9-1 4.2.2), after which the server closes. */
        if (c->header_from[!dir] && !c->header_from[dir] && c->header[!dir] != mine)
            rec->flags |= R_REJECT;
        if (!c->header_from[dir])
            c->header[dir] = mine;
        c->header_from[dir] = true;
        c->synced[dir] = true;
        /* A client's 1.0 or 0-10 header sets the connection's framing; a server's answer
         * to another version is a refusal after which the connection closes. */
        if (!(rec->flags & R_REJECT))
            c->version = version;
        rec->version = version;
    }
    peel_add_string(pkt, rd, AF_INIT_PROTOCOL, 4);
    if (version == V_10) {
        peel_add_u8(pkt, rd, AF_INIT_ID);
        peel_add_u8(pkt, rd, AF_INIT_VMAJOR);
        peel_add_u8(pkt, rd, AF_INIT_VMINOR);
        peel_add_u8(pkt, rd, AF_INIT_VREV);
        peel_info_append(pkt, "Protocol-Header%s 1-0-0 ", b4 == 2 ? "(TLS)" : "");
        peel_set_text(pkt, pkt->parent, "Advanced Message Queuing Protocol (AMQP 1.0%s)",
                b4 == 3   ? ", SASL"
                : b4 == 2 ? ", TLS"
                          : "");
        peel_expert(pkt, pkt->parent, PEEL_SEV_NOTE, PEEL_GROUP_UNDECODED,
                "AMQP 1.0 protocol header: the frames of this connection are not decoded");
    } else {
        /* 0-9-1 and others as Wireshark's 0-9 dissector lays them out. */
        peel_add_u8(pkt, rd, AF_INIT_ID_MAJOR);
        peel_add_u8(pkt, rd, AF_INIT_ID_MINOR);
        peel_add_u8(pkt, rd, AF_INIT_VMAJOR);
        peel_add_u8(pkt, rd, AF_INIT_VMINOR);
        if (version == V_010) {
            peel_info_append(pkt, "Protocol-Header %u-%u ", b6, b7);
            peel_expert(pkt, pkt->parent, PEEL_SEV_NOTE, PEEL_GROUP_UNDECODED,
                    "AMQP 0-10 protocol header: the frames of this connection are not "
                    "decoded");
        } else {
            peel_info_append(pkt, "Protocol-Header %u-%u-%u", b5, b6, b7);
            if (!(b4 == 0 && b5 == 0 && b6 == 9 && b7 == 1))
                peel_expert(pkt, pkt->parent, PEEL_SEV_NOTE, PEEL_GROUP_PROTOCOL,
                        "protocol header for AMQP %u-%u-%u (id %u), not 0-9-1", b5, b6, b7, b4);
        }
    }
    if (rec->flags & R_REJECT)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                "the server answers the client's protocol header with its own "
                "(AMQP %u-%u-%u): it refuses the client's version and closes the connection",
                b5, b6, b7);
}

/* ---- content ---- */

static void
add_prop_str(PeelPacket *pkt, PeelReader *rd, uint32_t f, bool info)
{
    uint32_t n = 0;
    const uint8_t *s = amqp_add_shortstr(pkt, rd, f, &n);
    if (info && s != NULL && pkt->want_info && peel_reader_ok(rd)) {
        GString *t = g_string_new("type=");
        peel_format_escaped(t, s, n);
        g_string_append_c(t, ' ');
        peel_info_append_str(pkt, t->str);
        g_string_free(t, TRUE);
    }
}

/*
 *  +----------+--------+-----------+----------------+------------------
 *  | class-id | weight | body size | property flags | property list ...
 *  |    16    |   16   |    64     |       16       |
 *  +----------+--------+-----------+----------------+------------------
 */
static uint64_t
dissect_content_header(PeelPacket *pkt, PeelReader *rd, char *ctype, size_t ctype_size)
{
    ctype[0] = '\0';
    uint16_t cls = peel_add_u16(pkt, rd, AF_HDR_CLASS);
    peel_add_u16(pkt, rd, AF_HDR_WEIGHT);
    uint64_t size = peel_add_u64(pkt, rd, AF_HDR_BODY_SIZE);
    uint16_t flags = peel_add_u16(pkt, rd, AF_HDR_FLAGS);
    peel_info_append_str(pkt, "Content-Header ");
    if (!peel_reader_ok(rd))
        return size;
    peel_open(pkt, rd, AF_HDR_PROPS, peel_reader_remaining(rd));
    if (cls != AMQP_CLASS_BASIC) {
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL, "Unknown header class %u",
                cls);
        peel_close(pkt, NULL);
        return size;
    }
    /* Bit 15 first: content-type ... cluster-id (reserved in 0-9-1); bit 0 would say
     * another flags word follows, which basic never uses. */
    for (int bit = 15; bit >= 2 && peel_reader_ok(rd); bit--) {
        if (!(flags & (1u << bit)))
            continue;
        switch (bit) {
        case 15: {
            /* kept as media types are named: lower case, without parameters */
            uint32_t n = peel_reader_peek_u8(rd, 0), got = 0, k = 0;
            const uint8_t *s = peel_reader_peek_bytes(rd, 1, n, &got);
            for (uint32_t i = 0; s != NULL && i < got && k + 1 < ctype_size; i++) {
                if (s[i] == ';' || s[i] == ' ')
                    break;
                ctype[k++] = (char)g_ascii_tolower((char)s[i]);
            }
            ctype[k] = '\0';
            add_prop_str(pkt, rd, AF_P_CONTENT_TYPE, true);
            break;
        }
        case 14:
            add_prop_str(pkt, rd, AF_P_CONTENT_ENCODING, false);
            break;
        case 13: {
            uint32_t n = peel_reader_u32be(rd);
            if (!peel_reader_ok(rd) || peel_reader_remaining(rd) < n) {
                peel_add_bytes(pkt, rd, AF_P_HEADERS, n);
                break;
            }
            amqp_dissect_table(pkt, rd, AF_P_HEADERS, n, 0);
            break;
        }
        case 12:
            peel_add_u8(pkt, rd, AF_P_DELIVERY_MODE);
            break;
        case 11:
            peel_add_u8(pkt, rd, AF_P_PRIORITY);
            break;
        case 10:
            add_prop_str(pkt, rd, AF_P_CORRELATION_ID, false);
            break;
        case 9:
            add_prop_str(pkt, rd, AF_P_REPLY_TO, false);
            break;
        case 8:
            add_prop_str(pkt, rd, AF_P_EXPIRATION, false);
            break;
        case 7:
            add_prop_str(pkt, rd, AF_P_MESSAGE_ID, false);
            break;
        case 6:
            amqp_add_timestamp(pkt, rd, AF_P_TIMESTAMP);
            break;
        case 5:
            add_prop_str(pkt, rd, AF_P_TYPE, false);
            break;
        case 4:
            add_prop_str(pkt, rd, AF_P_USER_ID, false);
            break;
        case 3:
            add_prop_str(pkt, rd, AF_P_APP_ID, false);
            break;
        case 2:
            add_prop_str(pkt, rd, AF_P_CLUSTER_ID, false);
            break;
        }
    }
    peel_close(pkt, NULL);
    return size;
}

/* First pass: a body frame of `len` bytes on channel ch; fills rec when it completes. */
static const uint8_t *
body_track(Conv *c, int dir, uint16_t ch, const PeelReader *payload, uint32_t len, Rec *rec)
{
    ChanDir *d = &chan_get(c, ch)->dir[dir];
    if (!d->active)
        return NULL;
    uint32_t got = 0;
    const uint8_t *bytes = peel_reader_peek_bytes(payload, 0, len, &got);
    if (d->body != NULL && d->got + got <= AMQP_MAX_BODY && got == len) {
        g_byte_array_append(d->body, bytes, got);
    } else if (d->body != NULL) {
        g_byte_array_unref(d->body);
        d->body = NULL;
    }
    d->got += len;
    d->frames++;
    if (d->got < d->expect)
        return NULL;
    d->active = false;
    rec->body_len = d->expect;
    rec->body_frames = d->frames;
    rec->ctype = d->ctype[0] != '\0' ? d->ctype : NULL;
    if (d->got > d->expect)
        rec->flags |= R_BODY_EXTRA;
    if (d->body == NULL) {
        rec->flags |= R_BODY_TOO_BIG;
        return NULL;
    }
    rec->flags |= R_BODY;
    return d->body->data;
}

static void
show_body(PeelPacket *pkt, const Rec *rec, const uint8_t *body)
{
    if (rec->flags & R_BODY_EXTRA)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "the body frames carry more bytes than the content header's body size of "
                "%" G_GUINT64_FORMAT,
                rec->body_len);
    if (rec->flags & R_BODY_TOO_BIG) {
        peel_expert(pkt, pkt->parent, PEEL_SEV_NOTE, PEEL_GROUP_REASSEMBLE,
                "message body of %" G_GUINT64_FORMAT " bytes is past the %u-byte "
                "reassembly limit: not shown",
                rec->body_len, AMQP_MAX_BODY);
        return;
    }
    if (!(rec->flags & R_BODY) || body == NULL)
        return;
    uint32_t n = (uint32_t)rec->body_len;
    uint8_t *copy = peel_arena_alloc(pkt->arena, n ? n : 1);
    if (copy == NULL)
        return;
    memcpy(copy, body, n);
    PeelReader brd = peel_add_source(pkt, copy, n, "Reassembled AMQP body");
    if (!peel_reader_ok(&brd))
        return;
    PeelReader json = brd;
    peel_add_bytes(pkt, &brd, AF_BODY, n);
    peel_set_text(pkt, peel_last(pkt), "[Message body: %u bytes in %u body frame%s]", n,
            rec->body_frames, rec->body_frames == 1 ? "" : "s");
    /* As Wireshark: a body whose content-type is a JSON media type goes to JSON. */
    if (n > 0 && rec->ctype != NULL && peel_json_media_type(rec->ctype))
        peel_json_dissect(pkt, &json, rec->ctype);
}

/* ---- connection-level bookkeeping of methods (first pass) ---- */

static void
method_track(PeelPacket *pkt, Conv *c, uint16_t ch, const AmqpMethodInfo *mi, Rec *rec)
{
    int dir = pkt->flow_dir;
    uint32_t frame = pkt->frame->number;
    if (mi->cls == AMQP_CLASS_CONNECTION && mi->method == 31 && mi->has_heartbeat)
        c->heartbeat = mi->heartbeat;
    if (mi->cls == AMQP_CLASS_CHANNEL && mi->method == 40) {
        g_hash_table_remove(c->channels, GUINT_TO_POINTER(ch)); /* as Wireshark */
        return;
    }
    if (mi->cls != AMQP_CLASS_BASIC || !mi->known)
        return;
    ChanDir *d = &chan_get(c, ch)->dir[dir];
    switch (mi->method) {
    case 40: /* publish: numbered (before its arguments) in dissect_frame */
        break;
    case 60: /* deliver */
    case 71: /* get-ok */
        if (mi->has_delivery_tag)
            delivery_push(d, mi->delivery_tag, frame);
        break;
    case 80:  /* ack */
    case 90:  /* reject */
    case 120: /* nack */
        if (!mi->has_delivery_tag)
            break;
        /* What it acknowledges went the other way; tag 0 with multiple means all. */
        ChanDir *o = &chan_get(c, ch)->dir[!dir];
        uint32_t keep = 0;
        bool multiple = mi->multiple && mi->method != 90;
        for (uint32_t i = 0; i < o->n_dl; i++) {
            bool acked = o->dl[i].tag == mi->delivery_tag ||
                         (multiple && (mi->delivery_tag == 0 || o->dl[i].tag < mi->delivery_tag));
            if (acked) {
                if (rec->n_msg_in < MAX_MSG_IN)
                    rec->msg_in[rec->n_msg_in++] = o->dl[i].frame;
                rec->msg_in_total++;
            } else {
                o->dl[keep++] = o->dl[i];
            }
        }
        o->n_dl = keep;
        break;
    default:
        break;
    }
}

/* Expert notes read from the method itself (both passes). */
static void
method_experts(PeelPacket *pkt, const AmqpMethodInfo *mi, int32_t at)
{
    if (!mi->has_reply_code)
        return;
    const char *name = peel_value_name(reply_names, mi->reply_code);
    if (name == NULL)
        name = "(not a 0-9-1 reply code)";
    const char *what = NULL;
    if (mi->cls == AMQP_CLASS_CONNECTION && mi->method == 50)
        what = "Connection";
    else if (mi->cls == AMQP_CLASS_CHANNEL && mi->method == 40)
        what = "Channel";
    if (mi->cls == AMQP_CLASS_BASIC && mi->method == 50) {
        peel_expert(pkt, at, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                "Message was not delivered: returned with %u %s", mi->reply_code, name);
    } else if (what != NULL && mi->reply_code > 200) {
        /* 3xx-5xx: soft and hard errors (amqp0-9-1.xml constants) */
        peel_expert(pkt, at, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL, "%s error: %u %s", what,
                mi->reply_code, name);
    } else if (what != NULL && mi->reply_code != 200) {
        /* Some clients (pika) close normally with 0 rather than 200 reply-success. */
        peel_expert(pkt, at, PEEL_SEV_NOTE, PEEL_GROUP_PROTOCOL,
                "%s closed with reply code %u, not 200 (reply-success)", what, mi->reply_code);
    }
}

/* ---- one frame ---- */

/*
 *  +------+---------+---------+-------------------+-----------+
 *  | type | channel |  size   |  payload (size)   | frame-end |
 *  |  8   |   16    |   32    |                   |   0xCE    |
 *  +------+---------+---------+-------------------+-----------+
 */
static void
dissect_frame(PeelPacket *pkt, PeelReader *rd, Conv *c, Rec *rec, const uint8_t **body)
{
    uint8_t type = peel_add_u8(pkt, rd, AF_TYPE);
    uint16_t ch = peel_add_u16(pkt, rd, AF_CHANNEL);
    uint32_t len = peel_add_u32(pkt, rd, AF_LENGTH);
    if (!peel_reader_ok(rd))
        return;
    int32_t top = pkt->parent;
    PeelReader payload = peel_reader_take(rd, len);
    AmqpMethodInfo mi = { .reply_field = -1 };
    switch (type) {
    case 1: {
        if (peel_reader_captured(&payload) >= 4 && peel_reader_peek_u16be(&payload, 0) == 60 &&
                peel_reader_peek_u16be(&payload, 2) == 40) {
            /* Publishes are numbered per channel and direction, as publisher confirms
             * count them; the number leads the arguments, as in Wireshark. */
            if (c != NULL) {
                ChanDir *d = &chan_get(c, ch)->dir[pkt->flow_dir];
                d->publish_count++;
                rec->flags |= R_PUBLISH;
                rec->publish_number = d->publish_count;
                delivery_push(d, d->publish_count, pkt->frame->number);
            }
            mi.has_publish_number = (rec->flags & R_PUBLISH) != 0;
            mi.publish_number = rec->publish_number;
        }
        amqp_dissect_method(pkt, &payload, &mi);
        if (c != NULL && mi.known)
            method_track(pkt, c, ch, &mi, rec);
        for (uint32_t i = 0; i < rec->n_msg_in; i++)
            peel_add_uint_value(pkt, AF_MESSAGE_IN, rec->msg_in[i]);
        if (rec->msg_in_total > rec->n_msg_in)
            peel_expert(pkt, top, PEEL_SEV_CHAT, PEEL_GROUP_SEQUENCE,
                    "acknowledges %u messages; the first %u are listed", rec->msg_in_total,
                    rec->n_msg_in);
        method_experts(pkt, &mi, mi.reply_field >= 0 ? mi.reply_field : top);
        if (ch == 0 && mi.known && mi.cls != AMQP_CLASS_CONNECTION)
            peel_expert(pkt, top, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                    "%s method on channel 0, which carries connection methods only",
                    peel_value_name(amqp_class_names, mi.cls));
        break;
    }
    case 2: {
        char ctype[64];
        uint64_t size = dissect_content_header(pkt, &payload, ctype, sizeof ctype);
        if (c != NULL && peel_reader_ok(&payload)) {
            ChanDir *d = &chan_get(c, ch)->dir[pkt->flow_dir];
            memcpy(d->ctype, ctype, sizeof d->ctype);
            d->expect = size;
            d->got = 0;
            d->frames = 0;
            d->active = size > 0;
            if (d->body == NULL)
                d->body = g_byte_array_new();
            g_byte_array_set_size(d->body, 0);
        }
        break;
    }
    case 3: {
        uint32_t held = peel_reader_captured(&payload);
        PeelReader bytes = payload;
        peel_add_bytes(pkt, &payload, AF_PAYLOAD, MIN(held, len));
        peel_info_append_str(pkt, "Content-Body ");
        if (c != NULL)
            *body = body_track(c, pkt->flow_dir, ch, &bytes, len, rec);
        break;
    }
    case 8:
        peel_info_append_str(pkt, "Heartbeat ");
        if (len != 0 || ch != 0)
            peel_expert(pkt, top, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                    "a heartbeat frame must have channel 0 and no payload");
        break;
    default:
        peel_info_append(pkt, "Unknown frame type %u ", type);
        peel_expert(pkt, top, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL, "Unknown frame type %u", type);
        if (len > 0)
            peel_add_bytes(pkt, &payload, AF_PAYLOAD, MIN(peel_reader_captured(&payload), len));
        break;
    }
    if (peel_reader_remaining(rd) < 1 || peel_reader_captured(rd) < 1)
        return; /* cut by the capture or the TCP stream: nothing to check */
    uint8_t end = peel_add_u8(pkt, rd, AF_FRAME_END);
    if (end != AMQP_FRAME_END) {
        peel_mark_malformed(pkt, "frame-end octet is 0x%02x, not 0xce", end);
        if (c != NULL)
            c->synced[pkt->flow_dir] = false; /* the next frame is looked for */
    }
}

static void
amqp_dissect(PeelReader *rd, PeelPacket *pkt)
{
    peel_set_text(pkt, pkt->parent, "Advanced Message Queuing Protocol");
    peel_json_keep_protocol(pkt);
    peel_info_clear(pkt);
    Rec rec = { 0 };
    const uint8_t *body = NULL;
    uint8_t sub = record_sub(pkt, rd);
    Conv *c = conv_get(pkt);
    int dir = pkt->flow_dir;
    if (pkt->revisit) {
        uint32_t size = peel_record_size(pkt, sub);
        if (size >= sizeof rec) {
            uint8_t *buf = peel_arena_alloc(pkt->arena, size);
            if (buf != NULL && peel_record_get(pkt, sub, buf, size)) {
                memcpy(&rec, buf, sizeof rec);
                rec.ctype = NULL;
                uint64_t after = size - sizeof rec;
                if ((rec.flags & R_BODY) && after >= rec.body_len && after - rec.body_len < 64) {
                    body = buf + sizeof rec;
                    uint32_t cn = (uint32_t)(after - rec.body_len);
                    if (cn > 0)
                        rec.ctype = peel_arena_strndup(
                                pkt->arena, (const char *)body + rec.body_len, cn);
                } else {
                    rec.flags &= ~(uint32_t)R_BODY;
                }
            }
        }
    } else if (c != NULL) {
        rec.version = c->version;
        if (c->skip_next[dir]) {
            c->skip_next[dir] = false;
            rec.flags |= R_SKIP;
        }
        /* Any frame is traffic; a silence longer than the negotiated heartbeat interval
         * means heartbeats were missed (amqp0-9-1 4.2.7). */
        PeelTime now = pkt->frame->ts;
        if (c->heartbeat > 0 && c->have_last[dir]) {
            int64_t ms =
                    (now.sec - c->last[dir].sec) * 1000 + (now.nsec - c->last[dir].nsec) / 1000000;
            if (ms > (int64_t)c->heartbeat * 1000) {
                rec.flags |= R_HB_MISSED;
                rec.hb_gap_ms = ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
                rec.heartbeat = c->heartbeat;
            }
        }
        c->last[dir] = now;
        c->have_last[dir] = true;
    }

    if (rec.flags & R_SKIP) {
        peel_info_append_str(pkt, "[bytes skipped to find the next frame] ");
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "%u bytes that do not start an AMQP frame (after a gap, a bad frame-end "
                "octet or the start of the capture) are skipped",
                peel_reader_remaining(rd));
        peel_next_data_nested(pkt, rd);
    } else if (peel_reader_captured(rd) >= 4 && peel_reader_peek_u32be(rd, 0) == 0x414d5150u) {
        dissect_header(pkt, rd, c, &rec);
    } else if (rec.version == V_10 || rec.version == V_010) {
        peel_info_append(pkt, "AMQP %s frame ", rec.version == V_10 ? "1.0" : "0-10");
        peel_next_data_nested(pkt, rd);
    } else {
        dissect_frame(pkt, rd, c, &rec, &body);
    }
    if (rec.flags & R_HB_MISSED)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_SEQUENCE,
                "no frame from this peer for %u.%03u s, longer than the negotiated heartbeat "
                "interval of %u s: heartbeats were missed",
                rec.hb_gap_ms / 1000, rec.hb_gap_ms % 1000, rec.heartbeat);
    show_body(pkt, &rec, body);
    if (!pkt->revisit && (rec.flags != 0 || rec.version != 0 || rec.n_msg_in != 0)) {
        uint32_t extra = (rec.flags & R_BODY) ? (uint32_t)rec.body_len : 0;
        uint32_t cn = extra > 0 || (rec.flags & R_BODY) ? (rec.ctype ? (uint32_t)strlen(rec.ctype) : 0) : 0;
        uint8_t *buf = peel_arena_alloc(pkt->arena, sizeof rec + extra + cn + 1);
        if (buf != NULL) {
            Rec stored = rec;
            stored.ctype = NULL;
            memcpy(buf, &stored, sizeof stored);
            if (extra)
                memcpy(buf + sizeof rec, body, extra);
            if (cn)
                memcpy(buf + sizeof rec + extra, rec.ctype, cn);
            peel_record_put(pkt, sub, buf, (uint32_t)sizeof rec + extra + cn);
        }
    }
}

/* The protocol header on any port: "AMQP" and four small version octets. */
static bool
amqp_heuristic(const PeelReader *rd, const PeelPacket *pkt)
{
    (void)pkt;
    if (peel_reader_captured(rd) < 8 || peel_reader_peek_u32be(rd, 0) != 0x414d5150u)
        return false;
    for (uint32_t i = 4; i < 8; i++)
        if (peel_reader_peek_u8(rd, i) > 10)
            return false;
    return true;
}

const PeelProto peel_proto_amqp = {
    .name = "amqp",
    .title = "Advanced Message Queuing Protocol",
    .short_name = "AMQP",
    .fields = amqp_fields,
    .n_fields = AF_N,
    .dissect = amqp_dissect,
    .heuristic = amqp_heuristic,
    .heuristic_table = PEEL_TABLE_TCP_PORT,
    .pdu_len = amqp_pdu_len,
    .stream_gap = amqp_stream_gap,
    .handoffs = { { PEEL_TABLE_TCP_PORT, 5672 } },
};
