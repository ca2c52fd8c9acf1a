/* proto-http2.h: what the HTTP/2 dissector tells the gRPC dissector about the stream a
 * run of gRPC messages came from (the two files' private seam; RFC 9113, gRPC over HTTP/2). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "dissect.h"

extern const PeelProto peel_proto_http2;
extern const PeelProto peel_proto_grpc;

/* Limits (documented in proto-http2.c). */
#define PEEL_GRPC_MAX_MESSAGE      (4u << 20) /* a message longer is not reassembled */
#define PEEL_GRPC_MAX_DECOMPRESSED (4u << 20) /* a decompressed message is cut here */

typedef enum {
    PEEL_GRPC_NATIVE,   /* application/grpc, +proto, +json */
    PEEL_GRPC_WEB,      /* application/grpc-web, +proto */
    PEEL_GRPC_WEB_TEXT, /* application/grpc-web-text: base64 (not decoded over HTTP/2) */
} PeelGrpcKind;

/* The call a run of messages belongs to. Strings are NUL-terminated and live as long as
 * the packet. */
typedef struct {
    PeelGrpcKind kind;
    bool request;         /* sent by the client */
    bool json;            /* +json */
    bool first;           /* the first message of this DATA frame: the Info column gets
                             " (GRPC)" once per frame, as in tshark */
    const char *path;     /* ":path" of the call, "" when unknown */
    const char *encoding; /* grpc-encoding of this direction, "" when none */
} PeelGrpcCall;

/* The gRPC protocol's fields (proto-grpc.c): the message ones, then the call metadata
 * that proto-http2.c finds in header blocks and adds as gRPC fields. */
enum {
    PEEL_GRPC_F_FRAME_TYPE,
    PEEL_GRPC_F_COMPRESSED_FLAG,
    PEEL_GRPC_F_MESSAGE_LENGTH,
    PEEL_GRPC_F_MESSAGE_DATA,
    PEEL_GRPC_F_ENCODED,
    PEEL_GRPC_F_DECOMPRESSION_FAILED,
    PEEL_GRPC_F_MALFORMED,
    PEEL_GRPC_F_SERVICE,
    PEEL_GRPC_F_METHOD,
    PEEL_GRPC_F_TIMEOUT,
    PEEL_GRPC_F_ENCODING,
    PEEL_GRPC_F_STATUS,
    PEEL_GRPC_F_STATUS_MESSAGE,
    PEEL_GRPC_F_CALL_TIME,
    PEEL_GRPC_F_BINARY,
    PEEL_GRPC_F_CALL_TYPE,
    PEEL_GRPC_F_REQUEST_TYPE,
    PEEL_GRPC_F_RESPONSE_TYPE,
    PEEL_GRPC_N_F
};

/* While a scope is open, peel_add_*(pkt, ..., PEEL_GRPC_F_*) adds gRPC fields in the
 * middle of the HTTP/2 layer. */
typedef struct {
    uint16_t proto;
    uint32_t field_base;
} PeelGrpcScope;
PeelGrpcScope peel_grpc_scope_enter(PeelPacket *pkt);
void peel_grpc_scope_leave(PeelPacket *pkt, PeelGrpcScope scope);

/* The HTTP2-Settings header value of an h2c Upgrade request (base64url), decoded and
 * shown as http2.settings items under the current item (proto-http-msg.c). */
void peel_http2_add_upgrade_settings(PeelPacket *pkt, const uint8_t *b64, uint32_t len);

/* grpc-status names (OK, CANCELLED, ..., UNAUTHENTICATED); NULL for other codes. */
const char *peel_grpc_status_name(uint64_t code);

/* Sets the call for the next peel_next_proto(pkt, rd, &peel_proto_grpc); rd then holds
 * exactly one message (5-byte prefix and body). Engine-scoped; get returns it once (then
 * NULL until set again). */
void peel_grpc_set_call(PeelPacket *pkt, const PeelGrpcCall *call);
const PeelGrpcCall *peel_grpc_get_call(PeelPacket *pkt);
