/* test-proto-tcp.c: the TCP dissector on hand-built segments: header, flags, every option,
 * bad lengths, truncation, checksums over IPv4 and IPv6 pseudo-headers, ICMP quotes.
 * Expected values are what tshark 4.0 prints for the same bytes. */
#include <string.h>

#include "peel-test.h"
#include "protos.h"
#include "registry.h"

/* The dissector itself, with checksum verification switchable: Wireshark (and so peel)
 * leaves it off by default, and peel has no preferences yet to turn it on. This program's
 * copy of peel_proto_tcp is the one registered (the library's is not linked in). */

#define ARROW "\xe2\x86\x92"

/* 46814 -> 8000, seq 1000, SYN, window 65495, options MSS 1460, SACK_PERM, TS 123/0, NOP,
 * WS 7: the handshake's first segment as Linux sends it. */
#define SYN_SEGMENT                                                                                \
    "b6de1f40 000003e8 00000000 a002ffd7 59a40000"                                                 \
    "020405b4 0402 080a 0000007b 00000000 01 030307"

static PeelTestPacket *
tcp_hex(const char *hex)
{
    return peel_test_dissect_hex(&peel_proto_tcp, hex);
}

/* A fixed 20-byte header with ACK set, hlen 20 + options, followed by `opts`. */
static PeelTestPacket *
tcp_with_options(const char *hlen_flags, const char *opts)
{
    g_autofree char *hex =
            g_strdup_printf("b6de1f40 00000001 00000002 %s0000 00000000 %s", hlen_flags, opts);
    return tcp_hex(hex);
}

static bool
have_field(const char *name)
{
    peel_registry_init();
    return peel_field_lookup(name) >= 0;
}

static void
test_syn(void)
{
    g_autoptr(PeelTestPacket) t = tcp_hex(SYN_SEGMENT);

    g_assert_cmpstr(peel_test_info(t), ==,
            "46814 " ARROW " 8000 [SYN] Seq=1000 Win=65495 Len=0 MSS=1460 SACK_PERM TSval=123 "
            "TSecr=0 WS=128");
    g_assert_cmpstr(peel_test_protocol(t), ==, "TCP");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.srcport", 0), ==, "46814");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.dstport", 0), ==, "8000");
    g_assert_cmpuint(peel_test_field_count(t, "tcp.port"), ==, 2);
    g_assert_cmpstr(peel_test_field_str(t, "tcp.port", 1), ==, "8000");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.seq", 0), ==, "1000");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.seq_raw", 0), ==, "1000");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.ack", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.ack_raw", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.len", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.hdr_len", 0), ==, "40");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.flags", 0), ==, "0x0002");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.flags.syn", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.flags.ack", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.flags.ae", 0), ==, "0");
    g_assert_cmpuint(peel_test_field_count(t, "tcp.flags.str"), ==, 1);
    g_assert_cmpstr(peel_test_field_str(t, "tcp.window_size_value", 0), ==, "65495");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.window_size", 0), ==, "65495");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.checksum", 0), ==, "0x59a4");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.checksum.status", 0), ==, "2");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.urgent_pointer", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.options", 0), ==,
            "020405b40402080a0000007b0000000001030307");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.options.mss", 0), ==, "020405b4");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.options.mss_val", 0), ==, "1460");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.options.sack_perm", 0), ==, "0402");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.options.timestamp.tsval", 0), ==, "123");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.options.timestamp.tsecr", 0), ==, "0");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.options.nop", 0), ==, "01");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.options.wscale.shift", 0), ==, "7");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.options.wscale.multiplier", 0), ==, "128");
    /* Kinds of MSS, SACK_PERM, TS, NOP, WS; lengths only for the ones that have one. */
    g_assert_cmpuint(peel_test_field_count(t, "tcp.option_kind"), ==, 5);
    g_assert_cmpstr(peel_test_field_str(t, "tcp.option_kind", 3), ==, "1");
    g_assert_cmpuint(peel_test_field_count(t, "tcp.option_len"), ==, 4);
    g_assert_cmpstr(peel_test_field_str(t, "tcp.option_len", 2), ==, "10");
    g_assert_cmpuint(peel_test_field_count(t, "tcp.payload"), ==, 0);
    g_assert_true(peel_test_has_expert(t, "Connection establish request (SYN): server port 8000"));
    g_assert_false(peel_test_has_expert(t, "MSS option"));
    g_assert_cmpstr(peel_test_protocols(t), ==, "tcp");
    const PeelPacket *pkt = peel_test_packet(t);
    g_assert_cmpuint(pkt->src_port, ==, 46814);
    g_assert_cmpuint(pkt->dst_port, ==, 8000);
    g_assert_false(pkt->malformed);
}

static void
test_flags_str(void)
{
    g_autoptr(PeelTestPacket) t = tcp_hex(SYN_SEGMENT);
    /* Middle dots (U+00B7) for clear bits, as tshark prints them. */
    const PeelPacket *pkt = peel_test_packet(t);
    int id = peel_field_lookup("tcp.flags.str");
    const PeelField *fl = NULL;
    for (uint32_t i = 0; i < pkt->n_fields; i++)
        if (pkt->fields[i].id == (uint32_t)id)
            fl = &pkt->fields[i];
    g_assert_nonnull(fl);
    g_assert_cmpmem(fl->v.b.ptr, fl->v.b.len, "··········S·", strlen("··········S·"));
}

static void
test_synack_label(void)
{
    /* 8000 -> 46814 SYN+ACK, ack 1001, MSS only. */
    g_autoptr(PeelTestPacket) t = tcp_hex("1f40b6de 00001388 000003e9 6012ffcb 00000000 020405b4");

    g_assert_cmpstr(peel_test_info(t), ==,
            "8000 " ARROW " 46814 [SYN, ACK] Seq=5000 Ack=1001 Win=65483 Len=0 MSS=1460");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.flags", 0), ==, "0x0012");
    g_assert_true(peel_test_has_expert(
            t, "Connection establish acknowledge (SYN+ACK): server port 8000"));
    const PeelPacket *pkt = peel_test_packet(t);
    g_assert_cmpstr(pkt->fields[0].text, ==,
            "Transmission Control Protocol, Src Port: 8000, Dst Port: 46814, Seq: 5000, Ack: "
            "1001, Len: 0");
}

static void
test_payload(void)
{
    /* PSH+ACK with 5 bytes of data on unclaimed ports: handed on as data. */
    g_autoptr(PeelTestPacket) t =
            tcp_hex("b6de1f40 000003e9 00001389 50180200 68620000 68656c6c6f");

    g_assert_cmpstr(peel_test_info(t), ==,
            "46814 " ARROW " 8000 [PSH, ACK] Seq=1001 Ack=5001 Win=512 Len=5");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.len", 0), ==, "5");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.payload", 0), ==, "68656c6c6f");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.flags", 0), ==, "0x0018");
    g_assert_cmpstr(peel_test_field_str(t, "data.data", 0), ==, "68656c6c6f");
    g_assert_cmpstr(peel_test_protocols(t), ==, "tcp:data");
    g_assert_cmpuint(peel_test_field_count(t, "tcp.options"), ==, 0);
}

static void
test_all_flags(void)
{
    /* Every flag bit, the reserved ones included, and an urgent pointer of 7. */
    g_autoptr(PeelTestPacket) t = tcp_hex("b6de1f40 000003e9 00001389 5fff0200 244a0007 78");

    g_assert_cmpstr(peel_test_info(t), ==,
            "46814 " ARROW " 8000 [FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE, Reserved] "
            "Seq=1001 Ack=5001 Win=512 Urg=7 Len=1");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.flags", 0), ==, "0x0fff");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.flags.str", 0), ==, "RRRACEUAPRSF");
    const char *bits[] = { "res", "ae", "cwr", "ece", "urg", "ack", "push", "reset", "syn", "fin" };
    for (size_t i = 0; i < G_N_ELEMENTS(bits); i++) {
        g_autofree char *name = g_strdup_printf("tcp.flags.%s", bits[i]);
        g_assert_cmpstr(peel_test_field_str(t, name, 0), ==, "1");
    }
    g_assert_cmpstr(peel_test_field_str(t, "tcp.urgent_pointer", 0), ==, "7");
    g_assert_true(peel_test_has_expert(t, "Connection reset (RST)"));
    g_assert_true(peel_test_has_expert(t, "Connection finish (FIN)"));
    g_assert_true(peel_test_has_expert(t, "(SYN+ACK): server port 46814"));
    /* The order tshark lists them in: the bits from the reset down. */
    const PeelPacket *pkt = peel_test_packet(t);
    g_assert_cmpuint(pkt->n_experts, ==, 3);
    g_assert_cmpstr(pkt->experts[0].msg, ==, "Connection reset (RST)");
    g_assert_cmpuint(pkt->experts[0].severity, ==, PEEL_SEV_WARN);
    g_assert_cmpstr(pkt->experts[2].msg, ==, "Connection finish (FIN)");
}

static void
test_no_flags(void)
{
    /* No flag at all, and an acknowledgement number without ACK. */
    g_autoptr(PeelTestPacket) t = tcp_hex("b6de1f40 00000001 00000002 50000000 00000005");

    g_assert_cmpstr(peel_test_info(t), ==, "46814 " ARROW " 8000 [<None>] Seq=1 Win=0 Len=0");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.ack", 0), ==, "2");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.ack_raw", 0), ==, "2");
    g_assert_true(peel_test_has_expert(
            t, "The acknowledgment number field is nonzero while the ACK flag is not set"));
    g_assert_true(peel_test_has_expert(
            t, "The urgent pointer field is nonzero while the URG flag is not set"));
    g_assert_cmpstr(peel_test_field_str(t, "tcp.flags", 0), ==, "0x0000");
}

static void
test_rst(void)
{
    g_autoptr(PeelTestPacket) t = tcp_hex("b6de1f40 000003e9 00000000 50040000 00000000");

    g_assert_cmpstr(peel_test_info(t), ==, "46814 " ARROW " 8000 [RST] Seq=1001 Win=0 Len=0");
    g_assert_true(peel_test_has_expert(t, "Connection reset (RST)"));
    g_assert_false(peel_test_has_expert(t, "acknowledgment number"));
}

static void
test_opt_sack(void)
{
    /* NOP NOP SACK with two blocks (1-16, 256-4096). */
    g_autoptr(PeelTestPacket) t =
            tcp_with_options("b010", "0101 0512 00000001 00000010 00000100 00001000 00000000");

    g_assert_cmpstr(peel_test_info(t), ==,
            "46814 " ARROW " 8000 [ACK] Seq=1 Ack=2 Win=0 Len=0 SLE=1 SRE=16 SLE=256 SRE=4096");
    g_assert_cmpuint(peel_test_field_count(t, "tcp.options.sack_le"), ==, 2);
    g_assert_cmpstr(peel_test_field_str(t, "tcp.options.sack_le", 1), ==, "256");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.options.sack_re", 1), ==, "4096");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.options.sack.count", 0), ==, "2");
    g_assert_cmpuint(peel_test_field_count(t, "tcp.options.eol"), ==, 4);
    /* The first block lies below the acknowledgement number (2): a duplicate (RFC 2883). */
    g_assert_cmpstr(peel_test_field_str(t, "tcp.options.sack.dsack_le", 0), ==, "1");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.options.sack.dsack_re", 0), ==, "16");
    g_assert_cmpuint(peel_test_packet(t)->n_experts, ==, 1);
    g_assert_true(peel_test_has_expert(t, "D-SACK Sequence"));

    /* Above it: an ordinary SACK. */
    g_autoptr(PeelTestPacket) u = tcp_with_options("8010", "0101 050a 00000010 00000020");
    g_assert_cmpuint(peel_test_field_count(u, "tcp.options.sack.dsack_le"), ==, 0);
    g_assert_cmpuint(peel_test_packet(u)->n_experts, ==, 0);
}

static void
test_opt_sack_bad_length(void)
{
    /* A SACK of length 4 cannot hold an edge. */
    g_autoptr(PeelTestPacket) t = tcp_with_options("7010", "05040000 00000000");

    g_assert_true(peel_test_has_expert(t, "suboption would go past end of option"));
    g_assert_cmpstr(peel_test_field_str(t, "tcp.options.sack.count", 0), ==, "0");
    g_assert_cmpuint(peel_test_field_count(t, "tcp.options.sack_le"), ==, 0);
    g_assert_cmpstr(peel_test_info(t), ==, "46814 " ARROW " 8000 [ACK] Seq=1 Ack=2 Win=0 Len=0");
}

static void
test_opt_tfo(void)
{
    g_autoptr(PeelTestPacket) req = tcp_with_options("6002", "22020101");
    g_assert_cmpstr(peel_test_info(req), ==, "46814 " ARROW " 8000 [SYN] Seq=1 Win=0 Len=0 TFO=R");
    g_assert_cmpuint(peel_test_field_count(req, "tcp.options.tfo.request"), ==, 1);
    g_assert_cmpstr(peel_test_field_str(req, "tcp.options.tfo", 0), ==, "2202");
    g_assert_true(peel_test_has_expert(req, "The SYN packet does not contain a MSS option"));

    g_autoptr(PeelTestPacket) cookie = tcp_with_options("8012", "220a0102030405060708 0000");
    g_assert_cmpstr(peel_test_info(cookie), ==,
            "46814 " ARROW " 8000 [SYN, ACK] Seq=1 Ack=2 Win=0 Len=0 TFO=C");
    g_assert_cmpstr(
            peel_test_field_str(cookie, "tcp.options.tfo.cookie", 0), ==, "0102030405060708");
}

static void
test_opt_md5_experimental_unknown(void)
{
    g_autoptr(PeelTestPacket) md5 =
            tcp_with_options("a010", "1312 0102030405060708090a0b0c0d0e0f10 0000");
    g_assert_cmpstr(
            peel_test_info(md5), ==, "46814 " ARROW " 8000 [ACK] Seq=1 Ack=2 Win=0 Len=0 MD5");
    g_assert_cmpstr(peel_test_field_str(md5, "tcp.options.md5.digest", 0), ==,
            "0102030405060708090a0b0c0d0e0f10");

    g_autoptr(PeelTestPacket) exp = tcp_with_options("6010", "fd04abcd");
    g_assert_cmpstr(peel_test_info(exp), ==,
            "46814 " ARROW " 8000 [ACK] Seq=1 Ack=2 Win=0 Len=0 ExID=ABCD");
    g_assert_cmpstr(peel_test_field_str(exp, "tcp.options.experimental.exid", 0), ==, "0xabcd");

    g_autoptr(PeelTestPacket) unk = tcp_with_options("6010", "99040102");
    g_assert_cmpstr(peel_test_field_str(unk, "tcp.option_kind", 0), ==, "153");
    g_assert_cmpstr(peel_test_field_str(unk, "tcp.option_len", 0), ==, "4");
    g_assert_cmpstr(peel_test_field_str(unk, "tcp.options.unknown.payload", 0), ==, "0102");
    g_assert_cmpstr(peel_test_field_str(unk, "tcp.options.unknown", 0), ==, "99040102");
    g_assert_cmpuint(peel_test_packet(unk)->n_experts, ==, 0);
}

static void
test_opt_eol_padding(void)
{
    g_autoptr(PeelTestPacket) zeros = tcp_with_options("6010", "00000000");
    g_assert_cmpuint(peel_test_field_count(zeros, "tcp.options.eol"), ==, 4);
    g_assert_cmpuint(peel_test_packet(zeros)->n_experts, ==, 0);

    g_autoptr(PeelTestPacket) junk = tcp_with_options("6010", "00010000");
    g_assert_cmpuint(peel_test_field_count(junk, "tcp.options.eol"), ==, 1);
    g_assert_true(peel_test_has_expert(junk, "Non-zero header padding"));
    g_assert_cmpuint(peel_test_field_count(junk, "tcp.options.nop"), ==, 0);
}

static void
test_opt_four_nops(void)
{
    g_autoptr(PeelTestPacket) t = tcp_with_options("6010", "01010101");
    g_assert_cmpuint(peel_test_field_count(t, "tcp.options.nop"), ==, 4);
    g_assert_true(peel_test_has_expert(t, "4 NOP in a row"));

    /* Eight NOPs: noted once, as tshark does. */
    g_autoptr(PeelTestPacket) eight = tcp_with_options("7010", "01010101 01010101");
    g_assert_cmpuint(peel_test_packet(eight)->n_experts, ==, 1);

    /* NOPs that do not fill one 32-bit word of the header are ordinary padding. */
    g_autoptr(PeelTestPacket) padded =
            tcp_with_options("a010", "020405ac 04020101 01010101 01010101 01030305");
    g_assert_cmpuint(peel_test_field_count(padded, "tcp.options.nop"), ==, 11);
    g_assert_false(peel_test_has_expert(padded, "NOP"));
}

static void
test_opt_wscale_too_big(void)
{
    g_autoptr(PeelTestPacket) t = tcp_with_options("6010", "03030f01");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.options.wscale.shift", 0), ==, "15");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.options.wscale.multiplier", 0), ==, "16384");
    g_assert_true(peel_test_has_expert(t, "Window scale shift exceeds 14"));
    g_assert_cmpstr(
            peel_test_info(t), ==, "46814 " ARROW " 8000 [ACK] Seq=1 Ack=2 Win=0 Len=0 WS=16384");
}

static void
test_opt_len_too_short(void)
{
    /* MSS claiming 1 byte: options end there, with tshark's note. */
    g_autoptr(PeelTestPacket) t = tcp_with_options("6010", "02010000");
    g_assert_true(peel_test_has_expert(
            t, "Maximum segment size (with too-short option length = 1 byte)"));
    g_assert_cmpuint(peel_test_field_count(t, "tcp.option_kind"), ==, 0);
    g_assert_cmpstr(peel_test_field_str(t, "tcp.options", 0), ==, "02010000");

    g_autoptr(PeelTestPacket) zero = tcp_with_options("6010", "99000000");
    g_assert_true(
            peel_test_has_expert(zero, "Unknown (0x99) (with too-short option length = 0 bytes)"));
}

static void
test_opt_len_past_end(void)
{
    g_autoptr(PeelTestPacket) t = tcp_with_options("6010", "02080000");
    g_assert_true(peel_test_has_expert(t,
            "Maximum segment size (option length = 8 bytes says option goes past end of "
            "options)"));
    g_assert_cmpuint(peel_test_field_count(t, "tcp.options.mss_val"), ==, 0);
    g_assert_cmpstr(peel_test_info(t), ==, "46814 " ARROW " 8000 [ACK] Seq=1 Ack=2 Win=0 Len=0");

    /* A kind byte with no room left for its length. */
    g_autoptr(PeelTestPacket) last = tcp_with_options("6010", "01010102");
    g_assert_cmpuint(peel_test_field_count(last, "tcp.options.nop"), ==, 3);
    g_assert_true(
            peel_test_has_expert(last, "Maximum segment size (length byte past end of options)"));
}

static void
test_opt_wrong_fixed_length(void)
{
    /* MSS with length 3: kind and length shown, a note, then the next option. */
    g_autoptr(PeelTestPacket) t = tcp_with_options("6010", "02030000");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.option_len", 0), ==, "3");
    g_assert_cmpuint(peel_test_field_count(t, "tcp.options.mss_val"), ==, 0);
    g_assert_true(peel_test_has_expert(t, "option length should be 4"));
    g_assert_true(peel_test_has_expert(t, "The non-SYN packet does contain a MSS option"));
    g_assert_cmpuint(peel_test_field_count(t, "tcp.options.eol"), ==, 1);

    g_autoptr(PeelTestPacket) ts = tcp_with_options("7010", "0806 00000001 0000");
    g_assert_true(peel_test_has_expert(ts, "option length should be 10"));
    g_assert_cmpuint(peel_test_field_count(ts, "tcp.options.timestamp.tsval"), ==, 0);
}

static void
test_hdr_len_short(void)
{
    /* A data offset of 4 words: the header stops after the sequence number. */
    g_autoptr(PeelTestPacket) t = tcp_hex("b6de1f40 00000001 00000002 40100000 00000000");

    g_assert_cmpstr(peel_test_info(t), ==,
            "46814 " ARROW " 8000 [ACK] Seq=1 Ack=2 Win=0, bogus TCP header length (16, must "
            "be at least 20)");
    g_assert_true(peel_test_has_expert(t, "Bogus TCP header length (16, must be at least 20)"));
    g_assert_cmpstr(peel_test_field_str(t, "tcp.hdr_len", 0), ==, "16");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.len", 0), ==, "4");
    g_assert_cmpuint(peel_test_field_count(t, "tcp.ack"), ==, 0);
    g_assert_cmpuint(peel_test_field_count(t, "tcp.flags"), ==, 0);
    g_assert_cmpstr(peel_test_protocols(t), ==, "tcp");
}

static void
test_truncated_ports(void)
{
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex_full(&peel_proto_tcp, 1, "b6de1f", 40);
    g_assert_cmpstr(peel_test_field_str(t, "tcp.srcport", 0), ==, "46814");
    g_assert_true(peel_test_field_is_truncated(t, "tcp.dstport"));
    g_assert_cmpuint(peel_test_field_count(t, "tcp.seq"), ==, 0);
    g_assert_cmpstr(peel_test_info(t), ==, "");
}

static void
test_truncated_fixed(void)
{
    /* The capture ends 10 bytes into a 40-byte segment: like tshark, nothing past the ports
     * is shown, and the TCP item says why. */
    g_autoptr(PeelTestPacket) t =
            peel_test_dissect_hex_full(&peel_proto_tcp, 1, "b6de1f40 00000001 0000", 40);
    g_assert_cmpstr(peel_test_info(t), ==, "46814 " ARROW " 8000");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.dstport", 0), ==, "8000");
    g_assert_cmpuint(peel_test_field_count(t, "tcp.seq"), ==, 0);
    g_assert_true(peel_test_field_is_truncated(t, "tcp"));
    g_assert_true(peel_test_has_expert(t, "truncated: capture ends 10 bytes into the TCP header"));
    g_assert_false(peel_test_packet(t)->malformed);

    /* Cut inside the flags word. */
    g_autoptr(PeelTestPacket) u =
            peel_test_dissect_hex_full(&peel_proto_tcp, 1, "b6de1f40 00000001 00000002 50", 40);
    g_assert_cmpuint(peel_test_field_count(u, "tcp.hdr_len"), ==, 0);
    g_assert_true(peel_test_has_expert(u, "capture ends 13 bytes into the TCP header"));
}

static void
test_truncated_options(void)
{
    /* Cut 2 bytes into the timestamps option of a 46-byte segment. */
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex_full(&peel_proto_tcp, 1,
            "b6de1f40 00000001 00000002 a0180064 32b40000 020405b4 0402 080a 0000", 46);
    g_assert_cmpstr(peel_test_info(t), ==,
            "46814 " ARROW " 8000 [PSH, ACK] Seq=1 Ack=2 Win=100 Len=6 MSS=1460 SACK_PERM");
    g_assert_true(peel_test_field_is_truncated(t, "tcp.options.timestamp.tsval"));
    g_assert_cmpuint(peel_test_field_count(t, "tcp.payload"), ==, 0);
    g_assert_cmpuint(peel_test_field_count(t, "data"), ==, 0);
    /* The Options item holds what was captured of it, as in tshark. */
    g_assert_cmpstr(peel_test_field_str(t, "tcp.options", 0), ==, "020405b40402080a0000");
}

static void
test_truncated_payload(void)
{
    /* 2 of 6 payload bytes captured: the segment length still counts all 6. */
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex_full(
            &peel_proto_tcp, 1, "b6de1f40 00000001 00000002 50180064 00000000 6162", 26);
    g_assert_cmpstr(peel_test_field_str(t, "tcp.len", 0), ==, "6");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.payload", 0), ==, "6162");
    g_assert_cmpstr(
            peel_test_info(t), ==, "46814 " ARROW " 8000 [PSH, ACK] Seq=1 Ack=2 Win=100 Len=6");
    g_assert_cmpstr(peel_test_protocols(t), ==, "tcp:data");
}

static void
test_short_segment(void)
{
    /* The header claims 40 bytes, the packet only 30: options run past its end. */
    g_autoptr(PeelTestPacket) t =
            tcp_hex("b6de1f40 00000001 00000002 a0180064 32b40000 020405b4 0402 080a 0000");
    g_assert_true(peel_test_has_expert(t, "Short segment."));
    g_assert_cmpuint(peel_test_field_count(t, "tcp.len"), ==, 0);
    g_assert_true(peel_test_field_is_malformed(t, "tcp.options.timestamp.tsval"));
    g_assert_true(peel_test_packet(t)->malformed);
    g_assert_cmpstr(peel_test_info(t), ==,
            "46814 " ARROW " 8000 [PSH, ACK] Seq=1 Ack=2 Win=100 MSS=1460 SACK_PERM");
    const PeelPacket *pkt = peel_test_packet(t);
    g_assert_cmpstr(pkt->fields[0].text, ==,
            "Transmission Control Protocol, Src Port: 46814, Dst Port: 8000, Seq: 1, Ack: 2");
}

static void
test_claimed_short(void)
{
    /* The packet claims 12 bytes: the fixed header cannot fit. */
    g_autoptr(PeelTestPacket) t = tcp_hex("b6de1f40 00000001 00000002");
    g_assert_cmpuint(peel_test_field_count(t, "tcp.seq"), ==, 0);
    g_assert_true(peel_test_field_is_malformed(t, "tcp"));
    g_assert_true(peel_test_has_expert(t, "malformed: the TCP header needs 20 bytes, 12 left"));
    g_assert_true(peel_test_packet(t)->malformed);
    g_assert_cmpstr(peel_test_info(t), ==, "46814 " ARROW " 8000");
}

static void
test_rst_with_data(void)
{
    /* A reset carrying its reason: shown as text, not handed on. */
    g_autoptr(PeelTestPacket) t =
            tcp_hex("0050ce8b 00000001 00000001 50141699 84710000 6e6f2073 75636820 706f7274");
    g_assert_cmpstr(peel_test_field_str(t, "tcp.reset_cause", 0), ==, "no such port");
    g_assert_cmpuint(peel_test_field_count(t, "tcp.payload"), ==, 0);
    g_assert_cmpstr(peel_test_protocols(t), ==, "tcp");
    g_assert_cmpstr(
            peel_test_info(t), ==, "80 " ARROW " 52875 [RST, ACK] Seq=1 Ack=1 Win=5785 Len=12");
}

static void
test_opt_experimental_tfo(void)
{
    /* TCP Fast Open under the shared experimental kind (ExID 0xf989). */
    g_autoptr(PeelTestPacket) req = tcp_with_options("6002", "fe04f989");
    g_assert_cmpstr(peel_test_info(req), ==, "46814 " ARROW " 8000 [SYN] Seq=1 Win=0 Len=0 TFO=R");
    g_assert_cmpuint(peel_test_field_count(req, "tcp.options.tfo.request"), ==, 1);

    g_autoptr(PeelTestPacket) cookie = tcp_with_options("8012", "fe0cf989 261fb060 cecab690");
    g_assert_cmpstr(
            peel_test_field_str(cookie, "tcp.options.tfo.cookie", 0), ==, "261fb060cecab690");
    g_assert_cmpstr(peel_test_field_str(cookie, "tcp.options.experimental.exid", 0), ==, "0xf989");
    g_assert_null(strstr(peel_test_info(cookie), "ExID"));
}

/* ---- over IP: checksums and ICMP quotes (skipped until those dissectors exist) ---- */

#define IP4_TCP_HEAD                                                                               \
    "4500002d 00014000 400626c8 0a000001 0a000002 b6de1f40 000003e9 00001389 50180200"
#define IP6_TCP_HEAD                                                                               \
    "60000000 00170640 20010db8 00000000 00000000 00000001 20010db8 00000000 00000000 "            \
    "00000002 b6de1f40 00000001 00000002 50180064"

static void
check_checksum(const PeelProto *ip, const char *ipfield, const char *hex, bool verify,
        const char *status, const char *calc, bool bad)
{
    if (!have_field(ipfield)) {
        g_test_skip("the IP dissector is not there yet");
        return;
    }
    peel_test_set_pref(verify ? "tcp.check_checksum:TRUE" : NULL);
    g_autoptr(PeelTestPacket) t = peel_test_dissect_hex(ip, hex);
    peel_test_set_pref(NULL);
    g_assert_cmpstr(peel_test_field_str(t, "tcp.checksum.status", 0), ==, status);
    g_assert_cmpstr(peel_test_field_str(t, "tcp.checksum_calculated", 0), ==, calc);
    g_assert_cmpint(peel_test_has_expert(t, "Bad checksum [should be "), ==, bad);
    g_assert_cmpint(strstr(peel_test_info(t), "[TCP CHECKSUM INCORRECT]") != NULL, ==, bad);
}

static void
test_checksum_ipv4(void)
{
    check_checksum(&peel_proto_ip, "ip.src", IP4_TCP_HEAD "68620000 68656c6c 6f", true, "1",
            "0x6862", false);
    check_checksum(&peel_proto_ip, "ip.src", IP4_TCP_HEAD "12340000 68656c6c 6f", true, "0",
            "0x6862", true);
    /* tshark's default: not verified at all. */
    check_checksum(
            &peel_proto_ip, "ip.src", IP4_TCP_HEAD "12340000 68656c6c 6f", false, "2", NULL, false);
}

static void
test_checksum_ipv6(void)
{
    check_checksum(&peel_proto_ipv6, "ipv6.src", IP6_TCP_HEAD "b96c0000 616263", true, "1",
            "0xb96c", false);
    check_checksum(&peel_proto_ipv6, "ipv6.src", IP6_TCP_HEAD "00010000 616263", true, "0",
            "0xb96c", true);
}

static void
test_checksum_bad_info_order(void)
{
    if (!have_field("ip.src")) {
        g_test_skip("the IP dissector is not there yet");
        return;
    }
    peel_test_set_pref("tcp.check_checksum:TRUE");
    g_autoptr(PeelTestPacket) t =
            peel_test_dissect_hex(&peel_proto_ip, IP4_TCP_HEAD "12340000 68656c6c 6f");
    peel_test_set_pref(NULL);
    /* A lone mid-stream segment: relative numbers start at 1 on both sides, as tshark. */
    g_assert_cmpstr(peel_test_info(t), ==,
            "46814 " ARROW " 8000 [PSH, ACK] Seq=1 Ack=1 Win=512 [TCP CHECKSUM "
            "INCORRECT] Len=5");
}

static void
test_icmp_quote(void)
{
    if (!have_field("icmp.type") || !have_field("ip.src")) {
        g_test_skip("the ICMP and IP dissectors are not there yet");
        return;
    }
    /* Port unreachable quoting the first 8 bytes of a segment: ports and seq only. */
    g_autoptr(PeelTestPacket) q8 = peel_test_dissect_hex(&peel_proto_ip,
            "45000038 00014000 400126c2 0a000001 0a000002 030326dd 00000000 45000042 00014000 "
            "400626b3 0a000002 0a000001 b6de1f40 00000001");
    g_assert_cmpstr(peel_test_field_str(q8, "tcp.srcport", 0), ==, "46814");
    g_assert_cmpstr(peel_test_field_str(q8, "tcp.seq", 0), ==, "1");
    g_assert_cmpuint(peel_test_field_count(q8, "tcp.seq_raw"), ==, 0);
    g_assert_cmpuint(peel_test_field_count(q8, "tcp.ack"), ==, 0);
    g_assert_cmpuint(peel_test_field_count(q8, "tcp.len"), ==, 0);
    g_assert_false(peel_test_has_expert(q8, "truncated"));
    g_assert_false(peel_test_has_expert(q8, "malformed"));
    g_assert_null(strstr(peel_test_info(q8), ARROW));

    /* 24 bytes quoted: the fixed header and the first option. */
    g_autoptr(PeelTestPacket) q24 = peel_test_dissect_hex(&peel_proto_ip,
            "45000048 00014000 400126b2 0a000001 0a000002 03034bf2 00000000 45000042 00014000 "
            "400626b3 0a000002 0a000001 b6de1f40 00000001 00000002 a0180064 32b40000 020405b4");
    g_assert_cmpstr(peel_test_field_str(q24, "tcp.ack", 0), ==, "2");
    g_assert_cmpstr(peel_test_field_str(q24, "tcp.hdr_len", 0), ==, "40");
    g_assert_cmpstr(peel_test_field_str(q24, "tcp.checksum.status", 0), ==, "2");
    g_assert_cmpstr(peel_test_field_str(q24, "tcp.options.mss_val", 0), ==, "1460");
    g_assert_cmpuint(peel_test_field_count(q24, "tcp.options.sack_perm"), ==, 0);
    g_assert_false(peel_test_has_expert(q24, "truncated"));
    g_assert_false(peel_test_has_expert(q24, "past end"));
    g_assert_null(strstr(peel_test_info(q24), "MSS="));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/tcp/header/syn", test_syn);
    g_test_add_func("/tcp/header/flags-str", test_flags_str);
    g_test_add_func("/tcp/header/synack-label", test_synack_label);
    g_test_add_func("/tcp/header/payload", test_payload);
    g_test_add_func("/tcp/header/hdr-len-short", test_hdr_len_short);
    g_test_add_func("/tcp/flags/all", test_all_flags);
    g_test_add_func("/tcp/flags/none", test_no_flags);
    g_test_add_func("/tcp/flags/rst", test_rst);
    g_test_add_func("/tcp/options/sack", test_opt_sack);
    g_test_add_func("/tcp/options/sack-bad-length", test_opt_sack_bad_length);
    g_test_add_func("/tcp/options/tfo", test_opt_tfo);
    g_test_add_func("/tcp/options/md5-experimental-unknown", test_opt_md5_experimental_unknown);
    g_test_add_func("/tcp/options/eol-padding", test_opt_eol_padding);
    g_test_add_func("/tcp/options/four-nops", test_opt_four_nops);
    g_test_add_func("/tcp/options/wscale-too-big", test_opt_wscale_too_big);
    g_test_add_func("/tcp/options/len-too-short", test_opt_len_too_short);
    g_test_add_func("/tcp/options/len-past-end", test_opt_len_past_end);
    g_test_add_func("/tcp/options/wrong-fixed-length", test_opt_wrong_fixed_length);
    g_test_add_func("/tcp/truncated/ports", test_truncated_ports);
    g_test_add_func("/tcp/truncated/fixed-header", test_truncated_fixed);
    g_test_add_func("/tcp/truncated/options", test_truncated_options);
    g_test_add_func("/tcp/truncated/payload", test_truncated_payload);
    g_test_add_func("/tcp/malformed/short-segment", test_short_segment);
    g_test_add_func("/tcp/malformed/claimed-short", test_claimed_short);
    g_test_add_func("/tcp/header/rst-with-data", test_rst_with_data);
    g_test_add_func("/tcp/options/experimental-tfo", test_opt_experimental_tfo);
    g_test_add_func("/tcp/checksum/ipv4", test_checksum_ipv4);
    g_test_add_func("/tcp/checksum/ipv6", test_checksum_ipv6);
    g_test_add_func("/tcp/checksum/bad-info", test_checksum_bad_info_order);
    g_test_add_func("/tcp/icmp/quoted", test_icmp_quote);
    return g_test_run();
}
