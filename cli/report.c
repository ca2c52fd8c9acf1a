/* report.c: the table of report kinds and the reports of one run (report.h). */
#include <errno.h>
#include <string.h>

#include "report.h"

/* Every report kind, in no particular order: the longest matching name wins. */
static const PeelReportKind *const kinds[] = {
    &peel_report_stun_transactions,
    &peel_report_conv,
    &peel_report_endpoints,
    &peel_report_follow_tcp,
    &peel_report_follow_udp,
    &peel_report_follow_websocket,
    &peel_report_export_websocket,
    &peel_report_http_tree,
    &peel_report_http_req_tree,
    &peel_report_http_srv_tree,
    &peel_report_export_http,
    &peel_report_amqp_stats,
    &peel_report_grpc_calls,
    &peel_report_follow_http2,
    &peel_report_export_http2,
    &peel_report_io_phs,
    &peel_report_io_stat,
    &peel_report_expert,
};

const PeelReportKind *const *
peel_report_kinds(guint *n)
{
    *n = G_N_ELEMENTS(kinds);
    return kinds;
}

typedef struct {
    const PeelReportKind *kind;
    void *state;
} Report;

struct PeelStats {
    GPtrArray *z;       /* Report *, in argument order */
    GPtrArray *exports; /* Report * */
    unsigned needs;
};

G_DEFINE_QUARK(peel - stats - error - quark, peel_stats_error)

static void
report_free(gpointer p)
{
    Report *r = p;
    if (r->kind->close != NULL)
        r->kind->close(r->state);
    g_free(r);
}

/* The kind whose name is the longest whole-word prefix of arg. */
static const PeelReportKind *
kind_for(PeelReportOption option, const char *arg)
{
    const PeelReportKind *best = NULL;
    size_t best_len = 0;
    for (gsize i = 0; i < G_N_ELEMENTS(kinds); i++) {
        const PeelReportKind *k = kinds[i];
        size_t n = strlen(k->name);
        if (k->option == option && strncmp(arg, k->name, n) == 0 &&
                (arg[n] == '\0' || arg[n] == ',') && n > best_len) {
            best = k;
            best_len = n;
        }
    }
    return best;
}

static char *
usage_list(PeelReportOption option)
{
    GString *s = g_string_new(NULL);
    for (gsize i = 0; i < G_N_ELEMENTS(kinds); i++) {
        if (kinds[i]->option != option)
            continue;
        if (s->len > 0)
            g_string_append(s, ", ");
        g_string_append(s, kinds[i]->usage);
    }
    if (s->len == 0)
        g_string_append(s, "(none yet)");
    return g_string_free(s, FALSE);
}

static bool
open_all(PeelStats *stats, GPtrArray *into, PeelReportOption option, char **args,
        GError **error)
{
    const char *flag = option == PEEL_REPORT_Z ? "-z" : "--export-objects";
    for (char **a = args; a && *a; a++) {
        const PeelReportKind *k = kind_for(option, *a);
        if (k == NULL) {
            g_autofree char *list = usage_list(option);
            g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG,
                    "%s %s: unknown report; expected one of: %s", flag, *a, list);
            return false;
        }
        void *state = k->open(*a, error);
        if (state == NULL)
            return false;
        Report *r = g_new0(Report, 1);
        r->kind = k;
        r->state = state;
        g_ptr_array_add(into, r);
        stats->needs |= k->needs;
    }
    return true;
}

PeelStats *
peel_stats_new(char **z_args, char **export_args, GError **error)
{
    PeelStats *stats = g_new0(PeelStats, 1);
    stats->z = g_ptr_array_new_with_free_func(report_free);
    stats->exports = g_ptr_array_new_with_free_func(report_free);
    if (!open_all(stats, stats->z, PEEL_REPORT_Z, z_args, error) ||
            !open_all(stats, stats->exports, PEEL_REPORT_EXPORT, export_args, error)) {
        peel_stats_free(stats);
        return NULL;
    }
    return stats;
}

void
peel_stats_free(PeelStats *stats)
{
    if (stats == NULL)
        return;
    g_ptr_array_unref(stats->z);
    g_ptr_array_unref(stats->exports);
    g_free(stats);
}

unsigned
peel_stats_needs(const PeelStats *stats)
{
    return stats->needs;
}

static void
each_chunk(GPtrArray *reports, const PeelStreamChunk *chunk)
{
    for (guint i = 0; i < reports->len; i++) {
        Report *r = g_ptr_array_index(reports, i);
        if (r->kind->chunk != NULL)
            r->kind->chunk(r->state, chunk);
    }
}

static void
stats_on_chunk(void *user, const PeelStreamChunk *chunk)
{
    PeelStats *stats = user;
    each_chunk(stats->z, chunk);
    each_chunk(stats->exports, chunk);
}

static bool
any_chunk(GPtrArray *reports)
{
    for (guint i = 0; i < reports->len; i++)
        if (((Report *)g_ptr_array_index(reports, i))->kind->chunk != NULL)
            return true;
    return false;
}

void
peel_stats_attach(PeelStats *stats, PeelDissector *dis)
{
    if (any_chunk(stats->z) || any_chunk(stats->exports))
        peel_dissector_set_stream_tap(dis, stats_on_chunk, stats);
}

static void
each_packet(GPtrArray *reports, const PeelPacket *pkt)
{
    for (guint i = 0; i < reports->len; i++) {
        Report *r = g_ptr_array_index(reports, i);
        if (r->kind->packet != NULL)
            r->kind->packet(r->state, pkt);
    }
}

void
peel_stats_packet(PeelStats *stats, const PeelPacket *pkt)
{
    each_packet(stats->z, pkt);
    each_packet(stats->exports, pkt);
}

void
peel_stats_capture_end(PeelStats *stats, const PeelPacket *pkt)
{
    for (guint i = 0; i < stats->z->len; i++) {
        Report *r = g_ptr_array_index(stats->z, i);
        if (r->kind->capture_end != NULL)
            r->kind->capture_end(r->state, pkt);
    }
}

bool
peel_stats_write(PeelStats *stats, FILE *out)
{
    for (guint i = stats->z->len; i-- > 0;) {
        Report *r = g_ptr_array_index(stats->z, i);
        if (!r->kind->finish(r->state, out))
            return false;
    }
    for (guint i = 0; i < stats->exports->len; i++) {
        Report *r = g_ptr_array_index(stats->exports, i);
        if (!r->kind->finish(r->state, out))
            return false;
    }
    return fflush(out) == 0;
}
