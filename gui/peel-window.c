/* peel-window.c: PeelWindow: the packet list (a GtkColumnView over PeelFrameModel), the
 * detail tree of the selected frame and its bytes in hex (STYLE.md, section 7). */
#include "peel-window.h"

#include "format.h"
#include "peel-frame-model.h"
#include "peel-loader.h"

/* ---- detail tree nodes ---- */

/* One line of the detail tree and the lines under it, built when a frame is selected. */
#define PEEL_TYPE_DETAIL_NODE (peel_detail_node_get_type())
G_DECLARE_FINAL_TYPE(PeelDetailNode, peel_detail_node, PEEL, DETAIL_NODE, GObject)

struct _PeelDetailNode {
    GObject parent_instance;
    char *text;
    GListStore *children; /* NULL for a leaf */
};

G_DEFINE_FINAL_TYPE(PeelDetailNode, peel_detail_node, G_TYPE_OBJECT)

static void
peel_detail_node_finalize(GObject *object)
{
    PeelDetailNode *self = PEEL_DETAIL_NODE(object);
    g_free(self->text);
    g_clear_object(&self->children);
    G_OBJECT_CLASS(peel_detail_node_parent_class)->finalize(object);
}

static void
peel_detail_node_class_init(PeelDetailNodeClass *klass)
{
    G_OBJECT_CLASS(klass)->finalize = peel_detail_node_finalize;
}

static void
peel_detail_node_init(PeelDetailNode *self)
{
}

/* Appends a node with text (taken) under parent, or to root when parent is NULL. */
static PeelDetailNode *
detail_node_add(GListStore *root, PeelDetailNode *parent, char *text)
{
    PeelDetailNode *node = g_object_new(PEEL_TYPE_DETAIL_NODE, NULL);
    node->text = text;
    if (parent != NULL) {
        if (parent->children == NULL)
            parent->children = g_list_store_new(PEEL_TYPE_DETAIL_NODE);
        root = parent->children;
    }
    g_list_store_append(root, node);
    g_object_unref(node); /* the store holds it */
    return node;
}

static GListModel *
detail_node_children(gpointer item, gpointer user_data)
{
    PeelDetailNode *node = item;
    return node->children != NULL ? g_object_ref(G_LIST_MODEL(node->children)) : NULL;
}

static char *
expert_line(const PeelExpert *ex)
{
    static const char *const sev[] = { "Comment", "Chat", "Note", "Warning", "Error" };
    static const char *const grp[] = { "Malformed", "Checksum", "Sequence", "Protocol", "Undecoded",
        "Reassemble", "Comment" };
    if (ex->field < 0)
        return g_strdup_printf("[Expert Info: %s]", ex->msg);
    return g_strdup_printf("[Expert Info (%s/%s): %s]",
            ex->severity < G_N_ELEMENTS(sev) ? sev[ex->severity] : "?",
            ex->group < G_N_ELEMENTS(grp) ? grp[ex->group] : "?", ex->msg);
}

/* The packet's field list as a tree, in the order and with the lines of `peel -V`. */
static GListStore *
detail_build(const PeelPacket *pkt)
{
    GListStore *root = g_list_store_new(PEEL_TYPE_DETAIL_NODE);
    /* under[i]: the node that field i's children go under (a hidden field passes its
     * children up to its nearest shown ancestor; NULL is the top). */
    g_autofree PeelDetailNode **under = g_new0(PeelDetailNode *, pkt->n_fields);
    GString *line = g_string_new(NULL);
    for (uint32_t i = 0; i < pkt->n_fields; i++) {
        const PeelField *fl = &pkt->fields[i];
        PeelDetailNode *parent =
                fl->parent >= 0 && (uint32_t)fl->parent < i ? under[fl->parent] : NULL;
        if (fl->flags & PEEL_FF_HIDDEN) {
            under[i] = parent;
            continue;
        }
        g_string_truncate(line, 0);
        peel_format_tree_line(line, pkt, fl);
        under[i] = detail_node_add(root, parent, g_strdup(line->str));
        for (uint32_t e = 0; e < pkt->n_experts; e++)
            if (pkt->experts[e].field == (int32_t)i)
                detail_node_add(root, under[i], expert_line(&pkt->experts[e]));
    }
    for (uint32_t e = 0; e < pkt->n_experts; e++)
        if (pkt->experts[e].field < 0)
            detail_node_add(root, NULL, expert_line(&pkt->experts[e]));
    g_string_free(line, TRUE);
    return root;
}

/* ---- hex pane ---- */

/* 16 bytes a line: offset, hex in two groups of eight, ASCII, as `peel -x`. */
static void
hex_append(GString *out, const uint8_t *data, uint32_t len)
{
    for (uint32_t off = 0; off < len; off += 16) {
        uint32_t n = MIN(len - off, 16);
        g_string_append_printf(out, "%04x  ", off);
        for (uint32_t i = 0; i < 16; i++) {
            if (i < n)
                g_string_append_printf(out, "%02x ", data[off + i]);
            else
                g_string_append(out, "   ");
            if (i == 7)
                g_string_append_c(out, ' ');
        }
        g_string_append_c(out, ' ');
        for (uint32_t i = 0; i < n; i++) {
            uint8_t b = data[off + i];
            g_string_append_c(out, b >= 0x20 && b < 0x7f ? (char)b : '.');
        }
        g_string_append_c(out, '\n');
    }
}

static char *
hex_dump(const PeelPacket *pkt)
{
    GString *out = g_string_new(NULL);
    for (uint8_t s = 0; s < pkt->n_sources; s++) {
        if (s > 0)
            g_string_append_printf(
                    out, "\n%s (%u bytes):\n", pkt->sources[s].name, pkt->sources[s].len);
        hex_append(out, pkt->sources[s].data, pkt->sources[s].len);
    }
    return g_string_free(out, FALSE);
}

/* ---- the window ---- */

struct _PeelWindow {
    GtkApplicationWindow parent_instance;

    GtkColumnView *packet_list;
    GtkSingleSelection *packet_selection;
    GtkListView *detail_view;
    GtkSingleSelection *detail_selection;
    GtkTextView *hex_view;
    GtkLabel *status_label;

    PeelFrameModel *model; /* NULL until a file is open */
    char *name;            /* the file's display name */
    GCancellable *loading; /* the current load, NULL when none is running */
    char *load_error;      /* why reading stopped early, or NULL */
};

G_DEFINE_FINAL_TYPE(PeelWindow, peel_window, GTK_TYPE_APPLICATION_WINDOW)

typedef enum {
    COL_NUMBER,
    COL_TIME,
    COL_SOURCE,
    COL_DESTINATION,
    COL_PROTOCOL,
    COL_LENGTH,
    COL_INFO,
    N_COLUMNS
} PacketColumn;

static const struct {
    const char *title;
    int chars; /* natural width in characters */
    float xalign;
} packet_columns[N_COLUMNS] = {
    [COL_NUMBER] = { "No.", 8, 1.0f },
    [COL_TIME] = { "Time", 14, 1.0f },
    [COL_SOURCE] = { "Source", 18, 0.0f },
    [COL_DESTINATION] = { "Destination", 18, 0.0f },
    [COL_PROTOCOL] = { "Protocol", 8, 0.0f },
    [COL_LENGTH] = { "Length", 6, 1.0f },
    [COL_INFO] = { "Info", 60, 0.0f },
};

static void
packet_cell_setup(GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
    PacketColumn col = GPOINTER_TO_INT(data);
    GtkWidget *cell = gtk_inscription_new(NULL);
    gtk_inscription_set_nat_chars(GTK_INSCRIPTION(cell), (guint)packet_columns[col].chars);
    gtk_inscription_set_xalign(GTK_INSCRIPTION(cell), packet_columns[col].xalign);
    gtk_inscription_set_text_overflow(
            GTK_INSCRIPTION(cell), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
    gtk_list_item_set_child(item, cell);
}

/* Cells read the index (No., Time, Length) or the row's summary, which dissects the
 * frame once for all its cells. */
static void
packet_cell_bind(GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
    PacketColumn col = GPOINTER_TO_INT(data);
    PeelFrameRow *row = gtk_list_item_get_item(item);
    GtkInscription *cell = GTK_INSCRIPTION(gtk_list_item_get_child(item));
    guint32 number = peel_frame_row_get_number(row);
    PeelFrameStore *store = peel_frame_row_get_store(row);
    char buf[48];
    switch (col) {
    case COL_NUMBER:
        g_snprintf(buf, sizeof buf, "%u", number);
        gtk_inscription_set_text(cell, buf);
        break;
    case COL_TIME: {
        PeelTime rel = peel_frame_store_get_rel_time(store, number);
        g_snprintf(buf, sizeof buf, "%" G_GINT64_FORMAT ".%06d", rel.sec, rel.nsec / 1000);
        gtk_inscription_set_text(cell, buf);
        break;
    }
    case COL_LENGTH: {
        const PeelFrameIndexEntry *e = peel_frame_store_get_entry(store, number);
        g_snprintf(buf, sizeof buf, "%u", e != NULL ? e->orig_len : 0);
        gtk_inscription_set_text(cell, buf);
        break;
    }
    case COL_SOURCE:
        gtk_inscription_set_text(cell, peel_frame_row_get_summary(row)->source);
        break;
    case COL_DESTINATION:
        gtk_inscription_set_text(cell, peel_frame_row_get_summary(row)->destination);
        break;
    case COL_PROTOCOL:
        gtk_inscription_set_text(cell, peel_frame_row_get_summary(row)->protocol);
        break;
    case COL_INFO:
        gtk_inscription_set_text(cell, peel_frame_row_get_summary(row)->info);
        break;
    case N_COLUMNS:
        g_assert_not_reached();
    }
}

static void
packet_list_add_columns(GtkColumnView *view)
{
    for (int col = 0; col < N_COLUMNS; col++) {
        GtkListItemFactory *factory = gtk_signal_list_item_factory_new();
        g_signal_connect(factory, "setup", G_CALLBACK(packet_cell_setup), GINT_TO_POINTER(col));
        g_signal_connect(factory, "bind", G_CALLBACK(packet_cell_bind), GINT_TO_POINTER(col));
        GtkColumnViewColumn *column =
                gtk_column_view_column_new(packet_columns[col].title, factory);
        gtk_column_view_column_set_resizable(column, TRUE);
        gtk_column_view_column_set_expand(column, col == COL_INFO);
        gtk_column_view_append_column(view, column);
        g_object_unref(column);
    }
}

/* gtk_column_view_scroll_to() is GTK 4.12; until then the list view inside the column
 * view scrolls with its "list.scroll-to-item" action. */
static void
column_view_scroll_to(GtkColumnView *view, guint position)
{
    for (GtkWidget *child = gtk_widget_get_first_child(GTK_WIDGET(view)); child != NULL;
            child = gtk_widget_get_next_sibling(child)) {
        if (GTK_IS_LIST_VIEW(child)) {
            gtk_widget_activate_action(child, "list.scroll-to-item", "u", position);
            return;
        }
    }
}

static void
detail_setup(GtkSignalListItemFactory *factory, GtkListItem *item, PeelWindow *self)
{
    GtkWidget *expander = gtk_tree_expander_new();
    GtkWidget *text = gtk_inscription_new(NULL);
    gtk_inscription_set_nat_chars(GTK_INSCRIPTION(text), 80);
    gtk_inscription_set_text_overflow(
            GTK_INSCRIPTION(text), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
    gtk_widget_set_hexpand(text, TRUE);
    gtk_tree_expander_set_child(GTK_TREE_EXPANDER(expander), text);
    gtk_list_item_set_child(item, expander);
}

static void
detail_bind(GtkSignalListItemFactory *factory, GtkListItem *item, PeelWindow *self)
{
    GtkTreeListRow *row = gtk_list_item_get_item(item);
    GtkTreeExpander *expander = GTK_TREE_EXPANDER(gtk_list_item_get_child(item));
    gtk_tree_expander_set_list_row(expander, row);
    g_autoptr(PeelDetailNode) node = gtk_tree_list_row_get_item(row);
    gtk_inscription_set_text(GTK_INSCRIPTION(gtk_tree_expander_get_child(expander)), node->text);
}

static void
detail_unbind(GtkSignalListItemFactory *factory, GtkListItem *item, PeelWindow *self)
{
    gtk_tree_expander_set_list_row(GTK_TREE_EXPANDER(gtk_list_item_get_child(item)), NULL);
}

static void
window_show_detail(PeelWindow *self, GListStore *root, const char *hex)
{
    GtkTreeListModel *tree = NULL;
    if (root != NULL)
        tree = gtk_tree_list_model_new(
                G_LIST_MODEL(root), FALSE, FALSE, detail_node_children, NULL, NULL);
    gtk_single_selection_set_model(self->detail_selection, G_LIST_MODEL(tree));
    g_clear_object(&tree);
    gtk_text_buffer_set_text(gtk_text_view_get_buffer(self->hex_view), hex, -1);
}

static void
packet_selected(PeelWindow *self, GParamSpec *pspec, GtkSingleSelection *selection)
{
    PeelFrameRow *row = gtk_single_selection_get_selected_item(self->packet_selection);
    if (row == NULL) {
        window_show_detail(self, NULL, "");
        return;
    }
    g_autoptr(GError) error = NULL;
    PeelFrameStore *store = peel_frame_row_get_store(row);
    const PeelPacket *pkt =
            peel_frame_store_dissect(store, peel_frame_row_get_number(row), true, &error);
    if (pkt == NULL) {
        g_autoptr(GListStore) root = g_list_store_new(PEEL_TYPE_DETAIL_NODE);
        detail_node_add(root, NULL, g_strdup(error->message));
        window_show_detail(self, root, "");
        return;
    }
    g_autoptr(GListStore) root = detail_build(pkt);
    g_autofree char *hex = hex_dump(pkt);
    window_show_detail(self, root, hex);
}

static void
window_update_status(PeelWindow *self)
{
    guint n = self->model != NULL ? g_list_model_get_n_items(G_LIST_MODEL(self->model)) : 0;
    g_autofree char *frames = g_strdup_printf(n == 1 ? "%u frame" : "%u frames", n);
    g_autofree char *text = NULL;
    if (self->name == NULL)
        text = g_strdup("No capture file");
    else if (self->load_error != NULL)
        text = g_strdup_printf("%s \u2014 %s: %s", frames, self->name, self->load_error);
    else if (self->loading != NULL)
        text = g_strdup_printf("Loading %s \u2014 %s", self->name, frames);
    else
        text = g_strdup(frames);
    gtk_label_set_text(self->status_label, text);
}

/* PEEL_GUI_SELECT=N selects frame N once loading ends: a hook for smoke tests. It waits
 * until the packet list has been given a size: GTK 4.8's list views mis-scroll before. */
static gboolean
window_select_from_env(GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
    PeelWindow *self = PEEL_WINDOW(widget);
    GtkAdjustment *vadj = gtk_scrollable_get_vadjustment(GTK_SCROLLABLE(self->packet_list));
    if (vadj == NULL || gtk_adjustment_get_page_size(vadj) <= 0)
        return G_SOURCE_CONTINUE;
    guint32 number = GPOINTER_TO_UINT(data);
    guint n = self->model != NULL ? g_list_model_get_n_items(G_LIST_MODEL(self->model)) : 0;
    for (guint pos = 0; pos < n; pos++) {
        if (peel_frame_model_get_number(self->model, pos) == number) {
            gtk_single_selection_set_selected(self->packet_selection, pos);
            column_view_scroll_to(self->packet_list, pos);
            break;
        }
    }
    return G_SOURCE_REMOVE;
}

static void
window_select_from_env_later(PeelWindow *self)
{
    const char *env = g_getenv("PEEL_GUI_SELECT");
    guint64 number = 0;
    if (env != NULL && g_ascii_string_to_unsigned(env, 10, 1, G_MAXUINT32, &number, NULL))
        gtk_widget_add_tick_callback(
                GTK_WIDGET(self), window_select_from_env, GUINT_TO_POINTER((guint32)number), NULL);
}

static void
window_load_done(GObject *source, GAsyncResult *result, gpointer data)
{
    g_autoptr(PeelWindow) self = data;
    g_autoptr(GError) error = NULL;
    bool ok = peel_loader_load_finish(result, &error);
    /* A load that was replaced by another has nothing more to say. */
    if (g_task_get_cancellable(G_TASK(result)) != self->loading)
        return;
    g_clear_object(&self->loading);
    if (!ok)
        self->load_error = g_strdup(error->message);
    window_update_status(self);
    window_select_from_env_later(self);
}

/* Stops loading and forgets the file; the views are the caller's. */
static void
window_drop_file(PeelWindow *self)
{
    if (self->loading != NULL) {
        g_cancellable_cancel(self->loading);
        g_clear_object(&self->loading);
    }
    if (self->model != NULL) {
        g_signal_handlers_disconnect_by_data(self->model, self);
        g_clear_object(&self->model);
    }
    g_clear_pointer(&self->name, g_free);
    g_clear_pointer(&self->load_error, g_free);
}

void
peel_window_open(PeelWindow *self, GFile *file)
{
    g_return_if_fail(PEEL_IS_WINDOW(self));
    g_return_if_fail(G_IS_FILE(file));

    window_drop_file(self);
    gtk_single_selection_set_model(self->packet_selection, NULL);
    window_show_detail(self, NULL, "");
    self->name = g_file_get_basename(file);
    gtk_window_set_title(GTK_WINDOW(self), self->name);

    g_autofree char *path = g_file_get_path(file);
    g_autoptr(GError) error = NULL;
    g_autoptr(PeelFrameStore) store = NULL;
    if (path == NULL)
        g_set_error(
                &error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s: not a local file", self->name);
    else
        store = peel_frame_store_open(path, &error);
    if (store == NULL) {
        gtk_label_set_text(self->status_label, error->message);
        return;
    }

    self->model = peel_frame_model_new(store);
    g_signal_connect_swapped(self->model, "items-changed", G_CALLBACK(window_update_status), self);
    gtk_single_selection_set_model(self->packet_selection, G_LIST_MODEL(self->model));
    self->loading = g_cancellable_new();
    peel_loader_load_async(store, self->model, self->loading, window_load_done, g_object_ref(self));
    window_update_status(self);
}

static void
peel_window_dispose(GObject *object)
{
    PeelWindow *self = PEEL_WINDOW(object);
    window_drop_file(self);
    gtk_widget_dispose_template(GTK_WIDGET(self), PEEL_TYPE_WINDOW);
    G_OBJECT_CLASS(peel_window_parent_class)->dispose(object);
}

static void
peel_window_class_init(PeelWindowClass *klass)
{
    G_OBJECT_CLASS(klass)->dispose = peel_window_dispose;

    GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
    gtk_widget_class_set_template_from_resource(widget_class, "/org/peel/Gui/peel-window.ui");
    gtk_widget_class_bind_template_child(widget_class, PeelWindow, packet_list);
    gtk_widget_class_bind_template_child(widget_class, PeelWindow, packet_selection);
    gtk_widget_class_bind_template_child(widget_class, PeelWindow, detail_view);
    gtk_widget_class_bind_template_child(widget_class, PeelWindow, detail_selection);
    gtk_widget_class_bind_template_child(widget_class, PeelWindow, hex_view);
    gtk_widget_class_bind_template_child(widget_class, PeelWindow, status_label);
    gtk_widget_class_bind_template_callback(widget_class, packet_selected);
    gtk_widget_class_bind_template_callback(widget_class, detail_setup);
    gtk_widget_class_bind_template_callback(widget_class, detail_bind);
    gtk_widget_class_bind_template_callback(widget_class, detail_unbind);
}

static void
peel_window_init(PeelWindow *self)
{
    gtk_widget_init_template(GTK_WIDGET(self));
    packet_list_add_columns(self->packet_list);
    window_update_status(self);
}

PeelWindow *
peel_window_new(PeelApplication *app)
{
    return g_object_new(PEEL_TYPE_WINDOW, "application", app, NULL);
}
