/* proto-http.c: HTTP/1.x (RFC 9112) over reassembled TCP, parsed with llhttp
 * (http-scan.c): requests and responses, every header line, Content-Length, chunked and
 * close-delimited bodies, content codings (http-body.c), request/response pairing as
 * Wireshark 4.0 does it, and the 101 Switching Protocols hand-over to WebSocket or h2c.
 *
 * Limits: header blocks up to HTTP_MAX_HEADER_BYTES, HTTP_MAX_HEADERS lines shown per
 * message, decoded bodies up to HTTP_MAX_DECODED, HTTP_MAX_PENDING requests remembered per
 * connection for HEAD framing, URIs kept for pairing up to HTTP_MAX_URI bytes. */
#include "proto-http-private.h"

#include <glib.h>
#include <string.h>
#include <strings.h>

#include "flow.h"
#include "http-scan.h"
#include "proto-http2.h"
#include "proto-json.h"
#include "protos.h"
#include "registry.h"

#define S(name, title)                                                                             \
    {                                                                                              \
        name, title, PEEL_FT_STRING, PEEL_SHOW_NONE                                                \
    }
#define FRAME(name, title)                                                                         \
    {                                                                                              \
        name, title, PEEL_FT_FRAMENUM, PEEL_SHOW_NONE                                              \
    }

static const PeelFieldDef http_fields[N_F] = {
    [F_REQUEST] = { "http.request", "Request", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE },
    [F_RESPONSE] = { "http.response", "Response", PEEL_FT_BOOLEAN, PEEL_SHOW_NONE },
    [F_CHAT] = { "http.chat", "Formatted text", PEEL_FT_NONE, PEEL_SHOW_NONE },
    [F_METHOD] = S("http.request.method", "Request Method"),
    [F_URI] = S("http.request.uri", "Request URI"),
    [F_URI_PATH] = S("http.request.uri.path", "Request URI Path"),
    [F_URI_QUERY] = S("http.request.uri.query", "Request URI Query"),
    [F_URI_QPARAM] = S("http.request.uri.query.parameter", "Request URI Query Parameter"),
    [F_REQ_VERSION] = S("http.request.version", "Request Version"),
    [F_RESP_VERSION] = S("http.response.version", "Response Version"),
    [F_CODE] = { "http.response.code", "Status Code", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_CODE_DESC] = S("http.response.code.desc", "Status Code Description"),
    [F_PHRASE] = S("http.response.phrase", "Response Phrase"),
    [F_REQ_LINE] = S("http.request.line", "Request line"),
    [F_RESP_LINE] = S("http.response.line", "Response line"),
    [F_HOST] = S("http.host", "Host"),
    [F_USER_AGENT] = S("http.user_agent", "User-Agent"),
    [F_ACCEPT] = S("http.accept", "Accept"),
    [F_ACCEPT_LANGUAGE] = S("http.accept_language", "Accept-Language"),
    [F_ACCEPT_ENCODING] = S("http.accept_encoding", "Accept Encoding"),
    [F_REFERER] = S("http.referer", "Referer"),
    [F_CONTENT_TYPE] = S("http.content_type", "Content-Type"),
    [F_CONTENT_LENGTH_HEADER] = S("http.content_length_header", "Content-Length"),
    [F_CONTENT_ENCODING] = S("http.content_encoding", "Content-Encoding"),
    [F_TRANSFER_ENCODING] = S("http.transfer_encoding", "Transfer-Encoding"),
    [F_CONNECTION] = S("http.connection", "Connection"),
    [F_UPGRADE] = S("http.upgrade", "Upgrade"),
    [F_COOKIE] = S("http.cookie", "Cookie"),
    [F_SET_COOKIE] = S("http.set_cookie", "Set-Cookie"),
    [F_AUTHORIZATION] = S("http.authorization", "Authorization"),
    [F_WWW_AUTHENTICATE] = S("http.www_authenticate", "WWW-Authenticate"),
    [F_PROXY_AUTHORIZATION] = S("http.proxy_authorization", "Proxy-Authorization"),
    [F_PROXY_AUTHENTICATE] = S("http.proxy_authenticate", "Proxy-Authenticate"),
    [F_SERVER] = S("http.server", "Server"),
    [F_LOCATION] = S("http.location", "Location"),
    [F_DATE] = S("http.date", "Date"),
    [F_CACHE_CONTROL] = S("http.cache_control", "Cache-Control"),
    [F_LAST_MODIFIED] = S("http.last_modified", "Last-Modified"),
    [F_X_FORWARDED_FOR] = S("http.x_forwarded_for", "X-Forwarded-For"),
    [F_SEC_WS_ACCEPT] = S("http.sec_websocket_accept", "Sec-WebSocket-Accept"),
    [F_SEC_WS_EXTENSIONS] = S("http.sec_websocket_extensions", "Sec-WebSocket-Extensions"),
    [F_SEC_WS_KEY] = S("http.sec_websocket_key", "Sec-WebSocket-Key"),
    [F_SEC_WS_PROTOCOL] = S("http.sec_websocket_protocol", "Sec-WebSocket-Protocol"),
    [F_SEC_WS_VERSION] = S("http.sec_websocket_version", "Sec-WebSocket-Version"),
    [F_HTTP2_SETTINGS] = S("http.http2_settings", "HTTP2-Settings"),
    [F_CONTENT_LENGTH] = { "http.content_length", "Content length", PEEL_FT_U64, PEEL_SHOW_DEC },
    [F_COOKIE_PAIR] = S("http.cookie_pair", "Cookie pair"),
    [F_FULL_URI] = S("http.request.full_uri", "Full request URI"),
    [F_REQUEST_NUMBER] = { "http.request_number", "Request number", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_RESPONSE_NUMBER] = { "http.response_number", "Response number", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_REQUEST_IN] = FRAME("http.request_in", "Request in frame"),
    [F_RESPONSE_IN] = FRAME("http.response_in", "Response in frame"),
    [F_NEXT_REQUEST_IN] = FRAME("http.next_request_in", "Next request in frame"),
    [F_NEXT_RESPONSE_IN] = FRAME("http.next_response_in", "Next response in frame"),
    [F_PREV_REQUEST_IN] = FRAME("http.prev_request_in", "Prev request in frame"),
    [F_PREV_RESPONSE_IN] = FRAME("http.prev_response_in", "Prev response in frame"),
    [F_TIME] = { "http.time", "Time since request", PEEL_FT_REL_TIME, PEEL_SHOW_NONE },
    [F_RESPONSE_FOR_URI] = S("http.response_for.uri", "Request URI"),
    [F_CHUNKED] = { "http.chunked_response", "HTTP chunked response", PEEL_FT_NONE },
    [F_CHUNK] = { "http.chunk", "Data chunk", PEEL_FT_NONE },
    [F_CHUNK_SIZE] = { "http.chunk_size", "Chunk size", PEEL_FT_U32, PEEL_SHOW_DEC },
    [F_CHUNK_DATA] = { "http.chunk_data", "Chunk data", PEEL_FT_BYTES, PEEL_SHOW_NONE },
    [F_CHUNK_BOUNDARY] = { "http.chunk_boundary", "Chunk boundary", PEEL_FT_BYTES, PEEL_SHOW_NONE },
    [F_TRAILER] = S("http.chunked_trailer_part", "trailer-part"),
    [F_ENCODED] = { "http.content_encoded", "Content-encoded entity body", PEEL_FT_NONE },
    [F_FILE_DATA] = S("http.file_data", "File Data"),
    [F_AUTHBASIC] = S("http.authbasic", "Credentials"),
};

/* ---- framing ---- */

/* Info text: the start line, control bytes as '.', then a space, as tshark prints it. */
static void
info_start_line(PeelPacket *pkt, const uint8_t *d, uint32_t len, bool replace)
{
    if (!pkt->want_info)
        return;
    char buf[512];
    uint32_t n = 0;
    while (len > 0 && (d[len - 1] == '\n' || d[len - 1] == '\r'))
        len--;
    for (uint32_t i = 0; i < len && n < sizeof buf - 2; i++)
        buf[n++] = d[i] >= 0x20 && d[i] < 0x7f ? (char)d[i] : '.';
    buf[n++] = ' ';
    buf[n] = '\0';
    if (replace)
        peel_info_clear(pkt);
    peel_info_append_str(pkt, buf);
}

/* Offset after the empty line that ends a header block, 0 when there is none. */
static uint32_t
header_block_end(const uint8_t *d, uint32_t n)
{
    for (uint32_t i = 0; i + 1 < n; i++) {
        if (d[i] != '\n')
            continue;
        if (d[i + 1] == '\n')
            return i + 2;
        if (d[i + 1] == '\r' && i + 2 < n && d[i + 2] == '\n')
            return i + 3;
    }
    return 0;
}

static uint32_t
http_pdu_len(const PeelReader *rd, PeelPacket *pkt)
{
    uint32_t n = peel_reader_captured(rd);
    uint32_t got = 0;
    const uint8_t *d = peel_reader_peek_bytes(rd, 0, n, &got);
    if (d == NULL || got == 0)
        return 0;
    /* HTTP/2's connection preface (RFC 9113 3.4) on an HTTP port: the whole connection
     * is HTTP/2's, the preface included, as Wireshark hands it over. */
    static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    if (memcmp(d, preface, MIN(got, sizeof preface - 1)) == 0) {
        int h2 = peel_registry_proto_lookup("http2");
        if (h2 >= 0) {
            if (got >= sizeof preface - 1)
                peel_tcp_set_app(pkt, peel_registry_proto((uint32_t)h2));
            return 0;
        }
    }
    HttpConv *c = http_conv_get(pkt);
    if (c == NULL)
        return got;
    int dir = pkt->flow_dir & 1;
    bool response = got >= 5 && memcmp(d, "HTTP/", 5) == 0;
    uint32_t end = got;
    bool start_line = false;
    HttpScanResult r = http_frame(&c->framer[dir], d, got,
            response ? http_conv_answers(c) : HTTP_ANSWERS_OTHER, pkt->stream_end, &end,
            &start_line);
    bool *waiting = &c->waiting[dir];
    switch (r) {
    case HTTP_SCAN_COMPLETE:
        *waiting = false;
        return end > 0 ? end : got;
    case HTTP_SCAN_ERROR:
        if (start_line) {
            /* A bad header line: as tshark, the message still ends at the empty line,
             * and is waited for until it comes. */
            uint32_t hend = header_block_end(d, got);
            if (hend > 0) {
                *waiting = false;
                return hend;
            }
            if (got > HTTP_MAX_HEADER_BYTES)
                break;
        } else if (got <= HTTP_MAX_HEADER_BYTES && memchr(d, '\n', got) == NULL) {
            return 0; /* as tshark: no whole first line yet, so not known not to be HTTP */
        } else {
            break;
        }
        /* fall through */
    case HTTP_SCAN_MORE:
    case HTTP_SCAN_EOF:
        if (r == HTTP_SCAN_MORE) {
            uint64_t whole = http_frame_expected(&c->framer[dir], got);
            pkt->pdu_hint = whole <= UINT32_MAX ? (uint32_t)whole : 0;
        }
        /* As tshark: the segment that starts a message shows its start line (a body that
         * runs to the close: every segment, as tshark re-dissects those). */
        if (!*waiting || r == HTTP_SCAN_EOF) {
            const uint8_t *nl = memchr(d, '\n', MIN(got, 2048u));
            if (nl != NULL && (start_line || r == HTTP_SCAN_EOF))
                info_start_line(pkt, d, (uint32_t)(nl - d) + 1, true);
        }
        *waiting = true;
        return 0;
    case HTTP_SCAN_OVERSIZED:
        break;
    }
    *waiting = false;
    return got; /* not HTTP, malformed or oversized: all of it, shown as such */
}

static void
http_stream_gap(PeelPacket *pkt)
{
    HttpConv *c = http_conv_get(pkt);
    if (c != NULL) {
        c->waiting[pkt->flow_dir & 1] = false;
        http_framer_reset(&c->framer[pkt->flow_dir & 1]);
    }
}

/* ---- fields ---- */

/* ---- pairing ---- */

/* ---- upgrade ---- */

/* ---- body ---- */

/* ---- gRPC over HTTP/1.x ---- */

/* gRPC-Web text: base64 over the whole body, where each run may end with its own
 * padding (a server base64-encodes message by message). Returns the decoded length;
 * out holds at least n + 3 bytes. */
static uint32_t
grpc_web_text_decode(const uint8_t *in, uint32_t n, uint8_t *out)
{
    uint32_t i = 0;
    gsize o = 0;
    while (i < n) {
        uint32_t j = i;
        while (j < n && in[j] != '=')
            j++;
        while (j < n && in[j] == '=')
            j++;
        gint state = 0;
        guint save = 0;
        o += g_base64_decode_step((const gchar *)in + i, j - i, out + o, &state, &save);
        i = j;
    }
    return (uint32_t)o;
}

/* A body whose media type is application/grpc[-web[-text]][+proto|+json] (gRPC-Web
 * over HTTP/1.1, as Wireshark): its length-prefixed messages to the gRPC dissector, the
 * call's path from the request URI. *trailer: a gRPC-Web trailer frame was among them. */
static bool
http_grpc_body(PeelPacket *pkt, const PeelReader *body, const char *mt, bool response,
        const uint8_t *d, const HttpScan *s, const char *uri, bool *trailer)
{
    if (strncmp(mt, "application/grpc", 16) != 0 ||
            (mt[16] != '\0' && mt[16] != '-' && mt[16] != '+'))
        return false;
    uint32_t total = peel_reader_remaining(body);
    if (total == 0)
        return false;
    const char *rest = mt + 16;
    PeelGrpcCall call = { .kind = PEEL_GRPC_NATIVE, .request = !response, .first = true,
        .path = "", .encoding = "" };
    if (g_str_has_prefix(rest, "-web-text"))
        call.kind = PEEL_GRPC_WEB_TEXT;
    else if (g_str_has_prefix(rest, "-web"))
        call.kind = PEEL_GRPC_WEB;
    call.json = g_str_has_suffix(rest, "+json");
    if (!response && s->uri.len > 0) {
        call.path = peel_arena_strndup(pkt->arena, (const char *)d + s->uri.off, s->uri.len);
    } else if (response && uri != NULL) {
        /* the request's full URI: the path after "scheme://authority" */
        const char *p = strstr(uri, "://");
        p = p != NULL ? strchr(p + 3, '/') : uri;
        call.path = p != NULL ? p : "";
    }
    if (call.path == NULL)
        call.path = "";
    char *enc = http_header_dup(s, d, "grpc-encoding");
    if (enc != NULL) {
        call.encoding = peel_arena_strndup(pkt->arena, enc, strlen(enc));
        g_free(enc);
        if (call.encoding == NULL)
            call.encoding = "";
    }
    PeelReader rd = *body;
    if (call.kind == PEEL_GRPC_WEB_TEXT) {
        uint32_t got = 0;
        const uint8_t *in = peel_reader_peek_bytes(&rd, 0, total, &got);
        uint8_t *out = in != NULL ? peel_arena_alloc(pkt->arena, (size_t)got + 3) : NULL;
        if (out == NULL)
            return false;
        uint32_t n = grpc_web_text_decode(in, got, out);
        rd = peel_add_source(pkt, out, n, "Decoded base64 body");
        total = peel_reader_remaining(&rd);
    }
    uint32_t at = 0;
    while (at < total && peel_reader_ok(&rd)) {
        PeelReader msg = rd;
        peel_reader_skip(&msg, at);
        uint32_t left = total - at;
        uint32_t mlen = left >= 5 ? peel_reader_peek_u32be(&msg, 1) : 0;
        uint32_t take = left < 5 || mlen > left - 5 ? left : 5 + mlen;
        msg = peel_reader_take(&msg, take);
        if (peel_reader_peek_u8(&msg, 0) & 0x80)
            *trailer = true;
        peel_grpc_set_call(pkt, &call);
        /* Messages side by side are not nesting (the engine's layer bound). */
        uint16_t layers = pkt->layers;
        peel_next_proto(pkt, &msg, &peel_proto_grpc);
        pkt->layers = layers;
        call.first = false;
        at += take;
    }
    return true;
}

/* ---- the message ---- */

/* Which message of its frame this is: per-frame records are numbered by it. */
typedef struct {
    uint32_t frame;
    uint32_t count;
    bool revisit;
} HttpFrameCount;

static uint8_t
message_index(PeelPacket *pkt)
{
    HttpFrameCount *fc = peel_engine_data(pkt, &http_fields, sizeof *fc, NULL);
    if (fc->frame != pkt->frame->number || fc->revisit != pkt->revisit) {
        fc->frame = pkt->frame->number;
        fc->revisit = pkt->revisit;
        fc->count = 0;
    }
    uint32_t i = fc->count++;
    return (uint8_t)(1 + (i < 250 ? i : 250));
}

static void
record_store(PeelPacket *pkt, uint8_t sub, const HttpRec *rec, const char *uri)
{
    uint32_t size = (uint32_t)sizeof *rec + rec->uri_len;
    uint8_t *buf = peel_arena_alloc(pkt->arena, size);
    if (buf == NULL)
        return;
    memcpy(buf, rec, sizeof *rec);
    if (rec->uri_len)
        memcpy(buf + sizeof *rec, uri, rec->uri_len);
    peel_record_put(pkt, sub, buf, size);
}

static bool
record_load(PeelPacket *pkt, uint8_t sub, HttpRec *rec, const char **uri)
{
    uint32_t size = peel_record_size(pkt, sub);
    if (size < sizeof *rec)
        return false;
    uint8_t *buf = peel_arena_alloc(pkt->arena, size);
    if (buf == NULL || !peel_record_get(pkt, sub, buf, size))
        return false;
    memcpy(rec, buf, sizeof *rec);
    if (rec->uri_len != size - sizeof *rec)
        return false;
    *uri = (const char *)buf + sizeof *rec;
    return true;
}

/* Bytes that are not a message start: the rest of a body whose start was not seen. */
static void
http_continuation(PeelReader *rd, PeelPacket *pkt, uint32_t len)
{
    (void)len;
    peel_info_set(pkt, "Continuation");
    peel_set_text(pkt, pkt->parent, "Hypertext Transfer Protocol");
    peel_next_data_nested(pkt, rd); /* as tshark: Data under HTTP, no file data */
}

static void
http_dissect(PeelReader *rd, PeelPacket *pkt)
{
    uint32_t len = peel_reader_captured(rd);
    uint32_t got = 0;
    const uint8_t *d = peel_reader_peek_bytes(rd, 0, len, &got);
    if (d == NULL || got == 0)
        return;
    len = got;
    uint8_t sub = message_index(pkt);
    HttpConv *c = pkt->revisit ? NULL : http_conv_get(pkt);
    HttpRec rec = { 0 };
    const char *uri = NULL;
    bool have_rec = pkt->revisit && record_load(pkt, sub, &rec, &uri);
    bool response = len >= 5 && memcmp(d, "HTTP/", 5) == 0;
    int answers = HTTP_ANSWERS_OTHER; /* what the request this response answers was */
    if (response && have_rec)
        answers = (rec.flags & REC_NO_BODY)   ? HTTP_ANSWERS_HEAD
                  : (rec.flags & REC_CONNECT) ? HTTP_ANSWERS_CONNECT
                                              : HTTP_ANSWERS_OTHER;
    else if (response)
        answers = http_conv_answers(c);

    HttpScan s;
    http_scan(&s, d, len, answers, true, pkt->arena);
    if ((s.method.len == 0 && s.status.len == 0 && !s.headers_done) ||
            (!s.response && s.version.len == 0)) {
        http_continuation(rd, pkt, len);
        return;
    }
    peel_set_text(pkt, pkt->parent, "Hypertext Transfer Protocol");
    info_start_line(pkt, d, s.start_line_len, true);
    http_add_start_line(pkt, rd, d, &s);
    http_add_headers(pkt, rd, d, &s, false);
    int32_t flag = peel_add_bool_value(pkt, response ? F_RESPONSE : F_REQUEST, true);
    peel_hide(pkt, flag);

    if (s.result == HTTP_SCAN_ERROR)
        peel_expert(pkt, pkt->parent, PEEL_SEV_ERROR, PEEL_GROUP_MALFORMED,
                "not valid HTTP at byte %u of the message: %s", s.end,
                s.error ? s.error : "parse error");
    else if (s.result == HTTP_SCAN_OVERSIZED ||
             (s.headers_done && s.headers_end > HTTP_MAX_HEADER_BYTES))
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "header block larger than %u bytes", HTTP_MAX_HEADER_BYTES);
    else if (!s.headers_done)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "the message ends inside its headers");
    else if (s.result == HTTP_SCAN_MORE)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED, "the body ends %s",
                s.chunked ? "before its last chunk" : "before its Content-Length");

    if (!response && http_span_is(d, s.method, "PRI") && http_span_is(d, s.version, "2.0")) {
        /* The HTTP/2 connection preface (RFC 9113 3.4): the rest is HTTP/2's. */
        int h2 = peel_registry_proto_lookup("http2");
        peel_tcp_set_app(pkt, h2 >= 0 ? peel_registry_proto((uint32_t)h2) : NULL);
        return;
    }
    char *pair_uri = NULL;
    if (!pkt->revisit) {
        if (answers == HTTP_ANSWERS_HEAD)
            rec.flags |= REC_NO_BODY;
        else if (answers == HTTP_ANSWERS_CONNECT)
            rec.flags |= REC_CONNECT;
        http_pair_message(pkt, c, d, &s, sub, &rec, &pair_uri);
        if (c != NULL && !response) {
            int kind = http_span_is(d, s.method, "HEAD")      ? HTTP_ANSWERS_HEAD
                       : http_span_is(d, s.method, "CONNECT") ? HTTP_ANSWERS_CONNECT
                                                              : HTTP_ANSWERS_OTHER;
            http_pending_push(c, kind, pkt->frame->number, sub);
            c->req_dir = pkt->flow_dir & 1;
            http_upgrade_request(pkt, c, d, &s);
        } else if (c != NULL && s.status_code >= 200) {
            http_pending_pop(c);
            if (answers == HTTP_ANSWERS_CONNECT && s.status_code / 100 == 2) {
                /* a tunnel (RFC 9110 9.3.6): what follows is not HTTP/1.x */
                int tls = peel_registry_proto_lookup("tls");
                peel_tcp_set_app(pkt, tls >= 0 ? peel_registry_proto((uint32_t)tls) : NULL);
            }
        } else if (c != NULL && s.status_code == 101) {
            http_pending_pop(c);
            http_upgrade_response(pkt, c, d, &s, &rec);
        }
        uri = pair_uri;
        rec.uri_len = uri ? (uint32_t)strlen(uri) : 0;
        record_store(pkt, sub, &rec, uri);
    }
    if (!response) {
        char *full = http_full_uri_new(d, &s);
        if (full != NULL) {
            peel_add_string_value(pkt, F_FULL_URI,
                    peel_arena_strndup(pkt->arena, full, strlen(full)), (uint32_t)strlen(full));
            g_free(full);
        }
    }
    http_add_pairing(pkt, &rec, response, uri, rec.uri_len);
    if (rec.end_unanswered > 0) /* set at the end of the first pass: revisits only */
        http_note_unanswered_at_end(pkt, rec.end_unanswered, pkt->frame->number);
    if (rec.flags & REC_BAD_ACCEPT)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                "Sec-WebSocket-Accept does not match the request's Sec-WebSocket-Key");
    if (response && s.status_code >= 400)
        peel_expert(pkt, pkt->parent, s.status_code >= 500 ? PEEL_SEV_WARN : PEEL_SEV_NOTE,
                PEEL_GROUP_SEQUENCE, "HTTP %u %s: %s error", s.status_code,
                peel_http_status_phrase(s.status_code) ? peel_http_status_phrase(s.status_code)
                                                       : "",
                s.status_code >= 500 ? "server" : "client");

    uint32_t body_len = 0;
    PeelReader body = peel_reader_init(d, 0, 0, 0);
    if (s.headers_done)
        http_add_body(pkt, rd, d, s.end > len || s.end == 0 ? len : s.end, &s, &body_len, &body);
    const HttpHeader *ct = http_find_header(&s, d, "content-type");
    if (ct == NULL || body_len == 0)
        return;
    /* tshark names the media type, lower case, without parameters */
    char mt[128];
    uint32_t k = 0;
    for (uint32_t i = 0; i < ct->value.len && k < sizeof mt - 1; i++) {
        uint8_t ch = d[ct->value.off + i];
        if (ch == ';' || ch == ' ')
            break;
        mt[k++] = (char)g_ascii_tolower((char)ch);
    }
    mt[k] = '\0';
    bool trailer = false;
    bool handed = http_grpc_body(pkt, &body, mt, response, d, &s, uri, &trailer);
    if (!handed && peel_json_media_type(mt) && peel_reader_remaining(&body) > 0) {
        peel_json_dissect(pkt, &body, mt);
        handed = true;
    }
    /* As tshark: a body handed to gRPC names no media type, but gRPC-Web's trailers go
     * to its line-based text dissector, which does. */
    if (pkt->want_info && (!handed || trailer))
    {
        peel_info_append_str(pkt, " (");
        peel_info_append_str(pkt, mt);
        peel_info_append_str(pkt, ")");
    }
}

/* A stream whose first bytes are a request line ("GET /x HTTP/1.1") or a status line. */
static bool
http_heuristic(const PeelReader *rd, const PeelPacket *pkt)
{
    (void)pkt;
    uint32_t n = peel_reader_captured(rd);
    uint32_t got = 0;
    const uint8_t *d = peel_reader_peek_bytes(rd, 0, n < 2048 ? n : 2048, &got);
    if (d == NULL || got < 9)
        return false;
    if (memcmp(d, "HTTP/1.", 7) == 0)
        return got >= 12 && d[8] == ' ' && g_ascii_isdigit(d[9]) && g_ascii_isdigit(d[10]) &&
               g_ascii_isdigit(d[11]);
    static const char *const methods[] = { "GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ",
        "CONNECT ", "TRACE ", "PATCH ", "PROPFIND ", "PROPPATCH ", "MKCOL ", "COPY ", "MOVE ",
        "LOCK ", "UNLOCK ", "SEARCH ", "REPORT " };
    for (size_t i = 0; i < G_N_ELEMENTS(methods); i++) {
        size_t m = strlen(methods[i]);
        if (got <= m || memcmp(d, methods[i], m) != 0)
            continue;
        /* the version ends the first line: " HTTP/1.x" */
        const uint8_t *nl = memchr(d, '\n', got);
        uint32_t end = nl ? (uint32_t)(nl - d) : got;
        if (end > 0 && d[end - 1] == '\r')
            end--;
        if (nl == NULL) /* the line goes on past what we hold: its start must look right */
            return d[m] == '/' || d[m] == '*' || g_ascii_isalpha(d[m]);
        return end >= m + 9 && memcmp(d + end - 9, " HTTP/1.", 8) == 0;
    }
    return false;
}

const PeelProto peel_proto_http = {
    .name = "http",
    .title = "Hypertext Transfer Protocol",
    .short_name = "HTTP",
    .fields = http_fields,
    .n_fields = N_F,
    .dissect = http_dissect,
    .heuristic = http_heuristic,
    .heuristic_table = PEEL_TABLE_TCP_PORT,
    .handoffs = { { PEEL_TABLE_TCP_PORT, 80 }, { PEEL_TABLE_TCP_PORT, 8080 },
            { PEEL_TABLE_TCP_PORT, 3128 }, { PEEL_TABLE_TCP_PORT, 8088 } },
    .pdu_len = http_pdu_len,
    .stream_gap = http_stream_gap,
    .stream_end = http_stream_end,
    .capture_end = http_capture_end,
};
