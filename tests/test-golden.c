/* test-golden.c: peel's text outputs on samples/ against committed golden files.
 *
 * For each capture in samples/ and each output (summary lines, -V, -x, -T json), peel's
 * stdout for the first 40 frames must equal tests/golden/<capture>.<mode>.txt byte for byte. Run with
 * PEEL_UPDATE_GOLDEN=1 (tests/update-golden.sh) to rewrite the files after an intended
 * change, and review the diff before committing it. */
#include <glib.h>
#include <string.h>

typedef struct {
    char *capture;
    char *golden;
    const char *const *args;
} GoldenCase;

static const char *const mode_summary[] = { NULL };
static const char *const mode_tree[] = { "-V", NULL };
static const char *const mode_hex[] = { "-x", NULL };
static const char *const mode_json[] = { "-T", "json", NULL };

static const struct {
    const char *suffix;
    const char *const *args;
} modes[] = {
    { "summary", mode_summary },
    { "V", mode_tree },
    { "x", mode_hex },
    { "json", mode_json },
};

static const char *peel_path;

static void
first_difference(const char *want, const char *got, GString *msg)
{
    guint line = 1;
    const char *w = want, *g = got;
    while (*w && *w == *g) {
        if (*w == '\n')
            line++;
        w++;
        g++;
    }
    const char *wl = w, *gl = g;
    while (wl > want && wl[-1] != '\n')
        wl--;
    while (gl > got && gl[-1] != '\n')
        gl--;
    g_string_append_printf(msg, "first difference at line %u:\n  want: %.*s\n  got:  %.*s", line,
            (int)strcspn(wl, "\n"), wl, (int)strcspn(gl, "\n"), gl);
}

static void
run_case(gconstpointer data)
{
    const GoldenCase *c = data;
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_ptr_array_add(argv, (gpointer)peel_path);
    g_ptr_array_add(argv, "-r");
    g_ptr_array_add(argv, c->capture);
    /* The first 40 frames: handshakes, data, analysis, while keeping the files small. */
    g_ptr_array_add(argv, "-c");
    g_ptr_array_add(argv, "40");
    for (const char *const *a = c->args; *a; a++)
        g_ptr_array_add(argv, (gpointer)*a);
    g_ptr_array_add(argv, NULL);
    const char *envp[] = { "TZ=UTC", "LC_ALL=C.UTF-8", NULL };
    g_autofree char *out = NULL, *err = NULL;
    int status = 0;
    g_autoptr(GError) error = NULL;
    g_assert_true(g_spawn_sync(NULL, (char **)argv->pdata, (char **)envp, 0, NULL, NULL, &out,
            &err, &status, &error));
    g_assert_no_error(error);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    g_assert_cmpstr(err, ==, "");
    if (g_getenv("PEEL_UPDATE_GOLDEN") != NULL) {
        g_assert_true(g_file_set_contents(c->golden, out, -1, NULL));
        return;
    }
    g_autofree char *want = NULL;
    if (!g_file_get_contents(c->golden, &want, NULL, NULL)) {
        g_test_fail_printf("%s is missing: run tests/update-golden.sh", c->golden);
        return;
    }
    if (strcmp(want, out) != 0) {
        g_autoptr(GString) msg = g_string_new(NULL);
        g_string_append_printf(msg, "%s differs; ", c->golden);
        first_difference(want, out, msg);
        g_test_fail_printf("%s", msg->str);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    const char *root = g_getenv("PEEL_SOURCE_ROOT");
    peel_path = g_getenv("PEEL");
    g_assert_nonnull(root);
    g_assert_nonnull(peel_path);
    g_autofree char *samples = g_build_filename(root, "samples", NULL);
    g_autofree char *golden = g_build_filename(root, "tests", "golden", NULL);
    g_autoptr(GDir) dir = g_dir_open(samples, 0, NULL);
    g_assert_nonnull(dir);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while ((name = g_dir_read_name(dir)) != NULL)
        if (g_str_has_suffix(name, ".pcap") || g_str_has_suffix(name, ".pcapng"))
            g_ptr_array_add(names, g_strdup(name));
    g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
    for (guint i = 0; i < names->len; i++) {
        name = g_ptr_array_index(names, i);
        for (gsize m = 0; m < G_N_ELEMENTS(modes); m++) {
            GoldenCase *c = g_new0(GoldenCase, 1);
            c->capture = g_build_filename(samples, name, NULL);
            g_autofree char *file = g_strdup_printf("%s.%s.txt", name, modes[m].suffix);
            c->golden = g_build_filename(golden, file, NULL);
            c->args = modes[m].args;
            g_autofree char *path = g_strdup_printf("/golden/%s/%s", name, modes[m].suffix);
            g_test_add_data_func(path, c, run_case);
        }
    }
    return g_test_run();
}
