/* proto-tcp-analysis.c: TCP sequence analysis with Wireshark 4.0's meaning: stream numbers,
 * relative sequence numbers, window scaling and the tcp.analysis flags, computed in one
 * pass over per-connection state and kept as a per-frame record for revisits. */
#include <glib.h>
#include <string.h>

#include "flow.h"
#include "protos.h"
#include "proto-tcp.h"

#define MAX_UNACKED 10000u
#define NS_PER_MS 1000000ll

typedef struct {
    uint32_t frame;
    uint32_t seq;
    uint32_t nextseq;
    int64_t ts;
} Unacked;

/* One direction: the segments sent by one endpoint. */
typedef struct {
    bool base_set;
    uint32_t base_seq;
    int win_scale;   /* -1 unknown, -2 no scaling used, else the shift */
    uint32_t window; /* raw window of the last segment (0xffffffff before any) */
    bool is_first_ack;
    bool valid_bif;
    Unacked *segs;   /* oldest first; matching walks from the newest */
    uint32_t n_segs, cap_segs;
    uint32_t lastack;
    int64_t lastacktime;
    uint32_t lastnondupack;
    uint32_t dupacknum;
    uint32_t nextseq;
    int64_t nextseqtime;
    uint32_t maxseqtobeacked;
    uint32_t lastsegflags;
    uint8_t n_sack;
    uint32_t sack_le[3], sack_re[3];
} TcpDir;

typedef struct {
    bool init;
    TcpDir dir[2];
    int64_t ts_mru_syn; /* 0: none */
    int64_t ts_first_rtt;
} TcpConv;

static inline bool
gt(uint32_t a, uint32_t b)
{
    return (int32_t)(b - a) < 0;
}

static inline bool
lt(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}

static inline bool
le(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) <= 0;
}

/* Time differences compared unsigned: a clock going backwards never counts as "soon". */
static inline bool
sooner_than(int64_t now, int64_t then, int64_t threshold)
{
    return (uint64_t)(now - then) < (uint64_t)threshold;
}

static void
dir_init(TcpDir *d)
{
    memset(d, 0, sizeof *d);
    d->win_scale = -1;
    d->window = 0xffffffffu;
    d->valid_bif = true;
}

static void
conv_clear(void *data)
{
    TcpConv *c = data;
    g_free(c->dir[0].segs);
    g_free(c->dir[1].segs);
}

static TcpConv *
conv_get(PeelFlow *flow)
{
    TcpConv *c = peel_flow_data(flow, &peel_proto_tcp, sizeof *c, conv_clear);
    if (!c->init) {
        c->init = true;
        dir_init(&c->dir[0]);
        dir_init(&c->dir[1]);
    }
    return c;
}

static void
segs_push(TcpDir *d, uint32_t frame, uint32_t seq, uint32_t nextseq, int64_t ts)
{
    if (d->n_segs == d->cap_segs) {
        d->cap_segs = d->cap_segs ? d->cap_segs * 2 : 8;
        d->segs = g_renew(Unacked, d->segs, d->cap_segs);
    }
    d->segs[d->n_segs++] = (Unacked){ frame, seq, nextseq, ts };
}

void
tcp_analysis_scan_options(const PeelReader *opts, uint32_t optlen, TcpSegInfo *seg)
{
    seg->wscale = -1;
    seg->n_sack = 0;
    uint32_t i = 0;
    while (i < optlen) {
        uint8_t kind = peel_reader_peek_u8(opts, i);
        if (kind == 0)
            break;
        if (kind == 1) {
            i++;
            continue;
        }
        if (i + 1 >= optlen)
            break;
        uint8_t len = peel_reader_peek_u8(opts, i + 1);
        if (len < 2 || i + len > optlen || i + len > peel_reader_captured(opts))
            break;
        if (kind == 3 && len == 3) {
            seg->wscale = peel_reader_peek_u8(opts, i + 2);
        } else if (kind == 5 && len >= 10) {
            for (uint32_t b = 0; b < (uint32_t)(len - 2) / 8 && seg->n_sack < 3; b++) {
                seg->sack_le[seg->n_sack] = peel_reader_peek_u32be(opts, i + 2 + 8 * b);
                seg->sack_re[seg->n_sack] = peel_reader_peek_u32be(opts, i + 6 + 8 * b);
                seg->n_sack++;
            }
        }
        i += len;
    }
}

/* The analysis proper (spec steps 1 to 20), on raw numbers. */
static void
analyze(TcpConv *conv, TcpDir *fwd, TcpDir *rev, const TcpSegInfo *s, TcpAnalysis *a)
{
    const uint16_t SFR = TCP_SYN | TCP_FIN | TCP_RST;
    uint32_t seq = s->seq, ack = s->ack, seglen = s->seglen;
    uint16_t flags = s->flags;
    int64_t now = s->now_ns;
    uint32_t win = s->win;

    if (flags & TCP_ACK)
        rev->valid_bif = true;
    if (seglen == 1 && seq == fwd->nextseq && rev->window == 0) {
        a->flags |= TCP_A_ZERO_WINDOW_PROBE;
        goto fwd_done;
    }
    if (win == 0 && !(flags & SFR))
        a->flags |= TCP_A_ZERO_WINDOW;
    if (fwd->nextseq != 0 && gt(seq, fwd->nextseq) && !(flags & TCP_RST)) {
        a->flags |= TCP_A_LOST_PACKET;
        fwd->valid_bif = false;
    }
    if (seglen <= 1 && seq == fwd->nextseq - 1 && !(flags & SFR))
        a->flags |= TCP_A_KEEP_ALIVE;
    if (seglen == 0 && win != 0 && win != fwd->window && seq == fwd->nextseq &&
            ack == fwd->lastack && !(flags & SFR))
        a->flags |= TCP_A_WINDOW_UPDATE;
    if (seglen > 0 && rev->win_scale != -1 && !(flags & SFR)) {
        int shift = rev->is_first_ack || rev->win_scale == -2 ? 0 : rev->win_scale;
        if (seq + seglen == rev->lastack + (rev->window << shift))
            a->flags |= TCP_A_WINDOW_FULL;
    }
    bool common = seglen == 0 && seq == fwd->nextseq && ack == fwd->lastack && !(flags & SFR);
    if (common && win != 0 && win == fwd->window && (rev->lastsegflags & TCP_A_KEEP_ALIVE)) {
        a->flags |= TCP_A_KEEP_ALIVE_ACK;
        goto fwd_done;
    }
    if (common && win == 0 && fwd->window == 0 &&
            (rev->lastsegflags & TCP_A_ZERO_WINDOW_PROBE)) {
        a->flags |= TCP_A_ZERO_WINDOW_PROBE_ACK;
        goto fwd_done;
    }
    if (common && win != 0 && win == fwd->window) {
        fwd->dupacknum = fwd->dupacknum == 0xffffffffu ? 1 : fwd->dupacknum + 1;
        a->flags |= TCP_A_DUPLICATE_ACK;
        a->dupack_num = fwd->dupacknum;
        a->dupack_frame = fwd->lastnondupack;
    }
fwd_done:
    if (ack != fwd->lastack) {
        fwd->lastnondupack = s->frame;
        fwd->dupacknum = 0;
    }
    if (rev->maxseqtobeacked != 0 && gt(ack, rev->maxseqtobeacked) && (flags & TCP_ACK)) {
        a->ta = 1;
        if (lt(rev->maxseqtobeacked, rev->nextseq)) {
            rev->maxseqtobeacked = rev->nextseq;
            a->flags |= TCP_A_ACK_LOST_PACKET;
        } else {
            if (rev->dupacknum == 0)
                a->flags |= TCP_A_ACK_LOST_PACKET;
            rev->dupacknum = 0xffffffffu;
        }
    }
    if ((seglen > 0 || (flags & (TCP_SYN | TCP_FIN))) && !(a->flags & TCP_A_KEEP_ALIVE)) {
        bool sna = fwd->nextseq != 0 && lt(seq, fwd->nextseq);
        if (seglen > 1 && fwd->nextseq - 1 == seq)
            sna = false;
        uint32_t synfin = (flags & (TCP_SYN | TCP_FIN)) ? 1 : 0;
        int64_t thr = conv->ts_first_rtt != 0 ? conv->ts_first_rtt : 3 * NS_PER_MS;
        if (seglen > 0 && rev->lastack != 0 && le(seq + seglen, rev->lastack))
            a->flags |= TCP_A_SPURIOUS_RETRANSMISSION;
        else if (sna && rev->dupacknum >= 2 && rev->lastack == seq &&
                sooner_than(now, rev->lastacktime, 20 * NS_PER_MS))
            a->flags |= TCP_A_FAST_RETRANSMISSION;
        else if (sna && sooner_than(now, fwd->nextseqtime, thr) &&
                fwd->nextseq != seq + seglen + synfin)
            a->flags |= TCP_A_OUT_OF_ORDER;
        else if (sna)
            a->flags |= TCP_A_RETRANSMISSION;
    }
    uint32_t nxt = seq + seglen;
    if ((seglen > 0 || (flags & (TCP_SYN | TCP_FIN))) && fwd->n_segs < MAX_UNACKED) {
        if (flags & (TCP_SYN | TCP_FIN))
            nxt += 1;
        segs_push(fwd, s->frame, seq, nxt, now);
    }
    bool zwp = (a->flags & TCP_A_ZERO_WINDOW_PROBE) != 0;
    if ((gt(nxt, fwd->nextseq) || fwd->nextseq == 0) && !zwp) {
        fwd->nextseq = nxt;
        fwd->nextseqtime = now;
    }
    if ((seq == fwd->maxseqtobeacked || fwd->maxseqtobeacked == 0) && !zwp)
        fwd->maxseqtobeacked = fwd->nextseq;
    fwd->window = win;
    fwd->lastack = ack;
    fwd->lastacktime = now;
    if (a->flags)
        a->ta = 1;
    fwd->lastsegflags = a->ta ? a->flags : 0;

    /* Match the ack against the peer's unacknowledged segments, newest first; removed
     * entries get frame 0 and are compacted away after. */
    bool removed = false;
    for (uint32_t i = rev->n_segs; i-- > 0;) {
        Unacked *u = &rev->segs[i];
        if (ack == u->nextseq) {
            a->ta = 1;
            a->acks_frame = u->frame; /* the oldest exact match wins */
            a->ack_rtt_ns = now - u->ts;
            u->frame = 0;
            removed = true;
        } else if (gt(ack, u->seq) && le(ack, u->nextseq)) {
            u->seq = ack;
        } else if (!gt(u->nextseq, ack)) {
            u->frame = 0; /* acknowledged earlier */
            removed = true;
        }
    }
    if (removed) {
        uint32_t w = 0;
        for (uint32_t i = 0; i < rev->n_segs; i++)
            if (rev->segs[i].frame != 0)
                rev->segs[w++] = rev->segs[i];
        rev->n_segs = w;
    }

    if (seglen != 0 && fwd->n_segs > 0 && fwd->valid_bif) {
        uint32_t lo = 0xffffffffu, hi = 0;
        for (uint32_t i = 0; i < fwd->n_segs; i++) {
            uint32_t useq = fwd->segs[i].seq - fwd->base_seq;
            uint32_t unxt = fwd->segs[i].nextseq - fwd->base_seq;
            lo = MIN(lo, useq);
            hi = MAX(hi, unxt);
        }
        uint32_t inflight = hi - lo;
        for (uint8_t b = 0; b < rev->n_sack; b++)
            inflight -= rev->sack_re[b] - rev->sack_le[b];
        a->ta = 1;
        if (inflight > 0 && inflight < 2000000000u)
            a->bytes_in_flight = inflight - ((flags & (TCP_SYN | TCP_FIN)) ? 1 : 0);
    }
}

/* Window scaling once a SYN has been seen (spec section 8). */
static void
verify_window_scaling(TcpDir *fwd, TcpDir *rev, bool synack)
{
    if (fwd->win_scale == -1) {
        fwd->win_scale = -2;
        rev->win_scale = -2;
    } else if (synack && rev->win_scale == -2) {
        fwd->win_scale = -2;
    }
}

void
tcp_analysis_run(PeelPacket *pkt, const TcpSegInfo *s, TcpAnalysis *a)
{
    memset(a, 0, sizeof *a);
    if (pkt->revisit) {
        if (!peel_record_get(pkt, 0, a, sizeof *a))
            memset(a, 0, sizeof *a);
        return;
    }
    PeelFlow *flow = peel_packet_flow(pkt, 6);
    if (flow == NULL)
        return;
    TcpConv *conv = conv_get(flow);
    TcpDir *fwd = &conv->dir[pkt->flow_dir], *rev = &conv->dir[!pkt->flow_dir];
    bool syn = (s->flags & TCP_SYN) != 0, ackf = (s->flags & TCP_ACK) != 0;

    /* A pure SYN with a new ISN on a known 4-tuple starts the next stream. */
    if (syn && !ackf && fwd->base_set && s->seq != fwd->base_seq) {
        flow = peel_packet_flow_renew(pkt);
        conv = conv_get(flow);
        fwd = &conv->dir[pkt->flow_dir];
        rev = &conv->dir[!pkt->flow_dir];
        a->flags |= TCP_A_REUSED_PORTS;
    } else if (syn && !ackf && fwd->base_set && s->seq == fwd->base_seq) {
        fwd->nextseq = fwd->maxseqtobeacked; /* a SYN sent again */
        a->ta = 1;
    } else if (syn && ackf && fwd->base_set && s->seq != fwd->base_seq) {
        fwd->base_seq = s->seq;
        a->flags |= TCP_A_REUSED_PORTS;
    }
    a->stream = flow->id;
    a->have_stream = 1;

    if (s->seglen_known) {
        if (!fwd->base_set) {
            fwd->base_seq = syn ? s->seq : s->seq - 1;
            fwd->base_set = true;
        }
        if (!rev->base_set && ackf) {
            rev->base_seq = s->ack - 1;
            rev->base_set = true;
        }
        fwd->n_sack = 0;
        analyze(conv, fwd, rev, s, a);
        a->have_rel = 1;
        a->rel_seq = s->seq - fwd->base_seq;
        a->rel_ack = ackf ? s->ack - rev->base_seq : s->ack;
        if (!syn && fwd->win_scale >= 0)
            a->window_size = (uint32_t)s->win << fwd->win_scale;
        else
            a->window_size = s->win;
        a->nxtseq = a->rel_seq + s->seglen + ((s->flags & (TCP_SYN | TCP_FIN)) ? 1 : 0);
    }
    if (!syn) {
        a->have_scale = 1;
        a->scalefactor = fwd->win_scale < 0 ? fwd->win_scale : 1 << fwd->win_scale;
    }
    if (syn) {
        fwd->is_first_ack = true;
        if (!ackf)
            conv->ts_mru_syn = s->now_ns;
    }
    if ((s->flags & (TCP_SYN | TCP_ACK)) == TCP_ACK && conv->ts_mru_syn != 0 &&
            conv->ts_first_rtt == 0)
        conv->ts_first_rtt = s->now_ns - conv->ts_mru_syn;
    if ((s->flags & (TCP_SYN | TCP_ACK)) == TCP_ACK)
        fwd->is_first_ack = false;
    if (s->wscale >= 0)
        fwd->win_scale = MIN(s->wscale, 14);
    fwd->n_sack = s->n_sack;
    for (uint8_t b = 0; b < s->n_sack; b++) {
        fwd->sack_le[b] = s->sack_le[b];
        fwd->sack_re[b] = s->sack_re[b];
    }
    if (a->flags)
        a->ta = 1;
    a->initial_rtt_ns = conv->ts_first_rtt;
    if (syn)
        verify_window_scaling(fwd, rev, ackf);
    peel_record_put(pkt, 0, a, sizeof *a);
}
