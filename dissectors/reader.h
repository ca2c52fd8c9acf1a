/* reader.h: the bounds-checked reader every dissector reads packet bytes through. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A view of bytes: `cap` of them are held, the enclosing header claims `claimed` of them.
 * A read that ends past `claimed` is malformed (the packet lies); one that ends within
 * `claimed` but past `cap` is truncated (a short snaplen). The first error sticks: later
 * reads return 0 and do not advance. */
typedef enum {
    PEEL_READ_OK = 0,
    PEEL_READ_TRUNCATED,
    PEEL_READ_MALFORMED,
} PeelReadStatus;

typedef struct {
    const uint8_t *data; /* first byte of the view */
    uint32_t cap;        /* bytes held */
    uint32_t claimed;    /* bytes the header claims (>= cap for well-formed captures) */
    uint32_t pos;        /* read position */
    uint32_t base;       /* offset of data[0] within its data source, for field offsets */
    uint8_t src;         /* data source index: 0 is the frame */
    uint8_t status;      /* PeelReadStatus */
} PeelReader;

/* A reader over `len` bytes of which `cap` are held. */
PeelReader peel_reader_init(const uint8_t *data, uint32_t cap, uint32_t claimed, uint8_t src);

static inline bool
peel_reader_ok(const PeelReader *rd)
{
    return rd->status == PEEL_READ_OK;
}

/* Claimed bytes left: what the packet says is there. */
static inline uint32_t
peel_reader_remaining(const PeelReader *rd)
{
    return rd->claimed > rd->pos ? rd->claimed - rd->pos : 0;
}

/* Held bytes left: what can actually be read. */
static inline uint32_t
peel_reader_captured(const PeelReader *rd)
{
    return rd->cap > rd->pos ? rd->cap - rd->pos : 0;
}

/* Offset of the read position within the data source. */
static inline uint32_t
peel_reader_offset(const PeelReader *rd)
{
    return rd->base + rd->pos;
}

/* Checks that n more bytes can be read; sets the sticky status when not. */
bool peel_reader_need(PeelReader *rd, uint32_t n);

/* Peeks without advancing and without touching the status; 0 beyond the held bytes. */
uint8_t peel_reader_peek_u8(const PeelReader *rd, uint32_t off);
uint16_t peel_reader_peek_u16be(const PeelReader *rd, uint32_t off);
uint32_t peel_reader_peek_u24be(const PeelReader *rd, uint32_t off);
uint32_t peel_reader_peek_u32be(const PeelReader *rd, uint32_t off);
uint16_t peel_reader_peek_u16le(const PeelReader *rd, uint32_t off);
uint32_t peel_reader_peek_u32le(const PeelReader *rd, uint32_t off);

/* Reads and advances; 0 and a sticky status when the bytes are not there. */
uint8_t peel_reader_u8(PeelReader *rd);
uint16_t peel_reader_u16be(PeelReader *rd);
uint32_t peel_reader_u24be(PeelReader *rd);
uint32_t peel_reader_u32be(PeelReader *rd);
uint64_t peel_reader_u64be(PeelReader *rd);
uint16_t peel_reader_u16le(PeelReader *rd);
uint32_t peel_reader_u32le(PeelReader *rd);
uint64_t peel_reader_u64le(PeelReader *rd);

/* Borrows n bytes at the read position and advances; NULL (and the status set) when
 * they are not all held. The pointer is valid for the packet. */
const uint8_t *peel_reader_bytes(PeelReader *rd, uint32_t n);

/* Borrows up to n held bytes at off without advancing; *got says how many (may be less
 * than n). For payload previews and checksums. */
const uint8_t *peel_reader_peek_bytes(const PeelReader *rd, uint32_t off, uint32_t n,
        uint32_t *got);

/* Advances by n; reports a truncated or malformed skip like a read. */
void peel_reader_skip(PeelReader *rd, uint32_t n);

/* Splits off the next n bytes as a reader of their own and advances past them. The child
 * claims n bytes but no more than this reader claims; it holds what this reader holds of
 * them. Reading the child past its end never moves this reader. */
PeelReader peel_reader_take(PeelReader *rd, uint32_t n);

/* The rest of this reader as a child; this reader is left at its end. */
PeelReader peel_reader_rest(PeelReader *rd);

/* Narrows the claim to n bytes from the read position (e.g. IP total length shorter than
 * the frame: the rest is link-layer padding). Never widens it. */
void peel_reader_limit(PeelReader *rd, uint32_t n);
