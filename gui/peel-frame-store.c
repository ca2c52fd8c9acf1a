/* peel-frame-store.c: the GUI's open capture file: the frame index and re-reading
 * published frames by offset, as `peel --frame` does (cli/main.c, run_selected). */
#include "peel-frame-store.h"

#include <string.h>

#include "dissector.h"
#include "format.h"
#include "source.h"

struct PeelFrameStore {
    char *path;
    /* The worker reads the file sequentially while the main thread re-reads frames by
     * offset, and a pcapng source needs the sections its sequential reading found, so
     * both share one source. The lock is held only while reading and copying bytes,
     * never while dissecting. */
    GMutex source_lock;
    PeelSource *src;
    PeelFrameIndex *index; /* one appender (the worker); readers below n_published */

    /* Main thread only. */
    uint32_t n_published;
    PeelDissector *dis;
    PeelFrameBuf buf;
    PeelFrameInfo info;
    GByteArray *fetched; /* another frame's bytes, read again to rebuild a reassembled PDU */
};

void
peel_frame_buf_init(PeelFrameBuf *buf)
{
    buf->data = g_byte_array_sized_new(2048);
    buf->iface_name = g_string_new(NULL);
    buf->comment = g_string_new(NULL);
}

void
peel_frame_buf_clear(PeelFrameBuf *buf)
{
    g_clear_pointer(&buf->data, g_byte_array_unref);
    if (buf->iface_name != NULL)
        g_string_free(g_steal_pointer(&buf->iface_name), TRUE);
    if (buf->comment != NULL)
        g_string_free(g_steal_pointer(&buf->comment), TRUE);
}

void
peel_frame_summary_free(PeelFrameSummary *summary)
{
    if (summary == NULL)
        return;
    g_free(summary->protocol);
    g_free(summary->source);
    g_free(summary->destination);
    g_free(summary->info);
    g_free(summary);
}

PeelFrameStore *
peel_frame_store_open(const char *path, GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);
    PeelSource *src = peel_source_open_file(path, error);
    if (src == NULL)
        return NULL;
    PeelFrameStore *store = g_atomic_rc_box_new0(PeelFrameStore);
    store->path = g_strdup(path);
    g_mutex_init(&store->source_lock);
    store->src = src;
    store->index = peel_frame_index_new();
    peel_frame_buf_init(&store->buf);
    store->fetched = g_byte_array_new();
    return store;
}

PeelFrameStore *
peel_frame_store_ref(PeelFrameStore *store)
{
    return g_atomic_rc_box_acquire(store);
}

static void
frame_store_clear(PeelFrameStore *store)
{
    peel_dissector_free(store->dis);
    peel_frame_buf_clear(&store->buf);
    g_byte_array_unref(store->fetched);
    peel_frame_index_free(store->index);
    peel_source_close(store->src);
    g_mutex_clear(&store->source_lock);
    g_free(store->path);
}

void
peel_frame_store_unref(PeelFrameStore *store)
{
    g_atomic_rc_box_release_full(store, (GDestroyNotify)frame_store_clear);
}

const char *
peel_frame_store_get_path(const PeelFrameStore *store)
{
    return store->path;
}

/* Copies what the source lent (bytes, interface name, comment) into buf; called with the
 * source lock held. As frame_info_from() in cli/main.c. */
static void
frame_copy(PeelFrameBuf *buf, PeelFrameInfo *info, const PeelFrame *fr, PeelSource *src)
{
    g_byte_array_set_size(buf->data, fr->cap_len);
    if (fr->cap_len > 0)
        memcpy(buf->data->data, fr->data, fr->cap_len);
    memset(info, 0, sizeof *info);
    info->number = fr->number;
    info->ts = (PeelTime){ fr->ts_sec, (int32_t)fr->ts_nsec };
    info->cap_len = fr->cap_len;
    info->len = fr->orig_len;
    info->linktype = fr->linktype;
    info->iface = fr->iface;
    const PeelInterface *ifc = peel_source_interface(src, fr->iface);
    if (ifc != NULL && ifc->name != NULL) {
        g_string_assign(buf->iface_name, ifc->name);
        info->iface_name = buf->iface_name->str;
    }
    if (fr->comment != NULL) {
        g_string_assign(buf->comment, fr->comment);
        info->comment = buf->comment->str;
    }
    info->data = buf->data->data;
}

int
peel_frame_store_read_next(
        PeelFrameStore *store, PeelFrameBuf *buf, PeelFrameInfo *info, GError **error)
{
    PeelFrame fr;
    g_mutex_lock(&store->source_lock);
    int rc = peel_source_next(store->src, &fr, error);
    if (rc > 0) {
        if (peel_frame_index_append_frame(store->index, &fr)) {
            frame_copy(buf, info, &fr, store->src);
        } else {
            g_set_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_READ,
                    "frame %u: more frames than peel can number", fr.number);
            rc = -1;
        }
    }
    g_mutex_unlock(&store->source_lock);
    return rc;
}

uint32_t
peel_frame_store_get_n_indexed(const PeelFrameStore *store)
{
    return peel_frame_index_len(store->index);
}

void
peel_frame_store_publish(PeelFrameStore *store, uint32_t n_frames)
{
    g_return_if_fail(n_frames >= store->n_published);
    store->n_published = n_frames;
}

uint32_t
peel_frame_store_get_n_frames(const PeelFrameStore *store)
{
    return store->n_published;
}

const PeelFrameIndexEntry *
peel_frame_store_get_entry(const PeelFrameStore *store, uint32_t number)
{
    if (number == 0 || number > store->n_published)
        return NULL;
    return peel_frame_index_get(store->index, number);
}

static PeelTime
entry_time(const PeelFrameIndexEntry *e)
{
    return (PeelTime){ e->ts_sec, (int32_t)e->ts_nsec };
}

PeelTime
peel_frame_store_get_rel_time(const PeelFrameStore *store, uint32_t number)
{
    const PeelFrameIndexEntry *e = peel_frame_store_get_entry(store, number);
    if (e == NULL)
        return (PeelTime){ 0, 0 };
    return peel_time_sub(entry_time(e), entry_time(peel_frame_store_get_entry(store, 1)));
}

/* The dissector asks for other frames' bytes when it rebuilds reassembled data (a PDU
 * over several TCP segments): they are copied under the lock, valid until the next ask. */
static bool
store_fetch(void *user, uint32_t number, const uint8_t **data, uint32_t *len)
{
    PeelFrameStore *store = user;
    const PeelFrameIndexEntry *e = peel_frame_store_get_entry(store, number);
    if (e == NULL)
        return false;
    PeelFrame fr;
    g_mutex_lock(&store->source_lock);
    bool ok = peel_source_read_at(store->src, e->offset, number, &fr, NULL);
    if (ok) {
        g_byte_array_set_size(store->fetched, fr.cap_len);
        if (fr.cap_len > 0)
            memcpy(store->fetched->data, fr.data, fr.cap_len);
    }
    g_mutex_unlock(&store->source_lock);
    if (!ok)
        return false;
    *data = store->fetched->data;
    *len = store->fetched->len;
    return true;
}

const PeelPacket *
peel_frame_store_dissect(PeelFrameStore *store, uint32_t number, bool want_tree, GError **error)
{
    const PeelFrameIndexEntry *e = peel_frame_store_get_entry(store, number);
    if (e == NULL) {
        g_set_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_READ,
                "frame %u: not in the capture", number);
        return NULL;
    }
    PeelFrame fr;
    g_mutex_lock(&store->source_lock);
    bool ok = peel_source_read_at(store->src, e->offset, number, &fr, error);
    if (ok)
        frame_copy(&store->buf, &store->info, &fr, store->src);
    g_mutex_unlock(&store->source_lock);
    if (!ok) {
        g_prefix_error(error, "frame %u: ", number);
        return NULL;
    }

    const PeelFrameIndexEntry *prev =
            number > 1 ? peel_frame_store_get_entry(store, number - 1) : e;
    store->info.rel = peel_frame_store_get_rel_time(store, number);
    store->info.delta = peel_time_sub(store->info.ts, entry_time(prev));
    if (store->dis == NULL) {
        store->dis = peel_dissector_new();
        peel_dissector_set_frame_fetch(store->dis, store_fetch, store);
    }
    peel_dissector_set_want_tree(store->dis, want_tree);
    return peel_dissector_run(store->dis, &store->info);
}

void
peel_frame_store_adopt_dissector(PeelFrameStore *store, PeelDissector *dis)
{
    g_return_if_fail(dis != NULL);
    peel_dissector_free(store->dis);
    store->dis = dis;
    peel_dissector_set_frame_fetch(store->dis, store_fetch, store);
}

PeelFrameSummary *
peel_frame_store_summarize(PeelFrameStore *store, uint32_t number)
{
    PeelFrameSummary *s = g_new0(PeelFrameSummary, 1);
    g_autoptr(GError) error = NULL;
    const PeelPacket *pkt = peel_frame_store_dissect(store, number, false, &error);
    if (pkt == NULL) {
        s->protocol = g_strdup("");
        s->source = g_strdup("");
        s->destination = g_strdup("");
        s->info = g_strdup_printf("[%s]", error->message);
        return s;
    }
    s->protocol = g_strdup(pkt->col_protocol != NULL ? pkt->col_protocol : "");
    GString *addr = g_string_new(NULL);
    if (pkt->col_src != NULL)
        peel_format_addr(addr, pkt->col_src);
    s->source = g_strdup(addr->str);
    g_string_truncate(addr, 0);
    if (pkt->col_dst != NULL)
        peel_format_addr(addr, pkt->col_dst);
    s->destination = g_string_free(addr, FALSE);
    s->info = g_strndup(pkt->info, pkt->info_len);
    return s;
}
