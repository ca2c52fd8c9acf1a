/* test-frame-index.c: the chunked frame index (ARCHITECTURE.md, decision 6). */
#include "frame-index.h"

static PeelFrameIndexEntry
entry_for(uint32_t i)
{
    return (PeelFrameIndexEntry){
        .offset = (uint64_t)i * 1000 + 24,
        .ts_sec = 1700000000 + i,
        .ts_nsec = i % 1000000000u,
        .cap_len = i % 65536,
        .orig_len = i % 65536 + 4,
        .iface = i % 3,
    };
}

static void
test_entry_size(void)
{
    g_assert_cmpuint(sizeof(PeelFrameIndexEntry), <=, 32);
}

static void
test_empty(void)
{
    g_autoptr(PeelFrameIndex) index = peel_frame_index_new();
    g_assert_cmpuint(peel_frame_index_len(index), ==, 0);
    g_assert_null(peel_frame_index_get(index, 0));
    g_assert_null(peel_frame_index_get(index, 1));
}

/* Across chunk boundaries; entries never move once appended. */
static void
test_append_get(void)
{
    g_autoptr(PeelFrameIndex) index = peel_frame_index_new();
    const uint32_t n = 3 * 65536 + 17;
    const PeelFrameIndexEntry *first = NULL;
    for (uint32_t i = 0; i < n; i++) {
        PeelFrameIndexEntry e = entry_for(i);
        g_assert_true(peel_frame_index_append(index, &e));
        if (i == 0)
            first = peel_frame_index_get(index, 1);
    }
    g_assert_cmpuint(peel_frame_index_len(index), ==, n);
    g_assert_true(peel_frame_index_get(index, 1) == first);
    g_assert_null(peel_frame_index_get(index, 0));
    g_assert_null(peel_frame_index_get(index, n + 1));
    uint32_t probes[] = { 1, 2, 65535, 65536, 65537, 131072, 131073, n - 1, n };
    for (size_t k = 0; k < G_N_ELEMENTS(probes); k++) {
        const PeelFrameIndexEntry *got = peel_frame_index_get(index, probes[k]);
        PeelFrameIndexEntry want = entry_for(probes[k] - 1);
        g_assert_nonnull(got);
        g_assert_cmpmem(got, sizeof *got, &want, sizeof want);
    }
    /* 4 chunks of 2 MiB and the directory */
    g_assert_cmpuint(peel_frame_index_memory(index), <, 4 * 2 * 1024 * 1024 + 600 * 1024);
}

static void
test_append_frame(void)
{
    g_autoptr(PeelFrameIndex) index = peel_frame_index_new();
    PeelFrame f = { .number = 1,
        .ts_sec = -5,
        .ts_nsec = 7,
        .cap_len = 60,
        .orig_len = 1514,
        .iface = 2,
        .linktype = 1,
        .offset = UINT64_C(1) << 40 };
    g_assert_true(peel_frame_index_append_frame(index, &f));
    const PeelFrameIndexEntry *e = peel_frame_index_get(index, 1);
    g_assert_cmpuint(e->offset, ==, UINT64_C(1) << 40);
    g_assert_cmpint(e->ts_sec, ==, -5);
    g_assert_cmpuint(e->ts_nsec, ==, 7);
    g_assert_cmpuint(e->cap_len, ==, 60);
    g_assert_cmpuint(e->orig_len, ==, 1514);
    g_assert_cmpuint(e->iface, ==, 2);
}

/* Ten million frames: 320 MB of entries, no copy of the whole. */
static void
test_ten_million(void)
{
    g_autoptr(PeelFrameIndex) index = peel_frame_index_new();
    const uint32_t n = 10 * 1000 * 1000;
    for (uint32_t i = 0; i < n; i++) {
        PeelFrameIndexEntry e = entry_for(i);
        peel_frame_index_append(index, &e);
    }
    g_assert_cmpuint(peel_frame_index_len(index), ==, n);
    for (uint32_t i = 1; i <= n; i += 9973) {
        PeelFrameIndexEntry want = entry_for(i - 1);
        g_assert_cmpmem(peel_frame_index_get(index, i), sizeof want, &want, sizeof want);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/frame-index/entry-size", test_entry_size);
    g_test_add_func("/frame-index/empty", test_empty);
    g_test_add_func("/frame-index/append-get", test_append_get);
    g_test_add_func("/frame-index/append-frame", test_append_frame);
    g_test_add_func("/frame-index/ten-million", test_ten_million);
    return g_test_run();
}
