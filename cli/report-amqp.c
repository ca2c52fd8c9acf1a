/* report-amqp.c: -z amqp,stats: AMQP 0-9-1 frames by type, methods by class with the
 * response times of synchronous requests (a request and the method answering it on the
 * same connection and channel), and per exchange and routing key the messages published,
 * confirmed by the broker, delivered and acknowledged by consumers (acks are attributed
 * through amqp.message_in, the frames the dissector found each ack covers). */
#include <string.h>

#include "amqp.h"
#include "registry.h"
#include "report.h"

typedef struct {
    uint64_t count;
    uint64_t answered;
    double rt_min, rt_max, rt_sum; /* seconds */
} MethodStat;

typedef struct {
    uint64_t publishes, confirms, deliveries, acks, returns;
} RouteStat;

typedef struct {
    uint16_t method; /* the request's method id */
    double at;
} Pending;

/* What a message frame carried, so an ack naming the frame is attributed. */
typedef struct {
    char *route; /* "exchange\troutingkey", owned by the routes table's key */
    bool publish;
} MsgRef;

typedef struct {
    GHashTable *methods;  /* uint32 class << 16 | method -> MethodStat */
    GHashTable *types;    /* frame type -> uint64 count */
    GHashTable *routes;   /* "exchange\trk" -> RouteStat */
    GHashTable *pending;  /* "stream/channel/class" -> GArray of Pending */
    GHashTable *messages; /* frame number -> GPtrArray of MsgRef (one per message) */
    uint64_t frames, heartbeats;
    int f_proto, f_stream, f_type, f_channel, f_class, f_method, f_exchange, f_rk, f_msg_in,
            f_reply;
} AmqpStats;

static void
msg_list_free(gpointer p)
{
    g_ptr_array_unref(p);
}

static void
pending_free(gpointer p)
{
    g_array_unref(p);
}

static void *
amqp_open(const char *arg, GError **error)
{
    if (strcmp(arg, "amqp,stats") != 0) {
        g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG,
                "-z %s: the AMQP report is -z amqp,stats", arg);
        return NULL;
    }
    AmqpStats *s = g_new0(AmqpStats, 1);
    s->methods = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    s->types = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    s->routes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    s->pending = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, pending_free);
    s->messages = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, msg_list_free);
    s->f_proto = peel_field_lookup("amqp");
    s->f_stream = peel_field_lookup("tcp.stream");
    s->f_type = peel_field_lookup("amqp.type");
    s->f_channel = peel_field_lookup("amqp.channel");
    s->f_class = peel_field_lookup("amqp.method.class");
    s->f_method = peel_field_lookup("amqp.method.method");
    s->f_exchange = peel_field_lookup("amqp.method.arguments.exchange");
    s->f_rk = peel_field_lookup("amqp.method.arguments.routing_key");
    s->f_msg_in = peel_field_lookup("amqp.message_in");
    s->f_reply = peel_field_lookup("amqp.method.arguments.reply_code");
    return s;
}

/* One AMQP frame's fields, gathered from the packet's list. */
typedef struct {
    bool have_type, have_method;
    uint8_t type;
    uint16_t channel, cls, method;
    const PeelField *exchange, *rk;
    uint32_t msg_in[64];
    uint32_t n_msg_in;
} Pdu;

static double
ts_seconds(const PeelPacket *pkt)
{
    return (double)pkt->frame->ts.sec + pkt->frame->ts.nsec / 1e9;
}

static RouteStat *
route_get(AmqpStats *s, const PeelField *x, const PeelField *rk, char **key_out)
{
    GString *k = g_string_new(NULL);
    if (x != NULL)
        g_string_append_len(k, (const char *)x->v.b.ptr, x->v.b.len);
    g_string_append_c(k, '\t');
    if (rk != NULL)
        g_string_append_len(k, (const char *)rk->v.b.ptr, rk->v.b.len);
    char *key = NULL;
    RouteStat *r = NULL;
    if (!g_hash_table_lookup_extended(s->routes, k->str, (gpointer *)&key, (gpointer *)&r)) {
        key = g_string_free(k, FALSE);
        r = g_new0(RouteStat, 1);
        g_hash_table_insert(s->routes, key, r);
    } else {
        g_string_free(k, TRUE);
    }
    *key_out = key;
    return r;
}

static void
msg_remember(AmqpStats *s, uint32_t frame, char *route, bool publish)
{
    GPtrArray *list = g_hash_table_lookup(s->messages, GUINT_TO_POINTER(frame));
    if (list == NULL) {
        list = g_ptr_array_new_with_free_func(g_free);
        g_hash_table_insert(s->messages, GUINT_TO_POINTER(frame), list);
    }
    MsgRef *m = g_new(MsgRef, 1);
    m->route = route;
    m->publish = publish;
    g_ptr_array_add(list, m);
}

/* The synchronous request a response answers (amqp0-9-1: each X-Ok answers X; Basic.Get
 * is answered by Get-Ok or Get-Empty). */
static bool
is_response(uint16_t cls, uint16_t method, uint16_t *request)
{
    static const uint16_t pairs[][3] = {
        { 10, 11, 10 },
        { 10, 21, 20 },
        { 10, 31, 30 },
        { 10, 41, 40 },
        { 10, 51, 50 },
        { 10, 71, 70 },
        { 20, 11, 10 },
        { 20, 21, 20 },
        { 20, 41, 40 },
        { 30, 11, 10 },
        { 40, 11, 10 },
        { 40, 21, 20 },
        { 40, 31, 30 },
        { 40, 51, 40 },
        { 50, 11, 10 },
        { 50, 21, 20 },
        { 50, 31, 30 },
        { 50, 41, 40 },
        { 50, 51, 50 },
        { 60, 11, 10 },
        { 60, 21, 20 },
        { 60, 31, 30 },
        { 60, 71, 70 },
        { 60, 72, 70 },
        { 60, 111, 110 },
        { 85, 11, 10 },
        { 90, 11, 10 },
        { 90, 21, 20 },
        { 90, 31, 30 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(pairs); i++) {
        if (pairs[i][0] == cls && pairs[i][1] == method) {
            *request = pairs[i][2];
            return true;
        }
    }
    return false;
}

static void
pdu_done(AmqpStats *s, const PeelPacket *pkt, uint32_t stream, const Pdu *p)
{
    if (!p->have_type)
        return;
    s->frames++;
    uint64_t *tc = g_hash_table_lookup(s->types, GUINT_TO_POINTER(p->type));
    if (tc == NULL) {
        tc = g_new0(uint64_t, 1);
        g_hash_table_insert(s->types, GUINT_TO_POINTER(p->type), tc);
    }
    (*tc)++;
    if (p->type != 1 || !p->have_method)
        return;
    uint32_t key = (uint32_t)p->cls << 16 | p->method;
    MethodStat *m = g_hash_table_lookup(s->methods, GUINT_TO_POINTER(key));
    if (m == NULL) {
        m = g_new0(MethodStat, 1);
        g_hash_table_insert(s->methods, GUINT_TO_POINTER(key), m);
    }
    m->count++;
    double now = ts_seconds(pkt);
    g_autofree char *pk = g_strdup_printf("%u/%u/%u", stream, p->channel, p->cls);
    uint16_t request = 0;
    if (is_response(p->cls, p->method, &request)) {
        GArray *q = g_hash_table_lookup(s->pending, pk);
        for (guint i = 0; q != NULL && i < q->len; i++) {
            Pending *r = &g_array_index(q, Pending, i);
            if (r->method != request)
                continue;
            uint32_t rkey = (uint32_t)p->cls << 16 | request;
            MethodStat *rm = g_hash_table_lookup(s->methods, GUINT_TO_POINTER(rkey));
            if (rm != NULL) {
                double rt = now - r->at;
                if (rm->answered == 0 || rt < rm->rt_min)
                    rm->rt_min = rt;
                if (rm->answered == 0 || rt > rm->rt_max)
                    rm->rt_max = rt;
                rm->rt_sum += rt;
                rm->answered++;
            }
            g_array_remove_index(q, i);
            break;
        }
    } else {
        GArray *q = g_hash_table_lookup(s->pending, pk);
        if (q == NULL) {
            q = g_array_new(FALSE, FALSE, sizeof(Pending));
            g_hash_table_insert(s->pending, g_strdup(pk), q);
        }
        if (q->len < 1024) {
            Pending r = { p->method, now };
            g_array_append_val(q, r);
        }
    }
    if (p->cls != 60)
        return;
    char *route = NULL;
    switch (p->method) {
    case 40: /* publish */
        route_get(s, p->exchange, p->rk, &route)->publishes++;
        msg_remember(s, pkt->frame->number, route, true);
        break;
    case 50: /* return */
        route_get(s, p->exchange, p->rk, &route)->returns++;
        break;
    case 60: /* deliver */
    case 71: /* get-ok */
        route_get(s, p->exchange, p->rk, &route)->deliveries++;
        msg_remember(s, pkt->frame->number, route, false);
        break;
    case 80: /* ack: a consumer's, or the broker's confirm of publishes */
        for (uint32_t i = 0; i < p->n_msg_in; i++) {
            GPtrArray *list = g_hash_table_lookup(s->messages, GUINT_TO_POINTER(p->msg_in[i]));
            if (list == NULL || list->len == 0)
                continue;
            MsgRef *ref = g_ptr_array_index(list, 0);
            RouteStat *r = g_hash_table_lookup(s->routes, ref->route);
            if (r != NULL) {
                if (ref->publish)
                    r->confirms++;
                else
                    r->acks++;
            }
            g_ptr_array_remove_index(list, 0);
        }
        break;
    default:
        break;
    }
}

static void
amqp_packet(void *state, const PeelPacket *pkt)
{
    AmqpStats *s = state;
    if (s->f_proto < 0)
        return;
    uint32_t stream = 0;
    Pdu p;
    bool in = false;
    for (uint32_t i = 0; i < pkt->n_fields; i++) {
        const PeelField *f = &pkt->fields[i];
        int id = (int)f->id;
        if (id == s->f_stream) {
            stream = (uint32_t)f->v.u;
        } else if (id == s->f_proto) {
            if (in)
                pdu_done(s, pkt, stream, &p);
            memset(&p, 0, sizeof p);
            in = true;
        } else if (!in || !(f->flags & PEEL_FF_HAS_VALUE)) {
            continue;
        } else if (id == s->f_type) {
            p.type = (uint8_t)f->v.u;
            p.have_type = true;
        } else if (id == s->f_channel) {
            p.channel = (uint16_t)f->v.u;
        } else if (id == s->f_class) {
            p.cls = (uint16_t)f->v.u;
        } else if (id == s->f_method) {
            p.method = (uint16_t)f->v.u;
            p.have_method = true;
        } else if (id == s->f_exchange && p.exchange == NULL) {
            p.exchange = f;
        } else if (id == s->f_rk && p.rk == NULL) {
            p.rk = f;
        } else if (id == s->f_msg_in && p.n_msg_in < G_N_ELEMENTS(p.msg_in)) {
            p.msg_in[p.n_msg_in++] = (uint32_t)f->v.u;
        }
    }
    if (in)
        pdu_done(s, pkt, stream, &p);
}

static const char *
class_name(uint16_t cls)
{
    return peel_value_name(amqp_class_names, cls);
}

static const char *
type_name(uint8_t t)
{
    switch (t) {
    case 1:
        return "Method";
    case 2:
        return "Content header";
    case 3:
        return "Content body";
    case 8:
        return "Heartbeat";
    default:
        return "Other";
    }
}

static gint
cmp_u32(gconstpointer a, gconstpointer b)
{
    uint32_t x = GPOINTER_TO_UINT(*(gconstpointer *)a), y = GPOINTER_TO_UINT(*(gconstpointer *)b);
    return x < y ? -1 : x > y;
}

static gint
cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The method's name as the dissector's info column writes it ("Basic.Publish"). */
static char *
method_label(uint16_t cls, uint16_t method)
{
    const char *c = class_name(cls);
    const char *m = amqp_method_name(cls, method);
    if (c == NULL)
        return g_strdup_printf("Class %u method %u", cls, method);
    if (m == NULL)
        return g_strdup_printf("%s.Unknown (%u)", c, method);
    return g_strdup_printf("%s.%s", c, m);
}

/* The table's keys, sorted (GLib 2.74 has no g_hash_table_get_keys_as_ptr_array). */
static GPtrArray *
keys_sorted(GHashTable *t, GCompareFunc cmp)
{
    GPtrArray *keys = g_ptr_array_sized_new(g_hash_table_size(t));
    GHashTableIter it;
    gpointer k;
    g_hash_table_iter_init(&it, t);
    while (g_hash_table_iter_next(&it, &k, NULL))
        g_ptr_array_add(keys, k);
    g_ptr_array_sort(keys, cmp);
    return keys;
}

static bool
amqp_finish(void *state, FILE *out)
{
    AmqpStats *s = state;
    GString *o = g_string_new(NULL);
    const char *rule = "==========================================================================="
                       "=====\n";
    g_string_append(o, rule);
    g_string_append(o, "AMQP Statistics:\n");
    g_string_append_printf(o, "Frames: %" G_GUINT64_FORMAT "\n\n", s->frames);

    g_string_append_printf(o, "%-32s %10s\n", "Frame type", "Count");
    GPtrArray *keys = keys_sorted(s->types, cmp_u32);
    for (guint i = 0; i < keys->len; i++) {
        uint8_t t = (uint8_t)GPOINTER_TO_UINT(keys->pdata[i]);
        uint64_t *n = g_hash_table_lookup(s->types, keys->pdata[i]);
        g_string_append_printf(o, "%-32s %10" G_GUINT64_FORMAT "\n", type_name(t), *n);
    }
    g_ptr_array_unref(keys);

    g_string_append_printf(o, "\n%-32s %10s %10s %10s %10s %10s\n", "Method", "Count", "Answered",
            "Min RT(s)", "Avg RT(s)", "Max RT(s)");
    keys = keys_sorted(s->methods, cmp_u32);
    uint16_t last_cls = 0;
    for (guint i = 0; i < keys->len; i++) {
        uint32_t k = GPOINTER_TO_UINT(keys->pdata[i]);
        uint16_t cls = (uint16_t)(k >> 16);
        uint64_t class_total = 0;
        if (cls != last_cls) {
            for (guint j = i; j < keys->len && GPOINTER_TO_UINT(keys->pdata[j]) >> 16 == cls; j++)
                class_total +=
                        ((MethodStat *)g_hash_table_lookup(s->methods, keys->pdata[j]))->count;
            const char *cn = class_name(cls);
            g_autofree char *fallback = g_strdup_printf("Class %u", cls);
            g_string_append_printf(
                    o, "%-32s %10" G_GUINT64_FORMAT "\n", cn ? cn : fallback, class_total);
            last_cls = cls;
        }
        MethodStat *m = g_hash_table_lookup(s->methods, keys->pdata[i]);
        g_autofree char *name = method_label(cls, (uint16_t)k);
        g_autofree char *indented = g_strdup_printf("  %s", name);
        g_string_append_printf(o, "%-32s %10" G_GUINT64_FORMAT, indented, m->count);
        if (m->answered > 0)
            g_string_append_printf(o, " %10" G_GUINT64_FORMAT " %10.6f %10.6f %10.6f", m->answered,
                    m->rt_min, m->rt_sum / (double)m->answered, m->rt_max);
        g_string_append_c(o, '\n');
    }
    g_ptr_array_unref(keys);

    g_string_append_printf(o, "\n%-32s %10s %10s %10s %10s %10s\n", "Exchange / routing key",
            "Publishes", "Confirms", "Returns", "Delivered", "Acks");
    keys = keys_sorted(s->routes, cmp_str);
    for (guint i = 0; i < keys->len; i++) {
        const char *key = keys->pdata[i];
        RouteStat *r = g_hash_table_lookup(s->routes, key);
        const char *tab = strchr(key, '\t');
        g_autofree char *x = g_strndup(key, (gsize)(tab - key));
        g_autofree char *label = g_strdup_printf("%s / %s", x[0] ? x : "(default)", tab + 1);
        g_string_append_printf(o,
                "%-32s %10" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT
                " %10" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT "\n",
                label, r->publishes, r->confirms, r->returns, r->deliveries, r->acks);
    }
    g_ptr_array_unref(keys);
    g_string_append(o, rule);
    bool ok = fwrite(o->str, 1, o->len, out) == o->len;
    g_string_free(o, TRUE);
    return ok;
}

static void
amqp_close(void *state)
{
    AmqpStats *s = state;
    if (s == NULL)
        return;
    g_hash_table_destroy(s->methods);
    g_hash_table_destroy(s->types);
    g_hash_table_destroy(s->messages);
    g_hash_table_destroy(s->routes);
    g_hash_table_destroy(s->pending);
    g_free(s);
}

const PeelReportKind peel_report_amqp_stats = {
    .option = PEEL_REPORT_Z,
    .name = "amqp,stats",
    .usage = "amqp,stats",
    .open = amqp_open,
    .packet = amqp_packet,
    .finish = amqp_finish,
    .close = amqp_close,
};
