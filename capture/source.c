/* source.c: the PeelSource object and the calls shared by file and live sources. */
#include "source.h"

#include "source-private.h"

G_DEFINE_QUARK(peel - capture - error - quark, peel_capture_error)

static void
source_iface_free(gpointer data)
{
    PeelSourceIface *iface = data;
    g_free(iface->name);
    g_free(iface->description);
    g_free(iface);
}

PeelSource *
peel_source_new(PeelSourceKind kind, const char *path)
{
    PeelSource *src = g_new0(PeelSource, 1);
    src->kind = kind;
    src->path = g_strdup(path);
    src->ifaces = g_ptr_array_new_with_free_func(source_iface_free);
    return src;
}

PeelSourceIface *
peel_source_add_iface(PeelSource *src, int linktype, uint32_t snaplen)
{
    PeelSourceIface *iface = g_new0(PeelSourceIface, 1);
    iface->pub.linktype = linktype;
    iface->pub.snaplen = snaplen;
    iface->ts_exp = 6;
    iface->pub.ts_digits = 6;
    g_ptr_array_add(src->ifaces, iface);
    return iface;
}

int
peel_source_next(PeelSource *src, PeelFrame *frame, GError **error)
{
    g_return_val_if_fail(src != NULL && frame != NULL, -1);
    if (src->kind == PEEL_FILE_LIVE)
        return peel_source_live_next(src, frame, error);
    return peel_source_file_next(src, frame, error);
}

bool
peel_source_read_at(
        PeelSource *src, uint64_t offset, uint32_t number, PeelFrame *frame, GError **error)
{
    g_return_val_if_fail(src != NULL && frame != NULL, false);
    if (src->kind == PEEL_FILE_LIVE) {
        g_set_error(error, PEEL_CAPTURE_ERROR, PEEL_CAPTURE_ERROR_READ,
                "%s: a live capture has no random access", src->path);
        return false;
    }
    return peel_source_file_read_at(src, offset, number, frame, error);
}

PeelSourceKind
peel_source_kind(const PeelSource *src)
{
    return src->kind;
}

const char *
peel_source_path(const PeelSource *src)
{
    return src->path;
}

guint
peel_source_n_interfaces(const PeelSource *src)
{
    return src->ifaces->len;
}

const PeelInterface *
peel_source_interface(const PeelSource *src, guint i)
{
    if (i >= src->ifaces->len)
        return NULL;
    const PeelSourceIface *iface = g_ptr_array_index(src->ifaces, i);
    return &iface->pub;
}

bool
peel_source_interface_section(const PeelSource *src, guint i, guint *section, guint *local_id)
{
    if (i >= src->ifaces->len)
        return false;
    const PeelSourceIface *iface = g_ptr_array_index(src->ifaces, i);
    if (section != NULL)
        *section = iface->section;
    if (local_id != NULL)
        *local_id = iface->local_id;
    return true;
}

void
peel_source_break(PeelSource *src)
{
    if (src->kind == PEEL_FILE_LIVE) {
        src->broken = 1;
        peel_source_live_break(src);
    }
}

bool
peel_source_stats(PeelSource *src, uint64_t *received, uint64_t *dropped)
{
    if (src->kind != PEEL_FILE_LIVE)
        return false;
    return peel_source_live_stats(src, received, dropped);
}

void
peel_source_close(PeelSource *src)
{
    if (src == NULL)
        return;
    if (src->file != NULL)
        peel_source_file_free(src->file);
    if (src->live != NULL)
        peel_source_live_free(src->live);
    g_ptr_array_unref(src->ifaces);
    g_free(src->path);
    g_free(src);
}
