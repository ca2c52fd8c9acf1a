/* peel-application.h: PeelApplication, the GtkApplication of peel-gui: opens the capture
 * files named on the command line and holds the app.* actions. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PEEL_TYPE_APPLICATION (peel_application_get_type())
G_DECLARE_FINAL_TYPE(PeelApplication, peel_application, PEEL, APPLICATION, GtkApplication)

PeelApplication *peel_application_new(void);

G_END_DECLS
