/* test-proto-http2.c: HTTP/2 over hand-built TCP connections: the preface heuristic, frames
 * split at every byte, header blocks over CONTINUATION, HPACK dynamic-table eviction and
 * SETTINGS_HEADER_TABLE_SIZE, a capture that starts mid-connection, revisits from
 * per-frame records, error codes by name, and malformed frames. */
#include "h2-harness.h"
#include "protos.h"
#include "registry.h"

static const char *const REQ1[] = { ":method", "GET", ":scheme", "http", ":path", "/index.html",
    ":authority", "example.org", "user-agent", "peel-test", NULL };
static const char *const RESP1[] = { ":status", "200", "content-type", "text/plain", NULL };

/* Client: preface, SETTINGS, HEADERS (END_STREAM); server: SETTINGS, HEADERS, DATA. */
static void
build_simple(H2Cap *c, GByteArray *client, GByteArray *server)
{
    h2t_preface(client);
    h2t_frame(client, 4, 0, 0, NULL, 0);
    g_autoptr(GByteArray) req = h2t_block(c, false, REQ1);
    h2t_frame(client, 1, 0x05, 1, req->data, req->len);
    const uint8_t settings[] = { 0, 3, 0, 0, 0, 100 };
    h2t_frame(server, 4, 0, 0, settings, sizeof settings);
    g_autoptr(GByteArray) resp = h2t_block(c, true, RESP1);
    h2t_frame(server, 1, 0x04, 1, resp->data, resp->len);
    h2t_frame(server, 0, 0x01, 1, "hello", 5);
}

static void
test_simple_exchange(void)
{
    H2Cap *c = h2t_new();
    g_autoptr(GByteArray) cl = g_byte_array_new();
    g_autoptr(GByteArray) sv = g_byte_array_new();
    build_simple(c, cl, sv);
    h2t_segment(c, false, cl->data, cl->len);
    h2t_segment(c, true, sv->data, sv->len);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c->tcp, 4);
    g_assert_cmpstr(pkt->col_protocol, ==, "HTTP2");
    g_assert_cmpstr(pkt->info, ==, "Magic, SETTINGS[0], HEADERS[1]: GET /index.html");
    g_autoptr(GString) s = g_string_new(NULL);
    h2t_values(s, pkt, "http2.type");
    g_assert_cmpstr(s->str, ==, "4,1");
    g_string_truncate(s, 0);
    h2t_values(s, pkt, "http2.headers.authority");
    g_assert_cmpstr(s->str, ==, "example.org");
    g_string_truncate(s, 0);
    h2t_values(s, pkt, "http2.request.full_uri");
    g_assert_cmpstr(s->str, ==, "http://example.org/index.html");
    g_string_truncate(s, 0);
    h2t_values(s, pkt, "http2.flags.end_stream");
    g_assert_cmpstr(s->str, ==, "1"); /* SETTINGS has no END_STREAM bit */
    pkt = peel_test_conv_run(dis, c->tcp, 5);
    g_assert_cmpstr(pkt->info, ==, "SETTINGS[0], HEADERS[1]: 200 OK, DATA[1] (text/plain)");
    g_string_truncate(s, 0);
    h2t_values(s, pkt, "http2.settings.max_concurrent_streams");
    g_assert_cmpstr(s->str, ==, "100");
    g_string_truncate(s, 0);
    h2t_values(s, pkt, "http2.request_in");
    g_assert_cmpstr(s->str, ==, "4");
    g_string_truncate(s, 0);
    h2t_values(s, pkt, "http2.data.data");
    g_assert_cmpstr(s->str, ==, "68656c6c6f");
    h2t_free(c);
}

/* The client's bytes cut into two segments at every position give the same fields. */
static void
test_split_every_byte(void)
{
    H2Cap *whole = h2t_new();
    g_autoptr(GByteArray) cl = g_byte_array_new();
    g_autoptr(GByteArray) sv = g_byte_array_new();
    build_simple(whole, cl, sv);
    /* More frames after the block, so cuts fall inside later frames too. */
    const uint8_t wu[] = { 0, 0, 0x10, 0 };
    h2t_frame(cl, 8, 0, 0, wu, sizeof wu);
    h2t_frame(cl, 6, 0, 0, "12345678", 8);
    h2t_free(whole);
    g_autofree char *want_types = NULL, *want_paths = NULL;
    for (guint cut = 0; cut <= cl->len; cut++) {
        H2Cap *c = h2t_new();
        if (cut > 0)
            h2t_segment(c, false, cl->data, cut);
        if (cut < cl->len)
            h2t_segment(c, false, cl->data + cut, cl->len - cut);
        g_autofree char *types = h2t_all(c, "http2.type");
        g_autofree char *paths = h2t_all(c, "http2.headers.path");
        g_autofree char *joined = g_strdup(types);
        /* Where frames end depends on the cut; their sequence must not. */
        g_strdelimit(joined, "|", ',');
        if (want_types == NULL) {
            want_types = g_strdup(joined);
            want_paths = g_strdup(paths);
            g_assert_cmpstr(want_types, ==, "4,1,8,6,");
            g_assert_cmpstr(want_paths, ==, "/index.html|");
        }
        g_assert_cmpstr(joined, ==, want_types);
        g_assert_cmpstr(paths, ==, want_paths);
        h2t_free(c);
    }
}

/* A header block in HEADERS + two CONTINUATION frames, each in its own segment: the
 * fields each fragment completes are shown in its frame, as tshark does. */
static void
test_continuation(void)
{
    H2Cap *c = h2t_new();
    g_autoptr(GByteArray) pre = g_byte_array_new();
    h2t_preface(pre);
    h2t_frame(pre, 4, 0, 0, NULL, 0);
    h2t_segment(c, false, pre->data, pre->len);
    g_autoptr(GByteArray) blk = h2t_block(c, false, REQ1);
    guint a = blk->len / 3, b = 2 * blk->len / 3;
    g_autoptr(GByteArray) f1 = g_byte_array_new();
    h2t_frame(f1, 1, 0x01, 1, blk->data, a);
    h2t_segment(c, false, f1->data, f1->len);
    g_autoptr(GByteArray) f2 = g_byte_array_new();
    h2t_frame(f2, 9, 0, 1, blk->data + a, b - a);
    h2t_segment(c, false, f2->data, f2->len);
    g_autoptr(GByteArray) f3 = g_byte_array_new();
    h2t_frame(f3, 9, 0x04, 1, blk->data + b, blk->len - b);
    h2t_segment(c, false, f3->data, f3->len);
    g_autofree char *names = h2t_all(c, "http2.header.name");
    g_autofree char *joined = g_strdup(names);
    g_strdelimit(joined, "|", ',');
    g_assert_cmpstr(joined, ==, ":method,:scheme,:path,:authority,user-agent,");
    g_autofree char *ua = h2t_all(c, "http2.headers.user_agent");
    g_assert_cmpstr(ua, ==, "peel-test|");
    g_autofree char *types = h2t_all(c, "http2.type");
    g_assert_cmpstr(types, ==, "4|1|9|9|");
    h2t_free(c);
}

/* Requests whose new headers overflow the 4096-byte table: each block refers to the
 * newest entries after older ones were evicted; every value must come out right. Then the
 * server lowers SETTINGS_HEADER_TABLE_SIZE to 256 and the client's encoder follows. */
static void
test_dynamic_table_eviction(void)
{
    H2Cap *c = h2t_new();
    g_autoptr(GByteArray) pre = g_byte_array_new();
    h2t_preface(pre);
    h2t_frame(pre, 4, 0, 0, NULL, 0);
    h2t_segment(c, false, pre->data, pre->len);
    char val[8][600];
    for (int i = 0; i < 8; i++) {
        memset(val[i], 'a' + i, sizeof val[i] - 1);
        val[i][sizeof val[i] - 1] = '\0';
        /* Each request repeats the last one's big header (an indexed reference to the
         * newest entry) and adds a new one; 8 x 600 bytes overflow 4096. */
        const char *nv[] = { ":method", "POST", ":scheme", "http", ":path", "/x", ":authority", "h",
            "x-big", val[i], "x-prev", i ? val[i - 1] : "none", NULL };
        g_autoptr(GByteArray) blk = h2t_block(c, false, nv);
        g_autoptr(GByteArray) f = g_byte_array_new();
        h2t_frame(f, 1, 0x05, 1 + 2 * (uint32_t)i, blk->data, blk->len);
        h2t_segment(c, false, f->data, f->len);
    }
    /* The server allows 256 bytes; the client ACKs and its encoder shrinks. */
    const uint8_t small[] = { 0, 1, 0, 0, 1, 0 };
    g_autoptr(GByteArray) s1 = g_byte_array_new();
    h2t_frame(s1, 4, 0, 0, small, sizeof small);
    h2t_segment(c, true, s1->data, s1->len);
    nghttp2_hd_deflate_change_table_size(c->def[0], 256);
    g_autoptr(GByteArray) ack = g_byte_array_new();
    h2t_frame(ack, 4, 0x01, 0, NULL, 0);
    const char *nv2[] = { ":method", "GET", ":scheme", "http", ":path", "/after", ":authority", "h",
        "x-small", "tiny", NULL };
    for (int k = 0; k < 2; k++) {
        g_autoptr(GByteArray) blk = h2t_block(c, false, nv2);
        h2t_frame(ack, 1, 0x05, 17 + 2 * (uint32_t)k, blk->data, blk->len);
    }
    h2t_segment(c, false, ack->data, ack->len);

    g_autoptr(PeelDissector) dis = peel_dissector_new();
    for (uint32_t n = 1; n <= 4; n++)
        peel_test_conv_run(dis, c->tcp, n);
    for (int i = 0; i < 8; i++) {
        const PeelPacket *pkt = peel_test_conv_run(dis, c->tcp, 5 + (uint32_t)i);
        g_autoptr(GString) s = g_string_new(NULL);
        h2t_values(s, pkt, "http2.header.value");
        g_autofree char *want =
                g_strdup_printf("POST,http,/x,h,%s,%s", val[i], i ? val[i - 1] : "none");
        g_assert_cmpstr(s->str, ==, want);
        g_assert_false(peel_test_packet_has_expert(pkt, "HPACK"));
    }
    peel_test_conv_run(dis, c->tcp, 13);
    const PeelPacket *pkt = peel_test_conv_run(dis, c->tcp, 14);
    g_autoptr(GString) s = g_string_new(NULL);
    h2t_values(s, pkt, "http2.headers.path");
    g_assert_cmpstr(s->str, ==, "/after,/after");
    g_assert_false(peel_test_packet_has_expert(pkt, "HPACK"));
    h2t_free(c);
}

/* The capture starts after the table was filled: the block's reference to an entry never
 * seen stops decoding with a note; nothing wrong is shown. */
static void
test_mid_connection(void)
{
    H2Cap *c = h2t_new();
    /* Encode two requests; capture only the second, which refers to the first's entries. */
    g_autoptr(GByteArray) first = h2t_block(c, false, REQ1);
    g_autoptr(GByteArray) second = h2t_block(c, false, REQ1);
    g_ptr_array_set_size(c->tcp->frames, 0); /* no handshake either */
    g_autoptr(GByteArray) f = g_byte_array_new();
    h2t_frame(f, 1, 0x05, 3, second->data, second->len);
    h2t_segment(c, false, f->data, f->len);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    peel_dissector_decode_as(dis, "tcp.port==50051,http2", NULL);
    const PeelPacket *pkt = peel_test_conv_run(dis, c->tcp, 1);
    g_autoptr(GString) s = g_string_new(NULL);
    h2t_values(s, pkt, "http2.type");
    g_assert_cmpstr(s->str, ==, "1");
    /* What is shown is right (literals and static-table entries before the first
     * reference to an unknown entry), and it stops there. */
    g_string_truncate(s, 0);
    h2t_values(s, pkt, "http2.header.value");
    const char *all = "GET,http,/index.html,example.org,peel-test";
    g_assert_true(g_str_has_prefix(all, s->str));
    g_assert_cmpuint(strlen(s->str), <, strlen(all));
    g_assert_true(peel_test_packet_has_expert(pkt, "mid-connection"));
    (void)first;
    h2t_free(c);
}

/* --frame N after the first pass: the headers come from the per-frame record, not from
 * an inflater that has moved on. */
static void
test_revisit(void)
{
    H2Cap *c = h2t_new();
    g_autoptr(GByteArray) cl = g_byte_array_new();
    g_autoptr(GByteArray) sv = g_byte_array_new();
    build_simple(c, cl, sv);
    /* A second request using the dynamic table, split over two segments. */
    g_autoptr(GByteArray) blk = h2t_block(c, false, REQ1);
    h2t_frame(cl, 1, 0x05, 3, blk->data, blk->len);
    guint cut = cl->len - 4;
    h2t_segment(c, false, cl->data, cut);
    h2t_segment(c, false, cl->data + cut, cl->len - cut);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    peel_dissector_keep_records(dis, true);
    peel_test_conv_fetch(dis, c->tcp);
    for (uint32_t i = 1; i <= 5; i++)
        peel_test_conv_run(dis, c->tcp, i);
    for (int round = 0; round < 2; round++) {
        const PeelPacket *pkt = peel_test_conv_run(dis, c->tcp, 5);
        g_assert_true(pkt->revisit);
        g_autoptr(GString) s = g_string_new(NULL);
        h2t_values(s, pkt, "http2.headers.path");
        g_assert_cmpstr(s->str, ==, "/index.html");
        g_assert_cmpstr(pkt->info, ==, "HEADERS[3]: GET /index.html");
        pkt = peel_test_conv_run(dis, c->tcp, 4);
        g_string_truncate(s, 0);
        h2t_values(s, pkt, "http2.headers.method");
        g_assert_cmpstr(s->str, ==, "GET");
    }
    h2t_free(c);
}

static void
test_rst_goaway(void)
{
    H2Cap *c = h2t_new();
    g_autoptr(GByteArray) cl = g_byte_array_new();
    h2t_preface(cl);
    const uint8_t cancel[] = { 0, 0, 0, 8 };
    h2t_frame(cl, 3, 0, 1, cancel, 4);
    const uint8_t goaway[] = { 0, 0, 0, 1, 0, 0, 0, 0x0b, 'b', 'y', 'e' };
    h2t_frame(cl, 7, 0, 0, goaway, sizeof goaway);
    h2t_segment(c, false, cl->data, cl->len);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c->tcp, 4);
    g_autoptr(GString) s = g_string_new(NULL);
    h2t_values(s, pkt, "http2.rst_stream.error");
    g_assert_cmpstr(s->str, ==, "8");
    g_string_truncate(s, 0);
    h2t_values(s, pkt, "http2.goaway.error");
    g_assert_cmpstr(s->str, ==, "11");
    g_string_truncate(s, 0);
    h2t_values(s, pkt, "http2.goaway.addata");
    g_assert_cmpstr(s->str, ==, "627965");
    g_assert_true(peel_test_packet_has_expert(pkt, "RST_STREAM with error CANCEL"));
    g_assert_true(peel_test_packet_has_expert(pkt, "GOAWAY with error ENHANCE_YOUR_CALM"));
    h2t_free(c);
}

/* Padding longer than the frame, a SETTINGS frame of 5 bytes, a truncated frame. */
static void
test_malformed(void)
{
    H2Cap *c = h2t_new();
    g_autoptr(GByteArray) cl = g_byte_array_new();
    h2t_preface(cl);
    const uint8_t pad[] = { 200, 'x', 'y' };
    h2t_frame(cl, 0, 0x08, 1, pad, sizeof pad);
    h2t_frame(cl, 4, 0, 0, "\0\1\0\0\0", 5);
    h2t_segment(c, false, cl->data, cl->len);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c->tcp, 4);
    g_assert_true(peel_test_packet_has_expert(pkt, "padding of 200 bytes"));
    g_assert_true(peel_test_packet_has_expert(pkt, "not a multiple of 6"));
    g_assert_true(pkt->malformed);
    g_autoptr(GString) s = g_string_new(NULL);
    h2t_values(s, pkt, "http2.type");
    g_assert_cmpstr(s->str, ==, "0,4");
    h2t_free(c);
}

/* The server's SETTINGS first, without the client preface (h2c after an HTTP/1.1 upgrade,
 * or decode-as on a connection seen from its middle): frames are still cut right. */
static void
test_server_settings_first(void)
{
    H2Cap *c = h2t_new();
    g_autoptr(GByteArray) sv = g_byte_array_new();
    const uint8_t settings[] = { 0, 4, 0, 0, 0xff, 0xff };
    h2t_frame(sv, 4, 0, 0, settings, sizeof settings);
    g_autoptr(GByteArray) resp = h2t_block(c, true, RESP1);
    h2t_frame(sv, 1, 0x04, 1, resp->data, resp->len);
    h2t_segment(c, true, sv->data, sv->len);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    peel_dissector_decode_as(dis, "tcp.port==50051,http2", NULL);
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c->tcp, 4);
    g_autoptr(GString) s = g_string_new(NULL);
    h2t_values(s, pkt, "http2.headers.status");
    g_assert_cmpstr(s->str, ==, "200");
    g_string_truncate(s, 0);
    h2t_values(s, pkt, "http2.settings.initial_window_size");
    g_assert_cmpstr(s->str, ==, "65535");
    h2t_free(c);
}

/* A stand-in for HTTP/1.1 on port 8081: header blocks up to an empty line; a
 * "101 Switching Protocols" switches the connection to HTTP/2, as the HTTP dissector does
 * for Upgrade: h2c. */
static void
fake_http_dissect(PeelReader *rd, PeelPacket *pkt)
{
    uint32_t got = 0;
    const uint8_t *p = peel_reader_peek_bytes(rd, 0, peel_reader_remaining(rd), &got);
    if (p != NULL && got > 12 && memcmp(p, "HTTP/1.1 101", 12) == 0)
        peel_tcp_set_app(pkt, &peel_proto_http2);
    peel_reader_skip(rd, got);
}

static const PeelProto fake_http = {
    .name = "fakehttp",
    .title = "HTTP/1.1 stand-in",
    .dissect = fake_http_dissect,
    .pdu_len = peel_test_head_pdu_len,
    .handoffs = { { PEEL_TABLE_TCP_PORT, 8081 } },
};

/* h2c through Upgrade: the server's 101, its SETTINGS and the response on stream 1 in one
 * segment (no preface from it), then the client's preface. */
static void
test_h2c_upgrade(void)
{
    H2Cap *c = h2t_new_port(8081);
    const char req[] = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\n"
                       "HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n";
    h2t_segment(c, false, (const uint8_t *)req, sizeof req - 1);
    g_autoptr(GByteArray) sv = g_byte_array_new();
    const char resp[] = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n";
    g_byte_array_append(sv, (const guint8 *)resp, sizeof resp - 1);
    h2t_frame(sv, 4, 0, 0, NULL, 0);
    g_autoptr(GByteArray) blk = h2t_block(c, true, RESP1);
    h2t_frame(sv, 1, 0x04, 1, blk->data, blk->len);
    h2t_frame(sv, 0, 0x01, 1, "hi", 2);
    h2t_segment(c, true, sv->data, sv->len);
    g_autoptr(GByteArray) cl = g_byte_array_new();
    h2t_preface(cl);
    h2t_frame(cl, 4, 0, 0, NULL, 0);
    h2t_frame(cl, 4, 0x01, 0, NULL, 0);
    h2t_segment(c, false, cl->data, cl->len);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c->tcp, 5);
    g_autoptr(GString) s = g_string_new(NULL);
    h2t_values(s, pkt, "http2.type");
    g_assert_cmpstr(s->str, ==, "4,1,0");
    g_string_truncate(s, 0);
    h2t_values(s, pkt, "http2.headers.status");
    g_assert_cmpstr(s->str, ==, "200");
    g_string_truncate(s, 0);
    h2t_values(s, pkt, "http2.request_in"); /* the request was HTTP/1.1 */
    g_assert_cmpstr(s->str, ==, "");
    g_assert_false(peel_test_packet_has_expert(pkt, "HPACK"));
    pkt = peel_test_conv_run(dis, c->tcp, 6);
    g_assert_cmpstr(pkt->info, ==, "Magic, SETTINGS[0], SETTINGS[0]");
    h2t_free(c);
}

/* One segment of many frames: each is dissected (PDUs side by side do not count as
 * nesting against the engine's 48-layer bound); past the per-frame PDU bound (250) the
 * rest wait for the direction's next segment, with an expert note. */
static void
test_many_frames(void)
{
    H2Cap *c = h2t_new();
    g_autoptr(GByteArray) cl = g_byte_array_new();
    h2t_preface(cl);
    h2t_frame(cl, 4, 0, 0, NULL, 0);
    h2t_segment(c, false, cl->data, cl->len);
    g_autoptr(GByteArray) sv = g_byte_array_new();
    for (uint32_t i = 0; i < 200; i++) {
        uint8_t ping[8] = { 0, 0, 0, 0, (uint8_t)(i >> 24), (uint8_t)(i >> 16),
            (uint8_t)(i >> 8), (uint8_t)i };
        h2t_frame(sv, 6, 0x01, 0, ping, sizeof ping);
    }
    h2t_segment(c, true, sv->data, sv->len);
    g_autoptr(GByteArray) big = g_byte_array_new();
    for (uint32_t i = 0; i < 300; i++)
        h2t_frame(big, 8, 0, 0, (const uint8_t[]){ 0, 0, 0x10, 0 }, 4);
    h2t_segment(c, false, big->data, big->len);
    g_autoptr(GByteArray) one = g_byte_array_new();
    h2t_frame(one, 8, 0, 0, (const uint8_t[]){ 0, 0, 0x20, 0 }, 4);
    h2t_segment(c, false, one->data, one->len);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c->tcp, 5);
    g_autoptr(GString) s = g_string_new(NULL);
    h2t_values(s, pkt, "http2.type");
    guint n = 0;
    for (const char *p = s->str; *p != '\0'; p++)
        n += *p == '6';
    g_assert_cmpuint(n, ==, 200);
    g_string_truncate(s, 0);
    h2t_values(s, pkt, "http2.pong");
    g_assert_true(g_str_has_suffix(s->str, ",00000000000000c7")); /* the 200th */
    g_assert_false(peel_test_packet_has_expert(pkt, "PDUs in one segment"));
    pkt = peel_test_conv_run(dis, c->tcp, 6);
    g_string_truncate(s, 0);
    h2t_values(s, pkt, "http2.window_update.window_size_increment");
    g_assert_cmpuint(strlen(s->str), ==, 250 * 5 - 1); /* "4096," 250 times */
    g_assert_true(peel_test_packet_has_expert(pkt, "more than 250 http2 PDUs in one segment"));
    pkt = peel_test_conv_run(dis, c->tcp, 7);
    g_string_truncate(s, 0);
    h2t_values(s, pkt, "http2.window_update.window_size_increment");
    g_assert_cmpuint(strlen(s->str), ==, 51 * 5 - 1);
    g_assert_true(g_str_has_suffix(s->str, ",4096,8192"));
    h2t_free(c);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    peel_registry_add_extra(&fake_http);
    peel_registry_init();
    g_test_add_func("/http2/h2c-upgrade", test_h2c_upgrade);
    g_test_add_func("/http2/many-frames", test_many_frames);
    g_test_add_func("/http2/simple-exchange", test_simple_exchange);
    g_test_add_func("/http2/split-every-byte", test_split_every_byte);
    g_test_add_func("/http2/continuation", test_continuation);
    g_test_add_func("/http2/dynamic-table-eviction", test_dynamic_table_eviction);
    g_test_add_func("/http2/mid-connection", test_mid_connection);
    g_test_add_func("/http2/revisit", test_revisit);
    g_test_add_func("/http2/rst-goaway", test_rst_goaway);
    g_test_add_func("/http2/malformed", test_malformed);
    g_test_add_func("/http2/server-settings-first", test_server_settings_first);
    return g_test_run();
}
