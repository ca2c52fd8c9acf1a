/* peel-run.c: spawn the peel command for the tests. */
#include "peel-run.h"

#include <sys/wait.h>

char *
peel_run_capture(const char *const *args, int *status, char **err)
{
    const char *peel = g_getenv("PEEL");
    g_assert_nonnull(peel);
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_ptr_array_add(argv, (gpointer)peel);
    for (const char *const *a = args; *a; a++)
        g_ptr_array_add(argv, (gpointer)*a);
    g_ptr_array_add(argv, NULL);
    /* A fixed environment, but for the sanitizers' settings (and GLib's allocator switch
     * the thread sanitizer needs), which the sanitizer test runs pass down. */
    g_autoptr(GPtrArray) envp = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(envp, g_strdup("TZ=UTC"));
    g_ptr_array_add(envp, g_strdup("LC_ALL=C.UTF-8"));
    static const char *const keep[] = { "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS",
        "TSAN_OPTIONS", "G_SLICE" };
    for (size_t i = 0; i < G_N_ELEMENTS(keep); i++)
        if (g_getenv(keep[i]) != NULL)
            g_ptr_array_add(envp, g_strdup_printf("%s=%s", keep[i], g_getenv(keep[i])));
    g_ptr_array_add(envp, NULL);
    char *out = NULL;
    g_autoptr(GError) error = NULL;
    g_assert_true(g_spawn_sync(NULL, (char **)argv->pdata, (char **)envp->pdata, 0, NULL, NULL,
            &out, err, status, &error));
    g_assert_no_error(error);
    return out;
}

PeelRun
peel_run(const char *const *args)
{
    PeelRun r = { 0 };
    int wait = 0;
    r.out = peel_run_capture(args, &wait, &r.err);
    g_assert_true(WIFEXITED(wait)); /* never a crash */
    r.status = WEXITSTATUS(wait);
    return r;
}

void
peel_run_clear(PeelRun *r)
{
    g_free(r->out);
    g_free(r->err);
}

bool
peel_run_ready(void)
{
    if (g_getenv("PEEL") == NULL || g_getenv("PEEL_SOURCE_ROOT") == NULL) {
        g_test_skip("PEEL and PEEL_SOURCE_ROOT are not set (run through meson test)");
        return false;
    }
    return true;
}

char *
peel_run_z(const char *capture, const char *const *z_args, gsize n)
{
    g_autoptr(GPtrArray) args = g_ptr_array_new();
    const char *head[] = { "-n", "-q", "-r", capture };
    for (gsize i = 0; i < G_N_ELEMENTS(head); i++)
        g_ptr_array_add(args, (gpointer)head[i]);
    for (gsize i = 0; i < n && z_args[i]; i++) {
        g_ptr_array_add(args, "-z");
        g_ptr_array_add(args, (gpointer)z_args[i]);
    }
    g_ptr_array_add(args, NULL);
    int status = 0;
    g_autofree char *err = NULL;
    char *out = peel_run_capture((const char *const *)args->pdata, &status, &err);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    g_assert_cmpstr(err, ==, "");
    return out;
}

char *
peel_run_sample(const char *name)
{
    const char *root = g_getenv("PEEL_SOURCE_ROOT");
    if (root != NULL)
        return g_build_filename(root, "samples", name, NULL);
    return g_test_build_filename(G_TEST_DIST, "..", "samples", name, NULL);
}
