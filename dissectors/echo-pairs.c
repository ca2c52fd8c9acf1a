/* echo-pairs.c: a bounded table of outstanding echo requests per capture. */
#include "echo-pairs.h"

#include <glib.h>
#include <string.h>

#define MAX_PENDING 65536u /* requests remembered; past this the table starts again */
#define RECORD_SUB 200     /* per-frame record of the protocol that pairs */

typedef struct {
    GHashTable *requests; /* key (guint64 hash) -> PeelEchoMatch */
} EchoTable;

static void
table_clear(void *data)
{
    EchoTable *t = data;
    if (t->requests != NULL)
        g_hash_table_destroy(t->requests);
}

static EchoTable *
table_get(PeelPacket *pkt, const void *owner)
{
    EchoTable *t = peel_engine_data(pkt, owner, sizeof *t, table_clear);
    if (t->requests == NULL)
        t->requests = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
    return t;
}

/* A key for "a request from a to b with this id and sequence number". */
static guint64
key_of(const PeelAddr *a, const PeelAddr *b, uint16_t id, uint16_t seq)
{
    guint64 h = 1469598103934665603ull;
    size_t n = a->type == PEEL_AT_IPV6 ? 16 : 4;
    for (size_t i = 0; i < n; i++)
        h = (h ^ a->bytes[i]) * 1099511628211ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b->bytes[i]) * 1099511628211ull;
    h = (h ^ id) * 1099511628211ull;
    h = (h ^ seq) * 1099511628211ull;
    return h ^ a->type;
}

void
peel_echo_request(PeelPacket *pkt, const void *owner, uint16_t id, uint16_t seq)
{
    if (pkt->revisit || pkt->net_src.type == PEEL_AT_NONE)
        return;
    EchoTable *t = table_get(pkt, owner);
    if (g_hash_table_size(t->requests) >= MAX_PENDING)
        g_hash_table_remove_all(t->requests);
    guint64 *key = g_new(guint64, 1);
    *key = key_of(&pkt->net_src, &pkt->net_dst, id, seq);
    PeelEchoMatch *m = g_new(PeelEchoMatch, 1);
    m->frame = pkt->frame->number;
    m->ts = pkt->frame->ts;
    g_hash_table_replace(t->requests, key, m);
}

bool
peel_echo_reply(PeelPacket *pkt, const void *owner, uint16_t id, uint16_t seq,
        PeelEchoMatch *match)
{
    if (pkt->revisit)
        return peel_record_get(pkt, RECORD_SUB, match, sizeof *match);
    if (pkt->net_src.type == PEEL_AT_NONE)
        return false;
    EchoTable *t = table_get(pkt, owner);
    guint64 key = key_of(&pkt->net_dst, &pkt->net_src, id, seq);
    const PeelEchoMatch *m = g_hash_table_lookup(t->requests, &key);
    if (m == NULL)
        return false;
    *match = *m;
    peel_record_put(pkt, RECORD_SUB, match, sizeof *match);
    return true;
}

void
peel_echo_pair(PeelPacket *pkt, const void *owner, bool request, bool reply, uint16_t id,
        uint16_t seq, const PeelEchoFields *fields)
{
    if (request) {
        peel_echo_request(pkt, owner, id, seq);
        return;
    }
    PeelEchoMatch m;
    if (!reply || !peel_echo_reply(pkt, owner, id, seq, &m))
        return;
    int32_t f = peel_add_uint_value(pkt, fields->resp_to, m.frame);
    peel_set_text(pkt, f, "[%s: %u]", fields->resp_to_title, m.frame);
    double ms = (double)(pkt->frame->ts.sec - m.ts.sec) * 1e3 +
                (double)(pkt->frame->ts.nsec - m.ts.nsec) / 1e6;
    int32_t t = peel_add_double_value(pkt, fields->resptime, ms);
    peel_set_text(pkt, t, "[%s: %.3f ms]", fields->resptime_title, ms);
    peel_info_append(pkt, " (request in %u)", m.frame);
}
