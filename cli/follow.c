/* follow.c: `-z follow`: one TCP or UDP stream's payload, printed as tshark 4.0's
 * ui/cli/tap-follow.c prints it (ascii, hex and raw modes). */
#include "follow.h"

#include <string.h>

#include "flow.h"
#include "format.h"

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
    int node0_dir; /* the tap direction (PeelStreamChunk.dir) node 0 sends in */
    PeelAddr addr[2];
    uint16_t port[2];
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
    return f;
}

void
peel_follow_free(PeelFollow *f)
{
    if (f == NULL)
        return;
    g_byte_array_unref(f->data);
    g_array_unref(f->records);
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

void
peel_follow_packet(PeelFollow *f, const PeelPacket *pkt)
{
    const PeelFlow *flow = pkt->flow;
    /* tshark's TCP follow takes its client from the stream's first segment, data or
     * not; its UDP follow only ever sees datagrams with payload. */
    if (f->have_nodes || f->ip_proto != 6 || flow == NULL || flow->ip_proto != 6 ||
            flow->id != f->stream)
        return;
    follow_learn_nodes(f, flow, 0);
}

void
peel_follow_chunk(PeelFollow *f, const PeelStreamChunk *chunk)
{
    if (chunk->ip_proto != f->ip_proto || chunk->stream != f->stream || chunk->len == 0)
        return;
    if (!f->have_nodes) {
        if (chunk->flow == NULL)
            return; /* nothing to name the nodes by */
        follow_learn_nodes(f, chunk->flow, f->ip_proto == 6 ? 0 : chunk->dir);
    }
    uint8_t node = chunk->dir == f->node0_dir ? 0 : 1;
    if (chunk->data == NULL) {
        /* tshark's placeholder for bytes the peer acknowledged but the capture lacks,
         * stored with its NUL, so it counts in lengths and hex offsets. */
        char text[64];
        int n = g_snprintf(
                text, sizeof text, "[%d bytes missing in capture file]", (int)chunk->len);
        FollowRecord r = { chunk->frame, node, true, f->data->len, (uint32_t)n + 1 };
        g_byte_array_append(f->data, (const guint8 *)text, (guint)n + 1);
        g_array_append_val(f->records, r);
        return;
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
