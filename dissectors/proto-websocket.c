/* proto-websocket.c: WebSocket frames (RFC 6455) over reassembled TCP streams, messages
 * reassembled from continuation frames, and permessage-deflate (RFC 7692) inflated per
 * direction with the sliding window kept across messages. Fields and Info as Wireshark
 * 4.0 shows them.
 *
 * permessage-deflate's parameters and inflating live in websocket-deflate.c.
 *
 * Flow of one frame: TCP hands over whole frames (pdu_len). The first pass unmasks the
 * payload, feeds data frames into the direction's message (flow state: fragments,
 * the zlib context) and stores what it found for the frame in a per-frame record, so a
 * revisit (--frame N, two passes, the GUI) shows the same message without flow state.
 *
 * Bounds: a frame is at most tcp.max_pdu bytes (TCP drops longer ones) and is unmasked
 * whole; a fragmented message keeps at most PEEL_WS_MAX_MESSAGE bytes, and all
 * connections together WS_MAX_HELD_TOTAL; an inflated message at most PEEL_WS_MAX_INFLATE
 * bytes; at most WS_MAX_ZSTREAMS inflate contexts live at once; at most WS_MAX_LISTED
 * fragment frame numbers are kept per message. Past each bound an expert note says what
 * was not shown. */
#include "proto-websocket.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "json-check.h"
#include "proto-http.h"
#include "protos.h"
#include "registry.h"
#include "websocket-deflate.h"

enum {
    F_FIN,
    F_RSV,
    F_PMC,
    F_OPCODE,
    F_MASK,
    F_PAYLOAD_LEN,
    F_LEN16,
    F_LEN64,
    F_MASKING_KEY,
    F_PAYLOAD,
    F_MASKED_PAYLOAD,
    F_CONTINUE,
    F_TEXT,
    F_CLOSE,
    F_CLOSE_CODE,
    F_CLOSE_REASON,
    F_PING,
    F_PONG,
    F_UNKNOWN,
    F_FRAGMENTS,
    F_FRAGMENT,
    F_FRAG_COUNT,
    F_REASM_LEN,
    F_JSON,
    F_MESSAGE_LEN,
    N_F
};

enum {
    WS_CONTINUE = 0x0,
    WS_TEXT = 0x1,
    WS_BINARY = 0x2,
    WS_CLOSE = 0x8,
    WS_PING = 0x9,
    WS_PONG = 0xa,
};

static const PeelValueName ws_opcode_names[] = {
    { WS_CONTINUE, "Continuation" },
    { WS_TEXT, "Text" },
    { WS_BINARY, "Binary" },
    { WS_CLOSE, "Connection Close" },
    { WS_PING, "Ping" },
    { WS_PONG, "Pong" },
    { 0, NULL },
};

/* RFC 6455 7.4.1 and the IANA registry, named as Wireshark names them. */
static const PeelValueName ws_close_names[] = {
    { 1000, "Normal Closure" },
    { 1001, "Going Away" },
    { 1002, "Protocol error" },
    { 1003, "Unsupported Data" },
    { 1004, "---Reserved----" },
    { 1005, "No Status Rcvd" },
    { 1006, "Abnormal Closure" },
    { 1007, "Invalid frame payload data" },
    { 1008, "Policy Violation" },
    { 1009, "Message Too Big" },
    { 1010, "Mandatory Ext." },
    { 1011, "Internal Server" },
    { 1015, "TLS handshake" },
    { 0, NULL },
};

static const PeelValueName ws_true_false[] = {
    { 0, "False" },
    { 1, "True" },
    { 0, NULL },
};

static const PeelFieldDef ws_fields[N_F] = {
    [F_FIN] = { "websocket.fin", "Fin", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, ws_true_false, 0x80, 1 },
    [F_RSV] = { "websocket.rsv", "Reserved", PEEL_FT_U8, PEEL_SHOW_HEX, NULL, 0x70, 1 },
    [F_PMC] = { "websocket.pmc", "Per-Message Compressed", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE,
            ws_true_false, 0x40, 1 },
    [F_OPCODE] = { "websocket.opcode", "Opcode", PEEL_FT_U8, PEEL_SHOW_DEC, ws_opcode_names,
            0x0f, 1 },
    [F_MASK] = { "websocket.mask", "Mask", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, ws_true_false, 0x80, 1 },
    [F_PAYLOAD_LEN] = { "websocket.payload_length", "Payload length", PEEL_FT_U8,
            PEEL_SHOW_DEC, NULL, 0x7f, 1 },
    [F_LEN16] = { "websocket.payload_length_ext_16", "Extended Payload length (16 bits)",
            PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_LEN64] = { "websocket.payload_length_ext_64", "Extended Payload length (64 bits)",
            PEEL_FT_U64, PEEL_SHOW_DEC },
    [F_MASKING_KEY] = { "websocket.masking_key", "Masking-Key", PEEL_FT_BYTES, PEEL_SHOW_NONE },
    [F_PAYLOAD] = { "websocket.payload", "Payload", PEEL_FT_NONE, PEEL_SHOW_NONE },
    [F_MASKED_PAYLOAD] = { "websocket.masked_payload", "Masked payload", PEEL_FT_NONE,
            PEEL_SHOW_NONE },
    [F_CONTINUE] = { "websocket.payload.continue", "Continue", PEEL_FT_BYTES, PEEL_SHOW_NONE },
    [F_TEXT] = { "websocket.payload.text", "Text", PEEL_FT_STRING, PEEL_SHOW_NONE },
    [F_CLOSE] = { "websocket.payload.close", "Close", PEEL_FT_NONE, PEEL_SHOW_NONE },
    [F_CLOSE_CODE] = { "websocket.payload.close.status_code", "Status code", PEEL_FT_U16,
            PEEL_SHOW_DEC, ws_close_names },
    [F_CLOSE_REASON] = { "websocket.payload.close.reason", "Reason", PEEL_FT_STRING,
            PEEL_SHOW_NONE },
    [F_PING] = { "websocket.payload.ping", "Ping", PEEL_FT_BYTES, PEEL_SHOW_NONE },
    [F_PONG] = { "websocket.payload.pong", "Pong", PEEL_FT_BYTES, PEEL_SHOW_NONE },
    [F_UNKNOWN] = { "websocket.payload.unknown", "Unknown", PEEL_FT_BYTES, PEEL_SHOW_NONE },
    [F_FRAGMENTS] = { "websocket.fragments", "Reassembled websocket Fragments", PEEL_FT_NONE,
            PEEL_SHOW_NONE },
    [F_FRAGMENT] = { "websocket.fragment", "Websocket Fragment", PEEL_FT_FRAMENUM,
            PEEL_SHOW_NONE },
    [F_FRAG_COUNT] = { "websocket.fragment.count", "Fragment count", PEEL_FT_U32,
            PEEL_SHOW_DEC },
    [F_REASM_LEN] = { "websocket.reassembled.length", "Reassembled websocket Payload length",
            PEEL_FT_U32, PEEL_SHOW_DEC },
    /* peel's own: a text message that is well-formed JSON (RFC 8259), and the length of a
     * message after decompression. */
    [F_JSON] = { "websocket.payload.json", "JSON", PEEL_FT_STRING, PEEL_SHOW_NONE },
    [F_MESSAGE_LEN] = { "websocket.message_length", "Message length", PEEL_FT_U32,
            PEEL_SHOW_DEC },
};

#define WS_MAX_LISTED 1024u     /* fragment frame numbers kept per message */
#define WS_LIST_ENTRY 8u        /* bytes per listed fragment: frame, length */
#define WS_MAX_RECORDS 127u     /* frames of one TCP segment given records (2 each) */
#define WS_REC_END 255u         /* the record of a FIN without a close frame */
#define WS_MAX_HELD_TOTAL (64u << 20) /* fragmented-message bytes held, all connections */
#define WS_MAX_ZSTREAMS 4096u         /* live inflate contexts (~45 KiB each), all connections */

/* ---- per-connection state (first pass only) ---- */

typedef struct {
    PeelWsInflater inf; /* this direction's inflate context (its window) */
    bool role_known;
    bool is_client;     /* frames of this direction are masked: the client's */
    /* The fragmented message in progress. */
    bool in_msg;
    bool msg_pmc;
    bool msg_over;      /* passed PEEL_WS_MAX_MESSAGE: bytes no longer kept */
    uint8_t msg_opcode;
    GByteArray *msg;
    uint32_t *frames;   /* frame number and payload length of each fragment */
    uint32_t n_frames;  /* fragments so far */
    uint64_t msg_total; /* payload bytes so far */
} WsDir;

/* What all connections hold together (capture-wide), bounded. */
typedef struct {
    uint64_t held;     /* bytes of fragmented messages in progress */
    uint32_t zstreams; /* live inflate contexts */
} WsEngine;

typedef struct {
    WsEngine *eng;
    bool setup;
    PeelWsDeflate pmd;              /* permessage-deflate as negotiated */
    WsDir dir[2];                   /* by pkt->flow_dir */
    bool close_sent[2];             /* by pkt->flow_dir: a Close frame went this way */
    bool end_noted[2];              /* by pkt->flow_dir: the FIN was looked at */
} WsConv;

static void
ws_conv_clear(void *data)
{
    WsConv *c = data;
    for (int d = 0; d < 2; d++) {
        peel_ws_inflater_clear(&c->dir[d].inf, c->eng != NULL ? &c->eng->zstreams : NULL);
        if (c->dir[d].msg != NULL) {
            if (c->eng != NULL)
                c->eng->held -= c->dir[d].msg->len;
            g_byte_array_unref(c->dir[d].msg);
        }
        g_free(c->dir[d].frames);
    }
}

/* ---- the per-frame record ---- */

enum {
    WR_DEFLATE = 1u << 0,     /* the connection negotiated permessage-deflate */
    WR_MSG = 1u << 1,         /* a message completes here; its bytes follow */
    WR_FIRST_FRAG = 1u << 2,  /* the first frame of a fragmented message */
    WR_MID_FRAG = 1u << 3,    /* a continuation frame that does not end the message */
    WR_COMPRESSED = 1u << 4,  /* the message was inflated */
    WR_INFLATE_FAIL = 1u << 5,
    WR_INFLATE_CAP = 1u << 6, /* the inflated message passed its bound */
    WR_CTX_LOST = 1u << 7,    /* not inflated: the shared window was lost earlier */
    WR_MSG_OVER = 1u << 8,    /* the fragmented message passed its bound */
    WR_ORPHAN = 1u << 9,      /* a continuation with no message to continue */
    WR_INTERRUPTED = 1u << 10, /* a new message began before the last one ended */
    WR_RSV1_CONT = 1u << 11,  /* RSV1 set on a continuation frame */
    WR_CUT = 1u << 12,        /* the connection ended (FIN) inside this frame */
    WR_ZLIMIT = 1u << 13,     /* not inflated: too many inflate contexts live at once */
};

typedef struct {
    uint32_t key_off; /* where the frame starts in its data source: tells the frames of */
    uint8_t key_src;  /* one segment apart on a revisit */
    uint8_t msg_opcode;
    uint16_t flags;   /* WR_* */
    uint32_t n_frags;
    uint32_t n_listed;
    uint32_t msg_len;
    uint32_t wire_len; /* the message's bytes before inflating */
} WsRecHead;

/* What one frame shows beyond its header: built by the first pass, read back on a
 * revisit. */
typedef struct {
    WsRecHead h;
    const uint32_t *listed; /* fragments: frame number and payload length, in pairs */
    const uint8_t *msg;     /* the message's bytes when WR_MSG */
} WsView;

static const char ws_engine_owner = 'e';

static WsConv *
ws_conv(PeelPacket *pkt)
{
    if (pkt->flow == NULL)
        return NULL;
    WsConv *c = peel_flow_data(pkt->flow, &peel_proto_websocket, sizeof(WsConv), ws_conv_clear);
    if (c->eng == NULL)
        c->eng = peel_engine_data(pkt, &ws_engine_owner, sizeof(WsEngine), NULL);
    return c;
}

void
peel_websocket_set_extensions(PeelPacket *pkt, const char *extensions)
{
    if (pkt->revisit)
        return;
    WsConv *c = ws_conv(pkt);
    if (c == NULL || c->setup)
        return;
    c->setup = true;
    peel_ws_deflate_parse(&c->pmd, extensions);
}

/* The handshake that switched this connection, read once at its first frame. */
static void
ws_conv_setup(PeelPacket *pkt, WsConv *c)
{
    if (c->setup)
        return;
    const PeelHttpUpgrade *up = peel_http_upgrade(pkt);
    c->setup = true;
    peel_ws_deflate_parse(&c->pmd, up != NULL ? up->ws_extensions : NULL);
}

/* ---- messages (first pass) ---- */

static void
ws_msg_reset(WsConv *c, WsDir *d)
{
    d->in_msg = false;
    d->msg_over = false;
    d->n_frames = 0;
    d->msg_total = 0;
    if (d->msg != NULL) {
        c->eng->held -= d->msg->len;
        g_byte_array_set_size(d->msg, 0);
    }
}

static void
ws_msg_add(WsConv *c, WsDir *d, uint32_t frame, const uint8_t *p, uint32_t n)
{
    if (d->n_frames < WS_MAX_LISTED) {
        if (d->frames == NULL)
            d->frames = g_new(uint32_t, 2 * WS_MAX_LISTED);
        d->frames[2 * d->n_frames] = frame;
        d->frames[2 * d->n_frames + 1] = n;
    }
    d->n_frames++;
    d->msg_total += n;
    if (d->msg_over || n == 0)
        return;
    if (d->msg_total > PEEL_WS_MAX_MESSAGE || c->eng->held + n > WS_MAX_HELD_TOTAL) {
        d->msg_over = true;
        if (d->msg != NULL) {
            c->eng->held -= d->msg->len;
            g_byte_array_set_size(d->msg, 0);
        }
        return;
    }
    if (d->msg == NULL)
        d->msg = g_byte_array_new();
    g_byte_array_append(d->msg, p, n);
    c->eng->held += n;
}

/* Copies g_malloc'd or flow bytes into the packet arena for the view. */
static const uint8_t *
ws_arena_copy(PeelPacket *pkt, const uint8_t *p, uint32_t n)
{
    uint8_t *copy = peel_arena_alloc(pkt->arena, n ? n : 1);
    if (copy != NULL && n)
        memcpy(copy, p, n);
    return copy;
}

/* Inflates or takes a complete message into the view. */
static void
ws_view_message(PeelPacket *pkt, WsConv *c, WsDir *d, WsView *v, bool pmc, const uint8_t *p,
        uint32_t n)
{
    v->h.wire_len = n;
    if (!pmc) {
        v->msg = ws_arena_copy(pkt, p, n);
        v->h.msg_len = v->msg ? n : 0;
        v->h.flags |= WR_MSG;
        return;
    }
    int who = d->is_client ? 1 : 0;
    uint8_t *out = NULL;
    uint32_t out_len = 0;
    PeelWsInflate r = peel_ws_inflate(&d->inf, &c->eng->zstreams, WS_MAX_ZSTREAMS, c->pmd.wbits[who],
            !c->pmd.no_takeover[who], p, n, PEEL_WS_MAX_INFLATE, &out, &out_len);
    v->h.flags |= WR_COMPRESSED;
    if (r == PEEL_WS_INF_LOST)
        v->h.flags |= WR_CTX_LOST;
    else if (r == PEEL_WS_INF_BUSY)
        v->h.flags |= WR_ZLIMIT;
    else if (r == PEEL_WS_INF_FAIL)
        v->h.flags |= WR_INFLATE_FAIL;
    else {
        if (r == PEEL_WS_INF_CAP)
            v->h.flags |= WR_INFLATE_CAP;
        v->msg = ws_arena_copy(pkt, out, out_len);
        v->h.msg_len = v->msg ? out_len : 0;
        v->h.flags |= WR_MSG;
    }
    g_free(out);
}

/* The first pass: what this frame does to its direction's message. */
static void
ws_first_pass(PeelPacket *pkt, WsConv *c, WsView *v, uint8_t b0, bool masked,
        const uint8_t *pl, uint32_t n)
{
    uint8_t op = b0 & 0x0f;
    bool fin = (b0 & 0x80) != 0, rsv1 = (b0 & 0x40) != 0;
    if (c->pmd.on)
        v->h.flags |= WR_DEFLATE;
    if (op & 0x08)
        return; /* control frames stand alone, even inside a fragmented message */
    WsDir *d = &c->dir[pkt->flow_dir & 1];
    if (!d->role_known) {
        d->role_known = true;
        d->is_client = masked;
    }
    if (op != WS_CONTINUE) {
        if (d->in_msg) {
            /* The unfinished message is dropped; compressed, it took the window along. */
            v->h.flags |= WR_INTERRUPTED;
            if (d->msg_pmc && !c->pmd.no_takeover[d->is_client ? 1 : 0])
                d->inf.lost = true;
            ws_msg_reset(c, d);
        }
        bool pmc = rsv1 && c->pmd.on;
        if (fin) {
            v->h.msg_opcode = op;
            if (pmc)
                ws_view_message(pkt, c, d, v, true, pl, n);
            return;
        }
        d->in_msg = true;
        d->msg_opcode = op;
        d->msg_pmc = pmc;
        ws_msg_add(c, d, pkt->frame->number, pl, n);
        v->h.flags |= WR_FIRST_FRAG;
        return;
    }
    if (rsv1 && c->pmd.on)
        v->h.flags |= WR_RSV1_CONT;
    if (!d->in_msg) {
        v->h.flags |= WR_ORPHAN;
        return;
    }
    ws_msg_add(c, d, pkt->frame->number, pl, n);
    if (!fin) {
        v->h.flags |= WR_MID_FRAG;
        return;
    }
    v->h.msg_opcode = d->msg_opcode;
    v->h.n_frags = d->n_frames;
    v->h.n_listed = MIN(d->n_frames, WS_MAX_LISTED);
    v->listed = (const uint32_t *)ws_arena_copy(pkt, (const uint8_t *)d->frames,
            v->h.n_listed * WS_LIST_ENTRY);
    if (v->listed == NULL)
        v->h.n_listed = 0;
    if (d->msg_over) {
        v->h.flags |= WR_MSG_OVER;
        v->h.wire_len = d->msg_total > UINT32_MAX ? UINT32_MAX : (uint32_t)d->msg_total;
        if (d->msg_pmc) {
            v->h.flags |= WR_COMPRESSED | WR_CTX_LOST;
            if (!c->pmd.no_takeover[d->is_client ? 1 : 0])
                d->inf.lost = true;
        }
    } else {
        ws_view_message(pkt, c, d, v, d->msg_pmc, d->msg ? d->msg->data : NULL,
                d->msg ? d->msg->len : 0);
    }
    ws_msg_reset(c, d);
}

/* ---- records ---- */

/* Two records per frame: sub 2k+1 the head and the fragment list, sub 2k+2 the
 * message's bytes when it has any (copied straight from the view, and only when the engine
 * keeps records). */
static void
ws_record_put(PeelPacket *pkt, const WsView *v)
{
    for (uint32_t sub = 1; sub + 1 <= 2 * WS_MAX_RECORDS; sub += 2) {
        if (peel_record_size(pkt, (uint8_t)sub) != 0)
            continue;
        uint32_t list_bytes = v->h.n_listed * WS_LIST_ENTRY;
        uint8_t *head = peel_arena_alloc(pkt->arena, sizeof v->h + list_bytes);
        if (head == NULL)
            return;
        memcpy(head, &v->h, sizeof v->h);
        if (list_bytes)
            memcpy(head + sizeof v->h, v->listed, list_bytes);
        peel_record_put(pkt, (uint8_t)sub, head, (uint32_t)sizeof v->h + list_bytes);
        if ((v->h.flags & WR_MSG) && v->h.msg_len > 0)
            peel_record_put(pkt, (uint8_t)(sub + 1), v->msg, v->h.msg_len);
        return;
    }
}

static bool
ws_record_get(PeelPacket *pkt, uint8_t key_src, uint32_t key_off, WsView *v)
{
    for (uint32_t sub = 1; sub + 1 <= 2 * WS_MAX_RECORDS; sub += 2) {
        uint32_t size = peel_record_size(pkt, (uint8_t)sub);
        if (size == 0)
            return false;
        if (size < sizeof v->h)
            continue;
        uint8_t *head = peel_arena_alloc(pkt->arena, size);
        if (head == NULL || !peel_record_get(pkt, (uint8_t)sub, head, size))
            return false;
        /* Read into a copy: v stays untouched unless this record is the one (a failed
         * look-up leaves the caller's zeroed view, with no fragment list to show). */
        WsView got = { 0 };
        memcpy(&got.h, head, sizeof got.h);
        if (got.h.key_src != key_src || got.h.key_off != key_off)
            continue;
        if (sizeof got.h + (uint64_t)got.h.n_listed * WS_LIST_ENTRY != size)
            return false;
        got.listed = (const uint32_t *)(head + sizeof got.h);
        if ((got.h.flags & WR_MSG) && got.h.msg_len > 0) {
            uint8_t *msg = peel_arena_alloc(pkt->arena, got.h.msg_len);
            if (msg == NULL || peel_record_size(pkt, (uint8_t)(sub + 1)) != got.h.msg_len ||
                    !peel_record_get(pkt, (uint8_t)(sub + 1), msg, got.h.msg_len))
                return false;
            got.msg = msg;
        } else if (got.h.flags & WR_MSG) {
            got.msg = (const uint8_t *)"";
        }
        *v = got;
        return true;
    }
    return false;
}

/* ---- showing payloads ---- */

/* A text message: the text, a note when it is not UTF-8, JSON when it is JSON. */
static void
ws_show_text(PeelPacket *pkt, PeelReader *rd)
{
    uint32_t n = peel_reader_remaining(rd);
    uint32_t got = 0;
    const uint8_t *p = peel_reader_peek_bytes(rd, 0, n, &got);
    peel_add_string(pkt, rd, F_TEXT, n);
    int32_t text = peel_last(pkt);
    /* Only the tree, fields and reports show the note or the JSON item: a summary line
     * does not read the text. */
    if (p == NULL || got != n || peel_shallow(pkt))
        return;
    const char *bad = NULL;
    if (!g_utf8_validate((const char *)p, (gssize)n, &bad))
        peel_expert(pkt, text, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "text message is not valid UTF-8 (at byte %u of %u)",
                (unsigned)((const uint8_t *)bad - p), n);
    else if (pkt->record_fields && peel_json_container(p, n)) { /* only a field shows it */
        uint32_t i = 0;
        while (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r')
            i++;
        const char *kind = p[i] == '{' ? "object" : "array";
        int32_t j = peel_add_string_value(pkt, F_JSON, kind, (uint32_t)strlen(kind));
        peel_set_text(pkt, j, "[JSON %s (%u bytes)]", kind, n);
    }
}

static void
ws_show_control(PeelPacket *pkt, PeelReader *rd, uint8_t op, uint32_t n)
{
    switch (op) {
    case WS_CLOSE: {
        int32_t close = peel_open(pkt, rd, F_CLOSE, n);
        if (n == 1) {
            peel_mark_malformed(pkt, "a close payload of 1 byte has no room for its status code");
        } else if (n >= 2) {
            uint16_t code = peel_add_u16(pkt, rd, F_CLOSE_CODE);
            int32_t cf = peel_last(pkt);
            if (peel_reader_ok(rd)) {
                const char *name = peel_value_name(ws_close_names, code);
                if (code < 1000 || code == 1004 || code == 1005 || code == 1006 ||
                        code == 1015 || (code >= 1016 && code < 3000) || code >= 5000)
                    peel_expert(pkt, cf, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                            "close status code %u%s%s%s must not be sent in a close frame "
                            "(RFC 6455 7.4)", code, name ? " (" : "", name ? name : "",
                            name ? ")" : "");
                else if (code != 1000 && code != 1001)
                    peel_expert(pkt, cf, PEEL_SEV_NOTE, PEEL_GROUP_PROTOCOL,
                            "connection closed with status %u%s%s%s", code, name ? " (" : "",
                            name ? name : "", name ? ")" : "");
            }
            if (n > 2) {
                uint32_t rn = n - 2, got = 0;
                const uint8_t *p = peel_reader_peek_bytes(rd, 0, rn, &got);
                peel_add_string(pkt, rd, F_CLOSE_REASON, rn);
                if (p != NULL && got == rn && !g_utf8_validate((const char *)p, rn, NULL))
                    peel_expert(pkt, peel_last(pkt), PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                            "close reason is not valid UTF-8");
            }
        }
        peel_close(pkt, NULL);
        (void)close;
        break;
    }
    case WS_PING:
        peel_add_bytes(pkt, rd, F_PING, n);
        break;
    case WS_PONG:
        peel_add_bytes(pkt, rd, F_PONG, n);
        break;
    default:
        peel_add_bytes(pkt, rd, F_UNKNOWN, n);
        peel_expert(pkt, peel_last(pkt), PEEL_SEV_WARN, PEEL_GROUP_UNDECODED,
                "reserved opcode %u (RFC 6455 5.2)", op);
        break;
    }
}

/* The fragments list at the top of the tree, as Wireshark's [N Reassembled websocket
 * Fragments (L bytes): #a(x), ...]. */
static void
ws_show_fragments(PeelPacket *pkt, const WsView *v)
{
    int32_t saved = pkt->parent;
    uint16_t depth = pkt->depth;
    pkt->parent = -1;
    pkt->depth = 0;
    int32_t top = peel_add_uint_value(pkt, F_FRAGMENTS, 0);
    if (pkt->want_tree && top >= 0) {
        GString *t = g_string_new(NULL);
        g_string_printf(t, "%u Reassembled websocket Fragments (%u bytes):", v->h.n_frags,
                v->h.wire_len);
        for (uint32_t i = 0; i < v->h.n_listed && i < 16; i++)
            g_string_append_printf(t, "%s #%u(%u)", i ? "," : "", v->listed[2 * i],
                    v->listed[2 * i + 1]);
        if (v->h.n_frags > 16)
            g_string_append(t, ", ...");
        peel_set_text(pkt, top, "%s", t->str);
        g_string_free(t, TRUE);
    }
    if (top >= 0) {
        pkt->parent = top;
        pkt->depth = 1;
    }
    uint32_t at = 0;
    for (uint32_t i = 0; i < v->h.n_listed; i++) {
        uint32_t frame = v->listed[2 * i], len = v->listed[2 * i + 1];
        int32_t f = peel_add_uint_value(pkt, F_FRAGMENT, frame);
        if (len > 0)
            peel_set_text(pkt, f, "[Frame: %u, payload: %u-%u (%u bytes)]", frame, at,
                    at + len - 1, len);
        else
            peel_set_text(pkt, f, "[Frame: %u, payload: %u (0 bytes)]", frame, at);
        at += len;
    }
    peel_add_uint_value(pkt, F_FRAG_COUNT, v->h.n_frags);
    peel_add_uint_value(pkt, F_REASM_LEN, v->h.wire_len);
    pkt->parent = saved;
    pkt->depth = depth;
}

static void
ws_show_message(PeelPacket *pkt, const WsView *v, PeelReader *own)
{
    uint16_t f = v->h.flags;
    if (f & WR_ZLIMIT)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_UNDECODED,
                "compressed message not inflated: %u connections already hold an inflate "
                "context", WS_MAX_ZSTREAMS);
    if (f & WR_CTX_LOST)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_UNDECODED,
                "compressed message not inflated: an earlier message of this direction "
                "could not be, so the shared window is lost");
    if (f & WR_INFLATE_FAIL)
        peel_expert(pkt, pkt->parent, PEEL_SEV_ERROR, PEEL_GROUP_MALFORMED,
                "Decompression failed");
    if (f & WR_MSG_OVER)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_REASSEMBLE,
                "fragmented message of %u bytes passes the %u-byte reassembly limit: "
                "not shown", v->h.wire_len, PEEL_WS_MAX_MESSAGE);
    PeelReader rd;
    if (f & WR_MSG) {
        rd = peel_add_source(pkt, v->msg, v->h.msg_len,
                (f & WR_COMPRESSED) ? "Decompressed payload" : "Reassembled Message");
        if (f & WR_COMPRESSED) {
            int32_t ml = peel_add_uint_value(pkt, F_MESSAGE_LEN, v->h.msg_len);
            peel_set_text(pkt, ml, "[Decompressed length: %u bytes from %u]", v->h.msg_len,
                    v->h.wire_len);
        }
        if (f & WR_INFLATE_CAP)
            peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_UNDECODED,
                    "decompressed message passes the %u-byte limit (a decompression bomb?): "
                    "the rest is not shown", PEEL_WS_MAX_INFLATE);
    } else if (f & (WR_CTX_LOST | WR_INFLATE_FAIL | WR_MSG_OVER | WR_ZLIMIT)) {
        if (v->h.n_frags > 0)
            ws_show_fragments(pkt, v);
        return;
    } else {
        rd = *own;
    }
    /* As Wireshark: text under the payload item, then the fragments list, then binary
     * data beside them at the top. */
    if (v->h.msg_opcode == WS_TEXT)
        ws_show_text(pkt, &rd);
    if (v->h.n_frags > 0)
        ws_show_fragments(pkt, v);
    switch (v->h.msg_opcode) {
    case WS_TEXT:
        break;
    case WS_BINARY:
        peel_next_data(pkt, &rd);
        break;
    default:
        peel_add_bytes(pkt, &rd, F_UNKNOWN, peel_reader_remaining(&rd));
        peel_expert(pkt, peel_last(pkt), PEEL_SEV_WARN, PEEL_GROUP_UNDECODED,
                "reserved opcode %u (RFC 6455 5.2)", v->h.msg_opcode);
        break;
    }
}

/* ---- the Info column ---- */

/* tshark 4.0 sets, not appends, WebSocket's Info for each frame of a segment, so a segment
 * of several frames shows the last one only; peel's TCP fences each PDU's text, and this
 * keeps where this segment's WebSocket text began to write over it. */
typedef struct {
    const PeelPacket *pkt;
    uint32_t frame;
    bool revisit;
    uint32_t start, end;
} WsInfoSpot;

static const char ws_info_owner = 'w';

static void
ws_info(PeelPacket *pkt, uint8_t op, bool fin, bool masked)
{
    if (!pkt->want_info)
        return;
    WsInfoSpot *s = peel_engine_data(pkt, &ws_info_owner, sizeof *s, NULL);
    if (s->pkt == pkt && s->frame == pkt->frame->number && s->revisit == pkt->revisit &&
            s->end > s->start && pkt->info_fence == s->end && pkt->info_len == s->end)
        pkt->info_fence = s->start;
    s->pkt = pkt;
    s->frame = pkt->frame->number;
    s->revisit = pkt->revisit;
    s->start = pkt->info_fence;
    const char *name = peel_value_name(ws_opcode_names, op);
    peel_info_set(pkt, "WebSocket ");
    peel_info_append_str(pkt, name ? name : "Unknown Opcode");
    peel_info_append_str(pkt, fin ? " [FIN]" : "[FRAGMENT] ");
    peel_info_append_str(pkt, masked ? " [MASKED]" : " ");
    s->end = pkt->info_len;
}

/* ---- the frame ---- */

static uint32_t
ws_pdu_len(const PeelReader *rd, PeelPacket *pkt)
{
    uint32_t have = peel_reader_captured(rd);
    if (have < 2)
        return pkt->stream_end ? have : 0;
    uint8_t b1 = peel_reader_peek_u8(rd, 1);
    uint64_t len = b1 & 0x7f, hdr = 2;
    if (len == 126) {
        if (have < 4)
            return 0;
        len = peel_reader_peek_u16be(rd, 2);
        hdr = 4;
    } else if (len == 127) {
        if (have < 10)
            return 0;
        len = (uint64_t)peel_reader_peek_u32be(rd, 2) << 32 | peel_reader_peek_u32be(rd, 6);
        hdr = 10;
    }
    if (b1 & 0x80)
        hdr += 4;
    /* Past 4 GiB: TCP's PDU bound refuses it as too long. */
    uint32_t want = len > UINT32_MAX - hdr ? UINT32_MAX : (uint32_t)(hdr + len);
    /* The sender closed the connection inside this frame: what came is all there is. */
    if (pkt->stream_end && want > have)
        return have;
    return want;
}

static void
ws_dissect(PeelReader *rd, PeelPacket *pkt)
{
    int32_t item = pkt->parent;
    uint8_t key_src = rd->src;
    uint32_t key_off = peel_reader_offset(rd);
    uint8_t b0 = peel_reader_peek_u8(rd, 0), b1 = peel_reader_peek_u8(rd, 1);
    uint8_t op = b0 & 0x0f;
    bool fin = (b0 & 0x80) != 0, masked = (b1 & 0x80) != 0;

    WsConv *conv = NULL;
    WsView v = { 0 };
    bool have_view = false;
    if (pkt->revisit) {
        have_view = ws_record_get(pkt, key_src, key_off, &v);
    } else {
        conv = ws_conv(pkt);
        if (conv != NULL)
            ws_conv_setup(pkt, conv);
    }
    bool deflate = pkt->revisit ? (have_view && (v.h.flags & WR_DEFLATE)) :
                                  (conv != NULL && conv->pmd.on);

    ws_info(pkt, op, fin, masked);

    peel_add_bits(pkt, rd, F_FIN);
    uint8_t rsv = (uint8_t)peel_add_bits(pkt, rd, F_RSV);
    int32_t rsv_f = peel_last(pkt);
    if (deflate)
        peel_add_bits(pkt, rd, F_PMC);
    peel_add_bits(pkt, rd, F_OPCODE);
    peel_reader_skip(rd, 1);
    if (peel_reader_ok(rd) && (rsv & (deflate ? 0x3 : 0x7)))
        peel_expert(pkt, rsv_f, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                "reserved bits 0x%x set with no extension negotiated to use them", rsv);
    peel_add_bits(pkt, rd, F_MASK);
    uint64_t len = peel_add_bits(pkt, rd, F_PAYLOAD_LEN);
    int32_t len_f = peel_last(pkt);
    peel_reader_skip(rd, 1);
    if (len == 126) {
        peel_set_text(pkt, len_f, "Payload length: 126 Extended Payload Length (16 bits)");
        len = peel_add_u16(pkt, rd, F_LEN16);
    } else if (len == 127) {
        peel_set_text(pkt, len_f, "Payload length: 127 Extended Payload Length (64 bits)");
        len = peel_add_u64(pkt, rd, F_LEN64);
        if (len >> 63)
            peel_expert(pkt, peel_last(pkt), PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                    "the most significant bit of a 64-bit length must be 0 (RFC 6455 5.2)");
    }
    const uint8_t *key = NULL;
    if (masked)
        key = peel_add_bytes(pkt, rd, F_MASKING_KEY, 4);
    if (peel_check_reader(pkt, rd))
        return;
    peel_set_length(pkt, item, peel_reader_offset(rd) - key_off);
    if ((op & 0x08) && !fin)
        peel_expert(pkt, item, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                "control frames must not be fragmented (RFC 6455 5.5)");
    if ((op & 0x08) && len > 125)
        peel_expert(pkt, item, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                "control frame payload of %" G_GUINT64_FORMAT
                " bytes; at most 125 are allowed (RFC 6455 5.5)", len);
    bool cut = peel_reader_remaining(rd) < len;
    if (cut && (pkt->stream_end || (have_view && (v.h.flags & WR_CUT))))
        peel_expert(pkt, item, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "the connection ended %u bytes into this frame's %" G_GUINT64_FORMAT
                "-byte payload", peel_reader_remaining(rd), len);
    else if (cut)
        peel_expert(pkt, item, PEEL_SEV_ERROR, PEEL_GROUP_MALFORMED,
                "payload length %" G_GUINT64_FORMAT " exceeds the %u bytes of the frame", len,
                peel_reader_remaining(rd));
    if (cut)
        len = peel_reader_remaining(rd);
    uint32_t n = (uint32_t)len;

    /* The payload, unmasked whole. */
    PeelReader pl = peel_reader_take(rd, n);
    uint32_t got = 0;
    const uint8_t *raw = peel_reader_peek_bytes(&pl, 0, n, &got);
    if (masked && n > 0) {
        peel_open(pkt, &pl, F_MASKED_PAYLOAD, n);
        peel_close(pkt, NULL);
        uint8_t *un = peel_arena_alloc(pkt->arena, got ? got : 1);
        if (un == NULL) {
            peel_expert(pkt, item, PEEL_SEV_WARN, PEEL_GROUP_UNDECODED,
                    "no memory left in this packet to unmask %u bytes", got);
            return;
        }
        for (uint32_t i = 0; i < got; i++)
            un[i] = raw[i] ^ key[i & 3];
        PeelReader unm = peel_add_source(pkt, un, got, "Unmasked data");
        unm.claimed = n > got ? n : got;
        pl = unm;
        raw = un;
    }
    if (!pkt->revisit && conv != NULL) {
        if (op == WS_CLOSE)
            conv->close_sent[pkt->flow_dir & 1] = true;
        v.h.key_src = key_src;
        v.h.key_off = key_off;
        if (cut)
            v.h.flags |= WR_CUT | (conv->pmd.on ? WR_DEFLATE : 0);
        else
            ws_first_pass(pkt, conv, &v, b0, masked, raw, got);
        ws_record_put(pkt, &v);
        have_view = true;
    }
    if (!have_view) {
        /* No flow (an ICMP-quoted frame) or no record: the frame by itself. */
        v.h.msg_opcode = op;
        if (!fin || op == WS_CONTINUE)
            v.h.flags |= (op == WS_CONTINUE && fin) ? WR_ORPHAN :
                         op == WS_CONTINUE          ? WR_MID_FRAG :
                                                      WR_FIRST_FRAG;
        if ((b0 & 0x40) && deflate && !(op & 0x08))
            v.h.flags |= WR_CTX_LOST | WR_COMPRESSED;
    }
    if (v.h.flags & WR_INTERRUPTED)
        peel_expert(pkt, item, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                "a new message began before the fragmented message before it ended");
    if (v.h.flags & WR_RSV1_CONT)
        peel_expert(pkt, item, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                "RSV1 (Per-Message Compressed) set on a continuation frame (RFC 7692 6)");
    if (n == 0 && !(v.h.flags & WR_MSG))
        return;
    int32_t payload = peel_open(pkt, &pl, F_PAYLOAD, n);
    if (cut) {
        peel_close(pkt, NULL); /* a part of a frame: not a message */
        return;
    }
    if (op & 0x08) {
        ws_show_control(pkt, &pl, op, n);
        peel_close(pkt, NULL);
        return;
    }
    if (v.h.flags & WR_FIRST_FRAG) {
        peel_close(pkt, NULL);
        return;
    }
    if (v.h.flags & (WR_MID_FRAG | WR_ORPHAN)) {
        if (v.h.flags & WR_ORPHAN)
            peel_expert(pkt, payload, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                    "continuation frame with no fragmented message to continue");
        peel_close(pkt, NULL);
        /* Wireshark shows a continuation's bytes beside the WebSocket item. */
        int32_t saved = pkt->parent;
        uint16_t depth = pkt->depth;
        pkt->parent = -1;
        pkt->depth = 0;
        peel_add_bytes(pkt, &pl, F_CONTINUE, n);
        pkt->parent = saved;
        pkt->depth = depth;
        return;
    }
    ws_show_message(pkt, &v, &pl);
    peel_close(pkt, NULL);
}

/* Bytes were lost: the message in progress cannot be completed, and a shared inflate
 * window is no longer the sender's. The gap is taken to touch both directions: TCP reports
 * a gap found through the peer's acknowledgement in the acknowledging packet, whose
 * direction is the other one, so pkt->flow_dir cannot tell which lost bytes. Losing one
 * direction's context needlessly costs its later compressed messages; inflating with a
 * wrong window could show wrong text. */
static void
ws_stream_gap(PeelPacket *pkt)
{
    if (pkt->revisit)
        return;
    WsConv *c = ws_conv(pkt);
    if (c == NULL)
        return;
    for (int i = 0; i < 2; i++) {
        WsDir *d = &c->dir[i];
        ws_msg_reset(c, d);
        if (c->pmd.on && !c->pmd.no_takeover[d->is_client ? 1 : 0])
            d->inf.lost = true;
    }
}

/* This direction closed (FIN), or its side reset the connection (RST). With no Close
 * frame sent first, the peer's WebSocket sees the connection drop: browsers report that as
 * 1006 (Abnormal Closure). A connection still open when the capture ends is not abnormal:
 * no note. */
static void
ws_stream_end(PeelPacket *pkt)
{
    int self = peel_registry_proto_index(&peel_proto_websocket);
    if (self < 0)
        return;
    uint16_t saved = pkt->proto;
    pkt->proto = (uint16_t)self; /* the note and its record are WebSocket's */
    uint8_t abnormal = 0;
    if (pkt->revisit) {
        if (!peel_record_get(pkt, WS_REC_END, &abnormal, 1))
            abnormal = 0;
    } else {
        WsConv *c = ws_conv(pkt);
        int d = pkt->flow_dir & 1;
        if (c != NULL && !c->end_noted[d]) {
            c->end_noted[d] = true;
            abnormal = !c->close_sent[d];
            if (abnormal)
                peel_record_put(pkt, WS_REC_END, &abnormal, 1);
        }
    }
    if (abnormal)
        peel_expert(pkt, -1, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                "WebSocket connection %s with no close frame from this side: "
                "1006 (Abnormal Closure) for the peer",
                pkt->stream_reset ? "reset (RST)" : "closed (FIN)");
    pkt->proto = saved;
}

const PeelProto peel_proto_websocket = {
    .name = "websocket",
    .title = "WebSocket",
    .short_name = "WebSocket",
    .fields = ws_fields,
    .n_fields = N_F,
    .dissect = ws_dissect,
    .pdu_len = ws_pdu_len,
    .stream_gap = ws_stream_gap,
    .stream_end = ws_stream_end,
};
