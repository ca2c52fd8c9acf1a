/* export.h: what the `--export-objects KIND,DIR` reports share: the KIND,DIR argument,
 * DIR made (with its parents) before the first file, files created inside DIR only and
 * never over an existing file (NAME taken: NAME(1), NAME(2)...), the bytes written, at
 * most PEEL_EXPORT_MAX_FILES files, and the end-of-run message. Each report keeps its own
 * file naming (tshark's) and calls these.
 *
 * Errors: the first one (DIR or a file that cannot be made or written) stops the export;
 * peel_export_finish says "peel: PATH: REASON" and fails with its errno. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PEEL_EXPORT_MAX_FILES 100000u

typedef struct PeelExport PeelExport;

/* How a taken name is numbered: "index.html(1)" (tshark's HTTP export) or
 * "index(1).html". */
typedef enum {
    PEEL_EXPORT_NUMBER_AFTER,
    PEEL_EXPORT_NUMBER_BEFORE_EXT,
} PeelExportNumbering;

/* Parses `arg` ("KIND,DIR"; `kind` is the report's name, for messages). NULL with
 * `error` set (PEEL_STATS_ERROR_ARG) when DIR is missing. */
PeelExport *peel_export_open(const char *kind, const char *arg, PeelExportNumbering numbering,
        GError **error);
/* Writes `len` bytes to DIR/NAME, numbered when NAME is taken. NAME must be one path
 * component ("", ".", ".." or one with '/' is refused with EINVAL). Returns the path
 * written (valid until the next call), or NULL when nothing was written: after an error,
 * or past PEEL_EXPORT_MAX_FILES (then the object is counted as skipped). */
const char *peel_export_write(PeelExport *e, const char *name, const void *bytes, size_t len);
/* The files written (or tried) so far. */
uint32_t peel_export_count(const PeelExport *e);
/* Makes DIR now (peel_export_write makes it before the first file); false after an
 * error. */
bool peel_export_make_dir(PeelExport *e);
/* The end of the run: says how many `objects` ("objects", "messages") were over the cap
 * and the first error. Returns false with errno set when there was an error. */
bool peel_export_finish(PeelExport *e, const char *objects);
void peel_export_close(PeelExport *e);
