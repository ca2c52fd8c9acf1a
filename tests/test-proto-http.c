/* test-proto-http.c: HTTP/1.x over hand-built TCP segments: requests and responses,
 * bodies split at every byte, chunk-size lines split across segments, header lines ending
 * in LF alone, oversized headers, HEAD, 100-continue, close-delimited bodies, pipelining,
 * gzip and a decompression bomb, the WebSocket upgrade and its accept check, revisits. */
#include <glib.h>
#include <string.h>
#include <zlib.h>

#include "dissector.h"
#include "peel-test.h"
#include "proto-http.h"
#include "registry.h"

/* ---- IPv4/TCP frames (peel-test.h): client 10.0.0.1:40000, server 10.0.0.2:PORT ---- */

static PeelTestConv *
capture_new(uint16_t port)
{
    return peel_test_conv_new(port, 1000, 5000);
}

static void
send_str(PeelTestConv *c, PeelTestSide from, const char *s)
{
    peel_test_conv_segment(c, from, PEEL_TEST_PSH | PEEL_TEST_ACK, s, strlen(s));
}

/* ---- tests ---- */

static const char GET_HELLO[] = "GET /hello.txt?a=1&b=2 HTTP/1.1\r\nHost: example.test:8080\r\n"
                                "User-Agent: curl/7.88.1\r\nAccept: */*\r\n"
                                "Cookie: a=1; b=2\r\n\r\n";
static const char OK_HELLO[] = "HTTP/1.1 200 OK\r\nServer: test\r\n"
                               "Content-Type: text/plain; charset=utf-8\r\n"
                               "Content-Length: 12\r\n\r\nhello world\n";

static void
test_request_response(void)
{
    PeelTestConv *c = capture_new(80);
    send_str(c, PEEL_TEST_CLIENT, GET_HELLO);
    send_str(c, PEEL_TEST_SERVER, OK_HELLO);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c, 4);
    g_assert_cmpstr(pkt->col_protocol, ==, "HTTP");
    g_assert_cmpstr(pkt->info, ==, "GET /hello.txt?a=1&b=2 HTTP/1.1 ");
    peel_test_assert_values(pkt, "http.request.method", "GET");
    peel_test_assert_values(pkt, "http.request.uri", "/hello.txt?a=1&b=2");
    peel_test_assert_values(pkt, "http.request.uri.path", "/hello.txt");
    peel_test_assert_values(pkt, "http.request.uri.query.parameter", "a=1,b=2");
    peel_test_assert_values(pkt, "http.request.version", "HTTP/1.1");
    peel_test_assert_values(pkt, "http.host", "example.test:8080");
    peel_test_assert_values(pkt, "http.user_agent", "curl/7.88.1");
    peel_test_assert_values(pkt, "http.accept", "*/*");
    peel_test_assert_values(pkt, "http.cookie", "a=1; b=2");
    peel_test_assert_values(pkt, "http.cookie_pair", "a=1,b=2");
    peel_test_assert_values(
            pkt, "http.request.full_uri", "http://example.test:8080/hello.txt?a=1&b=2");
    peel_test_assert_values(pkt, "http.request.line",
            "Host: example.test:8080\\r\\n,User-Agent: curl/7.88.1\\r\\n,Accept: */*\\r\\n,"
            "Cookie: a=1; b=2\\r\\n");
    peel_test_assert_values(pkt, "http.request", "1");
    peel_test_assert_values(pkt, "http.request_number", "1");
    pkt = peel_test_conv_run(dis, c, 5);
    g_assert_cmpstr(pkt->info, ==, "HTTP/1.1 200 OK  (text/plain)");
    peel_test_assert_values(pkt, "http.response.version", "HTTP/1.1");
    peel_test_assert_values(pkt, "http.response.code", "200");
    peel_test_assert_values(pkt, "http.response.phrase", "OK");
    peel_test_assert_values(pkt, "http.content_length_header", "12");
    peel_test_assert_values(pkt, "http.content_length", "12");
    peel_test_assert_values(pkt, "http.server", "test");
    peel_test_assert_values(pkt, "http.request_in", "4");
    peel_test_assert_values(pkt, "http.time", "1.000000000");
    peel_test_assert_values(
            pkt, "http.response_for.uri", "http://example.test:8080/hello.txt?a=1&b=2");
    peel_test_assert_values(pkt, "http.file_data", "hello world\\n");
    peel_test_assert_values(pkt, "http.response", "1");
    peel_test_conv_free(c);
}

/* The response split in two at every byte: the second segment completes it. */
static void
test_body_split_everywhere(void)
{
    size_t n = strlen(OK_HELLO);
    for (size_t cut = 1; cut < n; cut++) {
        PeelTestConv *c = capture_new(80);
        send_str(c, PEEL_TEST_CLIENT, GET_HELLO);
        peel_test_conv_segment(c, PEEL_TEST_SERVER, PEEL_TEST_ACK, OK_HELLO, cut);
        peel_test_conv_segment(
                c, PEEL_TEST_SERVER, PEEL_TEST_PSH | PEEL_TEST_ACK, OK_HELLO + cut, n - cut);
        g_autoptr(PeelDissector) dis = peel_dissector_new();
        const PeelPacket *pkt = peel_test_conv_run_to(dis, c, 5);
        peel_test_assert_values(pkt, "http.response.code", "");
        g_assert_nonnull(strstr(pkt->info, "[TCP segment of a reassembled PDU]"));
        pkt = peel_test_conv_run(dis, c, 6);
        peel_test_assert_values(pkt, "http.response.code", "200");
        peel_test_assert_values(pkt, "http.file_data", "hello world\\n");
        peel_test_assert_values(pkt, "tcp.segment", "5,6");
        peel_test_conv_free(c);
    }
}

/* Chunked with a trailer, split at every byte, chunk-size lines included. */
static void
test_chunked_split_everywhere(void)
{
    static const char resp[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                               "Content-Type: text/plain\r\n\r\n"
                               "5\r\nhello\r\n1a;ext=1\r\n abcdefghijklmnopqrstuvwxy\r\n"
                               "0\r\nX-Trailer: done\r\n\r\n";
    size_t n = strlen(resp);
    for (size_t cut = 1; cut < n; cut++) {
        PeelTestConv *c = capture_new(80);
        send_str(c, PEEL_TEST_CLIENT, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        peel_test_conv_segment(c, PEEL_TEST_SERVER, PEEL_TEST_ACK, resp, cut);
        peel_test_conv_segment(
                c, PEEL_TEST_SERVER, PEEL_TEST_PSH | PEEL_TEST_ACK, resp + cut, n - cut);
        g_autoptr(PeelDissector) dis = peel_dissector_new();
        const PeelPacket *pkt = peel_test_conv_run_all(dis, c);
        peel_test_assert_values(pkt, "http.transfer_encoding", "chunked");
        peel_test_assert_values(pkt, "http.chunk_size", "5,26,0");
        peel_test_assert_values(pkt, "http.chunk_data",
                "68656c6c6f,206162636465666768696a6b6c6d6e6f707172737475767778"
                "79");
        peel_test_assert_values(pkt, "http.chunked_trailer_part", "X-Trailer: done\\r\\n");
        peel_test_assert_values(pkt, "http.file_data", "hello abcdefghijklmnopqrstuvwxy");
        peel_test_conv_free(c);
    }
}

static void
test_lf_only_headers(void)
{
    PeelTestConv *c = capture_new(80);
    send_str(c, PEEL_TEST_CLIENT, "GET /lf HTTP/1.0\nHost: lf.test\nAccept: text/html\n\n");
    send_str(c, PEEL_TEST_SERVER, "HTTP/1.0 204 No Content\nServer: lf\n\n");
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c, 4);
    peel_test_assert_values(pkt, "http.host", "lf.test");
    peel_test_assert_values(pkt, "http.accept", "text/html");
    peel_test_assert_values(pkt, "http.request.line", "Host: lf.test\\n,Accept: text/html\\n");
    pkt = peel_test_conv_run(dis, c, 5);
    peel_test_assert_values(pkt, "http.response.code", "204");
    peel_test_assert_values(pkt, "http.server", "lf");
    g_assert_cmpstr(pkt->info, ==, "HTTP/1.0 204 No Content ");
    peel_test_conv_free(c);
}

/* A header block that never ends: dissected and noted once past the bound, not waited
 * for forever. */
static void
test_oversized_headers(void)
{
    PeelTestConv *c = capture_new(80);
    send_str(c, PEEL_TEST_CLIENT, "GET /big HTTP/1.1\r\nHost: h\r\nX-Long: ");
    char *filler = g_malloc(1400);
    memset(filler, 'a', 1400);
    for (int i = 0; i < 50; i++)
        peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_ACK, filler, 1400);
    g_free(filler);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    bool seen = false;
    for (uint32_t i = 1; i <= c->frames->len; i++) {
        const PeelPacket *pkt = peel_test_conv_run(dis, c, i);
        if (peel_test_packet_has_expert(pkt, "header block larger than")) {
            seen = true;
            peel_test_assert_values(pkt, "http.request.method", "GET");
            peel_test_assert_values(pkt, "http.host", "h");
        }
    }
    g_assert_true(seen);
    peel_test_conv_free(c);
}

/* HEAD: the response's Content-Length announces a body that is not sent; the next
 * response follows at once in the same segment. */
static void
test_head_then_get(void)
{
    PeelTestConv *c = capture_new(80);
    send_str(c, PEEL_TEST_CLIENT,
            "HEAD /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n");
    send_str(c, PEEL_TEST_SERVER,
            "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"
            "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno");
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c, 4);
    peel_test_assert_values(pkt, "http.request.method", "HEAD,GET");
    g_assert_cmpstr(pkt->info, ==, "HEAD /a HTTP/1.1 GET /b HTTP/1.1 ");
    pkt = peel_test_conv_run(dis, c, 5);
    peel_test_assert_values(pkt, "http.response.code", "200,404");
    peel_test_assert_values(pkt, "http.content_length", "100,2");
    peel_test_assert_values(pkt, "http.file_data", "no");
    g_assert_true(peel_test_packet_has_expert(pkt, "HTTP 404 Not Found: client error"));
    peel_test_conv_free(c);
}

static void
test_100_continue(void)
{
    PeelTestConv *c = capture_new(80);
    send_str(c, PEEL_TEST_CLIENT,
            "POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    send_str(c, PEEL_TEST_SERVER, "HTTP/1.1 100 Continue\r\n\r\n");
    send_str(c, PEEL_TEST_CLIENT, "hello");
    send_str(c, PEEL_TEST_SERVER, "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c, 4);
    peel_test_assert_values(pkt, "http.request.method", "");
    g_assert_cmpstr(pkt->info, ==, "POST /up HTTP/1.1  [TCP segment of a reassembled PDU]");
    pkt = peel_test_conv_run(dis, c, 5);
    peel_test_assert_values(pkt, "http.response.code", "100");
    peel_test_assert_values(pkt, "http.request_in", ""); /* the request is not complete yet */
    pkt = peel_test_conv_run(dis, c, 6);
    peel_test_assert_values(pkt, "http.request.method", "POST");
    peel_test_assert_values(pkt, "http.file_data", "hello");
    pkt = peel_test_conv_run(dis, c, 7);
    peel_test_assert_values(pkt, "http.response.code", "201");
    peel_test_assert_values(pkt, "http.request_in", "6");
    peel_test_assert_values(pkt, "http.prev_response_in", "5");
    peel_test_conv_free(c);
}

/* HTTP/1.0 without Content-Length: the body ends with the connection, in the FIN frame. */
static void
test_close_delimited(void)
{
    PeelTestConv *c = capture_new(80);
    send_str(c, PEEL_TEST_CLIENT, "GET / HTTP/1.0\r\n\r\n");
    send_str(c, PEEL_TEST_SERVER, "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html>");
    send_str(c, PEEL_TEST_SERVER, "</html>");
    peel_test_conv_segment(c, PEEL_TEST_SERVER, PEEL_TEST_FIN | PEEL_TEST_ACK, "", 0);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    for (uint32_t i = 1; i <= 6; i++) {
        const PeelPacket *pkt = peel_test_conv_run(dis, c, i);
        if (i == 5)
            g_assert_cmpstr(pkt->info, ==, "HTTP/1.0 200 OK  [TCP segment of a reassembled PDU]");
        if (i >= 5)
            peel_test_assert_values(pkt, "http.response.code", "");
    }
    const PeelPacket *pkt = peel_test_conv_run(dis, c, 7);
    peel_test_assert_values(pkt, "http.response.code", "200");
    peel_test_assert_values(pkt, "http.file_data", "<html></html>");
    peel_test_assert_values(pkt, "tcp.segment", "5,6");
    g_assert_cmpstr(pkt->info, ==, "HTTP/1.0 200 OK  (text/html)");
    peel_test_conv_free(c);
}

static GByteArray *
gzip_of(const void *data, size_t n)
{
    z_stream zs = { 0 };
    g_assert_cmpint(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), ==, Z_OK);
    GByteArray *out = g_byte_array_sized_new((guint)deflateBound(&zs, n));
    g_byte_array_set_size(out, (guint)deflateBound(&zs, n));
    zs.next_in = (Bytef *)data;
    zs.avail_in = (uInt)n;
    zs.next_out = out->data;
    zs.avail_out = out->len;
    g_assert_cmpint(deflate(&zs, Z_FINISH), ==, Z_STREAM_END);
    g_byte_array_set_size(out, (guint)zs.total_out);
    deflateEnd(&zs);
    return out;
}

static void
send_gzip_response(PeelTestConv *c, const GByteArray *gz)
{
    g_autofree char *head =
            g_strdup_printf("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
                            "Content-Type: text/plain\r\nContent-Length: %u\r\n\r\n",
                    gz->len);
    GByteArray *msg = g_byte_array_new();
    g_byte_array_append(msg, (const guint8 *)head, (guint)strlen(head));
    g_byte_array_append(msg, gz->data, gz->len);
    for (guint off = 0; off < msg->len; off += 1400)
        peel_test_conv_segment(
                c, PEEL_TEST_SERVER, PEEL_TEST_ACK, msg->data + off, MIN(1400u, msg->len - off));
    g_byte_array_unref(msg);
}

static void
test_gzip(void)
{
    PeelTestConv *c = capture_new(80);
    send_str(c, PEEL_TEST_CLIENT, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    static const char text[] = "compressed hello, compressed hello, compressed hello\n";
    GByteArray *gz = gzip_of(text, strlen(text));
    send_gzip_response(c, gz);
    g_byte_array_unref(gz);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_all(dis, c);
    peel_test_assert_values(pkt, "http.content_encoding", "gzip");
    peel_test_assert_values(
            pkt, "http.file_data", "compressed hello, compressed hello, compressed hello\\n");
    peel_test_conv_free(c);
}

/* 64 MiB of zeros gzip to about 64 KiB: decoded only up to the bound, then noted. */
static void
test_gzip_bomb(void)
{
    PeelTestConv *c = capture_new(80);
    send_str(c, PEEL_TEST_CLIENT, "GET /bomb HTTP/1.1\r\nHost: h\r\n\r\n");
    size_t n = 64u << 20;
    uint8_t *zeros = g_malloc0(n);
    GByteArray *gz = gzip_of(zeros, n);
    g_free(zeros);
    send_gzip_response(c, gz);
    g_byte_array_unref(gz);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_all(dis, c);
    peel_test_assert_values(pkt, "http.response.code", "200");
    g_assert_true(peel_test_packet_has_expert(pkt, "decompression bomb"));
    for (uint32_t i = 0; i < pkt->n_sources; i++)
        g_assert_cmpstr(pkt->sources[i].name, !=, "Uncompressed entity body");
    peel_test_conv_free(c);
}

static void
upgrade_exchange(PeelTestConv *c, const char *accept)
{
    send_str(c, PEEL_TEST_CLIENT,
            "GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n");
    g_autofree char *resp = g_strdup_printf(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Accept: %s\r\n"
            "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n\r\n",
            accept);
    send_str(c, PEEL_TEST_SERVER, resp);
    send_str(c, PEEL_TEST_SERVER, "\x81\x05hello"); /* a WebSocket frame: no longer HTTP */
}

static void
test_upgrade(void)
{
    PeelTestConv *c = capture_new(80);
    upgrade_exchange(c, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c, 5);
    peel_test_assert_values(pkt, "http.response.code", "101");
    peel_test_assert_values(pkt, "http.upgrade", "websocket");
    peel_test_assert_values(pkt, "http.sec_websocket_accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    g_assert_false(peel_test_packet_has_expert(pkt, "Sec-WebSocket-Accept does not match"));
    const PeelHttpUpgrade *u = peel_http_upgrade((PeelPacket *)pkt);
    g_assert_nonnull(u);
    g_assert_cmpstr(u->upgrade, ==, "websocket");
    g_assert_cmpstr(u->ws_key, ==, "dGhlIHNhbXBsZSBub25jZQ==");
    g_assert_cmpstr(u->ws_accept, ==, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    g_assert_cmpstr(u->ws_extensions, ==, "permessage-deflate; server_no_context_takeover");
    g_assert_null(u->ws_protocol);
    g_assert_cmpuint(u->request_frame, ==, 4);
    g_assert_cmpuint(u->response_frame, ==, 5);
    pkt = peel_test_conv_run(dis, c, 6);
    peel_test_assert_values(pkt, "http.response.code", "");
    peel_test_assert_values(pkt, "http.file_data", "");
    peel_test_conv_free(c);
}

static void
test_upgrade_bad_accept(void)
{
    PeelTestConv *c = capture_new(80);
    upgrade_exchange(c, "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c, 5);
    g_assert_true(peel_test_packet_has_expert(pkt, "Sec-WebSocket-Accept does not match"));
    peel_test_conv_free(c);
}

/* Wireshark's pairing: prev_request_in and prev_response_in link each exchange to the
 * one before; a second connection starts its own numbering. */
static void
test_keep_alive_pairing(void)
{
    PeelTestConv *c = capture_new(80);
    for (int i = 0; i < 3; i++) {
        send_str(c, PEEL_TEST_CLIENT, GET_HELLO);
        send_str(c, PEEL_TEST_SERVER, OK_HELLO);
    }
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c, 8);
    peel_test_assert_values(pkt, "http.request_number", "3");
    peel_test_assert_values(pkt, "http.prev_request_in", "6");
    pkt = peel_test_conv_run(dis, c, 9);
    peel_test_assert_values(pkt, "http.response_number", "3");
    peel_test_assert_values(pkt, "http.request_in", "8");
    peel_test_assert_values(pkt, "http.prev_request_in", "6");
    peel_test_assert_values(pkt, "http.prev_response_in", "7");
    peel_test_conv_free(c);
}

/* Requests and responses on a port no table names: found by the heuristic. */
static void
test_heuristic_port(void)
{
    PeelTestConv *c = capture_new(45678);
    send_str(c, PEEL_TEST_CLIENT, GET_HELLO);
    send_str(c, PEEL_TEST_SERVER, OK_HELLO);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_all(dis, c);
    peel_test_assert_values(pkt, "http.response.code", "200");
    peel_test_conv_free(c);

    c = capture_new(45678);
    send_str(c, PEEL_TEST_CLIENT, "HELLO THERE not http\r\n");
    g_autoptr(PeelDissector) dis2 = peel_dissector_new();
    pkt = peel_test_conv_run_all(dis2, c);
    g_assert_cmpstr(pkt->col_protocol, !=, "HTTP");
    peel_test_conv_free(c);
}

/* Bytes that are no message start on port 80: shown as a continuation, dissection goes
 * on. */
static void
test_continuation(void)
{
    PeelTestConv *c = capture_new(80);
    send_str(c, PEEL_TEST_SERVER, "\x01\x02 not a status line\r\n\r\n");
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_all(dis, c);
    g_assert_cmpstr(pkt->info, ==, "Continuation");
    peel_test_assert_values(pkt, "http.response.code", "");
    peel_test_conv_free(c);
}

/* A revisit (--frame N, the GUI) rebuilds the message and shows the same pairing from
 * the per-frame record, without flow state. */
static void
test_revisit(void)
{
    PeelTestConv *c = capture_new(80);
    send_str(c, PEEL_TEST_CLIENT, GET_HELLO);
    peel_test_conv_segment(c, PEEL_TEST_SERVER, PEEL_TEST_ACK, OK_HELLO, 20);
    peel_test_conv_segment(c, PEEL_TEST_SERVER, PEEL_TEST_PSH | PEEL_TEST_ACK, OK_HELLO + 20,
            strlen(OK_HELLO) - 20);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    peel_dissector_keep_records(dis, true);
    peel_test_conv_fetch(dis, c);
    peel_test_conv_run_all(dis, c);
    const PeelPacket *pkt = peel_test_conv_run(dis, c, 6);
    g_assert_true(pkt->revisit);
    peel_test_assert_values(pkt, "http.response.code", "200");
    peel_test_assert_values(pkt, "http.request_in", "4");
    peel_test_assert_values(pkt, "http.time", "2.000000000");
    peel_test_assert_values(
            pkt, "http.response_for.uri", "http://example.test:8080/hello.txt?a=1&b=2");
    peel_test_assert_values(pkt, "http.file_data", "hello world\\n");
    peel_test_conv_free(c);
}

/* 100000 one-byte chunks over about 430 segments: framed in linear time (each segment's
 * bytes are parsed once), shown up to the display bound, de-chunked completely. */
static void
test_many_small_chunks(void)
{
    PeelTestConv *c = capture_new(80);
    send_str(c, PEEL_TEST_CLIENT, "GET /tiny HTTP/1.1\r\nHost: h\r\n\r\n");
    GString *msg = g_string_new("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 100000; i++)
        g_string_append(msg, "1\r\nx\r\n");
    g_string_append(msg, "0\r\n\r\n");
    for (gsize off = 0; off < msg->len; off += 1400)
        peel_test_conv_segment(
                c, PEEL_TEST_SERVER, PEEL_TEST_ACK, msg->str + off, MIN(1400u, msg->len - off));
    g_string_free(msg, TRUE);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    gint64 t0 = g_get_monotonic_time();
    const PeelPacket *pkt = peel_test_conv_run_all(dis, c);
    gint64 us = g_get_monotonic_time() - t0;
    peel_test_assert_values(pkt, "http.response.code", "200");
    g_assert_true(peel_test_packet_has_expert(pkt, "more chunks not shown one by one"));
    g_autofree char *body = peel_test_values(pkt, "http.file_data");
    g_assert_cmpuint(strlen(body), ==, 100000);
    g_assert_cmpint(us, <, 20 * G_USEC_PER_SEC); /* quadratic framing took minutes */
    peel_test_conv_free(c);
}

/* Basic credentials are shown decoded, as Wireshark's http.authbasic. */
static void
test_basic_auth(void)
{
    PeelTestConv *c = capture_new(80);
    send_str(
            c, PEEL_TEST_CLIENT, "GET / HTTP/1.1\r\nAuthorization: Basic cGVlbDpzYW1wbGU=\r\n\r\n");
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_all(dis, c);
    peel_test_assert_values(pkt, "http.authorization", "Basic cGVlbDpzYW1wbGU=");
    peel_test_assert_values(pkt, "http.authbasic", "peel:sample");
    peel_test_conv_free(c);
}

/* The server closes with a request unanswered: noted in its FIN frame, and again when
 * that frame is revisited. A client closing first after its request is no such note. */
static void
test_unanswered_request(void)
{
    PeelTestConv *c = capture_new(80);
    send_str(c, PEEL_TEST_CLIENT, GET_HELLO);
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_FIN | PEEL_TEST_ACK, "",
            0); /* the client half-closes: the response may still come */
    peel_test_conv_segment(c, PEEL_TEST_SERVER, PEEL_TEST_FIN | PEEL_TEST_ACK, "",
            0); /* the server closes without answering */
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    peel_dissector_keep_records(dis, true);
    peel_test_conv_fetch(dis, c);
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c, 5);
    g_assert_false(peel_test_packet_has_expert(pkt, "without a response"));
    pkt = peel_test_conv_run(dis, c, 6);
    g_assert_true(peel_test_packet_has_expert(pkt,
            "1 HTTP request without a response when the connection "
            "closed (first in frame 4)"));
    pkt = peel_test_conv_run(dis, c, 6);
    g_assert_true(pkt->revisit);
    g_assert_true(peel_test_packet_has_expert(pkt, "without a response"));
    peel_test_conv_free(c);

    /* answered: nothing to say */
    c = capture_new(80);
    send_str(c, PEEL_TEST_CLIENT, GET_HELLO);
    send_str(c, PEEL_TEST_SERVER, OK_HELLO);
    peel_test_conv_segment(c, PEEL_TEST_SERVER, PEEL_TEST_FIN | PEEL_TEST_ACK, "", 0);
    g_autoptr(PeelDissector) dis2 = peel_dissector_new();
    pkt = peel_test_conv_run_all(dis2, c);
    g_assert_false(peel_test_packet_has_expert(pkt, "without a response"));
    peel_test_conv_free(c);
}

/* The index of the first field `name` in pkt's list, -1 when absent. */
static int
field_at(const PeelPacket *pkt, const char *name)
{
    int id = peel_field_lookup(name);
    for (uint32_t i = 0; id >= 0 && i < pkt->n_fields; i++)
        if (pkt->fields[i].id == (uint32_t)id)
            return (int)i;
    return -1;
}

/* The tree label of the first field `name`, or NULL. */
static const char *
text_of(const PeelPacket *pkt, const char *name)
{
    int i = field_at(pkt, name);
    return i >= 0 ? pkt->fields[i].text : NULL;
}

/* What peel_dissector_finish reported: "FRAME: NOTE" lines. */
static void
collect_end(void *user, const PeelPacket *pkt)
{
    GString *out = user;
    for (uint32_t e = 0; e < pkt->n_experts; e++)
        g_string_append_printf(out, "%u: %s\n", pkt->frame->number, pkt->experts[e].msg);
}

/* Wireshark's second pass: a request shows its response and the next request, a response
 * the next pair's request and response, "1/N" counts all the connection's pairs. The first
 * pass cannot know them; the records of earlier frames are patched as later messages come
 * (tshark -2 shows the same on samples/http-curl.pcap and http-nginx.pcap: test-cli). */
static void
test_revisit_links(void)
{
    PeelTestConv *c = capture_new(80);
    send_str(c, PEEL_TEST_CLIENT, GET_HELLO); /* 4 */
    send_str(c, PEEL_TEST_SERVER, OK_HELLO);  /* 5 */
    send_str(c, PEEL_TEST_CLIENT, GET_HELLO); /* 6 */
    send_str(c, PEEL_TEST_SERVER, OK_HELLO);  /* 7 */
    send_str(c, PEEL_TEST_CLIENT, GET_HELLO); /* 8: never answered */
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    peel_dissector_set_want_tree(dis, true);
    peel_dissector_keep_records(dis, true);
    peel_test_conv_fetch(dis, c);
    /* first pass: nothing from the future */
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c, 4);
    peel_test_assert_values(pkt, "http.response_in", "");
    peel_test_assert_values(pkt, "http.next_request_in", "");
    g_assert_cmpstr(text_of(pkt, "http.request_number"), ==, "[HTTP request 1/1]");
    pkt = peel_test_conv_run(dis, c, 5);
    peel_test_assert_values(pkt, "http.next_response_in", "");
    for (uint32_t n = 6; n <= 8; n++)
        peel_test_conv_run(dis, c, n);
    g_autoptr(GString) notes = g_string_new(NULL);
    peel_dissector_finish(dis, collect_end, notes);
    g_assert_cmpstr(notes->str, ==,
            "8: 1 HTTP request without a response at the end of the capture (first in frame 8)\n");

    pkt = peel_test_conv_run(dis, c, 4);
    g_assert_true(pkt->revisit);
    peel_test_assert_values(pkt, "http.request_number", "1");
    g_assert_cmpstr(text_of(pkt, "http.request_number"), ==, "[HTTP request 1/3]");
    peel_test_assert_values(pkt, "http.prev_request_in", "");
    peel_test_assert_values(pkt, "http.response_in", "5");
    peel_test_assert_values(pkt, "http.next_request_in", "6");
    peel_test_assert_values(pkt, "http.next_response_in", "");
    g_assert_cmpint(field_at(pkt, "http.response_in"), <, field_at(pkt, "http.next_request_in"));
    g_assert_false(peel_test_packet_has_expert(pkt, "without a response"));

    pkt = peel_test_conv_run(dis, c, 5);
    peel_test_assert_values(pkt, "http.request_in", "4");
    peel_test_assert_values(pkt, "http.next_request_in", "6");
    peel_test_assert_values(pkt, "http.next_response_in", "7");
    peel_test_assert_values(pkt, "http.prev_request_in", "");
    g_assert_cmpstr(text_of(pkt, "http.response_number"), ==, "[HTTP response 1/3]");
    /* Wireshark's order: request_in, next_request_in, next_response_in, the URI */
    g_assert_cmpint(field_at(pkt, "http.request_in"), <, field_at(pkt, "http.next_request_in"));
    g_assert_cmpint(
            field_at(pkt, "http.next_request_in"), <, field_at(pkt, "http.next_response_in"));
    g_assert_cmpint(
            field_at(pkt, "http.next_response_in"), <, field_at(pkt, "http.response_for.uri"));

    pkt = peel_test_conv_run(dis, c, 6);
    peel_test_assert_values(pkt, "http.prev_request_in", "4");
    peel_test_assert_values(pkt, "http.response_in", "7");
    peel_test_assert_values(pkt, "http.next_request_in", "8");

    pkt = peel_test_conv_run(dis, c, 7);
    peel_test_assert_values(pkt, "http.prev_request_in", "4");
    peel_test_assert_values(pkt, "http.prev_response_in", "5");
    peel_test_assert_values(pkt, "http.request_in", "6");
    peel_test_assert_values(pkt, "http.next_request_in", "8");
    peel_test_assert_values(pkt, "http.next_response_in", "");

    /* the unanswered request: no response, and the end-of-capture note on a revisit */
    pkt = peel_test_conv_run(dis, c, 8);
    peel_test_assert_values(pkt, "http.prev_request_in", "6");
    peel_test_assert_values(pkt, "http.response_in", "");
    peel_test_assert_values(pkt, "http.next_request_in", "");
    g_assert_true(peel_test_packet_has_expert(
            pkt, "1 HTTP request without a response at the end of the capture (first in frame 8)"));
    peel_test_conv_free(c);
}

/* Two requests in one segment (messages 1 and 2 of the frame), both answered in the next:
 * each record is patched, not only the frame's first. */
static void
test_revisit_links_pipelined(void)
{
    PeelTestConv *c = capture_new(80);
    g_autofree char *two = g_strconcat(GET_HELLO, GET_HELLO, NULL);
    g_autofree char *answers = g_strconcat(OK_HELLO, OK_HELLO, NULL);
    send_str(c, PEEL_TEST_CLIENT, two);     /* 4 */
    send_str(c, PEEL_TEST_SERVER, answers); /* 5 */
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    peel_dissector_keep_records(dis, true);
    peel_test_conv_fetch(dis, c);
    peel_test_conv_run_all(dis, c);
    const PeelPacket *pkt = peel_test_conv_run(dis, c, 4);
    g_assert_true(pkt->revisit);
    /* Wireshark's pairs: a response joins the last request's pair, the second response
     * starts a pair of its own (packet-http.c push_res) */
    peel_test_assert_values(pkt, "http.request_number", "1,2");
    peel_test_assert_values(pkt, "http.response_in", "5");
    peel_test_assert_values(pkt, "http.next_request_in", "4");
    pkt = peel_test_conv_run(dis, c, 5);
    peel_test_assert_values(pkt, "http.response_number", "2,3");
    peel_test_assert_values(pkt, "http.request_in", "4");
    peel_test_assert_values(pkt, "http.next_response_in", "5");
    peel_test_conv_free(c);
}

/* The capture ends with requests unanswered and neither side closed: one note per
 * connection at the end (peel_dissector_finish), with or without records; none when the
 * server's FIN or RST already said so, or the client reset, or all was answered. */
static void
test_unanswered_at_end(void)
{
    /* two requests, the client half-closed: the answers may still come */
    PeelTestConv *c = capture_new(80);
    send_str(c, PEEL_TEST_CLIENT, GET_HELLO);
    send_str(c, PEEL_TEST_CLIENT, GET_HELLO);
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_FIN | PEEL_TEST_ACK, "", 0);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    peel_test_conv_run_all(dis, c);
    g_autoptr(GString) notes = g_string_new(NULL);
    peel_dissector_finish(dis, collect_end, notes);
    g_assert_cmpstr(notes->str, ==,
            "4: 2 HTTP requests without a response at the end of the capture (first in frame "
            "4)\n");
    g_string_truncate(notes, 0);
    peel_dissector_finish(dis, collect_end, notes); /* once */
    g_assert_cmpstr(notes->str, ==, "");
    peel_test_conv_free(c);

    /* the server closed: noted then, not again at the end */
    c = capture_new(80);
    send_str(c, PEEL_TEST_CLIENT, GET_HELLO);
    peel_test_conv_segment(c, PEEL_TEST_SERVER, PEEL_TEST_FIN | PEEL_TEST_ACK, "", 0);
    g_autoptr(PeelDissector) dis2 = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_all(dis2, c);
    g_assert_true(peel_test_packet_has_expert(pkt, "when the connection closed"));
    peel_dissector_finish(dis2, collect_end, notes);
    g_assert_cmpstr(notes->str, ==, "");
    peel_test_conv_free(c);

    /* the server reset the connection: its RST says it, with records for a revisit */
    c = capture_new(80);
    send_str(c, PEEL_TEST_CLIENT, GET_HELLO);
    peel_test_conv_segment(c, PEEL_TEST_SERVER, PEEL_TEST_RST | PEEL_TEST_ACK, "", 0);
    peel_test_conv_segment(c, PEEL_TEST_SERVER, PEEL_TEST_RST, "", 0); /* once only */
    g_autoptr(PeelDissector) dis3 = peel_dissector_new();
    peel_dissector_keep_records(dis3, true);
    peel_test_conv_fetch(dis3, c);
    pkt = peel_test_conv_run_to(dis3, c, 5);
    g_assert_true(peel_test_packet_has_expert(pkt,
            "1 HTTP request without a response when the connection closed (first in frame 4)"));
    pkt = peel_test_conv_run(dis3, c, 6);
    g_assert_false(peel_test_packet_has_expert(pkt, "without a response"));
    peel_dissector_finish(dis3, collect_end, notes);
    g_assert_cmpstr(notes->str, ==, "");
    pkt = peel_test_conv_run(dis3, c, 5);
    g_assert_true(pkt->revisit);
    g_assert_true(peel_test_packet_has_expert(pkt, "when the connection closed"));
    peel_test_conv_free(c);

    /* the client reset: it gave up, nothing to say then or at the end */
    c = capture_new(80);
    send_str(c, PEEL_TEST_CLIENT, GET_HELLO);
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_RST | PEEL_TEST_ACK, "", 0);
    g_autoptr(PeelDissector) dis4 = peel_dissector_new();
    pkt = peel_test_conv_run_all(dis4, c);
    g_assert_false(peel_test_packet_has_expert(pkt, "without a response"));
    peel_dissector_finish(dis4, collect_end, notes);
    g_assert_cmpstr(notes->str, ==, "");
    peel_test_conv_free(c);

    /* answered, connection left open: nothing */
    c = capture_new(80);
    send_str(c, PEEL_TEST_CLIENT, GET_HELLO);
    send_str(c, PEEL_TEST_SERVER, OK_HELLO);
    g_autoptr(PeelDissector) dis5 = peel_dissector_new();
    peel_test_conv_run_all(dis5, c);
    peel_dissector_finish(dis5, collect_end, notes);
    g_assert_cmpstr(notes->str, ==, "");
    peel_test_conv_free(c);
}

/* Decode-as: a port no table names, a method the heuristic does not look for. */
static void
test_decode_as(void)
{
    PeelTestConv *c = capture_new(5555);
    send_str(c, PEEL_TEST_CLIENT, "PURGE /cache HTTP/1.1\r\nHost: h\r\n\r\n");
    g_autoptr(PeelDissector) plain = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_all(plain, c);
    peel_test_assert_values(pkt, "http.request.method", "");
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    g_autoptr(GError) error = NULL;
    g_assert_true(peel_dissector_decode_as(dis, "tcp.port==5555,http", &error));
    g_assert_no_error(error);
    pkt = peel_test_conv_run_all(dis, c);
    peel_test_assert_values(pkt, "http.request.method", "PURGE");
    peel_test_assert_values(pkt, "http.request.uri", "/cache");
    peel_test_conv_free(c);
}

/* CONNECT: the 2xx has no body and opens a tunnel; the bytes after it are not HTTP. */
static void
test_connect_tunnel(void)
{
    PeelTestConv *c = capture_new(3128);
    send_str(c, PEEL_TEST_CLIENT,
            "CONNECT example.test:443 HTTP/1.1\r\nHost: example.test:443\r\n\r\n");
    send_str(c, PEEL_TEST_SERVER, "HTTP/1.1 200 Connection established\r\n\r\n");
    peel_test_conv_segment(
            c, PEEL_TEST_CLIENT, PEEL_TEST_PSH | PEEL_TEST_ACK, "\x16\x03\x01\x00\x05hello", 10);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c, 4);
    peel_test_assert_values(pkt, "http.request.method", "CONNECT");
    pkt = peel_test_conv_run(dis, c, 5);
    peel_test_assert_values(pkt, "http.response.code", "200");
    g_assert_cmpstr(pkt->info, ==, "HTTP/1.1 200 Connection established ");
    pkt = peel_test_conv_run(dis, c, 6);
    g_assert_cmpstr(pkt->col_protocol, !=, "HTTP");
    peel_test_assert_values(pkt, "http.request.method", "");
    peel_test_conv_free(c);
}

/* gRPC-Web over HTTP/1.1: a binary request of two messages, and a base64 text response
 * (chunked, each chunk padded on its own) of a message and the trailer frame, handed to
 * the gRPC message dissector with the call's path, as Wireshark does. */
static void
test_grpc_web(void)
{
    PeelTestConv *c = capture_new(8080);
    static const char req_head[] = "POST /pkg.Svc/Get HTTP/1.1\r\nHost: h\r\n"
                                   "Content-Type: application/grpc-web+proto\r\n"
                                   "Content-Length: 12\r\n\r\n";
    static const uint8_t msgs[] = { 0, 0, 0, 0, 2, 0x08, 0x01, 0, 0, 0, 0, 0 };
    g_autoptr(GByteArray) req = g_byte_array_new();
    g_byte_array_append(req, (const guint8 *)req_head, sizeof req_head - 1);
    g_byte_array_append(req, msgs, sizeof msgs);
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_PSH | PEEL_TEST_ACK, req->data, req->len);
    send_str(c, PEEL_TEST_SERVER,
            "HTTP/1.1 200 OK\r\nContent-Type: application/grpc-web-text\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
            "c\r\nAAAAAAIIKg==\r\n1c\r\ngAAAAA9ncnBjLXN0YXR1czowDQo=\r\n0\r\n\r\n");
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c, 4);
    g_assert_cmpstr(pkt->col_protocol, ==, "GRPC-Web");
    g_assert_cmpstr(pkt->info, ==, "POST /pkg.Svc/Get HTTP/1.1  (GRPC-Web) (PROTOBUF)");
    peel_test_assert_values(pkt, "grpc.message_length", "2,0");
    peel_test_assert_values(pkt, "grpc.compressed_flag", "0,0");
    peel_test_assert_values(pkt, "protobuf.field.number", "1");
    pkt = peel_test_conv_run(dis, c, 5);
    g_assert_cmpstr(pkt->col_protocol, ==, "GRPC-Web-Text");
    g_assert_cmpstr(pkt->info, ==,
            "HTTP/1.1 200 OK  (GRPC-Web-Text) (PROTOBUF) (application/grpc-web-text)");
    peel_test_assert_values(pkt, "grpc.frame_type", "0,1");
    peel_test_assert_values(pkt, "grpc.message_length", "2,15");
    peel_test_assert_values(pkt, "grpc.message_data", "082a,677270632d7374617475733a300d0a");
    peel_test_conv_free(c);
}

/* h2c through Upgrade with the real HTTP dissector: the HTTP2-Settings header decoded as
 * http2.settings items; after the 101 the same segment goes on in HTTP/2 (the server's
 * SETTINGS and the response on stream 1), then the client's preface. */
static void
test_h2c_upgrade(void)
{
    PeelTestConv *c = capture_new(80);
    send_str(c, PEEL_TEST_CLIENT,
            "GET /robots.txt HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\n"
            "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
    static const char head[] = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                               "Upgrade: h2c\r\n\r\n";
    static const uint8_t h2[] = { 0, 0, 0, 4, 0, 0, 0, 0, 0, /* SETTINGS */
        0, 0, 1, 1, 0x05, 0, 0, 0, 1, 0x88 };                /* HEADERS[1] :status 200 */
    g_autoptr(GByteArray) resp = g_byte_array_new();
    g_byte_array_append(resp, (const guint8 *)head, sizeof head - 1);
    g_byte_array_append(resp, h2, sizeof h2);
    peel_test_conv_segment(
            c, PEEL_TEST_SERVER, PEEL_TEST_PSH | PEEL_TEST_ACK, resp->data, resp->len);
    static const uint8_t pre[] = { 'P', 'R', 'I', ' ', '*', ' ', 'H', 'T', 'T', 'P', '/', '2', '.',
        '0', '\r', '\n', '\r', '\n', 'S', 'M', '\r', '\n', '\r', '\n', 0, 0, 0, 4, 0, 0, 0, 0, 0 };
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_PSH | PEEL_TEST_ACK, pre, sizeof pre);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c, 4);
    peel_test_assert_values(pkt, "http.upgrade", "h2c");
    peel_test_assert_values(pkt, "http2.settings.id", "3,4,2");
    peel_test_assert_values(pkt, "http2.settings.max_concurrent_streams", "100");
    peel_test_assert_values(pkt, "http2.settings.initial_window_size", "1073741824");
    peel_test_assert_values(pkt, "http2.settings.enable_push", "0");
    pkt = peel_test_conv_run(dis, c, 5);
    g_assert_cmpstr(pkt->col_protocol, ==, "HTTP2");
    g_assert_cmpstr(pkt->info, ==, "HTTP/1.1 101 Switching Protocols , SETTINGS[0], HEADERS[1]: 200 OK");
    peel_test_assert_values(pkt, "http2.type", "4,1");
    peel_test_assert_values(pkt, "http2.headers.status", "200");
    pkt = peel_test_conv_run(dis, c, 6);
    g_assert_cmpstr(pkt->info, ==, "Magic, SETTINGS[0]");
    peel_test_conv_free(c);
}

/* A JSON body (as Wireshark 4.0: application/json goes to its JSON dissector): the
 * Protocol column "HTTP/JSON", Info ", JavaScript Object Notation (application/json)",
 * objects, arrays, members, escapes, literals; then a body nested past the bound. */
static void
test_json_body(void)
{
    PeelTestConv *c = capture_new(80);
    send_str(c, PEEL_TEST_CLIENT,
            "POST /api HTTP/1.1\r\nHost: h\r\nContent-Type: application/json; charset=utf-8\r\n"
            "Content-Length: 66\r\n\r\n"
            "{\"a\": [1, -2.5e3], \"b\\u00e9\": {\"t\": true, \"n\": null}, \"s\": \"x\\\"y\"}");
    GString *deep = g_string_new(NULL);
    for (int i = 0; i < 100; i++)
        g_string_append_c(deep, '[');
    for (int i = 0; i < 100; i++)
        g_string_append_c(deep, ']');
    g_autofree char *resp = g_strdup_printf(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %u\r\n\r\n%s",
            (unsigned)deep->len, deep->str);
    g_string_free(deep, TRUE);
    send_str(c, PEEL_TEST_SERVER, resp);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c, 4);
    g_assert_cmpstr(pkt->col_protocol, ==, "HTTP/JSON");
    g_assert_cmpstr(pkt->info, ==, "POST /api HTTP/1.1 , JavaScript Object Notation (application/json)");
    peel_test_assert_values(pkt, "json.member", "a,b\xc3\xa9,t,n,s");
    peel_test_assert_values(pkt, "json.value.number", "1,-2.5e3");
    peel_test_assert_values(pkt, "json.value.string", "x\"y");
    peel_test_assert_values(pkt, "json.path", "/a,/b\xc3\xa9/t,/b\xc3\xa9/n,/b\xc3\xa9,/s");
    peel_test_assert_values(pkt, "json.member_with_value", "t:true,n:null,s:x\"y");
    g_assert_cmpuint(peel_test_count(pkt, "json.value.true"), ==, 1);
    g_assert_cmpuint(peel_test_count(pkt, "json.value.null"), ==, 1);
    g_assert_cmpuint(peel_test_count(pkt, "json.object"), ==, 2);
    g_assert_cmpuint(peel_test_count(pkt, "json.array"), ==, 1);
    g_assert_false(peel_test_packet_has_expert(pkt, "not valid JSON"));
    pkt = peel_test_conv_run(dis, c, 5);
    g_assert_cmpstr(pkt->col_protocol, ==, "HTTP/JSON");
    g_assert_true(peel_test_packet_has_expert(pkt, "JSON nested deeper than 64 levels"));
    peel_test_conv_free(c);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    peel_registry_init();
    g_test_add_func("/http/request-response", test_request_response);
    g_test_add_func("/http/grpc-web", test_grpc_web);
    g_test_add_func("/http/h2c-upgrade", test_h2c_upgrade);
    g_test_add_func("/http/json-body", test_json_body);
    g_test_add_func("/http/body-split-everywhere", test_body_split_everywhere);
    g_test_add_func("/http/chunked-split-everywhere", test_chunked_split_everywhere);
    g_test_add_func("/http/lf-only-headers", test_lf_only_headers);
    g_test_add_func("/http/oversized-headers", test_oversized_headers);
    g_test_add_func("/http/head-then-get", test_head_then_get);
    g_test_add_func("/http/100-continue", test_100_continue);
    g_test_add_func("/http/close-delimited", test_close_delimited);
    g_test_add_func("/http/gzip", test_gzip);
    g_test_add_func("/http/gzip-bomb", test_gzip_bomb);
    g_test_add_func("/http/upgrade", test_upgrade);
    g_test_add_func("/http/upgrade-bad-accept", test_upgrade_bad_accept);
    g_test_add_func("/http/keep-alive-pairing", test_keep_alive_pairing);
    g_test_add_func("/http/revisit-links", test_revisit_links);
    g_test_add_func("/http/revisit-links-pipelined", test_revisit_links_pipelined);
    g_test_add_func("/http/unanswered-at-end", test_unanswered_at_end);
    g_test_add_func("/http/heuristic-port", test_heuristic_port);
    g_test_add_func("/http/continuation", test_continuation);
    g_test_add_func("/http/revisit", test_revisit);
    g_test_add_func("/http/many-small-chunks", test_many_small_chunks);
    g_test_add_func("/http/basic-auth", test_basic_auth);
    g_test_add_func("/http/unanswered-request", test_unanswered_request);
    g_test_add_func("/http/decode-as", test_decode_as);
    g_test_add_func("/http/connect-tunnel", test_connect_tunnel);
    return g_test_run();
}
