/* test-echo-pairs.c: ICMP echo request/reply pairing through the engine, first pass and
 * revisit, and replies that answer nothing. */
#include <glib.h>
#include <string.h>

#include "dissector.h"
#include "format.h"
#include "linktype.h"
#include "registry.h"

/* An IPv4 ICMP echo (type 8) or reply (type 0) from a to b, link type RAW. */
static GByteArray *
echo(uint8_t type, uint8_t a, uint8_t b, uint16_t id, uint16_t seq)
{
    uint8_t f[28] = { 0x45, 0, 0, 28, 0, 1, 0, 0, 64, 1, 0, 0, 10, 0, 0, a, 10, 0, 0, b, type, 0,
        0, 0, (uint8_t)(id >> 8), (uint8_t)id, (uint8_t)(seq >> 8), (uint8_t)seq };
    GByteArray *g = g_byte_array_new();
    g_byte_array_append(g, f, sizeof f);
    return g;
}

static const PeelPacket *
run(PeelDissector *dis, GByteArray *b, uint32_t number, int64_t usec)
{
    static PeelFrameInfo fr;
    memset(&fr, 0, sizeof fr);
    fr.number = number;
    fr.ts = (PeelTime){ 100, (int32_t)(usec * 1000) };
    fr.cap_len = fr.len = b->len;
    fr.linktype = PEEL_LINKTYPE_RAW;
    fr.data = b->data;
    return peel_dissector_run(dis, &fr);
}

static char *
field(const PeelPacket *pkt, const char *name)
{
    int id = peel_field_lookup(name);
    g_assert_cmpint(id, >=, 0);
    GString *s = g_string_new(NULL);
    for (uint32_t i = 0; i < pkt->n_fields; i++)
        if (pkt->fields[i].id == (uint32_t)id)
            peel_format_value(s, pkt, &pkt->fields[i]);
    return g_string_free(s, FALSE);
}

static void
test_pairs_and_revisit(void)
{
    GByteArray *f[4] = {
        echo(8, 1, 2, 7, 1), /* 1: request */
        echo(0, 2, 1, 7, 9), /* 2: a reply to nothing (other sequence number) */
        echo(0, 2, 1, 7, 1), /* 3: the reply to frame 1 */
        echo(0, 3, 1, 7, 1), /* 4: same id/seq from another host: not a reply to 1 */
    };
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    peel_dissector_keep_records(dis, true);
    const int64_t at[4] = { 0, 100, 250, 300 };
    for (uint32_t i = 0; i < 4; i++) {
        const PeelPacket *pkt = run(dis, f[i], i + 1, at[i]);
        g_autofree char *to = field(pkt, "icmp.resp_to");
        g_autofree char *ms = field(pkt, "icmp.resptime");
        if (i == 2) {
            g_assert_cmpstr(to, ==, "1");
            g_assert_cmpstr(ms, ==, "0.25");
            g_assert_true(g_str_has_suffix(pkt->info, " (request in 1)"));
        } else {
            g_assert_cmpstr(to, ==, "");
            g_assert_null(strstr(pkt->info, "request in"));
        }
    }
    /* Frame 3 again, later: the pairing comes from its record. */
    const PeelPacket *pkt = run(dis, f[2], 3, at[2]);
    g_assert_true(pkt->revisit);
    g_autofree char *to = field(pkt, "icmp.resp_to");
    g_assert_cmpstr(to, ==, "1");
    for (uint32_t i = 0; i < 4; i++)
        g_byte_array_unref(f[i]);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    peel_registry_init();
    g_test_add_func("/echo-pairs/pairs-and-revisit", test_pairs_and_revisit);
    return g_test_run();
}
