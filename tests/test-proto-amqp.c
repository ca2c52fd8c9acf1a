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
#include "format.h"
#include "linktype.h"
#include "peel-test.h"
#include "protos.h"
#include "registry.h"
#include "report.h"

/* ---- building AMQP bytes ---- */

static void
put8(GByteArray *b, uint8_t v)
{
    g_byte_array_append(b, &v, 1);
}

static void
put16(GByteArray *b, uint16_t v)
{
    uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };
    g_byte_array_append(b, x, 2);
}

static void
put32(GByteArray *b, uint32_t v)
{
    uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    g_byte_array_append(b, x, 4);
}

static void
put64(GByteArray *b, uint64_t v)
{
    put32(b, (uint32_t)(v >> 32));
    put32(b, (uint32_t)v);
}

static void
putsstr(GByteArray *b, const char *s)
{
    put8(b, (uint8_t)strlen(s));
    g_byte_array_append(b, (const guint8 *)s, (guint)strlen(s));
}

static void
putlstr(GByteArray *b, const void *s, uint32_t n)
{
    put32(b, n);
    g_byte_array_append(b, s, n);
}

/* A whole frame: type, channel, the payload with its size, frame-end. */
static GByteArray *
frame_new(uint8_t type, uint16_t ch, const GByteArray *payload)
{
    GByteArray *f = g_byte_array_new();
    put8(f, type);
    put16(f, ch);
    put32(f, payload->len);
    g_byte_array_append(f, payload->data, payload->len);
    put8(f, 0xce);
    return f;
}

static GByteArray *
method_new(uint16_t cls, uint16_t method)
{
    GByteArray *p = g_byte_array_new();
    put16(p, cls);
    put16(p, method);
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

/* The tree label of the n-th occurrence of a field. */
static const char *
label(PeelTestPacket *t, const char *name, guint n)
{
    const PeelPacket *pkt = peel_test_packet(t);
    int id = peel_field_lookup(name);
    g_assert_cmpint(id, >=, 0);
    guint seen = 0;
    for (uint32_t i = 0; i < pkt->n_fields; i++) {
        if (pkt->fields[i].id != (uint32_t)id)
            continue;
        if (seen++ == n)
            return pkt->fields[i].text;
    }
    return NULL;
}

/* basic.publish x=e rk=k on a given channel */
static GByteArray *
publish_frame_on(uint16_t ch)
{
    GByteArray *p = method_new(60, 40);
    put16(p, 0);
    putsstr(p, "e");
    putsstr(p, "k");
    put8(p, 0);
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
    putsstr(tbl, "t"), put8(tbl, 't'), put8(tbl, 1);
    putsstr(tbl, "b"), put8(tbl, 'b'), put8(tbl, 0xfe);
    putsstr(tbl, "B"), put8(tbl, 'B'), put8(tbl, 0xfe);
    putsstr(tbl, "s"), put8(tbl, 's'), put16(tbl, 0xfffe);
    putsstr(tbl, "u"), put8(tbl, 'u'), put16(tbl, 0xfffe);
    putsstr(tbl, "I"), put8(tbl, 'I'), put32(tbl, 0xfffffffe);
    putsstr(tbl, "i"), put8(tbl, 'i'), put32(tbl, 0xfffffffe);
    putsstr(tbl, "l"), put8(tbl, 'l'), put64(tbl, 0xfffffffffffffffeull);
    putsstr(tbl, "f"), put8(tbl, 'f'), put32(tbl, 0x3fc00000);            /* 1.5 */
    putsstr(tbl, "d"), put8(tbl, 'd'), put64(tbl, 0x4004000000000000ull); /* 2.5 */
    putsstr(tbl, "D"), put8(tbl, 'D'), put8(tbl, 2), put32(tbl, 1250);    /* 12.50 */
    putsstr(tbl, "S"), put8(tbl, 'S'), putlstr(tbl, "text", 4);
    putsstr(tbl, "T"), put8(tbl, 'T'), put64(tbl, 1704110400); /* 2024-01-01 12:00 UTC */
    putsstr(tbl, "V"), put8(tbl, 'V');
    putsstr(tbl, "x"), put8(tbl, 'x'), putlstr(tbl, "\x01\x02", 2);
    GByteArray *inner = g_byte_array_new();
    putsstr(inner, "deep"), put8(inner, 'u'), put16(inner, 7);
    putsstr(tbl, "F"), put8(tbl, 'F'), putlstr(tbl, inner->data, inner->len);
    GByteArray *arr = g_byte_array_new();
    put8(arr, 'I'), put32(arr, 1);
    put8(arr, 'A'), put32(arr, 2), put8(arr, 't'), put8(arr, 0);
    putsstr(tbl, "A"), put8(tbl, 'A'), putlstr(tbl, arr->data, arr->len);

    GByteArray *p = method_new(50, 10);
    put16(p, 0);
    putsstr(p, "q1");
    put8(p, 0x02); /* durable */
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
        g_assert_cmpstr(label(t, "amqp.field", i), ==, want[i]);
    g_assert_cmpuint(peel_test_field_count(t, "amqp.field"), ==, G_N_ELEMENTS(want));
    g_assert_cmpstr(peel_test_field_str(t, "amqp.field.byte_array", 0), ==, "0102");
    g_assert_cmpstr(label(t, "amqp.field.byte_array", 0), ==, "x (byte array): 0102");
    g_assert_cmpuint(peel_test_field_count(t, "amqp.field.timestamp"), ==, 1);
    g_assert_nonnull(strstr(label(t, "amqp.field.timestamp", 0), "T (timestamp): Jan  1, 2024"));
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
    put16(p, 0);
    putsstr(p, "q");
    putsstr(p, "tag");
    put8(p, 0);
    put32(p, 6);
    putsstr(p, "key"), put8(p, 'I'), put8(p, 0);
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
    putsstr(tbl, "n"), put8(tbl, 'I'), put32(tbl, 77);
    GByteArray *p = method_new(50, 10);
    put16(p, 0);
    putsstr(p, "q");
    put8(p, 0);
    putlstr(p, tbl->data, tbl->len);
    GByteArray *f = frame_new(1, 1, p);
    g_autofree char *hex = to_hex(f);
    guint cut = f->len - 3; /* two bytes of the value and the frame end missing */
    g_autoptr(PeelTestPacket) t =
            peel_test_dissect_hex_full(&peel_proto_amqp, 0, hex, 0); /* whole, for reference */
    g_assert_cmpstr(label(t, "amqp.field", 0), ==, "n (integer): 77");
    hex[2 * cut] = '\0';
    g_autoptr(PeelTestPacket) cutp = peel_test_dissect_hex_full(&peel_proto_amqp, 0, hex, f->len);
    g_assert_cmpstr(label(cutp, "amqp.field", 0), ==, "n (integer): [truncated]");
    g_assert_true(peel_test_has_expert(cutp, "the capture ends inside the field-table value"));
    g_byte_array_unref(tbl);
    g_byte_array_unref(p);
    g_byte_array_unref(f);
}

static void
test_table_unknown_type(void)
{
    GByteArray *tbl = g_byte_array_new();
    putsstr(tbl, "z"), put8(tbl, 'Z'), put8(tbl, 1);
    GByteArray *p = method_new(40, 10);
    put16(p, 0);
    putsstr(p, "x");
    putsstr(p, "fanout");
    put8(p, 0);
    putlstr(p, tbl->data, tbl->len);
    GByteArray *f = frame_new(1, 1, p);
    g_autoptr(PeelTestPacket) t = dissect_bytes(f);
    g_assert_cmpstr(label(t, "amqp.field", 0), ==, "z: unknown type 5a (Z)");
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
    put16(p, 0);
    putsstr(p, "ex");
    put8(p, 20);
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
    put16(p, 404);
    putsstr(p, "NOT_FOUND - no queue 'x'");
    put16(p, 50);
    put16(p, 10);
    GByteArray *f = frame_new(1, 1, p);
    g_autoptr(PeelTestPacket) t = dissect_bytes(f);
    g_assert_cmpstr(peel_test_info(t), ==, "Channel.Close reply=NOT_FOUND - no queue 'x' ");
    g_assert_true(peel_test_has_expert(t, "Channel error: 404 NOT_FOUND"));
    g_assert_cmpuint(peel_test_field_uint(t, "amqp.method.arguments.class_id"), ==, 50);
    g_byte_array_unref(p);
    g_byte_array_unref(f);

    p = method_new(10, 50);
    put16(p, 200);
    putsstr(p, "bye");
    put16(p, 0);
    put16(p, 0);
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
    put16(p, 60);
    put16(p, 0);
    put64(p, 1234);
    put16(p, 0xfffc); /* every property but cluster-id's neighbour bit 1 */
    putsstr(p, "application/json");
    putsstr(p, "gzip");
    GByteArray *h = g_byte_array_new();
    putsstr(h, "k"), put8(h, 'S'), putlstr(h, "v", 1);
    putlstr(p, h->data, h->len);
    put8(p, 2);
    put8(p, 9);
    putsstr(p, "c1");
    putsstr(p, "r1");
    putsstr(p, "1000");
    putsstr(p, "m1");
    put64(p, 1704110400);
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
    g_assert_cmpstr(label(t, "amqp.field", 0), ==, "k (string): v");
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
    putsstr(props, "product"), put8(props, 'S'), putlstr(props, "test", 4);
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
            put8(p, 0);
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

typedef struct {
    GPtrArray *frames;
    uint32_t seq[2];
    uint32_t t_ms;
} Cap;

static uint16_t server_port = 5672;

static void
cap_segment(Cap *c, int dir, const uint8_t *data, uint32_t n, uint8_t flags)
{
    GByteArray *b = g_byte_array_new();
    const uint8_t ip[] = { 0x45, 0 };
    g_byte_array_append(b, ip, 2);
    put16(b, (uint16_t)(40 + n));
    put32(b, 0x00014000);
    const uint8_t ttl[] = { 64, 6, 0, 0 };
    g_byte_array_append(b, ttl, 4);
    put32(b, dir == 0 ? 0x0a000001 : 0x0a000002);
    put32(b, dir == 0 ? 0x0a000002 : 0x0a000001);
    put16(b, dir == 0 ? 40000 : server_port);
    put16(b, dir == 0 ? server_port : 40000);
    put32(b, c->seq[dir]);
    put32(b, c->seq[!dir]);
    put8(b, 0x50);
    put8(b, flags);
    put16(b, 65535);
    put32(b, 0);
    g_byte_array_append(b, data, n);
    c->seq[dir] += n + ((flags & 0x02) ? 1 : 0);
    g_ptr_array_add(c->frames, b);
}

static Cap *
cap_new(void)
{
    Cap *c = g_new0(Cap, 1);
    c->frames = g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref);
    c->seq[0] = 1000;
    c->seq[1] = 5000;
    cap_segment(c, 0, NULL, 0, 0x02);
    cap_segment(c, 1, NULL, 0, 0x12);
    cap_segment(c, 0, NULL, 0, 0x10);
    return c;
}

static void
cap_free(Cap *c)
{
    g_ptr_array_unref(c->frames);
    g_free(c);
}

static Cap *fetch_cap;
static uint32_t frame_ms[64]; /* per frame, the time in ms (0: number * 10 ms) */

static bool
cap_fetch(void *user, uint32_t frame, const uint8_t **data, uint32_t *len)
{
    (void)user;
    if (frame == 0 || frame > fetch_cap->frames->len)
        return false;
    GByteArray *b = g_ptr_array_index(fetch_cap->frames, frame - 1);
    *data = b->data;
    *len = b->len;
    return true;
}

static const PeelPacket *
cap_run(PeelDissector *dis, Cap *c, uint32_t number)
{
    static PeelFrameInfo fr;
    GByteArray *b = g_ptr_array_index(c->frames, number - 1);
    memset(&fr, 0, sizeof fr);
    fr.number = number;
    uint32_t ms =
            number < G_N_ELEMENTS(frame_ms) && frame_ms[number] ? frame_ms[number] : number * 10;
    fr.ts = (PeelTime){ 1000 + ms / 1000, (int32_t)(ms % 1000) * 1000000 };
    fr.cap_len = fr.len = b->len;
    fr.linktype = PEEL_LINKTYPE_RAW;
    fr.data = b->data;
    return peel_dissector_run(dis, &fr);
}

static char *
values(const PeelPacket *pkt, const char *name)
{
    GString *s = g_string_new(NULL);
    int id = peel_field_lookup(name);
    g_assert_cmpint(id, >=, 0);
    for (uint32_t i = 0; i < pkt->n_fields; i++) {
        if (pkt->fields[i].id != (uint32_t)id)
            continue;
        if (s->len)
            g_string_append_c(s, ',');
        peel_format_value(s, pkt, &pkt->fields[i]);
    }
    return g_string_free(s, FALSE);
}

static void
assert_values(const PeelPacket *pkt, const char *name, const char *want)
{
    g_autofree char *got = values(pkt, name);
    g_assert_cmpstr(got, ==, want);
}

static bool
has_expert(const PeelPacket *pkt, const char *needle)
{
    for (uint32_t i = 0; i < pkt->n_experts; i++)
        if (strstr(pkt->experts[i].msg, needle) != NULL)
            return true;
    return false;
}

static GByteArray *
publish_frame(const char *exchange, const char *rk)
{
    GByteArray *p = method_new(60, 40);
    put16(p, 0);
    putsstr(p, exchange);
    putsstr(p, rk);
    put8(p, 0);
    GByteArray *f = frame_new(1, 1, p);
    g_byte_array_unref(p);
    return f;
}

static void
test_method_split_at_every_byte(void)
{
    GByteArray *f = publish_frame("orders", "new");
    for (guint k = 1; k < f->len; k++) {
        Cap *c = cap_new();
        cap_segment(c, 0, f->data, k, 0x10);
        cap_segment(c, 0, f->data + k, f->len - k, 0x18);
        g_autoptr(PeelDissector) dis = peel_dissector_new();
        for (uint32_t i = 1; i <= 4; i++) {
            const PeelPacket *pkt = cap_run(dis, c, i);
            if (i == 4)
                assert_values(pkt, "amqp.method.method", "");
        }
        const PeelPacket *pkt = cap_run(dis, c, 5);
        g_assert_cmpstr(pkt->info, ==, "Basic.Publish x=orders rk=new ");
        assert_values(pkt, "amqp.method.arguments.exchange", "orders");
        assert_values(pkt, "amqp.method.arguments.routing_key", "new");
        assert_values(pkt, "amqp.length", "18");
        assert_values(pkt, "amqp.frame_end", "0xce");
        g_assert_false(pkt->malformed);
        cap_free(c);
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
    Cap *c = cap_new();
    cap_segment(c, 0, (const uint8_t *)"AMQP\x00\x00\x09\x01", 8, 0x18); /* 4 */
    GByteArray *pub = publish_frame("orders", "new");
    GByteArray *h = g_byte_array_new();
    put16(h, 60), put16(h, 0), put64(h, size), put16(h, 0x8000);
    putsstr(h, "text/plain");
    GByteArray *hf = frame_new(2, 1, h);
    GByteArray *first = g_byte_array_new();
    g_byte_array_append(first, pub->data, pub->len);
    g_byte_array_append(first, hf->data, hf->len);
    cap_segment(c, 0, first->data, first->len, 0x18); /* 5: publish and header */
    for (uint32_t i = 0; i < n; i++) {                /* 6..10: body frames */
        GByteArray *piece = g_byte_array_new();
        g_byte_array_append(piece, body + i * (size / n), size / n);
        GByteArray *bf = frame_new(3, 1, piece);
        cap_segment(c, 0, bf->data, bf->len, 0x18);
        g_byte_array_unref(piece);
        g_byte_array_unref(bf);
    }
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    peel_dissector_keep_records(dis, true);
    fetch_cap = c;
    peel_dissector_set_frame_fetch(dis, cap_fetch, NULL);
    for (uint32_t i = 1; i <= 10; i++) {
        const PeelPacket *pkt = cap_run(dis, c, i);
        if (i == 4) {
            g_assert_cmpstr(pkt->info, ==, "Protocol-Header 0-9-1");
        } else if (i == 5) {
            g_assert_cmpstr(
                    pkt->info, ==, "Basic.Publish x=orders rk=new Content-Header type=text/plain ");
            assert_values(pkt, "amqp.method.arguments.publish_number", "1");
            assert_values(pkt, "amqp.type", "1,2");
        } else if (i >= 6) {
            g_assert_cmpstr(pkt->info, ==, "Content-Body ");
            g_autofree char *pl = values(pkt, "amqp.payload");
            g_assert_cmpuint(strlen(pl), ==, 2 * size / n);
            g_autofree char *b = values(pkt, "amqp.body");
            g_assert_cmpuint(strlen(b), ==, i == 10 ? 2 * size : 0);
        }
    }
    /* Again, as --frame 10 or the GUI would: rebuilt from the records. */
    const PeelPacket *pkt = cap_run(dis, c, 10);
    g_assert_true(pkt->revisit);
    g_autofree char *b = values(pkt, "amqp.body");
    g_assert_cmpuint(strlen(b), ==, 2 * size);
    g_assert_true(g_str_has_prefix(b, "6162636465"));
    g_assert_cmpstr(pkt->sources[pkt->n_sources - 1].name, ==, "Reassembled AMQP body");
    pkt = cap_run(dis, c, 9);
    g_autofree char *none = values(pkt, "amqp.body");
    g_assert_cmpstr(none, ==, "");
    pkt = cap_run(dis, c, 5);
    assert_values(pkt, "amqp.method.arguments.publish_number", "1");
    g_byte_array_unref(pub);
    g_byte_array_unref(h);
    g_byte_array_unref(hf);
    g_byte_array_unref(first);
    cap_free(c);
}

static void
test_acks_and_server_refusal(void)
{
    Cap *c = cap_new();
    cap_segment(c, 0, (const uint8_t *)"AMQP\x01\x01\x00\x0a", 8, 0x18); /* 4: 0-10 */
    cap_segment(c, 1, (const uint8_t *)"AMQP\x00\x00\x09\x01", 8, 0x18); /* 5: refusal */
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = NULL;
    for (uint32_t i = 1; i <= 5; i++)
        pkt = cap_run(dis, c, i);
    g_assert_cmpstr(pkt->info, ==, "Protocol-Header 0-9-1");
    g_assert_true(has_expert(pkt, "refuses the client's version"));
    cap_free(c);

    /* A 1.0 server echoes the header it accepts: no refusal, and what follows is not
     * parsed as 0-9-1. */
    c = cap_new();
    cap_segment(c, 0, (const uint8_t *)"AMQP\x00\x01\x00\x00", 8, 0x18); /* 4 */
    cap_segment(c, 1, (const uint8_t *)"AMQP\x00\x01\x00\x00", 8, 0x18); /* 5 */
    const uint8_t open10[] = { 0, 0, 0, 12, 2, 0, 0, 0, 0, 0x53, 0x10, 0x45 };
    cap_segment(c, 0, open10, sizeof open10, 0x18); /* 6: a 1.0 frame */
    g_autoptr(PeelDissector) v10 = peel_dissector_new();
    for (uint32_t i = 1; i <= 6; i++) {
        pkt = cap_run(v10, c, i);
        if (i == 5)
            g_assert_false(has_expert(pkt, "refuses"));
    }
    g_assert_cmpstr(pkt->info, ==, "AMQP 1.0 frame ");
    assert_values(pkt, "amqp.type", "");
    cap_free(c);

    /* Two deliveries, then an ack with multiple covering both. */
    c = cap_new();
    GByteArray *seg = g_byte_array_new();
    for (uint64_t tag = 1; tag <= 2; tag++) {
        GByteArray *p = method_new(60, 60);
        putsstr(p, "ctag");
        put64(p, tag);
        put8(p, 0);
        putsstr(p, "orders");
        putsstr(p, "new");
        GByteArray *f = frame_new(1, 1, p);
        g_byte_array_append(seg, f->data, f->len);
        g_byte_array_unref(p);
        g_byte_array_unref(f);
    }
    cap_segment(c, 1, seg->data, seg->len, 0x18); /* 4: server -> client */
    GByteArray *p = method_new(60, 80);
    put64(p, 2);
    put8(p, 1);
    GByteArray *ack = frame_new(1, 1, p);
    cap_segment(c, 0, ack->data, ack->len, 0x18); /* 5 */
    dis = (peel_dissector_free(dis), peel_dissector_new());
    for (uint32_t i = 1; i <= 5; i++) {
        pkt = cap_run(dis, c, i);
        if (i == 4) {
            g_assert_cmpstr(
                    pkt->info, ==, "Basic.Deliver x=orders rk=new Basic.Deliver x=orders rk=new ");
            assert_values(pkt, "amqp.method.arguments.delivery_tag", "1,2");
        }
    }
    assert_values(pkt, "amqp.message_in", "4,4");
    assert_values(pkt, "amqp.method.arguments.multiple", "1");
    g_byte_array_unref(seg);
    g_byte_array_unref(p);
    g_byte_array_unref(ack);
    cap_free(c);
}

static void
test_missed_heartbeats(void)
{
    Cap *c = cap_new();
    GByteArray *p = method_new(10, 31);
    put16(p, 2047);
    put32(p, 131072);
    put16(p, 1); /* heartbeat every second */
    GByteArray *tune_ok = frame_new(1, 0, p);
    cap_segment(c, 0, tune_ok->data, tune_ok->len, 0x18); /* 4 at 40 ms */
    const uint8_t hb[] = { 8, 0, 0, 0, 0, 0, 0, 0xce };
    cap_segment(c, 0, hb, sizeof hb, 0x18); /* 5 at 540 ms: in time */
    cap_segment(c, 0, hb, sizeof hb, 0x18); /* 6 at 3540 ms: 3 s of silence */
    memset(frame_ms, 0, sizeof frame_ms);
    frame_ms[5] = 540;
    frame_ms[6] = 3540;
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = NULL;
    for (uint32_t i = 1; i <= 5; i++)
        pkt = cap_run(dis, c, i);
    g_assert_false(has_expert(pkt, "heartbeat"));
    pkt = cap_run(dis, c, 6);
    g_assert_cmpstr(pkt->info, ==, "Heartbeat ");
    g_assert_true(has_expert(pkt, "no frame from this peer for 3.000 s"));
    memset(frame_ms, 0, sizeof frame_ms);
    g_byte_array_unref(p);
    g_byte_array_unref(tune_ok);
    cap_free(c);
}

static void
test_garbage_then_frame(void)
{
    /* The capture starts inside a frame: bytes are skipped up to the next frame. */
    Cap *c = cap_new();
    GByteArray *seg = g_byte_array_new();
    g_byte_array_append(seg, (const guint8 *)"\x99\x98junk", 6);
    GByteArray *f = publish_frame("x", "k");
    g_byte_array_append(seg, f->data, f->len);
    cap_segment(c, 0, seg->data, seg->len, 0x18);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = NULL;
    for (uint32_t i = 1; i <= 4; i++)
        pkt = cap_run(dis, c, i);
    g_assert_true(has_expert(pkt, "6 bytes that do not start an AMQP frame"));
    assert_values(pkt, "amqp.method.arguments.exchange", "x");
    g_byte_array_unref(seg);
    g_byte_array_unref(f);
    cap_free(c);
}

static void
test_heuristic_and_decode_as(void)
{
    /* Port 7000: found by its protocol header. */
    server_port = 7000;
    Cap *c = cap_new();
    cap_segment(c, 0, (const uint8_t *)"AMQP\x00\x00\x09\x01", 8, 0x18);
    GByteArray *f = publish_frame("x", "k");
    cap_segment(c, 0, f->data, f->len, 0x18);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = NULL;
    for (uint32_t i = 1; i <= 5; i++)
        pkt = cap_run(dis, c, i);
    g_assert_cmpstr(pkt->info, ==, "Basic.Publish x=x rk=k ");
    assert_values(pkt, "amqp.method.arguments.routing_key", "k");
    cap_free(c);

    /* Port 7001 without a header: only decode-as makes it AMQP. */
    server_port = 7001;
    c = cap_new();
    cap_segment(c, 0, f->data, f->len, 0x18);
    g_autoptr(PeelDissector) plain = peel_dissector_new();
    for (uint32_t i = 1; i <= 4; i++)
        pkt = cap_run(plain, c, i);
    assert_values(pkt, "amqp.type", "");
    g_autoptr(PeelDissector) as = peel_dissector_new();
    g_autoptr(GError) error = NULL;
    g_assert_true(peel_dissector_decode_as(as, "tcp.port==7001,amqp", &error));
    g_assert_no_error(error);
    for (uint32_t i = 1; i <= 4; i++)
        pkt = cap_run(as, c, i);
    g_assert_cmpstr(pkt->info, ==, "Basic.Publish x=x rk=k ");
    cap_free(c);
    g_byte_array_unref(f);
    server_port = 5672;
}

static void
test_report_stats(void)
{
    /* exchange.declare answered 5 ms later, a publish the broker confirms. */
    Cap *c = cap_new();
    GByteArray *p = method_new(40, 10);
    put16(p, 0), putsstr(p, "orders"), putsstr(p, "direct"), put8(p, 0), put32(p, 0);
    GByteArray *decl = frame_new(1, 1, p);
    cap_segment(c, 0, decl->data, decl->len, 0x18); /* 4 */
    GByteArray *q = method_new(40, 11);
    GByteArray *decl_ok = frame_new(1, 1, q);
    cap_segment(c, 1, decl_ok->data, decl_ok->len, 0x18); /* 5 */
    GByteArray *pub = publish_frame("orders", "new");
    cap_segment(c, 0, pub->data, pub->len, 0x18); /* 6 */
    GByteArray *a = method_new(60, 80);
    put64(a, 1), put8(a, 0);
    GByteArray *ack = frame_new(1, 1, a);
    cap_segment(c, 1, ack->data, ack->len, 0x18); /* 7 */
    memset(frame_ms, 0, sizeof frame_ms);
    frame_ms[4] = 100;
    frame_ms[5] = 105;
    char *z[] = { "amqp,stats", NULL };
    g_autoptr(GError) error = NULL;
    g_autoptr(PeelStats) stats = peel_stats_new(z, NULL, &error);
    g_assert_no_error(error);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    for (uint32_t i = 1; i <= 7; i++)
        peel_stats_packet(stats, cap_run(dis, c, i));
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
    cap_free(c);

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
