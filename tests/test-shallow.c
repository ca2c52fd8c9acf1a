/* test-shallow.c: the field-less paths (a plain IPv4 header, TCP's fixed header, HTTP's
 * headers) give what the field path gives.
 *
 * Each frame is dissected by three dissectors of the same capture: one that keeps every
 * field (the field path), one for summary lines (no fields: the field-less paths)
 * and one that keeps only what a display filter names (tcp.analysis.retransmission,
 * http.request.method: TCP's and HTTP's layers are kept, their header fields are not). The
 * Protocol and Info columns, the addresses and every expert note (severity, group, text, in
 * order) must be the same for all three. The frames are the common case and each thing
 * that sends a layer off the field-less path or raises a note on it. */
#include <glib.h>
#include <string.h>

#include "dissector.h"
#include "format.h"
#include "linktype.h"
#include "peel-test.h"
#include "registry.h"

/* An IPv4 header (20 bytes, or more with options) with its checksum, then the payload. */
typedef struct {
    uint8_t tos, ttl, proto;
    uint16_t id, frag; /* flags and offset word */
    uint32_t src, dst;
    const uint8_t *options;
    uint32_t n_options;
    int total_delta; /* added to the true total length */
    bool bad_checksum;
} Ip4;

static void
put_ip4(GByteArray *b, const Ip4 *ip, const uint8_t *payload, uint32_t n)
{
    guint start = b->len;
    uint32_t hlen = 20 + ip->n_options;
    peel_test_put8(b, (uint8_t)(0x40 | hlen / 4));
    peel_test_put8(b, ip->tos);
    peel_test_put16(b, (uint16_t)((int)(hlen + n) + ip->total_delta));
    peel_test_put16(b, ip->id);
    peel_test_put16(b, ip->frag);
    peel_test_put8(b, ip->ttl);
    peel_test_put8(b, ip->proto);
    peel_test_put16(b, 0);
    peel_test_put32(b, ip->src);
    peel_test_put32(b, ip->dst);
    if (ip->n_options)
        g_byte_array_append(b, ip->options, ip->n_options);
    uint32_t sum = 0;
    for (uint32_t i = 0; i < hlen; i += 2)
        sum += (uint32_t)b->data[start + i] << 8 | b->data[start + i + 1];
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    uint16_t csum = (uint16_t)~sum ^ (ip->bad_checksum ? 0x5a5a : 0);
    b->data[start + 10] = (uint8_t)(csum >> 8);
    b->data[start + 11] = (uint8_t)csum;
    g_byte_array_append(b, payload, n);
}

typedef struct {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags; /* FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32 */
    uint16_t window, urgent;
    const uint8_t *options;
    uint32_t n_options;
} Tcp;

static GByteArray *
tcp_segment(const Tcp *t, const char *data)
{
    GByteArray *b = g_byte_array_new();
    uint32_t hlen = 20 + t->n_options;
    peel_test_put16(b, t->sport);
    peel_test_put16(b, t->dport);
    peel_test_put32(b, t->seq);
    peel_test_put32(b, t->ack);
    peel_test_put8(b, (uint8_t)(hlen / 4 << 4));
    peel_test_put8(b, t->flags);
    peel_test_put16(b, t->window);
    peel_test_put16(b, 0x1234); /* not verified (Wireshark's default) */
    peel_test_put16(b, t->urgent);
    if (t->n_options)
        g_byte_array_append(b, t->options, t->n_options);
    if (data != NULL)
        g_byte_array_append(b, (const guint8 *)data, (guint)strlen(data));
    return b;
}

static GByteArray *
udp_datagram(uint16_t sport, uint16_t dport, const char *data)
{
    GByteArray *b = g_byte_array_new();
    uint32_t n = (uint32_t)strlen(data);
    peel_test_put16(b, sport);
    peel_test_put16(b, dport);
    peel_test_put16(b, (uint16_t)(8 + n));
    peel_test_put16(b, 0);
    g_byte_array_append(b, (const guint8 *)data, n);
    return b;
}

static GPtrArray *frames; /* GByteArray*: raw IPv4 frames of one capture */

static void
add_frame(const Ip4 *ip, GByteArray *payload, uint32_t cut)
{
    GByteArray *f = g_byte_array_new();
    put_ip4(f, ip, payload->data, payload->len);
    if (cut > 0 && cut < f->len)
        g_byte_array_set_size(f, cut);
    g_ptr_array_add(frames, f);
    g_byte_array_unref(payload);
}

#define A(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static void
build_capture(void)
{
    frames = g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref);
    Ip4 ip = { .ttl = 64, .proto = 6, .id = 1, .frag = 0x4000, .src = A(10, 0, 0, 1),
        .dst = A(10, 0, 0, 2) };
    static const uint8_t syn_opts[] = { 2, 4, 0x05, 0xb4, 1, 3, 3, 7, 4, 2, 0, 0 };
    /* a handshake and a request with headers the field-less pass looks at */
    add_frame(&ip, tcp_segment(&(Tcp){ 40000, 80, 1000, 0, 2, 64240, 0, syn_opts, 12 }, NULL), 0);
    ip.src = A(10, 0, 0, 2), ip.dst = A(10, 0, 0, 1);
    add_frame(&ip, tcp_segment(&(Tcp){ 80, 40000, 5000, 1001, 18, 65160, 0, syn_opts, 12 }, NULL), 0);
    ip.src = A(10, 0, 0, 1), ip.dst = A(10, 0, 0, 2);
    add_frame(&ip, tcp_segment(&(Tcp){ 40000, 80, 1001, 5001, 16, 502, 0, NULL, 0 }, NULL), 0);
    add_frame(&ip,
            tcp_segment(&(Tcp){ 40000, 80, 1001, 5001, 24, 502, 0, NULL, 0 },
                    "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n"
                    "HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\nabc"),
            0);
    /* the same segment again: a retransmission (the filter's field) */
    add_frame(&ip,
            tcp_segment(&(Tcp){ 40000, 80, 1001, 5001, 24, 502, 0, NULL, 0 },
                    "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n"
                    "HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\nabc"),
            0);
    /* a response whose Content-Length is not a number */
    ip.src = A(10, 0, 0, 2), ip.dst = A(10, 0, 0, 1);
    add_frame(&ip,
            tcp_segment(&(Tcp){ 80, 40000, 5001, 1001 + 94, 24, 509, 0, NULL, 0 },
                    "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n"),
            0);
    /* notes of TCP's fixed header: ACK number without ACK, urgent without URG, RST, FIN */
    ip.src = A(10, 0, 0, 3), ip.dst = A(10, 0, 0, 4);
    add_frame(&ip, tcp_segment(&(Tcp){ 41000, 9000, 7, 99, 4, 0, 5, NULL, 0 }, NULL), 0);
    add_frame(&ip, tcp_segment(&(Tcp){ 41001, 9000, 7, 99, 17, 100, 0, NULL, 0 }, NULL), 0);
    add_frame(&ip, tcp_segment(&(Tcp){ 41002, 9000, 7, 99, 48, 100, 3, NULL, 0 }, "x"), 0);
    /* what sends IPv4 off its field-less path */
    Ip4 bad = ip;
    bad.bad_checksum = true;
    add_frame(&bad, tcp_segment(&(Tcp){ 41003, 9000, 7, 99, 16, 100, 0, NULL, 0 }, NULL), 0);
    Ip4 low = ip;
    low.ttl = 3;
    low.proto = 17;
    add_frame(&low, udp_datagram(5000, 5001, "low ttl"), 0);
    Ip4 mcast = ip;
    mcast.ttl = 1;
    mcast.proto = 17;
    mcast.dst = A(224, 0, 0, 251);
    add_frame(&mcast, udp_datagram(5353, 5353, "mdns-ish"), 0);
    mcast.ttl = 7;
    add_frame(&mcast, udp_datagram(5353, 5353, "mdns ttl 7"), 0);
    Ip4 frag = ip;
    frag.proto = 17;
    frag.frag = 0x2000; /* more fragments */
    frag.id = 77;
    add_frame(&frag, udp_datagram(6000, 6001, "first fragment"), 0);
    static const uint8_t nops[] = { 1, 1, 1, 0 };
    Ip4 opts = ip;
    opts.options = nops;
    opts.n_options = 4;
    add_frame(&opts, tcp_segment(&(Tcp){ 41004, 9000, 7, 99, 16, 100, 0, NULL, 0 }, NULL), 0);
    Ip4 padded = ip; /* the total length stops short of the bytes: link-layer padding */
    padded.total_delta = -2;
    add_frame(&padded, tcp_segment(&(Tcp){ 41005, 9000, 7, 99, 16, 100, 0, NULL, 0 }, "pad"), 0);
    Ip4 longer = ip; /* claims more than there is */
    longer.total_delta = 40;
    add_frame(&longer, tcp_segment(&(Tcp){ 41006, 9000, 7, 99, 16, 100, 0, NULL, 0 }, NULL), 0);
    Ip4 zero = ip; /* TSO: a total length of 0 */
    zero.total_delta = -(20 + 20);
    add_frame(&zero, tcp_segment(&(Tcp){ 41007, 9000, 7, 99, 16, 100, 0, NULL, 0 }, NULL), 0);
    /* a header cut by the snapshot length, and a TCP header cut short */
    add_frame(&ip, tcp_segment(&(Tcp){ 41008, 9000, 7, 99, 16, 100, 0, NULL, 0 }, NULL), 16);
    add_frame(&ip, tcp_segment(&(Tcp){ 41009, 9000, 7, 99, 16, 100, 0, NULL, 0 }, NULL), 30);
    Ip4 v6in4 = ip; /* version 4 header byte wrong */
    add_frame(&v6in4, udp_datagram(1, 2, "x"), 0);
    ((GByteArray *)g_ptr_array_index(frames, frames->len - 1))->data[0] = 0x46; /* IHL 6 */
}

static PeelDissector *
filter_dissector(void)
{
    PeelDissector *dis = peel_dissector_new();
    peel_dissector_set_record_fields(dis, false);
    g_autofree bool *protos = g_new0(bool, peel_registry_n_protos());
    g_autofree bool *ids = g_new0(bool, peel_field_count());
    static const char *const names[] = { "tcp.analysis.retransmission", "http.request.method" };
    for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
        int id = peel_field_lookup(names[i]);
        g_assert_cmpint(id, >=, 0);
        ids[id] = true;
        protos[peel_field_proto((uint32_t)id)] = true;
    }
    peel_dissector_record_only(dis, protos);
    peel_dissector_keep_fields(dis, ids);
    return dis;
}

/* What a summary line and the notes show of a packet. */
static char *
outcome(const PeelPacket *pkt)
{
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "%s | %.*s |", pkt->col_protocol ? pkt->col_protocol : "",
            (int)pkt->info_len, pkt->info);
    if (pkt->col_src != NULL)
        peel_format_addr(s, pkt->col_src);
    g_string_append(s, " > ");
    if (pkt->col_dst != NULL)
        peel_format_addr(s, pkt->col_dst);
    for (uint32_t e = 0; e < pkt->n_experts; e++)
        g_string_append_printf(s, "\n  [%d/%d] %s", pkt->experts[e].severity,
                pkt->experts[e].group, pkt->experts[e].msg);
    return g_string_free(s, FALSE);
}

static void
test_same_columns_and_notes(void)
{
    build_capture();
    PeelDissector *full = peel_dissector_new(); /* every field, no tree (notes made from a
                                                   label, tree only, stay out of it) */
    peel_dissector_set_record_fields(full, true);
    PeelDissector *lean = peel_dissector_new();
    peel_dissector_set_record_fields(lean, false);
    PeelDissector *filtered = filter_dissector();
    peel_dissector_set_want_info(filtered, true);
    guint notes = 0, retrans = 0, methods = 0;
    for (guint i = 0; i < frames->len; i++) {
        GByteArray *f = g_ptr_array_index(frames, i);
        PeelFrameInfo info = { .number = i + 1, .linktype = PEEL_LINKTYPE_RAW,
            .cap_len = f->len, .len = f->len, .data = f->data,
            .ts = { 1700000000 + (int64_t)i, 0 } };
        info.latest = info.ts;
        const PeelPacket *tree = peel_dissector_run(full, &info);
        g_autofree char *want = outcome(tree);
        notes += tree->n_experts > 0;
        g_autofree char *summary = outcome(peel_dissector_run(lean, &info));
        const PeelPacket *fp = peel_dissector_run(filtered, &info);
        g_autofree char *filter = outcome(fp);
        retrans += peel_test_count(fp, "tcp.analysis.retransmission");
        methods += peel_test_count(fp, "http.request.method");
        g_test_message("frame %u: %s", i + 1, want);
        g_assert_cmpstr(summary, ==, want);
        g_assert_cmpstr(filter, ==, want);
    }
    /* the capture exercises what it should: notes raised, the filter's fields kept */
    g_assert_cmpuint(notes, >=, 8);
    g_assert_cmpuint(retrans, ==, 1);
    g_assert_cmpuint(methods, ==, 1); /* the retransmitted POST is not handed up again */
    peel_dissector_free(full);
    peel_dissector_free(lean);
    peel_dissector_free(filtered);
    g_ptr_array_unref(frames);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    peel_registry_init();
    g_test_add_func("/shallow/same-columns-and-notes", test_same_columns_and_notes);
    return g_test_run();
}
