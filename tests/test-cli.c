/* test-cli.c: the peel command as a user runs it: the --help examples, exit statuses,
 * messages that name file and frame, -w round trips, -c, -E options and usage errors. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "peel-run.h"

static char *sample;  /* samples/http-curl.pcap */
static char *tmpdir;

/* Every example in --help runs (files replaced by a sample; live capture skipped). */
static void
test_help_examples(void)
{
    PeelRun h = peel_run((const char *[]){ "--help", NULL });
    g_assert_cmpint(h.status, ==, 0);
    const char *ex = strstr(h.out, "Examples:");
    g_assert_nonnull(ex);
    g_auto(GStrv) lines = g_strsplit(ex, "\n", -1);
    guint ran = 0;
    for (char **l = lines + 1; *l; l++) {
        char *line = g_strstrip(*l);
        if (!g_str_has_prefix(line, "peel ") || strstr(line, " -i "))
            continue;
        g_auto(GStrv) words = NULL;
        g_autoptr(GError) error = NULL;
        g_assert_true(g_shell_parse_argv(line, NULL, &words, &error));
        for (char **w = words; *w; w++)
            if (g_str_has_prefix(*w, "capture.")) {
                g_free(*w);
                *w = g_strdup(sample);
            }
        PeelRun r = peel_run((const char *const *)words + 1);
        if (r.status != 0)
            g_test_fail_printf("example \"%s\" exited %d: %s", line, r.status, r.err);
        g_assert_cmpuint(strlen(r.out), >, 0);
        peel_run_clear(&r);
        ran++;
    }
    g_assert_cmpuint(ran, >=, 6);
    peel_run_clear(&h);
}

static void
test_usage_errors(void)
{
    const char *const *cases[] = {
        (const char *[]){ "--no-such-option", NULL },
        (const char *[]){ "-r", "x.pcap", "-T", "yaml", NULL },
        (const char *[]){ "-r", "x.pcap", "-T", "fields", NULL },
        (const char *[]){ "-r", "x.pcap", "-E", "header=maybe", "-T", "fields", "-e", "ip.src",
                NULL },
        (const char *[]){ "-r", "x.pcap", "-d", "tcp.port=80,data", NULL },
        (const char *[]){ "-r", "x.pcap", "--frame", "0", NULL },
        (const char *[]){ "-r", "x.pcap", "-o", "no.such:TRUE", NULL },
        (const char *[]){ NULL },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        PeelRun r = peel_run(cases[i]);
        g_assert_cmpint(r.status, ==, 2);
        g_assert_true(g_str_has_prefix(r.err, "peel: "));
        peel_run_clear(&r);
    }
    /* An unknown -e field is a usage error with a suggestion. */
    PeelRun r = peel_run((const char *[]){ "-r", sample, "-T", "fields", "-e", "tcp.prot", NULL });
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "did you mean tcp.port?"));
    peel_run_clear(&r);
}

static void
test_runtime_errors(void)
{
    g_autofree char *missing = g_build_filename(tmpdir, "missing.pcap", NULL);
    PeelRun r = peel_run((const char *[]){ "-r", missing, NULL });
    g_assert_cmpint(r.status, ==, 1);
    g_assert_true(g_str_has_prefix(r.err, "peel: "));
    g_assert_nonnull(strstr(r.err, missing));
    peel_run_clear(&r);

    /* A file cut in the middle of its third record: two frames, then the message. */
    g_autofree char *bytes = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(sample, &bytes, &len, NULL));
    g_autofree char *cut = g_build_filename(tmpdir, "cut.pcap", NULL);
    gsize third = 24 + 2 * 16 + 74 + 74 + 16 + 10; /* frames 1 and 2 are 74 bytes */
    g_assert_true(g_file_set_contents(cut, bytes, (gssize)third, NULL));
    r = peel_run((const char *[]){ "-r", cut, NULL });
    g_assert_cmpint(r.status, ==, 1);
    g_auto(GStrv) lines = g_strsplit(r.out, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, 3); /* two lines and the empty tail */
    g_assert_nonnull(strstr(r.err, "cut.pcap: frame 3: truncated record"));
    peel_run_clear(&r);
}

static void
test_write_round_trip(void)
{
    g_autofree char *out = g_build_filename(tmpdir, "first10.pcap", NULL);
    PeelRun r = peel_run((const char *[]){ "-r", sample, "-c", "10", "-w", out, NULL });
    g_assert_cmpint(r.status, ==, 0);
    g_assert_cmpstr(r.out, ==, ""); /* writing prints nothing, as tshark */
    peel_run_clear(&r);
    PeelRun a = peel_run((const char *[]){ "-r", out, NULL });
    PeelRun b = peel_run((const char *[]){ "-r", sample, "-c", "10", NULL });
    g_assert_cmpint(a.status, ==, 0);
    g_assert_cmpstr(a.out, ==, b.out);
    peel_run_clear(&a);
    peel_run_clear(&b);
}

/* --disable-protocol, as tshark's: the protocol's bytes become data, its connection is
 * not reassembled, and an unknown name is a usage error. */
static void
test_disable_protocol(void)
{
    PeelRun on = peel_run((const char *[]){ "-r", sample, "-T", "fields", "-e",
            "_ws.col.Protocol", "-e", "http.request.method", "-e", "data.len", NULL });
    PeelRun off = peel_run((const char *[]){ "-r", sample, "--disable-protocol", "json,http",
            "-T", "fields", "-e", "_ws.col.Protocol", "-e", "http.request.method", "-e",
            "data.len", NULL });
    g_assert_cmpint(on.status, ==, 0);
    g_assert_cmpint(off.status, ==, 0);
    g_assert_nonnull(strstr(on.out, "HTTP\tGET\t"));
    g_assert_null(strstr(off.out, "HTTP"));
    g_assert_null(strstr(off.out, "GET"));
    g_assert_nonnull(strstr(off.out, "TCP\t\t88\n")); /* the request's 88 bytes, as data */
    g_auto(GStrv) on_lines = g_strsplit(on.out, "\n", -1);
    g_auto(GStrv) off_lines = g_strsplit(off.out, "\n", -1);
    g_assert_cmpuint(g_strv_length(on_lines), ==, g_strv_length(off_lines)); /* same frames */
    peel_run_clear(&on);
    peel_run_clear(&off);
    PeelRun bad = peel_run((const char *[]){ "-r", sample, "--disable-protocol", "nope", NULL });
    g_assert_cmpint(bad.status, ==, 2);
    g_assert_nonnull(strstr(bad.err, "--disable-protocol nope: no such protocol"));
    peel_run_clear(&bad);
}

static void
test_fields_options(void)
{
    PeelRun r = peel_run((const char *[]){ "-r", sample, "-c", "2", "-T", "fields", "-E",
            "header=y", "-E", "separator=,", "-E", "quote=d", "-e", "frame.number", "-e",
            "tcp.stream", "-e", "tcp.option_kind", "-E", "occurrence=f", NULL });
    g_assert_cmpint(r.status, ==, 0);
    g_assert_cmpstr(r.out, ==,
            "frame.number,tcp.stream,tcp.option_kind\n"
            "\"1\",\"0\",\"2\"\n"
            "\"2\",\"0\",\"2\"\n");
    peel_run_clear(&r);
    r = peel_run((const char *[]){ "-r", sample, "-c", "1", "-T", "fields", "-E", "aggregator=;",
            "-e", "tcp.option_kind", NULL });
    g_assert_cmpstr(r.out, ==, "2;4;8;1;3\n"); /* MSS, SACK_PERM, TS, NOP, WS */
    peel_run_clear(&r);
}

static void
test_glossary_and_version(void)
{
    PeelRun r = peel_run((const char *[]){ "-G", "fields", NULL });
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.out, "\ttcp.stream\tFT_UINT32\ttcp\tBASE_DEC\t"));
    peel_run_clear(&r);
    r = peel_run((const char *[]){ "-G", "protocols", NULL });
    g_assert_nonnull(strstr(r.out, "Transmission Control Protocol\tTCP\ttcp\n"));
    peel_run_clear(&r);
    r = peel_run((const char *[]){ "--version", NULL });
    g_assert_true(g_str_has_prefix(r.out, "peel "));
    peel_run_clear(&r);
}

/* -2 and --frame show the links a request's response and the next pair give, as tshark -2
 * (Wireshark 4.0.17) does: the expected texts are its output, `tshark -2 -r SAMPLE -T fields
 * -e frame.number -e http.response_in -e http.next_request_in -e http.next_response_in -e
 * http.prev_request_in -e http.prev_response_in -e http.request_in -e http.request_number -e
 * http.response_number -Y http`. A single pass cannot know them (nor can tshark's). */
static void
test_two_pass_http_links(void)
{
    static const struct {
        const char *sample, *want;
    } cases[] = {
        { "http-curl.pcap", "4\t8\t10\t\t\t\t\t1\t\n8\t\t10\t225\t\t\t4\t\t1\n"
                            "10\t225\t\t\t4\t\t\t2\t\n225\t\t\t\t4\t8\t10\t\t2\n" },
        { "http-nginx.pcap",
                "4\t6\t8\t\t\t\t\t1\t\n6\t\t8\t10\t\t\t4\t\t1\n8\t10\t12\t\t4\t\t\t2\t\n"
                "10\t\t12\t13\t4\t6\t8\t\t2\n12\t13\t14\t\t8\t\t\t3\t\n"
                "13\t\t14\t15\t8\t10\t12\t\t3\n14\t15\t\t\t12\t\t\t4\t\n"
                "15\t\t\t17\t12\t13\t14\t\t4\n17\t\t\t18\t14\t15\t\t\t5\n"
                "18\t\t20\t\t\t17\t\t\t6\n20\t\t\t\t\t\t\t7\t\n" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = peel_run_sample(cases[i].sample);
        PeelRun r = peel_run((const char *[]){ "-2", "-r", path, "-T", "fields", "-e",
                "frame.number", "-e", "http.response_in", "-e", "http.next_request_in", "-e",
                "http.next_response_in", "-e", "http.prev_request_in", "-e",
                "http.prev_response_in", "-e", "http.request_in", "-e", "http.request_number", "-e",
                "http.response_number", "-Y", "http", NULL });
        g_assert_cmpint(r.status, ==, 0);
        g_assert_cmpstr(r.err, ==, "");
        g_assert_cmpstr(r.out, ==, cases[i].want);
        peel_run_clear(&r);
    }
    /* the single pass: no response_in nor next_* (as tshark without -2) */
    PeelRun one = peel_run((const char *[]){ "-r", sample, "-T", "fields", "-e", "http.response_in",
            "-e", "http.next_request_in", "-e", "http.next_response_in", "-Y", "http", NULL });
    g_assert_cmpstr(one.out, ==, "\t\t\n\t\t\n\t\t\n\t\t\n");
    peel_run_clear(&one);
    /* --frame: the tree, in Wireshark's order, "1/N" of all the connection's pairs */
    g_autofree char *nginx = peel_run_sample("http-nginx.pcap");
    PeelRun f = peel_run((const char *[]){ "-r", nginx, "--frame", "8,10", "-V", NULL });
    g_assert_cmpint(f.status, ==, 0);
    g_assert_nonnull(strstr(f.out, "    [HTTP request 2/7]\n"
                                   "    [Prev request in frame: 4]\n"
                                   "    [Response in frame: 10]\n"
                                   "    [Next request in frame: 12]\n"));
    g_assert_nonnull(strstr(f.out, "    [HTTP response 2/7]\n"
                                   "    [Time since request: 0.003899000 seconds]\n"
                                   "    [Prev request in frame: 4]\n"
                                   "    [Prev response in frame: 6]\n"
                                   "    [Request in frame: 8]\n"
                                   "    [Next request in frame: 12]\n"
                                   "    [Next response in frame: 13]\n"
                                   "    [Request URI: http://127.0.0.1:52521/page.html]\n"));
    peel_run_clear(&f);
}

/* -2 -R with -z: the reports count the frames -R keeps, as tshark's (4 HTTP frames of the
 * 229, tshark -2 -R http -z io,phs: "eth frames:4 bytes:1417") */
static void
test_two_pass_read_filter_stats(void)
{
    PeelRun r = peel_run((const char *[]){ "-2", "-R", "http", "-r", sample, "-q", "-z", "io,phs",
            NULL });
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.out, "\neth                                      frames:4 bytes:1417\n"));
    g_assert_nonnull(strstr(r.out, "\n      http                               frames:4 bytes:1417\n"));
    peel_run_clear(&r);
    PeelRun all = peel_run((const char *[]){ "-2", "-r", sample, "-q", "-z", "io,phs", NULL });
    g_assert_cmpint(all.status, ==, 0);
    g_assert_nonnull(strstr(all.out, "\neth                                      frames:229 "));
    peel_run_clear(&all);
}

/* Fields made from others -- tcp.port and ip.addr copy the two ports and addresses,
 * eth.addr and eth.lg sit under eth.src and eth.dst -- named alone by -Y or -e, when only
 * the named fields are kept (tshark 4.0 gives these lines and 229 frames). */
static void
test_pair_fields_alone(void)
{
    PeelRun f = peel_run((const char *[]){ "-r", sample, "-c", "1", "-T", "fields", "-e",
            "tcp.port", "-e", "ip.addr", "-e", "eth.addr", "-e", "eth.lg", NULL });
    g_assert_cmpint(f.status, ==, 0);
    g_assert_cmpstr(f.out, ==,
            "54602,45343\t127.0.0.1,127.0.0.1\t00:00:00:00:00:00,00:00:00:00:00:00\t0,0\n");
    peel_run_clear(&f);
    PeelRun y = peel_run((const char *[]){ "-r", sample, "-Y",
            "tcp.port == 45343 && ip.addr == 127.0.0.0/8 && eth.addr == 00:00:00:00:00:00",
            "-T", "fields", "-e", "frame.number", NULL });
    g_assert_cmpint(y.status, ==, 0);
    guint lines = 0;
    for (const char *c = y.out; *c; c++)
        lines += *c == '\n';
    g_assert_cmpuint(lines, ==, 229);
    peel_run_clear(&y);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    const char *peel_path = g_getenv("PEEL");
    const char *root = g_getenv("PEEL_SOURCE_ROOT");
    g_assert_nonnull(peel_path);
    g_assert_nonnull(root);
    sample = g_build_filename(root, "samples", "http-curl.pcap", NULL);
    tmpdir = g_dir_make_tmp("peel-test-cli-XXXXXX", NULL);
    g_assert_nonnull(tmpdir);
    g_test_add_func("/cli/help-examples", test_help_examples);
    g_test_add_func("/cli/usage-errors", test_usage_errors);
    g_test_add_func("/cli/runtime-errors", test_runtime_errors);
    g_test_add_func("/cli/write-round-trip", test_write_round_trip);
    g_test_add_func("/cli/fields-options", test_fields_options);
    g_test_add_func("/cli/disable-protocol", test_disable_protocol);
    g_test_add_func("/cli/two-pass-read-filter-stats", test_two_pass_read_filter_stats);
    g_test_add_func("/cli/two-pass-http-links", test_two_pass_http_links);
    g_test_add_func("/cli/pair-fields-alone", test_pair_fields_alone);
    g_test_add_func("/cli/glossary-version", test_glossary_and_version);
    int rc = g_test_run();
    g_autofree char *rm = g_strdup_printf("rm -rf '%s'", tmpdir);
    if (system(rm) != 0)
        g_printerr("could not remove %s\n", tmpdir);
    return rc;
}
