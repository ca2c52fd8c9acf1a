/* test-tcp-stream.c: the TCP reassembler with crafted segment orders. */
#include <glib.h>
#include <string.h>

#include "tcp-stream.h"

typedef struct {
    GByteArray *bytes; /* delivered data, with gaps as '?' */
    guint gaps;
    guint64 gap_bytes;
    gboolean fin;
    GArray *frames; /* frame of each delivered run */
} Sink;

static void
sink_cb(void *user, PeelStreamEvent ev, const uint8_t *data, uint32_t len, uint32_t seq,
        uint32_t frame, uint32_t frame_off)
{
    Sink *k = user;
    (void)seq;
    (void)frame_off;
    switch (ev) {
    case PEEL_STREAM_DATA:
        g_assert_false(k->fin);
        g_byte_array_append(k->bytes, data, len);
        g_array_append_val(k->frames, frame);
        break;
    case PEEL_STREAM_GAP:
        k->gaps++;
        k->gap_bytes += len;
        for (uint32_t i = 0; i < len && i < 4096; i++)
            g_byte_array_append(k->bytes, (const guint8 *)"?", 1);
        break;
    case PEEL_STREAM_FIN:
        g_assert_false(k->fin);
        k->fin = TRUE;
        break;
    }
}

static void
sink_init(Sink *k)
{
    memset(k, 0, sizeof *k);
    k->bytes = g_byte_array_new();
    k->frames = g_array_new(FALSE, FALSE, sizeof(uint32_t));
}

static void
sink_clear(Sink *k)
{
    g_byte_array_unref(k->bytes);
    g_array_unref(k->frames);
}

static const char text[] = "The quick brown fox jumps over the lazy dog, again and again.";

/* Splits text into n segments starting at isn, adds them in `order`. */
static unsigned
add_in_order(PeelTcpStream *s, Sink *k, uint32_t isn, const guint *order, guint n, guint seg)
{
    unsigned all = 0;
    for (guint i = 0; i < n; i++) {
        guint idx = order[i];
        uint32_t off = idx * seg;
        uint32_t len = MIN(seg, (uint32_t)strlen(text) - off);
        bool fin = off + len == strlen(text);
        all |= peel_tcp_stream_add(s, isn + off, (const uint8_t *)text + off, len, fin, idx + 1,
                0, sink_cb, k);
    }
    return all;
}

static guint
n_segments(guint seg)
{
    return (guint)((strlen(text) + seg - 1) / seg);
}

static void
check_text(Sink *k)
{
    g_assert_cmpuint(k->bytes->len, ==, strlen(text));
    g_assert_cmpmem(k->bytes->data, k->bytes->len, text, strlen(text));
    g_assert_true(k->fin);
}

static void
test_in_order(void)
{
    PeelTcpStream s;
    Sink k;
    sink_init(&k);
    peel_tcp_stream_init(&s, 0);
    guint n = n_segments(7), order[16];
    for (guint i = 0; i < n; i++)
        order[i] = i;
    unsigned flags = add_in_order(&s, &k, 1000, order, n, 7);
    check_text(&k);
    g_assert_cmpuint(flags, ==, PEEL_SEG_IN_ORDER);
    g_assert_cmpuint(k.frames->len, ==, n); /* one run per segment, attributed */
    g_assert_cmpuint(g_array_index(k.frames, uint32_t, 2), ==, 3);
    peel_tcp_stream_clear(&s);
    sink_clear(&k);
}

static void
test_reversed(void)
{
    PeelTcpStream s;
    Sink k;
    sink_init(&k);
    peel_tcp_stream_init(&s, 0);
    guint n = n_segments(5), order[16];
    /* The first segment must come first to fix the start; the rest arrive backwards. */
    order[0] = 0;
    for (guint i = 1; i < n; i++)
        order[i] = n - i;
    unsigned flags = add_in_order(&s, &k, 7, order, n, 5);
    check_text(&k);
    g_assert_true(flags & PEEL_SEG_HELD);
    g_assert_cmpuint(s.held_count, ==, 0);
    peel_tcp_stream_clear(&s);
    sink_clear(&k);
}

static void
test_shuffled_with_duplicates(void)
{
    GRand *rand = g_rand_new_with_seed(42);
    for (int round = 0; round < 200; round++) {
        PeelTcpStream s;
        Sink k;
        sink_init(&k);
        peel_tcp_stream_init(&s, 0);
        peel_tcp_stream_start(&s, 500);
        guint seg = (guint)g_rand_int_range(rand, 1, 9);
        guint n = n_segments(seg), order[128], m = 0;
        for (guint i = 0; i < n; i++) {
            order[m++] = i;
            if (g_rand_boolean(rand) && m < G_N_ELEMENTS(order))
                order[m++] = i; /* a duplicate */
        }
        for (guint i = m - 1; i > 0; i--) {
            guint j = (guint)g_rand_int_range(rand, 0, (gint32)i + 1);
            guint t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        unsigned flags = add_in_order(&s, &k, 500, order, m, seg);
        check_text(&k);
        g_assert_false(flags & PEEL_SEG_CONFLICT);
        peel_tcp_stream_clear(&s);
        sink_clear(&k);
    }
    g_rand_free(rand);
}

static void
test_retransmission_conflict(void)
{
    PeelTcpStream s;
    Sink k;
    sink_init(&k);
    peel_tcp_stream_init(&s, 0);
    g_assert_cmpuint(peel_tcp_stream_add(&s, 1, (const uint8_t *)"hello", 5, false, 1, 0,
                             sink_cb, &k), ==, PEEL_SEG_IN_ORDER);
    g_assert_cmpuint(peel_tcp_stream_add(&s, 1, (const uint8_t *)"hello", 5, false, 2, 0,
                             sink_cb, &k), ==, PEEL_SEG_OLD);
    g_assert_cmpuint(peel_tcp_stream_add(&s, 1, (const uint8_t *)"jello", 5, false, 3, 0,
                             sink_cb, &k), ==, PEEL_SEG_OLD | PEEL_SEG_CONFLICT);
    /* Partly old, partly new: the new part is delivered. */
    unsigned f = peel_tcp_stream_add(&s, 4, (const uint8_t *)"lo world", 8, false, 4, 0,
            sink_cb, &k);
    g_assert_cmpuint(f, ==, PEEL_SEG_PARTLY_OLD | PEEL_SEG_IN_ORDER);
    g_assert_cmpmem(k.bytes->data, k.bytes->len, "hello world", 11);
    peel_tcp_stream_clear(&s);
    sink_clear(&k);
}

static void
test_overlap_held_conflict(void)
{
    PeelTcpStream s;
    Sink k;
    sink_init(&k);
    peel_tcp_stream_init(&s, 0);
    peel_tcp_stream_start(&s, 100);
    peel_tcp_stream_add(&s, 110, (const uint8_t *)"abcdef", 6, false, 1, 0, sink_cb, &k);
    /* Overlaps the held bytes with different values, and extends them. */
    unsigned f = peel_tcp_stream_add(&s, 113, (const uint8_t *)"XYZghi", 6, false, 2, 0,
            sink_cb, &k);
    g_assert_true(f & PEEL_SEG_CONFLICT);
    g_assert_cmpuint(s.held_bytes, ==, 9);
    peel_tcp_stream_add(&s, 100, (const uint8_t *)"0123456789", 10, false, 3, 0, sink_cb, &k);
    g_assert_cmpmem(k.bytes->data, k.bytes->len, "0123456789abcdefghi", 19);
    peel_tcp_stream_clear(&s);
    sink_clear(&k);
}

static void
test_gap_skipped(void)
{
    PeelTcpStream s;
    Sink k;
    sink_init(&k);
    peel_tcp_stream_init(&s, 0);
    peel_tcp_stream_add(&s, 1, (const uint8_t *)"aaaa", 4, false, 1, 0, sink_cb, &k);
    /* bytes 5..8 are lost */
    peel_tcp_stream_add(&s, 9, (const uint8_t *)"cccc", 4, true, 3, 0, sink_cb, &k);
    g_assert_cmpuint(k.bytes->len, ==, 4);
    g_assert_true(peel_tcp_stream_skip_gap(&s, sink_cb, &k));
    g_assert_cmpuint(k.gaps, ==, 1);
    g_assert_cmpuint(k.gap_bytes, ==, 4);
    g_assert_cmpmem(k.bytes->data, k.bytes->len, "aaaa????cccc", 12);
    g_assert_true(k.fin);
    g_assert_false(peel_tcp_stream_skip_gap(&s, sink_cb, &k));
    /* The lost segment arriving late is old now. */
    g_assert_cmpuint(peel_tcp_stream_add(&s, 5, (const uint8_t *)"bbbb", 4, false, 4, 0,
                             sink_cb, &k) & PEEL_SEG_OLD, !=, 0);
    peel_tcp_stream_clear(&s);
    sink_clear(&k);
}

static void
test_wraparound(void)
{
    PeelTcpStream s;
    Sink k;
    sink_init(&k);
    peel_tcp_stream_init(&s, 0);
    guint n = n_segments(6), order[16];
    for (guint i = 0; i < n; i++)
        order[i] = i;
    order[1] = 2; /* one segment out of order across the wrap */
    order[2] = 1;
    uint32_t isn = 0xffffffe0u; /* the text crosses 2^32 */
    add_in_order(&s, &k, isn, order, n, 6);
    check_text(&k);
    g_assert_cmpuint(s.next_seq, ==, isn + (uint32_t)strlen(text));
    g_assert_true(peel_seq_lt(0xfffffff0u, 0x10u));
    peel_tcp_stream_clear(&s);
    sink_clear(&k);
}

static void
test_held_limit(void)
{
    PeelTcpStream s;
    Sink k;
    sink_init(&k);
    peel_tcp_stream_init(&s, 64);
    peel_tcp_stream_start(&s, 0);
    uint8_t buf[40];
    memset(buf, 'x', sizeof buf);
    /* A gap at 0..9 that never fills: held bytes pass the limit and the gap is skipped. */
    unsigned f = 0;
    for (uint32_t i = 0; i < 3; i++)
        f |= peel_tcp_stream_add(&s, 10 + i * 40, buf, 40, false, i + 1, 0, sink_cb, &k);
    g_assert_true(f & PEEL_SEG_LIMIT);
    g_assert_cmpuint(k.gaps, ==, 1);
    g_assert_cmpuint(s.held_bytes, <=, 64);
    g_assert_cmpuint(s.delivered, ==, 120);
    peel_tcp_stream_clear(&s);
    sink_clear(&k);
}

static void
test_fin_only(void)
{
    PeelTcpStream s;
    Sink k;
    sink_init(&k);
    peel_tcp_stream_init(&s, 0);
    peel_tcp_stream_start(&s, 51);
    peel_tcp_stream_add(&s, 51, NULL, 0, true, 1, 0, sink_cb, &k);
    g_assert_true(k.fin);
    g_assert_true(s.closed);
    peel_tcp_stream_clear(&s);
    sink_clear(&k);
}

static void
test_skip_to_snaplen_cut(void)
{
    PeelTcpStream s;
    Sink k;
    sink_init(&k);
    peel_tcp_stream_init(&s, 0);
    /* A 10-byte segment of which 4 were captured, then the next segment. */
    peel_tcp_stream_add(&s, 1, (const uint8_t *)"abcd", 4, false, 1, 0, sink_cb, &k);
    peel_tcp_stream_skip_to(&s, 11, 1, sink_cb, &k);
    g_assert_cmpuint(k.gaps, ==, 1);
    g_assert_cmpuint(k.gap_bytes, ==, 6);
    peel_tcp_stream_add(&s, 11, (const uint8_t *)"xyz", 3, false, 2, 0, sink_cb, &k);
    g_assert_cmpmem(k.bytes->data, k.bytes->len, "abcd??????xyz", 13);
    peel_tcp_stream_skip_to(&s, 5, 2, sink_cb, &k); /* behind: nothing */
    g_assert_cmpuint(k.gaps, ==, 1);
    peel_tcp_stream_clear(&s);
    sink_clear(&k);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/tcp-stream/in-order", test_in_order);
    g_test_add_func("/tcp-stream/reversed", test_reversed);
    g_test_add_func("/tcp-stream/shuffled-duplicated", test_shuffled_with_duplicates);
    g_test_add_func("/tcp-stream/retransmission-conflict", test_retransmission_conflict);
    g_test_add_func("/tcp-stream/overlap-held-conflict", test_overlap_held_conflict);
    g_test_add_func("/tcp-stream/gap-skipped", test_gap_skipped);
    g_test_add_func("/tcp-stream/wraparound", test_wraparound);
    g_test_add_func("/tcp-stream/held-limit", test_held_limit);
    g_test_add_func("/tcp-stream/fin-only", test_fin_only);
    g_test_add_func("/tcp-stream/skip-to-snaplen-cut", test_skip_to_snaplen_cut);
    return g_test_run();
}
