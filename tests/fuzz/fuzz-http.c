/* fuzz-http.c: libFuzzer target for HTTP/1.x over arbitrary stream bytes.
 *
 * Input: records of u8 flags (bit 0: from the server, bit 1: FIN after the bytes, bit 2:
 * the next record's bytes are a gap, i.e. skipped by sequence number, bit 3: a RST from
 * that side after the segment), u16 length (big-endian), then the bytes. They become TCP
 * segments of one connection on port 80 (IPv4, link type RAW), dissected in order with the
 * tree and every field formatted, the capture ended (peel_dissector_finish), then each
 * frame is revisited from its per-frame records; then all again without tree or fields,
 * as summary lines run. http_scan() also runs over the
 * whole input as one message, as a response to GET, HEAD and CONNECT. */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "dissector.h"
#include "http-scan.h"
#include "peel-test.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
end_note(void *user, const PeelPacket *pkt)
{
    GString *out = user;
    peel_test_format_fields(pkt, out);
    for (uint32_t e = 0; e < pkt->n_experts; e++)
        g_string_append(out, pkt->experts[e].msg);
}

#define MAX_FRAMES 256

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

    PeelTestConv *c = peel_test_conv_new(80, 1000, 5000);
    size_t i = 0;
    bool gap = false;
    while (i + 3 <= size && c->frames->len < MAX_FRAMES) {
        uint8_t flags = data[i];
        uint32_t len = (uint32_t)data[i + 1] << 8 | data[i + 2];
        i += 3;
        if (len > size - i)
            len = (uint32_t)(size - i);
        if (len > 1460)
            len = 1460;
        PeelTestSide d = (flags & 1) ? PEEL_TEST_SERVER : PEEL_TEST_CLIENT;
        if (gap)
            c->seq[d] += len; /* these bytes are never captured */
        else
            peel_test_conv_segment(c, d,
                    PEEL_TEST_PSH | PEEL_TEST_ACK | ((flags & 2) ? PEEL_TEST_FIN : 0), data + i,
                    len);
        gap = (flags & 4) != 0;
        if ((flags & 8) && c->frames->len < MAX_FRAMES)
            peel_test_conv_segment(c, d, PEEL_TEST_RST | PEEL_TEST_ACK, NULL, 0);
        i += len;
    }
    PeelDissector *dis = peel_dissector_new();
    peel_dissector_set_want_tree(dis, true);
    peel_dissector_keep_records(dis, true);
    peel_test_conv_fetch(dis, c);
    for (uint32_t k = 1; k <= c->frames->len; k++)
        peel_test_format_fields(peel_test_conv_run(dis, c, k), out);
    peel_dissector_finish(dis, end_note, out);
    for (uint32_t k = 1; k <= c->frames->len; k++) /* revisits */
        peel_test_format_fields(peel_test_conv_run(dis, c, k), out);
    peel_dissector_free(dis);
    /* Once more as summary lines run: no tree, no fields (the shallow paths). */
    PeelDissector *lean = peel_dissector_new();
    peel_dissector_set_record_fields(lean, false);
    for (uint32_t k = 1; k <= c->frames->len; k++) {
        const PeelPacket *pkt = peel_test_conv_run(lean, c, k);
        g_assert(pkt->n_fields == 0);
        g_string_append_len(out, pkt->info, pkt->info_len);
    }
    peel_dissector_free(lean);
    g_string_truncate(out, 0);
    peel_test_conv_free(c);
    return 0;
}
