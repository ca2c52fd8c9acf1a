/* fuzz-http.c: libFuzzer target for HTTP/1.x over arbitrary stream bytes.
 *
 * Input: records of u8 flags (bit 0: from the server, bit 1: FIN after the bytes, bit 2:
 * the next record's bytes are a gap, i.e. skipped by sequence number), u16 length
 * (big-endian), then the bytes. They become TCP segments of one connection on port 80
 * (IPv4, link type RAW), dissected in order with the tree and every field formatted, then
 * each frame is revisited from its per-frame records. http_scan() also runs over the
 * whole input as one message, as a response to GET, HEAD and CONNECT. */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "dissector.h"
#include "format.h"
#include "http-scan.h"
#include "linktype.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FRAMES 256

typedef struct {
    GByteArray *frames[MAX_FRAMES];
    uint32_t n;
} Frames;

static Frames *current;

static void
put16(GByteArray *b, uint16_t v)
{
    uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };
    g_byte_array_append(b, x, 2);
}

static void
put32(GByteArray *b, uint32_t v)
{
    uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    g_byte_array_append(b, x, 4);
}

static GByteArray *
segment(bool from_server, uint32_t seq, uint32_t ack, uint8_t flags, const uint8_t *p, uint32_t n)
{
    GByteArray *b = g_byte_array_sized_new(40 + n);
    const uint8_t head[] = { 0x45, 0x00 };
    g_byte_array_append(b, head, 2);
    put16(b, (uint16_t)(40 + n));
    put32(b, 0x00014000);
    const uint8_t ttl[] = { 64, 6, 0, 0 };
    g_byte_array_append(b, ttl, 4);
    put32(b, from_server ? 0x0a000002 : 0x0a000001);
    put32(b, from_server ? 0x0a000001 : 0x0a000002);
    put16(b, from_server ? 80 : 40000);
    put16(b, from_server ? 40000 : 80);
    put32(b, seq);
    put32(b, ack);
    const uint8_t off_flags[] = { 0x50, flags };
    g_byte_array_append(b, off_flags, 2);
    put16(b, 65535);
    put32(b, 0);
    g_byte_array_append(b, p, n);
    return b;
}

static bool
fetch(void *user, uint32_t frame, const uint8_t **data, uint32_t *len)
{
    (void)user;
    if (current == NULL || frame == 0 || frame > current->n)
        return false;
    *data = current->frames[frame - 1]->data;
    *len = current->frames[frame - 1]->len;
    return true;
}

static void
run(PeelDissector *dis, GByteArray *b, uint32_t number, GString *out)
{
    PeelFrameInfo fr = { .number = number,
        .ts = { 1000 + number, 0 },
        .cap_len = b->len,
        .len = b->len,
        .linktype = PEEL_LINKTYPE_RAW,
        .data = b->data };
    const PeelPacket *pkt = peel_dissector_run(dis, &fr);
    for (uint32_t i = 0; i < pkt->n_fields; i++) {
        g_string_truncate(out, 0);
        peel_format_tree_line(out, pkt, &pkt->fields[i]);
        peel_format_value(out, pkt, &pkt->fields[i]);
        g_assert(pkt->fields[i].parent < (int32_t)i);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static GString *out;
    static PeelArena arena;
    if (out == NULL) {
        out = g_string_sized_new(4096);
        peel_arena_init(&arena);
    }
    if (size > 1 << 20)
        return 0;

    /* The scanner alone, over everything. */
    HttpScan s;
    for (int answers = 0; answers <= HTTP_ANSWERS_CONNECT; answers++) {
        http_scan(&s, data, (uint32_t)size, answers, answers == 1, &arena);
        g_assert(s.end <= size);
        g_assert(!s.headers_done || s.headers_end <= size);
        for (uint32_t i = 0; i < s.n_headers; i++)
            g_assert(s.headers[i].line.off + s.headers[i].line.len <= size);
        g_assert(s.dechunked_len <= size);
        peel_arena_reset(&arena);
    }

    Frames f = { .n = 0 };
    uint32_t seq[2] = { 1000, 5000 };
    f.frames[f.n++] = segment(false, seq[0]++, 0, 0x02, NULL, 0);
    f.frames[f.n++] = segment(true, seq[1]++, seq[0], 0x12, NULL, 0);
    size_t i = 0;
    bool gap = false;
    while (i + 3 <= size && f.n < MAX_FRAMES) {
        uint8_t flags = data[i];
        uint32_t len = (uint32_t)data[i + 1] << 8 | data[i + 2];
        i += 3;
        if (len > size - i)
            len = (uint32_t)(size - i);
        if (len > 1460)
            len = 1460;
        int d = flags & 1;
        if (gap)
            seq[d] += len; /* these bytes are never captured */
        else {
            uint8_t tf = 0x18 | ((flags & 2) ? 0x01 : 0);
            f.frames[f.n++] = segment(d, seq[d], seq[!d], tf, data + i, len);
            seq[d] += len + ((flags & 2) ? 1 : 0);
        }
        gap = (flags & 4) != 0;
        i += len;
    }
    PeelDissector *dis = peel_dissector_new();
    peel_dissector_set_want_tree(dis, true);
    peel_dissector_keep_records(dis, true);
    current = &f;
    peel_dissector_set_frame_fetch(dis, fetch, NULL);
    for (uint32_t k = 0; k < f.n; k++)
        run(dis, f.frames[k], k + 1, out);
    for (uint32_t k = 0; k < f.n; k++) /* revisits */
        run(dis, f.frames[k], k + 1, out);
    peel_dissector_free(dis);
    current = NULL;
    for (uint32_t k = 0; k < f.n; k++)
        g_byte_array_unref(f.frames[k]);
    return 0;
}
