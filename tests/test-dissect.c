/* test-dissect.c: the dissector core: registry, frame fields, formatting, decode-as. */
#include <arpa/inet.h>
#include <glib.h>
#include <string.h>

#include "arena.h"
#include "dissector.h"
#include "format.h"
#include "peel-test.h"
#include "registry.h"

static void
test_registry_names(void)
{
    peel_registry_init();
    int id = peel_field_lookup("frame.number");
    g_assert_cmpint(id, >=, 0);
    g_assert_cmpstr(peel_field_def((uint32_t)id)->name, ==, "frame.number");
    g_assert_cmpint(peel_field_lookup("frame"), >=, 0);
    g_assert_cmpint(peel_field_lookup("frame.nosuch"), ==, -1);
    g_assert_cmpstr(peel_field_suggest("frame.numbr"), ==, "frame.number");
    g_assert_null(peel_field_suggest("zzzzzzzzzzzz"));
    /* Every field has a name with its protocol's prefix, unique across the registry. */
    for (uint32_t i = 0; i < peel_field_count(); i++) {
        const PeelFieldDef *def = peel_field_def(i);
        const PeelProto *proto = peel_registry_proto(peel_field_proto(i));
        /* Wireshark's 802.1ad dissector names two of its fields after 802.1ah. */
        if (!g_str_has_prefix(def->name, "ieee8021ah."))
            g_assert_true(g_str_has_prefix(def->name, proto->name));
        g_assert_nonnull(def->title);
    }
}

static void
test_frame_fields(void)
{
    /* An unknown link type: the frame layer, then data. */
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex_full(NULL, 147, "deadbeef", 60);
    g_assert_cmpstr(peel_test_field_str(t, "frame.number", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "frame.len", 0), ==, "60");
    g_assert_cmpstr(peel_test_field_str(t, "frame.cap_len", 0), ==, "4");
    g_assert_cmpstr(peel_test_field_str(t, "frame.time_epoch", 0), ==, "1700000000.000000000");
    g_assert_cmpstr(peel_test_field_str(t, "frame.encap_type", 0), ==, "45");
    g_assert_cmpstr(peel_test_field_str(t, "data.data", 0), ==, "deadbeef");
    g_assert_cmpstr(peel_test_field_str(t, "data.len", 0), ==, "60");
    g_assert_cmpstr(peel_test_protocols(t), ==, "data");
}

/* peel_record_patch: an earlier frame's record changes in place, within its bounds, only
 * in the first pass while records are kept. */
static void
test_record_patch(void)
{
    static const uint8_t bytes[] = { 0xde, 0xad };
    PeelFrameInfo f1 = { .number = 1, .cap_len = 2, .len = 2, .linktype = 147, .data = bytes };
    PeelFrameInfo f2 = f1;
    f2.number = 2;
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    peel_dissector_keep_records(dis, true);
    PeelPacket *pkt = (PeelPacket *)peel_dissector_run(dis, &f1);
    peel_record_put(pkt, 7, "abcdefgh", 8);
    pkt = (PeelPacket *)peel_dissector_run(dis, &f2);
    peel_record_put(pkt, 7, "12345678", 8);
    g_assert_true(peel_records_kept(pkt));
    g_assert_true(peel_record_patch(pkt, 1, 7, 2, "XY", 2));
    g_assert_true(peel_record_patch(pkt, 1, 7, 6, "gH", 2));  /* up to the last byte */
    g_assert_false(peel_record_patch(pkt, 1, 7, 7, "XY", 2)); /* one past its end */
    g_assert_false(peel_record_patch(pkt, 1, 7, 9, "", 0));
    g_assert_false(peel_record_patch(pkt, 1, 7, UINT32_MAX, "X", 1));
    g_assert_false(peel_record_patch(pkt, 1, 8, 0, "X", 1)); /* no such record */
    g_assert_false(peel_record_patch(pkt, 3, 7, 0, "X", 1)); /* not dissected yet */
    g_assert_false(peel_record_patch(pkt, 0, 7, 0, "X", 1));
    g_assert_true(peel_record_patch(pkt, 2, 7, 0, "Z", 1)); /* the current frame's own */
    char got[8];
    pkt = (PeelPacket *)peel_dissector_run(dis, &f1);
    g_assert_true(pkt->revisit);
    g_assert_cmpuint(peel_record_size(pkt, 7), ==, 8);
    g_assert_true(peel_record_get(pkt, 7, got, 8));
    g_assert_cmpmem(got, 8, "abXYefgH", 8);
    g_assert_false(peel_record_patch(pkt, 1, 7, 0, "Q", 1)); /* revisits change nothing */
    pkt = (PeelPacket *)peel_dissector_run(dis, &f2);
    g_assert_true(peel_record_get(pkt, 7, got, 8));
    g_assert_cmpmem(got, 8, "Z2345678", 8);
    /* without records: nothing to patch */
    g_autoptr(PeelDissector) plain = peel_dissector_new();
    pkt = (PeelPacket *)peel_dissector_run(plain, &f1);
    peel_record_put(pkt, 7, "abcdefgh", 8);
    pkt = (PeelPacket *)peel_dissector_run(plain, &f2);
    g_assert_false(peel_records_kept(pkt));
    g_assert_false(peel_record_patch(pkt, 1, 7, 0, "X", 1));
}

static void
test_format_rel_time(void)
{
    peel_registry_init();
    PeelField fl = { .id = (uint32_t)peel_field_lookup("frame.time_delta"),
        .flags = PEEL_FF_HAS_VALUE };
    g_autoptr(GString) s = g_string_new(NULL);
    fl.v.t = (PeelTime){ 6, 447785000 };
    peel_format_value(s, NULL, &fl);
    g_assert_cmpstr(s->str, ==, "6.447785000");
    g_string_truncate(s, 0);
    fl.v.t = peel_time_sub((PeelTime){ 1, 0 }, (PeelTime){ 2, 250000000 });
    peel_format_value(s, NULL, &fl);
    g_assert_cmpstr(s->str, ==, "-1.250000000");
}

static void
test_format_escapes(void)
{
    g_autoptr(GString) s = g_string_new(NULL);
    peel_format_escaped(s, (const uint8_t *)"a\r\n\\\x01\xff", 6);
    g_assert_cmpstr(s->str, ==, "a\\r\\n\\\\x01\\xff"); /* a backslash stays one, as tshark */
    /* Valid UTF-8 is kept (tcp.flags.str uses U+00B7); a lone lead byte is escaped. */
    g_string_truncate(s, 0);
    peel_format_escaped(s, (const uint8_t *)"\xc2\xb7S\xc2", 4);
    g_assert_cmpstr(s->str, ==, "\xc2\xb7S\\xc2");
}

/* Hex bytes with and without a separator, every length up to 40 (the fast loop takes four
 * bytes a turn), against snprintf. */
static void
test_format_hex(void)
{
    uint8_t bytes[40];
    for (int i = 0; i < 40; i++)
        bytes[i] = (uint8_t)(i * 37 + 11);
    g_autoptr(GString) s = g_string_new(NULL);
    g_autoptr(GString) want = g_string_new(NULL);
    for (size_t n = 0; n <= sizeof bytes; n++) {
        for (int sep = 0; sep < 2; sep++) {
            g_string_assign(s, "<");
            g_string_assign(want, "<");
            peel_format_hex(s, bytes, n, sep ? ':' : 0);
            for (size_t i = 0; i < n; i++)
                g_string_append_printf(want, "%s%02x", sep && i ? ":" : "", bytes[i]);
            g_assert_cmpstr(s->str, ==, want->str);
        }
    }
}

/* IPv4 addresses from the octet table and decimals two digits at a time, against
 * snprintf. */
static void
test_format_numbers(void)
{
    GRand *rand = g_rand_new_with_seed(11);
    char buf[PEEL_IPV4_STRLEN], want[32];
    static const uint32_t edges[] = { 0, 0xffffffffu, 0x0a000001u, 0x01020304u, 0x64636209u };
    for (int round = 0; round < 20000; round++) {
        uint32_t a = round < (int)G_N_ELEMENTS(edges) ? edges[round] : g_rand_int(rand);
        size_t n = peel_ipv4_to_str(buf, a);
        g_snprintf(want, sizeof want, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff,
                a & 0xff);
        g_assert_cmpstr(buf, ==, want);
        g_assert_cmpuint(n, ==, strlen(want));
    }
    static const uint64_t values[] = { 0, 9, 10, 99, 100, 101, 999, 1000, 4294967295u,
        18446744073709551615ull };
    char digits[24];
    for (size_t i = 0; i < G_N_ELEMENTS(values) + 2000; i++) {
        uint64_t v = i < G_N_ELEMENTS(values)
                             ? values[i]
                             : (uint64_t)g_rand_int(rand) << 32 >> g_rand_int_range(rand, 0, 64);
        char *p = peel_put_decimal(digits + sizeof digits, v);
        g_snprintf(want, sizeof want, "%" G_GUINT64_FORMAT, v);
        g_assert_cmpmem(p, (gsize)(digits + sizeof digits - p), want, strlen(want));
    }
    g_rand_free(rand);
}

static void
test_format_ipv6(void)
{
    const uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
    g_autoptr(GString) s = g_string_new(NULL);
    peel_format_ipv6(s, a);
    g_assert_cmpstr(s->str, ==, "2001:db8::1");
}

static void
test_format_ipv6_like_inet_ntop(void)
{
    GRand *rand = g_rand_new_with_seed(7);
    for (int round = 0; round < 20000; round++) {
        uint8_t a[16];
        for (int i = 0; i < 16; i++) {
            /* mostly zero words, so runs of zeros of every length occur */
            a[i] = g_rand_int_range(rand, 0, 4) == 0 ? (uint8_t)g_rand_int(rand) : 0;
        }
        if (round % 5 == 0) {
            memset(a, 0, 10);
            a[10] = a[11] = 0xff;
        }
        char want[INET6_ADDRSTRLEN], got[PEEL_IPV6_STRLEN];
        g_assert_nonnull(inet_ntop(AF_INET6, a, want, sizeof want));
        peel_ipv6_to_str(got, a);
        g_assert_cmpstr(got, ==, want);
    }
    g_rand_free(rand);
    char v4[PEEL_IPV4_STRLEN];
    peel_ipv4_to_str(v4, 0xc0a80a01);
    g_assert_cmpstr(v4, ==, "192.168.10.1");
    peel_ipv4_to_str(v4, 0);
    g_assert_cmpstr(v4, ==, "0.0.0.0");
}

static void
test_decode_as_errors(void)
{
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    g_autoptr(GError) error = NULL;
    g_assert_true(peel_dissector_decode_as(dis, "udp.port==5000-5002,data", &error));
    g_assert_no_error(error);
    g_assert_false(peel_dissector_decode_as(dis, "tcp.port=8080,data", &error));
    g_assert_error(error, PEEL_DISSECT_ERROR, PEEL_DISSECT_ERROR_DECODE_AS);
    g_clear_error(&error);
    g_assert_false(peel_dissector_decode_as(dis, "tcp.prt==8080,data", &error));
    g_assert_nonnull(strstr(error->message, "unknown selector"));
    g_clear_error(&error);
    g_assert_false(peel_dissector_decode_as(dis, "tcp.port==8080,nosuch", &error));
    g_assert_nonnull(strstr(error->message, "unknown protocol"));
    g_clear_error(&error);
    g_assert_false(peel_dissector_decode_as(dis, "tcp.port==70000,data", &error));
    g_clear_error(&error);
}

static void
test_arena_limit(void)
{
    PeelArena a;
    peel_arena_init(&a);
    a.limit = 1024;
    g_assert_nonnull(peel_arena_alloc(&a, 1000));
    g_assert_null(peel_arena_alloc(&a, 100)); /* over the packet's limit */
    peel_arena_reset(&a);
    char *s = peel_arena_printf(&a, "%s-%d", "x", 42);
    g_assert_cmpstr(s, ==, "x-42");
    void *big = peel_arena_alloc(&a, 1000);
    g_assert_nonnull(big);
    peel_arena_clear(&a);
}

static void
test_many_packets_reuse(void)
{
    /* The engine reuses its arrays: a thousand packets leave the same field count. */
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    uint8_t bytes[64] = { 0 };
    PeelFrameInfo fr = { .cap_len = sizeof bytes, .len = sizeof bytes, .linktype = 147,
        .data = bytes };
    uint32_t first = 0;
    for (uint32_t i = 1; i <= 1000; i++) {
        fr.number = i;
        const PeelPacket *pkt = peel_dissector_run(dis, &fr);
        if (i == 1)
            first = pkt->n_fields;
        g_assert_cmpuint(pkt->n_fields, ==, first);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/dissect/registry/names", test_registry_names);
    g_test_add_func("/dissect/frame/fields", test_frame_fields);
    g_test_add_func("/dissect/records/patch", test_record_patch);
    g_test_add_func("/dissect/format/rel-time", test_format_rel_time);
    g_test_add_func("/dissect/format/escapes", test_format_escapes);
    g_test_add_func("/dissect/format/hex", test_format_hex);
    g_test_add_func("/dissect/format/numbers", test_format_numbers);
    g_test_add_func("/dissect/format/ipv6", test_format_ipv6);
    g_test_add_func("/dissect/format/ipv6-like-inet-ntop", test_format_ipv6_like_inet_ntop);
    g_test_add_func("/dissect/decode-as/errors", test_decode_as_errors);
    g_test_add_func("/dissect/arena/limit", test_arena_limit);
    g_test_add_func("/dissect/engine/reuse", test_many_packets_reuse);
    return g_test_run();
}
