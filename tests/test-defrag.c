/* test-defrag.c: IP datagram reassembly with crafted fragment orders. */
#include <glib.h>
#include <string.h>

#include "defrag.h"

static PeelFragKey
key4(uint32_t id)
{
    PeelFragKey k;
    memset(&k, 0, sizeof k);
    k.family = 4;
    k.proto = 17;
    k.id = id;
    k.src[0] = 10;
    k.dst[0] = 11;
    return k;
}

static uint8_t payload[3000];

static void
fill(void)
{
    for (guint i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)(i * 7 + 3);
}

/* Adds 1000-byte pieces in the given order; returns the last result. */
static PeelDefragResult
add_pieces(PeelDefrag *d, const PeelFragKey *k, const guint *order, guint n)
{
    PeelDefragResult r = { 0 };
    for (guint i = 0; i < n; i++) {
        guint p = order[i];
        r = peel_defrag_add(d, k, p * 1000, payload + p * 1000, 1000, p != 2, i + 1,
                (PeelTime){ 100, 0 });
        if (i + 1 < n)
            g_assert_false(r.flags & PEEL_FRAG_COMPLETE);
    }
    return r;
}

static void
check_complete(const PeelDefragResult *r)
{
    g_assert_true(r->flags & PEEL_FRAG_COMPLETE);
    g_assert_cmpuint(r->len, ==, 3000);
    g_assert_cmpmem(r->data, r->len, payload, 3000);
}

static void
test_orders(void)
{
    static const guint orders[][3] = { { 0, 1, 2 }, { 2, 1, 0 }, { 1, 2, 0 }, { 2, 0, 1 } };
    fill();
    for (gsize o = 0; o < G_N_ELEMENTS(orders); o++) {
        PeelDefrag *d = peel_defrag_new(NULL);
        PeelFragKey k = key4(7);
        PeelDefragResult r = add_pieces(d, &k, orders[o], 3);
        check_complete(&r);
        g_assert_cmpuint(r.n_frames, ==, 3);
        g_assert_cmpuint(peel_defrag_pending(d), ==, 0);
        peel_defrag_free(d);
    }
}

static void
test_duplicate_and_overlap(void)
{
    fill();
    PeelDefrag *d = peel_defrag_new(NULL);
    PeelFragKey k = key4(9);
    PeelTime t = { 1, 0 };
    peel_defrag_add(d, &k, 0, payload, 1000, true, 1, t);
    PeelDefragResult r = peel_defrag_add(d, &k, 0, payload, 1000, true, 2, t);
    g_assert_true(r.flags & PEEL_FRAG_DUPLICATE);
    g_assert_false(r.flags & PEEL_FRAG_CONFLICT);
    uint8_t other[1000];
    memcpy(other, payload + 500, sizeof other);
    other[10] ^= 0xff; /* byte 510 differs from what came first */
    r = peel_defrag_add(d, &k, 500, other, 1000, true, 3, t);
    g_assert_true(r.flags & PEEL_FRAG_OVERLAP);
    g_assert_true(r.flags & PEEL_FRAG_CONFLICT);
    r = peel_defrag_add(d, &k, 1500, payload + 1500, 1500, false, 4, t);
    check_complete(&r); /* the first copy of byte 510 won */
    g_assert_cmpuint(r.n_frames, ==, 3); /* the pure duplicate adds no frame */
    peel_defrag_free(d);
}

static void
test_separate_keys(void)
{
    fill();
    PeelDefrag *d = peel_defrag_new(NULL);
    PeelFragKey a = key4(1), b = key4(1);
    b.family = 6; /* same id, other family */
    PeelTime t = { 1, 0 };
    peel_defrag_add(d, &a, 0, payload, 8, true, 1, t);
    PeelDefragResult r = peel_defrag_add(d, &b, 8, payload + 8, 8, false, 2, t);
    g_assert_false(r.flags & PEEL_FRAG_COMPLETE);
    g_assert_cmpuint(peel_defrag_pending(d), ==, 2);
    peel_defrag_free(d);
}

static void
test_timeout(void)
{
    fill();
    PeelDefragLimits lim = { .timeout_seconds = 30 };
    PeelDefrag *d = peel_defrag_new(&lim);
    PeelFragKey k = key4(3);
    peel_defrag_add(d, &k, 0, payload, 1000, true, 1, (PeelTime){ 0, 0 });
    /* The rest arrives too late: the first part is gone and nothing completes. */
    PeelDefragResult r =
            peel_defrag_add(d, &k, 1000, payload + 1000, 1000, false, 2, (PeelTime){ 31, 0 });
    g_assert_false(r.flags & PEEL_FRAG_COMPLETE);
    g_assert_cmpuint(peel_defrag_pending(d), ==, 1);
    peel_defrag_free(d);
}

static void
test_bounded(void)
{
    fill();
    PeelDefragLimits lim = { .max_pending_bytes = 64 * 1024 };
    PeelDefrag *d = peel_defrag_new(&lim);
    /* Thousands of first fragments that never complete. */
    for (uint32_t id = 0; id < 5000; id++) {
        PeelFragKey k = key4(id);
        peel_defrag_add(d, &k, 0, payload, 1000, true, id + 1, (PeelTime){ 5, 0 });
        g_assert_cmpuint(peel_defrag_pending_bytes(d), <=, 64 * 1024);
    }
    PeelFragKey k = key4(99999);
    PeelDefragResult r = peel_defrag_add(d, &k, 65000, payload, 1000, false, 1, (PeelTime){ 5, 0 });
    g_assert_true(r.flags & PEEL_FRAG_TOO_LONG);
    peel_defrag_free(d);
}

static void
test_bad_end(void)
{
    fill();
    PeelDefrag *d = peel_defrag_new(NULL);
    PeelFragKey k = key4(4);
    PeelTime t = { 1, 0 };
    peel_defrag_add(d, &k, 1000, payload, 1000, false, 1, t);
    PeelDefragResult r = peel_defrag_add(d, &k, 1500, payload, 1000, true, 2, t);
    g_assert_true(r.flags & PEEL_FRAG_BAD_END);
    peel_defrag_free(d);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/defrag/orders", test_orders);
    g_test_add_func("/defrag/duplicate-overlap", test_duplicate_and_overlap);
    g_test_add_func("/defrag/separate-keys", test_separate_keys);
    g_test_add_func("/defrag/timeout", test_timeout);
    g_test_add_func("/defrag/bounded", test_bounded);
    g_test_add_func("/defrag/bad-end", test_bad_end);
    return g_test_run();
}
