/* report-expert.c: -z expert[,error|warn|note|chat|comment][,FILTER] as tshark 4.0
 * prints it (ui/cli/tap-expert.c): the expert notes by severity, most severe first, each
 * distinct (protocol, summary) pair once with its frequency and group, in order of first
 * appearance. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "registry.h"
#include "report-io.h"

#define N_SEVERITIES 5

typedef struct {
    uint32_t frequency;
    uint8_t group;
    uint32_t proto;
    char *summary;
} ExpertEntry;

struct PeelExpertStat {
    PeelReportFilter *filter;
    int lowest; /* notes below this severity are not kept */
    GArray *entries[N_SEVERITIES]; /* ExpertEntry */
    GHashTable *index[N_SEVERITIES]; /* "proto\x01summary" (owned) -> entry index + 1 */
    uint64_t dropped[N_SEVERITIES];  /* notes past PEEL_EXPERT_MAX_ENTRIES distinct ones */
};

const char *
peel_report_proto_short_name(uint32_t proto_index)
{
    const PeelProto *p = peel_registry_proto(proto_index);
    if (p == NULL)
        return "";
    return p->short_name ? p->short_name : p->title;
}

PeelExpertStat *
peel_expert_stat_open(const char *arg, GError **error)
{
    static const struct {
        const char *name;
        int level;
    } levels[] = { { "error", PEEL_SEV_ERROR }, { "warn", PEEL_SEV_WARN },
        { "note", PEEL_SEV_NOTE }, { "chat", PEEL_SEV_CHAT },
        { "comment", PEEL_SEV_COMMENT } };
    if (strncmp(arg, "expert", 6) != 0 || (arg[6] != '\0' && arg[6] != ',')) {
        g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG,
                "-z %s: expected expert[,error|warn|note|chat|comment][,FILTER]", arg);
        return NULL;
    }
    const char *args = arg + 6;
    int lowest = PEEL_SEV_COMMENT;
    for (gsize i = 0; i < G_N_ELEMENTS(levels); i++) {
        size_t n = strlen(levels[i].name);
        if (args[0] == ',' && g_ascii_strncasecmp(args + 1, levels[i].name, n) == 0) {
            lowest = levels[i].level;
            args += 1 + n;
            break;
        }
    }
    const char *filter = args[0] == ',' ? args + 1 : NULL;
    g_autoptr(GError) ferr = NULL;
    PeelReportFilter *f = peel_report_filter_new(filter, &ferr);
    if (ferr != NULL) {
        g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG, "-z %s: %s", arg,
                ferr->message);
        return NULL;
    }
    PeelExpertStat *es = g_new0(PeelExpertStat, 1);
    es->filter = f;
    es->lowest = lowest;
    for (int s = 0; s < N_SEVERITIES; s++) {
        es->entries[s] = g_array_new(FALSE, TRUE, sizeof(ExpertEntry));
        es->index[s] = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    }
    return es;
}

void
peel_expert_stat_free(PeelExpertStat *es)
{
    if (es == NULL)
        return;
    for (int s = 0; s < N_SEVERITIES; s++) {
        for (guint i = 0; i < es->entries[s]->len; i++)
            g_free(g_array_index(es->entries[s], ExpertEntry, i).summary);
        g_array_unref(es->entries[s]);
        g_hash_table_unref(es->index[s]);
    }
    peel_report_filter_free(es->filter);
    g_free(es);
}

void
peel_expert_stat_packet(PeelExpertStat *es, const PeelPacket *pkt)
{
    if (pkt->n_experts == 0 || !peel_report_filter_match(es->filter, pkt))
        return;
    g_autoptr(GString) key = g_string_new(NULL);
    for (uint32_t e = 0; e < pkt->n_experts; e++) {
        const PeelExpert *ex = &pkt->experts[e];
        int s = ex->severity;
        if (s < es->lowest || s >= N_SEVERITIES)
            continue;
        /* tshark counts (protocol name, summary) pairs */
        const char *proto = peel_report_proto_short_name(ex->proto);
        g_string_truncate(key, 0);
        g_string_append(key, proto);
        g_string_append_c(key, '\x01');
        g_string_append(key, ex->msg);
        guint idx = GPOINTER_TO_UINT(g_hash_table_lookup(es->index[s], key->str));
        if (idx != 0) {
            g_array_index(es->entries[s], ExpertEntry, idx - 1).frequency++;
            continue;
        }
        if (es->entries[s]->len >= PEEL_EXPERT_MAX_ENTRIES) {
            es->dropped[s]++;
            continue;
        }
        ExpertEntry n = { .frequency = 1, .group = ex->group, .proto = ex->proto,
            .summary = g_strdup(ex->msg) };
        g_array_append_val(es->entries[s], n);
        g_hash_table_insert(es->index[s], g_strdup(key->str),
                GUINT_TO_POINTER(es->entries[s]->len));
    }
}

/* Wireshark's names of expert groups (epan/expert.c expert_group_vals). */
static const char *
group_name(uint8_t g)
{
    switch (g) {
    case PEEL_GROUP_MALFORMED:
        return "Malformed";
    case PEEL_GROUP_CHECKSUM:
        return "Checksum";
    case PEEL_GROUP_SEQUENCE:
        return "Sequence";
    case PEEL_GROUP_PROTOCOL:
        return "Protocol";
    case PEEL_GROUP_UNDECODED:
        return "Undecoded";
    case PEEL_GROUP_REASSEMBLE:
        return "Reassemble";
    case PEEL_GROUP_COMMENT:
        return "Comment";
    default:
        return "Unknown";
    }
}

void
peel_expert_stat_print(const PeelExpertStat *es, GString *out)
{
    static const char *const labels[N_SEVERITIES] = { "Comments", "Chats", "Notes", "Warns",
        "Errors" };
    for (int s = N_SEVERITIES - 1; s >= 0; s--) {
        const GArray *items = es->entries[s];
        if (items->len == 0)
            continue;
        uint64_t total = es->dropped[s];
        for (guint i = 0; i < items->len; i++)
            total += g_array_index(items, ExpertEntry, i).frequency;
        g_string_append_printf(out, "\n%s (%" PRIu64 ")\n=============\n", labels[s], total);
        g_string_append(out, "   Frequency      Group           Protocol  Summary\n");
        for (guint i = 0; i < items->len; i++) {
            const ExpertEntry *e = &g_array_index(items, ExpertEntry, i);
            g_string_append_printf(out, "%12u %10s %18s  %s\n", e->frequency,
                    group_name(e->group), peel_report_proto_short_name(e->proto), e->summary);
        }
    }
}

/* ---- The report kinds (report.h) ---- */

static void *
expert_open(const char *arg, GError **error)
{
    return peel_expert_stat_open(arg, error);
}

static void
expert_packet(void *state, const PeelPacket *pkt)
{
    peel_expert_stat_packet(state, pkt);
}

static bool
expert_finish(void *state, FILE *out)
{
    g_autoptr(GString) text = g_string_new(NULL);
    peel_expert_stat_print(state, text);
    return peel_report_write_text(text, out);
}

static void
expert_close(void *state)
{
    peel_expert_stat_free(state);
}

const PeelReportKind peel_report_expert = {
    .option = PEEL_REPORT_Z,
    .name = "expert",
    .usage = "expert[,error|warn|note|chat|comment][,FILTER]",
    .open = expert_open,
    .packet = expert_packet,
    .capture_end = expert_packet, /* counted as a frame's notes are */
    .finish = expert_finish,
    .close = expert_close,
};
