/* test-export.c: cli/export.c, the file writing of the --export-objects reports: the
 * KIND,DIR argument, DIR made before the first file, names numbered instead of
 * overwriting (both styles), names that could leave DIR refused, and the first error
 * kept and reported at the end. */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "export.h"
#include "report.h"

static char *
contents(const char *dir, const char *name)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, NULL))
        return NULL;
    return text;
}

static void
remove_tree(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;
    while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
        g_autofree char *p = g_build_filename(dir, name, NULL);
        if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
            remove_tree(p);
        else
            g_assert_cmpint(g_unlink(p), ==, 0);
    }
    g_assert_cmpint(g_rmdir(dir), ==, 0);
}

static void
test_open_args(void)
{
    const char *bad[] = { "http", "http,", "" };
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) error = NULL;
        PeelExport *e = peel_export_open("http", bad[i], PEEL_EXPORT_NUMBER_AFTER, &error);
        g_assert_null(e);
        g_assert_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG);
        g_autofree char *want = g_strdup_printf("--export-objects %s: expected http,DIR", bad[i]);
        g_assert_cmpstr(error->message, ==, want);
    }
}

/* DIR (and its parents) appear with the first file, not before; a taken name gets
 * "(1)", "(2)"... after it or before its extension. */
static void
test_numbering(void)
{
    g_autofree char *tmp = g_dir_make_tmp("peel-export-XXXXXX", NULL);
    g_assert_nonnull(tmp);
    g_autofree char *dir = g_build_filename(tmp, "a", "b", NULL);
    g_autofree char *arg = g_strdup_printf("x,%s", dir);
    PeelExport *e = peel_export_open("x", arg, PEEL_EXPORT_NUMBER_AFTER, NULL);
    g_assert_nonnull(e);
    g_assert_false(g_file_test(dir, G_FILE_TEST_EXISTS));
    for (int i = 0; i < 3; i++) {
        g_autofree char *body = g_strdup_printf("body %d", i);
        const char *path = peel_export_write(e, "page.html", body, strlen(body));
        g_assert_nonnull(path);
        g_assert_true(g_str_has_prefix(path, dir));
    }
    g_assert_cmpuint(peel_export_count(e), ==, 3);
    g_assert_true(peel_export_finish(e, "objects"));
    peel_export_close(e);
    const char *after[] = { "page.html", "page.html(1)", "page.html(2)" };
    for (int i = 0; i < 3; i++) {
        g_autofree char *text = contents(dir, after[i]);
        g_autofree char *want = g_strdup_printf("body %d", i);
        g_assert_cmpstr(text, ==, want);
    }

    /* The other style, in the same DIR: page.html and its numbered names are taken. */
    e = peel_export_open("x", arg, PEEL_EXPORT_NUMBER_BEFORE_EXT, NULL);
    g_assert_true(peel_export_make_dir(e));
    g_assert_nonnull(peel_export_write(e, "page.html", "again", 5));
    g_assert_nonnull(peel_export_write(e, "noext", "n", 1));
    g_assert_nonnull(peel_export_write(e, "noext", "m", 1));
    g_assert_true(peel_export_finish(e, "objects"));
    peel_export_close(e);
    g_autofree char *again = contents(dir, "page(1).html");
    g_assert_cmpstr(again, ==, "again");
    g_autofree char *first = contents(dir, "page.html");
    g_assert_cmpstr(first, ==, "body 0"); /* never overwritten */
    g_autofree char *m = contents(dir, "noext(1)");
    g_assert_cmpstr(m, ==, "m");
    remove_tree(tmp);
}

/* A name that could name DIR, its parent or a path below it is an error, reported at the
 * end; nothing is written after it. A link in DIR is never followed. */
static void
test_unsafe_names(void)
{
    const char *bad[] = { "", ".", "..", "../escape", "a/b" };
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *tmp = g_dir_make_tmp("peel-export-XXXXXX", NULL);
        g_autofree char *arg = g_strdup_printf("x,%s", tmp);
        PeelExport *e = peel_export_open("x", arg, PEEL_EXPORT_NUMBER_AFTER, NULL);
        g_assert_null(peel_export_write(e, bad[i], "x", 1));
        g_assert_null(peel_export_write(e, "fine", "x", 1));
        errno = 0;
        g_assert_false(peel_export_finish(e, "objects"));
        g_assert_cmpint(errno, ==, EINVAL);
        peel_export_close(e);
        g_autoptr(GDir) d = g_dir_open(tmp, 0, NULL);
        g_assert_null(g_dir_read_name(d)); /* nothing written */
        g_autofree char *parent = g_path_get_dirname(tmp);
        g_autofree char *escaped = g_build_filename(parent, "escape", NULL);
        g_assert_false(g_file_test(escaped, G_FILE_TEST_EXISTS));
        remove_tree(tmp);
    }

    g_autofree char *tmp = g_dir_make_tmp("peel-export-XXXXXX", NULL);
    g_autofree char *target = g_build_filename(tmp, "target", NULL);
    g_autofree char *link = g_build_filename(tmp, "link", NULL);
    g_assert_true(g_file_set_contents(target, "keep", -1, NULL));
    g_assert_cmpint(symlink(target, link), ==, 0);
    g_autofree char *arg = g_strdup_printf("x,%s", tmp);
    PeelExport *e = peel_export_open("x", arg, PEEL_EXPORT_NUMBER_AFTER, NULL);
    const char *path = peel_export_write(e, "link", "new", 3);
    g_assert_nonnull(path);
    g_assert_true(g_str_has_suffix(path, "link(1)"));
    g_assert_true(peel_export_finish(e, "objects"));
    peel_export_close(e);
    g_autofree char *kept = contents(tmp, "target");
    g_assert_cmpstr(kept, ==, "keep");
    remove_tree(tmp);
}

/* DIR that cannot be made: the error stops the export and fails the run. */
static void
test_dir_error(void)
{
    g_autofree char *tmp = g_dir_make_tmp("peel-export-XXXXXX", NULL);
    g_autofree char *file = g_build_filename(tmp, "file", NULL);
    g_assert_true(g_file_set_contents(file, "", -1, NULL));
    g_autofree char *arg = g_strdup_printf("x,%s/sub", file);
    PeelExport *e = peel_export_open("x", arg, PEEL_EXPORT_NUMBER_AFTER, NULL);
    g_assert_false(peel_export_make_dir(e));
    g_assert_null(peel_export_write(e, "a", "x", 1));
    errno = 0;
    g_assert_false(peel_export_finish(e, "objects"));
    g_assert_cmpint(errno, ==, ENOTDIR);
    peel_export_close(e);
    remove_tree(tmp);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/export/open-args", test_open_args);
    g_test_add_func("/export/numbering", test_numbering);
    g_test_add_func("/export/unsafe-names", test_unsafe_names);
    g_test_add_func("/export/dir-error", test_dir_error);
    return g_test_run();
}
