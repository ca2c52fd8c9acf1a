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

/* How a protocol shows a paired reply: its fields and their tree labels. */
typedef struct {
    uint32_t resp_to;        /* local field id of the request frame (FT_FRAMENUM) */
    uint32_t resptime;       /* local field id of the response time in ms (FT_DOUBLE) */
    const char *resp_to_title;
    const char *resptime_title;
} PeelEchoFields;

/* Pairs an echo message: a request is noted; a reply that answers one gets the request
 * frame, the response time and tshark's " (request in N)" in Info. */
void peel_echo_pair(PeelPacket *pkt, const void *owner, bool request, bool reply, uint16_t id,
        uint16_t seq, const PeelEchoFields *fields);

/* Notes an echo request from pkt->net_src to pkt->net_dst (first pass only). `owner`
 * keeps ICMP's and ICMPv6's tables apart. */
void peel_echo_request(PeelPacket *pkt, const void *owner, uint16_t id, uint16_t seq);

/* The request an echo reply answers: true with its frame and time. The first pass looks
 * it up and records it for the frame; a revisit reads the record. */
bool peel_echo_reply(PeelPacket *pkt, const void *owner, uint16_t id, uint16_t seq,
        PeelEchoMatch *match);
