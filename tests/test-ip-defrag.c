/* test-ip-defrag.c: IPv4 and IPv6 fragments through the engine: in order, reversed, with
 * a duplicate, with a conflicting overlap (the lowest offset wins, as in Wireshark), cut
 * short by the snaplen, and again on a revisit from per-frame records. The datagrams are
 * UDP between ports 5000 and 6000, whose payload no protocol claims (data). */
#include <glib.h>
#include <string.h>

#include "dissector.h"
#include "linktype.h"
#include "peel-test.h"
#include "registry.h"

/* ---- building fragments (link type RAW) ---- */

typedef struct {
    GPtrArray *frames; /* GByteArray per frame, index = number - 1 */
    GArray *wire;      /* guint32 wire length per frame (0: as captured) */
} Capture;

static Capture *
capture_new(void)
{
    Capture *c = g_new0(Capture, 1);
    c->frames = g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref);
    c->wire = g_array_new(FALSE, TRUE, sizeof(guint32));
    return c;
}

static void
capture_free(Capture *c)
{
    g_ptr_array_unref(c->frames);
    g_array_unref(c->wire);
    g_free(c);
}

static void
capture_add(Capture *c, GByteArray *b)
{
    guint32 zero = 0;
    g_ptr_array_add(c->frames, b);
    g_array_append_val(c->wire, zero);
}

/* A UDP datagram from port 5000 to 6000 (checksum 0: none) with n payload bytes. */
static GByteArray *
udp_datagram(guint n, uint8_t seed)
{
    GByteArray *d = g_byte_array_new();
    peel_test_put16(d, 5000);
    peel_test_put16(d, 6000);
    peel_test_put16(d, (uint16_t)(8 + n));
    peel_test_put16(d, 0);
    for (guint i = 0; i < n; i++) {
        uint8_t v = (uint8_t)(seed + i * 7);
        g_byte_array_append(d, &v, 1);
    }
    return d;
}

static const uint8_t v6_src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t v6_dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

/* The same over IPv6, where a UDP checksum is mandatory (RFC 8200 8.1). */
static GByteArray *
udp6_datagram(guint n, uint8_t seed)
{
    GByteArray *d = udp_datagram(n, seed);
    uint32_t sum = 17 + d->len;
    for (guint i = 0; i < 16; i += 2)
        sum += (uint32_t)(v6_src[i] << 8 | v6_src[i + 1]) +
               (uint32_t)(v6_dst[i] << 8 | v6_dst[i + 1]);
    for (guint i = 0; i < d->len; i += 2)
        sum += (uint32_t)d->data[i] << 8 | (i + 1 < d->len ? d->data[i + 1] : 0);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    uint16_t csum = (uint16_t)~sum;
    d->data[6] = (uint8_t)(csum >> 8);
    d->data[7] = (uint8_t)csum;
    return d;
}

/* An IPv4 fragment 10.0.0.1 -> 10.0.0.2 of `id` carrying n bytes at `off`, with a correct
 * header checksum. */
static void
add_v4(Capture *c, uint16_t id, uint32_t off, bool more, const uint8_t *data, guint n)
{
    GByteArray *b = g_byte_array_new();
    const uint8_t vhl_tos[] = { 0x45, 0x00 };
    g_byte_array_append(b, vhl_tos, 2);
    peel_test_put16(b, (uint16_t)(20 + n));
    peel_test_put16(b, id);
    peel_test_put16(b, (uint16_t)((more ? 0x2000 : 0) | off / 8));
    const uint8_t ttl_proto_sum[] = { 64, 17, 0, 0 };
    g_byte_array_append(b, ttl_proto_sum, 4);
    peel_test_put32(b, 0x0a000001);
    peel_test_put32(b, 0x0a000002);
    uint32_t sum = 0;
    for (guint i = 0; i < 20; i += 2)
        sum += (uint32_t)b->data[i] << 8 | b->data[i + 1];
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    b->data[10] = (uint8_t)(~sum >> 8);
    b->data[11] = (uint8_t)~sum;
    g_byte_array_append(b, data, n);
    capture_add(c, b);
}

/* An IPv6 fragment 2001:db8::1 -> 2001:db8::2 of `ident` carrying n bytes at `off`. */
static void
add_v6(Capture *c, uint32_t ident, uint32_t off, bool more, const uint8_t *data, guint n)
{
    GByteArray *b = g_byte_array_new();
    peel_test_put32(b, 0x60000000);
    peel_test_put16(b, (uint16_t)(8 + n));
    const uint8_t nxt_hlim[] = { 44, 64 };
    g_byte_array_append(b, nxt_hlim, 2);
    g_byte_array_append(b, v6_src, 16);
    g_byte_array_append(b, v6_dst, 16);
    const uint8_t frag_nxt[] = { 17, 0 };
    g_byte_array_append(b, frag_nxt, 2);
    peel_test_put16(b, (uint16_t)(off | (more ? 1 : 0)));
    peel_test_put32(b, ident);
    g_byte_array_append(b, data, n);
    capture_add(c, b);
}

static const PeelPacket *
run(PeelDissector *dis, Capture *c, uint32_t number)
{
    static PeelFrameInfo fr;
    GByteArray *b = g_ptr_array_index(c->frames, number - 1);
    guint32 wire = g_array_index(c->wire, guint32, number - 1);
    memset(&fr, 0, sizeof fr);
    fr.number = number;
    fr.ts = (PeelTime){ 1000 + number, 0 };
    fr.cap_len = b->len;
    fr.len = wire > b->len ? wire : b->len;
    fr.linktype = PEEL_LINKTYPE_RAW;
    fr.data = b->data;
    return peel_dissector_run(dis, &fr);
}

/* Runs frames 1..n on a new engine; returns the last packet (valid until the next run). */
static const PeelPacket *
run_all(PeelDissector *dis, Capture *c)
{
    const PeelPacket *pkt = NULL;
    for (guint i = 1; i <= c->frames->len; i++)
        pkt = run(dis, c, i);
    return pkt;
}

static char *
hex(const uint8_t *p, guint n)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < n; i++)
        g_string_append_printf(s, "%02x", p[i]);
    return g_string_free(s, FALSE);
}

/* What every completed 1208-byte UDP datagram shows. */
static void
assert_udp_datagram(const PeelPacket *pkt, const GByteArray *d)
{
    peel_test_assert_values(pkt, "udp.srcport", "5000");
    peel_test_assert_values(pkt, "udp.dstport", "6000");
    peel_test_assert_values(pkt, "udp.length", "1208");
    g_autofree char *payload = hex(d->data + 8, d->len - 8);
    peel_test_assert_values(pkt, "data.data", payload);
    g_assert_cmpstr(pkt->col_protocol, ==, "UDP");
    g_assert_cmpstr(pkt->info, ==, "5000 → 6000 Len=1200");
    g_assert_cmpuint(pkt->n_sources, ==, 2);
}

/* ---- IPv4 ---- */

static void
test_v4_in_order(void)
{
    g_autoptr(GByteArray) d = udp_datagram(1200, 1);
    Capture *c = capture_new();
    add_v4(c, 0x1234, 0, true, d->data, 504);
    add_v4(c, 0x1234, 504, true, d->data + 504, 504);
    add_v4(c, 0x1234, 1008, false, d->data + 1008, 200);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = run(dis, c, 1);
    g_assert_cmpstr(pkt->info, ==, "Fragmented IP protocol (proto=UDP 17, off=0, ID=1234)");
    g_assert_cmpstr(pkt->col_protocol, ==, "IPv4");
    g_assert_cmpstr(pkt->protocols, ==, "raw:ip:data");
    peel_test_assert_values(pkt, "ip.reassembled_in", ""); /* not known in one pass */
    pkt = run(dis, c, 2);
    g_assert_cmpstr(pkt->info, ==, "Fragmented IP protocol (proto=UDP 17, off=504, ID=1234)");
    peel_test_assert_values(pkt, "udp.srcport", "");
    pkt = run(dis, c, 3);
    assert_udp_datagram(pkt, d);
    g_assert_cmpstr(pkt->sources[1].name, ==, "Reassembled IPv4");
    g_assert_cmpmem(pkt->sources[1].data, pkt->sources[1].len, d->data, d->len);
    g_assert_cmpstr(pkt->protocols, ==, "raw:ip:udp:data");
    peel_test_assert_values(pkt, "ip.fragment", "1,2,3");
    peel_test_assert_values(pkt, "ip.fragment.count", "3");
    peel_test_assert_values(pkt, "ip.reassembled.length", "1208");
    g_autofree char *all = hex(d->data, d->len);
    peel_test_assert_values(pkt, "ip.fragments", all); /* Wireshark 4.0: a bytes item */
    peel_test_assert_values(pkt, "ip.reassembled.data", all);
    peel_test_assert_values(pkt, "ip.fragment.overlap", "");
    peel_test_assert_values(pkt, "ip.fragment.error", "");
    capture_free(c);
}

static void
test_v4_reversed(void)
{
    g_autoptr(GByteArray) d = udp_datagram(1200, 2);
    Capture *c = capture_new();
    add_v4(c, 7, 1008, false, d->data + 1008, 200);
    add_v4(c, 7, 504, true, d->data + 504, 504);
    add_v4(c, 7, 0, true, d->data, 504);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = run(dis, c, 1);
    g_assert_cmpstr(pkt->info, ==, "Fragmented IP protocol (proto=UDP 17, off=1008, ID=0007)");
    run(dis, c, 2);
    pkt = run(dis, c, 3);
    assert_udp_datagram(pkt, d);
    peel_test_assert_values(pkt, "ip.fragment", "3,2,1"); /* by offset, as Wireshark lists them */
    peel_test_assert_values(pkt, "ip.fragment.count", "3");
    capture_free(c);
}

static void
test_v4_duplicate(void)
{
    g_autoptr(GByteArray) d = udp_datagram(1200, 3);
    Capture *c = capture_new();
    add_v4(c, 9, 0, true, d->data, 504);
    add_v4(c, 9, 504, true, d->data + 504, 504);
    add_v4(c, 9, 504, true, d->data + 504, 504); /* the same again */
    add_v4(c, 9, 1008, false, d->data + 1008, 200);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = run_all(dis, c);
    assert_udp_datagram(pkt, d);
    peel_test_assert_values(pkt, "ip.fragment", "1,2,3,4");
    peel_test_assert_values(pkt, "ip.fragment.count", "4");
    peel_test_assert_values(pkt, "ip.fragment.overlap", "1"); /* frame 3, under its item */
    peel_test_assert_values(pkt, "ip.fragment.overlap.conflict", "");
    peel_test_assert_values(pkt, "ip.fragment.error", "");
    capture_free(c);
}

/* Frame 1 carries bytes 8..23, frame 2 bytes 0..23 with other values at 8..23: Wireshark
 * keeps frame 2's (the lower offset) and shows frame 1 as the conflicting overlap. */
static Capture *
conflict_capture(GByteArray *d)
{
    Capture *c = capture_new();
    g_autofree uint8_t *other = g_memdup2(d->data, 24);
    for (guint i = 8; i < 24; i++)
        other[i] ^= 0x5a;
    add_v4(c, 11, 8, true, other + 8, 16);
    add_v4(c, 11, 0, true, d->data, 24);
    add_v4(c, 11, 24, false, d->data + 24, d->len - 24);
    return c;
}

static void
test_v4_overlap_conflict(void)
{
    g_autoptr(GByteArray) d = udp_datagram(1200, 4);
    Capture *c = conflict_capture(d);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = run_all(dis, c);
    assert_udp_datagram(pkt, d);
    g_assert_cmpmem(pkt->sources[1].data, pkt->sources[1].len, d->data, d->len);
    peel_test_assert_values(pkt, "ip.fragment", "2,3");
    peel_test_assert_values(pkt, "ip.fragment.error", "1");
    peel_test_assert_values(pkt, "ip.fragment.overlap", "1");
    peel_test_assert_values(pkt, "ip.fragment.overlap.conflict", "1");
    peel_test_assert_values(pkt, "ip.fragment.count", "3");
    capture_free(c);
}

static Capture *fetch_capture;

static bool
fetch(void *user, uint32_t frame, const uint8_t **data, uint32_t *len)
{
    (void)user;
    if (frame == 0 || frame > fetch_capture->frames->len)
        return false;
    GByteArray *b = g_ptr_array_index(fetch_capture->frames, frame - 1);
    *data = b->data;
    *len = b->len;
    return true;
}

static PeelDissector *
dissector_with_records(Capture *c)
{
    PeelDissector *dis = peel_dissector_new();
    peel_dissector_keep_records(dis, true);
    peel_dissector_set_want_tree(dis, true);
    fetch_capture = c;
    peel_dissector_set_frame_fetch(dis, fetch, NULL);
    return dis;
}

static void
test_v4_revisit(void)
{
    g_autoptr(GByteArray) d = udp_datagram(1200, 5);
    Capture *c = conflict_capture(d);
    g_autoptr(PeelDissector) dis = dissector_with_records(c);
    const PeelPacket *pkt = run_all(dis, c);
    g_assert_false(pkt->revisit);
    /* Later, frame 3 alone (--frame 3 or a GUI click): rebuilt from frames 1 to 3. */
    pkt = run(dis, c, 3);
    g_assert_true(pkt->revisit);
    assert_udp_datagram(pkt, d);
    g_assert_cmpmem(pkt->sources[1].data, pkt->sources[1].len, d->data, d->len);
    peel_test_assert_values(pkt, "ip.fragment", "2,3");
    peel_test_assert_values(pkt, "ip.fragment.error", "1");
    peel_test_assert_values(pkt, "ip.fragment.overlap.conflict", "1");
    peel_test_assert_values(pkt, "udp.stream", "0");
    bool labelled = false;
    int id = peel_field_lookup("ip.fragments");
    for (uint32_t i = 0; i < pkt->n_fields; i++)
        if (pkt->fields[i].id == (uint32_t)id)
            labelled = g_strcmp0(pkt->fields[i].text,
                               "3 IPv4 Fragments (1208 bytes): #2(24), #1(16), #3(1184)") == 0;
    g_assert_true(labelled);
    /* The other fragments point at it, and say so in the info column, as tshark -2. */
    pkt = run(dis, c, 1);
    peel_test_assert_values(pkt, "ip.reassembled_in", "3");
    g_assert_cmpstr(pkt->info, ==,
            "Fragmented IP protocol (proto=UDP 17, off=8, ID=000b) [Reassembled in #3]");
    peel_test_assert_values(pkt, "udp.srcport", "");
    capture_free(c);
}

static void
test_v4_revisit_without_fetch(void)
{
    g_autoptr(GByteArray) d = udp_datagram(1200, 6);
    Capture *c = capture_new();
    add_v4(c, 12, 0, true, d->data, 504);
    add_v4(c, 12, 504, false, d->data + 504, d->len - 504);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    peel_dissector_keep_records(dis, true);
    run_all(dis, c);
    const PeelPacket *pkt = run(dis, c, 2);
    g_assert_true(peel_test_packet_has_expert(pkt, "could not be read again"));
    peel_test_assert_values(pkt, "udp.srcport", "");
    capture_free(c);
}

static void
test_v4_truncated(void)
{
    g_autoptr(GByteArray) d = udp_datagram(1200, 7);
    Capture *c = capture_new();
    add_v4(c, 13, 0, true, d->data, 504);
    add_v4(c, 13, 504, false, d->data + 504, d->len - 504);
    /* The capture kept only 100 bytes of the second fragment. */
    GByteArray *b = g_ptr_array_index(c->frames, 1);
    g_array_index(c->wire, guint32, 1) = b->len;
    g_byte_array_set_size(b, 100);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = run_all(dis, c);
    g_assert_true(peel_test_packet_has_expert(pkt, "cut short by the capture (80 of 704 bytes)"));
    g_assert_cmpstr(pkt->info, ==, "Fragmented IP protocol (proto=UDP 17, off=504, ID=000d)");
    peel_test_assert_values(pkt, "ip.fragment", "");
    capture_free(c);
}

static void
test_v4_past_65535(void)
{
    /* Offset 65528 plus 100 bytes: no datagram is that long (RFC 791). */
    g_autoptr(GByteArray) d = udp_datagram(100, 14);
    Capture *c = capture_new();
    add_v4(c, 14, 65528, false, d->data, 100);
    g_autoptr(PeelDissector) dis = dissector_with_records(c);
    const PeelPacket *pkt = run_all(dis, c);
    g_assert_true(
            peel_test_packet_has_expert(pkt, "ends 65628 bytes into its datagram, past 65535"));
    g_assert_cmpstr(pkt->info, ==, "Fragmented IP protocol (proto=UDP 17, off=65528, ID=000e)");
    pkt = run(dis, c, 1);
    g_assert_true(pkt->revisit);
    g_assert_true(
            peel_test_packet_has_expert(pkt, "ends 65628 bytes into its datagram, past 65535"));
    capture_free(c);
}

static void
test_v4_separate_datagrams(void)
{
    /* Two datagrams' fragments interleaved. */
    g_autoptr(GByteArray) a = udp_datagram(1200, 8);
    g_autoptr(GByteArray) b = udp_datagram(1200, 9);
    Capture *c = capture_new();
    add_v4(c, 20, 0, true, a->data, 504);
    add_v4(c, 21, 0, true, b->data, 504);
    add_v4(c, 21, 504, false, b->data + 504, b->len - 504);
    add_v4(c, 20, 504, false, a->data + 504, a->len - 504);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    run(dis, c, 1);
    run(dis, c, 2);
    const PeelPacket *pkt = run(dis, c, 3);
    assert_udp_datagram(pkt, b);
    peel_test_assert_values(pkt, "ip.fragment", "2,3");
    pkt = run(dis, c, 4);
    assert_udp_datagram(pkt, a);
    peel_test_assert_values(pkt, "ip.fragment", "1,4");
    capture_free(c);
}

/* Random fragments, some with other bytes, some repeated, in random order, against
 * Wireshark's rule written out plainly: once the last fragment has come and every byte is
 * there, each byte is taken from the fragment with the lowest offset holding it (the
 * first to come among equal offsets), and a fragment starting before the end of those
 * sorted before it overlaps them, and conflicts if its bytes there differ. The revisit
 * must show the same. */
typedef struct {
    uint32_t off, len;
    bool more;
    uint8_t *bytes;
} RefFrag;

/* Builds the datagram from fragments 1..n if they complete it; then `listed` and
 * `errors` are the frames ip.fragment and ip.fragment.error list, `overlaps` how many
 * fragments overlap those before them. */
static bool
ref_build(const RefFrag *f, guint n, uint32_t total, uint8_t *out, GString *listed, GString *errors,
        guint *overlaps)
{
    bool tail = false;
    for (guint i = 0; i < n; i++)
        tail |= !f[i].more;
    if (!tail)
        return false;
    /* By offset, then arrival (insertion sort is stable). */
    g_autofree guint *order = g_new(guint, n);
    for (guint i = 0; i < n; i++) {
        guint j = i;
        for (; j > 0 && f[order[j - 1]].off > f[i].off; j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
    uint32_t dfpos = 0;
    g_string_truncate(listed, 0);
    g_string_truncate(errors, 0);
    *overlaps = 0;
    for (guint k = 0; k < n; k++) {
        const RefFrag *x = &f[order[k]];
        bool conflict = false;
        if (x->off < dfpos) {
            (*overlaps)++;
            conflict = memcmp(out + x->off, x->bytes, MIN(x->len, dfpos - x->off)) != 0;
        }
        if (x->off + x->len > dfpos) {
            if (x->off > dfpos)
                return false; /* a hole */
            memcpy(out + dfpos, x->bytes + (dfpos - x->off), x->off + x->len - dfpos);
            dfpos = x->off + x->len;
        }
        GString *to = conflict ? errors : listed;
        g_string_append_printf(to, "%s%u", to->len ? "," : "", order[k] + 1);
    }
    return dfpos == total;
}

static void
test_v4_random_overlaps(void)
{
    GRand *rand = g_rand_new_with_seed(20240601);
    for (guint round = 0; round < 150; round++) {
        uint32_t total = 8 * (uint32_t)g_rand_int_range(rand, 2, 200);
        g_autofree uint8_t *truth = g_malloc(total);
        for (uint32_t i = 0; i < total; i++)
            truth[i] = (uint8_t)g_rand_int(rand);
        Capture *c = capture_new();
        RefFrag f[64];
        guint n = 0;
        uint8_t *want = g_malloc(total);
        g_autoptr(GString) listed = g_string_new(NULL);
        g_autoptr(GString) errors = g_string_new(NULL);
        guint overlaps = 0;
        guint done_at = 0;
        while (n < 40 && done_at == 0) {
            uint32_t off = 8 * (uint32_t)g_rand_int_range(rand, 0, (gint32)(total / 8));
            uint32_t len = 8 * (uint32_t)g_rand_int_range(rand, 1, (gint32)((total - off) / 8) + 1);
            bool more = off + len < total || g_rand_boolean(rand);
            if (off + len == total && off > 0 && g_rand_int_range(rand, 0, 3) == 0)
                more = false;
            if (off == 0)
                more = true; /* else it is no fragment at all */
            uint8_t *bytes = g_memdup2(truth + off, len);
            if (g_rand_int_range(rand, 0, 4) == 0)
                bytes[g_rand_int_range(rand, 0, (gint32)len)] ^= 0xff; /* a conflicting copy */
            f[n] = (RefFrag){ off, len, more, bytes };
            add_v4(c, (uint16_t)round, off, more, bytes, len);
            n++;
            if (ref_build(f, n, total, want, listed, errors, &overlaps))
                done_at = n;
        }
        if (done_at == 0) { /* the random walk did not finish: finish it plainly */
            for (uint32_t off = total - 8; off < total && n < G_N_ELEMENTS(f);
                    off = off == total - 8 ? 0 : off + 8 * 16) {
                /* the last 8 bytes as the tail, then all of it in pieces */
                uint32_t len = off == total - 8 ? 8 : MIN(8u * 16u, total - off);
                f[n] = (RefFrag){ off, len, off != total - 8, g_memdup2(truth + off, len) };
                add_v4(c, (uint16_t)round, off, f[n].more, f[n].bytes, len);
                n++;
                if (ref_build(f, n, total, want, listed, errors, &overlaps)) {
                    done_at = n;
                    break;
                }
            }
        }
        g_assert_cmpuint(done_at, >, 0);
        g_autoptr(PeelDissector) dis = dissector_with_records(c);
        const PeelPacket *pkt = NULL;
        for (guint i = 1; i <= done_at; i++) {
            pkt = run(dis, c, i);
            if (i < done_at)
                g_assert_cmpuint(pkt->n_sources, ==, 1);
        }
        g_assert_cmpuint(pkt->n_sources, ==, 2);
        g_assert_cmpmem(pkt->sources[1].data, pkt->sources[1].len, want, total);
        for (guint pass = 0; pass < 2; pass++) {
            if (pass == 1) {
                pkt = run(dis, c, done_at);
                g_assert_true(pkt->revisit);
                g_assert_cmpuint(pkt->n_sources, ==, 2);
                g_assert_cmpmem(pkt->sources[1].data, pkt->sources[1].len, want, total);
            }
            peel_test_assert_values(pkt, "ip.fragment", listed->str);
            peel_test_assert_values(pkt, "ip.fragment.error", errors->str);
            g_assert_cmpuint(peel_test_count(pkt, "ip.fragment.overlap"), ==, overlaps);
        }
        for (guint i = 0; i < n; i++)
            g_free(f[i].bytes);
        g_free(want);
        capture_free(c);
    }
    g_rand_free(rand);
}

/* ---- IPv6 ---- */

static void
test_v6_in_order(void)
{
    g_autoptr(GByteArray) d = udp6_datagram(1200, 10);
    Capture *c = capture_new();
    add_v6(c, 0xabcdef01, 0, true, d->data, 600);
    add_v6(c, 0xabcdef01, 600, false, d->data + 600, d->len - 600);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = run(dis, c, 1);
    g_assert_cmpstr(pkt->info, ==, "IPv6 fragment (off=0 more=y ident=0xabcdef01 nxt=17)");
    g_assert_cmpstr(pkt->col_protocol, ==, "IPv6");
    g_assert_cmpstr(pkt->protocols, ==, "raw:ipv6:ipv6.fraghdr:data");
    pkt = run(dis, c, 2);
    assert_udp_datagram(pkt, d);
    g_assert_cmpstr(pkt->sources[1].name, ==, "Reassembled IPv6");
    g_assert_cmpstr(pkt->protocols, ==, "raw:ipv6:ipv6.fraghdr:udp:data");
    peel_test_assert_values(pkt, "ipv6.fragment", "1,2");
    peel_test_assert_values(pkt, "ipv6.fragments", "1"); /* a label in Wireshark 4.0 */
    peel_test_assert_values(pkt, "ipv6.fragment.count", "2");
    peel_test_assert_values(pkt, "ipv6.reassembled.length", "1208");
    g_autofree char *all = hex(d->data, d->len);
    peel_test_assert_values(pkt, "ipv6.reassembled.data", all);
    capture_free(c);
}

static void
test_v6_reversed_duplicate(void)
{
    g_autoptr(GByteArray) d = udp6_datagram(1200, 11);
    Capture *c = capture_new();
    add_v6(c, 5, 800, false, d->data + 800, d->len - 800);
    add_v6(c, 5, 400, true, d->data + 400, 400);
    add_v6(c, 5, 400, true, d->data + 400, 400);
    add_v6(c, 5, 0, true, d->data, 400);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = run_all(dis, c);
    assert_udp_datagram(pkt, d);
    peel_test_assert_values(pkt, "ipv6.fragment", "4,2,3,1");
    peel_test_assert_values(pkt, "ipv6.fragment.overlap", "1");
    peel_test_assert_values(pkt, "ipv6.fragment.error", "");
    capture_free(c);
}

static void
test_v6_revisit(void)
{
    g_autoptr(GByteArray) d = udp6_datagram(1200, 12);
    Capture *c = capture_new();
    add_v6(c, 6, 600, false, d->data + 600, d->len - 600);
    add_v6(c, 6, 0, true, d->data, 600);
    g_autoptr(PeelDissector) dis = dissector_with_records(c);
    run_all(dis, c);
    const PeelPacket *pkt = run(dis, c, 2);
    g_assert_true(pkt->revisit);
    assert_udp_datagram(pkt, d);
    peel_test_assert_values(pkt, "ipv6.fragment", "2,1");
    pkt = run(dis, c, 1);
    peel_test_assert_values(pkt, "ipv6.reassembled.in", "2");
    /* IPv6 leaves the info column as it was (Wireshark 4.0 does too). */
    g_assert_cmpstr(pkt->info, ==, "IPv6 fragment (off=600 more=n ident=0x00000006 nxt=17)");
    capture_free(c);
}

static void
test_families_apart(void)
{
    /* An IPv4 and an IPv6 fragment with the same identification never meet. */
    g_autoptr(GByteArray) d = udp6_datagram(1200, 13);
    Capture *c = capture_new();
    add_v4(c, 30, 0, true, d->data, 504);
    add_v6(c, 30, 504, false, d->data + 504, d->len - 504);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    const PeelPacket *pkt = run_all(dis, c);
    peel_test_assert_values(pkt, "ipv6.fragment", "");
    peel_test_assert_values(pkt, "udp.srcport", "");
    capture_free(c);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    peel_registry_init();
    g_test_add_func("/ip-defrag/v4/in-order", test_v4_in_order);
    g_test_add_func("/ip-defrag/v4/reversed", test_v4_reversed);
    g_test_add_func("/ip-defrag/v4/duplicate", test_v4_duplicate);
    g_test_add_func("/ip-defrag/v4/overlap-conflict", test_v4_overlap_conflict);
    g_test_add_func("/ip-defrag/v4/revisit", test_v4_revisit);
    g_test_add_func("/ip-defrag/v4/revisit-without-fetch", test_v4_revisit_without_fetch);
    g_test_add_func("/ip-defrag/v4/truncated", test_v4_truncated);
    g_test_add_func("/ip-defrag/v4/past-65535", test_v4_past_65535);
    g_test_add_func("/ip-defrag/v4/separate-datagrams", test_v4_separate_datagrams);
    g_test_add_func("/ip-defrag/v4/random-overlaps", test_v4_random_overlaps);
    g_test_add_func("/ip-defrag/v6/in-order", test_v6_in_order);
    g_test_add_func("/ip-defrag/v6/reversed-duplicate", test_v6_reversed_duplicate);
    g_test_add_func("/ip-defrag/v6/revisit", test_v6_revisit);
    g_test_add_func("/ip-defrag/families-apart", test_families_apart);
    return g_test_run();
}
