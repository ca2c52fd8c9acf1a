/* defrag.c: partial datagrams in a hash table, oldest first in a list for timeouts. */
#include "defrag.h"

#include <glib.h>
#include <string.h>

#define MAX_DATAGRAM 65535u
#define DEFAULT_MAX_PENDING (16u * 1024u * 1024u)

typedef struct Partial Partial;

struct Partial {
    PeelFragKey key;
    Partial *older, *newer; /* age list */
    PeelTime first_seen;
    uint8_t *buf;           /* bytes so far, `cap` allocated */
    uint32_t cap;
    uint8_t *have;          /* one bit per byte received */
    uint32_t total;         /* datagram length once the last fragment came, else 0 */
    bool total_known;
    uint32_t received;      /* distinct bytes received */
    uint32_t n_frames;
    uint32_t frames[PEEL_DEFRAG_MAX_FRAGMENTS];
    uint32_t frame_lens[PEEL_DEFRAG_MAX_FRAGMENTS];
};

struct PeelDefrag {
    PeelDefragLimits limits;
    GHashTable *table; /* PeelFragKey* -> Partial* */
    Partial *oldest, *newest;
    uint32_t pending_bytes;
    Partial *done; /* the datagram completed by the last call, freed on the next */
};

static guint
key_hash(gconstpointer p)
{
    const PeelFragKey *k = p;
    guint h = k->id * 2654435761u ^ k->proto ^ (guint)k->family << 8;
    size_t n = k->family == 6 ? 16 : 4;
    for (size_t i = 0; i < n; i++)
        h = (h ^ k->src[i] ^ (guint)k->dst[i] << 8) * 16777619u;
    return h;
}

static gboolean
key_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(PeelFragKey)) == 0;
}

static void
partial_free(Partial *p)
{
    if (p == NULL)
        return;
    g_free(p->buf);
    g_free(p->have);
    g_free(p);
}

PeelDefrag *
peel_defrag_new(const PeelDefragLimits *limits)
{
    PeelDefrag *d = g_new0(PeelDefrag, 1);
    if (limits != NULL)
        d->limits = *limits;
    if (d->limits.max_pending_bytes == 0)
        d->limits.max_pending_bytes = DEFAULT_MAX_PENDING;
    if (d->limits.timeout_seconds == 0)
        d->limits.timeout_seconds = 60;
    d->table = g_hash_table_new(key_hash, key_equal);
    return d;
}

void
peel_defrag_free(PeelDefrag *d)
{
    if (d == NULL)
        return;
    Partial *p = d->oldest;
    while (p != NULL) {
        Partial *next = p->newer;
        partial_free(p);
        p = next;
    }
    partial_free(d->done);
    g_hash_table_destroy(d->table);
    g_free(d);
}

static void
unlink_partial(PeelDefrag *d, Partial *p)
{
    g_hash_table_remove(d->table, &p->key);
    if (p->older)
        p->older->newer = p->newer;
    else
        d->oldest = p->newer;
    if (p->newer)
        p->newer->older = p->older;
    else
        d->newest = p->older;
    d->pending_bytes -= p->cap;
}

static void
expire(PeelDefrag *d, PeelTime now, uint32_t need)
{
    while (d->oldest != NULL) {
        Partial *p = d->oldest;
        bool old = now.sec - p->first_seen.sec > (int64_t)d->limits.timeout_seconds;
        bool full = d->pending_bytes + need > d->limits.max_pending_bytes;
        if (!old && !full)
            break;
        unlink_partial(d, p);
        partial_free(p);
    }
}

static bool
grow(PeelDefrag *d, Partial *p, uint32_t end)
{
    if (end <= p->cap)
        return true;
    uint32_t cap = p->cap ? p->cap : 2048;
    while (cap < end)
        cap *= 2;
    if (cap > MAX_DATAGRAM)
        cap = MAX_DATAGRAM;
    if (d->pending_bytes + (cap - p->cap) > d->limits.max_pending_bytes)
        return false;
    p->buf = g_realloc(p->buf, cap);
    p->have = g_realloc(p->have, (cap + 7) / 8);
    memset(p->have + (p->cap + 7) / 8, 0, (cap + 7) / 8 - (p->cap + 7) / 8);
    d->pending_bytes += cap - p->cap;
    p->cap = cap;
    return true;
}

static inline bool
has_byte(const Partial *p, uint32_t i)
{
    return (p->have[i / 8] >> (i % 8)) & 1;
}

PeelDefragResult
peel_defrag_add(PeelDefrag *d, const PeelFragKey *key, uint32_t offset, const uint8_t *data,
        uint32_t len, bool more, uint32_t frame, PeelTime now)
{
    PeelDefragResult r = { 0 };
    partial_free(d->done);
    d->done = NULL;
    if (offset > MAX_DATAGRAM || len > MAX_DATAGRAM - offset) {
        r.flags = PEEL_FRAG_TOO_LONG;
        return r;
    }
    uint32_t end = offset + len;
    expire(d, now, 0);
    Partial *p = g_hash_table_lookup(d->table, key);
    if (p == NULL) {
        p = g_new0(Partial, 1);
        p->key = *key;
        p->first_seen = now;
        p->older = d->newest;
        if (d->newest)
            d->newest->newer = p;
        else
            d->oldest = p;
        d->newest = p;
        g_hash_table_insert(d->table, &p->key, p);
    }
    if (!more) {
        if ((p->total_known && p->total != end) || end < p->received) {
            r.flags |= PEEL_FRAG_BAD_END;
        } else {
            p->total_known = true;
            p->total = end;
        }
    } else if (p->total_known && end > p->total) {
        r.flags |= PEEL_FRAG_BAD_END;
    }
    if (!grow(d, p, end)) {
        /* Over the memory bound: drop the oldest and try once more. */
        expire(d, (PeelTime){ now.sec + (int64_t)d->limits.timeout_seconds + 1, 0 }, 0);
        r.flags |= PEEL_FRAG_TOO_LONG;
        return r;
    }
    uint32_t fresh = 0;
    for (uint32_t i = 0; i < len; i++) {
        uint32_t at = offset + i;
        if (has_byte(p, at)) {
            r.flags |= PEEL_FRAG_OVERLAP;
            if (p->buf[at] != data[i])
                r.flags |= PEEL_FRAG_CONFLICT; /* first data wins, as Wireshark */
            continue;
        }
        p->buf[at] = data[i];
        p->have[at / 8] |= (uint8_t)(1u << (at % 8));
        fresh++;
    }
    p->received += fresh;
    if (fresh == 0 && len > 0)
        r.flags |= PEEL_FRAG_DUPLICATE;
    if (p->n_frames < PEEL_DEFRAG_MAX_FRAGMENTS && fresh > 0) {
        p->frames[p->n_frames] = frame;
        p->frame_lens[p->n_frames] = len;
        p->n_frames++;
    }
    if (p->total_known && p->received >= p->total) {
        bool all = true;
        for (uint32_t i = 0; i < p->total && all; i++)
            all = has_byte(p, i);
        if (all) {
            unlink_partial(d, p);
            d->done = p;
            r.flags |= PEEL_FRAG_COMPLETE;
            r.data = p->buf;
            r.len = p->total;
            r.frames = p->frames;
            r.frame_lens = p->frame_lens;
            r.n_frames = p->n_frames;
        }
    }
    return r;
}

uint32_t
peel_defrag_pending(const PeelDefrag *d)
{
    return g_hash_table_size(d->table);
}

uint32_t
peel_defrag_pending_bytes(const PeelDefrag *d)
{
    return d->pending_bytes;
}
