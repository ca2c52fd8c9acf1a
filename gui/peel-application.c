/* peel-application.c: PeelApplication: windows for the files given, app.open and
 * app.quit. */
#include "peel-application.h"

#include "peel-window.h"

struct _PeelApplication {
    GtkApplication parent_instance;
};

G_DEFINE_FINAL_TYPE(PeelApplication, peel_application, GTK_TYPE_APPLICATION)

/* ---- choosing a file ---- */

/* GtkFileDialog arrives in GTK 4.10 and Debian 12 has 4.8, so GtkFileChooserNative stays
 * behind this helper until then. */
typedef void (*PeelFileChosenFunc)(GFile *file, gpointer user_data);

typedef struct {
    PeelFileChosenFunc done;
    gpointer user_data;
    GDestroyNotify destroy;
} ChooseCall;

static void
choose_file_response(GtkNativeDialog *native, int response, gpointer data)
{
    ChooseCall *call = data;
    if (response == GTK_RESPONSE_ACCEPT) {
        g_autoptr(GFile) file = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(native));
        if (file != NULL)
            call->done(file, call->user_data);
    }
    if (call->destroy != NULL)
        call->destroy(call->user_data);
    g_free(call);
    g_object_unref(native);
}

/* Asks for a capture file to open; done runs only when one was chosen, then destroy. */
static void
choose_capture_file(
        GtkWindow *parent, PeelFileChosenFunc done, gpointer user_data, GDestroyNotify destroy)
{
    GtkFileChooserNative *native = gtk_file_chooser_native_new(
            "Open Capture File", parent, GTK_FILE_CHOOSER_ACTION_OPEN, "_Open", "_Cancel");
    gtk_native_dialog_set_modal(GTK_NATIVE_DIALOG(native), TRUE);

    g_autoptr(GtkFileFilter) captures = gtk_file_filter_new();
    gtk_file_filter_set_name(captures, "Capture files (pcap, pcapng)");
    gtk_file_filter_add_pattern(captures, "*.pcap");
    gtk_file_filter_add_pattern(captures, "*.pcapng");
    gtk_file_filter_add_pattern(captures, "*.cap");
    gtk_file_chooser_add_filter(GTK_FILE_CHOOSER(native), captures);
    g_autoptr(GtkFileFilter) all = gtk_file_filter_new();
    gtk_file_filter_set_name(all, "All files");
    gtk_file_filter_add_pattern(all, "*");
    gtk_file_chooser_add_filter(GTK_FILE_CHOOSER(native), all);

    ChooseCall *call = g_new(ChooseCall, 1);
    *call = (ChooseCall){ done, user_data, destroy };
    g_signal_connect(native, "response", G_CALLBACK(choose_file_response), call);
    gtk_native_dialog_show(GTK_NATIVE_DIALOG(native));
}

/* ---- actions ---- */

static void
open_chosen(GFile *file, gpointer user_data)
{
    PeelApplication *self = user_data;
    GtkWindow *active = gtk_application_get_active_window(GTK_APPLICATION(self));
    PeelWindow *window = PEEL_IS_WINDOW(active) ? PEEL_WINDOW(active) : peel_window_new(self);
    peel_window_open(window, file);
    gtk_window_present(GTK_WINDOW(window));
}

static void
app_open(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
    PeelApplication *self = user_data;
    GtkWindow *parent = gtk_application_get_active_window(GTK_APPLICATION(self));
    choose_capture_file(parent, open_chosen, g_object_ref(self), g_object_unref);
}

static void
app_quit(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
    g_application_quit(G_APPLICATION(user_data));
}

static const GActionEntry app_actions[] = {
    { .name = "open", .activate = app_open },
    { .name = "quit", .activate = app_quit },
};

/* ---- GApplication ---- */

static void
peel_application_startup(GApplication *app)
{
    G_APPLICATION_CLASS(peel_application_parent_class)->startup(app);
    g_action_map_add_action_entries(G_ACTION_MAP(app), app_actions, G_N_ELEMENTS(app_actions), app);
    gtk_application_set_accels_for_action(
            GTK_APPLICATION(app), "app.open", (const char *[]){ "<Control>o", NULL });
    gtk_application_set_accels_for_action(
            GTK_APPLICATION(app), "app.quit", (const char *[]){ "<Control>q", NULL });
}

static void
peel_application_activate(GApplication *app)
{
    gtk_window_present(GTK_WINDOW(peel_window_new(PEEL_APPLICATION(app))));
}

static void
peel_application_open(GApplication *app, GFile **files, int n_files, const char *hint)
{
    for (int i = 0; i < n_files; i++) {
        PeelWindow *window = peel_window_new(PEEL_APPLICATION(app));
        peel_window_open(window, files[i]);
        gtk_window_present(GTK_WINDOW(window));
    }
}

static void
peel_application_class_init(PeelApplicationClass *klass)
{
    GApplicationClass *app_class = G_APPLICATION_CLASS(klass);
    app_class->startup = peel_application_startup;
    app_class->activate = peel_application_activate;
    app_class->open = peel_application_open;
}

static void
peel_application_init(PeelApplication *self)
{
}

PeelApplication *
peel_application_new(void)
{
    /* Not unique: every peel-gui is its own process, as capture tools usually are, and it
     * needs no session bus. */
    return g_object_new(PEEL_TYPE_APPLICATION, "application-id", "org.peel.Gui", "flags",
            G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE, NULL);
}
