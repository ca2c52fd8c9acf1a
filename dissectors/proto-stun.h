/* proto-stun.h: what proto-stun.c (messages, transactions, TURN) shares with
 * proto-stun-attrs.c (the field table and the attributes). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "dissect.h"
#include "stun-state.h"

enum {
    F_CHANNEL,
    F_TCP_FRAME_LEN,
    F_TYPE,
    F_TYPE_CLASS,
    F_TYPE_METHOD,
    F_TYPE_METHOD_ASSIGN,
    F_LENGTH,
    F_COOKIE,
    F_ID,
    F_ATTRIBUTES,
    F_ATTR,
    F_RESPONSE_IN,
    F_RESPONSE_TO,
    F_TIME,
    F_DUPLICATE,
    F_ATT_TYPE,
    F_ATT_TYPE_COMPREHENSION,
    F_ATT_TYPE_ASSIGNMENT,
    F_ATT_LENGTH,
    F_ATT_FAMILY,
    F_ATT_IPV4,
    F_ATT_IPV6,
    F_ATT_PORT,
    F_ATT_USERNAME,
    F_ATT_PASSWORD,
    F_ATT_PADDING,
    F_ATT_HMAC,
    F_ATT_HMAC_STATUS,
    F_ATT_USERHASH_STATUS,
    F_ATT_CRC32,
    F_ATT_CRC32_STATUS,
    F_ATT_ERROR_CLASS,
    F_ATT_ERROR,
    F_ATT_ERROR_REASON,
    F_ATT_REALM,
    F_ATT_NONCE,
    F_ATT_UNKNOWN,
    F_ATT_XOR_IPV4,
    F_ATT_XOR_IPV6,
    F_ATT_XOR_PORT,
    F_ATT_ICMP_TYPE,
    F_ATT_ICMP_CODE,
    F_ATT_SOFTWARE,
    F_ATT_PRIORITY,
    F_ATT_TIE_BREAKER,
    F_ATT_LIFETIME,
    F_ATT_CHANGE_IP,
    F_ATT_CHANGE_PORT,
    F_ATT_PW_ALG,
    F_ATT_PW_ALG_LEN,
    F_ATT_PW_ALG_DATA,
    F_ATT_RESERVE_NEXT,
    F_ATT_CACHE_TIMEOUT,
    F_ATT_TOKEN,
    F_VALUE,
    F_ATT_RESERVED,
    F_ATT_TRANSP,
    F_ATT_CHANNELNUM,
    F_ATT_MAGIC_COOKIE,
    F_ATT_BANDWIDTH,
    F_ATT_CONNECTION_ID,
    F_MS_TURN_SESSION_ID,
    F_NETWORK_VERSION,
    F_TURN_PEER,
    F_TURN_RELAYED,
    F_DEMUX,
    N_F
};

#define STUN_COOKIE  0x2112a442u
#define STUN_HDR     20u
#define CHANNEL_HDR  4u
#define MS_MULTIPLEX 0xff10u
#define STUN_FP_XOR  0x5354554eu
#define STUN_PORT    3478u
#define ROUNDUP4(n)  (((n) + 3u) & ~3u)

/* What one message's attributes tell the rest of the dissection. */
typedef struct {
    PeelReader whole;  /* the message from its header on (no RFC 4571 framing) */
    const uint8_t *id; /* 12 bytes */
    uint16_t method;
    uint8_t cls;
    uint16_t error;
    uint16_t pw_alg;
    bool has_relayed;
    StunAddr relayed;
    bool has_lifetime;
    uint32_t lifetime;
    uint8_t n_peers;
    StunAddr peers[STUN_MAX_PEERS];
    bool has_channel;
    uint16_t channel;
    bool has_data;
    PeelReader data;
    bool has_integrity;
    char label[160]; /* what the attribute's tree item says after its name */
} StunMsg;

extern const PeelFieldDef stun_fields[N_F];

/* One attribute at body's read position: type, length, value, padding to 32 bits (RFC
 * 8489 14), decoded into the tree, the Info column and m. Returns false when the attribute
 * list cannot go on (noted). */
bool stun_attribute(PeelPacket *pkt, PeelReader *body, StunMsg *m);

/* The IANA name of a STUN error code, or NULL. */
const char *stun_error_name(uint16_t code);
