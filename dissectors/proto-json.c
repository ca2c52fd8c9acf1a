/* proto-json.c: JSON bodies (RFC 8259) as Wireshark's JSON dissector shows them: objects,
 * arrays, members with their keys, and string, number, true, false and null values, for
 * the media types Wireshark 4.0 hands to it (HTTP/1.x, HTTP/2 and AMQP bodies, gRPC
 * messages of application/grpc+json). The Protocol column gains "/JSON" and the Info
 * column ", JavaScript Object Notation (media type)", as tshark's.
 *
 * Limits: nesting is followed to PEEL_JSON_TREE_MAX_DEPTH (64) levels (deeper is an expert
 * note and the rest is not shown); text that is not JSON stops the tree where it breaks,
 * with an expert note. Every value is a field over the bytes that hold it (no copies but
 * for strings with escapes, unescaped into the packet's arena). */
#include "proto-json.h"

#include <glib.h>
#include <string.h>

#include "fmt.h"
#include "registry.h"

enum {
    F_OBJECT,
    F_ARRAY,
    F_MEMBER,
    F_KEY,
    F_STRING,
    F_NUMBER,
    F_TRUE,
    F_FALSE,
    F_NULL,
    F_PATH,
    F_PATH_WITH_VALUE,
    F_MEMBER_WITH_VALUE,
    N_F
};

static const PeelFieldDef json_fields[N_F] = {
    [F_OBJECT] = { "json.object", "Object", PEEL_FT_NONE, PEEL_SHOW_NONE },
    [F_ARRAY] = { "json.array", "Array", PEEL_FT_NONE, PEEL_SHOW_NONE },
    [F_MEMBER] = { "json.member", "Member", PEEL_FT_STRING },
    [F_KEY] = { "json.key", "Key", PEEL_FT_STRING },
    [F_STRING] = { "json.value.string", "String value", PEEL_FT_STRING },
    [F_NUMBER] = { "json.value.number", "Number value", PEEL_FT_STRING },
    [F_TRUE] = { "json.value.true", "True value", PEEL_FT_NONE, PEEL_SHOW_NONE },
    [F_FALSE] = { "json.value.false", "False value", PEEL_FT_NONE, PEEL_SHOW_NONE },
    [F_NULL] = { "json.value.null", "Null value", PEEL_FT_NONE, PEEL_SHOW_NONE },
    [F_PATH] = { "json.path", "Path", PEEL_FT_STRING },
    [F_PATH_WITH_VALUE] = { "json.path_with_value", "Path with value", PEEL_FT_STRING },
    [F_MEMBER_WITH_VALUE] = { "json.member_with_value", "Member with value", PEEL_FT_STRING },
};

/* Wireshark 4.0's media_type registrations for its JSON dissector. */
static const char *const json_media_types[] = { "application/json", "application/senml+json",
    "application/sensml+json", "application/json-rpc", "application/jsonrequest",
    "application/dds-web+json", "application/vnd.oma.lwm2m+json", "application/problem+json",
    "application/merge-patch+json", "application/json-patch+json", "application/x-ndjson" };

bool
peel_json_media_type(const char *mt)
{
    for (size_t i = 0; i < G_N_ELEMENTS(json_media_types); i++)
        if (g_ascii_strcasecmp(mt, json_media_types[i]) == 0)
            return true;
    return false;
}

/* The media type for the next JSON layer (engine-scoped). */
typedef struct {
    char media[128];
    char below[64];      /* the Protocol column before JSON's layer */
    char protocol[72];   /* the column JSON left: "AMQP/JSON" */
    uint32_t frame;      /* the frame JSON was last seen in, */
    bool revisit;        /* and on which pass */
} JsonCall;

static const char json_owner = 'j';

void
peel_json_dissect(PeelPacket *pkt, const PeelReader *rd, const char *media_type)
{
    JsonCall *call = peel_engine_data(pkt, &json_owner, sizeof *call, NULL);
    g_strlcpy(call->media, media_type ? media_type : "", sizeof call->media);
    g_strlcpy(call->below, pkt->col_protocol ? pkt->col_protocol : "", sizeof call->below);
    PeelReader r = *rd;
    uint16_t layers = pkt->layers;
    peel_next_proto(pkt, &r, &peel_proto_json);
    pkt->layers = layers;
}

typedef struct {
    PeelPacket *pkt;
    PeelReader base; /* the whole text, at its start */
    const uint8_t *s;
    uint32_t n, at;
    bool failed;
    GString *path; /* "/key/[]/key" of the value being read (bounded by the text) */
} JsonParse;

static void
skip_ws(JsonParse *p)
{
    while (p->at < p->n &&
            (p->s[p->at] == ' ' || p->s[p->at] == '\t' || p->s[p->at] == '\n' || p->s[p->at] == '\r'))
        p->at++;
}

static PeelReader
span(const JsonParse *p, uint32_t off, uint32_t len)
{
    PeelReader r = p->base;
    peel_reader_skip(&r, off);
    return peel_reader_take(&r, len);
}

static void
fail(JsonParse *p, const char *what)
{
    if (p->failed)
        return;
    p->failed = true;
    peel_expert(p->pkt, p->pkt->parent, PEEL_SEV_WARN, PEEL_GROUP_MALFORMED,
            "not valid JSON at byte %u: %s", p->at, what);
}

/* A string starting at p->at ('"'): its content's span, and whether it has escapes. */
static bool
scan_string(JsonParse *p, uint32_t *off, uint32_t *len, bool *escaped)
{
    uint32_t i = p->at + 1;
    *escaped = false;
    while (i < p->n && p->s[i] != '"') {
        if (p->s[i] == '\\') {
            *escaped = true;
            i++;
        }
        i++;
    }
    if (i >= p->n) {
        fail(p, "a string does not end");
        return false;
    }
    *off = p->at + 1;
    *len = i - *off;
    p->at = i + 1;
    return true;
}

/* The value of a string with escapes: \uXXXX as UTF-8 (surrogate pairs joined), the
 * one-letter escapes as their characters. */
static char *
unescape(PeelPacket *pkt, const uint8_t *s, uint32_t n, uint32_t *out_len)
{
    char *o = peel_arena_alloc(pkt->arena, (size_t)n + 1);
    if (o == NULL)
        return NULL;
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (s[i] != '\\' || i + 1 >= n) {
            o[k++] = (char)s[i];
            continue;
        }
        char e = (char)s[++i];
        if (e == 'u' && i + 4 < n) {
            char hex[5] = { (char)s[i + 1], (char)s[i + 2], (char)s[i + 3], (char)s[i + 4], 0 };
            gunichar c = (gunichar)g_ascii_strtoull(hex, NULL, 16);
            i += 4;
            if (c >= 0xd800 && c < 0xdc00 && i + 6 < n && s[i + 1] == '\\' && s[i + 2] == 'u') {
                char lo[5] = { (char)s[i + 3], (char)s[i + 4], (char)s[i + 5], (char)s[i + 6], 0 };
                gunichar l = (gunichar)g_ascii_strtoull(lo, NULL, 16);
                if (l >= 0xdc00 && l < 0xe000) {
                    c = 0x10000 + ((c - 0xd800) << 10) + (l - 0xdc00);
                    i += 6;
                }
            }
            char u[6];
            int w = g_unichar_to_utf8(c, u);
            if (k + (uint32_t)w > n) /* \uXXXX (6 bytes) never yields more than 4 */
                break;
            memcpy(o + k, u, (size_t)w);
            k += (uint32_t)w;
            continue;
        }
        o[k++] = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b'
                : e == 'f' ? '\f' : e;
    }
    o[k] = '\0';
    *out_len = k;
    return o;
}

static int32_t
add_string(JsonParse *p, uint32_t f, uint32_t off, uint32_t len, bool escaped)
{
    if (!escaped) {
        PeelReader r = span(p, off, len);
        peel_add_string(p->pkt, &r, f, len);
        return peel_last(p->pkt);
    }
    uint32_t vlen = 0;
    char *v = unescape(p->pkt, p->s + off, len, &vlen);
    if (v == NULL)
        return -1;
    int32_t idx = peel_add_string_value(p->pkt, f, v, vlen);
    if (idx >= 0) {
        p->pkt->fields[idx].offset = peel_reader_offset(&p->base) + off;
        p->pkt->fields[idx].length = len;
    }
    return idx;
}

static void parse_value(JsonParse *p, uint32_t depth);

static bool
is_number_char(uint8_t c)
{
    return g_ascii_isdigit(c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/* The text a scalar value at p->at shows as (Wireshark's member_with_value), read
 * without adding fields; false for a container or a broken value. */
static bool
scalar_peek(JsonParse *p, const char **text, uint32_t *len)
{
    if (p->at >= p->n)
        return false;
    uint8_t ch = p->s[p->at];
    if (ch == '"') {
        JsonParse q = *p;
        q.failed = true; /* a dry run: no expert note */
        uint32_t off, l;
        bool esc;
        if (!scan_string(&q, &off, &l, &esc))
            return false;
        *text = (const char *)p->s + off;
        *len = l;
        if (esc) {
            char *u = unescape(p->pkt, p->s + off, l, len);
            if (u == NULL)
                return false;
            *text = u;
        }
        return true;
    }
    if (ch == '-' || g_ascii_isdigit(ch)) {
        uint32_t e = p->at;
        while (e < p->n && is_number_char(p->s[e]))
            e++;
        *text = (const char *)p->s + p->at;
        *len = e - p->at;
        return true;
    }
    static const char *const words[] = { "true", "false", "null" };
    for (size_t i = 0; i < G_N_ELEMENTS(words); i++) {
        size_t w = strlen(words[i]);
        if (p->n - p->at >= w && memcmp(p->s + p->at, words[i], w) == 0) {
            *text = words[i];
            *len = (uint32_t)w;
            return true;
        }
    }
    return false;
}

static bool
literal(JsonParse *p, const char *word, uint32_t f)
{
    size_t w = strlen(word);
    if (p->n - p->at < w || memcmp(p->s + p->at, word, w) != 0)
        return false;
    PeelReader r = span(p, p->at, (uint32_t)w);
    peel_open(p->pkt, &r, f, (uint32_t)w);
    peel_close(p->pkt, NULL);
    p->at += (uint32_t)w;
    return true;
}

static void
parse_container(JsonParse *p, uint32_t depth, bool object)
{
    uint32_t start = p->at;
    PeelReader r = span(p, start, p->n - start);
    int32_t item = peel_open(p->pkt, &r, object ? F_OBJECT : F_ARRAY, p->n - start);
    p->at++;
    skip_ws(p);
    char close = object ? '}' : ']';
    if (p->at < p->n && p->s[p->at] == close) {
        p->at++;
    } else {
        for (;;) {
            skip_ws(p);
            if (object) {
                if (p->at >= p->n || p->s[p->at] != '"') {
                    fail(p, "a member does not start with its key");
                    break;
                }
                uint32_t mstart = p->at, koff, klen;
                bool kesc;
                if (!scan_string(p, &koff, &klen, &kesc))
                    break;
                skip_ws(p);
                if (p->at >= p->n || p->s[p->at] != ':') {
                    fail(p, "no ':' after a key");
                    break;
                }
                p->at++;
                skip_ws(p);
                int32_t m = add_string(p, F_MEMBER, koff, klen, kesc);
                bool opened = peel_open_last(p->pkt, m >= 0 ? (uint32_t)m : p->pkt->n_fields);
                const char *kname = (const char *)p->s + koff;
                uint32_t kn = klen;
                if (kesc) {
                    const char *u = unescape(p->pkt, p->s + koff, klen, &kn);
                    if (u != NULL)
                        kname = u;
                    else
                        kn = klen;
                }
                gsize plen = p->path->len;
                g_string_append_c(p->path, '/');
                g_string_append_len(p->path, kname, kn);
                /* as Wireshark: a scalar's path and member with their value first */
                const char *sv;
                uint32_t sl;
                if (scalar_peek(p, &sv, &sl)) {
                    char *pv = peel_arena_printf(
                            p->pkt->arena, "%s:%.*s", p->path->str, (int)sl, sv);
                    char *mv = peel_arena_printf(
                            p->pkt->arena, "%.*s:%.*s", (int)kn, kname, (int)sl, sv);
                    if (pv != NULL)
                        peel_add_string_value(p->pkt, F_PATH_WITH_VALUE, pv, (uint32_t)strlen(pv));
                    if (mv != NULL)
                        peel_add_string_value(p->pkt, F_MEMBER_WITH_VALUE, mv, (uint32_t)strlen(mv));
                }
                parse_value(p, depth + 1);
                add_string(p, F_KEY, koff, klen, kesc);
                peel_add_string_value(p->pkt, F_PATH,
                        peel_arena_strndup(p->pkt->arena, p->path->str, p->path->len),
                        (uint32_t)p->path->len);
                g_string_truncate(p->path, plen);
                if (m >= 0) {
                    p->pkt->fields[m].offset = peel_reader_offset(&p->base) + mstart;
                    p->pkt->fields[m].length = p->at - mstart;
                    if (p->pkt->want_tree)
                        peel_set_text(p->pkt, m, "Member: %.*s", (int)kn, kname);
                }
                peel_close_if(p->pkt, opened);
            } else {
                gsize plen = p->path->len;
                g_string_append(p->path, "/[]");
                parse_value(p, depth + 1);
                g_string_truncate(p->path, plen);
            }
            if (p->failed)
                break;
            skip_ws(p);
            if (p->at < p->n && p->s[p->at] == ',') {
                p->at++;
                continue;
            }
            if (p->at < p->n && p->s[p->at] == close) {
                p->at++;
                break;
            }
            fail(p, object ? "no ',' or '}' after a member" : "no ',' or ']' after an item");
            break;
        }
    }
    if (item >= 0)
        p->pkt->fields[item].length = p->at - start;
    peel_close(p->pkt, NULL);
}

static void
parse_value(JsonParse *p, uint32_t depth)
{
    skip_ws(p);
    if (p->at >= p->n) {
        fail(p, "a value is missing");
        return;
    }
    if (depth > PEEL_JSON_TREE_MAX_DEPTH) {
        peel_expert(p->pkt, p->pkt->parent, PEEL_SEV_NOTE, PEEL_GROUP_UNDECODED,
                "JSON nested deeper than %u levels: not shown further", PEEL_JSON_TREE_MAX_DEPTH);
        p->failed = true;
        return;
    }
    uint8_t ch = p->s[p->at];
    if (ch == '{' || ch == '[') {
        parse_container(p, depth, ch == '{');
    } else if (ch == '"') {
        uint32_t off, len;
        bool esc;
        if (scan_string(p, &off, &len, &esc))
            add_string(p, F_STRING, off, len, esc);
    } else if (ch == '-' || (ch >= '0' && ch <= '9')) {
        uint32_t start = p->at;
        while (p->at < p->n && is_number_char(p->s[p->at]))
            p->at++;
        PeelReader r = span(p, start, p->at - start);
        peel_add_string(p->pkt, &r, F_NUMBER, p->at - start);
    } else if (!literal(p, "true", F_TRUE) && !literal(p, "false", F_FALSE) &&
               !literal(p, "null", F_NULL)) {
        fail(p, "not a value");
    }
}

void
peel_json_keep_protocol(PeelPacket *pkt)
{
    JsonCall *call = peel_engine_data(pkt, &json_owner, sizeof *call, NULL);
    if (call->frame == pkt->frame->number && call->revisit == pkt->revisit &&
            call->protocol[0] != '\0')
        peel_set_protocol(pkt, peel_arena_strndup(pkt->arena, call->protocol, strlen(call->protocol)));
}

static void
json_dissect(PeelReader *rd, PeelPacket *pkt)
{
    JsonCall *call = peel_engine_data(pkt, &json_owner, sizeof *call, NULL);
    const char *media = call->media;
    if (call->below[0] != '\0' && strcmp(call->below, "JSON") != 0)
        peel_snprintf(call->protocol, sizeof call->protocol, "%s/JSON", call->below);
    else
        g_strlcpy(call->protocol, "JSON", sizeof call->protocol);
    call->below[0] = '\0';
    call->frame = pkt->frame->number;
    call->revisit = pkt->revisit;
    peel_set_protocol(pkt, peel_arena_strndup(pkt->arena, call->protocol, strlen(call->protocol)));
    if (pkt->want_info)
        peel_info_append(pkt, "%sJavaScript Object Notation (%s)", pkt->info_len ? ", " : "",
                media);
    if (media[0] != '\0')
        peel_set_text(pkt, pkt->parent, "JavaScript Object Notation: %s", media);
    if (peel_shallow(pkt)) { /* the values would be neither kept nor shown */
        call->media[0] = '\0';
        peel_reader_skip(rd, peel_reader_remaining(rd));
        return;
    }
    uint32_t got = 0;
    const uint8_t *s = peel_reader_peek_bytes(rd, 0, peel_reader_remaining(rd), &got);
    JsonParse p = { .pkt = pkt, .base = *rd, .s = s, .n = s ? got : 0, .path = g_string_new(NULL) };
    /* application/x-ndjson and JSON-RPC batches may hold several texts one after another */
    for (uint32_t texts = 0; texts < 4096 && !p.failed; texts++) {
        skip_ws(&p);
        if (p.at >= p.n)
            break;
        parse_value(&p, 1);
    }
    g_string_free(p.path, TRUE);
    call->media[0] = '\0';
    peel_reader_skip(rd, peel_reader_remaining(rd));
}

const PeelProto peel_proto_json = {
    .name = "json",
    .title = "JavaScript Object Notation",
    .short_name = "JSON",
    .fields = json_fields,
    .n_fields = N_F,
    .dissect = json_dissect,
};
