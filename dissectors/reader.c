/* reader.c: bounds-checked reads over captured bytes (STYLE.md section 3). */
#include "reader.h"

PeelReader
peel_reader_init(const uint8_t *data, uint32_t cap, uint32_t claimed, uint8_t src)
{
    PeelReader rd = { .data = data, .cap = cap, .claimed = claimed, .src = src };
    if (rd.cap > rd.claimed)
        rd.cap = rd.claimed; /* bytes beyond the claim are not ours to read */
    return rd;
}

bool
peel_reader_need(PeelReader *rd, uint32_t n)
{
    if (rd->status != PEEL_READ_OK)
        return false;
    if (n > peel_reader_remaining(rd)) {
        rd->status = PEEL_READ_MALFORMED;
        return false;
    }
    if (n > peel_reader_captured(rd)) {
        rd->status = PEEL_READ_TRUNCATED;
        return false;
    }
    return true;
}

static inline bool
held(const PeelReader *rd, uint32_t off, uint32_t n)
{
    uint32_t have = peel_reader_captured(rd);
    return off <= have && n <= have - off;
}

uint8_t
peel_reader_peek_u8(const PeelReader *rd, uint32_t off)
{
    return held(rd, off, 1) ? rd->data[rd->pos + off] : 0;
}

uint16_t
peel_reader_peek_u16be(const PeelReader *rd, uint32_t off)
{
    if (!held(rd, off, 2))
        return 0;
    const uint8_t *p = rd->data + rd->pos + off;
    return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t
peel_reader_peek_u24be(const PeelReader *rd, uint32_t off)
{
    if (!held(rd, off, 3))
        return 0;
    const uint8_t *p = rd->data + rd->pos + off;
    return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

uint32_t
peel_reader_peek_u32be(const PeelReader *rd, uint32_t off)
{
    if (!held(rd, off, 4))
        return 0;
    const uint8_t *p = rd->data + rd->pos + off;
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

uint16_t
peel_reader_peek_u16le(const PeelReader *rd, uint32_t off)
{
    if (!held(rd, off, 2))
        return 0;
    const uint8_t *p = rd->data + rd->pos + off;
    return (uint16_t)(p[1] << 8 | p[0]);
}

uint32_t
peel_reader_peek_u32le(const PeelReader *rd, uint32_t off)
{
    if (!held(rd, off, 4))
        return 0;
    const uint8_t *p = rd->data + rd->pos + off;
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

#define READ_FIXED(name, type, width, peek)                                                    \
    type name(PeelReader *rd)                                                                  \
    {                                                                                          \
        if (!peel_reader_need(rd, width))                                                      \
            return 0;                                                                          \
        type v = peek(rd, 0);                                                                  \
        rd->pos += width;                                                                      \
        return v;                                                                              \
    }

READ_FIXED(peel_reader_u8, uint8_t, 1, peel_reader_peek_u8)
READ_FIXED(peel_reader_u16be, uint16_t, 2, peel_reader_peek_u16be)
READ_FIXED(peel_reader_u24be, uint32_t, 3, peel_reader_peek_u24be)
READ_FIXED(peel_reader_u32be, uint32_t, 4, peel_reader_peek_u32be)
READ_FIXED(peel_reader_u16le, uint16_t, 2, peel_reader_peek_u16le)
READ_FIXED(peel_reader_u32le, uint32_t, 4, peel_reader_peek_u32le)

uint64_t
peel_reader_u64be(PeelReader *rd)
{
    if (!peel_reader_need(rd, 8))
        return 0;
    uint64_t v = (uint64_t)peel_reader_peek_u32be(rd, 0) << 32 | peel_reader_peek_u32be(rd, 4);
    rd->pos += 8;
    return v;
}

uint64_t
peel_reader_u64le(PeelReader *rd)
{
    if (!peel_reader_need(rd, 8))
        return 0;
    uint64_t v = (uint64_t)peel_reader_peek_u32le(rd, 4) << 32 | peel_reader_peek_u32le(rd, 0);
    rd->pos += 8;
    return v;
}

const uint8_t *
peel_reader_bytes(PeelReader *rd, uint32_t n)
{
    if (!peel_reader_need(rd, n))
        return NULL;
    const uint8_t *p = rd->data + rd->pos;
    rd->pos += n;
    return p;
}

const uint8_t *
peel_reader_peek_bytes(const PeelReader *rd, uint32_t off, uint32_t n, uint32_t *got)
{
    uint32_t have = peel_reader_captured(rd);
    if (off > have) {
        *got = 0;
        return rd->data + rd->cap;
    }
    *got = n < have - off ? n : have - off;
    return rd->data + rd->pos + off;
}

void
peel_reader_skip(PeelReader *rd, uint32_t n)
{
    if (peel_reader_need(rd, n))
        rd->pos += n;
}

PeelReader
peel_reader_take(PeelReader *rd, uint32_t n)
{
    PeelReader child = { .base = rd->base + rd->pos, .src = rd->src };
    if (rd->status != PEEL_READ_OK) {
        child.status = rd->status;
        child.data = rd->data + (rd->pos < rd->cap ? rd->pos : rd->cap);
        return child;
    }
    uint32_t claim = peel_reader_remaining(rd);
    uint32_t have = peel_reader_captured(rd);
    child.data = rd->data + (rd->pos < rd->cap ? rd->pos : rd->cap);
    child.claimed = n < claim ? n : claim;
    child.cap = child.claimed < have ? child.claimed : have;
    rd->pos += child.claimed;
    return child;
}

PeelReader
peel_reader_rest(PeelReader *rd)
{
    return peel_reader_take(rd, peel_reader_remaining(rd));
}

void
peel_reader_limit(PeelReader *rd, uint32_t n)
{
    if (n < peel_reader_remaining(rd)) {
        rd->claimed = rd->pos + n;
        if (rd->cap > rd->claimed)
            rd->cap = rd->claimed;
    }
}
