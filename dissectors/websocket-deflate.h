/* websocket-deflate.h: permessage-deflate (RFC 7692) for the WebSocket dissector: the
 * parameters the handshake negotiated, and one direction's inflate context, whose sliding
 * window carries over from message to message when context takeover is on. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <zlib.h>

typedef struct {
    bool on;             /* permessage-deflate negotiated */
    bool no_takeover[2]; /* [0] server_no_context_takeover, [1] client_no_context_takeover */
    int wbits[2];        /* [0] server_max_window_bits, [1] client_max_window_bits: 8..15 */
} PeelWsDeflate;

/* Reads the Sec-WebSocket-Extensions value of the handshake's response (NULL or "" for
 * none): the first permessage-deflate extension and its parameters. */
void peel_ws_deflate_parse(PeelWsDeflate *p, const char *extensions);

typedef struct {
    z_stream z;
    bool ready; /* z is initialised (counted in the caller's live count) */
    bool lost;  /* an earlier message failed: the window is no longer the sender's */
} PeelWsInflater;

typedef enum {
    PEEL_WS_INF_OK,
    PEEL_WS_INF_FAIL, /* not deflate data */
    PEEL_WS_INF_CAP,  /* the output passed max_out: what came before it is given */
    PEEL_WS_INF_LOST, /* not tried: with context takeover the window was lost before */
    PEEL_WS_INF_BUSY, /* not tried: *live already reached max_live */
} PeelWsInflate;

/* Inflates one message (its frames' payloads joined, without the 0x00 0x00 0xff 0xff tail
 * RFC 7692 7.2.1 removes) into *out, g_malloc'd, *out_len bytes, at most max_out. Without
 * context takeover each message starts with an empty window. `live` counts initialised
 * contexts over all connections. FAIL and CAP lose the window (inf->lost), as does BUSY
 * with context takeover. */
PeelWsInflate peel_ws_inflate(PeelWsInflater *inf, uint32_t *live, uint32_t max_live,
        int wbits, bool takeover, const uint8_t *in, uint32_t n, uint32_t max_out,
        uint8_t **out, uint32_t *out_len);

/* Frees the context; `live` (may be NULL) is decremented when it was counted. */
void peel_ws_inflater_clear(PeelWsInflater *inf, uint32_t *live);
