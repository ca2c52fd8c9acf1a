/* frame-index.h: the compact per-frame index (ARCHITECTURE.md, decision 6): where each
 * frame's record is and what its header said, so frames can be read again by number. */
#pragma once

#include "source.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

/* 32 bytes a frame. */
typedef struct {
    uint64_t offset; /* PeelFrame.offset: give it to peel_source_read_at() */
    int64_t ts_sec;
    uint32_t ts_nsec;
    uint32_t cap_len;
    uint32_t orig_len;
    uint32_t iface;
} PeelFrameIndexEntry;

typedef struct PeelFrameIndex PeelFrameIndex;

/* An empty index. Entries live in fixed chunks that never move, so a pointer from
 * peel_frame_index_get() stays valid until peel_frame_index_free(). Not locked: one
 * thread appends; another may read entries below a length the appender published to it
 * (with a memory barrier, e.g. through a GAsyncQueue or g_main_context_invoke()). */
PeelFrameIndex *peel_frame_index_new(void);
void peel_frame_index_free(PeelFrameIndex *index);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PeelFrameIndex, peel_frame_index_free)

/* Appends the next frame's entry; it becomes frame number peel_frame_index_len(). FALSE
 * (nothing appended) when the index already holds G_MAXUINT32 frames, the most a 32-bit
 * frame number can name. */
bool peel_frame_index_append(PeelFrameIndex *index, const PeelFrameIndexEntry *entry);

/* The same, from a frame as peel_source_next() returned it. */
bool peel_frame_index_append_frame(PeelFrameIndex *index, const PeelFrame *frame);

/* The entry of frame number `number` (1-based, as PeelFrame.number), borrowed; NULL when
 * number is 0 or past the end. */
const PeelFrameIndexEntry *peel_frame_index_get(const PeelFrameIndex *index, uint32_t number);

/* Frames held. */
uint32_t peel_frame_index_len(const PeelFrameIndex *index);

/* Bytes allocated, for statistics. */
size_t peel_frame_index_memory(const PeelFrameIndex *index);

G_END_DECLS
