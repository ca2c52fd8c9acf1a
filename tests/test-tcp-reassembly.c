/* test-tcp-reassembly.c: TCP payload to a stream protocol through the engine: PDUs in one
 * segment, over many, several in one, out of order, after a lost segment, and again on a
 * revisit from per-frame records. The protocol is a test one: a 2-byte length, then data. */
#include <glib.h>
#include <string.h>

#include "dissector.h"
#include "format.h"
#include "linktype.h"
#include "registry.h"

enum { F_LEN, F_DATA, N_F };

static const PeelFieldDef lp_fields[N_F] = {
    [F_LEN] = { "lenpfx.len", "Length", PEEL_FT_U16, PEEL_SHOW_DEC },
    [F_DATA] = { "lenpfx.data", "Data", PEEL_FT_STRING },
};

static guint gaps_seen;

static uint32_t
lp_pdu_len(const PeelReader *rd, PeelPacket *pkt)
{
    (void)pkt;
    if (peel_reader_captured(rd) < 2)
        return 0;
    return 2u + peel_reader_peek_u16be(rd, 0);
}

static void
lp_dissect(PeelReader *rd, PeelPacket *pkt)
{
    uint16_t n = peel_add_u16(pkt, rd, F_LEN);
    peel_add_string(pkt, rd, F_DATA, n);
    peel_info_append(pkt, "PDU(%u) ", n);
}

static void
lp_gap(PeelPacket *pkt)
{
    (void)pkt;
    gaps_seen++;
}

static const PeelProto lp_proto = {
    .name = "lenpfx",
    .title = "Length-prefixed test protocol",
    .short_name = "LENPFX",
    .fields = lp_fields,
    .n_fields = N_F,
    .dissect = lp_dissect,
    .pdu_len = lp_pdu_len,
    .stream_gap = lp_gap,
    .handoffs = { { PEEL_TABLE_TCP_PORT, 7777 } },
};

/* ---- building IPv4/TCP frames (link type RAW) ---- */

typedef struct {
    GPtrArray *frames; /* GByteArray per frame, index = number - 1 */
} Capture;

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

/* A segment from the client (10.0.0.1:40000) when to_server, else from the server
 * (10.0.0.2:7777). */
static void
add_segment(Capture *c, bool to_server, uint32_t seq, uint32_t ack, uint8_t flags,
        const char *payload, size_t n)
{
    GByteArray *b = g_byte_array_new();
    uint16_t total = (uint16_t)(20 + 20 + n);
    const uint8_t ip_head[] = { 0x45, 0x00 };
    g_byte_array_append(b, ip_head, 2);
    put16(b, total);
    put32(b, 0x00014000); /* id 1, DF */
    const uint8_t ttl_proto[] = { 64, 6, 0, 0 };
    g_byte_array_append(b, ttl_proto, 4);
    put32(b, to_server ? 0x0a000001 : 0x0a000002);
    put32(b, to_server ? 0x0a000002 : 0x0a000001);
    put16(b, to_server ? 40000 : 7777);
    put16(b, to_server ? 7777 : 40000);
    put32(b, seq);
    put32(b, ack);
    const uint8_t off_flags[] = { 0x50, flags };
    g_byte_array_append(b, off_flags, 2);
    put16(b, 65535);
    put32(b, 0); /* checksum, urgent */
    g_byte_array_append(b, (const guint8 *)payload, (guint)n);
    g_ptr_array_add(c->frames, b);
}

static const PeelPacket *
run(PeelDissector *dis, Capture *c, uint32_t number)
{
    static PeelFrameInfo fr;
    GByteArray *b = g_ptr_array_index(c->frames, number - 1);
    memset(&fr, 0, sizeof fr);
    fr.number = number;
    fr.ts = (PeelTime){ 1000 + number, 0 };
    fr.cap_len = fr.len = b->len;
    fr.linktype = PEEL_LINKTYPE_RAW;
    fr.data = b->data;
    return peel_dissector_run(dis, &fr);
}

static GString *
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
    return s;
}

static void
assert_field(const PeelPacket *pkt, const char *name, const char *want)
{
    g_autoptr(GString) got = values(pkt, name);
    g_assert_cmpstr(got->str, ==, want);
}

#define C2S true
#define S2C false
#define SYN 0x02
#define ACK 0x10
#define PSH 0x08

static Capture *
capture_new(void)
{
    Capture *c = g_new0(Capture, 1);
    c->frames = g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref);
    add_segment(c, C2S, 100, 0, SYN, "", 0);
    add_segment(c, S2C, 500, 101, SYN | ACK, "", 0);
    add_segment(c, C2S, 101, 501, ACK, "", 0);
    return c;
}

static void
capture_free(Capture *c)
{
    g_ptr_array_unref(c->frames);
    g_free(c);
}

static void
test_one_segment_two_pdus(void)
{
    Capture *c = capture_new();
    add_segment(c, C2S, 101, 501, PSH | ACK, "\x00\x02hi\x00\x03you", 9);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    for (uint32_t i = 1; i <= 3; i++)
        run(dis, c, i);
    const PeelPacket *pkt = run(dis, c, 4);
    assert_field(pkt, "lenpfx.data", "hi,you");
    g_assert_cmpstr(pkt->col_protocol, ==, "LENPFX");
    g_assert_cmpuint(pkt->n_sources, ==, 1); /* dissected in place */
    capture_free(c);
}

static void
test_pdu_over_three_segments(void)
{
    Capture *c = capture_new();
    add_segment(c, C2S, 101, 501, ACK, "\x00\x0a" "abc", 5);
    add_segment(c, C2S, 106, 501, ACK, "defg", 4);
    add_segment(c, C2S, 110, 501, PSH | ACK, "hij\x00\x01z", 6);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    for (uint32_t i = 1; i <= 3; i++)
        run(dis, c, i);
    const PeelPacket *pkt = run(dis, c, 4);
    assert_field(pkt, "lenpfx.data", "");
    g_assert_nonnull(strstr(pkt->info, "[TCP segment of a reassembled PDU]"));
    pkt = run(dis, c, 5);
    assert_field(pkt, "lenpfx.data", "");
    pkt = run(dis, c, 6);
    /* The 12-byte PDU completes here; the next one is whole in this segment. */
    assert_field(pkt, "lenpfx.data", "abcdefghij,z");
    assert_field(pkt, "tcp.segment", "4,5,6");
    assert_field(pkt, "tcp.reassembled.length", "12");
    g_assert_cmpuint(pkt->n_sources, ==, 2);
    g_assert_cmpstr(pkt->sources[1].name, ==, "Reassembled TCP");
    capture_free(c);
}

static void
test_out_of_order(void)
{
    Capture *c = capture_new();
    add_segment(c, C2S, 105, 501, ACK, "wxyz", 4);       /* frame 4: ahead */
    add_segment(c, C2S, 101, 501, ACK, "\x00\x06" "uv", 4); /* frame 5: fills the gap */
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    for (uint32_t i = 1; i <= 4; i++)
        run(dis, c, i);
    const PeelPacket *pkt = run(dis, c, 5);
    assert_field(pkt, "lenpfx.data", "uvwxyz");
    capture_free(c);
}

static void
test_gap_then_resync(void)
{
    Capture *c = capture_new();
    add_segment(c, C2S, 101, 501, ACK, "\x00\x08" "ab", 4); /* frame 4: PDU starts */
    /* bytes 105..110 lost; frame 5 carries a later, whole PDU */
    add_segment(c, C2S, 111, 501, ACK, "\x00\x02ok", 4);
    /* frame 6: the server acknowledges everything: the capture missed 6 bytes */
    add_segment(c, S2C, 501, 115, ACK, "", 0);
    add_segment(c, C2S, 115, 501, ACK, "\x00\x03yes", 5);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    gaps_seen = 0;
    for (uint32_t i = 1; i <= 6; i++)
        run(dis, c, i);
    g_assert_cmpuint(gaps_seen, ==, 1); /* the skip happens on the ACK */
    const PeelPacket *pkt = run(dis, c, 7);
    /* The partial PDU is dropped; the held whole PDU and the new one are read. */
    assert_field(pkt, "lenpfx.data", "ok,yes");
    capture_free(c);
}

static Capture *fetch_capture;

static bool
fetch(void *user, uint32_t frame, const uint8_t **data, uint32_t *len)
{
    (void)user;
    if (frame == 0 || frame > fetch_capture->frames->len)
        return false;
    GByteArray *b = g_ptr_array_index(fetch_capture->frames, frame - 1);
    *data = b->data;
    *len = b->len;
    return true;
}

static void
test_revisit_rebuilds_pdu(void)
{
    Capture *c = capture_new();
    add_segment(c, C2S, 101, 501, ACK, "\x00\x05" "he", 4);
    add_segment(c, C2S, 105, 501, PSH | ACK, "llo", 3);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    peel_dissector_keep_records(dis, true);
    fetch_capture = c;
    peel_dissector_set_frame_fetch(dis, fetch, NULL);
    for (uint32_t i = 1; i <= 5; i++)
        run(dis, c, i);
    /* Later, frame 5 alone (as --frame 5 or a GUI click), then frame 4. */
    const PeelPacket *pkt = run(dis, c, 5);
    g_assert_true(pkt->revisit);
    assert_field(pkt, "lenpfx.data", "hello");
    assert_field(pkt, "tcp.stream", "0");
    assert_field(pkt, "tcp.seq", "5");
    pkt = run(dis, c, 4);
    assert_field(pkt, "lenpfx.data", "");
    assert_field(pkt, "tcp.reassembled_in", "5");
    capture_free(c);
}

static void
test_retransmission_not_dissected_twice(void)
{
    Capture *c = capture_new();
    add_segment(c, C2S, 101, 501, PSH | ACK, "\x00\x01x", 3);
    add_segment(c, C2S, 101, 501, PSH | ACK, "\x00\x01x", 3);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    for (uint32_t i = 1; i <= 4; i++)
        run(dis, c, i);
    PeelFrameInfo later;
    (void)later;
    const PeelPacket *pkt = run(dis, c, 5);
    assert_field(pkt, "lenpfx.data", "");
    assert_field(pkt, "tcp.analysis.retransmission", "1");
    capture_free(c);
}

static bool
has_expert(const PeelPacket *pkt, const char *needle)
{
    for (uint32_t i = 0; i < pkt->n_experts; i++)
        if (strstr(pkt->experts[i].msg, needle) != NULL)
            return true;
    return false;
}

static void
test_held_limit_gives_up(void)
{
    Capture *c = capture_new();
    /* bytes 101..104 never come; 20 bytes wait behind the gap, over a limit of 8 */
    add_segment(c, C2S, 105, 501, ACK, "\x00\x03" "abc" "\x00\x03" "def" "\x00\x03" "ghi", 15);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    g_autoptr(GError) error = NULL;
    g_assert_true(peel_dissector_set_pref(dis, "tcp.max_held:8", &error));
    for (uint32_t i = 1; i <= 3; i++)
        run(dis, c, i);
    const PeelPacket *pkt = run(dis, c, 4);
    g_assert_true(has_expert(pkt, "passed their limit"));
    /* The gap is given up and the held PDUs are read in this very frame. */
    assert_field(pkt, "lenpfx.data", "abc,def,ghi");
    capture_free(c);
}

static void
test_limit_prefs(void)
{
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    g_autoptr(GError) error = NULL;
    g_assert_true(peel_dissector_set_pref(dis, "flow.max_flows:1000", &error));
    g_assert_true(peel_dissector_set_pref(dis, "tcp.max_pdu:65536", &error));
    g_assert_false(peel_dissector_set_pref(dis, "tcp.max_pdu:0", &error));
    g_assert_error(error, PEEL_DISSECT_ERROR, PEEL_DISSECT_ERROR_PREF);
    g_clear_error(&error);
    g_assert_false(peel_dissector_set_pref(dis, "tcp.max_pdu:lots", &error));
    g_clear_error(&error);
    g_assert_false(peel_dissector_set_pref(dis, "tcp.nosuch:1", &error));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    peel_registry_add_extra(&lp_proto);
    peel_registry_init();
    g_test_add_func("/tcp-reassembly/one-segment-two-pdus", test_one_segment_two_pdus);
    g_test_add_func("/tcp-reassembly/pdu-over-three-segments", test_pdu_over_three_segments);
    g_test_add_func("/tcp-reassembly/out-of-order", test_out_of_order);
    g_test_add_func("/tcp-reassembly/gap-then-resync", test_gap_then_resync);
    g_test_add_func("/tcp-reassembly/revisit-rebuilds-pdu", test_revisit_rebuilds_pdu);
    g_test_add_func("/tcp-reassembly/retransmission-once", test_retransmission_not_dissected_twice);
    g_test_add_func("/tcp-reassembly/held-limit-gives-up", test_held_limit_gives_up);
    g_test_add_func("/tcp-reassembly/limit-prefs", test_limit_prefs);
    return g_test_run();
}
