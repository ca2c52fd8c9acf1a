/* flow.c: hash table of flows with an LRU list for idle retirement.
 *
 * The list is kept lazily ("second chance"): a packet only marks its flow touched; the
 * retirement check, run once per second of capture time (or when over the cap), moves
 * touched flows from the cold end back to the head before it retires anything. A lookup
 * then costs no writes to other flows, whose cache lines it would otherwise pull in. */
#include "flow.h"

#include <glib.h>
#include <string.h>

struct PeelFlowSlot {
    PeelFlowSlot *next;
    const void *owner;
    void (*clear)(void *data);
    _Alignas(16) unsigned char data[];
};

struct PeelFlowTable {
    PeelFlowLimits limits;
    PeelFlow **buckets;
    uint32_t n_buckets; /* a power of two */
    uint32_t live;
    uint64_t retired;
    uint32_t next_id[256]; /* per IP protocol */
    PeelFlow *lru_head;    /* most recently used */
    PeelFlow *lru_tail;
    int64_t checked_sec;   /* capture second of the last retirement check */
    GPtrArray *release;    /* flows queued by peel_flow_release_later */
};

PeelFlowTable *
peel_flow_table_new(const PeelFlowLimits *limits)
{
    PeelFlowTable *t = g_new0(PeelFlowTable, 1);
    if (limits != NULL)
        t->limits = *limits;
    if (t->limits.max_flows == 0)
        t->limits.max_flows = 1u << 20;
    if (t->limits.idle_seconds == 0)
        t->limits.idle_seconds = 3600;
    if (t->limits.closed_seconds == 0)
        t->limits.closed_seconds = 120;
    t->n_buckets = 1024;
    t->buckets = g_new0(PeelFlow *, t->n_buckets);
    t->release = g_ptr_array_new();
    return t;
}

static void
flow_free(PeelFlow *f)
{
    PeelFlowSlot *s = f->slots;
    while (s != NULL) {
        PeelFlowSlot *next = s->next;
        if (s->clear != NULL)
            s->clear(s->data);
        g_free(s);
        s = next;
    }
    g_free(f);
}

void
peel_flow_table_free(PeelFlowTable *t)
{
    if (t == NULL)
        return;
    PeelFlow *f = t->lru_head;
    while (f != NULL) {
        PeelFlow *next = f->lru_next;
        flow_free(f);
        f = next;
    }
    g_free(t->buckets);
    g_ptr_array_free(t->release, TRUE);
    g_free(t);
}

static size_t
addr_len(uint8_t type)
{
    return type == PEEL_AT_IPV6 ? 16 : 4;
}

/* One endpoint's hash: the address read as words, mixed with the port. (A byte-at-a-time
 * hash cost 34 dependent multiplies per IPv6 packet.) */
static inline uint64_t
endpoint_hash(const uint8_t *addr, uint8_t type, uint16_t port)
{
    uint64_t a, b = 0;
    if (type == PEEL_AT_IPV6) {
        memcpy(&a, addr, 8);
        memcpy(&b, addr + 8, 8);
    } else {
        uint32_t v;
        memcpy(&v, addr, 4);
        a = v;
    }
    uint64_t h = a * 0x9e3779b97f4a7c15ull ^ b * 0xc2b2ae3d27d4eb4full ^
                 (uint64_t)port * 0x165667b19e3779f9ull;
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ull;
    return h ^ (h >> 29);
}

/* Order-independent hash of the two endpoints. */
static uint64_t
flow_hash(uint8_t proto, uint8_t type, const uint8_t *a, uint16_t pa, const uint8_t *b,
        uint16_t pb)
{
    uint64_t ha = endpoint_hash(a, type, pa), hb = endpoint_hash(b, type, pb);
    uint64_t h = (ha ^ hb) + (ha < hb ? ha : hb) * 31 + proto * 0x9e3779b97f4a7c15ull;
    return h ^ (h >> 29);
}

static inline bool
addr_eq(const uint8_t *x, const uint8_t *y, uint8_t type)
{
    if (type == PEEL_AT_IPV6) {
        uint64_t x0, x1, y0, y1;
        memcpy(&x0, x, 8);
        memcpy(&x1, x + 8, 8);
        memcpy(&y0, y, 8);
        memcpy(&y1, y + 8, 8);
        return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    }
    uint32_t a, b;
    memcpy(&a, x, 4);
    memcpy(&b, y, 4);
    return a == b;
}

static bool
flow_matches(const PeelFlow *f, uint8_t proto, uint8_t type, const uint8_t *src,
        uint16_t sport, const uint8_t *dst, uint16_t dport, int *dir)
{
    if (f->ip_proto != proto || f->addr_type != type)
        return false;
    if (f->port[0] == sport && f->port[1] == dport && addr_eq(f->addr[0], src, type) &&
            addr_eq(f->addr[1], dst, type)) {
        *dir = 0;
        return true;
    }
    if (f->port[0] == dport && f->port[1] == sport && addr_eq(f->addr[0], dst, type) &&
            addr_eq(f->addr[1], src, type)) {
        *dir = 1;
        return true;
    }
    return false;
}

static void
lru_unlink(PeelFlowTable *t, PeelFlow *f)
{
    if (f->lru_prev)
        f->lru_prev->lru_next = f->lru_next;
    else
        t->lru_head = f->lru_next;
    if (f->lru_next)
        f->lru_next->lru_prev = f->lru_prev;
    else
        t->lru_tail = f->lru_prev;
    f->lru_prev = f->lru_next = NULL;
}

static void
lru_push_front(PeelFlowTable *t, PeelFlow *f)
{
    f->lru_prev = NULL;
    f->lru_next = t->lru_head;
    if (t->lru_head)
        t->lru_head->lru_prev = f;
    t->lru_head = f;
    if (t->lru_tail == NULL)
        t->lru_tail = f;
}

static void
bucket_unlink(PeelFlowTable *t, PeelFlow *f)
{
    PeelFlow **link = &t->buckets[f->hash & (t->n_buckets - 1)];
    while (*link != NULL && *link != f)
        link = &(*link)->bucket_next;
    if (*link == f)
        *link = f->bucket_next;
}

static void
retire(PeelFlowTable *t, PeelFlow *f)
{
    if (f->release_keep != NULL) /* queued and retired in the same packet */
        g_ptr_array_remove_fast(t->release, f);
    bucket_unlink(t, f);
    lru_unlink(t, f);
    t->live--;
    t->retired++;
    flow_free(f);
}

static void
grow(PeelFlowTable *t)
{
    uint32_t n = t->n_buckets * 2;
    PeelFlow **b = g_new0(PeelFlow *, n);
    for (uint32_t i = 0; i < t->n_buckets; i++) {
        PeelFlow *f = t->buckets[i];
        while (f != NULL) {
            PeelFlow *next = f->bucket_next;
            f->bucket_next = b[f->hash & (n - 1)];
            b[f->hash & (n - 1)] = f;
            f = next;
        }
    }
    g_free(t->buckets);
    t->buckets = b;
    t->n_buckets = n;
}

static bool
expired(const PeelFlowTable *t, const PeelFlow *f, PeelTime now)
{
    int64_t idle = now.sec - f->last_ts.sec;
    uint32_t limit = f->closed ? t->limits.closed_seconds : t->limits.idle_seconds;
    return idle > (int64_t)limit;
}

/* Retires flows at the cold end that are idle past their limit, and any beyond the cap;
 * touched flows found there go back to the head first. */
static void
retire_idle(PeelFlowTable *t, PeelTime now)
{
    if (now.sec == t->checked_sec && t->live <= t->limits.max_flows)
        return;
    t->checked_sec = now.sec;
    while (t->lru_tail != NULL) {
        PeelFlow *f = t->lru_tail;
        if (f->touched) {
            f->touched = false;
            lru_unlink(t, f);
            lru_push_front(t, f);
            continue;
        }
        if (t->live > t->limits.max_flows || expired(t, f, now))
            retire(t, f);
        else
            break;
    }
}

static PeelFlow *
flow_create(PeelFlowTable *t, uint8_t proto, uint8_t type, const uint8_t *src, uint16_t sport,
        const uint8_t *dst, uint16_t dport, uint64_t hash, uint32_t frame, PeelTime now)
{
    PeelFlow *f = g_new0(PeelFlow, 1);
    size_t n = addr_len(type);
    f->id = t->next_id[proto]++;
    f->ip_proto = proto;
    f->addr_type = type;
    f->port[0] = sport;
    f->port[1] = dport;
    memcpy(f->addr[0], src, n);
    memcpy(f->addr[1], dst, n);
    f->first_frame = f->last_frame = frame;
    f->last_ts = now;
    f->hash = hash;
    if (t->live >= t->n_buckets)
        grow(t);
    PeelFlow **bucket = &t->buckets[hash & (t->n_buckets - 1)];
    f->bucket_next = *bucket;
    *bucket = f;
    lru_push_front(t, f);
    t->live++;
    return f;
}

PeelFlow *
peel_flow_get(PeelFlowTable *t, uint8_t proto, const PeelAddr *src, const PeelAddr *dst,
        uint16_t sport, uint16_t dport, uint32_t frame, PeelTime now, int *dir)
{
    uint8_t type = src->type;
    uint64_t h = flow_hash(proto, type, src->bytes, sport, dst->bytes, dport);
    PeelFlow *f = t->buckets[h & (t->n_buckets - 1)];
    for (; f != NULL; f = f->bucket_next)
        if (f->hash == h && flow_matches(f, proto, type, src->bytes, sport, dst->bytes, dport,
                                    dir))
            break;
    if (f != NULL && expired(t, f, now)) {
        /* Idle past its limit: whether or not a sweep retired it yet, this packet starts
         * the next stream. So a flow's number depends on its own packets' times only, not
         * on when other flows' packets happened to sweep (dissecting threads agree). */
        retire(t, f);
        f = NULL;
    }
    if (f == NULL) {
        *dir = 0;
        f = flow_create(t, proto, type, src->bytes, sport, dst->bytes, dport, h, frame, now);
    } else {
        f->touched = true;
        f->last_frame = frame;
        if (now.sec > f->last_ts.sec || (now.sec == f->last_ts.sec && now.nsec > f->last_ts.nsec))
            f->last_ts = now;
    }
    retire_idle(t, now);
    return f;
}

PeelFlow *
peel_flow_renew(PeelFlowTable *t, PeelFlow *old, const PeelAddr *src, uint16_t sport,
        uint32_t frame, PeelTime now)
{
    uint8_t proto = old->ip_proto, type = old->addr_type;
    size_t n = addr_len(type);
    uint8_t a[16], b[16];
    uint16_t pa = sport, pb;
    memcpy(a, src->bytes, n);
    int src_is_0 = memcmp(old->addr[0], a, n) == 0 && old->port[0] == sport;
    memcpy(b, old->addr[src_is_0 ? 1 : 0], n);
    pb = old->port[src_is_0 ? 1 : 0];
    uint64_t h = old->hash;
    retire(t, old);
    return flow_create(t, proto, type, a, pa, b, pb, h, frame, now);
}

void *
peel_flow_data(PeelFlow *flow, const void *owner, size_t size, void (*clear)(void *data))
{
    PeelFlowSlot *s = flow->last_slot;
    if (s != NULL && s->owner == owner)
        return s->data;
    PeelFlowSlot **link = &flow->slots;
    for (s = flow->slots; s != NULL; link = &s->next, s = s->next)
        if (s->owner == owner) {
            flow->last_slot = s;
            return s->data;
        }
    s = g_malloc0(sizeof *s + size);
    s->owner = owner;
    s->clear = clear;
    *link = s; /* appended: the first owner, asked for most, stays first */
    flow->last_slot = s;
    return s->data;
}

void *
peel_flow_data_find(PeelFlow *flow, const void *owner)
{
    for (PeelFlowSlot *s = flow->slots; s != NULL; s = s->next)
        if (s->owner == owner)
            return s->data;
    return NULL;
}

void
peel_flow_table_foreach(PeelFlowTable *t, void (*fn)(PeelFlow *flow, void *user), void *user)
{
    for (PeelFlow *f = t->lru_head; f != NULL; f = f->lru_next)
        fn(f, user);
}

void
peel_flow_release_later(PeelFlowTable *t, PeelFlow *flow, const void *const *keep)
{
    if (flow->release_keep == NULL)
        g_ptr_array_add(t->release, flow);
    flow->release_keep = keep;
}

static bool
owner_kept(const void *const *keep, const void *owner)
{
    for (; *keep != NULL; keep++)
        if (*keep == owner)
            return true;
    return false;
}

void
peel_flow_table_release_queued(PeelFlowTable *t)
{
    for (guint i = 0; i < t->release->len; i++) {
        PeelFlow *f = g_ptr_array_index(t->release, i);
        PeelFlowSlot **link = &f->slots;
        while (*link != NULL) {
            PeelFlowSlot *s = *link;
            if (owner_kept(f->release_keep, s->owner)) {
                link = &s->next;
                continue;
            }
            *link = s->next;
            if (s->clear != NULL)
                s->clear(s->data);
            g_free(s);
        }
        f->last_slot = NULL;
        f->release_keep = NULL;
    }
    g_ptr_array_set_size(t->release, 0);
}

uint32_t
peel_flow_table_numbered(const PeelFlowTable *t, uint8_t ip_proto)
{
    return t->next_id[ip_proto];
}

uint32_t
peel_flow_table_live(const PeelFlowTable *t)
{
    return t->live;
}

uint64_t
peel_flow_table_retired(const PeelFlowTable *t)
{
    return t->retired;
}
