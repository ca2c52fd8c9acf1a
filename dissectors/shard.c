/* shard.c: which IP-address pair a frame belongs to, read from its first headers only. */
#include "shard.h"

#include <string.h>

#include "linktype.h"

/* FNV-1a over n bytes, continuing from h. */
static uint32_t
fnv(uint32_t h, const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 16777619u;
    }
    return h;
}

/* The key of an IP packet at p (n bytes): the same both ways, as the two addresses are
 * hashed in a fixed order whichever is the source. */
static uint32_t
ip_key(const uint8_t *p, uint32_t n)
{
    if (n < 1)
        return 0;
    uint32_t off, alen;
    if (p[0] >> 4 == 4) {
        off = 12;
        alen = 4;
    } else if (p[0] >> 4 == 6) {
        off = 8;
        alen = 16;
    } else {
        return 0;
    }
    if (n < off + 2 * alen)
        return 0;
    const uint8_t *a = p + off, *b = p + off + alen;
    if (memcmp(a, b, alen) > 0) {
        const uint8_t *t = a;
        a = b;
        b = t;
    }
    uint32_t h = fnv(2166136261u, a, alen);
    h = fnv(h, b, alen);
    return h;
}

/* An ethertype's payload: IP, or 0. */
static uint32_t
ether_key(uint16_t type, const uint8_t *p, uint32_t n)
{
    return type == 0x0800 || type == 0x86dd ? ip_key(p, n) : 0;
}

uint32_t
peel_frame_shard_key(int linktype, const uint8_t *data, uint32_t len)
{
    if (data == NULL)
        return 0;
    switch (linktype) {
    case PEEL_LINKTYPE_ETHERNET: {
        if (len < 14)
            return 0;
        uint32_t off = 12;
        uint16_t type = (uint16_t)(data[off] << 8 | data[off + 1]);
        /* 802.1Q, 802.1ad and the old QinQ tag, stacked at most a few deep */
        for (int tags = 0; tags < 4 && (type == 0x8100 || type == 0x88a8 || type == 0x9100);
                tags++) {
            off += 4;
            if (len < off + 2)
                return 0;
            type = (uint16_t)(data[off] << 8 | data[off + 1]);
        }
        return ether_key(type, data + off + 2, len - off - 2);
    }
    case PEEL_LINKTYPE_LINUX_SLL:
        return len < 16 ? 0 : ether_key((uint16_t)(data[14] << 8 | data[15]), data + 16, len - 16);
    case PEEL_LINKTYPE_LINUX_SLL2:
        return len < 20 ? 0 : ether_key((uint16_t)(data[0] << 8 | data[1]), data + 20, len - 20);
    case PEEL_LINKTYPE_NULL:
    case PEEL_LINKTYPE_LOOP:
        return len < 4 ? 0 : ip_key(data + 4, len - 4); /* the family word, either order */
    case PEEL_LINKTYPE_RAW:
    case PEEL_LINKTYPE_IPV4:
    case PEEL_LINKTYPE_IPV6:
        return ip_key(data, len);
    default:
        return 0;
    }
}
