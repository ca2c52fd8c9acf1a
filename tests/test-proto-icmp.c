/* test-proto-icmp.c: ICMP and ICMPv6: echo, checksums, error messages whose quoted header
 * must not change the outer columns, neighbor discovery, MLD; expected values are tshark
 * 4.0's for the same bytes. */
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "peel-test.h"
#include "protos.h"
#include "registry.h"

#define ICMP_ECHO_TS                                                                               \
    "4500002c123400004001549b0a0000010a0000020800e8a600010001fbf05365"                             \
    "90d0030008090a0b0c0d0e0f"

#define ICMP_ECHO_REPLY_BAD "4500002012340000020192a70a0000010a000002000011111234000761626364"

#define ICMP_PORT_UNREACH                                                                          \
    "4500003812340000400154870a0000090a0000020303606b0000000045000030"                             \
    "123400003f11557f0a0000020a0000099c400035001c0000"

#define ICMP_REDIRECT                                                                              \
    "4500003d123400004001548a0a0000010a000002050118840a0000fe45000030"                             \
    "123400003f114f780a000002080808089c400035001c00006578747261"

#define ICMP_FRAG_NEEDED                                                                           \
    "45000038123400004001548f0a0000010a00000203045af20000057845000030"                             \
    "123400003f114f780a000002080808089c400035001c0000"

#define ICMP_TSTAMP                                                                                \
    "45000028123400004001549f0a0000010a0000020e005bd900050006000003e8"                             \
    "02932e7b05265bff"

#define ICMP_TRUNC3 "4500001712340000400154b00a0000010a000002080000"

#define ICMP_UNKNOWN "4500001f12340000400154a80a0000010a0000026174da2800000000616263"

#define ICMP_QUOTED_ECHO                                                                           \
    "45000040123400004001547f0a0000090a0000020301fcfe0000000045000024"                             \
    "123400004001549b0a0000020a0000090800665b000700086162636465666768"

#define ICMP6_ECHO                                                                                 \
    "6000000000103a4020010db800000000000000000000000120010db800000000"                             \
    "00000000000000028000acf61234000168656c6c6f212121"

#define ICMP6_ECHO_BAD                                                                             \
    "6000000000083a4020010db800000000000000000000000120010db800000000"                             \
    "00000000000000028000123400010002"

#define ICMP6_NS                                                                                   \
    "6000000000203afffe800000000000000000000000000002ff02000000000000"                             \
    "00000001ff0000018700160000000000fe800000000000000000000000000001"                             \
    "0101001122334455"

#define ICMP6_NA                                                                                   \
    "6000000000203afffe800000000000000000000000000001fe80000000000000"                             \
    "00000000000000028800ffb6e0000000fe800000000000000000000000000001"                             \
    "020100aabbccddee"

#define ICMP6_RA                                                                                   \
    "6000000000403afffe800000000000000000000000000001ff02000000000000"                             \
    "00000000000000018600889040c0070800000000000000000101001122334455"                             \
    "05010000000005dc030440c000278d0000093a800000000020010db800010000"                             \
    "0000000000000000"

#define ICMP6_OPT_ZERO_LEN                                                                         \
    "6000000000103afffe800000000000000000000000000002ff02000000000000"                             \
    "000000000000000285007c2d000000000100000000000000"

#define ICMP6_PORT_UNREACH                                                                         \
    "6000000000383a4020010db80000000000000000000000fe20010db800000000"                             \
    "00000000000000020104c4d000000000600000000012114020010db800000000"                             \
    "000000000000000220010db80000000000000000000000990fa0003500120000"

#define ICMP6_MLDV2                                                                                \
    "6000000000340001fe800000000000000000000000000002ff02000000000000"                             \
    "00000000000000163a000502000001008f00413f0000000104000001ff020000"                             \
    "0000000000000000000000fb20010db8000000000000000000000005"

#define ICMP6_MLD_REPORT                                                                           \
    "6000000000200001fe800000000000000000000000000002ff02000000000000"                             \
    "00000000000000fb3a0005020000010083007e2e00000000ff02000000000000"                             \
    "00000000000000fb"

#define ICMP6_LENGTH_ZERO                                                                          \
    "6000000000003afffe80000000000000025a28fffe08f1506e02000000000000"                             \
    "000000000000004187001d380000000000000000000000000000000000000000"

static void
test_echo_request(void)
{
    /* The frame is at 1700000000; the data starts with a little-endian timeval 4.75 s
     * earlier, which tshark shows. */
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(&peel_proto_ip, ICMP_ECHO_TS);
    g_assert_cmpstr(peel_test_field_str(t, "icmp.type", 0), ==, "8");
    g_assert_cmpstr(peel_test_field_str(t, "icmp.code", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "icmp.checksum.status", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "icmp.ident", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "icmp.ident_le", 0), ==, "256");
    g_assert_cmpstr(peel_test_field_str(t, "icmp.seq", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "icmp.seq_le", 0), ==, "256");
    g_assert_cmpstr(
            peel_test_field_str(t, "icmp.data_time", 0), ==, "Nov 14, 2023 22:13:15.250000000 UTC");
    g_assert_cmpstr(peel_test_field_str(t, "icmp.data_time_relative", 0), ==, "4.750000000");
    g_assert_cmpstr(peel_test_field_str(t, "data.len", 0), ==, "8");
    /* tshark pads the type to 20 columns; request/response pairing is not done. */
    g_assert_cmpstr(peel_test_info(t), ==, "Echo (ping) request  id=0x0001, seq=1/256, ttl=64");
    g_assert_cmpstr(peel_test_protocol(t), ==, "ICMP");
    g_assert_cmpstr(peel_test_protocols(t), ==, "ip:icmp:data");
    g_assert_cmpstr(peel_test_field_text(t, "icmp.type", 0), ==, "Type: 8 (Echo (ping) request)");
    /* Data sits inside the ICMP item. */
    g_assert_cmpint(peel_test_field(t, "data", 0)->parent, ==,
            (int32_t)(peel_test_field(t, "icmp", 0) - peel_test_packet(t)->fields));
}

static void
test_echo_bad_checksum(void)
{
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(&peel_proto_ip, ICMP_ECHO_REPLY_BAD);
    g_assert_cmpstr(peel_test_field_str(t, "icmp.checksum", 0), ==, "0x1111");
    g_assert_cmpstr(peel_test_field_str(t, "icmp.checksum.status", 0), ==, "0");
    g_assert_true(peel_test_has_expert(t, "Bad checksum [should be 0x28fe]"));
    g_assert_cmpstr(peel_test_info(t), ==, "Echo (ping) reply    id=0x1234, seq=7/1792, ttl=2");
    g_assert_cmpuint(peel_test_field_count(t, "icmp.data_time"), ==, 0);
    g_assert_cmpstr(peel_test_field_str(t, "data.data", 0), ==, "61626364");
}

/* An error quoting a UDP datagram: the inner IP and UDP headers are dissected, but the
 * columns, addresses and info stay the outer packet's. */
static void
test_port_unreachable_keeps_columns(void)
{
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(&peel_proto_ip, ICMP_PORT_UNREACH);
    g_assert_cmpstr(peel_test_info(t), ==, "Destination unreachable (Port unreachable)");
    g_assert_cmpstr(peel_test_protocol(t), ==, "ICMP");
    g_autofree char *src = peel_test_col_addr(t, false), *dst = peel_test_col_addr(t, true);
    g_assert_cmpstr(src, ==, "10.0.0.9");
    g_assert_cmpstr(dst, ==, "10.0.0.2");
    g_assert_cmpstr(peel_test_protocols(t), ==, "ip:icmp:ip:udp");
    g_assert_cmpstr(peel_test_field_str(t, "icmp.unused", 0), ==, "00000000");
    g_assert_cmpstr(peel_test_field_str(t, "ip.src", 0), ==, "10.0.0.9");
    g_assert_cmpstr(peel_test_field_str(t, "ip.src", 1), ==, "10.0.0.2");
    g_assert_cmpstr(peel_test_field_str(t, "ip.dst", 1), ==, "10.0.0.9");
    g_assert_cmpstr(peel_test_field_str(t, "udp.srcport", 0), ==, "40000");
    g_assert_cmpstr(peel_test_field_str(t, "udp.dstport", 0), ==, "53");
    /* The quoted header claims 48 bytes of which 28 were quoted: no note for that. */
    g_assert_false(peel_test_has_expert(t, "total length exceeds"));
    const PeelPacket *pkt = peel_test_packet(t);
    g_assert_false(pkt->in_error);
    g_assert_cmpuint(pkt->ip_proto, ==, 1);
    g_assert_cmpuint(pkt->ip_ttl, ==, 64);
    g_assert_cmpuint(pkt->net_src.bytes[3], ==, 9);
    /* The quoted IP item is inside the ICMP item. */
    int32_t icmp = (int32_t)(peel_test_field(t, "icmp", 0) - pkt->fields);
    g_assert_cmpint(peel_test_field(t, "ip", 1)->parent, ==, icmp);
    g_assert_cmpint(peel_test_field(t, "udp", 0)->parent, ==, icmp);
}

static void
test_redirect_and_frag_needed(void)
{
    g_autoptr(PeelTestPacket) r = peel_test_dissect_hex(&peel_proto_ip, ICMP_REDIRECT);
    g_assert_cmpstr(peel_test_info(r), ==, "Redirect             (Redirect for host)");
    g_assert_cmpstr(peel_test_field_str(r, "icmp.redir_gw", 0), ==, "10.0.0.254");
    g_assert_cmpstr(peel_test_field_str(r, "ip.dst", 1), ==, "8.8.8.8");
    /* Only the header and 64 bits are the original datagram. */
    g_assert_cmpuint(peel_test_field_count(r, "data.data"), ==, 0);

    g_autoptr(PeelTestPacket) f = peel_test_dissect_hex(&peel_proto_ip, ICMP_FRAG_NEEDED);
    g_assert_cmpstr(peel_test_info(f), ==, "Destination unreachable (Fragmentation needed)");
    g_assert_cmpstr(peel_test_field_str(f, "icmp.mtu", 0), ==, "1400");
    g_assert_cmpstr(peel_test_field_str(f, "icmp.unused", 0), ==, "0000");
}

static void
test_quoted_echo(void)
{
    /* An echo request quoted in an error: its checksum is not checked, its info not shown. */
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(&peel_proto_ip, ICMP_QUOTED_ECHO);
    g_assert_cmpstr(peel_test_info(t), ==, "Destination unreachable (Host unreachable)");
    g_assert_cmpstr(peel_test_field_str(t, "icmp.type", 1), ==, "8");
    g_assert_cmpstr(peel_test_field_str(t, "icmp.checksum.status", 1), ==, "2");
    g_assert_cmpstr(peel_test_field_text(t, "icmp.checksum", 1), ==,
            "Checksum: 0x665b [unverified] [in ICMP error packet]");
    g_assert_cmpstr(peel_test_protocols(t), ==, "ip:icmp:ip:icmp:data");
}

static void
test_timestamp_reply(void)
{
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(&peel_proto_ip, ICMP_TSTAMP);
    g_assert_cmpstr(peel_test_info(t), ==, "Timestamp reply      id=0x0005, seq=6/1536, ttl=64");
    g_assert_cmpstr(peel_test_field_str(t, "icmp.originate_timestamp", 0), ==, "1000");
    g_assert_cmpstr(peel_test_field_text(t, "icmp.receive_timestamp", 0), ==,
            "Receive Timestamp: 43200123 (12 hours, 0.123 seconds after midnight UTC)");
    g_assert_cmpstr(peel_test_field_text(t, "icmp.transmit_timestamp", 0), ==,
            "Transmit Timestamp: 86399999 (23 hours, 59 minutes, 59.999 seconds after "
            "midnight UTC)");
}

static void
test_truncated_and_unknown(void)
{
    /* Three bytes of ICMP: no info (tshark stops before writing it), checksum flagged. */
    g_autoptr(PeelTestPacket) a = peel_test_dissect_hex(&peel_proto_ip, ICMP_TRUNC3);
    g_assert_cmpstr(peel_test_info(a), ==, "");
    g_assert_true(peel_test_field_is_malformed(a, "icmp.checksum"));

    /* A snaplen inside the echo header. */
    g_autoptr(PeelTestPacket) b = peel_test_dissect_hex_full(&peel_proto_ip, 1,
            "45000024123400004001"
            "54b7"
            "0a0000010a000002"
            "0800f7fd0001",
            36);
    g_assert_true(peel_test_field_is_truncated(b, "icmp.seq"));
    g_assert_false(peel_test_packet(b)->malformed);
    g_assert_cmpstr(peel_test_field_str(b, "icmp.checksum.status", 0), ==, "2");

    g_autoptr(PeelTestPacket) c = peel_test_dissect_hex(&peel_proto_ip, ICMP_UNKNOWN);
    g_assert_cmpstr(peel_test_info(c), ==, "Unknown ICMP (obsolete or malformed?)");
    g_assert_cmpstr(peel_test_field_str(c, "icmp.code", 0), ==, "116");
    g_assert_cmpstr(peel_test_field_str(c, "data.data", 0), ==, "00000000616263");
}

/* ---- ICMPv6 ---- */

static void
test_icmpv6_echo(void)
{
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(&peel_proto_ipv6, ICMP6_ECHO);
    g_assert_cmpstr(peel_test_field_str(t, "icmpv6.type", 0), ==, "128");
    g_assert_cmpstr(peel_test_field_str(t, "icmpv6.checksum", 0), ==, "0xacf6");
    g_assert_cmpstr(peel_test_field_str(t, "icmpv6.checksum.status", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "icmpv6.echo.identifier", 0), ==, "0x1234");
    g_assert_cmpstr(peel_test_field_str(t, "icmpv6.echo.sequence_number", 0), ==, "1");
    g_assert_cmpstr(peel_test_info(t), ==, "Echo (ping) request id=0x1234, seq=1, hop limit=64");
    g_assert_cmpstr(peel_test_protocol(t), ==, "ICMPv6");
    g_assert_cmpstr(peel_test_field_str(t, "data.data", 0), ==, "68656c6c6f212121");

    g_autoptr(PeelTestPacket) b = peel_test_dissect_hex(&peel_proto_ipv6, ICMP6_ECHO_BAD);
    g_assert_cmpstr(peel_test_field_str(b, "icmpv6.checksum.status", 0), ==, "0");
    g_assert_true(peel_test_has_expert(b, "Bad checksum [should be 0x2445]"));
}

static void
test_icmpv6_neighbor_discovery(void)
{
    g_autoptr(PeelTestPacket) ns = peel_test_dissect_hex(&peel_proto_ipv6, ICMP6_NS);
    g_assert_cmpstr(
            peel_test_info(ns), ==, "Neighbor Solicitation for fe80::1 from 00:11:22:33:44:55");
    g_assert_cmpstr(peel_test_field_str(ns, "icmpv6.nd.ns.target_address", 0), ==, "fe80::1");
    g_assert_cmpstr(peel_test_field_str(ns, "icmpv6.opt.type", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(ns, "icmpv6.opt.length", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(ns, "icmpv6.opt.linkaddr", 0), ==, "00:11:22:33:44:55");
    g_assert_cmpstr(peel_test_field_str(ns, "icmpv6.opt.src_linkaddr", 0), ==, "00:11:22:33:44:55");
    g_assert_cmpstr(peel_test_field_text(ns, "icmpv6.opt", 0), ==,
            "ICMPv6 Option (Source link-layer address : 00:11:22:33:44:55)");

    g_autoptr(PeelTestPacket) na = peel_test_dissect_hex(&peel_proto_ipv6, ICMP6_NA);
    g_assert_cmpstr(peel_test_info(na), ==,
            "Neighbor Advertisement fe80::1 (rtr, sol, ovr) is at 00:aa:bb:cc:dd:ee");
    g_assert_cmpstr(peel_test_field_str(na, "icmpv6.nd.na.flag", 0), ==, "0xe0000000");
    g_assert_cmpstr(peel_test_field_str(na, "icmpv6.nd.na.flag.s", 0), ==, "1");
    g_assert_cmpstr(
            peel_test_field_str(na, "icmpv6.opt.target_linkaddr", 0), ==, "00:aa:bb:cc:dd:ee");

    g_autoptr(PeelTestPacket) ra = peel_test_dissect_hex(&peel_proto_ipv6, ICMP6_RA);
    g_assert_cmpstr(peel_test_info(ra), ==, "Router Advertisement from 00:11:22:33:44:55");
    g_assert_cmpstr(peel_test_field_str(ra, "icmpv6.nd.ra.cur_hop_limit", 0), ==, "64");
    g_assert_cmpstr(peel_test_field_str(ra, "icmpv6.nd.ra.flag", 0), ==, "0xc0");
    g_assert_cmpstr(peel_test_field_str(ra, "icmpv6.nd.ra.router_lifetime", 0), ==, "1800");
    g_assert_cmpstr(peel_test_field_str(ra, "icmpv6.opt.mtu", 0), ==, "1500");
    g_assert_cmpstr(peel_test_field_str(ra, "icmpv6.opt.prefix", 0), ==, "2001:db8:1::");
    g_assert_cmpstr(peel_test_field_str(ra, "icmpv6.opt.prefix.length", 0), ==, "64");
    g_assert_cmpstr(peel_test_field_str(ra, "icmpv6.opt.prefix.valid_lifetime", 0), ==, "2592000");
    g_assert_cmpstr(peel_test_field_text(ra, "icmpv6.opt", 2), ==,
            "ICMPv6 Option (Prefix information : 2001:db8:1::/64)");

    /* An option of length zero would loop forever: flagged, and the options end. */
    g_autoptr(PeelTestPacket) z = peel_test_dissect_hex(&peel_proto_ipv6, ICMP6_OPT_ZERO_LEN);
    g_assert_true(peel_test_has_expert(z, "Invalid option length (Zero)"));
    g_assert_cmpuint(peel_test_field_count(z, "icmpv6.opt.type"), ==, 1);
}

static void
test_icmpv6_error_keeps_columns(void)
{
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(&peel_proto_ipv6, ICMP6_PORT_UNREACH);
    g_assert_cmpstr(peel_test_info(t), ==, "Destination Unreachable (Port unreachable)");
    g_assert_cmpstr(peel_test_protocol(t), ==, "ICMPv6");
    g_autofree char *src = peel_test_col_addr(t, false), *dst = peel_test_col_addr(t, true);
    g_assert_cmpstr(src, ==, "2001:db8::fe");
    g_assert_cmpstr(dst, ==, "2001:db8::2");
    g_assert_cmpstr(peel_test_field_str(t, "icmpv6.checksum.status", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.dst", 1), ==, "2001:db8::99");
    g_assert_cmpstr(peel_test_field_str(t, "udp.srcport", 0), ==, "4000");
    g_assert_cmpstr(peel_test_protocols(t), ==, "ipv6:icmpv6:ipv6:udp");
    g_assert_false(peel_test_packet(t)->in_error);
}

static void
test_icmpv6_mld(void)
{
    g_autoptr(PeelTestPacket) r = peel_test_dissect_hex(&peel_proto_ipv6, ICMP6_MLD_REPORT);
    g_assert_cmpstr(peel_test_info(r), ==, "Multicast Listener Report");
    g_assert_cmpstr(peel_test_field_str(r, "icmpv6.mld.multicast_address", 0), ==, "ff02::fb");
    g_assert_cmpstr(peel_test_field_str(r, "icmpv6.mld.maximum_response_delay", 0), ==, "0");

    g_autoptr(PeelTestPacket) v2 = peel_test_dissect_hex(&peel_proto_ipv6, ICMP6_MLDV2);
    g_assert_cmpstr(peel_test_info(v2), ==, "Multicast Listener Report Message v2");
    g_assert_cmpstr(peel_test_field_str(v2, "icmpv6.mldr.nb_mcast_records", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(v2, "icmpv6.mldr.mar.record_type", 0), ==, "4");
    g_assert_cmpstr(
            peel_test_field_str(v2, "icmpv6.mldr.mar.multicast_address", 0), ==, "ff02::fb");
    g_assert_cmpstr(
            peel_test_field_str(v2, "icmpv6.mldr.mar.source_address", 0), ==, "2001:db8::5");
    g_assert_cmpstr(peel_test_field_text(v2, "icmpv6.mldr.mar", 0), ==,
            "Multicast Address Record Changed to exclude: ff02::fb");
}

static void
test_icmpv6_length_zero(void)
{
    /* As tcpdump's icmpv6-length-zero.pcapng: payload length 0, ICMPv6 gets no bytes. */
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(&peel_proto_ipv6, ICMP6_LENGTH_ZERO);
    g_assert_cmpstr(peel_test_protocol(t), ==, "ICMPv6");
    g_assert_cmpstr(peel_test_info(t), ==, "");
    g_assert_true(peel_test_packet(t)->malformed);
    g_assert_true(peel_test_has_expert(t, "IPv6 payload length equals 0"));
    g_assert_cmpstr(peel_test_field_str(t, "ipv6.src_slaac_mac", 0), ==, "00:5a:28:08:f1:50");
}

int
main(int argc, char **argv)
{
    setenv("TZ", "UTC", 1); /* icmp.data_time prints in local time, as tshark */
    tzset();
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/icmp/echo/request", test_echo_request);
    g_test_add_func("/icmp/echo/bad-checksum", test_echo_bad_checksum);
    g_test_add_func(
            "/icmp/error/port-unreachable-keeps-columns", test_port_unreachable_keeps_columns);
    g_test_add_func("/icmp/error/redirect-and-frag-needed", test_redirect_and_frag_needed);
    g_test_add_func("/icmp/error/quoted-echo", test_quoted_echo);
    g_test_add_func("/icmp/timestamp-reply", test_timestamp_reply);
    g_test_add_func("/icmp/truncated-and-unknown", test_truncated_and_unknown);
    g_test_add_func("/icmpv6/echo", test_icmpv6_echo);
    g_test_add_func("/icmpv6/neighbor-discovery", test_icmpv6_neighbor_discovery);
    g_test_add_func("/icmpv6/error/keeps-columns", test_icmpv6_error_keeps_columns);
    g_test_add_func("/icmpv6/mld", test_icmpv6_mld);
    g_test_add_func("/icmpv6/length-zero", test_icmpv6_length_zero);
    return g_test_run();
}
