/* output.h: printing packet results: summary lines, detail tree, hex, fields, JSON. */
#pragma once

#include <glib.h>
#include <stdio.h>

#include "dissect.h"

typedef enum {
    PEEL_OUT_SUMMARY,
    PEEL_OUT_TREE,   /* -V */
    PEEL_OUT_FIELDS, /* -T fields */
    PEEL_OUT_JSON,   /* -T json */
    PEEL_OUT_JSONRAW, /* -T jsonraw: json with each field's bytes, offset, length, mask, type */
    PEEL_OUT_EK,     /* -T ek (output-ek.c) */
    PEEL_OUT_NONE,   /* -q, or -x alone */
} PeelOutMode;

typedef struct {
    PeelOutMode mode;
    bool hex;              /* -x */
    int time_digits;       /* 6 or 9 decimals in the summary's time column */
    /* -T fields */
    GPtrArray *fields;     /* names (char *) */
    int *field_ids;        /* resolved ids; -1 for pseudo-fields (_ws.col.*) */
    bool header;           /* -E header=y */
    char separator;        /* -E separator */
    char quote;            /* -E quote: 0, '"' or '\'' */
    char occurrence;       /* -E occurrence: 'a', 'f' or 'l' */
    char aggregator;       /* -E aggregator */
    /* -T json, jsonraw and ek */
    char **protocols;      /* -j/-J: names whose contents are written, or NULL for all */
    bool protocol_children; /* -J: everything under a listed name */
    /* summary lines */
    bool color;            /* --color: colouring rules as ANSI escapes (color.c) */
} PeelOutOptions;

typedef struct PeelOutput PeelOutput;

/* Prepares printing to `out`. Fails (error set, exit status 2) when a -e field is unknown.
 */
PeelOutput *peel_output_new(FILE *out, const PeelOutOptions *opt, GError **error);
/* Prints one packet. Returns false when the output is gone (closed pipe). */
bool peel_output_packet(PeelOutput *o, const PeelPacket *pkt);
/* Keeps everything formatted in memory (never written to the FILE): the parallel runner
 * takes the text of each frame from the buffer. peel_output_swap_buffer() hands the text
 * over and puts `fresh` (emptied) in its place. */
void peel_output_hold(PeelOutput *o);
GString *peel_output_swap_buffer(PeelOutput *o, GString *fresh);
/* Bytes formatted so far and not yet written. */
size_t peel_output_pending(const PeelOutput *o);
/* Closes the JSON array etc. */
bool peel_output_finish(PeelOutput *o);
void peel_output_free(PeelOutput *o);

/* -G fields / -G protocols */
void peel_output_glossary(FILE *out, const char *what);

/* The summary line for a packet (also the GUI's columns): number, time, source,
 * destination, protocol, length, info, laid out as tshark lays them out. */
void peel_format_summary(GString *line, const PeelPacket *pkt, int time_digits);
