/* test-proto-link.c: the link-layer dissectors (Ethernet II and 802.3, LLC/SNAP, 802.1Q,
 * 802.1ad, Linux cooked capture v1/v2, Null/Loopback, raw IP, ARP) on hand-built frames:
 * well-formed, cut short by the snapshot length, and lying about their lengths. Expected
 * values are what tshark 4.0 prints for the same bytes, except where a comment says peel
 * has no dissector for the layer above (STP, PPP): there peel shows data. */
#include <string.h>

#include "linktype.h"
#include "peel-test.h"
#include "protos.h"
#include "registry.h"

/* Broadcast from 00:11:22:33:44:55. */
#define ETH_HDR "ffffffffffff 001122334455"
/* Who has 10.0.0.1? Tell 10.0.0.2 (28 bytes). */
#define ARP_REQ "0001 0800 06 04 0001 001122334455 0a000002 000000000000 0a000001"
/* 10.0.0.1 is at 66:55:44:33:22:11, to 00:11:22:33:44:55 (28 bytes). */
#define ARP_REPLY "0001 0800 06 04 0002 665544332211 0a000001 001122334455 0a000002"
#define ZEROS18   "000000000000000000000000000000000000"
/* 46 bytes counting up: a minimum-size payload no dissector claims. */
#define PAYLOAD46                                                                                  \
    "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"                             \
    "2122232425262728292a2b2c2d2e"
/* IPv4 UDP 192.168.0.1:54321 -> 192.168.0.2:53, 8 bytes of payload (36 bytes). */
#define IPV4_UDP                                                                                   \
    "45000024 00010000 4011f975 c0a80001 c0a80002"                                                 \
    "d4310035 0010 0000 0102030405060708"
/* IPv6 UDP fe80::1 -> fe80::2 port 5353, 4 bytes of payload (52 bytes). */
#define IPV6_UDP                                                                                   \
    "60000000 000c1140 fe800000000000000000000000000001 fe800000000000000000000000000002"          \
    "14e914e9 000c0000 deadbeef"

/* The field list is in tree order, as the -V and JSON writers read it: each field's
 * parent is the field before it or one of that field's ancestors. */
static void
assert_tree_order(const PeelPacket *pkt)
{
    for (uint32_t i = 1; i < pkt->n_fields; i++) {
        int32_t want = pkt->fields[i].parent;
        int32_t a = (int32_t)i - 1;
        while (a >= 0 && a != want)
            a = pkt->fields[a].parent;
        g_assert_cmpint(a, ==, want);
    }
    for (uint32_t e = 0; e < pkt->n_experts; e++)
        g_assert_cmpint(pkt->experts[e].field, <, (int32_t)pkt->n_fields);
}

static PeelTestPacket *
frame(int linktype, const char *hex)
{
    PeelTestPacket *t = peel_test_dissect_frame_hex(linktype, hex);
    assert_tree_order(peel_test_packet(t));
    return t;
}

/* ---- Ethernet II ---- */

static void
test_eth_arp_padding(void)
{
    g_autoptr(PeelTestPacket) t = frame(PEEL_LINKTYPE_ETHERNET, ETH_HDR "0806" ARP_REQ ZEROS18);

    g_assert_cmpstr(peel_test_protocols(t), ==, "eth:ethertype:arp");
    g_assert_cmpstr(peel_test_field_str(t, "eth.dst", 0), ==, "ff:ff:ff:ff:ff:ff");
    g_assert_cmpstr(peel_test_field_str(t, "eth.src", 0), ==, "00:11:22:33:44:55");
    g_assert_cmpuint(peel_test_field_count(t, "eth.addr"), ==, 2);
    g_assert_cmpstr(peel_test_field_str(t, "eth.addr", 0), ==, "ff:ff:ff:ff:ff:ff");
    g_assert_cmpstr(peel_test_field_str(t, "eth.addr", 1), ==, "00:11:22:33:44:55");
    g_assert_cmpstr(peel_test_field_str(t, "eth.dst.oui", 0), ==, "16777215");
    g_assert_cmpstr(peel_test_field_str(t, "eth.src.oui", 0), ==, "4386");
    g_assert_cmpstr(peel_test_field_str(t, "eth.addr.oui", 1), ==, "4386");
    g_assert_cmpstr(peel_test_field_str(t, "eth.dst.lg", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "eth.dst.ig", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "eth.src.lg", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "eth.src.ig", 0), ==, "0");
    g_assert_cmpuint(peel_test_field_count(t, "eth.lg"), ==, 2);
    g_assert_cmpstr(peel_test_field_str(t, "eth.lg", 1), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "eth.ig", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "eth.type", 0), ==, "0x0806");
    g_assert_cmpstr(
            peel_test_field_str(t, "eth.padding", 0), ==, "000000000000000000000000000000000000");
    g_assert_cmpuint(peel_test_field_count(t, "eth.trailer"), ==, 0);
    g_assert_cmpuint(peel_test_field_count(t, "eth.fcs"), ==, 0);
    g_assert_cmpstr(peel_test_protocol(t), ==, "ARP");
    g_assert_cmpstr(peel_test_info(t), ==, "Who has 10.0.0.1? Tell 10.0.0.2");
    /* The summary addresses are Ethernet's: ARP sets none. */
    const PeelPacket *pkt = peel_test_packet(t);
    g_assert_nonnull(pkt->col_src);
    g_assert_cmpint(pkt->col_src->type, ==, PEEL_AT_ETHER);
    g_assert_cmpint(pkt->col_dst->bytes[0], ==, 0xff);
    g_assert_false(pkt->malformed);

    /* Layers are drawn side by side; the padding sits under Ethernet's item. */
    int32_t eth = -1, arp = -1, padding = -1;
    for (uint32_t i = 0; i < pkt->n_fields; i++) {
        if (pkt->fields[i].id == (uint32_t)peel_field_lookup("eth"))
            eth = (int32_t)i;
        if (pkt->fields[i].id == (uint32_t)peel_field_lookup("arp"))
            arp = (int32_t)i;
        if (pkt->fields[i].id == (uint32_t)peel_field_lookup("eth.padding"))
            padding = (int32_t)i;
    }
    g_assert_cmpint(eth, >=, 0);
    g_assert_cmpint(arp, >, eth);
    g_assert_cmpint(pkt->fields[eth].parent, ==, -1);
    g_assert_cmpint(pkt->fields[arp].parent, ==, -1);
    g_assert_cmpint(pkt->fields[padding].parent, ==, eth);
    g_assert_cmpuint(pkt->fields[eth].length, ==, 14);
    g_assert_cmpuint(pkt->fields[arp].length, ==, 28);
}

static void
test_eth_fcs(void)
{
    /* 64 bytes: 18 bytes of zero padding, then four bytes Wireshark takes for the FCS. */
    g_autoptr(PeelTestPacket) t =
            frame(PEEL_LINKTYPE_ETHERNET, ETH_HDR "0806" ARP_REQ ZEROS18 "1234abcd");

    g_assert_cmpuint(peel_test_field_count(t, "eth.padding"), ==, 1);
    g_assert_cmpstr(peel_test_field_str(t, "eth.fcs", 0), ==, "0x1234abcd");
    g_assert_cmpstr(peel_test_field_str(t, "eth.fcs.status", 0), ==, "2");
    g_assert_cmpuint(peel_test_field_count(t, "eth.trailer"), ==, 0);
}

static void
test_eth_trailer_not_zero(void)
{
    /* 60 bytes whose last 18 are not zeros: no padding, a trailer, and a note. */
    g_autoptr(PeelTestPacket) t = frame(
            PEEL_LINKTYPE_ETHERNET, ETH_HDR "0806" ARP_REQ "742066726f6d2062726964676500203d3d20");

    g_assert_cmpuint(peel_test_field_count(t, "eth.padding"), ==, 0);
    g_assert_cmpstr(
            peel_test_field_str(t, "eth.trailer", 0), ==, "742066726f6d2062726964676500203d3d20");
    g_assert_cmpuint(peel_test_field_count(t, "eth.fcs"), ==, 0);
    g_assert_true(peel_test_has_expert(t, "Didn't find padding of zeros"));
}

static void
test_eth_trailer_after_padding(void)
{
    /* 70 bytes: 18 of padding, 4 of FCS and 6 of trailer between them. */
    g_autoptr(PeelTestPacket) t =
            frame(PEEL_LINKTYPE_ETHERNET, ETH_HDR "0806" ARP_REQ ZEROS18 "0101080a0000 cafebabe");

    g_assert_cmpuint(peel_test_field_count(t, "eth.padding"), ==, 1);
    g_assert_cmpstr(peel_test_field_str(t, "eth.trailer", 0), ==, "0101080a0000");
    g_assert_cmpstr(peel_test_field_str(t, "eth.fcs", 0), ==, "0xcafebabe");
    g_assert_false(peel_test_has_expert(t, "padding of zeros"));
}

static void
test_eth_fcs_not_captured(void)
{
    /* 100 bytes on the wire, 60 captured: the padding is there, the guessed FCS is not. */
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex_full(
            NULL, PEEL_LINKTYPE_ETHERNET, ETH_HDR "0806" ARP_REQ ZEROS18, 100);

    g_assert_cmpuint(peel_test_field_count(t, "eth.padding"), ==, 1);
    g_assert_cmpuint(peel_test_field_count(t, "eth.trailer"), ==, 0);
    g_assert_cmpuint(peel_test_field_count(t, "eth.fcs"), ==, 0);
    g_assert_cmpuint(peel_test_field_count(t, "eth.fcs.status"), ==, 0);
    g_assert_cmpstr(peel_test_info(t), ==, "Who has 10.0.0.1? Tell 10.0.0.2");
}

static void
test_eth_no_padding_short_frame(void)
{
    /* 42 bytes, shorter than the minimum: nothing after ARP, nothing added. */
    g_autoptr(PeelTestPacket) t = frame(PEEL_LINKTYPE_ETHERNET, ETH_HDR "0806" ARP_REQ);

    g_assert_cmpuint(peel_test_field_count(t, "eth.padding"), ==, 0);
    g_assert_cmpuint(peel_test_field_count(t, "eth.trailer"), ==, 0);
}

static void
test_eth_unknown_type(void)
{
    g_autoptr(PeelTestPacket) named = frame(PEEL_LINKTYPE_ETHERNET, ETH_HDR "88b5" PAYLOAD46);
    g_assert_cmpstr(peel_test_protocols(named), ==, "eth:ethertype:data");
    g_assert_cmpstr(peel_test_protocol(named), ==, "0x88b5");
    g_assert_cmpstr(peel_test_info(named), ==, "Local Experimental Ethertype 1");
    g_assert_cmpstr(peel_test_field_str(named, "data.len", 0), ==, "46");

    g_autoptr(PeelTestPacket) unnamed = frame(PEEL_LINKTYPE_ETHERNET, ETH_HDR "9999" PAYLOAD46);
    g_assert_cmpstr(peel_test_protocol(unnamed), ==, "0x9999");
    g_assert_cmpstr(peel_test_info(unnamed), ==, "Ethernet II");
    g_assert_cmpstr(peel_test_field_str(unnamed, "eth.type", 0), ==, "0x9999");
}

static void
test_eth_src_group(void)
{
    g_autoptr(PeelTestPacket) t =
            frame(PEEL_LINKTYPE_ETHERNET, "001122334455 010000000001 9999" PAYLOAD46);

    g_assert_cmpstr(peel_test_field_str(t, "eth.src.ig", 0), ==, "1");
    g_assert_true(peel_test_has_expert(t, "Source MAC must not be a group address"));
}

static void
test_eth_invalid_lentype(void)
{
    g_autoptr(PeelTestPacket) t = frame(PEEL_LINKTYPE_ETHERNET, ETH_HDR "05dd" PAYLOAD46);

    g_assert_cmpstr(peel_test_field_str(t, "eth.invalid_lentype", 0), ==, "0x05dd");
    g_assert_cmpuint(peel_test_field_count(t, "eth.type"), ==, 0);
    g_assert_cmpstr(peel_test_info(t), ==, "Ethernet Unknown: Invalid length/type: 0x05dd (1501)");
    g_assert_cmpstr(peel_test_protocol(t), ==, "Ethernet");
    g_assert_cmpstr(peel_test_protocols(t), ==, "eth:data");
    g_assert_true(peel_test_has_expert(t, "Invalid length/type: 0x05dd (1501)"));
}

static void
test_eth_truncated(void)
{
    /* The capture holds 10 of 60 bytes: the source address is cut short. */
    g_autoptr(PeelTestPacket) t =
            peel_test_dissect_hex_full(NULL, PEEL_LINKTYPE_ETHERNET, "ffffffffffff 00112233", 60);

    g_assert_cmpstr(peel_test_field_str(t, "eth.dst", 0), ==, "ff:ff:ff:ff:ff:ff");
    g_assert_true(peel_test_field_is_truncated(t, "eth.src"));
    g_assert_false(peel_test_field_is_malformed(t, "eth.src"));
    g_assert_cmpuint(peel_test_field_count(t, "eth.type"), ==, 0);
    g_assert_true(peel_test_has_expert(t, "truncated"));
    g_assert_cmpstr(peel_test_protocol(t), ==, "Ethernet");
    g_assert_cmpstr(peel_test_protocols(t), ==, "eth");
}

static void
test_eth_malformed(void)
{
    /* A whole frame of 13 bytes: too short for the type field. */
    g_autoptr(PeelTestPacket) t = frame(PEEL_LINKTYPE_ETHERNET, ETH_HDR "08");

    g_assert_cmpstr(peel_test_field_str(t, "eth.src", 0), ==, "00:11:22:33:44:55");
    g_assert_true(peel_test_field_is_malformed(t, "eth.type"));
    g_assert_true(peel_test_packet(t)->malformed);
    g_assert_true(peel_test_has_expert(t, "malformed"));
}

/* ---- IEEE 802.3 and LLC ---- */

static void
test_8023_llc_stp(void)
{
    /* A configuration BPDU: length 38, LLC 42/42 UI, 35 bytes of BPDU, 8 of padding. tshark
     * decodes the BPDU as STP; peel has no STP dissector, so it is data here. */
    g_autoptr(PeelTestPacket) t = frame(PEEL_LINKTYPE_ETHERNET,
            "0180c2000000 00503eb4e466 0026 424203"
            "0000 00 00 00 2000 00e0fe699b00 00000004 8000 00102f174e00 8217 0100 1400 0200 0f00"
            "0000000000000000");

    g_assert_cmpstr(peel_test_field_str(t, "eth.len", 0), ==, "38");
    g_assert_cmpuint(peel_test_field_count(t, "eth.type"), ==, 0);
    g_assert_cmpstr(peel_test_field_str(t, "eth.padding", 0), ==, "0000000000000000");
    g_assert_cmpstr(peel_test_field_str(t, "llc.dsap", 0), ==, "0x42");
    g_assert_cmpstr(peel_test_field_str(t, "llc.dsap.sap", 0), ==, "33");
    g_assert_cmpstr(peel_test_field_str(t, "llc.dsap.ig", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "llc.ssap", 0), ==, "0x42");
    g_assert_cmpstr(peel_test_field_str(t, "llc.ssap.cr", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "llc.control", 0), ==, "0x0003");
    g_assert_cmpstr(peel_test_field_str(t, "llc.control.u_modifier_cmd", 0), ==, "0x00");
    g_assert_cmpstr(peel_test_field_str(t, "llc.control.ftype", 0), ==, "0x03");
    g_assert_cmpuint(peel_test_field_count(t, "llc.control.p"), ==, 0);
    g_assert_cmpstr(peel_test_protocols(t), ==, "eth:llc:data");
    g_assert_cmpstr(peel_test_protocol(t), ==, "LLC");
    g_assert_cmpstr(peel_test_info(t), ==,
            "U, func=UI; DSAP Spanning Tree BPDU Individual, SSAP Spanning Tree BPDU Command");
    g_assert_cmpstr(peel_test_field_str(t, "data.len", 0), ==, "35");
}

static void
test_8023_length_past_end(void)
{
    g_autoptr(PeelTestPacket) t = frame(PEEL_LINKTYPE_ETHERNET, ETH_HDR "0100 f0f003" PAYLOAD46);

    g_assert_cmpstr(peel_test_field_str(t, "eth.len", 0), ==, "256");
    g_assert_true(peel_test_has_expert(t, "Length field value goes past the end of the payload"));
    g_assert_true(peel_test_packet(t)->malformed);
    /* LLC still gets what there is. */
    g_assert_cmpstr(peel_test_field_str(t, "llc.dsap", 0), ==, "0xf0");
    g_assert_cmpstr(peel_test_field_str(t, "data.len", 0), ==, "46");
}

static void
test_8023_raw_ipx(void)
{
    g_autoptr(PeelTestPacket) t = frame(PEEL_LINKTYPE_ETHERNET, ETH_HDR "0030 ffff" PAYLOAD46);

    g_assert_cmpstr(peel_test_protocols(t), ==, "eth:data");
    g_assert_cmpstr(peel_test_info(t), ==, "IEEE 802.3 Ethernet Raw ");
    g_assert_cmpuint(peel_test_field_count(t, "llc.dsap"), ==, 0);
}

static void
test_llc_snap_arp(void)
{
    /* RFC 1042: SNAP with OUI 0 carries an ethertype; no "ethertype" in frame.protocols. */
    g_autoptr(PeelTestPacket) t = frame(PEEL_LINKTYPE_ETHERNET,
            ETH_HDR "0024 aaaa03 000000 0806" ARP_REQ "55555555555555555555");

    g_assert_cmpstr(peel_test_protocols(t), ==, "eth:llc:arp");
    g_assert_cmpstr(peel_test_field_str(t, "llc.dsap.sap", 0), ==, "85");
    g_assert_cmpstr(peel_test_field_str(t, "llc.oui", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "llc.type", 0), ==, "0x0806");
    g_assert_cmpuint(peel_test_field_count(t, "llc.pid"), ==, 0);
    g_assert_cmpstr(peel_test_info(t), ==, "Who has 10.0.0.1? Tell 10.0.0.2");
    g_assert_cmpstr(peel_test_protocol(t), ==, "ARP");
    /* The 802.3 length ends the payload; the ten 0x55 bytes are a trailer. */
    g_assert_cmpstr(peel_test_field_str(t, "eth.trailer", 0), ==, "55555555555555555555");
}

static void
test_llc_snap_cisco(void)
{
    g_autoptr(PeelTestPacket) t = frame(
            PEEL_LINKTYPE_ETHERNET, "01000cdddddd 00e0f9cc1800 0030 aaaa03 00000c 0105" PAYLOAD46);

    g_assert_cmpstr(peel_test_field_str(t, "llc.oui", 0), ==, "12");
    g_assert_cmpstr(peel_test_field_str(t, "llc.cisco_pid", 0), ==, "0x0105");
    g_assert_cmpstr(peel_test_protocols(t), ==, "eth:llc:data");
    g_assert_cmpstr(peel_test_info(t), ==,
            "U, func=UI; SNAP, OUI 0x00000C (Cisco Systems, Inc), PID 0x0105");

    g_autoptr(PeelTestPacket) u =
            frame(PEEL_LINKTYPE_ETHERNET, ETH_HDR "0030 aaaa03 123456 0001" PAYLOAD46);
    g_assert_cmpstr(peel_test_field_str(u, "llc.pid", 0), ==, "0x0001");
    g_assert_cmpstr(peel_test_info(u), ==, "U, func=UI; SNAP, OUI 0x123456 (Unknown), PID 0x0001");
}

static void
test_llc_snap_bridged(void)
{
    /* 802.1 bridged Ethernet without FCS: two octets of padding, then an Ethernet frame. */
    g_autoptr(PeelTestPacket) t = frame(PEEL_LINKTYPE_ETHERNET,
            ETH_HDR "0044 aaaa03 0080c2 0007 0000 665544332211 001122334455 0806" ARP_REPLY);

    g_assert_cmpstr(peel_test_field_str(t, "llc.pid", 0), ==, "0x0007");
    g_assert_cmpstr(peel_test_protocols(t), ==, "eth:llc:eth:ethertype:arp");
    g_assert_cmpuint(peel_test_field_count(t, "eth.dst"), ==, 2);
    g_assert_cmpstr(peel_test_field_str(t, "eth.dst", 1), ==, "66:55:44:33:22:11");
    g_assert_cmpstr(peel_test_info(t), ==, "10.0.0.1 is at 66:55:44:33:22:11");
}

static void
test_llc_control_u_poll_final(void)
{
    g_autoptr(PeelTestPacket) t = frame(PEEL_LINKTYPE_ETHERNET, ETH_HDR "0030 e0e1 bf" PAYLOAD46);
    g_assert_cmpstr(
            peel_test_info(t), ==, "U F, func=XID; DSAP NetWare Individual, SSAP NetWare Response");
    g_assert_cmpstr(peel_test_field_str(t, "llc.control", 0), ==, "0x00bf");
    g_assert_cmpstr(peel_test_field_str(t, "llc.control.f", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "llc.control.u_modifier_resp", 0), ==, "0x2b");
    g_assert_cmpuint(peel_test_field_count(t, "llc.control.u_modifier_cmd"), ==, 0);

    g_autoptr(PeelTestPacket) p = frame(PEEL_LINKTYPE_ETHERNET, ETH_HDR "0030 e0e0 13" PAYLOAD46);
    g_assert_cmpstr(
            peel_test_info(p), ==, "U P, func=UI; DSAP NetWare Individual, SSAP NetWare Command");
    g_assert_cmpstr(peel_test_field_str(p, "llc.control.p", 0), ==, "1");
}

static void
test_llc_control_s_i(void)
{
    /* Supervisory and information frames have two little-endian control octets. */
    g_autoptr(PeelTestPacket) s = frame(PEEL_LINKTYPE_ETHERNET, ETH_HDR "0030 e0e1 0103" PAYLOAD46);
    g_assert_cmpstr(peel_test_info(s), ==,
            "S F, func=RR, N(R)=1; DSAP NetWare Individual, SSAP NetWare Response");
    g_assert_cmpstr(peel_test_field_str(s, "llc.control", 0), ==, "0x0301");
    g_assert_cmpstr(peel_test_field_str(s, "llc.control.n_r", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(s, "llc.control.s_ftype", 0), ==, "0x0000");

    g_autoptr(PeelTestPacket) rej =
            frame(PEEL_LINKTYPE_ETHERNET, ETH_HDR "0030 e0e0 0d03" PAYLOAD46);
    g_assert_cmpstr(peel_test_info(rej), ==,
            "S P, func=SREJ, N(R)=1; DSAP NetWare Individual, SSAP NetWare Command");
    g_assert_cmpstr(peel_test_field_str(rej, "llc.control.s_ftype", 0), ==, "0x0003");

    g_autoptr(PeelTestPacket) i = frame(PEEL_LINKTYPE_ETHERNET, ETH_HDR "0030 f0f0 0e05" PAYLOAD46);
    g_assert_cmpstr(peel_test_info(i), ==,
            "I P, N(R)=2, N(S)=7; DSAP NetBIOS Individual, SSAP NetBIOS Command");
    g_assert_cmpstr(peel_test_field_str(i, "llc.control", 0), ==, "0x050e");
    g_assert_cmpstr(peel_test_field_str(i, "llc.control.n_r", 0), ==, "2");
    g_assert_cmpstr(peel_test_field_str(i, "llc.control.n_s", 0), ==, "7");
}

static void
test_llc_ip_sap(void)
{
    g_autoptr(PeelTestPacket) t =
            frame(PEEL_LINKTYPE_ETHERNET, ETH_HDR "0027 060603" IPV4_UDP "0000000000000000000000");
    g_assert_true(g_str_has_prefix(peel_test_protocols(t), "eth:llc:ip"));
}

static void
test_llc_truncated(void)
{
    g_autoptr(PeelTestPacket) t =
            peel_test_dissect_hex_full(NULL, PEEL_LINKTYPE_ETHERNET, ETH_HDR "0030 aa", 64);
    g_assert_cmpstr(peel_test_field_str(t, "llc.dsap", 0), ==, "0xaa");
    g_assert_true(peel_test_field_is_truncated(t, "llc.ssap"));
    g_assert_cmpuint(peel_test_field_count(t, "llc.control"), ==, 0);

    /* The 802.3 length leaves room for the SAPs only: the control field is malformed. */
    g_autoptr(PeelTestPacket) m = frame(PEEL_LINKTYPE_ETHERNET, ETH_HDR "0002 aaaa03" PAYLOAD46);
    g_assert_true(peel_test_field_is_malformed(m, "llc.control"));
    g_assert_cmpuint(peel_test_field_count(m, "llc.oui"), ==, 0);
}

/* ---- 802.1Q and 802.1ad ---- */

static void
test_vlan_arp(void)
{
    g_autoptr(PeelTestPacket) t = frame(PEEL_LINKTYPE_ETHERNET,
            ETH_HDR "8100 3014 0806" ARP_REQ "0000000000000000000000000000");

    g_assert_cmpstr(peel_test_protocols(t), ==, "eth:ethertype:vlan:ethertype:arp");
    g_assert_cmpstr(peel_test_field_str(t, "vlan.priority", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "vlan.dei", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "vlan.id", 0), ==, "20");
    g_assert_cmpstr(peel_test_field_str(t, "vlan.etype", 0), ==, "0x0806");
    /* The padding belongs to the VLAN layer (the innermost that saw the ethertype). */
    g_assert_cmpstr(peel_test_field_str(t, "eth.padding", 0), ==, "0000000000000000000000000000");
    g_assert_cmpuint(peel_test_field_count(t, "vlan.trailer"), ==, 0);
    g_assert_cmpstr(peel_test_info(t), ==, "Who has 10.0.0.1? Tell 10.0.0.2");
}

static void
test_vlan_unknown_type(void)
{
    g_autoptr(PeelTestPacket) t = frame(PEEL_LINKTYPE_ETHERNET, ETH_HDR "8100 5fff 9999" PAYLOAD46);

    g_assert_cmpstr(peel_test_field_str(t, "vlan.id", 0), ==, "4095");
    g_assert_cmpstr(peel_test_protocol(t), ==, "0x9999");
    g_assert_cmpstr(peel_test_info(t), ==, "PRI: 2  DEI: 1  ID: 4095");
}

static void
test_vlan_8023(void)
{
    /* Wireshark's vlan.cap frame 78: a length, SNAP ARP, and ten bytes of 0x55. */
    g_autoptr(PeelTestPacket) t = frame(PEEL_LINKTYPE_ETHERNET,
            "ffffffffffff 00050271fcdb 8100 0014 0024 aaaa03 000000 0806"
            "0001 0800 0604 0001 00050271fcdb 83971448 ffffffffffff 839714fe"
            "55555555555555555555");

    g_assert_cmpstr(peel_test_field_str(t, "vlan.len", 0), ==, "36");
    g_assert_cmpuint(peel_test_field_count(t, "vlan.etype"), ==, 0);
    g_assert_cmpstr(peel_test_field_str(t, "vlan.trailer", 0), ==, "55555555555555555555");
    g_assert_true(peel_test_has_expert(t, "Didn't find padding of zeros"));
    g_assert_cmpstr(peel_test_protocols(t), ==, "eth:ethertype:vlan:llc:arp");
    g_assert_cmpstr(peel_test_info(t), ==, "Who has 131.151.20.254? Tell 131.151.20.72");
}

static void
test_vlan_qinq(void)
{
    /* tcpdump's 802.1ad_QinQ.pcap frame 1. */
    g_autoptr(PeelTestPacket) t = frame(PEEL_LINKTYPE_ETHERNET,
            "ffffffffffff 0020d25afb3f 88a8 00c8 8100 07d1 0806"
            "0001 0800 0604 0001 0020d25afb3f ac154f61 000000000000 ac154f64"
            "00000000000000000000 00000000");

    g_assert_cmpstr(
            peel_test_protocols(t), ==, "eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:arp");
    g_assert_cmpstr(peel_test_field_str(t, "ieee8021ad.id", 0), ==, "200");
    g_assert_cmpstr(peel_test_field_str(t, "ieee8021ad.priority", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "ieee8021ad.dei", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "ieee8021ah.etype", 0), ==, "0x8100");
    g_assert_cmpstr(peel_test_field_str(t, "vlan.id", 0), ==, "2001");
    g_assert_cmpstr(peel_test_field_str(t, "eth.padding", 0), ==, "00000000000000000000");
    g_assert_cmpstr(peel_test_field_str(t, "vlan.trailer", 0), ==, "00000000");
    g_assert_cmpstr(peel_test_info(t), ==, "Who has 172.21.79.100? Tell 172.21.79.97");
}

static void
test_ieee8021ad_double(void)
{
    /* Two 802.1ad tags in a row: an S-VID and a C-VID in one item. */
    g_autoptr(PeelTestPacket) t =
            frame(PEEL_LINKTYPE_ETHERNET, ETH_HDR "88a8 a064 88a8 0065 9999" PAYLOAD46);

    g_assert_cmpstr(peel_test_field_str(t, "ieee8021ad.svid", 0), ==, "100");
    g_assert_cmpstr(peel_test_field_str(t, "ieee8021ad.cvid", 0), ==, "101");
    g_assert_cmpuint(peel_test_field_count(t, "ieee8021ad.priority"), ==, 2);
    g_assert_cmpstr(peel_test_field_str(t, "ieee8021ad.priority", 0), ==, "5");
    g_assert_cmpuint(peel_test_field_count(t, "ieee8021ad.id"), ==, 0);
    g_assert_cmpstr(peel_test_field_str(t, "ieee8021ah.etype", 0), ==, "0x9999");
    g_assert_cmpstr(peel_test_protocol(t), ==, "0x9999");
    g_assert_cmpstr(peel_test_info(t), ==, "PRI: 5  DROP: 0 ID: 100");
    g_assert_cmpstr(peel_test_protocols(t), ==, "eth:ethertype:ieee8021ad:ethertype:data");
}

static void
test_vlan_9100(void)
{
    g_autoptr(PeelTestPacket) t = frame(PEEL_LINKTYPE_ETHERNET, ETH_HDR "9100 0007 0806" ARP_REQ);
    g_assert_cmpstr(peel_test_protocols(t), ==, "eth:ethertype:vlan:ethertype:arp");
    g_assert_cmpstr(peel_test_field_str(t, "vlan.id", 0), ==, "7");
}

static void
test_vlan_truncated(void)
{
    g_autoptr(PeelTestPacket) t =
            peel_test_dissect_hex_full(NULL, PEEL_LINKTYPE_ETHERNET, ETH_HDR "8100 00", 64);
    g_assert_true(peel_test_field_is_truncated(t, "vlan.priority"));
    g_assert_cmpuint(peel_test_field_count(t, "vlan.id"), ==, 0);

    g_autoptr(PeelTestPacket) m = frame(PEEL_LINKTYPE_ETHERNET, ETH_HDR "8100 0014 08");
    g_assert_cmpstr(peel_test_field_str(m, "vlan.id", 0), ==, "20");
    g_assert_true(peel_test_field_is_malformed(m, "vlan.etype"));

    g_autoptr(PeelTestPacket) a = frame(PEEL_LINKTYPE_ETHERNET, ETH_HDR "88a8 00c8 81");
    g_assert_cmpstr(peel_test_field_str(a, "ieee8021ad.id", 0), ==, "200");
    g_assert_true(peel_test_field_is_malformed(a, "ieee8021ah.etype"));
}

static void
test_vlan_too_many_tags(void)
{
    GString *hex = g_string_new(ETH_HDR "8100");
    for (int i = 0; i < 25; i++)
        g_string_append(hex, " 0001 8100");
    g_string_append(hex, " 0001 0806" ARP_REQ);
    g_autoptr(PeelTestPacket) t = frame(PEEL_LINKTYPE_ETHERNET, hex->str);
    g_string_free(hex, TRUE);

    g_assert_true(peel_test_has_expert(t, "Too many nested VLAN tags"));
    g_assert_cmpuint(peel_test_field_count(t, "vlan.id"), ==, 20);
    g_assert_cmpuint(peel_test_field_count(t, "arp.opcode"), ==, 0);
}

/* ---- Linux cooked capture ---- */

static void
test_sll_v1_arp(void)
{
    /* zeek's linuxsll-arp.pcap: a broadcast ARP request with Ethernet padding after it. */
    g_autoptr(PeelTestPacket) t = frame(PEEL_LINKTYPE_LINUX_SLL,
            "0001 0001 0006 cc2de0261999 0000 0806"
            "0001 0800 0604 0001 cc2de0261999 c0a80101 000000000000 c0a801fe"
            "00000000000000000000000000000000 0000");

    g_assert_cmpstr(peel_test_protocols(t), ==, "sll:ethertype:arp");
    g_assert_cmpstr(peel_test_field_str(t, "sll.pkttype", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "sll.hatype", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "sll.halen", 0), ==, "6");
    g_assert_cmpstr(peel_test_field_str(t, "sll.src.eth", 0), ==, "cc:2d:e0:26:19:99");
    g_assert_cmpstr(peel_test_field_str(t, "sll.unused", 0), ==, "0000");
    g_assert_cmpstr(peel_test_field_str(t, "sll.etype", 0), ==, "0x0806");
    g_assert_cmpuint(peel_test_field_count(t, "sll.ltype"), ==, 0);
    g_assert_cmpstr(
            peel_test_field_str(t, "eth.padding", 0), ==, "00000000000000000000000000000000");
    g_assert_cmpstr(peel_test_field_str(t, "sll.trailer", 0), ==, "0000");
    g_assert_cmpstr(peel_test_info(t), ==, "Who has 192.168.1.254? Tell 192.168.1.1");
    const PeelPacket *pkt = peel_test_packet(t);
    g_assert_cmpint(pkt->col_src->type, ==, PEEL_AT_ETHER);
    g_assert_cmpint(pkt->col_dst->type, ==, PEEL_AT_NONE);
}

static void
test_sll_v1_sent_by_us(void)
{
    /* SLL_Simple.pcap: 802.11 frames with protocol 0, which only data takes. */
    g_autoptr(PeelTestPacket) t = frame(PEEL_LINKTYPE_LINUX_SLL,
            "0004 0321 0006 00242b0378f0 0000 0000 40000000ffffffffffff00242b0378f0");

    g_assert_cmpstr(peel_test_protocols(t), ==, "sll:data");
    g_assert_cmpstr(peel_test_protocol(t), ==, "SLL");
    g_assert_cmpstr(peel_test_info(t), ==, "Sent by us");
    g_assert_cmpstr(peel_test_field_str(t, "sll.hatype", 0), ==, "801");
    g_assert_cmpstr(peel_test_field_str(t, "sll.ltype", 0), ==, "0x0000");

    g_autoptr(PeelTestPacket) u =
            frame(PEEL_LINKTYPE_LINUX_SLL, "0009 0321 0006 00242b0378f0 0000 0000 40000000");
    g_assert_cmpstr(peel_test_info(u), ==, "Unknown (9)");
}

static void
test_sll_v1_addresses(void)
{
    g_autoptr(PeelTestPacket) v4 =
            frame(PEEL_LINKTYPE_LINUX_SLL, "0000 0300 0004 c0a80001 00000000 0800" IPV4_UDP);
    g_assert_cmpstr(peel_test_field_str(v4, "sll.src.ipv4", 0), ==, "192.168.0.1");
    g_assert_cmpstr(peel_test_field_str(v4, "sll.unused", 0), ==, "00000000");
    g_assert_true(g_str_has_prefix(peel_test_protocols(v4), "sll:ethertype:ip"));

    g_autoptr(PeelTestPacket) other =
            frame(PEEL_LINKTYPE_LINUX_SLL, "0000 0300 000a 0102030405060708 0800" IPV4_UDP);
    g_assert_cmpstr(peel_test_field_str(other, "sll.src.other", 0), ==, "0102030405060708");
    g_assert_cmpuint(peel_test_field_count(other, "sll.unused"), ==, 0);

    g_autoptr(PeelTestPacket) none =
            frame(PEEL_LINKTYPE_LINUX_SLL, "0000 0300 0000 0000000000000000 0800" IPV4_UDP);
    g_assert_cmpstr(peel_test_field_str(none, "sll.unused", 0), ==, "0000000000000000");
    g_assert_cmpuint(peel_test_field_count(none, "sll.src.eth"), ==, 0);
}

static void
test_sll_v2_llc(void)
{
    /* PcapPlusPlus's Sll2PacketLLC.pcap: a BPDU over 802.2 LLC (STP in tshark, data here). */
    g_autoptr(PeelTestPacket) t = frame(PEEL_LINKTYPE_LINUX_SLL2,
            "0004 0000 00000003 0001 02 06 e01cfcd3b1e1 0000 424203 000002"
            "023c80004c5e0c3ec6dd00004e38");

    g_assert_cmpstr(peel_test_protocols(t), ==, "sll:llc:data");
    g_assert_cmpstr(peel_test_field_str(t, "sll.ltype", 0), ==, "0x0004");
    g_assert_cmpstr(peel_test_field_str(t, "sll.ifindex", 0), ==, "3");
    g_assert_cmpstr(peel_test_field_str(t, "sll.hatype", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "sll.pkttype", 0), ==, "2");
    g_assert_cmpstr(peel_test_field_str(t, "sll.halen", 0), ==, "6");
    g_assert_cmpstr(peel_test_field_str(t, "sll.src.eth", 0), ==, "e0:1c:fc:d3:b1:e1");
    g_assert_cmpstr(peel_test_field_str(t, "llc.dsap", 0), ==, "0x42");
    g_assert_cmpstr(peel_test_protocol(t), ==, "LLC");
}

static void
test_sll_v2_ipv6(void)
{
    g_autoptr(PeelTestPacket) t = frame(
            PEEL_LINKTYPE_LINUX_SLL2, "86dd 0000 00000001 0304 00 06 000000000000 0000" IPV6_UDP);
    g_assert_cmpstr(peel_test_field_str(t, "sll.etype", 0), ==, "0x86dd");
    g_assert_cmpstr(peel_test_field_str(t, "sll.hatype", 0), ==, "772");
    g_assert_true(g_str_has_prefix(peel_test_protocols(t), "sll:ethertype:ipv6"));
}

static void
test_sll_truncated(void)
{
    g_autoptr(PeelTestPacket) t =
            peel_test_dissect_hex_full(NULL, PEEL_LINKTYPE_LINUX_SLL, "0004 0001 0006 00242b", 60);
    g_assert_cmpstr(peel_test_field_str(t, "sll.halen", 0), ==, "6");
    g_assert_true(peel_test_field_is_truncated(t, "sll.src.eth"));
    g_assert_cmpuint(peel_test_field_count(t, "sll.etype"), ==, 0);
    g_assert_cmpstr(peel_test_protocols(t), ==, "sll");

    g_autoptr(PeelTestPacket) v2 =
            peel_test_dissect_hex_full(NULL, PEEL_LINKTYPE_LINUX_SLL2, "0800 00", 60);
    g_assert_cmpstr(peel_test_field_str(v2, "sll.etype", 0), ==, "0x0800");
    g_assert_true(peel_test_field_is_truncated(v2, "sll.ifindex"));

    g_autoptr(PeelTestPacket) m = frame(PEEL_LINKTYPE_LINUX_SLL, "0004 0001 0006 00242b0378f0 00");
    g_assert_true(peel_test_field_is_malformed(m, "sll.unused"));
}

/* ---- Null/Loopback and raw IP ---- */

static void
test_null_host_order(void)
{
    /* Little-endian AF_INET, as written on x86. */
    g_autoptr(PeelTestPacket) le = frame(PEEL_LINKTYPE_NULL, "02000000" IPV4_UDP);
    g_assert_cmpstr(peel_test_field_str(le, "null.family", 0), ==, "2");
    g_assert_true(g_str_has_prefix(peel_test_protocols(le), "null:ip:"));

    /* Big-endian AF_INET6 (Darwin's 30), as written on a big-endian host. */
    g_autoptr(PeelTestPacket) be = frame(PEEL_LINKTYPE_NULL, "0000001e" IPV6_UDP);
    g_assert_cmpstr(peel_test_field_str(be, "null.family", 0), ==, "30");
    g_assert_true(g_str_has_prefix(peel_test_protocols(be), "null:ipv6:"));

    /* FreeBSD's 28 and the BSDs' 24 are IPv6 as well. */
    g_autoptr(PeelTestPacket) bsd = frame(PEEL_LINKTYPE_NULL, "18000000" IPV6_UDP);
    g_assert_cmpstr(peel_test_field_str(bsd, "null.family", 0), ==, "24");
    g_assert_true(g_str_has_prefix(peel_test_protocols(bsd), "null:ipv6:"));
}

static void
test_null_ethertype(void)
{
    /* PcapPlusPlus's null_loopback.pcap frame 3: an old Linux header with an ethertype. */
    g_autoptr(PeelTestPacket) t = frame(PEEL_LINKTYPE_NULL, "0f000800" IPV4_UDP);
    g_assert_cmpstr(peel_test_field_str(t, "null.type", 0), ==, "0x0800");
    g_assert_cmpuint(peel_test_field_count(t, "null.family"), ==, 0);
    g_assert_true(g_str_has_prefix(peel_test_protocols(t), "null:ip:"));
}

static void
test_null_irix(void)
{
    /* IRIX: a 16-bit family in the first two bytes, big-endian. */
    g_autoptr(PeelTestPacket) t = frame(PEEL_LINKTYPE_NULL, "00020000" IPV4_UDP);
    g_assert_cmpstr(peel_test_field_str(t, "null.family", 0), ==, "2");
    g_assert_true(g_str_has_prefix(peel_test_protocols(t), "null:ip:"));
}

static void
test_null_other_family(void)
{
    g_autoptr(PeelTestPacket) t = frame(PEEL_LINKTYPE_NULL, "63000000" PAYLOAD46);
    g_assert_cmpstr(peel_test_field_str(t, "null.family", 0), ==, "99");
    g_assert_cmpstr(peel_test_protocols(t), ==, "null:data");
    g_assert_cmpstr(peel_test_protocol(t), ==, "N/A");
    g_assert_cmpstr(peel_test_info(t), ==, "Null/Loopback");
}

static void
test_loop_network_order(void)
{
    g_autoptr(PeelTestPacket) v4 = frame(PEEL_LINKTYPE_LOOP, "00000002" IPV4_UDP);
    g_assert_cmpstr(peel_test_field_str(v4, "null.family", 0), ==, "2");
    g_assert_true(g_str_has_prefix(peel_test_protocols(v4), "null:ip:"));

    /* LOOP is never byte-swapped nor read as an ethertype. */
    g_autoptr(PeelTestPacket) le = frame(PEEL_LINKTYPE_LOOP, "02000000" IPV4_UDP);
    g_assert_cmpstr(peel_test_field_str(le, "null.family", 0), ==, "33554432");
    g_assert_cmpstr(peel_test_protocols(le), ==, "null:data");
    g_assert_cmpstr(peel_test_info(le), ==, "Null/Loopback");

    g_autoptr(PeelTestPacket) et = frame(PEEL_LINKTYPE_LOOP, "00000800" IPV4_UDP);
    g_assert_cmpstr(peel_test_field_str(et, "null.family", 0), ==, "2048");
    g_assert_cmpuint(peel_test_field_count(et, "null.type"), ==, 0);
}

static void
test_null_truncated(void)
{
    g_autoptr(PeelTestPacket) t =
            peel_test_dissect_hex_full(NULL, PEEL_LINKTYPE_NULL, "020000", 40);
    g_assert_true(peel_test_field_is_truncated(t, "null.family"));
    g_assert_cmpstr(peel_test_protocols(t), ==, "null");

    g_autoptr(PeelTestPacket) m = frame(PEEL_LINKTYPE_LOOP, "0000");
    g_assert_true(peel_test_field_is_malformed(m, "null.family"));
}

static void
test_raw(void)
{
    g_autoptr(PeelTestPacket) v4 = frame(PEEL_LINKTYPE_RAW, IPV4_UDP);
    g_assert_true(g_str_has_prefix(peel_test_protocols(v4), "raw:ip:"));

    g_autoptr(PeelTestPacket) v6 = frame(PEEL_LINKTYPE_RAW, IPV6_UDP);
    g_assert_true(g_str_has_prefix(peel_test_protocols(v6), "raw:ipv6:"));

    /* BSD's DLT_RAW numbers. */
    g_autoptr(PeelTestPacket) bsd = frame(12, IPV4_UDP);
    g_assert_true(g_str_has_prefix(peel_test_protocols(bsd), "raw:ip:"));

    g_autoptr(PeelTestPacket) other = frame(PEEL_LINKTYPE_RAW, "5011223344556677");
    g_assert_cmpstr(peel_test_protocols(other), ==, "raw:data");
    g_assert_cmpstr(peel_test_protocol(other), ==, "N/A");
    g_assert_cmpstr(peel_test_info(other), ==, "Raw packet data");

    /* Linux ISDN: ten zero bytes before the IP header. */
    g_autoptr(PeelTestPacket) isdn = frame(PEEL_LINKTYPE_RAW, "00000000000000000000" IPV4_UDP);
    g_assert_true(g_str_has_prefix(peel_test_protocols(isdn), "raw:ip:"));

    /* PPP in HDLC framing: tshark decodes PPP ("raw:ppp:ip"), peel has no PPP: data. */
    g_autoptr(PeelTestPacket) ppp = frame(PEEL_LINKTYPE_RAW, "ff030021" IPV4_UDP);
    g_assert_cmpstr(peel_test_protocols(ppp), ==, "raw:data");
}

static void
test_raw_linktype_ip(void)
{
    /* LINKTYPE_IPV4/IPV6: Wireshark goes straight to IP, with no raw item. */
    g_autoptr(PeelTestPacket) v4 = frame(PEEL_LINKTYPE_IPV4, IPV4_UDP);
    g_assert_true(g_str_has_prefix(peel_test_protocols(v4), "ip:"));
    g_assert_cmpuint(peel_test_field_count(v4, "raw"), ==, 0);
    g_assert_cmpuint(peel_test_field_count(v4, "ip"), ==, 1);
    /* IP's item is a top-level item, as the link layer's would be. */
    const PeelPacket *pkt = peel_test_packet(v4);
    int ip = peel_field_lookup("ip");
    for (uint32_t i = 0; i < pkt->n_fields; i++)
        if (pkt->fields[i].id == (uint32_t)ip)
            g_assert_cmpint(pkt->fields[i].parent, ==, -1);

    g_autoptr(PeelTestPacket) v6 = frame(PEEL_LINKTYPE_IPV6, IPV6_UDP);
    g_assert_true(g_str_has_prefix(peel_test_protocols(v6), "ipv6:"));
    g_assert_cmpuint(peel_test_field_count(v6, "raw"), ==, 0);

    /* By link type, not version: IPv6 bytes under LINKTYPE_IPV4 go to IPv4 first. */
    g_autoptr(PeelTestPacket) odd = frame(PEEL_LINKTYPE_IPV4, IPV6_UDP);
    g_assert_true(g_str_has_prefix(peel_test_protocols(odd), "ip"));
    g_assert_cmpuint(peel_test_field_count(odd, "ip"), ==, 1);
}

/* ---- ARP ---- */

static PeelTestPacket *
arp(const char *body)
{
    g_autofree char *hex = g_strconcat(ETH_HDR "0806", body, NULL);
    return frame(PEEL_LINKTYPE_ETHERNET, hex);
}

static void
test_arp_request(void)
{
    g_autoptr(PeelTestPacket) t = arp(ARP_REQ);

    g_assert_cmpstr(peel_test_field_str(t, "arp.hw.type", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "arp.proto.type", 0), ==, "0x0800");
    g_assert_cmpstr(peel_test_field_str(t, "arp.hw.size", 0), ==, "6");
    g_assert_cmpstr(peel_test_field_str(t, "arp.proto.size", 0), ==, "4");
    g_assert_cmpstr(peel_test_field_str(t, "arp.opcode", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "arp.src.hw_mac", 0), ==, "00:11:22:33:44:55");
    g_assert_cmpstr(peel_test_field_str(t, "arp.src.proto_ipv4", 0), ==, "10.0.0.2");
    g_assert_cmpstr(peel_test_field_str(t, "arp.dst.hw_mac", 0), ==, "00:00:00:00:00:00");
    g_assert_cmpstr(peel_test_field_str(t, "arp.dst.proto_ipv4", 0), ==, "10.0.0.1");
    g_assert_cmpuint(peel_test_field_count(t, "arp.isgratuitous"), ==, 0);
    g_assert_cmpuint(peel_test_field_count(t, "arp.isprobe"), ==, 0);
    g_assert_cmpstr(peel_test_info(t), ==, "Who has 10.0.0.1? Tell 10.0.0.2");
    g_assert_cmpstr(peel_test_protocol(t), ==, "ARP");
}

static void
test_arp_reply(void)
{
    g_autoptr(PeelTestPacket) t = arp(ARP_REPLY);
    g_assert_cmpstr(peel_test_field_str(t, "arp.opcode", 0), ==, "2");
    g_assert_cmpstr(peel_test_info(t), ==, "10.0.0.1 is at 66:55:44:33:22:11");
}

static void
test_arp_gratuitous(void)
{
    g_autoptr(PeelTestPacket) reply =
            arp("0001 0800 0604 0002 001122334455 0a000001 ffffffffffff 0a000001");
    g_assert_cmpstr(peel_test_field_str(reply, "arp.isgratuitous", 0), ==, "1");
    g_assert_cmpuint(peel_test_field_count(reply, "arp.isannouncement"), ==, 0);
    g_assert_cmpstr(peel_test_info(reply), ==, "Gratuitous ARP for 10.0.0.1 (Reply)");

    g_autoptr(PeelTestPacket) request =
            arp("0001 0800 0604 0001 001122334455 0a000001 ffffffffffff 0a000001");
    g_assert_cmpstr(peel_test_field_str(request, "arp.isgratuitous", 0), ==, "1");
    g_assert_cmpstr(peel_test_info(request), ==, "Gratuitous ARP for 10.0.0.1 (Request)");

    g_autoptr(PeelTestPacket) announce =
            arp("0001 0800 0604 0001 001122334455 0a000001 000000000000 0a000001");
    g_assert_cmpstr(peel_test_field_str(announce, "arp.isgratuitous", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(announce, "arp.isannouncement", 0), ==, "1");
    g_assert_cmpstr(peel_test_info(announce), ==, "ARP Announcement for 10.0.0.1");
}

static void
test_arp_probe(void)
{
    g_autoptr(PeelTestPacket) t =
            arp("0001 0800 0604 0001 001122334455 00000000 000000000000 0a000001");
    g_assert_cmpstr(peel_test_field_str(t, "arp.isprobe", 0), ==, "1");
    g_assert_cmpuint(peel_test_field_count(t, "arp.isgratuitous"), ==, 0);
    g_assert_cmpstr(peel_test_info(t), ==, "Who has 10.0.0.1? (ARP Probe)");
}

static void
test_arp_other_opcodes(void)
{
    g_autoptr(PeelTestPacket) rarp =
            arp("0001 0800 0604 0003 001122334455 0a000002 665544332211 0a000001");
    g_assert_cmpstr(peel_test_protocol(rarp), ==, "RARP");
    g_assert_cmpstr(peel_test_info(rarp), ==, "Who is 66:55:44:33:22:11? Tell 00:11:22:33:44:55");

    g_autoptr(PeelTestPacket) inv =
            arp("0001 0800 0604 0009 001122334455 0a000002 665544332211 0a000001");
    g_assert_cmpstr(peel_test_protocol(inv), ==, "Inverse ARP");
    g_assert_cmpstr(peel_test_info(inv), ==, "00:11:22:33:44:55 is at 10.0.0.2");

    g_autoptr(PeelTestPacket) unknown =
            arp("0001 0800 0604 0063 001122334455 0a000002 665544332211 0a000001");
    g_assert_cmpstr(peel_test_protocol(unknown), ==, "ARP");
    g_assert_cmpstr(peel_test_info(unknown), ==, "Unknown ARP opcode 0x0063");

    g_autoptr(PeelTestPacket) drarp =
            arp("0001 0800 0604 0007 001122334455 0a000002 665544332211 02000000");
    g_assert_cmpstr(peel_test_protocol(drarp), ==, "DRARP");
    g_assert_cmpstr(peel_test_field_str(drarp, "arp.dst.drarp_error_status", 0), ==, "2");
    g_assert_cmpuint(peel_test_field_count(drarp, "arp.dst.proto_ipv4"), ==, 0);
}

static void
test_arp_other_sizes(void)
{
    /* Eight-byte hardware and six-byte protocol addresses: generic byte fields. */
    g_autoptr(PeelTestPacket) t = arp("0001 86dd 08 06 0002 0011223344556677 0a0000020304"
                                      "8877665544332211 0a0000010304");
    g_assert_cmpstr(peel_test_field_str(t, "arp.src.hw", 0), ==, "0011223344556677");
    g_assert_cmpstr(peel_test_field_str(t, "arp.src.proto", 0), ==, "0a0000020304");
    g_assert_cmpstr(peel_test_field_str(t, "arp.dst.hw", 0), ==, "8877665544332211");
    g_assert_cmpstr(peel_test_field_str(t, "arp.dst.proto", 0), ==, "0a0000010304");
    g_assert_cmpuint(peel_test_field_count(t, "arp.src.hw_mac"), ==, 0);
    g_assert_cmpstr(peel_test_info(t), ==, "0a0000020304 is at 0011223344556677");

    g_autoptr(PeelTestPacket) none = arp("0001 0800 00 00 0001");
    g_assert_cmpstr(peel_test_info(none), ==, "Who has <No address>? Tell <No address>");
    g_assert_cmpuint(peel_test_field_count(none, "arp.src.hw"), ==, 0);
}

static void
test_arp_truncated(void)
{
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex_full(
            NULL, PEEL_LINKTYPE_ETHERNET, ETH_HDR "0806 0001 0800 0604 0001 001122334455 0a00", 60);
    g_assert_cmpstr(peel_test_field_str(t, "arp.src.hw_mac", 0), ==, "00:11:22:33:44:55");
    g_assert_true(peel_test_field_is_truncated(t, "arp.src.proto_ipv4"));
    g_assert_cmpuint(peel_test_field_count(t, "arp.dst.hw_mac"), ==, 0);
    g_assert_cmpstr(peel_test_protocol(t), ==, "ARP");
    g_assert_cmpstr(peel_test_info(t), ==, "");

    /* The frame ends before the target address: the packet itself is short. */
    g_autoptr(PeelTestPacket) m = arp("0001 0800 0604 0001 001122334455 0a000002 0000");
    g_assert_true(peel_test_field_is_malformed(m, "arp.dst.hw_mac"));
    g_assert_true(peel_test_packet(m)->malformed);

    g_autoptr(PeelTestPacket) h = arp("0001 08");
    g_assert_true(peel_test_field_is_malformed(h, "arp.proto.type"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/eth/ii/arp-padding", test_eth_arp_padding);
    g_test_add_func("/eth/ii/fcs", test_eth_fcs);
    g_test_add_func("/eth/ii/trailer-not-zero", test_eth_trailer_not_zero);
    g_test_add_func("/eth/ii/trailer-after-padding", test_eth_trailer_after_padding);
    g_test_add_func("/eth/ii/fcs-not-captured", test_eth_fcs_not_captured);
    g_test_add_func("/eth/ii/short-frame", test_eth_no_padding_short_frame);
    g_test_add_func("/eth/ii/unknown-type", test_eth_unknown_type);
    g_test_add_func("/eth/ii/src-group", test_eth_src_group);
    g_test_add_func("/eth/invalid-lentype", test_eth_invalid_lentype);
    g_test_add_func("/eth/truncated", test_eth_truncated);
    g_test_add_func("/eth/malformed", test_eth_malformed);
    g_test_add_func("/eth/8023/llc-stp", test_8023_llc_stp);
    g_test_add_func("/eth/8023/length-past-end", test_8023_length_past_end);
    g_test_add_func("/eth/8023/raw-ipx", test_8023_raw_ipx);
    g_test_add_func("/llc/snap/arp", test_llc_snap_arp);
    g_test_add_func("/llc/snap/cisco", test_llc_snap_cisco);
    g_test_add_func("/llc/snap/bridged", test_llc_snap_bridged);
    g_test_add_func("/llc/control/u-poll-final", test_llc_control_u_poll_final);
    g_test_add_func("/llc/control/s-i", test_llc_control_s_i);
    g_test_add_func("/llc/sap/ip", test_llc_ip_sap);
    g_test_add_func("/llc/truncated", test_llc_truncated);
    g_test_add_func("/vlan/arp", test_vlan_arp);
    g_test_add_func("/vlan/unknown-type", test_vlan_unknown_type);
    g_test_add_func("/vlan/8023", test_vlan_8023);
    g_test_add_func("/vlan/qinq", test_vlan_qinq);
    g_test_add_func("/vlan/9100", test_vlan_9100);
    g_test_add_func("/vlan/truncated", test_vlan_truncated);
    g_test_add_func("/vlan/too-many-tags", test_vlan_too_many_tags);
    g_test_add_func("/ieee8021ad/s-c-tags", test_ieee8021ad_double);
    g_test_add_func("/sll/v1/arp", test_sll_v1_arp);
    g_test_add_func("/sll/v1/sent-by-us", test_sll_v1_sent_by_us);
    g_test_add_func("/sll/v1/addresses", test_sll_v1_addresses);
    g_test_add_func("/sll/v2/llc", test_sll_v2_llc);
    g_test_add_func("/sll/v2/ipv6", test_sll_v2_ipv6);
    g_test_add_func("/sll/truncated", test_sll_truncated);
    g_test_add_func("/null/host-order", test_null_host_order);
    g_test_add_func("/null/ethertype", test_null_ethertype);
    g_test_add_func("/null/irix", test_null_irix);
    g_test_add_func("/null/other-family", test_null_other_family);
    g_test_add_func("/null/loop", test_loop_network_order);
    g_test_add_func("/null/truncated", test_null_truncated);
    g_test_add_func("/raw/versions", test_raw);
    g_test_add_func("/raw/linktype-ip", test_raw_linktype_ip);
    g_test_add_func("/arp/request", test_arp_request);
    g_test_add_func("/arp/reply", test_arp_reply);
    g_test_add_func("/arp/gratuitous", test_arp_gratuitous);
    g_test_add_func("/arp/probe", test_arp_probe);
    g_test_add_func("/arp/other-opcodes", test_arp_other_opcodes);
    g_test_add_func("/arp/other-sizes", test_arp_other_sizes);
    g_test_add_func("/arp/truncated", test_arp_truncated);
    return g_test_run();
}
