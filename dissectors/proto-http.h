/* proto-http.h: what HTTP/1.x tells the protocols a connection upgrades to (RFC 9110
 * 7.8): the 101 Switching Protocols handshake of this packet's connection, so WebSocket
 * can learn its negotiated extensions (permessage-deflate parameters) and HTTP/2 the
 * HTTP2-Settings of an h2c upgrade. */
#pragma once

#include "dissect.h"

typedef struct {
    const char *upgrade;       /* the response's Upgrade token: "websocket", "h2c" */
    const char *ws_key;        /* Sec-WebSocket-Key of the request, or NULL */
    const char *ws_accept;     /* Sec-WebSocket-Accept of the response, or NULL */
    const char *ws_extensions; /* Sec-WebSocket-Extensions of the response (what was
                                * negotiated), or NULL */
    const char *ws_protocol;   /* Sec-WebSocket-Protocol of the response, or NULL */
    const char *h2_settings;   /* HTTP2-Settings of the request (base64url), or NULL */
    uint32_t request_frame;    /* frame of the upgrade request */
    uint32_t response_frame;   /* frame of the 101 response */
} PeelHttpUpgrade;

/* The upgrade handshake of this packet's TCP connection, or NULL when it had none. Valid
 * while the connection's flow lives (first pass); on a revisit, protocols that need it
 * keep what they need in their own per-frame records. */
const PeelHttpUpgrade *peel_http_upgrade(PeelPacket *pkt);

/* Wireshark's phrase for an HTTP status code ("Not Found"), or NULL when it has none. */
const char *peel_http_status_phrase(uint32_t code);
