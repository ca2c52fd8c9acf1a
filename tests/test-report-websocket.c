/* test-report-websocket.c: `-z follow,websocket,N` and `--export-objects websocket,DIR`
 * as a user runs them, on the websocket samples (and a public capture that ends without
 * close frames, when ../shared is there). */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "peel-run.h"

static void
test_follow_transcript(void)
{
    g_autofree char *path = peel_run_sample("websocket-deflate.pcap");
    PeelRun r = peel_run((const char *[]){ "-r", path, "-q", "-z", "follow,websocket,0", NULL });
    g_assert_cmpint(r.status, ==, 0);
    g_assert_true(g_str_has_prefix(r.out, "====="));
    g_assert_nonnull(strstr(r.out, "Follow: websocket,0\nNode 0: 127.0.0.1:"));
    g_assert_nonnull(strstr(r.out, "Node 1: 127.0.0.1:8080\n"));
    /* Each message once, unmasked and inflated, at the frame that completes it. */
    g_assert_nonnull(strstr(r.out, "-- frame 8, 0.011392 s, node 0 -> node 1: Text, 53 bytes\n"
                                   "Hello from the peel WebSocket sample, a text message.\n"));
    g_assert_nonnull(strstr(r.out, ": Text, 51 bytes\n"
                                   "server part one; server part two; server part three\n"));
    g_assert_nonnull(strstr(r.out, "node 0 -> node 1: Binary, 512 bytes\n"
                                   "00000000  00 01 02 03 04 05 06 07  08 09 0a 0b"));
    g_assert_nonnull(strstr(r.out, "node 0 -> node 1: Ping, 9 bytes\n"));
    g_assert_nonnull(strstr(r.out, "node 1 -> node 0: Pong, 9 bytes\n"));
    g_assert_nonnull(strstr(r.out, "Connection Close, 16 bytes\n"
                                   "status 4000, reason \"peel sample done\"\n"));
    g_assert_nonnull(strstr(r.out, "01399 the quick brown fox jumps over the lazy dog\n"));
    g_assert_null(strstr(r.out, "Abnormal Closure")); /* both sides closed properly */
    g_assert_null(strstr(r.out, "\nclient part one; \n")); /* no fragment printed alone */
    peel_run_clear(&r);
}

static void
test_follow_abnormal_closure(void)
{
    g_autofree char *path = peel_run_sample("websocket-drop.pcap");
    PeelRun r = peel_run((const char *[]){ "-r", path, "-q", "-z", "follow,websocket,0", NULL });
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.out, "node 0 -> node 1: Text, 42 bytes\n"
                                   "this connection ends without a close frame\n"));
    g_assert_nonnull(strstr(r.out, "the connection ended without a close frame from either "
                                   "side: 1006 Abnormal Closure\n"));
    peel_run_clear(&r);
}

static void
test_follow_usage(void)
{
    g_autofree char *path = peel_run_sample("websocket-deflate.pcap");
    const char *bad[] = { "follow,websocket", "follow,websocket,x", "follow,websocket,1,2" };
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        PeelRun r = peel_run((const char *[]){ "-r", path, "-q", "-z", bad[i], NULL });
        g_assert_cmpint(r.status, ==, 2);
        g_assert_nonnull(strstr(r.err, "follow,websocket,STREAM"));
        peel_run_clear(&r);
    }
}

static void
test_export(void)
{
    g_autofree char *path = peel_run_sample("websocket-plain.pcap");
    g_autofree char *tmp = g_dir_make_tmp("peel-ws-XXXXXX", NULL);
    g_assert_nonnull(tmp);
    g_autofree char *dir = g_build_filename(tmp, "out", NULL);
    g_autofree char *arg = g_strdup_printf("websocket,%s", dir);
    PeelRun r = peel_run((const char *[]){ "-r", path, "-q", "--export-objects", arg, NULL });
    g_assert_cmpint(r.status, ==, 0);
    peel_run_clear(&r);
    /* Every text and binary message, each way: 7 from the client, 7 from the server. */
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_assert_nonnull(d);
    guint n = 0, big = 0, bin = 0;
    const char *name;
    while ((name = g_dir_read_name(d)) != NULL) {
        g_assert_true(g_str_has_prefix(name, "websocket-"));
        g_autofree char *file = g_build_filename(dir, name, NULL);
        g_autofree char *data = NULL;
        gsize len = 0;
        g_assert_true(g_file_get_contents(file, &data, &len, NULL));
        big += len == 70000;
        if (g_str_has_suffix(name, ".bin")) {
            bin++;
            g_assert_cmpuint(len, ==, 512);
            g_assert_cmpint((guint8)data[255], ==, 255);
        }
        if (strstr(name, "-frame28-") != NULL)
            g_assert_cmpstr(data, ==, "server part one; server part two; server part three");
        g_assert_cmpint(g_remove(file), ==, 0);
        n++;
    }
    g_assert_cmpuint(n, ==, 14);
    g_assert_cmpuint(big, ==, 2);
    g_assert_cmpuint(bin, ==, 2);
    g_assert_cmpint(g_rmdir(dir), ==, 0);
    g_assert_cmpint(g_rmdir(tmp), ==, 0);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    const char *peel_path = g_getenv("PEEL");
    if (peel_path == NULL) {
        g_test_message("PEEL is not set");
        return 77;
    }
    g_test_add_func("/report-websocket/follow", test_follow_transcript);
    g_test_add_func("/report-websocket/follow-abnormal-closure", test_follow_abnormal_closure);
    g_test_add_func("/report-websocket/follow-usage", test_follow_usage);
    g_test_add_func("/report-websocket/export", test_export);
    return g_test_run();
}
