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
#include "peel-test.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FRAMES 256

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
    PeelTestConv *c = peel_test_conv_new(5672, 1000, 5000);
    uint32_t max_seg = 1u << (2 + 2 * (ctl & 7)); /* 4 .. 65536 */
    uint32_t rng = 0x9e3779b9u ^ (uint32_t)size;
    size_t at = 0;
    PeelTestSide dir = PEEL_TEST_CLIENT;
    bool dropped = false;
    while (at < size) {
        rng = rng * 1103515245u + 12345u;
        uint32_t n = 1 + (rng >> 8) % max_seg;
        if (n > size - at)
            n = (uint32_t)(size - at);
        bool lose = (ctl & 0x40) && !dropped && at > 0 && ((rng >> 4) & 3) == 0;
        dropped |= lose;
        if (c->frames->len < MAX_FRAMES) {
            if (lose)
                c->seq[dir] += n; /* never captured: the engine sees a gap */
            else
                peel_test_conv_segment(c, dir, PEEL_TEST_PSH | PEEL_TEST_ACK, data + at, n);
        }
        at += n;
        if (ctl & 0x08)
            dir = (rng >> 20) & 1 ? PEEL_TEST_SERVER : PEEL_TEST_CLIENT;
    }
    PeelDissector *dis = peel_dissector_new();
    peel_dissector_set_want_tree(dis, true);
    peel_dissector_set_record_fields(dis, !(ctl & 0x10));
    peel_dissector_keep_records(dis, (ctl & 0x20) != 0);
    peel_test_conv_fetch(dis, c);
    for (uint32_t i = 1; i <= c->frames->len; i++)
        peel_test_format_fields(peel_test_conv_run(dis, c, i), out);
    if (ctl & 0x20)
        for (uint32_t i = c->frames->len; i >= 1; i--)
            peel_test_format_fields(peel_test_conv_run(dis, c, i), out);
    peel_dissector_free(dis);
    peel_test_conv_free(c);
    return 0;
}
