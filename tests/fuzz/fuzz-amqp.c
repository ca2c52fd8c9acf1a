/* fuzz-amqp.c: libFuzzer target feeding arbitrary stream bytes to the AMQP dissector
 * through the TCP engine (port 5672), so pdu_len, reassembly across segments, per-channel
 * body state and the records of a revisit all run on hostile input.
 *
 * Input: one control byte (bits 0-2: segment size class, bit 3: the server also talks,
 * bit 4: fields not kept, bit 5: revisit every frame afterwards, bit 6: drop one segment),
 * then the stream bytes, cut into segments of pseudo-random sizes. */
#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dissector.h"
#include "format.h"
#include "linktype.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FRAMES 256

typedef struct {
    GByteArray *frames[MAX_FRAMES];
    uint32_t n;
    uint32_t seq[2];
} Stream;

static void
put(GByteArray *b, uint32_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--) {
        uint8_t x = (uint8_t)(v >> (8 * i));
        g_byte_array_append(b, &x, 1);
    }
}

static void
segment(Stream *s, int dir, const uint8_t *data, uint32_t n, uint8_t flags, bool lost)
{
    if (s->n == MAX_FRAMES)
        return;
    GByteArray *b = g_byte_array_new();
    put(b, 0x4500, 2);
    put(b, 40 + n, 2);
    put(b, 0x00014000, 4);
    put(b, 0x40060000, 4);
    put(b, dir ? 0x0a000002 : 0x0a000001, 4);
    put(b, dir ? 0x0a000001 : 0x0a000002, 4);
    put(b, dir ? 5672 : 40000, 2);
    put(b, dir ? 40000 : 5672, 2);
    put(b, s->seq[dir], 4);
    put(b, s->seq[!dir], 4);
    put(b, 0x5000 | flags, 2);
    put(b, 0xffff0000, 4);
    put(b, 0, 2);
    g_byte_array_append(b, data, n);
    s->seq[dir] += n + ((flags & 0x02) ? 1 : 0);
    if (lost)
        g_byte_array_unref(b); /* never captured: the engine sees a gap */
    else
        s->frames[s->n++] = b;
}

static Stream *fetch_stream;

static bool
fetch(void *user, uint32_t frame, const uint8_t **data, uint32_t *len)
{
    (void)user;
    if (frame == 0 || frame > fetch_stream->n)
        return false;
    *data = fetch_stream->frames[frame - 1]->data;
    *len = fetch_stream->frames[frame - 1]->len;
    return true;
}

static void
run(PeelDissector *dis, Stream *s, uint32_t number, GString *out)
{
    PeelFrameInfo fr = { .number = number, .linktype = PEEL_LINKTYPE_RAW };
    fr.ts = (PeelTime){ 1000 + number, 0 };
    fr.cap_len = fr.len = s->frames[number - 1]->len;
    fr.data = s->frames[number - 1]->data;
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
    if (size < 1 || size > 65536)
        return 0;
    uint8_t ctl = data[0];
    data++;
    size--;
    Stream s = { .seq = { 1000, 5000 } };
    segment(&s, 0, NULL, 0, 0x02, false);
    segment(&s, 1, NULL, 0, 0x12, false);
    segment(&s, 0, NULL, 0, 0x10, false);
    uint32_t max_seg = 1u << (2 + 2 * (ctl & 7)); /* 4 .. 65536 */
    uint32_t rng = 0x9e3779b9u ^ (uint32_t)size;
    size_t at = 0;
    int dir = 0;
    bool dropped = false;
    while (at < size) {
        rng = rng * 1103515245u + 12345u;
        uint32_t n = 1 + (rng >> 8) % max_seg;
        if (n > size - at)
            n = (uint32_t)(size - at);
        bool lose = (ctl & 0x40) && !dropped && at > 0 && ((rng >> 4) & 3) == 0;
        dropped |= lose;
        segment(&s, dir, data + at, n, 0x18, lose);
        at += n;
        if (ctl & 0x08)
            dir = (rng >> 20) & 1;
    }
    PeelDissector *dis = peel_dissector_new();
    peel_dissector_set_want_tree(dis, true);
    peel_dissector_set_record_fields(dis, !(ctl & 0x10));
    peel_dissector_keep_records(dis, (ctl & 0x20) != 0);
    fetch_stream = &s;
    peel_dissector_set_frame_fetch(dis, fetch, NULL);
    for (uint32_t i = 1; i <= s.n; i++)
        run(dis, &s, i, out);
    if (ctl & 0x20)
        for (uint32_t i = s.n; i >= 1; i--)
            run(dis, &s, i, out);
    peel_dissector_free(dis);
    for (uint32_t i = 0; i < s.n; i++)
        g_byte_array_unref(s.frames[i]);
    return 0;
}
