/* proto-http2-hpack.c: HTTP/2 header blocks: HPACK (RFC 7541) decoded with libnghttp2's
 * inflater, one per direction, fragment by fragment; the decoded fields as Wireshark 4.0
 * shows them, gRPC call metadata from them, the Info summary; and the per-frame records
 * that let a revisit show the same without the sequential inflater state. */
#include "proto-http2-hpack.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "protobuf.h"

/* Headers with a field of their own. */
static const struct {
    const char *name;
    uint8_t f;
} h2_known_headers[] = {
    /* all strings but :status, content-length and age */
    { ":authority", F_H_AUTHORITY },
    { ":status", F_H_STATUS },
    { ":path", F_H_PATH },
    { ":method", F_H_METHOD },
    { ":scheme", F_H_SCHEME },
    { "accept", F_H_ACCEPT },
    { "accept-encoding", F_H_ACCEPT_ENCODING },
    { "accept-language", F_H_ACCEPT_LANGUAGE },
    { "authorization", F_H_AUTHORIZATION },
    { "cache-control", F_H_CACHE_CONTROL },
    { "content-encoding", F_H_CONTENT_ENCODING },
    { "content-length", F_H_CONTENT_LENGTH },
    { "content-type", F_H_CONTENT_TYPE },
    { "cookie", F_H_COOKIE },
    { "date", F_H_DATE },
    { "location", F_H_LOCATION },
    { "server", F_H_SERVER },
    { "set-cookie", F_H_SET_COOKIE },
    { "user-agent", F_H_USER_AGENT },
    { "last-modified", F_H_LAST_MODIFIED },
    { "etag", F_H_ETAG },
    { "range", F_H_RANGE },
    { "content-range", F_H_CONTENT_RANGE },
    { "referer", F_H_REFERER },
    { "vary", F_H_VARY },
    { "via", F_H_VIA },
    { "age", F_H_AGE },
};

/* Reason phrases of the status codes tshark names in its Info column. */
static const PeelValueName h2_reason_names[] = {
    { 100, "Continue" },
    { 101, "Switching Protocols" },
    { 200, "OK" },
    { 201, "Created" },
    { 202, "Accepted" },
    { 203, "Non-authoritative Information" },
    { 204, "No Content" },
    { 205, "Reset Content" },
    { 206, "Partial Content" },
    { 300, "Multiple Choices" },
    { 301, "Moved Permanently" },
    { 302, "Found" },
    { 303, "See Other" },
    { 304, "Not Modified" },
    { 307, "Temporary Redirect" },
    { 308, "Permanent Redirect" },
    { 400, "Bad Request" },
    { 401, "Unauthorized" },
    { 403, "Forbidden" },
    { 404, "Not Found" },
    { 405, "Method Not Allowed" },
    { 406, "Not Acceptable" },
    { 408, "Request Time-out" },
    { 409, "Conflict" },
    { 410, "Gone" },
    { 411, "Length Required" },
    { 412, "Precondition Failed" },
    { 413, "Request Entity Too Large" },
    { 414, "Request-URI Too Long" },
    { 415, "Unsupported Media Type" },
    { 416, "Requested Range Not Satisfiable" },
    { 421, "Misdirected Request" },
    { 429, "Too Many Requests" },
    { 500, "Internal Server Error" },
    { 501, "Not Implemented" },
    { 502, "Bad Gateway" },
    { 503, "Service Unavailable" },
    { 504, "Gateway Time-out" },
    { 0, NULL },
};

/* ---- per-frame records, so a revisit shows what the first pass decoded ---- */

enum { REC_HEADERS = 'H', REC_DATA = 'D' };

static void
put_u32(GByteArray *b, uint32_t v)
{
    g_byte_array_append(b, (const guint8 *)&v, 4);
}

static void
put_str(GByteArray *b, const char *s)
{
    uint32_t n = s ? (uint32_t)strlen(s) : 0;
    put_u32(b, n);
    if (n)
        g_byte_array_append(b, (const guint8 *)s, n);
}

/* Reading a record back: every length is checked against what is left. */
typedef struct {
    const uint8_t *p;
    uint32_t left;
    bool ok;
} RecRd;

static uint32_t
rec_u32(RecRd *r)
{
    uint32_t v = 0;
    if (r->left < 4) {
        r->ok = false;
        return 0;
    }
    memcpy(&v, r->p, 4);
    r->p += 4;
    r->left -= 4;
    return v;
}

static const uint8_t *
rec_bytes(RecRd *r, uint32_t n)
{
    if (r->left < n) {
        r->ok = false;
        return NULL;
    }
    const uint8_t *p = r->p;
    r->p += n;
    r->left -= n;
    return p;
}

static const char *
rec_str(PeelPacket *pkt, RecRd *r)
{
    uint32_t n = rec_u32(r);
    const uint8_t *p = rec_bytes(r, n);
    if (p == NULL)
        return "";
    char *s = peel_arena_alloc(pkt->arena, n + 1);
    if (s == NULL)
        return "";
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

static uint8_t
rec_sub(const PeelPacket *pkt)
{
    /* one record per HTTP/2 frame of the packet: frames are TCP PDUs */
    return (uint8_t)MIN(1u + pkt->pdu_index, 255u);
}

void
peel_http2_record_block(PeelPacket *pkt, const H2Block *b)
{
    GByteArray *a = g_byte_array_new();
    uint8_t head[4] = { REC_HEADERS, b->status,
        (uint8_t)(b->late | b->have_request << 1 | b->grpc << 2), 0 };
    g_byte_array_append(a, head, 4);
    put_u32(a, b->request_frame);
    int64_t sec = b->request_ts.sec;
    g_byte_array_append(a, (const guint8 *)&sec, 8);
    put_u32(a, (uint32_t)b->request_ts.nsec);
    put_u32(a, b->n);
    for (uint32_t i = 0; i < b->n; i++) {
        put_u32(a, b->h[i].name_len);
        g_byte_array_append(a, b->h[i].name, b->h[i].name_len);
        put_u32(a, b->h[i].value_len);
        g_byte_array_append(a, b->h[i].value, b->h[i].value_len);
    }
    peel_record_put(pkt, rec_sub(pkt), a->data, a->len);
    g_byte_array_unref(a);
}

static RecRd
record_open(PeelPacket *pkt, uint8_t kind)
{
    RecRd r = { 0 };
    uint32_t size = peel_record_size(pkt, rec_sub(pkt));
    if (size < 4)
        return r;
    uint8_t *buf = peel_arena_alloc(pkt->arena, size);
    if (buf == NULL || !peel_record_get(pkt, rec_sub(pkt), buf, size) || buf[0] != kind)
        return r;
    r = (RecRd){ buf + 1, size - 1, true };
    return r;
}

bool
peel_http2_record_block_get(PeelPacket *pkt, H2Block *b)
{
    RecRd r = record_open(pkt, REC_HEADERS);
    if (!r.ok)
        return false;
    const uint8_t *head = rec_bytes(&r, 3);
    uint32_t frame = rec_u32(&r);
    const uint8_t *sec = rec_bytes(&r, 8);
    uint32_t nsec = rec_u32(&r);
    uint32_t n = rec_u32(&r);
    if (!r.ok || n > H2_MAX_FIELDS)
        return false;
    b->status = head[0];
    b->late = head[1] & 1;
    b->have_request = (head[1] >> 1) & 1;
    b->grpc = (head[1] >> 2) & 1;
    b->request_frame = frame;
    memcpy(&b->request_ts.sec, sec, 8);
    b->request_ts.nsec = (int32_t)nsec;
    b->h = peel_arena_alloc(pkt->arena, (n ? n : 1) * sizeof *b->h);
    if (b->h == NULL)
        return false;
    b->n = 0;
    for (uint32_t i = 0; i < n && r.ok; i++) {
        H2Header *h = &b->h[i];
        h->name_len = rec_u32(&r);
        h->name = rec_bytes(&r, h->name_len);
        h->value_len = rec_u32(&r);
        h->value = rec_bytes(&r, h->value_len);
        if (r.ok)
            b->n++;
    }
    return r.ok;
}

void
peel_http2_record_data(PeelPacket *pkt, const H2Data *d)
{
    GByteArray *a = g_byte_array_new();
    uint8_t head[4] = { REC_DATA,
        (uint8_t)(d->grpc | d->request << 1 | d->json << 2 | d->carry_lost << 3 | d->body_end << 4 |
                      d->whole << 5),
        d->gkind, 0 };
    g_byte_array_append(a, head, 4);
    put_str(a, d->path);
    put_str(a, d->encoding);
    put_str(a, d->ctype);
    put_u32(a, d->carry_len);
    if (d->carry_len)
        g_byte_array_append(a, d->carry, d->carry_len);
    peel_record_put(pkt, rec_sub(pkt), a->data, a->len);
    g_byte_array_unref(a);
}

bool
peel_http2_record_data_get(PeelPacket *pkt, H2Data *d)
{
    RecRd r = record_open(pkt, REC_DATA);
    if (!r.ok)
        return false;
    const uint8_t *head = rec_bytes(&r, 3);
    if (head == NULL)
        return false;
    d->grpc = head[0] & 1;
    d->request = (head[0] >> 1) & 1;
    d->json = (head[0] >> 2) & 1;
    d->carry_lost = (head[0] >> 3) & 1;
    d->body_end = (head[0] >> 4) & 1;
    d->whole = (head[0] >> 5) & 1;
    d->gkind = head[1];
    d->path = rec_str(pkt, &r);
    d->encoding = rec_str(pkt, &r);
    d->ctype = rec_str(pkt, &r);
    d->carry_len = rec_u32(&r);
    d->carry = rec_bytes(&r, d->carry_len);
    return r.ok;
}

/* ---- HPACK ---- */

void
peel_http2_apply_allow(H2Dir *d)
{
    if (d->hd != NULL)
        nghttp2_hd_inflate_change_table_size(d->hd, d->allow);
}

/* Decodes one fragment of a header block with the direction's inflater into b (arena
 * copies); `first` starts a block, `final` ends it. */
void
peel_http2_hpack_decode(PeelPacket *pkt, H2Dir *d, const uint8_t *in, uint32_t len, bool first,
        bool final, H2Block *b)
{
    b->status = HP_OK;
    b->late = d->late;
    b->n = 0;
    b->h = peel_arena_alloc(pkt->arena, H2_MAX_FIELDS * sizeof *b->h);
    if (b->h == NULL) {
        b->status = HP_LIMIT;
        return;
    }
    if (first && d->hd != NULL && d->hd_broken) {
        nghttp2_hd_inflate_del(d->hd);
        d->hd = NULL;
    }
    if (first && d->hd == NULL) {
        if (nghttp2_hd_inflate_new(&d->hd) != 0) {
            d->hd = NULL;
            b->status = HP_FAILED;
            return;
        }
        if (d->hd_broken) /* the real table's size is unknown too */
            d->allow = MAX(d->allow, H2_LATE_TABLE);
        d->hd_broken = false;
        peel_http2_apply_allow(d);
    }
    if (first)
        d->block_failed = false;
    if (d->hd == NULL || d->hd_broken || d->block_failed) {
        b->status = HP_FAILED;
        return;
    }
    static const uint8_t empty[1];
    if (in == NULL) /* an empty fragment */
        in = empty, len = 0;
    uint32_t decoded = 0;
    for (;;) {
        nghttp2_nv nv;
        int flags = 0;
        ssize_t rv = nghttp2_hd_inflate_hd2(d->hd, &nv, &flags, in, len, final);
        if (rv < 0) {
            b->status = HP_FAILED;
            d->hd_broken = true;
            d->block_failed = true;
            return;
        }
        in += rv;
        len -= (uint32_t)rv;
        if (flags & NGHTTP2_HD_INFLATE_EMIT) {
            decoded += (uint32_t)(nv.namelen + nv.valuelen);
            if (b->n >= H2_MAX_FIELDS || decoded > H2_MAX_DECODED) {
                b->status = HP_LIMIT;
                continue;
            }
            uint8_t *nm = peel_arena_alloc(pkt->arena, nv.namelen + nv.valuelen + 1);
            if (nm == NULL) {
                b->status = HP_LIMIT;
                continue;
            }
            memcpy(nm, nv.name, nv.namelen);
            memcpy(nm + nv.namelen, nv.value, nv.valuelen);
            b->h[b->n++] =
                    (H2Header){ nm, nm + nv.namelen, (uint32_t)nv.namelen, (uint32_t)nv.valuelen };
        }
        if (flags & NGHTTP2_HD_INFLATE_FINAL) {
            nghttp2_hd_inflate_end_headers(d->hd);
            break;
        }
        if (!(flags & NGHTTP2_HD_INFLATE_EMIT) && (len == 0 || rv == 0))
            break; /* the fragment is used up; the block goes on in a CONTINUATION */
    }
}

/* ---- header presentation ---- */

static bool
hdr_is(const H2Header *h, const char *name)
{
    size_t n = strlen(name);
    return h->name_len == n && memcmp(h->name, name, n) == 0;
}

const H2Header *
peel_http2_hdr_find(const H2Block *b, const char *name)
{
    for (uint32_t i = 0; i < b->n; i++)
        if (hdr_is(&b->h[i], name))
            return &b->h[i];
    return NULL;
}

char *
peel_http2_hdr_dup(const H2Header *h)
{
    return h ? g_strndup((const char *)h->value, MIN(h->value_len, H2_MAX_STR)) : NULL;
}

static uint64_t
parse_uint(const uint8_t *p, uint32_t n, bool *ok)
{
    uint64_t v = 0;
    *ok = n > 0 && n <= 19;
    for (uint32_t i = 0; i < n && *ok; i++) {
        if (p[i] < '0' || p[i] > '9')
            *ok = false;
        else
            v = v * 10 + (uint64_t)(p[i] - '0');
    }
    return *ok ? v : 0;
}

/* "1S", "100m": gRPC's TimeoutValue TimeoutUnit. */
static bool
grpc_timeout(const H2Header *h, PeelTime *t)
{
    if (h->value_len < 2 || h->value_len > 9)
        return false;
    bool ok;
    uint64_t v = parse_uint(h->value, h->value_len - 1, &ok);
    if (!ok)
        return false;
    uint64_t ns_per;
    switch (h->value[h->value_len - 1]) {
    case 'H':
        ns_per = 3600000000000ull;
        break;
    case 'M':
        ns_per = 60000000000ull;
        break;
    case 'S':
        ns_per = 1000000000ull;
        break;
    case 'm':
        ns_per = 1000000ull;
        break;
    case 'u':
        ns_per = 1000ull;
        break;
    case 'n':
        ns_per = 1ull;
        break;
    default:
        return false;
    }
    uint64_t secs = v * (ns_per / 1000000000ull ? ns_per / 1000000000ull : 0);
    uint64_t ns = ns_per >= 1000000000ull ? 0 : (v * ns_per);
    t->sec = (int64_t)(secs + ns / 1000000000ull);
    t->nsec = (int32_t)(ns % 1000000000ull);
    return true;
}

/* Percent-decoding of grpc-message (gRPC over HTTP/2, "Status-Message"). */
static uint32_t
percent_decode(const uint8_t *in, uint32_t n, char *out)
{
    uint32_t o = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (in[i] == '%' && i + 2 < n && g_ascii_isxdigit(in[i + 1]) &&
                g_ascii_isxdigit(in[i + 2])) {
            out[o++] =
                    (char)(g_ascii_xdigit_value(in[i + 1]) << 4 | g_ascii_xdigit_value(in[i + 2]));
            i += 2;
        } else {
            out[o++] = (char)in[i];
        }
    }
    return o;
}

static PeelTime
time_sub(PeelTime a, PeelTime b)
{
    PeelTime r = { a.sec - b.sec, a.nsec - b.nsec };
    if (r.nsec < 0) {
        r.sec--;
        r.nsec += 1000000000;
    }
    return r;
}

/* A field that names bytes not in the packet (decoded headers) is still shown as an
 * ordinary item, as in Wireshark's tree, not as a generated one. */
static void
ungenerate(PeelPacket *pkt, int32_t idx)
{
    if (idx >= 0 && pkt->record_fields)
        pkt->fields[idx].flags &= (uint8_t)~PEEL_FF_GENERATED;
}

static void
add_header(PeelPacket *pkt, const H2Header *h, const PeelReader *blk)
{
    int32_t item = peel_open(pkt, blk, F_HEADER, 0);
    if (pkt->want_tree)
        peel_set_text(pkt, item, "Header: %.*s: %.*s", (int)MIN(h->name_len, 200u),
                (const char *)h->name, (int)MIN(h->value_len, 400u), (const char *)h->value);
    ungenerate(pkt, peel_add_uint_value(pkt, F_HEADER_NAME_LENGTH, h->name_len));
    ungenerate(pkt, peel_add_string_value(pkt, F_HEADER_NAME, (const char *)h->name, h->name_len));
    ungenerate(pkt, peel_add_uint_value(pkt, F_HEADER_VALUE_LENGTH, h->value_len));
    /* A string field ends at a NUL octet, as in Wireshark (gRPC's binary metadata). */
    const uint8_t *nul = memchr(h->value, 0, h->value_len);
    uint32_t shown = nul ? (uint32_t)(nul - h->value) : h->value_len;
    ungenerate(pkt, peel_add_string_value(pkt, F_HEADER_VALUE, (const char *)h->value, shown));
    for (size_t k = 0; k < G_N_ELEMENTS(h2_known_headers); k++) {
        if (!hdr_is(h, h2_known_headers[k].name))
            continue;
        uint32_t f = h2_known_headers[k].f;
        if (f != F_H_STATUS && f != F_H_CONTENT_LENGTH && f != F_H_AGE) {
            ungenerate(pkt, peel_add_string_value(pkt, f, (const char *)h->value, h->value_len));
        } else {
            bool ok;
            uint64_t v = parse_uint(h->value, h->value_len, &ok);
            if (ok && (f != F_H_STATUS || v <= 0xffff))
                ungenerate(pkt, peel_add_uint_value(pkt, f, v));
        }
        break;
    }
    /* gRPC binary metadata: "-bin" headers carry base64 (padding optional), or, when
     * the peers agreed on it (gRPC's SETTINGS 0xfe03, "true binary metadata"), a 0 octet
     * and the raw bytes. */
    bool bin = h->name_len > 4 && memcmp(h->name + h->name_len - 4, "-bin", 4) == 0;
    PeelGrpcScope scope = peel_grpc_scope_enter(pkt);
    if (bin && h->value_len > 0 && h->value[0] == 0) {
        peel_add_bytes_value(pkt, PEEL_GRPC_F_BINARY, h->value + 1, h->value_len - 1);
    } else if (bin && h->value_len <= 65536) {
        char *tmp = peel_arena_alloc(pkt->arena, h->value_len + 4);
        if (tmp != NULL) {
            memcpy(tmp, h->value, h->value_len);
            uint32_t n = h->value_len;
            while (n % 4)
                tmp[n++] = '=';
            tmp[n] = '\0';
            gint state = 0;
            guint save = 0;
            uint8_t *out = peel_arena_alloc(pkt->arena, n / 4 * 3 + 3);
            if (out != NULL) {
                gsize got = g_base64_decode_step(tmp, n, out, &state, &save);
                peel_add_bytes_value(pkt, PEEL_GRPC_F_BINARY, out, (uint32_t)got);
            }
        }
    }
    peel_grpc_scope_leave(pkt, scope);
    peel_close(pkt, NULL);
}

/* Starts this frame's Info text: it replaces the transport's summary, and follows what an
 * earlier PDU of the packet fenced off after ", " (tshark's col_append_sep_str). */
void
peel_http2_info_sep(PeelPacket *pkt)
{
    peel_info_clear(pkt);
    if (pkt->info_fence > 0)
        peel_info_append_str(pkt, ", ");
}

/* gRPC call metadata from a header block, added as gRPC fields: service and method from
 * :path, grpc-timeout, grpc-encoding, grpc-status by name with grpc-message
 * percent-decoded, and the call's duration on the trailers. */
static void
show_grpc_metadata(
        PeelPacket *pkt, const H2Block *b, bool request, bool response, const PeelTime *now)
{
    const H2Header *path = peel_http2_hdr_find(b, ":path");
    PeelGrpcScope scope = peel_grpc_scope_enter(pkt);
    if (path != NULL && path->value_len > 1 && path->value[0] == '/' && b->grpc) {
        const uint8_t *slash = memchr(path->value + 1, '/', path->value_len - 1);
        if (slash != NULL) {
            uint32_t svc_len = (uint32_t)(slash - path->value - 1);
            peel_add_string_value(pkt, PEEL_GRPC_F_SERVICE, (const char *)path->value + 1, svc_len);
            peel_add_string_value(pkt, PEEL_GRPC_F_METHOD, (const char *)slash + 1,
                    path->value_len - svc_len - 2);
        }
    }
    /* The method as the loaded schemas declare it (--proto-descriptors, reflection). */
    PeelProtobufMethod m;
    if (request && path != NULL && b->grpc &&
            peel_protobuf_method(pkt, (const char *)path->value, path->value_len, &m)) {
        static const char *const types[] = { "unary", "server streaming", "client streaming",
            "bidirectional streaming" };
        const char *type = types[m.server_streaming | m.client_streaming << 1];
        peel_add_string_value(pkt, PEEL_GRPC_F_CALL_TYPE, type, (uint32_t)strlen(type));
        if (m.input_type != NULL)
            peel_add_string_value(
                    pkt, PEEL_GRPC_F_REQUEST_TYPE, m.input_type, (uint32_t)strlen(m.input_type));
        if (m.output_type != NULL)
            peel_add_string_value(
                    pkt, PEEL_GRPC_F_RESPONSE_TYPE, m.output_type, (uint32_t)strlen(m.output_type));
    }
    const H2Header *h = peel_http2_hdr_find(b, "grpc-timeout");
    PeelTime t;
    if (h != NULL && grpc_timeout(h, &t))
        peel_add_time_value(pkt, PEEL_GRPC_F_TIMEOUT, t);
    h = peel_http2_hdr_find(b, "grpc-encoding");
    if (h != NULL)
        peel_add_string_value(pkt, PEEL_GRPC_F_ENCODING, (const char *)h->value, h->value_len);
    const H2Header *gs = peel_http2_hdr_find(b, "grpc-status");
    if (gs != NULL) {
        bool ok;
        uint64_t code = parse_uint(gs->value, gs->value_len, &ok);
        if (ok && code <= UINT32_MAX) {
            peel_add_uint_value(pkt, PEEL_GRPC_F_STATUS, code);
            const char *name = peel_grpc_status_name(code);
            if (code != 0)
                peel_expert(pkt, peel_last(pkt), PEEL_SEV_NOTE, PEEL_GROUP_PROTOCOL,
                        "gRPC call ended with status %s (%" G_GUINT64_FORMAT ")",
                        name ? name : "unknown", code);
            if (!request && !response)
                peel_info_append_str(pkt, ": ");
            else
                peel_info_append_str(pkt, ", ");
            if (name != NULL)
                peel_info_append(pkt, "gRPC response %s", name);
            else
                peel_info_append(pkt, "gRPC response status %" G_GUINT64_FORMAT, code);
        }
        h = peel_http2_hdr_find(b, "grpc-message");
        if (h != NULL) {
            char *msg = peel_arena_alloc(pkt->arena, h->value_len + 1);
            if (msg != NULL) {
                uint32_t n = percent_decode(h->value, h->value_len, msg);
                peel_add_string_value(pkt, PEEL_GRPC_F_STATUS_MESSAGE, msg, n);
                if (n > 0)
                    peel_info_append(pkt, ": %.*s", (int)MIN(n, 200u), msg);
            }
        }
        if (b->have_request)
            peel_add_time_value(pkt, PEEL_GRPC_F_CALL_TIME, time_sub(*now, b->request_ts));
    }
    peel_grpc_scope_leave(pkt, scope);
}

/* The decoded block: header items, the per-name fields, gRPC call metadata, the Info
 * column's summary ("HEADERS[1]: GET /", "HEADERS[1]: 200 OK"). */
void
peel_http2_show_block(
        PeelPacket *pkt, const PeelReader *blk, const H2Block *b, uint32_t sid, const PeelTime *now)
{
    if (b->status == HP_FAILED)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_UNDECODED,
                b->late ? "HPACK: the header block refers to dynamic-table entries this "
                          "capture never saw (it starts mid-connection); the headers from "
                          "that point on are not shown"
                        : "HPACK: the header block could not be decompressed; the headers "
                          "from that point on are not shown");
    if (b->status == HP_LIMIT) {
        peel_add_uint_value(pkt, F_HEADER_LINES_EXCEEDED, 0);
        peel_expert(pkt, peel_last(pkt), PEEL_SEV_WARN, PEEL_GROUP_UNDECODED,
                "decompression stopped after %u header fields or %u bytes", H2_MAX_FIELDS,
                H2_MAX_DECODED);
    }
    if (b->n > 0 || b->status == HP_OK) {
        /* Wireshark's measure: each header as 4-byte lengths before name and value. */
        uint32_t total = 0;
        for (uint32_t i = 0; i < b->n; i++)
            total += 8 + b->h[i].name_len + b->h[i].value_len;
        peel_add_uint_value(pkt, F_HEADER_LENGTH, total);
        peel_add_uint_value(pkt, F_HEADER_COUNT, b->n);
    }
    for (uint32_t i = 0; i < b->n; i++)
        add_header(pkt, &b->h[i], blk);

    const H2Header *method = peel_http2_hdr_find(b, ":method");
    const H2Header *path = peel_http2_hdr_find(b, ":path");
    const H2Header *status = peel_http2_hdr_find(b, ":status");
    const H2Header *scheme = peel_http2_hdr_find(b, ":scheme");
    const H2Header *authority = peel_http2_hdr_find(b, ":authority");
    if (scheme != NULL && authority != NULL && path != NULL) {
        char *uri = peel_arena_alloc(
                pkt->arena, scheme->value_len + authority->value_len + path->value_len + 4);
        if (uri != NULL) {
            int n = sprintf(uri, "%.*s://%.*s%.*s", (int)scheme->value_len,
                    (const char *)scheme->value, (int)authority->value_len,
                    (const char *)authority->value, (int)path->value_len,
                    (const char *)path->value);
            peel_add_string_value(pkt, F_FULL_URI, uri, (uint32_t)n);
        }
    }
    if (method != NULL && path != NULL) {
        peel_info_append_str(pkt, ": ");
        peel_info_append_strn(pkt, (const char *)method->value, MIN(method->value_len, 64u));
        peel_info_append_str(pkt, " ");
        peel_info_append_strn(pkt, (const char *)path->value, MIN(path->value_len, 512u));
    } else if (status != NULL) {
        bool ok;
        uint64_t code = parse_uint(status->value, status->value_len, &ok);
        const char *reason = ok ? peel_value_name(h2_reason_names, code) : NULL;
        peel_info_append(
                pkt, ": %.*s", (int)MIN(status->value_len, 16u), (const char *)status->value);
        if (reason != NULL)
            peel_info_append(pkt, " %s", reason);
    }
    if (b->have_request && method == NULL) {
        int32_t f = peel_add_uint_value(pkt, F_REQUEST_IN, b->request_frame);
        peel_set_text(pkt, f, "[Request in frame: %u]", b->request_frame);
        peel_add_time_value(pkt, F_TIME, time_sub(*now, b->request_ts));
    }
    (void)sid;
    show_grpc_metadata(pkt, b, method != NULL, status != NULL, now);
}
