/* defrag.h: IPv4 and IPv6 datagram reassembly from fragments (RFC 791, RFC 8200 4.5),
 * with overlaps, duplicates, out-of-order fragments and timeouts, in bounded memory. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "dissect.h"

typedef struct PeelDefrag PeelDefrag;

/* Keys are compared as bytes: zero the whole key before filling it in. */
typedef struct {
    uint8_t family;   /* 4 or 6 */
    uint8_t proto;    /* IPv4 protocol; IPv6: the fragment header's next header */
    uint32_t id;      /* identification */
    uint8_t src[16];
    uint8_t dst[16];
} PeelFragKey;

typedef struct {
    uint32_t max_pending_bytes; /* all partial datagrams together (0: 16 MiB) */
    uint32_t timeout_seconds;   /* a partial datagram older than this is dropped (0: 60) */
} PeelDefragLimits;

enum {
    PEEL_FRAG_COMPLETE = 1u << 0,  /* this fragment completed the datagram */
    PEEL_FRAG_DUPLICATE = 1u << 1, /* all its bytes were there already */
    PEEL_FRAG_OVERLAP = 1u << 2,   /* it overlaps bytes received before */
    PEEL_FRAG_CONFLICT = 1u << 3,  /* ...with different values */
    PEEL_FRAG_TOO_LONG = 1u << 4,  /* offset + length past 65535: dropped */
    PEEL_FRAG_BAD_END = 1u << 5,   /* a last fragment disagrees with an earlier one, or
                                      data lies past the end */
};

#define PEEL_DEFRAG_MAX_FRAGMENTS 256 /* frames listed per datagram */

typedef struct {
    unsigned flags;
    /* When complete: the datagram's payload (valid until the next peel_defrag_add) and the
     * frames that carried it, in the order they arrived. */
    const uint8_t *data;
    uint32_t len;
    const uint32_t *frames;
    const uint32_t *frame_lens;
    uint32_t n_frames;
} PeelDefragResult;

PeelDefrag *peel_defrag_new(const PeelDefragLimits *limits);
void peel_defrag_free(PeelDefrag *d);

/* Adds the fragment of `key` at byte `offset` carrying `len` bytes; `more` is the MF/M
 * flag. */
PeelDefragResult peel_defrag_add(PeelDefrag *d, const PeelFragKey *key, uint32_t offset,
        const uint8_t *data, uint32_t len, bool more, uint32_t frame, PeelTime now);

/* Partial datagrams held, and their bytes. */
uint32_t peel_defrag_pending(const PeelDefrag *d);
uint32_t peel_defrag_pending_bytes(const PeelDefrag *d);

/* ---- The IP dissectors' side (proto-ip.c, proto-ipv6.c) ----
 *
 * One table per capture for both families, kept with peel_engine_data(). The first pass
 * adds each whole fragment; the frame that completes a datagram dissects it from a new
 * data source and records the fragments it came from, so a revisit rebuilds the datagram
 * from their frames (peel_fetch_frame) and shows the same tree (ARCHITECTURE.md, decision
 * 5). The datagram is built as Wireshark builds it: where fragments overlap, the one with
 * the lowest offset wins (the first to arrive among equal offsets). */

/* The calling protocol's local field indexes for the fragment tree (Wireshark's
 * fragment_items: ip.fragments, ip.fragment, ... or their ipv6 counterparts). */
typedef struct {
    uint32_t fragments; /* the subtree: FT_BYTES (IPv4) or FT_NONE (IPv6) */
    uint32_t fragment;  /* FRAMENUM, one per fragment */
    uint32_t overlap;   /* booleans under a fragment */
    uint32_t conflict;
    uint32_t multiple_tails;
    uint32_t too_long;
    uint32_t error; /* FRAMENUM: a fragment with a conflict, extra tail or excess */
    uint32_t count;
    uint32_t length;         /* reassembled length */
    uint32_t data;           /* reassembled data */
    uint32_t reassembled_in; /* FRAMENUM, on the other fragments when known */
} PeelDefragFields;

/* What keeping a field of the fragment tree needs kept (PeelProto.field_needs entries):
 * the list is added only under a kept `fragments` item, and the overlap flags only under
 * a kept fragment. Written with the F_ names the caller's PeelDefragFields uses, which IPv4
 * and IPv6 share. */
#define PEEL_DEFRAG_FIELD_NEEDS                                                                \
    { F_FRAGMENT, F_FRAGMENTS }, { F_FRAGMENT_ERROR, F_FRAGMENTS },                           \
            { F_FRAGMENT_COUNT, F_FRAGMENTS }, { F_REASSEMBLED_LENGTH, F_FRAGMENTS },         \
            { F_REASSEMBLED_DATA, F_FRAGMENTS }, { F_FRAGMENT_OVERLAP, F_FRAGMENT },          \
            { F_FRAGMENT_CONFLICT, F_FRAGMENT }, { F_FRAGMENT_MULTIPLE_TAILS, F_FRAGMENT },   \
            { F_FRAGMENT_TOO_LONG, F_FRAGMENT }

typedef struct {
    PeelFragKey key;    /* zeroed, then filled */
    uint32_t offset;    /* of this fragment's payload in the datagram */
    bool more;          /* MF / M flag */
    const char *family; /* "IPv4" or "IPv6": labels and the data source's name */
    const PeelDefragFields *fields;
} PeelDefragFragment;

/* Hands the fragment `payload` (its whole payload, captured in full) to the capture's table
 * on the first pass, or looks up what the first pass found on a revisit. When this frame
 * completes a datagram, adds the fragment tree at the current tree position and a data
 * source "Reassembled IPv4"/"Reassembled IPv6", sets *datagram to a reader over it and
 * returns true. Otherwise returns false; the frame that completed the datagram, when
 * known (revisits), is in *reassembled_in (else 0) and its item has been added. */
bool peel_defrag_packet(PeelPacket *pkt, const PeelReader *payload, const PeelDefragFragment *frag,
        PeelReader *datagram, uint32_t *reassembled_in);
