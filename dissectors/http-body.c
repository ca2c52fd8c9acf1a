/* http-body.c: content codings of HTTP/1.x bodies decoded with zlib, bounded. */
#include "http-body.h"

#include <string.h>
#include <strings.h>
#include <zlib.h>

HttpCoding
http_coding_parse(const uint8_t *value, uint32_t len)
{
    /* "gzip, identity" lists codings in the order applied: the last one is undone first;
     * only a single real coding is decoded. */
    uint32_t start = 0, tok_s = 0, tok_e = 0;
    for (uint32_t i = 0; i <= len; i++) {
        if (i == len || value[i] == ',') {
            uint32_t s = start, e = i;
            while (s < e && (value[s] == ' ' || value[s] == '\t'))
                s++;
            while (e > s && (value[e - 1] == ' ' || value[e - 1] == '\t'))
                e--;
            if (e > s &&
                    !(e - s == 8 && strncasecmp((const char *)value + s, "identity", 8) == 0)) {
                tok_s = s;
                tok_e = e;
            }
            start = i + 1;
        }
    }
    uint32_t n = tok_e - tok_s;
    const char *t = (const char *)value + tok_s;
    if (n == 0)
        return HTTP_CODING_IDENTITY;
    if ((n == 4 && strncasecmp(t, "gzip", 4) == 0) || (n == 6 && strncasecmp(t, "x-gzip", 6) == 0))
        return HTTP_CODING_GZIP;
    if (n == 7 && strncasecmp(t, "deflate", 7) == 0)
        return HTTP_CODING_DEFLATE;
    return HTTP_CODING_UNKNOWN;
}

/* zlib's allocations come from the packet arena (STYLE.md section 4). */
static voidpf
arena_zalloc(voidpf opaque, uInt items, uInt size)
{
    if (size != 0 && items > SIZE_MAX / size)
        return Z_NULL;
    return peel_arena_alloc(opaque, (size_t)items * size);
}

static void
arena_zfree(voidpf opaque, voidpf address)
{
    (void)opaque;
    (void)address; /* freed with the packet */
}

/* One inflate run with `wbits`. With out == NULL only counts the output (stopping once it
 * passes limit). */
static int
inflate_run(PeelArena *arena, int wbits, const uint8_t *in, uint32_t len, uint8_t *out,
        uint32_t limit, uint32_t *produced, bool *ended)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    zs.zalloc = arena_zalloc;
    zs.zfree = arena_zfree;
    zs.opaque = arena;
    if (inflateInit2(&zs, wbits) != Z_OK)
        return Z_MEM_ERROR;
    uint8_t scratch[16384];
    zs.next_in = (Bytef *)in;
    zs.avail_in = len;
    uint64_t total = 0;
    int rc = Z_OK;
    *ended = false;
    for (;;) {
        if (out != NULL) {
            zs.next_out = out + total;
            zs.avail_out = (uInt)(limit - total);
        } else {
            zs.next_out = scratch;
            zs.avail_out = sizeof scratch;
        }
        uInt before = zs.avail_out;
        rc = inflate(&zs, Z_NO_FLUSH);
        total += before - zs.avail_out;
        if (rc == Z_STREAM_END) {
            /* gzip members may follow one another (RFC 1952 2.2) */
            if (zs.avail_in > 0 && wbits > 15 && inflateReset(&zs) == Z_OK)
                continue;
            *ended = true;
            rc = Z_OK;
            break;
        }
        if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
            rc = Z_OK; /* input ran out: a truncated stream */
            break;
        }
        if (rc != Z_OK)
            break;
        if (total > limit)
            break;
        if (out != NULL && total == limit) {
            if (zs.avail_in == 0)
                break;
            total++; /* more would come: over the limit */
            break;
        }
        if (before == zs.avail_out && zs.avail_in == 0)
            break;
    }
    inflateEnd(&zs);
    *produced = total > limit ? limit + 1 : (uint32_t)total;
    return rc;
}

HttpDecodeStatus
http_body_decode(PeelArena *arena, HttpCoding coding, const uint8_t *in, uint32_t len,
        uint32_t limit, uint8_t **out, uint32_t *out_len, bool *truncated)
{
    *out = NULL;
    *out_len = 0;
    *truncated = false;
    int wbits;
    if (coding == HTTP_CODING_GZIP)
        wbits = 15 + 16;
    else if (coding == HTTP_CODING_DEFLATE)
        /* RFC 9110 8.4.1.2 says zlib format; raw deflate is common enough to accept */
        wbits = (len >= 2 && (in[0] & 0x0f) == 8 && ((in[0] << 8) | in[1]) % 31 == 0) ? 15 : -15;
    else
        return HTTP_DECODE_ERROR;
    uint32_t size = 0;
    bool ended = false;
    int rc = inflate_run(arena, wbits, in, len, NULL, limit, &size, &ended);
    if (rc == Z_MEM_ERROR)
        return HTTP_DECODE_NOMEM;
    if (size > limit)
        return HTTP_DECODE_TOO_BIG;
    if (rc != Z_OK && size == 0)
        return HTTP_DECODE_ERROR;
    uint8_t *buf = peel_arena_alloc(arena, size ? size : 1);
    if (buf == NULL)
        return HTTP_DECODE_NOMEM;
    uint32_t got = 0;
    rc = inflate_run(arena, wbits, in, len, buf, size, &got, &ended);
    if (rc == Z_MEM_ERROR)
        return HTTP_DECODE_NOMEM;
    *out = buf;
    *out_len = got > size ? size : got;
    *truncated = !ended;
    return HTTP_DECODE_OK;
}
