/* follow.c: `-z follow`: one TCP or UDP stream's payload, printed as tshark 4.0's
 * ui/cli/tap-follow.c prints it (ascii, hex and raw modes). */
#include "follow.h"
#include "report.h"

#include <string.h>

#include "flow.h"
#include "format.h"
#include "registry.h"

typedef struct {
    uint32_t frame;
    uint8_t node; /* 0 or 1 */
    bool gap;
    guint off; /* into PeelFollow.data */
    uint32_t len;
} FollowRecord;

struct PeelFollow {
    uint8_t ip_proto;
    PeelFollowMode mode;
    uint32_t stream;
    bool have_nodes;
    uint32_t nodes_frame; /* nodes taken from a chunk of this frame, to be named by its packet */
    int node0_dir;        /* the tap direction (PeelStreamChunk.dir) node 0 sends in */
    PeelAddr addr[2];
    uint16_t port[2];
    /* Segments the capture cut short (snapshot length): tshark keeps their captured bytes
     * and skips the rest silently, so a gap over those bytes is no "bytes missing" chunk.
     * Frame number -> node << 31 | bytes lacking, while the frame may still matter. */
    GHashTable *short_frames;
    uint32_t last_data_frame[2]; /* per node, the frame of its last data chunk */
    GByteArray *data;
    GArray *records; /* FollowRecord */
};

static const char follow_separator[] =
        "===================================================================\n";

PeelFollow *
peel_follow_new(uint8_t ip_proto, PeelFollowMode mode, uint32_t stream)
{
    g_return_val_if_fail(ip_proto == 6 || ip_proto == 17, NULL);
    PeelFollow *f = g_new0(PeelFollow, 1);
    f->ip_proto = ip_proto;
    f->mode = mode;
    f->stream = stream;
    f->data = g_byte_array_new();
    f->records = g_array_new(FALSE, FALSE, sizeof(FollowRecord));
    f->short_frames = g_hash_table_new(NULL, NULL);
    return f;
}

void
peel_follow_free(PeelFollow *f)
{
    if (f == NULL)
        return;
    g_byte_array_unref(f->data);
    g_array_unref(f->records);
    g_hash_table_unref(f->short_frames);
    g_free(f);
}

static void
follow_set_addr(PeelAddr *a, uint8_t type, const uint8_t *bytes)
{
    memset(a, 0, sizeof *a);
    a->type = type;
    memcpy(a->bytes, bytes, type == PEEL_AT_IPV6 ? 16 : 4);
}

/* Node 0 sends in direction `dir0` of the flow: flow endpoint dir0 is node 0. */
static void
follow_learn_nodes(PeelFollow *f, const PeelFlow *flow, int dir0)
{
    f->have_nodes = true;
    f->node0_dir = dir0;
    for (int n = 0; n < 2; n++) {
        int e = n == 0 ? dir0 : 1 - dir0;
        follow_set_addr(&f->addr[n], flow->addr_type, flow->addr[e]);
        f->port[n] = flow->port[e];
    }
}

typedef struct {
    int tcp, tcp_payload, tcp_hdr_len, icmp, icmpv6;
} FollowIds;

static FollowIds follow_ids;

static gpointer
follow_ids_init(gpointer unused)
{
    (void)unused;
    follow_ids.tcp = peel_field_lookup("tcp");
    follow_ids.tcp_payload = peel_field_lookup("tcp.payload");
    follow_ids.tcp_hdr_len = peel_field_lookup("tcp.hdr_len");
    follow_ids.icmp = peel_field_lookup("icmp");
    follow_ids.icmpv6 = peel_field_lookup("icmpv6");
    return NULL;
}

/* False when a field of the packet's TCP header could not be read or its header length is
 * bogus: tshark's dissector throws or gives up before it queues the follow tap, so such a
 * segment names no node. */
static bool
follow_tcp_header_ok(const PeelPacket *pkt)
{
    static GOnce once = G_ONCE_INIT;
    g_once(&once, follow_ids_init, NULL);
    bool in_tcp = false;
    for (uint32_t i = 0; i < pkt->n_fields; i++) {
        const PeelField *fl = &pkt->fields[i];
        int id = (int)fl->id;
        if (id == follow_ids.icmp || id == follow_ids.icmpv6)
            break;
        if (id == follow_ids.tcp) {
            in_tcp = true;
            continue;
        }
        if (!in_tcp)
            continue;
        if (peel_field_def(fl->id)->type == PEEL_FT_PROTOCOL)
            break;
        if ((fl->flags & (PEEL_FF_MALFORMED | PEEL_FF_TRUNCATED)) != 0 &&
                id != follow_ids.tcp_payload)
            return false;
        if (id == follow_ids.tcp_hdr_len && (fl->flags & PEEL_FF_HAS_VALUE) && fl->v.u < 20)
            return false;
    }
    return true;
}

#define SHORT_FRAMES_MAX 4096 /* past this many pending entries, forget them all */

/* tshark names the nodes from pinfo once the whole packet is dissected: the innermost
 * network addresses (a routing header's final destination, a tunnel's inner header) with
 * the transport's ports. The packet's own addresses say the same. */
static void
follow_name_nodes(PeelFollow *f, const PeelPacket *pkt)
{
    uint8_t type = pkt->net_src.type;
    if ((type != PEEL_AT_IPV4 && type != PEEL_AT_IPV6) || pkt->net_dst.type != type)
        return;
    f->addr[0] = pkt->net_src;
    f->addr[1] = pkt->net_dst;
    f->port[0] = pkt->src_port;
    f->port[1] = pkt->dst_port;
}

void
peel_follow_packet(PeelFollow *f, const PeelPacket *pkt)
{
    const PeelFlow *flow = pkt->flow;
    if (flow == NULL || flow->ip_proto != f->ip_proto || flow->id != f->stream)
        return;
    if (f->ip_proto != 6) {
        /* UDP: the datagram whose chunk named node 0 names the addresses. */
        if (f->nodes_frame != 0 && pkt->frame != NULL && pkt->frame->number == f->nodes_frame &&
                pkt->flow_dir == f->node0_dir)
            follow_name_nodes(f, pkt);
        f->nodes_frame = 0;
        return;
    }
    /* tshark's TCP follow takes its client from the stream's first segment, data or
     * not (its UDP follow only ever sees datagrams with payload). */
    if (!f->have_nodes || f->nodes_frame != 0) {
        if (!follow_tcp_header_ok(pkt))
            return;
        if (!f->have_nodes)
            follow_learn_nodes(f, flow, pkt->flow_dir);
        if (pkt->flow_dir == f->node0_dir)
            follow_name_nodes(f, pkt);
        f->nodes_frame = 0;
    }
    const PeelFrameInfo *fr = pkt->frame;
    if (fr != NULL && fr->cap_len < fr->len && fr->len - fr->cap_len < (1u << 31)) {
        if (g_hash_table_size(f->short_frames) >= SHORT_FRAMES_MAX)
            g_hash_table_remove_all(f->short_frames);
        uint32_t node = pkt->flow_dir == f->node0_dir ? 0 : 1;
        g_hash_table_insert(f->short_frames, GUINT_TO_POINTER(fr->number),
                GUINT_TO_POINTER(node << 31 | (fr->len - fr->cap_len)));
    }
}

/* Bytes of the gap after node's last data chunk that its frame lacked for a short
 * snapshot length (used up as it is counted). */
static uint32_t
follow_take_short(PeelFollow *f, uint8_t node, uint32_t gap)
{
    gpointer key = GUINT_TO_POINTER(f->last_data_frame[node]), val;
    if (!g_hash_table_lookup_extended(f->short_frames, key, NULL, &val))
        return 0;
    uint32_t v = GPOINTER_TO_UINT(val);
    if (v >> 31 != node)
        return 0;
    uint32_t lacking = v & 0x7fffffffu, cut = MIN(gap, lacking);
    if (cut == lacking)
        g_hash_table_remove(f->short_frames, key);
    else
        g_hash_table_insert(f->short_frames, key, GUINT_TO_POINTER(v - cut));
    return cut;
}

void
peel_follow_chunk(PeelFollow *f, const PeelStreamChunk *chunk)
{
    if (chunk->ip_proto != f->ip_proto || chunk->stream != f->stream || chunk->len == 0)
        return;
    if (!f->have_nodes) {
        if (chunk->flow == NULL)
            return; /* nothing to name the nodes by */
        /* TCP: endpoint 0 of the flow sent its first segment; UDP: this datagram's
         * sender is node 0. */
        follow_learn_nodes(f, chunk->flow, f->ip_proto == 6 ? 0 : chunk->dir);
        f->nodes_frame = chunk->frame;
    }
    uint8_t node = chunk->dir == f->node0_dir ? 0 : 1;
    if (chunk->data == NULL) {
        /* A gap in the frame of the data before it is that segment's uncaptured tail. */
        if (chunk->frame == f->last_data_frame[node] && chunk->frame != 0)
            return;
        uint32_t missing = chunk->len - follow_take_short(f, node, chunk->len);
        if (missing == 0)
            return;
        /* tshark's placeholder for bytes the peer acknowledged but the capture lacks,
         * stored with its NUL, so it counts in lengths and hex offsets. */
        char text[64];
        int n = g_snprintf(text, sizeof text, "[%d bytes missing in capture file]", (int)missing);
        FollowRecord r = { chunk->frame, node, true, f->data->len, (uint32_t)n + 1 };
        g_byte_array_append(f->data, (const guint8 *)text, (guint)n + 1);
        g_array_append_val(f->records, r);
        return;
    }
    if (f->last_data_frame[node] != chunk->frame) {
        /* The frame before can no longer be followed by a gap of its own. */
        g_hash_table_remove(f->short_frames, GUINT_TO_POINTER(f->last_data_frame[node]));
        f->last_data_frame[node] = chunk->frame;
    }
    if (f->ip_proto == 6 && f->records->len > 0) {
        /* One TCP segment is one chunk in tshark, however our layer cut it. */
        FollowRecord *last = &g_array_index(f->records, FollowRecord, f->records->len - 1);
        if (!last->gap && last->node == node && last->frame == chunk->frame &&
                last->off + last->len == f->data->len) {
            g_byte_array_append(f->data, chunk->data, chunk->len);
            last->len += chunk->len;
            return;
        }
    }
    FollowRecord r = { chunk->frame, node, false, f->data->len, chunk->len };
    g_byte_array_append(f->data, chunk->data, chunk->len);
    g_array_append_val(f->records, r);
}

static const char hexdigits[] = "0123456789abcdef";

#define HEX_PER_LINE 16
#define HEX_START    10                       /* after the 8-digit offset and two spaces */
#define ASCII_START  (HEX_START + 16 * 3 + 2) /* 16 "xx " groups, the mid gap, two spaces */

/* tshark's follow_print_hex: offset, hex bytes with a gap after the eighth, the bytes as
 * text with a gap after the eighth. It drops one trailing space from each line, even when
 * that space is a byte of the data (0x20 last on the line). */
static void
follow_hexdump(GString *out, const char *prefix, uint32_t offset, const uint8_t *p, uint32_t len)
{
    char line[ASCII_START + HEX_PER_LINE + 2];
    for (uint32_t i = 0; i < len; i += HEX_PER_LINE, offset += HEX_PER_LINE) {
        uint32_t n = MIN(HEX_PER_LINE, len - i);
        g_snprintf(line, sizeof line, "%08X", offset);
        memset(line + 8, ' ', sizeof line - 8);
        size_t h = HEX_START, a = ASCII_START;
        for (uint32_t j = 0; j < n; j++) {
            uint8_t c = p[i + j];
            line[h] = hexdigits[c >> 4];
            line[h + 1] = hexdigits[c & 0xf];
            h += 3;
            line[a++] = c >= 0x20 && c < 0x7f ? (char)c : '.';
            if (j == 7) {
                h++;
                line[a++] = ' ';
            }
        }
        if (line[a - 1] == ' ')
            a--;
        g_string_append(out, prefix);
        g_string_append_len(out, line, (gssize)a);
        g_string_append_c(out, '\n');
    }
}

static void
follow_record(GString *out, const PeelFollow *f, const FollowRecord *r, uint32_t *pos)
{
    const uint8_t *p = f->data->data + r->off;
    const char *indent = r->node ? "\t" : "";
    switch (f->mode) {
    case PEEL_FOLLOW_ASCII:
        g_string_append_printf(out, "%s%u\n", indent, r->len);
        for (uint32_t i = 0; i < r->len; i++) {
            uint8_t c = p[i];
            g_string_append_c(out, c == '\r' || c == '\n' || g_ascii_isprint(c) ? (char)c : '.');
        }
        g_string_append_c(out, '\n');
        break;
    case PEEL_FOLLOW_HEX:
        follow_hexdump(out, indent, pos[r->node], p, r->len);
        break;
    case PEEL_FOLLOW_RAW:
        g_string_append(out, indent);
        for (uint32_t i = 0; i < r->len; i++) {
            g_string_append_c(out, hexdigits[p[i] >> 4]);
            g_string_append_c(out, hexdigits[p[i] & 0xf]);
        }
        g_string_append_c(out, '\n');
        break;
    }
    pos[r->node] += r->len;
}

static void
follow_header(GString *out, const PeelFollow *f)
{
    static const char *const modes[] = { "ascii", "hex", "raw" };
    const char *proto = f->ip_proto == 6 ? "tcp" : "udp";
    g_string_append_printf(out, "\n%sFollow: %s,%s\n", follow_separator, proto, modes[f->mode]);
    g_string_append_printf(out, "Filter: %s.stream eq %u\n", proto, f->stream);
    for (int n = 0; n < 2; n++) {
        g_string_append_printf(out, "Node %d: ", n);
        if (!f->have_nodes) {
            g_string_append(out, ":0\n"); /* tshark prints an unset address as "" */
            continue;
        }
        bool v6 = f->addr[n].type == PEEL_AT_IPV6;
        if (v6)
            g_string_append_c(out, '[');
        peel_format_addr(out, &f->addr[n]);
        g_string_append_printf(out, "%s:%u\n", v6 ? "]" : "", f->port[n]);
    }
}

/* Formats the report into `buf`; with `out`, writes and empties buf after each chunk. */
static bool
follow_emit(const PeelFollow *f, GString *buf, FILE *out)
{
    uint32_t pos[2] = { 0, 0 };
    follow_header(buf, f);
    for (guint i = 0; i < f->records->len; i++) {
        follow_record(buf, f, &g_array_index(f->records, FollowRecord, i), pos);
        if (out != NULL && buf->len >= 65536) {
            if (fwrite(buf->str, 1, buf->len, out) != buf->len)
                return false;
            g_string_truncate(buf, 0);
        }
    }
    g_string_append(buf, follow_separator);
    if (out != NULL) {
        if (fwrite(buf->str, 1, buf->len, out) != buf->len)
            return false;
        g_string_truncate(buf, 0);
    }
    return true;
}

void
peel_follow_print(const PeelFollow *f, GString *out)
{
    follow_emit(f, out, NULL);
}

bool
peel_follow_write(const PeelFollow *f, FILE *out)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    return follow_emit(f, buf, out);
}

/* ---- -z follow,tcp|udp,MODE,STREAM ---- */

static void *
follow_open(const char *arg, GError **error)
{
    g_auto(GStrv) parts = g_strsplit(arg, ",", -1);
    guint n = g_strv_length(parts);
    static const char *const modes[] = { "ascii", "hex", "raw" };
    int mode = -1;
    for (int i = 0; n >= 3 && i < (int)G_N_ELEMENTS(modes); i++)
        if (strcmp(parts[2], modes[i]) == 0)
            mode = i;
    char *end = NULL;
    guint64 stream = n >= 4 ? g_ascii_strtoull(parts[3], &end, 10) : 0;
    if (mode < 0 || n != 4 || end == parts[3] || *end != '\0' ||
            !g_ascii_isdigit(parts[3][0]) || stream > G_MAXUINT32) {
        g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG,
                "-z %s: expected follow,%s,ascii|hex|raw,STREAM with a stream number "
                "(addresses and chunk ranges are not supported)",
                arg, parts[1]);
        return NULL;
    }
    return peel_follow_new(parts[1][0] == 't' ? 6 : 17, (PeelFollowMode)mode, (uint32_t)stream);
}

static void
follow_packet(void *state, const PeelPacket *pkt)
{
    peel_follow_packet(state, pkt);
}

static void
follow_chunk(void *state, const PeelStreamChunk *chunk)
{
    peel_follow_chunk(state, chunk);
}

static bool
follow_finish(void *state, FILE *out)
{
    return peel_follow_write(state, out);
}

static void
follow_close(void *state)
{
    peel_follow_free(state);
}

const PeelReportKind peel_report_follow_tcp = {
    .option = PEEL_REPORT_Z,
    .name = "follow,tcp",
    .usage = "follow,tcp,ascii|hex|raw,STREAM",
    .open = follow_open,
    .packet = follow_packet,
    .chunk = follow_chunk,
    .finish = follow_finish,
    .close = follow_close,
};

const PeelReportKind peel_report_follow_udp = {
    .option = PEEL_REPORT_Z,
    .name = "follow,udp",
    .usage = "follow,udp,ascii|hex|raw,STREAM",
    .open = follow_open,
    .packet = follow_packet,
    .chunk = follow_chunk,
    .finish = follow_finish,
    .close = follow_close,
};
