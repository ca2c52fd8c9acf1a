/* test-reports.c: the generic -z reports (cli/report-io.c, cli/report-expert.c), -T ek
 * (cli/output-ek.c) and --color rules (cli/color.c).
 *
 * The goldens compare peel's output with text tshark 4.0.17 printed for the same capture
 * and arguments, kept in tests/reports/ (made with `tshark -q -n -r CAPTURE -z ARG`; the
 * iostat-*.pcap captures come from tests/reports/make-iostat-captures.py). Only captures
 * whose protocols peel dissects are compared: io,phs and expert count per protocol. */
#include <glib.h>
#include <string.h>
#include <sys/wait.h>

#include "color.h"
#include "output-ek.h"
#include "peel-run.h"
#include "peel-test.h"
#include "registry.h"
#include "report-io.h"

/* ---- Goldens against tshark ---- */

typedef struct {
    const char *dir;     /* "samples" or "tests/reports" */
    const char *capture;
    const char *expect;  /* file in tests/reports/ */
    const char *args[3]; /* -z arguments */
} TsharkCase;

static const TsharkCase tshark_cases[] = {
    { "samples", "icmp-ping.pcap", "icmp-ping.z-io-phs.txt", { "io,phs" } },
    { "samples", "ipv4-frag-udp.pcap", "ipv4-frag-udp.z-io-phs.txt", { "io,phs" } },
    { "samples", "ipv6-frag-udp.pcap", "ipv6-frag-udp.z-io-phs.txt", { "io,phs" } },
    { "samples", "tcp-reset.pcap", "tcp-reset.z-io-phs.txt", { "io,phs" } },
    { "samples", "tcp-multi.pcap", "tcp-multi.z-io-stat-1.txt", { "io,stat,1" } },
    { "samples", "tcp-multi.pcap", "tcp-multi.z-io-stat-0.01.txt", { "io,stat,0.01" } },
    { "samples", "tcp-multi.pcap", "tcp-multi.z-io-stat-funcs.txt",
            { "io,stat,0.01,COUNT(tcp.len)tcp.len,SUM(frame.len)frame.len,MIN(tcp.len)tcp.len,"
              "MAX(tcp.len)tcp.len,AVG(tcp.len)tcp.len" } },
    { "samples", "http-curl.pcap", "http-curl.z-io-stat-times.txt",
            { "io,stat,0.005,AVG(tcp.analysis.ack_rtt)tcp.analysis.ack_rtt,"
              "MAX(tcp.analysis.ack_rtt)tcp.analysis.ack_rtt,"
              "SUM(frame.time_delta)frame.time_delta,MIN(frame.time_delta)frame.time_delta" } },
    { "samples", "tcp-lossy.pcap", "tcp-lossy.z-io-stat-0.002.txt",
            { "io,stat,0.002,tcp,,FRAMES()tcp,BYTES()tcp" } },
    { "samples", "ipv4-frag-udp.pcap", "ipv4-frag-udp.z-io-stat-0.txt",
            { "io,stat,0,udp,icmp,ip" } },
    { "tests/reports", "iostat-ooo.pcap", "iostat-ooo.z-io-stat-1.txt", { "io,stat,1" } },
    { "tests/reports", "iostat-ooo.pcap", "iostat-ooo.z-io-stat-funcs.txt",
            { "io,stat,2.5,COUNT(udp.length)udp.length,MIN(udp.length)udp.length,"
              "MAX(ip.ttl)ip.ttl,AVG(udp.length)udp.length,SUM(udp.length)udp.length" } },
    { "tests/reports", "iostat-long.pcap", "iostat-long.z-io-stat-10.txt", { "io,stat,10" } },
    { "tests/reports", "iostat-long.pcap", "iostat-long.z-io-stat-0.txt", { "io,stat,0" } },
    { "tests/reports", "iostat-tie.pcap", "iostat-tie.z-io-stat-0.5.txt", { "io,stat,0.5" } },
    { "tests/reports", "iostat-tie.pcap", "iostat-tie.z-io-stat-1.00-udp.txt",
            { "io,stat,1.00,udp" } },
    { "tests/reports", "iostat-pad.pcap", "iostat-pad.z-io-stat-1.txt", { "io,stat,1" } },
    { "samples", "tcp-lossy.pcap", "tcp-lossy.z-expert-warn.txt", { "expert,warn" } },
    /* Display filters (dfilter.h) in the reports */
    { "samples", "tcp-lossy.pcap", "tcp-lossy.z-io-phs-filter.txt", { "io,phs,tcp.len == 0" } },
    { "samples", "tcp-lossy.pcap", "tcp-lossy.z-io-stat-filters.txt",
            { "io,stat,0.005,tcp.flags.syn == 1,ip.len > 100 && tcp,COUNT(tcp.len)tcp.len > 0,"
              "MAX(tcp.window_size)tcp.window_size && tcp.srcport == 52871" } },
    { "samples", "tcp-lossy.pcap", "tcp-lossy.z-expert-note-filter.txt",
            { "expert,note,tcp.analysis.retransmission || tcp.analysis.duplicate_ack" } },
    { "samples", "tcp-reset.pcap", "tcp-reset.z-expert.txt", { "expert" } },
    { "samples", "icmp-ping.pcap", "icmp-ping.z-expert.txt", { "expert" } },
};

static void
run_tshark_case(gconstpointer data)
{
    const TsharkCase *c = data;
    if (!peel_run_ready())
        return;
    const char *root = g_getenv("PEEL_SOURCE_ROOT");
    g_autofree char *capture = g_build_filename(root, c->dir, c->capture, NULL);
    g_autofree char *out = peel_run_z(capture, c->args, G_N_ELEMENTS(c->args));
    g_autofree char *path = g_build_filename(root, "tests", "reports", c->expect, NULL);
    g_autofree char *want = NULL;
    g_assert_true(g_file_get_contents(path, &want, NULL, NULL));
    if (strcmp(out, want) != 0) {
        g_auto(GStrv) w = g_strsplit(want, "\n", -1);
        g_auto(GStrv) o = g_strsplit(out, "\n", -1);
        guint i = 0;
        while (w[i] != NULL && o[i] != NULL && strcmp(w[i], o[i]) == 0)
            i++;
        g_test_fail_printf("%s differs from tshark at line %u:\n  tshark: %s\n  peel:   %s",
                c->expect, i + 1, w[i] ? w[i] : "(end)", o[i] ? o[i] : "(end)");
    }
}

/* ---- io,stat pieces ---- */

static void
test_iostat_interval(void)
{
    static const struct {
        const char *text;
        uint64_t us;
        unsigned prec;
    } ok[] = {
        { "1", 1000000, 0 },
        { "0.01", 10000, 2 },
        { "0.005", 5000, 3 },
        { "2.5", 2500000, 1 },
        { "0.000001", 1, 6 },
        { "0.0000004", 0, 0 }, /* below a microsecond: refused, see below */
        { "1.00,udp", 1000000, 2 },
        { "1.0,udp", 1000000, 1 },
        { "1.000", 1000000, 6 }, /* tshark 4.0: six when no column follows */
        { "10", 10000000, 0 },
        { "0", G_MAXUINT64, 0 },
        { "0.0004999", 500, 4 }, /* rounded to microseconds first */
    };
    for (gsize i = 0; i < G_N_ELEMENTS(ok); i++) {
        uint64_t us = 7;
        unsigned prec = 99;
        bool r = peel_iostat_parse_interval(ok[i].text, &us, &prec);
        if (ok[i].us == 0) {
            g_assert_false(r);
            continue;
        }
        g_assert_true(r);
        g_assert_cmpuint(us, ==, ok[i].us);
        g_assert_cmpuint(prec, ==, ok[i].prec);
    }
    uint64_t us;
    unsigned prec;
    g_assert_false(peel_iostat_parse_interval("x", &us, &prec));
    g_assert_false(peel_iostat_parse_interval("-1", &us, &prec));
    g_assert_false(peel_iostat_parse_interval("nan", &us, &prec));
    g_assert_false(peel_iostat_parse_interval("1e300", &us, &prec));
}

static void
test_iostat_args(void)
{
    static const char *const bad[] = {
        "io,stat",                    /* no interval */
        "io,stat,",                   /* trailing comma */
        "io,stat,1,",                 /* trailing comma, as tshark refuses */
        "io,stat,abc",                /* not a number */
        "io,stat,1x",                 /* junk after the number */
        "io,stat,1,COUNT()",          /* no field */
        "io,stat,1,SUM",              /* a function without parentheses */
        "io,stat,1,SUM(tcp.len",      /* no closing parenthesis */
        "io,stat,1,SUM(nosuch.field)", /* unknown field */
        "io,stat,1,SUM(ip.src)ip",    /* not a number */
        "io,stat,1,FRAMES(ip.len)",   /* FRAMES takes no field */
        "io,stat,1,LOAD(frame.time_delta)", /* not supported */
        "io,stat,1,ip.src ==",        /* a filter that does not compile */
        "io,stat,1,COUNT(tcp.len)tcp.len >", /* the same after a function */
    };
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) error = NULL;
        PeelIoStat *io = peel_iostat_open(bad[i], &error);
        if (io != NULL)
            g_test_fail_printf("%s was accepted", bad[i]);
        peel_iostat_free(io);
        g_assert_nonnull(error);
        g_assert_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG);
    }
    static const char *const good[] = {
        "io,stat,1",
        "io,stat,0",
        "io,stat,0.5,tcp,udp",
        "io,stat,1,,tcp",
        "io,stat,1,FRAMES,BYTES",
        "io,stat,1,FRAMES BYTES",
        "io,stat,1,COUNT(tcp.flags.syn)",
        "io,stat,1,COUNT(ip.src)ip",
        "io,stat,1,AVG(tcp.analysis.ack_rtt)tcp.analysis.ack_rtt",
        "io,stat,1,MAX(frame.time_delta)",
        "io,stat,1,ip.src == 1.2.3.4 || ip.dst == 10.0.0.0/8",
        "io,stat,1,frame.len in {74,54}", /* a comma inside a filter (tshark 4.0 refuses) */
    };
    for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
        g_autoptr(GError) error = NULL;
        PeelIoStat *io = peel_iostat_open(good[i], &error);
        g_assert_no_error(error);
        g_assert_nonnull(io);
        peel_iostat_free(io);
    }
}

/* A packet with no fields at `ms` milliseconds since the first, `len` bytes long. */
typedef struct {
    PeelFrameInfo frame;
    PeelPacket pkt;
} Bare;

static void
bare_init(Bare *b, int64_t ms, uint32_t len)
{
    memset(b, 0, sizeof *b);
    b->frame.len = b->frame.cap_len = len;
    b->frame.rel = (PeelTime){ ms / 1000, (int32_t)(ms % 1000) * 1000000 };
    if (ms < 0 && b->frame.rel.nsec < 0) {
        b->frame.rel.sec -= 1;
        b->frame.rel.nsec += 1000000000;
    }
    b->pkt.frame = &b->frame;
}

/* Interval arithmetic: rows from 0 to the duration, frames in their interval, a frame
 * timed before the last interval with packets counted in that interval (tshark), the
 * last row ending at the duration. */
static void
test_iostat_rows(void)
{
    g_autoptr(GError) error = NULL;
    PeelIoStat *io = peel_iostat_open("io,stat,1", &error);
    g_assert_no_error(error);
    static const struct {
        int64_t ms;
        uint32_t len;
    } frames[] = { { 0, 100 }, { 999, 10 }, { 1000, 1 }, { 3500, 1000 }, { 2000, 5 },
        { 4250, 7 } };
    for (gsize i = 0; i < G_N_ELEMENTS(frames); i++) {
        Bare b;
        bare_init(&b, frames[i].ms, frames[i].len);
        peel_iostat_packet(io, &b.pkt);
    }
    g_autoptr(GString) out = g_string_new(NULL);
    peel_iostat_print(io, out);
    peel_iostat_free(io);
    g_assert_nonnull(strstr(out->str, "| Duration: 4.250000 secs"));
    g_assert_nonnull(strstr(out->str, "|  0 <> 1  |      2 |   110 |"));
    g_assert_nonnull(strstr(out->str, "|  1 <> 2  |      1 |     1 |"));
    g_assert_nonnull(strstr(out->str, "|  2 <> 3  |      0 |     0 |"));
    /* 3.5 s opened the 3-4 interval; the frame at 2.0 s that came after it joins it */
    g_assert_nonnull(strstr(out->str, "|  3 <> 4  |      2 |  1005 |"));
    g_assert_nonnull(strstr(out->str, "|  4 <> Dur|      1 |     7 |"));
}

/* The interval cap: a microsecond interval over a long capture stops counting. */
static void
test_iostat_cap(void)
{
    g_autoptr(GError) error = NULL;
    PeelIoStat *io = peel_iostat_open("io,stat,0.000001", &error);
    g_assert_no_error(error);
    Bare b;
    bare_init(&b, 0, 60);
    peel_iostat_packet(io, &b.pkt);
    bare_init(&b, 3600 * 1000, 60);
    peel_iostat_packet(io, &b.pkt);
    g_assert_true(peel_iostat_overflowed(io));
    peel_iostat_free(io);
}

/* ---- io,phs ---- */

/* frame, eth, ip, tcp [tcp.segments under it], then two items from reassembled bytes and
 * one from the frame: tshark puts tcp.segments after the reassembled protocols. */
static void
test_phs_segments(void)
{
    g_autoptr(GError) error = NULL;
    PeelPhs *phs = peel_phs_open("io,phs", &error);
    g_assert_no_error(error);
    const char *names[] = { "frame", "eth", "ip", "tcp", "tcp.segments", "udp", "icmp",
        "data" };
    const int32_t parents[] = { -1, -1, -1, -1, 3, -1, -1, -1 };
    const uint8_t srcs[] = { 0, 0, 0, 0, 0, 1, 1, 0 };
    PeelField fields[G_N_ELEMENTS(names)];
    memset(fields, 0, sizeof fields);
    for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
        int id = peel_field_lookup(names[i]);
        g_assert_cmpint(id, >=, 0);
        fields[i].id = (uint32_t)id;
        fields[i].parent = parents[i];
        fields[i].depth = parents[i] < 0 ? 0 : 1;
        fields[i].src = srcs[i];
    }
    Bare b;
    bare_init(&b, 0, 100);
    b.pkt.fields = fields;
    b.pkt.n_fields = G_N_ELEMENTS(fields);
    peel_phs_packet(phs, &b.pkt);
    b.pkt.n_fields = 4; /* frame eth ip tcp */
    b.frame.len = 60;
    peel_phs_packet(phs, &b.pkt);
    g_autoptr(GString) out = g_string_new(NULL);
    peel_phs_print(phs, out);
    peel_phs_free(phs);
    const char *want = "\n===================================================================\n"
                       "Protocol Hierarchy Statistics\n"
                       "Filter: \n\n"
                       "eth                                      frames:2 bytes:160\n"
                       "  ip                                     frames:2 bytes:160\n"
                       "    tcp                                  frames:2 bytes:160\n"
                       "      udp                                frames:1 bytes:100\n"
                       "        icmp                             frames:1 bytes:100\n"
                       "          tcp.segments                   frames:1 bytes:100\n"
                       "            data                         frames:1 bytes:100\n"
                       "===================================================================\n";
    g_assert_cmpstr(out->str, ==, want);
}

static void
test_phs_args(void)
{
    g_autoptr(GError) error = NULL;
    g_assert_null(peel_phs_open("io,phsx", &error));
    g_assert_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG);
    g_clear_error(&error);
    PeelPhs *phs = peel_phs_open("io,phs,udp", &error);
    g_assert_no_error(error);
    g_autoptr(GString) out = g_string_new(NULL);
    peel_phs_print(phs, out);
    g_assert_nonnull(strstr(out->str, "Filter: udp\n"));
    peel_phs_free(phs);
}

/* ---- expert ---- */

static void
test_expert_order(void)
{
    g_autoptr(GError) error = NULL;
    PeelExpertStat *es = peel_expert_stat_open("expert", &error);
    g_assert_no_error(error);
    int tcp = peel_registry_proto_lookup("tcp"), ip = peel_registry_proto_lookup("ip");
    PeelExpert ex[] = {
        { -1, PEEL_SEV_NOTE, PEEL_GROUP_SEQUENCE, (uint16_t)tcp, "Duplicate ACK (#1)" },
        { -1, PEEL_SEV_ERROR, PEEL_GROUP_MALFORMED, (uint16_t)ip, "Bad header length" },
        { -1, PEEL_SEV_NOTE, PEEL_GROUP_SEQUENCE, (uint16_t)tcp, "Duplicate ACK (#1)" },
        { -1, PEEL_SEV_NOTE, PEEL_GROUP_CHECKSUM, (uint16_t)ip, "Duplicate ACK (#1)" },
        { -1, PEEL_SEV_CHAT, PEEL_GROUP_SEQUENCE, (uint16_t)tcp, "Connection finish (FIN)" },
    };
    Bare b;
    bare_init(&b, 0, 60);
    b.pkt.experts = ex;
    b.pkt.n_experts = G_N_ELEMENTS(ex);
    peel_expert_stat_packet(es, &b.pkt);
    g_autoptr(GString) out = g_string_new(NULL);
    peel_expert_stat_print(es, out);
    peel_expert_stat_free(es);
    const char *want = "\nErrors (1)\n=============\n"
                       "   Frequency      Group           Protocol  Summary\n"
                       "           1  Malformed               IPv4  Bad header length\n"
                       "\nNotes (3)\n=============\n"
                       "   Frequency      Group           Protocol  Summary\n"
                       "           2   Sequence                TCP  Duplicate ACK (#1)\n"
                       "           1   Checksum               IPv4  Duplicate ACK (#1)\n"
                       "\nChats (1)\n=============\n"
                       "   Frequency      Group           Protocol  Summary\n"
                       "           1   Sequence                TCP  Connection finish (FIN)\n";
    g_assert_cmpstr(out->str, ==, want);

    es = peel_expert_stat_open("expert,Note", &error);
    g_assert_no_error(error);
    peel_expert_stat_packet(es, &b.pkt);
    g_string_truncate(out, 0);
    peel_expert_stat_print(es, out);
    peel_expert_stat_free(es);
    g_assert_nonnull(strstr(out->str, "Notes (3)"));
    g_assert_null(strstr(out->str, "Chats"));
    g_assert_null(peel_expert_stat_open("experts", &error));
    g_assert_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG);
}

/* ---- ek ---- */

static void
test_ek_escape(void)
{
    static const struct {
        const char *in;
        size_t n;
        bool dots;
        const char *out;
    } cases[] = {
        { "plain", 5, false, "\"plain\"" },
        { "a\"b\\c", 5, false, "\"a\\\"b\\\\c\"" },
        { "\b\t\n\f\r", 5, false, "\"\\b\\t\\n\\f\\r\"" },
        { "\x01\x1f", 2, false, "\"\\u0001\\u001f\"" },
        { "</script>", 9, false, "\"<\\/script>\"" },
        { "a/b", 3, false, "\"a/b\"" },
        { "ip.src", 6, true, "\"ip_src\"" },
        { "ip.src", 6, false, "\"ip.src\"" },
        { "caf\xc3\xa9", 5, false, "\"caf\xc3\xa9\"" }, /* UTF-8 passes through */
        { "ab\0cd", 5, false, "\"ab\"" },              /* a NUL ends the string */
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GString) out = g_string_new(NULL);
        peel_ek_append_string(out, cases[i].in, cases[i].n, cases[i].dots);
        g_assert_cmpstr(out->str, ==, cases[i].out);
    }
}

static void
test_ek_keys(void)
{
    static const struct {
        const char *field, *key;
    } cases[] = {
        { "tcp", "\"tcp\"" },
        { "tcp.srcport", "\"tcp_tcp_srcport\"" },
        { "ip.checksum.status", "\"ip_ip_checksum_status\"" },
        { "tcp.options.mss", "\"tcp_options_mss\"" }, /* a protocol in name only */
        { "tcp.options.mss_val", "\"tcp_tcp_options_mss_val\"" },
        { "ipv6.fraghdr.offset", "\"ipv6_fraghdr_ipv6_fraghdr_offset\"" },
        { "frame.time", "\"frame_frame_time\"" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        int id = peel_field_lookup(cases[i].field);
        g_assert_cmpint(id, >=, 0);
        g_autoptr(GString) out = g_string_new(NULL);
        peel_ek_append_key(out, (uint32_t)id);
        g_assert_cmpstr(out->str, ==, cases[i].key);
    }
    char *list[] = { "ip", "tcp.flags", NULL };
    g_assert_true(peel_protocol_filter_match(list, "ip"));
    g_assert_true(peel_protocol_filter_match(list, "tcp.flags"));
    char *under[] = { "tcp_flags", NULL };
    g_assert_true(peel_protocol_filter_match(under, "tcp.flags"));
    g_assert_false(peel_protocol_filter_match(list, "tcp"));
    g_assert_false(peel_protocol_filter_match(list, "ipv6"));
}

/* tcp-reset.pcap frame 1: a SYN with options. */
static const char syn_hex[] =
        "00000000000000000000000008004500003c08884000400634327f0000017f000001b988ce31cea7bb63"
        "00000000a002faf0fe300000020405b40402080a33ea5bce000000000103030a";
/* tcp-reset.pcap frame 2: RST, ACK. */
static const char rst_hex[] = "0000000000000000000000000800450000280000400040063cce7f0000017f"
                              "000001ce31b98800000000cea7bb6450140000a0070000";

static void
test_ek_packet(void)
{
    g_autoptr(PeelTestPacket) t = peel_test_dissect_frame_hex(1, syn_hex);
    PeelEk *ek = peel_ek_new(NULL, false);
    g_autoptr(GString) out = g_string_new(NULL);
    /* Twice: the second run reuses the buffers and must write the same text. */
    peel_ek_packet(ek, out, peel_test_packet(t));
    g_autofree char *first = g_strdup(out->str);
    g_string_truncate(out, 0);
    peel_ek_packet(ek, out, peel_test_packet(t));
    g_assert_cmpstr(out->str, ==, first);
    peel_ek_free(ek);

    g_auto(GStrv) lines = g_strsplit(out->str, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, 3); /* two lines and the empty rest */
    g_assert_cmpstr(lines[2], ==, "");
    g_assert_true(g_str_has_prefix(lines[0], "{\"index\":{\"_index\":\"packets-"));
    g_assert_true(g_str_has_suffix(lines[0], "\",\"_type\":\"doc\"}}"));
    g_assert_true(g_str_has_prefix(lines[1], "{\"timestamp\":\"1700000000000\",\"layers\":{\"frame\":{"));
    const char *doc = lines[1];
    /* what tshark writes for the same packet (tshark -T ek on tcp-reset.pcap) */
    const char *expect[] = {
        ",\"eth\":{\"eth_eth_dst\":\"00:00:00:00:00:00\"",
        "\"eth_eth_dst_lg\":false",
        "\"ip_ip_flags_df\":true",
        "\"ip_ip_addr\":[\"127.0.0.1\",\"127.0.0.1\"]",
        "\"ip_ip_host\":[\"127.0.0.1\",\"127.0.0.1\"]",
        "\"tcp\":{\"tcp_tcp_srcport\":\"47496\",\"tcp_tcp_dstport\":\"52785\","
        "\"tcp_tcp_port\":[\"47496\",\"52785\"]",
        "\"tcp_tcp_flags_syn\":true,\"_ws_expert\":{\"_ws_expert__ws_expert_message\":"
        "\"Connection establish request (SYN): server port 52785\","
        "\"_ws_expert__ws_expert_severity\":\"2097152\","
        "\"_ws_expert__ws_expert_group\":\"33554432\"}",
        "\"tcp_tcp_options\":\"02:04:05:b4:04:02:08:0a:33:ea:5b:ce:00:00:00:00:01:03:03:0a\"",
        "\"tcp_options_mss\":\"02:04:05:b4\",\"tcp_tcp_option_kind\":\"2\","
        "\"tcp_tcp_option_len\":\"4\",\"tcp_tcp_options_mss_val\":\"1460\"",
        "\"tcp_options_sack_perm\":\"04:02\",\"tcp_tcp_option_kind\":\"4\"",
    };
    for (gsize i = 0; i < G_N_ELEMENTS(expect); i++)
        if (strstr(doc, expect[i]) == NULL)
            g_test_fail_printf("ek document lacks %s", expect[i]);
    g_assert_true(g_str_has_suffix(doc, "}}}"));
}

static void
test_ek_filter(void)
{
    g_autoptr(PeelTestPacket) t = peel_test_dissect_frame_hex(1, syn_hex);
    char *list[] = { "ip", NULL };
    g_autoptr(GString) out = g_string_new(NULL);
    PeelEk *ek = peel_ek_new(list, false);
    peel_ek_packet(ek, out, peel_test_packet(t));
    peel_ek_free(ek);
    /* -j: unlisted protocols and fields are {"filtered": NAME}, as tshark */
    g_assert_nonnull(strstr(out->str, "\"layers\":{\"frame\":{\"filtered\":\"frame\"},"
                                      "\"eth\":{\"filtered\":\"eth\"},"
                                      "\"ip\":{\"ip_ip_version\":{\"filtered\":\"ip.version\"},"));
    g_assert_nonnull(strstr(out->str, "\"tcp\":{\"filtered\":\"tcp\"}"));
    g_string_truncate(out, 0);
    ek = peel_ek_new(list, true);
    peel_ek_packet(ek, out, peel_test_packet(t));
    peel_ek_free(ek);
    /* -J: everything under a listed protocol */
    g_assert_nonnull(strstr(out->str, "\"ip\":{\"ip_ip_version\":\"4\",\"ip_ip_hdr_len\":\"20\","
                                      "\"ip_ip_dsfield\":\"0x00\",\"ip_ip_dsfield_dscp\":\"0\""));
    g_assert_nonnull(strstr(out->str, "\"tcp\":{\"filtered\":\"tcp\"}"));
}

/* A packet with a malformed header still gives valid, balanced output. */
static void
test_ek_truncated(void)
{
    g_autoptr(PeelTestPacket) t =
            peel_test_dissect_frame_hex(1, "000000000000000000000000080045000028000040004006");
    PeelEk *ek = peel_ek_new(NULL, false);
    g_autoptr(GString) out = g_string_new(NULL);
    peel_ek_packet(ek, out, peel_test_packet(t));
    peel_ek_free(ek);
    int depth = 0;
    bool in_str = false;
    for (gsize i = 0; i < out->len; i++) {
        char c = out->str[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            depth--;
            g_assert_cmpint(depth, >=, 0);
        }
    }
    g_assert_cmpint(depth, ==, 0);
    g_assert_false(in_str);
    g_assert_nonnull(strstr(out->str, "_ws_expert"));
}

/* ---- --color ---- */

static const char *
rule_of(const char *hex)
{
    g_autoptr(PeelTestPacket) t = peel_test_dissect_frame_hex(1, hex);
    int r = peel_color_match(peel_test_packet(t));
    guint n;
    const PeelColorRule *rules = peel_color_rules(&n);
    return r < 0 ? "(none)" : rules[r].name;
}

static void
test_color_rules(void)
{
    g_assert_cmpstr(rule_of(syn_hex), ==, "TCP SYN/FIN");
    g_assert_cmpstr(rule_of(rst_hex), ==, "TCP RST");
    /* icmp-ping.pcap frame 1: an echo request */
    g_assert_cmpstr(rule_of("000000000000000000000000080045000054dcc8400040015fde7f0000017f0000"
                            "010800f63117c700013124046b00000000f4a3010000000000101112131415161718"
                            "191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637"),
            ==, "ICMP");
    /* dns-udp.pcap frame 1 with the IPv4 checksum broken: Checksum Errors beats UDP */
    const char *dns = "000000000000000000000000080045000051014d000040117b4d7f0000017f000001950c"
                      "0035003dfe50721c01200001000000000001076578616d706c650474657374000001000100"
                      "002904d000000000000c000a00082247b59f5271adbb";
    g_assert_cmpstr(rule_of(dns), ==, "UDP");
    g_autofree char *bad = g_strdup(dns);
    bad[48] = 'f'; /* the checksum's first digit: 7b4d -> fb4d */
    g_assert_cmpstr(rule_of(bad), ==, "Checksum Errors");
    /* TTL 1 towards a unicast address: TTL low */
    g_autofree char *ttl = g_strdup(dns);
    memcpy(ttl + 44, "01", 2);
    memcpy(ttl + 48, "b95d", 4); /* checksum fixed for TTL 1 */
    g_assert_cmpstr(rule_of(ttl), ==, "TTL low or unexpected");

    g_autoptr(GString) out = g_string_new(NULL);
    guint n;
    const PeelColorRule *rules = peel_color_rules(&n);
    for (guint i = 0; i < n; i++)
        if (strcmp(rules[i].name, "TCP RST") == 0)
            peel_color_begin(out, (int)i);
    g_string_append(out, "line");
    peel_color_end(out);
    /* what tshark writes on a true-colour terminal for a RST */
    g_assert_cmpstr(out->str, ==,
            "\x1b[38;2;255;252;156m\x1b[48;2;164;0;0mline\x1b[K\n\x1b[0m");
}

/* ---- The command ---- */

static void
test_cli_ek(void)
{
    if (!peel_run_ready())
        return;
    g_autofree char *capture =
            g_build_filename(g_getenv("PEEL_SOURCE_ROOT"), "samples", "icmp-ping.pcap", NULL);
    const char *args[] = { "-r", capture, "-T", "ek", NULL };
    int status = 0;
    g_autofree char *err = NULL;
    g_autofree char *out = peel_run_capture(args, &status, &err);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, 2 * 8 + 1);
    for (guint i = 0; i < 16; i += 2) {
        g_assert_true(g_str_has_prefix(lines[i], "{\"index\":{\"_index\":\"packets-2026-11-23\""));
        g_assert_true(g_str_has_prefix(lines[i + 1], "{\"timestamp\":\"17954335"));
        g_assert_nonnull(strstr(lines[i + 1], "\"icmp\":{\"icmp_icmp_type\":"));
    }
}

static void
test_cli_usage(void)
{
    if (!peel_run_ready())
        return;
    g_autofree char *capture =
            g_build_filename(g_getenv("PEEL_SOURCE_ROOT"), "samples", "icmp-ping.pcap", NULL);
    const char *const cases[][8] = {
        { "-r", capture, "-j", "ip", NULL },                 /* -j without json */
        { "-r", capture, "-T", "json", "-j", "ip", "-J", "ip" }, /* both */
        { "-r", capture, "-T", "psml", NULL },
        { "-r", capture, "-q", "-z", "io,stat,x", NULL },
        { "-r", capture, "-q", "-z", "expert,ip.src == ", NULL },
        { "-r", capture, "-q", "-z", "io,phs,tcp.port == 80 &&", NULL },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        const char *args[9] = { 0 };
        for (gsize k = 0; k < 8 && cases[i][k]; k++)
            args[k] = cases[i][k];
        int status = 0;
        g_autofree char *err = NULL;
        g_autofree char *out = peel_run_capture(args, &status, &err);
        g_assert_true(WIFEXITED(status));
        g_assert_cmpint(WEXITSTATUS(status), ==, 2);
        g_assert_cmpstr(out, ==, "");
        g_assert_true(g_str_has_prefix(err, "peel: "));
    }
    /* --color to a pipe: no escapes, as tshark */
    const char *plain[] = { "-r", capture, "--color", "-c", "1", NULL };
    int status = 0;
    g_autofree char *err = NULL;
    g_autofree char *out = peel_run_capture(plain, &status, &err);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    g_assert_null(strchr(out, '\x1b'));
    g_assert_nonnull(strstr(out, "ICMP 98 Echo (ping) request"));
}

static void
test_cli_jsonraw(void)
{
    if (!peel_run_ready())
        return;
    g_autofree char *capture =
            g_build_filename(g_getenv("PEEL_SOURCE_ROOT"), "samples", "tcp-reset.pcap", NULL);
    const char *args[] = { "-r", capture, "-T", "jsonraw", "-c", "1", NULL };
    int status = 0;
    g_autofree char *err = NULL;
    g_autofree char *out = peel_run_capture(args, &status, &err);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    /* as tshark -T jsonraw: the frame's bytes, offset, length, mask, type */
    g_assert_nonnull(strstr(out,
            "        \"frame_raw\": [\n"
            "          \"00000000000000000000000008004500003c08884000400634327f0000017f000001"
            "b988ce31cea7bb6300000000a002faf0fe300000020405b40402080a33ea5bce000000000103030a\",\n"
            "          0,\n          74,\n          0,\n          1\n        ],\n"
            "        \"frame\": {\n"));
    g_assert_nonnull(strstr(out, "\"ip.src_raw\": [\n            \"7f000001\",\n"
                                 "            26,\n            4,\n            0,\n"
                                 "            32\n          ]"));
    g_assert_true(g_str_has_suffix(out, "\n]\n"));
}

/* -T json -j/-J: tshark's {"filtered": NAME} objects for unlisted subtrees. */
static void
test_cli_json_filter(void)
{
    if (!peel_run_ready())
        return;
    g_autofree char *capture =
            g_build_filename(g_getenv("PEEL_SOURCE_ROOT"), "samples", "tcp-reset.pcap", NULL);
    const char *only[] = { "-r", capture, "-T", "json", "-c", "1", "-j", "ip tcp", NULL };
    int status = 0;
    g_autofree char *err = NULL;
    g_autofree char *out = peel_run_capture(only, &status, &err);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    /* as tshark -T json -j "ip tcp" on the same packet */
    g_assert_nonnull(strstr(out, "        \"frame\": {\n          \"filtered\": \"frame\"\n        },\n"
                                 "        \"eth\": {\n          \"filtered\": \"eth\"\n        },\n"
                                 "        \"ip\": {\n          \"ip.version\": \"4\",\n"));
    g_assert_nonnull(strstr(out, "          \"ip.dsfield\": \"0x00\",\n"
                                 "          \"ip.dsfield_tree\": {\n"
                                 "            \"filtered\": \"ip.dsfield\"\n          },\n"));
    const char *all[] = { "-r", capture, "-T", "json", "-c", "1", "-J", "ip", NULL };
    g_autofree char *err2 = NULL;
    g_autofree char *out2 = peel_run_capture(all, &status, &err2);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    g_assert_nonnull(strstr(out2, "          \"ip.dsfield_tree\": {\n"
                                  "            \"ip.dsfield.dscp\": \"0\",\n"));
    g_assert_nonnull(strstr(out2, "        \"tcp\": {\n          \"filtered\": \"tcp\"\n        }\n"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    peel_registry_init();
    g_test_add_func("/reports/iostat/interval", test_iostat_interval);
    g_test_add_func("/reports/iostat/args", test_iostat_args);
    g_test_add_func("/reports/iostat/rows", test_iostat_rows);
    g_test_add_func("/reports/iostat/cap", test_iostat_cap);
    g_test_add_func("/reports/phs/segments", test_phs_segments);
    g_test_add_func("/reports/phs/args", test_phs_args);
    g_test_add_func("/reports/expert/order", test_expert_order);
    g_test_add_func("/ek/escape", test_ek_escape);
    g_test_add_func("/ek/keys", test_ek_keys);
    g_test_add_func("/ek/packet", test_ek_packet);
    g_test_add_func("/ek/filter", test_ek_filter);
    g_test_add_func("/ek/truncated", test_ek_truncated);
    g_test_add_func("/color/rules", test_color_rules);
    g_test_add_func("/cli/ek", test_cli_ek);
    g_test_add_func("/cli/usage", test_cli_usage);
    g_test_add_func("/cli/jsonraw", test_cli_jsonraw);
    g_test_add_func("/cli/json-filter", test_cli_json_filter);
    for (gsize i = 0; i < G_N_ELEMENTS(tshark_cases); i++) {
        g_autofree char *path = g_strdup_printf("/reports/tshark/%s/%s",
                tshark_cases[i].capture, tshark_cases[i].args[0]);
        g_test_add_data_func(path, &tshark_cases[i], run_tshark_case);
    }
    return g_test_run();
}
