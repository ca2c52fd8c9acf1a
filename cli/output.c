/* output.c: tshark-compatible text, fields and JSON output over the flat field list. */
#include "output.h"

#include <errno.h>
#include <string.h>

#include "color.h"
#include "format.h"
#include "output-ek.h"
#include "registry.h"

enum {
    PSEUDO_COL_NO = -2,
    PSEUDO_COL_TIME = -3,
    PSEUDO_COL_SRC = -4,
    PSEUDO_COL_DST = -5,
    PSEUDO_COL_PROTOCOL = -6,
    PSEUDO_COL_LENGTH = -7,
    PSEUDO_COL_INFO = -8,
    PSEUDO_EXPERT_MSG = -9,
};

static const struct {
    const char *name;
    int id;
} pseudo_fields[] = {
    { "_ws.col.No.", PSEUDO_COL_NO },
    { "_ws.col.Time", PSEUDO_COL_TIME },
    { "_ws.col.Source", PSEUDO_COL_SRC },
    { "_ws.col.Destination", PSEUDO_COL_DST },
    { "_ws.col.Protocol", PSEUDO_COL_PROTOCOL },
    { "_ws.col.Length", PSEUDO_COL_LENGTH },
    { "_ws.col.Info", PSEUDO_COL_INFO },
    { "_ws.expert.message", PSEUDO_EXPERT_MSG },
};

struct PeelOutput {
    FILE *out;
    PeelOutOptions opt;
    GString *buf;
    GString *val;
    uint64_t n_packets;
    bool header_done;
    bool hold; /* peel_output_hold: never flushed */
    /* -T fields: per field id, which -e columns want it (most fields want none). */
    int16_t *column_of; /* by field id: column index + 1, 0 when not wanted */
    GString **cells;    /* one per column */
    uint32_t *counts;   /* occurrences per column in the current packet */
    PeelEk *ek;         /* -T ek */
};

static bool
flush_buf(PeelOutput *o)
{
    if (o->buf->len && fwrite(o->buf->str, 1, o->buf->len, o->out) != o->buf->len)
        return false;
    g_string_truncate(o->buf, 0);
    return !ferror(o->out);
}

PeelOutput *
peel_output_new(FILE *out, const PeelOutOptions *opt, GError **error)
{
    PeelOutput *o = g_new0(PeelOutput, 1);
    o->out = out;
    o->opt = *opt;
    o->buf = g_string_sized_new(65536);
    o->val = g_string_sized_new(256);
    if (opt->mode == PEEL_OUT_EK)
        o->ek = peel_ek_new(opt->protocols, opt->protocol_children);
    if (opt->mode == PEEL_OUT_FIELDS) {
        guint n = opt->fields->len;
        o->opt.field_ids = g_new(int, n);
        o->column_of = g_new0(int16_t, peel_field_count());
        o->cells = g_new0(GString *, n);
        o->counts = g_new0(uint32_t, n);
        for (guint i = 0; i < n; i++) {
            const char *name = g_ptr_array_index(opt->fields, i);
            int id = peel_field_lookup(name);
            for (size_t p = 0; id < 0 && p < G_N_ELEMENTS(pseudo_fields); p++)
                if (strcmp(name, pseudo_fields[p].name) == 0)
                    id = pseudo_fields[p].id;
            if (id == -1) {
                const char *hint = peel_field_suggest(name);
                g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                        "-e %s: unknown field%s%s%s", name, hint ? " (did you mean " : "",
                        hint ? hint : "", hint ? "?)" : "");
                peel_output_free(o);
                return NULL;
            }
            o->opt.field_ids[i] = id;
            /* A field named twice prints in both columns; the first is tracked here and
             * the rest copied when the row is written. */
            if (id >= 0 && o->column_of[id] == 0)
                o->column_of[id] = (int16_t)(i + 1);
            o->cells[i] = g_string_sized_new(64);
        }
    }
    return o;
}

void
peel_output_free(PeelOutput *o)
{
    if (o == NULL)
        return;
    if (o->cells != NULL)
        for (guint i = 0; i < o->opt.fields->len; i++)
            if (o->cells[i] != NULL)
                g_string_free(o->cells[i], TRUE);
    g_free(o->cells);
    g_free(o->counts);
    g_free(o->column_of);
    g_free(o->opt.field_ids);
    peel_ek_free(o->ek);
    g_string_free(o->buf, TRUE);
    g_string_free(o->val, TRUE);
    g_free(o);
}

/* ---- summary ---- */

/* Digits of v, right-aligned in buf[0..n); returns where they start. n is at least 20, the
 * digits of the largest v. */
static int
put_digits(char *buf, int n, uint64_t v)
{
    return (int)(peel_put_decimal(buf + n, v) - buf);
}

/* The summary line is built in a flat buffer (it is the hot path of `peel -r`): each
 * column is bounded, so the line always fits. */
#define COL_PROTOCOL_MAX 64
#define SUMMARY_MAX (16 + 48 + 2 * PEEL_IPV6_STRLEN + 32 + COL_PROTOCOL_MAX + 24 + PEEL_INFO_MAX)

static char *
put_padded(char *p, const char *s, size_t n, size_t width)
{
    for (size_t i = n; i < width; i++)
        *p++ = ' ';
    memcpy(p, s, n);
    return p + n;
}

static char *
put_time_col(char *p, PeelTime t, int digits)
{
    char buf[48];
    int end = sizeof buf, i = end;
    /* PeelTime keeps nsec positive: -0.25 s is sec -1, nsec 750000000. */
    bool neg = t.sec < 0;
    uint64_t sec = (uint64_t)t.sec;
    int32_t frac = t.nsec;
    if (neg) {
        sec = (uint64_t)(-(t.sec + (frac > 0 ? 1 : 0)));
        frac = frac > 0 ? 1000000000 - frac : 0;
    }
    if (digits > 9)
        digits = 9;
    for (int d = digits; d < 9; d++)
        frac /= 10;
    for (int d = 0; d < digits; d++) {
        buf[--i] = (char)('0' + frac % 10);
        frac /= 10;
    }
    buf[--i] = '.';
    i = put_digits(buf, i, sec);
    if (neg)
        buf[--i] = '-';
    return put_padded(p, buf + i, (size_t)(end - i), 10);
}

void
peel_format_summary(GString *line, const PeelPacket *pkt, int time_digits)
{
    /* Written straight into the string, whose room is made first. */
    size_t at = line->len;
    if (line->allocated_len <= at + SUMMARY_MAX) {
        g_string_set_size(line, at + SUMMARY_MAX);
        line->len = at;
    }
    char *buf = line->str + at;
    char *p = buf;
    char num[24];
    int i = put_digits(num, sizeof num, pkt->frame->number);
    p = put_padded(p, num + i, sizeof num - (size_t)i, 5);
    *p++ = ' ';
    /* tshark shows times with the precision the capture recorded them in */
    if (pkt->frame->ts_digits != 0)
        time_digits = pkt->frame->ts_digits;
    if (pkt->frame->no_ts)
        p = put_padded(p, "", 0, 10); /* a record without a timestamp: an empty column */
    else
        p = put_time_col(p, pkt->frame->rel, time_digits);
    *p++ = ' ';
    /* Source right-aligned to 12, destination left-aligned to 12, as tshark. */
    char addr[PEEL_IPV6_STRLEN];
    size_t n = pkt->col_src != NULL ? peel_addr_to_str(addr, pkt->col_src) : 0;
    p = put_padded(p, addr, n, 12);
    memcpy(p, " \xe2\x86\x92 ", 5);
    p += 5;
    n = pkt->col_dst != NULL ? peel_addr_to_str(addr, pkt->col_dst) : 0;
    memcpy(p, addr, n);
    p += n;
    for (size_t k = n; k < 12; k++)
        *p++ = ' ';
    *p++ = ' ';
    if (pkt->col_protocol) {
        n = strnlen(pkt->col_protocol, COL_PROTOCOL_MAX);
        memcpy(p, pkt->col_protocol, n);
        p += n;
    }
    *p++ = ' ';
    i = put_digits(num, sizeof num, pkt->frame->len);
    memcpy(p, num + i, sizeof num - (size_t)i);
    p += sizeof num - (size_t)i;
    *p++ = ' ';
    n = MIN(pkt->info_len, PEEL_INFO_MAX);
    memcpy(p, pkt->info, n);
    p += n;
    line->len = at + (size_t)(p - buf);
    line->str[line->len] = '\0';
}

/* ---- tree (-V) ---- */

static void
append_tree(GString *out, const PeelPacket *pkt)
{
    for (uint32_t i = 0; i < pkt->n_fields; i++) {
        const PeelField *fl = &pkt->fields[i];
        if (fl->flags & PEEL_FF_HIDDEN)
            continue;
        for (uint16_t d = 0; d < fl->depth; d++)
            PEEL_GS_LIT(out, "    ");
        peel_format_tree_line(out, pkt, fl);
        g_string_append_c(out, '\n');
        /* Expert notes attached to this field follow it, one level deeper. */
        for (uint32_t e = 0; e < pkt->n_experts; e++) {
            const PeelExpert *ex = &pkt->experts[e];
            if (ex->field != (int32_t)i)
                continue;
            static const char *const sev[] = { "Comment", "Chat", "Note", "Warning", "Error" };
            static const char *const grp[] = { "Malformed", "Checksum", "Sequence", "Protocol",
                "Undecoded", "Reassemble", "Comment" };
            for (uint16_t d = 0; d <= fl->depth; d++)
                PEEL_GS_LIT(out, "    ");
            g_string_append_printf(out, "[Expert Info (%s/%s): %s]\n", sev[ex->severity],
                    grp[ex->group], ex->msg);
        }
    }
    for (uint32_t e = 0; e < pkt->n_experts; e++) {
        const PeelExpert *ex = &pkt->experts[e];
        if (ex->field < 0)
            g_string_append_printf(out, "[Expert Info: %s]\n", ex->msg);
    }
}

/* ---- hex (-x) ---- */

static void
append_hex_block(GString *out, const uint8_t *data, uint32_t len)
{
    static const char hex[] = "0123456789abcdef";
    for (uint32_t off = 0; off < len; off += 16) {
        g_string_append_printf(out, "%04x  ", off);
        char ascii[17];
        uint32_t n = len - off < 16 ? len - off : 16;
        for (uint32_t i = 0; i < 16; i++) {
            if (i < n) {
                uint8_t b = data[off + i];
                g_string_append_c(out, hex[b >> 4]);
                g_string_append_c(out, hex[b & 0xf]);
                g_string_append_c(out, ' ');
                ascii[i] = b >= 0x20 && b < 0x7f ? (char)b : '.';
            } else {
                PEEL_GS_LIT(out, "   ");
            }
            if (i == 7)
                g_string_append_c(out, ' ');
        }
        ascii[n] = '\0';
        PEEL_GS_LIT(out, "  ");
        peel_gs_puts(out, ascii);
        g_string_append_c(out, '\n');
    }
}

static void
append_hex(GString *out, const PeelPacket *pkt)
{
    for (uint8_t s = 0; s < pkt->n_sources; s++) {
        if (s > 0)
            g_string_append_printf(out, "%s (%u bytes):\n", pkt->sources[s].name,
                    pkt->sources[s].len);
        append_hex_block(out, pkt->sources[s].data, pkt->sources[s].len);
    }
    g_string_append_c(out, '\n');
}

/* ---- fields (-T fields) ---- */

static void
append_pseudo(PeelOutput *o, GString *cell, int id, const PeelPacket *pkt)
{
    switch (id) {
    case PSEUDO_COL_NO:
        g_string_append_printf(cell, "%u", pkt->frame->number);
        break;
    case PSEUDO_COL_TIME:
        g_string_append_printf(cell, "%" G_GINT64_FORMAT ".%09d", pkt->frame->rel.sec,
                (int)pkt->frame->rel.nsec);
        break;
    case PSEUDO_COL_SRC:
        if (pkt->col_src)
            peel_format_addr(cell, pkt->col_src);
        break;
    case PSEUDO_COL_DST:
        if (pkt->col_dst)
            peel_format_addr(cell, pkt->col_dst);
        break;
    case PSEUDO_COL_PROTOCOL:
        peel_gs_puts(cell, pkt->col_protocol ? pkt->col_protocol : "");
        break;
    case PSEUDO_COL_LENGTH:
        g_string_append_printf(cell, "%u", pkt->frame->len);
        break;
    case PSEUDO_COL_INFO:
        g_string_append_len(cell, pkt->info, pkt->info_len);
        break;
    case PSEUDO_EXPERT_MSG:
        for (uint32_t e = 0; e < pkt->n_experts; e++) {
            if (e)
                g_string_append_c(cell, o->opt.aggregator);
            peel_gs_puts(cell, pkt->experts[e].msg);
        }
        break;
    }
}

static void
append_quoted(PeelOutput *o, GString *cell)
{
    if (o->opt.quote)
        g_string_append_c(o->buf, o->opt.quote);
    peel_gs_put(o->buf, cell->str, cell->len);
    if (o->opt.quote)
        g_string_append_c(o->buf, o->opt.quote);
}

static void
append_fields(PeelOutput *o, const PeelPacket *pkt)
{
    guint n = o->opt.fields->len;
    if (o->opt.header && !o->header_done) {
        for (guint i = 0; i < n; i++) {
            if (i)
                g_string_append_c(o->buf, o->opt.separator);
            peel_gs_puts(o->buf, g_ptr_array_index(o->opt.fields, i));
        }
        g_string_append_c(o->buf, '\n');
        o->header_done = true;
    }
    for (guint i = 0; i < n; i++) {
        g_string_truncate(o->cells[i], 0);
        o->counts[i] = 0;
    }
    /* One walk over the packet's fields fills every column. */
    for (uint32_t f = 0; f < pkt->n_fields; f++) {
        const PeelField *fl = &pkt->fields[f];
        int16_t col = o->column_of[fl->id];
        if (col == 0 || !(fl->flags & PEEL_FF_HAS_VALUE))
            continue;
        guint c = (guint)col - 1;
        GString *cell = o->cells[c];
        if (o->opt.occurrence == 'f' && o->counts[c] > 0)
            continue;
        if (o->opt.occurrence == 'l')
            g_string_truncate(cell, 0);
        else if (o->counts[c] > 0)
            g_string_append_c(cell, o->opt.aggregator);
        peel_format_value(cell, pkt, fl);
        o->counts[c]++;
    }
    for (guint i = 0; i < n; i++) {
        if (i)
            g_string_append_c(o->buf, o->opt.separator);
        int id = o->opt.field_ids[i];
        if (id < -1) {
            g_string_truncate(o->cells[i], 0);
            append_pseudo(o, o->cells[i], id, pkt);
            append_quoted(o, o->cells[i]);
        } else if (o->column_of[id] == (int16_t)(i + 1)) {
            if (o->counts[i] > 0)
                append_quoted(o, o->cells[i]);
        } else {
            guint first = (guint)o->column_of[id] - 1; /* same field named again */
            if (o->counts[first] > 0)
                append_quoted(o, o->cells[first]);
        }
    }
    g_string_append_c(o->buf, '\n');
}

/* ---- JSON (-T json, tshark's layers layout) ---- */

static void
json_string(GString *out, const char *s, gsize n)
{
    g_string_append_c(out, '"');
    for (gsize i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            g_string_append_c(out, '\\');
            g_string_append_c(out, (char)c);
        } else if (c < 0x20) {
            g_string_append_printf(out, "\\u%04x", c);
        } else {
            g_string_append_c(out, (char)c);
        }
    }
    g_string_append_c(out, '"');
}

static void
json_indent(GString *out, int level)
{
    for (int i = 0; i < level; i++)
        PEEL_GS_LIT(out, "  ");
}

/* The index after field i's subtree. */
static uint32_t
json_skip(const PeelPacket *pkt, uint32_t i)
{
    uint32_t j = i + 1;
    while (j < pkt->n_fields && pkt->fields[j].depth > pkt->fields[i].depth)
        j++;
    return j;
}

/* -j/-J: {"filtered": KEY} in place of a subtree that is not listed. */
static void
json_filtered(GString *out, const char *key, gsize n, int level)
{
    PEEL_GS_LIT(out, "{\n");
    json_indent(out, level + 1);
    PEEL_GS_LIT(out, "\"filtered\": ");
    json_string(out, key, n);
    g_string_append_c(out, '\n');
    json_indent(out, level);
    g_string_append_c(out, '}');
}

/* Wireshark's field type numbers (epan/ftypes/ftypes.h), for -T jsonraw. */
static int
ws_ftype(PeelFieldType t)
{
    static const int map[PEEL_FT_N_TYPES] = {
        [PEEL_FT_NONE] = 0, [PEEL_FT_PROTOCOL] = 1, [PEEL_FT_BOOLEAN] = 2, [PEEL_FT_U8] = 4,
        [PEEL_FT_U16] = 5, [PEEL_FT_U24] = 6, [PEEL_FT_U32] = 7, [PEEL_FT_U64] = 11,
        [PEEL_FT_I8] = 12, [PEEL_FT_I16] = 13, [PEEL_FT_I32] = 15, [PEEL_FT_I64] = 19,
        [PEEL_FT_DOUBLE] = 23, [PEEL_FT_ABS_TIME] = 24, [PEEL_FT_REL_TIME] = 25,
        [PEEL_FT_STRING] = 26, [PEEL_FT_ETHER] = 29, [PEEL_FT_BYTES] = 30, [PEEL_FT_IPV4] = 32,
        [PEEL_FT_IPV6] = 33, [PEEL_FT_FRAMENUM] = 35,
    };
    return t < PEEL_FT_N_TYPES ? map[t] : 0;
}

/* -T jsonraw: "KEY_raw": [hex of the field's bytes (or of its value, for bit fields),
 * offset, length, mask, type], as tshark's write_json_proto_node_hex_dump. */
static void
json_raw(PeelOutput *o, const PeelPacket *pkt, const PeelField *fl, const char *key, gsize n,
        int level)
{
    static const char hex[] = "0123456789abcdef";
    GString *out = o->buf;
    const PeelFieldDef *def = peel_field_def(fl->id);
    json_indent(out, level);
    g_string_append_c(out, '"');
    peel_gs_put(out, key, n);
    PEEL_GS_LIT(out, "_raw\": [\n");
    json_indent(out, level + 1);
    if (def->mask != 0) {
        g_string_append_printf(out, "\"%" G_GINT64_MODIFIER "X\"", fl->v.u);
    } else {
        g_string_append_c(out, '"');
        const PeelSourceBytes *src = fl->src < pkt->n_sources ? &pkt->sources[fl->src] : NULL;
        if (src != NULL && fl->offset <= src->len && fl->length <= src->len - fl->offset) {
            for (uint32_t k = 0; k < fl->length; k++) {
                uint8_t b = src->data[fl->offset + k];
                g_string_append_c(out, hex[b >> 4]);
                g_string_append_c(out, hex[b & 0xf]);
            }
        } else if (src != NULL) {
            PEEL_GS_LIT(out, "field length invalid!");
        }
        g_string_append_c(out, '"');
    }
    PEEL_GS_LIT(out, ",\n");
    json_indent(out, level + 1);
    g_string_append_printf(out, "%u,\n", fl->offset);
    json_indent(out, level + 1);
    g_string_append_printf(out, "%u,\n", fl->length);
    json_indent(out, level + 1);
    g_string_append_printf(out, "%" G_GINT64_MODIFIER "u,\n", def->mask);
    json_indent(out, level + 1);
    /* frame.time_epoch: seconds since the epoch, a relative time in tshark 4.0 */
    bool epoch = def->type == PEEL_FT_ABS_TIME && def->show == PEEL_SHOW_DEC;
    g_string_append_printf(out, "%d\n", epoch ? 25 : ws_ftype(def->type));
    json_indent(out, level);
    g_string_append_c(out, ']');
}

/* Writes the children of `parent` (fields whose parent index is `parent`), starting the
 * search at `from`; returns the index after the last descendant. `filter` is the -j/-J
 * list in force (NULL: everything). */
static uint32_t
json_children(PeelOutput *o, const PeelPacket *pkt, int32_t parent, uint32_t from, int level,
        char **filter)
{
    GString *out = o->buf;
    bool raw = o->opt.mode == PEEL_OUT_JSONRAW;
    bool first = true;
    uint32_t i = from;
    while (i < pkt->n_fields && pkt->fields[i].parent == parent) {
        const PeelField *fl = &pkt->fields[i];
        const PeelFieldDef *def = peel_field_def(fl->id);
        bool has_children = i + 1 < pkt->n_fields && pkt->fields[i + 1].parent == (int32_t)i;
        /* tshark keys label-only subtrees by their text */
        bool label = def->type == PEEL_FT_NONE;
        bool has_value = !label && !(def->type == PEEL_FT_PROTOCOL && has_children);
        g_string_truncate(o->val, 0);
        if (label)
            peel_format_tree_line(o->val, pkt, fl);
        g_autofree char *label_key = label ? g_strndup(o->val->str, o->val->len) : NULL;
        const char *key = label ? label_key : def->name;
        gsize key_len = strlen(key);
        if (raw) {
            if (!first)
                PEEL_GS_LIT(out, ",\n");
            first = false;
            json_raw(o, pkt, fl, key, key_len, level);
        } else {
            if (!first)
                PEEL_GS_LIT(out, ",\n");
            first = false;
            json_indent(out, level);
            json_string(out, key, key_len);
            PEEL_GS_LIT(out, ": ");
            if (has_value) {
                g_string_truncate(o->val, 0);
                peel_format_value(o->val, pkt, fl);
                json_string(out, o->val->str, o->val->len);
            } else if (!has_children) {
                PEEL_GS_LIT(out, "\"\"");
            }
        }
        if (!has_children) {
            i++;
            continue;
        }
        if (has_value || raw) {
            PEEL_GS_LIT(out, ",\n");
            json_indent(out, level);
            g_string_append_c(out, '"');
            peel_gs_put(out, key, key_len);
            peel_gs_puts(out, has_value ? "_tree\": " : "\": ");
        }
        if (filter != NULL && !peel_protocol_filter_match(filter, key)) {
            json_filtered(out, key, key_len, level);
            i = json_skip(pkt, i);
            continue;
        }
        PEEL_GS_LIT(out, "{\n");
        i = json_children(o, pkt, (int32_t)i, i + 1, level + 1,
                o->opt.protocol_children ? NULL : filter);
        g_string_append_c(out, '\n');
        json_indent(out, level);
        g_string_append_c(out, '}');
    }
    return i;
}

static void
append_json(PeelOutput *o, const PeelPacket *pkt)
{
    GString *out = o->buf;
    peel_gs_puts(out, o->n_packets == 0 ? "[\n" : ",\n");
    char date[16];
    time_t secs = (time_t)pkt->frame->ts.sec;
    struct tm tm;
    if (localtime_r(&secs, &tm) == NULL || strftime(date, sizeof date, "%Y-%m-%d", &tm) == 0)
        g_strlcpy(date, "1970-01-01", sizeof date);
    g_string_append_printf(out,
            "  {\n    \"_index\": \"packets-%s\",\n    \"_type\": \"doc\",\n"
            "    \"_score\": null,\n    \"_source\": {\n      \"layers\": {\n",
            date);
    json_children(o, pkt, -1, 0, 4, o->opt.protocols);
    PEEL_GS_LIT(out, "\n      }\n    }\n  }");
}

bool
peel_output_packet(PeelOutput *o, const PeelPacket *pkt)
{
    switch (o->opt.mode) {
    case PEEL_OUT_SUMMARY: {
        int rule = o->opt.color ? peel_color_match(pkt) : -1;
        peel_color_begin(o->buf, rule);
        peel_format_summary(o->buf, pkt, o->opt.time_digits);
        if (rule >= 0)
            peel_color_end(o->buf);
        else
            g_string_append_c(o->buf, '\n');
        break;
    }
    case PEEL_OUT_TREE:
        append_tree(o->buf, pkt);
        if (!o->opt.hex)
            g_string_append_c(o->buf, '\n');
        break;
    case PEEL_OUT_FIELDS:
        append_fields(o, pkt);
        break;
    case PEEL_OUT_JSON:
    case PEEL_OUT_JSONRAW:
        append_json(o, pkt);
        break;
    case PEEL_OUT_EK:
        peel_ek_packet(o->ek, o->buf, pkt);
        break;
    case PEEL_OUT_NONE:
        break;
    }
    if (o->opt.hex && (o->opt.mode == PEEL_OUT_SUMMARY || o->opt.mode == PEEL_OUT_TREE ||
                              o->opt.mode == PEEL_OUT_NONE))
        append_hex(o->buf, pkt);
    o->n_packets++;
    if (o->buf->len >= 60000 && !o->hold)
        return flush_buf(o);
    return true;
}

void
peel_output_hold(PeelOutput *o)
{
    o->hold = true;
}

GString *
peel_output_swap_buffer(PeelOutput *o, GString *fresh)
{
    GString *full = o->buf;
    g_string_truncate(fresh, 0);
    o->buf = fresh;
    return full;
}

size_t
peel_output_pending(const PeelOutput *o)
{
    return o->buf->len;
}

bool
peel_output_finish(PeelOutput *o)
{
    if (o->opt.mode == PEEL_OUT_JSON || o->opt.mode == PEEL_OUT_JSONRAW)
        peel_gs_puts(o->buf, o->n_packets ? "\n]\n" : "[\n]\n");
    if (o->opt.color && o->n_packets > 0)
        PEEL_GS_LIT(o->buf, "\x1b[0m"); /* tshark resets the colours at the end too */
    bool ok = flush_buf(o);
    return fflush(o->out) == 0 && ok;
}

/* ---- glossary ---- */

void
peel_output_glossary(FILE *out, const char *what)
{
    peel_registry_init();
    bool fields = strcmp(what, "fields") == 0;
    for (uint32_t p = 0; p < peel_registry_n_protos(); p++) {
        const PeelProto *proto = peel_registry_proto(p);
        if (!fields) {
            fprintf(out, "%s\t%s\t%s\n", proto->title,
                    proto->short_name ? proto->short_name : proto->name, proto->name);
            continue;
        }
        fprintf(out, "P\t%s\t%s\n", proto->title, proto->name);
        for (uint32_t f = 0; f < proto->n_fields; f++) {
            const PeelFieldDef *def = &proto->fields[f];
            fprintf(out, "F\t%s\t%s\t%s\t%s\t%s\t0x%" G_GINT64_MODIFIER "x\t\n", def->title,
                    def->name, peel_field_type_name(def->type), proto->name,
                    peel_field_show_name(def), def->mask);
        }
    }
}
