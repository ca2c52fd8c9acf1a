/* test-report-stun.c: -z stun,transactions and --stun-credentials through peel on the
 * coturn sample samples/stun-turn-udp.pcap (Binding, Allocate with its 401, Refresh,
 * ChannelBind, CreatePermission, ChannelData). */
#include <glib.h>
#include <string.h>

static char *
run_peel(const char *const *args, int *exit_status)
{
    const char *root = g_getenv("PEEL_SOURCE_ROOT");
    const char *peel = g_getenv("PEEL");
    g_assert_nonnull(root);
    g_assert_nonnull(peel);
    g_autofree char *capture = g_build_filename(root, "samples", "stun-turn-udp.pcap", NULL);
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_ptr_array_add(argv, (gpointer)peel);
    g_ptr_array_add(argv, "-r");
    g_ptr_array_add(argv, capture);
    for (const char *const *a = args; *a; a++)
        g_ptr_array_add(argv, (gpointer)*a);
    g_ptr_array_add(argv, NULL);
    char *out = NULL;
    g_autofree char *err = NULL;
    int status = 0;
    g_autoptr(GError) error = NULL;
    g_assert_true(g_spawn_sync(
            NULL, (char **)argv->pdata, NULL, 0, NULL, NULL, &out, &err, &status, &error));
    g_assert_no_error(error);
    g_assert_true(WIFEXITED(status));
    *exit_status = WEXITSTATUS(status);
    return out;
}

static void
test_transactions(void)
{
    const char *const args[] = { "-q", "-z", "stun,transactions", NULL };
    int status = 0;
    g_autofree char *out = run_peel(args, &status);
    g_assert_cmpint(status, ==, 0);
    g_assert_nonnull(strstr(out, "STUN transactions\n"));
    /* Two clients' Allocates: each refused with 401 first, then granted. */
    g_autofree char *alloc = g_strdup_printf("Allocate\n%-36s %8u\n", "  Request", 4);
    g_assert_nonnull(strstr(out, alloc));
    g_autofree char *errors = g_strdup_printf("%-36s %8u %8u", "  Error Response", 2, 2);
    g_assert_nonnull(strstr(out, errors));
    g_autofree char *binds = g_strdup_printf(
            "Channel-Bind\n%-36s %8u\n%-36s %8u %8u", "  Request", 5, "  Success Response", 5, 5);
    g_assert_nonnull(strstr(out, binds));
    g_autofree char *chan = g_strdup_printf("%-36s %8u\n", "ChannelData", 4);
    g_assert_nonnull(strstr(out, chan));
    g_assert_nonnull(strstr(out, "Requests without a response: 0\n"));

    const char *const wrong[] = { "-q", "-z", "stun,transactions,extra", NULL };
    g_autofree char *none = run_peel(wrong, &status);
    g_assert_cmpint(status, ==, 2);
    g_assert_true(none == NULL || strstr(none, "Requests without a response") == NULL);
}

/* Every MESSAGE-INTEGRITY of the sample verifies with coturn's credential, none with
 * another password. */
static void
test_credentials(void)
{
    const char *const good[] = { "--stun-credentials", "alice:peel.test:secret", "-T", "fields",
        "-e", "stun.att.hmac.status", NULL };
    int status = 0;
    g_autofree char *out = run_peel(good, &status);
    g_assert_cmpint(status, ==, 0);
    g_assert_nonnull(strstr(out, "1\n"));
    g_assert_null(strstr(out, "0\n"));
    g_assert_null(strstr(out, "2\n"));

    const char *const bad[] = { "--stun-credentials", "alice:peel.test:guess", "-T", "fields", "-e",
        "stun.att.hmac.status", NULL };
    g_autofree char *out_bad = run_peel(bad, &status);
    g_assert_nonnull(strstr(out_bad, "0\n"));
    g_assert_null(strstr(out_bad, "1\n"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/report/stun/transactions", test_transactions);
    g_test_add_func("/report/stun/credentials", test_credentials);
    return g_test_run();
}
