/* fuzz-http2.c: libFuzzer target for the HTTP/2 frame layer (and gRPC above it) on a
 * whole TCP connection: arbitrary segments both ways through TCP reassembly, PDU cutting,
 * HPACK, stream state and gRPC message reassembly; then, when asked, every frame again as
 * a revisit from the per-frame records.
 *
 * Input: one option byte (bit 0: keep records and revisit every frame at the end; bit 1:
 * the port is decoded as HTTP/2 instead of found by the heuristic; bit 2: no field list,
 * as summary output runs), then records of
 *   u8 flags (bit 0: from the server; bit 1: leave out 1-16 bytes before this segment,
 *   a gap), u16 length (big-endian), then `length` payload bytes.
 * At most 200 segments of at most 16 KiB each. */
#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dissector.h"
#include "format.h"
#include "linktype.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    GPtrArray *frames;
    uint32_t seq[2];
} Conn;

static void
put(GByteArray *b, uint32_t v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        uint8_t x = (uint8_t)(v >> (8 * i));
        g_byte_array_append(b, &x, 1);
    }
}

static void
segment(Conn *c, int from_server, uint8_t flags, const uint8_t *p, uint32_t n)
{
    GByteArray *b = g_byte_array_sized_new(40 + n);
    put(b, 0x4500, 2);
    put(b, 40 + n, 2);
    put(b, 0x00014000, 4);
    put(b, 0x40060000, 4);
    put(b, from_server ? 0x0a000002 : 0x0a000001, 4);
    put(b, from_server ? 0x0a000001 : 0x0a000002, 4);
    put(b, from_server ? 8080 : 40000, 2);
    put(b, from_server ? 40000 : 8080, 2);
    put(b, c->seq[from_server], 4);
    put(b, (flags & 0x10) ? c->seq[!from_server] : 0, 4);
    put(b, 0x5000 | flags, 2);
    put(b, 0xffff, 2);
    put(b, 0, 4);
    if (n)
        g_byte_array_append(b, p, n);
    c->seq[from_server] += n + ((flags & 0x02) ? 1 : 0);
    g_ptr_array_add(c->frames, b);
}

static Conn *fetch_conn;

static bool
fetch(void *user, uint32_t frame, const uint8_t **data, uint32_t *len)
{
    (void)user;
    if (frame == 0 || frame > fetch_conn->frames->len)
        return false;
    GByteArray *b = g_ptr_array_index(fetch_conn->frames, frame - 1);
    *data = b->data;
    *len = b->len;
    return true;
}

static void
run(PeelDissector *dis, Conn *c, uint32_t number, GString *out)
{
    GByteArray *b = g_ptr_array_index(c->frames, number - 1);
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
    if (out == NULL)
        out = g_string_sized_new(4096);
    if (size < 1 || size > 1u << 20)
        return 0;
    uint8_t opt = data[0];
    Conn c = { .frames = g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref),
        .seq = { 100, 5000 } };
    segment(&c, 0, 0x02, NULL, 0);
    segment(&c, 1, 0x12, NULL, 0);
    segment(&c, 0, 0x10, NULL, 0);
    size_t at = 1;
    while (at + 3 <= size && c.frames->len < 203) {
        uint8_t f = data[at];
        uint32_t n = (uint32_t)data[at + 1] << 8 | data[at + 2];
        at += 3;
        n = MIN(n, (uint32_t)(size - at));
        n = MIN(n, 16384u);
        int dir = f & 1;
        if (f & 2)
            c.seq[dir] += 1 + (f >> 4);
        segment(&c, dir, 0x18, data + at, n);
        at += n;
    }
    PeelDissector *dis = peel_dissector_new();
    peel_dissector_set_want_tree(dis, true);
    if (opt & 4)
        peel_dissector_set_record_fields(dis, false);
    if (opt & 2)
        peel_dissector_decode_as(dis, "tcp.port==8080,http2", NULL);
    if (opt & 1) {
        peel_dissector_keep_records(dis, true);
        fetch_conn = &c;
        peel_dissector_set_frame_fetch(dis, fetch, NULL);
    }
    for (uint32_t i = 1; i <= c.frames->len; i++)
        run(dis, &c, i, out);
    if (opt & 1)
        for (uint32_t i = c.frames->len; i >= 1; i--)
            run(dis, &c, i, out);
    peel_dissector_free(dis);
    g_ptr_array_unref(c.frames);
    return 0;
}
