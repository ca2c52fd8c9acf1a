/* test-tcp-reassembly.c: TCP payload to a stream protocol through the engine: PDUs in one
 * segment, over many, several in one, out of order, after a lost segment, and again on a
 * revisit from per-frame records. The protocol is a test one: a 2-byte length, then data. */
#include <glib.h>
#include <string.h>

#include "dissector.h"
#include "peel-test.h"
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

/* ---- IPv4/TCP frames (peel-test.h): client 10.0.0.1:40000, server 10.0.0.2:7777 ---- */

static PeelTestConv *
capture_new(void)
{
    return peel_test_conv_new(7777, 100, 500);
}

static void
test_one_segment_two_pdus(void)
{
    PeelTestConv *c = capture_new();
    peel_test_conv_segment_at(c, PEEL_TEST_CLIENT, 101, 501, PEEL_TEST_PSH | PEEL_TEST_ACK,
            "\x00\x02hi\x00\x03you", 9);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c, 4);
    peel_test_assert_values(pkt, "lenpfx.data", "hi,you");
    g_assert_cmpstr(pkt->col_protocol, ==, "LENPFX");
    g_assert_cmpuint(pkt->n_sources, ==, 1); /* dissected in place */
    peel_test_conv_free(c);
}

static void
test_pdu_over_three_segments(void)
{
    PeelTestConv *c = capture_new();
    peel_test_conv_segment_at(c, PEEL_TEST_CLIENT, 101, 501, PEEL_TEST_ACK,
            "\x00\x0a"
            "abc",
            5);
    peel_test_conv_segment_at(c, PEEL_TEST_CLIENT, 106, 501, PEEL_TEST_ACK, "defg", 4);
    peel_test_conv_segment_at(
            c, PEEL_TEST_CLIENT, 110, 501, PEEL_TEST_PSH | PEEL_TEST_ACK, "hij\x00\x01z", 6);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c, 4);
    peel_test_assert_values(pkt, "lenpfx.data", "");
    g_assert_nonnull(strstr(pkt->info, "[TCP segment of a reassembled PDU]"));
    pkt = peel_test_conv_run(dis, c, 5);
    peel_test_assert_values(pkt, "lenpfx.data", "");
    pkt = peel_test_conv_run(dis, c, 6);
    /* The 12-byte PDU completes here; the next one is whole in this segment. */
    peel_test_assert_values(pkt, "lenpfx.data", "abcdefghij,z");
    peel_test_assert_values(pkt, "tcp.segment", "4,5,6");
    peel_test_assert_values(pkt, "tcp.reassembled.length", "12");
    g_assert_cmpuint(pkt->n_sources, ==, 2);
    g_assert_cmpstr(pkt->sources[1].name, ==, "Reassembled TCP");
    peel_test_conv_free(c);
}

static void
test_out_of_order(void)
{
    PeelTestConv *c = capture_new();
    peel_test_conv_segment_at(
            c, PEEL_TEST_CLIENT, 105, 501, PEEL_TEST_ACK, "wxyz", 4); /* frame 4: ahead */
    peel_test_conv_segment_at(c, PEEL_TEST_CLIENT, 101, 501, PEEL_TEST_ACK,
            "\x00\x06"
            "uv",
            4); /* frame 5: fills the gap */
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c, 5);
    peel_test_assert_values(pkt, "lenpfx.data", "uvwxyz");
    peel_test_conv_free(c);
}

static void
test_gap_then_resync(void)
{
    PeelTestConv *c = capture_new();
    peel_test_conv_segment_at(c, PEEL_TEST_CLIENT, 101, 501, PEEL_TEST_ACK,
            "\x00\x08"
            "ab",
            4); /* frame 4: PDU starts */
    /* bytes 105..110 lost; frame 5 carries a later, whole PDU */
    peel_test_conv_segment_at(c, PEEL_TEST_CLIENT, 111, 501, PEEL_TEST_ACK, "\x00\x02ok", 4);
    /* frame 6: the server acknowledges everything: the capture missed 6 bytes */
    peel_test_conv_segment_at(c, PEEL_TEST_SERVER, 501, 115, PEEL_TEST_ACK, "", 0);
    peel_test_conv_segment_at(c, PEEL_TEST_CLIENT, 115, 501, PEEL_TEST_ACK, "\x00\x03yes", 5);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    gaps_seen = 0;
    for (uint32_t i = 1; i <= 6; i++)
        peel_test_conv_run(dis, c, i);
    g_assert_cmpuint(gaps_seen, ==, 1); /* the skip happens on the ACK */
    const PeelPacket *pkt = peel_test_conv_run(dis, c, 7);
    /* The partial PDU is dropped; the held whole PDU and the new one are read. */
    peel_test_assert_values(pkt, "lenpfx.data", "ok,yes");
    peel_test_conv_free(c);
}

static void
test_revisit_rebuilds_pdu(void)
{
    PeelTestConv *c = capture_new();
    peel_test_conv_segment_at(c, PEEL_TEST_CLIENT, 101, 501, PEEL_TEST_ACK,
            "\x00\x05"
            "he",
            4);
    peel_test_conv_segment_at(
            c, PEEL_TEST_CLIENT, 105, 501, PEEL_TEST_PSH | PEEL_TEST_ACK, "llo", 3);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    peel_dissector_keep_records(dis, true);
    peel_test_conv_fetch(dis, c);
    for (uint32_t i = 1; i <= 5; i++)
        peel_test_conv_run(dis, c, i);
    /* Later, frame 5 alone (as --frame 5 or a GUI click), then frame 4. */
    const PeelPacket *pkt = peel_test_conv_run(dis, c, 5);
    g_assert_true(pkt->revisit);
    peel_test_assert_values(pkt, "lenpfx.data", "hello");
    peel_test_assert_values(pkt, "tcp.stream", "0");
    peel_test_assert_values(pkt, "tcp.seq", "5");
    pkt = peel_test_conv_run(dis, c, 4);
    peel_test_assert_values(pkt, "lenpfx.data", "");
    peel_test_assert_values(pkt, "tcp.reassembled_in", "5");
    peel_test_conv_free(c);
}

static void
test_retransmission_not_dissected_twice(void)
{
    PeelTestConv *c = capture_new();
    peel_test_conv_segment_at(
            c, PEEL_TEST_CLIENT, 101, 501, PEEL_TEST_PSH | PEEL_TEST_ACK, "\x00\x01x", 3);
    peel_test_conv_segment_at(
            c, PEEL_TEST_CLIENT, 101, 501, PEEL_TEST_PSH | PEEL_TEST_ACK, "\x00\x01x", 3);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    for (uint32_t i = 1; i <= 4; i++)
        peel_test_conv_run(dis, c, i);
    PeelFrameInfo later;
    (void)later;
    const PeelPacket *pkt = peel_test_conv_run(dis, c, 5);
    peel_test_assert_values(pkt, "lenpfx.data", "");
    peel_test_assert_values(pkt, "tcp.analysis.retransmission", "1");
    peel_test_conv_free(c);
}

static void
test_held_limit_gives_up(void)
{
    PeelTestConv *c = capture_new();
    /* bytes 101..104 never come; 20 bytes wait behind the gap, over a limit of 8 */
    peel_test_conv_segment_at(c, PEEL_TEST_CLIENT, 105, 501, PEEL_TEST_ACK,
            "\x00\x03"
            "abc"
            "\x00\x03"
            "def"
            "\x00\x03"
            "ghi",
            15);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    g_autoptr(GError) error = NULL;
    g_assert_true(peel_dissector_set_pref(dis, "tcp.max_held:8", &error));
    const PeelPacket *pkt = peel_test_conv_run_to(dis, c, 4);
    g_assert_true(peel_test_packet_has_expert(pkt, "passed their limit"));
    /* The gap is given up and the held PDUs are read in this very frame. */
    peel_test_assert_values(pkt, "lenpfx.data", "abc,def,ghi");
    peel_test_conv_free(c);
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
