/* h2-harness.h: hand-built HTTP/2 connections for the HTTP/2 and gRPC unit tests: IPv4/TCP
 * frames (link type RAW) between 10.0.0.1:40000 (client) and 10.0.0.2:50051 (server),
 * HTTP/2 frames, and header blocks encoded with libnghttp2's HPACK deflater. */
#pragma once

#include <glib.h>
#include <nghttp2/nghttp2.h>
#include <string.h>

#include "dissector.h"
#include "format.h"
#include "linktype.h"
#include "registry.h"

#define H2T_PORT 50051

typedef struct {
    GPtrArray *frames; /* GByteArray per frame, index = number - 1 */
    uint32_t seq[2];   /* next sequence number: [0] client, [1] server */
    uint16_t port;     /* the server's */
    nghttp2_hd_deflater *def[2];
} H2Cap;

static inline void
h2t_put16(GByteArray *b, uint16_t v)
{
    uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };
    g_byte_array_append(b, x, 2);
}

static inline void
h2t_put32(GByteArray *b, uint32_t v)
{
    uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    g_byte_array_append(b, x, 4);
}

/* A TCP segment from the client (from_server false) or the server. */
static inline void
h2t_segment_flags(H2Cap *c, bool from_server, uint8_t flags, const uint8_t *payload, size_t n)
{
    GByteArray *b = g_byte_array_new();
    const uint8_t ip_head[] = { 0x45, 0x00 };
    g_byte_array_append(b, ip_head, 2);
    h2t_put16(b, (uint16_t)(40 + n));
    h2t_put32(b, 0x00014000);
    const uint8_t ttl_proto[] = { 64, 6, 0, 0 };
    g_byte_array_append(b, ttl_proto, 4);
    h2t_put32(b, from_server ? 0x0a000002 : 0x0a000001);
    h2t_put32(b, from_server ? 0x0a000001 : 0x0a000002);
    h2t_put16(b, from_server ? c->port : 40000);
    h2t_put16(b, from_server ? 40000 : c->port);
    h2t_put32(b, c->seq[from_server]);
    h2t_put32(b, (flags & 0x10) ? c->seq[!from_server] : 0);
    const uint8_t off_flags[] = { 0x50, flags };
    g_byte_array_append(b, off_flags, 2);
    h2t_put16(b, 65535);
    h2t_put32(b, 0);
    if (n)
        g_byte_array_append(b, payload, (guint)n);
    c->seq[from_server] += (uint32_t)n + ((flags & 0x02) ? 1 : 0);
    g_ptr_array_add(c->frames, b);
}

static inline void
h2t_segment(H2Cap *c, bool from_server, const uint8_t *payload, size_t n)
{
    h2t_segment_flags(c, from_server, 0x18, payload, n);
}

/* A connection to the server on `port`, handshake done. */
static inline H2Cap *
h2t_new_port(uint16_t port)
{
    H2Cap *c = g_new0(H2Cap, 1);
    c->port = port;
    c->frames = g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref);
    c->seq[0] = 100;
    c->seq[1] = 500;
    h2t_segment_flags(c, false, 0x02, NULL, 0);
    h2t_segment_flags(c, true, 0x12, NULL, 0);
    h2t_segment_flags(c, false, 0x10, NULL, 0);
    nghttp2_hd_deflate_new(&c->def[0], 4096);
    nghttp2_hd_deflate_new(&c->def[1], 4096);
    return c;
}

static inline H2Cap *
h2t_new(void)
{
    return h2t_new_port(H2T_PORT);
}

static inline void
h2t_free(H2Cap *c)
{
    g_ptr_array_unref(c->frames);
    nghttp2_hd_deflate_del(c->def[0]);
    nghttp2_hd_deflate_del(c->def[1]);
    g_free(c);
}

/* Appends an HTTP/2 frame to b. */
static inline void
h2t_frame(GByteArray *b, uint8_t type, uint8_t flags, uint32_t sid, const void *p, size_t n)
{
    uint8_t h[9] = { (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n, type, flags,
        (uint8_t)(sid >> 24), (uint8_t)(sid >> 16), (uint8_t)(sid >> 8), (uint8_t)sid };
    g_byte_array_append(b, h, 9);
    if (n)
        g_byte_array_append(b, p, (guint)n);
}

static inline void
h2t_preface(GByteArray *b)
{
    g_byte_array_append(b, (const guint8 *)"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 24);
}

/* A header block of "name", "value", ... NULL pairs, encoded by side `from_server`. */
static inline GByteArray *
h2t_block(H2Cap *c, bool from_server, const char *const *nv)
{
    nghttp2_nv v[64];
    size_t n = 0;
    for (; nv[2 * n] != NULL && n < 64; n++)
        v[n] = (nghttp2_nv){ (uint8_t *)nv[2 * n], (uint8_t *)nv[2 * n + 1], strlen(nv[2 * n]),
            strlen(nv[2 * n + 1]), NGHTTP2_NV_FLAG_NONE };
    size_t bound = nghttp2_hd_deflate_bound(c->def[from_server], v, n);
    GByteArray *out = g_byte_array_sized_new((guint)bound);
    g_byte_array_set_size(out, (guint)bound);
    ssize_t got = nghttp2_hd_deflate_hd(c->def[from_server], out->data, bound, v, n);
    g_assert_cmpint(got, >=, 0);
    g_byte_array_set_size(out, (guint)got);
    return out;
}

static inline const PeelPacket *
h2t_run(PeelDissector *dis, H2Cap *c, uint32_t number)
{
    static PeelFrameInfo fr;
    GByteArray *b = g_ptr_array_index(c->frames, number - 1);
    memset(&fr, 0, sizeof fr);
    fr.number = number;
    fr.ts = (PeelTime){ 1000 + number, 0 };
    fr.cap_len = fr.len = b->len;
    fr.linktype = PEEL_LINKTYPE_RAW;
    fr.data = b->data;
    return peel_dissector_run(dis, &fr);
}

/* The values of `name` in pkt, comma-separated, appended to s. */
static inline void
h2t_values(GString *s, const PeelPacket *pkt, const char *name)
{
    int id = peel_field_lookup(name);
    g_assert_cmpint(id, >=, 0);
    for (uint32_t i = 0; i < pkt->n_fields; i++) {
        if (pkt->fields[i].id != (uint32_t)id)
            continue;
        if (s->len && s->str[s->len - 1] != '|')
            g_string_append_c(s, ',');
        peel_format_value(s, pkt, &pkt->fields[i]);
    }
}

/* Runs every frame of c through a new dissector (the server port decoded as HTTP/2, so a
 * first segment too short for the preface heuristic still counts) and returns `name`'s
 * values of all frames, frames that have some separated by '|'. */
static inline char *
h2t_all(H2Cap *c, const char *name)
{
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    g_assert_true(peel_dissector_decode_as(dis, "tcp.port==50051,http2", NULL));
    GString *s = g_string_new(NULL);
    for (uint32_t i = 1; i <= c->frames->len; i++) {
        gsize before = s->len;
        h2t_values(s, h2t_run(dis, c, i), name);
        if (s->len > before)
            g_string_append_c(s, '|');
    }
    return g_string_free(s, FALSE);
}

static inline bool
h2t_has_expert(const PeelPacket *pkt, const char *needle)
{
    for (uint32_t i = 0; i < pkt->n_experts; i++)
        if (strstr(pkt->experts[i].msg, needle) != NULL)
            return true;
    return false;
}
