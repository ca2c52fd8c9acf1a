/* test-report-http.c: the HTTP reports (cli/report-http.c). peel's -z http,tree,
 * http_req,tree and http_srv,tree on the HTTP samples against the text tshark 4.0.17
 * printed for them (tests/golden/<capture>.z-http-*-tree.txt, written by `tshark -q -n -r
 * CAPTURE -z ARG`), --export-objects http against the files tshark writes, and the
 * safety of export file names. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdbool.h>
#include <string.h>

#include "peel-run.h"

char *peel_http_export_name(const char *uri, size_t len); /* report-http.c */

typedef struct {
    const char *capture;
    const char *arg;  /* -z argument */
    const char *file; /* golden name part */
} TreeCase;

static const TreeCase tree_cases[] = {
    { "http-nginx.pcap", "http,tree", "http-tree" },
    { "http-nginx.pcap", "http_req,tree", "http-req-tree" },
    { "http-nginx.pcap", "http_srv,tree", "http-srv-tree" },
    { "http-curl.pcap", "http,tree", "http-tree" },
    { "http-curl.pcap", "http_req,tree", "http-req-tree" },
    { "http-curl.pcap", "http_srv,tree", "http-srv-tree" },
    { "http-big.pcap", "http,tree", "http-tree" },
    { "http-big.pcap", "http_req,tree", "http-req-tree" },
    { "http-big.pcap", "http_srv,tree", "http-srv-tree" },
    { "http-10.pcap", "http,tree", "http-tree" },
    { "http-10.pcap", "http_req,tree", "http-req-tree" },
    { "http-10.pcap", "http_srv,tree", "http-srv-tree" },
};

static void
test_tree(gconstpointer data)
{
    const TreeCase *c = data;
    if (!peel_run_ready())
        return;
    const char *root = g_getenv("PEEL_SOURCE_ROOT");
    g_autofree char *capture = g_build_filename(root, "samples", c->capture, NULL);
    const char *args[] = { "-q", "-r", capture, "-z", c->arg, NULL };
    int status = 0;
    g_autofree char *err = NULL;
    g_autofree char *out = peel_run_capture(args, &status, &err);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    g_assert_cmpstr(err, ==, "");
    g_autofree char *name = g_strdup_printf("%s.z-%s.txt", c->capture, c->file);
    g_autofree char *path = g_build_filename(root, "tests", "golden", name, NULL);
    g_autofree char *want = NULL;
    g_assert_true(g_file_get_contents(path, &want, NULL, NULL));
    g_assert_cmpstr(out, ==, want);
}

/* All three at once: printed last argument first, as tshark does. */
static void
test_tree_order(void)
{
    if (!peel_run_ready())
        return;
    const char *root = g_getenv("PEEL_SOURCE_ROOT");
    g_autofree char *capture = g_build_filename(root, "samples", "http-nginx.pcap", NULL);
    const char *args[] = { "-q", "-r", capture, "-z", "http,tree", "-z", "http_req,tree", NULL };
    int status = 0;
    g_autofree char *err = NULL;
    g_autofree char *out = peel_run_capture(args, &status, &err);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    const char *req = strstr(out, "HTTP/Requests:");
    const char *pkts = strstr(out, "HTTP/Packet Counter:");
    g_assert_nonnull(req);
    g_assert_nonnull(pkts);
    g_assert_true(req < pkts);
}

static void
test_tree_bad_arg(void)
{
    if (!peel_run_ready())
        return;
    const char *root = g_getenv("PEEL_SOURCE_ROOT");
    g_autofree char *capture = g_build_filename(root, "samples", "http-nginx.pcap", NULL);
    const char *args[] = { "-q", "-r", capture, "-z", "http,bogus", NULL };
    int status = 0;
    g_autofree char *err = NULL;
    g_autofree char *out = peel_run_capture(args, &status, &err);
    g_assert_false(g_spawn_check_wait_status(status, NULL));
    g_assert_nonnull(strstr(err, "http,tree"));
    g_assert_cmpstr(out, ==, ""); /* nothing printed for a refused argument */
}

static void
assert_file(const char *dir, const char *name, gsize size)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_autofree char *data = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    g_assert_cmpuint(len, ==, size);
}

/* The files tshark 4.0 writes for http-nginx (names and sizes), then a second export into
 * the same directory: nothing overwritten, every name gets "(1)". */
static void
test_export(void)
{
    if (!peel_run_ready())
        return;
    const char *root = g_getenv("PEEL_SOURCE_ROOT");
    g_autofree char *capture = g_build_filename(root, "samples", "http-nginx.pcap", NULL);
    g_autofree char *tmp = g_dir_make_tmp("peel-export-XXXXXX", NULL);
    g_assert_nonnull(tmp);
    g_autofree char *dir = g_build_filename(tmp, "objects", NULL);
    g_autofree char *arg = g_strdup_printf("http,%s", dir);
    const char *args[] = { "-q", "-r", capture, "--export-objects", arg, NULL };
    static const struct {
        const char *name;
        gsize size;
    } want[] = { { "hello.txt", 35 }, { "page.html", 39928 }, { "missing.txt", 153 },
        { "dir", 169 }, { "dir(1)", 7 }, { "post", 26 } };
    for (int round = 0; round < 2; round++) {
        int status = 0;
        g_autofree char *err = NULL;
        g_autofree char *out = peel_run_capture(args, &status, &err);
        g_assert_true(g_spawn_check_wait_status(status, NULL));
        g_assert_cmpstr(err, ==, "");
        g_assert_cmpstr(out, ==, ""); /* -q: the export prints nothing */
    }
    guint n = 0;
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_assert_nonnull(d);
    while (g_dir_read_name(d) != NULL)
        n++;
    g_assert_cmpuint(n, ==, 2 * G_N_ELEMENTS(want));
    for (gsize i = 0; i < G_N_ELEMENTS(want); i++) {
        assert_file(dir, want[i].name, want[i].size);
        g_autofree char *again = strcmp(want[i].name, "dir") == 0 ? g_strdup("dir(2)")
                                 : strcmp(want[i].name, "dir(1)") == 0
                                         ? g_strdup("dir(3)")
                                         : g_strdup_printf("%s(1)", want[i].name);
        assert_file(dir, again, want[i].size);
    }
    /* clean up */
    g_autoptr(GDir) d2 = g_dir_open(dir, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name(d2)) != NULL) {
        g_autofree char *p = g_build_filename(dir, name, NULL);
        g_unlink(p);
    }
    g_rmdir(dir);
    g_rmdir(tmp);
}

static void
check_name(const char *uri, const char *want)
{
    g_autofree char *got = peel_http_export_name(uri, strlen(uri));
    g_assert_cmpstr(got, ==, want);
    g_assert_null(strchr(got, '/'));
    g_assert_null(strchr(got, '\\'));
    g_assert_cmpstr(got, !=, ".");
    g_assert_cmpstr(got, !=, "..");
}

static void
test_export_names(void)
{
    check_name("/hello.txt", "hello.txt");
    check_name("/", "%2f");
    check_name("", "%2e");
    check_name("/dir/", "dir");
    check_name("/a/b/c.js?v=1&x=/y", "y");
    check_name("/ads?client=1", "ads%3fclient=1");
    check_name("/../../etc/passwd", "passwd");
    check_name("/..", "%2e%2e");
    check_name("/a/..", "%2e%2e");
    check_name("/a/.", "%2e");
    check_name("/x\\..\\..\\win.ini", "x%5c..%5c..%5cwin.ini");
    check_name("/a:b*c<d>e|f\"g", "a%3ab%2ac%3cd%3ee%7cf%22g");
    check_name("/tab\there", "tab%09here");
    /* long names keep their extension within 255 bytes */
    g_autofree char *longname = g_strnfill(600, 'a');
    g_autofree char *uri = g_strdup_printf("/%s.html", longname);
    g_autofree char *got = peel_http_export_name(uri, strlen(uri));
    g_assert_cmpuint(strlen(got), ==, 255);
    g_assert_true(g_str_has_suffix(got, ".html"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (gsize i = 0; i < G_N_ELEMENTS(tree_cases); i++) {
        g_autofree char *path =
                g_strdup_printf("/report-http/%s/%s", tree_cases[i].capture, tree_cases[i].file);
        g_test_add_data_func(path, &tree_cases[i], test_tree);
    }
    g_test_add_func("/report-http/tree-order", test_tree_order);
    g_test_add_func("/report-http/tree-bad-arg", test_tree_bad_arg);
    g_test_add_func("/report-http/export", test_export);
    g_test_add_func("/report-http/export-names", test_export_names);
    return g_test_run();
}
