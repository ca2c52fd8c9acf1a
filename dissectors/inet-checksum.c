/* inet-checksum.c: ones'-complement sums for IP, ICMP, TCP and UDP checksums. */
#include "inet-checksum.h"

uint32_t
peel_inet_sum(uint32_t sum, const uint8_t *p, uint32_t n)
{
    uint32_t i = 0;
    for (; i + 1 < n; i += 2) {
        sum += (uint32_t)p[i] << 8 | p[i + 1];
        if (sum & 0x80000000u) /* fold early so very long data cannot overflow */
            sum = (sum & 0xffff) + (sum >> 16);
    }
    if (i < n)
        sum += (uint32_t)p[i] << 8;
    return sum;
}

uint16_t
peel_inet_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)sum;
}

bool
peel_inet_pseudo_sum(const PeelPacket *pkt, uint8_t proto, uint32_t len, uint32_t *out)
{
    uint32_t sum = 0;
    if (pkt->net_src.type == PEEL_AT_IPV4 && pkt->net_dst.type == PEEL_AT_IPV4) {
        sum = peel_inet_sum(sum, pkt->net_src.bytes, 4);
        sum = peel_inet_sum(sum, pkt->net_dst.bytes, 4);
        sum += proto;
        sum += len & 0xffff;
    } else if (pkt->net_src.type == PEEL_AT_IPV6 && pkt->net_dst.type == PEEL_AT_IPV6) {
        sum = peel_inet_sum(sum, pkt->net_src.bytes, 16);
        sum = peel_inet_sum(sum, pkt->net_dst.bytes, 16);
        sum += len >> 16;
        sum += len & 0xffff;
        sum += proto;
    } else {
        return false;
    }
    *out = sum;
    return true;
}

uint16_t
peel_inet_expected(uint16_t field, uint16_t computed)
{
    uint32_t sum = (uint16_t)~computed;
    sum += (uint16_t)~field;
    return (uint16_t)~peel_inet_fold(sum);
}
