/* main.c: peel-gui, the GTK4 front end (ARCHITECTURE.md). */
#include "peel-application.h"

int
main(int argc, char **argv)
{
    g_autoptr(PeelApplication) app = peel_application_new();
    return g_application_run(G_APPLICATION(app), argc, argv);
}
