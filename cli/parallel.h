/* parallel.h: reading a file with one dissector per core (parallel.c). */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

#include "dfilter.h"
#include "dissector.h"
#include "output.h"
#include "source.h"

#define PEEL_PARALLEL_MAX 8

/* What one worker thread owns: a dissector set up like the others, the display filter
 * compiled for it (a filter keeps scratch state), and an output that formats text. */
typedef struct {
    PeelDissector *dis;
    PeelDfilter *filter; /* or NULL */
    PeelOutput *out;
} PeelParallelWorker;

typedef struct {
    PeelSource *src;
    int64_t count;        /* -c, 0 for all */
    guint64 *n_frames;    /* frames read, updated */
    PeelFrameClock *clock;
    void (*frame_info)(PeelFrameInfo *info, const PeelFrame *fr, PeelSource *src);
} PeelParallelInput;

/* Dissects the whole input with n_workers threads, each owning the frames of its IP-address
 * pairs (dissectors/shard.h), and writes every shown frame's text to `out` in frame order:
 * byte for byte what one dissector would print, for outputs that show nothing numbered
 * across the capture (stream indexes are numbered per worker). Returns 0, or 1 when the
 * source failed (error set; everything read before the failure is written). */
int peel_parallel_run(PeelParallelWorker *workers, uint32_t n_workers,
        const PeelParallelInput *in, FILE *out, bool *output_gone, GError **error);
