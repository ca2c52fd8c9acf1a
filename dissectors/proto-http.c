/* proto-http.c: HTTP/1.x (RFC 9112) over reassembled TCP, parsed with llhttp
 * (http-scan.c): requests and responses, every header line, Content-Length, chunked and
 * close-delimited bodies, content codings (http-body.c), request/response pairing as
 * Wireshark 4.0 does it, and the 101 Switching Protocols hand-over to WebSocket or h2c.
 *
 * Limits: header blocks up to HTTP_MAX_HEADER_BYTES, HTTP_MAX_HEADERS lines shown per
 * message, decoded bodies up to HTTP_MAX_DECODED, HTTP_MAX_PENDING requests remembered per
 * connection for HEAD framing, URIs kept for pairing up to HTTP_MAX_URI bytes. */
#include "proto-http.h"

#include <glib.h>
#include <string.h>
#include <strings.h>

#include "flow.h"
#include "http-body.h"
#include "http-scan.h"
#include "protos.h"
#include "registry.h"

enum {
    F_REQUEST, F_RESPONSE, F_CHAT, F_METHOD, F_URI, F_URI_PATH, F_URI_QUERY, F_URI_QPARAM,
    F_REQ_VERSION, F_RESP_VERSION, F_CODE, F_CODE_DESC, F_PHRASE, F_REQ_LINE, F_RESP_LINE,
    /* header fields, in the order of http_headers[] */
    F_HOST, F_USER_AGENT, F_ACCEPT, F_ACCEPT_LANGUAGE, F_ACCEPT_ENCODING, F_REFERER,
    F_CONTENT_TYPE, F_CONTENT_LENGTH_HEADER, F_CONTENT_ENCODING, F_TRANSFER_ENCODING,
    F_CONNECTION, F_UPGRADE, F_COOKIE, F_SET_COOKIE, F_AUTHORIZATION, F_WWW_AUTHENTICATE,
    F_PROXY_AUTHORIZATION, F_PROXY_AUTHENTICATE, F_SERVER, F_LOCATION, F_DATE, F_CACHE_CONTROL,
    F_LAST_MODIFIED, F_X_FORWARDED_FOR, F_SEC_WS_ACCEPT, F_SEC_WS_EXTENSIONS, F_SEC_WS_KEY,
    F_SEC_WS_PROTOCOL, F_SEC_WS_VERSION, F_HTTP2_SETTINGS,
    /* derived */
    F_CONTENT_LENGTH, F_COOKIE_PAIR, F_FULL_URI, F_REQUEST_NUMBER, F_RESPONSE_NUMBER,
    F_REQUEST_IN, F_RESPONSE_IN, F_NEXT_REQUEST_IN, F_NEXT_RESPONSE_IN, F_PREV_REQUEST_IN,
    F_PREV_RESPONSE_IN, F_TIME, F_RESPONSE_FOR_URI, F_CHUNKED, F_CHUNK, F_CHUNK_SIZE,
    F_CHUNK_DATA, F_CHUNK_BOUNDARY, F_TRAILER, F_ENCODED, F_FILE_DATA, F_AUTHBASIC,
    N_F
};

#define S(name, title) { name, title, PEEL_FT_STRING, PEEL_SHOW_NONE }
#define FRAME(name, title) { name, title, PEEL_FT_FRAMENUM, PEEL_SHOW_NONE }

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
    [F_RESPONSE_NUMBER] = { "http.response_number", "Response number", PEEL_FT_U32,
            PEEL_SHOW_DEC },
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
    [F_CHUNK_BOUNDARY] = { "http.chunk_boundary", "Chunk boundary", PEEL_FT_BYTES,
            PEEL_SHOW_NONE },
    [F_TRAILER] = S("http.chunked_trailer_part", "trailer-part"),
    [F_ENCODED] = { "http.content_encoded", "Content-encoded entity body", PEEL_FT_NONE },
    [F_FILE_DATA] = S("http.file_data", "File Data"),
    [F_AUTHBASIC] = S("http.authbasic", "Credentials"),
};

/* Headers with a field of their own (matched without regard to case). */
static const struct {
    const char *name;
    uint32_t field;
} http_headers[] = {
    { "host", F_HOST }, { "user-agent", F_USER_AGENT }, { "accept", F_ACCEPT },
    { "accept-language", F_ACCEPT_LANGUAGE }, { "accept-encoding", F_ACCEPT_ENCODING },
    { "referer", F_REFERER }, { "content-type", F_CONTENT_TYPE },
    { "content-length", F_CONTENT_LENGTH_HEADER }, { "content-encoding", F_CONTENT_ENCODING },
    { "transfer-encoding", F_TRANSFER_ENCODING }, { "connection", F_CONNECTION },
    { "upgrade", F_UPGRADE }, { "cookie", F_COOKIE }, { "set-cookie", F_SET_COOKIE },
    { "authorization", F_AUTHORIZATION }, { "www-authenticate", F_WWW_AUTHENTICATE },
    { "proxy-authorization", F_PROXY_AUTHORIZATION },
    { "proxy-authenticate", F_PROXY_AUTHENTICATE }, { "server", F_SERVER },
    { "location", F_LOCATION }, { "date", F_DATE }, { "cache-control", F_CACHE_CONTROL },
    { "last-modified", F_LAST_MODIFIED }, { "x-forwarded-for", F_X_FORWARDED_FOR },
    { "sec-websocket-accept", F_SEC_WS_ACCEPT },
    { "sec-websocket-extensions", F_SEC_WS_EXTENSIONS }, { "sec-websocket-key", F_SEC_WS_KEY },
    { "sec-websocket-protocol", F_SEC_WS_PROTOCOL },
    { "sec-websocket-version", F_SEC_WS_VERSION }, { "http2-settings", F_HTTP2_SETTINGS },
};

/* Status phrases as Wireshark 4.0 names them (http.response.code.desc, -z http,tree). */
static const PeelValueName http_status_names[] = {
    { 100, "Continue" }, { 101, "Switching Protocols" }, { 102, "Processing" },
    { 103, "Early Hints" }, { 199, "Informational - Others" }, { 200, "OK" },
    { 201, "Created" }, { 202, "Accepted" }, { 203, "Non-authoritative Information" },
    { 204, "No Content" }, { 205, "Reset Content" }, { 206, "Partial Content" },
    { 207, "Multi-Status" }, { 208, "Already Reported" }, { 226, "IM Used" },
    { 299, "Success - Others" }, { 300, "Multiple Choices" }, { 301, "Moved Permanently" },
    { 302, "Found" }, { 303, "See Other" }, { 304, "Not Modified" }, { 305, "Use Proxy" },
    { 307, "Temporary Redirect" }, { 308, "Permanent Redirect" },
    { 399, "Redirection - Others" }, { 400, "Bad Request" }, { 401, "Unauthorized" },
    { 402, "Payment Required" }, { 403, "Forbidden" }, { 404, "Not Found" },
    { 405, "Method Not Allowed" }, { 406, "Not Acceptable" },
    { 407, "Proxy Authentication Required" }, { 408, "Request Time-out" }, { 409, "Conflict" },
    { 410, "Gone" }, { 411, "Length Required" }, { 412, "Precondition Failed" },
    { 413, "Request Entity Too Large" }, { 414, "Request-URI Too Long" },
    { 415, "Unsupported Media Type" }, { 416, "Requested Range Not Satisfiable" },
    { 417, "Expectation Failed" }, { 418, "I'm a teapot" }, { 421, "Misdirected Request" },
    { 422, "Unprocessable Entity" }, { 423, "Locked" }, { 424, "Failed Dependency" },
    { 425, "Too Early" }, { 426, "Upgrade Required" }, { 428, "Precondition Required" },
    { 429, "Too Many Requests" }, { 431, "Request Header Fields Too Large" },
    { 451, "Unavailable For Legal Reasons" }, { 499, "Client Error - Others" },
    { 500, "Internal Server Error" }, { 501, "Not Implemented" }, { 502, "Bad Gateway" },
    { 503, "Service Unavailable" }, { 504, "Gateway Time-out" },
    { 505, "HTTP Version not supported" }, { 506, "Variant Also Negotiates" },
    { 507, "Insufficient Storage" }, { 508, "Loop Detected" }, { 510, "Not Extended" },
    { 511, "Network Authentication Required" }, { 599, "Server Error - Others" }, { 0, NULL },
};

#define HTTP_MAX_PENDING 64u   /* requests awaiting a response, for HEAD framing */
#define HTTP_MAX_URI 2048u     /* full URI kept per request for its response */
#define HTTP_WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

/* One request/response pair as Wireshark numbers them (packet-http.c push_req/push_res):
 * a request always starts a pair; a response joins the last pair unless that one already
 * has a response. */
typedef struct {
    uint32_t number;
    uint32_t req_frame, res_frame;
    PeelTime req_ts;
} HttpPair;

typedef struct {
    HttpPair tail, prev;
    char *last_uri; /* full URI of the connection's last request: responses name it */
    bool has_tail, has_prev;
    uint32_t n_pairs;
    /* Requests not answered yet, oldest first: true for HEAD (no response body). */
    bool pending_head[HTTP_MAX_PENDING];
    uint32_t pending_frame[HTTP_MAX_PENDING];
    uint32_t oldest_pending_frame;
    uint32_t n_requests, n_unanswered_noted;
    int req_dir; /* flow direction requests go in (valid once n_requests > 0) */
    uint32_t early_answers; /* final responses that came before their request was whole
                               (a server answering a POST without reading its body) */
    uint32_t pending_first, n_pending;
    bool waiting[2]; /* a message of this direction is being reassembled */
    HttpFramer framer[2]; /* where each direction's pending message ends */
    /* The upgrade: the request's part is kept until the 101 arrives. */
    char *req_ws_key, *req_h2_settings;
    uint32_t req_upgrade_frame;
    bool has_upgrade;
    PeelHttpUpgrade upg;
} HttpConv;

/* What a message's fields need on a revisit (sub 1 + the message's index in its frame),
 * followed by the URI its response shows. */
typedef struct {
    uint32_t flags; /* REC_* */
    uint32_t number;
    uint32_t req_frame, res_frame, prev_req, prev_res;
    PeelTime delta;
    uint32_t uri_len;
} HttpRec;

enum { REC_NO_BODY = 1, REC_TIME = 2, REC_BAD_ACCEPT = 4, REC_PAIRED = 8 };

static void
upgrade_clear(PeelHttpUpgrade *u)
{
    g_free((char *)u->upgrade);
    g_free((char *)u->ws_key);
    g_free((char *)u->ws_accept);
    g_free((char *)u->ws_extensions);
    g_free((char *)u->ws_protocol);
    g_free((char *)u->h2_settings);
    memset(u, 0, sizeof *u);
}

static void
conv_clear(void *data)
{
    HttpConv *c = data;
    g_free(c->last_uri);
    g_free(c->req_ws_key);
    g_free(c->req_h2_settings);
    upgrade_clear(&c->upg);
}

static HttpConv *
conv_get(PeelPacket *pkt)
{
    if (pkt->flow == NULL)
        return NULL;
    return peel_flow_data(pkt->flow, &peel_proto_http, sizeof(HttpConv), conv_clear);
}

const char *
peel_http_status_phrase(uint32_t code)
{
    return peel_value_name(http_status_names, code);
}

const PeelHttpUpgrade *
peel_http_upgrade(PeelPacket *pkt)
{
    HttpConv *c = conv_get(pkt);
    return c != NULL && c->has_upgrade ? &c->upg : NULL;
}

static bool
span_is(const uint8_t *d, HttpSpan sp, const char *s)
{
    size_t n = strlen(s);
    return sp.len == n && strncasecmp((const char *)d + sp.off, s, n) == 0;
}

/* ---- framing ---- */

/* The oldest unanswered request was HEAD: its response has headers only. */
static bool
conv_expect_no_body(const HttpConv *c)
{
    return c != NULL && c->n_pending > 0 && c->pending_head[c->pending_first];
}

static void
pending_push(HttpConv *c, bool head, uint32_t frame)
{
    if (c->early_answers > 0) { /* answered already */
        c->early_answers--;
        c->n_requests++;
        return;
    }
    if (c->n_pending == HTTP_MAX_PENDING) { /* forget the oldest */
        c->pending_first = (c->pending_first + 1) % HTTP_MAX_PENDING;
        c->n_pending--;
    }
    uint32_t i = (c->pending_first + c->n_pending) % HTTP_MAX_PENDING;
    c->pending_head[i] = head;
    c->pending_frame[i] = frame;
    c->n_pending++;
    c->n_requests++;
    c->oldest_pending_frame = c->pending_frame[c->pending_first];
}

static void
pending_pop(HttpConv *c)
{
    if (c->n_pending == 0) {
        c->early_answers++;
        return;
    }
    c->pending_first = (c->pending_first + 1) % HTTP_MAX_PENDING;
    c->n_pending--;
    c->oldest_pending_frame = c->n_pending ? c->pending_frame[c->pending_first] : 0;
}

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
        peel_info_set(pkt, "%s", buf);
    else
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
    HttpConv *c = conv_get(pkt);
    if (c == NULL)
        return got;
    int dir = pkt->flow_dir & 1;
    bool response = got >= 5 && memcmp(d, "HTTP/", 5) == 0;
    uint32_t end = got;
    bool start_line = false;
    HttpScanResult r = http_frame(&c->framer[dir], d, got, response && conv_expect_no_body(c),
            pkt->stream_end, &end, &start_line);
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

/* The server's direction closed: requests it never answered are noted in this frame (its
 * FIN). Sub 255 of the frame's
 * records keeps the note for a revisit. */
#define REC_UNANSWERED 255

static void
http_stream_end(PeelPacket *pkt)
{
    uint32_t rec[2] = { 0, 0 }; /* unanswered requests, frame of the oldest */
    uint16_t saved = pkt->proto;
    int self = peel_registry_proto_index(&peel_proto_http);
    if (self < 0)
        return;
    pkt->proto = (uint16_t)self; /* the note is HTTP's */
    if (pkt->revisit) {
        if (!peel_record_get(pkt, REC_UNANSWERED, rec, sizeof rec))
            rec[0] = 0;
    } else {
        HttpConv *c = conv_get(pkt);
        /* the server's side closing: what it has not answered by now, it never will */
        if (c != NULL && c->n_pending > 0 && c->n_unanswered_noted < c->n_requests &&
                (pkt->flow_dir & 1) != c->req_dir) {
            rec[0] = c->n_pending;
            rec[1] = c->oldest_pending_frame;
            c->n_unanswered_noted = c->n_requests;
            peel_record_put(pkt, REC_UNANSWERED, rec, sizeof rec);
        }
    }
    if (rec[0] > 0)
        peel_expert(pkt, -1, PEEL_SEV_WARN, PEEL_GROUP_SEQUENCE,
                "%u HTTP request%s without a response when the connection closed (first in "
                "frame %u)",
                rec[0], rec[0] == 1 ? "" : "s", rec[1]);
    pkt->proto = saved;
}

static void
http_stream_gap(PeelPacket *pkt)
{
    HttpConv *c = conv_get(pkt);
    if (c != NULL) {
        c->waiting[pkt->flow_dir & 1] = false;
        http_framer_reset(&c->framer[pkt->flow_dir & 1]);
    }
}

/* ---- fields ---- */

/* A string field over [off, off + len) of the message. */
static int32_t
add_span(PeelPacket *pkt, const PeelReader *rd, uint32_t f, uint32_t off, uint32_t len)
{
    PeelReader r = *rd;
    peel_reader_skip(&r, off);
    peel_add_string(pkt, &r, f, len);
    return peel_last(pkt);
}

/* "Name: value\r\n" as the tree shows a header line. */
static void
label_line(PeelPacket *pkt, int32_t item, const uint8_t *d, HttpSpan line)
{
    if (!pkt->want_tree)
        return;
    uint32_t n = line.len;
    bool lf = n > 0 && d[line.off + n - 1] == '\n';
    bool cr = lf && n > 1 && d[line.off + n - 2] == '\r';
    n -= (uint32_t)lf + (uint32_t)cr;
    peel_set_text(pkt, item, "%.*s%s", (int)n, (const char *)d + line.off,
            cr ? "\\r\\n" : lf ? "\\n" : "");
}

static uint32_t
header_field(const uint8_t *d, HttpSpan name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(http_headers); i++)
        if (span_is(d, name, http_headers[i].name))
            return http_headers[i].field;
    return N_F;
}

/* The first header named `name`, or NULL. */
static const HttpHeader *
find_header(const HttpScan *s, const uint8_t *d, const char *name)
{
    for (uint32_t i = 0; i < s->n_headers; i++)
        if (!s->headers[i].trailer && span_is(d, s->headers[i].name, name))
            return &s->headers[i];
    return NULL;
}

static char *
header_dup(const HttpScan *s, const uint8_t *d, const char *name)
{
    const HttpHeader *h = find_header(s, d, name);
    return h ? g_strndup((const char *)d + h->value.off, h->value.len) : NULL;
}

static void
add_cookie_pairs(PeelPacket *pkt, const PeelReader *rd, const uint8_t *d, HttpSpan v)
{
    uint32_t i = v.off, end = v.off + v.len;
    while (i < end) {
        while (i < end && (d[i] == ' ' || d[i] == ';'))
            i++;
        uint32_t s = i;
        while (i < end && d[i] != ';')
            i++;
        if (i > s)
            add_span(pkt, rd, F_COOKIE_PAIR, s, i - s);
    }
}

static void
add_uri_parts(PeelPacket *pkt, const PeelReader *rd, const uint8_t *d, HttpSpan uri)
{
    const uint8_t *q = memchr(d + uri.off, '?', uri.len);
    uint32_t path_len = q ? (uint32_t)(q - (d + uri.off)) : uri.len;
    add_span(pkt, rd, F_URI_PATH, uri.off, path_len);
    if (q == NULL)
        return;
    uint32_t qs = uri.off + path_len + 1, end = uri.off + uri.len;
    int32_t qi = add_span(pkt, rd, F_URI_QUERY, qs, end - qs);
    bool opened = peel_open_last(pkt, (uint32_t)qi);
    for (uint32_t i = qs; i <= end;) {
        uint32_t s = i;
        while (i < end && d[i] != '&')
            i++;
        if (i > s)
            add_span(pkt, rd, F_URI_QPARAM, s, i - s);
        i++;
    }
    peel_close_if(pkt, opened);
}

/* "Basic dXNlcjpwYXNz": the credentials, decoded (RFC 7617), as http.authbasic. */
static void
add_basic_credentials(PeelPacket *pkt, const uint8_t *d, HttpSpan v)
{
    if (v.len < 7 || g_ascii_strncasecmp((const char *)d + v.off, "Basic ", 6) != 0 ||
            v.len > 4096)
        return;
    uint32_t n = v.len - 6;
    uint8_t *out = peel_arena_alloc(pkt->arena, n + 3);
    if (out == NULL)
        return;
    gint state = 0;
    guint save = 0;
    gsize len = g_base64_decode_step((const char *)d + v.off + 6, n, out, &state, &save);
    peel_add_string_value(pkt, F_AUTHBASIC, (const char *)out, (uint32_t)len);
}

/* The start line: request (method, URI, version) or response (version, code, phrase). */
static void
add_start_line(PeelPacket *pkt, const PeelReader *rd, const uint8_t *d, const HttpScan *s)
{
    PeelReader r = *rd;
    int32_t item = peel_open(pkt, &r, F_CHAT, s->start_line_len);
    label_line(pkt, item, d, (HttpSpan){ 0, s->start_line_len });
    if (pkt->want_tree && item >= 0 && pkt->fields[item].text != NULL)
        peel_expert(pkt, item, PEEL_SEV_CHAT, PEEL_GROUP_SEQUENCE, "%s", pkt->fields[item].text);
    if (!s->response) {
        add_span(pkt, rd, F_METHOD, s->method.off, s->method.len);
        if (s->uri.len > 0) {
            int32_t u = add_span(pkt, rd, F_URI, s->uri.off, s->uri.len);
            bool opened = peel_open_last(pkt, (uint32_t)u);
            add_uri_parts(pkt, rd, d, s->uri);
            peel_close_if(pkt, opened);
        }
        if (s->version.len > 0) /* "HTTP/" precedes the digits llhttp reports */
            add_span(pkt, rd, F_REQ_VERSION, s->version.off - 5, s->version.len + 5);
    } else {
        if (s->version.len > 0)
            add_span(pkt, rd, F_RESP_VERSION, s->version.off - 5, s->version.len + 5);
        else
            add_span(pkt, rd, F_RESP_VERSION, 0, 8);
        PeelReader c = *rd;
        peel_reader_skip(&c, 9);
        int32_t ci = peel_add_uint_value(pkt, F_CODE, s->status_code);
        if (ci >= 0) {
            pkt->fields[ci].flags &= (uint8_t)~PEEL_FF_GENERATED;
            pkt->fields[ci].offset = peel_reader_offset(&c);
            pkt->fields[ci].length = 3;
            pkt->fields[ci].src = c.src;
        }
        const char *desc = peel_value_name(http_status_names, s->status_code);
        if (desc != NULL)
            peel_add_string_value(pkt, F_CODE_DESC, desc, (uint32_t)strlen(desc));
        if (s->status.len > 0)
            add_span(pkt, rd, F_PHRASE, s->status.off, s->status.len);
        else
            peel_add_string_value(pkt, F_PHRASE, "", 0);
    }
    peel_close(pkt, NULL);
}

/* Every header line: the line itself (hidden when the header has a field of its own),
 * the header's field, and what some headers hold. */
static void
add_headers(PeelPacket *pkt, const PeelReader *rd, const uint8_t *d, const HttpScan *s,
        bool trailers)
{
    uint32_t line_f = s->response ? F_RESP_LINE : F_REQ_LINE;
    for (uint32_t i = 0; i < s->n_headers; i++) {
        const HttpHeader *h = &s->headers[i];
        if (h->trailer != trailers)
            continue;
        if (trailers) {
            int32_t t = add_span(pkt, rd, F_TRAILER, h->line.off, h->line.len);
            label_line(pkt, t, d, h->line);
            continue;
        }
        int32_t line = add_span(pkt, rd, line_f, h->line.off, h->line.len);
        uint32_t f = header_field(d, h->name);
        if (f == N_F) {
            label_line(pkt, line, d, h->line);
            continue;
        }
        peel_hide(pkt, line);
        int32_t item = add_span(pkt, rd, f, h->value.off, h->value.len);
        if (item >= 0) { /* the item spans the whole line, as Wireshark's */
            pkt->fields[item].offset -= h->value.off - h->line.off;
            pkt->fields[item].length = h->line.len;
        }
        label_line(pkt, item, d, h->line);
        if (f == F_CONTENT_LENGTH_HEADER) {
            bool opened = peel_open_last(pkt, (uint32_t)item);
            uint64_t v = 0;
            bool ok = h->value.len > 0 && h->value.len <= 19;
            for (uint32_t k = 0; ok && k < h->value.len; k++) {
                uint8_t ch = d[h->value.off + k];
                ok = ch >= '0' && ch <= '9';
                v = v * 10 + (uint64_t)(ch - '0');
            }
            if (ok)
                peel_add_uint_value(pkt, F_CONTENT_LENGTH, v);
            else
                peel_expert(pkt, item, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                        "Content-Length is not a number");
            peel_close_if(pkt, opened);
        } else if (f == F_AUTHORIZATION || f == F_PROXY_AUTHORIZATION) {
            bool opened = peel_open_last(pkt, (uint32_t)item);
            add_basic_credentials(pkt, d, h->value);
            peel_close_if(pkt, opened);
        } else if (f == F_COOKIE) {
            bool opened = peel_open_last(pkt, (uint32_t)item);
            add_cookie_pairs(pkt, rd, d, h->value);
            peel_close_if(pkt, opened);
        }
    }
    if (!trailers && s->n_headers_dropped > 0)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_UNDECODED,
                "%u more header lines not shown (more than %u)", s->n_headers_dropped,
                HTTP_MAX_HEADERS);
}

/* ---- pairing ---- */

static char *
full_uri_new(const uint8_t *d, const HttpScan *s)
{
    if (s->uri.len == 0)
        return NULL;
    const char *uri = (const char *)d + s->uri.off;
    if (s->uri.len > HTTP_MAX_URI)
        return NULL;
    if (uri[0] != '/')
        return memchr(uri, ':', s->uri.len) ? g_strndup(uri, s->uri.len) : NULL;
    const HttpHeader *host = find_header(s, d, "host");
    if (host == NULL || host->value.len > HTTP_MAX_URI)
        return NULL;
    return g_strdup_printf("http://%.*s%.*s", (int)host->value.len,
            (const char *)d + host->value.off, (int)s->uri.len, uri);
}

static void
pair_push(HttpConv *c)
{
    c->prev = c->tail;
    c->has_prev = c->has_tail;
    memset(&c->tail, 0, sizeof c->tail);
    c->tail.number = ++c->n_pairs;
    c->has_tail = true;
}

/* First pass: this message joins the connection's pairs; the record says what to show. */
static void
pair_message(PeelPacket *pkt, HttpConv *c, const uint8_t *d, const HttpScan *s, HttpRec *rec,
        char **uri_out)
{
    *uri_out = NULL;
    if (c == NULL)
        return;
    uint32_t frame = pkt->frame->number;
    if (!s->response) {
        pair_push(c);
        c->tail.req_frame = frame;
        c->tail.req_ts = pkt->frame->ts;
        g_free(c->last_uri);
        c->last_uri = full_uri_new(d, s);
    } else {
        if (!c->has_tail || c->tail.res_frame != 0)
            pair_push(c);
        c->tail.res_frame = frame;
    }
    rec->flags |= REC_PAIRED;
    rec->number = c->tail.number;
    rec->req_frame = c->tail.req_frame;
    rec->res_frame = c->tail.res_frame;
    if (c->has_prev) {
        rec->prev_req = c->prev.req_frame;
        rec->prev_res = c->prev.res_frame;
    }
    if (s->response && c->tail.req_frame != 0) {
        int64_t ns = (pkt->frame->ts.sec - c->tail.req_ts.sec) * 1000000000LL +
                     (pkt->frame->ts.nsec - c->tail.req_ts.nsec);
        rec->delta.sec = ns / 1000000000LL;
        rec->delta.nsec = (int32_t)(ns % 1000000000LL);
        rec->flags |= REC_TIME;
    }
    /* Wireshark names the connection's last request, whichever this answers */
    if (s->response)
        *uri_out = c->last_uri;
}

static void
add_pairing(PeelPacket *pkt, const HttpRec *rec, bool response, const char *uri,
        uint32_t uri_len)
{
    if (!(rec->flags & REC_PAIRED))
        return;
    if (!response) {
        int32_t i = peel_add_uint_value(pkt, F_REQUEST_NUMBER, rec->number);
        peel_set_text(pkt, i, "[HTTP request %u]", rec->number);
        if (rec->res_frame != 0 && rec->res_frame != pkt->frame->number)
            peel_add_uint_value(pkt, F_RESPONSE_IN, rec->res_frame);
        if (rec->prev_req != 0)
            peel_add_uint_value(pkt, F_PREV_REQUEST_IN, rec->prev_req);
        return;
    }
    int32_t i = peel_add_uint_value(pkt, F_RESPONSE_NUMBER, rec->number);
    peel_set_text(pkt, i, "[HTTP response %u]", rec->number);
    if (rec->flags & REC_TIME) {
        peel_add_time_value(pkt, F_TIME, rec->delta);
        peel_add_uint_value(pkt, F_REQUEST_IN, rec->req_frame);
    }
    if (rec->prev_req != 0)
        peel_add_uint_value(pkt, F_PREV_REQUEST_IN, rec->prev_req);
    if (rec->prev_res != 0)
        peel_add_uint_value(pkt, F_PREV_RESPONSE_IN, rec->prev_res);
    if (uri_len > 0)
        peel_add_string_value(pkt, F_RESPONSE_FOR_URI, uri, uri_len);
}

/* ---- upgrade ---- */

/* RFC 6455 4.2.2: base64(SHA-1(key + GUID)). */
static bool
ws_accept_ok(const char *key, const char *accept)
{
    GChecksum *sha = g_checksum_new(G_CHECKSUM_SHA1);
    g_checksum_update(sha, (const guchar *)key, (gssize)strlen(key));
    g_checksum_update(sha, (const guchar *)HTTP_WS_GUID, (gssize)strlen(HTTP_WS_GUID));
    guint8 digest[20];
    gsize dlen = sizeof digest;
    g_checksum_get_digest(sha, digest, &dlen);
    g_checksum_free(sha);
    char b64[32];
    gint state = 0, save = 0;
    gsize n = g_base64_encode_step(digest, dlen, FALSE, b64, &state, &save);
    n += g_base64_encode_close(FALSE, b64 + n, &state, &save);
    b64[n] = '\0';
    return strcmp(b64, accept) == 0;
}

/* A request asking to upgrade: its part of the handshake waits for the response. */
static void
upgrade_request(PeelPacket *pkt, HttpConv *c, const uint8_t *d, const HttpScan *s)
{
    if (c == NULL || find_header(s, d, "upgrade") == NULL)
        return;
    g_free(c->req_ws_key);
    g_free(c->req_h2_settings);
    c->req_ws_key = header_dup(s, d, "sec-websocket-key");
    c->req_h2_settings = header_dup(s, d, "http2-settings");
    c->req_upgrade_frame = pkt->frame->number;
}

/* 101 Switching Protocols: the handshake is kept for the next protocol, the key checked,
 * and the connection goes on as that protocol. */
static void
upgrade_response(PeelPacket *pkt, HttpConv *c, const uint8_t *d, const HttpScan *s,
        HttpRec *rec)
{
    if (c == NULL)
        return;
    upgrade_clear(&c->upg);
    PeelHttpUpgrade *u = &c->upg;
    u->upgrade = header_dup(s, d, "upgrade");
    u->ws_key = c->req_ws_key;
    u->h2_settings = c->req_h2_settings;
    c->req_ws_key = c->req_h2_settings = NULL;
    u->ws_accept = header_dup(s, d, "sec-websocket-accept");
    u->ws_extensions = header_dup(s, d, "sec-websocket-extensions");
    u->ws_protocol = header_dup(s, d, "sec-websocket-protocol");
    u->request_frame = c->req_upgrade_frame;
    u->response_frame = pkt->frame->number;
    c->has_upgrade = true;
    if (u->ws_key != NULL && u->ws_accept != NULL && !ws_accept_ok(u->ws_key, u->ws_accept))
        rec->flags |= REC_BAD_ACCEPT;
    const char *next = NULL;
    if (u->upgrade != NULL && g_ascii_strcasecmp(u->upgrade, "websocket") == 0)
        next = "websocket";
    else if (u->upgrade != NULL && g_ascii_strcasecmp(u->upgrade, "h2c") == 0)
        next = "http2";
    int i = next ? peel_registry_proto_lookup(next) : -1;
    /* whatever the connection switched to, it is no longer HTTP/1.x */
    peel_tcp_set_app(pkt, i >= 0 ? peel_registry_proto((uint32_t)i) : NULL);
}

/* ---- body ---- */

/* A number shown over bytes of the message that hold it in text. */
static int32_t
add_uint_at(PeelPacket *pkt, const PeelReader *rd, uint32_t f, uint64_t v, uint32_t off,
        uint32_t len)
{
    int32_t i = peel_add_uint_value(pkt, f, v);
    if (i >= 0) {
        PeelReader r = *rd;
        peel_reader_skip(&r, off);
        pkt->fields[i].flags &= (uint8_t)~PEEL_FF_GENERATED;
        pkt->fields[i].offset = peel_reader_offset(&r);
        pkt->fields[i].length = len;
        pkt->fields[i].src = r.src;
    }
    return i;
}

static void
add_chunks(PeelPacket *pkt, const PeelReader *rd, const uint8_t *d, uint32_t len,
        const HttpScan *s)
{
    PeelReader r = *rd;
    peel_reader_skip(&r, s->headers_end);
    int32_t top = peel_open(pkt, &r, F_CHUNKED, len - s->headers_end);
    peel_set_text(pkt, top, "HTTP chunked %s", s->response ? "response" : "request");
    uint32_t shown = s->n_chunks < HTTP_MAX_CHUNKS ? s->n_chunks : HTTP_MAX_CHUNKS;
    for (uint32_t i = 0; i < shown; i++) {
        const HttpChunk *ch = &s->chunks[i];
        uint32_t avail = ch->data_off <= len ? len - ch->data_off : 0;
        uint32_t dlen = ch->size < avail ? ch->size : avail;
        PeelReader c = *rd;
        peel_reader_skip(&c, ch->line_off);
        int32_t item = peel_open(pkt, &c, F_CHUNK, ch->line_len + dlen + ch->crlf_len);
        peel_set_text(pkt, item, "Data chunk (%u octets)", ch->size);
        int32_t sz = add_uint_at(pkt, rd, F_CHUNK_SIZE, ch->size, ch->line_off, ch->line_len);
        peel_set_text(pkt, sz, "Chunk size: %u octets", ch->size);
        PeelReader data = *rd;
        peel_reader_skip(&data, ch->data_off);
        peel_add_bytes(pkt, &data, F_CHUNK_DATA, dlen);
        if (dlen < ch->size)
            peel_expert(pkt, item, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                    "chunk of %u bytes ends after %u", ch->size, dlen);
        if (ch->crlf_len > 0)
            peel_add_bytes(pkt, &data, F_CHUNK_BOUNDARY, ch->crlf_len);
        peel_close(pkt, NULL);
    }
    if (s->n_chunks > shown)
        peel_expert(pkt, top, PEEL_SEV_NOTE, PEEL_GROUP_UNDECODED,
                "%u more chunks not shown one by one", s->n_chunks - shown);
    if (s->last_chunk) {
        PeelReader c = *rd;
        peel_reader_skip(&c, s->last_chunk_off);
        int32_t item = peel_open(pkt, &c, F_CHUNK, s->last_chunk_len);
        peel_set_text(pkt, item, "End of chunked encoding");
        int32_t sz = add_uint_at(pkt, rd, F_CHUNK_SIZE, 0, s->last_chunk_off, s->last_chunk_len);
        peel_set_text(pkt, sz, "Chunk size: 0 octets");
        peel_close(pkt, NULL);
        add_headers(pkt, rd, d, s, true);
    } else {
        peel_expert(pkt, top, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "chunked body ends before its last chunk");
    }
    peel_close(pkt, NULL);
}

/* Wireshark reads the body as ASCII: each byte from 0x80 up becomes U+FFFD in
 * http.file_data's value (the field still covers the bytes themselves). */
static void
file_data_ascii(PeelPacket *pkt, int32_t idx)
{
    if (idx < 0 || !(pkt->fields[idx].flags & PEEL_FF_HAS_VALUE))
        return;
    const uint8_t *v = pkt->fields[idx].v.b.ptr;
    uint32_t n = pkt->fields[idx].v.b.len, high = 0;
    for (uint32_t i = 0; i < n; i++)
        high += v[i] >= 0x80;
    if (high == 0 || n > UINT32_MAX / 3)
        return;
    uint8_t *out = peel_arena_alloc(pkt->arena, (size_t)n + 2u * high);
    if (out == NULL)
        return;
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (v[i] < 0x80) {
            out[k++] = v[i];
        } else {
            out[k++] = 0xef;
            out[k++] = 0xbf;
            out[k++] = 0xbd;
        }
    }
    pkt->fields[idx].v.b.ptr = out;
    pkt->fields[idx].v.b.len = k;
}

/* http.file_data over bytes that are not the frame's (de-chunked or decoded). */
static void
add_file_data_bytes(PeelPacket *pkt, const uint8_t *b, uint32_t n, const char *source)
{
    if (pkt->n_sources < PEEL_MAX_SOURCES) {
        PeelReader r = peel_add_source(pkt, b, n, source);
        peel_add_string(pkt, &r, F_FILE_DATA, n);
    } else {
        const uint8_t *nul = memchr(b, '\0', n);
        peel_add_string_value(pkt, F_FILE_DATA, (const char *)b, nul ? (uint32_t)(nul - b) : n);
    }
    file_data_ascii(pkt, peel_last(pkt));
    peel_set_text(pkt, peel_last(pkt), "File Data: %u bytes", n);
}

static void
add_body(PeelPacket *pkt, const PeelReader *rd, const uint8_t *d, uint32_t len,
        const HttpScan *s, uint32_t *body_len)
{
    const uint8_t *body;
    uint32_t n;
    if (s->chunked && s->headers_done) {
        add_chunks(pkt, rd, d, len, s);
        body = s->dechunked;
        n = s->dechunked_len;
    } else {
        body = d + s->body.off;
        n = s->body.len;
    }
    *body_len = n;
    if (n == 0 || body == NULL)
        return;
    const HttpHeader *ce = find_header(s, d, "content-encoding");
    HttpCoding coding = ce ? http_coding_parse(d + ce->value.off, ce->value.len)
                           : HTTP_CODING_IDENTITY;
    if (coding == HTTP_CODING_GZIP || coding == HTTP_CODING_DEFLATE) {
        uint8_t *out = NULL;
        uint32_t out_len = 0;
        bool truncated = false;
        HttpDecodeStatus st = http_body_decode(pkt->arena, coding, body, n, HTTP_MAX_DECODED,
                &out, &out_len, &truncated);
        const char *name = coding == HTTP_CODING_GZIP ? "gzip" : "deflate";
        if (st == HTTP_DECODE_OK) {
            int32_t e = peel_add_uint_value(pkt, F_ENCODED, 0);
            peel_set_text(pkt, e, "Content-encoded entity body (%s): %u bytes -> %u bytes", name,
                    n, out_len);
            if (truncated)
                peel_expert(pkt, e, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                        "the %s body ends before its compressed stream does", name);
            *body_len = out_len;
            add_file_data_bytes(pkt, out, out_len, "Uncompressed entity body");
            return;
        }
        if (st == HTTP_DECODE_TOO_BIG)
            peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                    "%s body of %u bytes decompresses to more than %u bytes (decompression "
                    "bomb?): not decompressed",
                    name, n, HTTP_MAX_DECODED);
        else
            peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_UNDECODED,
                    "Decompression failed (%s body of %u bytes)", name, n);
    }
    if (s->chunked)
        add_file_data_bytes(pkt, body, n, "De-chunked entity body");
    else {
        int32_t f = add_span(pkt, rd, F_FILE_DATA, s->body.off, n);
        file_data_ascii(pkt, f);
        peel_set_text(pkt, f, "File Data: %u bytes", n);
    }
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
    HttpConv *c = pkt->revisit ? NULL : conv_get(pkt);
    HttpRec rec = { 0 };
    const char *uri = NULL;
    bool have_rec = pkt->revisit && record_load(pkt, sub, &rec, &uri);
    bool response = len >= 5 && memcmp(d, "HTTP/", 5) == 0;
    bool no_body = have_rec ? (rec.flags & REC_NO_BODY) != 0 : response && conv_expect_no_body(c);

    HttpScan s;
    http_scan(&s, d, len, no_body, true, pkt->arena);
    if ((s.method.len == 0 && s.status.len == 0 && !s.headers_done) ||
            (!s.response && s.version.len == 0)) {
        http_continuation(rd, pkt, len);
        return;
    }
    peel_set_text(pkt, pkt->parent, "Hypertext Transfer Protocol");
    info_start_line(pkt, d, s.start_line_len, true);
    add_start_line(pkt, rd, d, &s);
    add_headers(pkt, rd, d, &s, false);
    int32_t flag = peel_add_bool_value(pkt, response ? F_RESPONSE : F_REQUEST, true);
    peel_hide(pkt, flag);

    if (s.result == HTTP_SCAN_ERROR)
        peel_expert(pkt, pkt->parent, PEEL_SEV_ERROR, PEEL_GROUP_MALFORMED,
                "not valid HTTP at byte %u of the message: %s", s.end,
                s.error ? s.error : "parse error");
    else if (s.result == HTTP_SCAN_OVERSIZED || (s.headers_done && s.headers_end > HTTP_MAX_HEADER_BYTES))
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "header block larger than %u bytes", HTTP_MAX_HEADER_BYTES);
    else if (!s.headers_done)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "the message ends inside its headers");
    else if (s.result == HTTP_SCAN_MORE)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                "the body ends %s", s.chunked ? "before its last chunk" :
                "before its Content-Length");

    if (!response && span_is(d, s.method, "PRI") && span_is(d, s.version, "2.0")) {
        /* The HTTP/2 connection preface (RFC 9113 3.4): the rest is HTTP/2's. */
        int h2 = peel_registry_proto_lookup("http2");
        peel_tcp_set_app(pkt, h2 >= 0 ? peel_registry_proto((uint32_t)h2) : NULL);
        return;
    }
    char *pair_uri = NULL;
    if (!pkt->revisit) {
        if (no_body)
            rec.flags |= REC_NO_BODY;
        pair_message(pkt, c, d, &s, &rec, &pair_uri);
        if (c != NULL && !response) {
            pending_push(c, s.method.len == 4 && memcmp(d + s.method.off, "HEAD", 4) == 0,
                    pkt->frame->number);
            c->req_dir = pkt->flow_dir & 1;
            upgrade_request(pkt, c, d, &s);
        } else if (c != NULL && s.status_code >= 200) {
            pending_pop(c);
        } else if (c != NULL && s.status_code == 101) {
            pending_pop(c);
            upgrade_response(pkt, c, d, &s, &rec);
        }
        uri = pair_uri;
        rec.uri_len = uri ? (uint32_t)strlen(uri) : 0;
        record_store(pkt, sub, &rec, uri);
    }
    if (!response) {
        char *full = full_uri_new(d, &s);
        if (full != NULL) {
            peel_add_string_value(pkt, F_FULL_URI, peel_arena_strndup(pkt->arena, full,
                    strlen(full)), (uint32_t)strlen(full));
            g_free(full);
        }
    }
    add_pairing(pkt, &rec, response, uri, rec.uri_len);
    if (rec.flags & REC_BAD_ACCEPT)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_PROTOCOL,
                "Sec-WebSocket-Accept does not match the request's Sec-WebSocket-Key");
    if (response && s.status_code >= 400)
        peel_expert(pkt, pkt->parent, s.status_code >= 500 ? PEEL_SEV_WARN : PEEL_SEV_NOTE,
                PEEL_GROUP_SEQUENCE, "HTTP %u %s: %s error", s.status_code,
                peel_value_name(http_status_names, s.status_code)
                        ? peel_value_name(http_status_names, s.status_code) : "",
                s.status_code >= 500 ? "server" : "client");

    uint32_t body_len = 0;
    if (s.headers_done)
        add_body(pkt, rd, d, s.end > len || s.end == 0 ? len : s.end, &s, &body_len);
    const HttpHeader *ct = find_header(&s, d, "content-type");
    if (ct != NULL && body_len > 0 && pkt->want_info) {
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
        peel_info_append(pkt, " (%s)", mt);
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
    static const char *const methods[] = { "GET ", "POST ", "HEAD ", "PUT ", "DELETE ",
        "OPTIONS ", "CONNECT ", "TRACE ", "PATCH ", "PROPFIND ", "PROPPATCH ", "MKCOL ",
        "COPY ", "MOVE ", "LOCK ", "UNLOCK ", "SEARCH ", "REPORT " };
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
            { PEEL_TABLE_TCP_PORT, 3128 },
            { PEEL_TABLE_TCP_PORT, 8088 } },
    .pdu_len = http_pdu_len,
    .stream_gap = http_stream_gap,
    .stream_end = http_stream_end,
};
