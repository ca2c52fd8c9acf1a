/* http-scan.c: llhttp run over stream bytes to find one message's parts. llhttp is paused
 * at the end of the headers, of each chunk-size line, of each chunk and of the message,
 * so the position it stopped at tells where each part ends. */
#include "http-scan.h"

#include <glib.h>
#include <llhttp.h>
#include <string.h>

enum { EV_NONE, EV_HEADERS, EV_CHUNK_HEADER, EV_CHUNK_DONE, EV_MESSAGE };
enum { CB_NONE, CB_FIELD, CB_VALUE };

typedef struct {
    HttpScan *s;
    const uint8_t *base;
    PeelArena *arena;
    int ev;
    int last_cb;
    uint32_t cap_headers;
    uint32_t cap_chunks;
    uint64_t chunk_size; /* of the chunk whose header was just read */
    uint32_t chunk_got;  /* data bytes of the current chunk */
} ScanCtx;

static ScanCtx *
ctx_of(llhttp_t *p)
{
    return p->data;
}

static uint32_t
off_of(const ScanCtx *c, const char *at)
{
    return (uint32_t)((const uint8_t *)at - c->base);
}

static void
span_add(HttpSpan *sp, uint32_t off, uint32_t len)
{
    if (sp->len == 0)
        sp->off = off;
    sp->len = off + len - sp->off;
}

static int
on_method(llhttp_t *p, const char *at, size_t n)
{
    ScanCtx *c = ctx_of(p);
    span_add(&c->s->method, off_of(c, at), (uint32_t)n);
    return 0;
}

static int
on_url(llhttp_t *p, const char *at, size_t n)
{
    ScanCtx *c = ctx_of(p);
    span_add(&c->s->uri, off_of(c, at), (uint32_t)n);
    return 0;
}

static int
on_version(llhttp_t *p, const char *at, size_t n)
{
    ScanCtx *c = ctx_of(p);
    span_add(&c->s->version, off_of(c, at), (uint32_t)n);
    return 0;
}

static int
on_status(llhttp_t *p, const char *at, size_t n)
{
    ScanCtx *c = ctx_of(p);
    span_add(&c->s->status, off_of(c, at), (uint32_t)n);
    return 0;
}

static HttpHeader *
header_new(ScanCtx *c)
{
    HttpScan *s = c->s;
    if (c->arena == NULL)
        return NULL;
    if (s->n_headers >= HTTP_MAX_HEADERS) {
        s->n_headers_dropped++;
        return NULL;
    }
    if (s->n_headers == c->cap_headers) {
        uint32_t cap = c->cap_headers ? c->cap_headers * 2 : 32;
        HttpHeader *h = peel_arena_alloc(c->arena, cap * sizeof *h);
        if (h == NULL) {
            s->n_headers_dropped++;
            return NULL;
        }
        if (s->n_headers)
            memcpy(h, s->headers, s->n_headers * sizeof *h);
        s->headers = h;
        c->cap_headers = cap;
    }
    HttpHeader *h = &s->headers[s->n_headers++];
    memset(h, 0, sizeof *h);
    h->trailer = s->last_chunk;
    return h;
}

static int
on_header_field(llhttp_t *p, const char *at, size_t n)
{
    ScanCtx *c = ctx_of(p);
    HttpScan *s = c->s;
    if (c->last_cb != CB_FIELD) {
        HttpHeader *h = header_new(c);
        c->last_cb = CB_FIELD;
        if (h == NULL)
            return 0;
        h->name.off = off_of(c, at);
        h->name.len = (uint32_t)n;
        h->value.off = h->name.off + h->name.len;
        return 0;
    }
    if (c->arena != NULL && s->n_headers > 0 && s->n_headers_dropped == 0) {
        HttpHeader *h = &s->headers[s->n_headers - 1];
        span_add(&h->name, off_of(c, at), (uint32_t)n);
        h->value.off = h->name.off + h->name.len;
    }
    return 0;
}

static int
on_header_value(llhttp_t *p, const char *at, size_t n)
{
    ScanCtx *c = ctx_of(p);
    HttpScan *s = c->s;
    bool first = c->last_cb != CB_VALUE;
    c->last_cb = CB_VALUE;
    if (c->arena == NULL || s->n_headers == 0 || s->n_headers_dropped > 0)
        return 0;
    HttpHeader *h = &s->headers[s->n_headers - 1];
    if (first) {
        h->value.off = off_of(c, at);
        h->value.len = (uint32_t)n;
    } else {
        span_add(&h->value, off_of(c, at), (uint32_t)n);
    }
    return 0;
}

static int
on_headers_complete(llhttp_t *p)
{
    ScanCtx *c = ctx_of(p);
    c->ev = EV_HEADERS;
    c->last_cb = CB_NONE;
    return HPE_PAUSED;
}

static int
on_chunk_header(llhttp_t *p)
{
    ScanCtx *c = ctx_of(p);
    c->ev = EV_CHUNK_HEADER;
    c->chunk_size = p->content_length;
    c->chunk_got = 0;
    return HPE_PAUSED;
}

static int
on_chunk_complete(llhttp_t *p)
{
    ScanCtx *c = ctx_of(p);
    c->ev = EV_CHUNK_DONE;
    return HPE_PAUSED;
}

static int
on_body(llhttp_t *p, const char *at, size_t n)
{
    ScanCtx *c = ctx_of(p);
    if (c->s->chunked)
        c->chunk_got += (uint32_t)n;
    else
        span_add(&c->s->body, off_of(c, at), (uint32_t)n);
    return 0;
}

static int
on_message_complete(llhttp_t *p)
{
    ScanCtx *c = ctx_of(p);
    c->ev = EV_MESSAGE;
    return HPE_PAUSED;
}

/* A response whose headers are all of it: to HEAD, or a 2xx to CONNECT (RFC 9110 9.3.6). */
static bool
headers_only(int answers, uint16_t status)
{
    return answers == HTTP_ANSWERS_HEAD || (answers == HTTP_ANSWERS_CONNECT && status / 100 == 2);
}

static const llhttp_settings_t scan_settings = {
    .on_method = on_method,
    .on_url = on_url,
    .on_version = on_version,
    .on_status = on_status,
    .on_header_field = on_header_field,
    .on_header_value = on_header_value,
    .on_headers_complete = on_headers_complete,
    .on_chunk_header = on_chunk_header,
    .on_chunk_complete = on_chunk_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
};

static HttpChunk *
chunk_new(ScanCtx *c)
{
    HttpScan *s = c->s;
    if (c->arena == NULL)
        return NULL;
    if (s->n_chunks == c->cap_chunks) {
        uint32_t cap = c->cap_chunks ? c->cap_chunks * 2 : 16;
        HttpChunk *ch = peel_arena_alloc(c->arena, cap * sizeof *ch);
        if (ch == NULL) {
            s->n_chunks_dropped++;
            return NULL;
        }
        if (s->n_chunks)
            memcpy(ch, s->chunks, s->n_chunks * sizeof *ch);
        s->chunks = ch;
        c->cap_chunks = cap;
    }
    HttpChunk *ch = &s->chunks[s->n_chunks++];
    memset(ch, 0, sizeof *ch);
    return ch;
}

/* Offset just past the '\n' ending the line that holds `from`, at most `limit`. */
static uint32_t
line_end(const uint8_t *d, uint32_t from, uint32_t limit)
{
    const uint8_t *nl = from < limit ? memchr(d + from, '\n', limit - from) : NULL;
    return nl ? (uint32_t)(nl - d) + 1 : limit;
}

/* Header lines' full extent, values without trailing blanks, the de-chunked body. */
static void
scan_finish(ScanCtx *c, const uint8_t *d, uint32_t len)
{
    HttpScan *s = c->s;
    uint32_t hend = s->headers_done ? s->headers_end : len;
    s->start_line_len = line_end(d, 0, hend);
    for (uint32_t i = 0; i < s->n_headers; i++) {
        HttpHeader *h = &s->headers[i];
        while (h->value.len > 0 && (d[h->value.off + h->value.len - 1] == ' ' ||
                                           d[h->value.off + h->value.len - 1] == '\t' ||
                                           d[h->value.off + h->value.len - 1] == '\r'))
            h->value.len--;
        uint32_t limit = h->trailer ? (s->trailer_end ? s->trailer_end : len) : hend;
        uint32_t from = h->value.len ? h->value.off + h->value.len : h->name.off + h->name.len;
        h->line.off = h->name.off;
        h->line.len = line_end(d, from, limit) - h->name.off;
    }
    if (s->chunked && c->arena != NULL && s->n_chunks > 0) {
        uint64_t total = 0;
        for (uint32_t i = 0; i < s->n_chunks; i++)
            total += s->chunks[i].size;
        if (total > len)
            total = len;
        uint8_t *buf = peel_arena_alloc(c->arena, total ? total : 1);
        if (buf != NULL) {
            uint32_t at = 0;
            for (uint32_t i = 0; i < s->n_chunks; i++) {
                const HttpChunk *ch = &s->chunks[i];
                uint32_t n = ch->size;
                if (ch->data_off > len)
                    break;
                if (n > len - ch->data_off)
                    n = len - ch->data_off;
                if (n > total - at)
                    n = (uint32_t)total - at;
                memcpy(buf + at, d + ch->data_off, n);
                at += n;
            }
            s->dechunked = buf;
            s->dechunked_len = at;
        }
    }
}

void
http_scan(
        HttpScan *s, const uint8_t *data, uint32_t len, int no_body, bool at_eof, PeelArena *arena)
{
    memset(s, 0, sizeof *s);
    s->response = len >= 5 && memcmp(data, "HTTP/", 5) == 0;
    if (len < 5 && memcmp(data, "HTTP/", len) == 0) { /* too short to tell: wait */
        s->result = HTTP_SCAN_MORE;
        s->end = len;
        return;
    }
    ScanCtx c = { .s = s, .base = data, .arena = arena };
    llhttp_t p;
    llhttp_init(&p, s->response ? HTTP_RESPONSE : HTTP_REQUEST, &scan_settings);
    llhttp_set_lenient_headers(&p, 1); /* header lines ending in LF alone, odd bytes */
    llhttp_set_lenient_keep_alive(&p, 1);
    llhttp_set_lenient_transfer_encoding(&p, 1);
    p.data = &c;
    uint32_t pos = 0, prev = 0;
    HttpChunk *chunk = NULL;
    for (;;) {
        c.ev = EV_NONE;
        llhttp_errno_t err = llhttp_execute(&p, (const char *)data + pos, len - pos);
        const char *ep = llhttp_get_error_pos(&p);
        uint32_t at = ep ? (uint32_t)((const uint8_t *)ep - data) : len;
        if (at > len)
            at = len;
        if (err == HPE_PAUSED || err == HPE_PAUSED_UPGRADE) {
            prev = pos;
            pos = at;
            switch (c.ev) {
            case EV_HEADERS:
                s->headers_done = true;
                s->headers_end = pos;
                s->status_code = p.status_code;
                s->http_major = p.http_major;
                s->http_minor = p.http_minor;
                s->chunked = (p.flags & F_CHUNKED) != 0;
                s->has_length = (p.flags & F_CONTENT_LENGTH) != 0;
                s->content_length = p.content_length;
                s->upgrade = p.upgrade;
                if (headers_only(no_body, p.status_code)) {
                    s->result = HTTP_SCAN_COMPLETE;
                    s->end = pos;
                    goto done;
                }
                break;
            case EV_CHUNK_HEADER:
                chunk = chunk_new(&c);
                if (chunk != NULL) {
                    chunk->line_off = prev;
                    chunk->line_len = pos - prev;
                    chunk->size = c.chunk_size > UINT32_MAX ? UINT32_MAX : (uint32_t)c.chunk_size;
                    chunk->data_off = pos;
                }
                if (c.chunk_size == 0) {
                    s->last_chunk = true;
                    s->last_chunk_off = prev;
                    s->last_chunk_len = pos - prev;
                    if (chunk != NULL)
                        s->n_chunks--; /* the last chunk is not a data chunk */
                    chunk = NULL;
                }
                break;
            case EV_CHUNK_DONE:
                if (s->last_chunk)
                    s->trailer_end = pos;
                else if (chunk != NULL && pos >= chunk->data_off + c.chunk_got)
                    chunk->crlf_len = pos - (chunk->data_off + c.chunk_got);
                chunk = NULL;
                break;
            case EV_MESSAGE:
                s->result = HTTP_SCAN_COMPLETE;
                s->end = pos;
                if (err == HPE_PAUSED_UPGRADE || p.upgrade)
                    s->upgrade = true;
                goto done;
            default:
                if (err == HPE_PAUSED_UPGRADE) {
                    s->upgrade = true;
                    s->result = HTTP_SCAN_COMPLETE;
                    s->end = pos;
                    goto done;
                }
                break;
            }
            if (err == HPE_PAUSED)
                llhttp_resume(&p);
            else
                llhttp_resume_after_upgrade(&p);
            continue;
        }
        if (err == HPE_OK) {
            if (!s->headers_done) {
                s->result = len > HTTP_MAX_HEADER_BYTES ? HTTP_SCAN_OVERSIZED : HTTP_SCAN_MORE;
                s->end = len;
            } else if (llhttp_message_needs_eof(&p)) {
                s->result = HTTP_SCAN_EOF;
                s->end = len;
                if (at_eof)
                    s->result = HTTP_SCAN_COMPLETE;
            } else {
                s->result = HTTP_SCAN_MORE;
                s->end = len;
            }
            goto done;
        }
        s->result = HTTP_SCAN_ERROR;
        s->error = llhttp_get_error_reason(&p);
        s->end = at;
        goto done;
    }
done:
    if (!s->headers_done) {
        s->status_code = p.status_code;
        s->http_major = p.http_major;
        s->http_minor = p.http_minor;
    }
    if (!s->headers_done && s->result == HTTP_SCAN_MORE && len > HTTP_MAX_HEADER_BYTES)
        s->result = HTTP_SCAN_OVERSIZED;
    if (arena != NULL)
        scan_finish(&c, data, len);
}

/* ---- incremental framing ---- */

G_STATIC_ASSERT(sizeof(llhttp_t) <= sizeof(((HttpFramer *)0)->parser));
G_STATIC_ASSERT(_Alignof(llhttp_t) <= _Alignof(HttpFramer));

static int
fr_headers_complete(llhttp_t *p)
{
    HttpFramer *f = p->data;
    f->ev = EV_HEADERS;
    return HPE_PAUSED;
}

static int
fr_message_complete(llhttp_t *p)
{
    HttpFramer *f = p->data;
    f->ev = EV_MESSAGE;
    return HPE_PAUSED;
}

static int
fr_version_complete(llhttp_t *p)
{
    HttpFramer *f = p->data;
    f->start_line_done = true;
    return 0;
}

static const llhttp_settings_t frame_settings = {
    .on_headers_complete = fr_headers_complete,
    .on_message_complete = fr_message_complete,
    .on_version_complete = fr_version_complete,
};

void
http_framer_reset(HttpFramer *f)
{
    memset(f, 0, sizeof *f);
}

uint64_t
http_frame_expected(const HttpFramer *f, uint32_t len)
{
    const llhttp_t *p = (const llhttp_t *)(const void *)f->parser;
    if (!f->started || !f->headers_done || len != f->fed ||
            (p->flags & (F_CONTENT_LENGTH | F_CHUNKED)) != F_CONTENT_LENGTH)
        return 0;
    return (uint64_t)len + p->content_length;
}

HttpScanResult
http_frame(HttpFramer *f, const uint8_t *data, uint32_t len, int no_body, bool at_eof,
        uint32_t *end, bool *start_line)
{
    llhttp_t *p = (llhttp_t *)(void *)f->parser;
    *end = len;
    if (f->started &&
            (len < f->fed || len < f->first_len || memcmp(data, f->first, f->first_len) != 0))
        http_framer_reset(f); /* not the buffer we were reading: start again */
    if (!f->started) {
        if (len < 5 && memcmp(data, "HTTP/", len) == 0) {
            *start_line = false;
            return HTTP_SCAN_MORE;
        }
        http_framer_reset(f);
        bool response = len >= 5 && memcmp(data, "HTTP/", 5) == 0;
        llhttp_init(p, response ? HTTP_RESPONSE : HTTP_REQUEST, &frame_settings);
        llhttp_set_lenient_headers(p, 1);
        llhttp_set_lenient_keep_alive(p, 1);
        llhttp_set_lenient_transfer_encoding(p, 1);
        f->first_len = MIN(len, (uint32_t)sizeof f->first);
        memcpy(f->first, data, f->first_len);
        f->started = true;
    }
    p->data = f; /* the framer may have moved with its flow state */
    HttpScanResult r;
    for (;;) {
        f->ev = EV_NONE;
        llhttp_errno_t err = llhttp_execute(p, (const char *)data + f->fed, len - f->fed);
        const char *ep = llhttp_get_error_pos(p);
        uint32_t at = ep ? (uint32_t)((const uint8_t *)ep - data) : len;
        if (at > len)
            at = len;
        if (err == HPE_PAUSED || err == HPE_PAUSED_UPGRADE) {
            f->fed = at;
            if (f->ev == EV_HEADERS) {
                f->headers_done = true;
                if (headers_only(no_body, p->status_code)) {
                    *end = at;
                    r = HTTP_SCAN_COMPLETE;
                    break;
                }
            } else if (f->ev == EV_MESSAGE || err == HPE_PAUSED_UPGRADE) {
                *end = at;
                r = HTTP_SCAN_COMPLETE;
                break;
            }
            if (err == HPE_PAUSED)
                llhttp_resume(p);
            else
                llhttp_resume_after_upgrade(p);
            continue;
        }
        if (err == HPE_OK) {
            f->fed = len;
            if (!f->headers_done)
                r = len > HTTP_MAX_HEADER_BYTES ? HTTP_SCAN_OVERSIZED : HTTP_SCAN_MORE;
            else if (llhttp_message_needs_eof(p))
                r = at_eof ? HTTP_SCAN_COMPLETE : HTTP_SCAN_EOF;
            else
                r = HTTP_SCAN_MORE;
            break;
        }
        *end = at;
        r = HTTP_SCAN_ERROR;
        break;
    }
    *start_line = f->start_line_done;
    if (r != HTTP_SCAN_MORE && r != HTTP_SCAN_EOF)
        http_framer_reset(f); /* the next call starts the next message */
    return r;
}
