/* report-grpc.c: the HTTP/2 and gRPC reports: `-z grpc,calls` (one row per call, with
 * notes for error statuses, RST_STREAM and GOAWAY), `-z follow,http2,MODE,TCP,STREAM`
 * (one HTTP/2 stream with its headers decoded and content-encoded bodies inflated, where
 * tshark prints its own serialisation of the header block) and `--export-objects
 * http2,DIR` (each response body to a file). All three read the HTTP/2 frames of each
 * packet from its field list.
 *
 * Bounds: a followed or exported body is kept up to 64 MiB, an export holds 256 MiB in
 * all and writes at most PEEL_EXPORT_MAX_FILES files, and an inflated body stops at
 * 64 MiB; what is cut is said in the output. */
#include "report.h"

#include <string.h>
#include <zlib.h>

#include "export.h"
#include "flow.h"
#include "format.h"
#include "registry.h"

#define BODY_MAX   (64u << 20)
#define EXPORT_MAX ((uint64_t)256 << 20)

/* ---- the HTTP/2 frames of a packet, from its fields ---- */

enum {
    ID_TCP_STREAM,
    ID_H2_FRAME,
    ID_H2_STREAMID,
    ID_H2_TYPE,
    ID_H2_FLAGS,
    ID_HDR_NAME,
    ID_HDR_VALUE,
    ID_DATA,
    ID_G_LEN,
    ID_G_STATUS,
    ID_G_STATUS_MSG,
    ID_G_CALL_TIME,
    ID_RST,
    ID_GOAWAY,
    ID_GOAWAY_LAST,
    ID_G_CALL_TYPE,
    N_ID
};

static const char *const id_names[N_ID] = {
    "tcp.stream",
    "http2.stream",
    "http2.streamid",
    "http2.type",
    "http2.flags",
    "http2.header.name",
    "http2.header.value",
    "http2.data.data",
    "grpc.message_length",
    "grpc.status",
    "grpc.status_message",
    "grpc.call_time",
    "http2.rst_stream.error",
    "http2.goaway.error",
    "http2.goaway.last_stream_id",
    "grpc.call_type",
};

typedef struct {
    int ids[N_ID];
} FieldIds;

static void
ids_init(FieldIds *ids)
{
    for (int i = 0; i < N_ID; i++)
        ids->ids[i] = peel_field_lookup(id_names[i]);
}

typedef struct {
    const uint8_t *name, *value;
    uint32_t name_len, value_len;
} Hdr;

/* One HTTP/2 frame of a packet, with the gRPC messages that followed it. */
typedef struct {
    uint32_t stream, type, flags;
    bool has_type;
    GArray *hdrs; /* Hdr, pointing into the packet */
    const uint8_t *data;
    uint32_t data_len;
    bool has_data;
    GArray *msg_lens; /* uint32_t */
    bool has_status, has_call_time, has_rst, has_goaway;
    uint32_t status, rst, goaway, goaway_last;
    const uint8_t *status_msg;
    uint32_t status_msg_len;
    PeelTime call_time;
    const uint8_t *call_type;
    uint32_t call_type_len;
} H2Frame;

typedef struct {
    bool is_tcp;
    uint32_t tcp_stream;
    int sender;     /* 0: the flow's first sender, 1: the other one */
    GArray *frames; /* H2Frame */
} H2Packet;

static void
h2packet_clear(H2Packet *p)
{
    for (guint i = 0; p->frames && i < p->frames->len; i++) {
        H2Frame *f = &g_array_index(p->frames, H2Frame, i);
        g_array_unref(f->hdrs);
        g_array_unref(f->msg_lens);
    }
    if (p->frames)
        g_array_set_size(p->frames, 0);
}

static bool
is(const PeelField *fl, const FieldIds *ids, int which)
{
    return ids->ids[which] >= 0 && fl->id == (uint32_t)ids->ids[which];
}

/* Fills p with the packet's HTTP/2 frames; false when it has none. */
static bool
h2packet_read(H2Packet *p, const FieldIds *ids, const PeelPacket *pkt)
{
    if (p->frames == NULL)
        p->frames = g_array_new(FALSE, TRUE, sizeof(H2Frame));
    h2packet_clear(p);
    p->is_tcp = false;
    p->sender = pkt->flow_dir;
    H2Frame *cur = NULL;
    const uint8_t *pending_name = NULL;
    uint32_t pending_name_len = 0;
    for (uint32_t i = 0; i < pkt->n_fields; i++) {
        const PeelField *fl = &pkt->fields[i];
        if (is(fl, ids, ID_TCP_STREAM) && !p->is_tcp) {
            p->is_tcp = true;
            p->tcp_stream = (uint32_t)fl->v.u;
        } else if (is(fl, ids, ID_H2_FRAME)) {
            H2Frame f = { .hdrs = g_array_new(FALSE, FALSE, sizeof(Hdr)),
                .msg_lens = g_array_new(FALSE, FALSE, sizeof(uint32_t)) };
            g_array_append_val(p->frames, f);
            cur = &g_array_index(p->frames, H2Frame, p->frames->len - 1);
        } else if (cur == NULL || !(fl->flags & PEEL_FF_HAS_VALUE)) {
            continue;
        } else if (is(fl, ids, ID_H2_STREAMID)) {
            cur->stream = (uint32_t)fl->v.u;
        } else if (is(fl, ids, ID_H2_TYPE)) {
            cur->type = (uint32_t)fl->v.u;
            cur->has_type = true;
        } else if (is(fl, ids, ID_H2_FLAGS)) {
            cur->flags = (uint32_t)fl->v.u;
        } else if (is(fl, ids, ID_HDR_NAME)) {
            pending_name = fl->v.b.ptr;
            pending_name_len = fl->v.b.len;
        } else if (is(fl, ids, ID_HDR_VALUE) && pending_name != NULL) {
            Hdr h = { pending_name, fl->v.b.ptr, pending_name_len, fl->v.b.len };
            g_array_append_val(cur->hdrs, h);
            pending_name = NULL;
        } else if (is(fl, ids, ID_DATA)) {
            cur->data = fl->v.b.ptr;
            cur->data_len = fl->v.b.len;
            cur->has_data = true;
        } else if (is(fl, ids, ID_G_LEN)) {
            uint32_t n = (uint32_t)fl->v.u;
            g_array_append_val(cur->msg_lens, n);
        } else if (is(fl, ids, ID_G_STATUS)) {
            cur->has_status = true;
            cur->status = (uint32_t)fl->v.u;
        } else if (is(fl, ids, ID_G_STATUS_MSG)) {
            cur->status_msg = fl->v.b.ptr;
            cur->status_msg_len = fl->v.b.len;
        } else if (is(fl, ids, ID_G_CALL_TIME)) {
            cur->has_call_time = true;
            cur->call_time = fl->v.t;
        } else if (is(fl, ids, ID_RST)) {
            cur->has_rst = true;
            cur->rst = (uint32_t)fl->v.u;
        } else if (is(fl, ids, ID_GOAWAY)) {
            cur->has_goaway = true;
            cur->goaway = (uint32_t)fl->v.u;
        } else if (is(fl, ids, ID_G_CALL_TYPE)) {
            cur->call_type = fl->v.b.ptr;
            cur->call_type_len = fl->v.b.len;
        } else if (is(fl, ids, ID_GOAWAY_LAST)) {
            cur->goaway_last = (uint32_t)fl->v.u;
        }
    }
    return p->is_tcp && p->frames->len > 0;
}

static const Hdr *
hdr_find(const H2Frame *f, const char *name)
{
    size_t n = strlen(name);
    for (guint i = 0; i < f->hdrs->len; i++) {
        const Hdr *h = &g_array_index(f->hdrs, Hdr, i);
        if (h->name_len == n && memcmp(h->name, name, n) == 0)
            return h;
    }
    return NULL;
}

static const char *
value_name(int id, uint64_t v)
{
    if (id < 0)
        return NULL;
    const PeelFieldDef *def = peel_field_def((uint32_t)id);
    return def->names ? peel_value_name(def->names, v) : NULL;
}

static uint64_t
call_key(uint32_t tcp_stream, uint32_t h2_stream)
{
    return (uint64_t)tcp_stream << 32 | h2_stream;
}

static double
time_seconds(PeelTime t)
{
    return (double)t.sec + t.nsec / 1e9;
}

/* Inflates gzip, zlib or raw deflate data, up to BODY_MAX bytes; NULL when it is not. */
static GByteArray *
inflate_body(const uint8_t *in, size_t len, bool *cut)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        z_stream z = { 0 };
        if (inflateInit2(&z, attempt == 0 ? MAX_WBITS + 32 : -MAX_WBITS) != Z_OK)
            return NULL;
        GByteArray *out = g_byte_array_new();
        uint8_t buf[16384];
        z.next_in = (Bytef *)in;
        z.avail_in = (uInt)len;
        int rc = Z_OK;
        *cut = false;
        while (rc == Z_OK) {
            z.next_out = buf;
            z.avail_out = sizeof buf;
            rc = inflate(&z, Z_NO_FLUSH);
            uint32_t got = (uint32_t)(sizeof buf - z.avail_out);
            if (out->len + got > BODY_MAX) {
                *cut = true;
                got = BODY_MAX - out->len;
            }
            g_byte_array_append(out, buf, got);
            if (*cut || (rc == Z_BUF_ERROR && z.avail_in == 0))
                break;
        }
        inflateEnd(&z);
        if (rc == Z_STREAM_END || *cut || (rc == Z_BUF_ERROR && out->len > 0))
            return out;
        g_byte_array_unref(out);
    }
    return NULL;
}

static bool
encoded(const char *encoding)
{
    return encoding != NULL && (strcmp(encoding, "gzip") == 0 || strcmp(encoding, "deflate") == 0 ||
                                       strcmp(encoding, "x-gzip") == 0);
}

static const char separator[] =
        "===================================================================\n";

/* ---- -z grpc,calls ---- */

typedef struct {
    uint32_t tcp_stream, h2_stream, first_frame;
    char *path;
    char *call_type; /* from the schema (grpc.call_type), or NULL */
    int client;      /* sender index of the request, -1 not seen */
    uint32_t msgs[2];
    uint64_t bytes[2];
    bool grpc, have_status, have_call_time;
    uint32_t status;
    PeelTime first_ts, last_ts, call_time;
} Call;

typedef struct {
    FieldIds ids;
    H2Packet pkt;
    GHashTable *calls; /* call_key -> Call */
    GPtrArray *order;  /* Call *, by first frame */
    GPtrArray *notes;  /* char * */
} CallsReport;

static void
call_free(gpointer p)
{
    Call *c = p;
    g_free(c->path);
    g_free(c->call_type);
    g_free(c);
}

static void *
calls_open(const char *arg, GError **error)
{
    if (strcmp(arg, "grpc,calls") != 0) {
        g_set_error(
                error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG, "-z %s: expected grpc,calls", arg);
        return NULL;
    }
    CallsReport *r = g_new0(CallsReport, 1);
    ids_init(&r->ids);
    r->calls = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    r->order = g_ptr_array_new_with_free_func(call_free);
    r->notes = g_ptr_array_new_with_free_func(g_free);
    return r;
}

static Call *
call_get(CallsReport *r, uint32_t tcp_stream, uint32_t h2_stream, const PeelPacket *pkt)
{
    uint64_t key = call_key(tcp_stream, h2_stream);
    Call *c = g_hash_table_lookup(r->calls, &key);
    if (c != NULL)
        return c;
    c = g_new0(Call, 1);
    c->tcp_stream = tcp_stream;
    c->h2_stream = h2_stream;
    c->first_frame = pkt->frame->number;
    c->client = -1;
    c->first_ts = pkt->frame->ts;
    uint64_t *k = g_new(uint64_t, 1);
    *k = key;
    g_hash_table_insert(r->calls, k, c);
    g_ptr_array_add(r->order, c);
    return c;
}

static void
calls_packet(void *state, const PeelPacket *pkt)
{
    CallsReport *r = state;
    if (!h2packet_read(&r->pkt, &r->ids, pkt))
        return;
    for (guint i = 0; i < r->pkt.frames->len; i++) {
        const H2Frame *f = &g_array_index(r->pkt.frames, H2Frame, i);
        if (f->has_goaway && f->goaway != 0) {
            const char *n = value_name(r->ids.ids[ID_GOAWAY], f->goaway);
            g_ptr_array_add(
                    r->notes, g_strdup_printf("frame %u: tcp.stream %u: GOAWAY %s (last stream %u)",
                                      pkt->frame->number, r->pkt.tcp_stream,
                                      n ? n : "unknown error", f->goaway_last));
        }
        if (f->stream == 0)
            continue;
        Call *c = NULL;
        const Hdr *path = hdr_find(f, ":path");
        const Hdr *ct = hdr_find(f, "content-type");
        if (path != NULL || ct != NULL || f->msg_lens->len > 0 || f->has_status || f->has_rst) {
            c = call_get(r, r->pkt.tcp_stream, f->stream, pkt);
        } else {
            uint64_t key = call_key(r->pkt.tcp_stream, f->stream);
            c = g_hash_table_lookup(r->calls, &key);
        }
        if (c == NULL)
            continue;
        c->last_ts = pkt->frame->ts;
        if (path != NULL && c->path == NULL) {
            c->path = g_strndup((const char *)path->value, MIN(path->value_len, 512u));
            c->client = r->pkt.sender;
        }
        if (ct != NULL && ct->value_len >= 16 && memcmp(ct->value, "application/grpc", 16) == 0)
            c->grpc = true;
        if (f->call_type != NULL && c->call_type == NULL)
            c->call_type = g_strndup((const char *)f->call_type, MIN(f->call_type_len, 64u));
        int dir = c->client < 0 || c->client == r->pkt.sender ? 0 : 1;
        for (guint m = 0; m < f->msg_lens->len; m++) {
            c->msgs[dir]++;
            c->bytes[dir] += 5 + g_array_index(f->msg_lens, uint32_t, m);
            c->grpc = true;
        }
        if (f->has_call_time) {
            c->have_call_time = true;
            c->call_time = f->call_time;
        }
        if (f->has_status) {
            c->have_status = true;
            c->status = f->status;
            c->grpc = true;
            if (f->status != 0) {
                const char *n = value_name(r->ids.ids[ID_G_STATUS], f->status);
                g_autofree char *status = n ? g_strdup(n) : g_strdup_printf("%u", f->status);
                g_ptr_array_add(r->notes,
                        g_strdup_printf("frame %u: tcp.stream %u, stream %u %s: %s%s%.*s",
                                pkt->frame->number, c->tcp_stream, c->h2_stream,
                                c->path ? c->path : "", status, f->status_msg_len ? ": " : "",
                                (int)MIN(f->status_msg_len, 400u),
                                f->status_msg ? (const char *)f->status_msg : ""));
            }
        }
        if (f->has_rst && f->rst != 0) {
            const char *n = value_name(r->ids.ids[ID_RST], f->rst);
            g_ptr_array_add(r->notes,
                    g_strdup_printf("frame %u: tcp.stream %u, stream %u %s: RST_STREAM %s",
                            pkt->frame->number, c->tcp_stream, c->h2_stream, c->path ? c->path : "",
                            n ? n : "unknown error"));
        }
    }
}

/* The call's type as its schema declares it, else guessed from the messages seen (marked
 * with '*'). */
static const char *
call_kind(const Call *c)
{
    if (c->call_type != NULL)
        return c->call_type;
    bool many_req = c->msgs[0] > 1, many_resp = c->msgs[1] > 1;
    if (many_req && many_resp)
        return "bidirectional streaming*";
    if (many_req)
        return "client streaming*";
    if (many_resp)
        return "server streaming*";
    return "unary*";
}

static bool
calls_finish(void *state, FILE *out)
{
    CallsReport *r = state;
    g_autoptr(GString) s = g_string_new(NULL);
    g_string_append_printf(s, "\n%sgRPC Calls:\n", separator);
    g_string_append_printf(s, "%-6s %-6s %-44s %-24s %8s %10s %8s %10s %-20s %s\n", "TCP", "Stream",
            "Method", "Kind", "Req msgs", "Req bytes", "Resp msg", "Resp bytes", "Status",
            "Duration");
    guint n = 0;
    for (guint i = 0; i < r->order->len; i++) {
        const Call *c = g_ptr_array_index(r->order, i);
        if (!c->grpc)
            continue;
        n++;
        const char *st = "-";
        g_autofree char *num = NULL;
        if (c->have_status) {
            st = value_name(r->ids.ids[ID_G_STATUS], c->status);
            if (st == NULL)
                st = num = g_strdup_printf("%u", c->status);
        }
        PeelTime d = c->call_time;
        if (!c->have_call_time) {
            d.sec = c->last_ts.sec - c->first_ts.sec;
            d.nsec = c->last_ts.nsec - c->first_ts.nsec;
            if (d.nsec < 0) {
                d.sec--;
                d.nsec += 1000000000;
            }
        }
        g_string_append_printf(s,
                "%-6u %-6u %-44s %-24s %8u %10" G_GUINT64_FORMAT " %8u %10" G_GUINT64_FORMAT
                " %-20s %.6f%s\n",
                c->tcp_stream, c->h2_stream, c->path ? c->path : "(unknown)", call_kind(c),
                c->msgs[0], c->bytes[0], c->msgs[1], c->bytes[1], st, time_seconds(d),
                c->have_status ? "" : " (no status seen)");
    }
    g_string_append_printf(s, "%u call%s\n", n, n == 1 ? "" : "s");
    bool guessed = false;
    for (guint i = 0; i < r->order->len; i++) {
        const Call *c = g_ptr_array_index(r->order, i);
        guessed |= c->grpc && c->call_type == NULL;
    }
    if (guessed)
        g_string_append(s, "* type guessed from the messages seen (no schema for the method)\n");
    if (r->notes->len > 0) {
        g_string_append(s, "Notes:\n");
        for (guint i = 0; i < r->notes->len; i++)
            g_string_append_printf(s, "  %s\n", (const char *)g_ptr_array_index(r->notes, i));
    }
    g_string_append(s, separator);
    return fwrite(s->str, 1, s->len, out) == s->len;
}

static void
calls_close(void *state)
{
    CallsReport *r = state;
    h2packet_clear(&r->pkt);
    if (r->pkt.frames)
        g_array_unref(r->pkt.frames);
    g_hash_table_destroy(r->calls);
    g_ptr_array_unref(r->order);
    g_ptr_array_unref(r->notes);
    g_free(r);
}

const PeelReportKind peel_report_grpc_calls = {
    .option = PEEL_REPORT_Z,
    .name = "grpc,calls",
    .usage = "grpc,calls",
    .open = calls_open,
    .packet = calls_packet,
    .finish = calls_finish,
    .close = calls_close,
};

/* ---- -z follow,http2,MODE,TCP_STREAM,STREAM_ID ---- */

typedef enum { MODE_ASCII, MODE_HEX, MODE_RAW } Mode;

typedef struct {
    uint8_t node;
    guint off;
    uint32_t len;
    const char *label; /* NULL, or a line said before the chunk */
} Chunk;

typedef struct {
    FieldIds ids;
    H2Packet pkt;
    Mode mode;
    uint32_t tcp_stream, h2_stream;
    bool have_nodes;
    PeelAddr addr[2];
    uint16_t port[2];
    char *encoding[2];   /* content-encoding per node */
    GByteArray *body[2]; /* encoded bodies, to inflate when their direction ends */
    bool body_cut[2];
    GByteArray *data;
    GArray *chunks;
} Follow;

static void *
follow_h2_open(const char *arg, GError **error)
{
    g_auto(GStrv) parts = g_strsplit(arg, ",", -1);
    guint n = g_strv_length(parts);
    Mode mode = MODE_ASCII;
    guint first_num = 2;
    if (n == 5) {
        static const char *const modes[] = { "ascii", "hex", "raw" };
        int m = -1;
        for (int i = 0; i < 3; i++)
            if (strcmp(parts[2], modes[i]) == 0)
                m = i;
        if (m < 0)
            goto bad;
        mode = (Mode)m;
        first_num = 3;
    } else if (n != 4) {
        goto bad;
    }
    guint64 nums[2];
    for (int i = 0; i < 2; i++) {
        const char *p = parts[first_num + (guint)i];
        char *end = NULL;
        nums[i] = g_ascii_strtoull(p, &end, 10);
        if (!g_ascii_isdigit(p[0]) || *end != '\0' || nums[i] > G_MAXUINT32)
            goto bad;
    }
    Follow *f = g_new0(Follow, 1);
    ids_init(&f->ids);
    f->mode = mode;
    f->tcp_stream = (uint32_t)nums[0];
    f->h2_stream = (uint32_t)nums[1];
    f->data = g_byte_array_new();
    f->chunks = g_array_new(FALSE, FALSE, sizeof(Chunk));
    return f;
bad:
    g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG,
            "-z %s: expected follow,http2,[ascii|hex|raw,]TCP_STREAM,STREAM_ID", arg);
    return NULL;
}

static void
follow_add(Follow *f, uint8_t node, const void *p, uint32_t len, const char *label)
{
    Chunk c = { node, f->data->len, len, label };
    g_byte_array_append(f->data, p, len);
    g_array_append_val(f->chunks, c);
}

static void
follow_body_end(Follow *f, uint8_t node)
{
    if (f->body[node] == NULL || f->body[node]->len == 0)
        return;
    bool cut = false;
    g_autoptr(GByteArray) plain = inflate_body(f->body[node]->data, f->body[node]->len, &cut);
    if (plain != NULL)
        follow_add(f, node, plain->data, plain->len,
                cut || f->body_cut[node] ? "[body inflated, cut at 64 MiB]" : "[body inflated]");
    else
        follow_add(f, node, "", 0, "[body could not be inflated]");
    g_byte_array_set_size(f->body[node], 0);
}

static void
follow_h2_packet(void *state, const PeelPacket *pkt)
{
    Follow *f = state;
    if (!h2packet_read(&f->pkt, &f->ids, pkt) || f->pkt.tcp_stream != f->tcp_stream ||
            pkt->flow == NULL)
        return;
    if (!f->have_nodes) {
        for (int n = 0; n < 2; n++) {
            f->addr[n].type = pkt->flow->addr_type;
            memcpy(f->addr[n].bytes, pkt->flow->addr[n], 16);
            f->port[n] = pkt->flow->port[n];
        }
        f->have_nodes = true;
    }
    uint8_t node = (uint8_t)pkt->flow_dir;
    for (guint i = 0; i < f->pkt.frames->len; i++) {
        const H2Frame *fr = &g_array_index(f->pkt.frames, H2Frame, i);
        if (fr->stream != f->h2_stream)
            continue;
        if (fr->hdrs->len > 0) {
            g_autoptr(GString) s = g_string_new(NULL);
            for (guint h = 0; h < fr->hdrs->len; h++) {
                const Hdr *x = &g_array_index(fr->hdrs, Hdr, h);
                g_string_append_len(s, (const char *)x->name, x->name_len);
                g_string_append(s, ": ");
                g_string_append_len(s, (const char *)x->value, x->value_len);
                g_string_append_c(s, '\n');
            }
            follow_add(f, node, s->str, (uint32_t)s->len, NULL);
            const Hdr *ce = hdr_find(fr, "content-encoding");
            if (ce != NULL && f->encoding[node] == NULL)
                f->encoding[node] = g_strndup((const char *)ce->value, MIN(ce->value_len, 64u));
        }
        if (fr->has_data && fr->data_len > 0) {
            follow_add(f, node, fr->data, fr->data_len, NULL);
            if (encoded(f->encoding[node])) {
                if (f->body[node] == NULL)
                    f->body[node] = g_byte_array_new();
                if (f->body[node]->len + fr->data_len <= BODY_MAX)
                    g_byte_array_append(f->body[node], fr->data, fr->data_len);
                else
                    f->body_cut[node] = true;
            }
        }
        if (fr->has_type && (fr->type == 0 || fr->type == 1) && (fr->flags & 0x01))
            follow_body_end(f, node);
    }
}

static void
follow_hexdump(GString *out, const char *indent, uint32_t base, const uint8_t *p, uint32_t len)
{
    for (uint32_t i = 0; i < len; i += 16) {
        g_string_append_printf(out, "%s%08x  ", indent, base + i);
        for (uint32_t j = 0; j < 16; j++) {
            if (i + j < len)
                g_string_append_printf(out, "%02x ", p[i + j]);
            else
                g_string_append(out, "   ");
            if (j == 7)
                g_string_append_c(out, ' ');
        }
        g_string_append_c(out, ' ');
        for (uint32_t j = 0; j < 16 && i + j < len; j++) {
            g_string_append_c(out, g_ascii_isprint(p[i + j]) ? (char)p[i + j] : '.');
            if (j == 7)
                g_string_append_c(out, ' ');
        }
        g_string_append_c(out, '\n');
    }
}

static bool
follow_h2_finish(void *state, FILE *out)
{
    Follow *f = state;
    follow_body_end(f, 0);
    follow_body_end(f, 1);
    static const char *const modes[] = { "ascii", "hex", "raw" };
    g_autoptr(GString) s = g_string_new(NULL);
    g_string_append_printf(s, "\n%sFollow: http2,%s\n", separator, modes[f->mode]);
    g_string_append_printf(
            s, "Filter: tcp.stream eq %u and http2.streamid eq %u\n", f->tcp_stream, f->h2_stream);
    for (int n = 0; n < 2; n++) {
        g_string_append_printf(s, "Node %d: ", n);
        if (!f->have_nodes) {
            g_string_append(s, ":0\n");
            continue;
        }
        bool v6 = f->addr[n].type == PEEL_AT_IPV6;
        if (v6)
            g_string_append_c(s, '[');
        peel_format_addr(s, &f->addr[n]);
        g_string_append_printf(s, "%s:%u\n", v6 ? "]" : "", f->port[n]);
    }
    uint32_t pos[2] = { 0, 0 };
    for (guint i = 0; i < f->chunks->len; i++) {
        const Chunk *c = &g_array_index(f->chunks, Chunk, i);
        const uint8_t *p = f->data->data + c->off;
        const char *indent = c->node ? "\t" : "";
        if (c->label != NULL)
            g_string_append_printf(s, "%s%s\n", indent, c->label);
        switch (f->mode) {
        case MODE_ASCII:
            g_string_append_printf(s, "%s%u\n", indent, c->len);
            for (uint32_t k = 0; k < c->len; k++)
                g_string_append_c(s,
                        p[k] == '\n' || p[k] == '\r' || g_ascii_isprint(p[k]) ? (char)p[k] : '.');
            g_string_append_c(s, '\n');
            break;
        case MODE_HEX:
            follow_hexdump(s, indent, pos[c->node], p, c->len);
            break;
        case MODE_RAW:
            g_string_append(s, indent);
            for (uint32_t k = 0; k < c->len; k++)
                g_string_append_printf(s, "%02x", p[k]);
            g_string_append_c(s, '\n');
            break;
        }
        pos[c->node] += c->len;
        if (s->len > 65536) {
            if (fwrite(s->str, 1, s->len, out) != s->len)
                return false;
            g_string_truncate(s, 0);
        }
    }
    g_string_append(s, separator);
    return fwrite(s->str, 1, s->len, out) == s->len;
}

static void
follow_h2_close(void *state)
{
    Follow *f = state;
    h2packet_clear(&f->pkt);
    if (f->pkt.frames)
        g_array_unref(f->pkt.frames);
    for (int n = 0; n < 2; n++) {
        g_free(f->encoding[n]);
        if (f->body[n])
            g_byte_array_unref(f->body[n]);
    }
    g_byte_array_unref(f->data);
    g_array_unref(f->chunks);
    g_free(f);
}

const PeelReportKind peel_report_follow_http2 = {
    .option = PEEL_REPORT_Z,
    .name = "follow,http2",
    .usage = "follow,http2,ascii|hex|raw,TCP_STREAM,STREAM_ID",
    .open = follow_h2_open,
    .packet = follow_h2_packet,
    .finish = follow_h2_finish,
    .close = follow_h2_close,
};

/* ---- --export-objects http2,DIR ---- */

typedef struct {
    uint32_t tcp_stream, h2_stream;
    int client;
    char *path, *encoding, *ctype;
    GByteArray *body; /* the response's DATA, as sent */
    bool cut;
} Object;

typedef struct {
    FieldIds ids;
    H2Packet pkt;
    PeelExport *out;
    GHashTable *by_key; /* call_key -> Object */
    GPtrArray *order;
    uint64_t held;
    bool over;
} Export;

static void
object_free(gpointer p)
{
    Object *o = p;
    g_free(o->path);
    g_free(o->encoding);
    g_free(o->ctype);
    if (o->body)
        g_byte_array_unref(o->body);
    g_free(o);
}

static void *
export_open(const char *arg, GError **error)
{
    PeelExport *out = peel_export_open("http2", arg, PEEL_EXPORT_NUMBER_BEFORE_EXT, error);
    if (out == NULL)
        return NULL;
    Export *e = g_new0(Export, 1);
    ids_init(&e->ids);
    e->out = out;
    e->by_key = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    e->order = g_ptr_array_new_with_free_func(object_free);
    return e;
}

static void
export_packet(void *state, const PeelPacket *pkt)
{
    Export *e = state;
    if (!h2packet_read(&e->pkt, &e->ids, pkt))
        return;
    for (guint i = 0; i < e->pkt.frames->len; i++) {
        const H2Frame *fr = &g_array_index(e->pkt.frames, H2Frame, i);
        if (fr->stream == 0)
            continue;
        uint64_t key = call_key(e->pkt.tcp_stream, fr->stream);
        Object *o = g_hash_table_lookup(e->by_key, &key);
        const Hdr *path = hdr_find(fr, ":path");
        if (o == NULL && path != NULL) {
            o = g_new0(Object, 1);
            o->tcp_stream = e->pkt.tcp_stream;
            o->h2_stream = fr->stream;
            o->client = e->pkt.sender;
            o->path = g_strndup((const char *)path->value, MIN(path->value_len, 1024u));
            uint64_t *k = g_new(uint64_t, 1);
            *k = key;
            g_hash_table_insert(e->by_key, k, o);
            g_ptr_array_add(e->order, o);
        }
        if (o == NULL || o->client == e->pkt.sender)
            continue;
        const Hdr *ce = hdr_find(fr, "content-encoding");
        if (ce != NULL && o->encoding == NULL)
            o->encoding = g_strndup((const char *)ce->value, MIN(ce->value_len, 64u));
        const Hdr *ct = hdr_find(fr, "content-type");
        if (ct != NULL && o->ctype == NULL)
            o->ctype = g_strndup((const char *)ct->value, MIN(ct->value_len, 256u));
        if (!fr->has_data || fr->data_len == 0)
            continue;
        if (o->body == NULL)
            o->body = g_byte_array_new();
        if (o->body->len + fr->data_len > BODY_MAX || e->held + fr->data_len > EXPORT_MAX) {
            o->cut = true;
            e->over |= e->held + fr->data_len > EXPORT_MAX;
            continue;
        }
        g_byte_array_append(o->body, fr->data, fr->data_len);
        e->held += fr->data_len;
    }
}

/* A file name from the request path: its last segment without the query, with only
 * [A-Za-z0-9._-], never "." or ".."; "object" when nothing is left. */
static char *
object_name(const Object *o)
{
    const char *p = o->path ? o->path : "";
    const char *q = strchr(p, '?');
    size_t n = q ? (size_t)(q - p) : strlen(p);
    while (n > 0 && p[n - 1] == '/')
        n--;
    size_t start = n;
    while (start > 0 && p[start - 1] != '/')
        start--;
    GString *s = g_string_new(NULL);
    for (size_t i = start; i < n && s->len < 100; i++) {
        char c = p[i];
        g_string_append_c(s, g_ascii_isalnum(c) || c == '.' || c == '_' || c == '-' ? c : '_');
    }
    if (s->len == 0 || strcmp(s->str, ".") == 0 || strcmp(s->str, "..") == 0)
        g_string_assign(s, "object");
    return g_string_free(s, FALSE);
}

/* The bodies, inflated when content-encoded, each to a file named from its path (a name
 * taken gets "(1)", "(2)"... before its extension). */
static bool
export_finish(void *state, FILE *out)
{
    Export *e = state;
    (void)out;
    peel_export_make_dir(e->out); /* even when no response has a body */
    for (guint i = 0; i < e->order->len; i++) {
        const Object *o = g_ptr_array_index(e->order, i);
        if (o->body == NULL || o->body->len == 0)
            continue;
        const uint8_t *p = o->body->data;
        size_t len = o->body->len;
        g_autoptr(GByteArray) plain = NULL;
        bool cut = false;
        if (encoded(o->encoding) && (plain = inflate_body(p, len, &cut)) != NULL) {
            p = plain->data;
            len = plain->len;
        }
        g_autofree char *name = object_name(o);
        const char *file = peel_export_write(e->out, name, p, len);
        if (file != NULL && (o->cut || cut))
            fprintf(stderr, "peel: --export-objects: %s: cut at %u MiB\n", file, BODY_MAX >> 20);
    }
    if (e->over)
        fprintf(stderr,
                "peel: --export-objects http2: bodies past %u MiB in all were not "
                "kept\n",
                (unsigned)(EXPORT_MAX >> 20));
    return peel_export_finish(e->out, "objects");
}

static void
export_close(void *state)
{
    Export *e = state;
    h2packet_clear(&e->pkt);
    if (e->pkt.frames)
        g_array_unref(e->pkt.frames);
    peel_export_close(e->out);
    g_hash_table_destroy(e->by_key);
    g_ptr_array_unref(e->order);
    g_free(e);
}

const PeelReportKind peel_report_export_http2 = {
    .option = PEEL_REPORT_EXPORT,
    .name = "http2",
    .usage = "http2,DIR",
    .open = export_open,
    .packet = export_packet,
    .finish = export_finish,
    .close = export_close,
};
