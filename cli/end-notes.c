/* end-notes.c: the notes of the capture's end (dissectors' capture_end hooks), for -z
 * expert and stderr. tshark prints per-packet notes only where each packet is shown; these
 * come after the packets they concern were printed, so a short summary goes to stderr
 * (beside diagnostics such as a file cut short), bounded and in frame order. */
#include "end-notes.h"

#include <inttypes.h>

typedef struct {
    uint32_t frame;
    char *text;
} EndLine;

struct PeelEndNotes {
    PeelStats *stats;
    GArray *lines; /* EndLine, by frame (ties in the order they came), at most
                      PEEL_END_NOTES_LINES; NULL when lines are not wanted */
    uint64_t total;
};

static void
end_line_clear(gpointer p)
{
    g_free(((EndLine *)p)->text);
}

PeelEndNotes *
peel_end_notes_new(PeelStats *stats, bool lines)
{
    PeelEndNotes *en = g_new0(PeelEndNotes, 1);
    en->stats = stats;
    if (lines) {
        en->lines = g_array_new(FALSE, FALSE, sizeof(EndLine));
        g_array_set_clear_func(en->lines, end_line_clear);
    }
    return en;
}

void
peel_end_notes_free(PeelEndNotes *en)
{
    if (en == NULL)
        return;
    if (en->lines != NULL)
        g_array_unref(en->lines);
    g_free(en);
}

static void
keep_line(PeelEndNotes *en, uint32_t frame, const char *text)
{
    en->total++;
    GArray *l = en->lines;
    guint at = l->len;
    while (at > 0 && g_array_index(l, EndLine, at - 1).frame > frame)
        at--;
    if (at >= PEEL_END_NOTES_LINES)
        return;
    EndLine line = { frame, g_strdup(text) };
    g_array_insert_val(l, at, line);
    if (l->len > PEEL_END_NOTES_LINES)
        g_array_remove_index(l, l->len - 1);
}

static void
on_note(void *user, const PeelPacket *pkt)
{
    PeelEndNotes *en = user;
    if (en->stats != NULL)
        peel_stats_capture_end(en->stats, pkt);
    if (en->lines == NULL)
        return;
    for (uint32_t e = 0; e < pkt->n_experts; e++)
        keep_line(en, pkt->frame->number, pkt->experts[e].msg);
}

void
peel_end_notes_finish(PeelEndNotes *en, PeelDissector *dis)
{
    peel_dissector_finish(dis, on_note, en);
}

void
peel_end_notes_print(const PeelEndNotes *en, FILE *err, const char *name)
{
    if (en->lines == NULL)
        return;
    for (guint i = 0; i < en->lines->len; i++) {
        const EndLine *l = &g_array_index(en->lines, EndLine, i);
        fprintf(err, "peel: %s: frame %u: %s\n", name, l->frame, l->text);
    }
    if (en->total > en->lines->len)
        fprintf(err,
                "peel: %s: %" PRIu64 " more notes on connections open at the end of the "
                "capture (-z expert counts them)\n",
                name, en->total - en->lines->len);
}
