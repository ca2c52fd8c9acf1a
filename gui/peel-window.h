/* peel-window.h: PeelWindow, one capture file on screen: the packet list, the detail
 * tree and the hex pane. */
#pragma once

#include <gtk/gtk.h>

#include "peel-application.h"

G_BEGIN_DECLS

#define PEEL_TYPE_WINDOW (peel_window_get_type())
G_DECLARE_FINAL_TYPE(PeelWindow, peel_window, PEEL, WINDOW, GtkApplicationWindow)

PeelWindow *peel_window_new(PeelApplication *app);

/* Shows file in the window, replacing what it showed: frames appear as a worker thread
 * reads them; open and read errors go to the status bar. */
void peel_window_open(PeelWindow *self, GFile *file);

G_END_DECLS
