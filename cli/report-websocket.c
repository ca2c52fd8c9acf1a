/* report-websocket.c: `-z follow,websocket,STREAM`, one WebSocket connection as a
 * transcript of messages (direction, time, opcode, the unmasked and decompressed text, or
 * a hex dump), and `--export-objects websocket,DIR`, every data message of the capture
 * written to a file of its own. Both read the fields the WebSocket dissector records:
 * one message per text or binary message (at the frame that completes it) and per
 * control frame.
 *
 * Bounds: the transcript keeps at most FOLLOW_MAX_BYTES of message bytes (the rest of a
 * message is counted, not kept); the export writes at most PEEL_EXPORT_MAX_FILES files. */
#include "report.h"

#include <string.h>

#include "export.h"
#include "flow.h"
#include "format.h"
#include "registry.h"

#define FOLLOW_MAX_BYTES (64u << 20)

typedef struct {
    int ws, opcode, text, close_code, close_reason, ping, pong, unknown, data, tcp_fin,
            tcp_rst;
} WsIds;

static WsIds ws_ids;

static gpointer
ws_ids_init(gpointer unused)
{
    (void)unused;
    ws_ids.ws = peel_field_lookup("websocket");
    ws_ids.opcode = peel_field_lookup("websocket.opcode");
    ws_ids.text = peel_field_lookup("websocket.payload.text");
    ws_ids.close_code = peel_field_lookup("websocket.payload.close.status_code");
    ws_ids.close_reason = peel_field_lookup("websocket.payload.close.reason");
    ws_ids.ping = peel_field_lookup("websocket.payload.ping");
    ws_ids.pong = peel_field_lookup("websocket.payload.pong");
    ws_ids.unknown = peel_field_lookup("websocket.payload.unknown");
    ws_ids.data = peel_field_lookup("data.data");
    ws_ids.tcp_fin = peel_field_lookup("tcp.flags.fin");
    ws_ids.tcp_rst = peel_field_lookup("tcp.flags.reset");
    return NULL;
}

enum { WS_TEXT = 1, WS_BINARY = 2, WS_CLOSE = 8, WS_PING = 9, WS_PONG = 10 };

/* One message as the fields show it. */
typedef struct {
    uint8_t kind; /* WS_TEXT, WS_BINARY, a control opcode, or another (reserved) opcode */
    bool have_code;
    uint16_t code;
    const uint8_t *bytes; /* text, binary bytes, the close reason or a control payload */
    uint32_t len;
} WsMsg;

typedef void (*WsMsgFn)(void *state, const PeelPacket *pkt, const WsMsg *m);

/* Calls fn for each message of the packet. A frame's item starts a frame; a message
 * comes from its text, data or control payload; control frames with no payload and
 * close frames with no status are messages too. */
static void
ws_each_message(const PeelPacket *pkt, WsMsgFn fn, void *state)
{
    static GOnce once = G_ONCE_INIT;
    g_once(&once, ws_ids_init, NULL);
    bool in_frame = false, emitted = false;
    uint8_t opcode = 0;
    WsMsg close = { 0 };
    for (uint32_t i = 0; i <= pkt->n_fields; i++) {
        const PeelField *fl = i < pkt->n_fields ? &pkt->fields[i] : NULL;
        int id = fl ? (int)fl->id : -1;
        if (fl == NULL || id == ws_ids.ws) {
            if (in_frame && !emitted && opcode >= WS_CLOSE && opcode <= WS_PONG) {
                WsMsg m = opcode == WS_CLOSE ? close : (WsMsg){ .kind = opcode };
                m.kind = opcode;
                fn(state, pkt, &m);
            }
            in_frame = fl != NULL;
            emitted = false;
            opcode = 0;
            memset(&close, 0, sizeof close);
            continue;
        }
        if (!in_frame || !(fl->flags & PEEL_FF_HAS_VALUE))
            continue;
        WsMsg m = { 0 };
        if (id == ws_ids.opcode) {
            opcode = (uint8_t)fl->v.u;
        } else if (id == ws_ids.close_code) {
            close.have_code = true;
            close.code = (uint16_t)fl->v.u;
        } else if (id == ws_ids.close_reason) {
            close.bytes = fl->v.b.ptr;
            close.len = fl->v.b.len;
        } else if (id == ws_ids.text || id == ws_ids.data || id == ws_ids.ping ||
                   id == ws_ids.pong || id == ws_ids.unknown) {
            m.kind = id == ws_ids.text ? WS_TEXT : id == ws_ids.data ? WS_BINARY :
                     id == ws_ids.ping ? WS_PING : id == ws_ids.pong ? WS_PONG : opcode;
            m.bytes = fl->v.b.ptr;
            m.len = fl->v.b.len;
            fn(state, pkt, &m);
            emitted = true;
        }
    }
}

static bool
ws_tcp_ended(const PeelPacket *pkt)
{
    static GOnce once = G_ONCE_INIT;
    g_once(&once, ws_ids_init, NULL);
    for (uint32_t i = 0; i < pkt->n_fields; i++) {
        const PeelField *fl = &pkt->fields[i];
        if (((int)fl->id == ws_ids.tcp_fin || (int)fl->id == ws_ids.tcp_rst) &&
                (fl->flags & PEEL_FF_HAS_VALUE) && fl->v.u)
            return true;
    }
    return false;
}

static const char *
ws_kind_name(uint8_t kind)
{
    switch (kind) {
    case WS_TEXT: return "Text";
    case WS_BINARY: return "Binary";
    case WS_CLOSE: return "Connection Close";
    case WS_PING: return "Ping";
    case WS_PONG: return "Pong";
    default: return "Unknown Opcode";
    }
}

/* ---- -z follow,websocket,STREAM ---- */

typedef struct {
    uint32_t frame;
    PeelTime rel;
    uint8_t node;
    WsMsg m;
    uint32_t kept; /* bytes of the message kept at off */
    guint off;
} FollowMsg;

typedef struct {
    uint32_t stream;
    bool have_nodes;
    PeelAddr addr[2];
    uint16_t port[2];
    GArray *msgs;    /* FollowMsg */
    GByteArray *data;
    bool close_seen[2];
    bool tcp_ended;
    uint32_t end_frame;
} WsFollow;

static void *
follow_open(const char *arg, GError **error)
{
    g_auto(GStrv) parts = g_strsplit(arg, ",", -1);
    char *end = NULL;
    guint64 stream = g_strv_length(parts) == 3 ? g_ascii_strtoull(parts[2], &end, 10) : 0;
    if (g_strv_length(parts) != 3 || end == parts[2] || *end != '\0' ||
            !g_ascii_isdigit(parts[2][0]) || stream > G_MAXUINT32) {
        g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG,
                "-z %s: expected follow,websocket,STREAM with a TCP stream number", arg);
        return NULL;
    }
    WsFollow *f = g_new0(WsFollow, 1);
    f->stream = (uint32_t)stream;
    f->msgs = g_array_new(FALSE, FALSE, sizeof(FollowMsg));
    f->data = g_byte_array_new();
    return f;
}

static void
follow_msg(void *state, const PeelPacket *pkt, const WsMsg *m)
{
    WsFollow *f = state;
    FollowMsg fm = { .frame = pkt->frame->number, .rel = pkt->frame->rel,
        .node = pkt->flow_dir == 0 ? 0 : 1, .m = *m, .off = f->data->len };
    uint32_t room = f->data->len < FOLLOW_MAX_BYTES ? FOLLOW_MAX_BYTES - f->data->len : 0;
    fm.kept = MIN(m->len, room);
    if (fm.kept > 0)
        g_byte_array_append(f->data, m->bytes, fm.kept);
    fm.m.bytes = NULL;
    if (m->kind == WS_CLOSE)
        f->close_seen[fm.node] = true;
    g_array_append_val(f->msgs, fm);
}

static void
follow_packet(void *state, const PeelPacket *pkt)
{
    WsFollow *f = state;
    const PeelFlow *flow = pkt->flow;
    if (flow == NULL || flow->ip_proto != 6 || flow->id != f->stream)
        return;
    if (!f->have_nodes) {
        /* Node 0 sent the connection's first packet, as in -z follow,tcp. */
        f->have_nodes = true;
        for (int n = 0; n < 2; n++) {
            memset(&f->addr[n], 0, sizeof f->addr[n]);
            f->addr[n].type = flow->addr_type;
            memcpy(f->addr[n].bytes, flow->addr[n], flow->addr_type == PEEL_AT_IPV6 ? 16 : 4);
            f->port[n] = flow->port[n];
        }
    }
    ws_each_message(pkt, follow_msg, f);
    if (!f->tcp_ended && ws_tcp_ended(pkt)) {
        f->tcp_ended = true;
        f->end_frame = pkt->frame->number;
    }
}

static void
follow_addr(GString *s, const PeelAddr *a, uint16_t port)
{
    if (a->type == PEEL_AT_IPV6)
        g_string_append_c(s, '[');
    peel_format_addr(s, a);
    if (a->type == PEEL_AT_IPV6)
        g_string_append_c(s, ']');
    g_string_append_printf(s, ":%u", port);
}

/* A hex dump: offset, 16 bytes, their printable characters. */
static void
follow_hex(GString *s, const uint8_t *p, uint32_t n)
{
    for (uint32_t at = 0; at < n; at += 16) {
        g_string_append_printf(s, "%08X  ", at);
        for (uint32_t i = 0; i < 16; i++) {
            if (at + i < n)
                g_string_append_printf(s, "%02x ", p[at + i]);
            else
                g_string_append(s, "   ");
            if (i == 7)
                g_string_append_c(s, ' ');
        }
        g_string_append_c(s, ' ');
        for (uint32_t i = 0; i < 16 && at + i < n; i++)
            g_string_append_c(s, g_ascii_isprint(p[at + i]) ? (char)p[at + i] : '.');
        g_string_append_c(s, '\n');
    }
}

static void
follow_body(GString *s, const FollowMsg *fm, const uint8_t *p)
{
    switch (fm->m.kind) {
    case WS_TEXT:
        g_string_append_len(s, (const char *)p, fm->kept);
        if (fm->kept == 0 || p[fm->kept - 1] != '\n')
            g_string_append_c(s, '\n');
        break;
    case WS_CLOSE:
        if (fm->m.have_code)
            g_string_append_printf(s, "status %u", fm->m.code);
        else
            g_string_append(s, "no status");
        if (fm->kept > 0) {
            g_string_append(s, ", reason \"");
            g_string_append_len(s, (const char *)p, fm->kept);
            g_string_append_c(s, '"');
        }
        g_string_append_c(s, '\n');
        break;
    default:
        follow_hex(s, p, fm->kept);
        break;
    }
    if (fm->kept < fm->m.len)
        g_string_append_printf(s, "[%u more bytes not kept: the transcript holds %u bytes]\n",
                fm->m.len - fm->kept, FOLLOW_MAX_BYTES);
}

static bool
follow_finish(void *state, FILE *out)
{
    WsFollow *f = state;
    g_autoptr(GString) s = g_string_new(NULL);
    static const char sep[] =
            "===================================================================\n";
    g_string_append(s, sep);
    g_string_append_printf(s, "Follow: websocket,%u\n", f->stream);
    for (int n = 0; f->have_nodes && n < 2; n++) {
        g_string_append_printf(s, "Node %d: ", n);
        follow_addr(s, &f->addr[n], f->port[n]);
        g_string_append_c(s, '\n');
    }
    for (guint i = 0; i < f->msgs->len; i++) {
        const FollowMsg *fm = &g_array_index(f->msgs, FollowMsg, i);
        g_string_append_printf(s, "-- frame %u, %" G_GINT64_FORMAT ".%06d s, node %u -> node %u: "
                "%s, %u bytes\n", fm->frame, fm->rel.sec, fm->rel.nsec / 1000, fm->node,
                1 - fm->node, ws_kind_name(fm->m.kind), fm->m.len);
        follow_body(s, fm, f->data->data + fm->off);
    }
    if (f->tcp_ended && !(f->close_seen[0] && f->close_seen[1]))
        g_string_append_printf(s, "-- frame %u: the connection ended without a close frame "
                "from %s: 1006 Abnormal Closure\n", f->end_frame,
                !f->close_seen[0] && !f->close_seen[1] ? "either side" :
                !f->close_seen[0] ? "node 0" : "node 1");
    g_string_append(s, sep);
    return fwrite(s->str, 1, s->len, out) == s->len;
}

static void
follow_close(void *state)
{
    WsFollow *f = state;
    g_array_unref(f->msgs);
    g_byte_array_unref(f->data);
    g_free(f);
}

const PeelReportKind peel_report_follow_websocket = {
    .option = PEEL_REPORT_Z,
    .name = "follow,websocket",
    .usage = "follow,websocket,STREAM",
    .open = follow_open,
    .packet = follow_packet,
    .finish = follow_finish,
    .close = follow_close,
};

/* ---- --export-objects websocket,DIR ---- */

static void *
export_open(const char *arg, GError **error)
{
    return peel_export_open("websocket", arg, PEEL_EXPORT_NUMBER_AFTER, error);
}

static void
export_msg(void *state, const PeelPacket *pkt, const WsMsg *m)
{
    PeelExport *e = state;
    if (m->kind != WS_TEXT && m->kind != WS_BINARY)
        return;
    /* Names from numbers only: nothing from the packet reaches the path. */
    char name[96];
    g_snprintf(name, sizeof name, "websocket-%06u-stream%u-frame%u-from-node%d.%s",
            peel_export_count(e) + 1, pkt->flow ? pkt->flow->id : 0, pkt->frame->number,
            pkt->flow_dir == 0 ? 0 : 1, m->kind == WS_TEXT ? "txt" : "bin");
    peel_export_write(e, name, m->bytes, m->len);
}

static void
export_packet(void *state, const PeelPacket *pkt)
{
    ws_each_message(pkt, export_msg, state);
}

static bool
export_finish(void *state, FILE *out)
{
    (void)out;
    return peel_export_finish(state, "messages");
}

static void
export_close(void *state)
{
    peel_export_close(state);
}

const PeelReportKind peel_report_export_websocket = {
    .option = PEEL_REPORT_EXPORT,
    .name = "websocket",
    .usage = "websocket,DIR",
    .open = export_open,
    .packet = export_packet,
    .finish = export_finish,
    .close = export_close,
};
