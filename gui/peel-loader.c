/* peel-loader.c: the worker that reads a capture file into a PeelFrameStore and the
 * batches that carry its progress to the main thread. */
#include "peel-loader.h"

#include "dissector.h"

typedef struct {
    PeelFrameStore *store;
    PeelFrameModel *model; /* released on the main thread, in peel_loader_load_finish() */
    GMainContext *ui_context;
    /* The first pass: frames in file order, keeping per-frame records (ARCHITECTURE.md,
     * decision 5). The worker's alone until it returns; then the store's. */
    PeelDissector *dis;
} LoadJob;

static void
load_job_free(LoadJob *job)
{
    peel_dissector_free(job->dis);
    peel_frame_store_unref(job->store);
    g_clear_object(&job->model);
    g_main_context_unref(job->ui_context);
    g_free(job);
}

/* Frames 1..n_frames of the store are indexed and may be shown. */
typedef struct {
    PeelFrameStore *store;
    PeelFrameModel *model;
    guint32 n_frames;
} PeelFrameBatch;

static void
peel_frame_batch_free(PeelFrameBatch *batch)
{
    peel_frame_store_unref(batch->store);
    g_object_unref(batch->model);
    g_free(batch);
}

/* Main thread. Batches arrive in order; the last may come after peel_loader_load_finish()
 * has already published everything. */
static void
frames_publish_up_to(PeelFrameStore *store, PeelFrameModel *model, guint32 n_frames)
{
    guint32 have = peel_frame_store_get_n_frames(store);
    if (n_frames <= have)
        return;
    peel_frame_store_publish(store, n_frames);
    peel_frame_model_append_range(model, have + 1, n_frames);
}

static gboolean
frames_publish(gpointer data)
{
    PeelFrameBatch *batch = data;
    frames_publish_up_to(batch->store, batch->model, batch->n_frames);
    return G_SOURCE_REMOVE;
}

/* Worker thread. */
static void
batch_send(LoadJob *job, guint32 n_frames)
{
    PeelFrameBatch *batch = g_new(PeelFrameBatch, 1);
    batch->store = peel_frame_store_ref(job->store);
    batch->model = g_object_ref(job->model);
    batch->n_frames = n_frames;
    g_main_context_invoke_full(job->ui_context, G_PRIORITY_DEFAULT_IDLE, frames_publish,
            g_steal_pointer(&batch), (GDestroyNotify)peel_frame_batch_free);
}

static void
load_thread(GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
    LoadJob *job = task_data;
    PeelFrameClock clock = { 0 };
    PeelFrameBuf buf;
    peel_frame_buf_init(&buf);
    PeelFrameInfo info;
    GError *error = NULL;
    guint32 read = 0, sent = 0;
    gint64 last_sent = g_get_monotonic_time();
    while (!g_cancellable_is_cancelled(cancellable) &&
            peel_frame_store_read_next(job->store, &buf, &info, &error) > 0) {
        peel_frame_clock_tick(&clock, &info);
        peel_dissector_run(job->dis, &info);
        read = peel_frame_store_get_n_indexed(job->store);
        gint64 now = g_get_monotonic_time();
        if (now - last_sent >= PEEL_LOADER_BATCH_USEC) {
            batch_send(job, read);
            sent = read;
            last_sent = now;
        }
    }
    /* The file was read to its end: what the end tells (HTTP requests never answered)
     * goes into the records of the frames it concerns, for the details pane. */
    if (error == NULL && !g_cancellable_is_cancelled(cancellable))
        peel_dissector_finish(job->dis, NULL, NULL);
    if (read > sent)
        batch_send(job, read);
    peel_frame_buf_clear(&buf);

    if (error != NULL)
        g_task_return_error(task, error);
    else if (!g_task_return_error_if_cancelled(task))
        g_task_return_boolean(task, TRUE);
}

void
peel_loader_load_async(PeelFrameStore *store, PeelFrameModel *model, GCancellable *cancellable,
        GAsyncReadyCallback callback, gpointer user_data)
{
    g_return_if_fail(store != NULL);
    g_return_if_fail(PEEL_IS_FRAME_MODEL(model));
    g_return_if_fail(peel_frame_model_get_store(model) == store);

    LoadJob *job = g_new0(LoadJob, 1);
    job->store = peel_frame_store_ref(store);
    job->model = g_object_ref(model);
    job->ui_context = g_main_context_ref_thread_default();
    job->dis = peel_dissector_new();
    peel_dissector_keep_records(job->dis, true);

    g_autoptr(GTask) task = g_task_new(NULL, cancellable, callback, user_data);
    g_task_set_source_tag(task, peel_loader_load_async);
    /* The same priority as the batches, so the result follows the last one. */
    g_task_set_priority(task, G_PRIORITY_DEFAULT_IDLE);
    g_task_set_task_data(task, job, (GDestroyNotify)load_job_free);
    g_task_run_in_thread(task, load_thread);
}

gboolean
peel_loader_load_finish(GAsyncResult *result, GError **error)
{
    g_return_val_if_fail(g_task_is_valid(result, NULL), FALSE);
    g_return_val_if_fail(g_task_get_source_tag(G_TASK(result)) == peel_loader_load_async, FALSE);

    /* The worker has returned: everything it indexed can be shown now, whatever became
     * of its last batch, and dissected again with its records. */
    LoadJob *job = g_task_get_task_data(G_TASK(result));
    if (job->model != NULL) {
        frames_publish_up_to(job->store, job->model, peel_frame_store_get_n_indexed(job->store));
        g_clear_object(&job->model);
        peel_frame_store_adopt_dissector(job->store, g_steal_pointer(&job->dis));
    }
    return g_task_propagate_boolean(G_TASK(result), error);
}
