/* peel-loader.h: reads a capture file on a worker thread (index and first pass) and
 * hands the frames to the main thread in batches (STYLE.md, section 6). */
#pragma once

#include <gio/gio.h>

#include "peel-frame-model.h"

G_BEGIN_DECLS

/* Batches reach the main thread about this often. */
#define PEEL_LOADER_BATCH_USEC (50 * G_TIME_SPAN_MILLISECOND)

/* Starts reading the store's file from where its source stands (a store is loaded once)
 * on a worker thread. About every PEEL_LOADER_BATCH_USEC the frames read so far are
 * published in the store and appended to model with one items-changed, in the thread-
 * default main context of the caller, which also gets the callback. Call from the main
 * thread. */
void peel_loader_load_async(PeelFrameStore *store, PeelFrameModel *model, GCancellable *cancellable,
        GAsyncReadyCallback callback, gpointer user_data);

/* Finishes the load, first publishing any frames not yet handed over, so the model holds
 * every frame read, and giving the store the first pass's dissector and records
 * (peel_frame_store_adopt_dissector()). FALSE with the error that ended reading (a corrupt record:
 * the frames before it are in the model) or G_IO_ERROR_CANCELLED. */
gboolean peel_loader_load_finish(GAsyncResult *result, GError **error);

G_END_DECLS
