/* test-proto-udp.c: the UDP dissector on hand-built datagrams: lengths good and bad,
 * truncation, zero and real checksums over IPv4 and IPv6, jumbograms, ICMP quotes.
 * Expected values are what tshark 4.0 prints for the same bytes. */
#include <string.h>

#include "peel-test.h"
#include "protos.h"
#include "registry.h"

/* The dissector itself, with checksum verification switchable: Wireshark (and so peel)
 * leaves it off by default, and peel has no preferences yet to turn it on. This program's
 * copy of peel_proto_udp is the one registered (the library's is not linked in). */

#define ARROW "\xe2\x86\x92"

/* Ports 40000 -> 40001 (no dissector claims them). */
#define PORTS "9c40 9c41"

static PeelTestPacket *
udp_hex(const char *hex)
{
    return peel_test_dissect_hex(&peel_proto_udp, hex);
}

static bool
have_field(const char *name)
{
    peel_registry_init();
    return peel_field_lookup(name) >= 0;
}

static void
test_basic(void)
{
    g_autoptr(PeelTestPacket) t = udp_hex(PORTS "000d 4a5e 7878787878");

    g_assert_cmpstr(peel_test_info(t), ==, "40000 " ARROW " 40001 Len=5");
    g_assert_cmpstr(peel_test_protocol(t), ==, "UDP");
    g_assert_cmpstr(peel_test_field_str(t, "udp.srcport", 0), ==, "40000");
    g_assert_cmpstr(peel_test_field_str(t, "udp.dstport", 0), ==, "40001");
    g_assert_cmpuint(peel_test_field_count(t, "udp.port"), ==, 2);
    g_assert_cmpstr(peel_test_field_str(t, "udp.port", 1), ==, "40001");
    g_assert_cmpstr(peel_test_field_str(t, "udp.length", 0), ==, "13");
    g_assert_cmpstr(peel_test_field_str(t, "udp.checksum", 0), ==, "0x4a5e");
    g_assert_cmpstr(peel_test_field_str(t, "udp.checksum.status", 0), ==, "2");
    g_assert_cmpstr(peel_test_field_str(t, "udp.payload", 0), ==, "7878787878");
    g_assert_cmpstr(peel_test_field_str(t, "data.data", 0), ==, "7878787878");
    g_assert_cmpstr(peel_test_protocols(t), ==, "udp:data");
    g_assert_cmpuint(peel_test_packet(t)->n_experts, ==, 0);
    const PeelPacket *pkt = peel_test_packet(t);
    g_assert_cmpuint(pkt->src_port, ==, 40000);
    g_assert_cmpuint(pkt->dst_port, ==, 40001);
    g_assert_cmpstr(
            pkt->fields[0].text, ==, "User Datagram Protocol, Src Port: 40000, Dst Port: 40001");
}

static void
test_empty(void)
{
    g_autoptr(PeelTestPacket) t = udp_hex(PORTS "0008 1234");
    g_assert_cmpstr(peel_test_info(t), ==, "40000 " ARROW " 40001 Len=0");
    g_assert_cmpuint(peel_test_field_count(t, "udp.payload"), ==, 0);
    g_assert_cmpstr(peel_test_protocols(t), ==, "udp");
}

static void
test_length_short(void)
{
    /* A length below the header's own 8 bytes: nothing after it is trusted. */
    g_autoptr(PeelTestPacket) t = udp_hex(PORTS "0004 1234 78787878");
    g_assert_cmpstr(peel_test_info(t), ==, "40000 " ARROW " 40001 [BAD UDP LENGTH 4 < 8]");
    g_assert_true(peel_test_has_expert(t, "Bad length value 4 < 8"));
    g_assert_cmpuint(peel_test_field_count(t, "udp.checksum"), ==, 0);
    g_assert_cmpstr(peel_test_protocols(t), ==, "udp");
    g_assert_true(peel_test_packet(t)->malformed);

    g_autoptr(PeelTestPacket) zero = udp_hex(PORTS "0000 1234");
    g_assert_true(peel_test_has_expert(zero, "Bad length value 0 < 8"));
}

static void
test_length_long(void)
{
    /* A length past the network layer's payload: noted, the rest dissected. */
    g_autoptr(PeelTestPacket) t = udp_hex(PORTS "0064 1234 78787878");
    g_assert_cmpstr(peel_test_info(t), ==,
            "40000 " ARROW " 40001 [BAD UDP LENGTH 100 > IP PAYLOAD LENGTH] Len=92");
    g_assert_true(peel_test_has_expert(t, "Bad length value 100 > IP payload length"));
    g_assert_cmpstr(peel_test_field_str(t, "udp.checksum.status", 0), ==, "2");
    g_assert_cmpstr(peel_test_field_str(t, "data.data", 0), ==, "78787878");
}

static void
test_length_shorter_than_payload(void)
{
    /* 10 bytes by the UDP length, 12 by the network layer: two bytes go on. */
    g_autoptr(PeelTestPacket) t = udp_hex(PORTS "000a 1234 78787979");
    g_assert_cmpstr(peel_test_info(t), ==, "40000 " ARROW " 40001 Len=2");
    g_assert_cmpstr(peel_test_field_str(t, "data.data", 0), ==, "7878");
    /* udp.payload shows every byte after the header, as tshark's does. */
    g_assert_cmpstr(peel_test_field_str(t, "udp.payload", 0), ==, "78787979");
    g_assert_cmpuint(peel_test_packet(t)->n_experts, ==, 0);
}

static void
test_zero_checksum(void)
{
    /* Without IPv6 below, a zero checksum means "not computed" (RFC 768). */
    g_autoptr(PeelTestPacket) t = udp_hex(PORTS "000d 0000 7878787878");
    g_assert_cmpstr(peel_test_field_str(t, "udp.checksum", 0), ==, "0x0000");
    g_assert_cmpstr(peel_test_field_str(t, "udp.checksum.status", 0), ==, "3");
    g_assert_cmpuint(peel_test_packet(t)->n_experts, ==, 0);
    g_assert_cmpstr(peel_test_info(t), ==, "40000 " ARROW " 40001 Len=5");
}

static void
test_truncated_header(void)
{
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex_full(&peel_proto_udp, 1, PORTS "0030", 48);
    g_assert_cmpstr(peel_test_field_str(t, "udp.length", 0), ==, "48");
    g_assert_true(peel_test_field_is_truncated(t, "udp.checksum"));
    g_assert_cmpstr(peel_test_info(t), ==, "40000 " ARROW " 40001 Len=40");
    g_assert_false(peel_test_packet(t)->malformed);

    g_autoptr(PeelTestPacket) ports = peel_test_dissect_hex_full(&peel_proto_udp, 1, "9c40", 48);
    g_assert_true(peel_test_field_is_truncated(ports, "udp.dstport"));
    g_assert_cmpstr(peel_test_info(ports), ==, "");
}

static void
test_truncated_payload(void)
{
    g_autoptr(PeelTestPacket) t =
            peel_test_dissect_hex_full(&peel_proto_udp, 1, PORTS "0030 a5d3 79797979", 48);
    g_assert_cmpstr(peel_test_info(t), ==, "40000 " ARROW " 40001 Len=40");
    g_assert_cmpstr(peel_test_field_str(t, "udp.payload", 0), ==, "79797979");
    g_assert_cmpstr(peel_test_field_str(t, "udp.checksum.status", 0), ==, "2");
    g_assert_cmpuint(peel_test_packet(t)->n_experts, ==, 0);
}

static void
test_claimed_short(void)
{
    /* The packet ends inside the header it claims. */
    g_autoptr(PeelTestPacket) t = udp_hex(PORTS "0030");
    g_assert_true(peel_test_has_expert(t, "Bad length value 48 > IP payload length"));
    g_assert_true(peel_test_field_is_malformed(t, "udp.checksum"));
    g_assert_true(peel_test_packet(t)->malformed);
}

/* ---- over IP: checksums, jumbograms and ICMP quotes (skipped until those exist) ---- */

#define IP4_UDP_HEAD "45000021 00014000 401126c9 0a000001 0a000002 9c409c41 000d"
#define IP6_HEAD                                                                                   \
    "60000000 000b1140 20010db8 00000000 00000000 00000001 20010db8 00000000 00000000 00000002"

static void
check_checksum(const PeelProto *ip, const char *ipfield, const char *hex, bool verify,
        const char *status, const char *calc, const char *expert, const char *info_tail)
{
    if (!have_field(ipfield)) {
        g_test_skip("the IP dissector is not there yet");
        return;
    }
    peel_test_set_pref(verify ? "udp.check_checksum:TRUE" : NULL);
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(ip, hex);
    peel_test_set_pref(NULL);
    g_assert_cmpstr(peel_test_field_str(t, "udp.checksum.status", 0), ==, status);
    g_assert_cmpstr(peel_test_field_str(t, "udp.checksum_calculated", 0), ==, calc);
    if (expert != NULL)
        g_assert_true(peel_test_has_expert(t, expert));
    else
        g_assert_false(peel_test_has_expert(t, "checksum"));
    g_assert_true(g_str_has_suffix(peel_test_info(t), info_tail));
}

static void
test_checksum_ipv4(void)
{
    check_checksum(&peel_proto_ip, "ip.src", IP4_UDP_HEAD "4a5e 7878787878", true, "1", "0x4a5e",
            NULL, "Len=5");
    check_checksum(&peel_proto_ip, "ip.src", IP4_UDP_HEAD "1234 7878787878", true, "0", "0x4a5e",
            "Bad checksum [should be 0x4a5e]", "Len=5 [UDP CHECKSUM INCORRECT]");
    check_checksum(&peel_proto_ip, "ip.src", IP4_UDP_HEAD "1234 7878787878", false, "2", NULL, NULL,
            "Len=5");
    check_checksum(&peel_proto_ip, "ip.src", IP4_UDP_HEAD "0000 7878787878", true, "3", NULL, NULL,
            "Len=5");
}

static void
test_checksum_ipv6(void)
{
    check_checksum(&peel_proto_ipv6, "ipv6.src", IP6_HEAD "9c409c41 000b a77e 616263", true, "1",
            "0xa77e", NULL, "Len=3");
    check_checksum(&peel_proto_ipv6, "ipv6.src", IP6_HEAD "9c409c41 000b a77f 616263", true, "0",
            "0xa77e", "Bad checksum [should be 0xa77e]", "[UDP CHECKSUM INCORRECT]");
    /* RFC 8200 8.1: zero is illegal over IPv6, whether or not checksums are verified. */
    check_checksum(&peel_proto_ipv6, "ipv6.src", IP6_HEAD "9c409c41 000b 0000 616263", false, "4",
            NULL, "Illegal checksum value (0)", "Len=3 [ILLEGAL CHECKSUM (0)]");
}

static void
test_jumbogram(void)
{
    if (!have_field("ipv6.src")) {
        g_test_skip("the IPv6 dissector is not there yet");
        return;
    }
    /* A zero length over IPv6 means "see the jumbo payload length" (RFC 2675). */
    g_autoptr(PeelTestPacket) t =
            peel_test_dissect_hex(&peel_proto_ipv6, IP6_HEAD "9c409c41 0000 a789 616263");
    g_assert_cmpstr(peel_test_info(t), ==, "40000 " ARROW " 40001 Len=3 [Jumbogram]");
    g_assert_true(peel_test_has_expert(t, "Length is zero but payload < 65536"));
    g_assert_cmpstr(peel_test_field_str(t, "data.data", 0), ==, "616263");
}

static void
test_icmp_quote(void)
{
    if (!have_field("icmp.type") || !have_field("ip.src")) {
        g_test_skip("the ICMP and IP dissectors are not there yet");
        return;
    }
    /* Port unreachable quoting the 8-byte header of a 48-byte datagram. */
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(&peel_proto_ip,
            "45000038 00014000 400126c2 0a000001 0a000002 03038ebe 00000000 45000044 00014000 "
            "401126a6 0a000002 0a000001 9c409c41 0030358c");
    g_assert_cmpstr(peel_test_field_str(t, "udp.length", 0), ==, "48");
    g_assert_cmpstr(peel_test_field_str(t, "udp.checksum.status", 0), ==, "2");
    g_assert_cmpuint(peel_test_field_count(t, "udp.payload"), ==, 0);
    g_assert_false(peel_test_has_expert(t, "Bad length"));
    g_assert_false(peel_test_has_expert(t, "truncated"));
    g_assert_null(strstr(peel_test_info(t), ARROW));

    /* A longer quote: the quoted payload bytes are shown, not dissected further. */
    g_autoptr(PeelTestPacket) p = peel_test_dissect_hex(&peel_proto_ip,
            "4500003c 00014000 400126be 0a000001 0a000002 03030000 00000000 45000044 00014000 "
            "401126a6 0a000002 0a000001 9c409c41 0030358c 79797979");
    g_assert_cmpstr(peel_test_field_str(p, "udp.payload", 0), ==, "79797979");
    g_assert_cmpuint(peel_test_field_count(p, "data.data"), ==, 0);
    g_assert_false(peel_test_has_expert(p, "truncated"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/udp/header/basic", test_basic);
    g_test_add_func("/udp/header/empty", test_empty);
    g_test_add_func("/udp/length/short", test_length_short);
    g_test_add_func("/udp/length/long", test_length_long);
    g_test_add_func("/udp/length/shorter-than-payload", test_length_shorter_than_payload);
    g_test_add_func("/udp/checksum/zero", test_zero_checksum);
    g_test_add_func("/udp/truncated/header", test_truncated_header);
    g_test_add_func("/udp/truncated/payload", test_truncated_payload);
    g_test_add_func("/udp/malformed/claimed-short", test_claimed_short);
    g_test_add_func("/udp/checksum/ipv4", test_checksum_ipv4);
    g_test_add_func("/udp/checksum/ipv6", test_checksum_ipv6);
    g_test_add_func("/udp/length/jumbogram", test_jumbogram);
    g_test_add_func("/udp/icmp/quoted", test_icmp_quote);
    return g_test_run();
}
