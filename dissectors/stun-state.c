/* stun-state.c: STUN transactions and TURN allocations per 5-tuple (stun-state.h). */
#include "stun-state.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

typedef struct {
    uint8_t ip_proto;
    uint8_t addr_type;
    uint16_t port[2];
    uint8_t addr[2][16];
} ConvKey;

struct StunConv {
    bool marked;
    GHashTable *trans;   /* 12-byte id -> StunTrans */
    GHashTable *classic; /* 16-byte id -> StunTrans (RFC 3489), created on first use */
    bool allocated;
    StunAddr relayed;
    uint32_t lifetime;
    uint32_t alloc_frame;
    uint32_t n_permissions, cap_permissions;
    StunAddr *permissions; /* grown on demand, at most STUN_MAX_PERMISSIONS */
    uint32_t n_channels, cap_channels;
    StunChannel *channels;   /* grown on demand, at most STUN_MAX_CHANNELS */
    uint32_t *total_trans;   /* the capture's transaction count (StunEngine) */
    uint32_t *total_entries; /* the capture's permissions and channels (StunEngine) */
};

typedef struct {
    GHashTable *convs; /* ConvKey -> StunConv */
    uint32_t total_trans;
    uint32_t total_entries;
} StunEngine;

static const char stun_state_owner = 0;

static guint
conv_key_hash(gconstpointer p)
{
    const uint8_t *b = p;
    guint h = 2166136261u;
    for (size_t i = 0; i < sizeof(ConvKey); i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

static gboolean
conv_key_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(ConvKey)) == 0;
}

static guint
trans_hash(gconstpointer p)
{
    const uint8_t *b = p;
    guint h = 2166136261u;
    for (size_t i = 0; i < 12; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

static gboolean
trans_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, 12) == 0;
}

static void
conv_free(gpointer p)
{
    StunConv *c = p;
    g_free(c->permissions);
    g_free(c->channels);
    g_hash_table_destroy(c->trans);
    if (c->classic != NULL)
        g_hash_table_destroy(c->classic);
    g_free(c);
}

static void
engine_clear(void *data)
{
    StunEngine *e = data;
    if (e->convs != NULL)
        g_hash_table_destroy(e->convs);
}

static bool
conv_key_make(const PeelPacket *pkt, ConvKey *k)
{
    memset(k, 0, sizeof *k);
    uint8_t t = pkt->net_src.type;
    if ((t != PEEL_AT_IPV4 && t != PEEL_AT_IPV6) || pkt->net_dst.type != t)
        return false;
    if (pkt->ip_proto != 6 && pkt->ip_proto != 17)
        return false;
    size_t n = t == PEEL_AT_IPV4 ? 4 : 16;
    k->ip_proto = pkt->ip_proto;
    k->addr_type = t;
    int cmp = memcmp(pkt->net_src.bytes, pkt->net_dst.bytes, n);
    bool swap = cmp > 0 || (cmp == 0 && pkt->src_port > pkt->dst_port);
    const PeelAddr *a = swap ? &pkt->net_dst : &pkt->net_src;
    const PeelAddr *b = swap ? &pkt->net_src : &pkt->net_dst;
    memcpy(k->addr[0], a->bytes, n);
    memcpy(k->addr[1], b->bytes, n);
    k->port[0] = swap ? pkt->dst_port : pkt->src_port;
    k->port[1] = swap ? pkt->src_port : pkt->dst_port;
    return true;
}

StunConv *
stun_conv(PeelPacket *pkt, bool create)
{
    ConvKey k;
    if (pkt->dis == NULL || pkt->in_error || !conv_key_make(pkt, &k))
        return NULL;
    StunEngine *e = peel_engine_data(pkt, &stun_state_owner, sizeof *e, engine_clear);
    if (e->convs == NULL)
        e->convs = g_hash_table_new_full(conv_key_hash, conv_key_equal, g_free, conv_free);
    StunConv *c = g_hash_table_lookup(e->convs, &k);
    if (c != NULL || !create || pkt->revisit || g_hash_table_size(e->convs) >= STUN_MAX_CONVS)
        return c;
    c = g_new0(StunConv, 1);
    c->trans = g_hash_table_new_full(trans_hash, trans_equal, g_free, g_free);
    c->total_trans = &e->total_trans;
    c->total_entries = &e->total_entries;
    g_hash_table_insert(e->convs, g_memdup2(&k, sizeof k), c);
    return c;
}

void
stun_conv_mark(StunConv *conv)
{
    if (conv != NULL)
        conv->marked = true;
}

bool
stun_conv_marked(const StunConv *conv)
{
    return conv != NULL && conv->marked;
}

StunTrans *
stun_trans(StunConv *conv, const uint8_t *id, bool create)
{
    if (conv == NULL)
        return NULL;
    StunTrans *t = g_hash_table_lookup(conv->trans, id);
    if (t != NULL || !create || *conv->total_trans >= STUN_MAX_TRANS)
        return t;
    (*conv->total_trans)++;
    t = g_new0(StunTrans, 1);
    g_hash_table_insert(conv->trans, g_memdup2(id, 12), t);
    return t;
}

static guint
classic_hash(gconstpointer p)
{
    const uint8_t *b = p;
    guint h = 2166136261u;
    for (size_t i = 0; i < 16; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

static gboolean
classic_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, 16) == 0;
}

StunTrans *
stun_classic_trans(StunConv *conv, const uint8_t *id, bool request)
{
    if (conv == NULL)
        return NULL;
    if (conv->classic == NULL) {
        if (!request)
            return NULL;
        conv->classic = g_hash_table_new_full(classic_hash, classic_equal, g_free, g_free);
    }
    StunTrans *old = g_hash_table_lookup(conv->classic, id);
    if (!request || (old == NULL && *conv->total_trans >= STUN_MAX_TRANS))
        return old;
    if (old == NULL)
        (*conv->total_trans)++;
    StunTrans *t = g_new0(StunTrans, 1);
    g_hash_table_replace(conv->classic, g_memdup2(id, 16), t);
    return t;
}

uint32_t
stun_conv_trans_count(const StunConv *conv)
{
    return conv != NULL ? g_hash_table_size(conv->trans) : 0;
}

static bool
addr_equal(const StunAddr *a, const StunAddr *b)
{
    size_t n = a->family == 1 ? 4 : 16;
    return a->family == b->family && memcmp(a->addr, b->addr, n) == 0;
}

void
stun_turn_allocated(StunConv *conv, const StunAddr *relayed, uint32_t lifetime, uint32_t frame)
{
    if (conv == NULL)
        return;
    conv->allocated = true;
    conv->relayed = *relayed;
    conv->lifetime = lifetime;
    conv->alloc_frame = frame;
    conv->n_permissions = 0;
    conv->n_channels = 0;
}

void
stun_turn_refreshed(StunConv *conv, uint32_t lifetime)
{
    if (conv == NULL || !conv->allocated)
        return;
    conv->lifetime = lifetime;
    if (lifetime == 0) /* RFC 8656 7.2: a zero lifetime deletes the allocation */
        conv->allocated = false;
}

const StunAddr *
stun_turn_relayed(const StunConv *conv)
{
    return conv != NULL && conv->allocated ? &conv->relayed : NULL;
}

void
stun_turn_permit(StunConv *conv, const StunAddr *peer)
{
    if (conv == NULL || stun_turn_permitted(conv, peer))
        return;
    if (*conv->total_entries >= STUN_MAX_TURN_ENTRIES)
        return;
    if (conv->n_permissions == conv->cap_permissions) {
        if (conv->cap_permissions >= STUN_MAX_PERMISSIONS)
            return;
        conv->cap_permissions = conv->cap_permissions ? conv->cap_permissions * 2 : 4;
        conv->permissions = g_renew(StunAddr, conv->permissions, conv->cap_permissions);
    }
    conv->permissions[conv->n_permissions++] = *peer;
    (*conv->total_entries)++;
}

/* Permissions are per IP address, not port (RFC 8656 9). */
bool
stun_turn_permitted(const StunConv *conv, const StunAddr *peer)
{
    if (conv == NULL)
        return false;
    for (uint32_t i = 0; i < conv->n_permissions; i++)
        if (addr_equal(&conv->permissions[i], peer))
            return true;
    return false;
}

void
stun_turn_bind(StunConv *conv, uint16_t channel, const StunAddr *peer, uint32_t frame)
{
    if (conv == NULL)
        return;
    StunChannel *slot = NULL;
    for (uint32_t i = 0; i < conv->n_channels; i++)
        if (conv->channels[i].number == channel)
            slot = &conv->channels[i];
    if (slot == NULL && *conv->total_entries >= STUN_MAX_TURN_ENTRIES)
        return;
    if (slot == NULL && conv->n_channels == conv->cap_channels &&
            conv->cap_channels < STUN_MAX_CHANNELS) {
        conv->cap_channels = conv->cap_channels ? conv->cap_channels * 2 : 4;
        conv->channels = g_renew(StunChannel, conv->channels, conv->cap_channels);
    }
    if (slot == NULL && conv->n_channels < conv->cap_channels) {
        slot = &conv->channels[conv->n_channels++];
        (*conv->total_entries)++;
    }
    if (slot == NULL)
        return;
    slot->number = channel;
    slot->peer = *peer;
    slot->frame = frame;
    stun_turn_permit(conv, peer); /* a binding installs a permission too (RFC 8656 11.2) */
}

const StunChannel *
stun_turn_channel(const StunConv *conv, uint16_t channel)
{
    if (conv == NULL)
        return NULL;
    for (uint32_t i = 0; i < conv->n_channels; i++)
        if (conv->channels[i].number == channel)
            return &conv->channels[i];
    return NULL;
}

const char *
stun_addr_str(PeelPacket *pkt, const StunAddr *a)
{
    char ip[PEEL_IPV6_STRLEN];
    if (a->family == 1)
        peel_ipv4_to_str(ip, (uint32_t)a->addr[0] << 24 | (uint32_t)a->addr[1] << 16 |
                                     (uint32_t)a->addr[2] << 8 | a->addr[3]);
    else
        peel_ipv6_to_str(ip, a->addr);
    char *out = peel_arena_alloc(pkt->arena, 80);
    if (out == NULL)
        return "";
    size_t n = strlen(ip);
    memcpy(out, ip, n);
    out[n++] = ':';
    char digits[8];
    int i = sizeof digits;
    unsigned port = a->port;
    do {
        digits[--i] = (char)('0' + port % 10);
        port /= 10;
    } while (port);
    memcpy(out + n, digits + i, sizeof digits - (size_t)i);
    out[n + sizeof digits - (size_t)i] = '\0';
    return out;
}
