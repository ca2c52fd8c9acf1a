/* test-gui-model.c: PeelFrameModel, PeelFrameStore and the loader of peel-gui, without a
 * display: batches, item numbers, summaries read again by offset, errors. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dissector.h"
#include "format.h"
#include "peel-frame-model.h"
#include "peel-loader.h"
#include "source.h"

static char *
sample_path(const char *name)
{
    const char *root = g_getenv("PEEL_SOURCE_ROOT");
    if (root != NULL)
        return g_build_filename(root, "samples", name, NULL);
    return g_test_build_filename(G_TEST_DIST, "..", "samples", name, NULL);
}

static guint
count_frames(const char *path)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(PeelSource) src = peel_source_open_file(path, &error);
    g_assert_no_error(error);
    PeelFrame fr;
    guint n = 0;
    while (peel_source_next(src, &fr, &error) > 0)
        n++;
    g_assert_no_error(error);
    return n;
}

/* Every items-changed the model emits. */
typedef struct {
    guint emissions;
    guint n_items; /* items announced so far */
    gboolean in_order;
} Changes;

static void
on_items_changed(GListModel *model, guint position, guint removed, guint added, Changes *c)
{
    c->emissions++;
    if (position != c->n_items || removed != 0 || added == 0)
        c->in_order = FALSE;
    c->n_items += added;
}

static void
assert_numbers(PeelFrameModel *model)
{
    guint n = g_list_model_get_n_items(G_LIST_MODEL(model));
    for (guint i = 0; i < n; i++) {
        g_autoptr(PeelFrameRow) row = g_list_model_get_item(G_LIST_MODEL(model), i);
        g_assert_nonnull(row);
        g_assert_cmpuint(peel_frame_row_get_number(row), ==, i + 1);
        g_assert_cmpuint(peel_frame_model_get_number(model, i), ==, i + 1);
    }
    g_assert_null(g_list_model_get_item(G_LIST_MODEL(model), n));
    g_assert_cmpuint(peel_frame_model_get_number(model, n), ==, 0);
}

static void
test_model_append(void)
{
    g_autofree char *path = sample_path("icmp-ping.pcap");
    g_autoptr(GError) error = NULL;
    g_autoptr(PeelFrameStore) store = peel_frame_store_open(path, &error);
    g_assert_no_error(error);
    PeelFrameBuf buf;
    peel_frame_buf_init(&buf);
    PeelFrameInfo info;
    while (peel_frame_store_read_next(store, &buf, &info, &error) > 0)
        ;
    g_assert_no_error(error);
    peel_frame_buf_clear(&buf);
    guint32 n = peel_frame_store_get_n_indexed(store);
    g_assert_cmpuint(n, ==, count_frames(path));
    g_assert_cmpuint(n, >=, 4);
    peel_frame_store_publish(store, n);

    g_autoptr(PeelFrameModel) model = peel_frame_model_new(store);
    g_assert_true(g_list_model_get_item_type(G_LIST_MODEL(model)) == PEEL_TYPE_FRAME_ROW);
    g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(model)), ==, 0);
    Changes c = { .in_order = TRUE };
    g_signal_connect(model, "items-changed", G_CALLBACK(on_items_changed), &c);
    peel_frame_model_append_range(model, 1, 3);
    peel_frame_model_append_range(model, 4, n);
    g_assert_cmpuint(c.emissions, ==, 2);
    g_assert_true(c.in_order);
    g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(model)), ==, n);
    assert_numbers(model);
}

typedef struct {
    GMainLoop *loop;
    gboolean ok;
    GError *error;
} LoadResult;

static void
load_done(GObject *source, GAsyncResult *result, gpointer data)
{
    LoadResult *r = data;
    r->ok = peel_loader_load_finish(result, &r->error);
    g_main_loop_quit(r->loop);
}

/* Loads path into a new model; returns the model, with the emissions seen and the time
 * the load took. */
static PeelFrameModel *
load(const char *path, GCancellable *cancellable, LoadResult *r, Changes *c, gint64 *usec)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(PeelFrameStore) store = peel_frame_store_open(path, &error);
    g_assert_no_error(error);
    PeelFrameModel *model = peel_frame_model_new(store);
    *c = (Changes){ .in_order = TRUE };
    g_signal_connect(model, "items-changed", G_CALLBACK(on_items_changed), c);
    *r = (LoadResult){ .loop = g_main_loop_new(NULL, FALSE) };
    gint64 start = g_get_monotonic_time();
    peel_loader_load_async(store, model, cancellable, load_done, r);
    g_main_loop_run(r->loop);
    *usec = g_get_monotonic_time() - start;
    g_main_loop_unref(r->loop);
    return model;
}

static void
test_loader_sample(gconstpointer data)
{
    g_autofree char *path = sample_path(data);
    LoadResult r;
    Changes c;
    gint64 usec;
    g_autoptr(PeelFrameModel) model = load(path, NULL, &r, &c, &usec);
    g_assert_no_error(r.error);
    g_assert_true(r.ok);

    guint n = count_frames(path);
    g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(model)), ==, n);
    g_assert_cmpuint(peel_frame_store_get_n_frames(peel_frame_model_get_store(model)), ==, n);
    /* Batches, not frames: one per PEEL_LOADER_BATCH_USEC of reading, plus the last. */
    g_assert_true(c.in_order);
    g_assert_cmpuint(c.n_items, ==, n);
    g_assert_cmpuint(c.emissions, >=, 1);
    g_assert_cmpuint(c.emissions, <=, usec / PEEL_LOADER_BATCH_USEC + 1);
    assert_numbers(model);
}

/* The columns made by reading a frame again by offset, after loading, are those of the
 * sequential pass: the store dissects with the first pass's records. */
static void
test_loader_summaries(gconstpointer data)
{
    g_autofree char *path = sample_path(data);
    LoadResult r;
    Changes c;
    gint64 usec;
    g_autoptr(PeelFrameModel) model = load(path, NULL, &r, &c, &usec);
    g_assert_no_error(r.error);

    g_autoptr(GError) error = NULL;
    g_autoptr(PeelSource) src = peel_source_open_file(path, &error);
    g_assert_no_error(error);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    PeelFrameClock clock = { 0 };
    PeelFrame fr;
    guint i = 0;
    while (peel_source_next(src, &fr, &error) > 0) {
        PeelFrameInfo info = {
            .number = fr.number,
            .ts = { fr.ts_sec, (int32_t)fr.ts_nsec },
            .cap_len = fr.cap_len,
            .len = fr.orig_len,
            .linktype = fr.linktype,
            .iface = fr.iface,
            .data = fr.data,
        };
        peel_frame_clock_tick(&clock, &info);
        const PeelPacket *pkt = peel_dissector_run(dis, &info);

        g_autoptr(PeelFrameRow) row = g_list_model_get_item(G_LIST_MODEL(model), i++);
        g_assert_nonnull(row);
        const PeelFrameSummary *s = peel_frame_row_get_summary(row);
        g_assert_cmpstr(s->protocol, ==, pkt->col_protocol ? pkt->col_protocol : "");
        g_autofree char *info_text = g_strndup(pkt->info, pkt->info_len);
        g_assert_cmpstr(s->info, ==, info_text);
        GString *addr = g_string_new(NULL);
        if (pkt->col_src != NULL)
            peel_format_addr(addr, pkt->col_src);
        g_assert_cmpstr(s->source, ==, addr->str);
        g_string_truncate(addr, 0);
        if (pkt->col_dst != NULL)
            peel_format_addr(addr, pkt->col_dst);
        g_assert_cmpstr(s->destination, ==, addr->str);
        g_string_free(addr, TRUE);
        PeelTime rel = peel_frame_store_get_rel_time(peel_frame_model_get_store(model), fr.number);
        g_assert_cmpint(rel.sec, ==, info.rel.sec);
        g_assert_cmpint(rel.nsec, ==, info.rel.nsec);
    }
    g_assert_no_error(error);
    g_assert_cmpuint(i, ==, g_list_model_get_n_items(G_LIST_MODEL(model)));
}

/* A damaged last record ends loading with an error after the frames before it. */
static void
test_loader_truncated(void)
{
    g_autofree char *path = sample_path("icmp-ping.pcap");
    g_autofree char *contents = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(path, &contents, &len, NULL));
    g_autofree char *dir = g_dir_make_tmp("test-gui-model-XXXXXX", NULL);
    g_assert_nonnull(dir);
    g_autofree char *cut = g_build_filename(dir, "cut.pcap", NULL);
    g_assert_true(g_file_set_contents(cut, contents, (gssize)len - 10, NULL));

    LoadResult r;
    Changes c;
    gint64 usec;
    g_autoptr(PeelFrameModel) model = load(cut, NULL, &r, &c, &usec);
    g_assert_false(r.ok);
    g_assert_error(r.error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_CORRUPT);
    g_clear_error(&r.error);
    g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(model)), ==, count_frames(path) - 1);
    assert_numbers(model);
    g_remove(cut);
    g_rmdir(dir);
}

static void
test_loader_cancelled(void)
{
    g_autofree char *path = sample_path("http-curl.pcap");
    g_autoptr(GCancellable) cancellable = g_cancellable_new();
    g_cancellable_cancel(cancellable);
    LoadResult r;
    Changes c;
    gint64 usec;
    g_autoptr(PeelFrameModel) model = load(path, cancellable, &r, &c, &usec);
    g_assert_false(r.ok);
    g_assert_error(r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error(&r.error);
    g_assert_cmpuint(c.n_items, ==, g_list_model_get_n_items(G_LIST_MODEL(model)));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/gui/model/append", test_model_append);
    g_test_add_data_func("/gui/loader/icmp-ping", "icmp-ping.pcap", test_loader_sample);
    g_test_add_data_func("/gui/loader/http-curl", "http-curl.pcap", test_loader_sample);
    g_test_add_data_func(
            "/gui/loader/summaries/icmp-ping", "icmp-ping.pcap", test_loader_summaries);
    g_test_add_data_func(
            "/gui/loader/summaries/http-curl", "http-curl.pcap", test_loader_summaries);
    g_test_add_func("/gui/loader/truncated", test_loader_truncated);
    g_test_add_func("/gui/loader/cancelled", test_loader_cancelled);
    return g_test_run();
}
