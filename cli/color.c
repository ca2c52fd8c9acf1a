/* color.c: Wireshark 4.0's default colouring rules (/usr/share/wireshark/colorfilters)
 * evaluated over the flat field list, for --color summary lines.
 *
 * Each rule's filter is written out in C below with Wireshark's semantics ("a == x": some
 * occurrence equals x; "a != x": no occurrence equals x). Rules on protocols peel does not
 * dissect (HSRP, STP, OSPF, SCTP, SMB, DCERPC, routing protocols, systemd journal) never
 * match; the HTTP rule matches http, http2 and TCP port 80 once those are dissected. */
#include "color.h"

#include <string.h>

#include "registry.h"

enum {
    R_BAD_TCP,
    R_HSRP,
    R_STP,
    R_OSPF,
    R_ICMP_ERRORS,
    R_ARP,
    R_ICMP,
    R_TCP_RST,
    R_SCTP_ABORT,
    R_TTL,
    R_CHECKSUM,
    R_SMB,
    R_HTTP,
    R_DCERPC,
    R_ROUTING,
    R_SYN_FIN,
    R_TCP,
    R_UDP,
    R_BROADCAST,
    R_SYSTEM,
    N_RULES
};

static const PeelColorRule rules[N_RULES] = {
    [R_BAD_TCP] = { "Bad TCP",
            "tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && "
            "!tcp.analysis.keep_alive_ack",
            { 4718, 10030, 11796 }, { 63479, 34695, 34695 } },
    [R_HSRP] = { "HSRP State Change", "hsrp.state != 8 && hsrp.state != 16",
            { 4718, 10030, 11796 }, { 65535, 64764, 40092 } },
    [R_STP] = { "Spanning Tree Topology  Change", "stp.type == 0x80", { 4718, 10030, 11796 },
            { 65535, 64764, 40092 } },
    [R_OSPF] = { "OSPF State Change", "ospf.msg != 1", { 4718, 10030, 11796 },
            { 65535, 64764, 40092 } },
    [R_ICMP_ERRORS] = { "ICMP errors", "icmp.type in { 3..5, 11 } || icmpv6.type in { 1..4 }",
            { 4718, 10030, 11796 }, { 47031, 63479, 29812 } },
    [R_ARP] = { "ARP", "arp", { 64250, 61680, 55255 }, { 4718, 10030, 11796 } },
    [R_ICMP] = { "ICMP", "icmp || icmpv6", { 64764, 57568, 65535 }, { 4718, 10030, 11796 } },
    [R_TCP_RST] = { "TCP RST", "tcp.flags.reset eq 1", { 42148, 0, 0 },
            { 65535, 64764, 40092 } },
    [R_SCTP_ABORT] = { "SCTP ABORT", "sctp.chunk_type eq ABORT", { 42148, 0, 0 },
            { 65535, 64764, 40092 } },
    [R_TTL] = { "TTL low or unexpected",
            "(ip.dst != 224.0.0.0/4 && ip.ttl < 5 && !pim && !ospf) || (ip.dst == 224.0.0.0/24 "
            "&& ip.dst != 224.0.0.251 && ip.ttl != 1 && !(vrrp || carp))",
            { 42148, 0, 0 }, { 60652, 61680, 60395 } },
    [R_CHECKSUM] = { "Checksum Errors",
            "eth.fcs.status==\"Bad\" || ip.checksum.status==\"Bad\" || tcp.checksum.status==\"Bad\" "
            "|| udp.checksum.status==\"Bad\" || ...",
            { 4718, 10030, 11796 }, { 63479, 34695, 34695 } },
    [R_SMB] = { "SMB", "smb || nbss || nbns || netbios", { 65278, 65535, 53456 },
            { 4718, 10030, 11796 } },
    [R_HTTP] = { "HTTP", "http || tcp.port == 80 || http2", { 58596, 65535, 51143 },
            { 4718, 10030, 11796 } },
    [R_DCERPC] = { "DCERPC", "dcerpc", { 51199, 38706, 65533 }, { 4718, 10030, 11796 } },
    [R_ROUTING] = { "Routing",
            "hsrp || eigrp || ospf || bgp || cdp || vrrp || carp || gvrp || igmp || ismp",
            { 65534, 62325, 54808 }, { 4718, 10030, 11796 } },
    [R_SYN_FIN] = { "TCP SYN/FIN", "tcp.flags & 0x02 || tcp.flags.fin == 1",
            { 41026, 41026, 41026 }, { 4718, 10030, 11796 } },
    [R_TCP] = { "TCP", "tcp", { 59345, 58980, 65535 }, { 4718, 10030, 11796 } },
    [R_UDP] = { "UDP", "udp", { 56026, 61166, 65535 }, { 4718, 10030, 11796 } },
    [R_BROADCAST] = { "Broadcast", "eth[0] & 1", { 65535, 65535, 65535 },
            { 47802, 48573, 46774 } },
    [R_SYSTEM] = { "System Event", "systemd_journal || sysdig", { 59110, 59110, 59110 },
            { 11565, 28527, 39578 } },
};

const PeelColorRule *
peel_color_rules(guint *n)
{
    *n = N_RULES;
    return rules;
}

/* Field ids the rules read; -1 for fields peel does not have. */
typedef struct {
    int a_flags, a_win_update, a_keep_alive, a_keep_alive_ack;
    int icmp, icmp_type, icmpv6, icmpv6_type, arp;
    int tcp, tcp_reset, tcp_syn, tcp_fin, tcp_port, udp;
    int ip_dst, ip_ttl;
    int ip_csum, tcp_csum, udp_csum;
    int http, http2, eth, eth_dst;
} Ids;

static Ids ids;

static gpointer
ids_init(gpointer unused)
{
    (void)unused;
    ids = (Ids){
        .a_flags = peel_field_lookup("tcp.analysis.flags"),
        .a_win_update = peel_field_lookup("tcp.analysis.window_update"),
        .a_keep_alive = peel_field_lookup("tcp.analysis.keep_alive"),
        .a_keep_alive_ack = peel_field_lookup("tcp.analysis.keep_alive_ack"),
        .icmp = peel_field_lookup("icmp"),
        .icmp_type = peel_field_lookup("icmp.type"),
        .icmpv6 = peel_field_lookup("icmpv6"),
        .icmpv6_type = peel_field_lookup("icmpv6.type"),
        .arp = peel_field_lookup("arp"),
        .tcp = peel_field_lookup("tcp"),
        .tcp_reset = peel_field_lookup("tcp.flags.reset"),
        .tcp_syn = peel_field_lookup("tcp.flags.syn"),
        .tcp_fin = peel_field_lookup("tcp.flags.fin"),
        .tcp_port = peel_field_lookup("tcp.port"),
        .udp = peel_field_lookup("udp"),
        .ip_dst = peel_field_lookup("ip.dst"),
        .ip_ttl = peel_field_lookup("ip.ttl"),
        .ip_csum = peel_field_lookup("ip.checksum.status"),
        .tcp_csum = peel_field_lookup("tcp.checksum.status"),
        .udp_csum = peel_field_lookup("udp.checksum.status"),
        .http = peel_field_lookup("http"),
        .http2 = peel_field_lookup("http2"),
        .eth = peel_field_lookup("eth"),
        .eth_dst = peel_field_lookup("eth.dst"),
    };
    return NULL;
}

/* What one walk over the field list found. */
typedef struct {
    bool a_flags, a_excused, icmp_error, arp, icmp, tcp_rst, ttl_low, ttl_mcast_bad;
    bool any_dst_mcast4, any_dst_mcast24_other, checksum_bad, http, syn_fin, tcp, udp;
    bool broadcast;
    bool ttl_lt5, ttl_ne1;
} Seen;

static bool
is(int id, const PeelField *fl)
{
    return id >= 0 && fl->id == (uint32_t)id;
}

int
peel_color_match(const PeelPacket *pkt)
{
    static GOnce once = G_ONCE_INIT;
    g_once(&once, ids_init, NULL);
    Seen s = { 0 };
    bool eth_first = true;
    for (uint32_t i = 0; i < pkt->n_fields; i++) {
        const PeelField *fl = &pkt->fields[i];
        bool v = (fl->flags & PEEL_FF_HAS_VALUE) != 0;
        uint64_t u = fl->v.u;
        if (is(ids.a_flags, fl))
            s.a_flags = true;
        else if (is(ids.a_win_update, fl) || is(ids.a_keep_alive, fl) ||
                 is(ids.a_keep_alive_ack, fl))
            s.a_excused = true;
        else if (is(ids.icmp_type, fl) && v && ((u >= 3 && u <= 5) || u == 11))
            s.icmp_error = true;
        else if (is(ids.icmpv6_type, fl) && v && u >= 1 && u <= 4)
            s.icmp_error = true;
        else if (is(ids.arp, fl))
            s.arp = true;
        else if (is(ids.icmp, fl) || is(ids.icmpv6, fl))
            s.icmp = true;
        else if (is(ids.tcp_reset, fl) && v && u == 1)
            s.tcp_rst = true;
        else if ((is(ids.tcp_syn, fl) || is(ids.tcp_fin, fl)) && v && u == 1)
            s.syn_fin = true;
        else if (is(ids.tcp, fl))
            s.tcp = true;
        else if (is(ids.udp, fl))
            s.udp = true;
        else if (is(ids.tcp_port, fl) && v && u == 80)
            s.http = true;
        else if (is(ids.http, fl) || is(ids.http2, fl))
            s.http = true;
        else if ((is(ids.ip_csum, fl) || is(ids.tcp_csum, fl) || is(ids.udp_csum, fl)) && v &&
                 u == 0)
            s.checksum_bad = true; /* Wireshark's checksum status 0 is "Bad" */
        else if (is(ids.ip_ttl, fl) && v) {
            s.ttl_lt5 |= u < 5;
            s.ttl_ne1 |= u != 1;
        } else if (is(ids.ip_dst, fl) && v) {
            uint32_t a = (uint32_t)u;
            if ((a >> 28) == 0xe)
                s.any_dst_mcast4 = true;
            if ((a >> 8) == 0xe00000 && a != 0xe00000fbu)
                s.any_dst_mcast24_other = true;
        } else if (is(ids.eth_dst, fl) && v && eth_first) {
            /* eth[0] & 1: the first byte of the first Ethernet header */
            eth_first = false;
            s.broadcast = fl->v.b.len > 0 && (fl->v.b.ptr[0] & 1);
        }
    }
    if (s.a_flags && !s.a_excused)
        return R_BAD_TCP;
    if (s.icmp_error)
        return R_ICMP_ERRORS;
    if (s.arp)
        return R_ARP;
    if (s.icmp)
        return R_ICMP;
    if (s.tcp_rst)
        return R_TCP_RST;
    if ((!s.any_dst_mcast4 && s.ttl_lt5) || (s.any_dst_mcast24_other && s.ttl_ne1))
        return R_TTL;
    if (s.checksum_bad)
        return R_CHECKSUM;
    if (s.http)
        return R_HTTP;
    if (s.syn_fin)
        return R_SYN_FIN;
    if (s.tcp)
        return R_TCP;
    if (s.udp)
        return R_UDP;
    if (s.broadcast)
        return R_BROADCAST;
    return -1;
}

void
peel_color_begin(GString *out, int rule)
{
    if (rule < 0 || rule >= N_RULES)
        return;
    const PeelColorRule *r = &rules[rule];
    g_string_append_printf(out, "\x1b[38;2;%u;%u;%um\x1b[48;2;%u;%u;%um", r->fg[0] >> 8,
            r->fg[1] >> 8, r->fg[2] >> 8, r->bg[0] >> 8, r->bg[1] >> 8, r->bg[2] >> 8);
}

void
peel_color_end(GString *out)
{
    g_string_append(out, "\x1b[K\n\x1b[0m");
}
