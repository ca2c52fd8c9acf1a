/* test-proto-grpc.c: gRPC calls over hand-built HTTP/2 connections: a message split over
 * three DATA frames, three messages in one DATA frame, a gzip-compressed message, a
 * trailers-only error status with a percent-encoded message, binary metadata, and call
 * metadata from the request headers. */
#include <zlib.h>

#include "h2-harness.h"
#include "peel-test.h"
#include "proto-http2.h"
#include "registry.h"

static const char *const REQ[] = { ":method", "POST", ":scheme", "http", ":path", "/pkg.Svc/Method",
    ":authority", "localhost", "content-type", "application/grpc", "te", "trailers", "grpc-timeout",
    "1500m", "grpc-encoding", "gzip", "x-trace-bin", "AAEC", NULL };

/* Preface + SETTINGS + the request HEADERS, as one client segment. */
static void
open_call(H2Cap *c)
{
    g_autoptr(GByteArray) cl = g_byte_array_new();
    h2t_preface(cl);
    h2t_frame(cl, 4, 0, 0, NULL, 0);
    g_autoptr(GByteArray) blk = h2t_block(c, false, REQ);
    h2t_frame(cl, 1, 0x04, 1, blk->data, blk->len);
    h2t_segment(c, false, cl->data, cl->len);
}

/* A gRPC message: flag, length, body. */
static void
grpc_msg(GByteArray *b, uint8_t flag, const void *body, uint32_t n)
{
    g_byte_array_append(b, &flag, 1);
    peel_test_put32(b, n);
    g_byte_array_append(b, body, n);
}

static void
test_call_metadata(void)
{
    H2Cap *c = h2t_new();
    open_call(c);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c->tcp, 4);
    g_autoptr(GString) s = g_string_new(NULL);
    h2t_values(s, pkt, "grpc.service");
    g_assert_cmpstr(s->str, ==, "pkg.Svc");
    g_string_truncate(s, 0);
    h2t_values(s, pkt, "grpc.method");
    g_assert_cmpstr(s->str, ==, "Method");
    g_string_truncate(s, 0);
    h2t_values(s, pkt, "grpc.timeout");
    g_assert_cmpstr(s->str, ==, "1.500000000");
    g_string_truncate(s, 0);
    h2t_values(s, pkt, "grpc.metadata.binary");
    g_assert_cmpstr(s->str, ==, "000102");
    g_assert_cmpstr(pkt->info, ==, "Magic, SETTINGS[0], HEADERS[1]: POST /pkg.Svc/Method");
    h2t_free(c);
}

/* One 30-byte message over three DATA frames, each in its own segment: it is dissected
 * once, in the frame that completes it. */
static void
test_message_over_three_frames(void)
{
    H2Cap *c = h2t_new();
    open_call(c);
    g_autoptr(GByteArray) m = g_byte_array_new();
    grpc_msg(m, 0, "abcdefghijklmnopqrstuvwxyz0123", 30);
    guint cuts[] = { 0, 3, 20, m->len };
    for (int i = 0; i < 3; i++) {
        g_autoptr(GByteArray) f = g_byte_array_new();
        h2t_frame(f, 0, 0, 1, m->data + cuts[i], cuts[i + 1] - cuts[i]);
        h2t_segment(c, false, f->data, f->len);
    }
    g_autofree char *lens = h2t_all(c, "grpc.message_length");
    g_assert_cmpstr(lens, ==, "30|");
    g_autofree char *types = h2t_all(c, "http2.type");
    g_assert_cmpstr(types, ==, "4,1|0|0|0|");
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c->tcp, 7);
    g_assert_cmpstr(pkt->col_protocol, ==, "GRPC");
    g_assert_cmpstr(pkt->info, ==, "DATA[1] (GRPC) (PROTOBUF)");
    h2t_free(c);
}

/* The same message on a revisit of its last frame: rebuilt from the bytes the record
 * kept of the earlier DATA frames. */
static void
test_message_over_three_frames_revisit(void)
{
    H2Cap *c = h2t_new();
    open_call(c);
    g_autoptr(GByteArray) m = g_byte_array_new();
    grpc_msg(m, 0, "abcdefghijklmnopqrstuvwxyz0123", 30);
    guint cuts[] = { 0, 3, 20, m->len };
    for (int i = 0; i < 3; i++) {
        g_autoptr(GByteArray) f = g_byte_array_new();
        h2t_frame(f, 0, 0, 1, m->data + cuts[i], cuts[i + 1] - cuts[i]);
        h2t_segment(c, false, f->data, f->len);
    }
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    peel_dissector_keep_records(dis, true);
    peel_test_conv_fetch(dis, c->tcp);
    for (uint32_t i = 1; i <= 7; i++)
        peel_test_conv_run(dis, c->tcp, i);
    const PeelPacket *pkt = peel_test_conv_run(dis, c->tcp, 7);
    g_assert_true(pkt->revisit);
    g_autoptr(GString) s = g_string_new(NULL);
    h2t_values(s, pkt, "grpc.message_length");
    g_assert_cmpstr(s->str, ==, "30");
    g_string_truncate(s, 0);
    h2t_values(s, pkt, "grpc.message_data");
    g_assert_cmpstr(s->str, ==, "6162636465666768696a6b6c6d6e6f707172737475767778797a30313233");
    pkt = peel_test_conv_run(dis, c->tcp, 6);
    g_string_truncate(s, 0);
    h2t_values(s, pkt, "grpc.message_length");
    g_assert_cmpstr(s->str, ==, "");
    h2t_free(c);
}

/* Three messages in one DATA frame: three gRPC items, " (GRPC)" once. */
static void
test_three_messages_one_frame(void)
{
    H2Cap *c = h2t_new();
    open_call(c);
    g_autoptr(GByteArray) m = g_byte_array_new();
    grpc_msg(m, 0, "\x08\x01", 2);
    grpc_msg(m, 0, "\x08\x02\x10\x03", 4);
    grpc_msg(m, 0, "", 0);
    g_autoptr(GByteArray) f = g_byte_array_new();
    h2t_frame(f, 0, 0, 1, m->data, m->len);
    h2t_segment(c, false, f->data, f->len);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c->tcp, 5);
    g_autoptr(GString) s = g_string_new(NULL);
    h2t_values(s, pkt, "grpc.message_length");
    g_assert_cmpstr(s->str, ==, "2,4,0");
    g_string_truncate(s, 0);
    h2t_values(s, pkt, "grpc.compressed_flag");
    g_assert_cmpstr(s->str, ==, "0,0,0");
    g_assert_nonnull(strstr(pkt->info, "DATA[1] (GRPC)"));
    g_assert_null(strstr(strstr(pkt->info, "(GRPC)") + 1, "(GRPC)"));
    h2t_free(c);
}

/* A server-streaming burst: 30 DATA frames of one message each in one segment, all
 * dissected. */
static void
test_burst_one_segment(void)
{
    H2Cap *c = h2t_new();
    open_call(c);
    g_autoptr(GByteArray) f = g_byte_array_new();
    for (int i = 0; i < 30; i++) {
        g_autoptr(GByteArray) m = g_byte_array_new();
        uint8_t body[2] = { 0x08, (uint8_t)i };
        grpc_msg(m, 0, body, 2);
        h2t_frame(f, 0, 0, 1, m->data, m->len);
    }
    h2t_segment(c, true, f->data, f->len);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c->tcp, 5);
    guint n = 0;
    int id = peel_field_lookup("grpc.message_length");
    for (uint32_t i = 0; i < pkt->n_fields; i++)
        n += pkt->fields[i].id == (uint32_t)id;
    g_assert_cmpuint(n, ==, 30);
    h2t_free(c);
}

/* grpc-encoding: gzip and the compressed flag: the body is inflated. */
static void
test_gzip_message(void)
{
    H2Cap *c = h2t_new();
    open_call(c);
    const char plain[] = "\x0a\x05hello\x0a\x05hello\x0a\x05hello";
    uint8_t gz[128];
    z_stream z = { 0 };
    g_assert_cmpint(
            deflateInit2(&z, 6, Z_DEFLATED, MAX_WBITS + 16, 8, Z_DEFAULT_STRATEGY), ==, Z_OK);
    z.next_in = (Bytef *)plain;
    z.avail_in = sizeof plain - 1;
    z.next_out = gz;
    z.avail_out = sizeof gz;
    g_assert_cmpint(deflate(&z, Z_FINISH), ==, Z_STREAM_END);
    uint32_t gzlen = (uint32_t)z.total_out;
    deflateEnd(&z);
    g_autoptr(GByteArray) m = g_byte_array_new();
    grpc_msg(m, 1, gz, gzlen);
    grpc_msg(m, 1, "not gzip", 8);
    g_autoptr(GByteArray) f = g_byte_array_new();
    h2t_frame(f, 0, 0, 1, m->data, m->len);
    h2t_segment(c, false, f->data, f->len);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c->tcp, 5);
    bool found = false;
    for (uint32_t i = 0; i < pkt->n_sources; i++)
        if (strcmp(pkt->sources[i].name, "Uncompressed entity body") == 0) {
            g_assert_cmpuint(pkt->sources[i].len, ==, sizeof plain - 1);
            g_assert_cmpmem(pkt->sources[i].data, pkt->sources[i].len, plain, sizeof plain - 1);
            found = true;
        }
    g_assert_true(found);
    g_autoptr(GString) s = g_string_new(NULL);
    h2t_values(s, pkt, "grpc.compressed_flag");
    g_assert_cmpstr(s->str, ==, "1,1");
    g_assert_cmpuint(pkt->n_fields > 0, ==, 1);
    g_assert_true(peel_test_packet_has_expert(pkt, "Body decompression failed"));
    h2t_free(c);
}

/* A trailers-only response with an error status and a percent-encoded message. */
static void
test_error_status(void)
{
    H2Cap *c = h2t_new();
    open_call(c);
    g_autoptr(GByteArray) sv = g_byte_array_new();
    h2t_frame(sv, 4, 0, 0, NULL, 0);
    const char *const nv[] = { ":status", "200", "content-type", "application/grpc", "grpc-status",
        "5", "grpc-message", "no%20such%20thing%3A%20x", NULL };
    g_autoptr(GByteArray) blk = h2t_block(c, true, nv);
    h2t_frame(sv, 1, 0x05, 1, blk->data, blk->len);
    h2t_segment(c, true, sv->data, sv->len);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c->tcp, 5);
    g_autoptr(GString) s = g_string_new(NULL);
    h2t_values(s, pkt, "grpc.status");
    g_assert_cmpstr(s->str, ==, "5");
    g_string_truncate(s, 0);
    h2t_values(s, pkt, "grpc.status_message");
    g_assert_cmpstr(s->str, ==, "no such thing: x");
    g_string_truncate(s, 0);
    h2t_values(s, pkt, "grpc.call_time");
    g_assert_cmpstr(s->str, ==, "1.000000000");
    g_assert_true(peel_test_packet_has_expert(pkt, "gRPC call ended with status NOT_FOUND (5)"));
    g_assert_cmpstr(pkt->info, ==,
            "SETTINGS[0], HEADERS[1]: 200 OK, gRPC response NOT_FOUND: no such thing: x");
    h2t_free(c);
}

/* END_STREAM in the middle of a message: grpc.body_malformed and a note. */
static void
test_stream_ends_inside_message(void)
{
    H2Cap *c = h2t_new();
    open_call(c);
    g_autoptr(GByteArray) m = g_byte_array_new();
    grpc_msg(m, 0, "abcdef", 6);
    g_autoptr(GByteArray) f = g_byte_array_new();
    h2t_frame(f, 0, 0x01, 1, m->data, m->len - 2);
    h2t_segment(c, false, f->data, f->len);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c->tcp, 5);
    g_autoptr(GString) s = g_string_new(NULL);
    h2t_values(s, pkt, "grpc.message_length");
    g_assert_cmpstr(s->str, ==, "");
    g_assert_true(
            peel_test_packet_has_expert(pkt, "ends inside a gRPC message (9 bytes left over)"));
    int id = peel_field_lookup("grpc.body_malformed");
    bool found = false;
    for (uint32_t i = 0; i < pkt->n_fields; i++)
        found |= pkt->fields[i].id == (uint32_t)id;
    g_assert_true(found);
    h2t_free(c);
}

/* gRPC dissected without HTTP/2 around it (decode-as on a port): one message, no call. */
static void
test_without_http2(void)
{
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(&peel_proto_grpc, "00 00000002 0801");
    g_assert_cmpstr(peel_test_field_str(t, "grpc.message_length", 0), ==, "2");
    g_assert_cmpstr(peel_test_field_str(t, "grpc.message_data", 0), ==, "0801");
    g_autoptr(PeelTestPacket) t2 = peel_test_dissect_hex(&peel_proto_grpc, "00 000000");
    g_assert_true(peel_test_field_is_malformed(t2, "grpc.message_length"));
    g_autoptr(PeelTestPacket) t3 = peel_test_dissect_hex(&peel_proto_grpc, "00 00000009 0801");
    g_assert_cmpuint(peel_test_field_count(t3, "grpc.body_malformed"), ==, 1);
    g_assert_true(peel_test_has_expert(t3, "only 2 bytes left, need 9"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    peel_registry_init();
    g_test_add_func("/grpc/call-metadata", test_call_metadata);
    g_test_add_func("/grpc/message-over-three-frames", test_message_over_three_frames);
    g_test_add_func(
            "/grpc/message-over-three-frames-revisit", test_message_over_three_frames_revisit);
    g_test_add_func("/grpc/three-messages-one-frame", test_three_messages_one_frame);
    g_test_add_func("/grpc/burst-one-segment", test_burst_one_segment);
    g_test_add_func("/grpc/gzip", test_gzip_message);
    g_test_add_func("/grpc/error-status", test_error_status);
    g_test_add_func("/grpc/without-http2", test_without_http2);
    g_test_add_func("/grpc/stream-ends-inside-message", test_stream_ends_inside_message);
    return g_test_run();
}
