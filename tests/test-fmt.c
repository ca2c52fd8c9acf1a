/* test-fmt.c: peel_vformat against the C library's vsnprintf, which it stands in for;
 * the arena's adopted blocks. */
#include <glib.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "fmt.h"

/* Formats with both and compares text and length; also at a buffer too small. */
static void
check(const char *fmt, ...)
{
    char want[512], got[512], want_small[8], got_small[8];
    va_list ap, a2;
    va_start(ap, fmt);
    va_copy(a2, ap);
    int wn = vsnprintf(want, sizeof want, fmt, ap);
    int gn = peel_vformat(got, sizeof got, fmt, a2);
    va_end(a2);
    va_end(ap);
    g_assert_cmpint(gn, ==, wn);
    g_assert_cmpstr(got, ==, want);
    va_start(ap, fmt);
    va_copy(a2, ap);
    vsnprintf(want_small, sizeof want_small, fmt, ap);
    peel_vformat(got_small, sizeof got_small, fmt, a2);
    va_end(a2);
    va_end(ap);
    g_assert_cmpstr(got_small, ==, want_small);
}

static void
test_conversions(void)
{
    check("plain text, no conversion");
    check("");
    check("%u %u %u", 0u, 7u, 4294967295u);
    check("%d %d %d %i", 0, -1, 2147483647, -2147483647 - 1);
    check("%x %X %08x %02x %04X", 0xdeadbeefu, 0xabcu, 0x1fu, 0x5u, 0xbeefu);
    check("%lu %llu %zu %" G_GUINT64_FORMAT, 123456789012ul, 18446744073709551615ull,
            (size_t)42, (guint64)9);
    check("%ld %lld %" G_GINT64_FORMAT, -123456789012l, -9223372036854775807ll - 1,
            (gint64)-5);
    check("%hu %hhu %hd %hhd", 70000u, 300u, 40000, 200);
    check("%5u|%-5u|%05d|%-6d|%5d|%05d", 42u, 42u, -42, -42, -42, 42);
    check("%s|%10s|%-10s|%.3s|%.*s|%-8.2s|", "abc", "abc", "abc", "abcdef", 2, "xyz", "hello");
    check("%c%c%3c%-3c|", 'a', 'b', 'c', 'd');
    check("100%% of %s: %u%%", "frames", 5u);
    check("Seq=%u Ack=%u Win=%u Len=%u", 1u, 2u, 65535u, 1448u);
    check("%s", "a string longer than the small buffer, cut where it must be");
}

static int
try_format(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = peel_vformat(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

/* Formats it does not do return -1 and leave the work to vsnprintf (these read no
 * argument before the conversion that stops them). */
static void
test_unsupported(void)
{
    char buf[64];
    static const char *const formats[] = { "%f", "%.2f", "%g", "%e", "%p", "%+d", "% d", "%#x",
        "%*d", "%o", "%n", "text before %a" };
    for (size_t i = 0; i < G_N_ELEMENTS(formats); i++) {
        g_assert_cmpint(try_format(buf, sizeof buf, formats[i]), ==, -1);
    }
}

/* A format that only peel_arena_printf's fallback does, through the arena. */
static void
test_arena_printf_fallback(void)
{
    PeelArena a;
    peel_arena_init(&a);
    g_assert_cmpstr(peel_arena_printf(&a, "%.3f s, %u frames", 1.5, 3u), ==, "1.500 s, 3 frames");
    g_assert_cmpstr(peel_arena_printf(&a, "%s=%04x", "id", 0x2au), ==, "id=002a");
    peel_arena_clear(&a);
}

/* Adopted blocks count against the packet's limit and are freed at the reset (the
 * sanitizer run checks that nothing leaks). */
static void
test_arena_adopt(void)
{
    PeelArena a;
    peel_arena_init(&a);
    a.limit = 1 << 20;
    uint8_t *big = g_malloc(600 * 1024);
    g_assert_true(peel_arena_adopt(&a, big, 600 * 1024));
    uint8_t *more = g_malloc(600 * 1024);
    g_assert_false(peel_arena_adopt(&a, more, 600 * 1024)); /* past the limit: not taken */
    g_free(more);
    g_assert_null(peel_arena_alloc(&a, 512 * 1024));
    peel_arena_reset(&a);
    g_assert_nonnull(peel_arena_alloc(&a, 512 * 1024)); /* the limit counts afresh */
    uint8_t *again = g_malloc(16);
    g_assert_true(peel_arena_adopt(&a, again, 16));
    peel_arena_clear(&a);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/fmt/conversions", test_conversions);
    g_test_add_func("/fmt/unsupported", test_unsupported);
    g_test_add_func("/fmt/arena-printf-fallback", test_arena_printf_fallback);
    g_test_add_func("/fmt/arena-adopt", test_arena_adopt);
    return g_test_run();
}
