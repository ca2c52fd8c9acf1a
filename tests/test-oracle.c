/* test-oracle.c: peel -T fields against tshark's reference TSVs, field by field.
 *
 * Every capture with a reference (samples/expected/ *.tsv, and the public corpus in
 * ../shared/captures/public/expected/ when it is there) is one test case. The fields
 * compared are those of the reference's header that belong to the layers peel claims to
 * match (COMPARED below); each difference fails the case unless tests/oracle-known.tsv
 * lists it (capture, field, reason). With PEEL_ORACLE_REPORT=FILE the per-field agreement
 * is appended to FILE. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "registry.h"

/* Fields with Wireshark's meaning that peel must print identically. */
static const char *const COMPARED[] = {
    "frame.number", "frame.len", "frame.cap_len", "frame.encap_type", "frame.interface_id",
    "frame.interface_name", "frame.time_epoch", "frame.comment", "eth.src", "eth.dst",
    "eth.type", "vlan.id", "vlan.etype", "ieee8021ad.id", "sll.pkttype", "sll.ltype",
    "sll.ifindex", "null.family", "ip.src", "ip.dst", "ip.id", "ip.flags.df", "ip.flags.mf",
    "ip.frag_offset", "ipv6.src", "ipv6.dst", "ipv6.fraghdr.ident", "ipv6.fraghdr.offset",
    "ipv6.fraghdr.more", "tcp.srcport", "tcp.dstport", "tcp.flags.str", "tcp.len",
    "tcp.window_size_value", "tcp.stream", "tcp.seq", "tcp.ack", "tcp.window_size",
    "tcp.analysis.retransmission", "tcp.analysis.fast_retransmission",
    "tcp.analysis.spurious_retransmission", "tcp.analysis.out_of_order",
    "tcp.analysis.lost_segment", "tcp.analysis.duplicate_ack", "tcp.analysis.zero_window",
    "tcp.analysis.zero_window_probe", "tcp.analysis.window_full", "tcp.analysis.window_update",
    "tcp.analysis.keep_alive", "udp.srcport", "udp.dstport", "udp.stream", "http.request",
    "http.response", "http.request.method", "http.request.uri", "http.request.version",
    "http.request.full_uri", "http.host", "http.user_agent", "http.accept",
    "http.content_type", "http.content_length_header", "http.content_length",
    "http.transfer_encoding", "http.content_encoding", "http.connection", "http.upgrade",
    "http.cookie", "http.set_cookie", "http.authorization", "http.response.code",
    "http.response.phrase", "http.response.version", "http.server", "http.location",
    "http.chunk_size", "http.file_data", "http.request.line", "http.response.line",
    "http.response_in", "http.request_in", "http.time", "http.prev_request_in",
    "http.next_request_in", "http.prev_response_in", "http.response_for.uri", "websocket.fin",
    "websocket.rsv", "websocket.pmc", "websocket.opcode", "websocket.mask",
    "websocket.payload_length", "websocket.payload_length_ext_16",
    "websocket.payload_length_ext_64", "websocket.masking_key", "websocket.payload.text",
    "websocket.payload.close.status_code", "websocket.payload.close.reason",
    "websocket.payload.ping", "websocket.payload.pong", "websocket.fragment",
    "websocket.fragment.count", "websocket.reassembled.length", "websocket.payload.continue",
    "amqp.init.protocol", "amqp.init.id_major", "amqp.init.id_minor",
    "amqp.init.version_major", "amqp.init.version_minor", "amqp.type", "amqp.channel",
    "amqp.length", "amqp.method.class", "amqp.method.method", "amqp.method.arguments.exchange",
    "amqp.method.arguments.routing_key", "amqp.method.arguments.queue",
    "amqp.method.arguments.consumer_tag", "amqp.method.arguments.delivery_tag",
    "amqp.header.body-size", "amqp.payload", "stun.type", "stun.type.class",
    "stun.type.method", "stun.length", "stun.cookie", "stun.id", "stun.channel",
    "stun.att.type", "stun.att.length", "stun.att.family", "stun.att.ipv4", "stun.att.port",
    "stun.att.ipv4-xord", "stun.att.port-xord", "stun.att.username", "stun.att.realm",
    "stun.att.nonce", "stun.att.error.class", "stun.att.error", "stun.att.error.reason",
    "stun.att.crc32", "stun.att.crc32.status", "stun.att.lifetime", "stun.att.channelnum",
    "stun.att.software", "stun.att.transp", "stun.att.hmac", "stun.att.padding",
    "stun.response-in", "stun.response-to", "stun.time", "stun.reqduplicate", "stun.value",
    "stun.att.reserved", "stun.att.type.comprehension", "stun.att.type.assignment",
    "stun.type.method-assignment", "stun.network_version", "stun.attribute",
    "classicstun.type", "classicstun.id", "classicstun.att.type", "classicstun.att.port",
    "classicstun.att.ipv4", "classicstun.att.change.ip", "classicstun.att.change.port",
    "classicstun.response_in", "classicstun.response_to", "classicstun.time", "amqp.field",
    "amqp.field.byte_array", "amqp.field.timestamp", "amqp.header.class",
    "amqp.header.properties", "amqp.header.property-flags", "amqp.header.weight",
    "amqp.init.id", "amqp.init.version_revision", "amqp.message_in", "amqp.method.arguments",
    "amqp.method.arguments.active", "amqp.method.arguments.arguments",
    "amqp.method.arguments.auto_delete", "amqp.method.arguments.capabilities",
    "amqp.method.arguments.challenge", "amqp.method.arguments.channel_id",
    "amqp.method.arguments.channel_max", "amqp.method.arguments.class_id",
    "amqp.method.arguments.client_properties", "amqp.method.arguments.cluster_id",
    "amqp.method.arguments.consumer_count", "amqp.method.arguments.destination",
    "amqp.method.arguments.durable", "amqp.method.arguments.exclusive",
    "amqp.method.arguments.filter", "amqp.method.arguments.frame_max",
    "amqp.method.arguments.global", "amqp.method.arguments.heartbeat",
    "amqp.method.arguments.host", "amqp.method.arguments.if_empty",
    "amqp.method.arguments.if_unused", "amqp.method.arguments.immediate",
    "amqp.method.arguments.insist", "amqp.method.arguments.internal",
    "amqp.method.arguments.known_hosts", "amqp.method.arguments.locale",
    "amqp.method.arguments.locales", "amqp.method.arguments.mandatory",
    "amqp.method.arguments.mechanism", "amqp.method.arguments.mechanisms",
    "amqp.method.arguments.message_count", "amqp.method.arguments.method_id",
    "amqp.method.arguments.multiple", "amqp.method.arguments.no_ack",
    "amqp.method.arguments.no_local", "amqp.method.arguments.nowait",
    "amqp.method.arguments.out_of_band", "amqp.method.arguments.passive",
    "amqp.method.arguments.prefetch_count", "amqp.method.arguments.prefetch_size",
    "amqp.method.arguments.publish_number", "amqp.method.arguments.read",
    "amqp.method.arguments.realm", "amqp.method.arguments.reason",
    "amqp.method.arguments.redelivered", "amqp.method.arguments.reply_code",
    "amqp.method.arguments.reply_text", "amqp.method.arguments.virtual_host",
    "amqp.method.properties.content_type", "amqp.method.properties.content_encoding",
    "amqp.method.properties.delivery_mode", "amqp.method.properties.priority",
    "amqp.method.properties.correlation_id", "amqp.method.properties.reply_to",
    "amqp.method.properties.expiration", "amqp.method.properties.message_id",
    "amqp.method.properties.timestamp", "amqp.method.properties.type",
    "amqp.method.properties.user_id", "amqp.method.properties.app_id", "http2.streamid",
    "http2.type", "http2.flags", "http2.length", "http2.headers.method", "http2.headers.path",
    "http2.headers.authority", "http2.headers.status", "http2.headers.content_type",
    "grpc.compressed_flag", "grpc.message_length", "amqp.method.arguments.requeue",
    "amqp.method.arguments.response", "amqp.method.arguments.server_properties",
    "amqp.method.arguments.source", "amqp.method.arguments.ticket",
    "amqp.method.arguments.type", "amqp.method.arguments.version_major",
    "amqp.method.arguments.version_minor", "amqp.method.arguments.write",
    "amqp.method.properties.cluster_id", "amqp.method.properties.headers", "http2.header.name",
    "http2.header.value", "http2.header.count", "http2.header.length", "http2.settings.id",
    "http2.window_update.window_size_increment", "http2.flags.end_stream",
    "http2.rst_stream.error", "http2.goaway.error", "http2.data.data", "grpc.frame_type",
    "grpc.message_data",
};

typedef struct {
    char *capture;  /* path of the capture */
    char *tsv;      /* path of its reference */
    char *label;    /* as named in oracle-known.tsv: "samples/x.pcap", "zeek/y.pcap" */
    char *decode_as; /* -d rules from the reference command, or NULL */
} OracleCase;

static GHashTable *known;   /* "label\tfield" and "label\t*" -> reason */
static GHashTable *decodes; /* label -> -d rule (from COMMANDS.md) */
static const char *peel_path;
static GString *report;

static gboolean
is_compared(const char *field)
{
    for (gsize i = 0; i < G_N_ELEMENTS(COMPARED); i++)
        if (strcmp(COMPARED[i], field) == 0)
            return TRUE;
    return FALSE;
}

static const char *
known_reason(const char *label, const char *field)
{
    g_autofree char *k1 = g_strdup_printf("%s\t%s", label, field);
    g_autofree char *k2 = g_strdup_printf("%s\t*", label);
    const char *r = g_hash_table_lookup(known, k1);
    return r ? r : g_hash_table_lookup(known, k2);
}

static void
load_known(const char *path)
{
    known = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_autofree char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, NULL))
        return;
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (**l == '#' || **l == '\0')
            continue;
        g_auto(GStrv) cols = g_strsplit(*l, "\t", 3);
        if (g_strv_length(cols) < 3)
            g_error("%s: line \"%s\" needs capture<TAB>field<TAB>reason", path, *l);
        g_hash_table_insert(known, g_strdup_printf("%s\t%s", cols[0], cols[1]),
                g_strdup(cols[2]));
    }
}

/* COMMANDS.md names the -d rule used for each reference: keep peel's run identical. */
static void
load_decodes(const char *commands_md)
{
    decodes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_autofree char *text = NULL;
    if (!g_file_get_contents(commands_md, &text, NULL, NULL))
        return;
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (!g_str_has_prefix(*l, "../../tools/oracle.sh "))
            continue;
        g_auto(GStrv) words = g_strsplit(*l, " ", -1);
        GString *rules = g_string_new(NULL);
        const char *capture = NULL;
        for (guint i = 1; words[i]; i++) {
            const char *w = words[i];
            if (strcmp(w, ">") == 0)
                break;
            if (strchr("egdHo", w[0] == '-' ? w[1] : '\0') != NULL && w[1] && !w[2] &&
                    words[i + 1] != NULL) {
                if (w[1] == 'd')
                    g_string_append_printf(rules, "%s%s", rules->len ? " " : "", words[i + 1]);
                i++;
            } else if (w[0] != '-') {
                capture = w;
            }
        }
        if (capture != NULL && rules->len)
            g_hash_table_insert(decodes, g_strdup(capture), g_string_free(rules, FALSE));
        else
            g_string_free(rules, TRUE);
    }
}

static void
oracle_case_free(gpointer data)
{
    OracleCase *c = data;
    g_free(c->capture);
    g_free(c->tsv);
    g_free(c->label);
    g_free(c->decode_as);
    g_free(c);
}

static void
run_case(gconstpointer data)
{
    const OracleCase *c = data;
    g_autofree char *ref = NULL;
    g_assert_true(g_file_get_contents(c->tsv, &ref, NULL, NULL));
    g_auto(GStrv) ref_lines = g_strsplit(ref, "\n", -1);
    if (ref_lines[0] == NULL || ref_lines[0][0] == '\0') {
        g_test_skip("tshark could not read this capture (empty reference)");
        return;
    }
    g_auto(GStrv) header = g_strsplit(ref_lines[0], "\t", -1);
    guint ncols = g_strv_length(header);
    const char *why_all = known_reason(c->label, "*");

    /* Columns compared, and the peel command that prints them. */
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_ptr_array_add(argv, (gpointer)peel_path);
    g_ptr_array_add(argv, "-r");
    g_ptr_array_add(argv, c->capture);
    g_auto(GStrv) rules = c->decode_as ? g_strsplit(c->decode_as, " ", -1) : NULL;
    for (char **r = rules; r && *r; r++) {
        const char *proto = strrchr(*r, ',');
        if (proto == NULL || peel_registry_proto_lookup(proto + 1) < 0) {
            g_test_message("%s: -d %s names a protocol peel does not have yet", c->label, *r);
            continue;
        }
        g_ptr_array_add(argv, "-d");
        g_ptr_array_add(argv, *r);
    }
    g_ptr_array_add(argv, "-T");
    g_ptr_array_add(argv, "fields");
    g_autoptr(GArray) cols = g_array_new(FALSE, FALSE, sizeof(guint));
    for (guint i = 0; i < ncols; i++) {
        if (!is_compared(header[i]))
            continue;
        if (peel_field_lookup(header[i]) < 0) {
            g_test_message("%s: peel has no field %s yet", c->label, header[i]);
            continue;
        }
        g_array_append_val(cols, i);
        g_ptr_array_add(argv, "-e");
        g_ptr_array_add(argv, header[i]);
    }
    g_ptr_array_add(argv, NULL);
    if (cols->len == 0) {
        g_test_skip("no compared field in this reference");
        return;
    }

    g_autofree char *out = NULL, *err = NULL;
    int status = 0;
    g_autoptr(GError) error = NULL;
    const char *envp_tz[] = { "TZ=UTC", NULL };
    g_assert_true(g_spawn_sync(NULL, (char **)argv->pdata, (char **)envp_tz, 0, NULL, NULL,
            &out, &err, &status, &error));
    g_assert_no_error(error);
    /* A crash is never a known difference. */
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), <=, 1);

    g_auto(GStrv) got_lines = g_strsplit(out, "\n", -1);
    guint n_ref = g_strv_length(ref_lines) - 1, n_got = g_strv_length(got_lines);
    while (n_ref > 0 && ref_lines[n_ref][0] == '\0')
        n_ref--;
    while (n_got > 0 && got_lines[n_got - 1][0] == '\0')
        n_got--;
    guint failures = 0;
    if (n_got != n_ref) {
        const char *why = why_all ? why_all : known_reason(c->label, "frames");
        g_test_message("%s: peel printed %u frames, tshark %u%s%s (stderr: %s)", c->label,
                n_got, n_ref, why ? "; known: " : "", why ? why : "", err);
        if (why == NULL)
            failures++;
    }
    guint n = MIN(n_got, n_ref);
    g_autofree guint *agree = g_new0(guint, cols->len);
    g_autofree guint *differ = g_new0(guint, cols->len);
    for (guint row = 0; row < n; row++) {
        g_auto(GStrv) want = g_strsplit(ref_lines[row + 1], "\t", -1);
        g_auto(GStrv) got = g_strsplit(got_lines[row], "\t", -1);
        guint nwant = g_strv_length(want), ngot = g_strv_length(got);
        for (guint k = 0; k < cols->len; k++) {
            guint ci = g_array_index(cols, guint, k);
            const char *w = ci < nwant ? want[ci] : "";
            const char *g = k < ngot ? got[k] : "";
            if (strcmp(w, g) == 0) {
                agree[k]++;
                continue;
            }
            differ[k]++;
            const char *why = why_all ? why_all : known_reason(c->label, header[ci]);
            if (differ[k] <= 3)
                g_test_message("%s: frame %u: %s: tshark \"%s\", peel \"%s\"%s%s", c->label,
                        row + 1, header[ci], w, g, why ? "; known: " : "", why ? why : "");
            if (why == NULL)
                failures++;
        }
    }
    for (guint k = 0; k < cols->len && report != NULL; k++)
        g_string_append_printf(report, "%s\t%s\t%u\t%u\n", c->label,
                header[g_array_index(cols, guint, k)], agree[k], differ[k]);
    if (failures > 0)
        g_test_fail_printf("%s: %u unexplained differences with tshark (see messages)",
                c->label, failures);
}

static void
add_cases(const char *capture_root, const char *expected_root, const char *label_prefix,
        GPtrArray *cases)
{
    g_autoptr(GPtrArray) dirs = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(dirs, g_strdup(""));
    for (guint d = 0; d < dirs->len; d++) {
        const char *rel = g_ptr_array_index(dirs, d);
        g_autofree char *dirpath = g_build_filename(expected_root, rel, NULL);
        g_autoptr(GDir) dir = g_dir_open(dirpath, 0, NULL);
        if (dir == NULL)
            continue;
        g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
        const char *name;
        while ((name = g_dir_read_name(dir)) != NULL)
            g_ptr_array_add(names, g_strdup(name));
        g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
        for (guint i = 0; i < names->len; i++) {
            name = g_ptr_array_index(names, i);
            g_autofree char *sub = g_build_filename(rel, name, NULL);
            g_autofree char *full = g_build_filename(expected_root, sub, NULL);
            if (g_file_test(full, G_FILE_TEST_IS_DIR)) {
                g_ptr_array_add(dirs, g_steal_pointer(&sub));
                continue;
            }
            if (!g_str_has_suffix(name, ".tsv"))
                continue;
            OracleCase *c = g_new0(OracleCase, 1);
            g_autofree char *cap_rel = g_strndup(sub, strlen(sub) - 4);
            c->capture = g_build_filename(capture_root, cap_rel, NULL);
            /* samples/expected/NAME.tsv may omit the capture's extension */
            for (const char *const *ext = (const char *const[]){ ".pcap", ".pcapng", NULL };
                    *ext && !g_file_test(c->capture, G_FILE_TEST_EXISTS); ext++) {
                g_free(c->capture);
                c->capture = g_strdup_printf("%s/%s%s", capture_root, cap_rel, *ext);
                char *with_ext = g_strconcat(cap_rel, *ext, NULL);
                g_free(cap_rel);
                cap_rel = with_ext;
            }
            c->tsv = g_strdup(full);
            c->label = g_strdup_printf("%s%s", label_prefix, cap_rel);
            c->decode_as = g_strdup(g_hash_table_lookup(decodes, cap_rel));
            if (!g_file_test(c->capture, G_FILE_TEST_EXISTS)) {
                g_free(c->capture);
                g_free(c->tsv);
                g_free(c->label);
                g_free(c->decode_as);
                g_free(c);
                continue;
            }
            g_ptr_array_add(cases, c);
        }
    }
}

static void
skip_public(void)
{
    g_test_skip("../shared/captures/public is absent (set PEEL_SHARED_DIR): public corpus "
                "not compared");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    peel_registry_init();
    const char *root = g_getenv("PEEL_SOURCE_ROOT");
    peel_path = g_getenv("PEEL");
    g_assert_nonnull(root);
    g_assert_nonnull(peel_path);
    const char *shared_env = g_getenv("PEEL_SHARED_DIR");
    g_autofree char *shared =
            shared_env ? g_strdup(shared_env) : g_build_filename(root, "..", "shared", NULL);
    g_autofree char *public_root = g_build_filename(shared, "captures", "public", NULL);
    g_autofree char *public_expected = g_build_filename(public_root, "expected", NULL);
    g_autofree char *commands = g_build_filename(public_expected, "COMMANDS.md", NULL);
    g_autofree char *known_path = g_build_filename(root, "tests", "oracle-known.tsv", NULL);
    g_autofree char *samples = g_build_filename(root, "samples", NULL);
    g_autofree char *samples_expected = g_build_filename(samples, "expected", NULL);
    load_known(known_path);
    load_decodes(commands);
    const char *report_path = g_getenv("PEEL_ORACLE_REPORT");
    if (report_path != NULL)
        report = g_string_new(NULL);

    g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func(oracle_case_free);
    add_cases(samples, samples_expected, "samples/", cases);
    guint n_samples = cases->len;
    add_cases(public_root, public_expected, "", cases);
    for (guint i = 0; i < cases->len; i++) {
        OracleCase *c = g_ptr_array_index(cases, i);
        g_autofree char *path = g_strdup_printf("/oracle/%s%s",
                i < n_samples ? "" : "public/", c->label);
        g_test_add_data_func(path, c, run_case);
    }
    if (!g_file_test(public_expected, G_FILE_TEST_IS_DIR))
        g_test_add_func("/oracle/public", skip_public);
    int rc = g_test_run();
    if (report != NULL) {
        g_file_set_contents(report_path, report->str, (gssize)report->len, NULL);
        g_string_free(report, TRUE);
    }
    g_hash_table_destroy(known);
    g_hash_table_destroy(decodes);
    return rc;
}
