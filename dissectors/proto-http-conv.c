/* proto-http-conv.c: what an HTTP/1.x connection remembers: Wireshark's request/response
 * pairs, the requests not answered yet (HEAD framing, the note when the server closes
 * without answering), and the 101 upgrade handshake handed to the next protocol. */
#include "proto-http-private.h"

#include <glib.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "flow.h"
#include "protos.h"
#include "registry.h"

static void
upgrade_clear(PeelHttpUpgrade *u)
{
    g_free((char *)u->upgrade);
    g_free((char *)u->ws_key);
    g_free((char *)u->ws_accept);
    g_free((char *)u->ws_extensions);
    g_free((char *)u->ws_protocol);
    g_free((char *)u->h2_settings);
    memset(u, 0, sizeof *u);
}

static void
conv_clear(void *data)
{
    HttpConv *c = data;
    g_free(c->last_uri);
    g_free(c->req_ws_key);
    g_free(c->req_h2_settings);
    upgrade_clear(&c->upg);
}

HttpConv *
http_conv_get(PeelPacket *pkt)
{
    if (pkt->flow == NULL)
        return NULL;
    return peel_flow_data(pkt->flow, &peel_proto_http, sizeof(HttpConv), conv_clear);
}

const PeelHttpUpgrade *
peel_http_upgrade(PeelPacket *pkt)
{
    HttpConv *c = http_conv_get(pkt);
    return c != NULL && c->has_upgrade ? &c->upg : NULL;
}

/* What the oldest unanswered request was (HTTP_ANSWERS_*): the next response answers it. */
int
http_conv_answers(const HttpConv *c)
{
    return c != NULL && c->n_pending > 0 ? c->pending_kind[c->pending_first] : HTTP_ANSWERS_OTHER;
}

void
http_pending_push(HttpConv *c, int kind, uint32_t frame, uint8_t sub)
{
    if (c->early_answers > 0) { /* answered already */
        c->early_answers--;
        c->n_requests++;
        return;
    }
    if (c->n_pending == HTTP_MAX_PENDING) { /* forget the oldest */
        c->pending_first = (c->pending_first + 1) % HTTP_MAX_PENDING;
        c->n_pending--;
    }
    uint32_t i = (c->pending_first + c->n_pending) % HTTP_MAX_PENDING;
    c->pending_kind[i] = (uint8_t)kind;
    c->pending_frame[i] = frame;
    c->pending_sub[i] = sub;
    c->n_pending++;
    c->n_requests++;
    c->oldest_pending_frame = c->pending_frame[c->pending_first];
}

void
http_pending_pop(HttpConv *c)
{
    if (c->n_pending == 0) {
        c->early_answers++;
        return;
    }
    c->pending_first = (c->pending_first + 1) % HTTP_MAX_PENDING;
    c->n_pending--;
    c->oldest_pending_frame = c->n_pending ? c->pending_frame[c->pending_first] : 0;
}

/* The server's direction closed: requests it never answered are noted in this frame (its
 * FIN). Sub 255 of the frame's records keeps the note for a revisit. */
#define REC_UNANSWERED 255

void
http_stream_end(PeelPacket *pkt)
{
    uint32_t rec[2] = { 0, 0 }; /* unanswered requests, frame of the oldest */
    uint16_t saved = pkt->proto;
    int self = peel_registry_proto_index(&peel_proto_http);
    if (self < 0)
        return;
    pkt->proto = (uint16_t)self; /* the note is HTTP's */
    if (pkt->revisit) {
        if (!peel_record_get(pkt, REC_UNANSWERED, rec, sizeof rec))
            rec[0] = 0;
    } else {
        HttpConv *c = http_conv_get(pkt);
        /* the server's side closing: what it has not answered by now, it never will */
        if (c != NULL && c->n_pending > 0 && c->n_unanswered_noted < c->n_requests &&
                (pkt->flow_dir & 1) != c->req_dir) {
            rec[0] = c->n_pending;
            rec[1] = c->oldest_pending_frame;
            c->n_unanswered_noted = c->n_requests;
            peel_record_put(pkt, REC_UNANSWERED, rec, sizeof rec);
        }
    }
    if (rec[0] > 0)
        peel_expert(pkt, -1, PEEL_SEV_WARN, PEEL_GROUP_SEQUENCE,
                "%u HTTP request%s without a response when the connection closed (first in "
                "frame %u)",
                rec[0], rec[0] == 1 ? "" : "s", rec[1]);
    pkt->proto = saved;
}

/* Overwrites one uint32_t of the record of message `sub` of an earlier frame. */
static void
rec_patch(PeelPacket *pkt, uint32_t frame, uint8_t sub, size_t offset, uint32_t value)
{
    if (frame != 0 && sub != 0)
        peel_record_patch(pkt, frame, sub, (uint32_t)offset, &value, sizeof value);
}

/* The capture ended with requests of this connection unanswered (no FIN or RST from the
 * server said it never would answer): noted once, for the oldest of them, whose record
 * keeps the note for a revisit. A capture that simply stopped is no fault of the peers:
 * a note, not a warning. */
void
http_capture_end(PeelPacket *pkt)
{
    HttpConv *c = pkt->flow != NULL ? peel_flow_data_find(pkt->flow, &peel_proto_http) : NULL;
    if (c == NULL || c->n_pending == 0 || c->n_unanswered_noted >= c->n_requests)
        return;
    c->n_unanswered_noted = c->n_requests;
    uint32_t first = c->oldest_pending_frame;
    peel_capture_end_frame(pkt, first);
    rec_patch(pkt, first, c->pending_sub[c->pending_first], offsetof(HttpRec, end_unanswered),
            c->n_pending);
    http_note_unanswered_at_end(pkt, c->n_pending, first);
}

void
http_note_unanswered_at_end(PeelPacket *pkt, uint32_t n, uint32_t first)
{
    peel_expert(pkt, -1, PEEL_SEV_NOTE, PEEL_GROUP_SEQUENCE,
            "%u HTTP request%s without a response at the end of the capture (first in frame %u)", n,
            n == 1 ? "" : "s", first);
}

/* How many pairs each connection had, for "[HTTP request 1/N]" on a revisit: 4 bytes a
 * connection, kept only with records, for at most HTTP_MAX_TOTALS connections. */
#define HTTP_MAX_TOTALS (1u << 24)

typedef struct {
    GArray *n; /* uint32_t per connection */
} HttpTotals;

static const char totals_owner;

static void
totals_clear(void *data)
{
    HttpTotals *t = data;
    if (t->n != NULL)
        g_array_unref(t->n);
}

static void
totals_set(PeelPacket *pkt, HttpConv *c)
{
    HttpTotals *t = peel_engine_data(pkt, &totals_owner, sizeof *t, totals_clear);
    if (t->n == NULL)
        t->n = g_array_new(FALSE, TRUE, sizeof(uint32_t));
    if (c->conn == 0) {
        if (t->n->len >= HTTP_MAX_TOTALS)
            return;
        g_array_set_size(t->n, t->n->len + 1);
        c->conn = t->n->len;
    }
    g_array_index(t->n, uint32_t, c->conn - 1) = c->n_pairs;
}

uint32_t
http_pairs_total(PeelPacket *pkt, const HttpRec *rec)
{
    if (rec->conn == 0 || !peel_records_kept(pkt))
        return rec->n_pairs;
    HttpTotals *t = peel_engine_data(pkt, &totals_owner, sizeof *t, totals_clear);
    if (t->n == NULL || rec->conn > t->n->len)
        return rec->n_pairs;
    return g_array_index(t->n, uint32_t, rec->conn - 1);
}

char *
http_full_uri_new(const uint8_t *d, const HttpScan *s)
{
    if (s->uri.len == 0)
        return NULL;
    const char *uri = (const char *)d + s->uri.off;
    if (s->uri.len > HTTP_MAX_URI)
        return NULL;
    if (uri[0] != '/')
        return memchr(uri, ':', s->uri.len) ? g_strndup(uri, s->uri.len) : NULL;
    const HttpHeader *host = http_find_header(s, d, "host");
    if (host == NULL || host->value.len > HTTP_MAX_URI)
        return NULL;
    /* "http://" host uri, without a format to parse on every request; each part ends at
     * a NUL byte, as "%.*s" ends it */
    size_t hl = strnlen((const char *)d + host->value.off, host->value.len);
    size_t ul = strnlen(uri, s->uri.len);
    char *full = g_malloc(7 + hl + ul + 1);
    memcpy(full, "http://", 7);
    memcpy(full + 7, d + host->value.off, hl);
    memcpy(full + 7 + hl, uri, ul);
    full[7 + hl + ul] = '\0';
    return full;
}

static void
pair_push(HttpConv *c)
{
    c->prev = c->tail;
    c->has_prev = c->has_tail;
    memset(&c->tail, 0, sizeof c->tail);
    c->tail.number = ++c->n_pairs;
    c->has_tail = true;
}

/* The pair before the tail learns a frame of its next pair (the tail): the records of
 * its messages show it on a revisit. */
static void
patch_prev(PeelPacket *pkt, const HttpConv *c, size_t offset, uint32_t frame)
{
    if (!c->has_prev)
        return;
    rec_patch(pkt, c->prev.req_frame, c->prev.req_sub, offset, frame);
    rec_patch(pkt, c->prev.res_frame, c->prev.res_sub, offset, frame);
}

/* First pass: this message (record `sub` of its frame) joins the connection's pairs; the
 * record says what to show. With records kept, the earlier messages' records learn what
 * this one tells them, as Wireshark's second pass shows: a request its response, the pair
 * before this one its next request and response. */
void
http_pair_message(PeelPacket *pkt, HttpConv *c, const uint8_t *d, const HttpScan *s, uint8_t sub,
        HttpRec *rec, char **uri_out)
{
    *uri_out = NULL;
    if (c == NULL)
        return;
    uint32_t frame = pkt->frame->number;
    bool kept = peel_records_kept(pkt);
    if (!s->response) {
        pair_push(c);
        c->tail.req_frame = frame;
        c->tail.req_sub = sub;
        c->tail.req_ts = pkt->frame->ts;
        g_free(c->last_uri);
        c->last_uri = http_full_uri_new(d, s);
        if (kept)
            patch_prev(pkt, c, offsetof(HttpRec, next_req), frame);
    } else {
        if (!c->has_tail || c->tail.res_frame != 0)
            pair_push(c);
        c->tail.res_frame = frame;
        c->tail.res_sub = sub;
        if (kept) {
            rec_patch(pkt, c->tail.req_frame, c->tail.req_sub, offsetof(HttpRec, res_frame), frame);
            patch_prev(pkt, c, offsetof(HttpRec, next_res), frame);
        }
    }
    if (kept) {
        totals_set(pkt, c);
        rec->conn = c->conn;
    }
    rec->flags |= REC_PAIRED;
    rec->number = c->tail.number;
    rec->n_pairs = c->n_pairs;
    rec->req_frame = c->tail.req_frame;
    rec->res_frame = c->tail.res_frame;
    if (c->has_prev) {
        rec->prev_req = c->prev.req_frame;
        rec->prev_res = c->prev.res_frame;
    }
    if (s->response && c->tail.req_frame != 0) {
        int64_t ns = (pkt->frame->ts.sec - c->tail.req_ts.sec) * 1000000000LL +
                     (pkt->frame->ts.nsec - c->tail.req_ts.nsec);
        rec->delta.sec = ns / 1000000000LL;
        rec->delta.nsec = (int32_t)(ns % 1000000000LL);
        rec->flags |= REC_TIME;
    }
    /* Wireshark names the connection's last request, whichever this answers. A copy: a
     * request later in the same frame replaces the connection's, while this frame's
     * fields still show it. */
    if (s->response && c->last_uri != NULL)
        *uri_out = peel_arena_strndup(pkt->arena, c->last_uri, strlen(c->last_uri));
}

void
http_add_pairing(
        PeelPacket *pkt, const HttpRec *rec, bool response, const char *uri, uint32_t uri_len)
{
    if (!(rec->flags & REC_PAIRED))
        return;
    /* "[HTTP request 2/2]": this pair's number of the pairs seen so far, as tshark's
     * single pass counts them; on a revisit, of all the connection's pairs, as its
     * second pass. The links to later frames (response, next pair) are only known on a
     * revisit, as in Wireshark (packet-http.c's order of items). */
    uint32_t total = pkt->revisit ? http_pairs_total(pkt, rec) : rec->n_pairs;
    if (!response) {
        int32_t i = peel_add_uint_value(pkt, F_REQUEST_NUMBER, rec->number);
        peel_set_text(pkt, i, "[HTTP request %u/%u]", rec->number, total);
        if (rec->prev_req != 0)
            peel_add_uint_value(pkt, F_PREV_REQUEST_IN, rec->prev_req);
        if (rec->res_frame != 0)
            peel_add_uint_value(pkt, F_RESPONSE_IN, rec->res_frame);
        if (rec->next_req != 0)
            peel_add_uint_value(pkt, F_NEXT_REQUEST_IN, rec->next_req);
        return;
    }
    int32_t i = peel_add_uint_value(pkt, F_RESPONSE_NUMBER, rec->number);
    peel_set_text(pkt, i, "[HTTP response %u/%u]", rec->number, total);
    if (rec->flags & REC_TIME)
        peel_add_time_value(pkt, F_TIME, rec->delta);
    if (rec->prev_req != 0)
        peel_add_uint_value(pkt, F_PREV_REQUEST_IN, rec->prev_req);
    if (rec->prev_res != 0)
        peel_add_uint_value(pkt, F_PREV_RESPONSE_IN, rec->prev_res);
    if (rec->flags & REC_TIME)
        peel_add_uint_value(pkt, F_REQUEST_IN, rec->req_frame);
    if (rec->next_req != 0)
        peel_add_uint_value(pkt, F_NEXT_REQUEST_IN, rec->next_req);
    if (rec->next_res != 0)
        peel_add_uint_value(pkt, F_NEXT_RESPONSE_IN, rec->next_res);
    if (uri_len > 0)
        peel_add_string_value(pkt, F_RESPONSE_FOR_URI, uri, uri_len);
}

/* RFC 6455 4.2.2: base64(SHA-1(key + GUID)). */
static bool
ws_accept_ok(const char *key, const char *accept)
{
    GChecksum *sha = g_checksum_new(G_CHECKSUM_SHA1);
    g_checksum_update(sha, (const guchar *)key, (gssize)strlen(key));
    g_checksum_update(sha, (const guchar *)HTTP_WS_GUID, (gssize)strlen(HTTP_WS_GUID));
    guint8 digest[20];
    gsize dlen = sizeof digest;
    g_checksum_get_digest(sha, digest, &dlen);
    g_checksum_free(sha);
    char b64[32];
    gint state = 0, save = 0;
    gsize n = g_base64_encode_step(digest, dlen, FALSE, b64, &state, &save);
    n += g_base64_encode_close(FALSE, b64 + n, &state, &save);
    b64[n] = '\0';
    return strcmp(b64, accept) == 0;
}

/* A request asking to upgrade: its part of the handshake waits for the response. */
void
http_upgrade_request(PeelPacket *pkt, HttpConv *c, const uint8_t *d, const HttpScan *s)
{
    if (c == NULL || http_find_header(s, d, "upgrade") == NULL)
        return;
    g_free(c->req_ws_key);
    g_free(c->req_h2_settings);
    c->req_ws_key = http_header_dup(s, d, "sec-websocket-key");
    c->req_h2_settings = http_header_dup(s, d, "http2-settings");
    c->req_upgrade_frame = pkt->frame->number;
}

/* 101 Switching Protocols: the handshake is kept for the next protocol, the key checked,
 * and the connection goes on as that protocol. */
void
http_upgrade_response(
        PeelPacket *pkt, HttpConv *c, const uint8_t *d, const HttpScan *s, HttpRec *rec)
{
    if (c == NULL)
        return;
    upgrade_clear(&c->upg);
    PeelHttpUpgrade *u = &c->upg;
    u->upgrade = http_header_dup(s, d, "upgrade");
    u->ws_key = c->req_ws_key;
    u->h2_settings = c->req_h2_settings;
    c->req_ws_key = c->req_h2_settings = NULL;
    u->ws_accept = http_header_dup(s, d, "sec-websocket-accept");
    u->ws_extensions = http_header_dup(s, d, "sec-websocket-extensions");
    u->ws_protocol = http_header_dup(s, d, "sec-websocket-protocol");
    u->request_frame = c->req_upgrade_frame;
    u->response_frame = pkt->frame->number;
    c->has_upgrade = true;
    if (u->ws_key != NULL && u->ws_accept != NULL && !ws_accept_ok(u->ws_key, u->ws_accept))
        rec->flags |= REC_BAD_ACCEPT;
    const char *next = NULL;
    if (u->upgrade != NULL && g_ascii_strcasecmp(u->upgrade, "websocket") == 0)
        next = "websocket";
    else if (u->upgrade != NULL && g_ascii_strcasecmp(u->upgrade, "h2c") == 0)
        next = "http2";
    int i = next ? peel_registry_proto_lookup(next) : -1;
    /* whatever the connection switched to, it is no longer HTTP/1.x */
    peel_tcp_set_app(pkt, i >= 0 ? peel_registry_proto((uint32_t)i) : NULL);
}
