/* proto-http-msg.c: the fields of one HTTP/1.x message as Wireshark 4.0 shows them: the
 * start line, every header line and the headers with fields of their own, chunks and
 * trailers, the body de-chunked and decoded (http-body.c) as http.file_data. */
#include "proto-http-private.h"

#include <glib.h>
#include <string.h>
#include <strings.h>

#include "http-body.h"
#include "proto-http2.h"

/* Headers with a field of their own (matched without regard to case). */
#define H(name, field) { name, sizeof(name) - 1, field }
static const struct {
    const char *name;
    uint32_t len; /* strlen(name): most names are ruled out by their length */
    uint32_t field;
} http_headers[] = {
    H("host", F_HOST),
    H("user-agent", F_USER_AGENT),
    H("accept", F_ACCEPT),
    H("accept-language", F_ACCEPT_LANGUAGE),
    H("accept-encoding", F_ACCEPT_ENCODING),
    H("referer", F_REFERER),
    H("content-type", F_CONTENT_TYPE),
    H("content-length", F_CONTENT_LENGTH_HEADER),
    H("content-encoding", F_CONTENT_ENCODING),
    H("transfer-encoding", F_TRANSFER_ENCODING),
    H("connection", F_CONNECTION),
    H("upgrade", F_UPGRADE),
    H("cookie", F_COOKIE),
    H("set-cookie", F_SET_COOKIE),
    H("authorization", F_AUTHORIZATION),
    H("www-authenticate", F_WWW_AUTHENTICATE),
    H("proxy-authorization", F_PROXY_AUTHORIZATION),
    H("proxy-authenticate", F_PROXY_AUTHENTICATE),
    H("server", F_SERVER),
    H("location", F_LOCATION),
    H("date", F_DATE),
    H("cache-control", F_CACHE_CONTROL),
    H("last-modified", F_LAST_MODIFIED),
    H("x-forwarded-for", F_X_FORWARDED_FOR),
    H("sec-websocket-accept", F_SEC_WS_ACCEPT),
    H("sec-websocket-extensions", F_SEC_WS_EXTENSIONS),
    H("sec-websocket-key", F_SEC_WS_KEY),
    H("sec-websocket-protocol", F_SEC_WS_PROTOCOL),
    H("sec-websocket-version", F_SEC_WS_VERSION),
    H("http2-settings", F_HTTP2_SETTINGS),
};
#undef H

/* Status phrases as Wireshark 4.0 names them (http.response.code.desc, -z http,tree). */
static const PeelValueName http_status_names[] = {
    { 100, "Continue" },
    { 101, "Switching Protocols" },
    { 102, "Processing" },
    { 103, "Early Hints" },
    { 199, "Informational - Others" },
    { 200, "OK" },
    { 201, "Created" },
    { 202, "Accepted" },
    { 203, "Non-authoritative Information" },
    { 204, "No Content" },
    { 205, "Reset Content" },
    { 206, "Partial Content" },
    { 207, "Multi-Status" },
    { 208, "Already Reported" },
    { 226, "IM Used" },
    { 299, "Success - Others" },
    { 300, "Multiple Choices" },
    { 301, "Moved Permanently" },
    { 302, "Found" },
    { 303, "See Other" },
    { 304, "Not Modified" },
    { 305, "Use Proxy" },
    { 307, "Temporary Redirect" },
    { 308, "Permanent Redirect" },
    { 399, "Redirection - Others" },
    { 400, "Bad Request" },
    { 401, "Unauthorized" },
    { 402, "Payment Required" },
    { 403, "Forbidden" },
    { 404, "Not Found" },
    { 405, "Method Not Allowed" },
    { 406, "Not Acceptable" },
    { 407, "Proxy Authentication Required" },
    { 408, "Request Time-out" },
    { 409, "Conflict" },
    { 410, "Gone" },
    { 411, "Length Required" },
    { 412, "Precondition Failed" },
    { 413, "Request Entity Too Large" },
    { 414, "Request-URI Too Long" },
    { 415, "Unsupported Media Type" },
    { 416, "Requested Range Not Satisfiable" },
    { 417, "Expectation Failed" },
    { 418, "I'm a teapot" },
    { 421, "Misdirected Request" },
    { 422, "Unprocessable Entity" },
    { 423, "Locked" },
    { 424, "Failed Dependency" },
    { 425, "Too Early" },
    { 426, "Upgrade Required" },
    { 428, "Precondition Required" },
    { 429, "Too Many Requests" },
    { 431, "Request Header Fields Too Large" },
    { 451, "Unavailable For Legal Reasons" },
    { 499, "Client Error - Others" },
    { 500, "Internal Server Error" },
    { 501, "Not Implemented" },
    { 502, "Bad Gateway" },
    { 503, "Service Unavailable" },
    { 504, "Gateway Time-out" },
    { 505, "HTTP Version not supported" },
    { 506, "Variant Also Negotiates" },
    { 507, "Insufficient Storage" },
    { 508, "Loop Detected" },
    { 510, "Not Extended" },
    { 511, "Network Authentication Required" },
    { 599, "Server Error - Others" },
    { 0, NULL },
};

bool
http_span_is(const uint8_t *d, HttpSpan sp, const char *s)
{
    size_t n = strlen(s);
    return sp.len == n && strncasecmp((const char *)d + sp.off, s, n) == 0;
}

/* A string field over [off, off + len) of the message. */
int32_t
http_add_span(PeelPacket *pkt, const PeelReader *rd, uint32_t f, uint32_t off, uint32_t len)
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
            cr   ? "\\r\\n"
            : lf ? "\\n"
                 : "");
}

static uint32_t
header_field(const uint8_t *d, HttpSpan name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(http_headers); i++)
        if (name.len == http_headers[i].len &&
                g_ascii_strncasecmp((const char *)d + name.off, http_headers[i].name, name.len) == 0)
            return http_headers[i].field;
    return N_F;
}

/* The first header named `name`, or NULL. */
const HttpHeader *
http_find_header(const HttpScan *s, const uint8_t *d, const char *name)
{
    for (uint32_t i = 0; i < s->n_headers; i++)
        if (!s->headers[i].trailer && http_span_is(d, s->headers[i].name, name))
            return &s->headers[i];
    return NULL;
}

char *
http_header_dup(const HttpScan *s, const uint8_t *d, const char *name)
{
    const HttpHeader *h = http_find_header(s, d, name);
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
            http_add_span(pkt, rd, F_COOKIE_PAIR, s, i - s);
    }
}

static void
add_uri_parts(PeelPacket *pkt, const PeelReader *rd, const uint8_t *d, HttpSpan uri)
{
    const uint8_t *q = memchr(d + uri.off, '?', uri.len);
    if (q == NULL) /* Wireshark splits only URIs with a query */
        return;
    uint32_t path_len = (uint32_t)(q - (d + uri.off));
    http_add_span(pkt, rd, F_URI_PATH, uri.off, path_len);
    uint32_t qs = uri.off + path_len + 1, end = uri.off + uri.len;
    int32_t qi = http_add_span(pkt, rd, F_URI_QUERY, qs, end - qs);
    bool opened = peel_open_last(pkt, (uint32_t)qi);
    for (uint32_t i = qs; i <= end;) {
        uint32_t s = i;
        while (i < end && d[i] != '&')
            i++;
        if (i > s)
            http_add_span(pkt, rd, F_URI_QPARAM, s, i - s);
        i++;
    }
    peel_close_if(pkt, opened);
}

/* "Basic dXNlcjpwYXNz": the credentials, decoded (RFC 7617), as http.authbasic. */
static void
add_basic_credentials(PeelPacket *pkt, const uint8_t *d, HttpSpan v)
{
    if (v.len < 7 || g_ascii_strncasecmp((const char *)d + v.off, "Basic ", 6) != 0 || v.len > 4096)
        return;
    uint32_t n = v.len - 6;
    uint8_t *out = peel_arena_alloc(pkt->arena, n + 3);
    if (out == NULL)
        return;
    gint state = 0;
    guint save = 0;
    gsize len = g_base64_decode_step((const char *)d + v.off + 6, n, out, &state, &save);
    int32_t i = peel_add_string_value(pkt, F_AUTHBASIC, (const char *)out, (uint32_t)len);
    if (i >= 0) /* an item of its own in Wireshark's tree, not a generated one */
        pkt->fields[i].flags &= (uint8_t)~PEEL_FF_GENERATED;
}

/* The start line: request (method, URI, version) or response (version, code, phrase). */
void
http_add_start_line(PeelPacket *pkt, const PeelReader *rd, const uint8_t *d, const HttpScan *s)
{
    PeelReader r = *rd;
    int32_t item = peel_open(pkt, &r, F_CHAT, s->start_line_len);
    label_line(pkt, item, d, (HttpSpan){ 0, s->start_line_len });
    if (pkt->want_tree && item >= 0 && pkt->fields[item].text != NULL)
        peel_expert(pkt, item, PEEL_SEV_CHAT, PEEL_GROUP_SEQUENCE, "%s", pkt->fields[item].text);
    if (!s->response) {
        http_add_span(pkt, rd, F_METHOD, s->method.off, s->method.len);
        if (s->uri.len > 0) {
            int32_t u = http_add_span(pkt, rd, F_URI, s->uri.off, s->uri.len);
            bool opened = peel_open_last(pkt, (uint32_t)u);
            add_uri_parts(pkt, rd, d, s->uri);
            peel_close_if(pkt, opened);
        }
        if (s->version.len > 0) /* "HTTP/" precedes the digits llhttp reports */
            http_add_span(pkt, rd, F_REQ_VERSION, s->version.off - 5, s->version.len + 5);
    } else {
        if (s->version.len > 0)
            http_add_span(pkt, rd, F_RESP_VERSION, s->version.off - 5, s->version.len + 5);
        else
            http_add_span(pkt, rd, F_RESP_VERSION, 0, 8);
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
            http_add_span(pkt, rd, F_PHRASE, s->status.off, s->status.len);
        else
            peel_add_string_value(pkt, F_PHRASE, "", 0);
    }
    peel_close(pkt, NULL);
}

/* Every header line: the line itself (hidden when the header has a field of its own),
 * the header's field, and what some headers hold. */
/* Content-Length as a number; false when it is not one. */
static bool
content_length_value(const uint8_t *d, HttpSpan v, uint64_t *out)
{
    uint64_t n = 0;
    bool ok = v.len > 0 && v.len <= 19;
    for (uint32_t k = 0; ok && k < v.len; k++) {
        uint8_t ch = d[v.off + k];
        ok = ch >= '0' && ch <= '9';
        n = n * 10 + (uint64_t)(ch - '0');
    }
    *out = n;
    return ok;
}

/* Whether a field the headers make is kept or shown (a filter on http.request.method keeps
 * HTTP's layer, not its headers). */
static bool
headers_kept(const PeelPacket *pkt)
{
    _Static_assert(N_F <= 256, "HTTP's field indexes fit a byte");
    static const uint8_t own[] = { F_REQ_LINE, F_RESP_LINE, F_TRAILER, F_CONTENT_LENGTH,
        F_COOKIE_PAIR, F_AUTHBASIC };
    static uint8_t list[G_N_ELEMENTS(own) + G_N_ELEMENTS(http_headers)];
    static gsize made = 0;
    if (g_once_init_enter(&made)) {
        memcpy(list, own, sizeof own);
        for (size_t i = 0; i < G_N_ELEMENTS(http_headers); i++)
            list[G_N_ELEMENTS(own) + i] = (uint8_t)http_headers[i].field;
        g_once_init_leave(&made, 1);
    }
    return peel_keeps_any(pkt, list, sizeof list);
}

/* The headers when none of their fields is kept or shown (summary lines): what the field path
 * does besides fields -- its notes and the HTTP2-Settings data source -- in its order. */
static void
http_headers_plain(PeelPacket *pkt, const uint8_t *d, const HttpScan *s, bool trailers)
{
    for (uint32_t i = 0; i < s->n_headers && !trailers; i++) {
        const HttpHeader *h = &s->headers[i];
        _Static_assert(sizeof "content-length" == sizeof "http2-settings", "one length test");
        if (h->trailer || h->name.len != sizeof "content-length" - 1)
            continue; /* the two names that matter here are both 14 letters long */
        uint32_t f = header_field(d, h->name);
        uint64_t v;
        if (f == F_CONTENT_LENGTH_HEADER && !content_length_value(d, h->value, &v))
            peel_expert(pkt, -1, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                    "Content-Length is not a number");
        else if (f == F_HTTP2_SETTINGS)
            peel_http2_add_upgrade_settings(pkt, d + h->value.off, h->value.len);
    }
    if (!trailers && s->n_headers_dropped > 0)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_UNDECODED,
                "%u more header lines not shown (more than %u)", s->n_headers_dropped,
                HTTP_MAX_HEADERS);
}

void
http_add_headers(
        PeelPacket *pkt, const PeelReader *rd, const uint8_t *d, const HttpScan *s, bool trailers)
{
    if (!headers_kept(pkt)) {
        http_headers_plain(pkt, d, s, trailers);
        return;
    }
    uint32_t line_f = s->response ? F_RESP_LINE : F_REQ_LINE;
    for (uint32_t i = 0; i < s->n_headers; i++) {
        const HttpHeader *h = &s->headers[i];
        if (h->trailer != trailers)
            continue;
        if (trailers) {
            int32_t t = http_add_span(pkt, rd, F_TRAILER, h->line.off, h->line.len);
            label_line(pkt, t, d, h->line);
            continue;
        }
        int32_t line = http_add_span(pkt, rd, line_f, h->line.off, h->line.len);
        uint32_t f = header_field(d, h->name);
        if (f == N_F) {
            label_line(pkt, line, d, h->line);
            continue;
        }
        peel_hide(pkt, line);
        int32_t item = http_add_span(pkt, rd, f, h->value.off, h->value.len);
        if (item >= 0) { /* the item spans the whole line, as Wireshark's */
            pkt->fields[item].offset -= h->value.off - h->line.off;
            pkt->fields[item].length = h->line.len;
        }
        label_line(pkt, item, d, h->line);
        if (f == F_CONTENT_LENGTH_HEADER) {
            bool opened = peel_open_last(pkt, (uint32_t)item);
            uint64_t v = 0;
            if (content_length_value(d, h->value, &v))
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
        } else if (f == F_HTTP2_SETTINGS) {
            bool opened = peel_open_last(pkt, (uint32_t)item);
            peel_http2_add_upgrade_settings(pkt, d + h->value.off, h->value.len);
            peel_close_if(pkt, opened);
        }
    }
    if (!trailers && s->n_headers_dropped > 0)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_UNDECODED,
                "%u more header lines not shown (more than %u)", s->n_headers_dropped,
                HTTP_MAX_HEADERS);
}

/* A number shown over bytes of the message that hold it in text. */
static int32_t
add_uint_at(
        PeelPacket *pkt, const PeelReader *rd, uint32_t f, uint64_t v, uint32_t off, uint32_t len)
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
add_chunks(PeelPacket *pkt, const PeelReader *rd, const uint8_t *d, uint32_t len, const HttpScan *s)
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
        http_add_headers(pkt, rd, d, s, true);
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
add_file_data_bytes(PeelPacket *pkt, const uint8_t *b, uint32_t n, const char *source,
        PeelReader *out)
{
    if (pkt->n_sources < PEEL_MAX_SOURCES) {
        PeelReader r = peel_add_source(pkt, b, n, source);
        if (out != NULL)
            *out = r;
        peel_add_string(pkt, &r, F_FILE_DATA, n);
    } else {
        if (out != NULL)
            *out = peel_reader_init(b, n, n, 0);
        const uint8_t *nul = memchr(b, '\0', n);
        peel_add_string_value(pkt, F_FILE_DATA, (const char *)b, nul ? (uint32_t)(nul - b) : n);
    }
    file_data_ascii(pkt, peel_last(pkt));
    peel_set_text(pkt, peel_last(pkt), "File Data: %u bytes", n);
}

void
http_add_body(PeelPacket *pkt, const PeelReader *rd, const uint8_t *d, uint32_t len,
        const HttpScan *s, uint32_t *body_len, PeelReader *body_out)
{
    const uint8_t *body;
    uint32_t n;
    if (body_out != NULL)
        *body_out = peel_reader_init(d, 0, 0, 0);
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
    const HttpHeader *ce = http_find_header(s, d, "content-encoding");
    HttpCoding coding =
            ce ? http_coding_parse(d + ce->value.off, ce->value.len) : HTTP_CODING_IDENTITY;
    if (coding == HTTP_CODING_GZIP || coding == HTTP_CODING_DEFLATE) {
        uint8_t *out = NULL;
        uint32_t out_len = 0;
        bool truncated = false;
        HttpDecodeStatus st = http_body_decode(
                pkt->arena, coding, body, n, HTTP_MAX_DECODED, &out, &out_len, &truncated);
        const char *name = coding == HTTP_CODING_GZIP ? "gzip" : "deflate";
        if (st == HTTP_DECODE_OK) {
            int32_t e = peel_add_uint_value(pkt, F_ENCODED, 0);
            if (e >= 0)
                pkt->fields[e].flags &= (uint8_t)~PEEL_FF_GENERATED;
            peel_set_text(pkt, e, "Content-encoded entity body (%s): %u bytes -> %u bytes", name, n,
                    out_len);
            if (truncated)
                peel_expert(pkt, e, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
                        "the %s body ends before its compressed stream does", name);
            *body_len = out_len;
            add_file_data_bytes(pkt, out, out_len, "Uncompressed entity body", body_out);
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
        add_file_data_bytes(pkt, body, n, "De-chunked entity body", body_out);
    else {
        int32_t f = http_add_span(pkt, rd, F_FILE_DATA, s->body.off, n);
        if (body_out != NULL) {
            PeelReader r = *rd;
            peel_reader_skip(&r, s->body.off);
            *body_out = peel_reader_take(&r, n);
        }
        file_data_ascii(pkt, f);
        peel_set_text(pkt, f, "File Data: %u bytes", n);
    }
}

const char *
peel_http_status_phrase(uint32_t code)
{
    return peel_value_name(http_status_names, code);
}
