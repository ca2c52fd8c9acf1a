/* peel-frame-model.c: PeelFrameModel, a GListModel over an array of visible frame
 * numbers, and PeelFrameRow, its items. */
#include "peel-frame-model.h"

struct _PeelFrameRow {
    GObject parent_instance;
    PeelFrameStore *store;
    guint32 number;
    PeelFrameSummary *summary; /* NULL until asked for */
};

G_DEFINE_FINAL_TYPE(PeelFrameRow, peel_frame_row, G_TYPE_OBJECT)

static void
peel_frame_row_finalize(GObject *object)
{
    PeelFrameRow *self = PEEL_FRAME_ROW(object);
    peel_frame_summary_free(self->summary);
    peel_frame_store_unref(self->store);
    G_OBJECT_CLASS(peel_frame_row_parent_class)->finalize(object);
}

static void
peel_frame_row_class_init(PeelFrameRowClass *klass)
{
    G_OBJECT_CLASS(klass)->finalize = peel_frame_row_finalize;
}

static void
peel_frame_row_init(PeelFrameRow *self)
{
}

static PeelFrameRow *
peel_frame_row_new(PeelFrameStore *store, guint32 number)
{
    PeelFrameRow *row = g_object_new(PEEL_TYPE_FRAME_ROW, NULL);
    row->store = peel_frame_store_ref(store);
    row->number = number;
    return row;
}

guint32
peel_frame_row_get_number(PeelFrameRow *row)
{
    g_return_val_if_fail(PEEL_IS_FRAME_ROW(row), 0);
    return row->number;
}

PeelFrameStore *
peel_frame_row_get_store(PeelFrameRow *row)
{
    g_return_val_if_fail(PEEL_IS_FRAME_ROW(row), NULL);
    return row->store;
}

const PeelFrameSummary *
peel_frame_row_get_summary(PeelFrameRow *row)
{
    g_return_val_if_fail(PEEL_IS_FRAME_ROW(row), NULL);
    /* Seven cells bind to the same row: one dissection serves them all. */
    if (row->summary == NULL)
        row->summary = peel_frame_store_summarize(row->store, row->number);
    return row->summary;
}

struct _PeelFrameModel {
    GObject parent_instance;
    PeelFrameStore *store;
    GArray *visible; /* guint32 frame numbers */
};

static GType
frame_model_get_item_type(GListModel *model)
{
    return PEEL_TYPE_FRAME_ROW;
}

static guint
frame_model_get_n_items(GListModel *model)
{
    return PEEL_FRAME_MODEL(model)->visible->len;
}

static gpointer
frame_model_get_item(GListModel *model, guint position)
{
    PeelFrameModel *self = PEEL_FRAME_MODEL(model);
    if (position >= self->visible->len)
        return NULL;
    return peel_frame_row_new(self->store, g_array_index(self->visible, guint32, position));
}

static void
frame_model_list_model_init(GListModelInterface *iface)
{
    iface->get_item_type = frame_model_get_item_type;
    iface->get_n_items = frame_model_get_n_items;
    iface->get_item = frame_model_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE(PeelFrameModel, peel_frame_model, G_TYPE_OBJECT,
        G_IMPLEMENT_INTERFACE(G_TYPE_LIST_MODEL, frame_model_list_model_init))

static void
peel_frame_model_finalize(GObject *object)
{
    PeelFrameModel *self = PEEL_FRAME_MODEL(object);
    g_array_unref(self->visible);
    peel_frame_store_unref(self->store);
    G_OBJECT_CLASS(peel_frame_model_parent_class)->finalize(object);
}

static void
peel_frame_model_class_init(PeelFrameModelClass *klass)
{
    G_OBJECT_CLASS(klass)->finalize = peel_frame_model_finalize;
}

static void
peel_frame_model_init(PeelFrameModel *self)
{
    self->visible = g_array_new(FALSE, FALSE, sizeof(guint32));
}

PeelFrameModel *
peel_frame_model_new(PeelFrameStore *store)
{
    g_return_val_if_fail(store != NULL, NULL);
    PeelFrameModel *self = g_object_new(PEEL_TYPE_FRAME_MODEL, NULL);
    self->store = peel_frame_store_ref(store);
    return self;
}

PeelFrameStore *
peel_frame_model_get_store(PeelFrameModel *self)
{
    g_return_val_if_fail(PEEL_IS_FRAME_MODEL(self), NULL);
    return self->store;
}

void
peel_frame_model_append_range(PeelFrameModel *self, guint32 first, guint32 last)
{
    g_return_if_fail(PEEL_IS_FRAME_MODEL(self));
    g_return_if_fail(first > 0 && first <= last);
    g_return_if_fail(last <= peel_frame_store_get_n_frames(self->store));
    guint position = self->visible->len;
    guint n = last - first + 1;
    g_array_set_size(self->visible, position + n);
    guint32 *numbers = &g_array_index(self->visible, guint32, position);
    for (guint i = 0; i < n; i++)
        numbers[i] = first + i;
    g_list_model_items_changed(G_LIST_MODEL(self), position, 0, n);
}

guint32
peel_frame_model_get_number(PeelFrameModel *self, guint position)
{
    g_return_val_if_fail(PEEL_IS_FRAME_MODEL(self), 0);
    if (position >= self->visible->len)
        return 0;
    return g_array_index(self->visible, guint32, position);
}
