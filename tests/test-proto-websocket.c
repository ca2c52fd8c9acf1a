/* test-proto-websocket.c: WebSocket frames and messages through the engine over crafted
 * TCP segments (decode-as, or a test upgrade protocol standing in for HTTP's 101 that sets
 * the negotiated extensions), and over the websocket samples. */
#include <glib.h>
#include <string.h>
#include <zlib.h>

#include "dissector.h"
#include "json-check.h"
#include "peel-run.h"
#include "peel-test.h"
#include "proto-websocket.h"
#include "protos.h"
#include "registry.h"
#include "source.h"

/* ---- a stand-in for HTTP's upgrade: "EXT <extensions>\n" switches to WebSocket ---- */

enum { F_EXT, N_F };
static const PeelFieldDef up_fields[N_F] = {
    [F_EXT] = { "wstestup.ext", "Extensions", PEEL_FT_STRING },
};

static void
up_dissect(PeelReader *rd, PeelPacket *pkt)
{
    uint32_t n = peel_reader_remaining(rd);
    const uint8_t *p = peel_add_string(pkt, rd, F_EXT, n);
    if (p == NULL || n < 5)
        return;
    char *ext = g_strndup((const char *)p + 4, n - 5);
    peel_websocket_set_extensions(pkt, ext);
    g_free(ext);
    peel_tcp_set_app(pkt, &peel_proto_websocket);
}

static const PeelProto up_proto = {
    .name = "wstestup",
    .title = "WebSocket upgrade stand-in",
    .fields = up_fields,
    .n_fields = N_F,
    .dissect = up_dissect,
    .pdu_len = peel_test_line_pdu_len,
    .handoffs = { { PEEL_TABLE_TCP_PORT, 7778 } },
};

/* A stand-in for a real HTTP handshake in the samples: cuts at the blank line, and on
 * the 101 response reads Sec-WebSocket-Extensions. */
static void
hs_dissect(PeelReader *rd, PeelPacket *pkt)
{
    uint32_t n = peel_reader_remaining(rd);
    const uint8_t *p = peel_add_string(pkt, rd, F_EXT, n);
    if (p == NULL || n < 12 || memcmp(p, "HTTP/1.1 101", 12) != 0)
        return;
    g_autofree char *head = g_strndup((const char *)p, n);
    char *ext = strstr(head, "Sec-WebSocket-Extensions: ");
    if (ext != NULL) {
        ext += strlen("Sec-WebSocket-Extensions: ");
        ext[strcspn(ext, "\r\n")] = '\0';
    }
    peel_websocket_set_extensions(pkt, ext);
    peel_tcp_set_app(pkt, &peel_proto_websocket);
}

static const PeelProto hs_proto = {
    .name = "wstesths",
    .title = "HTTP handshake stand-in",
    .fields = up_fields,
    .n_fields = N_F,
    .dissect = hs_dissect,
    .pdu_len = peel_test_head_pdu_len,
};

/* ---- IPv4/TCP frames (peel-test.h): client 10.0.0.1:40000, server 10.0.0.2:PORT ---- */

static PeelTestConv *
capture_new(uint16_t port)
{
    return peel_test_conv_new(port, 100, 500);
}

/* A dissector over c with records kept (for revisits). */
static PeelDissector *
dissector_plain(PeelTestConv *c)
{
    PeelDissector *dis = peel_dissector_new();
    peel_dissector_keep_records(dis, true);
    peel_test_conv_fetch(dis, c);
    return dis;
}

/* The same with WebSocket by decode-as on 7777. */
static PeelDissector *
dissector_for(PeelTestConv *c)
{
    PeelDissector *dis = dissector_plain(c);
    g_autoptr(GError) error = NULL;
    g_assert_true(peel_dissector_decode_as(dis, "tcp.port==7777,websocket", &error));
    return dis;
}

/* The first occurrence's byte length (strings, bytes). */
static uint32_t
field_len(const PeelPacket *pkt, const char *name)
{
    int id = peel_field_lookup(name);
    for (uint32_t i = 0; i < pkt->n_fields; i++)
        if (pkt->fields[i].id == (uint32_t)id)
            return pkt->fields[i].v.b.len;
    g_assert_not_reached();
    return 0;
}

static const uint8_t *
field_bytes(const PeelPacket *pkt, const char *name)
{
    int id = peel_field_lookup(name);
    for (uint32_t i = 0; i < pkt->n_fields; i++)
        if (pkt->fields[i].id == (uint32_t)id)
            return pkt->fields[i].v.b.ptr;
    g_assert_not_reached();
    return NULL;
}

/* Expert notes WebSocket added (the crafted IP headers carry no checksum). */
static guint
ws_experts(const PeelPacket *pkt)
{
    guint n = 0;
    int ws = peel_registry_proto_index(&peel_proto_websocket);
    for (uint32_t i = 0; i < pkt->n_experts; i++)
        n += pkt->experts[i].proto == ws;
    return n;
}

/* ---- building frames ---- */

/* A frame header and payload, masked with `key` when key != NULL. */
static GByteArray *
ws_frame(uint8_t b0, const uint8_t *key, const void *payload, uint64_t n)
{
    GByteArray *b = g_byte_array_new();
    g_byte_array_append(b, &b0, 1);
    uint8_t mask = key ? 0x80 : 0;
    if (n < 126) {
        uint8_t b1 = mask | (uint8_t)n;
        g_byte_array_append(b, &b1, 1);
    } else if (n < 65536) {
        uint8_t b1 = mask | 126;
        g_byte_array_append(b, &b1, 1);
        peel_test_put16(b, (uint16_t)n);
    } else {
        uint8_t b1 = mask | 127;
        g_byte_array_append(b, &b1, 1);
        peel_test_put64(b, n);
    }
    if (key)
        g_byte_array_append(b, key, 4);
    guint at = b->len;
    g_byte_array_append(b, payload, (guint)n);
    if (key)
        for (uint64_t i = 0; i < n; i++)
            b->data[at + i] ^= key[i & 3];
    return b;
}

static void
add_frame(PeelTestConv *c, PeelTestSide from, uint8_t b0, const void *payload, size_t n, size_t seg)
{
    static const uint8_t key[4] = { 0x37, 0xfa, 0x21, 0x3d };
    g_autoptr(GByteArray) f = ws_frame(b0, from == PEEL_TEST_CLIENT ? key : NULL, payload, n);
    peel_test_conv_send(c, from, f->data, f->len, seg);
}

/* Raw deflate with a sync flush per message, the 4-byte tail cut (RFC 7692 7.2.1). */
typedef struct {
    z_stream z;
} Deflater;

static void
deflater_init(Deflater *d, int wbits)
{
    memset(d, 0, sizeof *d);
    g_assert_cmpint(deflateInit2(&d->z, 6, Z_DEFLATED, -wbits, 8, Z_DEFAULT_STRATEGY), ==, Z_OK);
}

static GByteArray *
deflater_message(Deflater *d, const void *in, size_t n)
{
    GByteArray *out = g_byte_array_new();
    d->z.next_in = (Bytef *)in;
    d->z.avail_in = (uInt)n;
    uint8_t buf[65536];
    do {
        d->z.next_out = buf;
        d->z.avail_out = sizeof buf;
        g_assert_cmpint(deflate(&d->z, Z_SYNC_FLUSH), !=, Z_STREAM_ERROR);
        g_byte_array_append(out, buf, (guint)(sizeof buf - d->z.avail_out));
    } while (d->z.avail_out == 0);
    g_assert_cmpuint(out->len, >=, 4);
    g_assert_cmpmem(out->data + out->len - 4, 4, "\x00\x00\xff\xff", 4);
    g_byte_array_set_size(out, out->len - 4);
    return out;
}

/* A connection on 7778 whose stand-in upgrade negotiated `ext`. */
static PeelTestConv *
deflate_capture(const char *ext)
{
    PeelTestConv *c = capture_new(7778);
    g_autofree char *line = g_strdup_printf("EXT %s\n", ext);
    peel_test_conv_send(c, PEEL_TEST_SERVER, line, strlen(line), 1000);
    return c;
}

/* ---- tests ---- */

static void
test_text_frames(void)
{
    PeelTestConv *c = capture_new(7777);
    add_frame(c, PEEL_TEST_SERVER, 0x81, "Hello", 5, 100);
    add_frame(c, PEEL_TEST_CLIENT, 0x81, "Hi back", 7, 100);
    g_autoptr(PeelDissector) dis = dissector_for(c);
    peel_test_conv_run_all(dis, c);
    const PeelPacket *pkt = peel_test_conv_run(dis, c, 4);
    g_assert_cmpstr(pkt->col_protocol, ==, "WebSocket");
    g_assert_cmpstr(pkt->info, ==, "WebSocket Text [FIN] ");
    peel_test_assert_values(pkt, "websocket.fin", "1");
    peel_test_assert_values(pkt, "websocket.rsv", "0x00");
    peel_test_assert_values(pkt, "websocket.opcode", "1");
    peel_test_assert_values(pkt, "websocket.mask", "0");
    peel_test_assert_values(pkt, "websocket.payload_length", "5");
    peel_test_assert_values(pkt, "websocket.payload.text", "Hello");
    peel_test_assert_values(pkt, "websocket.pmc", ""); /* not negotiated: not shown */
    pkt = peel_test_conv_run(dis, c, 5);
    g_assert_cmpstr(pkt->info, ==, "WebSocket Text [FIN] [MASKED]");
    peel_test_assert_values(pkt, "websocket.mask", "1");
    peel_test_assert_values(pkt, "websocket.masking_key", "37fa213d");
    peel_test_assert_values(pkt, "websocket.payload.text", "Hi back");
    peel_test_conv_free(c);
}

static void
test_header_split_across_segments(void)
{
    PeelTestConv *c = capture_new(7777);
    /* A masked 300-byte text frame (16-bit length), cut after 1, 3 and 6 header bytes. */
    char text[300];
    for (int i = 0; i < 300; i++)
        text[i] = (char)('a' + i % 26);
    static const uint8_t key[4] = { 1, 2, 3, 4 };
    g_autoptr(GByteArray) f = ws_frame(0x81, key, text, sizeof text);
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_ACK, f->data, 1);
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_ACK, f->data + 1, 2);
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_ACK, f->data + 3, 3);
    peel_test_conv_segment(
            c, PEEL_TEST_CLIENT, PEEL_TEST_ACK | PEEL_TEST_PSH, f->data + 6, f->len - 6);
    g_autoptr(PeelDissector) dis = dissector_for(c);
    const PeelPacket *pkt = NULL;
    for (uint32_t i = 1; i <= 6; i++) {
        pkt = peel_test_conv_run(dis, c, i);
        if (i >= 4)
            peel_test_assert_values(pkt, "websocket.opcode", "");
    }
    pkt = peel_test_conv_run(dis, c, 7);
    peel_test_assert_values(pkt, "websocket.payload_length", "126");
    peel_test_assert_values(pkt, "websocket.payload_length_ext_16", "300");
    peel_test_assert_values(pkt, "websocket.masking_key", "01020304");
    peel_test_assert_values(pkt, "tcp.segment", "4,5,6,7");
    g_assert_cmpuint(field_len(pkt, "websocket.payload.text"), ==, 300);
    g_assert_cmpmem(field_bytes(pkt, "websocket.payload.text"), 300, text, 300);
    peel_test_conv_free(c);
}

static void
test_64bit_length(void)
{
    PeelTestConv *c = capture_new(7777);
    size_t n = 70000;
    uint8_t *data = g_malloc(n);
    for (size_t i = 0; i < n; i++)
        data[i] = (uint8_t)(i * 7);
    add_frame(c, PEEL_TEST_CLIENT, 0x82, data, n, 1460);
    g_autoptr(PeelDissector) dis = dissector_for(c);
    const PeelPacket *pkt = peel_test_conv_run_all(dis, c);
    peel_test_assert_values(pkt, "websocket.payload_length", "127");
    peel_test_assert_values(pkt, "websocket.payload_length_ext_64", "70000");
    peel_test_assert_values(pkt, "websocket.opcode", "2");
    /* Unmasked whole and handed to data, as Wireshark does with binary messages. */
    g_assert_cmpuint(field_len(pkt, "data.data"), ==, n);
    g_assert_cmpmem(field_bytes(pkt, "data.data"), n, data, n);
    g_free(data);
    peel_test_conv_free(c);
}

static void
test_fragments_with_control_inside(void)
{
    PeelTestConv *c = capture_new(7777);
    add_frame(c, PEEL_TEST_CLIENT, 0x01, "one ", 4, 100);  /* 4: Text, not FIN */
    add_frame(c, PEEL_TEST_CLIENT, 0x89, "pi", 2, 100);    /* 5: Ping inside the message */
    add_frame(c, PEEL_TEST_SERVER, 0x8a, "pi", 2, 100);    /* 6: Pong the other way */
    add_frame(c, PEEL_TEST_CLIENT, 0x00, "two ", 4, 100);  /* 7: Continuation */
    add_frame(c, PEEL_TEST_CLIENT, 0x80, "three", 5, 100); /* 8: Continuation, FIN */
    g_autoptr(PeelDissector) dis = dissector_for(c);
    peel_test_conv_run_all(dis, c);
    /* A revisit of each frame shows what the first pass found (records). */
    const PeelPacket *pkt = peel_test_conv_run(dis, c, 4);
    g_assert_true(pkt->revisit);
    g_assert_cmpstr(pkt->info, ==, "WebSocket Text[FRAGMENT]  [MASKED]");
    peel_test_assert_values(pkt, "websocket.payload.text", "");
    pkt = peel_test_conv_run(dis, c, 5);
    peel_test_assert_values(pkt, "websocket.payload.ping", "7069");
    pkt = peel_test_conv_run(dis, c, 6);
    peel_test_assert_values(pkt, "websocket.payload.pong", "7069");
    pkt = peel_test_conv_run(dis, c, 7);
    peel_test_assert_values(pkt, "websocket.payload.continue", "74776f20");
    pkt = peel_test_conv_run(dis, c, 8);
    g_assert_cmpstr(pkt->info, ==, "WebSocket Continuation [FIN] [MASKED]");
    peel_test_assert_values(pkt, "websocket.payload.text", "one two three");
    peel_test_assert_values(pkt, "websocket.fragment", "4,7,8");
    peel_test_assert_values(pkt, "websocket.fragment.count", "3");
    peel_test_assert_values(pkt, "websocket.reassembled.length", "13");
    peel_test_conv_free(c);
}

static void
test_several_frames_in_one_segment(void)
{
    PeelTestConv *c = capture_new(7777);
    g_autoptr(GByteArray) a = ws_frame(0x02, NULL, "abc", 3);
    g_autoptr(GByteArray) b = ws_frame(0x80, NULL, "de", 2);
    g_byte_array_append(a, b->data, b->len);
    peel_test_conv_segment(c, PEEL_TEST_SERVER, PEEL_TEST_ACK | PEEL_TEST_PSH, a->data, a->len);
    g_autoptr(PeelDissector) dis = dissector_for(c);
    const PeelPacket *pkt = peel_test_conv_run_all(dis, c);
    /* As tshark 4.0: each frame of a segment sets the Info column, the last one stays. */
    g_assert_cmpstr(pkt->info, ==, "WebSocket Continuation [FIN] ");
    peel_test_assert_values(pkt, "websocket.opcode", "2,0");
    peel_test_assert_values(pkt, "websocket.fragment", "4,4");
    peel_test_assert_values(pkt, "data.data", "6162636465");
    pkt = peel_test_conv_run(dis, c, 4);
    g_assert_cmpstr(pkt->info, ==, "WebSocket Continuation [FIN] ");
    peel_test_assert_values(pkt, "data.data", "6162636465");
    peel_test_conv_free(c);
}

static void
test_close_codes(void)
{
    PeelTestConv *c = capture_new(7777);
    add_frame(c, PEEL_TEST_CLIENT, 0x88, "\x03\xe8", 2, 100);      /* 1000 */
    add_frame(c, PEEL_TEST_SERVER, 0x88, "\x03\xf0going", 7, 100); /* 1008 + reason */
    add_frame(c, PEEL_TEST_SERVER, 0x88, "\x03\xee", 2, 100);      /* 1006 on the wire */
    add_frame(c, PEEL_TEST_SERVER, 0x88, "\x03\xe9\xff", 3, 100);  /* bad UTF-8 reason */
    g_autoptr(PeelDissector) dis = dissector_for(c);
    peel_test_conv_run_all(dis, c);
    const PeelPacket *pkt = peel_test_conv_run(dis, c, 4);
    g_assert_cmpstr(pkt->info, ==, "WebSocket Connection Close [FIN] [MASKED]");
    peel_test_assert_values(pkt, "websocket.payload.close.status_code", "1000");
    g_assert_false(peel_test_packet_has_expert(pkt, "closed with status"));
    pkt = peel_test_conv_run(dis, c, 5);
    peel_test_assert_values(pkt, "websocket.payload.close.status_code", "1008");
    peel_test_assert_values(pkt, "websocket.payload.close.reason", "going");
    g_assert_true(peel_test_packet_has_expert(
            pkt, "connection closed with status 1008 (Policy Violation)"));
    pkt = peel_test_conv_run(dis, c, 6);
    g_assert_true(peel_test_packet_has_expert(pkt, "must not be sent in a close frame"));
    pkt = peel_test_conv_run(dis, c, 7);
    g_assert_true(peel_test_packet_has_expert(pkt, "close reason is not valid UTF-8"));
    peel_test_conv_free(c);
}

static void
test_text_checks(void)
{
    PeelTestConv *c = capture_new(7777);
    const char *json = " {\"a\": [1, -2.5e3, true, null, {\"b\": \"\\u00e9\"}], \"c\": {}} ";
    add_frame(c, PEEL_TEST_SERVER, 0x81, json, strlen(json), 1000);
    add_frame(c, PEEL_TEST_SERVER, 0x81, "{\"a\": }", 7, 1000);
    add_frame(c, PEEL_TEST_SERVER, 0x81, "bad \xc3\x28 utf8", 12, 1000);
    add_frame(c, PEEL_TEST_SERVER, 0x83, "??", 2, 1000);
    g_autoptr(PeelDissector) dis = dissector_for(c);
    peel_test_conv_run_all(dis, c);
    const PeelPacket *pkt = peel_test_conv_run(dis, c, 4);
    peel_test_assert_values(pkt, "websocket.payload.json", "object");
    pkt = peel_test_conv_run(dis, c, 5);
    peel_test_assert_values(pkt, "websocket.payload.json", "");
    pkt = peel_test_conv_run(dis, c, 6);
    g_assert_true(peel_test_packet_has_expert(pkt, "not valid UTF-8"));
    pkt = peel_test_conv_run(dis, c, 7);
    g_assert_cmpstr(pkt->info, ==, "WebSocket Unknown Opcode [FIN] ");
    peel_test_assert_values(pkt, "websocket.payload.unknown", "3f3f");
    g_assert_true(peel_test_packet_has_expert(pkt, "reserved opcode 3"));
    peel_test_conv_free(c);
}

static void
test_json_check(void)
{
    static const char *const good[] = {
        "{}",
        "[]",
        (" [1, -0.5e+3, \"a\\u00e9\\n\", true, false, "
         "null] "),
        "{\"a\": {\"b\": [[], {}]}}",
        "\n{\"k\":\"v\"}\r\n",
    };
    static const char *const bad[] = { "", "1", "\"s\"", "{", "{\"a\"}", "{\"a\":1,}",
        "[1 2]", "[01]", "[1.]", "[\"\x01\"]", "[\"\\x\"]", "{} {}", "[tru]", "{a:1}" };
    for (gsize i = 0; i < G_N_ELEMENTS(good); i++)
        g_assert_true(peel_json_container((const uint8_t *)good[i], (uint32_t)strlen(good[i])));
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++)
        g_assert_false(peel_json_container((const uint8_t *)bad[i], (uint32_t)strlen(bad[i])));
    /* Nesting: at the bound it is JSON, one deeper it is not taken for JSON. */
    GString *deep = g_string_new(NULL);
    for (guint i = 0; i < PEEL_JSON_MAX_DEPTH; i++)
        g_string_prepend_c(deep, '['), g_string_append_c(deep, ']');
    g_assert_true(peel_json_container((const uint8_t *)deep->str, (uint32_t)deep->len));
    g_string_prepend_c(deep, '[');
    g_string_append_c(deep, ']');
    g_assert_false(peel_json_container((const uint8_t *)deep->str, (uint32_t)deep->len));
    g_string_free(deep, TRUE);
}

static const char *const takeover_texts[] = {
    "The quick brown fox jumps over the lazy dog; the quick brown fox jumps again.",
    "The quick brown fox jumps over the lazy dog; the quick brown fox jumps again.",
    "and then the lazy dog jumps over the quick brown fox",
};

/* Three server messages compressed with one shared window: the second is a back
 * reference into the first. */
static void
test_context_takeover(void)
{
    PeelTestConv *c = deflate_capture("permessage-deflate");
    Deflater d;
    deflater_init(&d, 15);
    guint sizes[3];
    for (int i = 0; i < 3; i++) {
        g_autoptr(GByteArray) m = deflater_message(&d, takeover_texts[i],
                strlen(takeover_texts[i]));
        sizes[i] = m->len;
        add_frame(c, PEEL_TEST_SERVER, 0xc1, m->data, m->len, 1000);
    }
    deflateEnd(&d.z);
    g_assert_cmpuint(sizes[1], <, sizes[0] / 3); /* the window made it small */
    g_autoptr(PeelDissector) dis = dissector_plain(c);
    peel_test_conv_run_all(dis, c);
    for (int i = 0; i < 3; i++) {
        const PeelPacket *pkt = peel_test_conv_run(dis, c, 5 + (uint32_t)i);
        peel_test_assert_values(pkt, "websocket.pmc", "1");
        peel_test_assert_values(pkt, "websocket.rsv", "0x04");
        peel_test_assert_values(pkt, "websocket.payload.text", takeover_texts[i]);
        g_assert_cmpuint(ws_experts(pkt), ==, 0);
    }
    peel_test_conv_free(c);
}

/* With server_no_context_takeover each message is compressed on its own. */
static void
test_no_context_takeover(void)
{
    PeelTestConv *c = deflate_capture("permessage-deflate; server_no_context_takeover; "
                                      "server_max_window_bits=10");
    for (int i = 0; i < 2; i++) {
        Deflater d;
        deflater_init(&d, 10);
        g_autoptr(GByteArray) m = deflater_message(&d, takeover_texts[i],
                strlen(takeover_texts[i]));
        deflateEnd(&d.z);
        add_frame(c, PEEL_TEST_SERVER, 0xc1, m->data, m->len, 1000);
    }
    g_autoptr(PeelDissector) dis = dissector_plain(c);
    const PeelPacket *pkt = peel_test_conv_run_all(dis, c);
    peel_test_assert_values(pkt, "websocket.payload.text", takeover_texts[1]);
    pkt = peel_test_conv_run(dis, c, 5);
    peel_test_assert_values(pkt, "websocket.payload.text", takeover_texts[0]);
    peel_test_conv_free(c);
}

/* server_max_window_bits=8 negotiated, but zlib's deflate compresses with 2^9 bytes: a back
 * reference 300 bytes away still inflates. */
static void
test_window_bits_8(void)
{
    PeelTestConv *c = deflate_capture("permessage-deflate; server_max_window_bits=8");
    char text[601];
    for (int i = 0; i < 300; i++)
        text[i] = text[i + 300] = (char)('a' + (i * 7) % 26 + (i % 3 ? 0 : 'A' - 'a'));
    text[600] = '\0';
    Deflater d;
    deflater_init(&d, 9);
    g_autoptr(GByteArray) m = deflater_message(&d, text, 600);
    deflateEnd(&d.z);
    g_assert_cmpuint(m->len, <, 450); /* the repeat was a back reference */
    add_frame(c, PEEL_TEST_SERVER, 0xc1, m->data, m->len, 1000);
    g_autoptr(PeelDissector) dis = dissector_plain(c);
    const PeelPacket *pkt = peel_test_conv_run_all(dis, c);
    peel_test_assert_values(pkt, "websocket.payload.text", text);
    peel_test_conv_free(c);
}

/* A client message compressed, cut into three masked frames across segments, a ping in
 * between, then a second message that refers back into the first. */
static void
test_masked_fragmented_compressed(void)
{
    PeelTestConv *c = deflate_capture("permessage-deflate; client_max_window_bits=15");
    GString *text = g_string_new(NULL);
    for (int i = 0; i < 200; i++)
        g_string_append_printf(text, "line %d of a compressed fragmented message\n", i);
    Deflater d;
    deflater_init(&d, 15);
    g_autoptr(GByteArray) m = deflater_message(&d, text->str, text->len);
    guint third = m->len / 3;
    add_frame(c, PEEL_TEST_CLIENT, 0x41, m->data, third, 7);         /* RSV1, Text */
    add_frame(c, PEEL_TEST_CLIENT, 0x89, "x", 1, 100);               /* Ping */
    add_frame(c, PEEL_TEST_CLIENT, 0x00, m->data + third, third, 5); /* Continuation */
    add_frame(c, PEEL_TEST_CLIENT, 0x80, m->data + 2 * third, m->len - 2 * third, 9);
    uint32_t last_of_first = c->frames->len;
    g_autoptr(GByteArray) m2 = deflater_message(&d, text->str, 120);
    add_frame(c, PEEL_TEST_CLIENT, 0xc1, m2->data, m2->len, 1000);
    deflateEnd(&d.z);
    g_autoptr(PeelDissector) dis = dissector_plain(c);
    const PeelPacket *pkt = NULL;
    for (uint32_t i = 1; i <= c->frames->len; i++) {
        pkt = peel_test_conv_run(dis, c, i);
        if (i == last_of_first) {
            g_assert_cmpuint(field_len(pkt, "websocket.payload.text"), ==, text->len);
            g_assert_cmpmem(field_bytes(pkt, "websocket.payload.text"), text->len, text->str,
                    text->len);
            g_assert_true(strstr(pkt->info, "Continuation [FIN] [MASKED]") != NULL);
        }
    }
    peel_test_assert_values(pkt, "websocket.pmc", "1");
    g_assert_cmpuint(field_len(pkt, "websocket.payload.text"), ==, 120);
    /* A revisit of the message's last frame, without flow state. */
    pkt = peel_test_conv_run(dis, c, last_of_first);
    g_assert_true(pkt->revisit);
    g_assert_cmpuint(field_len(pkt, "websocket.payload.text"), ==, text->len);
    g_assert_cmpmem(field_bytes(pkt, "websocket.payload.text"), text->len, text->str, text->len);
    g_assert_cmpstr(pkt->sources[pkt->n_sources - 1].name, ==, "Decompressed payload");
    g_string_free(text, TRUE);
    peel_test_conv_free(c);
}

/* 64 MiB of zeros compress to about 64 KiB: inflating stops at the bound, says so, and
 * the window is given up for the messages after it. */
static void
test_decompression_bomb(void)
{
    PeelTestConv *c = deflate_capture("permessage-deflate");
    size_t n = 64u << 20;
    uint8_t *zeros = g_malloc0(n);
    Deflater d;
    deflater_init(&d, 15);
    g_autoptr(GByteArray) m = deflater_message(&d, zeros, n);
    g_free(zeros);
    g_assert_cmpuint(m->len, <, 200000);
    add_frame(c, PEEL_TEST_SERVER, 0xc2, m->data, m->len, 1460);
    uint32_t bomb = c->frames->len;
    g_autoptr(GByteArray) m2 = deflater_message(&d, "after", 5);
    deflateEnd(&d.z);
    add_frame(c, PEEL_TEST_SERVER, 0xc1, m2->data, m2->len, 1460);
    g_autoptr(PeelDissector) dis = dissector_plain(c);
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c, bomb);
    g_assert_true(peel_test_packet_has_expert(pkt, "decompression bomb"));
    g_assert_cmpuint(field_len(pkt, "data.data"), ==, PEEL_WS_MAX_INFLATE);
    pkt = peel_test_conv_run(dis, c, bomb + 1);
    g_assert_true(peel_test_packet_has_expert(pkt, "shared window is lost"));
    peel_test_assert_values(pkt, "websocket.payload.text", "");
    peel_test_conv_free(c);
}

/* Deflate data that is not deflate: the failure is noted, dissection goes on. */
static void
test_inflate_failure(void)
{
    PeelTestConv *c = deflate_capture("permessage-deflate; server_no_context_takeover");
    add_frame(c, PEEL_TEST_SERVER, 0xc1, "\xff\xff\xff\xff\xff", 5, 100);
    Deflater d;
    deflater_init(&d, 15);
    g_autoptr(GByteArray) m = deflater_message(&d, "fine", 4);
    deflateEnd(&d.z);
    add_frame(c, PEEL_TEST_SERVER, 0xc1, m->data, m->len, 100);
    g_autoptr(PeelDissector) dis = dissector_plain(c);
    peel_test_conv_run_all(dis, c);
    const PeelPacket *pkt = peel_test_conv_run(dis, c, 5);
    g_assert_true(peel_test_packet_has_expert(pkt, "Decompression failed"));
    pkt = peel_test_conv_run(dis, c, 6); /* no context takeover: the next message stands alone */
    peel_test_assert_values(pkt, "websocket.payload.text", "fine");
    peel_test_conv_free(c);
}

/* Protocol errors are noted and dissection goes on: a continuation with nothing to
 * continue, a new message inside a fragmented one (a compressed one takes the shared window
 * with it), RSV bits nobody negotiated, a fragmented or oversized control frame. */
static void
test_protocol_errors(void)
{
    PeelTestConv *c = deflate_capture("permessage-deflate");
    Deflater d;
    deflater_init(&d, 15);
    g_autoptr(GByteArray) m = deflater_message(&d, "abandoned message", 17);
    g_autoptr(GByteArray) m2 = deflater_message(&d, "next", 4);
    deflateEnd(&d.z);
    add_frame(c, PEEL_TEST_SERVER, 0x80, "x", 1, 100);            /* 5: orphan continuation */
    add_frame(c, PEEL_TEST_SERVER, 0x41, m->data, m->len, 100);   /* 6: compressed, not FIN */
    add_frame(c, PEEL_TEST_SERVER, 0xc1, m2->data, m2->len, 100); /* 7: a new message */
    add_frame(c, PEEL_TEST_SERVER, 0xa1, "y", 1, 100);            /* 8: RSV2 */
    add_frame(c, PEEL_TEST_SERVER, 0x09, "p", 1, 100);            /* 9: Ping without FIN */
    char big[126];
    memset(big, 'z', sizeof big);
    add_frame(c, PEEL_TEST_SERVER, 0x8a, big, sizeof big, 1000); /* 10: 126-byte Pong */
    g_autoptr(PeelDissector) dis = dissector_plain(c);
    peel_test_conv_run_all(dis, c);
    const PeelPacket *pkt = peel_test_conv_run(dis, c, 5);
    g_assert_true(peel_test_packet_has_expert(pkt, "no fragmented message to continue"));
    peel_test_assert_values(pkt, "websocket.payload.continue", "78");
    pkt = peel_test_conv_run(dis, c, 7);
    g_assert_true(peel_test_packet_has_expert(pkt, "a new message began before"));
    g_assert_true(peel_test_packet_has_expert(pkt, "shared window is lost"));
    pkt = peel_test_conv_run(dis, c, 8);
    g_assert_true(peel_test_packet_has_expert(pkt, "reserved bits 0x2 set"));
    pkt = peel_test_conv_run(dis, c, 9);
    g_assert_true(peel_test_packet_has_expert(pkt, "control frames must not be fragmented"));
    pkt = peel_test_conv_run(dis, c, 10);
    g_assert_true(peel_test_packet_has_expert(pkt, "at most 125 are allowed"));
    g_assert_cmpuint(field_len(pkt, "websocket.payload.pong"), ==, 126);
    peel_test_conv_free(c);
}

/* A server message is lost whole: once the client's ACK shows it, the shared window is
 * given up, so the next message (which refers back into the lost one) is not inflated into
 * wrong text. */
static void
test_gap_loses_window(void)
{
    PeelTestConv *c = deflate_capture("permessage-deflate");
    Deflater d;
    deflater_init(&d, 15);
    g_autoptr(GByteArray) m = deflater_message(&d, takeover_texts[0], strlen(takeover_texts[0]));
    g_autoptr(GByteArray) m2 = deflater_message(&d, takeover_texts[1], strlen(takeover_texts[1]));
    deflateEnd(&d.z);
    add_frame(c, PEEL_TEST_SERVER, 0xc1, m->data, m->len, 1000);
    g_ptr_array_remove_index(c->frames, 4);             /* never captured */
    add_frame(c, PEEL_TEST_SERVER, 0xc1, m2->data, m2->len, 1000); /* 5: held behind the hole */
    peel_test_conv_segment(
            c, PEEL_TEST_CLIENT, PEEL_TEST_ACK, "", 0);     /* 6: the client acknowledges all */
    add_frame(c, PEEL_TEST_SERVER, 0x81, "plain", 5, 1000); /* 7 */
    g_autoptr(PeelDissector) dis = dissector_plain(c);
    const PeelPacket *pkt = peel_test_conv_run_all(dis, c);
    /* Frame 7 completes the held message and its own. */
    peel_test_assert_values(pkt, "websocket.opcode", "1,1");
    g_assert_true(peel_test_packet_has_expert(pkt, "shared window is lost"));
    peel_test_assert_values(pkt, "websocket.payload.text", "plain");
    peel_test_conv_free(c);
}

static void
test_huge_length_dropped(void)
{
    PeelTestConv *c = capture_new(7777);
    /* A 64-bit length of 2^40: past tcp.max_pdu, TCP drops it with a note. */
    const uint8_t hdr[] = { 0x82, 0x7f, 0, 0, 0x01, 0, 0, 0, 0, 0, 'x', 'y' };
    peel_test_conv_segment(c, PEEL_TEST_SERVER, PEEL_TEST_ACK | PEEL_TEST_PSH, hdr, sizeof hdr);
    g_autoptr(PeelDissector) dis = dissector_for(c);
    const PeelPacket *pkt = peel_test_conv_run_all(dis, c);
    g_assert_true(peel_test_packet_has_expert(pkt, "reassembly limit"));
    peel_test_conv_free(c);
}

/* The sender closes the connection (FIN) inside a frame: what came is shown as a cut
 * frame. */
static void
test_cut_by_fin(void)
{
    PeelTestConv *c = capture_new(7777);
    add_frame(c, PEEL_TEST_SERVER, 0x81, "whole", 5, 100);
    g_autoptr(GByteArray) f = ws_frame(0x81, NULL, "never finished", 14);
    peel_test_conv_segment(c, PEEL_TEST_SERVER, PEEL_TEST_ACK | PEEL_TEST_PSH, f->data, 8);
    peel_test_conv_segment(c, PEEL_TEST_SERVER, PEEL_TEST_ACK | PEEL_TEST_FIN, "", 0); /* FIN */
    g_autoptr(PeelDissector) dis = dissector_for(c);
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c, 5);
    peel_test_assert_values(pkt, "websocket.payload.text", "");
    pkt = peel_test_conv_run(dis, c, 6);
    g_assert_true(peel_test_packet_has_expert(
            pkt, "the connection ended 6 bytes into this frame's 14-byte"));
    peel_test_assert_values(pkt, "websocket.payload_length", "14");
    peel_test_assert_values(pkt, "websocket.payload.text", "");
    g_assert_true(peel_test_packet_has_expert(pkt, "1006 (Abnormal Closure)"));
    pkt = peel_test_conv_run(dis, c, 6);
    g_assert_true(pkt->revisit);
    g_assert_true(peel_test_packet_has_expert(pkt, "the connection ended 6 bytes into"));
    g_assert_true(peel_test_packet_has_expert(pkt, "1006 (Abnormal Closure)"));
    peel_test_conv_free(c);
}

/* A side that closes TCP after its Close frame ends normally; one that closes without it
 * leaves the peer with 1006 (Abnormal Closure), noted in the FIN frame and on a revisit. */
static void
test_fin_without_close(void)
{
    PeelTestConv *c = capture_new(7777);
    add_frame(c, PEEL_TEST_CLIENT, 0x88, "\x03\xe8", 2, 100); /* 4: the client's Close */
    peel_test_conv_segment(
            c, PEEL_TEST_CLIENT, PEEL_TEST_ACK | PEEL_TEST_FIN, "", 0); /* 5: the client's FIN */
    add_frame(c, PEEL_TEST_SERVER, 0x81, "late", 4, 100); /* 6: the server never closes */
    peel_test_conv_segment(
            c, PEEL_TEST_SERVER, PEEL_TEST_ACK | PEEL_TEST_FIN, "", 0); /* 7: the server's FIN */
    g_autoptr(PeelDissector) dis = dissector_for(c);
    const PeelPacket *pkt = NULL;
    for (uint32_t i = 1; i <= 7; i++) {
        pkt = peel_test_conv_run(dis, c, i);
        g_assert_true(peel_test_packet_has_expert(pkt, "1006") == (i == 7));
    }
    pkt = peel_test_conv_run(dis, c, 7);
    g_assert_true(pkt->revisit);
    g_assert_true(peel_test_packet_has_expert(
            pkt, "no close frame from this side: 1006 (Abnormal Closure)"));
    pkt = peel_test_conv_run(dis, c, 5);
    g_assert_false(peel_test_packet_has_expert(pkt, "1006"));
    peel_test_conv_free(c);
}

static void
count_end_notes(void *user, const PeelPacket *pkt)
{
    *(guint *)user += pkt->n_experts;
}

/* A reset (RST) with no Close frame sent before it is as abnormal as a FIN without one:
 * the same 1006 note, once per connection, in the RST frame and on a revisit. A reset
 * after the Close, or after that side's FIN, says nothing more; a connection still open
 * when the capture ends is not abnormal. */
static void
test_rst_without_close(void)
{
    PeelTestConv *c = capture_new(7777);
    add_frame(c, PEEL_TEST_CLIENT, 0x81, "hi", 2, 100);                                /* 4 */
    add_frame(c, PEEL_TEST_SERVER, 0x81, "ho", 2, 100);                                /* 5 */
    peel_test_conv_segment(c, PEEL_TEST_SERVER, PEEL_TEST_ACK | PEEL_TEST_RST, "", 0); /* 6 */
    peel_test_conv_segment(c, PEEL_TEST_SERVER, PEEL_TEST_RST, "", 0); /* 7: once only */
    g_autoptr(PeelDissector) dis = dissector_for(c);
    for (uint32_t i = 1; i <= 7; i++) {
        const PeelPacket *pkt = peel_test_conv_run(dis, c, i);
        g_assert_true(peel_test_packet_has_expert(pkt,
                              "WebSocket connection reset (RST) with no close frame from this "
                              "side: 1006 (Abnormal Closure) for the peer") == (i == 6));
    }
    guint notes = 0;
    peel_dissector_finish(dis, count_end_notes, &notes);
    g_assert_cmpuint(notes, ==, 0);
    const PeelPacket *pkt = peel_test_conv_run(dis, c, 6);
    g_assert_true(pkt->revisit);
    g_assert_true(peel_test_packet_has_expert(pkt, "reset (RST) with no close frame"));
    pkt = peel_test_conv_run(dis, c, 7);
    g_assert_false(peel_test_packet_has_expert(pkt, "1006"));
    peel_test_conv_free(c);

    /* the server's Close, then its reset: a normal end */
    c = capture_new(7777);
    add_frame(c, PEEL_TEST_SERVER, 0x88, "\x03\xe8", 2, 100); /* 4 */
    peel_test_conv_segment(c, PEEL_TEST_SERVER, PEEL_TEST_ACK | PEEL_TEST_RST, "", 0);
    g_autoptr(PeelDissector) dis2 = dissector_for(c);
    g_assert_false(peel_test_packet_has_expert(peel_test_conv_run_all(dis2, c), "1006"));
    peel_test_conv_free(c);

    /* the client's FIN without a Close (noted), then its reset: nothing more */
    c = capture_new(7777);
    add_frame(c, PEEL_TEST_CLIENT, 0x81, "hi", 2, 100);                                /* 4 */
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_ACK | PEEL_TEST_FIN, "", 0); /* 5 */
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_ACK | PEEL_TEST_RST, "", 0); /* 6 */
    g_autoptr(PeelDissector) dis3 = dissector_for(c);
    g_assert_true(peel_test_packet_has_expert(
            peel_test_conv_run_to(dis3, c, 5), "closed (FIN) with no close frame"));
    g_assert_false(peel_test_packet_has_expert(peel_test_conv_run(dis3, c, 6), "1006"));
    peel_test_conv_free(c);

    /* open at the end of the capture: no note at all */
    c = capture_new(7777);
    add_frame(c, PEEL_TEST_CLIENT, 0x81, "hi", 2, 100);
    add_frame(c, PEEL_TEST_SERVER, 0x81, "ho", 2, 100);
    g_autoptr(PeelDissector) dis4 = dissector_for(c);
    g_assert_false(peel_test_packet_has_expert(peel_test_conv_run_all(dis4, c), "1006"));
    peel_dissector_finish(dis4, count_end_notes, &notes);
    g_assert_cmpuint(notes, ==, 0);
    peel_test_conv_free(c);
}

static void
test_truncated_header_in_pdu(void)
{
    /* Dissected alone (no TCP): a 16-bit length with one byte of it. */
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    static const uint8_t bytes[] = { 0x81, 0x7e, 0x01 };
    PeelFrameInfo fr = { .number = 1, .cap_len = 3, .len = 3, .data = bytes };
    const PeelPacket *pkt = peel_dissector_run_proto(dis, &fr, &peel_proto_websocket);
    peel_test_assert_values(pkt, "websocket.payload_length", "126");
    g_assert_true(pkt->malformed || pkt->n_experts > 0);
}

/* ---- the samples, through the handshake stand-in on port 8080 ---- */

typedef struct {
    GPtrArray *texts; /* websocket.payload.text values, in order */
    guint ext64;
    guint experts_lost;
} SampleSeen;

static void
read_sample(const char *name, SampleSeen *seen)
{
    g_autofree char *path = peel_run_sample(name);
    g_autoptr(GError) error = NULL;
    g_autoptr(PeelSource) src = peel_source_open_file(path, &error);
    if (src == NULL) {
        g_test_skip("sample capture not found");
        return;
    }
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    g_assert_true(peel_dissector_decode_as(dis, "tcp.port==8080,wstesths", &error));
    seen->texts = g_ptr_array_new_with_free_func(g_free);
    int text_id = peel_field_lookup("websocket.payload.text");
    int ext64_id = peel_field_lookup("websocket.payload_length_ext_64");
    PeelFrame fr;
    while (peel_source_next(src, &fr, &error) > 0) {
        PeelFrameInfo fi = { .number = fr.number, .ts = { fr.ts_sec, (int32_t)fr.ts_nsec },
            .cap_len = fr.cap_len, .len = fr.orig_len, .linktype = fr.linktype,
            .data = fr.data };
        const PeelPacket *pkt = peel_dissector_run(dis, &fi);
        for (uint32_t i = 0; i < pkt->n_fields; i++) {
            if (pkt->fields[i].id == (uint32_t)text_id)
                g_ptr_array_add(seen->texts, g_strndup((const char *)pkt->fields[i].v.b.ptr,
                                                     pkt->fields[i].v.b.len));
            if (pkt->fields[i].id == (uint32_t)ext64_id)
                seen->ext64++;
        }
        if (peel_test_packet_has_expert(pkt, "window is lost") ||
                peel_test_packet_has_expert(pkt, "Decompression failed"))
            seen->experts_lost++;
    }
    g_assert_no_error(error);
}

static void
check_sample_texts(const SampleSeen *seen)
{
    /* Both directions of each text message, in the order ws-peer.py sends them. */
    static const char *const want[] = {
        "Hello from the peel WebSocket sample, a text message.",
        "Hello from the peel WebSocket sample, a text message.",
        "{\"sample\": \"peel\", \"kind\": \"json\", \"values\": [1, 2.5, true, null]}",
        "{\"sample\": \"peel\", \"kind\": \"json\", \"values\": [1, 2.5, true, null]}",
        "Hello from the peel WebSocket sample, a text message.",
        "Hello from the peel WebSocket sample, a text message.",
        "client part one; client part two; client part three",
        "client part one; client part two; client part three",
        "fragments please",
        "server part one; server part two; server part three",
    };
    g_assert_cmpuint(seen->texts->len, ==, G_N_ELEMENTS(want) + 2);
    for (guint i = 0; i < G_N_ELEMENTS(want); i++)
        g_assert_cmpstr(g_ptr_array_index(seen->texts, i), ==, want[i]);
    for (guint i = G_N_ELEMENTS(want); i < seen->texts->len; i++) {
        const char *big = g_ptr_array_index(seen->texts, i);
        g_assert_cmpuint(strlen(big), ==, 70000);
        g_assert_true(g_str_has_prefix(big, "00000 the quick brown fox"));
        g_assert_true(strstr(big, "01399 the quick brown fox") != NULL);
    }
    g_assert_cmpuint(seen->experts_lost, ==, 0);
}

static void
test_sample_deflate(void)
{
    SampleSeen seen = { 0 };
    read_sample("websocket-deflate.pcap", &seen);
    if (seen.texts == NULL)
        return;
    check_sample_texts(&seen);
    g_ptr_array_unref(seen.texts);
}

static void
test_sample_plain(void)
{
    SampleSeen seen = { 0 };
    read_sample("websocket-plain.pcap", &seen);
    if (seen.texts == NULL)
        return;
    check_sample_texts(&seen);
    g_assert_cmpuint(seen.ext64, ==, 2); /* the 70000-byte message each way */
    g_ptr_array_unref(seen.texts);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    peel_registry_add_extra(&up_proto);
    peel_registry_add_extra(&hs_proto);
    peel_registry_init();
    g_test_add_func("/websocket/text-frames", test_text_frames);
    g_test_add_func("/websocket/header-split-across-segments", test_header_split_across_segments);
    g_test_add_func("/websocket/64bit-length", test_64bit_length);
    g_test_add_func("/websocket/fragments-with-control-inside", test_fragments_with_control_inside);
    g_test_add_func("/websocket/several-frames-in-one-segment", test_several_frames_in_one_segment);
    g_test_add_func("/websocket/close-codes", test_close_codes);
    g_test_add_func("/websocket/text-checks", test_text_checks);
    g_test_add_func("/websocket/json-check", test_json_check);
    g_test_add_func("/websocket/deflate/context-takeover", test_context_takeover);
    g_test_add_func("/websocket/deflate/no-context-takeover", test_no_context_takeover);
    g_test_add_func("/websocket/deflate/masked-fragmented", test_masked_fragmented_compressed);
    g_test_add_func("/websocket/deflate/bomb", test_decompression_bomb);
    g_test_add_func("/websocket/deflate/window-bits-8", test_window_bits_8);
    g_test_add_func("/websocket/deflate/failure", test_inflate_failure);
    g_test_add_func("/websocket/huge-length-dropped", test_huge_length_dropped);
    g_test_add_func("/websocket/protocol-errors", test_protocol_errors);
    g_test_add_func("/websocket/deflate/gap-loses-window", test_gap_loses_window);
    g_test_add_func("/websocket/truncated-header", test_truncated_header_in_pdu);
    g_test_add_func("/websocket/cut-by-fin", test_cut_by_fin);
    g_test_add_func("/websocket/fin-without-close", test_fin_without_close);
    g_test_add_func("/websocket/rst-without-close", test_rst_without_close);
    g_test_add_func("/websocket/sample/deflate", test_sample_deflate);
    g_test_add_func("/websocket/sample/plain", test_sample_plain);
    return g_test_run();
}
