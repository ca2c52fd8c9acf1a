/* echo-pairs.h: ICMP and ICMPv6 echo request/reply pairing by addresses, identifier and
 * sequence number, in one pass, with per-frame records for revisits. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "dissect.h"

typedef struct {
    uint32_t frame; /* the request's frame */
    PeelTime ts;    /* its time */
} PeelEchoMatch;

/* Notes an echo request from pkt->net_src to pkt->net_dst (first pass only). `owner`
 * keeps ICMP's and ICMPv6's tables apart. */
void peel_echo_request(PeelPacket *pkt, const void *owner, uint16_t id, uint16_t seq);

/* The request an echo reply answers: true with its frame and time. The first pass looks
 * it up and records it for the frame; a revisit reads the record. */
bool peel_echo_reply(PeelPacket *pkt, const void *owner, uint16_t id, uint16_t seq,
        PeelEchoMatch *match);
