/* test-reader.c: the bounds-checked reader: truncated versus malformed, sticky errors. */
#include <glib.h>

#include "reader.h"

static const uint8_t bytes[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a };

static void
test_reads_in_order(void)
{
    PeelReader rd = peel_reader_init(bytes, 10, 10, 0);
    g_assert_cmpuint(peel_reader_u8(&rd), ==, 0x01);
    g_assert_cmpuint(peel_reader_u16be(&rd), ==, 0x0203);
    g_assert_cmpuint(peel_reader_u24be(&rd), ==, 0x040506);
    g_assert_cmpuint(peel_reader_u16le(&rd), ==, 0x0807);
    g_assert_cmpuint(peel_reader_remaining(&rd), ==, 2);
    g_assert_true(peel_reader_ok(&rd));
}

static void
test_u64(void)
{
    PeelReader rd = peel_reader_init(bytes, 10, 10, 0);
    g_assert_cmpuint(peel_reader_u64be(&rd), ==, G_GUINT64_CONSTANT(0x0102030405060708));
    rd = peel_reader_init(bytes, 10, 10, 0);
    g_assert_cmpuint(peel_reader_u64le(&rd), ==, G_GUINT64_CONSTANT(0x0807060504030201));
    g_assert_cmpuint(peel_reader_offset(&rd), ==, 8);
}

static void
test_truncated_is_sticky(void)
{
    /* 4 bytes held of 10 claimed: a short snaplen. */
    PeelReader rd = peel_reader_init(bytes, 4, 10, 0);
    g_assert_cmpuint(peel_reader_u24be(&rd), ==, 0x010203);
    g_assert_cmpuint(peel_reader_u16be(&rd), ==, 0);
    g_assert_cmpint(rd.status, ==, PEEL_READ_TRUNCATED);
    g_assert_cmpuint(rd.pos, ==, 3);
    /* Later reads fail too, even ones that would fit. */
    g_assert_cmpuint(peel_reader_u8(&rd), ==, 0);
    g_assert_cmpuint(rd.pos, ==, 3);
}

static void
test_malformed_past_claim(void)
{
    PeelReader rd = peel_reader_init(bytes, 10, 3, 0);
    g_assert_cmpuint(peel_reader_captured(&rd), ==, 3); /* bytes past the claim are hidden */
    g_assert_null(peel_reader_bytes(&rd, 4));
    g_assert_cmpint(rd.status, ==, PEEL_READ_MALFORMED);
}

static void
test_peek_never_fails(void)
{
    PeelReader rd = peel_reader_init(bytes, 2, 2, 0);
    g_assert_cmpuint(peel_reader_peek_u32be(&rd, 0), ==, 0);
    g_assert_cmpuint(peel_reader_peek_u8(&rd, 1), ==, 0x02);
    g_assert_cmpuint(peel_reader_peek_u8(&rd, G_MAXUINT32), ==, 0);
    g_assert_true(peel_reader_ok(&rd));
}

static void
test_take_child(void)
{
    PeelReader rd = peel_reader_init(bytes, 10, 10, 3);
    peel_reader_skip(&rd, 2);
    PeelReader child = peel_reader_take(&rd, 4);
    g_assert_cmpuint(rd.pos, ==, 6);
    g_assert_cmpuint(child.base, ==, 2);
    g_assert_cmpuint(child.src, ==, 3);
    g_assert_cmpuint(peel_reader_u32be(&child), ==, 0x03040506);
    g_assert_cmpuint(peel_reader_u8(&child), ==, 0);
    g_assert_cmpint(child.status, ==, PEEL_READ_MALFORMED);
    g_assert_true(peel_reader_ok(&rd)); /* the parent is untouched */
}

static void
test_take_more_than_claimed(void)
{
    /* A length field says 20 but only 6 bytes are claimed by the enclosing header. */
    PeelReader rd = peel_reader_init(bytes, 10, 6, 0);
    PeelReader child = peel_reader_take(&rd, 20);
    g_assert_cmpuint(child.claimed, ==, 6);
    g_assert_cmpuint(peel_reader_remaining(&rd), ==, 0);
    g_assert_null(peel_reader_bytes(&child, 20));
    g_assert_cmpint(child.status, ==, PEEL_READ_MALFORMED);
}

static void
test_take_of_truncated(void)
{
    PeelReader rd = peel_reader_init(bytes, 5, 10, 0);
    peel_reader_skip(&rd, 3);
    PeelReader child = peel_reader_take(&rd, 6);
    g_assert_cmpuint(child.claimed, ==, 6);
    g_assert_cmpuint(child.cap, ==, 2);
    g_assert_null(peel_reader_bytes(&child, 3));
    g_assert_cmpint(child.status, ==, PEEL_READ_TRUNCATED);
}

static void
test_limit(void)
{
    PeelReader rd = peel_reader_init(bytes, 10, 10, 0);
    peel_reader_skip(&rd, 2);
    peel_reader_limit(&rd, 3);
    g_assert_cmpuint(peel_reader_remaining(&rd), ==, 3);
    peel_reader_limit(&rd, 8); /* never widens */
    g_assert_cmpuint(peel_reader_remaining(&rd), ==, 3);
    g_assert_cmpuint(peel_reader_captured(&rd), ==, 3);
}

static void
test_peek_bytes(void)
{
    PeelReader rd = peel_reader_init(bytes, 6, 10, 0);
    uint32_t got = 0;
    const uint8_t *p = peel_reader_peek_bytes(&rd, 4, 8, &got);
    g_assert_cmpuint(got, ==, 2);
    g_assert_cmpuint(p[0], ==, 0x05);
    peel_reader_peek_bytes(&rd, 9, 1, &got);
    g_assert_cmpuint(got, ==, 0);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/reader/in-order", test_reads_in_order);
    g_test_add_func("/reader/u64", test_u64);
    g_test_add_func("/reader/truncated-sticky", test_truncated_is_sticky);
    g_test_add_func("/reader/malformed-past-claim", test_malformed_past_claim);
    g_test_add_func("/reader/peek-never-fails", test_peek_never_fails);
    g_test_add_func("/reader/take/child", test_take_child);
    g_test_add_func("/reader/take/more-than-claimed", test_take_more_than_claimed);
    g_test_add_func("/reader/take/of-truncated", test_take_of_truncated);
    g_test_add_func("/reader/limit", test_limit);
    g_test_add_func("/reader/peek-bytes", test_peek_bytes);
    return g_test_run();
}
