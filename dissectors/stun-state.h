/* stun-state.h: what the STUN dissector remembers across packets, per 5-tuple: request
 * and response pairing by transaction id (RFC 8489 6.3) and the TURN server state a
 * client's packets build up (RFC 8656: the allocation, its permissions and channel
 * bindings), so ChannelData and Data indications can be attributed to a peer.
 *
 * The state is capture-wide (peel_engine_data): the first pass writes it; a revisit
 * (--frame, the GUI) only reads it, and then sees the whole capture, as Wireshark's
 * second pass does (a request learns the frame of its response). Limits: 65536 5-tuples,
 * 262144 transactions in all, 256 permissions and 256 channel bindings per 5-tuple and
 * 262144 of them in all (grown on demand); past them new entries are not kept (dissection
 * goes on, pairing or attribution is lost for them). A 5-tuple costs about 200 bytes, a
 * transaction about 200, a permission or channel under 30: some 70 MB at most. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "dissect.h"

#define STUN_MAX_CONVS        65536u
#define STUN_MAX_TRANS        262144u
#define STUN_MAX_PERMISSIONS  256u
#define STUN_MAX_CHANNELS     256u
#define STUN_MAX_TURN_ENTRIES 262144u /* permissions and channels, all 5-tuples */
#define STUN_MAX_PEERS        4u      /* XOR-PEER-ADDRESS attributes remembered per request */

/* A transport address: family 1 (IPv4) or 2 (IPv6), 4 or 16 bytes, a port. */
typedef struct {
    uint8_t family;
    uint8_t addr[16];
    uint16_t port;
} StunAddr;

typedef struct {
    uint32_t req_frame; /* first frame of the request, 0 when not seen */
    uint32_t rep_frame; /* first frame of a response (or other non-request), 0 when none */
    PeelTime req_time;
    uint16_t method;
    uint8_t resp_class; /* class of the response: 2 success, 3 error */
    uint16_t error;     /* ERROR-CODE of an error response */
    bool authed;        /* the request carried MESSAGE-INTEGRITY(-SHA256) */
    /* What a TURN request asked for, installed when its success response comes. */
    uint16_t channel;
    uint8_t n_peers;
    StunAddr peers[STUN_MAX_PEERS];
} StunTrans;

typedef struct {
    uint16_t number;
    StunAddr peer;
    uint32_t frame; /* the ChannelBind success response that made it */
} StunChannel;

typedef struct StunConv StunConv;

/* The conversation of this packet (its transport 5-tuple); created when `create` and the
 * first pass. NULL without addresses and ports (unit tests feeding bare bytes). */
StunConv *stun_conv(PeelPacket *pkt, bool create);

/* Marks the conversation as carrying STUN: later ChannelData on it is recognised. */
void stun_conv_mark(StunConv *conv);
bool stun_conv_marked(const StunConv *conv);

/* The transaction with this 12-byte id; created when `create`. */
StunTrans *stun_trans(StunConv *conv, const uint8_t *id, bool create);

/* A classic (RFC 3489) transaction with this 16-byte id: a request makes a new one
 * (as Wireshark's classicstun), others only look up. NULL when absent. */
StunTrans *stun_classic_trans(StunConv *conv, const uint8_t *id, bool request);

/* TURN state. */
void stun_turn_allocated(
        StunConv *conv, const StunAddr *relayed, uint32_t lifetime, uint32_t frame);
void stun_turn_refreshed(StunConv *conv, uint32_t lifetime);
/* The relayed address of the live allocation, or NULL. */
const StunAddr *stun_turn_relayed(const StunConv *conv);
void stun_turn_permit(StunConv *conv, const StunAddr *peer);
bool stun_turn_permitted(const StunConv *conv, const StunAddr *peer);
void stun_turn_bind(StunConv *conv, uint16_t channel, const StunAddr *peer, uint32_t frame);
const StunChannel *stun_turn_channel(const StunConv *conv, uint16_t channel);

/* "192.0.2.1:32853" or "2001:db8::1:32853" as Wireshark writes them, in the arena. */
const char *stun_addr_str(PeelPacket *pkt, const StunAddr *a);

/* Counts for reports and tests. */
uint32_t stun_conv_trans_count(const StunConv *conv);
