/* test-dfilter.c: display filters. Every case of tests/dfilter-cases.tsv (made with tshark
 * 4.0 by tests/make-dfilter-cases.sh) must keep exactly the frames tshark keeps, both with
 * every field recorded and with only the filter's protocols and fields recorded (the fast
 * path `peel -Y` takes).
 * Compile errors are checked with their message and the span the caret marks. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "dfilter.h"
#include "dissector.h"
#include "peel-run.h"
#include "registry.h"
#include "source.h"

typedef struct {
    char *capture; /* as written: samples/x.pcap or shared:dir/y.pcap */
    char *filter;
    char *frames; /* "1,2,5" or "-" */
    char *needs;  /* protocol the case needs, or "" */
    char *decode; /* a -d rule, or "" */
} Case;

static const char *root;
static char *shared_root;
static GHashTable *known; /* "capture\tfilter" -> reason (tests/dfilter-known.tsv) */

static void
case_free(gpointer p)
{
    Case *c = p;
    g_free(c->capture);
    g_free(c->filter);
    g_free(c->frames);
    g_free(c->needs);
    g_free(c->decode);
    g_free(c);
}

static char *
capture_path(const char *capture)
{
    if (g_str_has_prefix(capture, "shared:"))
        return g_build_filename(shared_root, capture + 7, NULL);
    return g_build_filename(root, capture, NULL);
}

/* Dissects the capture and returns the frames the filter keeps, "1,2,5" or "-". With
 * `lean`, fields are recorded only for the filter's protocols. */
static char *
run_filter(const char *path, const char *decode, PeelDfilter *df, bool lean)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(PeelSource) src = peel_source_open_file(path, &error);
    g_assert_no_error(error);
    g_autoptr(PeelDissector) dis = peel_dissector_new();
    if (decode[0] != '\0') {
        peel_dissector_decode_as(dis, decode, &error);
        g_assert_no_error(error);
    }
    if (lean) {
        g_autofree bool *protos = g_new0(bool, peel_registry_n_protos());
        peel_dfilter_protos(df, protos);
        peel_dissector_set_record_fields(dis, false);
        peel_dissector_record_only(dis, protos);
        /* and within them only the fields the filter names, as `peel -Y` keeps them (what
         * is not kept, such as frame.protocols, is then not even written) */
        g_autofree bool *ids = g_new0(bool, peel_field_count());
        peel_dfilter_fields(df, ids);
        peel_dissector_keep_fields(dis, ids);
        peel_dissector_set_want_info(dis, false);
    }
    g_autoptr(GString) kept = g_string_new(NULL);
    PeelFrameClock clock = { 0 };
    PeelFrame fr;
    int rc;
    while ((rc = peel_source_next(src, &fr, &error)) > 0) {
        PeelFrameInfo info = {
            .number = fr.number,
            .ts = { fr.ts_sec, (int32_t)fr.ts_nsec },
            .cap_len = fr.cap_len,
            .len = fr.orig_len,
            .linktype = fr.linktype,
            .iface = fr.iface,
            .data = fr.data,
            .no_ts = fr.no_ts,
            .comment = fr.comment,
            .has_iface = peel_source_kind(src) == PEEL_FILE_PCAPNG,
        };
        peel_frame_clock_tick(&clock, &info);
        const PeelPacket *pkt = peel_dissector_run(dis, &info);
        if (peel_dfilter_match(df, pkt))
            g_string_append_printf(kept, "%s%u", kept->len ? "," : "", fr.number);
    }
    g_assert_no_error(error);
    if (kept->len == 0)
        g_string_assign(kept, "-");
    return g_string_free(g_steal_pointer(&kept), FALSE);
}

static void
test_case(gconstpointer data)
{
    const Case *c = data;
    if (c->needs[0] != '\0' && peel_registry_proto_lookup(c->needs) < 0) {
        g_autofree char *msg = g_strdup_printf("peel has no %s dissector yet", c->needs);
        g_test_skip(msg);
        return;
    }
    g_autofree char *path = capture_path(c->capture);
    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        g_autofree char *msg = g_strdup_printf("%s is absent%s", path,
                g_str_has_prefix(c->capture, "shared:") ? " (set PEEL_SHARED_DIR)" : "");
        g_test_skip(msg);
        return;
    }
    g_autoptr(GError) error = NULL;
    PeelDfilterLoc loc;
    g_autoptr(PeelDfilter) df = peel_dfilter_compile(c->filter, &loc, &error);
    if (df == NULL) {
        g_autoptr(GString) msg = g_string_new(NULL);
        peel_dfilter_format_error(msg, "-Y", c->filter, error, &loc, 4);
        g_test_message("%s", msg->str);
    }
    g_assert_no_error(error);
    if (df == NULL)
        return;
    g_autofree char *full = run_filter(path, c->decode, df, false);
    g_autofree char *key = g_strdup_printf("%s\t%s", c->capture, c->filter);
    const char *reason = g_hash_table_lookup(known, key);
    if (reason != NULL && strcmp(full, c->frames) != 0) {
        g_autofree char *msg = g_strdup_printf(
                "known difference (tshark keeps %s, peel %s): %s", c->frames, full, reason);
        g_test_skip(msg);
        return;
    }
    if (strcmp(full, c->frames) != 0)
        g_test_message(
                "%s: %s: tshark keeps %s, peel keeps %s", c->capture, c->filter, c->frames, full);
    g_assert_cmpstr(full, ==, c->frames);
    g_autofree char *lean = run_filter(path, c->decode, df, true);
    g_assert_cmpstr(lean, ==, c->frames);
}

static GPtrArray *
load_cases(const char *tsv)
{
    g_autofree char *text = NULL;
    g_autoptr(GError) error = NULL;
    g_file_get_contents(tsv, &text, NULL, &error);
    g_assert_no_error(error);
    GPtrArray *cases = g_ptr_array_new_with_free_func(case_free);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (**l == '\0' || **l == '#')
            continue;
        g_auto(GStrv) col = g_strsplit(*l, "\t", 5);
        g_assert_cmpuint(g_strv_length(col), >=, 3);
        Case *c = g_new0(Case, 1);
        c->capture = g_strdup(col[0]);
        c->filter = g_strdup(col[1]);
        c->frames = g_strdup(col[2]);
        c->needs = g_strdup(col[3] ? col[3] : "");
        c->decode = g_strdup(col[3] && col[4] ? col[4] : "");
        g_ptr_array_add(cases, c);
    }
    return cases;
}

/* ---- compile errors: message and the span under the caret ---- */

typedef struct {
    const char *filter;
    const char *message;
    uint32_t start, len;
} ErrorCase;

static const ErrorCase error_cases[] = {
    { "tcp.prot == 80", "unknown field \"tcp.prot\" (did you mean tcp.port?)", 0, 8 },
    { "foo", "\"foo\" is neither a field nor a protocol name", 0, 3 },
    { "tcp.port == 80 && ip.sorc == 1.2.3.4", "unknown field \"ip.sorc\" (did you mean ip.src?)",
            18, 7 },
    { "udp.port ==", "unexpected end of filter expression", 11, 1 },
    { "udp.port == 53 &&", "unexpected end of filter expression", 17, 1 },
    { "(udp.port == 53", "unexpected end of filter expression", 15, 1 },
    { "udp.port == 53)", "\")\" was unexpected in this context", 14, 1 },
    { "udp.port == 53 udp.port == 5", "\"udp.port\" was unexpected in this context", 15, 8 },
    { "udp.port == \"abc", "the closing quote is missing", 12, 4 },
    { "udp.port == 70000", "\"70000\" too big for udp.port, maximum 65535", 12, 5 },
    { "udp.port == 0x1ffff", "\"0x1ffff\" too big for udp.port, maximum 65535", 12, 7 },
    { "udp.port == 1.5", "\"1.5\" is not a valid number", 12, 3 },
    { "udp.port == \"53\"",
            "\"53\" is not a value name of udp.port, an unsigned integer (numbers go without "
            "quotes)",
            12, 4 },
    { "ip.src == 300.0.0.1",
            "\"300.0.0.1\" is not a valid IPv4 address (peel does not resolve names)", 10, 9 },
    { "ip.src == 10.0.0.0/33", "netmask bits in a CIDR IPv4 address should be <= 32, not 33", 10,
            11 },
    { "ipv6.src == ::1/129", "netmask bits in a CIDR IPv6 address should be <= 128, not 129", 12,
            7 },
    { "ipv6.src == fe80:::1",
            "\"fe80:::1\" is not a valid IPv6 address (peel does not resolve "
            "names)",
            12, 8 },
    { "eth.src == 00:00:00:00:00",
            "\"00:00:00:00:00\" contains too few bytes to be a valid "
            "Ethernet address",
            11, 14 },
    { "eth.src == \"00:00:00:00:00:00\"",
            "\"00:00:00:00:00:00\" cannot be read as a MAC address, the type of eth.src", 11, 19 },
    { "udp.port contains 53",
            "udp.port (an unsigned integer) cannot participate in contains comparison", 0, 8 },
    { "udp.port matches \"5\"",
            "udp.port (an unsigned integer) cannot participate in matches comparison", 0, 8 },
    { "frame.protocols matches \"(eth\"", "regular expression error: *", 24,
            6 }, /* GRegex words the rest */
    { "udp.port in {}", "\"}\" was unexpected in this context", 13, 1 },
    { "udp.port in {53 80}", "\"80\" was unexpected in this context", 16, 2 },
    { "udp.port in {10..}", "\"}\" was unexpected in this context", 17, 1 },
    { "lower(udp.port) == 53",
            "only string fields can be used as parameter for lower(); udp.port is an unsigned "
            "integer",
            6, 8 },
    { "len(udp.payload[0:2]) == 2", "only fields can be used as parameter for len()", 4, 16 },
    { "nosuch(udp.port)",
            "function 'nosuch' does not exist (known: len, count, lower, upper, string)", 0, 6 },
    { "len(udp.port", "unexpected end of filter expression", 12, 1 },
    { "udp.port[0:1] == 00",
            "udp.port (an unsigned integer) cannot be sliced into a sequence of bytes", 0, 8 },
    { "frame.protocols[a] == 00",
            "\"a\" is not a valid slice: use [i], [i:len], [i-j], [i:] or [:len]", 16, 1 },
    { "53 == udp.port", "left side of \"==\" expression must be a field or function, not 53", 0,
            2 },
    { "udp.srcport == ip.src", "udp.srcport and ip.src are not of compatible types", 15, 6 },
    { "ip.proto == udp", "ip.proto and udp are not of compatible types", 12, 3 },
    { "frame.time == 0",
            "\"0\" is not a valid absolute time. Example: \"Nov 12, 1999 08:55:44.123\" or "
            "\"2011-07-04 12:34:56\"",
            14, 1 },
    { "tcp.analysis.flags == 1",
            "tcp.analysis.flags is a label without a value: test it alone, without \"==\"", 0, 18 },
    { "udp.payload == \"\\q\"", "invalid escape sequence \\q", 16, 2 },
    { "udp.srcport == 'ab'", "a character constant holds one character", 15, 4 },
    { "all udp.port", "\"all\" needs a comparison operator", 0, 3 },
    { "all udp.port ~= 53", "\"all\" contradicts the operator \"~=\"", 0, 3 },
    { "udp.port not 53", "\"not\" was unexpected in this context", 9, 3 },
    { "ip.flags.df == true", "\"true\" is not a valid number", 15, 4 },
    { "udp.port == 53 || tcp.port = 80", "\"=\" was unexpected in this context", 27, 1 },
    { "\"abc\"", "\"\"abc\"\" is neither a field nor a protocol name", 0, 5 },
    { "udp.port & tcp.port", "the right side of \"&\" must be a literal value", 11, 8 },
    { "udp.port in {53, tcp.port}", "set members must be literal values", 17, 8 },
    { "udp.payload[1-0] == 00",
            "\"]\" is not a valid slice: use [i], [i:len], [i-j], [i:] or [:len]", 15, 1 },
    { "frame.number == 1 # x", "\"#\" was unexpected in this context", 18, 1 },
    { "len(tcp.payload) in {1, 2}", "only a field may be tested for membership in a set", 0, 16 },
};

static void
test_errors(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(error_cases); i++) {
        const ErrorCase *e = &error_cases[i];
        g_autoptr(GError) error = NULL;
        PeelDfilterLoc loc = { 999, 999 };
        g_autoptr(PeelDfilter) df = peel_dfilter_compile(e->filter, &loc, &error);
        g_test_message("%s", e->filter);
        g_assert_null(df);
        g_assert_nonnull(error);
        g_assert_true(error->domain == PEEL_DFILTER_ERROR);
        size_t n = strlen(e->message);
        if (n > 0 && e->message[n - 1] == '*')
            g_assert_true(strncmp(error->message, e->message, n - 1) == 0);
        else
            g_assert_cmpstr(error->message, ==, e->message);
        g_assert_cmpuint(loc.start, ==, e->start);
        g_assert_cmpuint(loc.len, ==, e->len);
    }
}

/* The text a user sees, with the caret under the unknown name. */
static void
test_error_caret(void)
{
    const char *text = "tcp.prot == 80";
    g_autoptr(GError) error = NULL;
    PeelDfilterLoc loc;
    g_autoptr(PeelDfilter) df = peel_dfilter_compile(text, &loc, &error);
    g_assert_null(df);
    g_autoptr(GString) out = g_string_new(NULL);
    peel_dfilter_format_error(out, "-Y", text, error, &loc, 4);
    g_assert_cmpstr(out->str, ==,
            "-Y 'tcp.prot == 80': unknown field \"tcp.prot\" (did you mean tcp.port?)\n"
            "    tcp.prot == 80\n"
            "    ^~~~~~~~\n");

    /* the caret counts characters, not bytes, and tabs keep their column */
    text = "tcp.flags.str == \"·\" &&\tfoo.bar";
    g_clear_error(&error);
    df = peel_dfilter_compile(text, &loc, &error);
    g_assert_null(df);
    g_string_truncate(out, 0);
    peel_dfilter_format_error(out, NULL, text, error, &loc, 0);
    g_assert_cmpstr(out->str, ==,
            "\"foo.bar\" is neither a field nor a protocol name\n"
            "tcp.flags.str == \"·\" && foo.bar\n"
            "                        ^~~~~~~\n");
}

static void
test_limits(void)
{
    g_autoptr(GError) error = NULL;
    PeelDfilterLoc loc;
    /* nesting */
    g_autoptr(GString) deep = g_string_new(NULL);
    for (int i = 0; i < 100; i++)
        g_string_append(deep, "(");
    g_string_append(deep, "tcp");
    for (int i = 0; i < 100; i++)
        g_string_append(deep, ")");
    PeelDfilter *df = peel_dfilter_compile(deep->str, &loc, &error);
    g_assert_null(df);
    g_assert_error(error, PEEL_DFILTER_ERROR, PEEL_DFILTER_ERROR_LIMIT);
    g_clear_error(&error);
    /* not-chains nest too */
    g_string_truncate(deep, 0);
    for (int i = 0; i < 1000; i++)
        g_string_append(deep, "!");
    g_string_append(deep, "tcp");
    df = peel_dfilter_compile(deep->str, &loc, &error);
    g_assert_null(df);
    g_assert_error(error, PEEL_DFILTER_ERROR, PEEL_DFILTER_ERROR_LIMIT);
    g_clear_error(&error);
    /* a long text */
    g_autofree char *huge = g_strnfill(PEEL_DFILTER_MAX_TEXT + 1, ' ');
    df = peel_dfilter_compile(huge, &loc, &error);
    g_assert_null(df);
    g_assert_error(error, PEEL_DFILTER_ERROR, PEEL_DFILTER_ERROR_LIMIT);
    g_clear_error(&error);
    /* functions nest too */
    g_string_truncate(deep, 0);
    for (int i = 0; i < 100; i++)
        g_string_append(deep, "len(");
    df = peel_dfilter_compile(deep->str, &loc, &error);
    g_assert_null(df);
    g_assert_error(error, PEEL_DFILTER_ERROR, PEEL_DFILTER_ERROR_LIMIT);
    g_clear_error(&error);
    /* a long chain is flat, not deep: 2500 terms compile */
    g_string_truncate(deep, 0);
    for (int i = 0; i < 2500; i++)
        g_string_append_printf(deep, "%stcp.port == %d", i ? " || " : "", i);
    df = peel_dfilter_compile(deep->str, &loc, &error);
    g_assert_no_error(error);
    peel_dfilter_free(df);
    /* 60 levels is fine */
    g_string_truncate(deep, 0);
    for (int i = 0; i < 60; i++)
        g_string_append(deep, "(");
    g_string_append(deep, "tcp");
    for (int i = 0; i < 60; i++)
        g_string_append(deep, ")");
    df = peel_dfilter_compile(deep->str, &loc, &error);
    g_assert_no_error(error);
    peel_dfilter_free(df);
}

static void
test_empty_and_protos(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(PeelDfilter) empty = peel_dfilter_compile("  ", NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(peel_dfilter_text(empty), ==, "  ");
    g_autofree bool *protos = g_new0(bool, peel_registry_n_protos());
    peel_dfilter_protos(empty, protos);
    for (uint32_t i = 0; i < peel_registry_n_protos(); i++)
        g_assert_false(protos[i]);

    g_autoptr(PeelDfilter) df = peel_dfilter_compile(
            "tcp.port == 80 || len(udp.payload) > 3 || frame[0] & 1", NULL, &error);
    g_assert_no_error(error);
    peel_dfilter_protos(df, protos);
    g_assert_true(protos[peel_registry_proto_lookup("tcp")]);
    g_assert_true(protos[peel_registry_proto_lookup("udp")]);
    g_assert_true(protos[peel_registry_proto_lookup("frame")]);
    g_assert_false(protos[peel_registry_proto_lookup("ip")]);
    g_assert_false(protos[peel_registry_proto_lookup("eth")]);
}

/* ---- the peel command: -Y, -2 with -R, -w ---- */

static bool
have_peel(void)
{
    if (g_getenv("PEEL") == NULL) {
        g_test_skip("PEEL is not set (run through meson test)");
        return false;
    }
    return true;
}

/* The frame numbers of `peel ARGS -T fields -e frame.number`, comma-joined. */
static char *
kept_by_peel(const char *const *args)
{
    g_autoptr(GPtrArray) a = g_ptr_array_new();
    for (const char *const *p = args; *p; p++)
        g_ptr_array_add(a, (gpointer)*p);
    const char *tail[] = { "-T", "fields", "-e", "frame.number", NULL };
    for (const char **p = tail; *p; p++)
        g_ptr_array_add(a, (gpointer)*p);
    g_ptr_array_add(a, NULL);
    PeelRun r = peel_run((const char *const *)a->pdata);
    g_assert_cmpint(r.status, ==, 0);
    g_strchomp(r.out);
    g_strdelimit(r.out, "\n", ',');
    char *kept = g_strdup(r.out[0] ? r.out : "-");
    peel_run_clear(&r);
    return kept;
}

/* Frame numbers of summary lines (the first column). */
static char *
summary_frames(const char *out)
{
    g_autoptr(GString) s = g_string_new(NULL);
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    for (char **l = lines; *l; l++) {
        guint64 n = g_ascii_strtoull(*l, NULL, 10);
        if (n > 0)
            g_string_append_printf(s, "%s%" G_GUINT64_FORMAT, s->len ? "," : "", n);
    }
    return g_strdup(s->len ? s->str : "-");
}

static void
test_cli_display_filter(void)
{
    if (!have_peel())
        return;
    g_autofree char *lossy = g_build_filename(root, "samples", "tcp-lossy.pcap", NULL);
    /* tshark -r tcp-lossy.pcap -Y tcp.analysis.retransmission */
    const char *want = "34,60,74,98,112,412,414";
    g_autofree char *fields = kept_by_peel(
            (const char *[]){ "-r", lossy, "-Y", "tcp.analysis.retransmission", NULL });
    g_assert_cmpstr(fields, ==, want);
    /* summary lines: the fast path records only TCP's fields */
    PeelRun r =
            peel_run((const char *[]){ "-r", lossy, "-Y", "tcp.analysis.retransmission", NULL });
    g_assert_cmpint(r.status, ==, 0);
    g_autofree char *lines = summary_frames(r.out);
    g_assert_cmpstr(lines, ==, want);
    peel_run_clear(&r);
    /* -V and JSON see the same frames */
    r = peel_run(
            (const char *[]){ "-r", lossy, "-Y", "frame.number in {3, 5}", "-T", "json", NULL });
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.out, "\"frame.number\": \"3\""));
    g_assert_nonnull(strstr(r.out, "\"frame.number\": \"5\""));
    g_assert_null(strstr(r.out, "\"frame.number\": \"4\""));
    peel_run_clear(&r);
    /* with --frame, only the chosen frames that pass */
    g_autofree char *sel = kept_by_peel(
            (const char *[]){ "-r", lossy, "--frame", "30-40", "-Y", "tcp.analysis.flags", NULL });
    g_assert_cmpstr(sel, ==, "34,35");
}

static void
test_cli_two_pass(void)
{
    if (!have_peel())
        return;
    g_autofree char *frag = g_build_filename(root, "samples", "ipv4-frag-udp.pcap", NULL);
    /* One pass: a fragment does not know yet where it is reassembled (tshark -Y). */
    g_autofree char *one =
            kept_by_peel((const char *[]){ "-r", frag, "-Y", "ip.reassembled_in", NULL });
    g_assert_cmpstr(one, ==, "-");
    /* Two passes: it does (tshark -2 -Y), in summary and fields output alike. */
    const char *want = "1,2,4,5,7,8,10,11,13,14,16,17";
    g_autofree char *two =
            kept_by_peel((const char *[]){ "-r", frag, "-2", "-Y", "ip.reassembled_in", NULL });
    g_assert_cmpstr(two, ==, want);
    PeelRun r = peel_run((const char *[]){ "-r", frag, "-2", "-Y", "ip.reassembled_in", NULL });
    g_assert_cmpint(r.status, ==, 0);
    g_autofree char *lines = summary_frames(r.out);
    g_assert_cmpstr(lines, ==, want);
    peel_run_clear(&r);
    /* -R filters the first pass, where the back links are not known (tshark -2 -R) */
    g_autofree char *read =
            kept_by_peel((const char *[]){ "-r", frag, "-2", "-R", "ip.reassembled_in", NULL });
    g_assert_cmpstr(read, ==, "-");
    g_autofree char *both = kept_by_peel((const char *[]){
            "-r", frag, "-2", "-R", "udp || icmp", "-Y", "frame.number > 6", NULL });
    g_assert_cmpstr(both, ==, "9,12,15,18");
    /* tcp-multi: the reassembled response links back from its first segment */
    g_autofree char *multi = g_build_filename(root, "samples", "tcp-multi.pcap", NULL);
    g_autofree char *tcp =
            kept_by_peel((const char *[]){ "-r", multi, "-2", "-Y", "tcp.reassembled_in", NULL });
    if (peel_registry_proto_lookup("http") >= 0)
        g_assert_cmpstr(tcp, ==, "6,18,30,42");
}

static void
test_cli_write(void)
{
    if (!have_peel())
        return;
    g_autofree char *ping = g_build_filename(root, "samples", "icmp-ping.pcap", NULL);
    g_autofree char *dir = g_dir_make_tmp("peel-dfilter-XXXXXX", NULL);
    g_assert_nonnull(dir);
    g_autofree char *out = g_build_filename(dir, "requests.pcap", NULL);
    PeelRun r = peel_run((const char *[]){ "-r", ping, "-Y", "icmp.type == 8", "-w", out, NULL });
    g_assert_cmpint(r.status, ==, 0);
    g_assert_cmpstr(r.out, ==, "");
    peel_run_clear(&r);
    r = peel_run((const char *[]){
            "-r", out, "-T", "fields", "-e", "icmp.seq", "-e", "frame.len", NULL });
    g_assert_cmpint(r.status, ==, 0);
    g_assert_cmpstr(r.out, ==, "1\t98\n2\t98\n3\t98\n4\t98\n");
    peel_run_clear(&r);
    /* two-pass writes what the second pass keeps */
    r = peel_run((const char *[]){ "-r", ping, "-2", "-Y", "icmp.resp_to", "-w", out, NULL });
    g_assert_cmpint(r.status, ==, 0);
    peel_run_clear(&r);
    g_autofree char *replies =
            kept_by_peel((const char *[]){ "-r", out, "-Y", "icmp.type == 0", NULL });
    g_assert_cmpstr(replies, ==, "1,2,3,4");
    g_remove(out);
    g_rmdir(dir);
}

static void
test_cli_errors(void)
{
    if (!have_peel())
        return;
    g_autofree char *ping = g_build_filename(root, "samples", "icmp-ping.pcap", NULL);
    PeelRun r = peel_run((const char *[]){ "-r", ping, "-Y", "tcp.prot == 80", NULL });
    g_assert_cmpint(r.status, ==, 2);
    g_assert_cmpstr(r.err, ==,
            "peel: -Y 'tcp.prot == 80': unknown field \"tcp.prot\" (did you mean tcp.port?)\n"
            "    tcp.prot == 80\n"
            "    ^~~~~~~~\n");
    g_assert_cmpstr(r.out, ==, "");
    peel_run_clear(&r);
    r = peel_run((const char *[]){ "-r", ping, "-2", "-R", "icmp.type == ", NULL });
    g_assert_cmpint(r.status, ==, 2);
    g_assert_cmpstr(r.err, ==,
            "peel: -R 'icmp.type == ': unexpected end of filter expression\n"
            "    icmp.type == \n"
            "                 ^\n");
    peel_run_clear(&r);
    /* -R belongs to a two-pass read */
    r = peel_run((const char *[]){ "-r", ping, "-R", "icmp", NULL });
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "-R needs -2"));
    peel_run_clear(&r);
    r = peel_run((const char *[]){ "-i", "lo", "-2", "-c", "1", NULL });
    g_assert_cmpint(r.status, ==, 2);
    g_assert_true(g_str_has_prefix(r.err, "peel: "));
    peel_run_clear(&r);
}

int
main(int argc, char **argv)
{
    /* Absolute-time literals are local time, as in tshark; the table was made in UTC. */
    g_setenv("TZ", "UTC", TRUE);
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions(); /* report every case that disagrees, not the first */
    peel_registry_init();
    root = g_getenv("PEEL_SOURCE_ROOT");
    if (root == NULL)
        root = g_test_get_dir(G_TEST_DIST)
                       ? g_build_filename(g_test_get_dir(G_TEST_DIST), "..", NULL)
                       : ".";
    const char *shared_env = g_getenv("PEEL_SHARED_DIR");
    g_autofree char *shared =
            shared_env ? g_strdup(shared_env) : g_build_filename(root, "..", "shared", NULL);
    shared_root = g_build_filename(shared, "captures", "public", NULL);

    g_test_add_func("/dfilter/errors", test_errors);
    g_test_add_func("/dfilter/error-caret", test_error_caret);
    g_test_add_func("/dfilter/limits", test_limits);
    g_test_add_func("/dfilter/empty-and-protos", test_empty_and_protos);
    g_test_add_func("/dfilter/cli/display-filter", test_cli_display_filter);
    g_test_add_func("/dfilter/cli/two-pass", test_cli_two_pass);
    g_test_add_func("/dfilter/cli/write", test_cli_write);
    g_test_add_func("/dfilter/cli/errors", test_cli_errors);

    known = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_autofree char *known_tsv = g_build_filename(root, "tests", "dfilter-known.tsv", NULL);
    g_autofree char *known_text = NULL;
    if (g_file_get_contents(known_tsv, &known_text, NULL, NULL)) {
        g_auto(GStrv) lines = g_strsplit(known_text, "\n", -1);
        for (char **l = lines; *l; l++) {
            g_auto(GStrv) col = g_strsplit(*l, "\t", 3);
            if (**l != '#' && g_strv_length(col) == 3)
                g_hash_table_insert(
                        known, g_strdup_printf("%s\t%s", col[0], col[1]), g_strdup(col[2]));
        }
    }
    g_autofree char *tsv = g_build_filename(root, "tests", "dfilter-cases.tsv", NULL);
    g_autoptr(GPtrArray) cases = load_cases(tsv);
    for (guint i = 0; i < cases->len; i++) {
        Case *c = cases->pdata[i];
        g_autofree char *path = g_strdup_printf("/dfilter/case/%03u", i + 1);
        g_test_add_data_func(path, c, test_case);
    }
    int rc = g_test_run();
    g_hash_table_destroy(known);
    g_free(shared_root);
    return rc;
}
