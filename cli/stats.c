/* stats.c: -z conv and -z endpoints tables as tshark 4.0 prints them
 * (epan/conversation_table.c, ui/cli/tap-iousers.c, ui/cli/tap-endpoints.c), and the set
 * of -z reports of one run. */
#include "stats.h"

#include <inttypes.h>
#include <string.h>

#include "flow.h"
#include "follow.h"
#include "format.h"
#include "registry.h"

/* ---- Field ids the layer walk looks for ---- */

typedef struct {
    int eth, eth_src, eth_dst;
    int ip, ip_src, ip_dst;
    int ipv6, ipv6_src, ipv6_dst;
    int ipv6_frag_more, ipv6_frag_offset, ipv6_reassembled, ipv6_fragments;
    int tcp, tcp_sport, tcp_dport, tcp_stream;
    int udp, udp_sport, udp_dport;
    int icmp, icmpv6;
    int tcp_payload, udp_payload;
    int tcp_hdr_len, udp_length;
} StatsIds;

static StatsIds stats_ids;

static gpointer
stats_ids_init(gpointer unused)
{
    (void)unused;
    StatsIds *s = &stats_ids;
    s->eth = peel_field_lookup("eth");
    s->eth_src = peel_field_lookup("eth.src");
    s->eth_dst = peel_field_lookup("eth.dst");
    s->ip = peel_field_lookup("ip");
    s->ip_src = peel_field_lookup("ip.src");
    s->ip_dst = peel_field_lookup("ip.dst");
    s->ipv6 = peel_field_lookup("ipv6");
    s->ipv6_src = peel_field_lookup("ipv6.src");
    s->ipv6_dst = peel_field_lookup("ipv6.dst");
    s->ipv6_frag_more = peel_field_lookup("ipv6.fraghdr.more");
    s->ipv6_frag_offset = peel_field_lookup("ipv6.fraghdr.offset");
    s->ipv6_reassembled = peel_field_lookup("ipv6.reassembled.length");
    s->ipv6_fragments = peel_field_lookup("ipv6.fragments");
    s->tcp = peel_field_lookup("tcp");
    s->tcp_sport = peel_field_lookup("tcp.srcport");
    s->tcp_dport = peel_field_lookup("tcp.dstport");
    s->tcp_stream = peel_field_lookup("tcp.stream");
    s->udp = peel_field_lookup("udp");
    s->udp_sport = peel_field_lookup("udp.srcport");
    s->udp_dport = peel_field_lookup("udp.dstport");
    s->icmp = peel_field_lookup("icmp");
    s->icmpv6 = peel_field_lookup("icmpv6");
    s->tcp_payload = peel_field_lookup("tcp.payload");
    s->udp_payload = peel_field_lookup("udp.payload");
    s->tcp_hdr_len = peel_field_lookup("tcp.hdr_len");
    s->udp_length = peel_field_lookup("udp.length");
    return NULL;
}

static const StatsIds *
stats_get_ids(void)
{
    static GOnce once = G_ONCE_INIT;
    g_once(&once, stats_ids_init, NULL);
    return &stats_ids;
}

/* ---- Tables ---- */

typedef struct {
    PeelAddr a, b; /* a sent the first packet seen */
    uint16_t pa, pb;
    uint64_t tx_frames, tx_bytes; /* a to b: "->" */
    uint64_t rx_frames, rx_bytes; /* b to a: "<-" */
    PeelTime start, stop;
} ConvItem;

typedef struct {
    PeelAddr addr;
    uint16_t port;
    uint64_t tx_frames, tx_bytes;
    uint64_t rx_frames, rx_bytes;
} EndpointItem;

/* Hash keys: addresses with unused bytes zeroed, so keys compare as bytes. */
typedef struct {
    uint8_t type;
    uint8_t lo[16], hi[16];
    uint16_t plo, phi;
    uint32_t conv_id;
} ConvKey;

typedef struct {
    uint8_t type;
    uint8_t addr[16];
    uint16_t port;
} EndpointKey;

struct PeelConvTable {
    PeelConvKind kind;
    bool endpoints;
    GArray *items;     /* ConvItem or EndpointItem, in order of first appearance */
    GHashTable *index; /* key (owned) -> item index + 1 */
    size_t key_size;
};

static const char *const kind_names[] = { "Ethernet", "IPv4", "IPv6", "TCP", "UDP" };

static bool
kind_has_ports(PeelConvKind kind)
{
    return kind == PEEL_CONV_TCP || kind == PEEL_CONV_UDP;
}

static size_t
addr_len(uint8_t type)
{
    return type == PEEL_AT_ETHER ? 6 : type == PEEL_AT_IPV4 ? 4 : type == PEEL_AT_IPV6 ? 16 : 0;
}

static PeelAddr
addr_clean(const PeelAddr *in)
{
    PeelAddr a;
    memset(&a, 0, sizeof a);
    a.type = in->type;
    memcpy(a.bytes, in->bytes, addr_len(in->type));
    return a;
}

static int
endpoint_cmp(const PeelAddr *a, uint16_t pa, const PeelAddr *b, uint16_t pb)
{
    int c = memcmp(a->bytes, b->bytes, sizeof a->bytes);
    if (c != 0)
        return c;
    return (int)pa - (int)pb;
}

static bool
addr_eq(const PeelAddr *a, const PeelAddr *b)
{
    return a->type == b->type && memcmp(a->bytes, b->bytes, sizeof a->bytes) == 0;
}

/* FNV-1a over the key bytes: the table's own hash, since keys are plain bytes. */
static guint
key_hash(const uint8_t *p, size_t n)
{
    guint32 h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static guint
conv_key_hash(gconstpointer k)
{
    return key_hash(k, sizeof(ConvKey));
}

static gboolean
conv_key_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(ConvKey)) == 0;
}

static guint
endpoint_key_hash(gconstpointer k)
{
    return key_hash(k, sizeof(EndpointKey));
}

static gboolean
endpoint_key_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(EndpointKey)) == 0;
}

PeelConvTable *
peel_conv_new(PeelConvKind kind, bool endpoints)
{
    g_return_val_if_fail(kind <= PEEL_CONV_UDP, NULL);
    stats_get_ids();
    PeelConvTable *t = g_new0(PeelConvTable, 1);
    t->kind = kind;
    t->endpoints = endpoints;
    t->items = g_array_new(FALSE, FALSE, endpoints ? sizeof(EndpointItem) : sizeof(ConvItem));
    if (endpoints)
        t->index = g_hash_table_new_full(endpoint_key_hash, endpoint_key_equal, g_free, NULL);
    else
        t->index = g_hash_table_new_full(conv_key_hash, conv_key_equal, g_free, NULL);
    return t;
}

void
peel_conv_free(PeelConvTable *table)
{
    if (table == NULL)
        return;
    g_array_unref(table->items);
    g_hash_table_unref(table->index);
    g_free(table);
}

static int
time_cmp(PeelTime a, PeelTime b)
{
    if (a.sec != b.sec)
        return a.sec < b.sec ? -1 : 1;
    return a.nsec < b.nsec ? -1 : a.nsec > b.nsec;
}

/* tshark hands a frame's length to its tables as an int: lengths past 2^31 (only in
 * broken captures) count as negative, and so do the totals they reach. */
static uint64_t
frame_bytes(uint32_t len)
{
    return (uint64_t)(int64_t)(int32_t)len;
}

static void
conv_count(PeelConvTable *t, const PeelConvHit *hit, const PeelAddr *src, const PeelAddr *dst)
{
    ConvKey key;
    memset(&key, 0, sizeof key);
    key.type = src->type;
    key.conv_id = hit->conv_id;
    bool src_lo = endpoint_cmp(src, hit->sport, dst, hit->dport) <= 0;
    memcpy(key.lo, (src_lo ? src : dst)->bytes, 16);
    memcpy(key.hi, (src_lo ? dst : src)->bytes, 16);
    key.plo = src_lo ? hit->sport : hit->dport;
    key.phi = src_lo ? hit->dport : hit->sport;

    guint idx = GPOINTER_TO_UINT(g_hash_table_lookup(t->index, &key));
    ConvItem *c;
    if (idx == 0) {
        ConvItem n = { .a = *src,
            .b = *dst,
            .pa = hit->sport,
            .pb = hit->dport,
            .start = hit->rel,
            .stop = hit->rel };
        g_array_append_val(t->items, n);
        g_hash_table_insert(t->index, g_memdup2(&key, sizeof key), GUINT_TO_POINTER(t->items->len));
        c = &g_array_index(t->items, ConvItem, t->items->len - 1);
    } else {
        c = &g_array_index(t->items, ConvItem, idx - 1);
        /* As tshark: a later time moves the end, an earlier one the start. */
        if (time_cmp(hit->rel, c->stop) > 0)
            c->stop = hit->rel;
        else if (time_cmp(hit->rel, c->start) < 0)
            c->start = hit->rel;
    }
    if (addr_eq(src, &c->a) && addr_eq(dst, &c->b) && hit->sport == c->pa && hit->dport == c->pb) {
        c->tx_frames++;
        c->tx_bytes += frame_bytes(hit->frame_len);
    } else {
        c->rx_frames++;
        c->rx_bytes += frame_bytes(hit->frame_len);
    }
}

static void
endpoint_count(PeelConvTable *t, const PeelAddr *addr, uint16_t port, bool sender, uint32_t len)
{
    EndpointKey key;
    memset(&key, 0, sizeof key);
    key.type = addr->type;
    memcpy(key.addr, addr->bytes, 16);
    key.port = port;
    guint idx = GPOINTER_TO_UINT(g_hash_table_lookup(t->index, &key));
    if (idx == 0) {
        EndpointItem n = { .addr = *addr, .port = port };
        g_array_append_val(t->items, n);
        idx = t->items->len;
        g_hash_table_insert(t->index, g_memdup2(&key, sizeof key), GUINT_TO_POINTER(idx));
    }
    EndpointItem *e = &g_array_index(t->items, EndpointItem, idx - 1);
    if (sender) {
        e->tx_frames++;
        e->tx_bytes += frame_bytes(len);
    } else {
        e->rx_frames++;
        e->rx_bytes += frame_bytes(len);
    }
}

void
peel_conv_add_hit(PeelConvTable *table, const PeelConvHit *hit)
{
    PeelAddr src = addr_clean(&hit->src), dst = addr_clean(&hit->dst);
    if (table->endpoints) {
        endpoint_count(table, &src, hit->sport, true, hit->frame_len);
        endpoint_count(table, &dst, hit->dport, false, hit->frame_len);
    } else {
        conv_count(table, hit, &src, &dst);
    }
}

/* ---- Finding the layers in a packet's field list ---- */

typedef enum { L_NONE, L_ETH, L_IPV4, L_IPV6, L_TCP, L_UDP } LayerType;

typedef struct {
    PeelConvTable *const *tables; /* every table a packet is counted in */
    guint n_tables;
    const PeelPacket *pkt;
    LayerType cur;
    PeelAddr src, dst;
    bool have_src, have_dst;
    bool fragment, reassembled; /* IPv6: a fragment header that is not the whole datagram */
    bool broken; /* a header field could not be read: tshark's dissector threw before its tap */
    uint16_t sport, dport;
    bool have_sport, have_dport;
    uint32_t stream;
    bool have_stream;
    PeelAddr net_src, net_dst; /* the innermost complete IP layer so far */
    bool have_net;
    int ip_layers; /* IP headers seen */
    int net_layer; /* which of them net_src and net_dst came from */
    /* Transport layers wait for the end of the walk: the innermost one takes the packet's
     * network addresses, which follow routing headers to the final destination, as
     * tshark's pinfo->dst does. */
    struct {
        PeelConvHit hit;
        int net_layer;
        PeelConvKind kind;
    } pending[4];
    int n_pending;
} LayerWalk;

static PeelConvKind
layer_kind(LayerType l)
{
    static const PeelConvKind kinds[] = { [L_ETH] = PEEL_CONV_ETH,
        [L_IPV4] = PEEL_CONV_IPV4,
        [L_IPV6] = PEEL_CONV_IPV6,
        [L_TCP] = PEEL_CONV_TCP,
        [L_UDP] = PEEL_CONV_UDP };
    return kinds[l];
}

static void
walk_hit(LayerWalk *w, PeelConvKind kind, const PeelAddr *src, const PeelAddr *dst, uint16_t sport,
        uint16_t dport, uint32_t conv_id)
{
    PeelConvHit hit = { .src = *src,
        .dst = *dst,
        .sport = sport,
        .dport = dport,
        .conv_id = conv_id,
        .frame_len = w->pkt->frame->len,
        .rel = w->pkt->frame->rel };
    for (guint i = 0; i < w->n_tables; i++)
        if (w->tables[i]->kind == kind)
            peel_conv_add_hit(w->tables[i], &hit);
}

/* True when some table counts layers of this kind. */
static bool
walk_wants(const LayerWalk *w, PeelConvKind kind)
{
    for (guint i = 0; i < w->n_tables; i++)
        if (w->tables[i]->kind == kind)
            return true;
    return false;
}

/* The layer being walked ends: count it when complete and some table wants its kind. */
static void
walk_finish(LayerWalk *w)
{
    LayerType l = w->cur;
    w->cur = L_NONE;
    if (l == L_NONE)
        return;
    PeelConvKind kind = layer_kind(l);
    bool want = walk_wants(w, kind);
    if (l == L_ETH || l == L_IPV4 || l == L_IPV6) {
        /* tshark 4.0 taps an IPv6 header only once its datagram is whole: not for a
         * fragment that leaves it incomplete (IPv4 fragments do count). */
        if (!w->have_src || !w->have_dst || w->broken || (w->fragment && !w->reassembled))
            return;
        if (l != L_ETH) {
            w->net_src = w->src;
            w->net_dst = w->dst;
            w->have_net = true;
            w->net_layer = w->ip_layers;
        }
        if (want)
            walk_hit(w, kind, &w->src, &w->dst, 0, 0, 0);
        return;
    }
    if (!want || !w->have_sport || !w->have_dport || !w->have_net || w->broken)
        return;
    uint32_t conv_id = 0;
    if (l == L_TCP) {
        const PeelFlow *flow = w->pkt->flow;
        if (w->have_stream)
            conv_id = w->stream;
        else if (flow != NULL && flow->ip_proto == 6)
            conv_id = flow->id;
    }
    if (w->n_pending == (int)G_N_ELEMENTS(w->pending)) {
        walk_hit(w, kind, &w->net_src, &w->net_dst, w->sport, w->dport, conv_id);
        return;
    }
    PeelConvHit *hit = &w->pending[w->n_pending].hit;
    *hit = (PeelConvHit){ .src = w->net_src,
        .dst = w->net_dst,
        .sport = w->sport,
        .dport = w->dport,
        .conv_id = conv_id };
    w->pending[w->n_pending].kind = kind;
    w->pending[w->n_pending++].net_layer = w->net_layer;
}

/* Counts the transport layers held back, the innermost with the packet's addresses. */
static void
walk_flush(LayerWalk *w)
{
    const PeelPacket *pkt = w->pkt;
    for (int i = 0; i < w->n_pending; i++) {
        PeelConvHit *hit = &w->pending[i].hit;
        if (w->pending[i].net_layer == w->ip_layers && pkt->net_src.type == hit->src.type &&
                pkt->net_dst.type == hit->dst.type) {
            hit->src = pkt->net_src;
            hit->dst = pkt->net_dst;
        }
        walk_hit(w, w->pending[i].kind, &hit->src, &hit->dst, hit->sport, hit->dport, hit->conv_id);
    }
}

static void
walk_start(LayerWalk *w, LayerType l)
{
    walk_finish(w);
    w->cur = l;
    if (l == L_IPV4 || l == L_IPV6)
        w->ip_layers++;
    w->have_src = w->have_dst = w->have_sport = w->have_dport = w->have_stream = false;
    w->fragment = w->reassembled = w->broken = false;
}

static void
walk_addr(PeelAddr *a, uint8_t type, const PeelField *fl)
{
    memset(a, 0, sizeof *a);
    a->type = type;
    if (type == PEEL_AT_IPV4) {
        uint32_t v = (uint32_t)fl->v.u;
        a->bytes[0] = (uint8_t)(v >> 24);
        a->bytes[1] = (uint8_t)(v >> 16);
        a->bytes[2] = (uint8_t)(v >> 8);
        a->bytes[3] = (uint8_t)v;
    } else if (fl->v.b.ptr != NULL) {
        memcpy(a->bytes, fl->v.b.ptr, MIN(fl->v.b.len, addr_len(type)));
    }
}

static void
walk_field(LayerWalk *w, const StatsIds *ids, const PeelField *fl)
{
    int id = (int)fl->id;
    bool src;
    switch (w->cur) {
    case L_ETH:
    case L_IPV4:
    case L_IPV6: {
        uint8_t type;
        if (w->cur == L_ETH && (id == ids->eth_src || id == ids->eth_dst)) {
            type = PEEL_AT_ETHER;
            src = id == ids->eth_src;
        } else if (w->cur == L_IPV4 && (id == ids->ip_src || id == ids->ip_dst)) {
            type = PEEL_AT_IPV4;
            src = id == ids->ip_src;
        } else if (w->cur == L_IPV6 && (id == ids->ipv6_src || id == ids->ipv6_dst)) {
            type = PEEL_AT_IPV6;
            src = id == ids->ipv6_src;
        } else {
            if (w->cur == L_IPV6 && (id == ids->ipv6_frag_more || id == ids->ipv6_frag_offset) &&
                    fl->v.u != 0)
                w->fragment = true;
            else if (w->cur == L_IPV6 && (id == ids->ipv6_reassembled || id == ids->ipv6_fragments))
                w->reassembled = true;
            return;
        }
        bool *have = src ? &w->have_src : &w->have_dst;
        if (!*have) {
            walk_addr(src ? &w->src : &w->dst, type, fl);
            *have = true;
        }
        return;
    }
    case L_TCP:
    case L_UDP: {
        bool tcp = w->cur == L_TCP;
        if (tcp && id == ids->tcp_stream && !w->have_stream) {
            w->stream = (uint32_t)fl->v.u;
            w->have_stream = true;
            return;
        }
        /* tshark gives up on a bogus TCP header length or UDP length before its taps. */
        if (tcp && id == ids->tcp_hdr_len && fl->v.u < 20)
            w->broken = true;
        if (!tcp && id == ids->udp_length && fl->v.u < 8 &&
                !(fl->v.u == 0 && w->have_net && w->net_src.type == PEEL_AT_IPV6))
            w->broken = true;
        if (id != (tcp ? ids->tcp_sport : ids->udp_sport) &&
                id != (tcp ? ids->tcp_dport : ids->udp_dport))
            return;
        src = id == (tcp ? ids->tcp_sport : ids->udp_sport);
        bool *have = src ? &w->have_sport : &w->have_dport;
        if (!*have) {
            *(src ? &w->sport : &w->dport) = (uint16_t)fl->v.u;
            *have = true;
        }
        return;
    }
    case L_NONE:
        return;
    }
}

/* Counts the packet in each of `tables`, walking its fields once. */
static void
stats_walk(PeelConvTable *const *tables, guint n_tables, const PeelPacket *pkt)
{
    const StatsIds *ids = stats_get_ids();
    LayerWalk w = { .tables = tables, .n_tables = n_tables, .pkt = pkt, .cur = L_NONE };
    uint32_t layer_proto = UINT32_MAX; /* protocol index of the layer being walked */
    for (uint32_t i = 0; i < pkt->n_fields; i++) {
        const PeelField *fl = &pkt->fields[i];
        int id = (int)fl->id;
        if (id == ids->icmp || id == ids->icmpv6)
            break; /* what follows is a quoted packet: tshark's taps skip it */
        bool item = peel_field_def(fl->id)->type == PEEL_FT_PROTOCOL;
        if (item && peel_field_proto(fl->id) == layer_proto && w.cur != L_NONE && id != ids->ip &&
                id != ids->ipv6)
            ; /* the layer's own sub-item (an IPv6 extension header): still the layer */
        else if (id == ids->eth)
            walk_start(&w, L_ETH);
        else if (id == ids->ip)
            walk_start(&w, L_IPV4);
        else if (id == ids->ipv6)
            walk_start(&w, L_IPV6);
        else if (id == ids->tcp)
            walk_start(&w, L_TCP);
        else if (id == ids->udp)
            walk_start(&w, L_UDP);
        else if (item)
            walk_finish(&w); /* a layer we do not count: the one before is complete */
        else if ((fl->flags & PEEL_FF_HAS_VALUE) != 0)
            walk_field(&w, ids, fl);
        if (item && w.cur != L_NONE)
            layer_proto = peel_field_proto((uint32_t)id);
        if ((fl->flags & (PEEL_FF_MALFORMED | PEEL_FF_TRUNCATED)) != 0 && id != ids->tcp_payload &&
                id != ids->udp_payload)
            w.broken = true;
    }
    walk_finish(&w);
    walk_flush(&w);
}

void
peel_conv_add(PeelConvTable *table, const PeelPacket *pkt)
{
    stats_walk(&table, 1, pkt);
}

/* ---- Printing ---- */

static const char stats_separator[] =
        "================================================================================\n";

/* wsutil's format_size(size, FORMAT_SIZE_UNIT_BYTES, 0): SI prefixes once the number in
 * the next unit reaches 10, truncated. It takes a signed size, as the totals are printed. */
static void
append_size(GString *out, uint64_t total)
{
    static const char *const prefix[] = { " T", " G", " M", " k" };
    int64_t size = (int64_t)total;
    for (int i = 0; i < 4; i++) {
        int64_t div = 1;
        for (int k = 0; k < 4 - i; k++)
            div *= 1000;
        if (size / div >= 10) {
            g_string_append_printf(out, "%" PRId64 "%sB", size / div, prefix[i]);
            return;
        }
    }
    g_string_append_printf(out, "%" PRId64 " bytes", size);
}

static double
time_to_sec(PeelTime t)
{
    return (double)t.sec + (double)t.nsec / 1000000000;
}

static gint
items_by_frames(gconstpointer a, gconstpointer b, gpointer data)
{
    const uint64_t *totals = data;
    guint ia = *(const guint *)a, ib = *(const guint *)b;
    if (totals[ia] != totals[ib])
        return totals[ia] > totals[ib] ? -1 : 1;
    return ia < ib ? -1 : ia > ib;
}

/* Row order: total frames, most first; ties in order of first appearance. */
static guint *
sorted_rows(const PeelConvTable *t)
{
    guint n = t->items->len;
    g_autofree uint64_t *totals = g_new(uint64_t, n ? n : 1);
    guint *order = g_new(guint, n ? n : 1);
    for (guint i = 0; i < n; i++) {
        order[i] = i;
        if (t->endpoints) {
            const EndpointItem *e = &g_array_index(t->items, EndpointItem, i);
            totals[i] = e->tx_frames + e->rx_frames;
        } else {
            const ConvItem *c = &g_array_index(t->items, ConvItem, i);
            totals[i] = c->tx_frames + c->rx_frames;
        }
    }
    g_qsort_with_data(order, (gint)n, sizeof *order, items_by_frames, totals);
    return order;
}

static void
append_endpoint_name(GString *out, const PeelAddr *a, bool port, uint16_t p)
{
    peel_format_addr(out, a);
    if (port)
        g_string_append_printf(out, ":%u", p);
}

static void
conv_print_rows(const PeelConvTable *t, GString *out)
{
    bool ports = kind_has_ports(t->kind);
    int width = ports ? 26 : 20;
    g_autofree guint *order = sorted_rows(t);
    g_autoptr(GString) a = g_string_new(NULL);
    g_autoptr(GString) b = g_string_new(NULL);
    g_autoptr(GString) rx = g_string_new(NULL);
    g_autoptr(GString) tx = g_string_new(NULL);
    g_autoptr(GString) total = g_string_new(NULL);
    for (guint i = 0; i < t->items->len; i++) {
        const ConvItem *c = &g_array_index(t->items, ConvItem, order[i]);
        g_string_truncate(a, 0);
        g_string_truncate(b, 0);
        g_string_truncate(rx, 0);
        g_string_truncate(tx, 0);
        g_string_truncate(total, 0);
        append_endpoint_name(a, &c->a, ports, c->pa);
        append_endpoint_name(b, &c->b, ports, c->pb);
        append_size(rx, c->rx_bytes);
        append_size(tx, c->tx_bytes);
        append_size(total, c->rx_bytes + c->tx_bytes);
        double start = time_to_sec(c->start);
        double duration = time_to_sec(c->stop) - start;
        g_string_append_printf(out,
                "%-*s <-> %-*s  %6" PRIu64 " %-9s  %6" PRIu64 " %-9s  %6" PRIu64
                " %-9s  %14.9f   %12.4f\n",
                width, a->str, width, b->str, c->rx_frames, rx->str, c->tx_frames, tx->str,
                c->rx_frames + c->tx_frames, total->str, start, duration);
    }
}

static void
endpoint_print_rows(const PeelConvTable *t, GString *out)
{
    bool ports = kind_has_ports(t->kind);
    g_autofree guint *order = sorted_rows(t);
    g_autoptr(GString) name = g_string_new(NULL);
    for (guint i = 0; i < t->items->len; i++) {
        const EndpointItem *e = &g_array_index(t->items, EndpointItem, order[i]);
        g_string_truncate(name, 0);
        peel_format_addr(name, &e->addr);
        g_string_append_printf(out, "%-20s      ", name->str);
        if (ports)
            g_string_append_printf(out, "%5u     ", e->port);
        g_string_append_printf(out,
                "%6" PRIu64 "     %9" PRIu64 "     %6" PRIu64 "       %9" PRIu64 "      %6" PRIu64
                "       %9" PRIu64 "   \n",
                e->tx_frames + e->rx_frames, e->tx_bytes + e->rx_bytes, e->tx_frames, e->tx_bytes,
                e->rx_frames, e->rx_bytes);
    }
}

void
peel_conv_print(const PeelConvTable *table, GString *out)
{
    bool ports = kind_has_ports(table->kind);
    const char *pad = ports ? "            " : "";
    g_string_append(out, stats_separator);
    g_string_append_printf(out, "%s %s\nFilter:<No Filter>\n", kind_names[table->kind],
            table->endpoints ? "Endpoints" : "Conversations");
    if (table->endpoints) {
        g_string_append_printf(out,
                "                       |  %sPackets  | |  Bytes  | | Tx Packets | | Tx Bytes "
                "| | Rx Packets | | Rx Bytes |\n",
                ports ? "Port  ||  " : "");
        endpoint_print_rows(table, out);
    } else {
        g_string_append_printf(out,
                "%s                                               |       <-      | |       ->"
                "      | |     Total     |    Relative    |   Duration   |\n"
                "%s                                               | Frames  Bytes | | Frames  "
                "Bytes | | Frames  Bytes |      Start     |              |\n",
                pad, pad);
        conv_print_rows(table, out);
    }
    g_string_append(out, stats_separator);
}

/* ---- -z conv,TYPE and -z endpoints,TYPE ---- */

static bool
parse_kind(const char *s, PeelConvKind *kind)
{
    static const char *const names[] = { "eth", "ip", "ipv6", "tcp", "udp" };
    for (int i = 0; i < (int)G_N_ELEMENTS(names); i++) {
        if (strcmp(s, names[i]) == 0) {
            *kind = (PeelConvKind)i;
            return true;
        }
    }
    return false;
}

static void *
table_open(const char *arg, bool endpoints, GError **error)
{
    g_auto(GStrv) parts = g_strsplit(arg, ",", -1);
    guint n = g_strv_length(parts);
    PeelConvKind kind;
    if (n < 2 || !parse_kind(parts[1], &kind)) {
        g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG,
                "-z %s: expected %s,TYPE (TYPE: eth, ip, ipv6, tcp or udp)", arg, parts[0]);
        return NULL;
    }
    if (n > 2) {
        g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG,
                "-z %s: peel does not take a display filter in -z %s,%s yet", arg, parts[0],
                parts[1]);
        return NULL;
    }
    return peel_conv_new(kind, endpoints);
}

static void *
conv_open(const char *arg, GError **error)
{
    return table_open(arg, false, error);
}

static void *
endpoints_open(const char *arg, GError **error)
{
    return table_open(arg, true, error);
}

static void
table_packet(void *state, const PeelPacket *pkt)
{
    peel_conv_add(state, pkt);
}

static bool
table_finish(void *state, FILE *out)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    peel_conv_print(state, buf);
    return fwrite(buf->str, 1, buf->len, out) == buf->len;
}

static void
table_close(void *state)
{
    peel_conv_free(state);
}

const PeelReportKind peel_report_conv = {
    .option = PEEL_REPORT_Z,
    .name = "conv",
    .usage = "conv,eth|ip|ipv6|tcp|udp",
    .open = conv_open,
    .packet = table_packet,
    .finish = table_finish,
    .close = table_close,
};

const PeelReportKind peel_report_endpoints = {
    .option = PEEL_REPORT_Z,
    .name = "endpoints",
    .usage = "endpoints,eth|ip|ipv6|tcp|udp",
    .open = endpoints_open,
    .packet = table_packet,
    .finish = table_finish,
    .close = table_close,
};
