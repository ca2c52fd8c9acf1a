/* test-report-grpc.c: the HTTP/2 and gRPC reports run through peel on the samples:
 * -z grpc,calls (rows, kinds, statuses, notes), -z follow,http2 (decoded headers, bodies)
 * and --export-objects http2 (files named from the paths). */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "peel-run.h"

static char *grpc_sample, *h2_sample, *descriptors;

/* The row of the call on tcp.stream `tcp`, or NULL. */
static char *
row_of(const char *out, guint tcp)
{
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    g_autofree char *prefix = g_strdup_printf("%-6u %-6u ", tcp, 1u);
    for (char **l = lines; *l; l++)
        if (g_str_has_prefix(*l, prefix))
            return g_strdup(*l);
    return NULL;
}

static void
test_calls(void)
{
    PeelRun r = peel_run((const char *[]){ "-r", grpc_sample, "-q", "-z", "grpc,calls", NULL });
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.out, "gRPC Calls:"));
    g_assert_nonnull(strstr(r.out, "7 calls"));
    struct {
        guint tcp;
        const char *path, *kind, *status;
    } want[] = {
        { 0, "/peel.demo.Greeter/SayHello", "unary*", "OK" },
        { 1, "/peel.demo.Greeter/SayHelloMany", "server streaming*", "OK" },
        { 2, "/peel.demo.Greeter/CollectHellos", "client streaming*", "OK" },
        { 3, "/peel.demo.Greeter/Chat", "bidirectional streaming*", "OK" },
        { 4, "/peel.demo.Greeter/SayHello", "unary*", "OK" },
        { 5, "/peel.demo.Greeter/SayHello", "unary*", "NOT_FOUND" },
        { 6, "/peel.demo.Greeter/SayHello", "unary*", "OK" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(want); i++) {
        g_autofree char *row = row_of(r.out, want[i].tcp);
        g_assert_nonnull(row);
        g_assert_nonnull(strstr(row, want[i].path));
        g_assert_nonnull(strstr(row, want[i].kind));
        g_assert_nonnull(strstr(row, want[i].status));
    }
    /* Three requests, one 20-byte reply... the client-streaming row counts both ways. */
    g_autofree char *cs = row_of(r.out, 2);
    g_assert_nonnull(strstr(cs, " 3 "));
    g_assert_nonnull(strstr(r.out, "Notes:"));
    g_assert_nonnull(strstr(r.out, "NOT_FOUND: no such user: nobody (100% sure)"));
    peel_run_clear(&r);
}

/* With the schema, each call's type comes from it, unmarked. */
static void
test_calls_with_schema(void)
{
    PeelRun r = peel_run((const char *[]){ "-r", grpc_sample, "--proto-descriptors", descriptors,
            "-q", "-z", "grpc,calls", NULL });
    g_assert_cmpint(r.status, ==, 0);
    g_autofree char *ss = row_of(r.out, 1);
    g_assert_nonnull(ss);
    g_assert_nonnull(strstr(ss, " server streaming "));
    g_autofree char *bidi = row_of(r.out, 3);
    g_assert_nonnull(strstr(bidi, " bidirectional streaming "));
    g_assert_null(strstr(r.out, "guessed"));
    peel_run_clear(&r);
}

static void
test_follow(void)
{
    PeelRun r = peel_run(
            (const char *[]){ "-r", h2_sample, "-q", "-z", "follow,http2,ascii,0,1", NULL });
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.out, "Follow: http2,ascii\n"));
    g_assert_nonnull(strstr(r.out, "Filter: tcp.stream eq 0 and http2.streamid eq 1\n"));
    g_assert_nonnull(strstr(r.out, ":path: /hello.txt\n"));
    g_assert_nonnull(strstr(r.out, ":status: 200\n"));
    g_assert_nonnull(strstr(r.out, "Hello from the peel sample server."));
    peel_run_clear(&r);
    r = peel_run((const char *[]){ "-r", h2_sample, "-q", "-z", "follow,http2,9,9,9", NULL });
    g_assert_cmpint(r.status, ==, 2);
    peel_run_clear(&r);
}

static void
test_export(void)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *dir = g_dir_make_tmp("peel-h2-export-XXXXXX", &error);
    g_assert_no_error(error);
    g_autofree char *arg = g_strdup_printf("http2,%s", dir);
    PeelRun r = peel_run((const char *[]){ "-r", h2_sample, "-q", "--export-objects", arg, NULL });
    g_assert_cmpint(r.status, ==, 0);
    peel_run_clear(&r);
    g_autofree char *hello = g_build_filename(dir, "hello.txt", NULL);
    g_autofree char *big = g_build_filename(dir, "big.txt", NULL);
    g_autofree char *text = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(hello, &text, &len, NULL));
    g_assert_cmpstr(text, ==, "Hello from the peel sample server.\n");
    g_autofree char *bigtext = NULL;
    g_assert_true(g_file_get_contents(big, &bigtext, &len, NULL));
    g_assert_cmpuint(len, >, 200000);
    g_assert_true(g_str_has_prefix(bigtext, "000001 the quick brown fox"));
    g_unlink(hello);
    g_unlink(big);
    g_rmdir(dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    const char *peel_path = g_getenv("PEEL");
    const char *root = g_getenv("PEEL_SOURCE_ROOT");
    g_assert_nonnull(peel_path);
    g_assert_nonnull(root);
    grpc_sample = g_build_filename(root, "samples", "grpc-calls.pcap", NULL);
    h2_sample = g_build_filename(root, "samples", "http2-nghttp.pcap", NULL);
    descriptors = g_build_filename(root, "samples", "grpc", "demo.pb", NULL);
    g_test_add_func("/report-grpc/calls", test_calls);
    g_test_add_func("/report-grpc/calls-with-schema", test_calls_with_schema);
    g_test_add_func("/report-grpc/follow", test_follow);
    g_test_add_func("/report-grpc/export", test_export);
    int rc = g_test_run();
    g_free(grpc_sample);
    g_free(h2_sample);
    g_free(descriptors);
    return rc;
}
