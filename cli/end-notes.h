/* end-notes.h: what the dissectors say about connections still open when the capture
 * ends (peel_dissector_finish): counted by -z expert, shown on stderr unless -q. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

#include "dissector.h"
#include "report.h"

/* At most this many lines go to stderr; -z expert counts every note. */
#define PEEL_END_NOTES_LINES 100

typedef struct PeelEndNotes PeelEndNotes;

/* Collects end-of-capture notes for `stats` (may be NULL) and, when `lines`, for lines
 * on stderr. */
PeelEndNotes *peel_end_notes_new(PeelStats *stats, bool lines);
void peel_end_notes_free(PeelEndNotes *en);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PeelEndNotes, peel_end_notes_free)

/* Ends the capture for `dis` (peel_dissector_finish) and keeps its notes. With several
 * dissectors (one per thread) call it for each: lines are kept in frame order, so the
 * result does not depend on which dissector owned which connection. */
void peel_end_notes_finish(PeelEndNotes *en, PeelDissector *dis);

/* Writes the kept lines, "peel: NAME: frame F: NOTE", the lowest frames first, and a last
 * line for those past PEEL_END_NOTES_LINES. */
void peel_end_notes_print(const PeelEndNotes *en, FILE *err, const char *name);
