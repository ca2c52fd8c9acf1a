/* writer.h: frames out: writing pcap files (microsecond, as tcpdump -w) through libpcap. */
#pragma once

#include "source.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef struct PeelWriter PeelWriter;

/* Creates (or truncates) path, "-" meaning stdout, and writes a pcap file header for
 * LINKTYPE_* `linktype` and `snaplen` (0: 262144). Returns NULL with
 * PEEL_CAPTURE_ERROR_WRITE (the message starts with the path) when it cannot. */
PeelWriter *peel_writer_open(const char *path, int linktype, uint32_t snaplen, GError **error);

/* Appends one frame: its timestamp (rounded down to microseconds), lengths and data, cut
 * to the file's snaplen. A frame of another link type than the file's, or a failed write,
 * is PEEL_CAPTURE_ERROR_WRITE. */
bool peel_writer_write(PeelWriter *writer, const PeelFrame *frame, GError **error);

/* Flushes and closes the file and frees the writer (also when it returns FALSE, with
 * PEEL_CAPTURE_ERROR_WRITE, because buffered data could not be written). */
bool peel_writer_close(PeelWriter *writer, GError **error);

/* Frames written so far. */
uint64_t peel_writer_count(const PeelWriter *writer);

G_END_DECLS
