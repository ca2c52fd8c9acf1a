/* test-inet-checksum.c: the Internet checksum and pseudo-header sums (RFC 1071, 1624). */
#include <glib.h>
#include <string.h>

#include "inet-checksum.h"

static void
test_rfc1071_example(void)
{
    /* RFC 1071 section 3: these words sum to 0xddf2 (folded). */
    const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
    g_assert_cmphex(peel_inet_fold(peel_inet_sum(0, b, sizeof b)), ==, 0xddf2);
    /* An odd length pads the last byte with zero. */
    const uint8_t odd[] = { 0x12, 0x34, 0x56 };
    g_assert_cmphex(peel_inet_fold(peel_inet_sum(0, odd, 3)), ==, 0x1234 + 0x5600);
}

static void
test_long_data_does_not_overflow(void)
{
    /* 1 MiB of 0xff: every word is 0xffff, the folded sum stays 0xffff. */
    g_autofree uint8_t *b = g_malloc(1 << 20);
    memset(b, 0xff, 1 << 20);
    g_assert_cmphex(peel_inet_fold(peel_inet_sum(0, b, 1 << 20)), ==, 0xffff);
}

static void
test_ipv4_header(void)
{
    /* A real header (checksum 0xb861 in place): the sum over it folds to 0xffff. */
    const uint8_t h[] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xb8,
        0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };
    g_assert_cmphex(peel_inet_fold(peel_inet_sum(0, h, sizeof h)), ==, 0xffff);
    /* With the field zeroed, the expected value comes back (RFC 1624 arithmetic). */
    uint8_t z[sizeof h];
    memcpy(z, h, sizeof h);
    z[10] = z[11] = 0;
    uint16_t computed = (uint16_t)~peel_inet_fold(peel_inet_sum(0, z, sizeof z));
    g_assert_cmphex(computed, ==, 0xb861);
    uint16_t with_field = (uint16_t)~peel_inet_fold(peel_inet_sum(0, h, sizeof h));
    g_assert_cmphex(peel_inet_expected(0xb861, with_field), ==, 0xb861);
}

static void
test_pseudo_header(void)
{
    PeelPacket pkt;
    memset(&pkt, 0, sizeof pkt);
    uint32_t sum = 0;
    g_assert_false(peel_inet_pseudo_sum(&pkt, 6, 20, &sum)); /* no addresses */
    pkt.net_src.type = pkt.net_dst.type = PEEL_AT_IPV4;
    memcpy(pkt.net_src.bytes, (const uint8_t[]){ 10, 0, 0, 1 }, 4);
    memcpy(pkt.net_dst.bytes, (const uint8_t[]){ 10, 0, 0, 2 }, 4);
    g_assert_true(peel_inet_pseudo_sum(&pkt, 6, 20, &sum));
    g_assert_cmphex(peel_inet_fold(sum), ==, 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 6 + 20);
    pkt.net_src.type = pkt.net_dst.type = PEEL_AT_IPV6;
    memset(pkt.net_src.bytes, 0, 16);
    memset(pkt.net_dst.bytes, 0, 16);
    pkt.net_src.bytes[15] = 1;
    pkt.net_dst.bytes[15] = 1;
    g_assert_true(peel_inet_pseudo_sum(&pkt, 58, 0x10008, &sum));
    g_assert_cmphex(peel_inet_fold(sum), ==, 1 + 1 + 1 + 8 + 58);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/inet-checksum/rfc1071", test_rfc1071_example);
    g_test_add_func("/inet-checksum/long-data", test_long_data_does_not_overflow);
    g_test_add_func("/inet-checksum/ipv4-header", test_ipv4_header);
    g_test_add_func("/inet-checksum/pseudo-header", test_pseudo_header);
    return g_test_run();
}
