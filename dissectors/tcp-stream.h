/* tcp-stream.h: one direction of a TCP connection put back in order (RFC 9293 sequence
 * space): in-order delivery, held out-of-order segments, retransmissions, overlaps, gaps
 * and wrap-around. Knows nothing of packets or dissectors; tcp glue drives it. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    PEEL_STREAM_DATA, /* in-order bytes */
    PEEL_STREAM_GAP,  /* `len` bytes were never seen and are skipped */
    PEEL_STREAM_FIN,  /* the sender closed this direction; no data follows */
} PeelStreamEvent;

/* Called for each in-order run. `frame`/`frame_off` say where the first byte of `data`
 * was captured (frame number, offset in that frame's bytes); `seq` is the absolute
 * sequence number of data[0]. Data is valid only during the call. */
typedef void (*PeelStreamSink)(void *user, PeelStreamEvent ev, const uint8_t *data,
        uint32_t len, uint32_t seq, uint32_t frame, uint32_t frame_off);

typedef struct PeelHeldSegment PeelHeldSegment;

typedef struct {
    bool started;        /* next_seq is known */
    bool fin_seen;       /* fin_seq is known */
    bool closed;         /* FIN delivered */
    uint32_t next_seq;   /* absolute sequence number of the next byte to deliver */
    uint32_t fin_seq;    /* sequence number the FIN occupies */
    PeelHeldSegment *held; /* out-of-order segments, sorted by seq, not overlapping */
    uint32_t held_bytes;
    uint32_t held_count;
    uint32_t max_held_bytes; /* past this, the oldest gap is skipped (0: 1 MiB) */
    uint64_t delivered;      /* bytes delivered so far */
    uint64_t gap_bytes;      /* bytes skipped as gaps */
    /* The last bytes delivered, to tell a faithful retransmission from one whose bytes
     * differ. */
    uint8_t *tail;
    uint32_t tail_len;   /* bytes valid in tail (at most PEEL_STREAM_TAIL) */
    uint32_t tail_end;   /* sequence number just past the tail's last byte */
} PeelTcpStream;

#define PEEL_STREAM_TAIL 4096u

/* What adding a segment found. */
enum {
    PEEL_SEG_IN_ORDER = 1u << 0,     /* some new bytes were delivered */
    PEEL_SEG_HELD = 1u << 1,         /* ahead of a gap: held until it fills */
    PEEL_SEG_OLD = 1u << 2,          /* every byte was already delivered or held */
    PEEL_SEG_PARTLY_OLD = 1u << 3,   /* it began with bytes already seen */
    PEEL_SEG_CONFLICT = 1u << 4,     /* seen bytes arrived again with other values */
    PEEL_SEG_LIMIT = 1u << 5,        /* the held-bytes limit forced a gap */
};

void peel_tcp_stream_init(PeelTcpStream *s, uint32_t max_held_bytes);
/* Frees held segments and the tail. */
void peel_tcp_stream_clear(PeelTcpStream *s);

/* Adds a segment: `seq` is the sequence number of its first payload byte (the SYN's seq
 * + 1 for data after a SYN), `fin` whether it carries FIN. The first segment ever added
 * starts the stream at its seq (mid-connection pickup). Delivers whatever becomes
 * in-order to `sink`. Returns PEEL_SEG_* flags. */
unsigned peel_tcp_stream_add(PeelTcpStream *s, uint32_t seq, const uint8_t *data, uint32_t len,
        bool fin, uint32_t frame, uint32_t frame_off, PeelStreamSink sink, void *user);

/* Starts the stream at `seq` (from a SYN: its seq + 1) before any data. */
void peel_tcp_stream_start(PeelTcpStream *s, uint32_t seq);

/* Gives up on the first gap: reports it as PEEL_STREAM_GAP and delivers the held
 * segments that follow it. Returns false when nothing is held. Used when the peer
 * acknowledged bytes the capture never saw, or when the connection ends. */
bool peel_tcp_stream_skip_gap(PeelTcpStream *s, PeelStreamSink sink, void *user);

/* The bytes from the next expected one up to `upto` were sent but never captured (a
 * segment cut by the snapshot length): reports them as a gap now instead of waiting. */
void peel_tcp_stream_skip_to(PeelTcpStream *s, uint32_t upto, uint32_t frame, PeelStreamSink sink,
        void *user);

/* True when a is before b in sequence space (RFC 1982 serial arithmetic). */
static inline bool
peel_seq_lt(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}

static inline bool
peel_seq_le(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) <= 0;
}
