/* proto-tcp-stream.c: TCP payload to the application protocol: in-order bytes per
 * direction through the reassembler, cut into PDUs by the protocol's pdu_len, each PDU
 * dissected in the frame that completes it, and per-frame records so a revisit rebuilds
 * the same PDUs from the frames they came from (ARCHITECTURE.md, decision 5). */
#include <glib.h>
#include <string.h>

#include "flow.h"
#include "proto-tcp.h"
#include "protos.h"
#include "registry.h"
#include "tcp-stream.h"

#define MAX_PIECES 4096u              /* segments one PDU may span in the records */
/* PDUs dissected in one frame: each has its own per-frame record (subs 2..251), and each
 * starts again from TCP's count of protocol layers, so the engine's bound on nesting
 * (48 layers) applies to one PDU's chain, not to the sum over the segment. Past this
 * many, the rest stay pending and are dissected with the direction's next segment (or
 * its FIN), with an expert note; with the engine's per-packet field cap
 * (PEEL_MAX_FIELDS) this bounds the work one frame can cause. */
#define MAX_PDUS_PER_FRAME 250u

/* Where a run of stream bytes was captured. */
typedef struct {
    uint32_t frame;
    uint32_t frame_off; /* offset in the frame's bytes; UINT32_MAX: not in the frame itself */
    uint32_t len;
} Piece;

/* In-order bytes no PDU has consumed yet: buf[start, start + len). Consuming moves
 * `start`; appending compacts or grows. A buffer larger than PENDING_KEEP is freed once
 * empty, so a connection that carried one large PDU does not pin its size. */
typedef struct {
    uint8_t *buf;
    uint32_t start, len, cap;
} Pending;

#define PENDING_KEEP (64u * 1024u)

typedef struct {
    PeelTcpStream rs;
    Pending pending;
    Piece *pieces;
    uint32_t n_pieces, cap_pieces;
    bool started;
} StreamDir;

typedef struct {
    int app; /* protocol index + 1; 0: not chosen yet; -1: none (data) */
    StreamDir dir[2];
    uint64_t *total_held; /* the capture-wide count of held bytes this connection adds to */
} StreamConv;

static const char stream_owner = 's'; /* flow-data key of this module */

/* Record layouts: sub 1 per frame says what the segment did; sub 2.. one per PDU. */
enum { REC_SEGMENT = 1, REC_PDU_FIRST = 2, REC_RESET = 254, REC_PARTIAL_INFO = 255 };
enum { SEG_PART_OF_PDU = 1, SEG_REASSEMBLED = 2, SEG_FIN = 4 };

typedef struct {
    uint32_t flags; /* SEG_* */
    int32_t app;    /* StreamConv.app at the time */
} SegRecord;

static void
conv_clear(void *data)
{
    StreamConv *c = data;
    for (int d = 0; d < 2; d++) {
        if (c->total_held != NULL)
            *c->total_held -= c->dir[d].rs.held_bytes;
        peel_tcp_stream_clear(&c->dir[d].rs);
        g_free(c->dir[d].pending.buf);
        g_free(c->dir[d].pieces);
    }
}

typedef struct {
    PeelPacket *pkt;
    StreamDir *dir;
    const PeelProto *app;
    uint32_t stream;
    bool gap;
    uint64_t gap_bytes;
    bool fin; /* the sender closed this direction: every byte of it has been delivered */
} SinkCtx;

static void
pieces_push(StreamDir *d, uint32_t frame, uint32_t frame_off, uint32_t len)
{
    if (d->n_pieces > 0) {
        Piece *last = &d->pieces[d->n_pieces - 1];
        if (last->frame == frame && last->frame_off != UINT32_MAX &&
                last->frame_off + last->len == frame_off) {
            last->len += len;
            return;
        }
    }
    if (d->n_pieces == d->cap_pieces) {
        d->cap_pieces = d->cap_pieces ? d->cap_pieces * 2 : 8;
        d->pieces = g_renew(Piece, d->pieces, d->cap_pieces);
    }
    d->pieces[d->n_pieces++] = (Piece){ frame, frame_off, len };
}

static void
pending_append(Pending *p, const uint8_t *data, uint32_t n)
{
    if (n == 0)
        return;
    if (p->cap - p->start - p->len < n) {
        uint64_t need = (uint64_t)p->len + n;
        if (need <= p->cap && p->len <= p->cap / 2) {
            memmove(p->buf, p->buf + p->start, p->len); /* room enough once compacted */
        } else {
            uint64_t cap = p->cap ? p->cap : 4096;
            while (cap < need)
                cap *= 2;
            if (cap > UINT32_MAX)
                cap = need; /* callers bound the pending bytes well below this */
            uint8_t *buf = g_malloc((size_t)cap);
            if (p->len > 0)
                memcpy(buf, p->buf + p->start, p->len);
            g_free(p->buf);
            p->buf = buf;
            p->cap = (uint32_t)cap;
        }
        p->start = 0;
    }
    memcpy(p->buf + p->start + p->len, data, n);
    p->len += n;
}

/* Room for a PDU of `whole` bytes, all pending bytes included, in one allocation. A length
 * only claimed is not trusted for more than 8 times the bytes that came (64 KiB at
 * least): a header that promises megabytes and sends nothing costs little. */
static void
pending_reserve(Pending *p, uint32_t whole)
{
    whole = (uint32_t)MIN((uint64_t)whole, MAX((uint64_t)PENDING_KEEP, (uint64_t)p->len * 8u));
    if (whole <= p->cap - p->start || whole < p->len)
        return;
    uint8_t *buf = g_malloc(whole);
    if (p->len > 0)
        memcpy(buf, p->buf + p->start, p->len);
    g_free(p->buf);
    p->buf = buf;
    p->cap = whole;
    p->start = 0;
}

static void
pending_consume(Pending *p, uint32_t n)
{
    p->start += n;
    p->len -= n;
    if (p->len == 0) {
        p->start = 0;
        if (p->cap > PENDING_KEEP) {
            g_free(p->buf);
            *p = (Pending){ 0 };
        }
    }
}

static void
pending_reset(StreamDir *d)
{
    pending_consume(&d->pending, d->pending.len);
    d->n_pieces = 0;
    if (d->cap_pieces > 1024) {
        g_free(d->pieces);
        d->pieces = NULL;
        d->cap_pieces = 0;
    }
}

static void
sink(void *user, PeelStreamEvent ev, const uint8_t *data, uint32_t len, uint32_t seq,
        uint32_t frame, uint32_t frame_off)
{
    SinkCtx *k = user;
    (void)seq;
    PeelStreamChunk chunk = { .ip_proto = 6, .stream = k->stream, .dir = k->pkt->flow_dir,
        .flow = k->pkt->flow, .frame = frame, .ts = k->pkt->frame->ts };
    if (ev == PEEL_STREAM_DATA) {
        chunk.data = data;
        chunk.len = len;
        peel_tap_stream(k->pkt, &chunk);
        if (k->app == NULL || k->app->pdu_len == NULL)
            return;
        pending_append(&k->dir->pending, data, len);
        pieces_push(k->dir, frame, frame_off, len);
    } else if (ev == PEEL_STREAM_GAP) {
        chunk.len = len;
        peel_tap_stream(k->pkt, &chunk);
        k->gap = true;
        k->gap_bytes += len;
        pending_reset(k->dir);
    } else if (ev == PEEL_STREAM_FIN) {
        k->fin = true;
    }
}

/* This connection's stream state, tied to the capture-wide count of held bytes. */
static StreamConv *
conv_get(PeelPacket *pkt)
{
    StreamConv *c = peel_flow_data(pkt->flow, &stream_owner, sizeof *c, conv_clear);
    if (c->total_held == NULL)
        c->total_held = peel_engine_data(pkt, &stream_owner, sizeof(uint64_t), NULL);
    return c;
}

/* Runs `op` on a direction's reassembler and keeps the capture-wide held count right. */
#define HELD_TRACK(c, d, op)                                                                   \
    do {                                                                                       \
        uint32_t held_before_ = (d)->rs.held_bytes;                                            \
        op;                                                                                    \
        *(c)->total_held += (d)->rs.held_bytes;                                                \
        *(c)->total_held -= held_before_;                                                      \
    } while (0)

/* The app protocol of this connection, chosen on its first payload and kept. */
static const PeelProto *
conv_app(PeelPacket *pkt, StreamConv *c, const PeelReader *payload, uint16_t sport,
        uint16_t dport)
{
    if (c->app == 0) {
        const PeelProto *p = peel_choose_port(pkt, payload, PEEL_TABLE_TCP_PORT, sport, dport);
        c->app = p ? peel_registry_proto_index(p) + 1 : -1;
    }
    return c->app > 0 ? peel_registry_proto((uint32_t)c->app - 1) : NULL;
}

/* The segments list of a PDU, under the TCP item, as Wireshark's [N Reassembled TCP
 * Segments] tree. */
static void
add_segments_tree(PeelPacket *pkt, const Piece *pieces, uint32_t n, uint32_t total,
        const uint32_t *fields)
{
    int32_t top = peel_add_uint_value(pkt, fields[0], 0);
    peel_set_text(pkt, top, "[%u Reassembled TCP Segments (%u bytes)]", n, total);
    int32_t saved = pkt->parent;
    uint16_t depth = pkt->depth;
    pkt->parent = top;
    pkt->depth++;
    for (uint32_t i = 0; i < n; i++) {
        int32_t f = peel_add_uint_value(pkt, fields[1], pieces[i].frame);
        peel_set_text(pkt, f, "[Frame: %u, payload: %u bytes]", pieces[i].frame, pieces[i].len);
    }
    peel_add_uint_value(pkt, fields[2], n);
    peel_add_uint_value(pkt, fields[3], total);
    pkt->parent = saved;
    pkt->depth = depth;
}

/* Whether a PDU is all in this frame's segment, where it can be dissected in place. */
static bool
pdu_in_frame(const PeelPacket *pkt, const PeelReader *payload, const Piece *pieces,
        uint32_t n_pieces)
{
    return n_pieces == 1 && pieces[0].frame == pkt->frame->number && payload->src == 0 &&
           pieces[0].frame_off != UINT32_MAX && pieces[0].frame_off >= peel_reader_offset(payload);
}

/* Dissects one PDU of `len` bytes made of `pieces`; `payload` is this frame's segment.
 * `bytes` are copied into the packet unless `owned` (they are the packet's already). */
static void
dissect_pdu(PeelPacket *pkt, const PeelProto *app, const PeelReader *payload,
        const Piece *pieces, uint32_t n_pieces, uint32_t len, const uint8_t *bytes, bool owned,
        const uint32_t *seg_fields, uint32_t index)
{
    PeelReader rd;
    uint32_t base = peel_reader_offset(payload); /* payload is at its start */
    if (pdu_in_frame(pkt, payload, pieces, n_pieces)) {
        /* All in this segment: dissect in place, so offsets stay frame offsets. */
        PeelReader whole = *payload;
        peel_reader_skip(&whole, pieces[0].frame_off - base);
        rd = peel_reader_take(&whole, len);
    } else {
        const uint8_t *copy = bytes;
        if (!owned) {
            uint8_t *mem = peel_arena_alloc(pkt->arena, len ? len : 1);
            if (mem == NULL) {
                peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_REASSEMBLE,
                        "reassembled PDU of %u bytes exceeds the per-packet memory limit", len);
                return;
            }
            memcpy(mem, bytes, len);
            copy = mem;
        }
        add_segments_tree(pkt, pieces, n_pieces, len, seg_fields);
        rd = peel_add_source(pkt, copy, len, "Reassembled TCP");
    }
    int32_t parent = pkt->parent;
    uint16_t depth = pkt->depth;
    /* Each PDU counts its layers from TCP's: PDUs side by side are not nesting. */
    uint16_t layers = pkt->layers;
    pkt->pdu_index = (uint16_t)index; /* the same on a revisit: per-PDU records use it */
    /* The application is a top-level item beside TCP, as in tshark's tree. */
    pkt->parent = pkt->fields[parent].parent;
    pkt->depth = pkt->fields[parent].depth;
    peel_next_proto(pkt, &rd, app);
    pkt->parent = parent;
    pkt->depth = depth;
    pkt->layers = layers;
    peel_info_fence(pkt); /* several PDUs in one frame list one after another */
}

/* A PDU record: total length, piece count, the protocol (index + 1), then the pieces. */
#define PDU_REC_HEAD 12u

static void
record_pdu(PeelPacket *pkt, uint8_t sub, const Piece *pieces, uint32_t n, uint32_t len,
        const PeelProto *app)
{
    if (n > MAX_PIECES)
        return;
    uint32_t size = PDU_REC_HEAD + n * (uint32_t)sizeof(Piece);
    uint8_t *buf = peel_arena_alloc(pkt->arena, size);
    if (buf == NULL)
        return;
    int32_t idx = (int32_t)peel_registry_proto_index(app) + 1;
    memcpy(buf, &len, 4);
    memcpy(buf + 4, &n, 4);
    memcpy(buf + 8, &idx, 4);
    memcpy(buf + PDU_REC_HEAD, pieces, n * sizeof(Piece));
    peel_record_put(pkt, sub, buf, size);
}

/* The connection's protocol now (it may change after a PDU: peel_tcp_set_app). */
static const PeelProto *
conv_app_now(const StreamConv *c)
{
    return c->app > 0 ? peel_registry_proto((uint32_t)c->app - 1) : NULL;
}

void
peel_tcp_set_app(PeelPacket *pkt, const PeelProto *app)
{
    if (pkt->revisit || pkt->flow == NULL || pkt->flow->ip_proto != 6)
        return;
    StreamConv *c = conv_get(pkt);
    if (!peel_proto_enabled(pkt, app))
        app = NULL; /* --disable-protocol: the rest of the connection is data */
    c->app = app != NULL ? (int)peel_registry_proto_index(app) + 1 : -1;
}

/* Cuts complete PDUs off the pending bytes and dissects them in this frame. */
static uint32_t
deliver_pdus(PeelPacket *pkt, StreamConv *c, StreamDir *d, const PeelReader *payload,
        const uint32_t *seg_fields, uint32_t done)
{
    uint32_t n_pdus = done; /* PDUs this frame dissected already (records are numbered) */
    while (d->pending.len > 0) {
        const PeelProto *app = conv_app_now(c);
        if (app == NULL || app->pdu_len == NULL) {
            /* Switched to a protocol that is not cut into PDUs: its later segments go
             * to it directly; what is pending here is not dissected. */
            pending_reset(d);
            break;
        }
        const uint8_t *data = d->pending.buf + d->pending.start;
        PeelReader peek = peel_reader_init(data, d->pending.len, d->pending.len, 0);
        pkt->pdu_hint = 0;
        uint32_t want = app->pdu_len(&peek, pkt);
        if (conv_app_now(c) != app)
            continue; /* pdu_len handed the connection over (HTTP seeing HTTP/2's preface) */
        uint32_t max_pdu = pkt->prefs->tcp_max_pdu;
        /* A PDU longer than what is pending, its length known: its buffer is sized once,
         * so the bytes still to come are not copied again each time it would grow. */
        uint32_t whole = want != 0 ? want : pkt->pdu_hint;
        if (whole > d->pending.len && whole <= max_pdu && !pkt->stream_end)
            pending_reserve(&d->pending, whole);
        if (want == 0 || want > max_pdu) {
            if (want > max_pdu || d->pending.len > max_pdu) {
                peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_REASSEMBLE,
                        "%s PDU of %u bytes is past the %u-byte reassembly limit: dropped",
                        app->name, want, max_pdu);
                pending_reset(d);
            }
            break;
        }
        if (want > d->pending.len)
            break;
        if (n_pdus >= MAX_PDUS_PER_FRAME) {
            peel_expert(pkt, pkt->parent, PEEL_SEV_NOTE, PEEL_GROUP_REASSEMBLE,
                    pkt->stream_end
                            ? "more than %u %s PDUs in one segment: the rest are not dissected"
                            : "more than %u %s PDUs in one segment: the rest are dissected "
                              "with the next segment of this direction",
                    MAX_PDUS_PER_FRAME, app->name);
            break;
        }
        /* The pieces covering the first `want` bytes. */
        uint32_t n = 0, covered = 0;
        while (n < d->n_pieces && covered < want)
            covered += d->pieces[n++].len;
        Piece *pieces = peel_arena_alloc(pkt->arena, n * sizeof(Piece));
        if (pieces == NULL)
            break;
        memcpy(pieces, d->pieces, n * sizeof(Piece));
        pieces[n - 1].len -= covered - want;
        for (uint32_t i = 0; i < n; i++)
            peel_set_reassembled_in(pkt, pieces[i].frame, pkt->frame->number);
        record_pdu(pkt, (uint8_t)(REC_PDU_FIRST + n_pdus), pieces, n, want, app);
        /* A PDU that takes all that is pending, from several segments (a large body),
         * hands its buffer to the packet instead of being copied. */
        bool owned = want == d->pending.len && !pdu_in_frame(pkt, payload, pieces, n) &&
                     peel_arena_adopt(pkt->arena, d->pending.buf, d->pending.cap);
        if (owned)
            d->pending = (Pending){ 0 };
        dissect_pdu(pkt, app, payload, pieces, n, want, data, owned, seg_fields, n_pdus);
        n_pdus++;
        /* Consume. */
        if (!owned)
            pending_consume(&d->pending, want);
        uint32_t left = covered - want;
        uint32_t keep_from = left > 0 ? n - 1 : n;
        memmove(d->pieces, d->pieces + keep_from, (d->n_pieces - keep_from) * sizeof(Piece));
        d->n_pieces -= keep_from;
        if (left > 0) {
            Piece *p = &d->pieces[0];
            uint32_t used = p->len - left;
            p->len = left;
            if (p->frame_off != UINT32_MAX)
                p->frame_off += used;
        }
    }
    return n_pdus - done;
}

/* Revisit: rebuild each PDU this frame completed from the frames it came from. */
static void
revisit(PeelPacket *pkt, const PeelReader *payload, const uint32_t *seg_fields)
{
    for (uint32_t sub = REC_PDU_FIRST; sub < REC_PDU_FIRST + MAX_PDUS_PER_FRAME; sub++) {
        uint32_t size = peel_record_size(pkt, (uint8_t)sub);
        if (size < PDU_REC_HEAD)
            break;
        uint8_t *buf = peel_arena_alloc(pkt->arena, size);
        if (buf == NULL || !peel_record_get(pkt, (uint8_t)sub, buf, size))
            break;
        uint32_t len, n;
        int32_t idx;
        memcpy(&len, buf, 4);
        memcpy(&n, buf + 4, 4);
        memcpy(&idx, buf + 8, 4);
        if (n == 0 || n > MAX_PIECES || size != PDU_REC_HEAD + n * (uint32_t)sizeof(Piece) ||
                idx <= 0)
            break;
        const PeelProto *app = peel_registry_proto((uint32_t)idx - 1);
        uint8_t *bytes = peel_arena_alloc(pkt->arena, len ? len : 1);
        if (bytes == NULL)
            break;
        const Piece *pieces = (const Piece *)(buf + PDU_REC_HEAD);
        uint32_t at = 0;
        bool ok = true;
        for (uint32_t i = 0; i < n && ok; i++) {
            const uint8_t *fd = NULL;
            uint32_t flen = 0;
            ok = pieces[i].frame_off != UINT32_MAX &&
                 peel_fetch_frame(pkt, pieces[i].frame, &fd, &flen) &&
                 pieces[i].frame_off <= flen && pieces[i].len <= flen - pieces[i].frame_off &&
                 pieces[i].len <= len - at;
            if (ok) {
                memcpy(bytes + at, fd + pieces[i].frame_off, pieces[i].len);
                at += pieces[i].len;
            }
        }
        if (!ok || at != len) {
            peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_REASSEMBLE,
                    "the segments of a %u-byte PDU could not be read again", len);
            continue;
        }
        dissect_pdu(pkt, app, payload, pieces, n, len, bytes, true, seg_fields,
                (uint32_t)sub - REC_PDU_FIRST);
    }
}

/* What a closed connection keeps: TCP's sequence analysis, for its late packets. */
static const void *const closed_keep[] = { &peel_proto_tcp, NULL };

/* Both directions delivered their FIN: reassembly and the application's state go. */
static void
release_if_closed(PeelPacket *pkt, const StreamConv *c)
{
    if (c->dir[0].rs.closed && c->dir[1].rs.closed)
        peel_packet_flow_release(pkt, closed_keep);
}

/* Tells the connection's protocol that a direction closed (its stream_end). */
static void
notify_end(PeelPacket *pkt, const PeelProto *app)
{
    if (app != NULL && app->stream_end != NULL)
        app->stream_end(pkt);
}

/* A reset ends the connection: its protocol hears of it once, as the end of the sender's
 * direction (with pkt->stream_reset set), unless a FIN closed that direction already or
 * the connection had ended. Record REC_RESET (the protocol's index + 1) repeats it on a
 * revisit. */
void
tcp_stream_reset(PeelPacket *pkt)
{
    if (pkt->in_error)
        return;
    int32_t app = 0;
    if (pkt->revisit) {
        if (!peel_record_get(pkt, REC_RESET, &app, sizeof app) || app <= 0)
            return;
    } else {
        if (pkt->flow == NULL || pkt->flow->ip_proto != 6)
            return;
        const StreamConv *c = peel_flow_data_find(pkt->flow, &stream_owner);
        const PeelProto *p = c != NULL ? conv_app_now(c) : NULL;
        if (p != NULL && p->stream_end != NULL && !pkt->flow->closed &&
                !c->dir[pkt->flow_dir & 1].rs.closed) {
            app = c->app;
            peel_record_put(pkt, REC_RESET, &app, sizeof app);
        }
        peel_packet_flow_release(pkt, closed_keep);
    }
    if (app > 0) {
        pkt->stream_reset = true;
        notify_end(pkt, peel_registry_proto((uint32_t)app - 1));
        pkt->stream_reset = false;
    }
}

/* The direction ended (FIN): what is pending is asked for once more, with
 * pkt->stream_end set, so a PDU that runs to the close (an HTTP/1.0 body) ends here. */
static uint32_t
deliver_at_fin(PeelPacket *pkt, StreamConv *c, StreamDir *d, const SinkCtx *k,
        const PeelReader *payload, const uint32_t *seg_fields, uint32_t done)
{
    if (!k->fin || d->pending.len == 0)
        return 0;
    pkt->stream_end = true;
    uint32_t n = deliver_pdus(pkt, c, d, payload, seg_fields, done);
    pkt->stream_end = false;
    return n;
}

void
tcp_stream_payload(PeelPacket *pkt, PeelReader *payload, const TcpSegInfo *si,
        const TcpAnalysis *an, uint16_t sport, uint16_t dport, const uint32_t *seg_fields)
{
    bool resent = (an->flags & (TCP_A_RETRANSMISSION | TCP_A_OUT_OF_ORDER)) != 0;
    if (pkt->revisit) {
        SegRecord r = { 0 };
        if (!peel_record_get(pkt, REC_SEGMENT, &r, sizeof r)) {
            if (!resent)
                peel_next_port(pkt, payload, PEEL_TABLE_TCP_PORT, sport, dport);
            return;
        }
        const PeelProto *app = r.app > 0 ? peel_registry_proto((uint32_t)r.app - 1) : NULL;
        if (r.flags & SEG_FIN)
            notify_end(pkt, app);
        if (r.flags & SEG_REASSEMBLED) {
            revisit(pkt, payload, seg_fields);
            uint32_t in = peel_get_reassembled_in(pkt);
            if (in != 0 && in != pkt->frame->number) {
                int32_t f = peel_add_uint_value(pkt, seg_fields[4], in);
                peel_set_text(pkt, f, "[Reassembled PDU in frame: %u]", in);
            }
            /* As the first pass: a segment that completed no PDU says it waits. */
            if ((r.flags & SEG_PART_OF_PDU) && peel_record_size(pkt, REC_PDU_FIRST) == 0) {
                /* What the protocol's pdu_len said of the waiting PDU (HTTP's start line). */
                uint32_t n = peel_record_size(pkt, REC_PARTIAL_INFO);
                char *text = n > 0 && n < PEEL_INFO_MAX ? peel_arena_alloc(pkt->arena, n + 1) : NULL;
                if (text != NULL && peel_record_get(pkt, REC_PARTIAL_INFO, text, n)) {
                    text[n] = '\0';
                    peel_info_set(pkt, "%s", text);
                }
                peel_info_append_str(pkt, " [TCP segment of a reassembled PDU]");
            }
        } else if (!resent) {
            if (app != NULL)
                peel_next_proto(pkt, payload, app);
            else
                peel_next_data(pkt, payload);
        }
        return;
    }
    PeelFlow *flow = pkt->flow;
    if (flow == NULL || pkt->in_error) {
        if (!resent)
            peel_next_port(pkt, payload, PEEL_TABLE_TCP_PORT, sport, dport);
        return;
    }
    StreamConv *c = conv_get(pkt);
    const PeelProto *app = conv_app(pkt, c, payload, sport, dport);
    bool reassemble = app != NULL && app->pdu_len != NULL;
    SegRecord rec = { .flags = reassemble ? SEG_REASSEMBLED : 0, .app = c->app };

    if (!reassemble)
        peel_record_put(pkt, REC_SEGMENT, &rec, sizeof rec);
    if (!reassemble && !peel_tap_wanted(pkt)) {
        if (!resent) {
            if (app != NULL)
                peel_next_proto(pkt, payload, app);
            else
                peel_next_data(pkt, payload);
        }
        return;
    }
    StreamDir *d = &c->dir[pkt->flow_dir];
    SinkCtx k = { .pkt = pkt, .dir = d, .app = app, .stream = flow->id };
    if (!d->started) {
        peel_tcp_stream_init(&d->rs, pkt->prefs->tcp_max_held);
        d->started = true;
    }
    uint32_t seq = si->seq + ((si->flags & TCP_SYN) ? 1 : 0);
    if (si->flags & TCP_SYN)
        peel_tcp_stream_start(&d->rs, seq);
    uint32_t got = 0;
    const uint8_t *bytes = peel_reader_peek_bytes(payload, 0, peel_reader_captured(payload), &got);
    uint32_t off = payload->src == 0 ? peel_reader_offset(payload) : UINT32_MAX;
    unsigned flags = 0;
    uint32_t pending_before = d->pending.len;
    HELD_TRACK(c, d,
            flags = peel_tcp_stream_add(&d->rs, seq, bytes, got, (si->flags & TCP_FIN) != 0,
                    pkt->frame->number, off, sink, &k));
    uint32_t claimed = peel_reader_remaining(payload);
    if (got < claimed && (flags & PEEL_SEG_IN_ORDER)) /* cut by the snapshot length */
        HELD_TRACK(c, d, peel_tcp_stream_skip_to(&d->rs, seq + claimed, pkt->frame->number, sink, &k));
    if (*c->total_held > pkt->prefs->tcp_max_total_held && d->rs.held != NULL) {
        /* Over the bound for all connections: this direction stops waiting. */
        HELD_TRACK(c, d, while (peel_tcp_stream_skip_gap(&d->rs, sink, &k)));
        flags |= PEEL_SEG_LIMIT;
    }
    if (flags & PEEL_SEG_LIMIT)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_REASSEMBLE,
                "out-of-order bytes held for reassembly passed their limit (tcp.max_held %u, "
                "tcp.max_total_held %u): the missing bytes are given up",
                pkt->prefs->tcp_max_held, pkt->prefs->tcp_max_total_held);
    if (flags & PEEL_SEG_CONFLICT)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_REASSEMBLE,
                "retransmitted bytes differ from the bytes first seen at this position");
    if (k.gap) {
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_REASSEMBLE,
                "%" G_GUINT64_FORMAT " bytes of this direction were never captured",
                k.gap_bytes);
        if (app != NULL && app->stream_gap != NULL)
            app->stream_gap(pkt);
    }
    if (reassemble && got < claimed && (flags & PEEL_SEG_IN_ORDER) && pending_before == 0 &&
            !resent) {
        /* Cut by the snapshot length where a PDU starts: as tshark, the protocol gets
         * what was captured of it (its reads past that are marked truncated). */
        rec.flags = 0;
        peel_record_put(pkt, REC_SEGMENT, &rec, sizeof rec);
        peel_next_proto(pkt, payload, app);
        return;
    }
    if (!reassemble) {
        if (!resent) {
            if (app != NULL)
                peel_next_proto(pkt, payload, app);
            else
                peel_next_data(pkt, payload);
        }
        return;
    }
    uint32_t info_writes = pkt->info_writes;
    uint32_t pdus = deliver_pdus(pkt, c, d, payload, seg_fields, 0);
    pdus += deliver_at_fin(pkt, c, d, &k, payload, seg_fields, pdus);
    if (k.fin) {
        rec.flags |= SEG_FIN;
        notify_end(pkt, conv_app_now(c));
        release_if_closed(pkt, c);
    }
    if (d->pending.len > 0 && (flags & PEEL_SEG_IN_ORDER)) {
        /* This segment's bytes wait for the rest of their PDU. */
        rec.flags |= SEG_PART_OF_PDU;
        if (pdus == 0) {
            if (pkt->info_writes != info_writes && pkt->info_len > pkt->info_fence)
                peel_record_put(pkt, REC_PARTIAL_INFO, pkt->info + pkt->info_fence,
                        pkt->info_len - pkt->info_fence);
            peel_info_append_str(pkt, " [TCP segment of a reassembled PDU]");
        }
    }
    peel_record_put(pkt, REC_SEGMENT, &rec, sizeof rec);
}

void
tcp_stream_control(PeelPacket *pkt, const TcpSegInfo *si, const PeelReader *payload,
        const uint32_t *seg_fields)
{
    if (pkt->revisit && !pkt->in_error && (si->flags & TCP_FIN)) {
        SegRecord r = { 0 };
        if (peel_record_get(pkt, REC_SEGMENT, &r, sizeof r)) {
            if (r.flags & SEG_REASSEMBLED)
                revisit(pkt, payload, seg_fields);
            if ((r.flags & SEG_FIN) && r.app > 0)
                notify_end(pkt, peel_registry_proto((uint32_t)r.app - 1));
        }
        return;
    }
    if (pkt->flow == NULL || pkt->revisit || pkt->in_error || !(si->flags & (TCP_SYN | TCP_FIN)))
        return;
    StreamConv *c = conv_get(pkt);
    StreamDir *d = &c->dir[pkt->flow_dir];
    if (!d->started) {
        peel_tcp_stream_init(&d->rs, pkt->prefs->tcp_max_held);
        d->started = true;
    }
    if (si->flags & TCP_SYN) {
        peel_tcp_stream_start(&d->rs, si->seq + 1);
        return;
    }
    const PeelProto *app = c->app > 0 ? peel_registry_proto((uint32_t)c->app - 1) : NULL;
    SinkCtx k = { .pkt = pkt, .dir = d, .app = app, .stream = pkt->flow->id };
    HELD_TRACK(c, d,
            peel_tcp_stream_add(&d->rs, si->seq, NULL, 0, true, pkt->frame->number, 0, sink, &k));
    SegRecord rec = { .app = c->app };
    if (deliver_at_fin(pkt, c, d, &k, payload, seg_fields, 0) > 0)
        rec.flags |= SEG_REASSEMBLED;
    if (k.fin) {
        rec.flags |= SEG_FIN;
        rec.app = c->app;
        notify_end(pkt, conv_app_now(c));
        release_if_closed(pkt, c);
    }
    if (rec.flags != 0)
        peel_record_put(pkt, REC_SEGMENT, &rec, sizeof rec);
}

void
tcp_stream_ack(PeelPacket *pkt, uint32_t ack)
{
    /* The peer acknowledged bytes this capture never held: give up waiting for them. */
    if (pkt->flow == NULL || pkt->revisit)
        return;
    StreamConv *c = conv_get(pkt);
    StreamDir *rev = &c->dir[!pkt->flow_dir];
    if (!rev->started || rev->rs.held == NULL || !peel_seq_lt(rev->rs.next_seq, ack))
        return;
    const PeelProto *app = c->app > 0 ? peel_registry_proto((uint32_t)c->app - 1) : NULL;
    int saved_dir = pkt->flow_dir;
    pkt->flow_dir = !saved_dir; /* the sink reports the reverse direction */
    SinkCtx k = { .pkt = pkt, .dir = rev, .app = app, .stream = pkt->flow->id };
    HELD_TRACK(c, rev,
            while (rev->rs.held != NULL && peel_seq_lt(rev->rs.next_seq, ack))
                peel_tcp_stream_skip_gap(&rev->rs, sink, &k));
    if (k.gap && app != NULL && app->stream_gap != NULL)
        app->stream_gap(pkt); /* told while flow_dir is the direction that lost bytes */
    pkt->flow_dir = saved_dir;
    if (k.gap)
        peel_expert(pkt, pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_REASSEMBLE,
                "acknowledges %" G_GUINT64_FORMAT " bytes the capture never held: "
                "reassembly of the other direction goes on after them",
                k.gap_bytes);
}
