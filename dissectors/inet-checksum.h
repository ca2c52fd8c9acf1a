/* inet-checksum.h: the Internet checksum (RFC 1071) and the TCP/UDP/ICMPv6 pseudo-header
 * (RFC 9293 3.1, RFC 768, RFC 8200 8.1), shared by the dissectors that verify them. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "dissect.h"

/* Adds n bytes, as big-endian 16-bit words, to a ones'-complement sum; an odd last byte is
 * padded with zero. The result is not folded. */
uint32_t peel_inet_sum(uint32_t sum, const uint8_t *p, uint32_t n);

/* Folds a sum to 16 bits (not complemented). */
uint16_t peel_inet_fold(uint32_t sum);

/* The pseudo-header sum for the packet's network addresses, protocol `proto` and upper
 * layer length `len`; false when the network layer left no IPv4 or IPv6 addresses. */
bool peel_inet_pseudo_sum(const PeelPacket *pkt, uint8_t proto, uint32_t len, uint32_t *sum);

/* The value a checksum field should hold, from the field and the complemented sum computed
 * over the data with the field as it is (RFC 1624 arithmetic). */
uint16_t peel_inet_expected(uint16_t field, uint16_t computed);
