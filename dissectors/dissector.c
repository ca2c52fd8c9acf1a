/* dissector.c: the engine that runs the dissectors over frames, and decode-as. */
#include "dissector.h"

#include <stdlib.h>
#include <string.h>

#include "dissector-private.h"
#include "protos.h"
#include "registry.h"

G_DEFINE_QUARK(peel-dissect-error-quark, peel_dissect_error)

static void
tables_fill(PeelDissector *dis)
{
    for (int t = 0; t < PEEL_TABLE_N; t++) {
        dis->tables[t] = g_new0(uint16_t, 65536);
        dis->heuristics[t] = g_new0(uint16_t, peel_registry_n_protos());
    }
    for (uint32_t p = 0; p < peel_registry_n_protos(); p++) {
        const PeelProto *proto = peel_registry_proto(p);
        for (size_t h = 0; h < G_N_ELEMENTS(proto->handoffs); h++) {
            const PeelHandoff *ho = &proto->handoffs[h];
            if (ho->table == PEEL_TABLE_NONE)
                break;
            if (ho->key <= 0xffff && dis->tables[ho->table][ho->key] == 0)
                dis->tables[ho->table][ho->key] = (uint16_t)(p + 1);
        }
        if (proto->heuristic != NULL && proto->heuristic_table != PEEL_TABLE_NONE) {
            PeelTable t = proto->heuristic_table;
            dis->heuristics[t][dis->n_heuristics[t]++] = (uint16_t)p;
        }
        if (proto->heuristic != NULL && proto->heuristic_table2 != PEEL_TABLE_NONE &&
                proto->heuristic_table2 != proto->heuristic_table) {
            PeelTable t = proto->heuristic_table2;
            dis->heuristics[t][dis->n_heuristics[t]++] = (uint16_t)p;
        }
    }
}

typedef struct {
    const void *owner;
    void (*clear)(void *data);
    _Alignas(16) unsigned char data[];
} EngineSlot;

static void
engine_slot_free(gpointer p)
{
    EngineSlot *slot = p;
    if (slot->clear != NULL)
        slot->clear(slot->data);
    g_free(slot);
}

void *
peel_engine_data(PeelPacket *pkt, const void *owner, size_t size, void (*clear)(void *data))
{
    for (GSList *l = pkt->dis->engine_data; l != NULL; l = l->next) {
        EngineSlot *slot = l->data;
        if (slot->owner == owner)
            return slot->data;
    }
    EngineSlot *slot = g_malloc0(sizeof *slot + size);
    slot->owner = owner;
    slot->clear = clear;
    pkt->dis->engine_data = g_slist_prepend(pkt->dis->engine_data, slot);
    return slot->data;
}

PeelDissector *
peel_dissector_new(void)
{
    peel_registry_init();
    PeelDissector *dis = g_new0(PeelDissector, 1);
    peel_arena_init(&dis->arena);
    tables_fill(dis);
    dis->data_proto = (uint32_t)peel_registry_proto_index(&peel_proto_data);
    dis->frame_proto = (uint32_t)peel_registry_proto_index(&peel_proto_frame);
    dis->frame_protocols_id = peel_field_lookup("frame.protocols");
    dis->cap_fields = 256;
    /* One guard slot before the array: fields[-1] is where a field goes that is not kept
     * (peel_dissector_set_record_fields), so an index of -1 is always safe to touch. */
    dis->fields = g_new0(PeelField, dis->cap_fields + 1) + 1;
    dis->flows = peel_flow_table_new(NULL);
    dis->prefs.ip_check_checksum = true;
    dis->prefs.tcp_max_held = 1u << 20;
    dis->prefs.tcp_max_total_held = 256u << 20;
    dis->prefs.tcp_max_pdu = 16u << 20;
    dis->cap_experts = 16;
    dis->experts = g_new(PeelExpert, dis->cap_experts);
    return dis;
}

void
peel_dissector_free(PeelDissector *dis)
{
    if (dis == NULL)
        return;
    for (int t = 0; t < PEEL_TABLE_N; t++) {
        g_free(dis->tables[t]);
        g_free(dis->heuristics[t]);
    }
    peel_arena_clear(&dis->arena);
    peel_flow_table_free(dis->flows);
    if (dis->rec_start != NULL)
        g_array_unref(dis->rec_start);
    if (dis->rec_log != NULL)
        g_byte_array_unref(dis->rec_log);
    if (dis->reassembled_in != NULL)
        g_hash_table_destroy(dis->reassembled_in);
    g_slist_free_full(dis->engine_data, engine_slot_free);
    g_free(dis->fields - 1);
    g_free(dis->record_protos);
    g_free(dis->keep_ids);
    g_free(dis->disabled);
    g_free(dis->experts);
    g_free(dis);
}

bool
peel_dissector_grow_fields(PeelDissector *dis)
{
    if (dis->cap_fields >= PEEL_MAX_FIELDS)
        return false;
    dis->cap_fields *= 2;
    dis->fields = g_renew(PeelField, dis->fields - 1, dis->cap_fields + 1) + 1;
    dis->pkt.fields = dis->fields;
    dis->pkt.cap_fields = dis->cap_fields;
    return true;
}

bool
peel_dissector_grow_experts(PeelDissector *dis)
{
    if (dis->cap_experts >= PEEL_MAX_EXPERTS)
        return false;
    dis->cap_experts *= 2;
    dis->experts = g_renew(PeelExpert, dis->experts, dis->cap_experts);
    dis->pkt.experts = dis->experts;
    dis->pkt.cap_experts = dis->cap_experts;
    return true;
}

bool
peel_dissector_set_pref(PeelDissector *dis, const char *assignment, GError **error)
{
    static const struct {
        const char *name;
        size_t offset;
    } bools[] = {
        { "ip.check_checksum", offsetof(PeelPrefs, ip_check_checksum) },
        { "tcp.check_checksum", offsetof(PeelPrefs, tcp_check_checksum) },
        { "udp.check_checksum", offsetof(PeelPrefs, udp_check_checksum) },
        { "amqp.show_sasl_response", offsetof(PeelPrefs, amqp_show_sasl_response) },
    };
    const char *colon = strchr(assignment, ':');
    g_autofree char *name = colon ? g_strndup(assignment, (gsize)(colon - assignment)) : NULL;
    for (size_t i = 0; name != NULL && i < G_N_ELEMENTS(bools); i++) {
        if (strcmp(name, bools[i].name) != 0)
            continue;
        bool *field = (bool *)((char *)&dis->prefs + bools[i].offset);
        if (g_ascii_strcasecmp(colon + 1, "TRUE") == 0) {
            *field = true;
        } else if (g_ascii_strcasecmp(colon + 1, "FALSE") == 0) {
            *field = false;
        } else {
            g_set_error(error, PEEL_DISSECT_ERROR, PEEL_DISSECT_ERROR_PREF,
                    "-o %s: %s takes TRUE or FALSE", assignment, name);
            return false;
        }
        return true;
    }
    /* Numbers: the streams layer's memory bounds and the flow table's limits. */
    static const struct {
        const char *name;
        size_t offset; /* into PeelPrefs, or SIZE_MAX for flow limits */
        size_t flow_offset;
    } numbers[] = {
        { "tcp.max_held", offsetof(PeelPrefs, tcp_max_held), 0 },
        { "tcp.max_total_held", offsetof(PeelPrefs, tcp_max_total_held), 0 },
        { "tcp.max_pdu", offsetof(PeelPrefs, tcp_max_pdu), 0 },
        { "flow.max_flows", SIZE_MAX, offsetof(PeelFlowLimits, max_flows) },
        { "flow.idle_seconds", SIZE_MAX, offsetof(PeelFlowLimits, idle_seconds) },
        { "flow.closed_seconds", SIZE_MAX, offsetof(PeelFlowLimits, closed_seconds) },
    };
    for (size_t i = 0; name != NULL && i < G_N_ELEMENTS(numbers); i++) {
        if (strcmp(name, numbers[i].name) != 0)
            continue;
        char *end = NULL;
        guint64 v = g_ascii_strtoull(colon + 1, &end, 10);
        if (end == colon + 1 || *end != '\0' || v == 0 || v > G_MAXUINT32) {
            g_set_error(error, PEEL_DISSECT_ERROR, PEEL_DISSECT_ERROR_PREF,
                    "-o %s: %s takes a number from 1 to %u", assignment, name, G_MAXUINT32);
            return false;
        }
        if (numbers[i].offset != SIZE_MAX) {
            *(uint32_t *)((char *)&dis->prefs + numbers[i].offset) = (uint32_t)v;
        } else {
            *(uint32_t *)((char *)&dis->flow_limits + numbers[i].flow_offset) = (uint32_t)v;
            peel_flow_table_free(dis->flows);
            dis->flows = peel_flow_table_new(&dis->flow_limits);
        }
        return true;
    }
    /* Strings. */
    if (name != NULL && strcmp(name, "stun.credentials") == 0) {
        if (strlen(colon + 1) >= sizeof dis->prefs.stun_credentials) {
            g_set_error(error, PEEL_DISSECT_ERROR, PEEL_DISSECT_ERROR_PREF,
                    "-o %s: %s takes at most %zu bytes", assignment, name,
                    sizeof dis->prefs.stun_credentials - 1);
            return false;
        }
        g_strlcpy(dis->prefs.stun_credentials, colon + 1, sizeof dis->prefs.stun_credentials);
        return true;
    }
    g_set_error(error, PEEL_DISSECT_ERROR, PEEL_DISSECT_ERROR_PREF,
            "-o %s: unknown preference (known: ip.check_checksum, tcp.check_checksum, "
            "udp.check_checksum, amqp.show_sasl_response, tcp.max_held, tcp.max_total_held, "
            "tcp.max_pdu, flow.max_flows, flow.idle_seconds, flow.closed_seconds, "
            "stun.credentials)",
            assignment);
    return false;
}

void
peel_dissector_keep_records(PeelDissector *dis, bool keep)
{
    dis->keep_records = keep;
    if (keep && dis->rec_start == NULL) {
        dis->rec_start = g_array_new(FALSE, FALSE, sizeof(guint64));
        dis->rec_log = g_byte_array_new();
        dis->reassembled_in = g_hash_table_new(g_direct_hash, g_direct_equal);
    }
}

void
peel_dissector_set_stream_tap(PeelDissector *dis, PeelStreamTap tap, void *user)
{
    dis->tap = tap;
    dis->tap_user = user;
}

void
peel_tap_stream(PeelPacket *pkt, const PeelStreamChunk *chunk)
{
    if (pkt->dis->tap != NULL && !pkt->revisit)
        pkt->dis->tap(pkt->dis->tap_user, chunk);
}

void
peel_dissector_set_flow_limits(PeelDissector *dis, const PeelFlowLimits *limits)
{
    dis->flow_limits = *limits;
    peel_flow_table_free(dis->flows);
    dis->flows = peel_flow_table_new(limits);
}

void
peel_dissector_set_record_fields(PeelDissector *dis, bool record)
{
    dis->no_record = !record;
}

bool
peel_dissector_disable_protocol(PeelDissector *dis, const char *name, GError **error)
{
    int index = peel_registry_proto_lookup(name);
    if (index < 0) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "--disable-protocol %s: no such protocol (peel -G protocols lists them)", name);
        return false;
    }
    if (dis->disabled == NULL)
        dis->disabled = g_new0(bool, peel_registry_n_protos());
    dis->disabled[index] = true;
    for (int t = 0; t < PEEL_TABLE_N; t++) {
        for (uint32_t k = 0; k < 65536; k++)
            if (dis->tables[t][k] == (uint16_t)(index + 1))
                dis->tables[t][k] = 0;
        uint32_t kept = 0;
        for (uint32_t i = 0; i < dis->n_heuristics[t]; i++)
            if (dis->heuristics[t][i] != (uint16_t)index)
                dis->heuristics[t][kept++] = dis->heuristics[t][i];
        dis->n_heuristics[t] = kept;
    }
    return true;
}

bool
peel_proto_enabled(const PeelPacket *pkt, const PeelProto *proto)
{
    if (pkt->dis->disabled == NULL || proto == NULL)
        return true;
    int index = peel_registry_proto_index(proto);
    return index < 0 || !pkt->dis->disabled[index];
}

uint32_t
peel_dissector_streams(const PeelDissector *dis, uint8_t ip_proto)
{
    return peel_flow_table_numbered(dis->flows, ip_proto);
}

void
peel_dissector_keep_fields(PeelDissector *dis, const bool *ids)
{
    g_free(dis->keep_ids);
    dis->keep_ids = ids ? g_memdup2(ids, peel_field_count() * sizeof *ids) : NULL;
    memset(dis->keeps_any, 0, sizeof dis->keeps_any); /* a new array may reuse the address */
    /* A kept field keeps what it is made from or added under, and so on up. */
    for (bool grew = dis->keep_ids != NULL; grew;) {
        grew = false;
        for (uint32_t p = 0; p < peel_registry_n_protos(); p++) {
            const PeelProto *proto = peel_registry_proto(p);
            uint32_t base = peel_proto_field_base(p) + 1;
            for (uint32_t i = 0; i < proto->n_field_needs; i++) {
                const PeelFieldNeed *nd = &proto->field_needs[i];
                if (dis->keep_ids[base + nd->field] && !dis->keep_ids[base + nd->needs]) {
                    dis->keep_ids[base + nd->needs] = true;
                    grew = true;
                }
            }
        }
    }
}

bool
peel_keeps_any_chosen(const PeelPacket *pkt, const uint8_t *fields, size_t n)
{
    PeelDissector *dis = pkt->dis;
    uintptr_t slot = ((uintptr_t)fields >> 4 ^ pkt->field_base) % G_N_ELEMENTS(dis->keeps_any);
    if (dis->keeps_any[slot].fields == fields && dis->keeps_any[slot].field_base == pkt->field_base)
        return dis->keeps_any[slot].any;
    bool any = false;
    for (size_t i = 0; i < n && !any; i++)
        any = peel_keeps(pkt, fields[i]);
    dis->keeps_any[slot].fields = fields;
    dis->keeps_any[slot].field_base = pkt->field_base;
    dis->keeps_any[slot].any = any;
    return any;
}

void
peel_dissector_record_only(PeelDissector *dis, const bool *protos)
{
    g_free(dis->record_protos);
    dis->record_protos = protos ? g_memdup2(protos, peel_registry_n_protos() * sizeof *protos)
                                : NULL;
}

void
peel_dissector_set_want_info(PeelDissector *dis, bool want)
{
    dis->no_info = !want;
}

void
peel_dissector_set_want_tree(PeelDissector *dis, bool want)
{
    dis->want_tree = want;
}

/* Decode-as selectors, as tshark names them. */
static const struct {
    const char *selector;
    PeelTable table;
} selectors[] = {
    { "tcp.port", PEEL_TABLE_TCP_PORT },
    { "udp.port", PEEL_TABLE_UDP_PORT },
    { "ip.proto", PEEL_TABLE_IP_PROTO },
    { "ipv6.nxt", PEEL_TABLE_IP_PROTO },
    { "eth.type", PEEL_TABLE_ETHERTYPE },
    { "sll.ltype", PEEL_TABLE_ETHERTYPE },
    { "vlan.etype", PEEL_TABLE_ETHERTYPE },
};

bool
peel_dissector_decode_as(PeelDissector *dis, const char *rule, GError **error)
{
    /* SELECTOR==VALUE,PROTOCOL (tshark also accepts ':' before the value and a range
     * VALUE-VALUE). */
    const char *eq = strstr(rule, "==");
    int seplen = 2;
    if (eq == NULL) {
        eq = strchr(rule, ':');
        seplen = 1;
    }
    const char *comma = eq ? strchr(eq, ',') : NULL;
    if (eq == NULL || comma == NULL) {
        g_set_error(error, PEEL_DISSECT_ERROR, PEEL_DISSECT_ERROR_DECODE_AS,
                "decode-as rule \"%s\" is not of the form SELECTOR==VALUE,PROTOCOL "
                "(e.g. tcp.port==8080,http)", rule);
        return false;
    }
    g_autofree char *sel = g_strndup(rule, (gsize)(eq - rule));
    g_autofree char *val = g_strndup(eq + seplen, (gsize)(comma - eq - seplen));
    const char *protoname = comma + 1;
    PeelTable table = PEEL_TABLE_NONE;
    for (size_t i = 0; i < G_N_ELEMENTS(selectors); i++)
        if (strcmp(sel, selectors[i].selector) == 0)
            table = selectors[i].table;
    if (table == PEEL_TABLE_NONE) {
        g_set_error(error, PEEL_DISSECT_ERROR, PEEL_DISSECT_ERROR_DECODE_AS,
                "decode-as rule \"%s\": unknown selector \"%s\" (known: tcp.port, udp.port, "
                "ip.proto, ipv6.nxt, eth.type, sll.ltype, vlan.etype)", rule, sel);
        return false;
    }
    int proto = peel_registry_proto_lookup(protoname);
    if (proto < 0) {
        g_set_error(error, PEEL_DISSECT_ERROR, PEEL_DISSECT_ERROR_DECODE_AS,
                "decode-as rule \"%s\": unknown protocol \"%s\" (peel -G protocols lists them)",
                rule, protoname);
        return false;
    }
    char *end = NULL;
    unsigned long lo = strtoul(val, &end, 0), hi = lo;
    if (end != NULL && *end == '-')
        hi = strtoul(end + 1, &end, 0);
    if (end == val || end == NULL || *end != '\0' || lo > 0xffff || hi > 0xffff || hi < lo) {
        g_set_error(error, PEEL_DISSECT_ERROR, PEEL_DISSECT_ERROR_DECODE_AS,
                "decode-as rule \"%s\": \"%s\" is not a value or range from 0 to 65535", rule,
                val);
        return false;
    }
    for (unsigned long k = lo; k <= hi; k++)
        dis->tables[table][k] = (uint16_t)(proto + 1);
    return true;
}

/* Whether frame.protocols is shown or kept (the frame layer records as dissect_with sets
 * it): only then do the layers name themselves in it. */
static bool
protocols_wanted(const PeelDissector *dis)
{
    if (dis->want_tree)
        return true;
    bool record = !dis->no_record;
    if (dis->no_record && dis->record_protos != NULL)
        record = dis->record_protos[dis->frame_proto];
    if (!record)
        return false;
    return dis->keep_ids == NULL ||
           (dis->frame_protocols_id >= 0 && dis->keep_ids[dis->frame_protocols_id]);
}

/* The packet, emptied for `frame`: no fields, notes, columns or flow yet. */
static PeelPacket *
packet_begin(PeelDissector *dis, const PeelFrameInfo *frame)
{
    peel_arena_reset(&dis->arena);
    PeelPacket *pkt = &dis->pkt;
    memset(pkt, 0, offsetof(PeelPacket, info));
    pkt->arena = &dis->arena;
    pkt->frame = frame;
    pkt->dis = dis;
    pkt->fields = dis->fields;
    pkt->cap_fields = dis->cap_fields;
    pkt->experts = dis->experts;
    pkt->cap_experts = dis->cap_experts;
    pkt->parent = -1;
    pkt->info[0] = '\0';
    pkt->info_len = pkt->info_fence = 0;
    pkt->pdu_index = 0;
    pkt->protocols[0] = '\0';
    pkt->protocols_len = 0;
    pkt->want_protocols = protocols_wanted(dis);
    pkt->want_tree = dis->want_tree;
    pkt->want_info = !dis->no_info;
    pkt->record_fields = !dis->no_record;
    pkt->keep_ids = dis->keep_ids;
    pkt->last = -1;
    pkt->malformed = false;
    pkt->flow = NULL;
    pkt->flow_dir = 0;
    pkt->prefs = &dis->prefs;
    return pkt;
}

static const PeelPacket *
run_from(PeelDissector *dis, const PeelFrameInfo *frame, const PeelProto *proto)
{
    peel_flow_table_release_queued(dis->flows); /* the last packet is done with them */
    PeelPacket *pkt = packet_begin(dis, frame);
    pkt->revisit = frame->number <= dis->max_frame;
    if (!pkt->revisit) {
        if (dis->keep_records) {
            guint64 start = dis->rec_log->len;
            while (dis->rec_start->len < frame->number)
                g_array_append_val(dis->rec_start, start);
        }
        dis->max_frame = frame->number;
    }

    PeelReader rd = peel_reader_init(frame->data, frame->cap_len, frame->len, 0);
    pkt->sources[0] = (PeelSourceBytes){ .data = frame->data, .len = frame->cap_len,
        .name = "Frame" };
    pkt->n_sources = 1;
    peel_next_proto(pkt, &rd, proto);
    return pkt;
}

const PeelPacket *
peel_dissector_run(PeelDissector *dis, const PeelFrameInfo *frame)
{
    return run_from(dis, frame, &peel_proto_frame);
}

const PeelPacket *
peel_dissector_run_proto(PeelDissector *dis, const PeelFrameInfo *frame, const PeelProto *proto)
{
    return run_from(dis, frame, proto);
}

PeelTime
peel_time_sub(PeelTime a, PeelTime b)
{
    PeelTime d = { a.sec - b.sec, a.nsec - b.nsec };
    if (d.nsec < 0) {
        d.nsec += 1000000000;
        d.sec -= 1;
    }
    return d;
}

void
peel_frame_clock_tick(PeelFrameClock *clock, PeelFrameInfo *frame)
{
    if (!clock->have_first) {
        clock->have_first = true;
        clock->first = clock->prev = frame->ts;
    }
    frame->rel = peel_time_sub(frame->ts, clock->first);
    frame->delta = peel_time_sub(frame->ts, clock->prev);
    clock->prev = frame->ts;
    if (frame->ts.sec > clock->latest.sec ||
            (frame->ts.sec == clock->latest.sec && frame->ts.nsec > clock->latest.nsec))
        clock->latest = frame->ts;
    frame->latest = clock->latest;
}

PeelTime
peel_frame_now(const PeelFrameInfo *frame)
{
    return frame->latest.sec != 0 || frame->latest.nsec != 0 ? frame->latest : frame->ts;
}

/* ---- flows and records, for dissectors ---- */

PeelFlow *
peel_packet_flow(PeelPacket *pkt, uint8_t ip_proto)
{
    if (pkt->in_error || pkt->net_src.type == PEEL_AT_NONE)
        return NULL;
    pkt->flow = peel_flow_get(pkt->dis->flows, ip_proto, &pkt->net_src, &pkt->net_dst,
            pkt->src_port, pkt->dst_port, pkt->frame->number, peel_frame_now(pkt->frame),
            &pkt->flow_dir);
    return pkt->flow;
}

void
peel_packet_flow_release(PeelPacket *pkt, const void *const *keep)
{
    if (pkt->flow != NULL && !pkt->revisit) {
        pkt->flow->closed = true;
        peel_flow_release_later(pkt->dis->flows, pkt->flow, keep);
    }
}

PeelFlow *
peel_packet_flow_renew(PeelPacket *pkt)
{
    if (pkt->flow == NULL)
        return NULL;
    pkt->flow = peel_flow_renew(pkt->dis->flows, pkt->flow, &pkt->net_src, pkt->src_port,
            pkt->frame->number, peel_frame_now(pkt->frame));
    pkt->flow_dir = 0;
    return pkt->flow;
}

typedef struct {
    uint16_t proto;
    uint8_t sub;
    uint8_t pad;
    uint32_t len;
} RecordHeader;

void
peel_record_put(PeelPacket *pkt, uint8_t sub, const void *data, uint32_t len)
{
    PeelDissector *dis = pkt->dis;
    if (!dis->keep_records || pkt->revisit || dis->at_end)
        return;
    RecordHeader h = { .proto = pkt->proto, .sub = sub, .len = len };
    g_byte_array_append(dis->rec_log, (const guint8 *)&h, sizeof h);
    g_byte_array_append(dis->rec_log, data, len);
}

/* Finds frame n's record (proto, sub); its data offset in the log, or -1. */
static gint64
record_find_in(const PeelDissector *dis, uint32_t n, uint16_t proto, uint8_t sub, uint32_t *len)
{
    if (!dis->keep_records || n == 0 || n > dis->rec_start->len)
        return -1;
    guint64 pos = g_array_index(dis->rec_start, guint64, n - 1);
    guint64 end = n < dis->rec_start->len ? g_array_index(dis->rec_start, guint64, n)
                                          : dis->rec_log->len;
    while (pos + sizeof(RecordHeader) <= end) {
        RecordHeader h;
        memcpy(&h, dis->rec_log->data + pos, sizeof h);
        pos += sizeof h;
        if (h.proto == proto && h.sub == sub && pos + h.len <= end) {
            *len = h.len;
            return (gint64)pos;
        }
        pos += h.len;
    }
    return -1;
}

/* This frame's record (the current protocol's, sub). */
static gint64
record_find(const PeelPacket *pkt, uint8_t sub, uint32_t *len)
{
    return record_find_in(pkt->dis, pkt->frame->number, pkt->proto, sub, len);
}

bool
peel_record_patch(PeelPacket *pkt, uint32_t frame, uint8_t sub, uint32_t offset, const void *data,
        uint32_t len)
{
    PeelDissector *dis = pkt->dis;
    if (!dis->keep_records || pkt->revisit || frame > dis->max_frame)
        return false;
    uint32_t have = 0;
    gint64 pos = record_find_in(dis, frame, pkt->proto, sub, &have);
    if (pos < 0 || offset > have || len > have - offset)
        return false;
    memcpy(dis->rec_log->data + pos + offset, data, len);
    return true;
}

bool
peel_records_kept(const PeelPacket *pkt)
{
    return pkt->dis->keep_records;
}

void
peel_capture_end_frame(PeelPacket *pkt, uint32_t frame)
{
    if (pkt->dis->at_end && frame != 0)
        pkt->dis->end_frame.number = frame;
}

static void
flow_collect(PeelFlow *flow, void *user)
{
    if (!flow->closed) /* a FIN both ways or a RST already ended it */
        g_ptr_array_add(user, flow);
}

static gint
flow_order(gconstpointer a, gconstpointer b)
{
    const PeelFlow *x = *(PeelFlow *const *)a, *y = *(PeelFlow *const *)b;
    if (x->first_frame != y->first_frame)
        return x->first_frame < y->first_frame ? -1 : 1;
    if (x->ip_proto != y->ip_proto)
        return x->ip_proto < y->ip_proto ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

void
peel_dissector_finish(PeelDissector *dis, PeelCaptureEndFn note, void *user)
{
    if (dis->finished)
        return;
    dis->finished = true;
    peel_flow_table_release_queued(dis->flows); /* the last packet is done with them */
    uint32_t n_protos = peel_registry_n_protos();
    g_autoptr(GArray) hooks = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    for (uint32_t p = 0; p < n_protos; p++) {
        const PeelProto *proto = peel_registry_proto(p);
        if (proto->capture_end != NULL && (dis->disabled == NULL || !dis->disabled[p]))
            g_array_append_val(hooks, p);
    }
    if (hooks->len == 0)
        return;
    g_autoptr(GPtrArray) flows = g_ptr_array_new();
    peel_flow_table_foreach(dis->flows, flow_collect, flows);
    g_ptr_array_sort(flows, flow_order);
    static const uint8_t nothing[1];
    dis->at_end = true;
    for (guint i = 0; i < flows->len; i++) {
        PeelFlow *flow = g_ptr_array_index(flows, i);
        for (guint h = 0; h < hooks->len; h++) {
            dis->end_frame = (PeelFrameInfo){ .number = flow->last_frame,
                .ts = flow->last_ts,
                .latest = flow->last_ts,
                .data = nothing };
            PeelPacket *pkt = packet_begin(dis, &dis->end_frame);
            pkt->flow = flow;
            pkt->sources[0] = (PeelSourceBytes){ .data = nothing, .len = 0, .name = "Frame" };
            pkt->n_sources = 1;
            peel_dissect_capture_end(pkt, g_array_index(hooks, uint32_t, h));
            if (pkt->n_experts > 0 && note != NULL)
                note(user, pkt);
        }
    }
    dis->at_end = false;
}

uint32_t
peel_record_size(const PeelPacket *pkt, uint8_t sub)
{
    uint32_t len = 0;
    return record_find(pkt, sub, &len) < 0 ? 0 : len;
}

bool
peel_record_get(const PeelPacket *pkt, uint8_t sub, void *out, uint32_t len)
{
    uint32_t have = 0;
    gint64 pos = record_find(pkt, sub, &have);
    if (pos < 0 || have != len)
        return false;
    memcpy(out, pkt->dis->rec_log->data + pos, len);
    return true;
}

void
peel_dissector_set_frame_fetch(PeelDissector *dis, PeelFrameFetch fetch, void *user)
{
    dis->fetch = fetch;
    dis->fetch_user = user;
}

bool
peel_tap_wanted(const PeelPacket *pkt)
{
    return pkt->dis->tap != NULL && !pkt->revisit;
}

bool
peel_fetch_frame(PeelPacket *pkt, uint32_t frame, const uint8_t **data, uint32_t *len)
{
    PeelDissector *dis = pkt->dis;
    if (frame == pkt->frame->number) {
        *data = pkt->frame->data;
        *len = pkt->frame->cap_len;
        return true;
    }
    const uint8_t *d = NULL;
    uint32_t n = 0;
    if (dis->fetch == NULL || !dis->fetch(dis->fetch_user, frame, &d, &n))
        return false;
    uint8_t *copy = peel_arena_alloc(pkt->arena, n ? n : 1);
    if (copy == NULL)
        return false;
    memcpy(copy, d, n);
    *data = copy;
    *len = n;
    return true;
}

void
peel_set_reassembled_in(PeelPacket *pkt, uint32_t frame, uint32_t in_frame)
{
    if (pkt->dis->reassembled_in != NULL && !pkt->revisit && frame != in_frame)
        g_hash_table_insert(pkt->dis->reassembled_in, GUINT_TO_POINTER(frame),
                GUINT_TO_POINTER(in_frame));
}

uint32_t
peel_get_reassembled_in(const PeelPacket *pkt)
{
    if (pkt->dis->reassembled_in == NULL)
        return 0;
    return GPOINTER_TO_UINT(
            g_hash_table_lookup(pkt->dis->reassembled_in, GUINT_TO_POINTER(pkt->frame->number)));
}
