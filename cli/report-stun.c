/* report-stun.c: -z stun,transactions: STUN messages counted by method and class, with
 * the response times the dissector paired (stun.time), and the requests whose transaction
 * id no response in the capture carried. */
#include <string.h>

#include "registry.h"
#include "report.h"

typedef struct {
    uint64_t count;
    uint64_t timed;
    double rt_min, rt_max, rt_sum; /* seconds */
} ClassStat;

typedef struct {
    GHashTable *stats;     /* method << 2 | class -> ClassStat */
    GHashTable *requests;  /* 12-byte transaction id (GBytes) -> first request frame */
    GHashTable *answered;  /* 12-byte transaction id (GBytes) -> 1 */
    uint64_t channel_data; /* TURN ChannelData messages */
    int f_type, f_id, f_time, f_channel;
} StunReport;

static const char *const class_names[] = { "Request", "Indication", "Success Response",
    "Error Response" };

static const char *
method_name(uint16_t m)
{
    switch (m) {
    case 0x001:
        return "Binding";
    case 0x002:
        return "SharedSecret";
    case 0x003:
        return "Allocate";
    case 0x004:
        return "Refresh";
    case 0x006:
        return "Send";
    case 0x007:
        return "Data";
    case 0x008:
        return "CreatePermission";
    case 0x009:
        return "Channel-Bind";
    case 0x00a:
        return "Connect";
    case 0x00b:
        return "ConnectionBind";
    case 0x00c:
        return "ConnectionAttempt";
    default:
        return NULL;
    }
}

static void *
stun_report_open(const char *arg, GError **error)
{
    if (strcmp(arg, "stun,transactions") != 0) {
        g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG,
                "-z %s: the STUN report is -z stun,transactions", arg);
        return NULL;
    }
    StunReport *s = g_new0(StunReport, 1);
    s->stats = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    s->requests =
            g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
    s->answered =
            g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
    s->f_type = peel_field_lookup("stun.type");
    s->f_id = peel_field_lookup("stun.id");
    s->f_time = peel_field_lookup("stun.time");
    s->f_channel = peel_field_lookup("stun.channel");
    return s;
}

/* Each message lists stun.type, then its id and, for a paired response, stun.time. */
static void
stun_report_packet(void *state, const PeelPacket *pkt)
{
    StunReport *s = state;
    ClassStat *cur = NULL;
    uint8_t cls = 0;
    for (uint32_t i = 0; i < pkt->n_fields; i++) {
        const PeelField *fl = &pkt->fields[i];
        if ((int)fl->id == s->f_type && (fl->flags & PEEL_FF_HAS_VALUE)) {
            uint16_t t = (uint16_t)fl->v.u;
            cls = (uint8_t)(((t & 0x0010) >> 4) | ((t & 0x0100) >> 7));
            uint16_t m = (uint16_t)((t & 0x000f) | ((t & 0x00e0) >> 1) | ((t & 0x3e00) >> 2));
            gpointer key = GUINT_TO_POINTER((guint)m << 2 | cls);
            cur = g_hash_table_lookup(s->stats, key);
            if (cur == NULL) {
                cur = g_new0(ClassStat, 1);
                g_hash_table_insert(s->stats, key, cur);
            }
            cur->count++;
        } else if ((int)fl->id == s->f_id && cur != NULL && fl->v.b.len == 12 &&
                   (fl->flags & PEEL_FF_HAS_VALUE)) {
            if (cls == 0) {
                GBytes *id = g_bytes_new(fl->v.b.ptr, 12);
                if (!g_hash_table_contains(s->requests, id) &&
                        g_hash_table_size(s->requests) < 1000000)
                    g_hash_table_insert(
                            s->requests, g_bytes_ref(id), GUINT_TO_POINTER(pkt->frame->number));
                g_bytes_unref(id);
            } else if (cls >= 2 && g_hash_table_size(s->answered) < 1000000) {
                g_hash_table_add(s->answered, g_bytes_new(fl->v.b.ptr, 12));
            }
        } else if ((int)fl->id == s->f_time && cur != NULL) {
            double rt = (double)fl->v.t.sec + fl->v.t.nsec / 1e9;
            if (cur->timed == 0 || rt < cur->rt_min)
                cur->rt_min = rt;
            if (cur->timed == 0 || rt > cur->rt_max)
                cur->rt_max = rt;
            cur->rt_sum += rt;
            cur->timed++;
        } else if ((int)fl->id == s->f_channel) {
            s->channel_data++;
        }
    }
}

static gint
cmp_key(gconstpointer a, gconstpointer b)
{
    guint x = GPOINTER_TO_UINT(*(gconstpointer const *)a);
    guint y = GPOINTER_TO_UINT(*(gconstpointer const *)b);
    return x < y ? -1 : x > y;
}

static bool
stun_report_finish(void *state, FILE *out)
{
    StunReport *s = state;
    const char *rule = "=================================================================="
                       "==================\n";
    GString *o = g_string_new(rule);
    g_string_append(o, "STUN transactions\n");
    g_string_append_printf(o, "%-36s %8s %8s %12s %12s %12s\n", "Method / class", "Count", "Paired",
            "RT min (s)", "RT avg (s)", "RT max (s)");
    GPtrArray *keys = g_ptr_array_new();
    GList *klist = g_hash_table_get_keys(s->stats);
    for (GList *l = klist; l != NULL; l = l->next)
        g_ptr_array_add(keys, l->data);
    g_list_free(klist);
    g_ptr_array_sort(keys, cmp_key);
    guint last_method = G_MAXUINT;
    for (guint i = 0; i < keys->len; i++) {
        guint k = GPOINTER_TO_UINT(keys->pdata[i]);
        guint m = k >> 2;
        if (m != last_method) {
            const char *mn = method_name((uint16_t)m);
            if (mn != NULL)
                g_string_append_printf(o, "%s\n", mn);
            else
                g_string_append_printf(o, "Method 0x%03x\n", m);
            last_method = m;
        }
        ClassStat *c = g_hash_table_lookup(s->stats, keys->pdata[i]);
        g_autofree char *label = g_strdup_printf("  %s", class_names[k & 3]);
        g_string_append_printf(o, "%-36s %8" G_GUINT64_FORMAT, label, c->count);
        if (c->timed > 0)
            g_string_append_printf(o, " %8" G_GUINT64_FORMAT " %12.6f %12.6f %12.6f", c->timed,
                    c->rt_min, c->rt_sum / (double)c->timed, c->rt_max);
        g_string_append_c(o, '\n');
    }
    g_ptr_array_unref(keys);
    g_string_append_printf(o, "%-36s %8" G_GUINT64_FORMAT "\n", "ChannelData", s->channel_data);

    /* Requests no response answered, by frame. */
    GArray *unanswered = g_array_new(FALSE, FALSE, sizeof(guint));
    GHashTableIter it;
    gpointer id, frame;
    g_hash_table_iter_init(&it, s->requests);
    while (g_hash_table_iter_next(&it, &id, &frame))
        if (!g_hash_table_contains(s->answered, id)) {
            guint f = GPOINTER_TO_UINT(frame);
            g_array_append_val(unanswered, f);
        }
    g_array_sort(unanswered, (GCompareFunc)cmp_key);
    g_string_append_printf(o, "\nRequests without a response: %u", unanswered->len);
    for (guint i = 0; i < unanswered->len && i < 20; i++)
        g_string_append_printf(
                o, "%s%u", i ? ", " : " (frames ", g_array_index(unanswered, guint, i));
    if (unanswered->len > 0)
        g_string_append(o, unanswered->len > 20 ? ", ...)" : ")");
    g_string_append_c(o, '\n');
    g_array_unref(unanswered);
    g_string_append(o, rule);
    bool ok = fwrite(o->str, 1, o->len, out) == o->len;
    g_string_free(o, TRUE);
    return ok;
}

static void
stun_report_close(void *state)
{
    StunReport *s = state;
    if (s == NULL)
        return;
    g_hash_table_destroy(s->stats);
    g_hash_table_destroy(s->requests);
    g_hash_table_destroy(s->answered);
    g_free(s);
}

const PeelReportKind peel_report_stun_transactions = {
    .option = PEEL_REPORT_Z,
    .name = "stun,transactions",
    .usage = "stun,transactions",
    .open = stun_report_open,
    .packet = stun_report_packet,
    .finish = stun_report_finish,
    .close = stun_report_close,
};
