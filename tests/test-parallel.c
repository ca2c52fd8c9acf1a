/* test-parallel.c: --threads: the address-pair key that divides frames between threads,
 * and output byte for byte the same as one thread's on every sample. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "linktype.h"
#include "peel-run.h"
#include "shard.h"

static char *tmpdir; /* this run's own: runs side by side never share a file */

/* An IPv4 header (20 bytes, protocol TCP) from a to b after `pre` bytes of link header. */
static GByteArray *
ipv4_frame(const uint8_t *pre, guint n_pre, const uint8_t a[4], const uint8_t b[4])
{
    GByteArray *f = g_byte_array_new();
    g_byte_array_append(f, pre, n_pre);
    uint8_t ip[20] = { 0x45, 0, 0, 40, 0, 1, 0x40, 0, 64, 6 };
    memcpy(ip + 12, a, 4);
    memcpy(ip + 16, b, 4);
    g_byte_array_append(f, ip, sizeof ip);
    return f;
}

static uint32_t
key_of(int linktype, const GByteArray *f)
{
    return peel_frame_shard_key(linktype, f->data, f->len);
}

static void
test_shard_key(void)
{
    const uint8_t a[4] = { 10, 0, 0, 1 }, b[4] = { 10, 0, 0, 2 }, c[4] = { 192, 168, 7, 9 };
    const uint8_t eth[14] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00 };
    const uint8_t vlan[18] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x81, 0x00, 0, 5, 0x08, 0x00 };
    uint8_t sll[16] = { 0 };
    sll[14] = 0x08;
    uint8_t sll2[20] = { 0x08, 0x00 };
    const uint8_t null4[4] = { 2, 0, 0, 0 };
    g_autoptr(GByteArray) ab = ipv4_frame(eth, sizeof eth, a, b);
    g_autoptr(GByteArray) ba = ipv4_frame(eth, sizeof eth, b, a);
    g_autoptr(GByteArray) ac = ipv4_frame(eth, sizeof eth, a, c);
    g_autoptr(GByteArray) vab = ipv4_frame(vlan, sizeof vlan, a, b);
    g_autoptr(GByteArray) sab = ipv4_frame(sll, sizeof sll, b, a);
    g_autoptr(GByteArray) s2ab = ipv4_frame(sll2, sizeof sll2, a, b);
    g_autoptr(GByteArray) nab = ipv4_frame(null4, sizeof null4, a, b);
    g_autoptr(GByteArray) rab = ipv4_frame(NULL, 0, b, a);
    uint32_t k = key_of(PEEL_LINKTYPE_ETHERNET, ab);
    /* both directions, and every link layer, give the pair the same key */
    g_assert_cmpuint(key_of(PEEL_LINKTYPE_ETHERNET, ba), ==, k);
    g_assert_cmpuint(key_of(PEEL_LINKTYPE_ETHERNET, vab), ==, k);
    g_assert_cmpuint(key_of(PEEL_LINKTYPE_LINUX_SLL, sab), ==, k);
    g_assert_cmpuint(key_of(PEEL_LINKTYPE_LINUX_SLL2, s2ab), ==, k);
    g_assert_cmpuint(key_of(PEEL_LINKTYPE_NULL, nab), ==, k);
    g_assert_cmpuint(key_of(PEEL_LINKTYPE_RAW, rab), ==, k);
    g_assert_cmpuint(key_of(PEEL_LINKTYPE_IPV4, rab), ==, k);
    g_assert_cmpuint(key_of(PEEL_LINKTYPE_ETHERNET, ac), !=, k);
    /* IPv6: both directions */
    uint8_t v6[40] = { 0x60 }, v6r[40] = { 0x60 };
    for (int i = 0; i < 16; i++) {
        v6[8 + i] = v6r[24 + i] = (uint8_t)i;
        v6[24 + i] = v6r[8 + i] = (uint8_t)(0xf0 | i);
    }
    g_assert_cmpuint(peel_frame_shard_key(PEEL_LINKTYPE_IPV6, v6, sizeof v6), ==,
            peel_frame_shard_key(PEEL_LINKTYPE_RAW, v6r, sizeof v6r));
    /* not IP, cut short, or an unknown link type: 0 */
    uint8_t arp[42] = { 0 };
    arp[12] = 0x08;
    arp[13] = 0x06;
    g_assert_cmpuint(peel_frame_shard_key(PEEL_LINKTYPE_ETHERNET, arp, sizeof arp), ==, 0);
    g_assert_cmpuint(peel_frame_shard_key(PEEL_LINKTYPE_ETHERNET, ab->data, 14 + 19), ==, 0);
    g_assert_cmpuint(peel_frame_shard_key(PEEL_LINKTYPE_ETHERNET, ab->data, 3), ==, 0);
    g_assert_cmpuint(peel_frame_shard_key(PEEL_LINKTYPE_PPP, ab->data, ab->len), ==, 0);
    g_assert_cmpuint(peel_frame_shard_key(PEEL_LINKTYPE_ETHERNET, NULL, 0), ==, 0);
}

/* peel's output and exit status with --threads N, the rest of the arguments as given. */
static PeelRun
run_threads(const char *threads, const char *const *args)
{
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, "--threads");
    g_ptr_array_add(argv, (gpointer)threads);
    for (const char *const *a = args; *a; a++)
        g_ptr_array_add(argv, (gpointer)*a);
    g_ptr_array_add(argv, NULL);
    PeelRun r = peel_run((const char *const *)argv->pdata);
    g_ptr_array_free(argv, TRUE);
    return r;
}

static void
assert_same(const char *const *args)
{
    PeelRun one = run_threads("1", args);
    for (const char *n = "2"; n != NULL; n = strcmp(n, "2") == 0 ? "3" : NULL) {
        PeelRun many = run_threads(n, args);
        if (strcmp(one.out, many.out) != 0 || strcmp(one.err, many.err) != 0 ||
                one.status != many.status)
            g_test_fail_printf("--threads %s differs from --threads 1: peel %s %s ...", n,
                    args[0], args[1]);
        peel_run_clear(&many);
    }
    peel_run_clear(&one);
}

/* Every sample, in every output the threads serve, the same as one thread prints it. */
static void
test_same_output(void)
{
    if (!peel_run_ready())
        return;
    g_autofree char *dir = peel_run_sample("");
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_assert_nonnull(d);
    guint files = 0;
    for (const char *name; (name = g_dir_read_name(d)) != NULL;) {
        if (!g_str_has_suffix(name, ".pcap") && !g_str_has_suffix(name, ".pcapng"))
            continue;
        g_autofree char *path = g_build_filename(dir, name, NULL);
        assert_same((const char *[]){ "-r", path, NULL });
        assert_same((const char *[]){ "-r", path, "-x", "-c", "9", NULL });
        assert_same((const char *[]){ "-r", path, "-V", NULL });
        assert_same((const char *[]){ "-r", path, "-T", "ek", NULL });
        assert_same((const char *[]){ "-r", path, "-T", "fields", "-e", "frame.number", "-e",
                "ip.src", "-e", "tcp.srcport", "-e", "_ws.col.Info", "-e", "http.request.uri",
                "-e", "tcp.analysis.ack_rtt", "-e", "ip.reassembled_in", NULL });
        assert_same((const char *[]){ "-r", path, "-Y",
                "http.request.method == \"POST\" || tcp.analysis.retransmission || stun || "
                "websocket.opcode == 1 || grpc || amqp",
                NULL });
        /* stream numbers: renumbered as written; a filter on them runs on one thread */
        assert_same((const char *[]){ "-r", path, "-T", "fields", "-e", "tcp.stream", "-e",
                "udp.stream", NULL });
        assert_same((const char *[]){ "-r", path, "-Y", "udp.stream == 1", NULL });
        files++;
    }
    g_assert_cmpuint(files, >=, 20);
}

static void
put32(GByteArray *b, uint32_t v)
{
    g_byte_array_append(b, (const guint8 *)&v, 4); /* the file's byte order is this host's */
}

/* A raw-IP pcap record: a UDP datagram between a and b (last address byte) at second t. */
static void
udp_record(GByteArray *b, uint8_t a, uint8_t bb, uint32_t t)
{
    uint8_t ip[28] = { 0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, a, 10, 0, 0, bb,
        0x30, 0x39, 0x00, 0x35, 0, 8, 0, 0 };
    put32(b, t);
    put32(b, 0);
    put32(b, sizeof ip);
    put32(b, sizeof ip);
    g_byte_array_append(b, ip, sizeof ip);
}

/* A pcap file header (microseconds, snaplen 65535) for raw IP records. */
static void
put_raw_pcap_header(GByteArray *b)
{
    put32(b, 0xa1b2c3d4);
    put32(b, 0x00040002);
    put32(b, 0);
    put32(b, 0);
    put32(b, 65535);
    put32(b, 101); /* LINKTYPE_RAW */
}

/* Stream numbers where time goes backwards: a flow idle past its limit by the capture's
 * clock (the latest time seen) starts a new stream, whichever thread dissects it. */
static void
test_same_streams_time_backwards(void)
{
    if (!peel_run_ready())
        return;
    g_autoptr(GByteArray) b = g_byte_array_new();
    put_raw_pcap_header(b);
    udp_record(b, 1, 2, 1000);
    udp_record(b, 3, 4, 1000 + 7200); /* two hours on: the first flow is idle past 3600 s */
    udp_record(b, 1, 2, 1000);        /* back in time, the first pair again */
    udp_record(b, 3, 4, 1000 + 7201);
    g_autofree char *tmp = g_build_filename(tmpdir, "time.pcap", NULL);
    g_assert_true(g_file_set_contents(tmp, (const char *)b->data, b->len, NULL));
    const char *args[] = { "-r", tmp, "-T", "fields", "-e", "frame.number", "-e", "udp.stream",
        NULL };
    PeelRun r = run_threads("2", args);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_cmpstr(r.out, ==, "1\t0\n2\t1\n3\t2\n4\t1\n");
    peel_run_clear(&r);
    assert_same(args);
    g_unlink(tmp);
}

/* A raw-IP pcap record: a TCP segment from 10.0.0.a:sport to 10.0.0.bb:dport at second t
 * (the IPv4 header checksum right, the TCP checksum left 0: not checked by default). */
static void
tcp_record(GByteArray *b, uint8_t a, uint8_t bb, uint16_t sport, uint16_t dport, uint32_t seq,
        uint32_t ack, uint8_t flags, const char *payload, uint32_t t)
{
    uint32_t n = payload ? (uint32_t)strlen(payload) : 0;
    uint16_t total = (uint16_t)(40 + n);
    uint8_t h[40] = { 0x45, 0, (uint8_t)(total >> 8), (uint8_t)total, 0, 1, 0x40, 0, 64, 6, 0, 0,
        10, 0, 0, a, 10, 0, 0, bb, (uint8_t)(sport >> 8), (uint8_t)sport, (uint8_t)(dport >> 8),
        (uint8_t)dport, (uint8_t)(seq >> 24), (uint8_t)(seq >> 16), (uint8_t)(seq >> 8),
        (uint8_t)seq, (uint8_t)(ack >> 24), (uint8_t)(ack >> 16), (uint8_t)(ack >> 8), (uint8_t)ack,
        0x50, flags, 0xff, 0xff, 0, 0, 0, 0 };
    uint32_t sum = 0;
    for (int i = 0; i < 20; i += 2)
        sum += (uint32_t)(h[i] << 8 | h[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    h[10] = (uint8_t)(~sum >> 8);
    h[11] = (uint8_t)~sum;
    put32(b, t);
    put32(b, 0);
    put32(b, total);
    put32(b, total);
    g_byte_array_append(b, h, sizeof h);
    if (n > 0)
        g_byte_array_append(b, (const guint8 *)payload, n);
}

/* HTTP requests still unanswered when the capture ends, on two connections that two
 * threads divide between them: the same stderr lines, in frame order, as one thread
 * prints; -q keeps them off stderr, -z expert counts them, a file that -c stops early has
 * none (it goes on), and -2 shows the note on the oldest request's frame. */
static void
test_same_end_notes(void)
{
    if (!peel_run_ready())
        return;
    /* the second connection's addresses: a pair the other of two threads owns */
    const uint8_t a1[4] = { 10, 0, 0, 1 }, a2[4] = { 10, 0, 0, 2 };
    g_autoptr(GByteArray) f12 = ipv4_frame(NULL, 0, a1, a2);
    uint32_t k12 = key_of(PEEL_LINKTYPE_RAW, f12);
    uint8_t x = 3;
    for (; x < 200; x++) {
        const uint8_t b1[4] = { 10, 0, 0, x }, b2[4] = { 10, 0, 0, (uint8_t)(x + 2) };
        g_autoptr(GByteArray) f = ipv4_frame(NULL, 0, b1, b2);
        if (key_of(PEEL_LINKTYPE_RAW, f) % 2 != k12 % 2)
            break;
    }
    g_assert_cmpuint(x, <, 200);
    static const char get[] = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
    uint32_t glen = (uint32_t)strlen(get);
    g_autoptr(GByteArray) b = g_byte_array_new();
    put_raw_pcap_header(b);
    tcp_record(b, 1, 2, 40000, 80, 100, 0, 0x02, NULL, 1000);             /* 1: SYN */
    tcp_record(b, 2, 1, 80, 40000, 500, 101, 0x12, NULL, 1000);           /* 2 */
    tcp_record(b, x, x + 2, 40001, 80, 100, 0, 0x02, NULL, 1001);         /* 3: SYN */
    tcp_record(b, x + 2, x, 80, 40001, 500, 101, 0x12, NULL, 1001);       /* 4 */
    tcp_record(b, 1, 2, 40000, 80, 101, 501, 0x18, get, 1002);            /* 5: GET */
    tcp_record(b, x, x + 2, 40001, 80, 101, 501, 0x18, get, 1002);        /* 6: GET */
    tcp_record(b, x, x + 2, 40001, 80, 101 + glen, 501, 0x18, get, 1003); /* 7: GET */
    g_autofree char *tmp = g_build_filename(tmpdir, "end.pcap", NULL);
    g_assert_true(g_file_set_contents(tmp, (const char *)b->data, b->len, NULL));
    g_autofree char *want = g_strdup_printf(
            "peel: %s: frame 5: 1 HTTP request without a response at the end of the capture "
            "(first in frame 5)\n"
            "peel: %s: frame 6: 2 HTTP requests without a response at the end of the capture "
            "(first in frame 6)\n",
            tmp, tmp);
    const char *args[] = { "-r", tmp, "-T", "fields", "-e", "frame.number", NULL };
    for (const char *n = "1"; n != NULL; n = strcmp(n, "1") == 0 ? "2" : NULL) {
        PeelRun r = run_threads(n, args);
        g_assert_cmpint(r.status, ==, 0);
        g_assert_cmpstr(r.out, ==, "1\n2\n3\n4\n5\n6\n7\n");
        g_assert_cmpstr(r.err, ==, want);
        peel_run_clear(&r);
    }
    assert_same(args);
    PeelRun q = run_threads("2", (const char *[]){ "-r", tmp, "-q", NULL });
    g_assert_cmpstr(q.err, ==, "");
    peel_run_clear(&q);
    PeelRun z = run_threads("1", (const char *[]){ "-r", tmp, "-q", "-z", "expert,note", NULL });
    g_assert_cmpstr(z.err, ==, "");
    g_assert_nonnull(strstr(z.out, "\nNotes (2)\n"));
    g_assert_nonnull(strstr(z.out,
            "           1   Sequence               HTTP  2 HTTP requests without a response at "
            "the end of the capture (first in frame 6)\n"));
    peel_run_clear(&z);
    PeelRun c = run_threads("2", (const char *[]){ "-r", tmp, "-c", "6", NULL });
    g_assert_cmpstr(c.err, ==, "");
    peel_run_clear(&c);
    PeelRun two = run_threads(
            "1", (const char *[]){ "-2", "-r", tmp, "-T", "fields", "-e", "frame.number", "-e",
                         "_ws.expert.message", "-Y", "http", NULL });
    g_assert_cmpstr(two.err, ==, want);
    g_assert_nonnull(strstr(two.out,
            "\n6\t2 HTTP requests without a response at the end of the capture (first in "
            "frame 6)\n"));
    g_assert_nonnull(strstr(two.out, "\n7\t\n"));
    peel_run_clear(&two);
    g_unlink(tmp);
}

/* A capture cut in the middle of a record: the same frames, the same message, the same
 * exit status. */
static void
test_same_on_error(void)
{
    if (!peel_run_ready())
        return;
    g_autofree char *path = peel_run_sample("tcp-multi.pcap");
    g_autofree char *bytes = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(path, &bytes, &len, NULL));
    g_autofree char *tmp = g_build_filename(tmpdir, "cut.pcap", NULL);
    g_assert_true(g_file_set_contents(tmp, bytes, (gssize)(len * 2 / 3), NULL));
    PeelRun r = run_threads("2", (const char *[]){ "-r", tmp, NULL });
    g_assert_cmpint(r.status, !=, 0);
    g_assert_nonnull(strstr(r.err, tmp));
    g_assert_cmpuint(strlen(r.out), >, 0);
    peel_run_clear(&r);
    assert_same((const char *[]){ "-r", tmp, NULL });
    g_unlink(tmp);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("peel-test-parallel-XXXXXX", NULL);
    g_assert_nonnull(tmpdir);
    g_test_add_func("/parallel/shard-key", test_shard_key);
    g_test_add_func("/parallel/same-output", test_same_output);
    g_test_add_func("/parallel/same-on-error", test_same_on_error);
    g_test_add_func("/parallel/same-end-notes", test_same_end_notes);
    g_test_add_func("/parallel/same-streams-time-backwards", test_same_streams_time_backwards);
    int rc = g_test_run();
    g_rmdir(tmpdir);
    g_free(tmpdir);
    return rc;
}
