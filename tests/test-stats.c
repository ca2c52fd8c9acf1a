/* test-stats.c: the -z reports (cli/stats.c, cli/follow.c): conversation and endpoint
 * tables and follow-stream output against text tshark 4.0 printed for the same traffic,
 * and peel's -z output on samples/ against tests/golden/<capture>.z-<what>.txt.
 *
 * The expected texts of the unit tests were printed by tshark 4.0.17 (-n -q) from small
 * captures holding the packets the tests feed in (built with a script, not committed). */
#include <glib.h>
#include <string.h>
#include <sys/wait.h>

#include "flow.h"
#include "follow.h"
#include "peel-run.h"
#include "peel-test.h"
#include "registry.h"
#include "stats.h"

/* ---- Building input ---- */

static PeelAddr
mac(uint8_t last)
{
    PeelAddr x = { .type = PEEL_AT_ETHER };
    x.bytes[0] = 2;
    x.bytes[5] = last;
    return x;
}

static PeelTime
ms(int64_t millis)
{
    return (PeelTime){ millis / 1000, (int32_t)(millis % 1000) * 1000000 };
}

/* The eight UDP datagrams of the "udp" capture: hosts 10.0.0.x, MAC addresses
 * 02:00:00:00:00:0x (the replies from 10.0.0.2 to 10.0.0.1 kept the request's MACs). */
typedef struct {
    uint8_t src, dst;
    uint16_t sport, dport;
    uint32_t payload;
    uint8_t mac_src, mac_dst;
} Dgram;

static const Dgram udp_capture[] = {
    { 1, 2, 5000, 53, 0, 1, 2 },
    { 2, 1, 53, 5000, 8, 1, 2 },
    { 1, 2, 5000, 53, 16, 1, 2 },
    { 2, 1, 53, 5000, 24, 1, 2 },
    { 1, 2, 5000, 53, 12, 1, 2 },
    { 3, 2, 7, 7, 10, 3, 2 },
    { 2, 3, 7, 7, 15, 2, 3 },
    { 1, 2, 6000, 53, 1, 1, 2 },
};

/* Feeds the capture's layer `kind` to `t`, as the layer walk would. */
static void
feed_udp_capture(PeelConvTable *t, PeelConvKind kind)
{
    for (gsize i = 0; i < G_N_ELEMENTS(udp_capture); i++) {
        const Dgram *d = &udp_capture[i];
        PeelConvHit hit = { .frame_len = 14 + 20 + 8 + d->payload, .rel = ms(250 * (int)i) };
        if (kind == PEEL_CONV_ETH) {
            hit.src = mac(d->mac_src);
            hit.dst = mac(d->mac_dst);
        } else {
            hit.src = peel_test_v4(10, 0, 0, d->src);
            hit.dst = peel_test_v4(10, 0, 0, d->dst);
        }
        if (kind == PEEL_CONV_UDP) {
            hit.sport = d->sport;
            hit.dport = d->dport;
        }
        peel_conv_add_hit(t, &hit);
    }
}

static char *
conv_text(const PeelConvTable *t)
{
    GString *out = g_string_new(NULL);
    peel_conv_print(t, out);
    return g_string_free(out, FALSE);
}

/* ---- Conversations and endpoints ---- */

static void
test_conv_udp(void)
{
    g_autoptr(PeelConvTable) t = peel_conv_new(PEEL_CONV_UDP, false);
    feed_udp_capture(t, PEEL_CONV_UDP);
    g_autofree char *got = conv_text(t);
    g_assert_cmpstr(got, ==,
            "================================================================================\n"
            "UDP Conversations\n"
            "Filter:<No Filter>\n"
            "                                                           |       <-      | |       "
            "->      | |     Total     |    Relative    |   Duration   |\n"
            "                                                           | Frames  Bytes | | "
            "Frames  Bytes | | Frames  Bytes |      Start     |              |\n"
            "10.0.0.1:5000              <-> 10.0.0.2:53                      2 116 bytes       3 "
            "154 bytes       5 270 bytes     0.000000000         1.0000\n"
            "10.0.0.3:7                 <-> 10.0.0.2:7                       1 57 bytes        1 "
            "52 bytes        2 109 bytes     1.250000000         0.2500\n"
            "10.0.0.1:6000              <-> 10.0.0.2:53                      0 0 bytes         1 "
            "43 bytes        1 43 bytes      1.750000000         0.0000\n"
            "================================================================================\n");
}

static void
test_conv_eth(void)
{
    g_autoptr(PeelConvTable) t = peel_conv_new(PEEL_CONV_ETH, false);
    feed_udp_capture(t, PEEL_CONV_ETH);
    g_autofree char *got = conv_text(t);
    g_assert_cmpstr(got, ==,
            "================================================================================\n"
            "Ethernet Conversations\n"
            "Filter:<No Filter>\n"
            "                                               |       <-      | |       ->      | "
            "|     Total     |    Relative    |   Duration   |\n"
            "                                               | Frames  Bytes | | Frames  Bytes | "
            "| Frames  Bytes |      Start     |              |\n"
            "02:00:00:00:00:01    <-> 02:00:00:00:00:02          0 0 bytes         6 313 bytes   "
            "    6 313 bytes     0.000000000         1.7500\n"
            "02:00:00:00:00:03    <-> 02:00:00:00:00:02          1 57 bytes        1 52 bytes    "
            "    2 109 bytes     1.250000000         0.2500\n"
            "================================================================================\n");
}

static void
test_endpoints_udp(void)
{
    g_autoptr(PeelConvTable) t = peel_conv_new(PEEL_CONV_UDP, true);
    feed_udp_capture(t, PEEL_CONV_UDP);
    g_autofree char *got = conv_text(t);
    g_assert_cmpstr(got, ==,
            "================================================================================\n"
            "UDP Endpoints\n"
            "Filter:<No Filter>\n"
            "                       |  Port  ||  Packets  | |  Bytes  | | Tx Packets | | Tx Bytes "
            "| | Rx Packets | | Rx Bytes |\n"
            "10.0.0.2                     53          6           313          2             116 "
            "          4             197   \n"
            "10.0.0.1                   5000          5           270          3             154 "
            "          2             116   \n"
            "10.0.0.3                      7          2           109          1              52 "
            "          1              57   \n"
            "10.0.0.2                      7          2           109          1              57 "
            "          1              52   \n"
            "10.0.0.1                   6000          1            43          1              43 "
            "          0               0   \n"
            "================================================================================\n");
}

/* Sizes in every unit, and tshark's int frame length (a 3e9-byte frame counts negative). */
static void
test_conv_sizes(void)
{
    static const struct {
        int frames;
        uint32_t len;
    } specs[] = { { 1, 9999 }, { 1, 10000 }, { 2, 4999 }, { 1, 999999 }, { 1, 10000000 },
        { 1, 123456789 }, { 3, 2000000000 }, { 1, 3000000000u }, { 5200, 2000000000 } };
    g_autoptr(PeelConvTable) t = peel_conv_new(PEEL_CONV_IPV4, false);
    int k = 0;
    for (gsize i = 0; i < G_N_ELEMENTS(specs); i++) {
        uint8_t host = i == G_N_ELEMENTS(specs) - 1 ? 50 : (uint8_t)i;
        for (int n = 0; n < specs[i].frames; n++, k++) {
            PeelConvHit hit = { .src = peel_test_v4(10, 1, 0, host),
                .dst = peel_test_v4(10, 2, 0, 1),
                .frame_len = specs[i].len,
                .rel = ms(k) };
            peel_conv_add_hit(t, &hit);
        }
    }
    g_autofree char *got = conv_text(t);
    const char *rows = strstr(got, "10.1.0.50");
    g_assert_nonnull(rows);
    g_assert_cmpstr(rows, ==,
            "10.1.0.50            <-> 10.2.0.1                   0 0 bytes      5200 10 TB       "
            " 5200 10 TB         0.011000000         5.1990\n"
            "10.1.0.6             <-> 10.2.0.1                   0 0 bytes         3 6000 MB     "
            "    3 6000 MB       0.007000000         0.0020\n"
            "10.1.0.2             <-> 10.2.0.1                   0 0 bytes         2 9998 bytes  "
            "     2 9998 bytes     0.002000000         0.0010\n"
            "10.1.0.0             <-> 10.2.0.1                   0 0 bytes         1 9999 bytes  "
            "     1 9999 bytes     0.000000000         0.0000\n"
            "10.1.0.1             <-> 10.2.0.1                   0 0 bytes         1 10 kB       "
            "    1 10 kB         0.001000000         0.0000\n"
            "10.1.0.3             <-> 10.2.0.1                   0 0 bytes         1 999 kB      "
            "    1 999 kB        0.004000000         0.0000\n"
            "10.1.0.4             <-> 10.2.0.1                   0 0 bytes         1 10 MB       "
            "    1 10 MB         0.005000000         0.0000\n"
            "10.1.0.5             <-> 10.2.0.1                   0 0 bytes         1 123 MB      "
            "    1 123 MB        0.006000000         0.0000\n"
            "10.1.0.7             <-> 10.2.0.1                   0 0 bytes         1 -1294967296 "
            "bytes       1 -1294967296 bytes     0.010000000         0.0000\n"
            "================================================================================\n");
}

/* TCP rows are per stream: the same ports again in a new stream are a new row. An earlier
 * time seen later moves the start back. */
static void
test_conv_tcp_streams(void)
{
    g_autoptr(PeelConvTable) t = peel_conv_new(PEEL_CONV_TCP, false);
    PeelAddr a = peel_test_v4(192, 168, 0, 1), b = peel_test_v4(192, 168, 0, 2);
    PeelConvHit h = { .src = a, .dst = b, .sport = 40000, .dport = 80, .frame_len = 60 };
    h.rel = ms(1000);
    peel_conv_add_hit(t, &h);
    h.rel = ms(500);
    peel_conv_add_hit(t, &h);
    PeelConvHit back = {
        .src = b, .dst = a, .sport = 80, .dport = 40000, .frame_len = 1500, .rel = ms(2000)
    };
    peel_conv_add_hit(t, &back);
    h.conv_id = 1;
    h.rel = ms(3000);
    peel_conv_add_hit(t, &h);
    g_autofree char *got = conv_text(t);
    const char *rows = strstr(got, "192.168.0.1:40000");
    g_assert_nonnull(rows);
    g_assert_cmpstr(rows, ==,
            "192.168.0.1:40000          <-> 192.168.0.2:80                   1 1500 bytes       2 "
            "120 bytes       3 1620 bytes     0.500000000         1.5000\n"
            "192.168.0.1:40000          <-> 192.168.0.2:80                   0 0 bytes         1 "
            "60 bytes        1 60 bytes      3.000000000         0.0000\n"
            "================================================================================\n");
}

static void
test_empty_tables(void)
{
    g_autoptr(PeelConvTable) t = peel_conv_new(PEEL_CONV_IPV6, true);
    g_autofree char *got = conv_text(t);
    g_assert_cmpstr(got, ==,
            "================================================================================\n"
            "IPv6 Endpoints\n"
            "Filter:<No Filter>\n"
            "                       |  Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx "
            "Packets | | Rx Bytes |\n"
            "================================================================================\n");
}

/* ---- Finding layers in a packet's fields ---- */

typedef struct {
    PeelField fields[32];
    uint8_t bytes[32][16];
    PeelFrameInfo frame;
    PeelPacket pkt;
} FakePacket;

static void
fake_init(FakePacket *p, uint32_t len, int64_t rel_ms)
{
    memset(p, 0, sizeof *p);
    p->frame.len = len;
    p->frame.rel = ms(rel_ms);
    p->pkt.frame = &p->frame;
    p->pkt.fields = p->fields;
}

static PeelField *
fake_add(FakePacket *p, const char *name)
{
    int id = peel_field_lookup(name);
    g_assert_cmpint(id, >=, 0);
    g_assert_cmpuint(p->pkt.n_fields, <, G_N_ELEMENTS(p->fields));
    PeelField *f = &p->fields[p->pkt.n_fields++];
    f->id = (uint32_t)id;
    f->parent = -1;
    return f;
}

static void
fake_proto(FakePacket *p, const char *name)
{
    fake_add(p, name);
}

static void
fake_uint(FakePacket *p, const char *name, uint64_t v)
{
    PeelField *f = fake_add(p, name);
    f->flags = PEEL_FF_HAS_VALUE;
    f->v.u = v;
}

static void
fake_bytes(FakePacket *p, const char *name, const uint8_t *b, uint32_t len)
{
    uint32_t slot = p->pkt.n_fields;
    PeelField *f = fake_add(p, name);
    memcpy(p->bytes[slot], b, len);
    f->flags = PEEL_FF_HAS_VALUE;
    f->v.b.ptr = p->bytes[slot];
    f->v.b.len = len;
}

static void
fake_ip(FakePacket *p, uint32_t src, uint32_t dst)
{
    fake_proto(p, "ip");
    fake_uint(p, "ip.src", src);
    fake_uint(p, "ip.dst", dst);
}

static void
fake_udp(FakePacket *p, uint16_t sport, uint16_t dport)
{
    fake_proto(p, "udp");
    fake_uint(p, "udp.srcport", sport);
    fake_uint(p, "udp.dstport", dport);
}

static char *
rows_of(PeelConvTable *t)
{
    g_autofree char *all = conv_text(t);
    /* Past the separator, title, filter and column header lines. */
    const char *p = all;
    int skip = strstr(all, "Endpoints") != NULL ? 4 : 5;
    for (int i = 0; i < skip; i++)
        p = strchr(p, '\n') + 1;
    return g_strndup(p, strlen(p) - 81);
}

/* ICMP quotes the packet it answers: tshark's taps count the outer headers only. */
static void
test_walk_icmp_quote(void)
{
    static const uint8_t m1[6] = { 2, 0, 0, 0, 0, 1 }, m2[6] = { 2, 0, 0, 0, 0, 2 };
    FakePacket p;
    fake_init(&p, 70, 0);
    fake_proto(&p, "eth");
    fake_bytes(&p, "eth.dst", m2, 6);
    fake_bytes(&p, "eth.src", m1, 6);
    fake_ip(&p, 0x0a000001, 0x0a000002);
    fake_proto(&p, "icmp");
    fake_ip(&p, 0x0a000002, 0x0a000003);
    fake_udp(&p, 53, 999);

    g_autoptr(PeelConvTable) ip = peel_conv_new(PEEL_CONV_IPV4, false);
    g_autoptr(PeelConvTable) udp = peel_conv_new(PEEL_CONV_UDP, false);
    g_autoptr(PeelConvTable) eth = peel_conv_new(PEEL_CONV_ETH, true);
    peel_conv_add(ip, &p.pkt);
    peel_conv_add(udp, &p.pkt);
    peel_conv_add(eth, &p.pkt);
    g_autofree char *ip_rows = rows_of(ip);
    g_autofree char *udp_rows = rows_of(udp);
    g_autofree char *eth_rows = rows_of(eth);
    g_assert_cmpstr(ip_rows, ==,
            "10.0.0.1             <-> 10.0.0.2                   0 0 bytes         1 70 bytes    "
            "    1 70 bytes      0.000000000         0.0000\n");
    g_assert_cmpstr(udp_rows, ==, "");
    g_assert_cmpstr(eth_rows, ==,
            "02:00:00:00:00:01              1            70          1              70          "
            " 0               0   \n"
            "02:00:00:00:00:02              1            70          0               0          "
            " 1              70   \n");
}

/* A tunnel: each IP header counts; the transport takes the innermost addresses. */
static void
test_walk_tunnel(void)
{
    FakePacket p;
    fake_init(&p, 100, 250);
    fake_ip(&p, 0xc0000201, 0xc0000202);
    fake_ip(&p, 0x0a000001, 0x0a000002);
    fake_udp(&p, 1, 2);
    g_autoptr(PeelConvTable) ip = peel_conv_new(PEEL_CONV_IPV4, false);
    g_autoptr(PeelConvTable) udp = peel_conv_new(PEEL_CONV_UDP, true);
    peel_conv_add(ip, &p.pkt);
    peel_conv_add(udp, &p.pkt);
    g_autofree char *ip_rows = rows_of(ip);
    g_autofree char *udp_rows = rows_of(udp);
    g_assert_cmpstr(ip_rows, ==,
            "192.0.2.1            <-> 192.0.2.2                  0 0 bytes         1 100 bytes   "
            "    1 100 bytes     0.250000000         0.0000\n"
            "10.0.0.1             <-> 10.0.0.2                   0 0 bytes         1 100 bytes   "
            "    1 100 bytes     0.250000000         0.0000\n");
    g_assert_cmpstr(udp_rows, ==,
            "10.0.0.1                      1          1           100          1             100 "
            "          0               0   \n"
            "10.0.0.2                      2          1           100          0               0 "
            "          1             100   \n");
}

/* The transport takes the packet's network addresses, which a routing header or source
 * route turns to the final destination (tshark's pinfo->dst); the IP table keeps the
 * header's own. */
static void
test_walk_final_destination(void)
{
    FakePacket p;
    fake_init(&p, 80, 0);
    fake_ip(&p, 0x0a000001, 0x0a000002);
    fake_udp(&p, 1000, 2000);
    p.pkt.net_src = peel_test_v4(10, 0, 0, 1);
    p.pkt.net_dst = peel_test_v4(10, 0, 0, 9);
    g_autoptr(PeelConvTable) ip = peel_conv_new(PEEL_CONV_IPV4, false);
    g_autoptr(PeelConvTable) udp = peel_conv_new(PEEL_CONV_UDP, false);
    peel_conv_add(ip, &p.pkt);
    peel_conv_add(udp, &p.pkt);
    g_autofree char *ip_rows = rows_of(ip);
    g_autofree char *udp_rows = rows_of(udp);
    g_assert_nonnull(strstr(ip_rows, "10.0.0.1             <-> 10.0.0.2 "));
    g_assert_nonnull(strstr(udp_rows, "10.0.0.1:1000              <-> 10.0.0.9:2000 "));
}

/* An IPv6 fragment that leaves its datagram incomplete does not count (tshark 4.0). */
static void
test_walk_ipv6_fragment(void)
{
    uint8_t s[16] = { 0x20, 0x01, 0x0d, 0xb8 }, d[16] = { 0x20, 0x01, 0x0d, 0xb8 };
    s[15] = 1;
    d[15] = 2;
    g_autoptr(PeelConvTable) t = peel_conv_new(PEEL_CONV_IPV6, false);
    FakePacket p;
    fake_init(&p, 86, 0);
    fake_proto(&p, "ipv6");
    fake_bytes(&p, "ipv6.src", s, 16);
    fake_bytes(&p, "ipv6.dst", d, 16);
    fake_uint(&p, "ipv6.fraghdr.offset", 0);
    fake_uint(&p, "ipv6.fraghdr.more", 1);
    peel_conv_add(t, &p.pkt);
    g_autofree char *none = rows_of(t);
    g_assert_cmpstr(none, ==, "");
    if (peel_field_lookup("ipv6.reassembled.length") >= 0) {
        fake_init(&p, 86, 500);
        fake_proto(&p, "ipv6");
        fake_bytes(&p, "ipv6.src", s, 16);
        fake_bytes(&p, "ipv6.dst", d, 16);
        fake_uint(&p, "ipv6.fraghdr.offset", 3);
        fake_uint(&p, "ipv6.fraghdr.more", 0);
        fake_uint(&p, "ipv6.reassembled.length", 48);
        peel_conv_add(t, &p.pkt);
        g_autofree char *one = rows_of(t);
        g_assert_cmpstr(one, ==,
                "2001:db8::1          <-> 2001:db8::2                0 0 bytes         1 86 "
                "bytes        1 86 bytes      0.500000000         0.0000\n");
    }
}

/* Without a tcp.stream field, rows use the packet's flow for the stream. */
static void
test_walk_tcp_flow(void)
{
    g_autoptr(PeelConvTable) t = peel_conv_new(PEEL_CONV_TCP, false);
    PeelFlow flows[2] = { { .id = 0, .ip_proto = 6 }, { .id = 1, .ip_proto = 6 } };
    for (int i = 0; i < 2; i++) {
        FakePacket p;
        fake_init(&p, 54, i * 1000);
        fake_ip(&p, 0x0a000001, 0x0a000002);
        fake_proto(&p, "tcp");
        fake_uint(&p, "tcp.srcport", 40000);
        fake_uint(&p, "tcp.dstport", 80);
        if (peel_field_lookup("tcp.stream") >= 0)
            fake_uint(&p, "tcp.stream", (uint64_t)i);
        p.pkt.flow = &flows[i];
        peel_conv_add(t, &p.pkt);
    }
    g_autofree char *rows = rows_of(t);
    g_assert_cmpstr(rows, ==,
            "10.0.0.1:40000             <-> 10.0.0.2:80                      0 0 bytes         1 "
            "54 bytes        1 54 bytes      0.000000000         0.0000\n"
            "10.0.0.1:40000             <-> 10.0.0.2:80                      0 0 bytes         1 "
            "54 bytes        1 54 bytes      1.000000000         0.0000\n");
}

/* A TCP header field that could not be read: tshark's dissector threw before its tap. (The
 * second packet is a made-up tunnel holding both cases below.) */
static void
test_walk_broken_header(void)
{
    g_autoptr(PeelConvTable) t = peel_conv_new(PEEL_CONV_TCP, false);
    g_autoptr(PeelConvTable) ip = peel_conv_new(PEEL_CONV_IPV4, false);
    FakePacket p;
    fake_init(&p, 60, 0);
    fake_ip(&p, 0x0a000001, 0x0a000002);
    fake_proto(&p, "tcp");
    fake_uint(&p, "tcp.srcport", 40000);
    fake_uint(&p, "tcp.dstport", 80);
    PeelField *opt = fake_add(&p, "tcp.option_kind");
    opt->flags = PEEL_FF_MALFORMED;
    peel_conv_add(t, &p.pkt);
    peel_conv_add(ip, &p.pkt);
    g_autofree char *rows = rows_of(t);
    g_assert_cmpstr(rows, ==, "");
    g_autofree char *ip_rows = rows_of(ip);
    g_assert_nonnull(strstr(ip_rows, "10.0.0.1 "));

    /* A header length under 20 or a UDP length under 8: tshark gives up before its tap. */
    g_autoptr(PeelConvTable) udp = peel_conv_new(PEEL_CONV_UDP, false);
    fake_init(&p, 60, 0);
    fake_ip(&p, 0x0a000001, 0x0a000002);
    fake_proto(&p, "tcp");
    fake_uint(&p, "tcp.srcport", 40000);
    fake_uint(&p, "tcp.dstport", 80);
    fake_uint(&p, "tcp.hdr_len", 16);
    fake_ip(&p, 0x0a000001, 0x0a000002);
    fake_udp(&p, 53, 53);
    fake_uint(&p, "udp.length", 4);
    peel_conv_add(t, &p.pkt);
    peel_conv_add(udp, &p.pkt);
    g_autofree char *tcp_rows = rows_of(t);
    g_autofree char *udp_rows = rows_of(udp);
    g_assert_cmpstr(tcp_rows, ==, "");
    g_assert_cmpstr(udp_rows, ==, "");
}

/* The real dissectors' fields: Ethernet, IPv4, UDP from bytes. */
static void
test_walk_dissected(void)
{
    g_autoptr(PeelTestPacket) t =
            peel_test_dissect_frame_hex(1, "020000000001 020000000002 0800"
                                           "4500002400010000401166c60a0000020a000001"
                                           "003513880010000031323334 35363738");
    g_autoptr(PeelConvTable) udp = peel_conv_new(PEEL_CONV_UDP, false);
    peel_conv_add(udp, peel_test_packet(t));
    g_autofree char *rows = rows_of(udp);
    g_assert_cmpstr(rows, ==,
            "10.0.0.2:53                <-> 10.0.0.1:5000                    0 0 bytes         1 "
            "50 bytes        1 50 bytes      0.000000000         0.0000\n");
}

/* ---- Follow ---- */

static PeelFlow
fake_flow(uint8_t ip_proto, uint32_t id, PeelAddr a, uint16_t pa, PeelAddr b, uint16_t pb)
{
    PeelFlow f = { .id = id, .ip_proto = ip_proto, .addr_type = a.type };
    memcpy(f.addr[0], a.bytes, 16);
    memcpy(f.addr[1], b.bytes, 16);
    f.port[0] = pa;
    f.port[1] = pb;
    return f;
}

static void
chunk(PeelFollow *f, const PeelFlow *flow, int dir, uint32_t frame, const char *data, uint32_t len)
{
    PeelStreamChunk c = { .ip_proto = flow->ip_proto,
        .stream = flow->id,
        .dir = dir,
        .flow = flow,
        .data = (const uint8_t *)data,
        .len = len,
        .frame = frame };
    peel_follow_chunk(f, &c);
}

static char *
follow_text(const PeelFollow *f)
{
    GString *out = g_string_new(NULL);
    peel_follow_print(f, out);
    return g_string_free(out, FALSE);
}

/* The datagrams of the "udp" capture: node 0 sent the first one with payload. */
static PeelFollow *
follow_udp_capture(PeelFollowMode mode)
{
    /* The flow's first packet went 10.0.0.1:5000 -> 10.0.0.2:53 (empty, no chunk). */
    static PeelFlow flow;
    flow = fake_flow(17, 0, peel_test_v4(10, 0, 0, 1), 5000, peel_test_v4(10, 0, 0, 2), 53);
    PeelFlow other = fake_flow(17, 1, peel_test_v4(10, 0, 0, 3), 7, peel_test_v4(10, 0, 0, 2), 7);
    PeelFollow *f = peel_follow_new(17, mode, 0);
    chunk(f, &flow, 0, 1, "", 0);
    chunk(f, &flow, 1, 2, "12345678", 8);
    chunk(f, &other, 0, 6, "same ports", 10);
    chunk(f, &flow, 0, 3, "0123456789abcde ", 16);
    chunk(f, &flow, 1, 4, "0123456 89abcdef0123456 ", 24);
    chunk(f, &flow, 0, 5,
            "\x00\x01\t\x7f\x80\xff"
            "abc\r\nx",
            12);
    return f;
}

static void
test_follow_udp_ascii(void)
{
    g_autoptr(PeelFollow) f = follow_udp_capture(PEEL_FOLLOW_ASCII);
    g_autofree char *got = follow_text(f);
    g_assert_cmpstr(got, ==,
            "\n"
            "===================================================================\n"
            "Follow: udp,ascii\n"
            "Filter: udp.stream eq 0\n"
            "Node 0: 10.0.0.2:53\n"
            "Node 1: 10.0.0.1:5000\n"
            "8\n"
            "12345678\n"
            "\t16\n"
            "0123456789abcde \n"
            "24\n"
            "0123456 89abcdef0123456 \n"
            "\t12\n"
            "......abc\r\n"
            "x\n"
            "===================================================================\n");
}

static void
test_follow_udp_hex(void)
{
    g_autoptr(PeelFollow) f = follow_udp_capture(PEEL_FOLLOW_HEX);
    g_autofree char *got = follow_text(f);
    /* A space ending a line is dropped, even a space of the data, as tshark does. */
    g_assert_cmpstr(got, ==,
            "\n"
            "===================================================================\n"
            "Follow: udp,hex\n"
            "Filter: udp.stream eq 0\n"
            "Node 0: 10.0.0.2:53\n"
            "Node 1: 10.0.0.1:5000\n"
            "00000000  31 32 33 34 35 36 37 38                           12345678\n"
            "\t00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 20  01234567 89abcde\n"
            "00000008  30 31 32 33 34 35 36 20  38 39 61 62 63 64 65 66  0123456  89abcdef\n"
            "00000018  30 31 32 33 34 35 36 20                           0123456 \n"
            "\t00000010  00 01 09 7f 80 ff 61 62  63 0d 0a 78              ......ab c..x\n"
            "===================================================================\n");
}

static void
test_follow_udp_raw(void)
{
    g_autoptr(PeelFollow) f = follow_udp_capture(PEEL_FOLLOW_RAW);
    g_autofree char *got = follow_text(f);
    g_assert_cmpstr(got, ==,
            "\n"
            "===================================================================\n"
            "Follow: udp,raw\n"
            "Filter: udp.stream eq 0\n"
            "Node 0: 10.0.0.2:53\n"
            "Node 1: 10.0.0.1:5000\n"
            "3132333435363738\n"
            "\t30313233343536373839616263646520\n"
            "303132333435362038396162636465663031323334353620\n"
            "\t0001097f80ff6162630d0a78\n"
            "===================================================================\n");
}

/* The "tcp" capture: the server speaks first, 10 client bytes are missing (then acked),
 * a segment comes out of order and a retransmission adds two bytes. */
static PeelFollow *
follow_tcp_capture(PeelFollowMode mode)
{
    static PeelFlow flow;
    flow = fake_flow(6, 0, peel_test_v4(10, 0, 0, 1), 40000, peel_test_v4(10, 0, 0, 2), 80);
    PeelFollow *f = peel_follow_new(6, mode, 0);
    chunk(f, &flow, 1, 4, "220 hello\r\n", 11);
    chunk(f, &flow, 0, 5, "USER x\r\n", 8);
    chunk(f, &flow, 0, 7, NULL, 10);
    chunk(f, &flow, 0, 6, "PASS ", 5); /* one segment handed over in two runs */
    chunk(f, &flow, 0, 6, "y\r\n", 3);
    chunk(f, &flow, 1, 7, "230 ok\r\n", 8);
    chunk(f, &flow, 0, 8, "QUIT\r\n", 6);
    chunk(f, &flow, 1, 10, "221 \r", 5);
    chunk(f, &flow, 1, 9, "world", 5);
    chunk(f, &flow, 1, 11, "!!", 2);
    return f;
}

static void
test_follow_tcp_ascii(void)
{
    g_autoptr(PeelFollow) f = follow_tcp_capture(PEEL_FOLLOW_ASCII);
    g_autofree char *got = follow_text(f);
    g_assert_cmpstr(got, ==,
            "\n"
            "===================================================================\n"
            "Follow: tcp,ascii\n"
            "Filter: tcp.stream eq 0\n"
            "Node 0: 10.0.0.1:40000\n"
            "Node 1: 10.0.0.2:80\n"
            "\t11\n"
            "220 hello\r\n"
            "\n"
            "8\n"
            "USER x\r\n"
            "\n"
            "35\n"
            "[10 bytes missing in capture file].\n"
            "8\n"
            "PASS y\r\n"
            "\n"
            "\t8\n"
            "230 ok\r\n"
            "\n"
            "6\n"
            "QUIT\r\n"
            "\n"
            "\t5\n"
            "221 \r\n"
            "\t5\n"
            "world\n"
            "\t2\n"
            "!!\n"
            "===================================================================\n");
}

static void
test_follow_tcp_hex(void)
{
    g_autoptr(PeelFollow) f = follow_tcp_capture(PEEL_FOLLOW_HEX);
    g_autofree char *got = follow_text(f);
    g_assert_cmpstr(got, ==,
            "\n"
            "===================================================================\n"
            "Follow: tcp,hex\n"
            "Filter: tcp.stream eq 0\n"
            "Node 0: 10.0.0.1:40000\n"
            "Node 1: 10.0.0.2:80\n"
            "\t00000000  32 32 30 20 68 65 6c 6c  6f 0d 0a                 220 hell o..\n"
            "00000000  55 53 45 52 20 78 0d 0a                           USER x..\n"
            "00000008  5b 31 30 20 62 79 74 65  73 20 6d 69 73 73 69 6e  [10 byte s missin\n"
            "00000018  67 20 69 6e 20 63 61 70  74 75 72 65 20 66 69 6c  g in cap ture fil\n"
            "00000028  65 5d 00                                          e].\n"
            "0000002B  50 41 53 53 20 79 0d 0a                           PASS y..\n"
            "\t0000000B  32 33 30 20 6f 6b 0d 0a                           230 ok..\n"
            "00000033  51 55 49 54 0d 0a                                 QUIT..\n"
            "\t00000013  32 32 31 20 0d                                    221 .\n"
            "\t00000018  77 6f 72 6c 64                                    world\n"
            "\t0000001D  21 21                                             !!\n"
            "===================================================================\n");
}

static void
test_follow_tcp_raw(void)
{
    g_autoptr(PeelFollow) f = follow_tcp_capture(PEEL_FOLLOW_RAW);
    g_autofree char *got = follow_text(f);
    g_assert_cmpstr(got, ==,
            "\n"
            "===================================================================\n"
            "Follow: tcp,raw\n"
            "Filter: tcp.stream eq 0\n"
            "Node 0: 10.0.0.1:40000\n"
            "Node 1: 10.0.0.2:80\n"
            "\t3232302068656c6c6f0d0a\n"
            "5553455220780d0a\n"
            "5b3130206279746573206d697373696e6720696e20636170747572652066696c655d00\n"
            "5041535320790d0a\n"
            "\t323330206f6b0d0a\n"
            "515549540d0a\n"
            "\t323231200d\n"
            "\t776f726c64\n"
            "\t2121\n"
            "===================================================================\n");
}

/* A stream never seen, and a TCP stream without payload: tshark names what it knows. */
static void
test_follow_no_data(void)
{
    g_autoptr(PeelFollow) none = peel_follow_new(17, PEEL_FOLLOW_ASCII, 5);
    g_autofree char *got = follow_text(none);
    g_assert_cmpstr(got, ==,
            "\n"
            "===================================================================\n"
            "Follow: udp,ascii\n"
            "Filter: udp.stream eq 5\n"
            "Node 0: :0\n"
            "Node 1: :0\n"
            "===================================================================\n");

    uint8_t lo[16] = { 0 };
    lo[15] = 1;
    PeelAddr a = { .type = PEEL_AT_IPV6 };
    memcpy(a.bytes, lo, 16);
    PeelFlow flow = fake_flow(6, 0, a, 47496, a, 52785);
    g_autoptr(PeelFollow) rst = peel_follow_new(6, PEEL_FOLLOW_HEX, 0);
    PeelPacket pkt = { .flow = &flow };
    peel_follow_packet(rst, &pkt);
    g_autofree char *got2 = follow_text(rst);
    g_assert_cmpstr(got2, ==,
            "\n"
            "===================================================================\n"
            "Follow: tcp,hex\n"
            "Filter: tcp.stream eq 0\n"
            "Node 0: [::1]:47496\n"
            "Node 1: [::1]:52785\n"
            "===================================================================\n");
}

/* Bytes a short snapshot length cut off a segment are skipped silently by tshark: no
 * "missing" chunk for them, only for what was lost beyond them. A segment whose header
 * could not be read names no node. */
static void
test_follow_snaplen(void)
{
    PeelFlow flow =
            fake_flow(6, 0, peel_test_v4(10, 0, 0, 1), 40000, peel_test_v4(10, 0, 0, 2), 80);
    g_autoptr(PeelFollow) f = peel_follow_new(6, PEEL_FOLLOW_ASCII, 0);

    /* Frame 1 from 10.0.0.2 has an unreadable option: it does not make 10.0.0.2 node 0. */
    FakePacket p;
    fake_init(&p, 60, 0);
    fake_ip(&p, 0x0a000002, 0x0a000001);
    fake_proto(&p, "tcp");
    fake_uint(&p, "tcp.srcport", 80);
    PeelField *opt = fake_add(&p, "tcp.option_kind");
    opt->flags = PEEL_FF_TRUNCATED;
    p.pkt.flow = &flow;
    p.pkt.flow_dir = 1;
    p.frame.number = 1;
    peel_follow_packet(f, &p.pkt);

    /* Frame 3: 3 bytes captured of 6; frame 5 comes after 10 more bytes were lost. */
    chunk(f, &flow, 0, 3, "abc", 3);
    fake_init(&p, 60, 0);
    p.frame.number = 3;
    p.frame.cap_len = 57;
    p.pkt.flow = &flow;
    peel_follow_packet(f, &p.pkt);
    chunk(f, &flow, 0, 5, NULL, 13);
    chunk(f, &flow, 0, 5, "data", 4);
    /* Frame 7: the uncaptured tail reported at once, in the segment's own frame. */
    chunk(f, &flow, 0, 7, "xy", 2);
    chunk(f, &flow, 0, 7, NULL, 4);
    chunk(f, &flow, 0, 9, "z", 1);
    g_autofree char *got = follow_text(f);
    g_assert_cmpstr(got, ==,
            "\n"
            "===================================================================\n"
            "Follow: tcp,ascii\n"
            "Filter: tcp.stream eq 0\n"
            "Node 0: 10.0.0.1:40000\n"
            "Node 1: 10.0.0.2:80\n"
            "3\n"
            "abc\n"
            "35\n"
            "[10 bytes missing in capture file].\n"
            "4\n"
            "data\n"
            "2\n"
            "xy\n"
            "1\n"
            "z\n"
            "===================================================================\n");
}

/* tshark names the nodes from the dissected packet: in a tunnel (Teredo) the inner IPv6
 * addresses with the outer UDP ports. */
static void
test_follow_tunnel_nodes(void)
{
    PeelFlow flow =
            fake_flow(17, 0, peel_test_v4(10, 0, 0, 1), 52513, peel_test_v4(192, 0, 2, 1), 3544);
    g_autoptr(PeelFollow) f = peel_follow_new(17, PEEL_FOLLOW_RAW, 0);
    chunk(f, &flow, 0, 1, "\x60", 1);
    PeelFrameInfo frame = { .number = 1, .len = 60, .cap_len = 60 };
    PeelPacket pkt = { .frame = &frame, .flow = &flow, .src_port = 52513, .dst_port = 3544 };
    pkt.net_src.type = pkt.net_dst.type = PEEL_AT_IPV6;
    pkt.net_src.bytes[0] = 0xfe;
    pkt.net_src.bytes[1] = 0x80;
    pkt.net_src.bytes[15] = 1;
    pkt.net_dst.bytes[0] = 0xff;
    pkt.net_dst.bytes[1] = 0x02;
    pkt.net_dst.bytes[15] = 2;
    peel_follow_packet(f, &pkt);
    g_autofree char *got = follow_text(f);
    g_assert_cmpstr(got, ==,
            "\n"
            "===================================================================\n"
            "Follow: udp,raw\n"
            "Filter: udp.stream eq 0\n"
            "Node 0: [fe80::1]:52513\n"
            "Node 1: [ff02::2]:3544\n"
            "60\n"
            "===================================================================\n");
}

/* ---- Arguments ---- */

static void
test_args(void)
{
    static const char *const good[] = { "conv,eth", "conv,ip", "conv,ipv6", "conv,tcp", "conv,udp",
        "endpoints,eth", "endpoints,ip", "endpoints,ipv6", "endpoints,tcp", "endpoints,udp",
        "follow,tcp,ascii,0", "follow,udp,hex,12", "follow,tcp,raw,3" };
    static const char *const bad[] = { "conv,tcp,ip.addr==10.0.0.1", "conv,sctp", "conv",
        "endpoints,ip,", "follow,tcp,ascii", "follow,tcp,ebcdic,0", "follow,sctp,ascii,0",
        "follow,tcp,ascii,1,2-3", "follow,tcp,ascii,-1", "follow,tcp,ascii,x",
        "follow,tcp,ascii,10.0.0.1:80,10.0.0.2:1234", "io,nosuch,1", "" };
    for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
        char *args[] = { (char *)good[i], NULL };
        g_autoptr(GError) error = NULL;
        g_autoptr(PeelStats) s = peel_stats_new(args, NULL, &error);
        g_assert_no_error(error);
        g_assert_nonnull(s);
    }
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        char *args[] = { "conv,ip", (char *)bad[i], NULL };
        g_autoptr(GError) error = NULL;
        g_autoptr(PeelStats) s = peel_stats_new(args, NULL, &error);
        g_assert_null(s);
        g_assert_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG);
    }
}

/* ---- Golden: the peel binary on samples/ ---- */

typedef struct {
    const char *capture;
    const char *what;    /* file name part */
    const char *args[4]; /* -z arguments */
} GoldenCase;

static const GoldenCase golden_cases[] = {
    { "http-curl.pcap", "conv-eth", { "conv,eth" } },
    { "http-curl.pcap", "conv-ip", { "conv,ip" } },
    { "http-curl.pcap", "endpoints-ip", { "endpoints,ip" } },
    { "dns-udp.pcap", "conv-ip", { "conv,ip" } },
    { "dns-udp.pcap", "endpoints-eth", { "endpoints,eth" } },
    { "http-curl.pcap", "conv-tcp", { "conv,tcp" } },
    { "http-curl.pcap", "endpoints-tcp", { "endpoints,tcp" } },
    { "dns-udp.pcap", "conv-udp", { "conv,udp" } },
    { "dns-udp.pcap", "endpoints-udp", { "endpoints,udp" } },
    { "http-ipv6.pcap", "conv-ipv6", { "conv,ipv6" } },
    { "http-ipv6.pcap", "endpoints-tcp", { "endpoints,tcp" } },
    { "ipv6-ping.pcap", "endpoints-ipv6", { "endpoints,ipv6" } },
    { "tcp-lossy.pcap", "conv-tcp", { "conv,tcp" } },
    { "tcp-multi.pcap", "conv-tcp", { "conv,tcp" } }, /* a reused port pair: two rows */
    /* Follow: reassembly (200 KiB body), loss and reordering, port reuse, no payload. */
    { "http-curl.pcap", "follow-tcp-ascii-0", { "follow,tcp,ascii,0" } },
    { "tcp-lossy.pcap", "follow-tcp-ascii-0", { "follow,tcp,ascii,0" } },
    { "tcp-multi.pcap", "follow-tcp-ascii-3", { "follow,tcp,ascii,3" } },
    { "tcp-multi.pcap", "follow-tcp-hex-2", { "follow,tcp,hex,2" } },
    { "tcp-multi.pcap", "follow-tcp-raw-0", { "follow,tcp,raw,0" } },
    { "tcp-reset.pcap", "follow-tcp-ascii-0", { "follow,tcp,ascii,0" } },
    { "dns-udp.pcap", "follow-udp-ascii-0", { "follow,udp,ascii,0" } },
    { "dns-udp.pcap", "follow-udp-hex-1", { "follow,udp,hex,1" } },
    { "dns-udp.pcap", "follow-udp-raw-1", { "follow,udp,raw,1" } },
    /* Several reports: printed last first. */
    { "dns-udp.pcap", "multi", { "conv,ip", "endpoints,udp", "follow,udp,raw,0" } },
};

static void
run_golden(gconstpointer data)
{
    const GoldenCase *c = data;
    if (!peel_run_ready())
        return;
    const char *root = g_getenv("PEEL_SOURCE_ROOT");
    g_autofree char *capture = g_build_filename(root, "samples", c->capture, NULL);
    g_autofree char *out = peel_run_z(capture, c->args, G_N_ELEMENTS(c->args));

    g_autofree char *name = g_strdup_printf("%s.z-%s.txt", c->capture, c->what);
    g_autofree char *golden = g_build_filename(root, "tests", "golden", name, NULL);
    if (g_getenv("PEEL_UPDATE_GOLDEN") != NULL) {
        g_assert_true(g_file_set_contents(golden, out, -1, NULL));
        return;
    }
    g_autofree char *want = NULL;
    if (!g_file_get_contents(golden, &want, NULL, NULL)) {
        g_test_fail_printf("%s is missing", golden);
        return;
    }
    if (strcmp(out, want) != 0) {
        /* Name the first line that differs rather than dumping whole reports. */
        g_auto(GStrv) w = g_strsplit(want, "\n", -1);
        g_auto(GStrv) o = g_strsplit(out, "\n", -1);
        guint i = 0;
        while (w[i] != NULL && o[i] != NULL && strcmp(w[i], o[i]) == 0)
            i++;
        g_test_fail_printf("%s differs at line %u:\n  want: %s\n  got:  %s", name, i + 1,
                w[i] ? w[i] : "(end)", o[i] ? o[i] : "(end)");
    }
}

/* A filter after conv,TYPE is a usage error: exit status 2, a message, no output. */
static void
test_cli_usage(void)
{
    if (g_getenv("PEEL") == NULL || g_getenv("PEEL_SOURCE_ROOT") == NULL) {
        g_test_skip("PEEL is not set (run through meson test)");
        return;
    }
    g_autofree char *capture =
            g_build_filename(g_getenv("PEEL_SOURCE_ROOT"), "samples", "dns-udp.pcap", NULL);
    const char *args[] = { "-q", "-r", capture, "-z", "conv,tcp,ip.addr==127.0.0.1", NULL };
    int status = 0;
    g_autofree char *err = NULL;
    g_autofree char *out = peel_run_capture(args, &status, &err);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 2);
    g_assert_cmpstr(out, ==, "");
    g_assert_nonnull(strstr(err, "conv,tcp,ip.addr==127.0.0.1"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    peel_registry_init();
    g_test_add_func("/stats/conv/udp", test_conv_udp);
    g_test_add_func("/stats/conv/eth", test_conv_eth);
    g_test_add_func("/stats/endpoints/udp", test_endpoints_udp);
    g_test_add_func("/stats/conv/sizes", test_conv_sizes);
    g_test_add_func("/stats/conv/tcp-streams", test_conv_tcp_streams);
    g_test_add_func("/stats/endpoints/empty", test_empty_tables);
    g_test_add_func("/stats/walk/icmp-quote", test_walk_icmp_quote);
    g_test_add_func("/stats/walk/tunnel", test_walk_tunnel);
    g_test_add_func("/stats/walk/final-destination", test_walk_final_destination);
    g_test_add_func("/stats/walk/ipv6-fragment", test_walk_ipv6_fragment);
    g_test_add_func("/stats/walk/tcp-flow", test_walk_tcp_flow);
    g_test_add_func("/stats/walk/broken-header", test_walk_broken_header);
    g_test_add_func("/stats/walk/dissected", test_walk_dissected);
    g_test_add_func("/follow/udp/ascii", test_follow_udp_ascii);
    g_test_add_func("/follow/udp/hex", test_follow_udp_hex);
    g_test_add_func("/follow/udp/raw", test_follow_udp_raw);
    g_test_add_func("/follow/tcp/ascii", test_follow_tcp_ascii);
    g_test_add_func("/follow/tcp/hex", test_follow_tcp_hex);
    g_test_add_func("/follow/tcp/raw", test_follow_tcp_raw);
    g_test_add_func("/follow/no-data", test_follow_no_data);
    g_test_add_func("/follow/snaplen", test_follow_snaplen);
    g_test_add_func("/follow/tunnel-nodes", test_follow_tunnel_nodes);
    g_test_add_func("/stats/args", test_args);
    g_test_add_func("/stats/cli/usage", test_cli_usage);
    for (gsize i = 0; i < G_N_ELEMENTS(golden_cases); i++) {
        g_autofree char *path = g_strdup_printf(
                "/stats/golden/%s/z-%s", golden_cases[i].capture, golden_cases[i].what);
        g_test_add_data_func(path, &golden_cases[i], run_golden);
    }
    return g_test_run();
}
