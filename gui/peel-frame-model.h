/* peel-frame-model.h: the packet list's GListModel: an array of visible frame numbers
 * over a PeelFrameStore, each item a PeelFrameRow made on demand (STYLE.md, section 7).
 * Main thread only. */
#pragma once

#include <gio/gio.h>

#include "peel-frame-store.h"

G_BEGIN_DECLS

#define PEEL_TYPE_FRAME_ROW (peel_frame_row_get_type())
G_DECLARE_FINAL_TYPE(PeelFrameRow, peel_frame_row, PEEL, FRAME_ROW, GObject)

/* The frame's number (1-based). */
guint32 peel_frame_row_get_number(PeelFrameRow *row);

/* The store the frame is in (borrowed). */
PeelFrameStore *peel_frame_row_get_store(PeelFrameRow *row);

/* The frame's Protocol, Source, Destination and Info columns, dissected on first use and
 * kept while the row lives (the list view keeps rows only for what is on screen).
 * Borrowed. */
const PeelFrameSummary *peel_frame_row_get_summary(PeelFrameRow *row);

#define PEEL_TYPE_FRAME_MODEL (peel_frame_model_get_type())
G_DECLARE_FINAL_TYPE(PeelFrameModel, peel_frame_model, PEEL, FRAME_MODEL, GObject)

/* An empty model over store (referenced). */
PeelFrameModel *peel_frame_model_new(PeelFrameStore *store);

PeelFrameStore *peel_frame_model_get_store(PeelFrameModel *self);

/* Appends frames first..last (published in the store) with one items-changed. */
void peel_frame_model_append_range(PeelFrameModel *self, guint32 first, guint32 last);

/* The frame number at position, or 0 past the end. */
guint32 peel_frame_model_get_number(PeelFrameModel *self, guint position);

G_END_DECLS
