/* peel-frame-store.h: one open capture file for the GUI: its frame index, filled by the
 * loader's worker thread, and reading and dissecting published frames again by number on
 * the main thread (ARCHITECTURE.md, decisions 6 and 7). */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "dissect.h"
#include "frame-index.h"

G_BEGIN_DECLS

typedef struct PeelFrameStore PeelFrameStore;

/* A frame's bytes and strings copied out of the source, so they stay valid while other
 * threads use the source. One per thread; reused from frame to frame. */
typedef struct {
    GByteArray *data;
    GString *iface_name;
    GString *comment;
} PeelFrameBuf;

void peel_frame_buf_init(PeelFrameBuf *buf);
void peel_frame_buf_clear(PeelFrameBuf *buf);

/* The summary columns of one frame, owned by the caller (peel_frame_summary_free()). */
typedef struct {
    char *protocol;
    char *source;
    char *destination;
    char *info;
} PeelFrameSummary;

void peel_frame_summary_free(PeelFrameSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PeelFrameSummary, peel_frame_summary_free)

/* Opens path (pcap or pcapng) and returns a store with no frames yet; NULL with
 * PEEL_CAPTURE_ERROR set when it is not a capture file. Only the file header is read. */
PeelFrameStore *peel_frame_store_open(const char *path, GError **error);

/* Reference counting is atomic: the loader's worker holds a reference too. */
PeelFrameStore *peel_frame_store_ref(PeelFrameStore *store);
void peel_frame_store_unref(PeelFrameStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PeelFrameStore, peel_frame_store_unref)

const char *peel_frame_store_get_path(const PeelFrameStore *store);

/* Worker thread, one at a time: reads the next frame in file order, appends it to the
 * index and copies it into buf; info points into buf (rel and delta are left at zero).
 * Returns 1, 0 at the end of the file, or -1 with error set ("frame 17: ..."). */
int peel_frame_store_read_next(
        PeelFrameStore *store, PeelFrameBuf *buf, PeelFrameInfo *info, GError **error);

/* The number of frames in the index, for the worker (the only appender). */
uint32_t peel_frame_store_get_n_indexed(const PeelFrameStore *store);

/* Main thread: frames 1..n_frames (already indexed, n_frames never shrinks) may now be
 * read by number. The call that hands n_frames over must be a memory barrier, as
 * g_main_context_invoke_full() is. */
void peel_frame_store_publish(PeelFrameStore *store, uint32_t n_frames);

/* Main thread: frames published so far. */
uint32_t peel_frame_store_get_n_frames(const PeelFrameStore *store);

/* Main thread: the index entry of a published frame (borrowed), or NULL. */
const PeelFrameIndexEntry *peel_frame_store_get_entry(const PeelFrameStore *store, uint32_t number);

/* Main thread: time since the first frame, the Time column. */
PeelTime peel_frame_store_get_rel_time(const PeelFrameStore *store, uint32_t number);

/* Main thread: reads a published frame again and dissects it with the store's own
 * dissector, with protocol and subtree labels when want_tree. The packet is valid until
 * the next call. NULL with error set when the frame cannot be read. */
const PeelPacket *peel_frame_store_dissect(
        PeelFrameStore *store, uint32_t number, bool want_tree, GError **error);

/* Main thread: frames are dissected again with dis (taken) from now on: the dissector
 * that made the first pass over every published frame, with peel_dissector_keep_records()
 * on, so its per-frame records (flows, reassembly) serve the revisits. Until then the
 * store dissects with a dissector of its own, which has no first-pass records. */
void peel_frame_store_adopt_dissector(PeelFrameStore *store, PeelDissector *dis);

/* Main thread: the Protocol, Source, Destination and Info columns of a published frame;
 * a read error becomes the Info text. */
PeelFrameSummary *peel_frame_store_summarize(PeelFrameStore *store, uint32_t number);

G_END_DECLS
