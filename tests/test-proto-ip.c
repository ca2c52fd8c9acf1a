/* test-proto-ip.c: IPv4: header fields, options, checksum, lengths, fragments, truncation;
 * expected values are tshark 4.0's for the same bytes (-o ip.check_checksum:TRUE). */
#include <glib.h>
#include <string.h>

#include "peel-test.h"
#include "protos.h"
#include "registry.h"

/* Packets built byte by byte (tests/ has no capture for each corner case). */
#define IP_PLAIN "45b90016beef400040fd66400a0000010a0000027a7a000000000000"

#define IP_OPTIONS                                                                                 \
    "4d0000381234000040fd618a0a0000010a00000201070b04c0a8010100000000"                             \
    "440c09010a00000900003039940400000100000061626364"

#define IP_SECURITY "480000201234000040fddd680a0000010a000002820bf1350000000000000001"

#define IP_LSRR "480000201234000040fdb58f0a0000010a000002830b04010203040506070800"

#define IP_OPT_TOO_SHORT "460000181234000040fd4bb20a0000010a00000207010000"

#define IP_OPT_PAST_END "460000181234000040fd478b0a0000010a00000207280400"

#define IP_OPT_NOPS "460000181234000040fd50b10a0000010a00000201010101"

#define IP_OPT_UNKNOWN "460000181234000040fd53ac0a0000010a000002fe040102"

#define IP_OPT_TS_SHORT "4700001c1234000040fd049e0a0000010a0000024408050301020304"

#define IP_BAD_CHECKSUM "450000161234000040fdbeef0a0000010a0000027a7a"

#define IP_BOGUS_HLEN "4400001c1234000040115f9d0a0000010a0000020000000000000000"

#define IP_BOGUS_LEN "4500000a12340000401154ad0a0000010a0000020000000000000000"

#define IP_TSO "450000001234000040fd53cb0a0000010a0000027a7a"

#define IP_LEN_EXCEEDS "450000641234000040fd53670a0000010a0000027a7a"

#define IP_FRAG_FIRST                                                                              \
    "4500002c00f22000401145cd0a0000010a000002787878787878787878787878"                             \
    "787878787878787878787878"

#define IP_FRAG_LATER                                                                              \
    "4500002400f20006401165cf0a0000010a000002797979797979797979797979"                             \
    "79797979"

#define IP_VERSION_5 "5500001412340000401154a30a0000010a000002"

#define IP_TTL_LOW "450000141234000001fd92b70a0000010a000002"

#define IP_LNCB "450000141234000002fdbbb30a000001e0000005"

#define IP_IN_IP                                                                                   \
    "4500002a123400004004549a0a0000010a000002450000161234000040fde663"                             \
    "c0a80001c0a800027a7a"

#define IP_OPT_TRUNC                                                                               \
    "4f00003c1234000040fd357b0a0000010a000002010101010101010101010101"                             \
    "01010101010101010101010101010101010101010101010101010101"

static PeelTestPacket *
ip(const char *hex)
{
    return peel_test_dissect_hex(&peel_proto_ip, hex);
}

static void
test_header_fields(void)
{
    g_autoptr(PeelTestPacket) t = ip(IP_PLAIN);
    g_assert_cmpstr(peel_test_field_str(t, "ip.version", 0), ==, "4");
    g_assert_cmpstr(peel_test_field_str(t, "ip.hdr_len", 0), ==, "20"); /* bytes, as tshark */
    g_assert_cmpstr(peel_test_field_str(t, "ip.dsfield", 0), ==, "0xb9");
    g_assert_cmpstr(peel_test_field_str(t, "ip.dsfield.dscp", 0), ==, "46");
    g_assert_cmpstr(peel_test_field_str(t, "ip.dsfield.ecn", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "ip.len", 0), ==, "22");
    g_assert_cmpstr(peel_test_field_str(t, "ip.id", 0), ==, "0xbeef");
    g_assert_cmpstr(peel_test_field_str(t, "ip.flags", 0), ==, "0x02");
    g_assert_cmpstr(peel_test_field_str(t, "ip.flags.rb", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "ip.flags.df", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "ip.flags.mf", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "ip.frag_offset", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "ip.ttl", 0), ==, "64");
    g_assert_cmpstr(peel_test_field_str(t, "ip.proto", 0), ==, "253");
    g_assert_cmpstr(peel_test_field_str(t, "ip.checksum", 0), ==, "0x6640");
    g_assert_cmpstr(peel_test_field_str(t, "ip.checksum.status", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "ip.checksum_calculated", 0), ==, "0x6640");
    g_assert_cmpstr(peel_test_field_str(t, "ip.src", 0), ==, "10.0.0.1");
    g_assert_cmpstr(peel_test_field_str(t, "ip.dst", 0), ==, "10.0.0.2");
    g_assert_cmpstr(peel_test_field_str(t, "ip.addr", 0), ==, "10.0.0.1");
    g_assert_cmpstr(peel_test_field_str(t, "ip.addr", 1), ==, "10.0.0.2");
    g_assert_cmpstr(peel_test_field_str(t, "ip.src_host", 0), ==, "10.0.0.1");
    g_assert_cmpstr(peel_test_field_str(t, "ip.dst_host", 0), ==, "10.0.0.2");
    g_assert_cmpuint(peel_test_field_count(t, "ip.host"), ==, 2);
    g_assert_cmpstr(peel_test_protocol(t), ==, "IPv4");
    /* No dissector for protocol 253: Wireshark's "name (number)" stays. */
    g_assert_cmpstr(peel_test_info(t), ==, "Unknown (253)");
    g_assert_cmpstr(peel_test_protocols(t), ==, "ip:data");
    /* Total length 22: the six bytes of link-layer padding are not payload. */
    g_assert_cmpstr(peel_test_field_str(t, "data.data", 0), ==, "7a7a");
    g_autofree char *src = peel_test_col_addr(t, false), *dst = peel_test_col_addr(t, true);
    g_assert_cmpstr(src, ==, "10.0.0.1");
    g_assert_cmpstr(dst, ==, "10.0.0.2");
    const PeelPacket *pkt = peel_test_packet(t);
    g_assert_cmpuint(pkt->ip_proto, ==, 253);
    g_assert_cmpuint(pkt->ip_ttl, ==, 64);
    g_assert_false(pkt->ip_fragment);
    g_assert_cmpstr(
            pkt->fields[0].text, ==, "Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2");
    g_assert_cmpstr(peel_test_field_text(t, "ip.dsfield", 0), ==,
            "Differentiated Services Field: 0xb9 (DSCP: EF PHB, ECN: ECT(1))");
    g_assert_cmpstr(peel_test_field_text(t, "ip.flags", 0), ==, "Flags: 0x2, Don't fragment");
    g_assert_cmpuint(pkt->n_experts, ==, 0);
}

static void
test_options_rr_ts_ra(void)
{
    g_autoptr(PeelTestPacket) t = ip(IP_OPTIONS);
    g_assert_cmpstr(peel_test_field_str(t, "ip.hdr_len", 0), ==, "52");
    /* NOP, record route, time stamp, router alert, NOP, EOL */
    const char *types[] = { "1", "7", "68", "148", "1", "0" };
    g_assert_cmpuint(peel_test_field_count(t, "ip.opt.type"), ==, 6);
    for (guint i = 0; i < 6; i++)
        g_assert_cmpstr(peel_test_field_str(t, "ip.opt.type", i), ==, types[i]);
    g_assert_cmpstr(peel_test_field_str(t, "ip.opt.type.copy", 3), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "ip.opt.type.class", 2), ==, "2");
    g_assert_cmpstr(peel_test_field_str(t, "ip.opt.type.number", 2), ==, "4");
    g_assert_cmpstr(peel_test_field_str(t, "ip.opt.len", 0), ==, "11");
    g_assert_cmpstr(peel_test_field_str(t, "ip.opt.ptr", 0), ==, "4");
    g_assert_cmpstr(peel_test_field_str(t, "ip.empty_rt", 0), ==, "192.168.1.1");
    g_assert_cmpstr(peel_test_field_str(t, "ip.empty_rt", 1), ==, "0.0.0.0");
    g_assert_cmpstr(
            peel_test_field_text(t, "ip.empty_rt", 0), ==, "Empty Route: 192.168.1.1 <- (next)");
    g_assert_cmpstr(peel_test_field_str(t, "ip.opt.flag", 0), ==, "0x01");
    g_assert_cmpstr(peel_test_field_str(t, "ip.opt.time_stamp_addr", 0), ==, "10.0.0.9");
    g_assert_cmpstr(peel_test_field_str(t, "ip.opt.time_stamp", 0), ==, "12345");
    g_assert_cmpstr(peel_test_field_str(t, "ip.opt.ra", 0), ==, "0");
    /* Option items are byte-valued, as Wireshark's option protocols. */
    g_assert_cmpstr(peel_test_field_str(t, "ip.options.routeralert", 0), ==, "94040000");
    g_assert_cmpstr(peel_test_field_text(t, "ip.options.routeralert", 0), ==,
            "IP Option - Router Alert (4 bytes): Router shall examine packet (0)");
    g_assert_cmpstr(peel_test_field_text(t, "ip.options", 0), ==,
            "Options: (32 bytes), Record Route, Time Stamp, Router Alert");
    g_assert_cmpstr(peel_test_field_str(t, "data.data", 0), ==, "61626364");
    g_assert_cmpuint(peel_test_packet(t)->n_experts, ==, 0);
}

static void
test_options_security(void)
{
    g_autoptr(PeelTestPacket) t = ip(IP_SECURITY);
    g_assert_cmpstr(peel_test_field_str(t, "ip.opt.type", 0), ==, "130");
    g_assert_cmpstr(peel_test_field_str(t, "ip.opt.sec_rfc791_sec", 0), ==, "0xf135");
    g_assert_cmpstr(peel_test_field_str(t, "ip.opt.sec_rfc791_comp", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "ip.opt.sec_rfc791_hr", 0), ==, "");
    g_assert_cmpstr(peel_test_field_str(t, "ip.opt.type", 1), ==, "1");
}

static void
test_options_loose_source_route(void)
{
    /* The route's last slot is the final destination; the header's is the current hop. */
    g_autoptr(PeelTestPacket) t = ip(IP_LSRR);
    g_assert_cmpstr(peel_test_field_str(t, "ip.cur_rt", 0), ==, "10.0.0.2");
    g_assert_cmpstr(peel_test_field_str(t, "ip.src_rt", 0), ==, "1.2.3.4");
    g_assert_cmpstr(peel_test_field_str(t, "ip.dst", 0), ==, "5.6.7.8");
    g_assert_cmpstr(peel_test_field_str(t, "ip.addr", 1), ==, "5.6.7.8");
    g_assert_cmpuint(peel_test_field_count(t, "ip.dst"), ==, 1);
    g_autofree char *dst = peel_test_col_addr(t, true);
    g_assert_cmpstr(dst, ==, "5.6.7.8");
    g_assert_cmpstr(peel_test_packet(t)->fields[0].text, ==,
            "Internet Protocol Version 4, Src: 10.0.0.1, Dst: 5.6.7.8, Via: 10.0.0.2");
}

static void
test_options_bad_lengths(void)
{
    g_autoptr(PeelTestPacket) a = ip(IP_OPT_TOO_SHORT);
    g_assert_true(peel_test_has_expert(a, "Record Route (with too-short option length = 1 byte)"));
    g_assert_cmpuint(peel_test_field_count(a, "ip.opt.type"), ==, 0);
    g_autoptr(PeelTestPacket) b = ip(IP_OPT_PAST_END);
    g_assert_true(peel_test_has_expert(
            b, "Record Route (option length = 40 bytes says option goes past end of options)"));
    g_autoptr(PeelTestPacket) c = ip(IP_OPT_TS_SHORT);
    g_assert_true(peel_test_has_expert(c, "Suboption would go past end of option"));
    g_assert_cmpstr(peel_test_field_str(c, "ip.opt.ptr", 0), ==, "5");
    g_assert_cmpuint(peel_test_field_count(c, "ip.opt.time_stamp"), ==, 0);
}

static void
test_options_nops_and_unknown(void)
{
    g_autoptr(PeelTestPacket) a = ip(IP_OPT_NOPS);
    g_assert_cmpuint(peel_test_field_count(a, "ip.options.nop"), ==, 4);
    g_assert_true(peel_test_has_expert(a, "4 NOP in a row - a router may have removed some"));
    g_autoptr(PeelTestPacket) b = ip(IP_OPT_UNKNOWN);
    g_assert_cmpuint(peel_test_field_count(b, "ip.opt.type"), ==, 0);
    g_assert_cmpstr(peel_test_field_text(b, "ip.opt.unknown", 0), ==, "Unknown (0xfe) (4 bytes)");
    g_assert_cmpstr(peel_test_field_str(b, "ip.opt.data", 0), ==, "0102");
}

static void
test_checksum_bad(void)
{
    g_autoptr(PeelTestPacket) t = ip(IP_BAD_CHECKSUM);
    g_assert_cmpstr(peel_test_field_str(t, "ip.checksum", 0), ==, "0xbeef");
    g_assert_cmpstr(peel_test_field_str(t, "ip.checksum.status", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "ip.checksum_calculated", 0), ==, "0x53b5");
    g_assert_true(peel_test_has_expert(t, "Bad checksum [should be 0x53b5]"));
    const PeelPacket *pkt = peel_test_packet(t);
    g_assert_cmpuint(pkt->experts[0].group, ==, PEEL_GROUP_CHECKSUM);
    /* Still dissected: only fragment reassembly cares. */
    g_assert_cmpstr(peel_test_field_str(t, "data.data", 0), ==, "7a7a");
}

static void
test_bogus_header_length(void)
{
    g_autoptr(PeelTestPacket) t = ip(IP_BOGUS_HLEN);
    g_assert_cmpstr(peel_test_field_str(t, "ip.hdr_len", 0), ==, "16");
    g_assert_true(peel_test_has_expert(t, "Bogus IP header length (16, must be at least 20)"));
    g_assert_cmpstr(peel_test_info(t), ==, "Bogus IP header length (16, must be at least 20)");
    g_assert_cmpuint(peel_test_field_count(t, "ip.src"), ==, 0);
    g_assert_null(peel_test_packet(t)->col_src);
}

static void
test_total_length(void)
{
    g_autoptr(PeelTestPacket) a = ip(IP_BOGUS_LEN);
    g_assert_cmpstr(peel_test_info(a), ==, "Bogus IP length (10, less than header length 20)");
    g_assert_true(peel_test_has_expert(a, "Bogus IP length"));
    g_assert_cmpuint(peel_test_field_count(a, "ip.id"), ==, 0);

    /* Zero: segmentation offload; the frame's length stands in. */
    g_autoptr(PeelTestPacket) b = ip(IP_TSO);
    g_assert_cmpstr(peel_test_field_str(b, "ip.len", 0), ==, "22");
    g_assert_true(peel_test_field(b, "ip.len", 0)->flags & PEEL_FF_GENERATED);
    g_assert_cmpstr(peel_test_field_str(b, "data.data", 0), ==, "7a7a");

    g_autoptr(PeelTestPacket) c = ip(IP_LEN_EXCEEDS);
    g_assert_cmpstr(peel_test_field_str(c, "ip.len", 0), ==, "100");
    g_assert_true(peel_test_has_expert(c, "IPv4 total length exceeds packet length (22 bytes)"));
    g_assert_cmpstr(peel_test_field_str(c, "data.data", 0), ==, "7a7a");
}

static void
test_truncated(void)
{
    /* A 26-byte snaplen of a 28-byte datagram: the destination address is cut. */
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex_full(
            &peel_proto_ip, 1, "45000016beef400040fd66400a0000010a00", 28);
    g_assert_cmpstr(peel_test_field_str(t, "ip.src", 0), ==, "10.0.0.1");
    g_assert_true(peel_test_field_is_truncated(t, "ip.dst"));
    g_assert_false(peel_test_field_is_malformed(t, "ip.dst"));
    g_assert_true(peel_test_has_expert(t, "truncated"));
    g_assert_cmpuint(peel_test_field_count(t, "data.data"), ==, 0);
    /* The checksum cannot be checked without the whole header. */
    g_assert_cmpstr(peel_test_field_str(t, "ip.checksum.status", 0), ==, "2");

    /* Cut inside the options: flagged there, nothing passed up. */
    g_autoptr(PeelTestPacket) o = peel_test_dissect_hex_full(&peel_proto_ip, 1,
            "4f00003c1234000040fd"
            "0000"
            "0a0000010a000002"
            "01010101010101010101",
            60);
    guint n = peel_test_field_count(o, "ip.opt.type");
    g_assert_cmpuint(n, ==, 11); /* ten NOPs held, the eleventh where the capture ends */
    g_assert_true(peel_test_field(o, "ip.opt.type", n - 1)->flags & PEEL_FF_TRUNCATED);
    g_assert_cmpuint(peel_test_field_count(o, "ip.dst"), ==, 0);

    /* The capture ends after the identification: the flags are flagged, nothing after
     * them is added. */
    g_autoptr(PeelTestPacket) f = peel_test_dissect_hex_full(&peel_proto_ip, 1, "450000200001", 32);
    g_assert_true(peel_test_field_is_truncated(f, "ip.flags"));
    g_assert_cmpuint(peel_test_field_count(f, "ip.flags.df"), ==, 0);
    g_assert_cmpuint(peel_test_field_count(f, "ip.frag_offset"), ==, 0);

    /* One byte: the version; the header length needs the same byte, the rest is missing. */
    g_autoptr(PeelTestPacket) s = peel_test_dissect_hex_full(&peel_proto_ip, 1, "45", 20);
    g_assert_cmpstr(peel_test_field_str(s, "ip.version", 0), ==, "4");
    g_assert_cmpuint(peel_test_field_count(s, "ip.src"), ==, 0);
}

static void
test_header_longer_than_packet(void)
{
    /* IHL says 60 bytes, the datagram ends at 30: malformed, not truncated. */
    g_autoptr(PeelTestPacket) t = ip("4f00003c1234000040113667"
                                     "0a0000010a000002"
                                     "01010101010101010101");
    g_assert_true(peel_test_packet(t)->malformed);
    g_assert_true(peel_test_has_expert(t, "ip.hdr_len 60 exceeds the 30 bytes left"));
    g_assert_cmpuint(peel_test_field_count(t, "ip.dst"), ==, 0);
}

static void
test_fragments(void)
{
    g_autoptr(PeelTestPacket) a = ip(IP_FRAG_FIRST);
    g_assert_cmpstr(peel_test_field_str(a, "ip.flags.mf", 0), ==, "1");
    g_assert_cmpstr(peel_test_info(a), ==, "Fragmented IP protocol (proto=UDP 17, off=0, ID=00f2)");
    g_assert_cmpstr(peel_test_protocols(a), ==, "ip:data");
    g_assert_true(peel_test_packet(a)->ip_fragment);
    g_assert_cmpuint(peel_test_field_count(a, "udp.srcport"), ==, 0);

    /* Fields output prints the 13-bit offset (6 for byte 48), the info line bytes. */
    g_autoptr(PeelTestPacket) b = ip(IP_FRAG_LATER);
    g_assert_cmpstr(peel_test_field_str(b, "ip.frag_offset", 0), ==, "6");
    g_assert_cmpstr(peel_test_field_text(b, "ip.frag_offset", 0), ==, "Fragment Offset: 48");
    g_assert_cmpstr(
            peel_test_info(b), ==, "Fragmented IP protocol (proto=UDP 17, off=48, ID=00f2)");
    g_assert_cmpstr(peel_test_field_str(b, "data.len", 0), ==, "16");
    g_assert_true(peel_test_packet(b)->ip_fragment);
}

static void
test_bogus_version(void)
{
    g_autoptr(PeelTestPacket) t = ip(IP_VERSION_5);
    g_assert_cmpstr(peel_test_info(t), ==, "Bogus IPv4 version (5, must be 4)");
    g_assert_true(peel_test_has_expert(t, "Bogus IPv4 version"));
    g_assert_cmpuint(peel_test_field_count(t, "ip.hdr_len"), ==, 0);
}

static void
test_ttl_notes(void)
{
    g_autoptr(PeelTestPacket) a = ip(IP_TTL_LOW);
    g_assert_true(peel_test_has_expert(a, "\"Time To Live\" only 1"));
    g_autoptr(PeelTestPacket) b = ip(IP_LNCB);
    g_assert_true(peel_test_has_expert(b, "\"Time To Live\" != 1 for a packet sent to the "
                                          "Local Network Control Block (see RFC 3171)"));
    g_autoptr(PeelTestPacket) c = ip(IP_PLAIN);
    g_assert_false(peel_test_has_expert(c, "Time To Live"));
}

static void
test_ip_in_ip(void)
{
    g_autoptr(PeelTestPacket) t = ip(IP_IN_IP);
    g_assert_cmpstr(peel_test_protocols(t), ==, "ip:ip:data");
    g_assert_cmpuint(peel_test_field_count(t, "ip.src"), ==, 2);
    g_assert_cmpstr(peel_test_field_str(t, "ip.src", 1), ==, "192.168.0.1");
    /* The inner header is the one the columns show, as in tshark. */
    g_autofree char *src = peel_test_col_addr(t, false);
    g_assert_cmpstr(src, ==, "192.168.0.1");
    /* The inner IP item is beside the outer one, not inside it. */
    const PeelPacket *pkt = peel_test_packet(t);
    int32_t second = -1;
    for (uint32_t i = 1; i < pkt->n_fields; i++)
        if (pkt->fields[i].id == pkt->fields[0].id)
            second = (int32_t)i;
    g_assert_cmpint(second, >, 0);
    g_assert_cmpint(pkt->fields[second].parent, ==, pkt->fields[0].parent);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ip/header/fields", test_header_fields);
    g_test_add_func("/ip/options/record-route-timestamp-router-alert", test_options_rr_ts_ra);
    g_test_add_func("/ip/options/security", test_options_security);
    g_test_add_func("/ip/options/loose-source-route", test_options_loose_source_route);
    g_test_add_func("/ip/options/bad-lengths", test_options_bad_lengths);
    g_test_add_func("/ip/options/nops-and-unknown", test_options_nops_and_unknown);
    g_test_add_func("/ip/checksum/bad", test_checksum_bad);
    g_test_add_func("/ip/header-length/bogus", test_bogus_header_length);
    g_test_add_func("/ip/total-length/bogus-tso-exceeds", test_total_length);
    g_test_add_func("/ip/truncated", test_truncated);
    g_test_add_func("/ip/header-length/past-end", test_header_longer_than_packet);
    g_test_add_func("/ip/fragments", test_fragments);
    g_test_add_func("/ip/version/bogus", test_bogus_version);
    g_test_add_func("/ip/ttl/notes", test_ttl_notes);
    g_test_add_func("/ip/ip-in-ip", test_ip_in_ip);
    return g_test_run();
}
