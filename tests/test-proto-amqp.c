/* test-proto-amqp.c: the AMQP 0-9-1 dissector on hand-built bytes: every field-table value
 * type, protocol headers (0-9-1, 1.0, a server's refusal), methods and their bits, content
 * headers, frame-end checks, truncation; and through the TCP engine: a method frame split
 * at every byte, several frames in a segment, a body over many frames (shown once, in the
 * frame completing it, also on a revisit), publish numbers and acks, missed heartbeats and
 * the SASL response masked unless asked for. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissector.h"
#include "peel-test.h"
#include "protos.h"
#include "registry.h"
#include "report.h"

/* ---- building AMQP bytes ---- */

static void
putsstr(GByteArray *b, const char *s)
{
    peel_test_put8(b, (uint8_t)strlen(s));
    g_byte_array_append(b, (const guint8 *)s, (guint)strlen(s));
}

static void
putlstr(GByteArray *b, const void *s, uint32_t n)
{
    peel_test_put32(b, n);
    g_byte_array_append(b, s, n);
}

/* A whole frame: type, channel, the payload with its size, frame-end. */
static GByteArray *
frame_new(uint8_t type, uint16_t ch, const GByteArray *payload)
{
    GByteArray *f = g_byte_array_new();
    peel_test_put8(f, type);
    peel_test_put16(f, ch);
    peel_test_put32(f, payload->len);
    g_byte_array_append(f, payload->data, payload->len);
    peel_test_put8(f, 0xce);
    return f;
}

static GByteArray *
method_new(uint16_t cls, uint16_t method)
{
    GByteArray *p = g_byte_array_new();
    peel_test_put16(p, cls);
    peel_test_put16(p, method);
    return p;
}

static char *
to_hex(const GByteArray *b)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < b->len; i++)
        g_string_append_printf(s, "%02x", b->data[i]);
    return g_string_free(s, FALSE);
}

static PeelTestPacket *
dissect_bytes(const GByteArray *b)
{
    g_autofree char *hex = to_hex(b);
    return peel_test_dissect_hex(&peel_proto_amqp, hex);
}

/* basic.publish x=e rk=k on a given channel */
static GByteArray *
publish_frame_on(uint16_t ch)
{
    GByteArray *p = method_new(60, 40);
    peel_test_put16(p, 0);
    putsstr(p, "e");
    putsstr(p, "k");
    peel_test_put8(p, 0);
    GByteArray *f = frame_new(1, ch, p);
    g_byte_array_unref(p);
    return f;
}

/* ---- field tables ---- */

static void
test_table_every_type(void)
{
    /* queue.declare with an arguments table holding each field-value type of RabbitMQ's
     * errata, nested tables and arrays included. */
    GByteArray *tbl = g_byte_array_new();
    putsstr(tbl, "t"), peel_test_put8(tbl, 't'), peel_test_put8(tbl, 1);
    putsstr(tbl, "b"), peel_test_put8(tbl, 'b'), peel_test_put8(tbl, 0xfe);
    putsstr(tbl, "B"), peel_test_put8(tbl, 'B'), peel_test_put8(tbl, 0xfe);
    putsstr(tbl, "s"), peel_test_put8(tbl, 's'), peel_test_put16(tbl, 0xfffe);
    putsstr(tbl, "u"), peel_test_put8(tbl, 'u'), peel_test_put16(tbl, 0xfffe);
    putsstr(tbl, "I"), peel_test_put8(tbl, 'I'), peel_test_put32(tbl, 0xfffffffe);
    putsstr(tbl, "i"), peel_test_put8(tbl, 'i'), peel_test_put32(tbl, 0xfffffffe);
    putsstr(tbl, "l"), peel_test_put8(tbl, 'l'), peel_test_put64(tbl, 0xfffffffffffffffeull);
    putsstr(tbl, "f"), peel_test_put8(tbl, 'f'), peel_test_put32(tbl, 0x3fc00000); /* 1.5 */
    putsstr(tbl, "d"), peel_test_put8(tbl, 'd'),
            peel_test_put64(tbl, 0x4004000000000000ull); /* 2.5 */
    putsstr(tbl, "D"), peel_test_put8(tbl, 'D'), peel_test_put8(tbl, 2),
            peel_test_put32(tbl, 1250); /* 12.50 */
    putsstr(tbl, "S"), peel_test_put8(tbl, 'S'), putlstr(tbl, "text", 4);
    putsstr(tbl, "T"), peel_test_put8(tbl, 'T'),
            peel_test_put64(tbl, 1704110400); /* 2024-01-01 12:00 UTC */
    putsstr(tbl, "V"), peel_test_put8(tbl, 'V');
    putsstr(tbl, "x"), peel_test_put8(tbl, 'x'), putlstr(tbl, "\x01\x02", 2);
    GByteArray *inner = g_byte_array_new();
    putsstr(inner, "deep"), peel_test_put8(inner, 'u'), peel_test_put16(inner, 7);
    putsstr(tbl, "F"), peel_test_put8(tbl, 'F'), putlstr(tbl, inner->data, inner->len);
    GByteArray *arr = g_byte_array_new();
    peel_test_put8(arr, 'I'), peel_test_put32(arr, 1);
    peel_test_put8(arr, 'A'), peel_test_put32(arr, 2), peel_test_put8(arr, 't'),
            peel_test_put8(arr, 0);
    putsstr(tbl, "A"), peel_test_put8(tbl, 'A'), putlstr(tbl, arr->data, arr->len);

    GByteArray *p = method_new(50, 10);
    peel_test_put16(p, 0);
    putsstr(p, "q1");
    peel_test_put8(p, 0x02); /* durable */
    putlstr(p, tbl->data, tbl->len);
    GByteArray *f = frame_new(1, 1, p);
    g_autoptr(PeelTestPacket) t = dissect_bytes(f);

    g_assert_cmpstr(peel_test_info(t), ==, "Queue.Declare q=q1 ");
    g_assert_cmpstr(peel_test_field_str(t, "amqp.method.arguments.queue", 0), ==, "q1");
    g_assert_cmpstr(peel_test_field_str(t, "amqp.method.arguments.durable", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "amqp.method.arguments.passive", 0), ==, "0");
    const char *want[] = {
        "t (boolean): true",
        "b (byte): -2",
        "B (unsigned byte): 254",
        "s (short int): -2",
        "u (short uint): 65534",
        "I (integer): -2",
        "i (unsigned integer): 4294967294",
        "l (long int): -2",
        "f (float): 1.500000",
        "d (double): 2.500000",
        "D (decimal): 12.500000",
        "S (string): text",
        "V (void): ",
        "F (field table)",
        "deep (short uint): 7",
        "A (array)",
        "[0] (integer): 1",
        "[1] (array)",
        "[0] (boolean): false",
    };
    for (guint i = 0; i < G_N_ELEMENTS(want); i++)
        g_assert_cmpstr(peel_test_field_text(t, "amqp.field", i), ==, want[i]);
    g_assert_cmpuint(peel_test_field_count(t, "amqp.field"), ==, G_N_ELEMENTS(want));
    g_assert_cmpstr(peel_test_field_str(t, "amqp.field.byte_array", 0), ==, "0102");
    g_assert_cmpstr(
            peel_test_field_text(t, "amqp.field.byte_array", 0), ==, "x (byte array): 0102");
    g_assert_cmpuint(peel_test_field_count(t, "amqp.field.timestamp"), ==, 1);
    g_assert_nonnull(strstr(
            peel_test_field_text(t, "amqp.field.timestamp", 0), "T (timestamp): Jan  1, 2024"));
    g_assert_cmpstr(peel_test_field_str(t, "amqp.frame_end", 0), ==, "0xce");
    g_assert_false(peel_test_packet(t)->malformed);
    g_byte_array_unref(inner);
    g_byte_array_unref(arr);
    g_byte_array_unref(tbl);
    g_byte_array_unref(p);
    g_byte_array_unref(f);
}

static void
test_table_cut_off(void)
{
    /* The table claims 6 bytes; its entry needs more: Wireshark's "Field is cut off". */
    GByteArray *p = method_new(60, 20);
    peel_test_put16(p, 0);
    putsstr(p, "q");
    putsstr(p, "tag");
    peel_test_put8(p, 0);
    peel_test_put32(p, 6);
    putsstr(p, "key"), peel_test_put8(p, 'I'), peel_test_put8(p, 0);
    GByteArray *f = frame_new(1, 1, p);
    g_autoptr(PeelTestPacket) t = dissect_bytes(f);
    g_assert_true(peel_test_has_expert(t, "Field is cut off by the end of the field table"));
    g_assert_cmpstr(peel_test_info(t), ==, "Basic.Consume q=q ");
    g_byte_array_unref(p);
    g_byte_array_unref(f);
}

static void
test_table_truncated_capture(void)
{
    /* The frame claims a table with an integer; the capture stops two bytes into it. */
    GByteArray *tbl = g_byte_array_new();
    putsstr(tbl, "n"), peel_test_put8(tbl, 'I'), peel_test_put32(tbl, 77);
    GByteArray *p = method_new(50, 10);
    peel_test_put16(p, 0);
    putsstr(p, "q");
    peel_test_put8(p, 0);
    putlstr(p, tbl->data, tbl->len);
    GByteArray *f = frame_new(1, 1, p);
    g_autofree char *hex = to_hex(f);
    guint cut = f->len - 3; /* two bytes of the value and the frame end missing */
    g_autoptr(PeelTestPacket) t =
            peel_test_dissect_hex_full(&peel_proto_amqp, 0, hex, 0); /* whole, for reference */
    g_assert_cmpstr(peel_test_field_text(t, "amqp.field", 0), ==, "n (integer): 77");
    hex[2 * cut] = '\0';
    g_autoptr(PeelTestPacket) cutp = peel_test_dissect_hex_full(&peel_proto_amqp, 0, hex, f->len);
    g_assert_cmpstr(peel_test_field_text(cutp, "amqp.field", 0), ==, "n (integer): [truncated]");
    g_assert_true(peel_test_has_expert(cutp, "the capture ends inside the field-table value"));
    g_byte_array_unref(tbl);
    g_byte_array_unref(p);
    g_byte_array_unref(f);
}

static void
test_table_unknown_type(void)
{
    GByteArray *tbl = g_byte_array_new();
    putsstr(tbl, "z"), peel_test_put8(tbl, 'Z'), peel_test_put8(tbl, 1);
    GByteArray *p = method_new(40, 10);
    peel_test_put16(p, 0);
    putsstr(p, "x");
    putsstr(p, "fanout");
    peel_test_put8(p, 0);
    putlstr(p, tbl->data, tbl->len);
    GByteArray *f = frame_new(1, 1, p);
    g_autoptr(PeelTestPacket) t = dissect_bytes(f);
    g_assert_cmpstr(peel_test_field_text(t, "amqp.field", 0), ==, "z: unknown type 5a (Z)");
    g_assert_true(peel_test_has_expert(t, "unknown field-value type 0x5a"));
    g_assert_cmpstr(peel_test_field_str(t, "amqp.method.arguments.type", 0), ==, "fanout");
    g_byte_array_unref(tbl);
    g_byte_array_unref(p);
    g_byte_array_unref(f);
}

/* ---- headers and frames ---- */

static void
test_protocol_header(void)
{
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(&peel_proto_amqp, "414d515000000901");
    g_assert_cmpstr(peel_test_info(t), ==, "Protocol-Header 0-9-1");
    g_assert_cmpstr(peel_test_protocol(t), ==, "AMQP");
    g_assert_cmpstr(peel_test_field_str(t, "amqp.init.protocol", 0), ==, "AMQP");
    g_assert_cmpuint(peel_test_field_uint(t, "amqp.init.version_major"), ==, 9);
    g_assert_cmpuint(peel_test_field_uint(t, "amqp.init.version_minor"), ==, 1);
    g_assert_cmpuint(peel_test_field_count(t, "amqp.init.id_major"), ==, 1);

    g_autoptr(PeelTestPacket) v1 = peel_test_dissect_hex(&peel_proto_amqp, "414d515003010000");
    g_assert_cmpstr(peel_test_info(v1), ==, "Protocol-Header 1-0-0 ");
    g_assert_cmpuint(peel_test_field_uint(v1, "amqp.init.id"), ==, 3);
    g_assert_cmpuint(peel_test_field_uint(v1, "amqp.init.version_revision"), ==, 0);
    g_assert_true(peel_test_has_expert(v1, "AMQP 1.0 protocol header"));
    g_assert_cmpuint(peel_test_field_count(v1, "amqp.type"), ==, 0); /* not misparsed */
}

static void
test_heartbeat_and_bad_end(void)
{
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(&peel_proto_amqp, "08 0000 00000000 ce");
    g_assert_cmpstr(peel_test_info(t), ==, "Heartbeat ");
    g_assert_cmpuint(peel_test_field_uint(t, "amqp.type"), ==, 8);
    g_assert_false(peel_test_packet(t)->malformed);

    g_autoptr(PeelTestPacket) bad = peel_test_dissect_hex(&peel_proto_amqp, "08 0000 00000000 cd");
    g_assert_true(peel_test_packet(bad)->malformed);
    g_assert_true(peel_test_has_expert(bad, "frame-end octet is 0xcd"));
}

static void
test_truncated_method(void)
{
    /* basic.publish whose routing key runs past the frame's size */
    GByteArray *p = method_new(60, 40);
    peel_test_put16(p, 0);
    putsstr(p, "ex");
    peel_test_put8(p, 20);
    g_byte_array_append(p, (const guint8 *)"abc", 3);
    GByteArray *f = frame_new(1, 1, p);
    g_autoptr(PeelTestPacket) t = dissect_bytes(f);
    g_assert_true(peel_test_field_is_malformed(t, "amqp.method.arguments.routing_key"));
    g_assert_cmpstr(peel_test_field_str(t, "amqp.method.arguments.exchange", 0), ==, "ex");
    g_byte_array_unref(p);
    g_byte_array_unref(f);
}

static void
test_close_with_error(void)
{
    GByteArray *p = method_new(20, 40);
    peel_test_put16(p, 404);
    putsstr(p, "NOT_FOUND - no queue 'x'");
    peel_test_put16(p, 50);
    peel_test_put16(p, 10);
    GByteArray *f = frame_new(1, 1, p);
    g_autoptr(PeelTestPacket) t = dissect_bytes(f);
    g_assert_cmpstr(peel_test_info(t), ==, "Channel.Close reply=NOT_FOUND - no queue 'x' ");
    g_assert_true(peel_test_has_expert(t, "Channel error: 404 NOT_FOUND"));
    g_assert_cmpuint(peel_test_field_uint(t, "amqp.method.arguments.class_id"), ==, 50);
    g_byte_array_unref(p);
    g_byte_array_unref(f);

    p = method_new(10, 50);
    peel_test_put16(p, 200);
    putsstr(p, "bye");
    peel_test_put16(p, 0);
    peel_test_put16(p, 0);
    f = frame_new(1, 0, p);
    g_autoptr(PeelTestPacket) ok = dissect_bytes(f);
    g_assert_false(peel_test_has_expert(ok, "error"));
    g_byte_array_unref(p);
    g_byte_array_unref(f);
}

static void
test_odd_frames(void)
{
    /* A content header of a class other than basic. */
    g_autoptr(PeelTestPacket) h = peel_test_dissect_hex(
            &peel_proto_amqp, "02 0001 0000000e 0046 0000 0000000000000005 0000 ce");
    g_assert_true(peel_test_has_expert(h, "Unknown header class 70"));
    g_assert_cmpuint(peel_test_field_uint(h, "amqp.header.body-size"), ==, 5);
    /* A body frame with no content header before it: shown, nothing reassembled. */
    g_autoptr(PeelTestPacket) b =
            peel_test_dissect_hex(&peel_proto_amqp, "03 0001 00000002 6869 ce");
    g_assert_cmpstr(peel_test_field_str(b, "amqp.payload", 0), ==, "6869");
    g_assert_cmpuint(peel_test_field_count(b, "amqp.body"), ==, 0);
    /* A basic method on channel 0, and an unknown frame type. */
    GByteArray *f = publish_frame_on(0);
    g_autoptr(PeelTestPacket) c0 = dissect_bytes(f);
    g_assert_true(peel_test_has_expert(c0, "Basic method on channel 0"));
    g_byte_array_unref(f);
    g_autoptr(PeelTestPacket) u = peel_test_dissect_hex(&peel_proto_amqp, "09 0000 00000001 00 ce");
    g_assert_cmpstr(peel_test_info(u), ==, "Unknown frame type 9 ");
    /* A frame whose size runs past the bytes given: the end octet is not invented. */
    g_autoptr(PeelTestPacket) cut =
            peel_test_dissect_hex(&peel_proto_amqp, "01 0001 000000ff 003c");
    g_assert_cmpuint(peel_test_field_count(cut, "amqp.frame_end"), ==, 0);
}

static void
test_content_header_properties(void)
{
    GByteArray *p = g_byte_array_new();
    peel_test_put16(p, 60);
    peel_test_put16(p, 0);
    peel_test_put64(p, 1234);
    peel_test_put16(p, 0xfffc); /* every property but cluster-id's neighbour bit 1 */
    putsstr(p, "application/json");
    putsstr(p, "gzip");
    GByteArray *h = g_byte_array_new();
    putsstr(h, "k"), peel_test_put8(h, 'S'), putlstr(h, "v", 1);
    putlstr(p, h->data, h->len);
    peel_test_put8(p, 2);
    peel_test_put8(p, 9);
    putsstr(p, "c1");
    putsstr(p, "r1");
    putsstr(p, "1000");
    putsstr(p, "m1");
    peel_test_put64(p, 1704110400);
    putsstr(p, "t1");
    putsstr(p, "u1");
    putsstr(p, "a1");
    putsstr(p, "cl");
    GByteArray *f = frame_new(2, 3, p);
    g_autoptr(PeelTestPacket) t = dissect_bytes(f);
    g_assert_cmpstr(peel_test_info(t), ==, "Content-Header type=application/json ");
    g_assert_cmpuint(peel_test_field_uint(t, "amqp.header.body-size"), ==, 1234);
    g_assert_cmpstr(
            peel_test_field_str(t, "amqp.method.properties.content_encoding", 0), ==, "gzip");
    g_assert_cmpuint(peel_test_field_uint(t, "amqp.method.properties.delivery_mode"), ==, 2);
    g_assert_cmpuint(peel_test_field_uint(t, "amqp.method.properties.priority"), ==, 9);
    g_assert_cmpstr(peel_test_field_str(t, "amqp.method.properties.correlation_id", 0), ==, "c1");
    g_assert_cmpstr(peel_test_field_str(t, "amqp.method.properties.reply_to", 0), ==, "r1");
    g_assert_cmpstr(peel_test_field_str(t, "amqp.method.properties.expiration", 0), ==, "1000");
    g_assert_cmpstr(peel_test_field_str(t, "amqp.method.properties.message_id", 0), ==, "m1");
    g_assert_nonnull(strstr(peel_test_field_str(t, "amqp.method.properties.timestamp", 0),
            "Jan  1, 2024 12:00:00"));
    g_assert_cmpstr(peel_test_field_str(t, "amqp.method.properties.type", 0), ==, "t1");
    g_assert_cmpstr(peel_test_field_str(t, "amqp.method.properties.user_id", 0), ==, "u1");
    g_assert_cmpstr(peel_test_field_str(t, "amqp.method.properties.app_id", 0), ==, "a1");
    g_assert_cmpstr(peel_test_field_str(t, "amqp.method.properties.cluster_id", 0), ==, "cl");
    g_assert_cmpstr(peel_test_field_text(t, "amqp.field", 0), ==, "k (string): v");
    g_assert_false(peel_test_packet(t)->malformed);
    g_byte_array_unref(h);
    g_byte_array_unref(p);
    g_byte_array_unref(f);
}

static GByteArray *
start_ok_frame(void)
{
    GByteArray *p = method_new(10, 11);
    GByteArray *props = g_byte_array_new();
    putsstr(props, "product"), peel_test_put8(props, 'S'), putlstr(props, "test", 4);
    putlstr(p, props->data, props->len);
    putsstr(p, "PLAIN");
    putlstr(p, "\0guest\0secret", 13);
    putsstr(p, "en_US");
    GByteArray *f = frame_new(1, 0, p);
    g_byte_array_unref(props);
    g_byte_array_unref(p);
    return f;
}

static void
test_sasl_response_masked(void)
{
    GByteArray *f = start_ok_frame();
    {
        g_autoptr(PeelTestPacket) t = dissect_bytes(f);
        /* "\0guest\0" kept, "secret" shown as six '*' */
        g_assert_cmpstr(peel_test_field_str(t, "amqp.method.arguments.response", 0), ==,
                "00677565737400"
                "2a2a2a2a2a2a");
        g_assert_cmpstr(peel_test_field_str(t, "amqp.method.arguments.mechanism", 0), ==, "PLAIN");
        g_assert_cmpstr(peel_test_field_str(t, "amqp.method.arguments.locale", 0), ==, "en_US");
    }
    peel_test_set_pref("amqp.show_sasl_response:TRUE");
    {
        g_autoptr(PeelTestPacket) t = dissect_bytes(f);
        g_assert_cmpstr(peel_test_field_str(t, "amqp.method.arguments.response", 0), ==,
                "00677565737400736563726574");
    }
    peel_test_set_pref(NULL);
    g_byte_array_unref(f);
}

static void
test_every_method_known(void)
{
    /* Every method of 0-9-1 and RabbitMQ's extensions has a name. */
    static const uint16_t ms[][2] = { { 10, 10 }, { 10, 11 }, { 10, 20 }, { 10, 21 }, { 10, 30 },
        { 10, 31 }, { 10, 40 }, { 10, 41 }, { 10, 50 }, { 10, 51 }, { 10, 60 }, { 10, 61 },
        { 10, 70 }, { 10, 71 }, { 20, 10 }, { 20, 11 }, { 20, 20 }, { 20, 21 }, { 20, 40 },
        { 20, 41 }, { 40, 10 }, { 40, 11 }, { 40, 20 }, { 40, 21 }, { 40, 30 }, { 40, 31 },
        { 40, 40 }, { 40, 51 }, { 50, 10 }, { 50, 11 }, { 50, 20 }, { 50, 21 }, { 50, 30 },
        { 50, 31 }, { 50, 40 }, { 50, 41 }, { 50, 50 }, { 50, 51 }, { 60, 10 }, { 60, 11 },
        { 60, 20 }, { 60, 21 }, { 60, 30 }, { 60, 31 }, { 60, 40 }, { 60, 50 }, { 60, 60 },
        { 60, 70 }, { 60, 71 }, { 60, 72 }, { 60, 80 }, { 60, 90 }, { 60, 100 }, { 60, 110 },
        { 60, 111 }, { 60, 120 }, { 90, 10 }, { 90, 11 }, { 90, 20 }, { 90, 21 }, { 90, 30 },
        { 90, 31 }, { 85, 10 }, { 85, 11 } };
    for (guint i = 0; i < G_N_ELEMENTS(ms); i++) {
        GByteArray *p = method_new(ms[i][0], ms[i][1]);
        /* zero-filled arguments: every string and table is empty */
        for (int k = 0; k < 32; k++)
            peel_test_put8(p, 0);
        GByteArray *f = frame_new(1, 1, p);
        g_autoptr(PeelTestPacket) t = dissect_bytes(f);
        g_assert_null(strstr(peel_test_info(t), "Unknown"));
        g_assert_false(peel_test_has_expert(t, "Unknown"));
        g_byte_array_unref(p);
        g_byte_array_unref(f);
    }
    g_autoptr(PeelTestPacket) u =
            peel_test_dissect_hex(&peel_proto_amqp, "01 0001 00000004 003c 00fa ce");
    g_assert_true(peel_test_has_expert(u, "Unknown Basic method 250"));
}

/* ---- through the TCP engine ---- */

static uint16_t server_port = 5672;
static uint32_t frame_ms[64]; /* per frame, the time in ms (0: number * 10 ms) */

static PeelTime
frame_time(uint32_t number)
{
    uint32_t ms =
            number < G_N_ELEMENTS(frame_ms) && frame_ms[number] ? frame_ms[number] : number * 10;
    return (PeelTime){ 1000 + ms / 1000, (int32_t)(ms % 1000) * 1000000 };
}

/* A connection to server_port (peel-test.h), frames timed by frame_ms. */
static PeelTestConv *
cap_new(void)
{
    PeelTestConv *c = peel_test_conv_new(server_port, 1000, 5000);
    c->time = frame_time;
    return c;
}

static GByteArray *
publish_frame(const char *exchange, const char *rk)
{
    GByteArray *p = method_new(60, 40);
    peel_test_put16(p, 0);
    putsstr(p, exchange);
    putsstr(p, rk);
    peel_test_put8(p, 0);
    GByteArray *f = frame_new(1, 1, p);
    g_byte_array_unref(p);
    return f;
}

static void
test_method_split_at_every_byte(void)
{
    GByteArray *f = publish_frame("orders", "new");
    for (guint k = 1; k < f->len; k++) {
        PeelTestConv *c = cap_new();
        peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_ACK, f->data, k);
        peel_test_conv_segment(
                c, PEEL_TEST_CLIENT, PEEL_TEST_PSH | PEEL_TEST_ACK, f->data + k, f->len - k);
        g_autoptr(PeelDissector) dis = peel_dissector_new();
        for (uint32_t i = 1; i <= 4; i++) {
            const PeelPacket *pkt = peel_test_conv_run(dis, c, i);
            if (i == 4)
                peel_test_assert_values(pkt, "amqp.method.method", "");
        }
        const PeelPacket *pkt = peel_test_conv_run(dis, c, 5);
        g_assert_cmpstr(pkt->info, ==, "Basic.Publish x=orders rk=new ");
        peel_test_assert_values(pkt, "amqp.method.arguments.exchange", "orders");
        peel_test_assert_values(pkt, "amqp.method.arguments.routing_key", "new");
        peel_test_assert_values(pkt, "amqp.length", "18");
        peel_test_assert_values(pkt, "amqp.frame_end", "0xce");
        g_assert_false(pkt->malformed);
        peel_test_conv_free(c);
    }
    g_byte_array_unref(f);
}

/* publish + header + body of `size` bytes in `n` body frames, one segment each, then a
 * segment with the protocol header and all the frames back to back. */
static void
test_body_over_many_frames(void)
{
    const uint32_t size = 1000, n = 5;
    uint8_t body[1000];
    for (uint32_t i = 0; i < size; i++)
        body[i] = (uint8_t)('a' + i % 26);
    PeelTestConv *c = cap_new();
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_PSH | PEEL_TEST_ACK,
            (const uint8_t *)"AMQP\x00\x00\x09\x01", 8); /* 4 */
    GByteArray *pub = publish_frame("orders", "new");
    GByteArray *h = g_byte_array_new();
    peel_test_put16(h, 60), peel_test_put16(h, 0), peel_test_put64(h, size),
            peel_test_put16(h, 0x8000);
    putsstr(h, "text/plain");
    GByteArray *hf = frame_new(2, 1, h);
    GByteArray *first = g_byte_array_new();
    g_byte_array_append(first, pub->data, pub->len);
    g_byte_array_append(first, hf->data, hf->len);
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_PSH | PEEL_TEST_ACK, first->data,
            first->len);                              /* 5: publish and header */
    for (uint32_t i = 0; i < n; i++) {                /* 6..10: body frames */
        GByteArray *piece = g_byte_array_new();
        g_byte_array_append(piece, body + i * (size / n), size / n);
        GByteArray *bf = frame_new(3, 1, piece);
        peel_test_conv_segment(
                c, PEEL_TEST_CLIENT, PEEL_TEST_PSH | PEEL_TEST_ACK, bf->data, bf->len);
        g_byte_array_unref(piece);
        g_byte_array_unref(bf);
    }
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    peel_dissector_keep_records(dis, true);
    peel_test_conv_fetch(dis, c);
    for (uint32_t i = 1; i <= 10; i++) {
        const PeelPacket *pkt = peel_test_conv_run(dis, c, i);
        if (i == 4) {
            g_assert_cmpstr(pkt->info, ==, "Protocol-Header 0-9-1");
        } else if (i == 5) {
            g_assert_cmpstr(
                    pkt->info, ==, "Basic.Publish x=orders rk=new Content-Header type=text/plain ");
            peel_test_assert_values(pkt, "amqp.method.arguments.publish_number", "1");
            peel_test_assert_values(pkt, "amqp.type", "1,2");
        } else if (i >= 6) {
            g_assert_cmpstr(pkt->info, ==, "Content-Body ");
            g_autofree char *pl = peel_test_values(pkt, "amqp.payload");
            g_assert_cmpuint(strlen(pl), ==, 2 * size / n);
            g_autofree char *b = peel_test_values(pkt, "amqp.body");
            g_assert_cmpuint(strlen(b), ==, i == 10 ? 2 * size : 0);
        }
    }
    /* Again, as --frame 10 or the GUI would: rebuilt from the records. */
    const PeelPacket *pkt = peel_test_conv_run(dis, c, 10);
    g_assert_true(pkt->revisit);
    g_autofree char *b = peel_test_values(pkt, "amqp.body");
    g_assert_cmpuint(strlen(b), ==, 2 * size);
    g_assert_true(g_str_has_prefix(b, "6162636465"));
    g_assert_cmpstr(pkt->sources[pkt->n_sources - 1].name, ==, "Reassembled AMQP body");
    pkt = peel_test_conv_run(dis, c, 9);
    g_autofree char *none = peel_test_values(pkt, "amqp.body");
    g_assert_cmpstr(none, ==, "");
    pkt = peel_test_conv_run(dis, c, 5);
    peel_test_assert_values(pkt, "amqp.method.arguments.publish_number", "1");
    g_byte_array_unref(pub);
    g_byte_array_unref(h);
    g_byte_array_unref(hf);
    g_byte_array_unref(first);
    peel_test_conv_free(c);
}

static void
test_acks_and_server_refusal(void)
{
    PeelTestConv *c = cap_new();
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_PSH | PEEL_TEST_ACK,
            (const uint8_t *)"AMQP\x01\x01\x00\x0a", 8); /* 4: 0-10 */
    peel_test_conv_segment(c, PEEL_TEST_SERVER, PEEL_TEST_PSH | PEEL_TEST_ACK,
            (const uint8_t *)"AMQP\x00\x00\x09\x01", 8); /* 5: refusal */
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c, 5);
    g_assert_cmpstr(pkt->info, ==, "Protocol-Header 0-9-1");
    g_assert_true(peel_test_packet_has_expert(pkt, "refuses the client's version"));
    peel_test_conv_free(c);

    /* A 1.0 server echoes the header it accepts: no refusal, and what follows is not
     * parsed as 0-9-1. */
    c = cap_new();
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_PSH | PEEL_TEST_ACK,
            (const uint8_t *)"AMQP\x00\x01\x00\x00", 8); /* 4 */
    peel_test_conv_segment(c, PEEL_TEST_SERVER, PEEL_TEST_PSH | PEEL_TEST_ACK,
            (const uint8_t *)"AMQP\x00\x01\x00\x00", 8); /* 5 */
    const uint8_t open10[] = { 0, 0, 0, 12, 2, 0, 0, 0, 0, 0x53, 0x10, 0x45 };
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_PSH | PEEL_TEST_ACK, open10,
            sizeof open10); /* 6: a 1.0 frame */
    g_autoptr(PeelDissector) v10 = peel_dissector_new();
    for (uint32_t i = 1; i <= 6; i++) {
        pkt = peel_test_conv_run(v10, c, i);
        if (i == 5)
            g_assert_false(peel_test_packet_has_expert(pkt, "refuses"));
    }
    g_assert_cmpstr(pkt->info, ==, "AMQP 1.0 frame ");
    peel_test_assert_values(pkt, "amqp.type", "");
    peel_test_conv_free(c);

    /* Two deliveries, then an ack with multiple covering both. */
    c = cap_new();
    GByteArray *seg = g_byte_array_new();
    for (uint64_t tag = 1; tag <= 2; tag++) {
        GByteArray *p = method_new(60, 60);
        putsstr(p, "ctag");
        peel_test_put64(p, tag);
        peel_test_put8(p, 0);
        putsstr(p, "orders");
        putsstr(p, "new");
        GByteArray *f = frame_new(1, 1, p);
        g_byte_array_append(seg, f->data, f->len);
        g_byte_array_unref(p);
        g_byte_array_unref(f);
    }
    peel_test_conv_segment(c, PEEL_TEST_SERVER, PEEL_TEST_PSH | PEEL_TEST_ACK, seg->data,
            seg->len); /* 4: server -> client */
    GByteArray *p = method_new(60, 80);
    peel_test_put64(p, 2);
    peel_test_put8(p, 1);
    GByteArray *ack = frame_new(1, 1, p);
    peel_test_conv_segment(
            c, PEEL_TEST_CLIENT, PEEL_TEST_PSH | PEEL_TEST_ACK, ack->data, ack->len); /* 5 */
    dis = (peel_dissector_free(dis), peel_dissector_new());
    for (uint32_t i = 1; i <= 5; i++) {
        pkt = peel_test_conv_run(dis, c, i);
        if (i == 4) {
            g_assert_cmpstr(
                    pkt->info, ==, "Basic.Deliver x=orders rk=new Basic.Deliver x=orders rk=new ");
            peel_test_assert_values(pkt, "amqp.method.arguments.delivery_tag", "1,2");
        }
    }
    peel_test_assert_values(pkt, "amqp.message_in", "4,4");
    peel_test_assert_values(pkt, "amqp.method.arguments.multiple", "1");
    g_byte_array_unref(seg);
    g_byte_array_unref(p);
    g_byte_array_unref(ack);
    peel_test_conv_free(c);
}

static void
test_missed_heartbeats(void)
{
    PeelTestConv *c = cap_new();
    GByteArray *p = method_new(10, 31);
    peel_test_put16(p, 2047);
    peel_test_put32(p, 131072);
    peel_test_put16(p, 1); /* heartbeat every second */
    GByteArray *tune_ok = frame_new(1, 0, p);
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_PSH | PEEL_TEST_ACK, tune_ok->data,
            tune_ok->len); /* 4 at 40 ms */
    const uint8_t hb[] = { 8, 0, 0, 0, 0, 0, 0, 0xce };
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_PSH | PEEL_TEST_ACK, hb,
            sizeof hb); /* 5 at 540 ms: in time */
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_PSH | PEEL_TEST_ACK, hb,
            sizeof hb); /* 6 at 3540 ms: 3 s of silence */
    memset(frame_ms, 0, sizeof frame_ms);
    frame_ms[5] = 540;
    frame_ms[6] = 3540;
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c, 5);
    g_assert_false(peel_test_packet_has_expert(pkt, "heartbeat"));
    pkt = peel_test_conv_run(dis, c, 6);
    g_assert_cmpstr(pkt->info, ==, "Heartbeat ");
    g_assert_true(peel_test_packet_has_expert(pkt, "no frame from this peer for 3.000 s"));
    memset(frame_ms, 0, sizeof frame_ms);
    g_byte_array_unref(p);
    g_byte_array_unref(tune_ok);
    peel_test_conv_free(c);
}

static void
test_garbage_then_frame(void)
{
    /* The capture starts inside a frame: bytes are skipped up to the next frame. */
    PeelTestConv *c = cap_new();
    GByteArray *seg = g_byte_array_new();
    g_byte_array_append(seg, (const guint8 *)"\x99\x98junk", 6);
    GByteArray *f = publish_frame("x", "k");
    g_byte_array_append(seg, f->data, f->len);
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_PSH | PEEL_TEST_ACK, seg->data, seg->len);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c, 4);
    g_assert_true(peel_test_packet_has_expert(pkt, "6 bytes that do not start an AMQP frame"));
    peel_test_assert_values(pkt, "amqp.method.arguments.exchange", "x");
    g_byte_array_unref(seg);
    g_byte_array_unref(f);
    peel_test_conv_free(c);
}

static void
test_heuristic_and_decode_as(void)
{
    /* Port 7000: found by its protocol header. */
    server_port = 7000;
    PeelTestConv *c = cap_new();
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_PSH | PEEL_TEST_ACK,
            (const uint8_t *)"AMQP\x00\x00\x09\x01", 8);
    GByteArray *f = publish_frame("x", "k");
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_PSH | PEEL_TEST_ACK, f->data, f->len);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c, 5);
    g_assert_cmpstr(pkt->info, ==, "Basic.Publish x=x rk=k ");
    peel_test_assert_values(pkt, "amqp.method.arguments.routing_key", "k");
    peel_test_conv_free(c);

    /* Port 7001 without a header: only decode-as makes it AMQP. */
    server_port = 7001;
    c = cap_new();
    peel_test_conv_segment(c, PEEL_TEST_CLIENT, PEEL_TEST_PSH | PEEL_TEST_ACK, f->data, f->len);
    g_autoptr(PeelDissector) plain = peel_dissector_new();
    pkt = peel_test_conv_run_to(plain, c, 4);
    peel_test_assert_values(pkt, "amqp.type", "");
    g_autoptr(PeelDissector) as = peel_dissector_new();
    g_autoptr(GError) error = NULL;
    g_assert_true(peel_dissector_decode_as(as, "tcp.port==7001,amqp", &error));
    g_assert_no_error(error);
    pkt = peel_test_conv_run_to(as, c, 4);
    g_assert_cmpstr(pkt->info, ==, "Basic.Publish x=x rk=k ");
    peel_test_conv_free(c);
    g_byte_array_unref(f);
    server_port = 5672;
}

static void
test_report_stats(void)
{
    /* exchange.declare answered 5 ms later, a publish the broker confirms. */
    PeelTestConv *c = cap_new();
    GByteArray *p = method_new(40, 10);
    peel_test_put16(p, 0), putsstr(p, "orders"), putsstr(p, "direct"), peel_test_put8(p, 0),
            peel_test_put32(p, 0);
    GByteArray *decl = frame_new(1, 1, p);
    peel_test_conv_segment(
            c, PEEL_TEST_CLIENT, PEEL_TEST_PSH | PEEL_TEST_ACK, decl->data, decl->len); /* 4 */
    GByteArray *q = method_new(40, 11);
    GByteArray *decl_ok = frame_new(1, 1, q);
    peel_test_conv_segment(c, PEEL_TEST_SERVER, PEEL_TEST_PSH | PEEL_TEST_ACK, decl_ok->data,
            decl_ok->len); /* 5 */
    GByteArray *pub = publish_frame("orders", "new");
    peel_test_conv_segment(
            c, PEEL_TEST_CLIENT, PEEL_TEST_PSH | PEEL_TEST_ACK, pub->data, pub->len); /* 6 */
    GByteArray *a = method_new(60, 80);
    peel_test_put64(a, 1), peel_test_put8(a, 0);
    GByteArray *ack = frame_new(1, 1, a);
    peel_test_conv_segment(
            c, PEEL_TEST_SERVER, PEEL_TEST_PSH | PEEL_TEST_ACK, ack->data, ack->len); /* 7 */
    memset(frame_ms, 0, sizeof frame_ms);
    frame_ms[4] = 100;
    frame_ms[5] = 105;
    char *z[] = { "amqp,stats", NULL };
    g_autoptr(GError) error = NULL;
    g_autoptr(PeelStats) stats = peel_stats_new(z, NULL, &error);
    g_assert_no_error(error);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    for (uint32_t i = 1; i <= 7; i++)
        peel_stats_packet(stats, peel_test_conv_run(dis, c, i));
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    g_assert_true(peel_stats_write(stats, out));
    fclose(out);
    g_assert_nonnull(strstr(text, "AMQP Statistics:"));
    g_autofree char *decl_row = g_strdup_printf("%-32s %10u %10u %10.6f %10.6f %10.6f\n",
            "  Exchange.Declare", 1, 1, 0.005, 0.005, 0.005);
    g_autofree char *route_row =
            g_strdup_printf("%-32s %10u %10u %10u %10u %10u\n", "orders / new", 1, 1, 0, 0, 0);
    g_autofree char *type_row = g_strdup_printf("%-32s %10u\n", "Method", 4);
    g_assert_nonnull(strstr(text, decl_row));
    g_assert_nonnull(strstr(text, route_row));
    g_assert_nonnull(strstr(text, type_row));
    free(text);
    memset(frame_ms, 0, sizeof frame_ms);
    g_byte_array_unref(p);
    g_byte_array_unref(decl);
    g_byte_array_unref(q);
    g_byte_array_unref(decl_ok);
    g_byte_array_unref(pub);
    g_byte_array_unref(a);
    g_byte_array_unref(ack);
    peel_test_conv_free(c);

    g_autoptr(GError) bad = NULL;
    char *wrong[] = { "amqp,stats,extra", NULL };
    g_assert_null(peel_stats_new(wrong, NULL, &bad));
    g_assert_error(bad, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    peel_registry_init();
    g_test_add_func("/amqp/table/every-type", test_table_every_type);
    g_test_add_func("/amqp/table/cut-off", test_table_cut_off);
    g_test_add_func("/amqp/table/unknown-type", test_table_unknown_type);
    g_test_add_func("/amqp/table/truncated-capture", test_table_truncated_capture);
    g_test_add_func("/amqp/header/versions", test_protocol_header);
    g_test_add_func("/amqp/frame/heartbeat-and-bad-end", test_heartbeat_and_bad_end);
    g_test_add_func("/amqp/frame/truncated-method", test_truncated_method);
    g_test_add_func("/amqp/method/close-with-error", test_close_with_error);
    g_test_add_func("/amqp/method/every-method-known", test_every_method_known);
    g_test_add_func("/amqp/method/sasl-response-masked", test_sasl_response_masked);
    g_test_add_func("/amqp/content/header-properties", test_content_header_properties);
    g_test_add_func("/amqp/frame/odd-frames", test_odd_frames);
    g_test_add_func("/amqp/tcp/method-split-at-every-byte", test_method_split_at_every_byte);
    g_test_add_func("/amqp/tcp/body-over-many-frames", test_body_over_many_frames);
    g_test_add_func("/amqp/tcp/acks-and-server-refusal", test_acks_and_server_refusal);
    g_test_add_func("/amqp/tcp/missed-heartbeats", test_missed_heartbeats);
    g_test_add_func("/amqp/tcp/garbage-then-frame", test_garbage_then_frame);
    g_test_add_func("/amqp/tcp/heuristic-and-decode-as", test_heuristic_and_decode_as);
    g_test_add_func("/amqp/report/stats", test_report_stats);
    return g_test_run();
}
