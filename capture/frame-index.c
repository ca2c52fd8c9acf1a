/* frame-index.c: a chunked array of 32-byte frame entries that never moves or copies what
 * it holds, so 10 million frames cost 320 MB and no realloc of the whole. */
#include "frame-index.h"

#include <assert.h>

static_assert(sizeof(PeelFrameIndexEntry) <= 32, "a frame index entry must fit 32 bytes");

#define CHUNK_BITS 16 /* 65536 entries, 2 MiB, a chunk */
#define CHUNK_LEN  (1u << CHUNK_BITS)
#define N_CHUNKS   ((size_t)1 << (32 - CHUNK_BITS)) /* enough for G_MAXUINT32 frames */

struct PeelFrameIndex {
    /* A directory of N_CHUNKS pointers (512 KiB of address space; calloc leaves the
     * untouched pages unmapped), allocated once so that it never moves either. */
    PeelFrameIndexEntry **chunks;
    uint32_t len;
    uint32_t n_chunks; /* allocated chunks */
};

PeelFrameIndex *
peel_frame_index_new(void)
{
    PeelFrameIndex *index = g_new0(PeelFrameIndex, 1);
    index->chunks = g_new0(PeelFrameIndexEntry *, N_CHUNKS);
    return index;
}

void
peel_frame_index_free(PeelFrameIndex *index)
{
    if (index == NULL)
        return;
    for (uint32_t i = 0; i < index->n_chunks; i++)
        g_free(index->chunks[i]);
    g_free(index->chunks);
    g_free(index);
}

bool
peel_frame_index_append(PeelFrameIndex *index, const PeelFrameIndexEntry *entry)
{
    g_return_val_if_fail(index != NULL && entry != NULL, false);
    if (index->len == G_MAXUINT32)
        return false;
    uint32_t chunk = index->len >> CHUNK_BITS;
    if (chunk == index->n_chunks) {
        index->chunks[chunk] = g_new(PeelFrameIndexEntry, CHUNK_LEN);
        index->n_chunks++;
    }
    index->chunks[chunk][index->len & (CHUNK_LEN - 1)] = *entry;
    index->len++;
    return true;
}

bool
peel_frame_index_append_frame(PeelFrameIndex *index, const PeelFrame *frame)
{
    PeelFrameIndexEntry e = {
        .offset = frame->offset,
        .ts_sec = frame->ts_sec,
        .ts_nsec = frame->ts_nsec,
        .cap_len = frame->cap_len,
        .orig_len = frame->orig_len,
        .iface = frame->iface,
    };
    return peel_frame_index_append(index, &e);
}

const PeelFrameIndexEntry *
peel_frame_index_get(const PeelFrameIndex *index, uint32_t number)
{
    if (number == 0 || number > index->len)
        return NULL;
    uint32_t i = number - 1;
    return &index->chunks[i >> CHUNK_BITS][i & (CHUNK_LEN - 1)];
}

uint32_t
peel_frame_index_len(const PeelFrameIndex *index)
{
    return index->len;
}

size_t
peel_frame_index_memory(const PeelFrameIndex *index)
{
    return sizeof *index + N_CHUNKS * sizeof(PeelFrameIndexEntry *) +
           (size_t)index->n_chunks * CHUNK_LEN * sizeof(PeelFrameIndexEntry);
}
