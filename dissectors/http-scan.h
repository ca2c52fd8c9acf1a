/* http-scan.h: one HTTP/1.x message found by llhttp in a run of stream bytes: where its
 * start line, header lines, chunks and body are, and where it ends. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"

/* Header bytes (start line and fields) before a message is called oversized. */
#define HTTP_MAX_HEADER_BYTES (64u * 1024u)
/* Header lines kept per message; more are counted and noted, not shown one by one. */
#define HTTP_MAX_HEADERS 256u
/* Chunks kept per message for display; the body is still de-chunked completely. */
#define HTTP_MAX_CHUNKS 4096u

typedef struct {
    uint32_t off, len;
} HttpSpan;

typedef struct {
    HttpSpan name, value;
    HttpSpan line; /* the whole line, CRLF (or LF) included */
    bool trailer;  /* after the last chunk */
} HttpHeader;

typedef struct {
    uint32_t line_off; /* chunk-size line */
    uint32_t line_len;
    uint32_t size;     /* the chunk's size */
    uint32_t data_off; /* chunk data */
    uint32_t crlf_len; /* the CRLF after the data: 0 when cut short */
} HttpChunk;

typedef enum {
    HTTP_SCAN_COMPLETE,  /* a whole message: `end` bytes */
    HTTP_SCAN_MORE,      /* the message goes on past the bytes given */
    HTTP_SCAN_EOF,       /* the body runs until the connection closes (HTTP/1.0 style) */
    HTTP_SCAN_ERROR,     /* not HTTP, or malformed at `end` */
    HTTP_SCAN_OVERSIZED, /* no end of headers within HTTP_MAX_HEADER_BYTES */
} HttpScanResult;

typedef struct {
    bool response;
    HttpScanResult result;
    uint32_t end;      /* bytes of the message (COMPLETE, EOF), or where the error is */
    const char *error; /* llhttp's reason on HTTP_SCAN_ERROR */
    bool headers_done;
    uint32_t start_line_len; /* with its CRLF */
    uint32_t headers_end;    /* offset after the empty line */
    HttpSpan method, uri, version, status;
    uint16_t status_code;
    uint8_t http_major, http_minor;
    bool upgrade; /* llhttp stopped for an upgrade (101, CONNECT, Upgrade request) */
    bool chunked;
    bool has_length;
    uint64_t content_length;
    /* Filled only when scanning with details (an arena given). */
    HttpHeader *headers;
    uint32_t n_headers;
    uint32_t n_headers_dropped;
    HttpChunk *chunks;
    uint32_t n_chunks;
    uint32_t n_chunks_dropped;
    bool last_chunk; /* the zero-size chunk was seen */
    uint32_t last_chunk_off, last_chunk_len;
    uint32_t trailer_end;
    HttpSpan body;      /* Content-Length or close-delimited body */
    uint8_t *dechunked; /* chunked body joined (arena), or NULL */
    uint32_t dechunked_len;
} HttpScan;

/* What the request a response answers says about the response's body. */
enum {
    HTTP_ANSWERS_OTHER = 0,
    HTTP_ANSWERS_HEAD = 1,    /* no body, whatever the headers announce */
    HTTP_ANSWERS_CONNECT = 2, /* a 2xx opens a tunnel: no body */
};

/* Scans the message at the start of data[0..len). `no_body` (HTTP_ANSWERS_*): the
 * request a response answers, for the responses whose headers are all of them. `at_eof`: no more
 * bytes will follow (a body that runs to the close ends here). With an arena, header lines, chunks
 * and the de-chunked body are collected too. */
void http_scan(
        HttpScan *s, const uint8_t *data, uint32_t len, int no_body, bool at_eof, PeelArena *arena);

/* Incremental framing for pdu_len: finds where the message at the start of a growing
 * buffer ends, feeding llhttp only the bytes added since the last call, so a body of many
 * small chunks costs linear time however many segments bring it. Lives in flow state. */
typedef struct {
    _Alignas(16) uint8_t parser[96]; /* llhttp_t, kept opaque here: aligned as its
                                        pointers and 64-bit counters need, wherever the
                                        framer sits in its owner's struct */
    uint32_t fed;       /* bytes of the message already given to the parser */
    uint8_t first[16];  /* the message's first bytes, to notice a buffer that changed */
    uint32_t first_len;
    bool started, headers_done, start_line_done;
    int ev;
} HttpFramer;

/* Where the message at the start of data[0..len) ends: HTTP_SCAN_COMPLETE with *end, or
 * MORE / EOF / ERROR / OVERSIZED as http_scan() says them. `start_line` tells whether the
 * start line was read (for ERROR: a bad header line rather than no HTTP at all). */
HttpScanResult http_frame(HttpFramer *f, const uint8_t *data, uint32_t len, int no_body,
        bool at_eof, uint32_t *end, bool *start_line);
void http_framer_reset(HttpFramer *f);
/* After http_frame() said MORE for data[0..len): the message's whole length when its
 * headers gave a Content-Length (not chunked), else 0. */
uint64_t http_frame_expected(const HttpFramer *f, uint32_t len);
