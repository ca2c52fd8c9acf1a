/* http-body.h: HTTP/1.x message bodies: content codings (RFC 9110 8.4.1) decoded with zlib
 * into the packet arena under a size bound. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"

/* Decoded bodies larger than this are not kept: the message gets a note instead. */
#define HTTP_MAX_DECODED (8u << 20)

typedef enum {
    HTTP_CODING_IDENTITY,
    HTTP_CODING_GZIP,    /* gzip, x-gzip */
    HTTP_CODING_DEFLATE, /* deflate: zlib-wrapped (RFC 1950), or raw as some servers send */
    HTTP_CODING_UNKNOWN, /* br, compress, zstd...: shown as they are */
} HttpCoding;

typedef enum {
    HTTP_DECODE_OK,
    HTTP_DECODE_TOO_BIG, /* the output passes `limit` bytes: a bomb or just too large */
    HTTP_DECODE_ERROR,   /* not valid compressed data */
    HTTP_DECODE_NOMEM,   /* the packet arena refused */
} HttpDecodeStatus;

/* The coding named by a Content-Encoding value (the last coding applied when several). */
HttpCoding http_coding_parse(const uint8_t *value, uint32_t len);

/* Decodes `len` bytes of `in` coded with `coding` (gzip or deflate) into memory from
 * `arena`, at most `limit` bytes. On HTTP_DECODE_OK *out and *out_len hold the result; a
 * truncated stream yields what could be decoded, with *truncated set. */
HttpDecodeStatus http_body_decode(PeelArena *arena, HttpCoding coding, const uint8_t *in,
        uint32_t len, uint32_t limit, uint8_t **out, uint32_t *out_len, bool *truncated);
