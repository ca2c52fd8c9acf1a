/* proto-http2.c: HTTP/2 (RFC 9113) over TCP: the connection preface, every frame type
 * with its flags, padding and fields as Wireshark 4.0 names them; header blocks (HEADERS,
 * PUSH_PROMISE + CONTINUATION) decoded with libnghttp2's HPACK inflater (RFC 7541), one
 * per direction; stream state, request/response pairing, and gRPC calls handed on per
 * stream (proto-grpc.c).
 *
 * Limits, each noted in an expert item when reached:
 *   - header blocks are decoded fragment by fragment as the frames come (HEADERS or
 *     PUSH_PROMISE, then CONTINUATION), as tshark does: each frame shows the fields its
 *     bytes completed; nghttp2 bounds one name or value at 64 KiB;
 *   - a frame shows at most 256 header fields and 1 MiB of decoded names and values (the
 *     rest still goes through the inflater so its table stays right);
 *   - the HPACK table a peer may ask for (SETTINGS_HEADER_TABLE_SIZE) is capped at 1 MiB;
 *   - 4096 streams are tracked per connection (closed ones are forgotten first);
 *   - a gRPC message is reassembled up to PEEL_GRPC_MAX_MESSAGE (4 MiB), and a connection
 *     holds at most 16 MiB of partial gRPC messages;
 *   - per-frame records keep up to 256 KiB of a message begun in earlier frames, so a
 *     revisit (--frame N) can show it; a longer one is noted instead.
 * A capture that starts mid-connection cannot know the HPACK dynamic table: each
 * direction then decodes with an empty table, and a block that refers to an entry never
 * seen stops at that field with an expert note (what was decoded before it is right: new
 * entries are always the lowest-numbered, so a table started late agrees with the real
 * one on every entry it has). */
#include "proto-http2-hpack.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "flow.h"
#include "fmt.h"
#include "proto-json.h"
#include "registry.h"

#define H2_MAGIC         "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
#define H2_MAGIC_LEN     24u
#define H2_HDR           9u
#define H2_MAX_STREAMS   4096u
#define H2_MAX_HELD      (16u << 20)
#define H2_MAX_CARRY_REC (256u << 10)

enum {
    T_DATA,
    T_HEADERS,
    T_PRIORITY,
    T_RST_STREAM,
    T_SETTINGS,
    T_PUSH_PROMISE,
    T_PING,
    T_GOAWAY,
    T_WINDOW_UPDATE,
    T_CONTINUATION,
    T_ALTSVC,
    T_BLOCKED,
    T_ORIGIN,
    T_PRIORITY_UPDATE = 0x10,
};

static const PeelValueName h2_type_names[] = {
    { T_DATA, "DATA" },
    { T_HEADERS, "HEADERS" },
    { T_PRIORITY, "PRIORITY" },
    { T_RST_STREAM, "RST_STREAM" },
    { T_SETTINGS, "SETTINGS" },
    { T_PUSH_PROMISE, "PUSH_PROMISE" },
    { T_PING, "PING" },
    { T_GOAWAY, "GOAWAY" },
    { T_WINDOW_UPDATE, "WINDOW_UPDATE" },
    { T_CONTINUATION, "CONTINUATION" },
    { T_ALTSVC, "ALTSVC" },
    { T_BLOCKED, "BLOCKED" },
    { T_ORIGIN, "ORIGIN" },
    { T_PRIORITY_UPDATE, "PRIORITY_UPDATE" },
    { 0, NULL },
};

/* RFC 9113 section 7. */
static const PeelValueName h2_error_names[] = {
    { 0x0, "NO_ERROR" },
    { 0x1, "PROTOCOL_ERROR" },
    { 0x2, "INTERNAL_ERROR" },
    { 0x3, "FLOW_CONTROL_ERROR" },
    { 0x4, "SETTINGS_TIMEOUT" },
    { 0x5, "STREAM_CLOSED" },
    { 0x6, "FRAME_SIZE_ERROR" },
    { 0x7, "REFUSED_STREAM" },
    { 0x8, "CANCEL" },
    { 0x9, "COMPRESSION_ERROR" },
    { 0xa, "CONNECT_ERROR" },
    { 0xb, "ENHANCE_YOUR_CALM" },
    { 0xc, "INADEQUATE_SECURITY" },
    { 0xd, "HTTP_1_1_REQUIRED" },
    { 0, NULL },
};

static const PeelValueName h2_settings_names[] = {
    { 1, "Header table size" },
    { 2, "Enable PUSH" },
    { 3, "Max concurrent streams" },
    { 4, "Initial Windows size" },
    { 5, "Max frame size" },
    { 6, "Max header list size" },
    { 8, "Extended CONNECT" },
    { 0, NULL },
};

#define FLAG(name, title, mask)                                                                    \
    {                                                                                              \
        name, title, PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, NULL, mask, 1                                \
    }
#define UNUSED(name, mask)                                                                         \
    {                                                                                              \
        name, "Unused", PEEL_FT_U8, PEEL_SHOW_HEX, NULL, mask, 1                                   \
    }
#define STR(name, title)                                                                           \
    {                                                                                              \
        name, title, PEEL_FT_STRING, PEEL_SHOW_NONE                                                \
    }
#define U32(name, title)                                                                           \
    {                                                                                              \
        name, title, PEEL_FT_U32, PEEL_SHOW_DEC                                                    \
    }

static const PeelFieldDef h2_fields[N_F] = {
    [F_STREAM] = { "http2.stream", "Stream", PEEL_FT_NONE, PEEL_SHOW_NONE },
    [F_LENGTH] = { "http2.length", "Length", PEEL_FT_U24, PEEL_SHOW_DEC },
    [F_TYPE] = { "http2.type", "Type", PEEL_FT_U8, PEEL_SHOW_DEC, h2_type_names },
    [F_FLAGS] = { "http2.flags", "Flags", PEEL_FT_U8, PEEL_SHOW_HEX },
    [F_FL_END_STREAM] = FLAG("http2.flags.end_stream", "End Stream", 0x01),
    [F_FL_EH] = FLAG("http2.flags.eh", "End Headers", 0x04),
    [F_FL_PADDED] = FLAG("http2.flags.padded", "Padded", 0x08),
    [F_FL_PRIORITY] = FLAG("http2.flags.priority", "Priority", 0x20),
    [F_FL_ACK_SETTINGS] = FLAG("http2.flags.ack.settings", "ACK", 0x01),
    [F_FL_ACK_PING] = FLAG("http2.flags.ack.ping", "ACK", 0x01),
    [F_FL_UNUSED] = UNUSED("http2.flags.unused", 0xff),
    [F_FL_UNUSED_SETTINGS] = UNUSED("http2.flags.unused_settings", 0xfe),
    [F_FL_UNUSED_PING] = UNUSED("http2.flags.unused_ping", 0xfe),
    [F_FL_UNUSED_CONT] = UNUSED("http2.flags.unused_continuation", 0xfb),
    [F_FL_UNUSED_PP] = UNUSED("http2.flags.unused_push_promise", 0xf3),
    [F_FL_UNUSED_DATA] = UNUSED("http2.flags.unused_data", 0xf6),
    [F_FL_UNUSED_HEADERS] = UNUSED("http2.flags.unused_headers", 0xd2),
    [F_R] = { "http2.r", "Reserved", PEEL_FT_U32, PEEL_SHOW_HEX, NULL, 0x80000000u },
    [F_STREAMID] = { "http2.streamid", "Stream Identifier", PEEL_FT_U32, PEEL_SHOW_DEC, NULL,
            0x7fffffffu },
    [F_MAGIC] = STR("http2.magic", "Magic"),
    [F_UNKNOWN] = { "http2.unknown", "Unknown", PEEL_FT_BYTES, PEEL_SHOW_NONE },
    [F_PADDING] = { "http2.padding", "Pad Length", PEEL_FT_U8, PEEL_SHOW_HEX },
    [F_PAD_LENGTH] = { "http2.pad_length", "Pad Length", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_EXCLUSIVE] = { "http2.exclusive", "Exclusive", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE, NULL,
            0x80000000u, 4 },
    [F_STREAM_DEP] = { "http2.stream_dependency", "Stream Dependency", PEEL_FT_U32, PEEL_SHOW_DEC,
            NULL, 0x7fffffffu },
    [F_WEIGHT] = { "http2.headers.weight", "Weight", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_WEIGHT_REAL] = { "http2.headers.weight_real", "Weight real", PEEL_FT_U8, PEEL_SHOW_DEC },
    [F_DATA_DATA] = { "http2.data.data", "Data", PEEL_FT_BYTES, PEEL_SHOW_NONE },
    [F_DATA_PADDING] = { "http2.data.padding", "Padding", PEEL_FT_BYTES, PEEL_SHOW_NONE },
    [F_HEADERS] = { "http2.headers", "Header Block Fragment", PEEL_FT_BYTES, PEEL_SHOW_NONE },
    [F_HEADERS_PADDING] = { "http2.headers.padding", "Padding", PEEL_FT_BYTES, PEEL_SHOW_NONE },
    [F_HEADER] = { "http2.header", "Header", PEEL_FT_NONE, PEEL_SHOW_NONE },
    [F_HEADER_LENGTH] = U32("http2.header.length", "Header Length"),
    [F_HEADER_COUNT] = U32("http2.header.count", "Header Count"),
    [F_HEADER_NAME_LENGTH] = U32("http2.header.name.length", "Name Length"),
    [F_HEADER_NAME] = STR("http2.header.name", "Name"),
    [F_HEADER_VALUE_LENGTH] = U32("http2.header.value.length", "Value Length"),
    [F_HEADER_VALUE] = STR("http2.header.value", "Value"),
    [F_FULL_URI] = STR("http2.request.full_uri", "Full request URI"),
    [F_RST_ERROR] = { "http2.rst_stream.error", "Error", PEEL_FT_U32, PEEL_SHOW_DEC,
            h2_error_names },
    [F_SETTINGS] = { "http2.settings", "Settings", PEEL_FT_NONE, PEEL_SHOW_NONE },
    [F_SETTINGS_ID] = { "http2.settings.id", "Settings Identifier", PEEL_FT_U16, PEEL_SHOW_DEC,
            h2_settings_names },
    [F_S_HEADER_TABLE_SIZE] = U32("http2.settings.header_table_size", "Header table size"),
    [F_S_ENABLE_PUSH] = U32("http2.settings.enable_push", "Enable PUSH"),
    [F_S_MAX_STREAMS] = U32("http2.settings.max_concurrent_streams", "Max concurrent streams"),
    [F_S_INITIAL_WINDOW] = U32("http2.settings.initial_window_size", "Initial Windows Size"),
    [F_S_MAX_FRAME] = U32("http2.settings.max_frame_size", "Max frame size"),
    [F_S_MAX_HEADER_LIST] = U32("http2.settings.max_header_list_size", "Max header list size"),
    [F_S_EXT_CONNECT] = U32("http2.settings.extended_connect", "Extended CONNECT"),
    [F_S_UNKNOWN] = U32("http2.settings.unknown", "Unknown Settings"),
    [F_PP_R] = { "http2.push_promise.r", "Reserved", PEEL_FT_U32, PEEL_SHOW_HEX, NULL,
            0x80000000u },
    [F_PP_PROMISED] = { "http2.push_promise.promised_stream_id", "Promised-Stream-ID", PEEL_FT_U32,
            PEEL_SHOW_DEC, NULL, 0x7fffffffu },
    [F_PP_HEADER] = { "http2.push_promise.header", "Header Block Fragment", PEEL_FT_BYTES,
            PEEL_SHOW_NONE },
    [F_PP_PADDING] = { "http2.push_promise.padding", "Padding", PEEL_FT_BYTES, PEEL_SHOW_NONE },
    [F_PING] = { "http2.ping", "Ping", PEEL_FT_BYTES, PEEL_SHOW_NONE },
    [F_PONG] = { "http2.pong", "Pong", PEEL_FT_BYTES, PEEL_SHOW_NONE },
    [F_GOAWAY_R] = { "http2.goway.r", "Reserved", PEEL_FT_U32, PEEL_SHOW_HEX, NULL, 0x80000000u },
    [F_GOAWAY_LAST] = { "http2.goaway.last_stream_id", "Last-Stream-ID", PEEL_FT_U32, PEEL_SHOW_DEC,
            NULL, 0x7fffffffu },
    [F_GOAWAY_ERROR] = { "http2.goaway.error", "Error", PEEL_FT_U32, PEEL_SHOW_DEC,
            h2_error_names },
    [F_GOAWAY_ADDATA] = { "http2.goaway.addata", "Additional Debug Data", PEEL_FT_BYTES,
            PEEL_SHOW_NONE },
    [F_WU_R] = { "http2.window_update.r", "Reserved", PEEL_FT_U32, PEEL_SHOW_HEX, NULL,
            0x80000000u },
    [F_WU_INCREMENT] = { "http2.window_update.window_size_increment", "Window Size Increment",
            PEEL_FT_U32, PEEL_SHOW_DEC, NULL, 0x7fffffffu },
    [F_CONT_HEADER] = STR("http2.continuation.header", "Continuation Header"),
    [F_CONT_PADDING] = { "http2.continuation.padding", "Padding", PEEL_FT_BYTES, PEEL_SHOW_NONE },
    [F_ALTSVC_ORIGIN_LEN] = { "http2.altsvc.origin.len", "Origin Length", PEEL_FT_U16,
            PEEL_SHOW_DEC },
    [F_ALTSVC_ORIGIN] = STR("http2.altsvc.origin", "Origin"),
    [F_ALTSVC_VALUE] = STR("http2.altsvc.field_value", "Field/Value"),
    [F_HEADER_SIZE_EXCEEDED] = { "http2.header_size_exceeded", "Decompression stopped.",
            PEEL_FT_NONE, PEEL_SHOW_NONE },
    [F_HEADER_LINES_EXCEEDED] = { "http2.header_lines_exceeded",
            "Decompression stopped after 256 header lines.", PEEL_FT_NONE, PEEL_SHOW_NONE },
    [F_REQUEST_IN] = { "http2.request_in", "Request in frame", PEEL_FT_FRAMENUM, PEEL_SHOW_NONE },
    [F_TIME] = { "http2.time", "Time since request", PEEL_FT_REL_TIME, PEEL_SHOW_NONE },
    [F_H_AUTHORITY] = STR("http2.headers.authority", ":authority"),
    [F_H_STATUS] = { "http2.headers.status", ":status", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_H_PATH] = STR("http2.headers.path", ":path"),
    [F_H_METHOD] = STR("http2.headers.method", ":method"),
    [F_H_SCHEME] = STR("http2.headers.scheme", ":scheme"),
    [F_H_ACCEPT] = STR("http2.headers.accept", "accept"),
    [F_H_ACCEPT_ENCODING] = STR("http2.headers.accept_encoding", "accept-encoding"),
    [F_H_ACCEPT_LANGUAGE] = STR("http2.headers.accept_language", "accept-language"),
    [F_H_AUTHORIZATION] = STR("http2.headers.authorization", "authorization"),
    [F_H_CACHE_CONTROL] = STR("http2.headers.cache_control", "cache-control"),
    [F_H_CONTENT_ENCODING] = STR("http2.headers.content_encoding", "content-encoding"),
    [F_H_CONTENT_LENGTH] = { "http2.headers.content_length", "content-length", PEEL_FT_U64,
            PEEL_SHOW_DEC },
    [F_H_CONTENT_TYPE] = STR("http2.headers.content_type", "content-type"),
    [F_H_COOKIE] = STR("http2.headers.cookie", "cookie"),
    [F_H_DATE] = STR("http2.headers.date", "date"),
    [F_H_LOCATION] = STR("http2.headers.location", "location"),
    [F_H_SERVER] = STR("http2.headers.server", "server"),
    [F_H_SET_COOKIE] = STR("http2.headers.set_cookie", "set-cookie"),
    [F_H_USER_AGENT] = STR("http2.headers.user_agent", "user-agent"),
    [F_H_LAST_MODIFIED] = STR("http2.headers.last_modified", "last-modified"),
    [F_H_ETAG] = STR("http2.headers.etag", "etag"),
    [F_H_RANGE] = STR("http2.headers.range", "range"),
    [F_H_CONTENT_RANGE] = STR("http2.headers.content_range", "content-range"),
    [F_H_REFERER] = STR("http2.headers.referer", "referer"),
    [F_H_VARY] = STR("http2.headers.vary", "vary"),
    [F_H_VIA] = STR("http2.headers.via", "via"),
    [F_H_AGE] = { "http2.headers.age", "age", PEEL_FT_U64, PEEL_SHOW_DEC },
};

/* ---- connection and stream state (first pass only) ---- */

typedef struct {
    uint32_t id;
    bool end[2];       /* END_STREAM seen, per direction */
    bool reset;        /* RST_STREAM */
    int8_t client_dir; /* direction of the first HEADERS, -1 not seen */
    bool grpc, json;
    uint8_t gkind;
    char *path;           /* NUL-terminated, bounded */
    char *encoding[2];    /* grpc-encoding, per direction */
    char *ctype[2];       /* content-type, per direction */
    uint64_t body_len[2]; /* DATA bytes, per direction */
    uint32_t req_frame;
    PeelTime req_ts;
    GByteArray *pending[2]; /* a gRPC message not complete yet, per direction */
    bool lost[2];           /* this direction's messages are no longer followed */
} H2Stream;

typedef struct {
    H2Dir dir[2];
    GHashTable *streams; /* id -> H2Stream */
    uint64_t held;       /* bytes of partial gRPC messages */
    bool goaway[2];
    int8_t client_dir; /* the direction that sent the preface, -1 not seen */
} H2Conn;

static void
stream_free(gpointer p)
{
    H2Stream *s = p;
    g_free(s->path);
    for (int d = 0; d < 2; d++) {
        g_free(s->encoding[d]);
        g_free(s->ctype[d]);
        if (s->pending[d] != NULL)
            g_byte_array_unref(s->pending[d]);
    }
    g_free(s);
}

static void
conn_clear(void *data)
{
    H2Conn *c = data;
    for (int d = 0; d < 2; d++) {
        if (c->dir[d].hd != NULL)
            nghttp2_hd_inflate_del(c->dir[d].hd);
    }
    if (c->streams != NULL)
        g_hash_table_destroy(c->streams);
}

static H2Conn *
conn_get(PeelPacket *pkt)
{
    if (pkt->flow == NULL || pkt->revisit)
        return NULL;
    H2Conn *c = peel_flow_data(pkt->flow, &peel_proto_http2, sizeof *c, conn_clear);
    if (c->streams == NULL) {
        c->streams = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, stream_free);
        c->client_dir = -1;
        for (int d = 0; d < 2; d++) {
            c->dir[d].allow = 4096;
            c->dir[d].resync = true;
        }
    }
    return c;
}

static uint32_t
stream_used(const H2Stream *s)
{
    uint32_t n = 0;
    for (int d = 0; d < 2; d++)
        n += s->pending[d] ? s->pending[d]->len : 0;
    return n;
}

static gboolean
stream_is_closed(gpointer key, gpointer value, gpointer user)
{
    (void)key;
    H2Stream *s = value;
    H2Conn *c = user;
    if (!(s->reset || (s->end[0] && s->end[1])))
        return FALSE;
    c->held -= stream_used(s);
    return TRUE;
}

/* The stream's state, created on first use; NULL over the limit or for stream 0. */
static H2Stream *
stream_get(PeelPacket *pkt, H2Conn *c, uint32_t id)
{
    if (c == NULL || id == 0)
        return NULL;
    H2Stream *s = g_hash_table_lookup(c->streams, GUINT_TO_POINTER(id));
    if (s != NULL)
        return s;
    if (g_hash_table_size(c->streams) >= H2_MAX_STREAMS)
        g_hash_table_foreach_remove(c->streams, stream_is_closed, c);
    if (g_hash_table_size(c->streams) >= H2_MAX_STREAMS) {
        peel_expert(pkt, pkt->parent, PEEL_SEV_NOTE, PEEL_GROUP_UNDECODED,
                "more than %u open streams in this connection: stream %u is not followed",
                H2_MAX_STREAMS, id);
        return NULL;
    }
    s = g_new0(H2Stream, 1);
    s->id = id;
    s->client_dir = -1;
    g_hash_table_insert(c->streams, GUINT_TO_POINTER(id), s);
    return s;
}

/* ---- PDUs: the preface, then 9-byte frame headers ---- */

/*  +-----------------------------------------------+
 *  |                 Length (24)                   |
 *  +---------------+---------------+---------------+
 *  |   Type (8)    |   Flags (8)   |
 *  +-+-------------+---------------+-------------------------------+
 *  |R|                 Stream Identifier (31)                      |
 *  +=+=============================================================+
 *  |                   Frame Payload (0...)                      ...
 *  +---------------------------------------------------------------+ */

static bool
h2_starts_magic(const PeelReader *rd, bool *partial)
{
    uint32_t have = MIN(peel_reader_captured(rd), H2_MAGIC_LEN);
    uint32_t got = 0;
    const uint8_t *p = peel_reader_peek_bytes(rd, 0, have, &got);
    if (p == NULL || got == 0 || memcmp(p, H2_MAGIC, got) != 0)
        return false;
    *partial = got < H2_MAGIC_LEN;
    return true;
}

/* A frame header that could begin a frame, when we do not know where frames begin. */
static bool
h2_plausible(const PeelReader *rd)
{
    uint32_t len = peel_reader_peek_u24be(rd, 0);
    uint8_t type = peel_reader_peek_u8(rd, 3);
    uint32_t sid = peel_reader_peek_u32be(rd, 5);
    if (sid & 0x80000000u || type > T_PRIORITY_UPDATE || len > 16777215u)
        return false;
    switch (type) {
    case T_SETTINGS:
        return sid == 0 && len % 6 == 0;
    case T_PING:
        return sid == 0 && len == 8;
    case T_GOAWAY:
        return sid == 0 && len >= 8;
    case T_WINDOW_UPDATE:
        return len == 4;
    case T_RST_STREAM:
        return sid != 0 && len == 4;
    case T_PRIORITY:
        return sid != 0 && len == 5;
    case T_DATA:
    case T_HEADERS:
    case T_CONTINUATION:
    case T_PUSH_PROMISE:
        return sid != 0 && len <= 16777215u;
    default:
        return len <= 16384;
    }
}

/* "SM\r\n\r\n": the end of the preface, when HTTP/1.x took "PRI * HTTP/2.0\r\n\r\n" as a
 * request and switched the connection to HTTP/2 after it. */
static bool
h2_magic_tail(const PeelReader *rd)
{
    uint32_t got = 0;
    const uint8_t *p = peel_reader_peek_bytes(rd, 0, 6, &got);
    return got == 6 && memcmp(p, &H2_MAGIC[18], 6) == 0;
}

static uint32_t
h2_pdu_len(const PeelReader *rd, PeelPacket *pkt)
{
    bool partial = false;
    if (h2_starts_magic(rd, &partial))
        return partial ? 0 : H2_MAGIC_LEN;
    uint32_t have = peel_reader_captured(rd);
    if (have < H2_HDR)
        return 0;
    H2Conn *c = conn_get(pkt);
    if (c != NULL && c->dir[pkt->flow_dir].resync && !c->dir[pkt->flow_dir].started &&
            h2_magic_tail(rd))
        return 6;
    if (c != NULL && c->dir[pkt->flow_dir].resync && !h2_plausible(rd))
        return have; /* not at a frame boundary: these bytes are shown undecoded */
    return H2_HDR + peel_reader_peek_u24be(rd, 0);
}

static void
h2_stream_gap(PeelPacket *pkt)
{
    H2Conn *c = conn_get(pkt);
    if (c == NULL)
        return;
    H2Dir *d = &c->dir[pkt->flow_dir];
    d->resync = true;
    d->hd_broken = true; /* a header block may have been lost with the bytes */
    d->block_type = 0;
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, c->streams);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        H2Stream *s = v;
        if (s->pending[pkt->flow_dir] != NULL) {
            c->held -= s->pending[pkt->flow_dir]->len;
            g_byte_array_set_size(s->pending[pkt->flow_dir], 0);
        }
        /* The missing bytes may have held part of a message: what follows on an open
         * gRPC stream may start anywhere inside one, so its messages are not cut. */
        if (s->grpc && !s->end[pkt->flow_dir] && !s->reset)
            s->lost[pkt->flow_dir] = true;
    }
}

/* First pass: what the completed block means for its stream. */
static void
block_to_stream(PeelPacket *pkt, H2Conn *c, H2Stream *s, H2Block *b, bool first, bool end_stream)
{
    int dir = pkt->flow_dir;
    if (s == NULL)
        return;
    /* The client opens odd streams, the server pushes even ones (RFC 9113 5.1.1); once
     * the preface says who the client is, that decides. Stream 1 after an HTTP/1.1
     * Upgrade has its request in HTTP/1.1, so its first HEADERS is the response. */
    if (s->client_dir < 0 && c->client_dir >= 0)
        s->client_dir = (int8_t)((s->id & 1) ? c->client_dir : !c->client_dir);
    if (first && s->client_dir < 0)
        s->client_dir = (int8_t)dir;
    bool from_client = s->client_dir == dir;
    const H2Header *ct = peel_http2_hdr_find(b, "content-type");
    if (ct != NULL && s->ctype[dir] == NULL)
        s->ctype[dir] = peel_http2_hdr_dup(ct);
    if (ct != NULL && ct->value_len >= 16 && memcmp(ct->value, "application/grpc", 16) == 0) {
        s->grpc = true;
        const uint8_t *rest = ct->value + 16;
        uint32_t rn = ct->value_len - 16;
        s->gkind = PEEL_GRPC_NATIVE;
        if (rn >= 9 && memcmp(rest, "-web-text", 9) == 0)
            s->gkind = PEEL_GRPC_WEB_TEXT;
        else if (rn >= 4 && memcmp(rest, "-web", 4) == 0)
            s->gkind = PEEL_GRPC_WEB;
        s->json = rn >= 5 && memcmp(rest + rn - 5, "+json", 5) == 0;
    }
    const H2Header *path = peel_http2_hdr_find(b, ":path");
    if (path != NULL && s->path == NULL)
        s->path = peel_http2_hdr_dup(path);
    const H2Header *enc = peel_http2_hdr_find(b, "grpc-encoding");
    if (enc != NULL && s->encoding[dir] == NULL)
        s->encoding[dir] = peel_http2_hdr_dup(enc);
    if (from_client && first && s->req_frame == 0) {
        s->req_frame = pkt->frame->number;
        s->req_ts = pkt->frame->ts;
    } else if (!from_client && s->req_frame != 0) {
        b->have_request = true;
        b->request_frame = s->req_frame;
        b->request_ts = s->req_ts;
    }
    b->grpc = s->grpc;
    if (end_stream)
        s->end[dir] = true;
}

/* ---- frames ---- */

static void
add_flags(PeelPacket *pkt, PeelReader *rd, uint8_t type)
{
    uint32_t before = pkt->n_fields;
    PeelReader fl = *rd; /* the bits are read from the flags octet */
    peel_add_u8(pkt, rd, F_FLAGS);
    bool open = peel_open_last(pkt, before);
    switch (type) {
    case T_DATA:
        peel_add_bits(pkt, &fl, F_FL_UNUSED_DATA);
        peel_add_bits(pkt, &fl, F_FL_PADDED);
        peel_add_bits(pkt, &fl, F_FL_END_STREAM);
        break;
    case T_HEADERS:
        peel_add_bits(pkt, &fl, F_FL_UNUSED_HEADERS);
        peel_add_bits(pkt, &fl, F_FL_PRIORITY);
        peel_add_bits(pkt, &fl, F_FL_PADDED);
        peel_add_bits(pkt, &fl, F_FL_EH);
        peel_add_bits(pkt, &fl, F_FL_END_STREAM);
        break;
    case T_SETTINGS:
        peel_add_bits(pkt, &fl, F_FL_UNUSED_SETTINGS);
        peel_add_bits(pkt, &fl, F_FL_ACK_SETTINGS);
        break;
    case T_PUSH_PROMISE:
        peel_add_bits(pkt, &fl, F_FL_UNUSED_PP);
        peel_add_bits(pkt, &fl, F_FL_PADDED);
        peel_add_bits(pkt, &fl, F_FL_EH);
        break;
    case T_PING:
        peel_add_bits(pkt, &fl, F_FL_UNUSED_PING);
        peel_add_bits(pkt, &fl, F_FL_ACK_PING);
        break;
    case T_CONTINUATION:
        peel_add_bits(pkt, &fl, F_FL_UNUSED_CONT);
        peel_add_bits(pkt, &fl, F_FL_EH);
        break;
    default:
        peel_add_bits(pkt, &fl, F_FL_UNUSED);
        break;
    }
    peel_close_if(pkt, open);
}

/* Pad Length when PADDED; narrows rd to the frame's content and returns the padding. */
static uint8_t
take_padding(PeelPacket *pkt, PeelReader *rd, uint8_t flags)
{
    if (!(flags & 0x08))
        return 0;
    uint8_t pad = peel_add_u8(pkt, rd, F_PADDING);
    if (pad > peel_reader_remaining(rd)) {
        peel_mark_malformed(pkt, "padding of %u bytes exceeds the %u bytes left in the frame", pad,
                peel_reader_remaining(rd));
        return 0;
    }
    return pad;
}

static void
add_priority(PeelPacket *pkt, PeelReader *rd)
{
    peel_add_bits(pkt, rd, F_EXCLUSIVE);
    peel_add_u32(pkt, rd, F_STREAM_DEP);
    uint8_t w = peel_add_u8(pkt, rd, F_WEIGHT);
    if (peel_reader_ok(rd))
        peel_add_uint_value(pkt, F_WEIGHT_REAL, (uint8_t)(w + 1));
}

/* HEADERS, PUSH_PROMISE and CONTINUATION fragments, decoded as they come (first pass)
 * or read back from the record (revisit). */
static void
header_fragment(PeelPacket *pkt, PeelReader *frag, uint8_t type, uint8_t flags, uint32_t sid,
        uint32_t frag_field)
{
    uint32_t n = peel_reader_remaining(frag);
    PeelReader blk = *frag;
    const uint8_t *bytes = peel_add_bytes(pkt, frag, frag_field, n);
    bool end_headers = (flags & 0x04) != 0;
    PeelTime now = pkt->frame->ts;
    H2Block b = { 0 };
    if (pkt->revisit) {
        if (peel_http2_record_block_get(pkt, &b))
            peel_http2_show_block(pkt, &blk, &b, sid, &now);
        return;
    }
    H2Conn *c = conn_get(pkt);
    if (c == NULL) {
        /* No connection (unit dissection of one PDU): decode with a fresh table. */
        if (bytes == NULL || type == T_CONTINUATION)
            return;
        H2Dir tmp = { .allow = 4096 };
        peel_http2_hpack_decode(pkt, &tmp, bytes, n, true, end_headers, &b);
        if (tmp.hd != NULL)
            nghttp2_hd_inflate_del(tmp.hd);
        peel_http2_show_block(pkt, &blk, &b, sid, &now);
        return;
    }
    H2Dir *d = &c->dir[pkt->flow_dir];
    bool first = type != T_CONTINUATION;
    if (first) {
        if (d->block_type != 0) {
            peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                    "a new header block begins before the previous one ended (CONTINUATION "
                    "missing)");
            d->hd_broken = true;
        }
        d->block_stream = sid;
        d->block_type = type;
        d->block_flags = flags;
    } else if (d->block_type == 0 || d->block_stream != sid) {
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                "CONTINUATION without a header block to continue on stream %u", sid);
        d->hd_broken = true;
        return;
    }
    if (bytes == NULL) {
        d->hd_broken = true; /* bytes the inflater never saw */
        d->block_failed = true;
    }
    peel_http2_hpack_decode(pkt, d, bytes, bytes ? n : 0, first, end_headers, &b);
    uint8_t btype = d->block_type;
    bool end_stream = (d->block_flags & 0x01) != 0;
    if (end_headers)
        d->block_type = 0;
    H2Stream *s = stream_get(pkt, c, sid);
    if (btype == T_HEADERS)
        block_to_stream(pkt, c, s, &b, first, end_stream && first);
    peel_http2_record_block(pkt, &b);
    peel_http2_show_block(pkt, &blk, &b, sid, &now);
}

static void
dissect_settings(PeelPacket *pkt, PeelReader *rd, uint8_t flags, H2Conn *c)
{
    H2Dir *self = c ? &c->dir[pkt->flow_dir] : NULL;
    H2Dir *peer = c ? &c->dir[!pkt->flow_dir] : NULL;
    if (flags & 0x01) {
        /* Our ACK: the table size the peer announced now binds our encoder. */
        if (self != NULL && self->have_pending_allow) {
            self->allow = self->pending_allow;
            self->have_pending_allow = false;
            peel_http2_apply_allow(self);
        }
        return;
    }
    if (peel_reader_remaining(rd) % 6 != 0)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "SETTINGS payload of %u bytes is not a multiple of 6", peel_reader_remaining(rd));
    while (peel_reader_remaining(rd) >= 6 && peel_reader_ok(rd)) {
        int32_t item = peel_open(pkt, rd, F_SETTINGS, 6);
        uint16_t id = peel_add_u16(pkt, rd, F_SETTINGS_ID);
        uint32_t v = peel_reader_peek_u32be(rd, 0);
        static const uint8_t by_id[] = { 0, F_S_HEADER_TABLE_SIZE, F_S_ENABLE_PUSH, F_S_MAX_STREAMS,
            F_S_INITIAL_WINDOW, F_S_MAX_FRAME, F_S_MAX_HEADER_LIST, 0, F_S_EXT_CONNECT };
        uint32_t f = id < sizeof by_id && by_id[id] ? by_id[id] : F_S_UNKNOWN;
        peel_add_u32(pkt, rd, f);
        const char *name = peel_value_name(h2_settings_names, id);
        peel_set_text(pkt, item, "Settings - %s : %u", name ? name : "Unknown", v);
        peel_close(pkt, NULL);
        if (id == 1 && peer != NULL) {
            if (v > H2_MAX_TABLE)
                peel_expert(pkt, pkt->parent, PEEL_SEV_NOTE, PEEL_GROUP_PROTOCOL,
                        "HPACK table size %u is followed only up to %u bytes", v, H2_MAX_TABLE);
            peer->pending_allow = MIN(v, H2_MAX_TABLE);
            peer->have_pending_allow = true;
        }
    }
}

/* The HTTP2-Settings header of an h2c Upgrade request (RFC 9113 3.2.1): base64url of a
 * SETTINGS payload (no padding), shown as http2.settings items under the header, as
 * Wireshark does. At most 64 settings are read (the header is bounded by HTTP's limit). */
void
peel_http2_add_upgrade_settings(PeelPacket *pkt, const uint8_t *b64, uint32_t len)
{
    enum { MAX_CHARS = 64 * 8 };
    if (len > MAX_CHARS)
        len = MAX_CHARS;
    char *std = peel_arena_alloc(pkt->arena, (size_t)len + 4);
    uint8_t *out = peel_arena_alloc(pkt->arena, (size_t)len + 3);
    if (std == NULL || out == NULL)
        return;
    uint32_t k = 0;
    for (uint32_t i = 0; i < len; i++) {
        char ch = (char)b64[i];
        if (ch == ' ' || ch == '\t')
            continue;
        std[k++] = ch == '-' ? '+' : ch == '_' ? '/' : ch;
    }
    while (k % 4 != 0)
        std[k++] = '=';
    gint state = 0;
    guint save = 0;
    gsize n = g_base64_decode_step(std, k, out, &state, &save);
    if (n == 0)
        return;
    PeelReader rd = peel_add_source(pkt, out, (uint32_t)n, "Decoded HTTP2-Settings");
    uint16_t proto = pkt->proto;
    uint32_t base = pkt->field_base;
    int idx = peel_registry_proto_index(&peel_proto_http2);
    pkt->proto = (uint16_t)idx;
    pkt->field_base = peel_proto_field_base((uint32_t)idx);
    dissect_settings(pkt, &rd, 0, NULL);
    pkt->proto = proto;
    pkt->field_base = base;
}

static void
h2_reset_or_goaway_note(PeelPacket *pkt, uint32_t code, const char *what)
{
    if (code == 0)
        return;
    const char *name = peel_value_name(h2_error_names, code);
    peel_expert(pkt, peel_last(pkt), PEEL_SEV_WARN, PEEL_GROUP_SEQUENCE, "%s with error %s", what,
            name ? name : "unknown");
}

/* Whether a content-type (any case, with parameters) is one of JSON's media types. */
static bool
ctype_is_json(const char *ctype)
{
    char mt[128];
    size_t tn = MIN(strcspn(ctype, "; \t"), sizeof mt - 1);
    for (size_t i = 0; i < tn; i++)
        mt[i] = (char)g_ascii_tolower(ctype[i]);
    mt[tn] = '\0';
    return peel_json_media_type(mt);
}

static void dissect_data(
        PeelPacket *pkt, PeelReader *body, uint32_t sid, uint8_t flags, uint32_t pad);

/* One HTTP/2 frame: header, then the payload by type. */
static void
dissect_frame(PeelPacket *pkt, PeelReader *rd)
{
    int32_t item = peel_open(pkt, rd, F_STREAM, peel_reader_remaining(rd));
    uint32_t len = peel_add_u24(pkt, rd, F_LENGTH);
    uint8_t type = peel_add_u8(pkt, rd, F_TYPE);
    uint8_t flags = peel_reader_peek_u8(rd, 0);
    add_flags(pkt, rd, type);
    peel_add_bits(pkt, rd, F_R);
    uint32_t sid = peel_add_u32(pkt, rd, F_STREAMID);
    const char *tname = peel_value_name(h2_type_names, type);
    char unknown[16];
    if (tname == NULL) {
        peel_snprintf(unknown, sizeof unknown, "Unknown (%u)", type);
        tname = unknown;
    }
    peel_set_text(pkt, item, "Stream: %s, Stream ID: %u, Length %u", tname, sid, len);
    peel_http2_info_sep(pkt);
    peel_info_append_str(pkt, tname);
    peel_info_append_str(pkt, "[");
    peel_info_append_uint(pkt, sid);
    peel_info_append_str(pkt, "]");
    PeelReader body = peel_reader_take(rd, len);
    H2Conn *c = conn_get(pkt);
    switch (type) {
    case T_DATA: {
        uint8_t pad = take_padding(pkt, &body, flags);
        dissect_data(pkt, &body, sid, flags, pad);
        break;
    }
    case T_HEADERS: {
        uint8_t pad = take_padding(pkt, &body, flags);
        if (flags & 0x20)
            add_priority(pkt, &body);
        uint32_t left = peel_reader_remaining(&body);
        PeelReader frag = peel_reader_take(&body, left >= pad ? left - pad : 0);
        header_fragment(pkt, &frag, type, flags, sid, F_HEADERS);
        if (pad)
            peel_add_bytes(pkt, &body, F_HEADERS_PADDING, pad);
        break;
    }
    case T_PRIORITY:
        add_priority(pkt, &body);
        break;
    case T_RST_STREAM: {
        uint32_t code = peel_add_u32(pkt, &body, F_RST_ERROR);
        h2_reset_or_goaway_note(pkt, code, "RST_STREAM");
        H2Stream *s = stream_get(pkt, c, sid);
        if (s != NULL)
            s->reset = true;
        break;
    }
    case T_SETTINGS:
        dissect_settings(pkt, &body, flags, c);
        break;
    case T_PUSH_PROMISE: {
        uint8_t pad = take_padding(pkt, &body, flags);
        peel_add_bits(pkt, &body, F_PP_R);
        peel_add_u32(pkt, &body, F_PP_PROMISED);
        uint32_t left = peel_reader_remaining(&body);
        PeelReader frag = peel_reader_take(&body, left >= pad ? left - pad : 0);
        header_fragment(pkt, &frag, type, flags, sid, F_PP_HEADER);
        if (pad)
            peel_add_bytes(pkt, &body, F_PP_PADDING, pad);
        break;
    }
    case T_PING:
        peel_add_bytes(pkt, &body, (flags & 1) ? F_PONG : F_PING, 8);
        break;
    case T_GOAWAY: {
        peel_add_bits(pkt, &body, F_GOAWAY_R);
        peel_add_u32(pkt, &body, F_GOAWAY_LAST);
        uint32_t code = peel_add_u32(pkt, &body, F_GOAWAY_ERROR);
        h2_reset_or_goaway_note(pkt, code, "GOAWAY");
        if (peel_reader_remaining(&body) > 0)
            peel_add_bytes(pkt, &body, F_GOAWAY_ADDATA, peel_reader_remaining(&body));
        if (c != NULL)
            c->goaway[pkt->flow_dir] = true;
        break;
    }
    case T_WINDOW_UPDATE:
        peel_add_bits(pkt, &body, F_WU_R);
        peel_add_u32(pkt, &body, F_WU_INCREMENT);
        break;
    case T_CONTINUATION:
        header_fragment(pkt, &body, type, flags, sid, F_HEADERS);
        break;
    case T_ALTSVC: {
        uint16_t olen = peel_add_u16(pkt, &body, F_ALTSVC_ORIGIN_LEN);
        peel_add_string(pkt, &body, F_ALTSVC_ORIGIN, olen);
        peel_add_string(pkt, &body, F_ALTSVC_VALUE, peel_reader_remaining(&body));
        break;
    }
    default:
        if (peel_reader_remaining(&body) > 0)
            peel_add_bytes(pkt, &body, F_UNKNOWN, peel_reader_remaining(&body));
        break;
    }
    peel_check_reader(pkt, &body);
    peel_close(pkt, NULL);
}

/* DATA: the payload, and for gRPC streams the length-prefixed messages, reassembled
 * across frames and handed to proto-grpc.c one by one. */
static void
dissect_data(PeelPacket *pkt, PeelReader *body, uint32_t sid, uint8_t flags, uint32_t pad)
{
    uint32_t left = peel_reader_remaining(body);
    uint32_t n = left >= pad ? left - pad : 0;
    PeelReader payload = *body;
    peel_reader_limit(&payload, n);
    const uint8_t *bytes = peel_add_bytes(pkt, body, F_DATA_DATA, n);
    if (pad)
        peel_add_bytes(pkt, body, F_DATA_PADDING, pad);
    H2Data d = { .path = "", .encoding = "", .ctype = "" };
    bool end_stream = (flags & 0x01) != 0;
    H2Conn *c = conn_get(pkt);
    H2Stream *s = NULL;
    if (pkt->revisit) {
        if (!peel_http2_record_data_get(pkt, &d))
            return;
    } else {
        s = stream_get(pkt, c, sid);
        if (s == NULL)
            return;
        int dir = pkt->flow_dir;
        if (end_stream)
            s->end[dir] = true;
        s->body_len[dir] += n;
        d.body_end = end_stream && s->body_len[dir] > 0;
        d.whole = d.body_end && s->body_len[dir] == n;
        d.grpc = s->grpc && !s->lost[dir];
        if (s->grpc && s->lost[dir] && n > 0)
            peel_expert(pkt, pkt->parent, PEEL_SEV_NOTE, PEEL_GROUP_REASSEMBLE,
                    "gRPC messages of stream %u are no longer followed in this direction "
                    "(bytes missing before, or a message past the limits)",
                    sid);
        d.request = s->client_dir == dir;
        d.json = s->json;
        d.gkind = s->gkind;
        d.path = s->path ? s->path : "";
        d.encoding = s->encoding[dir] ? s->encoding[dir] : "";
        d.ctype = s->ctype[dir] ? s->ctype[dir] : "";
        if (s->pending[dir] != NULL && s->pending[dir]->len > 0) {
            d.carry = s->pending[dir]->data;
            d.carry_len = s->pending[dir]->len;
            if (d.carry_len > H2_MAX_CARRY_REC) {
                H2Data rec = d;
                rec.carry_len = 0;
                rec.carry_lost = true;
                peel_http2_record_data(pkt, &rec);
            } else {
                peel_http2_record_data(pkt, &d);
            }
        } else if (d.grpc || (d.body_end && g_str_has_prefix(d.ctype, "text/")) ||
                   (d.whole && ctype_is_json(d.ctype))) {
            peel_http2_record_data(pkt, &d);
        }
    }
    if (!d.grpc && d.body_end && g_str_has_prefix(d.ctype, "text/")) {
        /* The whole body is text: tshark's line-based text dissector names its type. */
        size_t tn = strcspn(d.ctype, "; \t");
        peel_info_append_str(pkt, " (");
        peel_info_append_strn(pkt, d.ctype, MIN(tn, 100u));
        peel_info_append_str(pkt, ")");
    }
    if (!d.grpc && d.whole && bytes != NULL && ctype_is_json(d.ctype)) {
        /* A JSON body in one DATA frame: to JSON, as tshark does with the whole body. */
        char mt[128];
        size_t tn = MIN(strcspn(d.ctype, "; \t"), sizeof mt - 1);
        for (size_t i = 0; i < tn; i++)
            mt[i] = (char)g_ascii_tolower(d.ctype[i]);
        mt[tn] = '\0';
        peel_json_dissect(pkt, &payload, mt);
    }
    if (!d.grpc || bytes == NULL)
        return;
    if (d.carry_lost) {
        peel_expert(pkt, pkt->parent, PEEL_SEV_NOTE, PEEL_GROUP_REASSEMBLE,
                "the start of this gRPC message (over %u bytes, in earlier frames) is not "
                "kept for a revisit",
                H2_MAX_CARRY_REC);
        return;
    }
    /* The bytes to cut messages from: carried ones first, then this frame's. */
    PeelReader all;
    if (d.carry_len > 0) {
        uint8_t *buf = peel_arena_alloc(pkt->arena, d.carry_len + n);
        if (buf == NULL)
            return;
        memcpy(buf, d.carry, d.carry_len);
        memcpy(buf + d.carry_len, bytes, n);
        all = peel_reader_init(buf, d.carry_len + n, d.carry_len + n, 0);
    } else {
        all = payload;
    }
    bool reassembled = d.carry_len > 0;
    PeelGrpcCall call = { .kind = d.gkind,
        .request = d.request,
        .json = d.json,
        .first = true,
        .path = d.path,
        .encoding = d.encoding };
    uint32_t total = peel_reader_remaining(&all), at = 0;
    bool added_source = false;
    while (total - at >= 5) {
        uint32_t mlen = peel_reader_peek_u32be(&all, at + 1);
        if (mlen > PEEL_GRPC_MAX_MESSAGE || mlen > total - at - 5)
            break;
        PeelReader msg;
        if (reassembled) {
            if (!added_source) {
                all = peel_add_source(pkt, all.data, total, "Reassembled gRPC message");
                added_source = true;
            }
            msg = all;
            msg.pos = 0;
            peel_reader_skip(&msg, at);
            msg = peel_reader_take(&msg, 5 + mlen);
        } else {
            msg = all;
            peel_reader_skip(&msg, at);
            msg = peel_reader_take(&msg, 5 + mlen);
        }
        peel_grpc_set_call(pkt, &call);
        /* Messages are not nested protocols: they do not count against the engine's
         * bound on layers per packet (48), which one segment of many small DATA frames
         * would otherwise reach. */
        uint16_t layers = pkt->layers;
        peel_next_proto(pkt, &msg, &peel_proto_grpc);
        pkt->layers = layers;
        call.first = false;
        at += 5 + mlen;
    }
    uint32_t rest = total - at;
    uint32_t next_len = rest >= 5 ? peel_reader_peek_u32be(&all, at + 1) : 0;
    if (next_len > PEEL_GRPC_MAX_MESSAGE)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_REASSEMBLE,
                "gRPC message of %u bytes is past the %u-byte limit: the rest of this "
                "stream's messages are not followed",
                next_len, PEEL_GRPC_MAX_MESSAGE);
    else if (end_stream && rest > 0) {
        /* Wireshark's grpc.body_malformed, as a gRPC field. */
        PeelGrpcScope scope = peel_grpc_scope_enter(pkt);
        peel_add_uint_value(pkt, PEEL_GRPC_F_MALFORMED, 0);
        peel_expert(pkt, peel_last(pkt), PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "GRPC Malformed message data: the stream ends inside a gRPC message (%u bytes "
                "left over)",
                rest);
        peel_grpc_scope_leave(pkt, scope);
    }
    if (pkt->revisit || s == NULL)
        return;
    /* First pass: keep what is left for the next DATA frame of this direction. */
    int dir = pkt->flow_dir;
    if (s->pending[dir] == NULL)
        s->pending[dir] = g_byte_array_new();
    GByteArray *pend = s->pending[dir];
    c->held -= pend->len;
    if (next_len > PEEL_GRPC_MAX_MESSAGE || end_stream || rest == 0 ||
            c->held + rest > H2_MAX_HELD) {
        if (rest > 0 && !end_stream && next_len <= PEEL_GRPC_MAX_MESSAGE)
            peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_REASSEMBLE,
                    "partial gRPC messages of this connection passed %u bytes: this "
                    "stream's messages are no longer followed",
                    H2_MAX_HELD);
        if (rest > 0 && !end_stream)
            s->lost[dir] = true;
        g_byte_array_set_size(pend, 0);
        return;
    }
    uint32_t got = 0;
    const uint8_t *tail = peel_reader_peek_bytes(&all, at, rest, &got);
    GByteArray *keep = g_byte_array_sized_new(rest);
    if (tail != NULL)
        g_byte_array_append(keep, tail, got);
    g_byte_array_unref(pend);
    s->pending[dir] = keep;
    c->held += keep->len;
}

static void
h2_dissect(PeelReader *rd, PeelPacket *pkt)
{
    peel_set_protocol(pkt, "HTTP2");
    peel_json_keep_protocol(pkt);
    bool partial = false;
    H2Conn *c = conn_get(pkt);
    H2Dir *d = c ? &c->dir[pkt->flow_dir] : NULL;
    if (h2_starts_magic(rd, &partial) && !partial && peel_reader_remaining(rd) == H2_MAGIC_LEN) {
        peel_add_string(pkt, rd, F_MAGIC, H2_MAGIC_LEN);
        peel_http2_info_sep(pkt);
        peel_info_append_str(pkt, "Magic");
        if (d != NULL) {
            d->started = true;
            d->resync = false;
            c->client_dir = (int8_t)pkt->flow_dir;
        }
        return;
    }
    if (peel_reader_remaining(rd) == 6 && h2_magic_tail(rd)) {
        peel_add_string(pkt, rd, F_MAGIC, 6);
        peel_http2_info_sep(pkt);
        peel_info_append_str(pkt, "Magic");
        if (d != NULL) {
            d->started = true;
            d->resync = false;
            c->client_dir = (int8_t)pkt->flow_dir;
        }
        return;
    }
    uint32_t len = peel_reader_peek_u24be(rd, 0);
    if (peel_reader_remaining(rd) < H2_HDR || peel_reader_remaining(rd) != H2_HDR + len ||
            (d != NULL && d->resync && !h2_plausible(rd))) {
        /* Bytes from the middle of a frame (after a gap, or a capture that starts
         * mid-connection). */
        peel_add_bytes(pkt, rd, F_UNKNOWN, peel_reader_remaining(rd));
        peel_expert(pkt, peel_last(pkt), PEEL_SEV_NOTE, PEEL_GROUP_REASSEMBLE,
                "not at an HTTP/2 frame boundary (continuation of a frame whose start was "
                "not captured)");
        peel_http2_info_sep(pkt);
        peel_info_append_str(pkt, "Continuation or non-HTTP2 traffic");
        return;
    }
    if (d != NULL) {
        if (!d->started) {
            /* A direction that begins without the preface or a SETTINGS frame began
             * before the capture: its HPACK table is unknown. */
            uint8_t type = peel_reader_peek_u8(rd, 3);
            d->late = type != T_SETTINGS;
            if (d->late)
                d->allow = H2_LATE_TABLE;
            d->started = true;
        }
        d->resync = false;
    }
    dissect_frame(pkt, rd);
}

/* A connection whose first bytes are a server's SETTINGS frame (gRPC servers send theirs
 * as soon as they accept, before the client's preface arrives): a whole SETTINGS frame of
 * at most 10 parameters on stream 0, no flags, every identifier a registered one or in
 * the range implementations use for their own (gRPC's 0xfe03). */
static bool
h2_server_settings_first(const PeelReader *rd)
{
    uint32_t len = peel_reader_peek_u24be(rd, 0);
    if (len % 6 != 0 || len > 60 || peel_reader_captured(rd) < H2_HDR + len ||
            peel_reader_peek_u8(rd, 3) != T_SETTINGS || peel_reader_peek_u8(rd, 4) != 0 ||
            peel_reader_peek_u32be(rd, 5) != 0)
        return false;
    for (uint32_t off = H2_HDR; off < H2_HDR + len; off += 6) {
        uint16_t id = peel_reader_peek_u16be(rd, off);
        if (id == 0 || (id > 0x10 && id < 0xf000))
            return false;
    }
    return true;
}

static bool
h2_heuristic(const PeelReader *rd, const PeelPacket *pkt)
{
    (void)pkt;
    bool partial = false;
    /* The client connection preface (RFC 9113 3.4), at least "PRI * HTTP/2.0". */
    if (peel_reader_captured(rd) >= 14 && h2_starts_magic(rd, &partial))
        return true;
    return h2_server_settings_first(rd);
}

const PeelProto peel_proto_http2 = {
    .name = "http2",
    .title = "HyperText Transfer Protocol 2",
    .short_name = "HTTP2",
    .fields = h2_fields,
    .n_fields = N_F,
    .dissect = h2_dissect,
    .heuristic = h2_heuristic,
    .heuristic_table = PEEL_TABLE_TCP_PORT,
    .pdu_len = h2_pdu_len,
    .stream_gap = h2_stream_gap,
};
