/* test-flow.c: the flow table: numbering, direction, renewal, retirement, flow data. */
#include <glib.h>
#include <string.h>

#include "flow.h"
#include "peel-test.h"
#include "protos.h"

static void
test_numbering_and_direction(void)
{
    PeelFlowTable *t = peel_flow_table_new(NULL);
    PeelAddr a = peel_test_v4(10, 0, 0, 1), b = peel_test_v4(10, 0, 0, 2);
    PeelTime now = { 100, 0 };
    int dir = -1;
    PeelFlow *f0 = peel_flow_get(t, 6, &a, &b, 1234, 80, 1, now, &dir);
    g_assert_cmpuint(f0->id, ==, 0);
    g_assert_cmpint(dir, ==, 0);
    PeelFlow *back = peel_flow_get(t, 6, &b, &a, 80, 1234, 2, now, &dir);
    g_assert_true(back == f0);
    g_assert_cmpint(dir, ==, 1);
    PeelFlow *f1 = peel_flow_get(t, 6, &a, &b, 1235, 80, 3, now, &dir);
    g_assert_cmpuint(f1->id, ==, 1);
    /* UDP streams are numbered on their own. */
    PeelFlow *u0 = peel_flow_get(t, 17, &a, &b, 1234, 80, 4, now, &dir);
    g_assert_cmpuint(u0->id, ==, 0);
    g_assert_cmpuint(peel_flow_table_live(t), ==, 3);
    peel_flow_table_free(t);
}

static void
test_ipv6_and_same_ports(void)
{
    PeelFlowTable *t = peel_flow_table_new(NULL);
    PeelAddr a = { .type = PEEL_AT_IPV6 }, b = { .type = PEEL_AT_IPV6 };
    a.bytes[15] = 1;
    b.bytes[15] = 2;
    int dir;
    PeelFlow *f = peel_flow_get(t, 17, &a, &b, 53, 53, 1, (PeelTime){ 0, 0 }, &dir);
    PeelFlow *g = peel_flow_get(t, 17, &b, &a, 53, 53, 2, (PeelTime){ 0, 0 }, &dir);
    g_assert_true(f == g);
    g_assert_cmpint(dir, ==, 1);
    peel_flow_table_free(t);
}

static void
test_renew(void)
{
    PeelFlowTable *t = peel_flow_table_new(NULL);
    PeelAddr a = peel_test_v4(1, 1, 1, 1), b = peel_test_v4(2, 2, 2, 2);
    int dir;
    PeelFlow *f = peel_flow_get(t, 6, &a, &b, 5000, 80, 1, (PeelTime){ 0, 0 }, &dir);
    PeelFlow *n = peel_flow_renew(t, f, &a, 5000, 9, (PeelTime){ 1, 0 });
    g_assert_cmpuint(n->id, ==, 1);
    g_assert_cmpuint(n->first_frame, ==, 9);
    PeelFlow *again = peel_flow_get(t, 6, &b, &a, 80, 5000, 10, (PeelTime){ 1, 0 }, &dir);
    g_assert_true(again == n);
    g_assert_cmpint(dir, ==, 1);
    g_assert_cmpuint(peel_flow_table_live(t), ==, 1);
    peel_flow_table_free(t);
}

static guint cleared;

static void
count_clear(void *data)
{
    g_assert_cmpuint(*(guint *)data, ==, 7);
    cleared++;
}

static void
test_retire_idle_and_cap(void)
{
    PeelFlowLimits lim = { .max_flows = 100, .idle_seconds = 10, .closed_seconds = 2 };
    PeelFlowTable *t = peel_flow_table_new(&lim);
    PeelAddr a = peel_test_v4(1, 1, 1, 1), b = peel_test_v4(2, 2, 2, 2);
    int dir;
    cleared = 0;
    PeelFlow *f = peel_flow_get(t, 6, &a, &b, 1, 2, 1, (PeelTime){ 0, 0 }, &dir);
    guint *d = peel_flow_data(f, &peel_proto_tcp, sizeof(guint), count_clear);
    *d = 7;
    g_assert_true(peel_flow_data(f, &peel_proto_tcp, sizeof(guint), count_clear) == d);
    /* Eleven seconds later another flow's packet retires the idle one. */
    peel_flow_get(t, 6, &a, &b, 3, 4, 2, (PeelTime){ 11, 0 }, &dir);
    g_assert_cmpuint(cleared, ==, 1);
    g_assert_cmpuint(peel_flow_table_live(t), ==, 1);
    /* The cap: 1000 flows in one second keep at most 100 live. */
    for (uint16_t p = 0; p < 1000; p++)
        peel_flow_get(t, 17, &a, &b, p, 9, 3 + p, (PeelTime){ 12, 0 }, &dir);
    g_assert_cmpuint(peel_flow_table_live(t), <=, 100);
    g_assert_cmpuint(peel_flow_table_retired(t), >=, 900);
    peel_flow_table_free(t);
}

/* A flow used again after newer flows arrived is not the one retired: its use counts,
 * though the list is only reordered when the retirement check reaches it. */
static void
test_retire_second_chance(void)
{
    PeelFlowLimits lim = { .max_flows = 2, .idle_seconds = 10, .closed_seconds = 2 };
    PeelFlowTable *t = peel_flow_table_new(&lim);
    PeelAddr a = peel_test_v4(1, 1, 1, 1), b = peel_test_v4(2, 2, 2, 2);
    int dir;
    PeelFlow *old = peel_flow_get(t, 6, &a, &b, 1, 2, 1, (PeelTime){ 0, 0 }, &dir);
    uint32_t old_id = old->id;
    peel_flow_get(t, 6, &a, &b, 3, 4, 2, (PeelTime){ 5, 0 }, &dir);
    peel_flow_get(t, 6, &b, &a, 2, 1, 3, (PeelTime){ 8, 0 }, &dir); /* the first, again */
    g_assert_cmpint(dir, ==, 1);
    /* At 16 s the second flow (last used at 5 s) is idle past 10 s; the first is not. */
    peel_flow_get(t, 17, &a, &b, 5, 6, 4, (PeelTime){ 16, 0 }, &dir);
    g_assert_cmpuint(peel_flow_table_retired(t), ==, 1);
    PeelFlow *again = peel_flow_get(t, 6, &a, &b, 1, 2, 5, (PeelTime){ 16, 0 }, &dir);
    g_assert_cmpuint(again->id, ==, old_id);
    g_assert_cmpuint(peel_flow_table_retired(t), ==, 1);
    /* Over the cap (2): a new flow retires the least recently used, the UDP one. */
    peel_flow_get(t, 6, &a, &b, 7, 8, 6, (PeelTime){ 16, 0 }, &dir);
    g_assert_cmpuint(peel_flow_table_live(t), ==, 2);
    again = peel_flow_get(t, 6, &a, &b, 1, 2, 7, (PeelTime){ 16, 0 }, &dir);
    g_assert_cmpuint(again->id, ==, old_id);
    peel_flow_table_free(t);
}

static void
test_many_flows_grow(void)
{
    PeelFlowTable *t = peel_flow_table_new(NULL);
    PeelAddr a = peel_test_v4(1, 1, 1, 1);
    int dir;
    for (uint32_t i = 0; i < 20000; i++) {
        PeelAddr b = peel_test_v4(10, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i);
        PeelFlow *f = peel_flow_get(t, 6, &a, &b, 1000, 80, i + 1, (PeelTime){ 0, 0 }, &dir);
        g_assert_cmpuint(f->id, ==, i);
    }
    PeelAddr b = peel_test_v4(10, 0, 0, 77);
    g_assert_cmpuint(peel_flow_get(t, 6, &b, &a, 80, 1000, 1, (PeelTime){ 0, 0 }, &dir)->id, ==,
            77);
    peel_flow_table_free(t);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/flow/numbering-direction", test_numbering_and_direction);
    g_test_add_func("/flow/ipv6-same-ports", test_ipv6_and_same_ports);
    g_test_add_func("/flow/renew", test_renew);
    g_test_add_func("/flow/retire", test_retire_idle_and_cap);
    g_test_add_func("/flow/retire-second-chance", test_retire_second_chance);
    g_test_add_func("/flow/grow", test_many_flows_grow);
    return g_test_run();
}
