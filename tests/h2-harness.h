/* h2-harness.h: hand-built HTTP/2 connections for the HTTP/2 and gRPC unit tests: a
 * peel-test TCP conversation between 10.0.0.1:40000 (client) and 10.0.0.2:50051 (server),
 * HTTP/2 frames, and header blocks encoded with libnghttp2's HPACK deflater. */
#pragma once

#include <glib.h>
#include <nghttp2/nghttp2.h>
#include <string.h>

#include "peel-test.h"

#define H2T_PORT 50051

typedef struct {
    PeelTestConv *tcp;
    nghttp2_hd_deflater *def[2];
} H2Cap;

/* A PSH-ACK segment from the client (from_server false) or the server. */
static inline void
h2t_segment(H2Cap *c, bool from_server, const uint8_t *payload, size_t n)
{
    peel_test_conv_segment(c->tcp, from_server ? PEEL_TEST_SERVER : PEEL_TEST_CLIENT,
            PEEL_TEST_PSH | PEEL_TEST_ACK, payload, n);
}

/* A connection to the server on `port`, handshake done. */
static inline H2Cap *
h2t_new_port(uint16_t port)
{
    H2Cap *c = g_new0(H2Cap, 1);
    c->tcp = peel_test_conv_new(port, 100, 500);
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
    peel_test_conv_free(c->tcp);
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

/* The values of `name` in pkt, comma-separated, appended to s (after a ',' unless s is
 * empty or ends in '|'). */
static inline void
h2t_values(GString *s, const PeelPacket *pkt, const char *name)
{
    g_autofree char *v = peel_test_values(pkt, name);
    if (*v != '\0' && s->len && s->str[s->len - 1] != '|')
        g_string_append_c(s, ',');
    g_string_append(s, v);
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
    for (uint32_t i = 1; i <= c->tcp->frames->len; i++) {
        gsize before = s->len;
        h2t_values(s, peel_test_conv_run(dis, c->tcp, i), name);
        if (s->len > before)
            g_string_append_c(s, '|');
    }
    return g_string_free(s, FALSE);
}
