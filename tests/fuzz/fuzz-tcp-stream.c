/* fuzz-tcp-stream.c: libFuzzer target feeding arbitrary segment sequences through the TCP
 * reassembler (one direction), checking that what it delivers is in order, that held
 * bytes stay under their bound and that nothing is delivered twice.
 *
 * Input: a 4-byte initial sequence number, then records of
 *   u16 offset from the ISN (big-endian), u8 length, u8 flags (bit 0 FIN, bit 1 skip a
 *   gap after this segment), then `length` data bytes. */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "tcp-stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    uint64_t delivered;
    uint32_t next;
    bool have_next;
    bool fin;
} Check;

static void
sink(void *user, PeelStreamEvent ev, const uint8_t *bytes, uint32_t len, uint32_t seq,
        uint32_t frame, uint32_t frame_off)
{
    Check *c = user;
    (void)bytes;
    (void)frame;
    (void)frame_off;
    g_assert(!c->fin); /* nothing after FIN */
    if (ev == PEEL_STREAM_FIN) {
        c->fin = true;
        return;
    }
    if (c->have_next)
        g_assert(seq == c->next); /* runs and gaps follow one another exactly */
    c->next = seq + len;
    c->have_next = true;
    if (ev == PEEL_STREAM_DATA)
        c->delivered += len;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    uint32_t isn = (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 | (uint32_t)data[2] << 8 |
                   data[3];
    PeelTcpStream s;
    peel_tcp_stream_init(&s, 4096); /* small, so the bound is exercised */
    Check c = { 0 };
    size_t i = 4;
    uint32_t frame = 1;
    while (i + 4 <= size) {
        uint32_t off = (uint32_t)data[i] << 8 | data[i + 1];
        uint32_t len = data[i + 2];
        uint8_t flags = data[i + 3];
        i += 4;
        if (len > size - i)
            len = (uint32_t)(size - i);
        peel_tcp_stream_add(&s, isn + off, data + i, len, flags & 1, frame++, 0, sink, &c);
        g_assert(s.held_bytes <= 4096 + 255);
        if (flags & 2)
            peel_tcp_stream_skip_gap(&s, sink, &c);
        i += len;
    }
    while (peel_tcp_stream_skip_gap(&s, sink, &c))
        ;
    g_assert(s.held_bytes == 0);
    g_assert(c.delivered == s.delivered);
    peel_tcp_stream_clear(&s);
    return 0;
}
