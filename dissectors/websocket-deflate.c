/* websocket-deflate.c: permessage-deflate (RFC 7692): the negotiated parameters and
 * inflating a message with one direction's context (7.2.2). */
#include "websocket-deflate.h"

#include <glib.h>
#include <string.h>

#define INFLATE_CHUNK 65536u /* output grows by at most this much per inflate() call */

/* The value of `name=` in one extension's parameters, or -1 when absent; `present` tells
 * a bare parameter (client_max_window_bits may have no value). */
static int
param_bits(const char *params, const char *name, bool *present)
{
    const char *p = params;
    size_t n = strlen(name);
    *present = false;
    while ((p = strstr(p, name)) != NULL) {
        bool starts = p == params || p[-1] == ';' || p[-1] == ' ' || p[-1] == '\t';
        const char *e = p + n;
        p = e;
        if (!starts || (*e != '\0' && *e != '=' && *e != ';' && *e != ' ' && *e != '\t' &&
                               *e != ','))
            continue;
        *present = true;
        while (*e == ' ' || *e == '\t')
            e++;
        if (*e != '=')
            return -1;
        e++;
        while (*e == ' ' || *e == '\t' || *e == '"')
            e++;
        int v = 0, digits = 0;
        while (*e >= '0' && *e <= '9' && digits < 3)
            v = v * 10 + (*e++ - '0'), digits++;
        return digits ? v : -1;
    }
    return -1;
}

static bool
param_flag(const char *params, const char *name)
{
    bool present;
    param_bits(params, name, &present);
    return present;
}

static int
clamp_bits(int v)
{
    return v < 8 ? (v < 0 ? 15 : 8) : v > 15 ? 15 : v;
}

void
peel_ws_deflate_parse(PeelWsDeflate *d, const char *ext)
{
    memset(d, 0, sizeof *d);
    d->wbits[0] = d->wbits[1] = 15;
    if (ext == NULL)
        return;
    /* The first permessage-deflate extension the response accepted: its parameters run
     * to the next comma. */
    const char *p = ext;
    while ((p = strstr(p, "permessage-deflate")) != NULL) {
        bool starts = p == ext || p[-1] == ',' || p[-1] == ' ' || p[-1] == '\t';
        const char *e = p + strlen("permessage-deflate");
        if (starts && (*e == '\0' || *e == ';' || *e == ',' || *e == ' ' || *e == '\t'))
            break;
        p = e;
    }
    if (p == NULL)
        return;
    const char *end = strchr(p, ',');
    char *params = end ? g_strndup(p, (gsize)(end - p)) : g_strdup(p);
    d->on = true;
    d->no_takeover[0] = param_flag(params, "server_no_context_takeover");
    d->no_takeover[1] = param_flag(params, "client_no_context_takeover");
    bool present;
    d->wbits[0] = clamp_bits(param_bits(params, "server_max_window_bits", &present));
    d->wbits[1] = clamp_bits(param_bits(params, "client_max_window_bits", &present));
    g_free(params);
}

PeelWsInflate
peel_ws_inflate(PeelWsInflater *d, uint32_t *live, uint32_t max_live, int wbits,
        bool takeover, const uint8_t *in, uint32_t n, uint32_t max_out, uint8_t **out,
        uint32_t *out_len)
{
    static const uint8_t tail[4] = { 0x00, 0x00, 0xff, 0xff };
    *out = NULL;
    *out_len = 0;
    if (takeover && d->lost)
        return PEEL_WS_INF_LOST;
    if (!d->ready) {
        if (*live >= max_live) {
            /* Not this message's fault: with context takeover the window is lost too. */
            if (takeover)
                d->lost = true;
            return PEEL_WS_INF_BUSY;
        }
        memset(&d->z, 0, sizeof d->z);
        /* A window of 2^8 is negotiable, but zlib's deflate (most peers) then uses 2^9:
         * inflating with at least 9 bits reads both, and a larger window never hurts. */
        if (inflateInit2(&d->z, -(wbits < 9 ? 9 : wbits)) != Z_OK)
            return PEEL_WS_INF_FAIL;
        d->ready = true;
        (*live)++;
    } else if (!takeover) {
        inflateReset(&d->z);
    }
    z_stream *z = &d->z;
    GByteArray *buf = g_byte_array_new();
    PeelWsInflate res = PEEL_WS_INF_OK;
    bool tail_fed = false;
    z->next_in = (Bytef *)in;
    z->avail_in = n;
    for (;;) {
        if (z->avail_in == 0) {
            if (tail_fed)
                break;
            z->next_in = (Bytef *)tail;
            z->avail_in = sizeof tail;
            tail_fed = true;
        }
        if (buf->len >= max_out) {
            res = PEEL_WS_INF_CAP;
            break;
        }
        uint32_t room = MIN(INFLATE_CHUNK, max_out - buf->len);
        uint32_t at = buf->len;
        g_byte_array_set_size(buf, at + room);
        z->next_out = buf->data + at;
        z->avail_out = room;
        int ret = inflate(z, Z_SYNC_FLUSH);
        g_byte_array_set_size(buf, at + room - z->avail_out);
        if (ret == Z_STREAM_END) {
            /* A final block ends the deflate stream; what follows starts a new one. */
            inflateReset(z);
        } else if (ret == Z_BUF_ERROR) {
            if (z->avail_in != 0 && z->avail_out != 0) {
                res = PEEL_WS_INF_FAIL;
                break;
            }
        } else if (ret != Z_OK) {
            res = PEEL_WS_INF_FAIL;
            break;
        }
    }
    if (res != PEEL_WS_INF_OK) {
        /* The window no longer matches the sender's: later messages cannot be trusted. */
        d->lost = true;
        inflateReset(z);
    }
    *out_len = buf->len;
    *out = g_byte_array_free(buf, FALSE);
    return res;
}

void
peel_ws_inflater_clear(PeelWsInflater *inf, uint32_t *live)
{
    if (!inf->ready)
        return;
    inflateEnd(&inf->z);
    inf->ready = false;
    if (live != NULL)
        (*live)--;
}
