/* fuzz-websocket.c: libFuzzer target for WebSocket over arbitrary stream bytes. The bytes
 * become TCP segments of one connection whose first server line negotiates the
 * extensions (as HTTP's 101 would), then WebSocket from the next byte; every frame is
 * dissected, every field formatted, then every frame revisited from its records.
 *
 * Input: one selector byte (bits 0-2 pick the negotiated extensions below; bit 3 leaves
 * fields off, as summary output runs; bit 4: the extensions are the input's own bytes up to
 * its first newline instead), then records of
 *   u8 flags (bit 0: from the client, bit 1: skip 64 bytes of sequence space, a gap),
 *   u16 length (big-endian), then `length` bytes of stream. */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "dissector.h"
#include "peel-test.h"
#include "proto-websocket.h"
#include "protos.h"
#include "registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const extensions[] = {
    "",
    "permessage-deflate",
    "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
    "permessage-deflate; server_max_window_bits=9; client_max_window_bits=8",
    "permessage-deflate; client_max_window_bits",
    "x-webkit-deflate-frame, permessage-deflate; server_max_window_bits=15",
    "permessage-deflate; server_max_window_bits=99; client_max_window_bits=\"10\"",
    "foo; permessage-deflate",
};

/* The upgrade stand-in: the server's first line ("EXT ...\n") sets the extensions. */
static void
up_dissect(PeelReader *rd, PeelPacket *pkt)
{
    uint32_t got = 0;
    const uint8_t *p = peel_reader_peek_bytes(rd, 0, peel_reader_remaining(rd), &got);
    char *ext = g_strndup(p && got > 4 ? (const char *)p + 4 : "", got > 5 ? got - 5 : 0);
    peel_websocket_set_extensions(pkt, ext);
    g_free(ext);
    peel_tcp_set_app(pkt, &peel_proto_websocket);
}

static const PeelFieldDef up_fields[1] = {
    { "fuzzup.line", "Line", PEEL_FT_STRING },
};

static const PeelProto up_proto = {
    .name = "fuzzup",
    .title = "Upgrade stand-in",
    .fields = up_fields,
    .n_fields = 1,
    .dissect = up_dissect,
    .pdu_len = peel_test_line_pdu_len,
    .handoffs = { { PEEL_TABLE_TCP_PORT, 7778 } },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static GString *out;
    if (out == NULL) {
        peel_registry_add_extra(&up_proto);
        peel_registry_init();
        out = g_string_sized_new(4096);
    }
    if (size < 1 || size > 1u << 20)
        return 0;
    PeelTestConv *c = peel_test_conv_new(7778, 100, 500);
    size_t i = 1;
    g_autofree char *own = NULL;
    const char *ext = extensions[data[0] & 7];
    if (data[0] & 0x10) {
        const uint8_t *nl = memchr(data + 1, '\n', MIN(size - 1, 256));
        size_t n = nl ? (size_t)(nl - data - 1) : 0;
        own = g_strndup((const char *)data + 1, n); /* stops at a NUL byte too */
        ext = own;
        i += nl ? n + 1 : 0;
    }
    g_autofree char *line = g_strdup_printf("EXT %s\n", ext);
    peel_test_conv_segment(c, PEEL_TEST_SERVER, PEEL_TEST_PSH | PEEL_TEST_ACK, line, strlen(line));
    while (i + 3 <= size) {
        uint8_t flags = data[i];
        size_t len = (size_t)data[i + 1] << 8 | data[i + 2];
        i += 3;
        if (len > size - i)
            len = size - i;
        PeelTestSide from = (flags & 1) ? PEEL_TEST_CLIENT : PEEL_TEST_SERVER;
        if (flags & 2)
            c->seq[from] += 64;
        peel_test_conv_segment(c, from, PEEL_TEST_PSH | PEEL_TEST_ACK, data + i, len);
        i += len;
    }
    PeelDissector *dis = peel_dissector_new();
    peel_dissector_keep_records(dis, true);
    peel_test_conv_fetch(dis, c);
    peel_dissector_set_want_tree(dis, true);
    if (data[0] & 8)
        peel_dissector_set_record_fields(dis, false);
    for (uint32_t n = 1; n <= c->frames->len; n++)
        peel_test_format_fields(peel_test_conv_run(dis, c, n), out);
    for (uint32_t n = c->frames->len; n >= 1; n--) /* revisits, last first */
        peel_test_format_fields(peel_test_conv_run(dis, c, n), out);
    peel_dissector_free(dis);
    peel_test_conv_free(c);
    return 0;
}
