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
#include "peel-test.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static GString *out;
    if (out == NULL)
        out = g_string_sized_new(4096);
    if (size < 1 || size > 1u << 20)
        return 0;
    uint8_t opt = data[0];
    PeelTestConv *c = peel_test_conv_new(8080, 100, 5000);
    size_t at = 1;
    while (at + 3 <= size && c->frames->len < 203) {
        uint8_t f = data[at];
        uint32_t n = (uint32_t)data[at + 1] << 8 | data[at + 2];
        at += 3;
        n = MIN(n, (uint32_t)(size - at));
        n = MIN(n, 16384u);
        PeelTestSide dir = (f & 1) ? PEEL_TEST_SERVER : PEEL_TEST_CLIENT;
        if (f & 2)
            c->seq[dir] += 1 + (f >> 4);
        peel_test_conv_segment(c, dir, PEEL_TEST_PSH | PEEL_TEST_ACK, data + at, n);
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
        peel_test_conv_fetch(dis, c);
    }
    for (uint32_t i = 1; i <= c->frames->len; i++)
        peel_test_format_fields(peel_test_conv_run(dis, c, i), out);
    if (opt & 1)
        for (uint32_t i = c->frames->len; i >= 1; i--)
            peel_test_format_fields(peel_test_conv_run(dis, c, i), out);
    peel_dissector_free(dis);
    peel_test_conv_free(c);
    return 0;
}
