/* test-proto-ipv6.c: IPv6 and its extension headers: options, routing, fragments, the
 * chain limit, payload lengths, truncation; expected values are tshark 4.0's. */
#include <glib.h>
#include <string.h>

#include "peel-test.h"
#include "protos.h"
#include "registry.h"

#define IP6_HOPOPTS_ECHO                                                                           \
    "6b8123450018004020010db800000000000000000000000120010db800000000"                             \
    "00000000000000023a000502000001008000acf61234000168656c6c6f212121"

#define IP6_RT0_DSTOPTS                                                                            \
    "6000000000322b4020010db800000000000000000000000120010db800000000"                             \
    "00000000000000023c0400010000000020010db800000000000000000000000a"                             \
    "20010db800000000000000000000000bfd000000010200007a7a"

#define IP6_SRH                                                                                    \
    "6000000000282b4020010db800000000000000000000000120010db800000000"                             \
    "00000000000000023b0404010100000020010db800000000000000000000000a"                             \
    "20010db800000000000000000000000b"

#define IP6_FRAG_FIRST                                                                             \
    "6000000000202c4020010db800000000000000000000000120010db800000000"                             \
    "000000000000000211000001deadbeef78787878787878787878787878787878"                             \
    "7878787878787878"

#define IP6_FRAG_LATER                                                                             \
    "6000000000102c4020010db800000000000000000000000120010db800000000"                             \
    "000000000000000211000018deadbeef7979797979797979"

#define IP6_FRAG_ATOMIC                                                                            \
    "60000000000a2c4020010db800000000000000000000000120010db800000000"                             \
    "0000000000000002fd000000000000077a7a"

#define IP6_JUMBO                                                                                  \
    "600000000000004020010db800000000000000000000000120010db800000000"                             \
    "00000000000000023b00c20400011170"

#define IP6_PLEN_EXCEEDS                                                                           \
    "6000000000643b4020010db800000000000000000000000120010db800000000"                             \
    "0000000000000002"

#define IP6_PLEN_ZERO                                                                              \
    "6000000000003a4020010db800000000000000000000000120010db800000000"                             \
    "00000000000000020000000000000000"

#define IP6_HOPOPTS_TOO_LONG                                                                       \
    "600000000008004020010db800000000000000000000000120010db800000000"                             \
    "00000000000000023b02010400000000"

#define IP6_UNKNOWN_OPT                                                                            \
    "6000000000083c4020010db800000000000000000000000120010db800000000"                             \
    "00000000000000023b00020001020000"

#define IP6_CHAIN_129                                                                              \
    "6000000004083c4020010db800000000000000000000000120010db800000000"                             \
    "00000000000000023c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c000104000000003c000104000000003c00010400000000"                             \
    "3c000104000000003c00010400000000"

#define IP6_ADDRS                                                                                  \
    "6000000000003b40fe80000000000000021122fffe3344552002c00002010000"                             \
    "0000000000000001"

#define IP6_TEREDO                                                                                 \
    "6000000000003b40200100004136e378800063bf3ffffdd220010db800000000"                             \
    "0000000000000002"

#define IP6_UNKNOWN_NXT                                                                            \
    "600000000002fd4020010db800000000000000000000000120010db800000000"                             \
    "00000000000000027a7a"

static PeelTestPacket *
ip6(const char *hex)
{
    return peel_test_dissect_hex(&peel_proto_ipv6, hex);
}

static void
test_header_and_hopopts(void)
{
    g_autoptr(PeelTestPacket) t = ip6(IP6_HOPOPTS_ECHO);
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.version", 0), ==, "6");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.tclass", 0), ==, "0x000000b8");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.tclass.dscp", 0), ==, "46");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.tclass.ecn", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.flow", 0), ==, "0x012345");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.plen", 0), ==, "24");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.nxt", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.hlim", 0), ==, "64");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.src", 0), ==, "2001:db8::1");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.dst", 0), ==, "2001:db8::2");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.addr", 1), ==, "2001:db8::2");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.src_host", 0), ==, "2001:db8::1");
    g_assert_cmpuint(peel_test_field_count(t, "ipv6.host"), ==, 2);
    g_assert_cmpstr(peel_test_field_text(t, "ipv6.tclass", 0), ==,
            "Traffic Class: 0xb8 (DSCP: EF PHB, ECN: Not-ECT)");
    /* hop-by-hop: router alert, then a PadN of no bytes */
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.hopopts.nxt", 0), ==, "58");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.hopopts.len", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.hopopts.len_oct", 0), ==, "8");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.opt.type", 0), ==, "0x05");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.opt.type", 1), ==, "0x01");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.opt.type.action", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.opt.type.rest", 0), ==, "0x05");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.opt.length", 0), ==, "2");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.opt.router_alert", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_text(t, "ipv6.opt.padn", 0), ==, "PadN: <none>");
    g_assert_cmpstr(peel_test_protocols(t), ==, "ipv6:ipv6.hopopts:icmpv6:data");
    g_assert_cmpstr(peel_test_protocol(t), ==, "ICMPv6");
    const PeelPacket *pkt = peel_test_packet(t);
    g_assert_cmpstr(pkt->fields[0].text, ==,
            "Internet Protocol Version 6, Src: 2001:db8::1, Dst: 2001:db8::2");
    g_assert_cmpuint(pkt->ip_proto, ==, 58);
    g_assert_cmpuint(pkt->ip_ttl, ==, 64);
    g_assert_cmpuint(pkt->net_src.type, ==, PEEL_AT_IPV6);
    /* The extension header sits inside the IPv6 item, ICMPv6 beside it. */
    g_assert_cmpint(peel_test_field(t, "ipv6.hopopts", 0)->parent, ==, 0);
    g_assert_cmpint(peel_test_field(t, "icmpv6", 0)->parent, ==, pkt->fields[0].parent);
}

static void
test_routing_type0_and_dstopts(void)
{
    g_autoptr(PeelTestPacket) t = ip6(IP6_RT0_DSTOPTS);
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.routing.nxt", 0), ==, "60");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.routing.len", 0), ==, "4");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.routing.len_oct", 0), ==, "40");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.routing.type", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.routing.segleft", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.routing.src.addr", 0), ==, "2001:db8::a");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.routing.src.addr", 1), ==, "2001:db8::b");
    g_assert_cmpstr(
            peel_test_field_text(t, "ipv6.routing.src.addr", 1), ==, "Address[2]: 2001:db8::b");
    g_assert_cmpstr(peel_test_field_text(t, "ipv6.routing", 0), ==,
            "Routing Header for IPv6 (Source Route)");
    g_assert_true(peel_test_has_expert(t, "Routing header type is deprecated"));
    /* Pad1, Pad1, PadN of two bytes */
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.dstopts.nxt", 0), ==, "253");
    g_assert_cmpuint(peel_test_field_count(t, "ipv6.opt.pad1"), ==, 2);
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.opt.padn", 0), ==, "0000");
    g_assert_cmpstr(peel_test_protocols(t), ==, "ipv6:ipv6.routing:ipv6.dstopts:data");
    g_assert_cmpstr(peel_test_info(t), ==, "Unknown IP Protocol: Unknown (253)");
    /* Segments left: the destination column shows the last address of the route. */
    g_autofree char *dst = peel_test_col_addr(t, true);
    g_assert_cmpstr(dst, ==, "2001:db8::b");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.dst", 0), ==, "2001:db8::2");
}

static void
test_routing_srh(void)
{
    g_autoptr(PeelTestPacket) t = ip6(IP6_SRH);
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.routing.type", 0), ==, "4");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.routing.srh.last_entry", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.routing.srh.flags", 0), ==, "0x00");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.routing.srh.tag", 0), ==, "0000");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.routing.srh.addr", 0), ==, "2001:db8::a");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.routing.srh.addr", 1), ==, "2001:db8::b");
    g_assert_cmpstr(peel_test_info(t), ==, "IPv6 no next header");
    g_autofree char *dst = peel_test_col_addr(t, true);
    g_assert_cmpstr(dst, ==, "2001:db8::a"); /* segment list[0] is the final segment */
}

static void
test_fragments(void)
{
    g_autoptr(PeelTestPacket) a = ip6(IP6_FRAG_FIRST);
    g_assert_cmpstr(peel_test_field_str(a, "ipv6.fraghdr.nxt", 0), ==, "17");
    g_assert_cmpstr(peel_test_field_str(a, "ipv6.fraghdr.offset", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(a, "ipv6.fraghdr.more", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(a, "ipv6.fraghdr.ident", 0), ==, "0xdeadbeef");
    g_assert_cmpstr(peel_test_info(a), ==, "IPv6 fragment (off=0 more=y ident=0xdeadbeef nxt=17)");
    g_assert_cmpstr(peel_test_protocols(a), ==, "ipv6:ipv6.fraghdr:data");
    g_assert_cmpstr(peel_test_protocol(a), ==, "IPv6");
    g_assert_true(peel_test_packet(a)->ip_fragment);

    /* Fields output prints the raw 13-bit offset: 3 for byte 24. */
    g_autoptr(PeelTestPacket) b = ip6(IP6_FRAG_LATER);
    g_assert_cmpstr(peel_test_field_str(b, "ipv6.fraghdr.offset", 0), ==, "3");
    g_assert_cmpstr(peel_test_field_text(b, "ipv6.fraghdr.offset", 0), ==, "Offset: 3 (24 bytes)");
    g_assert_cmpstr(peel_test_field_str(b, "ipv6.fraghdr.more", 0), ==, "0");
    g_assert_cmpstr(peel_test_info(b), ==, "IPv6 fragment (off=24 more=n ident=0xdeadbeef nxt=17)");
    g_assert_cmpstr(peel_test_field_str(b, "data.len", 0), ==, "8");

    /* An atomic fragment (offset 0, M clear) is passed on. */
    g_autoptr(PeelTestPacket) c = ip6(IP6_FRAG_ATOMIC);
    g_assert_false(peel_test_packet(c)->ip_fragment);
    g_assert_cmpstr(peel_test_info(c), ==, "Unknown IP Protocol: Unknown (253)");
}

static void
test_payload_lengths(void)
{
    g_autoptr(PeelTestPacket) a = ip6(IP6_JUMBO);
    g_assert_cmpstr(peel_test_field_str(a, "ipv6.plen", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_text(a, "ipv6.plen", 0), ==, "Payload Length: 0 (Jumbogram)");
    g_assert_cmpstr(peel_test_field_str(a, "ipv6.opt.jumbo", 0), ==, "70000");
    g_assert_true(peel_test_has_expert(a, "IPv6 payload length exceeds framing length (8 bytes)"));

    g_autoptr(PeelTestPacket) b = ip6(IP6_PLEN_EXCEEDS);
    g_assert_true(peel_test_has_expert(b, "IPv6 payload length exceeds framing length (0 bytes)"));

    /* Zero without a jumbo option: the next protocol still gets its (empty) turn, and the
     * eight trailing bytes are padding. */
    g_autoptr(PeelTestPacket) c = ip6(IP6_PLEN_ZERO);
    g_assert_true(peel_test_has_expert(c, "IPv6 payload length equals 0 (maybe because of "
                                          "\"TCP segmentation offload\" (TSO))"));
    g_assert_cmpstr(peel_test_protocols(c), ==, "ipv6:icmpv6");
    g_assert_true(peel_test_field_is_malformed(c, "icmpv6.type"));
    g_assert_cmpstr(peel_test_info(c), ==, "");
}

static void
test_malformed_extension(void)
{
    /* The hop-by-hop header claims 24 bytes; the payload has 8. */
    g_autoptr(PeelTestPacket) t = ip6(IP6_HOPOPTS_TOO_LONG);
    g_assert_true(peel_test_has_expert(t, "ipv6.hopopts.len says 24 bytes, 8 left"));
    g_assert_true(peel_test_packet(t)->malformed);
    g_assert_cmpstr(peel_test_info(t), ==, "IPv6 hop-by-hop options");

    g_autoptr(PeelTestPacket) u = ip6(IP6_UNKNOWN_OPT);
    g_assert_cmpstr(peel_test_field_text(u, "ipv6.opt", 0), ==, "Unknown IPv6 Option (2)");
    g_assert_true(peel_test_has_expert(u, "Unknown Data (not interpreted)"));
}

static void
test_chain_limit(void)
{
    /* 129 destination options headers: 128 are dissected, the rest is flagged. */
    g_autoptr(PeelTestPacket) t = ip6(IP6_CHAIN_129);
    g_assert_cmpuint(peel_test_field_count(t, "ipv6.dstopts"), ==, 128);
    g_assert_true(peel_test_has_expert(t, "more than 128 IPv6 extension headers"));
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.ext_limit", 0), ==, "3c00010400000000");
}

static void
test_truncated(void)
{
    /* A snaplen cut inside the destination address. */
    g_autoptr(PeelTestPacket) a = peel_test_dissect_hex_full(&peel_proto_ipv6, 1,
            "600000000000"
            "3b40"
            "20010db8000000000000000000000001"
            "20010db8",
            40);
    g_assert_cmpstr(peel_test_field_str(a, "ipv6.src", 0), ==, "2001:db8::1");
    g_assert_true(peel_test_field_is_truncated(a, "ipv6.dst"));
    g_assert_null(peel_test_packet(a)->col_src);

    /* Cut inside a routing header. */
    g_autoptr(PeelTestPacket) b = peel_test_dissect_hex_full(&peel_proto_ipv6, 1,
            "6000000000282b40"
            "20010db8000000000000000000000001"
            "20010db8000000000000000000000002"
            "3b04000100000000"
            "20010db8",
            80);
    g_assert_true(peel_test_field_is_truncated(b, "ipv6.routing.src.addr"));
    g_assert_true(peel_test_has_expert(b, "truncated"));
    g_assert_false(peel_test_packet(b)->malformed);
}

static void
test_short_headers(void)
{
    /* A fragment header cut after 6 of its 8 bytes: none of it is shown, the item is
     * flagged (tshark shows none of it either). */
    g_autoptr(PeelTestPacket) a = peel_test_dissect_hex_full(&peel_proto_ipv6, 1,
            "6000000000082c40"
            "20010db8000000000000000000000001"
            "20010db8000000000000000000000002"
            "0bff00000100",
            56);
    g_assert_cmpuint(peel_test_field_count(a, "ipv6.fraghdr.offset"), ==, 0);
    g_assert_true(peel_test_field_is_truncated(a, "ipv6.fraghdr"));
    g_assert_true(peel_test_has_expert(a, "truncated: capture ends 6 bytes into ipv6.fraghdr"));

    /* A frame that holds 39 bytes of IPv6 header. */
    g_autoptr(PeelTestPacket) b = ip6("6009d8d800401140"
                                      "2605bc8030100104000000008cd309ce"
                                      "26003c00e000001900000000000000");
    g_assert_true(peel_test_has_expert(b, "IPv6 header must be exactly 40 bytes"));
    g_assert_cmpstr(peel_test_info(b), ==, "Invalid IPv6 header (39 bytes, need exactly 40)");
    g_assert_true(peel_test_field_is_malformed(b, "ipv6.dst"));
}

static void
test_address_details(void)
{
    g_autoptr(PeelTestPacket) a = ip6(IP6_ADDRS);
    g_assert_cmpstr(peel_test_field_str(a, "ipv6.src_slaac_mac", 0), ==, "00:11:22:33:44:55");
    g_assert_cmpstr(peel_test_field_str(a, "ipv6.slaac_mac", 0), ==, "00:11:22:33:44:55");
    g_assert_cmpstr(peel_test_field_str(a, "ipv6.dst_6to4_gw_ipv4", 0), ==, "192.0.2.1");
    g_assert_cmpstr(peel_test_field_str(a, "ipv6.dst_6to4_sla_id", 0), ==, "0");
    g_autoptr(PeelTestPacket) b = ip6(IP6_TEREDO);
    g_assert_cmpstr(peel_test_field_str(b, "ipv6.src_ts_ipv4", 0), ==, "65.54.227.120");
    g_assert_cmpstr(peel_test_field_str(b, "ipv6.src_tc_port", 0), ==, "40000");
    g_assert_cmpstr(peel_test_field_str(b, "ipv6.src_tc_ipv4", 0), ==, "192.0.2.45");
}

static void
test_unknown_next_header(void)
{
    g_autoptr(PeelTestPacket) t = ip6(IP6_UNKNOWN_NXT);
    g_assert_cmpstr(peel_test_info(t), ==, "Unknown IP Protocol: Unknown (253)");
    g_assert_cmpstr(peel_test_field_str(t, "data.data", 0), ==, "7a7a");
    g_assert_cmpstr(peel_test_protocol(t), ==, "IPv6");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ipv6/header/hop-by-hop", test_header_and_hopopts);
    g_test_add_func("/ipv6/routing/type0-and-destination-options", test_routing_type0_and_dstopts);
    g_test_add_func("/ipv6/routing/segment-routing", test_routing_srh);
    g_test_add_func("/ipv6/fragments", test_fragments);
    g_test_add_func("/ipv6/payload-length", test_payload_lengths);
    g_test_add_func("/ipv6/extension/malformed", test_malformed_extension);
    g_test_add_func("/ipv6/extension/chain-limit", test_chain_limit);
    g_test_add_func("/ipv6/truncated", test_truncated);
    g_test_add_func("/ipv6/short-headers", test_short_headers);
    g_test_add_func("/ipv6/address-details", test_address_details);
    g_test_add_func("/ipv6/next-header/unknown", test_unknown_next_header);
    return g_test_run();
}
