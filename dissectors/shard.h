/* shard.h: a key that puts every frame between the same two IP addresses together. */
#pragma once

#include <stdint.h>

/* The key of a frame for dividing dissection between threads: a hash of its IP source and
 * destination taken in a fixed order (so both directions agree), or 0 when the frame is
 * not IP over a link type peel dissects (an IP pair may hash to 0 as well). Everything
 * that keeps state across frames -- flows, reassembly, IP fragments, ICMP echo pairs,
 * STUN transactions -- is keyed by addresses that include this pair, so frames with one
 * key can be dissected on their own. Tunnelled packets go with their outer pair. Reads at
 * most the link and IP headers. */
uint32_t peel_frame_shard_key(int linktype, const uint8_t *data, uint32_t len);
