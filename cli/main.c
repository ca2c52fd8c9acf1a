/* main.c: the `peel` command: read or capture frames, dissect, print as tshark does. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dfilter.h"
#include "dissector.h"
#include "end-notes.h"
#include "frame-index.h"
#include "output.h"
#include "parallel.h"
#include "peel-config.h"
#include "protobuf.h"
#include "registry.h"
#include "source.h"
#include "stats.h"
#include "writer.h"

typedef struct {
    char *read_file;
    char *iface;
    gboolean list_ifaces;
    int snaplen;
    gboolean no_promisc;
    char *capture_filter;
    int count;
    char **autostop;
    char *write_file;
    char *frames;
    char *display_filter; /* -Y */
    char *read_filter;    /* -R */
    gboolean two_pass;    /* -2 */
    gboolean verbose;
    gboolean hex;
    char *format;
    char **fields;
    char **field_opts;
    char *glossary;
    gboolean quiet;
    gboolean no_resolve;
    gboolean line_buffered;
    gboolean print_summary;
    char **decode_as;
    char **disabled_protos; /* --disable-protocol */
    char **stats;
    char **exports;
    char *stun_credentials;
    char **prefs;
    char **proto_descriptors;
    char *json_protos;      /* -j */
    char *json_protos_all;  /* -J */
    gboolean color;
    gboolean version;
    int threads; /* --threads: dissecting threads for -r; 0: one per core */
} Options;

/* Frees what GOption filled in; runs on every return from main (cleanup attribute). */
static void
options_clear(Options *o)
{
    g_strfreev(o->fields);
    g_strfreev(o->field_opts);
    g_strfreev(o->decode_as);
    g_strfreev(o->disabled_protos);
    g_strfreev(o->prefs);
    g_strfreev(o->proto_descriptors);
    g_strfreev(o->stats);
    g_strfreev(o->exports);
    g_free(o->stun_credentials);
    g_strfreev(o->autostop);
    g_free(o->read_file);
    g_free(o->iface);
    g_free(o->capture_filter);
    g_free(o->write_file);
    g_free(o->frames);
    g_free(o->display_filter);
    g_free(o->read_filter);
    g_free(o->format);
    g_free(o->glossary);
    g_free(o->json_protos);
    g_free(o->json_protos_all);
}

static PeelSource *volatile live_source;

static void
on_signal(int sig)
{
    (void)sig;
    if (live_source != NULL)
        peel_source_break(live_source);
}

static void
on_alarm(int sig)
{
    on_signal(sig);
}

static const char summary_text[] =
        "Reads capture files or live interfaces and dissects HTTP, WebSocket, HTTP/2, gRPC,\n"
        "AMQP and STUN/TURN down to Ethernet, with tshark's flags and field names.";

static const char examples_text[] =
        "Examples:\n"
        "  peel -r capture.pcapng\n"
        "  peel -r capture.pcapng -V --frame 7\n"
        "  peel -r capture.pcap -Y 'tcp.len > 0 && !tcp.analysis.retransmission'\n"
        "  peel -r capture.pcap -2 -Y 'tcp.stream == 0' -T fields -e frame.number -e tcp.ack\n"
        "  peel -r capture.pcap -T fields -E header=y -e frame.number -e ip.src -e tcp.srcport\n"
        "  peel -r capture.pcap -T json -c 10\n"
        "  peel -r capture.pcap -q -z conv,tcp -z follow,tcp,ascii,0\n"
        "  peel -r capture.pcap -o tcp.check_checksum:TRUE -c 5\n"
        "  peel -i lo -f 'udp port 3478' -c 100 -w out.pcap\n"
        "  peel -G fields";

static bool
parse_field_opt(const char *opt, PeelOutOptions *out, GError **error)
{
    const char *eq = strchr(opt, '=');
    g_autofree char *key = eq ? g_strndup(opt, (gsize)(eq - opt)) : NULL;
    if (key == NULL)
        goto bad;
    const char *val = eq + 1;
    if (strcmp(key, "header") == 0 && (strcmp(val, "y") == 0 || strcmp(val, "n") == 0)) {
        out->header = val[0] == 'y';
    } else if (strcmp(key, "separator") == 0) {
        if (strcmp(val, "/t") == 0)
            out->separator = '\t';
        else if (strcmp(val, "/s") == 0)
            out->separator = ' ';
        else if (strlen(val) == 1)
            out->separator = val[0];
        else
            goto bad;
    } else if (strcmp(key, "quote") == 0 && strlen(val) == 1 && strchr("dsn", val[0])) {
        out->quote = val[0] == 'd' ? '"' : val[0] == 's' ? '\'' : 0;
    } else if (strcmp(key, "occurrence") == 0 && strlen(val) == 1 && strchr("afl", val[0])) {
        out->occurrence = val[0];
    } else if (strcmp(key, "aggregator") == 0) {
        if (strcmp(val, "/s") == 0)
            out->aggregator = ' ';
        else if (strlen(val) == 1)
            out->aggregator = val[0];
        else
            goto bad;
    } else {
        goto bad;
    }
    return true;
bad:
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
            "-E %s: expected header=y|n, separator=/t|/s|C, quote=d|s|n, "
            "occurrence=f|l|a or aggregator=C", opt);
    return false;
}

/* "7", "1,3,10-20" -> sorted list of frame numbers (bounded by the capture later). */
static bool
parse_frame_list(const char *spec, GArray *ranges, GError **error)
{
    g_auto(GStrv) parts = g_strsplit(spec, ",", -1);
    for (char **p = parts; *p; p++) {
        char *end = NULL;
        guint64 lo = g_ascii_strtoull(*p, &end, 10), hi = lo;
        if (end != *p && *end == '-')
            hi = g_ascii_strtoull(end + 1, &end, 10);
        if (end == *p || *end != '\0' || lo == 0 || hi < lo || hi > G_MAXUINT32) {
            g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--frame %s: expected frame numbers like 7, 1,3 or 10-20", spec);
            return false;
        }
        guint32 r[2] = { (guint32)lo, (guint32)hi };
        g_array_append_vals(ranges, r, 2);
    }
    return true;
}

static void
frame_info_from(PeelFrameInfo *info, const PeelFrame *fr, PeelSource *src)
{
    memset(info, 0, sizeof *info);
    info->number = fr->number;
    info->ts = (PeelTime){ fr->ts_sec, (int32_t)fr->ts_nsec };
    info->cap_len = fr->cap_len;
    info->len = fr->orig_len;
    info->linktype = fr->linktype;
    /* tshark 4.0 prints the interface's number within its pcapng section */
    guint section = 0, local_id = fr->iface;
    peel_source_interface_section(src, fr->iface, &section, &local_id);
    info->iface = local_id;
    info->no_ts = fr->no_ts;
    const PeelInterface *ifc = peel_source_interface(src, fr->iface);
    info->iface_name = ifc ? ifc->name : NULL;
    info->ts_digits = ifc ? ifc->ts_digits : 6;
    info->has_iface = peel_source_kind(src) == PEEL_FILE_PCAPNG;
    if (info->iface_name == NULL && peel_source_kind(src) == PEEL_FILE_PCAPNG)
        info->iface_name = "unknown"; /* tshark's word for an IDB without if_name */
    info->comment = fr->comment;
    info->data = fr->data;
}

typedef struct {
    Options *opt;
    PeelSource *src;
    PeelDissector *dis;
    PeelOutput *out;
    PeelWriter *writer;
    PeelStats *stats; /* -z and --export-objects reports, or NULL */
    PeelDfilter *display_filter; /* -Y: frames shown and written, or NULL */
    PeelDfilter *read_filter;    /* -R: frames the first pass of -2 keeps, or NULL */
    bool two_pass;
    bool report_tree; /* a report reads field texts: the first pass keeps them */
    PeelEndNotes *end_notes; /* notes of connections open at the capture's end */
    const char *name; /* for messages */
    guint64 n_frames;
    bool output_gone;
} Run;

/* Whether the capture ended: a live capture stopped, or the file was read to its end. A
 * file whose reading -c stopped goes on: requests it shows unanswered may be answered
 * after that, so there is no end-of-capture report. */
static bool
capture_ended(const Run *run)
{
    return run->opt->iface != NULL || run->opt->count <= 0 ||
           run->n_frames < (guint64)run->opt->count;
}

/* Dissects and prints one frame; false when output should stop. */
static bool
handle_frame(Run *run, const PeelFrame *fr, PeelFrameInfo *info, GError **error)
{
    const PeelPacket *pkt = peel_dissector_run(run->dis, info);
    /* With --frame the tables were fed by the first pass, like the follow tap. */
    if (run->stats != NULL && !pkt->revisit)
        peel_stats_packet(run->stats, pkt);
    /* tshark's -Y: reports see every frame; output and -w only those that pass. */
    if (run->display_filter != NULL && !peel_dfilter_match(run->display_filter, pkt))
        return true;
    if (run->out != NULL && !peel_output_packet(run->out, pkt)) {
        run->output_gone = true;
        return false;
    }
    if (run->writer != NULL && !peel_writer_write(run->writer, fr, error))
        return false;
    if (run->opt->line_buffered && run->out != NULL && !peel_output_finish(run->out)) {
        run->output_gone = true;
        return false;
    }
    return true;
}

/* Sets a dissector up for the run: what to build (tree, Info, which fields), decode-as
 * rules and preferences. Every dissector of a run (one per worker thread) gets the same. */
static bool
setup_dissector(PeelDissector *dis, const Options *opt, const PeelOutOptions *oo, unsigned needs,
        bool have_stats, const PeelDfilter *display_filter, const PeelDfilter *read_filter,
        GError **error)
{
    bool want_tree = oo->mode == PEEL_OUT_TREE || oo->mode == PEEL_OUT_JSON ||
                     oo->mode == PEEL_OUT_JSONRAW ||
                     (needs & PEEL_REPORT_NEEDS_TREE) != 0;
    peel_dissector_set_want_tree(dis, want_tree);
    /* Only summary lines (and fields output that asks for it) show the Info column. */
    bool want_info = oo->mode == PEEL_OUT_SUMMARY || (needs & PEEL_REPORT_NEEDS_INFO) != 0;
    for (char **e = opt->fields; e && *e; e++)
        want_info |= strcmp(*e, "_ws.col.Info") == 0;
    peel_dissector_set_want_info(dis, want_info);
    /* Summary lines, hex and writing need only columns and bytes; reports read fields. */
    bool record_all = oo->mode == PEEL_OUT_TREE ||
            oo->mode == PEEL_OUT_JSON ||
            oo->mode == PEEL_OUT_JSONRAW ||
            oo->mode == PEEL_OUT_EK || oo->color ||
            have_stats;
    /* Expert messages as a column: every layer's notes, so every layer decoded in full. */
    for (char **e = opt->fields; e && *e && oo->mode == PEEL_OUT_FIELDS; e++)
        record_all |= strcmp(*e, "_ws.expert.message") == 0;
    peel_dissector_set_record_fields(dis, record_all);
    /* Otherwise fields output and display filters need the fields of the protocols they
     * name, no more (the other layers cost what summary lines cost). */
    if (!record_all &&
            (oo->mode == PEEL_OUT_FIELDS || display_filter != NULL || read_filter != NULL)) {
        g_autofree bool *protos = g_new0(bool, peel_registry_n_protos());
        g_autofree bool *ids = g_new0(bool, peel_field_count());
        for (char **e = opt->fields; e && *e && oo->mode == PEEL_OUT_FIELDS; e++) {
            int id = peel_field_lookup(*e);
            if (id >= 0) {
                protos[peel_field_proto((uint32_t)id)] = true;
                ids[id] = true;
            }
        }
        if (display_filter != NULL) {
            peel_dfilter_protos(display_filter, protos);
            peel_dfilter_fields(display_filter, ids);
        }
        if (read_filter != NULL) {
            peel_dfilter_protos(read_filter, protos);
            peel_dfilter_fields(read_filter, ids);
        }
        peel_dissector_record_only(dis, protos);
        /* and within those protocols only the fields named: both read the list flat */
        peel_dissector_keep_fields(dis, ids);
    }
    for (char **d = opt->decode_as; d && *d; d++)
        if (!peel_dissector_decode_as(dis, *d, error))
            return false;
    for (char **d = opt->disabled_protos; d && *d; d++) {
        g_auto(GStrv) names = g_strsplit(*d, ",", -1);
        for (char **n = names; *n; n++)
            if (**n != '\0' && !peel_dissector_disable_protocol(dis, g_strstrip(*n), error))
                return false;
    }
    for (char **o = opt->prefs; o && *o; o++)
        if (!peel_dissector_set_pref(dis, *o, error))
            return false;
    if (opt->stun_credentials != NULL) {
        g_autofree char *pref = g_strconcat("stun.credentials:", opt->stun_credentials, NULL);
        if (!peel_dissector_set_pref(dis, pref, error))
            return false;
    }
    return true;
}

/* How many threads dissect this run: more than one only for a file printed as summary
 * lines, hex, fields, -V trees or ek documents, with nothing that needs the whole capture
 * in one dissector (reports, -w, --frame, -2) and no display filter on tcp.stream or
 * udp.stream (each thread numbers its own streams; the output's numbers are put right
 * as it is written, a filter's would not be). */
static uint32_t
parallel_threads(const Options *opt, const PeelOutOptions *oo, const Run *run)
{
    if (opt->threads == 1 || opt->read_file == NULL || run->out == NULL || run->stats != NULL ||
            run->writer != NULL || opt->two_pass || opt->frames != NULL || opt->line_buffered)
        return 1;
    bool text = oo->mode == PEEL_OUT_SUMMARY || oo->mode == PEEL_OUT_FIELDS ||
                oo->mode == PEEL_OUT_TREE || oo->mode == PEEL_OUT_EK ||
                (oo->mode == PEEL_OUT_NONE && oo->hex); /* -x alone */
    if (!text || oo->color || oo->header)
        return 1;
    static const char *const numbered[] = { "tcp.stream", "udp.stream" };
    for (size_t i = 0; i < G_N_ELEMENTS(numbered); i++) {
        int id = peel_field_lookup(numbered[i]);
        if (id < 0)
            continue;
        if (run->display_filter != NULL && peel_dfilter_uses_field(run->display_filter, (uint32_t)id))
            return 1;
    }
    uint32_t n = opt->threads > 0 ? (uint32_t)opt->threads : g_get_num_processors();
    return MIN(n, PEEL_PARALLEL_MAX);
}

/* The file through n dissectors at once (parallel.c); the run's own dissector, filter and
 * output serve the first thread. */
static int
run_parallel(Run *run, uint32_t n, const PeelOutOptions *oo, unsigned needs)
{
    g_autoptr(GError) error = NULL;
    PeelParallelWorker pw[PEEL_PARALLEL_MAX] = { { run->dis, run->display_filter, run->out } };
    uint32_t made = 1;
    for (; made < n; made++) {
        PeelParallelWorker *w = &pw[made];
        w->dis = peel_dissector_new();
        if (!setup_dissector(w->dis, run->opt, oo, needs, false, run->display_filter, NULL, &error))
            break;
        if (run->display_filter != NULL &&
                (w->filter = peel_dfilter_compile(run->opt->display_filter, NULL, &error)) == NULL)
            break;
        if ((w->out = peel_output_new(stdout, oo, &error)) == NULL)
            break;
    }
    int status = 1;
    if (made == n) {
        PeelFrameClock clock = { 0 };
        PeelParallelInput in = { .src = run->src, .count = run->opt->count,
            .n_frames = &run->n_frames, .clock = &clock, .frame_info = frame_info_from };
        status = peel_parallel_run(pw, n, &in, stdout, &run->output_gone, &error);
        for (uint32_t w = 0; w < n && !run->output_gone && capture_ended(run); w++)
            peel_end_notes_finish(run->end_notes, pw[w].dis);
    } else {
        made++; /* the one that failed is freed too */
    }
    for (uint32_t w = 1; w < made && w < n; w++) {
        peel_output_free(pw[w].out);
        peel_dfilter_free(pw[w].filter);
        peel_dissector_free(pw[w].dis);
    }
    if (error != NULL)
        fprintf(stderr, "peel: %s: %s\n", run->name, error->message);
    return status;
}

static int
run_sequential(Run *run)
{
    PeelFrameClock clock = { 0 };
    PeelFrame fr;
    PeelFrameInfo info;
    g_autoptr(GError) error = NULL;
    int rc;
    while ((run->opt->count <= 0 || run->n_frames < (guint64)run->opt->count) &&
            (rc = peel_source_next(run->src, &fr, &error)) > 0) {
        frame_info_from(&info, &fr, run->src);
        peel_frame_clock_tick(&clock, &info);
        run->n_frames++;
        if (!handle_frame(run, &fr, &info, &error))
            break;
    }
    if (!run->output_gone && capture_ended(run)) /* a corrupt record ends it too */
        peel_end_notes_finish(run->end_notes, run->dis);
    if (error != NULL) {
        if (run->out != NULL)
            peel_output_finish(run->out);
        fprintf(stderr, "peel: %s: %s\n", run->name, error->message);
        return 1;
    }
    return 0;
}

typedef struct {
    PeelSource *src;
    PeelFrameIndex *index;
    PeelFrame frame;
} Fetcher;

/* The engine asks for other frames' bytes when it rebuilds reassembled data. */
static bool
fetch_frame(void *user, uint32_t number, const uint8_t **data, uint32_t *len)
{
    Fetcher *f = user;
    const PeelFrameIndexEntry *e = peel_frame_index_get(f->index, number);
    if (e == NULL || !peel_source_read_at(f->src, e->offset, number, &f->frame, NULL))
        return false;
    *data = f->frame.data;
    *len = f->frame.cap_len;
    return true;
}

/* --frame and -2: a first pass dissects every frame once (flows, reassembly, analysis,
 * pairing) keeping per-frame records and the frame index, and applies -R; then the chosen
 * frames (all of them for -2) that passed are read again by offset and dissected with what
 * the first pass found, where -Y applies. */
static int
run_selected(Run *run, GArray *ranges, bool want_tree)
{
    g_autoptr(GError) error = NULL;
    PeelFrameIndex *index = peel_frame_index_new();
    g_autoptr(GByteArray) passed = g_byte_array_new(); /* per frame: -R kept it */
    PeelFrameClock clock = { 0 };
    PeelFrame fr;
    PeelFrameInfo info;
    int rc;
    peel_dissector_keep_records(run->dis, true);
    peel_dissector_set_want_tree(run->dis, run->report_tree);
    while ((!run->two_pass || run->opt->count <= 0 ||
                   run->n_frames < (guint64)run->opt->count) &&
            (rc = peel_source_next(run->src, &fr, &error)) > 0) {
        run->n_frames++;
        peel_frame_index_append_frame(index, &fr);
        frame_info_from(&info, &fr, run->src);
        peel_frame_clock_tick(&clock, &info);
        const PeelPacket *pkt = peel_dissector_run(run->dis, &info);
        guint8 keep = run->read_filter == NULL || peel_dfilter_match(run->read_filter, pkt);
        if (run->stats != NULL && keep)
            peel_stats_packet(run->stats, pkt); /* -z reports: the frames -R keeps, as tshark */
        g_byte_array_append(passed, &keep, 1);
    }
    /* What the end of the capture tells (HTTP requests never answered) reaches -z and
     * stderr now, and the records of the frames it concerns for the second pass. */
    if (!run->two_pass || capture_ended(run)) /* --frame reads the whole file */
        peel_end_notes_finish(run->end_notes, run->dis);
    peel_dissector_set_want_tree(run->dis, want_tree);
    int status = 0;
    if (error != NULL) {
        fprintf(stderr, "peel: %s: %s\n", run->name, error->message);
        g_clear_error(&error);
        status = 1;
    }
    Fetcher fetcher = { .src = run->src, .index = index };
    peel_dissector_set_frame_fetch(run->dis, fetch_frame, &fetcher);
    g_autoptr(GByteArray) bytes = g_byte_array_new();
    guint32 n = (guint32)peel_frame_index_len(index);
    PeelTime first = { 0 };
    if (n > 0) {
        const PeelFrameIndexEntry *e = peel_frame_index_get(index, 1);
        first = (PeelTime){ e->ts_sec, (int32_t)e->ts_nsec };
    }
    for (guint i = 0; i < ranges->len && !run->output_gone; i += 2) {
        guint32 lo = g_array_index(ranges, guint32, i);
        guint32 hi = MIN(g_array_index(ranges, guint32, i + 1), n);
        if (run->two_pass && ranges->len == 2 && n == 0)
            break; /* -2 on an empty capture */
        if (lo > n) {
            fprintf(stderr, "peel: %s: frame %u: the capture has only %u frames\n", run->name,
                    lo, n);
            status = 1;
            continue;
        }
        for (guint32 num = lo; num <= hi && !run->output_gone; num++) {
            if (num > passed->len || !passed->data[num - 1])
                continue;
            const PeelFrameIndexEntry *e = peel_frame_index_get(index, num);
            if (!peel_source_read_at(run->src, e->offset, num, &fr, &error)) {
                fprintf(stderr, "peel: %s: frame %u: %s\n", run->name, num, error->message);
                g_clear_error(&error);
                status = 1;
                continue;
            }
            /* Our own copy: fetching other frames reuses the source's buffer. */
            g_byte_array_set_size(bytes, 0);
            g_byte_array_append(bytes, fr.data, fr.cap_len);
            fr.data = bytes->data;
            frame_info_from(&info, &fr, run->src);
            const PeelFrameIndexEntry *prev = num > 1 ? peel_frame_index_get(index, num - 1) : e;
            info.rel = peel_time_sub(info.ts, first);
            info.delta = peel_time_sub(info.ts, (PeelTime){ prev->ts_sec, (int32_t)prev->ts_nsec });
            if (!handle_frame(run, &fr, &info, &error))
                break;
        }
    }
    peel_dissector_set_frame_fetch(run->dis, NULL, NULL);
    peel_frame_index_free(index);
    if (error != NULL) {
        fprintf(stderr, "peel: %s: %s\n", run->name, error->message);
        status = 1;
    }
    return status;
}

/* A filter that does not compile: the message, then the filter with a caret under the
 * part at fault (exit status 2, a usage error). */
static int
filter_error(const char *option, const char *text, const GError *error,
        const PeelDfilterLoc *loc)
{
    g_autoptr(GString) msg = g_string_new("peel: ");
    peel_dfilter_format_error(msg, option, text, error, loc, 4);
    fputs(msg->str, stderr);
    return 2;
}

static int
usage_error(const char *msg)
{
    fprintf(stderr, "peel: %s\n(see peel --help)\n", msg);
    return 2;
}

int
main(int argc, char **argv)
{
    __attribute__((cleanup(options_clear))) Options opt = { .snaplen = 0, .count = 0 };
    GOptionEntry entries[] = {
        { "read-file", 'r', 0, G_OPTION_ARG_FILENAME, &opt.read_file,
                "Read frames from FILE (pcap or pcapng; - for stdin)", "FILE" },
        { "interface", 'i', 0, G_OPTION_ARG_STRING, &opt.iface,
                "Capture live on IFACE (\"any\" for all)", "IFACE" },
        { "list-interfaces", 'D', 0, G_OPTION_ARG_NONE, &opt.list_ifaces,
                "List the interfaces peel can capture on", NULL },
        { "snapshot-length", 's', 0, G_OPTION_ARG_INT, &opt.snaplen,
                "Capture at most N bytes of each frame (default 262144)", "N" },
        { "no-promiscuous-mode", 'p', 0, G_OPTION_ARG_NONE, &opt.no_promisc,
                "Do not put the interface into promiscuous mode", NULL },
        { "capture-filter", 'f', 0, G_OPTION_ARG_STRING, &opt.capture_filter,
                "Capture filter in libpcap (BPF) syntax", "FILTER" },
        { "count", 'c', 0, G_OPTION_ARG_INT, &opt.count, "Stop after N frames", "N" },
        { "autostop", 'a', 0, G_OPTION_ARG_STRING_ARRAY, &opt.autostop,
                "Stop live capture after duration:SECONDS", "COND" },
        { "write", 'w', 0, G_OPTION_ARG_FILENAME, &opt.write_file,
                "Write frames to FILE (pcap; - for stdout)", "FILE" },
        { "display-filter", 'Y', 0, G_OPTION_ARG_STRING, &opt.display_filter,
                "Show and write only the frames this display filter (Wireshark's syntax) keeps",
                "FILTER" },
        { "read-filter", 'R', 0, G_OPTION_ARG_STRING, &opt.read_filter,
                "With -2: keep only the frames this filter passes in the first pass", "FILTER" },
        { "two-pass", '2', 0, G_OPTION_ARG_NONE, &opt.two_pass,
                "Read twice: streams, reassembly and pairing first, then filter and print",
                NULL },
        { "frame", 0, 0, G_OPTION_ARG_STRING, &opt.frames,
                "Show only these frames, read again by offset (7, 1,3 or 10-20)", "LIST" },
        { "verbose", 'V', 0, G_OPTION_ARG_NONE, &opt.verbose, "Print the detail tree", NULL },
        { "hex", 'x', 0, G_OPTION_ARG_NONE, &opt.hex, "Print hex and ASCII of the bytes", NULL },
        { "format", 'T', 0, G_OPTION_ARG_STRING, &opt.format,
                "Output format: text, fields, json, jsonraw or ek", "FORMAT" },
        { "json-protocols", 'j', 0, G_OPTION_ARG_STRING, &opt.json_protos,
                "With -T json, jsonraw or ek: write only these protocols' top level, others "
                "as {\"filtered\": NAME} (space-separated names)", "\"PROTO ...\"" },
        { "json-protocols-all", 'J', 0, G_OPTION_ARG_STRING, &opt.json_protos_all,
                "Like -j, with everything under the named protocols", "\"PROTO ...\"" },
        { "color", 0, 0, G_OPTION_ARG_NONE, &opt.color,
                "Colour summary lines on a terminal with Wireshark's default colouring rules",
                NULL },
        { "field", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &opt.fields,
                "Field to print with -T fields (repeatable)", "FIELD" },
        { "field-option", 'E', 0, G_OPTION_ARG_STRING_ARRAY, &opt.field_opts,
                "Fields output option: header=y|n, separator=/t|/s|C, quote=d|s|n, "
                "occurrence=f|l|a, aggregator=C",
                "KEY=VALUE" },
        { "glossary", 'G', 0, G_OPTION_ARG_STRING, &opt.glossary,
                "Print a glossary: fields or protocols", "REPORT" },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt.quiet, "Print no per-frame output", NULL },
        { "no-resolve", 'n', 0, G_OPTION_ARG_NONE, &opt.no_resolve,
                "Disable name resolution (peel never resolves names)", NULL },
        { "line-buffered", 'l', 0, G_OPTION_ARG_NONE, &opt.line_buffered, "Flush after each frame", NULL },
        { "print", 'P', 0, G_OPTION_ARG_NONE, &opt.print_summary,
                "Print summary lines even when writing a file with -w", NULL },
        { "decode-as", 'd', 0, G_OPTION_ARG_STRING_ARRAY, &opt.decode_as,
                "Decode as: SELECTOR==VALUE,PROTOCOL (tcp.port==8080,http)", "RULE" },
        { "disable-protocol", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt.disabled_protos,
                "Do not dissect PROTO (as tshark): its bytes are shown as data; "
                "comma-separated or repeated",
                "PROTO" },
        { "statistics", 'z', 0, G_OPTION_ARG_STRING_ARRAY, &opt.stats,
                "Print a report at the end: conv,TYPE, endpoints,TYPE (eth, ip, ipv6, tcp, "
                "udp), follow,tcp|udp,ascii|hex|raw,STREAM... (repeatable)",
                "STAT" },
        { "export-objects", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt.exports,
                "Write the objects a protocol carried into DIR: PROTO,DIR (repeatable)",
                "PROTO,DIR" },
        { "stun-credentials", 0, 0, G_OPTION_ARG_STRING, &opt.stun_credentials,
                "Verify STUN MESSAGE-INTEGRITY with USER:REALM:PASSWORD (long-term) or PASSWORD "
                "(short-term); the same as -o stun.credentials:CRED",
                "CRED" },
        { "option", 'o', 0, G_OPTION_ARG_STRING_ARRAY, &opt.prefs,
                "Set a preference: NAME:VALUE (tcp.check_checksum:TRUE)", "PREF" },
        { "proto-descriptors", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt.proto_descriptors,
                "Decode protobuf (gRPC) messages with the schemas of FILE, a FileDescriptorSet "
                "made by protoc --include_imports --descriptor_set_out=FILE (repeatable)",
                "FILE" },
        { "threads", 0, 0, G_OPTION_ARG_INT, &opt.threads,
                "Dissect a file (-r) with N threads, each owning the flows of some address "
                "pairs (default: one per core, at most 8; 1: one thread). Used for summary lines "
                "and fields output without -z, -w, --frame, -2, --color or stream indexes",
                "N" },
        { "version", 'v', 0, G_OPTION_ARG_NONE, &opt.version, "Print the version", NULL },
        { NULL }
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("- protocol analyzer");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_summary(ctx, summary_text);
    g_option_context_set_description(ctx, examples_text);
    g_autoptr(GError) error = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &error))
        return usage_error(error->message);
    if (argc > 1) {
        g_autofree char *msg = g_strdup_printf("unexpected argument \"%s\"", argv[1]);
        return usage_error(msg);
    }
    if (opt.version) {
        printf("peel %s\n", PEEL_VERSION);
        return 0;
    }
    /* Schemas first: their pbf.* fields join the registry built next. */
    for (char **f = opt.proto_descriptors; f != NULL && *f != NULL; f++) {
        if (!peel_protobuf_load_file(*f, &error)) {
            fprintf(stderr, "peel: --proto-descriptors: %s\n", error->message);
            return 1;
        }
    }
    peel_registry_init();
    if (opt.glossary != NULL) {
        if (strcmp(opt.glossary, "fields") != 0 && strcmp(opt.glossary, "protocols") != 0)
            return usage_error("-G: expected fields or protocols");
        peel_output_glossary(stdout, opt.glossary);
        return fflush(stdout) == 0 ? 0 : 1;
    }
    if (opt.list_ifaces) {
        g_autoptr(GString) list = g_string_new(NULL);
        if (!peel_list_interfaces(list, &error)) {
            fprintf(stderr, "peel: %s\n", error->message);
            return 1;
        }
        fputs(list->str, stdout);
        return 0;
    }
    if (opt.threads < 0)
        return usage_error("--threads: expected a number of threads, 1 or more (0: one per core)");
    if (opt.read_file != NULL && opt.iface != NULL)
        return usage_error("-r and -i cannot be used together");
    if (opt.read_file == NULL && opt.iface == NULL)
        return usage_error("nothing to read: give -r FILE or -i IFACE");

    PeelOutOptions oo = { .mode = PEEL_OUT_SUMMARY, .time_digits = 6, .separator = '\t',
        .occurrence = 'a', .aggregator = ',' };
    oo.hex = opt.hex;
    for (char **e = opt.field_opts; e && *e; e++)
        if (!parse_field_opt(*e, &oo, &error))
            return usage_error(error->message);
    if (opt.format == NULL || strcmp(opt.format, "text") == 0) {
        oo.mode = opt.verbose ? PEEL_OUT_TREE : PEEL_OUT_SUMMARY;
        if (opt.hex && !opt.verbose)
            oo.mode = PEEL_OUT_NONE;
    } else if (strcmp(opt.format, "fields") == 0) {
        if (opt.fields == NULL)
            return usage_error("-T fields needs at least one -e FIELD");
        oo.mode = PEEL_OUT_FIELDS;
    } else if (strcmp(opt.format, "json") == 0) {
        oo.mode = PEEL_OUT_JSON;
    } else if (strcmp(opt.format, "jsonraw") == 0) {
        oo.mode = PEEL_OUT_JSONRAW;
    } else if (strcmp(opt.format, "ek") == 0) {
        oo.mode = PEEL_OUT_EK;
    } else {
        g_autofree char *msg = g_strdup_printf(
                "-T %s: expected text, fields, json, jsonraw or ek", opt.format);
        return usage_error(msg);
    }
    bool json_like = oo.mode == PEEL_OUT_JSON || oo.mode == PEEL_OUT_JSONRAW ||
                     oo.mode == PEEL_OUT_EK;
    if ((opt.json_protos != NULL || opt.json_protos_all != NULL) && !json_like)
        return usage_error("-j and -J need -T json, jsonraw or ek");
    if (opt.json_protos != NULL && opt.json_protos_all != NULL)
        return usage_error("-j and -J cannot be used together");
    g_auto(GStrv) json_protos = NULL;
    if (opt.json_protos != NULL || opt.json_protos_all != NULL) {
        json_protos = g_strsplit_set(
                opt.json_protos ? opt.json_protos : opt.json_protos_all, " ", -1);
        oo.protocols = json_protos;
        oo.protocol_children = opt.json_protos_all != NULL;
    }
    /* As tshark: colours only on a terminal. */
    oo.color = opt.color && oo.mode == PEEL_OUT_SUMMARY && isatty(STDOUT_FILENO);
    if (opt.fields != NULL && oo.mode != PEEL_OUT_FIELDS)
        return usage_error("-e needs -T fields");
    g_autoptr(GPtrArray) field_names = g_ptr_array_new();
    for (char **e = opt.fields; e && *e; e++)
        g_ptr_array_add(field_names, *e);
    oo.fields = field_names;
    bool print = !opt.quiet && (opt.write_file == NULL || opt.print_summary || opt.verbose ||
                                       opt.format != NULL);
    if (opt.write_file != NULL && strcmp(opt.write_file, "-") == 0 && print)
        return usage_error("-w - writes frames to stdout: add -q or send them to a file");

    g_autoptr(GArray) ranges = g_array_new(FALSE, FALSE, sizeof(guint32));
    if (opt.frames != NULL) {
        if (opt.iface != NULL)
            return usage_error("--frame needs a file (-r)");
        if (!parse_frame_list(opt.frames, ranges, &error))
            return usage_error(error->message);
    }
    if (opt.read_filter != NULL && !opt.two_pass)
        return usage_error("-R needs -2 (for a single pass, use -Y)");
    if (opt.two_pass && opt.iface != NULL)
        return usage_error("-2 needs a file (-r): a live capture is read once");
    if (opt.read_filter != NULL && opt.frames != NULL)
        return usage_error("-R cannot be used with --frame (use -Y)");
    g_autoptr(PeelDfilter) display_filter = NULL;
    g_autoptr(PeelDfilter) read_filter = NULL;
    PeelDfilterLoc loc;
    if (opt.display_filter != NULL) {
        display_filter = peel_dfilter_compile(opt.display_filter, &loc, &error);
        if (display_filter == NULL)
            return filter_error("-Y", opt.display_filter, error, &loc);
    }
    if (opt.read_filter != NULL) {
        read_filter = peel_dfilter_compile(opt.read_filter, &loc, &error);
        if (read_filter == NULL)
            return filter_error("-R", opt.read_filter, error, &loc);
    }
    int duration = 0;
    for (char **a = opt.autostop; a && *a; a++) {
        if (g_str_has_prefix(*a, "duration:") && atoi(*a + 9) > 0)
            duration = atoi(*a + 9);
        else
            return usage_error("-a: expected duration:SECONDS");
    }

    g_autoptr(PeelDissector) dis = peel_dissector_new();
    g_autoptr(PeelStats) stats = NULL;
    unsigned needs = 0;
    if (opt.stats != NULL || opt.exports != NULL) {
        stats = peel_stats_new(opt.stats, opt.exports, &error);
        if (stats == NULL)
            return usage_error(error->message);
        needs = peel_stats_needs(stats);
    }
    bool want_tree = oo.mode == PEEL_OUT_TREE || oo.mode == PEEL_OUT_JSON ||
                     oo.mode == PEEL_OUT_JSONRAW ||
                     (needs & PEEL_REPORT_NEEDS_TREE) != 0;
    if (!setup_dissector(dis, &opt, &oo, needs, stats != NULL, display_filter, read_filter,
                &error))
        return usage_error(error->message);

    if (stats != NULL)
        peel_stats_attach(stats, dis);

    /* Notes on connections open when the capture ends: -z expert counts them; as they come
     * after the frames they concern were printed, stderr gets a line each unless -q. */
    g_autoptr(PeelEndNotes) end_notes = peel_end_notes_new(stats, !opt.quiet);
    Run run = { .opt = &opt,
        .dis = dis,
        .stats = stats,
        .display_filter = display_filter,
        .read_filter = read_filter,
        .two_pass = opt.two_pass,
        .report_tree = (needs & PEEL_REPORT_NEEDS_TREE) != 0,
        .end_notes = end_notes };
    if (opt.read_file != NULL) {
        run.src = peel_source_open_file(opt.read_file, &error);
        run.name = opt.read_file;
    } else {
        PeelLiveOptions lo = { .snaplen = opt.snaplen, .promiscuous = !opt.no_promisc,
            .filter = opt.capture_filter };
        run.src = peel_source_open_live(opt.iface, &lo, &error);
        run.name = opt.iface;
    }
    if (run.src == NULL) {
        fprintf(stderr, "peel: %s\n", error->message);
        return error->code == PEEL_CAPTURE_ERROR_FILTER ? 2 : 1;
    }
    if (opt.read_file != NULL && opt.capture_filter != NULL)
        fprintf(stderr, "peel: -f applies to live capture; it is ignored with -r\n");

    if (print) {
        run.out = peel_output_new(stdout, &oo, &error);
        if (run.out == NULL) {
            peel_source_close(run.src);
            return usage_error(error->message);
        }
    }
    if (opt.write_file != NULL) {
        const PeelInterface *ifc = peel_source_interface(run.src, 0);
        run.writer = peel_writer_open(opt.write_file, ifc ? ifc->linktype : 1,
                ifc && ifc->snaplen ? ifc->snaplen : 262144, &error);
        if (run.writer == NULL) {
            fprintf(stderr, "peel: %s\n", error->message);
            peel_output_free(run.out);
            peel_source_close(run.src);
            return 1;
        }
    }
    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, opt.line_buffered ? _IOLBF : _IOFBF, sizeof outbuf);
    signal(SIGPIPE, SIG_IGN);

    int status;
    if (opt.iface != NULL) {
        live_source = run.src;
        struct sigaction sa = { .sa_handler = on_signal };
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        if (duration > 0) {
            struct sigaction al = { .sa_handler = on_alarm };
            sigaction(SIGALRM, &al, NULL);
            alarm((unsigned)duration);
        }
        status = run_sequential(&run);
        live_source = NULL;
        uint64_t received = 0, dropped = 0;
        fprintf(stderr, "%" G_GUINT64_FORMAT " packet%s captured\n", run.n_frames,
                run.n_frames == 1 ? "" : "s");
        if (peel_source_stats(run.src, &received, &dropped) && dropped > 0)
            fprintf(stderr, "%" G_GUINT64_FORMAT " packets dropped\n", dropped);
    } else if (ranges->len > 0) {
        status = run_selected(&run, ranges, want_tree);
    } else if (opt.two_pass) {
        guint32 all[2] = { 1, G_MAXUINT32 };
        g_array_append_vals(ranges, all, 2);
        status = run_selected(&run, ranges, want_tree);
    } else {
        uint32_t threads = parallel_threads(&opt, &oo, &run);
        status = threads > 1 ? run_parallel(&run, threads, &oo, needs) : run_sequential(&run);
    }

    if (run.out != NULL && !peel_output_finish(run.out) && !run.output_gone && errno != EPIPE) {
        fprintf(stderr, "peel: writing output: %s\n", g_strerror(errno));
        status = 1;
    }
    peel_output_free(run.out);
    if (!run.output_gone) {
        fflush(stdout); /* what was printed comes first when both go to one terminal */
        peel_end_notes_print(end_notes, stderr, run.name);
    }
    if (stats != NULL && !run.output_gone && !peel_stats_write(stats, stdout) && errno != EPIPE) {
        fprintf(stderr, "peel: writing output: %s\n", g_strerror(errno));
        status = 1;
    }
    if (run.writer != NULL && !peel_writer_close(run.writer, &error)) {
        fprintf(stderr, "peel: %s\n", error->message);
        status = 1;
    }
    peel_source_close(run.src);
    return status;
}
