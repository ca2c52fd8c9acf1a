/* defrag.c: partial datagrams in a hash table, oldest first in a list for timeouts; and
 * the IP dissectors' use of it: fragment lists, Wireshark's overlap order, per-frame
 * records and the fragment tree (RFC 791, RFC 8200 4.5). */
#include "defrag.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
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

/* ---- The IP dissectors' side ---- */

#define TRACK_TIMEOUT  60u                   /* seconds, as the table's */
#define MAX_PIECES     8192u                 /* fragments listed per datagram */
#define MAX_TRACKS     65536u                /* partial datagrams listed beside the table */
#define MAX_COPY_BYTES (16u * 1024u * 1024u) /* all copies of overlapping fragments */
#define NO_COPY        UINT32_MAX

enum {
    PIECE_MORE = 1u << 0,
    PIECE_T_OVERLAP = 1u << 1,  /* the table held bytes under it when it came */
    PIECE_T_CONFLICT = 1u << 2, /* ...with other values */
    /* As Wireshark shows them, fragments sorted by offset: */
    PIECE_OVERLAP = 1u << 3,  /* starts before the end of those sorted before it */
    PIECE_CONFLICT = 1u << 4, /* ...with other values there */
    PIECE_MULTIPLE_TAILS = 1u << 5,
    PIECE_TOO_LONG = 1u << 6, /* data past the datagram's end */
};

#define PIECE_SHOWN (PIECE_OVERLAP | PIECE_CONFLICT | PIECE_MULTIPLE_TAILS | PIECE_TOO_LONG)
#define PIECE_ERROR (PIECE_CONFLICT | PIECE_MULTIPLE_TAILS | PIECE_TOO_LONG)

/* One fragment of a datagram. Also the record layout, after a RecordHead. */
typedef struct {
    uint32_t frame;
    uint32_t frame_off; /* of its payload in the frame's bytes; UINT32_MAX: not there */
    uint32_t off;       /* in the datagram */
    uint32_t len;
    uint32_t seq;   /* arrival order within the datagram */
    uint32_t flags; /* PIECE_* */
} Piece;

enum {
    REC_ARRIVAL = 1u << 0,      /* each byte came from the first fragment to hold it */
    REC_DROPPED_LONG = 1u << 1, /* a fragment the table refused: past 65535 */
    REC_DROPPED_FULL = 1u << 2, /* ...or out of memory */
};

/* A completed datagram (n > 0), or a refused fragment's note (n = 0). */
typedef struct {
    uint32_t total; /* datagram length, or where the refused fragment ends */
    uint32_t n;     /* pieces that follow, sorted by offset */
    uint32_t flags; /* REC_* */
} RecordHead;

/* What the table does not keep about a partial datagram: its fragments, and a copy of
 * each fragment that overlapped bytes already there when it came. The table keeps the
 * first bytes to come; Wireshark keeps those of the fragment with the lowest offset and
 * compares the others with them. Every other fragment's bytes are still in the table's
 * buffer, since nothing came before them and the first bytes stay. */
typedef struct Track Track;
struct Track {
    PeelFragKey key;
    PeelTime first_seen;
    Track *older, *newer;
    Piece *pieces;
    uint32_t *copy_at; /* per piece: offset of its copy in `copies`, or NO_COPY */
    uint32_t n_pieces, cap_pieces, next_seq;
    GByteArray *copies;
    bool arrival; /* a copy or a piece was not kept: take the table's bytes as they are */
};

typedef struct {
    PeelDefrag *table;
    GHashTable *tracks; /* PeelFragKey* -> Track* */
    Track *oldest, *newest;
    uint32_t n_tracks;
    size_t copy_bytes;
} DefragState;

static const char defrag_owner = 'd'; /* engine-data key, one state for IPv4 and IPv6 */

static void
track_free(Track *t)
{
    g_free(t->pieces);
    g_free(t->copy_at);
    if (t->copies != NULL)
        g_byte_array_unref(t->copies);
    g_free(t);
}

static void
state_clear(void *data)
{
    DefragState *s = data;
    for (Track *t = s->oldest, *next; t != NULL; t = next) {
        next = t->newer;
        track_free(t);
    }
    if (s->tracks != NULL)
        g_hash_table_destroy(s->tracks);
    peel_defrag_free(s->table);
}

static DefragState *
state_get(PeelPacket *pkt)
{
    DefragState *s = peel_engine_data(pkt, &defrag_owner, sizeof *s, state_clear);
    if (s->table == NULL) {
        PeelDefragLimits lim = { .timeout_seconds = TRACK_TIMEOUT };
        s->table = peel_defrag_new(&lim);
        s->tracks = g_hash_table_new(key_hash, key_equal);
    }
    return s;
}

static void
track_drop(DefragState *s, Track *t)
{
    g_hash_table_remove(s->tracks, &t->key);
    if (t->older)
        t->older->newer = t->newer;
    else
        s->oldest = t->newer;
    if (t->newer)
        t->newer->older = t->older;
    else
        s->newest = t->older;
    s->n_tracks--;
    if (t->copies != NULL)
        s->copy_bytes -= t->copies->len;
    track_free(t);
}

/* Forgets partial datagrams as the table does: by the same timeout, and in any case past
 * a bound. (A datagram the table dropped for memory is caught at completion: its
 * fragments predate the table's first frame.) */
static Track *
track_get(DefragState *s, const PeelFragKey *key, PeelTime now)
{
    while (s->oldest != NULL && (now.sec - s->oldest->first_seen.sec > (int64_t)TRACK_TIMEOUT ||
                                        s->n_tracks >= MAX_TRACKS))
        track_drop(s, s->oldest);
    Track *t = g_hash_table_lookup(s->tracks, key);
    if (t != NULL)
        return t;
    t = g_new0(Track, 1);
    t->key = *key;
    t->first_seen = now;
    t->older = s->newest;
    if (s->newest)
        s->newest->newer = t;
    else
        s->oldest = t;
    s->newest = t;
    g_hash_table_insert(s->tracks, &t->key, t);
    s->n_tracks++;
    return t;
}

static void
track_add(DefragState *s, Track *t, Piece *p, const uint8_t *bytes)
{
    if (t->n_pieces == MAX_PIECES) {
        t->arrival = true; /* the list is cut short */
        return;
    }
    if (t->n_pieces == t->cap_pieces) {
        t->cap_pieces = t->cap_pieces ? t->cap_pieces * 2 : 8;
        t->pieces = g_renew(Piece, t->pieces, t->cap_pieces);
        t->copy_at = g_renew(uint32_t, t->copy_at, t->cap_pieces);
    }
    uint32_t at = NO_COPY;
    if ((p->flags & PIECE_T_OVERLAP) && !t->arrival) {
        if (s->copy_bytes + p->len > MAX_COPY_BYTES) {
            t->arrival = true;
        } else {
            if (t->copies == NULL)
                t->copies = g_byte_array_new();
            at = t->copies->len;
            g_byte_array_append(t->copies, bytes, p->len);
            s->copy_bytes += p->len;
        }
    }
    p->seq = t->next_seq++;
    t->pieces[t->n_pieces] = *p;
    t->copy_at[t->n_pieces] = at;
    t->n_pieces++;
}

typedef struct {
    Piece p;
    const uint8_t *bytes; /* its payload, or NULL when not known */
} HeldPiece;

static int
held_cmp_offset(const void *a, const void *b)
{
    const Piece *x = &((const HeldPiece *)a)->p, *y = &((const HeldPiece *)b)->p;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
piece_cmp_arrival(const void *a, const void *b)
{
    const Piece *x = a, *y = b;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Wireshark's fragment_add_work(), over fragments sorted by offset: each one adds the
 * bytes past the end of those before it; one starting before that end overlaps, and
 * conflicts when its bytes there differ from those already placed. With `data` NULL the
 * bytes are not known (the table's are used as they are) and a conflict is told by the
 * table's note of the later of two overlapping fragments. */
static void
held_flag(HeldPiece *h, uint32_t n, uint32_t total, uint8_t *data)
{
    uint32_t dfpos = 0;
    for (uint32_t i = 0; i < n; i++) {
        Piece *p = &h[i].p;
        uint32_t end = p->off + p->len;
        p->flags &= ~(uint32_t)PIECE_SHOWN;
        if (!(p->flags & PIECE_MORE) && end != total)
            p->flags |= PIECE_MULTIPLE_TAILS;
        if (end > total)
            p->flags |= PIECE_TOO_LONG;
        if (p->off >= total || p->len == 0)
            continue;
        uint32_t stop = MIN(end, total);
        if (p->off < dfpos) {
            p->flags |= PIECE_OVERLAP;
            bool conflict = false;
            if (data != NULL) {
                conflict = memcmp(data + p->off, h[i].bytes, MIN(stop, dfpos) - p->off) != 0;
            } else {
                for (uint32_t j = 0; j < i && !conflict; j++) {
                    const Piece *e = &h[j].p;
                    const Piece *later = e->seq > p->seq ? e : p;
                    conflict = e->off + e->len > p->off && (later->flags & PIECE_T_CONFLICT);
                }
            }
            if (conflict)
                p->flags |= PIECE_CONFLICT;
        }
        if (stop > dfpos) {
            if (data != NULL)
                memcpy(data + dfpos, h[i].bytes + (dfpos - p->off), stop - dfpos);
            dfpos = stop;
        }
    }
}

static int32_t
item_over(PeelPacket *pkt, int32_t idx, const PeelReader *src, uint32_t off, uint32_t len)
{
    if (idx >= 0) {
        pkt->fields[idx].src = src->src;
        pkt->fields[idx].offset = off;
        pkt->fields[idx].length = len;
    }
    return idx;
}

static const char *
plural(uint32_t n)
{
    return n == 1 ? "" : "s";
}

/* The fragment tree as Wireshark's show_fragment_tree() draws it. */
static void
add_tree(PeelPacket *pkt, const PeelDefragFragment *frag, const Piece *sorted, uint32_t n,
        const uint8_t *data, uint32_t total, const PeelReader *src)
{
    const PeelDefragFields *f = frag->fields;
    int32_t top =
            item_over(pkt, peel_add_bytes_value(pkt, f->fragments, data, total), src, 0, total);
    if (top < 0)
        return;
    /* "[3 IPv4 Fragments (1408 bytes): #1(976), #2(432)]": at most 26 bytes a fragment. */
    size_t cap = 64 + (size_t)n * 26;
    char *label = pkt->want_tree ? peel_arena_alloc(pkt->arena, cap) : NULL;
    if (label != NULL) {
        size_t at = (size_t)snprintf(label, cap, "%u %s Fragment%s (%u byte%s): ", n, frag->family,
                plural(n), total, plural(total));
        for (uint32_t i = 0; i < n && at < cap; i++)
            at += (size_t)snprintf(label + at, cap - at, "%s#%u(%u)", i ? ", " : "",
                    sorted[i].frame, sorted[i].len);
        pkt->fields[top].text = label;
    }
    int32_t saved = pkt->parent;
    uint16_t depth = pkt->depth;
    pkt->parent = top;
    pkt->depth++;
    for (uint32_t i = 0; i < n; i++) {
        const Piece *p = &sorted[i];
        uint32_t shown = p->off < total ? MIN(p->len, total - p->off) : 0;
        int32_t idx = peel_add_uint_value(
                pkt, (p->flags & PIECE_ERROR) ? f->error : f->fragment, p->frame);
        item_over(pkt, idx, src, MIN(p->off, total), shown);
        if (p->len == 0)
            peel_set_text(pkt, idx, "Frame: %u (no data)", p->frame);
        else
            peel_set_text(pkt, idx, "Frame: %u, payload: %u-%u (%u byte%s)", p->frame, p->off,
                    p->off + p->len - 1, p->len, plural(p->len));
        if (!(p->flags & PIECE_SHOWN) || idx < 0)
            continue;
        int32_t up = pkt->parent;
        pkt->parent = idx;
        pkt->depth++;
        if (p->flags & PIECE_OVERLAP)
            peel_add_bool_value(pkt, f->overlap, true);
        if (p->flags & PIECE_CONFLICT)
            peel_add_bool_value(pkt, f->conflict, true);
        if (p->flags & PIECE_MULTIPLE_TAILS)
            peel_add_bool_value(pkt, f->multiple_tails, true);
        if (p->flags & PIECE_TOO_LONG)
            peel_add_bool_value(pkt, f->too_long, true);
        pkt->parent = up;
        pkt->depth--;
    }
    peel_add_uint_value(pkt, f->count, n);
    peel_add_uint_value(pkt, f->length, total);
    item_over(pkt, peel_add_bytes_value(pkt, f->data, data, total), src, 0, total);
    pkt->parent = saved;
    pkt->depth = depth;
}

/* The data source over the datagram and its tree; false when it cannot be added. */
static bool
show_datagram(PeelPacket *pkt, const PeelDefragFragment *frag, const Piece *sorted, uint32_t n,
        const uint8_t *data, uint32_t total, PeelReader *datagram)
{
    const char *name = strcmp(frag->family, "IPv6") == 0 ? "Reassembled IPv6" : "Reassembled IPv4";
    PeelReader rd = peel_add_source(pkt, data, total, name);
    if (!peel_reader_ok(&rd)) {
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_REASSEMBLE,
                "reassembled %s datagram not shown: too many data sources in this frame",
                frag->family);
        return false;
    }
    add_tree(pkt, frag, sorted, n, data, total, &rd);
    *datagram = rd;
    return true;
}

/* Why the table refused a fragment (on the first pass and again on a revisit). */
static void
refused_note(PeelPacket *pkt, uint32_t flags, uint32_t end)
{
    if (flags & REC_DROPPED_LONG)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_REASSEMBLE,
                "fragment ends %u bytes into its datagram, past 65535: not reassembled", end);
    else if (flags & REC_DROPPED_FULL)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_REASSEMBLE,
                "fragment reassembly memory is full: older partial datagrams were dropped");
}

static uint8_t
record_sub(const PeelPacket *pkt)
{
    return (uint8_t)MIN(pkt->layers, 255u); /* one record per IP layer of the frame */
}

/* Revisit: the datagram this frame completed, rebuilt from the frames of its fragments. */
static bool
revisit(PeelPacket *pkt, const PeelDefragFragment *frag, PeelReader *datagram)
{
    uint8_t sub = record_sub(pkt);
    uint32_t size = peel_record_size(pkt, sub);
    if (size < sizeof(RecordHead))
        return false;
    uint8_t *buf = peel_arena_alloc(pkt->arena, size);
    if (buf == NULL || !peel_record_get(pkt, sub, buf, size))
        return false;
    RecordHead h;
    memcpy(&h, buf, sizeof h);
    if (h.n > MAX_PIECES || size != sizeof h + h.n * (uint32_t)sizeof(Piece))
        return false;
    if (h.n == 0) {
        refused_note(pkt, h.flags, h.total);
        return false;
    }
    const Piece *sorted = (const Piece *)(buf + sizeof h);
    Piece *order = peel_arena_alloc(pkt->arena, h.n * sizeof(Piece));
    uint8_t *data = peel_arena_alloc(pkt->arena, h.total ? h.total : 1);
    uint8_t *have = peel_arena_alloc(pkt->arena, h.total / 8 + 1);
    if (order == NULL || data == NULL || have == NULL)
        goto fail;
    memset(have, 0, h.total / 8 + 1);
    memcpy(order, sorted, h.n * sizeof(Piece));
    if (h.flags & REC_ARRIVAL)
        qsort(order, h.n, sizeof(Piece), piece_cmp_arrival);
    /* Each byte from the first fragment in that order that holds it. */
    uint32_t filled = 0;
    for (uint32_t i = 0; i < h.n; i++) {
        const Piece *p = &order[i];
        if (p->off >= h.total || p->len == 0)
            continue;
        const uint8_t *fd = NULL;
        uint32_t flen = 0;
        if (p->frame_off == UINT32_MAX || !peel_fetch_frame(pkt, p->frame, &fd, &flen) ||
                p->frame_off > flen || p->len > flen - p->frame_off)
            goto fail;
        uint32_t end = MIN(p->off + p->len, h.total);
        for (uint32_t b = p->off; b < end; b++) {
            if (have[b / 8] & (1u << (b % 8)))
                continue;
            have[b / 8] |= (uint8_t)(1u << (b % 8));
            data[b] = fd[p->frame_off + (b - p->off)];
            filled++;
        }
    }
    if (filled != h.total)
        goto fail;
    return show_datagram(pkt, frag, sorted, h.n, data, h.total, datagram);
fail:
    peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_REASSEMBLE,
            "the fragments of a %u-byte %s datagram could not be read again", h.total,
            frag->family);
    return false;
}

/* First pass: the frame completed the datagram `r`; builds it, records, shows it. */
static bool
complete(PeelPacket *pkt, DefragState *s, Track *t, const PeelDefragFragment *frag,
        const PeelDefragResult *r, PeelReader *datagram)
{
    /* Fragments from before the table's first frame belong to a datagram it dropped. */
    uint32_t first = r->n_frames > 0 ? r->frames[0] : 0;
    uint32_t total = r->len;
    HeldPiece *held = peel_arena_alloc(pkt->arena, (size_t)t->n_pieces * sizeof *held + 1);
    uint8_t *data = peel_arena_alloc(pkt->arena, total ? total : 1);
    uint32_t n = 0;
    for (uint32_t i = 0; held != NULL && i < t->n_pieces; i++) {
        const Piece *p = &t->pieces[i];
        if (p->frame < first)
            continue;
        /* A fragment that overlapped nothing when it came holds what the table kept. */
        const uint8_t *bytes = t->copy_at[i] != NO_COPY ? t->copies->data + t->copy_at[i]
                               : p->off < total         ? r->data + p->off
                                                        : NULL;
        held[n++] = (HeldPiece){ *p, bytes };
    }
    size_t rec_size = sizeof(RecordHead) + (size_t)n * sizeof(Piece);
    uint8_t *rec = peel_arena_alloc(pkt->arena, rec_size);
    if (held == NULL || data == NULL || rec == NULL || n == 0) {
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_REASSEMBLE,
                "reassembled %s datagram of %u bytes exceeds the per-packet memory limit",
                frag->family, total);
        track_drop(s, t);
        return false;
    }
    qsort(held, n, sizeof *held, held_cmp_offset);
    if (t->arrival) {
        memcpy(data, r->data, total);
        held_flag(held, n, total, NULL);
    } else {
        held_flag(held, n, total, data);
    }
    RecordHead h = { .total = total, .n = n, .flags = t->arrival ? REC_ARRIVAL : 0 };
    memcpy(rec, &h, sizeof h);
    Piece *sorted = (Piece *)(rec + sizeof h);
    for (uint32_t i = 0; i < n; i++) {
        sorted[i] = held[i].p;
        peel_set_reassembled_in(pkt, sorted[i].frame, pkt->frame->number);
    }
    peel_record_put(pkt, record_sub(pkt), rec, (uint32_t)rec_size);
    track_drop(s, t);
    return show_datagram(pkt, frag, sorted, n, data, total, datagram);
}

bool
peel_defrag_packet(PeelPacket *pkt, const PeelReader *payload, const PeelDefragFragment *frag,
        PeelReader *datagram, uint32_t *reassembled_in)
{
    *reassembled_in = 0;
    if (pkt->revisit) {
        if (revisit(pkt, frag, datagram))
            return true;
    } else {
        DefragState *s = state_get(pkt);
        uint32_t len = 0;
        const uint8_t *bytes =
                peel_reader_peek_bytes(payload, 0, peel_reader_remaining(payload), &len);
        if (bytes == NULL || len < peel_reader_remaining(payload))
            return false; /* the caller hands over whole fragments only */
        PeelTime now = peel_frame_now(pkt->frame);
        PeelDefragResult r = peel_defrag_add(s->table, &frag->key, frag->offset, bytes, len,
                frag->more, pkt->frame->number, now);
        if (r.flags & PEEL_FRAG_TOO_LONG) {
            uint64_t end = frag->offset + (uint64_t)len;
            RecordHead h = { .total = (uint32_t)MIN(end, UINT32_MAX),
                .n = 0,
                .flags = end > 65535 ? REC_DROPPED_LONG : REC_DROPPED_FULL };
            peel_record_put(pkt, record_sub(pkt), &h, sizeof h);
            refused_note(pkt, h.flags, h.total);
            return false;
        }
        Track *t = track_get(s, &frag->key, now);
        Piece p = { .frame = pkt->frame->number,
            .frame_off = payload->src == 0 ? peel_reader_offset(payload) : UINT32_MAX,
            .off = frag->offset,
            .len = len,
            .flags = (frag->more ? PIECE_MORE : 0) |
                     ((r.flags & PEEL_FRAG_OVERLAP) ? PIECE_T_OVERLAP : 0) |
                     ((r.flags & PEEL_FRAG_CONFLICT) ? PIECE_T_CONFLICT : 0) };
        track_add(s, t, &p, bytes);
        if (r.flags & PEEL_FRAG_COMPLETE)
            return complete(pkt, s, t, frag, &r, datagram);
    }
    uint32_t in = peel_get_reassembled_in(pkt);
    if (in != 0 && in != pkt->frame->number) {
        *reassembled_in = in;
        peel_add_uint_value(pkt, frag->fields->reassembled_in, in);
    }
    return false;
}
