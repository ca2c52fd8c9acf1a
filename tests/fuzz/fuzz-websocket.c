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
#include "format.h"
#include "linktype.h"
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
static uint32_t
up_pdu_len(const PeelReader *rd, PeelPacket *pkt)
{
    (void)pkt;
    uint32_t got = 0;
    const uint8_t *p = peel_reader_peek_bytes(rd, 0, peel_reader_captured(rd), &got);
    const uint8_t *nl = p ? memchr(p, '\n', got) : NULL;
    return nl ? (uint32_t)(nl - p) + 1 : 0;
}

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
    .pdu_len = up_pdu_len,
    .handoffs = { { PEEL_TABLE_TCP_PORT, 7778 } },
};

static GPtrArray *frames; /* GByteArray per frame of the current input */

static bool
fetch(void *user, uint32_t frame, const uint8_t **out, uint32_t *len)
{
    (void)user;
    if (frame == 0 || frame > frames->len)
        return false;
    GByteArray *b = g_ptr_array_index(frames, frame - 1);
    *out = b->data;
    *len = b->len;
    return true;
}

static void
put(GByteArray *b, uint32_t v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        uint8_t x = (uint8_t)(v >> (8 * i));
        g_byte_array_append(b, &x, 1);
    }
}

static void
add_segment(uint32_t *seq, bool to_server, uint8_t flags, const uint8_t *p, size_t n)
{
    GByteArray *b = g_byte_array_new();
    put(b, 0x4500, 2);
    put(b, (uint32_t)(40 + n), 2);
    put(b, 0x00014000, 4);
    put(b, 0x40060000, 4);
    put(b, to_server ? 0x0a000001 : 0x0a000002, 4);
    put(b, to_server ? 0x0a000002 : 0x0a000001, 4);
    put(b, to_server ? 40000 : 7778, 2);
    put(b, to_server ? 7778 : 40000, 2);
    put(b, seq[!to_server], 4);
    put(b, seq[to_server], 4);
    put(b, 0x5000u | flags, 2);
    put(b, 65535, 2);
    put(b, 0, 4);
    g_byte_array_append(b, p, (guint)n);
    g_ptr_array_add(frames, b);
    seq[!to_server] += (uint32_t)n + ((flags & 0x02) ? 1 : 0);
}

static void
run_one(PeelDissector *dis, uint32_t number, GString *out)
{
    GByteArray *b = g_ptr_array_index(frames, number - 1);
    PeelFrameInfo fr = { .number = number, .ts = { 1000 + number, 0 }, .cap_len = b->len,
        .len = b->len, .linktype = PEEL_LINKTYPE_RAW, .data = b->data };
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
    if (out == NULL) {
        peel_registry_add_extra(&up_proto);
        peel_registry_init();
        out = g_string_sized_new(4096);
        frames = g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref);
    }
    if (size < 1 || size > 1u << 20)
        return 0;
    g_ptr_array_set_size(frames, 0);
    uint32_t seq[2] = { 100, 500 };
    add_segment(seq, true, 0x02, NULL, 0);
    add_segment(seq, false, 0x12, NULL, 0);
    add_segment(seq, true, 0x10, NULL, 0);
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
    add_segment(seq, false, 0x18, (const uint8_t *)line, strlen(line));
    while (i + 3 <= size) {
        uint8_t flags = data[i];
        size_t len = (size_t)data[i + 1] << 8 | data[i + 2];
        i += 3;
        if (len > size - i)
            len = size - i;
        bool to_server = flags & 1;
        if (flags & 2)
            seq[!to_server] += 64;
        add_segment(seq, to_server, 0x18, data + i, len);
        i += len;
    }
    PeelDissector *dis = peel_dissector_new();
    peel_dissector_keep_records(dis, true);
    peel_dissector_set_frame_fetch(dis, fetch, NULL);
    peel_dissector_set_want_tree(dis, true);
    if (data[0] & 8)
        peel_dissector_set_record_fields(dis, false);
    for (uint32_t n = 1; n <= frames->len; n++)
        run_one(dis, n, out);
    for (uint32_t n = frames->len; n >= 1; n--) /* revisits, last first */
        run_one(dis, n, out);
    peel_dissector_free(dis);
    return 0;
}
