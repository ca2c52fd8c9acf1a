/* proto-websocket.h: what other modules tell WebSocket (RFC 6455) about a connection
 * before its first frame. */
#pragma once

#include "dissect.h"

/* Sets up this packet's connection for WebSocket from the handshake's response
 * Sec-WebSocket-Extensions value (what was negotiated; NULL or "" for none):
 * permessage-deflate (RFC 7692) with server_/client_no_context_takeover and
 * server_/client_max_window_bits. Called by whoever switches the connection to WebSocket
 * (HTTP's 101 response, unit tests); without it the first frame asks peel_http_upgrade(),
 * and a connection found by decode-as has no extensions. No-op on a revisit. */
void peel_websocket_set_extensions(PeelPacket *pkt, const char *extensions);

/* Memory bounds (documented in the dissector):
 * - a frame's payload is unmasked whole; frames are bounded by TCP's tcp.max_pdu
 *   (16 MiB by default), past which TCP drops them with an expert note;
 * - a fragmented message is reassembled up to PEEL_WS_MAX_MESSAGE bytes;
 * - a compressed message is inflated up to PEEL_WS_MAX_INFLATE bytes (more is a
 *   decompression bomb: an expert note, the rest is not shown). */
#define PEEL_WS_MAX_MESSAGE (8u << 20)
#define PEEL_WS_MAX_INFLATE (8u << 20)
