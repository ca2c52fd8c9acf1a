/* tcp-stream.c: in-order delivery of one TCP direction with bounded held segments. */
#include "tcp-stream.h"

#include <glib.h>
#include <string.h>

#define DEFAULT_MAX_HELD (1024u * 1024u)

struct PeelHeldSegment {
    PeelHeldSegment *next;
    uint32_t seq;
    uint32_t len;
    uint32_t frame;
    uint32_t frame_off;
    uint8_t data[];
};

void
peel_tcp_stream_init(PeelTcpStream *s, uint32_t max_held_bytes)
{
    memset(s, 0, sizeof *s);
    s->max_held_bytes = max_held_bytes ? max_held_bytes : DEFAULT_MAX_HELD;
}

void
peel_tcp_stream_clear(PeelTcpStream *s)
{
    PeelHeldSegment *h = s->held;
    while (h != NULL) {
        PeelHeldSegment *next = h->next;
        g_free(h);
        h = next;
    }
    s->held = NULL;
    s->held_bytes = s->held_count = 0;
    g_free(s->tail);
    s->tail = NULL;
    s->tail_len = 0;
}

void
peel_tcp_stream_start(PeelTcpStream *s, uint32_t seq)
{
    if (!s->started) {
        s->started = true;
        s->next_seq = seq;
    }
}

/* Remembers the last bytes delivered, ending at sequence number `end`. The byte with
 * sequence number q lives at tail[q % PEEL_STREAM_TAIL]: no bytes move as more arrive. */
static void
tail_keep(PeelTcpStream *s, const uint8_t *data, uint32_t len, uint32_t end)
{
    if (s->tail == NULL)
        s->tail = g_malloc(PEEL_STREAM_TAIL);
    if (s->tail_len > 0 && s->tail_end != end - len)
        s->tail_len = 0; /* not contiguous with what we kept */
    if (len > PEEL_STREAM_TAIL) {
        data += len - PEEL_STREAM_TAIL;
        len = PEEL_STREAM_TAIL;
    }
    uint32_t start = end - len;
    uint32_t pos = start % PEEL_STREAM_TAIL;
    uint32_t first = MIN(len, PEEL_STREAM_TAIL - pos);
    memcpy(s->tail + pos, data, first);
    memcpy(s->tail, data + first, len - first);
    s->tail_len = MIN(PEEL_STREAM_TAIL, s->tail_len + len);
    s->tail_end = end;
}

/* Do bytes [seq, seq+len) that were already delivered match the ones we kept? */
static bool
tail_conflicts(const PeelTcpStream *s, uint32_t seq, const uint8_t *data, uint32_t len)
{
    if (s->tail_len == 0)
        return false;
    uint32_t tail_start = s->tail_end - s->tail_len;
    uint32_t end = seq + len;
    uint32_t lo = peel_seq_lt(seq, tail_start) ? tail_start : seq;
    uint32_t hi = peel_seq_lt(end, s->tail_end) ? end : s->tail_end;
    for (uint32_t q = lo; peel_seq_lt(q, hi); q++)
        if (s->tail[q % PEEL_STREAM_TAIL] != data[q - seq])
            return true;
    return false;
}

static void
deliver(PeelTcpStream *s, const uint8_t *data, uint32_t len, uint32_t frame,
        uint32_t frame_off, PeelStreamSink sink, void *user)
{
    if (s->closed)
        return;
    if (s->fin_seen && peel_seq_lt(s->fin_seq, s->next_seq + len))
        len = peel_seq_lt(s->next_seq, s->fin_seq) ? s->fin_seq - s->next_seq : 0;
    if (len == 0)
        return;
    uint32_t seq = s->next_seq;
    s->next_seq += len;
    s->delivered += len;
    tail_keep(s, data, len, s->next_seq);
    sink(user, PEEL_STREAM_DATA, data, len, seq, frame, frame_off);
}

static void
maybe_fin(PeelTcpStream *s, PeelStreamSink sink, void *user)
{
    if (s->fin_seen && !s->closed && s->next_seq == s->fin_seq) {
        s->closed = true;
        /* Nothing more is delivered: the tail kept for comparing retransmissions goes, so
         * a finished connection holds no bytes while it waits to be retired (bytes resent
         * after the FIN are no longer compared with the first copy). */
        g_free(s->tail);
        s->tail = NULL;
        s->tail_len = 0;
        sink(user, PEEL_STREAM_FIN, NULL, 0, s->next_seq, 0, 0);
    }
}

/* Delivers held segments that are now in order. */
static void
flush_held(PeelTcpStream *s, PeelStreamSink sink, void *user)
{
    while (s->held != NULL && peel_seq_le(s->held->seq, s->next_seq)) {
        PeelHeldSegment *h = s->held;
        s->held = h->next;
        s->held_bytes -= h->len;
        s->held_count--;
        uint32_t end = h->seq + h->len;
        if (peel_seq_lt(s->next_seq, end)) {
            uint32_t skip = s->next_seq - h->seq;
            deliver(s, h->data + skip, h->len - skip, h->frame, h->frame_off + skip, sink,
                    user);
        }
        g_free(h);
    }
    maybe_fin(s, sink, user);
}

static PeelHeldSegment *
held_new(uint32_t seq, const uint8_t *data, uint32_t len, uint32_t frame, uint32_t frame_off)
{
    PeelHeldSegment *h = g_malloc(sizeof *h + len);
    h->next = NULL;
    h->seq = seq;
    h->len = len;
    h->frame = frame;
    h->frame_off = frame_off;
    memcpy(h->data, data, len);
    return h;
}

/* Inserts the parts of [seq, seq+len) no held segment covers yet; returns PEEL_SEG_*
 * flags for overlaps found. */
static unsigned
hold(PeelTcpStream *s, uint32_t seq, const uint8_t *data, uint32_t len, uint32_t frame,
        uint32_t frame_off)
{
    unsigned flags = PEEL_SEG_HELD;
    PeelHeldSegment **link = &s->held;
    uint32_t end = seq + len;
    while (peel_seq_lt(seq, end)) {
        PeelHeldSegment *h = *link;
        if (h == NULL || peel_seq_le(end, h->seq)) {
            /* The rest fits before h (or at the end). */
            PeelHeldSegment *n = held_new(seq, data, end - seq, frame, frame_off);
            n->next = h;
            *link = n;
            s->held_bytes += n->len;
            s->held_count++;
            break;
        }
        uint32_t hend = h->seq + h->len;
        if (peel_seq_le(hend, seq)) {
            link = &h->next;
            continue;
        }
        if (peel_seq_lt(seq, h->seq)) {
            /* New bytes before h. */
            uint32_t n_len = h->seq - seq;
            PeelHeldSegment *n = held_new(seq, data, n_len, frame, frame_off);
            n->next = h;
            *link = n;
            s->held_bytes += n_len;
            s->held_count++;
            data += n_len;
            frame_off += n_len;
            seq = h->seq;
            link = &n->next;
            continue;
        }
        /* Overlap with h: compare, keep h's bytes. */
        uint32_t ov_end = peel_seq_lt(end, hend) ? end : hend;
        uint32_t n_ov = ov_end - seq;
        flags |= PEEL_SEG_PARTLY_OLD;
        if (memcmp(data, h->data + (seq - h->seq), n_ov) != 0)
            flags |= PEEL_SEG_CONFLICT;
        data += n_ov;
        frame_off += n_ov;
        seq = ov_end;
        link = &h->next;
    }
    return flags;
}

static void
held_drop_all(PeelTcpStream *s)
{
    while (s->held != NULL) {
        PeelHeldSegment *h = s->held;
        s->held = h->next;
        g_free(h);
    }
    s->held_bytes = s->held_count = 0;
}

bool
peel_tcp_stream_skip_gap(PeelTcpStream *s, PeelStreamSink sink, void *user)
{
    if (s->held == NULL)
        return false;
    if (s->closed) {
        held_drop_all(s); /* nothing follows a FIN */
        return false;
    }
    uint32_t gap = s->held->seq - s->next_seq;
    if (gap > 0) {
        sink(user, PEEL_STREAM_GAP, NULL, gap, s->next_seq, s->held->frame, 0);
        s->gap_bytes += gap;
        s->next_seq = s->held->seq;
        /* Kept bytes no longer precede next_seq contiguously. */
        s->tail_len = 0;
    }
    flush_held(s, sink, user);
    return true;
}

void
peel_tcp_stream_skip_to(PeelTcpStream *s, uint32_t upto, uint32_t frame, PeelStreamSink sink,
        void *user)
{
    if (!s->started || s->closed || !peel_seq_lt(s->next_seq, upto))
        return;
    uint32_t gap = upto - s->next_seq;
    sink(user, PEEL_STREAM_GAP, NULL, gap, s->next_seq, frame, 0);
    s->gap_bytes += gap;
    s->next_seq = upto;
    s->tail_len = 0;
    flush_held(s, sink, user);
}

unsigned
peel_tcp_stream_add(PeelTcpStream *s, uint32_t seq, const uint8_t *data, uint32_t len,
        bool fin, uint32_t frame, uint32_t frame_off, PeelStreamSink sink, void *user)
{
    unsigned flags = 0;
    if (!s->started) {
        s->started = true;
        s->next_seq = seq;
    }
    if (fin && !s->fin_seen) {
        s->fin_seen = true;
        s->fin_seq = seq + len;
    }
    if (s->closed) {
        /* After FIN, only retransmissions can come; compare what we kept. */
        if (len > 0) {
            flags |= PEEL_SEG_OLD;
            if (tail_conflicts(s, seq, data, len))
                flags |= PEEL_SEG_CONFLICT;
        }
        return flags;
    }
    uint32_t end = seq + len;
    if (len > 0 && peel_seq_le(end, s->next_seq)) {
        flags |= PEEL_SEG_OLD;
        if (tail_conflicts(s, seq, data, len))
            flags |= PEEL_SEG_CONFLICT;
        maybe_fin(s, sink, user);
        return flags;
    }
    if (len > 0 && peel_seq_lt(seq, s->next_seq)) {
        uint32_t skip = s->next_seq - seq;
        flags |= PEEL_SEG_PARTLY_OLD;
        if (tail_conflicts(s, seq, data, skip))
            flags |= PEEL_SEG_CONFLICT;
        data += skip;
        len -= skip;
        frame_off += skip;
        seq = s->next_seq;
    }
    if (len > 0) {
        if (seq == s->next_seq) {
            /* Bytes held past here may overlap this segment: theirs are compared and
             * dropped by flush_held as they fall behind next_seq. */
            deliver(s, data, len, frame, frame_off, sink, user);
            flags |= PEEL_SEG_IN_ORDER;
        } else {
            flags |= hold(s, seq, data, len, frame, frame_off);
        }
    }
    flush_held(s, sink, user);
    while (s->held_bytes > s->max_held_bytes && peel_tcp_stream_skip_gap(s, sink, user))
        flags |= PEEL_SEG_LIMIT;
    return flags;
}
