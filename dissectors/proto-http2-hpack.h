/* proto-http2-hpack.h: the seam between proto-http2.c (frames, streams, gRPC hand-off)
 * and proto-http2-hpack.c (header blocks through libnghttp2's HPACK inflater, their
 * fields and Info text, and the per-frame records a revisit reads). Private to the two. */
#pragma once

#include <nghttp2/nghttp2.h>

#include "proto-http2.h"

#define H2_MAX_FIELDS  256u
#define H2_MAX_DECODED (1u << 20)
#define H2_MAX_TABLE   (1u << 20)
#define H2_LATE_TABLE  65536u /* allowance of a table whose SETTINGS were never seen */
#define H2_MAX_STR     1024u  /* path, content type, encoding kept per stream */

/* The HTTP/2 protocol's fields (h2_fields in proto-http2.c). */
enum {
    F_STREAM,
    F_LENGTH,
    F_TYPE,
    F_FLAGS,
    F_FL_END_STREAM,
    F_FL_EH,
    F_FL_PADDED,
    F_FL_PRIORITY,
    F_FL_ACK_SETTINGS,
    F_FL_ACK_PING,
    F_FL_UNUSED,
    F_FL_UNUSED_SETTINGS,
    F_FL_UNUSED_PING,
    F_FL_UNUSED_CONT,
    F_FL_UNUSED_PP,
    F_FL_UNUSED_DATA,
    F_FL_UNUSED_HEADERS,
    F_R,
    F_STREAMID,
    F_MAGIC,
    F_UNKNOWN,
    F_PADDING,
    F_PAD_LENGTH,
    F_EXCLUSIVE,
    F_STREAM_DEP,
    F_WEIGHT,
    F_WEIGHT_REAL,
    F_DATA_DATA,
    F_DATA_PADDING,
    F_HEADERS,
    F_HEADERS_PADDING,
    F_HEADER,
    F_HEADER_LENGTH,
    F_HEADER_COUNT,
    F_HEADER_NAME_LENGTH,
    F_HEADER_NAME,
    F_HEADER_VALUE_LENGTH,
    F_HEADER_VALUE,
    F_FULL_URI,
    F_RST_ERROR,
    F_SETTINGS,
    F_SETTINGS_ID,
    F_S_HEADER_TABLE_SIZE,
    F_S_ENABLE_PUSH,
    F_S_MAX_STREAMS,
    F_S_INITIAL_WINDOW,
    F_S_MAX_FRAME,
    F_S_MAX_HEADER_LIST,
    F_S_EXT_CONNECT,
    F_S_UNKNOWN,
    F_PP_R,
    F_PP_PROMISED,
    F_PP_HEADER,
    F_PP_PADDING,
    F_PING,
    F_PONG,
    F_GOAWAY_R,
    F_GOAWAY_LAST,
    F_GOAWAY_ERROR,
    F_GOAWAY_ADDATA,
    F_WU_R,
    F_WU_INCREMENT,
    F_CONT_HEADER,
    F_CONT_PADDING,
    F_ALTSVC_ORIGIN_LEN,
    F_ALTSVC_ORIGIN,
    F_ALTSVC_VALUE,
    F_HEADER_SIZE_EXCEEDED,
    F_HEADER_LINES_EXCEEDED,
    F_REQUEST_IN,
    F_TIME,
    /* pseudo-headers and common headers (http2.headers.*) */
    F_H_AUTHORITY,
    F_H_STATUS,
    F_H_PATH,
    F_H_METHOD,
    F_H_SCHEME,
    F_H_ACCEPT,
    F_H_ACCEPT_ENCODING,
    F_H_ACCEPT_LANGUAGE,
    F_H_AUTHORIZATION,
    F_H_CACHE_CONTROL,
    F_H_CONTENT_ENCODING,
    F_H_CONTENT_LENGTH,
    F_H_CONTENT_TYPE,
    F_H_COOKIE,
    F_H_DATE,
    F_H_LOCATION,
    F_H_SERVER,
    F_H_SET_COOKIE,
    F_H_USER_AGENT,
    F_H_LAST_MODIFIED,
    F_H_ETAG,
    F_H_RANGE,
    F_H_CONTENT_RANGE,
    F_H_REFERER,
    F_H_VARY,
    F_H_VIA,
    F_H_AGE,
    N_F
};

/* One direction's HPACK and header-block state (first pass only). */
typedef struct {
    nghttp2_hd_inflater *hd;
    bool hd_broken;         /* the last block failed: a fresh inflater from the next block */
    bool started;           /* a PDU was seen */
    bool late;              /* started without a preface or SETTINGS: the table is unknown */
    uint32_t allow;         /* table size the receiver allows this encoder */
    uint32_t pending_allow; /* announced by the receiver, applies when this side ACKs */
    bool have_pending_allow;
    uint32_t block_stream; /* a header block waiting for CONTINUATION: its stream, */
    uint8_t block_type;    /* HEADERS or PUSH_PROMISE (0: none), */
    uint8_t block_flags;   /* and the flags of its first frame */
    bool block_failed;     /* the inflater failed inside it: the rest is not decoded */
    bool resync;           /* the next PDU may start anywhere: check the frame header */
} H2Dir;

enum { HP_OK, HP_FAILED, HP_LIMIT };

typedef struct {
    const uint8_t *name, *value;
    uint32_t name_len, value_len;
} H2Header;

/* What a completed header block decoded to, and what its stream knew. */
typedef struct {
    uint8_t status; /* HP_* */
    bool late;      /* the direction's table was never seen from its start */
    bool have_request;
    bool grpc;
    uint32_t request_frame;
    PeelTime request_ts;
    H2Header *h;
    uint32_t n;
} H2Block;

/* What a DATA frame's payload continues. */
typedef struct {
    bool grpc, request, json, carry_lost;
    bool body_end; /* ends a body of at least one byte (END_STREAM) */
    bool whole;    /* ... and this frame holds all of that body */
    uint8_t gkind;
    const char *path, *encoding, *ctype;
    const uint8_t *carry; /* bytes of a message begun in earlier frames */
    uint32_t carry_len;
} H2Data;

/* Per-frame records (one per HTTP/2 frame of a packet): a header block's decoded fields,
 * and what a DATA frame continues. The _get functions read them back on a revisit. */
void peel_http2_record_block(PeelPacket *pkt, const H2Block *b);
bool peel_http2_record_block_get(PeelPacket *pkt, H2Block *b);
void peel_http2_record_data(PeelPacket *pkt, const H2Data *d);
bool peel_http2_record_data_get(PeelPacket *pkt, H2Data *d);

/* Tells the inflater the table size its peer allows (SETTINGS_HEADER_TABLE_SIZE). */
void peel_http2_apply_allow(H2Dir *d);
/* Decodes one fragment of a header block into b (names and values copied to the packet
 * arena); `first` starts a block, `final` ends it. A failure marks the inflater broken:
 * a fresh one decodes from the next block on. */
void peel_http2_hpack_decode(PeelPacket *pkt, H2Dir *d, const uint8_t *in, uint32_t len, bool first,
        bool final, H2Block *b);

/* The first header named `name`, or NULL. */
const H2Header *peel_http2_hdr_find(const H2Block *b, const char *name);
/* A header's value as a NUL-terminated g_malloc'd string of at most H2_MAX_STR bytes. */
char *peel_http2_hdr_dup(const H2Header *h);
/* Starts a frame's Info text (", " after an earlier PDU of the packet). */
void peel_http2_info_sep(PeelPacket *pkt);
/* The block's fields (header items, http2.headers.*, gRPC metadata) and Info summary;
 * `blk` covers the fragment's bytes. */
void peel_http2_show_block(PeelPacket *pkt, const PeelReader *blk, const H2Block *b, uint32_t sid,
        const PeelTime *now);
