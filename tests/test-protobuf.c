/* test-protobuf.c: the protobuf decoder on messages protoc encoded (the .txtpb files of
 * tests/protobuf with the schemas beside them, made at build time) and on hand-built bytes: every
 * field type with and without the schema, packed and unpacked repeats, maps, oneofs, groups,
 * well-known types, Any, gRPC method lookup, server reflection, and corrupt input
 * (truncated and overlong varints, lengths past the end, bad wire types, nesting bombs).
 * Expected -T fields values are what tshark 4.0 prints with the same schema where
 * Wireshark has the field (see tests/protobuf/README.md). */
#include <glib/gstdio.h>
#include <string.h>

#include "format.h"
#include "peel-test.h"
#include "protobuf.h"
#include "registry.h"

/* ---- a carrier protocol: [u32 length][message] ... decoded as pt_types[i] ---- */

#define PT_MAX 4
static const char *pt_types[PT_MAX];
static bool pt_method_found;
static PeelProtobufMethod pt_method;
static const char *pt_method_path;

static void
pt_dissect(PeelReader *rd, PeelPacket *pkt)
{
    for (int i = 0; i < 200 && peel_reader_remaining(rd) >= 4; i++) {
        uint32_t len = peel_reader_u32be(rd);
        PeelReader m = peel_reader_take(rd, len);
        peel_protobuf_dissect(&m, pkt, pt_types[MIN(i, PT_MAX - 1)]);
    }
    if (pt_method_path != NULL)
        pt_method_found =
                peel_protobuf_method(pkt, pt_method_path, strlen(pt_method_path), &pt_method);
}

static const PeelProto pt_proto = {
    .name = "pbtest",
    .title = "Protobuf test carrier",
    .dissect = pt_dissect,
};

static GBytes *
read_built(const char *name)
{
    g_autofree char *path = g_test_build_filename(G_TEST_BUILT, name, NULL);
    gchar *data = NULL;
    gsize len = 0;
    g_autoptr(GError) error = NULL;
    if (!g_file_get_contents(path, &data, &len, &error))
        g_error("%s", error->message);
    return g_bytes_new_take(data, len);
}

static void
hex_append(GString *hex, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        g_string_append_printf(hex, "%02x", p[i]);
}

/* One message of `type` (NULL: no schema). */
static PeelTestPacket *
pt_one(const char *type, const uint8_t *p, size_t n)
{
    memset(pt_types, 0, sizeof pt_types);
    pt_types[0] = type;
    g_autoptr(GString) hex = g_string_new(NULL);
    g_string_append_printf(hex, "%08x", (unsigned)n);
    hex_append(hex, p, n);
    return peel_test_dissect_hex(&pt_proto, hex->str);
}

static PeelTestPacket *
pt_hex(const char *type, const char *msg_hex)
{
    g_autoptr(GString) clean = g_string_new(NULL);
    for (const char *s = msg_hex; *s; s++)
        if (g_ascii_isxdigit(*s))
            g_string_append_c(clean, *s);
    g_autoptr(GString) hex = g_string_new(NULL);
    g_string_append_printf(hex, "%08x%s", (unsigned)(clean->len / 2), clean->str);
    memset(pt_types, 0, sizeof pt_types);
    pt_types[0] = type;
    return peel_test_dissect_hex(&pt_proto, hex->str);
}

static PeelTestPacket *
pt_built(const char *type, const char *file)
{
    g_autoptr(GBytes) b = read_built(file);
    gsize n;
    const uint8_t *p = g_bytes_get_data(b, &n);
    return pt_one(type, p, n);
}

/* Every occurrence of a field, comma-separated, as -T fields prints it. */
static const char *
all(PeelTestPacket *t, const char *name)
{
    static char buf[4096];
    GString *s = g_string_new(NULL);
    guint n = peel_test_field_count(t, name);
    for (guint i = 0; i < n; i++) {
        if (i)
            g_string_append_c(s, ',');
        g_string_append(s, peel_test_field_str(t, name, i));
    }
    g_strlcpy(buf, s->str, sizeof buf);
    g_string_free(s, TRUE);
    return buf;
}

/* PEEL_PROTOBUF_DUMP=1 prints the tree of each message decoded (for eyes, not asserts). */
static void
dump(PeelTestPacket *t)
{
    if (g_getenv("PEEL_PROTOBUF_DUMP") == NULL)
        return;
    const PeelPacket *pkt = peel_test_packet(t);
    g_autoptr(GString) line = g_string_new(NULL);
    for (uint32_t i = 0; i < pkt->n_fields; i++) {
        const PeelField *fl = &pkt->fields[i];
        g_string_assign(line, "");
        for (uint16_t d = 0; d < fl->depth; d++)
            g_string_append(line, "    ");
        if (fl->flags & PEEL_FF_HIDDEN)
            g_string_append(line, "(hidden) ");
        peel_format_tree_line(line, pkt, fl);
        g_printerr("%s\n", line->str);
    }
    for (uint32_t i = 0; i < pkt->n_experts; i++)
        g_printerr("expert: %s\n", pkt->experts[i].msg);
}

static guint
n_experts(PeelTestPacket *t)
{
    return peel_test_packet(t)->n_experts;
}

/* ---- with the schema ---- */

static void
test_schema_scalars(void)
{
    g_autoptr(PeelTestPacket) t = pt_built("peeltest.All", "peeltest-all.bin");
    g_assert_cmpstr(all(t, "pbf.peeltest.Scalars.f_double"), ==, "3.14159265358979");
    g_assert_cmpstr(all(t, "pbf.peeltest.Scalars.f_float"), ==, "0.1");
    g_assert_cmpstr(all(t, "pbf.peeltest.Scalars.f_int64"), ==, "-5");
    g_assert_cmpstr(all(t, "pbf.peeltest.Scalars.f_uint64"), ==, "18446744073709551615");
    g_assert_cmpstr(all(t, "pbf.peeltest.Scalars.f_int32"), ==, "-7");
    g_assert_cmpstr(all(t, "pbf.peeltest.Scalars.f_fixed64"), ==, "1234567890123");
    g_assert_cmpstr(all(t, "pbf.peeltest.Scalars.f_fixed32"), ==, "4000000000");
    g_assert_cmpstr(all(t, "pbf.peeltest.Scalars.f_bool"), ==, "1");
    g_assert_cmpstr(all(t, "pbf.peeltest.Scalars.f_string"), ==, "h\xc3\xa9llo");
    g_assert_cmpstr(all(t, "pbf.peeltest.Scalars.f_bytes"), ==, "0001ff");
    g_assert_cmpstr(all(t, "pbf.peeltest.Scalars.f_uint32"), ==, "300");
    g_assert_cmpstr(all(t, "pbf.peeltest.Scalars.f_enum"), ==, "2");
    g_assert_cmpstr(all(t, "pbf.peeltest.Scalars.f_sfixed32"), ==, "-9");
    g_assert_cmpstr(all(t, "pbf.peeltest.Scalars.f_sfixed64"), ==, "-10");
    g_assert_cmpstr(all(t, "pbf.peeltest.Scalars.f_sint32"), ==, "-11");
    g_assert_cmpstr(all(t, "pbf.peeltest.Scalars.f_sint64"), ==, "-12");
    /* Wireshark's generic value fields carry the same numbers. */
    g_assert_cmpstr(all(t, "protobuf.field.value.double"), ==, "3.14159265358979,1.5,-2.25");
    g_assert_cmpstr(all(t, "protobuf.field.value.float"), ==, "0.1");
    g_assert_cmpstr(
            all(t, "protobuf.field.value.uint64"), ==, "18446744073709551615,1234567890123");
    g_assert_cmpstr(all(t, "protobuf.field.value.bool"), ==, "1");
    g_assert_cmpuint(n_experts(t), ==, 0);
}

static void
test_schema_structure(void)
{
    g_autoptr(PeelTestPacket) t = pt_built("peeltest.All", "peeltest-all.bin");
    dump(t);
    g_assert_cmpstr(all(t, "pbf.peeltest.All.packed_ints"), ==, "1,2,300");
    g_assert_cmpstr(all(t, "pbf.peeltest.All.unpacked_ints"), ==, "7,8");
    g_assert_cmpstr(all(t, "pbf.peeltest.All.packed_doubles"), ==, "1.5,-2.25");
    g_assert_cmpstr(all(t, "pbf.peeltest.All.names"), ==, "a,b");
    g_assert_cmpstr(all(t, "pbf.peeltest.All.countsMapEntry.key"), ==, "x,y");
    g_assert_cmpstr(all(t, "pbf.peeltest.All.countsMapEntry.value"), ==, "1,2");
    g_assert_cmpstr(all(t, "pbf.peeltest.All.colors"), ==, "1,-1");
    /* the oneof's member, the plain nested message, and the Any's packed message */
    g_assert_cmpstr(all(t, "pbf.peeltest.Inner.name"), ==, "in,n,any");
    g_assert_cmpstr(all(t, "pbf.peeltest.Inner.id"), ==, "42,1,5");
    g_assert_cmpstr(all(t, "pbf.google.protobuf.Duration.seconds"), ==, "90");
    g_assert_cmpstr(all(t, "pbf.google.protobuf.Int32Value.value"), ==, "17");
    g_assert_cmpstr(all(t, "pbf.peeltest.All.Deep.level"), ==, "3,2,1");
    g_assert_cmpuint(peel_test_field_count(t, "pbf.peeltest.All.when"), ==, 1);
    g_assert_cmpstr(all(t, "pbf.google.protobuf.Timestamp.seconds"), ==, "1700000000");
    g_assert_cmpstr(all(t, "pbf.google.protobuf.Timestamp.nanos"), ==, "500000000");
    g_assert_cmpuint(peel_test_field_count(t, "pbm.peeltest.All"), ==, 1);
    g_assert_cmpuint(peel_test_field_count(t, "pbm.peeltest.Inner"), ==, 3);
    g_assert_cmpstr(all(t, "protobuf.message.name"), ==,
            "peeltest.All,peeltest.Scalars,peeltest.Inner,peeltest.All.countsMapEntry,"
            "peeltest.All.countsMapEntry,peeltest.Inner,google.protobuf.Timestamp,"
            "google.protobuf.Duration,google.protobuf.Int32Value,google.protobuf.Any,"
            "peeltest.Inner,peeltest.All.Deep,peeltest.All.Deep,peeltest.All.Deep");
    /* names, numbers and wire types of the top level message's first fields */
    g_assert_cmpstr(peel_test_field_str(t, "protobuf.field.name", 0), ==, "scalars");
    g_assert_cmpstr(peel_test_field_str(t, "protobuf.field.name", 1), ==, "f_double");
    g_assert_cmpstr(peel_test_field_str(t, "protobuf.field.type", 0), ==, "11");
    g_assert_cmpstr(peel_test_field_str(t, "protobuf.field.type", 1), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "protobuf.field.wiretype", 1), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "protobuf.field.value.length", 0), ==, "102");
    g_assert_cmpstr(peel_test_field_str(t, "protobuf.field.path", 1), ==, "1.1");
    g_assert_cmpstr(peel_test_info(t), ==, " (PROTOBUF) peeltest.All");
    g_assert_cmpstr(peel_test_protocols(t), ==, "pbtest:protobuf");
    g_assert_cmpuint(peel_test_field_count(t, "protobuf.field.guess"), ==, 0);
    g_assert_cmpuint(n_experts(t), ==, 0);
}

static void
test_schema_group(void)
{
    g_autoptr(PeelTestPacket) t = pt_built("peeltest2.WithGroup", "peeltest-group.bin");
    g_assert_cmpstr(all(t, "pbf.peeltest2.WithGroup.Item.a"), ==, "5");
    g_assert_cmpstr(all(t, "pbf.peeltest2.WithGroup.Item.b"), ==, "g");
    g_assert_cmpstr(all(t, "pbf.peeltest2.WithGroup.after"), ==, "6");
    g_assert_cmpstr(all(t, "protobuf.field.path"), ==, "1,1.2,1.3,1.1,4");
    g_assert_cmpuint(n_experts(t), ==, 0);

    g_autoptr(PeelTestPacket) u = pt_built(NULL, "peeltest-group.bin");
    g_assert_cmpstr(all(u, "protobuf.field.value.uint32"), ==, "5,6");
    g_assert_cmpstr(all(u, "protobuf.field.value.string"), ==, "g");
    g_assert_cmpuint(n_experts(u), ==, 0);

    /* a group that never ends */
    g_autoptr(PeelTestPacket) v = pt_hex("peeltest2.WithGroup", "0b 10 05");
    g_assert_true(peel_test_has_expert(v, "has no end-group tag"));
    g_autoptr(PeelTestPacket) w = pt_hex(NULL, "0c");
    g_assert_true(peel_test_has_expert(w, "with no such group open"));
}

static void
test_schema_mismatch(void)
{
    /* f_double (fixed64) sent as a varint: decoded by wire type, with a note */
    g_autoptr(PeelTestPacket) t = pt_hex("peeltest.Scalars", "08 96 01");
    g_assert_true(peel_test_has_expert(t, "not of wire type 0"));
    g_assert_cmpstr(all(t, "protobuf.field.value.uint32"), ==, "150");
    g_assert_cmpuint(peel_test_field_count(t, "pbf.peeltest.Scalars.f_double"), ==, 0);
    /* an unknown field number in a known message */
    g_autoptr(PeelTestPacket) u = pt_hex("peeltest.Inner", "18 07 0a 01 41");
    g_assert_cmpstr(all(u, "protobuf.field.name"), ==, "<UNKNOWN>,name");
    g_assert_cmpstr(all(u, "pbf.peeltest.Inner.name"), ==, "A");
    /* a type no schema defines decodes without one */
    g_autoptr(PeelTestPacket) v = pt_hex("no.such.Type", "08 01");
    g_assert_cmpstr(all(v, "protobuf.message.name"), ==, "<UNKNOWN> Message Type");
    g_assert_cmpstr(peel_test_info(v), ==, " (PROTOBUF)");
}

/* ---- without a schema ---- */

static void
test_guess(void)
{
    g_autoptr(PeelTestPacket) t = pt_built(NULL, "peeltest-all.bin");
    g_assert_cmpstr(all(t, "protobuf.message.name"), ==, "<UNKNOWN> Message Type");
    g_assert_cmpstr(peel_test_field_str(t, "protobuf.field.name", 0), ==, "<UNKNOWN>");
    /* field 1 (Scalars) parses whole: a nested message */
    g_assert_cmpstr(peel_test_field_str(t, "protobuf.field.guess", 0), ==, "message");
    g_assert_cmpstr(peel_test_field_str(t, "protobuf.field.path", 1), ==, "1.1");
    /* varints and fixed values as Wireshark shows them without a schema */
    g_assert_cmpstr(peel_test_field_str(t, "protobuf.field.value.uint64", 0), ==,
            "4614256656552045841"); /* f_double's bits */
    g_assert_cmpstr(peel_test_field_str(t, "protobuf.field.value.uint32", 0), ==,
            "1036831949"); /* f_float's bits */
    /* Scalars as wire values: int64 -5, uint64 max and int32 -7 (sign-extended) as 64-bit
     * varints, fixed64, sfixed64 -10 */
    g_assert_cmpstr(all(t, "protobuf.field.value.uint64"), ==,
            "4614256656552045841,18446744073709551611,18446744073709551615,"
            "18446744073709551609,1234567890123,18446744073709551606");
    /* f_float's bits, fixed32, bool, uint32 300, enum GREEN, sfixed32 -9's bits, zigzag
     * sint32 -11 (21) and sint64 -12 (23); Inner.id 42, the guessed packed_ints 1,2,300,
     * unpacked 7 and 8, the map values, the oneof's id, Timestamp, Duration, Int32Value,
     * the Any's id, Deep's levels */
    g_assert_cmpstr(all(t, "protobuf.field.value.uint32"), ==,
            "1036831949,4000000000,1,300,2,4294967287,21,23,42,1,2,300,7,8,1,2,1,1700000000,"
            "500000000,90,250000000,17,5,3,2,1");
    /* text: 1.9 is f_string */
    const char *strings = all(t, "protobuf.field.value.string");
    g_assert_nonnull(strstr(strings, "h\xc3\xa9llo"));
    g_assert_nonnull(strstr(strings, "type.googleapis.com/peeltest.Inner"));
    g_autofree char *guesses = g_strdup(all(t, "protobuf.field.guess"));
    g_assert_nonnull(strstr(guesses, "packed varints"));
    /* packed_ints 1,2,300 read as packed varints */
    g_assert_nonnull(strstr(all(t, "protobuf.field.value.uint32"), "21,23,42,1,2,300,7,8"));
    /* bytes 00 01 ff: no reading fits */
    g_assert_nonnull(strstr(guesses, "bytes"));
    g_assert_cmpuint(peel_test_field_count(t, "pbf.peeltest.All.names"), ==, 0);
}

static void
test_guess_each(void)
{
    /* 1: "hello" (text), 2: {1: 150} (message), 3: 01 02 03 (packed), 4: 80 ff (bytes) */
    g_autoptr(PeelTestPacket) t = pt_hex(NULL, "0a 05 68656c6c6f  12 03 08 96 01"
                                               "  1a 03 010203  22 02 80ff  2a 00");
    dump(t);
    g_assert_cmpstr(
            all(t, "protobuf.field.guess"), ==, "string,message,packed varints,bytes,bytes");
    g_assert_cmpstr(all(t, "protobuf.field.path"), ==, "1,2,2.1,3,4,5");
    g_assert_cmpstr(all(t, "protobuf.field.value.string"), ==, "hello");
    g_assert_cmpstr(all(t, "protobuf.field.value.uint32"), ==, "150,1,2,3");
    g_assert_cmpuint(peel_test_field_count(t, "protobuf.field.value.uint64"), ==, 0);
    g_assert_cmpstr(all(t, "protobuf.field.value"), ==, "68656c6c6f,089601,9601,010203,80ff,");
    g_assert_cmpstr(all(t, "protobuf.field.value.length"), ==, "5,3,3,2,0");
    g_assert_cmpstr(all(t, "protobuf.field.number"), ==, "1,2,1,3,4,5");
    g_assert_cmpstr(all(t, "protobuf.field.wiretype"), ==, "2,2,0,2,2,2");
    g_assert_cmpuint(n_experts(t), ==, 0);
}

static void
test_guess_fixed(void)
{
    /* fixed64 and fixed32 without a schema: uint32 when it fits, else uint64 */
    g_autoptr(PeelTestPacket) t = pt_hex(NULL, "09 0100000000000000 11 0000000001000000"
                                               " 1d ffffffff");
    g_assert_cmpstr(all(t, "protobuf.field.value.uint32"), ==, "1,4294967295");
    g_assert_cmpstr(all(t, "protobuf.field.value.uint64"), ==, "4294967296");
    g_assert_cmpstr(all(t, "protobuf.field.wiretype"), ==, "1,1,5");
}

/* ---- corrupt input ---- */

static void
test_varints(void)
{
    g_autoptr(PeelTestPacket) a = pt_hex(NULL, "08");
    g_assert_true(peel_test_has_expert(a, "truncated varint value"));
    g_autoptr(PeelTestPacket) b = pt_hex(NULL, "08 ff");
    g_assert_true(peel_test_has_expert(b, "truncated varint value"));
    g_autoptr(PeelTestPacket) c = pt_hex(NULL, "08 ffffffffffffffffff7f");
    g_assert_true(peel_test_has_expert(c, "corrupt varint value"));
    g_autoptr(PeelTestPacket) d = pt_hex(NULL, "08 ffffffffffffffffffff01");
    g_assert_true(peel_test_has_expert(d, "corrupt varint value"));
    /* ten bytes, the last 01: the largest uint64 */
    g_autoptr(PeelTestPacket) e = pt_hex(NULL, "08 ffffffffffffffffff01");
    g_assert_cmpstr(all(e, "protobuf.field.value.uint64"), ==, "18446744073709551615");
    g_assert_cmpuint(n_experts(e), ==, 0);
    g_autoptr(PeelTestPacket) f = pt_hex(NULL, "ff");
    g_assert_true(peel_test_has_expert(f, "truncated varint in a field tag"));
    g_autoptr(PeelTestPacket) g = pt_hex(NULL, "0a ff");
    g_assert_true(peel_test_has_expert(g, "truncated varint length"));
    g_autoptr(PeelTestPacket) h = pt_hex("peeltest.All", "1a 02 01 ff");
    g_assert_true(peel_test_has_expert(h, "packed varints: truncated varint"));
    g_assert_cmpstr(all(h, "pbf.peeltest.All.packed_ints"), ==, "1");
}

/* A short snaplen cutting a varint is noted as the capture's end, not as malformed. */
static void
test_snaplen(void)
{
    memset(pt_types, 0, sizeof pt_types);
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex_full(&pt_proto, 1, "00000003 0896", 7);
    g_assert_true(peel_test_has_expert(t, "the capture ends inside a varint value"));
    g_assert_false(peel_test_has_expert(t, "truncated varint"));
    g_assert_true(peel_test_field_is_truncated(t, "protobuf.field.value"));
}

static void
test_lengths(void)
{
    g_autoptr(PeelTestPacket) a = pt_hex(NULL, "0a 05 6162");
    g_assert_true(peel_test_has_expert(a, "runs past the 2 bytes left"));
    g_autoptr(PeelTestPacket) b = pt_hex(NULL, "0f 00");
    g_assert_true(peel_test_has_expert(b, "wire type 7 is not valid"));
    g_autoptr(PeelTestPacket) c = pt_hex(NULL, "00 01");
    g_assert_true(peel_test_has_expert(c, "field number 0 is outside"));
    g_autoptr(PeelTestPacket) d = pt_hex(NULL, "09 0102");
    g_assert_true(peel_test_field_is_malformed(d, "protobuf.field.value"));
    g_autoptr(PeelTestPacket) e = pt_hex("peeltest.All", "2a 03 000000");
    g_assert_true(peel_test_has_expert(e, "not a whole number of 8-byte values"));
    /* a huge length varint */
    g_autoptr(PeelTestPacket) f = pt_hex(NULL, "0a ffffffffffffffff7f 00");
    g_assert_true(peel_test_has_expert(f, "runs past"));
}

/* Messages inside messages, 2000 deep: decoding stops at the nesting limit. */
static void
test_depth_bomb(void)
{
    GByteArray *b = g_byte_array_new();
    for (int i = 0; i < 2000; i++) {
        GByteArray *outer = g_byte_array_new();
        uint8_t tag = 0x0a;
        g_byte_array_append(outer, &tag, 1);
        uint32_t n = b->len;
        do {
            uint8_t x = (uint8_t)(n & 0x7f) | (n > 0x7f ? 0x80 : 0);
            g_byte_array_append(outer, &x, 1);
            n >>= 7;
        } while (n);
        g_byte_array_append(outer, b->data, b->len);
        g_byte_array_unref(b);
        b = outer;
    }
    g_autoptr(PeelTestPacket) t = pt_one(NULL, b->data, b->len);
    g_assert_true(peel_test_has_expert(t, "nested deeper"));
    g_assert_cmpuint(peel_test_field_count(t, "protobuf.field"), <, 40);
    g_autoptr(PeelTestPacket) u = pt_one("peeltest.All.Deep", b->data, b->len);
    g_assert_true(peel_test_has_expert(u, "nested deeper"));
    g_assert_cmpuint(peel_test_field_count(u, "pbf.peeltest.All.Deep.next"), <, 40);
    g_byte_array_unref(b);
}

/* Many fields: decoding stops at the item budget, with a note. */
static void
test_field_budget(void)
{
    size_t n = 60000;
    uint8_t *p = g_malloc(2 * n);
    for (size_t i = 0; i < n; i++) {
        p[2 * i] = 0x08;
        p[2 * i + 1] = 0x01;
    }
    g_autoptr(PeelTestPacket) t = pt_one(NULL, p, 2 * n);
    g_assert_true(peel_test_has_expert(t, "the rest of the message is not decoded"));
    g_assert_cmpuint(peel_test_field_count(t, "protobuf.field"), ==, 50000);
    g_free(p);
}

/* ---- gRPC support ---- */

static void
test_methods(void)
{
    pt_method_path = "/peeltest.Tester/Chat";
    g_autoptr(PeelTestPacket) t = pt_hex(NULL, "");
    g_assert_cmpstr(peel_test_protocols(t), ==, "pbtest:protobuf"); /* an empty message */
    g_assert_true(pt_method_found);
    g_assert_cmpstr(pt_method.input_type, ==, "peeltest.Inner");
    g_assert_cmpstr(pt_method.output_type, ==, "peeltest.All");
    g_assert_true(pt_method.client_streaming && pt_method.server_streaming);

    pt_method_path = "/peeltest.Tester/Unary";
    g_autoptr(PeelTestPacket) u = pt_hex(NULL, "");
    g_assert_cmpstr(peel_test_protocols(u), ==, "pbtest:protobuf"); /* an empty message */
    g_assert_true(pt_method_found);
    g_assert_false(pt_method.client_streaming || pt_method.server_streaming);

    pt_method_path = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo";
    g_autoptr(PeelTestPacket) v = pt_hex(NULL, "");
    g_assert_cmpstr(peel_test_protocols(v), ==, "pbtest:protobuf"); /* an empty message */
    g_assert_true(pt_method_found);
    g_assert_cmpstr(pt_method.output_type, ==, "grpc.reflection.v1.ServerReflectionResponse");

    pt_method_path = "/peeltest.Tester/Nope";
    g_autoptr(PeelTestPacket) w = pt_hex(NULL, "");
    g_assert_cmpstr(peel_test_protocols(w), ==, "pbtest:protobuf"); /* an empty message */
    g_assert_false(pt_method_found);
    g_assert_null(pt_method.input_type);
    pt_method_path = NULL;
}

/* Many messages in one frame (a gRPC stream's batch) are all decoded. */
static void
test_many_messages(void)
{
    g_autoptr(GString) hex = g_string_new(NULL);
    for (int i = 0; i < 100; i++)
        g_string_append_printf(hex, "00000002 08%02x ", i);
    memset(pt_types, 0, sizeof pt_types);
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(&pt_proto, hex->str);
    g_assert_cmpuint(peel_test_field_count(t, "protobuf.message.name"), ==, 100);
    g_assert_cmpstr(peel_test_field_str(t, "protobuf.field.value.uint32", 99), ==, "99");
}

/* A reflection answer teaches the schema that the next message of the capture uses. */
static void
test_reflection(void)
{
    /* The FileDescriptorSet of reflected.proto holds one file: 0a LEN <FileDescriptorProto>,
     * which is also how FileDescriptorResponse{file_descriptor_proto: ...} encodes. */
    g_autoptr(GBytes) set = read_built("peeltest-reflected.pb");
    gsize n;
    const uint8_t *p = g_bytes_get_data(set, &n);
    g_assert_cmpuint(n, <, 16384);
    g_autoptr(GString) hex = g_string_new(NULL);
    /* ServerReflectionResponse { valid_host: "h", file_descriptor_response (4): set } */
    GByteArray *resp = g_byte_array_new();
    g_byte_array_append(resp, (const uint8_t *)"\x0a\x01h\x22", 4);
    uint32_t len = (uint32_t)n;
    do {
        uint8_t x = (uint8_t)(len & 0x7f) | (len > 0x7f ? 0x80 : 0);
        g_byte_array_append(resp, &x, 1);
        len >>= 7;
    } while (len);
    g_byte_array_append(resp, p, (guint)n);
    g_string_append_printf(hex, "%08x", resp->len);
    hex_append(hex, resp->data, resp->len);
    /* then a reflected.Point {x: 3, y: -4 (sint32)} */
    g_string_append(hex, "00000004 0803 1007");
    memset(pt_types, 0, sizeof pt_types);
    pt_types[0] = "grpc.reflection.v1alpha.ServerReflectionResponse";
    pt_types[1] = "reflected.Point";
    pt_method_path = "/reflected.Plotter/Plot";
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(&pt_proto, hex->str);
    pt_method_path = NULL;
    g_byte_array_unref(resp);

    g_assert_true(peel_test_has_expert(t, "learned from server reflection"));
    /* the FileDescriptorProto itself is shown decoded */
    g_assert_nonnull(strstr(all(t, "protobuf.message.name"),
            "grpc.reflection.v1alpha.FileDescriptorResponse,google.protobuf.FileDescriptorProto"));
    g_assert_nonnull(strstr(all(t, "protobuf.field.value.string"), "reflected.proto"));
    /* the second message decodes by the learned schema (no pbf.* names for it) */
    g_assert_nonnull(strstr(all(t, "protobuf.message.name"), "reflected.Point"));
    g_assert_nonnull(strstr(all(t, "protobuf.field.name"), "x,y"));
    g_assert_nonnull(strstr(all(t, "protobuf.field.value.int32"), "3,-4"));
    g_assert_true(pt_method_found);
    g_assert_cmpstr(pt_method.input_type, ==, "reflected.Point");

    /* a corrupt FileDescriptorProto is noted, not learned */
    g_autoptr(PeelTestPacket) u =
            pt_hex("grpc.reflection.v1.ServerReflectionResponse", "22 04 0a 02 ffff");
    g_assert_true(peel_test_has_expert(u, "does not parse"));
}

/* ---- tshark as the oracle ---- */

/* Every Wireshark protobuf field and the pbf.* fields of the test schema. */
static const char *const oracle_fields[] = {
    "protobuf.message.name",
    "protobuf.field.name",
    "protobuf.field.type",
    "protobuf.field.number",
    "protobuf.field.wiretype",
    "protobuf.field.value.length",
    "protobuf.field.value",
    "protobuf.field.value.double",
    "protobuf.field.value.float",
    "protobuf.field.value.int64",
    "protobuf.field.value.uint64",
    "protobuf.field.value.int32",
    "protobuf.field.value.uint32",
    "protobuf.field.value.bool",
    "protobuf.field.value.string",
    "protobuf.field.value.repeated",
    "pbm.peeltest.All",
    "pbm.peeltest.Scalars",
    "pbm.peeltest.Inner",
    "pbm.peeltest.All.Deep",
    "pbm.peeltest.All.countsMapEntry",
    "pbf.peeltest.Scalars.f_double",
    "pbf.peeltest.Scalars.f_float",
    "pbf.peeltest.Scalars.f_int64",
    "pbf.peeltest.Scalars.f_uint64",
    "pbf.peeltest.Scalars.f_int32",
    "pbf.peeltest.Scalars.f_fixed64",
    "pbf.peeltest.Scalars.f_fixed32",
    "pbf.peeltest.Scalars.f_bool",
    "pbf.peeltest.Scalars.f_string",
    "pbf.peeltest.Scalars.f_bytes",
    "pbf.peeltest.Scalars.f_uint32",
    "pbf.peeltest.Scalars.f_enum",
    "pbf.peeltest.Scalars.f_sfixed32",
    "pbf.peeltest.Scalars.f_sfixed64",
    "pbf.peeltest.Scalars.f_sint32",
    "pbf.peeltest.Scalars.f_sint64",
    "pbf.peeltest.All.scalars",
    "pbf.peeltest.All.inner",
    "pbf.peeltest.All.packed_ints",
    "pbf.peeltest.All.unpacked_ints",
    "pbf.peeltest.All.packed_doubles",
    "pbf.peeltest.All.names",
    "pbf.peeltest.All.counts",
    "pbf.peeltest.All.countsMapEntry.key",
    "pbf.peeltest.All.countsMapEntry.value",
    "pbf.peeltest.All.nested",
    "pbf.peeltest.All.when",
    "pbf.peeltest.All.took",
    "pbf.peeltest.All.maybe",
    "pbf.peeltest.All.colors",
    "pbf.peeltest.All.deep",
    "pbf.peeltest.All.Deep.next",
    "pbf.peeltest.All.Deep.level",
    "pbf.peeltest.Inner.name",
    "pbf.peeltest.Inner.id",
    "pbf.google.protobuf.Timestamp.seconds",
    "pbf.google.protobuf.Timestamp.nanos",
    "pbf.google.protobuf.Duration.seconds",
    "pbf.google.protobuf.Duration.nanos",
    "pbf.google.protobuf.Int32Value.value",
};

/* A pcap of one UDP datagram (port 9999) carrying the message, raw IPv4 link type. */
static void
write_udp_pcap(const char *path, const uint8_t *msg, size_t n)
{
    GByteArray *f = g_byte_array_new();
    const uint32_t hdr[] = { 0xa1b2c3d4, 0x00040002, 0, 0, 65535, 101 };
    g_byte_array_append(f, (const uint8_t *)hdr, sizeof hdr);
    uint32_t len = (uint32_t)(28 + n);
    const uint32_t rec[] = { 1700000000, 0, len, len };
    g_byte_array_append(f, (const uint8_t *)rec, sizeof rec);
    uint8_t ip[28] = { 0x45, 0, (uint8_t)(len >> 8), (uint8_t)len, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0,
        0, 1, 10, 0, 0, 2, 0x04, 0xd2, 0x27, 0x0f, (uint8_t)((n + 8) >> 8), (uint8_t)(n + 8), 0,
        0 };
    g_byte_array_append(f, ip, sizeof ip);
    g_byte_array_append(f, msg, (guint)n);
    g_assert_true(g_file_set_contents(path, (const char *)f->data, f->len, NULL));
    g_byte_array_unref(f);
}

/* oracle.txtpb decoded by tshark 4.0 (its protobuf preferences pointed at the same .proto
 * files, pbf_as_hf on) and by peel: every field above must print the same. */
static void
test_tshark_oracle(void)
{
    g_autofree char *tshark = g_find_program_in_path("tshark");
    if (tshark == NULL) {
        g_test_skip("tshark is not installed");
        return;
    }
    g_autoptr(GBytes) msg = read_built("peeltest-oracle.bin");
    gsize n;
    const uint8_t *p = g_bytes_get_data(msg, &n);
    g_autofree char *dir = g_dir_make_tmp("peel-protobuf-XXXXXX", NULL);
    g_autofree char *pcap = g_build_filename(dir, "oracle.pcap", NULL);
    write_udp_pcap(pcap, p, n);
    g_autofree char *protos = g_test_build_filename(G_TEST_DIST, "protobuf", NULL);
    g_autofree char *own = g_strdup_printf("uat:protobuf_search_paths:\"%s\",\"TRUE\"", protos);
    GPtrArray *argv = g_ptr_array_new();
    const char *fixed[] = { tshark, "-r", pcap, "-o",
        "uat:protobuf_search_paths:\"/usr/include\",\"FALSE\"", "-o", own, "-o",
        "uat:protobuf_udp_message_types:\"9999\",\"peeltest.All\"", "-o", "protobuf.pbf_as_hf:TRUE",
        "-o", "protobuf.preload_protos:TRUE", "-T", "fields" };
    for (size_t i = 0; i < G_N_ELEMENTS(fixed); i++)
        g_ptr_array_add(argv, (gpointer)fixed[i]);
    for (size_t i = 0; i < G_N_ELEMENTS(oracle_fields); i++) {
        g_ptr_array_add(argv, (gpointer) "-e");
        g_ptr_array_add(argv, (gpointer)oracle_fields[i]);
    }
    g_ptr_array_add(argv, NULL);
    g_autofree char *out = NULL, *err = NULL;
    int status = 0;
    const char *envp[] = { "TZ=UTC", "HOME=/nonexistent", NULL };
    gboolean ran = g_spawn_sync(NULL, (char **)argv->pdata, (char **)envp, G_SPAWN_DEFAULT, NULL,
            NULL, &out, &err, &status, NULL);
    g_ptr_array_free(argv, TRUE);
    g_unlink(pcap);
    g_rmdir(dir);
    if (!ran || status != 0) {
        g_test_message("tshark: %s", err ? err : "did not run");
        g_test_skip("tshark failed to run");
        return;
    }
    g_strchomp(out);
    g_auto(GStrv) cols = g_strsplit(out, "\t", -1);
    g_assert_cmpuint(g_strv_length(cols), ==, G_N_ELEMENTS(oracle_fields));

    g_setenv("TZ", "UTC", TRUE);
    g_autoptr(PeelTestPacket) t = pt_built("peeltest.All", "peeltest-oracle.bin");
    guint same = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(oracle_fields); i++) {
        const char *mine = all(t, oracle_fields[i]);
        if (strcmp(mine, cols[i]) == 0) {
            same++;
            continue;
        }
        g_test_message("%s: tshark \"%s\", peel \"%s\"", oracle_fields[i], cols[i], mine);
    }
    g_test_message(
            "%u of %zu protobuf fields print as tshark's", same, G_N_ELEMENTS(oracle_fields));
    g_assert_cmpuint(same, ==, G_N_ELEMENTS(oracle_fields));
}

/* Runs argv; its stdout, or NULL when it could not run or failed. */
static char *
run_capture(const char *const *argv)
{
    char *out = NULL, *err = NULL;
    int status = 0;
    const char *envp[] = { "TZ=UTC", "HOME=/nonexistent", "LC_ALL=C.UTF-8", NULL };
    gboolean ran = g_spawn_sync(NULL, (char **)argv, (char **)envp, G_SPAWN_DEFAULT, NULL, NULL,
            &out, &err, &status, NULL);
    if (!ran || status != 0) {
        g_test_message("%s: %s", argv[0], err ? err : "did not run");
        g_free(out);
        out = NULL;
    }
    g_free(err);
    return out;
}

static const char *const sample_fields[] = {
    "protobuf.message.name",
    "protobuf.field.name",
    "protobuf.field.type",
    "protobuf.field.number",
    "protobuf.field.wiretype",
    "protobuf.field.value.length",
    "protobuf.field.value",
    "protobuf.field.value.int64",
    "protobuf.field.value.uint64",
    "protobuf.field.value.int32",
    "protobuf.field.value.uint32",
    "protobuf.field.value.string",
    "protobuf.field.value.bool",
    "protobuf.field.value.double",
    "protobuf.field.value.float",
    "protobuf.field.value.repeated",
    "pbm.peel.demo.HelloRequest",
    "pbm.peel.demo.HelloReply",
    "pbf.peel.demo.HelloRequest.name",
    "pbf.peel.demo.HelloRequest.times",
    "pbf.peel.demo.HelloRequest.tags",
    "pbf.peel.demo.HelloRequest.mood",
    "pbf.peel.demo.HelloReply.message",
    "pbf.peel.demo.HelloReply.sequence",
    "pbf.peel.demo.HelloReply.sent",
    "pbf.peel.demo.HelloReply.counts",
    "pbf.peel.demo.HelloReply.countsMapEntry.key",
    "pbf.peel.demo.HelloReply.countsMapEntry.value",
    "pbf.peel.demo.HelloReply.note",
    "pbf.peel.demo.HelloReply.blob",
    "pbf.google.protobuf.Timestamp.seconds",
    "pbf.google.protobuf.Timestamp.nanos",
};

/* The gRPC sample (samples/grpc-calls.pcap, its schema samples/grpc/demo.pb made from
 * demo.proto) through tshark with its protobuf preferences and through peel with
 * --proto-descriptors: every protobuf field of every frame must print the same. */
static void
test_grpc_sample_oracle(void)
{
    g_autofree char *tshark = g_find_program_in_path("tshark");
    const char *peel = g_getenv("PEEL");
    g_autofree char *tests = g_test_build_filename(G_TEST_DIST, ".", NULL);
    g_autofree char *tests_abs = g_canonicalize_filename(tests, NULL);
    g_autofree char *root = g_canonicalize_filename("..", tests_abs);
    g_autofree char *pcap = g_build_filename(root, "samples", "grpc-calls.pcap", NULL);
    g_autofree char *dir = g_build_filename(root, "samples", "grpc", NULL);
    g_autofree char *pb = g_build_filename(dir, "demo.pb", NULL);
    if (tshark == NULL || peel == NULL || !g_file_test(pcap, G_FILE_TEST_EXISTS) ||
            !g_file_test(pb, G_FILE_TEST_EXISTS)) {
        g_test_skip("needs tshark, $PEEL, samples/grpc-calls.pcap and samples/grpc/demo.pb");
        return;
    }
    g_autofree char *own = g_strdup_printf("uat:protobuf_search_paths:\"%s\",\"TRUE\"", dir);
    GPtrArray *ts = g_ptr_array_new(), *pe = g_ptr_array_new();
    const char *ts_fixed[] = { tshark, "-r", pcap, "-d", "tcp.port==50051,http2", "-o",
        "uat:protobuf_search_paths:\"/usr/include\",\"FALSE\"", "-o", own, "-o",
        "protobuf.pbf_as_hf:TRUE", "-o", "protobuf.preload_protos:TRUE", "-T", "fields" };
    const char *pe_fixed[] = { peel, "-r", pcap, "-d", "tcp.port==50051,http2",
        "--proto-descriptors", pb, "-T", "fields" };
    for (size_t i = 0; i < G_N_ELEMENTS(ts_fixed); i++)
        g_ptr_array_add(ts, (gpointer)ts_fixed[i]);
    for (size_t i = 0; i < G_N_ELEMENTS(pe_fixed); i++)
        g_ptr_array_add(pe, (gpointer)pe_fixed[i]);
    for (size_t i = 0; i < G_N_ELEMENTS(sample_fields); i++) {
        g_ptr_array_add(ts, (gpointer) "-e");
        g_ptr_array_add(ts, (gpointer)sample_fields[i]);
        g_ptr_array_add(pe, (gpointer) "-e");
        g_ptr_array_add(pe, (gpointer)sample_fields[i]);
    }
    g_ptr_array_add(ts, NULL);
    g_ptr_array_add(pe, NULL);
    g_autofree char *ts_out = run_capture((const char *const *)ts->pdata);
    g_autofree char *pe_out = run_capture((const char *const *)pe->pdata);
    g_ptr_array_free(ts, TRUE);
    g_ptr_array_free(pe, TRUE);
    if (ts_out == NULL) {
        g_test_skip("tshark failed to run");
        return;
    }
    g_assert_nonnull(pe_out);
    g_auto(GStrv) ts_lines = g_strsplit(ts_out, "\n", -1);
    g_auto(GStrv) pe_lines = g_strsplit(pe_out, "\n", -1);
    g_assert_cmpuint(g_strv_length(ts_lines), ==, g_strv_length(pe_lines));
    guint same[G_N_ELEMENTS(sample_fields)] = { 0 }, total[G_N_ELEMENTS(sample_fields)] = { 0 };
    for (guint l = 0; ts_lines[l] != NULL; l++) {
        g_auto(GStrv) a = g_strsplit(ts_lines[l], "\t", -1);
        g_auto(GStrv) b = g_strsplit(pe_lines[l], "\t", -1);
        if (g_strv_length(a) < G_N_ELEMENTS(sample_fields))
            continue;
        g_assert_cmpuint(g_strv_length(b), ==, g_strv_length(a));
        for (size_t i = 0; i < G_N_ELEMENTS(sample_fields); i++) {
            if (a[i][0] == '\0' && b[i][0] == '\0')
                continue;
            total[i]++;
            if (strcmp(a[i], b[i]) == 0)
                same[i]++;
            else
                g_test_message("frame %u %s: tshark \"%s\", peel \"%s\"", l + 1, sample_fields[i],
                        a[i], b[i]);
        }
    }
    bool all_same = true;
    for (size_t i = 0; i < G_N_ELEMENTS(sample_fields); i++) {
        g_test_message("%s: %u/%u frames agree", sample_fields[i], same[i], total[i]);
        all_same = all_same && same[i] == total[i];
    }
    g_assert_true(all_same);
}

/* samples/grpc-reflection.pcap without --proto-descriptors: the SayHello call after the
 * reflection answer decodes by the schema the answer carried. */
static void
test_reflection_sample(void)
{
    const char *peel = g_getenv("PEEL");
    g_autofree char *tests = g_test_build_filename(G_TEST_DIST, ".", NULL);
    g_autofree char *tests_abs = g_canonicalize_filename(tests, NULL);
    g_autofree char *pcap = g_canonicalize_filename("../samples/grpc-reflection.pcap", tests_abs);
    if (peel == NULL || !g_file_test(pcap, G_FILE_TEST_EXISTS)) {
        g_test_skip("needs $PEEL and samples/grpc-reflection.pcap");
        return;
    }
    const char *argv[] = { peel, "-r", pcap, "-d", "tcp.port==50052,http2", "-T", "fields", "-e",
        "protobuf.message.name", "-e", "protobuf.field.name", "-e", "protobuf.field.value.string",
        NULL };
    g_autofree char *out = run_capture(argv);
    g_assert_nonnull(out);
    g_assert_nonnull(strstr(out, "google.protobuf.FileDescriptorProto"));
    g_assert_nonnull(strstr(out, "peel.demo.HelloRequest\tname,tags,mood\treflected,r\n"));
    g_assert_nonnull(strstr(out, "peel.demo.HelloReply,google.protobuf.Timestamp,"
                                 "peel.demo.HelloReply.countsMapEntry,"
                                 "peel.demo.HelloReply.countsMapEntry\t"
                                 "message,sequence,sent,seconds,counts,key,value,counts,key,"
                                 "value,note\tHello, reflected!,"));
    /* frame 18 alone (a revisit after the first pass): nothing learned again, same note */
    const char *again[] = { peel, "-r", pcap, "-d", "tcp.port==50052,http2", "--frame", "18", "-V",
        NULL };
    g_autofree char *tree = run_capture(again);
    g_assert_nonnull(tree);
    g_assert_nonnull(strstr(tree, "FileDescriptorProto learned from server reflection"));
}

static void
test_load_errors(void)
{
    g_autoptr(GError) error = NULL;
    g_assert_false(peel_protobuf_load_file("/nonexistent/x.pb", &error));
    g_assert_nonnull(error);
    g_clear_error(&error);
    g_assert_false(peel_protobuf_load_set((const uint8_t *)"\x0a\x05\x0a", 3, "bad", &error));
    g_assert_nonnull(strstr(error->message, "not a FileDescriptorSet"));
    g_clear_error(&error);
    /* 3 million empty files: tiny on the wire, far more than the unpack budget in memory */
    size_t n = 3u << 20;
    uint8_t *bomb = g_malloc(2 * n);
    for (size_t i = 0; i < n; i++) {
        bomb[2 * i] = 0x0a;
        bomb[2 * i + 1] = 0x00;
    }
    g_assert_false(peel_protobuf_load_set(bomb, 2 * n, "bomb", &error));
    g_assert_nonnull(strstr(error->message, "MiB to unpack"));
    g_clear_error(&error);
    g_free(bomb);
    /* 100,000 nested_type levels (protobuf-c would recurse off the stack), written from
     * the innermost message outwards */
    size_t cap = 6 * (100000 + 2), at = cap;
    uint8_t *deep = g_malloc(cap);
    for (int i = 0; i < 100000 + 2; i++) {
        /* DescriptorProto.nested_type (3), then FileDescriptorProto.message_type (4), then
         * FileDescriptorSet.file (1) */
        uint8_t tag = i < 100000 ? 0x1a : i == 100000 ? 0x22 : 0x0a;
        uint8_t hdr[6] = { tag };
        size_t hl = 1;
        for (size_t len = cap - at;; len >>= 7) {
            hdr[hl++] = (uint8_t)(len & 0x7f) | (len > 0x7f ? 0x80 : 0);
            if (len <= 0x7f)
                break;
        }
        at -= hl;
        memcpy(deep + at, hdr, hl);
    }
    g_assert_false(peel_protobuf_load_set(deep + at, cap - at, "deep", &error));
    g_assert_nonnull(strstr(error->message, "nested deeper than"));
    g_free(deep);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    /* Schemas before the registry is built, as the CLI does: pbf.* names then exist. */
    g_autofree char *path = g_test_build_filename(G_TEST_BUILT, "peeltest.pb", NULL);
    g_autoptr(GError) error = NULL;
    if (!peel_protobuf_load_file(path, &error))
        g_error("%s", error->message);
    peel_registry_add_extra(&pt_proto);
    peel_registry_init();

    g_test_add_func("/protobuf/schema/scalars", test_schema_scalars);
    g_test_add_func("/protobuf/schema/structure", test_schema_structure);
    g_test_add_func("/protobuf/schema/group", test_schema_group);
    g_test_add_func("/protobuf/schema/mismatch", test_schema_mismatch);
    g_test_add_func("/protobuf/guess/all", test_guess);
    g_test_add_func("/protobuf/guess/each", test_guess_each);
    g_test_add_func("/protobuf/guess/fixed", test_guess_fixed);
    g_test_add_func("/protobuf/corrupt/varints", test_varints);
    g_test_add_func("/protobuf/corrupt/lengths", test_lengths);
    g_test_add_func("/protobuf/corrupt/snaplen", test_snaplen);
    g_test_add_func("/protobuf/corrupt/depth-bomb", test_depth_bomb);
    g_test_add_func("/protobuf/corrupt/field-budget", test_field_budget);
    g_test_add_func("/protobuf/grpc/methods", test_methods);
    g_test_add_func("/protobuf/grpc/reflection", test_reflection);
    g_test_add_func("/protobuf/grpc/many-messages", test_many_messages);
    g_test_add_func("/protobuf/grpc/reflection-sample", test_reflection_sample);
    g_test_add_func("/protobuf/oracle/tshark", test_tshark_oracle);
    g_test_add_func("/protobuf/oracle/grpc-sample", test_grpc_sample_oracle);
    g_test_add_func("/protobuf/load-errors", test_load_errors);
    return g_test_run();
}
