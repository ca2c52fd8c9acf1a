/* proto-http-private.h: what the HTTP/1.x dissector's files share (proto-http.c: framing
 * and dissection; proto-http-msg.c: a message's fields; proto-http-conv.c: connection state,
 * pairing and upgrades). Not for other protocols: they use proto-http.h. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "dissect.h"
#include "http-scan.h"
#include "proto-http.h"

enum {
    F_REQUEST,
    F_RESPONSE,
    F_CHAT,
    F_METHOD,
    F_URI,
    F_URI_PATH,
    F_URI_QUERY,
    F_URI_QPARAM,
    F_REQ_VERSION,
    F_RESP_VERSION,
    F_CODE,
    F_CODE_DESC,
    F_PHRASE,
    F_REQ_LINE,
    F_RESP_LINE,
    /* header fields, in the order of http_headers[] */
    F_HOST,
    F_USER_AGENT,
    F_ACCEPT,
    F_ACCEPT_LANGUAGE,
    F_ACCEPT_ENCODING,
    F_REFERER,
    F_CONTENT_TYPE,
    F_CONTENT_LENGTH_HEADER,
    F_CONTENT_ENCODING,
    F_TRANSFER_ENCODING,
    F_CONNECTION,
    F_UPGRADE,
    F_COOKIE,
    F_SET_COOKIE,
    F_AUTHORIZATION,
    F_WWW_AUTHENTICATE,
    F_PROXY_AUTHORIZATION,
    F_PROXY_AUTHENTICATE,
    F_SERVER,
    F_LOCATION,
    F_DATE,
    F_CACHE_CONTROL,
    F_LAST_MODIFIED,
    F_X_FORWARDED_FOR,
    F_SEC_WS_ACCEPT,
    F_SEC_WS_EXTENSIONS,
    F_SEC_WS_KEY,
    F_SEC_WS_PROTOCOL,
    F_SEC_WS_VERSION,
    F_HTTP2_SETTINGS,
    /* derived */
    F_CONTENT_LENGTH,
    F_COOKIE_PAIR,
    F_FULL_URI,
    F_REQUEST_NUMBER,
    F_RESPONSE_NUMBER,
    F_REQUEST_IN,
    F_RESPONSE_IN,
    F_NEXT_REQUEST_IN,
    F_NEXT_RESPONSE_IN,
    F_PREV_REQUEST_IN,
    F_PREV_RESPONSE_IN,
    F_TIME,
    F_RESPONSE_FOR_URI,
    F_CHUNKED,
    F_CHUNK,
    F_CHUNK_SIZE,
    F_CHUNK_DATA,
    F_CHUNK_BOUNDARY,
    F_TRAILER,
    F_ENCODED,
    F_FILE_DATA,
    F_AUTHBASIC,
    N_F
};

#define HTTP_MAX_PENDING 64u   /* requests awaiting a response, for HEAD framing */
#define HTTP_MAX_URI     2048u /* full URI kept per request for its response */
#define HTTP_WS_GUID     "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

/* One request/response pair as Wireshark numbers them (packet-http.c push_req/push_res):
 * a request always starts a pair; a response joins the last pair unless that one already
 * has a response. */
typedef struct {
    uint32_t number;
    uint32_t req_frame, res_frame;
    uint8_t req_sub, res_sub; /* the messages' records in their frames (message_index) */
    PeelTime req_ts;
} HttpPair;

typedef struct {
    HttpPair tail, prev;
    char *last_uri; /* full URI of the connection's last request: responses name it */
    bool has_tail, has_prev;
    uint32_t n_pairs;
    /* Requests not answered yet, oldest first: true for HEAD (no response body). */
    uint8_t pending_kind[HTTP_MAX_PENDING]; /* HTTP_ANSWERS_* */
    uint8_t pending_sub[HTTP_MAX_PENDING];  /* the request's record in its frame */
    uint32_t pending_frame[HTTP_MAX_PENDING];
    uint32_t oldest_pending_frame;
    uint32_t n_requests, n_unanswered_noted;
    int req_dir;            /* flow direction requests go in (valid once n_requests > 0) */
    uint32_t early_answers; /* final responses that came before their request was whole
                               (a server answering a POST without reading its body) */
    uint32_t pending_first, n_pending;
    uint32_t conn;        /* 1 + this connection's slot in the pair totals (records kept), or 0 */
    bool waiting[2];      /* a message of this direction is being reassembled */
    HttpFramer framer[2]; /* where each direction's pending message ends */
    /* The upgrade: the request's part is kept until the 101 arrives. */
    char *req_ws_key, *req_h2_settings;
    uint32_t req_upgrade_frame;
    bool has_upgrade;
    PeelHttpUpgrade upg;
} HttpConv;

/* What a message's fields need on a revisit (sub 1 + the message's index in its frame),
 * followed by the URI its response shows. The first pass patches a message's record when
 * later messages tell more (peel_record_patch): its response (res_frame of a request), the
 * next pair's frames, requests still unanswered when the capture ended. */
typedef struct {
    uint32_t flags; /* REC_* */
    uint32_t number, n_pairs;
    uint32_t req_frame, res_frame, prev_req, prev_res;
    uint32_t next_req, next_res; /* frames of the next pair's messages (Wireshark's next) */
    uint32_t end_unanswered;     /* oldest unanswered request at the end of the capture: how
                                    many of the connection's requests were unanswered */
    uint32_t conn;               /* the connection's slot + 1 in the pair totals, or 0 */
    PeelTime delta;
    uint32_t uri_len;
} HttpRec;

enum {
    REC_NO_BODY = 1, /* answers HEAD */
    REC_TIME = 2,
    REC_BAD_ACCEPT = 4,
    REC_PAIRED = 8,
    REC_CONNECT = 16, /* answers CONNECT */
};

/* proto-http-msg.c: a message's fields. http_add_span() adds string field f over
 * [off, off + len) of the message. */
bool http_span_is(const uint8_t *d, HttpSpan sp, const char *s);
int32_t http_add_span(
        PeelPacket *pkt, const PeelReader *rd, uint32_t f, uint32_t off, uint32_t len);
const HttpHeader *http_find_header(const HttpScan *s, const uint8_t *d, const char *name);
char *http_header_dup(const HttpScan *s, const uint8_t *d, const char *name);
void http_add_start_line(
        PeelPacket *pkt, const PeelReader *rd, const uint8_t *d, const HttpScan *s);
void http_add_headers(
        PeelPacket *pkt, const PeelReader *rd, const uint8_t *d, const HttpScan *s, bool trailers);
/* Adds the body (de-chunked, decompressed) as http.file_data; *body (may be NULL) gets a
 * reader over those bytes for a protocol carried in the body (empty when none). */
void http_add_body(PeelPacket *pkt, const PeelReader *rd, const uint8_t *d, uint32_t len,
        const HttpScan *s, uint32_t *body_len, PeelReader *body);

/* proto-http-conv.c: connection state (NULL without a flow, and on a revisit). */
HttpConv *http_conv_get(PeelPacket *pkt);
int http_conv_answers(const HttpConv *c);
void http_pending_push(HttpConv *c, int kind, uint32_t frame, uint8_t sub);
void http_pending_pop(HttpConv *c);
char *http_full_uri_new(const uint8_t *d, const HttpScan *s);
void http_pair_message(PeelPacket *pkt, HttpConv *c, const uint8_t *d, const HttpScan *s,
        uint8_t sub, HttpRec *rec, char **uri_out);
/* The pairs the connection of rec had when the first pass ended (Wireshark's "1/N" on a
 * revisit), or rec->n_pairs. */
uint32_t http_pairs_total(PeelPacket *pkt, const HttpRec *rec);
void http_add_pairing(
        PeelPacket *pkt, const HttpRec *rec, bool response, const char *uri, uint32_t uri_len);
void http_upgrade_request(PeelPacket *pkt, HttpConv *c, const uint8_t *d, const HttpScan *s);
void http_upgrade_response(
        PeelPacket *pkt, HttpConv *c, const uint8_t *d, const HttpScan *s, HttpRec *rec);
void http_stream_end(PeelPacket *pkt);
void http_capture_end(PeelPacket *pkt);
/* The end-of-capture note: n requests unanswered, the oldest in frame `first`. */
void http_note_unanswered_at_end(PeelPacket *pkt, uint32_t n, uint32_t first);
